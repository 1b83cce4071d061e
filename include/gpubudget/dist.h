/*
 * gpubudget/dist.h: probability distributions for Monte Carlo scenarios,
 * their sampling (GSL generators), inverse CDFs for quasi-random and
 * correlated sampling, a Gaussian copula that induces rank correlation
 * between inputs, and two sample statistics the engine needs.
 *
 * A gpb_dist is a small transparent value: a kind, up to four parameters as
 * the user gave them, constants derived from them, and for `choice` and
 * `samples` one owned array. It is built by a validating constructor, then
 * sampled millions of times by gpb_dist_sample(), which allocates nothing
 * and only switches on the kind. docs/dist.md lists every kind with its YAML
 * spelling, parameters, mean and variance.
 *
 * Conventions shared by the functions below:
 *
 *   - Constructors write the distribution through an out-parameter and
 *     return a gpb_status. On failure *out is left zeroed (kind
 *     GPB_DIST_NONE), so gpb_dist_free() is always safe on it, and err (may
 *     be NULL) says which parameter is wrong and why, e.g.
 *     "uniform: lo (5) must be below hi (3)".
 *   - GPB_EINVAL: a NULL pointer, a NaN or infinite parameter, zero or a
 *     negative value where a positive one is needed, or parameters in the
 *     wrong order (lo not below hi, a mode outside [min, max]).
 *   - GPB_ERANGE: a parameter of the right sign beyond its upper limit (a
 *     probability above 1, a shape above GPB_DIST_SHAPE_MAX), a
 *     truncation interval that holds no probability, or bounds whose
 *     width hi - lo overflows (or, for lognormal90, whose logarithms
 *     cannot be told apart).
 *   - GPB_ELIMIT: more than GPB_DIST_MAX_VALUES values for choice/samples.
 *   - GPB_ENOMEM: an owned array could not be allocated.
 *   - Distributions are unitless: a money input is a distribution of
 *     amounts in the input's currency.
 *
 * Thread safety: a built gpb_dist or gpb_copula is never modified by
 * sampling, quantile or moment calls, so one may be shared by any number of
 * threads, each with its own gsl_rng. Nothing here has global state, and no
 * call ever reaches GSL's error handler (which aborts by default):
 * parameters are validated when built, and the inverse CDFs of the beta,
 * gamma and Poisson laws are computed here rather than by GSL routines that
 * can raise "failed to converge" or underflow errors.
 */
#ifndef GPUBUDGET_DIST_H
#define GPUBUDGET_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "gpubudget/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Kinds                                                                     */
/* ------------------------------------------------------------------------ */

/*
 * The kinds, numbered once and never renumbered. Each entry is
 * X(NAME, number, yaml-key); GPB_DIST_<NAME> is the enum value and
 * gpb_dist_kind_name() returns the key the scenario files use.
 * GPB_DIST_NONE is the kind of a zeroed (or freed, or failed) gpb_dist.
 */
#define GPB_DIST_KIND_MAP(X)            \
    X(NONE, 0, "none")                  \
    X(FIXED, 1, "fixed")                \
    X(UNIFORM, 2, "uniform")            \
    X(NORMAL, 3, "normal")              \
    X(LOGNORMAL, 4, "lognormal")        \
    X(LOGNORMAL90, 5, "lognormal90")    \
    X(TRIANGULAR, 6, "triangular")      \
    X(PERT, 7, "pert")                  \
    X(BETA, 8, "beta")                  \
    X(GAMMA, 9, "gamma")                \
    X(POISSON, 10, "poisson")           \
    X(BERNOULLI, 11, "bernoulli")       \
    X(CHOICE, 12, "choice")             \
    X(SAMPLES, 13, "samples")

typedef enum gpb_dist_kind {
#define GPB__DIST_KIND_ENUM(name, num, key) GPB_DIST_##name = num,
    GPB_DIST_KIND_MAP(GPB__DIST_KIND_ENUM)
#undef GPB__DIST_KIND_ENUM
} gpb_dist_kind;

/* Number of kinds, GPB_DIST_NONE included (kinds are 0 .. COUNT-1). */
#define GPB_DIST_KIND_COUNT 14

/*
 * Returns the static YAML key of a kind ("pert"), or "unknown" for a value
 * outside the list. Never NULL.
 */
GPB_API const char *gpb_dist_kind_name(gpb_dist_kind k);

/*
 * Looks a YAML key up (exact, case-sensitive: "lognormal90") and writes its
 * kind to *out. "none" is not a key and is not found.
 * Returns GPB_OK, GPB_ENOTFOUND, or GPB_EINVAL when name or out is NULL.
 */
GPB_API gpb_status gpb_dist_kind_from_name(const char *name,
                                           gpb_dist_kind *out);

/* ------------------------------------------------------------------------ */
/* The distribution value                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Largest shape parameter accepted by beta (a, b), gamma (k) and Poisson
 * (lambda), and largest PERT lambda. The inverse CDFs of these laws sum
 * series whose length grows like sqrt(shape); above this limit a normal
 * distribution describes the input as well and costs nothing to invert.
 */
#define GPB_DIST_SHAPE_MAX 1e6

/* Most values a choice or samples distribution may hold (2^26). */
#define GPB_DIST_MAX_VALUES ((size_t)1 << 26)

/* The PERT shape used by gpb_dist_pert() (Malcolm et al. 1959, the
 * "(min + 4·mode + max)/6" mean). */
#define GPB_DIST_PERT_LAMBDA 4.0

/*
 * A distribution. Read `kind`, `param`, `data` and `n` freely; build and
 * change it only through the functions below; `k` is private to dist.c.
 *
 * param[] holds the parameters as given, by kind:
 *   FIXED        value
 *   UNIFORM      lo, hi
 *   NORMAL       mu, sigma, a, b (a = -inf, b = +inf when not truncated)
 *   LOGNORMAL    mu, sigma (of the logarithm)
 *   LOGNORMAL90  lo, hi (the 5th and 95th percentiles)
 *   TRIANGULAR   min, mode, max
 *   PERT         min, mode, max, lambda
 *   BETA         a, b, lo, hi (lo = 0, hi = 1 when not scaled)
 *   GAMMA        shape k, scale theta
 *   POISSON      lambda
 *   BERNOULLI    p
 *   CHOICE       (none)
 *   SAMPLES      (none)
 *
 * data is owned by the distribution (NULL for the other kinds):
 *   CHOICE   the n values sorted ascending at data[0..n) (duplicates
 *            kept), their probabilities (weight / sum of weights) at
 *            data[n..2n); private tables follow.
 *   SAMPLES  the n samples sorted ascending at data[0..n).
 *
 * Copying the struct by assignment aliases data: use gpb_dist_copy().
 */
typedef struct gpb_dist {
    gpb_dist_kind kind;
    double param[4];
    double k[4];
    double *data;
    size_t n;
} gpb_dist;

/* ------------------------------------------------------------------------ */
/* Constructors                                                              */
/* ------------------------------------------------------------------------ */

/* A constant: every draw is v. v finite, else GPB_EINVAL. */
GPB_API gpb_status gpb_dist_fixed(double v, gpb_dist *out, gpb_error *err);

/* Uniform on [lo, hi]. Finite lo < hi, else GPB_EINVAL. */
GPB_API gpb_status gpb_dist_uniform(double lo, double hi, gpb_dist *out,
                                    gpb_error *err);

/*
 * Normal with mean mu and standard deviation sigma. Finite mu; finite
 * sigma > 0. Else GPB_EINVAL.
 */
GPB_API gpb_status gpb_dist_normal(double mu, double sigma, gpb_dist *out,
                                   gpb_error *err);

/*
 * Normal(mu, sigma) truncated to [a, b], sampled by inverting its CDF.
 * Either bound may be infinite (one-sided truncation); a < b, neither NaN.
 * GPB_EINVAL for bad mu, sigma, a or b; GPB_ERANGE when [a, b] lies so far
 * in a tail (beyond about 37 sigma) that it holds no representable
 * probability.
 */
GPB_API gpb_status gpb_dist_normal_truncated(double mu, double sigma,
                                             double a, double b,
                                             gpb_dist *out, gpb_error *err);

/*
 * Lognormal: exp(X) with X ~ Normal(mu, sigma). Finite mu; finite
 * sigma > 0. Else GPB_EINVAL.
 */
GPB_API gpb_status gpb_dist_lognormal(double mu, double sigma, gpb_dist *out,
                                      gpb_error *err);

/*
 * Lognormal given by its 90% interval, as forecasters write "5 to 9": lo and
 * hi are the 5th and 95th percentiles, so mu = (ln lo + ln hi)/2 and
 * sigma = (ln hi - ln lo)/(2 · 1.6448536269514722). Needs finite
 * 0 < lo < hi, else GPB_EINVAL.
 */
GPB_API gpb_status gpb_dist_lognormal90(double lo, double hi, gpb_dist *out,
                                        gpb_error *err);

/*
 * Triangular on [min, max] with its peak at mode. Finite min < max and
 * min <= mode <= max, else GPB_EINVAL.
 */
GPB_API gpb_status gpb_dist_triangular(double min, double mode, double max,
                                       gpb_dist *out, gpb_error *err);

/*
 * PERT: min + (max - min)·Beta(alpha, beta) with
 * alpha = 1 + lambda·(mode - min)/(max - min),
 * beta = 1 + lambda·(max - mode)/(max - min); mean
 * (min + lambda·mode + max)/(lambda + 2). gpb_dist_pert() uses
 * lambda = GPB_DIST_PERT_LAMBDA (4). Needs finite min < max,
 * min <= mode <= max and 0 <= lambda (GPB_EINVAL), lambda at most
 * GPB_DIST_SHAPE_MAX (GPB_ERANGE).
 */
GPB_API gpb_status gpb_dist_pert(double min, double mode, double max,
                                 gpb_dist *out, gpb_error *err);
GPB_API gpb_status gpb_dist_pert_lambda(double min, double mode, double max,
                                        double lambda, gpb_dist *out,
                                        gpb_error *err);

/*
 * Beta(a, b) on [0, 1], or scaled to [lo, hi]: lo + (hi - lo)·Beta(a, b).
 * Shapes a, b > 0 and finite (GPB_EINVAL), at most GPB_DIST_SHAPE_MAX
 * (GPB_ERANGE); finite lo < hi (GPB_EINVAL).
 */
GPB_API gpb_status gpb_dist_beta(double a, double b, gpb_dist *out,
                                 gpb_error *err);
GPB_API gpb_status gpb_dist_beta_scaled(double a, double b, double lo,
                                        double hi, gpb_dist *out,
                                        gpb_error *err);

/*
 * Gamma with shape k and scale theta (mean k·theta). Both finite and
 * positive (GPB_EINVAL); k at most GPB_DIST_SHAPE_MAX (GPB_ERANGE).
 */
GPB_API gpb_status gpb_dist_gamma(double shape, double scale, gpb_dist *out,
                                  gpb_error *err);

/*
 * Poisson with mean lambda: draws are whole numbers 0, 1, 2, ... returned
 * as doubles. lambda finite and positive (GPB_EINVAL), at most
 * GPB_DIST_SHAPE_MAX (GPB_ERANGE).
 */
GPB_API gpb_status gpb_dist_poisson(double lambda, gpb_dist *out,
                                    gpb_error *err);

/*
 * Bernoulli: 1 with probability p, else 0. p finite and not negative
 * (GPB_EINVAL), at most 1 (GPB_ERANGE).
 */
GPB_API gpb_status gpb_dist_bernoulli(double p, gpb_dist *out,
                                      gpb_error *err);

/*
 * A discrete choice: values[i] with probability weights[i] / sum(weights).
 * values (borrowed, copied) must be finite; weights (borrowed, copied) may be
 * NULL for equal weights, else each finite and not negative with a positive
 * finite sum. Values need not be distinct or sorted. Draws take O(1) time
 * (Walker's alias method). GPB_EINVAL for NULL values, n = 0, a NaN or
 * infinite value or weight, a negative weight or a zero sum; GPB_ELIMIT for
 * n > GPB_DIST_MAX_VALUES; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_dist_choice(const double *values,
                                   const double *weights, size_t n,
                                   gpb_dist *out, gpb_error *err);

/*
 * The empirical distribution of n samples (borrowed, copied): each draw is
 * one of them, chosen uniformly (a bootstrap resample). Samples must be
 * finite. GPB_EINVAL for NULL, n = 0 or a non-finite sample; GPB_ELIMIT for
 * n > GPB_DIST_MAX_VALUES; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_dist_samples(const double *samples, size_t n,
                                    gpb_dist *out, gpb_error *err);

/*
 * Releases the owned array and zeroes *d (kind GPB_DIST_NONE). Safe on any
 * built distribution, on a zeroed one, on one a constructor failed to
 * build, twice in a row, and on NULL.
 */
GPB_API void gpb_dist_free(gpb_dist *d);

/*
 * Makes *dst an independent deep copy of *src. dst's previous content is
 * overwritten, not freed (free it first if it owned an array); on failure
 * *dst is zeroed. GPB_EINVAL for NULL pointers; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_dist_copy(const gpb_dist *src, gpb_dist *dst,
                                 gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Sampling, quantiles, moments                                              */
/* ------------------------------------------------------------------------ */

/*
 * One draw from d using rng (borrowed; one generator per thread). Costs one
 * or two generator calls for most kinds and allocates nothing. Returns NaN
 * for a GPB_DIST_NONE distribution or NULL arguments.
 */
GPB_API double gpb_dist_sample(const gpb_dist *d, gsl_rng *rng);

/*
 * The inverse CDF: the smallest x with P(X <= x) >= u. For quasi-random
 * (Sobol) points and for the copula: quantile(U) with U uniform has the
 * distribution d. u is clamped to [2^-53, 1 - 2^-53] so 0 and 1 give the
 * finite extreme quantiles. Discrete kinds (Poisson, Bernoulli, choice,
 * samples) return one of their values (samples: the empirical step
 * function, not an interpolation). Closed forms where they exist; beta,
 * PERT, gamma and Poisson invert an incomplete beta or gamma function: the
 * CDF at the result matches u (1 - u above the median) to 1e-10 relative
 * or better, or to the spacing of doubles near the result. Costs about
 * 20 ns for normal kinds, 0.2-1 us for beta, PERT, gamma and Poisson.
 * Returns NaN for NaN u, a GPB_DIST_NONE distribution or NULL d.
 */
GPB_API double gpb_dist_quantile(const gpb_dist *d, double u);

/*
 * The CDF P(X <= x). Returns NaN for NaN x, a GPB_DIST_NONE distribution or
 * NULL d.
 */
GPB_API double gpb_dist_cdf(const gpb_dist *d, double x);

/*
 * The mean and the variance of d, from their closed forms (samples: the mean
 * and the population variance of the samples, which are those of the
 * resampled draws). GPB_EINVAL for NULL pointers or a GPB_DIST_NONE
 * distribution; GPB_ERANGE when the value overflows (a lognormal with a
 * very large sigma). *out is written only on success.
 */
GPB_API gpb_status gpb_dist_mean(const gpb_dist *d, double *out,
                                 gpb_error *err);
GPB_API gpb_status gpb_dist_variance(const gpb_dist *d, double *out,
                                     gpb_error *err);

/*
 * 1 when every draw of d is the same number (a fixed distribution, or a
 * choice or samples list holding one distinct value), else 0. NULL and
 * GPB_DIST_NONE give 0. Used to list a scenario's uncertain inputs.
 */
GPB_API int gpb_dist_is_fixed(const gpb_dist *d);

/*
 * Writes a short description such as "pert(0.3, 0.4, 0.5)" or
 * "uniform(8, 12)" into buf of size n (truncated, always NUL-terminated
 * when n > 0). Numbers use %g with 6 significant digits; long choice lists
 * are abbreviated. Returns the length the full text would have, as snprintf
 * does (negative only if formatting fails).
 */
GPB_API int gpb_dist_describe(const gpb_dist *d, char *buf, size_t n);

/* ------------------------------------------------------------------------ */
/* Gaussian copula                                                           */
/* ------------------------------------------------------------------------ */

/*
 * Induces rank correlation between n inputs: draw z ~ Normal(0, R) and hand
 * each input u_i = Phi(z_i); input i then takes gpb_dist_quantile(d_i, u_i).
 * Each u_i is uniform, so every input keeps its own distribution, and for
 * continuous inputs the Spearman rank correlation between inputs i and j is
 * the one requested. Opaque; immutable once built; may be shared by threads.
 */
typedef struct gpb_copula gpb_copula;

/* Most inputs one copula may correlate. */
#define GPB_COPULA_MAX_DIM 4096

/*
 * Builds a copula from rank_corr (borrowed, copied), an n×n row-major
 * matrix of Spearman rank correlations: symmetric (to 1e-12), unit
 * diagonal, entries in [-1, 1]. Each entry becomes the normal-scale Pearson
 * correlation r = 2·sin(pi·rho_s/6) (Pearson 1907; Kruskal 1958), and R is
 * factorised R = L·L' by LAPACK's dpotrf (OpenBLAS).
 *
 * Writes a new copula to *out (free with gpb_copula_free) on success and
 * NULL on failure. Entry indices in messages are 0-based, "(i, j)".
 * Returns GPB_EINVAL (NULL pointers, n = 0, a NaN entry, an asymmetric pair,
 * a diagonal entry other than 1, |rho| > 1), GPB_ERANGE (n above
 * GPB_COPULA_MAX_DIM), GPB_ENOTPD ("correlation matrix is not positive
 * definite (leading minor k is not positive)", k 1-based: the requested
 * correlations contradict each other; perfect correlations of +-1 may also
 * land here, use 0.999), GPB_ENOMEM, GPB_ENUMERIC (LAPACK rejected an
 * argument; not expected).
 */
GPB_API gpb_status gpb_copula_new(size_t n, const double *rank_corr,
                                  gpb_copula **out, gpb_error *err);

/* Frees a copula. Accepts NULL. */
GPB_API void gpb_copula_free(gpb_copula *c);

/* The number of inputs n (0 for NULL). */
GPB_API size_t gpb_copula_dim(const gpb_copula *c);

/*
 * Fills u[0..n-1] with correlated uniforms in (0, 1): n independent standard
 * normals e from rng (borrowed), z = L·e, u = Phi(z), clamped to
 * [2^-53, 1 - 2^-53]. Allocates nothing.
 */
GPB_API void gpb_copula_sample(const gpb_copula *c, gsl_rng *rng, double *u);

/*
 * The same transform from n given independent uniforms (Sobol points):
 * e_i = Phi^-1(u_indep_i), z = L·e, u_out = Phi(z). u_indep values are
 * clamped to [2^-53, 1 - 2^-53] first. u_out may be the same array as
 * u_indep.
 */
GPB_API void gpb_copula_transform(const gpb_copula *c, const double *u_indep,
                                  double *u_out);

/* ------------------------------------------------------------------------ */
/* Sample statistics                                                         */
/* ------------------------------------------------------------------------ */

/* Sorts x[0..n-1] ascending in place (GSL's heapsort). Accepts n = 0. */
GPB_API void gpb_stats_sort(double *x, size_t n);

/*
 * The p-quantile of sorted[0..n-1] (ascending, borrowed) by linear
 * interpolation between order statistics: Hyndman & Fan (1996) type 7, as
 * GSL's gsl_stats_quantile_from_sorted_data and R's default. p is clamped to
 * [0, 1]. Returns NaN for NULL, n = 0 or NaN p.
 */
GPB_API double gpb_stats_quantile_sorted(const double *sorted, size_t n,
                                         double p);

/*
 * Spearman's rank correlation of x and y (borrowed, n each; ties get their
 * average rank), by GSL's gsl_stats_spearman. work is caller-owned scratch
 * of 2·n doubles. Returns NaN for NULL pointers, n < 2, or a constant x or
 * y.
 */
GPB_API double gpb_stats_spearman(const double *x, const double *y, size_t n,
                                  double *work);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_DIST_H */
