/*
 * Reading a simulation's result (gpubudget/sim.h): the registries, metrics
 * by name, means with standard errors, quantiles by selection, the fan,
 * the raise, survival, merging two results.
 *
 * Quantiles. Each metric's order statistics are found by selection (a
 * three-way quickselect over a copy, narrowing to each rank asked for) and
 * cached, under the result's lock, so a result can be read from several
 * threads and asking again is free. When not every path was kept they
 * come from the metric's sketch.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "gpubudget/report.h"
#include "internal.h"
#include "stream.h"
#include "vmath.h"

/* ---- the registries ----------------------------------------------------- */

static const struct {
    const char *key, *label, *metric;
    gpb_flow flow;
} categories[GPB_CAT_COUNT] = {
#define GPB__CAT_ROW(name, num, key, flow, label)                          \
    [num] = {key, label,                                                   \
             (flow) == GPB_FLOW_SPEND ? "spend." key : "income." key, flow},
    GPB_CATEGORY_MAP(GPB__CAT_ROW)
#undef GPB__CAT_ROW
};

int gpb_category_count(void) { return GPB_CAT_COUNT; }

const char *gpb_category_key(gpb_category c)
{
    return (unsigned)c < GPB_CAT_COUNT ? categories[c].key : "unknown";
}
const char *gpb_category_label(gpb_category c)
{
    return (unsigned)c < GPB_CAT_COUNT ? categories[c].label : "unknown";
}
gpb_flow gpb_category_flow(gpb_category c)
{
    return (unsigned)c < GPB_CAT_COUNT ? categories[c].flow : GPB_FLOW_SPEND;
}
const char *gpb_category_metric(gpb_category c)
{
    return (unsigned)c < GPB_CAT_COUNT ? categories[c].metric : NULL;
}

const char *gpb_unit_name(gpb_unit u)
{
    switch (u) {
    case GPB_UNIT_MONEY:
        return "money";
    case GPB_UNIT_MONTHS:
        return "months";
    case GPB_UNIT_PROBABILITY:
        return "probability";
    case GPB_UNIT_GPU_HOURS:
        return "GPU-hours";
    case GPB_UNIT_CARD_MONTHS:
        return "card-months";
    case GPB_UNIT_COUNT:
        return "count";
    case GPB_UNIT_FLOPS:
        return "FLOPs";
    case GPB_UNIT_FLOP_PER_S:
        return "FLOP/s";
    case GPB_UNIT_GPUS:
        return "GPUs";
    case GPB_UNIT_USERS:
        return "users";
    }
    return "unknown";
}

/* ---- order statistics ---------------------------------------------------- */

/* Cached (rank, value) pairs of one metric, ranks ascending. */
typedef struct eng_osc {
    size_t n, cap;
    uint64_t *rank;
    double *val;
} eng_osc;

/*
 * The same for large arrays without copying them: a histogram of the
 * values' order-preserving keys, scaled to the range of keys present (the
 * top 16 bits of key − min key), finds the bucket of each rank asked for;
 * a second pass gathers the values of those buckets only (about n / 65536
 * each where the values spread), which gpb__multiselect then orders. Three
 * streaming reads of the values (extremes, counts, gather) instead of a
 * copy and several partitions. ranks ascending, out in the same order.
 * Returns -1 when out of memory.
 */
static inline uint64_t vkey(double x) { return gpb__sketch_key(x); }

GPB__VCLONES void gpb__value_extremes(const double *x, size_t n,
                                      uint64_t *lo, uint64_t *hi, int *big)
{
    uint64_t a = UINT64_MAX, b = 0;
    int bad = 0;
#pragma omp simd reduction(min : a) reduction(max : b) reduction(| : bad)
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        uint64_t k = vkey(v);
        a = k < a ? k : a;
        b = k > b ? k : b;
        bad |= !(v >= 0 && v < GPB__SMALL_MAX) || v != floor(v);
    }
    *lo = a;
    *hi = b;
    *big = bad;
}

/* The value whose key is k (vkey's inverse). */
static double key_double(uint64_t k)
{
    uint64_t u = (k >> 63) ? (k ^ 0x8000000000000000ull) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* A bucket with more than an eighth of the values is refined by another
   counting pass over its key range rather than gathered (a point mass
   such as the zeros of income.funding, or a run's few possible
   GPU-hours): a pass over the values costs less than selecting among
   that many. */
#define HIST_GATHER_MAX (n / 8)

/*
 * The 65536 buckets of a key range: linear, the top 16 bits of key − klo,
 * unless the range holds both signs and that gives a binade fewer than
 * 512 buckets. A range of both signs
 * (cash at its lowest: −$40M .. $90M) spans every binade down to 1e-308
 * on each side, and linearly each of the binades that hold the values got
 * 16 buckets, so a rank's bucket held a sixth of them and was refined by
 * three more passes (20 ms of a report's 56 at 30 months, 10^6 paths).
 * Such a range is bucketed by magnitude: 512 buckets a binade (the top 20
 * bits of |x|: exponent and 9 bits of mantissa) over the 64 binades below
 * the largest magnitude, negatives below 32768, positives above, and every
 * smaller magnitude, of either sign, in bucket 32768. Both maps keep the
 * order (a larger value never falls in a lower bucket), and a bucket that
 * holds more than one key and too many values is refined over the keys it
 * really holds, so the selection is exact either way.
 */
typedef struct hmap {
    uint64_t klo;
    unsigned shift;
    int by_mag;
    uint64_t base; /* by_mag: the top 20 bits of |x| at bucket 32768 */
} hmap;

#define HMAP_MAG_SHIFT 43 /* 52 − 9 mantissa bits */

static uint64_t key_mag20(uint64_t key)
{
    uint64_t bits = (key >> 63) ? key : ~key;
    return (bits & 0x7fffffffffffffffull) >> HMAP_MAG_SHIFT;
}

static hmap hmap_of(uint64_t klo, uint64_t khi)
{
    hmap h = {.klo = klo};
    while (((khi - klo) >> h.shift) >= 65536)
        h.shift++;
    if (h.shift > HMAP_MAG_SHIFT && !(klo >> 63) && (khi >> 63)) {
        uint64_t a = key_mag20(klo), b = key_mag20(khi);
        uint64_t top = a > b ? a : b;
        h.by_mag = 1;
        h.base = top > 32767 ? top - 32767 : 0;
    }
    return h;
}

static inline uint32_t bucket_lin(uint64_t klo, unsigned shift, uint64_t key)
{
    return (uint32_t)((key - klo) >> shift);
}

static inline uint32_t bucket_mag(uint64_t base, uint64_t key)
{
    uint64_t t = key_mag20(key);
    uint32_t d = t > base ? (uint32_t)(t - base) : 0;
    return (key >> 63) ? 32768u + d : 32768u - d;
}

/* Bucket HNONE: a key outside the range counted (hist_range's all_in 0). */
#define HNONE 65536u
#define HWORDS ((HNONE + 64) / 64) /* a bitmap of the buckets and HNONE */
/* Values whose buckets are found at once, vectorised, before the counts
   or the gathering use them. */
#define HCHUNK 1024

/*
 * The buckets of v[0..n) (n <= HCHUNK) into b, HNONE for a key outside
 * [klo, khi] unless all_in says none is: the key's arithmetic over the
 * chunk vectorises, so the passes that follow do only their table work.
 */
GPB__VCLONES static void hmap_buckets(const hmap *h, uint64_t klo,
                                      uint64_t khi, int all_in,
                                      const double *v, size_t n, uint32_t *b)
{
    const uint64_t lo = h->klo, base = h->base;
    const unsigned shift = h->shift;
    if (!h->by_mag) {
#pragma omp simd
        for (size_t i = 0; i < n; i++) {
            uint64_t k = vkey(v[i]);
            uint32_t x = bucket_lin(lo, shift, k);
            b[i] = all_in || (k >= klo && k <= khi) ? x : HNONE;
        }
    } else {
#pragma omp simd
        for (size_t i = 0; i < n; i++) {
            uint64_t k = vkey(v[i]);
            uint32_t x = bucket_mag(base, k);
            b[i] = all_in || (k >= klo && k <= khi) ? x : HNONE;
        }
    }
}

static inline int bit_set(const uint64_t *bm, uint32_t b)
{
    return (int)((bm[b >> 6] >> (b & 63)) & 1);
}

/*
 * Ranks ranks[0..nr) (ascending, counted among the values whose keys lie
 * in [klo, khi]) into out. One counting pass over v on 65536 buckets of
 * that range (hmap); each rank's bucket is then exact (one key: its value
 * is known), gathered and selected when small, or refined the same way.
 */
static int hist_range(const double *v, size_t n, uint64_t klo, uint64_t khi,
                      int all_in, const uint64_t *ranks, size_t nr,
                      double *out, gpb__select_work *wk)
{
    const hmap hm = hmap_of(klo, khi);
    const unsigned shift = hm.shift;
    /* On the heap, not the stack: a refinement recurses (one level a
       point mass far below the next), and a thread's stack may be small:
       in the caller's work areas, kept across its calls (a refinement
       needs its own while these are in use). */
    if (!wk->cnt)
        wk->cnt = malloc((HNONE + 1 + HCHUNK) * sizeof *wk->cnt);
    if (!wk->want)
        wk->want = malloc(HWORDS * sizeof *wk->want);
    if (!wk->slot)
        wk->slot = malloc(65536 * sizeof *wk->slot);
    uint32_t *cnt = wk->cnt, *bk = cnt ? cnt + HNONE + 1 : NULL;
    uint64_t *want = wk->want; /* buckets a pass reads */
    int32_t *slot = wk->slot;
    if (cnt)
        memset(cnt, 0, (HNONE + 1) * sizeof *cnt);
    size_t *first = malloc((nr ? nr : 1) * sizeof *first);
    uint32_t *bucket = malloc((nr ? nr : 1) * sizeof *bucket);
    double **arr = calloc(nr ? nr : 1, sizeof *arr);
    size_t *fill = calloc(nr ? nr : 1, sizeof *fill);
    uint64_t *local = malloc((nr ? nr : 1) * sizeof *local);
    uint64_t *hmin = malloc((nr ? nr : 1) * sizeof *hmin);
    uint64_t *hmax = malloc((nr ? nr : 1) * sizeof *hmax);
    int rc = -1;
    if (!cnt || !want || !slot || !first || !bucket || !arr || !fill ||
        !local || !hmin || !hmax)
        goto done;
    for (size_t i0 = 0; i0 < n; i0 += HCHUNK) { /* HNONE counts aside */
        size_t m = n - i0 < HCHUNK ? n - i0 : HCHUNK;
        hmap_buckets(&hm, klo, khi, all_in, v + i0, m, bk);
        for (size_t i = 0; i < m; i++)
            cnt[bk[i]]++;
    }
    /* The bucket of each rank and the rank's place inside it. */
    size_t nb = 0;
    uint64_t below = 0;
    size_t j = 0;
    for (uint32_t b = 0; b < 65536 && j < nr; b++) {
        uint64_t end = below + cnt[b];
        while (j < nr && ranks[j] < end) {
            if (nb == 0 || bucket[nb - 1] != b) {
                bucket[nb] = b;
                first[nb] = j;
                nb++;
            }
            local[j] = ranks[j] - below;
            j++;
        }
        below = end;
    }
    for (uint32_t b = 0; b < 65536; b++)
        slot[b] = -1;
    /* Heavy buckets: their smallest and largest keys, all in one pass, so
       a point mass (every value alike) is known at once and any other is
       refined over the range it really spans. */
    int heavy = 0;
    memset(want, 0, HWORDS * sizeof *want);
    for (size_t k = 0; k < nb; k++)
        if (cnt[bucket[k]] > HIST_GATHER_MAX && shift > 0) {
            slot[bucket[k]] = (int32_t)k;
            want[bucket[k] >> 6] |= 1ull << (bucket[k] & 63);
            hmin[k] = UINT64_MAX;
            hmax[k] = 0;
            heavy = 1;
        }
    if (heavy) {
        for (size_t i0 = 0; i0 < n; i0 += HCHUNK) {
            size_t m = n - i0 < HCHUNK ? n - i0 : HCHUNK;
            hmap_buckets(&hm, klo, khi, all_in, v + i0, m, bk);
            for (size_t i = 0; i < m; i++) {
                if (!bit_set(want, bk[i]))
                    continue;
                int32_t k = slot[bk[i]];
                uint64_t key = vkey(v[i0 + i]);
                hmin[k] = key < hmin[k] ? key : hmin[k];
                hmax[k] = key > hmax[k] ? key : hmax[k];
            }
        }
        for (uint32_t b = 0; b < 65536; b++)
            slot[b] = -1;
        memset(want, 0, HWORDS * sizeof *want);
    }
    int gather = 0;
    for (size_t k = 0; k < nb; k++) {
        size_t end = k + 1 < nb ? first[k + 1] : nr;
        /* The bucket's keys (linear map; by magnitude, where shift > 0,
           a bucket holds many keys: the heavy ones' are measured). */
        uint64_t blo = hm.by_mag ? klo : klo + ((uint64_t)bucket[k] << shift);
        uint64_t bhi = hm.by_mag ? khi
                       : shift   ? blo + ((1ull << shift) - 1)
                                 : blo;
        if (bhi > khi)
            bhi = khi;
        if (cnt[bucket[k]] > HIST_GATHER_MAX && shift > 0) {
            blo = hmin[k];
            bhi = hmax[k];
        }
        if (blo == bhi) { /* one key: every value in it is the same */
            for (size_t i = first[k]; i < end; i++)
                out[i] = key_double(blo);
        } else if (cnt[bucket[k]] > HIST_GATHER_MAX) {
            gpb__select_work sub = {0};
            int bad = hist_range(v, n, blo, bhi, 0, local + first[k],
                                 end - first[k], out + first[k], &sub);
            gpb__select_work_free(&sub);
            if (bad)
                goto done;
        } else {
            slot[bucket[k]] = (int32_t)k;
            want[bucket[k] >> 6] |= 1ull << (bucket[k] & 63);
            arr[k] = malloc(cnt[bucket[k]] * sizeof **arr);
            if (!arr[k])
                goto done;
            gather = 1;
        }
    }
    if (gather) {
        for (size_t i0 = 0; i0 < n; i0 += HCHUNK) {
            size_t m = n - i0 < HCHUNK ? n - i0 : HCHUNK;
            hmap_buckets(&hm, klo, khi, all_in, v + i0, m, bk);
            for (size_t i = 0; i < m; i++)
                if (bit_set(want, bk[i])) {
                    int32_t k = slot[bk[i]];
                    arr[k][fill[k]++] = v[i0 + i];
                }
        }
        for (size_t k = 0; k < nb; k++) {
            if (!arr[k])
                continue;
            size_t end = k + 1 < nb ? first[k + 1] : nr;
            gpb__multiselect(arr[k], 0, fill[k] - 1, local + first[k],
                        end - first[k]);
            for (size_t i = first[k]; i < end; i++)
                out[i] = arr[k][local[i]];
        }
    }
    rc = 0;
done:
    if (arr)
        for (size_t k = 0; k < nr; k++)
            free(arr[k]);
    free(arr);
    free(first);
    free(bucket);
    free(fill);
    free(local);
    free(hmin);
    free(hmax);
    return rc;
}

/* kmin, kmax: the values' smallest and largest keys. */
static int hist_select(const double *v, size_t n, const uint64_t *ranks,
                       size_t nr, uint64_t kmin, uint64_t kmax, double *out,
                       gpb__select_work *wk)
{
    return hist_range(v, n, kmin, kmax, 1, ranks, nr, out, wk);
}

void gpb__select_work_free(gpb__select_work *wk)
{
    if (!wk)
        return;
    free(wk->cnt);
    free(wk->slot);
    free(wk->want);
    free(wk->small);
    memset(wk, 0, sizeof *wk);
}

static int osc_find(const eng_osc *c, uint64_t k, double *v)
{
    size_t a = 0, b = c->n;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (c->rank[m] < k)
            a = m + 1;
        else
            b = m;
    }
    if (a < c->n && c->rank[a] == k) {
        *v = c->val[a];
        return 1;
    }
    return 0;
}

static int osc_add(eng_osc *c, uint64_t k, double v)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        uint64_t *r = realloc(c->rank, cap * sizeof *r);
        if (!r)
            return -1;
        c->rank = r;
        double *w = realloc(c->val, cap * sizeof *w);
        if (!w)
            return -1;
        c->val = w;
        c->cap = cap;
    }
    double dup;
    if (osc_find(c, k, &dup))
        return 0; /* found meanwhile by another thread */
    size_t i = c->n;
    while (i > 0 && c->rank[i - 1] > k) {
        c->rank[i] = c->rank[i - 1];
        c->val[i] = c->val[i - 1];
        i--;
    }
    c->rank[i] = k;
    c->val[i] = v;
    c->n++;
    return 0;
}

/* The values at sorted ranks[0..nr) from the counts of the whole numbers
   0 .. top, kept in four tables (cnt[t * stride + x]); the number of
   ranks found. */
static size_t counts_walk(const uint64_t *cnt, size_t stride, size_t top,
                          const uint64_t *ranks, size_t nr, double *out)
{
    uint64_t seen = 0;
    size_t j = 0;
    for (size_t x = 0; x <= top && j < nr; x++) {
        seen += GPB__COUNT4_AT(cnt, stride, x);
        while (j < nr && ranks[j] < seen)
            out[j++] = (double)x;
    }
    return j;
}


/*
 * Order statistics of a metric whose values are small whole numbers
 * (counts, 0/1 flags, months of a metric not stored narrow): one counting
 * pass, instead of selection. big: some value is not a whole number in
 * [0, GPB__SMALL_MAX) (gpb__value_extremes); then nothing is done and 0
 * is returned, else 1.
 */
static int small_counts(const double *v, size_t n, const uint64_t *ranks,
                        size_t nr, int big, double *out,
                        gpb__select_work *wk)
{
    if (big)
        return 0;
    if (!wk->small)
        wk->small = malloc(4 * GPB__SMALL_MAX * sizeof *wk->small);
    uint64_t *cnt = wk->small;
    if (!cnt)
        return 0;
    memset(cnt, 0, 4 * GPB__SMALL_MAX * sizeof *cnt);
    GPB__COUNT4(cnt, GPB__SMALL_MAX, v, n);
    size_t j = counts_walk(cnt, GPB__SMALL_MAX, GPB__SMALL_MAX - 1, ranks,
                           nr, out);
    return j == nr;
}

/* The values at sorted ranks[0..nr) of the narrow column v[0..n) (every
   rank below n): the largest value, a count of each, then a walk. -1 when
   out of memory. */
static int narrow_counts(const uint16_t *v, size_t n, const uint64_t *ranks,
                         size_t nr, double *out)
{
    uint16_t top = 0;
#pragma omp simd reduction(max : top)
    for (size_t i = 0; i < n; i++)
        top = v[i] > top ? v[i] : top;
    size_t stride = (size_t)top + 1;
    uint64_t *cnt = calloc(4 * stride, sizeof *cnt);
    if (!cnt)
        return -1;
    GPB__COUNT4(cnt, stride, v, n);
    counts_walk(cnt, stride, top, ranks, nr, out);
    free(cnt);
    return 0;
}

/* ---- bands (engine.h) ------------------------------------------------- */

/* Exact order statistics at sorted, distinct ranks[0..nr) of v[0..n) (no
   NaN), v unchanged, given the values' smallest and largest keys and
   whether any is not a small whole number (gpb__value_extremes): a count,
   a histogram select above 65,536 values, else a selection in a copy. The
   one selection of a stored column and of a run's bands. 0, or -1 when
   out of memory. */
static int select_exact(const double *v, size_t n, const uint64_t *ranks,
                        size_t nr, uint64_t klo, uint64_t khi, int big,
                        double *out, gpb__select_work *wk)
{
    if (small_counts(v, n, ranks, nr, big, out, wk))
        return 0;
    if (n > 65536 && !hist_select(v, n, ranks, nr, klo, khi, out, wk))
        return 0;
    double *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        return -1;
    memcpy(a, v, n * sizeof *a);
    gpb__multiselect(a, 0, n - 1, ranks, nr);
    for (size_t i = 0; i < nr; i++)
        out[i] = a[ranks[i]];
    free(a);
    return 0;
}

/* The 0-based ranks of the distribution-free interval of the p-quantile
   of n values at z standard errors (docs/engine.md, Order statistics):
   gpb_result_quantile_ci's (z from its level) and a band's (engine.h). */
static void ci_ranks_z(size_t n, double p, double z, uint64_t *lo,
                       uint64_t *hi)
{
    double np = (double)n * p, h = z * sqrt(np * (1.0 - p));
    double l = floor(np - h), u = ceil(np + h);
    l = l < 1 ? 1 : l > (double)n ? (double)n : l;
    u = u < 1 ? 1 : u > (double)n ? (double)n : u;
    *lo = (uint64_t)l - 1;
    *hi = (uint64_t)u - 1;
}

/* The full run's ranks a band must hold for level p of N paths, *ka ..
   *kb: the two order statistics around p (N − 1) and the confidence ranks
   up to GPB__BAND_CI_Z (ci_ranks), two more each side, so that a metric
   read at n − 1 − k of its source (engine.h) finds them too. */
static void band_span(size_t N, double p, uint64_t *ka, uint64_t *kb)
{
    uint64_t cl, ch;
    ci_ranks_z(N, p, GPB__BAND_CI_Z, &cl, &ch);
    double lo = floor(p * (double)(N - 1)), hi = lo + 1;
    lo = ((double)cl < lo ? (double)cl : lo) - 2;
    hi = ((double)ch > hi ? (double)ch : hi) + 2;
    double top = (double)N - 1;
    *ka = (uint64_t)(lo < 0 ? 0 : lo > top ? top : lo);
    *kb = (uint64_t)(hi < 0 ? 0 : hi > top ? top : hi);
}

/* The levels metric m's bands are made for, ascending: the report's (and
   their complements: a metric that falls as its source rises reads the
   source at 1 − p), and for the source of the deficit, whose quantiles
   are the raise's (gpb_result_raise_needed), the complements of the
   raise's. Their number. */
static size_t band_levels(const eng_metric *mt, size_t nm, size_t m,
                          double *lv)
{
    size_t n = 0;
    for (size_t i = 0; i < GPB_REPORT_N_LEVELS; i++) {
        lv[n++] = gpb_report_levels[i];
        lv[n++] = 1.0 - gpb_report_levels[i];
    }
    int raise = 0;
    for (size_t d = 0; d < nm; d++)
        raise |= mt[d].derived == GPB__DERIVE_DEFICIT && mt[d].src == m &&
                 !mt[d].constant;
    for (size_t i = 0; raise && i < GPB_REPORT_N_RAISE_LEVELS; i++) {
        lv[n++] = gpb_report_raise_levels[i];
        lv[n++] = 1.0 - gpb_report_raise_levels[i];
    }
    /* Sorted, repeats (within 1e-12) dropped. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && lv[j] < lv[j - 1]; j--) {
            double t = lv[j];
            lv[j] = lv[j - 1];
            lv[j - 1] = t;
        }
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || lv[i] - lv[u - 1] > 1e-12)
            lv[u++] = lv[i];
    return u;
}

/* The ranks among n0 first paths between which the full run's ranks ka
   .. kb of N fall but with a chance of about 3·10^-7 an end: their
   proportions widened by GPB__BAND_Z standard errors of a quantile of n0
   paths and 2 ranks (engine.h); *a < 0 and *b >= n0 past the ends. The
   n0 paths are among the N, so the run's proportion below a value
   differs from theirs by less than that error. */
static void pilot_ranks(size_t N, uint64_t ka, uint64_t kb, size_t n0,
                        double *a, double *b)
{
    double qa = (double)ka / (double)N, qb = (double)(kb + 1) / (double)N;
    double f = (double)n0;
    double da = GPB__BAND_Z * sqrt(fmax(qa * (1 - qa), 0) / f) + 2 / f;
    double db = GPB__BAND_Z * sqrt(fmax(qb * (1 - qb), 0) / f) + 2 / f;
    *a = floor((qa - da) * f);
    *b = ceil((qb + db) * f);
}

int gpb__bands_build(const gpb_result *r, size_t n0, size_t m,
                     eng_bands *out_m, gpb__select_work *wk)
{
    const size_t N = r->paths;
    double lev[2 * (GPB_REPORT_N_LEVELS + GPB_REPORT_N_RAISE_LEVELS)];
    const size_t L = band_levels(r->metrics, r->n_metrics, m, lev);
    if (L > GPB__BANDS_MAX)
        return -1; /* (a table grew: engine.h) */
    {
        memset(out_m, 0, sizeof *out_m);
        if (!r->values[m] || n0 < 2)
            return 0;
        /* Each level's band ends as ranks of the first n0 paths
           (pilot_ranks), -1 / n0 past the ends. */
        int64_t ra[GPB__BANDS_MAX], rb[GPB__BANDS_MAX];
        uint64_t rk[2 * GPB__BANDS_MAX];
        size_t nr = 0;
        for (size_t i = 0; i < L; i++) {
            uint64_t ka, kb;
            band_span(N, lev[i], &ka, &kb);
            double f = (double)n0, a, b;
            pilot_ranks(N, ka, kb, n0, &a, &b);
            ra[i] = a < 0 ? -1 : (int64_t)a;
            rb[i] = b >= f ? (int64_t)n0 : (int64_t)b;
            if (ra[i] >= 0)
                rk[nr++] = (uint64_t)ra[i];
            if (rb[i] < (int64_t)n0)
                rk[nr++] = (uint64_t)rb[i];
        }
        double val[2 * GPB__BANDS_MAX];
        size_t u = gpb__ranks_sort_unique(rk, nr);
        uint64_t klo, khi;
        int big;
        gpb__value_extremes(r->values[m], n0, &klo, &khi, &big);
        if (u &&
            select_exact(r->values[m], n0, rk, u, klo, khi, big, val, wk))
            return -1;
        eng_bands *bs = out_m;
        for (size_t i = 0; i < L; i++) {
            double lo = -INFINITY, hi = INFINITY;
            for (size_t j = 0; j < u; j++) {
                if (ra[i] >= 0 && rk[j] == (uint64_t)ra[i])
                    lo = val[j];
                if (rb[i] < (int64_t)n0 && rk[j] == (uint64_t)rb[i])
                    hi = val[j];
            }
            /* Levels ascend, so do their bands' ends: merge an overlap. */
            if (bs->n && lo <= bs->b[bs->n - 1].hi) {
                if (hi > bs->b[bs->n - 1].hi)
                    bs->b[bs->n - 1].hi = hi;
            } else {
                bs->b[bs->n].lo = lo;
                bs->b[bs->n].hi = hi;
                bs->n++;
            }
        }
        if (gpb__bands_count(bs, r->values[m], n0, bs, (uint64_t)n0))
            return -1;
    }
    return 0;
}

double gpb__bands_bytes(const eng_metric *mt, size_t nm, size_t N,
                        size_t n0)
{
    double lev[2 * (GPB_REPORT_N_LEVELS + GPB_REPORT_N_RAISE_LEVELS)];
    double f = (double)n0, share = 0;
    for (size_t m = 0; m < nm && n0; m++) {
        if (mt[m].constant || mt[m].derived || mt[m].narrow)
            continue;
        size_t L = band_levels(mt, nm, m, lev);
        for (size_t i = 0; i < L; i++) {
            uint64_t ka, kb;
            band_span(N, lev[i], &ka, &kb);
            double qa = (double)ka / (double)N;
            double qb = (double)(kb + 1) / (double)N;
            double w = qb - qa + 2 * (GPB__BAND_Z *
                                          sqrt(fmax(qa * (1 - qa),
                                                    qb * (1 - qb)) / f) +
                                      2 / f);
            share += w < 1 ? w : 1;
        }
    }
    return share * (double)N * sizeof(double);
}

/* Where each of v[0..n) lies, into pos: 2j + 1 inside band j, 2j between
   band j − 1 and band j (2 nb past the last); and how many lie below each
   band's lower end, added into below[j]. A pass a band, vectorised (pos
   as wide as a double, so that each compare's lanes add in place). */
GPB__VCLONES static void bands_where(const double *lo, const double *hi,
                                     size_t nb, const double *v, size_t n,
                                     uint64_t *pos, uint64_t *below)
{
    for (size_t i = 0; i < n; i++)
        pos[i] = 0;
    for (size_t j = 0; j < nb; j++) {
        const double l = lo[j], h = hi[j];
        uint64_t b = 0;
#pragma omp simd reduction(+ : b)
        for (size_t i = 0; i < n; i++) {
            uint64_t ge = v[i] >= l, gt = v[i] > h;
            pos[i] += ge + gt;
            b += 1 - ge;
        }
        below[j] += b;
    }
}

/* Room for `more` values in band a: 0, or -1 when out of memory. */
static int band_room(eng_band *a, size_t more)
{
    if (a->inside + more <= a->cap)
        return 0;
    size_t nc = a->cap ? 2 * a->cap : 1024;
    if (nc < a->inside + more)
        nc = a->inside + more;
    double *nv = a->own || !a->v ? realloc(a->v, nc * sizeof *nv)
                                 : malloc(nc * sizeof *nv);
    if (!nv)
        return -1;
    if (!a->own && a->v) /* out of its slice: the values move */
        memcpy(nv, a->v, a->inside * sizeof *nv);
    a->v = nv;
    a->cap = nc;
    a->own = 1;
    return 0;
}

int gpb__bands_count(const eng_bands *b, const double *v, size_t n,
                     eng_bands *acc, uint64_t max_inside)
{
    enum { CHUNK = 1024 };
    double lo[GPB__BANDS_MAX], hi[GPB__BANDS_MAX];
    uint64_t below[GPB__BANDS_MAX] = {0};
    const size_t nb = b->n;
    for (size_t j = 0; j < nb; j++) {
        lo[j] = b->b[j].lo;
        hi[j] = b->b[j].hi;
    }
    uint64_t pos[CHUNK];
    uint16_t at[CHUNK];
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
        size_t c = n - i0 < CHUNK ? n - i0 : CHUNK;
        const double *x = v + i0;
        bands_where(lo, hi, nb, x, c, pos, below);
        size_t k = gpb__lanes_where_odd(pos, c, at); /* those inside */
        for (size_t t = 0; t < k; t++) {
            double y = x[at[t]];
            eng_band *a = &acc->b[pos[at[t]] >> 1];
            if (y == a->lo) {
                a->eq_lo++;
            } else if (y == a->hi) {
                a->eq_hi++;
            } else if (a->inside >= max_inside) {
                acc->overflow = 1;
            } else {
                if (a->inside == a->cap && band_room(a, 1))
                    return -1;
                a->v[a->inside++] = y;
            }
        }
    }
    for (size_t j = 0; j < nb; j++)
        acc->b[j].below += below[j];
    return 0;
}

/* Room in each band of acc for its share of `paths` more paths, as the
   bands of b (counted over n0 paths) hold, and a fifth more: a worker's
   buffers grow once, not by doubling. 0, or -1 when out of memory. */
int gpb__bands_reserve(const eng_bands *b, size_t nm, size_t n0,
                       size_t paths, eng_bands *acc, double **arena)
{
    *arena = NULL;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t at = 0;
        for (size_t m = 0; m < nm && n0; m++)
            for (size_t j = 0; j < b[m].n; j++) {
                double share = (double)b[m].b[j].inside / (double)n0;
                size_t want = (size_t)(1.2 * share * (double)paths) + 256;
                if (pass == 1) {
                    eng_band *a = &acc[m].b[j];
                    a->v = *arena + at;
                    a->cap = want;
                    a->inside = 0;
                    a->own = 0;
                }
                at += want;
            }
        if (pass == 0) {
            total = at;
            if (!total)
                return 0;
            *arena = gpb__alloc_big(total * sizeof **arena);
            if (!*arena)
                return -1;
        }
    }
    return 0;
}

int gpb__bands_add(eng_bands *into, eng_bands *acc)
{
    into->overflow |= acc->overflow;
    for (size_t j = 0; j < into->n && j < acc->n; j++) {
        eng_band *d = &into->b[j], *a = &acc->b[j];
        d->below += a->below;
        d->eq_lo += a->eq_lo;
        d->eq_hi += a->eq_hi;
        if (a->inside) {
            struct eng_band_chunk *nm =
                realloc(d->more, (d->n_more + 1) * sizeof *nm);
            if (!nm)
                return -1;
            d->more = nm;
            if (d->n_more == 0)
                d->nv = d->inside;
            nm[d->n_more++] = (struct eng_band_chunk){a->v, a->inside, a->own};
            d->inside += a->inside;
            a->v = NULL;
            a->own = 0;
        }
        a->inside = a->cap = 0;
    }
    return 0;
}

void gpb__bands_free(eng_bands *bs, size_t n)
{
    for (size_t i = 0; bs && i < n; i++)
        for (size_t j = 0; j < GPB__BANDS_MAX; j++) {
            eng_band *b = &bs[i].b[j];
            if (b->own)
                free(b->v);
            for (size_t k = 0; k < b->n_more; k++)
                if (b->more[k].own)
                    free(b->more[k].v);
            free(b->more);
            b->v = NULL;
            b->more = NULL;
            b->own = 0;
            b->n_more = 0;
        }
}

int gpb__bands_cover(const gpb_result *r)
{
    double lev[2 * (GPB_REPORT_N_LEVELS + GPB_REPORT_N_RAISE_LEVELS)];
    for (size_t m = 0; r->bands && m < r->n_metrics; m++) {
        const eng_bands *bs = &r->bands[m];
        if (!r->values[m])
            continue;
        const size_t L = band_levels(r->metrics, r->n_metrics, m, lev);
        if (!bs->n || bs->overflow)
            return 0;
        for (size_t i = 0; i < L; i++) {
            uint64_t ka, kb;
            band_span(r->paths, lev[i], &ka, &kb);
            int in = 0;
            for (size_t j = 0; j < bs->n && !in; j++) {
                const eng_band *b = &bs->b[j];
                in = b->below <= ka &&
                     kb < b->below + b->eq_lo + b->inside + b->eq_hi;
            }
            if (!in)
                return 0;
        }
    }
    return 1;
}

/* ---- the fan's bands ------------------------------------------------------ */

_Static_assert(GPB__FAN_BANDS_MAX >= GPB_REPORT_N_FAN_LEVELS,
               "a fan band a level of the report's fan at most");

/* The bucket of rank k of sketch s (k < s->n). */
static uint64_t fan_bucket_of(const gpb__sketch *s, uint64_t k)
{
    uint64_t seen = 0, b = GPB__SKETCH_BUCKET_MAX;
    gpb__sketch_walk(s, 0, GPB__SKETCH_BUCKET_MAX, &seen, k, &b);
    return b;
}

int gpb__fan_bands_build(gpb_result *r, const gpb__sketch *s0)
{
    const int H = r->horizon;
    const size_t N = r->paths;
    r->fanb = calloc((size_t)H, sizeof *r->fanb);
    r->fan_min = malloc((size_t)H * sizeof *r->fan_min);
    r->fan_max = malloc((size_t)H * sizeof *r->fan_max);
    if (!r->fanb || !r->fan_min || !r->fan_max) {
        free(r->fanb);
        free(r->fan_min);
        free(r->fan_max);
        r->fanb = NULL;
        r->fan_min = r->fan_max = NULL;
        return -1;
    }
    for (int m = 0; m < H; m++) {
        const gpb__sketch *s = &s0[m];
        eng_fan_bands *fb = &r->fanb[m];
        const double f = (double)s->n;
        if (s->n < 2 || s->oom) { /* one band of every bucket */
            fb->n = 1;
            fb->lo[0] = 0;
            fb->hi[0] = GPB__SKETCH_BUCKET_MAX;
            continue;
        }
        uint32_t lo[GPB_REPORT_N_FAN_LEVELS], hi[GPB_REPORT_N_FAN_LEVELS];
        for (int i = 0; i < GPB_REPORT_N_FAN_LEVELS; i++) {
            /* The sketch's paths' buckets at the ranks that hold the
               run's at the level (pilot_ranks) are the ends. */
            uint64_t k;
            double frac, a, b;
            gpb__quantile_ranks(N, gpb_report_fan_levels[i], &k, &frac);
            pilot_ranks(N, k, k + 1 < N ? k + 1 : k, s->n, &a, &b);
            lo[i] = a < 0 ? 0 : (uint32_t)fan_bucket_of(s, (uint64_t)a);
            hi[i] = b >= f ? GPB__SKETCH_BUCKET_MAX
                           : (uint32_t)fan_bucket_of(s, (uint64_t)b);
            /* By their first bucket (a few sketch paths can widen a low
               level's band past a higher one's start). */
            for (int j = i; j > 0 && lo[j] < lo[j - 1]; j--) {
                uint32_t tl = lo[j], th = hi[j];
                lo[j] = lo[j - 1];
                hi[j] = hi[j - 1];
                lo[j - 1] = tl;
                hi[j - 1] = th;
            }
        }
        /* Disjoint: one that overlaps or touches the last merges in. */
        for (int i = 0; i < GPB_REPORT_N_FAN_LEVELS; i++) {
            if (fb->n && lo[i] <= fb->hi[fb->n - 1] + 1u) {
                if (hi[i] > fb->hi[fb->n - 1])
                    fb->hi[fb->n - 1] = hi[i];
            } else {
                fb->lo[fb->n] = lo[i];
                fb->hi[fb->n] = hi[i];
                fb->n++;
            }
        }
    }
    return 0;
}

/* Rank k of month m's closing cash on a run with fan bands, as
   gpb__sketch_rank would give it from every path's values: 0, or -1
   when no band holds it. */
typedef struct fan_month {
    const gpb_result *r;
    int m;
} fan_month;

static int fan_band_rank(const void *ctx, uint64_t k, double *out)
{
    const gpb_result *r = ((const fan_month *)ctx)->r;
    const int m = ((const fan_month *)ctx)->m;
    const eng_fan_bands *fb = &r->fanb[m];
    if (k == 0 || k == r->paths - 1) {
        *out = k == 0 ? r->fan_min[m] : r->fan_max[m];
        return 0;
    }
    for (unsigned j = 0; j < fb->n; j++) {
        uint64_t seen = fb->below[j], b;
        if (seen > k)
            break;
        if (gpb__sketch_walk(&r->sk_cash[m], fb->lo[j], fb->hi[j], &seen, k,
                             &b)) {
            *out = gpb__sketch_bucket_value(b, r->fan_min[m], r->fan_max[m]);
            return 0;
        }
    }
    return -1;
}

/* Level p of month m on a run with fan bands, as gpb__sketch_quantile
   would give it: 0, or -1 when a rank it reads lies in no band. */
static int fan_band_quantile(const gpb_result *r, int m, double p,
                             double *out)
{
    const fan_month fm = {r, m};
    return gpb__quantile_by(r->paths, p, fan_band_rank, &fm, out);
}

int gpb__fan_bands_cover(const gpb_result *r)
{
    for (int m = 0; r->fanb && m < r->horizon; m++)
        for (int i = 0; i < GPB_REPORT_N_FAN_LEVELS; i++) {
            double q;
            if (fan_band_quantile(r, m, gpb_report_fan_levels[i], &q))
                return 0;
        }
    return 1;
}

/* Puts (x, path) into list d of e (x already signed: lowest first) when it
   is among the most extreme. */
static void extreme_put(eng_extreme *e, int d, double x, uint64_t path)
{
    const size_t K = GPB__EXTREME_TRACKED;
    size_t n = e->n[d];
    if (n == K && !(x < e->v[d][n - 1] ||
                    (x == e->v[d][n - 1] && path < e->path[d][n - 1])))
        return;
    size_t j = n < K ? n++ : n - 1;
    while (j > 0 && (x < e->v[d][j - 1] ||
                     (x == e->v[d][j - 1] && path < e->path[d][j - 1]))) {
        e->v[d][j] = e->v[d][j - 1];
        e->path[d][j] = e->path[d][j - 1];
        j--;
    }
    e->v[d][j] = x;
    e->path[d][j] = path;
    e->n[d] = n;
}

void gpb__extreme_add(eng_extreme *e, const double *v, size_t n,
                      uint64_t path0, uint64_t klo, uint64_t khi)
{
    const size_t K = GPB__EXTREME_TRACKED;
    for (int d = 0; d < 2; d++) {
        /* The list's last entry, as a key: a block whose most extreme
           value lies beyond it adds nothing, nor one that only ties it
           from later paths (a worker's blocks come in path order, so
           after its first blocks a point mass, the zero of a round that
           did not close, costs two comparisons too). */
        if (e->n[d] == K) {
            double last = d ? -e->v[d][K - 1] : e->v[d][K - 1];
            uint64_t kl = gpb__sketch_key(last);
            uint64_t kb = d == 0 ? klo : khi;
            if (d == 0 ? kb > kl : kb < kl)
                continue;
            if (kb == kl && path0 > e->path[d][K - 1])
                continue;
        }
        /* The list's last entry in locals: most values pass it by. */
        const double sg = d ? -1.0 : 1.0;
        double thr = e->n[d] == K ? e->v[d][K - 1] : INFINITY;
        uint64_t tp = e->n[d] == K ? e->path[d][K - 1] : UINT64_MAX;
        for (size_t i = 0; i < n; i++) {
            double x = sg * v[i];
            if (!(x < thr || (x == thr && path0 + i < tp)))
                continue; /* (a NaN too) */
            extreme_put(e, d, x, path0 + i);
            if (e->n[d] == K) {
                thr = e->v[d][K - 1];
                tp = e->path[d][K - 1];
            }
        }
    }
}

void gpb__extreme_merge(eng_extreme *into, const eng_extreme *from)
{
    for (int d = 0; d < 2; d++)
        for (size_t i = 0; i < from->n[d]; i++)
            extreme_put(into, d, from->v[d][i], from->path[d][i]);
}

/* The values at sorted, distinct ranks k[0..nk) that lie in a band of bs,
   into out, with found[i] set; the others are left. 0, or -1 when out of
   memory. */
static int bands_select(const eng_bands *bs, const uint64_t *k, size_t nk,
                        double *out, unsigned char *found)
{
    uint64_t *loc = malloc((nk ? nk : 1) * sizeof *loc);
    size_t *idx = malloc((nk ? nk : 1) * sizeof *idx);
    int rc = loc && idx ? 0 : -1;
    for (size_t j = 0; !rc && j < bs->n; j++) {
        const eng_band *b = &bs->b[j];
        uint64_t n = b->eq_lo + b->inside + b->eq_hi;
        size_t nl = 0;
        for (size_t i = 0; i < nk; i++) {
            if (k[i] < b->below || k[i] - b->below >= n)
                continue;
            uint64_t q = k[i] - b->below;
            found[i] = 1;
            if (q < b->eq_lo) {
                out[i] = b->lo;
            } else if (q >= b->eq_lo + b->inside) {
                out[i] = b->hi;
            } else {
                loc[nl] = q - b->eq_lo; /* ascending, as k */
                idx[nl++] = i;
            }
        }
        if (!nl)
            continue;
        double *a = malloc(b->inside * sizeof *a);
        if (!a) {
            rc = -1;
            break;
        }
        size_t at = b->n_more ? b->nv : b->inside;
        memcpy(a, b->v, at * sizeof *a);
        for (size_t c = 0; c < b->n_more; c++) {
            memcpy(a + at, b->more[c].v, b->more[c].n * sizeof *a);
            at += b->more[c].n;
        }
        gpb__multiselect(a, 0, b->inside - 1, loc, nl);
        for (size_t t = 0; t < nl; t++)
            out[idx[t]] = a[loc[t]];
        free(a);
    }
    free(loc);
    free(idx);
    return rc;
}

/* 1 when metric m has bands to select from, or the counts of every
   value (a run that kept fewer paths: gpb_sim_run_kept). */
static int has_bands(const gpb_result *r, size_t m)
{
    return (r->bands && r->bands[m].n && !r->bands[m].overflow) ||
           (r->ncount && r->ncount[m]);
}

/* The values at sorted ranks k[0..nk) of a metric counted value by value
   (cnt[0..top]). */
static void ncount_select(const uint64_t *cnt, int top, const uint64_t *k,
                          size_t nk, double *out)
{
    uint64_t seen = 0;
    size_t j = 0;
    for (int x = 0; x <= top && j < nk; x++) {
        seen += cnt[x];
        while (j < nk && k[j] < seen)
            out[j++] = (double)x;
    }
    for (; j < nk; j++)
        out[j] = (double)top; /* (ranks past the paths are refused first) */
}

/* The refusal of a rank that a run keeping fewer paths cannot give. */
static gpb_status outside_bands(const gpb_result *r, size_t m,
                                gpb_error *err)
{
    return gpb__fail(err, GPB_EINVAL,
                     "'%s': this run kept %zu of its %zu paths "
                     "(gpb_sim_run_kept) and has exact quantiles only at "
                     "the report's levels and the raise's; run keeping "
                     "every path (gpb_sim_run) for others",
                     r->metrics[m].name, r->kept, r->paths);
}

/* Rank k of metric m from its sketch (not every path kept). A metric of
   small whole numbers (months, counts, flags) reads back whole: a sketch
   bucket below 1024 holds one of them, and its midpoint (runway
   32.03125) is not a value the metric takes (review). */
static double sketch_rank(const gpb_result *r, size_t m, uint64_t k)
{
    double x = gpb__sketch_rank(&r->msketch[m], k);
    return gpb__sketch_whole(&r->msketch[m]) ? round(x) : x;
}

/* order_stats of a metric that is stored or constant. */
static gpb_status order_stats_of(const gpb_result *rc, size_t m,
                              const uint64_t *k, size_t nk, double *out,
                              gpb_error *err)
{
    gpb_result *r = (gpb_result *)rc; /* the cache is logically const */
    const eng_metric *mt = &r->metrics[m];
    if (mt->constant) {
        for (size_t i = 0; i < nk; i++)
            out[i] = mt->value;
        return GPB_OK;
    }
    if (r->kept < r->paths && !has_bands(r, m)) {
        if (!r->msketch)
            return outside_bands(r, m, err);
        for (size_t i = 0; i < nk; i++)
            out[i] = sketch_rank(r, m, k[i]);
        return GPB_OK;
    }
    /* The ranks not found yet, under the lock; found outside it, so
       threads prefetching different metrics work at once; added under it
       (a rank another thread added meanwhile is kept once). */
    gpb_status st = GPB_OK;
    eng_osc *c = &r->osc[m];
    uint64_t *need = malloc((nk ? nk : 1) * sizeof *need);
    double *sel = malloc((nk ? nk : 1) * sizeof *sel);
    size_t nn = 0, u = 0;
    double v;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; need && i < nk; i++)
        if (!osc_find(c, k[i], &v))
            need[nn++] = k[i];
    pthread_mutex_unlock(&r->lock);
    if (!need || !sel) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    } else if (nn > 0) {
        u = gpb__ranks_sort_unique(need, nn);
    }
    if (nn > 0 && need && sel && r->kept < r->paths && r->ncount &&
        r->ncount[m]) {
        ncount_select(r->ncount[m], r->horizon, need, u, sel);
    } else if (nn > 0 && need && sel && r->kept < r->paths) {
        /* Not every path kept: exact inside the bands, else the sketch. */
        unsigned char *found = calloc(u ? u : 1, 1);
        if (!found || bands_select(&r->bands[m], need, u, sel, found)) {
            st = gpb__fail(err, GPB_ENOMEM, "out of memory selecting '%s'",
                           mt->name);
        } else {
            for (size_t i = 0; !st && i < u; i++)
                if (!found[i]) {
                    if (r->msketch)
                        sel[i] = sketch_rank(r, m, need[i]);
                    else
                        st = outside_bands(r, m, err);
                }
        }
        free(found);
    } else if (nn > 0 && need && sel) {
        /* The keys' range and whether the values are small whole
           numbers: from the engine's blocks when it kept every path,
           else in one pass here. */
        uint64_t klo = 0, khi = 0;
        int big = 0;
        if (r->narrow[m]) {
            if (narrow_counts(r->narrow[m], r->paths, need, u, sel))
                st = gpb__fail(err, GPB_ENOMEM, "out of memory selecting "
                                                "'%s'", mt->name);
        } else if (r->kext_ok && r->kept == r->paths) {
            klo = r->kext_lo[m];
            khi = r->kext_hi[m];
            big = r->kext_big[m];
        } else {
            gpb__value_extremes(r->values[m], r->paths, &klo, &khi, &big);
        }
        gpb__select_work wk = {0};
        if (!r->narrow[m] && select_exact(r->values[m], r->paths, need, u,
                                          klo, khi, big, sel, &wk))
            st = gpb__fail(err, GPB_ENOMEM, "out of memory selecting '%s'",
                           mt->name);
        gpb__select_work_free(&wk);
    }
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; !st && i < u; i++)
        if (osc_add(c, need[i], sel[i]))
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (size_t i = 0; !st && i < nk; i++)
        osc_find(c, k[i], &out[i]);
    pthread_mutex_unlock(&r->lock);
    free(need);
    free(sel);
    return st;
}

/* The values of 0-based ranks k[0..nk) of metric m (exact when every path
   is kept or the rank is in a band, else from its sketch). A derived
   metric's are f of its source's, at the same ranks when f keeps the
   order and at n − 1 − k when it reverses it; without every path kept,
   so only when the source has bands (else its own sketch). */
static gpb_status order_stats(const gpb_result *r, size_t m,
                              const uint64_t *k, size_t nk, double *out,
                              gpb_error *err)
{
    const eng_metric *mt = &r->metrics[m];
    if (!mt->derived || mt->constant ||
        (r->kept < r->paths && !has_bands(r, mt->src)))
        return order_stats_of(r, m, k, nk, out, err);
    uint64_t *ks = calloc(nk ? nk : 1, sizeof *ks);
    if (!ks)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    int rev = gpb__derive_decreasing(mt->derived);
    for (size_t i = 0; i < nk; i++)
        ks[i] = rev ? (uint64_t)r->paths - 1 - k[i] : k[i];
    gpb_status st = order_stats_of(r, mt->src, ks, nk, out, err);
    free(ks);
    for (size_t i = 0; !st && i < nk; i++)
        out[i] = gpb__derive(mt->derived, mt->d, out[i]);
    return st;
}

gpb_status gpb__result_order_stats(const gpb_result *r, size_t m,
                                   const uint64_t *k, size_t nk, double *out,
                                   gpb_error *err)
{
    if (!r || m >= r->n_metrics || (nk && (!k || !out)))
        return gpb__fail(err, GPB_EINVAL, "no such metric or NULL ranks");
    return order_stats(r, m, k, nk, out, err);
}

/* ---- construction -------------------------------------------------------- */

void gpb_result_free(gpb_result *r)
{
    if (!r)
        return;
    free(r->path_no);
    for (size_t i = 0; i < r->n_metrics; i++) {
        free(r->metrics[i].name);
        free(r->metrics[i].label);
        if (r->osc) {
            free(r->osc[i].rank);
            free(r->osc[i].val);
        }
        if (r->msketch)
            gpb__sketch_free(&r->msketch[i]);
        if (r->materialised)
            free(r->materialised[i]);
    }
    free(r->metrics);
    free(r->osc);
    if (r->bands)
        gpb__bands_free(r->bands, r->n_metrics);
    free(r->bands);
    for (size_t i = 0; r->ncount && i < r->n_metrics; i++)
        free(r->ncount[i]);
    free(r->ncount);
    for (size_t i = 0; i < r->n_band_arena; i++)
        free(r->band_arena[i]);
    free(r->band_arena);
    free(r->extreme);
    free(r->msketch);
    free(r->values);
    free(r->narrow);
    free(r->store);
    free(r->nonzero);
    free(r->kext_lo);
    free(r->kext_hi);
    free(r->kext_big);
    free(r->blk_mean);
    free(r->blk_m2);
    for (size_t i = 0; i < r->n_inputs; i++)
        free(r->input_paths ? r->input_paths[i] : NULL);
    free(r->input_paths);
    for (size_t i = 0; r->input_labels && i < r->n_inputs; i++)
        free(r->input_labels[i]);
    free(r->input_labels);
    free(r->inputs);
    free(r->out_month);
    free(r->ledger);
    if (r->sk_cash)
        for (int m = 0; m < r->horizon; m++)
            gpb__sketch_free(&r->sk_cash[m]);
    if (r->sk_ledger)
        for (size_t k = 0; k < (size_t)r->horizon * GPB_CAT_COUNT; k++)
            gpb__sketch_free(&r->sk_ledger[k]);
    free(r->sk_ledger);
    free(r->sk_cash);
    free(r->fanb);
    free(r->fan_min);
    free(r->fan_max);
    free(r->rt_min);
    gpb__sketch_free(&r->rt_sketch);
    gpb__sketch_pool_free(r->sketch_pool); /* after every sketch */
    free(r->materialised);
    free(r->rep_se);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

/* An empty result with the plan's metrics, inputs and currencies, and
   room for `kept` rows. */
gpb_status gpb__result_alloc(const eng_metric *metrics, size_t n_metrics,
                               size_t n_inputs, const char *const *inputs,
                               const char *const *labels,
                               const int *fx_varies, int horizon,
                               size_t paths, size_t kept,
                               size_t kept_inputs, size_t n_blocks,
                               int sketches, gpb_result **out,
                               gpb_error *err)
{
    if (kept_inputs > kept)
        kept_inputs = kept;
    gpb_result *r = calloc(1, sizeof *r);
    if (!r)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    pthread_mutex_init(&r->lock, NULL);
    r->paths = paths;
    r->kept = kept;
    r->kept_inputs = kept_inputs;
    r->kept_cap = SIZE_MAX;
    r->horizon = horizon;
    r->n_metrics = n_metrics;
    r->n_inputs = n_inputs;
    r->n_blocks = n_blocks;
    r->metrics = calloc(n_metrics, sizeof *r->metrics);
    r->values = calloc(n_metrics, sizeof *r->values);
    r->narrow = calloc(n_metrics, sizeof *r->narrow);
    r->nonzero = calloc(n_metrics, sizeof *r->nonzero);
    r->kext_lo = calloc(n_metrics + 1, sizeof *r->kext_lo);
    r->kext_hi = calloc(n_metrics + 1, sizeof *r->kext_hi);
    r->kext_big = calloc(n_metrics + 1, sizeof *r->kext_big);
    r->osc = calloc(n_metrics, sizeof *r->osc);
    r->materialised = calloc(n_metrics, sizeof *r->materialised);
    r->rep_se = malloc((n_metrics ? n_metrics : 1) * sizeof *r->rep_se);
    r->blk_mean = calloc(n_blocks * n_metrics + 1, sizeof *r->blk_mean);
    r->blk_m2 = calloc(n_blocks * n_metrics + 1, sizeof *r->blk_m2);
    r->input_paths = calloc(n_inputs + 1, sizeof *r->input_paths);
    r->input_labels = calloc(n_inputs + 1, sizeof *r->input_labels);
    r->inputs = calloc(n_inputs + 1, sizeof *r->inputs);
    r->out_month = calloc((size_t)horizon + 1, sizeof *r->out_month);
    r->ledger = calloc((size_t)horizon * GPB_CAT_COUNT, sizeof *r->ledger);
    r->sk_cash = calloc((size_t)horizon, sizeof *r->sk_cash);
    gpb__sketch_init(&r->rt_sketch);
    if (!r->metrics || !r->values || !r->narrow || !r->nonzero || !r->kext_lo ||
        !r->kext_hi || !r->kext_big || !r->osc ||
        !r->materialised || !r->rep_se || !r->blk_mean || !r->blk_m2 ||
        !r->input_paths || !r->input_labels || !r->inputs || !r->out_month || !r->ledger ||
        !r->sk_cash)
        goto oom;
    for (int m = 0; m < horizon; m++)
        gpb__sketch_init(&r->sk_cash[m]);
    for (size_t i = 0; i < n_metrics; i++)
        r->rep_se[i] = NAN;
    size_t cols = n_inputs, ncols = 0; /* doubles; uint16_t (narrow) */
    for (size_t i = 0; i < n_metrics; i++) {
        r->metrics[i] = metrics[i];
        r->metrics[i].name = gpb__strdup(metrics[i].name);
        r->metrics[i].label = gpb__strdup(metrics[i].label);
        if (!r->metrics[i].name || !r->metrics[i].label)
            goto oom;
        int stored = !metrics[i].constant && !metrics[i].derived;
        cols += stored && !metrics[i].narrow;
        ncols += stored && metrics[i].narrow;
    }
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        cols += fx_varies[c] != 0;
    if (sketches) {
        r->msketch = calloc(n_metrics, sizeof *r->msketch);
        if (!r->msketch)
            goto oom;
        for (size_t i = 0; i < n_metrics; i++)
            gpb__sketch_init(&r->msketch[i]);
    }
    if ((cols || ncols) && kept > SIZE_MAX / sizeof(double) / (cols + ncols))
        goto oom;
    /* The doubles first, the narrow columns after them. */
    size_t wide = (cols - n_inputs) * kept + n_inputs * kept_inputs;
    r->store = gpb__alloc_big(wide * sizeof(double) +
                              ncols * kept * sizeof(uint16_t) + 1);
    if (!r->store)
        goto oom;
    double *at = r->store;
    uint16_t *nat = (uint16_t *)(void *)(r->store + wide);
    for (size_t i = 0; i < n_metrics; i++)
        if (!metrics[i].constant && !metrics[i].derived) {
            if (metrics[i].narrow) {
                r->narrow[i] = nat;
                nat += kept;
            } else {
                r->values[i] = at;
                at += kept;
            }
        }
    for (size_t k = 0; k < n_inputs; k++) {
        r->input_paths[k] = gpb__strdup(inputs[k]);
        r->input_labels[k] = gpb__strdup(labels[k] ? labels[k] : inputs[k]);
        if (!r->input_paths[k] || !r->input_labels[k])
            goto oom;
        r->inputs[k] = at;
        at += kept_inputs;
    }
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        if (fx_varies[c]) {
            r->per_usd[c] = at;
            at += kept;
        }
    *out = r;
    return GPB_OK;
oom:
    gpb_result_free(r);
    return gpb__fail(err, GPB_ENOMEM,
                     "out of memory for %zu paths (try fewer paths)", paths);
}

gpb_status gpb__result_new(const eng_plan *p, size_t paths,
                           uint64_t path_offset, size_t kept,
                           size_t kept_inputs, gpb_result **out,
                           gpb_error *err)
{
    const gpb_scenario *s = p->s;
    const char **names = calloc(2 * p->n_unc + 1, sizeof *names);
    if (!names)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    const char **labels = names + p->n_unc;
    for (size_t k = 0; k < p->n_unc; k++) {
        names[k] = s->inputs[p->unc[k]].path;
        labels[k] = s->inputs[p->unc[k]].label;
    }
    int varies[GPB_CURRENCY_COUNT] = {0};
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        varies[c] = p->rate_input[c] >= 0 && isnan(p->rate_fixed[c]);
    size_t nb = (paths + LANES - 1) / LANES;
    gpb_result *r = NULL;
    gpb_status st = gpb__result_alloc(p->metrics, p->n_metrics, p->n_unc,
                                      names, labels,
                                 varies, p->H, paths, kept, kept_inputs, nb,
                                 kept < paths, &r, err);
    free(names);
    if (st)
        return st;
    r->path_offset = path_offset;
    r->currency = s->currency;
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        r->rate_fixed[c] = p->rate_fixed[c];
    for (size_t i = 0; i < p->n_metrics; i++)
        if (p->metrics[i].constant)
            r->nonzero[i] = p->metrics[i].value != 0;
    *out = r;
    return GPB_OK;
}

/* ---- accessors ----------------------------------------------------------- */

size_t gpb_result_paths(const gpb_result *r) { return r ? r->paths : 0; }
uint64_t gpb_result_path_offset(const gpb_result *r)
{
    return r ? r->path_offset : 0;
}

uint64_t gpb_result_path_number(const gpb_result *r, size_t i)
{
    if (!r || i >= r->kept)
        return UINT64_MAX;
    return r->path_no ? r->path_no[i] : r->path_offset + i;
}
size_t gpb_result_kept_paths(const gpb_result *r) { return r ? r->kept : 0; }
int gpb_result_threads(const gpb_result *r) { return r ? r->threads : 0; }
int gpb_result_horizon_months(const gpb_result *r)
{
    return r ? r->horizon : 0;
}
gpb_currency gpb_result_currency(const gpb_result *r)
{
    return r ? r->currency : GPB_CURRENCY_NONE;
}
uint64_t gpb_result_seed(const gpb_result *r) { return r ? r->seed : 0; }
int gpb_result_quasi_random(const gpb_result *r) { return r ? r->quasi : 0; }
size_t gpb_result_metric_count(const gpb_result *r)
{
    return r ? r->n_metrics : 0;
}
const char *gpb_result_metric_name(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics ? r->metrics[i].name : NULL;
}
const char *gpb_result_metric_unit(const gpb_result *r, size_t i)
{
    if (!r || i >= r->n_metrics)
        return NULL;
    return r->metrics[i].unit == GPB_UNIT_MONEY
               ? gpb_currency_code(r->currency)
               : gpb_unit_name(r->metrics[i].unit);
}
const char *gpb_result_metric_label(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics ? r->metrics[i].label : NULL;
}
int gpb_result_metric_direction(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics ? r->metrics[i].direction : 0;
}
int gpb_result_metric_is_constant(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics && r->metrics[i].constant;
}
gpb_unit gpb_result_metric_unit_kind(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics ? r->metrics[i].unit : GPB_UNIT_COUNT;
}
int gpb_result_metric_category(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics && r->metrics[i].kind == MK_CATEGORY
               ? r->metrics[i].id
               : -1;
}
int gpb_result_metric_nonzero(const gpb_result *r, size_t i)
{
    return r && i < r->n_metrics ? r->nonzero[i] != 0 : 0;
}
size_t gpb_result_input_count(const gpb_result *r)
{
    return r ? r->n_inputs : 0;
}
const char *gpb_result_input_path(const gpb_result *r, size_t i)
{
    return r && i < r->n_inputs ? r->input_paths[i] : NULL;
}
const char *gpb_result_input_label(const gpb_result *r, size_t i)
{
    return r && i < r->n_inputs ? r->input_labels[i] : NULL;
}
size_t gpb_result_input_kept_paths(const gpb_result *r)
{
    return r ? r->kept_inputs : 0;
}
const double *gpb_result_input_samples(const gpb_result *r, size_t i)
{
    return r && i < r->n_inputs ? r->inputs[i] : NULL;
}

double gpb_result_per_usd(const gpb_result *r, gpb_currency cur, size_t path)
{
    if (!r || path >= r->kept || (unsigned)cur >= GPB_CURRENCY_COUNT ||
        cur == GPB_CURRENCY_NONE)
        return NAN;
    return r->per_usd[cur] ? r->per_usd[cur][path] : r->rate_fixed[cur];
}

gpb_status gpb_result_metric_find(const gpb_result *r, const char *name,
                                  size_t *index, gpb_error *err)
{
    if (!r || !name)
        return gpb__fail(err, GPB_EINVAL, "result and name must not be NULL");
    for (size_t i = 0; i < r->n_metrics; i++)
        if (!strcmp(r->metrics[i].name, name)) {
            if (index)
                *index = i;
            return GPB_OK;
        }
    /* The three nearest names, for the message. */
    size_t best[3] = {0, 0, 0};
    int bd[3] = {1 << 30, 1 << 30, 1 << 30};
    for (size_t i = 0; i < r->n_metrics; i++) {
        int d = gpb__edit_distance(name, r->metrics[i].name);
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
                     n > 0 ? r->metrics[best[0]].name : "",
                     n > 1 ? ", " : "",
                     n > 1 ? r->metrics[best[1]].name : "",
                     n > 2 ? ", " : "",
                     n > 2 ? r->metrics[best[2]].name : "");
}

double gpb_result_censored_at(const gpb_result *r, const char *metric)
{
    if (!r || !metric || strcmp(metric, "runway_months"))
        return NAN;
    return (double)r->horizon;
}

/* Kept paths i0 .. i0 + n − 1's values of metric m into buf, read where
   they are kept (its column, its narrow column, or its source's through
   gpb__derive), never made into a column of its own. */
static void kept_values(const gpb_result *r, size_t m, size_t i0, size_t n,
                        double *buf)
{
    const eng_metric *mt = &r->metrics[m];
    if (r->values[m]) {
        memcpy(buf, r->values[m] + i0, n * sizeof *buf);
    } else if (r->narrow[m]) {
        for (size_t i = 0; i < n; i++)
            buf[i] = (double)r->narrow[m][i0 + i];
    } else if (mt->derived && !mt->constant) {
        kept_values(r, mt->src, i0, n, buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = gpb__derive(mt->derived, mt->d, buf[i]);
    } else {
        for (size_t i = 0; i < n; i++)
            buf[i] = mt->value;
    }
}

/* Replicate sums of a quasi-random run: 16 by the paths' numbers. */
typedef struct rep_sums {
    double sum[GPB_SIM_QMC_REPLICATES], cnt[GPB_SIM_QMC_REPLICATES];
} rep_sums;

/* Adds kept paths i0 .. i0 + n − 1's values v[0 .. n) to their replicates. */
static void rep_add(const gpb_result *r, rep_sums *a, size_t i0,
                    const double *v, size_t n)
{
    enum { R = GPB_SIM_QMC_REPLICATES };
    for (size_t i = 0; i < n; i++) {
        uint64_t no = r->path_no ? r->path_no[i0 + i] : r->path_offset + i0 + i;
        a->sum[no % R] += v[i];
        a->cnt[no % R] += 1;
    }
}

/* The standard deviation of the replicates' means over √R; NaN when a
   replicate has no path. */
static double rep_se_of(const rep_sums *a)
{
    enum { R = GPB_SIM_QMC_REPLICATES };
    double mean[R], mu = 0, ss = 0;
    for (int k = 0; k < R; k++) {
        if (!(a->cnt[k] > 0))
            return NAN;
        mean[k] = a->sum[k] / a->cnt[k];
        mu += mean[k] / R;
    }
    for (int k = 0; k < R; k++)
        ss += (mean[k] - mu) * (mean[k] - mu);
    return sqrt(ss / (R - 1) / R);
}

/*
 * The standard error of a quasi-random run's mean: its paths fall in
 * GPB_SIM_QMC_REPLICATES replicates by their numbers (i mod R), each an
 * independent randomised quasi-Monte Carlo estimate (its own digital
 * shift), so the error is the standard deviation of the replicates' means
 * over √R. Over the kept paths: when the run kept fewer than it ran (the
 * memory budget), the kept paths' figure times √(kept / paths), the rate
 * of plain Monte Carlo, which a randomised quasi-random mean beats: an
 * upper estimate (docs/engine.md). NaN when a replicate has no
 * path. Found once per metric and kept.
 */
static double replicate_se(const gpb_result *rc, size_t m)
{
    gpb_result *r = (gpb_result *)rc; /* the cache is logically const */
    pthread_mutex_lock(&r->lock);
    double se = r->rep_se[m];
    pthread_mutex_unlock(&r->lock);
    if (!isnan(se))
        return se;
    rep_sums a;
    memset(&a, 0, sizeof a);
    double buf[2048];
    for (size_t i0 = 0; i0 < r->kept; i0 += 2048) {
        size_t n = r->kept - i0 < 2048 ? r->kept - i0 : 2048;
        kept_values(r, m, i0, n, buf);
        rep_add(r, &a, i0, buf, n);
    }
    se = rep_se_of(&a);
    if (r->kept < r->paths)
        se *= sqrt((double)r->kept / (double)r->paths);
    pthread_mutex_lock(&r->lock);
    r->rep_se[m] = se;
    pthread_mutex_unlock(&r->lock);
    return se;
}

/* The metric's mean over every path, from the blocks' means and M2 in
   block order (Chan, Golub & LeVeque 1979), and that M2. */
static void block_moments_of(const gpb_result *r, size_t m, double *mean,
                             double *m2_out)
{
    double mu = 0, m2 = 0, n = 0;
    for (size_t b = 0; b < r->n_blocks; b++) {
        double nb = (double)(b + 1 < r->n_blocks
                                 ? LANES
                                 : r->paths - b * (size_t)LANES);
        double mb = r->blk_mean[b * r->n_metrics + m];
        double qb = r->blk_m2[b * r->n_metrics + m];
        double d = mb - mu, N = n + nb;
        mu += d * (nb / N);
        m2 += qb;
        if (n > 0) /* (the first block has nothing to differ from) */
            m2 += d * d * (n * nb / N);
        n = N;
    }
    *mean = mu;
    *m2_out = m2;
}

gpb_status gpb_result_sd(const gpb_result *r, const char *metric, double *sd,
                         gpb_error *err)
{
    size_t m;
    if (!sd)
        return gpb__fail(err, GPB_EINVAL, "sd must not be NULL");
    GPB__TRY(gpb_result_metric_find(r, metric, &m, err));
    if (r->metrics[m].constant) {
        *sd = 0;
        return GPB_OK;
    }
    double mu, m2;
    block_moments_of(r, m, &mu, &m2);
    *sd = r->paths > 1 ? sqrt(m2 / (double)(r->paths - 1)) : NAN;
    return GPB_OK;
}

gpb_status gpb_result_mean(const gpb_result *r, const char *metric,
                           double *mean, double *std_error, gpb_error *err)
{
    size_t m;
    GPB__TRY(gpb_result_metric_find(r, metric, &m, err));
    if (r->metrics[m].constant) {
        if (mean)
            *mean = r->metrics[m].value;
        if (std_error)
            *std_error = 0;
        return GPB_OK;
    }
    /* Each block's mean and M2 (two passes, in path order), combined in
       block order: the same figure however the blocks were run or split. */
    double mu, m2;
    block_moments_of(r, m, &mu, &m2);
    if (mean)
        *mean = mu;
    if (std_error)
        *std_error = r->paths > 1 ? sqrt(m2 / (double)(r->paths - 1) /
                                         (double)r->paths)
                                  : NAN;
    if (std_error && r->quasi)
        *std_error = replicate_se(r, m);
    return GPB_OK;
}

/* The 0-based ranks of the interval of gpb_result_quantile_ci. */
static void ci_ranks(size_t n, double p, double level, uint64_t *lo,
                     uint64_t *hi)
{
    ci_ranks_z(n, p, gsl_cdf_ugaussian_Pinv(0.5 * (1.0 + level)), lo, hi);
}

gpb_status gpb_result_summary(const gpb_result *r, const char *metric,
                              size_t n, const double *p, double level,
                              double *q, double *ci_lo, double *ci_hi,
                              gpb_error *err)
{
    size_t m;
    GPB__TRY(gpb_result_metric_find(r, metric, &m, err));
    int ci = ci_lo && ci_hi;
    if (!q || (n && !p))
        return gpb__fail(err, GPB_EINVAL, "p and q must not be NULL");
    if (ci && !(level > 0 && level < 1))
        return gpb__fail(err, GPB_EINVAL,
                         "confidence level must be in (0, 1), got %g", level);
    /* (calloc: GCC cannot see that the loop below fills all 4n.) */
    uint64_t *k = calloc(4 * n + 1, sizeof *k);
    double *v = malloc((4 * n + 1) * sizeof *v);
    gpb_status st = GPB_OK;
    if (!k || !v) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        goto done;
    }
    size_t N = r->paths;
    for (size_t i = 0; i < n; i++) {
        if (!(p[i] >= 0 && p[i] <= 1)) {
            st = gpb__fail(err, GPB_EINVAL,
                           "quantile level must be in [0, 1], got %g", p[i]);
            goto done;
        }
        double pos = p[i] * (double)(N - 1);
        uint64_t lo = (uint64_t)floor(pos);
        k[4 * i] = lo;
        k[4 * i + 1] = lo + 1 < N ? lo + 1 : lo;
        if (ci)
            ci_ranks(N, p[i], level, &k[4 * i + 2], &k[4 * i + 3]);
        else
            k[4 * i + 2] = k[4 * i + 3] = lo;
    }
    if ((st = order_stats(r, m, k, 4 * n, v, err)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        /* Linear between the order statistics around p · (n − 1), as
           gsl_stats_quantile_from_sorted_data. */
        double pos = p[i] * (double)(N - 1);
        double d = pos - floor(pos);
        double a = v[4 * i], b = v[4 * i + 1];
        q[i] = d == 0 ? a : a + (b - a) * d;
        if (ci) {
            ci_lo[i] = v[4 * i + 2];
            ci_hi[i] = v[4 * i + 3];
        }
    }
done:
    free(k);
    free(v);
    return st;
}

static double replicate_se(const gpb_result *rc, size_t m);

/* Prefetching the report's order statistics (and a quasi-random run's
   replicate errors) on several threads. */
typedef struct prefetch {
    const gpb_result *r;
    const double *p;
    size_t n;
    double level;
    size_t next;
    const size_t *order; /* metrics in the order they are claimed */
    pthread_mutex_t mu;
} prefetch;

static void *prefetch_main(void *arg)
{
    prefetch *pf = arg;
    const gpb_result *r = pf->r;
    size_t n = pf->n;
    double *q = malloc(3 * (n ? n : 1) * sizeof *q);
    if (!q)
        return NULL;
    for (;;) {
        pthread_mutex_lock(&pf->mu);
        size_t m = pf->next++;
        pthread_mutex_unlock(&pf->mu);
        if (m >= r->n_metrics)
            break;
        gpb_result_summary(r, r->metrics[pf->order[m]].name, n, pf->p,
                           pf->level, q, q + n, q + 2 * n, NULL);
        if (r->quasi && !r->metrics[pf->order[m]].constant)
            (void)replicate_se(r, pf->order[m]);
    }
    free(q);
    return NULL;
}

void gpb__result_prefetch(const gpb_result *r, size_t n, const double *p,
                          double level, int threads)
{
    if (!r || (r->kept < r->paths && !r->bands))
        return; /* sketches: nothing to select */
    /* Stored metrics first, derived ones after: a derived metric's ranks
       are its source's, and claimed together two threads would both
       select them (a pass over the paths each). */
    size_t *order = malloc((r->n_metrics ? r->n_metrics : 1) * sizeof *order);
    if (!order)
        return; /* only a prefetch: the ranks are found when asked */
    size_t no = 0;
    for (int derived = 0; derived < 2; derived++)
        for (size_t m = 0; m < r->n_metrics; m++)
            if (!r->metrics[m].derived == !derived)
                order[no++] = m;
    prefetch pf = {r, p, n, level, 0, order, PTHREAD_MUTEX_INITIALIZER};
    gpb__fork_join(gpb__threads_for(threads, r->n_metrics), prefetch_main,
                   &pf);
    pthread_mutex_destroy(&pf.mu);
    free(order);
}

gpb_status gpb_result_quantile(const gpb_result *r, const char *metric,
                               double p, double *out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    return gpb_result_summary(r, metric, 1, &p, 0, out, NULL, NULL, err);
}

gpb_status gpb_result_quantiles(const gpb_result *r, const char *metric,
                                size_t n, const double *p, double *out,
                                gpb_error *err)
{
    return gpb_result_summary(r, metric, n, p, 0, out, NULL, NULL, err);
}

gpb_status gpb_result_quantile_ci(const gpb_result *r, const char *metric,
                                  double p, double level, double *lo,
                                  double *hi, gpb_error *err)
{
    if (!r || !metric || !lo || !hi)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    double q;
    return gpb_result_summary(r, metric, 1, &p, level, &q, lo, hi, err);
}

gpb_status gpb_result_prob_at_most(const gpb_result *r, const char *metric,
                                   double x, double *out, gpb_error *err)
{
    size_t m;
    GPB__TRY(gpb_result_metric_find(r, metric, &m, err));
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    const eng_metric *mt = &r->metrics[m];
    if (mt->constant) {
        *out = mt->value <= x;
        return GPB_OK;
    }
    if (r->kept < r->paths && r->msketch) {
        *out = (double)gpb__sketch_count_le(&r->msketch[m], x) /
               (double)r->paths;
        return GPB_OK;
    }
    if (r->kept < r->paths) {
        /* A run that kept fewer paths: exact from a metric's counts of
           every value (its own or its source's), else refused. */
        size_t c = mt->derived ? mt->src : m;
        if (!r->ncount || !r->ncount[c])
            return outside_bands(r, m, err);
        uint64_t n = 0;
        for (int v = 0; v <= r->horizon; v++)
            n += (mt->derived ? gpb__derive(mt->derived, mt->d, (double)v)
                              : (double)v) <= x
                     ? r->ncount[c][v]
                     : 0;
        *out = (double)n / (double)r->paths;
        return GPB_OK;
    }
    size_t c = 0;
    if (mt->derived) {
        const double *v;
        GPB__TRY(gpb_result_samples(r, r->metrics[mt->src].name, &v, err));
        for (size_t i = 0; i < r->kept; i++)
            c += gpb__derive(mt->derived, mt->d, v[i]) <= x;
    } else if (r->narrow[m]) {
        for (size_t i = 0; i < r->kept; i++)
            c += r->narrow[m][i] <= x;
    } else {
        for (size_t i = 0; i < r->kept; i++)
            c += r->values[m][i] <= x;
    }
    *out = (double)c / (double)r->kept;
    return GPB_OK;
}

gpb_status gpb_result_samples(const gpb_result *rc, const char *metric,
                              const double **values, gpb_error *err)
{
    size_t m;
    GPB__TRY(gpb_result_metric_find(rc, metric, &m, err));
    gpb_result *r = (gpb_result *)rc;
    if (!r->values[m]) {
        /* A constant, derived or narrow metric, materialised once under
           the lock (kept_values reads only the stored columns). */
        pthread_mutex_lock(&r->lock);
        if (!r->materialised[m]) {
            double *v = malloc((r->kept ? r->kept : 1) * sizeof *v);
            if (v)
                kept_values(r, m, 0, r->kept, v);
            r->materialised[m] = v;
        }
        pthread_mutex_unlock(&r->lock);
        if (!r->materialised[m])
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
        if (values)
            *values = r->materialised[m];
        return GPB_OK;
    }
    if (values)
        *values = r->values[m];
    return GPB_OK;
}

gpb_status gpb__result_metric_prefix(const gpb_result *r, size_t m,
                                    size_t n, const double **v, double *buf,
                                    gpb_error *err)
{
    if (!r || m >= r->n_metrics || n > r->kept)
        return gpb__fail(err, GPB_EINVAL, "metric %zu, %zu paths: no such "
                         "prefix", m, n);
    if (r->values[m]) {
        *v = r->values[m];
        return GPB_OK;
    }
    kept_values(r, m, 0, n, buf);
    *v = buf;
    return GPB_OK;
}

gpb_status gpb_result_extreme_paths(const gpb_result *r, const char *metric,
                                    int lowest, size_t k, uint64_t *paths,
                                    gpb_error *err)
{
    size_t m;
    GPB__TRY(gpb_result_metric_find(r, metric, &m, err));
    if (!paths && k)
        return gpb__fail(err, GPB_EINVAL, "paths must not be NULL");
    if (r->extreme) {
        /* A run that kept fewer paths: over every path, as tracked. */
        const eng_metric *mt = &r->metrics[m];
        if (mt->constant && k <= r->paths) {
            /* Every path ties: the first k, as a full run answers. */
            for (size_t j = 0; j < k; j++)
                paths[j] = r->path_offset + j;
            return GPB_OK;
        }
        if (mt->constant || mt->derived)
            return gpb__fail(err, GPB_EINVAL,
                             "'%s': this run kept %zu of its %zu paths "
                             "(gpb_sim_run_kept) and has the most extreme "
                             "paths only of the metrics it stores",
                             mt->name, r->kept, r->paths);
        int d = !lowest;
        if (k > GPB__EXTREME_TRACKED)
            return gpb__fail(err, GPB_EINVAL,
                             "k = %zu: this run kept %zu of its %zu paths "
                             "(gpb_sim_run_kept) and tracked the %d most "
                             "extreme of every path",
                             k, r->kept, r->paths, GPB__EXTREME_TRACKED);
        if (k > r->extreme[m].n[d])
            return gpb__fail(err, GPB_ENOTFOUND,
                             "only %zu paths have a value of '%s'",
                             r->extreme[m].n[d], metric);
        for (size_t j = 0; j < k; j++)
            paths[j] = r->path_offset + r->extreme[m].path[d][j];
        return GPB_OK;
    }
    if (k > GPB_RESULT_EXTREME_PATHS_MAX || k > r->kept)
        return gpb__fail(err, GPB_EINVAL,
                         "k = %zu: at most %d and at most the %zu kept paths",
                         k, GPB_RESULT_EXTREME_PATHS_MAX, r->kept);
    const double *v;
    GPB__TRY(gpb_result_samples(r, metric, &v, err));
    /* The best k so far, sorted most extreme first; an insertion sort
       (k is small), NaN never enters. */
    double best[GPB_RESULT_EXTREME_PATHS_MAX];
    size_t idx[GPB_RESULT_EXTREME_PATHS_MAX], n = 0;
    double sg = lowest ? 1.0 : -1.0;
    for (size_t i = 0; i < r->kept && k; i++) {
        double x = sg * v[i];
        if (!(x == x) || (n == k && !(x < best[n - 1])))
            continue;
        size_t j = n < k ? n++ : n - 1;
        while (j > 0 && x < best[j - 1]) {
            best[j] = best[j - 1];
            idx[j] = idx[j - 1];
            j--;
        }
        best[j] = x;
        idx[j] = i;
    }
    if (n < k)
        return gpb__fail(err, GPB_ENOTFOUND,
                         "only %zu paths have a value of '%s'", n, metric);
    for (size_t j = 0; j < k; j++)
        paths[j] = gpb_result_path_number(r, idx[j]);
    return GPB_OK;
}

gpb_status gpb_result_input_samples_own(const gpb_scenario *s,
                                        const gpb_result *r, size_t k,
                                        double *out, gpb_error *err)
{
    if (!s || !r || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    return gpb__result_input_samples_own_n(s, r, k, r->kept, out, err);
}

gpb_status gpb__result_input_samples_own_n(const gpb_scenario *s,
                                           const gpb_result *r, size_t k,
                                           size_t n, double *out,
                                           gpb_error *err)
{
    if (!s || !r || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    if (k >= r->n_inputs)
        return gpb__fail(err, GPB_EINVAL, "input %zu is out of range (%zu)",
                         k, r->n_inputs);
    long si = gpb_scenario_input_find(s, r->input_paths[k]);
    if (si < 0)
        return gpb__fail(err, GPB_ENOTFOUND,
                         "input '%s' of the result is not in the scenario",
                         r->input_paths[k]);
    const gpb__input *in = &s->inputs[si];
    const double *v = r->inputs[k];
    if (n > r->kept)
        n = r->kept;
    if (n > r->kept_inputs)
        return gpb__fail(err, GPB_EINVAL,
                         "the run kept the sampled inputs of its first %zu "
                         "paths, not of all %zu kept "
                         "(gpb_sim_options.inputs_kept)",
                         r->kept_inputs, n);
    /* The engine stores money inputs in the report currency at each
       path's exchange rate; undo that per path. */
    if (!gpb_qty_kind_is_money(in->kind) || in->currency == GPB_CURRENCY_NONE ||
        in->currency == s->currency || in->per_event) {
        memcpy(out, v, n * sizeof *out);
        return GPB_OK;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = v[i] * gpb_result_per_usd(r, in->currency, i) /
                 gpb_result_per_usd(r, s->currency, i);
    return GPB_OK;
}

double gpb_result_prob_out_of_cash_by(const gpb_result *r, int month)
{
    if (!r || month < 0 || r->paths == 0)
        return 0;
    if (month >= r->horizon)
        month = r->horizon - 1;
    uint64_t c = 0;
    for (int m = 0; m <= month; m++)
        c += r->out_month[m];
    return (double)c / (double)r->paths;
}

double gpb_result_survival(const gpb_result *r, int month)
{
    return r ? 1.0 - gpb_result_prob_out_of_cash_by(r, month) : NAN;
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
    GPB__TRY(check_month(r, month, p, err));
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    if (r->no_fan)
        return gpb__fail(err, GPB_EINVAL, "this run kept no fan of cash");
    if (r->fanb) {
        if (!fan_band_quantile(r, month, p, out))
            return GPB_OK;
        char lv[96] = "";
        for (int k = 0; k < GPB_REPORT_N_FAN_LEVELS; k++) {
            size_t u = strlen(lv);
            snprintf(lv + u, sizeof lv - u, "%s%g%%",
                     k == 0                               ? ""
                     : k == GPB_REPORT_N_FAN_LEVELS - 1 ? " and "
                                                          : ", ",
                     100 * gpb_report_fan_levels[k]);
        }
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_result_fan: this run (gpb_sim_run_kept) "
                         "counted the fan of cash around the report's "
                         "levels %s: level %g is not among what it holds",
                         lv, p);
    }
    *out = gpb__sketch_quantile(&r->sk_cash[month], p);
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

/* The checks of a raise for `months` months at `confidence`, shared by
   the raise and its interval: GPB_OK, or the failure. */
static gpb_status raise_args(const gpb_result *r, int months,
                             double confidence, gpb_error *err)
{
    if (months < 1)
        return gpb__fail(err, GPB_ERANGE,
                         "runway target must be at least 1 month, got %d",
                         months);
    if (!(confidence >= 0 && confidence <= 1))
        return gpb__fail(err, GPB_EINVAL,
                         "confidence must be in [0, 1], got %g", confidence);
    if (months < r->horizon && months != r->raise_months)
        return gpb__fail(err, GPB_ENOTFOUND,
                         "the run did not keep the lowest cash through month "
                         "%d: run it with raise_months = %d",
                         months - 1, months);
    return GPB_OK;
}

/* A sorted copy of the kept paths' lowest cash through the raise's month
   (the caller frees it): the one source of raise_for_runway and
   raise_ci. */
static gpb_status sorted_rt_min(const gpb_result *r, double **out,
                                gpb_error *err)
{
    double *a = malloc((r->kept ? r->kept : 1) * sizeof *a);
    if (!a)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    memcpy(a, r->rt_min, r->kept * sizeof *a);
    gpb_stats_sort(a, r->kept);
    *out = a;
    return GPB_OK;
}

gpb_status gpb_result_raise_for_runway(const gpb_result *r, int months,
                                       double confidence, double *out,
                                       gpb_error *err)
{
    if (!r || !out)
        return gpb__fail(err, GPB_EINVAL, "result and out must not be NULL");
    GPB__TRY(raise_args(r, months, confidence, err));
    if (months >= r->horizon)
        return gpb_result_raise_needed(r, confidence, out, err);
    /* Cash lasts `months` months when the running minimum through month
       months−1 stays ≥ 0; raise R so that this holds with the confidence:
       R = max(0, −Q_{1−c}(running minimum)), exact from the kept values. */
    double q;
    double p = 1.0 - confidence;
    if (r->kept < r->paths) {
        q = gpb__sketch_quantile(&r->rt_sketch, p);
    } else {
        double *a = NULL;
        GPB__TRY(sorted_rt_min(r, &a, err));
        q = gpb_stats_quantile_sorted(a, r->kept, p);
        free(a);
    }
    *out = q < 0 ? -q : 0;
    return GPB_OK;
}

gpb_status gpb_result_raise_ci(const gpb_result *r, int months,
                               double confidence, double level, double *lo,
                               double *hi, gpb_error *err)
{
    if (!r || !lo || !hi)
        return gpb__fail(err, GPB_EINVAL, "result, lo and hi must not be NULL");
    GPB__TRY(raise_args(r, months, confidence, err));
    if (!(level > 0 && level < 1))
        return gpb__fail(err, GPB_EINVAL,
                         "the interval's level must be in (0, 1), got %g",
                         level);
    /* The whole horizon: the raise is deficit.max's quantile. */
    if (months >= r->horizon)
        return gpb_result_quantile_ci(r, "deficit.max", confidence, level,
                                      lo, hi, err);
    /* The deficit max(0, −lowest cash) ranked as deficit.max is for the
       whole horizon, so both intervals are built alike: the ranks of
       the c-quantile of the deficit are those n − 1 − k of the lowest
       cash, ascending. */
    uint64_t ka, kb, n1 = (uint64_t)r->paths - 1;
    ci_ranks(r->paths, confidence, level, &ka, &kb);
    double a, b;
    if (r->kept < r->paths) {
        a = gpb__sketch_rank(&r->rt_sketch, n1 - ka);
        b = gpb__sketch_rank(&r->rt_sketch, n1 - kb);
    } else {
        double *s = NULL;
        GPB__TRY(sorted_rt_min(r, &s, err));
        a = s[n1 - ka];
        b = s[n1 - kb];
        free(s);
    }
    *lo = a < 0 ? -a : 0;
    *hi = b < 0 ? -b : 0;
    return GPB_OK;
}

int gpb__result_ledger_sketches(gpb_result *r)
{
    size_t n = (size_t)r->horizon * GPB_CAT_COUNT;
    r->sk_ledger = calloc(n ? n : 1, sizeof *r->sk_ledger);
    if (!r->sk_ledger)
        return -1;
    for (size_t k = 0; k < n; k++)
        gpb__sketch_init(&r->sk_ledger[k]);
    return 0;
}

double gpb_result_ledger_quantile(const gpb_result *r, int month,
                                  gpb_category c, double p)
{
    if (!r || month < 0 || month >= r->horizon ||
        (unsigned)c >= GPB_CAT_COUNT || !r->sk_ledger || !(p >= 0 && p <= 1))
        return NAN;
    const gpb__sketch *sk = &r->sk_ledger[(size_t)month * GPB_CAT_COUNT + c];
    return sk->n ? gpb__sketch_quantile(sk, p) : 0.0;
}

double gpb_result_ledger_mean(const gpb_result *r, int month,
                              gpb_category c)
{
    if (!r || month < 0 || month >= r->horizon ||
        (unsigned)c >= GPB_CAT_COUNT || r->paths == 0 || !r->has_ledger)
        return NAN;
    return (double)r->ledger[(size_t)month * GPB_CAT_COUNT + c] /
           GPB__FIXED_ONE / (double)r->paths;
}

int gpb_result_ledger_lists(const gpb_result *r, gpb_category c)
{
    if (!r || (unsigned)c >= GPB_CAT_COUNT || !r->has_ledger || !r->ledger)
        return 0;
    for (int m = 0; m < r->horizon; m++)
        if (r->ledger[(size_t)m * GPB_CAT_COUNT + c] != 0)
            return 1;
    return 0;
}

gpb_status gpb__result_samples_in(const gpb_result *r, const char *metric,
                                  gpb_currency cur, double *buf,
                                  gpb_error *err)
{
    size_t m;
    const double *v;
    GPB__TRY(gpb_result_metric_find(r, metric, &m, err));
    GPB__TRY(gpb_result_samples(r, metric, &v, err));
    int conv = r->metrics[m].unit == GPB_UNIT_MONEY && cur != r->currency;
    for (size_t i = 0; i < r->kept; i++) {
        double f = 1.0;
        if (conv) {
            f = gpb_result_per_usd(r, cur, i) /
                gpb_result_per_usd(r, r->currency, i);
            if (!(f > 0 && isfinite(f)))
                return gpb__fail(err, GPB_ECURRENCY,
                                 "'%s': no rate from %s to %s on path %zu",
                                 metric, gpb_currency_code(r->currency),
                                 gpb_currency_code(cur), i);
        }
        buf[i] = v[i] * f;
    }
    return GPB_OK;
}

/* The size of the amounts a path's money figures net: the largest
   |spend.total| + |income.total| + |cash.end| over the kept paths (cash
   at the start is cash.end − income + spend). A balance near 0 carries
   round-off of this size. 0 when the metrics are missing. */
static double money_scale(const gpb_result *r)
{
    static const char *const names[] = {"spend.total", "income.total",
                                        "cash.end"};
    double s = 0;
    for (size_t k = 0; k < 3; k++) {
        const double *v;
        if (gpb_result_samples(r, names[k], &v, NULL))
            continue;
        s += gpb__paired_scale(v, v, r->kept);
    }
    return s;
}

gpb_status gpb_result_paired_diff(const gpb_result *a, const gpb_result *b,
                                  const char *metric, gpb_paired_diff *out,
                                  gpb_error *err)
{
    if (!a || !b || !metric || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    if (a->kept != b->kept || a->path_offset != b->path_offset ||
        a->seed != b->seed)
        return gpb__fail(err, GPB_EINVAL,
                         "the results do not cover the same paths (seed, "
                         "offset and kept paths must match)");
    /* A conditional result's paths are its own subset: only the same
       subset pairs with it, path by path. */
    if ((a->path_no != NULL) != (b->path_no != NULL) ||
        (a->path_no &&
         memcmp(a->path_no, b->path_no, a->kept * sizeof *a->path_no)))
        return gpb__fail(err, GPB_EINVAL,
                         "the results do not cover the same paths (a "
                         "conditional result pairs only with one of the "
                         "same paths: compare the runs, then condition)");
    const double *va, *vb;
    size_t n = a->kept;
    double *d = malloc((n ? n : 1) * sizeof *d), *bc = NULL;
    if (!d)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    gpb_status st = gpb_result_samples(a, metric, &va, err);
    if (!st && b->currency == a->currency) {
        st = gpb_result_samples(b, metric, &vb, err);
    } else if (!st) {
        /* b's money in a's currency, path by path at the path's rate. */
        bc = malloc((n ? n : 1) * sizeof *bc);
        st = bc ? gpb__result_samples_in(b, metric, a->currency, bc, err)
                : gpb__fail(err, GPB_ENOMEM, "out of memory");
        vb = bc;
    }
    if (st) {
        free(d);
        free(bc);
        return st;
    }
    double mu = 0, m2 = 0, scale = gpb__paired_scale(va, vb, n);
    size_t mi;
    if (!gpb_result_metric_find(a, metric, &mi, NULL) &&
        a->metrics[mi].unit == GPB_UNIT_MONEY) {
        double ms = money_scale(a);
        if (b->currency == a->currency && money_scale(b) > ms)
            ms = money_scale(b);
        scale = ms > scale ? ms : scale;
    }
    size_t lower = 0, higher = 0;
    for (size_t i = 0; i < n; i++) {
        d[i] = gpb__paired_diff(va[i], vb[i], scale);
        double e = d[i] - mu;
        mu += e / (double)(i + 1);
        m2 += e * (d[i] - mu);
        lower += d[i] < 0;
        higher += d[i] > 0;
    }
    /* Quasi-random runs of the same points: the replicates' spread of
       the differences' means (gpb_result_quasi_random). */
    double qse = NAN;
    if (a->quasi && b->quasi) {
        rep_sums rs;
        memset(&rs, 0, sizeof rs);
        rep_add(a, &rs, 0, d, n);
        qse = rep_se_of(&rs);
    }
    gpb_stats_sort(d, n);
    memset(out, 0, sizeof *out);
    out->paths = n;
    out->mean = mu;
    out->std_error = n > 1 ? sqrt(m2 / (double)(n - 1) / (double)n) : NAN;
    if (a->quasi && b->quasi)
        out->std_error = qse;
    out->p5 = gpb_stats_quantile_sorted(d, n, 0.05);
    out->p50 = gpb_stats_quantile_sorted(d, n, 0.50);
    out->p95 = gpb_stats_quantile_sorted(d, n, 0.95);
    out->p_a_lower = (double)lower / (double)n;
    out->p_a_higher = (double)higher / (double)n;
    free(d);
    free(bc);
    return GPB_OK;
}

/* ---- merging -------------------------------------------------------------- */

gpb_status gpb_result_merge(const gpb_result *a, const gpb_result *b,
                            gpb_result **out, gpb_error *err)
{
    if (!a || !b || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    *out = NULL;
    if (a->given[0] || b->given[0])
        return gpb__fail(err, GPB_EINVAL,
                         "a conditional result does not merge: merge the "
                         "runs, then condition");
    if (a->bands || b->bands)
        return gpb__fail(err, GPB_EINVAL,
                         "a run that kept fewer paths (gpb_sim_run_kept) "
                         "does not merge: its quantiles come from counts "
                         "against its own first paths; run the parts with "
                         "gpb_sim_run");
    if (a->s_id != b->s_id || a->seed != b->seed || a->quasi != b->quasi ||
        a->horizon != b->horizon || a->n_metrics != b->n_metrics ||
        a->n_inputs != b->n_inputs || a->currency != b->currency ||
        a->inputs_req != b->inputs_req)
        return gpb__fail(err, GPB_EINVAL,
                         "the results are not of one run (scenario, seed "
                         "and options must match)");
    for (size_t i = 0; i < a->n_metrics; i++) {
        const eng_metric *ma = &a->metrics[i], *mb = &b->metrics[i];
        if (ma->constant != mb->constant || ma->derived != mb->derived ||
            ma->narrow != mb->narrow || strcmp(ma->name, mb->name))
            return gpb__fail(err, GPB_EINVAL,
                             "the results are not of one run (metric '%s' "
                             "is kept differently)",
                             ma->name);
    }
    if (b->path_offset != a->path_offset + a->paths ||
        a->paths % LANES != 0)
        return gpb__fail(err, GPB_EINVAL,
                         "the results' paths are not adjacent: %llu + %zu "
                         "then %llu",
                         (unsigned long long)a->path_offset, a->paths,
                         (unsigned long long)b->path_offset);
    size_t paths = a->paths + b->paths;
    /* The first paths, as many as one run of them all would keep under
       the memory budget (the parts' budgets are the same). */
    size_t cap = a->kept_cap < b->kept_cap ? a->kept_cap : b->kept_cap;
    size_t kept = a->kept == a->paths ? a->kept + b->kept : a->kept;
    size_t want = gpb__kept_paths_for(paths, cap);
    if (kept > want)
        kept = want;
    int sk = kept < paths;
    int varies[GPB_CURRENCY_COUNT];
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        varies[c] = a->per_usd[c] != NULL;
    gpb_result *r = NULL;
    /* The inputs are kept for a prefix of the paths: a's, then b's if a
       kept all of its own, at most the first inputs_req of the union
       (each part kept its own first inputs_req). */
    size_t kept_a = kept < a->kept ? kept : a->kept;
    size_t kin = a->kept_inputs < kept_a
                     ? a->kept_inputs
                     : kept_a + (b->kept_inputs < kept - kept_a
                                     ? b->kept_inputs
                                     : kept - kept_a);
    size_t req = a->inputs_req; /* the same in b: checked above */
    if (req && kin > req)
        kin = req;
    GPB__TRY(gpb__result_alloc(a->metrics, a->n_metrics, a->n_inputs,
                          (const char *const *)a->input_paths,
                          (const char *const *)a->input_labels, varies,
                          a->horizon, paths, kept, kin,
                          a->n_blocks + b->n_blocks, sk, &r, err));
    r->path_offset = a->path_offset;
    r->currency = a->currency;
    r->seed = a->seed;
    r->quasi = a->quasi;
    r->s_id = a->s_id;
    memcpy(r->rate_fixed, a->rate_fixed, sizeof r->rate_fixed);
    r->kept_cap = cap;
    r->inputs_req = req;
    r->threads = a->threads > b->threads ? a->threads : b->threads;
    size_t ka = kept < a->kept ? kept : a->kept, kb = kept - ka;
    size_t M = a->n_metrics;
    memcpy(r->blk_mean, a->blk_mean, a->n_blocks * M * sizeof(double));
    memcpy(r->blk_mean + a->n_blocks * M, b->blk_mean,
           b->n_blocks * M * sizeof(double));
    memcpy(r->blk_m2, a->blk_m2, a->n_blocks * M * sizeof(double));
    memcpy(r->blk_m2 + a->n_blocks * M, b->blk_m2,
           b->n_blocks * M * sizeof(double));
    gpb_status st = GPB_OK;
    for (size_t i = 0; i < M && !st; i++) {
        r->nonzero[i] = a->nonzero[i] | b->nonzero[i];
        if (r->values[i]) {
            memcpy(r->values[i], a->values[i], ka * sizeof(double));
            memcpy(r->values[i] + ka, b->values[i], kb * sizeof(double));
        }
        if (r->narrow[i]) {
            memcpy(r->narrow[i], a->narrow[i], ka * sizeof(uint16_t));
            memcpy(r->narrow[i] + ka, b->narrow[i], kb * sizeof(uint16_t));
        }
        if (sk && !r->metrics[i].constant) {
            const gpb_result *src[2] = {a, b};
            for (int j = 0; j < 2 && !st; j++) {
                const gpb_result *x = src[j];
                if (x->msketch) {
                    if (gpb__sketch_merge(&r->msketch[i], &x->msketch[i]))
                        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
                } else {
                    const double *v;
                    st = gpb_result_samples(x, x->metrics[i].name, &v, err);
                    if (!st)
                        gpb__sketch_add_n(&r->msketch[i], v, x->kept);
                }
            }
        }
    }
    size_t ia = kin < ka ? kin : ka, ib = kin - ia;
    for (size_t k = 0; k < a->n_inputs; k++) {
        memcpy(r->inputs[k], a->inputs[k], ia * sizeof(double));
        memcpy(r->inputs[k] + ia, b->inputs[k], ib * sizeof(double));
    }
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        if (r->per_usd[c]) {
            memcpy(r->per_usd[c], a->per_usd[c], ka * sizeof(double));
            memcpy(r->per_usd[c] + ka, b->per_usd[c], kb * sizeof(double));
        }
    for (int m = 0; m <= a->horizon; m++)
        r->out_month[m] = a->out_month[m] + b->out_month[m];
    for (size_t k = 0; k < (size_t)a->horizon * GPB_CAT_COUNT; k++)
        r->ledger[k] = a->ledger[k] + b->ledger[k];
    r->has_ledger = a->has_ledger < b->has_ledger ? a->has_ledger
                                                  : b->has_ledger;
    if (!st && a->sk_ledger && b->sk_ledger) {
        if (gpb__result_ledger_sketches(r))
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        for (size_t k = 0; !st && k < (size_t)a->horizon * GPB_CAT_COUNT; k++)
            if (gpb__sketch_merge(&r->sk_ledger[k], &a->sk_ledger[k]) ||
                gpb__sketch_merge(&r->sk_ledger[k], &b->sk_ledger[k]))
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    r->no_fan = a->no_fan || b->no_fan;
    for (int m = 0; m < a->horizon && !st; m++)
        if (gpb__sketch_merge(&r->sk_cash[m], &a->sk_cash[m]) ||
            gpb__sketch_merge(&r->sk_cash[m], &b->sk_cash[m]))
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
    if (!st && a->raise_months && a->raise_months == b->raise_months) {
        r->raise_months = a->raise_months;
        r->rt_min = malloc((kept ? kept : 1) * sizeof *r->rt_min);
        if (!r->rt_min) {
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        } else {
            memcpy(r->rt_min, a->rt_min, ka * sizeof(double));
            memcpy(r->rt_min + ka, b->rt_min, kb * sizeof(double));
            const gpb_result *src[2] = {a, b};
            for (int j = 0; sk && j < 2; j++) {
                if (src[j]->kept < src[j]->paths)
                    gpb__sketch_merge(&r->rt_sketch, &src[j]->rt_sketch);
                else
                    gpb__sketch_add_n(&r->rt_sketch, src[j]->rt_min,
                                      src[j]->kept);
            }
        }
    }
    if (st) {
        gpb_result_free(r);
        return st;
    }
    *out = r;
    return GPB_OK;
}
