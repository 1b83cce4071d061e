/*
 * Tests for the parallelism planner and its intervals
 * (include/gpubudget/plan.h).
 *
 * The throughput model is checked against Megatron-LM's measured
 * throughput (Narayanan et al. 2021, Table 1), and a layout worked by hand;
 * the intervals against the published runs, leaving each out in turn.
 * Every tolerance is stated where it is used.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/plan.h"
#include "test_util.h"

#define EXACT 1e-12

static const gpb_gpu *card(const char *name)
{
    const gpb_gpu *g = NULL;
    gpb_error e;
    ck_assert_msg(gpb_hardware_gpu_find(name, &g, &e) == GPB_OK, "%s",
                  e.message);
    return g;
}

/* ------------------------------------------------------------------------ */
/* Megatron-LM, Table 1                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Narayanan, Shoeybi, Casper, et al., "Efficient Large-Scale Language
 * Model Training on GPU Clusters Using Megatron-LM", SC'21,
 * arXiv:2104.04473, Table 1 ("Weak-scaling throughput for GPT models
 * ranging from 1 billion to 1 trillion parameters"), on Selene (DGX A100
 * 80GB, 8 x 200 Gb/s HDR per node). All models: vocabulary 51,200,
 * sequence 2,048 (sec. 5.1; also the Megatron-LM README of that time).
 * Columns: parameters (billions), heads, hidden, layers, tensor and
 * pipeline degrees, GPUs, batch (sequences), achieved TFLOP/s per GPU.
 * The 1T row's 163 TFLOP/s, 52% of peak and 502 PFLOP/s on 3,072 GPUs are
 * also in the paper's abstract.
 */
static const struct megatron_row {
    double billions, heads, hidden, layers, tp, pp, gpus, batch, tflops;
} megatron[] = {
    {1.7, 24, 2304, 24, 1, 1, 32, 512, 137},
    {3.6, 32, 3072, 30, 2, 1, 64, 512, 138},
    {7.5, 32, 4096, 36, 4, 1, 128, 512, 142},
    {18.4, 48, 6144, 40, 8, 1, 256, 1024, 135},
    {39.1, 64, 8192, 48, 8, 2, 512, 1536, 138},
    {76.1, 80, 10240, 60, 8, 4, 1024, 1792, 140},
    {145.6, 96, 12288, 80, 8, 8, 1536, 2304, 148},
    {310.1, 128, 16384, 96, 8, 16, 1920, 2160, 155},
    {529.6, 128, 20480, 105, 8, 35, 2520, 2520, 163},
    {1008.0, 160, 25600, 128, 8, 64, 3072, 3072, 163},
};
#define N_MEGATRON (sizeof megatron / sizeof megatron[0])
#define MEGATRON_V 51200.0
#define MEGATRON_S 2048.0

/* The paper's parameter count, sec. 5.1:
   P = 12·l·h²·(1 + 13/(12h) + (V + s)/(12·l·h)). */
static double megatron_params(const struct megatron_row *r)
{
    double l = r->layers, h = r->hidden;
    return 12 * l * h * h *
           (1 + 13 / (12 * h) + (MEGATRON_V + MEGATRON_S) / (12 * l * h));
}

/* The paper's FLOPs per iteration, eq. (3), counting recomputation:
   F = 96·B·s·l·h²·(1 + s/(6h) + V/(16·l·h)). Its achieved TFLOP/s per
   GPU are F / (iteration time · GPUs). */
static double megatron_flops(const struct megatron_row *r)
{
    double l = r->layers, h = r->hidden, s = MEGATRON_S;
    return 96 * r->batch * s * l * h * h *
           (1 + s / (6 * h) + MEGATRON_V / (16 * l * h));
}

/* The transcription: the shapes give the paper's parameter column, to
   the 0.1B it prints (half a unit of the last digit, relative). */
START_TEST(test_megatron_transcription)
{
    for (size_t i = 0; i < N_MEGATRON; i++) {
        double p = megatron_params(&megatron[i]) / 1e9;
        ck_assert_msg(fabs(p - megatron[i].billions) <= 0.05 + 1e-9,
                      "row %zu: shapes give %.2fB, the table says %.1fB", i,
                      p, megatron[i].billions);
    }
}
END_TEST

/*
 * The model at each row's own layout (MEGATRON_2021 software, full
 * recomputation as the paper's FLOP count assumes, no ZeRO, the 1F1B
 * schedule without interleaving; micro-batch chosen), compared with the
 * measured TFLOP/s. Tolerance: 15% per row (issue 15). The one free
 * constant, plan.c's SOFTWARE_EFF, was set on the 145.6B row; the other
 * nine are out of sample. On the day of writing: all 10 within 15%, the
 * worst -12.2% (7.5B), the mean absolute error 4.4%.
 */
START_TEST(test_megatron_table1)
{
    const gpb_gpu *a100 = card("A100-80GB");
    size_t within = 0;
    double worst = 0, sum_abs = 0;
    for (size_t i = 0; i < N_MEGATRON; i++) {
        const struct megatron_row *r = &megatron[i];
        gpb_plan_spec s;
        gpb_plan_spec_default(&s);
        s.params = megatron_params(r);
        s.n_layer = r->layers;
        s.d_model = r->hidden;
        s.n_head = r->heads;
        s.vocab = MEGATRON_V;
        s.seq_len = MEGATRON_S;
        s.global_batch_tokens = r->batch * MEGATRON_S;
        s.software = GPB_PLAN_SW_MEGATRON_2021;
        s.gpu = a100;
        s.gpus = r->gpus;
        s.tp = r->tp;
        s.pp = r->pp;
        s.interleave = 1;
        s.recompute_fixed = 1;
        s.recompute = GPB_RECOMPUTE_FULL;
        s.zero = GPB_PLAN_ZERO_0;
        gpb_plan_result res;
        gpb_error e;
        ck_assert_msg(gpb_plan_choose(&s, &res, &e) == GPB_OK, "row %zu: %s",
                      i, e.message);
        ck_assert(res.layout.tp == r->tp && res.layout.pp == r->pp);
        /* The batch is whole micro-batches already: nothing rounded. */
        ck_assert_rel(res.global_batch_tokens, r->batch * MEGATRON_S, EXACT);
        double tflops = megatron_flops(r) / (res.step_s * r->gpus) / 1e12;
        double rel = tflops / r->tflops - 1;
        fprintf(stderr,
                "megatron %7.1fB  model %5.1f  paper %3.0f TFLOP/s  "
                "%+5.1f%%  (micro-batch %g, bound: %s)\n",
                r->billions, tflops, r->tflops, 100 * rel,
                res.layout.micro_batch, gpb_plan_term_name(res.bound));
        ck_assert_msg(fabs(rel) <= 0.15,
                      "%.1fB: model %.1f TFLOP/s vs paper %.0f (%+.1f%%)",
                      r->billions, tflops, r->tflops, 100 * rel);
        within += fabs(rel) <= 0.15;
        sum_abs += fabs(rel);
        if (fabs(rel) > fabs(worst))
            worst = rel;
    }
    fprintf(stderr, "megatron: %zu of %zu rows within 15%%, worst %+.1f%%, "
                    "mean |error| %.1f%%\n",
            within, N_MEGATRON, 100 * worst, 100 * sum_abs / N_MEGATRON);
    ck_assert_uint_eq(within, N_MEGATRON);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* A layout worked by hand                                                   */
/* ------------------------------------------------------------------------ */

/*
 * A 64.7B model shaped like Llama 2 70B without grouped-query attention:
 * 80 layers of width 8192 (64 heads), vocabulary 32,000, so
 *   params = 80 · 12 · 8192² + 32000 · 8192
 *          = 64,424,509,440 + 262,144,000 = 64,686,653,440,
 * on 64 H100s (80e9 bytes, 90% usable: 72e9), 4,096-token sequences,
 * 4,194,304 tokens per step, TP fixed at 8, full recomputation, no ZeRO,
 * micro-batch 1, no interleaving; the planner chooses PP.
 *
 * PP 1: all 80 layers on each GPU, 64,686,653,440 / 8 = 8,085,831,680
 * parameters x 16 bytes = 129,373,306,880 bytes: does not fit.
 *
 * PP 2: 40 layers + the embeddings per stage:
 *   (40 · 805,306,368 + 262,144,000) / 8 = 4,059,299,840 parameters,
 *   x 16 bytes = 64,948,797,440 bytes of model state.
 * Activations on the first stage, sequence-parallel over 8:
 *   each layer's input under full recomputation, 2·s·b·h / 8 =
 *   2 · 4096 · 8192 / 8 = 8,388,608 bytes, x 40 layers x 2 micro-batches
 *   in flight (1F1B keeps min(p, m) = 2) = 671,088,640;
 *   plus one layer rebuilt during backward, 34·s·b·h / 8 = 142,606,336
 *   (FlashAttention: no score matrix);
 *   = 813,694,976 bytes. (The last stage holds 335,544,320 + 142,606,336
 *   + 4·s·b·V/8 = 65,536,000 of logits = 543,686,656: less.)
 * Total 65,762,492,416 bytes: 91% of the 72e9 usable. It just fits.
 *
 * PP 4 and 8 fit too but add bubble slots ((p - 1) of 256 micro-batches)
 * for no gain, so the planner keeps PP 2.
 */
START_TEST(test_layout_worked_by_hand)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = 64686653440.0;
    s.n_layer = 80;
    s.d_model = 8192;
    s.n_head = 64;
    s.vocab = 32000;
    s.seq_len = 4096;
    s.global_batch_tokens = 4194304;
    s.gpu = card("H100");
    s.gpus = 64;
    s.tp = 8;
    s.micro_batch = 1;
    s.interleave = 1;
    s.recompute_fixed = 1;
    s.recompute = GPB_RECOMPUTE_FULL;
    s.zero = GPB_PLAN_ZERO_0;
    gpb_plan_result r;
    gpb_error e;
    ck_assert_msg(gpb_plan_choose(&s, &r, &e) == GPB_OK, "%s", e.message);
    ck_assert(r.layout.tp == 8);
    ck_assert(r.layout.pp == 2);
    ck_assert(r.layout.dp == 4);
    ck_assert(r.layout.micro_batches == 256);
    ck_assert_int_eq(r.fits, 1);
    ck_assert_rel(r.mem_weights_bytes, 2.0 * 4059299840.0, EXACT);
    ck_assert_rel(r.mem_optimizer_bytes, 12.0 * 4059299840.0, EXACT);
    ck_assert_rel(r.mem_activations_bytes, 813694976.0, EXACT);
    ck_assert_rel(r.mem_total_bytes, 65762492416.0, EXACT);
    ck_assert_rel(r.mem_usable_bytes, 72e9, EXACT);
    /* PP 1 (of 4 layouts searched, PP 1, 2, 4, 8) is the one that fails. */
    ck_assert(r.layouts_tried == 4 && r.layouts_fit == 3);

    gpb_plan_layout lay = r.layout;
    lay.pp = 1;
    ck_assert_int_eq(gpb_plan_evaluate(&s, &lay, &r, &e), GPB_OK);
    ck_assert_int_eq(r.fits, 0);
    ck_assert_rel(r.mem_weights_bytes + r.mem_grads_bytes +
                      r.mem_optimizer_bytes,
                  129373306880.0, EXACT);
}
END_TEST

/* The terms add up, and MFU is model FLOPs over peak time. */
START_TEST(test_result_is_consistent)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = 70e9;
    s.gpu = card("H100");
    s.gpus = 512;
    gpb_plan_result r;
    ck_assert_int_eq(gpb_plan_choose(&s, &r, NULL), GPB_OK);
    double sum = 0;
    for (int i = 0; i < GPB_PLAN_TERM_COUNT; i++) {
        ck_assert(r.term_s[i] >= 0);
        sum += r.term_s[i];
    }
    ck_assert_rel(sum, r.step_s, 1e-12);
    ck_assert(r.ideal_s > 0 && r.ideal_s < r.term_s[GPB_PLAN_TERM_GEMM]);
    ck_assert_rel(r.mfu_frac,
                  r.model_flops / (512 * r.peak_flop_per_s * r.step_s), 1e-12);
    ck_assert(r.hfu_frac >= r.mfu_frac);
    ck_assert(r.mfu_frac > 0.2 && r.mfu_frac < GPB_MFU_PUBLISHED_MAX);
    ck_assert(r.layout.tp * r.layout.pp * r.layout.dp == 512);
    ck_assert(r.fits && r.mem_total_bytes <= r.mem_usable_bytes);
    ck_assert(r.bound != GPB_PLAN_TERM_OVERHEAD);
    /* Defaults: 4,096-token sequences, 4M-token batch in whole
       micro-batches, a shape inferred. */
    ck_assert(r.seq_len == 4096);
    ck_assert_int_eq(r.shape_inferred, 1);
    ck_assert(fabs(r.global_batch_tokens - 4194304) <= 4096 * r.layout.dp *
                                                           r.layout.micro_batch);
    ck_assert_rel(r.tokens_per_s, r.global_batch_tokens / r.step_s, 1e-12);
}
END_TEST

/* More GPUs train faster, a faster card trains faster, and the 2021
   software (no sequence parallelism, attention materialised) is slower
   than MODERN at the same layout. */
START_TEST(test_model_directions)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = 13e9;
    s.gpu = card("A100-80GB");
    s.gpus = 64;
    gpb_plan_result r64, r256, rh;
    ck_assert_int_eq(gpb_plan_choose(&s, &r64, NULL), GPB_OK);
    s.gpus = 256;
    ck_assert_int_eq(gpb_plan_choose(&s, &r256, NULL), GPB_OK);
    ck_assert(r256.tokens_per_s > 2.5 * r64.tokens_per_s);
    s.gpu = card("H100");
    ck_assert_int_eq(gpb_plan_choose(&s, &rh, NULL), GPB_OK);
    ck_assert(rh.tokens_per_s > 1.5 * r256.tokens_per_s);

    gpb_plan_layout lay = rh.layout;
    lay.tp = 8;
    lay.recompute = GPB_RECOMPUTE_NONE;
    lay.sequence_parallel = 1;
    gpb_plan_result m, o;
    ck_assert_int_eq(gpb_plan_evaluate(&s, &lay, &m, NULL), GPB_OK);
    s.software = GPB_PLAN_SW_MEGATRON_2021;
    ck_assert_int_eq(gpb_plan_evaluate(&s, &lay, &o, NULL), GPB_OK);
    ck_assert(o.step_s > m.step_s);
    ck_assert(o.mem_activations_bytes > m.mem_activations_bytes);
    ck_assert_int_eq(o.layout.sequence_parallel, 1);
}
END_TEST

/* A mixture of experts: memory sized by all parameters, compute by the
   active ones, and experts spread over data-parallel ranks. */
START_TEST(test_moe)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = 671e9;
    s.active_params = 37e9;
    s.n_experts = 256;
    s.moe_top_k = 8;
    s.gpu = card("H800");
    s.gpus = 2048;
    gpb_plan_result r;
    gpb_error e;
    ck_assert_msg(gpb_plan_choose(&s, &r, &e) == GPB_OK, "%s", e.message);
    ck_assert(r.layout.ep > 1);
    ck_assert(r.term_s[GPB_PLAN_TERM_MOE_A2A] > 0);
    /* The model FLOPs are those of the active parameters (plus attention):
       within 10% of 6 · 37e9 per token. */
    ck_assert_rel(r.model_flops / r.global_batch_tokens, 6 * 37e9, 0.10);
    /* Adam's state (GPB_TRAIN_BYTES_PER_PARAM_ADAM − 4 = 12 bytes a
       parameter) is held once for every parameter however it is sharded:
       over the cluster at least 12 · 671e9 = 8.05 TB, 3.93 GB a GPU (a
       review found 0.23 GB: experts' state sharded over all d ranks, not
       over their d/ep replicas). At most the busiest stage's share, which
       rounds its layers up: within 10% here. */
    double adam = (GPB_TRAIN_BYTES_PER_PARAM_ADAM - 4.0) * 671e9 / 2048;
    ck_assert_msg(r.mem_optimizer_bytes >= 0.99 * adam &&
                      r.mem_optimizer_bytes <= 1.10 * adam,
                  "optimizer %.3g bytes a GPU, at least %.3g",
                  r.mem_optimizer_bytes, adam);
    /* A dense model has no all-to-all. */
    s.params = 37e9;
    s.active_params = 0;
    s.n_experts = 0;
    s.moe_top_k = 0;
    ck_assert_int_eq(gpb_plan_choose(&s, &r, NULL), GPB_OK);
    ck_assert(r.term_s[GPB_PLAN_TERM_MOE_A2A] == 0);
    ck_assert(r.layout.ep == 1);
}
END_TEST

/* GPT-3 175B's published shape (Brown et al. 2020, Table 2.1: 96 layers,
   12288 wide, 96 heads) from its parameter count, worked by hand:
   N_nonembed = 175e9 - 32000·h settles near 174.6e9; l0 =
   (174.6e9 / (12·128²))^(1/3) = 96.1; heads = sqrt(174.6e9 / (12·96)) /
   128 = 96.2, rounded to a multiple of 8: 96, h = 12288; l = (175e9 -
   32000·12288) / (12·12288²) = 96.4, so 96. A 7B model: h = 4096 (32
   heads), l = (7e9 - 32000·4096) / (12·4096²) = 34.1, so 34 (Llama 2 7B
   has 32 layers of 4096 and 6.7B parameters). */
START_TEST(test_shape)
{
    double l, h, a;
    ck_assert_int_eq(gpb_plan_shape(175e9, 32000, &l, &h, &a, NULL), GPB_OK);
    ck_assert(l == 96 && h == 12288 && a == 96);
    ck_assert_int_eq(gpb_plan_shape(7e9, 32000, &l, &h, &a, NULL), GPB_OK);
    ck_assert(l == 34 && h == 4096 && a == 32);
    /* Heads are multiples of 8 so that TP 8 divides them. */
    for (double p = 1e9; p < 2e12; p *= 1.7) {
        ck_assert_int_eq(gpb_plan_shape(p, 32000, &l, &h, &a, NULL), GPB_OK);
        ck_assert(fmod(a, 8) == 0 && h == 128 * a && l >= 2);
        /* The count is kept to half a layer. */
        ck_assert(fabs(l * 12 * h * h + 32000 * h - p) <= 6 * h * h + 1);
    }
    ck_assert_fail(gpb_plan_shape(0, 32000, &l, &h, &a, err), GPB_EINVAL,
                   "params");
    ck_assert_fail(gpb_plan_shape(1e9, -1, &l, &h, &a, err), GPB_EINVAL,
                   "vocab");
    ck_assert_fail(gpb_plan_shape(1e9, 32000, NULL, &h, &a, err), GPB_EINVAL,
                   "n_layer");
    /* 10M parameters are all embedding at this vocabulary. */
    ck_assert_fail(gpb_plan_shape(10e6, 32000, &l, &h, &a, err), GPB_ERANGE,
                   "too small");
}
END_TEST

START_TEST(test_terms)
{
    for (int i = 0; i < GPB_PLAN_TERM_COUNT; i++) {
        ck_assert_str_ne(gpb_plan_term_name((gpb_plan_term)i), "unknown");
        ck_assert_str_ne(gpb_plan_term_text((gpb_plan_term)i), "unknown");
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(gpb_plan_term_name((gpb_plan_term)i),
                             gpb_plan_term_name((gpb_plan_term)j));
    }
    ck_assert_str_eq(gpb_plan_term_name(GPB_PLAN_TERM_TP_COMM), "tp_comm");
    ck_assert_str_eq(gpb_plan_term_name((gpb_plan_term)GPB_PLAN_TERM_COUNT),
                     "unknown");
    ck_assert_str_eq(gpb_plan_term_text((gpb_plan_term)-1), "unknown");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Invalid input                                                             */
/* ------------------------------------------------------------------------ */

static void base_spec(gpb_plan_spec *s)
{
    gpb_plan_spec_default(s);
    s->params = 7e9;
    s->gpu = card("H100");
    s->gpus = 16;
}

START_TEST(test_spec_invalid)
{
    gpb_plan_spec s;
    gpb_plan_result r;
    gpb_plan_spec_default(NULL);
    ck_assert_fail(gpb_plan_choose(NULL, &r, err), GPB_EINVAL, "spec");
    base_spec(&s);
    ck_assert_fail(gpb_plan_choose(&s, NULL, err), GPB_EINVAL, "out");
    s.gpu = NULL;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.gpu");
    base_spec(&s);
    s.params = 0;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.params");
    s.params = NAN;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.params");
    s.params = 1e16;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_ERANGE, "spec.params");
    base_spec(&s);
    s.active_params = 8e9;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_ERANGE,
                   "spec.active_params");
    base_spec(&s);
    s.n_experts = 8;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL,
                   "spec.active_params");
    s.n_experts = 2.5;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL,
                   "spec.n_experts");
    base_spec(&s);
    s.gpus = 0;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.gpus");
    s.gpus = 1.5;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.gpus");
    base_spec(&s);
    s.n_layer = 32;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "all three");
    s.d_model = 4001;
    s.n_head = 32;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "multiple");
    base_spec(&s);
    s.usable_mem_frac = 1.5;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_ERANGE,
                   "spec.usable_mem_frac");
    base_spec(&s);
    s.seq_len = -1;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.seq_len");
    base_spec(&s);
    s.tp = 3;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "no layout");
    base_spec(&s);
    s.tp = 1.5;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.tp");
    base_spec(&s);
    s.zero = (gpb_plan_zero)7;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL, "spec.zero");
    base_spec(&s);
    s.recompute_fixed = 1;
    s.recompute = (gpb_recompute)9;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL,
                   "spec.recompute");
    /* Top-k routes among the experts: more than there are, a part of
       one, or without experts, is refused (a review found top-k 16 of 8
       accepted). */
    base_spec(&s);
    s.active_params = s.params / 4;
    s.n_experts = 8;
    s.moe_top_k = 16;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL,
                   "exceeds spec.n_experts");
    s.moe_top_k = 1.5;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL,
                   "spec.moe_top_k");
    s.moe_top_k = 8;
    ck_assert_int_eq(gpb_plan_choose(&s, &r, NULL), GPB_OK);
    s.n_experts = 0;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL,
                   "give spec.n_experts");
    base_spec(&s);
    s.software = (gpb_plan_software)5;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EINVAL,
                   "spec.software");
    base_spec(&s);
    s.precision = GPB_PREC_FP8;
    s.gpu = card("A100");
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EUNSUPPORTED, "fp8");
}
END_TEST

START_TEST(test_cluster_invalid)
{
    gpb_plan_spec s;
    gpb_plan_result r;
    /* TPU v4: no node model in the catalog. */
    base_spec(&s);
    s.gpu = card("TPU-v4");
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EUNSUPPORTED,
                   "spec.node_gpus");
    /* L40S: no network figure; one server of 8 is fine, 16 are not,
       unless the caller gives the bandwidth. */
    base_spec(&s);
    s.gpu = card("L40S");
    s.params = 1e9;
    s.gpus = 8;
    ck_assert_int_eq(gpb_plan_choose(&s, &r, NULL), GPB_OK);
    s.gpus = 16;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_EUNSUPPORTED,
                   "spec.inter_node_bw_bytes_per_s");
    s.inter_node_bw_bytes_per_s = 12.5e9;
    ck_assert_int_eq(gpb_plan_choose(&s, &r, NULL), GPB_OK);
    /* Nothing fits: a 1T model on 8 GPUs. */
    base_spec(&s);
    s.params = 1e12;
    s.gpus = 8;
    ck_assert_fail(gpb_plan_choose(&s, &r, err), GPB_ERANGE,
                   "no layout fits");
}
END_TEST

START_TEST(test_layout_invalid)
{
    gpb_plan_spec s;
    base_spec(&s);
    gpb_plan_layout lay = {0};
    lay.tp = 4;
    lay.pp = 1;
    lay.micro_batch = 1;
    lay.zero = GPB_PLAN_ZERO_1;
    gpb_plan_result r;
    ck_assert_int_eq(gpb_plan_evaluate(&s, &lay, &r, NULL), GPB_OK);
    ck_assert(r.layout.dp == 4 && r.layout.interleave == 1);
    ck_assert_fail(gpb_plan_evaluate(&s, NULL, &r, err), GPB_EINVAL,
                   "layout");
    ck_assert_fail(gpb_plan_evaluate(&s, &lay, NULL, err), GPB_EINVAL, "out");
    lay.tp = 16; /* beyond an 8-GPU node */
    ck_assert_fail(gpb_plan_evaluate(&s, &lay, &r, err), GPB_EINVAL,
                   "layout.tp");
    lay.tp = 3;
    ck_assert_fail(gpb_plan_evaluate(&s, &lay, &r, err), GPB_EINVAL,
                   "layout.tp");
    lay.tp = 4;
    lay.pp = 100; /* more stages than layers */
    ck_assert_fail(gpb_plan_evaluate(&s, &lay, &r, err), GPB_EINVAL,
                   "layout.pp");
    lay.pp = 1;
    lay.micro_batch = 0;
    ck_assert_fail(gpb_plan_evaluate(&s, &lay, &r, err), GPB_EINVAL,
                   "layout.micro_batch");
    lay.micro_batch = 1;
    lay.zero = GPB_PLAN_ZERO_AUTO;
    ck_assert_fail(gpb_plan_evaluate(&s, &lay, &r, err), GPB_EINVAL,
                   "layout.zero");
    lay.zero = GPB_PLAN_ZERO_1;
    lay.recompute = (gpb_recompute)4;
    ck_assert_fail(gpb_plan_evaluate(&s, &lay, &r, err), GPB_EINVAL,
                   "layout.recompute");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Published runs and intervals                                              */
/* ------------------------------------------------------------------------ */

START_TEST(test_runs_table)
{
    size_t n = gpb_plan_run_count();
    ck_assert_uint_ge(n, 15);
    ck_assert_ptr_null(gpb_plan_run_at(n));
    size_t reported = 0, newer = 0;
    for (size_t i = 0; i < n; i++) {
        const gpb_plan_run *r = gpb_plan_run_at(i);
        ck_assert_ptr_nonnull(r);
        ck_assert_uint_ge(strlen(r->source), 20);
        ck_assert_uint_ge(strlen(r->date), 4);
        ck_assert_ptr_nonnull(r->notes);
        const gpb_gpu *g = card(r->gpu);
        ck_assert(r->gpus >= 1 && r->params > 0 && r->tokens > 0 &&
                  r->gpu_hours > 0 && r->seq_len > 0 &&
                  r->global_batch_tokens > 0);
        /* An assumed GPU count says so. */
        if (!r->gpus_reported)
            ck_assert_msg(strstr(r->notes, "assumed") != NULL, "%s",
                          r->name);
        reported += r->gpus_reported;
        newer += g->year >= 2022;
        double mfu, gh, ratio;
        gpb_error e;
        ck_assert_msg(gpb_plan_run_ratio(r, &mfu, &gh, &ratio, &e) == GPB_OK,
                      "%s: %s", r->name, e.message);
        ck_assert_rel(ratio, r->gpu_hours / gh, 1e-12);
        /* Realised MFU = ideal / ratio, below any published maximum. */
        ck_assert_msg(mfu / ratio < GPB_MFU_PUBLISHED_MAX,
                      "%s realised %.3f", r->name, mfu / ratio);
        fprintf(stderr, "run %-15s %5.0f %-9s ideal MFU %.3f  realised %.3f"
                        "  ratio %.2f\n",
                r->name, r->gpus, r->gpu, mfu, mfu / ratio, ratio);
    }
    /* Both generations are in the table. */
    ck_assert_uint_ge(reported, n / 2);
    ck_assert_uint_ge(newer, 4);
    ck_assert_fail(gpb_plan_run_ratio(NULL, NULL, NULL, NULL, err),
                   GPB_EINVAL, "run");
}
END_TEST

/*
 * Leave-one-out coverage of P5-P95: about 90% if the interval is honest.
 * Stated tolerance: at least 80% (with 18 runs one run is 5.6 points, and
 * the binomial spread of 18 draws at 90% is about 7 points). On the day
 * of writing: 16 of 18 (88.9%).
 */
START_TEST(test_coverage)
{
    double frac;
    size_t in, n;
    gpb_error e;
    ck_assert_msg(gpb_plan_coverage(&frac, &in, &n, &e) == GPB_OK, "%s",
                  e.message);
    fprintf(stderr, "coverage: %zu of %zu runs inside their leave-one-out "
                    "P5-P95 (%.1f%%)\n",
            in, n, 100 * frac);
    ck_assert_uint_eq(n, gpb_plan_run_count());
    ck_assert_rel(frac, (double)in / (double)n, EXACT);
    ck_assert(frac >= 0.80);
    ck_assert_int_eq(gpb_plan_coverage(NULL, &in, NULL, NULL), GPB_OK);
    ck_assert_fail(gpb_plan_coverage(NULL, NULL, NULL, err), GPB_EINVAL,
                   "output");
}
END_TEST

/* The interval a user would get for a published run, with that run left
   out of the fit. */
static void run_interval(const char *name, gpb_plan_interval *o,
                         double *reported)
{
    size_t i;
    const gpb_plan_run *run = NULL;
    for (i = 0; i < gpb_plan_run_count(); i++) {
        run = gpb_plan_run_at(i);
        if (strcmp(run->name, name) == 0)
            break;
    }
    ck_assert_uint_lt(i, gpb_plan_run_count());
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = run->params;
    s.seq_len = run->seq_len;
    s.global_batch_tokens = run->global_batch_tokens;
    s.gpu = card(run->gpu);
    s.gpus = run->gpus;
    s.inter_node_bw_bytes_per_s = run->inter_node_bw_bytes_per_s;
    gpb_plan_result r;
    ck_assert_int_eq(gpb_plan_choose(&s, &r, NULL), GPB_OK);
    gpb_plan_interval_spec is;
    gpb_plan_interval_spec_default(&is);
    is.flops = r.model_flops / r.global_batch_tokens * run->tokens;
    is.gpus = run->gpus;
    is.peak_flop_per_s = r.peak_flop_per_s;
    is.ideal_mfu_frac = r.mfu_frac;
    is.gpu = s.gpu;
    is.leave_out = (long)i;
    gpb_error e;
    ck_assert_msg(gpb_plan_interval_compute(&is, o, &e) == GPB_OK, "%s",
                  e.message);
    *reported = run->gpu_hours;
}

/*
 * Two published runs, each left out of the fit: the reported GPU-hours
 * fall inside P5-P95, and the P50 is within 40% of them (the fit's
 * residual standard deviation is about 0.44 in log terms, so 40% is
 * within one). Llama 2 70B (A100, 1.72M GPU-hours; on the day of writing
 * P50 2.2M, +28%) and BLOOM-176B (A100, 1.08M; P50 within 5%).
 */
START_TEST(test_p50_on_published_runs)
{
    const char *names[] = {"Llama-2-70B", "BLOOM-176B"};
    for (size_t k = 0; k < 2; k++) {
        gpb_plan_interval o;
        double rep;
        run_interval(names[k], &o, &rep);
        fprintf(stderr, "%s: reported %.3g GPU-h; P5 %.3g P50 %.3g P95 "
                        "%.3g\n",
                names[k], rep, o.gpu_hours.p5, o.gpu_hours.p50,
                o.gpu_hours.p95);
        ck_assert(rep >= o.gpu_hours.p5 && rep <= o.gpu_hours.p95);
        ck_assert_rel(o.gpu_hours.p50, rep, 0.40);
        ck_assert_uint_eq((size_t)o.runs_used, gpb_plan_run_count() - 1);
    }
}
END_TEST

static void spec_70b_h100(gpb_plan_interval_spec *is, gpb_plan_result *r)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = 70e9;
    s.gpu = card("H100");
    s.gpus = 512;
    ck_assert_int_eq(gpb_plan_choose(&s, r, NULL), GPB_OK);
    gpb_plan_interval_spec_default(is);
    is->flops = 6 * 70e9 * 2e12;
    is->gpus = 512;
    is->peak_flop_per_s = r->peak_flop_per_s;
    is->ideal_mfu_frac = r->mfu_frac;
    is->gpu = s.gpu;
}

/* One more GPU is never slower: 1001 H100s (7 × 11 × 13) once forced
   TP1 × PP7 × DP143 at MFU 0.273, against 0.443 on 1000 (a user review).
   The best layout of the whole nodes below runs, one card idles, and the
   MFU counts every card: 1000/1001 of the 1000-GPU figure, exactly. */
START_TEST(test_choose_idles_a_card_that_does_not_factor)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = 70e9;
    s.gpu = card("H100");
    s.gpus = 1000;
    gpb_plan_result r1000, r1001;
    ck_assert_int_eq(gpb_plan_choose(&s, &r1000, NULL), GPB_OK);
    ck_assert(gpb_plan_idle_gpus(&r1000.layout, 1000) == 0);
    s.gpus = 1001;
    ck_assert_int_eq(gpb_plan_choose(&s, &r1001, NULL), GPB_OK);
    ck_assert(gpb_plan_idle_gpus(&r1001.layout, 1001) == 1);
    ck_assert_rel(r1001.tokens_per_s, r1000.tokens_per_s, EXACT);
    ck_assert_rel(r1001.mfu_frac, r1000.mfu_frac * 1000 / 1001, EXACT);
    /* A count that factors keeps all its cards. */
    s.gpus = 1024;
    ck_assert_int_eq(gpb_plan_choose(&s, &r1001, NULL), GPB_OK);
    ck_assert(gpb_plan_idle_gpus(&r1001.layout, 1024) == 0);
}
END_TEST

/* An ideal MFU above the best published (0.55, a small cluster's model)
   is cut like any other: the interval's MFU never exceeds 0.55, so its
   ratio never falls below ideal / 0.55 (it once stopped at 1, reaching
   the ideal 0.614; a user review). A given MFU above 0.55 is the
   caller's own figure, and its interval reaches it. */
START_TEST(test_interval_censored_above_published)
{
    gpb_plan_interval_spec is;
    gpb_plan_result r;
    spec_70b_h100(&is, &r);
    is.ideal_mfu_frac = 0.614;
    gpb_plan_interval o;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    ck_assert_rel(o.ratio.p5, 0.614 / GPB_MFU_PUBLISHED_MAX, EXACT);
    ck_assert(o.mfu_frac.p95 <= GPB_MFU_PUBLISHED_MAX * (1 + EXACT));
    double gh;
    ck_assert_int_eq(gpb_compute_gpu_hours(is.flops, is.peak_flop_per_s,
                                           GPB_MFU_PUBLISHED_MAX, &gh, NULL),
                     GPB_OK);
    ck_assert_rel(o.gpu_hours.p5, gh, 1e-9);
    is.ideal_mfu_frac = 0.45;
    is.user_mfu_frac = 0.614;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    ck_assert(o.ratio.p5 >= 1 - EXACT);
}
END_TEST

START_TEST(test_interval_shape)
{
    gpb_plan_interval_spec is;
    gpb_plan_result r;
    spec_70b_h100(&is, &r);
    gpb_plan_interval o;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    /* Ideal figures: the compute layer's, at the ideal MFU. */
    double gh;
    ck_assert_int_eq(gpb_compute_gpu_hours(is.flops, is.peak_flop_per_s,
                                           is.ideal_mfu_frac, &gh, NULL),
                     GPB_OK);
    ck_assert_rel(o.ideal_gpu_hours, gh, EXACT);
    ck_assert_rel(o.ideal_days, gh / 512 / 24, EXACT);
    ck_assert_rel(o.ideal_card_months, gh / GPB_HOURS_PER_MONTH, EXACT);
    /* Ordered quantiles, consistent scalings. */
    ck_assert(o.ratio.p5 < o.ratio.p50 && o.ratio.p50 < o.ratio.p95);
    ck_assert_rel(o.gpu_hours.p50, gh * o.ratio.p50, EXACT);
    ck_assert_rel(o.days.p95, o.gpu_hours.p95 / 512 / 24, 1e-12);
    ck_assert_rel(o.card_months.p5, o.gpu_hours.p5 / GPB_HOURS_PER_MONTH,
                  1e-12);
    ck_assert_rel(o.mfu_frac.p5, is.ideal_mfu_frac / o.ratio.p95, EXACT);
    /* Censored at the best published MFU: never above 0.55. */
    ck_assert(o.mfu_frac.p95 <= GPB_MFU_PUBLISHED_MAX * (1 + 1e-12));
    ck_assert(o.gpu_hours.p5 >=
              is.flops / (is.peak_flop_per_s * GPB_MFU_PUBLISHED_MAX * 3600) *
                  (1 - 1e-12));
    /* Cost: the pricing rule for the H100 (hardware.h): lognormal, median
       the catalog's $4.44 (the middle of Hyperstack's $3.20 and
       CoreWeave's $6.16), 90% within $4.44 ×/÷ sqrt(6.16 / 3.20).
       Its median lies between the GPU-hour median at the two ends, and
       the ideal cost is at the median price. */
    const double mid = 4.44, w = sqrt(6.16 / 3.20);
    ck_assert(o.price_low == mid / w && o.price_high == mid * w);
    ck_assert_int_eq(o.price_shape, GPB_PLAN_PRICE_LOGNORMAL90);
    ck_assert(o.cost.p5 < o.cost.p50 && o.cost.p50 < o.cost.p95);
    ck_assert(o.cost.p50 > o.gpu_hours.p50 * 3.20 &&
              o.cost.p50 < o.gpu_hours.p50 * 6.17);
    ck_assert_rel(o.ideal_cost, gh * mid, 1e-12);
    /* Two independent factors symmetric in logs (a t and a normal): the
       cost's P50 would be the product of the medians, but the censoring
       of the ratio at MFU 0.55 lifts the lowest GPU-hours, and with them
       the cost's median, a little: at least the product, within 5%. */
    ck_assert(o.cost.p50 >= o.gpu_hours.p50 * mid * (1 - 1e-9));
    ck_assert_rel(o.cost.p50, o.gpu_hours.p50 * mid, 0.05);
    ck_assert_int_eq(o.narrowed, 0);
    ck_assert_uint_eq((size_t)o.runs_used, gpb_plan_run_count());
    ck_assert(o.dof == o.runs_used - 3);

    /* One price: each cost quantile is the GPU-hour quantile times it. */
    is.price_low_per_gpu_hour = is.price_high_per_gpu_hour = 2;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    ck_assert_rel(o.cost.p5, 2 * o.gpu_hours.p5, EXACT);
    ck_assert_rel(o.cost.p95, 2 * o.gpu_hours.p95, EXACT);

    /* A range: each cost quantile lies strictly between the GPU-hour
       quantile priced at the two ends of the range; the ideal cost is at
       the median price, sqrt(1 · 3) for the lognormal, 2 uniform. */
    is.price_low_per_gpu_hour = 1;
    is.price_high_per_gpu_hour = 3;
    for (int shape = 0; shape < 2; shape++) {
        is.price_shape = (gpb_plan_price_shape)shape;
        ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
        ck_assert_int_eq(o.price_shape, shape);
        ck_assert(o.cost.p50 > o.gpu_hours.p50 * 1 &&
                  o.cost.p50 < o.gpu_hours.p50 * 3);
        ck_assert(o.cost.p5 > o.gpu_hours.p5 * 1 &&
                  o.cost.p95 < o.gpu_hours.p95 * 3);
        ck_assert_rel(o.ideal_cost,
                      o.ideal_gpu_hours * (shape ? 2.0 : sqrt(3.0)), 1e-12);
    }
    /* The uniform's mass is nearer its ends than the lognormal90's, whose
       5% tails lie outside [1, 3]: a wider spread of cost at the same
       GPU-hours would need the uniform's tails; the lognormal's P95 is
       the higher (its upper 5% lies above 3). */
    gpb_plan_interval uni;
    is.price_shape = GPB_PLAN_PRICE_UNIFORM;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &uni, NULL), GPB_OK);
    is.price_shape = GPB_PLAN_PRICE_LOGNORMAL90;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    ck_assert(o.cost.p95 > uni.cost.p95 * 0.9);
    ck_assert(o.cost.p50 < uni.cost.p50);
    is.price_shape = GPB_PLAN_PRICE_LOGNORMAL90;

    /* No price anywhere: cost is NaN, the rest still there. */
    is.price_low_per_gpu_hour = is.price_high_per_gpu_hour = 0;
    is.gpu = card("A800");
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    ck_assert(isnan(o.cost.p50) && o.gpu_hours.p50 > 0);
}
END_TEST

/* A user's MFU narrows the interval (plan.h): the spread is the goodput
   of runs that report their steady state, not the model's error. */
START_TEST(test_user_mfu_narrows)
{
    gpb_plan_interval_spec is;
    gpb_plan_result r;
    spec_70b_h100(&is, &r);
    gpb_plan_interval wide, narrow;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &wide, NULL), GPB_OK);
    is.user_mfu_frac = 0.4;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &narrow, NULL), GPB_OK);
    ck_assert_int_eq(narrow.narrowed, 1);
    ck_assert_rel(narrow.ideal_mfu_frac, 0.4, EXACT);
    ck_assert(narrow.gpu_hours.p95 / narrow.gpu_hours.p5 <
              wide.gpu_hours.p95 / wide.gpu_hours.p5);
    /* Goodput: a whole run takes at least its steady state at P50. */
    ck_assert(narrow.ratio.p50 >= 1.0);
    ck_assert(narrow.runs_used >= 3);
}
END_TEST

/* mfu: auto: the same prior as a distribution. */
START_TEST(test_mfu_dist)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = 70e9;
    s.gpu = card("H100");
    s.gpus = 512;
    gpb_dist d;
    double ideal;
    gpb_error e;
    ck_assert_msg(gpb_plan_mfu_dist(&s, 0, &d, &ideal, &e) == GPB_OK, "%s",
                  e.message);
    ck_assert_int_eq(d.kind, GPB_DIST_SAMPLES);
    ck_assert_uint_eq(d.n, 199);
    gpb_plan_interval_spec is;
    gpb_plan_result r;
    spec_70b_h100(&is, &r);
    ck_assert_rel(ideal, r.mfu_frac, EXACT);
    gpb_plan_interval o;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    /* P5 and P95 match the interval's to the spacing of 199 points: the
       nearest points sit at probabilities 0.0477 and 0.9523; allow 5%. */
    ck_assert_rel(gpb_dist_quantile(&d, 0.05), o.mfu_frac.p5, 0.05);
    ck_assert_rel(gpb_dist_quantile(&d, 0.5), o.mfu_frac.p50, 0.02);
    ck_assert_rel(gpb_dist_quantile(&d, 0.95), o.mfu_frac.p95, 0.05);
    /* Every value is a valid MFU for a scenario: in (0, 1]. */
    for (size_t i = 0; i < d.n; i++)
        ck_assert(d.data[i] > 0 && d.data[i] <= GPB_MFU_PUBLISHED_MAX +
                                                   1e-12);
    /* In another count of the work: 6·N per token, without the attention
       term the plan counts (6 · 70e9 against the plan's model FLOPs per
       token), the ideal and every value scale by the same k. The
       censoring stays at 0.55 in the plan's count, which counts attention
       as published MFUs do: 0.55·k in the new one (it was 0.55 in the
       caller's count, 8% less time than `plan` allowed the run). */
    double k = 6 * 70e9 / (r.model_flops / r.global_batch_tokens);
    ck_assert(k < 1 && k > 0.9);
    gpb_dist d6;
    double ideal6, m6;
    ck_assert_int_eq(gpb_plan_mfu_dist(&s, 6 * 70e9, &d6, &ideal6, NULL),
                     GPB_OK);
    ck_assert_rel(ideal6, k * ideal, 1e-12);
    ck_assert_int_eq(gpb_plan_result_mfu_for(&r, 6 * 70e9, &m6, NULL),
                     GPB_OK);
    ck_assert_rel(m6, ideal6, 1e-12);
    for (size_t i = 0; i < d.n; i++)
        ck_assert_rel(d6.data[i], k * d.data[i], 1e-12);
    ck_assert_rel(d6.data[d6.n - 1], k * GPB_MFU_PUBLISHED_MAX, 1e-12);
    gpb_dist_free(&d6);
    /* A count three times the plan's: each value three times the plan's,
       and no MFU above 1. */
    ck_assert_int_eq(gpb_plan_mfu_dist(&s, 3 * r.model_flops /
                                               r.global_batch_tokens,
                                       &d6, NULL, NULL),
                     GPB_OK);
    for (size_t i = 0; i < d.n; i++)
        ck_assert_rel(d6.data[i], fmin(1.0, 3 * d.data[i]), 1e-12);
    ck_assert_rel(d6.data[d6.n - 1], 1.0, 1e-12);
    gpb_dist_free(&d6);
    gpb_dist_free(&d);

    /* A failure leaves *out zeroed. */
    ck_assert_fail(gpb_plan_mfu_dist(&s, -1, &d, NULL, err), GPB_EINVAL,
                   "flops_per_token");
    ck_assert_int_eq(d.kind, GPB_DIST_NONE);
    ck_assert_fail(gpb_plan_result_mfu_for(&r, 0, &m6, err), GPB_EINVAL,
                   "flops_per_token");
    ck_assert_fail(gpb_plan_result_mfu_for(NULL, 1, &m6, err), GPB_EINVAL,
                   "r");
    s.gpus = 0;
    ck_assert_fail(gpb_plan_mfu_dist(&s, 0, &d, NULL, err), GPB_EINVAL,
                   "spec.gpus");
    ck_assert_int_eq(d.kind, GPB_DIST_NONE);
    ck_assert_fail(gpb_plan_mfu_dist(&s, 0, NULL, NULL, err), GPB_EINVAL,
                   "out");
}
END_TEST

/*
 * The estimate of a run (gpb_plan_estimate_compute), as `estimate` and the
 * cells give it. 70B on 2T tokens on 512 H100s: 6 · 70e9 · 2e12 = 8.4e23
 * FLOPs; the plan's MFU restated for 6·N a token (the plan counts 6·N plus
 * attention: 68 layers of 9216 at 4,096 tokens, 435,401,484,288 a token).
 */
START_TEST(test_estimate)
{
    gpb_plan_estimate_spec es;
    gpb_plan_estimate_spec_default(&es);
    ck_assert_int_eq(es.precision, GPB_PLAN_PRECISION_DEFAULT);
    es.params = 70e9;
    es.tokens = 2e12;
    es.gpu = card("H100");
    es.gpus = 512;
    gpb_plan_estimate o;
    gpb_error e;
    ck_assert_msg(gpb_plan_estimate_compute(&es, &o, &e) == GPB_OK, "%s",
                  e.message);
    ck_assert_int_eq(o.planned, 1);
    ck_assert_rel(o.flops, 8.4e23, EXACT);
    ck_assert_int_eq(o.precision, GPB_PREC_BF16);
    ck_assert_rel(o.plan.model_flops / o.plan.global_batch_tokens,
                  435401484288.0, 1e-12);
    ck_assert_rel(o.model_mfu_frac,
                  o.plan.mfu_frac * 4.2e11 / 435401484288.0, 1e-12);
    /* The GPU-hours are the plan's: its step time over the tokens. */
    ck_assert_rel(o.interval.ideal_gpu_hours,
                  2e12 / o.plan.tokens_per_s * 512 / 3600, 1e-9);
    ck_assert_int_eq(o.interval.narrowed, 0);
    ck_assert_rel(o.interval.price_low, 4.44 / sqrt(6.16 / 3.20), EXACT);
    /* The interval is `plan`'s, censored at 0.55 in the plan's count
       (attention included, as published MFUs): the interval of the plan's
       FLOPs at its MFU gives the same GPU-hours, and its MFUs times k =
       4.2e11 / 435,401,484,288 are the estimate's. It was censored at
       0.55 of 6·N·D, and the two P5s differed. */
    gpb_plan_interval_spec pis;
    gpb_plan_interval_spec_default(&pis);
    pis.flops = 435401484288.0 * 2e12;
    pis.gpus = 512;
    pis.peak_flop_per_s = o.peak_flop_per_s;
    pis.ideal_mfu_frac = o.plan.mfu_frac;
    pis.gpu = es.gpu;
    gpb_plan_interval pi;
    ck_assert_int_eq(gpb_plan_interval_compute(&pis, &pi, NULL), GPB_OK);
    double k = 4.2e11 / 435401484288.0;
    ck_assert_rel(o.interval.gpu_hours.p5, pi.gpu_hours.p5, 1e-9);
    ck_assert_rel(o.interval.gpu_hours.p50, pi.gpu_hours.p50, 1e-9);
    ck_assert_rel(o.interval.gpu_hours.p95, pi.gpu_hours.p95, 1e-9);
    ck_assert_rel(o.interval.cost.p5, pi.cost.p5, 1e-9);
    ck_assert_rel(o.interval.mfu_frac.p95, k * pi.mfu_frac.p95, 1e-9);
    ck_assert_rel(o.interval.ideal_mfu_frac, o.model_mfu_frac, 1e-12);

    /* Full recomputation fixed in the plan: a slower step, so a lower
       MFU, still of the model's 6·N·D (recomputed work trains nothing;
       a review found --recompute reporting the HFU as MFU). */
    double mfu_plain = o.model_mfu_frac;
    es.recompute = 1;
    ck_assert_int_eq(gpb_plan_estimate_compute(&es, &o, NULL), GPB_OK);
    ck_assert_rel(o.flops, 6 * 70e9 * 2e12, EXACT);
    ck_assert_int_eq(o.plan.layout.recompute, GPB_RECOMPUTE_FULL);
    ck_assert(o.model_mfu_frac < mfu_plain);
    ck_assert_rel(o.model_mfu_frac,
                  o.plan.mfu_frac * 4.2e11 / 435401484288.0, 1e-12);
    ck_assert_rel(o.interval.ideal_gpu_hours,
                  2e12 / o.plan.tokens_per_s * 512 / 3600, 1e-9);

    /* A given MFU narrows the interval and is its ideal; its GPU-hours
       are 6·N·D / (peak · MFU), recomputing or not: 8.4e23 / (989.4e12 ·
       0.4 · 3600) = 589,545 h. */
    es.user_mfu_frac = 0.4;
    ck_assert_int_eq(gpb_plan_estimate_compute(&es, &o, NULL), GPB_OK);
    ck_assert_int_eq(o.interval.narrowed, 1);
    ck_assert_rel(o.interval.ideal_mfu_frac, 0.4, EXACT);
    double h_recompute = o.interval.ideal_gpu_hours;
    es.recompute = 0;
    ck_assert_int_eq(gpb_plan_estimate_compute(&es, &o, NULL), GPB_OK);
    ck_assert_rel(o.interval.ideal_gpu_hours, h_recompute, EXACT);
    ck_assert_rel(h_recompute, 8.4e23 / (o.peak_flop_per_s * 0.4 * 3600),
                  1e-12);
    es.user_mfu_frac = 0;

    /* 70B's 1.12 TB of model states on 8 H100s: the model cannot lay it
       out; the card's default (0.40) narrows the interval instead. */
    es.gpus = 8;
    ck_assert_int_eq(gpb_plan_estimate_compute(&es, &o, NULL), GPB_OK);
    ck_assert_int_eq(o.planned, 0);
    ck_assert_ptr_nonnull(strstr(o.why.message, "no layout fits"));
    ck_assert_rel(o.model_mfu_frac, 0.40, EXACT);
    ck_assert_int_eq(o.interval.narrowed, 1);
    ck_assert_rel(o.interval.ideal_mfu_frac, 0.40, EXACT);
    /* So does a GPU count that is not whole. */
    es.gpus = 511.5;
    ck_assert_int_eq(gpb_plan_estimate_compute(&es, &o, NULL), GPB_OK);
    ck_assert_int_eq(o.planned, 0);
    es.gpus = 512;

    /* One price: cost is GPU-hours times it. */
    es.price_low_per_gpu_hour = es.price_high_per_gpu_hour = 2;
    ck_assert_int_eq(gpb_plan_estimate_compute(&es, &o, NULL), GPB_OK);
    ck_assert_rel(o.interval.cost.p50, 2 * o.interval.gpu_hours.p50, EXACT);

    /* Invalid specs. */
    gpb_plan_estimate_spec_default(NULL);
    ck_assert_fail(gpb_plan_estimate_compute(NULL, &o, err), GPB_EINVAL,
                   "spec");
    ck_assert_fail(gpb_plan_estimate_compute(&es, NULL, err), GPB_EINVAL,
                   "out");
    es.tokens = 0;
    ck_assert_fail(gpb_plan_estimate_compute(&es, &o, err), GPB_EINVAL,
                   "spec.tokens");
    es.tokens = 2e12;
    es.gpus = 0;
    ck_assert_fail(gpb_plan_estimate_compute(&es, &o, err), GPB_EINVAL,
                   "spec.gpus");
    es.gpus = 512;
    es.user_mfu_frac = 1.5;
    ck_assert_fail(gpb_plan_estimate_compute(&es, &o, err), GPB_ERANGE,
                   "spec.user_mfu_frac");
    es.user_mfu_frac = 0;
    /* An MFU of 6·N·D that is above 1 counting attention's FLOPs, as the
       interval's ceiling is applied: 7B at 131,072 tokens of context,
       where the plan counts k = 3.6 times 6·N a token. Refused, not taken
       in 6·N·D (which made the interval jump between 0.27 and 0.28). */
    {
        gpb_plan_estimate_spec ls = es;
        ls.params = 7e9;
        ls.tokens = 1e12;
        ls.gpus = 256;
        ls.seq_len = 131072;
        gpb_plan_estimate lo;
        ck_assert_int_eq(gpb_plan_estimate_compute(&ls, &lo, NULL), GPB_OK);
        double kl = gpb_plan_estimate_count_factor(&lo);
        ck_assert(kl > 3 && kl < 4);
        ck_assert_rel(kl, lo.plan.mfu_frac / lo.model_mfu_frac, 1e-15);
        ls.user_mfu_frac = 0.27;
        ck_assert_int_eq(gpb_plan_estimate_compute(&ls, &lo, NULL), GPB_OK);
        ck_assert_rel(lo.interval.mfu_frac.p95, 0.27, 1e-12);
        ls.user_mfu_frac = 0.28;
        ck_assert_fail(gpb_plan_estimate_compute(&ls, &lo, err), GPB_ERANGE,
                       "counting attention's FLOPs");
        ck_assert_rel(gpb_plan_estimate_count_factor(NULL), 1.0, EXACT);
    }
    es.gpu = NULL;
    ck_assert_fail(gpb_plan_estimate_compute(&es, &o, err), GPB_EINVAL,
                   "spec.gpu");
    es.gpu = card("V100");
    es.precision = GPB_PREC_BF16;
    ck_assert_int_ne(gpb_plan_estimate_compute(&es, &o, NULL), GPB_OK);
}
END_TEST

START_TEST(test_interval_invalid)
{
    gpb_plan_interval_spec is;
    gpb_plan_result r;
    gpb_plan_interval o;
    gpb_plan_interval_spec_default(NULL);
    ck_assert_fail(gpb_plan_interval_compute(NULL, &o, err), GPB_EINVAL,
                   "spec");
    spec_70b_h100(&is, &r);
    ck_assert_fail(gpb_plan_interval_compute(&is, NULL, err), GPB_EINVAL,
                   "out");
    is.flops = 0;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.flops");
    spec_70b_h100(&is, &r);
    is.gpus = -1;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.gpus");
    spec_70b_h100(&is, &r);
    is.peak_flop_per_s = NAN;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.peak_flop_per_s");
    spec_70b_h100(&is, &r);
    is.ideal_mfu_frac = 1.5;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_ERANGE,
                   "spec.ideal_mfu_frac");
    is.ideal_mfu_frac = 0;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.ideal_mfu_frac");
    spec_70b_h100(&is, &r);
    is.user_mfu_frac = 2;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_ERANGE,
                   "spec.user_mfu_frac");
    spec_70b_h100(&is, &r);
    is.price_low_per_gpu_hour = 3;
    is.price_high_per_gpu_hour = 2;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.price_low_per_gpu_hour");
    /* A lognormal from 0 has no log; a uniform from 0 is fine. */
    is.price_low_per_gpu_hour = 0;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "GPB_PLAN_PRICE_UNIFORM");
    is.price_shape = GPB_PLAN_PRICE_UNIFORM;
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    is.price_shape = (gpb_plan_price_shape)2;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.price_shape");
    spec_70b_h100(&is, &r);
    is.gpu = NULL;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.gpu");
    is.newer_generation = 1; /* enough without a card */
    ck_assert_int_eq(gpb_plan_interval_compute(&is, &o, NULL), GPB_OK);
    ck_assert(isnan(o.cost.p50));
    is.newer_generation = 2;
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.newer_generation");
    spec_70b_h100(&is, &r);
    is.leave_out = (long)gpb_plan_run_count();
    ck_assert_fail(gpb_plan_interval_compute(&is, &o, err), GPB_EINVAL,
                   "spec.leave_out");
}
END_TEST

static Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("throughput");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_megatron_transcription);
    tcase_add_test(tc, test_megatron_table1);
    tcase_add_test(tc, test_layout_worked_by_hand);
    tcase_add_test(tc, test_result_is_consistent);
    tcase_add_test(tc, test_model_directions);
    tcase_add_test(tc, test_moe);
    tcase_add_test(tc, test_shape);
    tcase_add_test(tc, test_terms);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_test(tc, test_spec_invalid);
    tcase_add_test(tc, test_cluster_invalid);
    tcase_add_test(tc, test_layout_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("intervals");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_runs_table);
    tcase_add_test(tc, test_coverage);
    tcase_add_test(tc, test_p50_on_published_runs);
    tcase_add_test(tc, test_interval_shape);
    tcase_add_test(tc, test_interval_censored_above_published);
    tcase_add_test(tc, test_choose_idles_a_card_that_does_not_factor);
    tcase_add_test(tc, test_user_mfu_narrows);
    tcase_add_test(tc, test_mfu_dist);
    tcase_add_test(tc, test_estimate);
    tcase_add_test(tc, test_interval_invalid);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(plan_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
