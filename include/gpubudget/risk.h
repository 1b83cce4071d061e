/*
 * gpubudget/risk.h: the risks of a training run — hardware failures, the
 * work they lose, checkpointing, and divergence that rolls a run back or
 * starts it over. Pure functions (expected values, for spreadsheets and
 * reports) and sampling functions (for the Monte Carlo engine).
 *
 * Sources: Young 1974 (CACM 17(9):530–531) and Daly 2006 (FGCS 22(3):
 * 303–312) for checkpoint intervals; Grattafiori et al. 2024 (Llama 3,
 * arXiv:2407.21783 §3.3.4) for failure rates of large clusters.
 */
#ifndef GPUBUDGET_RISK_H
#define GPUBUDGET_RISK_H

#include <gsl/gsl_rng.h>

#include "gpubudget/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Per-GPU mean time between failures implied by Llama 3 405B's pre-training:
 * 419 unexpected interruptions in 54 days on 16,384 H100s
 * (Grattafiori et al. 2024, arXiv:2407.21783, §3.3.4, Table 5), i.e.
 * 16,384 × 54 × 24 / 419 ≈ 50,700 GPU-hours per interruption (derived).
 */
#define GPB_RISK_LLAMA3_GPU_MTBF_HOURS (16384.0 * 54.0 * 24.0 / 419.0)

/*
 * Mean time between failures of a cluster of `gpus` GPUs that fail
 * independently, each with mean time between failures gpu_mtbf_hours:
 * M = gpu_mtbf_hours / gpus (a cluster of G GPUs fails G times as often).
 * Returns GPB_EINVAL when an argument is not finite and positive.
 */
GPB_API gpb_status gpb_risk_cluster_mtbf_hours(double gpu_mtbf_hours,
                                               double gpus, double *out,
                                               gpb_error *err);

/*
 * Expected number of failures of `gpus` GPUs running for `hours`:
 * G · T / MTBF. An infinite MTBF means no failures (0). Returns GPB_EINVAL
 * for a negative or non-finite G or T, or an MTBF that is not positive.
 */
GPB_API gpb_status gpb_risk_expected_failures(double gpus, double hours,
                                              double gpu_mtbf_hours,
                                              double *out, gpb_error *err);

/*
 * Cluster hours lost per failure: on average half a checkpoint interval of
 * recomputation plus the restart time, τ/2 + R (Young 1974). Both in hours,
 * both ≥ 0.
 */
GPB_API gpb_status gpb_risk_hours_lost_per_failure(
    double checkpoint_interval_hours, double restart_hours, double *out,
    gpb_error *err);

/*
 * Young's optimal checkpoint interval τ = √(2·δ·M) (Young 1974), with δ the
 * time to write one checkpoint and M the cluster's MTBF, both in hours.
 */
GPB_API gpb_status gpb_risk_young_interval_hours(double write_hours,
                                                 double cluster_mtbf_hours,
                                                 double *out, gpb_error *err);

/*
 * Daly's higher-order optimum (Daly 2006, eq. 37):
 * τ = √(2δM)·[1 + ⅓·√(δ/(2M)) + (1/9)·(δ/(2M))] − δ for δ < 2M, and τ = M
 * otherwise.
 */
GPB_API gpb_status gpb_risk_daly_interval_hours(double write_hours,
                                                double cluster_mtbf_hours,
                                                double *out, gpb_error *err);

/*
 * Expected goodput: the fraction of wall time spent on useful training,
 * to first order 1 − δ/τ − (τ/2 + R)/M (checkpoint writes, recomputation
 * after a failure, restarts), clamped to [0, 1].
 *
 *   interval_hours   checkpoint interval τ (> 0)
 *   write_hours      checkpoint write time δ (≥ 0)
 *   restart_hours    restart time R (≥ 0)
 *   cluster_mtbf_hours  M (> 0)
 */
GPB_API gpb_status gpb_risk_goodput_frac(double interval_hours,
                                         double write_hours,
                                         double restart_hours,
                                         double cluster_mtbf_hours,
                                         double *out, gpb_error *err);

/*
 * Useful cluster hours in a period of `hours` with `failures` failures that
 * each lose `hours_lost_per_failure`: max(0, hours − failures · lost).
 * This is the engine's per-month accounting; it never fails.
 */
GPB_API double gpb_risk_effective_hours(double hours, double failures,
                                        double hours_lost_per_failure);

/*
 * The per-month divergence probability equivalent to a probability p_run
 * over a run of `months` months: 1 − (1 − p_run)^(1/months), so that the
 * chance of at least one divergence over the run is p_run.
 */
GPB_API gpb_status gpb_risk_divergence_per_month(double p_run, double months,
                                                 double *out, gpb_error *err);

/*
 * Draws the number of failures of `gpus` GPUs over `hours` (Poisson with
 * mean G·T/MTBF). Arguments must be valid (as for
 * gpb_risk_expected_failures); an invalid one gives 0.
 */
GPB_API unsigned gpb_risk_sample_failures(gsl_rng *rng, double gpus,
                                          double hours,
                                          double gpu_mtbf_hours);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_RISK_H */
