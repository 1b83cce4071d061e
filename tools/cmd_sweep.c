/*
 * gpubudget sweep SCENARIO --vary KEY=VALUES ...: the scenario at every
 * point of a grid (or a Latin hypercube) of changed keys, each point on
 * the same paths and seed, a table of chosen metrics per point. Under
 * mpirun the points are handed out one at a time to the ranks (cli_mpi.h),
 * and rank 0 writes the table in point order: the same table as one
 * process.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_mpi.h"

#define SWEEP_MAX_POINTS 100000
#define SWEEP_MAX_AXES 16

/* One --vary: a key and its values as text, or a range. */
typedef struct axis {
    char key[512];
    size_t n;             /* values (list or LO..HI/N) */
    char **vals;          /* the list as given, or the range's points */
    int range;            /* 1: LO..HI */
    gpb_quantity lo, hi;
    char lo_text[256], hi_text[256]; /* the ends as written */
} axis;

typedef struct sweep_args {
    const char *scenario;
    char *sets;
    axis ax[SWEEP_MAX_AXES];
    size_t n_ax;
    size_t samples;       /* Latin hypercube points; 0: the grid */
    char metrics_buf[1024];
    const char *metrics[32];
    size_t n_metrics;
    size_t paths;
    uint64_t seed;
    int threads, quasi, json, quiet;
    const char *csv, *html, *xlsx;
} sweep_args;

/* A quantity as override text that reads back to the same number. */
static int qty_text(const gpb_quantity *q, char *buf, size_t n)
{
    return gpb_units_format_quantity(q, GPB_STYLE_EN, 17, buf, n) >= (int)n
               ? -1
               : 0;
}

static int parse_axis(const char *spec, axis *a, int lhs)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= sizeof a->key) {
        cli_error("--vary '%s': expected KEY=v1,v2,... or KEY=LO..HI/N", spec);
        return CLI_BAD_INPUT;
    }
    memcpy(a->key, spec, (size_t)(eq - spec));
    a->key[eq - spec] = 0;
    if (!strcmp(a->key, "currency")) {
        /* Points in different currencies would share one table's units:
           the report's currency is not a plan's choice. */
        cli_error("--vary '%s': currency is the report's, not the plan's: "
                  "the points would be in different units (compare two "
                  "currencies with: gpubudget compare FILE --set-b "
                  "currency=CNY)",
                  spec);
        return CLI_BAD_INPUT;
    }
    const char *v = eq + 1, *dots = strstr(v, "..");
    gpb_error e;
    if (dots) {
        char lo[256], hi[256];
        /* "/N" counts the points only when N is a number: in
           "$10k/month..$20k/month" the slash is the rate's. */
        const char *slash = strrchr(dots, '/');
        gpb_quantity qn;
        if (slash && (gpb_units_parse(slash + 1, &qn, NULL) != GPB_OK ||
                      qn.kind != GPB_QTY_NUMBER))
            slash = NULL;
        size_t nl = (size_t)(dots - v);
        size_t nh = slash ? (size_t)(slash - dots - 2) : strlen(dots + 2);
        if (nl >= sizeof lo || nh >= sizeof hi) {
            cli_error("--vary '%s': a value is too long", spec);
            return CLI_BAD_INPUT;
        }
        memcpy(lo, v, nl);
        lo[nl] = 0;
        memcpy(hi, dots + 2, nh);
        hi[nh] = 0;
        memcpy(a->lo_text, lo, nl + 1);
        memcpy(a->hi_text, hi, nh + 1);
        if (gpb_units_parse(lo, &a->lo, &e) || gpb_units_parse(hi, &a->hi, &e)) {
            cli_error("--vary '%s': %s", spec, e.message);
            return CLI_BAD_INPUT;
        }
        if (a->lo.kind != a->hi.kind || a->lo.currency != a->hi.currency) {
            cli_error("--vary '%s': the two ends are not in the same units",
                      spec);
            return CLI_BAD_INPUT;
        }
        a->range = 1;
        double np = 0;
        if (slash) {
            if (cli_parse_whole("vary", slash + 1, 2, 10000,
                                "from 2 to 10000 (points of LO..HI/N)", &np))
                return CLI_BAD_INPUT;
        } else if (!lhs) {
            cli_error("--vary '%s': a range needs its number of points "
                      "(LO..HI/N) unless --samples asks for a Latin "
                      "hypercube",
                      spec);
            return CLI_BAD_INPUT;
        }
        a->n = (size_t)np;
        a->vals = calloc(a->n ? a->n : 1, sizeof *a->vals);
        if (!a->vals)
            return CLI_INTERNAL;
        for (size_t i = 0; i < a->n; i++) {
            gpb_quantity q = a->lo;
            q.value = a->lo.value +
                      (a->hi.value - a->lo.value) * (double)i /
                          (double)(a->n - 1);
            char buf[128];
            if (qty_text(&q, buf, sizeof buf) || !(a->vals[i] = strdup(buf)))
                return CLI_INTERNAL;
        }
        return CLI_OK;
    }
    /* A list: values split at commas, taken verbatim. */
    size_t n = 1;
    for (const char *c = v; *c; c++)
        n += *c == ',';
    a->vals = calloc(n, sizeof *a->vals);
    if (!a->vals)
        return CLI_INTERNAL;
    const char *at = v;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(at, ',');
        size_t len = end ? (size_t)(end - at) : strlen(at);
        while (len && (*at == ' ' || *at == '\t'))
            at++, len--;
        while (len && (at[len - 1] == ' ' || at[len - 1] == '\t'))
            len--;
        if (!len) {
            cli_error("--vary '%s': an empty value", spec);
            return CLI_BAD_INPUT;
        }
        if (!(a->vals[i] = strndup(at, len)))
            return CLI_INTERNAL;
        a->n++;
        at = end ? end + 1 : at + len;
    }
    return CLI_OK;
}

static int parse(int argc, char **argv, sweep_args *a)
{
    gpb_sim_options d;
    gpb_sim_options_default(&d);
    a->paths = d.paths;
    a->seed = d.seed;
    const char *vary[SWEEP_MAX_AXES];
    size_t nv = 0;
    const char *metrics = "spend.total,cash.min,out_of_cash,runway_months";
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_SWEEP, argc, argv);
    int c, rc;
    double v;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_STOP:
            return p.status == CLI_OK ? -1 : p.status;
        case CLI_KEY_VARY:
            if (nv == SWEEP_MAX_AXES) {
                cli_error("sweep: at most %d --vary", SWEEP_MAX_AXES);
                return CLI_BAD_INPUT;
            }
            vary[nv++] = p.arg;
            break;
        case CLI_KEY_SAMPLES:
            if (cli_parse_whole("samples", p.arg, 2, SWEEP_MAX_POINTS,
                                "from 2 to 100000", &v))
                return CLI_BAD_INPUT;
            a->samples = (size_t)v;
            break;
        case CLI_KEY_METRICS: metrics = p.arg; break;
        case CLI_KEY_SET:
            if ((rc = cli_sets_add(&a->sets, p.arg)))
                return rc;
            break;
        case CLI_KEY_PATHS:
        case CLI_KEY_SEED:
        case CLI_KEY_THREADS:
            if (cli_parse_run_size(cli_key_name(c), p.arg, &a->paths,
                                   &a->seed, &a->threads))
                return CLI_BAD_INPUT;
            break;
        case CLI_KEY_QMC: a->quasi = 1; break;
        case CLI_KEY_JSON: a->json = 1; break;
        case CLI_KEY_QUIET: a->quiet = 1; break;
        case CLI_KEY_CSV: a->csv = p.arg; break;
        case CLI_KEY_HTML: a->html = p.arg; break;
        case CLI_KEY_XLSX: a->xlsx = p.arg; break;
        default:
            return cli_parser_unhandled(&p, c);
        }
    }
    if (optind >= argc || argc - optind > 1) {
        cli_error("sweep: give one scenario file (see 'gpubudget sweep "
                  "--help')");
        return CLI_BAD_INPUT;
    }
    a->scenario = argv[optind];
    if (nv == 0) {
        cli_error("sweep: give at least one --vary KEY=VALUES");
        return CLI_BAD_INPUT;
    }
    for (size_t k = 0; k < nv; k++)
        if ((rc = parse_axis(vary[k], &a->ax[a->n_ax++], a->samples > 0)))
            return rc;
    /* The metrics, comma-separated. */
    snprintf(a->metrics_buf, sizeof a->metrics_buf, "%s", metrics);
    for (char *t = a->metrics_buf, *next; t; t = next) {
        next = strchr(t, ',');
        if (next)
            *next++ = 0;
        while (*t == ' ')
            t++;
        if (!*t)
            continue;
        if (a->n_metrics == 32) {
            cli_error("--metrics: at most 32");
            return CLI_BAD_INPUT;
        }
        a->metrics[a->n_metrics++] = t;
    }
    if (!a->n_metrics) {
        cli_error("--metrics: name at least one metric");
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

static void args_free(sweep_args *a)
{
    free(a->sets);
    for (size_t k = 0; k < a->n_ax; k++) {
        for (size_t i = 0; i < a->ax[k].n; i++)
            free(a->ax[k].vals[i]);
        free(a->ax[k].vals);
    }
}

/* The points: values[p · n_ax + k] (borrowed from the axes or owned in
   `own`) for the grid, or a Latin hypercube of `samples` points. */
typedef struct design {
    size_t n;
    const char **values;
    double *numeric;
    char **own;           /* strings made for the hypercube */
} design;

/*
 * Refuses one key varied twice, however written ("training[0].gpus" and
 * "training[pretrain].gpus"), or one inside another ("training[0].failures"
 * and its "gpu_mtbf_hours"): the table labelled the first axis but ran the
 * second's values (user reviews). Compared as the overrides resolve them
 * in s, the scenario with the --set values and none of the axes (whose
 * values, together, may not load): inputs or not. Returns CLI_OK,
 * CLI_BAD_INPUT (said) or CLI_INTERNAL.
 */
static int axes_distinct(const sweep_args *a, const gpb_scenario *s)
{
    size_t K = a->n_ax;
    int rc = CLI_OK;
    char (*res)[GPB_ERROR_PATH_MAX] = calloc(K + 1, sizeof *res);
    if (!res) {
        cli_error("out of memory");
        rc = CLI_INTERNAL;
    }
    for (size_t k = 0; k < K && !rc; k++) {
        gpb_error ek;
        if (gpb_scenario_key_resolve(s, a->ax[k].key, res[k],
                                     sizeof res[k], &ek)) {
            cli_error("--vary: %s", ek.message);
            rc = CLI_BAD_INPUT;
        }
        for (size_t j = 0; j < k && !rc; j++) {
            const char *x = res[j], *y = res[k];
            size_t lx = strlen(x), ly = strlen(y);
            if (ly < lx) {
                const char *t = x;
                x = y;
                y = t;
                lx = ly;
            }
            if (strncmp(x, y, lx) != 0 ||
                (y[lx] && y[lx] != '.' && y[lx] != '['))
                continue;
            if (!y[lx])
                cli_error("--vary: '%s' and '%s' are one key (%s), "
                          "varied twice; give it one --vary",
                          a->ax[j].key, a->ax[k].key, x);
            else
                cli_error("--vary: '%s' lies inside '%s' (%s in %s): "
                          "the one would change what the other sets; "
                          "vary one of them",
                          y == res[k] ? a->ax[k].key : a->ax[j].key,
                          y == res[k] ? a->ax[j].key : a->ax[k].key, y,
                          x);
            rc = CLI_BAD_INPUT;
        }
    }
    free(res);
    return rc;
}

/* The point of range axis x at u (gpb_sweep_range_value: the ends read as
   the key reads them, whole values for a whole key) as override text in
   buf, or an error reported and CLI_BAD_INPUT. */
static int range_value(const gpb_scenario *s0, const axis *x, double u,
                       char *buf, size_t n)
{
    gpb_quantity q;
    gpb_error e;
    gpb_status st = gpb_sweep_range_value(s0, x->key, x->lo_text, x->hi_text,
                                          u, &q, &e);
    if (st) {
        /* The key once: the error's path names it when it has one. */
        char where[sizeof x->key + 16];
        if (e.path[0])
            snprintf(where, sizeof where, "--vary");
        else
            snprintf(where, sizeof where, "--vary '%s'", x->key);
        cli_error_gpb(where, &e);
        return CLI_BAD_INPUT;
    }
    return qty_text(&q, buf, n) ? CLI_INTERNAL : CLI_OK;
}

static int make_design(const sweep_args *a, design *d)
{
    memset(d, 0, sizeof *d);
    size_t K = a->n_ax, n = 1;
    if (a->samples) {
        n = a->samples;
    } else {
        for (size_t k = 0; k < K; k++) {
            if (n > SWEEP_MAX_POINTS / a->ax[k].n) {
                cli_error("sweep: the grid has more than %d points",
                          SWEEP_MAX_POINTS);
                return CLI_BAD_INPUT;
            }
            n *= a->ax[k].n;
        }
    }
    d->n = n;
    d->values = calloc(n * K, sizeof *d->values);
    d->numeric = calloc(n * K, sizeof *d->numeric);
    d->own = a->samples ? calloc(n * K, sizeof *d->own) : NULL;
    if (!d->values || !d->numeric || (a->samples && !d->own))
        return CLI_INTERNAL;
    /* The ranges' ends are read as their keys read them: "1 year" for a
       month key is 12, and an end the key refuses ("$200/GPU-hour" for a
       salary) is refused here, not lost in a point's text ("$200/h"). */
    gpb_scenario *s0 = NULL;
    int rc = CLI_OK;
    if (K && cli_load_scenario_set(a->scenario, a->sets, &s0))
        return CLI_BAD_INPUT;
    if (K && (rc = axes_distinct(a, s0))) {
        gpb_scenario_free(s0);
        return rc;
    }
    if (!a->samples) {
        char buf[128];
        for (size_t k = 0; k < K && !rc; k++)
            if (a->ax[k].range)
                rc = range_value(s0, &a->ax[k], 0, buf, sizeof buf);
        if (rc) {
            gpb_scenario_free(s0);
            return rc;
        }
        /* Every combination, the last axis fastest. */
        for (size_t p = 0; p < n; p++) {
            size_t rest = p;
            for (size_t k = K; k-- > 0;) {
                d->values[p * K + k] = a->ax[k].vals[rest % a->ax[k].n];
                rest /= a->ax[k].n;
            }
        }
    } else {
        /* A Latin hypercube (gpb_sweep_latin_hypercube: the library's
           design, which the Python binding draws alike). A range is cut
           in its key's unit, and over a key that takes whole numbers
           (GPUs, months) over its whole numbers (gpb_sweep_range_value). */
        double *u = malloc(n * K * sizeof *u + 1);
        gpb_error e;
        if (!u || gpb_sweep_latin_hypercube(n, K, a->seed, u, &e)) {
            free(u);
            gpb_scenario_free(s0);
            return CLI_INTERNAL;
        }
        for (size_t k = 0; k < K; k++) {
            const axis *x = &a->ax[k];
            for (size_t p = 0; p < n; p++) {
                double t = u[p * K + k];
                char buf[128];
                if (x->range) {
                    if ((rc = range_value(s0, x, t, buf, sizeof buf))) {
                        free(u);
                        gpb_scenario_free(s0);
                        return rc;
                    }
                } else {
                    size_t j = (size_t)(t * (double)x->n);
                    snprintf(buf, sizeof buf, "%s", x->vals[j < x->n ? j : x->n - 1]);
                }
                d->own[p * K + k] = strdup(buf);
                if (!d->own[p * K + k]) {
                    free(u);
                    gpb_scenario_free(s0);
                    return CLI_INTERNAL;
                }
                d->values[p * K + k] = d->own[p * K + k];
            }
        }
        free(u);
    }
    /* Each point's number in its key's unit, as the key reads its text
       ("1 year" for a month is 12, "$50/hour" for a salary $438,300 a
       year), so the JSON, CSV and chart axes of a grid agree with a
       hypercube's; a value no input reads (a card's name) as the units
       layer reads it, or NaN. */
    for (size_t k = 0; k < K; k++) {
        long in = gpb_scenario_input_find(s0, a->ax[k].key);
        for (size_t p = 0; p < n; p++) {
            size_t i = p * K + k;
            gpb_quantity q;
            double v;
            if (in >= 0 && gpb_scenario_input_read(s0, (size_t)in,
                                                   d->values[i], &v, NULL,
                                                   NULL) == GPB_OK)
                d->numeric[i] = v;
            else if (in < 0 &&
                     gpb_sweep_range_value(s0, a->ax[k].key, d->values[i],
                                           d->values[i], 0, &q,
                                           NULL) == GPB_OK)
                /* A key that is no input (horizon_months: "3 years" is
                   36), as a range of one value reads it. */
                d->numeric[i] = q.value;
            else
                d->numeric[i] =
                    gpb_units_parse(d->values[i], &q, NULL) == GPB_OK
                        ? q.value
                        : NAN;
        }
    }
    gpb_scenario_free(s0);
    return CLI_OK;
}

static void design_free(design *d, size_t K)
{
    if (d->own)
        for (size_t i = 0; i < d->n * K; i++)
            free(d->own[i]);
    free(d->own);
    free(d->values);
    free(d->numeric);
}

/* The overrides of point p: the --set values, then the point's keys. */
static char *point_sets(const sweep_args *a, const design *d, size_t p)
{
    size_t n = (a->sets ? strlen(a->sets) : 0) + 4;
    for (size_t k = 0; k < a->n_ax; k++)
        n += strlen(a->ax[k].key) + strlen(d->values[p * a->n_ax + k]) + 4;
    char *s = malloc(n);
    if (!s)
        return NULL;
    size_t at = (size_t)snprintf(s, n, "%s", a->sets ? a->sets : "");
    for (size_t k = 0; k < a->n_ax && at < n; k++)
        at += (size_t)snprintf(s + at, n - at, "%s%s=%s", at ? "; " : "",
                               a->ax[k].key, d->values[p * a->n_ax + k]);
    return s;
}

/* The scenario's warnings as lines (cli_format_warning), "" when none, or
   NULL when out of memory. */
static char *warnings_text(const gpb_diagnostics *dg)
{
    size_t cap = 1, at = 0;
    char *t = NULL;
    for (size_t i = 0; i < gpb_diagnostics_count(dg); i++)
        cap += sizeof(gpb_error) + 64;
    t = malloc(cap);
    if (!t)
        return NULL;
    t[0] = 0;
    for (size_t i = 0; i < gpb_diagnostics_count(dg); i++) {
        int k = cli_format_warning(gpb_diagnostics_at(dg, i), t + at,
                                   cap - at - 1);
        if (k < 0 || (size_t)k >= cap - at - 1)
            continue;
        at += (size_t)k;
        t[at++] = '\n';
        t[at] = 0;
    }
    return t;
}

/* Runs point p into row (n_metrics · 5 numbers) and its warnings into
   *warn (cli_format_warning lines; the caller frees it); on failure the
   message goes into err and the status is returned. The scenario loads
   quietly (its problems are the point's error). */
static gpb_status run_point(const sweep_args *a, const design *d, size_t p,
                            double *row, char **warn, gpb_error *err)
{
    *warn = NULL;
    char *sets = point_sets(a, d, p);
    if (!sets) {
        gpb_error_clear(err);
        err->status = GPB_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return GPB_ENOMEM;
    }
    gpb_scenario *s = NULL;
    gpb_diagnostics *dg = NULL;
    gpb_status st = gpb_scenario_load_file_with_overrides(a->scenario, sets,
                                                          &s, &dg);
    free(sets);
    if (st) {
        const gpb_error *e0 = gpb_diagnostics_count(dg)
                                  ? gpb_diagnostics_at(dg, 0)
                                  : NULL;
        if (e0)
            *err = *e0;
        else {
            gpb_error_clear(err);
            err->status = st;
            snprintf(err->message, sizeof err->message, "%s",
                     gpb_status_str(st));
        }
        gpb_diagnostics_free(dg);
        return st;
    }
    /* The point's own warnings (a run that cannot finish at this size):
       printed by the root with the point's settings. */
    *warn = warnings_text(gpb_scenario_warnings(s));
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = a->paths;
    o.seed = a->seed;
    o.threads = a->threads;
    o.quasi_random = a->quasi;
    gpb_result *r = NULL;
    st = gpb_sim_run(s, &o, &r, err);
    if (!st)
        st = gpb_sweep_row(r, a->metrics, a->n_metrics, row, err);
    gpb_result_free(r);
    gpb_scenario_free(s);
    return st;
}

/* A point's outcome as bytes, for gathering: status, message, warnings,
   row. */
static void *pack_point(gpb_status st, const gpb_error *e, const char *warn,
                        const double *row, size_t nm, size_t *len)
{
    size_t ml = st ? strlen(e->message) + 1 : 0;
    size_t wl = warn && warn[0] ? strlen(warn) + 1 : 0;
    *len = sizeof(int32_t) + 2 * sizeof(uint32_t) + ml + wl +
           nm * GPB_SWEEP_STATS * sizeof(double);
    unsigned char *b = malloc(*len), *at = b;
    if (!b)
        return NULL;
    int32_t s32 = (int32_t)st;
    uint32_t l32 = (uint32_t)ml, w32 = (uint32_t)wl;
    memcpy(at, &s32, sizeof s32), at += sizeof s32;
    memcpy(at, &l32, sizeof l32), at += sizeof l32;
    memcpy(at, &w32, sizeof w32), at += sizeof w32;
    memcpy(at, e->message, ml), at += ml;
    memcpy(at, warn ? warn : "", wl), at += wl;
    memcpy(at, row, nm * GPB_SWEEP_STATS * sizeof(double));
    return b;
}

static int unpack_point(const unsigned char *b, size_t len, size_t nm,
                        double *row, char **error, char **warn)
{
    int32_t s32;
    uint32_t l32, w32;
    *error = *warn = NULL;
    if (len < sizeof s32 + 2 * sizeof l32)
        return -1;
    memcpy(&s32, b, sizeof s32);
    memcpy(&l32, b + sizeof s32, sizeof l32);
    memcpy(&w32, b + sizeof s32 + sizeof l32, sizeof w32);
    size_t at = sizeof s32 + 2 * sizeof l32;
    if (len != at + l32 + w32 + nm * GPB_SWEEP_STATS * sizeof(double))
        return -1;
    if (s32 && l32) {
        *error = malloc(l32);
        if (!*error)
            return -1;
        memcpy(*error, b + at, l32);
        (*error)[l32 - 1] = 0;
    }
    if (w32) {
        *warn = malloc(w32);
        if (!*warn)
            return -1;
        memcpy(*warn, b + at + l32, w32);
        (*warn)[w32 - 1] = 0;
    }
    memcpy(row, b + at + l32 + w32, nm * GPB_SWEEP_STATS * sizeof(double));
    return 0;
}

/* Prints the warnings of points 1 … n − 1 that point 0 (whose warnings
   the first load printed) does not have, each line after its point's
   settings. */
static void print_point_warnings(const sweep_args *a, const design *d,
                                 char **warn)
{
    const char *w0 = warn[0] ? warn[0] : "";
    for (size_t p = 1; p < d->n; p++) {
        for (const char *l = warn[p]; l && *l;) {
            const char *e = strchr(l, '\n');
            size_t n = e ? (size_t)(e - l) : strlen(l);
            int seen = 0;
            for (const char *m = w0; *m && !seen;) {
                const char *f = strchr(m, '\n');
                size_t k = f ? (size_t)(f - m) : strlen(m);
                seen = k == n && !memcmp(m, l, n);
                m += k + (f != NULL);
            }
            if (!seen) {
                char *sets = point_sets(a, d, p);
                fprintf(stderr, "gpubudget: point %zu (%s): %.*s\n", p,
                        sets ? sets : "", (int)n, l);
                free(sets);
            }
            l += n + (e != NULL);
        }
    }
}

/* A metric's figure for the table, in its unit (cli_format_value; money
   is the metric whose unit is a currency code). */
static void table_figure(double v, const char *unit, char *buf, size_t n)
{
    gpb_currency cur = GPB_CURRENCY_NONE;
    int money = unit && gpb_currency_from_code(unit, &cur, NULL) == GPB_OK &&
                cur != GPB_CURRENCY_NONE;
    cli_format_value(v, unit, money, cur, buf, n);
}

/* The table: a column per varied key and per metric ("P50 (mean)"), each
   as wide as its widest cell, so no key or figure is cut. */
static void print_table(const sweep_args *a, const design *d,
                        const double *rows, char **errors,
                        char units[][32])
{
    size_t K = a->n_ax, M = a->n_metrics;
    int *w = calloc(K + M ? K + M : 1, sizeof *w);
    size_t ncell = d->n * M;
    char(*cell)[96] = calloc(ncell ? ncell : 1, sizeof *cell);
    if (!w || !cell) {
        free(w);
        free(cell);
        cli_error("out of memory");
        return;
    }
    for (size_t k = 0; k < K; k++) {
        w[k] = cli_display_width(a->ax[k].key);
        for (size_t p = 0; p < d->n; p++) {
            int x = cli_display_width(d->values[p * K + k]);
            w[k] = x > w[k] ? x : w[k];
        }
    }
    size_t censored = 0; /* 1 + a metric with a censored P50 */
    for (size_t m = 0; m < M; m++) {
        int h = cli_display_width(a->metrics[m]);
        w[K + m] = h > 10 ? h : 10; /* "P50 (mean)" */
        for (size_t p = 0; p < d->n; p++) {
            if (errors[p])
                continue;
            const double *r = rows + (p * M + m) * GPB_SWEEP_STATS;
            char p50[40], mean[40];
            /* A censored P50 (a runway that lasts the horizon) is "≥ H",
               as run prints it; the mean is then the restricted mean. */
            if (cli_format_censored(r[3], r[5], p50, sizeof p50))
                censored = m + 1;
            else
                table_figure(r[3], units[m], p50, sizeof p50);
            table_figure(r[0], units[m], mean, sizeof mean);
            /* A probability's P50 is that of a yes or no (0 or 1): its
               mean, the share of paths, is the figure. */
            if (!strcmp(units[m], "probability"))
                snprintf(cell[p * M + m], sizeof cell[0], "%s", mean);
            else
                snprintf(cell[p * M + m], sizeof cell[0], "%s (%s)", p50,
                         mean);
            int x = cli_display_width(cell[p * M + m]);
            w[K + m] = x > w[K + m] ? x : w[K + m];
        }
    }
    printf("sweep of %s: %zu points, %zu paths each, seed %llu\n\n",
           a->scenario, d->n, a->paths, (unsigned long long)a->seed);
    printf("  %5s", "point");
    for (size_t k = 0; k < K; k++) {
        fputs("  ", stdout);
        cli_print_right(a->ax[k].key, w[k]);
    }
    for (size_t m = 0; m < M; m++) {
        fputs("  ", stdout);
        cli_print_right(a->metrics[m], w[K + m]);
    }
    printf("\n  %5s", "");
    for (size_t k = 0; k < K; k++)
        printf("  %*s", w[k], "");
    for (size_t m = 0; m < M; m++) {
        fputs("  ", stdout);
        cli_print_right(strcmp(units[m], "probability") ? "P50 (mean)"
                                                         : "mean",
                        w[K + m]);
    }
    printf("\n");
    for (size_t p = 0; p < d->n; p++) {
        printf("  %5zu", p);
        for (size_t k = 0; k < K; k++) {
            fputs("  ", stdout);
            cli_print_right(d->values[p * K + k], w[k]);
        }
        if (errors[p]) {
            printf("  failed: %s\n", errors[p]);
            continue;
        }
        for (size_t m = 0; m < M; m++) {
            fputs("  ", stdout);
            cli_print_right(cell[p * M + m], w[K + m]);
        }
        printf("\n");
    }
    if (censored)
        printf("\n  (%s is censored at the horizon: ≥ means at least that, "
               "the cash lasts;\n   its mean is the restricted mean)\n",
               a->metrics[censored - 1]);
    free(w);
    free(cell);
}

static int sweep_main(sweep_args *a)
{
    design d;
    int rc = make_design(a, &d);
    size_t nm = a->n_metrics, K = a->n_ax;
    double *rows = NULL;
    char **errors = NULL, **warns = NULL;
    long *mine = NULL;
    void **bytes = NULL, **bufs = NULL;
    size_t *lens_mine = NULL, *lens = NULL, nmine = 0;
    char units[32][32];
    memset(units, 0, sizeof units);
    if (rc)
        goto done;
    /* The scenario and the first point must load: a mistyped key is an
       error of the command, not of a point. */
    {
        gpb_scenario *s = NULL;
        char *sets = point_sets(a, &d, 0);
        if (!sets || cli_load_scenario_set(a->scenario, sets, &s)) {
            free(sets);
            rc = CLI_BAD_INPUT;
            goto done;
        }
        free(sets);
        /* The metrics' units, from one path of the first point on every
           rank: under mpirun rank 0 may run no point at all. */
        gpb_sim_options o1;
        gpb_sim_options_default(&o1);
        o1.paths = 1;
        o1.threads = 1;
        gpb_result *r1 = NULL;
        gpb_error e1;
        if (gpb_sim_run(s, &o1, &r1, &e1) == GPB_OK)
            for (size_t m = 0; m < nm && !rc; m++) {
                size_t i;
                gpb_error em;
                if (!gpb_result_metric_find(r1, a->metrics[m], &i, &em)) {
                    snprintf(units[m], 32, "%s",
                             gpb_result_metric_unit(r1, i));
                } else {
                    /* Every point would say so; once, before any runs (a
                       user review found a table of 'failed', status 0). */
                    cli_error("--metrics: %s", em.message);
                    rc = CLI_BAD_INPUT;
                }
            }
        gpb_result_free(r1);
        gpb_scenario_free(s);
        if (rc)
            goto done;
    }
    rows = calloc(d.n * nm * GPB_SWEEP_STATS + 1, sizeof *rows);
    errors = calloc(d.n + 1, sizeof *errors);
    mine = calloc(d.n + 1, sizeof *mine);
    bytes = calloc(d.n + 1, sizeof *bytes);
    lens_mine = calloc(d.n + 1, sizeof *lens_mine);
    bufs = calloc(d.n + 1, sizeof *bufs);
    lens = calloc(d.n + 1, sizeof *lens);
    if (!rows || !errors || !mine || !bytes || !lens_mine || !bufs || !lens) {
        cli_error("out of memory");
        rc = CLI_INTERNAL;
        goto done;
    }
    double *row = malloc(nm * GPB_SWEEP_STATS * sizeof *row + 1);
    if (!row) {
        rc = CLI_INTERNAL;
        goto done;
    }
    cli_mpi_tasks_begin((long)d.n);
    for (long p; (p = cli_mpi_tasks_next()) >= 0;) {
        gpb_error e;
        gpb_error_clear(&e);
        for (size_t i = 0; i < nm * GPB_SWEEP_STATS; i++)
            row[i] = NAN;
        char *warn = NULL;
        gpb_status st = run_point(a, &d, (size_t)p, row, &warn, &e);
        mine[nmine] = p;
        bytes[nmine] = pack_point(st, &e, warn, row, nm, &lens_mine[nmine]);
        free(warn);
        if (!bytes[nmine]) {
            rc = CLI_INTERNAL;
            break;
        }
        nmine++;
        if (!a->quiet && cli_mpi_size() == 1 && isatty(2))
            fprintf(stderr, "\rpoint %ld of %zu", p + 1, d.n);
    }
    cli_mpi_tasks_end();
    free(row);
    if (!a->quiet && cli_mpi_size() == 1 && isatty(2))
        fputs("\r\033[K", stderr);
    if (cli_mpi_gather_tasks((long)d.n, mine, nmine, bytes, lens_mine, bufs,
                             lens) ||
        rc) {
        cli_error("out of memory gathering the points");
        rc = CLI_INTERNAL;
        goto done;
    }
    if (!cli_mpi_root())
        goto done;
    warns = calloc(d.n + 1, sizeof *warns);
    if (!warns) {
        cli_error("out of memory");
        rc = CLI_INTERNAL;
        goto done;
    }
    for (size_t p = 0; p < d.n; p++)
        if (!bufs[p] || unpack_point(bufs[p], lens[p], nm,
                                     rows + p * nm * GPB_SWEEP_STATS, &errors[p],
                                     &warns[p])) {
            cli_error("point %zu: its result was lost", p);
            rc = CLI_INTERNAL;
            goto done;
        }
    print_point_warnings(a, &d, warns);
    {
        const char *keys[SWEEP_MAX_AXES], *unit_ptr[32];
        for (size_t k = 0; k < K; k++)
            keys[k] = a->ax[k].key;
        for (size_t m = 0; m < nm; m++)
            unit_ptr[m] = units[m];
        gpb_sweep_table t = {
            .scenario_name = a->scenario,
            .currency = GPB_CURRENCY_NONE,
            .paths = a->paths,
            .seed = a->seed,
            .latin_hypercube = a->samples > 0,
            .n_keys = K,
            .keys = keys,
            .n_points = d.n,
            .values = d.values,
            .numeric = d.numeric,
            .n_metrics = nm,
            .metrics = a->metrics,
            .units = unit_ptr,
            .rows = rows,
            .errors = (const char *const *)errors,
        };
        gpb_error e;
        char *text = NULL;
        if (a->csv) {
            if (gpb_report_sweep_csv(&t, &text, &e)) {
                cli_error_gpb("csv", &e);
                rc = CLI_INTERNAL;
                goto done;
            }
            int w = cli_write_file(a->csv, text, 1);
            gpb_free(text);
            if (w) {
                rc = CLI_BAD_INPUT;
                goto done;
            }
        }
        if (a->html) {
            text = NULL;
            if (gpb_report_sweep_html(&t, &text, &e)) {
                cli_error_gpb("html", &e);
                rc = CLI_INTERNAL;
                goto done;
            }
            int w = cli_write_file(a->html, text, 1);
            gpb_free(text);
            if (w) {
                rc = CLI_BAD_INPUT;
                goto done;
            }
        }
        if (a->xlsx && gpb_report_sweep_xlsx_write(&t, a->xlsx, &e)) {
            cli_error_gpb("xlsx", &e);
            rc = CLI_BAD_INPUT;
            goto done;
        }
        if (a->json) {
            text = NULL;
            if (gpb_report_sweep_json(&t, &text, &e)) {
                cli_error_gpb("json", &e);
                rc = CLI_INTERNAL;
                goto done;
            }
            fputs(text, stdout);
            fputc('\n', stdout);
            gpb_free(text);
        } else if (!a->quiet) {
            print_table(a, &d, rows, errors, units);
        }
        /* A point whose values the scenario refuses is bad input: the
           table keeps its row and why, and the status says so. */
        size_t nbad = 0;
        for (size_t p = 0; p < d.n; p++)
            nbad += errors[p] != NULL;
        if (nbad && !rc) {
            cli_error("%zu of %zu point%s failed (%s says why)", nbad, d.n,
                      d.n == 1 ? "" : "s",
                      nbad == 1 ? "its row" : "their rows");
            rc = CLI_BAD_INPUT;
        }
    }
done:
    if (errors)
        for (size_t p = 0; p < d.n; p++)
            free(errors[p]);
    if (warns)
        for (size_t p = 0; p < d.n; p++)
            free(warns[p]);
    free(warns);
    if (bufs)
        for (size_t p = 0; p < d.n; p++)
            free(bufs[p]);
    for (size_t k = 0; bytes && k < nmine; k++)
        free(bytes[k]);
    free(errors);
    free(bufs);
    free(lens);
    free(bytes);
    free(lens_mine);
    free(mine);
    free(rows);
    design_free(&d, K);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (!rc) {
        /* An output over the scenario, or two outputs one file. */
        static const char *const opts[] = {"--csv", "--html", "--xlsx"};
        const char *outs[] = {a.csv, a.html, a.xlsx};
        rc = cli_check_outputs(&a.scenario, 1, opts, outs, 3);
    }
    if (rc == -1)
        rc = CLI_OK;
    else if (!rc)
        rc = sweep_main(&a);
    args_free(&a);
    return rc;
}
