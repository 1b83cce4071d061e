/*
 * What the five fuzz harnesses share (docs/fuzzing.md).
 *
 * Each harness defines LLVMFuzzerTestOneInput and is linked two ways: with
 * libFuzzer (clang, -Dfuzz=true, ./setup.sh fuzz) to search for inputs, and
 * with replay_main.c (any compiler, every build) to run its property checks
 * over the seed corpora and the saved findings under tests/data/fuzz/.
 *
 * A harness checks properties, not just the absence of crashes. A property
 * that does not hold is reported by FUZZ_REQUIRE, which prints the property
 * and traps: libFuzzer saves the input as a crash, and the replay driver
 * names the input that broke it. Harnesses are test code: trapping is
 * their way of failing; the library itself never aborts.
 */
#ifndef GPB_FUZZ_COMMON_H
#define GPB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "gpubudget/gpubudget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Prints "property violated: <surface>: <message>" and traps. */
void fuzz_fail(const char *surface, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#define FUZZ_REQUIRE(surface, cond, ...)                                    \
    do {                                                                    \
        if (!(cond))                                                        \
            fuzz_fail(surface, __VA_ARGS__);                                \
    } while (0)

/*
 * A violation that matches a known library bug (tests/data/fuzz/known/,
 * docs/fuzzing.md). With GPB_FUZZ_STRICT set in the environment (the
 * expected-to-fail replay tests of the known fixtures) it fails as
 * fuzz_fail does; otherwise it returns and the harness skips the input,
 * so that fuzzing goes on past a bug already recorded. Remove the call
 * when the bug is fixed.
 */
void fuzz_known(const char *surface, const char *bug, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A new NUL-terminated copy of the input, cut at its first NUL byte (the
   APIs under test take C strings). Free with free(). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* 1 when s is a status of the GPB_STATUS_MAP list. */
int fuzz_status_known(gpb_status s);

/*
 * The loader's failure contract (scenario.h): a status other than GPB_OK
 * comes with a non-empty diagnostics list, every entry with a message, a
 * known status and line and column that are not negative.
 */
void fuzz_check_diagnostics(const char *surface, gpb_status st,
                            const gpb_diagnostics *d);

/*
 * Simulates a loaded scenario on 16 paths and one thread and checks the
 * result: gpb_sim_run returns GPB_OK, or a known status with a message;
 * on success no metric has a NaN mean or a NaN quantile (P0, P5, P50, P95,
 * P100), probabilities of running out of cash lie in [0, 1], and every
 * claim of the scenario either checks (p in [0, 1]) or fails with a
 * message. Frees what it made.
 */
void fuzz_check_simulation(const char *surface, const gpb_scenario *s);

#endif /* GPB_FUZZ_COMMON_H */
