/*
 * Internal helpers shared by the library's source files. Not installed.
 * Symbols here use the gpb__ prefix and stay hidden from the shared library.
 */
#ifndef GPB_INTERNAL_H
#define GPB_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "gpubudget/common.h"
#include "gpubudget/units.h"

#if defined(__GNUC__)
#define GPB__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GPB__PRINTF(a, b)
#endif

/*
 * Fills err (if not NULL) with status and a formatted message, clearing the
 * location fields. Returns status so callers can write
 * `return gpb__fail(err, GPB_EINVAL, "...")`.
 */
gpb_status gpb__fail(gpb_error *err, gpb_status status, const char *fmt, ...)
    GPB__PRINTF(3, 4);

/* As gpb__fail, with a source location and key path. */
gpb_status gpb__fail_at(gpb_error *err, gpb_status status, const char *source,
                        int line, int column, const char *path,
                        const char *fmt, ...) GPB__PRINTF(7, 8);

gpb_status gpb__vfail_at(gpb_error *err, gpb_status status,
                         const char *source, int line, int column,
                         const char *path, const char *fmt, va_list ap);

/* Returns from the calling function when expr fails. */
#define GPB__TRY(expr)                                                   \
    do {                                                                 \
        gpb_status gpb__s_ = (expr);                                     \
        if (gpb__s_ != GPB_OK)                                           \
            return gpb__s_;                                              \
    } while (0)

/*
 * The ranges of a model's size and a run's tokens and GPUs that a scenario
 * accepts (docs/scenario.md: params and active_params in (0, 1e15],
 * tokens in (0, 1e17], GPUs whole from 1 to 1e7), for training runs
 * (scenario.c) and inference services (scenario_fleet.c). One place,
 * because the pitch parser (claims_pitch.c) checks a pitch against them:
 * the scenario it writes must load. They are sanity bounds, not physics
 * ("absurd sizes", docs/scenario.md): orders of magnitude above any
 * published run, so that a typo or a unit slip is refused by name rather
 * than costed.
 */
#define GPB__PARAMS_MAX 1e15
#define GPB__TOKENS_MAX 1e17
#define GPB__GPUS_MAX 1e7

/* A computed result must be finite: GPB_ERANGE ("capex overflows"). */
gpb_status gpb__need_result(gpb_error *err, double v, const char *what);

/*
 * Rounds a non-negative count up to a whole number, treating a quotient
 * within 1e-12 (relative) of a whole number as that number: 1.12e12 / 80e9
 * is 14 in exact arithmetic but may come out as 14.000000000000002.
 */
double gpb__ceil_count(double x);

/*
 * Argument checks shared by the pure layers. Each returns GPB_OK, or
 * GPB_EINVAL with a message naming the argument ("spec.params must be
 * positive (got -1)"), filling err.
 */
gpb_status gpb__need_ptr(gpb_error *err, const void *p, const char *name);
gpb_status gpb__need_finite(gpb_error *err, double v, const char *name);
gpb_status gpb__need_pos(gpb_error *err, double v, const char *name);
gpb_status gpb__need_nonneg(gpb_error *err, double v, const char *name);
/* v a whole number in [lo, hi], else GPB_EINVAL with the key path `name`
   and "must be a whole number from lo to hi (got v)": cards, nodes. */
gpb_status gpb__need_whole(gpb_error *err, double v, double lo, double hi,
                           const char *name);

/* u clamped into the open interval (0, 1), for inverse CDFs (dist.c). */
double gpb__clamp_unit(double u);

/* Copies src into dst of size n, always NUL-terminating; NULL src gives "". */
void gpb__strlcpy(char *dst, const char *src, size_t n);

/* Case-insensitive ASCII comparison; returns 0 when equal. */
int gpb__strcasecmp(const char *a, const char *b);

/*
 * Levenshtein edit distance between two ASCII strings, compared
 * case-insensitively, for "did you mean" suggestions. Strings longer than 63
 * characters are cut to 63.
 */
int gpb__edit_distance(const char *a, const char *b);

/*
 * OpenBLAS's thread control (libopenblas exports these; declared here so
 * that no file needs OpenBLAS's cblas.h next to GSL's gsl_cblas.h).
 */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

/*
 * OpenBLAS on one thread from enter to the matching leave, safely when
 * several threads do so at once: the first enter saves the caller's count
 * and the last leave restores it (engine.c). A bare get/set pair from two
 * threads could leave one of them running BLAS on many threads.
 */
void gpb__blas_quiet_enter(void);
void gpb__blas_quiet_leave(void);

/*
 * Held around every BLAS and LAPACK call the library makes. OpenBLAS as
 * Debian builds it single-threaded (libopenblas0-serial: USE_THREAD=0 and
 * no USE_LOCKING; its libopenblas.so.0 imports no pthread lock) is not
 * safe to call from two threads at once: the work buffers of dgemv,
 * dpotrf and others come from one table it searches and fills without a
 * lock (OpenBLAS issues 2126 and 2164). The sensitivity's rank workers
 * called dgemv side by side, and now and then one metric came out with
 * other Spearman and SRRC figures for the same seed (docs/engine.md). The
 * calls are short next to the ranking around them.
 */
void gpb__blas_lock(void);
void gpb__blas_unlock(void);

/*
 * Puts the values of ranks ranks[0..nr) (ascending, within [lo, hi]) of
 * a[lo..hi] in their sorted places, the others around them (copula.c).
 * No NaN in a.
 */
void gpb__multiselect(double *a, size_t lo, size_t hi, const uint64_t *ranks,
                      size_t nr);

/* Sorts the ranks r[0..n) ascending and drops repeats; their number. */
size_t gpb__ranks_sort_unique(uint64_t *r, size_t n);

/*
 * The quantiles p[0..k) of x[0..n) (no NaN) into out[0..k), each exactly
 * what gpb_stats_quantile_sorted gives on the values sorted, by putting
 * only the order statistics it reads in their sorted places
 * (gpb__multiselect) instead of sorting every value: x is reordered. A NaN
 * p, or n = 0, gives NaN. Returns -1 when out of memory or given a NULL p
 * or out.
 */
int gpb__stats_quantiles(double *x, size_t n, const double *p, size_t k,
                         double *out);

/* Most threads a fork-join of the library starts. */
#define GPB__THREADS_MAX 64

/* The threads an option's `threads` means: itself when > 0, else one per
   online core; at most `jobs` (when jobs > 0) and GPB__THREADS_MAX. */
int gpb__threads_for(int threads, size_t jobs);

/*
 * Runs fn(arg) on n threads at once, the caller's among them (n - 1 are
 * started), and returns when every one has. fn claims its share of the
 * work itself (a counter in arg), so when a thread cannot be started the
 * others do its share.
 */
void gpb__fork_join(int n, void *(*fn)(void *), void *arg);

/* The statistic the tornado's swing records for `metric` of r: "P50";
   "restricted mean" for a censored metric (runway: its P50 sits at the
   horizon); "mean" for a metric that is 0 or 1 on each path (a
   probability). The one rule of sensitivity.c's swing and the charts'
   titles. */
struct gpb_result;
const char *gpb__swing_statistic(const struct gpb_result *r,
                                 const char *metric);

/*
 * What a money-per-hour rate was per. gpb_units_parse reads "$2/h",
 * "$2/GPU-hour" and "$200k/year" as one kind, money per hour; a key that
 * takes a GPU's price must not take a wage, and a key that takes a wage or
 * a bill must not take a GPU's price, so the keys ask what the rate's
 * denominator named.
 */
typedef struct gpb__rate_basis {
    int per_gpu;       /* it named a GPU or card: "/GPU-hour", "¥5万/卡月" */
    double unit_hours; /* hours in its time unit: 1 for "/h" and "hourly",
                          730.5 for "/month", 1/60 for "/min" (a count
                          aside: "per 2 hours" is 1); 0 when it is no rate
                          per time */
} gpb__rate_basis;

/* As gpb_units_parse; *rate (may be NULL) gets what a money-per-hour rate
   was per ({0, 0} for any other quantity). */
gpb_status gpb__units_parse_rate(const char *text, gpb_quantity *out,
                                 gpb__rate_basis *rate, gpb_error *err);

/* What a GPU's price per hour may be written as, for the refusals of
   gpb__rate_is_hourly_price (the units layer's and the loader's). */
/* ... and a machine's that is not a GPU (a CPU's price per hour). */
#define GPB__CPU_RATE_HINT "write it per hour ('$0.05/h')"
#define GPB__GPU_RATE_HINT                                                 \
    "a GPU's rent is per hour ('$2/h') or names the GPU "                  \
    "('$1500/GPU-month', '¥1万/卡月')"

/*
 * 1 when a money-per-hour rate can be a machine's price per hour: per a
 * GPU for any period ("¥5万/卡月"), or per hour or less naming none
 * ("$2/h": rents are quoted so, and the key names the GPU). A rate per
 * day, week, month or year that names no GPU ("$200k/year") reads as a
 * wage or a bill, and 0 is returned.
 */
int gpb__rate_is_hourly_price(const gpb__rate_basis *rate);

/* The time unit of a rate as a word: "second", "minute", "hour", "day",
   "week", "month", "year", or "period" (static). */
const char *gpb__rate_period(const gpb__rate_basis *rate);

/* gpb_sim_run with the engine's own choices, for the library's internal
   runs. GPB__SIM_NO_FAN leaves out the fan of closing cash: a swing run
   reads only its metrics' P50s and means, and the fan's sketches (a page
   of counters per month and binade, merged once per run) were most of
   the thirteen 2,000-path runs' cost. gpb_result_fan then refuses. */
#define GPB__SIM_NO_FAN 1u
/* A kept run (gpb_sim_run_kept) whose fan's bands missed, made again with
   its fan in whole sketches: the same kept paths and bands of metrics,
   so what the run keeps does not depend on which thread built them. */
#define GPB__SIM_NO_FAN_BANDS 2u
struct gpb_scenario;
struct gpb_sim_options;
struct gpb_result;
gpb_status gpb__sim_run(const struct gpb_scenario *s,
                        const struct gpb_sim_options *opt, unsigned flags,
                        size_t kept_paths_max, struct gpb_result **out,
                        gpb_error *err);

/* Returns a malloc'd copy of s (NULL when s is NULL or memory runs out). */
char *gpb__strdup(const char *s);

/*
 * malloc for a large block about to be filled once (the per-path store,
 * a worker's month buffer, the sensitivity's rank columns and scratch):
 * from 2 MiB on, aligned to 2 MiB and rounded up to whole 2 MiB. From 1
 * MiB on it is marked for transparent huge pages (only whole aligned 2
 * MiB stretches can have them, so a block under 2 MiB rarely does), or
 * where the kernel has none, its pages are mapped ahead in one call
 * (common.c says why and what it saves). Free with free(); NULL when
 * memory runs out.
 */
void *gpb__alloc_big(size_t bytes);

/*
 * A growable text buffer, always NUL-terminated once written to. Appends
 * do not fail: an allocation failure sets `oom` and later appends do
 * nothing, so a writer checks once at the end. Start from {0}; the caller
 * frees p with free().
 */
typedef struct gpb__buf {
    char *p;
    size_t len, cap;
    int oom;
} gpb__buf;

/* Appends n bytes of s (amortised O(n): the capacity doubles). */
void gpb__buf_put(gpb__buf *b, const char *s, size_t n);
/* Appends formatted text, written in place (no length limit). */
void gpb__buf_printf(gpb__buf *b, const char *fmt, ...) GPB__PRINTF(2, 3);


/*
 * The ranks of v[0..n-1] (ties averaged), centred and scaled to unit
 * norm, into out: the dot product of two such columns is Spearman's rho
 * (sensitivity.c). work holds 2·n records of 8 bytes and the sort's
 * count tables (GPB__RANK_WORK_BYTES(n)); n must be below 2^31 (BLAS
 * takes an int). Returns 1 (out all 0) for a constant column, else 0.
 */
#define GPB__RANK_COUNT_BYTES ((size_t)3 * 8192 * 4)
#define GPB__RANK_WORK_BYTES(n) ((size_t)(n) * 2 * 8 + GPB__RANK_COUNT_BYTES)
int gpb__rank_centred(const double *v, size_t n, double *out, void *work);

struct gpb_scenario;
struct gpb_result;

/* The first n kept paths' values of metric m: the result's own column
   (*v points into it), or for a narrow, constant or derived metric
   (engine.h) made into buf, which holds n values, without making the
   whole column. */
gpb_status gpb__result_metric_prefix(const struct gpb_result *r, size_t m,
                                    size_t n, const double **v, double *buf,
                                    gpb_error *err);

/* The values of metric m at 0-based ranks k[0..nk) of its kept paths (by
   selection, cached; from the sketch when not every path was kept), into
   out[0..nk). */
gpb_status gpb__result_order_stats(const struct gpb_result *r, size_t m,
                                   const uint64_t *k, size_t nk, double *out,
                                   gpb_error *err);

/* gpb_result_input_samples_own for the first n kept paths only (the
   sensitivity ranks a prefix of them). */
gpb_status gpb__result_input_samples_own_n(const struct gpb_scenario *s,
                                           const struct gpb_result *r,
                                           size_t k, size_t n, double *out,
                                           gpb_error *err);

/* The kept values of metric into buf (gpb_result_kept_paths of them),
   money converted into currency cur path by path at r's own rates
   (per_USD[cur] / per_USD[r's currency] of the path), other units as
   they are. GPB_ECURRENCY when a path has no rate. */
gpb_status gpb__result_samples_in(const struct gpb_result *r,
                                  const char *metric, gpb_currency cur,
                                  double *buf, gpb_error *err);

/* x − y for two figures of two plans compared path by path: within
   1e-12 of each other, relative to the larger of them and of `scale`
   (the metric's largest magnitude over the paths compared,
   gpb__paired_scale), they are the same figure and the difference is 0.
   Equal amounts reached by different sums (twice the GPUs for half the
   months), or converted at different rates (a plan in CNY against one
   in USD: into the scenario's currency at load, out of it for the
   report), differ in their last digits, and those digits are round-off,
   not a difference; where the figure is a balance near 0 (cash.min of a
   plan that just lasts) the round-off is that of the amounts it nets,
   hence the scale (for money, gpb_result_paired_diff takes the size of
   a path's flows). */
static inline double gpb__paired_diff(double x, double y, double scale)
{
    double ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
    double big = ax > ay ? ax : ay, d = x - y;
    big = big > scale ? big : scale;
    return (d < 0 ? -d : d) <= 1e-12 * big ? 0.0 : d;
}

/* The largest finite |a_i| and |b_i|: gpb__paired_diff's scale. */
static inline double gpb__paired_scale(const double *a, const double *b,
                                       size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double x = a[i] < 0 ? -a[i] : a[i], y = b[i] < 0 ? -b[i] : b[i];
        m = x > m && x <= 1.7976931348623157e308 ? x : m;
        m = y > m && y <= 1.7976931348623157e308 ? y : m;
    }
    return m;
}

#endif /* GPB_INTERNAL_H */
