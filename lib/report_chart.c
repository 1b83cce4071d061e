/*
 * The report's view of a result (currency, rate, sensitivity, intervals)
 * and the charts every report format draws (lib/report_chart.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "internal.h"
#include "report_chart.h"
#include "scenario_model.h"

const char *const gpb__level_keys[GPB__N_LEVELS] = {"p5",  "p10", "p25",
                                                    "p50", "p75", "p90",
                                                    "p95"};

/* ---- the view --------------------------------------------------------- */

/* The mean of scenario input `path` (an exchange rate), or dflt. */
static double input_mean(const gpb_scenario *s, const char *path, double dflt)
{
    if (!s)
        return dflt;
    long i = gpb_scenario_input_find(s, path);
    double m;
    if (i < 0 || gpb_dist_mean(gpb_scenario_input_dist(s, (size_t)i), &m,
                               NULL) != GPB_OK ||
        !(m > 0) || !isfinite(m))
        return dflt;
    return m;
}

/* Mean units per US dollar: the scenario's inputs, else the library's
   defaults (gpb_units_fx_default, ECB reference rates of 29 Dec 2023). */
static void mean_rates(const gpb_scenario *s,
                       double per_usd[GPB_CURRENCY_COUNT])
{
    gpb_fx fx = gpb_units_fx_default();
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        per_usd[c] = 1.0;
    per_usd[GPB_CURRENCY_CNY] = input_mean(s, "exchange_rates.CNY_per_USD",
                                           fx.per_usd[GPB_CURRENCY_CNY]);
    per_usd[GPB_CURRENCY_EUR] = input_mean(s, "exchange_rates.EUR_per_USD",
                                           fx.per_usd[GPB_CURRENCY_EUR]);
}

gpb_status gpb_report_exchange_rate(const gpb_scenario *s, gpb_currency from,
                                    gpb_currency to, double *rate,
                                    gpb_error *err)
{
    if (!rate || (int)from < 0 || from >= GPB_CURRENCY_COUNT || (int)to < 0 ||
        to >= GPB_CURRENCY_COUNT)
        return gpb__fail(err, GPB_EINVAL,
                         "rate is NULL or a currency is unknown");
    if (from == to) {
        *rate = 1.0;
        return GPB_OK;
    }
    if (from == GPB_CURRENCY_NONE || to == GPB_CURRENCY_NONE)
        return gpb__fail(err, GPB_ECURRENCY,
                         "cannot convert between %s and no currency",
                         gpb_currency_code(from == GPB_CURRENCY_NONE ? to
                                                                     : from));
    double per_usd[GPB_CURRENCY_COUNT];
    mean_rates(s, per_usd);
    *rate = per_usd[to] / per_usd[from];
    return GPB_OK;
}

gpb_status gpb__view_init(gpb__view *v, const gpb_scenario *s,
                          const gpb_result *r, const gpb_report_options *opt,
                          int want_sens, gpb_error *err)
{
    memset(v, 0, sizeof *v);
    if (!r)
        return gpb__fail(err, GPB_EINVAL, "result must not be NULL");
    gpb_report_options d;
    if (!opt) {
        gpb_report_options_default(&d);
        opt = &d;
    }
    if ((int)opt->currency < 0 || opt->currency >= GPB_CURRENCY_COUNT)
        return gpb__fail(err, GPB_EINVAL, "report currency %d is unknown",
                         (int)opt->currency);
    if (!(opt->rate >= 0) || !isfinite(opt->rate))
        return gpb__fail(err, GPB_EINVAL,
                         "exchange rate must be 0 (the scenario's) or "
                         "positive, got %g",
                         opt->rate);
    if (!(opt->ci_level > 0 && opt->ci_level < 1))
        return gpb__fail(err, GPB_EINVAL,
                         "confidence level must be in (0, 1), got %g",
                         opt->ci_level);
    v->s = s;
    v->r = r;
    v->from = gpb_result_currency(r);
    v->cur = opt->currency == GPB_CURRENCY_NONE ? v->from : opt->currency;
    v->ci_level = opt->ci_level;
    v->samples = opt->samples;
    v->precision_target = opt->precision_target;
    v->precision_reached = opt->precision_reached;

    mean_rates(s, v->per_usd);
    v->scale = 1.0;
    if (v->cur != v->from) {
        if (opt->rate > 0)
            v->scale = opt->rate;
        else if (!s)
            return gpb__fail(err, GPB_ECURRENCY,
                             "converting %s to %s needs the scenario or a "
                             "rate",
                             gpb_currency_code(v->from),
                             gpb_currency_code(v->cur));
        else {
            gpb_status st = gpb_report_exchange_rate(s, v->from, v->cur,
                                                     &v->scale, err);
            if (st)
                return st;
        }
    }

    /* Every metric's quantiles and their intervals, on every core, before
       the writers ask for them one by one. */
    gpb__result_prefetch(r, GPB__N_LEVELS, gpb_report_levels, v->ci_level,
                         0);

    if (!want_sens) {
        gpb__strlcpy(v->sens_error, "not computed", sizeof v->sens_error);
    } else if (opt->sensitivity) {
        v->sens = opt->sensitivity;
    } else {
        gpb_sensitivity_options so;
        gpb_sensitivity_options_default(&so);
        so.swing = 0;
        gpb_error e;
        gpb_status st = gpb_sensitivity_compute(s, r, &so, &v->owned, &e);
        if (st == GPB_ENOMEM)
            return gpb__fail(err, st, "%s", e.message);
        if (st)
            gpb__strlcpy(v->sens_error, e.message, sizeof v->sens_error);
        v->sens = v->owned;
    }
    return GPB_OK;
}

void gpb__view_free(gpb__view *v)
{
    if (v) {
        gpb_sensitivity_free(v->owned);
        v->owned = NULL;
        v->sens = NULL;
    }
}

int gpb__view_is_money(const gpb__view *v, size_t m)
{
    const char *u = gpb_result_metric_unit(v->r, m);
    return u && !strcmp(u, gpb_currency_code(v->from));
}

const char *gpb__view_unit(const gpb__view *v, size_t m)
{
    return gpb__view_is_money(v, m) ? gpb_currency_code(v->cur)
                                    : gpb_result_metric_unit(v->r, m);
}

double gpb__view_factor(const gpb__view *v, size_t m)
{
    return gpb__view_is_money(v, m) ? v->scale : 1.0;
}

gpb_status gpb__view_stats(const gpb__view *v, size_t m, gpb__stats *out,
                           gpb_error *err)
{
    const char *name = gpb_result_metric_name(v->r, m);
    double f = gpb__view_factor(v, m);
    gpb_status st = gpb_result_mean(v->r, name, &out->mean, &out->se, err);
    if (st)
        return st;
    out->mean *= f;
    out->se *= f;
    if ((st = gpb_result_summary(v->r, name, GPB__N_LEVELS,
                                 gpb_report_levels, v->ci_level, out->q,
                                 out->ci_lo, out->ci_hi, err)))
        return st;
    for (int k = 0; k < GPB__N_LEVELS; k++) {
        out->q[k] *= f;
        out->ci_lo[k] *= f;
        out->ci_hi[k] *= f;
    }
    return GPB_OK;
}

void gpb__view_format(const gpb__view *v, const char *unit, double value,
                      char *buf, size_t n)
{
    gpb_currency c = GPB_CURRENCY_NONE;
    if (unit && !strcmp(unit, gpb_currency_code(v->cur)))
        c = v->cur;
    else if (unit && strlen(unit) == 3 &&
             gpb_currency_from_code(unit, &c, NULL) != GPB_OK)
        c = GPB_CURRENCY_NONE;
    /* Money in any currency with its sign (a claim about an input keeps
       the input's: a review found CNY figures printed bare in a USD
       report). */
    if (c != GPB_CURRENCY_NONE)
        gpb_units_format_money(value, c,
                               c == GPB_CURRENCY_CNY ? GPB_STYLE_ZH
                                                     : GPB_STYLE_EN,
                               3, buf, n);
    else if (unit && !strcmp(unit, "probability"))
        snprintf(buf, n, "%.1f%%", 100 * value);
    else if (unit && (!strcmp(unit, "months") || !strcmp(unit, "count")))
        snprintf(buf, n, "%.1f", value);
    else
        gpb_units_format_number(value, GPB_STYLE_EN, 3, buf, n);
}

void gpb__view_format_q(const gpb__view *v, size_t m, double value,
                        char *buf, size_t n)
{
    double cens =
        gpb_result_censored_at(v->r, gpb_result_metric_name(v->r, m));
    if (!gpb__format_censored(value, cens, buf, n))
        gpb__view_format(v, gpb__view_unit(v, m), value, buf, n);
}

int gpb__format_censored(double x, double cens, char *buf, size_t n)
{
    if (!(x >= cens)) /* NaN: not censored */
        return 0;
    snprintf(buf, n, "≥ %g", cens);
    return 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* The claim is about an input of the scenario, not a result metric. */
static int claim_on_input(const gpb__view *v, const gpb__claim *cl)
{
    size_t m;
    return cl->metric &&
           gpb_result_metric_find(v->r, cl->metric, &m, NULL) != GPB_OK &&
           gpb_scenario_input_find(v->s, cl->metric) >= 0;
}

int gpb__view_claim_simulated(const gpb__view *v, size_t c, double q[3])
{
    const gpb__claim *cl = &v->s->claims[c];
    size_t m;
    gpb__stats st;
    if (cl->metric && !gpb_result_metric_find(v->r, cl->metric, &m, NULL) &&
        !gpb__view_stats(v, m, &st, NULL)) {
        q[0] = st.q[0];
        q[1] = st.q[3];
        q[2] = st.q[6];
        return 0;
    }
    gpb_claim_check k;
    if (claim_on_input(v, cl) &&
        gpb_claim_check_at(v->s, v->r, NULL, c, &k, NULL) == GPB_OK &&
        !isnan(k.p50)) {
        q[0] = k.p5;
        q[1] = k.p50;
        q[2] = k.p95;
        return 0;
    }
    return -1;
}

double gpb__view_claim_value(const gpb__view *v, size_t c, const char **unit)
{
    const gpb__claim *cl = &v->s->claims[c];
    double x = cl->value.value;
    gpb_qty_kind k = cl->value.kind;
    size_t m;
    const char *mu = cl->metric && !gpb_result_metric_find(v->r, cl->metric,
                                                           &m, NULL)
                         ? gpb_result_metric_unit(v->r, m)
                         : NULL;
    if (k == GPB_QTY_DURATION) {
        if (cl->metric && ends_with(cl->metric, ".days")) {
            *unit = "days";
            return x / 24.0;
        }
        if (mu && !strcmp(mu, "months")) {
            *unit = "months";
            return x / GPB_HOURS_PER_MONTH;
        }
        *unit = "hours";
        return x;
    }
    if (!gpb_qty_kind_is_money(k)) {
        *unit = mu ? mu : "";
        return x;
    }
    gpb_currency from = cl->value.currency == GPB_CURRENCY_NONE
                            ? v->s->currency
                            : cl->value.currency;
    /* A claim about an input stays in its own currency, beside the
       input's figures, as gpubudget check shows it: converted at the mean
       rate it sat in USD beside an input in CNY (a user review). */
    if (claim_on_input(v, cl)) {
        *unit = gpb_currency_code(from);
        return x;
    }
    *unit = gpb_currency_code(v->cur);
    if (from == v->cur)
        return x;
    return x / v->per_usd[from] * v->per_usd[v->cur];
}

void gpb__sens_flags_text(unsigned flags, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s%s",
             flags & GPB_SENS_CONSTANT_INPUT ? "constant input" : "",
             (flags & GPB_SENS_CONSTANT_INPUT) &&
                     (flags & (GPB_SENS_CONSTANT_OUTPUT | GPB_SENS_COLLINEAR))
                 ? "; "
                 : "",
             flags & GPB_SENS_CONSTANT_OUTPUT ? "constant output" : "",
             (flags & GPB_SENS_CONSTANT_OUTPUT) && (flags & GPB_SENS_COLLINEAR)
                 ? "; "
                 : "",
             flags & GPB_SENS_COLLINEAR ? "collinear inputs" : "");
}

/* ---- charts ----------------------------------------------------------- */

gpb__chart *gpb__chart_new(gpb__charts *cs, gpb__chart_kind kind,
                          const char *id, size_t n)
{
    if (cs->n >= GPB__CHART_MAX)
        return NULL;
    gpb__chart *c = &cs->c[cs->n];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    gpb__strlcpy(c->id, id, sizeof c->id);
    c->n = n;
    c->labels = calloc(n ? n : 1, sizeof *c->labels);
    if (!c->labels)
        return NULL;
    cs->n++; /* counted now, so gpb__charts_free releases it on failure */
    return c;
}

int gpb__chart_label(gpb__chart *c, size_t i, const char *text)
{
    c->labels[i] = gpb__strdup(text);
    return c->labels[i] ? 0 : -1;
}

double *gpb__chart_series(gpb__chart *c, const char *name)
{
    if (c->n_series >= GPB__CHART_MAX_SERIES)
        return NULL;
    gpb__series *s = &c->series[c->n_series];
    s->y = calloc(c->n ? c->n : 1, sizeof *s->y);
    if (!s->y)
        return NULL;
    gpb__strlcpy(s->name, name, sizeof s->name);
    c->n_series++;
    return s->y;
}

void gpb__chart_marker(gpb__chart *c, double x, const char *label)
{
    if (c->n_markers >= GPB__CHART_MAX_MARKERS)
        return;
    c->markers[c->n_markers].x = x;
    gpb__strlcpy(c->markers[c->n_markers].label, label,
                 sizeof c->markers[0].label);
    c->n_markers++;
}

static gpb_status oom(gpb_error *err)
{
    return gpb__fail(err, GPB_ENOMEM, "out of memory building charts");
}

static gpb_status chart_fan(const gpb__view *v, gpb__charts *cs,
                            gpb_error *err)
{
    int H = gpb_result_horizon_months(v->r);
    gpb__chart *c = gpb__chart_new(cs, GPB__CHART_FAN, "fan", (size_t)H);
    if (!c)
        return oom(err);
    snprintf(c->title, sizeof c->title, "Cash balance by month, %s",
             gpb_currency_code(v->cur));
    gpb__strlcpy(c->x_title, "month (0 = the first)", sizeof c->x_title);
    snprintf(c->y_title, sizeof c->y_title, "closing cash, %s",
             gpb_currency_code(v->cur));
    c->y_money = 1;
    const double *lv = gpb_report_fan_levels;
    static const char *const nm[GPB_REPORT_N_FAN_LEVELS] = {
        "P5", "P25", "P50 (median)", "P75", "P95"};
    for (int k = 0; k < GPB_REPORT_N_FAN_LEVELS; k++) {
        double *y = gpb__chart_series(c, nm[k]);
        if (!y)
            return oom(err);
        for (int m = 0; m < H; m++) {
            gpb_status st = gpb_result_fan(v->r, m, lv[k], &y[m], err);
            if (st)
                return st;
            y[m] *= v->scale;
        }
    }
    if (!gpb__chart_series(c, "zero"))
        return oom(err);
    for (int m = 0; m < H; m++) {
        char b[16];
        snprintf(b, sizeof b, "%d", m);
        if (gpb__chart_label(c, (size_t)m, b))
            return oom(err);
    }
    /* Funding rounds at their median month. */
    const gpb_scenario *s = v->s;
    for (size_t i = 0; s && i < s->n_funding; i++) {
        const gpb__funding *f = &s->funding[i];
        double month = gpb_dist_quantile(&s->inputs[f->month].dist, 0.5);
        double p = f->probability >= 0
                       ? gpb_dist_quantile(&s->inputs[f->probability].dist, 0.5)
                       : 1.0;
        char label[96];
        snprintf(label, sizeof label, "%.40s (p = %.2g)",
                 f->name ? f->name : "round", p);
        if (month >= 0 && month < H)
            gpb__chart_marker(c, floor(month + 0.5), label);
    }
    return GPB_OK;
}

static gpb_status chart_p_out(const gpb__view *v, gpb__charts *cs,
                              gpb_error *err)
{
    int H = gpb_result_horizon_months(v->r);
    gpb__chart *c = gpb__chart_new(cs, GPB__CHART_LINE, "p_out", (size_t)H);
    if (!c)
        return oom(err);
    gpb__strlcpy(c->title, "Probability of being out of cash by month",
                 sizeof c->title);
    gpb__strlcpy(c->x_title, "month (0 = the first)", sizeof c->x_title);
    gpb__strlcpy(c->y_title, "P(cash < 0 in some month so far)",
                 sizeof c->y_title);
    c->y_percent = 1;
    double *y = gpb__chart_series(c, "P(out of cash)");
    if (!y)
        return oom(err);
    for (int m = 0; m < H; m++) {
        char b[16];
        snprintf(b, sizeof b, "%d", m);
        if (gpb__chart_label(c, (size_t)m, b))
            return oom(err);
        y[m] = gpb_result_prob_out_of_cash_by(v->r, m);
    }
    return GPB_OK;
}

/*
 * A histogram of a metric: whole-number metrics spanning at most 120 get
 * one bin per value; others get 40 equal bins over [P0.5, P99.5], the
 * outermost bins also holding the tails beyond. Markers at P5, P50, P95
 * in bin-index units (bin i's centre is i).
 */
static gpb_status chart_hist(const gpb__view *v, gpb__charts *cs,
                             const char *metric, const char *id,
                             const char *what, gpb_error *err)
{
    size_t m;
    gpb_status st = gpb_result_metric_find(v->r, metric, &m, err);
    if (st)
        return st;
    const double *x;
    if ((st = gpb_result_samples(v->r, metric, &x, err)))
        return st;
    size_t n = gpb_result_kept_paths(v->r);
    double f = gpb__view_factor(v, m);
    const char *unit = gpb__view_unit(v, m);
    double mn = INFINITY, mx = -INFINITY;
    int whole = 1;
    for (size_t i = 0; i < n; i++) {
        double a = x[i] * f;
        mn = a < mn ? a : mn;
        mx = a > mx ? a : mx;
        whole &= a == floor(a);
    }
    double lo, width;
    size_t bins;
    if (whole && mx - mn <= 120) {
        lo = mn - 0.5;
        width = 1;
        bins = (size_t)(mx - mn) + 1;
    } else {
        double a, b;
        if ((st = gpb_result_quantile(v->r, metric, 0.005, &a, err)) ||
            (st = gpb_result_quantile(v->r, metric, 0.995, &b, err)))
            return st;
        a *= f;
        b *= f;
        bins = b > a ? 40 : 1;
        lo = a;
        width = b > a ? (b - a) / 40.0 : 1.0;
        if (bins == 1)
            lo = a - 0.5;
    }
    gpb__chart *c = gpb__chart_new(cs, GPB__CHART_HIST, id, bins);
    if (!c)
        return oom(err);
    double *y = gpb__chart_series(c, "share of paths");
    if (!y)
        return oom(err);
    for (size_t i = 0; i < n; i++) {
        double b = floor((x[i] * f - lo) / width);
        size_t k = b < 0 ? 0 : b >= (double)bins ? bins - 1 : (size_t)b;
        y[k] += 1.0 / (double)n;
    }
    for (size_t k = 0; k < bins; k++) {
        char b[48];
        gpb__view_format(v, unit, lo + ((double)k + 0.5) * width, b,
                         sizeof b);
        if (gpb__chart_label(c, k, b))
            return oom(err);
    }
    static const double lv[3] = {0.05, 0.5, 0.95};
    static const char *const ln[3] = {"P5", "P50", "P95"};
    char qs[3][48];
    for (int k = 0; k < 3; k++) {
        double q;
        if ((st = gpb_result_quantile(v->r, metric, lv[k], &q, err)))
            return st;
        /* "≥ 24" where the quantile is censored (runway at the horizon),
           as the summaries say it (a user review). */
        double cens = gpb_result_censored_at(v->r, metric);
        q *= f;
        if (!gpb__format_censored(q / f, cens, qs[k], sizeof qs[k]))
            gpb__view_format(v, unit, q, qs[k], sizeof qs[k]);
        char label[96];
        snprintf(label, sizeof label, "%s %.48s", ln[k], qs[k]);
        gpb__chart_marker(c, (q - lo) / width - 0.5, label);
    }
    snprintf(c->title, sizeof c->title, "%c%s: P5 %s · P50 %s · P95 %s",
             toupper((unsigned char)what[0]), what + 1, qs[0], qs[1], qs[2]);
    /* "runway in months", not "runway in months, months". */
    if (unit && *unit && !strstr(what, unit))
        snprintf(c->x_title, sizeof c->x_title, "%s, %s", what, unit);
    else
        gpb__strlcpy(c->x_title, what, sizeof c->x_title);
    gpb__strlcpy(c->y_title, "share of paths", sizeof c->y_title);
    c->x_money = gpb__view_is_money(v, m);
    c->y_percent = 1;
    return GPB_OK;
}

/* The ten inputs with the widest swing of metric's P50. */
static gpb_status chart_tornado(const gpb__view *v, gpb__charts *cs,
                                const char *metric, const char *id,
                                const char *what, gpb_error *err)
{
    const gpb_sensitivity *x = v->sens;
    size_t K = gpb_sensitivity_input_count(x);
    if (!x || !gpb_sensitivity_has_swing(x) || K == 0)
        return GPB_OK;
    size_t m;
    gpb_status st = gpb_result_metric_find(v->r, metric, &m, err);
    if (st)
        return st;
    size_t n = K < 10 ? K : 10;
    size_t *order = malloc(K * sizeof *order);
    if (!order)
        return oom(err);
    if ((st = gpb_sensitivity_rank(x, m, GPB_SENS_BY_SWING, order, K, err))) {
        free(order);
        return st;
    }
    gpb__chart *c = gpb__chart_new(cs, GPB__CHART_TORNADO, id, n);
    if (c && !(c->keys = calloc(n ? n : 1, sizeof *c->keys)))
        c = NULL;
    double *lo = c ? gpb__chart_series(c, "") : NULL;
    double *hi = lo ? gpb__chart_series(c, "") : NULL;
    if (!hi) {
        free(order);
        return oom(err);
    }
    double f = gpb__view_factor(v, m), base = 0;
    for (size_t j = 0; j < n && !st; j++) {
        st = gpb_sensitivity_swing(x, m, order[j], &lo[j], &hi[j], &base,
                                   err);
        lo[j] *= f;
        hi[j] *= f;
        if (!st && gpb__chart_label(c, j, gpb_sensitivity_input_label(x, order[j])))
            st = oom(err);
        if (!st && c->keys &&
            !(c->keys[j] = gpb__strdup(gpb_sensitivity_input_path(x,
                                                                  order[j]))))
            st = oom(err);
    }
    free(order);
    if (st)
        return st;
    c->base = base * f;
    double pl = 100 * gpb_sensitivity_swing_low(x);
    double ph = 100 * gpb_sensitivity_swing_high(x);
    snprintf(c->series[0].name, sizeof c->series[0].name, "input at P%.0f",
             pl);
    snprintf(c->series[1].name, sizeof c->series[1].name, "input at P%.0f",
             ph);
    const char *unit = gpb__view_unit(v, m);
    char b[48];
    gpb__view_format(v, unit, c->base, b, sizeof b);
    /* The statistic the swing records (a runway's restricted mean was
       titled its P50: a user review). */
    const char *stat = gpb__swing_statistic(v->r, metric);
    snprintf(c->title, sizeof c->title,
             "%s of %s as each input moves P%.0f → P%.0f, the others at "
             "their medians (all at medians: %s)",
             stat, what, pl, ph, b);
    snprintf(c->x_title, sizeof c->x_title, "%s of %s, %s", stat, what,
             unit);
    gpb__strlcpy(c->y_title, "input", sizeof c->y_title);
    c->x_money = gpb__view_is_money(v, m);
    return GPB_OK;
}

gpb_status gpb__charts_build(const gpb__view *v, gpb__charts *out,
                             gpb_error *err)
{
    memset(out, 0, sizeof *out);
    gpb_status st;
    if ((st = chart_fan(v, out, err)) || (st = chart_p_out(v, out, err)) ||
        (st = chart_hist(v, out, "spend.total", "hist_spend", "total spend",
                         err)) ||
        (st = chart_hist(v, out, "runway_months", "hist_runway",
                         "runway in months", err)) ||
        (st = chart_tornado(v, out, "spend.total", "tornado_spend",
                            "total spend", err)) ||
        (st = chart_tornado(v, out, "runway_months", "tornado_runway",
                            "runway", err))) {
        gpb__charts_free(out);
        return st;
    }
    return GPB_OK;
}

void gpb__charts_free(gpb__charts *cs)
{
    if (!cs)
        return;
    for (size_t i = 0; i < cs->n; i++) {
        gpb__chart *c = &cs->c[i];
        for (size_t k = 0; k < c->n; k++) {
            free(c->labels ? c->labels[k] : NULL);
            free(c->keys ? c->keys[k] : NULL);
        }
        free(c->labels);
        free(c->keys);
        for (size_t k = 0; k < c->n_series; k++)
            free(c->series[k].y);
    }
    memset(cs, 0, sizeof *cs);
}
