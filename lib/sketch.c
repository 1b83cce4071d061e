/*
 * The mergeable quantile sketch (sketch.h).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sketch.h"
#include "vmath.h"

#define SHIFT GPB__SKETCH_BUCKET_SHIFT

void gpb__sketch_init(gpb__sketch *s)
{
    memset(s, 0, sizeof *s);
    s->min = INFINITY;
    s->max = -INFINITY;
}

void gpb__sketch_init_pooled(gpb__sketch *s, gpb__sketch_pool *pl)
{
    gpb__sketch_init(s);
    s->pool = pl;
}

/* ---- the pool ------------------------------------------------------------ */

/* Address space reserved at a time: only the pages handed out are ever
   touched (and mapped). The first reservation is small and of 4 KiB
   pages, so a small run (a check's, a swing's) maps what it uses, not a
   2 MiB huge page a worker (check over every scenario peaked at 99 MB
   with huge pages from the first page, 58 MB before the pool); the
   rest are marked for huge pages. */
#define POOL_FIRST ((size_t)256 << 10)
#define POOL_RESERVE ((size_t)32 << 20)
#define PAGE_BYTES (GPB__SKETCH_PAGE * sizeof(uint32_t))
#define HUGE_BYTES ((size_t)2 << 20)

typedef struct pool_slab {
    unsigned char *base;
    size_t used, size;
} pool_slab;

struct gpb__sketch_pool {
    pool_slab *slab;
    size_t n, cap;
};

gpb__sketch_pool *gpb__sketch_pool_new(void)
{
    return calloc(1, sizeof(gpb__sketch_pool));
}

void gpb__sketch_pool_free(gpb__sketch_pool *pl)
{
    if (!pl)
        return;
    for (size_t i = 0; i < pl->n; i++)
        munmap(pl->slab[i].base, pl->slab[i].size);
    free(pl->slab);
    free(pl);
}

/* A zeroed page of counters from the pool, or NULL when out of memory. */
static uint32_t *pool_page(gpb__sketch_pool *pl)
{
    if (!pl->n || pl->slab[pl->n - 1].used + PAGE_BYTES >
                      pl->slab[pl->n - 1].size) {
        if (pl->n == pl->cap) {
            size_t cap = pl->cap ? 2 * pl->cap : 4;
            pool_slab *ns = realloc(pl->slab, cap * sizeof *ns);
            if (!ns)
                return NULL;
            pl->slab = ns;
            pl->cap = cap;
        }
        /* Fresh anonymous memory reads as zeros: no clearing. */
        size_t size = pl->n ? POOL_RESERVE : POOL_FIRST;
#ifdef MAP_NORESERVE
        const int noreserve = MAP_NORESERVE; /* address space, not memory */
#else
        const int noreserve = 0;
#endif
        /* A reservation for huge pages starts on a 2 MiB boundary: mmap
           gives any 4 KiB boundary, and the stretch before the first 2
           MiB one (1 MiB on average, the first the pool hands out) took
           a fault every 4 KiB, some 14 µs each on a virtual machine
           (bench-60m at 10^6 paths: about 500 of the run's 3,000). */
        const size_t align = pl->n ? HUGE_BYTES : 0;
        unsigned char *m = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | noreserve, -1,
                                0);
        if (m == MAP_FAILED)
            return NULL;
        if (align) {
            size_t head = (size_t)(-(uintptr_t)m & (align - 1));
            if (head)
                munmap(m, head);
            if (align - head)
                munmap(m + head + size, align - head);
            m += head;
        }
#ifdef MADV_HUGEPAGE
        if (pl->n)
            (void)madvise(m, size, MADV_HUGEPAGE); /* a hint */
#endif
        pl->slab[pl->n++] = (pool_slab){m, 0, size};
    }
    pool_slab *sl = &pl->slab[pl->n - 1];
    uint32_t *p = (uint32_t *)(void *)(sl->base + sl->used);
    sl->used += PAGE_BYTES;
    return p;
}

void gpb__sketch_free(gpb__sketch *s)
{
    if (!s)
        return;
    for (unsigned i = 0; !s->pool && i < s->pg_n; i++)
        free(s->page[i]);
    free(s->page);
    s->page = NULL;
    s->pg_lo = s->pg_n = 0;
}

/* Grows the range of pages to cover lo .. hi − 1 (and what it covered),
   in one step. Returns 0, or -1 when out of memory (s->oom is then set).
   Grown a page at a time, a month's range, which spans the binades from
   a loss of $40M to a gain of $90M through those of cents (two thousand
   page numbers), was copied over again for each new page: merging the
   workers' fans of bench-60m took 30 ms before its callers covered each
   range they add at once (2026-12-04). */
static int range_cover(gpb__sketch *s, unsigned lo, unsigned hi)
{
    if (s->pg_n && lo >= s->pg_lo && hi <= s->pg_lo + s->pg_n)
        return 0;
    if (s->pg_n) {
        lo = lo < s->pg_lo ? lo : s->pg_lo;
        hi = hi > s->pg_lo + s->pg_n ? hi : s->pg_lo + s->pg_n;
    }
    uint32_t **np = calloc(hi - lo, sizeof *np);
    if (!np) {
        s->oom = 1;
        return -1;
    }
    if (s->pg_n)
        memcpy(np + (s->pg_lo - lo), s->page, s->pg_n * sizeof *np);
    free(s->page);
    s->page = np;
    s->pg_lo = lo;
    s->pg_n = hi - lo;
    return 0;
}

/* The counters of page number `pg` (0 .. 4095), allocated (and the range
   grown) when missing; NULL when out of memory (s->oom is then set). */
static uint32_t *page_get(gpb__sketch *s, unsigned pg)
{
    if (range_cover(s, pg, pg + 1))
        return NULL;
    uint32_t **slot = &s->page[pg - s->pg_lo];
    if (!*slot &&
        !(*slot = s->pool ? pool_page(s->pool)
                          : calloc(GPB__SKETCH_PAGE, sizeof **slot)))
        s->oom = 1;
    return *slot;
}

/* A 32-bit key's bucket (gpb__sketch_key32) and page. */
#define SHIFT32 (SHIFT - 32)
#define PAGE_SHIFT32 (52 - 32)

/* Counts one key whose page is missing or out of the range. */
static void add_slow(gpb__sketch *s, uint32_t key)
{
    uint32_t *p = page_get(s, key >> PAGE_SHIFT32);
    if (p)
        p[(key >> SHIFT32) & (GPB__SKETCH_PAGE - 1)]++;
}

static double key_value(uint64_t k)
{
    union {
        uint64_t u;
        double d;
    } v;
    v.u = (k >> 63) ? (k & 0x7fffffffffffffffull) : ~k;
    return v.d;
}

/* The extremes of n 64-bit keys, into *lo and *hi: a reduction that
   vectorises (AVX-512 has unsigned 64-bit min and max), and each key's
   upper half into key32. */
GPB__VCLONES static void keys_of(const double *x, size_t n, uint32_t *key32,
                                 uint64_t *lo, uint64_t *hi)
{
    uint64_t kmin = *lo, kmax = *hi;
#pragma omp simd reduction(min : kmin) reduction(max : kmax)
    for (size_t i = 0; i < n; i++) {
        uint64_t k = gpb__sketch_key(x[i]);
        key32[i] = (uint32_t)(k >> 32);
        kmin = k < kmin ? k : kmin;
        kmax = k > kmax ? k : kmax;
    }
    *lo = kmin;
    *hi = kmax;
}

/* Values in batches, so the key loop vectorises. */
static void add_keys32(gpb__sketch *s, const uint32_t *key, size_t n,
                       uint64_t klo, uint64_t khi);

GPB__VCLONES void gpb__sketch_add_n(gpb__sketch *s, const double *x,
                                   size_t n)
{
    int frac = 0;
#pragma omp simd reduction(| : frac)
    for (size_t i = 0; i < n; i++)
        frac |= !(x[i] >= 0 && x[i] < 4096) || x[i] != floor(x[i]);
    s->frac |= frac;
    uint32_t key[1024];
    for (size_t at = 0; at < n; at += 1024) {
        size_t m = n - at < 1024 ? n - at : 1024;
        uint64_t lo = UINT64_MAX, hi = 0;
        keys_of(x + at, m, key, &lo, &hi);
        add_keys32(s, key, m, lo, hi);
    }
}

/* A batch whose buckets span fewer than this many is counted on the stack
   first (see gpb__sketch_add_keys32). */
#define NARROW 512u
#define NARROW_MIN 64u

/* Counts keys whose buckets all lie in b0 .. b0 + nb − 1 (nb <= NARROW)
   into four interleaved local tables, then adds them to the pages. When a
   month's values are close together (the first months of a plan, before
   the uncertainty spreads them), most keys fall in a handful of buckets,
   and incrementing one counter in memory per key chains each add on the
   previous one's store: four tables break the chain. A bucket whose page
   cannot be allocated is left out and the sketch marked incomplete, as in
   add_slow. */
static void add_narrow(gpb__sketch *s, const uint32_t *key, size_t n,
                       uint32_t b0, unsigned nb)
{
    uint32_t c[4][NARROW];
    for (int l = 0; l < 4; l++)
        memset(c[l], 0, nb * sizeof c[l][0]);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        c[0][(key[i] >> SHIFT32) - b0]++;
        c[1][(key[i + 1] >> SHIFT32) - b0]++;
        c[2][(key[i + 2] >> SHIFT32) - b0]++;
        c[3][(key[i + 3] >> SHIFT32) - b0]++;
    }
    for (; i < n; i++)
        c[0][(key[i] >> SHIFT32) - b0]++;
    for (unsigned j = 0; j < nb; j++) {
        uint32_t t = c[0][j] + c[1][j] + c[2][j] + c[3][j];
        if (!t)
            continue;
        uint32_t b = b0 + j;
        uint32_t *p = page_get(s, b >> GPB__SKETCH_MANT_BITS);
        if (p)
            p[b & (GPB__SKETCH_PAGE - 1)] += t;
    }
}

void gpb__sketch_add_keys32(gpb__sketch *s, const uint32_t *key, size_t n,
                            uint64_t klo, uint64_t khi)
{
    /* Keys alone do not say whether their values were whole. */
    if (n)
        s->frac = 1;
    add_keys32(s, key, n, klo, khi);
}

static void add_keys32(gpb__sketch *s, const uint32_t *key, size_t n,
                       uint64_t klo, uint64_t khi)
{
    if (!n)
        return;
    uint64_t kmin = klo, kmax = khi;
    if (s->n) {
        uint64_t a = gpb__sketch_key(s->min), z = gpb__sketch_key(s->max);
        kmin = a < kmin ? a : kmin;
        kmax = z > kmax ? z : kmax;
    }
    /* Every page the keys can fall in is within the range at once (a
       failure marks the sketch incomplete, as page_get's would). */
    range_cover(s, (unsigned)(klo >> 52), (unsigned)(khi >> 52) + 1);
    uint32_t b0 = (uint32_t)(klo >> SHIFT);
    uint64_t nb = (khi >> SHIFT) - b0 + 1;
    /* The local tables hold counts below 2^32; below NARROW_MIN keys
       clearing and folding them costs more than it saves. */
    if (nb <= NARROW && n >= NARROW_MIN && n <= UINT32_MAX) {
        add_narrow(s, key, n, b0, (unsigned)nb);
    } else {
        uint32_t **page = s->page;
        size_t lo = s->pg_lo, np = s->pg_n;
        for (size_t i = 0; i < n; i++) {
            uint32_t k = key[i];
            size_t j = (size_t)(k >> PAGE_SHIFT32) - lo; /* wraps below lo */
            uint32_t *p = j < np ? page[j] : NULL;
            if (p) {
                p[(k >> SHIFT32) & (GPB__SKETCH_PAGE - 1)]++;
            } else {
                add_slow(s, k);
                page = s->page;
                lo = s->pg_lo;
                np = s->pg_n;
            }
        }
    }
    s->min = key_value(kmin);
    s->max = key_value(kmax);
    s->n += n;
}

/* n codes of one segment (its largest exponent top) to their keys' upper
   halves: the bucket's sign, exponent and 9 mantissa bits, as
   gpb__sketch_key32 has them. */
GPB__VCLONES static void decode16(const uint16_t *code, size_t n,
                                  uint32_t top, uint32_t *key32)
{
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        uint32_t c = code[i], sg = c >> 15;
        uint32_t d = (c >> GPB__SKETCH_MANT_BITS) & 63u;
        uint32_t e = d == GPB__SKETCH_CODE_ZERO ? 0u : top - d;
        uint32_t ek = sg ? e : 2047u - e;
        uint32_t b = sg << 20 | ek << GPB__SKETCH_MANT_BITS |
                     (c & (GPB__SKETCH_PAGE - 1));
        key32[i] = b << SHIFT32;
    }
}

void gpb__sketch_add_codes16(gpb__sketch *s, const uint16_t *code,
                             const uint16_t *top, size_t n, size_t seg,
                             uint64_t klo, uint64_t khi, uint32_t *scratch)
{
    size_t m = 0;
    for (size_t j = 0, at = 0; at < n; j++, at += seg) {
        size_t k = n - at < seg ? n - at : seg;
        uint32_t t = top[j] & 2047u;
        if (!(top[j] & GPB__SKETCH_TOP_ESC)) {
            decode16(code + at, k, t, scratch + m);
            m += k;
            continue;
        }
        for (size_t i = 0; i < k; i++) /* rare: drop the escapes */
            if (!gpb__sketch_code_escaped(code[at + i]))
                decode16(code + at + i, 1, t, scratch + m++);
    }
    gpb__sketch_add_keys32(s, scratch, m, klo, khi);
}

int gpb__sketch_merge(gpb__sketch *into, const gpb__sketch *from)
{
    if (from->pg_n &&
        range_cover(into, from->pg_lo, from->pg_lo + from->pg_n))
        return -1;
    for (unsigned i = 0; i < from->pg_n; i++) {
        const uint32_t *f = from->page[i];
        if (!f)
            continue;
        uint32_t *t = page_get(into, from->pg_lo + i);
        if (!t)
            return -1;
        for (unsigned j = 0; j < GPB__SKETCH_PAGE; j++)
            t[j] += f[j];
    }
    into->n += from->n;
    into->oom |= from->oom;
    into->frac |= from->frac;
    if (from->min < into->min)
        into->min = from->min;
    if (from->max > into->max)
        into->max = from->max;
    return 0;
}

int gpb__sketch_take(gpb__sketch *into, gpb__sketch *from)
{
    int rc = 0;
    if (into->n || into->pg_n || into->oom || into->frac)
        rc = gpb__sketch_merge(into, from);
    else
        *into = *from; /* an empty sketch takes the pages as they are */
    if (rc || into->page != from->page)
        gpb__sketch_free(from);
    gpb__sketch_init(from);
    return rc;
}

/* A bucket's count. */
static uint64_t bucket_count(const uint32_t *p, unsigned j)
{
    return p[j];
}

/* The sum of a page's counts. */
GPB__VCLONES static uint64_t page_total(const uint32_t *p)
{
    uint64_t t = 0;
#pragma omp simd reduction(+ : t)
    for (unsigned j = 0; j < GPB__SKETCH_PAGE; j++)
        t += p[j];
    return t;
}

/* The midpoint of bucket b (its keys b << SHIFT .. (b + 1) << SHIFT − 1).
   The buckets next to zero hold 0 and subnormals (below 2.2e-308) only:
   their value is 0, not a midpoint such as 2.17e-311 (a user review found
   "$2.17e-311" as a month's P50 of a flow that is zero on most paths). */
static double bucket_mid(uint64_t b)
{
    double lo = key_value(b << SHIFT);
    double hi = key_value(((b + 1) << SHIFT) - 1);
    if (fabs(lo) < DBL_MIN && fabs(hi) < DBL_MIN)
        return 0.0;
    if (isnan(lo) || isnan(hi) || isinf(lo) || isinf(hi))
        return isfinite(lo) ? lo : hi;
    return lo + (hi - lo) / 2;
}

double gpb__sketch_key_value(uint64_t k)
{
    return key_value(k);
}

double gpb__sketch_bucket_value(uint64_t b, double min, double max)
{
    double v = bucket_mid(b);
    return v < min ? min : v > max ? max : v;
}

int gpb__sketch_walk(const gpb__sketch *s, uint64_t b0, uint64_t b1,
                     uint64_t *seen, uint64_t k, uint64_t *bucket)
{
    if (b0 > b1 || !s->pg_n)
        return 0;
    uint64_t p0 = b0 >> GPB__SKETCH_MANT_BITS, p1 = b1 >> GPB__SKETCH_MANT_BITS;
    uint64_t lo = s->pg_lo, hi = (uint64_t)s->pg_lo + s->pg_n - 1;
    for (uint64_t pg = p0 < lo ? lo : p0; pg <= p1 && pg <= hi; pg++) {
        const uint32_t *p = s->page[pg - lo];
        if (!p)
            continue;
        unsigned j0 = pg == p0 ? (unsigned)(b0 & (GPB__SKETCH_PAGE - 1)) : 0;
        unsigned j1 = pg == p1 ? (unsigned)(b1 & (GPB__SKETCH_PAGE - 1))
                               : GPB__SKETCH_PAGE - 1;
        /* A page wholly below the rank is passed by its total (a sum
           that vectorises), not bucket by bucket. */
        if (j0 == 0 && j1 == GPB__SKETCH_PAGE - 1) {
            uint64_t tot = page_total(p);
            if (*seen + tot <= k) {
                *seen += tot;
                continue;
            }
        }
        for (unsigned j = j0; j <= j1; j++) {
            *seen += bucket_count(p, j);
            if (*seen > k) {
                *bucket = pg << GPB__SKETCH_MANT_BITS | j;
                return 1;
            }
        }
    }
    return 0;
}

double gpb__sketch_rank(const gpb__sketch *s, uint64_t k)
{
    if (s->n == 0 || k >= s->n)
        return NAN;
    if (k == 0)
        return s->min;
    if (k == s->n - 1)
        return s->max;
    uint64_t seen = 0, b;
    if (gpb__sketch_walk(s, 0, GPB__SKETCH_BUCKET_MAX, &seen, k, &b))
        return gpb__sketch_bucket_value(b, s->min, s->max);
    return s->max;
}

void gpb__quantile_ranks(uint64_t n, double p, uint64_t *k, double *frac)
{
    double pos = p * (double)(n - 1);
    *k = (uint64_t)floor(pos);
    *frac = pos - (double)*k;
    if (*k + 1 >= n)
        *frac = 0;
}

int gpb__quantile_by(uint64_t n, double p, gpb__rank_fn rank,
                     const void *ctx, double *out)
{
    uint64_t k;
    double frac, a, b;
    gpb__quantile_ranks(n, p, &k, &frac);
    if (rank(ctx, k, &a))
        return -1;
    if (frac == 0) {
        *out = a;
        return 0;
    }
    if (rank(ctx, k + 1, &b))
        return -1;
    *out = a + (b - a) * frac;
    return 0;
}

static int sketch_rank_of(const void *ctx, uint64_t k, double *v)
{
    *v = gpb__sketch_rank(ctx, k);
    return 0;
}

double gpb__sketch_quantile(const gpb__sketch *s, double p)
{
    double q;
    if (s->n == 0)
        return NAN;
    gpb__quantile_by(s->n, p, sketch_rank_of, s, &q);
    return q;
}

uint64_t gpb__sketch_count_le(const gpb__sketch *s, double x)
{
    if (s->n == 0 || x < s->min)
        return 0;
    if (x >= s->max)
        return s->n;
    uint64_t kx = gpb__sketch_key(x) >> SHIFT, c = 0;
    for (unsigned i = 0; i < s->pg_n; i++) {
        const uint32_t *p = s->page[i];
        if (!p)
            continue;
        if (s->pg_lo + i < (kx >> GPB__SKETCH_MANT_BITS)) {
            c += page_total(p); /* the whole page is at or below x */
            continue;
        }
        for (unsigned j = 0; j < GPB__SKETCH_PAGE; j++) {
            uint64_t b = ((uint64_t)(s->pg_lo + i) << GPB__SKETCH_MANT_BITS) |
                         j;
            if (b > kx)
                return c;
            c += bucket_count(p, j);
        }
    }
    return c;
}
