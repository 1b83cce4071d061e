/*
 * A training estimate and its interval (plan.h, gpb_plan_estimate_compute):
 * the one place where a run described by its parameters, tokens, card and
 * GPU count is laid out by the throughput model and given the interval of
 * published runs. `gpubudget estimate` and the cells' GPB_TRAIN_INTERVAL
 * both call it, so they give the same numbers.
 */
#include <math.h>
#include <string.h>

#include "gpubudget/plan.h"
#include "internal.h"

double gpb_plan_estimate_count_factor(const gpb_plan_estimate *e)
{
    if (!e || !e->planned || !(e->model_mfu_frac > 0))
        return 1.0;
    double k = e->plan.mfu_frac / e->model_mfu_frac;
    return k >= 1 && isfinite(k) ? k : 1.0;
}

void gpb_plan_estimate_spec_default(gpb_plan_estimate_spec *spec)
{
    if (spec == NULL)
        return;
    memset(spec, 0, sizeof *spec);
    spec->gpu = NULL;
    spec->precision = GPB_PLAN_PRECISION_DEFAULT;
    spec->price_shape = GPB_PLAN_PRICE_LOGNORMAL90;
}

/*
 * The throughput model's MFU for the run, restated for the estimate's
 * count of FLOPs per token; 0 with *why filled when the model cannot lay
 * the run out (a model too large for the memory, a card without
 * interconnect figures, a GPU count that is not whole).
 */
static int model_mfu(const gpb_plan_estimate_spec *s, gpb_precision prec,
                     double flops_per_token, gpb_plan_estimate *o)
{
    gpb_plan_spec ps;
    gpb_plan_spec_default(&ps);
    ps.params = s->params;
    ps.active_params = s->active_params;
    ps.gpu = s->gpu;
    ps.gpus = s->gpus;
    ps.precision = prec;
    ps.seq_len = s->seq_len;
    ps.global_batch_tokens = s->global_batch_tokens;
    if (s->recompute) {
        ps.recompute_fixed = 1;
        ps.recompute = GPB_RECOMPUTE_FULL;
    }
    if (gpb_plan_choose(&ps, &o->plan, &o->why) != GPB_OK ||
        gpb_plan_result_mfu_for(&o->plan, flops_per_token,
                                &o->model_mfu_frac, &o->why) != GPB_OK)
        return 0;
    if (!(o->model_mfu_frac > 0 && o->model_mfu_frac <= 1)) {
        gpb__fail(&o->why, GPB_ERANGE,
                  "its MFU restated for 6·N·D FLOPs is %.3f, above 1",
                  o->model_mfu_frac);
        return 0;
    }
    return 1;
}

gpb_status gpb_plan_estimate_compute(const gpb_plan_estimate_spec *spec,
                                     gpb_plan_estimate *out, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, spec, "spec"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    GPB__TRY(gpb__need_ptr(err, spec->gpu, "spec.gpu"));
    GPB__TRY(gpb__need_pos(err, spec->gpus, "spec.gpus"));
    GPB__TRY(gpb__need_pos(err, spec->tokens, "spec.tokens"));
    gpb_plan_estimate o;
    memset(&o, 0, sizeof o);
    gpb_error_clear(&o.why);

    gpb_precision prec = spec->precision;
    if (prec == GPB_PLAN_PRECISION_DEFAULT)
        GPB__TRY(gpb_hardware_gpu_default_precision(spec->gpu, &prec, err));
    GPB__TRY(gpb_hardware_gpu_peak_flop_per_s(spec->gpu, prec,
                                              &o.peak_flop_per_s, err));
    o.precision = prec;
    gpb_train_spec ts;
    gpb_compute_train_spec_default(&ts);
    ts.params = spec->params;
    ts.active_params = spec->active_params;
    ts.tokens = spec->tokens;
    /* The model's FLOPs, as MFU counts them: recomputation is hardware
       work that trains nothing, so it slows the plan's step (a lower MFU)
       and never enters the count. Until 2026-12 --recompute counted
       8·N·D here, so its "MFU" was the HFU and a given MFU took 4/3 of
       the GPU-hours (a user review). */
    ts.recompute = GPB_RECOMPUTE_NONE;
    GPB__TRY(gpb_compute_train_flops_spec(&ts, &o.flops, err));

    o.planned = model_mfu(spec, prec, o.flops / spec->tokens, &o);
    if (!o.planned) {
        memset(&o.plan, 0, sizeof o.plan);
        o.model_mfu_frac = spec->gpu->default_mfu;
    }
    /* The interval's ceiling, the best published MFU (0.55, MegaScale),
       counts attention's FLOPs, as published runs and the plan do. Here
       it is applied in the plan's count, k = its FLOPs over 6·N·D, and
       the MFUs restated for 6·N·D after, so that `estimate` and `plan`
       give one run the same GPU-hours: in 6·N·D the ceiling allowed 8%
       less time, and the two P5s differed by 3.7% (7B, 2T, 256 H100). A
       given MFU that the plan's count puts above 1 is refused (falling
       back to 6·N·D made the interval jump; a review). */
    double k = gpb_plan_estimate_count_factor(&o);
    double user = spec->user_mfu_frac;
    if (user > 0 && user <= 1 && user * k > 1)
        return gpb__fail(err, GPB_ERANGE,
                         "an MFU of %.3f of 6·N·D is %.3f counting "
                         "attention's FLOPs as the plan does (%.3f times "
                         "6·N at this context length): beyond the "
                         "hardware's peak",
                         user, user * k, k);
    gpb_plan_interval_spec is;
    gpb_plan_interval_spec_default(&is);
    is.flops = o.flops * k;
    is.gpus = spec->gpus;
    is.peak_flop_per_s = o.peak_flop_per_s;
    is.ideal_mfu_frac = o.model_mfu_frac * k;
    is.gpu = spec->gpu;
    is.user_mfu_frac = user > 0      ? user * k
                       : o.planned ? 0
                                   : o.model_mfu_frac;
    is.price_low_per_gpu_hour = spec->price_low_per_gpu_hour;
    is.price_high_per_gpu_hour = spec->price_high_per_gpu_hour;
    is.price_shape = spec->price_shape;
    GPB__TRY(gpb_plan_interval_compute(&is, &o.interval, err));
    o.interval.ideal_mfu_frac /= k;
    o.interval.mfu_frac.p5 /= k;
    o.interval.mfu_frac.p50 /= k;
    o.interval.mfu_frac.p95 /= k;
    *out = o;
    return GPB_OK;
}
