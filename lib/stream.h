/*
 * The engine's random streams: Philox4x32-10 (Salmon, Moraes, Dror & Shaw,
 * "Parallel random numbers: as easy as 1, 2, 3", SC'11), a counter-based
 * generator. Not installed.
 *
 * Every draw of a simulation is a pure function of
 *
 *     key     = the run's 64-bit seed
 *     counter = (path, process, slot, word group)
 *
 * where `process` is a 32-bit id derived from the name of the thing that
 * draws ("input:<key path>" for a per-path input, "gpu_price_index",
 * "training[pretrain]"; engine_plan.c names them), and
 * `slot` is the month (or one of the per-path slots below). One call gives
 * four 32-bit words. So a path can be replayed alone, the paths can be split
 * over threads, processes and machines in any way, and adding a process
 * changes no other draw: nothing is "the next number of a sequence".
 *
 * Counter layout (Random123's philox4x32_ctr_t, words 0..3):
 *     c0 = path & 0xffffffff
 *     c1 = process id
 *     c2 = slot: a month 0 .. 2^31, or GPB__SLOT_PATH - k for draws made
 *          once per path
 *     c3 = (path >> 32) << 16 | word group (0 .. 65535)
 * and key = (seed & 0xffffffff, seed >> 32).
 *
 * gpb__philox_lanes() computes one call for n consecutive paths at once,
 * with AVX-512, AVX2 or SSE2 when the machine has them and Random123's
 * scalar philox4x32_R otherwise; the arithmetic is on integers, so every
 * code path gives the same words (tests/test_engine.c checks them against
 * Random123 and its known-answer vectors).
 */
#ifndef GPB_STREAM_H
#define GPB_STREAM_H

#include <stddef.h>
#include <stdint.h>

/* Slots of draws made once per path (not in any month). */
#define GPB__SLOT_PATH 0xffffffffu

/* One Philox4x32-10 call, scalar: the reference (Random123). */
void gpb__philox1(const uint32_t ctr[4], const uint32_t key[2],
                  uint32_t out[4]);

/*
 * Philox4x32-10 for the n paths path0 .. path0 + n - 1 (n ≤ 2^16, lanes
 * consecutive), counter words c1, c2 and word group `group`, key from
 * `seed`. Writes word j of lane i to w[j][i]; each w[j] holds n words.
 * Any n; fastest when n is a multiple of 16.
 */
void gpb__philox_lanes(uint64_t seed, uint64_t path0, size_t n, uint32_t c1,
                       uint32_t c2, uint32_t group, uint32_t *const w[4]);

/* The process id of a name: FNV-1a over its bytes (32 bits). */
uint32_t gpb__stream_id(const char *name);

/*
 * A uniform in the open interval (0, 1) from one 32-bit word:
 * (w + 0.5) · 2^-32. Resolution 2^-32, never 0 or 1.
 */
static inline double gpb__u01_32(uint32_t w)
{
    return ((double)w + 0.5) * (1.0 / 4294967296.0);
}

/*
 * A uniform in (0, 1) from two words, with 53 bits:
 * ((hi · 2^21 + lo >> 11) + 0.5) · 2^-53. For per-path inputs, whose
 * inverse CDFs reach further into the tails with the finer grid.
 */
static inline double gpb__u01_53(uint32_t hi, uint32_t lo)
{
    uint64_t v = ((uint64_t)hi << 21) | (lo >> 11);
    return ((double)v + 0.5) * (1.0 / 9007199254740992.0);
}

/*
 * Standard normals by the Box–Muller transform (Box & Muller 1958) over
 * arrays, in single precision (the engine's month-by-month noise: money
 * stays in double): for lane i, from the words a[i] and b[i],
 *     r = √(−2 ln u(a)),  z0[i] = r cos(2π v(b)),  z1[i] = r sin(2π v(b)),
 * the sine as cos(2π (v − ¼)), with u(a) = ((a >> 1) + ½) · 2^-31
 * in float (at least 2^-32, at most 1 − 2^-24: r > 0, the logarithm
 * finite) and v(b) = ((b >> 8) + ½) · 2^-24. Vectorised through
 * glibc's libmvec (16 lanes with AVX-512). |z| ≤ √(64 ln 2) = 6.66; the
 * float maths is accurate to a few units in the 24th bit, far below the
 * sampling error of any statistic of the engine's.
 */
void gpb__box_muller(size_t n, const uint32_t *a, const uint32_t *b,
                     float *z0, float *z1);

/*
 * The lanes whose flag is not zero: writes their indices, ascending, to
 * at[0 .. k-1] and returns k. at holds n entries (n ≤ 65536); entries
 * past k may be written too. A branch-free pass, with AVX-512's compress
 * where the machine has it (16 lanes an instruction) and one lane at a
 * time otherwise; both give the same indices (tests/test_engine.c).
 */
size_t gpb__lanes_where(const uint32_t *flag, size_t n, uint16_t *at);

/* gpb__lanes_where one lane at a time, whatever the machine (the
   reference the tests hold the wide version to). */
size_t gpb__lanes_where_scalar(const uint32_t *flag, size_t n, uint16_t *at);

/* gpb__lanes_where of the lanes whose word is odd (the bands' positions:
   result.c), and its one-lane-at-a-time reference. */
size_t gpb__lanes_where_odd(const uint64_t *word, size_t n, uint16_t *at);
size_t gpb__lanes_where_odd_scalar(const uint64_t *word, size_t n,
                                   uint16_t *at);

#endif /* GPB_STREAM_H */
