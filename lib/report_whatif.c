/*
 * The documents of the "what if" questions (report.h): two plans compared
 * on common random numbers, and a sweep of a scenario over a grid or a
 * Latin hypercube of changed keys, each as JSON, CSV (the sweep), a page of
 * HTML and an xlsx workbook with a native chart.
 */
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "xlsx_api.h"
#include "scenario_read.h"
#include "report_chart.h"
#include "report_doc.h"

/* ---- compare ------------------------------------------------------------- */

/* One metric both plans have: each side's summary and the paired
   difference, money in the report currency. */
typedef struct cmp_row {
    const char *name, *label, *unit;
    int money;
    double a[4], b[4]; /* mean, P5, P50, P95 */
    gpb_paired_diff d;
} cmp_row;

typedef struct cmp {
    const gpb_compare_in *in;
    gpb_currency cur;
    double rate_a;          /* A's money into cur */
    gpb_currency from_b;    /* B's currency */
    size_t n;
    cmp_row *rows;
    int H;
    /* P(A spends less), P(A lasts longer), P(the same runway). */
    double p_cheaper, p_longer, p_same_runway;
} cmp;

static void cmp_free(cmp *c) { free(c->rows); }

static gpb_status side_stats(const gpb_result *r, const char *m, double f,
                             double out[4], gpb_error *err)
{
    static const double lv[3] = {0.05, 0.5, 0.95};
    double q[3], se;
    GPB__TRY(gpb_result_mean(r, m, &out[0], &se, err));
    GPB__TRY(gpb_result_quantiles(r, m, 3, lv, q, err));
    out[0] *= f;
    for (int k = 0; k < 3; k++)
        out[1 + k] = q[k] * f;
    return GPB_OK;
}

/* side_stats of r's kept paths with money converted into currency cur
   path by path (a plan compared with one in another currency). */
static gpb_status side_stats_in(const gpb_result *r, const char *m,
                                gpb_currency cur, double f, double out[4],
                                gpb_error *err)
{
    size_t n = gpb_result_kept_paths(r);
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    gpb_status st = gpb__result_samples_in(r, m, cur, v, err);
    if (!st) {
        double mean = 0;
        for (size_t i = 0; i < n; i++)
            mean += (v[i] - mean) / (double)(i + 1);
        static const double lv[3] = {0.05, 0.50, 0.95};
        double q[3];
        if (gpb__stats_quantiles(v, n, lv, 3, q))
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        out[0] = mean * f;
        for (int j = 0; j < 3; j++)
            out[1 + j] = st ? NAN : q[j] * f;
    }
    free(v);
    return st;
}

static gpb_status cmp_build(const gpb_compare_in *in,
                            const gpb_report_options *opt, cmp *c,
                            gpb_error *err)
{
    memset(c, 0, sizeof *c);
    c->in = in;
    if (!in || !in->sa || !in->sb || !in->ra || !in->rb)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    const gpb_result *ra = in->ra, *rb = in->rb;
    gpb_currency from = gpb_result_currency(ra),
                 from_b = gpb_result_currency(rb);
    if (gpb_result_horizon_months(ra) != gpb_result_horizon_months(rb))
        return gpb__fail(err, GPB_EINVAL,
                         "the plans have horizons of %d and %d months: "
                         "compare plans over the same months",
                         gpb_result_horizon_months(ra),
                         gpb_result_horizon_months(rb));
    c->H = gpb_result_horizon_months(ra);
    c->cur = opt && opt->currency ? opt->currency : from;
    /* Plans in different currencies are compared in A's: B's money
       converted into it path by path, at the path's own exchange rates,
       so each path's difference is of like amounts; then both into the
       report's currency as a run's report is (gpb_report_exchange_rate). */
    c->rate_a = opt && opt->rate > 0 ? opt->rate : 0;
    if (!(c->rate_a > 0))
        GPB__TRY(gpb_report_exchange_rate(in->sa, from, c->cur, &c->rate_a,
                                          err));
    c->from_b = from_b;
    size_t M = gpb_result_metric_count(ra);
    c->rows = calloc(M ? M : 1, sizeof *c->rows);
    if (!c->rows)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (size_t i = 0; i < M; i++) {
        const char *name = gpb_result_metric_name(ra, i);
        size_t j;
        if (gpb_result_metric_find(rb, name, &j, NULL))
            continue; /* only in A */
        cmp_row *w = &c->rows[c->n];
        w->name = name;
        w->label = gpb_result_metric_label(ra, i);
        w->money = gpb_result_metric_unit_kind(ra, i) == GPB_UNIT_MONEY;
        w->unit = w->money ? gpb_currency_code(c->cur)
                           : gpb_result_metric_unit(ra, i);
        double f = w->money ? c->rate_a : 1.0;
        if (w->money && from_b != from) {
            /* Both sides over the same kept paths (B's conversion needs
               each path's values; above the memory budget the summaries
               would cover more paths than that). */
            GPB__TRY(side_stats_in(ra, name, from, f, w->a, err));
            GPB__TRY(side_stats_in(rb, name, from, f, w->b, err));
        } else {
            GPB__TRY(side_stats(ra, name, f, w->a, err));
            GPB__TRY(side_stats(rb, name, f, w->b, err));
        }
        GPB__TRY(gpb_result_paired_diff(ra, rb, name, &w->d, err));
        w->d.mean *= f;
        w->d.std_error *= f;
        w->d.p5 *= f;
        w->d.p50 *= f;
        w->d.p95 *= f;
        if (!strcmp(name, "spend.total"))
            c->p_cheaper = w->d.p_a_lower;
        if (!strcmp(name, "runway_months")) {
            c->p_longer = w->d.p_a_higher;
            c->p_same_runway = 1.0 - w->d.p_a_lower - w->d.p_a_higher;
        }
        c->n++;
    }
    return GPB_OK;
}

static const char *lab(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

gpb_status gpb_report_compare_json(const gpb_compare_in *in,
                                   const gpb_report_options *opt,
                                   char **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out must not be NULL");
    *out = NULL;
    cmp c;
    gpb_status st = cmp_build(in, opt, &c, err);
    if (st) {
        cmp_free(&c);
        return st;
    }
    json_t *doc = json_object(), *plans = json_array(), *ms = json_array(),
           *surv = json_array();
    const gpb_scenario *ss[2] = {in->sa, in->sb};
    const gpb_result *rr[2] = {in->ra, in->rb};
    const char *ll[2] = {lab(in->label_a, "A"), lab(in->label_b, "B")};
    for (int k = 0; k < 2; k++) {
        const char *ov = gpb_scenario_overrides(ss[k]);
        json_array_append_new(
            plans, json_pack("{s:s,s:s,s:s,s:o}", "label", ll[k], "scenario",
                             gpb_scenario_name(ss[k]), "source",
                             gpb_scenario_source(ss[k]), "set",
                             ov ? json_string(ov) : json_null()));
    }
    json_object_set_new(doc, "plans", plans);
    json_object_set_new(doc, "paths",
                        json_integer((json_int_t)gpb_result_paths(in->ra)));
    json_object_set_new(doc, "seed",
                        json_integer((json_int_t)gpb_result_seed(in->ra)));
    json_object_set_new(doc, "currency",
                        json_string(gpb_currency_code(c.cur)));
    json_object_set_new(doc, "common_random_numbers", json_true());
    json_object_set_new(doc, "p_a_spends_less", gpb__json_num(c.p_cheaper));
    json_object_set_new(doc, "p_a_lasts_longer", gpb__json_num(c.p_longer));
    json_object_set_new(doc, "p_same_runway", gpb__json_num(c.p_same_runway));
    for (size_t i = 0; i < c.n; i++) {
        const cmp_row *w = &c.rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(w->name));
        json_object_set_new(o, "label", json_string(w->label));
        json_object_set_new(o, "unit", json_string(w->unit));
        const double *sd[2] = {w->a, w->b};
        for (int k = 0; k < 2; k++)
            json_object_set_new(o, k ? "b" : "a",
                                json_pack("{s:o,s:o,s:o,s:o}", "mean",
                                          gpb__json_num(sd[k][0]), "p5",
                                          gpb__json_num(sd[k][1]), "p50",
                                          gpb__json_num(sd[k][2]), "p95",
                                          gpb__json_num(sd[k][3])));
        json_object_set_new(o, "a_minus_b",
                            json_pack("{s:o,s:o,s:o,s:o,s:o}", "mean",
                                      gpb__json_num(w->d.mean), "std_error",
                                      gpb__json_num(w->d.std_error), "p5",
                                      gpb__json_num(w->d.p5), "p50",
                                      gpb__json_num(w->d.p50), "p95",
                                      gpb__json_num(w->d.p95)));
        json_object_set_new(o, "p_a_lower", gpb__json_num(w->d.p_a_lower));
        json_object_set_new(o, "p_a_higher", gpb__json_num(w->d.p_a_higher));
        json_array_append_new(ms, o);
    }
    json_object_set_new(doc, "metrics", ms);
    for (int m = 0; m < c.H; m++)
        json_array_append_new(
            surv,
            json_pack(
                "{s:i,s:o,s:o}", "month", m, "a",
                gpb__json_num(1.0 - gpb_result_prob_out_of_cash_by(rr[0], m)),
                "b",
                gpb__json_num(1.0 -
                              gpb_result_prob_out_of_cash_by(rr[1], m))));
    json_object_set_new(doc, "cash_lasts_by_month", surv);
    cmp_free(&c);
    return gpb__report_json_dump(doc, out, err);
}

/* Formats v of a row's unit in the report's style. */
static void fmt(const cmp *c, int money, double v, char *buf, size_t n)
{
    if (!isfinite(v))
        snprintf(buf, n, "–");
    else if (money)
        gpb_units_format_money(v, c->cur,
                               c->cur == GPB_CURRENCY_CNY ? GPB_STYLE_ZH
                                                          : GPB_STYLE_EN,
                               3, buf, n);
    else
        gpb_units_format_number(v, GPB_STYLE_EN, 3, buf, n);
}

/* The charts of a comparison: each plan's P(cash lasts through month m),
   and the histogram of the paired difference of total spend. */
static gpb_status cmp_charts(const cmp *c, gpb__charts *cs, gpb_error *err)
{
    memset(cs, 0, sizeof *cs);
    const gpb_compare_in *in = c->in;
    gpb__chart *s = gpb__chart_new(cs, GPB__CHART_LINE, "survival",
                                   (size_t)c->H);
    double *ya = s ? gpb__chart_series(s, lab(in->label_a, "A")) : NULL;
    double *yb = s ? gpb__chart_series(s, lab(in->label_b, "B")) : NULL;
    if (!ya || !yb)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    for (int m = 0; m < c->H; m++) {
        char l[16];
        snprintf(l, sizeof l, "%d", m);
        if (gpb__chart_label(s, (size_t)m, l))
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
        ya[m] = 1.0 - gpb_result_prob_out_of_cash_by(in->ra, m);
        yb[m] = 1.0 - gpb_result_prob_out_of_cash_by(in->rb, m);
    }
    snprintf(s->title, sizeof s->title, "P(the cash lasts through month m)");
    snprintf(s->x_title, sizeof s->x_title, "month");
    snprintf(s->y_title, sizeof s->y_title, "share of paths");
    s->y_percent = 1;
    /* The difference of total spend, path by path. */
    const double *a;
    size_t n = gpb_result_kept_paths(in->ra);
    if (gpb_result_kept_paths(in->rb) < n)
        n = gpb_result_kept_paths(in->rb);
    if (!(n > 0) ||
        gpb_result_samples(in->ra, "spend.total", &a, NULL))
        return GPB_OK;
    /* B's in A's currency, path by path (cmp_build). */
    double *b = malloc(gpb_result_kept_paths(in->rb) * sizeof *b);
    if (!b)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    if (gpb__result_samples_in(in->rb, "spend.total",
                               gpb_result_currency(in->ra), b, NULL)) {
        free(b);
        return GPB_OK;
    }
    double lo = INFINITY, hi = -INFINITY, scale = gpb__paired_scale(a, b, n);
    for (size_t i = 0; i < n; i++) {
        double d = gpb__paired_diff(a[i], b[i], scale) * c->rate_a;
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    size_t bins = hi > lo ? 40 : 1;
    double w = hi > lo ? (hi - lo) / 40.0 : 1.0;
    gpb__chart *h = gpb__chart_new(cs, GPB__CHART_HIST, "hist_diff", bins);
    double *y = h ? gpb__chart_series(h, "share of paths") : NULL;
    if (!y) {
        free(b);
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        double d = gpb__paired_diff(a[i], b[i], scale) * c->rate_a;
        size_t k = bins > 1 ? (size_t)floor((d - lo) / w) : 0;
        y[k < bins ? k : bins - 1] += 1.0 / (double)n;
    }
    free(b);
    for (size_t k = 0; k < bins; k++) {
        char l[48];
        /* A bin's middle; the one bin of equal differences is their
           value (it was labelled half a unit off, "¥0.50" for 0). */
        fmt(c, 1, bins > 1 ? lo + ((double)k + 0.5) * w : lo, l, sizeof l);
        if (gpb__chart_label(h, k, l))
            return gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    if (lo <= 0 && hi >= 0 && bins > 1)
        gpb__chart_marker(h, -lo / w - 0.5, "no difference");
    snprintf(h->title, sizeof h->title,
             "Total spend, %s − %s, path by path", lab(in->label_a, "A"),
             lab(in->label_b, "B"));
    snprintf(h->x_title, sizeof h->x_title, "difference, %s",
             gpb_currency_code(c->cur));
    snprintf(h->y_title, sizeof h->y_title, "share of paths");
    h->x_money = 1;
    h->y_percent = 1;
    return GPB_OK;
}

gpb_status gpb_report_compare_html(const gpb_compare_in *in,
                                   const gpb_report_options *opt,
                                   char **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out must not be NULL");
    *out = NULL;
    cmp c;
    gpb__charts cs;
    memset(&cs, 0, sizeof cs);
    gpb_status st = cmp_build(in, opt, &c, err);
    if (!st)
        st = cmp_charts(&c, &cs, err);
    gpb__buf b = {0};
    if (!st) {
        const char *la = lab(in->label_a, "A"), *lb = lab(in->label_b, "B");
        char title[512];
        snprintf(title, sizeof title, "%s against %s", la, lb);
        gpb__html_head(&b, title);
        for (int k = 0; k < 2; k++) {
            const gpb_scenario *s = k ? in->sb : in->sa;
            const char *ov = gpb_scenario_overrides(s);
            gpb__buf_printf(&b, "<p class=\"meta\"><b>%s</b>: ", k ? "B" : "A");
            gpb__html_text(&b, k ? lb : la);
            gpb__buf_printf(&b, " — ");
            gpb__html_text(&b, gpb_scenario_name(s));
            gpb__buf_printf(&b, " (");
            gpb__html_text(&b, gpb_scenario_source(s));
            if (ov) {
                gpb__buf_printf(&b, "; set ");
                gpb__html_text(&b, ov);
            }
            gpb__buf_printf(&b, ")</p>\n");
        }
        gpb__buf_printf(
            &b,
            "<p>%zu paths, seed %llu, on common random numbers: path i of "
            "each plan draws the same shared events. <b>P(A spends less) = "
            "%.1f%%</b>; <b>P(A's cash lasts longer) = %.1f%%</b> (the same "
            "runway on %.1f%% of paths). Money in %s.</p>\n",
            gpb_result_paths(in->ra),
            (unsigned long long)gpb_result_seed(in->ra), 100 * c.p_cheaper,
            100 * c.p_longer, 100 * c.p_same_runway,
            gpb_currency_code(c.cur));
        for (size_t i = 0; i < cs.n; i++)
            gpb__buf_printf(&b,
                            "<div class=\"chart\"><canvas id=\"chart-%s\">"
                            "</canvas></div>\n",
                            cs.c[i].id);
        gpb__buf_printf(&b, "<h2>Every metric</h2>\n<table><tr><th>metric"
                            "</th><th class=n>A P50</th><th class=n>B P50"
                            "</th><th class=n>A − B mean ± s.e.</th>"
                            "<th class=n>A − B P5 … P95</th><th class=n>"
                            "P(A < B)</th><th class=n>P(A > B)</th></tr>\n");
        for (size_t i = 0; i < c.n; i++) {
            const cmp_row *w = &c.rows[i];
            char s1[48], s2[48], s3[48], s4[48], s5[48], s6[48];
            fmt(&c, w->money, w->a[2], s1, sizeof s1);
            fmt(&c, w->money, w->b[2], s2, sizeof s2);
            fmt(&c, w->money, w->d.mean, s3, sizeof s3);
            fmt(&c, w->money, w->d.std_error, s4, sizeof s4);
            fmt(&c, w->money, w->d.p5, s5, sizeof s5);
            fmt(&c, w->money, w->d.p95, s6, sizeof s6);
            gpb__buf_printf(&b, "<tr><td>");
            gpb__html_text(&b, w->label);
            gpb__buf_printf(&b, " <code class=key>%s</code></td>"
                                "<td class=n>%s</td><td class=n>%s</td>"
                                "<td class=n>%s ± %s</td><td class=n>%s … "
                                "%s</td><td class=n>%.1f%%</td>"
                                "<td class=n>%.1f%%</td></tr>\n",
                            w->name, s1, s2, s3, s4, s5, s6,
                            100 * w->d.p_a_lower, 100 * w->d.p_a_higher);
        }
        gpb__buf_printf(&b, "</table>\n");
        st = gpb__html_tail(&b, c.cur, &cs, err);
    }
    gpb__charts_free(&cs);
    cmp_free(&c);
    return gpb__html_finish(&b, st, out, err);
}

/* ---- workbooks ------------------------------------------------------------ */

typedef struct wbook {
    lxw_workbook *wb;
    lxw_format *bold, *pct;
    gpb__xlsx_out out;
} wbook;

static gpb_status wb_open(wbook *w, const char *path, gpb_error *err)
{
    memset(w, 0, sizeof *w);
    GPB__TRY(gpb__xlsx_out_begin(&w->out, path, err));
    w->wb = workbook_new(w->out.tmp);
    if (!w->wb) {
        gpb__xlsx_out_commit(&w->out, GPB_ENOMEM, NULL);
        return gpb__fail(err, GPB_ENOMEM,
                         "libxlsxwriter could not start a workbook");
    }
    w->bold = workbook_add_format(w->wb);
    format_set_bold(w->bold);
    w->pct = workbook_add_format(w->wb);
    format_set_num_format(w->pct, "0.0%");
    return GPB_OK;
}

/* Closes the workbook and renames it over path (or removes it after a
   failure st). */
static gpb_status wb_close(wbook *w, const char *path, gpb_status st,
                           gpb_error *err)
{
    lxw_error le = workbook_close(w->wb);
    if (!st && le != LXW_NO_ERROR)
        st = gpb__fail(err, GPB_EIO, "writing '%s': %s", path,
                       lxw_strerror(le));
    return gpb__xlsx_out_commit(&w->out, st, err);
}

gpb_status gpb_report_compare_xlsx_write(const gpb_compare_in *in,
                                         const gpb_report_options *opt,
                                         const char *path, gpb_error *err)
{
    cmp c;
    gpb_status st = cmp_build(in, opt, &c, err);
    wbook w;
    if (!st)
        st = wb_open(&w, path, err);
    if (st) {
        cmp_free(&c);
        return st;
    }
    lxw_worksheet *ws = workbook_add_worksheet(w.wb, "compare");
    static const char *const head[] = {
        "metric", "label", "unit", "A mean", "A P5", "A P50", "A P95",
        "B mean", "B P5", "B P50", "B P95", "A-B mean", "A-B std error",
        "A-B P5", "A-B P50", "A-B P95", "P(A<B)", "P(A>B)"};
    for (int j = 0; j < 18; j++)
        worksheet_write_string(ws, 0, (lxw_col_t)j, head[j], w.bold);
    for (size_t i = 0; i < c.n; i++) {
        const cmp_row *r = &c.rows[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_string(ws, row, 0, r->name, NULL);
        worksheet_write_string(ws, row, 1, r->label, NULL);
        worksheet_write_string(ws, row, 2, r->unit, NULL);
        double v[15] = {r->a[0], r->a[1], r->a[2], r->a[3], r->b[0],
                        r->b[1], r->b[2], r->b[3], r->d.mean, r->d.std_error,
                        r->d.p5, r->d.p50, r->d.p95, r->d.p_a_lower,
                        r->d.p_a_higher};
        for (int j = 0; j < 15; j++)
            if (isfinite(v[j]))
                worksheet_write_number(ws, row, (lxw_col_t)(3 + j), v[j],
                                       j >= 13 ? w.pct : NULL);
    }
    /* Each plan's P(cash lasts through month m), and its chart. */
    lxw_worksheet *sv = workbook_add_worksheet(w.wb, "cash_lasts");
    worksheet_write_string(sv, 0, 0, "month", w.bold);
    worksheet_write_string(sv, 0, 1, lab(in->label_a, "A"), w.bold);
    worksheet_write_string(sv, 0, 2, lab(in->label_b, "B"), w.bold);
    for (int m = 0; m < c.H; m++) {
        worksheet_write_number(sv, (lxw_row_t)(m + 1), 0, m, NULL);
        worksheet_write_number(sv, (lxw_row_t)(m + 1), 1,
                               1 - gpb_result_prob_out_of_cash_by(in->ra, m),
                               w.pct);
        worksheet_write_number(sv, (lxw_row_t)(m + 1), 2,
                               1 - gpb_result_prob_out_of_cash_by(in->rb, m),
                               w.pct);
    }
    lxw_chart *ch = workbook_add_chart(w.wb, LXW_CHART_LINE);
    for (int k = 0; k < 2; k++) {
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(se, "cash_lasts", 1, 0, (lxw_row_t)c.H,
                                    0);
        chart_series_set_values(se, "cash_lasts", 1, (lxw_col_t)(1 + k),
                                (lxw_row_t)c.H, (lxw_col_t)(1 + k));
        chart_series_set_name_range(se, "cash_lasts", 0, (lxw_col_t)(1 + k));
    }
    chart_title_set_name(ch, "P(the cash lasts through month m)");
    chart_axis_set_name(ch->x_axis, "month");
    chart_axis_set_name(ch->y_axis, "share of paths");
    chart_axis_set_num_format(ch->y_axis, "0%");
    worksheet_insert_chart(sv, 1, 4, ch);
    cmp_free(&c);
    return wb_close(&w, path, GPB_OK, err);
}

/* ---- sweep --------------------------------------------------------------- */

gpb_status gpb_sweep_latin_hypercube(size_t n_points, size_t n_axes,
                                     uint64_t seed, double *u,
                                     gpb_error *err)
{
    if (!u || n_points == 0)
        return gpb__fail(err, GPB_EINVAL,
                         "a Latin hypercube needs points and an output");
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    size_t *perm = malloc(n_points * sizeof *perm);
    if (!g || !perm) {
        gsl_rng_free(g);
        free(perm);
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    gsl_rng_set(g, (unsigned long)(seed ^ 0x5eedULL));
    for (size_t k = 0; k < n_axes; k++) {
        for (size_t i = 0; i < n_points; i++)
            perm[i] = i;
        gsl_ran_shuffle(g, perm, n_points, sizeof *perm);
        for (size_t p = 0; p < n_points; p++)
            u[p * n_axes + k] =
                ((double)perm[p] + gsl_rng_uniform(g)) / (double)n_points;
    }
    free(perm);
    gsl_rng_free(g);
    return GPB_OK;
}

double gpb_sweep_range_point(double lo, double hi, int whole, double u)
{
    if (!(u >= 0 && u < 1) || !isfinite(lo) || !isfinite(hi))
        return NAN;
    if (!whole)
        return lo + (hi - lo) * u;
    double a = ceil(lo < hi ? lo : hi), b = floor(lo < hi ? hi : lo);
    if (a > b)
        return NAN;
    double m = b - a + 1, j = floor(u * m);
    return a + (j < m ? j : m - 1);
}

gpb_status gpb_sweep_range_value(const gpb_scenario *s, const char *key,
                                 const char *lo, const char *hi, double u,
                                 gpb_quantity *out, gpb_error *err)
{
    if (!key || !lo || !hi || !out)
        return gpb__fail(err, GPB_EINVAL, "key, lo, hi and out must not be "
                                          "NULL");
    if (!(u >= 0 && u < 1))
        return gpb__fail(err, GPB_EINVAL, "u = %g is outside [0, 1)", u);
    gpb_quantity ql, qh;
    GPB__TRY(gpb_units_parse(lo, &ql, err));
    GPB__TRY(gpb_units_parse(hi, &qh, err));
    if (ql.kind != qh.kind || ql.currency != qh.currency)
        return gpb__fail_at(err, GPB_EUNIT, NULL, 0, 0, key,
                            "the two ends '%s' and '%s' are not in the same "
                            "units", lo, hi);
    long i = s ? gpb_scenario_input_find(s, key) : -1;
    double a = ql.value, b = qh.value;
    int whole = 0;
    gpb_quantity q = ql;
    gpb_error e;
    gpb_status st = i < 0 ? GPB_ENOTFOUND
                          : gpb_scenario_input_read(s, (size_t)i, lo, &a,
                                                    NULL, &e);
    if (!st)
        st = gpb_scenario_input_read(s, (size_t)i, hi, &b, NULL, &e);
    if (st && st != GPB_ENOTFOUND) {
        if (err)
            *err = e;
        return st;
    }
    if (!st) {
        whole = gpb_scenario_input_domain(s, (size_t)i).whole;
        /* Read with a factor (months from hours, a year's pay from a rate
           per hour): the point is in the key's unit. */
        if (a != ql.value || b != qh.value)
            q.kind = gpb_scenario_input_kind(s, (size_t)i);
    } else if (gpb__sc_structural_spec(key)) {
        /* A key that is no input (horizon_months) is read by its own
           spec: "3 years..4 years" is 36..48 whole months, not hours that
           the loader would refuse as 44.84 months. */
        const gpb__vspec *sp = gpb__sc_structural_spec(key);
        GPB__TRY(gpb__sc_read(sp, lo, key, &a, NULL, err));
        GPB__TRY(gpb__sc_read(sp, hi, key, &b, NULL, err));
        /* Each end in the key's range, with the loader's statuses. */
        char rt[64];
        gpb_status rs = gpb__sc_range_check(sp, a, rt, sizeof rt);
        if (!rs)
            rs = gpb__sc_range_check(sp, b, rt, sizeof rt);
        if (rs)
            return gpb__fail_at(err, rs, NULL, 0, 0, key,
                                "the range %s..%s leaves %s %s", lo, hi,
                                sp->expect, rt);
        whole = (sp->flags & GPB__V_INT) != 0;
        q.kind = sp->kind;
        q.currency = GPB_CURRENCY_NONE;
    }
    q.value = gpb_sweep_range_point(a, b, whole, u);
    if (isnan(q.value))
        return gpb__fail_at(err, GPB_ERANGE, NULL, 0, 0, key,
                            "the key takes whole numbers (the engine "
                            "rounds a fraction) and the range %s..%s holds "
                            "none: widen it to take one in",
                            lo, hi);
    *out = q;
    return GPB_OK;
}

gpb_status gpb_sweep_row(const gpb_result *r, const char *const *metrics,
                         size_t n, double *row, gpb_error *err)
{
    if (!r || (n && (!metrics || !row)))
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    static const double lv[3] = {0.05, 0.5, 0.95};
    for (size_t i = 0; i < n; i++) {
        double *o = row + i * GPB_SWEEP_STATS;
        GPB__TRY(gpb_result_mean(r, metrics[i], &o[0], &o[1], err));
        GPB__TRY(gpb_result_quantiles(r, metrics[i], 3, lv, o + 2, err));
        o[5] = gpb_result_censored_at(r, metrics[i]);
    }
    return GPB_OK;
}

static gpb_status sweep_check(const gpb_sweep_table *t, gpb_error *err)
{
    if (!t || !t->keys || !t->values || !t->metrics || !t->rows)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    return GPB_OK;
}

static const char *const stat_names[GPB_SWEEP_STATS] = {
    "mean", "std_error", "p5", "p50", "p95", "censored_at"};
enum { SWEEP_CENSORED = 5 };

/* A sweep cell's figure, "≥ x" where the metric is censored at x (the
   P50 of a runway that lasts the horizon). */
static void sweep_quantile(gpb__buf *b, const double *r, int s)
{
    char c[32];
    if (gpb__format_censored(r[s], r[SWEEP_CENSORED], c, sizeof c))
        gpb__buf_printf(b, "%s", c);
    else
        gpb__buf_printf(b, "%.4g", r[s]);
}

gpb_status gpb_report_sweep_json(const gpb_sweep_table *t, char **out,
                                 gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out must not be NULL");
    *out = NULL;
    GPB__TRY(sweep_check(t, err));
    json_t *doc = json_object(), *keys = json_array(), *ms = json_array(),
           *pts = json_array();
    json_object_set_new(doc, "scenario", json_string(t->scenario_name ? t->scenario_name : ""));
    json_object_set_new(doc, "paths", json_integer((json_int_t)t->paths));
    json_object_set_new(doc, "seed", json_integer((json_int_t)t->seed));
    json_object_set_new(doc, "design",
                        json_string(t->latin_hypercube ? "latin hypercube"
                                                       : "grid"));
    json_object_set_new(doc, "common_random_numbers", json_true());
    for (size_t k = 0; k < t->n_keys; k++)
        json_array_append_new(keys, json_string(t->keys[k]));
    for (size_t m = 0; m < t->n_metrics; m++)
        json_array_append_new(
            ms, json_pack("{s:s,s:s}", "name", t->metrics[m], "unit",
                          t->units && t->units[m] ? t->units[m] : ""));
    for (size_t p = 0; p < t->n_points; p++) {
        json_t *o = json_object(), *set = json_object(), *vals = json_object();
        for (size_t k = 0; k < t->n_keys; k++) {
            json_object_set_new(set, t->keys[k],
                                json_string(t->values[p * t->n_keys + k]));
            double x = t->numeric ? t->numeric[p * t->n_keys + k] : NAN;
            json_object_set_new(vals, t->keys[k], gpb__json_num(x));
        }
        json_object_set_new(o, "point", json_integer((json_int_t)p));
        json_object_set_new(o, "set", set);
        json_object_set_new(o, "values", vals);
        if (t->errors && t->errors[p]) {
            json_object_set_new(o, "error", json_string(t->errors[p]));
        } else {
            json_t *st = json_object();
            for (size_t m = 0; m < t->n_metrics; m++) {
                const double *r =
                    t->rows + (p * t->n_metrics + m) * GPB_SWEEP_STATS;
                json_t *q = json_object();
                if (isfinite(r[SWEEP_CENSORED])) {
                    /* As `run --json` says it: the quantiles at the value
                       mean "at least", and the mean is the restricted
                       mean. */
                    json_t *c = json_object(), *lv = json_array();
                    json_object_set_new(c, "at",
                                        json_real(r[SWEEP_CENSORED]));
                    json_object_set_new(c, "mean", json_string("restricted"));
                    for (int s = 2; s < SWEEP_CENSORED; s++)
                        if (r[s] >= r[SWEEP_CENSORED])
                            json_array_append_new(lv,
                                                  json_string(stat_names[s]));
                    json_object_set_new(c, "levels", lv);
                    json_object_set_new(q, "censored", c);
                }
                for (int s = 0; s < SWEEP_CENSORED; s++)
                    json_object_set_new(q, stat_names[s], gpb__json_num(r[s]));
                json_object_set_new(st, t->metrics[m], q);
            }
            json_object_set_new(o, "metrics", st);
        }
        json_array_append_new(pts, o);
    }
    json_object_set_new(doc, "keys", keys);
    json_object_set_new(doc, "metrics", ms);
    json_object_set_new(doc, "points", pts);
    return gpb__report_json_dump(doc, out, err);
}

/* A CSV field, quoted when it holds a comma, quote or line break. */
static void csv_field(gpb__buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        gpb__buf_put(b, s, strlen(s));
        return;
    }
    gpb__buf_put(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            gpb__buf_put(b, "\"", 1);
        gpb__buf_put(b, s, 1);
    }
    gpb__buf_put(b, "\"", 1);
}

gpb_status gpb_report_sweep_csv(const gpb_sweep_table *t, char **out,
                                gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out must not be NULL");
    *out = NULL;
    GPB__TRY(sweep_check(t, err));
    gpb__buf b = {0};
    gpb__buf_printf(&b, "point");
    for (size_t k = 0; k < t->n_keys; k++) {
        gpb__buf_put(&b, ",", 1);
        csv_field(&b, t->keys[k]);
    }
    for (size_t m = 0; m < t->n_metrics; m++)
        for (int s = 0; s < GPB_SWEEP_STATS; s++)
            gpb__buf_printf(&b, ",%s.%s", t->metrics[m], stat_names[s]);
    gpb__buf_printf(&b, ",error\n");
    for (size_t p = 0; p < t->n_points; p++) {
        gpb__buf_printf(&b, "%zu", p);
        for (size_t k = 0; k < t->n_keys; k++) {
            gpb__buf_put(&b, ",", 1);
            csv_field(&b, t->values[p * t->n_keys + k]);
        }
        int bad = t->errors && t->errors[p];
        for (size_t m = 0; m < t->n_metrics; m++)
            for (int s = 0; s < GPB_SWEEP_STATS; s++) {
                double v =
                    t->rows[(p * t->n_metrics + m) * GPB_SWEEP_STATS + s];
                if (!bad && isfinite(v))
                    gpb__buf_printf(&b, ",%.10g", v);
                else
                    gpb__buf_put(&b, ",", 1);
            }
        gpb__buf_put(&b, ",", 1);
        if (bad)
            csv_field(&b, t->errors[p]);
        gpb__buf_put(&b, "\n", 1);
    }
    if (b.oom) {
        free(b.p);
        return gpb__fail(err, GPB_ENOMEM, "out of memory writing CSV");
    }
    *out = b.p;
    return GPB_OK;
}

/* The distinct values of key k in point order (indices into values). */
static size_t distinct(const gpb_sweep_table *t, size_t k, size_t *first)
{
    size_t n = 0;
    for (size_t p = 0; p < t->n_points; p++) {
        const char *v = t->values[p * t->n_keys + k];
        size_t j = 0;
        while (j < n && strcmp(t->values[first[j] * t->n_keys + k], v))
            j++;
        if (j == n)
            first[n++] = p;
    }
    return n;
}

gpb_status gpb_report_sweep_html(const gpb_sweep_table *t, char **out,
                                 gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out must not be NULL");
    *out = NULL;
    GPB__TRY(sweep_check(t, err));
    gpb__buf b = {0};
    gpb__charts cs;
    memset(&cs, 0, sizeof cs);
    char title[400];
    snprintf(title, sizeof title, "sweep of %s",
             t->scenario_name ? t->scenario_name : "a scenario");
    gpb__html_head(&b, title);
    gpb__buf_printf(&b,
                    "<p class=\"meta\">%zu points (%s), %zu paths each, "
                    "seed %llu, on common random numbers: path i draws the "
                    "same shared events at every point.</p>\n",
                    t->n_points,
                    t->latin_hypercube ? "a Latin hypercube" : "a grid",
                    t->paths, (unsigned long long)t->seed);
    size_t *f0 = calloc(t->n_points + 1, sizeof *f0);
    size_t *f1 = calloc(t->n_points + 1, sizeof *f1);
    gpb_status st = GPB_OK;
    if (!f0 || !f1) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        goto done;
    }
    /* Two keys on a full grid: a heat map of each metric's P50 (mean for
       a probability), the colour running from the lowest to the highest. */
    size_t n0 = t->n_keys == 2 && !t->latin_hypercube ? distinct(t, 0, f0) : 0;
    size_t n1 = t->n_keys == 2 && !t->latin_hypercube ? distinct(t, 1, f1) : 0;
    if (n0 && n1 && n0 * n1 == t->n_points) {
        for (size_t m = 0; m < t->n_metrics; m++) {
            int prob = t->units && t->units[m] &&
                       !strcmp(t->units[m], "probability");
            int s = prob ? 0 : 3;
            double lo = INFINITY, hi = -INFINITY;
            for (size_t p = 0; p < t->n_points; p++) {
                double v =
                    t->rows[(p * t->n_metrics + m) * GPB_SWEEP_STATS + s];
                if (isfinite(v) && !(t->errors && t->errors[p])) {
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }
            }
            gpb__buf_printf(&b, "<h2>%s of ", prob ? "mean" : "P50");
            gpb__html_text(&b, t->metrics[m]);
            gpb__buf_printf(&b, "</h2>\n<table><tr><th>");
            gpb__html_text(&b, t->keys[0]);
            gpb__buf_printf(&b, " \\ ");
            gpb__html_text(&b, t->keys[1]);
            gpb__buf_printf(&b, "</th>");
            for (size_t j = 0; j < n1; j++) {
                gpb__buf_printf(&b, "<th class=n>");
                gpb__html_text(&b, t->values[f1[j] * 2 + 1]);
                gpb__buf_printf(&b, "</th>");
            }
            gpb__buf_printf(&b, "</tr>\n");
            for (size_t i = 0; i < n0; i++) {
                gpb__buf_printf(&b, "<tr><th>");
                gpb__html_text(&b, t->values[f0[i] * 2]);
                gpb__buf_printf(&b, "</th>");
                for (size_t j = 0; j < n1; j++) {
                    size_t p = 0;
                    while (p < t->n_points &&
                           (strcmp(t->values[p * 2],
                                   t->values[f0[i] * 2]) ||
                            strcmp(t->values[p * 2 + 1],
                                   t->values[f1[j] * 2 + 1])))
                        p++;
                    double v = p < t->n_points && !(t->errors && t->errors[p])
                                   ? t->rows[(p * t->n_metrics + m) *
                                                 GPB_SWEEP_STATS +
                                             s]
                                   : NAN;
                    if (!isfinite(v)) {
                        gpb__buf_printf(&b, "<td class=n>–</td>");
                        continue;
                    }
                    double f = hi > lo ? (v - lo) / (hi - lo) : 0.5;
                    gpb__buf_printf(&b,
                                    "<td class=n style=\"background:hsl("
                                    "%.0f,70%%,80%%)\">",
                                    120.0 * (1.0 - f));
                    sweep_quantile(&b, t->rows + (p * t->n_metrics + m) *
                                                     GPB_SWEEP_STATS,
                                   s);
                    gpb__buf_printf(&b, "</td>");
                }
                gpb__buf_printf(&b, "</tr>\n");
            }
            gpb__buf_printf(&b, "</table>\n");
        }
    }
    /* One key: each metric's P5, P50 and P95 along it, as a chart. */
    if (t->n_keys == 1 && t->n_points > 0) {
        for (size_t m = 0; m < t->n_metrics && cs.n < GPB__CHART_MAX; m++) {
            char id[24];
            snprintf(id, sizeof id, "sweep%u", (unsigned)(m % 100));
            gpb__chart *c = gpb__chart_new(&cs, GPB__CHART_LINE, id,
                                           t->n_points);
            double *y5 = c ? gpb__chart_series(c, "P5") : NULL;
            double *y50 = c ? gpb__chart_series(c, "P50") : NULL;
            double *y95 = c ? gpb__chart_series(c, "P95") : NULL;
            if (!y95) {
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
                goto done;
            }
            for (size_t p = 0; p < t->n_points; p++) {
                const double *r =
                    t->rows + (p * t->n_metrics + m) * GPB_SWEEP_STATS;
                int bad = t->errors && t->errors[p];
                y5[p] = bad ? NAN : r[2];
                y50[p] = bad ? NAN : r[3];
                y95[p] = bad ? NAN : r[4];
                if (gpb__chart_label(c, p, t->values[p])) {
                    st = gpb__fail(err, GPB_ENOMEM, "out of memory");
                    goto done;
                }
            }
            snprintf(c->title, sizeof c->title, "%s by %s", t->metrics[m],
                     t->keys[0]);
            snprintf(c->x_title, sizeof c->x_title, "%.78s", t->keys[0]);
            snprintf(c->y_title, sizeof c->y_title, "%.78s",
                     t->units && t->units[m] ? t->units[m] : "");
            c->y_percent = t->units && t->units[m] &&
                           !strcmp(t->units[m], "probability");
            gpb__buf_printf(&b, "<div class=\"chart\"><canvas id=\"chart-%s\">"
                                "</canvas></div>\n",
                            id);
        }
    }
    /* Every point, every statistic. */
    int censored = 0;
    gpb__buf_printf(&b, "<h2>Every point</h2>\n<table><tr><th>point</th>");
    for (size_t k = 0; k < t->n_keys; k++) {
        gpb__buf_printf(&b, "<th>");
        gpb__html_text(&b, t->keys[k]);
        gpb__buf_printf(&b, "</th>");
    }
    for (size_t m = 0; m < t->n_metrics; m++) {
        gpb__buf_printf(&b, "<th class=n>");
        gpb__html_text(&b, t->metrics[m]);
        gpb__buf_printf(&b, " P50 (mean)</th>");
    }
    gpb__buf_printf(&b, "</tr>\n");
    for (size_t p = 0; p < t->n_points; p++) {
        gpb__buf_printf(&b, "<tr><td class=n>%zu</td>", p);
        for (size_t k = 0; k < t->n_keys; k++) {
            gpb__buf_printf(&b, "<td>");
            gpb__html_text(&b, t->values[p * t->n_keys + k]);
            gpb__buf_printf(&b, "</td>");
        }
        if (t->errors && t->errors[p]) {
            gpb__buf_printf(&b, "<td colspan=%zu>", t->n_metrics);
            gpb__html_text(&b, t->errors[p]);
            gpb__buf_printf(&b, "</td></tr>\n");
            continue;
        }
        for (size_t m = 0; m < t->n_metrics; m++) {
            const double *r =
                t->rows + (p * t->n_metrics + m) * GPB_SWEEP_STATS;
            gpb__buf_printf(&b, "<td class=n>");
            sweep_quantile(&b, r, 3);
            gpb__buf_printf(&b, " (%.4g)</td>", r[0]);
            censored |= isfinite(r[SWEEP_CENSORED]);
        }
        gpb__buf_printf(&b, "</tr>\n");
    }
    gpb__buf_printf(&b, "</table>\n");
    if (censored)
        gpb__buf_printf(&b, "<p class=\"meta\">Runway is censored at the "
                            "horizon: ≥ means the cash lasts to it, and the "
                            "mean in brackets is the restricted mean (a path "
                            "that lasts counts as the horizon).</p>\n");
    st = gpb__html_tail(&b, t->currency, &cs, err);
done:
    free(f0);
    free(f1);
    gpb__charts_free(&cs);
    return gpb__html_finish(&b, st, out, err);
}

gpb_status gpb_report_sweep_xlsx_write(const gpb_sweep_table *t,
                                       const char *path, gpb_error *err)
{
    GPB__TRY(sweep_check(t, err));
    wbook w;
    GPB__TRY(wb_open(&w, path, err));
    lxw_worksheet *ws = workbook_add_worksheet(w.wb, "sweep");
    lxw_col_t col = 0;
    worksheet_write_string(ws, 0, col++, "point", w.bold);
    for (size_t k = 0; k < t->n_keys; k++)
        worksheet_write_string(ws, 0, col++, t->keys[k], w.bold);
    lxw_col_t first_stat = col;
    char h[300];
    for (size_t m = 0; m < t->n_metrics; m++)
        for (int s = 0; s < GPB_SWEEP_STATS; s++) {
            snprintf(h, sizeof h, "%s.%s", t->metrics[m], stat_names[s]);
            worksheet_write_string(ws, 0, col++, h, w.bold);
        }
    worksheet_write_string(ws, 0, col, "error", w.bold);
    for (size_t p = 0; p < t->n_points; p++) {
        lxw_row_t row = (lxw_row_t)(p + 1);
        lxw_col_t c = 0;
        worksheet_write_number(ws, row, c++, (double)p, NULL);
        for (size_t k = 0; k < t->n_keys; k++) {
            double x = t->numeric ? t->numeric[p * t->n_keys + k] : NAN;
            if (isfinite(x))
                worksheet_write_number(ws, row, c++, x, NULL);
            else
                worksheet_write_string(ws, row, c++,
                                       t->values[p * t->n_keys + k], NULL);
        }
        int bad = t->errors && t->errors[p];
        for (size_t m = 0; m < t->n_metrics; m++)
            for (int s = 0; s < GPB_SWEEP_STATS; s++, c++) {
                double v =
                    t->rows[(p * t->n_metrics + m) * GPB_SWEEP_STATS + s];
                if (!bad && isfinite(v))
                    worksheet_write_number(ws, row, c, v, NULL);
            }
        if (bad)
            worksheet_write_string(ws, row, c, t->errors[p], NULL);
    }
    /* A chart of the first metric's P50 over the points, against the
       first key's values when it is numeric. */
    if (t->n_metrics && t->n_points) {
        lxw_chart *ch = workbook_add_chart(w.wb, t->n_keys == 1
                                                     ? LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS
                                                     : LXW_CHART_COLUMN);
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        lxw_row_t last = (lxw_row_t)t->n_points;
        chart_series_set_categories(se, "sweep", 1, t->n_keys == 1 ? 1 : 0,
                                    last, t->n_keys == 1 ? 1 : 0);
        chart_series_set_values(se, "sweep", 1, (lxw_col_t)(first_stat + 3),
                                last, (lxw_col_t)(first_stat + 3));
        snprintf(h, sizeof h, "P50 of %s", t->metrics[0]);
        chart_series_set_name(se, h);
        chart_title_set_name(ch, h);
        chart_axis_set_name(ch->x_axis, t->n_keys == 1 ? t->keys[0]
                                                       : "point");
        worksheet_insert_chart(ws, (lxw_row_t)(t->n_points + 2), 1, ch);
    }
    return wb_close(&w, path, GPB_OK, err);
}
