/*
 * The scenario's data work (`data:`; docs/scenario.md): corpora processed,
 * licensed and labelled before the runs they feed can start. Each item is
 * costed per path by gpb_data_work_compute (the finance layer) and booked
 * as spend.data; its figures have no defaults, so each one a scenario
 * uses is written, with its source, in the scenario.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_read.h"

static const char *const STAGES[GPB__DATA_STAGES] = {"filtering", "dedup",
                                                    "classification"};

static const gpb__vspec SP_UNITS = {
    .expect = "a number of tokens or documents",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = 1e18,
};
static const gpb__vspec SP_HOURS_PER_B = {
    .expect = "hours per billion tokens or documents",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = 1e12,
};
static const gpb__vspec SP_CPU_PRICE = {
    .expect = "a price per CPU core-hour",
    .kind = GPB_QTY_MONEY_PER_HOUR,
    .lo = 0,
    .hi = INFINITY,
    .flags = GPB__V_NOT_GPU,
};
static const gpb__vspec SP_GPU_PRICE = {
    .expect = "a price per GPU-hour",
    .kind = GPB_QTY_MONEY_PER_HOUR,
    .lo = 0,
    .hi = INFINITY,
};
static const gpb__vspec SP_AMOUNT = {
    .expect = "an amount of money",
    .kind = GPB_QTY_MONEY,
    .lo = 0,
    .hi = INFINITY,
};
static const gpb__vspec SP_COUNT = {
    .expect = "a number",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = 1e15,
};
static const gpb__vspec SP_WORKERS = {
    .expect = "a number of cores, GPUs or people",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = 1e9,
};
static const gpb__vspec SP_SHARE = {
    .expect = "a fraction", .kind = GPB_QTY_NUMBER, .lo = 0, .hi = 1};
static const gpb__vspec SP_DMONTH = {
    .expect = "a month",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = GPB__MAX_HORIZON_MONTHS,
    .from_hours = 1.0 / GPB_HOURS_PER_MONTH,
};
/* The month a work starts: the engine rounds it (month_of). */
static const gpb__vspec SP_DSTART = {
    .expect = "a month",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = GPB__MAX_HORIZON_MONTHS,
    .flags = GPB__V_ROUNDED,
    .from_hours = 1.0 / GPB_HOURS_PER_MONTH,
};

/* filtering / dedup / classification: {cpu_hours_per_billion,
   gpu_hours_per_billion}. */
static void load_stage(gpb__loader *L, gpb__data *d, int k,
                       const gpb__ynode *m, const char *p)
{
    static const char *const keys[] = {"cpu_hours_per_billion",
                                       "gpu_hours_per_billion", NULL};
    const gpb__ynode *st = gpb__sc_get(m, STAGES[k]);
    if (!st)
        return;
    gpb__pathbuf sp;
    gpb__sc_path_key(sp, p, STAGES[k]);
    if (!gpb__sc_check_map(L, st, sp, "a stage's hours per billion", keys))
        return;
    d->cpu_per_billion[k] = gpb__sc_input(L, st, sp, "cpu_hours_per_billion",
                                          &SP_HOURS_PER_B, 0, NAN);
    d->gpu_per_billion[k] = gpb__sc_input(L, st, sp, "gpu_hours_per_billion",
                                          &SP_HOURS_PER_B, 0, NAN);
    if (d->cpu_per_billion[k] == GPB__NONE &&
        d->gpu_per_billion[k] == GPB__NONE && !L->nomem)
        gpb__sc_report(L, GPB_ESCHEMA, st, sp,
                       "expected cpu_hours_per_billion or "
                       "gpu_hours_per_billion, found neither");
}

static void load_labels(gpb__loader *L, gpb__data *d, const gpb__ynode *m,
                        const char *p)
{
    static const char *const keys[] = {"count", "price_per_label",
                                       "per_annotator_per_day", "annotators",
                                       NULL};
    const gpb__ynode *lb = gpb__sc_get(m, "labels");
    if (!lb)
        return;
    gpb__pathbuf lp;
    gpb__sc_path_key(lp, p, "labels");
    if (!gpb__sc_check_map(L, lb, lp, "human labels", keys))
        return;
    d->labels = gpb__sc_input(L, lb, lp, "count", &SP_COUNT, 1, NAN);
    d->price_per_label =
        gpb__sc_input(L, lb, lp, "price_per_label", &SP_AMOUNT, 1, NAN);
    d->labels_per_annotator_per_day = gpb__sc_input(
        L, lb, lp, "per_annotator_per_day", &SP_COUNT, 0, NAN);
    d->annotators =
        gpb__sc_input(L, lb, lp, "annotators", &SP_WORKERS, 0, NAN);
    int has_rate = d->labels_per_annotator_per_day != GPB__NONE;
    int has_heads = d->annotators != GPB__NONE;
    if (has_rate != has_heads)
        gpb__sc_report(L, GPB_ESCHEMA, lb, lp,
                       "give both per_annotator_per_day and annotators (the "
                       "labelling time needs both), or neither");
}

/* runs: [names] — the runs that wait; all of them when absent. */
static void load_feeds(gpb__loader *L, gpb__data *d, const gpb__ynode *m,
                       const char *p)
{
    gpb_scenario *s = L->s;
    d->feeds = calloc(s->n_training + 1, 1);
    if (!d->feeds) {
        L->nomem = 1;
        return;
    }
    const gpb__ynode *list = gpb__sc_list(L, m, p, "runs", "run names");
    if (!gpb__sc_get(m, "runs")) {
        memset(d->feeds, 1, s->n_training);
        return;
    }
    if (!list)
        return;
    gpb__pathbuf lp;
    gpb__sc_path_key(lp, p, "runs");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *n = list->kids[i];
        gpb__pathbuf ip;
        char fb[96];
        gpb__sc_path_index(ip, lp, i);
        if (!gpb__sc_is_text(n)) {
            gpb__sc_report(L, GPB_ESCHEMA, n, ip,
                           "expected a training run's name, found %s",
                           gpb__sc_found(n, fb, sizeof fb));
            continue;
        }
        size_t j = 0;
        while (j < s->n_training &&
               !(s->training[j].name && !strcmp(s->training[j].name, n->text)))
            j++;
        if (j < s->n_training) {
            d->feeds[j] = 1;
            continue;
        }
        const char **names = malloc((s->n_training + 1) * sizeof *names);
        size_t nn = 0;
        for (size_t k = 0; names && k < s->n_training; k++)
            if (s->training[k].name)
                names[nn++] = s->training[k].name;
        const char *near =
            names ? gpb__sc_nearest(L, n->text, names, nn, NULL, 1) : NULL;
        if (near)
            gpb__sc_report(L, GPB_ESCHEMA, n, ip,
                           "unknown training run '%s'; did you mean '%s'?",
                           gpb__sc_clip(n->text, fb, sizeof fb), near);
        else
            gpb__sc_report(L, GPB_ESCHEMA, n, ip,
                           "unknown training run '%s'",
                           gpb__sc_clip(n->text, fb, sizeof fb));
        free(names);
    }
}

void gpb__sc_load_data(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {
        "name",      "start_month", "tokens",    "documents",
        "filtering", "dedup",       "classification",
        "cpu_price_per_hour", "gpu_price_per_hour", "cpus", "gpus",
        "kept",      "licensing",   "labels",    "months", "runs", NULL};
    const gpb__ynode *list = gpb__sc_list(L, root, "", "data", "data work");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->data = calloc(list->n_kids, sizeof *s->data);
    if (!s->data) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "name");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "data", i);
        if (!gpb__sc_check_map(L, m, p, "data work", keys))
            continue;
        gpb__data *d = &s->data[s->n_data++];
        d->line = m->line;
        d->column = m->column;
        d->name = gpb__sc_str(L, m, p, "name", 1, "the data work's name");
        gpb__sc_check_unique(L, list, rep, i, "name", p, "data work name");
        d->start_month =
            gpb__sc_input(L, m, p, "start_month", &SP_DSTART, 0, 0.0);
        int has_t = gpb__sc_get(m, "tokens") != NULL;
        int has_d = gpb__sc_get(m, "documents") != NULL;
        if (has_t == has_d) {
            gpb__sc_report(L, GPB_ESCHEMA, m, p,
                           has_t ? "give tokens or documents, not both"
                                 : "missing key 'tokens' or 'documents' "
                                   "(the raw units processed)");
            d->units = GPB__NONE;
        } else {
            d->units_are_documents = has_d;
            d->units = gpb__sc_input(L, m, p, has_d ? "documents" : "tokens",
                                     &SP_UNITS, 1, NAN);
        }
        int any_cpu = 0, any_gpu = 0;
        for (int k = 0; k < GPB__DATA_STAGES; k++) {
            d->cpu_per_billion[k] = d->gpu_per_billion[k] = GPB__NONE;
            load_stage(L, d, k, m, p);
            any_cpu |= d->cpu_per_billion[k] != GPB__NONE;
            any_gpu |= d->gpu_per_billion[k] != GPB__NONE;
        }
        /* A price is needed where there are hours to price. */
        d->cpu_price_per_hour = gpb__sc_input(L, m, p, "cpu_price_per_hour",
                                              &SP_CPU_PRICE, any_cpu, NAN);
        d->gpu_price_per_hour = gpb__sc_input(L, m, p, "gpu_price_per_hour",
                                              &SP_GPU_PRICE, any_gpu, NAN);
        d->cpus = gpb__sc_input(L, m, p, "cpus", &SP_WORKERS, 0, NAN);
        d->gpus = gpb__sc_input(L, m, p, "gpus", &SP_WORKERS, 0, NAN);
        d->kept = gpb__sc_input(L, m, p, "kept", &SP_SHARE, 0, 1.0);
        d->licensing =
            gpb__sc_input(L, m, p, "licensing", &SP_AMOUNT, 0, NAN);
        d->labels = d->price_per_label = GPB__NONE;
        d->labels_per_annotator_per_day = d->annotators = GPB__NONE;
        load_labels(L, d, m, p);
        d->min_months = gpb__sc_input(L, m, p, "months", &SP_DMONTH, 0, NAN);
        load_feeds(L, d, m, p);
    }
    free(rep);
}

void gpb__sc_free_data(gpb_scenario *s)
{
    for (size_t i = 0; i < s->n_data; i++) {
        free(s->data[i].name);
        free(s->data[i].feeds);
    }
    free(s->data);
    s->data = NULL;
    s->n_data = 0;
}
