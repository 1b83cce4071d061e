/*
 * Sensitivity of a result's metrics to its uncertain inputs, and the
 * convergence helpers (gpubudget/sensitivity.h).
 *
 * The rank statistics are two dense products on standardised rank
 * columns. With X (n × K) and Y (n × M) the rank columns centred and scaled
 * to unit Euclidean norm, XᵀY is the K × M matrix of Spearman correlations
 * (Pearson's r of the ranks), and the least-squares solution B of X·B ≈ Y
 * holds the standardised rank regression coefficients: for unit-norm
 * columns the raw coefficient already is the standardised one,
 * b_k · sd(x_k) / sd(y). Its residual sum of squares is 1 − R², since
 * ‖y‖ = 1. One cblas_dgemm (XᵀY), one cblas_dsyrk (XᵀX, the inputs' rank
 * correlations, K × K) and a Cholesky solve of the normal equations do
 * all metrics at once; the ranking runs on the option's threads.
 */
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/sensitivity.h"
#include "engine.h"
#include "internal.h"
#include "scenario_model.h"
#include "stream.h"

/* LAPACK's Cholesky factorisation, solve and condition estimate, from
   OpenBLAS (no header is assumed, as in copula.c). */
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
             int *info);
void dpotrs_(const char *uplo, const int *n, const int *nrhs,
             const double *a, const int *lda, double *b, const int *ldb,
             int *info);
void dpocon_(const char *uplo, const int *n, const double *a, const int *lda,
             const double *anorm, double *rcond, double *work, int *iwork,
             int *info);

/* Below this reciprocal condition number of the inputs' rank correlation
   matrix, the SRRC are not defined (GPB_SENS_COLLINEAR). */
#define RCOND_MIN 1e-12

struct gpb_sensitivity {
    size_t n_metrics, n_inputs, n_used;
    char **metric_names; /* owned */
    char **input_paths;  /* owned */
    char **input_labels; /* owned, from the result */
    double *spearman;    /* [m · n_inputs + k] */
    double *srrc;        /* [m · n_inputs + k] */
    unsigned *flags;     /* [m · n_inputs + k] */
    double *r2;          /* [m] */
    unsigned *mflags;    /* [m] */

    int has_swing;
    double swing_low, swing_high;
    size_t swing_paths;
    uint64_t swing_seed;
    double *p50_base;             /* [m] */
    double *p50_low, *p50_high;   /* [m · n_inputs + k] */
    double *se_swing;             /* [m · n_inputs + k] */
    double *in_low, *in_mid, *in_high; /* [k], own units */
};

void gpb_sensitivity_options_default(gpb_sensitivity_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->max_paths = GPB_SENS_DEFAULT_MAX_PATHS;
    opt->swing = 1;
    opt->swing_paths = GPB_SENS_DEFAULT_SWING_PATHS;
    opt->swing_seed = 0;
    opt->swing_low = 0.1;
    opt->swing_high = 0.9;
    opt->threads = 0;
}

void gpb_sensitivity_free(gpb_sensitivity *x)
{
    if (!x)
        return;
    for (size_t m = 0; m < x->n_metrics; m++)
        free(x->metric_names ? x->metric_names[m] : NULL);
    for (size_t k = 0; k < x->n_inputs; k++) {
        free(x->input_paths ? x->input_paths[k] : NULL);
        free(x->input_labels ? x->input_labels[k] : NULL);
    }
    free(x->metric_names);
    free(x->input_paths);
    free(x->input_labels);
    free(x->spearman);
    free(x->srrc);
    free(x->flags);
    free(x->r2);
    free(x->mflags);
    free(x->p50_base);
    free(x->p50_low);
    free(x->p50_high);
    free(x->se_swing);
    free(x->in_low);
    free(x->in_mid);
    free(x->in_high);
    free(x);
}

/* Allocation size for n items: at least one, so malloc never sees 0. */
static size_t nz(size_t n) { return n ? n : 1; }

/* ---- own units -------------------------------------------------------- */

/* ---- ranks ------------------------------------------------------------ */

/* A value's order-preserving 64-bit key. */
static uint64_t vkey(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | 0x8000000000000000ull);
}

/* Radix digits of 13 bits: a count table of 32 KB (three, in L2). The
   keys are taken relative to the column's smallest (rank_column), so a
   column whose values are within a factor of 16 or so of each other
   (most metrics) spans fewer than 56 bits: with the index in the low 17
   (10^5 paths), three digits, one pass of the records each. */
#define RDIGIT 13
#define RBINS (1u << RDIGIT)
_Static_assert(GPB__RANK_COUNT_BYTES == 3 * RBINS * sizeof(uint32_t),
               "the work area holds three digits' counts");

/* The counts of nd digits (at most 3) from bit ib up, from one read of
   the records (a loop over the digits: as fast as one unrolled for
   three, in a scratch benchmark). */
static void radix_counts(const uint64_t *rec, size_t n, unsigned ib,
                         unsigned nd, uint32_t *cnt)
{
    memset(cnt, 0, (size_t)nd * RBINS * sizeof *cnt);
    for (size_t i = 0; i < n; i++) {
        uint64_t x = rec[i] >> ib;
        for (unsigned p = 0; p < nd; p++)
            cnt[p * RBINS + ((x >> (p * RDIGIT)) & (RBINS - 1))]++;
    }
}

/*
 * Sorts rec[0..n-1], each a value's key with its low ib bits replaced by
 * its index (the index is below 2^ib) and no bit set at or above `top`,
 * by the key's bits ib .. top − 1 and then by index: an LSD radix sort,
 * stable, so equal prefixes keep index order; a pass whose digit is the
 * same everywhere is skipped. The digits' counts come three at a time
 * from one read of the records (a digit's counts do not depend on the
 * records' order), into cnt (GPB__RANK_COUNT_BYTES). tmp holds n records.
 * Returns the array that holds the result.
 */
static uint64_t *radix_prefix(uint64_t *rec, uint64_t *tmp, size_t n,
                              unsigned ib, unsigned top, uint32_t *cnt)
{
    for (unsigned g = ib; g < top; g += 3 * RDIGIT) {
        unsigned nd = (top - g + RDIGIT - 1) / RDIGIT;
        nd = nd < 3 ? nd : 3;
        radix_counts(rec, n, g, nd, cnt);
        for (unsigned p = 0; p < nd; p++) {
            unsigned shift = g + p * RDIGIT;
            uint32_t *c = cnt + (size_t)p * RBINS;
            if (c[(rec[0] >> shift) & (RBINS - 1)] == n)
                continue;
            uint32_t sum = 0;
            for (unsigned d = 0; d < RBINS; d++) {
                uint32_t k = c[d];
                c[d] = sum;
                sum += k;
            }
            for (size_t i = 0; i < n; i++)
                tmp[c[(rec[i] >> shift) & (RBINS - 1)]++] = rec[i];
            uint64_t *t = rec;
            rec = tmp;
            tmp = t;
        }
    }
    return rec;
}

/* Orders two records of one run of equal prefixes by (full key, index). */
static _Thread_local const double *tl_vals;
static _Thread_local uint64_t tl_imask;

static int run_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa & tl_imask,
             b = *(const uint64_t *)pb & tl_imask;
    uint64_t ka = vkey(tl_vals[a]), kb = vkey(tl_vals[b]);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Whole numbers below GPB__SMALL_MAX (runway months, counts, 0/1 flags)
   are ranked by counting, their counts and ranks in the work area (its
   sort's count tables alone hold them, at any n). */
#define COUNT_WORK_BYTES ((size_t)GPB__SMALL_MAX * (sizeof(uint32_t) + sizeof(double)))
_Static_assert(COUNT_WORK_BYTES <= GPB__RANK_WORK_BYTES(0),
               "the work area holds the counting's tables");

/*
 * 1 when v[0..n-1] can be ranked by counting: all whole numbers in [+0,
 * GPB__SMALL_MAX), as the result's selection counts them
 * (gpb__value_extremes). −0 is not one: the sort keys set it below +0,
 * and so must the ranks.
 */
static int countable(const double *v, size_t n)
{
    uint64_t lo, hi;
    int big;
    gpb__value_extremes(v, n, &lo, &hi, &big);
    return !big && lo >= gpb__sketch_key(0.0);
}

/*
 * rank_column's ranks of whole numbers in [0, GPB__SMALL_MAX) by
 * counting: a value's tied positions are those after the values below
 * it, so its rank is the same average of positions g + 1 .. h as the
 * sort's, with g the count below it and h − g its own count, in two
 * passes over v instead of a sort. wk holds the counts and then the
 * ranks (COUNT_WORK_BYTES).
 */
static void rank_counting(const double *v, size_t n, double *out, void *wk)
{
    uint32_t *cnt = wk;
    double *rank = (double *)(void *)(cnt + GPB__SMALL_MAX);
    memset(cnt, 0, GPB__SMALL_MAX * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        cnt[(size_t)v[i]]++;
    double mid = 0.5 * ((double)n + 1.0);
    size_t g = 0;
    for (size_t d = 0; d < GPB__SMALL_MAX; d++) {
        size_t h = g + cnt[d];
        rank[d] = 0.5 * ((double)(g + 1) + (double)h) - mid;
        g = h;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = rank[(size_t)v[i]];
}

/*
 * The ranks of v[0..n-1] with ties averaged, centred and scaled to unit
 * norm. Each value is sorted as one 8-byte record: the top 64 − ib bits
 * of its order-preserving key, less the column's smallest such prefix,
 * and its index in the low ib bits. Values
 * whose keys differ only in those low bits share a prefix; such a run is
 * put in the order of the full keys afterwards (rare for continuous
 * values, and a run of equal values, the common case for counts and
 * months, needs nothing). The order is then exactly the stable sort of
 * the full keys, whatever the algorithm: the ranks are exact.
 */
static int rank_column(const double *v, size_t n, double *out, void *wk)
{
    size_t same = 1;
    while (same < n && (v[same] == v[0] || (isnan(v[same]) && isnan(v[0]))))
        same++;
    if (same >= n) { /* constant, one value or none */
        memset(out, 0, n * sizeof *out);
        return 1;
    }
    if (countable(v, n)) {
        rank_counting(v, n, out, wk);
        goto scale;
    }
    unsigned ib = 1;
    while (ib < 32 && ((uint64_t)1 << ib) < n)
        ib++;
    uint64_t imask = ((uint64_t)1 << ib) - 1;
    uint64_t *rec = wk;
    /* Each key's prefix less the smallest prefix: the same order, and
       the high bits that every value shares are 0, so the sort has fewer
       digits to go through (top: the bits that are left). */
    uint64_t kmin = UINT64_MAX, kmax = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = vkey(v[i]) & ~imask;
        rec[i] = k;
        kmin = k < kmin ? k : kmin;
        kmax = k > kmax ? k : kmax;
    }
    for (size_t i = 0; i < n; i++)
        rec[i] = (rec[i] - kmin) | (uint64_t)i;
    unsigned top = ib;
    while (top < 64 && ((kmax - kmin) >> top) != 0)
        top++;
    rec = radix_prefix(rec, (uint64_t *)wk + n, n, ib, top,
                       (uint32_t *)((uint64_t *)wk + 2 * n));
    /* Each run of equal prefix: one value (the common case for continuous
       values) takes its rank at once; a longer run is put in the order of
       the full keys, if they differ, and its equal keys share the average
       rank of their positions a+1 .. b. */
    double mid = 0.5 * ((double)n + 1.0);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        uint64_t pre = rec[a] & ~imask;
        while (b < n && (rec[b] & ~imask) == pre)
            b++;
        if (b - a == 1) {
            out[rec[a] & imask] = (double)(a + 1) - mid;
            a = b;
            continue;
        }
        uint64_t k0 = vkey(v[rec[a] & imask]);
        size_t j = a + 1;
        while (j < b && vkey(v[rec[j] & imask]) == k0)
            j++;
        if (j < b) {
            tl_vals = v;
            tl_imask = imask;
            qsort(rec + a, b - a, sizeof *rec, run_cmp);
        }
        for (size_t g = a; g < b;) {
            uint64_t kg = vkey(v[rec[g] & imask]);
            size_t h = g + 1;
            while (h < b && vkey(v[rec[h] & imask]) == kg)
                h++;
            double rank = 0.5 * ((double)(g + 1) + (double)h);
            for (size_t i = g; i < h; i++)
                out[rec[i] & imask] = rank - mid;
            g = h;
        }
        a = b;
    }
scale:;
    gpb__blas_lock();
    double ss = cblas_ddot((int)n, out, 1, out, 1);
    if (ss > 0)
        cblas_dscal((int)n, 1.0 / sqrt(ss), out, 1);
    gpb__blas_unlock();
    if (!(ss > 0)) {
        memset(out, 0, n * sizeof *out);
        return 1;
    }
    return 0;
}

_Static_assert(sizeof(uint64_t) * 2 <= GPB__RANK_WORK_BYTES(1),
               "GPB__RANK_WORK_BYTES must hold two records a value");

int gpb__rank_centred(const double *v, size_t n, double *out, void *work)
{
    return rank_column(v, n, out, work);
}

/* ---- the rank statistics ---------------------------------------------- */

static gpb_status alloc_tables(gpb_sensitivity *x, const gpb_result *r,
                               gpb_error *err)
{
    size_t M = x->n_metrics, K = x->n_inputs, MK = nz(M * K);
    x->metric_names = calloc(M ? M : 1, sizeof *x->metric_names);
    x->input_paths = calloc(K ? K : 1, sizeof *x->input_paths);
    x->input_labels = calloc(K ? K : 1, sizeof *x->input_labels);
    x->spearman = calloc(MK, sizeof *x->spearman);
    x->srrc = calloc(MK, sizeof *x->srrc);
    x->flags = calloc(MK, sizeof *x->flags);
    x->r2 = calloc(M ? M : 1, sizeof *x->r2);
    x->mflags = calloc(M ? M : 1, sizeof *x->mflags);
    if (!x->metric_names || !x->input_paths || !x->input_labels ||
        !x->spearman || !x->srrc ||
        !x->flags || !x->r2 || !x->mflags)
        return gpb__fail(err, GPB_ENOMEM, "out of memory for sensitivity");
    for (size_t m = 0; m < M; m++)
        if (!(x->metric_names[m] =
                  gpb__strdup(gpb_result_metric_name(r, m))))
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (size_t k = 0; k < K; k++)
        if (!(x->input_paths[k] = gpb__strdup(gpb_result_input_path(r, k))) ||
            !(x->input_labels[k] =
                  gpb__strdup(gpb_result_input_label(r, k))))
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
    return GPB_OK;
}

/* Ranking the columns on several threads, in two rounds: jobs j < K rank
   input j into X's column j; then, X packed to its Kv varying columns,
   job K + m ranks metric m into the worker's own column and multiplies
   it into C's column ycol[m] (C = XᵀY, the Spearman correlations; none
   for a metric constant by construction), so the metrics' ranks are
   never all held (10^5 paths × 22 metrics were 17.6 MB, mapped afresh).
   Each product is one dgemv on one thread: the same on any number of
   threads. The error reported is the failing job's with the lowest
   index, as on one thread: jobs are claimed in order and only those
   after a failed one are skipped, so every job before it runs (which
   error a run names must not depend on which thread got there first). */
typedef struct rank_jobs {
    const gpb_scenario *s;
    const gpb_result *r;
    gpb_sensitivity *x;
    size_t n;
    double *X, *C;
    size_t Kv;               /* X's varying columns (the second round) */
    size_t end;              /* jobs of this round end here */
    const long *ycol;        /* [M]: metric m's column of C, or -1 */
    unsigned char *constant; /* [K + M] */
    atomic_size_t next;
    atomic_size_t failed_at; /* the lowest failed job, else SIZE_MAX */
    gpb_status st;
    gpb_error err;
    pthread_mutex_t mu;
} rank_jobs;

/* Records job j's failure when no earlier job has failed. */
static void rank_failed(rank_jobs *J, size_t j, gpb_status st,
                        const gpb_error *e)
{
    pthread_mutex_lock(&J->mu);
    if (j < atomic_load(&J->failed_at)) {
        J->st = st;
        J->err = *e;
        atomic_store(&J->failed_at, j);
    }
    pthread_mutex_unlock(&J->mu);
}

static void *rank_worker(void *arg)
{
    rank_jobs *J = arg;
    size_t n = J->n, K = J->x->n_inputs, M = J->x->n_metrics;
    /* One block (huge pages: gpb__alloc_big): the sort's work area (two
       records a value and its counts), then a column in own units, then
       a column of ranks. */
    size_t nn = n ? n : 1;
    char *vw = gpb__alloc_big(GPB__RANK_WORK_BYTES(nn) +
                              2 * nn * sizeof(double));
    double *own = vw ? (double *)(void *)(vw + GPB__RANK_WORK_BYTES(nn))
                     : NULL;
    double *col = vw ? own + nn : NULL;
    gpb_error e;
    gpb_status st = GPB_OK;
    (void)M;
    for (;;) {
        size_t j = atomic_fetch_add(&J->next, 1);
        if (j >= J->end || j > atomic_load(&J->failed_at))
            break;
        if (!vw || !own || !col) {
            st = gpb__fail(&e, GPB_ENOMEM, "out of memory ranking samples");
            rank_failed(J, j, st, &e);
            break;
        }
        if (j < K) {
            const double *v = gpb_result_input_samples(J->r, j);
            if (J->s) {
                if ((st = gpb__result_input_samples_own_n(J->s, J->r, j, n,
                                                          own, &e))) {
                    rank_failed(J, j, st, &e);
                    continue;
                }
                v = own;
            }
            J->constant[j] = (unsigned char)rank_column(v, n, J->X + j * n,
                                                        vw);
        } else {
            size_t m = j - K;
            const double *v = NULL;
            /* A metric constant by construction has no samples to rank
               (asking would materialise a column of every path), and no
               column. */
            if (J->ycol[m] < 0) {
                J->constant[j] = 1;
                continue;
            }
            if ((st = gpb__result_metric_prefix(J->r, m, n, &v, own, &e))) {
                rank_failed(J, j, st, &e);
                continue;
            }
            double *c = J->C + (size_t)J->ycol[m] * J->Kv;
            if (rank_column(v, n, col, vw))
                J->constant[j] = 1; /* its column of C stays 0 */
            else if (J->Kv) {
                gpb__blas_lock();
                cblas_dgemv(CblasColMajor, CblasTrans, (int)n, (int)J->Kv,
                            1.0, J->X, (int)n, col, 1, 0.0, c, 1);
                gpb__blas_unlock();
            }
        }
    }
    free(vw);
    return NULL;
}

static gpb_status rank_stats(gpb_sensitivity *x, const gpb_scenario *s,
                             const gpb_result *r, int threads,
                             gpb_error *err)
{
    size_t n = x->n_used, K = x->n_inputs, M = x->n_metrics;
    gpb_status st = GPB_OK;
    double *X = NULL, *C = NULL, *G = NULL, *B = NULL, *work = NULL;
    int *iwork = NULL;
    size_t *cols = malloc((K ? K : 1) * sizeof *cols); /* varying inputs */
    unsigned char *constant = calloc(K + M + 1, 1);
    /* Only a metric that may vary has a column of ranks: My of them. */
    long *ycol = malloc((M ? M : 1) * sizeof *ycol);
    size_t My = 0;
    for (size_t m = 0; ycol && m < M; m++)
        ycol[m] = gpb_result_metric_is_constant(r, m) ? -1 : (long)My++;
    X = gpb__alloc_big(nz(n * K) * sizeof *X);
    C = calloc(nz(K * My), sizeof *C);
    if (!cols || !constant || !ycol || !X || !C) {
        st = gpb__fail(err, GPB_ENOMEM,
                       "out of memory: sensitivity needs %zu × %zu doubles "
                       "(lower max_paths)",
                       n, K + M);
        goto done;
    }

    /* Rank every input, on up to `threads` threads (each column is
       ranked alone, so the ranks do not depend on the thread count). */
    rank_jobs J = {.s = s, .r = r, .x = x, .n = n, .X = X, .C = C,
                   .end = K, .ycol = ycol, .constant = constant};
    atomic_init(&J.next, 0);
    atomic_init(&J.failed_at, SIZE_MAX);
    pthread_mutex_init(&J.mu, NULL);
    if (K)
        gpb__fork_join(gpb__threads_for(threads, K), rank_worker, &J);
    if (J.st) {
        pthread_mutex_destroy(&J.mu);
        if (err)
            *err = J.err;
        st = J.st;
        goto done;
    }
    /* Constant inputs drop out of the regression: pack the varying ones'
       columns to the front, in order. */
    size_t Kv = 0;
    for (size_t k = 0; k < K; k++) {
        if (constant[k]) {
            for (size_t m = 0; m < M; m++)
                x->flags[m * K + k] |= GPB_SENS_CONSTANT_INPUT;
            continue;
        }
        if (Kv != k)
            memcpy(X + Kv * n, X + k * n, n * sizeof *X);
        cols[Kv++] = k;
    }
    if (n < Kv + 2) {
        pthread_mutex_destroy(&J.mu);
        st = gpb__fail(err, GPB_EINVAL,
                       "sensitivity needs at least %zu paths for %zu varying "
                       "inputs (K + 2), got %zu",
                       Kv + 2, Kv, n);
        goto done;
    }
    /* Then every metric, each into its column of C = XᵀY. */
    J.Kv = Kv;
    J.end = K + M;
    atomic_store(&J.next, K);
    if (M)
        gpb__fork_join(gpb__threads_for(threads, M), rank_worker, &J);
    pthread_mutex_destroy(&J.mu);
    if (J.st) {
        if (err)
            *err = J.err;
        st = J.st;
        goto done;
    }
    for (size_t m = 0; m < M; m++)
        if (constant[K + m]) {
            x->mflags[m] |= GPB_SENS_CONSTANT_OUTPUT;
            for (size_t k = 0; k < K; k++)
                x->flags[m * K + k] |= GPB_SENS_CONSTANT_OUTPUT;
        }
    if (Kv == 0 || My == 0)
        goto done; /* every coefficient 0, every R² 0 */

    /* Spearman: C = XᵀY (Kv × My, column-major, made above); a metric
       constant by construction keeps its coefficients 0. */
    int ni = (int)n, ki = (int)Kv, mi = (int)My;
    for (size_t m = 0; m < M; m++)
        for (size_t j = 0; ycol[m] >= 0 && j < Kv; j++)
            x->spearman[m * K + cols[j]] = C[(size_t)ycol[m] * Kv + j];

    /*
     * SRRC: least squares X·B ≈ Y for all My right-hand sides at once, by
     * the normal equations, which for centred ranks of unit norm are small
     * and well scaled: G = XᵀX is the inputs' rank correlation matrix
     * (Kv × Kv) and C = XᵀY the Spearman correlations above, so
     * B = G⁻¹C (Cholesky), and as every y has unit norm the fitted share
     * is R² = Σ_j B_jm C_jm. An ill-conditioned G (rcond < RCOND_MIN,
     * LAPACK's estimate) means the inputs' ranks are (nearly) linearly
     * dependent and B is not defined.
     */
    G = malloc(Kv * Kv * sizeof *G);
    B = malloc(Kv * My * sizeof *B);
    work = malloc(3 * Kv * sizeof *work);
    iwork = malloc(Kv * sizeof *iwork);
    if (!G || !B || !work || !iwork) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        goto done;
    }
    gpb__blas_lock();
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, ki, ni, 1.0, X, ni,
                0.0, G, ki);
    gpb__blas_unlock();
    double anorm = 0; /* the 1-norm of G (symmetric: from its upper half) */
    for (size_t c = 0; c < Kv; c++) {
        double sum = 0;
        for (size_t rr = 0; rr < Kv; rr++)
            sum += fabs(rr <= c ? G[c * Kv + rr] : G[rr * Kv + c]);
        anorm = sum > anorm ? sum : anorm;
    }
    int info = 0;
    double rcond = 0;
    gpb__blas_lock();
    dpotrf_("U", &ki, G, &ki, &info);
    if (info == 0)
        dpocon_("U", &ki, G, &ki, &anorm, &rcond, work, iwork, &info);
    int collinear = info != 0 || !(rcond >= RCOND_MIN);
    if (!collinear) {
        memcpy(B, C, Kv * My * sizeof *B);
        dpotrs_("U", &ki, &mi, G, &ki, B, &ki, &info);
    }
    gpb__blas_unlock();
    if (!collinear) {
        if (info < 0) {
            st = gpb__fail(err, GPB_ENUMERIC,
                           "LAPACK dpotrs rejected argument %d", -info);
            goto done;
        }
    }
    for (size_t m = 0; m < M; m++) {
        if (x->mflags[m] & GPB_SENS_CONSTANT_OUTPUT)
            continue;
        if (collinear) {
            x->mflags[m] |= GPB_SENS_COLLINEAR;
            x->r2[m] = NAN;
            for (size_t k = 0; k < K; k++) {
                x->flags[m * K + k] |= GPB_SENS_COLLINEAR;
                x->srrc[m * K + k] = NAN;
            }
            continue;
        }
        /* (a metric without a column is flagged constant above) */
        const double *b = B + (size_t)ycol[m] * Kv,
                     *c = C + (size_t)ycol[m] * Kv;
        double r2 = 0;
        for (size_t j = 0; j < Kv; j++) {
            x->srrc[m * K + cols[j]] = b[j];
            r2 += b[j] * c[j];
        }
        x->r2[m] = r2 < 0 ? 0 : r2 > 1 ? 1 : r2;
    }
done:
    free(cols);
    free(constant);
    free(ycol);
    free(X);
    free(C);
    free(G);
    free(B);
    free(work);
    free(iwork);
    return st;
}

/* ---- the swing -------------------------------------------------------- */

const char *gpb__swing_statistic(const gpb_result *r, const char *metric)
{
    size_t i = 0;
    if (gpb_result_metric_find(r, metric, &i, NULL))
        return "P50";
    if (!isnan(gpb_result_censored_at(r, metric)))
        return "restricted mean";
    if (gpb_result_metric_unit_kind(r, i) == GPB_UNIT_PROBABILITY)
        return "mean";
    return "P50";
}

/* The 0-based ranks a P50 swing's standard error reads (swing_error) of
   a run of n paths: the window's ends, 4 standard deviations (√n/2) of
   the median's rank either side, and the median's two ranks. */
static void swing_ranks(size_t n, uint64_t ks[4])
{
    double c = (double)(n - 1) / 2, w = ceil(2 * sqrt((double)n)) + 1;
    ks[0] = c > w ? (uint64_t)(c - w) : 0;
    ks[1] = (uint64_t)floor(c);
    ks[2] = (uint64_t)ceil(c);
    ks[3] = c + w < (double)(n - 1) ? (uint64_t)(c + w) + 1
                                    : (uint64_t)(n - 1);
}

/*
 * One swing run: each metric's P50 — or, for a censored metric (runway),
 * its restricted mean, and for a metric that is 0 or 1 on each path
 * (out_of_cash, finished), its mean: a probability. A P50 of runway or of
 * a 0/1 metric sits at the horizon or at 0 or 1 and moves in jumps, so a
 * tornado of it says little (it was "24.0 → 24.0" for every input).
 * With keep, the run is kept (*keep) for swing_error.
 */
static gpb_status swing_run(const gpb_scenario *s, const gpb_sim_options *o,
                            double *p50, size_t M, char **names,
                            gpb_result **keep, gpb_error *err)
{
    gpb_result *rr = NULL;
    gpb_status st = gpb__sim_run(s, o, GPB__SIM_NO_FAN, 0, &rr, err);
    if (st)
        return st;
    uint64_t ks[4];
    double q[4];
    swing_ranks(gpb_result_kept_paths(rr), ks);
    for (size_t m = 0; m < M && !st; m++) {
        size_t mi;
        if (strcmp(gpb__swing_statistic(rr, names[m]), "P50")) {
            st = gpb_result_mean(rr, names[m], &p50[m], NULL, err);
            continue;
        }
        /* With the ranks swing_error reads, in the same selection: they
           are cached. */
        if (keep && gpb_result_kept_paths(rr) == gpb_result_paths(rr) &&
            !(st = gpb_result_metric_find(rr, names[m], &mi, err)))
            st = gpb__result_order_stats(rr, mi, ks, 4, q, err);
        if (!st)
            st = gpb_result_quantile(rr, names[m], 0.5, &p50[m], err);
    }
    if (!st && keep)
        *keep = rr;
    else
        gpb_result_free(rr);
    return st;
}

/* Bootstrap resamples of a P50 swing's standard error (swing_error). */
#define SWING_BOOT 50

/* A Poisson(1) count from 16 random bits, by inversion (the table's k-th
   entry is 2^16 · P(X ≤ k), e^−1 · Σ_{j≤k} 1/j!, rounded; counts above 6,
   of probability 8·10^−5, are cut to 6: far below what a resample of a
   median can tell). */
static unsigned pois1(uint32_t u)
{
    static const uint32_t cdf[] = {24109, 48219, 60273,
                                   64292, 65296, 65497};
    unsigned k = 0; /* branch-free: the draws are unpredictable */
    for (size_t j = 0; j < sizeof cdf / sizeof cdf[0]; j++)
        k += u >= cdf[j];
    return k;
}

/* A Poisson(lam) count from a word: by inversion (gpb_dist_quantile)
   below 50, else by the normal approximation, whose error is far below
   the bootstrap's own. */
static double pois(double lam, uint32_t w)
{
    double u = gpb__u01_32(w);
    gpb_dist d;
    if (lam < 50 && gpb_dist_poisson(lam, &d, NULL) == GPB_OK)
        return gpb_dist_quantile(&d, u);
    double x = floor(lam + sqrt(lam) * gsl_cdf_ugaussian_Pinv(u) + 0.5);
    return x > 0 ? x : 0;
}

/* For qsort of window positions by their value. */
typedef struct win_ent {
    double v;
    size_t u; /* position in the union list */
} win_ent;

static int win_cmp(const void *pa, const void *pb)
{
    const win_ent *a = pa, *b = pb;
    return a->v < b->v ? -1 : a->v > b->v ? 1 : (a->u > b->u) - (a->u < b->u);
}

/*
 * The standard error of the swing p50_high − p50_low of metric `name`, its
 * runs lo and hi drawn on the same paths (common random numbers), into
 * *se.
 *
 * A mean's swing is the mean of the paths' differences: their i.i.d.
 * standard error.
 *
 * A P50's is the paired bootstrap's (Efron & Tibshirani, "An Introduction
 * to the Bootstrap", 1993), each resample weighting every path by a
 * Poisson(1) count, the same count on both sides (the Poisson bootstrap;
 * Hanley & MacGibbon, Comput. Meth. Prog. Biomed. 83, 2006), its swing the
 * difference of the two weighted medians. Only the paths near a median
 * can be one: those within 4 standard deviations of its rank (√n/2) on
 * either side are weighted one by one and kept in order (a median beyond
 * them, once in 10^4 resamples, takes the window's edge), and the paths
 * below or above both windows count together, as Poisson totals. A
 * median that sits between two groups of outcomes (paths with and
 * without a funding round) jumps from resample to resample, and the error
 * says so; the delta method, from a density at the median, and sectioning
 * both measured 3 to 10 times too small there, and this within the test's
 * tolerance. The resamples' counts come from the Philox stream keyed by
 * the swing's seed, metric and input: the same figure on every run.
 */
static gpb_status swing_error(const gpb_result *lo, const gpb_result *hi,
                              const char *name, uint64_t seed, size_t mk,
                              double *se, gpb_error *err)
{
    const double *v[2];
    size_t n = gpb_result_kept_paths(lo), mi;
    GPB__TRY(gpb_result_samples(lo, name, &v[0], err));
    GPB__TRY(gpb_result_samples(hi, name, &v[1], err));
    *se = NAN;
    if (n != gpb_result_kept_paths(hi) || n < 2)
        return GPB_OK;
    double mu = 0, ss = 0;
    if (strcmp(gpb__swing_statistic(lo, name), "P50")) {
        /* The spread from the kept paths; the mean is of every path. */
        for (size_t i = 0; i < n; i++)
            mu += v[1][i] - v[0][i];
        mu /= (double)n;
        for (size_t i = 0; i < n; i++) {
            double d = v[1][i] - v[0][i] - mu;
            ss += d * d;
        }
        *se = sqrt(ss / (double)(n - 1) / (double)gpb_result_paths(lo));
        return GPB_OK;
    }
    /* A run too large to keep every path (millions of swing paths): its
       P50 comes from the sketch, and the kept paths alone are not the
       sample it was taken from. No error then. */
    if (n < gpb_result_paths(lo))
        return GPB_OK;
    /* An input that does not move the metric on any path: no swing in any
       resample. */
    if (!memcmp(v[0], v[1], n * sizeof *v[0])) {
        *se = 0;
        return GPB_OK;
    }
    GPB__TRY(gpb_result_metric_find(lo, name, &mi, err));
    /* Each side's window: the values of its end ranks (swing_ranks). */
    uint64_t ks[4];
    double os[2][4], edge[2][2];
    swing_ranks(n, ks);
    GPB__TRY(gpb__result_order_stats(lo, mi, ks, 4, os[0], err));
    GPB__TRY(gpb__result_order_stats(hi, mi, ks, 4, os[1], err));
    for (int side = 0; side < 2; side++) {
        edge[side][0] = os[side][0];
        edge[side][1] = os[side][3];
    }
    /* Each path: below (0), in (1) or above (2) each side's window. The
       paths in a window on either side are listed (u); the others are
       counted by class, below or above on each side. */
    size_t *u = malloc(n * sizeof *u);
    unsigned char *cls = malloc(n * 2);
    win_ent *win = malloc(2 * n * sizeof *win);
    double *wt = malloc(n * sizeof *wt), *x = malloc(SWING_BOOT * sizeof *x);
    gpb_status st = GPB_OK;
    if (!u || !cls || !win || !wt || !x) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory for the swing");
        goto done;
    }
    size_t nu = 0, nwin[2] = {0, 0};
    double cnt[3][3] = {{0}};
    /* A window of one value (an atom: a month, a count, a constant) holds
       its side's median in every resample: no path of it is listed. */
    int atom[2] = {edge[0][0] == edge[0][1], edge[1][0] == edge[1][1]};
    if (atom[0] && atom[1]) {
        *se = 0;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        int ca = v[0][i] < edge[0][0] ? 0 : v[0][i] > edge[0][1] ? 2 : 1;
        int cb = v[1][i] < edge[1][0] ? 0 : v[1][i] > edge[1][1] ? 2 : 1;
        ca = atom[0] && ca == 1 ? 2 : ca;
        cb = atom[1] && cb == 1 ? 2 : cb;
        if (ca != 1 && cb != 1) {
            cnt[ca][cb] += 1;
            continue;
        }
        cls[2 * nu] = (unsigned char)ca;
        cls[2 * nu + 1] = (unsigned char)cb;
        u[nu++] = i;
    }
    win_ent *wa = win, *wb = win + n;
    for (size_t j = 0; j < nu; j++) {
        if (cls[2 * j] == 1)
            wa[nwin[0]++] = (win_ent){v[0][u[j]], j};
        if (cls[2 * j + 1] == 1)
            wb[nwin[1]++] = (win_ent){v[1][u[j]], j};
    }
    qsort(wa, nwin[0], sizeof *wa, win_cmp);
    qsort(wb, nwin[1], sizeof *wb, win_cmp);
    /* A key of its own: no counter of the engine's streams (keyed by the
       seed alone) is drawn again here. */
    uint32_t key[2] = {(uint32_t)seed ^ gpb__stream_id("swing bootstrap"),
                       (uint32_t)(seed >> 32)};
    for (uint32_t r = 0; r < SWING_BOOT; r++) {
        uint32_t ctr[4] = {r, 0, (uint32_t)mk, (uint32_t)(mk >> 32)}, q[4];
        /* The classes' totals, then each listed path's count. */
        double cc[3][3], T = 0, below[2] = {0, 0};
        for (int a = 0, g = 0; a < 3; a++)
            for (int b = 0; b < 3; b++, g++) {
                cc[a][b] = 0;
                if (cnt[a][b] <= 0)
                    continue;
                ctr[1] = 0x80000000u | (uint32_t)g;
                gpb__philox1(ctr, key, q);
                cc[a][b] = pois(cnt[a][b], q[0]);
                T += cc[a][b];
            }
        below[0] = cc[0][0] + cc[0][2];
        below[1] = cc[0][0] + cc[2][0];
        for (size_t j = 0; j < nu; j += 8) {
            ctr[1] = (uint32_t)(j / 8);
            gpb__philox1(ctr, key, q);
            for (size_t t = 0; t < 8 && j + t < nu; t++) {
                double k = pois1(t & 1 ? q[t / 2] >> 16 : q[t / 2] & 0xffff);
                wt[j + t] = k;
                T += k;
                below[0] += cls[2 * (j + t)] == 0 ? k : 0;
                below[1] += cls[2 * (j + t) + 1] == 0 ? k : 0;
            }
        }
        double med[2];
        for (int side = 0; side < 2; side++) {
            const win_ent *e = side ? wb : wa;
            double acc = below[side];
            med[side] = edge[side][0];
            if (atom[side] || acc >= T / 2)
                continue; /* (the atom; or below the window: its edge) */
            med[side] = edge[side][1];
            for (size_t j = 0; j < nwin[side]; j++) {
                acc += wt[e[j].u];
                if (acc >= T / 2) {
                    med[side] = e[j].v;
                    break;
                }
            }
        }
        x[r] = med[1] - med[0];
    }
    /* A swing the same in every resample but for rounding (an input that
       moves every path alike): 0, not 10^−16 of the values. */
    double sd = gsl_stats_sd(x, 1, SWING_BOOT);
    double scale = fmax(fmax(fabs(edge[0][0]), fabs(edge[0][1])),
                        fmax(fabs(edge[1][0]), fabs(edge[1][1])));
    *se = sd > 1e-12 * scale ? sd : 0;
done:
    free(u);
    free(cls);
    free(win);
    free(wt);
    free(x);
    return st;
}

/* The swing's runs on a pool: job 0 is the base (every input at its
   median), job 1 + 2k input k at its low level, job 2 + 2k at its high.
   The two runs of an input are kept until both are done; the second to
   finish finds the swing's standard errors (swing_error) and frees both. */
typedef struct swing_jobs {
    const gpb_scenario *s;
    gpb_sensitivity *x;
    const gpb_sensitivity_options *opt;
    const long *si; /* [K]: each input's index in the scenario */
    size_t N, nj;
    atomic_size_t next;
    atomic_int failed;
    gpb_status *st; /* [nj] */
    gpb_error *err; /* [nj] */
    gpb_result **res;  /* [nj]: a run kept for its partner */
    atomic_int *done;  /* [K]: runs of input k finished */
} swing_jobs;

static void *swing_worker(void *arg)
{
    swing_jobs *J = arg;
    gpb_sensitivity *x = J->x;
    size_t M = x->n_metrics, K = x->n_inputs;
    double *vals = malloc((J->N ? J->N : 1) * sizeof *vals);
    double *p50 = malloc((M ? M : 1) * sizeof *p50);
    for (;;) {
        /* A job claimed is always run: every job before the first that
           fails runs, so the error reported is the one a serial swing
           would report. */
        if (atomic_load(&J->failed))
            break;
        size_t j = atomic_fetch_add(&J->next, 1);
        if (j >= J->nj)
            break;
        if (!vals || !p50) {
            J->st[j] = gpb__fail(&J->err[j], GPB_ENOMEM,
                                 "out of memory for the swing");
            atomic_store(&J->failed, 1);
            break;
        }
        for (size_t i = 0; i < J->N; i++)
            vals[i] = NAN;
        for (size_t k = 0; k < K; k++)
            vals[J->si[k]] = x->in_mid[k];
        size_t k = j ? (j - 1) / 2 : 0;
        if (j)
            vals[J->si[k]] = j % 2 ? x->in_low[k] : x->in_high[k];
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = J->opt->swing_paths;
        o.seed = x->swing_seed;
        o.threads = 1;
        o.input_values = vals;
        J->st[j] = swing_run(J->s, &o, j ? p50 : x->p50_base, M,
                             x->metric_names, j ? &J->res[j] : NULL,
                             &J->err[j]);
        if (J->st[j]) {
            atomic_store(&J->failed, 1);
            break;
        }
        if (!j)
            continue;
        for (size_t m = 0; m < M; m++)
            (j % 2 ? x->p50_low : x->p50_high)[m * K + k] = p50[m];
        /* The second run of the pair to finish: both are kept. */
        if (atomic_fetch_add(&J->done[k], 1) == 1) {
            const gpb_result *rl = J->res[1 + 2 * k], *rh = J->res[2 + 2 * k];
            for (size_t m = 0; m < M && !J->st[j]; m++)
                J->st[j] = swing_error(rl, rh, x->metric_names[m],
                                       x->swing_seed, m * K + k,
                                       &x->se_swing[m * K + k], &J->err[j]);
            gpb_result_free(J->res[1 + 2 * k]);
            gpb_result_free(J->res[2 + 2 * k]);
            J->res[1 + 2 * k] = J->res[2 + 2 * k] = NULL;
            if (J->st[j]) {
                atomic_store(&J->failed, 1);
                break;
            }
        }
    }
    free(vals);
    free(p50);
    return NULL;
}

static gpb_status swing(gpb_sensitivity *x, const gpb_scenario *s,
                        const gpb_result *r,
                        const gpb_sensitivity_options *opt, gpb_error *err)
{
    size_t M = x->n_metrics, K = x->n_inputs, N = gpb_scenario_input_count(s);
    x->swing_low = opt->swing_low;
    x->swing_high = opt->swing_high;
    x->swing_paths = opt->swing_paths;
    x->swing_seed = opt->swing_seed ? opt->swing_seed : gpb_result_seed(r);
    x->p50_base = calloc(M ? M : 1, sizeof *x->p50_base);
    x->p50_low = calloc(nz(M * K), sizeof *x->p50_low);
    x->p50_high = calloc(nz(M * K), sizeof *x->p50_high);
    x->se_swing = calloc(nz(M * K), sizeof *x->se_swing);
    x->in_low = calloc(K ? K : 1, sizeof *x->in_low);
    x->in_mid = calloc(K ? K : 1, sizeof *x->in_mid);
    x->in_high = calloc(K ? K : 1, sizeof *x->in_high);
    long *si = malloc((K ? K : 1) * sizeof *si);
    gpb_status st = GPB_OK;
    if (!x->p50_base || !x->p50_low || !x->p50_high || !x->se_swing ||
        !x->in_low ||
        !x->in_mid || !x->in_high || !si) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory for the swing");
        goto done;
    }
    for (size_t k = 0; k < K; k++) {
        si[k] = gpb_scenario_input_find(s, x->input_paths[k]);
        if (si[k] < 0) {
            st = gpb__fail(err, GPB_ENOTFOUND,
                           "input '%s' of the result is not in the scenario",
                           x->input_paths[k]);
            goto done;
        }
        const gpb_dist *d = gpb_scenario_input_dist(s, (size_t)si[k]);
        x->in_low[k] = gpb_dist_quantile(d, opt->swing_low);
        x->in_mid[k] = gpb_dist_quantile(d, 0.5);
        x->in_high[k] = gpb_dist_quantile(d, opt->swing_high);
    }

    /* The 1 + 2K runs are independent: each on one thread, as many at
       once as there are threads (a run's figures do not depend on its
       thread count, so neither do these). */
    size_t nj = 1 + 2 * K;
    swing_jobs J = {.s = s, .x = x, .opt = opt, .si = si, .N = N,
                    .nj = nj};
    atomic_init(&J.next, 0);
    atomic_init(&J.failed, 0);
    J.st = calloc(nj, sizeof *J.st);
    J.err = calloc(nj, sizeof *J.err);
    J.res = calloc(nj, sizeof *J.res);
    J.done = calloc(K ? K : 1, sizeof *J.done);
    if (!J.st || !J.err || !J.res || !J.done) {
        free(J.st);
        free(J.err);
        free(J.res);
        free(J.done);
        st = gpb__fail(err, GPB_ENOMEM, "out of memory for the swing");
        goto done;
    }
    gpb__fork_join(gpb__threads_for(opt->threads, nj), swing_worker, &J);
    for (size_t j = 0; j < nj && !st; j++)
        if (J.st[j]) {
            st = J.st[j];
            if (err)
                *err = J.err[j];
        }
    /* After a failure, the runs whose partners never ran. */
    for (size_t j = 0; j < nj; j++)
        gpb_result_free(J.res[j]);
    free(J.st);
    free(J.err);
    free(J.res);
    free(J.done);
    if (st)
        goto done;
    x->has_swing = 1;
done:
    free(si);
    return st;
}

gpb_status gpb_sensitivity_compute(const gpb_scenario *s,
                                   const gpb_result *r,
                                   const gpb_sensitivity_options *opt,
                                   gpb_sensitivity **out, gpb_error *err)
{
    if (out)
        *out = NULL;
    if (!r || !out)
        return gpb__fail(err, GPB_EINVAL, "result and out must not be NULL");
    gpb_sensitivity_options d;
    if (!opt) {
        gpb_sensitivity_options_default(&d);
        opt = &d;
    }
    if (opt->swing) {
        if (!s)
            return gpb__fail(err, GPB_EINVAL,
                             "the swing needs the scenario (s is NULL)");
        if (!(opt->swing_low > 0 && opt->swing_low < opt->swing_high &&
              opt->swing_high < 1))
            return gpb__fail(err, GPB_EINVAL,
                             "swing levels must satisfy 0 < low < high < 1, "
                             "got %g and %g",
                             opt->swing_low, opt->swing_high);
        if (opt->swing_paths < 1 ||
            (uint64_t)opt->swing_paths > GPB_SIM_MAX_PATHS)
            return gpb__fail(err, GPB_EINVAL,
                             "swing_paths must be 1 to %llu, got %zu",
                             (unsigned long long)GPB_SIM_MAX_PATHS,
                             opt->swing_paths);
    }
    gpb_sensitivity *x = calloc(1, sizeof *x);
    if (!x)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    x->n_metrics = gpb_result_metric_count(r);
    x->n_inputs = gpb_result_input_count(r);
    /* The first kept paths with their inputs (all the kept paths unless
       the run kept fewer), at most max_paths of them. */
    x->n_used = gpb_result_input_kept_paths(r);
    if (opt->max_paths && x->n_used > opt->max_paths)
        x->n_used = opt->max_paths;
    x->swing_low = x->swing_high = NAN;

    /* Small dense problems: OpenBLAS's own threads would only add
       overhead, and one thread keeps the sums' order fixed. */
    gpb__blas_quiet_enter();
    gpb_status st = alloc_tables(x, r, err);
    if (!st)
        st = rank_stats(x, s, r, opt->threads, err);
    gpb__blas_quiet_leave();
    if (!st && opt->swing)
        st = swing(x, s, r, opt, err);
    if (st) {
        gpb_sensitivity_free(x);
        return st;
    }
    *out = x;
    return GPB_OK;
}

/* ---- accessors -------------------------------------------------------- */

size_t gpb_sensitivity_metric_count(const gpb_sensitivity *x)
{
    return x ? x->n_metrics : 0;
}
size_t gpb_sensitivity_input_count(const gpb_sensitivity *x)
{
    return x ? x->n_inputs : 0;
}
size_t gpb_sensitivity_paths(const gpb_sensitivity *x)
{
    return x ? x->n_used : 0;
}
const char *gpb_sensitivity_metric_name(const gpb_sensitivity *x, size_t m)
{
    return x && m < x->n_metrics ? x->metric_names[m] : NULL;
}
const char *gpb_sensitivity_input_path(const gpb_sensitivity *x, size_t k)
{
    return x && k < x->n_inputs ? x->input_paths[k] : NULL;
}

const char *gpb_sensitivity_input_label(const gpb_sensitivity *x, size_t k)
{
    return x && k < x->n_inputs ? x->input_labels[k] : NULL;
}

static int in_range(const gpb_sensitivity *x, size_t m, size_t k)
{
    return x && m < x->n_metrics && k < x->n_inputs;
}

double gpb_sensitivity_spearman(const gpb_sensitivity *x, size_t m, size_t k)
{
    return in_range(x, m, k) ? x->spearman[m * x->n_inputs + k] : NAN;
}
double gpb_sensitivity_srrc(const gpb_sensitivity *x, size_t m, size_t k)
{
    return in_range(x, m, k) ? x->srrc[m * x->n_inputs + k] : NAN;
}
double gpb_sensitivity_r2(const gpb_sensitivity *x, size_t m)
{
    return x && m < x->n_metrics ? x->r2[m] : NAN;
}
unsigned gpb_sensitivity_flags(const gpb_sensitivity *x, size_t m, size_t k)
{
    if (!x || m >= x->n_metrics)
        return 0;
    if (k == (size_t)-1)
        return x->mflags[m];
    return k < x->n_inputs ? x->flags[m * x->n_inputs + k] : 0;
}
int gpb_sensitivity_has_swing(const gpb_sensitivity *x)
{
    return x ? x->has_swing : 0;
}
double gpb_sensitivity_swing_low(const gpb_sensitivity *x)
{
    return x && x->has_swing ? x->swing_low : NAN;
}
double gpb_sensitivity_swing_high(const gpb_sensitivity *x)
{
    return x && x->has_swing ? x->swing_high : NAN;
}
size_t gpb_sensitivity_swing_paths(const gpb_sensitivity *x)
{
    return x && x->has_swing ? x->swing_paths : 0;
}
uint64_t gpb_sensitivity_swing_seed(const gpb_sensitivity *x)
{
    return x && x->has_swing ? x->swing_seed : 0;
}

gpb_status gpb_sensitivity_swing(const gpb_sensitivity *x, size_t m,
                                 size_t k, double *p50_low, double *p50_high,
                                 double *p50_base, gpb_error *err)
{
    if (!in_range(x, m, k) || !p50_low || !p50_high)
        return gpb__fail(err, GPB_EINVAL,
                         "NULL argument or index out of range");
    if (!x->has_swing)
        return gpb__fail(err, GPB_ENOTFOUND, "the swing was not computed");
    *p50_low = x->p50_low[m * x->n_inputs + k];
    *p50_high = x->p50_high[m * x->n_inputs + k];
    if (p50_base)
        *p50_base = x->p50_base[m];
    return GPB_OK;
}

gpb_status gpb_sensitivity_swing_se(const gpb_sensitivity *x, size_t m,
                                    size_t k, double *se, gpb_error *err)
{
    if (!in_range(x, m, k) || !se)
        return gpb__fail(err, GPB_EINVAL,
                         "NULL argument or index out of range");
    if (!x->has_swing)
        return gpb__fail(err, GPB_ENOTFOUND, "the swing was not computed");
    *se = x->se_swing[m * x->n_inputs + k];
    return GPB_OK;
}

gpb_status gpb_sensitivity_swing_inputs(const gpb_sensitivity *x, size_t k,
                                        double *low, double *median,
                                        double *high, gpb_error *err)
{
    if (!x || k >= x->n_inputs)
        return gpb__fail(err, GPB_EINVAL,
                         "NULL argument or index out of range");
    if (!x->has_swing)
        return gpb__fail(err, GPB_ENOTFOUND, "the swing was not computed");
    if (low)
        *low = x->in_low[k];
    if (median)
        *median = x->in_mid[k];
    if (high)
        *high = x->in_high[k];
    return GPB_OK;
}

/* Sort keys for gpb_sensitivity_rank: larger first, NaN last, then input
   order. */
typedef struct rank_key {
    double v;
    size_t k;
} rank_key;

static int rank_key_cmp(const void *pa, const void *pb)
{
    const rank_key *a = pa, *b = pb;
    int na = isnan(a->v), nb = isnan(b->v);
    if (na != nb)
        return na - nb;
    if (!na && a->v != b->v)
        return a->v > b->v ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

gpb_status gpb_sensitivity_rank(const gpb_sensitivity *x, size_t m,
                                gpb_sensitivity_by by, size_t *order,
                                size_t n, gpb_error *err)
{
    if (!x || !order || m >= x->n_metrics || n > x->n_inputs)
        return gpb__fail(err, GPB_EINVAL,
                         "NULL argument, metric out of range or n above the "
                         "input count");
    if (by != GPB_SENS_BY_SRRC && by != GPB_SENS_BY_SPEARMAN &&
        by != GPB_SENS_BY_SWING)
        return gpb__fail(err, GPB_EINVAL, "unknown ordering %d", (int)by);
    if (by == GPB_SENS_BY_SWING && !x->has_swing)
        return gpb__fail(err, GPB_ENOTFOUND, "the swing was not computed");
    size_t K = x->n_inputs;
    rank_key *keys = malloc((K ? K : 1) * sizeof *keys);
    if (!keys)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (size_t k = 0; k < K; k++) {
        size_t i = m * K + k;
        double v = by == GPB_SENS_BY_SRRC       ? x->srrc[i]
                   : by == GPB_SENS_BY_SPEARMAN ? x->spearman[i]
                                                : x->p50_high[i] -
                                                      x->p50_low[i];
        keys[k].v = fabs(v);
        keys[k].k = k;
    }
    qsort(keys, K, sizeof *keys, rank_key_cmp);
    for (size_t j = 0; j < n; j++)
        order[j] = keys[j].k;
    free(keys);
    return GPB_OK;
}

/* ---- convergence ------------------------------------------------------ */
