/*
 * The Monte Carlo engine (gpubudget/sim.h): worker threads over blocks of
 * paths, results assembled and merged, one path replayed (a trace), and a
 * failing path explained.
 *
 * Determinism. A block's figures depend only on its paths (engine.h);
 * each block writes its paths' values into their own rows, its means into
 * its own slot (combined later in block order), and its counts into
 * integer counters; so the result is the same whichever thread ran which
 * block, and two runs over adjacent ranges merge into the run of their
 * union.
 */
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "internal.h"
#include "vmath.h"

/* ---- options ------------------------------------------------------------ */

/* inputs_kept fills what was padding: the struct, embedded by value in
   two request structs (report.h), keeps its size and layout on the
   64-bit targets the project builds for (x86-64, arm64). Where a double
   aligns to 4 bytes (i386) there was no such padding, and the struct
   grew there. */
_Static_assert(sizeof(void *) != 8 || sizeof(gpb_sim_options) == 96,
               "gpb_sim_options must keep its size (ABI)");
_Static_assert(sizeof(void *) != 8 ||
                   offsetof(gpb_sim_options, discount_rate_per_year) == 80,
               "gpb_sim_options must keep its layout (ABI)");
_Static_assert(offsetof(gpb_sim_options, inputs_kept) ==
                   offsetof(gpb_sim_options, rent_instead_of_buying) +
                       sizeof(int),
               "inputs_kept fills the padding after rent_instead_of_buying");

void gpb_sim_options_default(gpb_sim_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->struct_size = sizeof *opt;
    opt->paths = 10000;
    opt->seed = 20230225u; /* the date of the first source article */
    opt->threads = 0;
    opt->discount_rate_per_year = NAN;
}

/* The caller's options over the defaults, checked. */
static gpb_status options_resolve(const gpb_sim_options *in,
                                  gpb_sim_options *opt, gpb_error *err)
{
    gpb_sim_options_default(opt);
    if (in) {
        if (in->struct_size == 0)
            return gpb__fail(err, GPB_EINVAL,
                             "gpb_sim_options.struct_size is 0: fill the "
                             "options with gpb_sim_options_default()");
        size_t n = in->struct_size < sizeof *opt ? in->struct_size
                                                 : sizeof *opt;
        memcpy(opt, in, n);
        opt->struct_size = sizeof *opt;
    }
    if (opt->paths == 0 || (uint64_t)opt->paths > GPB_SIM_MAX_PATHS)
        return gpb__fail(err, GPB_EINVAL,
                         "paths must be between 1 and %llu, got %zu",
                         (unsigned long long)GPB_SIM_MAX_PATHS, opt->paths);
    if (opt->threads < 0)
        return gpb__fail(err, GPB_EINVAL, "threads must be >= 0, got %d",
                         opt->threads);
    if (opt->seed > GPB_SIM_MAX_SEED)
        return gpb__fail(err, GPB_EINVAL,
                         "seed must be from 0 to %llu (2^63 - 1), got %llu",
                         (unsigned long long)GPB_SIM_MAX_SEED,
                         (unsigned long long)opt->seed);
    if (!isnan(opt->discount_rate_per_year) &&
        !(opt->discount_rate_per_year > -1 &&
          isfinite(opt->discount_rate_per_year)))
        return gpb__fail(err, GPB_EINVAL,
                         "discount_rate_per_year must be above -1, got %g",
                         opt->discount_rate_per_year);
    if (opt->path_offset % GPB_SIM_BLOCK_PATHS)
        return gpb__fail(err, GPB_EINVAL,
                         "path_offset (%llu) must be a multiple of %d",
                         (unsigned long long)opt->path_offset,
                         GPB_SIM_BLOCK_PATHS);
    return GPB_OK;
}

/* ---- OpenBLAS kept quiet ------------------------------------------------ */

/*
 * The workers use no BLAS; OpenBLAS's own threads would only spin and take
 * cores from them (DESIGN.md, build facts), and the sensitivity's small
 * products keep their sums' order fixed on one thread. While any run or
 * sensitivity is under way OpenBLAS has one thread; the caller's setting
 * comes back when the last concurrent one ends. OpenBLAS's count is
 * process-wide, hence the lock and the count of users (internal.h).
 */
static pthread_mutex_t blas_lock = PTHREAD_MUTEX_INITIALIZER;
static int blas_users, blas_saved;

void gpb__blas_quiet_enter(void)
{
    pthread_mutex_lock(&blas_lock);
    if (blas_users++ == 0) {
        blas_saved = openblas_get_num_threads();
        if (blas_saved != 1)
            openblas_set_num_threads(1);
    }
    pthread_mutex_unlock(&blas_lock);
}

void gpb__blas_quiet_leave(void)
{
    pthread_mutex_lock(&blas_lock);
    if (--blas_users == 0 && blas_saved != 1)
        openblas_set_num_threads(blas_saved);
    pthread_mutex_unlock(&blas_lock);
}

static pthread_mutex_t blas_call_lock = PTHREAD_MUTEX_INITIALIZER;

void gpb__blas_lock(void)
{
    pthread_mutex_lock(&blas_call_lock);
}

void gpb__blas_unlock(void)
{
    pthread_mutex_unlock(&blas_call_lock);
}

/* ---- explaining a failure ----------------------------------------------- */

/* The input of a process with the largest magnitude: the likeliest cause
   of an overflow. */
static int largest_input(const eng_plan *p, const int *in, int n,
                         const gpb_trace *tr, double *value)
{
    int best = -1;
    double bv = -1;
    for (int k = 0; k < n; k++) {
        int i = in[k];
        double v = p->fixed[i];
        if (isnan(v) && tr)
            for (size_t j = 0; j < tr->n_inputs; j++)
                if (!strcmp(tr->input_paths[j], p->s->inputs[i].path))
                    v = tr->input_values[j];
        double a = fabs(v);
        if (!isfinite(a))
            a = INFINITY;
        if (a > bv) {
            bv = a;
            best = i;
            *value = v;
        }
    }
    return best;
}

static gpb_status trace_path(const gpb_scenario *s, const gpb_sim_options *o,
                             uint64_t path, int diagnose, gpb_trace **out,
                             gpb_error *err);

/* Replays path `path` to find the process and month whose figure first
   stopped being a number, and says so. */
static gpb_status explain(const gpb_scenario *s, const gpb_sim_options *o,
                          const eng_plan *p, uint64_t path, gpb_error *err)
{
    gpb_trace *tr = NULL;
    gpb_error e;
    if (trace_path(s, o, path, 1, &tr, &e) != GPB_OK) {
        if (err)
            *err = e;
        return e.status;
    }
    const eng_trace_rec *rec = &tr->rec;
    gpb_status st;
    double v = NAN;
    if (rec->bad_input >= 0) {
        const gpb__input *in = &s->inputs[rec->bad_input];
        /* Converted from its own currency: name the rates it went
           through, with this path's values. */
        char rates[256] = "";
        size_t at = 0;
        gpb_currency cs[2] = {in->currency, s->currency};
        for (int k = 0; k < 2; k++) {
            int ri = cs[k] != GPB_CURRENCY_NONE ? p->rate_input[cs[k]] : -1;
            if (ri < 0 || in->currency == s->currency || at >= sizeof rates)
                continue;
            double rv = NAN;
            largest_input(p, &ri, 1, tr, &rv);
            at += (size_t)snprintf(rates + at, sizeof rates - at, "%s%s = %g",
                                   at ? ", " : "; the rates: ",
                                   s->inputs[ri].path, rv);
        }
        st = gpb__fail_at(err, GPB_ENUMERIC, s->source_name, in->line,
                          in->column, in->path,
                          "path %llu: %s is not a finite number in %s "
                          "(check it and the exchange rates%s)",
                          (unsigned long long)path, in->path,
                          gpb_currency_code(s->currency), rates);
    } else if (rec->bad_month >= 0) {
        const eng_proc *pr = NULL;
        if (rec->bad_proc >= 0) {
            pr = &p->procs[rec->bad_proc];
        } else {
            for (size_t j = 0; j < p->n_procs && !pr && rec->bad_cat >= 0;
                 j++)
                if (p->procs[j].cat == rec->bad_cat ||
                    p->procs[j].kind == PK_FLEET)
                    pr = &p->procs[j];
            /* The cash itself overflowed (every category finite): blame
               the process with the largest input. */
            double best = -1;
            for (size_t j = 0; j < p->n_procs && rec->bad_cat < 0; j++) {
                double vj = NAN;
                if (largest_input(p, p->procs[j].inputs,
                                  p->procs[j].n_inputs, tr, &vj) >= 0 &&
                    !(fabs(vj) <= best)) {
                    best = isfinite(vj) ? fabs(vj) : INFINITY;
                    pr = &p->procs[j];
                }
            }
        }
        int i = pr ? largest_input(p, pr->inputs, pr->n_inputs, tr, &v)
                   : -1;
        const gpb__input *in = i >= 0 ? &s->inputs[i] : NULL;
        const char *what = rec->bad_proc >= 0
                               ? "gives a figure that is not a finite number"
                               : "adds up to more than a double can hold";
        st = gpb__fail_at(err, GPB_ENUMERIC, s->source_name,
                          in ? in->line : 0, in ? in->column : 0,
                          in ? in->path : "",
                          "path %llu, month %d: %s %s (overflow or NaN); its "
                          "largest input is %s = %g",
                          (unsigned long long)path, rec->bad_month,
                          pr ? pr->name : "the month's cash", what,
                          in ? in->path : "(none)", v);
    } else {
        st = gpb__fail(err, GPB_ENUMERIC,
                       "path %llu: a total over the horizon is not a finite "
                       "number (overflow): check the sizes of the amounts",
                       (unsigned long long)path);
    }
    gpb_trace_free(tr);
    return st;
}

/* ---- the run ------------------------------------------------------------ */

typedef struct worker worker;

typedef struct shared {
    const eng_plan *p;
    const gpb_sim_options *opt;
    gpb_result *r;
    size_t n_blocks;
    atomic_size_t next_block;
    atomic_size_t paths_done;
    atomic_int cancel;
    /* Workers that have finished, under `lock`; `finished` is signalled
       as each one does, for the caller reporting progress. */
    int workers_done;
    pthread_cond_t finished;
    pthread_mutex_t lock;
    /* The first failure, by block index, for a deterministic report. */
    gpb_status err_status;
    size_t err_block;
    gpb_error err;
    long bad_block;   /* block of the first non-finite path, or -1 */
    long bad_lane;
    int sketch_metrics;
    int no_fan;       /* GPB__SIM_NO_FAN: no month buffer, no fan */
    size_t n_workers; /* threads claiming blocks */
    /* Bands (engine.h), when not every path is kept: the kept values of
       the first pilot_blocks blocks give them, and every later block is
       counted against them once they are ready (0 pilot_blocks: none). */
    size_t pilot_blocks;
    atomic_size_t pilot_done;
    int bands_state;  /* under lock: 0 pending, 2 building, 1 ready,
                         -1 failed */
    atomic_size_t bands_next; /* the next metric to build bands for */
    atomic_size_t bands_left; /* metrics whose bands are not built yet */
    atomic_int bands_failed;
    pthread_cond_t bands_ready;
    uint64_t band_max; /* values a worker keeps inside one band */
    /* The fan's bands (eng_fan_bands), when there are bands and a fan:
       the first worker whose month sketches hold fan_n0 paths builds
       them from its own (fan_state 0 none yet, 2 building, 1 ready, -1
       failed: none), and from then each worker counts its blocks
       against them. */
    int fan_bands;
    atomic_int fan_state;
    size_t fan_n0;
} shared;

/* Blocks whose month values a worker holds before counting them:
   FLUSH_MAX, or as many as fit in FLUSH_BYTES when the horizon is long
   (at least FLUSH_MIN). Counting a month's values touches that month's
   sketch (tens of KiB each, growing as the paths' cash spreads; sixty of
   them are more than a core's L2), so the more values per visit, the
   fewer misses: at 60 months, 4 blocks per flush spent 0.27 CPU-s per
   10^6 paths in the sketches and 32 about half that; at 120 months, 16
   blocks spent 0.47 CPU-s and 32 0.34 (perf, bench-60m, 2026-12-03).
   With 32-bit keys, 128 blocks spent 362 samples against 32's 559 at 60
   months, and 256 or 512 no fewer (perf, 1 thread, the same day). Held
   as 16-bit codes
   (gpb__sketch_code16), 128 blocks hold 7.9 MiB a worker at 60 months
   (15.7 MiB as the keys' 32-bit upper halves, the same buckets: peak
   RSS at 10^6 paths of bench-60m 171.0 -> 156.6 MB, the time within the
   noise; at 120 months 226.4 -> 196.9 MB and 0.684 -> 0.676 s,
   2026-12-04). FLUSH_BYTES bounds all the workers' code buffers
   together: with many threads each holds fewer blocks (at least
   FLUSH_MIN). Besides its buffer, a worker has a month's codes decoded
   (mkeys, 4 bytes a value held: 256 KiB) and each held block's top
   exponent (mtop, 2 bytes a block and month).
   With the fan's bands (gpb_sim_run_kept) only the pilot's 256 blocks
   are held, and 16 MiB holds each worker's share of them at once up to
   64 months on any number of workers (16 MiB / (W · H · 1 KiB) blocks
   against 256 / W); at 120 months on two workers, 68 blocks a flush instead
   of 128 (two flushes of the pilot a worker) took bench-60m at 10^6
   paths from 0.565 to 0.525 s (kernel CPU 0.102 -> 0.072 s, user 0.945
   -> 0.927 s, peak RSS 76.3 -> 68.8 MB; right after the numpy model, 10
   rounds, 2026-12-05), and --qmc, which holds every block, stayed at
   0.70 s. At 64 MiB the longer horizon's buffer was fresh memory the
   bands never reused, and the benchmark's months rule missed on it. A
   run that counts its whole fan in sketches (--qmc, a run that keeps
   every path) on many workers now flushes smaller batches than it did
   (16 workers at 60 months: 17 blocks, not 68); on this project's two
   cores that was not measurable. */
#define FLUSH_BYTES (16u << 20)
#define FLUSH_MIN 4u
#define FLUSH_MAX 128u

struct worker {
    shared *sh;
    eng_block *b;
    uint16_t *mcash;        /* [month][flush · LANES]: gpb__sketch_code16 */
    uint16_t *mtop;         /* [month][flush]: each held block's top */
    uint32_t *mkeys;        /* flush · LANES: a month's codes decoded */
    gpb__sketch_pool *pool; /* the pages of the worker's sketches */
    uint64_t *mext;         /* [month][2]: the held values' extreme keys */
    uint64_t *fan_cnt;      /* [month · GPB__FAN_BANDS_MAX · 2]: below and
                               inside each band (eng_fan's below) */
    uint64_t *fan_ext;      /* [month][2]: extreme keys counted by bands */
    int fan_on;             /* counting against the fan's bands */
    size_t coded;           /* paths whose codes were counted */
    double *rt_min;         /* LANES */
    size_t flush;           /* blocks held before counting */
    size_t held;            /* paths held: blocks are full but the run's last,
                               after which the values are counted */
    const double **out;  /* n_metrics: the block's values (block_run) */
    double *out_store;   /* n_metrics × LANES: those it computes */
    gpb__sketch *sk_cash, *sk_metric, rt_sketch;
    uint64_t *out_month;
    gpb__fixed *ledger;
    gpb__sketch *sk_ledger; /* [month · CAT + c] with ledger quantiles */
    unsigned char *nonzero;
    uint64_t *kext_lo, *kext_hi; /* [metric]: gpb_result's kext */
    unsigned char *kext_big;
    eng_bands *bacc;        /* [metric]: counts against the bands, or NULL */
    double *arena;          /* bacc's values (gpb__bands_reserve), until the
                               result takes it */
    uint64_t **ncount;      /* [metric][0 .. H]: gpb_result's, or NULL */
    eng_extreme *ext;       /* [metric]: gpb_result's extreme, or NULL */
    int cpu;
};

static void worker_free(worker *w, const eng_plan *p)
{
    gpb__block_free(w->b);
    free(w->mcash);
    free(w->mtop);
    free(w->mkeys);
    free(w->mext);
    free(w->fan_cnt);
    free(w->fan_ext);
    free(w->rt_min);
    gpb__sketch_free(&w->rt_sketch);
    free(w->out);
    free(w->out_store);
    if (w->sk_cash)
        for (int m = 0; m < p->H; m++)
            gpb__sketch_free(&w->sk_cash[m]);
    free(w->sk_cash);
    if (w->sk_metric)
        for (size_t i = 0; i < p->n_metrics; i++)
            gpb__sketch_free(&w->sk_metric[i]);
    free(w->sk_metric);
    free(w->out_month);
    free(w->ledger);
    if (w->sk_ledger)
        for (size_t k = 0; k < (size_t)p->H * GPB_CAT_COUNT; k++)
            gpb__sketch_free(&w->sk_ledger[k]);
    free(w->sk_ledger);
    free(w->nonzero);
    free(w->kext_lo);
    free(w->kext_hi);
    free(w->kext_big);
    gpb__bands_free(w->bacc, w->bacc ? p->n_metrics : 0);
    free(w->bacc);
    free(w->arena);
    for (size_t i = 0; w->ncount && i < p->n_metrics; i++)
        free(w->ncount[i]);
    free(w->ncount);
    free(w->ext);
    gpb__sketch_pool_free(w->pool); /* after the sketches it holds pages of */
}

static int worker_init(worker *w, shared *sh)
{
    const eng_plan *p = sh->p;
    memset(w, 0, sizeof *w);
    w->sh = sh;
    w->b = gpb__block_new(p);
    w->out = calloc(p->n_metrics, sizeof *w->out);
    w->out_store = malloc(p->n_metrics * LANES * sizeof *w->out_store);
    w->sk_cash = calloc((size_t)p->H, sizeof *w->sk_cash);
    w->pool = gpb__sketch_pool_new();
    gpb__sketch_init_pooled(&w->rt_sketch, w->pool);
    w->rt_min = malloc(LANES * sizeof *w->rt_min);
    w->out_month = calloc(4 * ((size_t)p->H + 1), sizeof *w->out_month);
    w->nonzero = calloc(p->n_metrics, 1);
    w->kext_lo = malloc((p->n_metrics + 1) * sizeof *w->kext_lo);
    w->kext_hi = calloc(p->n_metrics + 1, sizeof *w->kext_hi);
    w->kext_big = calloc(p->n_metrics + 1, 1);
    w->ledger = calloc((size_t)p->H * GPB_CAT_COUNT, sizeof *w->ledger);
    /* FLUSH_BYTES is for all the workers together, so that many threads
       do not hold more than a few. */
    size_t fl = FLUSH_BYTES / (sh->n_workers * (size_t)p->H * LANES *
                               sizeof *w->mcash);
    fl = fl < FLUSH_MIN ? FLUSH_MIN : fl > FLUSH_MAX ? FLUSH_MAX : fl;
    /* No more than the blocks a worker can get: a small run (a swing run,
       a check's) allocates and maps only what it uses. */
    size_t share = (sh->n_blocks + sh->n_workers - 1) / sh->n_workers;
    w->flush = share < fl ? share : fl; /* share >= 1: workers <= blocks */
    if (!sh->no_fan) {
        size_t nb = (size_t)p->H * w->flush * LANES;
        w->mcash = gpb__alloc_big(nb * sizeof *w->mcash);
        w->mtop = malloc((size_t)p->H * w->flush * sizeof *w->mtop);
        w->mkeys = malloc(w->flush * LANES * sizeof *w->mkeys);
        w->mext = malloc(2 * (size_t)p->H * sizeof *w->mext);
        if (sh->fan_bands) {
            w->fan_cnt = calloc((size_t)p->H * GPB__FAN_BANDS_MAX * 2,
                                sizeof *w->fan_cnt);
            w->fan_ext = malloc(2 * (size_t)p->H * sizeof *w->fan_ext);
            if (!w->fan_cnt || !w->fan_ext)
                return -1;
            for (int m = 0; m < p->H; m++) {
                w->fan_ext[2 * m] = UINT64_MAX;
                w->fan_ext[2 * m + 1] = 0;
            }
        }
    }
    if (!w->b || !w->out || !w->out_store || !w->sk_cash || !w->pool ||
        !w->rt_min ||
        !w->out_month || !w->nonzero || !w->ledger ||
        (!sh->no_fan && (!w->mcash || !w->mtop || !w->mkeys || !w->mext)) ||
        !w->kext_lo ||
        !w->kext_hi || !w->kext_big)
        return -1;
    for (size_t i = 0; i < p->n_metrics; i++)
        w->kext_lo[i] = UINT64_MAX;
    for (int m = 0; m < p->H; m++) {
        gpb__sketch_init_pooled(&w->sk_cash[m], w->pool);
        if (w->mext) {
            w->mext[2 * m] = UINT64_MAX;
            w->mext[2 * m + 1] = 0;
        }
    }
    if (p->ledger == 2) {
        size_t nl = (size_t)p->H * GPB_CAT_COUNT;
        w->sk_ledger = calloc(nl, sizeof *w->sk_ledger);
        if (!w->sk_ledger)
            return -1;
        for (size_t k = 0; k < nl; k++)
            gpb__sketch_init_pooled(&w->sk_ledger[k], w->pool);
        gpb__block_set_ledger_sketches(w->b, w->sk_ledger);
    }
    if (sh->pilot_blocks) {
        w->ncount = calloc(p->n_metrics, sizeof *w->ncount);
        w->ext = calloc(p->n_metrics, sizeof *w->ext);
        if (!w->ncount || !w->ext)
            return -1;
        for (size_t i = 0; i < p->n_metrics; i++)
            if (sh->r->ncount[i] &&
                !(w->ncount[i] = calloc((size_t)p->H + 1, sizeof **w->ncount)))
                return -1;
    }
    if (sh->sketch_metrics) {
        w->sk_metric = calloc(p->n_metrics, sizeof *w->sk_metric);
        if (!w->sk_metric)
            return -1;
        for (size_t i = 0; i < p->n_metrics; i++)
            gpb__sketch_init_pooled(&w->sk_metric[i], w->pool);
    }
    return 0;
}

static void record_error(shared *sh, size_t block, gpb_status st,
                         const gpb_error *e)
{
    pthread_mutex_lock(&sh->lock);
    if (!sh->err_status || block < sh->err_block) {
        sh->err_status = st;
        sh->err_block = block;
        sh->err = *e;
    }
    pthread_mutex_unlock(&sh->lock);
    atomic_store(&sh->cancel, 1);
}

/* The mean and M2 (Σ (x − mean)²) of x[0..n-1] in two passes, each an
   eight-way sum in a fixed order (lane i into partial i mod 8, then the
   partials pairwise), so it vectorises and a block gives the same bits on
   any machine's clone; *nz: whether any value is not 0. */
GPB__VCLONES static void block_moments(const double *x, size_t n,
                                       double *mean_out, double *m2_out,
                                       int *nz)
{
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0}, q[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int any = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
#pragma omp simd reduction(| : any)
        for (int k = 0; k < 8; k++) {
            s[k] += x[i + k];
            any |= x[i + k] != 0;
        }
    for (; i < n; i++) {
        s[i % 8] += x[i];
        any |= x[i] != 0;
    }
    double sum = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    double mean = sum / (double)n;
    if (!isfinite(mean)) {
        /* Finite values whose sum overflows: sum their shares. */
        mean = 0;
        for (size_t j = 0; j < n; j++)
            mean += x[j] / (double)n;
    }
    for (i = 0; i + 8 <= n; i += 8)
#pragma omp simd
        for (int k = 0; k < 8; k++) {
            double d = x[i + k] - mean;
            q[k] += d * d;
        }
    for (; i < n; i++)
        q[i % 8] += (x[i] - mean) * (x[i] - mean);
    *mean_out = mean;
    *m2_out = ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]));
    *nz = any;
}

/* A narrow metric's values of a block (every path, kept or not) as
   whole numbers: code[i] = v[i] where it is a whole number from 0 to top,
   else 0 (what is stored: the run then fails, record_error). Returns 1
   when every value is one. In passes that vectorise (floor is an
   instruction in the wide clones, a call in the baseline). */
GPB__VCLONES static int narrow_codes(const double *v, size_t n, double top,
                                     uint16_t *code)
{
    int whole = 1;
#pragma omp simd reduction(& : whole)
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        int ok = x >= 0 && x <= top && x == floor(x);
        whole &= ok;
        code[i] = (uint16_t)(ok ? x : 0.0);
    }
    return whole;
}

/* Counts a block's whole values code[0..n), each 0 .. H (narrow_codes),
   into cnt: through four tables (GPB__COUNT4; 9.6 KB of stack at the
   longest horizon), since a run of one value made each add wait for the
   one before. */
static void narrow_count(const uint16_t *code, size_t n, int H,
                         uint64_t *cnt)
{
    enum { STRIDE = GPB__MAX_HORIZON_MONTHS + 1 };
    if (H >= STRIDE) { /* (a horizon the scenario refuses) */
        for (size_t i = 0; i < n; i++)
            cnt[code[i]]++;
        return;
    }
    uint32_t t[4 * STRIDE];
    for (int k = 0; k < 4; k++)
        memset(t + k * STRIDE, 0, ((size_t)H + 1) * sizeof *t);
    GPB__COUNT4(t, STRIDE, code, n);
    for (int x = 0; x <= H; x++)
        cnt[x] += GPB__COUNT4_AT(t, STRIDE, (size_t)x);
}

/* Copies a block's paths into the result: kept rows, sketches, the
   block's means, which metrics are ever non-zero, the keys' extremes. */
static void store_block(worker *w, size_t blk, size_t n)
{
    shared *sh = w->sh;
    const eng_plan *p = sh->p;
    gpb_result *r = sh->r;
    size_t first = blk * LANES;
    size_t keep = first < r->kept ? r->kept - first : 0;
    if (keep > n)
        keep = n;
    for (size_t m = 0; m < p->n_metrics; m++) {
        if (p->metrics[m].constant)
            continue; /* the plan knows it: gpb_result_mean too */
        const double *v = w->out[m];
        int nz = 0;
        double mean, m2;
        block_moments(v, n, &mean, &m2, &nz);
        r->blk_mean[blk * p->n_metrics + m] = mean;
        r->blk_m2[blk * p->n_metrics + m] = m2;
        w->nonzero[m] |= (unsigned char)nz;
        uint64_t lo, hi;
        int big;
        gpb__value_extremes(v, n, &lo, &hi, &big);
        w->kext_lo[m] = lo < w->kext_lo[m] ? lo : w->kext_lo[m];
        w->kext_hi[m] = hi > w->kext_hi[m] ? hi : w->kext_hi[m];
        w->kext_big[m] |= (unsigned char)big;
        if (w->ext && !p->metrics[m].derived)
            gpb__extreme_add(&w->ext[m], v, n, first, lo, hi);
        if (r->values[m] && keep)
            memcpy(r->values[m] + first, v, keep * sizeof *v);
        if (r->narrow[m]) {
            /* Whole, 0 .. H, by the plan; a value that is not is the
               engine's own error, reported, never stored wrong. */
            uint64_t *cnt = w->ncount ? w->ncount[m] : NULL;
            const double top = cnt ? (double)p->H : 65535;
            uint16_t code[LANES];
            int whole = narrow_codes(v, n, top, code);
            if (keep)
                memcpy(r->narrow[m] + first, code, keep * sizeof *code);
            /* (Not every value whole: the run fails, record_error.) */
            if (cnt && whole)
                narrow_count(code, n, p->H, cnt);
            if (!whole) {
                gpb_error e;
                record_error(sh, blk,
                             gpb__fail(&e, GPB_ENUMERIC,
                                       "internal error: '%s' took a value "
                                       "that is not a whole number from 0 "
                                       "to %.0f",
                                       p->metrics[m].name, top),
                             &e);
            }
        }
        if (w->sk_metric && !p->metrics[m].constant)
            gpb__sketch_add_n(&w->sk_metric[m], v, n);
    }
    if (r->raise_months) {
        if (keep)
            memcpy(r->rt_min + first, w->rt_min, keep * sizeof(double));
        if (r->kept < r->paths)
            gpb__sketch_add_n(&w->rt_sketch, w->rt_min, n);
    }
    size_t keep_in = first >= r->kept_inputs ? 0
                     : first + keep <= r->kept_inputs ? keep
                                                      : r->kept_inputs - first;
    for (size_t k = 0; keep_in && k < r->n_inputs; k++)
        memcpy(r->inputs[k] + first, gpb__block_input(w->b, k),
               keep_in * sizeof(double));
    for (int c = 0; keep && c < GPB_CURRENCY_COUNT; c++)
        if (r->per_usd[c])
            memcpy(r->per_usd[c] + first, gpb__block_per_usd(w->b, c),
                   keep * sizeof(double));
}

/* The time ms milliseconds from now, for pthread_cond_timedwait. */
static struct timespec deadline_in(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += ms * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Builds the bands of metrics claimed one at a time until none is left;
   the worker that finishes the last marks them ready. Every worker that
   reaches the bands while they are being built helps. */
static void bands_help(shared *sh, size_t blk)
{
    const size_t nm = sh->p->n_metrics;
    gpb__select_work wk = {0};
    for (;;) {
        size_t m = atomic_fetch_add(&sh->bands_next, 1);
        if (m >= nm)
            break;
        if (gpb__bands_build(sh->r, sh->pilot_blocks * LANES, m,
                             &sh->r->bands[m], &wk))
            atomic_store(&sh->bands_failed, 1);
        if (atomic_fetch_sub(&sh->bands_left, 1) != 1)
            continue;
        int ok = !atomic_load(&sh->bands_failed);
        if (!ok) {
            gpb_error e;
            record_error(sh, blk,
                         gpb__fail(&e, GPB_ENOMEM,
                                   "out of memory for the quantile bands"),
                         &e);
        }
        pthread_mutex_lock(&sh->lock);
        sh->bands_state = ok ? 1 : -1;
        pthread_cond_broadcast(&sh->bands_ready);
        pthread_mutex_unlock(&sh->lock);
    }
    gpb__select_work_free(&wk);
}

/* The last pilot block is stored: the bands can be built. */
static void bands_build(shared *sh, size_t blk)
{
    pthread_mutex_lock(&sh->lock);
    sh->bands_state = sh->p->n_metrics ? 2 : 1;
    pthread_cond_broadcast(&sh->bands_ready);
    pthread_mutex_unlock(&sh->lock);
    bands_help(sh, blk);
}

/* Counts block blk's n paths (after the pilot) against the bands, once
   they are ready. 0, or -1 when the run stops (cancelled, failed, out of
   memory). */
static int bands_count(worker *w, size_t blk, size_t n)
{
    shared *sh = w->sh;
    const eng_plan *p = sh->p;
    gpb_result *r = sh->r;
    pthread_mutex_lock(&sh->lock);
    while (sh->bands_state != 1 && sh->bands_state != -1 &&
           !atomic_load(&sh->cancel)) {
        if (sh->bands_state == 2) { /* help build them */
            pthread_mutex_unlock(&sh->lock);
            bands_help(sh, blk);
            pthread_mutex_lock(&sh->lock);
            if (sh->bands_state != 2)
                continue;
        }
        /* Timed: a cancel from the caller's progress callback does not
           signal this condition. */
        struct timespec ts = deadline_in(20);
        pthread_cond_timedwait(&sh->bands_ready, &sh->lock, &ts);
    }
    int state = sh->bands_state;
    pthread_mutex_unlock(&sh->lock);
    if (state != 1)
        return -1;
    if (!w->bacc) {
        w->bacc = calloc(p->n_metrics, sizeof *w->bacc);
        if (!w->bacc)
            goto oom;
        /* The worker's share of the paths after the pilot, as the pilot
           filled each band. */
        size_t n0 = sh->pilot_blocks * LANES;
        size_t later = (r->paths - n0) / sh->n_workers;
        for (size_t m = 0; m < p->n_metrics; m++) {
            w->bacc[m].n = r->bands[m].n;
            for (size_t j = 0; j < r->bands[m].n; j++) {
                w->bacc[m].b[j].lo = r->bands[m].b[j].lo;
                w->bacc[m].b[j].hi = r->bands[m].b[j].hi;
            }
        }
        if (gpb__bands_reserve(r->bands, p->n_metrics, n0, later, w->bacc,
                               &w->arena))
            goto oom;
    }
    for (size_t m = 0; m < p->n_metrics; m++)
        if (r->bands[m].n &&
            gpb__bands_count(&r->bands[m], w->out[m], n, &w->bacc[m],
                             sh->band_max))
            goto oom;
    return 0;
oom:;
    gpb_error e;
    record_error(sh, blk,
                 gpb__fail(&e, GPB_ENOMEM,
                           "out of memory for the quantile bands"),
                 &e);
    return -1;
}

/* Counts the month values held into the month sketches, month by month.
   A month's values are contiguous: every block held is full but perhaps
   the last (the run's last block, after which a worker claims no more). */
static void flush_months(worker *w)
{
    const eng_plan *p = w->sh->p;
    const size_t stride = w->flush * LANES;
    for (int m = 0; w->mcash && m < p->H; m++) {
        if (w->held)
            gpb__sketch_add_codes16(&w->sk_cash[m],
                                    w->mcash + (size_t)m * stride,
                                    w->mtop + (size_t)m * w->flush, w->held,
                                    LANES, w->mext[2 * m],
                                    w->mext[2 * m + 1], w->mkeys);
        w->mext[2 * m] = UINT64_MAX;
        w->mext[2 * m + 1] = 0;
    }
    w->coded += w->held;
    w->held = 0;
    /* The first worker whose sketches hold enough paths builds the fan's
       bands from them; the others go on meanwhile. */
    shared *sh = w->sh;
    int idle = 0;
    if (sh->fan_bands && p->H > 0 && w->coded >= sh->fan_n0 &&
        atomic_load(&sh->fan_state) == 0 &&
        atomic_compare_exchange_strong(&sh->fan_state, &idle, 2))
        atomic_store(&sh->fan_state,
                     gpb__fan_bands_build(sh->r, w->sk_cash) ? -1 : 1);
}

/*
 * Pins the calling thread to cpu (cpu < 0: leaves it alone) and returns
 * 1 with its former CPU set in *was, for unpin. Worker 0 runs on the
 * caller's thread: left pinned, every thread the caller starts afterwards
 * (the report's selection, the sensitivity's ranks, a spreadsheet's own)
 * would inherit the one CPU and share it.
 */
#ifdef __linux__
typedef cpu_set_t gpb__cpus;
#else
typedef int gpb__cpus;
#endif

static int pin(int cpu, gpb__cpus *was)
{
#ifdef __linux__
    if (cpu < 0 ||
        pthread_getaffinity_np(pthread_self(), sizeof *was, was) != 0)
        return 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
#else
    (void)cpu;
    (void)was;
    return 0;
#endif
}

static void unpin(int pinned, const gpb__cpus *was)
{
#ifdef __linux__
    if (pinned)
        pthread_setaffinity_np(pthread_self(), sizeof *was, was);
#else
    (void)pinned;
    (void)was;
#endif
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    const gpb_result *r = sh->r;
    const eng_plan *p = sh->p;
    gpb__cpus was;
    int pinned = pin(w->cpu, &was);
    for (;;) {
        if (atomic_load(&sh->cancel))
            break;
        size_t blk = atomic_fetch_add(&sh->next_block, 1);
        /* Once the fan's bands are ready, this worker's blocks are
           counted against them, its held codes first counted. */
        if (!w->fan_on && sh->fan_bands &&
            atomic_load(&sh->fan_state) == 1) {
            flush_months(w);
            w->fan_on = 1;
            /* The held codes are counted, and none are held again: their
               buffer (a worker's largest, 3.9 MB in bench-60m) goes back
               now. The values inside the metrics' bands, for which each
               worker reserves about as much when those bands are ready,
               then take pages this process has just used instead of
               fresh ones, which cost twenty times more to touch where the
               host has taken them back (bench/README.md, kern s). */
            free(w->mcash);
            w->mcash = NULL;
        }
        if (blk >= sh->n_blocks)
            break;
        size_t first = blk * LANES;
        size_t n = r->paths - first < LANES ? r->paths - first : LANES;
        gpb_error e;
        long bad = -1;
        eng_fan fan = {0};
        if (w->fan_on) /* counted against the bands */
            fan = (eng_fan){.ext = w->fan_ext, .esc = w->sk_cash,
                            .bands = sh->r->fanb, .below = w->fan_cnt};
        else if (w->mcash) /* the block's slot among those held */
            fan = (eng_fan){w->mcash + w->held, w->mtop + w->held / LANES,
                            w->flush * LANES, w->flush, w->mext, w->sk_cash,
                            NULL, NULL};
        gpb_status st = gpb__block_run(
            w->b, r->path_offset + first, n, w->out_store, w->out,
            w->mcash || w->fan_on ? &fan : NULL,
            r->raise_months ? w->rt_min : NULL,
            w->out_month, p->ledger ? w->ledger : NULL, NULL, &bad, &e);
        if (st) {
            record_error(sh, blk, st, &e);
            break;
        }
        if (bad >= 0) {
            pthread_mutex_lock(&sh->lock);
            if (sh->bad_block < 0 || (long)blk < sh->bad_block) {
                sh->bad_block = (long)blk;
                sh->bad_lane = bad;
            }
            pthread_mutex_unlock(&sh->lock);
            atomic_store(&sh->cancel, 1);
            break;
        }
        store_block(w, blk, n);
        if (sh->pilot_blocks && blk >= sh->pilot_blocks &&
            bands_count(w, blk, n))
            break;
        if (sh->pilot_blocks && blk < sh->pilot_blocks &&
            atomic_fetch_add(&sh->pilot_done, 1) + 1 == sh->pilot_blocks)
            bands_build(sh, blk);
        /* The month values held are counted after the block is stored
           and the pilot's count taken: a flush takes tens of
           milliseconds, and made before the store of the pilot's last
           block it kept the other workers waiting for the bands. */
        if (!w->fan_on) {
            w->held += n;
            /* Counted when the buffer is full, and as soon as there are
               enough for the fan's bands. */
            if (w->held == w->flush * LANES || n < LANES ||
                (sh->fan_bands && atomic_load(&sh->fan_state) == 0 &&
                 w->coded + w->held >= sh->fan_n0))
                flush_months(w);
        }
        atomic_fetch_add(&sh->paths_done, n);
    }
    flush_months(w);
    pthread_mutex_lock(&sh->lock);
    sh->workers_done++;
    pthread_cond_signal(&sh->finished);
    pthread_mutex_unlock(&sh->lock);
    unpin(pinned, &was);
    return NULL;
}

/* The CPUs this process may run on, for pinning one worker to each. */
static int cpus_allowed(int *cpus, int max)
{
    int n = 0;
#ifdef __linux__
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        for (int c = 0; c < CPU_SETSIZE && n < max; c++)
            if (CPU_ISSET(c, &set))
                cpus[n++] = c;
#endif
    if (n == 0) {
        long k = sysconf(_SC_NPROCESSORS_ONLN);
        n = k > 0 ? (int)(k < max ? k : max) : 1;
        for (int c = 0; c < n; c++)
            cpus[c] = -1;
    }
    return n;
}

/* Bytes a kept path costs: each metric that varies, each uncertain input,
   each uncertain exchange rate. */
static size_t bytes_per_path(const eng_plan *p)
{
    size_t cols = p->n_unc + (p->raise_months != 0), narrow = 0;
    for (size_t i = 0; i < p->n_metrics; i++) {
        int stored = !p->metrics[i].constant && !p->metrics[i].derived;
        cols += stored && !p->metrics[i].narrow;
        narrow += stored && p->metrics[i].narrow;
    }
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        cols += p->rate_input[c] >= 0 && isnan(p->rate_fixed[c]);
    return cols * sizeof(double) + narrow * sizeof(uint16_t);
}

/* gpb__sketch_merge with gpb__sketch_take's signature. */
static int sketch_merge_from(gpb__sketch *into, gpb__sketch *from)
{
    return gpb__sketch_merge(into, from);
}

static gpb_status run_workers(shared *sh, int threads, gpb_error *err)
{
    const eng_plan *p = sh->p;
    gpb_result *r = sh->r;
    int cpus[256];
    int ncpu = cpus_allowed(cpus, 256);
    worker *ws = calloc((size_t)threads, sizeof *ws);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    int started = 0;
    gpb_status st = GPB_OK;
    if (!ws || !tids) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory starting workers");
        goto done;
    }
    sh->n_workers = (size_t)threads;
    for (int t = 0; t < threads; t++) {
        if (worker_init(&ws[t], sh)) {
            st = gpb__fail(err, GPB_ENOMEM, "out of memory for a worker");
            goto done;
        }
        ws[t].cpu = threads > 1 ? cpus[t % ncpu] : -1;
    }
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, worker_main, &ws[t]) != 0)
            break;
        started = t;
    }
    if (sh->opt->progress) {
        /* The caller's thread reports progress (and so may cancel) while
           the workers run, even when there is one: it wakes when a worker
           finishes or every 50 ms. */
        pthread_t self;
        int ok = pthread_create(&self, NULL, worker_main, &ws[0]) == 0;
        if (!ok)
            worker_main(&ws[0]);
        int all = started + 1, first = 1;
        pthread_mutex_lock(&sh->lock);
        while (ok && (first || sh->workers_done < all)) {
            pthread_mutex_unlock(&sh->lock);
            size_t done = atomic_load(&sh->paths_done);
            /* Always once (so a caller can cancel however fast the run
               is), then while paths remain. */
            if ((first || done < r->paths) &&
                sh->opt->progress(sh->opt->progress_ctx, done, r->paths))
                atomic_store(&sh->cancel, 1);
            first = 0;
            struct timespec ts = deadline_in(50);
            pthread_mutex_lock(&sh->lock);
            if (sh->workers_done < all)
                pthread_cond_timedwait(&sh->finished, &sh->lock, &ts);
        }
        pthread_mutex_unlock(&sh->lock);
        if (ok)
            pthread_join(self, NULL);
    } else {
        worker_main(&ws[0]);
    }
    for (int t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    if (sh->opt->progress && !atomic_load(&sh->cancel))
        sh->opt->progress(sh->opt->progress_ctx, r->paths, r->paths);
    /* Integer counts: merged exactly, in any order. The result's sketches
       (empty) take the first worker's as they are, pages and pool, and
       the result keeps that pool; the others' counts are added into them
       (their pages, even where the first worker's sketch was empty, come
       from that pool: a later worker's pool goes with the worker). */
    if (threads > 0 && !r->sketch_pool) { /* (one run_workers a result) */
        r->sketch_pool = ws[0].pool;
        ws[0].pool = NULL;
    }
    for (int t = 0; t < threads && !st; t++) {
        int (*add)(gpb__sketch *, gpb__sketch *) =
            t == 0 && !ws[0].pool ? gpb__sketch_take : sketch_merge_from;
        for (int m = 0; m < p->H; m++)
            if (add(&r->sk_cash[m], &ws[t].sk_cash[m]))
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        if (add(&r->rt_sketch, &ws[t].rt_sketch))
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        for (int m = 0; m <= p->H; m++) /* its four tables */
            r->out_month[m] +=
                GPB__COUNT4_AT(ws[t].out_month, (size_t)p->H + 1, (size_t)m);
        for (size_t k = 0; k < (size_t)p->H * GPB_CAT_COUNT; k++) {
            r->ledger[k] += ws[t].ledger[k];
            if (r->sk_ledger && ws[t].sk_ledger &&
                add(&r->sk_ledger[k], &ws[t].sk_ledger[k]))
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < p->n_metrics; i++) {
            r->nonzero[i] |= ws[t].nonzero[i];
            if (t == 0 || ws[t].kext_lo[i] < r->kext_lo[i])
                r->kext_lo[i] = ws[t].kext_lo[i];
            if (t == 0 || ws[t].kext_hi[i] > r->kext_hi[i])
                r->kext_hi[i] = ws[t].kext_hi[i];
            r->kext_big[i] |= ws[t].kext_big[i];
            if (ws[t].sk_metric &&
                add(&r->msketch[i], &ws[t].sk_metric[i]))
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
            if (ws[t].bacc && r->bands[i].n &&
                gpb__bands_add(&r->bands[i], &ws[t].bacc[i]))
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
            for (int x = 0; ws[t].ncount && ws[t].ncount[i] && x <= p->H; x++)
                r->ncount[i][x] += ws[t].ncount[i][x];
            if (ws[t].ext && r->extreme)
                gpb__extreme_merge(&r->extreme[i], &ws[t].ext[i]);
        }
    }
    /* The fan's bands: the paths below each, those in the sketch (every
       value counted before the bands, and those inside them after)
       and those counted against them outside every band; every path's
       extremes. */
    for (int m = 0; r->fanb && m < p->H && !st; m++) {
        eng_fan_bands *fb = &r->fanb[m];
        const gpb__sketch *sk = &r->sk_cash[m];
        uint64_t klo = sk->n ? gpb__sketch_key(sk->min) : UINT64_MAX;
        uint64_t khi = sk->n ? gpb__sketch_key(sk->max) : 0;
        for (unsigned j = 0; j < fb->n; j++) {
            uint64_t seen = 0, b;
            if (fb->lo[j] > 0)
                gpb__sketch_walk(sk, 0, fb->lo[j] - 1u, &seen, UINT64_MAX,
                                 &b);
            fb->below[j] = seen;
        }
        for (int t = 0; t < threads; t++) {
            const uint64_t *c =
                ws[t].fan_cnt
                    ? ws[t].fan_cnt + (size_t)m * GPB__FAN_BANDS_MAX * 2
                    : NULL;
            uint64_t inside = 0; /* in the bands below band j */
            for (unsigned j = 0; c && j < fb->n; j++) {
                fb->below[j] += c[2 * j] - inside;
                inside += c[2 * j + 1];
            }
            if (ws[t].fan_ext) {
                klo = ws[t].fan_ext[2 * m] < klo ? ws[t].fan_ext[2 * m] : klo;
                khi = ws[t].fan_ext[2 * m + 1] > khi ? ws[t].fan_ext[2 * m + 1]
                                                   : khi;
            }
        }
        r->fan_min[m] = gpb__sketch_key_value(klo);
        r->fan_max[m] = gpb__sketch_key_value(khi);
    }
    /* The workers' arenas hold band values the result now points to. */
    if (r->bands && !st) {
        r->band_arena = calloc((size_t)threads, sizeof *r->band_arena);
        if (!r->band_arena)
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        for (int t = 0; r->band_arena && t < threads; t++)
            if (ws[t].arena) {
                r->band_arena[r->n_band_arena++] = ws[t].arena;
                ws[t].arena = NULL;
            }
    }
    r->kext_ok = !st && r->kept == r->paths;
done:
    if (ws)
        for (int t = 0; t < threads; t++)
            worker_free(&ws[t], p);
    free(ws);
    free(tids);
    return st;
}

gpb_status gpb_sim_run(const gpb_scenario *s, const gpb_sim_options *opt_in,
                       gpb_result **out, gpb_error *err)
{
    return gpb__sim_run(s, opt_in, 0, 0, out, err);
}

gpb_status gpb_sim_run_kept(const gpb_scenario *s,
                            const gpb_sim_options *opt, size_t kept_paths_max,
                            gpb_result **out, gpb_error *err)
{
    return gpb__sim_run(s, opt, 0, kept_paths_max, out, err);
}

gpb_status gpb__sim_run(const gpb_scenario *s, const gpb_sim_options *opt_in,
                        unsigned flags, size_t kept_paths_max,
                        gpb_result **out, gpb_error *err)
{
    if (!s || !out)
        return gpb__fail(err, GPB_EINVAL, "scenario and out must not be NULL");
    *out = NULL;
    gpb_sim_options opt;
    GPB__TRY(options_resolve(opt_in, &opt, err));
    if (s->horizon_months < 1)
        return gpb__fail(err, GPB_EINVAL, "the scenario has no months");
    eng_plan p;
    gpb_status st = gpb__plan_build(&p, s, &opt, err);
    if (!st)
        st = gpb__plan_qmc(&p, opt.path_offset, opt.paths, err);
    if (st) {
        gpb__plan_free(&p);
        return st;
    }
    size_t budget = opt.memory_budget_bytes ? opt.memory_budget_bytes
                                            : GPB_SIM_MEMORY_BUDGET_DEFAULT;
    size_t per = bytes_per_path(&p);
    size_t cap = per ? budget / per : SIZE_MAX;
    if (cap < 1)
        cap = 1;
    if (kept_paths_max) {
        /* Whole blocks, at least one, and bands only where they fit in
           the memory budget (their values grow with the paths: at n0 =
           2^17 about 7% of them a metric kept as doubles); else the run
           is gpb_sim_run's. */
        size_t most = kept_paths_max < LANES
                          ? LANES
                          : kept_paths_max / LANES * LANES;
        most = gpb__kept_paths_for(opt.paths, most);
        if (most < cap && most < opt.paths &&
            gpb__bands_bytes(p.metrics, p.n_metrics, opt.paths, most) <=
                (double)budget)
            cap = most;
        else
            kept_paths_max = 0;
    }
    size_t kept = gpb__kept_paths_for(opt.paths, cap);
    gpb_result *r = NULL;
    /* The sampled inputs of the first inputs_kept kept paths only, when
       asked (sim.h): the budget above still counts them for every kept
       path, so which paths are kept does not depend on it. */
    size_t kept_in = opt.inputs_kept && opt.inputs_kept < kept
                         ? opt.inputs_kept
                         : kept;
    st = gpb__result_new(&p, opt.paths, opt.path_offset, kept, kept_in, &r,
                         err);
    if (!st)
        r->inputs_req = opt.inputs_kept;
    if (st) {
        gpb__plan_free(&p);
        return st;
    }
    r->kept_cap = cap;
    r->seed = opt.seed;
    r->quasi = opt.quasi_random;
    r->s_id = s;
    r->has_ledger = p.ledger;
    if (p.ledger == 2 && gpb__result_ledger_sketches(r)) {
        gpb_result_free(r);
        gpb__plan_free(&p);
        return gpb__fail(err, GPB_ENOMEM, "out of memory for the ledger");
    }
    if (p.raise_months) {
        r->raise_months = p.raise_months;
        r->rt_min = malloc(kept * sizeof *r->rt_min);
        if (!r->rt_min) {
            gpb_result_free(r);
            gpb__plan_free(&p);
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
        }
    }

    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.p = &p;
    sh.opt = &opt;
    sh.r = r;
    sh.n_blocks = r->n_blocks;
    sh.bad_block = -1;
    sh.sketch_metrics = kept < opt.paths;
    sh.no_fan = r->no_fan = (flags & GPB__SIM_NO_FAN) != 0;
    /* Bands from the whole blocks of kept paths, when some follow and
       the caller asked to keep fewer (a run past the memory budget alone
       keeps its sketches only, so that its parts merge into it). A
       worker keeps at most max(2^16, paths / 64) values inside a band:
       about 20 times what a band of 2^17 first paths holds at any run
       size, and a bound when some metric has a mass inside one. */
    size_t pilot = kept_paths_max && kept < opt.paths ? kept / LANES : 0;
    if (pilot && pilot < sh.n_blocks) {
        /* Bands for the stored metrics, counts of every value for the
           narrow ones, and no sketches: the report's quantiles are exact
           and others refused (gpb_sim_run_kept). */
        r->bands = calloc(p.n_metrics ? p.n_metrics : 1, sizeof *r->bands);
        r->ncount = calloc(p.n_metrics ? p.n_metrics : 1, sizeof *r->ncount);
        r->extreme = calloc(p.n_metrics ? p.n_metrics : 1, sizeof *r->extreme);
        int ok = r->bands && r->ncount && r->extreme;
        for (size_t i = 0; ok && i < p.n_metrics; i++)
            if (r->narrow[i] &&
                !(r->ncount[i] = calloc((size_t)p.H + 1, sizeof **r->ncount)))
                ok = 0;
        if (!ok) {
            gpb_result_free(r);
            gpb__plan_free(&p);
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
        }
        for (size_t i = 0; r->msketch && i < p.n_metrics; i++)
            gpb__sketch_free(&r->msketch[i]);
        free(r->msketch);
        r->msketch = NULL;
        sh.sketch_metrics = 0;
        sh.pilot_blocks = pilot;
        /* The fan's bands from one worker's first paths: the metrics'
           first paths' share of them. */
        sh.fan_bands = !sh.no_fan && !(flags & GPB__SIM_NO_FAN_BANDS);
        atomic_store(&sh.bands_left, p.n_metrics);
        sh.band_max = opt.paths / 64 > 65536 ? opt.paths / 64 : 65536;
    }
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.finished, NULL);
    pthread_cond_init(&sh.bands_ready, NULL);
    int threads = opt.threads;
    if (threads == 0) {
        int cpus[256];
        threads = cpus_allowed(cpus, 256);
    }
    if ((size_t)threads > sh.n_blocks)
        threads = (int)sh.n_blocks;
    r->threads = threads;
    if (sh.fan_bands)
        sh.fan_n0 = sh.pilot_blocks * LANES / (size_t)threads;
    gpb__blas_quiet_enter();
    st = run_workers(&sh, threads, err);
    gpb__blas_quiet_leave();
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.bands_ready);
    /* The failure of the lowest block, whatever its kind (a block's set-up
       fails before its figures can), so the report does not depend on the
       threads: every block below a failing one was claimed before it and
       runs to its end. */
    if (!st && sh.err_status &&
        (sh.bad_block < 0 || sh.err_block <= (size_t)sh.bad_block)) {
        st = sh.err_status;
        if (err)
            *err = sh.err;
    } else if (!st && sh.bad_block >= 0) {
        st = explain(s, &opt, &p,
                     opt.path_offset + (uint64_t)sh.bad_block * LANES +
                         (uint64_t)sh.bad_lane,
                     err);
    } else if (!st && atomic_load(&sh.cancel)) {
        st = gpb__fail(err, GPB_ECANCELLED, "the run was cancelled");
    }
    gpb__plan_free(&p);
    if (st) {
        gpb_result_free(r);
        return st;
    }
    if (r->bands && !gpb__bands_cover(r)) {
        /* A band missed what it was for (about 3·10^-7 a band end, one
           run in 10^4) or held too many values: the same run again from
           four times the first paths (other bands), until they are all
           the paths or the bands no longer fit the budget, when the run
           is gpb_sim_run's. */
        gpb_result_free(r);
        return gpb__sim_run(s, opt_in, flags, 4 * kept, out, err);
    }
    if (r->fanb && !gpb__fan_bands_cover(r)) {
        /* A fan band missed (their first paths depend on the threads'
           pace): the same run with the fan in whole sketches, the same
           kept paths and metric bands, which do not. */
        gpb_result_free(r);
        return gpb__sim_run(s, opt_in, flags | GPB__SIM_NO_FAN_BANDS,
                            kept_paths_max, out, err);
    }
    *out = r;
    return GPB_OK;
}

/* ---- one path ------------------------------------------------------------ */

void gpb_trace_free(gpb_trace *t)
{
    if (!t)
        return;
    free(t->rec.flow);
    free(t->rec.cash);
    free(t->rec.progress);
    for (size_t i = 0; i < t->n_metrics; i++)
        free(t->metric_names ? t->metric_names[i] : NULL);
    free(t->metric_names);
    free(t->metric_values);
    free(t->metric_units);
    for (size_t i = 0; i < t->n_inputs; i++)
        free(t->input_paths ? t->input_paths[i] : NULL);
    free(t->input_paths);
    free(t->input_values);
    free(t);
}

static gpb_status trace_path(const gpb_scenario *s, const gpb_sim_options *o,
                             uint64_t path, int diagnose, gpb_trace **out,
                             gpb_error *err)
{
    *out = NULL;
    eng_plan p;
    gpb_status st = gpb__plan_build(&p, s, o, err);
    if (!st)
        st = gpb__plan_qmc(&p, path, 1, err);
    gpb_trace *t = calloc(1, sizeof *t);
    eng_block *b = st ? NULL : gpb__block_new(&p);
    double *store = malloc((p.n_metrics ? p.n_metrics : 1) * LANES *
                           sizeof *store);
    const double **vals = calloc(p.n_metrics ? p.n_metrics : 1,
                                 sizeof *vals);
    int H = s->horizon_months;
    size_t nr = s->n_training;
    if (!st && (!t || !b || !store || !vals))
        st = gpb__fail(err, GPB_ENOMEM, "out of memory for the trace");
    if (!st) {
        t->path = path;
        t->months = H;
        t->currency = s->currency;
        t->n_runs = nr;
        t->rec.months = H;
        t->rec.diagnose = diagnose;
        t->rec.bad_month = -1;
        t->rec.bad_proc = -1;
        t->rec.bad_cat = -1;
        t->rec.bad_input = -1;
        t->rec.flow = calloc((size_t)H * GPB_CAT_COUNT, sizeof(double));
        t->rec.cash = calloc((size_t)H, sizeof(double));
        t->rec.progress = calloc((size_t)H * (nr ? nr : 1), sizeof(double));
        if (!t->rec.flow || !t->rec.cash || !t->rec.progress)
            st = gpb__fail(err, GPB_ENOMEM, "out of memory for the trace");
    }
    long bad = -1;
    if (!st) {
        st = gpb__block_run(b, path, 1, store, vals, NULL, NULL, NULL, NULL,
                            &t->rec, &bad, err);
        t->bad_lane = bad;
    }
    if (!st) {
        t->n_metrics = p.n_metrics;
        t->metric_names = calloc(p.n_metrics, sizeof *t->metric_names);
        t->metric_values = calloc(p.n_metrics, sizeof *t->metric_values);
        t->metric_units = calloc(p.n_metrics, sizeof *t->metric_units);
        t->n_inputs = p.n_unc;
        t->input_paths = calloc(p.n_unc ? p.n_unc : 1,
                                sizeof *t->input_paths);
        t->input_values = calloc(p.n_unc ? p.n_unc : 1,
                                 sizeof *t->input_values);
        if (!t->metric_names || !t->metric_values || !t->metric_units ||
            !t->input_paths ||
            !t->input_values)
            st = gpb__fail(err, GPB_ENOMEM, "out of memory for the trace");
        for (size_t i = 0; !st && i < p.n_metrics; i++) {
            t->metric_names[i] = gpb__strdup(p.metrics[i].name);
            t->metric_values[i] = vals[i][0];
            t->metric_units[i] = p.metrics[i].unit;
            if (!t->metric_names[i])
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        }
        for (size_t k = 0; !st && k < p.n_unc; k++) {
            const gpb__input *in = &s->inputs[p.unc[k]];
            double v = gpb__block_input(b, k)[0];
            /* Back to the input's own currency, as the samples CSV. */
            if (in->currency != GPB_CURRENCY_NONE &&
                in->currency != s->currency &&
                gpb_qty_kind_is_money(in->kind))
                v *= gpb__block_per_usd(b, in->currency)[0] /
                     gpb__block_per_usd(b, s->currency)[0];
            t->input_values[k] = v;
            t->input_paths[k] = gpb__strdup(in->path);
            if (!t->input_paths[k])
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        }
    }
    gpb__block_free(b);
    free(store);
    free(vals);
    gpb__plan_free(&p);
    if (st) {
        gpb_trace_free(t);
        return st;
    }
    *out = t;
    return GPB_OK;
}

gpb_status gpb_sim_trace(const gpb_scenario *s, const gpb_sim_options *opt,
                         uint64_t path, gpb_trace **out, gpb_error *err)
{
    if (!s || !out)
        return gpb__fail(err, GPB_EINVAL, "scenario and out must not be NULL");
    *out = NULL;
    gpb_sim_options o;
    GPB__TRY(options_resolve(opt, &o, err));
    if (path >= GPB_SIM_MAX_PATHS)
        return gpb__fail(err, GPB_EINVAL, "path %llu is out of range",
                         (unsigned long long)path);
    if (s->horizon_months < 1)
        return gpb__fail(err, GPB_EINVAL, "the scenario has no months");
    gpb_trace *t = NULL;
    long bad = -1;
    GPB__TRY(trace_path(s, &o, path, 0, &t, err));
    bad = t->bad_lane;
    if (bad >= 0) {
        /* The path's figures are not all numbers: fail as a run of it
           does, with the same explanation. */
        gpb_trace_free(t);
        eng_plan p;
        gpb_status st = gpb__plan_build(&p, s, &o, err);
        if (st)
            return st;
        st = explain(s, &o, &p, path, err);
        gpb__plan_free(&p);
        return st;
    }
    *out = t;
    return GPB_OK;
}

uint64_t gpb_trace_path(const gpb_trace *t) { return t ? t->path : 0; }
int gpb_trace_months(const gpb_trace *t) { return t ? t->months : 0; }
gpb_currency gpb_trace_currency(const gpb_trace *t)
{
    return t ? t->currency : GPB_CURRENCY_NONE;
}

double gpb_trace_flow(const gpb_trace *t, int month, gpb_category c)
{
    if (!t || month < 0 || month >= t->months || (unsigned)c >= GPB_CAT_COUNT)
        return NAN;
    return t->rec.flow[(size_t)month * GPB_CAT_COUNT + c];
}

double gpb_trace_cash(const gpb_trace *t, int month)
{
    if (!t || month < 0 || month >= t->months)
        return NAN;
    return t->rec.cash[month];
}

double gpb_trace_progress(const gpb_trace *t, size_t run, int month)
{
    if (!t || run >= t->n_runs || month < 0 || month >= t->months)
        return NAN;
    return t->rec.progress[(size_t)month * t->n_runs + run];
}

size_t gpb_trace_metric_count(const gpb_trace *t)
{
    return t ? t->n_metrics : 0;
}
const char *gpb_trace_metric_name(const gpb_trace *t, size_t i)
{
    return t && i < t->n_metrics ? t->metric_names[i] : NULL;
}
double gpb_trace_metric_value(const gpb_trace *t, size_t i)
{
    return t && i < t->n_metrics ? t->metric_values[i] : NAN;
}
gpb_unit gpb_trace_metric_unit_kind(const gpb_trace *t, size_t i)
{
    return t && i < t->n_metrics ? t->metric_units[i] : GPB_UNIT_COUNT;
}
size_t gpb_trace_run_count(const gpb_trace *t) { return t ? t->n_runs : 0; }
int gpb_trace_out_of_cash_month(const gpb_trace *t)
{
    if (!t)
        return -1;
    for (int m = 0; m < t->months; m++)
        if (t->rec.cash[m] < 0)
            return m;
    return -1;
}
size_t gpb_trace_input_count(const gpb_trace *t)
{
    return t ? t->n_inputs : 0;
}
const char *gpb_trace_input_path(const gpb_trace *t, size_t i)
{
    return t && i < t->n_inputs ? t->input_paths[i] : NULL;
}
double gpb_trace_input_value(const gpb_trace *t, size_t i)
{
    return t && i < t->n_inputs ? t->input_values[i] : NAN;
}

/* ---- precision ------------------------------------------------------------ */

gpb_status gpb_sim_run_to_precision(const gpb_scenario *s,
                                    const gpb_sim_options *opt,
                                    const char *metric, double rel_std_error,
                                    size_t max_paths, gpb_result **out,
                                    int *reached, gpb_error *err)
{
    if (!s || !out)
        return gpb__fail(err, GPB_EINVAL, "scenario and out must not be NULL");
    *out = NULL;
    gpb_sim_options o;
    GPB__TRY(options_resolve(opt, &o, err));
    if (!metric)
        metric = "spend.total";
    /* Under quasi-random inputs the stopping rule is the replicates'
       standard error (gpb_result_mean); doubling keeps every path's
       point and shift (path i: point ⌊i / R⌋ + 1, replicate i mod R). */
    if (!(rel_std_error > 0) || !isfinite(rel_std_error))
        return gpb__fail(err, GPB_EINVAL,
                         "the target relative standard error must be "
                         "positive, got %g",
                         rel_std_error);
    if (max_paths < o.paths || (uint64_t)max_paths > GPB_SIM_MAX_PATHS)
        return gpb__fail(err, GPB_EINVAL,
                         "max_paths (%zu) must be between paths (%zu) and "
                         "%llu",
                         max_paths, o.paths,
                         (unsigned long long)GPB_SIM_MAX_PATHS);
    for (;;) {
        gpb_result *r = NULL;
        GPB__TRY(gpb_sim_run(s, &o, &r, err));
        double mean, se;
        gpb_status st = gpb_result_mean(r, metric, &mean, &se, err);
        if (st) {
            gpb_result_free(r);
            return st;
        }
        int ok = se == 0 || se <= rel_std_error * fabs(mean);
        if (ok || o.paths >= max_paths) {
            if (reached)
                *reached = ok;
            *out = r;
            return GPB_OK;
        }
        gpb_result_free(r);
        o.paths = o.paths * 2 > max_paths ? max_paths : o.paths * 2;
    }
}
