/* Training-run risk: failures, checkpoints, divergence (gpubudget/risk.h). */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "gpubudget/risk.h"
#include "formula.h"
#include "internal.h"

static int positive(double x) { return isfinite(x) && x > 0; }
static int nonneg(double x) { return isfinite(x) && x >= 0; }

gpb_status gpb_risk_cluster_mtbf_hours(double gpu_mtbf_hours, double gpus,
                                       double *out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    if (!positive(gpu_mtbf_hours))
        return gpb__fail(err, GPB_EINVAL,
                         "gpu_mtbf_hours must be positive, got %g",
                         gpu_mtbf_hours);
    if (!positive(gpus))
        return gpb__fail(err, GPB_EINVAL, "gpus must be positive, got %g",
                         gpus);
    *out = gpu_mtbf_hours / gpus;
    return GPB_OK;
}

gpb_status gpb_risk_expected_failures(double gpus, double hours,
                                      double gpu_mtbf_hours, double *out,
                                      gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    if (!nonneg(gpus) || !nonneg(hours))
        return gpb__fail(err, GPB_EINVAL,
                         "gpus (%g) and hours (%g) must be finite and >= 0",
                         gpus, hours);
    if (!(gpu_mtbf_hours > 0))
        return gpb__fail(err, GPB_EINVAL,
                         "gpu_mtbf_hours must be positive, got %g",
                         gpu_mtbf_hours);
    /* An infinite MTBF is a zero failure rate (gpus · hours / ∞ = 0). */
    *out = gpb__expected_failures(gpus, hours, gpu_mtbf_hours);
    return GPB_OK;
}

gpb_status gpb_risk_hours_lost_per_failure(double checkpoint_interval_hours,
                                           double restart_hours, double *out,
                                           gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    if (!nonneg(checkpoint_interval_hours) || !nonneg(restart_hours))
        return gpb__fail(err, GPB_EINVAL,
                         "checkpoint interval (%g h) and restart time (%g h) "
                         "must be finite and >= 0",
                         checkpoint_interval_hours, restart_hours);
    *out = checkpoint_interval_hours / 2.0 + restart_hours;
    return GPB_OK;
}

static gpb_status check_interval_args(double write_hours, double mtbf,
                                      double *out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    if (!positive(write_hours))
        return gpb__fail(err, GPB_EINVAL,
                         "checkpoint write time must be positive, got %g h",
                         write_hours);
    if (!positive(mtbf))
        return gpb__fail(err, GPB_EINVAL,
                         "cluster MTBF must be positive, got %g h", mtbf);
    return GPB_OK;
}

gpb_status gpb_risk_young_interval_hours(double write_hours,
                                         double cluster_mtbf_hours,
                                         double *out, gpb_error *err)
{
    gpb_status st = check_interval_args(write_hours, cluster_mtbf_hours, out,
                                        err);
    if (st)
        return st;
    *out = sqrt(2.0 * write_hours * cluster_mtbf_hours);
    return GPB_OK;
}

gpb_status gpb_risk_daly_interval_hours(double write_hours,
                                        double cluster_mtbf_hours,
                                        double *out, gpb_error *err)
{
    gpb_status st = check_interval_args(write_hours, cluster_mtbf_hours, out,
                                        err);
    if (st)
        return st;
    double d = write_hours, m = cluster_mtbf_hours;
    if (d >= 2.0 * m) {
        *out = m;
        return GPB_OK;
    }
    double r = d / (2.0 * m);
    *out = sqrt(2.0 * d * m) * (1.0 + sqrt(r) / 3.0 + r / 9.0) - d;
    return GPB_OK;
}

gpb_status gpb_risk_goodput_frac(double interval_hours, double write_hours,
                                 double restart_hours,
                                 double cluster_mtbf_hours, double *out,
                                 gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    if (!positive(interval_hours) || !nonneg(write_hours) ||
        !nonneg(restart_hours) || !positive(cluster_mtbf_hours))
        return gpb__fail(err, GPB_EINVAL,
                         "goodput needs interval > 0, write >= 0, "
                         "restart >= 0 and MTBF > 0 (got %g, %g, %g, %g h)",
                         interval_hours, write_hours, restart_hours,
                         cluster_mtbf_hours);
    double waste = write_hours / interval_hours +
                   (interval_hours / 2.0 + restart_hours) / cluster_mtbf_hours;
    double g = 1.0 - waste;
    *out = g < 0 ? 0 : (g > 1 ? 1 : g);
    return GPB_OK;
}

double gpb_risk_effective_hours(double hours, double failures,
                                double hours_lost_per_failure)
{
    return gpb__effective_hours(hours, failures, hours_lost_per_failure);
}

gpb_status gpb_risk_divergence_per_month(double p_run, double months,
                                         double *out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    if (!(p_run >= 0 && p_run <= 1))
        return gpb__fail(err, GPB_EINVAL,
                         "probability per run must be in [0, 1], got %g",
                         p_run);
    if (!positive(months))
        return gpb__fail(err, GPB_EINVAL,
                         "run length must be positive, got %g months",
                         months);
    *out = p_run >= 1 ? 1.0 : -expm1(log1p(-p_run) / months);
    return GPB_OK;
}

unsigned gpb_risk_sample_failures(gsl_rng *rng, double gpus, double hours,
                                  double gpu_mtbf_hours)
{
    double mean;
    if (gpb_risk_expected_failures(gpus, hours, gpu_mtbf_hours, &mean, NULL))
        return 0;
    if (mean <= 0)
        return 0;
    return gsl_ran_poisson(rng, mean);
}
