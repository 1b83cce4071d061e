/*
 * Harness 5: overrides ("key.path=value" pairs, scenario.h) applied at
 * load on top of a small valid scenario that has every section.
 *
 * Input: the overrides string (cut at the first NUL byte), e.g.
 *   training[0].gpus=512; company.cash=$30M; training[sft].mfu={pert:
 *   [0.3, 0.4, 0.5]}
 * Properties:
 *   - gpb_scenario_load_string_with_overrides returns GPB_OK with a
 *     scenario, or GPB_ESYNTAX, GPB_ENOTFOUND, GPB_ELIMIT, GPB_ESCHEMA or
 *     GPB_ENOMEM with no scenario and diagnostics that each have a
 *     message;
 *   - loading is deterministic: the same overrides give the same status,
 *     the same number of problems and, when they load, the same inputs;
 *   - blank overrides are no overrides: the base scenario loads;
 *   - a single pair "P=N", P the key path of one of the scenario's inputs
 *     and N a plain decimal number, that loads, makes that input the
 *     constant N (the override changes the YAML before the schema reads
 *     it, and a bare number is stored as written);
 *   - an overridden scenario that loads simulates on 16 paths without NaN
 *     (fuzz_check_simulation).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define SURFACE "overrides"

static const char BASE[] =
    "gpubudget: 1\n"
    "name: fuzz overrides\n"
    "currency: USD\n"
    "horizon_months: 12\n"
    "exchange_rates: {CNY_per_USD: {uniform: [6.8, 7.3]}}\n"
    "sources: [{id: src-a, title: A}]\n"
    "claims:\n"
    "  - {id: c1, source: src-a, metric: training.pretrain.cost,\n"
    "     value: $2M}\n"
    "company:\n"
    "  cash: $20M\n"
    "  funding:\n"
    "    - {name: seed, month: 6, amount: $10M, probability: 0.6}\n"
    "gpu_price_index: {drift_per_month: -2%, volatility_per_month: 0.03}\n"
    "team:\n"
    "  - {role: researchers, count: 8, add_per_month: 1, max_count: 20,\n"
    "     salary_per_year: {lognormal90: [$150k, $400k]}, on_cost: 30%}\n"
    "fleets:\n"
    "  - {name: own, gpu: H100, gpus: 64, price_per_gpu: $25k,\n"
    "     buy_month: 0}\n"
    "training:\n"
    "  - name: pretrain\n"
    "    params: 7B\n"
    "    tokens: {uniform: [500B, 2T]}\n"
    "    gpu: H100\n"
    "    gpus: 256\n"
    "    mfu: {pert: [0.3, 0.4, 0.5]}\n"
    "    price_per_gpu_hour: $1.8 to $3.0\n"
    "    failures: {gpu_mtbf_hours: 50700, checkpoint_every_minutes: 60,\n"
    "               restart_minutes: 30}\n"
    "    divergence: {probability_per_run: 0.2, work_lost: {uniform: [0.1,\n"
    "                 0.5]}}\n"
    "  - {name: sft, params: 7B, tokens: 10B, gpu: H100, gpus: 64,\n"
    "     acquire: buy, fleet: own, start_month: 3}\n"
    "serving:\n"
    "  start_month: 4\n"
    "  users: 10000\n"
    "  growth_per_month: 0.1\n"
    "  cost_per_user_per_month: $0.5\n"
    "revenue: {arpu_per_month: $20, paying_fraction: 5%}\n"
    "other_costs:\n"
    "  - {name: office, per_month: $30k}\n"
    "correlations:\n"
    "  - between: [\"training[0].mfu\", \"training[0].price_per_gpu_hour\"]\n"
    "    rho: -0.3\n";

static gpb_status load(const char *overrides, gpb_scenario **s,
                       gpb_diagnostics **d)
{
    *s = NULL;
    *d = NULL;
    return gpb_scenario_load_string_with_overrides(
        BASE, sizeof BASE - 1, "<base>", overrides, s, d);
}

static int blank(const char *s) { return s[strspn(s, " \t\r\n")] == '\0'; }

/* "P=N" with one pair: copies the trimmed path into path and returns 1
   when N is a plain decimal number ("512", "0.25", "-3"). */
static int single_number_pair(const char *o, char *path, size_t n,
                              double *value)
{
    if (strchr(o, ';'))
        return 0;
    const char *eq = strchr(o, '=');
    if (!eq)
        return 0;
    const char *ps = o, *pe = eq;
    while (ps < pe && isspace((unsigned char)*ps))
        ps++;
    while (pe > ps && isspace((unsigned char)pe[-1]))
        pe--;
    if (pe == ps || (size_t)(pe - ps) >= n)
        return 0;
    memcpy(path, ps, (size_t)(pe - ps));
    path[pe - ps] = '\0';
    const char *v = eq + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    const char *q = v;
    if (*q == '-')
        q++;
    size_t digits = strspn(q, "0123456789");
    if (!digits)
        return 0;
    q += digits;
    if (*q == '.') {
        size_t frac = strspn(q + 1, "0123456789");
        if (!frac)
            return 0;
        q += 1 + frac;
    }
    if (q - v > 15 || !blank(q))
        return 0;
    *value = strtod(v, NULL);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *o = fuzz_cstr(data, size);
    gpb_scenario *s, *s2;
    gpb_diagnostics *d, *d2;
    gpb_status st = load(o, &s, &d);
    gpb_status st2 = load(o, &s2, &d2);
    FUZZ_REQUIRE(SURFACE, st == st2, "'%s': loaded twice, %s then %s", o,
                 gpb_status_str(st), gpb_status_str(st2));
    FUZZ_REQUIRE(SURFACE,
                 gpb_diagnostics_count(d) == gpb_diagnostics_count(d2),
                 "'%s': loaded twice, %zu then %zu problems", o,
                 gpb_diagnostics_count(d), gpb_diagnostics_count(d2));
    if (st != GPB_OK) {
        FUZZ_REQUIRE(SURFACE, s == NULL, "'%s': %s and a scenario", o,
                     gpb_status_str(st));
        FUZZ_REQUIRE(SURFACE, !blank(o),
                     "blank overrides '%s' fail: %s", o,
                     gpb_diagnostics_at(d, 0)
                         ? gpb_diagnostics_at(d, 0)->message
                         : gpb_status_str(st));
        FUZZ_REQUIRE(SURFACE,
                     st == GPB_ESYNTAX || st == GPB_ENOTFOUND ||
                         st == GPB_ELIMIT || st == GPB_ESCHEMA ||
                         st == GPB_ENOMEM,
                     "'%s': unexpected status %d (%s)", o, (int)st,
                     gpb_status_str(st));
        fuzz_check_diagnostics(SURFACE, st, d);
        gpb_diagnostics_free(d);
        gpb_diagnostics_free(d2);
        free(o);
        return 0;
    }
    FUZZ_REQUIRE(SURFACE, s && s2 && !d && !d2,
                 "'%s': GPB_OK without a scenario or with diagnostics", o);
    size_t n = gpb_scenario_input_count(s);
    FUZZ_REQUIRE(SURFACE, n == gpb_scenario_input_count(s2),
                 "'%s': loaded twice, %zu then %zu inputs", o, n,
                 gpb_scenario_input_count(s2));
    for (size_t i = 0; i < n; i++)
        FUZZ_REQUIRE(SURFACE,
                     !strcmp(gpb_scenario_input_path(s, i),
                             gpb_scenario_input_path(s2, i)),
                     "'%s': loaded twice, input %zu is %s then %s", o, i,
                     gpb_scenario_input_path(s, i),
                     gpb_scenario_input_path(s2, i));
    gpb_scenario_free(s2);

    char path[256];
    double v;
    if (single_number_pair(o, path, sizeof path, &v)) {
        long i = gpb_scenario_input_find(s, path);
        if (i >= 0) {
            const gpb_dist *dist = gpb_scenario_input_dist(s, (size_t)i);
            double got = gpb_dist_quantile(dist, 0.5);
            FUZZ_REQUIRE(SURFACE,
                         gpb_dist_is_fixed(dist) &&
                             fabs(got - v) <= 1e-12 * fabs(v),
                         "'%s': input %s is %s%.17g, not %.17g", o, path,
                         gpb_dist_is_fixed(dist) ? "" : "not fixed; median ",
                         got, v);
        }
    }
    fuzz_check_simulation(SURFACE, s);
    gpb_scenario_free(s);
    free(o);
    return 0;
}
