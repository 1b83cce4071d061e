/*
 * gpubudget help [COMMAND] | --man | --markdown: a command's help, the
 * list of commands, the manual page or docs/cli.md, all from the option
 * table (cli_options.c).
 */
#include "cli.h"

int cmd_help(int argc, char **argv)
{
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_HELP, argc, argv);
    int man = 0, markdown = 0, c;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_STOP: return p.status;
        case CLI_KEY_MAN: man = 1; break;
        case CLI_KEY_MARKDOWN: markdown = 1; break;
        default: return cli_parser_unhandled(&p, c);
        }
    }
    int topics = argc - optind;
    if (man + markdown + (topics > 0) > 1 || topics > 1) {
        cli_error("help: give one command, --man or --markdown");
        return CLI_BAD_INPUT;
    }
    if (man) {
        cli_help_man(stdout);
    } else if (markdown) {
        cli_help_markdown(stdout);
    } else if (topics) {
        int cmd = cli_command_find(argv[optind]);
        if (cmd < 0) {
            cli_error("help: unknown command '%s' (see 'gpubudget --help')",
                      argv[optind]);
            return CLI_BAD_INPUT;
        }
        cli_help_print((cli_command)cmd, stdout);
    } else {
        cli_help_print(CLI_CMD_MAIN, stdout);
    }
    return fflush(stdout) == 0 ? CLI_OK : CLI_INTERNAL;
}
