/*
 * Compiling a scenario into the engine's plan (engine.h): which inputs vary
 * and how each is drawn, the processes a month runs, the metrics a path
 * reports. Everything that is the same on every path is resolved here,
 * once, so the kernels never look a month or an index up per path-month.
 */
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#include "engine.h"
#include "gpubudget/compute.h"
#include "formula.h"
#include "internal.h"
#include "stream.h"

/* ---- inverse CDF tables ------------------------------------------------ */

static int qtable_wanted(const gpb_dist *d)
{
    return d->kind == GPB_DIST_BETA || d->kind == GPB_DIST_PERT ||
           d->kind == GPB_DIST_GAMMA;
}

/* A table being built: its body's nodes in chunks of QT_CHUNK, claimed one
   at a time by the threads that fill it. */
#define QT_CHUNK 256
#define QT_CHUNKS ((QT_N + 1 + QT_CHUNK - 1) / QT_CHUNK)
typedef struct qt_job {
    const gpb_dist *d;
    eng_qtable *t;
    atomic_int next;
} qt_job;

static void *qtable_fill(void *arg)
{
    qt_job *j = arg;
    const double n = QT_N;
    for (int c; (c = atomic_fetch_add(&j->next, 1)) < QT_CHUNKS;) {
        int k1 = (c + 1) * QT_CHUNK < QT_N + 1 ? (c + 1) * QT_CHUNK : QT_N + 1;
        for (int k = c * QT_CHUNK; k < k1; k++)
            j->t->body[k] = gpb_dist_quantile(j->d, k / n);
    }
    return NULL;
}

/* Node k of an end cell (side 0: lo, 1: hi), exact. The ends of an
   unbounded law (gamma's upper tail) are infinite: the last node takes
   the level just inside. */
static double tail_node(const gpb_dist *d, int side, int k)
{
    const double n = QT_N, n2 = (double)QT_N * QT_N;
    if (side == 0)
        return gpb_dist_quantile(d, k / n2);
    double x = gpb_dist_quantile(d, 1.0 - 1.0 / n + k / n2);
    if (k == QT_N && !isfinite(x))
        x = gpb_dist_quantile(d, 1.0 - 0x1p-53);
    return x;
}

/* The body's 4,097 exact quantiles cost ~1.5 µs each (beta by Newton on
   the incomplete beta), ~6 ms on one core before the first path of a run
   can start: they are computed on every core. Each node is computed
   alone, so the table is the same on any number of threads. The end
   cells' nodes come when asked (engine.h). */
static eng_qtable *qtable_build(const gpb_dist *d)
{
    eng_qtable *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->d = *d;
    t->d.data = NULL; /* beta, PERT and gamma have none */
    t->d.n = 0;
    for (int side = 0; side < 2; side++)
        for (int k = 0; k <= QT_N; k++)
            atomic_init(&t->tail[side][k], 0);
    if (pthread_mutex_init(&t->fill, NULL)) {
        free(t);
        return NULL;
    }
    qt_job j = {.d = &t->d, .t = t};
    atomic_init(&j.next, 0);
    gpb__fork_join(gpb__threads_for(0, QT_CHUNKS), qtable_fill, &j);
    if (!isfinite(t->body[QT_N]))
        t->body[QT_N] = tail_node(&t->d, 1, QT_N);
    return t;
}

/* Node k of an end cell, computed on first use: under the table's lock,
   published by the release store its readers' acquire load pairs with.
   The table is shared and logically const (the cache of nodes aside). */
static double tail_get(const eng_qtable *ct, int side, int k)
{
    eng_qtable *t = (eng_qtable *)ct;
    double *v = side ? t->hi : t->lo;
    if (atomic_load_explicit(&t->tail[side][k], memory_order_acquire))
        return v[k];
    pthread_mutex_lock(&t->fill);
    if (!atomic_load_explicit(&t->tail[side][k], memory_order_relaxed)) {
        v[k] = tail_node(&t->d, side, k);
        atomic_store_explicit(&t->tail[side][k], 1, memory_order_release);
    }
    pthread_mutex_unlock(&t->fill);
    return v[k];
}

double gpb__qtable_eval(const eng_qtable *t, double u)
{
    const double n = QT_N;
    int side = -1;
    double x;
    if (u < 1.0 / n) {
        side = 0;
        x = u * n * n;
    } else if (u > 1.0 - 1.0 / n) {
        side = 1;
        x = (u - (1.0 - 1.0 / n)) * n * n;
    } else {
        x = u * n;
    }
    int k = (int)x;
    if (k >= QT_N)
        k = QT_N - 1;
    if (k < 0)
        k = 0;
    double f = x - k;
    if (side < 0)
        return t->body[k] + (t->body[k + 1] - t->body[k]) * f;
    double a = tail_get(t, side, k), b = tail_get(t, side, k + 1);
    return a + (b - a) * f;
}

/* The process-wide cache: a table per distinct distribution, built once
   and kept (a few hundred tables at most: 104 KiB each). */
#define QCACHE_MAX 256
static struct {
    gpb_dist_kind kind;
    double param[4];
    eng_qtable *t;
} qcache[QCACHE_MAX];
static size_t qcache_n;
static pthread_mutex_t qcache_lock = PTHREAD_MUTEX_INITIALIZER;

const eng_qtable *gpb__qtable_get(const gpb_dist *d)
{
    if (!qtable_wanted(d))
        return NULL;
    const eng_qtable *found = NULL;
    pthread_mutex_lock(&qcache_lock);
    for (size_t i = 0; i < qcache_n && !found; i++)
        if (qcache[i].kind == d->kind &&
            !memcmp(qcache[i].param, d->param, sizeof d->param))
            found = qcache[i].t;
    if (!found && qcache_n < QCACHE_MAX) {
        eng_qtable *t = qtable_build(d);
        if (t) {
            qcache[qcache_n].kind = d->kind;
            memcpy(qcache[qcache_n].param, d->param, sizeof d->param);
            qcache[qcache_n].t = t;
            qcache_n++;
            found = t;
        }
    }
    pthread_mutex_unlock(&qcache_lock);
    return found;
}

/* ---- processes --------------------------------------------------------- */

static void proc_input(eng_proc *pr, int idx)
{
    if (idx < 0 || pr->n_inputs >= ENG_PROC_INPUTS_MAX)
        return;
    for (int i = 0; i < pr->n_inputs; i++)
        if (pr->inputs[i] == idx)
            return;
    pr->inputs[pr->n_inputs++] = idx;
}

static eng_proc *proc_add(eng_plan *p, eng_kind kind, int index,
                          const char *list, const char *name, int cat)
{
    eng_proc *pr = &p->procs[p->n_procs++];
    memset(pr, 0, sizeof *pr);
    pr->kind = kind;
    pr->index = index;
    pr->cat = cat;
    if (name && *name)
        snprintf(pr->name, sizeof pr->name, "%s[%s]", list, name);
    else if (index >= 0)
        snprintf(pr->name, sizeof pr->name, "%s[%d]", list, index);
    else
        snprintf(pr->name, sizeof pr->name, "%s", list);
    pr->stream = gpb__stream_id(pr->name);
    return pr;
}

static void build_procs(eng_plan *p)
{
    const gpb_scenario *s = p->s;
    eng_proc *pr;
    if (s->price_drift_per_month >= 0 || s->price_volatility_per_month >= 0) {
        pr = proc_add(p, PK_PRICE, -1, "gpu_price_index", NULL, -1);
        proc_input(pr, s->price_drift_per_month);
        proc_input(pr, s->price_volatility_per_month);
    }
    size_t n_fleets = p->rent_only ? 0 : s->n_fleets;
    for (size_t k = 0; k < n_fleets; k++) {
        pr = proc_add(p, PK_FLEET_BEGIN, (int)k, "fleets",
                      s->fleets[k].name, -1);
        pr->stream = 0; /* draws nothing */
    }
    for (size_t k = 0; k < s->n_team; k++) {
        const gpb__team_role *t = &s->team[k];
        pr = proc_add(p, PK_TEAM, (int)k, "team", t->role, GPB_CAT_TEAM);
        int in[] = {t->count, t->add_per_month, t->max_count,
                    t->salary_per_year, t->on_cost_frac, t->start_month,
                    t->end_month};
        for (size_t i = 0; i < sizeof in / sizeof *in; i++)
            proc_input(pr, in[i]);
        p->cat_used[GPB_CAT_TEAM] = 1;
    }
    for (size_t k = 0; k < s->n_funding; k++) {
        const gpb__funding *f = &s->funding[k];
        pr = proc_add(p, PK_FUNDING, (int)k, "company.funding", f->name,
                      GPB_CAT_FUNDING);
        proc_input(pr, f->month);
        proc_input(pr, f->amount);
        proc_input(pr, f->probability);
        p->cat_used[GPB_CAT_FUNDING] = 1;
    }
    for (size_t k = 0; k < s->n_other; k++) {
        const gpb__other_cost *o = &s->other[k];
        pr = proc_add(p, PK_OTHER, (int)k, "other_costs", o->name,
                      GPB_CAT_OTHER);
        proc_input(pr, o->per_month);
        proc_input(pr, o->start_month);
        proc_input(pr, o->end_month);
        p->cat_used[GPB_CAT_OTHER] = 1;
    }
    for (size_t k = 0; k < s->n_data; k++) {
        const gpb__data *d = &s->data[k];
        pr = proc_add(p, PK_DATA, (int)k, "data", d->name, GPB_CAT_DATA);
        pr->stream = 0; /* draws nothing: its inputs are per path */
        int in[] = {d->start_month, d->units, d->cpu_price_per_hour,
                    d->gpu_price_per_hour, d->cpus, d->gpus, d->licensing,
                    d->labels, d->price_per_label,
                    d->labels_per_annotator_per_day, d->annotators,
                    d->min_months};
        for (size_t i = 0; i < sizeof in / sizeof *in; i++)
            proc_input(pr, in[i]);
        for (int j = 0; j < GPB__DATA_STAGES; j++) {
            proc_input(pr, d->cpu_per_billion[j]);
            proc_input(pr, d->gpu_per_billion[j]);
        }
        p->cat_used[GPB_CAT_DATA] = 1;
    }
    for (size_t k = 0; k < s->n_training; k++) {
        const gpb__training *t = &s->training[k];
        pr = proc_add(p, PK_RUN, (int)k, "training", t->name,
                      GPB_CAT_COMPUTE_RENT);
        int in[] = {t->price_per_gpu_hour, t->gpus, t->mfu, t->params,
                    t->tokens, t->active_params, t->n_layer, t->n_ctx,
                    t->d_model, t->peak_tflops, t->start_month,
                    t->exploration, t->gpu_mtbf_hours,
                    t->hours_lost_per_failure, t->checkpoint_minutes,
                    t->restart_minutes, t->divergence_per_month,
                    t->divergence_per_run, t->divergence_work_lost,
                    t->divergence_restart, t->reserve_months,
                    t->reserve_discount, t->spot_discount,
                    t->spot_preemption_loss};
        for (size_t i = 0; i < sizeof in / sizeof *in; i++)
            proc_input(pr, in[i]);
        if (t->follows_price_index) {
            proc_input(pr, s->price_drift_per_month);
            proc_input(pr, s->price_volatility_per_month);
        }
        if (p->acquire[k] != GPB__ACQUIRE_BUY)
            p->cat_used[GPB_CAT_COMPUTE_RENT] = 1;
    }
    for (size_t k = 0; k < s->n_capacity; k++) {
        const gpb__training *t = &s->capacity[k];
        pr = proc_add(p, PK_CAPACITY, (int)k, "capacity", t->name,
                      GPB_CAT_COMPUTE_RENT);
        int in[] = {t->price_per_gpu_hour, t->gpus, t->utilization,
                    t->start_month, t->months, t->reserve_months,
                    t->reserve_discount, t->spot_discount,
                    t->spot_preemption_loss};
        for (size_t i = 0; i < sizeof in / sizeof *in; i++)
            proc_input(pr, in[i]);
        if (p->cap_acquire[k] != GPB__ACQUIRE_BUY)
            p->cat_used[GPB_CAT_COMPUTE_RENT] = 1;
    }
    if (s->serving.present) {
        const gpb__serving *v = &s->serving;
        pr = proc_add(p, PK_SERVING, -1, "serving", NULL, GPB_CAT_SERVING);
        int in[] = {v->start_month, v->users_start, v->growth_per_month,
                    v->growth_volatility, v->max_users,
                    v->cost_per_user_per_month, v->params,
                    v->active_params, v->bytes_per_param, v->batch,
                    v->context_tokens, v->kv_bytes_per_token, v->mfu,
                    v->bw_frac, v->requests_per_user_per_day,
                    v->tokens_per_request, v->peak_to_mean, v->utilization,
                    v->price_per_gpu_hour, s->revenue.arpu_per_month,
                    s->revenue.paying_frac};
        for (size_t i = 0; i < sizeof in / sizeof *in; i++)
            proc_input(pr, in[i]);
        p->cat_used[GPB_CAT_SERVING] = 1;
        if (s->revenue.present)
            p->cat_used[GPB_CAT_REVENUE] = 1;
    }
    for (size_t k = 0; k < n_fleets; k++) {
        const gpb__fleet *f = &s->fleets[k];
        pr = proc_add(p, PK_FLEET, (int)k, "fleets", f->name,
                      GPB_CAT_HARDWARE);
        int in[] = {f->gpus, f->price_per_gpu, f->premium, f->overhead_frac,
                    f->buy_month, f->lead_time_months, f->delay_probability,
                    f->delay_months, f->tdp_watts, f->server_overhead,
                    f->pue, f->idle_power_frac, f->tariff_per_kwh,
                    f->colo_per_kw_month, f->maintenance_frac_per_year,
                    f->depreciation_life_months, f->resale_decline_per_year,
                    f->sell_month, f->rent_out_price_per_gpu_hour,
                    f->rent_out_utilization, f->loan_frac,
                    f->loan_rate_per_year, f->loan_months,
                    f->lease_frac_per_month};
        for (size_t i = 0; i < sizeof in / sizeof *in; i++)
            proc_input(pr, in[i]);
        static const gpb_category owned[] = {
            GPB_CAT_HARDWARE, GPB_CAT_FINANCING, GPB_CAT_POWER,
            GPB_CAT_HOSTING,  GPB_CAT_MAINTENANCE, GPB_CAT_RESALE};
        for (size_t i = 0; i < sizeof owned / sizeof *owned; i++)
            p->cat_used[owned[i]] = 1;
        if (f->rent_out_price_per_gpu_hour >= 0)
            p->cat_used[GPB_CAT_RENT_OUT] = 1;
        p->any_fleet = 1;
    }
    /* Serving rents what a fleet does not cover. */
    if (s->serving.present && s->serving.from_model)
        p->cat_used[GPB_CAT_SERVING] = 1;
}

/* Makes every stream id unique (a collision of two names' hashes would
   make them draw the same numbers): later ones are rehashed with a
   suffix. */
static void streams_unique(eng_plan *p)
{
    size_t n = p->n_procs + p->n_unc;
    for (size_t i = 0; i < n; i++) {
        uint32_t *id = i < p->n_procs ? &p->procs[i].stream
                                      : &p->unc_stream[i - p->n_procs];
        if (i < p->n_procs && p->procs[i].stream == 0)
            continue;
        for (int salt = 1;; salt++) {
            int clash = 0;
            for (size_t j = 0; j < i && !clash; j++) {
                uint32_t o = j < p->n_procs ? p->procs[j].stream
                                            : p->unc_stream[j - p->n_procs];
                clash = o == *id;
            }
            if (!clash)
                break;
            *id = *id * 16777619u ^ (uint32_t)salt;
        }
    }
}

/* ---- metrics ----------------------------------------------------------- */

/* Marks metric i as f(metric src) (engine.h). A metric the plan also
   knows to be constant keeps the mark, so the block still writes it by
   its formula, but is stored and summarised as a constant. */
static void derive(eng_plan *p, size_t i, int kind, size_t src, double d)
{
    eng_metric *m = &p->metrics[i];
    m->derived = kind;
    m->src = src;
    m->d = d;
}

static int metric_set(eng_metric *m, eng_mkind kind, int id, int owner,
                      gpb_unit unit, int dir, const char *name,
                      const char *label)
{
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->id = id;
    m->owner = owner;
    m->unit = unit;
    m->direction = dir;
    m->name = gpb__strdup(name);
    m->label = gpb__strdup(label);
    return m->name && m->label ? 0 : -1;
}

/* A fixed input's value, or its default when absent; NaN when it varies. */
static double fixed_or(const eng_plan *p, int idx, double dflt)
{
    return idx >= 0 ? p->fixed[idx] : dflt;
}

/* fixed_or as a gpb__input_value. */
static double fixed_value(const void *ctx, int idx, double dflt)
{
    return fixed_or(ctx, idx, dflt);
}

/*
 * A run's FLOPs and peak are the same on every path when the inputs they
 * come from are: then the plan knows them, and the engine keeps no array
 * for them (the compute layer's formula, as init_runs uses it).
 */
static void run_constant(const eng_plan *p, const gpb__training *t, int k,
                         eng_metric *m)
{
    if (k == GPB_RUN_PEAK) {
        double v = t->peak_tflops >= 0 ? p->fixed[t->peak_tflops] * 1e12
                                       : t->peak_flop_per_s;
        if (!isnan(v)) {
            m->constant = 1;
            m->value = v;
        }
    } else if (k == GPB_RUN_FLOPS) {
        /* An uncertain size is NaN here: the compute layer refuses it. */
        double flops;
        if (gpb__training_flops(t, fixed_value, p, &flops, NULL) != GPB_OK)
            return;
        m->constant = 1;
        m->value = flops;
    }
}

static gpb_status build_metrics(eng_plan *p, gpb_error *err)
{
    const gpb_scenario *s = p->s;
    size_t n = GPB_CAT_COUNT + GPB_METRIC_COUNT +
               s->n_training * GPB_RUN_METRIC_COUNT +
               s->n_capacity * GPB_CAP_METRIC_COUNT +
               s->n_funding * GPB_ROUND_METRIC_COUNT;
    p->metrics = calloc(n, sizeof *p->metrics);
    if (!p->metrics)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
    p->n_metrics = n;
    size_t i = 0;
    char name[256], label[256];
    p->m_cat0 = i;
    for (int c = 0; c < GPB_CAT_COUNT; c++, i++) {
        if (metric_set(&p->metrics[i], MK_CATEGORY, c, -1, GPB_UNIT_MONEY,
                       gpb_category_flow((gpb_category)c) == GPB_FLOW_SPEND
                           ? -1
                           : 1,
                       gpb_category_metric((gpb_category)c),
                       gpb_category_label((gpb_category)c)))
            goto oom;
        if (!p->cat_used[c]) {
            p->metrics[i].constant = 1;
            p->metrics[i].value = 0;
        }
    }
    p->m_path0 = i;
    static const struct {
        const char *key, *label;
        gpb_unit unit;
        int dir;
    } pm[] = {
#define GPB__PM(nm, key, unit, dir, label) {key, label, unit, dir},
        GPB_METRIC_MAP(GPB__PM)
#undef GPB__PM
    };
    for (int k = 0; k < GPB_METRIC_COUNT; k++, i++) {
        if (metric_set(&p->metrics[i], MK_PATH, k, -1, pm[k].unit, pm[k].dir,
                       pm[k].key, pm[k].label))
            goto oom;
        int zero = 0;
        switch (k) {
        case GPB_METRIC_GPU_HOURS:
        case GPB_METRIC_CARD_MONTHS:
            zero = s->n_training == 0;
            break;
        case GPB_METRIC_SERVING_DAY:
        case GPB_METRIC_USERS:
            zero = !s->serving.present;
            break;
        case GPB_METRIC_SERVING_GPUS:
            zero = !s->serving.present || !s->serving.from_model;
            break;
        case GPB_METRIC_DEPRECIATION:
            zero = !p->any_fleet;
            break;
        case GPB_METRIC_NPV_COST:
            zero = !p->npv;
            break;
        default:
            break;
        }
        if (zero) {
            p->metrics[i].constant = 1;
            p->metrics[i].value = 0;
        }
    }
    p->m_run0 = i;
    static const struct {
        const char *key, *label;
        gpb_unit unit;
        int dir;
    } rm[] = {
#define GPB__RM(nm, key, unit, dir, label) {key, label, unit, dir},
        GPB_RUN_METRIC_MAP(GPB__RM)
#undef GPB__RM
    };
    for (size_t r = 0; r < s->n_training; r++)
        for (int k = 0; k < GPB_RUN_METRIC_COUNT; k++, i++) {
            snprintf(name, sizeof name, "training.%s.%s", s->training[r].name,
                     rm[k].key);
            snprintf(label, sizeof label, "%s: %s", s->training[r].name,
                     rm[k].label);
            if (metric_set(&p->metrics[i], MK_RUN, k, (int)r, rm[k].unit,
                           rm[k].dir, name, label))
                goto oom;
            run_constant(p, &s->training[r], k, &p->metrics[i]);
        }
    p->m_cap0 = i;
    static const struct {
        const char *key, *label;
        gpb_unit unit;
        int dir;
    } cm[] = {
#define GPB__CM(nm, key, unit, dir, label) {key, label, unit, dir},
        GPB_CAP_METRIC_MAP(GPB__CM)
#undef GPB__CM
    };
    for (size_t r = 0; r < s->n_capacity; r++)
        for (int k = 0; k < GPB_CAP_METRIC_COUNT; k++, i++) {
            snprintf(name, sizeof name, "capacity.%s.%s", s->capacity[r].name,
                     cm[k].key);
            snprintf(label, sizeof label, "%s: %s", s->capacity[r].name,
                     cm[k].label);
            if (metric_set(&p->metrics[i], MK_CAP, k, (int)r, cm[k].unit,
                           cm[k].dir, name, label))
                goto oom;
        }
    p->m_round0 = i;
    static const struct {
        const char *key, *label;
        gpb_unit unit;
        int dir;
    } fm[] = {
#define GPB__FM(nm, key, unit, dir, label) {key, label, unit, dir},
        GPB_ROUND_METRIC_MAP(GPB__FM)
#undef GPB__FM
    };
    for (size_t r = 0; r < s->n_funding; r++)
        for (int k = 0; k < GPB_ROUND_METRIC_COUNT; k++, i++) {
            const char *rn = s->funding[r].name;
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", r);
            snprintf(name, sizeof name, "funding.%s.%s",
                     rn && *rn ? rn : idx, fm[k].key);
            snprintf(label, sizeof label, "funding %s: %s",
                     rn && *rn ? rn : idx, fm[k].label);
            if (metric_set(&p->metrics[i], MK_ROUND, k, (int)r, fm[k].unit,
                           fm[k].dir, name, label))
                goto oom;
        }
    /* Metrics that are a function of another's value on every path: of
       the horizon H (d = 1), of the hours in a month (d = 2), or of no
       constant (d = 0). */
    static const struct {
        int metric, kind, src, d;
    } dp[] = {
        {GPB_METRIC_SPEND_MONTHLY, GPB__DERIVE_DIV, GPB_METRIC_SPEND_TOTAL, 1},
        {GPB_METRIC_DEFICIT, GPB__DERIVE_DEFICIT, GPB_METRIC_CASH_MIN, 0},
        {GPB_METRIC_OUT, GPB__DERIVE_BELOW, GPB_METRIC_RUNWAY, 1},
        {GPB_METRIC_CARD_MONTHS, GPB__DERIVE_DIV, GPB_METRIC_GPU_HOURS, 2},
    };
    const double dv[3] = {0, (double)p->H, GPB_HOURS_PER_MONTH};
    for (size_t k = 0; k < sizeof dp / sizeof *dp; k++)
        derive(p, gpb__metric_index(p, MK_PATH, dp[k].metric, -1),
               dp[k].kind, gpb__metric_index(p, MK_PATH, dp[k].src, -1),
               dv[dp[k].d]);
    /* A run has finished exactly when its finish month is inside the
       horizon (k_run sets both, else finish stays H). With one run, the
       path's GPU-hours are that run's (finish sums 0 + them), and with
       one run renting, nothing else booking rent and no fleet, the rent
       category is the run's cost, summed in the same order (k_run adds
       each month's charge to both): the same doubles, stored once. Each
       derived metric's source is one that is stored, never another
       derived one. */
    size_t gh = gpb__metric_index(p, MK_PATH, GPB_METRIC_GPU_HOURS, -1);
    int one = s->n_training == 1;
    for (size_t r = 0; r < s->n_training; r++) {
        size_t rg = gpb__metric_index(p, MK_RUN, GPB_RUN_GPU_HOURS, (int)r);
        derive(p, gpb__metric_index(p, MK_RUN, GPB_RUN_CARD_MONTHS, (int)r),
               GPB__DERIVE_DIV, one ? gh : rg, GPB_HOURS_PER_MONTH);
        derive(p, gpb__metric_index(p, MK_RUN, GPB_RUN_FINISHED, (int)r),
               GPB__DERIVE_BELOW,
               gpb__metric_index(p, MK_RUN, GPB_RUN_FINISH, (int)r),
               (double)p->H);
        if (one)
            derive(p, rg, GPB__DERIVE_DIV, gh, 1.0);
    }
    if (one && s->n_capacity == 0 && !p->any_fleet &&
        p->acquire[0] != GPB__ACQUIRE_BUY && p->acquire[0] != GPB__ACQUIRE_MIX)
        derive(p, gpb__metric_index(p, MK_RUN, GPB_RUN_COST, 0),
               GPB__DERIVE_DIV,
               gpb__metric_index(p, MK_CATEGORY, GPB_CAT_COMPUTE_RENT, -1),
               1.0);
    /* Whole numbers from 0 to the horizon by construction, stored in 2
       bytes: the runway and a run's start and finish month (month
       numbers, the horizon when never), its divergences (at most one a
       month: k_run draws one chance a month), its months when it pays
       whole months (bill_full_months: each month it works adds a share
       of 1) and whether a round closed. */
    for (size_t k = 0; p->H <= 65535 && k < p->n_metrics; k++) {
        eng_metric *m = &p->metrics[k];
        if (m->constant || m->derived)
            continue;
        int full = m->kind == MK_RUN && m->owner >= 0 &&
                   (size_t)m->owner < s->n_training &&
                   s->training[m->owner].bill_full_months;
        m->narrow = (m->kind == MK_PATH && m->id == GPB_METRIC_RUNWAY) ||
                    (m->kind == MK_RUN &&
                     (m->id == GPB_RUN_FINISH || m->id == GPB_RUN_START ||
                      m->id == GPB_RUN_DIVERGENCES ||
                      (m->id == GPB_RUN_MONTHS && full))) ||
                    (m->kind == MK_ROUND && m->id == GPB_ROUND_CLOSED);
    }
    return GPB_OK;
oom:
    return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
}

size_t gpb__metric_index(const eng_plan *p, eng_mkind kind, int id,
                         int owner)
{
    switch (kind) {
    case MK_CATEGORY:
        return p->m_cat0 + (size_t)id;
    case MK_PATH:
        return p->m_path0 + (size_t)id;
    case MK_RUN:
        return p->m_run0 + (size_t)owner * GPB_RUN_METRIC_COUNT + (size_t)id;
    case MK_CAP:
        return p->m_cap0 + (size_t)owner * GPB_CAP_METRIC_COUNT + (size_t)id;
    default:
        return p->m_round0 + (size_t)owner * GPB_ROUND_METRIC_COUNT +
               (size_t)id;
    }
}

/* ---- failures ---------------------------------------------------------- */

/*
 * A Poisson CDF table for a run whose monthly failure mean λ (its GPUs ·
 * 730.5 / MTBF) is the same on every path: F(k) for k = 0 .. K, with K
 * where 1 − F drops below 2^-60, and a guide table over 1,024 cells of
 * the uniform (Chen & Asau 1974) so an inversion starts within a step or
 * two of its answer.
 *
 * The terms are P(k) up to a common factor, outward from the mode by the
 * ratios P(k ± 1) / P(k) (λ / (k + 1) up, k / λ down), then divided by
 * their sum: the factor cancels, so no e^−λ or log k! enters and the
 * rounding grows with the steps from the mode, not with k. F is summed
 * from the left below the mode and as 1 − (the terms above) from it, so
 * the upper tail keeps its relative accuracy. (Summing in logs from 0 put
 * F(5454 | λ = 5000) 1.4 · 10^-12 too high.)
 */
#define GUIDE_N 1024
static int fail_table(eng_plan *p, size_t k, double lambda)
{
    if (!(lambda > 0) || lambda > 1e4)
        return 0;
    size_t cap = (size_t)(lambda + 40.0 * sqrt(lambda) + 64.0);
    double *cdf = malloc(cap * sizeof *cdf);
    uint32_t *guide = malloc(GUIDE_N * sizeof *guide);
    if (!cdf || !guide) {
        free(cdf);
        free(guide);
        return -1;
    }
    /* The terms, in cdf for now: 1 at the mode. */
    size_t mode = (size_t)floor(lambda);
    if (mode >= cap)
        mode = cap - 1;
    cdf[mode] = 1.0;
    for (size_t i = mode; i > 0; i--)
        cdf[i - 1] = cdf[i] * ((double)i / lambda);
    /* Up to where a term is below 2^-75 of the mode's, past λ: the
       terms fall from there by ratios λ / (k + 1) that keep falling, so
       what is left is below 2^-75 · √λ / 9 of the mode's term, itself at
       least 1 / (3 √λ) of the sum (λ ≤ 10^4): below 2^-60 of the sum. */
    size_t n = mode;
    while (n + 1 < cap && (n <= lambda || cdf[n] >= 0x1p-75)) {
        cdf[n + 1] = cdf[n] * (lambda / (double)(n + 1));
        n++;
    }
    /* Sums from the small end of each side to the mode: the lower side's
       running sums in place, then divided. */
    double below = 0, above = 0;
    for (size_t i = 0; i < mode; i++)
        cdf[i] = below += cdf[i];
    for (size_t i = n; i > mode; i--)
        above += cdf[i];
    double total = below + cdf[mode] + above;
    for (size_t i = 0; i < mode; i++)
        cdf[i] /= total;
    /* From the top down to the mode: F(i) = 1 − (the terms above i) /
       total, those terms summed from the smallest. */
    double tail = 0;
    for (size_t i = n + 1; i-- > mode;) {
        double t = cdf[i];
        cdf[i] = 1.0 - tail / total;
        tail += t;
    }
    size_t j = 0;
    for (size_t g = 0; g < GUIDE_N; g++) {
        double u = (double)g / GUIDE_N;
        while (j < n && cdf[j] <= u)
            j++;
        guide[g] = (uint32_t)j;
    }
    /* The table's own size, so that a read past its last entry is one
       the sanitizers see. */
    double *fit = realloc(cdf, (n + 1) * sizeof *cdf);
    if (fit)
        cdf = fit;
    p->fail_cdf[k] = cdf;
    p->fail_cdf_n[k] = n + 1;
    p->fail_guide[k] = guide;
    /* The window of GPB__POIS_WIN entries with the most mass between the
       entries either side of it, when what it leaves out is at most 2^-7
       of the draws (λ up to about 23; at λ 15, 1,024 H100s at an MTBF of
       50,000 hours, 0.1%): those go one by one through the guide
       (gpb__poisson_lanes). */
    double best = 0;
    size_t best_a = 0;
    for (size_t a = 0; a + GPB__POIS_WIN <= n; a++) {
        double in = cdf[a + GPB__POIS_WIN] - (a ? cdf[a - 1] : 0.0);
        if (in > best) {
            best = in;
            best_a = a;
        }
    }
    p->fail_win[k] = best >= 1.0 - 0x1p-7 ? best_a : SIZE_MAX;
    return 0;
}

/* ---- the plan ---------------------------------------------------------- */

void gpb__plan_free(eng_plan *p)
{
    if (!p)
        return;
    free(p->fixed);
    free(p->col);
    free(p->bcast);
    free(p->conv);
    free(p->c0);
    free(p->c1);
    free(p->cinf);
    free(p->unc);
    free(p->unc_stream);
    free(p->unc_table);
    free(p->unc_pos);
    free(p->cop_unc);
    free(p->in_copula);
    free(p->money);
    free(p->procs);
    free(p->acquire);
    free(p->cap_acquire);
    gpb_copula_free(p->copula);
    for (size_t i = 0; i < p->n_metrics; i++) {
        free(p->metrics[i].name);
        free(p->metrics[i].label);
    }
    free(p->metrics);
    if (p->fail_cdf)
        for (size_t k = 0; k < p->s->n_training; k++) {
            free(p->fail_cdf[k]);
            free(p->fail_guide[k]);
        }
    free(p->fail_cdf);
    free(p->fail_cdf_n);
    free(p->fail_guide);
    free(p->fail_win);
    for (size_t i = 0; i < p->n_qmc; i++)
        if (p->qmc_state[i])
            gsl_qrng_free(p->qmc_state[i]);
    free(p->qmc_state);
    free(p->qmc_shift);
    memset(p, 0, sizeof *p);
}

static gpb_status build_copula(eng_plan *p, gpb_error *err)
{
    const gpb_scenario *s = p->s;
    if (!s->n_correlations)
        return GPB_OK;
    p->cop_unc = calloc(p->n_unc ? p->n_unc : 1, sizeof *p->cop_unc);
    if (!p->cop_unc)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (size_t c = 0; c < s->n_correlations; c++) {
        int ab[2] = {s->correlations[c].a, s->correlations[c].b};
        for (int k = 0; k < 2; k++) {
            long j = p->unc_pos[ab[k]];
            if (j >= 0 && !p->in_copula[j]) {
                p->in_copula[j] = 1;
                p->cop_unc[p->n_cop++] = (size_t)j;
            }
        }
    }
    /* Input order inside the copula. */
    for (size_t a = 1; a < p->n_cop; a++)
        for (size_t b = a; b > 0 && p->cop_unc[b - 1] > p->cop_unc[b]; b--) {
            size_t t = p->cop_unc[b];
            p->cop_unc[b] = p->cop_unc[b - 1];
            p->cop_unc[b - 1] = t;
        }
    size_t n = p->n_cop;
    if (n == 0)
        return GPB_OK;
    double *m = calloc(n * n, sizeof *m);
    if (!m)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        m[i * n + i] = 1.0;
    for (size_t c = 0; c < s->n_correlations; c++) {
        size_t ia = n, ib = n;
        for (size_t i = 0; i < n; i++) {
            if (p->unc[p->cop_unc[i]] == (size_t)s->correlations[c].a)
                ia = i;
            if (p->unc[p->cop_unc[i]] == (size_t)s->correlations[c].b)
                ib = i;
        }
        if (ia < n && ib < n) {
            m[ia * n + ib] = s->correlations[c].rho;
            m[ib * n + ia] = s->correlations[c].rho;
        }
    }
    gpb_status st = gpb_copula_new(n, m, &p->copula, err);
    free(m);
    return st;
}

gpb_status gpb__plan_build(eng_plan *p, const gpb_scenario *s,
                           const gpb_sim_options *opt, gpb_error *err)
{
    memset(p, 0, sizeof *p);
    p->s = s;
    p->H = s->horizon_months;
    p->seed = opt->seed;
    p->quasi = opt->quasi_random;
    p->input_values = opt->input_values;
    size_t n = s->n_inputs;
    p->n_inputs = n;
    size_t n1 = n ? n : 1;
    p->fixed = calloc(n1, sizeof *p->fixed);
    p->unc = calloc(n1, sizeof *p->unc);
    p->unc_stream = calloc(n1, sizeof *p->unc_stream);
    p->unc_table = calloc(n1, sizeof *p->unc_table);
    p->unc_pos = calloc(n1, sizeof *p->unc_pos);
    p->in_copula = calloc(n1, 1);
    p->money = calloc(n1, sizeof *p->money);
    p->procs = calloc(s->n_team + s->n_funding + s->n_other +
                          s->n_training + s->n_capacity + s->n_data +
                          2 * s->n_fleets + 2,
                      sizeof *p->procs);
    p->fail_cdf = calloc(s->n_training + 1, sizeof *p->fail_cdf);
    p->fail_cdf_n = calloc(s->n_training + 1, sizeof *p->fail_cdf_n);
    p->fail_guide = calloc(s->n_training + 1, sizeof *p->fail_guide);
    p->fail_win = malloc((s->n_training + 1) * sizeof *p->fail_win);
    for (size_t k = 0; p->fail_win && k <= s->n_training; k++)
        p->fail_win[k] = SIZE_MAX;
    if (!p->fixed || !p->unc || !p->unc_stream || !p->unc_table ||
        !p->unc_pos || !p->in_copula || !p->money || !p->procs ||
        !p->fail_cdf || !p->fail_cdf_n || !p->fail_guide || !p->fail_win)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");

    p->col = calloc(n1, sizeof *p->col);
    p->conv = calloc(n1, sizeof *p->conv);
    p->c0 = malloc(LANES * sizeof *p->c0);
    p->c1 = malloc(LANES * sizeof *p->c1);
    p->cinf = malloc(LANES * sizeof *p->cinf);
    if (!p->col || !p->conv || !p->c0 || !p->c1 || !p->cinf)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
    for (size_t i = 0; i < LANES; i++) {
        p->c0[i] = 0.0;
        p->c1[i] = 1.0;
        p->cinf[i] = INFINITY;
    }

    /* Inputs: fixed ones resolved now, uncertain ones get a stream named
       after their key path, so adding an input moves no other draw. */
    size_t n_fixed = 0;
    for (size_t i = 0; i < n; i++) {
        const gpb__input *in = &s->inputs[i];
        int fixed = gpb_dist_is_fixed(&in->dist);
        double caller = opt->input_values ? opt->input_values[i] : NAN;
        p->unc_pos[i] = -1;
        if (in->per_event) {
            p->fixed[i] = NAN;
        } else if (fixed || !isnan(caller)) {
            p->fixed[i] = !isnan(caller) ? caller
                                         : gpb_dist_quantile(&in->dist, 0.5);
            n_fixed++;
        } else {
            p->fixed[i] = NAN;
            p->unc_pos[i] = (long)p->n_unc;
            char name[GPB_ERROR_PATH_MAX + 8];
            snprintf(name, sizeof name, "input:%s", in->path);
            p->unc_stream[p->n_unc] = gpb__stream_id(name);
            p->unc_table[p->n_unc] = gpb__qtable_get(&in->dist);
            p->unc[p->n_unc++] = i;
        }
        if (!in->per_event && in->currency != GPB_CURRENCY_NONE &&
            in->currency != s->currency && gpb_qty_kind_is_money(in->kind))
            p->money[p->n_money++] = i;
    }

    /* Exchange rates: the library's defaults unless the scenario gives
       them (exchange_rates.CNY_per_USD, .EUR_per_USD). */
    gpb_fx fx = gpb_units_fx_default();
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++) {
        p->rate_fixed[c] = c == GPB_CURRENCY_NONE ? 1.0 : fx.per_usd[c];
        p->rate_input[c] = -1;
    }
    if (s->cny_per_usd >= 0) {
        p->rate_input[GPB_CURRENCY_CNY] = s->cny_per_usd;
        p->rate_fixed[GPB_CURRENCY_CNY] = p->fixed[s->cny_per_usd];
    }
    if (s->eur_per_usd >= 0) {
        p->rate_input[GPB_CURRENCY_EUR] = s->eur_per_usd;
        p->rate_fixed[GPB_CURRENCY_EUR] = p->fixed[s->eur_per_usd];
    }

    /* Columns of the fixed inputs, converted to the report currency when
       both rates are fixed; otherwise a block converts them per path. */
    p->bcast = malloc((n_fixed ? n_fixed : 1) * LANES * sizeof *p->bcast);
    if (!p->bcast)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
    size_t f = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p->fixed[i]))
            continue;
        const gpb__input *in = &s->inputs[i];
        double v = p->fixed[i];
        int money = in->currency != GPB_CURRENCY_NONE &&
                    in->currency != s->currency &&
                    gpb_qty_kind_is_money(in->kind);
        if (money) {
            double to = p->rate_fixed[s->currency];
            double from = p->rate_fixed[in->currency];
            if (isnan(to) || isnan(from)) {
                p->conv[p->n_conv++] = i;
                continue;
            }
            v *= to / from;
        }
        double *c = p->bcast + f++ * LANES;
        for (size_t l = 0; l < LANES; l++)
            c[l] = v;
        p->col[i] = c;
    }
    if (p->quasi && p->n_unc > 40)
        return gpb__fail(err, GPB_EINVAL,
                         "quasi-random sampling supports at most 40 uncertain "
                         "inputs (GSL's Sobol generator); this scenario has "
                         "%zu",
                         p->n_unc);
    GPB__TRY(build_copula(p, err));

    /* The way each run gets its cards; the plan compared with buying
       rents every card a fleet would have given. */
    p->rent_only = opt->rent_instead_of_buying != 0;
    p->acquire = calloc(s->n_training + 1, sizeof *p->acquire);
    if (!p->acquire)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
    for (size_t k = 0; k < s->n_training; k++) {
        gpb__acquire a = s->training[k].acquire;
        if (p->rent_only &&
            (a == GPB__ACQUIRE_BUY || a == GPB__ACQUIRE_MIX))
            a = GPB__ACQUIRE_RENT;
        p->acquire[k] = a;
    }
    p->cap_acquire = calloc(s->n_capacity + 1, sizeof *p->cap_acquire);
    if (!p->cap_acquire)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
    for (size_t k = 0; k < s->n_capacity; k++) {
        gpb__acquire a = s->capacity[k].acquire;
        if (p->rent_only &&
            (a == GPB__ACQUIRE_BUY || a == GPB__ACQUIRE_MIX))
            a = GPB__ACQUIRE_RENT;
        p->cap_acquire[k] = a;
    }
    p->ledger = opt->ledger <= 0 ? 0 : opt->ledger >= 2 ? 2 : 1;
    p->raise_months = opt->raise_months > 0 && opt->raise_months < p->H
                          ? opt->raise_months
                          : 0;
    p->discount_rate = opt->discount_rate_per_year;
    if (isnan(p->discount_rate) && s->discount_rate >= 0)
        p->discount_rate = p->fixed[s->discount_rate];
    p->npv = !isnan(p->discount_rate);
    build_procs(p);
    streams_unique(p);
    GPB__TRY(build_metrics(p, err));

    /* Failure tables for runs whose monthly mean is the same on every
       path: GPUs and MTBF fixed (mix and buy runs vary with their
       fleet's cards, and use the general sampler). */
    for (size_t k = 0; k < s->n_training; k++) {
        const gpb__training *t = &s->training[k];
        if (t->gpu_mtbf_hours < 0 || p->acquire[k] == GPB__ACQUIRE_BUY ||
            p->acquire[k] == GPB__ACQUIRE_MIX)
            continue;
        double g = p->fixed[t->gpus], mtbf = p->fixed[t->gpu_mtbf_hours];
        if (isnan(g) || isnan(mtbf))
            continue;
        if (fail_table(p, k, gpb__expected_failures(g, GPB_HOURS_PER_MONTH,
                                                    mtbf)))
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    return GPB_OK;
}

gpb_status gpb__plan_qmc(eng_plan *p, uint64_t first, uint64_t n,
                         gpb_error *err)
{
    if (!p->quasi || p->n_unc == 0)
        return GPB_OK;
    const uint64_t R = GPB_SIM_QMC_REPLICATES;
    size_t nb = (size_t)((n + LANES - 1) / LANES);
    p->qmc_state = calloc(nb ? nb : 1, sizeof *p->qmc_state);
    p->qmc_shift = malloc(R * p->n_unc * sizeof *p->qmc_shift);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)p->n_unc);
    double *pt = malloc(p->n_unc * sizeof *pt);
    gpb_status st = GPB_OK;
    if (!p->qmc_state || !p->qmc_shift || !q || !pt) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory for Sobol points");
        goto done;
    }
    p->n_qmc = nb;
    p->qmc_first = first;
    /* Each replicate's digital shift of each dimension: a word of its own
       stream, keyed by the seed, so the seed moves the points. */
    uint32_t key[2] = {(uint32_t)p->seed, (uint32_t)(p->seed >> 32)};
    uint32_t sid = gpb__stream_id("qmc.shift");
    for (uint32_t r = 0; r < R; r++)
        for (size_t j = 0; j < p->n_unc; j += 4) {
            uint32_t ctr[4] = {r, sid, (uint32_t)j, 0}, w[4];
            gpb__philox1(ctr, key, w);
            for (size_t t = 0; t < 4 && j + t < p->n_unc; t++)
                p->qmc_shift[r * p->n_unc + j + t] = w[t];
        }
    /* Path i takes point ⌊i / R⌋ of the sequence: point 0 is the origin,
       which GSL leaves out (its k-th point is the sequence's point k), so
       each replicate's first 2^m points are a whole net. Each block's
       clone returns the sequence's point max(1, its first path's) next. */
    uint64_t at = 0; /* GSL points taken so far */
    for (size_t b = 0; b < nb; b++) {
        uint64_t want = (first + (uint64_t)b * LANES) / R;
        for (; at + 1 < want; at++)
            gsl_qrng_get(q, pt);
        p->qmc_state[b] = gsl_qrng_clone(q);
        if (!p->qmc_state[b]) {
            st = gpb__fail(err, GPB_ENOMEM, "out of memory for Sobol points");
            goto done;
        }
    }
done:
    if (q)
        gsl_qrng_free(q);
    free(pt);
    return st;
}
