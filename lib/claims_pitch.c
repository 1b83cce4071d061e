/*
 * A training pitch in one sentence ("70B params, 2T tokens, 512 H100, 30
 * days, $2M"): what it implies by the compute layer's formulas, and the
 * scenario it is checked against (gpubudget/claims.h). Reading the
 * sentence is claims_pitch_parse.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/claims.h"
#include "gpubudget/compute.h"
#include "gpubudget/finance.h"
#include "internal.h"

/* An amount in US dollars at the default rates (NONE read as USD). */
static double to_usd(double v, gpb_currency cur)
{
    gpb_fx fx = gpb_units_fx_default();
    double usd;
    if (gpb_units_fx_convert(&fx, v, cur ? cur : GPB_CURRENCY_USD,
                       GPB_CURRENCY_USD, &usd, NULL))
        return NAN;
    return usd;
}

int gpb_claim_pitch_is_moe(const gpb_pitch *p)
{
    /* NaN and 0 both mean dense: NaN is the parser's "absent", 0 what
       gpb_train_spec reads as dense. */
    return p && !isnan(p->active_params) && p->active_params != 0;
}

static gpb_status need_core(const gpb_pitch *p, gpb_error *err)
{
    if (!p)
        return gpb__fail(err, GPB_EINVAL, "pitch must not be NULL");
    /* Active parameters alone cannot be checked: the memory check holds
       every expert's weights and optimizer state, so it needs the total,
       and taking the active count for it would pass a model that does not
       fit. */
    int moe = gpb_claim_pitch_is_moe(p);
    if (moe && isnan(p->params))
        return gpb__fail(err, GPB_EINVAL,
                         "the pitch gives active parameters (%g) but not "
                         "the total: a mixture of experts holds every "
                         "expert in memory; give both, e.g. '671B params "
                         "(37B active)'",
                         p->active_params);
    if (moe && !(p->active_params > 0 && p->active_params <= p->params))
        return gpb__fail(err, GPB_EINVAL,
                         "pitch active_params (%g) must be above 0 and at "
                         "most params (%g)",
                         p->active_params, p->params);
    if (isnan(p->params) || isnan(p->tokens) || !p->gpu || isnan(p->gpus))
        return gpb__fail(err, GPB_EINVAL,
                         "a pitch needs parameters, tokens and GPUs (e.g. "
                         "'70B params, 2T tokens, 512 H100'); missing%s%s%s",
                         isnan(p->params) ? " parameters" : "",
                         isnan(p->tokens) ? " tokens" : "",
                         !p->gpu || isnan(p->gpus) ? " GPUs" : "");
    if ((unsigned)p->precision > GPB_PREC_COUNT)
        return gpb__fail(err, GPB_EINVAL,
                         "pitch precision %d is not a gpb_precision",
                         (int)p->precision);
    return GPB_OK;
}

gpb_status gpb_claim_pitch_implied(const gpb_pitch *p, gpb_pitch_implied *out,
                                   gpb_error *err)
{
    gpb_status st = need_core(p, err);
    if (st)
        return st;
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out must not be NULL");
    gpb_pitch_implied o;
    memset(&o, 0, sizeof o);
    o.implied_mfu = o.price_per_gpu_hour_usd = o.budget_mfu = NAN;
    o.price_p5_usd = o.price_p95_usd = NAN;
    o.mfu_class = o.stated_mfu_class = -1;
    o.precision = p->precision;
    o.precision_is_default = p->precision == GPB_PREC_COUNT;
    if (o.precision_is_default &&
        (st = gpb_hardware_gpu_default_precision(p->gpu, &o.precision, err)))
        return st;
    /* The compute layer's one formula: 6 · N · D with N the active
       parameters of a mixture of experts (gpb_compute_train_flops_spec,
       the one the scenario's run uses through its active_params). */
    int moe = gpb_claim_pitch_is_moe(p);
    gpb_train_spec ts;
    gpb_compute_train_spec_default(&ts);
    ts.params = p->params;
    ts.active_params = moe ? p->active_params : 0;
    ts.tokens = p->tokens;
    if ((st = gpb_hardware_gpu_peak_flop_per_s(p->gpu, o.precision,
                                               &o.peak_flop_per_s, err)) ||
        (st = gpb_compute_train_flops_spec(&ts, &o.flops, err)))
        return st;
    /* Memory holds every parameter: all experts' weights, gradients and
       optimizer state, however few a token uses. */
    double mem;
    if ((st = gpb_compute_train_memory_bytes(p->params, 0, NULL, &mem, err)) ||
        (st = gpb_compute_min_gpus_for_memory(mem, p->gpu->mem_bytes, 0,
                                              &o.min_gpus_memory, err)))
        return st;
    /* Tokens per parameter the FLOPs count: Chinchilla's split below is of
       those FLOPs, so for a mixture of experts both sides are in active
       parameters (the law itself was fit on dense models). */
    o.tokens_per_param = p->tokens / (moe ? p->active_params : p->params);
    o.chinchilla = GPB_CHINCHILLA_DEFAULT;
    if ((st = gpb_compute_chinchilla_optimal(o.chinchilla, o.flops,
                                             &o.chinchilla_params,
                                             &o.chinchilla_tokens, err)))
        return st;
    o.optimal_tokens_per_param = o.chinchilla_tokens / o.chinchilla_params;
    /* The price the check uses: the pitch's own, else the rule's median. */
    gpb_rent_rule rule;
    if (p->price.kind == GPB_QTY_MONEY_PER_HOUR) {
        o.ref_price_usd = to_usd(p->price.value, p->price.currency);
        o.ref_price_is_stated = 1;
        o.price_p5_usd = o.price_p95_usd = o.ref_price_usd;
    } else if (gpb_hardware_gpu_rent_rule(p->gpu, &rule, NULL) == GPB_OK) {
        o.ref_price_usd = rule.median_usd_per_hour;
        o.price_p5_usd = rule.p5_usd_per_hour;
        o.price_p95_usd = rule.p95_usd_per_hour;
    }
    o.budget_usd = p->budget.kind == GPB_QTY_MONEY
                       ? to_usd(p->budget.value, p->budget.currency)
                       : NAN;
    gpb_mfu_class cls;
    if (!isnan(p->mfu) &&
        gpb_compute_mfu_classify(p->mfu, &cls, NULL) == GPB_OK)
        o.stated_mfu_class = (int)cls;
    if (!isnan(p->hours)) {
        if ((st = gpb_compute_implied_mfu_from_days(o.flops, p->gpus,
                                                    o.peak_flop_per_s,
                                                    p->hours / 24.0,
                                                    &o.implied_mfu, err)))
            return st;
        if (gpb_compute_mfu_classify(o.implied_mfu, &cls, NULL) == GPB_OK)
            o.mfu_class = (int)cls;
        if (o.budget_usd >= 0)
            o.price_per_gpu_hour_usd = o.budget_usd / (p->gpus * p->hours);
    }
    if (o.budget_usd > 0 && o.ref_price_usd > 0) {
        double gh = o.budget_usd / o.ref_price_usd;
        if (gpb_compute_implied_mfu_from_gpu_hours(o.flops, o.peak_flop_per_s,
                                                   gh, &o.budget_mfu, NULL))
            o.budget_mfu = NAN;
    }
    *out = o;
    return GPB_OK;
}

/* Appends formatted text to a growing buffer; returns 0 or -1 (no memory). */
typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static int sb_printf(sbuf *b, const char *fmt, ...) GPB__PRINTF(2, 3);
static int sb_printf(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL,
                          b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0)
            return -1;
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return 0;
        }
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t)
            return -1;
        b->s = t;
        b->cap = cap;
    }
}

/* The per-GPU MTBF of the pitch's failures: Llama 3 405B had 419
   unexpected interruptions in 54 days on 16,384 H100s (Llama Team 2024,
   arXiv:2407.21783, §3.3.4): 16,384 × 54 × 24 / 419 ≈ 50,700 h. */
#define PITCH_GPU_MTBF_HOURS 50700.0
/* The hours each failure costs (rework since the last checkpoint and the
   restart), from the same snapshot: "higher than 90% effective training
   time" through those 419 interruptions, so each cost at most
   0.10 × 54 × 24 / 419 = 0.309 h (§3.3.4). Until 2026-12 the pitch took
   hourly checkpoints and 30-minute restarts, 1 h a failure: 32% of the
   time lost at 16,384 GPUs, and Llama 3.1 405B's own run (30.84M H100
   hours, 78.4 days) judged optimistic (a user review). */
#define PITCH_HOURS_LOST_PER_FAILURE 0.3

gpb_status gpb_claim_pitch_scenario(const gpb_pitch *p, char **yaml,
                                    gpb_error *err)
{
    gpb_pitch_implied im;
    gpb_status st = gpb_claim_pitch_implied(p, &im, err);
    if (st)
        return st;
    if (!yaml)
        return gpb__fail(err, GPB_EINVAL, "yaml must not be NULL");
    *yaml = NULL;
    const gpb_gpu *g = p->gpu;
    int has_budget = p->budget.kind == GPB_QTY_MONEY;
    int has_price = p->price.kind == GPB_QTY_MONEY_PER_HOUR;
    gpb_rent_rule rule;
    int has_rule = gpb_hardware_gpu_rent_rule(g, &rule, NULL) == GPB_OK;
    if (has_budget && !has_price && !has_rule)
        return gpb__fail(err, GPB_ENOTFOUND,
                         "the catalog has no rental price for %s (%s), so "
                         "the budget cannot be checked; state one ('at "
                         "$2/GPU-hour')",
                         g->name, g->rent_source);
    double mode = g->default_mfu;
    double lo = fmin(GPB_MFU_PUBLISHED_MIN, mode);
    double hi = fmax(GPB_MFU_PUBLISHED_MAX, mode);
    if (lo == mode && mode < hi)
        lo = 0.9 * mode; /* PERT needs room below the mode */
    /* Long enough to finish at the lowest MFU, failures included. */
    double months = im.flops / (p->gpus * im.peak_flop_per_s * lo *
                                GPB_SECONDS_PER_HOUR * GPB_HOURS_PER_MONTH);
    double horizon = ceil(months * 1.5) + 2;
    if (horizon > 600)
        return gpb__fail(err, GPB_ERANGE,
                         "the run needs about %.0f months on %.0f %s at MFU "
                         "%.2f; the simulation covers at most 600",
                         months, p->gpus, g->name, lo);
    gpb_currency cur = has_budget && p->budget.currency
                           ? p->budget.currency
                           : GPB_CURRENCY_USD;
    sbuf b = {0};
    int bad = 0;
    char active[48] = "";
    if (gpb_claim_pitch_is_moe(p))
        snprintf(active, sizeof active, " (%.6g active)", p->active_params);
    bad |= sb_printf(&b,
                     "gpubudget: 1\n"
                     "name: \"pitch: %.6g params%s, %.6g tokens, %.0f x "
                     "%s\"\n"
                     "currency: %s\n"
                     "horizon_months: %.0f\n",
                     p->params, active, p->tokens, p->gpus, g->name,
                     gpb_currency_code(cur), horizon);
    if (!isnan(p->hours) || has_budget) {
        bad |= sb_printf(&b, "claims:\n");
        if (!isnan(p->hours))
            bad |= sb_printf(&b,
                             "  - {id: duration, metric: training.pitch.days,"
                             " value: \"%.17g h\"}\n",
                             p->hours);
        if (has_budget)
            bad |= sb_printf(&b,
                             "  - {id: budget, metric: training.pitch.cost,"
                             " value: \"%.17g %s\"}\n",
                             p->budget.value, gpb_currency_code(cur));
    }
    bad |= sb_printf(&b,
                     "training:\n"
                     "  - name: pitch\n"
                     "    params: %.17g\n"
                     "    tokens: %.17g\n"
                     "    gpu: \"%s\"\n"
                     "    precision: %s\n"
                     "    gpus: %.0f\n"
                     "    mfu: {pert: [%.6g, %.6g, %.6g]}\n",
                     p->params, p->tokens, g->name,
                     gpb_precision_name(im.precision), p->gpus, lo, mode, hi);
    /* A mixture of experts: the run's FLOPs count the active parameters
       (docs/scenario.md, training[].active_params), as the verdict's. */
    if (gpb_claim_pitch_is_moe(p))
        bad |= sb_printf(&b, "    active_params: %.17g\n", p->active_params);
    /* The pricing rule (hardware.h): the catalog's rent is the median, 90%
       within its providers' range (half to twice a single price); a price
       the pitch states is its own. */
    if (has_price)
        bad |= sb_printf(&b, "    price_per_gpu_hour: \"%.17g %s/h\"\n",
                         p->price.value,
                         gpb_currency_code(p->price.currency
                                               ? p->price.currency
                                               : GPB_CURRENCY_USD));
    else if (has_rule)
        bad |= sb_printf(&b,
                         "    price_per_gpu_hour: {lognormal90: "
                         "[\"$%.17g/h\", \"$%.17g/h\"]}\n",
                         rule.p5_usd_per_hour, rule.p95_usd_per_hour);
    else
        bad |= sb_printf(&b, "    price_per_gpu_hour: 0\n");
    bad |= sb_printf(&b,
                     "    failures: {gpu_mtbf_hours: %.0f, "
                     "hours_lost_per_failure: %.17g}\n",
                     PITCH_GPU_MTBF_HOURS, PITCH_HOURS_LOST_PER_FAILURE);
    if (bad) {
        free(b.s);
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    *yaml = b.s;
    return GPB_OK;
}
