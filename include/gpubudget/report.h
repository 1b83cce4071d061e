/*
 * gpubudget/report.h: a simulation's result as JSON or CSV text.
 *
 * The JSON is built with jansson; both writers return new text that the
 * caller frees with gpb_free().
 */
#ifndef GPUBUDGET_REPORT_H
#define GPUBUDGET_REPORT_H

#include "gpubudget/common.h"
#include "gpubudget/scenario.h"
#include "gpubudget/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The quantile levels every summary reports. */
#define GPB_REPORT_N_LEVELS 7
GPB_API extern const double gpb_report_levels[GPB_REPORT_N_LEVELS];

/*
 * The result as a JSON document (schema in docs/output.md):
 * {"gpubudget": version, "scenario": {...}, "paths": n, "seed": s,
 *  "metrics": {name: {"unit", "mean", "std_error", "p5", "p10", "p25",
 *  "p50", "p75", "p90", "p95"}}, "p_out_of_cash_by_month": [...],
 *  "fan": {"p5": [...], ...}, "raise_needed": {"p80", "p90", "p95"}}.
 *
 *   s      the scenario that was run (borrowed)
 *   r      its result (borrowed)
 *   out    receives new NUL-terminated text (free with gpb_free)
 *
 * Returns GPB_OK or GPB_ENOMEM.
 */
GPB_API gpb_status gpb_report_json(const gpb_scenario *s, const gpb_result *r,
                                   char **out, gpb_error *err);

/*
 * The summary as CSV: a header line, then one line per metric with its
 * unit, mean, standard error and the quantiles of gpb_report_levels.
 * Returns new text (free with gpb_free).
 */
GPB_API gpb_status gpb_report_csv(const gpb_result *r, char **out,
                                  gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_REPORT_H */
