/*
 * A block of paths, month by month, as arrays (engine.h).
 *
 * The block holds one array of LANES values per quantity: each input, each
 * process's state, each category's flow this month and total so far, the
 * cash. A month runs each process's kernel over the lanes, in the plan's
 * order, then closes the month (cash, its running minimum, runway, the
 * fan's sketches). Every draw a kernel makes comes from its own stream,
 * keyed by (seed, path, process, month), so a lane's numbers depend on its
 * path alone: a block of one path (a trace) gives the same figures.
 *
 * The formulas are the pure layers' (formula.h, fleet.h, compute.h,
 * risk.h); what is here is the bookkeeping.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "gpubudget/compute.h"
#include "gpubudget/finance.h"
#include "gpubudget/risk.h"
#include "formula.h"
#include "internal.h"
#include "stream.h"
#include "vmath.h"
#include "vquantile.h"

#define HM GPB_HOURS_PER_MONTH

/* Per-run arrays. */
typedef struct run_st {
    double *target, *mflops, *gpus, *peak, *lambda, *lost, *p_div,
        *p_restart, *progress, *done, *finish, *cost, *gpu_hours, *months,
        *failures, *divergences, *fleet_used;
    double *began; /* the first month it had cards to work on, else H */
    /* Its finishing month's failures and the share of that month it
       needed (1 until it finishes): finish() thins them. */
    double *fin_fails, *fin_share;
    int *start;    /* the first month it may start (data, start_month) */
    gpb__rent_state *rs;
    gpb__rent_terms rt;  /* mode and the plan's constants */
    gpb__rent_terms *rtl; /* each lane's terms */
    const double *price;  /* each lane's price per GPU-hour (the input's
                             column), which rtl[i].price copies */
    /* Block-level: the first start month, lanes not yet finished, the
       last month a reservation is paid; a month outside them is skipped
       without looking at the lanes. */
    int min_start, pending, commit_max;
} run_st;

/* Per-capacity-workload arrays. */
typedef struct cap_st {
    double *gpus, *util, *cost, *gpu_hours, *fleet_used;
    int *start, *end;
    gpb__rent_state *rs;
    gpb__rent_terms *rtl;
    int min_start, max_end, commit_max;
} cap_st;

/* Per-data-work arrays: each lane's work (the finance layer's figures),
   its first month, and the month the runs it feeds may start. */
typedef struct data_st {
    gpb_data_work *w;
    int *start, *ready;
    int min_start, max_end; /* the block's first month, last paid + 1 */
} data_st;

typedef struct fleet_st {
    gpb__fleet_terms *t;
    gpb__fleet_state *st;
    double *free, *used;
    /* The runs and capacity workloads that draw on the fleet. */
    int *runs, *caps;
    int n_runs, n_caps;
} fleet_st;

struct eng_block {
    const eng_plan *p;
    const gpb_scenario *s;
    uint64_t path0;
    size_t n, nl;
    const double **x;      /* input columns */
    double *buf;           /* worker-filled input columns */
    double *fxbuf;         /* per-lane exchange rates */
    const double *per_usd[GPB_CURRENCY_COUNT];
    uint32_t *w[4];
    double *u, *copu;      /* scratch */
    double *thin[4];       /* thin_last_month's k, q, u and result */
    size_t *thin_at;       /* and its lanes */
    double *flow[GPB_CAT_COUNT], *tot[GPB_CAT_COUNT];
    /* The categories some kernel booked this month: the close adds only
       those (a flow nobody booked is zero). */
    unsigned char booked[GPB_CAT_COUNT];
    /* The ledger's sketches, [month · CAT + category], when the plan keeps
       its quantiles (set by the worker; NULL otherwise). */
    gpb__sketch *ledger_sk;
    double *cash, *cmin, *runway, *dep, *npv;
    double *index, *price_growth; /* the index; e^drift per lane */
    float *zp[4];          /* the price index's normals, four months */
    long zp_group;
    float *zu[4];          /* the users' normals, four months */
    double *users_growth;  /* e^growth_per_month per lane */
    double *users, *sv_gpus, *sv_tok, *sv_start, *scratch;
    double *serve_last;    /* serving's flow in the last month */
    long zu_group;
    int sv_min_start;
    run_st *run;
    cap_st *cap;
    double **team_se;      /* [line]: start, end months and the month's
                              cost of a head per lane (3·LANES) */
    int **other_se;
    int **fund_month;
    double **fund_closed;
    int *fund_lo, *fund_hi; /* [round]: the block's earliest, latest month */
    fleet_st *fleet;
    data_st *data;
    double **arena;        /* every allocation, to free */
    size_t n_arena, cap_arena;
    int oom;
};

static void *arena(eng_block *b, size_t bytes)
{
    if (b->oom)
        return NULL;
    if (b->n_arena == b->cap_arena) {
        size_t cap = b->cap_arena ? 2 * b->cap_arena : 64;
        double **a = realloc(b->arena, cap * sizeof *a);
        if (!a) {
            b->oom = 1;
            return NULL;
        }
        b->arena = a;
        b->cap_arena = cap;
    }
    void *v = NULL;
    /* 64-byte aligned: whole cache lines and vector loads. */
    if (posix_memalign(&v, 64, bytes ? bytes : 64)) {
        b->oom = 1;
        return NULL;
    }
    memset(v, 0, bytes);
    b->arena[b->n_arena++] = v;
    return v;
}

static double *lanes(eng_block *b) { return arena(b, LANES * sizeof(double)); }

void gpb__block_free(eng_block *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_arena; i++)
        free(b->arena[i]);
    free(b->arena);
    free(b);
}

eng_block *gpb__block_new(const eng_plan *p)
{
    const gpb_scenario *s = p->s;
    eng_block *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->p = p;
    b->s = s;
    size_t nbuf = p->n_unc + p->n_conv;
    b->x = arena(b, (p->n_inputs + 1) * sizeof *b->x);
    b->buf = arena(b, (nbuf ? nbuf : 1) * LANES * sizeof *b->buf);
    b->fxbuf = arena(b, GPB_CURRENCY_COUNT * LANES * sizeof *b->fxbuf);
    for (int k = 0; k < 4; k++) {
        b->w[k] = arena(b, LANES * sizeof *b->w[k]);
        b->zp[k] = arena(b, LANES * sizeof(float));
        b->zu[k] = arena(b, LANES * sizeof(float));
    }
    b->u = lanes(b);
    for (int k = 0; k < 4; k++)
        b->thin[k] = lanes(b);
    b->thin_at = arena(b, LANES * sizeof *b->thin_at);
    b->copu = arena(b, (p->n_cop ? p->n_cop : 1) * 2 * sizeof(double));
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        b->flow[c] = lanes(b);
        b->tot[c] = lanes(b);
    }
    b->cash = lanes(b);
    b->cmin = lanes(b);
    b->runway = lanes(b);
    b->dep = lanes(b);
    b->npv = lanes(b);
    b->index = lanes(b);
    b->price_growth = lanes(b);
    b->users_growth = lanes(b);
    b->users = lanes(b);
    b->sv_gpus = lanes(b);
    b->sv_tok = lanes(b);
    b->sv_start = lanes(b);
    b->scratch = lanes(b);
    b->serve_last = lanes(b);
    size_t nr = s->n_training;
    b->run = arena(b, (nr ? nr : 1) * sizeof *b->run);
    for (size_t k = 0; b->run && k < nr; k++) {
        run_st *r = &b->run[k];
        double **arr[] = {&r->target, &r->mflops,   &r->gpus,
                          &r->peak,   &r->lambda,   &r->lost,
                          &r->p_div,  &r->p_restart, &r->progress,
                          &r->done,   &r->finish,   &r->cost,
                          &r->gpu_hours, &r->months, &r->failures,
                          &r->divergences, &r->fleet_used, &r->began,
                          &r->fin_fails, &r->fin_share};
        for (size_t i = 0; i < sizeof arr / sizeof *arr; i++)
            *arr[i] = lanes(b);
        r->start = arena(b, LANES * sizeof *r->start);
        r->rs = arena(b, LANES * sizeof *r->rs);
        r->rtl = arena(b, LANES * sizeof *r->rtl);
    }
    b->cap = arena(b, (s->n_capacity + 1) * sizeof *b->cap);
    for (size_t k = 0; b->cap && k < s->n_capacity; k++) {
        cap_st *c = &b->cap[k];
        c->gpus = lanes(b);
        c->util = lanes(b);
        c->cost = lanes(b);
        c->gpu_hours = lanes(b);
        c->fleet_used = lanes(b);
        c->start = arena(b, LANES * sizeof *c->start);
        c->end = arena(b, LANES * sizeof *c->end);
        c->rs = arena(b, LANES * sizeof *c->rs);
        c->rtl = arena(b, LANES * sizeof *c->rtl);
    }
    b->team_se = arena(b, (s->n_team + 1) * sizeof *b->team_se);
    for (size_t k = 0; b->team_se && k < s->n_team; k++)
        b->team_se[k] = arena(b, 3 * LANES * sizeof(double));
    b->other_se = arena(b, (s->n_other + 1) * sizeof *b->other_se);
    for (size_t k = 0; b->other_se && k < s->n_other; k++)
        b->other_se[k] = arena(b, 2 * LANES * sizeof(int));
    b->fund_month = arena(b, (s->n_funding + 1) * sizeof *b->fund_month);
    b->fund_closed = arena(b, (s->n_funding + 1) * sizeof *b->fund_closed);
    b->fund_lo = arena(b, (s->n_funding + 1) * sizeof *b->fund_lo);
    b->fund_hi = arena(b, (s->n_funding + 1) * sizeof *b->fund_hi);
    for (size_t k = 0; b->fund_month && b->fund_closed && k < s->n_funding;
         k++) {
        b->fund_month[k] = arena(b, LANES * sizeof(int));
        b->fund_closed[k] = lanes(b);
    }
    b->data = arena(b, (s->n_data + 1) * sizeof *b->data);
    for (size_t k = 0; b->data && k < s->n_data; k++) {
        b->data[k].w = arena(b, LANES * sizeof *b->data[k].w);
        b->data[k].start = arena(b, LANES * sizeof(int));
        b->data[k].ready = arena(b, LANES * sizeof(int));
    }
    b->fleet = arena(b, (s->n_fleets + 1) * sizeof *b->fleet);
    for (size_t k = 0; b->fleet && k < s->n_fleets; k++) {
        fleet_st *f = &b->fleet[k];
        f->t = arena(b, LANES * sizeof *f->t);
        f->st = arena(b, LANES * sizeof *f->st);
        f->free = lanes(b);
        f->used = lanes(b);
        f->runs = arena(b, (s->n_training + 1) * sizeof *f->runs);
        f->caps = arena(b, (s->n_capacity + 1) * sizeof *f->caps);
        for (size_t j = 0; f->runs && j < s->n_training; j++)
            if (s->training[j].fleet == (int)k)
                f->runs[f->n_runs++] = (int)j;
        for (size_t j = 0; f->caps && j < s->n_capacity; j++)
            if (s->capacity[j].fleet == (int)k)
                f->caps[f->n_caps++] = (int)j;
    }
    if (b->oom) {
        gpb__block_free(b);
        return NULL;
    }
    return b;
}

void gpb__block_set_ledger_sketches(eng_block *b, gpb__sketch *sk)
{
    b->ledger_sk = sk;
}

const double *gpb__block_input(const eng_block *b, size_t k)
{
    return b->x[b->p->unc[k]];
}

const double *gpb__block_per_usd(const eng_block *b, gpb_currency c)
{
    return b->per_usd[c];
}

/* ---- small helpers ------------------------------------------------------ */

/* An input's column, or a default column when the key is absent. */
static inline const double *col(const eng_block *b, int idx,
                                const double *dflt)
{
    return idx >= 0 ? b->x[idx] : dflt;
}

/* Whether an input (or an absent key's default) is the same on every
   lane: its column is the plan's (LANES copies of one value), so lane 0
   stands for all of them and a kernel may take it as a scalar. */
static inline int lane_const(const eng_block *b, int idx)
{
    return idx < 0 || b->x[idx] == b->p->col[idx];
}

/* A sampled month: rounded to whole (floor(v + 0.5)) and clamped to [0,
   H]. Clamped first, so that the rounding is a truncation of a number
   from 0 to H + 1: the same months, without a call to floor per lane
   (an instruction only in the wide clones). */
static inline int month_of(double v, int H)
{
    if (!(v == v))
        return 0;
    double r = v + 0.5;
    return r < 0 ? 0 : r >= (double)H ? H : (int)r;
}

/* The first i' >= i below n whose byte flag f[i'] is set, else n: a
   loop over rare events' flags, `for (i = next_set(f, 0, n); i < n; i =
   next_set(f, i + 1, n))`, skips each aligned word of eight flags that
   holds none (most of them) in one test, and finds the first set one of
   a word from its bits. */
static inline size_t next_set(const unsigned char *f, size_t i, size_t n)
{
    for (; i < n && i % 8 != 0; i++)
        if (f[i])
            return i;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, f + i, sizeof w);
        if (w == 0)
            continue;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return i + (size_t)__builtin_ctzll(w) / 8; /* its first set byte */
#else
        while (!f[i])
            i++;
        return i;
#endif
    }
    for (; i < n; i++)
        if (f[i])
            return i;
    return n;
}

/* The four words of (path, stream, slot, group) for every lane. */
static void draw(eng_block *b, uint32_t stream, uint32_t slot,
                 uint32_t group)
{
    gpb__philox_lanes(b->p->seed, b->path0, b->nl, stream, slot, group,
                      b->w);
}

/* Normals for the four months of group q of a process: Box–Muller on
   words (0, 1) for months 4q, 4q + 1 and (2, 3) for 4q + 2, 4q + 3. */
static void normals4(eng_block *b, uint32_t stream, long q, float *z[4])
{
    draw(b, stream, (uint32_t)q, 0);
    gpb__box_muller(b->nl, b->w[0], b->w[1], z[0], z[1]);
    gpb__box_muller(b->nl, b->w[2], b->w[3], z[2], z[3]);
}

/* out[i] = gpb__u01_53(hi[i], lo[i]), i < n: a per-path input's uniform,
   a pass that vectorises (the 53-bit integer converts exactly, as the
   wide clones convert 64-bit lanes and the baseline one at a time). */
GPB__VCLONES static void u01_53_lanes(const uint32_t *hi, const uint32_t *lo,
                                      double *out, size_t n)
{
#pragma omp simd
    for (size_t i = 0; i < n; i++)
        out[i] = gpb__u01_53(hi[i], lo[i]);
}

/* ---- inputs -------------------------------------------------------------- */

GPB__VCLONES static void scale_lanes(double *x, const double *f,
                                     const double *g, size_t n)
{
#pragma omp simd
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] * (f[i] / g[i]);
}

static void quantiles(const gpb_dist *d, const eng_qtable *t,
                      const double *u, double *out, size_t n)
{
    int plain_normal = d->kind == GPB_DIST_NORMAL && isinf(d->param[2]) &&
                       isinf(d->param[3]);
    if (plain_normal || d->kind == GPB_DIST_LOGNORMAL ||
        d->kind == GPB_DIST_LOGNORMAL90) {
        /* Through Φ⁻¹ over the lanes (AS 241, vquantile.c); the same
           parameters as gpb_dist_quantile: μ + σz, or exp(k0 + k1 z). */
        gpb__qnorm_lanes(u, out, n);
        if (plain_normal)
            for (size_t i = 0; i < n; i++)
                out[i] = d->param[0] + d->param[1] * out[i];
        else
            gpb__lognormal_lanes(out, d->k[0], d->k[1], out, n);
    } else if (d->kind == GPB_DIST_UNIFORM) {
        double lo = d->param[0], w = d->param[1] - d->param[0];
        for (size_t i = 0; i < n; i++)
            out[i] = lo + w * u[i];
    } else if (t) {
        for (size_t i = 0; i < n; i++)
            out[i] = gpb__qtable_eval(t, u[i]);
    } else {
        for (size_t i = 0; i < n; i++)
            out[i] = gpb_dist_quantile(d, u[i]);
    }
}

/* Samples the block's uncertain inputs and converts money. */
static void sample_inputs(eng_block *b)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    size_t nl = b->nl;
    for (size_t i = 0; i < p->n_inputs; i++)
        b->x[i] = p->col[i];
    /* Uniforms: Philox words, or Sobol points. */
    gsl_qrng *q = NULL;
    double *pt = NULL;
    if (p->quasi && p->n_unc) {
        size_t k = (size_t)((b->path0 - p->qmc_first) / LANES);
        q = gsl_qrng_clone(p->qmc_state[k]);
        pt = malloc(p->n_unc * sizeof *pt);
    }
    for (size_t j = 0; j < p->n_unc; j++) {
        double *c = b->buf + j * LANES;
        b->x[p->unc[j]] = c;
        if (!q) {
            draw(b, p->unc_stream[j], GPB__SLOT_PATH, 0);
            u01_53_lanes(b->w[0], b->w[1], c, nl);
        }
    }
    if (q && pt) {
        /* Path g takes the sequence's point ⌊g / R⌋ (0 is the origin;
           the clone gives point max(1, the block's first) next), its bits
           XORed with its replicate's shift: a random digital shift keeps
           each replicate's points a digital net and makes it an unbiased
           estimate (Owen, "Monte Carlo theory, methods and examples",
           2013, ch. 17). The uniform is the shifted word's midpoint,
           never 0 or 1. */
        const uint64_t R = GPB_SIM_QMC_REPLICATES;
        uint64_t have = UINT64_MAX; /* the point in pt */
        uint64_t next = b->path0 / R > 0 ? b->path0 / R : 1; /* the clone's */
        for (size_t i = 0; i < nl; i++) {
            uint64_t g = b->path0 + i, want = g / R;
            if (want == 0 && have != 0) {
                memset(pt, 0, p->n_unc * sizeof *pt);
                have = 0;
            }
            for (; want > 0 && have != want; have = next++)
                gsl_qrng_get(q, pt);
            const uint32_t *sh = p->qmc_shift + (g % R) * p->n_unc;
            for (size_t j = 0; j < p->n_unc; j++) {
                uint32_t w = (uint32_t)(pt[j] * 4294967296.0) ^ sh[j];
                b->buf[j * LANES + i] = gpb__u01_32(w);
            }
        }
    }
    if (q)
        gsl_qrng_free(q);
    free(pt);
    /* Correlated inputs: the Gaussian copula over their uniforms. */
    if (p->copula) {
        double *ui = b->copu, *uc = b->copu + p->n_cop;
        for (size_t i = 0; i < nl; i++) {
            for (size_t k = 0; k < p->n_cop; k++)
                ui[k] = b->buf[p->cop_unc[k] * LANES + i];
            gpb_copula_transform(p->copula, ui, uc);
            for (size_t k = 0; k < p->n_cop; k++)
                b->buf[p->cop_unc[k] * LANES + i] = uc[k];
        }
    }
    /* Uniforms to values through each input's inverse CDF. */
    for (size_t j = 0; j < p->n_unc; j++) {
        double *c = b->buf + j * LANES;
        memcpy(b->u, c, nl * sizeof *c);
        quantiles(&s->inputs[p->unc[j]].dist, p->unc_table[j], b->u, c, nl);
    }
    /* Exchange rates of each lane. */
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++) {
        double *r = b->fxbuf + (size_t)c * LANES;
        if (p->rate_input[c] >= 0 && isnan(p->rate_fixed[c])) {
            b->per_usd[c] = b->x[p->rate_input[c]];
        } else {
            for (size_t i = 0; i < nl; i++)
                r[i] = p->rate_fixed[c];
            b->per_usd[c] = r;
        }
    }
    /* Fixed amounts in a currency whose rate varies: copy, then convert
       below with the uncertain ones. */
    for (size_t k = 0; k < p->n_conv; k++) {
        size_t i = p->conv[k];
        double *c = b->buf + (p->n_unc + k) * LANES;
        for (size_t l = 0; l < nl; l++)
            c[l] = p->fixed[i];
        b->x[i] = c;
    }
    /* Money to the report currency: amount · (report per USD) / (its per
       USD), path by path. */
    for (size_t k = 0; k < p->n_money; k++) {
        size_t i = p->money[k];
        if (p->col[i])
            continue; /* converted at plan time */
        scale_lanes((double *)b->x[i], b->per_usd[s->currency],
                    b->per_usd[s->inputs[i].currency], nl);
    }
}

/* ---- per-path set-up ---------------------------------------------------- */

static gpb_status fail_input(const gpb_scenario *s, int idx, const char *what,
                             const gpb_error *e, gpb_error *err)
{
    const gpb__input *in = idx >= 0 ? &s->inputs[idx] : NULL;
    return gpb__fail_at(err, GPB_ENUMERIC, s->source_name,
                        in ? in->line : 0, in ? in->column : 0,
                        in ? in->path : "", "%s: %s", what, e->message);
}

/* Data work: each lane's cost and time from the finance layer, and the
   month the runs it feeds may start (ceil(months) after it began). */
static gpb_status init_data(eng_block *b, gpb_error *err)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    const int H = p->H;
    size_t nl = b->nl;
    for (size_t k = 0; k < s->n_data; k++) {
        const gpb__data *d = &s->data[k];
        data_st *ds = &b->data[k];
        const double *st = b->x[d->start_month], *units = b->x[d->units];
        const double *cpr = col(b, d->cpu_price_per_hour, p->c0);
        const double *gpr = col(b, d->gpu_price_per_hour, p->c0);
        const double *cpus = col(b, d->cpus, p->c0);
        const double *gpus = col(b, d->gpus, p->c0);
        const double *lic = col(b, d->licensing, p->c0);
        const double *lab = col(b, d->labels, p->c0);
        const double *ppl = col(b, d->price_per_label, p->c0);
        const double *rate = col(b, d->labels_per_annotator_per_day, p->c0);
        const double *heads = col(b, d->annotators, p->c0);
        const double *mm = col(b, d->min_months, p->c0);
        ds->min_start = H;
        ds->max_end = 0;
        for (size_t i = 0; i < nl; i++) {
            gpb_data_work_spec sp;
            gpb_finance_data_work_spec_default(&sp);
            sp.units = units[i];
            for (int j = 0; j < GPB__DATA_STAGES; j++) {
                sp.cpu_hours_per_billion +=
                    col(b, d->cpu_per_billion[j], p->c0)[i];
                sp.gpu_hours_per_billion +=
                    col(b, d->gpu_per_billion[j], p->c0)[i];
            }
            sp.cpu_price_per_hour = cpr[i];
            sp.gpu_price_per_hour = gpr[i];
            sp.cpus = cpus[i];
            sp.gpus = gpus[i];
            sp.licensing = lic[i];
            sp.labels = lab[i];
            sp.price_per_label = ppl[i];
            sp.labels_per_annotator_per_day = rate[i];
            sp.annotators = heads[i];
            sp.min_months = mm[i];
            gpb_error e;
            if (gpb_data_work_compute(&sp, &ds->w[i], &e)) {
                char kp[32];
                snprintf(kp, sizeof kp, "data[%zu]", k);
                return gpb__fail_at(err, GPB_ENUMERIC, s->source_name,
                                    d->line, d->column, kp,
                                    "path %llu: a sampled value makes the "
                                    "data work '%s' undefined: %s",
                                    (unsigned long long)(b->path0 + i),
                                    d->name, e.message);
            }
            int m0 = month_of(st[i], H);
            double wm = ceil(ds->w[i].months - 1e-9);
            int span = (int)fmin(fmax(wm, 1.0), (double)H);
            ds->start[i] = m0;
            ds->ready[i] = (int)fmin((double)H, m0 + fmax(wm, 0.0));
            if (m0 < ds->min_start)
                ds->min_start = m0;
            if (m0 + span > ds->max_end)
                ds->max_end = m0 + span;
        }
    }
    return GPB_OK;
}

/* Lane i of a block, for reading inputs as a gpb__input_value. */
typedef struct lane_ref {
    const eng_block *b;
    size_t i;
} lane_ref;

static double lane_value(const void *ctx, int idx, double dflt)
{
    const lane_ref *l = ctx;
    return idx >= 0 ? l->b->x[idx][l->i] : dflt;
}

/* Run k's FLOPs × exploration on lane i (gpb__training_flops). */
static gpb_status lane_flops(const eng_block *b, size_t k, size_t i,
                             double *target, gpb_error *err)
{
    const gpb_scenario *s = b->s;
    const gpb__training *t = &s->training[k];
    lane_ref l = {b, i};
    gpb_error e;
    if (gpb__training_flops(t, lane_value, &l, target, &e)) {
        char kp[32];
        snprintf(kp, sizeof kp, "training[%zu]", k);
        return gpb__fail_at(err, GPB_ENUMERIC, s->source_name, t->line,
                            t->column, kp,
                            "path %llu: a sampled value makes run '%s' "
                            "undefined: %s",
                            (unsigned long long)(b->path0 + i), t->name,
                            e.message);
    }
    return GPB_OK;
}

static gpb_status init_runs(eng_block *b, gpb_error *err)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    const int H = p->H;
    size_t nl = b->nl;
    for (size_t k = 0; k < s->n_training; k++) {
        const gpb__training *t = &s->training[k];
        run_st *r = &b->run[k];
        const double *gpus = b->x[t->gpus], *mfu = b->x[t->mfu];
        const double *start = b->x[t->start_month];
        const double *ptf = col(b, t->peak_tflops, NULL);
        gpb__acquire acq = p->acquire[k];
        r->rt.mode = acq == GPB__ACQUIRE_RESERVE ? GPB_RENT_RESERVED
                     : acq == GPB__ACQUIRE_SPOT  ? GPB_RENT_SPOT
                                                 : GPB_RENT_ON_DEMAND;
        r->rt.price = 1.0; /* lanes carry their own price */
        r->rt.commitment_months = 1;
        /* When the plan knows the FLOPs (the same on every path, by the
           same formula), they are not worked out again per lane. */
        const eng_metric *fm =
            &p->metrics[gpb__metric_index(p, MK_RUN, GPB_RUN_FLOPS, (int)k)];
        for (size_t i = 0; i < nl; i++) {
            if (fm->constant) {
                r->target[i] = fm->value;
            } else {
                GPB__TRY(lane_flops(b, k, i, &r->target[i], err));
            }
            r->gpus[i] = gpus[i];
            r->peak[i] = ptf ? ptf[i] * 1e12 : t->peak_flop_per_s;
            /* FLOPs the whole cluster does in a month of useful time. */
            r->mflops[i] = gpb__flops_of(gpus[i] * HM, r->peak[i], mfu[i]);
            r->start[i] = month_of(start[i], H);
            /* A run fed by data work waits until the data are ready. */
            for (size_t d = 0; d < s->n_data; d++)
                if (s->data[d].feeds[k] &&
                    b->data[d].ready[i] > r->start[i])
                    r->start[i] = b->data[d].ready[i];
            r->finish[i] = r->began[i] = H;
            r->fin_fails[i] = 0;
            r->fin_share[i] = 1;
            r->progress[i] = r->done[i] = r->cost[i] = r->gpu_hours[i] =
                r->months[i] = r->failures[i] = r->divergences[i] = 0;
            r->lambda[i] = r->lost[i] = r->p_div[i] = r->p_restart[i] = 0;
            gpb__rent_state_init(&r->rs[i]);
        }
        {
            const double *price = b->x[t->price_per_gpu_hour];
            r->price = price;
            const double *res_m = col(b, t->reserve_months, p->c1);
            const double *res_d = col(b, t->reserve_discount, p->c0);
            const double *spot_d = col(b, t->spot_discount, p->c0);
            const double *spot_l = col(b, t->spot_preemption_loss, p->c0);
            r->min_start = H;
            for (size_t i = 0; i < nl; i++) {
                gpb__rent_terms *rt = &r->rtl[i];
                *rt = r->rt;
                rt->price = price[i];
                rt->reserved_discount_frac = res_d[i];
                rt->commitment_months =
                    res_m[i] >= 1 ? floor(res_m[i] + 0.5) : 1;
                rt->spot_discount_frac = spot_d[i];
                rt->spot_loss_frac = spot_l[i];
                if (r->start[i] < r->min_start)
                    r->min_start = r->start[i];
            }
            r->pending = (int)nl;
            r->commit_max = -1;
        }
        if (t->gpu_mtbf_hours >= 0) {
            const double *mtbf = b->x[t->gpu_mtbf_hours];
            const double *hl = col(b, t->hours_lost_per_failure, NULL);
            const double *ck = col(b, t->checkpoint_minutes, p->c0);
            const double *rs = col(b, t->restart_minutes, p->c0);
            /* Worked out once when every input of the two is the same on
               every lane (the common case: fixed GPUs and MTBF). */
            int same = lane_const(b, t->gpus) &&
                       lane_const(b, t->gpu_mtbf_hours) &&
                       (hl ? lane_const(b, t->hours_lost_per_failure)
                           : lane_const(b, t->checkpoint_minutes) &&
                                 lane_const(b, t->restart_minutes));
            for (size_t i = 0; i < (same ? 1 : nl); i++) {
                gpb_error e;
                if (gpb_risk_expected_failures(gpus[i], HM, mtbf[i],
                                               &r->lambda[i], &e))
                    return fail_input(s, t->gpu_mtbf_hours,
                                      "the failure rate is undefined", &e,
                                      err);
                if (hl)
                    r->lost[i] = hl[i];
                else if (gpb_risk_hours_lost_per_failure(
                             ck[i] / 60.0, rs[i] / 60.0, &r->lost[i], &e))
                    return fail_input(s, t->checkpoint_minutes,
                                      "the hours lost per failure are "
                                      "undefined",
                                      &e, err);
            }
            for (size_t i = 1; same && i < nl; i++) {
                r->lambda[i] = r->lambda[0];
                r->lost[i] = r->lost[0];
            }
        }
        if (t->divergence_per_month >= 0) {
            const double *pd = b->x[t->divergence_per_month];
            for (size_t i = 0; i < nl; i++)
                r->p_div[i] = pd[i];
        } else if (t->divergence_per_run >= 0) {
            /* A divergence is drawn once per running month: spread the
               per-run probability over the months the run is nominally
               drawn in, its length rounded up (at least one). */
            const double *pd = b->x[t->divergence_per_run];
            for (size_t i = 0; i < nl; i++) {
                double months =
                    r->mflops[i] > 0
                        ? ceil(r->target[i] / r->mflops[i] - 1e-9)
                        : 1.0;
                gpb_error e;
                if (gpb_risk_divergence_per_month(pd[i], fmax(months, 1.0),
                                                  &r->p_div[i], &e))
                    return fail_input(s, t->divergence_per_run,
                                      "the divergence rate is undefined",
                                      &e, err);
            }
        }
        if (t->divergence_restart >= 0) {
            const double *pr = b->x[t->divergence_restart];
            for (size_t i = 0; i < nl; i++)
                r->p_restart[i] = pr[i];
        }
    }
    return GPB_OK;
}

/* Capacity workloads: their months, GPUs, utilisation and rent terms. */
static void init_capacity(eng_block *b)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    const int H = p->H;
    size_t nl = b->nl;
    for (size_t k = 0; k < s->n_capacity; k++) {
        const gpb__training *t = &s->capacity[k];
        cap_st *c = &b->cap[k];
        gpb__acquire acq = p->cap_acquire[k];
        int mode = acq == GPB__ACQUIRE_RESERVE ? GPB_RENT_RESERVED
                   : acq == GPB__ACQUIRE_SPOT  ? GPB_RENT_SPOT
                                               : GPB_RENT_ON_DEMAND;
        const double *gpus = b->x[t->gpus], *util = b->x[t->utilization];
        const double *st = b->x[t->start_month], *mo = b->x[t->months];
        const double *price = b->x[t->price_per_gpu_hour];
        const double *res_m = col(b, t->reserve_months, p->c1);
        const double *res_d = col(b, t->reserve_discount, p->c0);
        const double *spot_d = col(b, t->spot_discount, p->c0);
        const double *spot_l = col(b, t->spot_preemption_loss, p->c0);
        c->min_start = H;
        c->max_end = 0;
        c->commit_max = -1;
        for (size_t i = 0; i < nl; i++) {
            c->gpus[i] = gpus[i];
            c->util[i] = util[i];
            c->cost[i] = c->gpu_hours[i] = 0;
            c->start[i] = month_of(st[i], H);
            double e = (double)c->start[i] + floor(mo[i] + 0.5);
            c->end[i] = e > H ? H : (int)e;
            if (c->start[i] < c->min_start)
                c->min_start = c->start[i];
            if (c->end[i] > c->max_end)
                c->max_end = c->end[i];
            gpb__rent_state_init(&c->rs[i]);
            gpb__rent_terms *rt = &c->rtl[i];
            memset(rt, 0, sizeof *rt);
            rt->mode = mode;
            rt->price = price[i];
            rt->reserved_discount_frac = res_d[i];
            rt->commitment_months = res_m[i] >= 1 ? floor(res_m[i] + 0.5) : 1;
            rt->spot_discount_frac = spot_d[i];
            rt->spot_loss_frac = spot_l[i];
        }
    }
}

static gpb_status init_fleets(eng_block *b, gpb_error *err)
{
    const gpb_scenario *s = b->s;
    const eng_plan *p = b->p;
    const int H = p->H;
    size_t nl = b->nl;
    for (size_t k = 0; k < s->n_fleets && !p->rent_only; k++) {
        const gpb__fleet *f = &s->fleets[k];
        fleet_st *fs = &b->fleet[k];
        /* Whether the export-control delay strikes: one draw per path. */
        uint32_t stream = 0;
        for (size_t j = 0; j < p->n_procs; j++)
            if (p->procs[j].kind == PK_FLEET && p->procs[j].index == (int)k)
                stream = p->procs[j].stream;
        draw(b, stream, GPB__SLOT_PATH, 0);
        const double *X[] = {
            b->x[f->gpus], b->x[f->price_per_gpu], b->x[f->premium],
            b->x[f->overhead_frac], b->x[f->buy_month],
            b->x[f->lead_time_months], b->x[f->delay_probability],
            b->x[f->delay_months], b->x[f->tdp_watts],
            b->x[f->server_overhead], b->x[f->pue], b->x[f->idle_power_frac],
            b->x[f->tariff_per_kwh], b->x[f->colo_per_kw_month],
            b->x[f->maintenance_frac_per_year],
            b->x[f->depreciation_life_months],
            b->x[f->resale_decline_per_year]};
        const double *sell = col(b, f->sell_month, NULL);
        const double *ro = col(b, f->rent_out_price_per_gpu_hour, p->c0);
        const double *rou = col(b, f->rent_out_utilization, p->c0);
        const double *lf = col(b, f->loan_frac, p->c0);
        const double *lr = col(b, f->loan_rate_per_year, p->c0);
        const double *lm = col(b, f->loan_months, p->c1);
        const double *lease = col(b, f->lease_frac_per_month, p->c0);
        for (size_t i = 0; i < nl; i++) {
            double pd = X[6][i];
            int delayed = pd > 0 && (pd >= 1 || gpb__u01_32(b->w[0][i]) < pd);
            gpb__fleet_spec sp = {
                .gpus = X[0][i],
                .price_per_gpu = X[1][i],
                .premium = X[2][i],
                .overhead_frac = X[3][i],
                .overhead_per_node = 0,
                .gpus_per_node = GPB_FINANCE_GPUS_PER_NODE_DEFAULT,
                .buy_month = month_of(X[4][i], H),
                .lead_months = month_of(X[5][i], H) +
                               (delayed ? month_of(X[7][i], H) : 0),
                .sell_month = sell ? month_of(sell[i], H) : -1,
                .horizon = H,
                .tdp_watts = X[8][i],
                .server_overhead = X[9][i],
                .pue = X[10][i],
                .idle_power_frac = X[11][i],
                .tariff_per_kwh = X[12][i],
                .colo_per_kw_month = X[13][i],
                .maintenance_frac_per_year = X[14][i],
                .depreciation_method = GPB_DEPRECIATION_STRAIGHT_LINE,
                .depreciation_life_months = X[15][i],
                .salvage_frac = 0,
                .declining_rate_per_year = 0,
                .resale_decline_frac_per_year = X[16][i],
                .resale_floor_frac = 0,
                .rent_out_price_per_gpu_hour =
                    f->rent_out_price_per_gpu_hour >= 0 ? ro[i] : 0,
                .rent_out_util_frac = rou[i],
                .financing = (int)f->financing,
                .loan_frac = lf[i],
                .loan_rate_per_year = lr[i],
                .loan_months = lm[i],
                .lease_frac_per_month = lease[i],
                .lease_payment_per_month = 0,
            };
            gpb_error e;
            if (gpb__fleet_terms_init(&sp, &fs->t[i], &e)) {
                char kp[32];
                snprintf(kp, sizeof kp, "fleets[%zu]", k);
                return gpb__fail_at(err, GPB_ENUMERIC, s->source_name,
                                    f->line, f->column, kp,
                                    "path %llu: a sampled value makes fleet "
                                    "'%s' undefined: %s",
                                    (unsigned long long)(b->path0 + i),
                                    f->name, e.message);
            }
            gpb__fleet_state_init(&fs->t[i], &fs->st[i]);
        }
    }
    return GPB_OK;
}

static gpb_status init_serving(eng_block *b, gpb_error *err)
{
    const gpb_scenario *s = b->s;
    const gpb__serving *v = &s->serving;
    size_t nl = b->nl;
    if (!v->present)
        return GPB_OK;
    const double *st = b->x[v->start_month];
    b->sv_min_start = b->p->H;
    for (size_t i = 0; i < nl; i++) {
        int m0 = month_of(st[i], b->p->H);
        b->sv_start[i] = m0;
        if (m0 < b->sv_min_start)
            b->sv_min_start = m0;
        b->users[i] = 0;
        b->sv_gpus[i] = 0;
    }
    if (!v->from_model)
        return GPB_OK;
    const double *pp = b->x[v->params];
    const double *ap = col(b, v->active_params, b->p->c0);
    for (size_t i = 0; i < nl; i++) {
        gpb_decode_spec ds;
        gpb_decode_rate dr;
        gpb_error e;
        gpb_compute_decode_spec_default(&ds);
        ds.params = pp[i];
        ds.active_params = ap[i];
        ds.bytes_per_param = b->x[v->bytes_per_param][i];
        ds.batch = b->x[v->batch][i];
        ds.context_tokens = b->x[v->context_tokens][i];
        ds.kv_bytes_per_token = b->x[v->kv_bytes_per_token][i];
        ds.peak_flop_per_s = v->peak_flop_per_s;
        ds.mem_bw_bytes_per_s = v->gpu->mem_bw_bytes_per_s;
        ds.mfu_frac = b->x[v->mfu][i];
        ds.bw_frac = b->x[v->bw_frac][i];
        if (gpb_compute_decode_rate(&ds, &dr, &e))
            return gpb__fail_at(err, GPB_ENUMERIC, s->source_name, 0, 0,
                                "serving.model",
                                "path %llu: a sampled value makes serving "
                                "undefined: %s",
                                (unsigned long long)(b->path0 + i),
                                e.message);
        b->sv_tok[i] = dr.tokens_per_s;
    }
    return GPB_OK;
}

GPB__VCLONES static void growth_lanes(double *out, const double *drift,
                                      size_t n)
{
#pragma omp simd
    for (size_t i = 0; i < n; i++)
        out[i] = gpb__walk_growth(drift[i]);
}

static gpb_status block_init(eng_block *b, gpb_error *err)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    const int H = p->H;
    size_t nl = b->nl;
    sample_inputs(b);
    /* A category the plan does not use is never booked: its arrays keep
       the zeros the block was made with (finish() sums only the used). */
    for (int c = 0; c < GPB_CAT_COUNT; c++)
        if (p->cat_used[c])
            memset(b->tot[c], 0, nl * sizeof(double));
    const double *cash0 = b->x[s->cash];
    for (size_t i = 0; i < nl; i++) {
        b->cash[i] = cash0[i];
        b->cmin[i] = INFINITY;
        b->runway[i] = H;
        b->dep[i] = 0;
        b->npv[i] = 0;
        b->index[i] = 1.0;
    }
    b->zp_group = b->zu_group = -1;
    {
        const double *d = col(b, s->price_drift_per_month, p->c0);
        const double *g = col(b, s->serving.growth_per_month, p->c0);
        growth_lanes(b->price_growth, d, nl);
        if (s->serving.present)
            growth_lanes(b->users_growth, g, nl);
    }
    for (size_t k = 0; k < s->n_team; k++) {
        const gpb__team_role *t = &s->team[k];
        double *se = b->team_se[k];
        const double *st = b->x[t->start_month];
        const double *en = col(b, t->end_month, NULL);
        const double *sal = b->x[t->salary_per_year];
        const double *oc = col(b, t->on_cost_frac, p->c0);
        for (size_t i = 0; i < nl; i++) {
            se[i] = month_of(st[i], H);
            se[LANES + i] = en ? month_of(en[i], H) : H;
            se[2 * LANES + i] = gpb__team_rate(sal[i], oc[i]);
        }
    }
    for (size_t k = 0; k < s->n_other; k++) {
        const gpb__other_cost *o = &s->other[k];
        int *se = b->other_se[k];
        const double *st = b->x[o->start_month];
        const double *en = col(b, o->end_month, NULL);
        for (size_t i = 0; i < nl; i++) {
            se[i] = month_of(st[i], H);
            se[LANES + i] = en ? month_of(en[i], H) : H;
        }
    }
    for (size_t j = 0; j < p->n_procs; j++) {
        const eng_proc *pr = &p->procs[j];
        if (pr->kind != PK_FUNDING)
            continue;
        const gpb__funding *f = &s->funding[pr->index];
        const double *mo = b->x[f->month];
        const double *pc = col(b, f->probability, p->c1);
        draw(b, pr->stream, GPB__SLOT_PATH, 0);
        int *fm = b->fund_month[pr->index];
        double *cl = b->fund_closed[pr->index];
        b->fund_lo[pr->index] = H;
        b->fund_hi[pr->index] = -1;
        for (size_t i = 0; i < nl; i++) {
            fm[i] = month_of(mo[i], H);
            if (fm[i] < b->fund_lo[pr->index])
                b->fund_lo[pr->index] = fm[i];
            if (fm[i] > b->fund_hi[pr->index])
                b->fund_hi[pr->index] = fm[i];
            double q = pc[i];
            cl[i] = q >= 1 || (q > 0 && gpb__u01_32(b->w[0][i]) < q);
        }
    }
    GPB__TRY(init_data(b, err));
    GPB__TRY(init_runs(b, err));
    init_capacity(b);
    GPB__TRY(init_fleets(b, err));
    return init_serving(b, err);
}

/* ---- month kernels ------------------------------------------------------- */

/*
 * The price index's month: index · e^drift · e^(vol · z) (gpb__walk).
 * With `one` (a compile-time constant of each variant below), the drift
 * and the volatility are the same on every path: read once from lane 0,
 * not loaded per lane (lane_const).
 */
static inline __attribute__((always_inline)) void
price_lanes(double *index, const double *growth, const double *vol,
            const float *z, size_t n, int one)
{
    const double g1 = growth[0];
    const float v1 = (float)vol[0];
#pragma omp simd
    for (size_t i = 0; i < n; i++)
        index[i] = gpb__walk(index[i], one ? g1 : growth[i],
                             (one ? v1 : (float)vol[i]) * z[i]);
}

#define PRICE_VARIANT(NAME, ONE)                                           \
    GPB__VCLONES static void NAME(double *index, const double *growth,    \
                                  const double *vol, const float *z,      \
                                  size_t n)                                \
    {                                                                      \
        price_lanes(index, growth, vol, z, n, ONE);                        \
    }
PRICE_VARIANT(price_step, 0)
PRICE_VARIANT(price_step_1, 1)

static void k_price(eng_block *b, const eng_proc *pr, int m)
{
    const gpb_scenario *s = b->s;
    if (m == 0)
        return; /* index(0) = 1 */
    const double *growth = b->price_growth;
    const double *vol = col(b, s->price_volatility_per_month, b->p->c0);
    long q = m / 4;
    if (q != b->zp_group) {
        normals4(b, pr->stream, q, b->zp);
        b->zp_group = q;
    }
    (lane_const(b, s->price_drift_per_month) &&
             lane_const(b, s->price_volatility_per_month)
         ? price_step_1
         : price_step)(b->index, growth, vol, b->zp[m % 4], b->nl);
}

/*
 * A team line's month: heads (gpb__headcount) times each path's rate of a
 * head (gpb__team_rate, in se[2 · LANES + i]) from its start month to
 * before its end. With `one` (a compile-time constant of each variant
 * below), the heads, the start and the end are the same on every path:
 * the month's heads worked once, not per lane (lane_const).
 */
static inline __attribute__((always_inline)) void
team_lanes(double *flow, const double *se, const double *count,
           const double *add, const double *cap, double m, size_t n, int one)
{
    const double h1 = gpb__headcount(count[0], add[0], cap[0], m - se[0]);
    const int on1 = (m >= se[0]) & (m < se[LANES]);
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        double h = one ? h1 : gpb__headcount(count[i], add[i], cap[i],
                                             m - se[i]);
        int on = one ? on1 : (m >= se[i]) & (m < se[LANES + i]);
        double c = gpb__team_month(h, se[2 * LANES + i]);
        double a = flow[i];
        flow[i] = on ? a + c : a;
    }
}

#define TEAM_VARIANT(NAME, ONE)                                            \
    GPB__VCLONES static void NAME(double *flow, const double *se,         \
                                  const double *count, const double *add, \
                                  const double *cap, double m, size_t n)  \
    {                                                                      \
        team_lanes(flow, se, count, add, cap, m, n, ONE);                  \
    }
TEAM_VARIANT(team_step, 0)
TEAM_VARIANT(team_step_1, 1)

static void k_team(eng_block *b, const eng_proc *pr, int m)
{
    const gpb__team_role *t = &b->s->team[pr->index];
    const double *se = b->team_se[pr->index];
    const double *count = b->x[t->count];
    const double *add = col(b, t->add_per_month, b->p->c0);
    const double *cap = col(b, t->max_count, b->p->cinf);
    double md = (double)m;
    b->booked[GPB_CAT_TEAM] = 1;
    int one = lane_const(b, t->count) && lane_const(b, t->add_per_month) &&
              lane_const(b, t->max_count) && lane_const(b, t->start_month) &&
              lane_const(b, t->end_month);
    if (one && !((md >= se[0]) & (md < se[LANES])))
        return; /* not this month on any path */
    (one ? team_step_1 : team_step)(b->flow[GPB_CAT_TEAM], se, count, add,
                                    cap, md, b->nl);
}

/* The round's amount into flow in its month, on the paths where it
   closed: a select, not a branch (whether a round closed is a coin toss
   on each path, a branch on it mispredicted half the time). */
GPB__VCLONES static void fund_lanes(double *flow, const int *fm,
                                    const double *cl, const double *amt,
                                    int m, size_t n)
{
#pragma omp simd
    for (size_t i = 0; i < n; i++)
        flow[i] += (fm[i] == m) & (cl[i] != 0) ? amt[i] : 0.0;
}

static void k_funding(eng_block *b, const eng_proc *pr, int m)
{
    const gpb__funding *f = &b->s->funding[pr->index];
    if (m < b->fund_lo[pr->index] || m > b->fund_hi[pr->index])
        return;
    const int *fm = b->fund_month[pr->index];
    const double *cl = b->fund_closed[pr->index], *amt = b->x[f->amount];
    double *flow = b->flow[GPB_CAT_FUNDING];
    b->booked[GPB_CAT_FUNDING] = 1;
    fund_lanes(flow, fm, cl, amt, m, b->nl);
}

static void k_other(eng_block *b, const eng_proc *pr, int m)
{
    const gpb__other_cost *o = &b->s->other[pr->index];
    const int *se = b->other_se[pr->index];
    const double *pm = b->x[o->per_month];
    double *flow = b->flow[GPB_CAT_OTHER];
    b->booked[GPB_CAT_OTHER] = 1;
    for (size_t i = 0; i < b->nl; i++)
        flow[i] += m >= se[i] && m < se[LANES + i] ? pm[i] : 0.0;
}

static void k_data(eng_block *b, const eng_proc *pr, int m)
{
    const data_st *ds = &b->data[pr->index];
    if (m < ds->min_start || m >= ds->max_end)
        return;
    double *flow = b->flow[GPB_CAT_DATA];
    b->booked[GPB_CAT_DATA] = 1;
    for (size_t i = 0; i < b->nl; i++)
        flow[i] += gpb_data_work_month(&ds->w[i], m - ds->start[i]);
}

double gpb__poisson_table(const double *cdf, size_t n, const uint32_t *guide,
                          double u)
{
    size_t k = guide[(size_t)(u * 1024.0)];
    /* Two steps without a branch (a guide's bucket spans at most a step
       or two of the CDF but in its tails; how many a draw takes is a coin
       toss, which a loop's exit mispredicted: about 12% of the rented
       run's month in perf, 2026-12-05), then the loop for the tails. */
    k += (k + 1 < n) & (cdf[k] < u);
    k += (k + 1 < n) & (cdf[k] < u);
    while (k + 1 < n && cdf[k] < u)
        k++;
    return (double)k;
}

/* The window's pass of gpb__poisson_lanes over n lanes (a multiple of
   16): k[i] = a + the entries of win[0 .. GPB__POIS_WIN) below u,
   out[i] = 1 where u is at most `below` or above `above` (the count is
   not the draw there). Sixteen lanes at a time, the counts in registers
   while every entry is compared with them: no load waits on a draw, and
   no branch does. */
GPB__VCLONES static void poisson_window(const double *win, double below,
                                        double above, double a,
                                        const uint32_t *w, double *k,
                                        unsigned char *out, size_t n)
{
    for (size_t i0 = 0; i0 < n; i0 += 16) {
        double u[16];
        int64_t c[16];
#pragma omp simd
        for (int l = 0; l < 16; l++) {
            u[l] = gpb__u01_32(w[i0 + l]);
            c[l] = 0;
        }
        for (int j = 0; j < GPB__POIS_WIN; j++) {
            const double e = win[j];
#pragma omp simd
            for (int l = 0; l < 16; l++)
                c[l] += e < u[l];
        }
#pragma omp simd
        for (int l = 0; l < 16; l++) {
            k[i0 + l] = a + (double)c[l];
            out[i0 + l] =
                (unsigned char)(!(u[l] > below) | (u[l] > above));
        }
    }
}

void gpb__poisson_lanes(const double *cdf, size_t n, const uint32_t *guide,
                        size_t a, const uint32_t *w, double *k, size_t nl)
{
    size_t nv = a >= n || n - a <= GPB__POIS_WIN ? 0 : nl / 16 * 16;
    unsigned char out[LANES];
    for (size_t i0 = 0; i0 < nv; i0 += LANES) {
        size_t m = nv - i0 < LANES ? nv - i0 : LANES;
        poisson_window(cdf + a, a ? cdf[a - 1] : -1.0, cdf[a + GPB__POIS_WIN],
                       (double)a, w + i0, k + i0, out, m);
        /* The lanes outside. */
        for (size_t i = next_set(out, 0, m); i < m;
             i = next_set(out, i + 1, m))
            k[i0 + i] = gpb__poisson_table(cdf, n, guide,
                                           gpb__u01_32(w[i0 + i]));
    }
    for (size_t i = nv; i < nl; i++)
        k[i] = gpb__poisson_table(cdf, n, guide, gpb__u01_32(w[i]));
}

/* Draws a Poisson count of mean lam: by the run's table when its mean is
   the plan's, else by inversion (lam < 10) or Hörmann's PTRS (lam ≥ 10),
   the latter taking further uniforms from groups 1, 2, ... of the same
   (path, process, month). */
static double poisson(const eng_plan *p, size_t run, double lam, double u,
                      uint64_t path, uint32_t stream, int m, int table)
{
    if (!(lam > 0))
        return 0;
    if (table && p->fail_cdf[run])
        return gpb__poisson_table(p->fail_cdf[run], p->fail_cdf_n[run],
                                  p->fail_guide[run], u);
    if (lam < 10) {
        double pk = exp(-lam), F = pk;
        double k = 0;
        while (u > F && k < 1000) {
            k += 1;
            pk *= lam / k;
            F += pk;
        }
        return k;
    }
    /* PTRS (Hörmann, "The transformed rejection method for generating
       Poisson random variables", Insurance: Math. & Econ. 12, 1993). */
    double slam = sqrt(lam), loglam = log(lam);
    double bb = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * bb;
    double inva = 1.1239 + 1.1328 / (bb - 3.4), vr = 0.9277 - 3.6224 / (bb - 2);
    for (uint32_t g = 1; g < 4096; g++) {
        uint32_t ctr[4] = {(uint32_t)path, stream, (uint32_t)m,
                           (uint32_t)((path >> 32) << 16) | g},
                 key[2] = {(uint32_t)p->seed, (uint32_t)(p->seed >> 32)},
                 w[4];
        gpb__philox1(ctr, key, w);
        for (int h = 0; h < 4; h += 2) {
            double U = gpb__u01_32(w[h]) - 0.5, V = gpb__u01_32(w[h + 1]);
            double us = 0.5 - fabs(U);
            double k = floor((2 * a / us + bb) * U + lam + 0.43);
            if (us >= 0.07 && V <= vr)
                return k;
            if (k < 0 || (us < 0.013 && V > us))
                continue;
            int sg;
            if (log(V) + log(inva) - log(a / (us * us) + bb) <=
                -lam + k * loglam - lgamma_r(k + 1, &sg))
                return k;
        }
    }
    return floor(lam);
}

/*
 * Of k failures spread evenly over a month, those in its first share q:
 * the least j with F(j) ≥ u, F the Binomial(k, q) CDF (engine.h).
 *
 * k ≤ 1000: by inversion from 0 on the side of the smaller share, P(0) =
 * (1 − p)^k ≥ 2^-1000 (p ≤ ½), P(j + 1) = P(j) · (k − j)/(j + 1) · p/(1 −
 * p); the draw rises with u on both sides (common random numbers). Larger k, up to a variance k q (1 − q) of 10^8: from the mode
 * (Kemp 1986), the terms outward from P(mode) by the same ratios until
 * they no longer count, searched for u times their sum, so an error of
 * P(mode) (from lgamma, growing with k) scales every term alike and
 * cancels; about 80 √(k q (1 − q)) steps at most. Above that variance
 * (more than 10^8 failures in a month, so under 0.03 s lost to each, or
 * the run would not finish): the normal approximation with continuity
 * correction, whose CDF is within 0.5 / 10^4 of the binomial's
 * (Berry–Esseen).
 */
/* Counts up to this are thinned by inversion from 0 (the scalar and the
   lanes alike); P(0) by squaring over THIN_BITS bits covers them. */
#define THIN_INVERT_MAX 1000
#define THIN_BITS 10
_Static_assert((1 << THIN_BITS) > THIN_INVERT_MAX,
               "THIN_BITS bits hold every count thinned by inversion");

double gpb__binomial_thin(double k, double q, double u)
{
    if (!(q > 0) || !(k > 0))
        return 0;
    if (!(q < 1))
        return k;
    double n = k;
    if (n <= THIN_INVERT_MAX) {
        /* Above ½, on the count k − j of the other share: the least j
           with F(j) ≥ u is k − (the least m with F'(m) > 1 − u). P(0) =
           (1 − p)^k by squaring (k whole: ten products at most, a third of
           exp and log1p's time, within k ulps). */
        int flip = q > 0.5;
        double pp = flip ? 1 - q : q, r = pp / (1 - pp);
        double pj = 1, x = 1 - pp;
        for (unsigned e = (unsigned)n; e; e >>= 1, x *= x)
            if (e & 1)
                pj *= x;
        double F = pj, j = 0;
        if (flip) {
            double v = 1 - u;
            while (v >= F && j < n) {
                pj *= (n - j) / (j + 1) * r;
                j += 1;
                F += pj;
            }
            return n - j;
        }
        while (u > F && j < n) {
            pj *= (n - j) / (j + 1) * r;
            j += 1;
            F += pj;
        }
        return j;
    }
    double var = n * q * (1 - q);
    if (var > 1e8) {
        double j = floor(n * q + sqrt(var) * gsl_cdf_ugaussian_Pinv(u) + 0.5);
        return j < 0 ? 0 : j > n ? n : j;
    }
    double odds = q / (1 - q);
    double mode = floor((n + 1) * q);
    mode = mode > n ? n : mode;
    int sg;
    double pm = exp(lgamma_r(n + 1, &sg) - lgamma_r(mode + 1, &sg) -
                    lgamma_r(n - mode + 1, &sg) + mode * log(q) +
                    (n - mode) * log1p(-q));
    /* The mass below and above the mode, until a term no longer counts:
       P(j − 1) = P(j) · j / ((n − j + 1) · odds), P(j + 1) = P(j) ·
       (n − j)/(j + 1) · odds. */
    double lo = 0, hi = 0, pj = pm;
    for (double j = mode; j > 0; j--) {
        pj *= j / ((n - j + 1) * odds);
        lo += pj;
        if (pj < (lo + pm) * 1e-18)
            break;
    }
    pj = pm;
    for (double j = mode; j < n; j++) {
        pj *= (n - j) / (j + 1) * odds;
        hi += pj;
        if (pj < (hi + pm) * 1e-18)
            break;
    }
    double t = u * (lo + pm + hi), F = lo + pm, j = mode;
    pj = pm;
    if (t <= F) { /* the least j with F(j) ≥ t: at or below the mode */
        while (j > 0 && t <= F - pj) {
            F -= pj;
            pj *= j / ((n - j + 1) * odds);
            j -= 1;
        }
        return j;
    }
    while (t > F && j < n) { /* above it; t < the sum, so this ends */
        pj *= (n - j) / (j + 1) * odds;
        j += 1;
        F += pj;
        if (!(pj > 0))
            break;
    }
    return j;
}

/*
 * gpb__binomial_thin for n lanes whose k is a whole number in (0, 1000]
 * and whose q is in (0, 1), the common case: the same bits, lane by lane
 * (tests/test_engine.c compares every lane with the scalar function). The
 * lanes step their inversions side by side: the set-up, then per pass one
 * step of every lane still searching, each lane's arithmetic that of the
 * scalar loop in its order (P(0) by squaring over the ten bits a count up
 * to 1000 has: a squaring past the top bit multiplies nothing in; no
 * product and sum that a compiler could fuse). A month's thinning of
 * 10^6 paths took 44 ns a path one by one.
 */
GPB__VCLONES static void thin_lanes(size_t n, const double *k,
                                    const double *q, const double *u,
                                    double *out)
{
    double pj[LANES], F[LANES], j[LANES], r[LANES], t[LANES];
    int flip[LANES];
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        int fl = q[i] > 0.5;
        double pp = fl ? 1 - q[i] : q[i];
        r[i] = pp / (1 - pp);
        double x = 1 - pp, p0 = 1;
        unsigned e = (unsigned)k[i];
        for (unsigned bit = 0; bit < THIN_BITS; bit++) {
            p0 = (e >> bit) & 1u ? p0 * x : p0;
            x *= x;
        }
        pj[i] = p0;
        F[i] = p0;
        j[i] = 0;
        flip[i] = fl;
        t[i] = fl ? 1 - u[i] : u[i];
    }
    for (int any = 1; any;) {
        any = 0;
#pragma omp simd reduction(| : any)
        for (size_t i = 0; i < n; i++) {
            int go = (flip[i] ? t[i] >= F[i] : t[i] > F[i]) & (j[i] < k[i]);
            double np = pj[i] * ((k[i] - j[i]) / (j[i] + 1) * r[i]);
            pj[i] = go ? np : pj[i];
            F[i] = go ? F[i] + np : F[i];
            j[i] = go ? j[i] + 1 : j[i];
            any |= go;
        }
    }
#pragma omp simd
    for (size_t i = 0; i < n; i++)
        out[i] = flip[i] ? k[i] - j[i] : j[i];
}

void gpb__binomial_thin_lanes(size_t n, const double *k, const double *q,
                              const double *u, double *out)
{
    double kf[LANES], qf[LANES], uf[LANES], of[LANES];
    size_t at[LANES];
    for (size_t i0 = 0; i0 < n; i0 += LANES) {
        size_t n1 = n - i0 < LANES ? n - i0 : LANES, nf = 0;
        for (size_t i = i0; i < i0 + n1; i++) {
            if (k[i] > 0 && k[i] <= THIN_INVERT_MAX && q[i] > 0 && q[i] < 1) {
                kf[nf] = k[i];
                qf[nf] = q[i];
                uf[nf] = u[i];
                at[nf++] = i;
            } else {
                out[i] = gpb__binomial_thin(k[i], q[i], u[i]);
            }
        }
        thin_lanes(nf, kf, qf, uf, of);
        for (size_t f = 0; f < nf; f++)
            out[at[f]] = of[f];
    }
}

/*
 * A run's failures are those before it ended: its finishing month's
 * count, drawn for the whole month, thinned to the share of the month it
 * needed, by the run's once-per-path uniform (slot GPB__SLOT_PATH of its
 * stream), for the block's lanes at once.
 */
static void thin_last_month(eng_block *b, const eng_proc *pr)
{
    run_st *r = &b->run[pr->index];
    size_t nl = b->nl, i = 0;
    while (i < nl && !(r->fin_share[i] < 1 && r->fin_fails[i] > 0))
        i++;
    if (i == nl)
        return;
    draw(b, pr->stream, GPB__SLOT_PATH, 0);
    double *k = b->thin[0], *q = b->thin[1], *u = b->thin[2],
           *kept = b->thin[3];
    size_t *at = b->thin_at, n = 0;
    for (; i < nl; i++)
        if (r->fin_share[i] < 1 && r->fin_fails[i] > 0) {
            k[n] = r->fin_fails[i];
            q[n] = r->fin_share[i];
            u[n] = gpb__u01_32(b->w[0][i]);
            at[n++] = i;
        }
    gpb__binomial_thin_lanes(n, k, q, u, kept);
    for (size_t f = 0; f < n; f++)
        r->failures[at[f]] -= k[f] - kept[f];
}

/* The work of a month of a run's lane, in FLOPs: its FLOPs a full month
   (mflops) on the share frac of its cards, over the hours left after
   `fails` failures losing `lost` hours each, times `keep` (the share of
   spot hours not preempted; 1 otherwise). */
static inline double run_gain(double mflops, double frac, double fails,
                              double lost, double keep)
{
    double eff = gpb__effective_hours(HM, fails, lost) * keep;
    return mflops * frac * (eff / HM);
}

/* The month's divergence of lane i of run r (its draws w[1..3]), found
   at the end of the month's work: the share of its progress it loses. */
static void run_diverge(eng_block *b, const gpb__training *t, run_st *r,
                        size_t i)
{
    r->divergences[i] += 1;
    double lost =
        r->p_restart[i] > 0 && gpb__u01_32(b->w[3][i]) < r->p_restart[i]
            ? 1.0
            : gpb_dist_quantile(&b->s->inputs[t->divergence_work_lost].dist,
                                gpb__u01_32(b->w[2][i]));
    r->progress[i] = gpb__diverged(r->progress[i], r->target[i], lost);
}

/* Lane i of run r reached its target in month m after gaining `gain`:
   done, and the share of the month it needed (its failures thinned by
   finish()). The share of the month billed: that one, or all of it. */
static double run_finish(const gpb__training *t, run_st *r, size_t i, int m,
                         double gain, double fails)
{
    r->done[i] = 1;
    r->pending--;
    r->finish[i] = m;
    double needed = 1.0;
    if (gain > 0) {
        needed = 1.0 - (r->progress[i] - r->target[i]) / gain;
        needed = needed < 0 ? 0 : needed > 1 ? 1 : needed;
    }
    r->fin_fails[i] = fails;
    r->fin_share[i] = needed;
    return t->bill_full_months ? 1.0 : needed;
}

/*
 * k_run for a run on rented cards at the list price (no fleet, no
 * reservation, no spot): the same figures lane for lane, in passes over
 * the lanes that vectorise, the rare events (a divergence, the finishing
 * month) lane by lane between them.
 */
GPB__VCLONES static void run_rent_lanes(eng_block *b, const eng_proc *pr,
                                        const gpb__training *t, run_st *r,
                                        int m, const double *idx,
                                        double *flow)
{
    const eng_plan *p = b->p;
    const size_t nl = b->nl;
    const double md = (double)m;
    double fails[LANES], gain[LANES], share[LANES];
    /* Each lane's price per GPU-hour (init_runs: the column rtl[i].price
       copies), read as an array rather than lane by lane from the terms. */
    const double *price = r->price;
    unsigned char act[LANES], ev[LANES];
    /* The lanes' arrays, read once: a store through one of r's arrays
       could otherwise be taken to change r's pointers, and the passes
       would not vectorise. */
    const int *start = r->start;
    const double *done = r->done, *gpus = r->gpus, *lost = r->lost,
                 *mflops = r->mflops, *p_div = r->p_div,
                 *target = r->target;
    double *began = r->began, *progress = r->progress, *cost = r->cost,
           *gpu_hours = r->gpu_hours, *months = r->months,
           *failures = r->failures;
    const uint32_t *w1 = b->w[1];
    /* Running this month: started, not done, with cards (as k_run's
       "working <= 0": a count that is not a number runs, and its figures
       say so). */
#pragma omp simd
    for (size_t i = 0; i < nl; i++)
        act[i] = (unsigned char)((m >= start[i]) & (done[i] == 0) &
                                 !(gpus[i] <= 0));
    const size_t ri = (size_t)pr->index;
    if (p->fail_cdf[ri] && p->fail_win[ri] != SIZE_MAX) {
        /* The failures (frac 1: every card is rented) by the run's
           table, every lane side by side (gpb__poisson_lanes: the same
           draws), kept where the lane runs and its mean is above 0
           (poisson). */
        gpb__poisson_lanes(p->fail_cdf[ri], p->fail_cdf_n[ri],
                           p->fail_guide[ri], p->fail_win[ri], b->w[0],
                           fails, nl);
        const double *lam = r->lambda;
#pragma omp simd
        for (size_t i = 0; i < nl; i++)
            fails[i] = act[i] & (lam[i] > 0) ? fails[i] : 0.0;
    } else {
        /* The lanes that run, listed first (branch-free): a branch a
           lane on whether it runs, which the lanes' own pace decides,
           cost more than the draw. */
        uint16_t at[LANES];
        size_t na = 0;
        for (size_t i = 0; i < nl; i++) {
            at[na] = (uint16_t)i;
            na += act[i];
            fails[i] = 0;
        }
        for (size_t k = 0; k < na; k++) {
            size_t i = at[k];
            fails[i] = poisson(p, ri, r->lambda[i] * 1.0,
                               gpb__u01_32(b->w[0][i]), b->path0 + i,
                               pr->stream, m, 1);
        }
    }
    /* The month's work, and which lanes diverge. */
#pragma omp simd
    for (size_t i = 0; i < nl; i++) {
        int a = act[i];
        gain[i] = run_gain(mflops[i], 1.0, fails[i], lost[i], 1.0);
        began[i] = a && began[i] > md ? md : began[i];
        progress[i] = a ? progress[i] + gain[i] : progress[i];
        share[i] = 1.0;
        ev[i] = (unsigned char)(a & (p_div[i] > 0) &
                                (gpb__u01_32(w1[i]) < p_div[i]));
    }
    /* The rare events lane by lane: a divergence, then the finish. */
    for (size_t i = next_set(ev, 0, nl); i < nl; i = next_set(ev, i + 1, nl))
        run_diverge(b, t, r, i);
#pragma omp simd
    for (size_t i = 0; i < nl; i++)
        ev[i] = (unsigned char)(act[i] &
                                gpb__run_reached(progress[i], target[i]));
    for (size_t i = next_set(ev, 0, nl); i < nl; i = next_set(ev, i + 1, nl))
        share[i] = run_finish(t, r, i, m, gain[i], fails[i]);
    /* The bill: the hours paid (all of them are used) at the month's
       price (gpb__rent_month's on demand). */
#pragma omp simd
    for (size_t i = 0; i < nl; i++) {
        double paid = gpus[i] * HM * share[i];
        double c = gpb__rent_on_demand(price[i], paid, idx[i]);
        int a = act[i];
        /* Selected, not "+= a ? x : 0": a lane that does not run keeps
           its figures bit for bit (−0 + 0 is +0). */
        cost[i] = a ? cost[i] + c : cost[i];
        flow[i] = a ? flow[i] + c : flow[i];
        gpu_hours[i] = a ? gpu_hours[i] + gpus[i] * HM * share[i] : gpu_hours[i];
        months[i] = a ? months[i] + share[i] : months[i];
        failures[i] = a ? failures[i] + fails[i] : failures[i];
    }
}

static void k_run(eng_block *b, const eng_proc *pr, int m)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    const gpb__training *t = &s->training[pr->index];
    run_st *r = &b->run[pr->index];
    size_t nl = b->nl;
    gpb__acquire acq = p->acquire[pr->index];
    int owns = acq == GPB__ACQUIRE_BUY || acq == GPB__ACQUIRE_MIX;
    fleet_st *fs = owns && t->fleet >= 0 ? &b->fleet[t->fleet] : NULL;
    if (fs)
        memset(r->fleet_used, 0, nl * sizeof *r->fleet_used);
    /* Nothing to do in a month no lane is running or paying for. */
    if (m < r->min_start || (r->pending == 0 && m >= r->commit_max))
        return;
    draw(b, pr->stream, (uint32_t)m, 0);
    const double *idx = t->follows_price_index ? b->index : p->c1;
    double *flow = b->flow[GPB_CAT_COMPUTE_RENT];
    b->booked[GPB_CAT_COMPUTE_RENT] = 1;
    if (!owns && r->rt.mode == GPB_RENT_ON_DEMAND) {
        run_rent_lanes(b, pr, t, r, m, idx, flow);
        return;
    }
    for (size_t i = 0; i < nl; i++) {
        if (m < r->start[i])
            continue;
        const gpb__rent_terms *rtp = &r->rtl[i];
        double hours;
        /* A reservation is paid for its whole commitment, used or not,
           and renewed while the run goes on. */
        if (rtp->mode == GPB_RENT_RESERVED) {
            double c = gpb__rent_month(rtp, &r->rs[i], m, r->gpus[i], 0,
                                       !r->done[i], idx[i], &hours);
            if (m == p->H - 1)
                c += gpb__rent_settle(rtp, &r->rs[i], p->H, &hours);
            if (r->rs[i].commit_end > r->commit_max)
                r->commit_max = r->rs[i].commit_end;
            r->cost[i] += c;
            flow[i] += c;
        }
        if (r->done[i])
            continue;
        gpb__rent_terms rt = *rtp;
        double own = 0, rented = r->gpus[i];
        if (owns && fs) {
            double avail = fs->free[i];
            own = avail < rented ? (avail > 0 ? avail : 0) : rented;
            fs->free[i] -= own;
            rented = acq == GPB__ACQUIRE_MIX ? r->gpus[i] - own : 0;
        }
        double working = own + rented;
        if (working <= 0)
            continue; /* waiting for the fleet's cards */
        if (r->began[i] > m)
            r->began[i] = m;
        double frac = working / r->gpus[i];
        double fails = 0;
        if (r->lambda[i] > 0)
            fails = poisson(p, (size_t)pr->index, r->lambda[i] * frac,
                            gpb__u01_32(b->w[0][i]), b->path0 + i, pr->stream,
                            m, frac == 1.0);
        /* Preempted spot hours do no work. */
        double gain = run_gain(r->mflops[i], frac, fails, r->lost[i],
                               rt.mode == GPB_RENT_SPOT
                                   ? 1.0 - rt.spot_loss_frac
                                   : 1.0);
        r->progress[i] += gain;
        if (r->p_div[i] > 0 && gpb__u01_32(b->w[1][i]) < r->p_div[i])
            run_diverge(b, t, r, i);
        /* The share of the month the GPUs are used: all of it, except in
           the finishing month when billing is pro rata. The run itself
           ends at the share of the month its last work needed, and only
           the failures before then are its own (the month's, thinned). */
        double share = 1.0;
        if (gpb__run_reached(r->progress[i], r->target[i]))
            share = run_finish(t, r, i, m, gain, fails);
        if (own > 0)
            fs->used[i] += r->fleet_used[i] = own * share;
        if (rented > 0 && rt.mode != GPB_RENT_RESERVED) {
            double paid = rented * HM * share;
            double useful = rt.mode == GPB_RENT_SPOT
                                ? paid * (1.0 - rt.spot_loss_frac)
                                : paid;
            double c = gpb__rent_month(&rt, &r->rs[i], m, rented, useful, 1,
                                       idx[i], &hours);
            r->cost[i] += c;
            flow[i] += c;
        }
        r->gpu_hours[i] += working * HM * share;
        r->months[i] += share;
        r->failures[i] += fails;
    }
}

/*
 * Users in month m: users_start in the start month, then a geometric
 * random walk (gpb__walk), capped; and, when cpu is not NULL, the month's
 * serving cost users · cost per user · index and revenue users · ARPU ·
 * paying share (formula.h), in the same pass. With `one` (a compile-time
 * constant of each variant below), the start, the first users, the
 * volatility, the cap, the cost per user and the paying share are the
 * same on every path: read once from lane 0, not loaded per lane.
 */
static inline __attribute__((always_inline)) void
users_lanes(double *users, const double *start, const double *u0,
            const double *g, const double *gv, const double *cap,
            const float *z, const double *cpu, const double *idx,
            double *serve, const double *arpu, const double *pay,
            double *rev, double m, size_t n, int one)
{
    const double start1 = start[0], u01 = u0[0], c1 = cap[0],
                 cpu1 = cpu[0], pay1 = pay[0];
    const float gv1 = (float)gv[0];
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        /* Every value loaded before it is chosen: no branch. */
        double st = one ? start1 : start[i];
        float v = one ? gv1 : (float)gv[i];
        double walk = gpb__walk(users[i], g[i], v * z[i]);
        double first = one ? u01 : u0[i], c = one ? c1 : cap[i];
        double later = m > st ? walk : 0.0;
        double nu = m == st ? first : later;
        double u = nu < c ? nu : c;
        users[i] = u;
        serve[i] += u * (one ? cpu1 : cpu[i]) * idx[i];
        rev[i] += gpb__revenue_month(u, arpu[i], one ? pay1 : pay[i]);
    }
}

#define USERS_VARIANT(NAME, ONE)                                           \
    GPB__VCLONES static void NAME(                                         \
        double *users, const double *start, const double *u0,              \
        const double *g, const double *gv, const double *cap,              \
        const float *z, const double *cpu, const double *idx,              \
        double *serve, const double *arpu, const double *pay, double *rev, \
        double m, size_t n)                                                \
    {                                                                      \
        users_lanes(users, start, u0, g, gv, cap, z, cpu, idx, serve,      \
                    arpu, pay, rev, m, n, ONE);                            \
    }
USERS_VARIANT(users_step, 0)
USERS_VARIANT(users_step_1, 1)

/*
 * A capacity workload's month: G GPUs busy a share u of the month's
 * hours, from its fleet's free cards first (buy, mix), the rest rented on
 * its terms (fleet.h); a reservation is paid to the end of its commitment
 * and settled at the close of the horizon.
 */
static void k_capacity(eng_block *b, const eng_proc *pr, int m)
{
    const eng_plan *p = b->p;
    const gpb__training *t = &b->s->capacity[pr->index];
    cap_st *c = &b->cap[pr->index];
    gpb__acquire acq = p->cap_acquire[pr->index];
    int owns = acq == GPB__ACQUIRE_BUY || acq == GPB__ACQUIRE_MIX;
    fleet_st *fs = owns && t->fleet >= 0 ? &b->fleet[t->fleet] : NULL;
    size_t nl = b->nl;
    if (fs)
        memset(c->fleet_used, 0, nl * sizeof *c->fleet_used);
    if (m < c->min_start || (m >= c->max_end && m >= c->commit_max &&
                             m != p->H - 1))
        return;
    const double *idx = t->follows_price_index ? b->index : p->c1;
    double *flow = b->flow[GPB_CAT_COMPUTE_RENT];
    b->booked[GPB_CAT_COMPUTE_RENT] = 1;
    for (size_t i = 0; i < nl; i++) {
        const gpb__rent_terms *rt = &c->rtl[i];
        int on = m >= c->start[i] && m < c->end[i];
        double cost = 0, hours = 0;
        if (rt->mode == GPB_RENT_RESERVED) {
            if (m >= c->start[i])
                cost = gpb__rent_month(rt, &c->rs[i], m, c->gpus[i], 0, on,
                                       idx[i], &hours);
            if (m == p->H - 1)
                cost += gpb__rent_settle(rt, &c->rs[i], p->H, &hours);
            if (c->rs[i].commit_end > c->commit_max)
                c->commit_max = c->rs[i].commit_end;
            if (on)
                c->gpu_hours[i] += c->gpus[i] * HM;
        } else if (on) {
            double own = 0, rented = c->gpus[i];
            if (fs) {
                double avail = fs->free[i];
                own = avail < rented ? (avail > 0 ? avail : 0) : rented;
                fs->free[i] -= own;
                rented = acq == GPB__ACQUIRE_MIX ? c->gpus[i] - own : 0;
                fs->used[i] += c->fleet_used[i] = own * c->util[i];
            }
            if (rented > 0)
                cost = gpb__rent_month(rt, &c->rs[i], m, rented,
                                       rented * HM * c->util[i], 1, idx[i],
                                       &hours);
            c->gpu_hours[i] += (own + rented) * HM * c->util[i];
        }
        c->cost[i] += cost;
        flow[i] += cost;
    }
}

static void k_serving(eng_block *b, const eng_proc *pr, int m)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    const gpb__serving *v = &s->serving;
    if (m < b->sv_min_start)
        return;
    const double *u0 = b->x[v->users_start];
    const double *g = b->users_growth;
    const double *gv = col(b, v->growth_volatility, p->c0);
    const double *cap = col(b, v->max_users, p->cinf);
    const double *idx = v->follows_price_index ? b->index : p->c1;
    long q = m / 4;
    if (q != b->zu_group) {
        normals4(b, pr->stream, q, b->zu);
        b->zu_group = q;
    }
    const double *arpu = s->revenue.present ? b->x[s->revenue.arpu_per_month]
                                            : p->c0;
    const double *pay = col(b, s->revenue.paying_frac, p->c1);
    double *rev = s->revenue.present ? b->flow[GPB_CAT_REVENUE] : b->scratch;
    double *serve = b->flow[GPB_CAT_SERVING];
    b->booked[GPB_CAT_SERVING] = 1;
    b->booked[GPB_CAT_REVENUE] |= (unsigned char)(s->revenue.present != 0);
    /* Per-user cost: the users, the cost and the revenue in one pass;
       from the model: the users (cost 0 here), then the GPUs below. */
    int one = lane_const(b, v->start_month) &&
              lane_const(b, v->users_start) &&
              lane_const(b, v->growth_volatility) &&
              lane_const(b, v->max_users) &&
              (v->from_model || lane_const(b, v->cost_per_user_per_month)) &&
              (!s->revenue.present || lane_const(b, s->revenue.paying_frac));
    (one ? users_step_1 : users_step)(
        b->users, b->sv_start, u0, g, gv, cap, b->zu[m % 4],
        v->from_model ? p->c0 : b->x[v->cost_per_user_per_month], idx,
        v->from_model ? b->scratch : serve, arpu, pay, rev, (double)m, b->nl);
    const double *users = b->users;
    size_t nl = b->nl;
    if (v->from_model) {
        fleet_st *fs = v->fleet >= 0 && !p->rent_only ? &b->fleet[v->fleet]
                                                       : NULL;
        const double *rq = b->x[v->requests_per_user_per_day];
        const double *tk = b->x[v->tokens_per_request];
        const double *pk = b->x[v->peak_to_mean];
        const double *ut = b->x[v->utilization];
        const double *pr_h = b->x[v->price_per_gpu_hour];
        for (size_t i = 0; i < nl; i++) {
            if (m < b->sv_start[i])
                continue;
            double load = 0, need = 0;
            gpb_compute_serving_load_tokens_per_s(users[i], rq[i], tk[i],
                                                  pk[i], &load, NULL);
            gpb_compute_serving_gpus(load, b->sv_tok[i], ut[i], &need, NULL);
            double own = 0;
            if (fs) {
                double avail = fs->free[i];
                own = avail < need ? (avail > 0 ? avail : 0) : need;
                fs->free[i] -= own;
                fs->used[i] += own;
            }
            serve[i] += gpb__rent((need - own) * HM,
                                  pr_h[i] *
                                      (v->follows_price_index ? b->index[i]
                                                              : 1.0));
            b->sv_gpus[i] = need;
        }
    }
}

static void k_fleet_begin(eng_block *b, const eng_proc *pr, int m)
{
    fleet_st *fs = &b->fleet[pr->index];
    for (size_t i = 0; i < b->nl; i++) {
        fs->free[i] = gpb__fleet_available(&fs->t[i], &fs->st[i], m);
        fs->used[i] = 0;
    }
}

static void k_fleet(eng_block *b, const eng_proc *pr, int m)
{
    fleet_st *fs = &b->fleet[pr->index];
    static const int cats[] = {GPB_CAT_HARDWARE, GPB_CAT_FINANCING,
                               GPB_CAT_POWER,    GPB_CAT_HOSTING,
                               GPB_CAT_MAINTENANCE, GPB_CAT_RESALE,
                               GPB_CAT_RENT_OUT};
    for (size_t c = 0; c < sizeof cats / sizeof *cats; c++)
        b->booked[cats[c]] = 1;
    const int *use_run = fs->runs, *use_cap = fs->caps;
    int nu_run = fs->n_runs, nu_cap = fs->n_caps;
    for (size_t i = 0; i < b->nl; i++) {
        gpb__fleet_flows f;
        /* Cards let out earn the market's price: the index moves it. */
        gpb__fleet_month(&fs->t[i], &fs->st[i], m, fs->used[i], b->index[i],
                         &f);
        b->flow[GPB_CAT_HARDWARE][i] += f.hardware;
        b->flow[GPB_CAT_FINANCING][i] += f.financing;
        b->flow[GPB_CAT_POWER][i] += f.power;
        b->flow[GPB_CAT_HOSTING][i] += f.hosting;
        b->flow[GPB_CAT_MAINTENANCE][i] += f.maintenance;
        b->flow[GPB_CAT_RESALE][i] += f.resale;
        b->flow[GPB_CAT_RENT_OUT][i] += f.rent_out;
        b->dep[i] += f.depreciation;
        /* The cost of owning the cards this month, charged to the runs
           that used them, by card-hours. */
        if (f.in_service > 0 && f.ownership != 0) {
            for (int k = 0; k < nu_run; k++)
                b->run[use_run[k]].cost[i] +=
                    f.ownership *
                    (b->run[use_run[k]].fleet_used[i] / f.in_service);
            for (int k = 0; k < nu_cap; k++)
                b->cap[use_cap[k]].cost[i] +=
                    f.ownership *
                    (b->cap[use_cap[k]].fleet_used[i] / f.in_service);
        }
    }
}

/* ---- the month ------------------------------------------------------------ */

static void step(eng_block *b, const eng_proc *pr, int m)
{
    switch (pr->kind) {
    case PK_PRICE:
        k_price(b, pr, m);
        break;
    case PK_FLEET_BEGIN:
        k_fleet_begin(b, pr, m);
        break;
    case PK_TEAM:
        k_team(b, pr, m);
        break;
    case PK_FUNDING:
        k_funding(b, pr, m);
        break;
    case PK_OTHER:
        k_other(b, pr, m);
        break;
    case PK_RUN:
        k_run(b, pr, m);
        break;
    case PK_CAPACITY:
        k_capacity(b, pr, m);
        break;
    case PK_SERVING:
        k_serving(b, pr, m);
        break;
    case PK_FLEET:
        k_fleet(b, pr, m);
        break;
    case PK_DATA:
        k_data(b, pr, m);
        break;
    }
}

/* One category of the month's close: its flow and total arrays, the sign
   it adds to cash with, and its weight in npv.cost this month. */
typedef struct close_cat {
    double *flow, *tot;
    double sign, npvw;
} close_cat;

/*
 * Closes month m over the block's lanes, eight at a time, in one pass:
 * each category's flow into its total (and zeroed for the next month),
 * into the cash with its sign, into npv.cost with its weight (WITH_NPV),
 * and into eight running ledger sums (WITH_LEDGER: lane i into sum i mod
 * 8, real lanes only); then the cash, its running minimum and the
 * runway (the fan's codes of the closing cash follow: gpb__fan_codes). The order
 * of every sum is fixed by the lanes, so a path's figures are the same in
 * any block. The flags are compile-time constants of each variant below,
 * so the common case (no NPV, no ledger) does only what it needs.
 */
static inline __attribute__((always_inline)) void
close_lanes(const close_cat *cc, int ncat, double *cash, double *cmin,
            double *runway, double *npv, double *lsum, size_t nl, size_t n,
            double m, double H, int with_npv, int with_ledger)
{
    for (size_t i0 = 0; i0 < nl; i0 += 8) {
        double net[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        double nv[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int c = 0; c < ncat; c++) {
            double *f = cc[c].flow + i0, *t = cc[c].tot + i0;
            double sg = cc[c].sign, w = cc[c].npvw;
            double *ls = lsum + 8 * c;
#pragma omp simd
            for (int k = 0; k < 8; k++) {
                double x = f[k];
                t[k] += x;
                net[k] += sg * x;
                if (with_npv)
                    nv[k] += w * x;
                if (with_ledger)
                    ls[k] += i0 + (size_t)k < n ? x : 0.0;
                f[k] = 0.0;
            }
        }
#pragma omp simd
        for (int k = 0; k < 8; k++) {
            size_t i = i0 + (size_t)k;
            double c = cash[i] + net[k];
            cash[i] = c;
            cmin[i] = c < cmin[i] ? c : cmin[i];
            runway[i] = (runway[i] == H) & (c < 0) ? m : runway[i];
            if (with_npv)
                npv[i] += nv[k];
        }
    }
}

#define CLOSE_VARIANT(NAME, NPV, LEDGER)                                   \
    GPB__VCLONES static void NAME(                                         \
        const close_cat *cc, int ncat, double *cash, double *cmin,         \
        double *runway, double *npv, double *lsum, size_t nl, size_t n,    \
        double m, double H)                                                \
    {                                                                      \
        close_lanes(cc, ncat, cash, cmin, runway, npv, lsum, nl, n, m, H,  \
                    NPV, LEDGER);                                          \
    }
CLOSE_VARIANT(close_plain, 0, 0)
CLOSE_VARIANT(close_npv, 1, 0)
CLOSE_VARIANT(close_ledger, 0, 1)
CLOSE_VARIANT(close_all, 1, 1)

GPB__VCLONES void gpb__fan_codes(const double *cash, size_t n,
                                uint16_t *row, uint16_t *top, uint64_t *ext,
                                gpb__sketch *esc)
{
    uint64_t klo = ext[0], khi = ext[1];
    uint32_t et = 0;
#pragma omp simd reduction(min : klo) reduction(max : khi) reduction(max : et)
    for (size_t i = 0; i < n; i++) {
        uint64_t key = gpb__sketch_key(cash[i]);
        uint32_t e = gpb__sketch_key_exponent(key);
        klo = key < klo ? key : klo;
        khi = key > khi ? key : khi;
        et = e > et ? e : et;
    }
    ext[0] = klo;
    ext[1] = khi;
    unsigned n_esc = 0;
#pragma omp simd reduction(+ : n_esc)
    for (size_t i = 0; i < n; i++) {
        uint16_t c = gpb__sketch_code16(gpb__sketch_key(cash[i]), et);
        row[i] = c;
        n_esc += gpb__sketch_code_escaped(c);
    }
    *top = (uint16_t)(et | (n_esc ? GPB__SKETCH_TOP_ESC : 0u));
    for (size_t i = 0; n_esc && i < n; i++)
        if (gpb__sketch_code_escaped(row[i])) {
            uint64_t key = gpb__sketch_key(cash[i]);
            uint32_t k32 = (uint32_t)(key >> 32);
            gpb__sketch_add_keys32(esc, &k32, 1, key, key);
        }
}

GPB__VCLONES void gpb__fan_bands_count(const double *cash, size_t n,
                                      const eng_fan_bands *fb,
                                      uint64_t *cnt, uint64_t *ext,
                                      gpb__sketch *win)
{
    uint32_t bucket[LANES];
    uint64_t klo = ext[0], khi = ext[1];
#pragma omp simd reduction(min : klo) reduction(max : khi)
    for (size_t i = 0; i < n; i++) {
        uint64_t key = gpb__sketch_key(cash[i]);
        klo = key < klo ? key : klo;
        khi = key > khi ? key : khi;
        bucket[i] = (uint32_t)(key >> GPB__SKETCH_BUCKET_SHIFT);
    }
    ext[0] = klo;
    ext[1] = khi;
    /* One pass over the lanes for all the bands, in 32-bit lanes: below
       each, and inside each (b − lo wraps below lo: one unsigned
       compare), into a mask of 32-bit flags; the counts stay in
       registers, and each lane's flag is stored once, not once a band.
       Always GPB__FAN_BANDS_MAX bands: those past the month's n are
       compared too, their flags masked off and their counts dropped. */
    _Static_assert(GPB__FAN_BANDS_MAX == 5, "one pass of five bands");
    uint32_t lo[5], w[5], on[5];
    for (unsigned j = 0; j < 5; j++) {
        on[j] = j < fb->n ? 1u : 0u;
        lo[j] = on[j] ? fb->lo[j] : 0;
        w[j] = on[j] ? fb->hi[j] - fb->lo[j] : 0;
    }
    uint32_t in[LANES];
    uint32_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0;
    uint32_t i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0;
#pragma omp simd reduction(+ : c0, c1, c2, c3, c4, i0, i1, i2, i3, i4)
    for (size_t i = 0; i < n; i++) {
        uint32_t b = bucket[i];
        uint32_t x0 = ((b - lo[0]) <= w[0]) & on[0],
                 x1 = ((b - lo[1]) <= w[1]) & on[1],
                 x2 = ((b - lo[2]) <= w[2]) & on[2],
                 x3 = ((b - lo[3]) <= w[3]) & on[3],
                 x4 = ((b - lo[4]) <= w[4]) & on[4];
        c0 += b < lo[0];
        c1 += b < lo[1];
        c2 += b < lo[2];
        c3 += b < lo[3];
        c4 += b < lo[4];
        i0 += x0;
        i1 += x1;
        i2 += x2;
        i3 += x3;
        i4 += x4;
        in[i] = x0 | x1 | x2 | x3 | x4;
    }
    const uint32_t cb[5] = {c0, c1, c2, c3, c4}, ci[5] = {i0, i1, i2, i3, i4};
    for (unsigned j = 0; j < fb->n; j++) {
        cnt[2 * j] += cb[j];
        cnt[2 * j + 1] += ci[j];
    }
    /* Those inside (a few in a hundred after the first months), by their
       keys' upper halves, branch-free. */
    uint32_t key32[LANES];
    uint16_t at[LANES];
    size_t k = gpb__lanes_where(in, n, at);
    if (!k)
        return;
    uint64_t ilo = UINT64_MAX, ihi = 0;
    for (size_t t = 0; t < k; t++) {
        uint64_t key = gpb__sketch_key(cash[at[t]]);
        ilo = key < ilo ? key : ilo;
        ihi = key > ihi ? key : ihi;
        key32[t] = (uint32_t)(key >> 32);
    }
    gpb__sketch_add_keys32(win, key32, k, ilo, ihi);
}

/* 1 when x[0..n-1] are all finite: a reduction that vectorises. */
GPB__VCLONES static int all_finite(const double *x, size_t n)
{
    int bad = 0;
#pragma omp simd reduction(| : bad)
    for (size_t i = 0; i < n; i++)
        bad |= !(fabs(x[i]) <= 1.7976931348623157e308);
    return !bad;
}

static int lane_finite(const eng_block *b, int cat_only)
{
    for (int c = 0; c < GPB_CAT_COUNT; c++)
        if (cat_only ? !isfinite(b->flow[c][0]) : !isfinite(b->tot[c][0]))
            return 0;
    return 1;
}

static int proc_finite(const eng_block *b, const eng_proc *pr)
{
    if (!lane_finite(b, 1))
        return 0;
    if (pr->kind == PK_RUN) {
        const run_st *r = &b->run[pr->index];
        return isfinite(r->progress[0]) && isfinite(r->cost[0]);
    }
    if (pr->kind == PK_PRICE)
        return isfinite(b->index[0]);
    if (pr->kind == PK_SERVING)
        return isfinite(b->users[0]);
    return 1;
}

/* ---- the block ------------------------------------------------------------ */

/* y = gpb__derive(kind, d, x) lane by lane: one loop per kind, so each
   is the formula with its kind a constant, and vectorises. */
static void derive_lanes(int kind, double d, const double *x, double *y,
                         size_t n)
{
#define DERIVE_LOOP(K)                                                      \
    do {                                                                    \
        _Pragma("omp simd") for (size_t i = 0; i < n; i++) y[i] =           \
            gpb__derive(K, d, x[i]);                                        \
    } while (0)
    switch (kind) {
    case GPB__DERIVE_DIV:
        DERIVE_LOOP(GPB__DERIVE_DIV);
        break;
    case GPB__DERIVE_DEFICIT:
        DERIVE_LOOP(GPB__DERIVE_DEFICIT);
        break;
    case GPB__DERIVE_BELOW:
        DERIVE_LOOP(GPB__DERIVE_BELOW);
        break;
    default: /* any other kind: the formula as it is */
        for (size_t i = 0; i < n; i++)
            y[i] = gpb__derive(kind, d, x[i]);
        break;
    }
#undef DERIVE_LOOP
}

static void finish(eng_block *b, double *store, const double **out)
{
    const eng_plan *p = b->p;
    const gpb_scenario *s = b->s;
    const int H = p->H;
    size_t nl = b->nl;
    for (size_t j = 0; j < p->n_procs; j++)
        if (p->procs[j].kind == PK_RUN)
            thin_last_month(b, &p->procs[j]);
    /* A metric the block holds as it is is handed out as the block's own
       array (SHOW); one computed here is written to the caller's (OWN). */
#define IDX(kind, id, owner) gpb__metric_index(p, kind, id, owner)
#define SHOW(kind, id, owner, arr) (out[IDX(kind, id, owner)] = (arr))
#define AT(m) (store + (m) * LANES)
#define OWN(kind, id, owner)                                               \
    (out[IDX(kind, id, owner)] = AT(IDX(kind, id, owner)),                 \
     AT(IDX(kind, id, owner)))
    for (int c = 0; c < GPB_CAT_COUNT; c++)
        SHOW(MK_CATEGORY, c, -1, b->tot[c]);
    double *spend = OWN(MK_PATH, GPB_METRIC_SPEND_TOTAL, -1);
    double *inc = OWN(MK_PATH, GPB_METRIC_INCOME_TOTAL, -1);
    /* Σ of the categories in registry order, lane by lane (the order of
       the sum is the same for every path); those nothing books add 0. */
    memset(spend, 0, nl * sizeof *spend);
    memset(inc, 0, nl * sizeof *inc);
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        if (!p->cat_used[c])
            continue;
        double *acc = gpb_category_flow((gpb_category)c) == GPB_FLOW_SPEND
                          ? spend
                          : inc;
        const double *t = b->tot[c];
#pragma omp simd
        for (size_t i = 0; i < nl; i++)
            acc[i] += t[i];
    }
    double *gh = OWN(MK_PATH, GPB_METRIC_GPU_HOURS, -1);
    double *sd = OWN(MK_PATH, GPB_METRIC_SERVING_DAY, -1);
    /* GPU-hours: Σ over the runs in their order, lane by lane. */
    memset(gh, 0, nl * sizeof *gh);
    for (size_t k = 0; k < s->n_training; k++) {
        const double *rg = b->run[k].gpu_hours;
        for (size_t i = 0; i < nl; i++)
            gh[i] += rg[i];
    }
    const double *cash = b->cash, *cmin = b->cmin, *runway = b->runway,
                 *slast = b->serve_last;
    for (size_t i = 0; i < nl; i++)
        sd[i] = slast[i] / (HM / 24.0);
    SHOW(MK_PATH, GPB_METRIC_CASH_END, -1, cash);
    SHOW(MK_PATH, GPB_METRIC_CASH_MIN, -1, cmin);
    SHOW(MK_PATH, GPB_METRIC_RUNWAY, -1, runway);
    SHOW(MK_PATH, GPB_METRIC_SERVING_GPUS, -1, b->sv_gpus);
    SHOW(MK_PATH, GPB_METRIC_USERS, -1, b->users);
    SHOW(MK_PATH, GPB_METRIC_DEPRECIATION, -1, b->dep);
    SHOW(MK_PATH, GPB_METRIC_NPV_COST, -1, b->npv);
    for (size_t k = 0; k < s->n_training; k++) {
        const run_st *r = &b->run[k];
        int o = (int)k;
        SHOW(MK_RUN, GPB_RUN_COST, o, r->cost);
        SHOW(MK_RUN, GPB_RUN_GPU_HOURS, o, r->gpu_hours);
        SHOW(MK_RUN, GPB_RUN_FINISH, o, r->finish);
        SHOW(MK_RUN, GPB_RUN_FINISHED, o, r->done);
        SHOW(MK_RUN, GPB_RUN_MONTHS, o, r->months);
        SHOW(MK_RUN, GPB_RUN_FAILURES, o, r->failures);
        SHOW(MK_RUN, GPB_RUN_DIVERGENCES, o, r->divergences);
        SHOW(MK_RUN, GPB_RUN_FLOPS, o, r->target);
        SHOW(MK_RUN, GPB_RUN_PEAK, o, r->peak);
        SHOW(MK_RUN, GPB_RUN_START, o, r->began);
    }
    for (size_t k = 0; k < s->n_capacity; k++) {
        SHOW(MK_CAP, GPB_CAP_COST, (int)k, b->cap[k].cost);
        SHOW(MK_CAP, GPB_CAP_GPU_HOURS, (int)k, b->cap[k].gpu_hours);
    }
    for (size_t k = 0; k < s->n_funding; k++) {
        double *cl = OWN(MK_ROUND, GPB_ROUND_CLOSED, (int)k);
        const double *fc = b->fund_closed[k];
        const int *fm = b->fund_month[k];
#pragma omp simd
        for (size_t i = 0; i < nl; i++) /* (a select: see fund_lanes) */
            cl[i] = (double)((fc[i] != 0) & (fm[i] < H));
    }
    /* The metrics that are functions of others (the plan's table,
       gpb__derive: a result makes them on request from the same values),
       once their sources are written. */
    for (size_t m = 0; m < p->n_metrics; m++) {
        const eng_metric *mt = &p->metrics[m];
        if (!mt->derived)
            continue;
        derive_lanes(mt->derived, mt->d, out[mt->src], AT(m), nl);
        out[m] = AT(m);
    }
#undef OWN
#undef AT
#undef SHOW
#undef IDX
}

gpb_status gpb__block_run(eng_block *b, uint64_t path0, size_t n,
                          double *store, const double **out,
                          const eng_fan *fan,
                          double *rt_min, uint64_t *out_month,
                          gpb__fixed *ledger, eng_trace_rec *rec,
                          long *bad_lane, gpb_error *err)
{
    const eng_plan *p = b->p;
    const int H = p->H;
    b->path0 = path0;
    b->n = n;
    b->nl = (n + GPB__LANE_PAD - 1) / GPB__LANE_PAD * GPB__LANE_PAD;
    *bad_lane = -1;
    /* Until finish() points them at the block's arrays: the caller's, so
       that no return leaves one pointing at a previous block's. */
    for (size_t m = 0; m < p->n_metrics; m++)
        out[m] = store + m * LANES;
    GPB__TRY(block_init(b, err));
    size_t nl = b->nl;
    if (rec && rec->diagnose) {
        /* An input that is not finite once converted (an amount times an
           absurd exchange rate). */
        for (size_t i = 0; i < p->n_inputs; i++)
            if (b->x[i] && !isfinite(b->x[i][0])) {
                rec->bad_month = -1;
                rec->bad_input = (int)i;
                return GPB_OK;
            }
    }
    for (int c = 0; c < GPB_CAT_COUNT; c++)
        if (p->cat_used[c])
            memset(b->flow[c], 0, nl * sizeof(double));
    memset(b->booked, 0, sizeof b->booked);
    close_cat cc[GPB_CAT_COUNT];
    int cidx[GPB_CAT_COUNT];
    double lsum[GPB_CAT_COUNT * 8];
    for (int m = 0; m < H; m++) {
        for (size_t j = 0; j < p->n_procs; j++) {
            step(b, &p->procs[j], m);
            if (rec && rec->diagnose && !proc_finite(b, &p->procs[j])) {
                rec->bad_month = m;
                rec->bad_proc = (int)j;
                return GPB_OK;
            }
        }
        if (rec && rec->flow) {
            for (int c = 0; c < GPB_CAT_COUNT; c++)
                rec->flow[(size_t)m * GPB_CAT_COUNT + c] = b->flow[c][0];
        }
        /* npv.cost: costs less income other than funding, a purchase
           discounted from the start of its month, the rest from its end
           (fleet.h), as rent-vs-buy discounts its points. */
        double d0 = 0, d1 = 0;
        if (p->npv) {
            d0 = gpb__discount(p->discount_rate, (double)m + GPB__AT_START);
            d1 = gpb__discount(p->discount_rate, (double)m + GPB__AT_END);
        }
        /* The categories booked this month, in registry order; with the
           ledger's quantiles, every used category's flow (0 where not
           booked) into its sketch of the month. */
        int ncat = 0;
        for (int c = 0; c < GPB_CAT_COUNT; c++) {
            if (ledger && b->ledger_sk && p->cat_used[c]) {
                static const double zeros[LANES];
                gpb__sketch_add_n(&b->ledger_sk[(size_t)m * GPB_CAT_COUNT + c],
                                  b->booked[c] ? b->flow[c] : zeros, n);
            }
            if (!b->booked[c])
                continue;
            b->booked[c] = 0;
            cc[ncat].flow = b->flow[c];
            cc[ncat].tot = b->tot[c];
            cc[ncat].sign = gpb_category_flow((gpb_category)c) ==
                                    GPB_FLOW_SPEND
                                ? -1.0
                                : 1.0;
            cc[ncat].npvw = c == GPB_CAT_HARDWARE ? d0
                            : c == GPB_CAT_FUNDING ? 0.0
                            : cc[ncat].sign < 0    ? d1
                                                   : -d1;
            cidx[ncat++] = c;
        }
        if (m == H - 1)
            memcpy(b->serve_last, b->flow[GPB_CAT_SERVING],
                   nl * sizeof(double));
        if (ledger) {
            memset(lsum, 0, sizeof lsum);
            (p->npv ? close_all : close_ledger)(cc, ncat, b->cash, b->cmin,
                                                b->runway, b->npv, lsum, nl,
                                                n, (double)m, (double)H);
        } else {
            (p->npv ? close_npv : close_plain)(cc, ncat, b->cash, b->cmin,
                                               b->runway, b->npv, lsum, nl,
                                               n, (double)m, (double)H);
        }
        if (fan && fan->bands)
            gpb__fan_bands_count(b->cash, n, fan->bands + m,
                                 fan->below +
                                     (size_t)m * GPB__FAN_BANDS_MAX * 2,
                                 fan->ext + 2 * (size_t)m, fan->esc + m);
        else if (fan)
            gpb__fan_codes(b->cash, n, fan->code + (size_t)m * fan->stride,
                      fan->top + (size_t)m * fan->tstride,
                      fan->ext + 2 * (size_t)m, fan->esc + m);
        if (rt_min && m == p->raise_months - 1)
            memcpy(rt_min, b->cmin, n * sizeof *rt_min);
        if (ledger)
            for (int k = 0; k < ncat; k++) {
                const double *l = lsum + 8 * k;
                double sum = ((l[0] + l[1]) + (l[2] + l[3])) +
                             ((l[4] + l[5]) + (l[6] + l[7]));
                ledger[(size_t)m * GPB_CAT_COUNT + cidx[k]] +=
                    gpb__to_fixed(sum);
            }
        if (rec) {
            if (rec->diagnose &&
                (!lane_finite(b, 0) || !isfinite(b->cash[0]))) {
                rec->bad_month = m;
                rec->bad_proc = -1;
                rec->bad_cat = -1;
                for (int c = 0; c < GPB_CAT_COUNT && rec->bad_cat < 0; c++)
                    if (!isfinite(b->tot[c][0]))
                        rec->bad_cat = c;
                return GPB_OK;
            }
            if (rec->flow) {
                rec->cash[m] = b->cash[0];
                for (size_t k = 0; k < b->s->n_training; k++) {
                    const run_st *r = &b->run[k];
                    double f = r->target[0] > 0
                                   ? r->progress[0] / r->target[0]
                                   : 1.0;
                    rec->progress[(size_t)m * b->s->n_training + k] =
                        r->done[0] ? 1.0 : (f < 1 ? f : 1);
                }
            }
        }
    }
    finish(b, store, out);
    if (out_month) /* four tables: equal months do not wait on each other */
        GPB__COUNT4(out_month, (size_t)b->p->H + 1, b->runway, n);
    /* Every figure of every path must be a number: the first path that
       has one that is not is reported. */
    for (size_t mi = 0; mi < p->n_metrics; mi++) {
        if (all_finite(out[mi], n))
            continue;
        size_t lim = *bad_lane >= 0 ? (size_t)*bad_lane : n;
        for (size_t i = 0; i < lim; i++)
            if (!isfinite(out[mi][i])) {
                *bad_lane = (long)i;
                break;
            }
    }
    return GPB_OK;
}
