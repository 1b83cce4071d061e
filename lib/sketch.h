/*
 * A mergeable quantile sketch of doubles with bounded relative error. Not
 * installed.
 *
 * A value's bucket is the top 1 + 11 + 9 bits of its order-preserving
 * integer image (sign, exponent and nine bits of mantissa), so each bucket
 * spans a factor of at most 1 + 2^-9 and its midpoint lies within
 * 2^-10 (relative) of every value in it — of the same idea as
 * HdrHistogram and DDSketch (Masson, Rim & Lee, VLDB 2019), with the
 * buckets read straight off IEEE-754 bits. Counts are integers, so merging
 * sketches (adding counts) is exact and independent of order: the engine
 * streams the month-by-month fan through sketches on every thread and
 * rank and merges them.
 *
 * Memory: buckets live in pages of 512 counters (2 KiB), one page per
 * binade (a sign and an exponent) a value has fallen in, allocated on
 * first use, indexed by the range of binades seen; a distribution
 * spanning twenty binades costs 40 KiB.
 * Cost: an add is a shift, a table lookup and an increment.
 */
#ifndef GPB_SKETCH_H
#define GPB_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#define GPB__SKETCH_MANT_BITS 9
#define GPB__SKETCH_PAGE (1u << GPB__SKETCH_MANT_BITS)
#define GPB__SKETCH_PAGES 4096u /* sign + 11 exponent bits */

/*
 * Pages pg_lo .. pg_lo + pg_n − 1 (a page's number is the top 12 bits of its keys:
 * sign and exponent), of which those a value fell in are allocated; the
 * range grows on demand, so an empty sketch is a few words and a run's
 * sixty month sketches cost only the binades their cash visits.
 */
/* Where a sketch's pages come from when not from calloc (below). */
typedef struct gpb__sketch_pool gpb__sketch_pool;

typedef struct gpb__sketch {
    uint32_t **page;
    unsigned pg_lo, pg_n;
    uint64_t n; /* values counted */
    double min, max;
    int oom; /* a page could not be allocated: counts are incomplete */
    /* Some value was not a whole number in [0, 4096), or came as a key
       (gpb__sketch_add_keys32): its ranks are not snapped to whole
       numbers (gpb__sketch_whole). */
    int frac;
    /* The pool its pages come from (and go back to with the pool), or
       NULL: each page its own calloc, freed by gpb__sketch_free. */
    gpb__sketch_pool *pool;
} gpb__sketch;

void gpb__sketch_init(gpb__sketch *s);
void gpb__sketch_free(gpb__sketch *s);

/*
 * A pool of pages for the sketches of one thread (an engine worker's fan,
 * ledger and metric sketches): handed out in order from reservations of
 * address space, after a first small one of ordinary pages, marked for
 * transparent huge pages, so the pages a large run
 * fills are mapped 2 MiB a fault instead of 4 KiB (on this project's
 * machines a 4 KiB fault costs about 5 µs; the fan of bench-60m fills
 * seven thousand pages of counters a worker). Pages are never returned
 * one by one: a pooled sketch's pages live as long as the pool. A pool is
 * used by one thread at a time. NULL when out of memory.
 */
gpb__sketch_pool *gpb__sketch_pool_new(void);
void gpb__sketch_pool_free(gpb__sketch_pool *pl);

/* Initialises s empty, its pages to come from pl (NULL: calloc). */
void gpb__sketch_init_pooled(gpb__sketch *s, gpb__sketch_pool *pl);

/* The order-preserving image of a double: negative values reversed. */
static inline uint64_t gpb__sketch_key(double x)
{
    union {
        double d;
        uint64_t u;
    } v = {x};
    /* Branch-free, so loops over it vectorise (the engine's close). */
    uint64_t neg = (uint64_t)((int64_t)v.u >> 63);
    return (v.u ^ (neg >> 1)) ^ 0x8000000000000000ull;
}

void gpb__sketch_add_n(gpb__sketch *s, const double *x, size_t n);

/* Counts x[0..n-1] (finite), or x. */
static inline void gpb__sketch_add(gpb__sketch *s, double x)
{
    gpb__sketch_add_n(s, &x, 1);
}


/* The upper half of gpb__sketch_key(x): it fixes x's bucket (the key's
   top 1 + 11 + GPB__SKETCH_MANT_BITS bits), in half the bytes. */
static inline uint32_t gpb__sketch_key32(double x)
{
    return (uint32_t)(gpb__sketch_key(x) >> 32);
}

/*
 * A value's bucket in 16 bits, relative to `top`, the largest biased
 * exponent among the values it is held with: its sign (bit 15), d = top −
 * its exponent (bits 9-14) and the 9 bucket bits of its key's mantissa
 * (bits 0-8). d from 0 to 61 is stored as is; 62 stands for exponent 0
 * (zeros and subnormals); 63 marks an escape, a value more than 61
 * binades below top that is neither, whose bucket the code cannot hold
 * (the holder counts it by its key instead). The same bucket as
 * gpb__sketch_key32 in half the bytes: the engine holds each month's
 * closing cash this way until it counts a batch of blocks (in money, 61
 * binades below the largest magnitude is under 10^-18 of it, so only
 * exact zeros fall outside the range, and they have their own code).
 */
#define GPB__SKETCH_CODE_ZERO 62u
#define GPB__SKETCH_CODE_ESC 63u

/* The biased exponent of the value of a gpb__sketch_key. */
static inline uint32_t gpb__sketch_key_exponent(uint64_t key)
{
    uint32_t k = (uint32_t)(key >> 52); /* sign and exponent of the key */
    return k >> 11 ? k & 2047u : 2047u - k;
}

/* The code of the value with key `key` held with values whose largest
   biased exponent is top (>= the value's; garbage otherwise, never UB). */
static inline uint16_t gpb__sketch_code16(uint64_t key, uint32_t top)
{
    uint32_t b = (uint32_t)(key >> (52 - GPB__SKETCH_MANT_BITS));
    uint32_t e = gpb__sketch_key_exponent(key);
    uint32_t d = top - e; /* unsigned: wraps when e > top */
    d = e == 0 ? GPB__SKETCH_CODE_ZERO : d > 61u ? GPB__SKETCH_CODE_ESC : d;
    return (uint16_t)((b >> 20) << 15 | d << GPB__SKETCH_MANT_BITS |
                      (b & (GPB__SKETCH_PAGE - 1)));
}

/* 1 when code c (gpb__sketch_code16) is an escape. */
static inline int gpb__sketch_code_escaped(uint16_t c)
{
    return ((c >> GPB__SKETCH_MANT_BITS) & 63u) == GPB__SKETCH_CODE_ESC;
}

/* Marks, in a batch's top (gpb__sketch_add_codes16), that some of its
   codes are escapes. */
#define GPB__SKETCH_TOP_ESC 0x8000u

/*
 * Counts n codes (gpb__sketch_code16) held in segments of `seg`: segment
 * j's top is top[j] & 2047, and when top[j] has GPB__SKETCH_TOP_ESC its
 * escapes are skipped (their holder counted them by key). klo and khi
 * are the whole keys of the smallest and largest value of the n (as for
 * gpb__sketch_add_keys32; they may be escapes'). scratch holds n words.
 */
void gpb__sketch_add_codes16(gpb__sketch *s, const uint16_t *code,
                             const uint16_t *top, size_t n, size_t seg,
                             uint64_t klo, uint64_t khi, uint32_t *scratch);

/* Counts n finite values given by their gpb__sketch_key32, klo and khi
   being the full gpb__sketch_key of the smallest and the largest (the
   halves no longer tell the extremes exactly). */
void gpb__sketch_add_keys32(gpb__sketch *s, const uint32_t *key, size_t n,
                            uint64_t klo, uint64_t khi);

/* 1 when every value counted (gpb__sketch_add_n) was a whole number in
   [0, 4096): a rank then reads back as the whole number its bucket holds
   (one below 1024; the nearest of a few above), not the bucket's
   midpoint. */
static inline int gpb__sketch_whole(const gpb__sketch *s)
{
    return s->n > 0 && !s->frac;
}

/* Adds `from`'s counts into `into`. Returns 0, or -1 when out of memory
   (into is then marked incomplete). */
int gpb__sketch_merge(gpb__sketch *into, const gpb__sketch *from);

/* The same, leaving `from` empty (freed or taken): when `into` is empty
   (initialised, nothing added), it takes from's pages without a copy, and
   with them from's pool, which must then outlive `into`. */
int gpb__sketch_take(gpb__sketch *into, gpb__sketch *from);

/*
 * The value of rank k (0-based, k < n) within the relative error: the
 * midpoint of its bucket, clamped to the exact extremes. NaN when empty.
 */
double gpb__sketch_rank(const gpb__sketch *s, uint64_t k);

/* The p-quantile, linear between the ranks around p · (n − 1) as
   gpb_stats_quantile_sorted does (gpb__quantile_by). NaN when empty. */
double gpb__sketch_quantile(const gpb__sketch *s, double p);

/* The ranks the p-quantile of n values reads: *k = floor(p · (n − 1)),
   and the weight of rank *k + 1, *frac (0 when it is not read). */
void gpb__quantile_ranks(uint64_t n, double p, uint64_t *k, double *frac);

/* The p-quantile of n values whose rank k rank(ctx, k, &v) gives (0, or
   -1 when it cannot): rank k, or linear between k and k + 1 by
   gpb__quantile_ranks. 0, or -1 when a rank could not be had. */
typedef int (*gpb__rank_fn)(const void *ctx, uint64_t k, double *v);
int gpb__quantile_by(uint64_t n, double p, gpb__rank_fn rank,
                     const void *ctx, double *out);

/* Number of values ≤ x (exact for x on a bucket edge; otherwise counts
   x's whole bucket). */
uint64_t gpb__sketch_count_le(const gpb__sketch *s, double x);

/* ---- buckets, for counting against bands of them ---------------------- */

/* A value's bucket, the top 1 + 11 + GPB__SKETCH_MANT_BITS bits of its
   key: 0 .. GPB__SKETCH_BUCKET_MAX, in the values' order. */
#define GPB__SKETCH_BUCKET_SHIFT (52 - GPB__SKETCH_MANT_BITS)
#define GPB__SKETCH_BUCKET_MAX ((1u << (64 - GPB__SKETCH_BUCKET_SHIFT)) - 1)

/* The double whose gpb__sketch_key is k. */
double gpb__sketch_key_value(uint64_t k);

/*
 * Adds the counts of buckets b0 .. b1 (inclusive) to *seen, bucket by
 * bucket, until *seen passes k: returns 1 with that bucket in *bucket;
 * 0 when b1 is passed first (*seen then holds every count of the range).
 * k = UINT64_MAX counts the range. Unallocated pages are skipped and
 * whole pages passed by their totals, so a range as wide as the values
 * around zero costs what the pages in it hold.
 */
int gpb__sketch_walk(const gpb__sketch *s, uint64_t b0, uint64_t b1,
                     uint64_t *seen, uint64_t k, uint64_t *bucket);

/* The value gpb__sketch_rank gives for a rank in bucket b of values
   whose extremes are min and max: the bucket's midpoint (0 for the
   buckets of 0 and subnormals), clamped to [min, max]. */
double gpb__sketch_bucket_value(uint64_t b, double min, double max);

#endif /* GPB_SKETCH_H */
