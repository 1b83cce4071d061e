/*
 * Monte Carlo in a cell (gpubudget/cells.h): scenario runs cached by (file
 * contents, overrides, paths, seed).
 *
 * The cache is a doubly linked list in most-recently-used order, guarded by
 * one mutex. Invariants, under the mutex:
 *   - every entry in the list has a distinct key;
 *   - an entry is RUNNING while one thread loads and simulates it (without
 *     the mutex held) and DONE after; threads asking for a RUNNING entry
 *     wait on the condition variable instead of running it again;
 *   - refs counts the threads using an entry; an entry leaves the list when
 *     the list is longer than GPB_CELLS_CACHE_MAX (least recently used DONE
 *     entries with refs == 0 first) or on gpb_cells_cache_clear, and is
 *     freed once it has left the list and refs is 0.
 * Looking an entry up costs one hash comparison per entry (at most about
 * GPB_CELLS_CACHE_MAX) plus one comparison of the file's bytes on a match.
 * A second mutex lets one simulation run at a time (see g_run_mu); it is
 * never taken with g_mu held, so the two cannot deadlock.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cells_internal.h"
#include "gpubudget/scenario.h"
#include "gpubudget/sim.h"
#include "scenario_read.h"

enum { ENTRY_RUNNING, ENTRY_DONE };

typedef struct entry {
    struct entry *prev, *next;
    uint64_t hash;
    char *text; /* the file's bytes */
    size_t len;
    char *overrides; /* as given ("" for none) */
    size_t paths;
    uint64_t seed;
    int raise_months;   /* the run's runway target (gpb_sim_options) */
    int state;
    int refs;
    int listed;         /* 1 while in the list */
    gpb_result *result; /* NULL when the run failed */
    gpb_error err;      /* why it failed */
} entry;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
/* Held while a simulation runs: gpb_sim_run already uses every core, so
   a sheet's runs go one after another rather than fighting for cores.
   Loading is not serialised. */
static pthread_mutex_t g_run_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static entry *g_head, *g_tail;
static size_t g_count;
static double g_runs, g_hits;

/* FNV-1a, 64-bit (Fowler, Noll, Vo): a fast filter before memcmp. */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211u;
    }
    return h;
}

static void entry_free(entry *e)
{
    if (!e)
        return;
    gpb_result_free(e->result);
    free(e->text);
    free(e->overrides);
    free(e);
}

static void unlink_entry(entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        g_head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        g_tail = e->prev;
    e->prev = e->next = NULL;
    e->listed = 0;
    g_count--;
}

static void push_front(entry *e)
{
    e->prev = NULL;
    e->next = g_head;
    if (g_head)
        g_head->prev = e;
    g_head = e;
    if (!g_tail)
        g_tail = e;
    e->listed = 1;
    g_count++;
}

/* Drops least recently used entries nobody is using until the list fits
   (or only busy entries are left). */
static void evict(void)
{
    entry *e = g_tail;
    while (g_count > GPB_CELLS_CACHE_MAX && e) {
        entry *prev = e->prev;
        if (e->state == ENTRY_DONE && e->refs == 0) {
            unlink_entry(e);
            entry_free(e);
        }
        e = prev;
    }
}

static entry *find(uint64_t hash, const char *text, size_t len,
                   const char *overrides, size_t paths, uint64_t seed,
                   int raise_months)
{
    for (entry *e = g_head; e; e = e->next)
        if (e->hash == hash && e->len == len && e->paths == paths &&
            e->seed == seed && e->raise_months == raise_months &&
            !strcmp(e->overrides, overrides) &&
            !memcmp(e->text, text, len))
            return e;
    return NULL;
}

static void release(entry *e)
{
    pthread_mutex_lock(&g_mu);
    e->refs--;
    int dead = !e->listed && e->refs == 0;
    pthread_mutex_unlock(&g_mu);
    if (dead)
        entry_free(e);
}

/* Formats the first problem of a failed load, and how many more. */
static void load_error(gpb_error *err, gpb_status st,
                       const gpb_diagnostics *d)
{
    size_t n = gpb_diagnostics_count(d);
    const gpb_error *first = gpb_diagnostics_at(d, 0);
    if (!first) {
        gpb__fail(err, st, "the scenario could not be loaded");
        return;
    }
    *err = *first;
    err->status = st;
    if (n > 1) {
        size_t len = strlen(err->message);
        snprintf(err->message + len, sizeof err->message - len,
                 " (and %zu more problem%s)", n - 1, n > 2 ? "s" : "");
    }
}

/* Loads and simulates an entry's key (no lock held). */
static void run_entry(entry *e, const char *file)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    gpb_status st = gpb_scenario_load_string_with_overrides(
        e->text, e->len, file, e->overrides, &s, &d);
    if (st) {
        load_error(&e->err, st, d);
        gpb_diagnostics_free(d);
        return;
    }
    gpb_sim_options opt;
    gpb_sim_options_default(&opt);
    opt.paths = e->paths;
    opt.seed = e->seed;
    opt.raise_months = e->raise_months;
    pthread_mutex_lock(&g_run_mu);
    st = gpb_sim_run(s, &opt, &e->result, &e->err);
    pthread_mutex_unlock(&g_run_mu);
    if (st) {
        e->err.status = st;
        e->result = NULL;
    }
    gpb_scenario_free(s);
}

/* GPB_RAISE's refusal of a runway target past horizon H: how long cash
   lasts past the horizon is not simulated (raise --months and the Python
   binding refuse it too). */
static gpb_status past_horizon(gpb__cell *c, double months, int H)
{
    return gpb__cell_fail(c, GPB_ERANGE, "runway_months",
                          "%.17g is past the scenario's horizon of %d "
                          "months; a runway target is a whole number of "
                          "months from 1 to the horizon",
                          months, H);
}

/*
 * The cached run for a key, running it if need be. Returns the entry with
 * a reference held (release it), or NULL with c->err set when the file
 * cannot be read, memory runs out, or a runway target is past the
 * scenario's horizon (found before anything runs).
 */
static entry *acquire(gpb__cell *c, const char *file, const char *overrides,
                      size_t paths, uint64_t seed, int raise_months)
{
    char *text = NULL;
    size_t len = 0;
    if (gpb__scenario_read_file(file, &text, &len, &c->err)) {
        c->err.source[0] = '\0'; /* the message names the file */
        return NULL;
    }
    if (!overrides)
        overrides = "";
    uint64_t h = fnv1a(14695981039346656037u, text, len);

    pthread_mutex_lock(&g_mu);
    entry *e = find(h, text, len, overrides, paths, seed, raise_months);
    if (!e && raise_months > 0) {
        /* Not cached: a runway target at the horizon is the whole
           horizon's raise, which the plain run answers, cached with every
           other cell's (a review counted a run for each such GPB_RAISE);
           one past it is refused (gpb_cells_raise) from that run too. The
           scenario is read for its horizon only on this miss. */
        pthread_mutex_unlock(&g_mu);
        gpb_scenario *s = NULL;
        int H = -1;
        if (gpb_scenario_load_string_with_overrides(text, len, file,
                                                    overrides, &s,
                                                    NULL) == GPB_OK)
            H = gpb_scenario_horizon_months(s);
        gpb_scenario_free(s);
        if (H >= 0 && raise_months > H) {
            free(text);
            past_horizon(c, raise_months, H);
            return NULL;
        }
        if (H >= 0 && raise_months == H)
            raise_months = 0;
        pthread_mutex_lock(&g_mu);
        e = find(h, text, len, overrides, paths, seed, raise_months);
    }
    if (e) {
        e->refs++;
        g_hits++;
        while (e->state == ENTRY_RUNNING)
            pthread_cond_wait(&g_cv, &g_mu);
        if (e->listed && e != g_head) {
            unlink_entry(e);
            push_front(e);
        }
        pthread_mutex_unlock(&g_mu);
        free(text);
        return e;
    }
    e = calloc(1, sizeof *e);
    char *ov = gpb__strdup(overrides);
    if (!e || !ov) {
        pthread_mutex_unlock(&g_mu);
        free(e);
        free(ov);
        free(text);
        gpb__fail(&c->err, GPB_ENOMEM, "out of memory");
        return NULL;
    }
    e->hash = h;
    e->text = text;
    e->len = len;
    e->overrides = ov;
    e->paths = paths;
    e->seed = seed;
    e->raise_months = raise_months;
    e->state = ENTRY_RUNNING;
    e->refs = 1;
    push_front(e);
    g_runs++;
    evict();
    pthread_mutex_unlock(&g_mu);

    run_entry(e, file);

    pthread_mutex_lock(&g_mu);
    e->state = ENTRY_DONE;
    /* Running out of memory or being cancelled says nothing about the key:
       do not keep it. */
    if (!e->result && (e->err.status == GPB_ENOMEM ||
                       e->err.status == GPB_ECANCELLED) && e->listed)
        unlink_entry(e);
    evict();
    pthread_cond_broadcast(&g_cv);
    pthread_mutex_unlock(&g_mu);
    return e;
}

double gpb_cells_scenario_runs(void)
{
    pthread_mutex_lock(&g_mu);
    double v = g_runs;
    pthread_mutex_unlock(&g_mu);
    return v;
}

double gpb_cells_cache_hits(void)
{
    pthread_mutex_lock(&g_mu);
    double v = g_hits;
    pthread_mutex_unlock(&g_mu);
    return v;
}

void gpb_cells_cache_clear(void)
{
    pthread_mutex_lock(&g_mu);
    entry *e = g_head;
    while (e) {
        entry *next = e->next;
        unlink_entry(e);
        if (e->refs == 0)
            entry_free(e);
        e = next;
    }
    g_runs = g_hits = 0;
    pthread_mutex_unlock(&g_mu);
}

/* ------------------------------------------------------------------------ */
/* The functions                                                             */
/* ------------------------------------------------------------------------ */

/* A cell's cap must be one the engine accepts. */
_Static_assert(GPB_CELLS_MAX_PATHS <= GPB_SIM_MAX_PATHS,
               "GPB_CELLS_MAX_PATHS above the engine's GPB_SIM_MAX_PATHS");

/* The arguments every scenario function shares. */
static gpb_status run_args(gpb__cell *c, const char *file, const char *paths,
                           const char *seed, size_t *n, uint64_t *s)
{
    gpb_sim_options dflt;
    gpb_sim_options_default(&dflt);
    double p;
    gpb_status st;
    if (gpb__cell_blank(file))
        return gpb__cell_fail(c, GPB_EINVAL, "file", "is required");
    /* Above the cap is a limit, said as such, before any whole-number
       check (cells.h, GPB_CELLS_MAX_PATHS). */
    if ((st = gpb__cell_number(c, "paths", paths, (double)dflt.paths, &p)))
        return st;
    if (p > GPB_CELLS_MAX_PATHS)
        return gpb__cell_fail(c, GPB_ELIMIT, "paths",
                              "at most %d paths in a cell (a million keep "
                              "about 0.5 GB), found %.17g; simulate more "
                              "with gpubudget run --paths",
                              GPB_CELLS_MAX_PATHS, p);
    if ((st = gpb__cell_whole(c, "paths", paths, (double)dflt.paths, 1,
                              GPB_CELLS_MAX_PATHS, &p)) ||
        (st = gpb__cell_seed(c, "seed", seed, dflt.seed, s)))
        return st;
    *n = (size_t)p;
    return GPB_OK;
}

/* Runs (or finds) the scenario; on success *out holds a reference. */
static gpb_status cached(gpb__cell *c, const char *file,
                         const char *overrides, const char *paths,
                         const char *seed, int raise_months, entry **out)
{
    size_t n = 0;
    uint64_t s = 0;
    gpb_status st = run_args(c, file, paths, seed, &n, &s);
    if (st)
        return st;
    entry *e = acquire(c, file, overrides, n, s, raise_months);
    if (!e)
        return c->err.status ? c->err.status : GPB_EIO;
    if (!e->result) {
        c->err = e->err;
        st = e->err.status ? e->err.status : GPB_ESCHEMA;
        release(e);
        return st;
    }
    *out = e;
    return GPB_OK;
}

typedef enum stat_kind {
    STAT_QUANTILE,
    STAT_MEAN,
    STAT_SE,
    STAT_PROB_LE,
    STAT_PROB_LT,
    STAT_PROB_GT,
    STAT_PROB_GE
} stat_kind;

/* Reads the threshold of "prob<=x": a number, or money in the result's
   currency. */
static gpb_status stat_threshold(gpb__cell *c, const char *text,
                                 const gpb_result *r, const char *metric,
                                 double *x)
{
    gpb_currency cur = gpb_result_currency(r);
    gpb_quantity q;
    gpb_error e;
    gpb_status st = gpb_units_parse(text, &q, &e);
    if (st)
        return gpb__cell_fail(c, st, "stat", "%s", e.message);
    /* Money against a metric that is not money (runway in months against
       "$5M") gave a plausible probability with status OK (a user
       review). */
    size_t m;
    if (q.kind == GPB_QTY_MONEY &&
        gpb_result_metric_find(r, metric, &m, NULL) == GPB_OK &&
        gpb_result_metric_unit_kind(r, m) != GPB_UNIT_MONEY)
        return gpb__cell_fail(c, GPB_EUNIT, "stat",
                              "%s is in %s, not money; write the threshold "
                              "as a number, found '%s'",
                              metric, gpb_result_metric_unit(r, m), text);
    if (q.kind != GPB_QTY_NUMBER && q.kind != GPB_QTY_MONEY)
        return gpb__cell_fail(c, GPB_EUNIT, "stat",
                              "expected a number or an amount after the "
                              "comparison, found %s '%s'",
                              gpb_qty_kind_name(q.kind), text);
    if (q.currency != GPB_CURRENCY_NONE && q.currency != cur)
        return gpb__cell_fail(c, GPB_ECURRENCY, "stat",
                              "the result is in %s; write the threshold in "
                              "%s, found '%s'",
                              gpb_currency_code(cur), gpb_currency_code(cur),
                              text);
    *x = q.value;
    return GPB_OK;
}

/* Parses stat (see cells.h); *level is the quantile, *text the threshold
   text of a probability. */
static gpb_status stat_parse(gpb__cell *c, const char *stat, stat_kind *k,
                             double *level, const char **threshold)
{
    *threshold = NULL;
    if (gpb__cell_blank(stat) || !gpb__strcasecmp(stat, "mean")) {
        *k = STAT_MEAN;
        return GPB_OK;
    }
    while (*stat == ' ' || *stat == '\t')
        stat++;
    if (!gpb__strcasecmp(stat, "se")) {
        *k = STAT_SE;
        return GPB_OK;
    }
    *k = STAT_QUANTILE;
    if (!gpb__strcasecmp(stat, "median")) {
        *level = 0.5;
        return GPB_OK;
    }
    if (!gpb__strcasecmp(stat, "min") || !gpb__strcasecmp(stat, "max")) {
        *level = (stat[1] | 0x20) == 'a' ? 1.0 : 0.0;
        return GPB_OK;
    }
    if ((stat[0] | 0x20) == 'p' && (stat[1] | 0x20) == 'r' &&
        (stat[2] | 0x20) == 'o' && (stat[3] | 0x20) == 'b') {
        const char *op = stat + 4;
        while (*op == ' ')
            op++;
        int eq = op[0] && op[1] == '=';
        if (op[0] == '<')
            *k = eq ? STAT_PROB_LE : STAT_PROB_LT;
        else if (op[0] == '>')
            *k = eq ? STAT_PROB_GE : STAT_PROB_GT;
        else
            return gpb__cell_fail(c, GPB_ESYNTAX, "stat",
                                  "expected prob<=x, prob<x, prob>x or "
                                  "prob>=x, found '%s'",
                                  stat);
        *threshold = op + 1 + eq;
        if (gpb__cell_blank(*threshold))
            return gpb__cell_fail(c, GPB_ESYNTAX, "stat",
                                  "expected a value after the comparison "
                                  "in '%s'",
                                  stat);
        return GPB_OK;
    }
    double v;
    gpb_error e;
    if ((stat[0] == 'p' || stat[0] == 'P') && stat[1] != '\0') {
        if (gpb_units_parse_number(stat + 1, &v, &e) || !(v >= 0) ||
            !(v <= 100))
            return gpb__cell_fail(c, GPB_ESYNTAX, "stat",
                                  "expected a percentile from p0 to p100, "
                                  "found '%s'",
                                  stat);
        *level = v / 100.0;
        return GPB_OK;
    }
    if (gpb_units_parse_number(stat, &v, &e))
        return gpb__cell_fail(c, GPB_ESYNTAX, "stat",
                              "expected a quantile level (0.1, 10%%, p10), "
                              "mean, se, median, min, max or prob<=x, found "
                              "'%s'",
                              stat);
    /* A level is a fraction: "90" gets the hint "did you mean 90%?". */
    if (gpb_units_parse_fraction(stat, GPB_FRAC_CLOSED, level, &e))
        return gpb__cell_fail(c, e.status, "stat", "%s", e.message);
    return GPB_OK;
}

double gpb_cells_scenario(const char *file, const char *metric,
                          const char *stat, const char *overrides,
                          const char *paths, const char *seed)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    stat_kind k = STAT_MEAN;
    double level = 0, v = 0, se, x = 0;
    const char *thr;
    entry *e = NULL;
    gpb_status st;
    if (gpb__cell_blank(metric))
        return gpb__cell_end(
            &c, gpb__cell_fail(&c, GPB_EINVAL, "metric", "is required"), 0);
    if ((st = stat_parse(&c, stat, &k, &level, &thr)) ||
        (st = cached(&c, file, overrides, paths, seed, 0, &e)))
        return gpb__cell_end(&c, st, 0);
    const gpb_result *r = e->result;
    switch (k) {
    case STAT_QUANTILE:
        st = gpb_result_quantile(r, metric, level, &v, &c.err);
        break;
    case STAT_MEAN:
        st = gpb_result_mean(r, metric, &v, &se, &c.err);
        break;
    case STAT_SE:
        st = gpb_result_mean(r, metric, &se, &v, &c.err);
        break;
    default:
        st = stat_threshold(&c, thr, r, metric, &x);
        if (st)
            break;
        /* P(X < x) = P(X <= the double just below x), exactly. */
        if (k == STAT_PROB_LT || k == STAT_PROB_GE)
            x = nextafter(x, -INFINITY);
        st = gpb_result_prob_at_most(r, metric, x, &v, &c.err);
        if (!st && (k == STAT_PROB_GT || k == STAT_PROB_GE))
            v = 1.0 - v;
        break;
    }
    release(e);
    return gpb__cell_end(&c, st, v);
}

double gpb_cells_raise(const char *file, const char *runway_months,
                       const char *confidence, const char *overrides,
                       const char *paths, const char *seed)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    double months, conf, v = 0;
    entry *e = NULL;
    gpb_status st;
    if ((st = gpb__cell_whole(&c, "runway_months", runway_months, 0, 1,
                              1e9, &months)) ||
        (st = gpb__cell_fraction(&c, "confidence", confidence, 0.9,
                                 GPB_FRAC_CLOSED, &conf)) ||
        (st = cached(&c, file, overrides, paths, seed, (int)months, &e)))
        return gpb__cell_end(&c, st, 0);
    const gpb_result *r = e->result;
    int H = gpb_result_horizon_months(r);
    if (months > H) /* the run was cached: refused from it */
        st = past_horizon(&c, months, H);
    else if (months == 0 || months == H)
        st = gpb_result_raise_needed(r, conf, &v, &c.err);
    else
        st = gpb_result_raise_for_runway(r, (int)months, conf, &v, &c.err);
    release(e);
    return gpb__cell_end(&c, st, v);
}

double gpb_cells_prob_out_of_cash(const char *file, const char *month,
                                  const char *overrides, const char *paths,
                                  const char *seed)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    double m, v = 0;
    entry *e = NULL;
    gpb_status st;
    if ((st = gpb__cell_whole(&c, "month", month, NAN, 0, 1e9, &m)) ||
        (st = cached(&c, file, overrides, paths, seed, 0, &e)))
        return gpb__cell_end(&c, st, 0);
    v = gpb_result_prob_out_of_cash_by(e->result, (int)m);
    release(e);
    return gpb__cell_end(&c, st, v);
}
