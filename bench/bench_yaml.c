/*
 * How long the scenario loader takes on hostile files: the generators of
 * tests/adversarial.h (which test_scenario checks for what they return),
 * each loaded a few times; the best wall time is printed with the load's
 * status. Any file the size limit admits should load, or be refused, in
 * well under a second, in the plain build and under the sanitizers
 * (docs/scenario.md, "Safety limits").
 *
 *   bench_yaml [REPEATS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adversarial.h"
#include "gpubudget/gpubudget.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Loads t `repeats` times (with overrides when ovr is not NULL) and
   prints the best time. */
static void bench(const char *name, adv_text t, const char *ovr,
                  int repeats)
{
    double best = 1e30;
    gpb_status st = GPB_OK;
    for (int r = 0; r < repeats; r++) {
        gpb_scenario *s = NULL;
        gpb_diagnostics *d = NULL;
        double t0 = now_s();
        st = gpb_scenario_load_string_with_overrides(t.text, t.len, name, ovr,
                                                     &s, &d);
        double dt = now_s() - t0;
        gpb_scenario_free(s);
        gpb_diagnostics_free(d);
        if (dt < best)
            best = dt;
    }
    printf("%-40s %8zu bytes  %8.1f ms  %s\n", name, t.len, 1e3 * best,
           gpb_status_str(st));
    adv_free(&t);
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 3;
    if (repeats < 1)
        repeats = 1;
    bench("49,990 anchors + aliases", adv_anchors(49990), NULL, repeats);
    bench("50,000 anchors + aliases (refused)", adv_anchors(50000), NULL,
          repeats);
    bench("95 keys of 160 B aliased 470 times", adv_long_keys(95, 160, 470),
          NULL, repeats);
    bench("95 keys of 40 kB aliased (refused)",
          adv_long_keys(95, 40000, 470), NULL, repeats);
    bench("alias chain, width 2, 14 levels", adv_alias_chain(14, 2), NULL,
          repeats);
    bench("alias chain, width 10, 4 levels", adv_alias_chain(4, 10), NULL,
          repeats);
    bench("49,000 keys at the top", adv_wide_map(49000, 1), NULL, repeats);
    bench("1 MiB text aliased 6 times", adv_long_scalar(1u << 20, 6), NULL,
          repeats);
    bench("1000 fleets, one 8 kB name", adv_same_names(1000, 8000), NULL,
          repeats);
    bench("1000 misspelt correlations", adv_correlations(1000, 1000, 1),
          NULL, repeats);
    bench("1000 chained correlations", adv_correlations(1000, 1000, 0),
          NULL, repeats);

    /* 64 overrides, each a billion-laughs flow value of 74,733 nodes. */
    static char ovr[16384];
    size_t used = 0;
    for (int i = 0; i < 64; i++)
        used += (size_t)snprintf(
            ovr + used, sizeof ovr - used,
            "x-b%d=[&a [l,l,l,l,l,l,l,l,l], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
            "&c [*b,*b,*b,*b,*b,*b,*b,*b,*b], "
            "&d [*c,*c,*c,*c,*c,*c,*c,*c,*c], "
            "&e [*d,*d,*d,*d,*d,*d,*d,*d,*d]];",
            i);
    adv_text doc = {0};
    adv_header(&doc);
    bench("64 alias-bomb overrides (refused)", doc, ovr, repeats);
    return 0;
}
