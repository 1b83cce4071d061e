/*
 * Harness 4: the one-sentence pitch ("70B params, 2T tokens, 512 H100, 30
 * days, $2M"; claims.h, gpb_claim_pitch_*).
 *
 * Input: the pitch text (cut at the first NUL byte).
 * Properties:
 *   - gpb_claim_pitch_parse returns GPB_OK, or GPB_ESYNTAX, GPB_ERANGE,
 *     GPB_ENOTFOUND or GPB_ELIMIT with a message and a column of at
 *     least 1;
 *   - a parsed pitch has each part absent (NaN, NULL, kind GPB_QTY_COUNT)
 *     or well formed: parameters in (0, 10^15] and tokens in (0, 10^17]
 *     (a scenario's ranges), active parameters in [10^6, 10^15] (a
 *     million the floor of the words and the names) and at most the
 *     parameters when both are given, a whole GPU count from 1 to 10^7
 *     with a card, a finite duration that is not negative, a budget that
 *     is money, finite and not negative, a price that is money per hour,
 *     finite and above zero;
 *   - gpb_claim_pitch_implied succeeds exactly when parameters, tokens and
 *     GPUs are all given and the compute layer accepts them, or fails with
 *     a message; on success flops = 6 * N * tokens (N the active
 *     parameters when given, else the parameters), and the implied
 *     MFU is NaN exactly when no duration was given (and it succeeded);
 *   - gpb_claim_pitch_scenario, when it succeeds, writes a scenario that
 *     gpb_scenario_load_string accepts (the `check --claim` command loads
 *     it) and that simulates on 16 paths without NaN, its claims checked
 *     (fuzz_check_simulation).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define SURFACE "pitch"

static void check_failure(const char *text, const char *what, gpb_status st,
                          const gpb_error *e)
{
    FUZZ_REQUIRE(SURFACE, fuzz_status_known(st) && st != GPB_OK,
                 "'%s': %s returned status %d", text, what, (int)st);
    FUZZ_REQUIRE(SURFACE, e->message[0] != '\0',
                 "'%s': %s failed (%s) with no message", text, what,
                 gpb_status_str(st));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    gpb_pitch p;
    gpb_error e;
    memset(&e, 0, sizeof e);
    gpb_status st = gpb_claim_pitch_parse(text, &p, &e);
    if (st != GPB_OK) {
        FUZZ_REQUIRE(SURFACE,
                     st == GPB_ESYNTAX || st == GPB_ERANGE ||
                         st == GPB_ENOTFOUND || st == GPB_ELIMIT,
                     "'%s': unexpected status %d (%s)", text, (int)st,
                     gpb_status_str(st));
        check_failure(text, "gpb_claim_pitch_parse", st, &e);
        FUZZ_REQUIRE(SURFACE, e.column >= 1, "'%s': column %d: %s", text,
                     e.column, e.message);
        free(text);
        return 0;
    }
    FUZZ_REQUIRE(SURFACE,
                 isnan(p.params) || (p.params > 0 && p.params <= 1e15),
                 "'%s': params %g", text, p.params);
    FUZZ_REQUIRE(SURFACE,
                 isnan(p.tokens) || (p.tokens > 0 && p.tokens <= 1e17),
                 "'%s': tokens %g", text, p.tokens);
    FUZZ_REQUIRE(SURFACE,
                 isnan(p.active_params) ||
                     (p.active_params >= 1e6 && p.active_params <= 1e15 &&
                      !(p.active_params > p.params)),
                 "'%s': active params %g of %g", text, p.active_params,
                 p.params);
    FUZZ_REQUIRE(SURFACE, (p.gpu == NULL) == isnan(p.gpus),
                 "'%s': card %s with a count of %g", text,
                 p.gpu ? p.gpu->name : "(none)", p.gpus);
    FUZZ_REQUIRE(SURFACE,
                 isnan(p.gpus) ||
                     (p.gpus >= 1 && p.gpus <= 1e7 && p.gpus == floor(p.gpus)),
                 "'%s': %g GPUs", text, p.gpus);
    FUZZ_REQUIRE(SURFACE, isnan(p.hours) || (isfinite(p.hours) && p.hours >= 0),
                 "'%s': %g hours", text, p.hours);
    FUZZ_REQUIRE(SURFACE,
                 p.budget.kind == GPB_QTY_COUNT ||
                     (p.budget.kind == GPB_QTY_MONEY &&
                      isfinite(p.budget.value) && p.budget.value >= 0 &&
                      (unsigned)p.budget.currency < GPB_CURRENCY_COUNT),
                 "'%s': budget of kind %d, %g", text, (int)p.budget.kind,
                 p.budget.value);
    FUZZ_REQUIRE(SURFACE,
                 p.price.kind == GPB_QTY_COUNT ||
                     (p.price.kind == GPB_QTY_MONEY_PER_HOUR &&
                      isfinite(p.price.value) && p.price.value > 0 &&
                      (unsigned)p.price.currency < GPB_CURRENCY_COUNT),
                 "'%s': price of kind %d, %g", text, (int)p.price.kind,
                 p.price.value);

    int core = !isnan(p.params) && !isnan(p.tokens) && p.gpu;
    gpb_pitch_implied im;
    memset(&e, 0, sizeof e);
    st = gpb_claim_pitch_implied(&p, &im, &e);
    if (st != GPB_OK) {
        check_failure(text, "gpb_claim_pitch_implied", st, &e);
        FUZZ_REQUIRE(SURFACE, core || st == GPB_EINVAL,
                     "'%s': a pitch without parameters, tokens or GPUs "
                     "gives status %s", text, gpb_status_str(st));
        free(text);
        return 0;
    }
    FUZZ_REQUIRE(SURFACE, core,
                 "'%s': implied figures for a pitch without parameters, "
                 "tokens or GPUs", text);
    double n = isnan(p.active_params) ? p.params : p.active_params;
    double flops = 6 * n * p.tokens;
    FUZZ_REQUIRE(SURFACE,
                 fabs(im.flops - flops) <= 1e-15 * fabs(flops),
                 "'%s': flops %.17g, 6 N D = %.17g", text, im.flops, flops);
    FUZZ_REQUIRE(SURFACE, isnan(im.implied_mfu) == isnan(p.hours),
                 "'%s': implied MFU %g with %g hours", text, im.implied_mfu,
                 p.hours);

    char *yaml = NULL;
    memset(&e, 0, sizeof e);
    st = gpb_claim_pitch_scenario(&p, &yaml, &e);
    if (st != GPB_OK) {
        check_failure(text, "gpb_claim_pitch_scenario", st, &e);
        FUZZ_REQUIRE(SURFACE, yaml == NULL, "'%s': failed and wrote YAML",
                     text);
        free(text);
        return 0;
    }
    FUZZ_REQUIRE(SURFACE, yaml != NULL, "'%s': GPB_OK and no YAML", text);
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    st = gpb_scenario_load_string(yaml, strlen(yaml), "<pitch>", &s, &d);
    if (st != GPB_OK) {
        const gpb_error *first = gpb_diagnostics_at(d, 0);
        fuzz_fail(SURFACE,
                  "'%s': the pitch's scenario does not load (%s): %s%s%s\n%s",
                  text, gpb_status_str(st), first ? first->path : "",
                  first ? ": " : "", first ? first->message : "", yaml);
    }
    fuzz_check_simulation(SURFACE, s);
    gpb_scenario_free(s);
    gpb_free(yaml);
    free(text);
    return 0;
}
