/*
 * gpubudget/plan.h: how a model is laid out on a cluster, how fast it then
 * trains, and how far published runs fell short of such estimates.
 *
 * Two parts:
 *
 *   1. A throughput model that knows the cluster. From the model's size
 *      (and shape, when known), the card, the GPU count, the sequence
 *      length and the global batch, gpb_plan_choose() searches tensor,
 *      pipeline and data parallel degrees, micro-batch size, activation
 *      recomputation and ZeRO stage for the layout that fits in memory and
 *      trains fastest, and reports the step time term by term, the model
 *      FLOPs utilisation (MFU) it reaches, memory per GPU and which term
 *      bounds it. gpb_plan_evaluate() prices one given layout. The model
 *      follows Calculon (Isaev et al., SC'23, arXiv:2301.10223: time per
 *      operation from its FLOPs, bytes and messages at sized efficiencies,
 *      no overlap) and Megatron-LM (Narayanan et al., SC'21,
 *      arXiv:2104.04473: PTD-P layouts, the 1F1B pipeline and its bubble).
 *
 *   2. Intervals, not points. Published runs took longer than any such
 *      model of their steady state: restarts, stragglers, evaluation,
 *      checkpoints, data stalls, context-extension phases. A table of
 *      published runs (gpb_plan_run_at) gives the ratio of reported to
 *      modelled GPU-hours; a regression of its logarithm on card
 *      generation and scale gives, for a new estimate, P5/P50/P95 of MFU,
 *      GPU-hours, days, card-months and rental cost (gpb_plan_interval_compute),
 *      and the same prior as a distribution for a scenario's `mfu: auto`
 *      (gpb_plan_mfu_dist). gpb_plan_coverage() measures, leaving each run
 *      out in turn, how often a run falls inside its own P5-P95.
 *
 * docs/model.md ("Plan") gives every formula, constant and source, the
 * runs table and the measured coverage.
 *
 * Conventions: every call that can fail returns a gpb_status and fills the
 * caller's gpb_error (may be NULL); out-parameters are written only on
 * success. GPB_EINVAL: NULL pointers, NaN, negative or zero where a
 * positive value is needed, a layout that does not divide the cluster or
 * the model. GPB_ERANGE: a fraction above 1, or no layout that fits in
 * memory (the message says how far it misses). GPB_EUNSUPPORTED: the card
 * lacks a figure the model needs (an interconnect bandwidth the catalog
 * does not know; the message says which spec field supplies it).
 *
 * Everything here is pure and allocates only inside a call: thread-safe.
 * Units are in the names: _s seconds, _bytes, _flops, _flop_per_s,
 * _bytes_per_s, _frac (0-1), _tokens, _gpus.
 */
#ifndef GPUBUDGET_PLAN_H
#define GPUBUDGET_PLAN_H

#include <stddef.h>

#include "gpubudget/common.h"
#include "gpubudget/compute.h"
#include "gpubudget/dist.h"
#include "gpubudget/hardware.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Inputs                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * The software a run uses; it changes what the hardware does, not the
 * model's FLOPs. Numbered once, never renumbered.
 *
 *   MODERN          Megatron-Core or FSDP practice since 2023: sequence
 *                   parallelism with tensor parallelism (Korthikanti et
 *                   al. 2022, arXiv:2205.05198), FlashAttention (Dao et al.
 *                   2022, arXiv:2205.14135: attention scores never written
 *                   to memory, causal blocks skipped), the data-parallel
 *                   reduction overlapped with the last backward pass.
 *   MEGATRON_2021   Narayanan et al. 2021 as benchmarked in their Table 1:
 *                   no sequence parallelism, attention scores materialised
 *                   and computed in full, the gradient all-reduce after the
 *                   pipeline flush.
 */
typedef enum gpb_plan_software {
    GPB_PLAN_SW_MODERN = 0,
    GPB_PLAN_SW_MEGATRON_2021 = 1
} gpb_plan_software;

/*
 * ZeRO stage (Rajbhandari et al. 2019, arXiv:1910.02054): which model
 * states are sharded over the data-parallel ranks. 0 replicates all; 1
 * shards the optimizer states (Megatron's distributed optimizer); 2 also
 * the gradients; 3 also the weights, gathered again for every
 * micro-batch. AUTO lets gpb_plan_choose() try stages 1 and 3.
 */
typedef enum gpb_plan_zero {
    GPB_PLAN_ZERO_AUTO = -1,
    GPB_PLAN_ZERO_0 = 0,
    GPB_PLAN_ZERO_1 = 1,
    GPB_PLAN_ZERO_2 = 2,
    GPB_PLAN_ZERO_3 = 3
} gpb_plan_zero;

/* spec.precision value meaning "the card's default" (bf16, else fp16). */
#define GPB_PLAN_PRECISION_DEFAULT GPB_PREC_COUNT

/*
 * Default vocabulary when the caller gives none: 32,000 tokens, the
 * LLaMA and Llama 2 tokenizer (Touvron et al. 2023, arXiv:2302.13971 and
 * arXiv:2307.09288).
 */
#define GPB_PLAN_VOCAB_DEFAULT 32000.0

/*
 * Default sequence length and global batch: 4,096 tokens per sequence and
 * 4M (4,194,304) tokens per step, Llama 2's pre-training settings
 * (Touvron et al. 2023, arXiv:2307.09288, sec. 2.2).
 */
#define GPB_PLAN_SEQ_LEN_DEFAULT 4096.0
#define GPB_PLAN_GLOBAL_BATCH_TOKENS_DEFAULT 4194304.0

/*
 * Experts each token is routed to when a mixture of experts gives none:
 * 2, as GShard (Lepikhin et al. 2020, arXiv:2006.16668) and Mixtral
 * (Jiang et al. 2024, arXiv:2401.04088).
 */
#define GPB_PLAN_MOE_TOP_K_DEFAULT 2.0

/*
 * One planning problem. Transparent; fill it with gpb_plan_spec_default()
 * and then set params, gpus and gpu (the only required fields). Every
 * other 0 means "the default" or "choose it".
 *
 * The model
 *   params         total parameters (> 0)
 *   active_params  parameters each token uses (mixture of experts); 0 =
 *                  dense. At most params.
 *   n_experts      experts per MoE layer; 0 = dense. With n_experts > 0,
 *                  active_params must be given.
 *   moe_top_k      experts per token; 0 = GPB_PLAN_MOE_TOP_K_DEFAULT
 *   n_layer, d_model, n_head
 *                  the shape; all 0 = from the parameter count and the
 *                  published aspect ratio (gpb_plan_shape); otherwise all
 *                  three must be given and d_model must be a multiple of
 *                  n_head.
 *   vocab          vocabulary size; 0 = GPB_PLAN_VOCAB_DEFAULT
 *
 * The run
 *   seq_len              tokens per sequence; 0 = 4096
 *   global_batch_tokens  tokens per optimizer step; 0 = 4M. It is rounded
 *                        to whole micro-batches of whole sequences; the
 *                        result says what was used.
 *   software             a gpb_plan_software
 *
 * The cluster
 *   gpu        borrowed catalog row (gpb_hardware_gpu_find); required
 *   gpus       GPUs in the run: a whole number >= 1
 *   precision  GPB_PLAN_PRECISION_DEFAULT or a gpb_precision the card has
 *   peak_flop_per_s, mem_bytes, mem_bw_bytes_per_s
 *              overrides of the card's figures; 0 = the catalog's
 *   node_gpus, intra_node_bw_bytes_per_s, inter_node_bw_bytes_per_s
 *              overrides of the catalog's interconnect (per GPU, per
 *              direction); 0 = the catalog's. A cluster larger than one
 *              node needs an inter-node figure.
 *   usable_mem_frac  share of memory the plan may fill, in (0, 1]; 0 =
 *                    GPB_GPU_MEMORY_USABLE_FRAC_DEFAULT (0.9)
 *
 * Fixing part of the layout (0 = let gpb_plan_choose decide)
 *   tp, pp, micro_batch  tensor and pipeline degrees, sequences per
 *                        micro-batch
 *   interleave           model chunks per pipeline stage (Narayanan's
 *                        interleaved 1F1B schedule); 0 = 1
 *   recompute_fixed      1 to use `recompute` as given, 0 to choose
 *   recompute            a gpb_recompute, read when recompute_fixed is 1
 *   zero                 a gpb_plan_zero; AUTO tries stages 1 and 3
 */
typedef struct gpb_plan_spec {
    double params;
    double active_params;
    double n_experts;
    double moe_top_k;
    double n_layer;
    double d_model;
    double n_head;
    double vocab;
    double seq_len;
    double global_batch_tokens;
    gpb_plan_software software;
    const gpb_gpu *gpu;
    double gpus;
    gpb_precision precision;
    double peak_flop_per_s;
    double mem_bytes;
    double mem_bw_bytes_per_s;
    double node_gpus;
    double intra_node_bw_bytes_per_s;
    double inter_node_bw_bytes_per_s;
    double usable_mem_frac;
    double tp;
    double pp;
    double micro_batch;
    double interleave;
    int recompute_fixed;
    gpb_recompute recompute;
    gpb_plan_zero zero;
} gpb_plan_spec;

/*
 * Fills spec with the defaults: every number 0, gpu NULL, software
 * MODERN, precision GPB_PLAN_PRECISION_DEFAULT, recompute_fixed 0,
 * recompute NONE, zero AUTO. Accepts NULL.
 */
GPB_API void gpb_plan_spec_default(gpb_plan_spec *spec);

/*
 * A model shape from its parameter count, by the aspect ratio of published
 * GPT-3 and Llama-class models: about 128 units of width per layer
 * (GPT-3 6.7B: 4096 wide, 32 layers; 13B: 5120, 40; 175B: 12288, 96
 * (Brown et al. 2020, arXiv:2005.14165, Table 2.1); Llama 2 7B and 13B the
 * same; Llama 3 405B: 16384, 126 (arXiv:2407.21783, Table 3)) and heads of
 * 128 dimensions. With Kaplan's non-embedding count N = 12·l·h²
 * (arXiv:2001.08361, sec. 2.1) and h = 128·l:
 *
 *   N_nonembed = params - vocab·h   (solved by iteration)
 *   l = round((N_nonembed / (12 · 128²))^(1/3)),  at least 2
 *   heads = sqrt(N_nonembed / (12·l)) / 128, rounded to a multiple of 8
 *           from 8 up (32, 40, 64, 96, 128 in the models cited), so that
 *           tensor parallelism within an 8-GPU server divides it
 *   h = 128 · heads
 *   l = round((params - vocab·h) / (12·h²)), at least 2, so that rounding
 *       the width does not change the count by more than half a layer
 *
 * GPT-3 175B comes back as 96 layers of 12288 with 96 heads; 70B as 68
 * layers of 9216 with 72 (Llama 2 70B: 80 of 8192, with grouped-query
 * attention).
 *
 *   params   (> 0), more than vocab·128·2 so that some layers remain
 *   vocab    (> 0)
 *   n_layer, d_model, n_head  out
 *
 * Returns GPB_OK, GPB_EINVAL, or GPB_ERANGE (a model too small for a
 * layer of 128 wide after its embeddings).
 */
GPB_API gpb_status gpb_plan_shape(double params, double vocab,
                                  double *n_layer, double *d_model,
                                  double *n_head, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Outputs                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * The terms of a step's time, numbered once. Each entry is
 * X(NAME, number, key, what it is). gpb_plan_term_name() gives the key,
 * gpb_plan_term_text() the description.
 */
#define GPB_PLAN_TERM_MAP(X)                                                \
    X(GEMM, 0, "gemm",                                                      \
      "matrix multiplies, at the efficiency their size allows")             \
    X(MEMORY, 1, "memory",                                                  \
      "memory-bound element-wise work: norms, activations, dropout, "       \
      "softmax")                                                            \
    X(TP_COMM, 2, "tp_comm", "tensor-parallel all-reduces")                 \
    X(PP_BUBBLE, 3, "pp_bubble", "the pipeline bubble (fill and drain)")    \
    X(PP_P2P, 4, "pp_p2p", "activations sent between pipeline stages")      \
    X(MOE_A2A, 5, "moe_a2a", "expert-parallel all-to-all")                  \
    X(DP_COMM, 6, "dp_comm",                                                \
      "exposed data-parallel gradient reduction and ZeRO gathers")          \
    X(OPTIMIZER, 7, "optimizer", "the optimizer step")                      \
    X(OVERHEAD, 8, "overhead",                                              \
      "unmodelled overhead: launches, data loading, logging, stragglers")

typedef enum gpb_plan_term {
#define GPB__PLAN_TERM_ENUM(name, num, key, text) GPB_PLAN_TERM_##name = num,
    GPB_PLAN_TERM_MAP(GPB__PLAN_TERM_ENUM)
#undef GPB__PLAN_TERM_ENUM
} gpb_plan_term;

#define GPB_PLAN_TERM_COUNT 9

/* Static key of a term ("tp_comm"), or "unknown". Never NULL. */
GPB_API const char *gpb_plan_term_name(gpb_plan_term term);

/* Static description of a term, or "unknown". Never NULL. */
GPB_API const char *gpb_plan_term_text(gpb_plan_term term);

/*
 * A layout. tp · pp · dp = gpus; ep (expert-parallel degree, MoE only)
 * divides dp and the expert count; micro_batches is the number of
 * micro-batches each pipeline runs per step (gradient accumulation).
 */
typedef struct gpb_plan_layout {
    double tp;
    double pp;
    double dp;
    double ep;
    double micro_batch;
    double micro_batches;
    double interleave;
    gpb_recompute recompute;
    gpb_plan_zero zero;
    int sequence_parallel;
} gpb_plan_layout;

/*
 * What a layout costs and reaches. All times are seconds per optimizer
 * step; term_s[] sums to step_s. ideal_s is the step's hardware FLOPs at
 * the card's peak: the part of term_s[GEMM] the hardware cannot avoid;
 * the rest of that term is GEMM inefficiency.
 *
 *   layout                 the layout (chosen or given)
 *   n_layer, d_model, n_head, vocab, seq_len
 *                          the shape used; shape_inferred is 1 when it
 *                          came from gpb_plan_shape
 *   global_batch_tokens    tokens per step after rounding to whole
 *                          micro-batches
 *   peak_flop_per_s        the dense peak used
 *   step_s, ideal_s, term_s[GPB_PLAN_TERM_COUNT]
 *   bound                  the term that loses the most time: GEMM
 *                          (counted as term_s[GEMM] - ideal_s) or any other
 *   model_flops            model FLOPs per step (6·N_active + attention,
 *                          per token: gpb_compute_train_flops_spec)
 *   hardware_flops         the same with recomputation counted
 *   mfu_frac, hfu_frac     model_flops, hardware_flops / (gpus · peak ·
 *                          step_s)
 *   tokens_per_s           tokens per second for the whole cluster
 *   mem_*_bytes            per GPU, on the busiest pipeline stage:
 *                          weights, gradients, optimizer states,
 *                          activations, and their total
 *   mem_usable_bytes       the capacity the plan may fill
 *   fits                   1 when mem_total_bytes <= mem_usable_bytes
 *   layouts_tried, layouts_fit  counts from gpb_plan_choose (1 and 0/1
 *                          from gpb_plan_evaluate)
 */
typedef struct gpb_plan_result {
    gpb_plan_layout layout;
    double n_layer;
    double d_model;
    double n_head;
    double vocab;
    double seq_len;
    int shape_inferred;
    double global_batch_tokens;
    double peak_flop_per_s;
    double step_s;
    double ideal_s;
    double term_s[GPB_PLAN_TERM_COUNT];
    gpb_plan_term bound;
    double model_flops;
    double hardware_flops;
    double mfu_frac;
    double hfu_frac;
    double tokens_per_s;
    double mem_weights_bytes;
    double mem_grads_bytes;
    double mem_optimizer_bytes;
    double mem_activations_bytes;
    double mem_total_bytes;
    double mem_usable_bytes;
    int fits;
    double layouts_tried;
    double layouts_fit;
} gpb_plan_result;

/*
 * GPUs a chosen layout leaves idle: gpus − tp · pp · dp. gpb_plan_choose
 * may run the best layout of the whole nodes below a count that does not
 * factor well (1001 GPUs: 7 × 11 × 13) when that is faster than any
 * layout of them all; the rest idle, and its mfu_frac and hfu_frac count
 * every card (model FLOPs over gpus · peak · step), so a time computed
 * from them on all the cards is right. 0 for a layout using them all.
 */
GPB_API double gpb_plan_idle_gpus(const gpb_plan_layout *layout,
                                  double gpus);

/* ------------------------------------------------------------------------ */
/* The throughput model                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Prices one layout: memory per GPU and step time. spec as documented
 * above (its layout-fixing fields are ignored); layout gives tp, pp,
 * micro_batch (>= 1, whole), interleave (0 = 1), recompute, zero (not
 * AUTO) and sequence_parallel (honoured only with tp > 1); dp, ep and
 * micro_batches are derived and written to out->layout.
 *
 * A layout that does not fit still gets every figure, with fits = 0.
 *
 * Returns GPB_OK; GPB_EINVAL (bad spec, tp·pp not dividing gpus, tp not
 * dividing n_head, pp·interleave above n_layer, tp above the node
 * size); GPB_EUNSUPPORTED (interconnect unknown); GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_plan_evaluate(const gpb_plan_spec *spec,
                                     const gpb_plan_layout *layout,
                                     gpb_plan_result *out, gpb_error *err);

/*
 * Searches the layouts that fit and keeps the fastest: tp a power of two
 * up to the node size that divides the head count; pp from 1 to
 * n_layer where uneven stages waste under 10% (the busiest stage holds
 * ceil(n_layer / pp) layers); interleave 1, 2 or 4 chunks per stage;
 * micro-batch 1, 2, 4, ..., 64 sequences; recomputation none,
 * selective or full; ZeRO 1 or 3 (or the fixed stage). Ties go to the
 * smaller tp · pp, then to less recomputation. Fields fixed in spec are
 * not searched.
 *
 * Returns GPB_OK; the statuses of gpb_plan_evaluate; GPB_ERANGE when no
 * layout fits, with the memory the leanest layout needs and the usable
 * memory in the message.
 */
GPB_API gpb_status gpb_plan_choose(const gpb_plan_spec *spec,
                                   gpb_plan_result *out, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Published runs                                                            */
/* ------------------------------------------------------------------------ */

/*
 * One published training run. Static, immutable; strings never NULL.
 *
 *   name, gpu        run and catalog card name
 *   gpus             GPUs used; gpus_reported is 0 when the publication
 *                    gives none and gpus is the assumption stated in notes
 *   params, active_params (0 = dense), n_experts, moe_top_k (0 = dense),
 *   tokens, seq_len, global_batch_tokens    as published (the model's
 *                    shape is inferred, gpb_plan_shape, as a user's
 *                    would be)
 *   gpu_hours        GPU-hours reported, or days × 24 × gpus when the
 *                    source gives wall-clock days (notes say which)
 *   steady_mfu_frac  the steady-state MFU the source reports, 0 = none
 *   inter_node_bw_bytes_per_s  the run's own network when the source
 *                    gives it (per GPU, per direction), 0 = catalog
 *   source, date     where the figures come from
 *   notes            derivations and caveats
 */
typedef struct gpb_plan_run {
    const char *name;
    const char *gpu;
    double gpus;
    int gpus_reported;
    double params;
    double active_params;
    double n_experts;
    double moe_top_k;
    double tokens;
    double seq_len;
    double global_batch_tokens;
    double gpu_hours;
    double steady_mfu_frac;
    double inter_node_bw_bytes_per_s;
    const char *source;
    const char *date;
    const char *notes;
} gpb_plan_run;

/* Number of runs in the table. */
GPB_API size_t gpb_plan_run_count(void);

/* Run i (static), or NULL past the end. */
GPB_API const gpb_plan_run *gpb_plan_run_at(size_t i);

/*
 * The throughput model applied to a published run: its best layout on the
 * run's card and GPU count (MODERN software), the ideal MFU, the GPU-hours
 * that implies, and ratio = run->gpu_hours / modelled GPU-hours.
 *
 * Returns GPB_OK or the statuses of gpb_plan_choose.
 */
GPB_API gpb_status gpb_plan_run_ratio(const gpb_plan_run *run,
                                      double *ideal_mfu_frac,
                                      double *modelled_gpu_hours,
                                      double *ratio, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Intervals                                                                 */
/* ------------------------------------------------------------------------ */

/* P5, P50 and P95 of a quantity. */
typedef struct gpb_plan_quantiles {
    double p5;
    double p50;
    double p95;
} gpb_plan_quantiles;

/*
 * An estimate to put an interval around. Fill it with
 * gpb_plan_interval_spec_default().
 *
 *   flops            model FLOPs of the whole run (> 0)
 *   gpus             GPUs (> 0)
 *   peak_flop_per_s  dense peak of one GPU (> 0)
 *   ideal_mfu_frac   the throughput model's MFU for the run, in (0, 1]
 *   gpu              borrowed card (its launch year sets the generation;
 *                    its rent range prices the run); may be NULL when
 *                    newer_generation and the prices are given
 *   newer_generation 1 for cards launched 2022 or later (Hopper on), 0
 *                    before; -1 (the default) = from gpu->year
 *   user_mfu_frac    a steady-state MFU the user vouches for, in (0, 1];
 *                    0 = none. It narrows the interval: see
 *                    gpb_plan_interval_compute.
 *   price_low_per_gpu_hour, price_high_per_gpu_hour
 *                    a rental price range in any one currency, low <=
 *                    high, read as price_shape says; both 0 = the
 *                    catalog's pricing rule for the card
 *                    (gpb_hardware_gpu_rent_rule: lognormal, median the
 *                    catalog's rent, 90% within its providers' range or
 *                    half to twice a single price, in
 *                    US dollars; cost is NaN when the catalog has no
 *                    price), whatever price_shape says
 *   price_shape      how the price varies between low and high (a
 *                    gpb_plan_price_shape; the default LOGNORMAL90 is the
 *                    pricing rule's shape)
 *   leave_out        index of a published run to leave out of the fit
 *                    (for leave-one-out checks), or -1 (the default)
 */
/*
 * The rental price of an interval, between price_low and price_high:
 *   LOGNORMAL90  lognormal with 90% of its mass between them (low and high
 *                its 5% and 95% points; median sqrt(low · high)): the
 *                pricing rule's shape (hardware.h, GPB_RENT_RULE_TEXT)
 *   UNIFORM      uniform between them (median the midpoint)
 * Numbered once, never renumbered.
 */
typedef enum gpb_plan_price_shape {
    GPB_PLAN_PRICE_LOGNORMAL90 = 0,
    GPB_PLAN_PRICE_UNIFORM = 1
} gpb_plan_price_shape;

typedef struct gpb_plan_interval_spec {
    double flops;
    double gpus;
    double peak_flop_per_s;
    double ideal_mfu_frac;
    const gpb_gpu *gpu;
    int newer_generation;
    double user_mfu_frac;
    double price_low_per_gpu_hour;
    double price_high_per_gpu_hour;
    gpb_plan_price_shape price_shape;
    long leave_out;
} gpb_plan_interval_spec;

/* Fills spec: every number 0, gpu NULL, newer_generation -1, price_shape
   LOGNORMAL90, leave_out -1. Accepts NULL. */
GPB_API void gpb_plan_interval_spec_default(gpb_plan_interval_spec *spec);

/*
 * The interval around an estimate.
 *
 *   ideal_*        the point figures at ideal_mfu_frac (what `estimate`
 *                  printed before intervals), cost at the price's median
 *                  (the catalog's rent under the pricing rule)
 *   ratio          P5/P50/P95 of realised / ideal GPU-hours
 *   mfu_frac, gpu_hours, days, card_months, cost
 *                  P5/P50/P95 of each. A low MFU goes with high GPU-hours:
 *                  mfu_frac.p5 = ideal / ratio.p95.
 *   price_low, price_high   the price range used (the rule's P5 and
 *                  P95 when the spec gave none); price_shape its shape
 *   narrowed       1 when user_mfu_frac was used
 *   runs_used      published runs in the fit
 *   dof            the fit's residual degrees of freedom
 */
typedef struct gpb_plan_interval {
    double ideal_mfu_frac;
    double ideal_gpu_hours;
    double ideal_days;
    double ideal_card_months;
    double ideal_cost;
    gpb_plan_quantiles ratio;
    gpb_plan_quantiles mfu_frac;
    gpb_plan_quantiles gpu_hours;
    gpb_plan_quantiles days;
    gpb_plan_quantiles card_months;
    gpb_plan_quantiles cost;
    double price_low;
    double price_high;
    gpb_plan_price_shape price_shape;
    int narrowed;
    double runs_used;
    double dof;
} gpb_plan_interval;

/*
 * P5/P50/P95 for an estimate.
 *
 * Without user_mfu_frac: the log of the ratio reported/modelled GPU-hours
 * of the published runs is fitted by least squares (GSL) on
 *
 *   log r = b0 + b1·newer_generation + b2·log10(gpus / 1000)
 *
 * and the interval is the fit's prediction interval at the estimate
 * (Student t with n - 3 degrees of freedom, scaled by
 * s·sqrt(1 + x (X'X)^-1 x')), so a cluster unlike the published ones gets
 * a wider interval.
 *
 * With user_mfu_frac: the throughput model's own error no longer applies;
 * what remains is the gap between a run's steady state and its whole
 * duration. Runs that report a steady-state MFU give g = reported
 * GPU-hours / (flops / (peak · steady MFU · 3600)); log g is treated as a
 * Student-t sample (n - 1 degrees of freedom, the prediction interval of
 * a new draw) and applied to the GPU-hours at user_mfu_frac. ideal_* then
 * use user_mfu_frac.
 *
 * Cost: GPU-hours times a price between low and high of price_shape,
 * independent; its quantiles are found by integrating the GPU-hours CDF
 * over the price (exact when low = high).
 *
 * Returns GPB_OK; GPB_EINVAL (bad spec, a lognormal price range with a
 * zero end); GPB_ERANGE (an MFU above 1); GPB_ENUMERIC (too few runs to
 * fit); GPB_ENOMEM.
 */
GPB_API gpb_status gpb_plan_interval_compute(
    const gpb_plan_interval_spec *spec, gpb_plan_interval *out,
    gpb_error *err);

/*
 * Leave-one-out coverage of the P5-P95 interval over the published runs:
 * for each run, the fit without it predicts its interval at the run's own
 * card generation and GPU count, and the run's ratio either falls inside
 * or not. *inside of *n runs did; coverage_frac = inside / n (about 0.9 if
 * the interval is honest). Any pointer may be NULL except that at least
 * one must be given.
 *
 * Returns GPB_OK or the statuses of gpb_plan_run_ratio and
 * gpb_plan_interval_compute.
 */
GPB_API gpb_status gpb_plan_coverage(double *coverage_frac, size_t *inside,
                                     size_t *n, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* A training estimate with its interval                                     */
/* ------------------------------------------------------------------------ */

/*
 * One training run as `gpubudget estimate` and the cells describe it: what
 * gpb_plan_estimate_compute needs. Fill it with
 * gpb_plan_estimate_spec_default() and set params, tokens, gpu and gpus.
 *
 *   params          total parameters (> 0)
 *   active_params   parameters each token uses (mixture of experts), at
 *                   most params; 0 = dense
 *   tokens          training tokens (> 0)
 *   gpu             borrowed catalog row; required
 *   gpus            GPUs (> 0; the throughput model needs a whole number,
 *                   and falls back as below otherwise)
 *   precision       GPB_PLAN_PRECISION_DEFAULT (the card's) or a
 *                   gpb_precision the card has
 *   recompute       1: the plan fixes full activation recomputation,
 *                   whose extra forward pass slows its step (a lower
 *                   MFU); 0: the plan chooses. FLOPs and MFU stay the
 *                   model's (6·N·D) either way: recomputed work trains
 *                   nothing
 *   seq_len, global_batch_tokens
 *                   as gpb_plan_spec (0 = 4,096 and 4M, Llama 2's)
 *   user_mfu_frac   a steady-state MFU the caller vouches for, in (0, 1];
 *                   0 = the model's. It narrows the interval
 *                   (gpb_plan_interval_compute).
 *   price_low_per_gpu_hour, price_high_per_gpu_hour, price_shape
 *                   as gpb_plan_interval_spec (both 0: the pricing rule)
 */
typedef struct gpb_plan_estimate_spec {
    double params;
    double active_params;
    double tokens;
    const gpb_gpu *gpu;
    double gpus;
    gpb_precision precision;
    int recompute;
    double seq_len;
    double global_batch_tokens;
    double user_mfu_frac;
    double price_low_per_gpu_hour;
    double price_high_per_gpu_hour;
    gpb_plan_price_shape price_shape;
} gpb_plan_estimate_spec;

/* Fills spec: every number 0, gpu NULL, precision
   GPB_PLAN_PRECISION_DEFAULT, recompute 0, price_shape LOGNORMAL90.
   Accepts NULL. */
GPB_API void gpb_plan_estimate_spec_default(gpb_plan_estimate_spec *spec);

/*
 * An estimate and its interval.
 *
 *   flops            the run's model FLOPs, 6·N·D (N active parameters;
 *                    gpb_compute_train_flops_spec), with or without
 *                    recompute
 *   peak_flop_per_s  the card's dense peak at the precision used
 *   precision        the precision used
 *   planned          1 when the throughput model laid the run out
 *   plan             its result (when planned)
 *   model_mfu_frac   the model's MFU restated for `flops`
 *                    (gpb_plan_result_mfu_for), or, when not planned, the
 *                    card's catalog default_mfu
 *   why              when not planned: the model's reason (its message)
 *   interval         gpb_plan_interval_compute at model_mfu_frac: narrowed
 *                    by user_mfu_frac when given, and by the card's
 *                    default when not planned (a catalog figure is itself
 *                    a published steady state; the ratio of the model's
 *                    error does not apply to it)
 */
typedef struct gpb_plan_estimate {
    double flops;
    double peak_flop_per_s;
    gpb_precision precision;
    int planned;
    gpb_plan_result plan;
    double model_mfu_frac;
    gpb_error why;
    gpb_plan_interval interval;
} gpb_plan_estimate;

/*
 * The estimate of a run: its FLOPs, the throughput model's MFU for it
 * (gpb_plan_choose with the spec's model, card, GPUs, precision, sequence
 * length and batch; the shape from the parameter count), and P5/P50/P95
 * of MFU, GPU-hours, days, card-months and cost around it
 * (gpb_plan_interval_compute). The model failing to lay the run out is
 * not an error: planned is 0 and why says what failed.
 *
 * The interval's ceiling, the best published MFU, is applied in the
 * plan's count of FLOPs (attention included, as published MFUs count
 * them) and its MFUs are restated in 6·N·D (gpb_plan_estimate_count_factor),
 * so that the GPU-hours, days and cost are `plan`'s for the same run.
 *
 * Returns GPB_OK; GPB_EINVAL (bad spec: NULL gpu, a count not positive,
 * active_params above params); GPB_ENOTFOUND or GPB_EUNSUPPORTED (a
 * precision the card lacks); GPB_ERANGE for a user_mfu_frac that is above
 * 1 in the plan's count (beyond the hardware's peak once attention is
 * counted: 0.28 of 6·N·D is 1.01 at 131,072 tokens of context on 7B); the
 * statuses of gpb_plan_interval_compute.
 */
GPB_API gpb_status gpb_plan_estimate_compute(
    const gpb_plan_estimate_spec *spec, gpb_plan_estimate *out,
    gpb_error *err);

/*
 * k, the plan's FLOPs per token over 6·N (N active): an MFU of 6·N·D
 * times k is the MFU counting attention's FLOPs, as published runs and
 * `plan` count it (GPB_MFU_PUBLISHED_MAX is one of those). 1 when the run
 * was not laid out (planned 0) or e is NULL. A pure function of e.
 */
GPB_API double gpb_plan_estimate_count_factor(const gpb_plan_estimate *e);

/*
 * A plan's MFU for another count of the same work. MFU is model FLOPs
 * over what the GPUs could do in the step; the plan counts model FLOPs
 * as 6·N_active plus attention for its shape, per token
 * (r->model_flops / r->global_batch_tokens). A caller that counts a run
 * as flops_per_token instead (6·N without the attention term, as
 * `estimate` and a scenario without a shape do; 8·N with recomputation)
 * gets the utilisation that gives the plan's own step time with that
 * count:
 *
 *   mfu = r->mfu_frac · flops_per_token / (r->model_flops /
 *                                          r->global_batch_tokens)
 *
 * so GPU-hours = flops / (peak · mfu · 3600) is the same either way. The
 * result may pass 1 for a count far above the plan's (the caller's
 * choice to refuse it).
 *
 * Returns GPB_OK or GPB_EINVAL (NULL pointers, a result without FLOPs,
 * flops_per_token not positive).
 */
GPB_API gpb_status gpb_plan_result_mfu_for(const gpb_plan_result *r,
                                           double flops_per_token,
                                           double *mfu_frac, gpb_error *err);

/*
 * `mfu: auto` for a scenario: the same prior as a distribution. Runs
 * gpb_plan_choose on spec for the ideal MFU, then builds the distribution
 * of realised MFU = ideal / ratio from gpb_plan_interval_compute fit (no
 * user MFU) as a samples distribution of 199 quantiles, at probabilities
 * (i - 0.5)/199, each capped at 1. Its P5 and P95 match the interval's to
 * the spacing of those points. *out is new: free it with gpb_dist_free().
 *
 * flops_per_token: 0 for MFU in the plan's own count of model FLOPs;
 * otherwise the caller's count per token: the ideal is restated for it as
 * gpb_plan_result_mfu_for does, and the distribution is built around
 * that ideal (censored at GPB_MFU_PUBLISHED_MAX in the plan's count,
 * which counts attention's FLOPs as published MFUs do, as the interval of
 * gpb_plan_estimate_compute is), each value capped at 1.
 * ideal_mfu_frac (may be NULL) receives the point figure.
 *
 * Returns GPB_OK, GPB_EINVAL (flops_per_token negative or NaN) or the
 * statuses of gpb_plan_choose and gpb_plan_interval_compute; *out is left
 * zeroed on failure.
 */
GPB_API gpb_status gpb_plan_mfu_dist(const gpb_plan_spec *spec,
                                     double flops_per_token, gpb_dist *out,
                                     double *ideal_mfu_frac, gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_PLAN_H */
