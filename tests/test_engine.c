/*
 * Tests of the Monte Carlo engine's insides and of the guarantees the
 * engine rewrite makes (gpubudget/sim.h): the random streams against
 * Random123's known answers, the inverse CDFs against GSL, the quantile
 * sketch against exact order statistics, the registries' sums, the trace
 * against the result, independence of the streams and of the split of the
 * paths, the one cash-flow model against rent-versus-buy, the censoring
 * of the runway and the errors of arithmetic that overflows.
 *
 * Every numeric assertion is against a value worked independently (by
 * hand in a comment, a closed form, GSL, Random123's published vectors)
 * with its tolerance stated next to it. Statistical checks use fixed seeds
 * and 4 standard errors. Nothing is timed.
 */
#include <check.h>
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "engine.h"
#include "gpubudget/gpubudget.h"
#include "internal.h"
#include "sketch.h"
#include "stream.h"
#include "test_util.h"
#include "vquantile.h"

/* ======================================================================== */
/* Helpers                                                                   */
/* ======================================================================== */

/* ck_assert_msg without Check's bookkeeping when the check passes (Check
   writes the place of every passing assertion to a pipe: a system call
   each, seconds for the millions of checks below). */
#define expect(cond, ...)                                                   \
    do {                                                                    \
        if (!(cond))                                                        \
            ck_abort_msg(__VA_ARGS__);                                      \
    } while (0)

/* A uniform in (0, 1) from the test's own Philox stream: word pairs of
   (i, 0xfeed, 0, 0) under key (seed, 0). */
static double test_u01(uint32_t seed, uint32_t i)
{
    uint32_t ctr[4] = {i, 0xfeedu, 0, 0}, key[2] = {seed, 0}, w[4];
    gpb__philox1(ctr, key, w);
    return gpb__u01_53(w[0], w[1]);
}

static gpb_result *run_opts(const gpb_scenario *s, const gpb_sim_options *o)
{
    gpb_result *r = NULL;
    gpb_error e;
    gpb_status st = gpb_sim_run(s, o, &r, &e);
    expect(st == GPB_OK, "sim failed (%s): %s", gpb_status_str(st),
           e.message);
    return r;
}

static const double *samples(const gpb_result *r, const char *m)
{
    const double *v = NULL;
    gpb_error e;
    expect(gpb_result_samples(r, m, &v, &e) == GPB_OK, "%s: %s", m,
           e.message);
    return v;
}

static double mean_of(const gpb_result *r, const char *m, double *se)
{
    double v, s;
    gpb_error e;
    expect(gpb_result_mean(r, m, &v, &s, &e) == GPB_OK, "%s: %s", m,
           e.message);
    if (se)
        *se = s;
    return v;
}

static double quant(const gpb_result *r, const char *m, double p)
{
    double v;
    gpb_error e;
    expect(gpb_result_quantile(r, m, p, &v, &e) == GPB_OK, "%s: %s",
           m, e.message);
    return v;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* ======================================================================== */
/* 1. Streams and inverse CDFs                                               */
/* ======================================================================== */

START_TEST(philox_known_answers)
{
    /* Random123's kat_vectors, philox4x32 with 10 rounds: counter, key,
       expected output. */
    static const uint32_t kat[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
         0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822,
         0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int k = 0; k < 3; k++) {
        uint32_t out[4];
        gpb__philox1(kat[k], kat[k] + 4, out);
        for (int j = 0; j < 4; j++)
            expect(out[j] == kat[k][6 + j],
                   "vector %d word %d: %08x, want %08x", k, j, out[j],
                   kat[k][6 + j]);
    }
}
END_TEST

START_TEST(philox_lanes_equal_the_scalar_reference)
{
    /* Every lane count 1..70 (vector bodies of 8, 16 and 32 lanes plus
       scalar tails) and two long ones, at path ranges that include one
       crossing 2^32, where the high path word moves into counter word 3
       (bits 16..31) and the lanes split. Bit-exact. */
    static const uint64_t seeds[] = {20230225u, 0x0123456789abcdefull};
    static const uint64_t starts[] = {0, 12345, 4294967296ull - 35,
                                      (5ull << 32) - 3};
    static const size_t longs[] = {512, 1000};
    uint32_t *w[4];
    for (int j = 0; j < 4; j++)
        w[j] = malloc(1000 * sizeof *w[j]);
    size_t checked = 0;
    for (size_t si = 0; si < 2; si++)
        for (size_t pi = 0; pi < 4; pi++)
            for (size_t n = 1; n <= 72; n++) {
                size_t nn = n <= 70 ? n : longs[n - 71];
                uint64_t seed = seeds[si], path0 = starts[pi];
                uint32_t c1 = 0x9e3779b9u * (uint32_t)(n + 1);
                uint32_t c2 = (uint32_t)n * 7u, group = (uint32_t)n % 3u;
                gpb__philox_lanes(seed, path0, nn, c1, c2, group, w);
                uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
                for (size_t i = 0; i < nn; i++) {
                    uint64_t path = path0 + i;
                    uint32_t ctr[4] = {(uint32_t)path, c1, c2,
                                       (uint32_t)((path >> 32) << 16) |
                                           group},
                             out[4];
                    gpb__philox1(ctr, key, out);
                    for (int j = 0; j < 4; j++)
                        expect(w[j][i] == out[j],
                               "seed %llx path %llu n %zu lane %zu "
                               "word %d",
                               (unsigned long long)seed,
                               (unsigned long long)path, nn, i, j);
                    checked++;
                }
            }
    ck_assert_uint_gt(checked, 8 * 2485);
    for (int j = 0; j < 4; j++)
        free(w[j]);
}
END_TEST

START_TEST(lanes_where_lists_the_flagged_lanes)
{
    /* Every length 0..100 (vector bodies of 16 plus tails) and 512, at
       flag densities from none to all, flags of any non-zero value (and
       the same lanes as odd 64-bit words, for gpb__lanes_where_odd): the
       indices ascending, the count right, the same from the wide and the
       scalar versions; and nothing written past the n entries. */
    enum { MAX = 512, GUARD = 8 };
    uint32_t flag[MAX];
    uint64_t word[MAX];
    uint16_t a[MAX + GUARD], b[MAX + GUARD];
    static const unsigned per_256[] = {0, 1, 13, 128, 243, 256};
    uint32_t x = 2463534242u; /* xorshift32 (Marsaglia 2003) */
    size_t checked = 0;
    for (size_t d = 0; d < sizeof per_256 / sizeof per_256[0]; d++)
        for (size_t n = 0; n <= 101; n++) {
            size_t nn = n <= 100 ? n : MAX;
            size_t want = 0;
            for (size_t i = 0; i < nn; i++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                flag[i] = (x & 255u) < per_256[d] ? (x | 1u) : 0u;
                want += flag[i] != 0;
            }
            for (size_t i = 0; i < MAX + GUARD; i++)
                a[i] = b[i] = 0xbeef;
            /* The same lanes as odd 64-bit words (the bands' positions:
               2j + 1 inside band j, 2j between bands). */
            for (size_t i = 0; i < nn; i++)
                word[i] = 2 * (uint64_t)(flag[i] % 7u) + (flag[i] != 0) +
                          ((uint64_t)flag[i] << 32);
            for (int odd = 0; odd < 2; odd++) {
                for (size_t i = 0; i < MAX + GUARD; i++)
                    a[i] = b[i] = 0xbeef;
                size_t ka = odd ? gpb__lanes_where_odd(word, nn, a)
                                : gpb__lanes_where(flag, nn, a);
                size_t kb = odd ? gpb__lanes_where_odd_scalar(word, nn, b)
                                : gpb__lanes_where_scalar(flag, nn, b);
                ck_assert_uint_eq(ka, want);
                ck_assert_uint_eq(kb, want);
                size_t t = 0;
                for (size_t i = 0; i < nn; i++)
                    if (flag[i]) {
                        expect(a[t] == i && b[t] == i,
                               "%s density %u/256 n %zu: entry %zu is %u "
                               "and %u, want %zu", odd ? "odd" : "flag",
                               per_256[d], nn, t, a[t], b[t], i);
                        t++;
                    }
                for (size_t i = nn; i < MAX + GUARD; i++)
                    expect(a[i] == 0xbeef && b[i] == 0xbeef,
                           "%s density %u/256 n %zu: entry %zu written",
                           odd ? "odd" : "flag", per_256[d], nn, i);
            }
            checked++;
        }
    ck_assert_uint_eq(checked, 6 * 102);
}
END_TEST

START_TEST(box_muller_follows_its_formula)
{
    /*
     * z0 = r cos(2πv), z1 = r sin(2πv), r = √(−2 ln u), in single
     * precision (stream.h): u = ((a >> 1) + ½)·2^-31 and v = ((b >> 8) +
     * ½)·2^-24 as the code rounds them to float (rebuilt here the same
     * way), against the formula in long double on those u and v.
     * Tolerance 4e-6 · r absolute: logf, cosf and sqrtf are within 4 ulp
     * (ε = 2^-23 = 1.2e-7), so r is within ~3 ulp (3.6e-7 relative); the
     * angle 2π·v (and 2π·(v − ¼)) is rounded once, ≤ 2.4e-7 absolute
     * plus 2π's own rounding (≤ 1.1e-7 relative of ≤ 6.3), and cosf adds
     * ≤ 4.8e-7: ≤ 1.6e-6 · r in all, under the bound. Edge words: a = 0
     * gives the largest radius, √(64 ln 2); a = 2^32 − 1 the smallest,
     * u clamped to 1 − 2^-24, r = √(−2 ln(1 − 2^-24)) ≈ 3.45e-4.
     */
    enum { N = 4099 };
    uint32_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    float *z0 = malloc(N * sizeof *z0), *z1 = malloc(N * sizeof *z1);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t ctr[4] = {i, 77, 0, 0}, key[2] = {1, 2}, out[4];
        gpb__philox1(ctr, key, out);
        a[i] = out[0];
        b[i] = out[1];
    }
    a[0] = 0xffffffffu;
    a[1] = 0;
    b[1] = 0;
    a[2] = 0;
    b[2] = 0x40000000u; /* v just above 1/4: z0 near 0 */
    a[3] = 12345;
    b[3] = 0xffffffffu;
    gpb__box_muller(N, a, b, z0, z1);
    double worst = 0;
    for (size_t i = 0; i < N; i++) {
        volatile float uf = ((float)(int32_t)(a[i] >> 1) + 0.5f) * 0x1p-31f;
        float uc = uf < 0x1.fffffep-1f ? uf : 0x1.fffffep-1f;
        volatile float vf = ((float)(int32_t)(b[i] >> 8) + 0.5f) *
                            (1.0f / 16777216.0f);
        long double u = uc, v = vf;
        long double r = sqrtl(-2.0L * logl(u));
        long double t = 2.0L * 3.14159265358979323846264338327950288L * v;
        double w0 = (double)(r * cosl(t)), w1 = (double)(r * sinl(t));
        double tol = 4e-6 * (double)r;
        double d = fmax(fabs(z0[i] - w0), fabs(z1[i] - w1));
        expect(d <= tol, "lane %zu: (%.9g, %.9g) vs (%.9g, %.9g)", i,
               (double)z0[i], (double)z1[i], w0, w1);
        if (r > 0 && d / (double)r > worst)
            worst = d / (double)r;
    }
    double r0 = sqrt(-2.0 * log(1.0 - 0x1p-24));
    ck_assert(fabs(hypot(z0[0], z1[0]) - r0) <= 4e-6 * r0);
    ck_assert(fabs(hypot(z0[1], z1[1]) - sqrt(64 * log(2.0))) <=
              4e-6 * 6.67);
    fprintf(stderr, "box-muller: largest error %.3g of the radius\n", worst);
    free(a);
    free(b);
    free(z0);
    free(z1);
}
END_TEST

START_TEST(qnorm_lanes_agree_with_gsl)
{
    /*
     * Φ⁻¹ over arrays (AS 241) against gsl_cdf_ugaussian_Pinv at levels
     * from 1e-300 to 1 − 1e-16 on a log grid in both tails, the pieces'
     * edges (|u − ½| = 0.425, r = √(−ln u) = 5), the brief's points and
     * 10,000 random levels. Relative error < 1e-14: both evaluate the same
     * rational functions, so they differ only by the rounding of log and
     * sqrt (libmvec, ≤ 4 ulp) carried through a smooth function.
     */
    enum { NG = 600, NR = 10000 };
    size_t n = 0;
    double *u = malloc((2 * NG + NR + 16) * sizeof *u);
    for (int k = 0; k < NG; k++) {
        /* 1e-300 .. 0.5, evenly in log10. */
        double x = pow(10.0, -300.0 + (300.0 + log10(0.5)) * k / (NG - 1));
        u[n++] = x;
        if (x > 1e-16)
            u[n++] = 1.0 - x;
    }
    static const double fixed[] = {1e-300, 1e-10, 0.02425, 0.5,
                                   1 - 1e-10, 0.075, 0.925, 0.07500001,
                                   0.92499999, 1.3887943864964021e-11,
                                   DBL_MIN, 1 - DBL_EPSILON / 2};
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
        u[n++] = fixed[k];
    for (uint32_t k = 0; k < NR; k++)
        u[n++] = test_u01(3, k);
    double *z = malloc(n * sizeof *z);
    gpb__qnorm_lanes(u, z, n);
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double g = gsl_cdf_ugaussian_Pinv(u[i]);
        if (g == 0) {
            expect(z[i] == 0, "u = %.17g: %.17g", u[i], z[i]);
            continue;
        }
        double rel = fabs(z[i] - g) / fabs(g);
        expect(rel < 1e-14, "u = %.17g: %.17g vs GSL %.17g (rel %g)",
               u[i], z[i], g, rel);
        if (rel > worst)
            worst = rel;
    }
    fprintf(stderr, "qnorm: %zu levels, largest relative error %.3g\n", n,
            worst);
    free(u);
    free(z);
}
END_TEST

/*
 * Q''(u) = −f'(x) / f(x)³ at x = Q(u), the curvature that bounds linear
 * interpolation of a quantile function: on a cell [a, b] the error at u
 * is (u − a)(b − u)/2 · Q''(ξ) ≤ (b − a)²/8 · max |Q''|.
 */
typedef struct law {
    const char *name;
    gpb_dist d;
    int kind; /* 0 beta on [lo, lo + w] with shapes (a, b), 1 gamma */
    double a, b, lo, w;
} law;

static double law_q2(const law *L, double u)
{
    double x = gpb_dist_quantile(&L->d, u);
    if (L->kind == 0) {
        double y = (x - L->lo) / L->w;
        double g = gsl_ran_beta_pdf(y, L->a, L->b);
        double dl = (L->a - 1) / y - (L->b - 1) / (1 - y);
        return L->w * fabs(dl) / (g * g);
    }
    double f = gsl_ran_gamma_pdf(x, L->a, L->b);
    double dl = (L->a - 1) / x - 1 / L->b;
    return fabs(dl) / (f * f);
}

static double law_pdf(const law *L, double x)
{
    if (L->kind == 0)
        return gsl_ran_beta_pdf((x - L->lo) / L->w, L->a, L->b) / L->w;
    return gsl_ran_gamma_pdf(x, L->a, L->b);
}

START_TEST(qtable_interpolates_within_its_curvature)
{
    /*
     * The engine's tabulated inverse CDF (engine_plan.c: exact at 4,097
     * levels k/N, N = 4096, and at 4,097 finer ones in each end cell),
     * against gpb_dist_quantile at 10,000 random levels, for a PERT, a
     * scaled beta and a gamma. Bound at each u, from the cell [a, b] that
     * holds it: (b − a)²/8 · M · 2, M the largest |Q''| at a, the middle
     * and b (the 2 covers Q'' varying inside a cell), plus the nodes' own
     * error: gpb_dist_quantile stops when |F(x) − u| ≤ 4ε·min(u, 1 − u),
     * i.e. 4ε·min(u, 1 − u)/f(x) in x, and 4 ulp of rounding. Cells where
     * Q'' is infinite (the very first and last, 1 in 16.7 million of the
     * levels) get no bound. The largest error is printed for the record.
     */
    law laws[3];
    memset(laws, 0, sizeof laws);
    ck_assert(gpb_dist_pert(0.3, 0.4, 0.5, &laws[0].d, NULL) == GPB_OK);
    laws[0].name = "pert(0.3, 0.4, 0.5)";
    /* PERT = Beta(1 + 4(mode − min)/(max − min), 1 + 4(max − mode)/(max −
       min)) on [min, max]: Beta(3, 3) on [0.3, 0.5]. */
    laws[0].a = 3;
    laws[0].b = 3;
    laws[0].lo = 0.3;
    laws[0].w = 0.2;
    ck_assert(gpb_dist_beta_scaled(2, 5, 10, 30, &laws[1].d, NULL) ==
              GPB_OK);
    laws[1].name = "beta(2, 5) on [10, 30]";
    laws[1].a = 2;
    laws[1].b = 5;
    laws[1].lo = 10;
    laws[1].w = 20;
    ck_assert(gpb_dist_gamma(2.5, 3.0, &laws[2].d, NULL) == GPB_OK);
    laws[2].name = "gamma(2.5, 3)";
    laws[2].kind = 1;
    laws[2].a = 2.5;
    laws[2].b = 3.0;
    const double N = QT_N;
    for (int l = 0; l < 3; l++) {
        const eng_qtable *t = gpb__qtable_get(&laws[l].d);
        ck_assert_ptr_nonnull(t);
        /* The cache hands back the same table for the same law. */
        ck_assert_ptr_eq(t, gpb__qtable_get(&laws[l].d));
        double worst = 0, worst_ratio = 0, worst_u = 0, worst_x = 0;
        for (uint32_t i = 0; i < 10000; i++) {
            double u = test_u01(100 + (uint32_t)l, i);
            double got = gpb__qtable_eval(t, u);
            double want = gpb_dist_quantile(&laws[l].d, u);
            double err = fabs(got - want);
            if (err > worst) {
                worst = err;
                worst_u = u;
                worst_x = want;
            }
            double a, h;
            if (u < 1 / N) {
                h = 1 / (N * N);
                a = floor(u / h) * h;
            } else if (u > 1 - 1 / N) {
                h = 1 / (N * N);
                a = 1 - 1 / N + floor((u - (1 - 1 / N)) / h) * h;
            } else {
                h = 1 / N;
                a = floor(u * N) / N;
            }
            double b = a + h;
            double M = fmax(law_q2(&laws[l], a),
                            fmax(law_q2(&laws[l], a + h / 2),
                                 law_q2(&laws[l], b)));
            if (!isfinite(M) || a <= 0 || b >= 1)
                continue;
            double node = 4 * DBL_EPSILON *
                          fmin(fmin(a, 1 - a), fmin(b, 1 - b)) /
                          fmin(law_pdf(&laws[l], gpb_dist_quantile(
                                                     &laws[l].d, a)),
                               law_pdf(&laws[l], gpb_dist_quantile(
                                                     &laws[l].d, b)));
            double bound = 2 * h * h / 8 * M + 2 * node +
                           4 * DBL_EPSILON * fabs(want);
            expect(err <= bound,
                   "%s at u = %.17g: %.17g vs %.17g (error %g, "
                   "bound %g)",
                   laws[l].name, u, got, want, err, bound);
            if (err / bound > worst_ratio)
                worst_ratio = err / bound;
        }
        fprintf(stderr,
                "qtable %s: largest error %.3g at u = %.6f (Q = %.6g) over "
                "10^4 levels; %.2f of its bound at worst\n",
                laws[l].name, worst, worst_u, worst_x, worst_ratio);
        gpb_dist_free(&laws[l].d);
    }
}
END_TEST

/* The levels a tail test evaluates: level i of side s, the middle of end
   cell k (exact in binary: N² = 2^24), and the value it must take, worked
   from gpb_dist_quantile at the cell's two nodes. */
typedef struct tail_case {
    const eng_qtable *t;
    const gpb_dist *d;
    double u[64], want[64];
    double got[4][64];
} tail_case;

static const int tail_cells[16] = {0,    1,    2,    7,    100,  511,
                                   512,  2047, 3000, 4000, 4093, 4094,
                                   4095, 17,   1234, 4095};

static void *tail_eval_thread(void *arg)
{
    struct {
        tail_case *c;
        int th;
    } *a = arg;
    /* Each thread its own order over the 64 levels. */
    for (int j = 0; j < 64; j++) {
        int i = (j * 37 + a->th * 11) % 64;
        a->c->got[a->th][i] = gpb__qtable_eval(a->c->t, a->c->u[i]);
    }
    return NULL;
}

START_TEST(qtable_tail_nodes_come_exact_on_first_use)
{
    /*
     * The end cells' nodes (engine.h) are computed when a level first needs
     * them, on whichever thread: a table fresh from the cache has none; a
     * level in an end cell computes exactly its cell's two nodes; and the
     * value is the interpolation of the exact quantiles at them, bit for
     * bit, from four threads at once. Levels u = (k + ½)/N² in the first
     * cell and 1 − 1/N + (k + ½)/N² in the last (exact doubles), so the
     * cell is k and the weight ½: want = a + (b − a)·½ with a, b
     * gpb_dist_quantile at the cell's ends. For the gamma the last node,
     * Q(1) = ∞, is Q(1 − 2^−53). Laws no other test uses, so the cache
     * holds them fresh.
     */
    const double N = QT_N, N2 = N * N;
    gpb_dist laws[2];
    ck_assert(gpb_dist_pert(0.11, 0.23, 0.71, &laws[0], NULL) == GPB_OK);
    ck_assert(gpb_dist_gamma(1.7, 2.0, &laws[1], NULL) == GPB_OK);
    for (int l = 0; l < 2; l++) {
        const eng_qtable *t = gpb__qtable_get(&laws[l]);
        ck_assert_ptr_nonnull(t);
        int before = 0;
        for (int side = 0; side < 2; side++)
            for (int k = 0; k <= QT_N; k++)
                before += atomic_load(&((eng_qtable *)t)->tail[side][k]);
        ck_assert_int_eq(before, 0);
        tail_case c;
        memset(&c, 0, sizeof c);
        c.t = t;
        c.d = &laws[l];
        unsigned char need[2][QT_N + 1];
        memset(need, 0, sizeof need);
        for (int i = 0; i < 32; i++) {
            int side = i >= 16, k = tail_cells[i % 16];
            double a, b;
            if (side == 0) {
                c.u[i] = (k + 0.5) / N2;
                a = gpb_dist_quantile(&laws[l], k / N2);
                b = gpb_dist_quantile(&laws[l], (k + 1) / N2);
            } else {
                c.u[i] = 1.0 - 1.0 / N + (k + 0.5) / N2;
                a = gpb_dist_quantile(&laws[l], 1.0 - 1.0 / N + k / N2);
                b = gpb_dist_quantile(&laws[l], 1.0 - 1.0 / N + (k + 1) / N2);
                if (k + 1 == QT_N && !isfinite(b))
                    b = gpb_dist_quantile(&laws[l], 1.0 - 0x1p-53);
            }
            c.want[i] = a + (b - a) * 0.5;
            need[side][k] = need[side][k + 1] = 1;
        }
        /* The other 32: the body, which needs no tail node. */
        for (int i = 32; i < 64; i++) {
            c.u[i] = (i - 31) / 34.0;
            int k = (int)(c.u[i] * N);
            double a = gpb_dist_quantile(&laws[l], k / N);
            double b = gpb_dist_quantile(&laws[l], (k + 1) / N);
            c.want[i] = a + (b - a) * (c.u[i] * N - k);
        }
        pthread_t th[4];
        struct {
            tail_case *c;
            int th;
        } arg[4];
        for (int i = 0; i < 4; i++) {
            arg[i].c = &c;
            arg[i].th = i;
            ck_assert_int_eq(pthread_create(&th[i], NULL, tail_eval_thread,
                                            &arg[i]),
                             0);
        }
        for (int i = 0; i < 4; i++)
            pthread_join(th[i], NULL);
        for (int th_i = 0; th_i < 4; th_i++)
            for (int i = 0; i < 64; i++)
                expect(c.got[th_i][i] == c.want[i],
                       "law %d, thread %d, u = %.17g: %.17g, want %.17g", l,
                       th_i, c.u[i], c.got[th_i][i], c.want[i]);
        for (int side = 0; side < 2; side++)
            for (int k = 0; k <= QT_N; k++)
                expect(atomic_load(&((eng_qtable *)t)->tail[side][k]) ==
                           need[side][k],
                       "law %d: tail node %d of side %d %s", l, k, side,
                       need[side][k] ? "not computed" : "computed unasked");
        gpb_dist_free(&laws[l]);
    }
}
END_TEST

/* ======================================================================== */
/* 2. The quantile sketch                                                    */
/* ======================================================================== */

/* n values: signs mixed, magnitudes spanning 2^-60 .. 2^60 (121 binades),
   some repeated, no zero. */
static double *sketch_data(size_t n, uint32_t seed)
{
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        double u = test_u01(seed, (uint32_t)(2 * i));
        double v = test_u01(seed, (uint32_t)(2 * i + 1));
        double m = ldexp(1.0 + u, (int)floor(v * 121) - 60);
        x[i] = (i % 3 == 0) ? -m : m;
        if (i % 17 == 5 && i > 0)
            x[i] = x[i - 1]; /* runs of equal values */
    }
    return x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-quantile of n sorted values, interpolated between order
   statistics as gpb_result_quantile documents (the independent figure the
   selection tests compare with). */
static double sorted_quantile(const double *sorted, size_t n, double p)
{
    double pos = p * (double)(n - 1);
    size_t a = (size_t)floor(pos);
    double d = pos - floor(pos);
    return d == 0 ? sorted[a] : sorted[a] + (sorted[a + 1] - sorted[a]) * d;
}

/*
 * gpb__binomial_thin against the exact Binomial(k, q) CDF: terms from
 * lgammal in long double, summed from 0, for each branch (k ≤ 1000 from
 * 0, on both sides of q = ½; larger k from the mode) and at the extreme
 * uniforms the engine can draw (2^-33 and 1 − 2^-33). The draw j must be
 * the least with F(j) ≥ u: F(j) ≥ u − ε and F(j − 1) < u + ε, ε = 1e-11
 * (the double sums' rounding; the tail the old search-from-the-mode
 * missed was 1.8e-10 of the mass at k = 10^5, which returned k for the
 * largest u). Above a variance of 10^8 the normal approximation: within
 * a count of kq + σz, and never outside [0, k].
 */
START_TEST(binomial_thin_inverts_the_exact_cdf)
{
    static const struct {
        double k, q;
    } cases[] = {{1, 0.3},     {7, 0.5},      {15, 0.49},   {15, 0.51},
                 {1000, 1e-4}, {1000, 0.999}, {1001, 1e-3}, {1001, 0.5},
                 {5000, 0.3},  {1e5, 1e-3},   {1e5, 0.5},   {1e5, 0.99},
                 {1e6, 0.2}};
    const double eps = 1e-11;
    double us[64];
    size_t nu = 0;
    us[nu++] = 0x1p-33;
    us[nu++] = 1 - 0x1p-33;
    us[nu++] = 1e-6;
    us[nu++] = 1 - 1e-6;
    for (int i = 1; i < 60; i++)
        us[nu++] = i / 60.0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        double k = cases[c].k, q = cases[c].q;
        size_t n = (size_t)k;
        long double *F = malloc((n + 1) * sizeof *F);
        ck_assert_ptr_nonnull(F);
        long double lk = lgammal((long double)k + 1), acc = 0;
        for (size_t j = 0; j <= n; j++) {
            long double lj = (long double)j;
            acc += expl(lk - lgammal(lj + 1) - lgammal((long double)k - lj + 1) +
                        lj * logl((long double)q) +
                        ((long double)k - lj) * log1pl(-(long double)q));
            F[j] = acc;
        }
        for (size_t i = 0; i < nu; i++) {
            double u = us[i], j = gpb__binomial_thin(k, q, u);
            ck_assert_msg(j >= 0 && j <= k && j == floor(j),
                          "k %g q %g u %.17g: %g", k, q, u, j);
            size_t J = (size_t)j;
            long double below = J ? F[J - 1] : 0;
            expect(F[J] >= (long double)u - eps && below < (long double)u + eps,
                   "k %g q %g u %.17g: j %g, F(j) %.17Lg, F(j-1) %.17Lg", k,
                   q, u, j, F[J], below);
        }
        free(F);
    }
    /* Variance above 10^8: the normal approximation. */
    const double k = 1e9, q = 0.5, sd = sqrt(k * q * (1 - q));
    double last = -1;
    for (int i = 1; i < 100; i++) {
        double u = i / 100.0, j = gpb__binomial_thin(k, q, u);
        double z = gsl_cdf_ugaussian_Pinv(u);
        ck_assert_msg(fabs(j - (k * q + sd * z)) <= 1 && j >= last,
                      "k %g u %g: %g", k, u, j);
        last = j;
    }
    ck_assert(gpb__binomial_thin(k, q, 0x1p-33) >= 0);
    ck_assert(gpb__binomial_thin(k, q, 1 - 0x1p-33) <= k);
    /* The ends of q and k. */
    ck_assert(gpb__binomial_thin(12, 0, 0.5) == 0);
    ck_assert(gpb__binomial_thin(12, 1, 0.5) == 12);
    ck_assert(gpb__binomial_thin(0, 0.5, 0.5) == 0);
}
END_TEST

/*
 * The lanes' thinning (gpb__binomial_thin_lanes, which steps the common
 * lanes' inversions side by side) is the scalar function, bit for bit, on
 * every branch: counts 1 .. 1000 on both sides of q = ½ and at ½ itself,
 * the ends (q 0 or 1, k 0), counts above 1000 (the scalar's other
 * branches) and the extreme uniforms, mixed in one call of more lanes
 * than a block so the gather and the chunks are exercised.
 */
START_TEST(binomial_thin_over_lanes_is_the_scalar)
{
    enum { N = 3 * GPB_SIM_BLOCK_PATHS + 77 };
    double *k = malloc(N * sizeof *k), *q = malloc(N * sizeof *q),
           *u = malloc(N * sizeof *u), *out = malloc(N * sizeof *out);
    ck_assert(k && q && u && out);
    static const double qs[] = {1e-9, 1e-4, 0.03, 0.3,  0.4999999, 0.5,
                                0.5000001, 0.7, 0.97, 0.9999, 0,   1};
    static const double big[] = {0, 1001, 5000, 1e5, 1e9};
    uint64_t x = 88172645463325252ull; /* xorshift64: a spread of u */
    size_t diff = 0;
    for (int rep = 0; rep < 4; rep++) {
        for (size_t i = 0; i < N; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            k[i] = i % 37 == 5 ? big[(i / 37) % 5] : (double)(1 + (x >> 7) % 1000);
            q[i] = qs[(i + (size_t)rep) % (sizeof qs / sizeof *qs)];
            u[i] = i % 53 == 0   ? 0x1p-33
                   : i % 53 == 1 ? 1 - 0x1p-33
                                 : (double)(x >> 11) * 0x1p-53;
        }
        gpb__binomial_thin_lanes(N, k, q, u, out);
        for (size_t i = 0; i < N; i++) {
            double want = gpb__binomial_thin(k[i], q[i], u[i]);
            if (!same_bits(out[i], want) && diff++ < 5)
                fprintf(stderr, "k %g q %.17g u %.17g: %.17g, scalar %.17g\n",
                        k[i], q[i], u[i], out[i], want);
        }
    }
    ck_assert_uint_eq(diff, 0);
    free(k);
    free(q);
    free(u);
    free(out);
}
END_TEST

/*
 * The Poisson table of a run whose failure mean λ = G · 730.5 / MTBF is
 * the same on every path (engine_plan.c, fail_table), against its CDF
 * worked to 50 digits by mpmath (1.2.1: gammainc(k + 1, λ, inf,
 * regularized=True), λ the double the engine computes), within 4 · 10^-16
 * (two ulps at 1): at λ = 14.96064 (1,024 GPUs, MTBF 50,000 h) and at
 * λ = 5,000 (100,000 GPUs, MTBF 14,610 h), where GSL's gsl_cdf_poisson_P
 * is itself 8.8 · 10^-12 off at k = 5069 and a table summed in logs from
 * 0 was 1.5 · 10^-11 off. F(5454) < 1 − 2^-33 ≤ F(5455): the streams'
 * largest uniform draws 5,455 failures.
 */
/* 1, after checking that the table's draw at u is the least k with
   F(k) >= u (at most n - 1), found by a plain search. */
static int table_draw_is_the_least(const double *F, size_t n,
                                   const uint32_t *guide, double u,
                                   const char *gpus)
{
    size_t want = 0;
    while (want + 1 < n && F[want] < u)
        want++;
    double drew = gpb__poisson_table(F, n, guide, u);
    expect(drew == (double)want, "G %s: u %.17g drew %g, want %zu", gpus, u,
           drew, want);
    return 1;
}

START_TEST(failure_table_is_the_poisson_cdf)
{
    static const struct {
        const char *gpus, *mtbf;
        unsigned k;
        double F;
    } pts[] = {{"1024", "50000", 0, 3.181827289045278449612168e-7},
               {"1024", "50000", 5, 0.002869629955143446715015254},
               {"1024", "50000", 15, 0.5721213818278879539143833},
               {"1024", "50000", 30, 0.9998112214243910280616199},
               {"1024", "50000", 45, 0.9999999999057360044179816},
               {"100000", "14610", 4800, 0.002269403878343363951239801},
               {"100000", "14610", 5000, 0.5037611677708466672258944},
               {"100000", "14610", 5069, 0.8371879533961556321051602},
               {"100000", "14610", 5300, 0.9999872602410652164159607},
               {"100000", "14610", 5454, 0.9999999998821409720941058},
               {"100000", "14610", 5455, 0.9999999998921982594848268}};
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
        char y[1024];
        snprintf(y, sizeof y,
                 "gpubudget: 1\nname: f\ncurrency: USD\n"
                 "horizon_months: 12\ncompany: {cash: \"$1B\"}\n"
                 "training:\n  - name: r\n    params: 7B\n"
                 "    tokens: 1T\n    gpu: H100\n    gpus: %s\n"
                 "    mfu: 0.4\n    failures: {gpu_mtbf_hours: %s, "
                 "hours_lost_per_failure: 1}\n",
                 pts[i].gpus, pts[i].mtbf);
        gpb_scenario *s = test_load_yaml(y);
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = 1000;
        eng_plan p;
        gpb_error e;
        ck_assert_int_eq(gpb__plan_build(&p, s, &o, &e), GPB_OK);
        ck_assert(p.fail_cdf[0] != NULL);
        ck_assert_uint_gt(p.fail_cdf_n[0], pts[i].k + 1);
        double got = p.fail_cdf[0][pts[i].k];
        ck_assert_msg(fabs(got - pts[i].F) <= 4e-16,
                      "G %s, MTBF %s: F(%u) %.17g, want %.17g", pts[i].gpus,
                      pts[i].mtbf, pts[i].k, got, pts[i].F);
        /* The table reaches past the largest uniform, and that uniform
           draws 5,455 failures at λ = 5,000. */
        ck_assert(p.fail_cdf[0][p.fail_cdf_n[0] - 1] == 1.0);
        /* Draws by the table (guide, two steps without a branch, then a
           loop for the tails) are the least k with F(k) >= u, found here
           by a plain search: at the streams' uniforms (w + 1/2) 2^-32
           next to every guide bucket's edge, across each bucket, and in
           both tails, where a bucket spans many steps. */
        if (i == 0 || strcmp(pts[i].gpus, pts[i - 1].gpus)) {
            const double *F = p.fail_cdf[0];
            size_t n = p.fail_cdf_n[0], draws = 0;
            for (uint64_t g = 0; g < 1024; g++)
                for (int d = -3; d < 4; d++) {
                    int64_t w = (int64_t)(g << 22) + d * 4099 +
                                (d == 0 ? 1 << 21 : 0);
                    if (w < 0 || w > 0xffffffffll)
                        continue;
                    draws += table_draw_is_the_least(
                        F, n, p.fail_guide[0], ((double)w + 0.5) * 0x1p-32,
                        pts[i].gpus);
                }
            for (uint64_t w = 0; w < 64; w++) /* the tails' extremes */
                for (int side = 0; side < 2; side++) {
                    draws += table_draw_is_the_least(
                        F, n, p.fail_guide[0],
                        ((double)(side ? 0xffffffffu - w : w) + 0.5) *
                            0x1p-32,
                        pts[i].gpus);
                }
            ck_assert_uint_gt(draws, 7000);
            /* The same draws side by side (gpb__poisson_lanes): with the
               plan's window (λ 15: one; λ 5,000: none, every lane by the
               guide) and with windows forced at the table's first
               entries, around its middle and at its last, so that lanes
               fall below, inside and above each, and at the first
               start that leaves no window (every lane by the guide).
               7,294 lanes: not a whole number of 16-lane groups. */
            size_t nw = 0;
            uint32_t *ws = malloc(8000 * sizeof *ws);
            double *ks = malloc(8000 * sizeof *ks);
            ck_assert(ws && ks);
            for (uint64_t g = 0; g < 1024; g++)
                for (int d = -3; d < 4; d++) {
                    int64_t w = (int64_t)(g << 22) + d * 4099 +
                                (d == 0 ? 1 << 21 : 0);
                    if (w >= 0 && w <= 0xffffffffll)
                        ws[nw++] = (uint32_t)w;
                }
            for (uint32_t w = 0; w < 64; w++) {
                ws[nw++] = w;
                ws[nw++] = 0xffffffffu - w;
            }
            ws[nw++] = 0x7fffffffu;
            ck_assert_uint_eq(nw % 16 != 0, 1);
            ck_assert_msg((p.fail_win[0] != SIZE_MAX) == (i == 0),
                          "G %s: window at %zu", pts[i].gpus, p.fail_win[0]);
            ck_assert_uint_gt(n, 2 * GPB__POIS_WIN);
            size_t wins[] = {p.fail_win[0], 0, n / 2 - GPB__POIS_WIN / 2,
                             n - 1 - GPB__POIS_WIN, n - GPB__POIS_WIN};
            for (size_t t = 0; t < sizeof wins / sizeof *wins; t++) {
                gpb__poisson_lanes(F, n, p.fail_guide[0], wins[t], ws, ks,
                                   nw);
                for (size_t j = 0; j < nw; j++) {
                    double u = ((double)ws[j] + 0.5) * 0x1p-32;
                    size_t want = 0;
                    while (want + 1 < n && F[want] < u)
                        want++;
                    expect(ks[j] == (double)want,
                           "G %s, window %zu: u %.17g drew %g, want %zu",
                           pts[i].gpus, wins[t], u, ks[j], want);
                }
            }
            free(ws);
            free(ks);
        }
        const double umax = 1 - 0x1p-33;
        if (pts[i].k == 5454)
            ck_assert(got < umax);
        if (pts[i].k == 5455)
            ck_assert(got >= umax);
        gpb__plan_free(&p);
        gpb_scenario_free(s);
    }
}
END_TEST

START_TEST(sketch_ranks_within_the_stated_error)
{
    /* Each rank's value is within GPB_SIM_SKETCH_REL_ERROR (2^-10)
       relative of the exact order statistic; a quantile, linear between
       two such ranks, is within 2^-10 of the larger magnitude of the two
       order statistics around it. */
    const size_t n = 20011;
    double *x = sketch_data(n, 7);
    gpb__sketch s;
    gpb__sketch_init(&s);
    gpb__sketch_add_n(&s, x, n / 2);
    for (size_t i = n / 2; i < n; i++)
        gpb__sketch_add(&s, x[i]);
    ck_assert_uint_eq(s.n, n);
    qsort(x, n, sizeof *x, cmp_double);
    ck_assert(s.min == x[0] && s.max == x[n - 1]);
    double worst = 0;
    /* Ranks near both ends and every 13th between (each look-up walks the
       buckets, so all 20,011 would cost seconds under the sanitizers). */
    for (size_t k = 0; k < n; k += (k < 100 || k > n - 100) ? 1 : 13) {
        double v = gpb__sketch_rank(&s, k);
        double rel = fabs(v - x[k]) / fabs(x[k]);
        expect(rel <= GPB_SIM_SKETCH_REL_ERROR,
               "rank %zu: %.17g vs %.17g", k, v, x[k]);
        if (rel > worst)
            worst = rel;
    }
    for (int i = 0; i <= 400; i++) {
        double p = i / 400.0, pos = p * (double)(n - 1);
        size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
        double exact = x[lo] + (x[hi] - x[lo]) * (pos - (double)lo);
        double got = gpb__sketch_quantile(&s, p);
        double tol = GPB_SIM_SKETCH_REL_ERROR * fmax(fabs(x[lo]), fabs(x[hi]));
        expect(fabs(got - exact) <= tol * (1 + 1e-12),
               "p %g: %.17g vs %.17g", p, got, exact);
    }
    ck_assert(isnan(gpb__sketch_rank(&s, n)));
    fprintf(stderr, "sketch: largest relative rank error %.3g (bound %.3g)\n",
            worst, GPB_SIM_SKETCH_REL_ERROR);
    gpb__sketch_free(&s);
    gpb__sketch empty;
    gpb__sketch_init(&empty);
    ck_assert(isnan(gpb__sketch_quantile(&empty, 0.5)));
    ck_assert_uint_eq(gpb__sketch_count_le(&empty, 1.0), 0);
    gpb__sketch_free(&empty);
    /* Zeros read back as 0, not as their bucket's midpoint (a subnormal,
       2.17e-311, once printed as a month's P50 of a flow that was zero on
       most paths): of {-1, 0, 0, 0, 5}, ranks 1 to 3 are exactly 0. */
    gpb__sketch z;
    gpb__sketch_init(&z);
    const double zv[5] = {-1, 0, 0, 0, 5};
    gpb__sketch_add_n(&z, zv, 5);
    for (uint64_t k = 1; k <= 3; k++)
        ck_assert(same_bits(gpb__sketch_rank(&z, k), 0.0));
    ck_assert(same_bits(gpb__sketch_quantile(&z, 0.5), 0.0));
    gpb__sketch_free(&z);
    free(x);
}
END_TEST

/* The sketches hold the same counts in every bucket, and the same n,
   min and max. */
static void sketch_equal(const gpb__sketch *a, const gpb__sketch *b)
{
    ck_assert_uint_eq(a->n, b->n);
    ck_assert(same_bits(a->min, b->min) && same_bits(a->max, b->max));
    ck_assert_int_eq(a->oom, b->oom);
    for (unsigned i = 0; i < GPB__SKETCH_PAGES; i++) {
        /* Page i of each, wherever its range of pages starts. */
        const uint32_t *p = i >= a->pg_lo && i - a->pg_lo < a->pg_n
                                ? a->page[i - a->pg_lo]
                                : NULL;
        const uint32_t *q = i >= b->pg_lo && i - b->pg_lo < b->pg_n
                                ? b->page[i - b->pg_lo]
                                : NULL;
        for (unsigned j = 0; j < GPB__SKETCH_PAGE; j++) {
            uint32_t x = p ? p[j] : 0, y = q ? q[j] : 0;
            expect(x == y, "page %u bucket %u: %u vs %u", i, j, x, y);
        }
    }
}

START_TEST(sketch_merge_is_the_sketch_of_the_union)
{
    const size_t n = 9000;
    double *x = sketch_data(n, 11);
    gpb__sketch all, a, b, ab, ba;
    gpb__sketch_init(&all);
    gpb__sketch_init(&a);
    gpb__sketch_init(&b);
    gpb__sketch_init(&ab);
    gpb__sketch_init(&ba);
    gpb__sketch_add_n(&all, x, n);
    /* Two uneven parts: the first 3,001 values and the rest. */
    gpb__sketch_add_n(&a, x, 3001);
    gpb__sketch_add_n(&b, x + 3001, n - 3001);
    ck_assert_int_eq(gpb__sketch_merge(&ab, &a), 0);
    ck_assert_int_eq(gpb__sketch_merge(&ab, &b), 0);
    ck_assert_int_eq(gpb__sketch_merge(&ba, &b), 0);
    ck_assert_int_eq(gpb__sketch_merge(&ba, &a), 0);
    sketch_equal(&ab, &all);
    sketch_equal(&ba, &all);
    /* Taken (the engine's workers' sketches): into an empty sketch, the
       pages move; into a non-empty one, they are added; either way the
       source is left empty. */
    gpb__sketch t, a2, b2;
    gpb__sketch_init(&t);
    gpb__sketch_init(&a2);
    gpb__sketch_init(&b2);
    gpb__sketch_add_n(&a2, x, 3001);
    gpb__sketch_add_n(&b2, x + 3001, n - 3001);
    ck_assert_int_eq(gpb__sketch_take(&t, &a2), 0);
    sketch_equal(&t, &a);
    ck_assert_int_eq(gpb__sketch_take(&t, &b2), 0);
    sketch_equal(&t, &all);
    ck_assert(a2.n == 0 && a2.pg_n == 0 && !a2.page);
    ck_assert(b2.n == 0 && b2.pg_n == 0 && !b2.page);
    gpb__sketch_free(&t);
    /* Merged into a non-empty sketch as well: a += b. */
    ck_assert_int_eq(gpb__sketch_merge(&a, &b), 0);
    sketch_equal(&a, &all);
    for (int i = 0; i <= 100; i++)
        expect(same_bits(gpb__sketch_quantile(&ab, i / 100.0),
                         gpb__sketch_quantile(&all, i / 100.0)),
               "quantile %d%% differs", i);
    gpb__sketch_free(&all);
    gpb__sketch_free(&a);
    gpb__sketch_free(&b);
    gpb__sketch_free(&ab);
    gpb__sketch_free(&ba);
    free(x);
}
END_TEST

START_TEST(sketch_narrow_batches_count_as_wide_ones)
{
    /* A batch whose buckets span fewer than 512 is counted through local
       tables (sketch.c: add_narrow); one with a far value in it takes the
       general path. Both must leave the same counts. The narrow data are
       8,192 values around 1.0 (on both sides of the binade boundary, so in
       two pages), most of them in a few buckets, as a plan's first months
       are. */
    const size_t n = 8192;
    uint32_t *key = malloc((n + 1) * sizeof *key);
    ck_assert_ptr_nonnull(key);
    double top = -INFINITY;
    uint64_t klo = UINT64_MAX, khi = 0;
    for (size_t i = 0; i < n; i++) {
        double v = 1.0 + ((double)(i % 7) - 3.0) * 0.0004 +
                   ((i % 101) == 0 ? 0.1 : 0.0);
        top = v > top ? v : top;
        uint64_t k = gpb__sketch_key(v);
        key[i] = gpb__sketch_key32(v);
        ck_assert_uint_eq(key[i], k >> 32);
        klo = k < klo ? k : klo;
        khi = k > khi ? k : khi;
    }
    /* far away: a batch with it is wide */
    uint64_t kfar = gpb__sketch_key(-3.5e9);
    key[n] = gpb__sketch_key32(-3.5e9);
    gpb__sketch narrow, wide;
    gpb__sketch_init(&narrow);
    gpb__sketch_init(&wide);
    gpb__sketch_add_keys32(&narrow, key, n, klo, khi);
    gpb__sketch_add_keys32(&narrow, key + n, 1, kfar, kfar);
    gpb__sketch_add_keys32(&wide, key, n + 1, kfar, khi);
    sketch_equal(&narrow, &wide);
    ck_assert_uint_eq(narrow.n, n + 1);
    ck_assert(narrow.min == -3.5e9 && narrow.max == top);
    /* 1.0 itself: 1,170 or 1,171 of each i % 7 residue; values 1.0 to
       1.0012 share the first bucket of [1, 2) (width 2^-9), so count_le
       at 1.0 counts residues 0 .. 6 except those pushed to 1.1 — checked
       through the ranks instead: the median is within 2^-10 of 1.0. */
    double med = gpb__sketch_quantile(&narrow, 0.5);
    ck_assert(fabs(med - 1.0) <= GPB_SIM_SKETCH_REL_ERROR * 1.0012);
    gpb__sketch_free(&narrow);
    gpb__sketch_free(&wide);
    free(key);
}
END_TEST

/*
 * Closing cash held as 16-bit codes (engine.c's fan) counts as its keys
 * do: bucket for bucket, with n, min and max, when each segment's codes
 * are made by the engine's gpb__fan_codes (relative to the segment's own
 * largest exponent, its escapes counted by key at once) and counted by
 * gpb__sketch_add_codes16. The data: values over 121
 * binades (many escapes), a segment of values alike, both zeros,
 * subnormals and a value 10^-300 among them, a segment of zeros and
 * subnormals only (top 0) and a last segment of one value. Each code also
 * counts alone as its value's key.
 */
START_TEST(sketch_codes16_count_as_keys)
{
    const size_t seg = 64, nseg = 41, n = 64 * 40 + 1;
    double *x = sketch_data(n, 23);
    uint16_t *code = malloc(n * sizeof *code), top[41];
    uint32_t *key32 = malloc(n * sizeof *key32);
    uint32_t *scratch = malloc(n * sizeof *scratch);
    ck_assert(x && code && key32 && scratch);
    for (size_t i = 0; i < seg; i++)
        x[5 * seg + i] = 1e6 + (double)(i % 9);
    const double odd[] = {0.0, -0.0, 4.9e-324, -2.2e-310, 1e-300, -1e-300};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
        x[7 * seg + 3 + i] = odd[i];
    for (size_t i = 0; i < seg; i++)
        x[9 * seg + i] = odd[i % 4];
    gpb__sketch want, got;
    gpb__sketch_init(&want);
    gpb__sketch_init(&got);
    uint64_t klo = UINT64_MAX, khi = 0, ext[2] = {UINT64_MAX, 0};
    size_t n_esc = 0;
    for (size_t j = 0; j < nseg; j++) {
        size_t a = j * seg, b = a + seg < n ? a + seg : n;
        uint32_t et = 0;
        for (size_t i = a; i < b; i++) {
            uint32_t e = gpb__sketch_key_exponent(gpb__sketch_key(x[i]));
            et = e > et ? e : et;
        }
        gpb__fan_codes(x + a, b - a, code + a, &top[j], ext, &got);
        ck_assert_uint_eq(top[j] & 2047u, et);
        if (j == 9)
            ck_assert_uint_eq(et, 0);
        int esc = 0;
        for (size_t i = a; i < b; i++) {
            uint64_t k = gpb__sketch_key(x[i]);
            klo = k < klo ? k : klo;
            khi = k > khi ? k : khi;
            key32[i] = gpb__sketch_key32(x[i]);
            ck_assert_uint_eq(code[i], gpb__sketch_code16(k, et));
            if (gpb__sketch_code_escaped(code[i])) {
                esc = 1;
                n_esc++;
            }
        }
        ck_assert_int_eq(!!(top[j] & GPB__SKETCH_TOP_ESC), esc);
    }
    ck_assert(ext[0] == klo && ext[1] == khi);
    ck_assert_uint_eq(got.n, n_esc); /* the escapes, counted at once */
    ck_assert_uint_gt(n_esc, 100);     /* the escapes are exercised */
    ck_assert_uint_gt(n - n_esc, 100); /* and so are the codes */
    ck_assert(!(top[5] & GPB__SKETCH_TOP_ESC));
    gpb__sketch_add_keys32(&want, key32, n, klo, khi);
    gpb__sketch_add_codes16(&got, code, top, n, seg, klo, khi, scratch);
    sketch_equal(&got, &want);
    for (int i = 0; i <= 20; i++)
        expect(same_bits(gpb__sketch_quantile(&got, i / 20.0),
                         gpb__sketch_quantile(&want, i / 20.0)),
               "quantile %d%% differs", 5 * i);
    for (size_t i = 0; i < n; i++) {
        if (gpb__sketch_code_escaped(code[i]))
            continue;
        gpb__sketch one, ref;
        gpb__sketch_init(&one);
        gpb__sketch_init(&ref);
        uint64_t k = gpb__sketch_key(x[i]);
        gpb__sketch_add_codes16(&one, &code[i], &top[i / seg], 1, 1, k, k,
                                scratch);
        gpb__sketch_add_keys32(&ref, &key32[i], 1, k, k);
        sketch_equal(&one, &ref);
        gpb__sketch_free(&one);
        gpb__sketch_free(&ref);
    }
    gpb__sketch_free(&want);
    gpb__sketch_free(&got);
    free(x);
    free(code);
    free(key32);
    free(scratch);
}
END_TEST

/*
 * Sketches whose pages come from a pool (an engine worker's) count as
 * those whose pages are each a calloc: six sketches with a value in every
 * binade of both signs fill more pages than one reservation of the pool
 * holds, so it reserves more. Taken into an empty sketch, a pooled
 * sketch's pages move; merged, a plain one's are added into the pool's.
 * The pages go back with the pool (LeakSanitizer sees the rest).
 */
START_TEST(sketch_pool_pages_count_as_their_own)
{
    enum { NS = 6 };
    gpb__sketch_pool *pl = gpb__sketch_pool_new();
    ck_assert_ptr_nonnull(pl);
    gpb__sketch pooled[NS], plain[NS];
    double v[2 * 2046];
    size_t nv = 0;
    for (int e = -1021; e <= 1024; e++) { /* every normal binade */
        v[nv++] = ldexp(1.25, e - 1);
        v[nv++] = -ldexp(1.75, e - 1);
    }
    for (int k = 0; k < NS; k++) {
        gpb__sketch_init_pooled(&pooled[k], pl);
        gpb__sketch_init(&plain[k]);
        for (size_t i = 0; i < nv; i++) { /* one value at a time */
            double x = v[i] * (1.0 + k / 64.0);
            gpb__sketch_add(&pooled[k], x);
            gpb__sketch_add(&plain[k], x);
        }
        ck_assert(!pooled[k].oom);
        sketch_equal(&pooled[k], &plain[k]);
    }
    gpb__sketch t, u;
    gpb__sketch_init(&t);
    gpb__sketch_init(&u);
    ck_assert_int_eq(gpb__sketch_take(&t, &pooled[0]), 0); /* moved */
    ck_assert_ptr_eq(t.pool, pl);
    ck_assert_int_eq(gpb__sketch_take(&t, &plain[1]), 0);  /* added */
    ck_assert_int_eq(gpb__sketch_merge(&u, &plain[0]), 0);
    ck_assert_int_eq(gpb__sketch_merge(&u, &pooled[1]), 0);
    sketch_equal(&t, &u);
    ck_assert(pooled[0].n == 0 && !pooled[0].page && !pooled[0].pool);
    gpb__sketch_free(&t);
    gpb__sketch_free(&u);
    for (int k = 0; k < NS; k++) {
        gpb__sketch_free(&pooled[k]);
        gpb__sketch_free(&plain[k]);
    }
    gpb__sketch_pool_free(pl);
}
END_TEST

/* The bucket of x (sketch.h: sign, exponent and the top nine bits of the
   mantissa), worked from frexp rather than from the bits. */
static int same_bucket(double x, double y)
{
    if (signbit(x) != signbit(y))
        return 0;
    int ex, ey;
    double mx = frexp(fabs(x), &ex), my = frexp(fabs(y), &ey);
    return ex == ey && floor(ldexp(mx, 10)) == floor(ldexp(my, 10));
}

START_TEST(sketch_count_le_counts_whole_buckets)
{
    /* count_le(x) is the number of values ≤ x plus those above x in x's
       own bucket (sketch.h); 0 below the least value and n from the
       greatest. Checked at 1,000 of the data values and at 1,000 points
       between. */
    const size_t n = 5000;
    double *x = sketch_data(n, 13);
    gpb__sketch s;
    gpb__sketch_init(&s);
    gpb__sketch_add_n(&s, x, n);
    double *probe = malloc((n + 2000) * sizeof *probe);
    size_t np = 0;
    for (size_t i = 0; i < n; i += 5)
        probe[np++] = x[i];
    for (uint32_t i = 0; i < 1000; i++) {
        double u = test_u01(17, i), v = test_u01(18, i);
        double m = ldexp(1.0 + u, (int)floor(v * 121) - 60);
        probe[np++] = i % 2 ? m : -m;
    }
    for (size_t k = 0; k < np; k++) {
        double p = probe[k];
        uint64_t want = 0;
        for (size_t i = 0; i < n; i++)
            want += x[i] <= p || same_bucket(x[i], p);
        expect(gpb__sketch_count_le(&s, p) == want,
               "x = %.17g: %llu, want %llu", p,
               (unsigned long long)gpb__sketch_count_le(&s, p),
               (unsigned long long)want);
    }
    qsort(x, n, sizeof *x, cmp_double);
    ck_assert_uint_eq(gpb__sketch_count_le(&s, nextafter(x[0], -INFINITY)),
                      0);
    ck_assert_uint_eq(gpb__sketch_count_le(&s, x[n - 1]), n);
    ck_assert_uint_eq(gpb__sketch_count_le(&s, INFINITY), n);
    gpb__sketch_free(&s);
    free(probe);
    free(x);
}
END_TEST

/* ======================================================================== */
/* 3. Every scenario: the categories add up                                  */
/* ======================================================================== */

/* The scenario files the project ships: every *.yaml under scenarios/,
   and the benchmark's. Returns how many; names are new. */
static size_t shipped_scenarios(char ***out)
{
    const char *root = getenv("GPB_SOURCE_ROOT");
    expect(root != NULL, "GPB_SOURCE_ROOT is not set (run with meson "
                         "test)");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/scenarios", root);
    char **names = calloc(256, sizeof *names);
    size_t n = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 255) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) {
            names[n] = malloc(strlen(dir) + len + 2);
            sprintf(names[n++], "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    names[n] = malloc(strlen(root) + 32);
    sprintf(names[n++], "%s/bench/bench-60m.yaml", root);
    *out = names;
    return n;
}

static gpb_scenario *load_file(const char *path)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    gpb_status st = gpb_scenario_load_file(path, &s, &d);
    if (st && d && gpb_diagnostics_count(d)) {
        char buf[1024];
        gpb_error_format(gpb_diagnostics_at(d, 0), buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    gpb_diagnostics_free(d);
    expect(st == GPB_OK, "%s failed to load: %s", path,
           gpb_status_str(st));
    return s;
}

START_TEST(categories_sum_to_the_totals_in_every_scenario)
{
    /*
     * Per path, spend.total is the sum of the spend categories' metrics
     * taken in registry order from 0 (sim.h: "exactly, per path"), to the
     * bit; income.total likewise. And the report's table (rows of
     * gpb_report_summary_rows): the means of the spend rows under the
     * total add up to the total's mean within 1e-9 relative (each mean is
     * combined block by block, so sums of means and means of sums differ
     * by rounding only, ~1e-15), and those rows are exactly the spend
     * categories that are not 0 on some path.
     */
    char **files = NULL;
    size_t nf = shipped_scenarios(&files);
    ck_assert_uint_ge(nf, 14);
    for (size_t f = 0; f < nf; f++) {
        gpb_scenario *s = load_file(files[f]);
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = 2 * GPB_SIM_BLOCK_PATHS + 77;
        o.seed = 5;
        o.threads = 2;
        gpb_result *r = run_opts(s, &o);
        size_t n = gpb_result_kept_paths(r);
        ck_assert_uint_eq(n, o.paths);
        const double *cat[GPB_CAT_COUNT];
        for (int c = 0; c < GPB_CAT_COUNT; c++)
            cat[c] = samples(r, gpb_category_metric((gpb_category)c));
        const double *sp = samples(r, "spend.total");
        const double *in = samples(r, "income.total");
        for (size_t i = 0; i < n; i++) {
            double a = 0, b = 0;
            for (int c = 0; c < GPB_CAT_COUNT; c++) {
                if (gpb_category_flow((gpb_category)c) == GPB_FLOW_SPEND)
                    a += cat[c][i];
                else
                    b += cat[c][i];
            }
            expect(same_bits(a, sp[i]),
                   "%s path %zu: spend categories sum to %.17g, "
                   "spend.total %.17g",
                   files[f], i, a, sp[i]);
            expect(same_bits(b, in[i]),
                   "%s path %zu: income categories sum to %.17g, "
                   "income.total %.17g",
                   files[f], i, b, in[i]);
        }
        gpb_report_row rows[128];
        size_t nr = gpb_report_summary_rows(r, rows, 128);
        ck_assert_uint_le(nr, 128);
        static const char *const totals[2] = {"spend.total",
                                              "income.total"};
        for (int fl = 0; fl < 2; fl++) {
            size_t at = nr;
            for (size_t k = 0; k < nr; k++)
                if (!strcmp(gpb_result_metric_name(r, rows[k].metric),
                            totals[fl]))
                    at = k;
            /* Which categories of this flow are non-zero somewhere. */
            int want[GPB_CAT_COUNT] = {0}, nwant = 0;
            for (int c = 0; c < GPB_CAT_COUNT; c++) {
                size_t mi;
                ck_assert(gpb_result_metric_find(
                              r, gpb_category_metric((gpb_category)c), &mi,
                              NULL) == GPB_OK);
                if ((int)gpb_category_flow((gpb_category)c) == fl &&
                    gpb_result_metric_nonzero(r, mi)) {
                    want[c] = 1;
                    nwant++;
                }
            }
            if (at == nr) {
                /* No income at all: the report leaves income out. */
                expect(fl == 1 && nwant == 0, "%s: no %s row",
                       files[f], totals[fl]);
                continue;
            }
            double sum = 0;
            int seen = 0;
            for (size_t k = at + 1; k < nr && rows[k].depth == 1; k++) {
                int c = gpb_result_metric_category(r, rows[k].metric);
                expect(c >= 0 && want[c], "%s: row %s", files[f],
                       gpb_result_metric_name(r, rows[k].metric));
                want[c] = 0;
                seen++;
                sum += mean_of(r, gpb_result_metric_name(r, rows[k].metric),
                               NULL);
            }
            expect(seen == nwant, "%s: %d %s rows, %d categories",
                   files[f], seen, totals[fl], nwant);
            double total = mean_of(r, totals[fl], NULL);
            expect(fabs(sum - total) <= 1e-9 * fabs(total),
                   "%s: the %s rows' means sum to %.17g, the total's "
                   "mean is %.17g",
                   files[f], totals[fl], sum, total);
        }
        gpb_result_free(r);
        gpb_scenario_free(s);
        free(files[f]);
    }
    free(files);
}
END_TEST

/* ======================================================================== */
/* 4, 5. A busy scenario: trace, independence, threads, split                */
/* ======================================================================== */

/* Every kind of process, with uncertain inputs in most of them, an
   uncertain exchange rate, and cash that runs out on some paths only.
   other_costs come last so that a test can append to them. */
#define RICH_HEAD                                                           \
    "gpubudget: 1\nname: rich\ncurrency: USD\nhorizon_months: 30\n"         \
    "exchange_rates: {CNY_per_USD: {uniform: [6.8, 7.4]}}\n"                \
    "company:\n"                                                            \
    "  cash: {uniform: [\"$5M\", \"$30M\"]}\n"                             \
    "  discount_rate_per_year: 0.1\n"                                       \
    "  funding:\n"                                                          \
    "    - {name: A, month: {uniform: [8, 14]}, amount: \"$10M to $30M\",\n" \
    "       probability: 0.5}\n"                                            \
    "team:\n"                                                               \
    "  - {role: eng, count: 10, add_per_month: 0.5,\n"                      \
    "     salary_per_year: \"$150k to $300k\", on_cost: 0.3}\n"             \
    "gpu_price_index: {drift_per_month: -0.01, volatility_per_month: 0.05}\n" \
    "fleets:\n"                                                             \
    "  - {name: own, gpu: H100, gpus: 64,\n"                                \
    "     price_per_gpu: {uniform: [\"$20k\", \"$30k\"]}, buy_month: 2,\n"  \
    "     lead_time_months: {uniform: [1, 4]},\n"                           \
    "     financing: {loan: {fraction: 0.6, rate_per_year: 0.1,\n"         \
    "                        months: 12}},\n"                              \
    "     rent_out: {price_per_gpu_hour: \"$1.5/h\", utilization: 0.5}}\n"  \
    "capacity:\n"                                                           \
    "  - {name: infer, gpu: H100, gpus: 96,\n"                              \
    "     utilization: {uniform: [0.5, 0.9]}, months: 24, acquire: mix,\n"  \
    "     fleet: own, price_per_gpu_hour: \"$2/h\"}\n"                      \
    "training:\n"                                                           \
    "  - name: pre\n    params: 70B\n"                                      \
    "    tokens: {lognormal90: [\"1T\", \"4T\"]}\n"                       \
    "    gpu: H100\n    gpus: 128\n    start_month: 1\n"                    \
    "    mfu: {pert: [0.3, 0.4, 0.5]}\n"                                    \
    "    price_per_gpu_hour: \"$1.8/h to $3/h\"\n"                          \
    "    failures: {gpu_mtbf_hours: 50000, hours_lost_per_failure: 1}\n"    \
    "    divergence: {probability_per_month: 0.1,\n"                        \
    "                 work_lost: {uniform: [0.1, 0.5]}}\n"                  \
    "  - name: ft\n    params: 7B\n    tokens: 50B\n    gpu: H100\n"        \
    "    gpus: 64\n    start_month: 6\n    acquire: reserve\n"              \
    "    reserve: {commitment_months: 6, discount: 0.3}\n"                  \
    "serving:\n  start_month: 4\n  users: 5000\n"                           \
    "  growth_per_month: {normal: [0.1, 0.05]}\n"                           \
    "  growth_volatility: 0.1\n  cost_per_user_per_month: \"$0.5\"\n"       \
    "revenue: {arpu_per_month: {uniform: [\"$2\", \"$6\"]},\n"              \
    "          paying_fraction: 0.1}\n"                                     \
    "data:\n"                                                               \
    "  - {name: web, tokens: {uniform: [\"5T\", \"20T\"]},\n"               \
    "     dedup: {cpu_hours_per_billion: 30},\n"                            \
    "     classification: {gpu_hours_per_billion: 0.4},\n"                  \
    "     cpu_price_per_hour: \"$0.04\", gpu_price_per_hour: \"$2\",\n"      \
    "     cpus: 500, gpus: 8, licensing: \"$200k\", runs: [pre],\n"         \
    "     labels: {count: 20k, price_per_label: \"$1 to $3\",\n"            \
    "              per_annotator_per_day: 100, annotators: 5}}\n"                  \
    "other_costs:\n"                                                        \
    "  - {name: office, per_month: \"¥200000\"}\n"                          \
    "  - {name: cloud, per_month: {uniform: [\"$20k\", \"$40k\"]},\n"       \
    "     end_month: 20}\n"

static const char *rich = RICH_HEAD;

static gpb_sim_options rich_opts(size_t paths)
{
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = paths;
    o.seed = 77;
    o.threads = 2;
    return o;
}

START_TEST(rich_scenario_is_not_trivial)
{
    /* The fixture exercises what the tests below rely on: every category
       books something, some paths run out of cash and some do not. */
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(GPB_SIM_BLOCK_PATHS);
    gpb_result *r = run_opts(s, &o);
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        size_t i;
        ck_assert(gpb_result_metric_find(
                      r, gpb_category_metric((gpb_category)c), &i, NULL) ==
                  GPB_OK);
        expect(gpb_result_metric_nonzero(r, i), "%s is 0",
               gpb_category_metric((gpb_category)c));
    }
    double out = gpb_result_prob_out_of_cash_by(r, 29);
    expect(out > 0.05 && out < 0.95, "P(out of cash) %g", out);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(trace_replays_rows_of_the_result)
{
    /*
     * Paths 0, K and N − 1 replayed alone (gpb_sim_trace) give that row of
     * the run's samples: every metric bit for bit, and every uncertain
     * input in its own units and currency as gpb_result_input_samples_own
     * gives it (the office's yuan, converted at the path's rate and back).
     * The trace's month flows summed in month order give each category's
     * metric within 1e-9 relative (the engine adds them the same way, so
     * they agree to rounding), and its closing cash in the last month is
     * cash.end.
     */
    gpb_scenario *s = test_load_yaml(rich);
    const size_t N = 3 * GPB_SIM_BLOCK_PATHS - 11;
    gpb_sim_options o = rich_opts(N);
    gpb_result *r = run_opts(s, &o);
    const size_t paths[3] = {0, 777, N - 1};
    size_t nm = gpb_result_metric_count(r), ni = gpb_result_input_count(r);
    ck_assert_uint_ge(ni, 10);
    double *own = malloc(N * sizeof *own);
    for (int k = 0; k < 3; k++) {
        size_t p = paths[k];
        gpb_trace *t = NULL;
        gpb_error e;
        expect(gpb_sim_trace(s, &o, p, &t, &e) == GPB_OK, "%s",
               e.message);
        ck_assert_uint_eq(gpb_trace_path(t), p);
        ck_assert_int_eq(gpb_trace_months(t), 30);
        ck_assert_uint_eq(gpb_trace_metric_count(t), nm);
        for (size_t i = 0; i < nm; i++) {
            const char *name = gpb_result_metric_name(r, i);
            ck_assert_str_eq(gpb_trace_metric_name(t, i), name);
            double a = gpb_trace_metric_value(t, i), b = samples(r, name)[p];
            expect(same_bits(a, b),
                   "path %zu %s: trace %.17g, result %.17g", p, name,
                   a, b);
        }
        ck_assert_uint_eq(gpb_trace_input_count(t), ni);
        for (size_t i = 0; i < ni; i++) {
            ck_assert_str_eq(gpb_trace_input_path(t, i),
                             gpb_result_input_path(r, i));
            expect(gpb_result_input_samples_own(s, r, i, own, &e) ==
                       GPB_OK,
                   "%s", e.message);
            expect(same_bits(gpb_trace_input_value(t, i), own[p]),
                   "path %zu input %s: trace %.17g, result %.17g", p,
                   gpb_trace_input_path(t, i),
                   gpb_trace_input_value(t, i), own[p]);
        }
        for (int c = 0; c < GPB_CAT_COUNT; c++) {
            double sum = 0;
            for (int m = 0; m < 30; m++) {
                double f = gpb_trace_flow(t, m, (gpb_category)c);
                expect(f >= 0, "month %d: a negative flow", m);
                sum += f;
            }
            double want =
                samples(r, gpb_category_metric((gpb_category)c))[p];
            expect(fabs(sum - want) <= 1e-9 * fabs(want),
                   "path %zu %s: months sum to %.17g, metric %.17g",
                   p, gpb_category_metric((gpb_category)c), sum,
                   want);
        }
        ck_assert(same_bits(gpb_trace_cash(t, 29),
                            samples(r, "cash.end")[p]));
        ck_assert(isnan(gpb_trace_cash(t, 30)));
        ck_assert(isnan(gpb_trace_flow(t, -1, GPB_CAT_TEAM)));
        gpb_trace_free(t);
    }
    free(own);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(ledger_and_fan_agree_with_the_paths)
{
    /*
     * The streamed summaries against the paths they summarise. Without
     * options.ledger there is no ledger (NaN); with it, the
     * ledger's month means of a category (sums of fixed-point block
     * totals, 2^-20 of a dollar) add up over the months to the mean of the
     * category's metric within 1e-9 relative. The fan of the last month's
     * closing cash is a quantile of cash.end taken from the month's
     * sketch: within 2^-10 of the larger magnitude of the two order
     * statistics it lies between, and exact at p = 0 and 1 (the sketch
     * keeps the extremes).
     */
    gpb_scenario *s = test_load_yaml(rich);
    const size_t n = 2 * GPB_SIM_BLOCK_PATHS + 87;
    gpb_sim_options o = rich_opts(n);
    gpb_result *r = run_opts(s, &o);
    ck_assert(isnan(gpb_result_ledger_mean(r, 0, GPB_CAT_TEAM)));
    gpb_result_free(r);
    o.ledger = 1; /* the month-by-month ledger is kept when asked */
    r = run_opts(s, &o);
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        double sum = 0;
        for (int m = 0; m < 30; m++)
            sum += gpb_result_ledger_mean(r, m, (gpb_category)c);
        double mu = mean_of(r, gpb_category_metric((gpb_category)c), NULL);
        expect(fabs(sum - mu) <= 1e-9 * fabs(mu),
               "%s: ledger %.17g, mean %.17g",
               gpb_category_metric((gpb_category)c), sum, mu);
        /* Listed exactly when some path books it (flows are ≥ 0). */
        size_t mi;
        ck_assert(gpb_result_metric_find(
                      r, gpb_category_metric((gpb_category)c), &mi,
                      NULL) == GPB_OK);
        expect(gpb_result_ledger_lists(r, (gpb_category)c) ==
                   gpb_result_metric_nonzero(r, mi),
               "%s listed %d", gpb_category_metric((gpb_category)c),
               gpb_result_ledger_lists(r, (gpb_category)c));
    }
    ck_assert(isnan(gpb_result_ledger_mean(r, 30, GPB_CAT_TEAM)));
    double *x = malloc(n * sizeof *x);
    memcpy(x, samples(r, "cash.end"), n * sizeof *x);
    qsort(x, n, sizeof *x, cmp_double);
    for (int k = 0; k <= 100; k++) {
        double p = k / 100.0, pos = p * (double)(n - 1), f;
        size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
        double exact = x[lo] + (x[hi] - x[lo]) * (pos - (double)lo);
        ck_assert(gpb_result_fan(r, 29, p, &f, NULL) == GPB_OK);
        double tol = GPB_SIM_SKETCH_REL_ERROR *
                     fmax(fabs(x[lo]), fabs(x[hi]));
        expect(fabs(f - exact) <= tol * (1 + 1e-12),
               "fan at p %g: %.17g, exact %.17g", p, f, exact);
    }
    double f0, f1;
    ck_assert(gpb_result_fan(r, 29, 0, &f0, NULL) == GPB_OK);
    ck_assert(gpb_result_fan(r, 29, 1, &f1, NULL) == GPB_OK);
    ck_assert(f0 == x[0] && f1 == x[n - 1]);
    free(x);
    gpb_result_free(r);
    gpb_scenario_free(s);
    /* A fleet paid in cash: its process could book loan payments, none
       does, so the ledger does not list financing (it once did, a column
       of zeros); the purchase is listed. */
    s = test_load_yaml("gpubudget: 1\nname: cash-fleet\nhorizon_months: 6\n"
                       "company: {cash: \"$100M\"}\n"
                       "fleets:\n  - {name: own, gpu: H100, gpus: 100,\n"
                       "     price_per_gpu: \"$25k\"}\n");
    o = rich_opts(100);
    o.ledger = 1;
    r = run_opts(s, &o);
    ck_assert(gpb_result_ledger_lists(r, GPB_CAT_HARDWARE));
    ck_assert(!gpb_result_ledger_lists(r, GPB_CAT_FINANCING));
    ck_assert(!gpb_result_ledger_lists(r, GPB_CAT_TEAM));
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* A fleet sold in the month it is bought, or before it, is bought and
   sold at once (a user review found the sale booked without the purchase:
   $200k from nothing). By hand: 8 cards at $25k, no overhead, so the
   purchase is $200k and the sale at age 0 fetches the cards' price, $200k;
   with half of a 1.2 × capex borrowed, $120k is paid up front and $120k
   repaid at the sale: cash ends where it began less the $40k overhead. */
START_TEST(a_fleet_sold_as_it_is_bought_pays_for_it)
{
    static const char *const when[] = {"sell_month: 0",
                                       "buy_month: 3, sell_month: 3",
                                       "buy_month: 3, sell_month: 2"};
    for (int loan = 0; loan < 2; loan++)
        for (size_t k = 0; k < sizeof when / sizeof *when; k++) {
            char y[512];
            snprintf(y, sizeof y,
                     "gpubudget: 1\nname: flip\nhorizon_months: 12\n"
                     "company: {cash: \"$1M\"}\n"
                     "fleets:\n  - {name: own, gpu: H100, gpus: 8,\n"
                     "     price_per_gpu: \"$25000\", overhead: %s, %s%s}\n",
                     loan ? "0.2" : "0", when[k],
                     loan ? ", financing: {loan: {fraction: 0.5}}" : "");
            gpb_scenario *s = test_load_yaml(y);
            gpb_sim_options o = rich_opts(4);
            gpb_result *r = run_opts(s, &o);
            double capex = loan ? 240e3 : 200e3;
            ck_assert_double_eq_tol(mean_of(r, "spend.hardware", NULL),
                                    (loan ? 120e3 : 200e3), 1e-6);
            ck_assert_double_eq_tol(mean_of(r, "spend.financing", NULL),
                                    (loan ? 120e3 : 0), 1e-6);
            ck_assert_double_eq_tol(mean_of(r, "income.resale", NULL), 200e3,
                                    1e-6);
            ck_assert_double_eq_tol(mean_of(r, "cash.end", NULL),
                                    1e6 - capex + 200e3, 1e-6);
            gpb_result_free(r);
            gpb_scenario_free(s);
        }
}
END_TEST

/* A divergence in the month a run finishes loses only progress the run
   made (a user review found the month's whole gain lost: a run that needs
   a twentieth of a month cost 12 times its work). By hand: 6 · 10^10 ·
   10^11 = 6·10^21 FLOPs at 10^15 · 0.5 · 3600 = 1.8·10^18 per GPU-hour
   is 3,333.3 GPU-hours; a sure divergence found when the run reaches
   its target loses half of it (5,000 GPU-hours in all) or, restarting,
   all of it (6,666.7); billed pro rata. */
START_TEST(a_divergence_loses_only_work_done)
{
    static const char *const div[] = {
        "", "    divergence: {probability_per_run: 1, work_lost: 0.5}\n",
        "    divergence: {probability_per_run: 1, work_lost: 0.5, "
        "restart_probability: 1}\n"};
    const double want[] = {1e4 / 3, 5e3, 2e4 / 3};
    for (int k = 0; k < 3; k++) {
        char y[768];
        snprintf(y, sizeof y,
                 "gpubudget: 1\nname: div\nhorizon_months: 12\n"
                 "training:\n  - name: p\n    params: 10B\n"
                 "    tokens: 100B\n    gpu: H100\n    gpus: 100\n"
                 "    mfu: 0.5\n    peak_tflops: 1000\n"
                 "    price_per_gpu_hour: 2\n%s",
                 div[k]);
        gpb_scenario *s = test_load_yaml(y);
        gpb_sim_options o = rich_opts(8);
        gpb_result *r = run_opts(s, &o);
        ck_assert_double_eq_tol(mean_of(r, "training.p.gpu_hours", NULL),
                                want[k], 1e-6 * want[k]);
        ck_assert_double_eq_tol(mean_of(r, "training.p.cost", NULL),
                                2 * want[k], 2e-6 * want[k]);
        ck_assert_double_eq_tol(mean_of(r, "training.p.divergences", NULL),
                                (k ? 1 : 0), 1e-12);
        gpb_result_free(r);
        gpb_scenario_free(s);
    }
}
END_TEST

/* A run of exactly k months finishes in month k − 1, whatever the
   rounding of its monthly progress (a user review found a 3-month run
   held, and its 1-month reservation paid, a fourth month). By hand: 8
   GPUs at 10^15 · 0.5 do 8 · 5·10^14 · 730.5 · 3600 = 1.05192·10^22
   FLOPs a month; 6 · 10^9 · k · 1.7532·10^12 is k such months; reserved
   at $2 less 40%, a month costs 8 · 730.5 · 1.2. */
START_TEST(a_run_of_whole_months_ends_on_time)
{
    for (int k = 1; k <= 12; k++) {
        char y[768];
        snprintf(y, sizeof y,
                 "gpubudget: 1\nname: exact\nhorizon_months: 24\n"
                 "training:\n  - name: pre\n    params: 1B\n"
                 "    tokens: %.17g\n    gpu: H100\n    gpus: 8\n"
                 "    mfu: 0.5\n    peak_tflops: 1000\n"
                 "    acquire: reserve\n"
                 "    reserve: {commitment_months: 1, discount: 0.4}\n"
                 "    price_per_gpu_hour: 2\n",
                 k * 1.7532e12);
        gpb_scenario *s = test_load_yaml(y);
        gpb_sim_options o = rich_opts(4);
        gpb_result *r = run_opts(s, &o);
        ck_assert_msg(mean_of(r, "training.pre.finish_month", NULL) == k - 1,
                      "k = %d", k);
        ck_assert_double_eq_tol(mean_of(r, "spend.compute_rent", NULL),
                                k * 8 * 730.5 * 1.2, 1e-6 * k);
        gpb_result_free(r);
        gpb_scenario_free(s);
    }
}
END_TEST

/* One run renting, on reserved or on-demand terms, with failures and
   divergences, over a horizon it finishes within on some paths only. */
#define ALONE_HEAD                                                          \
    "gpubudget: 1\nname: alone\nhorizon_months: 7\ncurrency: USD\n"         \
    "company: {cash: \"$50M\"}\n"                                          \
    "gpu_price_index: {drift_per_month: -0.02, "                           \
    "volatility_per_month: 0.05}\n"                                        \
    "training:\n"                                                          \
    "  - name: pretrain\n    params: 180B\n    tokens: 3.6T\n"             \
    "    gpu: H100-SXM\n    peak_tflops: 989\n    gpus: 1024\n"            \
    "    start_month: 3\n    mfu: {pert: [0.30, 0.40, 0.50]}\n"            \
    "    acquire: %s\n%s"                                                  \
    "    price_per_gpu_hour: {lognormal90: [\"$1.8/h\", \"$3.0/h\"]}\n"    \
    "    follows_price_index: true\n"                                      \
    "    failures: {gpu_mtbf_hours: 50000, hours_lost_per_failure: 1.0}\n" \
    "    divergence:\n      probability_per_month: 0.05\n"                 \
    "      work_lost: {uniform: [0.1, 0.5]}\n"

START_TEST(a_run_alone_is_stored_once_with_its_totals)
{
    /*
     * With one run, the engine stores the run's GPU-hours and (renting,
     * with nothing else booking rent) its cost once, as the path's
     * GPU-hours and the rent category, and whether it finished as its
     * finish month inside the horizon (engine_plan.c, build_metrics).
     * Against the same run beside a second one, where each is its own
     * sum: every path's figures are the same bits (the second run draws
     * from its own streams and shares nothing with the first).
     */
    static const char *const acq[][2] = {
        {"rent", ""},
        {"reserve", "    reserve: {commitment_months: 2, discount: 0.3}\n"}};
    for (size_t a = 0; a < 2; a++) {
        char one[2048], two[2560];
        snprintf(one, sizeof one, ALONE_HEAD, acq[a][0], acq[a][1]);
        snprintf(two, sizeof two,
                 "%s  - name: probe\n    params: 1B\n    tokens: 20B\n"
                 "    gpu: H100-SXM\n    peak_tflops: 989\n    gpus: 8\n"
                 "    mfu: 0.4\n    price_per_gpu_hour: \"$2/h\"\n",
                 one);
        gpb_scenario *sa = test_load_yaml(one), *sb = test_load_yaml(two);
        gpb_sim_options o = rich_opts(2 * GPB_SIM_BLOCK_PATHS + 5);
        gpb_result *ra = run_opts(sa, &o), *rb = run_opts(sb, &o);
        size_t n = gpb_result_kept_paths(ra);
        static const char *const own[] = {
            "training.pretrain.cost", "training.pretrain.gpu_hours",
            "training.pretrain.card_months", "training.pretrain.finished",
            "training.pretrain.finish_month", "training.pretrain.failures"};
        for (size_t k = 0; k < sizeof own / sizeof *own; k++)
            expect(memcmp(samples(ra, own[k]), samples(rb, own[k]),
                          n * sizeof(double)) == 0,
                   "%s: %s differs beside a second run", acq[a][0], own[k]);
        /* The totals the one run's figures are: the same bits; and
           finished is 1 exactly when the finish month is before month 7. */
        const double *cost = samples(ra, "training.pretrain.cost"),
                     *rent = samples(ra, "spend.compute_rent"),
                     *gh = samples(ra, "training.pretrain.gpu_hours"),
                     *pgh = samples(ra, "gpu_hours"),
                     *fin = samples(ra, "training.pretrain.finished"),
                     *fm = samples(ra, "training.pretrain.finish_month");
        size_t done = 0;
        for (size_t i = 0; i < n; i++) {
            expect(same_bits(cost[i], rent[i]) && same_bits(gh[i], pgh[i]),
                   "%s: path %zu", acq[a][0], i);
            expect(fin[i] == (fm[i] < 7), "%s: path %zu finished %g at %g",
                   acq[a][0], i, fin[i], fm[i]);
            done += fin[i] == 1;
        }
        /* Some paths finish and some do not: 3.9e24 FLOPs at 1024 × 989
           TFLOP/s × MFU 0.3–0.5 take 3.0–5.0 months from month 3. */
        ck_assert_uint_gt(done, 0);
        ck_assert_uint_lt(done, n);
        /* Beside the probe, the rent is the two runs' costs (two sums of
           the same charges in another order: 1e-12 relative). */
        const double *rb_rent = samples(rb, "spend.compute_rent"),
                     *rb_probe = samples(rb, "training.probe.cost");
        for (size_t i = 0; i < n; i++)
            expect(fabs(rb_rent[i] - (cost[i] + rb_probe[i])) <=
                       1e-12 * rb_rent[i],
                   "%s: path %zu rent %.17g", acq[a][0], i, rb_rent[i]);
        gpb_result_free(ra);
        gpb_result_free(rb);
        gpb_scenario_free(sa);
        gpb_scenario_free(sb);
    }
}
END_TEST

/*
 * A run without its fan (GPB__SIM_NO_FAN, the swing's runs) is the same
 * run: every metric's samples, its P(out of cash by month) and its ledger
 * sums are the same bits as the full run's, on one thread and on two;
 * only the fan is missing, and asking for it is an error, not a zero. Nor
 * does such a result travel (gpb_result_pack refuses it).
 */
/*
 * gpb_sim_run_kept: a run that keeps the values of only its first paths
 * still has exact quantiles at the report's levels, their confidence
 * intervals (95% and 99.9%) and the raise's, bit for bit those of the run
 * that keeps every path, on 1, 2 and 3 threads; means, P(out of cash) by
 * month and the metrics counted value by value (runway, months) alike.
 * Other levels of a metric kept as doubles, and what needs every path
 * (a count at most x, merging, packing), are refused with the reason.
 * 20,580 paths keeping 4,096 (8 blocks): bands of the first 4,096
 * paths, 5 standard errors of their quantile wide. The fan of cash by
 * month at the report's levels alike, from its bands of buckets.
 */
static gpb_status summary_of(const gpb_result *r, const char *m,
                             double level, double *q, double *lo,
                             double *hi)
{
    return gpb_result_summary(r, m, GPB_REPORT_N_LEVELS, gpb_report_levels,
                              level, q, lo, hi, NULL);
}

START_TEST(kept_runs_give_the_report_quantiles_exactly)
{
    gpb_scenario *s = test_load_yaml(rich);
    const size_t N = 40 * GPB_SIM_BLOCK_PATHS + 100, K = 4096;
    for (int threads = 1; threads <= 3; threads++) {
        gpb_sim_options o = rich_opts(N);
        o.threads = threads;
        gpb_result *full = run_opts(s, &o), *kept = NULL;
        gpb_error e;
        expect(gpb_sim_run_kept(s, &o, K, &kept, &e) == GPB_OK, "%s",
               e.message);
        ck_assert_uint_eq(gpb_result_paths(kept), N);
        ck_assert_uint_eq(gpb_result_kept_paths(kept), K);
        size_t nm = gpb_result_metric_count(full);
        int doubles = 0, counted = 0;
        for (size_t m = 0; m < nm; m++) {
            const char *name = gpb_result_metric_name(full, m);
            double q[2][GPB_REPORT_N_LEVELS], lo[2][GPB_REPORT_N_LEVELS],
                hi[2][GPB_REPORT_N_LEVELS];
            const double levels[2] = {0.95, 0.999};
            for (int l = 0; l < 2; l++) {
                ck_assert(summary_of(full, name, levels[l], q[0], lo[0],
                                     hi[0]) == GPB_OK);
                ck_assert(summary_of(kept, name, levels[l], q[1], lo[1],
                                     hi[1]) == GPB_OK);
                for (int i = 0; i < GPB_REPORT_N_LEVELS; i++)
                    expect(same_bits(q[0][i], q[1][i]) &&
                               same_bits(lo[0][i], lo[1][i]) &&
                               same_bits(hi[0][i], hi[1][i]),
                           "%d threads, %s at %g (CI %g): %.17g [%.17g, "
                           "%.17g] against %.17g [%.17g, %.17g]",
                           threads, name, gpb_report_levels[i], levels[l],
                           q[1][i], lo[1][i], hi[1][i], q[0][i], lo[0][i],
                           hi[0][i]);
            }
            double a, sa, b, sb;
            ck_assert(gpb_result_mean(full, name, &a, &sa, NULL) == GPB_OK);
            ck_assert(gpb_result_mean(kept, name, &b, &sb, NULL) == GPB_OK);
            expect(same_bits(a, b) && same_bits(sa, sb), "%s mean", name);
            /* Off the report's levels: exact where the metric is counted
               value by value, refused where it is kept as doubles. */
            if (gpb_result_metric_is_constant(full, m))
                continue;
            double x = NAN, y = NAN;
            gpb_status st = gpb_result_quantile(kept, name, 0.37, &y, &e);
            ck_assert(gpb_result_quantile(full, name, 0.37, &x, NULL) ==
                      GPB_OK);
            if (st == GPB_OK) {
                expect(same_bits(x, y), "%s P37 %.17g vs %.17g", name, y, x);
                counted++;
            } else {
                ck_assert_int_eq(st, GPB_EINVAL);
                expect(strstr(e.message, "gpb_sim_run_kept") != NULL, "%s",
                       e.message);
                doubles++;
            }
        }
        /* Both kinds are exercised: money in bands, months counted. */
        expect(doubles >= 5 && counted >= 2, "%d kept as doubles, %d counted",
               doubles, counted);
        for (int k = 0; k < GPB_REPORT_N_RAISE_LEVELS; k++) {
            double a, b;
            ck_assert(gpb_result_raise_needed(full, gpb_report_raise_levels[k],
                                              &a, NULL) == GPB_OK);
            ck_assert(gpb_result_raise_needed(kept, gpb_report_raise_levels[k],
                                              &b, NULL) == GPB_OK);
            expect(same_bits(a, b), "raise %g: %.17g vs %.17g",
                   gpb_report_raise_levels[k], b, a);
        }
        for (int month = 0; month < gpb_result_horizon_months(full); month++)
            expect(same_bits(gpb_result_prob_out_of_cash_by(full, month),
                             gpb_result_prob_out_of_cash_by(kept, month)),
                   "P(out of cash by %d)", month);
        /* The fan, counted against its bands after the first paths: the
           report's levels as the whole sketch gives them; another level
           where no band holds it is refused. */
        expect(kept->fanb != NULL, "%d threads: no fan bands", threads);
        int fan_refused = 0;
        for (int month = 0; month < gpb_result_horizon_months(full); month++) {
            for (int k = 0; k < GPB_REPORT_N_FAN_LEVELS; k++) {
                double a, b;
                ck_assert(gpb_result_fan(full, month, gpb_report_fan_levels[k],
                                         &a, NULL) == GPB_OK);
                expect(gpb_result_fan(kept, month, gpb_report_fan_levels[k],
                                      &b, &e) == GPB_OK, "%s", e.message);
                expect(same_bits(a, b), "fan month %d P%g: %.17g vs %.17g",
                       month, 100 * gpb_report_fan_levels[k], b, a);
            }
            double a, b;
            ck_assert(gpb_result_fan(full, month, 0.37, &a, NULL) == GPB_OK);
            gpb_status fs = gpb_result_fan(kept, month, 0.37, &b, &e);
            if (fs == GPB_OK) {
                expect(same_bits(a, b), "fan month %d P37", month);
            } else {
                ck_assert_int_eq(fs, GPB_EINVAL);
                expect(strstr(e.message, "gpb_sim_run_kept") != NULL, "%s",
                       e.message);
                fan_refused++;
            }
        }
        expect(fan_refused > 0, "%d threads: P37 of the fan held everywhere",
               threads);
        /* The most extreme paths, over every path (tracked as the blocks
           are stored), ties to the lower path, as the full run finds them
           among its rows. */
        static const char *const ext[3] = {"cash.min", "spend.total",
                                           "runway_months"};
        for (int x = 0; x < 3; x++)
            for (int lowest = 0; lowest < 2; lowest++) {
                uint64_t pf[8], pk[8];
                ck_assert(gpb_result_extreme_paths(full, ext[x], lowest, 8, pf,
                                                   NULL) == GPB_OK);
                ck_assert(gpb_result_extreme_paths(kept, ext[x], lowest, 8,
                                                   pk, &e) == GPB_OK);
                for (int j = 0; j < 8; j++)
                    expect(pf[j] == pk[j], "%s %s #%d: path %llu vs %llu",
                           ext[x], lowest ? "lowest" : "highest", j,
                           (unsigned long long)pk[j],
                           (unsigned long long)pf[j]);
            }
        uint64_t pd[2];
        ck_assert_int_eq(gpb_result_extreme_paths(kept, "deficit.max", 1, 2,
                                                  pd, &e),
                         GPB_EINVAL);
        /* A constant metric ties on every path: the first k, as a full
           run answers. */
        for (size_t c = 0; c < nm; c++)
            if (gpb_result_metric_is_constant(full, c)) {
                const char *cn = gpb_result_metric_name(full, c);
                uint64_t qf[3], qk[3];
                ck_assert(gpb_result_extreme_paths(full, cn, 1, 3, qf,
                                                   NULL) == GPB_OK);
                ck_assert(gpb_result_extreme_paths(kept, cn, 1, 3, qk,
                                                   NULL) == GPB_OK);
                for (int j = 0; j < 3; j++)
                    expect(qf[j] == qk[j], "%s #%d", cn, j);
                break;
            }
        double pa, pb;
        ck_assert(gpb_result_prob_at_most(full, "runway_months", 12, &pa,
                                          NULL) == GPB_OK);
        ck_assert(gpb_result_prob_at_most(kept, "runway_months", 12, &pb,
                                          NULL) == GPB_OK);
        expect(same_bits(pa, pb), "P(runway <= 12) %g vs %g", pb, pa);
        ck_assert_int_eq(gpb_result_prob_at_most(kept, "spend.total", 1e8,
                                                 &pb, &e),
                         GPB_EINVAL);
        gpb_result *mg = NULL;
        ck_assert_int_eq(gpb_result_merge(kept, full, &mg, &e), GPB_EINVAL);
        ck_assert_ptr_null(mg);
        void *buf = NULL;
        size_t len = 0;
        ck_assert_int_eq(gpb_result_pack(kept, &buf, &len, &e), GPB_EINVAL);
        ck_assert_ptr_null(buf);
        gpb_result_free(full);
        gpb_result_free(kept);
    }
    gpb_scenario_free(s);
}
END_TEST

/*
 * The bands' coverage check (engine.h): a band that does not hold the
 * ranks it was made for fails it, and the run is made again keeping every
 * path; so does a fan band (a month's) that does not. A run that keeps
 * all its paths anyway (fewer paths than asked to keep) has no bands.
 */
START_TEST(a_band_that_misses_fails_its_check)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(24 * GPB_SIM_BLOCK_PATHS);
    gpb_result *r = NULL;
    gpb_error e;
    expect(gpb_sim_run_kept(s, &o, 4 * GPB_SIM_BLOCK_PATHS, &r, &e) ==
               GPB_OK,
           "%s", e.message);
    ck_assert_ptr_nonnull(r->bands);
    ck_assert_int_eq(gpb__bands_cover(r), 1);
    size_t m;
    ck_assert(gpb_result_metric_find(r, "spend.total", &m, NULL) == GPB_OK);
    ck_assert(r->bands[m].n > 0);
    eng_band *b = &r->bands[m].b[r->bands[m].n / 2];
    uint64_t below = b->below;
    b->below = below + b->eq_lo + b->inside + b->eq_hi; /* a shifted band */
    ck_assert_int_eq(gpb__bands_cover(r), 0);
    b->below = below;
    r->bands[m].overflow = 1; /* one that held too many values */
    ck_assert_int_eq(gpb__bands_cover(r), 0);
    r->bands[m].overflow = 0;
    /* The fan's: a month whose band at the median is counted as if every
       path lay below it holds no rank of the report's levels there. */
    ck_assert_ptr_nonnull(r->fanb);
    ck_assert_int_eq(gpb__fan_bands_cover(r), 1);
    int fm = gpb_result_horizon_months(r) - 1;
    eng_fan_bands *fb = &r->fanb[fm];
    uint64_t fbelow[GPB__FAN_BANDS_MAX];
    for (unsigned j = 0; j < fb->n; j++) {
        fbelow[j] = fb->below[j];
        fb->below[j] = o.paths;
    }
    ck_assert_int_eq(gpb__fan_bands_cover(r), 0);
    double q;
    ck_assert_int_eq(gpb_result_fan(r, fm, 0.5, &q, &e), GPB_EINVAL);
    for (unsigned j = 0; j < fb->n; j++)
        fb->below[j] = fbelow[j];
    ck_assert_int_eq(gpb__fan_bands_cover(r), 1);
    /* Such a run is made again with the fan in whole sketches: the same
       kept paths, metric bands and fan. */
    gpb_result *nf = NULL;
    expect(gpb__sim_run(s, &o, GPB__SIM_NO_FAN_BANDS,
                        4 * GPB_SIM_BLOCK_PATHS, &nf, &e) == GPB_OK,
           "%s", e.message);
    ck_assert_ptr_null(nf->fanb);
    ck_assert_ptr_nonnull(nf->bands);
    ck_assert_uint_eq(gpb_result_kept_paths(nf), gpb_result_kept_paths(r));
    for (int k = 0; k < GPB_REPORT_N_FAN_LEVELS; k++) {
        double qa, qb;
        ck_assert(gpb_result_fan(r, fm, gpb_report_fan_levels[k], &qa,
                                 NULL) == GPB_OK);
        ck_assert(gpb_result_fan(nf, fm, gpb_report_fan_levels[k], &qb,
                                 NULL) == GPB_OK);
        expect(same_bits(qa, qb), "fan P%g: %.17g vs %.17g",
               100 * gpb_report_fan_levels[k], qa, qb);
    }
    gpb_result_free(nf);
    gpb_result_free(r);
    r = NULL;
    expect(gpb_sim_run_kept(s, &o, o.paths, &r, &e) == GPB_OK, "%s",
           e.message);
    ck_assert_ptr_null(r->bands);
    ck_assert_uint_eq(gpb_result_kept_paths(r), o.paths);
    gpb_result_free(r);
    /* A budget that holds fewer paths than asked to keep (or the bands):
       the run is gpb_sim_run's, sketches and all, the same figures. */
    o.memory_budget_bytes = 100000;
    gpb_result *plain = run_opts(s, &o);
    r = NULL;
    expect(gpb_sim_run_kept(s, &o, 4 * GPB_SIM_BLOCK_PATHS, &r, &e) ==
               GPB_OK,
           "%s", e.message);
    ck_assert_ptr_null(r->bands);
    ck_assert_ptr_nonnull(r->msketch);
    ck_assert_uint_eq(gpb_result_kept_paths(r), gpb_result_kept_paths(plain));
    ck_assert(gpb_result_kept_paths(r) < o.paths);
    double qa, qb;
    ck_assert(gpb_result_quantile(plain, "spend.total", 0.37, &qa, NULL) ==
              GPB_OK);
    ck_assert(gpb_result_quantile(r, "spend.total", 0.37, &qb, NULL) ==
              GPB_OK);
    expect(same_bits(qa, qb), "P37 %.17g vs %.17g", qb, qa);
    gpb_result_free(plain);
    gpb_result_free(r);
    /* The estimate the engine decides by grows with the paths, as the
       bands do: a tenth as many first paths, about √10 times the bytes. */
    size_t nm = 0;
    gpb_result *probe = run_opts(s, &o);
    nm = probe->n_metrics;
    double b1 = gpb__bands_bytes(probe->metrics, nm, 10000000, 131072);
    double b2 = gpb__bands_bytes(probe->metrics, nm, 10000000, 13107);
    double b3 = gpb__bands_bytes(probe->metrics, nm, 100000000, 131072);
    expect(b1 > 0 && b2 > 2.5 * b1 && b2 < 3.5 * b1, "%g %g", b1, b2);
    expect(b3 > 9.5 * b1 && b3 < 10.5 * b1, "%g %g", b1, b3);
    gpb_result_free(probe);
    gpb_scenario_free(s);
}
END_TEST

/* A caller cancelling while the workers wait for the bands: the run stops
   with GPB_ECANCELLED, nobody waits for ever. */
static int cancel_once_started(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    (void)total;
    return done > 0;
}

START_TEST(a_kept_run_can_be_cancelled)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(400 * GPB_SIM_BLOCK_PATHS);
    o.progress = cancel_once_started;
    gpb_result *r = NULL;
    gpb_error e;
    gpb_status st = gpb_sim_run_kept(s, &o, 200 * GPB_SIM_BLOCK_PATHS, &r, &e);
    ck_assert_int_eq(st, GPB_ECANCELLED);
    ck_assert_ptr_null(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(a_run_without_its_fan_is_the_same_run)
{
    gpb_scenario *s = test_load_yaml(rich);
    for (int threads = 1; threads <= 2; threads++) {
        gpb_sim_options o = rich_opts(3 * GPB_SIM_BLOCK_PATHS + 17);
        o.threads = threads;
        o.ledger = 1;
        gpb_result *full = run_opts(s, &o), *lean = NULL;
        gpb_error e;
        ck_assert_int_eq(gpb__sim_run(s, &o, GPB__SIM_NO_FAN, 0, &lean, &e),
                         GPB_OK);
        size_t n = gpb_result_kept_paths(full);
        ck_assert_uint_eq(gpb_result_kept_paths(lean), n);
        ck_assert_uint_eq(gpb_result_metric_count(lean),
                          gpb_result_metric_count(full));
        for (size_t m = 0; m < gpb_result_metric_count(full); m++) {
            const char *name = gpb_result_metric_name(full, m);
            expect(memcmp(samples(full, name), samples(lean, name),
                          n * sizeof(double)) == 0,
                   "%d threads: %s differs without the fan", threads, name);
        }
        int H = gpb_result_horizon_months(full);
        for (int t = 0; t < H; t++) {
            expect(same_bits(gpb_result_prob_out_of_cash_by(full, t),
                             gpb_result_prob_out_of_cash_by(lean, t)),
                   "P(out by %d)", t);
            expect(same_bits(gpb_result_ledger_mean(full, t, GPB_CAT_TEAM),
                             gpb_result_ledger_mean(lean, t, GPB_CAT_TEAM)),
                   "ledger, month %d", t);
        }
        double q = 0;
        ck_assert_int_eq(gpb_result_fan(full, H - 1, 0.5, &q, &e), GPB_OK);
        ck_assert_int_eq(gpb_result_fan(lean, H - 1, 0.5, &q, &e),
                         GPB_EINVAL);
        ck_assert_str_eq(e.message, "this run kept no fan of cash");
        void *buf = NULL;
        size_t len = 0;
        ck_assert_int_eq(gpb_result_pack(lean, &buf, &len, &e), GPB_EINVAL);
        ck_assert_ptr_null(buf);
        gpb_result_free(full);
        gpb_result_free(lean);
    }
    gpb_scenario_free(s);
}
END_TEST

/* Metrics that a further other cost may change: the other category, the
   totals and what is made of the cash. */
static int moved_by_other_cost(const char *m)
{
    static const char *const moved[] = {
        "spend.other",  "spend.total",   "spend.monthly_mean",
        "cash.end",     "cash.min",      "deficit.max",
        "runway_months", "out_of_cash",  "npv.cost"};
    for (size_t i = 0; i < sizeof moved / sizeof *moved; i++)
        if (!strcmp(m, moved[i]))
            return 1;
    return 0;
}

START_TEST(an_unrelated_cost_changes_no_other_draw)
{
    /*
     * The same scenario with one more other cost, itself uncertain: every
     * other metric of every path and every uncertain input of the
     * original is bit-identical (each process and input draws from its own
     * stream, sim.h), and only the metrics the cost feeds move.
     */
    gpb_scenario *a = test_load_yaml(rich);
    gpb_scenario *b = test_load_yaml(
        RICH_HEAD "  - {name: extra, per_month: {uniform: [\"$100k\", "
                  "\"$900k\"]}}\n");
    gpb_sim_options o = rich_opts(2 * GPB_SIM_BLOCK_PATHS + 5);
    gpb_result *ra = run_opts(a, &o), *rb = run_opts(b, &o);
    size_t n = gpb_result_kept_paths(ra);
    size_t checked = 0;
    for (size_t i = 0; i < gpb_result_metric_count(ra); i++) {
        const char *m = gpb_result_metric_name(ra, i);
        const double *x = samples(ra, m), *y = samples(rb, m);
        if (moved_by_other_cost(m))
            continue;
        expect(memcmp(x, y, n * sizeof *x) == 0, "%s moved", m);
        checked++;
    }
    ck_assert_uint_ge(checked, 40);
    /* The cost is there, and moves what it should. */
    const double *oa = samples(ra, "spend.other"),
                 *ob = samples(rb, "spend.other");
    for (size_t i = 0; i < n; i++)
        expect(ob[i] >= oa[i] + 30 * 100e3 * (1 - 1e-12), "path %zu", i);
    ck_assert_uint_eq(gpb_result_input_count(rb),
                      gpb_result_input_count(ra) + 1);
    for (size_t k = 0; k < gpb_result_input_count(ra); k++) {
        const char *p = gpb_result_input_path(ra, k);
        size_t j = 0;
        while (j < gpb_result_input_count(rb) &&
               strcmp(gpb_result_input_path(rb, j), p))
            j++;
        expect(j < gpb_result_input_count(rb), "%s lost", p);
        expect(memcmp(gpb_result_input_samples(ra, k),
                      gpb_result_input_samples(rb, j),
                      n * sizeof(double)) == 0,
               "input %s moved", p);
    }
    gpb_result_free(ra);
    gpb_result_free(rb);
    gpb_scenario_free(a);
    gpb_scenario_free(b);
}
END_TEST

/* Two results are the same run: every metric's samples, mean and standard
   error, the fan, P(out of cash) by month, the ledger, every input and
   exchange rate, bit for bit. */
static void assert_same_run(const gpb_result *a, const gpb_result *b)
{
    ck_assert_uint_eq(gpb_result_paths(a), gpb_result_paths(b));
    ck_assert_uint_eq(gpb_result_kept_paths(a), gpb_result_kept_paths(b));
    ck_assert_uint_eq(gpb_result_path_offset(a), gpb_result_path_offset(b));
    size_t n = gpb_result_kept_paths(a);
    ck_assert_uint_eq(gpb_result_metric_count(a), gpb_result_metric_count(b));
    for (size_t i = 0; i < gpb_result_metric_count(a); i++) {
        const char *m = gpb_result_metric_name(a, i);
        ck_assert_str_eq(m, gpb_result_metric_name(b, i));
        expect(memcmp(samples(a, m), samples(b, m),
                      n * sizeof(double)) == 0,
               "%s samples differ", m);
        double ma, sa, mb, sb;
        ma = mean_of(a, m, &sa);
        mb = mean_of(b, m, &sb);
        expect(same_bits(ma, mb) && same_bits(sa, sb),
               "%s mean %.17g ± %.17g vs %.17g ± %.17g", m, ma, sa,
               mb, sb);
        static const double ps[] = {0, 0.05, 0.5, 0.95, 1};
        for (int k = 0; k < 5; k++)
            expect(same_bits(quant(a, m, ps[k]), quant(b, m, ps[k])),
                   "%s quantile %g differs", m, ps[k]);
        ck_assert_int_eq(gpb_result_metric_nonzero(a, i),
                         gpb_result_metric_nonzero(b, i));
    }
    int H = gpb_result_horizon_months(a);
    ck_assert_int_eq(H, gpb_result_horizon_months(b));
    for (int m = 0; m < H; m++) {
        expect(same_bits(gpb_result_prob_out_of_cash_by(a, m),
                         gpb_result_prob_out_of_cash_by(b, m)),
               "P(out of cash by %d) differs", m);
        static const double ps[] = {0, 0.05, 0.25, 0.5, 0.75, 0.95, 1};
        for (int k = 0; k < 7; k++) {
            double fa, fb;
            expect(gpb_result_fan(a, m, ps[k], &fa, NULL) == GPB_OK &&
                       gpb_result_fan(b, m, ps[k], &fb, NULL) == GPB_OK,
                   "fan month %d", m);
            expect(same_bits(fa, fb), "fan month %d p %g: %.17g vs "
                   "%.17g", m, ps[k], fa, fb);
        }
        for (int c = 0; c < GPB_CAT_COUNT; c++)
            expect(same_bits(gpb_result_ledger_mean(a, m, c),
                             gpb_result_ledger_mean(b, m, c)),
                   "ledger month %d %s", m,
                   gpb_category_key((gpb_category)c));
    }
    ck_assert_uint_eq(gpb_result_input_count(a), gpb_result_input_count(b));
    for (size_t k = 0; k < gpb_result_input_count(a); k++)
        expect(memcmp(gpb_result_input_samples(a, k),
                      gpb_result_input_samples(b, k),
                      n * sizeof(double)) == 0,
               "input %s differs", gpb_result_input_path(a, k));
    for (size_t i = 0; i < n; i++)
        expect(same_bits(gpb_result_per_usd(a, GPB_CURRENCY_CNY, i),
                         gpb_result_per_usd(b, GPB_CURRENCY_CNY, i)),
               "path %zu: exchange rate differs", i);
}

START_TEST(threads_do_not_change_the_result)
{
    /* 1, 2, 3 and 8 worker threads: the same run, bit for bit. Five
       blocks and a partial one, so threads interleave. */
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(5 * GPB_SIM_BLOCK_PATHS + 77);
    o.threads = 1;
    gpb_result *r1 = run_opts(s, &o);
    static const int th[] = {2, 3, 8};
    for (int k = 0; k < 3; k++) {
        o.threads = th[k];
        gpb_result *r = run_opts(s, &o);
        assert_same_run(r1, r);
        gpb_result_free(r);
    }
    gpb_result_free(r1);
    gpb_scenario_free(s);
}
END_TEST

/* Parts a and b of a run packed (as MPI ranks send them), unpacked and
   merged: the result. */
static gpb_result *merge_as_bytes(const gpb_scenario *s, const gpb_result *a,
                                  const gpb_result *b)
{
    void *pa = NULL, *pb = NULL;
    size_t la = 0, lb = 0;
    gpb_error e;
    ck_assert_int_eq(gpb_result_pack(a, &pa, &la, &e), GPB_OK);
    ck_assert_int_eq(gpb_result_pack(b, &pb, &lb, &e), GPB_OK);
    gpb_result *ua = NULL, *ub = NULL, *um = NULL;
    ck_assert_int_eq(gpb_result_unpack(s, pa, la, &ua, &e), GPB_OK);
    ck_assert_int_eq(gpb_result_unpack(s, pb, lb, &ub, &e), GPB_OK);
    ck_assert_int_eq(gpb_result_merge(ua, ub, &um, &e), GPB_OK);
    gpb_result_free(ua);
    gpb_result_free(ub);
    gpb_free(pa);
    gpb_free(pb);
    return um;
}

/*
 * Paths 0 .. 1023 and 1024 .. 2380 run separately (path_offset = 2
 * blocks) and merged with gpb_result_merge against the run of 0 .. 2380:
 * samples, means, quantiles, the fan, the ledger means, P(out of cash) by
 * month and the raise for a 12-month runway, bit for bit. keep: 0 every
 * path kept; 1 a memory budget that keeps about 700 paths (fewer than the
 * first part), so quantiles come from merged sketches; 2 one that keeps
 * about 1,700 (all of the first part, not all of the whole).
 */
static void check_halves(int keep)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(2381);
    o.raise_months = 12;
    /* Bytes a kept path costs: a budget of 100,000 bytes keeps
       floor(100,000 / per) paths. */
    o.memory_budget_bytes = 100000;
    gpb_result *probe = run_opts(s, &o);
    double per = 100000.0 / (double)gpb_result_kept_paths(probe);
    gpb_result_free(probe);
    const size_t budgets[3] = {0, (size_t)(per * 700),
                               (size_t)(per * 1700)};
    o.memory_budget_bytes = budgets[keep];
    gpb_result *whole = run_opts(s, &o), *m = NULL;
    size_t kept = gpb_result_kept_paths(whole);
    if (keep == 0)
        ck_assert_uint_eq(kept, 2381);
    else if (keep == 1)
        ck_assert(kept > 600 && kept < 800);
    else
        ck_assert(kept > 1600 && kept < 1800);
    gpb_sim_options oa = o, ob = o;
    oa.paths = 2 * GPB_SIM_BLOCK_PATHS;
    ob.path_offset = 2 * GPB_SIM_BLOCK_PATHS;
    ob.paths = 2381 - 2 * GPB_SIM_BLOCK_PATHS;
    gpb_result *a = run_opts(s, &oa), *b = run_opts(s, &ob);
    gpb_error e;
    expect(gpb_result_merge(a, b, &m, &e) == GPB_OK, "%s",
           e.message);
    /* The same parts sent as bytes (as MPI ranks send them) merge into
       the same run. */
    {
        gpb_result *um = merge_as_bytes(s, a, b);
        assert_same_run(whole, um);
        gpb_result_free(um);
    }
    /* Not adjacent (the wrong order): refused. */
    gpb_result *bad = NULL;
    ck_assert_int_eq(gpb_result_merge(b, a, &bad, &e), GPB_EINVAL);
    ck_assert_ptr_null(bad);
    ck_assert_uint_eq(gpb_result_paths(m), 2381);
    expect(gpb_result_kept_paths(m) == kept,
           "budget %zu: the merged result keeps %zu paths, the "
           "whole run %zu",
           budgets[keep], gpb_result_kept_paths(m), kept);
    assert_same_run(whole, m);
    for (int j = 0; j < 3; j++) {
        double c = 0.5 + 0.2 * j, x, y;
        ck_assert(gpb_result_raise_for_runway(whole, 12, c, &x, NULL) ==
                  GPB_OK);
        ck_assert(gpb_result_raise_for_runway(m, 12, c, &y, NULL) ==
                  GPB_OK);
        expect(same_bits(x, y), "raise %g: %.17g vs %.17g", c, x, y);
    }
    gpb_result_free(whole);
    gpb_result_free(a);
    gpb_result_free(b);
    gpb_result_free(m);
    gpb_scenario_free(s);
}

/*
 * gpb_sim_options.inputs_kept keeps the sampled inputs of the first N
 * kept paths only. Everything else is the same bits as the run that keeps
 * them all; the inputs kept are that run's first N; reading every path's
 * inputs is refused with the reason; the sensitivity ranks those N paths
 * (the same figures as the full run's over N); a condition keeps the
 * inputs of the paths it holds on among the first N; parts of the run
 * (path_offset) merge, directly and as bytes, into what the whole keeps,
 * whether N ends inside the first part (700) or the second (1500).
 */
/* 1 when every input's first n samples are the same bits in a and b. */
static int same_input_prefix(const gpb_result *a, const gpb_result *b,
                             size_t n)
{
    size_t K = gpb_result_input_count(a);
    if (K != gpb_result_input_count(b))
        return 0;
    for (size_t k = 0; k < K; k++)
        if (memcmp(gpb_result_input_samples(a, k),
                   gpb_result_input_samples(b, k), n * sizeof(double)))
            return 0;
    return 1;
}

START_TEST(inputs_kept_for_a_prefix_of_the_paths)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(2381);
    gpb_result *full = run_opts(s, &o);
    size_t kept = gpb_result_kept_paths(full);
    size_t K = gpb_result_input_count(full), M = gpb_result_metric_count(full);
    ck_assert_uint_eq(gpb_result_input_kept_paths(full), kept);
    ck_assert_uint_gt(K, 1);
    static const size_t Ns[] = {700, 1500};
    for (size_t t = 0; t < 2; t++) {
        size_t N = Ns[t];
        o.inputs_kept = N;
        gpb_result *part = run_opts(s, &o);
        ck_assert_uint_eq(gpb_result_kept_paths(part), kept);
        ck_assert_uint_eq(gpb_result_input_kept_paths(part), N);
        for (size_t m = 0; m < M; m++) {
            const char *name = gpb_result_metric_name(full, m);
            expect(memcmp(samples(full, name), samples(part, name),
                          kept * sizeof(double)) == 0,
                   "%s differs", name);
        }
        expect(same_input_prefix(full, part, N), "N %zu: inputs differ", N);
        double *own = malloc(kept * sizeof *own);
        ck_assert_ptr_nonnull(own);
        gpb_error e;
        ck_assert_int_eq(gpb_result_input_samples_own(s, part, 0, own, &e),
                         GPB_EINVAL);
        ck_assert_msg(strstr(e.message, "kept the sampled inputs of its "
                                        "first") != NULL,
                      "%s", e.message);
        ck_assert_int_eq(gpb_result_input_samples_own(s, full, 0, own, &e),
                         GPB_OK);
        free(own);

        /* The sensitivity: N paths, as the full run's limited to N. */
        gpb_sensitivity_options so;
        gpb_sensitivity_options_default(&so);
        so.swing = 0;
        so.threads = 1;
        so.max_paths = 10 * N;
        gpb_sensitivity *xp = NULL, *xf = NULL;
        ck_assert_int_eq(gpb_sensitivity_compute(s, part, &so, &xp, &e),
                         GPB_OK);
        so.max_paths = N;
        ck_assert_int_eq(gpb_sensitivity_compute(s, full, &so, &xf, &e),
                         GPB_OK);
        ck_assert_uint_eq(gpb_sensitivity_paths(xp), N);
        ck_assert_uint_eq(gpb_sensitivity_paths(xf), N);
        for (size_t m = 0; m < M; m++)
            for (size_t k = 0; k < K; k++) {
                double a = gpb_sensitivity_srrc(xp, m, k),
                       b = gpb_sensitivity_srrc(xf, m, k);
                expect(same_bits(a, b) || (isnan(a) && isnan(b)),
                       "SRRC %zu %zu: %.17g vs %.17g", m, k, a, b);
            }
        gpb_sensitivity_free(xp);
        gpb_sensitivity_free(xf);

        /* A condition: the inputs of the paths it holds on among the
           first N, the full run's own. */
        gpb_result *gp = NULL, *gf = NULL;
        const char *cond = "company.funding[0].closed=false";
        ck_assert_int_eq(gpb_result_given(s, part, cond, &gp, &e), GPB_OK);
        ck_assert_int_eq(gpb_result_given(s, full, cond, &gf, &e), GPB_OK);
        const double *closed = samples(full, "funding.A.closed");
        size_t n_in = 0;
        for (size_t i = 0; i < N; i++)
            n_in += closed[i] == 0;
        ck_assert_uint_gt(n_in, 0);
        ck_assert_uint_eq(gpb_result_input_kept_paths(gp), n_in);
        ck_assert_uint_eq(gpb_result_kept_paths(gp), gpb_result_kept_paths(gf));
        expect(same_input_prefix(gp, gf, n_in), "given: inputs differ");
        gpb_result_free(gp);
        gpb_result_free(gf);

        /* Parts merged, directly and as bytes. */
        gpb_sim_options oa = o, ob = o;
        oa.paths = 2 * GPB_SIM_BLOCK_PATHS;
        ob.path_offset = 2 * GPB_SIM_BLOCK_PATHS;
        ob.paths = 2381 - 2 * GPB_SIM_BLOCK_PATHS;
        gpb_result *a = run_opts(s, &oa), *b = run_opts(s, &ob), *m = NULL;
        ck_assert_int_eq(gpb_result_merge(a, b, &m, &e), GPB_OK);
        gpb_result *um = merge_as_bytes(s, a, b);
        const gpb_result *merged[2] = {m, um};
        for (int j = 0; j < 2; j++) {
            ck_assert_uint_eq(gpb_result_input_kept_paths(merged[j]), N);
            expect(same_input_prefix(full, merged[j], N),
                   "N %zu, merged %d: inputs differ", N, j);
        }
        gpb_result_free(um);
        gpb_result_free(a);
        gpb_result_free(b);
        gpb_result_free(m);
        gpb_result_free(part);
    }
    gpb_result_free(full);
    gpb_scenario_free(s);
}
END_TEST

/*
 * A conditional result (gpb_result_given) keeps the metrics that are
 * functions of others (engine.h): on the paths where the condition holds,
 * each one's samples are its function of its source's, its mean is the
 * mean of those samples (rounding only: 1e-12 relative), and its
 * quantiles are those of the sorted samples, exactly.
 */
/*
 * A conditional result's paths are a subset of its run's: it keeps their
 * numbers (gpb_result_path_number), pairs only with a result of the same
 * subset, and neither merges nor packs (a review paired path 2 of a
 * conditional result with path 0 of a plain run of as many paths).
 */
START_TEST(given_results_keep_their_paths)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(3000);
    gpb_result *r = run_opts(s, &o), *g = NULL, *g2 = NULL, *m = NULL;
    gpb_error e;
    ck_assert_int_eq(gpb_result_given(s, r, "company.funding[0].closed=false",
                                      &g, &e),
                     GPB_OK);
    size_t n = gpb_result_kept_paths(g);
    const double *fc = samples(r, "spend.total");
    const double *gc = samples(g, "spend.total");
    for (size_t i = 0; i < n; i++) {
        uint64_t p = gpb_result_path_number(g, i);
        ck_assert(p < 3000 && (i == 0 || p > gpb_result_path_number(g, i - 1)));
        ck_assert(same_bits(gc[i], fc[p])); /* its row of the run */
    }
    ck_assert(gpb_result_path_number(g, n) == UINT64_MAX);
    /* A plain run of as many paths is other paths. */
    gpb_sim_options o2 = rich_opts(n);
    gpb_result *plain = run_opts(s, &o2);
    gpb_paired_diff d;
    ck_assert_int_eq(gpb_result_paired_diff(g, plain, "spend.total", &d, &e),
                     GPB_EINVAL);
    /* The same subset pairs with itself: every difference 0. */
    ck_assert_int_eq(gpb_result_given(s, r, "company.funding[0].closed=false",
                                      &g2, &e),
                     GPB_OK);
    ck_assert_int_eq(gpb_result_paired_diff(g, g2, "spend.total", &d, &e),
                     GPB_OK);
    ck_assert(d.p_a_lower == 0 && d.p_a_higher == 0 && d.p95 == 0);
    void *buf = NULL;
    size_t len = 0;
    ck_assert_int_eq(gpb_result_pack(g, &buf, &len, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_result_merge(g, plain, &m, &e), GPB_EINVAL);
    ck_assert_ptr_null(m);
    gpb_result_free(plain);
    gpb_result_free(g2);
    gpb_result_free(g);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(given_results_keep_the_derived_metrics)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(3000);
    gpb_result *r = run_opts(s, &o), *g = NULL;
    gpb_error e;
    ck_assert_msg(gpb_result_given(s, r, "company.funding[0].closed=false",
                                   &g, &e) ==
                      GPB_OK,
                  "%s", e.message);
    size_t n = gpb_result_paths(g);
    ck_assert(n > 100 && n < 3000);
    static const struct {
        const char *name, *src;
        int kind;
    } dm[] = {{"spend.monthly_mean", "spend.total", 0},
              {"deficit.max", "cash.min", 1},
              {"out_of_cash", "runway_months", 2},
              {"card_months", "gpu_hours", 3}};
    double H = (double)gpb_result_horizon_months(g);
    double *sorted = malloc(n * sizeof *sorted);
    ck_assert_ptr_nonnull(sorted);
    for (size_t k = 0; k < sizeof dm / sizeof *dm; k++) {
        const double *v = samples(g, dm[k].name), *x = samples(g, dm[k].src);
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            double want = dm[k].kind == 0   ? x[i] / H
                          : dm[k].kind == 1 ? (x[i] < 0 ? -x[i] : 0)
                          : dm[k].kind == 2 ? (double)(x[i] < H)
                                            : x[i] / 730.5;
            expect(same_bits(v[i], want), "%s path %zu: %.17g vs %.17g",
                   dm[k].name, i, v[i], want);
            sum += v[i];
        }
        double mean = 0;
        ck_assert_int_eq(gpb_result_mean(g, dm[k].name, &mean, NULL, &e),
                         GPB_OK);
        expect(fabs(mean - sum / (double)n) <=
                   1e-12 * fabs(sum / (double)n) + 1e-300,
               "%s mean %.17g vs %.17g", dm[k].name, mean, sum / (double)n);
        memcpy(sorted, v, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_double);
        static const double lv[] = {0, 0.05, 0.5, 0.95, 1};
        double q[5];
        ck_assert_int_eq(gpb_result_quantiles(g, dm[k].name, 5, lv, q, &e),
                         GPB_OK);
        for (size_t j = 0; j < 5; j++) {
            double pos = lv[j] * (double)(n - 1);
            size_t a = (size_t)floor(pos);
            double d = pos - floor(pos);
            double want = d == 0 ? sorted[a]
                                 : sorted[a] + (sorted[a + 1] - sorted[a]) * d;
            expect(q[j] == want, "%s P%g: %.17g vs %.17g", dm[k].name,
                   100 * lv[j], q[j], want);
        }
    }
    free(sorted);
    gpb_result_free(g);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/*
 * A packed result reads back as the same run, with a ledger, a raise
 * target and sketches (a memory budget below the paths); a buffer cut
 * short anywhere or with any byte flipped is refused with GPB_EINVAL
 * (the checksum; under the sanitizers, without reading past the end).
 */
START_TEST(packed_results_read_back_the_same)
{
    gpb_scenario *s = test_load_yaml(rich);
    for (int sk = 0; sk < 2; sk++) {
        gpb_sim_options o = rich_opts(1000);
        o.raise_months = 12;
        o.ledger = 1;
        if (sk)
            o.memory_budget_bytes = 100000; /* keeps ~170 of 1000 */
        gpb_result *r = run_opts(s, &o), *u = NULL;
        ck_assert(sk == 0 || gpb_result_kept_paths(r) < 1000);
        void *buf = NULL;
        size_t len = 0;
        gpb_error e;
        ck_assert_int_eq(gpb_result_pack(r, &buf, &len, &e), GPB_OK);
        ck_assert_int_eq(gpb_result_unpack(s, buf, len, &u, &e), GPB_OK);
        assert_same_run(r, u);
        ck_assert(same_bits(gpb_result_ledger_mean(r, 5, GPB_CAT_TEAM),
                            gpb_result_ledger_mean(u, 5, GPB_CAT_TEAM)));
        gpb_result_free(u);
        unsigned char *c = malloc(len);
        /* Every cut: refused. */
        for (size_t n = 0; n < len; n += 1 + n / 64) {
            memcpy(c, buf, n);
            u = NULL;
            expect(gpb_result_unpack(s, c, n, &u, &e) == GPB_EINVAL,
                   "cut at %zu of %zu: accepted", n, len);
            ck_assert_ptr_null(u);
        }
        /* The header damaged: refused. */
        for (size_t at = 0; at < 24; at++) {
            memcpy(c, buf, len);
            c[at] ^= 0x40;
            u = NULL;
            expect(gpb_result_unpack(s, c, len, &u, &e) == GPB_EINVAL,
                   "byte %zu flipped: accepted", at);
        }
        /* A byte flipped anywhere: the checksum refuses it. */
        for (size_t at = 24; at < len; at += 1 + at / 32) {
            memcpy(c, buf, len);
            c[at] ^= 0xa5;
            u = NULL;
            expect(gpb_result_unpack(s, c, len, &u, &e) == GPB_EINVAL,
                   "byte %zu flipped: accepted", at);
        }
        free(c);
        gpb_free(buf);
        gpb_result_free(r);
    }
    gpb_scenario_free(s);
}
END_TEST

/* Above the memory budget, quantiles come from sketches: a metric of
   small whole numbers still reads back whole, and equal to the exact
   quantile of the same run kept whole (a bucket below 1024 holds one
   whole number; a review found runway P5 = 32.03125). Type-7 quantiles
   between two ranks that hold the same whole number are that number. */
START_TEST(whole_number_metrics_stay_whole_in_sketches)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(1000);
    gpb_result *exact = run_opts(s, &o);
    o.memory_budget_bytes = 100000; /* keeps ~170 of 1000 */
    gpb_result *sk = run_opts(s, &o);
    ck_assert(gpb_result_kept_paths(sk) < 1000);
    int checked = 0;
    for (size_t i = 0; i < gpb_result_metric_count(exact); i++) {
        const char *m = gpb_result_metric_name(exact, i);
        size_t n = strlen(m);
        int whole = !strcmp(m, "runway_months") ||
                    (n > 13 && !strcmp(m + n - 13, ".finish_month")) ||
                    (n > 12 && !strcmp(m + n - 12, ".divergences"));
        if (!whole)
            continue;
        for (int k = 0; k <= 20; k++) {
            double p = k / 20.0, a = quant(exact, m, p), b = quant(sk, m, p);
            if (a != floor(a))
                continue; /* between two whole numbers: interpolated */
            expect(a == b, "%s p %.2f: exact %.17g, sketched %.17g", m, p,
                   a, b);
            checked++;
        }
    }
    ck_assert_int_ge(checked, 40);
    gpb_result_free(exact);
    gpb_result_free(sk);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(halves_merge_into_the_whole_run)
{
    check_halves(0);
    check_halves(1);
}
END_TEST

/*
 * As an MPI run does it (tools/cli_mpi.c): three parts, paths 0 .. 511,
 * 512 .. 1535 and 1536 .. 2380; the second and third packed with
 * gpb_result_pack_after, merged with each other first and then after the
 * first, against the run of 0 .. 2380, bit for bit. With a budget of
 * about 700 paths the second part keeps 700 and sends the ~188 the union
 * keeps, the third sends none (fewer bytes than gpb_result_pack); with
 * about 1,700 every part keeps all of its paths and sends them.
 */
static void check_thirds(int keep)
{
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(2381);
    o.raise_months = 12;
    o.ledger = 1;
    o.memory_budget_bytes = 100000;
    gpb_result *probe = run_opts(s, &o);
    double per = 100000.0 / (double)gpb_result_kept_paths(probe);
    gpb_result_free(probe);
    o.memory_budget_bytes = (size_t)(per * (keep ? 1700 : 700));
    gpb_result *whole = run_opts(s, &o);
    const size_t cut[4] = {0, GPB_SIM_BLOCK_PATHS, 3 * GPB_SIM_BLOCK_PATHS,
                           2381};
    gpb_result *u[3] = {NULL, NULL, NULL};
    gpb_error e;
    for (int k = 0; k < 3; k++) {
        gpb_sim_options ok = o;
        ok.path_offset = cut[k];
        ok.paths = cut[k + 1] - cut[k];
        gpb_result *part = run_opts(s, &ok);
        if (k == 0) {
            u[0] = part;
            continue;
        }
        void *full = NULL, *trim = NULL;
        size_t lf = 0, lt = 0;
        ck_assert_int_eq(gpb_result_pack(part, &full, &lf, &e), GPB_OK);
        ck_assert_int_eq(gpb_result_pack_after(part, cut[k], &trim, &lt,
                                               &e), GPB_OK);
        if (keep == 0)
            expect(lt < lf, "part %d: %zu bytes trimmed, %zu whole", k, lt,
                   lf);
        else
            ck_assert_uint_eq(lt, lf);
        ck_assert_int_eq(gpb_result_unpack(s, trim, lt, &u[k], &e), GPB_OK);
        gpb_free(full);
        gpb_free(trim);
        gpb_result_free(part);
    }
    gpb_result *rest = NULL, *m = NULL;
    expect(gpb_result_merge(u[1], u[2], &rest, &e) == GPB_OK, "%s",
           e.message);
    expect(gpb_result_merge(u[0], rest, &m, &e) == GPB_OK, "%s", e.message);
    ck_assert_uint_eq(gpb_result_kept_paths(m),
                      gpb_result_kept_paths(whole));
    assert_same_run(whole, m);
    for (int mo = 0; mo < 24; mo += 5)
        ck_assert(same_bits(gpb_result_ledger_mean(whole, mo, GPB_CAT_TEAM),
                            gpb_result_ledger_mean(m, mo, GPB_CAT_TEAM)));
    double x, y;
    ck_assert(gpb_result_raise_for_runway(whole, 12, 0.9, &x, NULL) ==
              GPB_OK);
    ck_assert(gpb_result_raise_for_runway(m, 12, 0.9, &y, NULL) == GPB_OK);
    expect(same_bits(x, y), "raise: %.17g vs %.17g", x, y);
    for (int k = 0; k < 3; k++)
        gpb_result_free(u[k]);
    gpb_result_free(rest);
    gpb_result_free(m);
    gpb_result_free(whole);
    gpb_scenario_free(s);
}

START_TEST(parts_sent_as_mpi_ranks_send_them_merge_into_the_whole_run)
{
    check_thirds(0);
    check_thirds(1);
}
END_TEST

START_TEST(quasi_random_runs_split_and_replay_the_same)
{
    /* Sobol points for the per-path inputs (quasi_random): path i takes
       point ⌊i / 16⌋ with its replicate's shift wherever it is run, so
       threads, a split merged and a trace of one path (1500 and 2380 are
       not multiples of 16) give the same figures as the single run, its
       replicate standard error included. */
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(2381);
    o.quasi_random = 1;
    gpb_result *whole = run_opts(s, &o);
    o.threads = 3;
    gpb_result *t3 = run_opts(s, &o);
    assert_same_run(whole, t3);
    gpb_sim_options oa = o, ob = o;
    oa.paths = 2 * GPB_SIM_BLOCK_PATHS;
    ob.path_offset = 2 * GPB_SIM_BLOCK_PATHS;
    ob.paths = 2381 - 2 * GPB_SIM_BLOCK_PATHS;
    gpb_result *a = run_opts(s, &oa), *b = run_opts(s, &ob), *m = NULL;
    ck_assert(gpb_result_merge(a, b, &m, NULL) == GPB_OK);
    assert_same_run(whole, m);
    double s1, s2;
    ck_assert(gpb_result_mean(m, "spend.total", NULL, &s1, NULL) == GPB_OK);
    ck_assert(gpb_result_mean(whole, "spend.total", NULL, &s2, NULL) ==
              GPB_OK);
    ck_assert(same_bits(s1, s2) && isfinite(s1) && s1 > 0);
    static const size_t paths[3] = {0, 1500, 2380};
    for (int k = 0; k < 3; k++) {
        gpb_trace *t = NULL;
        gpb_error e;
        expect(gpb_sim_trace(s, &o, paths[k], &t, &e) == GPB_OK, "%s",
               e.message);
        for (size_t i = 0; i < gpb_trace_metric_count(t); i++) {
            const char *name = gpb_trace_metric_name(t, i);
            expect(same_bits(gpb_trace_metric_value(t, i),
                             samples(whole, name)[paths[k]]),
                   "path %zu %s", paths[k], name);
        }
        gpb_trace_free(t);
    }
    /* Not the pseudo-random run. */
    o.quasi_random = 0;
    gpb_result *pr = run_opts(s, &o);
    ck_assert(memcmp(samples(pr, "spend.total"), samples(whole, "spend.total"),
                     2381 * sizeof(double)) != 0);
    gpb_result_free(pr);
    gpb_result_free(whole);
    gpb_result_free(t3);
    gpb_result_free(a);
    gpb_result_free(b);
    gpb_result_free(m);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(renting_instead_shares_the_draws)
{
    /* The plan that rents instead of buying runs on common random
       numbers (sim.h): what neither the fleet nor its workload touches
       (the team, the runs that rent anyway, users, revenue, funding, other
       costs, every input) is bit-identical path by path; the fleet's
       categories are 0; the workload that mixed the fleet rents it all. */
    gpb_scenario *s = test_load_yaml(rich);
    gpb_sim_options o = rich_opts(GPB_SIM_BLOCK_PATHS + 100);
    gpb_result *as = run_opts(s, &o);
    o.rent_instead_of_buying = 1;
    gpb_result *rent = run_opts(s, &o);
    size_t n = gpb_result_kept_paths(as);
    static const char *const same[] = {
        "spend.team", "spend.serving", "spend.other", "income.revenue",
        "income.funding", "training.pre.cost", "training.pre.failures",
        "training.pre.divergences", "training.pre.finish_month",
        "training.ft.cost", "serving.users_last"};
    for (size_t k = 0; k < sizeof same / sizeof *same; k++)
        expect(memcmp(samples(as, same[k]), samples(rent, same[k]),
                      n * sizeof(double)) == 0,
               "%s differs", same[k]);
    for (size_t k = 0; k < gpb_result_input_count(as); k++)
        expect(memcmp(gpb_result_input_samples(as, k),
                      gpb_result_input_samples(rent, k),
                      n * sizeof(double)) == 0,
               "input %s differs", gpb_result_input_path(as, k));
    static const gpb_category owned[] = {
        GPB_CAT_HARDWARE, GPB_CAT_FINANCING, GPB_CAT_POWER, GPB_CAT_HOSTING,
        GPB_CAT_MAINTENANCE, GPB_CAT_RESALE, GPB_CAT_RENT_OUT};
    for (size_t k = 0; k < sizeof owned / sizeof *owned; k++)
        ck_assert(quant(rent, gpb_category_metric(owned[k]), 1) == 0);
    /* 96 GPUs at utilisation u for 24 months at $2 times the index: the
       whole workload is rented, so its GPU-hours are 96 · 730.5 · u · 24
       (u is the path's input, to rounding). */
    const double *gh = samples(rent, "capacity.infer.gpu_hours");
    const double *u = NULL;
    for (size_t k = 0; k < gpb_result_input_count(rent); k++)
        if (!strcmp(gpb_result_input_path(rent, k),
                    "capacity[0].utilization"))
            u = gpb_result_input_samples(rent, k);
    ck_assert_ptr_nonnull(u);
    for (size_t i = 0; i < n; i++)
        expect(fabs(gh[i] - 96 * 730.5 * u[i] * 24) <= 1e-9 * gh[i],
               "path %zu: %.17g GPU-hours", i, gh[i]);
    gpb_result_free(as);
    gpb_result_free(rent);
    gpb_scenario_free(s);
}
END_TEST

/*
 * recompute: true is full activation recomputation: the forward pass runs
 * twice, 8·N·D hardware FLOPs (Korthikanti et al. 2022), which trains
 * nothing, so the run's FLOPs stay the model's 6·N·D, the count MFU is
 * of: 10B parameters and 100B tokens are 6e21 with or without it, and a
 * given MFU of 0.4 takes the same GPU-hours, 6e21 / (989.4e12 · 0.4 ·
 * 3600) = 4,211 h. With mfu: auto the throughput model lays the run out
 * recomputing, a slower step: a lower MFU, more GPU-hours. (Until 2026-12
 * it counted 8e21, reading a given MFU as an HFU: a review.)
 */
START_TEST(recompute_keeps_the_model_flops)
{
    static const char *const yaml[4] = {
        "gpubudget: 1\nname: r\ntraining: [{name: t, params: 10B, tokens: "
        "100B, gpu: H100, gpus: 64, mfu: 0.4, price_per_gpu_hour: 2}]\n",
        "gpubudget: 1\nname: r\ntraining: [{name: t, params: 10B, tokens: "
        "100B, gpu: H100, gpus: 64, mfu: 0.4, price_per_gpu_hour: 2, "
        "recompute: true}]\n",
        "gpubudget: 1\nname: r\ntraining: [{name: t, params: 10B, tokens: "
        "100B, gpu: H100, gpus: 64, mfu: auto, price_per_gpu_hour: 2}]\n",
        "gpubudget: 1\nname: r\ntraining: [{name: t, params: 10B, tokens: "
        "100B, gpu: H100, gpus: 64, mfu: auto, price_per_gpu_hour: 2, "
        "recompute: true}]\n"};
    double auto_hours[2] = {0, 0};
    for (int k = 0; k < 4; k++) {
        gpb_scenario *s = test_load_yaml(yaml[k]);
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = 64;
        gpb_result *r = run_opts(s, &o);
        double want = 6.0 * 10e9 * 100e9;
        ck_assert_double_eq_tol(samples(r, "training.t.flops")[0], want,
                                1e-6 * want);
        double h;
        ck_assert_int_eq(gpb_result_mean(r, "training.t.gpu_hours", &h, NULL,
                                         NULL),
                         GPB_OK);
        if (k < 2)
            ck_assert_double_eq_tol(h, want / (989.4e12 * 0.4 * 3600),
                                    0.02 * h); /* failures add a little */
        else
            auto_hours[k - 2] = h;
        gpb_result_free(r);
        gpb_scenario_free(s);
    }
    ck_assert_msg(auto_hours[1] > 1.05 * auto_hours[0],
                  "recomputing: %g GPU-hours, not: %g", auto_hours[1],
                  auto_hours[0]);
}
END_TEST

/*
 * Order statistics above 65,536 paths come from a histogram select with
 * refinement (result.c); below, or for small whole numbers, from other
 * routes. Each must equal the sorted samples exactly: the metrics here
 * have point masses (no funding on 45% of paths: income.funding is 0 there;
 * a run's GPU-hours take a few values), values of both signs (cash.min)
 * and continuous spreads, and the ranks asked for include the ends and
 * every level's confidence-interval ranks. Exact: selection returns one
 * of the values, so == is the test.
 */
START_TEST(order_statistics_equal_the_sorted_samples)
{
    static const char *yaml =
        "gpubudget: 1\nname: os\nhorizon_months: 24\n"
        "company:\n  cash: \"$6M\"\n  funding: [{name: a, month: 6, "
        "probability: 0.55, amount: {lognormal90: [\"$5M\", \"$40M\"]}}]\n"
        "team: [{role: r, count: 30, salary_per_year: {lognormal90: "
        "[\"$150k\", \"$400k\"]}}]\n"
        "training: [{name: t, params: 7B, tokens: 2T, gpu: H100, gpus: "
        "256, mfu: {pert: [0.2, 0.35, 0.5]}, price_per_gpu_hour: "
        "{uniform: [1.5, 3]}, divergence: {probability_per_month: 0.2, "
        "work_lost: 0.5}}]\n";
    gpb_scenario *s = test_load_yaml(yaml);
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 70001;
    o.threads = 2;
    gpb_result *r = run_opts(s, &o);
    /* The last six are not stored: each is a function of another's
       value on every path (engine.h), found at that metric's ranks (the
       same ranks, or reversed for deficit.max, out_of_cash and finished).
       runway_months, finish_month, divergences and closed are stored in 2
       bytes (narrow: whole numbers from 0 to the horizon), their order
       statistics counted. */
    static const char *const names[] = {
        "income.funding", "cash.min", "spend.total", "training.t.gpu_hours",
        "runway_months", "training.t.finish_month", "training.t.divergences",
        "funding.a.closed", "out_of_cash", "deficit.max",
        "spend.monthly_mean", "card_months", "training.t.card_months",
        "training.t.finished"};
    static const char *const narrow[] = {
        "runway_months", "training.t.finish_month", "training.t.divergences",
        "funding.a.closed"};
    for (size_t k = 0; k < sizeof narrow / sizeof *narrow; k++) {
        size_t m;
        ck_assert_int_eq(gpb_result_metric_find(r, narrow[k], &m, NULL),
                         GPB_OK);
        expect(r->narrow[m] != NULL && r->values[m] == NULL,
               "%s is not stored narrow", narrow[k]);
    }
    size_t n = gpb_result_paths(r);
    double *sorted = malloc(n * sizeof *sorted);
    static const double lv[] = {0, 1e-5, 0.05, 0.25, 0.4, 0.5, 0.75, 0.95,
                                0.99999, 1};
    const size_t nl = sizeof lv / sizeof *lv;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        const double *v = samples(r, names[k]);
        memcpy(sorted, v, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_double);
        double q[16], lo[16], hi[16];
        ck_assert_int_eq(gpb_result_summary(r, names[k], nl, lv, 0.95, q, lo,
                                            hi, NULL),
                         GPB_OK);
        for (size_t i = 0; i < nl; i++) {
            double want = sorted_quantile(sorted, n, lv[i]);
            expect(q[i] == want, "%s P%g: %.17g, sorted %.17g", names[k],
                   100 * lv[i], q[i], want);
            /* The interval's ends are order statistics too. */
            int found_lo = 0, found_hi = 0;
            for (size_t j = 0; j < n && !(found_lo && found_hi); j++) {
                found_lo |= sorted[j] == lo[i];
                found_hi |= sorted[j] == hi[i];
            }
            expect(found_lo && found_hi && lo[i] <= q[i] && q[i] <= hi[i],
                   "%s P%g: interval [%g, %g]", names[k], 100 * lv[i],
                   lo[i], hi[i]);
        }
    }
    /* A point mass really is one here, and cash.min has both signs. */
    ck_assert(sorted[0] <= sorted[n - 1]);
    const double *f = samples(r, "income.funding");
    size_t zeros = 0;
    for (size_t i = 0; i < n; i++)
        zeros += f[i] == 0;
    ck_assert_uint_gt(zeros, n / 8);
    const double *cm = samples(r, "cash.min");
    int neg = 0, pos = 0;
    for (size_t i = 0; i < n; i++) {
        neg |= cm[i] < 0;
        pos |= cm[i] > 0;
    }
    ck_assert(neg && pos);
    free(sorted);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/*
 * A run's months are stored narrow (2 bytes) when it pays whole months
 * (bill_full_months: each month it works adds exactly 1), and as doubles
 * when its last month is paid pro rata (a share). Either way the
 * quantiles are the sorted values'.
 */
START_TEST(run_months_narrow_when_billed_whole)
{
    for (int full = 0; full < 2; full++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "gpubudget: 1\nname: months\nhorizon_months: 24\n"
                 "company: {cash: \"$50M\"}\n"
                 "training: [{name: t, params: 7B, tokens: 2T, gpu: H100, "
                 "gpus: 64, mfu: {uniform: [0.2, 0.5]}, "
                 "bill_full_months: %s}]\n",
                 full ? "true" : "false");
        gpb_scenario *s = test_load_yaml(yaml);
        gpb_result *r = test_run(s, 70001, 0, 2);
        size_t m;
        ck_assert_int_eq(
            gpb_result_metric_find(r, "training.t.months", &m, NULL), GPB_OK);
        expect((r->narrow[m] != NULL) == full,
               "bill_full_months %d: narrow %d", full, r->narrow[m] != NULL);
        size_t n = gpb_result_paths(r);
        const double *v = samples(r, "training.t.months");
        double *sorted = malloc(n * sizeof *sorted);
        int whole = 1;
        for (size_t i = 0; i < n; i++) {
            sorted[i] = v[i];
            whole &= v[i] == floor(v[i]);
        }
        if (full)
            expect(whole, "months billed whole are not whole");
        qsort(sorted, n, sizeof *sorted, cmp_double);
        static const double lv[] = {0, 0.05, 0.5, 0.95, 1};
        double q[5];
        ck_assert_int_eq(gpb_result_quantiles(r, "training.t.months", 5, lv,
                                              q, NULL),
                         GPB_OK);
        for (int i = 0; i < 5; i++)
            expect(q[i] == sorted_quantile(sorted, n, lv[i]),
                   "P%g: %g, sorted %g", 100 * lv[i], q[i],
                   sorted_quantile(sorted, n, lv[i]));
        if (!full) /* pro rata: some path ends within a month */
            expect(!whole, "pro-rata months all whole");
        free(sorted);
        gpb_result_free(r);
        gpb_scenario_free(s);
    }
}
END_TEST

/*
 * A range of both signs is bucketed by magnitude (result.c, hmap): 64
 * binades below the largest magnitude at 512 buckets each, everything
 * smaller in one middle bucket. Its edges, each a value the selection
 * must still find exactly: both zeros, subnormals, point masses of both
 * signs far below the 64 binades (one middle bucket, refined), magnitudes
 * near DBL_MAX, and a continuous spread of both signs. The values are
 * written into a run's cash.min column (and its cached extremes dropped),
 * then every level is compared with the sorted values.
 */
START_TEST(order_statistics_of_both_signs_by_magnitude)
{
    gpb_scenario *s = test_load_yaml(
        "gpubudget: 1\nname: mag\nhorizon_months: 6\ncompany: {cash: "
        "\"$1M\"}\nteam: [{role: r, count: 3, salary_per_year: "
        "{uniform: [\"$100k\", \"$200k\"]}}]\n");
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 70001;
    o.threads = 1;
    gpb_result *r = run_opts(s, &o);
    size_t m;
    ck_assert_int_eq(gpb_result_metric_find(r, "cash.min", &m, NULL), GPB_OK);
    ck_assert_ptr_nonnull(r->values[m]);
    size_t n = gpb_result_paths(r);
    ck_assert_uint_eq(gpb_result_kept_paths(r), n); /* the column holds n */
    double *v = r->values[m];
    static const double fixed[] = {0.0, -0.0, 4.9e-324, -4.9e-324,
                                   2.2e-310, -2.2e-310, 1e-200, -1e-200,
                                   1.7e308, -1.7e308, 1.0, -1.0};
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double u = (double)(x >> 11) * 0x1p-53;
        if (i % 3 == 0) /* a third: the twelve fixed values in turn,
                           each a point mass of 1/36 */
            v[i] = fixed[(i / 3) % 12];
        else if (i % 3 == 1) /* a continuous spread of both signs */
            v[i] = (u - 0.4) * 1e7;
        else /* tiny magnitudes of both signs: the middle bucket */
            v[i] = (u - 0.5) * 1e-250;
    }
    r->kext_ok = 0;
    double *sorted = malloc(n * sizeof *sorted);
    memcpy(sorted, v, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    enum { NL = 41 };
    double lv[NL], q[NL];
    for (int i = 0; i < NL; i++)
        lv[i] = i / (double)(NL - 1);
    ck_assert_int_eq(gpb_result_quantiles(r, "cash.min", NL, lv, q, NULL),
                     GPB_OK);
    for (int i = 0; i < NL; i++) {
        double want = sorted_quantile(sorted, n, lv[i]);
        expect(q[i] == want || (isnan(q[i]) && isnan(want)),
               "P%g: %.17g, sorted %.17g", 100 * lv[i], q[i], want);
    }
    free(sorted);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/*
 * When the first part keeps all of its paths but one run of both would
 * not (memory budget), the merge keeps what that run keeps: the first
 * paths up to the budget, and sketches of every path beyond.
 */
START_TEST(merge_keeps_what_one_run_keeps)
{
    check_halves(2);
}
END_TEST

/*
 * Past the memory budget a run keeps its first GPB_SIM_KEPT_PAST_BUDGET
 * (2^20) paths even when the budget holds more: its quantiles come from
 * sketches of every path either way. A budget of 2^20 + 512 paths and a
 * run of 2^20 + 2048: 2^20 kept. Its parts, 0 .. 1023 (kept whole) and
 * 1024 .. the end (past the budget itself), merged directly and as MPI
 * ranks send them (the second packed with gpb_result_pack_after), are
 * the same run bit for bit and keep the same paths.
 */
START_TEST(past_the_budget_a_run_keeps_its_first_2_20_paths)
{
    gpb_scenario *s = test_load_yaml(
        "gpubudget: 1\nname: past-budget\nhorizon_months: 3\n"
        "currency: USD\ncompany:\n  cash: \"$1M\"\nteam:\n"
        "  - role: staff\n    count: 2\n"
        "    salary_per_year: {uniform: [\"$100k\", \"$300k\"]}\n");
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.seed = 11;
    o.threads = 2;
    /* Bytes a kept path costs, an integer p: a budget of 10^6 bytes keeps
       floor(10^6 / p) paths, and p is the one integer that gives it. */
    o.paths = 1 << 17;
    o.memory_budget_bytes = 1000000;
    gpb_result *probe = run_opts(s, &o);
    size_t k0 = gpb_result_kept_paths(probe);
    gpb_result_free(probe);
    ck_assert(k0 > 0 && k0 < o.paths);
    size_t per = 1000000 / k0;
    ck_assert_uint_eq(1000000 / per, k0);
    const size_t K = GPB_SIM_KEPT_PAST_BUDGET, N = K + 2048;
    ck_assert_uint_eq(K, (size_t)1 << 20);
    o.memory_budget_bytes = per * (K + 512);
    o.paths = N;
    gpb_result *whole = run_opts(s, &o);
    expect(gpb_result_kept_paths(whole) == K,
           "kept %zu of %zu paths, the budget holding %zu",
           gpb_result_kept_paths(whole), N, K + 512);
    gpb_sim_options oa = o, ob = o;
    oa.paths = 2 * GPB_SIM_BLOCK_PATHS;
    ob.path_offset = 2 * GPB_SIM_BLOCK_PATHS;
    ob.paths = N - 2 * GPB_SIM_BLOCK_PATHS;
    gpb_result *a = run_opts(s, &oa), *b = run_opts(s, &ob), *m = NULL;
    ck_assert_uint_eq(gpb_result_kept_paths(a), 2 * GPB_SIM_BLOCK_PATHS);
    ck_assert_uint_eq(gpb_result_kept_paths(b), K);
    gpb_error e;
    expect(gpb_result_merge(a, b, &m, &e) == GPB_OK, "%s", e.message);
    assert_same_run(whole, m);
    gpb_result_free(m);
    /* As bytes: b packed for a merge after a's paths sends only the
       2^20 − 1024 paths the union keeps of it. */
    void *pa = NULL, *pb = NULL;
    size_t la = 0, lb = 0;
    gpb_result *ua = NULL, *ub = NULL;
    ck_assert_int_eq(gpb_result_pack(a, &pa, &la, &e), GPB_OK);
    ck_assert_int_eq(gpb_result_pack_after(b, gpb_result_paths(a), &pb,
                                           &lb, &e),
                     GPB_OK);
    ck_assert_int_eq(gpb_result_unpack(s, pa, la, &ua, &e), GPB_OK);
    ck_assert_int_eq(gpb_result_unpack(s, pb, lb, &ub, &e), GPB_OK);
    ck_assert_uint_eq(gpb_result_kept_paths(ub),
                      K - 2 * GPB_SIM_BLOCK_PATHS);
    expect(gpb_result_merge(ua, ub, &m, &e) == GPB_OK, "%s", e.message);
    assert_same_run(whole, m);
    gpb_result_free(m);
    gpb_result_free(ua);
    gpb_result_free(ub);
    gpb_free(pa);
    gpb_free(pb);
    gpb_result_free(a);
    gpb_result_free(b);
    gpb_result_free(whole);
    gpb_scenario_free(s);
}
END_TEST

/* ======================================================================== */
/* 6. One cash-flow model: the engine against rent-versus-buy                */
/* ======================================================================== */

/*
 * The comparison every case below starts from: 64 H100s for 24 months at
 * utilisation 0.75, $2 a GPU-hour on demand; cards at $25,000 with 30% for
 * servers and network, delivered 2 months after the purchase in month 0;
 * 700 W, server overhead 2, PUE 1.5, 10% idle draw, $0.10/kWh,
 * $150/kW-month, maintenance 12% of capex a year, 48-month straight line,
 * resale losing 30% a year; NPVs at 12% a year. The engine's defaults for
 * what a scenario cannot say (8 GPUs a node at no cost per node, straight
 * line without salvage, no resale floor) are rent-vs-buy's defaults.
 *
 * By hand, for the hand checks of the cases:
 *   capex        64 · 25,000 · (1 + 0.3) = $2,080,000, paid in month 0
 *   rent a month 64 · 730.5 · 0.75 · $2 = $70,128 (index 1)
 *   power        64 · 700 W · 2 · 1.5 · 730.5 h · (0.1 + 0.9 · 0.75)
 *                / 1000 = 76,088.88 kWh → $7,608.888 a month in service
 *   hosting      64 · 700 · 2 / 1000 kW · $150 = $13,440 a month
 *   maintenance  2,080,000 · 0.12 / 12 = $20,800 a month
 *   resale       cards 64 · 25,000 = $1.6M, sold at the close of month
 *                23 at age 24 − 2 = 22 months: 1.6M · 0.7^(22/12)
 */
static gpb_rent_vs_buy rvb_base(void)
{
    gpb_rent_vs_buy in;
    gpb_finance_rent_vs_buy_default(&in);
    in.gpus = 64;
    in.months = 24;
    in.util_frac = 0.75;
    in.rent_price_per_gpu_hour = 2.0;
    in.price_per_gpu = 25000;
    in.overhead_frac = 0.3;
    in.lead_time_months = 2;
    in.tdp_watts = 700;
    in.server_overhead = 2.0;
    in.pue = 1.5;
    in.idle_power_frac = 0.1;
    in.tariff_per_kwh = 0.10;
    in.colo_per_kw_month = 150;
    in.maintenance_frac_per_year = 0.12;
    in.depreciation_life_months = 48;
    in.resale_decline_frac_per_year = 0.3;
    in.discount_rate_per_year = 0.12;
    return in;
}

typedef enum { RVB_MIX, RVB_SPOT, RVB_RESERVE } rvb_acquire;

/* The comparison as a scenario: one fleet bought in month 0 and one
   capacity workload of G GPUs at u for T months that takes the fleet's
   cards and rents the rest (mix), or rents on spot or reserved terms;
   the rental price follows an index with drift ln(1 + g)/12 a month and
   no volatility, so it changes by g a year as rent-vs-buy's does. */
static void rvb_yaml(const gpb_rent_vs_buy *in, rvb_acquire acq, char *y,
                     size_t cap)
{
    size_t n = 0;
#define PUT(...) n += (size_t)snprintf(y + n, cap - n, __VA_ARGS__)
    PUT("gpubudget: 1\nname: rvb\ncurrency: USD\nhorizon_months: %.17g\n",
        in->months);
    PUT("company: {cash: 0, discount_rate_per_year: %.17g}\n",
        in->discount_rate_per_year);
    PUT("gpu_price_index: {drift_per_month: %.17g, "
        "volatility_per_month: 0}\n",
        log1p(in->rent_price_change_frac_per_year) / 12.0);
    PUT("fleets:\n  - name: own\n    gpu: H100\n    gpus: %.17g\n"
        "    price_per_gpu: %.17g\n    premium: %.17g\n"
        "    overhead: %.17g\n    buy_month: 0\n"
        "    lead_time_months: %.17g\n    tdp_watts: %.17g\n"
        "    server_power_overhead: %.17g\n    pue: %.17g\n"
        "    idle_power_fraction: %.17g\n"
        "    tariff_per_kwh: \"$%.17g/kWh\"\n"
        "    colo_per_kw_month: %.17g\n    maintenance_per_year: %.17g\n"
        "    depreciation_months: %.17g\n"
        "    resale_decline_per_year: %.17g\n",
        in->gpus, in->price_per_gpu, in->premium, in->overhead_frac,
        in->lead_time_months, in->tdp_watts, in->server_overhead, in->pue,
        in->idle_power_frac, in->tariff_per_kwh, in->colo_per_kw_month,
        in->maintenance_frac_per_year, in->depreciation_life_months,
        in->resale_decline_frac_per_year);
    if (in->rent_out_price_per_gpu_hour > 0)
        PUT("    rent_out: {price_per_gpu_hour: %.17g, utilization: "
            "%.17g}\n",
            in->rent_out_price_per_gpu_hour, in->rent_out_util_frac);
    if (in->financing == GPB_FINANCING_LOAN)
        PUT("    financing: {loan: {fraction: %.17g, rate_per_year: %.17g, "
            "months: %.17g}}\n",
            in->loan_frac, in->loan_rate_per_year, in->loan_months);
    else if (in->financing == GPB_FINANCING_LEASE)
        PUT("    financing: {lease: {fraction_per_month: %.17g}}\n",
            in->lease_frac_per_month);
    PUT("capacity:\n  - name: work\n    gpu: H100\n    gpus: %.17g\n"
        "    utilization: %.17g\n    months: %.17g\n"
        "    price_per_gpu_hour: %.17g\n    follows_price_index: true\n",
        in->gpus, in->util_frac, in->months, in->rent_price_per_gpu_hour);
    if (acq == RVB_MIX)
        PUT("    acquire: mix\n    fleet: own\n");
    else if (acq == RVB_SPOT)
        PUT("    acquire: spot\n    spot: {discount: %.17g, "
            "preemption_loss: %.17g}\n",
            in->spot_discount_frac, in->spot_preemption_loss_frac);
    else
        PUT("    acquire: reserve\n    reserve: {commitment_months: %.17g, "
            "discount: %.17g}\n",
            in->reserved_commitment_months, in->reserved_discount_frac);
#undef PUT
    ck_assert_uint_lt(n, cap);
}

/* The scenario's one path (every input is fixed), month by month. */
static gpb_trace *rvb_trace(const gpb_rent_vs_buy *in, rvb_acquire acq,
                            int rent_instead)
{
    char y[4096];
    rvb_yaml(in, acq, y, sizeof y);
    gpb_scenario *s = test_load_yaml(y);
    ck_assert_uint_gt(gpb_scenario_input_count(s), 0);
    for (size_t i = 0; i < gpb_scenario_input_count(s); i++)
        expect(!gpb_scenario_input_is_uncertain(s, i), "%s varies",
               gpb_scenario_input_path(s, i));
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 1;
    o.rent_instead_of_buying = rent_instead;
    gpb_trace *t = NULL;
    gpb_error e;
    expect(gpb_sim_trace(s, &o, 0, &t, &e) == GPB_OK, "%s",
           e.message);
    gpb_scenario_free(s);
    return t;
}

static double trace_metric(const gpb_trace *t, const char *name)
{
    for (size_t i = 0; i < gpb_trace_metric_count(t); i++)
        if (!strcmp(gpb_trace_metric_name(t, i), name))
            return gpb_trace_metric_value(t, i);
    ck_abort_msg("no metric %s", name);
    return NAN;
}

#define CENT 0.01

/* Engine month k of the plan as written against rent-vs-buy's buy option:
   the purchase at point k (it is paid at the start of month k), every
   other flow at point k + 1 (the end of month k); rent-out and resale
   are negative costs there. */
static void rvb_check_buy(const gpb_rent_vs_buy *in, const gpb_trace *t,
                          const char *what)
{
    gpb_rent_vs_buy_flows f;
    gpb_rent_vs_buy_totals tot;
    gpb_error e;
    ck_assert(gpb_finance_rent_vs_buy_flows_alloc(in, &f, &e) == GPB_OK);
    expect(gpb_finance_rent_vs_buy_eval(in, &tot, &f, &e) == GPB_OK,
           "%s", e.message);
    const int T = (int)in->months, C = GPB_RVB_CATEGORY_COUNT;
    const double *bc = f.buy_by_category;
    ck_assert_int_eq(gpb_trace_months(t), T);
    for (int k = 0; k < T; k++) {
        const double *at = bc + (size_t)(k + 1) * C;
        double want[GPB_CAT_COUNT] = {0};
        want[GPB_CAT_HARDWARE] = bc[(size_t)k * C + GPB_RVB_HARDWARE];
        want[GPB_CAT_COMPUTE_RENT] = at[GPB_RVB_BRIDGE_RENT];
        want[GPB_CAT_FINANCING] = at[GPB_RVB_FINANCING];
        want[GPB_CAT_POWER] = at[GPB_RVB_POWER];
        want[GPB_CAT_HOSTING] = at[GPB_RVB_COLO];
        want[GPB_CAT_MAINTENANCE] = at[GPB_RVB_MAINTENANCE];
        want[GPB_CAT_RENT_OUT] = -at[GPB_RVB_RENT_OUT];
        want[GPB_CAT_RESALE] = -at[GPB_RVB_RESALE];
        for (int c = 0; c < GPB_CAT_COUNT; c++) {
            double got = gpb_trace_flow(t, k, (gpb_category)c);
            expect(fabs(got - want[c]) <= CENT,
                   "%s, buy, month %d, %s: engine %.6f, "
                   "rent-vs-buy %.6f",
                   what, k, gpb_category_key((gpb_category)c), got,
                   want[c]);
        }
    }
    double npv = trace_metric(t, "npv.cost");
    expect(fabs(npv - tot.buy_npv) <= CENT,
           "%s: npv.cost %.6f, rent-vs-buy buy_npv %.6f", what, npv,
           tot.buy_npv);
    gpb_finance_rent_vs_buy_flows_free(&f);
}

/* Engine month k of the plan that rents instead against rent-vs-buy's rent
   option at point k + 1; nothing else is booked. */
static void rvb_check_rent(const gpb_rent_vs_buy *in, const gpb_trace *t,
                           const char *what)
{
    gpb_rent_vs_buy_flows f;
    gpb_rent_vs_buy_totals tot;
    gpb_error e;
    ck_assert(gpb_finance_rent_vs_buy_flows_alloc(in, &f, &e) == GPB_OK);
    expect(gpb_finance_rent_vs_buy_eval(in, &tot, &f, &e) == GPB_OK,
           "%s", e.message);
    const int T = (int)in->months;
    ck_assert_int_eq(gpb_trace_months(t), T);
    ck_assert(f.rent_cash[0] == 0);
    for (int k = 0; k < T; k++)
        for (int c = 0; c < GPB_CAT_COUNT; c++) {
            double want = c == GPB_CAT_COMPUTE_RENT ? f.rent_cash[k + 1] : 0;
            double got = gpb_trace_flow(t, k, (gpb_category)c);
            expect(fabs(got - want) <= CENT,
                   "%s, rent, month %d, %s: engine %.6f, "
                   "rent-vs-buy %.6f",
                   what, k, gpb_category_key((gpb_category)c), got,
                   want);
        }
    double npv = trace_metric(t, "npv.cost");
    expect(fabs(npv - tot.rent_npv) <= CENT,
           "%s: npv.cost %.6f, rent-vs-buy rent_npv %.6f", what, npv,
           tot.rent_npv);
    gpb_finance_rent_vs_buy_flows_free(&f);
}

/* |got − want| within a cent. */
#define ck_assert_cents(got, want)                                          \
    do {                                                                    \
        double g_ = (got), w_ = (want);                                     \
        expect(fabs(g_ - w_) <= CENT, "%s = %.6f, want %.6f", #got, g_,     \
               w_);                                                         \
    } while (0)

START_TEST(rvb_on_demand_with_a_yearly_price_change)
{
    /* Prices up 10% a year, cash purchase. By hand: the rent of month 12
       (a year on) is $70,128 · 1.1 = $77,140.80; the buy plan pays
       $2,080,000 in month 0, rents the cards it waits for in months 0 and
       1 ($70,128 · 1.1^(1/12) in month 1), then runs its own: power
       $7,608.888, hosting $13,440, maintenance $20,800 a month; it sells
       the cards for 1.6M · 0.7^(22/12) at the close. */
    gpb_rent_vs_buy in = rvb_base();
    in.rent_price_change_frac_per_year = 0.10;
    gpb_trace *buy = rvb_trace(&in, RVB_MIX, 0);
    gpb_trace *rent = rvb_trace(&in, RVB_MIX, 1);
    rvb_check_buy(&in, buy, "on demand +10%/yr");
    rvb_check_rent(&in, rent, "on demand +10%/yr");
    ck_assert_cents(gpb_trace_flow(rent, 12, GPB_CAT_COMPUTE_RENT),
                    77140.80);
    ck_assert_cents(gpb_trace_flow(buy, 0, GPB_CAT_HARDWARE), 2080000);
    ck_assert_cents(gpb_trace_flow(buy, 1, GPB_CAT_COMPUTE_RENT),
                    70128 * pow(1.1, 1 / 12.0));
    ck_assert_cents(gpb_trace_flow(buy, 2, GPB_CAT_COMPUTE_RENT), 0);
    ck_assert_cents(gpb_trace_flow(buy, 5, GPB_CAT_POWER), 7608.888);
    ck_assert_cents(gpb_trace_flow(buy, 5, GPB_CAT_HOSTING), 13440);
    ck_assert_cents(gpb_trace_flow(buy, 5, GPB_CAT_MAINTENANCE), 20800);
    ck_assert_cents(gpb_trace_flow(buy, 23, GPB_CAT_RESALE),
                    1.6e6 * pow(0.7, 22 / 12.0));
    gpb_trace_free(buy);
    gpb_trace_free(rent);
}
END_TEST

START_TEST(rvb_spot)
{
    /* Spot at 60% off, 10% of the hours lost to preemption; prices flat.
       By hand, a month: 64 · 730.5 · 0.75 / 0.9 · $2 · 0.4 = $31,168.
       (The buy plan's bridge would be spot too in rent-vs-buy; a scenario
       workload that mixes a fleet rents on demand, so only the rent plan
       is compared.) */
    gpb_rent_vs_buy in = rvb_base();
    in.rent_mode = GPB_RENT_SPOT;
    in.spot_discount_frac = 0.6;
    in.spot_preemption_loss_frac = 0.1;
    gpb_trace *rent = rvb_trace(&in, RVB_SPOT, 1);
    rvb_check_rent(&in, rent, "spot");
    ck_assert_cents(gpb_trace_flow(rent, 3, GPB_CAT_COMPUTE_RENT), 31168);
    /* The scenario as written is the same plan: a spot workload takes no
       fleet's cards, but the fleet is still bought. */
    gpb_trace *as_written = rvb_trace(&in, RVB_SPOT, 0);
    for (int k = 0; k < 24; k++)
        expect(same_bits(gpb_trace_flow(as_written, k, GPB_CAT_COMPUTE_RENT),
                         gpb_trace_flow(rent, k, GPB_CAT_COMPUTE_RENT)),
               "month %d", k);
    ck_assert_cents(gpb_trace_flow(as_written, 0, GPB_CAT_HARDWARE),
                    2080000);
    gpb_trace_free(rent);
    gpb_trace_free(as_written);
}
END_TEST

START_TEST(rvb_reserved_commitments)
{
    /* Reserved for 12-month commitments at 40% off, prices up 5% a year,
       30 months: commitments begin in months 0, 12 and 24, each at the
       price of its first month, and the third's last 6 months (30 .. 35)
       are paid at the horizon. By hand: months 0-11 pay 64 · 730.5 · $2 ·
       0.6 = $56,102.40; months 12-23 $56,102.40 · 1.05 = $58,907.52;
       month 29 pays its own month and the 6 left, 7 · 56,102.40 · 1.05² =
       $432,970.272. The buy plan bridges the lead time on demand, as
       rent-vs-buy does when the rent option is reserved. */
    gpb_rent_vs_buy in = rvb_base();
    in.months = 30;
    in.rent_mode = GPB_RENT_RESERVED;
    in.reserved_discount_frac = 0.4;
    in.reserved_commitment_months = 12;
    in.rent_price_change_frac_per_year = 0.05;
    gpb_trace *rent = rvb_trace(&in, RVB_RESERVE, 1);
    gpb_trace *buy = rvb_trace(&in, RVB_MIX, 0);
    rvb_check_rent(&in, rent, "reserved");
    rvb_check_buy(&in, buy, "reserved");
    for (int k = 0; k < 12; k++)
        ck_assert_cents(gpb_trace_flow(rent, k, GPB_CAT_COMPUTE_RENT),
                        56102.40);
    for (int k = 12; k < 24; k++)
        ck_assert_cents(gpb_trace_flow(rent, k, GPB_CAT_COMPUTE_RENT),
                        58907.52);
    ck_assert_cents(gpb_trace_flow(rent, 29, GPB_CAT_COMPUTE_RENT),
                    432970.272);
    gpb_trace_free(rent);
    gpb_trace_free(buy);
}
END_TEST

START_TEST(rvb_lease)
{
    /* A lease at 3% of capex a month: nothing is paid for the cards in
       month 0; from delivery (month 2) $2,080,000 · 0.03 = $62,400 a
       month under financing; no resale (the lessor keeps the cards). */
    gpb_rent_vs_buy in = rvb_base();
    in.financing = GPB_FINANCING_LEASE;
    in.lease_frac_per_month = 0.03;
    gpb_trace *buy = rvb_trace(&in, RVB_MIX, 0);
    rvb_check_buy(&in, buy, "lease");
    ck_assert_cents(gpb_trace_flow(buy, 0, GPB_CAT_HARDWARE), 0);
    ck_assert_cents(gpb_trace_flow(buy, 1, GPB_CAT_FINANCING), 0);
    ck_assert_cents(gpb_trace_flow(buy, 2, GPB_CAT_FINANCING), 62400);
    ck_assert_cents(gpb_trace_flow(buy, 23, GPB_CAT_FINANCING), 62400);
    ck_assert_cents(gpb_trace_flow(buy, 23, GPB_CAT_RESALE), 0);
    gpb_trace_free(buy);
}
END_TEST

START_TEST(rvb_loan)
{
    /* 70% of capex borrowed at 12% a year over 36 months, longer than the
       24-month horizon. By hand: the down payment in month 0 is
       2,080,000 · 0.3 = $624,000; the principal P = $1,456,000 at r = 1%
       a month is repaid by A = P·r / (1 − 1.01^−36) = $48,360.5 a month
       from month 0; at the close of month 23 the 24th payment and the
       balance left, P·1.01^24 − A·(1.01^24 − 1)/r, are paid. */
    gpb_rent_vs_buy in = rvb_base();
    in.financing = GPB_FINANCING_LOAN;
    in.loan_frac = 0.7;
    in.loan_rate_per_year = 0.12;
    in.loan_months = 36;
    gpb_trace *buy = rvb_trace(&in, RVB_MIX, 0);
    rvb_check_buy(&in, buy, "loan");
    double P = 1456000, r = 0.01, A = P * r / (1 - pow(1 + r, -36));
    double left = P * pow(1 + r, 24) - A * (pow(1 + r, 24) - 1) / r;
    ck_assert_cents(gpb_trace_flow(buy, 0, GPB_CAT_HARDWARE), 624000);
    ck_assert_cents(gpb_trace_flow(buy, 0, GPB_CAT_FINANCING), A);
    ck_assert_cents(gpb_trace_flow(buy, 11, GPB_CAT_FINANCING), A);
    ck_assert_cents(gpb_trace_flow(buy, 23, GPB_CAT_FINANCING), A + left);
    gpb_trace_free(buy);
}
END_TEST

START_TEST(rvb_letting_idle_cards_out)
{
    /* Idle owned hours let at $1.5/h to half of them. By hand, a month in
       service: 64 · 730.5 · (1 − 0.75) · 0.5 = 5,844 hours let, $8,766;
       the cards then work 0.75 + 0.125 = 0.875 of the month, so power is
       98,179.2 kWh at full draw · (0.1 + 0.9 · 0.875) = 87,134.04 kWh,
       $8,713.404. */
    gpb_rent_vs_buy in = rvb_base();
    in.rent_out_price_per_gpu_hour = 1.5;
    in.rent_out_util_frac = 0.5;
    gpb_trace *buy = rvb_trace(&in, RVB_MIX, 0);
    gpb_trace *rent = rvb_trace(&in, RVB_MIX, 1);
    rvb_check_buy(&in, buy, "rent out");
    rvb_check_rent(&in, rent, "rent out");
    ck_assert_cents(gpb_trace_flow(buy, 1, GPB_CAT_RENT_OUT), 0);
    ck_assert_cents(gpb_trace_flow(buy, 5, GPB_CAT_RENT_OUT), 8766);
    ck_assert_cents(gpb_trace_flow(buy, 5, GPB_CAT_POWER), 8713.404);
    gpb_trace_free(buy);
    gpb_trace_free(rent);
}
END_TEST

START_TEST(rvb_npv_of_the_simplest_case)
{
    /* NPV by hand of a plan simple enough to sum: rent only, 24 months of
       $70,128 at 12% a year, each at the end of its month: 70,128 ·
       Σ_{t=1..24} 1.12^(−t/12). The engine's npv.cost and rent-vs-buy's
       rent_npv both give it to the cent. */
    gpb_rent_vs_buy in = rvb_base();
    gpb_trace *rent = rvb_trace(&in, RVB_MIX, 1);
    double npv = 0;
    for (int t = 1; t <= 24; t++)
        npv += 70128 * pow(1.12, -t / 12.0);
    ck_assert_cents(trace_metric(rent, "npv.cost"), npv);
    rvb_check_rent(&in, rent, "flat on demand");
    gpb_trace_free(rent);
    /* The two plans over many paths (every input fixed, so every path is
       the same): gpb_result_paired_diff of npv.cost is rent-vs-buy's
       buy_npv − rent_npv on every path, to the cent, with no spread. */
    gpb_rent_vs_buy_totals tot;
    ck_assert(gpb_finance_rent_vs_buy_eval(&in, &tot, NULL, NULL) == GPB_OK);
    char y[4096];
    rvb_yaml(&in, RVB_MIX, y, sizeof y);
    gpb_scenario *s = test_load_yaml(y);
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 600;
    o.threads = 2;
    gpb_result *buy = run_opts(s, &o);
    o.rent_instead_of_buying = 1;
    gpb_result *rr = run_opts(s, &o);
    gpb_paired_diff d;
    gpb_error e;
    expect(gpb_result_paired_diff(buy, rr, "npv.cost", &d, &e) == GPB_OK,
           "%s", e.message);
    ck_assert_uint_eq(d.paths, 600);
    ck_assert_cents(d.mean, tot.npv_buy_minus_rent);
    ck_assert_cents(d.p5, tot.npv_buy_minus_rent);
    ck_assert_cents(d.p95, tot.npv_buy_minus_rent);
    ck_assert(d.std_error == 0);
    ck_assert(d.p_a_lower == (tot.npv_buy_minus_rent < 0));
    ck_assert(d.p_a_higher == (tot.npv_buy_minus_rent > 0));
    gpb_result_free(buy);
    gpb_result_free(rr);
    gpb_scenario_free(s);
}
END_TEST

/* ======================================================================== */
/* 7. The runway is censored at the horizon                                  */
/* ======================================================================== */

START_TEST(runway_censored_when_no_path_runs_out)
{
    /* $100M against $1M a month for 24 months: no path runs out, so the
       survival to the last month is 1, every runway quantile is the
       horizon (read "≥ 24"), and the metric says where it is censored. */
    gpb_scenario *s = test_load_yaml(
        "gpubudget: 1\nname: rich\ncurrency: USD\nhorizon_months: 24\n"
        "company: {cash: \"$100M\"}\n"
        "other_costs: [{name: burn, per_month: {uniform: [\"$0.5M\", "
        "\"$1M\"]}}]\n");
    gpb_result *r = test_run(s, 1000, 3, 2);
    ck_assert(gpb_result_survival(r, 23) == 1.0);
    ck_assert(gpb_result_prob_out_of_cash_by(r, 23) == 0.0);
    for (int k = 0; k <= 4; k++)
        ck_assert(quant(r, "runway_months", k / 4.0) == 24);
    ck_assert(gpb_result_censored_at(r, "runway_months") == 24);
    ck_assert(isnan(gpb_result_censored_at(r, "spend.total")));
    ck_assert(mean_of(r, "runway_months", NULL) == 24);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

START_TEST(runway_claims_count_survivors_as_favourable)
{
    /*
     * Cash C uniform on [$12M, $36M], $1M a month for 24 months. Closing
     * cash of month m is C − (m + 1) ($M), so a path runs out in month
     * floor(C) when C < 24 and lasts the horizon when C ≥ 24: half of the
     * paths. A claim "runway is 24 months" is met by exactly those paths
     * (a censored runway is ≥ 24): p_favourable = 1/2, not the 1/4 that a
     * tie at 24 would give. A claim of 18 months: runway > 18 when C ≥ 19
     * (17/24 of the paths), a tie (counted half) when 18 ≤ C < 19 (1/24):
     * 17.5/24. Each within 4 binomial SE, √(p(1 − p)/n). The survival and
     * P(out of cash) by month are closed forms as well: P(out by month m)
     * = P(C < m + 1) = (m − 11)/24 for 12 ≤ m ≤ 23.
     */
    gpb_scenario *s = test_load_yaml(
        "gpubudget: 1\nname: runway\ncurrency: USD\nhorizon_months: 24\n"
        "company: {cash: {uniform: [\"$12M\", \"$36M\"]}}\n"
        "other_costs: [{name: burn, per_month: \"$1M\"}]\n");
    const size_t n = 8000;
    gpb_result *r = test_run(s, n, 9, 2);
    static const double claims[2] = {24, 18};
    static const double want[2] = {0.5, 17.5 / 24};
    for (int k = 0; k < 2; k++) {
        gpb_quantity q = {claims[k], GPB_QTY_NUMBER, GPB_CURRENCY_NONE};
        gpb_claim_check c;
        gpb_error e;
        expect(gpb_claim_check_value(s, r, NULL, "runway_months", &q,
                                     &c, &e) == GPB_OK,
               "%s", e.message);
        double se = sqrt(want[k] * (1 - want[k]) / n);
        expect(fabs(c.p_favourable - want[k]) < 4 * se,
               "claim %g months: p_favourable %g, want %g (se %g)",
               claims[k], c.p_favourable, want[k], se);
    }
    for (int m = 12; m < 24; m++) {
        double p = (m - 11) / 24.0, se = sqrt(p * (1 - p) / n);
        expect(fabs(gpb_result_prob_out_of_cash_by(r, m) - p) <
                   4 * se,
               "month %d: %g vs %g", m,
               gpb_result_prob_out_of_cash_by(r, m), p);
    }
    ck_assert(gpb_result_prob_out_of_cash_by(r, 11) == 0);
    ck_assert(quant(r, "runway_months", 1.0) == 24);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* ======================================================================== */
/* 8. Arithmetic that overflows is an error that names its input             */
/* ======================================================================== */

typedef struct overflow_case {
    const char *yaml;
    const char *path;     /* err.path wanted */
    const char *names[2]; /* what the message must mention */
} overflow_case;

static const overflow_case overflows[3] = {
    {"gpubudget: 1\nname: o1\ntraining: [{name: r, params: 7B, tokens: 1T, "
     "gpu: H100, gpus: 512, price_per_gpu_hour: 1e304}]\n",
     "training[0].price_per_gpu_hour", {"training[0].price_per_gpu_hour",
                                        NULL}},
    {"gpubudget: 1\nname: o2\nother_costs: [{name: o, per_month: 1e307}]\n",
     "other_costs[0].per_month", {"other_costs[0].per_month", NULL}},
    /* $1e10 at ¥1e300 a dollar is not a double. The engine names the
       cash (err.path and line) and the rate it went through, with its
       value. */
    {"gpubudget: 1\nname: o3\ncurrency: CNY\n"
     "exchange_rates: {CNY_per_USD: 1e300}\ncompany: {cash: $1e10}\n",
     "company.cash", {"company.cash", "exchange_rates.CNY_per_USD = 1e+300"}},
};

START_TEST(overflow_is_an_error_naming_the_input)
{
    for (int k = 0; k < 3; k++) {
        const overflow_case *c = &overflows[k];
        gpb_scenario *s = test_load_yaml(c->yaml);
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = 100;
        o.threads = 2;
        gpb_result *r = NULL;
        gpb_error e;
        gpb_error_clear(&e);
        ck_assert_int_eq(gpb_sim_run(s, &o, &r, &e), GPB_ENUMERIC);
        ck_assert_ptr_null(r);
        ck_assert_int_eq(e.status, GPB_ENUMERIC);
        ck_assert_str_eq(e.path, c->path);
        ck_assert_int_gt(e.line, 0);
        for (int j = 0; j < 2 && c->names[j]; j++)
            expect(strstr(e.message, c->names[j]) != NULL,
                   "case %d: message \"%s\" does not mention %s", k,
                   e.message, c->names[j]);
        gpb_scenario_free(s);
    }
}
END_TEST

/*
 * Replaying alone a path on which gpb_sim_run fails with GPB_ENUMERIC
 * fails the same way, naming the same input: sim.h promises the statuses
 * of gpb_sim_run, and the trace's metrics are "that path's row of the
 * run", which has none.
 */
START_TEST(trace_of_an_overflowing_path_fails_as_the_run)
{
    for (int k = 0; k < 3; k++) {
        gpb_scenario *s = test_load_yaml(overflows[k].yaml);
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = 1;
        gpb_trace *t = NULL;
        gpb_error e;
        gpb_error_clear(&e);
        gpb_status st = gpb_sim_trace(s, &o, 0, &t, &e);
        if (st == GPB_OK)
            for (size_t i = 0; i < gpb_trace_metric_count(t); i++)
                if (!isfinite(gpb_trace_metric_value(t, i)))
                    fprintf(stderr, "case %d: trace OK with %s = %g\n", k,
                            gpb_trace_metric_name(t, i),
                            gpb_trace_metric_value(t, i));
        gpb_trace_free(t);
        gpb_scenario_free(s);
        expect(st == GPB_ENUMERIC,
               "case %d: gpb_sim_trace returned %s on a path whose "
               "run fails with GPB_ENUMERIC",
               k, gpb_status_str(st));
        ck_assert_str_eq(e.path, overflows[k].path);
    }
}
END_TEST

START_TEST(overflow_in_cells_is_nan_with_an_error)
{
    /* The same scenarios through the spreadsheet functions: NaN and a
       last error (GPB_ENUMERIC, naming the input), never 0. */
    for (int k = 0; k < 3; k++) {
        char path[] = "/tmp/gpb-engine-XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        size_t len = strlen(overflows[k].yaml);
        ck_assert(write(fd, overflows[k].yaml, len) == (ssize_t)len);
        close(fd);
        static const char *const stats[] = {"mean", "p50", "max"};
        for (int j = 0; j < 3; j++) {
            double v = gpb_cells_scenario(path, "spend.total", stats[j], "",
                                          "100", "1");
            expect(isnan(v), "case %d %s: %g", k, stats[j], v);
            ck_assert_int_eq(gpb_cells_last_status(), GPB_ENUMERIC);
            const char *msg = gpb_cells_last_error();
            const char *want = overflows[k].names[0];
            expect(strstr(msg, want) != NULL,
                   "case %d: last error \"%s\" does not mention %s",
                   k, msg, want);
        }
        double v = gpb_cells_prob_out_of_cash(path, "0", "", "100", "1");
        ck_assert(isnan(v));
        ck_assert_int_eq(gpb_cells_last_status(), GPB_ENUMERIC);
        v = gpb_cells_raise(path, "", "", "", "100", "1");
        ck_assert(isnan(v));
        ck_assert_int_eq(gpb_cells_last_status(), GPB_ENUMERIC);
        unlink(path);
    }
    gpb_cells_cache_clear();
}
END_TEST

/* ======================================================================== */
/* main                                                                      */
/* ======================================================================== */

int main(void)
{
    Suite *s = suite_create("engine");
    TCase *ts = tcase_create("streams");
    tcase_set_timeout(ts, 300);
    tcase_add_test(ts, philox_known_answers);
    tcase_add_test(ts, philox_lanes_equal_the_scalar_reference);
    tcase_add_test(ts, lanes_where_lists_the_flagged_lanes);
    tcase_add_test(ts, box_muller_follows_its_formula);
    tcase_add_test(ts, qnorm_lanes_agree_with_gsl);
    tcase_add_test(ts, qtable_interpolates_within_its_curvature);
    tcase_add_test(ts, qtable_tail_nodes_come_exact_on_first_use);
    tcase_add_test(ts, binomial_thin_inverts_the_exact_cdf);
    tcase_add_test(ts, binomial_thin_over_lanes_is_the_scalar);
    tcase_add_test(ts, failure_table_is_the_poisson_cdf);
    suite_add_tcase(s, ts);
    TCase *tk = tcase_create("sketch");
    tcase_set_timeout(tk, 300);
    tcase_add_test(tk, sketch_ranks_within_the_stated_error);
    tcase_add_test(tk, sketch_merge_is_the_sketch_of_the_union);
    tcase_add_test(tk, sketch_count_le_counts_whole_buckets);
    tcase_add_test(tk, sketch_narrow_batches_count_as_wide_ones);
    tcase_add_test(tk, sketch_codes16_count_as_keys);
    tcase_add_test(tk, sketch_pool_pages_count_as_their_own);
    suite_add_tcase(s, tk);
    TCase *tr = tcase_create("registries");
    tcase_set_timeout(tr, 300);
    tcase_add_test(tr, categories_sum_to_the_totals_in_every_scenario);
    suite_add_tcase(s, tr);
    TCase *tt = tcase_create("trace-and-independence");
    tcase_set_timeout(tt, 300);
    tcase_add_test(tt, rich_scenario_is_not_trivial);
    tcase_add_test(tt, trace_replays_rows_of_the_result);
    tcase_add_test(tt, ledger_and_fan_agree_with_the_paths);
    tcase_add_test(tt, an_unrelated_cost_changes_no_other_draw);
    tcase_add_test(tt, a_fleet_sold_as_it_is_bought_pays_for_it);
    tcase_add_test(tt, whole_number_metrics_stay_whole_in_sketches);
    tcase_add_test(tt, a_divergence_loses_only_work_done);
    tcase_add_test(tt, a_run_of_whole_months_ends_on_time);
    tcase_add_test(tt, threads_do_not_change_the_result);
    tcase_add_test(tt, halves_merge_into_the_whole_run);
    tcase_add_test(tt,
        parts_sent_as_mpi_ranks_send_them_merge_into_the_whole_run);
    tcase_add_test(tt, merge_keeps_what_one_run_keeps);
    tcase_add_test(tt, past_the_budget_a_run_keeps_its_first_2_20_paths);
    tcase_add_test(tt, packed_results_read_back_the_same);
    tcase_add_test(tt, given_results_keep_the_derived_metrics);
    tcase_add_test(tt, a_run_alone_is_stored_once_with_its_totals);
    tcase_add_test(tt, a_run_without_its_fan_is_the_same_run);
    tcase_add_test(tt, kept_runs_give_the_report_quantiles_exactly);
    tcase_add_test(tt, a_band_that_misses_fails_its_check);
    tcase_add_test(tt, a_kept_run_can_be_cancelled);
    tcase_add_test(tt, inputs_kept_for_a_prefix_of_the_paths);
    tcase_add_test(tt, given_results_keep_their_paths);
    tcase_add_test(tt, recompute_keeps_the_model_flops);
    tcase_add_test(tt, order_statistics_equal_the_sorted_samples);
    tcase_add_test(tt, order_statistics_of_both_signs_by_magnitude);
    tcase_add_test(tt, run_months_narrow_when_billed_whole);
    tcase_add_test(tt, quasi_random_runs_split_and_replay_the_same);
    tcase_add_test(tt, renting_instead_shares_the_draws);
    suite_add_tcase(s, tt);
    TCase *tv = tcase_create("rent-vs-buy");
    tcase_set_timeout(tv, 300);
    tcase_add_test(tv, rvb_on_demand_with_a_yearly_price_change);
    tcase_add_test(tv, rvb_spot);
    tcase_add_test(tv, rvb_reserved_commitments);
    tcase_add_test(tv, rvb_lease);
    tcase_add_test(tv, rvb_loan);
    tcase_add_test(tv, rvb_letting_idle_cards_out);
    tcase_add_test(tv, rvb_npv_of_the_simplest_case);
    suite_add_tcase(s, tv);
    TCase *tw = tcase_create("runway");
    tcase_add_test(tw, runway_censored_when_no_path_runs_out);
    tcase_add_test(tw, runway_claims_count_survivors_as_favourable);
    suite_add_tcase(s, tw);
    TCase *to = tcase_create("overflow");
    tcase_set_timeout(to, 300);
    tcase_add_test(to, overflow_is_an_error_naming_the_input);
    tcase_add_test(to, overflow_in_cells_is_nan_with_an_error);
    tcase_add_test(to, trace_of_an_overflowing_path_fails_as_the_run);
    suite_add_tcase(s, to);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
