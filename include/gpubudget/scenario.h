/*
 * gpubudget/scenario.h: scenarios, the YAML files that describe a company's
 * plan with uncertain inputs (schema version 1, docs/scenario.md).
 *
 * A loaded scenario is immutable and may be shared by threads. Loading
 * reports every problem it finds, not just the first, each with the file,
 * 1-based line and column, the key path ("training[0].mfu"), what was
 * expected and what was found.
 */
#ifndef GPUBUDGET_SCENARIO_H
#define GPUBUDGET_SCENARIO_H

#include <stddef.h>

#include "gpubudget/common.h"
#include "gpubudget/dist.h"
#include "gpubudget/units.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gpb_scenario gpb_scenario;

/*
 * A list of problems found while loading: an array of gpb_error records,
 * each with a severity.
 *
 * Errors stop the load: the file is not a scenario (malformed YAML, an
 * unknown key, a value of the wrong kind or out of its range).
 *
 * Warnings do not: the scenario is well formed, but its plan cannot work as
 * written, so its results would mislead (docs/scenario.md, "Problems and
 * how they are reported"): a training run that cannot finish within the
 * horizon on most paths, a funding round, team line, run, workload, cost,
 * fleet or serving plan that starts at or after the horizon, an end_month
 * that does not come after its start_month, a fleet sold before its cards
 * arrive, a fraction such as `on_cost: 5` that reads as a percentage
 * written without its sign. A warning's status is GPB_ERANGE (a value
 * outside what the plan can use); its source, line, column, path and
 * message are filled as an error's are (line and column 0 for a value set
 * by an override).
 */
typedef struct gpb_diagnostics gpb_diagnostics;

/* How serious a diagnostic is. */
typedef enum gpb_severity {
    GPB_SEVERITY_ERROR = 0,  /* the load fails */
    GPB_SEVERITY_WARNING = 1 /* the load succeeds; the plan is suspect */
} gpb_severity;

/* Number of problems in the list (0 for NULL). */
GPB_API size_t gpb_diagnostics_count(const gpb_diagnostics *d);

/* The i-th problem (borrowed; NULL when i is out of range). Problems are in
   the order of their position in the file. */
GPB_API const gpb_error *gpb_diagnostics_at(const gpb_diagnostics *d,
                                            size_t i);

/* The severity of the i-th problem; GPB_SEVERITY_ERROR when i is out of
   range (or d is NULL). */
GPB_API gpb_severity gpb_diagnostics_severity(const gpb_diagnostics *d,
                                              size_t i);

/* Number of problems of severity sev in the list (0 for NULL). */
GPB_API size_t gpb_diagnostics_count_severity(const gpb_diagnostics *d,
                                              gpb_severity sev);

/* Frees a diagnostics list. Accepts NULL. */
GPB_API void gpb_diagnostics_free(gpb_diagnostics *d);

/* Largest scenario file accepted, in bytes (a scenario is a page of text). */
#define GPB_SCENARIO_MAX_BYTES (4u << 20)

/*
 * Loads a scenario from a YAML file.
 *
 *   path   file to read
 *   out    receives a new scenario on success (free with gpb_scenario_free)
 *   diags  if not NULL, receives a new diagnostics list (free with
 *          gpb_diagnostics_free) whenever the status is not GPB_OK; it is
 *          set to NULL on success. The list holds every error, and the
 *          warnings found while reading the values (a fraction written as
 *          a percentage); the checks of the plan as a whole run only on a
 *          scenario that loads.
 *
 * Returns GPB_OK, also when there are warnings (gpb_scenario_warnings
 * lists them); GPB_EIO when the file cannot be read; GPB_ELIMIT when it is
 * larger than GPB_SCENARIO_MAX_BYTES or its aliases expand too far;
 * GPB_ESYNTAX for malformed YAML; GPB_ESCHEMA when the YAML is well formed
 * but does not describe a valid scenario; GPB_ENOMEM. *out is NULL on failure.
 */
GPB_API gpb_status gpb_scenario_load_file(const char *path,
                                          gpb_scenario **out,
                                          gpb_diagnostics **diags);

/*
 * As gpb_scenario_load_file, from len bytes of text. source_name is used in
 * messages ("<string>" when NULL).
 */
GPB_API gpb_status gpb_scenario_load_string(const char *text, size_t len,
                                            const char *source_name,
                                            gpb_scenario **out,
                                            gpb_diagnostics **diags);

/*
 * Loads the built-in default scenario: the 千卡/月 case of claims C1/C2
 * (a 10B-parameter model trained on 1000 rented A100s), the same text as
 * scenarios/qianka-month.yaml.
 */
GPB_API gpb_status gpb_scenario_load_default(gpb_scenario **out,
                                             gpb_diagnostics **diags);

/* The YAML text of the built-in default scenario (static). */
GPB_API const char *gpb_scenario_default_text(void);

/* Frees a scenario. Accepts NULL. */
GPB_API void gpb_scenario_free(gpb_scenario *s);

/*
 * The warnings of a loaded scenario, in file order (borrowed: valid while
 * s is; every entry has severity GPB_SEVERITY_WARNING). NULL when there
 * are none (and for NULL s); gpb_diagnostics_count(NULL) is 0. At most
 * 100 are kept: the last then says how many more there were.
 */
GPB_API const gpb_diagnostics *gpb_scenario_warnings(const gpb_scenario *s);

/* Accessors. Strings are borrowed from the scenario. */
GPB_API const char *gpb_scenario_name(const gpb_scenario *s);
GPB_API const char *gpb_scenario_source(const gpb_scenario *s);
GPB_API gpb_currency gpb_scenario_currency(const gpb_scenario *s);
GPB_API int gpb_scenario_horizon_months(const gpb_scenario *s);
/* company.discount_rate_per_year, or NaN when the scenario gives none. */
GPB_API double gpb_scenario_discount_rate(const gpb_scenario *s);

/* The scenario's numbers, each an input with its key path. */
GPB_API size_t gpb_scenario_input_count(const gpb_scenario *s);
GPB_API const char *gpb_scenario_input_path(const gpb_scenario *s, size_t i);
GPB_API const gpb_dist *gpb_scenario_input_dist(const gpb_scenario *s,
                                                size_t i);
/* The quantity the input's values are in: its kind (money, money per
   hour, a count, ...) and, for money, its currency (the file's own, which
   may differ from the report currency). GPB_QTY_NUMBER and
   GPB_CURRENCY_NONE out of range. */
GPB_API gpb_qty_kind gpb_scenario_input_kind(const gpb_scenario *s, size_t i);
GPB_API gpb_currency gpb_scenario_input_currency(const gpb_scenario *s,
                                                 size_t i);
/* 1 when the input is drawn per path and is not a constant. */
GPB_API int gpb_scenario_input_is_uncertain(const gpb_scenario *s, size_t i);
/* Index of the input with key path `path`, or -1. List items go by index
   ("training[0].gpus", as gpb_scenario_input_path writes them) or, as the
   overrides select them, by their name, id or role
   ("training[pretrain].gpus"). */
GPB_API long gpb_scenario_input_find(const gpb_scenario *s, const char *path);

/*
 * The key path `path` as the overrides (--set, gpb_scenario_load_*_with_
 * overrides) would resolve it in s, written with list indexes only: every
 * [name] selector becomes the index of the item whose name, id or role it
 * is ("training[pretrain].gpus" -> "training[0].gpus"), as
 * gpb_scenario_input_path writes paths. Any key, an input or not; a key
 * the scenario leaves out is kept as written unless a selector follows it.
 * Two spellings of one key resolve to the same text. Into out (n bytes,
 * NUL-terminated). err may be NULL. Returns GPB_OK; GPB_EINVAL (s, path
 * or out NULL, n 0, or a scenario that keeps no text of its own);
 * GPB_ESYNTAX for a malformed path; GPB_ENOTFOUND for a selector that
 * selects nothing; GPB_ELIMIT when out is too small; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_scenario_key_resolve(const gpb_scenario *s,
                                            const char *path, char *out,
                                            size_t n, gpb_error *err);

/*
 * The values a key accepts, as the loader checks them (docs/scenario.md):
 * from lo to hi in the input's own unit (gpb_scenario_input_kind), an end
 * excluded when lo_open / hi_open. whole: only whole numbers count, because
 * the loader refuses others (a run's gpus) or the engine rounds the value
 * to the nearest (a month number such as start_month, a number of months
 * such as lead_time_months). A key the loader reads without a range (or i
 * out of range) gives lo = −inf, hi = +inf and the rest 0. What a goal
 * seek or a sweep may try.
 */
typedef struct gpb_input_domain {
    double lo, hi;
    int lo_open, hi_open;
    int whole;
} gpb_input_domain;
GPB_API gpb_input_domain gpb_scenario_input_domain(const gpb_scenario *s,
                                                   size_t i);

/*
 * Reads text as one value of input i, as the loader reads that key
 * (docs/scenario.md), into the input's own unit: a duration for a key in
 * months is months ("1 year" = 12), a rate for a key per year is the
 * amount per year ("¥3万/月" = 360,000), a bare amount for a price per
 * GPU-hour is per hour. What the key refuses is refused as the loader
 * refuses it: another kind, a price per GPU for a wage, a rate per year
 * that names no GPU for a GPU's price. The key's range
 * (gpb_scenario_input_domain) is not checked. What a sweep's or a goal
 * seek's "LO..HI" is read with, so that its ends are in the key's unit.
 *
 *   s, i      the scenario (borrowed) and the input's index
 *   text      one quantity (not a distribution), NUL-terminated UTF-8
 *   value     receives the value in the input's unit
 *   currency  may be NULL; receives the money's currency, or
 *             GPB_CURRENCY_NONE when the text names none (the scenario's
 *             then applies) or the kind carries none
 *
 * Returns GPB_OK; GPB_EINVAL (s, text or value NULL, i out of range);
 * GPB_ENOTFOUND for an input that is no key's value as written (one the
 * loader works out, such as mfu: auto); GPB_ESCHEMA with the loader's
 * sentence ("expected a month number (0 = the first month), found an
 * amount of money '$5'"), err.path the input's path.
 */
GPB_API gpb_status gpb_scenario_input_read(const gpb_scenario *s, size_t i,
                                           const char *text, double *value,
                                           gpb_currency *currency,
                                           gpb_error *err);

/*
 * The label of input i for people, in the names the file uses (borrowed;
 * NULL when s is NULL or i out of range): "<who>: <what>", where <who> is
 * the list item the input belongs to by its `name` (a team line's `role`;
 * "funding <name>" for a round) or the section outside lists ("serving",
 * "exchange rate"; nothing for company), and <what> the rest of the key
 * path in words:
 *
 *   team[0].salary_per_year        "researcher: salary per year"
 *   training[1].failures.restart_minutes   "sft: restart time"
 *   company.funding[0].amount      "funding Series A: amount"
 *   company.funding[1].amount      "funding round_2: amount"  (no name)
 *   gpu_price_index.drift_per_month "GPU price index: drift per month"
 *   company.cash                   "cash"
 *
 * An item whose name is empty is named by its key path index
 * ("training[1]: MFU"); a funding round without a name has the name the
 * loader gives it ("round_2", its place, as in its metrics' labels).
 * Names keep their characters, CJK included; control characters become
 * spaces. Labels are unique within a scenario: when two inputs would share
 * one, both get their key path appended in parentheses. The key path
 * (gpb_scenario_input_path) stays the machine identifier; the label may
 * change between versions. docs/output.md, "Input labels", has the rules.
 */
GPB_API const char *gpb_scenario_input_label(const gpb_scenario *s,
                                             size_t i);

/* Training runs, serving and claims. */
GPB_API size_t gpb_scenario_training_count(const gpb_scenario *s);
GPB_API const char *gpb_scenario_training_name(const gpb_scenario *s,
                                               size_t i);

/*
 * Loads a scenario with overrides applied first, for "what if" runs (the
 * spreadsheet's GPB_SCENARIO, a CLI's --set). overrides is "path=value"
 * pairs separated by ';', e.g.
 *
 *   "training[0].gpus=512; company.cash=$30M; training[pretrain].mfu=
 *    {pert: [0.3, 0.4, 0.5]}"
 *
 * A path is keys separated by '.', each optionally followed by [i] (a
 * 0-based list index) or [name] (the list item whose name, id or role is
 * that). A value is a quantity as the file would write it ("512", "$30M",
 * "¥5万", "70B"), taken verbatim, or YAML flow when it starts with '{',
 * '[', '"' or '\'' (a distribution, a list, a quoted string). Missing
 * mapping keys on the way are added; list items are never added. White
 * space around paths, values and ';' is ignored; NULL or "" means none.
 *
 * The overrides change the YAML tree before the schema reads it, so every
 * check of the file applies to them: a bad value or an unknown key is a
 * GPB_ESCHEMA problem whose path is the override's (with line and column
 * 0, as it has no place in the file). Problems with the overrides
 * themselves come back as one diagnostic naming the pair:
 *   GPB_ESYNTAX    no '=', an empty path, a malformed key or selector, a
 *                  flow value that is not YAML
 *   GPB_ENOTFOUND  an index past the end of a list, a name no item has, a
 *                  key or selector applied to a value of another kind
 *                  ("training[0].gpus.x": gpus is a single value)
 *   GPB_ELIMIT     more than 64 pairs or 16 KiB of overrides, or the
 *                  file and its overrides together passing the loader's
 *                  budget of YAML nodes and text (aliases expanded), which
 *                  one load shares (docs/scenario.md, "Safety limits")
 *   GPB_ESCHEMA    a tag problem in a flow value
 * Otherwise returns as gpb_scenario_load_file / gpb_scenario_load_string.
 */
GPB_API gpb_status gpb_scenario_load_file_with_overrides(
    const char *path, const char *overrides, gpb_scenario **out,
    gpb_diagnostics **diags);

/* As gpb_scenario_load_string, with overrides as above. */
GPB_API gpb_status gpb_scenario_load_string_with_overrides(
    const char *text, size_t len, const char *source_name,
    const char *overrides, gpb_scenario **out, gpb_diagnostics **diags);

/*
 * The YAML text the scenario was loaded from, byte for byte (borrowed,
 * NUL-terminated; the built-in text for gpb_scenario_load_default). *len
 * (may be NULL) receives its length in bytes. NULL (and *len 0) for a NULL
 * s. Reports embed it so the scenario that was run travels with them.
 */
GPB_API const char *gpb_scenario_text(const gpb_scenario *s, size_t *len);

/*
 * The overrides the scenario was loaded with, as given (borrowed), or
 * NULL when there were none: the text of gpb_scenario_text is then
 * exactly what ran; otherwise the overrides changed it as they describe.
 */
GPB_API const char *gpb_scenario_overrides(const gpb_scenario *s);

/* ---- sources and claims (read by gpubudget/claims.h) ------------------- */

/* The scenario's `description`, borrowed; NULL when absent (or s NULL). */
GPB_API const char *gpb_scenario_description(const gpb_scenario *s);

/*
 * One entry of `sources:`. Every string is borrowed from the scenario and
 * NULL when the key was absent (id never is).
 */
typedef struct gpb_source_info {
    const char *id, *title, *outlet, *date, *quote, *url;
} gpb_source_info;

/*
 * One entry of `claims:`. Strings are borrowed from the scenario; source
 * and says are NULL when absent. text is the value as written ("¥5000万")
 * and value its parse (gpb_units_parse: the currency as written, NONE for
 * a bare number); text is NULL, and value the number 0, for a context
 * claim written without a value. line and column (1-based) locate the
 * claim's mapping.
 *
 *   why           the scenario's reason for its reading of the claim and
 *                 for the verdict it keeps, with its sources (its `why:`
 *                 key; docs/claims.md prints it), or NULL
 *   context       why the claim is shown and not checked (its `context:`
 *                 key), or NULL for a claim that is checked
 *   from_claim    the key paths (borrowed array of borrowed strings) of
 *                 the inputs the scenario declares taken from the claim
 *                 itself (`from_claim:`), n_from_claim of them; NULL
 *                 when none. The loader has checked that each names an
 *                 input (gpb_scenario_input_find).
 */
typedef struct gpb_claim_info {
    const char *id, *source, *says, *metric, *text;
    gpb_quantity value;
    int line, column;
    const char *context;
    const char *why;
    const char *const *from_claim;
    size_t n_from_claim;
} gpb_claim_info;

/* Number of sources and of claims (0 for NULL). */
GPB_API size_t gpb_scenario_source_count(const gpb_scenario *s);
GPB_API size_t gpb_scenario_claim_count(const gpb_scenario *s);

/*
 * Fills *out with source i or claim i (in file order). Returns GPB_OK;
 * GPB_EINVAL for NULL s or out, or i out of range.
 */
GPB_API gpb_status gpb_scenario_source_get(const gpb_scenario *s, size_t i,
                                           gpb_source_info *out,
                                           gpb_error *err);
GPB_API gpb_status gpb_scenario_claim_get(const gpb_scenario *s, size_t i,
                                          gpb_claim_info *out,
                                          gpb_error *err);

/* Index of the source with this id, or -1. */
GPB_API long gpb_scenario_source_find(const gpb_scenario *s, const char *id);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_SCENARIO_H */
