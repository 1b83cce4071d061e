/* gpubudget validate FILE...: lint scenarios, every problem of every file. */
#include "cli.h"

int cmd_validate(int argc, char **argv)
{
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_VALIDATE, argc, argv);
    int strict = 0, c;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_STOP: return p.status;
        case CLI_KEY_STRICT: strict = 1; break;
        default: return cli_parser_unhandled(&p, c);
        }
    }
    if (optind >= argc) {
        cli_error("validate: name one or more scenario files (see "
                  "'gpubudget validate --help')");
        return CLI_BAD_INPUT;
    }
    /* Warnings (plans that load but cannot work) make --strict exit 1;
       the loader does not report any yet. */
    int bad = 0, warnings = 0;
    for (int i = optind; i < argc; i++) {
        gpb_scenario *s = NULL;
        if (cli_load_scenario(argv[i], &s)) {
            bad++;
            continue;
        }
        printf("%s: ok (%s; %zu inputs, %zu training runs)\n", argv[i],
               gpb_scenario_name(s), gpb_scenario_input_count(s),
               gpb_scenario_training_count(s));
        gpb_scenario_free(s);
    }
    if (bad)
        return CLI_BAD_INPUT;
    return strict && warnings ? CLI_CHECK_FAILED : CLI_OK;
}
