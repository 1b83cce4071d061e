/*
 * The documents made from the option table (cli_options.c): each
 * command's --help in 80 columns, the manual page gpubudget(1) in roff and
 * docs/cli.md in Markdown. All three say the same things in the same
 * order; only the markup differs.
 */
#include <ctype.h>
#include <string.h>

#include "cli.h"

#ifndef GPB_INSTALL_SCENARIOS_DIR
#define GPB_INSTALL_SCENARIOS_DIR ""
#endif

enum { WIDTH = 80 };

/* What every document says besides the table: three lists of a term and
   its meaning (one sentence each, the full stop added when printed). The
   exit statuses are cli.h's. */
typedef struct doc_item {
    const char *term;
    const char *meaning;
} doc_item;

_Static_assert(CLI_OK == 0 && CLI_CHECK_FAILED == 1 && CLI_BAD_INPUT == 2 &&
                   CLI_INTERNAL == 3,
               "exit_statuses spells out cli.h's exit statuses");
static const doc_item exit_statuses[] = {
    {"0", "success"},
    {"1",
     "a check failed: a claim or the pitch is implausible (check --strict), "
     "or a scenario has warnings (validate --strict)"},
    {"2",
     "bad input: an unknown option, a value that does not parse or is out "
     "of range, a missing option, a scenario with problems, a file that "
     "cannot be read or written; stderr says which and what to give instead"},
    {"3",
     "an internal error: out of memory, or a failure gpubudget did not "
     "expect"},
};

static const doc_item environment[] = {
    {"OPENBLAS_NUM_THREADS",
     "OpenBLAS's own thread count. gpubudget runs its own workers "
     "(--threads) and wants none from OpenBLAS, whose idle threads spin "
     "on the workers' cores for a while after it loads. Built against "
     "Debian's single-threaded OpenBLAS (libopenblas-serial-dev, what "
     "./setup.sh installs) there are none and the variable does nothing. "
     "Against a threaded one, when the variable is unset gpubudget sets it "
     "to 1 and starts itself again on more than two cores, and on two runs "
     "every BLAS call on the calling thread; set it to choose otherwise"},
    {"GPB_SCENARIOS_DIR",
     "the directory 'gpubudget check' reads when it is given no scenario "
     "files"},
};

/* The first term is replaced by the scenarios' installed directory in the
   man page (the documents in the source tree cannot know it). */
static const doc_item files[] = {
    {"<datadir>/gpubudget/scenarios/",
     "the scenarios drawn from the articles, each citing its sources: what "
     "'gpubudget check' checks by default"},
    {"docs/", "in the source tree: scenario.md (every key of a scenario), "
              "output.md (every report), model.md (every formula), "
              "finance.md, check.md, units.md, hardware.md and cli.md "
              "(these options)"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- text ---------------------------------------------------------------- */

/* Display width of the n bytes at s. */
static int width_n(const char *s, size_t n)
{
    char buf[256];
    if (n >= sizeof buf)
        return (int)n;
    memcpy(buf, s, n);
    buf[n] = 0;
    return cli_display_width(buf);
}

/*
 * Writes one paragraph word by word from column col (the cursor is there),
 * wrapping before WIDTH with continuation lines indented by indent, and
 * ends the line. A word wider than a line stands alone on its line.
 */
static void wrap(FILE *out, const char *text, int col, int indent)
{
    int first = 1;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \n");
        int w = width_n(p, n);
        if (!first && col + 1 + w > WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += w;
        first = 0;
        p += n;
    }
    fputc('\n', out);
}

/* Calls fn for each paragraph of text (split by blank lines; the table's
   paragraphs are far below the buffer's 2047 bytes). */
static void paragraphs(const char *text, void (*fn)(FILE *, const char *),
                       FILE *out)
{
    char buf[2048];
    while (text && *text) {
        const char *end = strstr(text, "\n\n");
        size_t n = end ? (size_t)(end - text) : strlen(text);
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, text, n);
        buf[n] = 0;
        fn(out, buf);
        text = end ? end + 2 : NULL;
    }
}

/* The n-th line of a '\n'-separated list into buf; 0 when there is none. */
static int line_at(const char *list, int n, char *buf, size_t size)
{
    for (const char *p = list; p && *p; n--) {
        size_t len = strcspn(p, "\n");
        if (n == 0) {
            snprintf(buf, size, "%.*s", (int)len, p);
            return 1;
        }
        p += len;
        if (*p)
            p++;
    }
    return 0;
}

/* An option's default, as people read it, into buf; "" when none. */
static const char *default_of(const cli_option *o, char *buf, size_t n)
{
    if (o->def)
        snprintf(buf, n, "%s", o->def);
    else if (o->def_num != 0)
        snprintf(buf, n, "%.15g", o->def_num);
    else
        buf[0] = 0;
    return buf;
}

/* An option's help with its default: "… (default: 10000)", "… (required)". */
static void describe(const cli_option *o, char *buf, size_t n)
{
    char def[256];
    default_of(o, def, sizeof def);
    if (!strcmp(def, CLI_REQUIRED))
        snprintf(buf, n, "%s (required)", o->help);
    else if (*def)
        snprintf(buf, n, "%s (default: %s)", o->help, def);
    else
        snprintf(buf, n, "%s", o->help);
}

/* "-h, --help", "--paths N". */
static void label_of(const cli_option *o, char *buf, size_t n)
{
    char s[8] = "";
    if (o->short_name)
        snprintf(s, sizeof s, "-%c, ", o->short_name);
    snprintf(buf, n, "%s--%s%s%s", s, cli_key_name((int)o->key),
             o->arg ? " " : "", o->arg ? o->arg : "");
}

/* The rows of cmd in table order, the command's own first, then those of
   every command (--help). Returns how many. */
static size_t rows_of(cli_command cmd, const cli_option **rows, size_t max)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < cli_option_count && n < max; i++) {
            const cli_option *o = &cli_options[i];
            if (pass == 0 ? o->cmd == cmd : o->cmd == CLI_CMD_ANY)
                rows[n++] = o;
        }
    return n;
}

/* The words of cmd's usage prefix: "gpubudget", "gpubudget run". */
static void prog_of(cli_command cmd, char *buf, size_t n)
{
    if (cmd == CLI_CMD_MAIN)
        snprintf(buf, n, "gpubudget");
    else
        snprintf(buf, n, "gpubudget %s", cli_command_name(cmd));
}

/* ---- --help -------------------------------------------------------------- */

static void help_paragraph(FILE *out, const char *text)
{
    fputc('\n', out);
    wrap(out, text, 0, 0);
}

void cli_help_print(cli_command cmd, FILE *out)
{
    const cli_command_doc *d = &cli_command_docs[cmd];
    char prog[64], form[512];
    prog_of(cmd, prog, sizeof prog);
    for (int k = 0; line_at(d->usage, k, form, sizeof form); k++) {
        int col = fprintf(out, "%s %s ", k ? "      " : "usage:", prog);
        wrap(out, form, col, col + 4);
    }
    paragraphs(d->text, help_paragraph, out);

    if (cmd == CLI_CMD_MAIN) {
        fprintf(out, "\nCommands:\n");
        for (int c = 0; c < CLI_CMD_COUNT; c++) {
            int col = fprintf(out, "  %-12s ", cli_command_name(c));
            wrap(out, cli_command_summary(c), col, col);
        }
    }

    const cli_option *rows[CLI_OPT_MAX];
    size_t n = rows_of(cmd, rows, CLI_OPT_MAX);
    /* Descriptions start two columns after the longest label of at most
       22 columns; longer labels put theirs on the next line. */
    int lw = 0;
    for (size_t i = 0; i < n; i++) {
        char label[64];
        label_of(rows[i], label, sizeof label);
        int w = cli_display_width(label);
        if (w <= 22 && w > lw)
            lw = w;
    }
    int dcol = 2 + lw + 2;
    fprintf(out, "\nOptions:\n");
    for (size_t i = 0; i < n; i++) {
        char label[64], text[768];
        label_of(rows[i], label, sizeof label);
        describe(rows[i], text, sizeof text);
        int col = fprintf(out, "  %s", label);
        if (col + 2 > dcol) {
            fprintf(out, "\n%*s", dcol, "");
        } else {
            fprintf(out, "%*s", dcol - col, "");
        }
        wrap(out, text, dcol, dcol);
    }
    if (d->examples) {
        fprintf(out, "\nExamples:\n");
        for (int k = 0; line_at(d->examples, k, form, sizeof form); k++)
            fprintf(out, "  %s\n", form);
    }
    if (cmd == CLI_CMD_MAIN) {
        fputc('\n', out);
        wrap(out,
             "Exit status: 0 success, 1 a check failed (check --strict, "
             "validate --strict), 2 bad input, 3 an internal error. The "
             "manual: 'gpubudget help --man | man -l -', gpubudget(1) once "
             "installed, or docs/cli.md.",
             0, 0);
    }
}

/* ---- roff ---------------------------------------------------------------- */

/*
 * Writes text escaped for roff: backslashes and hyphens (options must stay
 * ASCII hyphen-minus when copied), and a control character at the start of
 * a line. With caps, runs of capitals (the placeholders N, FILE) are set in
 * italics.
 */
static void roff(FILE *out, const char *s, int caps)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    for (const char *p = s; *p; p++) {
        int alnum_before = p > s && isalnum((unsigned char)p[-1]);
        if (caps && isupper((unsigned char)*p) && !alnum_before) {
            size_t n = 0;
            while (isupper((unsigned char)p[n]) || p[n] == '_')
                n++;
            if (!isalnum((unsigned char)p[n])) {
                fprintf(out, "\\fI%.*s\\fR", (int)n, p);
                p += n - 1;
                continue;
            }
        }
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
        if (*p == '\n' && (p[1] == '.' || p[1] == '\''))
            fputs("\\&", out);
    }
}

static void man_paragraph(FILE *out, const char *text)
{
    fputs(".PP\n", out);
    roff(out, text, 0);
    fputc('\n', out);
}

/* The usage forms of cmd, each a paragraph. */
static void man_usage(FILE *out, cli_command cmd)
{
    char prog[64], form[512];
    prog_of(cmd, prog, sizeof prog);
    for (int k = 0;
         line_at(cli_command_docs[cmd].usage, k, form, sizeof form); k++) {
        fputs(".PP\n\\fB", out);
        roff(out, prog, 0);
        fputs("\\fR ", out);
        roff(out, form, 1);
        fputc('\n', out);
    }
}

static void man_options(FILE *out, cli_command cmd)
{
    const cli_option *rows[CLI_OPT_MAX];
    size_t n = rows_of(cmd, rows, CLI_OPT_MAX);
    for (size_t i = 0; i < n; i++) {
        char text[768];
        const cli_option *o = rows[i];
        fputs(".TP\n\\fB", out);
        if (o->short_name)
            fprintf(out, "\\-%c\\fR, \\fB", o->short_name);
        fputs("\\-\\-", out);
        roff(out, cli_key_name((int)o->key), 0);
        fputs("\\fR", out);
        if (o->arg) {
            fputc(' ', out);
            roff(out, o->arg, 1);
        }
        fputc('\n', out);
        describe(o, text, sizeof text);
        roff(out, text, 0);
        fputs(".\n", out);
    }
}

static void man_examples(FILE *out, const char *examples)
{
    char line[512];
    if (!examples)
        return;
    fputs(".PP\n.nf\n", out);
    for (int k = 0; line_at(examples, k, line, sizeof line); k++) {
        roff(out, line, 0);
        fputc('\n', out);
    }
    fputs(".fi\n", out);
}

/* A list of terms as tagged paragraphs, the term in font B or I; first,
   when not NULL, replaces the first term. */
static void man_items(FILE *out, const doc_item *items, size_t n, char font,
                      const char *first)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(out, ".TP\n.%c ", font);
        roff(out, i == 0 && first && *first ? first : items[i].term, 0);
        fputc('\n', out);
        roff(out, items[i].meaning, 0);
        fputs(".\n", out);
    }
}

void cli_help_man(FILE *out)
{
    fprintf(out,
            ".\\\" -*- coding: UTF-8 -*-\n"
            ".\\\" Generated by 'gpubudget help --man' from "
            "tools/cli_options.c; do not edit.\n"
            ".TH GPUBUDGET 1 \"\" \"gpubudget %s\" \"User Commands\"\n"
            ".\\\" Options must not be hyphenated, nor text stretched.\n"
            ".nh\n"
            ".ad l\n"
            ".SH NAME\n"
            "gpubudget \\- the cost of training and serving large language "
            "models, with Monte Carlo runway\n"
            ".SH SYNOPSIS\n",
            gpb_version());
    man_usage(out, CLI_CMD_MAIN);
    for (int c = 0; c < CLI_CMD_COUNT; c++)
        man_usage(out, (cli_command)c);
    fputs(".SH DESCRIPTION\n", out);
    paragraphs(cli_command_docs[CLI_CMD_MAIN].text, man_paragraph, out);
    fputs(".SH OPTIONS\n", out);
    man_options(out, CLI_CMD_MAIN);
    fputs(".SH COMMANDS\n", out);
    for (int c = 0; c < CLI_CMD_COUNT; c++) {
        fprintf(out, ".SS \"gpubudget %s\"\n", cli_command_name(c));
        roff(out, cli_command_summary(c), 0);
        fputs(".\n", out);
        man_usage(out, (cli_command)c);
        paragraphs(cli_command_docs[c].text, man_paragraph, out);
        man_options(out, (cli_command)c);
    }
    fputs(".SH \"EXIT STATUS\"\n", out);
    man_items(out, exit_statuses, COUNT(exit_statuses), 'B', NULL);
    fputs(".SH ENVIRONMENT\n", out);
    man_items(out, environment, COUNT(environment), 'B', NULL);
    fputs(".SH FILES\n", out);
    man_items(out, files, COUNT(files), 'I', GPB_INSTALL_SCENARIOS_DIR);
    fputs(".SH EXAMPLES\n", out);
    for (int c = 0; c < CLI_CMD_COUNT; c++)
        man_examples(out, cli_command_docs[c].examples);
    fputs(".SH \"SEE ALSO\"\n"
          "The README and the docs/ directory of the source tree; "
          "docs/cli.md holds this page's tables.\n",
          out);
}

/* ---- Markdown ------------------------------------------------------------ */

/* Text for Markdown: '<' and '>' as entities (so "<command>" is not taken
   for HTML), and '|' escaped for table cells. */
static void md_text(FILE *out, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '<')
            fputs("&lt;", out);
        else if (*p == '>')
            fputs("&gt;", out);
        else if (*p == '|')
            fputs("\\|", out);
        else
            fputc(*p, out);
    }
}

static void md_paragraph(FILE *out, const char *text)
{
    md_text(out, text);
    fputs("\n\n", out);
}

static void md_usage(FILE *out, cli_command cmd)
{
    char prog[64], form[512];
    prog_of(cmd, prog, sizeof prog);
    fputs("```\n", out);
    for (int k = 0;
         line_at(cli_command_docs[cmd].usage, k, form, sizeof form); k++)
        fprintf(out, "%s %s\n", prog, form);
    fputs("```\n\n", out);
}

static void md_options(FILE *out, cli_command cmd)
{
    const cli_option *rows[CLI_OPT_MAX];
    size_t n = rows_of(cmd, rows, CLI_OPT_MAX);
    fputs("| option | value | what it does | default |\n"
          "|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < n; i++) {
        char def[256];
        const cli_option *o = rows[i];
        fputs("| ", out);
        if (o->short_name)
            fprintf(out, "`-%c`, ", o->short_name);
        fprintf(out, "`--%s` | %s%s%s | ", cli_key_name((int)o->key),
                o->arg ? "`" : "", o->arg ? o->arg : "", o->arg ? "`" : "");
        md_text(out, o->help);
        fputs(" | ", out);
        md_text(out, default_of(o, def, sizeof def));
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

/* A list of terms as a section with a two-column table. */
static void md_items(FILE *out, const char *title, const char *head,
                     const doc_item *items, size_t n)
{
    fprintf(out, "## %s\n\n| %s | meaning |\n|---|---|\n", title, head);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "| `%s` | ", items[i].term);
        md_text(out, items[i].meaning);
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

void cli_help_markdown(FILE *out)
{
    fputs("# The `gpubudget` command\n\n"
          "<!-- Generated by `gpubudget help --markdown` from "
          "tools/cli_options.c;\n"
          "     tests/test_cli_options.sh checks that it matches. -->\n\n"
          "The same table gives every command's `--help` (also "
          "`gpubudget help COMMAND`)\n"
          "and the manual page gpubudget(1) (`man gpubudget` once "
          "installed, or\n"
          "`gpubudget help --man | man -l -`).\n\n",
          out);
    md_usage(out, CLI_CMD_MAIN);
    paragraphs(cli_command_docs[CLI_CMD_MAIN].text, md_paragraph, out);
    fputs("| command | what it does |\n|---|---|\n", out);
    for (int c = 0; c < CLI_CMD_COUNT; c++)
        fprintf(out, "| [`%s`](#gpubudget-%s) | %s |\n", cli_command_name(c),
                cli_command_name(c), cli_command_summary(c));
    fputc('\n', out);
    md_options(out, CLI_CMD_MAIN);
    for (int c = 0; c < CLI_CMD_COUNT; c++) {
        fprintf(out, "## gpubudget %s\n\n", cli_command_name(c));
        md_usage(out, (cli_command)c);
        paragraphs(cli_command_docs[c].text, md_paragraph, out);
        md_options(out, (cli_command)c);
        if (cli_command_docs[c].examples)
            fprintf(out, "```sh\n%s\n```\n\n", cli_command_docs[c].examples);
    }
    md_items(out, "Exit status", "status", exit_statuses,
             COUNT(exit_statuses));
    md_items(out, "Environment", "variable", environment, COUNT(environment));
    md_items(out, "Files", "path", files, COUNT(files));
}
