/*
 * Tests for the dist layer: constructors and their messages, closed-form
 * moments against hand values, sampling against those moments, quantiles
 * against closed forms and GSL's CDFs, the Gaussian copula, determinism and
 * the sample statistics.
 *
 * Statistical tests use fixed seeds (mt19937) and tolerances of 4 standard
 * errors of the statistic tested, stated next to each check: with a fixed
 * seed they are deterministic, and a wrong mean, quantile or correlation of
 * a few SE makes them fail.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "gpubudget/dist.h"
#include "internal.h"

#define NDRAW 200000

static gsl_rng *new_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, seed);
    return r;
}

/* ------------------------------------------------------------------------ */
/* The distributions under test, with hand-worked moments                    */
/* ------------------------------------------------------------------------ */

enum { V_TRUNC = 100, V_SCALED, V_LAMBDA };

typedef struct spec {
    const char *label;
    int kind; /* a gpb_dist_kind, or a V_ variant of one */
    double a[4];
    double mean, var;
} spec;

static const double choice_v[] = {10, 1, 2};
static const double choice_w[] = {2, 1, 1};
static const double samples_v[] = {4, 1, 3, 2};

/*
 * Means and variances worked by hand from the textbook closed forms:
 *   uniform(2, 8): 5, 6^2/12 = 3
 *   normal truncated to [0, inf) (half-normal): sqrt(2/pi), 1 - 2/pi
 *   normal(10, 2) on [8, 16]: alpha = -1, beta = 3, Z = Phi(3) - Phi(-1);
 *     mean = 10 + 2 (phi(-1) - phi(3))/Z, var from the phi-formula
 *     (Johnson, Kotz & Balakrishnan 1994, §10.1), evaluated with Python's
 *     math.erfc: 10.565572221454309, 2.464566941431317
 *   lognormal(0, 1): e^0.5, (e - 1) e
 *   lognormal90(5, 9): mu = ln(45)/2, sigma = ln(9/5)/(2·1.6448536269514722)
 *     = 0.17867445931693857; mean e^(mu + sigma^2/2) = 6.816141341887365,
 *     var (e^sigma^2 - 1) e^(2 mu + sigma^2) = 1.5071375881756455
 *   triangular(0, 1, 4): 5/3, (0 + 1 + 16 - 0 - 0 - 4)/18 = 13/18
 *   pert(0.3, 0.4, 0.5): alpha = beta = 3; mean (a + 4m + b)/6 = 0.4,
 *     var 0.2^2 · 9/(36 · 7) = 1/700
 *   pert(0, 1, 4, lambda 2): alpha = 1.5, beta = 2.5; mean (0 + 2 + 4)/4
 *     = 1.5, var 16 · 3.75/(16 · 5) = 0.75
 *   beta(2, 5): 2/7, 10/(49 · 8) = 5/196
 *   beta(2, 5) on [10, 24]: 10 + 14 · 2/7 = 14, 196 · 5/196 = 5
 *   gamma(2, 3): 6, 18; gamma(0.5, 2): 1, 2
 *   poisson(4): 4, 4; bernoulli(0.3): 0.3, 0.21
 *   choice {10: 2, 1: 1, 2: 1}: p = 0.5, 0.25, 0.25; mean 5.75,
 *     var 0.25 + 1 + 50 - 5.75^2 = 18.1875
 *   samples {4, 1, 3, 2}: 2.5, population variance 1.25
 */
static const spec specs[] = {
    {"fixed", GPB_DIST_FIXED, {3}, 3, 0},
    {"uniform", GPB_DIST_UNIFORM, {2, 8}, 5, 3},
    {"normal", GPB_DIST_NORMAL, {10, 2}, 10, 4},
    {"half-normal", V_TRUNC, {0, 1, 0, INFINITY}, 0.7978845608028654,
     0.3633802276324186},
    {"truncated normal", V_TRUNC, {10, 2, 8, 16}, 10.565572221454309,
     2.464566941431317},
    {"lognormal", GPB_DIST_LOGNORMAL, {0, 1}, 1.6487212707001282,
     4.670774270471604},
    {"lognormal90", GPB_DIST_LOGNORMAL90, {5, 9}, 6.816141341887365,
     1.5071375881756455},
    {"triangular", GPB_DIST_TRIANGULAR, {0, 1, 4}, 5.0 / 3.0, 13.0 / 18.0},
    {"pert", GPB_DIST_PERT, {0.3, 0.4, 0.5}, 0.4, 1.0 / 700.0},
    {"pert lambda 2", V_LAMBDA, {0, 1, 4, 2}, 1.5, 0.75},
    {"beta", GPB_DIST_BETA, {2, 5}, 2.0 / 7.0, 5.0 / 196.0},
    {"beta scaled", V_SCALED, {2, 5, 10, 24}, 14, 5},
    {"gamma", GPB_DIST_GAMMA, {2, 3}, 6, 18},
    {"gamma small shape", GPB_DIST_GAMMA, {0.5, 2}, 1, 2},
    {"poisson", GPB_DIST_POISSON, {4}, 4, 4},
    {"bernoulli", GPB_DIST_BERNOULLI, {0.3}, 0.3, 0.21},
    {"choice", GPB_DIST_CHOICE, {0}, 5.75, 18.1875},
    {"samples", GPB_DIST_SAMPLES, {0}, 2.5, 1.25},
};
#define NSPECS ((int)(sizeof specs / sizeof specs[0]))

static gpb_status build(const spec *s, gpb_dist *d, gpb_error *e)
{
    const double *a = s->a;
    switch (s->kind) {
    case GPB_DIST_FIXED:
        return gpb_dist_fixed(a[0], d, e);
    case GPB_DIST_UNIFORM:
        return gpb_dist_uniform(a[0], a[1], d, e);
    case GPB_DIST_NORMAL:
        return gpb_dist_normal(a[0], a[1], d, e);
    case V_TRUNC:
        return gpb_dist_normal_truncated(a[0], a[1], a[2], a[3], d, e);
    case GPB_DIST_LOGNORMAL:
        return gpb_dist_lognormal(a[0], a[1], d, e);
    case GPB_DIST_LOGNORMAL90:
        return gpb_dist_lognormal90(a[0], a[1], d, e);
    case GPB_DIST_TRIANGULAR:
        return gpb_dist_triangular(a[0], a[1], a[2], d, e);
    case GPB_DIST_PERT:
        return gpb_dist_pert(a[0], a[1], a[2], d, e);
    case V_LAMBDA:
        return gpb_dist_pert_lambda(a[0], a[1], a[2], a[3], d, e);
    case GPB_DIST_BETA:
        return gpb_dist_beta(a[0], a[1], d, e);
    case V_SCALED:
        return gpb_dist_beta_scaled(a[0], a[1], a[2], a[3], d, e);
    case GPB_DIST_GAMMA:
        return gpb_dist_gamma(a[0], a[1], d, e);
    case GPB_DIST_POISSON:
        return gpb_dist_poisson(a[0], d, e);
    case GPB_DIST_BERNOULLI:
        return gpb_dist_bernoulli(a[0], d, e);
    case GPB_DIST_CHOICE:
        return gpb_dist_choice(choice_v, choice_w, 3, d, e);
    case GPB_DIST_SAMPLES:
        return gpb_dist_samples(samples_v, 4, d, e);
    default:
        ck_abort_msg("unknown spec kind %d", s->kind);
        return GPB_EINVAL;
    }
}

static void build_ok(const spec *s, gpb_dist *d)
{
    gpb_error e;
    gpb_status st = build(s, d, &e);
    ck_assert_msg(st == GPB_OK, "%s: %s", s->label, e.message);
}

/* ------------------------------------------------------------------------ */
/* Constructor validation                                                    */
/* ------------------------------------------------------------------------ */

static const double nan_v[] = {1, NAN, 3};
static const double neg_w[] = {1, -1, 1};
static const double zero_w[] = {0, 0, 0};

typedef struct bad_case {
    int kind;
    double a[4];
    gpb_status status;
    const char *substring;
} bad_case;

enum { B_CHOICE_NEG = 200, B_CHOICE_ZERO, B_CHOICE_EMPTY, B_CHOICE_NULL,
       B_CHOICE_NANV, B_SAMPLES_NAN, B_SAMPLES_EMPTY };

static const bad_case bad_cases[] = {
    {GPB_DIST_FIXED, {INFINITY}, GPB_EINVAL, "fixed: value (inf) must be"},
    {GPB_DIST_UNIFORM, {5, 3}, GPB_EINVAL,
     "uniform: lo (5) must be below hi (3)"},
    {GPB_DIST_UNIFORM, {NAN, 3}, GPB_EINVAL, "uniform: lo (nan) must be a"},
    {GPB_DIST_UNIFORM, {2, 2}, GPB_EINVAL, "lo (2) must be below hi (2)"},
    {GPB_DIST_NORMAL, {0, 0}, GPB_EINVAL, "normal: sigma (0) must be pos"},
    {GPB_DIST_NORMAL, {0, -1}, GPB_EINVAL, "sigma (-1) must be positive"},
    {GPB_DIST_NORMAL, {INFINITY, 1}, GPB_EINVAL, "mu (inf) must be a fin"},
    {V_TRUNC, {0, 1, 2, 1}, GPB_EINVAL, "a (2) must be below b (1)"},
    {V_TRUNC, {0, 1, 50, 60}, GPB_ERANGE, "holds no probability"},
    {GPB_DIST_LOGNORMAL, {0, 0}, GPB_EINVAL, "lognormal: sigma (0) must"},
    {GPB_DIST_LOGNORMAL90, {0, 5}, GPB_EINVAL,
     "lognormal90: lo (0) must be positive"},
    {GPB_DIST_LOGNORMAL90, {-2, 5}, GPB_EINVAL, "lo (-2) must be positive"},
    {GPB_DIST_LOGNORMAL90, {5, 3}, GPB_EINVAL,
     "lognormal90: lo (5) must be below hi (3)"},
    {GPB_DIST_TRIANGULAR, {0, 2, 1}, GPB_EINVAL,
     "triangular: mode (2) must lie in [min, max] = [0, 1]"},
    {GPB_DIST_TRIANGULAR, {1, 1, 1}, GPB_EINVAL,
     "min (1) must be below max (1)"},
    {GPB_DIST_PERT, {0.3, 0.6, 0.5}, GPB_EINVAL, "pert: mode (0.6) must lie"},
    {GPB_DIST_PERT, {0.5, 0.5, 0.5}, GPB_EINVAL,
     "pert: min (0.5) must be below max (0.5)"},
    {GPB_DIST_PERT, {0.5, 0.4, 0.3}, GPB_EINVAL, "min (0.5) must be below"},
    {V_LAMBDA, {0, 1, 2, -1}, GPB_EINVAL, "lambda (-1) must not be neg"},
    {V_LAMBDA, {0, 1, 2, 2e6}, GPB_ERANGE, "lambda (2e+06) must be at most"},
    {GPB_DIST_BETA, {0, 1}, GPB_EINVAL, "beta: a (0) must be positive"},
    {GPB_DIST_BETA, {1, -3}, GPB_EINVAL, "beta: b (-3) must be positive"},
    {GPB_DIST_BETA, {2e6, 1}, GPB_ERANGE, "a (2e+06) must be at most 1e+06"},
    {V_SCALED, {2, 2, 1, 1}, GPB_EINVAL, "lo (1) must be below hi (1)"},
    {GPB_DIST_GAMMA, {-1, 1}, GPB_EINVAL, "gamma: shape (-1) must be pos"},
    {GPB_DIST_GAMMA, {1, 0}, GPB_EINVAL, "gamma: scale (0) must be pos"},
    {GPB_DIST_GAMMA, {1e7, 1}, GPB_ERANGE, "shape (1e+07) must be at most"},
    {GPB_DIST_POISSON, {-2}, GPB_EINVAL, "poisson: lambda (-2) must be p"},
    {GPB_DIST_POISSON, {NAN}, GPB_EINVAL, "poisson: lambda (nan) must be"},
    {GPB_DIST_BERNOULLI, {1.5}, GPB_ERANGE, "p (1.5) must lie in [0, 1]"},
    {GPB_DIST_BERNOULLI, {-0.1}, GPB_EINVAL, "p (-0.1) must lie in [0, 1]"},
    {B_CHOICE_NEG, {0}, GPB_EINVAL, "weights[1] (-1) must not be negative"},
    {B_CHOICE_ZERO, {0}, GPB_EINVAL, "weights must have a positive"},
    {B_CHOICE_EMPTY, {0}, GPB_EINVAL, "choice: needs at least one value"},
    {B_CHOICE_NULL, {0}, GPB_EINVAL, "choice: values must not be NULL"},
    {B_CHOICE_NANV, {0}, GPB_EINVAL, "choice: values[1] (nan) must be"},
    {B_SAMPLES_NAN, {0}, GPB_EINVAL, "samples: samples[1] (nan) must be"},
    {B_SAMPLES_EMPTY, {0}, GPB_EINVAL, "samples: needs at least one value"},
};
#define NBAD ((int)(sizeof bad_cases / sizeof bad_cases[0]))

static gpb_status build_bad(const bad_case *b, gpb_dist *d, gpb_error *e)
{
    static const double v3[] = {1, 2, 3};
    switch (b->kind) {
    case B_CHOICE_NEG:
        return gpb_dist_choice(v3, neg_w, 3, d, e);
    case B_CHOICE_ZERO:
        return gpb_dist_choice(v3, zero_w, 3, d, e);
    case B_CHOICE_EMPTY:
        return gpb_dist_choice(v3, NULL, 0, d, e);
    case B_CHOICE_NULL:
        return gpb_dist_choice(NULL, NULL, 3, d, e);
    case B_CHOICE_NANV:
        return gpb_dist_choice(nan_v, NULL, 3, d, e);
    case B_SAMPLES_NAN:
        return gpb_dist_samples(nan_v, 3, d, e);
    case B_SAMPLES_EMPTY:
        return gpb_dist_samples(v3, 0, d, e);
    default: {
        spec s = {"bad", b->kind, {b->a[0], b->a[1], b->a[2], b->a[3]}, 0,
                  0};
        return build(&s, d, e);
    }
    }
}

START_TEST(constructor_rejects_bad_parameters)
{
    const bad_case *b = &bad_cases[_i];
    gpb_dist d;
    gpb_error e;
    memset(&d, 0xAB, sizeof d); /* garbage in: must be zeroed on failure */
    gpb_status st = build_bad(b, &d, &e);
    ck_assert_msg(st == b->status, "case %d: status %d, want %d (%s)", _i,
                  st, b->status, e.message);
    ck_assert_int_eq(e.status, b->status);
    ck_assert_msg(strstr(e.message, b->substring) != NULL,
                  "case %d: message '%s' lacks '%s'", _i, e.message,
                  b->substring);
    ck_assert_int_eq(d.kind, GPB_DIST_NONE);
    ck_assert_ptr_null(d.data);
    gpb_dist_free(&d);
    /* A NULL error record is allowed. */
    ck_assert_int_eq(build_bad(b, &d, NULL), b->status);
}
END_TEST

START_TEST(constructor_rejects_null_out)
{
    gpb_error e;
    ck_assert_int_eq(gpb_dist_uniform(0, 1, NULL, &e), GPB_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.message, "out must not be NULL"));
    ck_assert_int_eq(gpb_dist_choice(choice_v, NULL, 3, NULL, NULL),
                     GPB_EINVAL);
}
END_TEST

START_TEST(choice_rejects_too_many_values)
{
    /* The limit is checked before the values are read. */
    gpb_dist d;
    gpb_error e;
    ck_assert_int_eq(gpb_dist_choice(choice_v, NULL,
                                     GPB_DIST_MAX_VALUES + 1, &d, &e),
                     GPB_ELIMIT);
    ck_assert_ptr_nonnull(strstr(e.message, "exceed the limit"));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Moments                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(closed_form_moments_match_hand_values)
{
    /* Tolerance 1e-12 relative: these are closed forms, not estimates. */
    const spec *s = &specs[_i];
    gpb_dist d;
    double m, v;
    build_ok(s, &d);
    ck_assert_int_eq(gpb_dist_mean(&d, &m, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_variance(&d, &v, NULL), GPB_OK);
    ck_assert_msg(fabs(m - s->mean) <= 1e-12 * fmax(1, fabs(s->mean)),
                  "%s: mean %.17g, want %.17g", s->label, m, s->mean);
    ck_assert_msg(fabs(v - s->var) <= 1e-12 * fmax(1, fabs(s->var)),
                  "%s: variance %.17g, want %.17g", s->label, v, s->var);
    gpb_dist_free(&d);
}
END_TEST

START_TEST(moments_reject_unbuilt_and_overflow)
{
    gpb_dist d;
    gpb_error e;
    double m = 42;
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(gpb_dist_mean(&d, &m, &e), GPB_EINVAL);
    ck_assert_double_eq(m, 42); /* untouched on failure */
    ck_assert_int_eq(gpb_dist_mean(NULL, &m, &e), GPB_EINVAL);
    /* e^(sigma^2) overflows for sigma = 30. */
    ck_assert_int_eq(gpb_dist_lognormal(0, 30, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_variance(&d, &m, &e), GPB_ERANGE);
    ck_assert_ptr_nonnull(strstr(e.message, "lognormal: the variance"));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Sampling                                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(sample_mean_within_4se_of_closed_form)
{
    /* Mean of NDRAW draws; SE = sqrt(var / NDRAW); tolerance 4 SE. */
    const spec *s = &specs[_i];
    gpb_dist d;
    build_ok(s, &d);
    gsl_rng *r = new_rng(1000 + (unsigned long)_i);
    double sum = 0;
    for (int i = 0; i < NDRAW; i++)
        sum += gpb_dist_sample(&d, r);
    double mean = sum / NDRAW, se = sqrt(s->var / NDRAW);
    ck_assert_msg(fabs(mean - s->mean) <= 4 * se + 1e-12,
                  "%s: sample mean %.9g, closed form %.9g, 4 SE %.3g",
                  s->label, mean, s->mean, 4 * se);
    gsl_rng_free(r);
    gpb_dist_free(&d);
}
END_TEST

START_TEST(quantile_of_stratified_uniforms_has_the_mean)
{
    /* quantile(U) must have distribution d: average it over the NDRAW
     * midpoints u = (i + 1/2)/NDRAW. Stratification makes this far more
     * precise than plain sampling, so 4 SE of plain sampling is a loose
     * but honest bound (it also covers the clipped tails). */
    const spec *s = &specs[_i];
    gpb_dist d;
    build_ok(s, &d);
    double sum = 0;
    for (int i = 0; i < NDRAW; i++)
        sum += gpb_dist_quantile(&d, (i + 0.5) / NDRAW);
    double mean = sum / NDRAW, se = sqrt(s->var / NDRAW);
    ck_assert_msg(fabs(mean - s->mean) <= 4 * se + 1e-12,
                  "%s: quantile mean %.9g, closed form %.9g, 4 SE %.3g",
                  s->label, mean, s->mean, 4 * se);
    gpb_dist_free(&d);
}
END_TEST

START_TEST(draws_stay_in_support)
{
    /* Every draw of a bounded kind lies in its support. */
    struct {
        int kind;
        double a[4], lo, hi;
    } cases[] = {
        {V_TRUNC, {10, 2, 8, 16}, 8, 16},
        {V_TRUNC, {0, 1, 0, INFINITY}, 0, INFINITY},
        {V_TRUNC, {0, 1, 3, 3.5}, 3, 3.5},   /* upper-tail branch */
        {V_TRUNC, {0, 1, -9, -8.5}, -9, -8.5}, /* far lower tail */
        {GPB_DIST_UNIFORM, {2, 8}, 2, 8},
        {GPB_DIST_TRIANGULAR, {0, 1, 4}, 0, 4},
        {GPB_DIST_PERT, {0.3, 0.4, 0.5}, 0.3, 0.5},
        {V_SCALED, {0.5, 0.5, -1, 1}, -1, 1},
        {GPB_DIST_LOGNORMAL90, {5, 9}, 0, INFINITY},
    };
    gsl_rng *r = new_rng(7);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        spec s = {"support", cases[c].kind,
                  {cases[c].a[0], cases[c].a[1], cases[c].a[2],
                   cases[c].a[3]},
                  0, 0};
        gpb_dist d;
        build_ok(&s, &d);
        for (int i = 0; i < NDRAW / 4; i++) {
            double x = gpb_dist_sample(&d, r);
            ck_assert_msg(x >= cases[c].lo && x <= cases[c].hi,
                          "case %zu: draw %g outside [%g, %g]", c, x,
                          cases[c].lo, cases[c].hi);
        }
        double q0 = gpb_dist_quantile(&d, 0), q1 = gpb_dist_quantile(&d, 1);
        ck_assert(q0 >= cases[c].lo && q1 <= cases[c].hi && q0 <= q1);
        gpb_dist_free(&d);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(lognormal90_recovers_its_percentiles)
{
    gpb_dist d;
    ck_assert_int_eq(gpb_dist_lognormal90(5, 9, &d, NULL), GPB_OK);
    /* Through the quantile function: 1e-9 relative. */
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.05), 5.0, 5e-9);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.95), 9.0, 9e-9);
    ck_assert_double_eq_tol(gpb_dist_cdf(&d, 5.0), 0.05, 1e-12);
    /* By sampling: the fraction below lo (above hi) is binomial with
     * SE sqrt(0.05 · 0.95 / n) = 4.87e-4 for n = 200000; 4 SE. */
    gsl_rng *r = new_rng(11);
    int below = 0, above = 0;
    for (int i = 0; i < NDRAW; i++) {
        double x = gpb_dist_sample(&d, r);
        below += x < 5.0;
        above += x > 9.0;
    }
    double se = sqrt(0.05 * 0.95 / NDRAW);
    ck_assert_msg(fabs((double)below / NDRAW - 0.05) <= 4 * se,
                  "fraction below 5: %g", (double)below / NDRAW);
    ck_assert_msg(fabs((double)above / NDRAW - 0.05) <= 4 * se,
                  "fraction above 9: %g", (double)above / NDRAW);
    gsl_rng_free(r);
    gpb_dist_free(&d);
}
END_TEST

START_TEST(choice_frequencies_match_weights)
{
    /* Each value's frequency is binomial: 4 SE = 4 sqrt(p(1-p)/n). */
    const double v[] = {7, 8, 9, 10};
    const double w[] = {1, 0, 3, 6};
    gpb_dist d;
    ck_assert_int_eq(gpb_dist_choice(v, w, 4, &d, NULL), GPB_OK);
    gsl_rng *r = new_rng(12);
    int count[4] = {0};
    for (int i = 0; i < NDRAW; i++) {
        double x = gpb_dist_sample(&d, r);
        ck_assert(x == 7 || x == 9 || x == 10); /* 8 has weight 0 */
        count[(int)x - 7]++;
    }
    for (int k = 0; k < 4; k++) {
        double p = w[k] / 10.0, f = (double)count[k] / NDRAW;
        ck_assert_msg(fabs(f - p) <= 4 * sqrt(p * (1 - p) / NDRAW) + 1e-15,
                      "value %g: frequency %g, want %g", v[k], f, p);
    }
    gsl_rng_free(r);
    gpb_dist_free(&d);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Quantiles                                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(quantiles_match_closed_forms)
{
    gpb_dist d;
    /* Standard normal: Phi^-1(0.975) = 1.959963984540054 (A&S Table 26.5
     * gives 1.959964); 1e-9. */
    ck_assert_int_eq(gpb_dist_normal(0, 1, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.975), 1.959963984540054,
                            1e-9);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.5), 0.0, 1e-15);
    /* Clamping: u = 0 and 1 give finite extremes (+-8.2095 = Phi^-1 of
     * 2^-53), out-of-range u equals the clamped one, NaN gives NaN. */
    double q0 = gpb_dist_quantile(&d, 0), q1 = gpb_dist_quantile(&d, 1);
    ck_assert(isfinite(q0) && isfinite(q1));
    ck_assert_double_eq_tol(q0, -8.209536151601387, 1e-9);
    ck_assert_double_eq_tol(q1, -q0, 1e-9);
    ck_assert_double_eq(gpb_dist_quantile(&d, -3), q0);
    ck_assert_double_eq(gpb_dist_quantile(&d, 7), q1);
    ck_assert(isnan(gpb_dist_quantile(&d, NAN)));

    /* Half-normal: quantile(u) = Phi^-1((1 + u)/2); u = 0.5 gives
     * Phi^-1(0.75) = 0.6744897501960817. */
    ck_assert_int_eq(gpb_dist_normal_truncated(0, 1, 0, INFINITY, &d, NULL),
                     GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.5), 0.6744897501960817,
                            1e-12);

    /* Uniform(2, 8): 2 + 6u. */
    ck_assert_int_eq(gpb_dist_uniform(2, 8, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.25), 3.5, 1e-15);

    /* Triangular(0, 1, 4): F(mode) = 1/4. Below it min + sqrt(u·4·1):
     * u = 0.1 gives sqrt(0.4) = 0.6324555320336759; above it
     * max - sqrt((1-u)·4·3): u = 0.5 gives 4 - sqrt(6) = 1.5505102572168221.
     */
    ck_assert_int_eq(gpb_dist_triangular(0, 1, 4, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.1), 0.6324555320336759,
                            1e-14);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.5), 1.5505102572168221,
                            1e-14);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.25), 1.0, 1e-14);
    ck_assert_double_eq_tol(gpb_dist_cdf(&d, 1.0), 0.25, 1e-15);

    /* Gamma(1, 2) is exponential with mean 2: -2 ln(1 - u); u = 0.5 gives
     * 2 ln 2 = 1.3862943611198906. Gamma(2, 1): F(1) = 1 - 2/e
     * = 0.26424111765711533. 1e-12 relative. */
    ck_assert_int_eq(gpb_dist_gamma(1, 2, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.5), 1.3862943611198906,
                            2e-12);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 1e-10),
                            -2 * log1p(-1e-10), 1e-21);
    double u_hi = 1 - 1e-10; /* 1 - u_hi is exact (Sterbenz) */
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, u_hi),
                            -2 * log1p(-u_hi), 1e-9);
    ck_assert_int_eq(gpb_dist_gamma(2, 1, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_cdf(&d, 1.0), 0.26424111765711533,
                            1e-15);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.26424111765711533), 1.0,
                            1e-12);

    /* Beta(2, 1): F = x^2, quantile sqrt(u). Beta(1, 3): F = 1 - (1-x)^3,
     * quantile 1 - (1-u)^(1/3). PERT(0, 0.5, 1) is symmetric: median 0.5.
     * Scaled beta(1, 1) on [10, 20] is uniform. */
    ck_assert_int_eq(gpb_dist_beta(2, 1, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.3), sqrt(0.3), 1e-13);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 1e-12), 1e-6, 1e-17);
    ck_assert_int_eq(gpb_dist_beta(1, 3, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.9),
                            1 - cbrt(0.1), 1e-13);
    ck_assert_int_eq(gpb_dist_pert(0, 0.5, 1, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.5), 0.5, 1e-13);
    ck_assert_int_eq(gpb_dist_beta_scaled(1, 1, 10, 20, &d, NULL), GPB_OK);
    ck_assert_double_eq_tol(gpb_dist_quantile(&d, 0.37), 13.7, 1e-12);

    /* Bernoulli(0.3): P(X <= 0) = 0.7. */
    ck_assert_int_eq(gpb_dist_bernoulli(0.3, &d, NULL), GPB_OK);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.7), 0);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.71), 1);
    ck_assert_double_eq_tol(gpb_dist_cdf(&d, 0.5), 0.7, 1e-15);
}
END_TEST

START_TEST(discrete_quantiles_are_step_functions)
{
    gpb_dist d;
    /* Poisson(4): P(X <= k) for k = 0..8 by hand (e^-4 4^k / k! summed):
     * 0.01832, 0.09158, 0.23810, 0.43347, 0.62884, 0.78513, 0.88933,
     * 0.94887, 0.97864. */
    ck_assert_int_eq(gpb_dist_poisson(4, &d, NULL), GPB_OK);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.01), 0);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.0183), 0);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.0184), 1);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.4), 3);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.44), 4);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.95), 8);
    ck_assert_double_eq_tol(gpb_dist_cdf(&d, 3.5), 0.43347012036670884,
                            1e-14);
    ck_assert_double_eq(gpb_dist_cdf(&d, -0.5), 0);

    /* Large lambda: q is the smallest k with P(X <= k) >= u, checked with
     * GSL's own Poisson CDF. */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    ck_assert_int_eq(gpb_dist_poisson(1e4, &d, NULL), GPB_OK);
    const double us[] = {1e-9, 0.02, 0.5, 0.77, 0.999999};
    for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
        double q = gpb_dist_quantile(&d, us[i]);
        unsigned k = (unsigned)q;
        ck_assert_double_eq(q, (double)k);
        ck_assert_msg(gsl_cdf_poisson_P(k, 1e4) >= us[i] * (1 - 1e-10),
                      "u %g: P(X <= %u) = %g", us[i], k,
                      gsl_cdf_poisson_P(k, 1e4));
        ck_assert_msg(gsl_cdf_poisson_P(k - 1, 1e4) < us[i] * (1 + 1e-10),
                      "u %g: P(X <= %u) = %g", us[i], k - 1,
                      gsl_cdf_poisson_P(k - 1, 1e4));
    }
    gsl_set_error_handler(old);

    /* Choice {1: 0.25, 2: 0.25, 10: 0.5}: cumulative 0.25, 0.5, 1. */
    spec sc = {"choice", GPB_DIST_CHOICE, {0}, 0, 0};
    build_ok(&sc, &d);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.2), 1);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.25), 1);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.3), 2);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.51), 10);
    ck_assert_double_eq(gpb_dist_quantile(&d, 1), 10);
    ck_assert_double_eq(gpb_dist_cdf(&d, 5), 0.5);
    ck_assert_double_eq(gpb_dist_cdf(&d, 0.5), 0);
    /* The sorted values and probabilities are readable. */
    ck_assert_uint_eq(d.n, 3);
    ck_assert_double_eq(d.data[0], 1);
    ck_assert_double_eq(d.data[2], 10);
    ck_assert_double_eq(d.data[d.n + 2], 0.5);
    gpb_dist_free(&d);

    /* Samples {4, 1, 3, 2}: the empirical step function. */
    ck_assert_int_eq(gpb_dist_samples(samples_v, 4, &d, NULL), GPB_OK);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0), 1);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.25), 1);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.26), 2);
    ck_assert_double_eq(gpb_dist_quantile(&d, 0.999), 4);
    ck_assert_double_eq(gpb_dist_cdf(&d, 3), 0.75);
    gpb_dist_free(&d);
}
END_TEST

/*
 * The beta and gamma inverses are computed in dist.c; check them against
 * GSL's independent CDFs: at x = quantile(u), GSL's P(x) must equal u (and
 * its Q(x) equal 1 - u above the median), to 1e-9 relative, or to within
 * the change of the CDF across one double either side of x where x's own
 * spacing limits it (beta(0.5, 0.5) at u = 1 - 1e-6 has 1 - x = 2.5e-12,
 * where one ulp of x moves Q by 2e-5 relative). GSL's own handler is
 * switched off here so that a GSL failure shows up as a test failure, not
 * an abort.
 */
START_TEST(beta_and_gamma_quantiles_agree_with_gsl_cdfs)
{
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    const double us[] = {1e-10, 1e-6,  0.001, 0.05,   0.3,
                         0.5,   0.7,   0.95,  0.999, 1 - 1e-6};
    const double betas[][2] = {{0.5, 0.5}, {2, 5},    {0.3, 4},
                               {4, 0.3},   {30, 50},  {200, 150},
                               {1, 1},     {3000, 7000}};
    const double gammas[] = {0.3, 1, 2.5, 40, 5000, 3e5};
    for (size_t j = 0; j < sizeof betas / sizeof betas[0]; j++) {
        gpb_dist d;
        ck_assert_int_eq(gpb_dist_beta(betas[j][0], betas[j][1], &d, NULL),
                         GPB_OK);
        for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
            double u = us[i], x = gpb_dist_quantile(&d, u);
            double a = betas[j][0], b = betas[j][1];
            double (*F)(double, double, double) =
                u <= 0.5 ? gsl_cdf_beta_P : gsl_cdf_beta_Q;
            double got = F(x, a, b), want = u <= 0.5 ? u : 1 - u;
            double ulp = fabs(F(nextafter(x, 2), a, b) -
                              F(nextafter(x, -1), a, b));
            ck_assert_msg(fabs(got - want) <= 1e-9 * want + ulp,
                          "beta(%g, %g) u=%g: x=%.17g, GSL gives %.17g",
                          a, b, u, x, got);
            /* Our own CDF round-trips too (to rounding of 1 - F above the
             * median). */
            double own = gpb_dist_cdf(&d, x);
            ck_assert_msg(fabs(own - u) <= 1e-9 * want + ulp + 2e-16,
                          "beta(%g, %g) u=%g: own cdf %.17g", a, b, u, own);
        }
    }
    for (size_t j = 0; j < sizeof gammas / sizeof gammas[0]; j++) {
        gpb_dist d;
        double k = gammas[j];
        ck_assert_int_eq(gpb_dist_gamma(k, 1.5, &d, NULL), GPB_OK);
        for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
            double u = us[i], x = gpb_dist_quantile(&d, u);
            double (*F)(double, double, double) =
                u <= 0.5 ? gsl_cdf_gamma_P : gsl_cdf_gamma_Q;
            double got = F(x, k, 1.5), want = u <= 0.5 ? u : 1 - u;
            double ulp = fabs(F(nextafter(x, INFINITY), k, 1.5) -
                              F(nextafter(x, 0), k, 1.5));
            ck_assert_msg(fabs(got - want) <= 1e-9 * want + ulp,
                          "gamma(%g) u=%g: x=%.17g, GSL gives %.17g", k, u,
                          x, got);
        }
    }
    gsl_set_error_handler(old);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Copula                                                                    */
/* ------------------------------------------------------------------------ */

#define NCOP 100000

START_TEST(copula_reproduces_rank_correlations)
{
    /* rho_s(0,1) = 0.7, rho_s(0,2) = -0.3, rho_s(1,2) = 0.2. The sample
     * Spearman coefficient of n = 100000 pairs has SE about
     * (1 - rho^2)/sqrt(n) <= 0.0032; 0.01 is 3 SE at rho = 0 and 6 SE at
     * rho = 0.7. The marginals are continuous (lognormal90, PERT, gamma),
     * so their ranks are those of the uniforms. */
    const double rho[9] = {1, 0.7, -0.3, 0.7, 1, 0.2, -0.3, 0.2, 1};
    gpb_copula *c = NULL;
    gpb_error e;
    ck_assert_int_eq(gpb_copula_new(3, rho, &c, &e), GPB_OK);
    ck_assert_uint_eq(gpb_copula_dim(c), 3);
    gpb_dist m[3];
    ck_assert_int_eq(gpb_dist_lognormal90(5, 9, &m[0], NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_pert(0.3, 0.4, 0.5, &m[1], NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_gamma(2, 3, &m[2], NULL), GPB_OK);
    double *x = malloc(3 * NCOP * sizeof *x);
    double *work = malloc(2 * NCOP * sizeof *work);
    ck_assert(x && work);
    gsl_rng *r = new_rng(2024);
    double usum[3] = {0, 0, 0};
    for (int i = 0; i < NCOP; i++) {
        double u[3];
        gpb_copula_sample(c, r, u);
        for (int k = 0; k < 3; k++) {
            ck_assert(u[k] > 0 && u[k] < 1);
            usum[k] += u[k];
            x[k * NCOP + i] = gpb_dist_quantile(&m[k], u[k]);
        }
    }
    for (int k = 0; k < 3; k++) {
        /* Each margin stays uniform: mean 1/2, SE sqrt(1/12/n); 4 SE. */
        ck_assert_double_eq_tol(usum[k] / NCOP, 0.5,
                                4 * sqrt(1.0 / 12 / NCOP));
    }
    int pairs[3][2] = {{0, 1}, {0, 2}, {1, 2}};
    for (int p = 0; p < 3; p++) {
        int i = pairs[p][0], j = pairs[p][1];
        double s = gpb_stats_spearman(x + i * NCOP, x + j * NCOP, NCOP, work);
        ck_assert_msg(fabs(s - rho[i * 3 + j]) <= 0.01,
                      "pair (%d, %d): Spearman %g, want %g", i, j, s,
                      rho[i * 3 + j]);
    }
    gsl_rng_free(r);
    free(x);
    free(work);
    for (int k = 0; k < 3; k++)
        gpb_dist_free(&m[k]);
    gpb_copula_free(c);
}
END_TEST

START_TEST(copula_rejects_bad_matrices)
{
    gpb_copula *c = (gpb_copula *)&c; /* set to NULL on failure */
    gpb_error e;
    /* 2 sin(0.9 pi/6) = 0.908; the 3x3 minor is 1 - 3(0.908^2)
     * - 2(0.908^3) < 0 while the 2x2 minor 1 - 0.908^2 > 0. */
    const double notpd[9] = {1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1};
    ck_assert_int_eq(gpb_copula_new(3, notpd, &c, &e), GPB_ENOTPD);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(e.message, "correlation matrix is not positive definite "
                                "(leading minor 3 is not positive)");

    const double asym[4] = {1, 0.5, 0.4, 1};
    ck_assert_int_eq(gpb_copula_new(2, asym, &c, &e), GPB_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.message, "not symmetric: (0, 1) is 0.5"));
    const double diag[4] = {1, 0.5, 0.5, 0.9};
    ck_assert_int_eq(gpb_copula_new(2, diag, &c, &e), GPB_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.message, "(1, 1) is 0.9; the diagonal"));
    const double big[4] = {1, 1.2, 1.2, 1};
    ck_assert_int_eq(gpb_copula_new(2, big, &c, &e), GPB_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.message, "(0, 1) is 1.2; it must lie"));
    const double nan_m[4] = {1, NAN, NAN, 1};
    ck_assert_int_eq(gpb_copula_new(2, nan_m, &c, &e), GPB_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.message, "(0, 1) is not a number"));
    ck_assert_int_eq(gpb_copula_new(0, asym, &c, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_copula_new(2, NULL, &c, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_copula_new(2, asym, NULL, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_copula_new(GPB_COPULA_MAX_DIM + 1, asym, &c, &e),
                     GPB_ERANGE);
    gpb_copula_free(NULL);
    ck_assert_uint_eq(gpb_copula_dim(NULL), 0);
}
END_TEST

START_TEST(identity_copula_gives_independent_uniforms)
{
    const double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    gpb_copula *c;
    ck_assert_int_eq(gpb_copula_new(3, id, &c, NULL), GPB_OK);
    /* The transform is the identity: Phi(Phi^-1(u)) = u to 1e-14. */
    double u[3] = {0.001, 0.5, 0.987}, v[3];
    gpb_copula_transform(c, u, v);
    for (int k = 0; k < 3; k++)
        ck_assert_double_eq_tol(v[k], u[k], 1e-14);
    /* Sampled pairs are uncorrelated: |Spearman| <= 4 SE, SE = 1/sqrt(n-1)
     * = 0.00316 for n = 100000. */
    double *x = malloc(3 * NCOP * sizeof *x);
    double *work = malloc(2 * NCOP * sizeof *work);
    ck_assert(x && work);
    gsl_rng *r = new_rng(99);
    for (int i = 0; i < NCOP; i++) {
        gpb_copula_sample(c, r, u);
        for (int k = 0; k < 3; k++)
            x[k * NCOP + i] = u[k];
    }
    double lim = 4 / sqrt(NCOP - 1.0);
    ck_assert(fabs(gpb_stats_spearman(x, x + NCOP, NCOP, work)) <= lim);
    ck_assert(fabs(gpb_stats_spearman(x, x + 2 * NCOP, NCOP, work)) <= lim);
    ck_assert(fabs(gpb_stats_spearman(x + NCOP, x + 2 * NCOP, NCOP, work)) <=
              lim);
    gsl_rng_free(r);
    free(x);
    free(work);
    gpb_copula_free(c);
}
END_TEST

START_TEST(copula_transform_works_in_place_and_clamps)
{
    /* For n = 2 with Pearson r = 2 sin(pi 0.5/6) = 0.5176380902050415:
     * z1 = e1, z2 = r e1 + sqrt(1 - r^2) e2. With u = (0.5, 0.5), e = 0 so
     * the result is (0.5, 0.5); with u = (0.975, 0.5),
     * z2 = r · 1.959963984540054. */
    const double rho[4] = {1, 0.5, 0.5, 1};
    gpb_copula *c;
    ck_assert_int_eq(gpb_copula_new(2, rho, &c, NULL), GPB_OK);
    double u[2] = {0.975, 0.5}, v[2];
    gpb_copula_transform(c, u, v);
    double r = 2 * sin(M_PI * 0.5 / 6);
    ck_assert_double_eq_tol(v[0], 0.975, 1e-14);
    ck_assert_double_eq_tol(v[1], gsl_cdf_ugaussian_P(r * 1.959963984540054),
                            1e-12);
    gpb_copula_transform(c, u, u); /* in place */
    ck_assert_double_eq(u[0], v[0]);
    ck_assert_double_eq(u[1], v[1]);
    /* u = 0 and 1 are clamped: results stay inside (0, 1). */
    double w[2] = {0, 1};
    gpb_copula_transform(c, w, w);
    ck_assert(w[0] > 0 && w[0] < 1 && w[1] > 0 && w[1] < 1);
    gpb_copula_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Determinism, copies, descriptions                                         */
/* ------------------------------------------------------------------------ */

START_TEST(same_seed_gives_same_draws)
{
    const spec *s = &specs[_i];
    gpb_dist d;
    build_ok(s, &d);
    gsl_rng *r1 = new_rng(42), *r2 = new_rng(42);
    for (int i = 0; i < 1000; i++) {
        double a = gpb_dist_sample(&d, r1), b = gpb_dist_sample(&d, r2);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "%s: draw %d differs",
                      s->label, i);
    }
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    gpb_dist_free(&d);
}
END_TEST

START_TEST(same_seed_gives_same_copula_draws)
{
    const double rho[4] = {1, -0.4, -0.4, 1};
    gpb_copula *c;
    ck_assert_int_eq(gpb_copula_new(2, rho, &c, NULL), GPB_OK);
    gsl_rng *r1 = new_rng(5), *r2 = new_rng(5);
    for (int i = 0; i < 1000; i++) {
        double a[2], b[2];
        gpb_copula_sample(c, r1, a);
        gpb_copula_sample(c, r2, b);
        ck_assert(memcmp(a, b, sizeof a) == 0);
    }
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    gpb_copula_free(c);
}
END_TEST

START_TEST(copy_is_deep_and_free_is_safe)
{
    gpb_dist a, b, z;
    memset(&z, 0, sizeof z);
    gpb_dist_free(&z); /* zeroed */
    gpb_dist_free(NULL);
    ck_assert_int_eq(gpb_dist_choice(choice_v, choice_w, 3, &a, NULL),
                     GPB_OK);
    ck_assert_int_eq(gpb_dist_copy(&a, &b, NULL), GPB_OK);
    ck_assert_ptr_ne(a.data, b.data);
    gsl_rng *r1 = new_rng(3), *r2 = new_rng(3);
    double x[100];
    for (int i = 0; i < 100; i++)
        x[i] = gpb_dist_sample(&a, r1);
    gpb_dist_free(&a);
    gpb_dist_free(&a); /* twice */
    ck_assert_int_eq(a.kind, GPB_DIST_NONE);
    for (int i = 0; i < 100; i++)
        ck_assert_double_eq(gpb_dist_sample(&b, r2), x[i]);
    ck_assert(isnan(gpb_dist_sample(&a, r1))); /* freed: NONE */
    ck_assert(isnan(gpb_dist_quantile(&a, 0.5)));
    gpb_dist_free(&b);
    /* A kind without an array copies by value. */
    ck_assert_int_eq(gpb_dist_pert(1, 2, 4, &a, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_copy(&a, &b, NULL), GPB_OK);
    ck_assert_ptr_null(b.data);
    ck_assert_double_eq(gpb_dist_quantile(&a, 0.3),
                        gpb_dist_quantile(&b, 0.3));
    ck_assert_int_eq(gpb_dist_copy(NULL, &b, NULL), GPB_EINVAL);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}
END_TEST

START_TEST(describe_and_kind_names)
{
    char buf[128];
    gpb_dist d;
    ck_assert_int_eq(gpb_dist_pert(0.3, 0.4, 0.5, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_describe(&d, buf, sizeof buf),
                     (int)strlen("pert(0.3, 0.4, 0.5)"));
    ck_assert_str_eq(buf, "pert(0.3, 0.4, 0.5)");
    ck_assert_int_eq(gpb_dist_pert_lambda(0, 1, 2, 3, &d, NULL), GPB_OK);
    gpb_dist_describe(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "pert(0, 1, 2, lambda=3)");
    ck_assert_int_eq(gpb_dist_uniform(8, 12, &d, NULL), GPB_OK);
    gpb_dist_describe(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "uniform(8, 12)");
    ck_assert_int_eq(gpb_dist_normal_truncated(0, 1, 0, INFINITY, &d, NULL),
                     GPB_OK);
    gpb_dist_describe(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "normal(0, 1, truncated to [0, inf])");
    ck_assert_int_eq(gpb_dist_lognormal90(6e5, 1.5e6, &d, NULL), GPB_OK);
    gpb_dist_describe(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "lognormal90(600000, 1.5e+06)");
    spec sc = {"choice", GPB_DIST_CHOICE, {0}, 0, 0};
    build_ok(&sc, &d);
    gpb_dist_describe(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "choice(1: 0.25, 2: 0.25, 10: 0.5)");
    /* Truncation keeps a NUL and reports the full length. */
    char small[8];
    int n = gpb_dist_describe(&d, small, sizeof small);
    ck_assert_int_eq(n, (int)strlen("choice(1: 0.25, 2: 0.25, 10: 0.5)"));
    ck_assert_str_eq(small, "choice(");
    ck_assert_int_eq(gpb_dist_describe(&d, NULL, 0), n);
    gpb_dist_free(&d);
    ck_assert_int_eq(gpb_dist_samples(samples_v, 4, &d, NULL), GPB_OK);
    gpb_dist_describe(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "samples(n=4, 1 to 4)");
    gpb_dist_free(&d);

    /* The YAML keys, and the round trip through kind_from_name. */
    const char *keys[] = {"fixed",      "uniform", "normal",    "lognormal",
                          "lognormal90", "triangular", "pert",  "beta",
                          "gamma",      "poisson", "bernoulli", "choice",
                          "samples"};
    for (int k = 1; k < GPB_DIST_KIND_COUNT; k++) {
        gpb_dist_kind back;
        ck_assert_str_eq(gpb_dist_kind_name((gpb_dist_kind)k), keys[k - 1]);
        ck_assert_int_eq(gpb_dist_kind_from_name(keys[k - 1], &back),
                         GPB_OK);
        ck_assert_int_eq(back, k);
    }
    gpb_dist_kind back;
    ck_assert_int_eq(GPB_DIST_PERT, 7); /* numbers never change */
    ck_assert_str_eq(gpb_dist_kind_name(GPB_DIST_NONE), "none");
    ck_assert_str_eq(gpb_dist_kind_name((gpb_dist_kind)99), "unknown");
    ck_assert_int_eq(gpb_dist_kind_from_name("none", &back), GPB_ENOTFOUND);
    ck_assert_int_eq(gpb_dist_kind_from_name("PERT", &back), GPB_ENOTFOUND);
    ck_assert_int_eq(gpb_dist_kind_from_name(NULL, &back), GPB_EINVAL);
}
END_TEST

START_TEST(is_fixed_marks_constants_only)
{
    gpb_dist d;
    const double same[] = {3, 3, 3};
    const double w[] = {0, 1, 0};
    ck_assert_int_eq(gpb_dist_fixed(3, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_is_fixed(&d), 1);
    ck_assert_int_eq(gpb_dist_uniform(0, 1, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_is_fixed(&d), 0);
    ck_assert_int_eq(gpb_dist_bernoulli(1, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_is_fixed(&d), 1);
    ck_assert_int_eq(gpb_dist_samples(same, 3, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_is_fixed(&d), 1);
    gpb_dist_free(&d);
    ck_assert_int_eq(gpb_dist_choice(choice_v, w, 3, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_is_fixed(&d), 1); /* only 1 has weight */
    gpb_dist_free(&d);
    ck_assert_int_eq(gpb_dist_choice(choice_v, NULL, 3, &d, NULL), GPB_OK);
    ck_assert_int_eq(gpb_dist_is_fixed(&d), 0);
    gpb_dist_free(&d);
    ck_assert_int_eq(gpb_dist_is_fixed(&d), 0); /* NONE */
    ck_assert_int_eq(gpb_dist_is_fixed(NULL), 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Sample statistics                                                         */
/* ------------------------------------------------------------------------ */

START_TEST(stats_quantile_and_spearman)
{
    /* Type 7 on {1, 2, 3, 4}: h = 3p; p = 0.25 gives 1 + 0.75 = 1.75. */
    double s[] = {4, 2, 3, 1};
    gpb_stats_sort(s, 4);
    ck_assert_double_eq(s[0], 1);
    ck_assert_double_eq(s[3], 4);
    ck_assert_double_eq_tol(gpb_stats_quantile_sorted(s, 4, 0.25), 1.75,
                            1e-15);
    ck_assert_double_eq_tol(gpb_stats_quantile_sorted(s, 4, 0.5), 2.5,
                            1e-15);
    ck_assert_double_eq(gpb_stats_quantile_sorted(s, 4, 0), 1);
    ck_assert_double_eq(gpb_stats_quantile_sorted(s, 4, 1), 4);
    ck_assert_double_eq(gpb_stats_quantile_sorted(s, 4, 1.5), 4);
    ck_assert(isnan(gpb_stats_quantile_sorted(s, 0, 0.5)));
    ck_assert(isnan(gpb_stats_quantile_sorted(s, 4, NAN)));
    ck_assert_double_eq(gpb_stats_quantile_sorted(s, 1, 0.7), 1);

    /* x = 1..5, y = 2 1 4 3 5: rank differences -1 1 -1 1 0, sum d^2 = 4,
     * rho = 1 - 6·4/(5·24) = 0.8. With ties, y = 1 2 2 3 (ranks 1, 2.5,
     * 2.5, 4) against x = 1..4: Pearson of the ranks = 0.9486832980505138
     * (= 3/sqrt(10)). */
    double x[] = {1, 2, 3, 4, 5}, y[] = {2, 1, 4, 3, 5}, w[10];
    ck_assert_double_eq_tol(gpb_stats_spearman(x, y, 5, w), 0.8, 1e-14);
    double yt[] = {1, 2, 2, 3};
    ck_assert_double_eq_tol(gpb_stats_spearman(x, yt, 4, w),
                            3 / sqrt(10.0), 1e-14);
    ck_assert(isnan(gpb_stats_spearman(x, y, 1, w)));
    ck_assert(isnan(gpb_stats_spearman(x, NULL, 5, w)));
}
END_TEST

/* The pseudo-random data of stats_quantiles_equal_sorting: value i of
   kind k (continuous of both signs, six whole numbers with many ties, one
   value), from a 64-bit LCG's top bits. */
static double quantile_datum(int kind, uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    double u = (double)(*state >> 11) * 0x1p-53;
    return kind == 0 ? 1e6 * (u - 0.3) : kind == 1 ? floor(6 * u) : 2.5;
}

START_TEST(stats_quantiles_equal_sorting)
{
    /*
     * gpb__stats_quantiles (internal.h) selects only the order statistics
     * the type-7 interpolation reads, where the claims' and compare's
     * figures used to sort every value. Against the sort and
     * gpb_stats_quantile_sorted on the same values (GSL's heapsort and
     * its quantile: an independent path), bit for bit: sizes 1 to 4,097,
     * continuous values, heavy ties and a constant, levels at the ends,
     * between ranks, outside [0, 1] (clamped) and NaN.
     */
    static const size_t sizes[] = {1, 2, 3, 4, 10, 101, 1000, 4097};
    static const double lv[] = {0.05, 0.5, 0.95, 0, 1,   0.999, 1e-9,
                                0.25, -0.1, 1.2, NAN, 0.5,  0.7311};
    const size_t nl = sizeof lv / sizeof *lv;
    uint64_t state = 20261204;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (int kind = 0; kind < 3; kind++) {
            size_t n = sizes[si];
            double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
            ck_assert_ptr_nonnull(a);
            ck_assert_ptr_nonnull(b);
            for (size_t i = 0; i < n; i++)
                a[i] = b[i] = quantile_datum(kind, &state);
            double got[16], want[16];
            ck_assert_int_eq(gpb__stats_quantiles(a, n, lv, nl, got), 0);
            gpb_stats_sort(b, n);
            for (size_t j = 0; j < nl; j++) {
                want[j] = gpb_stats_quantile_sorted(b, n, lv[j]);
                ck_assert_msg(memcmp(&got[j], &want[j], sizeof got[j]) == 0,
                              "n %zu, kind %d, p %g: %.17g, sorted %.17g", n,
                              kind, lv[j], got[j], want[j]);
            }
            free(a);
            free(b);
        }
    /* No values: NaN, as gpb_stats_quantile_sorted. */
    double none;
    ck_assert_int_eq(gpb__stats_quantiles(NULL, 0, lv, 1, &none), 0);
    ck_assert(isnan(none));
}
END_TEST

static Suite *dist_suite(void)
{
    Suite *s = suite_create("dist");
    TCase *tc = tcase_create("construct");
    tcase_add_loop_test(tc, constructor_rejects_bad_parameters, 0, NBAD);
    tcase_add_test(tc, constructor_rejects_null_out);
    tcase_add_test(tc, choice_rejects_too_many_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("moments");
    tcase_add_loop_test(tc, closed_form_moments_match_hand_values, 0, NSPECS);
    tcase_add_test(tc, moments_reject_unbuilt_and_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("sample");
    tcase_set_timeout(tc, 240);
    tcase_add_loop_test(tc, sample_mean_within_4se_of_closed_form, 0, NSPECS);
    tcase_add_loop_test(tc, quantile_of_stratified_uniforms_has_the_mean, 0,
                        NSPECS);
    tcase_add_test(tc, draws_stay_in_support);
    tcase_add_test(tc, lognormal90_recovers_its_percentiles);
    tcase_add_test(tc, choice_frequencies_match_weights);
    suite_add_tcase(s, tc);

    tc = tcase_create("quantile");
    tcase_add_test(tc, quantiles_match_closed_forms);
    tcase_add_test(tc, discrete_quantiles_are_step_functions);
    tcase_add_test(tc, beta_and_gamma_quantiles_agree_with_gsl_cdfs);
    suite_add_tcase(s, tc);

    tc = tcase_create("copula");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, copula_reproduces_rank_correlations);
    tcase_add_test(tc, copula_rejects_bad_matrices);
    tcase_add_test(tc, identity_copula_gives_independent_uniforms);
    tcase_add_test(tc, copula_transform_works_in_place_and_clamps);
    suite_add_tcase(s, tc);

    tc = tcase_create("determinism");
    tcase_add_loop_test(tc, same_seed_gives_same_draws, 0, NSPECS);
    tcase_add_test(tc, same_seed_gives_same_copula_draws);
    suite_add_tcase(s, tc);

    tc = tcase_create("misc");
    tcase_add_test(tc, copy_is_deep_and_free_is_safe);
    tcase_add_test(tc, describe_and_kind_names);
    tcase_add_test(tc, is_fixed_marks_constants_only);
    tcase_add_test(tc, stats_quantile_and_spearman);
    tcase_add_test(tc, stats_quantiles_equal_sorting);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dist_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
