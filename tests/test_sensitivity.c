/*
 * Tests for sensitivity and convergence (gpubudget/sensitivity.h) against
 * closed forms.
 *
 * The main fixture is a company whose only costs are three other_costs
 * lines with normal per-month amounts x_1, x_2, x_3 over a 12-month
 * horizon, so total spend is exactly y = 12·(x_1 + x_2 + x_3), a linear
 * function of independent normal inputs. Then:
 *   - the standardised regression coefficient of input k is
 *     SRC_k = a_k·σ_k / √(Σ a_j²σ_j²) = σ_k / √(Σ σ_j²) (all a_k = 12);
 *   - (x_k, y) is bivariate normal with Pearson correlation ρ_k = SRC_k,
 *     so its Spearman correlation is (6/π)·asin(ρ_k/2) exactly (Pearson
 *     1907; Kruskal, JASA 53, 1958), and with independent inputs (rank
 *     correlation matrix I) the population SRRC equals that Spearman
 *     correlation. The rank-based values therefore differ from the linear
 *     SRC by at most max_ρ |ρ − (6/π)asin(ρ/2)| = 0.018 (at ρ ≈ 0.59):
 *     "close to the closed form for a near-linear monotone relation".
 *   - company.cash is uncertain but does not enter total spend: its
 *     coefficients on spend.total are 0 in the population.
 * Tolerances come from the sampling error of a rank correlation: by the
 * Fisher transform var(atanh ρ̂_S) ≈ 1.06/(n − 3) (Fieller, Hartley &
 * Pearson, Biometrika 44, 1957), so SE(ρ̂_S) ≈ (1 − ρ²)·√(1.06/(n − 3));
 * checks use 4 SE (the (1 − ρ²) factor dropped for the SRRC, which also
 * absorbs the sample's small correlations between inputs).
 */
#include <check.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "gpubudget/gpubudget.h"
#include "internal.h"
#include "test_util.h"

static size_t metric(const gpb_result *r, const char *name)
{
    size_t i;
    gpb_error e;
    ck_assert_msg(gpb_result_metric_find(r, name, &i, &e) == GPB_OK, "%s",
                  e.message);
    return i;
}

static size_t input(const gpb_sensitivity *x, const char *path)
{
    for (size_t k = 0; k < gpb_sensitivity_input_count(x); k++)
        if (!strcmp(gpb_sensitivity_input_path(x, k), path))
            return k;
    ck_abort_msg("no input %s", path);
    return 0;
}

static gpb_sensitivity *sens(const gpb_scenario *s, const gpb_result *r,
                             int swing)
{
    gpb_sensitivity_options o;
    gpb_sensitivity_options_default(&o);
    o.swing = swing;
    o.swing_paths = 200;
    gpb_sensitivity *x = NULL;
    gpb_error e;
    gpb_status st = gpb_sensitivity_compute(s, r, &o, &x, &e);
    ck_assert_msg(st == GPB_OK, "sensitivity failed: %s", e.message);
    return x;
}

/* Means 1M, 0.5M, 0.25M and sds 100k, 50k, 25k: every normal stays above
   zero far beyond the loader's 1e-9 quantile check (mean − 6σ > 0). */
static const char *linear =
    "gpubudget: 1\n"
    "name: linear\n"
    "currency: USD\n"
    "horizon_months: 12\n"
    "company: {cash: {uniform: [\"$10M\", \"$20M\"]}}\n"
    "other_costs:\n"
    "  - {name: a, per_month: {normal: [\"$1M\", \"$100k\"]}}\n"
    "  - {name: b, per_month: {normal: [\"$500k\", \"$50k\"]}}\n"
    "  - {name: c, per_month: {normal: [\"$250k\", \"$25k\"]}}\n";

static const double SD[3] = {100e3, 50e3, 25e3};
static const double MU[3] = {1e6, 500e3, 250e3};
static const char *const PATH[3] = {
    "other_costs[0].per_month", "other_costs[1].per_month",
    "other_costs[2].per_month"};

START_TEST(srrc_matches_the_closed_form)
{
    gpb_scenario *s = test_load_yaml(linear);
    const size_t n = 100000;
    gpb_result *r = test_run(s, n, 11, 2);
    gpb_sensitivity *x = sens(s, r, 0);
    ck_assert_uint_eq(gpb_sensitivity_paths(x), n);
    ck_assert_uint_eq(gpb_sensitivity_input_count(x), 4);
    size_t m = metric(r, "spend.total");
    double ss = SD[0] * SD[0] + SD[1] * SD[1] + SD[2] * SD[2];
    double se1 = sqrt(1.06 / (double)(n - 3));
    for (int k = 0; k < 3; k++) {
        size_t i = input(x, PATH[k]);
        double src = SD[k] / sqrt(ss);                     /* linear */
        double rank = 6.0 / M_PI * asin(src / 2.0);        /* Gaussian */
        double sp = gpb_sensitivity_spearman(x, m, i);
        double b = gpb_sensitivity_srrc(x, m, i);
        double tol_sp = 4 * (1 - rank * rank) * se1;
        ck_assert_msg(fabs(sp - rank) <= tol_sp,
                      "%s: Spearman %.4f, closed form %.4f (tol %.4f)",
                      PATH[k], sp, rank, tol_sp);
        ck_assert_msg(fabs(b - rank) <= 4 * se1,
                      "%s: SRRC %.4f, closed form %.4f (tol %.4f)", PATH[k],
                      b, rank, 4 * se1);
        ck_assert_msg(fabs(b - src) <= 0.018 + 4 * se1,
                      "%s: SRRC %.4f far from the linear SRC %.4f", PATH[k],
                      b, src);
        ck_assert_uint_eq(gpb_sensitivity_flags(x, m, i), 0);
    }
    /* Cash does not enter total spend. */
    size_t ic = input(x, "company.cash");
    ck_assert_msg(fabs(gpb_sensitivity_srrc(x, m, ic)) <= 4 * se1,
                  "cash SRRC %.4f", gpb_sensitivity_srrc(x, m, ic));
    ck_assert_msg(fabs(gpb_sensitivity_spearman(x, m, ic)) <= 4 * se1,
                  "cash Spearman %.4f", gpb_sensitivity_spearman(x, m, ic));
    /* R² of the rank regression: Σ SRRC² in the population, since the
       inputs are independent: 0.8624² + 0.4201² + 0.2088² = 0.9638 for
       the Gaussian values above (the remaining 3.6% is the rank
       transform's nonlinearity). */
    double r2 = 0;
    for (int k = 0; k < 3; k++) {
        double rank = 6.0 / M_PI * asin(SD[k] / sqrt(ss) / 2.0);
        r2 += rank * rank;
    }
    ck_assert_msg(fabs(gpb_sensitivity_r2(x, m) - r2) <= 4 * se1,
                  "R² %.4f, expected %.4f", gpb_sensitivity_r2(x, m), r2);
    /* Ranking by |SRRC|: a, b, c, then cash. */
    size_t order[4];
    ck_assert_int_eq(gpb_sensitivity_rank(x, m, GPB_SENS_BY_SRRC, order, 4,
                                          NULL),
                     GPB_OK);
    ck_assert_uint_eq(order[0], input(x, PATH[0]));
    ck_assert_uint_eq(order[1], input(x, PATH[1]));
    ck_assert_uint_eq(order[2], input(x, PATH[2]));
    ck_assert_uint_eq(order[3], ic);
    /* Cash enters cash.end with a positive sign, the costs negatively. */
    size_t me = metric(r, "cash.end");
    ck_assert(gpb_sensitivity_srrc(x, me, ic) > 0.5);
    ck_assert(gpb_sensitivity_srrc(x, me, input(x, PATH[0])) < -0.1);
    gpb_sensitivity_free(x);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/*
 * Every Spearman correlation equals GSL's gsl_stats_spearman of the same
 * columns (an independent implementation, with ties averaged: runway and
 * out_of_cash have many), and with two inputs the SRRC and R² equal their
 * closed forms from the three pairwise rank correlations:
 *   β_1 = (r_1y − r_12·r_2y) / (1 − r_12²),
 *   R²  = (r_1y² + r_2y² − 2·r_1y·r_2y·r_12) / (1 − r_12²).
 * Both up to rounding (1e-10).
 */
static const char *two_inputs =
    "gpubudget: 1\n"
    "name: two inputs\n"
    "currency: USD\n"
    "horizon_months: 24\n"
    "company: {cash: {uniform: [\"$5M\", \"$12M\"]}}\n"
    "other_costs:\n"
    "  - {name: a, per_month: {lognormal90: [\"$200k\", \"$600k\"]}}\n"
    "correlations:\n"
    "  - between: [\"company.cash\", \"other_costs[0].per_month\"]\n"
    "    rho: 0.5\n";

START_TEST(matches_pairwise_formulas)
{
    gpb_scenario *s = test_load_yaml(two_inputs);
    const size_t n = 3000;
    gpb_result *r = test_run(s, n, 5, 2);
    gpb_sensitivity *x = sens(s, r, 0);
    ck_assert_uint_eq(gpb_sensitivity_input_count(x), 2);
    double *work = malloc(2 * n * sizeof *work);
    const double *x1 = gpb_result_input_samples(r, 0);
    const double *x2 = gpb_result_input_samples(r, 1);
    double r12 = gpb_stats_spearman(x1, x2, n, work);
    ck_assert(fabs(r12 - 0.5) < 0.1); /* the copula worked */
    for (size_t m = 0; m < gpb_result_metric_count(r); m++) {
        const double *y;
        ck_assert_int_eq(gpb_result_samples(r, gpb_result_metric_name(r, m),
                                            &y, NULL),
                         GPB_OK);
        double r1 = gpb_stats_spearman(x1, y, n, work);
        double r2 = gpb_stats_spearman(x2, y, n, work);
        if (isnan(r1)) { /* a constant metric */
            ck_assert(gpb_sensitivity_flags(x, m, (size_t)-1) &
                      GPB_SENS_CONSTANT_OUTPUT);
            ck_assert(gpb_sensitivity_srrc(x, m, 0) == 0);
            ck_assert(gpb_sensitivity_spearman(x, m, 1) == 0);
            ck_assert(gpb_sensitivity_r2(x, m) == 0);
            continue;
        }
        const char *name = gpb_result_metric_name(r, m);
        ck_assert_msg(fabs(gpb_sensitivity_spearman(x, m, 0) - r1) < 1e-10,
                      "%s: %.12f vs GSL %.12f", name,
                      gpb_sensitivity_spearman(x, m, 0), r1);
        ck_assert_msg(fabs(gpb_sensitivity_spearman(x, m, 1) - r2) < 1e-10,
                      "%s", name);
        double b1 = (r1 - r12 * r2) / (1 - r12 * r12);
        double b2 = (r2 - r12 * r1) / (1 - r12 * r12);
        double rr = (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) /
                    (1 - r12 * r12);
        ck_assert_msg(fabs(gpb_sensitivity_srrc(x, m, 0) - b1) < 1e-10,
                      "%s: SRRC %.12f vs %.12f", name,
                      gpb_sensitivity_srrc(x, m, 0), b1);
        ck_assert_msg(fabs(gpb_sensitivity_srrc(x, m, 1) - b2) < 1e-10,
                      "%s", name);
        ck_assert_msg(fabs(gpb_sensitivity_r2(x, m) - rr) < 1e-10,
                      "%s: R² %.12f vs %.12f", name,
                      gpb_sensitivity_r2(x, m), rr);
    }
    free(work);
    gpb_sensitivity_free(x);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/*
 * Collinear inputs. On 4 paths the two inputs' ranks are two permutations
 * of 1..4; on some seed they are the same permutation, and then the rank
 * columns are identical: XᵀX is singular, the SRRC and R² are not defined
 * (NaN, GPB_SENS_COLLINEAR on every pair of every varying metric), while
 * the Spearman correlations still are (cash with itself: 1). On a seed
 * whose permutations differ, every coefficient is finite and R² is in
 * [0, 1]. The seed is searched (the first of 1..5000), so the test does
 * not depend on which seed it is.
 */
START_TEST(collinear_ranks_are_flagged)
{
    gpb_scenario *s = test_load_yaml(two_inputs);
    int found_same = 0, found_differ = 0;
    for (uint64_t seed = 1; seed <= 5000 && !(found_same && found_differ);
         seed++) {
        gpb_result *r = test_run(s, 4, seed, 1);
        const double *a = gpb_result_input_samples(r, 0);
        const double *b = gpb_result_input_samples(r, 1);
        int same = 1;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                if ((a[i] < a[j]) != (b[i] < b[j]))
                    same = 0;
        if ((same && found_same) || (!same && found_differ)) {
            gpb_result_free(r);
            continue;
        }
        gpb_sensitivity *x = sens(s, r, 0);
        size_t m = metric(r, "cash.end");
        if (same) {
            found_same = 1;
            ck_assert(gpb_sensitivity_flags(x, m, (size_t)-1) &
                      GPB_SENS_COLLINEAR);
            ck_assert(gpb_sensitivity_flags(x, m, 0) & GPB_SENS_COLLINEAR);
            ck_assert(isnan(gpb_sensitivity_srrc(x, m, 0)));
            ck_assert(isnan(gpb_sensitivity_r2(x, m)));
            ck_assert(fabs(gpb_sensitivity_spearman(x, m, 0) -
                           gpb_sensitivity_spearman(x, m, 1)) < 1e-12);
        } else {
            found_differ = 1;
            ck_assert(!(gpb_sensitivity_flags(x, m, (size_t)-1) &
                        GPB_SENS_COLLINEAR));
            ck_assert(isfinite(gpb_sensitivity_srrc(x, m, 0)));
            double r2 = gpb_sensitivity_r2(x, m);
            ck_assert(r2 >= 0 && r2 <= 1);
        }
        gpb_sensitivity_free(x);
        gpb_result_free(r);
    }
    ck_assert(found_same && found_differ);
    gpb_scenario_free(s);
}
END_TEST

/*
 * The swing, by hand. With every other uncertain input at its median, the
 * linear scenario has no randomness left, so P50 of total spend is
 * 12·(x_k + Σ_{j≠k} μ_j) exactly: input k at its P10 and P90 gives
 * 12·(μ_k ∓ 1.2816·σ_k + Σ_{j≠k} μ_j), and the swing is
 * 12·2·1.2816·σ_k (1.2816 = Φ⁻¹(0.9), from GSL here). Cash does not enter
 * total spend (swing 0) and enters cash.end one for one: uniform
 * [$10M, $20M] at P10/P90 is $11M/$19M, cash.end = cash − 12·Σμ = cash −
 * $21M, so P50 of cash.end goes from −$10M to −$2M (sign +, size $8M).
 * Tolerance 1e-9 relative (rounding only).
 */
START_TEST(swing_matches_the_closed_form)
{
    gpb_scenario *s = test_load_yaml(linear);
    gpb_result *r = test_run(s, 2000, 3, 2);
    gpb_sensitivity *x = sens(s, r, 1);
    ck_assert(gpb_sensitivity_has_swing(x));
    ck_assert_uint_eq(gpb_sensitivity_swing_paths(x), 200);
    size_t m = metric(r, "spend.total"), me = metric(r, "cash.end");
    double z = gsl_cdf_ugaussian_Pinv(0.9);
    double sum_mu = MU[0] + MU[1] + MU[2];
    double lo, hi, base;
    for (int k = 0; k < 3; k++) {
        size_t i = input(x, PATH[k]);
        ck_assert_int_eq(gpb_sensitivity_swing(x, m, i, &lo, &hi, &base,
                                               NULL),
                         GPB_OK);
        double want_lo = 12 * (sum_mu - z * SD[k]);
        double want_hi = 12 * (sum_mu + z * SD[k]);
        ck_assert_msg(fabs(lo - want_lo) <= 1e-9 * want_lo, "%s: %.6f vs %.6f",
                      PATH[k], lo, want_lo);
        ck_assert_msg(fabs(hi - want_hi) <= 1e-9 * want_hi, "%s: %.6f vs %.6f",
                      PATH[k], hi, want_hi);
        ck_assert(fabs(base - 12 * sum_mu) <= 1e-9 * 12 * sum_mu);
        double il, im, ih;
        ck_assert_int_eq(gpb_sensitivity_swing_inputs(x, i, &il, &im, &ih,
                                                      NULL),
                         GPB_OK);
        ck_assert(fabs(il - (MU[k] - z * SD[k])) <= 1e-9 * MU[k]);
        ck_assert(fabs(im - MU[k]) <= 1e-9 * MU[k]);
        /* More cost, less cash at the end. */
        ck_assert_int_eq(gpb_sensitivity_swing(x, me, i, &lo, &hi, NULL,
                                               NULL),
                         GPB_OK);
        ck_assert(hi < lo);
    }
    size_t ic = input(x, "company.cash");
    ck_assert_int_eq(gpb_sensitivity_swing(x, m, ic, &lo, &hi, NULL, NULL),
                     GPB_OK);
    ck_assert(lo == hi);
    /* Nothing is left to chance in the swing's runs (every path alike):
       the swings' standard errors are 0 exactly. */
    for (size_t q = 0; q < gpb_sensitivity_metric_count(x); q++)
        for (size_t k = 0; k < gpb_sensitivity_input_count(x); k++) {
            double se = -1;
            ck_assert_int_eq(gpb_sensitivity_swing_se(x, q, k, &se, NULL),
                             GPB_OK);
            ck_assert_msg(se == 0, "metric %zu input %zu: SE %g", q, k, se);
        }
    ck_assert_int_eq(gpb_sensitivity_swing(x, me, ic, &lo, &hi, NULL, NULL),
                     GPB_OK);
    ck_assert_msg(fabs(lo - (11e6 - 12 * sum_mu)) <= 1e-9 * 21e6, "%.3f", lo);
    ck_assert_msg(fabs(hi - (19e6 - 12 * sum_mu)) <= 1e-9 * 21e6, "%.3f", hi);
    size_t order[4];
    ck_assert_int_eq(gpb_sensitivity_rank(x, me, GPB_SENS_BY_SWING, order, 4,
                                          NULL),
                     GPB_OK);
    ck_assert_uint_eq(order[0], ic); /* $8M beats 12·2.56·$100k = $3.1M */
    gpb_sensitivity_free(x);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* A money input in another currency is ranked in its own currency: the
   engine stores it converted at each path's uncertain exchange rate. */
START_TEST(own_currency_undoes_the_conversion)
{
    gpb_scenario *s = test_load_yaml("gpubudget: 1\n"
                           "name: fx\n"
                           "currency: CNY\n"
                           "horizon_months: 6\n"
                           "exchange_rates: {CNY_per_USD: {uniform: [6, 8]}}\n"
                           "company: {cash: \"¥1亿\"}\n"
                           "other_costs:\n"
                           "  - {name: a, per_month: {uniform: "
                           "[\"$1M\", \"$2M\"]}}\n");
    gpb_result *r = test_run(s, 500, 9, 2);
    ck_assert_uint_eq(gpb_result_input_count(r), 2);
    size_t ka = strcmp(gpb_result_input_path(r, 0), "other_costs[0].per_month")
                    ? 1
                    : 0;
    size_t kf = 1 - ka;
    double *own = malloc(500 * sizeof *own);
    ck_assert_int_eq(gpb_result_input_samples_own(s, r, ka, own, NULL),
                     GPB_OK);
    const double *conv = gpb_result_input_samples(r, ka);
    const double *fx = gpb_result_input_samples(r, kf);
    for (int i = 0; i < 500; i++) {
        ck_assert(own[i] >= 1e6 && own[i] <= 2e6);
        ck_assert(fabs(own[i] * fx[i] - conv[i]) <= 1e-9 * conv[i]);
    }
    free(own);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* Constant columns are flagged with coefficient 0; too few paths is an
   error that names both numbers. */
START_TEST(constants_and_too_few_paths)
{
    gpb_scenario *s = test_load_yaml("gpubudget: 1\n"
                           "name: flags\n"
                           "currency: USD\n"
                           "horizon_months: 6\n"
                           "company:\n"
                           "  cash: {uniform: [\"$5M\", \"$6M\"]}\n"
                           "  funding: [{month: 3, amount: \"$1M\",\n"
                           "             probability: {bernoulli: 1e-12}}]\n"
                           "other_costs:\n"
                           "  - {name: a, per_month: {uniform: "
                           "[\"$1M\", \"$2M\"]}}\n");
    gpb_result *r = test_run(s, 50, 1, 2);
    gpb_sensitivity *x = sens(s, r, 0);
    size_t kp = input(x, "company.funding[0].probability");
    size_t m = metric(r, "spend.total"), ms = metric(r, "spend.serving");
    ck_assert(gpb_sensitivity_flags(x, m, kp) & GPB_SENS_CONSTANT_INPUT);
    ck_assert(gpb_sensitivity_srrc(x, m, kp) == 0);
    ck_assert(gpb_sensitivity_spearman(x, m, kp) == 0);
    ck_assert(gpb_sensitivity_flags(x, ms, (size_t)-1) &
              GPB_SENS_CONSTANT_OUTPUT);
    ck_assert(gpb_sensitivity_r2(x, ms) == 0);
    /* spend.total = 6·a exactly: its rank regression is perfect. */
    size_t ka = input(x, "other_costs[0].per_month");
    ck_assert(fabs(gpb_sensitivity_srrc(x, m, ka) - 1) < 1e-12);
    ck_assert(fabs(gpb_sensitivity_r2(x, m) - 1) < 1e-12);
    gpb_sensitivity_free(x);
    gpb_result_free(r);

    /* Two varying inputs need 4 paths; 3 is an error. */
    r = test_run(s, 3, 1, 2);
    gpb_sensitivity_options o;
    gpb_sensitivity_options_default(&o);
    o.swing = 0;
    gpb_error e;
    x = (gpb_sensitivity *)1;
    ck_assert_int_eq(gpb_sensitivity_compute(s, r, &o, &x, &e), GPB_EINVAL);
    ck_assert_ptr_null(x);
    ck_assert_msg(strstr(e.message, "at least 4 paths") &&
                      strstr(e.message, "got 3"),
                  "%s", e.message);
    gpb_result_free(r);
    r = test_run(s, 4, 1, 2);
    ck_assert_int_eq(gpb_sensitivity_compute(s, r, &o, &x, &e), GPB_OK);
    gpb_sensitivity_free(x);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(bad_arguments)
{
    gpb_scenario *s = test_load_yaml(linear);
    gpb_result *r = test_run(s, 100, 1, 2);
    gpb_sensitivity *x = NULL;
    gpb_sensitivity_options o;
    gpb_sensitivity_options_default(&o);
    ck_assert_int_eq(gpb_sensitivity_compute(s, NULL, &o, &x, NULL),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_sensitivity_compute(NULL, r, &o, &x, NULL),
                     GPB_EINVAL); /* the swing needs s */
    o.swing_low = 0.9;
    o.swing_high = 0.1;
    ck_assert_int_eq(gpb_sensitivity_compute(s, r, &o, &x, NULL), GPB_EINVAL);
    gpb_sensitivity_options_default(&o);
    o.swing_paths = 0;
    ck_assert_int_eq(gpb_sensitivity_compute(s, r, &o, &x, NULL), GPB_EINVAL);
    /* A result and a scenario that do not belong together. */
    gpb_scenario *other = test_load_yaml(two_inputs);
    gpb_sensitivity_options_default(&o);
    gpb_error e;
    ck_assert_int_eq(gpb_sensitivity_compute(other, r, &o, &x, &e),
                     GPB_ENOTFOUND);
    ck_assert_msg(strstr(e.message, "other_costs[1].per_month"), "%s",
                  e.message);
    /* Both of other's costs are missing from the result's inputs; on any
       number of threads the error names the first, as on one (it once
       named whichever rank worker failed first). */
    o.swing = 0;
    for (int t = 1; t <= 4; t++)
        for (int rep = 0; rep < 10; rep++) {
            o.threads = t;
            ck_assert_int_eq(gpb_sensitivity_compute(other, r, &o, &x, &e),
                             GPB_ENOTFOUND);
            ck_assert_msg(strstr(e.message, "other_costs[1].per_month"),
                          "%d threads: %s", t, e.message);
        }
    gpb_scenario_free(other);
    gpb_sensitivity_options_default(&o);
    /* Without the swing there is none to read. */
    o.swing = 0;
    ck_assert_int_eq(gpb_sensitivity_compute(s, r, &o, &x, NULL), GPB_OK);
    double a, b;
    ck_assert_int_eq(gpb_sensitivity_swing(x, 0, 0, &a, &b, NULL, NULL),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(gpb_sensitivity_swing_se(x, 0, 0, &a, NULL),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(gpb_sensitivity_swing_se(x, 0, 0, NULL, NULL),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_sensitivity_swing_se(x, 999, 0, &a, NULL),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_sensitivity_swing_se(NULL, 0, 0, &a, NULL),
                     GPB_EINVAL);
    size_t order[1];
    ck_assert_int_eq(gpb_sensitivity_rank(x, 0, GPB_SENS_BY_SWING, order, 1,
                                          NULL),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(gpb_sensitivity_rank(x, 0, GPB_SENS_BY_SRRC, order, 9,
                                          NULL),
                     GPB_EINVAL);
    ck_assert(isnan(gpb_sensitivity_srrc(x, 999, 0)));
    ck_assert(isnan(gpb_sensitivity_swing_low(x)));
    ck_assert_ptr_null(gpb_sensitivity_input_path(x, 99));
    gpb_sensitivity_free(x);
    gpb_sensitivity_free(NULL);
    /* Quantile intervals and the precision driver. */
    double lo, hi;
    ck_assert_int_eq(gpb_result_quantile_ci(r, "spend.total", 1.5, 0.95, &lo,
                                            &hi, NULL),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_result_quantile_ci(r, "spend.total", 0.5, 1.0, &lo,
                                            &hi, NULL),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_result_quantile_ci(r, "spend.totl", 0.5, 0.9, &lo,
                                            &hi, NULL),
                     GPB_ENOTFOUND);
    gpb_result *rr = NULL;
    gpb_sim_options so;
    gpb_sim_options_default(&so);
    so.paths = 100;
    ck_assert_int_eq(gpb_sim_run_to_precision(s, &so, NULL, 0, 1000, &rr,
                                              NULL, NULL),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_sim_run_to_precision(s, &so, NULL, 0.01, 50, &rr,
                                              NULL, NULL),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_sim_run_to_precision(s, &so, "nope", 0.01, 1000,
                                              &rr, NULL, NULL),
                     GPB_ENOTFOUND);
    ck_assert_ptr_null(rr);
    /* Quasi-random points: a precision target stops on the replicates'
       standard error (gpb_result_mean); the result says what its points
       were. */
    ck_assert_int_eq(gpb_result_quasi_random(r), 0);
    so.quasi_random = 1;
    int reached = 0;
    ck_assert_int_eq(gpb_sim_run_to_precision(s, &so, NULL, 0.05, 1000, &rr,
                                              &reached, NULL),
                     GPB_OK);
    double qm, qse;
    ck_assert_int_eq(gpb_result_mean(rr, "spend.total", &qm, &qse, NULL),
                     GPB_OK);
    ck_assert(reached == (qse <= 0.05 * fabs(qm)));
    ck_assert(isfinite(qse));
    gpb_result_free(rr);
    rr = NULL;
    ck_assert_int_eq(gpb_sim_run(s, &so, &rr, NULL), GPB_OK);
    ck_assert_int_eq(gpb_result_quasi_random(rr), 1);
    ck_assert_int_eq(gpb_result_quasi_random(NULL), 0);
    gpb_result_free(rr);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/*
 * The quantile interval by hand: n = 1000, p = 0.5, level 0.95:
 * z = 1.959964, n·p = 500, z·√(n·p·(1−p)) = 1.959964 · 15.8114 = 30.990,
 * so the ranks are ⌊469.01⌋ = 469 and ⌈530.99⌉ = 531 (1-based), i.e.
 * sorted[468] and sorted[530]. Exact (the same numbers).
 */
START_TEST(quantile_ci_by_hand)
{
    gpb_scenario *s = test_load_yaml(linear);
    gpb_result *r = test_run(s, 1000, 17, 2);
    const double *v;
    ck_assert_int_eq(gpb_result_samples(r, "spend.total", &v, NULL), GPB_OK);
    double *sorted = malloc(1000 * sizeof *sorted);
    memcpy(sorted, v, 1000 * sizeof *sorted);
    qsort(sorted, 1000, sizeof *sorted, cmp_double);
    double lo, hi;
    ck_assert_int_eq(gpb_result_quantile_ci(r, "spend.total", 0.5, 0.95, &lo,
                                            &hi, NULL),
                     GPB_OK);
    ck_assert_msg(fabs(lo - sorted[468]) <= 1e-9 * sorted[468], "%.3f %.3f",
                  lo, sorted[468]);
    ck_assert_msg(fabs(hi - sorted[530]) <= 1e-9 * sorted[530], "%.3f %.3f",
                  hi, sorted[530]);
    /* p = 0: ranks clamp to 1: both bounds are the minimum. */
    ck_assert_int_eq(gpb_result_quantile_ci(r, "spend.total", 0.0, 0.95, &lo,
                                            &hi, NULL),
                     GPB_OK);
    ck_assert(lo == sorted[0] && hi == sorted[0]);
    free(sorted);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/*
 * Coverage: total spend is a sum of independent normals, symmetric about
 * its mean 12·$1.75M = $21M, which is therefore its true median. Over 200
 * seeds of 500 paths, the 95% interval should cover it about 190 times;
 * the binomial SD is √(200·0.95·0.05) = 3.08, so 4 SD below is 177.7:
 * require at least 178 (and at most 200, trivially).
 */
START_TEST(quantile_ci_covers)
{
    gpb_scenario *s = test_load_yaml(linear);
    int covered = 0;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        gpb_result *r = test_run(s, 500, seed, 2);
        double lo, hi;
        ck_assert_int_eq(gpb_result_quantile_ci(r, "spend.total", 0.5, 0.95,
                                                &lo, &hi, NULL),
                         GPB_OK);
        covered += lo <= 21e6 && 21e6 <= hi;
        gpb_result_free(r);
    }
    ck_assert_msg(covered >= 178, "covered %d of 200", covered);
    gpb_scenario_free(s);
}
END_TEST

/*
 * Run to precision, by hand: total spend has mean 12·$1.75M = $21M and
 * sd 12·√(100² + 50² + 25²)k = 12·$114.56k, a coefficient of variation of
 * 0.065465; SE/mean is 0.065465/√n. With the target 0.00195, starting at
 * 800 paths: 800 gives 0.002315 (19% above: go on), 1600 gives 0.001637
 * (16% below: stop). The sample CV's own relative error is about
 * 1/√(2n) = 2.5% at 800 paths, so the margins are over 6 of its SDs.
 * A cap of 900 (0.002182, 12% above, 5 SDs) stops at 900 unreached.
 * Deterministic: two runs agree bit for bit.
 */
START_TEST(run_to_precision_doubles)
{
    gpb_scenario *s = test_load_yaml(linear);
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 800;
    o.seed = 4;
    gpb_result *r = NULL, *r2 = NULL;
    int reached = -1;
    gpb_error e;
    ck_assert_int_eq(gpb_sim_run_to_precision(s, &o, "spend.total", 0.00195,
                                              100000, &r, &reached, &e),
                     GPB_OK);
    ck_assert_int_eq(reached, 1);
    ck_assert_uint_eq(gpb_result_paths(r), 1600);
    ck_assert_int_eq(gpb_sim_run_to_precision(s, &o, NULL, 0.00195, 100000,
                                              &r2, NULL, &e),
                     GPB_OK);
    double m1 = 0, m2 = 0, se = 0;
    ck_assert_int_eq(gpb_result_mean(r, "spend.total", &m1, &se, NULL),
                     GPB_OK);
    ck_assert_int_eq(gpb_result_mean(r2, "spend.total", &m2, NULL, NULL),
                     GPB_OK);
    ck_assert(m1 == m2);
    ck_assert(se <= 0.00195 * m1);
    gpb_result_free(r);
    gpb_result_free(r2);
    ck_assert_int_eq(gpb_sim_run_to_precision(s, &o, NULL, 0.00195, 900, &r,
                                              &reached, &e),
                     GPB_OK);
    ck_assert_int_eq(reached, 0);
    ck_assert_uint_eq(gpb_result_paths(r), 900);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* The order-preserving key of a double, as the ranks use it. */
static uint64_t ref_key(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | 0x8000000000000000ull);
}

/* got, gpb__rank_centred's column, against the centred ranks want with
   their sum of squares ss: each entry one exact rank over one rounded
   norm, so within a few ulps. */
static void ranks_match(const double *got, const double *want, double ss,
                        size_t n, int kind)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(fabs(got[i] - want[i] / sqrt(ss)) <= 1e-14,
                      "n %zu kind %d i %zu: %.17g vs %.17g", n, kind, i,
                      got[i], want[i] / sqrt(ss));
}

/*
 * gpb__rank_centred against ranks counted by hand (O(n²)): rank i =
 * 1 + #{key < key_i} + (#{key = key_i} − 1)/2, centred on (n + 1)/2 and
 * scaled to unit norm. The columns are built to defeat a sort on a key
 * prefix: values one ulp apart (their keys differ in the lowest bits
 * only), runs of equal values, both zeros, negatives, NaN, and shuffled
 * orders; n crosses powers of two, where the index takes another bit.
 * Whole numbers in [0, 4096) are ranked by counting instead of a sort
 * (kinds 2 and 5, at every n); kind 4 has both zeros,
 * where −0 must rank below +0 as its key does (the sort), and kind 6 a
 * value 4096 among them, which sends the column to the sort too.
 */
START_TEST(ranks_are_exact_for_close_and_tied_values)
{
    static const size_t sizes[] = {2, 3, 7, 64, 65, 1000, 4097};
    uint64_t state = 88172645463325252ull;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        size_t n = sizes[si];
        double *v = malloc(n * sizeof *v), *got = malloc(n * sizeof *got),
               *want = malloc(n * sizeof *want);
        void *work = malloc(GPB__RANK_WORK_BYTES(n));
        ck_assert_ptr_nonnull(v);
        ck_assert_ptr_nonnull(got);
        ck_assert_ptr_nonnull(want);
        ck_assert_ptr_nonnull(work);
        for (int kind = 0; kind < 7; kind++) {
            for (size_t i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                unsigned r = (unsigned)(state % 16);
                double base = kind == 0   ? 1.0
                              : kind == 1 ? -3.5
                              : kind == 2 ? (double)(state % 5)
                                          : 1e300;
                /* Up to 15 ulps above base: one prefix, many keys. */
                double x = base;
                for (unsigned k = 0; k < (kind == 2 ? 0 : r); k++)
                    x = nextafter(x, INFINITY);
                if (kind == 3 && r == 0)
                    x = (state & 1) ? 0.0 : -0.0;
                if (kind == 3 && r == 1)
                    x = NAN;
                if (kind == 4)
                    x = r == 0 ? -0.0 : r == 1 ? 0.0 : (double)(state % 4096);
                if (kind == 5)
                    x = (double)(state % 4096);
                if (kind == 6)
                    x = (double)(state % 4097);
                v[i] = x;
            }
            double mid = 0.5 * ((double)n + 1.0), ss = 0;
            int constant = 1;
            for (size_t i = 0; i < n; i++) {
                size_t below = 0, same = 0;
                for (size_t j = 0; j < n; j++) {
                    below += ref_key(v[j]) < ref_key(v[i]);
                    same += ref_key(v[j]) == ref_key(v[i]);
                }
                constant &= same == n;
                want[i] = 1.0 + (double)below + 0.5 * (double)(same - 1) -
                          mid;
                ss += want[i] * want[i];
            }
            int c = gpb__rank_centred(v, n, got, work);
            if (constant) {
                ck_assert_int_eq(c, 1);
                continue;
            }
            ck_assert_int_eq(c, 0);
            ranks_match(got, want, ss, n, kind);
        }
        free(v);
        free(got);
        free(want);
        free(work);
    }
}
END_TEST

/* For qsort of indices by their values' keys, then by index. */
static const double *ref_vals;
static int ref_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    uint64_t ka = ref_key(ref_vals[a]), kb = ref_key(ref_vals[b]);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return (a > b) - (a < b);
}

/*
 * gpb__rank_centred on columns the size the sensitivity ranks (10^5
 * paths, and 70,001: the index takes 17 bits either way) against ranks
 * from qsort of the keys, ties averaged. The radix sort goes through the
 * bits the column's keys span above its smallest: the columns span
 * from 36 bits (up to 2^36 ulps above 10^6: two digits, with clusters
 * that make runs of one prefix) to all 64 (random bit patterns: both
 * signs, every exponent, subnormals, infinities), with a factor of 10
 * (three digits, one count pass), both signs around 0 (two groups of
 * digits), few distinct large values (long ties: one digit), and whole
 * numbers past the counting path.
 */
START_TEST(ranks_equal_a_sort_of_the_keys)
{
    static const size_t sizes[] = {100000, 70001};
    uint64_t state = 0x9e3779b97f4a7c15ull;
    for (size_t si = 0; si < 2; si++) {
        size_t n = sizes[si];
        double *v = malloc(n * sizeof *v), *got = malloc(n * sizeof *got),
               *want = malloc(n * sizeof *want);
        size_t *ix = malloc(n * sizeof *ix);
        void *work = malloc(GPB__RANK_WORK_BYTES(n));
        ck_assert(v && got && want && ix && work);
        for (int kind = 0; kind < 6; kind++) {
            for (size_t i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                double u = ((double)(state >> 11) + 0.5) * 0x1p-53;
                double x;
                switch (kind) {
                case 0: { /* up to 2^36 ulps above 10^6: two digits */
                    /* A quarter of the values in 64 clusters of 2^10
                       ulps: runs of one prefix whose keys differ. */
                    uint64_t k, off = (state >> 20) & ((1ull << 36) - 1);
                    if ((state & 3) == 0)
                        off = ((off >> 30) << 30) | (off & 1023);
                    x = 1e6;
                    memcpy(&k, &x, sizeof k);
                    k += off;
                    memcpy(&x, &k, sizeof x);
                    break;
                }
                case 1: /* a factor of 10 */
                    x = 4e7 * pow(10.0, u);
                    break;
                case 2: /* both signs */
                    x = (u - 0.4) * 1e8;
                    break;
                case 3: /* few large values */
                    x = 748032.0 * (double)(4 + state % 5);
                    break;
                case 4: /* whole numbers past the counting path */
                    x = (double)(state % 9000);
                    break;
                default: { /* any bit pattern but a NaN */
                    memcpy(&x, &state, sizeof x);
                    if (isnan(x))
                        x = -0.0;
                }
                }
                v[i] = x;
                ix[i] = i;
            }
            ref_vals = v;
            qsort(ix, n, sizeof *ix, ref_cmp);
            double mid = 0.5 * ((double)n + 1.0), ss = 0;
            for (size_t a = 0; a < n;) {
                size_t b = a + 1;
                while (b < n && ref_key(v[ix[b]]) == ref_key(v[ix[a]]))
                    b++;
                double rank = 0.5 * ((double)(a + 1) + (double)b) - mid;
                for (size_t t = a; t < b; t++) {
                    want[ix[t]] = rank;
                    ss += rank * rank;
                }
                a = b;
            }
            ck_assert_int_eq(gpb__rank_centred(v, n, got, work), 0);
            ranks_match(got, want, ss, n, kind);
        }
        free(v);
        free(got);
        free(want);
        free(ix);
        free(work);
    }
}
END_TEST

/*
 * The swing's standard errors against the spread they estimate: the busy
 * scenario's swing run on SEEDS swing seeds, 2,000 paths each (the
 * default), and for each metric and input whose swing moves from seed to
 * seed, the standard deviation of the SEEDS swings against the root mean
 * square of the standard errors reported. An estimate of the error gives
 * a ratio near 1: the sample standard deviation of 30 values is within
 * ±13% of its population value at one SE (√(1/(2·29))), and the mean
 * square of 30 reported errors (50 bootstrap resamples each, ±10% apiece)
 * within ±2%. Bounds 0.55 and 1.6 are 3.5 of those SEs from 1; the seeds
 * are fixed. cash.min's P50 sits between the paths with and without the
 * funding round (probability 0.5) and jumps with the draws: the delta
 * method and sectioning gave errors of 0.09 to 0.3 of its spread there
 * (ratios 3.3 to 10.7), and bootstrap weights drawn apart for the two
 * sides (no pairing) 6.8 times spend.total's spread for the MFU (ratio
 * 0.15): each fails this test (measured 2026-12-04).
 */
START_TEST(swing_standard_errors_match_their_spread)
{
    enum { SEEDS = 30 };
    gpb_scenario *s = test_load_yaml(TEST_BUSY_YAML);
    gpb_result *r = test_run(s, 2000, 5, 2);
    gpb_sensitivity *x[SEEDS];
    for (int j = 0; j < SEEDS; j++) {
        gpb_sensitivity_options o;
        gpb_sensitivity_options_default(&o);
        o.swing_paths = 2000;
        o.swing_seed = 1000 + (uint64_t)j;
        gpb_error e;
        ck_assert_msg(gpb_sensitivity_compute(s, r, &o, &x[j], &e) == GPB_OK,
                      "%s", e.message);
    }
    static const char *const names[] = {"spend.total", "cash.min",
                                         "out_of_cash", "runway_months"};
    size_t K = gpb_sensitivity_input_count(x[0]);
    int checked = 0;
    for (size_t q = 0; q < sizeof names / sizeof names[0]; q++) {
        size_t m = metric(r, names[q]);
        for (size_t k = 0; k < K; k++) {
            double w[SEEDS], se2 = 0, mu = 0, ss = 0;
            for (int j = 0; j < SEEDS; j++) {
                double lo, hi, sw;
                ck_assert_int_eq(gpb_sensitivity_swing(x[j], m, k, &lo, &hi,
                                                       NULL, NULL),
                                 GPB_OK);
                ck_assert_int_eq(gpb_sensitivity_swing_se(x[j], m, k, &sw,
                                                          NULL),
                                 GPB_OK);
                w[j] = hi - lo;
                se2 += sw * sw / SEEDS;
                mu += w[j] / SEEDS;
            }
            for (int j = 0; j < SEEDS; j++)
                ss += (w[j] - mu) * (w[j] - mu);
            double sd = sqrt(ss / (SEEDS - 1));
            if (!(sd > 1e-9 * fabs(mu)) || !(se2 > 0))
                continue; /* a swing the month's draws do not move */
            double ratio = sd / sqrt(se2);
            ck_assert_msg(ratio > 0.55 && ratio < 1.6,
                          "%s, input %s: sd of the swing %.6g, SE %.6g "
                          "(ratio %.3f)",
                          names[q], gpb_sensitivity_input_path(x[0], k), sd,
                          sqrt(se2), ratio);
            checked++;
        }
    }
    ck_assert_int_ge(checked, 8);
    for (int j = 0; j < SEEDS; j++)
        gpb_sensitivity_free(x[j]);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* The swing's runs go on a pool of threads, each run on one: the figures
   are the same bits on 1 and 3 threads, for a scenario whose paths draw in
   every month (failures, divergence, a price walk, users). */
START_TEST(swing_is_the_same_on_any_thread_count)
{
    gpb_scenario *s = test_load_yaml(TEST_BUSY_YAML);
    gpb_result *r = test_run(s, 3000, 11, 2);
    gpb_sensitivity *x[2] = {NULL, NULL};
    for (int t = 0; t < 2; t++) {
        gpb_sensitivity_options o;
        gpb_sensitivity_options_default(&o);
        o.swing = 1;
        o.swing_paths = 600;
        o.threads = t ? 3 : 1;
        gpb_error e;
        ck_assert_msg(gpb_sensitivity_compute(s, r, &o, &x[t], &e) == GPB_OK,
                      "%s", e.message);
    }
    size_t M = gpb_sensitivity_metric_count(x[0]),
           K = gpb_sensitivity_input_count(x[0]);
    ck_assert_uint_ge(K, 4);
    int moved = 0, ses = 0;
    for (size_t m = 0; m < M; m++)
        for (size_t k = 0; k < K; k++) {
            double v[2][3];
            for (int t = 0; t < 2; t++)
                ck_assert_int_eq(gpb_sensitivity_swing(x[t], m, k, &v[t][0],
                                                       &v[t][1], &v[t][2],
                                                       NULL),
                                 GPB_OK);
            for (int j = 0; j < 3; j++)
                ck_assert_msg(memcmp(&v[0][j], &v[1][j], sizeof(double)) == 0,
                              "metric %zu input %zu: %.17g vs %.17g", m, k,
                              v[0][j], v[1][j]);
            moved |= v[0][0] != v[0][1];
            /* Its standard error too (the bootstrap's counts are keyed,
               not drawn in thread order). */
            double se[2];
            for (int t = 0; t < 2; t++)
                ck_assert_int_eq(gpb_sensitivity_swing_se(x[t], m, k, &se[t],
                                                          NULL),
                                 GPB_OK);
            ck_assert_msg(memcmp(&se[0], &se[1], sizeof(double)) == 0,
                          "metric %zu input %zu: SE %.17g vs %.17g", m, k,
                          se[0], se[1]);
            ses += se[0] > 0;
        }
    ck_assert(moved); /* the swing did something to compare */
    ck_assert_int_gt(ses, 0);
    gpb_sensitivity_free(x[0]);
    gpb_sensitivity_free(x[1]);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("sensitivity");
    TCase *tc = tcase_create("closed forms");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, srrc_matches_the_closed_form);
    tcase_add_test(tc, matches_pairwise_formulas);
    tcase_add_test(tc, collinear_ranks_are_flagged);
    tcase_add_test(tc, swing_matches_the_closed_form);
    tcase_add_test(tc, own_currency_undoes_the_conversion);
    tcase_add_test(tc, ranks_are_exact_for_close_and_tied_values);
    tcase_add_test(tc, ranks_equal_a_sort_of_the_keys);
    tcase_add_test(tc, swing_is_the_same_on_any_thread_count);
    tcase_add_test(tc, swing_standard_errors_match_their_spread);
    suite_add_tcase(su, tc);
    TCase *te = tcase_create("edges");
    tcase_add_test(te, constants_and_too_few_paths);
    tcase_add_test(te, bad_arguments);
    suite_add_tcase(su, te);
    TCase *tv = tcase_create("convergence");
    tcase_set_timeout(tv, 120);
    tcase_add_test(tv, quantile_ci_by_hand);
    tcase_add_test(tv, quantile_ci_covers);
    tcase_add_test(tv, run_to_precision_doubles);
    suite_add_tcase(su, tv);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
