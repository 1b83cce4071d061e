/*
 * JSON and CSV forms of a result (gpubudget/report.h): the summary, the
 * sensitivity, the convergence figures and the raw samples. The schema is
 * in docs/output.md.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "report_chart.h"
#include "report_doc.h"
#include "scenario_model.h"

const double gpb_report_levels[GPB_REPORT_N_LEVELS] = {0.05, 0.10, 0.25, 0.50,
                                                       0.75, 0.90, 0.95};
const double gpb_report_raise_levels[GPB_REPORT_N_RAISE_LEVELS] = {0.80, 0.90,
                                                                   0.95};
const double gpb_report_fan_levels[GPB_REPORT_N_FAN_LEVELS] = {
    0.05, 0.25, 0.50, 0.75, 0.95};

void gpb_report_options_default(gpb_report_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->currency = GPB_CURRENCY_NONE;
    opt->rate = 0;
    opt->sensitivity = NULL;
    opt->samples = 0;
    opt->ci_level = 0.95;
    opt->precision_target = 0;
    opt->precision_reached = 0;
}

/* ---- JSON ------------------------------------------------------------- */

/* A number, or null when it is not finite (JSON has no NaN). */
static size_t add_row(const gpb_result *r, gpb_report_row *rows,
                      size_t max, size_t n, const char *name, int depth)
{
    size_t i;
    if (gpb_result_metric_find(r, name, &i, NULL))
        return n;
    if (n < max) {
        rows[n].metric = i;
        rows[n].depth = depth;
    }
    return n + 1;
}

size_t gpb_report_summary_rows(const gpb_result *r, gpb_report_row *rows,
                               size_t max)
{
    size_t n = 0;
    static const gpb_flow flows[2] = {GPB_FLOW_SPEND, GPB_FLOW_INCOME};
    static const char *const totals[2] = {"spend.total", "income.total"};
    for (int f = 0; f < 2; f++) {
        size_t before = n;
        n = add_row(r, rows, max, n, totals[f], 0);
        for (int c = 0; c < GPB_CAT_COUNT; c++) {
            size_t i;
            if (gpb_category_flow((gpb_category)c) != flows[f] ||
                gpb_result_metric_find(r, gpb_category_metric(c), &i,
                                       NULL) ||
                !gpb_result_metric_nonzero(r, i))
                continue;
            n = add_row(r, rows, max, n, gpb_category_metric(c), 1);
        }
        /* No income at all: no income rows. */
        if (f == 1 && n == before + 1)
            n = before;
    }
    n = add_row(r, rows, max, n, "cash.min", 0);
    n = add_row(r, rows, max, n, "runway_months", 0);
    for (size_t i = 0; i < gpb_result_metric_count(r); i++) {
        const char *name = gpb_result_metric_name(r, i);
        size_t len = strlen(name);
        if (strncmp(name, "training.", 9))
            continue;
        static const char *const tails[] = {".cost", ".card_months",
                                            ".finish_month"};
        for (size_t t = 0; t < 3; t++) {
            size_t k = strlen(tails[t]);
            if (len > k && !strcmp(name + len - k, tails[t]))
                n = add_row(r, rows, max, n, name, 0);
        }
    }
    return n;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int set_num(json_t *obj, const char *key, double v)
{
    return json_object_set_new(obj, key, gpb__json_num(v));
}

static json_t *flags_json(unsigned f)
{
    json_t *a = json_array();
    if (f & GPB_SENS_CONSTANT_INPUT)
        json_array_append_new(a, json_string("constant_input"));
    if (f & GPB_SENS_CONSTANT_OUTPUT)
        json_array_append_new(a, json_string("constant_output"));
    if (f & GPB_SENS_COLLINEAR)
        json_array_append_new(a, json_string("collinear"));
    return a;
}

static json_t *metric_json(const gpb__view *v, size_t i, gpb_error *err,
                           gpb_status *st)
{
    gpb__stats x;
    if ((*st = gpb__view_stats(v, i, &x, err)))
        return NULL;
    json_t *o = json_object(), *ci = json_object();
    if (!o || !ci) {
        json_decref(o);
        json_decref(ci);
        *st = gpb__fail(err, GPB_ENOMEM, "out of memory building JSON");
        return NULL;
    }
    const gpb_result *r = v->r;
    const char *name = gpb_result_metric_name(r, i);
    json_object_set_new(o, "unit", json_string(gpb__view_unit(v, i)));
    json_object_set_new(o, "label",
                        json_string(gpb_result_metric_label(r, i)));
    json_object_set_new(o, "higher_is_better",
                        json_boolean(gpb_result_metric_direction(r, i) > 0));
    double cens = gpb_result_censored_at(r, name);
    if (!isnan(cens)) {
        /* A censored time: quantiles at the horizon mean "at least", and
           the mean is the restricted mean. */
        int H = gpb_result_horizon_months(r);
        json_t *c = json_object(), *lv = json_array();
        json_object_set_new(c, "at", json_real(cens));
        json_object_set_new(
            c, "share",
            json_real(gpb_result_survival(r, H - 1)));
        json_object_set_new(c, "mean", json_string("restricted"));
        for (int k = 0; k < GPB_REPORT_N_LEVELS; k++)
            if (x.q[k] >= cens)
                json_array_append_new(lv, json_string(gpb__level_keys[k]));
        json_object_set_new(c, "levels", lv);
        json_object_set_new(o, "censored", c);
    }
    set_num(o, "mean", x.mean);
    set_num(o, "std_error", x.se);
    for (int k = 0; k < GPB_REPORT_N_LEVELS; k++) {
        set_num(o, gpb__level_keys[k], x.q[k]);
        json_object_set_new(ci, gpb__level_keys[k],
                            json_pack("[oo]", gpb__json_num(x.ci_lo[k]),
                                      gpb__json_num(x.ci_hi[k])));
    }
    json_object_set_new(ci, "level", json_real(v->ci_level));
    json_object_set_new(o, "ci", ci);
    return o;
}

static json_t *sensitivity_json(const gpb__view *v)
{
    const gpb_sensitivity *x = v->sens;
    size_t K = gpb_sensitivity_input_count(x);
    json_t *o = json_object(), *inputs = json_array(), *metrics = json_object();
    json_object_set_new(o, "method",
                        json_string("Spearman rank correlation and "
                                    "standardised rank regression "
                                    "coefficients (SRRC); swing of P50"));
    json_object_set_new(o, "paths",
                        json_integer((json_int_t)gpb_sensitivity_paths(x)));
    for (size_t k = 0; k < K; k++)
        json_array_append_new(inputs,
                              json_string(gpb_sensitivity_input_path(x, k)));
    json_object_set_new(o, "inputs", inputs);
    int sw = gpb_sensitivity_has_swing(x);
    if (sw) {
        json_t *s = json_object(), *si = json_object();
        json_object_set_new(s, "low", json_real(gpb_sensitivity_swing_low(x)));
        json_object_set_new(s, "high",
                            json_real(gpb_sensitivity_swing_high(x)));
        json_object_set_new(
            s, "paths",
            json_integer((json_int_t)gpb_sensitivity_swing_paths(x)));
        json_object_set_new(
            s, "seed", json_integer((json_int_t)gpb_sensitivity_swing_seed(x)));
        for (size_t k = 0; k < K; k++) {
            double lo, mid, hi;
            gpb_sensitivity_swing_inputs(x, k, &lo, &mid, &hi, NULL);
            json_object_set_new(
                si, gpb_sensitivity_input_path(x, k),
                json_pack("{s:o,s:o,s:o}", "low", gpb__json_num(lo), "median",
                          gpb__json_num(mid), "high", gpb__json_num(hi)));
        }
        json_object_set_new(s, "input_values", si);
        json_object_set_new(o, "swing", s);
    } else {
        json_object_set_new(o, "swing", json_null());
    }
    for (size_t m = 0; m < gpb_sensitivity_metric_count(x); m++) {
        json_t *mo = json_object(), *mi = json_object();
        double f = gpb__view_factor(v, m);
        set_num(mo, "r2", gpb_sensitivity_r2(x, m));
        json_object_set_new(mo, "flags",
                            flags_json(gpb_sensitivity_flags(x, m,
                                                             (size_t)-1)));
        for (size_t k = 0; k < K; k++) {
            json_t *e = json_object();
            json_object_set_new(e, "label",
                                str_or_null(gpb_sensitivity_input_label(x, k)));
            set_num(e, "spearman", gpb_sensitivity_spearman(x, m, k));
            set_num(e, "srrc", gpb_sensitivity_srrc(x, m, k));
            if (sw) {
                double lo, hi;
                double se = NAN;
                gpb_sensitivity_swing(x, m, k, &lo, &hi, NULL, NULL);
                gpb_sensitivity_swing_se(x, m, k, &se, NULL);
                set_num(e, "p50_low", lo * f);
                set_num(e, "p50_high", hi * f);
                set_num(e, "swing", (hi - lo) * f);
                set_num(e, "swing_se", se * f);
            }
            json_object_set_new(e, "flags",
                                flags_json(gpb_sensitivity_flags(x, m, k)));
            json_object_set_new(mi, gpb_sensitivity_input_path(x, k), e);
        }
        if (sw) {
            double lo, hi, base = NAN;
            if (K)
                gpb_sensitivity_swing(x, m, 0, &lo, &hi, &base, NULL);
            set_num(mo, "p50_base", base * f);
        }
        json_object_set_new(mo, "inputs", mi);
        json_object_set_new(metrics, gpb_sensitivity_metric_name(x, m), mo);
    }
    json_object_set_new(o, "metrics", metrics);
    return o;
}

static json_t *inputs_json(const gpb__view *v)
{
    const gpb_scenario *s = v->s;
    json_t *a = json_array();
    for (size_t i = 0; s && i < s->n_inputs; i++) {
        const gpb__input *in = &s->inputs[i];
        char unit[64], desc[256];
        gpb__input_unit(s, i, unit, sizeof unit);
        gpb_dist_describe(&in->dist, desc, sizeof desc);
        json_t *o = json_object();
        json_object_set_new(o, "path", json_string(in->path));
        json_object_set_new(o, "label", str_or_null(in->label));
        json_object_set_new(o, "unit", json_string(unit));
        json_object_set_new(o, "distribution", json_string(desc));
        json_object_set_new(o, "uncertain",
                            json_boolean(gpb_scenario_input_is_uncertain(s,
                                                                         i)));
        json_object_set_new(o, "per_event", json_boolean(in->per_event));
        set_num(o, "p10", gpb_dist_quantile(&in->dist, 0.1));
        set_num(o, "p50", gpb_dist_quantile(&in->dist, 0.5));
        set_num(o, "p90", gpb_dist_quantile(&in->dist, 0.9));
        json_object_set_new(o, "line", json_integer(in->line));
        json_object_set_new(o, "column", json_integer(in->column));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *sources_json(const gpb_scenario *s)
{
    json_t *a = json_array();
    for (size_t i = 0; s && i < s->n_sources; i++) {
        const gpb__source *x = &s->sources[i];
        json_array_append_new(
            a, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", str_or_null(x->id),
                         "title", str_or_null(x->title), "outlet",
                         str_or_null(x->outlet), "date", str_or_null(x->date),
                         "url", str_or_null(x->url), "quote",
                         str_or_null(x->quote)));
    }
    return a;
}

static json_t *claims_json(const gpb__view *v)
{
    const gpb_scenario *s = v->s;
    json_t *a = json_array();
    for (size_t i = 0; s && i < s->n_claims; i++) {
        const gpb__claim *c = &s->claims[i];
        json_t *o = json_pack(
            "{s:o,s:o,s:o,s:o,s:o}", "id", str_or_null(c->id), "source",
            str_or_null(c->source), "says", str_or_null(c->says), "metric",
            str_or_null(c->metric), "value_as_written", str_or_null(c->text));
        const char *unit;
        set_num(o, "value", gpb__view_claim_value(v, i, &unit));
        json_object_set_new(o, "unit", json_string(unit));
        /* The simulated quantiles of the claim's result metric or input
           (derived metrics and expressions are gpubudget check's:
           gpubudget/claims.h). */
        double q[3];
        if (!gpb__view_claim_simulated(v, i, q))
            json_object_set_new(o, "simulated",
                                json_pack("{s:o,s:o,s:o}", "p5",
                                          gpb__json_num(q[0]), "p50",
                                          gpb__json_num(q[1]), "p95",
                                          gpb__json_num(q[2])));
        else
            json_object_set_new(o, "simulated", json_null());
        json_array_append_new(a, o);
    }
    return a;
}

/*
 * Each training run's share of paths that finished within the horizon,
 * and whether that is most of them (GPB_RUN_MOST_PATHS_FRAC): when it is
 * not, the run's cost, GPU time and months are lower bounds.
 */
static json_t *training_json(const gpb__view *v)
{
    json_t *o = json_object();
    size_t n = gpb_scenario_training_count(v->s);
    for (size_t i = 0; i < n; i++) {
        const char *run = gpb_scenario_training_name(v->s, i);
        char metric[256];
        double pf;
        if (!run ||
            snprintf(metric, sizeof metric, "training.%s.finished", run) >=
                (int)sizeof metric ||
            gpb_result_mean(v->r, metric, &pf, NULL, NULL))
            continue;
        json_object_set_new(o, run,
                            json_pack("{s:o,s:b}", "finished",
                                      gpb__json_num(pf),
                                      "finishes_on_most_paths",
                                      pf >= GPB_RUN_MOST_PATHS_FRAC));
    }
    return o;
}

/* The scenario's warnings (gpb_scenario_warnings), as the loader gave
   them. */
static json_t *warnings_json(const gpb_scenario *s)
{
    const gpb_diagnostics *d = gpb_scenario_warnings(s);
    json_t *a = json_array();
    for (size_t i = 0; i < gpb_diagnostics_count(d); i++) {
        const gpb_error *e = gpb_diagnostics_at(d, i);
        json_array_append_new(
            a, json_pack("{s:s,s:i,s:i,s:s,s:s}", "source", e->source,
                         "line", e->line, "column", e->column, "path",
                         e->path, "message", e->message));
    }
    return a;
}

/* The month-by-month ledger (options' ledger): every category some path
   books, per month its mean and, with the quantiles, P5/P50/P95, money in
   the report currency; null without a ledger. */
static json_t *ledger_json(const gpb__view *v)
{
    const gpb_result *r = v->r;
    int H = gpb_result_horizon_months(r);
    if (isnan(gpb_result_ledger_mean(r, 0, GPB_CAT_TEAM)))
        return json_null();
    json_t *o = json_object();
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        if (!gpb_result_ledger_lists(r, (gpb_category)c))
            continue;
        json_t *rows = json_array();
        for (int t = 0; t < H; t++) {
            json_t *e = json_object();
            json_object_set_new(e, "month", json_integer(t));
            set_num(e, "mean",
                    gpb_result_ledger_mean(r, t, (gpb_category)c) * v->scale);
            static const double lv[3] = {0.05, 0.5, 0.95};
            static const char *const nm[3] = {"p5", "p50", "p95"};
            for (int k = 0; k < 3; k++) {
                double q = gpb_result_ledger_quantile(r, t, (gpb_category)c,
                                                      lv[k]);
                if (!isnan(q))
                    set_num(e, nm[k], q * v->scale);
            }
            json_array_append_new(rows, e);
        }
        json_object_set_new(o, gpb_category_key((gpb_category)c), rows);
    }
    return o;
}

/* The condition of a conditional result (gpb_result_given), or null. */
static json_t *given_json(const gpb__view *v)
{
    const char *c = gpb_result_given_condition(v->r);
    if (!c)
        return json_null();
    size_t of = gpb_result_given_of(v->r), n = gpb_result_paths(v->r);
    return json_pack("{s:s,s:I,s:I,s:f,s:s}", "condition", c, "paths",
                     (json_int_t)n, "of", (json_int_t)of, "share",
                     of ? (double)n / (double)of : 0.0, "note",
                     "the month fan and the ledger cover every path and are "
                     "left out");
}

static gpb_status json_build(const gpb__view *v, json_t *root,
                             gpb_error *err)
{
    const gpb_scenario *s = v->s;
    const gpb_result *r = v->r;
    gpb_status st = GPB_OK;
    json_object_set_new(root, "gpubudget", json_string(gpb_version()));
    json_object_set_new(
        root, "scenario",
        json_pack("{s:o,s:o,s:s,s:i}", "name",
                  str_or_null(s ? gpb_scenario_name(s) : NULL), "source",
                  str_or_null(s ? gpb_scenario_source(s) : NULL), "currency",
                  gpb_currency_code(v->cur), "horizon_months",
                  gpb_result_horizon_months(r)));
    if (v->cur != v->from)
        json_object_set_new(
            root, "currency_conversion",
            json_pack("{s:s,s:s,s:f,s:s}", "from", gpb_currency_code(v->from),
                      "to", gpb_currency_code(v->cur), "rate", v->scale,
                      "method",
                      "one rate: the mean of the scenario's exchange-rate "
                      "inputs (or the rate the caller gave)"));
    json_object_set_new(root, "paths",
                        json_integer((json_int_t)gpb_result_paths(r)));
    json_object_set_new(root, "seed",
                        json_integer((json_int_t)gpb_result_seed(r)));
    /* Whether the points are quasi-random, and what that does to the
       error figures (a review found a --qmc run indistinguishable from a
       plain one, its standard errors off by 80 times). */
    json_object_set_new(root, "quasi_random",
                        json_boolean(gpb_result_quasi_random(r)));
    if (gpb_result_quasi_random(r))
        json_object_set_new(
            root, "error_note",
            json_string("quasi-random inputs (Sobol points in 16 randomly "
                        "shifted replicates): a mean's std_error is the "
                        "spread of the replicates' means; the quantiles' "
                        "ci and a claim's p_std_error are the i.i.d. "
                        "formulas and do not measure this estimate's "
                        "error"));

    json_t *metrics = json_object();
    json_object_set_new(root, "metrics", metrics);
    for (size_t i = 0; i < gpb_result_metric_count(r); i++) {
        json_t *m = metric_json(v, i, err, &st);
        if (!m)
            return st;
        json_object_set_new(metrics, gpb_result_metric_name(r, i), m);
    }

    int H = gpb_result_horizon_months(r);
    json_t *pout = json_array();
    json_object_set_new(root, "p_out_of_cash_by_month", pout);
    for (int m = 0; m < H; m++)
        json_array_append_new(pout,
                              json_real(gpb_result_prob_out_of_cash_by(r, m)));

    json_t *surv = json_array();
    json_object_set_new(root, "survival_by_month", surv);
    for (int m = 0; m < H; m++)
        json_array_append_new(surv, json_real(gpb_result_survival(r, m)));

    const double *fan_levels = gpb_report_fan_levels;
    static const char *const fan_keys[GPB_REPORT_N_FAN_LEVELS] = {
        "p5", "p25", "p50", "p75", "p95"};
    json_t *fan = json_object();
    json_object_set_new(root, "fan", fan);
    for (int k = 0; k < GPB_REPORT_N_FAN_LEVELS; k++) {
        json_t *arr = json_array();
        json_object_set_new(fan, fan_keys[k], arr);
        for (int m = 0; m < H; m++) {
            double q;
            if ((st = gpb_result_fan(r, m, fan_levels[k], &q, err)))
                return st;
            json_array_append_new(arr, json_real(q * v->scale));
        }
    }

    const double *conf = gpb_report_raise_levels;
    static const char *const conf_keys[GPB_REPORT_N_RAISE_LEVELS] = {
        "p80", "p90", "p95"};
    json_t *raise = json_object(), *rci = json_object();
    json_object_set_new(root, "raise_needed", raise);
    for (int k = 0; k < GPB_REPORT_N_RAISE_LEVELS; k++) {
        double q, lo, hi;
        if ((st = gpb_result_raise_needed(r, conf[k], &q, err)))
            return st;
        set_num(raise, conf_keys[k], q * v->scale);
        /* A tail quantile: its interval says how far to trust it. */
        if ((st = gpb_result_raise_ci(r, gpb_result_horizon_months(r),
                                      conf[k], v->ci_level, &lo, &hi, err)))
            return st;
        json_object_set_new(rci, conf_keys[k],
                            json_pack("[oo]", gpb__json_num(lo * v->scale),
                                      gpb__json_num(hi * v->scale)));
    }
    json_object_set_new(rci, "level", json_real(v->ci_level));
    json_object_set_new(raise, "ci", rci);

    /* Convergence: the relative standard error of mean total spend, and
       the target when the caller ran to one. */
    double mean = NAN, se = NAN;
    gpb_result_mean(r, "spend.total", &mean, &se, NULL);
    json_t *conv = json_object();
    json_object_set_new(root, "convergence", conv);
    json_object_set_new(conv, "ci_level", json_real(v->ci_level));
    set_num(conv, "spend_total_rel_std_error",
            mean != 0 ? se / fabs(mean) : (se == 0 ? 0 : NAN));
    if (v->precision_target > 0) {
        json_object_set_new(conv, "target_rel_std_error",
                            json_real(v->precision_target));
        json_object_set_new(conv, "reached",
                            json_boolean(v->precision_reached));
    } else {
        json_object_set_new(conv, "target_rel_std_error", json_null());
        json_object_set_new(conv, "reached", json_null());
    }

    if (v->sens) {
        json_object_set_new(root, "sensitivity", sensitivity_json(v));
    } else {
        json_object_set_new(root, "sensitivity", json_null());
        json_object_set_new(root, "sensitivity_error",
                            json_string(v->sens_error));
    }
    json_object_set_new(root, "inputs", inputs_json(v));
    json_object_set_new(root, "sources", sources_json(s));
    json_object_set_new(root, "claims", claims_json(v));
    json_object_set_new(root, "training", training_json(v));
    json_object_set_new(root, "warnings", warnings_json(s));
    json_object_set_new(root, "ledger", ledger_json(v));
    json_object_set_new(root, "given", given_json(v));
    return GPB_OK;
}

gpb_status gpb_report_json_opt(const gpb_scenario *s, const gpb_result *r,
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
    json_t *root = json_object();
    if (!root) {
        gpb__view_free(&v);
        return gpb__fail(err, GPB_ENOMEM, "out of memory building JSON");
    }
    st = json_build(&v, root, err);
    if (!st) {
        *out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        if (!*out)
            st = gpb__fail(err, GPB_ENOMEM, "out of memory writing JSON");
    }
    json_decref(root);
    gpb__view_free(&v);
    return st;
}

gpb_status gpb_report_json(const gpb_scenario *s, const gpb_result *r,
                           char **out, gpb_error *err)
{
    return gpb_report_json_opt(s, r, NULL, out, err);
}

/* ---- CSV -------------------------------------------------------------- */

/* The CSV is built in gpb__buf (internal.h). */
typedef gpb__buf sbuf;
#define sb_printf gpb__buf_printf

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void sb_field(sbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sb_printf(b, "%s", s);
        return;
    }
    sb_printf(b, "\"");
    for (const char *p = s; *p; p++)
        sb_printf(b, *p == '"' ? "\"\"" : "%c", *p);
    sb_printf(b, "\"");
}

/* A number with 10 significant digits, or an empty field. */
static void sb_num(sbuf *b, double v)
{
    if (isfinite(v))
        sb_printf(b, "%.10g", v);
}

static gpb_status finish(sbuf *b, char **out, gpb_error *err)
{
    if (b->oom) {
        free(b->p);
        return gpb__fail(err, GPB_ENOMEM, "out of memory writing CSV");
    }
    *out = b->p;
    return GPB_OK;
}

/* The CI columns of gpb_report_csv_opt: levels P5, P50 and P95. */
static const int ci_cols[3] = {0, 3, 6};

static gpb_status csv_summary(const gpb_scenario *s, const gpb_result *r,
                              const gpb_report_options *opt, int with_ci,
                              char **out, gpb_error *err)
{
    if (out)
        *out = NULL;
    if (!r || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    gpb_report_options o;
    gpb_report_options_default(&o);
    if (opt)
        o = *opt;
    /* Only money and intervals matter here: skip the sensitivity. */
    gpb__view v;
    gpb_status st = gpb__view_init(&v, s, r, &o, 0, err);
    if (st)
        return st;
    sbuf b = {0};
    sb_printf(&b, "metric,unit,mean,std_error");
    for (int k = 0; k < GPB_REPORT_N_LEVELS; k++)
        sb_printf(&b, ",%s", gpb__level_keys[k]);
    for (int j = 0; with_ci && j < 3; j++)
        sb_printf(&b, ",%s_ci_lo,%s_ci_hi", gpb__level_keys[ci_cols[j]],
                  gpb__level_keys[ci_cols[j]]);
    sb_printf(&b, "\n");
    for (size_t i = 0; i < gpb_result_metric_count(r); i++) {
        gpb__stats x;
        if ((st = gpb__view_stats(&v, i, &x, err))) {
            free(b.p);
            return st;
        }
        sb_field(&b, gpb_result_metric_name(r, i));
        sb_printf(&b, ",");
        sb_field(&b, gpb__view_unit(&v, i));
        sb_printf(&b, ",");
        sb_num(&b, x.mean);
        sb_printf(&b, ",");
        sb_num(&b, x.se);
        for (int k = 0; k < GPB_REPORT_N_LEVELS; k++) {
            sb_printf(&b, ",");
            sb_num(&b, x.q[k]);
        }
        for (int j = 0; with_ci && j < 3; j++) {
            sb_printf(&b, ",");
            sb_num(&b, x.ci_lo[ci_cols[j]]);
            sb_printf(&b, ",");
            sb_num(&b, x.ci_hi[ci_cols[j]]);
        }
        sb_printf(&b, "\n");
    }
    return finish(&b, out, err);
}

gpb_status gpb_report_csv(const gpb_result *r, char **out, gpb_error *err)
{
    return csv_summary(NULL, r, NULL, 0, out, err);
}

gpb_status gpb_report_csv_opt(const gpb_scenario *s, const gpb_result *r,
                              const gpb_report_options *opt, char **out,
                              gpb_error *err)
{
    return csv_summary(s, r, opt, 1, out, err);
}

gpb_status gpb_report_ledger_csv(const gpb_scenario *s, const gpb_result *r,
                                 const gpb_report_options *opt, char **out,
                                 gpb_error *err)
{
    if (out)
        *out = NULL;
    if (!s || !r || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    if (isnan(gpb_result_ledger_mean(r, 0, GPB_CAT_TEAM)))
        return gpb__fail(err, GPB_EINVAL,
                         "the run kept no ledger (gpb_sim_options.ledger)");
    gpb_report_options o;
    gpb_report_options_default(&o);
    if (opt)
        o = *opt;
    gpb__view v;
    GPB__TRY(gpb__view_init(&v, s, r, &o, 0, err));
    int H = gpb_result_horizon_months(r);
    int q = !isnan(gpb_result_ledger_quantile(r, 0, GPB_CAT_TEAM, 0.5));
    sbuf b = {0};
    sb_printf(&b, "month");
    int cats[GPB_CAT_COUNT], nc = 0;
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        if (!gpb_result_ledger_lists(r, (gpb_category)c))
            continue;
        cats[nc++] = c;
        const char *k = gpb_category_key((gpb_category)c);
        sb_printf(&b, ",%s.mean", k);
        if (q)
            sb_printf(&b, ",%s.p5,%s.p50,%s.p95", k, k, k);
    }
    sb_printf(&b, "\n");
    static const double lv[3] = {0.05, 0.5, 0.95};
    for (int t = 0; t < H; t++) {
        sb_printf(&b, "%d", t);
        for (int k = 0; k < nc; k++) {
            gpb_category c = (gpb_category)cats[k];
            sb_printf(&b, ",");
            sb_num(&b, gpb_result_ledger_mean(r, t, c) * v.scale);
            for (int j = 0; q && j < 3; j++) {
                sb_printf(&b, ",");
                sb_num(&b, gpb_result_ledger_quantile(r, t, c, lv[j]) *
                               v.scale);
            }
        }
        sb_printf(&b, "\n");
    }
    gpb__view_free(&v);
    gpb_status st = finish(&b, out, err);
    return st;
}

gpb_status gpb_report_samples_csv(const gpb_scenario *s, const gpb_result *r,
                                  const gpb_report_options *opt, char **out,
                                  gpb_error *err)
{
    if (out)
        *out = NULL;
    if (!s || !r || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    gpb_report_options o;
    gpb_report_options_default(&o);
    if (opt)
        o = *opt;
    gpb__view v;
    gpb_status st = gpb__view_init(&v, s, r, &o, 0, err);
    if (st)
        return st;
    size_t n = gpb_result_kept_paths(r), K = gpb_result_input_count(r);
    size_t M = gpb_result_metric_count(r);
    double **in = calloc(K ? K : 1, sizeof *in);
    const double **mv = calloc(M ? M : 1, sizeof *mv);
    double *f = calloc(M ? M : 1, sizeof *f);
    sbuf b = {0};
    if (!in || !mv || !f) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < K; k++) {
        in[k] = malloc((n ? n : 1) * sizeof *in[k]);
        if (!in[k]) {
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
            goto done;
        }
        if ((st = gpb_result_input_samples_own(s, r, k, in[k], err)))
            goto done;
    }
    for (size_t m = 0; m < M; m++) {
        if ((st = gpb_result_samples(r, gpb_result_metric_name(r, m), &mv[m],
                                     err)))
            goto done;
        f[m] = gpb__view_factor(&v, m);
    }
    sb_printf(&b, "path");
    for (size_t k = 0; k < K; k++) {
        sb_printf(&b, ",");
        sb_field(&b, gpb_result_input_path(r, k));
    }
    for (size_t m = 0; m < M; m++) {
        sb_printf(&b, ",");
        sb_field(&b, gpb_result_metric_name(r, m));
    }
    sb_printf(&b, "\n");
    for (size_t i = 0; i < n && !b.oom; i++) {
        sb_printf(&b, "%llu",
                  (unsigned long long)gpb_result_path_number(r, i));
        for (size_t k = 0; k < K; k++) {
            sb_printf(&b, ",");
            sb_num(&b, in[k][i]);
        }
        for (size_t m = 0; m < M; m++) {
            sb_printf(&b, ",");
            sb_num(&b, mv[m][i] * f[m]);
        }
        sb_printf(&b, "\n");
    }
    st = finish(&b, out, err);
    b.p = NULL;
done:
    free(b.p);
    for (size_t k = 0; in && k < K; k++)
        free(in[k]);
    free(in);
    free(mv);
    free(f);
    gpb__view_free(&v);
    return st;
}
