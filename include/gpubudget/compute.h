/*
 * gpubudget/compute.h: FLOPs, time, GPU-hours, card-months, memory fit,
 * scaling laws and inference throughput, as plain functions of numbers.
 *
 * This is the one place each formula lives: the simulator, the spreadsheet
 * API and the CLI call these functions and keep no copy of a formula. The
 * layer is pure: no allocation, no global state, safe from any thread. It
 * knows nothing about particular GPUs; callers pass peak throughput, memory
 * and bandwidth as numbers (the hardware layer supplies them). docs/model.md
 * lists every formula with its symbols, units and source.
 *
 * Conventions shared by every function below:
 *
 *   - Results come back through out-parameters; the return value is a
 *     gpb_status. On failure the out-parameters are left untouched and err
 *     (which may be NULL) names the offending argument in its message.
 *   - GPB_EINVAL: a NULL pointer, a NaN or infinite argument, a negative
 *     value, or zero where the argument must be positive.
 *   - GPB_ERANGE: an argument of the right sign beyond its upper limit (a
 *     fraction above 1, active parameters above the total), or a result
 *     that overflows to infinity.
 *   - Units are in the names: _flops is a count of floating-point
 *     operations, _flop_per_s a rate, _bytes, _hours, _months (730.5 h,
 *     GPB_HOURS_PER_MONTH), _frac a fraction in (0, 1]. Parameter and token
 *     counts are plain numbers (70e9, not "70B").
 *   - Peak throughput is the dense figure at the run's precision: vendor
 *     headline numbers are often 2:4-sparse and twice as large.
 *   - Money amounts are currency-agnostic: the result is in the currency of
 *     the price passed in.
 */
#ifndef GPUBUDGET_COMPUTE_H
#define GPUBUDGET_COMPUTE_H

#include <stddef.h>

#include "gpubudget/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Constants                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Model FLOPs utilisation reached by published large training runs, used to
 * say whether an implied MFU is plausible (gpb_compute_mfu_classify).
 *
 * GPB_MFU_PUBLISHED_MAX: MegaScale (Jiang et al., ByteDance, Feb 2024,
 * arXiv:2402.15627) reports 55.2% MFU training a 175B model on 12,288
 * GPUs, the highest published at that scale. For comparison: PaLM 540B
 * 46.2% (Chowdhery et al. 2022, arXiv:2204.02311); Llama 3 405B 38-43%
 * (Llama Team, Jul 2024, arXiv:2407.21783).
 *
 * GPB_MFU_PUBLISHED_MIN: the low end of large published runs, e.g.
 * Megatron-Turing NLG 530B 30.2% and Gopher 32.5% as tabulated by PaLM
 * (arXiv:2204.02311, Table 3); GPT-3 on V100s was lower (21.3%, same table).
 */
#define GPB_MFU_PUBLISHED_MAX 0.55
#define GPB_MFU_PUBLISHED_MIN 0.30

/*
 * Bytes of model state per parameter for mixed-precision Adam: 2 (bf16
 * weights) + 2 (bf16 gradients) + 4 (fp32 master weights) + 4 + 4 (fp32
 * Adam moments) = 16. ZeRO (Rajbhandari et al. 2019, arXiv:1910.02054,
 * Sec. 3.1, "K = 12"); EleutherAI "Transformer Math 101" (Anthony, Biderman,
 * Schoelkopf 2023).
 */
#define GPB_TRAIN_BYTES_PER_PARAM_ADAM 16.0

/*
 * Default fraction of a GPU's memory that model state may use. An
 * assumption, not a published fact: the CUDA context, NCCL buffers and the
 * caching allocator's fragmentation take the rest. Pass 1.0 for the bare
 * arithmetic bound.
 */
#define GPB_GPU_MEMORY_USABLE_FRAC_DEFAULT 0.9

/*
 * The Chinchilla rule of thumb: about 20 training tokens per parameter
 * (Hoffmann et al. 2022, arXiv:2203.15556: Chinchilla, 70B parameters on
 * 1.4T tokens).
 */
#define GPB_CHINCHILLA_TOKENS_PER_PARAM 20.0

/* One petaFLOP/s-day, the unit of Brown et al. 2020: 1e15 × 86400 FLOPs. */
#define GPB_FLOPS_PER_PFLOP_S_DAY 8.64e19

/* ------------------------------------------------------------------------ */
/* Training FLOPs                                                            */
/* ------------------------------------------------------------------------ */

/*
 * Model FLOPs to train a dense transformer: flops = 6 · params · tokens
 * (forward 2·N·D plus backward 4·N·D; Kaplan et al. 2020, arXiv:2001.08361,
 * Sec. 2.1; EleutherAI "Transformer Math 101", 2023). For a mixture of
 * experts pass the active parameter count.
 *
 *   params  parameters (> 0)
 *   tokens  training tokens (> 0)
 *   flops   out: FLOPs
 *
 * Returns GPB_OK, GPB_EINVAL, or GPB_ERANGE when the product overflows.
 */
GPB_API gpb_status gpb_compute_train_flops(double params, double tokens,
                                           double *flops, gpb_error *err);

/*
 * Hardware FLOPs with full activation recomputation: 8 · params · tokens.
 * The backward pass re-runs the forward (one extra 2·N·D; Narayanan et al.
 * 2021, arXiv:2104.04473, Sec. 5.1; Korthikanti et al. 2022,
 * arXiv:2205.05198). Use it for hardware FLOPs utilisation (HFU); MFU
 * always counts 6·N·D. Arguments and statuses as gpb_compute_train_flops.
 */
GPB_API gpb_status gpb_compute_train_flops_recompute(double params,
                                                     double tokens,
                                                     double *flops,
                                                     gpb_error *err);

/*
 * Training FLOPs per token spent in attention scores, which 6·N leaves out:
 * 6 · n_layer · n_ctx · d_model (Kaplan et al. 2020, Table 1: forward
 * 2·n_layer·n_ctx·d_attn, times 3 for forward plus backward, with d_attn =
 * d_model). It matters when n_ctx approaches 12·d_model.
 *
 *   n_layer  transformer layers (> 0)
 *   n_ctx    context length in tokens (> 0)
 *   d_model  model width (> 0)
 *   flops    out: FLOPs per training token
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_compute_attention_flops_per_token(double n_layer,
                                                         double n_ctx,
                                                         double d_model,
                                                         double *flops,
                                                         gpb_error *err);

/*
 * Activation recomputation (Korthikanti et al. 2022, arXiv:2205.05198).
 * NONE stores every activation. SELECTIVE recomputes only the attention
 * core (scores, softmax, attention over V). FULL stores each layer's input
 * and re-runs the whole forward pass during backward.
 */
typedef enum gpb_recompute {
    GPB_RECOMPUTE_NONE = 0,
    GPB_RECOMPUTE_SELECTIVE = 1,
    GPB_RECOMPUTE_FULL = 2
} gpb_recompute;

/*
 * A training run's shape, for gpb_compute_train_flops_spec. Transparent;
 * fill it with gpb_compute_train_spec_default() first so fields added later get
 * sane values.
 *
 *   params         total parameters (> 0)
 *   active_params  parameters active per token (mixture of experts);
 *                  0 means dense: use params. Must not exceed params.
 *   tokens         training tokens (> 0)
 *   n_layer, n_ctx, d_model
 *                  the attention term's shape; d_model = 0 (the default)
 *                  leaves the attention term out, otherwise all three must
 *                  be positive.
 *   recompute      a gpb_recompute value; changes hardware FLOPs only.
 */
typedef struct gpb_train_spec {
    double params;
    double active_params;
    double tokens;
    double n_layer;
    double n_ctx;
    double d_model;
    gpb_recompute recompute;
} gpb_train_spec;

/*
 * Fills spec with the defaults: all numbers 0 (so params and tokens must
 * be set), recompute GPB_RECOMPUTE_NONE. Accepts NULL.
 */
GPB_API void gpb_compute_train_spec_default(gpb_train_spec *spec);

/*
 * Training FLOPs for a spec:
 *
 *   flops = tokens · (k_w · N_active + k_a · n_layer · n_ctx · d_model)
 *
 * with (k_w, k_a) = (6, 6) for GPB_RECOMPUTE_NONE (model FLOPs; Kaplan
 * 2020 Table 1), (6, 8) for SELECTIVE (the attention core's forward pass is
 * done twice) and (8, 8) for FULL (the whole forward is; see
 * gpb_compute_train_flops_recompute). The SELECTIVE weighting is this
 * library's reading of Korthikanti et al. 2022 (selective recomputation
 * redoes only the attention core, whose forward FLOPs are Kaplan's
 * 2·n_layer·n_ctx·d_model term).
 *
 * Returns GPB_OK; GPB_EINVAL for a NULL pointer, a NaN or negative field,
 * params or tokens of 0, an unknown recompute value, or d_model > 0 with
 * n_layer or n_ctx of 0; GPB_ERANGE when active_params exceeds params or
 * the result overflows. The message names the field ("spec.tokens").
 */
GPB_API gpb_status gpb_compute_train_flops_spec(const gpb_train_spec *spec,
                                                double *flops,
                                                gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Time, GPU-hours and card-months                                          */
/* ------------------------------------------------------------------------ */

/*
 * How long a run takes. With C FLOPs, G GPUs of dense peak P FLOP/s and
 * model FLOPs utilisation MFU (DESIGN.md, domain model; EleutherAI
 * "Transformer Math 101": C = τ·T with τ the cluster's achieved FLOP/s):
 *
 *   seconds       = C / (G · P · MFU)
 *   hours, days   = seconds / 3600, seconds / 86400
 *   gpu_hours     = C / (P · MFU · 3600)        (= G · hours)
 *   card_months   = gpu_hours / 730.5           (GPB_HOURS_PER_MONTH)
 *   qianka_months = card_months / 1000   (千卡/月: 1000 GPUs for a month)
 *
 * They are computed from gpu_hours (hours = gpu_hours / G, days =
 * gpu_hours / 24 / G, seconds = 3600 · hours), so that none overflows
 * before it is itself out of range: at an absurdly low MFU the seconds
 * (from about 5e304 hours) overflow first, while GPU-hours, card-months
 * and days are still finite (the spreadsheet's GPB_TRAIN_GPU_HOURS,
 * _CARD_MONTHS and _DAYS return those).
 */
typedef struct gpb_train_time {
    double seconds;
    double hours;
    double days;
    double gpu_hours;
    double card_months;
    double qianka_months;
} gpb_train_time;

/*
 * GPU-hours to execute flops: flops / (peak · mfu · 3600).
 *
 *   flops            FLOPs (>= 0)
 *   peak_flop_per_s  dense peak of one GPU (> 0)
 *   mfu_frac         model FLOPs utilisation, in (0, 1]
 *   gpu_hours        out
 *
 * Returns GPB_OK, GPB_EINVAL, or GPB_ERANGE (mfu_frac > 1, overflow).
 */
GPB_API gpb_status gpb_compute_gpu_hours(double flops, double peak_flop_per_s,
                                         double mfu_frac, double *gpu_hours,
                                         gpb_error *err);

/*
 * Wall time and GPU time of a run (see gpb_train_time).
 *
 *   flops            FLOPs (>= 0)
 *   gpus             GPUs working together (> 0; need not be whole)
 *   peak_flop_per_s  dense peak of one GPU (> 0)
 *   mfu_frac         in (0, 1]
 *   out              out: every field filled
 *
 * Returns GPB_OK, GPB_EINVAL, or GPB_ERANGE (mfu_frac > 1, or a field
 * that overflows: "training time in seconds overflows").
 */
GPB_API gpb_status gpb_compute_train_time(double flops, double gpus,
                                          double peak_flop_per_s,
                                          double mfu_frac,
                                          gpb_train_time *out,
                                          gpb_error *err);

/*
 * The FLOPs a stretch of GPU time delivers: gpu_hours · 3600 · peak · mfu.
 * The inverse of gpb_compute_gpu_hours; for "what does 千卡/月 buy" pass
 * 1000 · GPB_HOURS_PER_MONTH GPU-hours.
 *
 *   gpu_hours        GPU-hours (>= 0)
 *   peak_flop_per_s  (> 0)
 *   mfu_frac         in (0, 1]
 *   flops            out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_flops_from_gpu_hours(double gpu_hours,
                                                    double peak_flop_per_s,
                                                    double mfu_frac,
                                                    double *flops,
                                                    gpb_error *err);

/*
 * The fewest whole GPUs that finish flops within days:
 * ceil(flops / (peak · mfu · days · 86400)), counting a quotient within
 * 1e-12 (relative) of a whole number as that number.
 *
 *   flops, peak_flop_per_s, mfu_frac  as gpb_compute_gpu_hours
 *   days                              deadline in days (> 0)
 *   gpus                              out: a whole number (0 when flops is 0)
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_train_gpus_for_days(double flops,
                                                   double peak_flop_per_s,
                                                   double mfu_frac,
                                                   double days,
                                                   double *gpus,
                                                   gpb_error *err);

/*
 * The MFU a claim implies: mfu = flops / (peak · gpu_hours · 3600). The
 * result is not clamped: a value above 1 means the claim is impossible on
 * that hardware; judge it with gpb_compute_mfu_classify.
 *
 *   flops            FLOPs the run needs (> 0)
 *   peak_flop_per_s  dense peak of one GPU (> 0)
 *   gpu_hours        GPU-hours claimed (> 0)
 *   mfu_frac         out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_compute_implied_mfu_from_gpu_hours(
    double flops, double peak_flop_per_s, double gpu_hours, double *mfu_frac,
    gpb_error *err);

/*
 * As gpb_compute_implied_mfu_from_gpu_hours for "G GPUs in so many days":
 * mfu = flops / (gpus · peak · days · 86400).
 *
 *   gpus  GPUs (> 0);  days  wall-clock days claimed (> 0)
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_compute_implied_mfu_from_days(double flops, double gpus,
                                                     double peak_flop_per_s,
                                                     double days,
                                                     double *mfu_frac,
                                                     gpb_error *err);

/* Where an MFU sits against published runs (GPB_MFU_PUBLISHED_*). */
typedef enum gpb_mfu_class {
    GPB_MFU_BELOW_PUBLISHED = 0,  /* (0, MIN): plausible but inefficient */
    GPB_MFU_WITHIN_PUBLISHED = 1, /* [MIN, MAX] */
    GPB_MFU_BEYOND_PUBLISHED = 2, /* (MAX, 1]: better than any published */
    GPB_MFU_IMPOSSIBLE = 3        /* > 1: more than the hardware's peak */
} gpb_mfu_class;

/*
 * Classifies mfu_frac (> 0, finite; may exceed 1) into *out. Returns
 * GPB_OK or GPB_EINVAL.
 */
GPB_API gpb_status gpb_compute_mfu_classify(double mfu_frac,
                                            gpb_mfu_class *out,
                                            gpb_error *err);

/*
 * Static name of a class: "below published", "within published",
 * "beyond published", "impossible", or "unknown" for other values.
 */
GPB_API const char *gpb_compute_mfu_class_str(gpb_mfu_class mfu_class);

/*
 * Rent for GPU time: gpu_hours · price_per_gpu_hour, in the price's
 * currency.
 *
 *   gpu_hours           (>= 0)
 *   price_per_gpu_hour  (>= 0)
 *   cost                out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_compute_rent_cost(double gpu_hours,
                                         double price_per_gpu_hour,
                                         double *cost, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Training memory                                                           */
/* ------------------------------------------------------------------------ */

/*
 * The activation shape of one micro-batch (Korthikanti et al. 2022,
 * arXiv:2205.05198; no tensor or sequence parallelism). Fill it
 * with gpb_compute_activation_shape_default() and then set the five sizes.
 *
 *   seq_len      s, tokens per sequence (> 0)
 *   micro_batch  b, sequences per micro-batch (> 0)
 *   hidden       h, model width (> 0)
 *   n_layer      l, layers (> 0)
 *   n_head       a, attention heads (> 0)
 *   recompute    a gpb_recompute value
 *   tensor_parallel    t, the tensor-parallel degree the layer is split
 *                      over (>= 1; 0 is read as 1)
 *   sequence_parallel  1 when the layer norms and dropouts are split over
 *                      the t ranks too (Korthikanti et al. sec. 4.2.2),
 *                      0 when they are replicated; no effect when t = 1
 */
typedef struct gpb_activation_shape {
    double seq_len;
    double micro_batch;
    double hidden;
    double n_layer;
    double n_head;
    gpb_recompute recompute;
    double tensor_parallel;
    int sequence_parallel;
} gpb_activation_shape;

/*
 * Sets every size to 0, recompute to GPB_RECOMPUTE_NONE, tensor_parallel
 * to 1 and sequence_parallel to 0. Accepts NULL.
 */
GPB_API void gpb_compute_activation_shape_default(
    gpb_activation_shape *shape);

/*
 * Activation memory of one micro-batch on one GPU, with 16-bit
 * activations (Korthikanti et al. 2022, arXiv:2205.05198, Table 2: the
 * per-layer formula under tensor parallelism t, with and without sequence
 * parallelism, and its selective and full recomputation variants):
 *
 *                no sequence parallelism          sequence parallelism
 *   NONE       l·sbh·(10 + 24/t + 5·a·s/(h·t))   l·sbh·(34/t + 5·a·s/(h·t))
 *   SELECTIVE  l·sbh·(10 + 24/t)                 l·sbh·34/t
 *   FULL       l·sbh·2                           l·sbh·2/t
 *
 * With t = 1 both columns are the unsplit l·sbh·(34 + 5·a·s/h), 34 and 2.
 * Under full recomputation only each layer's input is kept; with sequence
 * parallelism that input is itself split over the t ranks.
 *
 * Returns GPB_OK, GPB_EINVAL (NULL, a size not positive, a
 * tensor_parallel below 1 other than 0, unknown recompute) or GPB_ERANGE
 * (overflow).
 */
GPB_API gpb_status gpb_compute_activation_bytes(
    const gpb_activation_shape *shape, double *bytes, gpb_error *err);

/*
 * Memory to train a model: params · bytes_per_param, plus the activations
 * of one micro-batch when act is not NULL.
 *
 *   params           parameters (> 0)
 *   bytes_per_param  model-state bytes per parameter (> 0), or 0 for
 *                    GPB_TRAIN_BYTES_PER_PARAM_ADAM (16)
 *   act              borrowed, may be NULL (no activations)
 *   bytes            out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_compute_train_memory_bytes(
    double params, double bytes_per_param, const gpb_activation_shape *act,
    double *bytes, gpb_error *err);

/*
 * The fewest GPUs whose memory holds total_bytes fully sharded (ZeRO stage
 * 3 style, with no replica): ceil(total / (mem_per_gpu · usable_frac)),
 * counting a quotient within 1e-12 (relative) of a whole number as that
 * number. A lower bound: real layouts need more.
 *
 *   total_bytes        bytes to hold (>= 0)
 *   mem_bytes_per_gpu  one GPU's memory in bytes (> 0)
 *   usable_frac        in (0, 1], or 0 for
 *                      GPB_GPU_MEMORY_USABLE_FRAC_DEFAULT (0.9)
 *   gpus               out: a whole number (0 when total_bytes is 0)
 *
 * Returns GPB_OK, GPB_EINVAL, or GPB_ERANGE (usable_frac > 1, overflow).
 */
GPB_API gpb_status gpb_compute_min_gpus_for_memory(double total_bytes,
                                                   double mem_bytes_per_gpu,
                                                   double usable_frac,
                                                   double *gpus,
                                                   gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Scaling laws (Chinchilla)                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Constants of the Chinchilla parametric loss (Hoffmann et al. 2022,
 * arXiv:2203.15556, Approach 3):
 *
 *   L(N, D) = e + a / N^alpha + b / D^beta      (nats per token)
 *
 * name and source are static strings.
 */
typedef struct gpb_chinchilla {
    const char *name;
    const char *source;
    double e;
    double a;
    double b;
    double alpha;
    double beta;
} gpb_chinchilla;

/*
 * The named sets (static, immutable):
 *
 *   "hoffmann2022"      E 1.69, A 406.4, B 410.7, α 0.34, β 0.28, the
 *                       values printed in the paper (arXiv:2203.15556).
 *   "hoffmann2022-tex"  E 1.6934, α 0.3392, β 0.2849 (A, B as above), the
 *                       unrounded values in the paper's TeX source, as
 *                       reported by Besiroglu et al. 2024.
 *   "besiroglu2024"     E 1.8172, A 482.01, B 2085.43, α 0.3478,
 *                       β 0.3658: Epoch AI's replication (Besiroglu,
 *                       Erdil, Barnett, You 2024, arXiv:2404.10102).
 */
GPB_API extern const gpb_chinchilla gpb_chinchilla_hoffmann2022;
GPB_API extern const gpb_chinchilla gpb_chinchilla_hoffmann2022_tex;
GPB_API extern const gpb_chinchilla gpb_chinchilla_besiroglu2024;

#define GPB_CHINCHILLA_HOFFMANN2022 (&gpb_chinchilla_hoffmann2022)
#define GPB_CHINCHILLA_HOFFMANN2022_TEX (&gpb_chinchilla_hoffmann2022_tex)
#define GPB_CHINCHILLA_BESIROGLU2024 (&gpb_chinchilla_besiroglu2024)

/*
 * The default set, used wherever the caller names none: the CLI's
 * `estimate` and `check --claim`, the cells' GPB_CHINCHILLA_* functions
 * and docs/model.md. It is besiroglu2024: fitted to Hoffmann et al.'s own
 * data, it puts Chinchilla's budget (5.76e23 FLOPs) at 72B parameters on
 * 1.33T tokens, next to the 70B / 1.4T that Chinchilla was, where the
 * printed Hoffmann constants put it at 32B / 3.0T (93 tokens a
 * parameter). GPB_CHINCHILLA_TOKENS_PER_PARAM, the 20-tokens rule, is a
 * rule of thumb, not a set; outputs name the set they used (its name).
 */
#define GPB_CHINCHILLA_DEFAULT GPB_CHINCHILLA_BESIROGLU2024

/* GPB_CHINCHILLA_DEFAULT as a function, for FFI callers (static). */
GPB_API const gpb_chinchilla *gpb_compute_chinchilla_default(void);

/*
 * The i-th named set (static), or NULL when i is past the end; for listing
 * them.
 */
GPB_API const gpb_chinchilla *gpb_compute_chinchilla_get(size_t i);

/*
 * Looks a set up by name, case-insensitively. Besides the names above it
 * accepts "chinchilla" and "hoffmann" (hoffmann2022) and "epoch" and
 * "besiroglu" (besiroglu2024). *out is static. Returns GPB_OK, GPB_EINVAL
 * (NULL argument) or GPB_ENOTFOUND (the message suggests the nearest
 * name).
 */
GPB_API gpb_status gpb_compute_chinchilla_find(const char *name,
                                               const gpb_chinchilla **out,
                                               gpb_error *err);

/*
 * Predicted loss L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, Eq. 2).
 *
 *   c         borrowed constants (every number finite; a, b, alpha,
 *             beta > 0)
 *   params    N (> 0);  tokens  D (> 0)
 *   loss      out: nats per token
 *
 * Returns GPB_OK or GPB_EINVAL.
 */
GPB_API gpb_status gpb_compute_chinchilla_loss(const gpb_chinchilla *c,
                                               double params, double tokens,
                                               double *loss, gpb_error *err);

/*
 * The compute-optimal split of a budget under C = 6·N·D, minimising
 * L(N, D) (Hoffmann et al. 2022, Eq. 4):
 *
 *   G      = (α·A / (β·B))^(1/(α+β))
 *   N_opt  = G · (C/6)^(β/(α+β))
 *   D_opt  = (C/6)^(α/(α+β)) / G
 *
 *   c       borrowed constants;  flops  C (> 0)
 *   params  out: N_opt;          tokens out: D_opt
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow or underflow).
 */
GPB_API gpb_status gpb_compute_chinchilla_optimal(const gpb_chinchilla *c,
                                                  double flops,
                                                  double *params,
                                                  double *tokens,
                                                  gpb_error *err);

/*
 * D_opt / N_opt for the set at budget flops; it depends on the budget
 * unless α = β. Returns as gpb_compute_chinchilla_optimal.
 */
GPB_API gpb_status gpb_compute_chinchilla_tokens_per_param(
    const gpb_chinchilla *c, double flops, double *tokens_per_param,
    gpb_error *err);

/*
 * The split at a fixed tokens-per-parameter ratio r under C = 6·N·D:
 * N = sqrt(C / (6·r)), D = r·N. With r = 20 (the Chinchilla rule of thumb)
 * N = sqrt(C / 120).
 *
 *   flops             C (> 0)
 *   tokens_per_param  r (> 0), or 0 for GPB_CHINCHILLA_TOKENS_PER_PARAM
 *   params, tokens    out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_optimal_fixed_ratio(double flops,
                                                   double tokens_per_param,
                                                   double *params,
                                                   double *tokens,
                                                   gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Inference                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * FLOPs per generated token: 2 · active_params (one multiply-add per
 * parameter; Kaplan et al. 2020, Sec. 2.1; Pope et al. 2022,
 * arXiv:2211.05102). Attention over the context is left out.
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_infer_flops_per_token(double active_params,
                                                     double *flops,
                                                     gpb_error *err);

/*
 * Compute-bound generation rate of one GPU:
 * tokens_per_s = peak · mfu / (2 · active_params).
 *
 *   active_params    (> 0)
 *   peak_flop_per_s  (> 0)
 *   mfu_frac         in (0, 1]
 *   tokens_per_s     out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_infer_compute_tokens_per_s(
    double active_params, double peak_flop_per_s, double mfu_frac,
    double *tokens_per_s, gpb_error *err);

/*
 * Bytes of KV cache per token of context for one sequence:
 * 2 (K and V) · n_layer · n_kv_head · head_dim · bytes_per_elem
 * (kipply, "Transformer inference arithmetic", 2022; Pope et al. 2022).
 * With multi-head attention n_kv_head is the head count; with grouped-query
 * attention, the number of KV groups.
 *
 * Returns GPB_OK, GPB_EINVAL (any argument not positive) or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_kv_bytes_per_token(double n_layer,
                                                  double n_kv_head,
                                                  double head_dim,
                                                  double bytes_per_elem,
                                                  double *bytes,
                                                  gpb_error *err);

/*
 * One model replica decoding a batch. Transparent; fill it with
 * gpb_compute_decode_spec_default() and then set the model and hardware fields.
 *
 *   params              parameters whose weights each step reads (> 0).
 *                       For a mixture of experts at batch sizes where
 *                       every expert is hit, the total.
 *   active_params       parameters each token multiplies (0 = params)
 *   bytes_per_param     bytes per weight (> 0): 2 fp16/bf16, 1 int8/fp8
 *   batch               sequences decoded together (> 0); default 1
 *   kv_bytes_per_token  KV cache bytes per token of context (>= 0), see
 *                       gpb_compute_kv_bytes_per_token; default 0
 *   context_tokens      tokens in each sequence's cache (>= 0); default 0
 *   gpus                GPUs sharing the replica (> 0); default 1
 *   peak_flop_per_s     dense peak of one GPU (> 0)
 *   mem_bw_bytes_per_s  memory bandwidth of one GPU (> 0)
 *   mfu_frac            fraction of peak reached when compute-bound,
 *                       in (0, 1]; default 1 (the roofline)
 *   bw_frac             fraction of bandwidth reached, in (0, 1];
 *                       default 1 (the roofline)
 */
typedef struct gpb_decode_spec {
    double params;
    double active_params;
    double bytes_per_param;
    double batch;
    double kv_bytes_per_token;
    double context_tokens;
    double gpus;
    double peak_flop_per_s;
    double mem_bw_bytes_per_s;
    double mfu_frac;
    double bw_frac;
} gpb_decode_spec;

/*
 * Defaults: bytes_per_param 2, batch 1, gpus 1, mfu_frac 1, bw_frac 1,
 * everything else 0 (params, peak and bandwidth must be set). Accepts NULL.
 */
GPB_API void gpb_compute_decode_spec_default(gpb_decode_spec *spec);

/* Which roofline limit sets a decode step's time. */
typedef enum gpb_bound {
    GPB_BOUND_MEMORY = 1,
    GPB_BOUND_COMPUTE = 2
} gpb_bound;

/*
 * The result of gpb_compute_decode_rate.
 *
 *   bytes_per_step        weights + every sequence's KV cache, read once
 *   flops_per_step        batch · 2 · active_params
 *   memory_seconds        bytes_per_step / (gpus · bw · bw_frac)
 *   compute_seconds       flops_per_step / (gpus · peak · mfu_frac)
 *   step_seconds          the larger of the two: the time per token seen
 *                         by each sequence
 *   tokens_per_s          tokens per second per GPU:
 *                         batch / (step_seconds · gpus)
 *   tokens_per_s_per_seq  1 / step_seconds
 *   bound                 GPB_BOUND_MEMORY or GPB_BOUND_COMPUTE (memory
 *                         when the two are equal)
 */
typedef struct gpb_decode_rate {
    double bytes_per_step;
    double flops_per_step;
    double memory_seconds;
    double compute_seconds;
    double step_seconds;
    double tokens_per_s;
    double tokens_per_s_per_seq;
    gpb_bound bound;
} gpb_decode_rate;

/*
 * Roofline model of autoregressive decoding (Pope et al. 2022,
 * arXiv:2211.05102, Sec. 2; kipply, "Transformer inference arithmetic",
 * 2022): each step reads all weights once plus each sequence's KV cache,
 * and does 2·N_active FLOPs per sequence, so
 *
 *   t_step = max(bytes_read / (G · bw · bw_frac),
 *                batch · 2 · N_active / (G · P · mfu))
 *
 * where bytes_read = params · bytes_per_param + batch · kv_bytes_per_token
 * · context_tokens. Interconnect time and prefill are ignored.
 *
 * Returns GPB_OK; GPB_EINVAL for NULL pointers or a field out of its
 * domain; GPB_ERANGE for active_params > params, a fraction above 1, or
 * overflow. The message names the field ("spec.batch").
 */
GPB_API gpb_status gpb_compute_decode_rate(const gpb_decode_spec *spec,
                                           gpb_decode_rate *out,
                                           gpb_error *err);

/*
 * Average token demand of a user base:
 * users · requests_per_user_per_day · tokens_per_request / 86400 ·
 * peak_to_mean.
 *
 *   users                      (>= 0)
 *   requests_per_user_per_day  (>= 0)
 *   tokens_per_request         generated tokens per request (>= 0)
 *   peak_to_mean               ratio of the busiest hour to the mean
 *                              (>= 1; 1 for the daily mean)
 *   tokens_per_s               out
 *
 * Returns GPB_OK, GPB_EINVAL (negative or NaN; peak_to_mean < 1) or
 * GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_compute_serving_load_tokens_per_s(
    double users, double requests_per_user_per_day, double tokens_per_request,
    double peak_to_mean, double *tokens_per_s, gpb_error *err);

/*
 * The fewest whole GPUs serving a load:
 * ceil(load / (tokens_per_s_per_gpu · util_frac)), counting a quotient
 * within 1e-12 (relative) of a whole number as that number. Rounding up to
 * whole replicas (multiples of gpb_decode_spec.gpus) is the caller's.
 *
 *   load_tokens_per_s     tokens per second demanded (>= 0)
 *   tokens_per_s_per_gpu  throughput of one GPU (> 0)
 *   util_frac             target utilisation, in (0, 1]
 *   gpus                  out (0 when the load is 0)
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_serving_gpus(double load_tokens_per_s,
                                            double tokens_per_s_per_gpu,
                                            double util_frac, double *gpus,
                                            gpb_error *err);

/*
 * Cost of a million generated tokens on GPUs paid by the hour:
 * price / (tokens_per_s_per_gpu · util_frac · 3600) · 1e6, in the price's
 * currency. util_frac is the fraction of paid time the GPU is busy at that
 * rate (1 when always busy).
 *
 *   price_per_gpu_hour    (>= 0)
 *   tokens_per_s_per_gpu  (> 0)
 *   util_frac             in (0, 1]
 *   cost                  out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_compute_cost_per_million_tokens(
    double price_per_gpu_hour, double tokens_per_s_per_gpu, double util_frac,
    double *cost, gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_COMPUTE_H */
