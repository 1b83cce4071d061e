/*
 * One path's story as a document: gpb_report_trace_json (report.h).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "report_doc.h"

gpb_status gpb_report_trace_json(const gpb_scenario *s, const gpb_trace *t,
                                 const gpb_sim_options *sim,
                                 const gpb_report_options *opt, char **out,
                                 gpb_error *err)
{
    if (out)
        *out = NULL;
    if (!s || !t || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    gpb_report_options o;
    gpb_report_options_default(&o);
    if (opt)
        o = *opt;
    gpb_currency from = gpb_trace_currency(t);
    gpb_currency cur = o.currency ? o.currency : from;
    double rate = o.rate;
    if (!(rate > 0))
        GPB__TRY(gpb_report_exchange_rate(s, from, cur, &rate, err));
    if (!isfinite(rate))
        return gpb__fail(err, GPB_EINVAL, "the exchange rate must be finite");

    int H = gpb_trace_months(t);
    size_t nr = gpb_trace_run_count(t);
    json_t *doc = json_object(), *in = json_object(), *mt = json_object(),
           *months = json_array();
    if (!doc || !in || !mt || !months)
        goto oom;
    json_object_set_new(doc, "scenario", json_string(gpb_scenario_name(s)));
    json_object_set_new(doc, "path", json_integer((json_int_t)gpb_trace_path(t)));
    if (sim) {
        json_object_set_new(doc, "seed", json_integer((json_int_t)sim->seed));
        json_object_set_new(doc, "paths",
                            json_integer((json_int_t)sim->paths));
        json_object_set_new(doc, "quasi_random",
                            json_boolean(sim->quasi_random));
    }
    json_object_set_new(doc, "currency", json_string(gpb_currency_code(cur)));
    json_object_set_new(doc, "horizon_months", json_integer(H));
    int oc = gpb_trace_out_of_cash_month(t);
    json_object_set_new(doc, "out_of_cash_month",
                        oc >= 0 ? json_integer(oc) : json_null());
    for (size_t k = 0; k < gpb_trace_input_count(t); k++)
        json_object_set_new(in, gpb_trace_input_path(t, k),
                            gpb__json_num(gpb_trace_input_value(t, k)));
    for (size_t i = 0; i < gpb_trace_metric_count(t); i++) {
        double f = gpb_trace_metric_unit_kind(t, i) == GPB_UNIT_MONEY ? rate
                                                                      : 1.0;
        json_object_set_new(mt, gpb_trace_metric_name(t, i),
                            gpb__json_num(gpb_trace_metric_value(t, i) * f));
    }
    for (int m = 0; m < H; m++) {
        json_t *mo = json_object(), *fl = json_object();
        if (!mo || !fl) {
            json_decref(mo);
            json_decref(fl);
            goto oom;
        }
        double spend = 0, income = 0;
        for (int c = 0; c < GPB_CAT_COUNT; c++) {
            double x = gpb_trace_flow(t, m, (gpb_category)c) * rate;
            json_object_set_new(fl, gpb_category_key((gpb_category)c),
                                gpb__json_num(x));
            if (gpb_category_flow((gpb_category)c) == GPB_FLOW_SPEND)
                spend += x;
            else
                income += x;
        }
        json_object_set_new(mo, "month", json_integer(m));
        json_object_set_new(mo, "flows", fl);
        json_object_set_new(mo, "spend", gpb__json_num(spend));
        json_object_set_new(mo, "income", gpb__json_num(income));
        json_object_set_new(mo, "cash",
                            gpb__json_num(gpb_trace_cash(t, m) * rate));
        if (nr) {
            json_t *pg = json_object();
            for (size_t k = 0; pg && k < nr; k++)
                json_object_set_new(
                    pg, gpb_scenario_training_name(s, k),
                    gpb__json_num(gpb_trace_progress(t, k, m)));
            json_object_set_new(mo, "progress", pg ? pg : json_null());
        }
        json_array_append_new(months, mo);
    }
    json_object_set_new(doc, "inputs", in);
    json_object_set_new(doc, "metrics", mt);
    json_object_set_new(doc, "months", months);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                     JSON_REAL_PRECISION(17));
    json_decref(doc);
    if (!text)
        return gpb__fail(err, GPB_ENOMEM, "out of memory writing JSON");
    *out = text;
    return GPB_OK;
oom:
    json_decref(doc);
    json_decref(in);
    json_decref(mt);
    json_decref(months);
    return gpb__fail(err, GPB_ENOMEM, "out of memory writing JSON");
}
