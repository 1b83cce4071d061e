/*
 * Distributions: validating constructors, sampling, inverse CDFs, moments,
 * the Gaussian copula and two sample statistics (gpubudget/dist.h).
 *
 * GSL supplies the generators' variates (gsl_ran_*), the normal CDF and its
 * inverse, log-gamma functions, sorting and the statistics. GSL's default
 * error handler aborts, so every GSL call here is one that cannot reach it
 * for the arguments it gets: constructors validate parameters, and the
 * incomplete beta and gamma functions and their inverses are computed in
 * this file (GSL's gsl_cdf_beta_Pinv and gsl_cdf_gamma_Pinv raise "inverse
 * failed to converge", and its incomplete gamma raises underflow errors in
 * the far tails a quantile search visits).
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "gpubudget/dist.h"
#include "internal.h"

/* Phi^-1(0.95), the standard normal's 95th percentile (Abramowitz & Stegun
 * 1964, Table 26.5; 1.6448536269514722 to double precision). */
static const double Z95 = 1.6448536269514722;
static const double PI = 3.14159265358979323846;

/* Quantile arguments are clamped to [U_MIN, U_MAX] = [2^-53, 1 - 2^-53]. */
static const double U_MIN = 0x1p-53;
static const double U_MAX = 1.0 - 0x1p-53;

/* A truncated normal must keep at least this much probability, so that
 * u·mass stays above DBL_MIN for every clamped u. */
static const double TRUNC_MASS_MIN = 1e-290;

/* Iteration caps: the series and continued fractions below need
 * O(sqrt(shape)) terms, a few thousand at GPB_DIST_SHAPE_MAX. */
#define SERIES_MAX_ITER 200000
#define SOLVE_MAX_ITER 400
#define LENTZ_TINY 1e-300

/* Private constants in gpb_dist.k[], by kind:
 *   UNIFORM            k0 = hi - lo
 *   NORMAL             k0 = truncation side (0 none, 1 lower, 2 upper),
 *                      k1 = Phi(alpha) or Q(alpha), k2 = mass in [a, b]
 *   LOGNORMAL(90)      k0 = mu, k1 = sigma of the logarithm
 *   TRIANGULAR         k0 = (mode - min)/(max - min), k1 = max - min
 *   PERT, BETA         k0 = alpha, k1 = beta, k2 = hi - lo, k3 = lo
 * Choice data: V, P, C (cumulative), A (alias acceptance), I (alias index),
 * n doubles each, in that order. */
enum { TRUNC_NONE = 0, TRUNC_LOWER = 1, TRUNC_UPPER = 2 };

/* ------------------------------------------------------------------------ */
/* Kinds                                                                     */
/* ------------------------------------------------------------------------ */

const char *gpb_dist_kind_name(gpb_dist_kind k)
{
    switch (k) {
#define GPB__DIST_KIND_CASE(name, num, key) \
    case num:                               \
        return key;
        GPB_DIST_KIND_MAP(GPB__DIST_KIND_CASE)
#undef GPB__DIST_KIND_CASE
    default:
        return "unknown";
    }
}

gpb_status gpb_dist_kind_from_name(const char *name, gpb_dist_kind *out)
{
    if (!name || !out)
        return GPB_EINVAL;
    for (int k = GPB_DIST_NONE + 1; k < GPB_DIST_KIND_COUNT; k++) {
        if (strcmp(name, gpb_dist_kind_name((gpb_dist_kind)k)) == 0) {
            *out = (gpb_dist_kind)k;
            return GPB_OK;
        }
    }
    return GPB_ENOTFOUND;
}

/* ------------------------------------------------------------------------ */
/* Validation helpers                                                        */
/* ------------------------------------------------------------------------ */

static gpb_status start(gpb_dist *out, gpb_error *err, const char *kind)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "%s: out must not be NULL", kind);
    memset(out, 0, sizeof *out);
    return GPB_OK;
}

static gpb_status need_finite(gpb_error *err, const char *kind,
                              const char *name, double v)
{
    if (isfinite(v))
        return GPB_OK;
    return gpb__fail(err, GPB_EINVAL, "%s: %s (%g) must be a finite number",
                     kind, name, v);
}

static gpb_status need_positive(gpb_error *err, const char *kind,
                                const char *name, double v)
{
    gpb_status st = need_finite(err, kind, name, v);
    if (st)
        return st;
    if (v > 0)
        return GPB_OK;
    return gpb__fail(err, GPB_EINVAL, "%s: %s (%g) must be positive", kind,
                     name, v);
}

static gpb_status need_at_most(gpb_error *err, const char *kind,
                               const char *name, double v, double max)
{
    if (v <= max)
        return GPB_OK;
    return gpb__fail(err, GPB_ERANGE, "%s: %s (%g) must be at most %g", kind,
                     name, v, max);
}

static gpb_status need_below(gpb_error *err, const char *kind,
                             const char *lo_name, double lo,
                             const char *hi_name, double hi)
{
    gpb_status st = need_finite(err, kind, lo_name, lo);
    if (!st)
        st = need_finite(err, kind, hi_name, hi);
    if (st)
        return st;
    if (lo < hi)
        return GPB_OK;
    return gpb__fail(err, GPB_EINVAL, "%s: %s (%g) must be below %s (%g)",
                     kind, lo_name, lo, hi_name, hi);
}

/* min < max and min <= mode <= max, all finite. */
static gpb_status need_min_mode_max(gpb_error *err, const char *kind,
                                    double min, double mode, double max)
{
    gpb_status st = need_finite(err, kind, "mode", mode);
    if (!st)
        st = need_below(err, kind, "min", min, "max", max);
    if (st)
        return st;
    if (mode < min || mode > max)
        return gpb__fail(err, GPB_EINVAL,
                         "%s: mode (%g) must lie in [min, max] = [%g, %g]",
                         kind, mode, min, max);
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Constructors                                                              */
/* ------------------------------------------------------------------------ */

gpb_status gpb_dist_fixed(double v, gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "fixed");
    if (!st)
        st = need_finite(err, "fixed", "value", v);
    if (st)
        return st;
    out->kind = GPB_DIST_FIXED;
    out->param[0] = v;
    return GPB_OK;
}

gpb_status gpb_dist_uniform(double lo, double hi, gpb_dist *out,
                            gpb_error *err)
{
    gpb_status st = start(out, err, "uniform");
    if (!st)
        st = need_below(err, "uniform", "lo", lo, "hi", hi);
    if (st)
        return st;
    if (!isfinite(hi - lo))
        return gpb__fail(err, GPB_ERANGE,
                         "uniform: hi - lo (%g - %g) overflows", hi, lo);
    out->kind = GPB_DIST_UNIFORM;
    out->param[0] = lo;
    out->param[1] = hi;
    out->k[0] = hi - lo;
    return GPB_OK;
}

static gpb_status normal_params(const char *kind, double mu, double sigma,
                                gpb_error *err)
{
    gpb_status st = need_finite(err, kind, "mu", mu);
    if (!st)
        st = need_positive(err, kind, "sigma", sigma);
    return st;
}

gpb_status gpb_dist_normal(double mu, double sigma, gpb_dist *out,
                           gpb_error *err)
{
    gpb_status st = start(out, err, "normal");
    if (!st)
        st = normal_params("normal", mu, sigma, err);
    if (st)
        return st;
    out->kind = GPB_DIST_NORMAL;
    out->param[0] = mu;
    out->param[1] = sigma;
    out->param[2] = -INFINITY;
    out->param[3] = INFINITY;
    out->k[0] = TRUNC_NONE;
    out->k[2] = 1.0;
    return GPB_OK;
}

gpb_status gpb_dist_normal_truncated(double mu, double sigma, double a,
                                     double b, gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "normal");
    if (!st)
        st = normal_params("normal", mu, sigma, err);
    if (st)
        return st;
    if (isnan(a) || isnan(b) || !(a < b))
        return gpb__fail(err, GPB_EINVAL,
                         "normal: truncation bound a (%g) must be below "
                         "b (%g)",
                         a, b);
    double alpha = (a - mu) / sigma, beta = (b - mu) / sigma;
    /* Work in whichever tail keeps precision: Phi for intervals starting
     * below the mean, the upper tail Q for those starting above it. */
    int side = alpha <= 0 ? TRUNC_LOWER : TRUNC_UPPER;
    double base, mass;
    if (side == TRUNC_LOWER) {
        base = gsl_cdf_ugaussian_P(alpha);
        mass = gsl_cdf_ugaussian_P(beta) - base;
    } else {
        base = gsl_cdf_ugaussian_Q(alpha);
        mass = base - gsl_cdf_ugaussian_Q(beta);
    }
    if (!(mass >= TRUNC_MASS_MIN))
        return gpb__fail(err, GPB_ERANGE,
                         "normal: truncation interval [%g, %g] holds no "
                         "probability (it lies too far in a tail of "
                         "normal(%g, %g))",
                         a, b, mu, sigma);
    out->kind = GPB_DIST_NORMAL;
    out->param[0] = mu;
    out->param[1] = sigma;
    out->param[2] = a;
    out->param[3] = b;
    out->k[0] = side;
    out->k[1] = base;
    out->k[2] = mass;
    return GPB_OK;
}

gpb_status gpb_dist_lognormal(double mu, double sigma, gpb_dist *out,
                              gpb_error *err)
{
    gpb_status st = start(out, err, "lognormal");
    if (!st)
        st = normal_params("lognormal", mu, sigma, err);
    if (st)
        return st;
    out->kind = GPB_DIST_LOGNORMAL;
    out->param[0] = out->k[0] = mu;
    out->param[1] = out->k[1] = sigma;
    return GPB_OK;
}

gpb_status gpb_dist_lognormal90(double lo, double hi, gpb_dist *out,
                                gpb_error *err)
{
    gpb_status st = start(out, err, "lognormal90");
    if (!st)
        st = need_positive(err, "lognormal90", "lo", lo);
    if (!st)
        st = need_below(err, "lognormal90", "lo", lo, "hi", hi);
    if (st)
        return st;
    /* lo and hi are the 5th and 95th percentiles: ln lo = mu - Z95·sigma,
     * ln hi = mu + Z95·sigma. */
    double llo = log(lo), lhi = log(hi);
    double sigma = (lhi - llo) / (2.0 * Z95);
    if (!(sigma > 0))
        return gpb__fail(err, GPB_ERANGE,
                         "lognormal90: lo (%g) and hi (%g) are too close "
                         "to tell apart",
                         lo, hi);
    out->kind = GPB_DIST_LOGNORMAL90;
    out->param[0] = lo;
    out->param[1] = hi;
    out->k[0] = 0.5 * (llo + lhi);
    out->k[1] = sigma;
    return GPB_OK;
}

gpb_status gpb_dist_triangular(double min, double mode, double max,
                               gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "triangular");
    if (!st)
        st = need_min_mode_max(err, "triangular", min, mode, max);
    if (st)
        return st;
    if (!isfinite(max - min))
        return gpb__fail(err, GPB_ERANGE,
                         "triangular: max - min (%g - %g) overflows", max,
                         min);
    out->kind = GPB_DIST_TRIANGULAR;
    out->param[0] = min;
    out->param[1] = mode;
    out->param[2] = max;
    out->k[0] = (mode - min) / (max - min);
    out->k[1] = max - min;
    return GPB_OK;
}

gpb_status gpb_dist_pert_lambda(double min, double mode, double max,
                                double lambda, gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "pert");
    if (!st)
        st = need_min_mode_max(err, "pert", min, mode, max);
    if (!st)
        st = need_finite(err, "pert", "lambda", lambda);
    if (st)
        return st;
    if (lambda < 0)
        return gpb__fail(err, GPB_EINVAL,
                         "pert: lambda (%g) must not be negative", lambda);
    if ((st = need_at_most(err, "pert", "lambda", lambda,
                           GPB_DIST_SHAPE_MAX)))
        return st;
    double w = max - min;
    if (!isfinite(w))
        return gpb__fail(err, GPB_ERANGE,
                         "pert: max - min (%g - %g) overflows", max, min);
    /* PERT as a scaled beta (Malcolm, Roseboom, Clark & Fazar 1959; the
     * lambda generalisation as in Vose, Risk Analysis, 3rd ed. 2008). */
    out->kind = GPB_DIST_PERT;
    out->param[0] = min;
    out->param[1] = mode;
    out->param[2] = max;
    out->param[3] = lambda;
    out->k[0] = 1.0 + lambda * (mode - min) / w;
    out->k[1] = 1.0 + lambda * (max - mode) / w;
    out->k[2] = w;
    out->k[3] = min;
    return GPB_OK;
}

gpb_status gpb_dist_pert(double min, double mode, double max, gpb_dist *out,
                         gpb_error *err)
{
    return gpb_dist_pert_lambda(min, mode, max, GPB_DIST_PERT_LAMBDA, out,
                                err);
}

gpb_status gpb_dist_beta_scaled(double a, double b, double lo, double hi,
                                gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "beta");
    if (!st)
        st = need_positive(err, "beta", "a", a);
    if (!st)
        st = need_positive(err, "beta", "b", b);
    if (!st)
        st = need_at_most(err, "beta", "a", a, GPB_DIST_SHAPE_MAX);
    if (!st)
        st = need_at_most(err, "beta", "b", b, GPB_DIST_SHAPE_MAX);
    if (!st)
        st = need_below(err, "beta", "lo", lo, "hi", hi);
    if (st)
        return st;
    if (!isfinite(hi - lo))
        return gpb__fail(err, GPB_ERANGE,
                         "beta: hi - lo (%g - %g) overflows", hi, lo);
    out->kind = GPB_DIST_BETA;
    out->param[0] = out->k[0] = a;
    out->param[1] = out->k[1] = b;
    out->param[2] = lo;
    out->param[3] = hi;
    out->k[2] = hi - lo;
    out->k[3] = lo;
    return GPB_OK;
}

gpb_status gpb_dist_beta(double a, double b, gpb_dist *out, gpb_error *err)
{
    return gpb_dist_beta_scaled(a, b, 0.0, 1.0, out, err);
}

gpb_status gpb_dist_gamma(double shape, double scale, gpb_dist *out,
                          gpb_error *err)
{
    gpb_status st = start(out, err, "gamma");
    if (!st)
        st = need_positive(err, "gamma", "shape", shape);
    if (!st)
        st = need_positive(err, "gamma", "scale", scale);
    if (!st)
        st = need_at_most(err, "gamma", "shape", shape, GPB_DIST_SHAPE_MAX);
    if (st)
        return st;
    out->kind = GPB_DIST_GAMMA;
    out->param[0] = shape;
    out->param[1] = scale;
    return GPB_OK;
}

gpb_status gpb_dist_poisson(double lambda, gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "poisson");
    if (!st)
        st = need_positive(err, "poisson", "lambda", lambda);
    if (!st)
        st = need_at_most(err, "poisson", "lambda", lambda,
                          GPB_DIST_SHAPE_MAX);
    if (st)
        return st;
    out->kind = GPB_DIST_POISSON;
    out->param[0] = lambda;
    return GPB_OK;
}

gpb_status gpb_dist_bernoulli(double p, gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "bernoulli");
    if (!st)
        st = need_finite(err, "bernoulli", "p", p);
    if (st)
        return st;
    if (p < 0)
        return gpb__fail(err, GPB_EINVAL,
                         "bernoulli: p (%g) must lie in [0, 1]", p);
    if (p > 1)
        return gpb__fail(err, GPB_ERANGE,
                         "bernoulli: p (%g) must lie in [0, 1]", p);
    out->kind = GPB_DIST_BERNOULLI;
    out->param[0] = p;
    return GPB_OK;
}

static gpb_status check_values(gpb_error *err, const char *kind,
                               const char *name, const double *v, size_t n)
{
    if (!v)
        return gpb__fail(err, GPB_EINVAL, "%s: %s must not be NULL", kind,
                         name);
    if (n == 0)
        return gpb__fail(err, GPB_EINVAL, "%s: needs at least one value",
                         kind);
    if (n > GPB_DIST_MAX_VALUES)
        return gpb__fail(err, GPB_ELIMIT,
                         "%s: %zu values exceed the limit of %zu", kind, n,
                         GPB_DIST_MAX_VALUES);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return gpb__fail(err, GPB_EINVAL,
                             "%s: %s[%zu] (%g) must be a finite number",
                             kind, name, i, v[i]);
    return GPB_OK;
}

/*
 * Walker's alias method (Walker 1977), built as in Vose (1991): each of the
 * n columns holds probability 1/n split between its own value (acceptance
 * A[i]) and one alias I[i]. work holds n indices.
 */
static void build_alias(const double *P, size_t n, double *A, double *I,
                        size_t *work)
{
    size_t ns = 0, nl = n; /* small from the front, large from the back */
    for (size_t i = 0; i < n; i++) {
        A[i] = P[i] * (double)n;
        I[i] = (double)i;
        if (A[i] < 1.0)
            work[ns++] = i;
        else
            work[--nl] = i;
    }
    while (ns > 0 && nl < n) {
        size_t s = work[--ns], l = work[nl++];
        I[s] = (double)l;
        A[l] = (A[l] + A[s]) - 1.0;
        if (A[l] < 1.0)
            work[ns++] = l;
        else
            work[--nl] = l;
    }
    /* Whatever is left is 1 up to rounding. */
    while (ns > 0)
        A[work[--ns]] = 1.0;
    while (nl < n)
        A[work[nl++]] = 1.0;
}

gpb_status gpb_dist_choice(const double *values, const double *weights,
                           size_t n, gpb_dist *out, gpb_error *err)
{
    gpb_status st = start(out, err, "choice");
    if (!st)
        st = check_values(err, "choice", "values", values, n);
    if (st)
        return st;
    double sum = 0;
    if (weights) {
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(weights[i]))
                return gpb__fail(err, GPB_EINVAL,
                                 "choice: weights[%zu] (%g) must be a "
                                 "finite number",
                                 i, weights[i]);
            if (weights[i] < 0)
                return gpb__fail(err, GPB_EINVAL,
                                 "choice: weights[%zu] (%g) must not be "
                                 "negative",
                                 i, weights[i]);
            sum += weights[i];
        }
        if (!(sum > 0) || !isfinite(sum))
            return gpb__fail(err, GPB_EINVAL,
                             "choice: weights must have a positive, finite "
                             "sum (got %g)",
                             sum);
    }
    double *data = malloc(5 * n * sizeof *data);
    size_t *work = malloc(n * sizeof *work);
    if (!data || !work) {
        free(data);
        free(work);
        return gpb__fail(err, GPB_ENOMEM, "choice: out of memory for %zu "
                         "values", n);
    }
    double *V = data, *P = data + n, *C = data + 2 * n, *A = data + 3 * n,
           *I = data + 4 * n;
    /* Sort by value (the quantile function needs them in order). */
    gsl_sort_index(work, values, 1, n);
    double cum = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = work[i];
        V[i] = values[j];
        P[i] = weights ? weights[j] / sum : 1.0 / (double)n;
        cum += P[i];
        C[i] = cum;
    }
    C[n - 1] = 1.0;
    build_alias(P, n, A, I, work);
    free(work);
    out->kind = GPB_DIST_CHOICE;
    out->data = data;
    out->n = n;
    return GPB_OK;
}

gpb_status gpb_dist_samples(const double *samples, size_t n, gpb_dist *out,
                            gpb_error *err)
{
    gpb_status st = start(out, err, "samples");
    if (!st)
        st = check_values(err, "samples", "samples", samples, n);
    if (st)
        return st;
    double *data = malloc(n * sizeof *data);
    if (!data)
        return gpb__fail(err, GPB_ENOMEM,
                         "samples: out of memory for %zu values", n);
    memcpy(data, samples, n * sizeof *data);
    gsl_sort(data, 1, n);
    out->kind = GPB_DIST_SAMPLES;
    out->data = data;
    out->n = n;
    return GPB_OK;
}

static size_t data_len(const gpb_dist *d)
{
    if (d->kind == GPB_DIST_CHOICE)
        return 5 * d->n;
    if (d->kind == GPB_DIST_SAMPLES)
        return d->n;
    return 0;
}

void gpb_dist_free(gpb_dist *d)
{
    if (!d)
        return;
    free(d->data);
    memset(d, 0, sizeof *d);
}

gpb_status gpb_dist_copy(const gpb_dist *src, gpb_dist *dst, gpb_error *err)
{
    if (!src || !dst)
        return gpb__fail(err, GPB_EINVAL,
                         "dist copy: src and dst must not be NULL");
    if (src == dst)
        return GPB_OK;
    size_t len = src->data ? data_len(src) : 0;
    double *data = NULL;
    if (len) {
        data = malloc(len * sizeof *data);
        if (!data) {
            memset(dst, 0, sizeof *dst);
            return gpb__fail(err, GPB_ENOMEM,
                             "dist copy: out of memory for %zu values",
                             src->n);
        }
        memcpy(data, src->data, len * sizeof *data);
    }
    *dst = *src;
    dst->data = data;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Regularised incomplete gamma and beta functions                           */
/* ------------------------------------------------------------------------ */

/* log(1 + t) - t without losing the small-t terms to cancellation. */
static double log1pmx(double t) { return log1p(t) - t; }

/*
 * A gamma law (shape a) or a beta law (shapes a, b) with the part of its
 * log density prefactor that does not depend on x computed once: a
 * quantile search evaluates the CDF several times with the same shapes.
 */
typedef struct shape {
    double a, b;
    double lnorm;
} shape;

/*
 * The prefactor of the gamma law is x^a e^-x / Gamma(a), for a > 0, x > 0.
 * For large a, Gamma(a) is written as sqrt(2 pi) a^(a-1/2) e^-a gamma*(a)
 * (Stirling's series with GSL's correction factor gamma*, safe for a > 0),
 * which avoids cancelling terms of size a·log a:
 * log pref = a (log(x/a) - (x/a - 1)) + log(sqrt(a / (2 pi)) / gamma*(a)).
 */
static shape gamma_shape(double a)
{
    shape s = {a, 0.0, 0.0};
    if (a < 10.0)
        s.lnorm = -gsl_sf_lngamma(a);
    else
        s.lnorm = 0.5 * log(a / (2.0 * PI)) - log(gsl_sf_gammastar(a));
    return s;
}

static double gamma_logpref(const shape *s, double x)
{
    double a = s->a;
    if (a < 10.0)
        return a * log(x) - x + s->lnorm;
    return a * log1pmx((x - a) / a) + s->lnorm;
}

/*
 * Regularised incomplete gamma P(a, x) (upper = 0) or Q(a, x) = 1 - P
 * (upper = 1), a > 0, x >= 0. The power series for x < a + 1 and the
 * continued fraction for Q otherwise, evaluated by the modified Lentz
 * method (Abramowitz & Stegun 6.5.29 and 6.5.31; Press et al., Numerical
 * Recipes, 3rd ed. 2007, §6.2). *dens receives x^(a-1) e^-x / Gamma(a), the
 * density at x.
 */
static double gamma_inc(const shape *s, double x, int upper, double *dens)
{
    double a = s->a;
    *dens = 0;
    if (!(x > 0))
        return upper ? 1.0 : 0.0;
    if (isinf(x))
        return upper ? 0.0 : 1.0;
    double pref = exp(gamma_logpref(s, x));
    *dens = pref / x;
    if (x < a + 1.0) {
        /* P = pref · sum_n x^n / (a (a+1) ... (a+n)) */
        double term = 1.0 / a, sum = term, ap = a;
        for (int n = 0; n < SERIES_MAX_ITER; n++) {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if (term < sum * DBL_EPSILON)
                break;
        }
        double p = fmin(pref * sum, 1.0);
        return upper ? 1.0 - p : p;
    }
    /* Q = pref / (x + 1 - a - 1(1-a)/(x + 3 - a - 2(2-a)/(x + 5 - a - ...))) */
    double b = x + 1.0 - a, c = 1.0 / LENTZ_TINY, d = 1.0 / b, h = d;
    for (int i = 1; i < SERIES_MAX_ITER; i++) {
        double an = -(double)i * ((double)i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < LENTZ_TINY)
            d = LENTZ_TINY;
        c = b + an / c;
        if (fabs(c) < LENTZ_TINY)
            c = LENTZ_TINY;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 2 * DBL_EPSILON)
            break;
    }
    double q = fmin(pref * h, 1.0);
    return upper ? q : 1.0 - q;
}

/*
 * The prefactor of the beta law is x^a (1-x)^b / B(a, b), with y = 1 - x
 * passed separately so that x near 1 keeps its precision. For large a and
 * b the same Stirling rewriting as above: with c = a + b, x0 = a/c,
 * y0 = b/c,
 * x^a y^b / B(a,b) = sqrt(ab / (2 pi c)) gamma*(c)/(gamma*(a) gamma*(b))
 *                    · (x/x0)^a (y/y0)^b.
 */
static shape beta_shape(double a, double b)
{
    shape s = {a, b, 0.0};
    double c = a + b;
    if (a < 10.0 || b < 10.0)
        s.lnorm = -gsl_sf_lnbeta(a, b);
    else
        s.lnorm = 0.5 * log(a * b / (2.0 * PI * c)) +
                  log(gsl_sf_gammastar(c) /
                      (gsl_sf_gammastar(a) * gsl_sf_gammastar(b)));
    return s;
}

static double beta_logpref(const shape *s, double x, double y)
{
    double a = s->a, b = s->b;
    if (a < 10.0 || b < 10.0)
        return a * log(x) + b * log(y) + s->lnorm;
    double c = a + b, x0 = a / c, y0 = b / c;
    return a * log1pmx((x - x0) / x0) + b * log1pmx((y - y0) / y0) +
           s->lnorm;
}

/* The continued fraction of I_x(a, b) (Abramowitz & Stegun 26.5.8) by the
 * modified Lentz method; converges fast for x < (a + 1)/(a + b + 2). */
static double beta_cf(double a, double b, double x)
{
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < LENTZ_TINY)
        d = LENTZ_TINY;
    d = 1.0 / d;
    double h = d;
    for (int i = 1; i < SERIES_MAX_ITER; i++) {
        double m = (double)i, m2 = 2.0 * m;
        /* even step: d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
        double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < LENTZ_TINY)
            d = LENTZ_TINY;
        c = 1.0 + aa / c;
        if (fabs(c) < LENTZ_TINY)
            c = LENTZ_TINY;
        d = 1.0 / d;
        h *= d * c;
        /* odd step: d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + aa * d;
        if (fabs(d) < LENTZ_TINY)
            d = LENTZ_TINY;
        c = 1.0 + aa / c;
        if (fabs(c) < LENTZ_TINY)
            c = LENTZ_TINY;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 2 * DBL_EPSILON)
            break;
    }
    return h;
}

/*
 * Regularised incomplete beta I_x(a, b) (upper = 0) or 1 - I_x(a, b)
 * (upper = 1) for a, b > 0, 0 <= x <= 1; the side not computed directly
 * uses I_x(a, b) = 1 - I_(1-x)(b, a). *dens receives the Beta(a, b)
 * density at x.
 */
static double beta_inc(const shape *s, double x, int upper, double *dens)
{
    double a = s->a, b = s->b;
    *dens = 0;
    if (!(x > 0))
        return upper ? 1.0 : 0.0;
    if (!(x < 1))
        return upper ? 0.0 : 1.0;
    double y = 1.0 - x;
    double pref = exp(beta_logpref(s, x, y));
    *dens = pref / (x * y);
    double lower;
    if (x < (a + 1.0) / (a + b + 2.0)) {
        lower = fmin(pref * beta_cf(a, b, x) / a, 1.0);
        return upper ? 1.0 - lower : lower;
    }
    double up = fmin(pref * beta_cf(b, a, y) / b, 1.0);
    return upper ? up : 1.0 - up;
}

/* ------------------------------------------------------------------------ */
/* Inverting a continuous CDF                                                */
/* ------------------------------------------------------------------------ */

typedef double (*cdf_side_fn)(const shape *s, double x, int upper,
                              double *dens);

/*
 * Solves F(x) = u on [lo, hi] (hi may be +inf) from the guess x by Newton's
 * method kept inside a shrinking bracket, bisecting (geometrically when the
 * bracket spans orders of magnitude) whenever a step would leave it. Above
 * the median it solves 1 - F(x) = 1 - u on the complementary function, so
 * both tails keep their relative precision. Always returns a point of the
 * bracket after at most SOLVE_MAX_ITER steps.
 */
static double solve_cdf(cdf_side_fn f, const shape *s, double u, double x,
                        double lo, double hi)
{
    int upper = u > 0.5;
    double t = upper ? 1.0 - u : u;
    if (!(x > lo && x < hi))
        x = isinf(hi) ? lo + 1.0 : 0.5 * (lo + hi);
    for (int it = 0; it < SOLVE_MAX_ITER; it++) {
        double dens;
        double F = f(s, x, upper, &dens);
        double g = upper ? t - F : F - t; /* increasing in x */
        if (g == 0 || fabs(g) <= 4 * DBL_EPSILON * t)
            return x;
        if (g < 0)
            lo = x;
        else
            hi = x;
        /* A zero or overflowing density gives NaN: bisect instead. */
        double xn = dens > 0 && isfinite(dens) ? x - g / dens : NAN;
        if (!(xn > lo && xn < hi)) {
            if (isinf(hi))
                xn = lo > 0 ? 4.0 * lo : 1.0;
            else if (lo <= 0)
                xn = hi / 16.0;
            else if (hi > 16.0 * lo)
                xn = sqrt(lo) * sqrt(hi);
            else
                xn = 0.5 * (lo + hi);
        }
        /* Done when Newton stands still or the bracket holds no double
         * between its ends. */
        if (xn == x || nextafter(lo, hi) >= hi)
            return xn;
        x = xn;
    }
    return x;
}

/*
 * Starting point for the Beta(a, b) quantile: for a, b >= 1 the normal
 * approximation of Abramowitz & Stegun 26.5.22; otherwise the power laws
 * of the two tails, I_x ~ x^a / (a B) near 0 and 1 - I_x ~ (1-x)^b / (b B)
 * near 1, split where their weights meet.
 */
static double beta_guess(double a, double b, double u)
{
    double x;
    if (a >= 1.0 && b >= 1.0) {
        double z = gsl_cdf_ugaussian_Qinv(u);
        double lam = (z * z - 3.0) / 6.0;
        double ia = 1.0 / (2.0 * a - 1.0), ib = 1.0 / (2.0 * b - 1.0);
        double h = 2.0 / (ia + ib);
        double w = z * sqrt(h + lam) / h -
                   (ib - ia) * (lam + 5.0 / 6.0 - 2.0 / (3.0 * h));
        x = a / (a + b * exp(2.0 * w));
    } else {
        double lab = log(a + b);
        double ta = exp(a * (log(a) - lab)) / a;
        double tb = exp(b * (log(b) - lab)) / b;
        double s = ta + tb;
        if (u < ta / s)
            x = pow(a * s * u, 1.0 / a);
        else
            x = 1.0 - pow(b * s * (1.0 - u), 1.0 / b);
    }
    if (!(x > 0 && x < 1))
        x = a / (a + b);
    return x;
}

/* Quantile of Beta(a, b) on [0, 1]. */
static double beta_quantile(double a, double b, double u)
{
    shape s = beta_shape(a, b);
    return solve_cdf(beta_inc, &s, u, beta_guess(a, b, u), 0.0, 1.0);
}

/*
 * Starting point for the Gamma(a, 1) quantile: Wilson & Hilferty (1931)'s
 * cube-root normal approximation for a >= 1; for small shapes the power law
 * P(a, x) ~ x^a / Gamma(a + 1) below the median and the exponential tail
 * Q(a, x) ~ x^(a-1) e^-x / Gamma(a) above it.
 */
static double gamma_guess(double a, double u)
{
    double x = NAN;
    if (a >= 1.0) {
        double c = 1.0 / (9.0 * a);
        double w = 1.0 - c + gsl_cdf_ugaussian_Pinv(u) * sqrt(c);
        x = a * w * w * w;
    }
    if (!(x > 0)) {
        if (u <= 0.5 || a >= 1.0)
            x = exp((log(u) + gsl_sf_lngamma(a + 1.0)) / a);
        else
            x = fmax(1.0, -log1p(-u) - gsl_sf_lngamma(a));
    }
    return x;
}

/* Quantile of Gamma(a, 1). */
static double gamma_quantile(double a, double u)
{
    shape s = gamma_shape(a);
    return solve_cdf(gamma_inc, &s, u, gamma_guess(a, u), 0.0, INFINITY);
}

/* ------------------------------------------------------------------------ */
/* Quantiles and CDFs by kind                                                */
/* ------------------------------------------------------------------------ */

double gpb__clamp_unit(double u)
{
    if (u < U_MIN)
        return U_MIN;
    if (u > U_MAX)
        return U_MAX;
    return u;
}

static double normal_quantile(const gpb_dist *d, double u)
{
    double mu = d->param[0], sigma = d->param[1], z;
    /* The probability handed to Phi^-1 (or Q^-1) is kept inside
     * [DBL_MIN, U_MAX] so rounding can never turn it into an infinity. */
    switch ((int)d->k[0]) {
    case TRUNC_LOWER:
        z = gsl_cdf_ugaussian_Pinv(
            fmin(fmax(d->k[1] + u * d->k[2], DBL_MIN), U_MAX));
        break;
    case TRUNC_UPPER:
        z = gsl_cdf_ugaussian_Qinv(
            fmin(fmax(d->k[1] - u * d->k[2], DBL_MIN), U_MAX));
        break;
    default:
        return mu + sigma * gsl_cdf_ugaussian_Pinv(u);
    }
    /* Rounding may step a hair outside [a, b]. */
    return fmin(fmax(mu + sigma * z, d->param[2]), d->param[3]);
}

static double normal_cdf(const gpb_dist *d, double x)
{
    double z = (x - d->param[0]) / d->param[1];
    switch ((int)d->k[0]) {
    case TRUNC_LOWER:
    case TRUNC_UPPER:
        if (x <= d->param[2])
            return 0.0;
        if (x >= d->param[3])
            return 1.0;
        if ((int)d->k[0] == TRUNC_LOWER)
            return fmin((gsl_cdf_ugaussian_P(z) - d->k[1]) / d->k[2], 1.0);
        return fmin((d->k[1] - gsl_cdf_ugaussian_Q(z)) / d->k[2], 1.0);
    default:
        return gsl_cdf_ugaussian_P(z);
    }
}

static double triangular_quantile(const gpb_dist *d, double u)
{
    double min = d->param[0], mode = d->param[1], max = d->param[2];
    double w = d->k[1];
    if (u < d->k[0])
        return min + sqrt(u * w * (mode - min));
    return max - sqrt((1.0 - u) * w * (max - mode));
}

static double triangular_cdf(const gpb_dist *d, double x)
{
    double min = d->param[0], mode = d->param[1], max = d->param[2];
    double w = d->k[1];
    if (x <= min)
        return 0.0;
    if (x >= max)
        return 1.0;
    if (x <= mode)
        return (x - min) * (x - min) / (w * (mode - min));
    return 1.0 - (max - x) * (max - x) / (w * (max - mode));
}

/*
 * Poisson quantile: the smallest k with P(X <= k) >= u, where
 * P(X <= k) = Q(k + 1, lambda) (A&S 6.5.13 / 26.4.21). Starts from the
 * Cornish-Fisher guess lambda + z sqrt(lambda) + (z^2 - 1)/6, gallops to a
 * bracket and bisects. Above the median it tests P(X > k) <= 1 - u.
 */
static int poisson_ok(double lambda, double k, double u)
{
    double dens;
    if (k < 0)
        return 0;
    shape s = gamma_shape(k + 1.0);
    if (u <= 0.5)
        return gamma_inc(&s, lambda, 1, &dens) >= u;
    return gamma_inc(&s, lambda, 0, &dens) <= 1.0 - u;
}

static double poisson_quantile(double lambda, double u)
{
    double z = gsl_cdf_ugaussian_Pinv(u);
    double g = floor(lambda + z * sqrt(lambda) + (z * z - 1.0) / 6.0);
    if (!(g >= 0))
        g = 0;
    double lo, hi, step = 1.0; /* invariant: !ok(lo), ok(hi) */
    if (poisson_ok(lambda, g, u)) {
        hi = g;
        lo = g - step;
        while (lo >= 0 && poisson_ok(lambda, lo, u)) {
            hi = lo;
            step *= 2.0;
            lo = hi - step;
        }
        if (lo < 0)
            lo = -1.0;
    } else {
        lo = g;
        hi = g + step;
        while (!poisson_ok(lambda, hi, u)) {
            lo = hi;
            step *= 2.0;
            hi = lo + step;
        }
    }
    while (hi - lo > 1.0) {
        double mid = floor(0.5 * (lo + hi));
        if (poisson_ok(lambda, mid, u))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* First index i with C[i] >= u (C ascending, C[n-1] = 1). */
static size_t search_cum(const double *C, size_t n, double u)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (C[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Number of entries of sorted V[0..n-1] that are <= x. */
static size_t count_le(const double *V, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (V[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double gpb_dist_quantile(const gpb_dist *d, double u)
{
    if (!d || isnan(u))
        return NAN;
    u = gpb__clamp_unit(u);
    switch (d->kind) {
    case GPB_DIST_FIXED:
        return d->param[0];
    case GPB_DIST_UNIFORM:
        return d->param[0] + u * d->k[0];
    case GPB_DIST_NORMAL:
        return normal_quantile(d, u);
    case GPB_DIST_LOGNORMAL:
    case GPB_DIST_LOGNORMAL90:
        return exp(d->k[0] + d->k[1] * gsl_cdf_ugaussian_Pinv(u));
    case GPB_DIST_TRIANGULAR:
        return triangular_quantile(d, u);
    case GPB_DIST_PERT:
    case GPB_DIST_BETA:
        return d->k[3] + d->k[2] * beta_quantile(d->k[0], d->k[1], u);
    case GPB_DIST_GAMMA:
        return d->param[1] * gamma_quantile(d->param[0], u);
    case GPB_DIST_POISSON:
        return poisson_quantile(d->param[0], u);
    case GPB_DIST_BERNOULLI:
        return u <= 1.0 - d->param[0] ? 0.0 : 1.0;
    case GPB_DIST_CHOICE:
        return d->data[search_cum(d->data + 2 * d->n, d->n, u)];
    case GPB_DIST_SAMPLES: {
        double i = ceil(u * (double)d->n) - 1.0;
        if (i < 0)
            i = 0;
        if (i > (double)(d->n - 1))
            i = (double)(d->n - 1);
        return d->data[(size_t)i];
    }
    case GPB_DIST_NONE:
        break;
    }
    return NAN;
}

double gpb_dist_cdf(const gpb_dist *d, double x)
{
    double dens;
    if (!d || isnan(x))
        return NAN;
    switch (d->kind) {
    case GPB_DIST_FIXED:
        return x < d->param[0] ? 0.0 : 1.0;
    case GPB_DIST_UNIFORM:
        return fmin(fmax((x - d->param[0]) / d->k[0], 0.0), 1.0);
    case GPB_DIST_NORMAL:
        return normal_cdf(d, x);
    case GPB_DIST_LOGNORMAL:
    case GPB_DIST_LOGNORMAL90:
        if (x <= 0)
            return 0.0;
        return gsl_cdf_ugaussian_P((log(x) - d->k[0]) / d->k[1]);
    case GPB_DIST_TRIANGULAR:
        return triangular_cdf(d, x);
    case GPB_DIST_PERT:
    case GPB_DIST_BETA: {
        shape s = beta_shape(d->k[0], d->k[1]);
        return beta_inc(&s, (x - d->k[3]) / d->k[2], 0, &dens);
    }
    case GPB_DIST_GAMMA: {
        shape s = gamma_shape(d->param[0]);
        return gamma_inc(&s, x / d->param[1], 0, &dens);
    }
    case GPB_DIST_POISSON: {
        /* P(X <= k) = Q(k + 1, lambda); beyond 1e4 SDs it is 1. */
        if (x < 0)
            return 0.0;
        if (x > d->param[0] + 1e4 * sqrt(d->param[0]) + 1e4)
            return 1.0;
        shape s = gamma_shape(floor(x) + 1.0);
        return gamma_inc(&s, d->param[0], 1, &dens);
    }
    case GPB_DIST_BERNOULLI:
        return x < 0 ? 0.0 : x < 1 ? 1.0 - d->param[0] : 1.0;
    case GPB_DIST_CHOICE: {
        size_t k = count_le(d->data, d->n, x);
        return k == 0 ? 0.0 : d->data[2 * d->n + k - 1];
    }
    case GPB_DIST_SAMPLES:
        return (double)count_le(d->data, d->n, x) / (double)d->n;
    case GPB_DIST_NONE:
        break;
    }
    return NAN;
}

/* ------------------------------------------------------------------------ */
/* Sampling                                                                  */
/* ------------------------------------------------------------------------ */

/* A uniform index in [0, n) from one generator call. gsl_rng_uniform_int
 * would raise a GSL error when n exceeds the generator's range. */
static size_t draw_index(gsl_rng *rng, size_t n)
{
    size_t i = (size_t)(gsl_rng_uniform(rng) * (double)n);
    return i < n ? i : n - 1;
}

double gpb_dist_sample(const gpb_dist *d, gsl_rng *rng)
{
    if (!d || !rng)
        return NAN;
    switch (d->kind) {
    case GPB_DIST_FIXED:
        return d->param[0];
    case GPB_DIST_UNIFORM:
        return d->param[0] + d->k[0] * gsl_rng_uniform(rng);
    case GPB_DIST_NORMAL:
        if ((int)d->k[0] == TRUNC_NONE)
            return d->param[0] +
                   d->param[1] * gsl_ran_gaussian_ziggurat(rng, 1.0);
        return normal_quantile(d, gpb__clamp_unit(gsl_rng_uniform_pos(rng)));
    case GPB_DIST_LOGNORMAL:
    case GPB_DIST_LOGNORMAL90:
        return exp(d->k[0] + d->k[1] * gsl_ran_gaussian_ziggurat(rng, 1.0));
    case GPB_DIST_TRIANGULAR:
        return triangular_quantile(d, gsl_rng_uniform(rng));
    case GPB_DIST_PERT:
    case GPB_DIST_BETA:
        return d->k[3] + d->k[2] * gsl_ran_beta(rng, d->k[0], d->k[1]);
    case GPB_DIST_GAMMA:
        return gsl_ran_gamma(rng, d->param[0], d->param[1]);
    case GPB_DIST_POISSON:
        return (double)gsl_ran_poisson(rng, d->param[0]);
    case GPB_DIST_BERNOULLI:
        return gsl_rng_uniform(rng) < d->param[0] ? 1.0 : 0.0;
    case GPB_DIST_CHOICE: {
        size_t n = d->n, i = draw_index(rng, n);
        if (gsl_rng_uniform(rng) < d->data[3 * n + i])
            return d->data[i];
        return d->data[(size_t)d->data[4 * n + i]];
    }
    case GPB_DIST_SAMPLES:
        return d->data[draw_index(rng, d->n)];
    case GPB_DIST_NONE:
        break;
    }
    return NAN;
}

/* ------------------------------------------------------------------------ */
/* Moments                                                                   */
/* ------------------------------------------------------------------------ */

/* x·phi(x), 0 at the infinities. */
static double x_phi(double x)
{
    return isinf(x) ? 0.0 : x * gsl_ran_ugaussian_pdf(x);
}

/* Mean and variance in closed form; returns 0 for GPB_DIST_NONE. */
static int moments(const gpb_dist *d, double *mean, double *var)
{
    const double *p = d->param;
    switch (d->kind) {
    case GPB_DIST_FIXED:
        *mean = p[0];
        *var = 0;
        return 1;
    case GPB_DIST_UNIFORM:
        *mean = 0.5 * (p[0] + p[1]);
        *var = d->k[0] * d->k[0] / 12.0;
        return 1;
    case GPB_DIST_NORMAL:
        if ((int)d->k[0] == TRUNC_NONE) {
            *mean = p[0];
            *var = p[1] * p[1];
        } else {
            /* Johnson, Kotz & Balakrishnan, Continuous Univariate
             * Distributions vol. 1, 2nd ed. 1994, §10.1:
             * mean = mu + sigma (phi(al) - phi(be)) / Z,
             * var = sigma^2 [1 + (al phi(al) - be phi(be))/Z
             *                - ((phi(al) - phi(be))/Z)^2]. */
            double al = (p[2] - p[0]) / p[1], be = (p[3] - p[0]) / p[1];
            double Z = d->k[2];
            double r = (gsl_ran_ugaussian_pdf(al) -
                        gsl_ran_ugaussian_pdf(be)) / Z;
            *mean = p[0] + p[1] * r;
            *var = p[1] * p[1] *
                   (1.0 + (x_phi(al) - x_phi(be)) / Z - r * r);
        }
        return 1;
    case GPB_DIST_LOGNORMAL:
    case GPB_DIST_LOGNORMAL90: {
        double mu = d->k[0], s2 = d->k[1] * d->k[1];
        *mean = exp(mu + 0.5 * s2);
        *var = expm1(s2) * exp(2.0 * mu + s2);
        return 1;
    }
    case GPB_DIST_TRIANGULAR: {
        double a = p[0], c = p[1], b = p[2];
        *mean = (a + b + c) / 3.0;
        *var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        return 1;
    }
    case GPB_DIST_PERT:
    case GPB_DIST_BETA: {
        double al = d->k[0], be = d->k[1], w = d->k[2], s = al + be;
        *mean = d->k[3] + w * al / s;
        *var = w * w * al * be / (s * s * (s + 1.0));
        return 1;
    }
    case GPB_DIST_GAMMA:
        *mean = p[0] * p[1];
        *var = p[0] * p[1] * p[1];
        return 1;
    case GPB_DIST_POISSON:
        *mean = *var = p[0];
        return 1;
    case GPB_DIST_BERNOULLI:
        *mean = p[0];
        *var = p[0] * (1.0 - p[0]);
        return 1;
    case GPB_DIST_CHOICE: {
        const double *V = d->data, *P = d->data + d->n;
        double m = 0, v = 0;
        for (size_t i = 0; i < d->n; i++)
            m += P[i] * V[i];
        for (size_t i = 0; i < d->n; i++)
            v += P[i] * (V[i] - m) * (V[i] - m);
        *mean = m;
        *var = v;
        return 1;
    }
    case GPB_DIST_SAMPLES: {
        double m = gsl_stats_mean(d->data, 1, d->n);
        double v = 0;
        for (size_t i = 0; i < d->n; i++)
            v += (d->data[i] - m) * (d->data[i] - m);
        *mean = m;
        *var = v / (double)d->n;
        return 1;
    }
    case GPB_DIST_NONE:
        break;
    }
    return 0;
}

static gpb_status moment(const gpb_dist *d, double *out, gpb_error *err,
                         int which)
{
    const char *what = which ? "variance" : "mean";
    double m, v;
    if (!d || !out)
        return gpb__fail(err, GPB_EINVAL, "dist %s: NULL argument", what);
    if (!moments(d, &m, &v))
        return gpb__fail(err, GPB_EINVAL,
                         "dist %s: the distribution was never built", what);
    double r = which ? v : m;
    if (!isfinite(r))
        return gpb__fail(err, GPB_ERANGE, "%s: the %s overflows",
                         gpb_dist_kind_name(d->kind), what);
    *out = r;
    return GPB_OK;
}

gpb_status gpb_dist_mean(const gpb_dist *d, double *out, gpb_error *err)
{
    return moment(d, out, err, 0);
}

gpb_status gpb_dist_variance(const gpb_dist *d, double *out, gpb_error *err)
{
    return moment(d, out, err, 1);
}

int gpb_dist_is_fixed(const gpb_dist *d)
{
    if (!d)
        return 0;
    switch (d->kind) {
    case GPB_DIST_FIXED:
        return 1;
    case GPB_DIST_BERNOULLI:
        return d->param[0] == 0.0 || d->param[0] == 1.0;
    case GPB_DIST_CHOICE: {
        /* Fixed when every value with positive probability is the same. */
        const double *V = d->data, *P = d->data + d->n;
        size_t first = d->n, last = 0;
        for (size_t i = 0; i < d->n; i++) {
            if (P[i] > 0) {
                if (first == d->n)
                    first = i;
                last = i;
            }
        }
        return first < d->n && V[first] == V[last];
    }
    case GPB_DIST_SAMPLES:
        return d->data[0] == d->data[d->n - 1];
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------ */
/* Description                                                               */
/* ------------------------------------------------------------------------ */

/* Appends to buf like snprintf, tracking the would-be length in *len. */
static void append(char *buf, size_t n, int *len, const char *fmt, ...)
    GPB__PRINTF(4, 5);

static void append(char *buf, size_t n, int *len, const char *fmt, ...)
{
    if (*len < 0)
        return;
    size_t used = (size_t)*len;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(used < n ? buf + used : NULL, used < n ? n - used : 0,
                      fmt, ap);
    va_end(ap);
    *len = w < 0 ? w : *len + w;
}

int gpb_dist_describe(const gpb_dist *d, char *buf, size_t n)
{
    int len = 0;
    if (buf && n)
        buf[0] = '\0';
    if (!buf)
        n = 0;
    if (!d) {
        append(buf, n, &len, "(null)");
        return len;
    }
    const double *p = d->param;
    const char *name = gpb_dist_kind_name(d->kind);
    switch (d->kind) {
    case GPB_DIST_FIXED:
    case GPB_DIST_POISSON:
    case GPB_DIST_BERNOULLI:
        append(buf, n, &len, "%s(%g)", name, p[0]);
        break;
    case GPB_DIST_UNIFORM:
    case GPB_DIST_LOGNORMAL:
    case GPB_DIST_LOGNORMAL90:
    case GPB_DIST_GAMMA:
        append(buf, n, &len, "%s(%g, %g)", name, p[0], p[1]);
        break;
    case GPB_DIST_NORMAL:
        append(buf, n, &len, "%s(%g, %g", name, p[0], p[1]);
        if ((int)d->k[0] != TRUNC_NONE)
            append(buf, n, &len, ", truncated to [%g, %g]", p[2], p[3]);
        append(buf, n, &len, ")");
        break;
    case GPB_DIST_TRIANGULAR:
        append(buf, n, &len, "%s(%g, %g, %g)", name, p[0], p[1], p[2]);
        break;
    case GPB_DIST_PERT:
        append(buf, n, &len, "%s(%g, %g, %g", name, p[0], p[1], p[2]);
        if (p[3] != GPB_DIST_PERT_LAMBDA)
            append(buf, n, &len, ", lambda=%g", p[3]);
        append(buf, n, &len, ")");
        break;
    case GPB_DIST_BETA:
        append(buf, n, &len, "%s(%g, %g", name, p[0], p[1]);
        if (p[2] != 0.0 || p[3] != 1.0)
            append(buf, n, &len, ", %g, %g", p[2], p[3]);
        append(buf, n, &len, ")");
        break;
    case GPB_DIST_CHOICE: {
        /* Values in ascending order with their probabilities. */
        const size_t show = 8;
        append(buf, n, &len, "%s(", name);
        for (size_t i = 0; i < d->n && i < show; i++)
            append(buf, n, &len, "%s%g: %.3g", i ? ", " : "", d->data[i],
                   d->data[d->n + i]);
        if (d->n > show)
            append(buf, n, &len, ", ... %zu values in all", d->n);
        append(buf, n, &len, ")");
        break;
    }
    case GPB_DIST_SAMPLES:
        append(buf, n, &len, "%s(n=%zu, %g to %g)", name, d->n, d->data[0],
               d->data[d->n - 1]);
        break;
    case GPB_DIST_NONE:
        append(buf, n, &len, "none");
        break;
    }
    return len;
}
