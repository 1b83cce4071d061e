/*
 * gpubudget/sim.h: the Monte Carlo engine and its results.
 *
 * gpb_sim_run() simulates a scenario: every path samples the scenario's
 * uncertain inputs once, then steps month by month through its processes
 * (the GPU price index, each team line, each funding round, each other
 * cost, each training run with its failures and divergence, each capacity
 * workload, the users and their serving cost and revenue, each owned
 * fleet), books each month's cash flows by category and keeps per-path
 * metrics. docs/engine.md describes the design; docs/output.md every
 * metric.
 *
 * Registries. The flow categories and the metrics are the X-macro lists
 * below (name, unit, favourable direction, label): the engine's
 * accumulators are arrays indexed by them, and every output (text, JSON,
 * CSV, HTML, xlsx, the spreadsheet functions, docs/output.md) enumerates
 * them, so a new category is one line here plus the model that books it.
 *
 * Reproducibility. Every draw comes from its own counter-based stream
 * keyed by (seed, path, process, month) (Philox4x32-10, Random123), so:
 * results are bit-identical for a seed on any number of threads and for
 * any split of the paths into ranges (gpb_result_merge), on one machine;
 * adding a process (an input, a cost, a run) changes no other draw; and
 * any path can be replayed alone (gpb_sim_trace) with the same figures as
 * its row of the result. Machines with different vector units may differ
 * in the last bits of exp, log and cos (libmvec's variants).
 *
 * Threads. gpb_sim_run runs its own workers, one per core by default,
 * each pinned to a core, claiming blocks of GPB_SIM_BLOCK_PATHS paths;
 * OpenBLAS is kept to one thread while it runs.
 *
 * Memory. Per path it keeps each metric that varies (and each uncertain
 * input) for the first gpb_result_kept_paths() paths: all of them while
 * they fit in the memory budget (gpb_sim_options.memory_budget_bytes,
 * 384 MiB by default; about 1.5 million paths of a scenario with one
 * training run). Beyond that, quantiles come from mergeable log-bucket
 * sketches with relative error below GPB_SIM_SKETCH_REL_ERROR, and
 * per-path views (samples, sensitivity, claims) use the kept paths: the
 * first GPB_SIM_KEPT_PAST_BUDGET, or as many as the budget holds if
 * fewer. A caller that reads only summaries can keep fewer paths
 * (gpb_sim_run_kept) and still have exact quantiles at the
 * report's levels (gpb_report_levels) and their confidence ranks: the
 * kept paths give intervals around them, every later path is counted
 * against those and the values inside are kept (docs/engine.md, "Exact
 * quantiles past the kept paths").
 * Month-by-month outputs (the fan, P(out of cash) by month) are streamed
 * as integer counts whatever the path count.
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

/* Paths per block: the unit of work of a thread, and of a split. */
#define GPB_SIM_BLOCK_PATHS 512
/* Independent randomisations of the Sobol points of a quasi-random run
   (gpb_sim_options.quasi_random): path i is in replicate i mod 16. */
#define GPB_SIM_QMC_REPLICATES 16
/* Most paths one run may simulate. */
#define GPB_SIM_MAX_PATHS 4000000000ull

/* The largest seed, 2^63 − 1: every output (JSON's integers are signed 64
   bits) writes it exactly. A larger one printed as a negative number that
   the command then refused (a user review). */
#define GPB_SIM_MAX_SEED 9223372036854775807ull
/* Default memory for per-path values: 384 MiB. */
#define GPB_SIM_MEMORY_BUDGET_DEFAULT ((size_t)384 << 20)
/* Paths a run keeps when its paths do not all fit in the memory budget
   (2^20, or fewer when the budget holds fewer): its quantiles then come
   from sketches of every path whatever it keeps, and the per-path views
   (samples, sensitivity, claims, paired differences) have the first
   1,048,576 paths, a standard error of at most 0.0005 on a probability.
   Keeping up to the budget instead cost 0.2 s and 156 MB at 10^7 paths
   of bench-60m (docs/engine.md, Memory). */
#define GPB_SIM_KEPT_PAST_BUDGET ((size_t)1 << 20)
/* Relative error of a quantile taken from a sketch (2^-10: a bucket is
   0.2% wide and its midpoint is within 0.1% of any value in it). */
#define GPB_SIM_SKETCH_REL_ERROR 0.0009765625

/* ------------------------------------------------------------------------ */
/* The registries                                                            */
/* ------------------------------------------------------------------------ */

/* Which way a flow goes. */
typedef enum gpb_flow {
    GPB_FLOW_SPEND = 0, /* money out: a cost */
    GPB_FLOW_INCOME = 1 /* money in */
} gpb_flow;

/*
 * The categories of a month's cash flows, numbered once and never
 * renumbered: X(NAME, number, key, flow, label). GPB_CAT_<NAME> is the
 * enum value; the per-path total of category k is the metric
 * "spend.<key>" (spend) or "income.<key>" (income), in the report
 * currency. A flow is always ≥ 0; its direction is its category's.
 */
#define GPB_CATEGORY_MAP(X)                                                 \
    X(TEAM, 0, "team", GPB_FLOW_SPEND, "team")                              \
    X(COMPUTE_RENT, 1, "compute_rent", GPB_FLOW_SPEND, "compute (rent)")    \
    X(SERVING, 2, "serving", GPB_FLOW_SPEND, "serving")                     \
    X(HARDWARE, 3, "hardware", GPB_FLOW_SPEND, "GPUs bought")               \
    X(FINANCING, 4, "financing", GPB_FLOW_SPEND, "loans and leases")        \
    X(POWER, 5, "power", GPB_FLOW_SPEND, "power")                           \
    X(HOSTING, 6, "hosting", GPB_FLOW_SPEND, "hosting (colocation)")        \
    X(MAINTENANCE, 7, "maintenance", GPB_FLOW_SPEND, "maintenance")         \
    X(OTHER, 8, "other", GPB_FLOW_SPEND, "other costs")                     \
    X(REVENUE, 9, "revenue", GPB_FLOW_INCOME, "revenue")                    \
    X(FUNDING, 10, "funding", GPB_FLOW_INCOME, "funding")                   \
    X(RESALE, 11, "resale", GPB_FLOW_INCOME, "cards sold")                  \
    X(RENT_OUT, 12, "rent_out", GPB_FLOW_INCOME, "cards let out")        \
    X(DATA, 13, "data", GPB_FLOW_SPEND, "data work")

typedef enum gpb_category {
#define GPB__CAT_ENUM(name, num, key, flow, label) GPB_CAT_##name = num,
    GPB_CATEGORY_MAP(GPB__CAT_ENUM)
#undef GPB__CAT_ENUM
    GPB_CAT_COUNT = 14
} gpb_category;

/* GPB_CAT_COUNT, for bindings that cannot read the header (Python). */
GPB_API int gpb_category_count(void);

/* The category's key ("team"), label ("team"), flow, and metric name
   ("spend.team"); static. Unknown values give "unknown" / NULL. */
GPB_API const char *gpb_category_key(gpb_category c);
GPB_API const char *gpb_category_label(gpb_category c);
GPB_API gpb_flow gpb_category_flow(gpb_category c);
GPB_API const char *gpb_category_metric(gpb_category c);

/* What a metric's values measure. */
typedef enum gpb_unit {
    GPB_UNIT_MONEY = 0,       /* the report currency */
    GPB_UNIT_MONTHS = 1,
    GPB_UNIT_PROBABILITY = 2, /* 0 or 1 per path; a share of paths */
    GPB_UNIT_GPU_HOURS = 3,
    GPB_UNIT_CARD_MONTHS = 4,
    GPB_UNIT_COUNT = 5,
    GPB_UNIT_FLOPS = 6,
    GPB_UNIT_FLOP_PER_S = 7,
    GPB_UNIT_GPUS = 8,
    GPB_UNIT_USERS = 9
} gpb_unit;

/* Static name of a unit: "money" (use the currency code instead),
   "months", "probability", "GPU-hours", "card-months", "count", "FLOPs",
   "FLOP/s", "GPUs", "users"; "unknown" otherwise. */
GPB_API const char *gpb_unit_name(gpb_unit u);

/*
 * Metrics of a whole path: X(NAME, key, unit, direction, label), direction
 * +1 when higher is favourable, −1 when lower is. Besides these, every
 * category has its metric (above), every training run the metrics of
 * GPB_RUN_METRIC_MAP as "training.<run>.<key>", every capacity workload
 * those of GPB_CAP_METRIC_MAP as "capacity.<name>.<key>", and every
 * funding round those of GPB_ROUND_METRIC_MAP as "funding.<round>.<key>".
 *
 *   spend.total          Σ of the spend categories (exactly, per path)
 *   income.total         Σ of the income categories
 *   spend.monthly_mean   spend.total / horizon
 *   cash.end, cash.min   closing cash in the last month; the lowest
 *                        closing cash of any month
 *   deficit.max          max(0, −cash.min): what a path must raise
 *   runway_months        the first month whose closing cash is below 0;
 *                        CENSORED at the horizon for a path that never
 *                        runs out (gpb_result_censored_at): its
 *                        quantiles read "≥ horizon" there, and its mean
 *                        is the restricted mean (runway capped at the
 *                        horizon), never a plain mean
 *   out_of_cash          1 when closing cash went below 0 in some month
 *   gpu_hours            GPU-hours of all training runs
 *   card_months          gpu_hours / 730.5
 *   serving.cost_per_day_last  serving cost per day in the last month
 *   serving.gpus_last    GPUs serving in the last month
 *   serving.users_last   users in the last month
 *   accounting.depreciation    depreciation charged over the horizon
 *   npv.cost             net present value of the costs less the income
 *                        other than funding, at the scenario's
 *                        company.discount_rate_per_year (purchases
 *                        discounted from the start of their month, other
 *                        flows from its end); 0 when no rate is given
 */
#define GPB_METRIC_MAP(X)                                                   \
    X(SPEND_TOTAL, "spend.total", GPB_UNIT_MONEY, -1, "spend, total")       \
    X(INCOME_TOTAL, "income.total", GPB_UNIT_MONEY, 1, "income, total")     \
    X(SPEND_MONTHLY, "spend.monthly_mean", GPB_UNIT_MONEY, -1,              \
      "spend per month")                                                    \
    X(CASH_END, "cash.end", GPB_UNIT_MONEY, 1, "cash at the horizon")       \
    X(CASH_MIN, "cash.min", GPB_UNIT_MONEY, 1, "lowest cash")               \
    X(DEFICIT, "deficit.max", GPB_UNIT_MONEY, -1, "deepest deficit")        \
    X(RUNWAY, "runway_months", GPB_UNIT_MONTHS, 1, "runway, months")        \
    X(OUT, "out_of_cash", GPB_UNIT_PROBABILITY, -1, "out of cash")          \
    X(GPU_HOURS, "gpu_hours", GPB_UNIT_GPU_HOURS, -1, "GPU-hours")          \
    X(CARD_MONTHS, "card_months", GPB_UNIT_CARD_MONTHS, -1, "card-months")  \
    X(SERVING_DAY, "serving.cost_per_day_last", GPB_UNIT_MONEY, -1,         \
      "serving per day, last month")                                        \
    X(SERVING_GPUS, "serving.gpus_last", GPB_UNIT_GPUS, -1,                 \
      "serving GPUs, last month")                                           \
    X(USERS, "serving.users_last", GPB_UNIT_USERS, 1, "users, last month")  \
    X(DEPRECIATION, "accounting.depreciation", GPB_UNIT_MONEY, -1,          \
      "depreciation")                                                       \
    X(NPV_COST, "npv.cost", GPB_UNIT_MONEY, -1, "NPV of costs")

typedef enum gpb_metric_id {
#define GPB__METRIC_ENUM(name, key, unit, dir, label) GPB_METRIC_##name,
    GPB_METRIC_MAP(GPB__METRIC_ENUM)
#undef GPB__METRIC_ENUM
    GPB_METRIC_COUNT
} gpb_metric_id;

/*
 * Metrics of each training run, "training.<run>.<key>":
 *   cost          what the run cost: its rent, plus its share of the
 *                 owned cards' cost of ownership by card-hours (see
 *                 docs/engine.md)
 *   gpu_hours, card_months   GPU time it used
 *   finish_month  the month it finished, or the horizon when it did not
 *   finished      1 when it finished within the horizon
 *   months        months it ran (the finishing month pro rata)
 *   failures, divergences    counts over the run (the finishing month's
 *                 failures those before it ended: docs/model.md)
 *   flops         the compute it needs, exploration included
 *   peak_flop_per_s          one GPU's dense peak
 *   start_month   the month it started: its start_month, or later when it
 *                 waits for data work (the scenario's data:) or, with
 *                 acquire: buy, for its fleet's cards; the horizon when it
 *                 never started
 */
#define GPB_RUN_METRIC_MAP(X)                                               \
    X(COST, "cost", GPB_UNIT_MONEY, -1, "cost")                             \
    X(GPU_HOURS, "gpu_hours", GPB_UNIT_GPU_HOURS, -1, "GPU-hours")          \
    X(CARD_MONTHS, "card_months", GPB_UNIT_CARD_MONTHS, -1, "card-months")  \
    X(FINISH, "finish_month", GPB_UNIT_MONTHS, -1, "finish month")          \
    X(FINISHED, "finished", GPB_UNIT_PROBABILITY, 1, "finished")            \
    X(MONTHS, "months", GPB_UNIT_MONTHS, -1, "months running")              \
    X(FAILURES, "failures", GPB_UNIT_COUNT, -1, "failures")                 \
    X(DIVERGENCES, "divergences", GPB_UNIT_COUNT, -1, "divergences")        \
    X(FLOPS, "flops", GPB_UNIT_FLOPS, -1, "FLOPs")                          \
    X(PEAK, "peak_flop_per_s", GPB_UNIT_FLOP_PER_S, 1, "peak FLOP/s")    \
    X(START, "start_month", GPB_UNIT_MONTHS, -1, "start month")

typedef enum gpb_run_metric_id {
#define GPB__RUN_ENUM(name, key, unit, dir, label) GPB_RUN_##name,
    GPB_RUN_METRIC_MAP(GPB__RUN_ENUM)
#undef GPB__RUN_ENUM
    GPB_RUN_METRIC_COUNT
} gpb_run_metric_id;

/*
 * A run "finishes on most paths" when the mean of its `finished` metric
 * (the share of paths on which it finished within the horizon) is at
 * least this. The reports mark a run that does not: on most paths the
 * horizon cut it off, so its cost, GPU time and months are lower bounds
 * and its finish month is "at least the horizon" (docs/output.md).
 */
#define GPB_RUN_MOST_PATHS_FRAC 0.5

/* Metrics of each capacity workload, "capacity.<name>.<key>": what it
   cost (its rent, reservations paid to the end of their commitment, and
   its share of owned cards' cost of ownership) and the GPU-hours it used
   in its active months (a reservation's hours paid after the workload
   ends are in the cost, not here). */
#define GPB_CAP_METRIC_MAP(X)                                               \
    X(COST, "cost", GPB_UNIT_MONEY, -1, "cost")                             \
    X(GPU_HOURS, "gpu_hours", GPB_UNIT_GPU_HOURS, -1, "GPU-hours")

typedef enum gpb_cap_metric_id {
#define GPB__CAP_ENUM(name, key, unit, dir, label) GPB_CAP_##name,
    GPB_CAP_METRIC_MAP(GPB__CAP_ENUM)
#undef GPB__CAP_ENUM
    GPB_CAP_METRIC_COUNT
} gpb_cap_metric_id;

/* Metrics of each funding round, "funding.<round>.<key>": closed is 1
   when the round closed on the path. */
#define GPB_ROUND_METRIC_MAP(X)                                             \
    X(CLOSED, "closed", GPB_UNIT_PROBABILITY, 1, "closed")

typedef enum gpb_round_metric_id {
#define GPB__ROUND_ENUM(name, key, unit, dir, label) GPB_ROUND_##name,
    GPB_ROUND_METRIC_MAP(GPB__ROUND_ENUM)
#undef GPB__ROUND_ENUM
    GPB_ROUND_METRIC_COUNT
} gpb_round_metric_id;

/* ------------------------------------------------------------------------ */
/* Running                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * Progress callback: called from the thread that called gpb_sim_run (which
 * then only watches: the workers, even a single one, run on threads of
 * their own), about every 50 ms and once at the end, with the number of
 * paths done and the total. Return non-zero to cancel the run (gpb_sim_run
 * then returns GPB_ECANCELLED once the blocks under way finish).
 */
typedef int (*gpb_sim_progress_fn)(void *ctx, size_t done, size_t total);

/*
 * Options of a run. Fill with gpb_sim_options_default(), which sets
 * struct_size, then change what you need; a caller compiled against an
 * older, shorter struct keeps the defaults of the fields it lacks.
 */
typedef struct gpb_sim_options {
    size_t struct_size; /* sizeof(gpb_sim_options), set by _default */
    size_t paths;       /* paths to simulate (default 10,000) */
    uint64_t seed;      /* the streams' key (default 20230225), from 0 to
                           GPB_SIM_MAX_SEED */
    int threads;        /* worker threads; 0 = one per core (default 0) */
    int quasi_random;   /* 1: per-path inputs from a Sobol sequence (GSL)
                           in GPB_SIM_QMC_REPLICATES randomly shifted
                           replicates (gpb_result_quasi_random), monthly
                           events pseudo-random */
    gpb_sim_progress_fn progress; /* optional */
    void *progress_ctx;
    /* Optional, borrowed: one value per scenario input
       (gpb_scenario_input_count), in the input's own units and currency;
       NaN leaves an input to be sampled, a number fixes it on every path.
       For one-at-a-time sensitivity ("swing") and what-if runs. */
    const double *input_values;
    /* The index of the first path (default 0), a multiple of
       GPB_SIM_BLOCK_PATHS: paths path_offset .. path_offset + paths − 1
       of the run keyed by `seed`. Runs of adjacent ranges merge
       (gpb_result_merge) into exactly the run of their union. */
    uint64_t path_offset;
    /* Bytes for per-path values (0 = GPB_SIM_MEMORY_BUDGET_DEFAULT). */
    size_t memory_budget_bytes;
    /* 1: the plan to compare with buying: every run (and serving) rents
       the cards it would have taken from a fleet, at its own rental
       price, and no fleet is bought. Draws are shared with the plan as
       written (common random numbers). Default 0. */
    int rent_instead_of_buying;
    /* Keep each path's sampled inputs (gpb_result_input_samples) for the
       first inputs_kept kept paths only; 0, the default, keeps them for
       every kept path. A caller that reads the inputs only through the
       sensitivity, which ranks the first max_paths paths
       (GPB_SENS_DEFAULT_MAX_PATHS), saves 8 bytes an input a path:
       `gpubudget run` keeps 100,000 when it writes no per-path rows, has
       no --given and the scenario has no claims (48 MB at 10^6 paths of
       bench-60m). What needs every kept path's inputs
       (gpb_result_input_samples_own, a condition, a claim on an input)
       refuses a result that kept fewer. It fills what was padding after
       rent_instead_of_buying, so the struct (embedded by value in
       gpb_report_rent_vs_buy_request and gpb_report_check_pitch_request)
       keeps its size and layout, and a caller built before it, whose
       gpb_sim_options_default zeroed those bytes, keeps every input. */
    uint32_t inputs_kept;
    /* The annual rate of npv.cost (> −1); NaN (the default) takes the
       scenario's company.discount_rate_per_year, or computes no NPV when
       it has none. */
    double discount_rate_per_year;
    /* A runway target in months, 1 .. horizon − 1 (0, the default: none):
       the lowest cash through that month is kept per path, so that
       gpb_result_raise_for_runway(r, raise_months, ...) is exact. */
    int raise_months;
    /* 1: keep the month-by-month ledger (gpb_result_ledger_mean): the
       mean of each category's flow in each month. 2: its quantiles as
       well (gpb_result_ledger_quantile: a sketch per category and month,
       which costs about as much again as the month fan). Default 0 (it
       costs a sum per category and month over every path). */
    int ledger;
} gpb_sim_options;

/* Fills *opt with the defaults above. Accepts NULL. */
GPB_API void gpb_sim_options_default(gpb_sim_options *opt);

typedef struct gpb_result gpb_result;

/*
 * Runs the simulation.
 *
 *   s     a loaded scenario (borrowed; must outlive the call only)
 *   opt   options (NULL = defaults)
 *   out   receives a new result (free with gpb_result_free)
 *
 * Returns GPB_OK; GPB_EINVAL for bad options (struct_size 0, paths 0 or
 * above GPB_SIM_MAX_PATHS, path_offset not a multiple of the block,
 * negative threads, quasi-random with more than 40 uncertain inputs);
 * GPB_ENOMEM; GPB_ECANCELLED when the progress callback asked to stop;
 * GPB_ENUMERIC when a path's arithmetic overflows or turns NaN: the run
 * stops and err names the path, the month, the process and the input
 * whose value caused it (err->path is that input's key path, with its
 * line and column).
 */
GPB_API gpb_status gpb_sim_run(const gpb_scenario *s,
                               const gpb_sim_options *opt, gpb_result **out,
                               gpb_error *err);

/*
 * As gpb_sim_run, keeping the values of only the first kept_paths_max
 * paths (in whole blocks of GPB_SIM_BLOCK_PATHS, at least one, at most
 * GPB_SIM_KEPT_PAST_BUDGET), for a caller that reads summaries; 0, or a
 * run of no more paths, or one whose bands (below) would not fit in
 * opt->memory_budget_bytes (past about 5·10^7 paths of a scenario with one
 * training run), is gpb_sim_run exactly. Otherwise what the JSON summary
 * reads stays exact, the same bits as gpb_sim_run's when it keeps every
 * path: each metric's quantiles at gpb_report_levels with their confidence
 * intervals up to the 99.9% level, the raise at gpb_report_raise_levels
 * (gpb_result_raise_needed, gpb_result_raise_ci over the horizon), means,
 * standard errors, P(out of cash) by month, the fan of cash
 * (gpb_result_fan) at gpb_report_fan_levels, and every quantile and
 * gpb_result_prob_at_most of a narrow metric (runway, a run's start and
 * finish month and divergences, its months when billed whole, whether a
 * round closed: counted value by value). The kept paths give, for each
 * metric kept as doubles, a few intervals of values (bands) that hold
 * those order statistics but with a chance of about 3·10^-7 an end;
 * every later path is counted against them and the values inside are
 * kept. Where a band missed, the run is made again from four times the
 * first paths, and so on until that is every path or the bands no longer
 * fit, when it is gpb_sim_run's (past the budget: sketches). Refused
 * (GPB_EINVAL, naming this function): another quantile level, or
 * gpb_result_prob_at_most, of a metric kept as doubles (so the HTML and
 * workbook reports' histograms, which read other levels), another level
 * of the fan where its bands (ranges of the sketch's buckets around the
 * fan's levels, from one thread's first paths) do not hold it,
 * gpb_result_merge and gpb_result_pack; gpb_result_given, as for any run that did not keep
 * every path. gpb_result_extreme_paths is over every path for a metric
 * the run stores (the 16 most extreme each way, tracked as the blocks are
 * stored: k > 16 is refused), refused for a derived one. What reads rows (samples, the sensitivity) reads the kept paths,
 * and gpb_result_raise_for_runway below the horizon its sketch.
 * `gpubudget run` keeps 131,072 paths this way when it writes nothing per
 * path (docs/engine.md, Memory).
 */
GPB_API gpb_status gpb_sim_run_kept(const gpb_scenario *s,
                                    const gpb_sim_options *opt,
                                    size_t kept_paths_max, gpb_result **out,
                                    gpb_error *err);

/*
 * Merges two results of the same scenario and seed simulated over
 * adjacent path ranges (a's ending where b's begins) into a new result
 * identical to one run over both ranges. Returns GPB_OK; GPB_EINVAL when
 * they are not of one run or not adjacent; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_result_merge(const gpb_result *a, const gpb_result *b,
                                    gpb_result **out, gpb_error *err);

/* Frees a result. Accepts NULL. */
GPB_API void gpb_result_free(gpb_result *r);

GPB_API size_t gpb_result_paths(const gpb_result *r);
/* Index of the result's first path (its options' path_offset). */
GPB_API uint64_t gpb_result_path_offset(const gpb_result *r);
/* The number of kept path i, as the run counted it and gpb_sim_trace
   replays it: path_offset + i, or for a conditional result
   (gpb_result_given) the number its path had in the run it came from.
   UINT64_MAX when i is not a kept path. */
GPB_API uint64_t gpb_result_path_number(const gpb_result *r, size_t i);
/* Paths whose per-path values are kept (≤ paths; see Memory above). */
GPB_API size_t gpb_result_kept_paths(const gpb_result *r);
/* The first kept paths whose sampled inputs are kept: the kept paths, or
   fewer when gpb_sim_options.inputs_kept asked for fewer. */
GPB_API size_t gpb_result_input_kept_paths(const gpb_result *r);
GPB_API int gpb_result_horizon_months(const gpb_result *r);
GPB_API gpb_currency gpb_result_currency(const gpb_result *r);
GPB_API uint64_t gpb_result_seed(const gpb_result *r);
/* 1 when the per-path inputs came from the Sobol sequence
   (options.quasi_random), 0 otherwise. Path i takes Sobol point
   ⌊i / R⌋ + 1 with the random digital shift of its replicate i mod R (R =
   GPB_SIM_QMC_REPLICATES, shifts from the seed): R independent
   randomised quasi-Monte Carlo estimates, so a mean's standard error
   (gpb_result_mean) is the spread of the replicates' means over √R
   (L'Ecuyer & Lemieux, "Recent advances in randomized quasi-Monte Carlo
   methods", 2002), over the kept paths and scaled by √(kept / paths)
   when not every path was kept (an upper estimate); NaN when a replicate has no path (fewer
   than R paths). Quantile intervals and a claim's p_std_error stay the
   i.i.d. formulas, which do not measure a quasi-random estimate's error
   (docs/engine.md). */
GPB_API int gpb_result_quasi_random(const gpb_result *r);
/* The worker threads the run used: options.threads, or (0) one per CPU
   the process may run on, at most one per block of paths (the larger of
   two merged results'). */
GPB_API int gpb_result_threads(const gpb_result *r);

/*
 * Metrics, in this order: the categories (registry order), the metrics of
 * GPB_METRIC_MAP, then each training run's, each capacity workload's and
 * each funding round's.
 * Names, units, labels and directions are static or borrowed from r.
 * Units are gpb_unit_name()s, or the currency code for money.
 */
GPB_API size_t gpb_result_metric_count(const gpb_result *r);
GPB_API const char *gpb_result_metric_name(const gpb_result *r, size_t i);
GPB_API const char *gpb_result_metric_unit(const gpb_result *r, size_t i);
/* A label for people, with the names the scenario gave ("pretrain:
   cost", "team"). */
GPB_API const char *gpb_result_metric_label(const gpb_result *r, size_t i);
/* +1 when higher is favourable, −1 when lower is; 0 out of range. */
GPB_API int gpb_result_metric_direction(const gpb_result *r, size_t i);
/* The metric's gpb_unit (GPB_UNIT_COUNT out of range). */
GPB_API gpb_unit gpb_result_metric_unit_kind(const gpb_result *r, size_t i);
/* 1 when the metric is the same on every path by construction (a
   category nothing in the scenario books, a run's FLOPs when its size is
   fixed): no per-path values are stored until gpb_result_samples asks. */
GPB_API int gpb_result_metric_is_constant(const gpb_result *r, size_t i);
/* The category of a category metric, else -1. */
GPB_API int gpb_result_metric_category(const gpb_result *r, size_t i);
/* 1 when the metric is not 0 on some path. */
GPB_API int gpb_result_metric_nonzero(const gpb_result *r, size_t i);
/* Index of the metric called `name`; GPB_ENOTFOUND with the nearest names
   when there is none. */
GPB_API gpb_status gpb_result_metric_find(const gpb_result *r,
                                          const char *name, size_t *index,
                                          gpb_error *err);

/*
 * The value at which a metric is censored, NaN for metrics that are not:
 * runway_months is censored at the horizon (a path that never runs out of
 * cash has runway "≥ horizon"). A quantile equal to it means "at least".
 */
GPB_API double gpb_result_censored_at(const gpb_result *r,
                                      const char *metric);

/*
 * Mean over paths and its standard error (sample sd / √paths), in path
 * order. For runway_months this is the restricted mean (each path's
 * runway capped at the horizon). For a quasi-random run the standard
 * error is the replicates' (gpb_result_quasi_random).
 */
/* The standard deviation of a metric over every path (n − 1 in the
   denominator), from the blocks' moments; 0 for a constant metric.
   GPB_EINVAL for a NULL sd; GPB_ENOTFOUND for an unknown metric. */
GPB_API gpb_status gpb_result_sd(const gpb_result *r, const char *metric,
                                 double *sd, gpb_error *err);
GPB_API gpb_status gpb_result_mean(const gpb_result *r, const char *metric,
                                   double *mean, double *std_error,
                                   gpb_error *err);
/*
 * The p-quantile (0 ≤ p ≤ 1; linear interpolation between order
 * statistics, as gsl_stats_quantile_from_sorted_data), exact when every
 * path is kept, else from the sketch. Thread-safe; the order statistics
 * are found by selection and cached.
 */
GPB_API gpb_status gpb_result_quantile(const gpb_result *r,
                                       const char *metric, double p,
                                       double *out, gpb_error *err);
/* n quantiles at once (one pass of selection); out[i] for p[i]. */
GPB_API gpb_status gpb_result_quantiles(const gpb_result *r,
                                        const char *metric, size_t n,
                                        const double *p, double *out,
                                        gpb_error *err);
/*
 * A distribution-free confidence interval for the p-quantile of a metric,
 * from order statistics. The number of paths below the true quantile is
 * Binomial(n, p); by its normal approximation the interval
 * [x_(l), x_(u)] with l = ⌊n·p − z·√(n·p·(1−p))⌋ and
 * u = ⌈n·p + z·√(n·p·(1−p))⌉ (1-based ranks clamped to 1 … n, z the
 * standard normal (1+level)/2-quantile) covers it with probability about
 * `level` (Conover, "Practical Nonparametric Statistics", 3rd ed., 1999,
 * §3.2). From the sketch when not every path is kept.
 *
 * Returns GPB_OK; GPB_EINVAL for NULL pointers, p or level out of range;
 * GPB_ENOTFOUND for an unknown metric; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_result_quantile_ci(const gpb_result *r,
                                          const char *metric, double p,
                                          double level, double *lo,
                                          double *hi, gpb_error *err);
/*
 * n quantiles and their confidence intervals (as gpb_result_quantile_ci at
 * `level`) in one pass of selection: q[i], ci_lo[i], ci_hi[i] for p[i].
 * ci_lo and ci_hi may be NULL together. What a report asks of a metric.
 */
GPB_API gpb_status gpb_result_summary(const gpb_result *r,
                                      const char *metric, size_t n,
                                      const double *p, double level,
                                      double *q, double *ci_lo,
                                      double *ci_hi, gpb_error *err);
/* Fraction of paths whose metric is ≤ x: exact over every path while all
   are kept; otherwise from the metric's sketch over every path (x's whole
   bucket counts, gpb__sketch_count_le: within GPB_SIM_SKETCH_REL_ERROR of
   x). */
GPB_API gpb_status gpb_result_prob_at_most(const gpb_result *r,
                                           const char *metric, double x,
                                           double *out, gpb_error *err);
/*
 * The per-path values of a metric for the kept paths, in path order
 * (borrowed; n = gpb_result_kept_paths). A metric that is the same on
 * every path (a category nothing books, a run's FLOPs when fixed), or
 * that is a function of another metric on every path (spend.monthly_mean,
 * deficit.max, out_of_cash, card_months; docs/engine.md), is materialised
 * on first request.
 */
GPB_API gpb_status gpb_result_samples(const gpb_result *r,
                                      const char *metric,
                                      const double **values, gpb_error *err);

/*
 * A result as bytes, and back: how a part of a run (paths path_offset ..
 * path_offset + paths − 1) travels between processes, such as the ranks
 * of an MPI run, to be merged with gpb_result_merge as if it had been
 * computed in place (the merge is then bit for bit the one-process run).
 * Everything a merge or a report reads is kept: per-path values of the
 * kept paths, block moments, sketches, the month fan, runway counts and
 * the ledger. The bytes are for the same build on the same architecture
 * (a guard checks the sizes of double, size_t and int), not an archive.
 *
 * gpb_result_pack: *buf receives new memory (gpb_free), *len its size.
 * gpb_result_unpack: s is the scenario both ends loaded (results merge
 * only when they come from one scenario object). Returns GPB_OK; GPB_EINVAL
 * for NULL arguments or bytes that are not a packed result of this build
 * (damaged, truncated, from another version or platform: every count is
 * checked against the bytes); GPB_ENOMEM.
 */
GPB_API gpb_status gpb_result_pack(const gpb_result *r, void **buf,
                                   size_t *len, gpb_error *err);
GPB_API gpb_status gpb_result_unpack(const gpb_scenario *s, const void *buf,
                                     size_t len, gpb_result **out,
                                     gpb_error *err);

/*
 * gpb_result_pack for a part that will be merged after paths_before other
 * paths (the ranks after the first of an MPI run): the per-path values the
 * merge would drop are left out. Once the parts before it hold the memory
 * budget's worth of paths, a part that summarises with sketches sends its
 * sketches, block moments and counts only: a few hundred kilobytes
 * instead of up to the memory budget. Merging the unpacked part after a
 * result of paths_before paths gives the same run, bit for bit, as
 * merging r. Same returns as gpb_result_pack.
 */
GPB_API gpb_status gpb_result_pack_after(const gpb_result *r,
                                         size_t paths_before, void **buf,
                                         size_t *len, gpb_error *err);

/*
 * A conditional result: the kept paths of r on which `cond` holds, as a
 * result of their own (every per-path figure, quantiles, means, P(out of
 * cash) by month from their runways, the raise), for "and if the round
 * fails?". cond is KEY OP VALUE with OP one of = != < <= > >= and VALUE a
 * number, a quantity (money in the result's currency) or true/false; KEY
 * a metric name ("spend.total>$100M", "funding.A.closed=0"), or
 * "company.funding[I].closed" (the round's funding.<name>.closed) or
 * "training[I].diverged" (true: at least one divergence). The month fan
 * and the ledger are streamed over every path and cannot be conditioned:
 * the conditional result has none (their quantiles are NaN). Its kept
 * paths are numbered 0 … n − 1 in its arrays, and keep their numbers in
 * the run (gpb_result_path_number); it does not merge or pack, and pairs
 * (gpb_result_paired_diff) only with a result of the same paths.
 *
 * Returns GPB_OK; GPB_EINVAL for NULL arguments or a result that did not
 * keep every path (the memory budget); GPB_ESYNTAX for a condition that
 * does not parse; GPB_ENOTFOUND for an unknown metric or item, or a
 * condition no path meets (the message says so); GPB_ENOMEM.
 */
GPB_API gpb_status gpb_result_given(const gpb_scenario *s,
                                    const gpb_result *r, const char *cond,
                                    gpb_result **out, gpb_error *err);
/* The condition of a conditional result ("company.funding[0].closed =
   false", borrowed) or NULL; and the paths of the run it came from. */
GPB_API const char *gpb_result_given_condition(const gpb_result *r);
GPB_API size_t gpb_result_given_of(const gpb_result *r);

/*
 * The k kept paths with the lowest (lowest = 1) or highest values of a
 * metric, most extreme first, ties to the lower path; their path numbers
 * (counting path_offset) go to paths[0..k−1], as gpb_sim_trace takes
 * them. k ≤ 100 and ≤ the kept paths. Finds what to replay: the paths
 * where cash.min is lowest are the ones that ran out soonest and deepest.
 */
#define GPB_RESULT_EXTREME_PATHS_MAX 100
GPB_API gpb_status gpb_result_extreme_paths(const gpb_result *r,
                                            const char *metric, int lowest,
                                            size_t k, uint64_t *paths,
                                            gpb_error *err);

/*
 * The mean of category c's flow in month m over all paths (exact sums of
 * fixed-point block totals, so the same for any split), in the report
 * currency; NaN out of range or when the run kept no ledger (options'
 * ledger 0). The month-by-month ledger of the plan.
 */
GPB_API double gpb_result_ledger_mean(const gpb_result *r, int month,
                                      gpb_category c);
/* 1 when the run kept a ledger and some path books category c in some
   month (its month sums are not all 0): the categories the ledger's
   outputs list (docs/output.md); else 0. */
GPB_API int gpb_result_ledger_lists(const gpb_result *r, gpb_category c);
/* The p-quantile over all paths of category c's flow in month m, from a
   sketch (relative error below GPB_SIM_SKETCH_REL_ERROR; a category nothing
   books is 0); NaN out of range or when the run kept no ledger quantiles
   (options' ledger below 2). */
GPB_API double gpb_result_ledger_quantile(const gpb_result *r, int month,
                                          gpb_category c, double p);

/*
 * Two results of the same paths (the same seed and path range, so each
 * path draws the same shared events: common random numbers), compared
 * path by path on one metric: d_i = a_i − b_i, taken as 0 when a_i and
 * b_i are within 1e-12 of each other, relatively (equal amounts reached by
 * different sums or conversions differ in their last digits: round-off,
 * not a difference).
 *
 *   mean, std_error   of d
 *   p5, p50, p95      quantiles of d
 *   p_a_lower         share of paths with d_i < 0 (a_i < b_i)
 *   p_a_higher        share with d_i > 0
 */
typedef struct gpb_paired_diff {
    size_t paths;
    double mean, std_error, p5, p50, p95;
    double p_a_lower, p_a_higher;
} gpb_paired_diff;

/* When a and b report in different currencies, b's money is converted
   into a's path by path, at the path's own exchange rates (its draw of
   exchange_rates.*), so d_i compares like amounts. Returns GPB_OK;
   GPB_EINVAL when the results do not cover the same kept paths;
   GPB_ENOTFOUND for a metric missing from either; GPB_ECURRENCY when b
   has no rate into a's currency; GPB_ENOMEM. */
GPB_API gpb_status gpb_result_paired_diff(const gpb_result *a,
                                          const gpb_result *b,
                                          const char *metric,
                                          gpb_paired_diff *out,
                                          gpb_error *err);

/* Probability that closing cash has gone below zero in some month ≤ month
   (0-based). Months past the horizon give the value at the horizon. */
GPB_API double gpb_result_prob_out_of_cash_by(const gpb_result *r,
                                              int month);
/* Probability that cash lasts through month `month` (closing cash ≥ 0 in
   months 0 … month): 1 − gpb_result_prob_out_of_cash_by. */
GPB_API double gpb_result_survival(const gpb_result *r, int month);

/*
 * The p-quantile of closing cash in `month` (0-based), from the streamed
 * sketch (relative error below GPB_SIM_SKETCH_REL_ERROR). A run of
 * gpb_sim_run_kept gives the same figure at gpb_report_fan_levels and
 * refuses (GPB_EINVAL) a level its fan bands do not hold.
 */
GPB_API gpb_status gpb_result_fan(const gpb_result *r, int month, double p,
                                  double *out, gpb_error *err);

/*
 * The amount to raise at month 0 so that closing cash stays ≥ 0 through the
 * whole horizon with probability `confidence`: the confidence-quantile of
 * the deepest deficit max(0, −min cash).
 */
GPB_API gpb_status gpb_result_raise_needed(const gpb_result *r,
                                           double confidence, double *out,
                                           gpb_error *err);

/*
 * As gpb_result_raise_needed, for cash that must last `months` months
 * (closing cash ≥ 0 in months 0 … months−1): the confidence-quantile of
 * max(0, −lowest cash through month months − 1), which the run keeps per
 * path when its options' raise_months is `months`. months ≥ horizon gives
 * gpb_result_raise_needed. Returns GPB_ENOTFOUND when the run did not
 * keep that month (run again with raise_months set).
 */
GPB_API gpb_status gpb_result_raise_for_runway(const gpb_result *r,
                                               int months, double confidence,
                                               double *out, gpb_error *err);

/*
 * The confidence interval, at `level` (e.g. 0.95), of the raise of
 * gpb_result_raise_for_runway (months ≥ horizon: of
 * gpb_result_raise_needed): the raise is a quantile, so its interval is
 * that of the quantile, by the order statistics of gpb_result_summary
 * (docs/engine.md), mapped through max(0, −cash). A tail quantile from
 * few paths is wide: the raise at 95% from 2,000 paths may span a factor
 * of several. Returns as gpb_result_raise_for_runway; GPB_EINVAL for a
 * level outside (0, 1).
 */
GPB_API gpb_status gpb_result_raise_ci(const gpb_result *r, int months,
                                       double confidence, double level,
                                       double *lo, double *hi,
                                       gpb_error *err);

/*
 * The exchange rate path `path` (0-based within the result) was simulated
 * at: units of `cur` per US dollar (1 for USD; NaN for GPB_CURRENCY_NONE
 * or a path out of the kept range). Money metrics and money inputs are in
 * the report currency at these rates.
 */
GPB_API double gpb_result_per_usd(const gpb_result *r, gpb_currency cur,
                                  size_t path);

/* Uncertain inputs of the scenario, as sampled: count, key path
   (borrowed), per-path values in the report currency (borrowed; n =
   gpb_result_input_kept_paths, the kept paths unless the run asked to
   keep fewer). */
GPB_API size_t gpb_result_input_count(const gpb_result *r);
GPB_API const char *gpb_result_input_path(const gpb_result *r, size_t i);
/* Input i's label for people, as gpb_scenario_input_label gave it when
   the scenario was simulated (borrowed; NULL when out of range). */
GPB_API const char *gpb_result_input_label(const gpb_result *r, size_t i);
GPB_API const double *gpb_result_input_samples(const gpb_result *r,
                                               size_t i);
/*
 * The per-path values of uncertain input k in the input's own units and
 * currency, as the scenario writes them (undoing the conversion to the
 * report currency). out receives gpb_result_kept_paths(r) values.
 * Returns GPB_OK; GPB_EINVAL for NULL pointers, k out of range or a run
 * that kept the inputs of fewer paths (gpb_sim_options.inputs_kept);
 * GPB_ENOTFOUND when the input is not in s.
 */
GPB_API gpb_status gpb_result_input_samples_own(const gpb_scenario *s,
                                                const gpb_result *r, size_t k,
                                                double *out, gpb_error *err);

/*
 * Runs the simulation with opt->paths paths, then 2×, 4×, … (capped at
 * max_paths) until the standard error of the mean of `metric` is at most
 * rel_std_error × |mean| (a zero standard error always qualifies). Each
 * try is a fresh gpb_sim_run with the same seed, so the outcome depends
 * only on (scenario, options, metric, rel_std_error, max_paths).
 *
 *   metric         e.g. "spend.total" (NULL means "spend.total")
 *   rel_std_error  target, > 0 (0.005 is 0.5% of the mean)
 *   max_paths      cap, ≥ opt->paths and ≤ GPB_SIM_MAX_PATHS
 *   out            receives the last result (new; gpb_result_free)
 *   reached        if not NULL, 1 when the target was met, 0 when the cap
 *                  stopped the doubling
 *
 * Returns GPB_OK (also when the cap was hit: see *reached); GPB_EINVAL for
 * NULL s or out, a bad target or cap; GPB_ENOTFOUND for an unknown metric;
 * any status of gpb_sim_run.
 */
GPB_API gpb_status gpb_sim_run_to_precision(const gpb_scenario *s,
                                            const gpb_sim_options *opt,
                                            const char *metric,
                                            double rel_std_error,
                                            size_t max_paths,
                                            gpb_result **out, int *reached,
                                            gpb_error *err);

/* ------------------------------------------------------------------------ */
/* One path, month by month                                                  */
/* ------------------------------------------------------------------------ */

typedef struct gpb_trace gpb_trace;

/*
 * Replays path `path` (0-based, of the run with these options: same seed,
 * same quasi-random setting; paths and path_offset need not cover it)
 * alone and records its month-by-month ledger. Its metrics equal that
 * path's row of the run's samples exactly.
 *
 * Returns GPB_OK; the statuses of gpb_sim_run.
 */
GPB_API gpb_status gpb_sim_trace(const gpb_scenario *s,
                                 const gpb_sim_options *opt, uint64_t path,
                                 gpb_trace **out, gpb_error *err);
GPB_API void gpb_trace_free(gpb_trace *t);

GPB_API uint64_t gpb_trace_path(const gpb_trace *t);
GPB_API int gpb_trace_months(const gpb_trace *t);
GPB_API gpb_currency gpb_trace_currency(const gpb_trace *t);
/* The flow of category c in month m (≥ 0; its direction is the
   category's); NaN out of range. */
GPB_API double gpb_trace_flow(const gpb_trace *t, int month, gpb_category c);
/* Closing cash of month m; NaN out of range. */
GPB_API double gpb_trace_cash(const gpb_trace *t, int month);
/* Training run k in month m: its share of the compute done by the end of
   the month (0..1, NaN out of range). */
GPB_API double gpb_trace_progress(const gpb_trace *t, size_t run, int month);
/* The path's metrics, named as the result's (borrowed names). */
GPB_API size_t gpb_trace_metric_count(const gpb_trace *t);
GPB_API const char *gpb_trace_metric_name(const gpb_trace *t, size_t i);
GPB_API double gpb_trace_metric_value(const gpb_trace *t, size_t i);
/* The metric's gpb_unit (GPB_UNIT_COUNT out of range). */
GPB_API gpb_unit gpb_trace_metric_unit_kind(const gpb_trace *t, size_t i);
/* The scenario's training runs (gpb_trace_progress's `run`). */
GPB_API size_t gpb_trace_run_count(const gpb_trace *t);
/* The first month whose closing cash is below zero (the path's runway),
   or -1 when the cash lasts the horizon. */
GPB_API int gpb_trace_out_of_cash_month(const gpb_trace *t);
/* The path's uncertain inputs in their own units and currency, as the
   samples CSV writes them. */
GPB_API size_t gpb_trace_input_count(const gpb_trace *t);
GPB_API const char *gpb_trace_input_path(const gpb_trace *t, size_t i);
GPB_API double gpb_trace_input_value(const gpb_trace *t, size_t i);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_SIM_H */
