/* gpubudget validate [--strict] FILE...: lint scenarios, every problem of
   every file. Errors exit 2; warnings (plans that cannot work as written)
   exit 0, or 1 with --strict. */
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
    int bad = 0;
    size_t warned = 0;
    for (int i = optind; i < argc; i++) {
        gpb_scenario *s = NULL;
        if (cli_load_scenario(argv[i], &s)) {
            bad++;
            continue;
        }
        size_t nw = gpb_diagnostics_count(gpb_scenario_warnings(s));
        size_t nt = gpb_scenario_training_count(s);
        warned += nw;
        if (nw)
            printf("%s: loads, with %zu warning%s", argv[i], nw,
                   nw == 1 ? "" : "s");
        else
            printf("%s: ok", argv[i]);
        printf(" (%s; %zu inputs, %zu training run%s)\n",
               gpb_scenario_name(s), gpb_scenario_input_count(s), nt,
               nt == 1 ? "" : "s");
        gpb_scenario_free(s);
    }
    if (bad)
        return CLI_BAD_INPUT;
    return strict && warned ? CLI_CHECK_FAILED : CLI_OK;
}
