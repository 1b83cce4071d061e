/*
 * The Monte Carlo engine's insides, shared by its files. Not installed.
 *
 *   engine_plan.c  compiles a scenario into a plan: the processes, the
 *                  uncertain inputs and how each is sampled, the metrics
 *   engine_block.c simulates a block of paths month by month, as arrays:
 *                  each process is a kernel (init, month step, finish)
 *   engine.c       runs the blocks on worker threads, assembles and
 *                  merges results, replays one path (trace), and explains
 *                  a failure
 *   result.c       reads a result
 *
 * docs/engine.md tells the design; gpubudget/sim.h the contract.
 */
#ifndef GPB_ENGINE_H
#define GPB_ENGINE_H

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "fleet.h"
#include "gpubudget/dist.h"
#include "gpubudget/sim.h"
#include "scenario_model.h"
#include "sketch.h"

#define LANES GPB_SIM_BLOCK_PATHS

/*
 * Money summed exactly across blocks: fixed point in units of 2^-20 of
 * the report currency, 128 bits. A block's sum (a double, in lane order)
 * is rounded to it once, so totals do not depend on which thread or rank
 * added which block.
 */
typedef __int128 gpb__fixed;
#define GPB__FIXED_ONE 1048576.0
static inline gpb__fixed gpb__to_fixed(double x)
{
    return fabs(x) < 1e30 ? (gpb__fixed)nearbyint(x * GPB__FIXED_ONE) : 0;
}

/* ---- processes --------------------------------------------------------- */

typedef enum eng_kind {
    PK_PRICE = 0, /* the GPU price index */
    PK_FLEET_BEGIN, /* an owned fleet: its cards free this month */
    PK_TEAM,      /* one team line */
    PK_FUNDING,   /* one funding round */
    PK_OTHER,     /* one other cost */
    PK_RUN,       /* one training run */
    PK_CAPACITY,  /* one capacity workload */
    PK_SERVING,   /* the users: serving cost and revenue */
    PK_FLEET,     /* an owned fleet: its month */
    PK_DATA       /* one item of data work */
} eng_kind;

#define ENG_PROC_INPUTS_MAX 48

typedef struct eng_proc {
    eng_kind kind;
    int index;        /* into the scenario's list */
    uint32_t stream;  /* the process's stream id */
    char name[96];    /* "training[pretrain]": messages and stream id */
    int inputs[ENG_PROC_INPUTS_MAX]; /* scenario inputs it reads */
    int n_inputs;
    int cat;          /* the category it books most (diagnostics), or -1 */
} eng_proc;

/* ---- the metric table -------------------------------------------------- */

typedef enum eng_mkind {
    MK_CATEGORY = 0,
    MK_PATH,
    MK_RUN,
    MK_CAP,
    MK_ROUND
} eng_mkind;

typedef struct eng_metric {
    eng_mkind kind;
    int id;          /* category, GPB_METRIC_*, GPB_RUN_*, GPB_CAP_*,
                        GPB_ROUND_* */
    int owner;       /* the run, workload or round index, else -1 */
    gpb_unit unit;
    int direction;
    char *name;      /* owned */
    char *label;     /* owned */
    /* The plan's knowledge: 1 when the value is the same on every path
       (a category nothing books), with that value. */
    int constant;
    double value;
    /* When derived (GPB__DERIVE_*), the value on every path is
       gpb__derive(derived, d, value of metric src), which the block's
       finish writes. Unless also constant: not stored, its order
       statistics are the source's mapped through the function (which is
       monotone), its samples made on request. */
    int derived;
    size_t src;
    double d;
    /* Stored as a uint16_t (gpb_result's narrow): a whole number from 0 to
       65535 on every path by construction (a month within the horizon, a
       count of at most one a month, a 0/1 flag), 2 bytes a path instead
       of 8. Set by the plan for stored metrics only. */
    int narrow;
} eng_metric;

/* Metrics that are a monotone function of another metric's value. */
enum {
    GPB__DERIVE_NONE,
    GPB__DERIVE_DIV,     /* x / d, d > 0: non-decreasing */
    GPB__DERIVE_DEFICIT, /* −x when x < 0, else 0: non-increasing */
    GPB__DERIVE_BELOW    /* 1 when x < d, else 0: non-increasing */
};

/* The one formula of each derived metric (the block's finish and the
   result's samples both use it). */
static inline double gpb__derive(int kind, double d, double x)
{
    switch (kind) {
    case GPB__DERIVE_DIV:
        return x / d;
    case GPB__DERIVE_DEFICIT:
        return x < 0 ? -x : 0;
    case GPB__DERIVE_BELOW:
        return x < d;
    default:
        return x;
    }
}

/* Whole numbers below this (months, counts, 0/1 flags) have their
   order statistics counted, not selected (result.c). */
#define GPB__SMALL_MAX 4096

/* The smallest and largest order-preserving keys (gpb__sketch_key) of
   x[0..n-1] into *lo, *hi, and in *big whether any value is not a whole
   number in [0, GPB__SMALL_MAX): what selecting quantiles needs first
   (result.c), found by the engine per block while it is in cache. */
void gpb__value_extremes(const double *x, size_t n, uint64_t *lo,
                         uint64_t *hi, int *big);

/* 1 when the function reverses the order of the values. */
static inline int gpb__derive_decreasing(int kind)
{
    return kind == GPB__DERIVE_DEFICIT || kind == GPB__DERIVE_BELOW;
}

/* A Poisson count by inversion of a plan's table (eng_plan's fail_cdf,
   n entries, the last 1, and its guide of 1,024 entries: guide[g] the
   first k with cdf[k] > g / 1024): the least k with cdf[k] >= u, at most
   n − 1, for u in (0, 1) and not a multiple of 2^-10 (the streams'
   uniforms, (w + ½) · 2^-32, never are). */
double gpb__poisson_table(const double *cdf, size_t n, const uint32_t *guide,
                          double u);

/* The entries of a table's window (eng_plan's fail_win). */
#define GPB__POIS_WIN 24
/*
 * k[i] = gpb__poisson_table(cdf, n, guide, gpb__u01_32(w[i])) for i < nl,
 * the same numbers, side by side. With a window of the table, its
 * entries a .. a + GPB__POIS_WIN − 1 (a + GPB__POIS_WIN < n): a lane
 * whose u lies above the entry before the window (if any) and at most
 * the entry after it draws a plus the count of the window's entries
 * below u (the CDF rises, so those are the entries below the draw); the
 * others (the mass outside, at most 2^-7) by gpb__poisson_table. a =
 * SIZE_MAX: every lane by gpb__poisson_table.
 */
void gpb__poisson_lanes(const double *cdf, size_t n, const uint32_t *guide,
                        size_t a, const uint32_t *w, double *k, size_t nl);

/* Of k events spread evenly over a period (k a whole number), those in
   its first share q: Binomial(k, q) by inversion of the uniform u (the
   least j with F(j) ≥ u; engine_block.c says how, and where above a
   variance of 10^8 it takes the normal approximation). A run's failures
   in the month it finishes, thinned to the hours it ran. */
double gpb__binomial_thin(double k, double q, double u);
/* out[i] = gpb__binomial_thin(k[i], q[i], u[i]) for i < n, the same bits;
   the common lanes (0 < k ≤ 1000, 0 < q < 1) side by side. */
void gpb__binomial_thin_lanes(size_t n, const double *k, const double *q,
                              const double *u, double *out);

/* ---- inverse CDF tables ------------------------------------------------ */

/*
 * An inverse CDF tabulated for kinds whose exact quantile is slow (beta,
 * PERT, gamma: ~1 µs). Exact at 4,097 evenly spaced levels and, in the two
 * end cells, at 4,096 finer ones; linear between. tests/test_engine.c
 * measures the error against gpb_dist_quantile.
 *
 * The body is computed when the table is built; a node of the two end
 * cells when a level first needs it (tail[side][k] says it is there): a
 * level falls in an end cell once in 4,096, so a run of 10^4 paths needs a
 * handful of their 8,194 nodes and one of 10^6 about 500, and two thirds
 * of a table's cost went on them. A node is the same number whenever and
 * on whichever thread it is computed.
 */
#define QT_N 4096
typedef struct eng_qtable {
    double body[QT_N + 1];    /* Q(k / N) */
    double lo[QT_N + 1];      /* Q(k / N²), the first cell */
    double hi[QT_N + 1];      /* Q(1 − 1/N + k / N²), the last cell */
    gpb_dist d;               /* the law (beta, PERT, gamma: no data) */
    _Atomic unsigned char tail[2][QT_N + 1]; /* lo[k], hi[k] computed */
    pthread_mutex_t fill;     /* held while a tail node is computed */
} eng_qtable;

/* The table of d (shared, immutable, built once per distinct d and kept
   for the life of the process), or NULL when d's quantile is fast or
   memory ran out (then gpb_dist_quantile is used). */
const eng_qtable *gpb__qtable_get(const gpb_dist *d);
double gpb__qtable_eval(const eng_qtable *t, double u);

/* ---- the plan ---------------------------------------------------------- */

typedef struct eng_plan {
    const gpb_scenario *s;
    int H;
    uint64_t seed;
    int quasi;
    size_t n_inputs;
    /* Per input: its value when the same on every path (NaN otherwise:
       uncertain, or drawn per event), and its column: LANES copies of it,
       already in the report currency (NULL when a block fills it: an
       uncertain input, or a fixed amount in a currency whose rate is
       uncertain, listed in conv). */
    double *fixed;
    const double **col;
    double *bcast;
    size_t n_conv;
    size_t *conv;
    /* Columns of 0, 1 and +∞, for absent inputs with those defaults. */
    double *c0, *c1, *cinf;
    /* Units of each currency per US dollar: the fixed rate, or NaN when
       the rate is an uncertain input (rate_input[c]). */
    double rate_fixed[GPB_CURRENCY_COUNT];
    int rate_input[GPB_CURRENCY_COUNT];
    /* Uncertain inputs, in input order: index, stream, table. */
    size_t n_unc;
    size_t *unc;
    uint32_t *unc_stream;
    const eng_qtable **unc_table;
    long *unc_pos;        /* per input: position in unc, or -1 */
    /* The copula over a subset of the uncertain inputs. */
    gpb_copula *copula;
    size_t n_cop;
    size_t *cop_unc;      /* positions in unc of the correlated inputs */
    unsigned char *in_copula;
    /* Caller-fixed values (borrowed), or NULL. */
    const double *input_values;
    /* Money inputs to convert to the report currency. */
    size_t n_money;
    size_t *money;
    /* Processes, in the order a month runs them. */
    eng_proc *procs;
    size_t n_procs;
    /* Which categories some process can book. */
    unsigned char cat_used[GPB_CAT_COUNT];
    int any_fleet, npv;
    int raise_months;      /* the runway target kept per path, or 0 */
    int ledger;            /* 1: sum each category's flow per month; 2:
                              and sketch it (quantiles) */
    double discount_rate;  /* of npv.cost, when npv */
    int rent_only;         /* the plan to compare with buying */
    gpb__acquire *acquire; /* each run's way of getting cards, as run */
    gpb__acquire *cap_acquire; /* each capacity workload's */
    /* Metrics. */
    eng_metric *metrics;
    size_t n_metrics;
    size_t m_cat0, m_path0, m_run0, m_cap0, m_round0; /* first of each */
    /* Poisson failures: a CDF table per run when its mean is the same on
       every path (NULL otherwise). */
    double **fail_cdf;
    size_t *fail_cdf_n;
    uint32_t **fail_guide;
    size_t *fail_win; /* the table's window (gpb__poisson_lanes), or
                         SIZE_MAX */
    /* Sobol: the generator positioned at the point of paths qmc_first,
       qmc_first + LANES, ... (gsl_qrng *, cloned): path i takes the
       sequence's point ⌊i / GPB_SIM_QMC_REPLICATES⌋ (0: the origin, which
       GSL leaves out), digitally shifted by the 32-bit
       words qmc_shift[r · n_unc + j] of its replicate r = i mod
       GPB_SIM_QMC_REPLICATES (from the seed). */
    void **qmc_state;
    size_t n_qmc;
    uint64_t qmc_first;
    uint32_t *qmc_shift;
} eng_plan;

gpb_status gpb__plan_build(eng_plan *p, const gpb_scenario *s,
                           const gpb_sim_options *opt, gpb_error *err);
void gpb__plan_free(eng_plan *p);
/* Sobol points for paths [first, first + n) in blocks of LANES from
   first: GSL's generator stepped once through the points, cloned at each
   block's start; and the replicates' shifts. */
gpb_status gpb__plan_qmc(eng_plan *p, uint64_t first, uint64_t n,
                         gpb_error *err);

/* ---- a block of paths -------------------------------------------------- */

typedef struct eng_block eng_block;

/* Records what one path did each month (a trace), or finds what made it
   fail (diagnose). */
typedef struct eng_trace_rec {
    int months;
    double *flow;      /* months × GPB_CAT_COUNT */
    double *cash;      /* months */
    double *progress;  /* months × runs */
    int diagnose;      /* 1: check every process's figures after its step */
    /* The first non-finite figure found (diagnose). */
    int bad_month;
    int bad_proc;      /* index into plan procs, -1: the month's close */
    int bad_cat;       /* category that overflowed at the close, or -1 */
    int bad_input;     /* input not finite after conversion, or -1 */
} eng_trace_rec;

/* A worker's scratch for blocks of one plan. */
eng_block *gpb__block_new(const eng_plan *p);
void gpb__block_free(eng_block *b);

/*
 * The fan's bands of one month, when a run keeps only its first paths
 * (gpb_sim_run_kept): after the first paths, a value is counted against
 * a few ranges of the month sketch's buckets, one around each of the
 * report's fan levels (gpb_report_fan_levels), wide enough that the
 * run's ranks at that level fall inside (as the metrics' bands,
 * GPB__BAND_Z); only the values inside go to the sketch, and those below
 * each range are counted. The ranks the report reads then give the
 * bucket the whole sketch would have given: the same figures, for a
 * compare instead of a sketch count a value.
 */
#define GPB__FAN_BANDS_MAX 5
typedef struct eng_fan_bands {
    unsigned n;                        /* disjoint, ascending */
    uint32_t lo[GPB__FAN_BANDS_MAX];   /* first bucket */
    uint32_t hi[GPB__FAN_BANDS_MAX];   /* last bucket (inclusive) */
    uint64_t below[GPB__FAN_BANDS_MAX]; /* the run's values in buckets
                                           below lo (after the run) */
} eng_fan_bands;

/* Where a block records each month's closing cash for the fan: the
   worker holds a few blocks' records and counts them into its month
   sketches month by month, so each sketch is hot in cache while it
   counts. With bands (after a kept run's first paths), each month's
   values are counted against them at once instead. */
typedef struct eng_fan {
    uint16_t *code;   /* [m · stride + i]: gpb__sketch_code16 of lane i */
    uint16_t *top;    /* [m · tstride]: the codes' top exponent and
                         GPB__SKETCH_TOP_ESC */
    size_t stride, tstride;
    uint64_t *ext;    /* [2m], [2m + 1]: the smallest and largest whole
                         keys, lowered and raised, not set */
    gpb__sketch *esc; /* [m]: where an escape is counted at once; with
                         bands, the values inside them */
    const eng_fan_bands *bands; /* [m], or NULL: codes as above */
    uint64_t *below;  /* with bands: [(m · GPB__FAN_BANDS_MAX + j) · 2]
                         below band j, [… + 1] inside it */
} eng_fan;

/*
 * Counts one month's closing cash of a block's n real lanes against the
 * month's fan bands fb: those below band j into cnt[2j], those inside
 * it into cnt[2j + 1] and into win by their keys (the bands are
 * disjoint); the smallest and largest whole keys into ext[0] and ext[1]
 * (lowered and raised).
 */
void gpb__fan_bands_count(const double *cash, size_t n,
                          const eng_fan_bands *fb, uint64_t *cnt,
                          uint64_t *ext, gpb__sketch *win);

/*
 * The fan's record of one month's closing cash of a block's n real
 * lanes: each value's 16-bit code (gpb__sketch_code16) relative to the
 * largest exponent among them into row[0..n-1], that exponent (with
 * GPB__SKETCH_TOP_ESC when some code is an escape) into *top, the
 * smallest and largest whole keys into ext[0] and ext[1] (lowered and
 * raised), and each escape counted into esc at once by its key: counts
 * add in any order, so the sketch ends as if it had been held.
 */
void gpb__fan_codes(const double *cash, size_t n, uint16_t *row,
                    uint16_t *top, uint64_t *ext, gpb__sketch *esc);

/*
 * Simulates paths path0 .. path0 + n − 1 (n ≤ LANES). Points out[m] at
 * the n paths' values of metric m: at the block's own array where the
 * block holds the metric as it is (a category's total, the cash, a run's
 * cost), valid until b's next run; else at store + m · LANES (store:
 * n_metrics × LANES doubles), where it writes those it computes (totals,
 * derived metrics). A
 * copy of every metric into store was a tenth of the engine's time in
 * bench-60m (2026-12-05). When fan
 * is not NULL, each month's closing cash of the n paths to it (eng_fan);
 * to rt_min[i], when not NULL, the lowest cash through month
 * raise_months − 1; and the month each path
 * ran out of cash into out_month[t · (H + 1) + m] (four tables t of
 * horizon + 1 counters, lane i into table i mod 4: GPB__COUNT4; the
 * horizon = never), and each month's flows by category into
 * ledger[m · CAT + c] (block sums, fixed point). rec, when not NULL,
 * records lane 0.
 *
 * Returns GPB_OK, or an error of the per-path set-up (a sampled value
 * that makes a run or fleet undefined: err names the input). A path whose
 * figures are not finite is reported through *bad_lane (the first such
 * lane, or -1).
 */
gpb_status gpb__block_run(eng_block *b, uint64_t path0, size_t n,
                          double *store, const double **out,
                          const eng_fan *fan,
                          double *rt_min, uint64_t *out_month,
                          gpb__fixed *ledger, eng_trace_rec *rec,
                          long *bad_lane, gpb_error *err);

/* The ledger's sketches ([month · CAT + category]) the block adds each
   month's flows to, or NULL (the worker's, when the plan keeps the
   ledger's quantiles). */
void gpb__block_set_ledger_sketches(eng_block *b, gpb__sketch *sk);

/* The sampled inputs of the block's lanes (uncertain ones, report
   currency) and exchange rates, for the result. */
const double *gpb__block_input(const eng_block *b, size_t k);
const double *gpb__block_per_usd(const eng_block *b, gpb_currency c);

/* ---- the result -------------------------------------------------------- */

/*
 * Exact quantiles without every path kept. When a run keeps only its
 * first paths, it takes from them, for each stored metric, a few
 * intervals of values (bands) around the report's quantile levels
 * (gpb_report_levels, and the raise's: gpb_report_raise_levels, a
 * quantile of the deficit, which falls as the lowest cash rises, so each
 * level and its complement) and their confidence ranks, wide enough that the
 * run's own order statistics at those ranks fall inside them but with a
 * chance of about 3·10^-7 an end (GPB__BAND_Z standard errors of the
 * first paths' quantile, widened by GPB__BAND_CI_Z of the run's); when
 * one does not, the run is made again keeping every path, so the figures
 * are exact either way (about one run in 10^4 takes twice as long). Every path after them is then
 * counted against the bands, and a value inside one is kept. A rank inside
 * a band is then exact: the paths below the band are counted, the band's
 * values are at hand. A value equal to a band's end is only counted, so
 * that a point mass (the zero of a round that did not close) costs no
 * memory. A rank outside every band is refused (the run keeps no
 * sketch of such a metric). docs/engine.md, "Exact quantiles past the
 * kept paths".
 */
#define GPB__BANDS_MAX 12   /* at most one a level (band_levels) */
#define GPB__BAND_Z 5.0     /* P(miss) ≈ 2.9e-7 a band end */
#define GPB__BAND_CI_Z 3.3  /* confidence ranks up to the 99.9% level
                              (z = 3.2905267, rounded up) */

typedef struct eng_band {
    double lo, hi;     /* lo <= hi; -inf / +inf at the ends */
    uint64_t below;    /* values < lo */
    uint64_t eq_lo;    /* values == lo */
    uint64_t eq_hi;    /* values == hi (lo < hi) */
    uint64_t inside;   /* values in (lo, hi), kept in v */
    double *v;
    size_t cap;
    int own;           /* v was allocated for the band (else: a slice of
                          an arena the result keeps, band_arena) */
    /* A result's band: v holds the first nv values, and each worker's
       follow in more[0..n_more), as they were counted (not copied). */
    size_t nv, n_more;
    struct eng_band_chunk {
        double *v;
        size_t n;
        int own;
    } *more;
} eng_band;

typedef struct eng_bands {
    size_t n;          /* disjoint, ascending */
    int overflow;      /* a band held too many values: none is used */
    eng_band b[GPB__BANDS_MAX];
} eng_bands;

/* Work areas of an exact selection (result.c), which one thread keeps
   across the metrics it selects, each allocated when first needed:
   fresh, they took a fault every 4 KiB for every metric (bench-60m at
   10^6 paths: 1,100 of the run's 3,300 faults, some 14 µs each on a
   virtual machine). Zero-initialise; gpb__select_work_free frees. */

/* Four tables of counts (table t at cnt[t * stride]), value i of v into
   table i mod 4, so that a run of one value (a 0/1 flag, a runway at the
   horizon) makes four independent chains of increments rather than one;
   v's values are whole numbers below stride. */
#define GPB__COUNT4(cnt, stride, v, n)                                     \
    do {                                                                   \
        size_t i_ = 0;                                                     \
        for (; i_ + 4 <= (n); i_ += 4) {                                   \
            (cnt)[(size_t)(v)[i_]]++;                                      \
            (cnt)[(stride) + (size_t)(v)[i_ + 1]]++;                       \
            (cnt)[2 * (stride) + (size_t)(v)[i_ + 2]]++;                   \
            (cnt)[3 * (stride) + (size_t)(v)[i_ + 3]]++;                   \
        }                                                                  \
        for (; i_ < (n); i_++)                                             \
            (cnt)[(size_t)(v)[i_]]++;                                      \
    } while (0)

/* The count of value x over GPB__COUNT4's four tables. */
#define GPB__COUNT4_AT(cnt, stride, x)                                     \
    ((uint64_t)(cnt)[(x)] + (cnt)[(stride) + (x)] +                        \
     (cnt)[2 * (stride) + (x)] + (cnt)[3 * (stride) + (x)])

typedef struct gpb__select_work {
    uint32_t *cnt;   /* a histogram's counts and a chunk's buckets */
    int32_t *slot;   /* a histogram's buckets' slots */
    uint64_t *want;  /* a histogram's buckets to read, as bits */
    uint64_t *small; /* the counts of small whole numbers */
} gpb__select_work;
void gpb__select_work_free(gpb__select_work *wk);

/* The bands of metric m from the first n0 kept paths of r (n0 <=
   r->kept), into *out_m (n 0 for a metric not stored as doubles), for a
   run of r->paths paths; the first n0 paths' values are counted in; wk
   the calling thread's selection work areas. 0, or -1
   when out of memory. Metrics build independently (on any thread). */
int gpb__bands_build(const gpb_result *r, size_t n0, size_t m,
                     eng_bands *out_m, gpb__select_work *wk);

/* The fan's bands of every month from s0[0 .. horizon), sketches of
   some paths' closing cash (one worker's first paths), for a run of
   r->paths paths, into r->fanb, with r->fan_min and r->fan_max (all
   allocated; their below and extremes are set after the run). 0, or -1
   when out of memory (r then has none). */
int gpb__fan_bands_build(gpb_result *r, const gpb__sketch *s0);

/* 1 when the fan's bands hold every rank the report reads (or the run
   has none), else 0: the run is made again (gpb__bands_cover). */
int gpb__fan_bands_cover(const gpb_result *r);

/* About the bytes the bands of a run of N paths hold, from n0 first paths,
   for the metrics mt[0..nm) (the values inside every band of every
   metric kept as doubles, by the bands' widths, counting overlaps
   twice). */
double gpb__bands_bytes(const eng_metric *mt, size_t nm, size_t N,
                        size_t n0);

/* Counts n values v of one metric against its bands (b->n > 0) into acc
   (the same intervals), keeping the values inside. 0, or -1 when out of
   memory. At most max_inside values inside a band: more set overflow. */
int gpb__bands_count(const eng_bands *b, const double *v, size_t n,
                     eng_bands *acc, uint64_t max_inside);

/* Room in acc[0..nm) (the intervals of b[0..nm), counted over n0 paths)
   for the values that `paths` more paths put inside b's bands, by b's
   shares and a fifth more, as slices of one block marked for huge pages
   (gpb__alloc_big: a fault maps 2 MiB, where a band's own buffer took a
   fault every 4 KiB), into *arena (NULL when none is needed): the caller
   keeps it until the bands are freed. 0, or -1 when out of memory. */
int gpb__bands_reserve(const eng_bands *b, size_t nm, size_t n0,
                       size_t paths, eng_bands *acc, double **arena);

/* Adds acc's counts and values into into (the same intervals): 0, or -1
   when out of memory. acc's values move to into (as one more chunk). */
int gpb__bands_add(eng_bands *into, eng_bands *acc);

/* 1 when every stored metric of r has bands and each holds what the
   report reads at every level it was made for (whole, none overflowed);
   0 otherwise (then the run is made again keeping every path). */
int gpb__bands_cover(const gpb_result *r);

/* The GPB__EXTREME_TRACKED lowest ([0]) and highest ([1]) values of a
   metric over every path a run counted, with their paths (0-based in the
   run), most extreme first, ties to the lower path: what
   gpb_result_extreme_paths reads when the run kept fewer paths. 16, not
   GPB_RESULT_EXTREME_PATHS_MAX: each block with a path among the list's
   is scanned, about K·ln(N/K) of them a list (the text report names 3). */
#define GPB__EXTREME_TRACKED 16
typedef struct eng_extreme {
    size_t n[2];
    double v[2][GPB__EXTREME_TRACKED];
    uint64_t path[2][GPB__EXTREME_TRACKED];
} eng_extreme;

/* Adds the n values v of paths path0 .. path0 + n − 1, whose smallest and
   largest keys (gpb__sketch_key) are klo and khi, into e: a block beyond
   both lists' last entries costs two comparisons. */
void gpb__extreme_add(eng_extreme *e, const double *v, size_t n,
                      uint64_t path0, uint64_t klo, uint64_t khi);

/* Adds from's entries into into. */
void gpb__extreme_merge(eng_extreme *into, const eng_extreme *from);

/* Frees the values of bs[0..n). */
void gpb__bands_free(eng_bands *bs, size_t n);

/* The paths a run of `paths` paths keeps when the memory budget holds
   `cap` (sim.h, GPB_SIM_KEPT_PAST_BUDGET): all of them when they fit,
   else the first 2^20 or cap, whichever is fewer. One rule for a run and
   for the merge of its parts, so that they keep the same paths. */
static inline size_t gpb__kept_paths_for(size_t paths, size_t cap)
{
    if (paths <= cap)
        return paths;
    return cap < GPB_SIM_KEPT_PAST_BUDGET ? cap : GPB_SIM_KEPT_PAST_BUDGET;
}

struct gpb_result {
    size_t paths;
    uint64_t path_offset;
    size_t kept;
    size_t kept_inputs; /* the first kept paths whose inputs are kept */
    size_t inputs_req;  /* gpb_sim_options.inputs_kept (0: all), so that
                           parts of a run merge into what it keeps */
    size_t kept_cap;    /* the most paths the memory budget holds */
    int horizon;
    gpb_currency currency;
    uint64_t seed;
    int quasi;
    int threads;              /* worker threads used */
    /* A conditional result (gpb_result_given): its condition and the
       paths of the run it was taken from; "" and 0 otherwise. */
    char given[256];
    size_t given_of;
    uint64_t *path_no;        /* [kept]: a conditional result's path
                                 numbers in its run; NULL otherwise */
    const gpb_scenario *s_id; /* identity only: runs merge when equal */

    size_t n_metrics;
    eng_metric *metrics;   /* owned copies of names and labels */
    double **values;       /* [metric][kept path], or NULL when constant,
                              derived or narrow */
    uint16_t **narrow;     /* [metric][kept path] when narrow, else NULL */
    double *store;
    int *nonzero;          /* [metric] */
    /* When every path is kept and the engine filled them (kext_ok): each
       metric's smallest and largest order-preserving key (sketch.h) and
       whether any value is not a whole number in [0, 4096), found while
       each block was in cache, so selecting its quantiles needs no pass
       for them. A result made otherwise (merged, unpacked, given) leaves
       kext_ok 0 and the selection finds them itself. */
    int kext_ok;
    uint64_t *kext_lo, *kext_hi; /* [metric] */
    unsigned char *kext_big;     /* [metric] */
    /* Means in path order, per block (for merging and when not every
       path is kept): count, mean and M2 of each metric per block. */
    size_t n_blocks;
    double *blk_mean, *blk_m2; /* [block][metric] */
    /* Sketches of every metric, when not every path is kept. */
    gpb__sketch *msketch;
    /* A run that kept fewer paths than asked (gpb_sim_run_kept): each
       stored metric's bands (above) and each narrow metric's count of
       every value 0 .. horizon over every path ([metric], NULL for the
       others): its quantiles then come from these, and it has no
       msketch. NULL otherwise. */
    eng_bands *bands;
    uint64_t **ncount;
    struct eng_extreme *extreme; /* [metric]: with bands, each stored
                                    metric's most extreme paths over every
                                    path (gpb_result_extreme_paths) */
    double **band_arena;  /* [n_band_arena]: the workers' (gpb_free) */
    size_t n_band_arena;

    size_t n_inputs;
    char **input_paths;
    char **input_labels;     /* the scenario's labels (gpb_result_input_label) */
    double **inputs;         /* [input][kept path] */
    double *per_usd[GPB_CURRENCY_COUNT];

    uint64_t *out_month;     /* paths out of cash in each month; [H] = never */
    int no_fan;              /* GPB__SIM_NO_FAN: sk_cash left empty */
    /* With fan bands ([month], gpb_sim_run_kept): sk_cash holds the
       first paths' values and those inside the bands after them, and
       fan_min / fan_max every path's extremes. NULL: sk_cash has all. */
    eng_fan_bands *fanb;
    double *fan_min, *fan_max;
    gpb__fixed *ledger;      /* [month · CAT + category]: Σ over paths */
    int has_ledger;          /* 1: sums; 2: and sketches */
    gpb__sketch *sk_ledger;  /* [month · CAT + category] when has_ledger 2 */
    gpb__sketch *sk_cash;    /* [month]: closing cash */
    gpb__sketch_pool *sketch_pool; /* the pages of the sketches taken from
                                      the engine's first worker and of
                                      those the others' added, or NULL */
    /* The lowest cash through month raise_months − 1, per kept path (and
       its sketch when not every path is kept). */
    int raise_months;
    double *rt_min;
    gpb__sketch rt_sketch;

    /* Units of each currency per US dollar when the rate is fixed. */
    double rate_fixed[GPB_CURRENCY_COUNT];

    /* Order statistics found so far, and constant metrics materialised
       on request, per metric (under lock). */
    pthread_mutex_t lock;
    struct eng_osc *osc;
    double **materialised;
    /* A quasi-random run's replicate standard error per metric, found on
       request (NaN until then; under lock). */
    double *rep_se;
};

/* Allocates a result of n_metrics metrics (copied) and n_inputs input
   columns named inputs[] and labelled labels[] (NULL: no labels), values for `kept` paths, n_blocks block
   moments, and metric sketches when `sketches`. */
gpb_status gpb__result_alloc(const eng_metric *metrics, size_t n_metrics,
                             size_t n_inputs, const char *const *inputs,
                             const char *const *labels,
                             const int *fx_varies, int horizon, size_t paths,
                             size_t kept, size_t kept_inputs,
                             size_t n_blocks, int sketches,
                             gpb_result **out, gpb_error *err);

/* Gives r empty ledger sketches ([month · CAT + c]). Returns 0, or -1
   when out of memory. */
int gpb__result_ledger_sketches(gpb_result *r);

/* Allocates a result for the plan; values for `kept` paths, inputs for
   the first kept_inputs of them. */
gpb_status gpb__result_new(const eng_plan *p, size_t paths,
                           uint64_t path_offset, size_t kept,
                           size_t kept_inputs, gpb_result **out,
                           gpb_error *err);

/* Finds every metric's order statistics for the n quantile levels p and
   their confidence intervals at `level`, on `threads` threads (0: one per
   core), so that a
   report asking for them one metric at a time finds them cached. */
void gpb__result_prefetch(const gpb_result *r, size_t n, const double *p,
                          double level, int threads);

/* The metric index of a registry entry (category / path / run / round). */
size_t gpb__metric_index(const eng_plan *p, eng_mkind kind, int id,
                         int owner);

/* ---- the trace ---------------------------------------------------------- */

struct gpb_trace {
    uint64_t path;
    long bad_lane;    /* 0 when a figure of the path is not finite, else -1 */
    int months;
    gpb_currency currency;
    size_t n_runs;
    eng_trace_rec rec;
    size_t n_metrics;
    char **metric_names;
    double *metric_values;
    gpb_unit *metric_units;
    size_t n_inputs;
    char **input_paths;
    double *input_values;
};

#endif /* GPB_ENGINE_H */
