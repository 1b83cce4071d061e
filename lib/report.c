/* JSON and CSV forms of a result (gpubudget/report.h). */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/report.h"
#include "internal.h"

const double gpb_report_levels[GPB_REPORT_N_LEVELS] = {0.05, 0.10, 0.25, 0.50,
                                                       0.75, 0.90, 0.95};
static const char *const level_keys[GPB_REPORT_N_LEVELS] = {
    "p5", "p10", "p25", "p50", "p75", "p90", "p95"};

/* Adds a number, or null when it is not finite (JSON has no NaN). */
static int set_num(json_t *obj, const char *key, double v)
{
    json_t *x = isfinite(v) ? json_real(v) : json_null();
    return json_object_set_new(obj, key, x);
}

static json_t *metric_json(const gpb_result *r, size_t i, gpb_error *err,
                           gpb_status *st)
{
    const char *name = gpb_result_metric_name(r, i);
    json_t *o = json_object();
    double mean = 0, se = 0;
    if (!o) {
        *st = GPB_ENOMEM;
        return NULL;
    }
    json_object_set_new(o, "unit", json_string(gpb_result_metric_unit(r, i)));
    if ((*st = gpb_result_mean(r, name, &mean, &se, err)))
        goto fail;
    set_num(o, "mean", mean);
    set_num(o, "std_error", se);
    for (int k = 0; k < GPB_REPORT_N_LEVELS; k++) {
        double q;
        if ((*st = gpb_result_quantile(r, name, gpb_report_levels[k], &q, err)))
            goto fail;
        set_num(o, level_keys[k], q);
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

gpb_status gpb_report_json(const gpb_scenario *s, const gpb_result *r,
                           char **out, gpb_error *err)
{
    if (!s || !r || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    *out = NULL;
    gpb_status st = GPB_OK;
    json_t *root = json_object();
    json_t *sc = json_object(), *metrics = json_object();
    json_t *pout = json_array(), *fan = json_object(), *raise = json_object();
    if (!root || !sc || !metrics || !pout || !fan || !raise) {
        json_decref(sc);
        json_decref(metrics);
        json_decref(pout);
        json_decref(fan);
        json_decref(raise);
        json_decref(root);
        return gpb__fail(err, GPB_ENOMEM, "out of memory building JSON");
    }
    json_object_set_new(root, "gpubudget", json_string(gpb_version()));
    json_object_set_new(sc, "name", json_string(gpb_scenario_name(s)));
    json_object_set_new(sc, "source", json_string(gpb_scenario_source(s)));
    json_object_set_new(
        sc, "currency",
        json_string(gpb_currency_code(gpb_result_currency(r))));
    json_object_set_new(sc, "horizon_months",
                        json_integer(gpb_result_horizon_months(r)));
    json_object_set_new(root, "scenario", sc);
    json_object_set_new(root, "paths",
                        json_integer((json_int_t)gpb_result_paths(r)));
    json_object_set_new(root, "seed",
                        json_integer((json_int_t)gpb_result_seed(r)));

    for (size_t i = 0; i < gpb_result_metric_count(r); i++) {
        json_t *m = metric_json(r, i, err, &st);
        if (!m)
            goto done;
        json_object_set_new(metrics, gpb_result_metric_name(r, i), m);
    }
    json_object_set_new(root, "metrics", metrics);
    metrics = NULL;

    int H = gpb_result_horizon_months(r);
    for (int m = 0; m < H; m++)
        json_array_append_new(pout,
                              json_real(gpb_result_prob_out_of_cash_by(r, m)));
    json_object_set_new(root, "p_out_of_cash_by_month", pout);
    pout = NULL;

    static const double fan_levels[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
    static const char *const fan_keys[5] = {"p5", "p25", "p50", "p75", "p95"};
    for (int k = 0; k < 5; k++) {
        json_t *arr = json_array();
        for (int m = 0; m < H; m++) {
            double q;
            if ((st = gpb_result_fan(r, m, fan_levels[k], &q, err))) {
                json_decref(arr);
                goto done;
            }
            json_array_append_new(arr, json_real(q));
        }
        json_object_set_new(fan, fan_keys[k], arr);
    }
    json_object_set_new(root, "fan", fan);
    fan = NULL;

    static const double conf[3] = {0.80, 0.90, 0.95};
    static const char *const conf_keys[3] = {"p80", "p90", "p95"};
    for (int k = 0; k < 3; k++) {
        double q;
        if ((st = gpb_result_raise_needed(r, conf[k], &q, err)))
            goto done;
        set_num(raise, conf_keys[k], q);
    }
    json_object_set_new(root, "raise_needed", raise);
    raise = NULL;

    *out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    if (!*out)
        st = gpb__fail(err, GPB_ENOMEM, "out of memory writing JSON");
done:
    json_decref(metrics);
    json_decref(pout);
    json_decref(fan);
    json_decref(raise);
    json_decref(root);
    return st;
}

/* A growable text buffer. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) GPB__PRINTF(2, 3);
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL,
                          b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

gpb_status gpb_report_csv(const gpb_result *r, char **out, gpb_error *err)
{
    if (!r || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    *out = NULL;
    sbuf b = {0};
    sb_printf(&b, "metric,unit,mean,std_error");
    for (int k = 0; k < GPB_REPORT_N_LEVELS; k++)
        sb_printf(&b, ",%s", level_keys[k]);
    sb_printf(&b, "\n");
    for (size_t i = 0; i < gpb_result_metric_count(r); i++) {
        const char *name = gpb_result_metric_name(r, i);
        double mean, se;
        gpb_status st = gpb_result_mean(r, name, &mean, &se, err);
        if (st) {
            free(b.p);
            return st;
        }
        sb_printf(&b, "%s,%s,%.10g,%.10g", name,
                  gpb_result_metric_unit(r, i), mean, se);
        for (int k = 0; k < GPB_REPORT_N_LEVELS; k++) {
            double q;
            if ((st = gpb_result_quantile(r, name, gpb_report_levels[k], &q,
                                          err))) {
                free(b.p);
                return st;
            }
            sb_printf(&b, ",%.10g", q);
        }
        sb_printf(&b, "\n");
    }
    if (b.oom) {
        free(b.p);
        return gpb__fail(err, GPB_ENOMEM, "out of memory writing CSV");
    }
    *out = b.p;
    return GPB_OK;
}
