/*
 * gpubudget/sim.h: the Monte Carlo engine and its results.
 *
 * gpb_sim_run() simulates a scenario path by path, month by month: each path
 * samples the scenario's inputs once, draws the month's events (GPU price
 * moves, failures, divergence, user growth, whether a round closes), books
 * the month's cash flows by category, and keeps per-path metrics. The
 * result answers means (with standard errors), quantiles, probabilities of
 * running out of cash, a month-by-month fan of the cash balance, and the
 * raise needed for a confidence level.
 *
 * Reproducibility: paths are split into blocks of GPB_SIM_BLOCK_PATHS; block
 * b draws from a generator seeded by a hash of (seed, b), and every result is
 * combined in path order, so a seed gives bit-identical results on any number
 * of threads.
 *
 * Threads: the engine runs its own workers and sets OpenBLAS to one thread
 * while it runs (restoring the caller's setting after), so the two do not
 * compete for cores.
 *
 * Memory: per-path metrics and inputs are kept (paths × (metrics + uncertain
 * inputs) doubles); month-by-month outputs are kept only as fixed-size
 * histograms (months × GPB_SIM_FAN_BINS counters per thread), never as one
 * value per path per month.
 */
#ifndef GPUBUDGET_SIM_H
#define GPUBUDGET_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "gpubudget/common.h"
#include "gpubudget/scenario.h"
#include "gpubudget/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Paths per block: part of what a seed means, so it is a constant. */
#define GPB_SIM_BLOCK_PATHS 1024
/* Bins per month of the cash-balance histograms behind the fan. */
#define GPB_SIM_FAN_BINS 2048
/* Most paths one run may simulate. */
#define GPB_SIM_MAX_PATHS 100000000u

/*
 * Progress callback: called from the thread that called gpb_sim_run, with
 * the number of paths done and the total. Return non-zero to cancel the run
 * (gpb_sim_run then returns GPB_ECANCELLED).
 */
typedef int (*gpb_sim_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct gpb_sim_options {
    size_t paths;       /* paths to simulate (default 10,000) */
    uint64_t seed;      /* generator seed (default 20230225); any value */
    int threads;        /* worker threads; 0 = one per core (default 0) */
    int quasi_random;   /* 1: per-path inputs from a scrambled-free Sobol
                           sequence (GSL), monthly events pseudo-random */
    gpb_sim_progress_fn progress; /* optional */
    void *progress_ctx;
    /* Optional, borrowed: one value per scenario input
       (gpb_scenario_input_count), in the input's own units and currency;
       NaN leaves an input to be sampled, a number fixes it on every path.
       For one-at-a-time sensitivity ("swing") and what-if runs. */
    const double *input_values;
} gpb_sim_options;

/* Fills *opt with the defaults above. */
GPB_API void gpb_sim_options_default(gpb_sim_options *opt);

typedef struct gpb_result gpb_result;

/*
 * Runs the simulation.
 *
 *   s     a loaded scenario (borrowed; must outlive the call only)
 *   opt   options (NULL = defaults)
 *   out   receives a new result (free with gpb_result_free)
 *
 * Returns GPB_OK; GPB_EINVAL for bad options (paths 0 or above
 * GPB_SIM_MAX_PATHS, negative threads, quasi-random with more than 40
 * uncertain inputs); GPB_ENOMEM; GPB_ECANCELLED when the progress callback
 * asked to stop; GPB_ENUMERIC when a scenario value makes the model
 * undefined (reported with the input's key path).
 */
GPB_API gpb_status gpb_sim_run(const gpb_scenario *s,
                               const gpb_sim_options *opt, gpb_result **out,
                               gpb_error *err);

/* Frees a result. Accepts NULL. */
GPB_API void gpb_result_free(gpb_result *r);

GPB_API size_t gpb_result_paths(const gpb_result *r);
GPB_API int gpb_result_horizon_months(const gpb_result *r);
GPB_API gpb_currency gpb_result_currency(const gpb_result *r);
GPB_API uint64_t gpb_result_seed(const gpb_result *r);

/*
 * Metrics, each one number per path. Names:
 *   spend.total spend.team spend.compute_rent spend.serving spend.other
 *   spend.monthly_mean       money (report currency)
 *   revenue.total funding.total cash.end cash.min deficit.max  money
 *   runway_months            first month whose closing cash is below zero
 *                            (censored: the horizon when none)
 *   out_of_cash              1 when cash went below zero, else 0
 *   gpu_hours card_months    totals over all training runs
 *   serving.cost_per_day_last  serving cost per day in the last month
 *   training.<run>.cost .gpu_hours .card_months .finish_month .finished
 *   .months .failures .divergences, and .flops (the compute the run needs,
 *   exploration included) and .peak_flop_per_s (one GPU's dense peak)
 * finish_month is the month the run finished, or the horizon when it did
 * not; finished says which.
 */
GPB_API size_t gpb_result_metric_count(const gpb_result *r);
/* Name and unit ("USD", "CNY", "months", "GPU-hours", "card-months",
   "count", "probability") of metric i; static or borrowed. */
GPB_API const char *gpb_result_metric_name(const gpb_result *r, size_t i);
GPB_API const char *gpb_result_metric_unit(const gpb_result *r, size_t i);
/* Index of the metric called `name`; GPB_ENOTFOUND with the nearest names
   when there is none. */
GPB_API gpb_status gpb_result_metric_find(const gpb_result *r,
                                          const char *name, size_t *index,
                                          gpb_error *err);

/* Mean over paths and its standard error (sample sd / √paths). */
GPB_API gpb_status gpb_result_mean(const gpb_result *r, const char *metric,
                                   double *mean, double *std_error,
                                   gpb_error *err);
/* The p-quantile (0 ≤ p ≤ 1, linear interpolation between order
   statistics, as gsl_stats_quantile_from_sorted_data). Thread-safe. */
GPB_API gpb_status gpb_result_quantile(const gpb_result *r,
                                       const char *metric, double p,
                                       double *out, gpb_error *err);
/* Fraction of paths whose metric is ≤ x. */
GPB_API gpb_status gpb_result_prob_at_most(const gpb_result *r,
                                           const char *metric, double x,
                                           double *out, gpb_error *err);
/* The per-path values of a metric, in path order (borrowed; n = paths). */
GPB_API gpb_status gpb_result_samples(const gpb_result *r,
                                      const char *metric,
                                      const double **values, gpb_error *err);

/* Probability that closing cash has gone below zero in some month ≤ month
   (0-based). Months past the horizon give the value at the horizon. */
GPB_API double gpb_result_prob_out_of_cash_by(const gpb_result *r,
                                              int month);

/*
 * The p-quantile of closing cash in `month` (0-based), from the streaming
 * histogram (accurate to one bin, 1/GPB_SIM_FAN_BINS of the range seen).
 */
GPB_API gpb_status gpb_result_fan(const gpb_result *r, int month, double p,
                                  double *out, gpb_error *err);

/*
 * The amount to raise at month 0 so that closing cash stays ≥ 0 through the
 * whole horizon with probability `confidence`: the confidence-quantile of
 * the deepest deficit max(0, −min cash) (exact, from per-path values).
 */
GPB_API gpb_status gpb_result_raise_needed(const gpb_result *r,
                                           double confidence, double *out,
                                           gpb_error *err);

/*
 * As gpb_result_raise_needed, for cash that must last `months` months
 * (closing cash ≥ 0 in months 0 … months−1): from the histogram of the
 * running minimum of cash, accurate to one bin. months ≥ horizon gives the
 * exact value of gpb_result_raise_needed.
 */
GPB_API gpb_status gpb_result_raise_for_runway(const gpb_result *r,
                                               int months, double confidence,
                                               double *out, gpb_error *err);

/*
 * The exchange rate path `path` was simulated at: units of `cur` per US
 * dollar (1 for USD; NaN for GPB_CURRENCY_NONE or an index out of range).
 * Money metrics and money inputs are in the report currency at these
 * rates; converting a path's amount from currency a to b is
 * amount · per_usd(b) / per_usd(a).
 */
GPB_API double gpb_result_per_usd(const gpb_result *r, gpb_currency cur,
                                  size_t path);

/* Uncertain inputs of the scenario, as sampled (for sensitivity and raw
   export): count, key path (borrowed), and per-path values (borrowed). */
GPB_API size_t gpb_result_input_count(const gpb_result *r);
GPB_API const char *gpb_result_input_path(const gpb_result *r, size_t i);
GPB_API const double *gpb_result_input_samples(const gpb_result *r,
                                               size_t i);

/*
 * Renting versus buying under a scenario's uncertainty. For each path the
 * scenario's inputs are sampled (as gpb_sim_run does, same seeding), and a
 * copy of `base` is overlaid with the sampled values of the scenario's first
 * fleet (card price, premium, overhead, TDP, server power overhead, PUE,
 * idle power, tariff, colocation, maintenance, resale decline, and the lead
 * time plus any export-control delay) and with the rental price per
 * GPU-hour of the first run that uses that fleet (else the first run; else
 * base's). gpb_finance_rent_vs_buy_eval then prices both options. `base`
 * holds what the scenario does not say (GPU count, months, utilisation,
 * discount rate, financing, ...) in the scenario's report currency.
 *
 *   p_buy_cheaper     share of paths where buying has the lower NPV
 *   npv_diff_*        NPV(buy) − NPV(rent): negative favours buying
 *
 * Returns GPB_OK; GPB_EINVAL (NULL argument, no fleet, bad paths);
 * GPB_ENUMERIC when a sampled value makes the comparison undefined (the
 * finance layer's message); GPB_ENOMEM. Single-threaded: each path costs
 * O(months).
 */
typedef struct gpb_sim_rvb_summary {
    size_t paths;
    gpb_currency currency;
    double p_buy_cheaper, p_buy_cheaper_se;
    double rent_npv_mean, buy_npv_mean;
    double npv_diff_mean, npv_diff_se;
    double npv_diff_p5, npv_diff_p50, npv_diff_p95;
} gpb_sim_rvb_summary;

struct gpb_rent_vs_buy;
GPB_API gpb_status gpb_sim_rent_vs_buy(const gpb_scenario *s,
                                       const struct gpb_rent_vs_buy *base,
                                       const gpb_sim_options *opt,
                                       gpb_sim_rvb_summary *out,
                                       gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_SIM_H */
