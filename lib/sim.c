/*
 * The Monte Carlo engine (gpubudget/sim.h).
 *
 * A run has three stages:
 *  1. plan: read the scenario once into a flat description of what a path
 *     does (which inputs are uncertain, the copula, the metric table);
 *  2. simulate: blocks of GPB_SIM_BLOCK_PATHS paths on worker threads. A
 *     pilot pass over the first blocks fixes the range of each month's
 *     cash histogram, so the main pass can count into fixed bins; counts
 *     are integers, so merging them is exact in any order;
 *  3. results: per-path metrics in path order, sorted lazily for quantiles.
 *
 * Everything the engine knows about compute and risk it asks the compute and
 * risk layers; this file holds only the month-by-month bookkeeping.
 */
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "gpubudget/compute.h"
#include "gpubudget/finance.h"
#include "gpubudget/risk.h"
#include "gpubudget/sim.h"
#include "internal.h"
#include "scenario_model.h"
#include "sim_internal.h"

/* Pilot paths that fix the histogram ranges (the first blocks of the run). */
#define PILOT_BLOCKS 4

void gpb_sim_options_default(gpb_sim_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->paths = 10000;
    opt->seed = 20230225u; /* the date of the first source article */
    opt->threads = 0;
}

/* ---- generator seeding ------------------------------------------------ */

/* SplitMix64 (Steele, Lea & Flood 2014): a strong 64-bit mixer. */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/*
 * The one place a block's generator is derived from (seed, block index).
 * MT19937 takes a 32-bit seed; mixing both words through SplitMix64 keeps
 * neighbouring blocks and neighbouring seeds unrelated, and 0 (which GSL
 * maps to its default seed) is never used.
 */
unsigned long gpb__sim_block_seed(uint64_t seed, uint64_t block)
{
    uint64_t h = splitmix64(splitmix64(seed) ^ (block * 0xd1b54a32d192ed03ull));
    unsigned long s = (unsigned long)(h >> 32) ^ (unsigned long)(h & 0xffffffffu);
    s &= 0xffffffffUL;
    return s ? s : 0x5eedUL;
}

/* ---- metric table ----------------------------------------------------- */

enum {
    M_SPEND_TOTAL,
    M_SPEND_TEAM,
    M_SPEND_RENT,
    M_SPEND_SERVING,
    M_SPEND_OTHER,
    M_SPEND_MONTHLY,
    M_REVENUE,
    M_FUNDING,
    M_CASH_END,
    M_CASH_MIN,
    M_DEFICIT,
    M_RUNWAY,
    M_OUT,
    M_GPU_HOURS,
    M_CARD_MONTHS,
    M_SERVING_DAY,
    M_SPEND_PURCHASE,
    M_SPEND_POWER,
    M_INCOME_RESALE,
    M_INCOME_RENTOUT,
    M_DEPRECIATION,
    M_SERVING_GPUS,
    M_FIXED_COUNT
};

/* Per-run metrics, in this order after the fixed ones. */
enum {
    R_COST,
    R_GPU_HOURS,
    R_CARD_MONTHS,
    R_FINISH,
    R_FINISHED,
    R_MONTHS,
    R_FAILURES,
    R_DIVERGENCES,
    R_FLOPS,
    R_PEAK,
    R_COUNT
};

static const char *const fixed_names[M_FIXED_COUNT] = {
    "spend.total",   "spend.team",       "spend.compute_rent",
    "spend.serving", "spend.other",      "spend.monthly_mean",
    "revenue.total", "funding.total",    "cash.end",
    "cash.min",      "deficit.max",      "runway_months",
    "out_of_cash",   "gpu_hours",        "card_months",
    "serving.cost_per_day_last",
    "spend.compute_purchase", "spend.power_hosting",
    "income.resale", "income.rent_out", "accounting.depreciation",
    "serving.gpus_last",
};
/* NULL unit = the report currency. */
static const char *const fixed_units[M_FIXED_COUNT] = {
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    "months", "probability", "GPU-hours", "card-months", NULL,
    NULL, NULL, NULL, NULL, NULL, "GPUs",
};
static const char *const run_suffix[R_COUNT] = {
    "cost", "gpu_hours", "card_months", "finish_month",
    "finished", "months", "failures", "divergences",
    "flops", "peak_flop_per_s",
};
static const char *const run_units[R_COUNT] = {
    NULL, "GPU-hours", "card-months", "months",
    "probability", "months", "count", "count",
    "FLOPs", "FLOP/s",
};

/* ---- the plan ---------------------------------------------------------- */

typedef struct plan {
    const gpb_scenario *s;
    int horizon;
    size_t n_inputs;
    /* Uncertain per-path inputs, in input order. */
    size_t n_unc;
    size_t *unc; /* input index of each */
    /* Copula over a subset of the uncertain inputs. */
    gpb_copula *copula;
    size_t n_cop;
    size_t *cop_unc; /* positions (in unc[]) of the correlated inputs */
    unsigned char *in_copula; /* per uncertain input: 1 when correlated */
    int quasi;
    size_t n_metrics;
    double *x0;      /* every input's fixed value (NaN for the others) */
    size_t n_money;  /* inputs whose currency differs from the report's */
    size_t *money;
} plan;

static void plan_free(plan *p)
{
    free(p->unc);
    free(p->cop_unc);
    free(p->in_copula);
    free(p->x0);
    free(p->money);
    gpb_copula_free(p->copula);
}

static double fixed_value(const gpb_dist *d)
{
    /* A fixed distribution's every quantile is its value. */
    return gpb_dist_quantile(d, 0.5);
}

static gpb_status plan_build(plan *p, const gpb_scenario *s,
                             const gpb_sim_options *opt, gpb_error *err)
{
    memset(p, 0, sizeof *p);
    p->s = s;
    p->horizon = s->horizon_months;
    p->n_inputs = s->n_inputs;
    p->quasi = opt->quasi_random;
    p->n_metrics = M_FIXED_COUNT + R_COUNT * s->n_training;
    p->unc = calloc(s->n_inputs ? s->n_inputs : 1, sizeof *p->unc);
    p->in_copula = calloc(s->n_inputs ? s->n_inputs : 1, 1);
    if (!p->unc || !p->in_copula)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
    p->x0 = calloc(s->n_inputs ? s->n_inputs : 1, sizeof *p->x0);
    p->money = calloc(s->n_inputs ? s->n_inputs : 1, sizeof *p->money);
    if (!p->x0 || !p->money)
        return gpb__fail(err, GPB_ENOMEM, "out of memory planning the run");
    for (size_t i = 0; i < s->n_inputs; i++) {
        const gpb__input *in = &s->inputs[i];
        int fixed = gpb_dist_is_fixed(&in->dist);
        p->x0[i] = in->per_event || !fixed ? NAN : fixed_value(&in->dist);
        if (!in->per_event && !fixed)
            p->unc[p->n_unc++] = i;
        if (!in->per_event && in->currency != GPB_CURRENCY_NONE &&
            in->currency != s->currency && gpb_qty_kind_is_money(in->kind))
            p->money[p->n_money++] = i;
    }

    if (s->n_correlations) {
        /* Positions of the correlated inputs among the uncertain ones. */
        p->cop_unc = calloc(p->n_unc ? p->n_unc : 1, sizeof *p->cop_unc);
        if (!p->cop_unc)
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
        for (size_t c = 0; c < s->n_correlations; c++) {
            int ab[2] = {s->correlations[c].a, s->correlations[c].b};
            for (int k = 0; k < 2; k++)
                for (size_t j = 0; j < p->n_unc; j++)
                    if (p->unc[j] == (size_t)ab[k] && !p->in_copula[j]) {
                        p->in_copula[j] = 1;
                        p->cop_unc[p->n_cop++] = j;
                    }
        }
        /* Keep input order inside the copula. */
        for (size_t a = 1; a < p->n_cop; a++)
            for (size_t b = a; b > 0 && p->cop_unc[b - 1] > p->cop_unc[b];
                 b--) {
                size_t t = p->cop_unc[b];
                p->cop_unc[b] = p->cop_unc[b - 1];
                p->cop_unc[b - 1] = t;
            }
        size_t n = p->n_cop;
        double *m = calloc(n > 0 ? n * n : 1, sizeof *m);
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
        if (st)
            return st;
    }
    if (p->quasi && p->n_unc > 40)
        return gpb__fail(err, GPB_EINVAL,
                         "quasi-random sampling supports at most 40 uncertain "
                         "inputs (GSL's Sobol generator); this scenario has %zu",
                         p->n_unc);
    return GPB_OK;
}

/* ---- one path ---------------------------------------------------------- */

/* Per-run state while a path is simulated. */
typedef struct run_state {
    double target_flops;      /* compute to finish, with exploration */
    double peak;              /* dense peak FLOP/s of one of its GPUs */
    double month_flops;       /* FLOPs per full month of the cluster */
    double gpus;
    double price0;            /* price per GPU-hour in month 0 (report cur.) */
    double fail_mean;         /* expected failures per running month */
    double gpu_mtbf_hours;    /* per-GPU MTBF (failures drawn by risk) */
    double lost_per_failure;  /* cluster hours lost per failure */
    double p_div;             /* divergence probability per running month */
    double p_restart;         /* share of divergences that start over */
    int start, follows, bill_full;
    double commit_monthly;    /* reserve: payment per committed month */
    int commit_end;           /* reserve: first month after the commitment */
    double progress;
    int done, finish_month;
    double cost, gpu_hours, months, failures, divergences;
} run_state;

typedef struct shared {
    const plan *p;
    const gpb_sim_options *opt;
    struct gpb_result *r;
    size_t n_blocks;
    size_t paths;
    atomic_size_t next_block;
    atomic_size_t paths_done;
    atomic_int cancel;
    int pilot; /* 1: only record extremes (no stores) */
    /* first failure, by block index, for a deterministic message */
    pthread_mutex_t lock;
    size_t err_block;
    gpb_error err;
    gpb_status err_status;
    double *qmc_u; /* quasi-random uniforms, paths × n_unc, or NULL */
} shared;

/* An owned fleet's state along a path. */
typedef struct fleet_state {
    double gpus;
    double capex;        /* cards with premium, servers and network */
    double card_value;   /* cards alone: what resale is a share of */
    int buy, deliver, sell; /* months; sell = horizon when never sold */
    double loan_payment; /* per month, from buy + 1 */
    int loan_end;        /* last month with a payment */
    double lease_payment;
    double used;         /* GPUs used by runs this month */
    int sold;
    gpb_depreciation dep;
} fleet_state;

typedef struct worker_ctx {
    shared *sh;
    hist_set hist;
    gsl_rng *rng;
    double *x;    /* inputs of the current path */
    /* The block's closing cash and running minimum, [month][path in
       block]: counted into the histograms month by month after the block,
       so each month's bins stay in cache. */
    double *blk_cash, *blk_runmin;
    double *u, *uc; /* copula scratch */
    run_state *runs;
    fleet_state *fleets;
    double per_usd[GPB_CURRENCY_COUNT]; /* the path's exchange rates */
} worker_ctx;

/* Samples the path's inputs into w->x, then converts money to the report
   currency. */
static void sample_inputs(worker_ctx *w, size_t path)
{
    const plan *p = w->sh->p;
    const gpb_scenario *s = p->s;
    double *x = w->x;
    memcpy(x, p->x0, s->n_inputs * sizeof *x);

    if (w->sh->qmc_u) {
        const double *u = w->sh->qmc_u + path * p->n_unc;
        if (p->copula) {
            for (size_t k = 0; k < p->n_cop; k++)
                w->u[k] = u[p->cop_unc[k]];
            gpb_copula_transform(p->copula, w->u, w->uc);
        }
        size_t kc = 0;
        for (size_t j = 0; j < p->n_unc; j++) {
            double uj = p->in_copula[j] ? w->uc[kc++] : u[j];
            x[p->unc[j]] = gpb_dist_quantile(&s->inputs[p->unc[j]].dist, uj);
        }
    } else {
        if (p->copula)
            gpb_copula_sample(p->copula, w->rng, w->uc);
        size_t kc = 0;
        for (size_t j = 0; j < p->n_unc; j++) {
            const gpb_dist *d = &s->inputs[p->unc[j]].dist;
            x[p->unc[j]] = p->in_copula[j]
                               ? gpb_dist_quantile(d, w->uc[kc++])
                               : gpb_dist_sample(d, w->rng);
        }
    }

    /* Values the caller fixed, before conversion: they are given in the
       input's own units and currency. */
    if (w->sh->opt->input_values) {
        const double *iv = w->sh->opt->input_values;
        for (size_t i = 0; i < s->n_inputs; i++)
            if (!isnan(iv[i]))
                x[i] = iv[i];
    }

    /* Money to the report currency: amount_report = amount · (report units
       per USD) / (its units per USD). */
    double *per_usd = w->per_usd;
    gpb_fx fx = gpb_fx_default();
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        per_usd[c] = c == GPB_CURRENCY_NONE ? 1.0 : fx.per_usd[c];
    if (s->cny_per_usd >= 0)
        per_usd[GPB_CURRENCY_CNY] = x[s->cny_per_usd];
    if (s->eur_per_usd >= 0)
        per_usd[GPB_CURRENCY_EUR] = x[s->eur_per_usd];
    double to = per_usd[s->currency];
    for (size_t k = 0; k < p->n_money; k++) {
        size_t i = p->money[k];
        x[i] *= to / per_usd[s->inputs[i].currency];
    }
}

static inline double X(const double *x, int idx, double dflt)
{
    return idx >= 0 ? x[idx] : dflt;
}

static int month_of(double v, int horizon)
{
    if (!(v == v))
        return 0;
    double r = floor(v + 0.5);
    if (r < 0)
        return 0;
    if (r > horizon)
        return horizon;
    return (int)r;
}

/* Prepares each training run of the path from its sampled inputs. */
static gpb_status setup_runs(worker_ctx *w, gpb_error *err)
{
    const gpb_scenario *s = w->sh->p->s;
    const double *x = w->x;
    for (size_t k = 0; k < s->n_training; k++) {
        const gpb__training *t = &s->training[k];
        run_state *rs = &w->runs[k];
        memset(rs, 0, sizeof *rs);
        gpb_train_spec spec;
        gpb_train_spec_default(&spec);
        spec.params = x[t->params];
        spec.active_params = X(x, t->active_params, 0);
        spec.tokens = x[t->tokens];
        spec.n_layer = X(x, t->n_layer, 0);
        spec.n_ctx = X(x, t->n_ctx, 0);
        spec.d_model = X(x, t->d_model, 0);
        spec.recompute = t->recompute;
        double flops;
        gpb_error e;
        if (gpb_compute_train_flops_spec(&spec, &flops, &e))
            return gpb__fail_at(err, GPB_ENUMERIC, s->source_name, t->line,
                                t->column, t->name,
                                "a sampled value makes the run undefined: %s",
                                e.message);
        rs->target_flops = flops * X(x, t->exploration, 1.0);
        rs->gpus = x[t->gpus];
        double gpu_hours_month = rs->gpus * GPB_HOURS_PER_MONTH;
        /* FLOPs the cluster does in a month of useful time. */
        double peak = t->peak_tflops >= 0 ? x[t->peak_tflops] * 1e12
                                          : t->peak_flop_per_s;
        rs->month_flops = gpu_hours_month * GPB_SECONDS_PER_HOUR * peak *
                          x[t->mfu];
        rs->peak = peak;
        rs->bill_full = t->bill_full_months;
        rs->price0 = x[t->price_per_gpu_hour];
        rs->follows = t->follows_price_index;
        rs->start = month_of(x[t->start_month], s->horizon_months);
        rs->finish_month = s->horizon_months;
        if (t->gpu_mtbf_hours >= 0) {
            rs->gpu_mtbf_hours = x[t->gpu_mtbf_hours];
            if (gpb_risk_expected_failures(rs->gpus, GPB_HOURS_PER_MONTH,
                                           x[t->gpu_mtbf_hours],
                                           &rs->fail_mean, &e))
                return gpb__fail_at(err, GPB_ENUMERIC, s->source_name,
                                    s->inputs[t->gpu_mtbf_hours].line,
                                    s->inputs[t->gpu_mtbf_hours].column,
                                    s->inputs[t->gpu_mtbf_hours].path, "%s",
                                    e.message);
            if (t->hours_lost_per_failure >= 0)
                rs->lost_per_failure = x[t->hours_lost_per_failure];
            else if (gpb_risk_hours_lost_per_failure(
                         X(x, t->checkpoint_minutes, 0) / 60.0,
                         X(x, t->restart_minutes, 0) / 60.0,
                         &rs->lost_per_failure, &e))
                return gpb__fail_at(err, GPB_ENUMERIC, s->source_name,
                                    t->line, t->column, t->name, "%s",
                                    e.message);
        }
        if (t->divergence_per_month >= 0) {
            rs->p_div = x[t->divergence_per_month];
        } else if (t->divergence_per_run >= 0) {
            /* A divergence is drawn once per running month, so spread the
               per-run probability over the months the run will be drawn
               in: its nominal length rounded up (at least one). */
            double months = rs->month_flops > 0
                                ? ceil(rs->target_flops / rs->month_flops -
                                       1e-9)
                                : 1.0;
            if (gpb_risk_divergence_per_month(x[t->divergence_per_run],
                                              fmax(months, 1.0), &rs->p_div,
                                              &e))
                return gpb__fail_at(err, GPB_ENUMERIC, s->source_name,
                                    t->line, t->column, t->name, "%s",
                                    e.message);
        }
        rs->p_restart = X(x, t->divergence_restart, 0.0);
        /* A reservation's first commitment starts with the run. */
        rs->commit_end = rs->start;
    }
    return GPB_OK;
}

/* Prepares each owned fleet of the path: capex, delivery, financing. */
static gpb_status setup_fleets(worker_ctx *w, gpb_error *err)
{
    const gpb_scenario *s = w->sh->p->s;
    const double *x = w->x;
    const int H = s->horizon_months;
    for (size_t k = 0; k < s->n_fleets; k++) {
        const gpb__fleet *f = &s->fleets[k];
        fleet_state *fs = &w->fleets[k];
        memset(fs, 0, sizeof *fs);
        gpb_error e;
        fs->gpus = x[f->gpus];
        double price = x[f->price_per_gpu], premium = x[f->premium];
        if (gpb_finance_capex(fs->gpus, price, premium, x[f->overhead_frac],
                              0, GPB_FINANCE_GPUS_PER_NODE_DEFAULT,
                              &fs->capex, &e))
            goto fail;
        fs->card_value = fs->gpus * price * premium;
        fs->buy = month_of(x[f->buy_month], H);
        int delayed = 0;
        double pd = x[f->delay_probability];
        if (pd > 0)
            delayed = pd >= 1 || gsl_rng_uniform(w->rng) < pd;
        fs->deliver = fs->buy + month_of(x[f->lead_time_months], H) +
                      (delayed ? month_of(x[f->delay_months], H) : 0);
        fs->sell = f->sell_month >= 0 ? month_of(x[f->sell_month], H) : H;
        if (f->financing == GPB__FIN_LOAN) {
            double months = x[f->loan_months];
            if (gpb_finance_loan_payment(fs->capex * x[f->loan_frac],
                                         x[f->loan_rate_per_year], months,
                                         &fs->loan_payment, &e))
                goto fail;
            fs->loan_end = fs->buy + (int)months;
        } else if (f->financing == GPB__FIN_LEASE) {
            if (gpb_finance_lease_payment(fs->capex,
                                          x[f->lease_frac_per_month],
                                          &fs->lease_payment, &e))
                goto fail;
        }
        gpb_depreciation_default(&fs->dep);
        fs->dep.cost = fs->capex;
        fs->dep.life_months = x[f->depreciation_life_months];
        continue;
    fail:
        return gpb__fail_at(err, GPB_ENUMERIC, s->source_name, f->line,
                            f->column, f->name,
                            "a sampled value makes the fleet undefined: %s",
                            e.message);
    }
    return GPB_OK;
}

/*
 * One month of an owned fleet: what it costs to own and run (power,
 * hosting, maintenance, financing), what idle cards earn when let out,
 * the accounting depreciation, and the resale when it is sold. All
 * formulas are the finance layer's.
 */
typedef struct fleet_month {
    double purchase, power_hosting, rent_out, resale, depreciation;
} fleet_month;

static void fleet_step(const gpb__fleet *f, fleet_state *fs, const double *x,
                       int m, int H, fleet_month *out)
{
    memset(out, 0, sizeof *out);
    if (f->financing != GPB__FIN_LEASE) {
        if (m == fs->buy)
            out->purchase += f->financing == GPB__FIN_LOAN
                                 ? fs->capex * (1 - x[f->loan_frac])
                                 : fs->capex;
        if (f->financing == GPB__FIN_LOAN && m > fs->buy && m <= fs->loan_end)
            out->purchase += fs->loan_payment;
    }
    int in_service = m >= fs->deliver && m < fs->sell && !fs->sold;
    if (in_service) {
        double used = fs->used > fs->gpus ? fs->gpus : fs->used;
        double let = 0;
        if (f->rent_out_price_per_gpu_hour >= 0) {
            let = (fs->gpus - used) * x[f->rent_out_utilization];
            double income;
            gpb_compute_rent_cost(let * GPB_HOURS_PER_MONTH,
                                  x[f->rent_out_price_per_gpu_hour], &income,
                                  NULL);
            out->rent_out = income;
        }
        double util = fs->gpus > 0 ? (used + let) / fs->gpus : 0;
        double power = 0, colo = 0, maint = 0, charge = 0;
        gpb_finance_power_cost(fs->gpus, x[f->tdp_watts],
                               x[f->server_overhead], x[f->pue],
                               x[f->idle_power_frac], util,
                               GPB_HOURS_PER_MONTH, x[f->tariff_per_kwh],
                               &power, NULL);
        gpb_finance_colo_cost(fs->gpus, x[f->tdp_watts], x[f->server_overhead],
                              x[f->colo_per_kw_month], 1.0, &colo, NULL);
        gpb_finance_maintenance_per_month(
            fs->capex, x[f->maintenance_frac_per_year], &maint, NULL);
        out->power_hosting = power + colo + maint;
        if (f->financing == GPB__FIN_LEASE)
            out->purchase += fs->lease_payment;
        else
            gpb_finance_depreciation_month(&fs->dep, (size_t)(m - fs->deliver),
                                           &charge, NULL, NULL);
        out->depreciation = charge;
    }
    /* Sold at the start of sell_month, or at the close of the horizon. */
    int sell_now = (fs->sell < H && m == fs->sell) ||
                   (fs->sell >= H && m == H - 1);
    if (sell_now && !fs->sold && f->financing != GPB__FIN_LEASE) {
        int end = fs->sell < H ? fs->sell : H;
        double age = end > fs->deliver ? (double)(end - fs->deliver) : 0;
        gpb_finance_resale_value(fs->card_value, age,
                                 x[f->resale_decline_per_year], 0,
                                 &out->resale, NULL);
        fs->sold = 1;
    }
    fs->used = 0;
}

/* Simulates one path; writes its metrics (unless pilot) and histograms. */
static gpb_status simulate_path(worker_ctx *w, size_t path, gpb_error *err)
{
    shared *sh = w->sh;
    const plan *p = sh->p;
    const gpb_scenario *s = p->s;
    struct gpb_result *r = sh->r;
    gsl_rng *rng = w->rng;
    const int H = s->horizon_months;

    sample_inputs(w, path);
    const double *x = w->x;
    gpb_status st = setup_runs(w, err);
    if (!st)
        st = setup_fleets(w, err);
    if (st)
        return st;

    double cash = x[s->cash];
    double runmin = INFINITY;
    double drift = X(x, s->price_drift_per_month, 0);
    double vol = X(x, s->price_volatility_per_month, 0);
    double index = 1.0;

    /* Serving state. */
    const gpb__serving *sv = &s->serving;
    int sv_start = sv->present ? month_of(x[sv->start_month], H) : H;
    double users = 0;
    double growth = sv->present ? X(x, sv->growth_per_month, 0) : 0;
    double gvol = sv->present ? X(x, sv->growth_volatility, 0) : 0;
    double max_users = sv->present ? X(x, sv->max_users, INFINITY) : 0;

    /* Serving from tokens: one GPU's decode rate for this path. */
    double sv_tokens_per_gpu = 0;
    if (sv->present && sv->from_model) {
        gpb_decode_spec ds;
        gpb_decode_rate dr;
        gpb_error e;
        gpb_decode_spec_default(&ds);
        ds.params = x[sv->params];
        ds.active_params = X(x, sv->active_params, 0);
        ds.bytes_per_param = x[sv->bytes_per_param];
        ds.batch = x[sv->batch];
        ds.context_tokens = x[sv->context_tokens];
        ds.kv_bytes_per_token = x[sv->kv_bytes_per_token];
        ds.peak_flop_per_s = sv->peak_flop_per_s;
        ds.mem_bw_bytes_per_s = sv->gpu->mem_bw_bytes_per_s;
        ds.mfu_frac = x[sv->mfu];
        ds.bw_frac = x[sv->bw_frac];
        if (gpb_compute_decode_rate(&ds, &dr, &e))
            return gpb__fail_at(err, GPB_ENUMERIC, s->source_name, 0, 0,
                                "serving.model",
                                "a sampled value makes serving undefined: %s",
                                e.message);
        sv_tokens_per_gpu = dr.tokens_per_s;
    }
    double serving_gpus_last = 0;

    double spend_team = 0, spend_rent = 0, spend_serving = 0,
           spend_other = 0, revenue_total = 0, funding_total = 0;
    double cash_min = INFINITY, serving_last = 0;
    double spend_purchase = 0, spend_power = 0, income_resale = 0,
           income_rent_out = 0, depreciation = 0;
    int runway = H, out = 0;
    double gpu_hours_total = 0;

    for (int m = 0; m < H; m++) {
        if (m > 0) {
            if (vol > 0)
                index *= exp(drift + vol * gsl_ran_gaussian_ziggurat(rng, 1.0));
            else if (drift != 0)
                index *= exp(drift);
        }

        /* Team: headcount × salary / 12 × (1 + on-costs). */
        double team = 0;
        for (size_t k = 0; k < s->n_team; k++) {
            const gpb__team_role *tr = &s->team[k];
            int start = month_of(x[tr->start_month], H);
            int end = tr->end_month >= 0 ? month_of(x[tr->end_month], H) : H;
            if (m < start || m >= end)
                continue;
            double heads = x[tr->count] +
                           X(x, tr->add_per_month, 0) * (double)(m - start);
            if (tr->max_count >= 0 && heads > x[tr->max_count])
                heads = x[tr->max_count];
            if (heads < 0)
                heads = 0;
            team += heads * x[tr->salary_per_year] / 12.0 *
                    (1.0 + X(x, tr->on_cost_frac, 0));
        }

        /* Training runs: GPUs rented, reserved, on spot or from a fleet. */
        double rent = 0;
        for (size_t k = 0; k < s->n_training; k++) {
            run_state *rs = &w->runs[k];
            const gpb__training *t = &s->training[k];
            double price = rs->price0 * (rs->follows ? index : 1.0);
            /* A reservation is paid for its whole commitment, used or not,
               and renewed at the month's price while the run goes on. */
            if (t->acquire == GPB__ACQUIRE_RESERVE && m >= rs->start) {
                if (m == rs->commit_end && !rs->done) {
                    double months = x[t->reserve_months], total = 0;
                    gpb_finance_rent_reserved_cost(rs->gpus, months, months,
                                                   price,
                                                   x[t->reserve_discount],
                                                   &total, NULL);
                    rs->commit_monthly = total / months;
                    rs->commit_end = m + (int)months;
                }
                if (m < rs->commit_end) {
                    rs->cost += rs->commit_monthly;
                    rent += rs->commit_monthly;
                }
            }
            if (rs->done || m < rs->start)
                continue;
            /* Which GPUs work this month. */
            double owned = 0, rented = rs->gpus;
            if (t->acquire == GPB__ACQUIRE_BUY ||
                t->acquire == GPB__ACQUIRE_MIX) {
                fleet_state *fs = &w->fleets[t->fleet];
                double avail = (m >= fs->deliver && m < fs->sell && !fs->sold)
                                   ? fs->gpus - fs->used
                                   : 0;
                owned = avail < rs->gpus ? (avail > 0 ? avail : 0) : rs->gpus;
                fs->used += owned;
                rented = t->acquire == GPB__ACQUIRE_MIX ? rs->gpus - owned : 0;
            }
            double working = owned + rented;
            if (working <= 0)
                continue; /* waiting for the fleet's delivery */
            double frac = working / rs->gpus;
            double failures = 0;
            if (rs->fail_mean > 0) /* none drawn at a zero rate */
                failures = (double)gpb_risk_sample_failures(
                    rng, working, GPB_HOURS_PER_MONTH, rs->gpu_mtbf_hours);
            double eff = gpb_risk_effective_hours(GPB_HOURS_PER_MONTH,
                                                  failures,
                                                  rs->lost_per_failure);
            if (t->acquire == GPB__ACQUIRE_SPOT) {
                /* Spot hours lost to preemption do no work. */
                double bought;
                gpb_finance_spot_hours_needed(eff, x[t->spot_preemption_loss],
                                              &bought, NULL);
                eff = bought > 0 ? eff * eff / bought : 0;
            }
            double gain = rs->month_flops * frac * (eff / GPB_HOURS_PER_MONTH);
            rs->progress += gain;
            if (rs->p_div > 0 && gsl_rng_uniform(rng) < rs->p_div) {
                rs->divergences += 1;
                if (rs->p_restart > 0 && gsl_rng_uniform(rng) < rs->p_restart) {
                    rs->progress = 0;
                } else {
                    double lost = gpb_dist_sample(
                        &s->inputs[t->divergence_work_lost].dist, rng);
                    rs->progress *= 1.0 - lost;
                }
            }
            /* The share of the month the GPUs are used: all of it, except
               in the finishing month when billing is pro rata. */
            double share = 1.0;
            if (rs->progress >= rs->target_flops) {
                rs->done = 1;
                rs->finish_month = m;
                if (!rs->bill_full && gain > 0) {
                    share = 1.0 - (rs->progress - rs->target_flops) / gain;
                    share = share < 0 ? 0 : (share > 1 ? 1 : share);
                }
            }
            if (owned > 0) /* owned cards idle after the run's end */
                w->fleets[t->fleet].used -= owned * (1 - share);
            double gh_rented = rented * GPB_HOURS_PER_MONTH * share;
            double cost = 0;
            if (t->acquire == GPB__ACQUIRE_SPOT)
                gpb_compute_rent_cost(gh_rented,
                                      price * (1 - x[t->spot_discount]), &cost,
                                      NULL);
            else if (t->acquire != GPB__ACQUIRE_RESERVE ||
                     m >= rs->commit_end)
                gpb_compute_rent_cost(gh_rented, price, &cost, NULL);
            rs->cost += cost;
            rs->gpu_hours += working * GPB_HOURS_PER_MONTH * share;
            rs->months += share;
            rs->failures += failures;
            rent += cost;
        }

        /* Serving and revenue. */
        double serving = 0, revenue = 0;
        if (sv->present && m >= sv_start) {
            if (m == sv_start)
                users = x[sv->users_start];
            else
                users *= exp(growth +
                             (gvol > 0 ? gvol * gsl_ran_gaussian_ziggurat(rng, 1.0)
                                       : 0.0));
            if (users > max_users)
                users = max_users;
            if (sv->from_model) {
                /* GPUs for the month's load, the fleet's free cards
                   first, the rest rented. */
                double load, need = 0;
                gpb_compute_serving_load_tokens_per_s(
                    users, x[sv->requests_per_user_per_day],
                    x[sv->tokens_per_request], x[sv->peak_to_mean], &load,
                    NULL);
                gpb_compute_serving_gpus(load, sv_tokens_per_gpu,
                                         x[sv->utilization], &need, NULL);
                double owned = 0;
                if (sv->fleet >= 0) {
                    fleet_state *fs = &w->fleets[sv->fleet];
                    double avail = (m >= fs->deliver && m < fs->sell &&
                                    !fs->sold)
                                       ? fs->gpus - fs->used
                                       : 0;
                    owned = avail < need ? (avail > 0 ? avail : 0) : need;
                    fs->used += owned;
                }
                gpb_compute_rent_cost((need - owned) * GPB_HOURS_PER_MONTH,
                                      x[sv->price_per_gpu_hour] *
                                          (sv->follows_price_index ? index
                                                                   : 1.0),
                                      &serving, NULL);
                serving_gpus_last = need;
            } else {
                serving = users * x[sv->cost_per_user_per_month] *
                          (sv->follows_price_index ? index : 1.0);
            }
            if (s->revenue.present)
                revenue = users * x[s->revenue.arpu_per_month] *
                          X(x, s->revenue.paying_frac, 1.0);
        }

        /* Owned fleets, after the runs and serving have taken their cards. */
        double purchase = 0, power_hosting = 0, resale = 0, rent_out = 0;
        for (size_t k = 0; k < s->n_fleets; k++) {
            fleet_month fm;
            fleet_step(&s->fleets[k], &w->fleets[k], x, m, H, &fm);
            purchase += fm.purchase;
            power_hosting += fm.power_hosting;
            resale += fm.resale;
            rent_out += fm.rent_out;
            depreciation += fm.depreciation;
        }

        /* Other monthly costs. */
        double other = 0;
        for (size_t k = 0; k < s->n_other; k++) {
            const gpb__other_cost *oc = &s->other[k];
            int start = month_of(x[oc->start_month], H);
            int end = oc->end_month >= 0 ? month_of(x[oc->end_month], H) : H;
            if (m >= start && m < end)
                other += x[oc->per_month];
        }

        /* Funding rounds that close this month. */
        double funding = 0;
        for (size_t k = 0; k < s->n_funding; k++) {
            const gpb__funding *f = &s->funding[k];
            if (month_of(x[f->month], H) != m)
                continue;
            double pr = X(x, f->probability, 1.0);
            if (pr >= 1 || (pr > 0 && gsl_rng_uniform(rng) < pr))
                funding += x[f->amount];
        }

        cash += revenue + funding + resale + rent_out - team - rent -
                serving - other - purchase - power_hosting;
        spend_purchase += purchase;
        spend_power += power_hosting;
        income_resale += resale;
        income_rent_out += rent_out;
        spend_team += team;
        spend_rent += rent;
        spend_serving += serving;
        spend_other += other;
        revenue_total += revenue;
        funding_total += funding;
        serving_last = serving;
        if (cash < cash_min)
            cash_min = cash;
        if (cash < runmin)
            runmin = cash;
        if (!out && cash < 0) {
            out = 1;
            runway = m;
        }
        size_t slot = (size_t)m * GPB_SIM_BLOCK_PATHS +
                      path % GPB_SIM_BLOCK_PATHS;
        w->blk_cash[slot] = cash;
        w->blk_runmin[slot] = runmin;
    }
    if (sh->pilot)
        return GPB_OK;

    double *const *v = r->values;
    double spend = spend_team + spend_rent + spend_serving + spend_other +
                   spend_purchase + spend_power;
    v[M_SPEND_PURCHASE][path] = spend_purchase;
    v[M_SPEND_POWER][path] = spend_power;
    v[M_INCOME_RESALE][path] = income_resale;
    v[M_INCOME_RENTOUT][path] = income_rent_out;
    v[M_DEPRECIATION][path] = depreciation;
    v[M_SERVING_GPUS][path] = serving_gpus_last;
    v[M_SPEND_TOTAL][path] = spend;
    v[M_SPEND_TEAM][path] = spend_team;
    v[M_SPEND_RENT][path] = spend_rent;
    v[M_SPEND_SERVING][path] = spend_serving;
    v[M_SPEND_OTHER][path] = spend_other;
    v[M_SPEND_MONTHLY][path] = H > 0 ? spend / H : 0;
    v[M_REVENUE][path] = revenue_total;
    v[M_FUNDING][path] = funding_total;
    v[M_CASH_END][path] = cash;
    v[M_CASH_MIN][path] = cash_min;
    v[M_DEFICIT][path] = cash_min < 0 ? -cash_min : 0;
    v[M_RUNWAY][path] = runway;
    v[M_OUT][path] = out;
    v[M_SERVING_DAY][path] = serving_last / (GPB_HOURS_PER_MONTH / 24.0);
    for (size_t k = 0; k < s->n_training; k++) {
        run_state *rs = &w->runs[k];
        double *const *rv = v + M_FIXED_COUNT + R_COUNT * k;
        rv[R_COST][path] = rs->cost;
        rv[R_GPU_HOURS][path] = rs->gpu_hours;
        rv[R_CARD_MONTHS][path] = rs->gpu_hours / GPB_HOURS_PER_MONTH;
        rv[R_FINISH][path] = rs->finish_month;
        rv[R_FINISHED][path] = rs->done;
        rv[R_MONTHS][path] = rs->months;
        rv[R_FAILURES][path] = rs->failures;
        rv[R_DIVERGENCES][path] = rs->divergences;
        rv[R_FLOPS][path] = rs->target_flops;
        rv[R_PEAK][path] = rs->peak;
        gpu_hours_total += rs->gpu_hours;
    }
    v[M_GPU_HOURS][path] = gpu_hours_total;
    v[M_CARD_MONTHS][path] = gpu_hours_total / GPB_HOURS_PER_MONTH;
    for (size_t j = 0; j < p->n_unc; j++)
        r->inputs[j][path] = x[p->unc[j]];
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        if (r->per_usd[c])
            r->per_usd[c][path] = w->per_usd[c];
    return GPB_OK;
}

static void record_error(shared *sh, size_t block, gpb_status st,
                         const gpb_error *e)
{
    pthread_mutex_lock(&sh->lock);
    if (!sh->err_status || block < sh->err_block) {
        sh->err_status = st;
        sh->err_block = block;
        sh->err = *e;
    }
    pthread_mutex_unlock(&sh->lock);
    atomic_store(&sh->cancel, 1);
}

static void *worker_main(void *arg)
{
    worker_ctx *w = arg;
    shared *sh = w->sh;
    for (;;) {
        if (atomic_load(&sh->cancel))
            break;
        size_t b = atomic_fetch_add(&sh->next_block, 1);
        if (b >= sh->n_blocks)
            break;
        gsl_rng_set(w->rng, gpb__sim_block_seed(sh->opt->seed, b));
        size_t first = b * GPB_SIM_BLOCK_PATHS;
        size_t last = first + GPB_SIM_BLOCK_PATHS;
        if (last > sh->paths)
            last = sh->paths;
        int failed = 0;
        for (size_t i = first; i < last && !failed; i++) {
            gpb_error e;
            gpb_status st = simulate_path(w, i, &e);
            if (st) {
                record_error(sh, b, st, &e);
                failed = 1;
            }
        }
        if (failed)
            break;
        size_t n = last - first;
        for (int m = 0; m < w->hist.months; m++) {
            const double *c = w->blk_cash + (size_t)m * GPB_SIM_BLOCK_PATHS;
            const double *r = w->blk_runmin + (size_t)m * GPB_SIM_BLOCK_PATHS;
            month_hist *hc = &w->hist.cash[m], *hr = &w->hist.runmin[m];
            for (size_t i = 0; i < n; i++)
                gpb__hist_add(hc, c[i], !sh->pilot);
            for (size_t i = 0; i < n; i++)
                gpb__hist_add(hr, r[i], !sh->pilot);
        }
        atomic_fetch_add(&sh->paths_done, last - first);
    }
    return NULL;
}

static int worker_init(worker_ctx *w, shared *sh, const hist_set *ranges)
{
    const plan *p = sh->p;
    memset(w, 0, sizeof *w);
    w->sh = sh;
    w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    w->x = calloc(p->n_inputs ? p->n_inputs : 1, sizeof *w->x);
    w->blk_cash = malloc((size_t)p->horizon * GPB_SIM_BLOCK_PATHS *
                         sizeof *w->blk_cash);
    w->blk_runmin = malloc((size_t)p->horizon * GPB_SIM_BLOCK_PATHS *
                           sizeof *w->blk_runmin);
    if (!w->blk_cash || !w->blk_runmin)
        return -1;
    w->u = calloc(p->n_cop ? p->n_cop : 1, sizeof *w->u);
    w->uc = calloc(p->n_cop ? p->n_cop : 1, sizeof *w->uc);
    w->runs = calloc(p->s->n_training ? p->s->n_training : 1,
                     sizeof *w->runs);
    w->fleets = calloc(p->s->n_fleets ? p->s->n_fleets : 1,
                       sizeof *w->fleets);
    if (!w->fleets)
        return -1;
    if (!w->rng || !w->x || !w->u || !w->uc || !w->runs)
        return -1;
    return gpb__hist_set_init(&w->hist, p->horizon, ranges);
}

static void worker_free(worker_ctx *w)
{
    if (w->rng)
        gsl_rng_free(w->rng);
    free(w->x);
    free(w->blk_cash);
    free(w->blk_runmin);
    free(w->u);
    free(w->uc);
    free(w->runs);
    free(w->fleets);
    gpb__hist_set_free(&w->hist);
}

static int cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Runs the blocks of sh on `threads` workers; merges histograms into *into
   in worker order (integer counts: exact in any order). */
static gpb_status run_pass(shared *sh, int threads, const hist_set *ranges,
                           hist_set *into, gpb_error *err)
{
    worker_ctx *ws = calloc((size_t)threads, sizeof *ws);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    int started = 0;
    gpb_status st = GPB_OK;
    if (!ws || !tids) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory starting workers");
        goto done;
    }
    atomic_store(&sh->next_block, 0);
    atomic_store(&sh->paths_done, 0);
    for (int t = 0; t < threads; t++)
        if (worker_init(&ws[t], sh, ranges)) {
            st = gpb__fail(err, GPB_ENOMEM, "out of memory for a worker");
            goto done;
        }
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, worker_main, &ws[t]) != 0)
            break;
        started = t;
    }
    if (!sh->pilot && sh->opt->progress) {
        /* The caller's thread reports progress while the workers run;
           with one thread it works too, between progress reports. */
        if (threads == 1 || started == 0) {
            worker_main(&ws[0]);
        } else {
            pthread_t self_worker;
            int ok = pthread_create(&self_worker, NULL, worker_main, &ws[0]) == 0;
            if (!ok)
                worker_main(&ws[0]);
            struct timespec ts = {0, 50 * 1000 * 1000};
            while (ok) {
                size_t done = atomic_load(&sh->paths_done);
                if (sh->opt->progress(sh->opt->progress_ctx, done, sh->paths))
                    atomic_store(&sh->cancel, 1);
                if (done >= sh->paths || atomic_load(&sh->cancel))
                    break;
                nanosleep(&ts, NULL);
            }
            if (ok)
                pthread_join(self_worker, NULL);
        }
    } else {
        worker_main(&ws[0]);
    }
    for (int t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    if (!sh->pilot && sh->opt->progress && !atomic_load(&sh->cancel))
        sh->opt->progress(sh->opt->progress_ctx, sh->paths, sh->paths);
    for (int t = 0; t < threads; t++)
        for (int m = 0; m < into->months; m++) {
            gpb__hist_merge(&into->cash[m], &ws[t].hist.cash[m]);
            gpb__hist_merge(&into->runmin[m], &ws[t].hist.runmin[m]);
        }
done:
    if (ws)
        for (int t = 0; t < threads; t++)
            worker_free(&ws[t]);
    free(ws);
    free(tids);
    return st;
}

/* ---- result construction ---------------------------------------------- */

void gpb_result_free(gpb_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_metrics; i++) {
        free(r->sorted ? r->sorted[i] : NULL);
        free(r->metric_names ? r->metric_names[i] : NULL);
    }
    for (size_t i = 0; i < r->n_inputs; i++) {
        free(r->input_paths ? r->input_paths[i] : NULL);
    }
    free(r->store);
    free(r->values);
    free(r->sorted);
    free(r->metric_names);
    free(r->metric_units);
    free(r->inputs);
    free(r->input_paths);
    free(r->p_out_by);
    gpb__hist_set_free(&r->hist);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

static gpb_status result_alloc(gpb_result **out, const plan *p, size_t paths,
                               gpb_error *err)
{
    const gpb_scenario *s = p->s;
    gpb_result *r = calloc(1, sizeof *r);
    if (!r)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    pthread_mutex_init(&r->lock, NULL);
    r->paths = paths;
    r->horizon = s->horizon_months;
    r->currency = s->currency;
    r->n_metrics = p->n_metrics;
    r->values = calloc(r->n_metrics, sizeof *r->values);
    r->sorted = calloc(r->n_metrics, sizeof *r->sorted);
    r->metric_names = calloc(r->n_metrics, sizeof *r->metric_names);
    r->metric_units = calloc(r->n_metrics, sizeof *r->metric_units);
    r->n_inputs = p->n_unc;
    r->inputs = calloc(p->n_unc ? p->n_unc : 1, sizeof *r->inputs);
    r->input_paths = calloc(p->n_unc ? p->n_unc : 1, sizeof *r->input_paths);
    r->p_out_by = calloc((size_t)r->horizon + 1, sizeof *r->p_out_by);
    if (!r->values || !r->sorted || !r->metric_names || !r->metric_units ||
        !r->inputs || !r->input_paths || !r->p_out_by)
        goto oom;
    const char *cur = gpb_currency_code(s->currency);
    for (size_t i = 0; i < r->n_metrics; i++) {
        char name[256];
        const char *unit;
        if (i < M_FIXED_COUNT) {
            gpb__strlcpy(name, fixed_names[i], sizeof name);
            unit = fixed_units[i];
        } else {
            size_t k = (i - M_FIXED_COUNT) / R_COUNT;
            size_t j = (i - M_FIXED_COUNT) % R_COUNT;
            snprintf(name, sizeof name, "training.%s.%s", s->training[k].name,
                     run_suffix[j]);
            unit = run_units[j];
        }
        r->metric_names[i] = gpb__strdup(name);
        r->metric_units[i] = unit ? unit : cur;
        if (!r->metric_names[i])
            goto oom;
    }
    for (size_t j = 0; j < p->n_unc; j++) {
        r->input_paths[j] = gpb__strdup(s->inputs[p->unc[j]].path);
        if (!r->input_paths[j])
            goto oom;
    }
    /* One block for every per-path array, in 2 MiB-aligned memory the
       kernel may back with huge pages: at 10^6 paths this is hundreds of
       MB touched once, and 4 KiB page faults cost a tenth of the run. */
    /* Metrics, inputs, then each path's units per US dollar of every
       currency but the dollar itself. */
    size_t n_fx = GPB_CURRENCY_COUNT - 2;
    size_t cols = r->n_metrics + p->n_unc + n_fx;
    if (cols > SIZE_MAX / sizeof(double) / paths)
        goto oom;
    size_t bytes = cols * paths * sizeof(double);
    const size_t huge = (size_t)2 << 20;
    if (bytes < 2 * huge) {
        r->store = malloc(bytes ? bytes : 1); /* small: plain pages */
        if (!r->store)
            goto oom;
    } else {
        size_t rounded = (bytes + huge - 1) / huge * huge;
        if (posix_memalign((void **)&r->store, huge, rounded))
            goto oom;
#ifdef MADV_HUGEPAGE
        madvise(r->store, rounded, MADV_HUGEPAGE);
#endif
    }
    for (size_t i = 0; i < r->n_metrics; i++)
        r->values[i] = r->store + i * paths;
    for (size_t j = 0; j < p->n_unc; j++)
        r->inputs[j] = r->store + (r->n_metrics + j) * paths;
    for (int c = GPB_CURRENCY_USD + 1; c < GPB_CURRENCY_COUNT; c++)
        r->per_usd[c] = r->store + (r->n_metrics + p->n_unc +
                                    (size_t)(c - GPB_CURRENCY_USD - 1)) *
                                       paths;
    *out = r;
    return GPB_OK;
oom:
    gpb_result_free(r);
    return gpb__fail(err, GPB_ENOMEM,
                     "out of memory for %zu paths (try fewer paths)", paths);
}

static gpb_status make_qmc(shared *sh, const plan *p, gpb_error *err)
{
    if (!p->quasi || p->n_unc == 0)
        return GPB_OK;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)p->n_unc);
    double *u = malloc(sh->paths * p->n_unc * sizeof *u);
    if (!q || !u) {
        if (q)
            gsl_qrng_free(q);
        free(u);
        return gpb__fail(err, GPB_ENOMEM, "out of memory for Sobol points");
    }
    /* Skip the first point (all zeros), whose quantiles are the minima. */
    double *tmp = u;
    gsl_qrng_get(q, tmp);
    for (size_t i = 0; i < sh->paths; i++) {
        gsl_qrng_get(q, u + i * p->n_unc);
        for (size_t j = 0; j < p->n_unc; j++) {
            double *v = &u[i * p->n_unc + j];
            if (*v <= 0)
                *v = 0.5 / (double)(sh->paths + 1);
        }
    }
    gsl_qrng_free(q);
    sh->qmc_u = u;
    return GPB_OK;
}

/*
 * The workers use no BLAS; OpenBLAS's own threads would only spin and take
 * cores from them (DESIGN.md, build facts). While any run is under way
 * OpenBLAS has one thread; the caller's setting comes back when the last
 * concurrent run ends. OpenBLAS's count is process-wide, hence the lock.
 */
static pthread_mutex_t blas_lock = PTHREAD_MUTEX_INITIALIZER;
static int blas_users, blas_saved;

static void blas_quiet_enter(void)
{
    pthread_mutex_lock(&blas_lock);
    if (blas_users++ == 0) {
        blas_saved = openblas_get_num_threads();
        if (blas_saved != 1)
            openblas_set_num_threads(1);
    }
    pthread_mutex_unlock(&blas_lock);
}

static void blas_quiet_leave(void)
{
    pthread_mutex_lock(&blas_lock);
    if (--blas_users == 0 && blas_saved != 1)
        openblas_set_num_threads(blas_saved);
    pthread_mutex_unlock(&blas_lock);
}

/* The caller's options (or the defaults), checked. */
static gpb_status options_resolve(const gpb_sim_options *in,
                                  gpb_sim_options *opt, gpb_error *err)
{
    if (in)
        *opt = *in;
    else
        gpb_sim_options_default(opt);
    if (opt->paths == 0 || opt->paths > GPB_SIM_MAX_PATHS)
        return gpb__fail(err, GPB_EINVAL,
                         "paths must be between 1 and %u, got %zu",
                         GPB_SIM_MAX_PATHS, opt->paths);
    if (opt->threads < 0)
        return gpb__fail(err, GPB_EINVAL, "threads must be >= 0, got %d",
                         opt->threads);
    return GPB_OK;
}

gpb_status gpb_sim_run(const gpb_scenario *s, const gpb_sim_options *opt_in,
                       gpb_result **out, gpb_error *err)
{
    if (!s || !out)
        return gpb__fail(err, GPB_EINVAL, "scenario and out must not be NULL");
    *out = NULL;
    gpb_sim_options opt;
    gpb_status st0 = options_resolve(opt_in, &opt, err);
    if (st0)
        return st0;
    if (s->horizon_months < 1)
        return gpb__fail(err, GPB_EINVAL, "the scenario has no months");

    plan p;
    gpb_status st = plan_build(&p, s, &opt, err);
    if (st) {
        plan_free(&p);
        return st;
    }
    gpb_result *r = NULL;
    st = result_alloc(&r, &p, opt.paths, err);
    if (st) {
        plan_free(&p);
        return st;
    }
    r->seed = opt.seed;

    int threads = opt.threads ? opt.threads : cpu_count();
    size_t n_blocks = (opt.paths + GPB_SIM_BLOCK_PATHS - 1) /
                      GPB_SIM_BLOCK_PATHS;
    if ((size_t)threads > n_blocks)
        threads = (int)n_blocks;

    blas_quiet_enter();

    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.p = &p;
    sh.opt = &opt;
    sh.r = r;
    sh.paths = opt.paths;
    pthread_mutex_init(&sh.lock, NULL);
    st = make_qmc(&sh, &p, err);

    /* Pilot: the first blocks fix each month's histogram range. */
    hist_set pilot_h;
    memset(&pilot_h, 0, sizeof pilot_h);
    if (!st && gpb__hist_set_init(&pilot_h, s->horizon_months, NULL))
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    if (!st) {
        sh.pilot = 1;
        sh.n_blocks = n_blocks < PILOT_BLOCKS ? n_blocks : PILOT_BLOCKS;
        int pt = threads < (int)sh.n_blocks ? threads : (int)sh.n_blocks;
        st = run_pass(&sh, pt, NULL, &pilot_h, err);
    }
    if (!st && sh.err_status) {
        st = sh.err_status;
        if (err)
            *err = sh.err;
    }
    if (!st) {
        gpb__hist_set_ranges_from(&pilot_h);
        if (gpb__hist_set_init(&r->hist, s->horizon_months, &pilot_h))
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    if (!st) {
        sh.pilot = 0;
        sh.n_blocks = n_blocks;
        st = run_pass(&sh, threads, &pilot_h, &r->hist, err);
    }
    if (!st && sh.err_status) {
        st = sh.err_status;
        if (err)
            *err = sh.err;
    }
    if (!st && atomic_load(&sh.cancel))
        st = gpb__fail(err, GPB_ECANCELLED, "the run was cancelled");
    gpb__hist_set_free(&pilot_h);
    free(sh.qmc_u);
    blas_quiet_leave();
    pthread_mutex_destroy(&sh.lock);

    if (!st) {
        /* P(out of cash by month m) from the per-path runway, in path order. */
        const double *rw = r->values[M_RUNWAY], *o = r->values[M_OUT];
        for (size_t i = 0; i < r->paths; i++)
            if (o[i])
                r->p_out_by[(int)rw[i]] += 1;
        double cum = 0;
        for (int m = 0; m <= r->horizon; m++) {
            cum += r->p_out_by[m];
            r->p_out_by[m] = cum / (double)r->paths;
        }
    }
    plan_free(&p);
    if (st) {
        gpb_result_free(r);
        return st;
    }
    *out = r;
    return GPB_OK;
}

/* ---- rent versus buy under a scenario's uncertainty -------------------- */

gpb_status gpb_sim_rent_vs_buy(const gpb_scenario *s,
                               const gpb_rent_vs_buy *base,
                               const gpb_sim_options *opt_in,
                               gpb_sim_rvb_summary *out, gpb_error *err)
{
    if (!s || !base || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    if (s->n_fleets == 0)
        return gpb__fail_at(err, GPB_EINVAL, s->source_name, 0, 0, "fleets",
                            "the scenario has no fleet to compare with "
                            "renting (add a `fleets:` entry)");
    gpb_sim_options opt;
    gpb_status st0 = options_resolve(opt_in, &opt, err);
    if (st0)
        return st0;
    memset(out, 0, sizeof *out);
    const gpb__fleet *f = &s->fleets[0];
    /* The rental price: of the first run that uses the fleet, else of the
       first run, else the caller's. */
    const gpb__training *t = NULL;
    for (size_t k = 0; k < s->n_training && !t; k++)
        if (s->training[k].fleet == 0)
            t = &s->training[k];
    if (!t && s->n_training)
        t = &s->training[0];

    plan p;
    gpb_status st = plan_build(&p, s, &opt, err);
    double *diff = malloc(opt.paths * sizeof *diff);
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.p = &p;
    sh.opt = &opt;
    sh.paths = opt.paths;
    worker_ctx w;
    memset(&w, 0, sizeof w);
    if (!st && !diff)
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    if (!st)
        st = make_qmc(&sh, &p, err);
    if (!st && worker_init(&w, &sh, NULL))
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    double sum_rent = 0, sum_buy = 0;
    size_t cheaper = 0;
    for (size_t i = 0; !st && i < opt.paths; i++) {
        if (i % GPB_SIM_BLOCK_PATHS == 0)
            gsl_rng_set(w.rng, gpb__sim_block_seed(opt.seed,
                                                   i / GPB_SIM_BLOCK_PATHS));
        sample_inputs(&w, i);
        const double *x = w.x;
        gpb_rent_vs_buy in = *base;
        in.price_per_gpu = x[f->price_per_gpu];
        in.premium = x[f->premium];
        in.overhead_frac = x[f->overhead_frac];
        in.tdp_watts = x[f->tdp_watts];
        in.server_overhead = x[f->server_overhead];
        in.pue = x[f->pue];
        in.idle_power_frac = x[f->idle_power_frac];
        in.tariff_per_kwh = x[f->tariff_per_kwh];
        in.colo_per_kw_month = x[f->colo_per_kw_month];
        in.maintenance_frac_per_year = x[f->maintenance_frac_per_year];
        in.resale_decline_frac_per_year = x[f->resale_decline_per_year];
        double lead = floor(x[f->lead_time_months] + 0.5);
        double pd = x[f->delay_probability];
        if (pd > 0 && (pd >= 1 || gsl_rng_uniform(w.rng) < pd))
            lead += floor(x[f->delay_months] + 0.5);
        in.lead_time_months = lead < in.months ? lead : in.months;
        if (t)
            in.rent_price_per_gpu_hour = x[t->price_per_gpu_hour];
        gpb_rent_vs_buy_totals tot;
        gpb_error e;
        if (gpb_finance_rent_vs_buy_eval(&in, &tot, NULL, &e)) {
            st = gpb__fail_at(err, GPB_ENUMERIC, s->source_name, f->line,
                              f->column, f->name,
                              "a sampled value makes the comparison "
                              "undefined: %s",
                              e.message);
            break;
        }
        diff[i] = tot.npv_buy_minus_rent;
        sum_rent += tot.rent_npv;
        sum_buy += tot.buy_npv;
        cheaper += tot.npv_buy_minus_rent < 0;
    }
    if (!st) {
        size_t n = opt.paths;
        double mean = 0, m2 = 0;
        for (size_t i = 0; i < n; i++) {
            double d = diff[i] - mean;
            mean += d / (double)(i + 1);
            m2 += d * (diff[i] - mean);
        }
        gpb_stats_sort(diff, n);
        out->paths = n;
        out->currency = s->currency;
        out->p_buy_cheaper = (double)cheaper / (double)n;
        out->p_buy_cheaper_se = sqrt(out->p_buy_cheaper *
                                     (1 - out->p_buy_cheaper) / (double)n);
        out->rent_npv_mean = sum_rent / (double)n;
        out->buy_npv_mean = sum_buy / (double)n;
        out->npv_diff_mean = mean;
        out->npv_diff_se = n > 1 ? sqrt(m2 / (double)(n - 1) / (double)n) : 0;
        out->npv_diff_p5 = gpb_stats_quantile_sorted(diff, n, 0.05);
        out->npv_diff_p50 = gpb_stats_quantile_sorted(diff, n, 0.50);
        out->npv_diff_p95 = gpb_stats_quantile_sorted(diff, n, 0.95);
    }
    worker_free(&w);
    free(sh.qmc_u);
    free(diff);
    plan_free(&p);
    return st;
}
