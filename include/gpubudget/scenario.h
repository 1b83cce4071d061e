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

/* A list of problems found while loading: an array of gpb_error records. */
typedef struct gpb_diagnostics gpb_diagnostics;

/* Number of problems in the list (0 for NULL). */
GPB_API size_t gpb_diagnostics_count(const gpb_diagnostics *d);

/* The i-th problem (borrowed; NULL when i is out of range). Problems are in
   the order of their position in the file. */
GPB_API const gpb_error *gpb_diagnostics_at(const gpb_diagnostics *d,
                                            size_t i);

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
 *          set to NULL on success
 *
 * Returns GPB_OK; GPB_EIO when the file cannot be read; GPB_ELIMIT when it is
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

/* Accessors. Strings are borrowed from the scenario. */
GPB_API const char *gpb_scenario_name(const gpb_scenario *s);
GPB_API const char *gpb_scenario_source(const gpb_scenario *s);
GPB_API gpb_currency gpb_scenario_currency(const gpb_scenario *s);
GPB_API int gpb_scenario_horizon_months(const gpb_scenario *s);

/* The scenario's numbers, each an input with its key path. */
GPB_API size_t gpb_scenario_input_count(const gpb_scenario *s);
GPB_API const char *gpb_scenario_input_path(const gpb_scenario *s, size_t i);
GPB_API const gpb_dist *gpb_scenario_input_dist(const gpb_scenario *s,
                                                size_t i);
/* 1 when the input is drawn per path and is not a constant. */
GPB_API int gpb_scenario_input_is_uncertain(const gpb_scenario *s, size_t i);
/* Index of the input with key path `path`, or -1. */
GPB_API long gpb_scenario_input_find(const gpb_scenario *s, const char *path);

/* Training runs, serving and claims. */
GPB_API size_t gpb_scenario_training_count(const gpb_scenario *s);
GPB_API const char *gpb_scenario_training_name(const gpb_scenario *s,
                                               size_t i);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_SCENARIO_H */
