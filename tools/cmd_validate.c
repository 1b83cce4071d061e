/* gpubudget validate [--strict] FILE...: lint scenarios, every problem of
   every file. Errors exit 2; warnings (plans that cannot work as written)
   exit 0, or 1 with --strict. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

int cmd_validate(int argc, char **argv)
{
    enum { O_HELP = 1000, O_STRICT };
    static const struct option opts[] = {
        {"help", no_argument, 0, O_HELP},
        {"strict", no_argument, 0, O_STRICT},
        {0, 0, 0, 0}};
    int strict = 0, help = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == O_HELP) {
            help = 1;
        } else if (c == O_STRICT) {
            strict = 1;
        } else {
            cli_error("validate: unknown option '%s'", argv[optind - 1]);
            return CLI_BAD_INPUT;
        }
    }
    if (help || optind >= argc) {
        printf("usage: gpubudget validate FILE...\n"
               "Loads each scenario and lists every problem with its file, "
               "line, column\nand key. Exit status 2 when any file has a "
               "problem.\n");
        return help ? CLI_OK : CLI_BAD_INPUT;
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
