/*
 * Harness 1: the scenario loader, then the simulator.
 *
 * Input: the bytes of a YAML scenario (gpb_scenario_load_string; the
 * length is passed, so the text need not end in NUL).
 * Properties:
 *   - loading returns GPB_OK with a scenario, or one of the statuses
 *     scenario.h lists with no scenario and a diagnostics list whose every
 *     entry has a message (fuzz_check_diagnostics);
 *   - a loaded scenario has a name, a currency and a horizon of 1 to 600
 *     months, and every input has a key path and a distribution;
 *   - a loaded scenario simulates on 16 paths and one thread without a NaN
 *     in any metric's mean or quantiles, or fails with a message
 *     (fuzz_check_simulation);
 *   - nothing leaks, overflows or invokes undefined behaviour (the
 *     sanitizers).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define SURFACE "scenario"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    /* A private copy of exactly `size` bytes, so that a read past the end
       is caught by AddressSanitizer in the replay driver too. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    gpb_status st =
        gpb_scenario_load_string(text, size, "<fuzz>", &s, &d);
    if (st != GPB_OK) {
        FUZZ_REQUIRE(SURFACE, s == NULL, "status %s and a scenario",
                     gpb_status_str(st));
        FUZZ_REQUIRE(SURFACE,
                     st == GPB_ESYNTAX || st == GPB_ESCHEMA ||
                         st == GPB_ELIMIT || st == GPB_ENOMEM,
                     "unexpected status %d (%s)", (int)st,
                     gpb_status_str(st));
        fuzz_check_diagnostics(SURFACE, st, d);
        /* A load fails only for an error; warnings never stop it. */
        FUZZ_REQUIRE(SURFACE,
                     gpb_diagnostics_count_severity(d, GPB_SEVERITY_ERROR) >
                         0,
                     "status %s with only warnings", gpb_status_str(st));
        gpb_diagnostics_free(d);
        free(text);
        return 0;
    }
    FUZZ_REQUIRE(SURFACE, s != NULL, "GPB_OK and no scenario");
    FUZZ_REQUIRE(SURFACE, d == NULL, "GPB_OK and a diagnostics list");
    /* The warnings of a scenario that loads: each a warning, in bounds. */
    const gpb_diagnostics *w = gpb_scenario_warnings(s);
    if (w) {
        size_t nw = gpb_diagnostics_count(w);
        fuzz_check_diagnostics(SURFACE, st, w);
        FUZZ_REQUIRE(SURFACE, nw <= 100, "%zu warnings kept", nw);
        FUZZ_REQUIRE(SURFACE,
                     gpb_diagnostics_count_severity(
                         w, GPB_SEVERITY_WARNING) == nw,
                     "an error among the warnings of a scenario that loads");
    }
    const char *name = gpb_scenario_name(s);
    FUZZ_REQUIRE(SURFACE, name != NULL, "a loaded scenario has no name");
    int h = gpb_scenario_horizon_months(s);
    FUZZ_REQUIRE(SURFACE, h >= 1 && h <= 600, "horizon %d months", h);
    gpb_currency cur = gpb_scenario_currency(s);
    FUZZ_REQUIRE(SURFACE, cur > GPB_CURRENCY_NONE && cur < GPB_CURRENCY_COUNT,
                 "report currency %d", (int)cur);
    size_t n = gpb_scenario_input_count(s);
    for (size_t i = 0; i < n; i++) {
        const char *path = gpb_scenario_input_path(s, i);
        FUZZ_REQUIRE(SURFACE, path && path[0], "input %zu has no path", i);
        FUZZ_REQUIRE(SURFACE, gpb_scenario_input_dist(s, i) != NULL,
                     "input %s has no distribution", path);
        long j = gpb_scenario_input_find(s, path);
        FUZZ_REQUIRE(SURFACE, j >= 0 && (size_t)j <= i,
                     "input %s (%zu) found at %ld", path, i, j);
    }
    fuzz_check_simulation(SURFACE, s);
    gpb_scenario_free(s);
    free(text);
    return 0;
}
