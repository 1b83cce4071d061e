/*
 * Reading a loaded scenario (gpubudget/scenario.h): its name, inputs,
 * training runs, sources and claims. Everything here is borrowed from the
 * immutable scenario, so any thread may call it.
 */
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "gpubudget/compute.h"
#include "internal.h"
#include "scenario_read.h"
#include "yaml_tree.h"

const char *gpb_scenario_name(const gpb_scenario *s)
{
    return s ? s->name : NULL;
}

const char *gpb_scenario_source(const gpb_scenario *s)
{
    return s ? s->source_name : NULL;
}

gpb_currency gpb_scenario_currency(const gpb_scenario *s)
{
    return s ? s->currency : GPB_CURRENCY_NONE;
}

double gpb_scenario_discount_rate(const gpb_scenario *s)
{
    if (!s || s->discount_rate < 0)
        return NAN;
    return gpb_dist_quantile(&s->inputs[s->discount_rate].dist, 0.5);
}

int gpb_scenario_horizon_months(const gpb_scenario *s)
{
    return s ? s->horizon_months : 0;
}

size_t gpb_scenario_input_count(const gpb_scenario *s)
{
    return s ? s->n_inputs : 0;
}

const char *gpb_scenario_input_path(const gpb_scenario *s, size_t i)
{
    return s && i < s->n_inputs ? s->inputs[i].path : NULL;
}

const gpb_dist *gpb_scenario_input_dist(const gpb_scenario *s, size_t i)
{
    return s && i < s->n_inputs ? &s->inputs[i].dist : NULL;
}

gpb_input_domain gpb_scenario_input_domain(const gpb_scenario *s, size_t i)
{
    gpb_input_domain any = {-INFINITY, INFINITY, 0, 0, 0};
    return s && i < s->n_inputs ? s->inputs[i].domain : any;
}

gpb_status gpb_scenario_input_read(const gpb_scenario *s, size_t i,
                                   const char *text, double *value,
                                   gpb_currency *currency, gpb_error *err)
{
    if (!s || !text || !value)
        return gpb__fail(err, GPB_EINVAL, "s, text and value must not be "
                                          "NULL");
    if (i >= s->n_inputs)
        return gpb__fail(err, GPB_EINVAL, "input %zu of %zu", i,
                         s->n_inputs);
    const gpb__input *in = &s->inputs[i];
    if (!in->spec)
        return gpb__fail_at(err, GPB_ENOTFOUND, NULL, 0, 0, in->path,
                            "the loader works this value out; it is not "
                            "read from text");
    return gpb__sc_read(in->spec, text, in->path, value, currency, err);
}

gpb_qty_kind gpb_scenario_input_kind(const gpb_scenario *s, size_t i)
{
    return s && i < s->n_inputs ? s->inputs[i].kind : GPB_QTY_NUMBER;
}

gpb_currency gpb_scenario_input_currency(const gpb_scenario *s, size_t i)
{
    return s && i < s->n_inputs ? s->inputs[i].currency : GPB_CURRENCY_NONE;
}

int gpb_scenario_input_is_uncertain(const gpb_scenario *s, size_t i)
{
    if (!s || i >= s->n_inputs)
        return 0;
    return !s->inputs[i].per_event && !gpb_dist_is_fixed(&s->inputs[i].dist);
}

const char *gpb_scenario_input_label(const gpb_scenario *s, size_t i)
{
    return s && i < s->n_inputs ? s->inputs[i].label : NULL;
}

const char *gpb_scenario_text(const gpb_scenario *s, size_t *len)
{
    if (len)
        *len = s ? s->text_len : 0;
    return s ? s->text : NULL;
}

const char *gpb_scenario_overrides(const gpb_scenario *s)
{
    return s ? s->overrides : NULL;
}

static long input_exact(const gpb_scenario *s, const char *path)
{
    for (size_t i = 0; i < s->n_inputs; i++)
        if (strcmp(s->inputs[i].path, path) == 0)
            return (long)i;
    return -1;
}

gpb_status gpb_scenario_key_resolve(const gpb_scenario *s, const char *path,
                                    char *out, size_t n, gpb_error *err)
{
    if (!s || !path || !out || n == 0)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    out[0] = 0;
    if (!s->text)
        return gpb__fail(err, GPB_EINVAL, "the scenario keeps no text");
    /* In the document as the overrides see it, with the scenario's own
       overrides applied: they may add or rename items. */
    gpb__ytree *t = NULL;
    gpb_status st = gpb__ytree_parse(s->text, s->text_len, s->source_name,
                                     &t, err);
    if (!st)
        st = gpb__ytree_override(t, s->overrides, s->source_name, err);
    if (!st)
        st = gpb__ytree_index_path(t, path, out, n, err);
    gpb__ytree_free(t);
    if (st)
        out[0] = 0;
    return st;
}

long gpb_scenario_input_find(const gpb_scenario *s, const char *path)
{
    if (!s || !path)
        return -1;
    long i = input_exact(s, path);
    if (i >= 0 || !strchr(path, '['))
        return i;
    /* [name] selectors, resolved as the overrides resolve them. */
    char idx[GPB_ERROR_PATH_MAX];
    if (gpb_scenario_key_resolve(s, path, idx, sizeof idx, NULL))
        return -1;
    return input_exact(s, idx);
}

size_t gpb_scenario_training_count(const gpb_scenario *s)
{
    return s ? s->n_training : 0;
}

const char *gpb_scenario_training_name(const gpb_scenario *s, size_t i)
{
    return s && i < s->n_training ? s->training[i].name : NULL;
}

/* ---- sources and claims ------------------------------------------------- */

const char *gpb_scenario_description(const gpb_scenario *s)
{
    return s ? s->description : NULL;
}

size_t gpb_scenario_source_count(const gpb_scenario *s)
{
    return s ? s->n_sources : 0;
}

size_t gpb_scenario_claim_count(const gpb_scenario *s)
{
    return s ? s->n_claims : 0;
}

gpb_status gpb_scenario_source_get(const gpb_scenario *s, size_t i,
                                   gpb_source_info *out, gpb_error *err)
{
    if (!s || !out)
        return gpb__fail(err, GPB_EINVAL, "scenario and out must not be NULL");
    if (i >= s->n_sources)
        return gpb__fail(err, GPB_EINVAL,
                         "source %zu out of range (the scenario has %zu)", i,
                         s->n_sources);
    const gpb__source *src = &s->sources[i];
    out->id = src->id;
    out->title = src->title;
    out->outlet = src->outlet;
    out->date = src->date;
    out->quote = src->quote;
    out->url = src->url;
    return GPB_OK;
}

gpb_status gpb_scenario_claim_get(const gpb_scenario *s, size_t i,
                                  gpb_claim_info *out, gpb_error *err)
{
    if (!s || !out)
        return gpb__fail(err, GPB_EINVAL, "scenario and out must not be NULL");
    if (i >= s->n_claims)
        return gpb__fail(err, GPB_EINVAL,
                         "claim %zu out of range (the scenario has %zu)", i,
                         s->n_claims);
    const gpb__claim *c = &s->claims[i];
    out->id = c->id;
    out->source = c->source;
    out->says = c->says;
    out->metric = c->metric;
    out->text = c->text;
    out->value = c->value;
    out->line = c->line;
    out->column = c->column;
    out->context = c->context;
    out->why = c->why;
    out->from_claim = (const char *const *)c->from_claim;
    out->n_from_claim = c->n_from_claim;
    return GPB_OK;
}

long gpb_scenario_source_find(const gpb_scenario *s, const char *id)
{
    if (!s || !id)
        return -1;
    for (size_t i = 0; i < s->n_sources; i++)
        if (s->sources[i].id && strcmp(s->sources[i].id, id) == 0)
            return (long)i;
    return -1;
}

gpb_status gpb__training_flops(const gpb__training *t, gpb__input_value get,
                               const void *ctx, double *flops,
                               gpb_error *err)
{
    gpb_train_spec spec;
    gpb_compute_train_spec_default(&spec);
    spec.params = get(ctx, t->params, NAN);
    spec.active_params = get(ctx, t->active_params, 0);
    spec.tokens = get(ctx, t->tokens, NAN);
    spec.n_layer = get(ctx, t->n_layer, 0);
    spec.n_ctx = get(ctx, t->n_ctx, 0);
    spec.d_model = get(ctx, t->d_model, 0);
    /* The model's FLOPs, which MFU counts: recomputation is hardware work
       that trains nothing. `recompute: true` slows the plan of `mfu:
       auto` instead (load_mfu_auto), as estimate --recompute does; until
       2026-12 it counted 8·N·D here, so a given MFU was read as an HFU. */
    spec.recompute = GPB_RECOMPUTE_NONE;
    double expl = get(ctx, t->exploration, 1.0), f;
    GPB__TRY(gpb__need_finite(err, expl, "exploration"));
    GPB__TRY(gpb_compute_train_flops_spec(&spec, &f, err));
    *flops = f * expl;
    return GPB_OK;
}
