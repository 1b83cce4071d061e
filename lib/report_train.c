/*
 * The documents of `gpubudget estimate` and `gpubudget plan` (report.h):
 * one training run's FLOPs, time, memory, cost and the interval published
 * runs put around them, computed once here from the compute, hardware and
 * plan layers for both the JSON and the command's text.
 */
#include <math.h>
#include <string.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "report_doc.h"

gpb_status gpb__report_json_dump(json_t *doc, char **out, gpb_error *err)
{
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(12))
                     : NULL;
    json_decref(doc);
    if (!text)
        return gpb__fail(err, GPB_ENOMEM, "out of memory writing JSON");
    *out = text;
    return GPB_OK;
}

/* Names the request field a failure is about (err->path), so a caller
   can name the option it came from. */
static gpb_status at(gpb_error *err, gpb_status st, const char *field)
{
    if (st != GPB_OK && err)
        gpb__strlcpy(err->path, field, sizeof err->path);
    return st;
}

/* ---- the interval (plan.h), shared by estimate and plan ----------------- */

static json_t *quantiles_json(const gpb_plan_quantiles *q, double ideal)
{
    json_t *o = json_object();
    json_object_set_new(o, "p5", json_real(q->p5));
    json_object_set_new(o, "p50", json_real(q->p50));
    json_object_set_new(o, "p95", json_real(q->p95));
    json_object_set_new(o, "ideal", json_real(ideal));
    return o;
}

static json_t *interval_json(const gpb_plan_interval *iv, gpb_currency cur,
                             const char *price_origin)
{
    json_t *o = json_object();
    json_object_set_new(o, "mfu",
                        quantiles_json(&iv->mfu_frac, iv->ideal_mfu_frac));
    json_object_set_new(o, "gpu_hours", quantiles_json(&iv->gpu_hours,
                                                       iv->ideal_gpu_hours));
    json_object_set_new(o, "days",
                        quantiles_json(&iv->days, iv->ideal_days));
    json_object_set_new(o, "card_months",
                        quantiles_json(&iv->card_months,
                                       iv->ideal_card_months));
    if (iv->price_high > 0)
        json_object_set_new(o, "cost",
                            quantiles_json(&iv->cost, iv->ideal_cost));
    else
        json_object_set_new(o, "cost", json_null());
    json_object_set_new(o, "ratio", quantiles_json(&iv->ratio, 1.0));
    json_object_set_new(o, "currency", json_string(gpb_currency_code(cur)));
    json_object_set_new(o, "price_low", json_real(iv->price_low));
    json_object_set_new(o, "price_high", json_real(iv->price_high));
    json_object_set_new(o, "price_shape",
                        json_string(iv->price_shape ==
                                            GPB_PLAN_PRICE_UNIFORM
                                        ? "uniform"
                                        : "lognormal90"));
    json_object_set_new(o, "price_origin", json_string(price_origin));
    json_object_set_new(o, "narrowed_by_mfu", json_boolean(iv->narrowed));
    json_object_set_new(o, "basis",
                        json_string(iv->narrowed
                                        ? "goodput of published runs that "
                                          "report their steady-state MFU"
                                        : "published runs' GPU-hours over "
                                          "the throughput model's, fitted "
                                          "on card generation and scale"));
    json_object_set_new(o, "runs_used", json_real(iv->runs_used));
    json_object_set_new(o, "dof", json_real(iv->dof));
    json_object_set_new(o, "published_mfu_max",
                        json_real(GPB_MFU_PUBLISHED_MAX));
    return o;
}

/* ---- estimate ------------------------------------------------------------ */

void gpb_report_estimate_request_default(gpb_report_estimate_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    req->mfu_frac = req->days = req->price_per_gpu_hour = NAN;
    req->price_currency = GPB_CURRENCY_USD;
}

const char *gpb_report_mfu_origin_str(gpb_report_mfu_origin o)
{
    switch (o) {
    case GPB_REPORT_MFU_MODEL: return "the throughput model";
    case GPB_REPORT_MFU_CARD: return "the card's default";
    case GPB_REPORT_MFU_GIVEN: return "given";
    case GPB_REPORT_MFU_DAYS: return "implied by --days";
    }
    return "";
}

/* An optional field: NaN (the default) when not given, else positive
   and finite. 0 is refused, not read as "not given": a claim of 0 days or
   a price of 0 must not silently vanish. */
static gpb_status optional_pos(gpb_error *err, double v, const char *field)
{
    if (isnan(v) || (v > 0 && isfinite(v)))
        return GPB_OK;
    return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, field,
                        "must be above 0 when given (got %g)", v);
}

gpb_status gpb_report_estimate_compute(const gpb_report_estimate_request *req,
                                       gpb_report_estimate *out,
                                       gpb_error *err)
{
    if (!req || !out)
        return gpb__fail(err, GPB_EINVAL, "req or out is NULL");
    if (!req->gpu)
        return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, "gpu",
                            "name a GPU of the catalog");
    /* A training run's cards are whole, as in a scenario and in plan.h
       (a fraction would be shown rounded while the figures used it). */
    GPB__TRY(gpb__need_whole(err, req->gpus, 1, GPB__GPUS_MAX, "gpus"));
    /* The model's sizes, by the request's own names (the compute layer
       would name its spec's fields). */
    if (!(req->params > 0 && isfinite(req->params)))
        return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, "params",
                            "must be above 0 (got %g)", req->params);
    if (!(req->tokens > 0 && isfinite(req->tokens)))
        return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, "tokens",
                            "must be above 0 (got %g)", req->tokens);
    if (!(req->active_params >= 0 && req->active_params <= req->params))
        return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, "active_params",
                            "must be from 0 (all active) to the %g "
                            "parameters (got %g)",
                            req->params, req->active_params);
    GPB__TRY(optional_pos(err, req->mfu_frac, "mfu"));
    GPB__TRY(optional_pos(err, req->days, "days"));
    GPB__TRY(optional_pos(err, req->price_per_gpu_hour, "price"));
    if (req->mfu_frac > 0 && req->days > 0)
        return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, "days",
                            "give mfu or days, not both (days asks which "
                            "MFU the duration implies)");
    memset(out, 0, sizeof *out);
    gpb_report_estimate *r = out;
    const gpb_gpu *gpu;
    GPB__TRY(at(err, gpb_hardware_gpu_find(req->gpu, &gpu, err), "gpu"));
    r->gpu = gpu;
    r->precision_given = req->precision != NULL;
    GPB__TRY(at(err,
                req->precision
                    ? gpb_precision_from_name(req->precision, &r->precision,
                                              err)
                    : gpb_hardware_gpu_default_precision(gpu, &r->precision,
                                                         err),
                "precision"));
    GPB__TRY(at(err,
                gpb_hardware_gpu_peak_flop_per_s(gpu, r->precision,
                                                 &r->peak_flop_per_s, err),
                "precision"));
    double gpus = req->gpus;
    int have_price = req->price_per_gpu_hour > 0;
    r->price_given = have_price;
    r->price_per_gpu_hour = have_price ? req->price_per_gpu_hour : 0;
    r->currency = req->price_currency == GPB_CURRENCY_NONE
                      ? GPB_CURRENCY_USD
                      : req->price_currency;

    /* The estimate and its interval (plan.h): the FLOPs, the throughput
       model's MFU for this model on this cluster (the card's catalog
       default where the model cannot lay the run out) and P5/P50/P95
       from published runs. A claim's implied MFU is what is checked, so
       its interval is the model's; a given MFU narrows it. */
    gpb_plan_estimate_spec es;
    gpb_plan_estimate_spec_default(&es);
    es.params = req->params;
    es.active_params = req->active_params;
    es.tokens = req->tokens;
    es.gpu = gpu;
    es.gpus = gpus;
    es.precision = r->precision;
    es.recompute = req->recompute;
    if (!(req->days > 0) && req->mfu_frac > 0)
        es.user_mfu_frac = req->mfu_frac;
    if (have_price)
        es.price_low_per_gpu_hour = es.price_high_per_gpu_hour =
            req->price_per_gpu_hour;
    GPB__TRY(gpb_plan_estimate_compute(&es, &r->estimate, err));
    r->flops = r->estimate.flops;

    /* Utilisation: given, implied by the claimed days, or the
       estimate's. */
    double mfu = req->mfu_frac;
    r->mfu_origin = GPB_REPORT_MFU_GIVEN;
    r->claimed = req->days > 0;
    if (r->claimed) {
        GPB__TRY(at(err,
                    gpb_compute_implied_mfu_from_days(r->flops, gpus,
                                                      r->peak_flop_per_s,
                                                      req->days, &mfu, err),
                    "days"));
        r->mfu_origin = GPB_REPORT_MFU_DAYS;
    } else if (!(mfu > 0)) {
        mfu = r->estimate.model_mfu_frac;
        r->mfu_origin = r->estimate.planned ? GPB_REPORT_MFU_MODEL
                                            : GPB_REPORT_MFU_CARD;
    }
    r->mfu_frac = mfu;
    /* Against published runs in their count, attention included, when
       the run was laid out: the interval's ceiling is applied in it too
       (plan_estimate.c), so a claim beyond the interval is not "within
       published runs" (a review: 35.6 days of 70B on 512 H100s needs
       0.54 of 6·N·D, 0.56 counting attention). */
    GPB__TRY(at(err,
                gpb_compute_mfu_classify(
                    mfu * gpb_plan_estimate_count_factor(&r->estimate),
                    &r->mfu_class, err),
                "mfu"));
    /* Time at that MFU; an impossible implied MFU still reports the
       claim's own duration. */
    gpb_train_time *t = &r->time;
    GPB__TRY(gpb_compute_train_time(r->flops, gpus, r->peak_flop_per_s,
                                    mfu > 1 ? 1 : mfu, t, err));
    if (r->claimed) {
        t->days = req->days;
        t->hours = req->days * 24;
        t->seconds = t->hours * GPB_SECONDS_PER_HOUR;
        t->gpu_hours = t->hours * gpus;
        t->card_months = t->gpu_hours / GPB_HOURS_PER_MONTH;
        t->qianka_months = t->card_months / 1000;
    }
    GPB__TRY(at(err,
                gpb_compute_train_memory_bytes(req->params, 0, NULL,
                                               &r->train_memory_bytes, err),
                "memory"));
    GPB__TRY(at(err,
                gpb_compute_min_gpus_for_memory(r->train_memory_bytes,
                                                gpu->mem_bytes, 0,
                                                &r->min_gpus_for_memory,
                                                err),
                "memory"));
    /* The pricing rule (hardware.h), shared with check --claim and the
       intervals: the catalog's on-demand rent is the median price. */
    gpb_error rule_err;
    r->has_rule =
        gpb_hardware_gpu_rent_rule(gpu, &r->rule, &rule_err) == GPB_OK;
    r->price_source = "given";
    if (!have_price) {
        if (!r->has_rule)
            return gpb__fail_at(err, GPB_ENOTFOUND, "", 0, 0, "price",
                                "the cost needs a rental price, and the "
                                "catalog has none for %s (%s)",
                                gpu->name, rule_err.message);
        r->price_per_gpu_hour = r->rule.median_usd_per_hour;
        r->currency = GPB_CURRENCY_USD;
        r->price_source = r->rule.source;
    }
    GPB__TRY(at(err,
                gpb_compute_rent_cost(t->gpu_hours, r->price_per_gpu_hour,
                                      &r->rent_cost, err),
                "price"));
    /* The catalog's per-card MFU: the default before the throughput
       model, and the centre of check --claim's prior. */
    GPB__TRY(gpb_compute_train_time(r->flops, gpus, r->peak_flop_per_s,
                                    gpu->default_mfu, &r->card_time, err));
    GPB__TRY(gpb_compute_rent_cost(r->card_time.gpu_hours,
                                   r->price_per_gpu_hour, &r->card_cost,
                                   err));
    /* The split the same model compute is optimal for: Chinchilla's
       C = 6·N·D counts the model's FLOPs, and a recomputed forward pass
       is hardware work that trains nothing (compute.h). */
    gpb_train_spec ms;
    gpb_compute_train_spec_default(&ms);
    ms.params = req->params;
    ms.active_params = req->active_params;
    ms.tokens = req->tokens;
    double model_flops;
    GPB__TRY(gpb_compute_train_flops_spec(&ms, &model_flops, err));
    r->chinchilla = GPB_CHINCHILLA_DEFAULT;
    GPB__TRY(gpb_compute_chinchilla_optimal(r->chinchilla, model_flops,
                                            &r->chinchilla_params,
                                            &r->chinchilla_tokens, err));
    r->implausible = r->claimed && r->mfu_class >= GPB_MFU_BEYOND_PUBLISHED;
    return GPB_OK;
}

static json_t *estimate_plan_json(const gpb_plan_estimate *m, double gpus)
{
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_boolean(m->planned));
    if (!m->planned) {
        json_object_set_new(o, "reason", json_string(m->why.message));
        return o;
    }
    const gpb_plan_result *r = &m->plan;
    json_t *lay = json_object();
    json_object_set_new(lay, "tp", json_real(r->layout.tp));
    json_object_set_new(lay, "pp", json_real(r->layout.pp));
    json_object_set_new(lay, "dp", json_real(r->layout.dp));
    json_object_set_new(lay, "idle_gpus",
                        json_real(gpb_plan_idle_gpus(&r->layout, gpus)));
    json_object_set_new(lay, "micro_batch", json_real(r->layout.micro_batch));
    json_object_set_new(lay, "zero", json_integer(r->layout.zero));
    json_object_set_new(o, "layout", lay);
    json_object_set_new(o, "seq_len", json_real(r->seq_len));
    json_object_set_new(o, "global_batch_tokens",
                        json_real(r->global_batch_tokens));
    json_object_set_new(o, "step_s", json_real(r->step_s));
    json_object_set_new(o, "mfu_plan_count", json_real(r->mfu_frac));
    json_object_set_new(o, "model_flops_per_token",
                        json_real(r->model_flops / r->global_batch_tokens));
    json_object_set_new(o, "mem_per_gpu_bytes", json_real(r->mem_total_bytes));
    json_object_set_new(o, "bound", json_string(gpb_plan_term_name(r->bound)));
    json_object_set_new(o, "bound_text",
                        json_string(gpb_plan_term_text(r->bound)));
    return o;
}

/* {mfu, days, gpu_hours, rent_cost} of one answer. */
static json_t *answer_json(double mfu, double days, double gpu_hours,
                           double cost)
{
    json_t *o = json_object();
    json_object_set_new(o, "mfu", json_real(mfu));
    json_object_set_new(o, "days", json_real(days));
    json_object_set_new(o, "gpu_hours", json_real(gpu_hours));
    json_object_set_new(o, "rent_cost", isnan(cost) ? json_null()
                                                    : json_real(cost));
    return o;
}

static json_t *estimate_json(const gpb_report_estimate_request *req,
                             const gpb_report_estimate *r)
{
    const gpb_gpu *gpu = r->gpu;
    const gpb_plan_interval *iv = &r->estimate.interval;
    const gpb_train_time *t = &r->time;
    const gpb_rent_rule *rule = &r->rule;
    json_t *o = json_object();
    json_object_set_new(o, "params", json_real(req->params));
    json_object_set_new(o, "active_params",
                        json_real(req->active_params > 0 ? req->active_params
                                                         : req->params));
    json_object_set_new(o, "tokens", json_real(req->tokens));
    json_object_set_new(o, "gpu", json_string(gpu->name));
    json_object_set_new(o, "gpus", json_real(req->gpus));
    json_object_set_new(o, "precision",
                        json_string(gpb_precision_name(r->precision)));
    json_object_set_new(o, "precision_origin",
                        json_string(r->precision_given
                                        ? "given"
                                        : "the card's default"));
    json_object_set_new(o, "peak_flop_per_s", json_real(r->peak_flop_per_s));
    json_object_set_new(o, "flops", json_real(r->flops));
    json_object_set_new(o, "mfu", json_real(r->mfu_frac));
    json_object_set_new(o, "mfu_origin",
                        json_string(gpb_report_mfu_origin_str(r->mfu_origin)));
    json_object_set_new(
        o, "mfu_counting_attention",
        json_real(r->mfu_frac * gpb_plan_estimate_count_factor(&r->estimate)));
    json_object_set_new(o, "mfu_class",
                        json_string(gpb_compute_mfu_class_str(r->mfu_class)));
    json_object_set_new(o, "mfu_source",
                        json_string(r->mfu_origin == GPB_REPORT_MFU_MODEL
                                        ? "the throughput model "
                                          "(docs/model.md, Plan)"
                                        : gpu->mfu_source));
    json_object_set_new(o, "card_default_mfu", json_real(gpu->default_mfu));
    json_object_set_new(o, "published_mfu_min",
                        json_real(GPB_MFU_PUBLISHED_MIN));
    json_object_set_new(o, "published_mfu_max",
                        json_real(GPB_MFU_PUBLISHED_MAX));
    json_object_set_new(o, "plan", estimate_plan_json(&r->estimate, req->gpus));
    if (r->claimed)
        json_object_set_new(o, "claim_plausible",
                            json_boolean(!r->implausible));
    json_object_set_new(o, "gpu_hours", json_real(t->gpu_hours));
    json_object_set_new(o, "card_months", json_real(t->card_months));
    json_object_set_new(o, "qianka_months", json_real(t->qianka_months));
    json_object_set_new(o, "days", json_real(t->days));
    json_object_set_new(o, "train_memory_bytes",
                        json_real(r->train_memory_bytes));
    json_object_set_new(o, "min_gpus_for_memory",
                        json_real(r->min_gpus_for_memory));
    json_object_set_new(o, "fits_in_memory",
                        json_boolean(req->gpus >= r->min_gpus_for_memory));
    json_object_set_new(o, "price_per_gpu_hour",
                        json_real(r->price_per_gpu_hour));
    json_object_set_new(o, "currency",
                        json_string(gpb_currency_code(r->currency)));
    json_object_set_new(o, "price_source", json_string(r->price_source));
    json_t *pr = json_object();
    json_object_set_new(pr, "rule", json_string(GPB_RENT_RULE_TEXT));
    json_object_set_new(pr, "price_origin",
                        json_string(r->price_given ? "given" : "catalog"));
    if (r->has_rule) {
        json_object_set_new(pr, "median_usd_per_hour",
                            json_real(rule->median_usd_per_hour));
        json_object_set_new(pr, "p5_usd_per_hour",
                            json_real(rule->p5_usd_per_hour));
        json_object_set_new(pr, "p95_usd_per_hour",
                            json_real(rule->p95_usd_per_hour));
        json_object_set_new(pr, "source", json_string(rule->source));
        json_object_set_new(pr, "range_source",
                            json_string(rule->range_source));
        json_object_set_new(pr, "date", json_string(rule->date));
    }
    json_object_set_new(o, "pricing", pr);
    /* rent_cost is at the MFU above (the claim's with days). */
    json_object_set_new(o, "rent_cost", json_real(r->rent_cost));
    json_t *costs = json_object();
    if (r->claimed)
        json_object_set_new(costs, "claimed",
                            answer_json(r->mfu_frac, t->days, t->gpu_hours,
                                        r->rent_cost));
    json_object_set_new(costs, "ideal",
                        answer_json(iv->ideal_mfu_frac, iv->ideal_days,
                                    iv->ideal_gpu_hours, iv->ideal_cost));
    json_object_set_new(costs, "realistic",
                        answer_json(iv->mfu_frac.p50, iv->days.p50,
                                    iv->gpu_hours.p50, iv->cost.p50));
    json_object_set_new(costs, "default",
                        answer_json(gpu->default_mfu, r->card_time.days,
                                    r->card_time.gpu_hours, r->card_cost));
    json_object_set_new(o, "costs", costs);
    json_object_set_new(o, "interval",
                        interval_json(iv, r->currency,
                                      r->price_given
                                          ? "given"
                                          : "the catalog's pricing rule"));
    json_t *ch = json_object();
    json_object_set_new(ch, "set", json_string(r->chinchilla->name));
    json_object_set_new(ch, "source", json_string(r->chinchilla->source));
    json_object_set_new(ch, "params", json_real(r->chinchilla_params));
    json_object_set_new(ch, "tokens", json_real(r->chinchilla_tokens));
    json_object_set_new(ch, "tokens_per_param",
                        json_real(r->chinchilla_tokens /
                                  r->chinchilla_params));
    json_object_set_new(o, "chinchilla", ch);
    return o;
}

gpb_status gpb_report_estimate_json(const gpb_report_estimate_request *req,
                                    char **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    gpb_report_estimate r;
    GPB__TRY(gpb_report_estimate_compute(req, &r, err));
    return gpb__report_json_dump(estimate_json(req, &r), out, err);
}

/* ---- plan ---------------------------------------------------------------- */

void gpb_report_plan_request_default(gpb_report_plan_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    gpb_plan_spec_default(&req->spec);
    req->tokens = req->mfu_frac = req->price_per_gpu_hour = NAN;
    req->price_currency = GPB_CURRENCY_USD;
}

gpb_status gpb_report_plan_compute(const gpb_report_plan_request *req,
                                   gpb_report_plan *out, gpb_error *err)
{
    if (!req || !out)
        return gpb__fail(err, GPB_EINVAL, "req or out is NULL");
    GPB__TRY(optional_pos(err, req->tokens, "tokens"));
    GPB__TRY(optional_pos(err, req->mfu_frac, "mfu"));
    GPB__TRY(optional_pos(err, req->price_per_gpu_hour, "price"));
    memset(out, 0, sizeof *out);
    gpb_plan_spec *s = &out->spec;
    *s = req->spec;
    if (req->gpu)
        GPB__TRY(at(err, gpb_hardware_gpu_find(req->gpu, &s->gpu, err),
                    "gpu"));
    if (req->precision)
        GPB__TRY(at(err,
                    gpb_precision_from_name(req->precision, &s->precision,
                                            err),
                    "precision"));
    gpb_plan_result *r = &out->result;
    GPB__TRY(gpb_plan_choose(s, r, err));

    /* Totals over the run: the default is Chinchilla's 20 tokens per
       (active) parameter. */
    double active = s->active_params > 0 ? s->active_params : s->params;
    out->tokens = req->tokens;
    out->tokens_origin = "given";
    if (!(req->tokens > 0)) {
        out->tokens = GPB_CHINCHILLA_TOKENS_PER_PARAM * active;
        out->tokens_origin = "20 per active parameter, the Chinchilla rule; "
                             "--tokens to change";
    }
    gpb_plan_interval_spec is;
    gpb_plan_interval_spec_default(&is);
    is.flops = r->model_flops / r->global_batch_tokens * out->tokens;
    is.gpus = s->gpus;
    is.peak_flop_per_s = r->peak_flop_per_s;
    is.ideal_mfu_frac = r->mfu_frac;
    is.gpu = s->gpu;
    is.user_mfu_frac = req->mfu_frac > 0 ? req->mfu_frac : 0;
    out->currency = GPB_CURRENCY_USD;
    out->price_origin = "the catalog's pricing rule";
    if (req->price_per_gpu_hour > 0) {
        is.price_low_per_gpu_hour = is.price_high_per_gpu_hour =
            req->price_per_gpu_hour;
        if (req->price_currency != GPB_CURRENCY_NONE)
            out->currency = req->price_currency;
        out->price_origin = "given";
    }
    return at(err, gpb_plan_interval_compute(&is, &out->interval, err),
              "interval");
}

/* none, selective or full */
static const char *recompute_name(gpb_recompute r)
{
    return r == GPB_RECOMPUTE_FULL        ? "full"
           : r == GPB_RECOMPUTE_SELECTIVE ? "selective"
                                          : "none";
}

static json_t *plan_json(const gpb_report_plan *p)
{
    const gpb_plan_spec *s = &p->spec;
    const gpb_plan_result *r = &p->result;
    json_t *o = json_object();
    json_object_set_new(o, "params", json_real(s->params));
    json_object_set_new(o, "active_params",
                        json_real(s->active_params > 0 ? s->active_params
                                                       : s->params));
    json_object_set_new(o, "gpu", json_string(s->gpu->name));
    json_object_set_new(o, "gpus", json_real(s->gpus));
    json_object_set_new(o, "tokens", json_real(p->tokens));
    json_object_set_new(o, "peak_flop_per_s", json_real(r->peak_flop_per_s));

    json_t *shape = json_object();
    json_object_set_new(shape, "n_layer", json_real(r->n_layer));
    json_object_set_new(shape, "d_model", json_real(r->d_model));
    json_object_set_new(shape, "n_head", json_real(r->n_head));
    json_object_set_new(shape, "vocab", json_real(r->vocab));
    json_object_set_new(shape, "seq_len", json_real(r->seq_len));
    json_object_set_new(shape, "inferred", json_boolean(r->shape_inferred));
    json_object_set_new(o, "shape", shape);

    json_t *lay = json_object();
    json_object_set_new(lay, "tp", json_real(r->layout.tp));
    json_object_set_new(lay, "pp", json_real(r->layout.pp));
    json_object_set_new(lay, "dp", json_real(r->layout.dp));
    json_object_set_new(lay, "idle_gpus",
                        json_real(gpb_plan_idle_gpus(&r->layout, s->gpus)));
    json_object_set_new(lay, "ep", json_real(r->layout.ep));
    json_object_set_new(lay, "interleave", json_real(r->layout.interleave));
    json_object_set_new(lay, "micro_batch", json_real(r->layout.micro_batch));
    json_object_set_new(lay, "micro_batches",
                        json_real(r->layout.micro_batches));
    json_object_set_new(lay, "recompute",
                        json_string(recompute_name(r->layout.recompute)));
    json_object_set_new(lay, "zero", json_integer(r->layout.zero));
    json_object_set_new(lay, "sequence_parallel",
                        json_boolean(r->layout.sequence_parallel));
    json_object_set_new(o, "layout", lay);
    json_object_set_new(o, "global_batch_tokens",
                        json_real(r->global_batch_tokens));

    json_t *mem = json_object();
    json_object_set_new(mem, "weights_bytes", json_real(r->mem_weights_bytes));
    json_object_set_new(mem, "grads_bytes", json_real(r->mem_grads_bytes));
    json_object_set_new(mem, "optimizer_bytes",
                        json_real(r->mem_optimizer_bytes));
    json_object_set_new(mem, "activations_bytes",
                        json_real(r->mem_activations_bytes));
    json_object_set_new(mem, "total_bytes", json_real(r->mem_total_bytes));
    json_object_set_new(mem, "usable_bytes", json_real(r->mem_usable_bytes));
    json_object_set_new(o, "memory_per_gpu", mem);

    json_t *terms = json_object();
    for (int i = 0; i < GPB_PLAN_TERM_COUNT; i++)
        json_object_set_new(terms, gpb_plan_term_name((gpb_plan_term)i),
                            json_real(r->term_s[i]));
    json_object_set_new(o, "step_s", json_real(r->step_s));
    json_object_set_new(o, "ideal_s", json_real(r->ideal_s));
    json_object_set_new(o, "terms_s", terms);
    json_object_set_new(o, "bound", json_string(gpb_plan_term_name(r->bound)));
    json_object_set_new(o, "bound_text",
                        json_string(gpb_plan_term_text(r->bound)));
    json_object_set_new(o, "mfu", json_real(r->mfu_frac));
    json_object_set_new(o, "hfu", json_real(r->hfu_frac));
    json_object_set_new(o, "tokens_per_s", json_real(r->tokens_per_s));
    json_object_set_new(o, "layouts_tried", json_real(r->layouts_tried));
    json_object_set_new(o, "layouts_fit", json_real(r->layouts_fit));

    json_object_set_new(o, "tokens_origin", json_string(p->tokens_origin));
    json_object_set_new(o, "interval",
                        interval_json(&p->interval, p->currency,
                                      p->price_origin));
    return o;
}

gpb_status gpb_report_plan_json(const gpb_report_plan_request *req,
                                char **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    gpb_report_plan p;
    GPB__TRY(gpb_report_plan_compute(req, &p, err));
    return gpb__report_json_dump(plan_json(&p), out, err);
}
