/*
 * The scenario loader: YAML text to a validated gpb_scenario (schema
 * version 1, documented key by key in docs/scenario.md).
 *
 * Loading has three stages:
 *   1. yaml_tree.c turns the text into a bounded node tree (syntax errors,
 *      alias bombs and deep nesting stop here, with one problem);
 *   2. the walk below checks every key of every mapping against the schema
 *      and turns every number into an *input* (a gpb_dist with its key path,
 *      kind and currency), collecting every problem rather than stopping at
 *      the first;
 *   3. the problems are sorted into file order and handed to the caller.
 *
 * The walk never stops early on a schema problem: a section that fails
 * leaves GPB__NONE in the model and the walk goes on, so one pass reports
 * everything. Checks that need a missing piece (a default MFU from an
 * unknown card) are skipped rather than reported twice.
 *
 * Cost bound: the walk visits each node of the expanded document a
 * constant number of times, and the tree holds at most GPB__YAML_MAX_NODES
 * nodes and GPB__YAML_MAX_TEXT_BYTES bytes of text with aliases expanded
 * (for the file and its overrides together). Per visit the work is O(1)
 * look-ups in a mapping of at most GPB__SC_MAX_MAP_KEYS keys, plus the
 * visited text's length; what would be more is bounded apart:
 *   - a mapping's key check runs once per mapping and key list
 *     (gpb__sc_check_map) and sorts the keys;
 *   - repeated names, the sources claims cite, the fleets runs use and the
 *     inputs correlations name are found in sorted indexes, O(n log n)
 *     comparisons per list instead of O(n^2);
 *   - the correlation matrix is factorised block by block (O(k^3) per
 *     block of k linked inputs, k <= GPB__MAX_LIST_ITEMS + 1);
 *   - "did you mean" hints draw on GPB__SC_HINT_BUDGET.
 * So loading any file the size limit admits is linear in the file.
 */
#include <errno.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/compute.h"
#include "gpubudget/hardware.h"
#include "gpubudget/plan.h"
#include "scenario_read.h"

/* The text of scenarios/qianka-month.yaml, generated at build time by
   lib/embed.py. */
extern const char gpb__default_scenario_yaml[];

/* ------------------------------------------------------------------------ */
/* The specs of the schema's numbers                                         */
/* ------------------------------------------------------------------------ */

#define INF INFINITY

static const gpb__vspec SP_MONTH = {
    .expect = "a month number (0 = the first month)",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = GPB__MAX_HORIZON_MONTHS,
    .flags = GPB__V_ROUNDED,
    .from_hours = 1.0 / GPB_HOURS_PER_MONTH,
};
static const gpb__vspec SP_MONEY = {
    .expect = "an amount of money",
    .kind = GPB_QTY_MONEY,
    .lo = 0,
    .hi = INF,
};
static const gpb__vspec SP_MONEY_MONTH = {
    .expect = "an amount of money per month",
    .kind = GPB_QTY_MONEY,
    .lo = 0,
    .hi = INF,
    .per_hour = GPB_HOURS_PER_MONTH,
};
static const gpb__vspec SP_MONEY_YEAR = {
    .expect = "an amount of money per year",
    .kind = GPB_QTY_MONEY,
    .lo = 0,
    .hi = INF,
    .flags = GPB__V_WAGE, /* salary_per_year */
    .per_hour = GPB_HOURS_PER_YEAR,
};
static const gpb__vspec SP_PROB = {
    .expect = "a probability",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = 1,
};
static const gpb__vspec SP_FRAC = {
    .expect = "a fraction",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = 1,
};
static const gpb__vspec SP_HEADS = {
    .expect = "a number of people",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = 1e6,
};

/* ------------------------------------------------------------------------ */
/* Sections                                                                  */
/* ------------------------------------------------------------------------ */

static const char *const TOP_KEYS[] = {
    "gpubudget",      "name",     "description", "currency", "exchange_rates",
    "horizon_months", "sources",  "claims",      "company",  "gpu_price_index",
    "team",           "training", "serving",     "revenue",  "other_costs",
    "correlations",   "fleets",   "capacity",    "data",     "x-*",
    NULL};


/* horizon_months: whole months, from a duration too ("5 years"). */
static const gpb__vspec sp_horizon = {
    .expect = "a whole number of months",
    .kind = GPB_QTY_NUMBER,
    .lo = 1,
    .hi = GPB__MAX_HORIZON_MONTHS,
    .flags = GPB__V_INT | GPB__V_SCALAR | GPB__V_ELIMIT,
    .from_hours = 1.0 / GPB_HOURS_PER_MONTH,
};

const char *gpb__sc_claim_amount(const char *text, int *neg)
{
    const char *t = text + strspn(text, " ");
    /* Only a sign before a currency ("-$1M", "-¥500万"): a sign before a
       number is the units layer's, and "--5" is not +5 (diff review). */
    *neg = t[0] == '-' && t[1] && !isdigit((unsigned char)t[1]) &&
           !strchr(".-+ \t", t[1]);
    return *neg ? t + 1 : text;
}

const gpb__vspec *gpb__sc_structural_spec(const char *key)
{
    return key && !strcmp(key, "horizon_months") ? &sp_horizon : NULL;
}

static void load_header(gpb__loader *L, const gpb__ynode *root)
{
    gpb_scenario *s = L->s;
    s->name = gpb__sc_str(L, root, "", "name", 1, "the scenario's name");
    s->description = gpb__sc_str(L, root, "", "description", 0, "text");

    const gpb__ynode *c = gpb__sc_get(root, "currency");
    s->currency = GPB_CURRENCY_USD;
    if (c) {
        gpb_currency cur;
        char fb[96];
        if (!gpb__sc_is_text(c) ||
            gpb_currency_from_code(c->text, &cur, NULL) != GPB_OK) {
            gpb__sc_report(
                L, GPB_ESCHEMA, c, "currency",
                "expected a currency code (USD, CNY or EUR), found %s",
                gpb__sc_found(c, fb, sizeof fb));
        } else {
            s->currency = cur;
        }
    }


    const gpb__ynode *h = gpb__sc_get(root, "horizon_months");
    s->horizon_months = 24;
    if (h) {
        gpb_dist d;
        gpb_currency cur;
        if (!gpb__sc_value(L, h, &sp_horizon, "horizon_months", &d, &cur))
            s->horizon_months = (int)d.param[0];
        gpb_dist_free(&d);
    }
}

static void load_fx(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"CNY_per_USD", "EUR_per_USD", NULL};
    static const gpb__vspec sp = {
        .expect = "an exchange rate (units per US dollar)",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = INF,
        .flags = GPB__V_LO_OPEN,
    };
    gpb_fx fx = gpb_units_fx_default();
    const gpb__ynode *m = gpb__sc_get(root, "exchange_rates");
    if (m && !gpb__sc_check_map(L, m, "exchange_rates", "exchange rates", keys))
        m = NULL;
    const gpb__ynode *at = m ? m : root;
    L->s->cny_per_usd = gpb__sc_input(L, at, "exchange_rates", "CNY_per_USD",
                                      &sp, 0, fx.per_usd[GPB_CURRENCY_CNY]);
    L->s->eur_per_usd = gpb__sc_input(L, at, "exchange_rates", "EUR_per_USD",
                                      &sp, 0, fx.per_usd[GPB_CURRENCY_EUR]);
}

static void load_price_index(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"drift_per_month",
                                       "volatility_per_month", NULL};
    static const gpb__vspec sp_drift = {
        .expect = "a log-change per month",
        .kind = GPB_QTY_NUMBER,
        .lo = -1,
        .hi = 1,
        .flags = GPB__V_PCT_HINT,
    };
    static const gpb__vspec sp_vol = {
        .expect = "a volatility per month",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 1,
    };
    const gpb__ynode *m = gpb__sc_get(root, "gpu_price_index");
    if (m && !gpb__sc_check_map(L, m, "gpu_price_index", "the GPU price index",
                                keys))
        m = NULL;
    const gpb__ynode *at = m ? m : root;
    L->s->price_drift_per_month = gpb__sc_input(
        L, at, "gpu_price_index", "drift_per_month", &sp_drift, 0, 0.0);
    L->s->price_volatility_per_month = gpb__sc_input(
        L, at, "gpu_price_index", "volatility_per_month", &sp_vol, 0, 0.0);
}

static void load_sources(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"id",    "title", "outlet", "date",
                                       "quote", "url",   NULL};
    const gpb__ynode *list = gpb__sc_list(L, root, "", "sources", "sources");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->sources = calloc(list->n_kids, sizeof *s->sources);
    if (!s->sources) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "id");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "sources", i);
        if (!gpb__sc_check_map(L, m, p, "a source", keys))
            continue;
        gpb__source *src = &s->sources[s->n_sources++];
        src->id = gpb__sc_str(L, m, p, "id", 1, "a short name claims refer to");
        src->title = gpb__sc_str(L, m, p, "title", 0, "text");
        src->outlet = gpb__sc_str(L, m, p, "outlet", 0, "text");
        src->date = gpb__sc_str(L, m, p, "date", 0, "a date such as 2023-02");
        src->quote = gpb__sc_str(L, m, p, "quote", 0, "text");
        src->url = gpb__sc_str(L, m, p, "url", 0, "a URL");
        gpb__sc_check_unique(L, list, rep, i, "id", p, "source id");
    }
    free(rep);
}

/*
 * `from_claim`: the key paths of the inputs whose values were taken from
 * the claim itself (the article's own price, say), so that the check
 * restates its input. Kept as written here; check_claim_inputs matches
 * them against the scenario's inputs once every section has loaded.
 */
static void load_from_claim(gpb__loader *L, const gpb__ynode *m,
                            const char *p, gpb__claim *c)
{
    const gpb__ynode *list =
        gpb__sc_list(L, m, p, "from_claim", "input key paths");
    if (!list || !list->n_kids)
        return;
    c->from_claim = calloc(list->n_kids, sizeof *c->from_claim);
    if (!c->from_claim) {
        L->nomem = 1;
        return;
    }
    gpb__pathbuf lp;
    gpb__sc_path_key(lp, p, "from_claim");
    for (size_t k = 0; k < list->n_kids; k++) {
        const gpb__ynode *v = list->kids[k];
        if (!gpb__sc_is_text(v)) {
            gpb__pathbuf kp;
            char fb[96];
            gpb__sc_path_index(kp, lp, k);
            gpb__sc_report(L, GPB_ESCHEMA, v, kp,
                           "expected the key path of an input such as "
                           "fleets[0].price_per_gpu, found %s",
                           gpb__sc_found(v, fb, sizeof fb));
            continue;
        }
        if (!(c->from_claim[c->n_from_claim] = gpb__strdup(v->text))) {
            L->nomem = 1;
            return;
        }
        c->n_from_claim++;
    }
}

/*
 * Every path under a claim's `from_claim` must name an input of the
 * scenario (the key paths of docs/scenario.md, "Key paths"): run after
 * every section has registered its inputs. The nodes are found again in
 * the tree for their positions.
 */
static void check_claim_inputs(gpb__loader *L, const gpb__ynode *root)
{
    gpb_scenario *s = L->s;
    const gpb__ynode *list = gpb__sc_get(root, "claims");
    for (size_t i = 0; list && i < s->n_claims; i++) {
        const gpb__claim *c = &s->claims[i];
        if (!c->n_from_claim || c->item >= list->n_kids)
            continue;
        const gpb__ynode *fl = gpb__sc_get(list->kids[c->item], "from_claim");
        gpb__pathbuf p, lp;
        gpb__sc_path_index(p, "claims", c->item);
        gpb__sc_path_key(lp, p, "from_claim");
        for (size_t k = 0, j = 0; fl && k < fl->n_kids; k++) {
            const gpb__ynode *v = fl->kids[k];
            if (!gpb__sc_is_text(v))
                continue; /* reported by load_from_claim */
            const char *path = c->from_claim[j++];
            if (gpb_scenario_input_find(s, path) >= 0)
                continue;
            gpb__pathbuf kp;
            char fb[96];
            gpb__sc_path_index(kp, lp, k);
            const char **names = malloc((s->n_inputs + 1) * sizeof *names);
            if (!names) {
                L->nomem = 1;
                return;
            }
            for (size_t n = 0; n < s->n_inputs; n++)
                names[n] = s->inputs[n].path;
            const char *hint =
                gpb__sc_nearest(L, path, names, s->n_inputs, NULL, 0);
            gpb__sc_report(L, GPB_ESCHEMA, v, kp,
                           "expected the key path of an input of this "
                           "scenario, found '%s'%s%s%s",
                           gpb__sc_clip(path, fb, sizeof fb),
                           hint ? "; did you mean '" : "", hint ? hint : "",
                           hint ? "'?" : "");
            free(names);
        }
    }
}

static void load_claims(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"id",      "source",     "says",
                                       "metric",  "value",      "context",
                                       "from_claim", "why",      NULL};
    const gpb__ynode *list = gpb__sc_list(L, root, "", "claims", "claims");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->claims = calloc(list->n_kids, sizeof *s->claims);
    /* The sources' ids, sorted for look-ups, and as a list for hints. */
    gpb__sc_name *by_id = malloc((s->n_sources + 1) * sizeof *by_id);
    const char **ids = malloc((s->n_sources + 1) * sizeof *ids);
    if (!s->claims || !by_id || !ids) {
        free(by_id);
        free(ids);
        L->nomem = 1;
        return;
    }
    size_t n_ids = 0;
    for (size_t j = 0; j < s->n_sources; j++)
        if (s->sources[j].id) {
            ids[n_ids] = by_id[n_ids].name = s->sources[j].id;
            by_id[n_ids].i = j;
            by_id[n_ids++].node = NULL;
        }
    gpb__sc_names_sort(by_id, n_ids);
    size_t *rep = gpb__sc_repeats(L, list, "id");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        char fb[96];
        gpb__sc_path_index(p, "claims", i);
        if (!gpb__sc_check_map(L, m, p, "a claim", keys))
            continue;
        gpb__claim *c = &s->claims[s->n_claims++];
        c->line = m->line;
        c->column = m->column;
        c->item = i;
        {
            const gpb__ynode *mn = gpb__sc_get(m, "metric"),
                             *vn = gpb__sc_get(m, "value");
            c->metric_line = mn ? mn->line : m->line;
            c->metric_column = mn ? mn->column : m->column;
            c->value_line = vn ? vn->line : m->line;
            c->value_column = vn ? vn->column : m->column;
        }
        c->id = gpb__sc_str(L, m, p, "id", 1, "a short name for the claim");
        if (c->id && c->id[strspn(c->id, " \t\r\n")] == 0) {
            /* The claim is printed and referred to by its id: a blank one
               was checked and shown as nothing (review). A run's blank
               name falls back to its index instead. */
            gpb__pathbuf ip;
            gpb__sc_path_key(ip, p, "id");
            gpb__sc_report(L, GPB_ESCHEMA, gpb__sc_get(m, "id"), ip,
                           "expected a short name for the claim, found an "
                           "empty string");
        }
        c->context = gpb__sc_str(L, m, p, "context", 0,
                                 "why the claim is shown and not checked");
        c->why = gpb__sc_str(L, m, p, "why", 0,
                             "why the claim is read and judged as it is");
        load_from_claim(L, m, p, c);
        c->source = gpb__sc_str(L, m, p, "source", 0, "the id of a source");
        c->says = gpb__sc_str(L, m, p, "says", 0, "text");
        c->metric =
            gpb__sc_str(L, m, p, "metric", 1, "the result the claim is about");
        gpb__sc_check_unique(L, list, rep, i, "id", p, "claim id");
        if (c->source) {
            if (!gpb__sc_names_find(by_id, n_ids, c->source, 0)) {
                gpb__pathbuf sp;
                gpb__sc_path_key(sp, p, "source");
                const char *hint =
                    gpb__sc_nearest(L, c->source, ids, n_ids, NULL, 0);
                gpb__sc_report(
                    L, GPB_ESCHEMA, gpb__sc_get(m, "source"), sp,
                    "expected the id of one of the sources, found '%s'%s%s%s",
                    gpb__sc_clip(c->source, fb, sizeof fb),
                    hint ? "; did you mean '" : "", hint ? hint : "",
                    hint ? "'?" : "");
            }
        }
        const gpb__ynode *v = gpb__sc_get(m, "value");
        gpb__pathbuf vp;
        gpb__sc_path_key(vp, p, "value");
        if (!v) {
            /* A claim shown for context may have no figure to compare. */
            if (!c->context)
                gpb__sc_missing(L, m, p, "value",
                                "the claimed quantity (only a claim with "
                                "'context' may leave it out)");
        } else if (!gpb__sc_is_qty(v)) {
            gpb__sc_report(L, GPB_ESCHEMA, v, vp,
                           "expected a quantity such as \"¥5000万\", found %s",
                           gpb__sc_found(v, fb, sizeof fb));
        } else {
            gpb_error e;
            memset(&e, 0, sizeof e);
            /* A claim may be negative ("-$1M" of cash, a difference): the
               sign is the claim's, the amount the units layer's, so that
               "-$1M" reads as -1000000 does. Whether the metric can be
               negative is the check's question (claims.c). */
            int neg = 0;
            const char *amount = gpb__sc_claim_amount(v->text, &neg);
            if (gpb_units_parse(amount, &c->value, &e) !=
                GPB_OK) {
                gpb__sc_report(L, GPB_ESCHEMA, v, vp,
                               "expected a quantity, found %s (%s)",
                               gpb__sc_found(v, fb, sizeof fb), e.message);
            } else if (!(c->text = gpb__strdup(v->text))) {
                L->nomem = 1;
            } else {
                if (neg)
                    c->value.value = -c->value.value;
                c->has_value = 1;
            }
        }
    }
    free(by_id);
    free(ids);
    free(rep);
}

static void load_company(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"cash", "funding",
                                       "discount_rate_per_year", NULL};
    static const char *const fkeys[] = {"name", "month", "amount",
                                        "probability", NULL};
    static const gpb__vspec sp_rate = {
        .expect = "an annual rate above -1 (0.12 is 12% a year)",
        .kind = GPB_QTY_NUMBER,
        .lo = -1,
        .hi = 10,
        .flags = GPB__V_LO_OPEN | GPB__V_SCALAR | GPB__V_PCT_WARN,
    };
    gpb_scenario *s = L->s;
    const gpb__ynode *m = gpb__sc_get(root, "company");
    if (!m) {
        /* Without a company the runway starts from nothing: the deficit is
           the raise needed. */
        s->cash = gpb__sc_domain(L,
                                 gpb__sc_fixed(L, "company.cash", 0.0,
                                               GPB_QTY_MONEY, s->currency,
                                               root),
                                 &SP_MONEY);
        return;
    }
    if (!gpb__sc_check_map(L, m, "company", "the company's cash and funding",
                           keys))
        return;
    s->cash = gpb__sc_input(L, m, "company", "cash", &SP_MONEY, 1, NAN);
    /* The rate of npv.cost (and of rent-vs-buy under the scenario). */
    s->discount_rate = gpb__sc_input(L, m, "company", "discount_rate_per_year",
                                     &sp_rate, 0, NAN);
    const gpb__ynode *list =
        gpb__sc_list(L, m, "company", "funding", "funding rounds");
    if (!list || !list->n_kids)
        return;
    s->funding = calloc(list->n_kids, sizeof *s->funding);
    if (!s->funding) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "name");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *f = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "company.funding", i);
        if (!gpb__sc_check_map(L, f, p, "a funding round", fkeys))
            continue;
        gpb__funding *r = &s->funding[s->n_funding++];
        r->name = gpb__sc_str(L, f, p, "name", 0, "text");
        gpb__sc_check_unique(L, list, rep, i, "name", p, "round name");
        if (!r->name && !gpb__sc_get(f, "name")) {
            char dflt[32];
            snprintf(dflt, sizeof dflt, "round_%zu", i + 1);
            if (!(r->name = gpb__strdup(dflt)))
                L->nomem = 1;
        }
        r->month = gpb__sc_input(L, f, p, "month", &SP_MONTH, 1, NAN);
        r->amount = gpb__sc_input(L, f, p, "amount", &SP_MONEY, 1, NAN);
        r->probability =
            gpb__sc_input(L, f, p, "probability", &SP_PROB, 0, 1.0);
    }
    free(rep);
}

static void load_team(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {
        "role",        "count",           "add_per_month",
        "max_count",   "salary_per_year", "on_cost",
        "start_month", "end_month",       NULL};
    static const gpb__vspec sp_oncost = {
        .expect = "a fraction of salary",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 10,
        .flags = GPB__V_PCT_WARN,
        .pct_note = "on_cost is the share added to salary (0.3 adds "
                    "30%), not a multiplier",
    };
    const gpb__ynode *list = gpb__sc_list(L, root, "", "team", "roles");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->team = calloc(list->n_kids, sizeof *s->team);
    if (!s->team) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "role");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "team", i);
        if (!gpb__sc_check_map(L, m, p, "a team role", keys))
            continue;
        gpb__team_role *t = &s->team[s->n_team++];
        t->role = gpb__sc_str(L, m, p, "role", 1, "the role's name");
        gpb__sc_check_unique(L, list, rep, i, "role", p, "role");
        t->count = gpb__sc_input(L, m, p, "count", &SP_HEADS, 1, NAN);
        t->add_per_month =
            gpb__sc_input(L, m, p, "add_per_month", &SP_HEADS, 0, 0.0);
        t->max_count = gpb__sc_input(L, m, p, "max_count", &SP_HEADS, 0, NAN);
        t->salary_per_year =
            gpb__sc_input(L, m, p, "salary_per_year", &SP_MONEY_YEAR, 1, NAN);
        t->on_cost_frac = gpb__sc_input(L, m, p, "on_cost", &sp_oncost, 0, 0.0);
        t->start_month =
            gpb__sc_input(L, m, p, "start_month", &SP_MONTH, 0, 0.0);
        t->end_month = gpb__sc_input(L, m, p, "end_month", &SP_MONTH, 0, NAN);
    }
    free(rep);
}

static void load_failures(gpb__loader *L, gpb__training *t, const gpb__ynode *m,
                          const char *parent)
{
    static const char *const keys[] = {
        "gpu_mtbf_hours", "hours_lost_per_failure", "checkpoint_every_minutes",
        "restart_minutes", NULL};
    static const gpb__vspec sp_mtbf = {
        .expect = "a time between failures in hours",
        .kind = GPB_QTY_DURATION,
        .lo = 0,
        .hi = INF,
        .flags = GPB__V_LO_OPEN,
    };
    static const gpb__vspec sp_lost = {
        .expect = "a number of hours",
        .kind = GPB_QTY_DURATION,
        .lo = 0,
        .hi = INF,
    };
    static const gpb__vspec sp_min = {
        .expect = "a number of minutes",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = INF,
        .from_hours = 60.0,
    };
    static const gpb__vspec sp_ckpt = {
        .expect = "a number of minutes",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = INF,
        .flags = GPB__V_LO_OPEN,
        .from_hours = 60.0,
    };
    gpb__pathbuf p;
    gpb__sc_path_key(p, parent, "failures");
    if (!gpb__sc_check_map(L, m, p, "failure settings", keys))
        return;
    /* YAML's .inf (or "inf") is an infinite MTBF: a zero failure rate,
       which gives exactly the result of a run without failures. */
    const gpb__ynode *mt = gpb__sc_get(m, "gpu_mtbf_hours");
    if (gpb__sc_is_qty(mt) &&
        (!gpb__strcasecmp(mt->text, ".inf") ||
         !gpb__strcasecmp(mt->text, "inf") ||
         !gpb__strcasecmp(mt->text, "infinity"))) {
        t->gpu_mtbf_hours = GPB__NONE; /* no failures are drawn */
    } else {
        t->gpu_mtbf_hours =
            gpb__sc_input(L, m, p, "gpu_mtbf_hours", &sp_mtbf, 1, NAN);
    }
    const gpb__ynode *lost = gpb__sc_get(m, "hours_lost_per_failure");
    const gpb__ynode *ck_key, *rs_key;
    const gpb__ynode *ck = gpb__sc_get2(m, "checkpoint_every_minutes", &ck_key);
    const gpb__ynode *rs = gpb__sc_get2(m, "restart_minutes", &rs_key);
    if (lost && (ck || rs)) {
        gpb__pathbuf kp;
        gpb__sc_path_key(kp, p,
                         ck ? "checkpoint_every_minutes" : "restart_minutes");
        gpb__sc_report(L, GPB_ESCHEMA, ck ? ck_key : rs_key, kp,
                       "expected either hours_lost_per_failure or "
                       "checkpoint_every_minutes with restart_minutes, found "
                       "both forms");
        return;
    }
    if (lost) {
        t->hours_lost_per_failure =
            gpb__sc_input(L, m, p, "hours_lost_per_failure", &sp_lost, 1, NAN);
    } else if (ck || rs) {
        t->checkpoint_minutes = gpb__sc_input(
            L, m, p, "checkpoint_every_minutes", &sp_ckpt, 1, NAN);
        t->restart_minutes =
            gpb__sc_input(L, m, p, "restart_minutes", &sp_min, 1, NAN);
    } else {
        gpb__sc_report(
            L, GPB_ESCHEMA, m, p,
            "expected hours_lost_per_failure, or checkpoint_every_minutes "
            "and restart_minutes, found neither");
    }
}

static void load_divergence(gpb__loader *L, gpb__training *t,
                            const gpb__ynode *m, const char *parent)
{
    static const char *const keys[] = {"probability_per_month",
                                       "probability_per_run", "work_lost",
                                       "restart_probability", NULL};
    static const gpb__vspec sp_lost = {
        .expect = "a fraction of the run's progress",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 1,
        .flags = GPB__V_PER_EVENT,
    };
    gpb__pathbuf p;
    gpb__sc_path_key(p, parent, "divergence");
    if (!gpb__sc_check_map(L, m, p, "divergence settings", keys))
        return;
    const gpb__ynode *pm = gpb__sc_get(m, "probability_per_month");
    const gpb__ynode *pr_key;
    const gpb__ynode *pr = gpb__sc_get2(m, "probability_per_run", &pr_key);
    gpb__pathbuf kp;
    gpb__sc_path_key(kp, p, "probability_per_run");
    if (pm && pr)
        gpb__sc_report(L, GPB_ESCHEMA, pr_key, kp,
                       "expected probability_per_month or probability_per_run, "
                       "found both");
    else if (!pm && !pr)
        gpb__sc_report(L, GPB_ESCHEMA, m, p,
                       "expected probability_per_month or probability_per_run, "
                       "found neither");
    else if (pm)
        t->divergence_per_month =
            gpb__sc_input(L, m, p, "probability_per_month", &SP_PROB, 1, NAN);
    else
        t->divergence_per_run =
            gpb__sc_input(L, m, p, "probability_per_run", &SP_PROB, 1, NAN);
    t->divergence_work_lost =
        gpb__sc_input(L, m, p, "work_lost", &sp_lost, 1, NAN);
    t->divergence_restart =
        gpb__sc_input(L, m, p, "restart_probability", &SP_PROB, 0, 0.0);
}

/* The card, its precision and the defaults that come from the catalog. */
static void load_card(gpb__loader *L, gpb__training *t, const gpb__ynode *m,
                      const char *p)
{
    char fb[96];
    gpb__pathbuf kp;
    const gpb__ynode *g = gpb__sc_get(m, "gpu");
    if (!g) {
        gpb__sc_missing(L, m, p, "gpu",
                        "a GPU model such as H100 or A100-80GB");
        return;
    }
    gpb__sc_path_key(kp, p, "gpu");
    if (!gpb__sc_is_text(g)) {
        gpb__sc_report(L, GPB_ESCHEMA, g, kp,
                       "expected a GPU model such as H100, found %s",
                       gpb__sc_found(g, fb, sizeof fb));
        return;
    }
    gpb_error e;
    memset(&e, 0, sizeof e);
    if (gpb_hardware_gpu_find(g->text, &t->gpu, &e) != GPB_OK) {
        t->gpu = NULL;
        gpb__sc_report(L, GPB_ESCHEMA, g, kp, "%s", e.message);
        return;
    }
    const gpb__ynode *pr = gpb__sc_get(m, "precision");
    gpb__sc_path_key(kp, p, "precision");
    if (pr) {
        if (!gpb__sc_is_text(pr) ||
            gpb_precision_from_name(pr->text, &t->precision, &e) != GPB_OK) {
            gpb__sc_report(
                L, GPB_ESCHEMA, pr, kp,
                "expected a precision (fp32, tf32, bf16, fp16, fp8), found %s",
                gpb__sc_found(pr, fb, sizeof fb));
            t->gpu = NULL;
            return;
        }
    } else if (gpb_hardware_gpu_default_precision(t->gpu, &t->precision, &e) !=
               GPB_OK) {
        gpb__sc_report(L, GPB_ESCHEMA, m, kp, "%s", e.message);
        t->gpu = NULL;
        return;
    }
    if (gpb_hardware_gpu_peak_flop_per_s(t->gpu, t->precision,
                                         &t->peak_flop_per_s, &e) != GPB_OK) {
        /* A card without a catalog rate at this precision is fine when the
           scenario gives its own peak. */
        t->peak_flop_per_s = 0;
        if (!gpb__sc_get(m, "peak_tflops")) {
            gpb__sc_report(L, GPB_ESCHEMA, pr ? pr : g, kp, "%s", e.message);
            t->gpu = NULL;
        }
    }
}

/* An input's point value: its median (a constant's value). */
static double point(const gpb__loader *L, int i)
{
    return gpb_dist_quantile(&L->s->inputs[i].dist, 0.5);
}

/* 1 when node is the text `auto` (any case): `mfu: auto`. */
static int is_auto(const gpb__ynode *n)
{
    return n && gpb__sc_is_text(n) && !gpb__strcasecmp(n->text, "auto");
}

/*
 * mfu: auto (docs/scenario.md): the throughput model's prior for this run
 * as its MFU's distribution (gpb_plan_mfu_dist), from the point values of
 * the run's inputs: parameters, active parameters, card, precision, peak,
 * GPUs (the median rounded to a whole number), and the shape when given
 * (layers and d_model with heads of 128 dimensions, or 64 when d_model is
 * not a multiple of 128, else the shape from the parameter count; context
 * as the sequence length). The MFU is restated for the FLOPs the engine
 * counts for the run (6·N·D, plus the attention term with a shape: the
 * model's, recomputing or not), so that the run's time is the plan's;
 * with recompute the plan recomputes, a slower step. A problem is
 * reported at training[i].mfu with the plan layer's message.
 */
static int load_mfu_auto(gpb__loader *L, const gpb__training *t,
                         const gpb__ynode *node, const char *kp)
{
    if (!t->gpu || t->params == GPB__NONE || t->tokens == GPB__NONE ||
        t->gpus == GPB__NONE)
        return GPB__NONE; /* reported where it is missing */
    gpb_plan_spec ps;
    gpb_plan_spec_default(&ps);
    ps.params = point(L, t->params);
    if (t->active_params != GPB__NONE)
        ps.active_params = point(L, t->active_params);
    ps.gpu = t->gpu;
    ps.precision = t->precision;
    if (t->peak_tflops != GPB__NONE)
        ps.peak_flop_per_s = point(L, t->peak_tflops) * 1e12;
    ps.gpus = fmax(1.0, round(point(L, t->gpus)));
    gpb_train_spec ts;
    gpb_compute_train_spec_default(&ts);
    ts.params = ps.params;
    ts.active_params = ps.active_params;
    ts.tokens = point(L, t->tokens);
    ts.recompute = GPB_RECOMPUTE_NONE; /* the engine's count (above) */
    if (t->n_layer != GPB__NONE) {
        double l = round(point(L, t->n_layer));
        double d = round(point(L, t->d_model));
        ps.seq_len = round(point(L, t->n_ctx));
        ts.n_layer = l;
        ts.n_ctx = ps.seq_len;
        ts.d_model = d;
        double hd = fmod(d, 128) == 0 ? 128 : fmod(d, 64) == 0 ? 64 : 0;
        if (hd > 0) {
            ps.n_layer = l;
            ps.d_model = d;
            ps.n_head = d / hd;
        }
    }
    if (t->recompute == GPB_RECOMPUTE_FULL) {
        ps.recompute_fixed = 1;
        ps.recompute = GPB_RECOMPUTE_FULL;
    }
    gpb_error e;
    memset(&e, 0, sizeof e);
    double flops;
    gpb_dist d;
    gpb_status st = gpb_compute_train_flops_spec(&ts, &flops, &e);
    if (st == GPB_OK)
        st = gpb_plan_mfu_dist(&ps, flops / ts.tokens, &d, NULL, &e);
    if (st != GPB_OK) {
        if (st == GPB_ENOMEM)
            L->nomem = 1;
        else
            gpb__sc_report(L, st, node, kp,
                           "mfu: auto needs the throughput model to lay "
                           "the run out, and it cannot: %s",
                           e.message);
        return GPB__NONE;
    }
    return gpb__sc_dist_input(L, kp, &d, GPB_QTY_NUMBER, node);
}

static void load_run(gpb__loader *L, gpb__training *t, const gpb__ynode *m,
                     const char *p)
{
    static const gpb__vspec sp_params = {
        .expect = "a number of parameters",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = GPB__PARAMS_MAX,
        .flags = GPB__V_LO_OPEN,
    };
    static const gpb__vspec sp_tokens = {
        .expect = "a number of tokens",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = GPB__TOKENS_MAX,
        .flags = GPB__V_LO_OPEN,
    };
    static const gpb__vspec sp_shape = {
        .expect = "a whole number",
        .kind = GPB_QTY_NUMBER,
        .lo = 1,
        .hi = 1e9,
        .flags = GPB__V_INT,
    };
    static const gpb__vspec sp_gpus = {
        .expect = "a whole number of GPUs",
        .kind = GPB_QTY_NUMBER,
        .lo = 1,
        .hi = GPB__GPUS_MAX,
        .flags = GPB__V_INT,
    };
    static const gpb__vspec sp_mfu = {
        .expect = "a fraction",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 1,
        .flags = GPB__V_LO_OPEN,
    };
    /* Dense peak per GPU in TFLOP/s. The fastest rate in the catalog is
       B200's 4,500 at fp8 (docs/hardware.md); 10^5 leaves room for cards to
       come and still catches a value given in FLOP/s by mistake. */
    static const gpb__vspec sp_peak = {
        .expect = "a peak in TFLOP/s",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 1e5,
        .flags = GPB__V_LO_OPEN,
    };
    static const gpb__vspec sp_expl = {
        .expect = "a compute multiplier",
        .kind = GPB_QTY_NUMBER,
        .lo = 1,
        .hi = 1e6,
    };
    gpb__pathbuf kp;

    t->params = gpb__sc_input(L, m, p, "params", &sp_params, 1, NAN);
    t->active_params =
        gpb__sc_input(L, m, p, "active_params", &sp_params, 0, NAN);
    if (t->params != GPB__NONE && t->active_params != GPB__NONE &&
        gpb__sc_input_hi(L, t->active_params) >
            gpb__sc_input_lo(L, t->params)) {
        gpb__sc_path_key(kp, p, "active_params");
        gpb__sc_report(L, GPB_ESCHEMA, gpb__sc_get(m, "active_params"), kp,
                       "expected active_params <= params, found %.3g > %.3g",
                       gpb__sc_input_hi(L, t->active_params),
                       gpb__sc_input_lo(L, t->params));
    }
    t->tokens = gpb__sc_input(L, m, p, "tokens", &sp_tokens, 1, NAN);

    int has_l = gpb__sc_get(m, "layers") != NULL;
    int has_c = gpb__sc_get(m, "context") != NULL;
    int has_d = gpb__sc_get(m, "d_model") != NULL;
    if (has_l + has_c + has_d == 3) {
        t->n_layer = gpb__sc_input(L, m, p, "layers", &sp_shape, 1, NAN);
        t->n_ctx = gpb__sc_input(L, m, p, "context", &sp_shape, 1, NAN);
        t->d_model = gpb__sc_input(L, m, p, "d_model", &sp_shape, 1, NAN);
    } else if (has_l + has_c + has_d > 0) {
        const char *given[3];
        char list[48];
        size_t n = 0;
        if (has_l)
            given[n++] = "layers";
        if (has_c)
            given[n++] = "context";
        if (has_d)
            given[n++] = "d_model";
        gpb__sc_join(given, n, list, sizeof list);
        gpb__sc_report(
            L, GPB_ESCHEMA, m, p,
            "expected layers, context and d_model together (all three "
            "or none), found only %s",
            list);
    }
    /* true: full activation recomputation, 8·N·D hardware FLOPs. */
    t->recompute = gpb__sc_bool(L, m, p, "recompute", 0)
                       ? GPB_RECOMPUTE_FULL
                       : GPB_RECOMPUTE_NONE;

    load_card(L, t, m, p);
    t->peak_tflops = gpb__sc_input(L, m, p, "peak_tflops", &sp_peak, 0, NAN);

    t->gpus = gpb__sc_input(L, m, p, "gpus", &sp_gpus, 1, NAN);
    t->start_month = gpb__sc_input(L, m, p, "start_month", &SP_MONTH, 0, 0.0);

    if (is_auto(gpb__sc_get(m, "mfu"))) {
        gpb__sc_path_key(kp, p, "mfu");
        t->mfu = load_mfu_auto(L, t, gpb__sc_get(m, "mfu"), kp);
    } else if (gpb__sc_get(m, "mfu") || !t->gpu) {
        t->mfu = gpb__sc_input(L, m, p, "mfu", &sp_mfu, 0, NAN);
    } else if (t->gpu->default_mfu > 0 && t->gpu->default_mfu <= 1) {
        gpb__sc_path_key(kp, p, "mfu");
        t->mfu = gpb__sc_domain(
            L,
            gpb__sc_fixed(L, kp, t->gpu->default_mfu, GPB_QTY_NUMBER,
                          GPB_CURRENCY_NONE, m),
            &sp_mfu);
    } else {
        gpb__sc_missing(L, m, p, "mfu",
                        "the catalog has no default MFU for this card");
    }

    t->price_per_gpu_hour = gpb__sc_rent_price(L, m, p, t->gpu);
    t->follows_price_index = gpb__sc_bool(L, m, p, "follows_price_index", 1);
    t->bill_full_months = gpb__sc_bool(L, m, p, "bill_full_months", 0);
    t->exploration = gpb__sc_input(L, m, p, "exploration", &sp_expl, 0, 1.0);

    gpb__sc_load_acquire(L, t, m, p);

    const gpb__ynode *f = gpb__sc_get(m, "failures");
    if (f)
        load_failures(L, t, f, p);
    const gpb__ynode *dv = gpb__sc_get(m, "divergence");
    if (dv)
        load_divergence(L, t, dv, p);
}

static void init_run(gpb__training *t)
{
    memset(t, 0, sizeof *t);
    t->params = t->active_params = t->tokens = GPB__NONE;
    t->n_layer = t->n_ctx = t->d_model = GPB__NONE;
    t->gpus = t->start_month = t->mfu = t->price_per_gpu_hour = GPB__NONE;
    t->exploration = t->gpu_mtbf_hours = t->hours_lost_per_failure = GPB__NONE;
    t->checkpoint_minutes = t->restart_minutes = GPB__NONE;
    t->divergence_per_month = t->divergence_per_run = GPB__NONE;
    t->divergence_work_lost = t->divergence_restart = GPB__NONE;
    t->peak_tflops = GPB__NONE;
    t->precision = GPB_PREC_BF16;
}

static void load_training(gpb__loader *L, const gpb__ynode *root)
{
    /* clang-format off */
    static const char *const keys[] = {
        "name", "params", "active_params", "tokens", "layers", "context",
        "d_model", "recompute", "gpu", "precision", "peak_tflops", "gpus",
        "start_month", "mfu", "price_per_gpu_hour", "follows_price_index",
        "bill_full_months", "exploration", "acquire", "fleet", "reserve",
        "spot", "failures", "divergence", NULL};
    /* clang-format on */
    const gpb__ynode *list =
        gpb__sc_list(L, root, "", "training", "training runs");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->training = calloc(list->n_kids, sizeof *s->training);
    if (!s->training) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "name");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "training", i);
        if (!gpb__sc_check_map(L, m, p, "a training run", keys))
            continue;
        gpb__training *t = &s->training[s->n_training++];
        init_run(t);
        t->line = m->line;
        t->column = m->column;
        t->name = gpb__sc_str(L, m, p, "name", 1, "the run's name");
        gpb__sc_check_unique(L, list, rep, i, "name", p, "run name");
        load_run(L, t, m, p);
    }
    free(rep);
}

/*
 * capacity: GPUs kept for a stretch of months, busy a share of each (a
 * standing cluster, the articles' 千卡/月, the workload of rent-vs-buy).
 * Read like a training run's card, price and acquisition; no FLOPs.
 */
static void load_capacity(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {
        "name", "gpu", "gpus", "utilization", "start_month", "months",
        "price_per_gpu_hour", "follows_price_index", "acquire", "fleet",
        "reserve", "spot", NULL};
    static const gpb__vspec sp_gpus = {
        .expect = "a number of GPUs",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 1e8,
        .flags = GPB__V_LO_OPEN,
    };
    static const gpb__vspec sp_months = {
        .expect = "a number of months",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = GPB__MAX_HORIZON_MONTHS,
        .flags = GPB__V_ROUNDED,
        .from_hours = 1.0 / GPB_HOURS_PER_MONTH,
    };
    const gpb__ynode *list =
        gpb__sc_list(L, root, "", "capacity", "capacity workloads");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->capacity = calloc(list->n_kids, sizeof *s->capacity);
    if (!s->capacity) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "name");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "capacity", i);
        if (!gpb__sc_check_map(L, m, p, "a capacity workload", keys))
            continue;
        gpb__training *t = &s->capacity[s->n_capacity++];
        init_run(t);
        t->is_capacity = 1;
        t->line = m->line;
        t->column = m->column;
        t->name = gpb__sc_str(L, m, p, "name", 1, "the workload's name");
        gpb__sc_check_unique(L, list, rep, i, "name", p, "workload name");
        load_card(L, t, m, p);
        t->gpus = gpb__sc_input(L, m, p, "gpus", &sp_gpus, 1, NAN);
        t->utilization =
            gpb__sc_input(L, m, p, "utilization", &SP_FRAC, 0, 1.0);
        t->start_month =
            gpb__sc_input(L, m, p, "start_month", &SP_MONTH, 0, 0.0);
        t->months = gpb__sc_input(L, m, p, "months", &sp_months, 0,
                                  (double)GPB__MAX_HORIZON_MONTHS);
        t->price_per_gpu_hour = gpb__sc_rent_price(L, m, p, t->gpu);
        t->follows_price_index =
            gpb__sc_bool(L, m, p, "follows_price_index", 1);
        gpb__sc_load_acquire(L, t, m, p);
    }
    free(rep);
}

static void load_serving(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {
        "start_month",         "users",     "growth_per_month",
        "growth_volatility",   "max_users", "cost_per_user_per_month",
        "follows_price_index", "model",     NULL};
    static const gpb__vspec sp_users = {
        .expect = "a number of users",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 1e11,
    };
    static const gpb__vspec sp_growth = {
        .expect = "a log-growth per month",
        .kind = GPB_QTY_NUMBER,
        .lo = -2,
        .hi = 2,
        .flags = GPB__V_PCT_HINT,
    };
    static const gpb__vspec sp_vol = {
        .expect = "a volatility per month",
        .kind = GPB_QTY_NUMBER,
        .lo = 0,
        .hi = 2,
        .flags = GPB__V_PCT_HINT,
    };
    gpb__serving *v = &L->s->serving;
    const gpb__ynode *m = gpb__sc_get(root, "serving");
    if (!m || !gpb__sc_check_map(L, m, "serving", "the serving plan", keys))
        return;
    const char *p = "serving";
    v->present = 1;
    v->start_month = gpb__sc_input(L, m, p, "start_month", &SP_MONTH, 0, 0.0);
    v->users_start = gpb__sc_input(L, m, p, "users", &sp_users, 1, NAN);
    v->growth_per_month =
        gpb__sc_input(L, m, p, "growth_per_month", &sp_growth, 0, 0.0);
    v->growth_volatility =
        gpb__sc_input(L, m, p, "growth_volatility", &sp_vol, 0, 0.0);
    v->max_users = gpb__sc_input(L, m, p, "max_users", &sp_users, 0, NAN);
    v->fleet = GPB__NONE;
    const gpb__ynode *model = gpb__sc_get(m, "model");
    if (model && gpb__sc_get(m, "cost_per_user_per_month")) {
        gpb__pathbuf kp;
        gpb__sc_path_key(kp, p, "model");
        gpb__sc_report(L, GPB_ESCHEMA, model, kp,
                       "expected either cost_per_user_per_month or model "
                       "(serving priced from tokens), found both");
    } else if (model) {
        gpb__sc_load_serving_model(L, v, model, p);
    } else {
        v->cost_per_user_per_month = gpb__sc_input(
            L, m, p, "cost_per_user_per_month", &SP_MONEY_MONTH, 1, NAN);
    }
    v->follows_price_index = gpb__sc_bool(L, m, p, "follows_price_index", 1);
}

static void load_revenue(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"arpu_per_month", "paying_fraction",
                                       NULL};
    gpb__revenue *r = &L->s->revenue;
    const gpb__ynode *m = gpb__sc_get(root, "revenue");
    if (!m || !gpb__sc_check_map(L, m, "revenue", "the revenue plan", keys))
        return;
    if (!L->s->serving.present && !gpb__sc_get(root, "serving"))
        gpb__sc_report(
            L, GPB_ESCHEMA, m, "revenue",
            "expected a serving section as well: revenue is paid per "
            "user, and users come from serving");
    r->present = 1;
    r->arpu_per_month = gpb__sc_input(L, m, "revenue", "arpu_per_month",
                                      &SP_MONEY_MONTH, 1, NAN);
    r->paying_frac =
        gpb__sc_input(L, m, "revenue", "paying_fraction", &SP_FRAC, 0, 1.0);
}

static void load_other(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"name", "per_month", "start_month",
                                       "end_month", NULL};
    const gpb__ynode *list = gpb__sc_list(L, root, "", "other_costs", "costs");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->other = calloc(list->n_kids, sizeof *s->other);
    if (!s->other) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "name");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "other_costs", i);
        if (!gpb__sc_check_map(L, m, p, "a cost", keys))
            continue;
        gpb__other_cost *o = &s->other[s->n_other++];
        o->name = gpb__sc_str(L, m, p, "name", 1, "the cost's name");
        gpb__sc_check_unique(L, list, rep, i, "name", p, "cost name");
        o->per_month =
            gpb__sc_input(L, m, p, "per_month", &SP_MONEY_MONTH, 1, NAN);
        o->start_month =
            gpb__sc_input(L, m, p, "start_month", &SP_MONTH, 0, 0.0);
        o->end_month = gpb__sc_input(L, m, p, "end_month", &SP_MONTH, 0, NAN);
    }
    free(rep);
}

/* ------------------------------------------------------------------------ */
/* Correlations                                                              */
/* ------------------------------------------------------------------------ */

/* What the correlations look inputs up in, built once per load: the
   inputs' paths sorted (a look-up is O(log n) comparisons, where
   gpb_scenario_input_find is O(n)) and, for hints, the uncertain ones. */
typedef struct corr_index {
    gpb__sc_name *by_path;
    const char **uncertain;
    size_t n_uncertain;
} corr_index;

/* The input a correlation names, or -1 after reporting. */
static long corr_input(gpb__loader *L, const corr_index *x,
                       const gpb__ynode *n, const char *path)
{
    char fb[96];
    const gpb_scenario *s = L->s;
    if (!gpb__sc_is_text(n)) {
        gpb__sc_report(L, GPB_ESCHEMA, n, path,
                       "expected the key path of an input "
                       "such as \"training[0].mfu\", found %s",
                       gpb__sc_found(n, fb, sizeof fb));
        return -1;
    }
    const gpb__sc_name *found =
        gpb__sc_names_find(x->by_path, s->n_inputs, n->text, 0);
    long i = found ? (long)found->i : -1;
    if (i < 0) {
        /* Suggest among the inputs that could be correlated. */
        const char *best = gpb__sc_nearest(L, n->text, x->uncertain,
                                           x->n_uncertain, NULL, 0);
        gpb__sc_report(L, GPB_ESCHEMA, n, path,
                       "expected the key path of an uncertain input of this "
                       "scenario, found '%s', which names no input%s%s%s",
                       gpb__sc_clip(n->text, fb, sizeof fb),
                       best ? "; did you mean '" : "", best ? best : "",
                       best ? "'?" : "");
        return -1;
    }
    const gpb__input *in = &s->inputs[i];
    if (in->per_event) {
        gpb__sc_report(
            L, GPB_ESCHEMA, n, path,
            "expected an input drawn once per path, found '%s', which is "
            "drawn anew at each event and cannot be correlated",
            in->path);
        return -1;
    }
    if (gpb_dist_is_fixed(&in->dist)) {
        char db[96];
        gpb_dist_describe(&in->dist, db, sizeof db);
        gpb__sc_report(
            L, GPB_ESCHEMA, n, path,
            "expected an uncertain input, found '%s', a constant (%s); "
            "only inputs given as distributions can be correlated",
            in->path, db);
        return -1;
    }
    return i;
}

/* The root of x's set, halving the path (union-find). */
static size_t uf_root(size_t *up, size_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

/*
 * Checks that the correlations can hold together: pairwise valid ones can
 * still contradict each other (a~b, b~c strongly, a~c strongly negative).
 * The matrix is block-diagonal once its inputs are grouped into connected
 * components (inputs linked by correlations), and it is positive definite
 * exactly when every block is, so each block is checked on its own: the
 * cost is the sum of k^3 over blocks (Cholesky), not (sum of k)^3. With at
 * most GPB__MAX_LIST_ITEMS correlations a block has at most that many plus
 * one inputs, where the whole matrix could have twice as many.
 */
static void check_correlation_matrix(gpb__loader *L, const gpb__ynode *key)
{
    gpb_scenario *s = L->s;
    size_t n = s->n_correlations, k = 0;
    /* row: each input's row (or -1); up: the union-find forest over rows;
       comp, pos: each row's block and place in it; order: the
       correlations grouped by block (start[b] .. start[b + 1]). */
    long *row = malloc((s->n_inputs + 1) * sizeof *row);
    size_t *up = malloc(2 * n * sizeof *up);
    size_t *comp = malloc(2 * n * sizeof *comp);
    size_t *pos = malloc(2 * n * sizeof *pos);
    size_t *size = calloc(2 * n + 1, sizeof *size);
    size_t *start = calloc(2 * n + 1, sizeof *start);
    size_t *order = malloc(n * sizeof *order);
    double *R = NULL;
    if (!row || !up || !comp || !pos || !size || !start || !order) {
        L->nomem = 1;
        goto done;
    }
    for (size_t j = 0; j < s->n_inputs; j++)
        row[j] = -1;
    for (size_t j = 0; j < n; j++) {
        int ab[2] = {s->correlations[j].a, s->correlations[j].b};
        for (int t = 0; t < 2; t++)
            if (row[ab[t]] < 0) {
                row[ab[t]] = (long)k;
                up[k] = k;
                k++;
            }
        size_t ra = uf_root(up, (size_t)row[ab[0]]);
        size_t rb = uf_root(up, (size_t)row[ab[1]]);
        up[ra] = rb;
    }
    /* Blocks numbered by their root; rows placed in order. */
    size_t nb = 0;
    for (size_t r = 0; r < k; r++)
        comp[r] = (size_t)-1;
    for (size_t r = 0; r < k; r++) {
        size_t root = uf_root(up, r);
        if (comp[root] == (size_t)-1)
            comp[root] = nb++;
        comp[r] = comp[root];
        pos[r] = size[comp[r]]++;
    }
    for (size_t j = 0; j < n; j++)
        start[comp[row[s->correlations[j].a]] + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    /* A counting sort of the correlations by block (next: the free place
       in each block's run, reusing up, no longer needed). */
    size_t *next = up;
    memcpy(next, start, nb * sizeof *next);
    for (size_t j = 0; j < n; j++)
        order[next[comp[row[s->correlations[j].a]]]++] = j;
    size_t largest = 0;
    for (size_t b = 0; b < nb; b++)
        if (size[b] > largest)
            largest = size[b];
    R = malloc(largest * largest * sizeof *R + 1);
    if (!R) {
        L->nomem = 1;
        goto done;
    }
    for (size_t b = 0; b < nb; b++) {
        size_t kb = size[b];
        for (size_t q = 0; q < kb * kb; q++)
            R[q] = 0.0;
        for (size_t q = 0; q < kb; q++)
            R[q * kb + q] = 1.0;
        for (size_t o = start[b]; o < start[b + 1]; o++) {
            const gpb__correlation *c = &s->correlations[order[o]];
            size_t qa = pos[row[c->a]], qb = pos[row[c->b]];
            R[qa * kb + qb] = R[qb * kb + qa] = c->rho;
        }
        gpb_copula *cop = NULL;
        gpb_error e;
        memset(&e, 0, sizeof e);
        gpb_status st = gpb_copula_new(kb, R, &cop, &e);
        gpb_copula_free(cop);
        if (st == GPB_ENOTPD)
            gpb__sc_report(L, GPB_ENOTPD, key, "correlations",
                           "expected correlations that can hold together, "
                           "found a contradictory set: %s",
                           e.message);
        else if (st == GPB_ENOMEM)
            L->nomem = 1;
        else if (st != GPB_OK)
            gpb__sc_report(L, GPB_ESCHEMA, key, "correlations", "%s",
                           e.message);
        if (st != GPB_OK)
            break;
    }
done:
    free(R);
    free(order);
    free(start);
    free(size);
    free(pos);
    free(comp);
    free(up);
    free(row);
}

static void load_correlations(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {"between", "rho", NULL};
    static const gpb__vspec sp_rho = {
        /* ±1 would make the copula's matrix singular (dist.md): a
           perfect correlation is one input, or ±0.999. */
        .expect = "a rank correlation",
        .kind = GPB_QTY_NUMBER,
        .lo = -1,
        .hi = 1,
        .flags = GPB__V_SCALAR | GPB__V_LO_OPEN | GPB__V_HI_OPEN,
    };
    const gpb__ynode *key = NULL;
    gpb__sc_get2(root, "correlations", &key);
    const gpb__ynode *list =
        gpb__sc_list(L, root, "", "correlations", "correlations");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->correlations = calloc(list->n_kids, sizeof *s->correlations);
    corr_index x;
    x.by_path = malloc((s->n_inputs + 1) * sizeof *x.by_path);
    x.uncertain = malloc((s->n_inputs + 1) * sizeof *x.uncertain);
    x.n_uncertain = 0;
    if (!s->correlations || !x.by_path || !x.uncertain) {
        free(x.by_path);
        free(x.uncertain);
        L->nomem = 1;
        return;
    }
    for (size_t j = 0; j < s->n_inputs; j++) {
        x.by_path[j].name = s->inputs[j].path;
        x.by_path[j].i = j;
        x.by_path[j].node = NULL;
        if (gpb_scenario_input_is_uncertain(s, j))
            x.uncertain[x.n_uncertain++] = s->inputs[j].path;
    }
    gpb__sc_names_sort(x.by_path, s->n_inputs);
    int bad = 0;
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p, bp;
        char fb[96];
        gpb__sc_path_index(p, "correlations", i);
        gpb__sc_path_key(bp, p, "between");
        if (!gpb__sc_check_map(L, m, p, "a correlation", keys)) {
            bad = 1;
            continue;
        }
        const gpb__ynode *b = gpb__sc_get(m, "between");
        long ia = -1, ib = -1;
        if (!b) {
            gpb__sc_missing(L, m, p, "between", "the two inputs' key paths");
        } else if (b->kind != GPB__Y_SEQ || b->n_kids != 2) {
            gpb__sc_report(L, GPB_ESCHEMA, b, bp,
                           "expected a list of two key paths, found %s",
                           b->kind == GPB__Y_SEQ
                               ? "a list of another length"
                               : gpb__sc_found(b, fb, sizeof fb));
        } else {
            gpb__pathbuf p0, p1;
            gpb__sc_path_index(p0, bp, 0);
            gpb__sc_path_index(p1, bp, 1);
            ia = corr_input(L, &x, b->kids[0], p0);
            ib = corr_input(L, &x, b->kids[1], p1);
            if (ia >= 0 && ia == ib) {
                gpb__sc_report(L, GPB_ESCHEMA, b, bp,
                               "expected two different "
                               "inputs, found '%s' twice",
                               s->inputs[ia].path);
                ia = ib = -1;
            }
        }
        gpb_dist d;
        gpb_currency cur;
        const gpb__ynode *r = gpb__sc_get(m, "rho");
        gpb__pathbuf rp;
        gpb__sc_path_key(rp, p, "rho");
        double rho = NAN;
        if (!r) {
            gpb__sc_missing(L, m, p, "rho", "a rank correlation in (-1, 1)");
        } else if (!gpb__sc_value(L, r, &sp_rho, rp, &d, &cur)) {
            rho = d.param[0];
            gpb_dist_free(&d);
        }
        if (ia < 0 || ib < 0 || isnan(rho)) {
            bad = 1;
            continue;
        }
        int dup = 0;
        for (size_t j = 0; j < s->n_correlations && !dup; j++) {
            const gpb__correlation *o = &s->correlations[j];
            if ((o->a == ia && o->b == ib) || (o->a == ib && o->b == ia)) {
                gpb__sc_report(
                    L, GPB_ESCHEMA, b, bp,
                    "expected each pair of inputs at most once, found "
                    "'%s' and '%s' again (first at line %d)",
                    s->inputs[ia].path, s->inputs[ib].path, o->line);
                dup = bad = 1;
            }
        }
        if (dup)
            continue;
        gpb__correlation *c = &s->correlations[s->n_correlations++];
        c->a = (int)ia;
        c->b = (int)ib;
        c->rho = rho;
        c->line = m->line;
        c->column = m->column;
    }
    free(x.by_path);
    free(x.uncertain);
    if (bad || !s->n_correlations)
        return;

    check_correlation_matrix(L, key);
}

/* ------------------------------------------------------------------------ */
/* The whole document                                                        */
/* ------------------------------------------------------------------------ */

static void load_tree(gpb__loader *L, const gpb__ynode *root)
{
    char fb[96];
    gpb_scenario *s = L->s;
    if (!root || gpb__ynode_is_null(root)) {
        gpb__sc_report_at(L, GPB_ESCHEMA, 1, 1, "",
                          "expected a scenario (a mapping that starts with "
                          "'gpubudget: 1'), found an empty file");
        return;
    }
    if (root->kind != GPB__Y_MAP) {
        gpb__sc_report(L, GPB_ESCHEMA, root, "",
                       "expected a scenario (a mapping "
                       "that starts with 'gpubudget: 1'), found %s",
                       gpb__sc_found(root, fb, sizeof fb));
        return;
    }
    const gpb__ynode *ver = gpb__sc_get(root, "gpubudget");
    if (!ver) {
        gpb__sc_missing(L, root, "", "gpubudget",
                        "the schema version; write 'gpubudget: 1'");
    } else if (!gpb__sc_is_qty(ver) || strcmp(ver->text, "1") != 0) {
        /* Another version's keys mean other things: stop here. */
        gpb__sc_report(L, GPB_ESCHEMA, ver, "gpubudget",
                       "expected schema version 1 (the only one this gpubudget "
                       "reads), found %s",
                       gpb__sc_found(ver, fb, sizeof fb));
        return;
    }
    s->schema_version = 1;
    gpb__sc_check_map(L, root, "", "a scenario", TOP_KEYS);

    load_header(L, root);
    load_fx(L, root);
    load_sources(L, root);
    load_claims(L, root);
    load_company(L, root);
    load_price_index(L, root);
    load_team(L, root);
    load_training(L, root);
    load_capacity(L, root);
    gpb__sc_load_fleets(L, root);
    gpb__sc_link_fleets(L, root);
    load_serving(L, root);
    load_revenue(L, root);
    load_other(L, root);
    gpb__sc_load_data(L, root);
    load_correlations(L, root);
    check_claim_inputs(L, root);
}

/* ------------------------------------------------------------------------ */
/* Loading, freeing, accessors                                               */
/* ------------------------------------------------------------------------ */

void gpb_scenario_free(gpb_scenario *s)
{
    if (!s)
        return;
    gpb__sc_free_kept(s);
    free(s->source_name);
    free(s->name);
    free(s->description);
    for (size_t i = 0; i < s->n_inputs; i++) {
        free(s->inputs[i].path);
        gpb_dist_free(&s->inputs[i].dist);
    }
    free(s->inputs);
    for (size_t i = 0; i < s->n_sources; i++) {
        gpb__source *x = &s->sources[i];
        free(x->id);
        free(x->title);
        free(x->outlet);
        free(x->date);
        free(x->quote);
        free(x->url);
    }
    free(s->sources);
    for (size_t i = 0; i < s->n_claims; i++) {
        gpb__claim *c = &s->claims[i];
        free(c->id);
        free(c->source);
        free(c->says);
        free(c->metric);
        free(c->text);
        free(c->context);
        free(c->why);
        for (size_t k = 0; k < c->n_from_claim; k++)
            free(c->from_claim[k]);
        free(c->from_claim);
    }
    free(s->claims);
    for (size_t i = 0; i < s->n_funding; i++)
        free(s->funding[i].name);
    free(s->funding);
    for (size_t i = 0; i < s->n_team; i++)
        free(s->team[i].role);
    free(s->team);
    for (size_t i = 0; i < s->n_training; i++)
        free(s->training[i].name);
    free(s->training);
    for (size_t i = 0; i < s->n_capacity; i++)
        free(s->capacity[i].name);
    free(s->capacity);
    gpb__sc_free_fleets(s);
    gpb__sc_free_data(s);
    for (size_t i = 0; i < s->n_other; i++)
        free(s->other[i].name);
    free(s->other);
    free(s->correlations);
    gpb_diagnostics_free(s->warnings);
    free(s);
}

const gpb_diagnostics *gpb_scenario_warnings(const gpb_scenario *s)
{
    return s ? s->warnings : NULL;
}

static gpb_scenario *new_scenario(void)
{
    gpb_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->currency = GPB_CURRENCY_USD;
    s->horizon_months = 24;
    s->cny_per_usd = s->eur_per_usd = s->cash = GPB__NONE;
    s->discount_rate = GPB__NONE;
    s->price_drift_per_month = s->price_volatility_per_month = GPB__NONE;
    gpb__serving *v = &s->serving;
    v->start_month = v->users_start = v->growth_per_month = GPB__NONE;
    v->growth_volatility = v->max_users = GPB__NONE;
    v->cost_per_user_per_month = GPB__NONE;
    s->revenue.arpu_per_month = s->revenue.paying_frac = GPB__NONE;
    return s;
}

/* Hands back a one-problem list (NULL when there is no room for one). */
static void single_problem(gpb_diagnostics **diags, const gpb_error *e)
{
    if (!diags)
        return;
    gpb_diagnostics *d = calloc(1, sizeof *d);
    if (d && (d->items = malloc(sizeof *d->items))) {
        d->items[0].e = *e;
        d->items[0].severity = GPB_SEVERITY_ERROR;
        d->n = d->cap = 1;
    } else {
        free(d);
        d = NULL;
    }
    *diags = d;
}

/*
 * Loading, with or without overrides: parse, apply the overrides to the
 * tree (yaml_tree.c's gpb__ytree_override: an override is checked exactly
 * as if the file said it), then walk the schema. `fn` names the public
 * function in messages about its arguments.
 */
static gpb_status load_text(const char *fn, const char *text, size_t len,
                            const char *source_name, const char *overrides,
                            gpb_scenario **out, gpb_diagnostics **diags)
{
    const char *source = source_name ? source_name : "<string>";
    gpb_error e;
    memset(&e, 0, sizeof e);
    if (out)
        *out = NULL;
    if (diags)
        *diags = NULL;
    if (!out || (!text && len)) {
        gpb__fail_at(&e, GPB_EINVAL, source, 0, 0, "",
                     "%s: NULL %s", fn, out ? "text" : "out");
        single_problem(diags, &e);
        return GPB_EINVAL;
    }
    if (len > GPB_SCENARIO_MAX_BYTES) {
        gpb__fail_at(&e, GPB_ELIMIT, source, 0, 0, "",
                     "the scenario is %zu bytes; at most %u are allowed "
                     "(a scenario is a page or two of text)",
                     len, (unsigned)GPB_SCENARIO_MAX_BYTES);
        single_problem(diags, &e);
        return GPB_ELIMIT;
    }

    gpb__ytree *tree = NULL;
    gpb_status st = gpb__ytree_parse(text ? text : "", len, source, &tree, &e);
    if (!st && (st = gpb__ytree_override(tree, overrides, source, &e)))
        gpb__ytree_free(tree);
    if (st) {
        single_problem(diags, &e);
        return st;
    }

    gpb__loader L;
    memset(&L, 0, sizeof L);
    L.source = source;
    L.s = new_scenario();
    L.d = calloc(1, sizeof *L.d);
    if (!L.s || !L.d || !(L.s->source_name = gpb__strdup(source))) {
        L.nomem = 1;
    } else {
        /* Tag problems first, then the walk, which reads a refused tag's
           node as if it had none: one problem per mistake. */
        for (size_t i = 0; i < tree->n_problems; i++)
            gpb__sc_add(&L, &tree->problems[i]);
        L.d->dropped += tree->problems_dropped;
        L.errors += tree->problems_dropped;
        load_tree(&L, tree->root);
        if (gpb__sc_keep(L.s, text ? text : "", len, overrides))
            L.nomem = 1;
        /* A scenario: now the plan as a whole, whose problems are
           warnings (reading the values may have given some already). */
        if (!L.nomem && L.errors == 0)
            gpb__sc_check_plan(&L);
    }
    gpb__ytree_free(tree);

    if (L.nomem) {
        gpb_scenario_free(L.s);
        gpb_diagnostics_free(L.d);
        gpb__fail_at(&e, GPB_ENOMEM, source, 0, 0, "",
                     "out of memory while loading the scenario");
        single_problem(diags, &e);
        return GPB_ENOMEM;
    }
    if (L.errors == 0) {
        if (L.d->n == 0 && L.d->dropped == 0) {
            gpb_diagnostics_free(L.d);
        } else {
            gpb__sc_finish(&L);
            L.s->warnings = L.d;
        }
        *out = L.s;
        return GPB_OK;
    }
    gpb__sc_finish(&L);
    gpb_scenario_free(L.s);
    if (diags)
        *diags = L.d;
    else
        gpb_diagnostics_free(L.d);
    return L.limit_hit ? GPB_ELIMIT : GPB_ESCHEMA;
}

gpb_status gpb_scenario_load_string(const char *text, size_t len,
                                    const char *source_name, gpb_scenario **out,
                                    gpb_diagnostics **diags)
{
    return load_text("gpb_scenario_load_string", text, len, source_name, NULL,
                     out, diags);
}

static const char *errno_text(int e)
{
    switch (e) {
    case ENOENT:
        return "no such file or directory";
    case EACCES:
        return "permission denied";
    case EISDIR:
        return "is a directory";
    case ENOTDIR:
        return "a part of the path is not a directory";
    case ENAMETOOLONG:
        return "file name too long";
    case ENOMEM:
        return "out of memory";
    default:
        return "input/output error";
    }
}

/* Reads a scenario file, then loads it with the overrides. */
static gpb_status load_path(const char *fn, const char *path,
                            const char *overrides, gpb_scenario **out,
                            gpb_diagnostics **diags)
{
    gpb_error e;
    memset(&e, 0, sizeof e);
    if (out)
        *out = NULL;
    if (diags)
        *diags = NULL;
    if (!path || !out) {
        gpb__fail(&e, GPB_EINVAL, "%s: NULL %s", fn, path ? "out" : "path");
        single_problem(diags, &e);
        return GPB_EINVAL;
    }
    char *buf = NULL;
    size_t len = 0;
    gpb_status st = gpb__scenario_read_file(path, &buf, &len, &e);
    if (st) {
        single_problem(diags, &e);
        return st;
    }
    st = load_text(fn, buf, len, path, overrides, out, diags);
    free(buf);
    return st;
}

gpb_status gpb_scenario_load_file(const char *path, gpb_scenario **out,
                                  gpb_diagnostics **diags)
{
    return load_path("gpb_scenario_load_file", path, NULL, out, diags);
}

const char *gpb_scenario_default_text(void)
{
    return gpb__default_scenario_yaml;
}

gpb_status gpb_scenario_load_default(gpb_scenario **out,
                                     gpb_diagnostics **diags)
{
    return gpb_scenario_load_string(gpb__default_scenario_yaml,
                                    strlen(gpb__default_scenario_yaml),
                                    "qianka-month.yaml (built in)", out, diags);
}

/* ------------------------------------------------------------------------ */
/* Loading with overrides ("training[0].gpus=512; company.cash=$30M")        */
/* ------------------------------------------------------------------------ */

gpb_status gpb_scenario_load_string_with_overrides(
    const char *text, size_t len, const char *source_name,
    const char *overrides, gpb_scenario **out, gpb_diagnostics **diags)
{
    return load_text("gpb_scenario_load_string_with_overrides", text, len,
                     source_name, overrides, out, diags);
}

gpb_status gpb__scenario_read_file(const char *path, char **text,
                                   size_t *len_out, gpb_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return gpb__fail_at(e, GPB_EIO, path, 0, 0, "",
                            "cannot open scenario '%s': %s", path,
                            errno_text(errno));
    size_t cap = 64 * 1024, len = 0;
    char *buf = malloc(cap);
    gpb_status st = buf ? GPB_OK : GPB_ENOMEM;
    while (st == GPB_OK) {
        if (len == cap) {
            size_t ncap = 2 * cap;
            if (ncap > (size_t)GPB_SCENARIO_MAX_BYTES + 1)
                ncap = (size_t)GPB_SCENARIO_MAX_BYTES + 1;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                st = GPB_ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                st = gpb__fail_at(e, GPB_EIO, path, 0, 0, "",
                                  "cannot read scenario '%s': %s", path,
                                  errno_text(errno));
            break;
        }
        if (len > GPB_SCENARIO_MAX_BYTES)
            st = gpb__fail_at(e, GPB_ELIMIT, path, 0, 0, "",
                              "scenario '%s' is larger than %u bytes; a "
                              "scenario is a page or two of text",
                              path, (unsigned)GPB_SCENARIO_MAX_BYTES);
    }
    fclose(f);
    if (st == GPB_ENOMEM)
        gpb__fail_at(e, GPB_ENOMEM, path, 0, 0, "",
                     "out of memory while reading '%s'", path);
    if (st) {
        free(buf);
        return st;
    }
    *text = buf;
    *len_out = len;
    return GPB_OK;
}

gpb_status gpb_scenario_load_file_with_overrides(const char *path,
                                                 const char *overrides,
                                                 gpb_scenario **out,
                                                 gpb_diagnostics **diags)
{
    return load_path("gpb_scenario_load_file_with_overrides", path,
                     overrides, out, diags);
}
