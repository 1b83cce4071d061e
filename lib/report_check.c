/*
 * The documents of `gpubudget check` (report.h): every claim of a
 * scenario against a run of it, and a pitch in words checked by the model
 * of its own scenario (claims.h). Computed here once for both the JSON
 * and the command's text; the command only finds, loads and runs the
 * scenarios (spreading the runs over MPI ranks) and prints.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/dist.h"
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

/* Non-finite figures (a metric a path could not give) are null. */
/* ---- a scenario's claims -------------------------------------------------
 */

gpb_status gpb_report_check_scenario_compute(
    const char *file, const gpb_scenario *scenario, const gpb_result *result,
    int threads, gpb_report_check_scenario *out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    memset(out, 0, sizeof *out);
    if (!scenario || !result)
        return gpb__fail(err, GPB_EINVAL, "scenario or result is NULL");
    out->file = file;
    out->scenario = scenario;
    out->result = result;
    size_t n = gpb_scenario_claim_count(scenario);
    out->n_claims = n;
    out->checks = calloc(n ? n : 1, sizeof *out->checks);
    out->status = calloc(n ? n : 1, sizeof *out->status);
    out->errors = calloc(n ? n : 1, sizeof *out->errors);
    if (!out->checks || !out->status || !out->errors)
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    /* The drivers: SRRC without the swing, else Spearman's rho (a NULL
       sensitivity). */
    gpb_sensitivity *sens = NULL;
    gpb_sensitivity_options so;
    gpb_sensitivity_options_default(&so);
    so.swing = 0;
    so.threads = threads;
    if (gpb_sensitivity_compute(scenario, result, &so, &sens, NULL) != GPB_OK)
        sens = NULL;
    for (size_t i = 0; i < n; i++)
        out->status[i] = gpb_claim_check_at(scenario, result, sens, i,
                                            &out->checks[i],
                                            &out->errors[i]);
    gpb_sensitivity_free(sens);
    return GPB_OK;
}

void gpb_report_check_scenario_free(gpb_report_check_scenario *c)
{
    if (!c)
        return;
    free(c->checks);
    free(c->status);
    free(c->errors);
    memset(c, 0, sizeof *c);
}

static json_t *claim_json(const gpb_report_check_scenario *k, size_t i)
{
    gpb_claim_info ci;
    gpb_scenario_claim_get(k->scenario, i, &ci, NULL);
    json_t *c = json_object();
    json_object_set_new(c, "id", json_string(ci.id));
    json_object_set_new(c, "source",
                        ci.source ? json_string(ci.source) : json_null());
    json_object_set_new(c, "says",
                        ci.says ? json_string(ci.says) : json_null());
    json_object_set_new(c, "metric", json_string(ci.metric));
    json_object_set_new(c, "value",
                        ci.text ? json_string(ci.text) : json_null());
    json_object_set_new(c, "why", ci.why ? json_string(ci.why) : json_null());
    json_object_set_new(c, "context",
                        ci.context ? json_string(ci.context) : json_null());
    json_t *fc = json_array();
    for (size_t j = 0; j < ci.n_from_claim; j++)
        json_array_append_new(fc, json_string(ci.from_claim[j]));
    json_object_set_new(c, "from_claim", fc);
    if (k->status[i]) {
        json_object_set_new(c, "error", json_string(k->errors[i].message));
        return c;
    }
    const gpb_claim_check *x = &k->checks[i];
    json_object_set_new(c, "claimed", gpb__json_num(x->claimed));
    json_object_set_new(c, "unit", json_string(x->info.unit));
    json_object_set_new(c, "kind",
                        json_string(gpb_qty_kind_name(x->info.kind)));
    json_object_set_new(c, "p5", gpb__json_num(x->p5));
    json_object_set_new(c, "p50", gpb__json_num(x->p50));
    json_object_set_new(c, "p95", gpb__json_num(x->p95));
    json_object_set_new(c, "mean", gpb__json_num(x->mean));
    json_object_set_new(c, "p_favourable", gpb__json_num(x->p_favourable));
    json_object_set_new(c, "p_std_error", gpb__json_num(x->p_std_error));
    json_object_set_new(c, "favourable",
                        json_string(x->info.direction ==
                                            GPB_CLAIM_LOWER_IS_FAVOURABLE
                                        ? "lower"
                                        : "higher"));
    json_object_set_new(c, "verdict",
                        json_string(gpb_claim_verdict_name(x->verdict)));
    json_object_set_new(c, "paths", json_integer((json_int_t)x->paths));
    json_object_set_new(c, "finished_frac", gpb__json_num(x->finished_frac));
    json_object_set_new(c, "implied_mfu", gpb__json_num(x->implied_mfu));
    json_object_set_new(c, "driver",
                        x->driver[0] ? json_string(x->driver) : json_null());
    json_object_set_new(c, "driver_coef", gpb__json_num(x->driver_coef));
    json_object_set_new(c, "driver_measure",
                        json_string(x->driver_is_srrc ? "srrc"
                                                      : "spearman"));
    json_object_set_new(c, "restates", json_boolean(x->restates));
    json_object_set_new(c, "depends_on_claim",
                        json_boolean(x->depends_on_claim));
    return c;
}

static json_t *scenario_json(const gpb_report_check_scenario *k)
{
    const gpb_scenario *s = k->scenario;
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(k->file ? k->file : ""));
    json_object_set_new(o, "name", json_string(gpb_scenario_name(s)));
    json_object_set_new(o, "paths",
                        json_integer((json_int_t)gpb_result_paths(k->result)));
    json_object_set_new(o, "seed",
                        json_integer((json_int_t)gpb_result_seed(k->result)));
    json_object_set_new(o, "currency",
                        json_string(gpb_currency_code(
                            gpb_scenario_currency(s))));
    json_t *arr = json_array();
    for (size_t i = 0; i < k->n_claims; i++)
        json_array_append_new(arr, claim_json(k, i));
    json_object_set_new(o, "claims", arr);
    return o;
}

gpb_status gpb_report_check_json(const gpb_report_check_scenario *scenarios,
                                 size_t n, char **out, gpb_error *err)
{
    if (!out || (!scenarios && n))
        return gpb__fail(err, GPB_EINVAL, "out or scenarios is NULL");
    size_t counts[GPB_VERDICT_COUNT] = {0}, from_claim = 0;
    json_t *root = json_object(), *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        const gpb_report_check_scenario *x = &scenarios[k];
        if (!x->scenario || !x->result) {
            json_decref(root);
            json_decref(arr);
            return gpb__fail(err, GPB_EINVAL,
                             "scenarios[%zu] is not computed", k);
        }
        for (size_t j = 0; j < x->n_claims; j++)
            if (!x->status[j]) {
                counts[x->checks[j].verdict]++;
                from_claim += x->checks[j].depends_on_claim != 0;
            }
        json_array_append_new(arr, scenario_json(x));
    }
    json_object_set_new(root, "scenarios", arr);
    json_t *sum = json_object();
    for (int v = 0; v < GPB_VERDICT_COUNT; v++)
        json_object_set_new(sum, gpb_claim_verdict_name((gpb_verdict)v),
                            json_integer((json_int_t)counts[v]));
    json_object_set_new(root, "summary", sum);
    json_object_set_new(root, "depend_on_claim",
                        json_integer((json_int_t)from_claim));
    return gpb__report_json_dump(root, out, err);
}

/* ---- a pitch ------------------------------------------------------------- */

void gpb_report_check_pitch_request_default(
    gpb_report_check_pitch_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    gpb_sim_options_default(&req->sim);
    req->sim.paths = GPB_REPORT_CHECK_PATHS_DEFAULT;
}

static const char *mfu_class_text(int cls)
{
    switch (cls) {
    case GPB_MFU_BELOW_PUBLISHED: return "below published large runs";
    case GPB_MFU_WITHIN_PUBLISHED: return "within published large runs";
    case GPB_MFU_BEYOND_PUBLISHED: return "beyond any published large run";
    case GPB_MFU_IMPOSSIBLE: return "more than the hardware's peak";
    }
    return "-";
}

/* Severity for the overall verdict: implausible worst. */
static int severity(gpb_verdict v)
{
    switch (v) {
    case GPB_VERDICT_IMPLAUSIBLE: return 3;
    case GPB_VERDICT_OPTIMISTIC: return 2;
    case GPB_VERDICT_PESSIMISTIC: return 1;
    default: return 0;
    }
}

/* Runs the pitch's scenario and checks its claims into r. */
static gpb_status pitch_run(const gpb_report_check_pitch_request *req,
                            const char *yaml, gpb_report_check_pitch *r,
                            gpb_error *err)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    gpb_status st = gpb_scenario_load_string(yaml, strlen(yaml), "<pitch>",
                                             &s, &d);
    if (st) {
        if (err && gpb_diagnostics_count(d))
            *err = *gpb_diagnostics_at(d, 0);
        gpb_diagnostics_free(d);
        return err ? (err->status = st) : st;
    }
    gpb_diagnostics_free(d);
    gpb_result *res = NULL;
    gpb_report_check_scenario k;
    memset(&k, 0, sizeof k);
    st = gpb_sim_run(s, &req->sim, &res, err);
    if (!st)
        st = gpb_report_check_scenario_compute("<pitch>", s, res,
                                               req->sim.threads, &k, err);
    /* The model's range for days and cost, claimed or not. */
    for (size_t i = 0; !st && i < k.n_claims; i++) {
        gpb_claim_info ci;
        gpb_scenario_claim_get(s, i, &ci, NULL);
        if (k.status[i]) {
            if (err)
                *err = k.errors[i];
            st = k.status[i];
        } else if (!strcmp(ci.id, "duration")) {
            r->duration = k.checks[i];
            r->has_duration = 1;
        } else {
            r->budget = k.checks[i];
            r->has_budget = 1;
        }
    }
    if (!st) {
        static const double lv[3] = {0.05, 0.5, 0.95};
        double days[3] = {NAN, NAN, NAN}, usd[3];
        double *dv = NULL;
        gpb_error e;
        if (gpb_claim_metric_eval(s, res, "training.pitch.days",
                                  GPB_CURRENCY_NONE, &dv, NULL,
                                  &e) == GPB_OK) {
            size_t n = gpb_result_paths(res);
            gpb_stats_sort(dv, n);
            for (int j = 0; j < 3; j++)
                days[j] = gpb_stats_quantile_sorted(dv, n, lv[j]);
        }
        gpb_free(dv);
        for (int j = 0; j < 3; j++)
            if (gpb_result_quantile(res, "training.pitch.cost", lv[j],
                                    &usd[j], NULL))
                usd[j] = NAN;
        r->days_p5 = days[0], r->days_p50 = days[1], r->days_p95 = days[2];
        r->cost_p5 = usd[0], r->cost_p50 = usd[1], r->cost_p95 = usd[2];
        r->currency = gpb_scenario_currency(s);
    }
    gpb_report_check_scenario_free(&k);
    gpb_result_free(res);
    gpb_scenario_free(s);
    return st;
}

gpb_status gpb_report_check_pitch_compute(
    const gpb_report_check_pitch_request *req, gpb_report_check_pitch *out,
    gpb_error *err)
{
    if (!req || !out || !req->pitch)
        return gpb__fail(err, GPB_EINVAL, "req, its pitch or out is NULL");
    memset(out, 0, sizeof *out);
    gpb_report_check_pitch *r = out;
    r->text = req->pitch;
    gpb_pitch *p = &r->pitch;
    GPB__TRY(at(err, gpb_claim_pitch_parse(req->pitch, p, err), "claim"));
    /* A precision given replaces one named in the text. */
    r->precision_origin = p->precision != GPB_PREC_COUNT
                              ? "named in the pitch"
                              : "the card's default";
    if (req->precision) {
        GPB__TRY(at(err,
                    gpb_precision_from_name(req->precision, &p->precision,
                                            err),
                    "precision"));
        r->precision_origin = "from --precision";
    }
    char *yaml = NULL;
    GPB__TRY(at(err, gpb_claim_pitch_implied(p, &r->implied, err), "claim"));
    GPB__TRY(at(err, gpb_claim_pitch_scenario(p, &yaml, err), "claim"));
    gpb_status st = pitch_run(req, yaml, r, err);
    gpb_free(yaml);
    if (st)
        return st;
    const gpb_pitch_implied *im = &r->implied;
    r->mfu_class_text = mfu_class_text(im->mfu_class);
    r->stated_mfu_class_text = mfu_class_text(im->stated_mfu_class);
    r->fits_in_memory = p->gpus >= im->min_gpus_memory;
    gpb_verdict overall = r->fits_in_memory ? GPB_VERDICT_CONSISTENT
                                            : GPB_VERDICT_IMPLAUSIBLE;
    if (r->has_duration && severity(r->duration.verdict) > severity(overall))
        overall = r->duration.verdict;
    if (r->has_budget && severity(r->budget.verdict) > severity(overall))
        overall = r->budget.verdict;
    if (r->has_duration && im->mfu_class == GPB_MFU_IMPOSSIBLE)
        overall = GPB_VERDICT_IMPLAUSIBLE;
    r->verdict = overall;
    r->has_rule =
        gpb_hardware_gpu_rent_rule(p->gpu, &r->rule, NULL) == GPB_OK;
    return GPB_OK;
}

static json_t *pitch_json(const gpb_report_check_pitch *r)
{
    const gpb_pitch *p = &r->pitch;
    const gpb_pitch_implied *im = &r->implied;
    json_t *o = json_object();
    json_object_set_new(o, "pitch", json_string(r->text ? r->text : ""));
    json_t *rd = json_array();
    for (size_t i = 0; i < p->n_readings; i++) {
        const gpb_pitch_reading *x = &p->readings[i];
        json_t *j = json_object();
        json_object_set_new(j, "part",
                            json_string(gpb_claim_pitch_part_name(x->part)));
        json_object_set_new(j, "text", json_string(x->text));
        json_object_set_new(j, "column", json_integer(x->column));
        if (x->part == GPB_PITCH_PRECISION)
            json_object_set_new(j, "value",
                                json_string(gpb_precision_name(
                                    (gpb_precision)x->value)));
        else
            json_object_set_new(j, "value", gpb__json_num(x->value));
        json_object_set_new(j, "how", json_string(x->how));
        json_array_append_new(rd, j);
    }
    json_object_set_new(o, "readings", rd);
    /* The skipped words, split where the parser joined them (" · "). */
    json_t *sk = json_array();
    for (const char *q = p->skipped; *q;) {
        const char *dot = strstr(q, " \xc2\xb7 ");
        size_t n = dot ? (size_t)(dot - q) : strlen(q);
        json_array_append_new(sk, json_stringn(q, n));
        q += n + (dot ? 4 : 0);
    }
    json_object_set_new(o, "skipped", sk);
    json_object_set_new(o, "params", gpb__json_num(p->params));
    /* A mixture of experts' active parameters (the FLOPs' N); null for a
       dense model. */
    json_object_set_new(o, "active_params",
                        gpb_claim_pitch_is_moe(p)
                            ? gpb__json_num(p->active_params)
                            : json_null());
    json_object_set_new(o, "tokens", gpb__json_num(p->tokens));
    json_object_set_new(o, "gpu", json_string(p->gpu->name));
    json_object_set_new(o, "gpus", gpb__json_num(p->gpus));
    json_object_set_new(o, "days", gpb__json_num(p->hours / 24));
    json_object_set_new(o, "budget", gpb__json_num(p->budget.value));
    json_object_set_new(o, "currency",
                        json_string(gpb_currency_code(r->currency)));
    json_object_set_new(o, "precision",
                        json_string(gpb_precision_name(im->precision)));
    json_object_set_new(o, "precision_origin",
                        json_string(r->precision_origin));
    json_object_set_new(o, "peak_flop_per_s",
                        gpb__json_num(im->peak_flop_per_s));
    json_object_set_new(o, "flops", gpb__json_num(im->flops));
    json_object_set_new(o, "tokens_per_param",
                        gpb__json_num(im->tokens_per_param));
    json_t *ch = json_object();
    json_object_set_new(ch, "set", json_string(im->chinchilla->name));
    json_object_set_new(ch, "source", json_string(im->chinchilla->source));
    json_object_set_new(ch, "params", gpb__json_num(im->chinchilla_params));
    json_object_set_new(ch, "tokens", gpb__json_num(im->chinchilla_tokens));
    json_object_set_new(ch, "tokens_per_param",
                        gpb__json_num(im->optimal_tokens_per_param));
    json_object_set_new(o, "chinchilla", ch);
    json_object_set_new(o, "min_gpus_memory",
                        gpb__json_num(im->min_gpus_memory));
    json_object_set_new(o, "fits_in_memory",
                        json_boolean(r->fits_in_memory));
    json_object_set_new(o, "implied_mfu", gpb__json_num(im->implied_mfu));
    json_object_set_new(o, "mfu_class",
                        im->mfu_class >= 0
                            ? json_string(r->mfu_class_text)
                            : json_null());
    json_object_set_new(o, "stated_mfu", gpb__json_num(p->mfu));
    json_object_set_new(o, "price_per_gpu_hour_usd",
                        gpb__json_num(im->price_per_gpu_hour_usd));
    double ref = im->ref_price_usd > 0 ? im->ref_price_usd : NAN;
    json_object_set_new(o, "ref_price_per_gpu_hour_usd", gpb__json_num(ref));
    json_t *pr = json_object();
    json_object_set_new(pr, "rule", json_string(GPB_RENT_RULE_TEXT));
    json_object_set_new(pr, "price_origin",
                        json_string(im->ref_price_is_stated ? "pitch"
                                    : r->has_rule           ? "catalog"
                                                            : "none"));
    json_object_set_new(pr, "median_usd_per_hour", gpb__json_num(ref));
    json_object_set_new(pr, "p5_usd_per_hour",
                        gpb__json_num(im->price_p5_usd));
    json_object_set_new(pr, "p95_usd_per_hour",
                        gpb__json_num(im->price_p95_usd));
    if (r->has_rule) {
        json_object_set_new(pr, "source", json_string(r->rule.source));
        json_object_set_new(pr, "range_source",
                            json_string(r->rule.range_source));
        json_object_set_new(pr, "date", json_string(r->rule.date));
    }
    json_object_set_new(o, "pricing", pr);
    json_object_set_new(o, "budget_mfu", gpb__json_num(im->budget_mfu));
    json_t *m = json_object();
    json_object_set_new(m, "days_p5", gpb__json_num(r->days_p5));
    json_object_set_new(m, "days_p50", gpb__json_num(r->days_p50));
    json_object_set_new(m, "days_p95", gpb__json_num(r->days_p95));
    json_object_set_new(m, "cost_p5", gpb__json_num(r->cost_p5));
    json_object_set_new(m, "cost_p50", gpb__json_num(r->cost_p50));
    json_object_set_new(m, "cost_p95", gpb__json_num(r->cost_p95));
    json_object_set_new(o, "model", m);
    if (r->has_duration) {
        json_object_set_new(o, "duration_p_favourable",
                            gpb__json_num(r->duration.p_favourable));
        json_object_set_new(o, "duration_verdict",
                            json_string(gpb_claim_verdict_name(
                                r->duration.verdict)));
    }
    if (r->has_budget) {
        json_object_set_new(o, "budget_p_favourable",
                            gpb__json_num(r->budget.p_favourable));
        json_object_set_new(o, "budget_verdict",
                            json_string(gpb_claim_verdict_name(
                                r->budget.verdict)));
    }
    json_object_set_new(o, "verdict",
                        json_string(gpb_claim_verdict_name(r->verdict)));
    return o;
}

gpb_status gpb_report_check_pitch_json(
    const gpb_report_check_pitch_request *req, char **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    gpb_report_check_pitch r;
    GPB__TRY(gpb_report_check_pitch_compute(req, &r, err));
    return gpb__report_json_dump(pitch_json(&r), out, err);
}

gpb_status gpb_report_check_pitch_result_json(const gpb_report_check_pitch *r,
                                              char **out, gpb_error *err)
{
    if (!r || !out || !r->pitch.gpu)
        return gpb__fail(err, GPB_EINVAL, "r (computed) or out is NULL");
    return gpb__report_json_dump(pitch_json(r), out, err);
}
