/* Tests for the risk layer: failures, checkpoint intervals, divergence. */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "gpubudget/risk.h"

#define REL(a, b) (fabs((a) - (b)) / fabs(b))

START_TEST(cluster_mtbf_and_expected_failures)
{
    double m, f;
    /* 50,000 GPU-hours per failure over 1024 GPUs: 48.828125 h by hand. */
    ck_assert_int_eq(gpb_risk_cluster_mtbf_hours(50000, 1024, &m, NULL), 0);
    ck_assert(fabs(m - 48.828125) < 1e-12);
    /* G·T/MTBF = 1024 · 730.5 / 50,000 = 14.96064 (the bench's mean). */
    ck_assert_int_eq(gpb_risk_expected_failures(1024, 730.5, 50000, &f, NULL),
                     0);
    ck_assert(fabs(f - 14.96064) < 1e-9);
    /* Llama 3: 16,384 GPUs for 54 days at the derived per-GPU MTBF give
       back the 419 interruptions it came from. */
    ck_assert_int_eq(gpb_risk_expected_failures(16384, 54 * 24,
                                                GPB_RISK_LLAMA3_GPU_MTBF_HOURS,
                                                &f, NULL),
                     0);
    ck_assert(fabs(f - 419) < 1e-9);
}
END_TEST

START_TEST(young_daly_intervals)
{
    double t;
    /* Young: √(2 · (1/60 h) · 3.1 h) = √0.103333 = 0.321455 h ≈ 19.3 min
       (the Llama 3-scale example of shared/data/failures-reference.md). */
    ck_assert_int_eq(gpb_risk_young_interval_hours(1.0 / 60, 3.1, &t, NULL),
                     0);
    ck_assert(fabs(t - sqrt(2.0 / 60 * 3.1)) < 1e-12);
    ck_assert(fabs(t * 60 - 19.287) < 0.01);
    /* Daly with δ = 0.5 h, M = 8 h: r = δ/2M = 1/32;
       √8 · (1 + √(1/32)/3 + 1/288) − 0.5
       = 2.8284271 · (1 + 0.0589256 + 0.0034722) − 0.5
       = 2.8284271 · 1.0623978 − 0.5 = 2.5049147 h (by hand). */
    ck_assert_int_eq(gpb_risk_daly_interval_hours(0.5, 8, &t, NULL), 0);
    ck_assert(fabs(t - 2.5049147) < 1e-6);
    /* δ ≥ 2M: the interval is M. */
    ck_assert_int_eq(gpb_risk_daly_interval_hours(5, 2, &t, NULL), 0);
    ck_assert(fabs(t - 2) < 1e-12);
}
END_TEST

START_TEST(lost_hours_goodput_divergence)
{
    double v;
    /* Half a one-hour interval plus a half-hour restart: 1.0 h (the bench). */
    ck_assert_int_eq(gpb_risk_hours_lost_per_failure(1.0, 0.5, &v, NULL), 0);
    ck_assert(fabs(v - 1.0) < 1e-12);
    /* Goodput 1 − δ/τ − (τ/2 + R)/M with τ = 1, δ = 0.02, R = 0.5, M = 50:
       1 − 0.02 − 1/50 = 0.96. */
    ck_assert_int_eq(gpb_risk_goodput_frac(1, 0.02, 0.5, 50, &v, NULL), 0);
    ck_assert(fabs(v - 0.96) < 1e-12);
    /* Per-run 0.5 over 2 months: 1 − √0.5 = 0.292893. */
    ck_assert_int_eq(gpb_risk_divergence_per_month(0.5, 2, &v, NULL), 0);
    ck_assert(fabs(v - (1 - sqrt(0.5))) < 1e-12);
    ck_assert(fabs(gpb_risk_effective_hours(730.5, 15, 1.0) - 715.5) < 1e-12);
    ck_assert(gpb_risk_effective_hours(10, 15, 1.0) == 0);
}
END_TEST

START_TEST(invalid_arguments)
{
    double v;
    gpb_error e;
    ck_assert_int_eq(gpb_risk_cluster_mtbf_hours(0, 10, &v, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_cluster_mtbf_hours(100, -1, &v, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_expected_failures(NAN, 1, 1, &v, &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_expected_failures(1, 1, 0, &v, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_young_interval_hours(0, 1, &v, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_daly_interval_hours(1, -1, &v, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_hours_lost_per_failure(-1, 0, &v, &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_divergence_per_month(1.5, 2, &v, &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_divergence_per_month(0.5, 0, &v, &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_goodput_frac(0, 0, 0, 1, &v, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_risk_young_interval_hours(1, 1, NULL, &e),
                     GPB_EINVAL);
}
END_TEST

START_TEST(sampled_failures_match_expectation)
{
    /* Mean of Poisson draws within 4 standard errors of G·T/MTBF, by hand
       1024 · 730.5 / 50000 = 14.96064; the SE of the mean of n Poisson(λ)
       draws is √(λ/n). Fixed seed. */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 12345);
    const int n = 200000;
    double lambda = 14.96064, expected = 0, sum = 0;
    ck_assert_int_eq(gpb_risk_expected_failures(1024, 730.5, 50000,
                                                &expected, NULL),
                     GPB_OK);
    ck_assert(fabs(expected - lambda) <= 1e-12 * lambda);
    for (int i = 0; i < n; i++)
        sum += gpb_risk_sample_failures(rng, 1024, 730.5, 50000);
    double mean = sum / n, se = sqrt(lambda / n);
    ck_assert_msg(fabs(mean - lambda) < 4 * se, "mean %g vs %g (se %g)", mean,
                  lambda, se);
    ck_assert_uint_eq(gpb_risk_sample_failures(rng, 1024, 730.5, -1), 0);
    gsl_rng_free(rng);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("risk");
    TCase *tc = tcase_create("risk");
    tcase_add_test(tc, cluster_mtbf_and_expected_failures);
    tcase_add_test(tc, young_daly_intervals);
    tcase_add_test(tc, lost_hours_goodput_divergence);
    tcase_add_test(tc, invalid_arguments);
    tcase_add_test(tc, sampled_failures_match_expectation);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
