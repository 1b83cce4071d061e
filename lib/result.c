/*
 * Reading a simulation's result (gpubudget/sim.h): metrics by name, means
 * with standard errors, quantiles, probabilities, the fan and the raise.
 *
 * Quantiles sort a metric's per-path values once, on first use, under the
 * result's lock, so a result can be read from several threads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "sim_internal.h"

size_t gpb_result_paths(const gpb_result *r) { return r ? r->paths : 0; }
int gpb_result_horizon_months(const gpb_result *r)
{
    return r ? r->horizon : 0;
}
gpb_currency gpb_result_currency(const gpb_result *r)
{
    return r ? r->currency : GPB_CURRENCY_NONE;
}
uint64_t gpb_result_seed(const gpb_result *r) { return r ? r->seed : 0; }
size_t gpb_result_metric_count(const gpb_result *r)
{
    return r ? r->n_metrics : 0;
}
const char *gpb_result_metric_name(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics ? r->metric_names[i] : NULL;
}
const char *gpb_result_metric_unit(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics ? r->metric_units[i] : NULL;
}
size_t gpb_result_input_count(const gpb_result *r)
{
    return r ? r->n_inputs : 0;
}
const char *gpb_result_input_path(const gpb_result *r, size_t i)
{
    return r && i < r->n_inputs ? r->input_paths[i] : NULL;
}
const double *gpb_result_input_samples(const gpb_result *r, size_t i)
{
    return r && i < r->n_inputs ? r->inputs[i] : NULL;
}

double gpb_result_per_usd(const gpb_result *r, gpb_currency cur, size_t path)
{
    if (!r || path >= r->paths || (unsigned)cur >= GPB_CURRENCY_COUNT ||
        cur == GPB_CURRENCY_NONE)
        return NAN;
    return r->per_usd[cur] ? r->per_usd[cur][path] : 1.0;
}

gpb_status gpb_result_metric_find(const gpb_result *r, const char *name,
                                  size_t *index, gpb_error *err)
{
    if (!r || !name)
        return gpb__fail(err, GPB_EINVAL, "result and name must not be NULL");
    for (size_t i = 0; i < r->n_metrics; i++)
        if (!strcmp(r->metric_names[i], name)) {
            if (index)
                *index = i;
            return GPB_OK;
        }
    /* The three nearest names, for the message. */
    size_t best[3] = {0, 0, 0};
    int bd[3] = {1 << 30, 1 << 30, 1 << 30};
    for (size_t i = 0; i < r->n_metrics; i++) {
        int d = gpb__edit_distance(name, r->metric_names[i]);
        for (int k = 0; k < 3; k++)
            if (d < bd[k]) {
                for (int j = 2; j > k; j--) {
                    bd[j] = bd[j - 1];
                    best[j] = best[j - 1];
                }
                bd[k] = d;
                best[k] = i;
                break;
            }
    }
    size_t n = r->n_metrics < 3 ? r->n_metrics : 3;
    return gpb__fail(err, GPB_ENOTFOUND,
                     "unknown metric '%s'; did you mean %s%s%s%s%s?", name,
                     n > 0 ? r->metric_names[best[0]] : "",
                     n > 1 ? ", " : "", n > 1 ? r->metric_names[best[1]] : "",
                     n > 2 ? ", " : "", n > 2 ? r->metric_names[best[2]] : "");
}

/*
 * Sorts doubles ascending by an LSD radix sort on their IEEE-754 bits
 * (after flipping so that unsigned order is numeric order): O(n) in six
 * passes of 11 bits. 2,048 buckets keep the counts in L1 and the scatter
 * within what the cache and TLB handle well (16-bit digits were four times
 * slower on 10^6 values). NaNs sort last (positive) or first (negative);
 * the engine makes none.
 */
#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
/* Scratch for the sort, in 2 MiB-aligned memory the kernel may back with
   huge pages: the scatter writes 2,048 streams at once, more 4 KiB pages
   than the TLB holds. */
static void *huge_alloc(size_t bytes)
{
    const size_t huge = (size_t)2 << 20;
    /* Small arrays gain nothing and would cost a zeroed 2 MiB each. */
    if (bytes < 2 * huge)
        return malloc(bytes ? bytes : 1);
    size_t rounded = (bytes + huge - 1) / huge * huge;
    void *p = NULL;
    if (posix_memalign(&p, huge, rounded ? rounded : huge))
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

static int radix_sort(double *v, size_t n)
{
    uint64_t *a = huge_alloc(n * sizeof *a), *b = huge_alloc(n * sizeof *b);
    size_t *cnt = malloc(RADIX_SIZE * sizeof *cnt);
    if (!a || !b || !cnt) {
        free(a);
        free(b);
        free(cnt);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &v[i], sizeof u);
        a[i] = (u >> 63) ? ~u : (u | 0x8000000000000000ull);
    }
    for (int shift = 0; shift < 64; shift += RADIX_BITS) {
        memset(cnt, 0, RADIX_SIZE * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(a[i] >> shift) & (RADIX_SIZE - 1)]++;
        /* A digit that is the same in every value moves nothing. */
        if (cnt[(a[0] >> shift) & (RADIX_SIZE - 1)] == n)
            continue;
        size_t sum = 0;
        for (size_t k = 0; k < RADIX_SIZE; k++) {
            size_t c = cnt[k];
            cnt[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[cnt[(a[i] >> shift) & (RADIX_SIZE - 1)]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t u = a[i];
        u = (u >> 63) ? (u & 0x7fffffffffffffffull) : ~u;
        memcpy(&v[i], &u, sizeof u);
    }
    free(a);
    free(b);
    free(cnt);
    return 0;
}

static gpb_status sorted_of(const gpb_result *r, size_t m, const double **out,
                            gpb_error *err)
{
    gpb_result *w = (gpb_result *)r; /* the cache is logically const */
    gpb_status st = GPB_OK;
    pthread_mutex_lock(&w->lock);
    if (!w->sorted[m]) {
        double *s = huge_alloc(r->paths * sizeof *s);
        if (s) {
            memcpy(s, r->values[m], r->paths * sizeof *s);
            if (radix_sort(s, r->paths)) {
                free(s);
                s = NULL;
            }
        }
        if (!s)
            st = gpb__fail(err, GPB_ENOMEM, "out of memory sorting '%s'",
                           r->metric_names[m]);
        w->sorted[m] = s;
    }
    *out = w->sorted[m];
    pthread_mutex_unlock(&w->lock);
    return st;
}

gpb_status gpb_result_mean(const gpb_result *r, const char *metric,
                           double *mean, double *std_error, gpb_error *err)
{
    size_t m;
    gpb_status st = gpb_result_metric_find(r, metric, &m, err);
    if (st)
        return st;
    /* Welford's algorithm, in path order (deterministic). */
    const double *v = r->values[m];
    double mu = 0, m2 = 0;
    for (size_t i = 0; i < r->paths; i++) {
        double d = v[i] - mu;
        mu += d / (double)(i + 1);
        m2 += d * (v[i] - mu);
    }
    if (mean)
        *mean = mu;
    if (std_error)
        *std_error = r->paths > 1
                         ? sqrt(m2 / (double)(r->paths - 1) / (double)r->paths)
                         : NAN;
    return GPB_OK;
}

gpb_status gpb_result_quantile(const gpb_result *r, const char *metric,
                               double p, double *out, gpb_error *err)
{
    size_t m;
    gpb_status st = gpb_result_metric_find(r, metric, &m, err);
    if (st)
        return st;
    if (!(p >= 0 && p <= 1) || !out)
        return gpb__fail(err, GPB_EINVAL,
                         "quantile level must be in [0, 1], got %g", p);
    const double *s;
    if ((st = sorted_of(r, m, &s, err)))
        return st;
    *out = gpb_stats_quantile_sorted(s, r->paths, p);
    return GPB_OK;
}

gpb_status gpb_result_prob_at_most(const gpb_result *r, const char *metric,
                                   double x, double *out, gpb_error *err)
{
    size_t m;
    gpb_status st = gpb_result_metric_find(r, metric, &m, err);
    if (st)
        return st;
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    size_t c = 0;
    for (size_t i = 0; i < r->paths; i++)
        c += r->values[m][i] <= x;
    *out = (double)c / (double)r->paths;
    return GPB_OK;
}

gpb_status gpb_result_samples(const gpb_result *r, const char *metric,
                              const double **values, gpb_error *err)
{
    size_t m;
    gpb_status st = gpb_result_metric_find(r, metric, &m, err);
    if (st)
        return st;
    if (values)
        *values = r->values[m];
    return GPB_OK;
}

double gpb_result_prob_out_of_cash_by(const gpb_result *r, int month)
{
    if (!r || month < 0)
        return 0;
    if (month >= r->horizon)
        month = r->horizon - 1;
    return r->p_out_by[month];
}

static gpb_status check_month(const gpb_result *r, int month, double p,
                              gpb_error *err)
{
    if (!r)
        return gpb__fail(err, GPB_EINVAL, "result is NULL");
    if (month < 0 || month >= r->horizon)
        return gpb__fail(err, GPB_ERANGE,
                         "month %d is outside the horizon 0..%d", month,
                         r->horizon - 1);
    if (!(p >= 0 && p <= 1))
        return gpb__fail(err, GPB_EINVAL,
                         "quantile level must be in [0, 1], got %g", p);
    return GPB_OK;
}

gpb_status gpb_result_fan(const gpb_result *r, int month, double p,
                          double *out, gpb_error *err)
{
    gpb_status st = check_month(r, month, p, err);
    if (st)
        return st;
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    *out = gpb__hist_quantile(&r->hist.cash[month], r->paths, p);
    return GPB_OK;
}

gpb_status gpb_result_raise_needed(const gpb_result *r, double confidence,
                                   double *out, gpb_error *err)
{
    if (!(confidence >= 0 && confidence <= 1))
        return gpb__fail(err, GPB_EINVAL,
                         "confidence must be in [0, 1], got %g", confidence);
    return gpb_result_quantile(r, "deficit.max", confidence, out, err);
}

gpb_status gpb_result_raise_for_runway(const gpb_result *r, int months,
                                       double confidence, double *out,
                                       gpb_error *err)
{
    if (!r || !out)
        return gpb__fail(err, GPB_EINVAL, "result and out must not be NULL");
    if (months < 1)
        return gpb__fail(err, GPB_ERANGE,
                         "runway target must be at least 1 month, got %d",
                         months);
    if (!(confidence >= 0 && confidence <= 1))
        return gpb__fail(err, GPB_EINVAL,
                         "confidence must be in [0, 1], got %g", confidence);
    if (months >= r->horizon)
        return gpb_result_raise_needed(r, confidence, out, err);
    /* Cash lasts `months` months when the running minimum through month
       months−1 stays ≥ 0; raise R so that this holds with the confidence:
       R = max(0, −Q_{1−c}(running minimum)). */
    double q = gpb__hist_quantile(&r->hist.runmin[months - 1], r->paths,
                                  1.0 - confidence);
    *out = q < 0 ? -q : 0;
    return GPB_OK;
}
