/* gpubudget validate [--strict] FILE...: lint scenarios, every problem of
   every file. Errors exit 2; warnings (plans that cannot work as written)
   exit 0, or 1 with --strict. */
#include "cli.h"

/* The claims' metrics and values, which only a simulation can evaluate:
   one block of paths is run and each claim checked against it (the
   verdict is not shown: that is check's work, on many paths). Returns
   the number of claims in error, each printed with its file, line,
   column and key. */
static size_t check_claims(const gpb_scenario *s)
{
    size_t n = gpb_scenario_claim_count(s), bad = 0;
    if (!n)
        return 0;
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 64;
    o.threads = 1;
    gpb_result *r = NULL;
    gpb_error e;
    if (gpb_sim_run(s, &o, &r, &e)) {
        cli_error_gpb(NULL, &e);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        gpb_claim_check c;
        if (gpb_claim_check_at(s, r, NULL, i, &c, &e) == GPB_OK)
            continue;
        /* Undefined on these few paths is not an error of the file. */
        if (e.status == GPB_ENUMERIC)
            continue;
        cli_error_gpb(NULL, &e);
        bad++;
    }
    gpb_result_free(r);
    return bad;
}

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
        size_t nc = check_claims(s);
        if (nc) {
            fprintf(stderr, "gpubudget: %zu claim%s of %s cannot be checked\n",
                    nc, nc == 1 ? "" : "s", argv[i]);
            gpb_scenario_free(s);
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
