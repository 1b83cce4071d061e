/*
 * Conditional results (gpb_result_given, sim.h): the kept paths on which a
 * condition holds, as a result of their own, for "and if the round
 * fails?".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "internal.h"

typedef enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } cmp_op;

static int holds(double x, cmp_op op, double v)
{
    switch (op) {
    case OP_EQ: return x == v;
    case OP_NE: return x != v;
    case OP_LT: return x < v;
    case OP_LE: return x <= v;
    case OP_GT: return x > v;
    case OP_GE: return x >= v;
    }
    return 0;
}

/* "company.funding[I].closed" and "training[I].diverged" name metrics
   by the item's index: their metric names carry the item's name. */
static int alias(const gpb_scenario *s, const char *key, char *metric,
                 size_t n, int *diverged)
{
    unsigned long i;
    char tail[32];
    *diverged = 0;
    if (sscanf(key, "company.funding[%lu].%31s", &i, tail) == 2 &&
        !strcmp(tail, "closed")) {
        if (i >= s->n_funding)
            return -1;
        snprintf(metric, n, "funding.%s.closed", s->funding[i].name);
        return 0;
    }
    if (sscanf(key, "training[%lu].%31s", &i, tail) == 2 &&
        !strcmp(tail, "diverged")) {
        if (i >= s->n_training)
            return -1;
        snprintf(metric, n, "training.%s.divergences", s->training[i].name);
        *diverged = 1;
        return 0;
    }
    return 1;
}

gpb_status gpb_result_given(const gpb_scenario *s, const gpb_result *r,
                            const char *cond, gpb_result **out,
                            gpb_error *err)
{
    if (!s || !r || !cond || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    *out = NULL;
    /* KEY OP VALUE, OP one of = == != < <= > >=. */
    const char *o = strpbrk(cond, "=!<>");
    if (!o || o == cond)
        return gpb__fail(err, GPB_ESYNTAX,
                         "condition '%s': expected KEY OP VALUE, e.g. "
                         "'company.funding[0].closed=false'",
                         cond);
    cmp_op op;
    size_t ol = 1;
    if (o[0] == '=')
        op = OP_EQ, ol = o[1] == '=' ? 2 : 1;
    else if (o[0] == '!' && o[1] == '=')
        op = OP_NE, ol = 2;
    else if (o[0] == '<')
        op = o[1] == '=' ? OP_LE : OP_LT, ol = o[1] == '=' ? 2 : 1;
    else if (o[0] == '>')
        op = o[1] == '=' ? OP_GE : OP_GT, ol = o[1] == '=' ? 2 : 1;
    else
        return gpb__fail(err, GPB_ESYNTAX, "condition '%s': unknown operator",
                         cond);
    char key[GPB_ERROR_PATH_MAX], metric[GPB_ERROR_PATH_MAX + 32];
    size_t kl = (size_t)(o - cond);
    while (kl && cond[kl - 1] == ' ')
        kl--;
    while (*cond == ' ' && kl)
        cond++, kl--;
    if (kl >= sizeof key)
        return gpb__fail(err, GPB_ELIMIT, "condition: the key is too long");
    memcpy(key, cond, kl);
    key[kl] = 0;
    const char *val = o + ol;
    while (*val == ' ')
        val++;
    double v;
    gpb_quantity q;
    if (!strcmp(val, "true"))
        v = 1;
    else if (!strcmp(val, "false"))
        v = 0;
    else if (gpb_units_parse(val, &q, NULL) == GPB_OK)
        v = q.value; /* money in the result's currency: see sim.h */
    else
        return gpb__fail(err, GPB_ESYNTAX,
                         "condition '%s': '%s' is not a number, a quantity, "
                         "true or false",
                         key, val);
    int diverged = 0;
    int a = alias(s, key, metric, sizeof metric, &diverged);
    if (a < 0)
        return gpb__fail(err, GPB_ENOTFOUND,
                         "condition: '%s' names an item the scenario does "
                         "not have",
                         key);
    if (a > 0)
        snprintf(metric, sizeof metric, "%s", key);
    if (diverged) { /* true: at least one divergence */
        if (op != OP_EQ && op != OP_NE)
            return gpb__fail(err, GPB_ESYNTAX,
                             "condition: '%s' is true or false", key);
        op = (op == OP_EQ) == (v != 0) ? OP_GT : OP_LE;
        v = 0;
    }
    size_t m;
    GPB__TRY(gpb_result_metric_find(r, metric, &m, err));
    if (r->kept < r->paths)
        return gpb__fail(err, GPB_EINVAL,
                         "a condition needs every path kept (%zu of %zu "
                         "were): run fewer paths or raise the memory budget",
                         r->kept, r->paths);
    const double *x;
    GPB__TRY(gpb_result_samples(r, metric, &x, err));
    size_t n = 0, n_in = 0; /* n_in: of the paths with their inputs */
    for (size_t i = 0; i < r->kept; i++) {
        n += holds(x[i], op, v);
        n_in += i < r->kept_inputs && holds(x[i], op, v);
    }
    if (n == 0)
        return gpb__fail(err, GPB_ENOTFOUND,
                         "condition '%s %.*s %s' holds on none of the %zu "
                         "paths",
                         key, (int)ol, o, val, r->paths);
    /* The subset: every per-path array compacted, block moments
       recomputed over blocks of LANES of it, runway counts from its
       runways; the month fan and the ledger are streamed over every path
       and cannot be conditioned, so they are left empty. */
    int varies[GPB_CURRENCY_COUNT];
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        varies[c] = r->per_usd[c] != NULL;
    size_t nb = (n + LANES - 1) / LANES;
    gpb_result *g = NULL;
    GPB__TRY(gpb__result_alloc(r->metrics, r->n_metrics, r->n_inputs,
                               (const char *const *)r->input_paths,
                               (const char *const *)r->input_labels, varies,
                               r->horizon, n, n, n_in, nb, 0, &g, err));
    g->currency = r->currency;
    g->seed = r->seed;
    g->quasi = r->quasi;
    g->threads = r->threads;
    g->s_id = r->s_id;
    g->path_offset = 0;
    g->inputs_req = r->inputs_req;
    memcpy(g->rate_fixed, r->rate_fixed, sizeof g->rate_fixed);
    g->given_of = r->paths;
    g->path_no = malloc(n * sizeof *g->path_no);
    if (!g->path_no) {
        gpb_result_free(g);
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    size_t j = 0;
    for (size_t i = 0; i < r->kept; i++) {
        if (!holds(x[i], op, v))
            continue;
        g->path_no[j] = gpb_result_path_number(r, i);
        for (size_t k = 0; k < r->n_metrics; k++) {
            if (g->values[k])
                g->values[k][j] = r->values[k][i];
            if (g->narrow[k])
                g->narrow[k][j] = r->narrow[k][i];
        }
        for (size_t k = 0; i < r->kept_inputs && k < r->n_inputs; k++)
            g->inputs[k][j] = r->inputs[k][i];
        for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
            if (g->per_usd[c])
                g->per_usd[c][j] = r->per_usd[c][i];
        j++;
    }
    for (size_t k = 0; k < r->n_metrics; k++) {
        g->nonzero[k] = r->nonzero[k];
        /* A derived metric's values, made from its source's (copied
           above); a constant's are its value. */
        const double *gv = g->values[k];
        if (!gv && ((g->metrics[k].derived && !g->metrics[k].constant) ||
                    g->narrow[k])) {
            gpb_status st = gpb_result_samples(g, g->metrics[k].name, &gv,
                                               err);
            if (st) {
                gpb_result_free(g);
                return st;
            }
        }
        for (size_t b = 0; b < nb; b++) {
            double *mean = &g->blk_mean[b * r->n_metrics + k];
            double *m2 = &g->blk_m2[b * r->n_metrics + k];
            size_t lo = b * LANES, hi = lo + LANES < n ? lo + LANES : n;
            if (!gv) {
                *mean = r->metrics[k].value;
                *m2 = 0;
                continue;
            }
            double s1 = 0, s2 = 0;
            for (size_t i = lo; i < hi; i++)
                s1 += gv[i];
            double mu = s1 / (double)(hi - lo);
            for (size_t i = lo; i < hi; i++)
                s2 += (gv[i] - mu) * (gv[i] - mu);
            *mean = mu;
            *m2 = s2;
        }
    }
    size_t rw;
    if (!gpb_result_metric_find(g, "runway_months", &rw, NULL)) {
        const double *w = NULL;
        if (gpb_result_samples(g, "runway_months", &w, err)) {
            gpb_result_free(g);
            return GPB_ENOMEM;
        }
        for (size_t i = 0; w && i < n; i++) {
            double mth = w[i];
            int mi = mth >= 0 && mth < r->horizon ? (int)mth : r->horizon;
            g->out_month[mi]++;
        }
    }
    snprintf(g->given, sizeof g->given, "%s %.*s %s", key, (int)ol, o, val);
    *out = g;
    return GPB_OK;
}

const char *gpb_result_given_condition(const gpb_result *r)
{
    return r && r->given[0] ? r->given : NULL;
}

size_t gpb_result_given_of(const gpb_result *r)
{
    return r ? r->given_of : 0;
}
