/*
 * gpubudget/sensitivity.h: which assumption moves the answer, and whether
 * the simulation ran long enough to say so.
 *
 * Sensitivity. For every output metric of a result and every uncertain
 * input of its scenario (named by key path, "training[0].mfu"):
 *   - Spearman's rank correlation ρ_S(x_k, y);
 *   - the standardised rank regression coefficient SRRC_k: the coefficient
 *     of input k when the ranks of y are regressed on the ranks of all the
 *     inputs at once, every rank column standardised (Saltelli et al.,
 *     "Sensitivity Analysis in Practice", Wiley 2004, §2.4; Iman & Conover,
 *     Technometrics 21(4), 1979), and the R² of that rank regression (how
 *     much of the output's rank variance a monotone additive model
 *     explains; a low R² says the coefficients miss interactions);
 *   - the swing: the output's P50 when input k sits at its P10 and at its
 *     P90 while every other uncertain input sits at its median (a tornado
 *     diagram). The swing re-runs the simulation with those inputs fixed.
 * The correlations come from matrix products and the coefficients from one
 * least-squares solve by the normal equations (OpenBLAS's cblas_dgemm and
 * cblas_dsyrk, LAPACK's Cholesky dpotrf/dpotrs, with dpocon's condition
 * estimate to flag collinear inputs), never from per-pair loops.
 * docs/output.md gives the formulas.
 *
 * Convergence. The standard error of a mean is gpb_result_mean's; this
 * header adds a distribution-free confidence interval for any quantile and
 * a driver that doubles the path count until a mean is precise enough.
 */
#ifndef GPUBUDGET_SENSITIVITY_H
#define GPUBUDGET_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "gpubudget/common.h"
#include "gpubudget/scenario.h"
#include "gpubudget/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags on a (metric, input) pair or on a metric. */
#define GPB_SENS_CONSTANT_INPUT 1u  /* the input took one value on every
                                       path used: its coefficients are 0 */
#define GPB_SENS_CONSTANT_OUTPUT 2u /* the metric took one value on every
                                       path used: coefficients and R² are 0 */
#define GPB_SENS_COLLINEAR 4u       /* the inputs' ranks are linearly
                                       dependent: SRRC and R² are NaN (the
                                       Spearman correlations are still
                                       defined) */

/* Default cap on the paths the rank statistics use (the first ones). */
#define GPB_SENS_DEFAULT_MAX_PATHS 100000u
/* Default paths of each swing run. */
#define GPB_SENS_DEFAULT_SWING_PATHS 2000u

typedef struct gpb_sensitivity_options {
    /* Rank statistics use the first min(paths, max_paths) paths (default
       GPB_SENS_DEFAULT_MAX_PATHS; 0 = all), of those whose inputs the run
       kept (gpb_result_input_kept_paths). The sampling error of a rank
       correlation is about 1/√n, 0.003 at 10^5 paths, while the working
       memory is n × (inputs + metrics) doubles. */
    size_t max_paths;
    /* 1 (default): compute the swing; 0: skip it (no simulation runs). */
    int swing;
    /* Paths of each swing run (default GPB_SENS_DEFAULT_SWING_PATHS).
       With every uncertain per-path input fixed, only the month-by-month
       draws (failures, divergence, price moves, rounds closing, user
       growth shocks) vary between paths, so few paths suffice. */
    size_t swing_paths;
    /* Seed of every swing run (default 0 = the result's seed); all 2K + 1
       runs use the same seed, so the low and high sides share their
       month-by-month draws (common random numbers). */
    uint64_t swing_seed;
    /* The input's low and high quantile levels (default 0.1 and 0.9). */
    double swing_low, swing_high;
    /* Worker threads of the ranking and the swing runs; 0 = one per core
       (default). Every figure is the same for any count. */
    int threads;
} gpb_sensitivity_options;

/* Fills *opt with the defaults above. */
GPB_API void gpb_sensitivity_options_default(gpb_sensitivity_options *opt);

typedef struct gpb_sensitivity gpb_sensitivity;

/*
 * Computes the sensitivity of every metric of r to every uncertain input.
 *
 *   s     the scenario r was simulated from (borrowed); needed for the
 *         swing and to read money inputs in their own currency; may be
 *         NULL when opt->swing is 0, and then money inputs are ranked as
 *         stored in the result (in the report currency)
 *   r     the result (borrowed)
 *   opt   options (NULL = defaults)
 *   out   receives a new object (free with gpb_sensitivity_free)
 *
 * Metric indices are those of r (gpb_result_metric_name); input indices
 * are those of r (gpb_result_input_path). A result with no uncertain
 * inputs gives an object with no inputs (every R² 0).
 *
 * Like gpb_sim_run, it sets OpenBLAS to one thread while it works
 * (restoring the caller's setting after): the products are small, and one
 * thread keeps their sums in a fixed order.
 *
 * Returns GPB_OK; GPB_EINVAL for NULL r or out, s NULL with the swing on,
 * bad options (swing levels outside 0 < low < high < 1, swing_paths 0 or
 * above GPB_SIM_MAX_PATHS), fewer than K + 2 paths for K varying inputs
 * (the regression needs a residual degree of freedom; the message gives
 * both numbers); GPB_ENOTFOUND for an input of r missing from s (r was
 * simulated from another scenario); GPB_ENUMERIC if LAPACK rejects an
 * argument (not expected); GPB_ENOMEM; any status of gpb_sim_run for the
 * swing runs. *out is NULL on failure.
 */
GPB_API gpb_status gpb_sensitivity_compute(const gpb_scenario *s,
                                           const gpb_result *r,
                                           const gpb_sensitivity_options *opt,
                                           gpb_sensitivity **out,
                                           gpb_error *err);

/* Frees a sensitivity object. Accepts NULL. */
GPB_API void gpb_sensitivity_free(gpb_sensitivity *x);

/* Counts (0 for NULL): metrics, inputs, and the paths the rank statistics
   used. */
GPB_API size_t gpb_sensitivity_metric_count(const gpb_sensitivity *x);
GPB_API size_t gpb_sensitivity_input_count(const gpb_sensitivity *x);
GPB_API size_t gpb_sensitivity_paths(const gpb_sensitivity *x);

/* Name of metric m and key path of input k (borrowed from x; NULL when out
   of range). */
GPB_API const char *gpb_sensitivity_metric_name(const gpb_sensitivity *x,
                                                size_t m);
GPB_API const char *gpb_sensitivity_input_path(const gpb_sensitivity *x,
                                               size_t k);
/* Input k's label for people (gpb_result_input_label; borrowed from x;
   NULL when out of range). */
GPB_API const char *gpb_sensitivity_input_label(const gpb_sensitivity *x,
                                                size_t k);

/*
 * Spearman's rank correlation and the SRRC of metric m on input k, both in
 * [-1, 1] for independent inputs (an SRRC can exceed 1 in magnitude when
 * inputs are correlated); 0 for a flagged constant; NaN when m or k is out
 * of range (and SRRC NaN when GPB_SENS_COLLINEAR).
 */
GPB_API double gpb_sensitivity_spearman(const gpb_sensitivity *x, size_t m,
                                        size_t k);
GPB_API double gpb_sensitivity_srrc(const gpb_sensitivity *x, size_t m,
                                    size_t k);
/* R² of metric m's rank regression (0 for a constant metric, NaN when
   collinear or out of range). */
GPB_API double gpb_sensitivity_r2(const gpb_sensitivity *x, size_t m);
/* GPB_SENS_* flags of the pair (m, k), or of metric m alone when
   k == (size_t)-1. */
GPB_API unsigned gpb_sensitivity_flags(const gpb_sensitivity *x, size_t m,
                                       size_t k);

/* 1 when the swing was computed. */
GPB_API int gpb_sensitivity_has_swing(const gpb_sensitivity *x);

/*
 * The swing of metric m for input k: *p50_low and *p50_high are the
 * metric's P50 with input k at its swing_low and swing_high quantiles and
 * every other uncertain input at its median; *p50_base (may be NULL) with
 * every uncertain input at its median. For a censored metric
 * (runway_months) the statistic is the restricted mean, and for a metric
 * that is 0 or 1 per path (out_of_cash, a run's finished) the mean, a
 * probability: their P50 sits at the horizon or at 0 or 1. Units: the
 * metric's (money in the result's currency).
 *
 * Returns GPB_OK; GPB_EINVAL for NULL pointers or an index out of range;
 * GPB_ENOTFOUND when the swing was not computed.
 */
GPB_API gpb_status gpb_sensitivity_swing(const gpb_sensitivity *x, size_t m,
                                         size_t k, double *p50_low,
                                         double *p50_high, double *p50_base,
                                         gpb_error *err);

/*
 * The standard error of the swing of metric m for input k, p50_high −
 * p50_low of gpb_sensitivity_swing, in the metric's units. The two runs
 * draw the same paths (common random numbers), so it is far smaller than
 * their errors combined when the input moves every path alike. For a mean
 * (and a restricted mean) it is the i.i.d. error of the paths'
 * differences; for a P50, the paired bootstrap's: 50 resamples weighting
 * each path by a Poisson(1) count, the same on both sides, from the
 * Philox stream keyed by the swing's seed, m and k (the same figure on
 * every run; docs/output.md, "The swing's standard error"). A P50 between
 * two groups of outcomes (paths with and without a funding round) jumps
 * with the draws, and its error says so. A swing within about two of it
 * of zero is not told apart from none. NaN when the swing had a single
 * path, and for a P50 when its runs were too large to keep every path
 * (gpb_result_kept_paths; millions of swing paths). While an input's two
 * runs are compared both are held: the swing's memory is up to twice a
 * run's per thread. Returns GPB_OK; GPB_EINVAL for NULL pointers or an index out of
 * range; GPB_ENOTFOUND when the swing was not computed.
 */
GPB_API gpb_status gpb_sensitivity_swing_se(const gpb_sensitivity *x,
                                            size_t m, size_t k, double *se,
                                            gpb_error *err);

/*
 * The values input k was fixed at for the swing: its swing_low quantile,
 * median and swing_high quantile, in the input's own units and currency
 * (as written in the scenario). Any pointer may be NULL. Same statuses as
 * gpb_sensitivity_swing.
 */
GPB_API gpb_status gpb_sensitivity_swing_inputs(const gpb_sensitivity *x,
                                                size_t k, double *low,
                                                double *median, double *high,
                                                gpb_error *err);

/* The swing's quantile levels, paths and seed (levels NaN and paths 0
   when the swing was not computed). */
GPB_API double gpb_sensitivity_swing_low(const gpb_sensitivity *x);
GPB_API double gpb_sensitivity_swing_high(const gpb_sensitivity *x);
GPB_API size_t gpb_sensitivity_swing_paths(const gpb_sensitivity *x);
GPB_API uint64_t gpb_sensitivity_swing_seed(const gpb_sensitivity *x);

/* What gpb_sensitivity_rank orders by. */
typedef enum gpb_sensitivity_by {
    GPB_SENS_BY_SRRC = 0,  /* |SRRC| (NaN last) */
    GPB_SENS_BY_SPEARMAN,  /* |ρ_S| */
    GPB_SENS_BY_SWING      /* |P50_high − P50_low|; needs the swing */
} gpb_sensitivity_by;

/*
 * Writes the input indices of metric m, most influential first, into
 * order[0 .. n-1] (n ≤ the input count; ties keep input order). Returns
 * GPB_OK; GPB_EINVAL for NULL pointers, m out of range, n above the input
 * count or an unknown `by`; GPB_ENOTFOUND for GPB_SENS_BY_SWING without a
 * swing.
 */
GPB_API gpb_status gpb_sensitivity_rank(const gpb_sensitivity *x, size_t m,
                                        gpb_sensitivity_by by, size_t *order,
                                        size_t n, gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_SENSITIVITY_H */
