/*
 * gpubudget/report.h: a simulation's result as JSON or CSV text.
 *
 * The JSON is built with jansson; both writers return new text that the
 * caller frees with gpb_free().
 */
#ifndef GPUBUDGET_REPORT_H
#define GPUBUDGET_REPORT_H

#include <stdint.h>

#include "gpubudget/claims.h"
#include "gpubudget/common.h"
#include "gpubudget/compute.h"
#include "gpubudget/finance.h"
#include "gpubudget/hardware.h"
#include "gpubudget/plan.h"
#include "gpubudget/scenario.h"
#include "gpubudget/sensitivity.h"
#include "gpubudget/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The quantile levels every summary reports. */
#define GPB_REPORT_N_LEVELS 7
GPB_API extern const double gpb_report_levels[GPB_REPORT_N_LEVELS];
/* The confidences at which every summary reports the raise needed
   (gpb_result_raise_needed): 80%, 90% and 95%. */
#define GPB_REPORT_N_RAISE_LEVELS 3
GPB_API extern const double gpb_report_raise_levels[GPB_REPORT_N_RAISE_LEVELS];
/* The levels of the fan of cash by month (gpb_result_fan) every summary
   reports: 5%, 25%, 50%, 75% and 95%. */
#define GPB_REPORT_N_FAN_LEVELS 5
GPB_API extern const double gpb_report_fan_levels[GPB_REPORT_N_FAN_LEVELS];

/*
 * The result as a JSON document (schema in docs/output.md):
 * {"gpubudget": version, "scenario": {...}, "paths": n, "seed": s,
 *  "metrics": {name: {"unit", "mean", "std_error", "p5", "p10", "p25",
 *  "p50", "p75", "p90", "p95"}}, "p_out_of_cash_by_month": [...],
 *  "fan": {"p5": [...], ...}, "raise_needed": {"p80", "p90", "p95"}},
 * and the blocks of gpb_report_json_opt below: it is that function with
 * default options (money in the result's currency; the rank sensitivity
 * computed here, without the swing).
 *
 *   s      the scenario that was run (borrowed)
 *   r      its result (borrowed)
 *   out    receives new NUL-terminated text (free with gpb_free)
 *
 * Returns GPB_OK; GPB_EINVAL for NULL arguments; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_json(const gpb_scenario *s, const gpb_result *r,
                                   char **out, gpb_error *err);

/*
 * The summary as CSV: a header line, then one line per metric with its
 * unit, mean, standard error and the quantiles of gpb_report_levels.
 * Returns new text (free with gpb_free); GPB_EINVAL for NULL arguments;
 * GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_csv(const gpb_result *r, char **out,
                                  gpb_error *err);

/*
 * A row of the summary table that the text report, the HTML page and the
 * workbook show: metric index (of r) and indent.
 */
typedef struct gpb_report_row {
    size_t metric;
    int depth;
} gpb_report_row;

/*
 * The summary's rows, in order: total spend, then every spend category
 * that is not 0 on some path (depth 1; they sum to the total, path by
 * path); total income and every income category that is not 0; the
 * lowest cash; the runway; then each training run's cost, card-months and
 * finish month. Writes at most max rows; returns how many there are.
 */
GPB_API size_t gpb_report_summary_rows(const gpb_result *r,
                                       gpb_report_row *rows, size_t max);

/* ------------------------------------------------------------------------ */
/* Report options, the workbook, the HTML report and the raw samples         */
/* ------------------------------------------------------------------------ */

/*
 * Options shared by every report writer below. Fill with
 * gpb_report_options_default() and change what you need.
 */
typedef struct gpb_report_options {
    /* Currency of the report's money (NONE, the default: the result's).
       Money metrics, the fan, the raise, swings and claims are converted
       at one rate; inputs stay in their own units and currency. */
    gpb_currency currency;
    /* Units of `currency` per unit of the result's currency; 0 (default):
       from the means of the scenario's exchange-rate inputs
       (exchange_rates.CNY_per_USD, .EUR_per_USD; the library defaults
       when absent), rate = mean(per_USD[to]) / mean(per_USD[from]). */
    double rate;
    /* Borrowed, optional: the sensitivity to report (with its swing, the
       tornado charts). NULL: the writer computes the rank statistics
       itself (no swing, no simulation runs), and the report has no
       tornado; when even that fails (too few paths) it has no
       sensitivity and says why. */
    const gpb_sensitivity *sensitivity;
    /* 1: the workbook gets a "samples" sheet with every path's inputs and
       outputs (default 0). */
    int samples;
    /* Confidence of the quantile intervals (default 0.95). */
    double ci_level;
    /* Recorded in the JSON's "convergence" block when the caller ran to a
       target precision (gpb_sim_run_to_precision): the target relative
       standard error of mean total spend (0 = none, the default) and
       whether it was reached. */
    double precision_target;
    int precision_reached;
} gpb_report_options;

/* Fills *opt with the defaults above. */
GPB_API void gpb_report_options_default(gpb_report_options *opt);

/*
 * The one rate a report converts money with: units of `to` per unit of
 * `from`, mean(per_USD[to]) / mean(per_USD[from]), where per_USD[CNY] and
 * per_USD[EUR] are the means of the scenario's inputs
 * exchange_rates.CNY_per_USD and .EUR_per_USD (gpb_units_fx_default() when s is
 * NULL or lacks them) and per_USD[USD] = 1. The mean rate, not the mean of
 * each path's converted amount: a report converts its figures after the
 * simulation, so every figure uses the same rate.
 *
 * Returns GPB_OK (1 when from == to); GPB_EINVAL for NULL rate or a
 * currency outside the enum; GPB_ECURRENCY when one side is NONE and the
 * other is not.
 */
GPB_API gpb_status gpb_report_exchange_rate(const gpb_scenario *s,
                                            gpb_currency from,
                                            gpb_currency to, double *rate,
                                            gpb_error *err);

/*
 * As gpb_report_json, with options, and with the blocks described in
 * docs/output.md: "currency_conversion" (when converted), "convergence",
 * "sensitivity", "inputs", "sources" and "claims", and a "ci" interval per
 * quantile of every metric. Inputs are keyed by key path and carry a
 * "label" (gpb_scenario_input_label) in "inputs" and in each sensitivity
 * entry.
 *
 *   s    the scenario that was run (borrowed; required)
 *   opt  NULL = defaults
 *
 * Returns GPB_OK; GPB_EINVAL for NULL s, r or out, a currency outside the
 * enum, a negative or non-finite rate or ci_level outside (0, 1);
 * GPB_ECURRENCY when no rate to the requested currency is known; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_json_opt(const gpb_scenario *s,
                                       const gpb_result *r,
                                       const gpb_report_options *opt,
                                       char **out, gpb_error *err);

/*
 * As gpb_report_csv, with options: money in opt->currency, and six more
 * columns, the confidence intervals of P5, P50 and P95 at opt->ci_level
 * (p5_ci_lo, p5_ci_hi, p50_ci_lo, p50_ci_hi, p95_ci_lo, p95_ci_hi).
 * s is needed only to convert money at the scenario's mean rate (it may be
 * NULL otherwise). Returns as gpb_report_json_opt.
 */
GPB_API gpb_status gpb_report_csv_opt(const gpb_scenario *s,
                                      const gpb_result *r,
                                      const gpb_report_options *opt,
                                      char **out, gpb_error *err);

/*
 * The month-by-month ledger as CSV, a row a month: "month", then for each
 * category some path books "<key>.mean" and, when the run kept the
 * ledger's quantiles (gpb_sim_options.ledger 2), "<key>.p5", ".p50",
 * ".p95"; money in the report currency. GPB_EINVAL when the run kept no
 * ledger; otherwise as gpb_report_samples_csv.
 */
GPB_API gpb_status gpb_report_ledger_csv(const gpb_scenario *s,
                                         const gpb_result *r,
                                         const gpb_report_options *opt,
                                         char **out, gpb_error *err);

/*
 * Every path's uncertain inputs and metrics as CSV: a header "path", the
 * inputs' key paths, the metric names; then one line per path (0-based).
 * Inputs are in their own units and currency as the scenario writes them
 * (gpb_result_input_samples_own); money metrics in the report currency.
 * Returns new text (gpb_free); statuses as gpb_report_json_opt.
 */
GPB_API gpb_status gpb_report_samples_csv(const gpb_scenario *s,
                                          const gpb_result *r,
                                          const gpb_report_options *opt,
                                          char **out, gpb_error *err);

/*
 * One path replayed alone (gpb_sim_trace) as JSON: "scenario", "path",
 * with `sim` (the run's options, optional) "seed", "paths" and
 * "quasi_random"; "currency", "horizon_months", "out_of_cash_month" (the
 * first month whose closing cash is below zero, or null); "inputs" (the
 * path's sampled inputs, in their own units, keyed by key path);
 * "metrics" (keyed exactly as the columns of gpb_report_samples_csv, money
 * in the report currency: the same values as that path's row); "months",
 * one object per month with "flows" (every category of the registry, by
 * key, ≥ 0, its direction the category's), "spend", "income", "cash" (the
 * closing cash) and "progress" (each training run's share of its compute
 * done, by name). Money is converted as in gpb_report_json_opt.
 * Returns new text (gpb_free); GPB_EINVAL for NULL s, t or out;
 * GPB_ECURRENCY when no rate is known; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_trace_json(const gpb_scenario *s,
                                         const gpb_trace *t,
                                         const gpb_sim_options *sim,
                                         const gpb_report_options *opt,
                                         char **out, gpb_error *err);

/* ---- what if: two plans compared, a scenario swept ---------------------- */

/*
 * Two plans compared on common random numbers (`gpubudget compare`): runs
 * of the same paths and seed, so path i of each draws the same shared
 * events (every process draws from its own stream, keyed by its name).
 * The documents give, for every metric both results have, each plan's
 * mean, P5, P50 and P95 and the difference A − B path by path
 * (gpb_result_paired_diff: mean ± standard error, P5, P50, P95, P(A < B),
 * P(A > B)); the headline P(A spends less) (spend.total), P(A's cash lasts
 * longer) (runway_months; equal runways counted apart); and each plan's
 * P(the cash lasts through month m). When B reports in another currency
 * than A, B's money is first converted into A's path by path, at the
 * path's own exchange rates (gpb_result_paired_diff), so plans in USD and
 * CNY are compared as like amounts. Money is then in opt->currency (none:
 * A's) at opt->rate (or sa's mean exchange rates), as gpb_report_json_opt.
 *   label_a, label_b   names of the plans (NULL: "A" and "B")
 * Returns GPB_OK; GPB_EINVAL for NULL arguments, results of different
 * paths or seeds, or horizons; GPB_ECURRENCY when B's money has no rate
 * into A's currency; GPB_ENOMEM; the xlsx writer
 * also GPB_EIO (written to a temporary file and renamed, as
 * gpb_report_xlsx_write).
 */
typedef struct gpb_compare_in {
    const gpb_scenario *sa, *sb;
    const gpb_result *ra, *rb;
    const char *label_a, *label_b;
} gpb_compare_in;

GPB_API gpb_status gpb_report_compare_json(const gpb_compare_in *in,
                                           const gpb_report_options *opt,
                                           char **out, gpb_error *err);
/* One self-contained page: the headline, the two plans' P(cash lasts),
   the histogram of total spend A − B, and every metric in a table. */
GPB_API gpb_status gpb_report_compare_html(const gpb_compare_in *in,
                                           const gpb_report_options *opt,
                                           char **out, gpb_error *err);
/* Sheets "compare" (every metric) and "cash_lasts" (with a native line
   chart). */
GPB_API gpb_status gpb_report_compare_xlsx_write(
    const gpb_compare_in *in, const gpb_report_options *opt,
    const char *path, gpb_error *err);

/*
 * A sweep (`gpubudget sweep`): points that each change some keys of one
 * scenario (a grid, or a Latin hypercube over ranges), every point run on
 * the same paths and seed (common random numbers), and per point the
 * statistics of chosen metrics. gpb_sweep_row fills the statistics of one
 * point's result: for metric i, row[i·6 + 0..5] = mean, standard error of
 * the mean, P5, P50, P95 (GPB_SWEEP_STATS), in the result's currency, and
 * the value at which the metric is censored (gpb_result_censored_at: the
 * horizon for runway_months, NaN for a metric that is not censored). Where
 * it is censored, a quantile at that value means "at least" and the mean
 * is the restricted mean.
 */
#define GPB_SWEEP_STATS 6
GPB_API gpb_status gpb_sweep_row(const gpb_result *r,
                                 const char *const *metrics, size_t n,
                                 double *row, gpb_error *err);

/*
 * The points of a Latin hypercube (`gpubudget sweep --samples`; McKay,
 * Beckman & Conover, Technometrics 21, 1979): each of n_axes axes cut
 * into n_points equal strata, each stratum used once, the pairing random;
 * a point uniform within its stratum. u[p · n_axes + k] receives point
 * p's position on axis k, in (0, 1): a range LO..HI takes LO + (HI − LO)·u,
 * a list of m values its ⌊u·m⌋-th. The design draws from GSL's MT19937
 * seeded by seed ^ 0x5eed: it is not a path's randomness, and the same
 * seed gives the same points (the command and the Python binding alike).
 * Returns GPB_OK, GPB_EINVAL (u NULL, or no points), GPB_ENOMEM.
 */
GPB_API gpb_status gpb_sweep_latin_hypercube(size_t n_points, size_t n_axes,
                                             uint64_t seed, double *u,
                                             gpb_error *err);

/*
 * The value at position u (in [0, 1), from gpb_sweep_latin_hypercube) of
 * a range axis LO..HI: LO + (HI − LO)·u; for a key that takes whole
 * numbers (gpb_input_domain.whole, e.g. a run's gpus), the ⌊u·m⌋-th of
 * the m whole numbers from ⌈LO⌉ to ⌊HI⌋, so the strata fall on whole
 * numbers as a list's do. NaN when u is outside [0, 1), an end is not
 * finite, or a whole range holds no whole number. The command and the
 * Python binding both map their points through it.
 */
GPB_API double gpb_sweep_range_point(double lo, double hi, int whole,
                                     double u);

/*
 * The value at position u (in [0, 1)) of a range axis "LO..HI" over key
 * of scenario s, as the quantity to set the key to: the ends are read as
 * the key reads them (gpb_scenario_input_read), so that the range is in
 * the key's own unit before gpb_sweep_range_point places the point. A
 * key that takes whole numbers (start_month, a run's gpus) gets whole
 * values of its own unit: "1 year..2 years" over a month key gives
 * 12..24 months, not 8766..17532 hours (13.85 months), and an end the key
 * refuses ("$200/GPU-hour" for a salary) is refused here rather than
 * lost in the point's text ("$200/h").
 *
 * *out keeps the ends' kind and currency when the key reads them as they
 * are ("$20M..$80M" for cash, "12..24" for a month), and is in the key's
 * unit otherwise (a duration for a month key gives a number of months, a
 * rate for a salary an amount per year), so that its text (formatted at
 * 17 digits) reads back as the value. horizon_months, which is no input,
 * is read as the scenario reads it (whole months, from a duration too,
 * inside 1 .. the longest horizon), even when s is NULL. Any other key s
 * has no input for (s NULL, or a key only the point's own overrides add)
 * is a range in the ends' unit, not whole.
 *
 *   s       the scenario (borrowed; may be NULL)
 *   key     a key path as gpb_scenario_input_find takes it
 *   lo, hi  the ends as written (NUL-terminated UTF-8)
 *   out     receives the point
 *
 * Returns GPB_OK; GPB_EINVAL (key, lo, hi or out NULL; u outside [0, 1));
 * gpb_units_parse's statuses for an end it cannot read; GPB_EUNIT for
 * ends of different kinds or currencies; gpb_scenario_input_read's
 * statuses for an end the key refuses (for horizon_months, the loader's:
 * GPB_ESCHEMA, or GPB_ELIMIT above 600 months); GPB_ERANGE for a whole
 * key whose range holds no whole number.
 */
GPB_API gpb_status gpb_sweep_range_value(const gpb_scenario *s,
                                         const char *key, const char *lo,
                                         const char *hi, double u,
                                         gpb_quantity *out, gpb_error *err);

/* A sweep's table, borrowed by the writers below. */
typedef struct gpb_sweep_table {
    const char *scenario_name;
    gpb_currency currency;
    size_t paths;
    uint64_t seed;
    int latin_hypercube;        /* 1: a Latin hypercube, 0: a grid */
    size_t n_keys;
    const char *const *keys;    /* the varied key paths */
    size_t n_points;
    const char *const *values;  /* [point · n_keys + k]: as set */
    const double *numeric;      /* the same as numbers (NaN: not a number);
                                   may be NULL */
    size_t n_metrics;
    const char *const *metrics; /* metric names */
    const char *const *units;   /* their units (may be NULL) */
    const double *rows;         /* [point · n_metrics · GPB_SWEEP_STATS]:
                                   gpb_sweep_row */
    const char *const *errors;  /* [point]: NULL, or why it failed; the
                                   array may be NULL */
} gpb_sweep_table;

/* JSON (keys, metrics, points with their settings and statistics) and
   CSV (one line a point: point, each key's value, metric.stat columns,
   error). Return new text (gpb_free); GPB_EINVAL, GPB_ENOMEM. */
GPB_API gpb_status gpb_report_sweep_json(const gpb_sweep_table *t,
                                         char **out, gpb_error *err);
GPB_API gpb_status gpb_report_sweep_csv(const gpb_sweep_table *t,
                                        char **out, gpb_error *err);
/* A page: for two keys on a grid, a heat map of each metric's P50 (the
   mean of a probability); for one key, each metric's P5/P50/P95 along it
   as a chart; and every point in a table. */
GPB_API gpb_status gpb_report_sweep_html(const gpb_sweep_table *t,
                                         char **out, gpb_error *err);
/* A sheet "sweep" with every point and a native chart of the first
   metric's P50. GPB_EIO as gpb_report_xlsx_write. */
GPB_API gpb_status gpb_report_sweep_xlsx_write(const gpb_sweep_table *t,
                                               const char *path,
                                               gpb_error *err);

/*
 * Writes an xlsx workbook (libxlsxwriter) to `path`: sheets summary,
 * quantiles, fan, p_out_of_cash, sensitivity, claims, inputs, sources,
 * scenario (the YAML that was run, a line per row), charts (native,
 * editable charts: the cash fan, P(out of cash), the histograms of total
 * spend and runway, the tornados) and, with opt->samples, samples.
 * Inputs are named by key path and by label (gpb_scenario_input_label).
 * docs/output.md lists every column. The workbook
 * is written to a temporary file in the same directory and renamed over
 * `path`, so an existing file is replaced whole or not at all.
 *
 * Returns GPB_OK; the statuses of gpb_report_json_opt; GPB_EINVAL for a
 * NULL path; GPB_EIO when the file cannot be created, written or renamed
 * (libxlsxwriter may then also print its own message on stderr).
 */
GPB_API gpb_status gpb_report_xlsx_write(const gpb_scenario *s,
                                         const gpb_result *r,
                                         const gpb_report_options *opt,
                                         const char *path, gpb_error *err);

/*
 * The report as one self-contained HTML page (no network access needed to
 * view it): the summary table, the charts (cash fan with P5–P95 and
 * P25–P75 bands, median, zero line and funding months; histograms of
 * total spend and runway with P5/P50/P95 marked; P(out of cash) by month;
 * tornados), the sensitivity, the inputs with the scenario's sources (or
 * a sentence saying it gives none), the claims, and the scenario that was
 * run (gpb_scenario_text) byte for byte, as a download link that works
 * offline. Inputs are named by their labels (gpb_scenario_input_label)
 * with the key path beside them; text with CJK characters is marked with
 * its language and the fonts fall back to CJK faces. The charts are drawn
 * by Chart.js (Debian's libjs-chart.js, MIT licence), compiled into the
 * library and inlined in the page.
 * Returns new NUL-terminated text (gpb_free); statuses as
 * gpb_report_json_opt.
 */
GPB_API gpb_status gpb_report_html(const gpb_scenario *s, const gpb_result *r,
                                   const gpb_report_options *opt, char **out,
                                   gpb_error *err);

/* ------------------------------------------------------------------------ */
/* The documents of the deterministic commands                               */
/* ------------------------------------------------------------------------ */

/*
 * The JSON documents of `gpubudget gpus`, `estimate` and `plan`, built
 * here so that the command, the Python package and any FFI get the same
 * bytes: each *_json function returns new text (free with gpb_free),
 * indented by 2 with reals to 12 significant digits, without a final
 * newline (the command adds one). docs/output.md lists which function
 * writes which command's document.
 *
 * Errors name the request field at fault in err->path ("gpu",
 * "precision", "days", "mfu", "price", ...): a caller that took the field
 * from an option can name the option.
 */

/*
 * The GPU catalog (hardware.h), one object per card in catalog order:
 * name, aliases, vendor, year, dense_flop_per_s (by precision; null when
 * the card lacks it), mem_bytes, mem_bw_bytes_per_s, tdp_watts, prices in
 * USD and each field's source and date. Unknown numbers are null.
 * Returns GPB_OK; GPB_EINVAL for NULL out; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_gpus_json(char **out, gpb_error *err);

/*
 * What `estimate` is asked: one training run. Fill with
 * gpb_report_estimate_request_default() and set what you have; fields may
 * be added at the end in later versions.
 *
 *   params              parameters (> 0)
 *   active_params       active parameters of a mixture of experts (0 = all)
 *   tokens              training tokens (> 0)
 *   gpu                 catalog name or alias (gpb_hardware_gpu_find;
 *                       borrowed)
 *   gpus                GPUs: a whole number from 1 to 10⁷
 *   precision           "bf16", "fp8", ... (NULL = the card's default)
 *   recompute           1: the plan recomputes activations (a slower
 *                       step, a lower MFU); FLOPs and MFU stay 6·N·D
 *   mfu_frac            a given MFU in (0, ...] (NaN = the throughput
 *                       model's, or the card's default when the model
 *                       cannot lay the run out)
 *   days                a claimed duration in days (NaN = none): the MFU it
 *                       implies is judged; excludes mfu_frac
 *   price_per_gpu_hour  a given rent per GPU-hour (NaN = the catalog's
 *                       pricing rule, in USD)
 *   price_currency      its currency (NONE = USD)
 */
typedef struct gpb_report_estimate_request {
    double params;
    double active_params;
    double tokens;
    const char *gpu;
    double gpus;
    const char *precision;
    int recompute;
    double mfu_frac;
    double days;
    double price_per_gpu_hour;
    gpb_currency price_currency;
} gpb_report_estimate_request;

/* Every number 0 but the optional ones (mfu_frac, days,
   price_per_gpu_hour: NaN, not given), gpu and precision NULL, currency
   USD. Accepts NULL. */
GPB_API void gpb_report_estimate_request_default(
    gpb_report_estimate_request *req);

/* Where an estimate's MFU came from (the document's "mfu_origin"). */
typedef enum gpb_report_mfu_origin {
    GPB_REPORT_MFU_MODEL = 0, /* the throughput model (plan.h) */
    GPB_REPORT_MFU_CARD = 1,  /* the card's catalog default */
    GPB_REPORT_MFU_GIVEN = 2, /* request.mfu_frac */
    GPB_REPORT_MFU_DAYS = 3   /* implied by request.days */
} gpb_report_mfu_origin;

/* "the throughput model", "the card's default", "given", "implied by
   --days" (static; "" for a value outside the enum). */
GPB_API const char *gpb_report_mfu_origin_str(gpb_report_mfu_origin o);

/*
 * Every figure of an estimate, as the document and the command's text
 * both show them (one computation for both). Filled by
 * gpb_report_estimate_compute; pointers are static catalog data.
 *
 *   gpu, precision, peak_flop_per_s   the card, the precision and its
 *                       dense peak (FLOP/s)
 *   precision_given     1 when request.precision named it
 *   flops               6·N·D, N active, recomputing or not
 *   mfu_frac, mfu_origin, mfu_class   the point figures' MFU, its origin
 *                       and its class against published runs, in their
 *                       count (mfu_frac times
 *                       gpb_plan_estimate_count_factor(&estimate))
 *   claimed             1 when request.days was given
 *   implausible         claimed and the implied MFU is beyond published
 *   time                the run at mfu_frac (capped at 1), or the claim's
 *                       own duration when claimed
 *   train_memory_bytes  model states, 16 B/param
 *   min_gpus_for_memory the fewest GPUs that hold them fully sharded
 *   price_per_gpu_hour, currency      the price the costs use
 *   price_given         1 when the request gave it
 *   price_source        "given" or the catalog's source (static)
 *   has_rule, rule      the catalog's pricing rule, when it has one
 *   rent_cost           time.gpu_hours × price
 *   card_time, card_cost the run at the card's catalog default MFU
 *   chinchilla          the set used (GPB_CHINCHILLA_DEFAULT)
 *   chinchilla_params, chinchilla_tokens  its compute-optimal split of
 *                       the model's 6·N·D (recompute adds hardware
 *                       FLOPs, not training compute)
 *   estimate            the plan layer's estimate and interval
 */
typedef struct gpb_report_estimate {
    const gpb_gpu *gpu;
    gpb_precision precision;
    int precision_given;
    double peak_flop_per_s;
    double flops;
    double mfu_frac;
    gpb_report_mfu_origin mfu_origin;
    gpb_mfu_class mfu_class;
    int claimed;
    int implausible;
    gpb_train_time time;
    double train_memory_bytes;
    double min_gpus_for_memory;
    double price_per_gpu_hour;
    gpb_currency currency;
    int price_given;
    const char *price_source;
    int has_rule;
    gpb_rent_rule rule;
    double rent_cost;
    gpb_train_time card_time;
    double card_cost;
    const gpb_chinchilla *chinchilla;
    double chinchilla_params;
    double chinchilla_tokens;
    gpb_plan_estimate estimate;
} gpb_report_estimate;

/*
 * Computes an estimate (compute, hardware and plan layers).
 * Returns GPB_OK; GPB_EINVAL for NULL arguments, missing or invalid
 * fields, or both mfu_frac and days; GPB_ENOTFOUND for an unknown GPU or
 * precision (path "gpu" or "precision") or when no price is given and
 * the catalog has none for the card (path "price"); the statuses of
 * gpb_plan_estimate_compute.
 */
GPB_API gpb_status gpb_report_estimate_compute(
    const gpb_report_estimate_request *req, gpb_report_estimate *out,
    gpb_error *err);

/*
 * The document of `gpubudget estimate --json` (docs/output.md): the
 * inputs, the MFU and its origin and class, "plan" (the throughput
 * model's layout, or why it has none), GPU-hours, card-months, days,
 * memory, the price and "pricing" rule, rent_cost, "costs" (claimed,
 * ideal, realistic, default), "interval" (P5/P50/P95) and "chinchilla".
 * Returns new text (gpb_free); statuses as gpb_report_estimate_compute;
 * GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_estimate_json(
    const gpb_report_estimate_request *req, char **out, gpb_error *err);

/*
 * What `plan` is asked: a layout search (plan.h) plus the run's totals.
 *
 *   spec                the search (gpb_plan_spec_default, then set
 *                       params, gpus, ...); spec.gpu may be NULL when gpu
 *                       names the card
 *   gpu                 catalog name (NULL = spec.gpu; borrowed)
 *   precision           name (NULL = spec.precision)
 *   tokens              the run's tokens (NaN = 20 per active parameter,
 *                       the Chinchilla rule)
 *   mfu_frac            a given MFU that narrows the interval (NaN = none)
 *   price_per_gpu_hour  a given rent (NaN = the catalog's pricing rule)
 *   price_currency      its currency (NONE = USD)
 */
typedef struct gpb_report_plan_request {
    gpb_plan_spec spec;
    const char *gpu;
    const char *precision;
    double tokens;
    double mfu_frac;
    double price_per_gpu_hour;
    gpb_currency price_currency;
} gpb_report_plan_request;

/* spec from gpb_plan_spec_default; tokens, mfu_frac and
   price_per_gpu_hour NaN (not given); gpu and precision NULL, currency
   USD. Accepts NULL. */
GPB_API void gpb_report_plan_request_default(gpb_report_plan_request *req);

/*
 * A plan's figures: the resolved spec (its gpu and precision set), the
 * chosen layout and step, the interval over the run, and the tokens with
 * their origin (static text).
 */
typedef struct gpb_report_plan {
    gpb_plan_spec spec;
    gpb_plan_result result;
    gpb_plan_interval interval;
    double tokens;
    const char *tokens_origin;
    gpb_currency currency;
    const char *price_origin;
} gpb_report_plan;

/*
 * Chooses the layout (gpb_plan_choose) and the interval over the run
 * (gpb_plan_interval_compute). Returns GPB_OK; GPB_EINVAL for NULL
 * arguments; GPB_ENOTFOUND for an unknown GPU or precision (path "gpu"
 * or "precision"); the statuses of gpb_plan_choose (messages name spec
 * fields, "spec.tp") and of gpb_plan_interval_compute (path "interval").
 */
GPB_API gpb_status gpb_report_plan_compute(const gpb_report_plan_request *req,
                                           gpb_report_plan *out,
                                           gpb_error *err);

/*
 * The document of `gpubudget plan --json`: the inputs, "shape", "layout",
 * "memory_per_gpu", the step and its terms, MFU, HFU, tokens per second,
 * the layouts searched, "tokens_origin" and "interval".
 * Returns new text (gpb_free); statuses as gpb_report_plan_compute;
 * GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_plan_json(const gpb_report_plan_request *req,
                                        char **out, gpb_error *err);

/*
 * What `rent-vs-buy` is asked, in one of two forms. Fill with
 * gpb_report_rent_vs_buy_request_default() and set what you have; fields
 * may be added at the end in later versions.
 *
 * Without a scenario (the closed form, finance.h):
 *   gpu        a catalog name or alias (borrowed); its rent, price and TDP
 *              are the defaults
 *   finance    every other input of gpb_rent_vs_buy as finance.h defines
 *              it; gpus and months (both NaN by default) must be set. The
 *              amounts in it (tariff_per_kwh, colo_per_kw_month) are in
 *              US dollars and converted to the report currency; the
 *              fields below that are given replace them. rent_mode,
 *              financing and depreciation_method are used as set.
 *   rent, price, tariff, colo, overhead_per_node, lease_payment,
 *   rent_out_price
 *              amounts as parsed (units.h): NaN value = not given (the
 *              catalog's or the default); a currency of
 *              GPB_CURRENCY_NONE means the report currency. The report
 *              currency is the first of these given with a currency, in
 *              this order, else USD; the others are converted to it at
 *              gpb_units_fx_default().
 *   overhead_frac  NaN: the catalog's server share when the catalog's
 *              price is used, else GPB_FINANCE_OVERHEAD_FRAC_DEFAULT
 *   tdp_watts  NaN: the catalog's
 *   discount_rate_per_year  NaN: finance's default (with a scenario: the
 *              scenario's, else that default). Applies to both forms.
 *
 * With a scenario (the engine: the scenario as written against the same
 * scenario renting every card, on the same paths):
 *   scenario       a loaded scenario (borrowed); the form is chosen by
 *                  this being non-NULL and the fields above are ignored
 *   scenario_name  what the document calls it ("scenario"), borrowed
 *   sim            paths, seed and threads of the runs (sim.h defaults);
 *                  the discount rate, ledger and rent_instead_of_buying
 *                  are set by the report
 */
typedef struct gpb_report_rent_vs_buy_request {
    const char *gpu;
    gpb_rent_vs_buy finance;
    gpb_quantity rent;
    gpb_quantity price;
    gpb_quantity tariff;
    gpb_quantity colo;
    gpb_quantity overhead_per_node;
    gpb_quantity lease_payment;
    gpb_quantity rent_out_price;
    double overhead_frac;
    double tdp_watts;
    double discount_rate_per_year;
    const gpb_scenario *scenario;
    const char *scenario_name;
    gpb_sim_options sim;
} gpb_report_rent_vs_buy_request;

/* finance from gpb_finance_rent_vs_buy_default with gpus and months NaN;
   every amount, overhead_frac, tdp_watts and discount_rate_per_year NaN;
   gpu, scenario and scenario_name NULL; sim from gpb_sim_options_default.
   Accepts NULL. */
GPB_API void gpb_report_rent_vs_buy_request_default(
    gpb_report_rent_vs_buy_request *req);

/*
 * A rent-vs-buy's figures, filled by gpb_report_rent_vs_buy_compute and
 * released by gpb_report_rent_vs_buy_free. scenario_form says which half
 * is filled; the other is zero.
 *
 * Closed form (amounts in currency):
 *   inputs         the resolved gpb_rent_vs_buy (catalog figures and
 *                  defaults filled, amounts converted)
 *   gpu            static catalog entry; rent_source and price_source
 *                  static text ("given", or the catalog's source)
 *   converted, fx  whether any amount was converted, and at which rates
 *   totals, flows  gpb_finance_rent_vs_buy_eval's; flows is owned here
 *   breakeven_util, breakeven_months, breakeven_months_settled
 *                  the break-even utilisation, payback months and months
 *                  if the cards are sold (outcome other than FOUND when
 *                  there is none)
 * Scenario form:
 *   buy, rent      the two runs (new, owned here)
 *   diff           NPV(buy) - NPV(rent) path by path ("npv.cost")
 *   p_buy_cheaper_se  the binomial standard error of diff.p_a_lower
 *   buy_npv_mean, rent_npv_mean  mean NPV of cost of each plan
 *   discount_rate_per_year       the rate both runs used
 *   horizon_months, buy_month_mean, rent_month_mean
 *                  mean cash for compute by month (rent, serving, cards,
 *                  financing, power, hosting, maintenance, less resale and
 *                  letting out), horizon_months values each (owned here)
 *   buy_gpu_hours_mean, rent_gpu_hours_mean
 *                  mean GPU-hours of the training runs and capacity
 *                  workloads under each plan: the work each does. They
 *                  differ when a capacity workload that buys asks for
 *                  more cards than its fleet has (it works on fewer;
 *                  renting, on all it asks for), or when a run on too
 *                  few cards cannot finish within the horizon; a run
 *                  that finishes later on fewer cards does the same
 *                  work, and its NPV comparison stands.
 */
typedef struct gpb_report_rent_vs_buy {
    int scenario_form;
    gpb_currency currency;
    gpb_rent_vs_buy inputs;
    const gpb_gpu *gpu;
    const char *rent_source;
    const char *price_source;
    int converted;
    gpb_fx fx;
    gpb_rent_vs_buy_totals totals;
    gpb_rent_vs_buy_flows flows;
    gpb_breakeven breakeven_util;
    gpb_breakeven breakeven_months;
    gpb_breakeven breakeven_months_settled;
    gpb_result *buy;
    gpb_result *rent;
    gpb_paired_diff diff;
    double p_buy_cheaper_se;
    double buy_npv_mean;
    double rent_npv_mean;
    double discount_rate_per_year;
    int horizon_months;
    double *buy_month_mean;
    double *rent_month_mean;
    double buy_gpu_hours_mean;
    double rent_gpu_hours_mean;
} gpb_report_rent_vs_buy;

/* Scenario form: 1 when both plans do the same work (their mean GPU-hours
   agree within 1%: a run that starts later on its fleet's cards meets
   other failures, so they rarely agree exactly), 0 when buying does less
   or more: its NPV is then not a like-for-like comparison. 1 for the
   closed form. */
GPB_API int gpb_report_rent_vs_buy_same_work(const gpb_report_rent_vs_buy *r);

/*
 * Computes a rent-vs-buy (finance layer, or the engine with a scenario)
 * into *out, which the caller releases with gpb_report_rent_vs_buy_free
 * (also after a failure). Returns GPB_OK; GPB_EINVAL for NULL arguments
 * or a missing gpu (path "gpu"); gpb_finance_rent_vs_buy_check's
 * statuses (GPB_EINVAL, GPB_ERANGE) for the inputs, gpus and months
 * included, which are NaN until set; GPB_ENOTFOUND
 * for an unknown card (path "gpu") or one the catalog has no rent or
 * purchase price for when none is given (path "rent" or "price"); a
 * conversion's status (path "rent", "price", "tariff", "colo",
 * "overhead_per_node", "lease_payment" or "rent_out_price");
 * GPB_ERANGE from gpb_finance_rent_vs_buy_eval; a break-even solver's
 * failure other than "no root" (path "breakeven_util" or
 * "breakeven_months"); GPB_ENOMEM. With a scenario: gpb_sim_run's
 * statuses, and GPB_EINVAL (path "scenario") for a scenario that buys no
 * cards within its horizon.
 */
GPB_API gpb_status gpb_report_rent_vs_buy_compute(
    const gpb_report_rent_vs_buy_request *req, gpb_report_rent_vs_buy *out,
    gpb_error *err);

/* Releases what a gpb_report_rent_vs_buy owns and zeroes it. Accepts NULL
   and a zeroed struct. */
GPB_API void gpb_report_rent_vs_buy_free(gpb_report_rent_vs_buy *r);

/*
 * The document of `gpubudget rent-vs-buy --json`. Closed form: "gpu",
 * "currency", "inputs", the totals, NPVs, "cheaper", the break-evens
 * (null when there is none) with their "_detail" objects, and "by_month".
 * Scenario form: "scenario", "currency", "paths", "seed",
 * "discount_rate_per_year", "uncertain" and "months". Returns new text
 * (gpb_free); statuses as gpb_report_rent_vs_buy_compute; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_rent_vs_buy_json(
    const gpb_report_rent_vs_buy_request *req, char **out, gpb_error *err);

/* Paths `check` simulates each scenario with unless told otherwise. */
#define GPB_REPORT_CHECK_PATHS_DEFAULT 10000

/*
 * One scenario's claims checked against a run of it (claims.h): what
 * `check` reports for each scenario, filled by
 * gpb_report_check_scenario_compute and released by
 * gpb_report_check_scenario_free. The scenario, its result and file are
 * borrowed and must outlive the struct; the arrays are owned.
 *
 *   file       the name the document gives it ("file"), borrowed
 *   scenario, result  borrowed
 *   n_claims   gpb_scenario_claim_count(scenario)
 *   checks     [n_claims] each claim's check (valid where status is OK)
 *   status     [n_claims] GPB_OK, or why the claim could not be checked
 *   errors     [n_claims] the failure's message (where status is not OK)
 */
typedef struct gpb_report_check_scenario {
    const char *file;
    const gpb_scenario *scenario;
    const gpb_result *result;
    size_t n_claims;
    gpb_claim_check *checks;
    gpb_status *status;
    gpb_error *errors;
} gpb_report_check_scenario;

/*
 * Checks every claim of scenario against result (a run of it, from this
 * process or unpacked from another: the checks depend only on the
 * paths), the driver of each by the rank regression of
 * gpb_sensitivity_compute on threads threads (0: one per core; Spearman's
 * rho where it fails). A claim that cannot be checked is recorded in
 * out->status and out->errors, not returned. Returns GPB_OK; GPB_EINVAL
 * for NULL scenario, result or out; GPB_ENOMEM. *out is zeroed first and
 * may be passed to gpb_report_check_scenario_free in any case.
 */
GPB_API gpb_status gpb_report_check_scenario_compute(
    const char *file, const gpb_scenario *scenario, const gpb_result *result,
    int threads, gpb_report_check_scenario *out, gpb_error *err);

/* Releases the arrays of c and zeroes it. Accepts NULL and a zeroed
   struct. */
GPB_API void gpb_report_check_scenario_free(gpb_report_check_scenario *c);

/*
 * The document of `gpubudget check --json` over n checked scenarios, in
 * their order: "scenarios" (each with "file", "name", "paths", "seed",
 * "currency" and "claims": every claim's figures, verdict and driver, or
 * its "error"), "summary" (claims per verdict) and "depend_on_claim" (how
 * many rest on the claim's own figures). Claims that could not be checked
 * count in neither. Returns new text (gpb_free); GPB_EINVAL for NULL out,
 * or NULL scenarios with n > 0; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_check_json(
    const gpb_report_check_scenario *scenarios, size_t n, char **out,
    gpb_error *err);

/*
 * What `check --claim` is asked: a pitch in words. Fill with
 * gpb_report_check_pitch_request_default(); fields may be added at the
 * end in later versions.
 *
 *   pitch      the text (borrowed), e.g. "70B params, 2T tokens, 512
 *              H100, 30 days, $2M" (gpb_claim_pitch_parse)
 *   precision  a precision name replacing the pitch's ("fp8"), or NULL
 *   sim        paths, seed and threads of the run (paths
 *              GPB_REPORT_CHECK_PATHS_DEFAULT by default)
 */
typedef struct gpb_report_check_pitch_request {
    const char *pitch;
    const char *precision;
    gpb_sim_options sim;
} gpb_report_check_pitch_request;

/* pitch and precision NULL; sim from gpb_sim_options_default with
   GPB_REPORT_CHECK_PATHS_DEFAULT paths. Accepts NULL. */
GPB_API void gpb_report_check_pitch_request_default(
    gpb_report_check_pitch_request *req);

/*
 * A pitch checked: how it was read, what it implies, the model's range
 * and each claimed part's verdict. Plain values; pointers are static but
 * text.
 *
 *   text               the request's pitch (borrowed)
 *   pitch, implied     gpb_claim_pitch_parse's and gpb_claim_pitch_
 *                      implied's (the precision override applied)
 *   precision_origin   "named in the pitch", "the card's default" or
 *                      "from --precision"
 *   currency           the run's
 *   fits_in_memory     whether the GPU count holds the training state
 *   days_p5, days_p50, days_p95, cost_p5, cost_p50, cost_p95
 *                      the model's days and cost (NaN when unknown)
 *   has_duration, duration, has_budget, budget
 *                      the checks of the claimed duration and budget
 *   mfu_class_text, stated_mfu_class_text
 *                      implied.mfu_class and stated_mfu_class in words
 *                      ("within published large runs"; "-" when none)
 *   has_rule, rule     the card's pricing rule (hardware.h)
 *   verdict            the worst of the parts (memory, duration, budget)
 */
typedef struct gpb_report_check_pitch {
    const char *text;
    gpb_pitch pitch;
    gpb_pitch_implied implied;
    const char *precision_origin;
    gpb_currency currency;
    int fits_in_memory;
    double days_p5, days_p50, days_p95;
    double cost_p5, cost_p50, cost_p95;
    int has_duration;
    gpb_claim_check duration;
    int has_budget;
    gpb_claim_check budget;
    const char *mfu_class_text;
    const char *stated_mfu_class_text;
    int has_rule;
    gpb_rent_rule rule;
    gpb_verdict verdict;
} gpb_report_check_pitch;

/*
 * Parses the pitch, builds its scenario (gpb_claim_pitch_scenario), runs
 * it and checks its claims. Returns GPB_OK; GPB_EINVAL for NULL
 * arguments; the statuses of gpb_claim_pitch_parse, _implied and
 * _scenario with path "claim"; GPB_ENOTFOUND for an unknown precision
 * (path "precision"); the statuses of loading and running the scenario
 * and of a claim's check (gpb_claim_check_at).
 */
GPB_API gpb_status gpb_report_check_pitch_compute(
    const gpb_report_check_pitch_request *req, gpb_report_check_pitch *out,
    gpb_error *err);

/*
 * The document of `gpubudget check --claim TEXT --json`: "pitch",
 * "readings", "skipped", the figures read ("active_params" null for a
 * dense model), "precision" and its origin, FLOPs, "chinchilla", memory,
 * implied and stated MFU, "pricing", "model" (P5/P50/P95 days and cost),
 * the parts' verdicts and "verdict".
 * Returns new text (gpb_free); statuses as gpb_report_check_pitch_compute;
 * GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_check_pitch_json(
    const gpb_report_check_pitch_request *req, char **out, gpb_error *err);

/* The same document from a pitch already computed (so that a caller that
   prints its figures too runs the model once). Returns new text
   (gpb_free); GPB_EINVAL for NULL r or out; GPB_ENOMEM. */
GPB_API gpb_status gpb_report_check_pitch_result_json(
    const gpb_report_check_pitch *r, char **out, gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_REPORT_H */
