/*
 * Option parsing from the table (cli_options.h): getopt_long over exactly
 * the rows of one command, with the messages people need when an option is
 * refused.
 */
#include <string.h>

#include "cli.h"

void cli_parser_init(cli_parser *p, cli_command cmd, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    /* ':' first: a missing value is told apart from an unknown option.
       `gpubudget` itself stops at its first operand, the command ('+'). */
    size_t ns = 0;
    if (cmd == CLI_CMD_MAIN)
        p->shorts[ns++] = '+';
    p->shorts[ns++] = ':';
    size_t n = 0;
    for (size_t i = 0; i < cli_option_count && n < CLI_OPT_MAX; i++) {
        const cli_option *o = &cli_options[i];
        if (!cli_option_of(o, cmd))
            continue;
        p->longs[n].name = cli_key_name((int)o->key);
        p->longs[n].has_arg = o->arg ? required_argument : no_argument;
        p->longs[n].flag = NULL;
        p->longs[n].val = (int)o->key;
        n++;
        if (o->short_name && ns + 3 < sizeof p->shorts) {
            p->shorts[ns++] = o->short_name;
            if (o->arg)
                p->shorts[ns++] = ':';
        }
    }
    p->shorts[ns] = 0;
    memset(&p->longs[n], 0, sizeof p->longs[n]);
    optind = 0; /* 0, not 1: glibc then also resets its own state */
    opterr = 0;
}

/* Whether a and b are one typing slip apart: a letter left out, added,
   changed, or two neighbours swapped ("sed" and "seed", "max_paths" and
   "max-paths", "jsno" and "json"). */
static int one_slip(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb) {
        const char *t = a;
        a = b;
        b = t;
        size_t n = la;
        la = lb;
        lb = n;
    }
    if (lb - la > 1)
        return 0;
    size_t i = 0;
    while (i < la && a[i] == b[i])
        i++;
    if (i == la)
        return lb - la == 1; /* b is a with one more letter at the end */
    if (la == lb) {
        if (!strcmp(a + i + 1, b + i + 1))
            return 1; /* one letter changed */
        return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               !strcmp(a + i + 2, b + i + 2); /* neighbours swapped */
    }
    return !strcmp(a + i, b + i + 1); /* a letter left out of a */
}

/* The command's option one slip from `given` ("--sed"), or NULL. */
static const char *nearest(const cli_parser *p, const char *given)
{
    char name[64];
    const char *g = given;
    while (*g == '-')
        g++;
    size_t len = strcspn(g, "=");
    if (len == 0 || len >= sizeof name)
        return NULL;
    memcpy(name, g, len);
    name[len] = 0;
    for (const struct option *o = p->longs; o->name; o++)
        if (one_slip(name, o->name))
            return o->name;
    return NULL;
}

static int refuse(cli_parser *p)
{
    p->status = CLI_BAD_INPUT;
    return CLI_OPT_STOP;
}

int cli_parser_next(cli_parser *p)
{
    const char *cmd = cli_command_name(p->cmd);
    int c = getopt_long(p->argc, p->argv, p->shorts, p->longs, NULL);
    p->arg = optarg;
    if (c == -1)
        return CLI_OPT_END;
    const char *given = optind > 0 && optind <= p->argc
                            ? p->argv[optind - 1]
                            : "";
    if (c == ':') {
        const char *name =
            optopt > CLI_KEY_NONE_ ? cli_key_name(optopt) : NULL;
        const cli_option *o = cli_option_find(p->cmd, optopt);
        if (name)
            cli_error("%s: --%s needs a value (%s)", cmd, name,
                      o && o->arg ? o->arg : "?");
        else
            cli_error("%s: -%c needs a value", cmd, optopt);
        return refuse(p);
    }
    if (c == '?') {
        /* "see 'gpubudget run --help'", or "'gpubudget --help'". */
        char see[64];
        snprintf(see, sizeof see, "gpubudget %s%s--help",
                 p->cmd == CLI_CMD_MAIN ? "" : cmd,
                 p->cmd == CLI_CMD_MAIN ? "" : " ");
        if (optopt > CLI_KEY_NONE_) {
            cli_error("%s: --%s takes no value ('%s')", cmd,
                      cli_key_name(optopt), given);
        } else if (optopt) {
            cli_error("%s: unknown option '-%c' (see '%s')", cmd, optopt,
                      see);
        } else {
            const char *near = nearest(p, given);
            char hint[96] = "";
            if (near)
                snprintf(hint, sizeof hint, "; did you mean '--%s'?", near);
            cli_error("%s: unknown or ambiguous option '%s'%s (see '%s')",
                      cmd, given, hint, see);
        }
        return refuse(p);
    }
    if (c < CLI_KEY_NONE_) /* a short option: its row's key */
        for (size_t i = 0; i < cli_option_count; i++)
            if (cli_option_of(&cli_options[i], p->cmd) &&
                cli_options[i].short_name == c)
                c = (int)cli_options[i].key;
    if (c == CLI_KEY_HELP) {
        cli_help_print(p->cmd, stdout);
        p->status = CLI_OK;
        return CLI_OPT_STOP;
    }
    return c;
}

int cli_parser_unhandled(const cli_parser *p, int key)
{
    const char *name = cli_key_name(key);
    cli_error("internal error: %s: option --%s is in the option table but "
              "the command does not handle it",
              cli_command_name(p->cmd), name ? name : "?");
    return CLI_INTERNAL;
}
