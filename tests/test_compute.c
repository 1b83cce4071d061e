/*
 * Tests for the compute layer. Expected values come from published figures
 * or were worked by hand (long multiplication, or 40-digit arithmetic where
 * a power is involved); each check states its tolerance and why.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/compute.h"
#include "test_util.h"

/* Exact arithmetic on these inputs leaves only rounding: 1e-12 relative. */
#define EXACT 1e-12

/* ------------------------------------------------------------------------ */
/* Training FLOPs                                                            */
/* ------------------------------------------------------------------------ */

START_TEST(test_gpt3_train_flops)
{
    double c = 0;
    ck_assert_int_eq(gpb_compute_train_flops(175e9, 300e9, &c, NULL),
                     GPB_OK);
    /* 6 · 175e9 · 300e9 = 3.15e23 exactly. */
    ck_assert_rel(c, 3.15e23, EXACT);
    /* Brown et al. 2020 (Table D.1) report 3.14e23: within 0.5%. */
    ck_assert_rel(c, 3.14e23, 0.005);

    /* Full recomputation: 8 · 175e9 · 300e9 = 4.2e23. */
    ck_assert_int_eq(
        gpb_compute_train_flops_recompute(175e9, 300e9, &c, NULL), GPB_OK);
    ck_assert_rel(c, 4.2e23, EXACT);
}
END_TEST

START_TEST(test_attention_flops)
{
    double f = 0;
    /* GPT-3 175B: 96 layers, n_ctx 2048, d_model 12288 (Brown et al.
     * 2020, Table 2.1). 6 · 96 · 2048 · 12288 = 14,495,514,624 by hand. */
    ck_assert_int_eq(
        gpb_compute_attention_flops_per_token(96, 2048, 12288, &f, NULL),
        GPB_OK);
    ck_assert_rel(f, 14495514624.0, EXACT);
    /* About 1.4% on top of 6N = 1.05e12: Kaplan's "small when d_model >>
     * n_ctx/12". Bound it loosely at 1-2%. */
    ck_assert(f / (6 * 175e9) > 0.01 && f / (6 * 175e9) < 0.02);
}
END_TEST

START_TEST(test_train_spec)
{
    gpb_train_spec s;
    double c = 0;

    /* Dense, no attention term: identical to 6ND. */
    gpb_compute_train_spec_default(&s);
    s.params = 175e9;
    s.tokens = 300e9;
    ck_assert_int_eq(gpb_compute_train_flops_spec(&s, &c, NULL), GPB_OK);
    ck_assert_rel(c, 3.15e23, EXACT);

    /* Mixture of experts uses active parameters: DeepSeek-V3, 671B total,
     * 37B active, 14.8T tokens: 6 · 37e9 · 14.8e12 = 3.2856e24 by hand;
     * Epoch AI quotes ≈ 3.3e24 (within 1%). */
    s.params = 671e9;
    s.active_params = 37e9;
    s.tokens = 14.8e12;
    ck_assert_int_eq(gpb_compute_train_flops_spec(&s, &c, NULL), GPB_OK);
    ck_assert_rel(c, 3.2856e24, EXACT);
    ck_assert_rel(c, 3.3e24, 0.01);

    /* With the attention term (GPT-3 shape): D · (6N + 14,495,514,624)
     * = 300e9 · 1,064,495,514,624 = 3.193486543872e23. */
    gpb_compute_train_spec_default(&s);
    s.params = 175e9;
    s.tokens = 300e9;
    s.n_layer = 96;
    s.n_ctx = 2048;
    s.d_model = 12288;
    ck_assert_int_eq(gpb_compute_train_flops_spec(&s, &c, NULL), GPB_OK);
    ck_assert_rel(c, 3.193486543872e23, EXACT);

    /* Selective: D · (6N + 8/6 · 14,495,514,624) = 300e9 ·
     * (1.05e12 + 19,327,352,832) = 3.2079820584960e23. */
    s.recompute = GPB_RECOMPUTE_SELECTIVE;
    ck_assert_int_eq(gpb_compute_train_flops_spec(&s, &c, NULL), GPB_OK);
    ck_assert_rel(c, 3.207982058496e23, EXACT);

    /* Full: D · (8N + 19,327,352,832) = 300e9 · 1,419,327,352,832
     * = 4.257982058496e23. */
    s.recompute = GPB_RECOMPUTE_FULL;
    ck_assert_int_eq(gpb_compute_train_flops_spec(&s, &c, NULL), GPB_OK);
    ck_assert_rel(c, 4.257982058496e23, EXACT);
}
END_TEST

START_TEST(test_train_invalid)
{
    double c = -1;
    ck_assert_fail(gpb_compute_train_flops(NAN, 1e9, &c, err), GPB_EINVAL,
                   "params");
    ck_assert_fail(gpb_compute_train_flops(1e9, -1, &c, err), GPB_EINVAL,
                   "tokens");
    ck_assert_fail(gpb_compute_train_flops(0, 1e9, &c, err), GPB_EINVAL,
                   "params");
    ck_assert_fail(gpb_compute_train_flops(INFINITY, 1e9, &c, err),
                   GPB_EINVAL, "params");
    ck_assert_fail(gpb_compute_train_flops(1e9, 1e9, NULL, err), GPB_EINVAL,
                   "flops");
    ck_assert_fail(gpb_compute_train_flops(1e300, 1e300, &c, err),
                   GPB_ERANGE, "overflows");
    ck_assert_fail(gpb_compute_train_flops_recompute(1e9, NAN, &c, err),
                   GPB_EINVAL, "tokens");
    ck_assert_fail(gpb_compute_attention_flops_per_token(0, 2048, 1, &c, err),
                   GPB_EINVAL, "n_layer");
    ck_assert_fail(gpb_compute_attention_flops_per_token(1, NAN, 1, &c, err),
                   GPB_EINVAL, "n_ctx");
    ck_assert_fail(gpb_compute_attention_flops_per_token(1, 1, -1, &c, err),
                   GPB_EINVAL, "d_model");
    /* Failure leaves the out-parameter alone. */
    ck_assert(c == -1);
}
END_TEST

START_TEST(test_train_spec_invalid)
{
    gpb_train_spec s;
    double c = -1;

    ck_assert_fail(gpb_compute_train_flops_spec(NULL, &c, err), GPB_EINVAL,
                   "spec");
    gpb_compute_train_spec_default(&s);
    /* The defaults leave params and tokens unset. */
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.params");
    s.params = 7e9;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.tokens");
    s.tokens = 1e12;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, NULL, err), GPB_EINVAL,
                   "flops");
    s.active_params = 8e9;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_ERANGE,
                   "spec.active_params");
    s.active_params = -1;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.active_params");
    s.active_params = NAN;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.active_params");
    s.active_params = 0;
    s.d_model = 4096;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.n_layer");
    s.n_layer = 32;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.n_ctx");
    s.n_ctx = -4096;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.n_ctx");
    s.n_ctx = 4096;
    s.recompute = 7;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.recompute");
    s.recompute = GPB_RECOMPUTE_NONE;
    s.d_model = NAN;
    ck_assert_fail(gpb_compute_train_flops_spec(&s, &c, err), GPB_EINVAL,
                   "spec.d_model");
    ck_assert(c == -1);
    /* And the repaired spec works. */
    s.d_model = 4096;
    ck_assert_int_eq(gpb_compute_train_flops_spec(&s, &c, NULL), GPB_OK);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Time, GPU-hours, card-months                                              */
/* ------------------------------------------------------------------------ */

START_TEST(test_gpt3_lambda)
{
    /*
     * Lambda Labs (Chuan Li, "OpenAI's GPT-3 Language Model: A Technical
     * Overview", 2020): 3.14e23 FLOPs on V100s at 28 TFLOP/s sustained is
     * 355 GPU-years and $4.6M. As peak 125e12 and MFU 28/125:
     * GPU-hours = 3.14e23 / 28e12 / 3600 = 3,115,079.365079365...
     */
    gpb_train_time t;
    ck_assert_int_eq(
        gpb_compute_train_time(3.14e23, 1, 125e12, 28.0 / 125.0, &t, NULL),
        GPB_OK);
    ck_assert_rel(t.gpu_hours, 3115079.3650793651, EXACT);
    /* One GPU: wall hours equal GPU-hours. */
    ck_assert_rel(t.hours, t.gpu_hours, EXACT);
    /* 3,115,079.365 / 8766 h per year = 355.359: 355 within 1%. */
    ck_assert_rel(t.gpu_hours / GPB_HOURS_PER_YEAR, 355.0, 0.01);

    double cost = 0;
    ck_assert_int_eq(gpb_compute_rent_cost(t.gpu_hours, 1.50, &cost, NULL),
                     GPB_OK);
    /* 3,115,079.365 × 1.50 = 4,672,619.048 by hand. */
    ck_assert_rel(cost, 4672619.0476190476, EXACT);
    /*
     * Against the published "$4.6M" the arithmetic is 1.6% high: the post
     * states $4.6M, which 4.67M truncates. The tolerance here is 2%, not
     * the 1% one might hope for, and says exactly that.
     */
    ck_assert_rel(cost, 4.6e6, 0.02);
}
END_TEST

START_TEST(test_qianka_month)
{
    /*
     * 千卡/月: 1000 A100-80GB (bf16 dense 312e12) for one 730.5-hour month
     * at MFU 0.4. By hand: 1000 · 312e12 = 3.12e17; · 0.4 = 1.248e17;
     * · 730.5 = 9.11664e19; · 3600 = 3.2819904e23 FLOPs.
     */
    double c = 0;
    ck_assert_int_eq(gpb_compute_flops_from_gpu_hours(
                         1000 * GPB_HOURS_PER_MONTH, 312e12, 0.4, &c, NULL),
                     GPB_OK);
    ck_assert_rel(c, 3.2819904e23, EXACT);

    /* Back: the same FLOPs on 1000 GPUs are one 千卡/月. */
    gpb_train_time t;
    ck_assert_int_eq(gpb_compute_train_time(c, 1000, 312e12, 0.4, &t, NULL),
                     GPB_OK);
    ck_assert_rel(t.card_months, 1000.0, EXACT);
    ck_assert_rel(t.qianka_months, 1.0, EXACT);
    ck_assert_rel(t.hours, GPB_HOURS_PER_MONTH, EXACT);
    ck_assert_rel(t.days, 730.5 / 24.0, EXACT);

    /*
     * The largest model that month buys by the 20-tokens rule:
     * N = sqrt(3.2819904e23 / 120) = sqrt(2.734992e21)
     *   = 52,297,150,974.0253 (≈ 52B), D = 20 N = 1,045,943,019,480.51
     * (≈ 1.05T), worked to 30 digits.
     */
    double n = 0, d = 0;
    ck_assert_int_eq(gpb_compute_optimal_fixed_ratio(c, 0, &n, &d, NULL),
                     GPB_OK);
    ck_assert_rel(n, 52297150974.025344, EXACT);
    ck_assert_rel(d, 1045943019480.5069, EXACT);
    ck_assert_rel(n, 52e9, 0.01);
    ck_assert_rel(d, 1.05e12, 0.01);

    /*
     * 10B parameters on 200B tokens on that cluster:
     * C = 6 · 1e10 · 2e11 = 1.2e22; T = 1.2e22 / 1.248e17 = 96,153.846 s
     * = 26.709402 h = 1.1128917 days; GPU-hours 26,709.402; card-months
     * 26,709.402 / 730.5 = 36.563178; 千卡/月 0.036563178.
     */
    ck_assert_int_eq(gpb_compute_train_flops(10e9, 200e9, &c, NULL), GPB_OK);
    ck_assert_int_eq(gpb_compute_train_time(c, 1000, 312e12, 0.4, &t, NULL),
                     GPB_OK);
    ck_assert_rel(t.seconds, 96153.846153846154, EXACT);
    ck_assert_rel(t.hours, 26.709401709401709, EXACT);
    ck_assert_rel(t.days, 1.1128917378917379, EXACT);
    ck_assert_rel(t.gpu_hours, 26709.401709401709, EXACT);
    ck_assert_rel(t.card_months, 36.563178246956481, EXACT);
    ck_assert_rel(t.qianka_months, 0.036563178246956481, EXACT);
}
END_TEST

/*
 * Near the top of the double range each figure overflows only when it is
 * itself out of range (compute.h). 8.4e23 FLOPs at 989.4e12 FLOP/s and
 * MFU 1e-300 are, by hand, 8.4e23 / (989.4e12 · 1e-300 · 3600) =
 * 2.3583316488107e305 GPU-hours: finite, as are its 3.2283800805075e302
 * card-months. On one GPU the seconds (· 3600 = 8.5e308) overflow, and
 * only they do; on 10,000 GPUs they are 8.4899939357186e304.
 */
START_TEST(test_train_time_near_overflow)
{
    gpb_train_time t;
    double h = 0;
    t.seconds = -1;
    ck_assert_fail(gpb_compute_train_time(8.4e23, 1, 989.4e12, 1e-300, &t,
                                          err),
                   GPB_ERANGE, "training time in seconds overflows");
    ck_assert(t.seconds == -1);
    ck_assert_int_eq(gpb_compute_gpu_hours(8.4e23, 989.4e12, 1e-300, &h,
                                           NULL),
                     GPB_OK);
    ck_assert_rel(h, 2.3583316488107e305, 1e-13);
    ck_assert_int_eq(gpb_compute_train_time(8.4e23, 1e4, 989.4e12, 1e-300,
                                            &t, NULL),
                     GPB_OK);
    ck_assert_rel(t.gpu_hours, 2.3583316488107e305, 1e-13);
    ck_assert_rel(t.card_months, 3.2283800805075e302, 1e-13);
    ck_assert_rel(t.hours, 2.3583316488107e301, 1e-13);
    ck_assert_rel(t.days, 9.8263818700446e299, 1e-13);
    ck_assert_rel(t.seconds, 8.4899939357186e304, 1e-13);
    /* A fraction of a GPU stretches the wall time past the range. */
    ck_assert_fail(gpb_compute_train_time(8.4e23, 1e-4, 989.4e12, 1e-300,
                                          &t, err),
                   GPB_ERANGE, "training time overflows");
}
END_TEST

START_TEST(test_implied_mfu_round_trip)
{
    static const double flops[] = {3.14e23, 1.2e22, 8.4e23, 5e18};
    static const double gpus[] = {1, 1000, 512, 3};
    static const double peak[] = {125e12, 312e12, 989.4e12, 19.5e12};
    static const double mfu[] = {0.224, 0.4, 0.55, 0.05};
    for (int i = 0; i < 4; i++) {
        gpb_train_time t;
        double m1 = 0, m2 = 0;
        ck_assert_int_eq(gpb_compute_train_time(flops[i], gpus[i], peak[i],
                                                mfu[i], &t, NULL),
                         GPB_OK);
        ck_assert_int_eq(gpb_compute_implied_mfu_from_days(
                             flops[i], gpus[i], peak[i], t.days, &m1, NULL),
                         GPB_OK);
        ck_assert_int_eq(gpb_compute_implied_mfu_from_gpu_hours(
                             flops[i], peak[i], t.gpu_hours, &m2, NULL),
                         GPB_OK);
        /* Two divisions and a multiplication each way: 1e-12. */
        ck_assert_rel(m1, mfu[i], EXACT);
        ck_assert_rel(m2, mfu[i], EXACT);
    }
}
END_TEST

START_TEST(test_pitch_check)
{
    /*
     * "A 70B model on 2T tokens, 512 H100s, 30 days": C = 6 · 70e9 · 2e12
     * = 8.4e23; H100 SXM bf16 dense 989.4e12 (shared gpu-reference.csv,
     * Epoch AI chip dataset). mfu = 8.4e23 / (512 · 989.4e12 · 2,592,000)
     * = 0.63973840 (30 digits by hand): beyond any published run.
     */
    double c, m = 0;
    gpb_mfu_class k = GPB_MFU_BELOW_PUBLISHED;
    ck_assert_int_eq(gpb_compute_train_flops(70e9, 2e12, &c, NULL), GPB_OK);
    ck_assert_int_eq(
        gpb_compute_implied_mfu_from_days(c, 512, 989.4e12, 30, &m, NULL),
        GPB_OK);
    ck_assert_rel(m, 0.63973840299770156, EXACT);
    ck_assert_int_eq(gpb_compute_mfu_classify(m, &k, NULL), GPB_OK);
    ck_assert_int_eq(k, GPB_MFU_BEYOND_PUBLISHED);

    /* In 15 days it would need 128% of peak: impossible, not clamped. */
    ck_assert_int_eq(
        gpb_compute_implied_mfu_from_days(c, 512, 989.4e12, 15, &m, NULL),
        GPB_OK);
    ck_assert(m > 1.0);
    ck_assert_int_eq(gpb_compute_mfu_classify(m, &k, NULL), GPB_OK);
    ck_assert_int_eq(k, GPB_MFU_IMPOSSIBLE);
    ck_assert_str_eq(gpb_compute_mfu_class_str(k), "impossible");
}
END_TEST

START_TEST(test_mfu_classify)
{
    static const struct {
        double mfu;
        gpb_mfu_class want;
    } cases[] = {
        {0.05, GPB_MFU_BELOW_PUBLISHED},
        {0.2999, GPB_MFU_BELOW_PUBLISHED},
        {0.30, GPB_MFU_WITHIN_PUBLISHED},
        {0.462, GPB_MFU_WITHIN_PUBLISHED}, /* PaLM */
        {0.55, GPB_MFU_WITHIN_PUBLISHED},
        {0.552, GPB_MFU_BEYOND_PUBLISHED}, /* MegaScale rounds to 0.55 */
        {1.0, GPB_MFU_BEYOND_PUBLISHED},
        {1.0000001, GPB_MFU_IMPOSSIBLE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gpb_mfu_class k;
        ck_assert_int_eq(gpb_compute_mfu_classify(cases[i].mfu, &k, NULL),
                         GPB_OK);
        ck_assert_msg(k == cases[i].want, "mfu %g: class %d, want %d",
                      cases[i].mfu, (int)k, (int)cases[i].want);
    }
    ck_assert_str_eq(gpb_compute_mfu_class_str(GPB_MFU_WITHIN_PUBLISHED),
                     "within published");
    ck_assert_str_eq(gpb_compute_mfu_class_str(99), "unknown");
}
END_TEST

START_TEST(test_gpus_for_days)
{
    double g = 0;
    /* GPT-3's 3.14e23 in 30 days at 312e12 · 0.4: 3.14e23 / (1.248e14 ·
     * 2,592,000) = 970.69 → 971. */
    ck_assert_int_eq(
        gpb_compute_train_gpus_for_days(3.14e23, 312e12, 0.4, 30, &g, NULL),
        GPB_OK);
    ck_assert(g == 971.0);
    /* A budget of exactly 1000 GPUs' worth must not round up to 1001. */
    double c = 1000.0 * 312e12 * 0.4 * 30 * 86400;
    ck_assert_int_eq(
        gpb_compute_train_gpus_for_days(c, 312e12, 0.4, 30, &g, NULL),
        GPB_OK);
    ck_assert(g == 1000.0);
    /* Here the binary quotient comes out as 23.000000000000004: the
     * 1e-12 tolerance must still say 23. */
    c = 23.0 * 989.4e12 * 0.37 * 30 * 86400;
    ck_assert_int_eq(
        gpb_compute_train_gpus_for_days(c, 989.4e12, 0.37, 30, &g, NULL),
        GPB_OK);
    ck_assert(g == 23.0);
    ck_assert_int_eq(
        gpb_compute_train_gpus_for_days(0, 312e12, 0.4, 30, &g, NULL),
        GPB_OK);
    ck_assert(g == 0.0);
}
END_TEST

START_TEST(test_time_invalid)
{
    gpb_train_time t;
    double x = -1;
    t.seconds = -1;
    ck_assert_fail(gpb_compute_train_time(1e20, 0, 1e12, 0.4, &t, err),
                   GPB_EINVAL, "gpus");
    ck_assert_fail(gpb_compute_train_time(1e20, -8, 1e12, 0.4, &t, err),
                   GPB_EINVAL, "gpus");
    ck_assert_fail(gpb_compute_train_time(-1, 8, 1e12, 0.4, &t, err),
                   GPB_EINVAL, "flops");
    ck_assert_fail(gpb_compute_train_time(1e20, 8, NAN, 0.4, &t, err),
                   GPB_EINVAL, "peak_flop_per_s");
    ck_assert_fail(gpb_compute_train_time(1e20, 8, 1e12, 0, &t, err),
                   GPB_EINVAL, "mfu_frac");
    ck_assert_fail(gpb_compute_train_time(1e20, 8, 1e12, -0.1, &t, err),
                   GPB_EINVAL, "mfu_frac");
    ck_assert_fail(gpb_compute_train_time(1e20, 8, 1e12, 1.2, &t, err),
                   GPB_ERANGE, "mfu_frac");
    ck_assert_fail(gpb_compute_train_time(1e20, 8, 1e12, NAN, &t, err),
                   GPB_EINVAL, "mfu_frac");
    ck_assert_fail(gpb_compute_train_time(1e20, 8, 1e12, 0.4, NULL, err),
                   GPB_EINVAL, "out");
    ck_assert_fail(gpb_compute_train_time(1e308, 1e-300, 1, 1e-10, &t, err),
                   GPB_ERANGE, "overflows");
    ck_assert(t.seconds == -1);

    ck_assert_fail(gpb_compute_gpu_hours(1e20, 0, 0.4, &x, err), GPB_EINVAL,
                   "peak_flop_per_s");
    ck_assert_fail(gpb_compute_gpu_hours(1e20, 1e12, 2, &x, err), GPB_ERANGE,
                   "mfu_frac");
    ck_assert_fail(gpb_compute_gpu_hours(1e20, 1e12, 0.5, NULL, err),
                   GPB_EINVAL, "gpu_hours");
    ck_assert_fail(gpb_compute_flops_from_gpu_hours(-1, 1e12, 0.4, &x, err),
                   GPB_EINVAL, "gpu_hours");
    ck_assert_fail(gpb_compute_flops_from_gpu_hours(1, 1e12, 0, &x, err),
                   GPB_EINVAL, "mfu_frac");
    ck_assert_fail(
        gpb_compute_train_gpus_for_days(1e20, 1e12, 0.4, 0, &x, err),
        GPB_EINVAL, "days");
    ck_assert_fail(
        gpb_compute_train_gpus_for_days(1e20, 1e12, 1.5, 3, &x, err),
        GPB_ERANGE, "mfu_frac");
    ck_assert_fail(
        gpb_compute_implied_mfu_from_gpu_hours(1e20, 1e12, 0, &x, err),
        GPB_EINVAL, "gpu_hours");
    ck_assert_fail(
        gpb_compute_implied_mfu_from_gpu_hours(0, 1e12, 5, &x, err),
        GPB_EINVAL, "flops");
    ck_assert_fail(
        gpb_compute_implied_mfu_from_gpu_hours(1, 1e12, 5, NULL, err),
        GPB_EINVAL, "mfu_frac");
    ck_assert_fail(
        gpb_compute_implied_mfu_from_days(1e20, 0, 1e12, 3, &x, err),
        GPB_EINVAL, "gpus");
    ck_assert_fail(
        gpb_compute_implied_mfu_from_days(1e20, 8, 1e12, NAN, &x, err),
        GPB_EINVAL, "days");
    ck_assert_fail(
        gpb_compute_implied_mfu_from_days(1e20, 8, INFINITY, 3, &x, err),
        GPB_EINVAL, "peak_flop_per_s");

    gpb_mfu_class k;
    ck_assert_fail(gpb_compute_mfu_classify(0, &k, err), GPB_EINVAL,
                   "mfu_frac");
    ck_assert_fail(gpb_compute_mfu_classify(NAN, &k, err), GPB_EINVAL,
                   "mfu_frac");
    ck_assert_fail(gpb_compute_mfu_classify(0.4, NULL, err), GPB_EINVAL,
                   "out");

    ck_assert_fail(gpb_compute_rent_cost(-1, 2, &x, err), GPB_EINVAL,
                   "gpu_hours");
    ck_assert_fail(gpb_compute_rent_cost(1, NAN, &x, err), GPB_EINVAL,
                   "price_per_gpu_hour");
    ck_assert_fail(gpb_compute_rent_cost(1, 2, NULL, err), GPB_EINVAL,
                   "cost");
    ck_assert_fail(gpb_compute_rent_cost(1e300, 1e300, &x, err), GPB_ERANGE,
                   "overflows");
    ck_assert(x == -1);
    /* Zero hours or a free GPU cost nothing. */
    ck_assert_int_eq(gpb_compute_rent_cost(0, 2, &x, NULL), GPB_OK);
    ck_assert(x == 0.0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Memory                                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_train_memory_70b)
{
    double b = 0, g = 0;
    /* 70e9 · 16 = 1.12e12 bytes. */
    ck_assert_int_eq(gpb_compute_train_memory_bytes(70e9, 16, NULL, &b, NULL),
                     GPB_OK);
    ck_assert_rel(b, 1.12e12, EXACT);
    /* 0 selects the 16-byte default. */
    ck_assert_int_eq(gpb_compute_train_memory_bytes(70e9, 0, NULL, &b, NULL),
                     GPB_OK);
    ck_assert_rel(b, 1.12e12, EXACT);

    /* 1.12e12 / 80e9 = 14 exactly: 14 cards, not 15. */
    ck_assert_int_eq(gpb_compute_min_gpus_for_memory(b, 80e9, 1.0, &g, NULL),
                     GPB_OK);
    ck_assert(g == 14.0);
    /* 1.12e12 / 72e9 = 15.56 → 16. */
    ck_assert_int_eq(gpb_compute_min_gpus_for_memory(b, 80e9, 0.9, &g, NULL),
                     GPB_OK);
    ck_assert(g == 16.0);
    /* 0 selects the documented default, 0.9. */
    ck_assert_int_eq(gpb_compute_min_gpus_for_memory(b, 80e9, 0, &g, NULL),
                     GPB_OK);
    ck_assert(g == 16.0);
    /* A byte more than 14 cards hold needs a 15th. */
    ck_assert_int_eq(
        gpb_compute_min_gpus_for_memory(1.12e12 + 1e6, 80e9, 1.0, &g, NULL),
        GPB_OK);
    ck_assert(g == 15.0);
    ck_assert_int_eq(gpb_compute_min_gpus_for_memory(0, 80e9, 1.0, &g, NULL),
                     GPB_OK);
    ck_assert(g == 0.0);
}
END_TEST

START_TEST(test_activation_bytes)
{
    /*
     * GPT-3 175B shape, micro-batch 1: s 2048, h 12288, a 96, l 96.
     * s·b·h = 25,165,824. No recompute: 34 + 5·96·2048/12288 = 114 bytes
     * per element: 25,165,824 · 114 · 96 = 275,414,777,856. Selective:
     * · 34 · 96 = 82,141,249,536. Full: · 2 · 96 = 4,831,838,208.
     */
    gpb_activation_shape a;
    double b = 0;
    gpb_compute_activation_shape_default(&a);
    a.seq_len = 2048;
    a.micro_batch = 1;
    a.hidden = 12288;
    a.n_head = 96;
    a.n_layer = 96;
    ck_assert_int_eq(gpb_compute_activation_bytes(&a, &b, NULL), GPB_OK);
    ck_assert_rel(b, 275414777856.0, EXACT);
    a.recompute = GPB_RECOMPUTE_SELECTIVE;
    ck_assert_int_eq(gpb_compute_activation_bytes(&a, &b, NULL), GPB_OK);
    ck_assert_rel(b, 82141249536.0, EXACT);
    a.recompute = GPB_RECOMPUTE_FULL;
    ck_assert_int_eq(gpb_compute_activation_bytes(&a, &b, NULL), GPB_OK);
    ck_assert_rel(b, 4831838208.0, EXACT);

    /* Model state plus activations: 175e9 · 16 + 4,831,838,208. */
    ck_assert_int_eq(gpb_compute_train_memory_bytes(175e9, 0, &a, &b, NULL),
                     GPB_OK);
    ck_assert_rel(b, 2.8e12 + 4831838208.0, EXACT);
}
END_TEST

/*
 * Tensor and sequence parallelism (Korthikanti et al. 2022, Table 2), for
 * one GPT-3 175B layer (s 2048, h 12288, a 96) at t = 8, micro-batch 1.
 * s·b·h = 2048 · 12288 = 25,165,824; 5·a·s/(h·t) = 5·96·2048/(12288·8) =
 * 10 exactly. Worked by hand:
 *   NONE, no SP:       sbh·(10 + 24/8 + 10) = 23 sbh = 578,813,952
 *   NONE, SP:          sbh·(34/8 + 10) = 14.25 sbh = 358,612,992
 *   SELECTIVE, no SP:  sbh·(10 + 3) = 13 sbh = 327,155,712
 *   SELECTIVE, SP:     sbh·34/8 = 4.25 sbh = 106,954,752
 *   FULL, no SP:       2 sbh = 50,331,648
 *   FULL, SP:          2 sbh / 8 = 6,291,456
 * Exact in binary arithmetic: 1e-12.
 */
START_TEST(test_activation_bytes_parallel)
{
    gpb_activation_shape a;
    gpb_compute_activation_shape_default(&a);
    ck_assert(a.tensor_parallel == 1.0);
    ck_assert_int_eq(a.sequence_parallel, 0);
    a.seq_len = 2048;
    a.micro_batch = 1;
    a.hidden = 12288;
    a.n_layer = 1;
    a.n_head = 96;
    a.tensor_parallel = 8;
    static const struct {
        gpb_recompute r;
        int sp;
        double want;
    } cases[] = {
        {GPB_RECOMPUTE_NONE, 0, 578813952.0},
        {GPB_RECOMPUTE_NONE, 1, 358612992.0},
        {GPB_RECOMPUTE_SELECTIVE, 0, 327155712.0},
        {GPB_RECOMPUTE_SELECTIVE, 1, 106954752.0},
        {GPB_RECOMPUTE_FULL, 0, 50331648.0},
        {GPB_RECOMPUTE_FULL, 1, 6291456.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double b = 0;
        a.recompute = cases[i].r;
        a.sequence_parallel = cases[i].sp;
        ck_assert_int_eq(gpb_compute_activation_bytes(&a, &b, NULL), GPB_OK);
        ck_assert_rel(b, cases[i].want, EXACT);
    }
    /* t = 0 reads as 1: the unsplit formula, 34 + 5·96·2048/12288 = 114
       per element. */
    double b0 = 0, b1 = 0;
    a.recompute = GPB_RECOMPUTE_NONE;
    a.sequence_parallel = 1;
    a.tensor_parallel = 0;
    ck_assert_int_eq(gpb_compute_activation_bytes(&a, &b0, NULL), GPB_OK);
    a.tensor_parallel = 1;
    ck_assert_int_eq(gpb_compute_activation_bytes(&a, &b1, NULL), GPB_OK);
    ck_assert_rel(b0, 114.0 * 25165824.0, EXACT);
    ck_assert_rel(b1, b0, EXACT);
    /* Below 1 (but not 0), or negative: refused by name. */
    a.tensor_parallel = 0.5;
    ck_assert_fail(gpb_compute_activation_bytes(&a, &b0, err), GPB_EINVAL,
                   "tensor_parallel");
    a.tensor_parallel = -2;
    ck_assert_fail(gpb_compute_activation_bytes(&a, &b0, err), GPB_EINVAL,
                   "tensor_parallel");
}
END_TEST

START_TEST(test_memory_invalid)
{
    gpb_activation_shape a;
    double b = -1;
    ck_assert_fail(gpb_compute_train_memory_bytes(0, 16, NULL, &b, err),
                   GPB_EINVAL, "params");
    ck_assert_fail(gpb_compute_train_memory_bytes(7e9, -2, NULL, &b, err),
                   GPB_EINVAL, "bytes_per_param");
    ck_assert_fail(gpb_compute_train_memory_bytes(7e9, NAN, NULL, &b, err),
                   GPB_EINVAL, "bytes_per_param");
    ck_assert_fail(gpb_compute_train_memory_bytes(7e9, 16, NULL, NULL, err),
                   GPB_EINVAL, "bytes");
    gpb_compute_activation_shape_default(&a);
    /* Defaults leave the sizes unset: the activation part fails. */
    ck_assert_fail(gpb_compute_train_memory_bytes(7e9, 16, &a, &b, err),
                   GPB_EINVAL, "shape.seq_len");
    a.seq_len = 4096;
    a.micro_batch = 1;
    a.hidden = 4096;
    a.n_layer = 32;
    ck_assert_fail(gpb_compute_activation_bytes(&a, &b, err), GPB_EINVAL,
                   "shape.n_head");
    a.n_head = 32;
    a.recompute = -1;
    ck_assert_fail(gpb_compute_activation_bytes(&a, &b, err), GPB_EINVAL,
                   "shape.recompute");
    a.recompute = GPB_RECOMPUTE_NONE;
    a.micro_batch = NAN;
    ck_assert_fail(gpb_compute_activation_bytes(&a, &b, err), GPB_EINVAL,
                   "shape.micro_batch");
    ck_assert_fail(gpb_compute_activation_bytes(NULL, &b, err), GPB_EINVAL,
                   "shape");

    ck_assert_fail(gpb_compute_min_gpus_for_memory(-1, 80e9, 1, &b, err),
                   GPB_EINVAL, "total_bytes");
    ck_assert_fail(gpb_compute_min_gpus_for_memory(1e12, 0, 1, &b, err),
                   GPB_EINVAL, "mem_bytes_per_gpu");
    ck_assert_fail(gpb_compute_min_gpus_for_memory(1e12, 80e9, 1.5, &b, err),
                   GPB_ERANGE, "usable_frac");
    ck_assert_fail(gpb_compute_min_gpus_for_memory(1e12, 80e9, -0.5, &b, err),
                   GPB_EINVAL, "usable_frac");
    ck_assert_fail(gpb_compute_min_gpus_for_memory(1e12, 80e9, 1, NULL, err),
                   GPB_EINVAL, "gpus");
    ck_assert(b == -1);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Chinchilla                                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_rule_of_20)
{
    /*
     * Chinchilla's budget, 5.76e23 FLOPs (Hoffmann et al. 2022): N =
     * sqrt(5.76e23 / 120) = sqrt(4.8e21) = 69,282,032,302.755 and D =
     * 1,385,640,646,055.10 (30 digits by hand); the paper's 70B / 1.4T
     * rounded, and the brief's 69B / 1.39T within 1%.
     */
    double n = 0, d = 0;
    ck_assert_int_eq(
        gpb_compute_optimal_fixed_ratio(5.76e23, 20, &n, &d, NULL), GPB_OK);
    ck_assert_rel(n, 69282032302.755092, EXACT);
    ck_assert_rel(d, 1385640646055.1018, EXACT);
    ck_assert_rel(n, 69e9, 0.01);
    ck_assert_rel(d, 1.39e12, 0.01);
    /* Another ratio: r = 10 gives N = sqrt(C/60), D = 10 N; 6ND = C. */
    ck_assert_int_eq(
        gpb_compute_optimal_fixed_ratio(5.76e23, 10, &n, &d, NULL), GPB_OK);
    ck_assert_rel(n, sqrt(5.76e23 / 60), EXACT);
    ck_assert_rel(6 * n * d, 5.76e23, EXACT);
}
END_TEST

START_TEST(test_hoffmann_closed_form)
{
    /*
     * Hoffmann constants (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28) at
     * C = 5.76e23, worked with 40-digit arithmetic:
     *   αA = 138.176, βB = 114.996, ratio 1.2015722...
     *   G = 1.2015722^(1/0.62) = 1.344710642772530
     *   C/6 = 9.6e22;  β/(α+β) = 0.4516129;  α/(α+β) = 0.5483871
     *   N = G · 9.6e22^0.4516129 = 32,189,859,151.3682
     *   D = 9.6e22^0.5483871 / G = 2,982,305,686,662.80
     *   D/N = 92.647366757305
     * The printed (rounded) constants put the optimum at 32B, not 70B:
     * the known misfit Besiroglu et al. 2024 discuss.
     * Relative tolerance 1e-9: a few pow() calls, each within an ulp or two.
     */
    double n = 0, d = 0, r = 0;
    ck_assert_int_eq(gpb_compute_chinchilla_optimal(
                         GPB_CHINCHILLA_HOFFMANN2022, 5.76e23, &n, &d, NULL),
                     GPB_OK);
    ck_assert_rel(n, 32189859151.368190, 1e-9);
    ck_assert_rel(d, 2982305686662.8023, 1e-9);
    ck_assert_rel(6 * n * d, 5.76e23, 1e-12);
    ck_assert_int_eq(gpb_compute_chinchilla_tokens_per_param(
                         GPB_CHINCHILLA_HOFFMANN2022, 5.76e23, &r, NULL),
                     GPB_OK);
    ck_assert_rel(r, 92.647366757305089, 1e-9);

    /*
     * Besiroglu et al. 2024 (E 1.8172, A 482.01, B 2085.43, α 0.3478,
     * β 0.3658), same budget: G = 0.11962984977039545,
     * N = 72,248,702,500.3822, D = 1,328,743,585,388.15, D/N = 18.3912.
     * The replication lands near Chinchilla's actual 70B / 1.4T.
     */
    ck_assert_int_eq(gpb_compute_chinchilla_optimal(
                         GPB_CHINCHILLA_BESIROGLU2024, 5.76e23, &n, &d, NULL),
                     GPB_OK);
    ck_assert_rel(n, 72248702500.382214, 1e-9);
    ck_assert_rel(d, 1328743585388.1547, 1e-9);
    ck_assert_int_eq(gpb_compute_chinchilla_tokens_per_param(
                         GPB_CHINCHILLA_BESIROGLU2024, 5.76e23, &r, NULL),
                     GPB_OK);
    ck_assert_rel(r, 18.391244955314253, 1e-9);
    /*
     * The default set (GPB_CHINCHILLA_DEFAULT) is Besiroglu's, so every
     * output that names none agrees (issue 12). For the 70B-on-2T pitch's
     * 8.4e23 FLOPs: N = G · (1.4e23)^(0.3658/0.7136) = 87,664,756,945.31,
     * D = 1,596,992,963,630.0 (worked in Python's double arithmetic);
     * hoffmann2022 would give 38.17B / 3.668T.
     */
    ck_assert_ptr_eq(GPB_CHINCHILLA_DEFAULT, GPB_CHINCHILLA_BESIROGLU2024);
    ck_assert_ptr_eq(gpb_compute_chinchilla_default(), GPB_CHINCHILLA_DEFAULT);
    ck_assert_int_eq(gpb_compute_chinchilla_optimal(GPB_CHINCHILLA_DEFAULT,
                                                    8.4e23, &n, &d, NULL),
                     GPB_OK);
    ck_assert_rel(n, 87664756945.31332, 1e-9);
    ck_assert_rel(d, 1596992963630.01, 1e-9);
}
END_TEST

START_TEST(test_optimum_minimises_loss)
{
    /* On the curve 6ND = C, moving N off the optimum by ±10% raises L. */
    for (size_t i = 0; gpb_compute_chinchilla_get(i) != NULL; i++) {
        const gpb_chinchilla *c = gpb_compute_chinchilla_get(i);
        double n, d, l0, lo, hi, cf = 1e22;
        ck_assert_int_eq(gpb_compute_chinchilla_optimal(c, cf, &n, &d, NULL),
                         GPB_OK);
        ck_assert_int_eq(gpb_compute_chinchilla_loss(c, n, d, &l0, NULL),
                         GPB_OK);
        ck_assert_int_eq(gpb_compute_chinchilla_loss(
                             c, 1.1 * n, cf / (6 * 1.1 * n), &hi, NULL),
                         GPB_OK);
        ck_assert_int_eq(gpb_compute_chinchilla_loss(
                             c, 0.9 * n, cf / (6 * 0.9 * n), &lo, NULL),
                         GPB_OK);
        ck_assert_msg(l0 < hi && l0 < lo, "%s: %.12g %.12g %.12g", c->name,
                      lo, l0, hi);
    }
}
END_TEST

START_TEST(test_chinchilla_loss)
{
    /*
     * L(70e9, 1.4e12), 40-digit arithmetic:
     *   Hoffmann:  406.4 / 70e9^0.34 = 0.0834872903077229,
     *              410.7 / 1.4e12^0.28 = 0.1631581802509946,
     *              L = 1.69 + both = 1.936645470558718.
     *   Besiroglu: 482.01 / 70e9^0.3478 = 0.0814949973725332,
     *              2085.43 / 1.4e12^0.3658 = 0.0751868657860306,
     *              L = 1.8172 + both = 1.973881863158564.
     * Tolerance 1e-12: two pow() calls and three additions.
     */
    double l = 0;
    ck_assert_int_eq(gpb_compute_chinchilla_loss(GPB_CHINCHILLA_HOFFMANN2022,
                                                 70e9, 1.4e12, &l, NULL),
                     GPB_OK);
    ck_assert_rel(l, 1.9366454705587175, EXACT);
    ck_assert_int_eq(gpb_compute_chinchilla_loss(
                         GPB_CHINCHILLA_BESIROGLU2024, 70e9, 1.4e12, &l,
                         NULL),
                     GPB_OK);
    ck_assert_rel(l, 1.9738818631585639, EXACT);
    /* Infinite data and parameters leave only E. */
    ck_assert_int_eq(gpb_compute_chinchilla_loss(GPB_CHINCHILLA_HOFFMANN2022,
                                                 1e300, 1e300, &l, NULL),
                     GPB_OK);
    ck_assert_rel(l, 1.69, 1e-12);
}
END_TEST

START_TEST(test_chinchilla_sets)
{
    const gpb_chinchilla *c = NULL;
    ck_assert_ptr_eq(gpb_compute_chinchilla_get(0),
                     GPB_CHINCHILLA_HOFFMANN2022);
    ck_assert_ptr_nonnull(gpb_compute_chinchilla_get(2));
    ck_assert_ptr_null(gpb_compute_chinchilla_get(3));
    /* Constants as printed in the papers. */
    ck_assert(GPB_CHINCHILLA_HOFFMANN2022->e == 1.69);
    ck_assert(GPB_CHINCHILLA_HOFFMANN2022->a == 406.4);
    ck_assert(GPB_CHINCHILLA_HOFFMANN2022->b == 410.7);
    ck_assert(GPB_CHINCHILLA_HOFFMANN2022->alpha == 0.34);
    ck_assert(GPB_CHINCHILLA_HOFFMANN2022->beta == 0.28);
    ck_assert(GPB_CHINCHILLA_BESIROGLU2024->e == 1.8172);
    ck_assert(GPB_CHINCHILLA_BESIROGLU2024->a == 482.01);
    ck_assert(GPB_CHINCHILLA_BESIROGLU2024->b == 2085.43);
    ck_assert(GPB_CHINCHILLA_BESIROGLU2024->alpha == 0.3478);
    ck_assert(GPB_CHINCHILLA_BESIROGLU2024->beta == 0.3658);
    ck_assert(GPB_CHINCHILLA_HOFFMANN2022_TEX->alpha == 0.3392);

    ck_assert_int_eq(gpb_compute_chinchilla_find("Besiroglu2024", &c, NULL),
                     GPB_OK);
    ck_assert_ptr_eq(c, GPB_CHINCHILLA_BESIROGLU2024);
    ck_assert_int_eq(gpb_compute_chinchilla_find("hoffmann2022-tex", &c,
                                                 NULL),
                     GPB_OK);
    ck_assert_ptr_eq(c, GPB_CHINCHILLA_HOFFMANN2022_TEX);
    ck_assert_int_eq(gpb_compute_chinchilla_find("chinchilla", &c, NULL),
                     GPB_OK);
    ck_assert_ptr_eq(c, GPB_CHINCHILLA_HOFFMANN2022);
    ck_assert_int_eq(gpb_compute_chinchilla_find("EPOCH", &c, NULL), GPB_OK);
    ck_assert_ptr_eq(c, GPB_CHINCHILLA_BESIROGLU2024);
    c = NULL;
    ck_assert_fail(gpb_compute_chinchilla_find("hofman2022", &c, err),
                   GPB_ENOTFOUND, "did you mean \"hoffmann2022\"");
    ck_assert_ptr_null(c);
    ck_assert_fail(gpb_compute_chinchilla_find(NULL, &c, err), GPB_EINVAL,
                   "name");
    ck_assert_fail(gpb_compute_chinchilla_find("epoch", NULL, err),
                   GPB_EINVAL, "out");
}
END_TEST

START_TEST(test_chinchilla_invalid)
{
    double n = -1, d = -1;
    gpb_chinchilla bad = gpb_chinchilla_hoffmann2022;
    ck_assert_fail(gpb_compute_chinchilla_loss(NULL, 1e9, 1e9, &n, err),
                   GPB_EINVAL, "c must not be NULL");
    ck_assert_fail(gpb_compute_chinchilla_loss(GPB_CHINCHILLA_HOFFMANN2022,
                                               0, 1e9, &n, err),
                   GPB_EINVAL, "params");
    ck_assert_fail(gpb_compute_chinchilla_loss(GPB_CHINCHILLA_HOFFMANN2022,
                                               1e9, NAN, &n, err),
                   GPB_EINVAL, "tokens");
    ck_assert_fail(gpb_compute_chinchilla_loss(GPB_CHINCHILLA_HOFFMANN2022,
                                               1e9, 1e9, NULL, err),
                   GPB_EINVAL, "loss");
    bad.alpha = 0;
    ck_assert_fail(gpb_compute_chinchilla_loss(&bad, 1e9, 1e9, &n, err),
                   GPB_EINVAL, "c->alpha");
    bad.alpha = 0.34;
    bad.b = NAN;
    ck_assert_fail(gpb_compute_chinchilla_optimal(&bad, 1e22, &n, &d, err),
                   GPB_EINVAL, "c->b");
    bad.b = 410.7;
    bad.e = -1;
    ck_assert_fail(gpb_compute_chinchilla_optimal(&bad, 1e22, &n, &d, err),
                   GPB_EINVAL, "c->e");
    ck_assert_fail(gpb_compute_chinchilla_optimal(GPB_CHINCHILLA_HOFFMANN2022,
                                                  -1e22, &n, &d, err),
                   GPB_EINVAL, "flops");
    ck_assert_fail(gpb_compute_chinchilla_optimal(GPB_CHINCHILLA_HOFFMANN2022,
                                                  1e22, NULL, &d, err),
                   GPB_EINVAL, "params");
    ck_assert_fail(gpb_compute_chinchilla_optimal(GPB_CHINCHILLA_HOFFMANN2022,
                                                  1e22, &n, NULL, err),
                   GPB_EINVAL, "tokens");
    ck_assert_fail(gpb_compute_chinchilla_tokens_per_param(
                       GPB_CHINCHILLA_HOFFMANN2022, 0, &n, err),
                   GPB_EINVAL, "flops");
    ck_assert_fail(gpb_compute_chinchilla_tokens_per_param(
                       GPB_CHINCHILLA_HOFFMANN2022, 1e22, NULL, err),
                   GPB_EINVAL, "tokens_per_param");
    ck_assert_fail(gpb_compute_optimal_fixed_ratio(0, 20, &n, &d, err),
                   GPB_EINVAL, "flops");
    ck_assert_fail(gpb_compute_optimal_fixed_ratio(1e22, -20, &n, &d, err),
                   GPB_EINVAL, "tokens_per_param");
    ck_assert_fail(gpb_compute_optimal_fixed_ratio(1e22, 20, &n, NULL, err),
                   GPB_EINVAL, "tokens");
    ck_assert(n == -1 && d == -1);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Inference                                                                 */
/* ------------------------------------------------------------------------ */

/* A 7B fp16 model on one A100-80GB (312e12 bf16, 2.039e12 B/s; shared
 * gpu-reference.csv, Epoch AI chip dataset). */
static gpb_decode_spec spec_7b(void)
{
    gpb_decode_spec s;
    gpb_compute_decode_spec_default(&s);
    s.params = 7e9;
    s.peak_flop_per_s = 312e12;
    s.mem_bw_bytes_per_s = 2.039e12;
    return s;
}

START_TEST(test_infer_basics)
{
    double f = 0;
    ck_assert_int_eq(gpb_compute_infer_flops_per_token(7e9, &f, NULL),
                     GPB_OK);
    ck_assert_rel(f, 1.4e10, EXACT);
    /* 312e12 · 0.5 / 1.4e10 = 11,142.857142857 tokens/s. */
    ck_assert_int_eq(
        gpb_compute_infer_compute_tokens_per_s(7e9, 312e12, 0.5, &f, NULL),
        GPB_OK);
    ck_assert_rel(f, 11142.857142857143, EXACT);
    /* Llama-2-7B-like KV cache: 2 · 32 layers · 32 heads · 128 · 2 bytes
     * = 524,288 bytes per token. */
    ck_assert_int_eq(gpb_compute_kv_bytes_per_token(32, 32, 128, 2, &f, NULL),
                     GPB_OK);
    ck_assert(f == 524288.0);
}
END_TEST

START_TEST(test_decode_memory_bound)
{
    /* Batch 1: 14e9 bytes / 2.039e12 B/s = 6.8661e-3 s per step, so
     * 2.039e12 / 14e9 = 145.642857142857 tokens/s. */
    gpb_decode_spec s = spec_7b();
    gpb_decode_rate r;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_int_eq(r.bound, GPB_BOUND_MEMORY);
    ck_assert_rel(r.tokens_per_s, 145.64285714285714, EXACT);
    ck_assert_rel(r.tokens_per_s_per_seq, 145.64285714285714, EXACT);
    ck_assert_rel(r.step_seconds, 14e9 / 2.039e12, EXACT);
    ck_assert_rel(r.bytes_per_step, 14e9, EXACT);
    ck_assert_rel(r.flops_per_step, 1.4e10, EXACT);
    ck_assert(r.compute_seconds < r.memory_seconds);

    /* Half the achieved bandwidth halves the rate. */
    s.bw_frac = 0.5;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_rel(r.tokens_per_s, 145.64285714285714 / 2, EXACT);

    /*
     * Batch 8 with a 2048-token KV cache of 524,288 B/token: bytes =
     * 14e9 + 8 · 2048 · 524,288 = 22,589,934,592; t = 0.011078928196 s;
     * 8 / t = 722.09151087036 tokens/s.
     */
    s = spec_7b();
    s.batch = 8;
    s.kv_bytes_per_token = 524288;
    s.context_tokens = 2048;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_int_eq(r.bound, GPB_BOUND_MEMORY);
    ck_assert_rel(r.bytes_per_step, 22589934592.0, EXACT);
    ck_assert_rel(r.tokens_per_s, 722.09151087036490, EXACT);

    /*
     * 70B fp16 across 8 GPUs, batch 1: per-GPU rate 2.039e12 / 1.4e11 =
     * 14.5642857 tokens/s; each sequence sees 8× that, 116.514286.
     */
    s = spec_7b();
    s.params = 70e9;
    s.gpus = 8;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_rel(r.tokens_per_s, 14.564285714285714, EXACT);
    ck_assert_rel(r.tokens_per_s_per_seq, 116.51428571428571, EXACT);
}
END_TEST

START_TEST(test_decode_compute_bound)
{
    /*
     * Batch 512 at mfu 0.5: compute 512 · 1.4e10 / 1.56e14 = 0.045948718 s
     * beats memory 6.87e-3 s; the rate is the compute roofline,
     * 1.56e14 / 1.4e10 = 11,142.857 tokens/s.
     */
    gpb_decode_spec s = spec_7b();
    gpb_decode_rate r;
    s.batch = 512;
    s.mfu_frac = 0.5;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_int_eq(r.bound, GPB_BOUND_COMPUTE);
    ck_assert_rel(r.step_seconds, 0.045948717948717949, EXACT);
    ck_assert_rel(r.tokens_per_s, 11142.857142857143, EXACT);

    /* The crossover batch is bytes_per_param · P · mfu / (2 · bw) =
     * 2 · 312e12 / (2 · 2.039e12) = 153.016 at mfu 1: 153 is still
     * memory-bound, 154 is compute-bound. */
    s = spec_7b();
    s.batch = 153;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_int_eq(r.bound, GPB_BOUND_MEMORY);
    s.batch = 154;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_int_eq(r.bound, GPB_BOUND_COMPUTE);

    /* A mixture of experts multiplies only the active weights: 47B total,
     * 13B active, batch 1024: compute 1024 · 2.6e10 / 3.12e14 = 0.0853 s
     * vs memory 9.4e10 / 2.039e12 = 0.0461 s; rate 3.12e14 / 2.6e10 =
     * 12,000 tokens/s. */
    s = spec_7b();
    s.params = 47e9;
    s.active_params = 13e9;
    s.batch = 1024;
    ck_assert_int_eq(gpb_compute_decode_rate(&s, &r, NULL), GPB_OK);
    ck_assert_int_eq(r.bound, GPB_BOUND_COMPUTE);
    ck_assert_rel(r.tokens_per_s, 12000.0, EXACT);
}
END_TEST

START_TEST(test_serving)
{
    double load = 0, g = 0, cost = 0;
    /* 1e6 users · 10 requests/day · 500 tokens / 86400 s = 57,870.370
     * tokens/s; twice that at a peak-to-mean of 2. */
    ck_assert_int_eq(
        gpb_compute_serving_load_tokens_per_s(1e6, 10, 500, 1, &load, NULL),
        GPB_OK);
    ck_assert_rel(load, 57870.370370370370, EXACT);
    ck_assert_int_eq(
        gpb_compute_serving_load_tokens_per_s(1e6, 10, 500, 2, &load, NULL),
        GPB_OK);
    ck_assert_rel(load, 115740.74074074074, EXACT);

    /* 57,870.370 / (145.642857 · 0.6) = 662.24 → 663 GPUs. */
    ck_assert_int_eq(gpb_compute_serving_gpus(57870.370370370370,
                                              145.64285714285714, 0.6, &g,
                                              NULL),
                     GPB_OK);
    ck_assert(g == 663.0);
    /* A load of exactly 100 GPUs' worth needs 100. */
    ck_assert_int_eq(gpb_compute_serving_gpus(100 * 145.64285714285714 * 0.6,
                                              145.64285714285714, 0.6, &g,
                                              NULL),
                     GPB_OK);
    ck_assert(g == 100.0);
    /* 31 GPUs' worth divides back to 31.000000000000004 in binary. */
    ck_assert_int_eq(gpb_compute_serving_gpus(31 * 145.64285714285714 * 0.6,
                                              145.64285714285714, 0.6, &g,
                                              NULL),
                     GPB_OK);
    ck_assert(g == 31.0);
    ck_assert_int_eq(gpb_compute_serving_gpus(0, 145.6, 0.6, &g, NULL),
                     GPB_OK);
    ck_assert(g == 0.0);

    /*
     * Cost per million tokens: $1.89 per GPU-hour, 145.642857 tokens/s:
     * 145.642857 · 3600 = 524,314.29 tokens/hour; 1.89 / 524,314.29 · 1e6
     * = 3.6047082 per million. At the compute roofline (11,142.857
     * tokens/s) and 50% busy: 1.89e6 / (11,142.857 · 0.5 · 3600)
     * = 0.094230769.
     */
    ck_assert_int_eq(gpb_compute_cost_per_million_tokens(
                         1.89, 145.64285714285714, 1.0, &cost, NULL),
                     GPB_OK);
    ck_assert_rel(cost, 3.6047081902893575, EXACT);
    ck_assert_int_eq(gpb_compute_cost_per_million_tokens(
                         1.89, 11142.857142857143, 0.5, &cost, NULL),
                     GPB_OK);
    ck_assert_rel(cost, 0.094230769230769231, EXACT);
}
END_TEST

START_TEST(test_infer_invalid)
{
    gpb_decode_spec s;
    gpb_decode_rate r;
    double x = -1;
    r.tokens_per_s = -1;

    ck_assert_fail(gpb_compute_infer_flops_per_token(0, &x, err), GPB_EINVAL,
                   "active_params");
    ck_assert_fail(gpb_compute_infer_flops_per_token(7e9, NULL, err),
                   GPB_EINVAL, "flops");
    ck_assert_fail(
        gpb_compute_infer_compute_tokens_per_s(7e9, 312e12, 0, &x, err),
        GPB_EINVAL, "mfu_frac");
    ck_assert_fail(
        gpb_compute_infer_compute_tokens_per_s(7e9, 312e12, 1.01, &x, err),
        GPB_ERANGE, "mfu_frac");
    ck_assert_fail(
        gpb_compute_infer_compute_tokens_per_s(7e9, -1, 0.5, &x, err),
        GPB_EINVAL, "peak_flop_per_s");
    ck_assert_fail(gpb_compute_kv_bytes_per_token(32, 0, 128, 2, &x, err),
                   GPB_EINVAL, "n_kv_head");
    ck_assert_fail(gpb_compute_kv_bytes_per_token(32, 8, NAN, 2, &x, err),
                   GPB_EINVAL, "head_dim");

    ck_assert_fail(gpb_compute_decode_rate(NULL, &r, err), GPB_EINVAL,
                   "spec");
    s = spec_7b();
    ck_assert_fail(gpb_compute_decode_rate(&s, NULL, err), GPB_EINVAL,
                   "out");
    s.active_params = 8e9;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_ERANGE,
                   "spec.active_params");
    s = spec_7b();
    s.batch = NAN;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.batch");
    s = spec_7b();
    s.batch = 0;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.batch");
    s = spec_7b();
    s.mem_bw_bytes_per_s = 0;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.mem_bw_bytes_per_s");
    s = spec_7b();
    s.mfu_frac = 1.5;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_ERANGE,
                   "spec.mfu_frac");
    s = spec_7b();
    s.bw_frac = 0;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.bw_frac");
    s = spec_7b();
    s.gpus = -8;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.gpus");
    s = spec_7b();
    s.kv_bytes_per_token = -1;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.kv_bytes_per_token");
    s = spec_7b();
    s.context_tokens = INFINITY;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.context_tokens");
    s = spec_7b();
    s.bytes_per_param = 0;
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.bytes_per_param");
    gpb_compute_decode_spec_default(&s);
    ck_assert_fail(gpb_compute_decode_rate(&s, &r, err), GPB_EINVAL,
                   "spec.params");
    ck_assert(r.tokens_per_s == -1);

    ck_assert_fail(
        gpb_compute_serving_load_tokens_per_s(-1, 10, 500, 1, &x, err),
        GPB_EINVAL, "users");
    ck_assert_fail(
        gpb_compute_serving_load_tokens_per_s(1, NAN, 500, 1, &x, err),
        GPB_EINVAL, "requests_per_user_per_day");
    ck_assert_fail(
        gpb_compute_serving_load_tokens_per_s(1, 10, -5, 1, &x, err),
        GPB_EINVAL, "tokens_per_request");
    ck_assert_fail(
        gpb_compute_serving_load_tokens_per_s(1, 10, 500, 0.5, &x, err),
        GPB_EINVAL, "peak_to_mean");
    ck_assert_fail(
        gpb_compute_serving_load_tokens_per_s(1, 10, 500, NAN, &x, err),
        GPB_EINVAL, "peak_to_mean");
    ck_assert_fail(gpb_compute_serving_gpus(-1, 100, 0.5, &x, err),
                   GPB_EINVAL, "load_tokens_per_s");
    ck_assert_fail(gpb_compute_serving_gpus(100, 0, 0.5, &x, err),
                   GPB_EINVAL, "tokens_per_s_per_gpu");
    ck_assert_fail(gpb_compute_serving_gpus(100, 10, 1.5, &x, err),
                   GPB_ERANGE, "util_frac");
    ck_assert_fail(gpb_compute_serving_gpus(100, 10, 0.5, NULL, err),
                   GPB_EINVAL, "gpus");
    ck_assert_fail(gpb_compute_cost_per_million_tokens(-1, 100, 1, &x, err),
                   GPB_EINVAL, "price_per_gpu_hour");
    ck_assert_fail(gpb_compute_cost_per_million_tokens(2, 0, 1, &x, err),
                   GPB_EINVAL, "tokens_per_s_per_gpu");
    ck_assert_fail(gpb_compute_cost_per_million_tokens(2, 100, 0, &x, err),
                   GPB_EINVAL, "util_frac");
    ck_assert_fail(gpb_compute_cost_per_million_tokens(2, 100, 1, NULL, err),
                   GPB_EINVAL, "cost");
    ck_assert(x == -1);
}
END_TEST

/* Passing NULL for err is allowed everywhere: only the status reports. */
START_TEST(test_null_error_record)
{
    double x;
    ck_assert_int_eq(gpb_compute_train_flops(-1, 1, &x, NULL), GPB_EINVAL);
    ck_assert_int_eq(gpb_compute_chinchilla_find("nope", NULL, NULL),
                     GPB_EINVAL);
    const gpb_chinchilla *c;
    ck_assert_int_eq(gpb_compute_chinchilla_find("nope", &c, NULL),
                     GPB_ENOTFOUND);
    gpb_compute_train_spec_default(NULL);
    gpb_compute_activation_shape_default(NULL);
    gpb_compute_decode_spec_default(NULL);
}
END_TEST

static Suite *compute_suite(void)
{
    Suite *s = suite_create("compute");

    TCase *tc = tcase_create("train_flops");
    tcase_add_test(tc, test_gpt3_train_flops);
    tcase_add_test(tc, test_attention_flops);
    tcase_add_test(tc, test_train_spec);
    tcase_add_test(tc, test_train_invalid);
    tcase_add_test(tc, test_train_spec_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("time");
    tcase_add_test(tc, test_gpt3_lambda);
    tcase_add_test(tc, test_qianka_month);
    tcase_add_test(tc, test_train_time_near_overflow);
    tcase_add_test(tc, test_implied_mfu_round_trip);
    tcase_add_test(tc, test_pitch_check);
    tcase_add_test(tc, test_mfu_classify);
    tcase_add_test(tc, test_gpus_for_days);
    tcase_add_test(tc, test_time_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("memory");
    tcase_add_test(tc, test_train_memory_70b);
    tcase_add_test(tc, test_activation_bytes);
    tcase_add_test(tc, test_activation_bytes_parallel);
    tcase_add_test(tc, test_memory_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("chinchilla");
    tcase_add_test(tc, test_rule_of_20);
    tcase_add_test(tc, test_hoffmann_closed_form);
    tcase_add_test(tc, test_optimum_minimises_loss);
    tcase_add_test(tc, test_chinchilla_loss);
    tcase_add_test(tc, test_chinchilla_sets);
    tcase_add_test(tc, test_chinchilla_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("inference");
    tcase_add_test(tc, test_infer_basics);
    tcase_add_test(tc, test_decode_memory_bound);
    tcase_add_test(tc, test_decode_compute_bound);
    tcase_add_test(tc, test_serving);
    tcase_add_test(tc, test_infer_invalid);
    tcase_add_test(tc, test_null_error_record);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(compute_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
