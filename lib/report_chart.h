/*
 * The report's view of a result and the chart specifications, shared by
 * the JSON/CSV writer (report.c), the workbook (report_xlsx.c) and the
 * HTML page (report_html.c). Not installed.
 *
 * A view fixes what every format shows: the report currency and the one
 * rate that converts money to it, the sensitivity, and the confidence of
 * quantile intervals. The charts are built here once, as data (labels,
 * series, markers); the workbook turns them into native Excel charts and
 * the HTML page into Chart.js charts (lib/report.js), so every format draws
 * the same numbers.
 */
#ifndef GPB_REPORT_CHART_H
#define GPB_REPORT_CHART_H

#include <stddef.h>

#include "gpubudget/report.h"

/* ---- the view --------------------------------------------------------- */

typedef struct gpb__view {
    const gpb_scenario *s;
    const gpb_result *r;
    gpb_currency from;   /* the result's currency */
    gpb_currency cur;    /* the report's */
    double scale;        /* report money = result money × scale */
    double ci_level;
    int samples;
    double precision_target;
    int precision_reached;
    const gpb_sensitivity *sens; /* NULL when unavailable */
    gpb_sensitivity *owned;      /* computed here (freed with the view) */
    char sens_error[GPB_ERROR_MESSAGE_MAX]; /* why sens is NULL */
    double per_usd[GPB_CURRENCY_COUNT];     /* mean rates used */
} gpb__view;

/* Checks the options and fills v. opt NULL = defaults. want_sens 0 leaves
   v->sens NULL (formats without a sensitivity need not compute one). */
gpb_status gpb__view_init(gpb__view *v, const gpb_scenario *s,
                          const gpb_result *r, const gpb_report_options *opt,
                          int want_sens, gpb_error *err);
void gpb__view_free(gpb__view *v);

/* 1 when metric m of the result is money (its unit is the result's
   currency code). */
int gpb__view_is_money(const gpb__view *v, size_t m);
/* The unit shown for metric m (the report currency's code for money). */
const char *gpb__view_unit(const gpb__view *v, size_t m);
/* The factor metric m's values are multiplied by (scale or 1). */
double gpb__view_factor(const gpb__view *v, size_t m);

/* The summary numbers of one metric, in report units. */
#define GPB__N_LEVELS GPB_REPORT_N_LEVELS
typedef struct gpb__stats {
    double mean, se;
    double q[GPB__N_LEVELS];     /* at gpb_report_levels */
    double ci_lo[GPB__N_LEVELS]; /* at v->ci_level */
    double ci_hi[GPB__N_LEVELS];
} gpb__stats;
gpb_status gpb__view_stats(const gpb__view *v, size_t m, gpb__stats *out,
                           gpb_error *err);

/* Quantile-level keys "p5" … "p95", in gpb_report_levels order. */
extern const char *const gpb__level_keys[GPB__N_LEVELS];

/* Formats a value of metric unit `unit` (as gpb__view_unit gives it) for
   people: money "$4.6M" / "¥5,000万", probability "12.5%", months and
   counts "12.0", other numbers "4.1k". */
void gpb__view_format(const gpb__view *v, const char *unit, double value,
                      char *buf, size_t n);

/* A quantile x of a metric censored at cens (NaN: not censored): at
   the censoring value writes "≥ 24" and returns 1, else writes nothing
   and returns 0 (every report's one rule; the command line keeps a copy,
   cli_format_censored, as it cannot call the library's internals). */
int gpb__format_censored(double x, double cens, char *buf, size_t n);

/* A quantile of metric m as gpb__view_format writes it, or "≥ 24" where
   the metric is censored (gpb_result_censored_at: runway at the horizon,
   where the quantile means "at least"). */
void gpb__view_format_q(const gpb__view *v, size_t m, double value,
                        char *buf, size_t n);

/* The unit of scenario input i, as people write it (report_units.c):
   "CNY/person/year", "USD/GPU-hour", "people/month", "month" (a month
   number), "months" (a duration), "log-change/month", "fraction", … */
void gpb__input_unit(const gpb_scenario *s, size_t i, char *buf, size_t n);
/* 1 when the unit table has a row for key path `path` (for tests). */
int gpb__input_unit_known(const char *path);

/* A claim's value as the report shows it, and its unit (static or
   borrowed): money in the report currency (converted at the view's mean
   rates; a bare amount is in the scenario's currency), a duration in the
   unit of its metric (days for training.<run>.days, months for metrics in
   months, else hours), a number unchanged (the unit of its metric, or ""
   when the metric is not a result metric). */
double gpb__view_claim_value(const gpb__view *v, size_t claim,
                             const char **unit);

/* The simulated P5, P50 and P95 beside the claim's value, in its unit:
   of its result metric (the view's statistics, money in the report
   currency), or of the input it is about (gpb_claim_check_at: in the
   claim's own currency, as gpubudget check shows them). Returns 0 with
   q filled, or -1 when there are none (an expression, a derived metric:
   gpubudget check's). */
int gpb__view_claim_simulated(const gpb__view *v, size_t claim, double q[3]);

/* ---- charts ----------------------------------------------------------- */

typedef enum gpb__chart_kind {
    GPB__CHART_FAN,     /* series P5, P25, P50, P75, P95, zero; bands */
    GPB__CHART_LINE,    /* one or more lines */
    GPB__CHART_HIST,    /* one bar series over bins */
    GPB__CHART_TORNADO  /* horizontal bars from `base` to each series */
} gpb__chart_kind;

#define GPB__CHART_MAX_SERIES 6
#define GPB__CHART_MAX_MARKERS 16
#define GPB__CHART_MAX 8

typedef struct gpb__series {
    char name[64];
    double *y; /* n values (owned) */
} gpb__series;

/* A vertical line at x (in category-index units: 0 is the first label's
   centre, fractions lie between) with a label. */
typedef struct gpb__marker {
    double x;
    char label[96];
} gpb__marker;

typedef struct gpb__chart {
    gpb__chart_kind kind;
    char id[24];        /* "fan", "p_out", "hist_spend", … */
    char title[200];
    char x_title[80], y_title[80];
    int x_money, y_money; /* axis values are money in the report currency */
    int y_percent;        /* y values are fractions shown as percentages */
    size_t n;             /* points (categories) */
    char **labels;        /* n labels (owned) */
    char **keys;          /* tornado: the n inputs' key paths (owned);
                             NULL for other charts */
    size_t n_series;
    gpb__series series[GPB__CHART_MAX_SERIES];
    size_t n_markers;
    gpb__marker markers[GPB__CHART_MAX_MARKERS];
    double base;          /* tornado: the P50 with every input at median */
} gpb__chart;

typedef struct gpb__charts {
    size_t n;
    gpb__chart c[GPB__CHART_MAX];
} gpb__charts;

/*
 * Builds the report's charts: "fan" (cash balance by month), "p_out"
 * (P(out of cash) by month), "hist_spend" and "hist_runway" (share of
 * paths per bin, P5/P50/P95 marked), and, when the view's sensitivity has
 * a swing, "tornado_spend" and "tornado_runway" (the ten inputs with the
 * widest swing of P50 total spend / runway, labelled by
 * gpb_sensitivity_input_label, with their key paths in `keys`).
 */
gpb_status gpb__charts_build(const gpb__view *v, gpb__charts *out,
                             gpb_error *err);
void gpb__charts_free(gpb__charts *c);

/* Building a chart: the next chart of cs with n points (NULL when out of
   memory or cs is full; counted at once, so gpb__charts_free releases it),
   a point's label, a series (its n values, zeroed; NULL when out of
   memory or full) and a marker. */
gpb__chart *gpb__chart_new(gpb__charts *cs, gpb__chart_kind kind,
                          const char *id, size_t n);
int gpb__chart_label(gpb__chart *c, size_t i, const char *text);
double *gpb__chart_series(gpb__chart *c, const char *name);
void gpb__chart_marker(gpb__chart *c, double x, const char *label);

/* ---- pages and workbooks of any report -------------------------------- */

#include "internal.h"

/* An HTML page's start: doctype, head (title, style with CJK fonts, an
   error hook) and the <h1> title; and its end: Chart.js, the charts' data
   and lib/report.js, which draws every chart of cs into the page's
   <canvas id="chart-ID"> elements. Every page the library writes. */
void gpb__html_head(gpb__buf *b, const char *title);
gpb_status gpb__html_tail(gpb__buf *b, gpb_currency cur,
                          const gpb__charts *cs, gpb_error *err);
/* Hands the page over: *out = b's text when st is GPB_OK and nothing ran
   out of memory (GPB_ENOMEM then); otherwise frees it. Returns the status. */
gpb_status gpb__html_finish(gpb__buf *b, gpb_status st, char **out,
                            gpb_error *err);
/*
 * Where a workbook goes: a new empty file `tmp` next to `target` for
 * libxlsxwriter to write, renamed over `target` once complete. target is
 * path, or a symbolic link's target (so the link stays a link); an
 * existing target keeps its mode. A target that exists and is not a
 * regular file (/dev/null, a FIFO, a directory) is refused: rename would
 * replace a device with a file (a user review found /dev/full so
 * replaced).
 */
typedef struct gpb__xlsx_out {
    char target[4200];
    char tmp[4300];
    int mode; /* the existing target's mode, or -1 */
} gpb__xlsx_out;
gpb_status gpb__xlsx_out_begin(gpb__xlsx_out *o, const char *path,
                               gpb_error *err);
/* After writing into o->tmp with status st: renames it over the target
   (GPB_OK), or removes it (st, or a failed rename). Returns the status. */
gpb_status gpb__xlsx_out_commit(gpb__xlsx_out *o, gpb_status st,
                                gpb_error *err);

/* Text, escaped, marked lang="zh" (or ja, ko) when it has CJK. */
void gpb__html_text(gpb__buf *b, const char *s);

/* Human-readable list of GPB_SENS_* flags ("constant input", …) into buf;
   "" for none. */
void gpb__sens_flags_text(unsigned flags, char *buf, size_t n);

#endif /* GPB_REPORT_CHART_H */
