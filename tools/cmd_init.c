/*
 * gpubudget init [--force] [FILE]: writes the commented starting scenario
 * (tools/init.yaml, compiled in) to FILE or to standard output.
 */
#include <string.h>

#include "cli.h"

/* tools/init.yaml, embedded at build time by lib/embed.py. */
extern const char cli_init_yaml[];

int cmd_init(int argc, char **argv)
{
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_INIT, argc, argv);
    int force = 0, c;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_STOP: return p.status;
        case CLI_KEY_FORCE: force = 1; break;
        default: return cli_parser_unhandled(&p, c);
        }
    }
    if (argc - optind > 1) {
        cli_error("init: give one FILE (or '-' for standard output), not "
                  "%d", argc - optind);
        return CLI_BAD_INPUT;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    if (!strcmp(path, "-")) {
        fputs(cli_init_yaml, stdout);
        return fflush(stdout) == 0 ? CLI_OK : CLI_INTERNAL;
    }
    int r = cli_write_file(path, cli_init_yaml, force);
    if (r > 0) {
        cli_error("init: '%s' already exists; it is left as it was "
                  "(--force replaces it)",
                  path);
        return CLI_BAD_INPUT;
    }
    if (r < 0)
        return CLI_BAD_INPUT;
    printf("wrote %s: edit it, then 'gpubudget validate %s' and "
           "'gpubudget run %s'\n",
           path, path, path);
    return CLI_OK;
}
