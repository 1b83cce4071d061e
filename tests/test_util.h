/*
 * Helpers shared by the Check suites that load scenarios from text and run
 * them. Header-only: each test program includes it once.
 */
#ifndef GPB_TEST_UTIL_H
#define GPB_TEST_UTIL_H

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gpubudget/gpubudget.h"

/* A scenario whose paths draw in every month (a price walk, a run's
   failures and divergence, users, a round that may close) and whose
   inputs are uncertain: for tests of reproducibility across threads. */
#define TEST_BUSY_YAML \
    "gpubudget: 1\nname: busy\ncurrency: USD\nhorizon_months: 36\n" \
    "company:\n  cash: \"$30M\"\n  funding:\n" \
    "    - {month: 10, amount: \"$10M to $40M\", probability: 0.5}\n" \
    "team:\n  - {role: eng, count: 10, add_per_month: 0.5,\n" \
    "     salary_per_year: \"$150k to $300k\", on_cost: 0.3}\n" \
    "gpu_price_index: {drift_per_month: -0.02, volatility_per_month: 0.05}\n" \
    "training:\n" \
    "  - name: pre\n    params: 30B\n    tokens: 1T\n    gpu: H100\n" \
    "    gpus: 256\n    start_month: 1\n    mfu: {pert: [0.3, 0.4, 0.5]}\n" \
    "    price_per_gpu_hour: \"$1.8/h to $3/h\"\n" \
    "    failures: {gpu_mtbf_hours: 50000, hours_lost_per_failure: 1}\n" \
    "    divergence: {probability_per_month: 0.1,\n" \
    "                 work_lost: {uniform: [0.1, 0.5]}}\n" \
    "serving:\n  start_month: 4\n  users: 5000\n" \
    "  growth_per_month: {normal: [0.1, 0.05]}\n  growth_volatility: 0.1\n" \
    "  cost_per_user_per_month: \"$0.5\"\n" \
    "revenue: {arpu_per_month: {uniform: [\"$2\", \"$6\"]}, " \
    "paying_fraction: 0.1}\n" \
    "correlations:\n" \
    "  - {between: [\"training[0].mfu\", \"training[0].price_per_gpu_hour\"]," \
    " rho: -0.5}\n"

/* Fails the test when a load did not succeed, printing every problem. */
static inline void test_loaded(gpb_status st, gpb_diagnostics *d,
                               const char *what)
{
    if (st) {
        for (size_t i = 0; i < gpb_diagnostics_count(d); i++) {
            char buf[1024];
            gpb_error_format(gpb_diagnostics_at(d, i), buf, sizeof buf);
            fprintf(stderr, "%s\n", buf);
        }
        gpb_diagnostics_free(d);
        ck_abort_msg("%s failed to load: %s", what, gpb_status_str(st));
    }
}

/* Loads a scenario from YAML text, failing the test (with every problem
   printed) when it does not load. */
static inline gpb_scenario *test_load_yaml(const char *yaml)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    test_loaded(gpb_scenario_load_string(yaml, strlen(yaml), "test.yaml", &s,
                                         &d),
                d, "scenario");
    return s;
}

/* As test_load_yaml, from a file. */
static inline gpb_scenario *test_load_file(const char *path)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    test_loaded(gpb_scenario_load_file(path, &s, &d), d, path);
    return s;
}

/* Runs s on `paths` paths and `threads` threads; seed 0 keeps the
   default seed. Fails the test when the run fails. */
static inline gpb_result *test_run(const gpb_scenario *s, size_t paths,
                                   uint64_t seed, int threads)
{
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = paths;
    if (seed)
        o.seed = seed;
    o.threads = threads;
    gpb_result *r = NULL;
    gpb_error e;
    gpb_status st = gpb_sim_run(s, &o, &r, &e);
    ck_assert_msg(st == GPB_OK, "sim failed: %s", e.message);
    return r;
}

/* |got - want| <= rel · |want|. */
#define ck_assert_rel(got, want, rel)                                       \
    do {                                                                    \
        double g_ = (got), w_ = (want), r_ = (rel);                         \
        ck_assert_msg(fabs(g_ - w_) <= r_ * fabs(w_),                       \
                      "%s = %.17g, want %.17g within %g relative", #got,    \
                      g_, w_, r_);                                          \
    } while (0)

/*
 * The call must fail with status st, and the message must name the
 * offending argument (the substring name).
 */
#define ck_assert_fail(call, st, name)                                      \
    do {                                                                    \
        gpb_error e_;                                                       \
        gpb_error_clear(&e_);                                               \
        gpb_error *err = &e_;                                               \
        gpb_status s_ = (call);                                             \
        ck_assert_msg(s_ == (st), "%s returned %d (%s), want %d", #call,    \
                      (int)s_, e_.message, (int)(st));                      \
        ck_assert_int_eq(e_.status, (st));                                  \
        ck_assert_msg(strstr(e_.message, (name)) != NULL,                   \
                      "message \"%s\" does not name \"%s\"", e_.message,    \
                      (name));                                              \
    } while (0)

#endif
