/*
 * Data work: the cost and calendar time of preparing a corpus before a
 * training run can start (gpubudget/finance.h, docs/model.md "Data work").
 *
 * Processing is priced by the hour: CPU core-hours and GPU-hours per 10⁹
 * units (tokens or documents) for each stage. Published figures for the
 * stages are in docs/model.md with their sources; the library ships no
 * default for them, so every figure a scenario uses is cited there.
 */
#include <math.h>
#include <stddef.h>

#include "gpubudget/finance.h"
#include "internal.h"

void gpb_finance_data_work_spec_default(gpb_data_work_spec *spec)
{
    if (!spec)
        return;
    *spec = (gpb_data_work_spec){0};
}

gpb_status gpb_data_work_compute(const gpb_data_work_spec *spec,
                                 gpb_data_work *out, gpb_error *err)
{
    if (!spec || !out)
        return gpb__fail(err, GPB_EINVAL, "spec and out must not be NULL");
    const struct {
        const char *name;
        double v;
    } f[] = {
        {"units", spec->units},
        {"cpu_hours_per_billion", spec->cpu_hours_per_billion},
        {"gpu_hours_per_billion", spec->gpu_hours_per_billion},
        {"cpu_price_per_hour", spec->cpu_price_per_hour},
        {"gpu_price_per_hour", spec->gpu_price_per_hour},
        {"cpus", spec->cpus},
        {"gpus", spec->gpus},
        {"licensing", spec->licensing},
        {"labels", spec->labels},
        {"price_per_label", spec->price_per_label},
        {"labels_per_annotator_per_day", spec->labels_per_annotator_per_day},
        {"annotators", spec->annotators},
        {"min_months", spec->min_months},
    };
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (!(f[i].v >= 0) || isinf(f[i].v))
            return gpb__fail(err, GPB_EINVAL,
                             "%s: expected a finite number >= 0, found %g",
                             f[i].name, f[i].v);
    gpb_data_work w = {0};
    double billions = spec->units / 1e9;
    w.cpu_hours = billions * spec->cpu_hours_per_billion;
    w.gpu_hours = billions * spec->gpu_hours_per_billion;
    w.processing_cost = w.cpu_hours * spec->cpu_price_per_hour +
                        w.gpu_hours * spec->gpu_price_per_hour;
    w.labels_cost = spec->labels * spec->price_per_label;
    w.licensing = spec->licensing;
    w.total_cost = w.processing_cost + w.labels_cost + w.licensing;
    /* The CPU stages (filtering, deduplication) and the GPU stage
       (classification) run one after the other: each needs the last's
       output. A resource of 0 is not a limit. */
    if (spec->cpus > 0)
        w.processing_months += w.cpu_hours / spec->cpus / GPB_HOURS_PER_MONTH;
    if (spec->gpus > 0)
        w.processing_months += w.gpu_hours / spec->gpus / GPB_HOURS_PER_MONTH;
    double rate = spec->annotators * spec->labels_per_annotator_per_day *
                  GPB_WORKDAYS_PER_MONTH;
    if (rate > 0)
        w.labelling_months = spec->labels / rate;
    w.months = fmax(spec->min_months,
                    fmax(w.processing_months, w.labelling_months));
    if (!isfinite(w.total_cost) || !isfinite(w.months))
        return gpb__fail(err, GPB_EINVAL,
                         "the data work's cost or time overflows: cost %g, "
                         "months %g",
                         w.total_cost, w.months);
    *out = w;
    return GPB_OK;
}

double gpb_data_work_month(const gpb_data_work *w, int k)
{
    if (!w || k < 0)
        return 0;
    /* Whole months of work: a fraction of a month is paid as one. */
    double n = fmax(1.0, ceil(w->months - 1e-9));
    double c = k == 0 ? w->licensing : 0.0;
    if (k < n)
        c += (w->processing_cost + w->labels_cost) / n;
    return c;
}
