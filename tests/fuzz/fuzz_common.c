/* Property checks the fuzz harnesses share (fuzz_common.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

void fuzz_fail(const char *surface, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "property violated: %s: ", surface);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    __builtin_trap();
}

void fuzz_known(const char *surface, const char *bug, const char *fmt, ...)
{
    static int strict = -1;
    if (strict < 0)
        strict = getenv("GPB_FUZZ_STRICT") != NULL;
    if (!strict)
        return;
    va_list ap;
    fprintf(stderr, "property violated: %s: known bug %s: ", surface, bug);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    __builtin_trap();
}

char *fuzz_cstr(const uint8_t *data, size_t size)
{
    const uint8_t *nul = size ? memchr(data, 0, size) : NULL;
    size_t n = nul ? (size_t)(nul - data) : size;
    char *s = malloc(n + 1);
    if (!s)
        fuzz_fail("harness", "out of memory");
    if (n)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

int fuzz_status_known(gpb_status s)
{
    switch (s) {
#define FUZZ__CASE(name, num, text) case GPB_##name:
        GPB_STATUS_MAP(FUZZ__CASE)
#undef FUZZ__CASE
        return 1;
    }
    return 0;
}

void fuzz_check_diagnostics(const char *surface, gpb_status st,
                            const gpb_diagnostics *d)
{
    size_t n = gpb_diagnostics_count(d);
    FUZZ_REQUIRE(surface, n > 0,
                 "status %d (%s) came with no diagnostics", (int)st,
                 gpb_status_str(st));
    for (size_t i = 0; i < n; i++) {
        const gpb_error *e = gpb_diagnostics_at(d, i);
        FUZZ_REQUIRE(surface, e != NULL, "diagnostic %zu of %zu is NULL", i,
                     n);
        FUZZ_REQUIRE(surface, e->message[0] != '\0',
                     "diagnostic %zu (status %d) has no message", i,
                     (int)e->status);
        FUZZ_REQUIRE(surface, fuzz_status_known(e->status),
                     "diagnostic %zu has unknown status %d", i,
                     (int)e->status);
        FUZZ_REQUIRE(surface, e->line >= 0 && e->column >= 0,
                     "diagnostic %zu at line %d column %d: %s", i, e->line,
                     e->column, e->message);
    }
    FUZZ_REQUIRE(surface, gpb_diagnostics_at(d, n) == NULL,
                 "diagnostic past the end is not NULL");
}

static void check_claims(const char *surface, const gpb_scenario *s,
                         const gpb_result *r)
{
    size_t n = gpb_scenario_claim_count(s);
    for (size_t i = 0; i < n; i++) {
        gpb_claim_check c;
        gpb_error e;
        memset(&e, 0, sizeof e);
        gpb_status st = gpb_claim_check_at(s, r, NULL, i, &c, &e);
        if (st != GPB_OK) {
            FUZZ_REQUIRE(surface, fuzz_status_known(st),
                         "claim %zu: unknown status %d", i, (int)st);
            FUZZ_REQUIRE(surface, e.message[0] != '\0',
                         "claim %zu: status %s with no message", i,
                         gpb_status_str(st));
            continue;
        }
        /* A context claim is not judged: no probability. */
        FUZZ_REQUIRE(surface,
                     c.verdict == GPB_VERDICT_CONTEXT
                         ? isnan(c.p_favourable)
                         : c.p_favourable >= 0 && c.p_favourable <= 1,
                     "claim %zu: p_favourable %g outside [0, 1] (verdict %s)",
                     i, c.p_favourable, gpb_claim_verdict_name(c.verdict));
        FUZZ_REQUIRE(surface, c.paths > 0 && c.paths <= gpb_result_paths(r),
                     "claim %zu: defined on %zu of %zu paths", i, c.paths,
                     gpb_result_paths(r));
    }
}

void fuzz_check_simulation(const char *surface, const gpb_scenario *s)
{
    static const double levels[] = {0, 0.05, 0.5, 0.95, 1};
    gpb_sim_options opt;
    gpb_sim_options_default(&opt);
    opt.paths = 16;
    opt.threads = 1;
    gpb_result *r = NULL;
    gpb_error e;
    memset(&e, 0, sizeof e);
    gpb_status st = gpb_sim_run(s, &opt, &r, &e);
    if (st != GPB_OK) {
        FUZZ_REQUIRE(surface, r == NULL, "failed run left a result");
        FUZZ_REQUIRE(surface, fuzz_status_known(st),
                     "gpb_sim_run: unknown status %d", (int)st);
        FUZZ_REQUIRE(surface, e.message[0] != '\0',
                     "gpb_sim_run: status %s with no message",
                     gpb_status_str(st));
        /* A figure that overflows names the input that caused it. */
        FUZZ_REQUIRE(surface, st != GPB_ENUMERIC || e.path[0] != '\0',
                     "gpb_sim_run: GPB_ENUMERIC without a key path: %s",
                     e.message);
        return;
    }
    FUZZ_REQUIRE(surface, r != NULL, "gpb_sim_run: GPB_OK and no result");
    FUZZ_REQUIRE(surface, gpb_result_paths(r) == 16,
                 "gpb_sim_run: %zu paths, asked for 16",
                 gpb_result_paths(r));
    size_t m = gpb_result_metric_count(r);
    FUZZ_REQUIRE(surface, m > 0, "gpb_sim_run: a result with no metrics");
    for (size_t i = 0; i < m; i++) {
        const char *name = gpb_result_metric_name(r, i);
        FUZZ_REQUIRE(surface, name && name[0], "metric %zu has no name", i);
        double mean = 0, se = 0;
        st = gpb_result_mean(r, name, &mean, &se, &e);
        FUZZ_REQUIRE(surface, st == GPB_OK, "mean of %s: %s", name,
                     e.message);
        FUZZ_REQUIRE(surface, !isnan(mean) && !isnan(se),
                     "metric %s: mean %g, standard error %g", name, mean,
                     se);
        for (size_t j = 0; j < sizeof levels / sizeof levels[0]; j++) {
            double q = 0;
            st = gpb_result_quantile(r, name, levels[j], &q, &e);
            FUZZ_REQUIRE(surface, st == GPB_OK, "P%g of %s: %s",
                         100 * levels[j], name, e.message);
            FUZZ_REQUIRE(surface, !isnan(q), "metric %s: P%g is NaN", name,
                         100 * levels[j]);
        }
    }
    int h = gpb_result_horizon_months(r);
    double last = 0;
    for (int month = 0; month <= h; month++) {
        double p = gpb_result_prob_out_of_cash_by(r, month);
        FUZZ_REQUIRE(surface, p >= 0 && p <= 1 && p >= last,
                     "P(out of cash by month %d) = %g after %g", month, p,
                     last);
        last = p;
    }
    check_claims(surface, s, r);
    gpb_result_free(r);
}
