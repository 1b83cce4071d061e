/*
 * The compute layer: FLOPs, time, memory, scaling laws and inference
 * throughput. Every formula here is cited where it is used and listed in
 * docs/model.md ("Compute"). Pure functions: no allocation, no state.
 *
 * Validation comes first in every function so that nothing below it (libm
 * included) ever sees a NaN, an infinity or a value outside its domain; the
 * results are checked for overflow before they are stored.
 */
#include <math.h>
#include <stddef.h>

#include "gpubudget/compute.h"
#include "formula.h"
#include "internal.h"

/* Seconds in a day, for the wall-clock helpers. */
#define SECONDS_PER_DAY 86400.0

/* ------------------------------------------------------------------------ */
/* Argument checks. Each names the argument in its message.                  */
/* ------------------------------------------------------------------------ */

/* v a fraction in (0, 1]: not positive is EINVAL, above 1 ERANGE. */
static gpb_status need_frac(gpb_error *err, double v, const char *name)
{
    GPB__TRY(gpb__need_pos(err, v, name));
    if (v > 1.0)
        return gpb__fail(err, GPB_ERANGE,
                         "%s must be a fraction in (0, 1] (got %g)", name, v);
    return GPB_OK;
}

/* A result that must also be positive (guards against underflow to 0). */
static gpb_status need_pos_result(gpb_error *err, double v, const char *what)
{
    GPB__TRY(gpb__need_result(err, v, what));
    if (!(v > 0.0))
        return gpb__fail(err, GPB_ERANGE, "%s underflows to %g", what, v);
    return GPB_OK;
}

static gpb_status need_recompute(gpb_error *err, int v, const char *name)
{
    if (v != GPB_RECOMPUTE_NONE && v != GPB_RECOMPUTE_SELECTIVE &&
        v != GPB_RECOMPUTE_FULL)
        return gpb__fail(err, GPB_EINVAL,
                         "%s must be GPB_RECOMPUTE_NONE, _SELECTIVE or "
                         "_FULL (got %d)",
                         name, v);
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Training FLOPs                                                            */
/* ------------------------------------------------------------------------ */

/*
 * FLOPs per parameter per token: 6 for forward plus backward (Kaplan et al.
 * 2020, arXiv:2001.08361, Sec. 2.1; EleutherAI "Transformer Math 101"), 8
 * when the backward pass repeats the forward (full recomputation; Narayanan
 * et al. 2021, arXiv:2104.04473, Sec. 5.1).
 */
#define FLOPS_PER_PARAM_TOKEN 6.0
#define FLOPS_PER_PARAM_TOKEN_RECOMPUTE 8.0

/*
 * Kaplan et al. 2020, Table 1: the attention-score term of the forward pass
 * is 2·n_layer·n_ctx·d_attn FLOPs per token; forward plus backward is 3
 * times that, plus one more forward when the attention core is recomputed.
 */
#define ATTN_FLOPS_FORWARD 2.0

static gpb_status train_flops_k(double k, double params, double tokens,
                                double *flops, gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, params, "params"));
    GPB__TRY(gpb__need_pos(err, tokens, "tokens"));
    GPB__TRY(gpb__need_ptr(err, flops, "flops"));
    double c = k * params * tokens;
    GPB__TRY(gpb__need_result(err, c, "training FLOPs"));
    *flops = c;
    return GPB_OK;
}

gpb_status gpb_compute_train_flops(double params, double tokens,
                                   double *flops, gpb_error *err)
{
    return train_flops_k(FLOPS_PER_PARAM_TOKEN, params, tokens, flops, err);
}

gpb_status gpb_compute_train_flops_recompute(double params, double tokens,
                                             double *flops, gpb_error *err)
{
    return train_flops_k(FLOPS_PER_PARAM_TOKEN_RECOMPUTE, params, tokens,
                         flops, err);
}

gpb_status gpb_compute_attention_flops_per_token(double n_layer, double n_ctx,
                                                 double d_model,
                                                 double *flops,
                                                 gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, n_layer, "n_layer"));
    GPB__TRY(gpb__need_pos(err, n_ctx, "n_ctx"));
    GPB__TRY(gpb__need_pos(err, d_model, "d_model"));
    GPB__TRY(gpb__need_ptr(err, flops, "flops"));
    double f = 3.0 * ATTN_FLOPS_FORWARD * n_layer * n_ctx * d_model;
    GPB__TRY(gpb__need_result(err, f, "attention FLOPs per token"));
    *flops = f;
    return GPB_OK;
}

void gpb_compute_train_spec_default(gpb_train_spec *spec)
{
    if (spec == NULL)
        return;
    spec->params = 0.0;
    spec->active_params = 0.0;
    spec->tokens = 0.0;
    spec->n_layer = 0.0;
    spec->n_ctx = 0.0;
    spec->d_model = 0.0;
    spec->recompute = GPB_RECOMPUTE_NONE;
}

gpb_status gpb_compute_train_flops_spec(const gpb_train_spec *spec,
                                        double *flops, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, spec, "spec"));
    GPB__TRY(gpb__need_ptr(err, flops, "flops"));
    GPB__TRY(gpb__need_pos(err, spec->params, "spec.params"));
    GPB__TRY(gpb__need_nonneg(err, spec->active_params, "spec.active_params"));
    if (spec->active_params > spec->params)
        return gpb__fail(err, GPB_ERANGE,
                         "spec.active_params (%g) must not exceed "
                         "spec.params (%g)",
                         spec->active_params, spec->params);
    GPB__TRY(gpb__need_pos(err, spec->tokens, "spec.tokens"));
    GPB__TRY(gpb__need_nonneg(err, spec->n_layer, "spec.n_layer"));
    GPB__TRY(gpb__need_nonneg(err, spec->n_ctx, "spec.n_ctx"));
    GPB__TRY(gpb__need_nonneg(err, spec->d_model, "spec.d_model"));
    GPB__TRY(need_recompute(err, spec->recompute, "spec.recompute"));
    if (spec->d_model > 0.0) {
        GPB__TRY(gpb__need_pos(err, spec->n_layer,
                     "spec.n_layer (needed when spec.d_model is set)"));
        GPB__TRY(gpb__need_pos(err, spec->n_ctx,
                     "spec.n_ctx (needed when spec.d_model is set)"));
    }

    double n = spec->active_params > 0.0 ? spec->active_params : spec->params;
    /* Forward passes per step: 3 (fwd + 2× fwd for bwd), 4 if redone. */
    double passes_w = spec->recompute == GPB_RECOMPUTE_FULL ? 4.0 : 3.0;
    double passes_a = spec->recompute == GPB_RECOMPUTE_NONE ? 3.0 : 4.0;
    double per_token = passes_w * 2.0 * n;
    if (spec->d_model > 0.0)
        per_token += passes_a * ATTN_FLOPS_FORWARD * spec->n_layer *
                     spec->n_ctx * spec->d_model;
    double c = per_token * spec->tokens;
    GPB__TRY(gpb__need_result(err, c, "training FLOPs"));
    *flops = c;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Time, GPU-hours and card-months                                          */
/* ------------------------------------------------------------------------ */

/* GPU-hours = C / (P · MFU · 3600) (DESIGN.md, domain model). */
gpb_status gpb_compute_gpu_hours(double flops, double peak_flop_per_s,
                                 double mfu_frac, double *gpu_hours,
                                 gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, flops, "flops"));
    GPB__TRY(gpb__need_pos(err, peak_flop_per_s, "peak_flop_per_s"));
    GPB__TRY(need_frac(err, mfu_frac, "mfu_frac"));
    GPB__TRY(gpb__need_ptr(err, gpu_hours, "gpu_hours"));
    double h = flops / (peak_flop_per_s * mfu_frac * GPB_SECONDS_PER_HOUR);
    GPB__TRY(gpb__need_result(err, h, "GPU-hours"));
    *gpu_hours = h;
    return GPB_OK;
}

/*
 * T = C / (G · P · MFU) (DESIGN.md; "Transformer Math 101": C = τ·T),
 * computed as GPU-hours first and every other figure from them
 * (formula.h), so that each field overflows only when it is itself out of
 * range. Seconds, the largest of the wall times, are the first to.
 */
gpb_status gpb_compute_train_time(double flops, double gpus,
                                  double peak_flop_per_s, double mfu_frac,
                                  gpb_train_time *out, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, flops, "flops"));
    GPB__TRY(gpb__need_pos(err, gpus, "gpus"));
    GPB__TRY(gpb__need_pos(err, peak_flop_per_s, "peak_flop_per_s"));
    GPB__TRY(need_frac(err, mfu_frac, "mfu_frac"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));

    double gpu_hours;
    GPB__TRY(gpb_compute_gpu_hours(flops, peak_flop_per_s, mfu_frac, &gpu_hours,
                              err));
    double hours = gpb__wall_hours(gpu_hours, gpus);
    GPB__TRY(gpb__need_result(err, hours, "training time"));
    double seconds = hours * GPB_SECONDS_PER_HOUR;
    GPB__TRY(gpb__need_result(err, seconds, "training time in seconds"));

    out->seconds = seconds;
    out->hours = hours;
    out->days = gpb__wall_days(gpu_hours, gpus);
    out->gpu_hours = gpu_hours;
    /* One month is 730.5 h everywhere (common.h); 千卡/月 is 1000 of them. */
    out->card_months = gpb__card_months(gpu_hours);
    out->qianka_months = out->card_months / 1000.0;
    return GPB_OK;
}

gpb_status gpb_compute_flops_from_gpu_hours(double gpu_hours,
                                            double peak_flop_per_s,
                                            double mfu_frac, double *flops,
                                            gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, gpu_hours, "gpu_hours"));
    GPB__TRY(gpb__need_pos(err, peak_flop_per_s, "peak_flop_per_s"));
    GPB__TRY(need_frac(err, mfu_frac, "mfu_frac"));
    GPB__TRY(gpb__need_ptr(err, flops, "flops"));
    double c = gpb__flops_of(gpu_hours, peak_flop_per_s, mfu_frac);
    GPB__TRY(gpb__need_result(err, c, "FLOPs"));
    *flops = c;
    return GPB_OK;
}

gpb_status gpb_compute_train_gpus_for_days(double flops,
                                           double peak_flop_per_s,
                                           double mfu_frac, double days,
                                           double *gpus, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, flops, "flops"));
    GPB__TRY(gpb__need_pos(err, peak_flop_per_s, "peak_flop_per_s"));
    GPB__TRY(need_frac(err, mfu_frac, "mfu_frac"));
    GPB__TRY(gpb__need_pos(err, days, "days"));
    GPB__TRY(gpb__need_ptr(err, gpus, "gpus"));
    double g = flops / (peak_flop_per_s * mfu_frac * days * SECONDS_PER_DAY);
    GPB__TRY(gpb__need_result(err, g, "GPU count"));
    *gpus = gpb__ceil_count(g);
    return GPB_OK;
}

gpb_status gpb_compute_implied_mfu_from_gpu_hours(double flops,
                                                  double peak_flop_per_s,
                                                  double gpu_hours,
                                                  double *mfu_frac,
                                                  gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, flops, "flops"));
    GPB__TRY(gpb__need_pos(err, peak_flop_per_s, "peak_flop_per_s"));
    GPB__TRY(gpb__need_pos(err, gpu_hours, "gpu_hours"));
    GPB__TRY(gpb__need_ptr(err, mfu_frac, "mfu_frac"));
    double m = flops / (peak_flop_per_s * gpu_hours * GPB_SECONDS_PER_HOUR);
    GPB__TRY(need_pos_result(err, m, "implied MFU"));
    *mfu_frac = m;
    return GPB_OK;
}

gpb_status gpb_compute_implied_mfu_from_days(double flops, double gpus,
                                             double peak_flop_per_s,
                                             double days, double *mfu_frac,
                                             gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, flops, "flops"));
    GPB__TRY(gpb__need_pos(err, gpus, "gpus"));
    GPB__TRY(gpb__need_pos(err, peak_flop_per_s, "peak_flop_per_s"));
    GPB__TRY(gpb__need_pos(err, days, "days"));
    GPB__TRY(gpb__need_ptr(err, mfu_frac, "mfu_frac"));
    double m = flops / (gpus * peak_flop_per_s * days * SECONDS_PER_DAY);
    GPB__TRY(need_pos_result(err, m, "implied MFU"));
    *mfu_frac = m;
    return GPB_OK;
}

gpb_status gpb_compute_mfu_classify(double mfu_frac, gpb_mfu_class *out,
                                    gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, mfu_frac, "mfu_frac"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    if (mfu_frac > 1.0)
        *out = GPB_MFU_IMPOSSIBLE;
    else if (mfu_frac > GPB_MFU_PUBLISHED_MAX)
        *out = GPB_MFU_BEYOND_PUBLISHED;
    else if (mfu_frac >= GPB_MFU_PUBLISHED_MIN)
        *out = GPB_MFU_WITHIN_PUBLISHED;
    else
        *out = GPB_MFU_BELOW_PUBLISHED;
    return GPB_OK;
}

const char *gpb_compute_mfu_class_str(gpb_mfu_class mfu_class)
{
    switch ((int)mfu_class) {
    case GPB_MFU_BELOW_PUBLISHED:
        return "below published";
    case GPB_MFU_WITHIN_PUBLISHED:
        return "within published";
    case GPB_MFU_BEYOND_PUBLISHED:
        return "beyond published";
    case GPB_MFU_IMPOSSIBLE:
        return "impossible";
    default:
        return "unknown";
    }
}

gpb_status gpb_compute_rent_cost(double gpu_hours, double price_per_gpu_hour,
                                 double *cost, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, gpu_hours, "gpu_hours"));
    GPB__TRY(gpb__need_nonneg(err, price_per_gpu_hour, "price_per_gpu_hour"));
    GPB__TRY(gpb__need_ptr(err, cost, "cost"));
    double c = gpb__rent(gpu_hours, price_per_gpu_hour);
    GPB__TRY(gpb__need_result(err, c, "rent cost"));
    *cost = c;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Training memory                                                           */
/* ------------------------------------------------------------------------ */

/*
 * Korthikanti et al. 2022 (arXiv:2205.05198): bytes of activations per
 * layer are s·b·h·(34 + 5·a·s/h) with 16-bit activations and no
 * parallelism; selective recomputation drops the 5·a·s/h attention term;
 * full recomputation keeps only each layer's 16-bit input, 2·s·b·h.
 */
#define ACT_BYTES_LINEAR 34.0
#define ACT_BYTES_ATTN 5.0
#define ACT_BYTES_FULL_RECOMPUTE 2.0
#define ACT_BYTES_REPLICATED 10.0

void gpb_compute_activation_shape_default(gpb_activation_shape *shape)
{
    if (shape == NULL)
        return;
    shape->seq_len = 0.0;
    shape->micro_batch = 0.0;
    shape->hidden = 0.0;
    shape->n_layer = 0.0;
    shape->n_head = 0.0;
    shape->recompute = GPB_RECOMPUTE_NONE;
    shape->tensor_parallel = 1.0;
    shape->sequence_parallel = 0;
}

gpb_status gpb_compute_activation_bytes(const gpb_activation_shape *shape,
                                        double *bytes, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, shape, "shape"));
    GPB__TRY(gpb__need_ptr(err, bytes, "bytes"));
    GPB__TRY(gpb__need_pos(err, shape->seq_len, "shape.seq_len"));
    GPB__TRY(gpb__need_pos(err, shape->micro_batch, "shape.micro_batch"));
    GPB__TRY(gpb__need_pos(err, shape->hidden, "shape.hidden"));
    GPB__TRY(gpb__need_pos(err, shape->n_layer, "shape.n_layer"));
    GPB__TRY(gpb__need_pos(err, shape->n_head, "shape.n_head"));
    GPB__TRY(need_recompute(err, shape->recompute, "shape.recompute"));
    GPB__TRY(gpb__need_nonneg(err, shape->tensor_parallel,
                              "shape.tensor_parallel"));
    double t = shape->tensor_parallel == 0.0 ? 1.0 : shape->tensor_parallel;
    if (t < 1.0)
        return gpb__fail(err, GPB_EINVAL,
                         "shape.tensor_parallel must be at least 1 (got "
                         "%g)",
                         t);

    double s = shape->seq_len, b = shape->micro_batch, h = shape->hidden;
    double sbh = s * b * h;
    /* Of the 34 bytes per element outside attention, 24 sit in the
       tensor-parallel GEMMs' inputs and outputs and are split over t; the
       other 10 (layer-norm inputs, dropout outputs and masks) are split
       only under sequence parallelism (Korthikanti et al., sec. 4.2). */
    double split = shape->sequence_parallel ? ACT_BYTES_LINEAR / t
                                            : ACT_BYTES_REPLICATED +
                                                  (ACT_BYTES_LINEAR -
                                                   ACT_BYTES_REPLICATED) /
                                                      t;
    double per_elem;
    switch (shape->recompute) {
    case GPB_RECOMPUTE_FULL:
        per_elem = ACT_BYTES_FULL_RECOMPUTE /
                   (shape->sequence_parallel ? t : 1.0);
        break;
    case GPB_RECOMPUTE_SELECTIVE:
        per_elem = split;
        break;
    default:
        per_elem = split + ACT_BYTES_ATTN * shape->n_head * s / (h * t);
        break;
    }
    double total = shape->n_layer * sbh * per_elem;
    GPB__TRY(gpb__need_result(err, total, "activation bytes"));
    *bytes = total;
    return GPB_OK;
}

gpb_status gpb_compute_train_memory_bytes(double params,
                                          double bytes_per_param,
                                          const gpb_activation_shape *act,
                                          double *bytes, gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, params, "params"));
    GPB__TRY(gpb__need_nonneg(err, bytes_per_param, "bytes_per_param"));
    GPB__TRY(gpb__need_ptr(err, bytes, "bytes"));
    double bpp = bytes_per_param > 0.0 ? bytes_per_param
                                       : GPB_TRAIN_BYTES_PER_PARAM_ADAM;
    double total = params * bpp;
    GPB__TRY(gpb__need_result(err, total, "model-state bytes"));
    if (act != NULL) {
        double a;
        GPB__TRY(gpb_compute_activation_bytes(act, &a, err));
        total += a;
        GPB__TRY(gpb__need_result(err, total, "training memory"));
    }
    *bytes = total;
    return GPB_OK;
}

gpb_status gpb_compute_min_gpus_for_memory(double total_bytes,
                                           double mem_bytes_per_gpu,
                                           double usable_frac, double *gpus,
                                           gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, total_bytes, "total_bytes"));
    GPB__TRY(gpb__need_pos(err, mem_bytes_per_gpu, "mem_bytes_per_gpu"));
    GPB__TRY(gpb__need_nonneg(err, usable_frac, "usable_frac"));
    if (usable_frac == 0.0)
        usable_frac = GPB_GPU_MEMORY_USABLE_FRAC_DEFAULT;
    GPB__TRY(need_frac(err, usable_frac, "usable_frac"));
    GPB__TRY(gpb__need_ptr(err, gpus, "gpus"));
    double g = total_bytes / (mem_bytes_per_gpu * usable_frac);
    GPB__TRY(gpb__need_result(err, g, "GPU count"));
    *gpus = gpb__ceil_count(g);
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Scaling laws (Chinchilla)                                                 */
/* ------------------------------------------------------------------------ */

/* Hoffmann et al. 2022, arXiv:2203.15556, Approach 3, as printed. */
const gpb_chinchilla gpb_chinchilla_hoffmann2022 = {
    "hoffmann2022",
    "Hoffmann et al. 2022, Training Compute-Optimal Large Language "
    "Models, arXiv:2203.15556, Approach 3 (printed, rounded values)",
    1.69, 406.4, 410.7, 0.34, 0.28};

/*
 * The same fit with the unrounded E, alpha, beta found in the paper's TeX
 * source, as reported by Besiroglu et al. 2024 (arXiv:2404.10102).
 */
const gpb_chinchilla gpb_chinchilla_hoffmann2022_tex = {
    "hoffmann2022-tex",
    "Hoffmann et al. 2022 (arXiv:2203.15556), unrounded TeX-source values "
    "reported by Besiroglu et al. 2024 (arXiv:2404.10102)",
    1.6934, 406.4, 410.7, 0.3392, 0.2849};

/* Besiroglu, Erdil, Barnett, You 2024, arXiv:2404.10102 (Epoch AI). */
const gpb_chinchilla gpb_chinchilla_besiroglu2024 = {
    "besiroglu2024",
    "Besiroglu, Erdil, Barnett, You 2024, Chinchilla Scaling: A "
    "replication attempt, arXiv:2404.10102 (Epoch AI)",
    1.8172, 482.01, 2085.43, 0.3478, 0.3658};

static const gpb_chinchilla *const chinchilla_sets[] = {
    &gpb_chinchilla_hoffmann2022,
    &gpb_chinchilla_hoffmann2022_tex,
    &gpb_chinchilla_besiroglu2024,
};

#define N_CHINCHILLA_SETS \
    (sizeof chinchilla_sets / sizeof chinchilla_sets[0])

/* Other names people use for the sets, accepted by _find. */
static const struct {
    const char *alias;
    const gpb_chinchilla *set;
} chinchilla_aliases[] = {
    {"chinchilla", &gpb_chinchilla_hoffmann2022},
    {"hoffmann", &gpb_chinchilla_hoffmann2022},
    {"epoch", &gpb_chinchilla_besiroglu2024},
    {"besiroglu", &gpb_chinchilla_besiroglu2024},
};

const gpb_chinchilla *gpb_compute_chinchilla_default(void)
{
    return GPB_CHINCHILLA_DEFAULT;
}

const gpb_chinchilla *gpb_compute_chinchilla_get(size_t i)
{
    return i < N_CHINCHILLA_SETS ? chinchilla_sets[i] : NULL;
}

gpb_status gpb_compute_chinchilla_find(const char *name,
                                       const gpb_chinchilla **out,
                                       gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, name, "name"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    const char *best = NULL;
    int best_d = 1 << 30;
    for (size_t i = 0; i < N_CHINCHILLA_SETS; i++) {
        if (gpb__strcasecmp(name, chinchilla_sets[i]->name) == 0) {
            *out = chinchilla_sets[i];
            return GPB_OK;
        }
        int d = gpb__edit_distance(name, chinchilla_sets[i]->name);
        if (d < best_d) {
            best_d = d;
            best = chinchilla_sets[i]->name;
        }
    }
    for (size_t i = 0;
         i < sizeof chinchilla_aliases / sizeof chinchilla_aliases[0]; i++) {
        if (gpb__strcasecmp(name, chinchilla_aliases[i].alias) == 0) {
            *out = chinchilla_aliases[i].set;
            return GPB_OK;
        }
    }
    return gpb__fail(err, GPB_ENOTFOUND,
                     "unknown Chinchilla constant set \"%.64s\" (did you "
                     "mean \"%s\"?)",
                     name, best);
}

static gpb_status need_chinchilla(gpb_error *err, const gpb_chinchilla *c)
{
    GPB__TRY(gpb__need_ptr(err, c, "c"));
    GPB__TRY(gpb__need_nonneg(err, c->e, "c->e"));
    GPB__TRY(gpb__need_pos(err, c->a, "c->a"));
    GPB__TRY(gpb__need_pos(err, c->b, "c->b"));
    GPB__TRY(gpb__need_pos(err, c->alpha, "c->alpha"));
    GPB__TRY(gpb__need_pos(err, c->beta, "c->beta"));
    return GPB_OK;
}

/* L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, Eq. 2). */
gpb_status gpb_compute_chinchilla_loss(const gpb_chinchilla *c, double params,
                                       double tokens, double *loss,
                                       gpb_error *err)
{
    GPB__TRY(need_chinchilla(err, c));
    GPB__TRY(gpb__need_pos(err, params, "params"));
    GPB__TRY(gpb__need_pos(err, tokens, "tokens"));
    GPB__TRY(gpb__need_ptr(err, loss, "loss"));
    double l = c->e + c->a / pow(params, c->alpha) +
               c->b / pow(tokens, c->beta);
    GPB__TRY(gpb__need_result(err, l, "loss"));
    *loss = l;
    return GPB_OK;
}

/*
 * Hoffmann et al. 2022, Eq. 4: minimising L subject to C = 6·N·D gives
 * G = (αA/(βB))^(1/(α+β)), N = G·(C/6)^(β/(α+β)), D = (C/6)^(α/(α+β))/G.
 */
gpb_status gpb_compute_chinchilla_optimal(const gpb_chinchilla *c,
                                          double flops, double *params,
                                          double *tokens, gpb_error *err)
{
    GPB__TRY(need_chinchilla(err, c));
    GPB__TRY(gpb__need_pos(err, flops, "flops"));
    GPB__TRY(gpb__need_ptr(err, params, "params"));
    GPB__TRY(gpb__need_ptr(err, tokens, "tokens"));
    double ab = c->alpha + c->beta;
    double g = pow(c->alpha * c->a / (c->beta * c->b), 1.0 / ab);
    double half = flops / FLOPS_PER_PARAM_TOKEN;
    double n = g * pow(half, c->beta / ab);
    double d = pow(half, c->alpha / ab) / g;
    GPB__TRY(need_pos_result(err, n, "optimal parameter count"));
    GPB__TRY(need_pos_result(err, d, "optimal token count"));
    *params = n;
    *tokens = d;
    return GPB_OK;
}

gpb_status gpb_compute_chinchilla_tokens_per_param(const gpb_chinchilla *c,
                                                   double flops,
                                                   double *tokens_per_param,
                                                   gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, tokens_per_param, "tokens_per_param"));
    double n, d;
    GPB__TRY(gpb_compute_chinchilla_optimal(c, flops, &n, &d, err));
    double r = d / n;
    GPB__TRY(need_pos_result(err, r, "tokens per parameter"));
    *tokens_per_param = r;
    return GPB_OK;
}

/* C = 6·N·D with D = r·N gives N = sqrt(C/(6r)) (Hoffmann et al. 2022). */
gpb_status gpb_compute_optimal_fixed_ratio(double flops,
                                           double tokens_per_param,
                                           double *params, double *tokens,
                                           gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, flops, "flops"));
    GPB__TRY(gpb__need_nonneg(err, tokens_per_param, "tokens_per_param"));
    GPB__TRY(gpb__need_ptr(err, params, "params"));
    GPB__TRY(gpb__need_ptr(err, tokens, "tokens"));
    double r = tokens_per_param > 0.0 ? tokens_per_param
                                      : GPB_CHINCHILLA_TOKENS_PER_PARAM;
    double n = sqrt(flops / (FLOPS_PER_PARAM_TOKEN * r));
    double d = r * n;
    GPB__TRY(need_pos_result(err, n, "parameter count"));
    GPB__TRY(need_pos_result(err, d, "token count"));
    *params = n;
    *tokens = d;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Inference                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * A forward pass costs 2 FLOPs (one multiply-add) per parameter per token
 * (Kaplan et al. 2020, Sec. 2.1; Pope et al. 2022, arXiv:2211.05102).
 */
#define INFER_FLOPS_PER_PARAM 2.0

gpb_status gpb_compute_infer_flops_per_token(double active_params,
                                             double *flops, gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, active_params, "active_params"));
    GPB__TRY(gpb__need_ptr(err, flops, "flops"));
    double f = INFER_FLOPS_PER_PARAM * active_params;
    GPB__TRY(gpb__need_result(err, f, "FLOPs per token"));
    *flops = f;
    return GPB_OK;
}

gpb_status gpb_compute_infer_compute_tokens_per_s(double active_params,
                                                  double peak_flop_per_s,
                                                  double mfu_frac,
                                                  double *tokens_per_s,
                                                  gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, active_params, "active_params"));
    GPB__TRY(gpb__need_pos(err, peak_flop_per_s, "peak_flop_per_s"));
    GPB__TRY(need_frac(err, mfu_frac, "mfu_frac"));
    GPB__TRY(gpb__need_ptr(err, tokens_per_s, "tokens_per_s"));
    double t =
        peak_flop_per_s * mfu_frac / (INFER_FLOPS_PER_PARAM * active_params);
    GPB__TRY(need_pos_result(err, t, "tokens per second"));
    *tokens_per_s = t;
    return GPB_OK;
}

/*
 * K and V, one vector each per layer and KV head (kipply, "Transformer
 * inference arithmetic", 2022).
 */
gpb_status gpb_compute_kv_bytes_per_token(double n_layer, double n_kv_head,
                                          double head_dim,
                                          double bytes_per_elem,
                                          double *bytes, gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, n_layer, "n_layer"));
    GPB__TRY(gpb__need_pos(err, n_kv_head, "n_kv_head"));
    GPB__TRY(gpb__need_pos(err, head_dim, "head_dim"));
    GPB__TRY(gpb__need_pos(err, bytes_per_elem, "bytes_per_elem"));
    GPB__TRY(gpb__need_ptr(err, bytes, "bytes"));
    double b = 2.0 * n_layer * n_kv_head * head_dim * bytes_per_elem;
    GPB__TRY(gpb__need_result(err, b, "KV bytes per token"));
    *bytes = b;
    return GPB_OK;
}

void gpb_compute_decode_spec_default(gpb_decode_spec *spec)
{
    if (spec == NULL)
        return;
    spec->params = 0.0;
    spec->active_params = 0.0;
    spec->bytes_per_param = 2.0;
    spec->batch = 1.0;
    spec->kv_bytes_per_token = 0.0;
    spec->context_tokens = 0.0;
    spec->gpus = 1.0;
    spec->peak_flop_per_s = 0.0;
    spec->mem_bw_bytes_per_s = 0.0;
    spec->mfu_frac = 1.0;
    spec->bw_frac = 1.0;
}

/*
 * Roofline of a decode step (Pope et al. 2022, arXiv:2211.05102, Sec. 2;
 * kipply 2022): the step reads every weight and every cached K/V once and
 * multiplies each active weight once per sequence, and takes as long as the
 * slower of the two.
 */
gpb_status gpb_compute_decode_rate(const gpb_decode_spec *spec,
                                   gpb_decode_rate *out, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, spec, "spec"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    GPB__TRY(gpb__need_pos(err, spec->params, "spec.params"));
    GPB__TRY(gpb__need_nonneg(err, spec->active_params, "spec.active_params"));
    if (spec->active_params > spec->params)
        return gpb__fail(err, GPB_ERANGE,
                         "spec.active_params (%g) must not exceed "
                         "spec.params (%g)",
                         spec->active_params, spec->params);
    GPB__TRY(gpb__need_pos(err, spec->bytes_per_param, "spec.bytes_per_param"));
    GPB__TRY(gpb__need_pos(err, spec->batch, "spec.batch"));
    GPB__TRY(gpb__need_nonneg(err, spec->kv_bytes_per_token,
                    "spec.kv_bytes_per_token"));
    GPB__TRY(gpb__need_nonneg(err, spec->context_tokens, "spec.context_tokens"));
    GPB__TRY(gpb__need_pos(err, spec->gpus, "spec.gpus"));
    GPB__TRY(gpb__need_pos(err, spec->peak_flop_per_s, "spec.peak_flop_per_s"));
    GPB__TRY(gpb__need_pos(err, spec->mem_bw_bytes_per_s, "spec.mem_bw_bytes_per_s"));
    GPB__TRY(need_frac(err, spec->mfu_frac, "spec.mfu_frac"));
    GPB__TRY(need_frac(err, spec->bw_frac, "spec.bw_frac"));

    double n_act =
        spec->active_params > 0.0 ? spec->active_params : spec->params;
    double bytes = spec->params * spec->bytes_per_param +
                   spec->batch * spec->kv_bytes_per_token *
                       spec->context_tokens;
    double flops = spec->batch * INFER_FLOPS_PER_PARAM * n_act;
    GPB__TRY(gpb__need_result(err, bytes, "bytes per step"));
    GPB__TRY(gpb__need_result(err, flops, "FLOPs per step"));

    double t_mem =
        bytes / (spec->gpus * spec->mem_bw_bytes_per_s * spec->bw_frac);
    double t_cmp =
        flops / (spec->gpus * spec->peak_flop_per_s * spec->mfu_frac);
    GPB__TRY(need_pos_result(err, t_mem, "memory time per step"));
    GPB__TRY(need_pos_result(err, t_cmp, "compute time per step"));
    double t = t_mem >= t_cmp ? t_mem : t_cmp;
    double tps = spec->batch / (t * spec->gpus);
    GPB__TRY(need_pos_result(err, tps, "tokens per second"));

    out->bytes_per_step = bytes;
    out->flops_per_step = flops;
    out->memory_seconds = t_mem;
    out->compute_seconds = t_cmp;
    out->step_seconds = t;
    out->tokens_per_s = tps;
    out->tokens_per_s_per_seq = 1.0 / t;
    out->bound = t_mem >= t_cmp ? GPB_BOUND_MEMORY : GPB_BOUND_COMPUTE;
    return GPB_OK;
}

gpb_status gpb_compute_serving_load_tokens_per_s(
    double users, double requests_per_user_per_day, double tokens_per_request,
    double peak_to_mean, double *tokens_per_s, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, users, "users"));
    GPB__TRY(gpb__need_nonneg(err, requests_per_user_per_day,
                    "requests_per_user_per_day"));
    GPB__TRY(gpb__need_nonneg(err, tokens_per_request, "tokens_per_request"));
    GPB__TRY(gpb__need_finite(err, peak_to_mean, "peak_to_mean"));
    if (!(peak_to_mean >= 1.0))
        return gpb__fail(err, GPB_EINVAL,
                         "peak_to_mean must be at least 1 (got %g)",
                         peak_to_mean);
    GPB__TRY(gpb__need_ptr(err, tokens_per_s, "tokens_per_s"));
    double load = users * requests_per_user_per_day * tokens_per_request /
                  SECONDS_PER_DAY * peak_to_mean;
    GPB__TRY(gpb__need_result(err, load, "token load"));
    *tokens_per_s = load;
    return GPB_OK;
}

gpb_status gpb_compute_serving_gpus(double load_tokens_per_s,
                                    double tokens_per_s_per_gpu,
                                    double util_frac, double *gpus,
                                    gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, load_tokens_per_s, "load_tokens_per_s"));
    GPB__TRY(gpb__need_pos(err, tokens_per_s_per_gpu, "tokens_per_s_per_gpu"));
    GPB__TRY(need_frac(err, util_frac, "util_frac"));
    GPB__TRY(gpb__need_ptr(err, gpus, "gpus"));
    double g = load_tokens_per_s / (tokens_per_s_per_gpu * util_frac);
    GPB__TRY(gpb__need_result(err, g, "GPU count"));
    *gpus = gpb__ceil_count(g);
    return GPB_OK;
}

gpb_status gpb_compute_cost_per_million_tokens(double price_per_gpu_hour,
                                               double tokens_per_s_per_gpu,
                                               double util_frac, double *cost,
                                               gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, price_per_gpu_hour, "price_per_gpu_hour"));
    GPB__TRY(gpb__need_pos(err, tokens_per_s_per_gpu, "tokens_per_s_per_gpu"));
    GPB__TRY(need_frac(err, util_frac, "util_frac"));
    GPB__TRY(gpb__need_ptr(err, cost, "cost"));
    double tokens_per_hour =
        tokens_per_s_per_gpu * util_frac * GPB_SECONDS_PER_HOUR;
    double c = price_per_gpu_hour / tokens_per_hour * 1e6;
    GPB__TRY(gpb__need_result(err, c, "cost per million tokens"));
    *cost = c;
    return GPB_OK;
}
