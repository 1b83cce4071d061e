/*
 * Vector maths over arrays: glibc's libmvec. Not installed.
 *
 * glibc's <math.h> declares the SIMD variants of exp, log, sin and cos
 * (_ZGVdN4v_exp and the like) only under -ffast-math, which would also let
 * the compiler assume that no value is ever NaN or infinite — and the
 * engine checks exactly that. Declaring the functions `declare simd` here
 * gives loops under `#pragma omp simd` (with -fopenmp-simd and
 * -fno-math-errno, set for the library in lib/meson.build) the same vector
 * calls without fast-math: `objdump -d libgpubudget.so | grep _ZGV` lists
 * them. Each variant is elementwise, so a lane's value does not depend on
 * its neighbours or on where a loop starts; the kernels that call them
 * always run whole vectors (blocks are padded to GPB__LANE_PAD lanes), so
 * one path gets the same bits alone (a trace) as in any block.
 *
 * Elsewhere (not x86-64, or not GCC) nothing is declared and the loops
 * call the scalar functions.
 */
#ifndef GPB_VMATH_H
#define GPB_VMATH_H

#include <math.h>

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#pragma omp declare simd notinbranch
extern double exp(double);
#pragma omp declare simd notinbranch
extern double log(double);
#pragma omp declare simd notinbranch
extern double sin(double);
#pragma omp declare simd notinbranch
extern double cos(double);
#pragma omp declare simd notinbranch
extern float expf(float);
#pragma omp declare simd notinbranch
extern float logf(float);
#pragma omp declare simd notinbranch
extern float cosf(float);
#endif

/*
 * Kernels over arrays are compiled for the baseline and, on x86-64, for
 * AVX2 and AVX-512 as well (GCC's function multiversioning: the loader
 * picks the widest clone the CPU has, once per process). A machine always
 * runs the same clone, so its results are the same on any number of
 * threads; two machines with different vector units may differ in the
 * last bits of exp, log and cos.
 */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && \
    !defined(GPB_NO_CLONES)
#define GPB__VCLONES \
    __attribute__((target_clones("default", "arch=x86-64-v3", \
                                 "arch=x86-64-v4")))
#else
#define GPB__VCLONES
#endif

/* Lanes a block is padded to: a multiple of every vector width used. */
#define GPB__LANE_PAD 16

#endif /* GPB_VMATH_H */
