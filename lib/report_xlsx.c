/*
 * The xlsx workbook (gpb_report_xlsx_write), through libxlsxwriter: the
 * numbers of the JSON report as sheets, and native charts built from the
 * same chart specifications as the HTML report (report_chart.c).
 *
 * libxlsxwriter runs in constant-memory mode (a sheet's rows go to disk as
 * they are written), so even the samples sheet of a large run stays out of
 * memory; that mode needs every sheet written row by row, top to bottom,
 * which is why the chart data below is written row-major.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "xlsx_api.h"
#include "report_chart.h"
#include "scenario_model.h"

/* Excel's limits: 32,767 characters in a cell, 1,048,576 rows. */
#define XLSX_MAX_STRING 32000
#define XLSX_MAX_ROWS 1048576u

typedef struct book {
    lxw_workbook *wb;
    lxw_format *bold, *money, *pct, *num, *wrap;
    const gpb__view *v;
} book;

/* A string cell, cut to Excel's limit at a UTF-8 character boundary. */
static void wstr(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                 lxw_format *f)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (n <= XLSX_MAX_STRING) {
        worksheet_write_string(ws, r, c, s, f);
        return;
    }
    char *t = malloc(XLSX_MAX_STRING + 1);
    if (!t)
        return;
    n = XLSX_MAX_STRING;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    memcpy(t, s, n);
    t[n] = 0;
    worksheet_write_string(ws, r, c, t, f);
    free(t);
}

/* A number cell; non-finite values leave the cell empty. */
static void wnum(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                 lxw_format *f)
{
    if (isfinite(v))
        worksheet_write_number(ws, r, c, v, f);
}

static void header(book *b, lxw_worksheet *ws, const char *const *names,
                   int n)
{
    for (int i = 0; i < n; i++)
        wstr(ws, 0, (lxw_col_t)i, names[i], b->bold);
    worksheet_freeze_panes(ws, 1, 0);
}

/* The money format of a metric, or NULL. */
static lxw_format *fmt_of(book *b, size_t m)
{
    return gpb__view_is_money(b->v, m) ? b->money : NULL;
}

static void sheet_summary(book *b)
{
    const gpb__view *v = b->v;
    const gpb_result *r = v->r;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "summary");
    static const char *const h[] = {"key", "value"};
    header(b, ws, h, 2);
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 1, 60, NULL);
    lxw_row_t row = 1;
#define KV_S(k, s)                                                         \
    do {                                                                   \
        wstr(ws, row, 0, k, NULL);                                         \
        wstr(ws, row++, 1, s, NULL);                                       \
    } while (0)
#define KV_N(k, x, f)                                                      \
    do {                                                                   \
        wstr(ws, row, 0, k, NULL);                                         \
        wnum(ws, row++, 1, x, f);                                          \
    } while (0)
    KV_S("scenario", gpb_scenario_name(v->s));
    KV_S("source", gpb_scenario_source(v->s));
    KV_S("currency", gpb_currency_code(v->cur));
    if (v->cur != v->from) {
        KV_S("converted_from", gpb_currency_code(v->from));
        KV_N("conversion_rate", v->scale, NULL);
    }
    KV_N("paths", (double)gpb_result_paths(r), NULL);
    /* Text: a spreadsheet's number (a double) rounds seeds above 2^53,
       which then replay another run (a review). */
    char seed_text[24];
    snprintf(seed_text, sizeof seed_text, "%llu",
             (unsigned long long)gpb_result_seed(r));
    KV_S("seed", seed_text);
    int H = gpb_result_horizon_months(r);
    KV_N("horizon_months", H, NULL);
    KV_N("p_out_of_cash_within_horizon",
         gpb_result_prob_out_of_cash_by(r, H - 1), b->pct);
    const double *conf = gpb_report_raise_levels;
    static const char *const ck[3] = {"raise_needed_p80", "raise_needed_p90",
                                      "raise_needed_p95"};
    for (int k = 0; k < GPB_REPORT_N_RAISE_LEVELS; k++) {
        double q = NAN;
        gpb_result_raise_needed(r, conf[k], &q, NULL);
        KV_N(ck[k], q * v->scale, b->money);
    }
    double mean = NAN, se = NAN;
    gpb_result_mean(r, "spend.total", &mean, &se, NULL);
    KV_N("spend_total_mean", mean * v->scale, b->money);
    KV_N("spend_total_std_error", se * v->scale, b->money);
    KV_N("spend_total_rel_std_error", mean != 0 ? se / fabs(mean) : NAN,
         b->num);
    KV_N("ci_level", v->ci_level, NULL);
    if (v->precision_target > 0) {
        KV_N("target_rel_std_error", v->precision_target, NULL);
        KV_S("target_reached", v->precision_reached ? "yes" : "no");
    }
    if (v->sens) {
        KV_N("sensitivity_paths", (double)gpb_sensitivity_paths(v->sens),
             NULL);
        if (gpb_sensitivity_has_swing(v->sens)) {
            KV_N("swing_paths", (double)gpb_sensitivity_swing_paths(v->sens),
                 NULL);
            char swing_seed[24];
            snprintf(swing_seed, sizeof swing_seed, "%llu",
                     (unsigned long long)gpb_sensitivity_swing_seed(v->sens));
            KV_S("swing_seed", swing_seed);
            KV_N("swing_low", gpb_sensitivity_swing_low(v->sens), NULL);
            KV_N("swing_high", gpb_sensitivity_swing_high(v->sens), NULL);
        }
    } else {
        KV_S("sensitivity", v->sens_error);
    }
    KV_S("generator", "gpubudget " GPB_VERSION_STRING);
#undef KV_S
#undef KV_N
}

static gpb_status sheet_quantiles(book *b, gpb_error *err)
{
    const gpb__view *v = b->v;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "quantiles");
    static const char *const h[] = {
        "metric",    "unit",      "mean",      "std_error", "p5",
        "p10",       "p25",       "p50",       "p75",       "p90",
        "p95",       "p5_ci_lo",  "p5_ci_hi",  "p50_ci_lo", "p50_ci_hi",
        "p95_ci_lo", "p95_ci_hi"};
    header(b, ws, h, 17);
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 2, 16, 14, NULL);
    static const int ci[3] = {0, 3, 6};
    for (size_t m = 0; m < gpb_result_metric_count(v->r); m++) {
        gpb__stats x;
        gpb_status st = gpb__view_stats(v, m, &x, err);
        if (st)
            return st;
        lxw_row_t row = (lxw_row_t)(m + 1);
        lxw_format *f = fmt_of(b, m);
        wstr(ws, row, 0, gpb_result_metric_name(v->r, m), NULL);
        wstr(ws, row, 1, gpb__view_unit(v, m), NULL);
        wnum(ws, row, 2, x.mean, f);
        wnum(ws, row, 3, x.se, f);
        for (int k = 0; k < GPB__N_LEVELS; k++)
            wnum(ws, row, (lxw_col_t)(4 + k), x.q[k], f);
        for (int j = 0; j < 3; j++) {
            wnum(ws, row, (lxw_col_t)(11 + 2 * j), x.ci_lo[ci[j]], f);
            wnum(ws, row, (lxw_col_t)(12 + 2 * j), x.ci_hi[ci[j]], f);
        }
    }
    return GPB_OK;
}

static void sheet_fan_pout(book *b, const gpb__chart *fan)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "fan");
    static const char *const h[] = {"month", "p5", "p25", "p50", "p75",
                                    "p95"};
    header(b, ws, h, 6);
    worksheet_set_column(ws, 1, 5, 14, NULL);
    for (size_t m = 0; m < fan->n; m++) {
        wnum(ws, (lxw_row_t)(m + 1), 0, (double)m, NULL);
        for (int k = 0; k < 5; k++)
            wnum(ws, (lxw_row_t)(m + 1), (lxw_col_t)(k + 1),
                 fan->series[k].y[m], b->money);
    }
    ws = workbook_add_worksheet(b->wb, "p_out_of_cash");
    static const char *const h2[] = {"month", "p_out_of_cash_by_month"};
    header(b, ws, h2, 2);
    worksheet_set_column(ws, 1, 1, 24, NULL);
    for (size_t m = 0; m < fan->n; m++) {
        wnum(ws, (lxw_row_t)(m + 1), 0, (double)m, NULL);
        wnum(ws, (lxw_row_t)(m + 1), 1,
             gpb_result_prob_out_of_cash_by(b->v->r, (int)m), b->pct);
    }
}

static void sheet_sensitivity(book *b)
{
    const gpb__view *v = b->v;
    const gpb_sensitivity *x = v->sens;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "sensitivity");
    static const char *const h[] = {"metric",   "input",    "input_label",
                                    "spearman", "srrc",     "r2",
                                    "p50_low",  "p50_high", "swing",
                                    "swing_se", "flags"};
    header(b, ws, h, 11);
    worksheet_set_column(ws, 0, 2, 34, NULL);
    worksheet_set_column(ws, 3, 9, 13, NULL);
    if (!x) {
        wstr(ws, 1, 0, "no sensitivity:", NULL);
        wstr(ws, 1, 1, v->sens_error, NULL);
        return;
    }
    int sw = gpb_sensitivity_has_swing(x);
    size_t K = gpb_sensitivity_input_count(x);
    lxw_row_t row = 1;
    for (size_t m = 0; m < gpb_sensitivity_metric_count(x); m++) {
        double f = gpb__view_factor(v, m);
        lxw_format *mf = fmt_of(b, m);
        for (size_t k = 0; k < K; k++, row++) {
            char flags[96];
            wstr(ws, row, 0, gpb_sensitivity_metric_name(x, m), NULL);
            wstr(ws, row, 1, gpb_sensitivity_input_path(x, k), NULL);
            wstr(ws, row, 2, gpb_sensitivity_input_label(x, k), NULL);
            wnum(ws, row, 3, gpb_sensitivity_spearman(x, m, k), b->num);
            wnum(ws, row, 4, gpb_sensitivity_srrc(x, m, k), b->num);
            wnum(ws, row, 5, gpb_sensitivity_r2(x, m), b->num);
            if (sw) {
                double lo, hi, se = NAN;
                gpb_sensitivity_swing(x, m, k, &lo, &hi, NULL, NULL);
                gpb_sensitivity_swing_se(x, m, k, &se, NULL);
                wnum(ws, row, 6, lo * f, mf);
                wnum(ws, row, 7, hi * f, mf);
                wnum(ws, row, 8, (hi - lo) * f, mf);
                wnum(ws, row, 9, se * f, mf);
            }
            gpb__sens_flags_text(gpb_sensitivity_flags(x, m, k), flags,
                                 sizeof flags);
            wstr(ws, row, 10, flags, NULL);
        }
    }
}

static void sheet_claims(book *b)
{
    const gpb__view *v = b->v;
    const gpb_scenario *s = v->s;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "claims");
    static const char *const h[] = {
        "id",           "source",        "says",          "metric",
        "value_as_written", "value",     "unit",          "simulated_p5",
        "simulated_p50", "simulated_p95", "verdict"};
    header(b, ws, h, 11);
    worksheet_set_column(ws, 2, 2, 50, b->wrap);
    worksheet_set_column(ws, 3, 3, 30, NULL);
    worksheet_set_column(ws, 5, 9, 14, NULL);
    for (size_t i = 0; i < s->n_claims; i++) {
        const gpb__claim *c = &s->claims[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        wstr(ws, row, 0, c->id, NULL);
        wstr(ws, row, 1, c->source, NULL);
        wstr(ws, row, 2, c->says, b->wrap);
        wstr(ws, row, 3, c->metric, NULL);
        wstr(ws, row, 4, c->text, NULL);
        const char *unit;
        double val = gpb__view_claim_value(v, i, &unit);
        int money = !strcmp(unit, gpb_currency_code(v->cur));
        wnum(ws, row, 5, val, money ? b->money : NULL);
        wstr(ws, row, 6, unit, NULL);
        size_t m;
        double q[3];
        if (!gpb__view_claim_simulated(v, i, q)) {
            lxw_format *f = c->metric && !gpb_result_metric_find(
                                             v->r, c->metric, &m, NULL)
                                ? fmt_of(b, m)
                                : NULL;
            wnum(ws, row, 7, q[0], f);
            wnum(ws, row, 8, q[1], f);
            wnum(ws, row, 9, q[2], f);
        }
        wstr(ws, row, 10, "not checked here: see gpubudget check", NULL);
    }
}

static void sheet_inputs_sources(book *b)
{
    const gpb_scenario *s = b->v->s;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "inputs");
    static const char *const h[] = {"path", "label", "unit", "distribution",
                                    "uncertain", "per_event", "p10", "p50",
                                    "p90", "line", "column"};
    header(b, ws, h, 11);
    worksheet_set_column(ws, 0, 1, 40, NULL);
    worksheet_set_column(ws, 2, 2, 16, NULL);
    worksheet_set_column(ws, 3, 3, 36, NULL);
    worksheet_set_column(ws, 6, 8, 14, NULL);
    for (size_t i = 0; i < s->n_inputs; i++) {
        const gpb__input *in = &s->inputs[i];
        char unit[64], desc[256];
        gpb__input_unit(s, i, unit, sizeof unit);
        gpb_dist_describe(&in->dist, desc, sizeof desc);
        lxw_row_t row = (lxw_row_t)(i + 1);
        wstr(ws, row, 0, in->path, NULL);
        wstr(ws, row, 1, in->label, NULL);
        wstr(ws, row, 2, unit, NULL);
        wstr(ws, row, 3, desc, NULL);
        wstr(ws, row, 4, gpb_scenario_input_is_uncertain(s, i) ? "yes" : "no",
             NULL);
        wstr(ws, row, 5, in->per_event ? "yes" : "no", NULL);
        wnum(ws, row, 6, gpb_dist_quantile(&in->dist, 0.1), NULL);
        wnum(ws, row, 7, gpb_dist_quantile(&in->dist, 0.5), NULL);
        wnum(ws, row, 8, gpb_dist_quantile(&in->dist, 0.9), NULL);
        wnum(ws, row, 9, in->line, NULL);
        wnum(ws, row, 10, in->column, NULL);
    }
    ws = workbook_add_worksheet(b->wb, "sources");
    static const char *const h2[] = {"id",   "title", "outlet",
                                     "date", "url",   "quote"};
    header(b, ws, h2, 6);
    worksheet_set_column(ws, 1, 1, 40, NULL);
    worksheet_set_column(ws, 4, 4, 40, NULL);
    worksheet_set_column(ws, 5, 5, 80, b->wrap);
    for (size_t i = 0; i < s->n_sources; i++) {
        const gpb__source *x = &s->sources[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        wstr(ws, row, 0, x->id, NULL);
        wstr(ws, row, 1, x->title, NULL);
        wstr(ws, row, 2, x->outlet, NULL);
        wstr(ws, row, 3, x->date, NULL);
        wstr(ws, row, 4, x->url, NULL);
        wstr(ws, row, 5, x->quote, b->wrap);
    }
}

/*
 * The scenario that was run, one line of its text per row (column A, from
 * row 2), so the workbook carries its inputs' source. Line ends are not
 * kept (a row is a line; "\r\n" and "\n" both end one), and a line
 * longer than a cell holds is cut at Excel's limit; the HTML page keeps
 * the exact bytes.
 */
/* The month-by-month ledger: a row a month, for each category some path
   books its mean and (with the quantiles) P50, money in the report
   currency. Only with a ledger (options' ledger). */
static void sheet_ledger(book *b)
{
    const gpb__view *v = b->v;
    const gpb_result *r = v->r;
    if (isnan(gpb_result_ledger_mean(r, 0, GPB_CAT_TEAM)))
        return;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "ledger");
    int H = gpb_result_horizon_months(r);
    int cats[GPB_CAT_COUNT], nc = 0;
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        if (gpb_result_ledger_lists(r, (gpb_category)c))
            cats[nc++] = c;
    }
    int q = !isnan(gpb_result_ledger_quantile(r, 0, GPB_CAT_TEAM, 0.5));
    wstr(ws, 0, 0, "month", b->bold);
    char h[96];
    for (int k = 0; k < nc; k++) {
        const char *key = gpb_category_key((gpb_category)cats[k]);
        snprintf(h, sizeof h, "%s mean", key);
        wstr(ws, 0, (lxw_col_t)(1 + k * (1 + q)), h, b->bold);
        if (q) {
            snprintf(h, sizeof h, "%s P50", key);
            wstr(ws, 0, (lxw_col_t)(2 + k * 2), h, b->bold);
        }
    }
    for (int t = 0; t < H; t++) {
        worksheet_write_number(ws, (lxw_row_t)(t + 1), 0, t, NULL);
        for (int k = 0; k < nc; k++) {
            gpb_category c = (gpb_category)cats[k];
            wnum(ws, (lxw_row_t)(t + 1), (lxw_col_t)(1 + k * (1 + q)),
                 gpb_result_ledger_mean(r, t, c) * v->scale, b->money);
            if (q)
                wnum(ws, (lxw_row_t)(t + 1), (lxw_col_t)(2 + k * 2),
                     gpb_result_ledger_quantile(r, t, c, 0.5) * v->scale,
                     b->money);
        }
    }
}

static void sheet_scenario(book *b)
{
    const gpb_scenario *s = b->v->s;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "scenario");
    static const char *const h[] = {"yaml"};
    header(b, ws, h, 1);
    worksheet_set_column(ws, 0, 0, 100, NULL);
    size_t len;
    const char *text = gpb_scenario_text(s, &len);
    lxw_row_t row = 1;
    char *line = NULL;
    for (size_t i = 0; text && i < len && row < XLSX_MAX_ROWS;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t n = e > i && text[e - 1] == '\r' ? e - 1 - i : e - i;
        char *l = realloc(line, n + 1);
        if (!l)
            break;
        line = l;
        memcpy(line, text + i, n);
        line[n] = 0;
        if (n) /* an empty line is an empty row */
            wstr(ws, row, 0, line, NULL);
        row++;
        i = e + 1;
    }
    free(line);
}

/* ---- charts ----------------------------------------------------------- */

/* Columns of a chart's data block: the label, the series, and for the fan
   the band thicknesses its stacked-area chart draws. */
static lxw_col_t block_width(const gpb__chart *c)
{
    size_t extra = c->kind == GPB__CHART_FAN       ? 5
                   : c->kind == GPB__CHART_TORNADO ? 2
                                                   : 0;
    return (lxw_col_t)(1 + c->n_series + extra + 1);
}

/* The fan's stacked bands: base P5, then P25−P5, P50−P25, P75−P50,
   P95−P75 (spec series order P5, P25, P50, P75, P95). */
static double fan_band(const gpb__chart *c, int j, size_t i)
{
    if (j == 0)
        return c->series[0].y[i];
    return c->series[j].y[i] - c->series[j - 1].y[i];
}

/* Titles, set once each (libxlsxwriter does not free a replaced name). */
static void chart_axis_titles(lxw_chart *ch, const gpb__chart *c)
{
    chart_title_set_name(ch, c->title);
    if (c->kind == GPB__CHART_TORNADO) {
        /* libxlsxwriter's bar charts keep x_axis for the horizontal axis,
           which there holds the values; y_axis is the categories'. */
        char t[120];
        snprintf(t, sizeof t, "change in %s from the base", c->x_title);
        chart_axis_set_name(ch->x_axis, t);
        chart_axis_set_name(ch->y_axis, c->y_title);
    } else {
        chart_axis_set_name(ch->x_axis, c->x_title);
        chart_axis_set_name(ch->y_axis, c->y_title);
    }
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
}

static const char *money_format(gpb_currency cur)
{
    switch (cur) {
    case GPB_CURRENCY_CNY: return "\"¥\"#,##0";
    case GPB_CURRENCY_EUR: return "\"€\"#,##0";
    case GPB_CURRENCY_USD: return "\"$\"#,##0";
    default: return "#,##0";
    }
}

static lxw_chart *native_chart(book *b, const gpb__chart *c, lxw_col_t c0)
{
    const char *sheet = "charts";
    lxw_row_t r0 = 2, r1 = (lxw_row_t)(2 + (c->n ? c->n : 1) - 1);
    lxw_chart *ch = NULL;
    const char *mf = money_format(b->v->cur);
    switch (c->kind) {
    case GPB__CHART_FAN: {
        ch = workbook_add_chart(b->wb, LXW_CHART_AREA_STACKED);
        /* The two inner bands differ a shade: their edge is the median
           (an outline would also draw the bands' other edges). */
        static const lxw_color_t fill[5] = {0, 0xC6D9F0, 0x95B8E3, 0x6E9BD3,
                                            0xC6D9F0};
        static const char *const nm[5] = {"base (P5)", "P5–P25", "P25–P50",
                                          "P50–P75", "P75–P95"};
        lxw_col_t bc = (lxw_col_t)(c0 + 1 + c->n_series);
        for (int j = 0; j < 5; j++) {
            lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
            chart_series_set_categories(s, sheet, r0, c0, r1, c0);
            chart_series_set_values(s, sheet, r0, (lxw_col_t)(bc + j), r1,
                                    (lxw_col_t)(bc + j));
            chart_series_set_name(s, nm[j]);
            lxw_chart_fill f = {.color = fill[j], .none = j == 0};
            lxw_chart_line l = {.none = 1};
            chart_series_set_fill(s, &f);
            chart_series_set_line(s, &l);
        }
        /* The category axis crosses the value axis at 0: the zero
           line. Month labels sit low, below negative values. */
        chart_axis_set_label_position(ch->x_axis,
                                      LXW_CHART_AXIS_LABEL_POSITION_LOW);
        chart_axis_set_num_format(ch->y_axis, mf);
        chart_legend_delete_series(ch, (int16_t[]){0, -1});
        break;
    }
    case GPB__CHART_LINE:
        ch = workbook_add_chart(b->wb, LXW_CHART_LINE);
        for (size_t j = 0; j < c->n_series; j++) {
            lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
            chart_series_set_categories(s, sheet, r0, c0, r1, c0);
            chart_series_set_values(s, sheet, r0, (lxw_col_t)(c0 + 1 + j), r1,
                                    (lxw_col_t)(c0 + 1 + j));
            chart_series_set_name(s, c->series[j].name);
            chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
        }
        if (c->y_percent)
            chart_axis_set_num_format(ch->y_axis, "0%");
        break;
    case GPB__CHART_HIST: {
        ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
        lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(s, sheet, r0, c0, r1, c0);
        chart_series_set_values(s, sheet, r0, (lxw_col_t)(c0 + 1), r1,
                                (lxw_col_t)(c0 + 1));
        chart_series_set_name(s, c->series[0].name);
        chart_set_series_gap(ch, 0);
        chart_axis_set_num_format(ch->y_axis, "0%");
        break;
    }
    case GPB__CHART_TORNADO: {
        /* Bars from the base (all inputs at medians) to each side: the
           values are the changes from the base, so the axis at 0 is the
           base, which the title gives. */
        ch = workbook_add_chart(b->wb, LXW_CHART_BAR);
        static const lxw_color_t col[2] = {0x2E8B57, 0xC8502A};
        for (int j = 0; j < 2; j++) {
            lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
            lxw_col_t vc = (lxw_col_t)(c0 + 1 + c->n_series + j);
            chart_series_set_categories(s, sheet, r0, c0, r1, c0);
            chart_series_set_values(s, sheet, r0, vc, r1, vc);
            chart_series_set_name(s, c->series[j].name);
            lxw_chart_fill f = {.color = col[j]};
            chart_series_set_fill(s, &f);
        }
        chart_set_series_overlap(ch, 100);
        chart_axis_set_label_position(ch->x_axis,
                                      LXW_CHART_AXIS_LABEL_POSITION_LOW);
        chart_axis_set_label_position(ch->y_axis,
                                      LXW_CHART_AXIS_LABEL_POSITION_LOW);
        if (c->x_money)
            chart_axis_set_num_format(ch->x_axis, mf);
        break;
    }
    }
    chart_axis_titles(ch, c);
    return ch;
}

static void sheet_charts(book *b, const gpb__charts *cs)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "charts");
    lxw_col_t c0[GPB__CHART_MAX];
    lxw_col_t col = 12; /* data to the right of the charts */
    size_t rows = 0;
    for (size_t i = 0; i < cs->n; i++) {
        c0[i] = col;
        col = (lxw_col_t)(col + block_width(&cs->c[i]));
        rows = cs->c[i].n > rows ? cs->c[i].n : rows;
    }
    /* Rows in order (constant-memory mode): titles, headers, data. */
    for (size_t i = 0; i < cs->n; i++)
        wstr(ws, 0, c0[i], cs->c[i].id, b->bold);
    for (size_t i = 0; i < cs->n; i++) {
        const gpb__chart *c = &cs->c[i];
        wstr(ws, 1, c0[i], c->kind == GPB__CHART_TORNADO ? "input" : "label",
             b->bold);
        for (size_t j = 0; j < c->n_series; j++)
            wstr(ws, 1, (lxw_col_t)(c0[i] + 1 + j), c->series[j].name,
                 b->bold);
        lxw_col_t x = (lxw_col_t)(c0[i] + 1 + c->n_series);
        if (c->kind == GPB__CHART_FAN) {
            static const char *const nm[5] = {"band base (P5)", "P25-P5",
                                              "P50-P25", "P75-P50",
                                              "P95-P75"};
            for (int j = 0; j < 5; j++)
                wstr(ws, 1, (lxw_col_t)(x + j), nm[j], b->bold);
        } else if (c->kind == GPB__CHART_TORNADO) {
            wstr(ws, 1, x, "low - base", b->bold);
            wstr(ws, 1, (lxw_col_t)(x + 1), "high - base", b->bold);
        }
    }
    for (size_t k = 0; k < rows; k++) {
        lxw_row_t row = (lxw_row_t)(2 + k);
        for (size_t i = 0; i < cs->n; i++) {
            const gpb__chart *c = &cs->c[i];
            if (k >= c->n)
                continue;
            lxw_format *f = c->y_money || c->x_money ? b->money
                            : c->y_percent          ? b->pct
                                                    : NULL;
            wstr(ws, row, c0[i], c->labels[k], NULL);
            for (size_t j = 0; j < c->n_series; j++)
                wnum(ws, row, (lxw_col_t)(c0[i] + 1 + j), c->series[j].y[k],
                     f);
            lxw_col_t x = (lxw_col_t)(c0[i] + 1 + c->n_series);
            if (c->kind == GPB__CHART_FAN)
                for (int j = 0; j < 5; j++)
                    wnum(ws, row, (lxw_col_t)(x + j), fan_band(c, j, k), f);
            else if (c->kind == GPB__CHART_TORNADO)
                for (int j = 0; j < 2; j++)
                    wnum(ws, row, (lxw_col_t)(x + j),
                         c->series[j].y[k] - c->base, f);
        }
    }
    for (size_t i = 0; i < cs->n; i++) {
        lxw_chart *ch = native_chart(b, &cs->c[i], c0[i]);
        lxw_chart_options o = {.x_scale = 1.6, .y_scale = 1.4};
        worksheet_insert_chart_opt(ws, (lxw_row_t)(1 + 22 * i), 0, ch, &o);
    }
}

static gpb_status sheet_samples(book *b, gpb_error *err)
{
    const gpb__view *v = b->v;
    const gpb_result *r = v->r;
    size_t n = gpb_result_kept_paths(r), K = gpb_result_input_count(r);
    size_t M = gpb_result_metric_count(r);
    if (n > XLSX_MAX_ROWS - 1)
        n = XLSX_MAX_ROWS - 1;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "samples");
    wstr(ws, 0, 0, "path", b->bold);
    for (size_t k = 0; k < K; k++)
        wstr(ws, 0, (lxw_col_t)(1 + k), gpb_result_input_path(r, k), b->bold);
    for (size_t m = 0; m < M; m++)
        wstr(ws, 0, (lxw_col_t)(1 + K + m), gpb_result_metric_name(r, m),
             b->bold);
    worksheet_freeze_panes(ws, 1, 1);
    /* Each input in its own currency, a column of every kept path (kept,
       not paths: above the memory budget only the first are kept). */
    size_t kept = gpb_result_kept_paths(r);
    double *own = malloc((K ? K : 1) * (kept ? kept : 1) * sizeof *own);
    const double **y = calloc(M ? M : 1, sizeof *y);
    gpb_status st = own && y ? GPB_OK
                             : gpb__fail(err, GPB_ENOMEM,
                                         "out of memory writing the samples");
    for (size_t k = 0; !st && k < K; k++)
        st = gpb_result_input_samples_own(v->s, r, k, own + k * kept, err);
    for (size_t m = 0; !st && m < M; m++)
        st = gpb_result_samples(r, gpb_result_metric_name(r, m), &y[m], err);
    if (st) {
        free(own);
        free(y);
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        wnum(ws, row, 0, (double)gpb_result_path_number(r, i), NULL);
        for (size_t k = 0; k < K; k++)
            wnum(ws, row, (lxw_col_t)(1 + k), own[k * kept + i], NULL);
        for (size_t m = 0; m < M; m++)
            wnum(ws, row, (lxw_col_t)(1 + K + m),
                 y[m][i] * gpb__view_factor(v, m), NULL);
    }
    free(own);
    free(y);
    return GPB_OK;
}

gpb_status gpb__xlsx_out_begin(gpb__xlsx_out *o, const char *path,
                               gpb_error *err)
{
    static atomic_uint counter;
    memset(o, 0, sizeof *o);
    o->mode = -1;
    if (!path)
        return gpb__fail(err, GPB_EINVAL, "path must not be NULL");
    GPB__TRY(gpb__xlsx_load(err)); /* before a file is touched */
    if (strlen(path) >= 4096)
        return gpb__fail(err, GPB_EINVAL, "the path '%.60s...' is too long",
                         path);
    snprintf(o->target, sizeof o->target, "%s", path);
    /* What the path names, links followed as open() would follow them. */
    struct stat st, fs;
    int exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        return gpb__fail(err, GPB_EINVAL,
                         "'%s' is not a regular file: a workbook is "
                         "written to a file, and replacing a device, FIFO "
                         "or directory with one would destroy it",
                         path);
    for (int fd = 1; exists && fd <= 2; fd++)
        if (fstat(fd, &fs) == 0 && fs.st_dev == st.st_dev &&
            fs.st_ino == st.st_ino)
            return gpb__fail(err, GPB_EINVAL,
                             "'%s' is the file standard %s goes to: a "
                             "workbook needs a file of its own",
                             path, fd == 1 ? "output" : "error");
    struct stat ls;
    if (lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode)) {
        char *r = realpath(path, NULL);
        int ok = r && strlen(r) < sizeof o->target;
        int e = r ? ENAMETOOLONG : errno;
        if (ok)
            snprintf(o->target, sizeof o->target, "%s", r);
        free(r);
        if (!ok)
            return e == ENOENT
                       ? gpb__fail(err, GPB_EINVAL,
                                   "'%s' is a symbolic link to a file "
                                   "that does not exist",
                                   path)
                       : gpb__fail(err, GPB_EIO, "cannot write '%s': %s",
                                   path, strerror(e));
    }
    for (int tries = 0; tries < 100; tries++) {
        snprintf(o->tmp, sizeof o->tmp, "%s.tmp-%ld-%u", o->target,
                 (long)getpid(), atomic_fetch_add(&counter, 1));
        int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
                      0666);
        if (fd >= 0) {
            /* The existing file's mode, set at the commit: libxlsxwriter
               opens the file again by name, which a read-only mode would
               refuse (a review). */
            o->mode = exists ? (int)(st.st_mode & 07777) : -1;
            close(fd);
            return GPB_OK;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    o->tmp[0] = 0;
    return gpb__fail(err, GPB_EIO, "cannot create a file next to '%s': %s",
                     path, strerror(e));
}

gpb_status gpb__xlsx_out_commit(gpb__xlsx_out *o, gpb_status st,
                                gpb_error *err)
{
    if (!o->tmp[0])
        return st;
    /* Never wider than the file was. */
    if (!st && o->mode >= 0 && chmod(o->tmp, (mode_t)o->mode) != 0)
        st = gpb__fail(err, GPB_EIO, "cannot write '%s': %s", o->target,
                       strerror(errno));
    if (!st && rename(o->tmp, o->target) != 0)
        st = gpb__fail(err, GPB_EIO, "cannot rename the workbook to '%s': %s",
                       o->target, strerror(errno));
    if (st)
        remove(o->tmp);
    o->tmp[0] = 0;
    return st;
}

static gpb_status write_book(book *b, const gpb__charts *cs, gpb_error *err)
{
    gpb_status st;
    sheet_summary(b);
    if ((st = sheet_quantiles(b, err)))
        return st;
    sheet_fan_pout(b, &cs->c[0]);
    sheet_sensitivity(b);
    sheet_claims(b);
    sheet_inputs_sources(b);
    sheet_scenario(b);
    sheet_ledger(b);
    sheet_charts(b, cs);
    if (b->v->samples)
        return sheet_samples(b, err);
    return GPB_OK;
}

gpb_status gpb_report_xlsx_write(const gpb_scenario *s, const gpb_result *r,
                                 const gpb_report_options *opt,
                                 const char *path, gpb_error *err)
{
    if (!s || !r || !path)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    gpb__view v;
    gpb_status st = gpb__view_init(&v, s, r, opt, 1, err);
    if (st)
        return st;
    gpb__charts cs;
    if ((st = gpb__charts_build(&v, &cs, err))) {
        gpb__view_free(&v);
        return st;
    }
    gpb__xlsx_out out;
    if ((st = gpb__xlsx_out_begin(&out, path, err))) {
        gpb__charts_free(&cs);
        gpb__view_free(&v);
        return st;
    }
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
    book b = {.v = &v};
    b.wb = workbook_new_opt(out.tmp, &wo);
    if (!b.wb) {
        gpb__xlsx_out_commit(&out, GPB_ENOMEM, NULL);
        gpb__charts_free(&cs);
        gpb__view_free(&v);
        return gpb__fail(err, GPB_ENOMEM, "libxlsxwriter could not start a "
                                          "workbook");
    }
    b.bold = workbook_add_format(b.wb);
    format_set_bold(b.bold);
    b.money = workbook_add_format(b.wb);
    format_set_num_format(b.money, money_format(v.cur));
    b.pct = workbook_add_format(b.wb);
    format_set_num_format(b.pct, "0.0%");
    b.num = workbook_add_format(b.wb);
    format_set_num_format(b.num, "0.000");
    b.wrap = workbook_add_format(b.wb);
    format_set_text_wrap(b.wrap);
    workbook_set_properties(b.wb,
                            &(lxw_doc_properties){
                                .title = (char *)gpb_scenario_name(s),
                                .comments = "Written by gpubudget "
                                            GPB_VERSION_STRING});

    st = write_book(&b, &cs, err);
    lxw_error le = workbook_close(b.wb);
    gpb__charts_free(&cs);
    gpb__view_free(&v);
    if (!st && le != LXW_NO_ERROR)
        st = gpb__fail(err, GPB_EIO, "writing '%s': %s", path,
                       lxw_strerror(le));
    return gpb__xlsx_out_commit(&out, st, err);
}
