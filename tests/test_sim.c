/*
 * Tests for the Monte Carlo engine against closed forms. Every statistical
 * check uses a fixed seed and a tolerance of 4 standard errors (or more,
 * where stated), so it fails on a wrong model, not on an unlucky seed.
 */
#include <check.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/gpubudget.h"
#include "test_util.h"

static double q(const gpb_result *r, const char *m, double p)
{
    double v;
    gpb_error e;
    ck_assert_msg(gpb_result_quantile(r, m, p, &v, &e) == GPB_OK, "%s",
                  e.message);
    return v;
}

static double mean(const gpb_result *r, const char *m, double *se)
{
    double v, s;
    ck_assert(gpb_result_mean(r, m, &v, &s, NULL) == GPB_OK);
    if (se)
        *se = s;
    return v;
}

/* ---- closed forms ----------------------------------------------------- */

static const char *constant_burn =
    "gpubudget: 1\n"
    "name: constant burn\n"
    "currency: USD\n"
    "horizon_months: 24\n"
    "company: {cash: \"$12.5M\"}\n"
    "other_costs:\n"
    "  - {name: burn, per_month: \"$1M\"}\n";

/* s run on `paths` paths with `seed`, 2 threads, keeping the lowest cash
   through `raise_months` months per path. */
static gpb_result *run_raise(const gpb_scenario *s, size_t paths,
                             uint64_t seed, int raise_months)
{
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = paths;
    o.seed = seed;
    o.threads = 2;
    o.raise_months = raise_months;
    gpb_result *r = NULL;
    ck_assert(gpb_sim_run(s, &o, &r, NULL) == GPB_OK);
    return r;
}

START_TEST(constant_burn_runway_is_cash_over_burn)
{
    gpb_scenario *s = test_load_yaml(constant_burn);
    gpb_result *r = run_raise(s, 3000, 1, 18);
    /* Closing cash after month m is 12.5 − (m + 1) ($M): first negative at
       m = 12, i.e. runway = floor(cash / burn) = 12 on every path. */
    ck_assert(q(r, "runway_months", 0.0) == 12);
    ck_assert(q(r, "runway_months", 1.0) == 12);
    ck_assert(mean(r, "out_of_cash", NULL) == 1.0);
    /* Spend = 24 × $1M exactly; lowest cash 12.5 − 24 = −$11.5M. */
    ck_assert(fabs(q(r, "spend.total", 0.5) - 24e6) < 1e-6);
    ck_assert(fabs(q(r, "cash.min", 0.5) + 11.5e6) < 1e-6);
    /* P(out of cash by month m): 0 before month 12, 1 from it. */
    ck_assert(gpb_result_prob_out_of_cash_by(r, 11) == 0.0);
    ck_assert(gpb_result_prob_out_of_cash_by(r, 12) == 1.0);
    /* Raise for the whole horizon: the deepest deficit, $11.5M. Raise for
       18 months: 18 − 12.5 = $5.5M, from the lowest cash through month 17
       the run kept per path (raise_months = 18). */
    double v;
    ck_assert(gpb_result_raise_needed(r, 0.9, &v, NULL) == GPB_OK);
    ck_assert(fabs(v - 11.5e6) < 1e-6);
    ck_assert(gpb_result_raise_for_runway(r, 18, 0.9, &v, NULL) == GPB_OK);
    ck_assert_msg(fabs(v - 5.5e6) < 1e-6, "raise18 %g", v);
    /* A month the run did not keep is refused, not guessed. */
    ck_assert(gpb_result_raise_for_runway(r, 6, 0.9, &v, NULL) ==
              GPB_ENOTFOUND);
    /* Every path alike: the raise's interval is the raise itself. */
    double lo, hi;
    ck_assert(gpb_result_raise_ci(r, 24, 0.9, 0.95, &lo, &hi, NULL) == GPB_OK);
    ck_assert(fabs(lo - 11.5e6) < 1e-6 && fabs(hi - 11.5e6) < 1e-6);
    ck_assert(gpb_result_raise_ci(r, 18, 0.9, 0.95, &lo, &hi, NULL) == GPB_OK);
    ck_assert(fabs(lo - 5.5e6) < 1e-6 && fabs(hi - 5.5e6) < 1e-6);
    ck_assert(gpb_result_raise_ci(r, 6, 0.9, 0.95, &lo, &hi, NULL) ==
              GPB_ENOTFOUND);
    ck_assert(gpb_result_raise_ci(r, 24, 0.9, 1.0, &lo, &hi, NULL) ==
              GPB_EINVAL);
    /* The fan at month 5 is 12.5 − 6 = $6.5M in every quantile. */
    ck_assert(gpb_result_fan(r, 5, 0.5, &v, NULL) == GPB_OK);
    ck_assert_msg(fabs(v - 6.5e6) <= GPB_SIM_SKETCH_REL_ERROR * 6.5e6,
                  "fan %g", v);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The raise's interval is that of its quantile, by the order statistics
   of docs/engine.md, worked here from the samples: cash uniform on
   [$5M, $15M] and $1M a month for 24 months make the deficit 24 − cash,
   uniform on [$9M, $19M]; its 0.9-quantile (the raise) and the ranks
   ⌊np ∓ 1.96·√(np(1 − p))⌋, ⌈…⌉ of 2,000 sorted values give the interval
   exactly, and for 18 months (18 − cash, clipped at 0) likewise from the
   lowest cash through month 17. */
START_TEST(raise_interval_is_its_quantiles)
{
    const char *y = "gpubudget: 1\nname: uncertain cash\ncurrency: USD\n"
                    "horizon_months: 24\n"
                    "company: {cash: {uniform: [\"$5M\", \"$15M\"]}}\n"
                    "other_costs:\n  - {name: burn, per_month: \"$1M\"}\n";
    gpb_scenario *s = test_load_yaml(y);
    gpb_result *r = run_raise(s, 2000, 3, 18);
    const double *cash = NULL;
    for (size_t i = 0; i < gpb_result_input_count(r); i++)
        if (!strcmp(gpb_result_input_path(r, i), "company.cash"))
            cash = gpb_result_input_samples(r, i);
    ck_assert_ptr_nonnull(cash);
    for (int months = 18; months <= 24; months += 6) {
        double *d = malloc(2000 * sizeof *d);
        for (int i = 0; i < 2000; i++) {
            /* Closing cash after month m is cash − (m + 1) $M: the lowest
               through month months − 1 is cash − months $M. */
            double need = months * 1e6 - cash[i];
            d[i] = need > 0 ? need : 0;
        }
        qsort(d, 2000, sizeof *d, cmp_dbl);
        double p = 0.9, np = 2000 * p, h = 1.959963984540054 *
                                            sqrt(np * (1 - p));
        double want_lo = d[(int)floor(np - h) - 1],
               want_hi = d[(int)ceil(np + h) - 1];
        double lo, hi, raise;
        ck_assert(gpb_result_raise_ci(r, months, p, 0.95, &lo, &hi, NULL) ==
                  GPB_OK);
        ck_assert(gpb_result_raise_for_runway(r, months, p, &raise, NULL) ==
                  GPB_OK);
        ck_assert_msg(fabs(lo - want_lo) <= 1e-6 * want_hi &&
                          fabs(hi - want_hi) <= 1e-6 * want_hi,
                      "months %d: [%.9g, %.9g] against [%.9g, %.9g]", months,
                      lo, hi, want_lo, want_hi);
        ck_assert(lo <= raise && raise <= hi && lo < hi);
        free(d);
    }
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(sum_of_independent_normals)
{
    /* Three per-path monthly costs N(μk, σk) over 12 months: total spend
       = 12·(X1+X2+X3) ~ N(12·Σμ, 144·Σσ²) = N(12·60M, 144·(0.25+1+0.09)e12).
       The means sit ≥ 20 sd above zero, so the loader's check that a cost
       cannot go negative (support at the 1e-9 quantile) accepts them.
       Mean within 4 SE; P5/P95 within 4 SE of the quantile estimate, whose
       SE is √(p(1−p)/n) / φ(z_p)·sd. */
    const char *y =
        "gpubudget: 1\nname: normals\ncurrency: USD\nhorizon_months: 12\n"
        "company: {cash: \"$10B\"}\n"
        "other_costs:\n"
        "  - {name: a, per_month: {normal: [\"$10M\", \"$0.5M\"]}}\n"
        "  - {name: b, per_month: {normal: [\"$20M\", \"$1M\"]}}\n"
        "  - {name: c, per_month: {normal: [\"$30M\", \"$0.3M\"]}}\n";
    gpb_scenario *s = test_load_yaml(y);
    const size_t n = 100000;
    gpb_result *r = test_run(s, n, 7, 2);
    double mu = 12 * 60e6, sd = 12 * sqrt(0.25e12 + 1e12 + 0.09e12);
    double se;
    double m = mean(r, "spend.total", &se);
    ck_assert_msg(fabs(m - mu) < 4 * sd / sqrt(n), "mean %g vs %g", m, mu);
    ck_assert(fabs(se - sd / sqrt(n)) < 0.05 * sd / sqrt(n));
    for (int k = 0; k < 2; k++) {
        double p = k ? 0.95 : 0.05;
        double z = gsl_cdf_ugaussian_Pinv(p);
        double qse = sqrt(p * (1 - p) / n) / gsl_ran_ugaussian_pdf(z) * sd;
        double v = q(r, "spend.total", p);
        ck_assert_msg(fabs(v - (mu + z * sd)) < 4 * qse, "q%g %g vs %g", p,
                      v, mu + z * sd);
    }
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(lognormal90_recovers_its_interval)
{
    /* Cash drawn from lognormal90 [$10M, $40M] with nothing spent: the 5th
       and 95th percentiles of closing cash are $10M and $40M, within 4 SE
       of a sample quantile (√(p(1−p)/n) / f(x_p)). */
    const char *y =
        "gpubudget: 1\nname: ln90\ncurrency: USD\nhorizon_months: 1\n"
        "company: {cash: {lognormal90: [\"$10M\", \"$40M\"]}}\n";
    gpb_scenario *s = test_load_yaml(y);
    const size_t n = 100000;
    gpb_result *r = test_run(s, n, 11, 2);
    double mu = (log(10e6) + log(40e6)) / 2;
    double sig = (log(40e6) - log(10e6)) / (2 * 1.6448536269514722);
    static const double ps[2] = {0.05, 0.95};
    static const double xs[2] = {10e6, 40e6};
    for (int k = 0; k < 2; k++) {
        double f = gsl_ran_lognormal_pdf(xs[k], mu, sig);
        double qse = sqrt(ps[k] * (1 - ps[k]) / n) / f;
        double v = q(r, "cash.end", ps[k]);
        ck_assert_msg(fabs(v - xs[k]) < 4 * qse, "q %g = %g", ps[k], v);
    }
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(round_closes_with_its_probability)
{
    /* A round with p = 0.35 closes on a share of paths within 4 binomial
       SE, √(p(1−p)/n), of p. */
    const char *y =
        "gpubudget: 1\nname: round\ncurrency: USD\nhorizon_months: 6\n"
        "company:\n  cash: \"$1M\"\n  funding:\n"
        "    - {name: A, month: 2, amount: \"$10M\", probability: 0.35}\n";
    gpb_scenario *s = test_load_yaml(y);
    const size_t n = 50000;
    gpb_result *r = test_run(s, n, 3, 2);
    double closed = 1.0 - 0;
    ck_assert(gpb_result_prob_at_most(r, "income.funding", 0, &closed, NULL) ==
              GPB_OK);
    closed = 1 - closed;
    ck_assert_msg(fabs(closed - 0.35) < 4 * sqrt(0.35 * 0.65 / n), "%g",
                  closed);
    /* Funding is exactly the amount when it closes. */
    ck_assert(q(r, "income.funding", 1.0) == 10e6);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(training_run_finishes_when_the_compute_is_done)
{
    /* 10B params × 2T tokens: C = 6·1e10·2e12 = 1.2e23 FLOPs. 100 GPUs at a
       stated peak of 100 TFLOP/s and MFU 0.5 do 100·730.5·3600·1e14·0.5
       = 1.31490e22 FLOPs a month: 9.1262 months, so the run finishes in
       month 2 + 9 = 11 (it starts in month 2) and uses 9.1262 × 100
       card-months, billed pro rata at $2/h: 912.62·730.5·2 = $1,333,334. */
    const char *y =
        "gpubudget: 1\nname: run\ncurrency: USD\nhorizon_months: 24\n"
        "company: {cash: \"$10M\"}\n"
        "training:\n"
        "  - name: pre\n    params: 10B\n    tokens: 2T\n"
        "    gpu: H100-SXM\n    peak_tflops: 100\n    gpus: 100\n"
        "    start_month: 2\n    mfu: 0.5\n"
        "    price_per_gpu_hour: \"$2/h\"\n";
    gpb_scenario *s = test_load_yaml(y);
    gpb_result *r = test_run(s, 1000, 5, 1);
    double months = 1.2e23 / (100 * 730.5 * 3600 * 1e14 * 0.5);
    ck_assert(q(r, "training.pre.finish_month", 0.5) == 11);
    ck_assert(q(r, "training.pre.finished", 0.5) == 1);
    ck_assert_msg(fabs(q(r, "training.pre.card_months", 0.5) -
                       months * 100) < 1e-6,
                  "card-months %g", q(r, "training.pre.card_months", 0.5));
    ck_assert(fabs(q(r, "training.pre.cost", 0.5) -
                   months * 100 * 730.5 * 2) < 1e-3);
    ck_assert(fabs(q(r, "spend.compute_rent", 0.5) -
                   months * 100 * 730.5 * 2) < 1e-3);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* ---- reproducibility -------------------------------------------------- */

static const char *busy = TEST_BUSY_YAML;

static void assert_identical(const gpb_result *a, const gpb_result *b)
{
    size_t n = gpb_result_paths(a);
    ck_assert_uint_eq(n, gpb_result_paths(b));
    ck_assert_uint_eq(gpb_result_metric_count(a), gpb_result_metric_count(b));
    for (size_t i = 0; i < gpb_result_metric_count(a); i++) {
        const char *m = gpb_result_metric_name(a, i);
        const double *va, *vb;
        gpb_result_samples(a, m, &va, NULL);
        gpb_result_samples(b, m, &vb, NULL);
        ck_assert_msg(memcmp(va, vb, n * sizeof *va) == 0,
                      "metric %s differs", m);
    }
    for (int mo = 0; mo < gpb_result_horizon_months(a); mo++)
        for (int k = 0; k < 3; k++) {
            double fa, fb, p = 0.05 + 0.45 * k;
            gpb_result_fan(a, mo, p, &fa, NULL);
            gpb_result_fan(b, mo, p, &fb, NULL);
            ck_assert_msg(memcmp(&fa, &fb, sizeof fa) == 0,
                          "fan month %d differs", mo);
        }
}

START_TEST(bit_identical_on_1_2_and_8_threads)
{
    gpb_scenario *s = test_load_yaml(busy);
    /* 10 blocks of 1024 and a partial one, so threads interleave. */
    const size_t n = 10 * GPB_SIM_BLOCK_PATHS + 77;
    gpb_result *r1 = test_run(s, n, 42, 1);
    gpb_result *r2 = test_run(s, n, 42, 2);
    gpb_result *r8 = test_run(s, n, 42, 8);
    assert_identical(r1, r2);
    assert_identical(r1, r8);
    /* A different seed gives different paths. */
    gpb_result *o = test_run(s, n, 43, 2);
    const double *a, *b;
    gpb_result_samples(r1, "spend.total", &a, NULL);
    gpb_result_samples(o, "spend.total", &b, NULL);
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        same += a[i] == b[i];
    ck_assert_uint_lt(same, n / 100);
    gpb_result_free(r1);
    gpb_result_free(r2);
    gpb_result_free(r8);
    gpb_result_free(o);
    gpb_scenario_free(s);
}
END_TEST

/* Worker 0 runs on the caller's thread, pinned to a CPU while it works:
   the caller's CPU set must be its own again afterwards, or every thread
   it starts later (the report's, a spreadsheet's) shares that one CPU. */
START_TEST(the_callers_cpus_are_left_alone)
{
    cpu_set_t before, after;
    ck_assert_int_eq(sched_getaffinity(0, sizeof before, &before), 0);
    gpb_scenario *s = test_load_yaml(busy);
    for (int threads = 1; threads <= 3; threads++) {
        gpb_result *r = test_run(s, 4 * GPB_SIM_BLOCK_PATHS, 7, threads);
        ck_assert_int_eq(sched_getaffinity(0, sizeof after, &after), 0);
        ck_assert_msg(CPU_EQUAL(&before, &after),
                      "%d threads: the caller's CPU set went from %d CPUs "
                      "to %d",
                      threads, CPU_COUNT(&before), CPU_COUNT(&after));
        gpb_result_free(r);
    }
    gpb_scenario_free(s);
}
END_TEST

START_TEST(correlation_is_honoured)
{
    /* The sampled Spearman correlation between the two correlated inputs
       matches the requested −0.5; its SE is about (1 − ρ²)/√n ≈ 0.0034 at
       n = 50,000, and the test allows 0.02 (≈ 6 SE). Uncorrelated inputs
       stay near 0 by the same bound. */
    gpb_scenario *s = test_load_yaml(busy);
    const size_t n = 50000;
    gpb_result *r = test_run(s, n, 9, 2);
    long ia = -1, ib = -1, ic = -1;
    for (size_t i = 0; i < gpb_result_input_count(r); i++) {
        const char *p = gpb_result_input_path(r, i);
        if (!strcmp(p, "training[0].mfu"))
            ia = (long)i;
        if (!strcmp(p, "training[0].price_per_gpu_hour"))
            ib = (long)i;
        if (!strcmp(p, "revenue.arpu_per_month"))
            ic = (long)i;
    }
    ck_assert(ia >= 0 && ib >= 0 && ic >= 0);
    double *work = malloc(2 * n * sizeof *work);
    double rho = gpb_stats_spearman(gpb_result_input_samples(r, ia),
                                    gpb_result_input_samples(r, ib), n, work);
    ck_assert_msg(fabs(rho + 0.5) < 0.02, "rho %g", rho);
    double rho0 = gpb_stats_spearman(gpb_result_input_samples(r, ia),
                                     gpb_result_input_samples(r, ic), n, work);
    ck_assert_msg(fabs(rho0) < 0.02, "rho0 %g", rho0);
    free(work);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* A run that cannot finish within the horizon (70B × 100T tokens on 256
   GPUs needs about 150 months), so every path runs every month from its
   start: months running = horizon − start, exactly. */
#define LONG_RUN                                                            \
    "gpubudget: 1\nname: long\ncurrency: USD\nhorizon_months: 24\n"         \
    "company: {cash: \"$1B\"}\n"                                            \
    "training:\n"                                                           \
    "  - name: pre\n    params: 70B\n    tokens: 100T\n    gpu: H100\n"     \
    "    gpus: %s\n    start_month: 4\n    mfu: 0.4\n"                     \
    "    failures: {gpu_mtbf_hours: %s, hours_lost_per_failure: 0.01}\n%s"

START_TEST(failures_and_divergence_per_running_month)
{
    /*
     * 256 GPUs with a GPU MTBF of 50,000 h fail λ = 256 · 730.5 / 50,000
     * = 3.74016 times a running month (Poisson). Over n paths of 20
     * running months each: the mean count per month is λ within 4 SE,
     * SE = √(λ / (20n)); and a path's total, Poisson(20λ), has variance
     * 20λ: the sample variance is within 4 of its SE, 20λ·√(2/(n − 1) +
     * 1/(20λ n)) (the second term is the Poisson's excess kurtosis).
     * Divergence with probability p = 0.1 a running month (work lost 0,
     * so the run's progress is untouched): the share of running months
     * with a divergence is p within 4 binomial SE, √(p(1 − p)/(20n)).
     */
    char y[2048];
    snprintf(y, sizeof y, LONG_RUN, "256", "50000",
             "    divergence: {probability_per_month: 0.1, work_lost: 0}\n");
    gpb_scenario *s = test_load_yaml(y);
    const size_t n = 4000;
    const double months = 20, lambda = 256 * 730.5 / 50000.0, p = 0.1;
    gpb_result *r = test_run(s, n, 13, 2);
    const double *f, *d, *mo, *fin;
    gpb_result_samples(r, "training.pre.failures", &f, NULL);
    gpb_result_samples(r, "training.pre.divergences", &d, NULL);
    gpb_result_samples(r, "training.pre.months", &mo, NULL);
    gpb_result_samples(r, "training.pre.finished", &fin, NULL);
    double sf = 0, sd = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert(fin[i] == 0 && mo[i] == months);
        sf += f[i];
        sd += d[i];
    }
    double rate = sf / (months * n), se = sqrt(lambda / (months * n));
    ck_assert_msg(fabs(rate - lambda) < 4 * se, "failures a month %g, want "
                  "%g (se %g)", rate, lambda, se);
    double ss = 0, mu = sf / n;
    for (size_t i = 0; i < n; i++)
        ss += (f[i] - mu) * (f[i] - mu);
    double var = ss / (n - 1), v = months * lambda;
    double vse = v * sqrt(2.0 / (n - 1) + 1.0 / (v * n));
    ck_assert_msg(fabs(var - v) < 4 * vse, "variance %g, want %g (se %g)",
                  var, v, vse);
    double share = sd / (months * n), bse = sqrt(p * (1 - p) / (months * n));
    ck_assert_msg(fabs(share - p) < 4 * bse, "diverging months %g, want %g "
                  "(se %g)", share, p, bse);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(failures_follow_an_uncertain_mtbf)
{
    /*
     * MTBF uniform on [a, b] = [20,000 h, 200,000 h] per path, 512 GPUs:
     * a path's monthly mean λ_i = 512 · 730.5 / MTBF_i lies in [1.87,
     * 18.7], drawn by inversion below 10 (90% of the paths) and by
     * Hörmann's PTRS above.
     * Given λ_i a path's failures are Poisson(20 λ_i): the standardised
     * sum Σ(f_i − 20λ_i) / √(Σ 20λ_i) is N(0, 1) (|z| < 4), and the
     * dispersion Σ(f_i − 20λ_i)² / Σ 20λ_i is 1 within 4 SE (≈ √(2/n) for
     * Poisson counts this large). Unconditionally the mean per month is
     * E[λ] = 512 · 730.5 · ln(b/a)/(b − a) = 4.78470, within 4 of the
     * result's own SE of the mean (over 20 months).
     */
    char y[2048];
    snprintf(y, sizeof y, LONG_RUN, "512", "{uniform: [20000, 200000]}", "");
    gpb_scenario *s = test_load_yaml(y);
    const size_t n = 4000;
    const double months = 20;
    gpb_result *r = test_run(s, n, 29, 2);
    const double *f;
    gpb_result_samples(r, "training.pre.failures", &f, NULL);
    const double *mtbf = NULL;
    for (size_t k = 0; k < gpb_result_input_count(r); k++)
        if (!strcmp(gpb_result_input_path(r, k),
                    "training[0].failures.gpu_mtbf_hours"))
            mtbf = gpb_result_input_samples(r, k);
    ck_assert_ptr_nonnull(mtbf);
    double dev = 0, tot = 0, sq = 0;
    size_t below10 = 0;
    for (size_t i = 0; i < n; i++) {
        double lam = 512 * 730.5 / mtbf[i];
        below10 += lam < 10;
        dev += f[i] - months * lam;
        sq += (f[i] - months * lam) * (f[i] - months * lam);
        tot += months * lam;
    }
    /* λ < 10 when MTBF > 512 · 730.5 / 10 = 37,401.6 h: on 90.3% of the
       paths; both samplers are exercised. */
    ck_assert(below10 > n / 20 && below10 < n - n / 20);
    double z = dev / sqrt(tot);
    ck_assert_msg(fabs(z) < 4, "z = %g", z);
    double disp = sq / tot;
    ck_assert_msg(fabs(disp - 1) < 4 * sqrt(2.0 / n), "dispersion %g", disp);
    double se, m = 0;
    ck_assert(gpb_result_mean(r, "training.pre.failures", &m, &se, NULL) ==
              GPB_OK);
    double want = 512 * 730.5 * log(10.0) / 180000.0;
    ck_assert_msg(fabs(m / months - want) < 4 * se / months,
                  "failures a month %g, want %g (se %g)", m / months, want,
                  se / months);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(failures_of_the_finishing_month_are_its_own)
{
    /*
     * 1,000 GPUs with a GPU MTBF of 1,000 h fail λ = 730.5 times a month
     * (Poisson, f), each costing 0.5 h: the run does G · peak · MFU · 3600
     * · (730.5 − 0.5 f) FLOPs a month and needs T = 6 · 10B · 200B =
     * 1.2·10²² of them, so it finishes in month 0 after the share q(f) =
     * T / that of it (about 0.023, 17 hours). Failures fall evenly in
     * time, so the run's own are those of that share: Binomial(f, q(f)),
     * about 17, not the month's 730. Summing over f's Poisson law: mean
     * E[f q] and variance E[f q (1 − q)] + Var(f q); the sample mean is
     * within 4 of its SE. Before the fix every path reported the whole
     * month's count (mean 730.5).
     */
    const char *y =
        "gpubudget: 1\nname: thin\ncurrency: USD\nhorizon_months: 6\n"
        "company: {cash: \"$100M\"}\n"
        "training:\n"
        "  - name: r\n    params: 10B\n    tokens: 200B\n    gpu: H100\n"
        "    peak_tflops: 989\n    gpus: 1000\n    mfu: 0.4\n"
        "    price_per_gpu_hour: \"$2\"\n"
        "    failures: {gpu_mtbf_hours: 1000, hours_lost_per_failure: 0.5}\n";
    gpb_scenario *s = test_load_yaml(y);
    const size_t n = 4000;
    gpb_result *r = test_run(s, n, 7, 2);
    const double *f, *fin;
    gpb_result_samples(r, "training.r.failures", &f, NULL);
    gpb_result_samples(r, "training.r.finish_month", &fin, NULL);
    const double lam = 730.5, T = 6 * 10e9 * 200e9,
                 rate = 1000 * 989e12 * 0.4 * 3600;
    double e1 = 0, e2 = 0, ev = 0, pf = exp(-lam);
    for (int k = 0; k < 2000; k++) {
        if (k > 0)
            pf *= lam / k;
        double q = T / (rate * (730.5 - 0.5 * k));
        q = q > 1 ? 1 : q;
        e1 += pf * k * q;
        e2 += pf * (k * q) * (k * q);
        ev += pf * k * q * (1 - q);
    }
    double var = ev + (e2 - e1 * e1), sum = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert(fin[i] == 0);
        ck_assert(f[i] == floor(f[i]) && f[i] >= 0 && f[i] <= 1000);
        sum += f[i];
    }
    double mean = sum / n, se = sqrt(var / n);
    ck_assert_msg(e1 > 16 && e1 < 18, "E %g", e1);
    ck_assert_msg(fabs(mean - e1) < 4 * se, "failures %g, want %g (se %g)",
                  mean, e1, se);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(failures_slow_the_run_by_the_hours_they_lose)
{
    /*
     * C = 6 · 10B · 9.2043T = 5.52258e23 FLOPs on 1,000 GPUs at 100
     * TFLOP/s and MFU 0.5, which do 1000 · 730.5 · 3600 · 1e14 · 0.5 =
     * 1.3149e23 FLOPs a month: 4.2 months. Without failures the run ends
     * in month 4 (0-based) after 4.2 months billed. With an MTBF of 73.05
     * h, 1,000 GPUs fail λ = 10,000 times a month, each failure losing
     * 0.036525 h of the cluster's time: 365.25 h, half the month, so the
     * run does half a month's work a month and needs 8.4 months: it ends
     * in month 8, four months later, on every path (the month's lost
     * share is 0.5 ± 0.005, 1 SD; after 8 months the work done is 4.0 ±
     * 0.014 against the 4.2 needed, after 9 months 4.5 ± 0.015). Its
     * months running average 8.4 within 4 of the result's SE (the bias
     * of a ratio, ~0.4 · CV² = 4e-5 months, is far below it). Its
     * failures are those of the hours it ran, 10,000 a month running
     * (the last month's thinned to the share it needed): per path d =
     * failures − λ · months has mean 0 (up to Cov(f, q) ≈ 0.4, from the
     * last month's count slowing its own work) and variance ≈ 8.4 λ; the
     * sample mean of d is within 4 of its sample SE. Drawing the whole
     * last month (the old count) puts it 6,000 away, 600 SE.
     */
#define FAST_RUN                                                            \
    "gpubudget: 1\nname: fast\ncurrency: USD\nhorizon_months: 24\n"         \
    "company: {cash: \"$1B\"}\n"                                            \
    "training:\n"                                                           \
    "  - name: pre\n    params: 10B\n    tokens: 9.2043T\n"                 \
    "    gpu: H100\n    peak_tflops: 100\n    gpus: 1000\n    mfu: 0.5\n"   \
    "    price_per_gpu_hour: \"$2/h\"\n%s"
    char y[2048];
    snprintf(y, sizeof y, FAST_RUN, "");
    gpb_scenario *s0 = test_load_yaml(y);
    snprintf(y, sizeof y, FAST_RUN,
             "    failures: {gpu_mtbf_hours: 73.05,\n"
             "               hours_lost_per_failure: 0.036525}\n");
    gpb_scenario *s1 = test_load_yaml(y);
    const size_t n = 1000;
    gpb_result *r0 = test_run(s0, n, 31, 2), *r1 = test_run(s1, n, 31, 2);
    ck_assert(q(r0, "training.pre.finish_month", 0) == 4);
    ck_assert(q(r0, "training.pre.finish_month", 1) == 4);
    ck_assert(fabs(q(r0, "training.pre.months", 0.5) - 4.2) < 1e-9);
    ck_assert(q(r1, "training.pre.finish_month", 0) == 8);
    ck_assert(q(r1, "training.pre.finish_month", 1) == 8);
    ck_assert(mean(r1, "training.pre.finished", NULL) == 1);
    double se;
    double m = mean(r1, "training.pre.months", &se);
    ck_assert_msg(se > 0 && fabs(m - 8.4) < 4 * se, "months %g (se %g)", m,
                  se);
    const double *fl, *mo;
    gpb_result_samples(r1, "training.pre.failures", &fl, NULL);
    gpb_result_samples(r1, "training.pre.months", &mo, NULL);
    double sd = 0, sd2 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fl[i] - 10000 * mo[i];
        sd += d;
        sd2 += d * d;
    }
    double dm = sd / n, dse = sqrt((sd2 / n - dm * dm) / (n - 1));
    ck_assert_msg(dse > 0 && dse < 20 && fabs(dm) < 4 * dse,
                  "failures − λ · months %g (se %g)", dm, dse);
    gpb_result_free(r0);
    gpb_result_free(r1);
    gpb_scenario_free(s0);
    gpb_scenario_free(s1);
}
END_TEST

/* ---- API behaviour ---------------------------------------------------- */

static int calls;
static int count_progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    ck_assert_uint_le(done, total);
    calls++;
    return 0;
}
static int cancel_now(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    (void)done;
    (void)total;
    return 1;
}

START_TEST(progress_and_cancel)
{
    gpb_scenario *s = test_load_yaml(busy);
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 5000;
    o.threads = 2;
    o.progress = count_progress;
    gpb_result *r = NULL;
    calls = 0;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, NULL), GPB_OK);
    ck_assert_int_ge(calls, 1);
    gpb_result_free(r);
    o.progress = cancel_now;
    r = NULL;
    gpb_error e;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, &e), GPB_ECANCELLED);
    ck_assert_ptr_null(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(bad_options_and_names)
{
    gpb_scenario *s = test_load_yaml(constant_burn);
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    gpb_result *r = NULL;
    gpb_error e;
    o.paths = 0;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, &e), GPB_EINVAL);
    o.paths = 100;
    o.threads = -2;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_sim_run(NULL, &o, &r, &e), GPB_EINVAL);
    o.threads = 1;
    /* Seeds up to 2^63 − 1, which every output writes exactly. */
    o.seed = GPB_SIM_MAX_SEED + 1;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, &e), GPB_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.message, "9223372036854775807"));
    o.seed = GPB_SIM_MAX_SEED;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, &e), GPB_OK);
    ck_assert(gpb_result_seed(r) == GPB_SIM_MAX_SEED);
    gpb_result_free(r);
    o.seed = 1;
    r = test_run(s, 100, 1, 1);
    double v;
    ck_assert_int_eq(gpb_result_quantile(r, "spend.totl", 0.5, &v, &e),
                     GPB_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.message, "spend.total"));
    ck_assert_int_eq(gpb_result_quantile(r, "spend.total", 1.5, &v, &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_result_fan(r, 24, 0.5, &v, &e), GPB_ERANGE);
    ck_assert_int_eq(gpb_result_raise_for_runway(r, 0, 0.9, &v, &e),
                     GPB_ERANGE);
    gpb_result_free(r);
    gpb_result_free(NULL);
    gpb_scenario_free(s);
}
END_TEST

/*
 * A quasi-random run's standard error is the spread of its 16 randomly
 * shifted replicates' means: over 30 seeds (the seed moves the shifts),
 * the standard deviation of a metric's mean against the root mean square
 * of the standard errors reported. An estimate of the error gives a ratio
 * near 1: the sample standard deviation of 30 values is within ±13% of
 * its population value at one SE (√(1/(2·29))), the mean square of 30
 * errors from 16 replicates each (±18% apiece) within ±4%; bounds 0.55
 * and 1.6 are over 3.5 of those SEs from 1, and the seeds are fixed. And
 * the point of the points: for team spend, smooth in the per-path inputs,
 * the error is under half the plain run's (measured 2026-12-04: 0.21 of
 * it at 2,000 paths; ratios 0.84 to 0.97 for the four metrics); before the
 * randomisation the i.i.d. formula stood in for it, too wide for smooth
 * metrics and too narrow for heavy tails (a review).
 */
START_TEST(quasi_random_standard_errors_match_their_spread)
{
    enum { SEEDS = 30 };
    static const char *const names[] = {"spend.team", "spend.total",
                                         "cash.min", "income.revenue"};
    enum { NM = sizeof names / sizeof names[0] };
    gpb_scenario *s = test_load_yaml(busy);
    double m[NM][SEEDS], se2[NM] = {0}, mc2 = 0;
    for (int j = 0; j < SEEDS; j++) {
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = 2000;
        o.threads = 2;
        o.seed = 7000 + (uint64_t)j;
        o.quasi_random = 1;
        gpb_result *r = NULL;
        ck_assert_int_eq(gpb_sim_run(s, &o, &r, NULL), GPB_OK);
        for (int k = 0; k < NM; k++) {
            double se;
            m[k][j] = mean(r, names[k], &se);
            ck_assert(se > 0);
            se2[k] += se * se / SEEDS;
        }
        gpb_result_free(r);
        o.quasi_random = 0;
        ck_assert_int_eq(gpb_sim_run(s, &o, &r, NULL), GPB_OK);
        double se;
        mean(r, "spend.team", &se);
        mc2 += se * se / SEEDS;
        gpb_result_free(r);
    }
    for (int k = 0; k < NM; k++) {
        double mu = 0, ss = 0;
        for (int j = 0; j < SEEDS; j++)
            mu += m[k][j] / SEEDS;
        for (int j = 0; j < SEEDS; j++)
            ss += (m[k][j] - mu) * (m[k][j] - mu);
        double ratio = sqrt(ss / (SEEDS - 1)) / sqrt(se2[k]);
        ck_assert_msg(ratio > 0.55 && ratio < 1.6,
                      "%s: sd of the mean %.6g, SE %.6g (ratio %.3f)",
                      names[k], sqrt(ss / (SEEDS - 1)), sqrt(se2[k]), ratio);
    }
    ck_assert_msg(sqrt(se2[0]) < 0.5 * sqrt(mc2),
                  "team spend: quasi-random SE %.6g, plain %.6g",
                  sqrt(se2[0]), sqrt(mc2));
    /* A run that keeps only some of its paths (a small memory budget)
       still has an error: the kept paths' replicates', scaled by
       √(kept / paths), the rate of plain Monte Carlo, which the
       quasi-random mean beats: an upper estimate (measured 2026-12-04:
       4.1 times the full run's with 385 of 8,192 paths kept). Not below
       half the full run's (a 15-degree-of-freedom estimate is within
       ±18%), and finite. */
    {
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = 8192;
        o.quasi_random = 1;
        gpb_result *all = NULL, *part = NULL;
        ck_assert_int_eq(gpb_sim_run(s, &o, &all, NULL), GPB_OK);
        o.memory_budget_bytes = 64 * 1024;
        ck_assert_int_eq(gpb_sim_run(s, &o, &part, NULL), GPB_OK);
        ck_assert_uint_lt(gpb_result_kept_paths(part), 8192);
        double sa, sp;
        mean(all, "spend.team", &sa);
        mean(part, "spend.team", &sp);
        ck_assert_msg(sp > 0.5 * sa && sp < 10 * sa, "kept %zu: %g vs %g",
                      gpb_result_kept_paths(part), sp, sa);
        gpb_result_free(all);
        gpb_result_free(part);
    }
    gpb_scenario_free(s);
}
END_TEST

START_TEST(quasi_random_is_close_to_pseudo_random)
{
    /* Sobol points for the per-path inputs: the mean of a smooth metric
       agrees with the pseudo-random estimate within 4 of its SE. */
    gpb_scenario *s = test_load_yaml(busy);
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 20000;
    o.threads = 2;
    gpb_result *rp = NULL, *rq = NULL;
    ck_assert_int_eq(gpb_sim_run(s, &o, &rp, NULL), GPB_OK);
    o.quasi_random = 1;
    ck_assert_int_eq(gpb_sim_run(s, &o, &rq, NULL), GPB_OK);
    double se;
    double mp = mean(rp, "spend.team", &se);
    double mq = mean(rq, "spend.team", NULL);
    ck_assert_msg(fabs(mp - mq) < 4 * se, "%g vs %g (se %g)", mp, mq, se);
    gpb_result_free(rp);
    gpb_result_free(rq);
    gpb_scenario_free(s);
}
END_TEST


/* ---- acquisition: rent, buy, mix, reserve; risk switched off --------- */

START_TEST(zero_risk_rates_change_nothing)
{
    /* The same scenario with failures at an infinite MTBF and divergence
       at probability 0 gives bit-identical results to it without a risk
       section: no draws are made for events that cannot happen. */
#define RISK_BASE \
        "gpubudget: 1\nname: r\ncurrency: USD\nhorizon_months: 24\n" \
        "company: {cash: \"$50M\"}\n" \
        "gpu_price_index: {drift_per_month: -0.02, volatility_per_month: 0.05}\n" \
        "training:\n" \
        "  - name: pre\n    params: 70B\n    tokens: 2T\n    gpu: H100\n" \
        "    gpus: 512\n    mfu: {pert: [0.3, 0.4, 0.5]}\n" \
        "    price_per_gpu_hour: \"$1.8/h to $3/h\"\n%s"
    static const char *risk =
        "    failures: {gpu_mtbf_hours: .inf, hours_lost_per_failure: 1}\n"
        "    divergence: {probability_per_month: 0,\n"
        "                 work_lost: {uniform: [0.1, 0.5]}}\n";
    char a[2048], b[2048];
    snprintf(a, sizeof a, RISK_BASE, "");
    snprintf(b, sizeof b, RISK_BASE, risk);
    gpb_scenario *sa = test_load_yaml(a), *sb = test_load_yaml(b);
    gpb_result *ra = test_run(sa, 3000, 21, 2), *rb = test_run(sb, 3000, 21, 2);
    assert_identical(ra, rb);
    gpb_result_free(ra);
    gpb_result_free(rb);
    gpb_scenario_free(sa);
    gpb_scenario_free(sb);
}
END_TEST

/* One deterministic run of C = 6·1e10·2e12 = 1.2e23 FLOPs on 100 GPUs at
   100 TFLOP/s and MFU 0.5: 1.3149e22 FLOPs a month, 9.1262 months. */
#define ACQ_BASE \
    "gpubudget: 1\nname: acq\ncurrency: USD\nhorizon_months: 36\n" \
    "company: {cash: \"$100M\"}\n" \
    "fleets:\n" \
    "  - {name: own, gpu: H100, gpus: %s, price_per_gpu: \"$20k\",\n" \
    "     overhead: 0.5, buy_month: 1, lead_time_months: 3,\n" \
    "     resale_decline_per_year: 0.25, tariff_per_kwh: \"$0.1/kWh\",\n" \
    "     pue: 1.5, server_power_overhead: 2, idle_power_fraction: 0,\n" \
    "     colo_per_kw_month: 0, maintenance_per_year: 0}\n" \
    "training:\n" \
    "  - name: pre\n    params: 10B\n    tokens: 2T\n" \
    "    gpu: H100\n    peak_tflops: 100\n    gpus: 100\n" \
    "    mfu: 0.5\n    price_per_gpu_hour: \"$2/h\"\n%s"

START_TEST(buy_waits_for_delivery_and_resells)
{
    char y[2048];
    snprintf(y, sizeof y, ACQ_BASE, "100",
             "    acquire: buy\n    fleet: own\n");
    gpb_scenario *s = test_load_yaml(y);
    gpb_result *r = test_run(s, 200, 2, 1);
    /* Bought in month 1, delivered 3 months later: the run works from
       month 4 and needs 9.1262 months, so it finishes in month 13. It
       started in month 4, not in month 0 when it was ready to. */
    ck_assert(q(r, "training.pre.finish_month", 0.5) == 13);
    ck_assert(q(r, "training.pre.start_month", 0) == 4);
    ck_assert(q(r, "training.pre.start_month", 1) == 4);
    /* No rent; capex = 100 · $20k · (1 + 0.5) = $3M in month 1. */
    ck_assert(q(r, "spend.compute_rent", 0.5) == 0);
    ck_assert(fabs(q(r, "spend.hardware", 0.5) - 3e6) < 1e-6);
    /* Sold at the close of month 35, 32 months after delivery: the cards
       ($2M) keep 0.75^(32/12) = 0.46450 of their value: $929,007. */
    double resale = 2e6 * pow(0.75, 32.0 / 12);
    ck_assert_msg(fabs(q(r, "income.resale", 0.5) - resale) < 1e-6, "%g",
                  q(r, "income.resale", 0.5));
    /* Power in a fully used month: 100 · 700 W · 2 · 1.5 · 730.5 h / 1000
       · $0.1 = $15,340.50; idle months draw nothing (idle share 0). Over
       9 full months and a share 0.1262 of the tenth: 9.1262 · 15,340.5. */
    double months = 1.2e23 / (100 * 730.5 * 3600 * 1e14 * 0.5);
    ck_assert_msg(fabs(q(r, "spend.power", 0.5) -
                       15340.5 * months) < 1.0,
                  "%g vs %g", q(r, "spend.power", 0.5),
                  15340.5 * months);
    gpb_result_free(r);
    gpb_scenario_free(s);
    /* Cards bought in month 34 arrive in month 37, after the horizon:
       the run never starts, so its start month is the horizon, as is its
       finish. */
    snprintf(y, sizeof y, ACQ_BASE, "100",
             "    acquire: buy\n    fleet: own\n");
    char *bm = strstr(y, "buy_month: 1,");
    ck_assert_ptr_nonnull(bm);
    memmove(bm + 14, bm + 13, strlen(bm + 13) + 1);
    memcpy(bm, "buy_month: 34,", 14);
    s = test_load_yaml(y);
    r = test_run(s, 50, 2, 1);
    ck_assert(q(r, "training.pre.start_month", 0) == 36);
    ck_assert(q(r, "training.pre.finish_month", 0) == 36);
    ck_assert(q(r, "training.pre.gpu_hours", 1) == 0);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(mix_rents_the_rest)
{
    char y[2048];
    snprintf(y, sizeof y, ACQ_BASE, "40",
             "    acquire: mix\n    fleet: own\n");
    gpb_scenario *s = test_load_yaml(y);
    gpb_result *r = test_run(s, 200, 2, 1);
    /* Months 0-3 (before delivery) all 100 GPUs are rented; from month 4,
       40 are owned and 60 rented. The run needs 9.1262 months at full
       strength, so it finishes in month 9, the share 0.1262 of month 9
       billed: rent = 100·730.5·2·4 + 60·730.5·2·(5 + 0.1262). */
    double months = 1.2e23 / (100 * 730.5 * 3600 * 1e14 * 0.5);
    double rent = 100 * 730.5 * 2 * 4 + 60 * 730.5 * 2 * (months - 4);
    ck_assert(q(r, "training.pre.finish_month", 0.5) == 9);
    ck_assert_msg(fabs(q(r, "spend.compute_rent", 0.5) - rent) < 1e-3,
                  "%g vs %g", q(r, "spend.compute_rent", 0.5), rent);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(reserve_pays_the_whole_commitment)
{
    char y[2048];
    snprintf(y, sizeof y, ACQ_BASE, "1",
             "    acquire: reserve\n"
             "    reserve: {commitment_months: 12, discount: 0.4}\n");
    gpb_scenario *s = test_load_yaml(y);
    gpb_result *r = test_run(s, 200, 2, 1);
    /* The run is done in month 9, but the 12-month commitment is paid in
       full: 100 · 730.5 · $2 · 0.6 · 12 = $1,051,920. */
    ck_assert(q(r, "training.pre.finish_month", 0.5) == 9);
    ck_assert_msg(fabs(q(r, "spend.compute_rent", 0.5) - 1051920) < 1e-3,
                  "%g", q(r, "spend.compute_rent", 0.5));
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(serving_priced_from_tokens)
{
    /* 1M users × 10 requests × 500 tokens a day = 57,870.37 tokens/s.
       A 7B model in 2-byte weights on an A100-80GB (2.039e12 B/s) at batch
       1 is memory-bound: 14e9 / 2.039e12 = 6.866 ms a token, 145.643
       tokens/s per GPU. At 50% target utilisation: ceil(57,870.37 /
       72.821) = ceil(794.69) = 795 GPUs, rented at $2/h: 795 · 730.5 · 2
       = $1,161,495 a month, $13,937,940 over 12 months. With a fleet of
       300 cards serving first, only 495 are rented. */
#define SERVE_YAML \
        "gpubudget: 1\nname: serve\ncurrency: USD\nhorizon_months: 12\n" \
        "company: {cash: \"$100M\"}\n" \
        "fleets: [{name: own, gpu: A100-80GB, gpus: 300, " \
        "price_per_gpu: \"$15k\"}]\n" \
        "serving:\n  users: 1M\n  follows_price_index: false\n" \
        "  model: {params: 7B, gpu: A100-80GB, batch: 1,\n" \
        "          requests_per_user_per_day: 10, tokens_per_request: 500,\n" \
        "          utilization: 0.5, price_per_gpu_hour: \"$2/h\"%s}\n"
    char buf[1024];
    snprintf(buf, sizeof buf, SERVE_YAML, "");
    gpb_scenario *s = test_load_yaml(buf);
    gpb_result *r = test_run(s, 100, 1, 1);
    ck_assert(q(r, "serving.gpus_last", 0.5) == 795);
    ck_assert_msg(fabs(q(r, "spend.serving", 0.5) - 13937940) < 1e-3, "%g",
                  q(r, "spend.serving", 0.5));
    gpb_result_free(r);
    gpb_scenario_free(s);
    snprintf(buf, sizeof buf, SERVE_YAML, ", fleet: own");
    s = test_load_yaml(buf);
    r = test_run(s, 100, 1, 1);
    ck_assert_msg(fabs(q(r, "spend.serving", 0.5) - 495 * 730.5 * 2 * 12) <
                      1e-3,
                  "%g", q(r, "spend.serving", 0.5));
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(divergence_per_run_keeps_its_probability)
{
    /* A run shorter than a month with probability_per_run 0.2 diverges on
       about 20% of paths (it is drawn in one month), not more: within 4
       binomial SE, √(0.2·0.8/n). Work lost is 0 so the run still
       finishes in its month. */
    const char *y =
        "gpubudget: 1\nname: d\ncurrency: USD\nhorizon_months: 6\n"
        "company: {cash: \"$10M\"}\n"
        "training:\n  - name: pre\n    params: 1B\n    tokens: 20B\n"
        "    gpu: H100\n    gpus: 64\n    mfu: 0.4\n"
        "    divergence: {probability_per_run: 0.2, work_lost: 0}\n";
    gpb_scenario *s = test_load_yaml(y);
    const size_t n = 40000;
    gpb_result *r = test_run(s, n, 17, 2);
    double m = mean(r, "training.pre.divergences", NULL);
    ck_assert_msg(fabs(m - 0.2) < 4 * sqrt(0.2 * 0.8 / n), "%g", m);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(paths_record_their_exchange_rates)
{
    /* A ¥7,000-a-month cost in a USD report, with CNY per USD uniform on
       [6.5, 7.5]: each path's spend is 7,000 · 12 / its rate, and the
       result gives back that rate (exact to rounding, 1e-12 relative). */
    const char *y =
        "gpubudget: 1\nname: fx\ncurrency: USD\nhorizon_months: 12\n"
        "exchange_rates: {CNY_per_USD: {uniform: [6.5, 7.5]}}\n"
        "company: {cash: \"$1M\"}\n"
        "other_costs: [{name: office, per_month: \"¥7000\"}]\n";
    gpb_scenario *s = test_load_yaml(y);
    gpb_result *r = test_run(s, 500, 3, 2);
    const double *spend;
    ck_assert(gpb_result_samples(r, "spend.other", &spend, NULL) == GPB_OK);
    for (size_t i = 0; i < 500; i++) {
        double rate = gpb_result_per_usd(r, GPB_CURRENCY_CNY, i);
        ck_assert(rate >= 6.5 && rate <= 7.5);
        ck_assert(fabs(spend[i] - 84000 / rate) <= 1e-12 * spend[i]);
    }
    ck_assert(gpb_result_per_usd(r, GPB_CURRENCY_USD, 0) == 1.0);
    ck_assert(isnan(gpb_result_per_usd(r, GPB_CURRENCY_NONE, 0)));
    ck_assert(isnan(gpb_result_per_usd(r, GPB_CURRENCY_CNY, 500)));
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("closed-forms");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, constant_burn_runway_is_cash_over_burn);
    tcase_add_test(tc, raise_interval_is_its_quantiles);
    tcase_add_test(tc, sum_of_independent_normals);
    tcase_add_test(tc, lognormal90_recovers_its_interval);
    tcase_add_test(tc, round_closes_with_its_probability);
    tcase_add_test(tc, training_run_finishes_when_the_compute_is_done);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("reproducibility");
    tcase_set_timeout(tr, 300);
    tcase_add_test(tr, bit_identical_on_1_2_and_8_threads);
    tcase_add_test(tr, the_callers_cpus_are_left_alone);
    tcase_add_test(tr, correlation_is_honoured);
    tcase_add_test(tr, failures_and_divergence_per_running_month);
    tcase_add_test(tr, failures_follow_an_uncertain_mtbf);
    tcase_add_test(tr, failures_of_the_finishing_month_are_its_own);
    tcase_add_test(tr, failures_slow_the_run_by_the_hours_they_lose);
    tcase_add_test(tr, quasi_random_is_close_to_pseudo_random);
    tcase_add_test(tr, quasi_random_standard_errors_match_their_spread);
    suite_add_tcase(s, tr);
    TCase *tq = tcase_create("acquisition");
    tcase_add_test(tq, zero_risk_rates_change_nothing);
    tcase_add_test(tq, buy_waits_for_delivery_and_resells);
    tcase_add_test(tq, mix_rents_the_rest);
    tcase_add_test(tq, reserve_pays_the_whole_commitment);
    tcase_add_test(tq, serving_priced_from_tokens);
    tcase_add_test(tq, divergence_per_run_keeps_its_probability);
    suite_add_tcase(s, tq);
    TCase *ta = tcase_create("api");
    tcase_add_test(ta, progress_and_cancel);
    tcase_add_test(ta, bad_options_and_names);
    tcase_add_test(ta, paths_record_their_exchange_rates);
    suite_add_tcase(s, ta);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
