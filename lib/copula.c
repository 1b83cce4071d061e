/*
 * The Gaussian copula that correlates a scenario's inputs, and the sample
 * statistics the engine and tests share (gpubudget/dist.h). Split from
 * dist.c, which holds the distributions themselves.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "gpubudget/dist.h"
#include "internal.h"

/* ------------------------------------------------------------------------ */
/* Gaussian copula                                                           */
/* ------------------------------------------------------------------------ */

/* LAPACK's Cholesky factorisation, from OpenBLAS (no header is assumed). */
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
             int *info);

struct gpb_copula {
    size_t n;
    double *l; /* L, lower triangle packed by rows: row i at i(i+1)/2 */
};

static const double SYM_TOL = 1e-12;

gpb_status gpb_copula_new(size_t n, const double *rank_corr,
                          gpb_copula **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "copula: out must not be NULL");
    *out = NULL;
    if (!rank_corr)
        return gpb__fail(err, GPB_EINVAL,
                         "copula: rank correlation matrix must not be NULL");
    if (n == 0)
        return gpb__fail(err, GPB_EINVAL, "copula: needs at least 1 input");
    if (n > GPB_COPULA_MAX_DIM)
        return gpb__fail(err, GPB_ERANGE,
                         "copula: %zu inputs exceed the limit of %d", n,
                         GPB_COPULA_MAX_DIM);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double r = rank_corr[i * n + j];
            if (isnan(r))
                return gpb__fail(err, GPB_EINVAL,
                                 "rank correlation (%zu, %zu) is not a "
                                 "number",
                                 i, j);
            if (i == j && fabs(r - 1.0) > SYM_TOL)
                return gpb__fail(err, GPB_EINVAL,
                                 "rank correlation (%zu, %zu) is %g; the "
                                 "diagonal must be 1",
                                 i, j, r);
            if (fabs(r) > 1.0)
                return gpb__fail(err, GPB_EINVAL,
                                 "rank correlation (%zu, %zu) is %g; it "
                                 "must lie in [-1, 1]",
                                 i, j, r);
            if (j > i && fabs(r - rank_corr[j * n + i]) > SYM_TOL)
                return gpb__fail(err, GPB_EINVAL,
                                 "rank correlation matrix is not symmetric: "
                                 "(%zu, %zu) is %g but (%zu, %zu) is %g",
                                 i, j, r, j, i, rank_corr[j * n + i]);
        }
    }
    gpb_copula *c = calloc(1, sizeof *c);
    double *a = malloc(n * n * sizeof *a);
    double *l = malloc(n * (n + 1) / 2 * sizeof *l);
    if (!c || !a || !l) {
        free(c);
        free(a);
        free(l);
        return gpb__fail(err, GPB_ENOMEM, "copula: out of memory");
    }
    /* The normal-scale Pearson correlation whose Gaussian copula has rank
     * correlation rho_s: r = 2 sin(pi rho_s / 6) (Pearson 1907; Kruskal
     * 1958, eq. 4.4). Symmetric, so row- and column-major agree. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            a[i * n + j] =
                i == j ? 1.0
                       : 2.0 * sin(M_PI *
                                   (0.5 * (rank_corr[i * n + j] +
                                           rank_corr[j * n + i])) /
                                   6.0);
    int ni = (int)n, info = 0;
    gpb__blas_lock();
    dpotrf_("L", &ni, a, &ni, &info);
    gpb__blas_unlock();
    if (info != 0) {
        free(c);
        free(a);
        free(l);
        if (info > 0)
            return gpb__fail(err, GPB_ENOTPD,
                             "correlation matrix is not positive definite "
                             "(leading minor %d is not positive)",
                             info);
        return gpb__fail(err, GPB_ENUMERIC,
                         "copula: dpotrf rejected argument %d", -info);
    }
    /* Column-major lower triangle: L(i, j) = a[i + j n] for j <= i. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++)
            l[i * (i + 1) / 2 + j] = a[i + j * n];
    free(a);
    c->n = n;
    c->l = l;
    *out = c;
    return GPB_OK;
}

void gpb_copula_free(gpb_copula *c)
{
    if (!c)
        return;
    free(c->l);
    free(c);
}

size_t gpb_copula_dim(const gpb_copula *c) { return c ? c->n : 0; }

/*
 * e[0..n-1] holds independent standard normals; replaces them by
 * Phi((L e)_i). Goes from the last row up: row i reads e[0..i], none of
 * which has been overwritten yet, so the transform works in place.
 */
static void correlate(const gpb_copula *c, double *e)
{
    for (size_t i = c->n; i-- > 0;) {
        const double *row = c->l + i * (i + 1) / 2;
        double z = 0;
        for (size_t j = 0; j <= i; j++)
            z += row[j] * e[j];
        e[i] = gpb__clamp_unit(gsl_cdf_ugaussian_P(z));
    }
}

void gpb_copula_sample(const gpb_copula *c, gsl_rng *rng, double *u)
{
    if (!c || !rng || !u)
        return;
    for (size_t i = 0; i < c->n; i++)
        u[i] = gsl_ran_gaussian_ziggurat(rng, 1.0);
    correlate(c, u);
}

void gpb_copula_transform(const gpb_copula *c, const double *u_indep,
                          double *u_out)
{
    if (!c || !u_indep || !u_out)
        return;
    for (size_t i = 0; i < c->n; i++)
        u_out[i] = isnan(u_indep[i])
                       ? NAN
                       : gsl_cdf_ugaussian_Pinv(gpb__clamp_unit(u_indep[i]));
    correlate(c, u_out);
}

/* ------------------------------------------------------------------------ */
/* Sample statistics                                                         */
/* ------------------------------------------------------------------------ */

void gpb_stats_sort(double *x, size_t n)
{
    if (x && n > 1)
        gsl_sort(x, 1, n);
}

/*
 * Puts the values of ranks ranks[0..nr) (ascending, within [lo, hi]) in
 * their sorted places in a[lo..hi]: a three-way quickselect around a
 * median-of-three pivot, recursing only into the parts that hold a rank
 * asked for. Expected O(n log nr); runs of equal values (runway at the
 * horizon, counts) collapse into the middle part at once.
 *
 * Each split is two passes without a branch on the values (Lomuto's
 * scheme, each value swapped into place and the boundary moved by the
 * comparison): those below the pivot to the front, then, of the rest,
 * those equal to it. A branch on each comparison, as in Dijkstra's
 * one-pass three-way split this replaced, is mispredicted about half the
 * time on values in random order: 24 ns a value against 4 ns for 8,000
 * values and three ranks (a scratch benchmark, 2026-12-05). The pivot is
 * one of the values, so the part equal to it is never empty.
 */
void gpb__multiselect(double *a, size_t lo, size_t hi, const uint64_t *ranks,
                      size_t nr)
{
    while (nr > 0 && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double x = a[lo], y = a[mid], z = a[hi];
        double pv = x < y ? (y < z ? y : (x < z ? z : x))
                          : (x < z ? x : (y < z ? z : y));
        /* a[lo..lt) < pv */
        size_t lt = lo;
        for (size_t i = lo; i <= hi; i++) {
            double v = a[i];
            a[i] = a[lt];
            a[lt] = v;
            lt += v < pv;
        }
        /* a[lt..eq) == pv (no NaN: not above it is equal), a[eq..hi] >
           pv */
        size_t eq = lt;
        for (size_t i = lt; i <= hi; i++) {
            double v = a[i];
            a[i] = a[eq];
            a[eq] = v;
            eq += !(v > pv);
        }
        size_t gt = eq - 1;
        /* ranks below lt go left, above gt right, between are done. */
        size_t nl = 0;
        while (nl < nr && ranks[nl] < lt)
            nl++;
        size_t ne = nl;
        while (ne < nr && ranks[ne] <= gt)
            ne++;
        if (nl > 0 && lt > 0)
            gpb__multiselect(a, lo, lt - 1, ranks, nl);
        ranks += ne;
        nr -= ne;
        lo = gt + 1;
    }
}

static int cmp_rank(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

size_t gpb__ranks_sort_unique(uint64_t *r, size_t n)
{
    qsort(r, n, sizeof *r, cmp_rank);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || r[u - 1] != r[i])
            r[u++] = r[i];
    return u;
}

int gpb__stats_quantiles(double *x, size_t n, const double *p, size_t k,
                         double *out)
{
    if (k && (!p || !out))
        return -1;
    if (!x || n == 0) {
        for (size_t j = 0; j < k; j++)
            out[j] = NAN; /* as gpb_stats_quantile_sorted */
        return 0;
    }
    uint64_t *r = malloc((k ? 2 * k : 1) * sizeof *r);
    if (!r)
        return -1;
    /* The order statistics gpb_stats_quantile_sorted reads at each p: GSL
       interpolates between the values at ⌊p(n − 1)⌋ and the next. */
    size_t nr = 0;
    for (size_t j = 0; j < k; j++) {
        if (isnan(p[j]))
            continue;
        double q = fmin(fmax(p[j], 0.0), 1.0);
        size_t lhs = (size_t)(q * (double)(n - 1));
        r[nr++] = lhs;
        if (lhs + 1 < n)
            r[nr++] = lhs + 1;
    }
    size_t u = gpb__ranks_sort_unique(r, nr);
    gpb__multiselect(x, 0, n - 1, r, u);
    free(r);
    for (size_t j = 0; j < k; j++)
        out[j] = gpb_stats_quantile_sorted(x, n, p[j]);
    return 0;
}

double gpb_stats_quantile_sorted(const double *sorted, size_t n, double p)
{
    if (!sorted || n == 0 || isnan(p))
        return NAN;
    p = fmin(fmax(p, 0.0), 1.0);
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

double gpb_stats_spearman(const double *x, const double *y, size_t n,
                          double *work)
{
    if (!x || !y || !work || n < 2)
        return NAN;
    return gsl_stats_spearman(x, 1, y, 1, n, work);
}
