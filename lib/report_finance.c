/*
 * The document of `gpubudget rent-vs-buy` (report.h): renting G cards
 * against buying them, month by month, from the finance layer; or, under
 * a scenario, the scenario as written against the same scenario renting
 * every card, from two engine runs on the same paths. Computed once here
 * for both the JSON and the command's text.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "report_doc.h"

/* Names the request field a failure is about (err->path). */
static gpb_status at(gpb_error *err, gpb_status st, const char *field)
{
    if (st != GPB_OK && err)
        gpb__strlcpy(err->path, field, sizeof err->path);
    return st;
}

void gpb_report_rent_vs_buy_request_default(
    gpb_report_rent_vs_buy_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    gpb_finance_rent_vs_buy_default(&req->finance);
    req->finance.gpus = req->finance.months = NAN;
    gpb_quantity none = {NAN, GPB_QTY_MONEY, GPB_CURRENCY_NONE};
    req->rent = req->price = req->tariff = req->colo = none;
    req->overhead_per_node = req->lease_payment = req->rent_out_price = none;
    req->rent.kind = req->rent_out_price.kind = GPB_QTY_MONEY_PER_HOUR;
    req->tariff.kind = GPB_QTY_MONEY_PER_KWH;
    req->overhead_frac = req->tdp_watts = NAN;
    req->discount_rate_per_year = NAN;
    gpb_sim_options_default(&req->sim);
}

void gpb_report_rent_vs_buy_free(gpb_report_rent_vs_buy *r)
{
    if (!r)
        return;
    gpb_finance_rent_vs_buy_flows_free(&r->flows);
    gpb_result_free(r->buy);
    gpb_result_free(r->rent);
    free(r->buy_month_mean);
    free(r->rent_month_mean);
    memset(r, 0, sizeof *r);
}

/*
 * A given amount in the report currency cur: one written without a
 * currency is taken to be in cur already. Sets *converted when it
 * converts.
 */
static gpb_status to_cur(const gpb_quantity *q, gpb_currency cur,
                         const gpb_fx *fx, double *out, int *converted,
                         const char *field, gpb_error *err)
{
    if (q->currency == GPB_CURRENCY_NONE || q->currency == cur) {
        *out = q->value;
        return GPB_OK;
    }
    GPB__TRY(at(err, gpb_units_fx_convert(fx, q->value, q->currency, cur,
                                          out, err),
                field));
    *converted = 1;
    return GPB_OK;
}

/* A US-dollar default in the report currency. */
static double usd_to(double usd, gpb_currency cur, const gpb_fx *fx)
{
    double v = usd;
    gpb_units_fx_convert(fx, usd, GPB_CURRENCY_USD, cur, &v, NULL);
    return v;
}

/* One break-even; "no root" (GPB_ENOTFOUND) is an outcome, not a
   failure. */
static gpb_status solve(const gpb_rent_vs_buy *in, int months, int settle,
                        gpb_breakeven *b, gpb_error *err)
{
    gpb_status st = months ? gpb_finance_breakeven_months(in, 0, settle, b,
                                                         err)
                           : gpb_finance_breakeven_util(in, b, err);
    if (st == GPB_ENOTFOUND)
        return GPB_OK;
    return at(err, st, months ? "breakeven_months" : "breakeven_util");
}

static gpb_status closed_form(const gpb_report_rent_vs_buy_request *req,
                              gpb_report_rent_vs_buy *r, gpb_error *err)
{
    if (!req->gpu)
        return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, "gpu",
                            "name a GPU of the catalog");
    const gpb_gpu *gpu;
    GPB__TRY(at(err, gpb_hardware_gpu_find(req->gpu, &gpu, err), "gpu"));
    /* Cards and nodes are whole (a fraction was printed rounded while
       the figures used it). */
    GPB__TRY(gpb__need_whole(err, req->finance.gpus, 1, GPB__GPUS_MAX,
                             "gpus"));
    GPB__TRY(gpb__need_whole(err, req->finance.gpus_per_node, 1,
                             GPB__GPUS_MAX, "gpus_per_node"));
    r->gpu = gpu;
    gpb_rent_vs_buy *in = &r->inputs;
    *in = req->finance;

    /* One report currency: the first amount given with a currency, else
       US dollars (the catalog's and the defaults'). */
    const gpb_quantity *ms[] = {&req->rent, &req->price, &req->tariff,
                                &req->colo, &req->overhead_per_node,
                                &req->lease_payment, &req->rent_out_price};
    gpb_currency cur = GPB_CURRENCY_USD;
    for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++)
        if (!isnan(ms[k]->value) && ms[k]->currency != GPB_CURRENCY_NONE) {
            cur = ms[k]->currency;
            break;
        }
    r->currency = cur;
    gpb_fx *fx = &r->fx;
    *fx = gpb_units_fx_default();
    int *converted = &r->converted;
    r->rent_source = r->price_source = "given";
    double overhead = req->overhead_frac;

    if (!isnan(req->rent.value)) {
        GPB__TRY(to_cur(&req->rent, cur, fx, &in->rent_price_per_gpu_hour,
                        converted, "rent", err));
    } else if (gpu->rent_usd_per_hour > 0) {
        in->rent_price_per_gpu_hour = usd_to(gpu->rent_usd_per_hour, cur, fx);
        *converted |= cur != GPB_CURRENCY_USD;
        r->rent_source = gpu->rent_source;
    } else {
        return gpb__fail_at(err, GPB_ENOTFOUND, "", 0, 0, "rent",
                            "the catalog has no rental price for %s (%s)",
                            gpu->name, gpu->rent_source);
    }
    if (!isnan(req->price.value)) {
        GPB__TRY(to_cur(&req->price, cur, fx, &in->price_per_gpu, converted,
                        "price", err));
    } else if (gpu->purchase_usd > 0) {
        in->price_per_gpu = usd_to(gpu->purchase_usd, cur, fx);
        *converted |= cur != GPB_CURRENCY_USD;
        r->price_source = gpu->purchase_source;
        /* The catalog's price is the card alone: its own server share
           goes with it (hardware.h, server_frac). */
        if (isnan(overhead))
            overhead = gpu->server_frac;
    } else {
        return gpb__fail_at(err, GPB_ENOTFOUND, "", 0, 0, "price",
                            "the catalog has no purchase price for %s (%s)",
                            gpu->name, gpu->purchase_source);
    }
    in->tariff_per_kwh = usd_to(in->tariff_per_kwh, cur, fx);
    in->colo_per_kw_month = usd_to(in->colo_per_kw_month, cur, fx);
    const struct {
        const gpb_quantity *q;
        double *dst;
        const char *field;
    } amounts[] = {
        {&req->tariff, &in->tariff_per_kwh, "tariff"},
        {&req->colo, &in->colo_per_kw_month, "colo"},
        {&req->overhead_per_node, &in->overhead_per_node,
         "overhead_per_node"},
        {&req->lease_payment, &in->lease_payment_per_month,
         "lease_payment"},
        {&req->rent_out_price, &in->rent_out_price_per_gpu_hour,
         "rent_out_price"},
    };
    for (size_t k = 0; k < sizeof amounts / sizeof amounts[0]; k++)
        if (!isnan(amounts[k].q->value))
            GPB__TRY(to_cur(amounts[k].q, cur, fx, amounts[k].dst, converted,
                            amounts[k].field, err));
    in->overhead_frac = isnan(overhead) ? GPB_FINANCE_OVERHEAD_FRAC_DEFAULT
                                        : overhead;
    in->tdp_watts = isnan(req->tdp_watts) ? gpu->tdp_watts : req->tdp_watts;
    if (!isnan(req->discount_rate_per_year))
        in->discount_rate_per_year = req->discount_rate_per_year;

    GPB__TRY(gpb_finance_rent_vs_buy_check(in, err));
    GPB__TRY(gpb_finance_rent_vs_buy_flows_alloc(in, &r->flows, err));
    GPB__TRY(gpb_finance_rent_vs_buy_eval(in, &r->totals, &r->flows, err));
    GPB__TRY(solve(in, 0, 0, &r->breakeven_util, err));
    GPB__TRY(solve(in, 1, 0, &r->breakeven_months, err));
    GPB__TRY(solve(in, 1, 1, &r->breakeven_months_settled, err));
    return GPB_OK;
}

/* What getting the compute costs in a month of a plan: rent, serving, and
   everything owning cards pays and earns. */
static const gpb_category compute_cats[] = {
    GPB_CAT_COMPUTE_RENT, GPB_CAT_SERVING, GPB_CAT_HARDWARE,
    GPB_CAT_FINANCING,    GPB_CAT_POWER,   GPB_CAT_HOSTING,
    GPB_CAT_MAINTENANCE,  GPB_CAT_RESALE,  GPB_CAT_RENT_OUT};

static double compute_month(const gpb_result *r, int m)
{
    double v = 0;
    for (size_t k = 0; k < sizeof compute_cats / sizeof *compute_cats; k++) {
        gpb_category c = compute_cats[k];
        double x = gpb_result_ledger_mean(r, m, c);
        v += gpb_category_flow(c) == GPB_FLOW_SPEND ? x : -x;
    }
    return v;
}

/* Mean GPU-hours of a plan's runs (gpu_hours) and capacity workloads
   (capacity.NAME.gpu_hours): the work it does. */
static double work_gpu_hours(const gpb_result *r)
{
    double sum = 0;
    for (size_t i = 0; i < gpb_result_metric_count(r); i++) {
        const char *n = gpb_result_metric_name(r, i);
        size_t len = strlen(n), tail = strlen(".gpu_hours");
        int cap = !strncmp(n, "capacity.", 9) && len > 9 + tail &&
                  !strcmp(n + len - tail, ".gpu_hours");
        double v;
        if ((cap || !strcmp(n, "gpu_hours")) &&
            gpb_result_mean(r, n, &v, NULL, NULL) == GPB_OK)
            sum += v;
    }
    return sum;
}

int gpb_report_rent_vs_buy_same_work(const gpb_report_rent_vs_buy *r)
{
    if (!r || !r->scenario_form)
        return 1;
    double a = r->buy_gpu_hours_mean, b = r->rent_gpu_hours_mean;
    return fabs(a - b) <= 0.01 * fmax(fabs(a), fabs(b));
}

static gpb_status scenario_form(const gpb_report_rent_vs_buy_request *req,
                                gpb_report_rent_vs_buy *r, gpb_error *err)
{
    const gpb_scenario *sc = req->scenario;
    r->scenario_form = 1;
    /* The rate: the request's, else the scenario's, else the finance
       layer's default. */
    double rate = req->discount_rate_per_year;
    if (isnan(rate))
        rate = gpb_scenario_discount_rate(sc);
    if (isnan(rate))
        rate = GPB_FINANCE_DISCOUNT_RATE_PER_YEAR_DEFAULT;
    r->discount_rate_per_year = rate;
    r->currency = gpb_scenario_currency(sc);
    gpb_sim_options so = req->sim;
    so.discount_rate_per_year = rate;
    so.ledger = 1; /* the table of months */
    so.rent_instead_of_buying = 0;
    GPB__TRY(gpb_sim_run(sc, &so, &r->buy, err));
    size_t hw;
    if (gpb_result_metric_find(r->buy, "spend.hardware", &hw, NULL) ||
        !gpb_result_metric_nonzero(r->buy, hw))
        return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, "scenario",
                            "%s buys no cards within its horizon: nothing "
                            "to compare with renting (add a fleet that a "
                            "run uses)",
                            req->scenario_name ? req->scenario_name
                                               : gpb_scenario_name(sc));
    so.rent_instead_of_buying = 1;
    GPB__TRY(gpb_sim_run(sc, &so, &r->rent, err));
    GPB__TRY(gpb_result_paired_diff(r->buy, r->rent, "npv.cost", &r->diff,
                                    err));
    const gpb_paired_diff *d = &r->diff;
    r->p_buy_cheaper_se =
        sqrt(d->p_a_lower * (1 - d->p_a_lower) / (double)d->paths);
    gpb_result_mean(r->buy, "npv.cost", &r->buy_npv_mean, NULL, NULL);
    gpb_result_mean(r->rent, "npv.cost", &r->rent_npv_mean, NULL, NULL);
    int H = gpb_result_horizon_months(r->buy);
    r->horizon_months = H;
    r->buy_month_mean = malloc((size_t)(H > 0 ? H : 1) * sizeof(double));
    r->rent_month_mean = malloc((size_t)(H > 0 ? H : 1) * sizeof(double));
    if (!r->buy_month_mean || !r->rent_month_mean)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (int m = 0; m < H; m++) {
        r->buy_month_mean[m] = compute_month(r->buy, m);
        r->rent_month_mean[m] = compute_month(r->rent, m);
    }
    r->buy_gpu_hours_mean = work_gpu_hours(r->buy);
    r->rent_gpu_hours_mean = work_gpu_hours(r->rent);
    return GPB_OK;
}

gpb_status gpb_report_rent_vs_buy_compute(
    const gpb_report_rent_vs_buy_request *req, gpb_report_rent_vs_buy *out,
    gpb_error *err)
{
    if (!req || !out)
        return gpb__fail(err, GPB_EINVAL, "req or out is NULL");
    memset(out, 0, sizeof *out);
    return req->scenario ? scenario_form(req, out, err)
                         : closed_form(req, out, err);
}

/* ---- the document -------------------------------------------------------- */

static json_t *breakeven_json(const gpb_breakeven *b, int months)
{
    json_t *o = json_object();
    json_object_set_new(o, "outcome",
                        json_string(gpb_finance_breakeven_outcome_str(
                            b->outcome, months)));
    json_object_set_new(o, "value", b->outcome == GPB_BREAKEVEN_FOUND
                                        ? json_real(b->value)
                                        : json_null());
    json_object_set_new(o, "buy_cheaper_above",
                        json_boolean(b->buy_cheaper_above));
    return o;
}

static json_t *found_or_null(const gpb_breakeven *b)
{
    return b->outcome == GPB_BREAKEVEN_FOUND ? json_real(b->value)
                                             : json_null();
}

static json_t *inputs_json(const gpb_report_rent_vs_buy *r)
{
    const gpb_rent_vs_buy *in = &r->inputs;
    json_t *i = json_object();
    json_object_set_new(i, "gpus", json_real(in->gpus));
    json_object_set_new(i, "months", json_real(in->months));
    json_object_set_new(i, "util_frac", json_real(in->util_frac));
    json_object_set_new(i, "rent_price_per_gpu_hour",
                        json_real(in->rent_price_per_gpu_hour));
    json_object_set_new(i, "rent_source", json_string(r->rent_source));
    json_object_set_new(i, "rent_mode",
                        json_string(gpb_finance_rent_mode_name(
                            in->rent_mode)));
    json_object_set_new(i, "price_per_gpu", json_real(in->price_per_gpu));
    json_object_set_new(i, "price_source", json_string(r->price_source));
    json_object_set_new(i, "premium", json_real(in->premium));
    json_object_set_new(i, "overhead_frac", json_real(in->overhead_frac));
    json_object_set_new(i, "lead_time_months",
                        json_real(in->lead_time_months));
    json_object_set_new(i, "tdp_watts", json_real(in->tdp_watts));
    json_object_set_new(i, "server_overhead",
                        json_real(in->server_overhead));
    json_object_set_new(i, "pue", json_real(in->pue));
    json_object_set_new(i, "idle_power_frac",
                        json_real(in->idle_power_frac));
    json_object_set_new(i, "tariff_per_kwh", json_real(in->tariff_per_kwh));
    json_object_set_new(i, "colo_per_kw_month",
                        json_real(in->colo_per_kw_month));
    json_object_set_new(i, "maintenance_frac_per_year",
                        json_real(in->maintenance_frac_per_year));
    json_object_set_new(i, "depreciation",
                        json_string(gpb_finance_depreciation_method_name(
                            in->depreciation_method)));
    json_object_set_new(i, "depreciation_life_months",
                        json_real(in->depreciation_life_months));
    json_object_set_new(i, "resale_decline_frac_per_year",
                        json_real(in->resale_decline_frac_per_year));
    json_object_set_new(i, "financing",
                        json_string(gpb_finance_financing_name(
                            in->financing)));
    json_object_set_new(i, "discount_rate_per_year",
                        json_real(in->discount_rate_per_year));
    return i;
}

static json_t *closed_json(const gpb_report_rent_vs_buy *r)
{
    const gpb_rent_vs_buy_totals *t = &r->totals;
    const gpb_rent_vs_buy_flows *f = &r->flows;
    json_t *o = json_object();
    json_object_set_new(o, "gpu", json_string(r->gpu->name));
    json_object_set_new(o, "currency",
                        json_string(gpb_currency_code(r->currency)));
    json_object_set_new(o, "inputs", inputs_json(r));
    json_object_set_new(o, "rent_cash_total", json_real(t->rent_cash));
    json_object_set_new(o, "buy_cash_total", json_real(t->buy_cash));
    json_object_set_new(o, "buy_accounting_total",
                        json_real(t->buy_accounting));
    json_object_set_new(o, "rent_npv", json_real(t->rent_npv));
    json_object_set_new(o, "buy_npv", json_real(t->buy_npv));
    json_object_set_new(o, "capex", json_real(t->capex));
    json_object_set_new(o, "power", json_real(t->power));
    json_object_set_new(o, "energy_kwh", json_real(t->energy_kwh));
    json_object_set_new(o, "colo", json_real(t->colo));
    json_object_set_new(o, "maintenance", json_real(t->maintenance));
    json_object_set_new(o, "bridge_rent", json_real(t->bridge_rent));
    json_object_set_new(o, "interest", json_real(t->interest));
    json_object_set_new(o, "lease_payments", json_real(t->lease_payments));
    json_object_set_new(o, "rent_out_income", json_real(t->rent_out_income));
    json_object_set_new(o, "resale_proceeds", json_real(t->resale_proceeds));
    json_object_set_new(o, "depreciation", json_real(t->depreciation));
    json_object_set_new(o, "loss_on_sale", json_real(t->loss_on_sale));
    json_object_set_new(o, "rent_gpu_hours_paid",
                        json_real(t->rent_gpu_hours_paid));
    json_object_set_new(o, "cheaper", json_string(t->npv_buy_minus_rent < 0
                                                      ? "buy"
                                                      : "rent"));
    json_object_set_new(o, "breakeven_utilization",
                        found_or_null(&r->breakeven_util));
    json_object_set_new(o, "breakeven_months",
                        found_or_null(&r->breakeven_months));
    json_object_set_new(o, "breakeven_months_settled",
                        found_or_null(&r->breakeven_months_settled));
    json_object_set_new(o, "breakeven_utilization_detail",
                        breakeven_json(&r->breakeven_util, 0));
    json_object_set_new(o, "breakeven_months_detail",
                        breakeven_json(&r->breakeven_months, 1));
    json_object_set_new(o, "breakeven_months_settled_detail",
                        breakeven_json(&r->breakeven_months_settled, 1));

    json_t *arr = json_array();
    for (size_t m = 0; m < f->n_points; m++) {
        json_t *row = json_object(), *c = json_object();
        json_object_set_new(row, "month", json_integer((json_int_t)m));
        json_object_set_new(row, "rent_cash", json_real(f->rent_cash[m]));
        json_object_set_new(row, "buy_cash", json_real(f->buy_cash[m]));
        json_object_set_new(row, "buy_accounting",
                            json_real(f->buy_accounting[m]));
        for (int k = 0; k < GPB_RVB_CATEGORY_COUNT; k++)
            json_object_set_new(
                c, gpb_finance_rvb_category_name((gpb_rvb_category)k),
                json_real(f->buy_by_category[m * GPB_RVB_CATEGORY_COUNT +
                                             (size_t)k]));
        json_object_set_new(row, "buy_by_category", c);
        json_array_append_new(arr, row);
    }
    json_object_set_new(o, "by_month", arr);
    return o;
}

static json_t *scenario_json(const gpb_report_rent_vs_buy *r,
                             const char *name)
{
    const gpb_paired_diff *d = &r->diff;
    json_t *o = json_object(), *u = json_object(), *months = json_array();
    json_object_set_new(o, "scenario", json_string(name));
    json_object_set_new(o, "currency",
                        json_string(gpb_currency_code(r->currency)));
    json_object_set_new(o, "paths", json_integer((json_int_t)d->paths));
    json_object_set_new(o, "seed",
                        json_integer((json_int_t)gpb_result_seed(r->buy)));
    json_object_set_new(o, "discount_rate_per_year",
                        json_real(r->discount_rate_per_year));
    json_object_set_new(u, "p_buy_cheaper", json_real(d->p_a_lower));
    json_object_set_new(u, "p_buy_cheaper_se",
                        json_real(r->p_buy_cheaper_se));
    json_object_set_new(u, "buy_npv_mean", json_real(r->buy_npv_mean));
    json_object_set_new(u, "rent_npv_mean", json_real(r->rent_npv_mean));
    json_object_set_new(u, "npv_buy_minus_rent_mean", json_real(d->mean));
    json_object_set_new(u, "npv_buy_minus_rent_se",
                        json_real(d->std_error));
    json_object_set_new(u, "npv_buy_minus_rent_p5", json_real(d->p5));
    json_object_set_new(u, "npv_buy_minus_rent_p50", json_real(d->p50));
    json_object_set_new(u, "npv_buy_minus_rent_p95", json_real(d->p95));
    json_object_set_new(u, "buy_gpu_hours_mean",
                        json_real(r->buy_gpu_hours_mean));
    json_object_set_new(u, "rent_gpu_hours_mean",
                        json_real(r->rent_gpu_hours_mean));
    json_object_set_new(u, "same_work",
                        json_boolean(gpb_report_rent_vs_buy_same_work(r)));
    json_object_set_new(o, "uncertain", u);
    for (int m = 0; m < r->horizon_months; m++) {
        json_t *row = json_object();
        json_object_set_new(row, "month", json_integer(m));
        json_object_set_new(row, "buy_mean", json_real(r->buy_month_mean[m]));
        json_object_set_new(row, "rent_mean",
                            json_real(r->rent_month_mean[m]));
        json_array_append_new(months, row);
    }
    json_object_set_new(o, "months", months);
    return o;
}

gpb_status gpb_report_rent_vs_buy_json(
    const gpb_report_rent_vs_buy_request *req, char **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    gpb_report_rent_vs_buy r;
    memset(&r, 0, sizeof r);
    gpb_status st = gpb_report_rent_vs_buy_compute(req, &r, err);
    if (st == GPB_OK) {
        const char *name = req->scenario_name
                               ? req->scenario_name
                               : r.scenario_form
                                     ? gpb_scenario_name(req->scenario)
                                     : "";
        json_t *doc = r.scenario_form ? scenario_json(&r, name)
                                      : closed_json(&r);
        st = gpb__report_json_dump(doc, out, err);
    }
    gpb_report_rent_vs_buy_free(&r);
    return st;
}
