/*
 * The parallelism planner (plan.h): a step-time model of a transformer on
 * a cluster, and the search for the layout that fits and runs fastest.
 *
 * The model prices one optimizer step on the busiest pipeline stage, in
 * the manner of Calculon (Isaev et al., SC'23, arXiv:2301.10223): each
 * part of the work costs its FLOPs at an efficiency set by the size of
 * the matrix multiply, its bytes at the memory bandwidth, or its messages
 * at the link bandwidth, and the parts add up (no overlap, except the
 * data-parallel reduction under MODERN software). The schedule is
 * Megatron's 1F1B pipeline with its bubble (Narayanan et al., SC'21,
 * arXiv:2104.04473, sec. 2.2). FLOPs and activation bytes come from the
 * compute layer; nothing here recounts them.
 *
 * Published runs and intervals live in plan_runs.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gpubudget/plan.h"
#include "internal.h"
#include "plan_internal.h"

/* ------------------------------------------------------------------------ */
/* Constants                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * GEMM efficiency by size: e(f) = E_MAX · f / (f + F_HALF), f the FLOPs of
 * one matrix multiply. Fitted to Calculon's A100 and H100 system files
 * (github:calculon-ai/calculon systems/a100_80g.json and
 * h100_80g_nvl8.json @4f81f02, 2023), whose matrix-unit efficiency is 0.95
 * from 128 GFLOP, 0.9 from 16 GFLOP and 0.6 from 1 GFLOP: this curve gives
 * 0.95, 0.92 and 0.59 there.
 */
#define GEMM_EFF_MAX 0.95
#define GEMM_HALF_FLOPS 0.6e9

/*
 * Achieved share of link bandwidth in collectives: 0.6 on NVLink, 0.9 on
 * InfiniBand (the same Calculon system files, "efficiency" of network
 * tiers 0 and 1).
 */
#define NET_EFF_INTRA 0.6
#define NET_EFF_INTER 0.9

/* Achieved share of HBM bandwidth for large transfers: 0.9 (Calculon
   mem1 efficiency from 100 MB up). */
#define MEM_EFF 0.9

/*
 * Element-wise work moves about twice the activation bytes Korthikanti et
 * al. count as stored per pass (each stored tensor is written by one
 * kernel and read by the next); the backward pass moves twice the forward.
 * An assumption in the spirit of Calculon's per-layer byte counts.
 */
#define ACT_TRAFFIC 2.0

/*
 * Bytes sent per parameter by the data-parallel reduction: gradients in
 * fp32 under MODERN software (Megatron-Core reduces its fp32 main
 * gradients in bf16 training), in fp16 under MEGATRON_2021 (fp16 training
 * reduced its fp16 gradients unless told to accumulate in fp32); weights
 * gathered back in 16 bits after a sharded optimizer step.
 */
#define GRAD_BYTES_MODERN 4.0
#define GRAD_BYTES_2021 2.0
#define WEIGHT_BYTES 2.0

/*
 * The optimizer reads and writes every model-state byte once: 2 × 16
 * bytes per parameter it owns (GPB_TRAIN_BYTES_PER_PARAM_ADAM).
 */
#define OPT_TRAFFIC (2.0 * GPB_TRAIN_BYTES_PER_PARAM_ADAM)

/*
 * What the terms above leave out (kernel launches and their gaps,
 * data loading, logging, checkpoint stalls, stragglers, imperfect
 * load balance): the modelled step is divided by SOFTWARE_EFF. Calibrated
 * once, on one published steady state outside the validation set: Llama 3
 * 405B on 8,192 H100s (TP 8, PP 16, DP 64, 8,192-token sequences, 16M
 * tokens per step) at 43% BF16 MFU (Llama Team 2024, arXiv:2407.21783,
 * Table 4). See docs/model.md, "Plan: calibration".
 */
#define SOFTWARE_EFF 0.80

/* ------------------------------------------------------------------------ */
/* Terms                                                                     */
/* ------------------------------------------------------------------------ */

static const char *const term_names[GPB_PLAN_TERM_COUNT] = {
#define GPB__PLAN_TERM_KEY(name, num, key, text) [num] = key,
    GPB_PLAN_TERM_MAP(GPB__PLAN_TERM_KEY)
#undef GPB__PLAN_TERM_KEY
};

static const char *const term_texts[GPB_PLAN_TERM_COUNT] = {
#define GPB__PLAN_TERM_TEXT(name, num, key, text) [num] = text,
    GPB_PLAN_TERM_MAP(GPB__PLAN_TERM_TEXT)
#undef GPB__PLAN_TERM_TEXT
};

const char *gpb_plan_term_name(gpb_plan_term term)
{
    return (unsigned)term < GPB_PLAN_TERM_COUNT ? term_names[term]
                                                : "unknown";
}

const char *gpb_plan_term_text(gpb_plan_term term)
{
    return (unsigned)term < GPB_PLAN_TERM_COUNT ? term_texts[term]
                                                : "unknown";
}

/* ------------------------------------------------------------------------ */
/* Spec                                                                      */
/* ------------------------------------------------------------------------ */

void gpb_plan_spec_default(gpb_plan_spec *spec)
{
    if (spec == NULL)
        return;
    memset(spec, 0, sizeof *spec);
    spec->software = GPB_PLAN_SW_MODERN;
    spec->gpu = NULL;
    spec->precision = GPB_PLAN_PRECISION_DEFAULT;
    spec->recompute_fixed = 0;
    spec->recompute = GPB_RECOMPUTE_NONE;
    spec->zero = GPB_PLAN_ZERO_AUTO;
}

/* Heads of 128 dimensions and 128 units of width per layer (plan.h). */
#define HEAD_DIM 128.0
#define WIDTH_PER_LAYER 128.0

gpb_status gpb_plan_shape(double params, double vocab, double *n_layer,
                          double *d_model, double *n_head, gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, params, "params"));
    GPB__TRY(gpb__need_pos(err, vocab, "vocab"));
    GPB__TRY(gpb__need_ptr(err, n_layer, "n_layer"));
    GPB__TRY(gpb__need_ptr(err, d_model, "d_model"));
    GPB__TRY(gpb__need_ptr(err, n_head, "n_head"));
    const double k = 12.0 * WIDTH_PER_LAYER * WIDTH_PER_LAYER;
    double h = 0.0, l = 0.0;
    /* h depends on the embeddings it sizes: a few fixed-point steps
       settle it (the embeddings are a small share of any model this
       applies to). */
    double ne = params;
    for (int it = 0; it < 8; it++) {
        l = cbrt(ne / k);
        h = WIDTH_PER_LAYER * l;
        ne = params - vocab * h;
        if (!(ne > 0.0))
            break;
    }
    if (!(ne > 2.0 * 12.0 * HEAD_DIM * HEAD_DIM))
        return gpb__fail(err, GPB_ERANGE,
                         "params (%g) is too small for a transformer with a "
                         "vocabulary of %g: the embeddings alone take "
                         "most of it; give n_layer, d_model and n_head",
                         params, vocab);
    l = round(cbrt(ne / k));
    if (l < 2.0)
        l = 2.0;
    /* Heads in multiples of 8 from 8 heads up, as in every model cited
       above (32, 40, 64, 96, 128), so that tensor parallelism up to a
       server of 8 divides them. */
    double heads = sqrt(ne / (12.0 * l)) / HEAD_DIM;
    heads = heads >= 8.0 ? round(heads / 8.0) * 8.0 : round(heads);
    if (heads < 1.0)
        heads = 1.0;
    h = heads * HEAD_DIM;
    /* Rounding the width moved the count: the layers give it back. */
    l = round((params - vocab * h) / (12.0 * h * h));
    if (l < 2.0)
        l = 2.0;
    *n_layer = l;
    *d_model = h;
    *n_head = heads;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* The problem, normalised                                                   */
/* ------------------------------------------------------------------------ */

static int is_whole(double x) { return isfinite(x) && x == floor(x); }

static gpb_status need_whole(gpb_error *err, double v, double lo,
                             const char *name)
{
    if (!is_whole(v) || v < lo)
        return gpb__fail(err, GPB_EINVAL,
                         "%s must be a whole number of at least %g (got %g)",
                         name, lo, v);
    return GPB_OK;
}

gpb_status gpb__plan_setup(const gpb_plan_spec *spec, gpb__plan_problem *pr,
                             gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, spec, "spec"));
    GPB__TRY(gpb__need_ptr(err, spec->gpu, "spec.gpu"));
    memset(pr, 0, sizeof *pr);
    const gpb_gpu *g = spec->gpu;

    GPB__TRY(gpb__need_pos(err, spec->params, "spec.params"));
    if (spec->params > GPB__PARAMS_MAX)
        return gpb__fail(err, GPB_ERANGE,
                         "spec.params (%g) is beyond any model (at most %g)",
                         spec->params, GPB__PARAMS_MAX);
    GPB__TRY(gpb__need_nonneg(err, spec->active_params,
                              "spec.active_params"));
    if (spec->active_params > spec->params)
        return gpb__fail(err, GPB_ERANGE,
                         "spec.active_params (%g) must not exceed "
                         "spec.params (%g)",
                         spec->active_params, spec->params);
    GPB__TRY(gpb__need_nonneg(err, spec->n_experts, "spec.n_experts"));
    if (spec->n_experts > 0) {
        GPB__TRY(need_whole(err, spec->n_experts, 1, "spec.n_experts"));
        if (!(spec->active_params > 0))
            return gpb__fail(err, GPB_EINVAL,
                             "spec.n_experts is set: give "
                             "spec.active_params too");
    }
    GPB__TRY(gpb__need_nonneg(err, spec->moe_top_k, "spec.moe_top_k"));
    if (spec->moe_top_k > 0) {
        /* A token routed to more experts than a layer has, or to a part
           of one, inflated the all-to-all with a success status (a user
           review found top-k 16 of 8 experts accepted). */
        GPB__TRY(need_whole(err, spec->moe_top_k, 1, "spec.moe_top_k"));
        if (!(spec->n_experts > 0))
            return gpb__fail(err, GPB_EINVAL,
                             "spec.moe_top_k is set: give spec.n_experts "
                             "too (top-k routes among experts)");
        if (spec->moe_top_k > spec->n_experts)
            return gpb__fail(err, GPB_EINVAL,
                             "spec.moe_top_k (%g) exceeds spec.n_experts "
                             "(%g): a token is routed to at most every "
                             "expert",
                             spec->moe_top_k, spec->n_experts);
    } else if (spec->n_experts > 0 &&
               GPB_PLAN_MOE_TOP_K_DEFAULT > spec->n_experts) {
        return gpb__fail(err, GPB_EINVAL,
                         "spec.n_experts (%g) is below the default top-k "
                         "(%g): give spec.moe_top_k",
                         spec->n_experts, GPB_PLAN_MOE_TOP_K_DEFAULT);
    }
    GPB__TRY(gpb__need_nonneg(err, spec->vocab, "spec.vocab"));
    GPB__TRY(gpb__need_nonneg(err, spec->seq_len, "spec.seq_len"));
    GPB__TRY(gpb__need_nonneg(err, spec->global_batch_tokens,
                              "spec.global_batch_tokens"));
    if (spec->software != GPB_PLAN_SW_MODERN &&
        spec->software != GPB_PLAN_SW_MEGATRON_2021)
        return gpb__fail(err, GPB_EINVAL, "spec.software: unknown value %d",
                         (int)spec->software);
    GPB__TRY(need_whole(err, spec->gpus, 1, "spec.gpus"));
    if (spec->gpus > GPB__GPUS_MAX)
        return gpb__fail(err, GPB_ERANGE, "spec.gpus (%g) exceeds %g",
                         spec->gpus, GPB__GPUS_MAX);
    const char *num_names[] = {"spec.peak_flop_per_s", "spec.mem_bytes",
                               "spec.mem_bw_bytes_per_s", "spec.node_gpus",
                               "spec.intra_node_bw_bytes_per_s",
                               "spec.inter_node_bw_bytes_per_s",
                               "spec.usable_mem_frac", "spec.tp",
                               "spec.pp", "spec.micro_batch",
                               "spec.interleave", "spec.n_layer",
                               "spec.d_model", "spec.n_head"};
    double nums[] = {spec->peak_flop_per_s, spec->mem_bytes,
                     spec->mem_bw_bytes_per_s, spec->node_gpus,
                     spec->intra_node_bw_bytes_per_s,
                     spec->inter_node_bw_bytes_per_s,
                     spec->usable_mem_frac, spec->tp, spec->pp,
                     spec->micro_batch, spec->interleave, spec->n_layer,
                     spec->d_model, spec->n_head};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        GPB__TRY(gpb__need_nonneg(err, nums[i], num_names[i]));
    if (spec->usable_mem_frac > 1.0)
        return gpb__fail(err, GPB_ERANGE,
                         "spec.usable_mem_frac (%g) must be at most 1",
                         spec->usable_mem_frac);

    pr->software = spec->software;
    pr->params = spec->params;
    pr->active = spec->active_params > 0 ? spec->active_params
                                         : spec->params;
    pr->experts = spec->n_experts;
    pr->top_k = spec->moe_top_k > 0 ? spec->moe_top_k
                                    : GPB_PLAN_MOE_TOP_K_DEFAULT;
    pr->vocab = spec->vocab > 0 ? spec->vocab : GPB_PLAN_VOCAB_DEFAULT;
    pr->seq = spec->seq_len > 0 ? spec->seq_len : GPB_PLAN_SEQ_LEN_DEFAULT;
    GPB__TRY(need_whole(err, pr->seq, 1, "spec.seq_len"));
    pr->batch_tokens = spec->global_batch_tokens > 0
                           ? spec->global_batch_tokens
                           : GPB_PLAN_GLOBAL_BATCH_TOKENS_DEFAULT;
    pr->gpus = spec->gpus;

    /* Shape: all three given, or all inferred. */
    int given = (spec->n_layer > 0) + (spec->d_model > 0) +
                (spec->n_head > 0);
    if (given == 3) {
        GPB__TRY(need_whole(err, spec->n_layer, 1, "spec.n_layer"));
        GPB__TRY(need_whole(err, spec->d_model, 1, "spec.d_model"));
        GPB__TRY(need_whole(err, spec->n_head, 1, "spec.n_head"));
        if (fmod(spec->d_model, spec->n_head) != 0.0)
            return gpb__fail(err, GPB_EINVAL,
                             "spec.d_model (%g) must be a multiple of "
                             "spec.n_head (%g)",
                             spec->d_model, spec->n_head);
        pr->layers = spec->n_layer;
        pr->hidden = spec->d_model;
        pr->heads = spec->n_head;
    } else if (given == 0) {
        /* A mixture of experts is shaped by its active parameters: its
           attention and width are those of a dense model of that size. */
        GPB__TRY(gpb_plan_shape(pr->active, pr->vocab, &pr->layers,
                                &pr->hidden, &pr->heads, err));
        pr->shape_inferred = 1;
    } else {
        return gpb__fail(err, GPB_EINVAL,
                         "spec.n_layer, spec.d_model and spec.n_head go "
                         "together: give all three or none");
    }
    pr->embed = pr->vocab * pr->hidden;
    if (!(pr->active - pr->embed > 0))
        return gpb__fail(err, GPB_ERANGE,
                         "the embeddings (vocab %g x d_model %g = %g) leave "
                         "no parameters for the layers of a %g-parameter "
                         "model",
                         pr->vocab, pr->hidden, pr->embed, pr->active);
    /* Per layer: parameters every token uses, and the expert pool beyond
       them that expert parallelism shards. */
    pr->layer_active = (pr->active - pr->embed) / pr->layers;
    pr->layer_pool = (pr->params - pr->active) / pr->layers;

    /* The card. */
    gpb_precision prec = spec->precision;
    gpb_status st;
    if (prec == GPB_PLAN_PRECISION_DEFAULT)
        st = gpb_hardware_gpu_default_precision(g, &prec, err);
    else
        st = GPB_OK;
    if (st != GPB_OK)
        return st;
    if (spec->peak_flop_per_s > 0)
        pr->peak = spec->peak_flop_per_s;
    else
        GPB__TRY(gpb_hardware_gpu_peak_flop_per_s(g, prec, &pr->peak, err));
    pr->mem = spec->mem_bytes > 0 ? spec->mem_bytes : g->mem_bytes;
    pr->mem_bw = spec->mem_bw_bytes_per_s > 0 ? spec->mem_bw_bytes_per_s
                                              : g->mem_bw_bytes_per_s;
    pr->node = spec->node_gpus > 0 ? spec->node_gpus : g->node_gpus;
    pr->bw_in = spec->intra_node_bw_bytes_per_s > 0
                    ? spec->intra_node_bw_bytes_per_s
                    : g->intra_node_bw_bytes_per_s;
    pr->bw_out = spec->inter_node_bw_bytes_per_s > 0
                     ? spec->inter_node_bw_bytes_per_s
                     : g->inter_node_bw_bytes_per_s;
    pr->usable = (spec->usable_mem_frac > 0
                      ? spec->usable_mem_frac
                      : GPB_GPU_MEMORY_USABLE_FRAC_DEFAULT) *
                 pr->mem;
    if (!(pr->mem > 0) || !(pr->mem_bw > 0))
        return gpb__fail(err, GPB_EUNSUPPORTED,
                         "%s has no memory figures; give spec.mem_bytes "
                         "and spec.mem_bw_bytes_per_s",
                         g->name);
    if (pr->gpus > 1) {
        if (!(pr->node >= 1) || !is_whole(pr->node))
            return gpb__fail(err, GPB_EUNSUPPORTED,
                             "the catalog does not say how %s servers are "
                             "built (%s); give spec.node_gpus and the "
                             "bandwidths",
                             g->name, g->interconnect_source);
        if (!(pr->bw_in > 0) && pr->node > 1)
            return gpb__fail(err, GPB_EUNSUPPORTED,
                             "the catalog has no intra-node bandwidth for "
                             "%s (%s); give "
                             "spec.intra_node_bw_bytes_per_s",
                             g->name, g->interconnect_source);
        if (!(pr->bw_out > 0) && pr->gpus > pr->node)
            return gpb__fail(err, GPB_EUNSUPPORTED,
                             "%g GPUs span several %g-GPU servers, and the "
                             "catalog has no network bandwidth for %s (%s); "
                             "give spec.inter_node_bw_bytes_per_s",
                             pr->gpus, pr->node, g->name,
                             g->interconnect_source);
    } else {
        if (!(pr->node >= 1))
            pr->node = 1;
    }
    if (!(pr->bw_in > 0))
        pr->bw_in = pr->bw_out; /* single-GPU nodes talk over the NIC */
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* One layout                                                                */
/* ------------------------------------------------------------------------ */

static double gemm_eff(double flops)
{
    return GEMM_EFF_MAX * flops / (flops + GEMM_HALF_FLOPS);
}

static unsigned long gcd_ul(unsigned long a, unsigned long b)
{
    while (b) {
        unsigned long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/*
 * FLOPs of `params` parameters for `tokens` tokens, from the compute
 * layer, with the attention of `layers` layers over seq tokens of width
 * hidden (layers = 0: no attention term); r sets recomputation.
 */
static gpb_status flops_of(double params, double tokens, double layers,
                           double seq, double hidden, gpb_recompute r,
                           double *out, gpb_error *err)
{
    gpb_train_spec ts;
    gpb_compute_train_spec_default(&ts);
    ts.params = params;
    ts.tokens = tokens;
    ts.recompute = r;
    if (layers > 0) {
        ts.n_layer = layers;
        ts.n_ctx = seq;
        ts.d_model = hidden;
    }
    return gpb_compute_train_flops_spec(&ts, out, err);
}

/* Activation bytes of `layers` layers for one micro-batch on one GPU. */
static gpb_status act_bytes(const gpb__plan_problem *pr, double layers,
                            double b, double t, int sp, gpb_recompute r,
                            double *out, gpb_error *err)
{
    gpb_activation_shape a;
    gpb_compute_activation_shape_default(&a);
    a.seq_len = pr->seq;
    a.micro_batch = b;
    a.hidden = pr->hidden;
    a.n_layer = layers;
    a.n_head = pr->heads;
    a.tensor_parallel = t;
    a.sequence_parallel = sp;
    /* FlashAttention never stores the attention scores: without
       recomputation the memory is that of selective recomputation. */
    if (pr->software == GPB_PLAN_SW_MODERN && r == GPB_RECOMPUTE_NONE)
        r = GPB_RECOMPUTE_SELECTIVE;
    a.recompute = r;
    return gpb_compute_activation_bytes(&a, out, err);
}

/* Ring all-reduce of `bytes` over n ranks: 2(n-1)/n · bytes / bw. */
static double allreduce_s(double bytes, double n, double bw)
{
    return n > 1 ? 2.0 * (n - 1.0) / n * bytes / bw : 0.0;
}

/* Reduce-scatter or all-gather: (n-1)/n · bytes / bw. */
static double gather_s(double bytes, double n, double bw)
{
    return n > 1 ? (n - 1.0) / n * bytes / bw : 0.0;
}

gpb_status gpb__plan_eval(const gpb__plan_problem *pr,
                          const gpb_plan_layout *lay, gpb_plan_result *out,
                          gpb_error *err)
{
    const double t = lay->tp, p = lay->pp, b = lay->micro_batch;
    const double v = lay->interleave > 0 ? lay->interleave : 1.0;
    const gpb_recompute r = lay->recompute;
    const gpb_plan_zero z = lay->zero;
    GPB__TRY(need_whole(err, t, 1, "layout.tp"));
    GPB__TRY(need_whole(err, p, 1, "layout.pp"));
    GPB__TRY(need_whole(err, b, 1, "layout.micro_batch"));
    GPB__TRY(need_whole(err, v, 1, "layout.interleave"));
    if (r != GPB_RECOMPUTE_NONE && r != GPB_RECOMPUTE_SELECTIVE &&
        r != GPB_RECOMPUTE_FULL)
        return gpb__fail(err, GPB_EINVAL, "layout.recompute: unknown value "
                                          "%d",
                         (int)r);
    if (z < GPB_PLAN_ZERO_0 || z > GPB_PLAN_ZERO_3)
        return gpb__fail(err, GPB_EINVAL,
                         "layout.zero must be a stage from 0 to 3 (got %d)",
                         (int)z);
    if (fmod(pr->gpus, t * p) != 0.0)
        return gpb__fail(err, GPB_EINVAL,
                         "layout.tp x layout.pp (%g x %g) must divide the "
                         "%g GPUs",
                         t, p, pr->gpus);
    if (fmod(pr->heads, t) != 0.0)
        return gpb__fail(err, GPB_EINVAL,
                         "layout.tp (%g) must divide the %g attention heads",
                         t, pr->heads);
    if (p * v > pr->layers)
        return gpb__fail(err, GPB_EINVAL,
                         "layout.pp x layout.interleave (%g x %g) exceeds "
                         "the %g layers",
                         p, v, pr->layers);
    if (t > pr->node)
        return gpb__fail(err, GPB_EINVAL,
                         "layout.tp (%g) exceeds the %g GPUs of a node: "
                         "tensor parallelism stays inside the scale-up "
                         "fabric",
                         t, pr->node);

    const double d = pr->gpus / (t * p);
    const int sp = lay->sequence_parallel && t > 1;
    const double s = pr->seq, h = pr->hidden, sbh = s * b * h;
    const int modern = pr->software == GPB_PLAN_SW_MODERN;
    const int full = r == GPB_RECOMPUTE_FULL;

    /* Micro-batches: the global batch in whole micro-batches of b
       sequences on each of d replicas, at least one. */
    double seqs = pr->batch_tokens / s;
    double m = round(seqs / (d * b));
    if (m < 1)
        m = 1;

    /* Expert parallelism: the experts spread over as many data-parallel
       ranks as divide both. */
    double ep = 1;
    if (pr->experts > 0)
        ep = (double)gcd_ul((unsigned long)d, (unsigned long)pr->experts);

    /* ---- memory on the first and the last stage ---- */
    /* Stages need not be equal (Llama 3 runs 126 layers on 16 stages);
       the busiest holds ceil(l / (p·v)) layers per chunk. */
    double layers_stage = ceil(pr->layers / (p * v)) * v;
    /* A GPU holds the stage's shared parameters (those every token uses)
       and its 1/ep of the other experts. The shared ones have d replicas,
       an expert d/ep (the ranks holding the same experts). */
    double params_shared = layers_stage * pr->layer_active / t + pr->embed / t;
    double params_pool = layers_stage * (pr->layer_pool / ep) / t;
    /* ZeRO (Rajbhandari et al. 2019, Fig. 1): stage 1 shards the
       optimizer states over the replicas, stage 2 the gradients too,
       stage 3 the weights: over d for the shared parameters, over d/ep
       for the experts' (a review found an expert's Adam state shared by
       all d ranks: 671B MoE at 0.2 GB a GPU, 17 times too little). Bytes
       per parameter: weights 2, gradients 2, optimizer the rest of
       GPB_TRAIN_BYTES_PER_PARAM_ADAM. */
    const double opt_bytes = GPB_TRAIN_BYTES_PER_PARAM_ADAM - 4.0;
    double dx = d / ep; /* an expert's replicas */
    double w_b = 2.0 / (z >= GPB_PLAN_ZERO_3 ? d : 1.0);
    double g_b = 2.0 / (z >= GPB_PLAN_ZERO_2 ? d : 1.0);
    double o_b = opt_bytes / (z >= GPB_PLAN_ZERO_1 ? d : 1.0);
    double w_x = 2.0 / (z >= GPB_PLAN_ZERO_3 ? dx : 1.0);
    double g_x = 2.0 / (z >= GPB_PLAN_ZERO_2 ? dx : 1.0);
    double o_x = opt_bytes / (z >= GPB_PLAN_ZERO_1 ? dx : 1.0);

    double act_layer_stage, act_one_layer_full;
    GPB__TRY(act_bytes(pr, layers_stage, b, t, sp, r, &act_layer_stage, err));
    /* Under full recomputation the backward pass rebuilds one layer's
       activations at a time: that working set comes on top. */
    act_one_layer_full = 0;
    if (full)
        GPB__TRY(act_bytes(pr, 1, b, t, sp, GPB_RECOMPUTE_NONE,
                           &act_one_layer_full, err));
    /* 1F1B keeps min(p, m) micro-batches in flight on the first stage,
       and with v chunks per stage the interleaved schedule holds
       1 + (p-1)/(p·v) times as much (Korthikanti et al. 2022, sec. 4.2.3);
       the last stage keeps one, plus the fp32 logits of the output layer,
       4·s·b·V/t bytes (same paper, sec. 4.3). */
    double inflight = p < m ? p : m;
    double ileave = v > 1 ? 1.0 + (p - 1.0) / (p * v) : 1.0;
    double act_first = act_layer_stage * inflight * ileave +
                       act_one_layer_full;
    double logits_bytes = 4.0 * s * b * pr->vocab / t;
    double act_last = act_layer_stage + act_one_layer_full + logits_bytes;
    if (p == 1)
        act_first = act_last = act_layer_stage + act_one_layer_full +
                               logits_bytes;
    double act = act_first > act_last ? act_first : act_last;

    double mem_total, mem_pool = 0;
    GPB__TRY(gpb_compute_train_memory_bytes(params_shared, w_b + g_b + o_b,
                                            NULL, &mem_total, err));
    if (params_pool > 0)
        GPB__TRY(gpb_compute_train_memory_bytes(params_pool, w_x + g_x + o_x,
                                                NULL, &mem_pool, err));
    mem_total += mem_pool + act;
    GPB__TRY(gpb__need_result(err, mem_total, "memory per GPU"));

    /* ---- time of one micro-batch on one stage ---- */
    /* Hardware FLOPs per layer for b·s tokens, split over t. */
    double f_layer;
    gpb_recompute rf = r;
    GPB__TRY(flops_of(pr->layer_active, s * b, 1, s, h, rf, &f_layer, err));
    if (!modern) {
        /* Attention scores computed in full, not causally skipped as
           FlashAttention does: the hardware does the compute layer's
           attention term (Kaplan's, which counts one half) twice. */
        double f_noattn;
        GPB__TRY(flops_of(pr->layer_active, s * b, 0, s, h, rf, &f_noattn,
                          err));
        f_layer += f_layer - f_noattn;
    }
    f_layer /= t;
    /* The size that sets GEMM efficiency: the MLP's first projection,
       2 · (b·s) · h · 4h/t FLOPs, the layer's largest multiply. */
    double f_gemm = 2.0 * s * b * h * 4.0 * h / t;
    double gemm_layer = f_layer / (pr->peak * gemm_eff(f_gemm));
    double ideal_layer = f_layer / pr->peak;

    /* Element-wise work: the activation bytes of the layer without
       recomputation, moved ACT_TRAFFIC times per pass; forward 1,
       backward 2, recomputation 1 more. */
    double act1;
    GPB__TRY(act_bytes(pr, 1, b, t, sp, GPB_RECOMPUTE_NONE, &act1, err));
    double passes = 3.0 + (full ? 1.0 : 0.0);
    double mem_layer = passes * ACT_TRAFFIC * act1 / (pr->mem_bw * MEM_EFF);

    /* Tensor parallelism: two all-reduces of s·b·h 16-bit values forward,
       two backward, two more when the forward is recomputed (Megatron,
       Shoeybi et al. 2019, arXiv:1909.08053, sec. 3); sequence
       parallelism turns each into a reduce-scatter and an all-gather of
       the same volume. */
    double tp_layer = 0;
    if (t > 1) {
        double n_ar = 4.0 + (full ? 2.0 : 0.0);
        tp_layer = n_ar * allreduce_s(2.0 * sbh, t, pr->bw_in * NET_EFF_INTRA);
    }

    /* Expert parallelism: each MoE layer dispatches and combines every
       token's top_k copies of h 16-bit values, forward and backward (and
       again when recomputed); (ep-1)/ep of it leaves the GPU. */
    double a2a_layer = 0;
    if (pr->experts > 0 && ep > 1) {
        double n_a2a = 4.0 + (full ? 2.0 : 0.0);
        double bytes = 2.0 * sbh * pr->top_k / t;
        int cross = pr->gpus > pr->node;
        double bw = cross ? pr->bw_out * NET_EFF_INTER
                          : pr->bw_in * NET_EFF_INTRA;
        a2a_layer = n_a2a * gather_s(bytes, ep, bw);
    }

    /* The output layer on the last stage: V·h parameters, no attention. */
    double f_logit;
    GPB__TRY(flops_of(pr->embed, s * b, 0, s, h, GPB_RECOMPUTE_NONE,
                      &f_logit, err));
    f_logit /= t;
    double f_logit_gemm = 2.0 * s * b * h * pr->vocab / t;
    double logit_s = f_logit / (pr->peak * gemm_eff(f_logit_gemm));
    double logit_ideal = f_logit / pr->peak;

    double per_layer = gemm_layer + mem_layer + tp_layer + a2a_layer;
    double stage_first = layers_stage * per_layer;
    double stage_last = stage_first + logit_s;
    double slot_compute = stage_last; /* the last stage is the busiest */

    /* Pipeline sends: s·b·h 16-bit values per micro-batch each way,
       split t ways by Megatron's scatter/gather (Narayanan et al. 2021,
       sec. 4.1), v times with interleaving. Megatron places pipeline
       stages outermost, so on more than one node they talk over the
       network. */
    double p2p = 0;
    if (p > 1) {
        int cross = pr->gpus > pr->node;
        double bw = cross ? pr->bw_out * NET_EFF_INTER
                          : pr->bw_in * NET_EFF_INTRA;
        p2p = 2.0 * v * (2.0 * sbh / t) / bw;
    }
    double slot = slot_compute + p2p;

    /* 1F1B: m slots of work and (p-1)/v slots of bubble (Narayanan et al.
       2021, sec. 2.2). */
    double bubble = (p - 1.0) / v * slot;

    /* Data parallelism. Megatron orders ranks tensor, data, pipeline, so
       a data-parallel group spans d·t consecutive GPUs: over the network
       once that exceeds a node, each GPU through its own NIC share. */
    double dp_s = 0;
    if (d > 1) {
        int cross = d * t > pr->node;
        double bw = cross ? pr->bw_out * NET_EFF_INTER
                          : pr->bw_in * NET_EFF_INTRA;
        double pg = params_shared, px = params_pool;
        double gb = modern ? GRAD_BYTES_MODERN : GRAD_BYTES_2021;
        /* The experts' gradients reduce among their d/ep replicas. */
        double red;
        if (z == GPB_PLAN_ZERO_0)
            red = allreduce_s(gb * pg, d, bw) +
                  (px > 0 ? allreduce_s(gb * px, dx, bw) : 0);
        else
            red = gather_s(gb * pg, d, bw) +
                  gather_s(WEIGHT_BYTES * pg, d, bw) +
                  (px > 0 ? gather_s(gb * px, dx, bw) +
                                gather_s(WEIGHT_BYTES * px, dx, bw)
                          : 0);
        double exposed;
        if (modern) {
            /* Overlapped with the backward pass of the last micro-batch
               on the first stage. */
            double bwd_frac = (2.0 + (full ? 1.0 : 0.0)) /
                              (3.0 + (full ? 1.0 : 0.0));
            exposed = red - bwd_frac * stage_first;
            if (exposed < 0)
                exposed = 0;
        } else {
            exposed = red;
        }
        if (z == GPB_PLAN_ZERO_3) {
            /* Weights gathered again for each micro-batch, forward and
               backward, overlapped with that micro-batch's compute. */
            double gth = 2.0 * (gather_s(WEIGHT_BYTES * pg, d, bw) +
                                (px > 0 ? gather_s(WEIGHT_BYTES * px, dx, bw)
                                        : 0));
            double extra = gth - stage_first;
            if (extra > 0)
                exposed += m * extra;
        }
        dp_s = exposed;
    }

    /* Optimizer step: every owned model-state byte read and written. */
    double owned = params_shared / (z >= GPB_PLAN_ZERO_1 ? d : 1.0) +
                   params_pool / (z >= GPB_PLAN_ZERO_1 ? dx : 1.0);
    double opt_s = OPT_TRAFFIC * owned / (pr->mem_bw * MEM_EFF);

    double term[GPB_PLAN_TERM_COUNT] = {0};
    double nl = layers_stage;
    term[GPB_PLAN_TERM_GEMM] = m * (nl * gemm_layer + logit_s);
    term[GPB_PLAN_TERM_MEMORY] = m * nl * mem_layer;
    term[GPB_PLAN_TERM_TP_COMM] = m * nl * tp_layer;
    term[GPB_PLAN_TERM_MOE_A2A] = m * nl * a2a_layer;
    term[GPB_PLAN_TERM_PP_P2P] = m * p2p;
    term[GPB_PLAN_TERM_PP_BUBBLE] = bubble;
    term[GPB_PLAN_TERM_DP_COMM] = dp_s;
    term[GPB_PLAN_TERM_OPTIMIZER] = opt_s;
    double modelled = 0;
    for (int i = 0; i < GPB_PLAN_TERM_COUNT; i++)
        modelled += term[i];
    double step = modelled / SOFTWARE_EFF;
    term[GPB_PLAN_TERM_OVERHEAD] = step - modelled;
    double ideal = m * (nl * ideal_layer + logit_ideal);

    /* Model and hardware FLOPs of the step, from the compute layer. */
    double btok = m * d * b * s;
    double mf, hf;
    GPB__TRY(flops_of(pr->active, btok, pr->layers, s, h, GPB_RECOMPUTE_NONE,
                      &mf, err));
    GPB__TRY(flops_of(pr->active, btok, pr->layers, s, h, r, &hf, err));

    memset(out, 0, sizeof *out);
    out->layout = *lay;
    out->layout.dp = d;
    out->layout.ep = ep;
    out->layout.micro_batches = m;
    out->layout.interleave = v;
    out->layout.sequence_parallel = sp;
    out->n_layer = pr->layers;
    out->d_model = pr->hidden;
    out->n_head = pr->heads;
    out->vocab = pr->vocab;
    out->seq_len = s;
    out->shape_inferred = pr->shape_inferred;
    out->global_batch_tokens = btok;
    out->peak_flop_per_s = pr->peak;
    out->step_s = step;
    out->ideal_s = ideal;
    memcpy(out->term_s, term, sizeof term);
    /* The bound: the modelled term that loses most, GEMM counted beyond
       ideal. OVERHEAD is a fixed share of every step and bounds none. */
    gpb_plan_term bound = GPB_PLAN_TERM_GEMM;
    double worst = term[GPB_PLAN_TERM_GEMM] - ideal;
    for (int i = 1; i < GPB_PLAN_TERM_OVERHEAD; i++) {
        if (term[i] > worst) {
            worst = term[i];
            bound = (gpb_plan_term)i;
        }
    }
    out->bound = bound;
    out->model_flops = mf;
    out->hardware_flops = hf;
    out->mfu_frac = mf / (pr->gpus * pr->peak * step);
    out->hfu_frac = hf / (pr->gpus * pr->peak * step);
    out->tokens_per_s = btok / step;
    out->mem_weights_bytes = w_b * params_shared + w_x * params_pool;
    out->mem_grads_bytes = g_b * params_shared + g_x * params_pool;
    out->mem_optimizer_bytes = o_b * params_shared + o_x * params_pool;
    out->mem_activations_bytes = act;
    out->mem_total_bytes = mem_total;
    out->mem_usable_bytes = pr->usable;
    out->fits = mem_total <= pr->usable;
    out->layouts_tried = 1;
    out->layouts_fit = out->fits;
    GPB__TRY(gpb__need_result(err, step, "step time"));
    return GPB_OK;
}

gpb_status gpb_plan_evaluate(const gpb_plan_spec *spec,
                             const gpb_plan_layout *layout,
                             gpb_plan_result *out, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, layout, "layout"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    gpb__plan_problem pr;
    GPB__TRY(gpb__plan_setup(spec, &pr, err));
    gpb_plan_result r;
    GPB__TRY(gpb__plan_eval(&pr, layout, &r, err));
    *out = r;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* The search                                                                */
/* ------------------------------------------------------------------------ */

/* 1 when a is a better result than b (both fit). */
double gpb_plan_idle_gpus(const gpb_plan_layout *layout, double gpus)
{
    if (!layout)
        return 0;
    double used = layout->tp * layout->pp * layout->dp;
    return gpus > used ? gpus - used : 0;
}

static int better(const gpb_plan_result *a, const gpb_plan_result *b)
{
    /* Within 0.1% the step times are a tie: prefer the simpler layout. */
    if (a->step_s < b->step_s * (1 - 1e-3))
        return 1;
    if (a->step_s > b->step_s * (1 + 1e-3))
        return 0;
    double ma = a->layout.tp * a->layout.pp, mb = b->layout.tp * b->layout.pp;
    if (ma != mb)
        return ma < mb;
    if (a->layout.interleave != b->layout.interleave)
        return a->layout.interleave < b->layout.interleave;
    if (a->layout.recompute != b->layout.recompute)
        return a->layout.recompute < b->layout.recompute;
    return a->step_s < b->step_s;
}

/* The search of gpb_plan_choose over the layouts of pr->gpus GPUs: every
   fitting layout tried against *best (better()), with the counts and the
   leanest layout for the message when none fits. */
static gpb_status search(const gpb_plan_spec *spec,
                         const gpb__plan_problem *pr, const double *vs,
                         size_t nv, const gpb_recompute *rs, size_t nr,
                         const gpb_plan_zero *zs, size_t nz, double seqs,
                         gpb_plan_result *best, int *have, double *tried,
                         double *fit, double *least_mem,
                         gpb_plan_layout *least_lay, gpb_error *err)
{
    gpb_plan_result r;
    for (double t = 1; t <= pr->node && t <= pr->gpus; t *= 2) {
        if (spec->tp > 0 && t != spec->tp)
            continue;
        if (fmod(pr->heads, t) != 0 || fmod(pr->gpus, t) != 0)
            continue;
        for (double p = 1; p <= pr->layers; p++) {
          if (spec->pp > 0 && p != spec->pp)
              continue;
          for (size_t iv = 0; iv < nv; iv++) {
            double v = vs[iv];
            if (p == 1 && v > 1)
                continue;
            if (p * v > pr->layers || fmod(pr->gpus, t * p) != 0)
                continue;
            /* Uneven stages cost the slack of the busiest; keep the
               search to splits that waste under 10%. */
            if (spec->pp <= 0 &&
                ceil(pr->layers / (p * v)) * p * v > 1.1 * pr->layers)
                continue;
            double d = pr->gpus / (t * p);
            for (double b = 1; b <= 64; b *= 2) {
                if (spec->micro_batch > 0 && b != spec->micro_batch)
                    continue;
                /* Larger micro-batches than the batch allows would only
                   grow the batch; b = 1 is always tried. */
                if (spec->micro_batch <= 0 && b > 1 && d * b > seqs)
                    break;
                for (size_t ir = 0; ir < nr; ir++) {
                    for (size_t iz = 0; iz < nz; iz++) {
                        gpb_plan_layout lay = {0};
                        lay.tp = t;
                        lay.pp = p;
                        lay.micro_batch = b;
                        lay.interleave = v;
                        lay.recompute = rs[ir];
                        lay.zero = zs[iz];
                        lay.sequence_parallel =
                            pr->software == GPB_PLAN_SW_MODERN;
                        GPB__TRY(gpb__plan_eval(pr, &lay, &r, err));
                        (*tried)++;
                        if (r.mem_total_bytes < *least_mem) {
                            *least_mem = r.mem_total_bytes;
                            *least_lay = r.layout;
                        }
                        if (!r.fits)
                            continue;
                        (*fit)++;
                        if (!*have || better(&r, best)) {
                            *best = r;
                            *have = 1;
                        }
                    }
                }
            }
          }
        }
    }
    return GPB_OK;
}

gpb_status gpb_plan_choose(const gpb_plan_spec *spec, gpb_plan_result *out,
                           gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    gpb__plan_problem pr;
    GPB__TRY(gpb__plan_setup(spec, &pr, err));
    if (spec->tp > 0)
        GPB__TRY(need_whole(err, spec->tp, 1, "spec.tp"));
    if (spec->pp > 0)
        GPB__TRY(need_whole(err, spec->pp, 1, "spec.pp"));
    if (spec->micro_batch > 0)
        GPB__TRY(need_whole(err, spec->micro_batch, 1, "spec.micro_batch"));
    if (spec->interleave > 0)
        GPB__TRY(need_whole(err, spec->interleave, 1, "spec.interleave"));
    if (spec->zero < GPB_PLAN_ZERO_AUTO || spec->zero > GPB_PLAN_ZERO_3)
        return gpb__fail(err, GPB_EINVAL, "spec.zero: unknown value %d",
                         (int)spec->zero);
    if (spec->recompute_fixed &&
        (spec->recompute < GPB_RECOMPUTE_NONE ||
         spec->recompute > GPB_RECOMPUTE_FULL))
        return gpb__fail(err, GPB_EINVAL, "spec.recompute: unknown value %d",
                         (int)spec->recompute);

    /* Model chunks per stage: as fixed, else 1, 2 or 4 (Narayanan et
       al.'s interleaved schedule, which divides the bubble by v). */
    double vs[3] = {1, 2, 4};
    size_t nv = 3;
    if (spec->interleave > 0) {
        vs[0] = spec->interleave;
        nv = 1;
    }
    gpb_recompute rs[3];
    size_t nr = 0;
    if (spec->recompute_fixed) {
        rs[nr++] = spec->recompute;
    } else {
        rs[nr++] = GPB_RECOMPUTE_NONE;
        /* With FlashAttention selective recomputation saves nothing:
           the scores are never stored (act_bytes). */
        if (pr.software != GPB_PLAN_SW_MODERN)
            rs[nr++] = GPB_RECOMPUTE_SELECTIVE;
        rs[nr++] = GPB_RECOMPUTE_FULL;
    }
    gpb_plan_zero zs[2];
    size_t nz = 0;
    if (spec->zero == GPB_PLAN_ZERO_AUTO) {
        zs[nz++] = GPB_PLAN_ZERO_1;
        zs[nz++] = GPB_PLAN_ZERO_3;
    } else {
        zs[nz++] = spec->zero;
    }

    gpb_plan_result best;
    int have = 0;
    double tried = 0, fit = 0;
    double least_mem = INFINITY;
    gpb_plan_layout least_lay = {0};
    double seqs = pr.batch_tokens / pr.seq;

    GPB__TRY(search(spec, &pr, vs, nv, rs, nr, zs, nz, seqs, &best, &have,
                    &tried, &fit, &least_mem, &least_lay, err));
    /* A count that does not factor well (1001 = 7 × 11 × 13) can force a
       poor layout, slower than the same work on fewer cards: then the
       best layout of the whole nodes below it runs and the rest idle
       (paid for, counted in the MFU: model FLOPs over every card). */
    double whole = floor(pr.gpus / pr.node) * pr.node;
    if (whole >= pr.node && whole < pr.gpus && spec->tp <= 0 &&
        spec->pp <= 0) {
        gpb__plan_problem pw = pr;
        pw.gpus = whole;
        gpb_plan_result bw;
        int hw = 0;
        double tw = 0, fw = 0, lm = INFINITY;
        gpb_plan_layout ll = {0};
        GPB__TRY(search(spec, &pw, vs, nv, rs, nr, zs, nz, seqs, &bw, &hw,
                        &tw, &fw, &lm, &ll, err));
        tried += tw;
        fit += fw;
        if (hw && (!have || bw.tokens_per_s > best.tokens_per_s * (1 + 1e-3))) {
            bw.mfu_frac *= whole / pr.gpus;
            bw.hfu_frac *= whole / pr.gpus;
            best = bw;
            have = 1;
        }
    }
    if (!have) {
        if (tried == 0)
            return gpb__fail(err, GPB_EINVAL,
                             "no layout of %g GPUs divides a model of %g "
                             "layers and %g heads under the fixed fields",
                             pr.gpus, pr.layers, pr.heads);
        return gpb__fail(err, GPB_ERANGE,
                         "no layout fits: the leanest (TP %g, PP %g, "
                         "micro-batch %g, ZeRO %d, %s recomputation) needs "
                         "%.1f GB per GPU and %.1f GB is usable; add GPUs "
                         "or use a card with more memory",
                         least_lay.tp, least_lay.pp, least_lay.micro_batch,
                         (int)least_lay.zero,
                         least_lay.recompute == GPB_RECOMPUTE_FULL
                             ? "full"
                         : least_lay.recompute == GPB_RECOMPUTE_SELECTIVE
                             ? "selective"
                             : "no",
                         least_mem / 1e9, pr.usable / 1e9);
    }
    best.layouts_tried = tried;
    best.layouts_fit = fit;
    *out = best;
    return GPB_OK;
}
