/*
 * Philox4x32-10 over lanes of consecutive paths, Box–Muller normals, and
 * the list of the lanes a flag marks (stream.h). The scalar reference is
 * Random123's philox4x32_R; the vector versions do the same integer
 * arithmetic on 4, 8 or 16 lanes at once and are chosen once, by what the
 * CPU supports, as is the list's.
 */
#include <pthread.h>
#include <string.h>

#include <Random123/philox.h>

#include "stream.h"
#include "vmath.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GPB__X86 1
#endif

/* Philox's constants (Salmon et al. 2011; Random123's philox.h). */
#define M0 0xD2511F53u
#define M1 0xCD9E8D57u
#define W0 0x9E3779B9u
#define W1 0xBB67AE85u

void gpb__philox1(const uint32_t ctr[4], const uint32_t key[2],
                  uint32_t out[4])
{
    philox4x32_ctr_t c = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
    philox4x32_key_t k = {{key[0], key[1]}};
    philox4x32_ctr_t r = philox4x32_R(10, c, k);
    memcpy(out, r.v, 4 * sizeof *out);
}

uint32_t gpb__stream_id(const char *name)
{
    /* FNV-1a, 32 bits (Fowler, Noll, Vo; the IETF draft's parameters). */
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

/* Lanes one at a time, through Random123. */
static void lanes_scalar(const uint32_t key[2], uint32_t path0, size_t n,
                         uint32_t c1, uint32_t c2, uint32_t c3,
                         uint32_t *const w[4])
{
    for (size_t i = 0; i < n; i++) {
        uint32_t ctr[4] = {path0 + (uint32_t)i, c1, c2, c3}, out[4];
        gpb__philox1(ctr, key, out);
        w[0][i] = out[0];
        w[1][i] = out[1];
        w[2][i] = out[2];
        w[3][i] = out[3];
    }
}

#ifdef GPB__X86
/*
 * The vector rounds. Each lane holds one 32-bit counter word; the 32×32→64
 * products come from _mul_epu32 on the even lanes and on the odd lanes
 * shifted down, and the high and low halves are blended back into lane
 * order (LO: the low halves so, or, with AVX-512, one multiply that keeps
 * them, _mm512_mullo_epi32: the same words for one instruction instead
 * of a shift and a blend; 5% less time a block in a scratch benchmark).
 * One round: (hi0, lo0) = M0 · c0, (hi1, lo1) = M1 · c2,
 * c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0); the key is bumped by
 * (W0, W1) between rounds (Random123's _philox4x32round and bumpkey).
 */
#define PHILOX_VEC(NAME, TARGET, VT, W, SET1, ADD, XOR, MUL, SRLI, SLLI,  \
                   BLENDLO, BLENDHI, LOADU, STOREU, SETIDX, LO)            \
    __attribute__((target(TARGET))) static void NAME(                    \
        const uint32_t key[2], uint32_t path0, size_t n, uint32_t c1,      \
        uint32_t c2, uint32_t c3, uint32_t *const w[4])                    \
    {                                                                      \
        const VT m0 = SET1((int)M0), m1 = SET1((int)M1);                   \
        size_t i = 0;                                                      \
        /* Two vectors at a time: the rounds are a chain of dependent     \
           multiplies, so a second independent chain fills the pipes. */  \
        for (; i + 2 * W <= n; i += 2 * W) {                               \
            VT a0 = ADD(SET1((int)(path0 + (uint32_t)i)), SETIDX);         \
            VT b0 = ADD(SET1((int)(path0 + (uint32_t)(i + W))), SETIDX);   \
            VT a1 = SET1((int)c1), a2 = SET1((int)c2), a3 = SET1((int)c3); \
            VT b1 = a1, b2 = a2, b3 = a3;                                  \
            uint32_t k0 = key[0], k1 = key[1];                             \
            for (int r = 0; r < 10; r++) {                                 \
                VT kk0 = SET1((int)k0), kk1 = SET1((int)k1);               \
                VT ea = MUL(a0, m0), oa = MUL(SRLI(a0, 32), m0);           \
                VT eb = MUL(b0, m0), ob = MUL(SRLI(b0, 32), m0);           \
                VT fa = MUL(a2, m1), pa = MUL(SRLI(a2, 32), m1);           \
                VT fb = MUL(b2, m1), pb = MUL(SRLI(b2, 32), m1);           \
                VT na0 = XOR(XOR(BLENDHI(SRLI(fa, 32), pa), a1), kk0);     \
                VT nb0 = XOR(XOR(BLENDHI(SRLI(fb, 32), pb), b1), kk0);     \
                VT na2 = XOR(XOR(BLENDHI(SRLI(ea, 32), oa), a3), kk1);     \
                VT nb2 = XOR(XOR(BLENDHI(SRLI(eb, 32), ob), b3), kk1);     \
                a1 = LO(fa, pa, a2, m1);                                   \
                b1 = LO(fb, pb, b2, m1);                                   \
                a3 = LO(ea, oa, a0, m0);                                   \
                b3 = LO(eb, ob, b0, m0);                                   \
                a0 = na0;                                                  \
                b0 = nb0;                                                  \
                a2 = na2;                                                  \
                b2 = nb2;                                                  \
                k0 += W0;                                                  \
                k1 += W1;                                                  \
            }                                                              \
            STOREU((void *)(w[0] + i), a0);                                \
            STOREU((void *)(w[1] + i), a1);                                \
            STOREU((void *)(w[2] + i), a2);                                \
            STOREU((void *)(w[3] + i), a3);                                \
            STOREU((void *)(w[0] + i + W), b0);                            \
            STOREU((void *)(w[1] + i + W), b1);                            \
            STOREU((void *)(w[2] + i + W), b2);                            \
            STOREU((void *)(w[3] + i + W), b3);                            \
        }                                                                  \
        if (i < n) {                                                       \
            uint32_t *t[4] = {w[0] + i, w[1] + i, w[2] + i, w[3] + i};     \
            lanes_scalar(key, path0 + (uint32_t)i, n - i, c1, c2, c3, t);  \
        }                                                                  \
    }

#define SSE_BLO(a, b) _mm_or_si128(_mm_and_si128(a, _mm_set1_epi64x(0xffffffffll)), \
                                   _mm_andnot_si128(_mm_set1_epi64x(0xffffffffll), b))
#define SSE_IDX _mm_setr_epi32(0, 1, 2, 3)
#define SSE_LO(e, o, a, m) SSE_BLO(e, _mm_slli_epi64(o, 32))
PHILOX_VEC(lanes_sse2, "sse2", __m128i, 4, _mm_set1_epi32, _mm_add_epi32,
           _mm_xor_si128, _mm_mul_epu32, _mm_srli_epi64, _mm_slli_epi64,
           SSE_BLO, SSE_BLO, _mm_loadu_si128, _mm_storeu_si128, SSE_IDX,
           SSE_LO)

#define AVX2_BLO(a, b) _mm256_blend_epi32(a, b, 0xAA)
#define AVX2_IDX _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)
#define AVX2_LO(e, o, a, m) AVX2_BLO(e, _mm256_slli_epi64(o, 32))
PHILOX_VEC(lanes_avx2, "avx2", __m256i, 8, _mm256_set1_epi32,
           _mm256_add_epi32, _mm256_xor_si256, _mm256_mul_epu32,
           _mm256_srli_epi64, _mm256_slli_epi64, AVX2_BLO, AVX2_BLO,
           _mm256_loadu_si256, _mm256_storeu_si256, AVX2_IDX, AVX2_LO)

#define AVX512_BLO(a, b) _mm512_mask_blend_epi32((__mmask16)0xAAAA, a, b)
#define AVX512_LO(e, o, a, m) _mm512_mullo_epi32(a, m)
#define AVX512_IDX \
    _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
PHILOX_VEC(lanes_avx512, "avx512f", __m512i, 16, _mm512_set1_epi32,
           _mm512_add_epi32, _mm512_xor_si512, _mm512_mul_epu32,
           _mm512_srli_epi64, _mm512_slli_epi64, AVX512_BLO, AVX512_BLO,
           _mm512_loadu_si512, _mm512_storeu_si512, AVX512_IDX, AVX512_LO)
#endif

typedef void (*lanes_fn)(const uint32_t key[2], uint32_t path0, size_t n,
                         uint32_t c1, uint32_t c2, uint32_t c3,
                         uint32_t *const w[4]);

static lanes_fn lanes_impl = lanes_scalar;
static pthread_once_t lanes_once = PTHREAD_ONCE_INIT;

static void lanes_choose(void)
{
#ifdef GPB__X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        lanes_impl = lanes_avx512;
    else if (__builtin_cpu_supports("avx2"))
        lanes_impl = lanes_avx2;
    else
        lanes_impl = lanes_sse2;
#endif
}

void gpb__philox_lanes(uint64_t seed, uint64_t path0, size_t n, uint32_t c1,
                       uint32_t c2, uint32_t group, uint32_t *const w[4])
{
    pthread_once(&lanes_once, lanes_choose);
    const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    /* Lanes whose path crosses a multiple of 2^32 change the high word:
       split there (never happens below 4·10^9 paths). */
    while (n > 0) {
        uint64_t room = ((path0 >> 32) + 1) * 4294967296ull - path0;
        size_t m = n < room ? n : (size_t)room;
        uint32_t c3 = (uint32_t)((path0 >> 32) << 16) | (group & 0xffffu);
        lanes_impl(key, (uint32_t)path0, m, c1, c2, c3, w);
        if (m == n)
            break;
        uint32_t *const t[4] = {w[0] + m, w[1] + m, w[2] + m, w[3] + m};
        gpb__philox_lanes(seed, path0 + m, n - m, c1, c2, group, t);
        break;
    }
}

GPB__VCLONES void gpb__box_muller(size_t n, const uint32_t *a,
                                  const uint32_t *b, float *z0, float *z1)
{
    const float two_pi = 6.28318530717958647692f;
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        /* u = (a/2 + ½) · 2^-31, its 31-bit integer converted signed (SSE2
           has no unsigned conversion): exact below 2^23, within 2^-24
           relative above; from 2^-32 (the tail reaches |z| = 6.66) to at
           most 1 − 2^-24, so the logarithm is finite and negative. */
        float u = ((float)(int32_t)(a[i] >> 1) + 0.5f) * 0x1p-31f;
        u = u < 0x1.fffffep-1f ? u : 0x1.fffffep-1f;
        float v = ((float)(int32_t)(b[i] >> 8) + 0.5f) * (1.0f / 16777216.0f);
        float r = sqrtf(-2.0f * logf(u));
        /* sin t as cos(t − π/2), v − ¼ being exact: GCC would fuse a
           sinf and a cosf of one angle into a sincosf with no vector
           variant declared, and √((1 − cos)(1 + cos)) loses half its
           digits where cos is near ±1, which single precision cannot
           afford. */
        z0[i] = r * cosf(two_pi * v);
        z1[i] = r * cosf(two_pi * (v - 0.25f));
    }
}

/* ---- the lanes a flag marks ------------------------------------------- */

/* Lanes i0 .. n−1 one at a time, listed from at[k] on; the new k. A
   branch-free pass: the flags are unpredictable. */
static inline size_t where_from(const uint32_t *flag, size_t i0, size_t n,
                                uint16_t *at, size_t k)
{
    for (size_t i = i0; i < n; i++) {
        at[k] = (uint16_t)i;
        k += flag[i] != 0;
    }
    return k;
}

/* where_from of the lanes whose word is odd. */
static inline size_t where_odd_from(const uint64_t *word, size_t i0,
                                    size_t n, uint16_t *at, size_t k)
{
    for (size_t i = i0; i < n; i++) {
        at[k] = (uint16_t)i;
        k += word[i] & 1u;
    }
    return k;
}

size_t gpb__lanes_where_scalar(const uint32_t *flag, size_t n, uint16_t *at)
{
    return where_from(flag, 0, n, at, 0);
}

size_t gpb__lanes_where_odd_scalar(const uint64_t *word, size_t n,
                                   uint16_t *at)
{
    return where_odd_from(word, 0, n, at, 0);
}

#ifdef GPB__X86
/* Sixteen lanes an instruction: the lanes' mask compresses their indices
   idx (the register form: storing through a mask is microcoded and slow
   on AMD's Zen 4), narrowed to 16 bits and stored whole at `at`; the
   number listed. The store writes at[k .. k + 15] with k ≤ i, inside
   at's n entries while i + 16 ≤ n; the callers' last lanes go one at a
   time. */
__attribute__((target("avx512f,popcnt"))) static inline size_t
list16(__mmask16 m, __m512i idx, uint16_t *at)
{
    __m512i c = _mm512_maskz_compress_epi32(m, idx);
    _mm256_storeu_si256((__m256i *)(void *)at, _mm512_cvtepi32_epi16(c));
    return (size_t)__builtin_popcount((unsigned)m);
}

#define WHERE_IDX0                                                         \
    _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

__attribute__((target("avx512f,popcnt"))) static size_t
where_avx512(const uint32_t *flag, size_t n, uint16_t *at)
{
    __m512i idx = WHERE_IDX0;
    size_t k = 0, i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i f = _mm512_loadu_si512((const void *)(flag + i));
        k += list16(_mm512_test_epi32_mask(f, f), idx, at + k);
        idx = _mm512_add_epi32(idx, _mm512_set1_epi32(16));
    }
    return where_from(flag, i, n, at, k);
}

/* where_avx512 for 64-bit words and their lowest bit: two loads of eight
   make one mask of sixteen. */
__attribute__((target("avx512f,popcnt"))) static size_t
where_odd_avx512(const uint64_t *word, size_t n, uint16_t *at)
{
    const __m512i one = _mm512_set1_epi64(1);
    __m512i idx = WHERE_IDX0;
    size_t k = 0, i = 0;
    for (; i + 16 <= n; i += 16) {
        __mmask8 a = _mm512_test_epi64_mask(
            _mm512_loadu_si512((const void *)(word + i)), one);
        __mmask8 b = _mm512_test_epi64_mask(
            _mm512_loadu_si512((const void *)(word + i + 8)), one);
        k += list16((__mmask16)((unsigned)a | (unsigned)b << 8), idx, at + k);
        idx = _mm512_add_epi32(idx, _mm512_set1_epi32(16));
    }
    return where_odd_from(word, i, n, at, k);
}
#endif

typedef size_t (*where_fn)(const uint32_t *, size_t, uint16_t *);
typedef size_t (*where_odd_fn)(const uint64_t *, size_t, uint16_t *);

static where_fn where_impl = gpb__lanes_where_scalar;
static where_odd_fn where_odd_impl = gpb__lanes_where_odd_scalar;
static pthread_once_t where_once = PTHREAD_ONCE_INIT;

static void where_choose(void)
{
#ifdef GPB__X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("popcnt")) {
        where_impl = where_avx512;
        where_odd_impl = where_odd_avx512;
    }
#endif
}

size_t gpb__lanes_where(const uint32_t *flag, size_t n, uint16_t *at)
{
    pthread_once(&where_once, where_choose);
    return where_impl(flag, n, at);
}

size_t gpb__lanes_where_odd(const uint64_t *word, size_t n, uint16_t *at)
{
    pthread_once(&where_once, where_choose);
    return where_odd_impl(word, n, at);
}
