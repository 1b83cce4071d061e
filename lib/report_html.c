/*
 * The HTML report (gpb_report_html): one self-contained page. Tables are
 * written here; the charts are specified by report_chart.c, serialised as
 * JSON into the page, and drawn by lib/report.js with Chart.js. Both
 * scripts are compiled into the library (lib/embed.py) and inlined, so the
 * page needs no network access.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "report_chart.h"
#include "scenario_model.h"

/* Generated at build time by lib/embed.py: Debian's Chart.js 3
   (libjs-chart.js, /usr/share/javascript/chart.js/chart.min.js, MIT
   licence, its banner kept) and lib/report.js. */
extern const char gpb__chartjs_text[];
extern const char gpb__report_js[];

/* The page is built in gpb__buf (internal.h). */
typedef gpb__buf hbuf;

static void hb_put(hbuf *b, const char *s, size_t n)
{
    gpb__buf_put(b, s, n);
}

static void hb_raw(hbuf *b, const char *s) { hb_put(b, s, strlen(s)); }

#define hb_printf gpb__buf_printf

/* Text with &, <, >, " and ' escaped; NULL writes nothing. */
static void hb_text(hbuf *b, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        switch (*p) {
        case '&': hb_raw(b, "&amp;"); break;
        case '<': hb_raw(b, "&lt;"); break;
        case '>': hb_raw(b, "&gt;"); break;
        case '"': hb_raw(b, "&quot;"); break;
        case '\'': hb_raw(b, "&#39;"); break;
        default: hb_put(b, p, 1);
        }
    }
}

/* The language of text for its lang attribute: "ja" with kana, "ko" with
   hangul, "zh" with other CJK characters (Han, CJK punctuation, fullwidth
   forms), NULL for none. Browsers pick CJK glyphs by the language (the
   same Han character is drawn differently in Chinese and Japanese fonts),
   and the page itself is lang="en". */
static const char *cjk_lang(const char *s)
{
    int han = 0, kana = 0, hangul = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
        unsigned c;
        int len;
        if (*p < 0x80) {
            p++;
            continue;
        } else if ((*p & 0xe0) == 0xc0) {
            c = *p & 0x1fu;
            len = 2;
        } else if ((*p & 0xf0) == 0xe0) {
            c = *p & 0x0fu;
            len = 3;
        } else {
            c = *p & 0x07u;
            len = 4;
        }
        int k = 1;
        for (; k < len && (p[k] & 0xc0) == 0x80; k++)
            c = (c << 6) | (p[k] & 0x3fu);
        p += k;
        if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff))
            kana = 1;
        else if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) ||
                 (c >= 0x3130 && c <= 0x318f))
            hangul = 1;
        else if ((c >= 0x2e80 && c <= 0x2fdf) || (c >= 0x3000 && c <= 0x303f) ||
                 (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
                 (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) ||
                 (c >= 0x20000 && c <= 0x2fa1f))
            han = 1;
    }
    return kana ? "ja" : hangul ? "ko" : han ? "zh" : NULL;
}

/* Text as hb_text, in a <span lang="…"> when it holds CJK characters. */
static void hb_text_lang(hbuf *b, const char *s)
{
    const char *lang = cjk_lang(s);
    if (lang)
        hb_printf(b, "<span lang=\"%s\">", lang);
    hb_text(b, s);
    if (lang)
        hb_raw(b, "</span>");
}

/* A cell for an input: its label, and its key path below in small type
   (the machine identifier, as --json and the samples CSV name it). */
static void td_input(hbuf *b, const char *label, const char *path)
{
    hb_raw(b, "<td>");
    hb_text_lang(b, label ? label : path);
    hb_raw(b, "<br><code class=\"key\">");
    hb_text(b, path);
    hb_raw(b, "</code></td>");
}

static void td(hbuf *b, const char *s)
{
    hb_raw(b, "<td>");
    hb_text(b, s);
    hb_raw(b, "</td>");
}

/* A cell of text that may be in Chinese (names, titles, quotes). */
static void td_lang(hbuf *b, const char *s)
{
    hb_raw(b, "<td>");
    hb_text_lang(b, s);
    hb_raw(b, "</td>");
}

static void td_num(hbuf *b, const char *s)
{
    hb_raw(b, "<td class=\"n\">");
    hb_text(b, s);
    hb_raw(b, "</td>");
}

/* Fonts: the system's UI font, then CJK fonts by platform (macOS,
   Windows, the Noto/Source Han families of Linux and Android, WenQuanYi
   of older Linux), so Chinese names and quotes render without tofu; text
   marked lang="zh" (hb_text_lang) prefers the Simplified Chinese faces,
   ja and ko theirs. report.js gives Chart.js the same stack. */
#define GPB__FONT_CJK_SC                                                    \
    "\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\","          \
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Noto Sans SC\","      \
    "\"WenQuanYi Micro Hei\""
static const char STYLE[] =
    "body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Noto Sans\",\"Helvetica Neue\",Arial," GPB__FONT_CJK_SC
    ",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;"
    "color:#222}\n"
    ":lang(zh){font-family:system-ui,-apple-system,\"Segoe UI\","
    GPB__FONT_CJK_SC ",sans-serif}\n"
    ":lang(ja){font-family:system-ui,\"Hiragino Sans\",\"Yu Gothic\","
    "\"Noto Sans CJK JP\",\"Source Han Sans JP\",sans-serif}\n"
    ":lang(ko){font-family:system-ui,\"Apple SD Gothic Neo\","
    "\"Malgun Gothic\",\"Noto Sans CJK KR\",\"Source Han Sans KR\","
    "sans-serif}\n"
    "code,pre{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,"
    "Consolas,\"Noto Sans Mono CJK SC\"," GPB__FONT_CJK_SC ",monospace}\n"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:"
    "1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;"
    "border-bottom:1px solid #eee;text-align:left;vertical-align:top}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    ".meta{color:#555}.chart{position:relative;height:340px;margin:1em 0}\n"
    ".quote{color:#555;font-size:.9em}code.key{color:#777;font-size:.8em}\n"
    "pre.scenario{background:#f6f6f6;padding:.6em;overflow:auto;"
    "max-height:40em;font-size:12px}\n";

/* One row of the headline table. */
static gpb_status summary_row(hbuf *b, const gpb__view *v, const char *label,
                              const char *metric, gpb_error *err)
{
    size_t m;
    if (gpb_result_metric_find(v->r, metric, &m, NULL))
        return GPB_OK; /* a metric this scenario does not have */
    gpb__stats x;
    gpb_status st = gpb__view_stats(v, m, &x, err);
    if (st)
        return st;
    const char *u = gpb__view_unit(v, m);
    char f[6][48];
    /* A censored quantile says "≥ horizon"; the mean is then the
       restricted mean (the note under the table). */
    gpb__view_format_q(v, m, x.q[0], f[0], sizeof f[0]);
    gpb__view_format_q(v, m, x.q[3], f[1], sizeof f[1]);
    gpb__view_format_q(v, m, x.q[6], f[2], sizeof f[2]);
    gpb__view_format(v, u, x.mean, f[3], sizeof f[3]);
    gpb__view_format_q(v, m, x.ci_lo[3], f[4], sizeof f[4]);
    gpb__view_format_q(v, m, x.ci_hi[3], f[5], sizeof f[5]);
    char ci[100];
    snprintf(ci, sizeof ci, "%s – %s", f[4], f[5]);
    hb_raw(b, "<tr>");
    td(b, label);
    for (int k = 0; k < 4; k++)
        td_num(b, f[k]);
    td_num(b, ci);
    hb_raw(b, "</tr>\n");
    return GPB_OK;
}

static gpb_status summary(hbuf *b, const gpb__view *v, gpb_error *err)
{
    const gpb_result *r = v->r;
    int H = gpb_result_horizon_months(r);
    hb_printf(b,
              "<h2>Summary</h2>\n<table id=\"summary\"><tr><th></th>"
              "<th class=\"n\">P5</th><th class=\"n\">P50</th>"
              "<th class=\"n\">P95</th><th class=\"n\">mean</th>"
              "<th class=\"n\">%.0f%% interval of P50</th></tr>\n",
              100 * v->ci_level);
    gpb_report_row rows[256];
    size_t nr = gpb_report_summary_rows(r, rows, 256);
    gpb_status st;
    for (size_t k = 0; k < nr && k < 256; k++) {
        char label[96];
        snprintf(label, sizeof label, "%s%s", rows[k].depth ? "  " : "",
                 gpb_result_metric_label(r, rows[k].metric));
        if ((st = summary_row(b, v, label,
                              gpb_result_metric_name(r, rows[k].metric),
                              err)))
            return st;
    }

    hb_raw(b, "</table>\n");
    double cens = gpb_result_censored_at(r, "runway_months");
    if (!isnan(cens))
        hb_printf(b,
                  "<p class=\"meta\">Runway is censored at the %d-month "
                  "horizon: &ge; %.0f means the cash lasts, and its mean is "
                  "the restricted mean (months up to the horizon).</p>\n",
                  H, cens);
    double mean = 0, se = 0;
    gpb_result_mean(r, "spend.total", &mean, &se, NULL);
    hb_printf(b,
              "<p>P(out of cash within %d months): <b>%.1f%%</b>. "
              "Raise needed now:",
              H, 100 * gpb_result_prob_out_of_cash_by(r, H - 1));
    const double *conf = gpb_report_raise_levels;
    for (int k = 0; k < GPB_REPORT_N_RAISE_LEVELS; k++) {
        double q;
        char f[48];
        if ((st = gpb_result_raise_needed(r, conf[k], &q, err)))
            return st;
        gpb__view_format(v, gpb_currency_code(v->cur), q * v->scale, f,
                         sizeof f);
        hb_printf(b, " %.0f%%: <b>", 100 * conf[k]);
        hb_text(b, f);
        hb_raw(b, "</b>");
    }
    hb_printf(b,
              ". Standard error of mean total spend: %.2f%% of the mean "
              "(%zu paths).</p>\n",
              mean != 0 ? 100 * se / fabs(mean) : 0.0, gpb_result_paths(r));

    /* Every metric, folded. */
    hb_printf(b,
              "<details><summary>All metrics</summary>\n<table id=\"metrics\">"
              "<tr><th>metric</th><th>unit</th><th class=\"n\">mean</th>"
              "<th class=\"n\">std. error</th><th class=\"n\">P5</th>"
              "<th class=\"n\">P50</th><th class=\"n\">P95</th></tr>\n");
    for (size_t m = 0; m < gpb_result_metric_count(r); m++) {
        gpb__stats x;
        if ((st = gpb__view_stats(v, m, &x, err)))
            return st;
        const char *u = gpb__view_unit(v, m);
        char f[5][48];
        double vals[5] = {x.mean, x.se, x.q[0], x.q[3], x.q[6]};
        hb_raw(b, "<tr>");
        td(b, gpb_result_metric_name(r, m));
        td(b, u);
        for (int k = 0; k < 5; k++) {
            if (k >= 2)
                gpb__view_format_q(v, m, vals[k], f[k], sizeof f[k]);
            else
                gpb__view_format(v, u, vals[k], f[k], sizeof f[k]);
            td_num(b, f[k]);
        }
        hb_raw(b, "</tr>\n");
    }
    hb_raw(b, "</table></details>\n");
    return GPB_OK;
}

/* One row of the events table: the paths of r where cond holds. 0 when
   written, 1 when cond holds on no path (the row is left out). */
static gpb_status event_row(hbuf *b, const gpb__view *v, const char *label,
                            const char *cond, int *written, gpb_error *err)
{
    gpb_result *g = NULL;
    gpb_error e;
    *written = 0;
    gpb_status st = gpb_result_given(v->s, v->r, cond, &g, &e);
    if (st == GPB_ENOMEM)
        return gpb__fail(err, GPB_ENOMEM, "out of memory splitting paths");
    if (st)
        return GPB_OK; /* on no path: nothing to show */
    const char *cur = gpb_currency_code(v->cur);
    double spend = NAN, cash = NAN, out = NAN, runway = NAN, se;
    gpb_result_quantile(g, "spend.total", 0.5, &spend, NULL);
    gpb_result_quantile(g, "cash.min", 0.5, &cash, NULL);
    gpb_result_mean(g, "out_of_cash", &out, &se, NULL);
    gpb_result_quantile(g, "runway_months", 0.5, &runway, NULL);
    char f[2][48], share[32], pout[32], rw[32];
    gpb__view_format(v, cur, spend * v->scale, f[0], sizeof f[0]);
    gpb__view_format(v, cur, cash * v->scale, f[1], sizeof f[1]);
    snprintf(share, sizeof share, "%.1f%%",
             100.0 * (double)gpb_result_paths(g) /
                 (double)gpb_result_kept_paths(v->r));
    snprintf(pout, sizeof pout, "%.1f%%", 100 * out);
    int H = gpb_result_horizon_months(v->r);
    if (runway >= H)
        snprintf(rw, sizeof rw, "&ge; %d (the horizon)", H);
    else
        snprintf(rw, sizeof rw, "%.1f", runway);
    hb_raw(b, "<tr>");
    td_lang(b, label);
    td_num(b, share);
    td_num(b, f[0]);
    td_num(b, f[1]);
    td_num(b, pout);
    hb_printf(b, "<td class=\"n\">%s</td>", rw);
    hb_raw(b, "</tr>\n");
    gpb_result_free(g);
    *written = 1;
    return GPB_OK;
}

/*
 * Every headline split by each uncertain event: whether each funding round
 * closed and whether each training run diverged (gpb_result_given, over
 * the kept paths). An event that is certain (on every path or none) has
 * no split and no row.
 */
static gpb_status events(hbuf *b, const gpb__view *v, gpb_error *err)
{
    const gpb_scenario *s = v->s;
    size_t n_f = s->n_funding, n_t = gpb_scenario_training_count(s);
    if (n_f + n_t == 0)
        return GPB_OK;
    hbuf t = {0};
    int rows = 0;
    gpb_status st = GPB_OK;
    for (size_t k = 0; k < n_f + n_t && !st; k++) {
        int run = k >= n_f;
        size_t i = run ? k - n_f : k;
        const char *name = run ? gpb_scenario_training_name(s, i)
                               : s->funding[i].name;
        char cond[2][96], label[2][160];
        for (int yes = 1; yes >= 0; yes--) {
            snprintf(cond[yes], sizeof cond[yes],
                     run ? "training[%zu].diverged=%s"
                         : "company.funding[%zu].closed=%s",
                     i, yes ? "true" : "false");
            snprintf(label[yes], sizeof label[yes],
                     run ? "run \u201c%s\u201d %s" : "round \u201c%s\u201d %s",
                     name,
                     run ? (yes ? "diverged" : "did not diverge")
                         : (yes ? "closed" : "did not close"));
        }
        /* Both sides must hold on some path. */
        hbuf pair = {0};
        int w1 = 0, w0 = 0;
        st = event_row(&pair, v, label[1], cond[1], &w1, err);
        if (!st)
            st = event_row(&pair, v, label[0], cond[0], &w0, err);
        if (!st && w1 && w0) {
            hb_put(&t, pair.p, pair.len);
            rows++;
        }
        if (pair.oom)
            t.oom = 1;
        free(pair.p);
    }
    if (!st && rows) {
        hb_raw(b, "<h2>What the events did</h2>\n<p class=\"meta\">The "
                  "paths split by each uncertain event (kept paths; "
                  "<code>gpubudget run --given</code> gives every metric "
                  "for one side).</p>\n<table id=\"events\"><tr><th>paths "
                  "where</th><th class=\"n\">share</th><th class=\"n\">"
                  "total spend P50</th><th class=\"n\">lowest cash P50</th>"
                  "<th class=\"n\">P(out of cash)</th><th class=\"n\">"
                  "runway P50, months</th></tr>\n");
        hb_put(b, t.p, t.len);
        hb_raw(b, "</table>\n");
    }
    if (t.oom)
        b->oom = 1;
    free(t.p);
    return st;
}

static void sensitivity_table(hbuf *b, const gpb__view *v, const char *metric,
                              const char *what)
{
    const gpb_sensitivity *x = v->sens;
    size_t m, K = gpb_sensitivity_input_count(x);
    if (!x || K == 0 || gpb_result_metric_find(v->r, metric, &m, NULL))
        return;
    size_t n = K < 10 ? K : 10;
    size_t order[10];
    int sw = gpb_sensitivity_has_swing(x);
    size_t *all = malloc(K * sizeof *all);
    if (!all ||
        gpb_sensitivity_rank(x, m, GPB_SENS_BY_SRRC, all, K, NULL) != GPB_OK) {
        free(all);
        return;
    }
    memcpy(order, all, n * sizeof *order);
    free(all);
    hb_raw(b, "<h3>");
    hb_text(b, what);
    hb_printf(b, " <span class=\"meta\">(R² of the rank regression %.2f)"
                 "</span></h3>\n",
              gpb_sensitivity_r2(x, m));
    if (gpb_sensitivity_flags(x, m, (size_t)-1) & GPB_SENS_CONSTANT_OUTPUT) {
        hb_raw(b, "<p>The same on every path: nothing moves it.</p>\n");
        return;
    }
    hb_raw(b, "<table><tr><th>input</th><th class=\"n\">SRRC</th>"
              "<th class=\"n\">Spearman</th>");
    if (sw)
        hb_printf(b,
                  "<th class=\"n\">P50, input at P%.0f</th>"
                  "<th class=\"n\">P50, input at P%.0f</th>"
                  "<th class=\"n\">± standard error of the swing</th>",
                  100 * gpb_sensitivity_swing_low(x),
                  100 * gpb_sensitivity_swing_high(x));
    hb_raw(b, "</tr>\n");
    const char *u = gpb__view_unit(v, m);
    double f = gpb__view_factor(v, m);
    for (size_t j = 0; j < n; j++) {
        size_t k = order[j];
        char a[48], c[56];
        hb_raw(b, "<tr>");
        td_input(b, gpb_sensitivity_input_label(x, k),
                 gpb_sensitivity_input_path(x, k));
        snprintf(a, sizeof a, "%+.2f", gpb_sensitivity_srrc(x, m, k));
        snprintf(c, sizeof c, "%+.2f", gpb_sensitivity_spearman(x, m, k));
        td_num(b, a);
        td_num(b, c);
        if (sw) {
            double lo, hi, se = NAN;
            gpb_sensitivity_swing(x, m, k, &lo, &hi, NULL, NULL);
            gpb_sensitivity_swing_se(x, m, k, &se, NULL);
            gpb__view_format(v, u, lo * f, a, sizeof a);
            gpb__view_format(v, u, hi * f, c, sizeof c);
            td_num(b, a);
            td_num(b, c);
            gpb__view_format(v, u, se * f, a, sizeof a);
            snprintf(c, sizeof c, "±%s", a);
            td_num(b, isfinite(se) ? c : "–");
        }
        hb_raw(b, "</tr>\n");
    }
    hb_raw(b, "</table>\n");
}

static void inputs_and_sources(hbuf *b, const gpb__view *v)
{
    const gpb_scenario *s = v->s;
    hb_raw(b, "<h2>Inputs</h2>\n<p class=\"meta\">Every number of the "
              "scenario, named as the file names it (with its key path "
              "below), its distribution and the line of the file it came "
              "from (the file's comments say why).</p>\n"
              "<table id=\"inputs\"><tr><th>input</th><th>distribution</th>"
              "<th>unit</th><th class=\"n\">P10</th><th class=\"n\">P50</th>"
              "<th class=\"n\">P90</th><th>line</th></tr>\n");
    for (size_t i = 0; i < s->n_inputs; i++) {
        const gpb__input *in = &s->inputs[i];
        char unit[64], desc[256], q[3][48], line[32];
        gpb__input_unit(s, i, unit, sizeof unit);
        gpb_dist_describe(&in->dist, desc, sizeof desc);
        static const double lv[3] = {0.1, 0.5, 0.9};
        for (int k = 0; k < 3; k++)
            gpb_units_format_number(gpb_dist_quantile(&in->dist, lv[k]),
                                    GPB_STYLE_EN, 4, q[k], sizeof q[k]);
        snprintf(line, sizeof line, "%d", in->line);
        hb_raw(b, "<tr>");
        td_input(b, in->label, in->path);
        td(b, desc);
        td(b, unit);
        for (int k = 0; k < 3; k++)
            td_num(b, q[k]);
        td(b, in->line ? line : "default");
        hb_raw(b, "</tr>\n");
    }
    hb_raw(b, "</table>\n<h2>Sources</h2>\n");
    if (s->n_sources == 0) {
        /* No empty table: say so, where the table would be. */
        hb_raw(b, "<p id=\"sources\" class=\"none\">No sources given: the "
                  "scenario has no <code>sources:</code> list.</p>\n");
        return;
    }
    hb_raw(b, "<table id=\"sources\"><tr><th>id</th><th>source</th></tr>\n");
    for (size_t i = 0; i < s->n_sources; i++) {
        const gpb__source *x = &s->sources[i];
        hb_raw(b, "<tr>");
        td(b, x->id);
        hb_raw(b, "<td>");
        hb_text_lang(b, x->title);
        if (x->outlet) {
            hb_raw(b, ", ");
            hb_text_lang(b, x->outlet);
        }
        if (x->date) {
            hb_raw(b, " (");
            hb_text(b, x->date);
            hb_raw(b, ")");
        }
        if (x->url) {
            hb_raw(b, "<br><code>");
            hb_text(b, x->url);
            hb_raw(b, "</code>");
        }
        if (x->quote) {
            hb_raw(b, "<br><span class=\"quote\">“");
            hb_text_lang(b, x->quote);
            hb_raw(b, "”</span>");
        }
        hb_raw(b, "</td></tr>\n");
    }
    hb_raw(b, "</table>\n");
}

static void claims(hbuf *b, const gpb__view *v)
{
    const gpb_scenario *s = v->s;
    hb_raw(b, "<h2>Claims</h2>\n");
    if (s->n_claims == 0) {
        hb_raw(b, "<p>The scenario states no claims.</p>\n");
        return;
    }
    hb_raw(b, "<p class=\"meta\">What the sources say, next to what the "
              "simulation gives. The verdict is the job of "
              "<code>gpubudget check</code>.</p>\n<table id=\"claims\">"
              "<tr><th>claim</th><th>source</th><th>says</th><th>metric</th>"
              "<th class=\"n\">claimed</th><th class=\"n\">simulated P5</th>"
              "<th class=\"n\">P50</th><th class=\"n\">P95</th></tr>\n");
    for (size_t i = 0; i < s->n_claims; i++) {
        const gpb__claim *c = &s->claims[i];
        size_t m;
        double q[3];
        /* The claim's result metric or input, as the JSON gives it; a
           censored runway as "≥ 24" (a user review found "24.0"). */
        int have = !gpb__view_claim_simulated(v, i, q);
        int is_metric = c->metric &&
                        !gpb_result_metric_find(v->r, c->metric, &m, NULL);
        const char *unit = NULL;
        if (have && !is_metric)
            gpb__view_claim_value(v, i, &unit);
        hb_raw(b, "<tr>");
        td(b, c->id);
        td(b, c->source);
        td_lang(b, c->says);
        td(b, c->metric);
        td_num(b, c->text);
        for (int k = 0; k < 3; k++) {
            char f[48] = "—";
            if (have && is_metric)
                gpb__view_format_q(v, m, q[k], f, sizeof f);
            else if (have)
                gpb__view_format(v, unit, q[k], f, sizeof f);
            td_num(b, f);
        }
        hb_raw(b, "</tr>\n");
    }
    hb_raw(b, "</table>\n");
}

/* Standard base64 (RFC 4648, with padding) of n bytes. */
static void hb_base64(hbuf *b, const unsigned char *p, size_t n)
{
    static const char A[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        out[0] = A[(v >> 18) & 63];
        out[1] = A[(v >> 12) & 63];
        out[2] = i + 1 < n ? A[(v >> 6) & 63] : '=';
        out[3] = i + 2 < n ? A[v & 63] : '=';
        hb_put(b, out, 4);
    }
}

/* The file name the scenario is offered under: the source's base name
   ("qianka-month.yaml (built in)" without the note), ending in .yaml or
   .yml; "scenario.yaml" for text without a file. */
static void download_name(const gpb_scenario *s, char *buf, size_t n)
{
    const char *src = gpb_scenario_source(s);
    const char *base = src ? strrchr(src, '/') : NULL;
    base = base ? base + 1 : src;
    size_t len = base ? strcspn(base, " ") : 0;
    if (!base || len == 0 || base[0] == '<' || base[0] == '.') {
        gpb__strlcpy(buf, "scenario.yaml", n);
        return;
    }
    int yaml = (len > 5 && !strncmp(base + len - 5, ".yaml", 5)) ||
               (len > 4 && !strncmp(base + len - 4, ".yml", 4));
    snprintf(buf, n, "%.*s%s", (int)(len < 200 ? len : 200), base,
             yaml ? "" : ".yaml");
}

/*
 * The scenario that was run, in the page: a download link whose href is
 * the file's exact bytes as a data: URL (base64, so nothing in the YAML
 * can end an attribute or change a byte; it works offline and without
 * scripts; report.js swaps it for a Blob URL, which has no length limit),
 * and the text itself, folded, for reading.
 */
static void scenario_text(hbuf *b, const gpb_scenario *s)
{
    size_t len;
    const char *text = gpb_scenario_text(s, &len);
    const char *ov = gpb_scenario_overrides(s);
    char name[256];
    download_name(s, name, sizeof name);
    hb_raw(b, "<h2>Scenario</h2>\n<p>The scenario this report ran, as read: "
              "<a id=\"gpb-scenario-download\" download=\"");
    hb_text(b, name);
    hb_printf(b, "\" data-bytes=\"%zu\" href=\"data:application/yaml;"
                 "base64,", text ? len : 0);
    if (text)
        hb_base64(b, (const unsigned char *)text, len);
    hb_raw(b, "\">download ");
    hb_text(b, name);
    hb_printf(b, "</a> (%zu bytes).", text ? len : 0);
    if (ov) {
        hb_raw(b, " It was loaded with these overrides, which the file does "
                  "not contain: <code id=\"gpb-scenario-overrides\">");
        hb_text(b, ov);
        hb_raw(b, "</code>.");
    }
    hb_raw(b, "</p>\n<details><summary>The YAML</summary>\n<pre "
              "class=\"scenario\" id=\"gpb-scenario\"");
    const char *lang = cjk_lang(text);
    if (lang)
        hb_printf(b, " lang=\"%s\"", lang);
    /* A newline right after <pre> is dropped by HTML parsers: write one,
       so a file that starts with a blank line shows it. */
    hb_raw(b, ">\n");
    hb_text(b, text);
    hb_raw(b, "</pre></details>\n");
}

static json_t *charts_json(gpb_currency cur, const gpb__charts *cs)
{
    static const char *const kinds[] = {"fan", "line", "hist", "tornado"};
    json_t *root = json_object(), *arr = json_array();
    json_object_set_new(root, "currency", json_string(gpb_currency_code(cur)));
    json_object_set_new(root, "charts", arr);
    for (size_t i = 0; i < cs->n; i++) {
        const gpb__chart *c = &cs->c[i];
        json_t *o = json_object(), *labels = json_array();
        json_t *series = json_array(), *markers = json_array();
        json_object_set_new(o, "id", json_string(c->id));
        json_object_set_new(o, "kind", json_string(kinds[c->kind]));
        json_object_set_new(o, "title", json_string(c->title));
        json_object_set_new(o, "x_title", json_string(c->x_title));
        json_object_set_new(o, "y_title", json_string(c->y_title));
        json_object_set_new(o, "x_money", json_boolean(c->x_money));
        json_object_set_new(o, "y_money", json_boolean(c->y_money));
        json_object_set_new(o, "y_percent", json_boolean(c->y_percent));
        json_object_set_new(o, "base",
                            isfinite(c->base) ? json_real(c->base)
                                              : json_null());
        for (size_t k = 0; k < c->n; k++)
            json_array_append_new(labels, json_string(c->labels[k]));
        if (c->keys) {
            json_t *keys = json_array();
            for (size_t k = 0; k < c->n; k++)
                json_array_append_new(keys, json_string(c->keys[k]));
            json_object_set_new(o, "keys", keys);
        }
        for (size_t j = 0; j < c->n_series; j++) {
            json_t *d = json_array();
            for (size_t k = 0; k < c->n; k++)
                json_array_append_new(d, isfinite(c->series[j].y[k])
                                             ? json_real(c->series[j].y[k])
                                             : json_null());
            json_array_append_new(series,
                                  json_pack("{s:s,s:o}", "name",
                                            c->series[j].name, "data", d));
        }
        for (size_t j = 0; j < c->n_markers; j++)
            json_array_append_new(markers,
                                  json_pack("{s:f,s:s}", "x", c->markers[j].x,
                                            "label", c->markers[j].label));
        json_object_set_new(o, "labels", labels);
        json_object_set_new(o, "series", series);
        json_object_set_new(o, "markers", markers);
        json_array_append_new(arr, o);
    }
    return root;
}

void gpb__html_head(gpb__buf *b, const char *title)
{
    hb_raw(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
              "<meta charset=\"utf-8\">\n<title>gpubudget: ");
    hb_text(b, title);
    hb_raw(b, "</title>\n<style>\n");
    hb_raw(b, STYLE);
    /* Errors from here on are recorded for the status line. */
    hb_raw(b, "</style>\n<script>window.gpbErrors=[];window.addEventListener("
              "'error',function(e){window.gpbErrors.push(String(e.message))"
              "});</script>\n</head>\n<body>\n<h1>");
    hb_text_lang(b, title);
    hb_raw(b, "</h1>\n");
}

void gpb__html_text(gpb__buf *b, const char *s) { hb_text_lang(b, s); }

gpb_status gpb__html_tail(gpb__buf *b, gpb_currency cur,
                          const gpb__charts *cs, gpb_error *err)
{
    hb_raw(b, "<div id=\"gpb-status\" hidden></div>\n<script>\n");
    hb_raw(b, gpb__chartjs_text);
    hb_raw(b, "\n</script>\n<script type=\"application/json\" "
              "id=\"gpb-charts\">");
    json_t *spec = charts_json(cur, cs);
    /* ASCII only and "/" escaped: the JSON cannot end the script early. */
    char *text = spec ? json_dumps(spec, JSON_COMPACT | JSON_ENSURE_ASCII |
                                             JSON_ESCAPE_SLASH |
                                             JSON_REAL_PRECISION(12))
                      : NULL;
    json_decref(spec);
    if (!text)
        return gpb__fail(err, GPB_ENOMEM, "out of memory writing charts");
    hb_raw(b, text);
    free(text);
    hb_raw(b, "</script>\n<script>\n");
    hb_raw(b, gpb__report_js);
    hb_raw(b, "\n</script>\n</body>\n</html>\n");
    return GPB_OK;
}

static gpb_status page(hbuf *b, const gpb__view *v, const gpb__charts *cs,
                       gpb_error *err)
{
    const gpb_scenario *s = v->s;
    const gpb_result *r = v->r;
    gpb__html_head(b, gpb_scenario_name(s));
    hb_raw(b, "<p class=\"meta\">");
    hb_text(b, gpb_scenario_source(s));
    hb_printf(b, "; %zu paths, seed %llu; %d months; money in %s",
              gpb_result_paths(r), (unsigned long long)gpb_result_seed(r),
              gpb_result_horizon_months(r), gpb_currency_code(v->cur));
    if (v->cur != v->from)
        hb_printf(b, " (converted from %s at %.6g, the mean exchange rate)",
                  gpb_currency_code(v->from), v->scale);
    hb_printf(b, "; gpubudget %s.</p>\n", gpb_version());

    gpb_status st = summary(b, v, err);
    if (!st)
        st = events(b, v, err);
    if (st)
        return st;

    hb_raw(b, "<h2>Charts</h2>\n");
    for (size_t i = 0; i < cs->n; i++)
        hb_printf(b,
                  "<div class=\"chart\"><canvas id=\"chart-%s\"></canvas>"
                  "</div>\n",
                  cs->c[i].id);

    hb_raw(b, "<h2>What moves the answer</h2>\n");
    if (!v->sens) {
        hb_raw(b, "<p>No sensitivity: ");
        hb_text(b, v->sens_error);
        hb_raw(b, "</p>\n");
    } else {
        hb_printf(b,
                  "<p class=\"meta\">Standardised rank regression "
                  "coefficients (SRRC) and Spearman rank correlations from "
                  "%zu paths",
                  gpb_sensitivity_paths(v->sens));
        if (gpb_sensitivity_has_swing(v->sens))
            hb_printf(b,
                      "; the swing re-runs %zu paths per side with one input "
                      "at its P%.0f or P%.0f and the others at their medians",
                      gpb_sensitivity_swing_paths(v->sens),
                      100 * gpb_sensitivity_swing_low(v->sens),
                      100 * gpb_sensitivity_swing_high(v->sens));
        hb_raw(b, ". docs/output.md gives the method.</p>\n");
        sensitivity_table(b, v, "spend.total", "Total spend");
        sensitivity_table(b, v, "runway_months", "Runway");
    }
    inputs_and_sources(b, v);
    claims(b, v);
    scenario_text(b, s);

    return gpb__html_tail(b, v->cur, cs, err);
}

gpb_status gpb_report_html(const gpb_scenario *s, const gpb_result *r,
                           const gpb_report_options *opt, char **out,
                           gpb_error *err)
{
    if (out)
        *out = NULL;
    if (!s || !r || !out)
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
    hbuf b = {0};
    st = page(&b, &v, &cs, err);
    gpb__charts_free(&cs);
    gpb__view_free(&v);
    return gpb__html_finish(&b, st, out, err);
}

gpb_status gpb__html_finish(gpb__buf *b, gpb_status st, char **out,
                            gpb_error *err)
{
    if (!st && b->oom)
        st = gpb__fail(err, GPB_ENOMEM, "out of memory writing HTML");
    if (st) {
        free(b->p);
        b->p = NULL;
        return st;
    }
    *out = b->p;
    return GPB_OK;
}
