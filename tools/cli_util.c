/* Output and error helpers for the gpubudget command. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gpubudget: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_error_gpb(const char *what, const gpb_error *err)
{
    char buf[1024];
    gpb_error_format(err, buf, sizeof buf);
    if (what && *what)
        fprintf(stderr, "gpubudget: %s: %s\n", what, buf);
    else
        fprintf(stderr, "gpubudget: %s\n", buf);
}

int cli_json_print(json_t *value)
{
    if (!value) {
        cli_error("out of memory while building JSON");
        return CLI_INTERNAL;
    }
    int rc = json_dumpf(value, stdout,
                        JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    json_decref(value);
    fputc('\n', stdout);
    return rc == 0 ? CLI_OK : CLI_INTERNAL;
}

int cli_parse_qty(const char *opt, const char *text, gpb_qty_kind kind,
                  gpb_quantity *out)
{
    gpb_error err;
    if (gpb_units_parse_as(text, kind, out, &err) != GPB_OK) {
        char where[64];
        snprintf(where, sizeof where, "--%s '%s'", opt, text);
        cli_error_gpb(where, &err);
        return -1;
    }
    return 0;
}

int cli_parse_number(const char *opt, const char *text, double *out)
{
    gpb_quantity q;
    if (cli_parse_qty(opt, text, GPB_QTY_NUMBER, &q) != 0)
        return -1;
    *out = q.value;
    return 0;
}
