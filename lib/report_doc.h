/*
 * Internal helpers of the library's JSON documents (report*.c): one way to
 * write a number and a document, so every command's JSON has the same
 * layout.
 */
#ifndef GPB_REPORT_DOC_H
#define GPB_REPORT_DOC_H

#include <jansson.h>
#include <math.h>

#include "gpubudget/report.h"

/*
 * Dumps doc (a new reference, released here; NULL means a failed
 * allocation) indented by 2, reals to 12 significant digits, into new
 * text *out. GPB_ENOMEM when doc is NULL or the dump fails.
 */
gpb_status gpb__report_json_dump(json_t *doc, char **out, gpb_error *err);

/* A number, or null when it is not finite (JSON has no NaN or inf). */
static inline json_t *gpb__json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

#endif
