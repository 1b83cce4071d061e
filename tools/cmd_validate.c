/* gpubudget validate FILE...: lint scenarios, every problem of every file. */
#include <string.h>

#include "cli.h"

int cmd_validate(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        printf("usage: gpubudget validate FILE...\n"
               "Loads each scenario and lists every problem with its file, "
               "line, column\nand key. Exit status 2 when any file has a "
               "problem.\n");
        return argc < 2 ? CLI_BAD_INPUT : CLI_OK;
    }
    int bad = 0;
    for (int i = 1; i < argc; i++) {
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
    return bad ? CLI_BAD_INPUT : CLI_OK;
}
