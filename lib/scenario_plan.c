/*
 * The plan as a whole: checks of a scenario that loaded without errors for
 * plans that cannot work as written, each reported as a warning with the
 * file, line, column and key path of the value to change (scenario.h,
 * gpb_diagnostics; docs/scenario.md, "Problems and how they are reported").
 *
 * A schema check asks whether each value is a value of its key; these ask
 * whether the values make sense together: a round that closes after the
 * horizon, a team line that ends before it starts, a run that cannot
 * finish in time. The scenario still loads and runs, but its results
 * would mislead (a run that never finishes reports a cost that is a lower
 * bound), so the user should hear about it before reading them.
 *
 * Uncertain inputs are read at their medians ("on most paths"), months
 * rounded to the nearest whole month as the engine rounds them. The time a
 * run needs comes from the compute layer (gpb_compute_train_flops_spec,
 * gpb_compute_train_time), the functions the engine's plan uses, without
 * failures or divergence: those only make a run longer, so a run this
 * check passes may still not finish (run's report marks it), while a run
 * it flags cannot finish on most paths even without them.
 *
 * Cost: O(1) work per run, round, line, workload, cost and fleet.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gpubudget/compute.h"
#include "gpubudget/units.h"
#include "scenario_read.h"

/* The median of input i (NaN when absent). */
static double median(const gpb_scenario *s, int i)
{
    return i >= 0 ? gpb_dist_quantile(&s->inputs[i].dist, 0.5) : NAN;
}

/* median as a gpb__input_value: dflt when the key is absent. */
static double median_value(const void *ctx, int i, double dflt)
{
    return i >= 0 ? median(ctx, i) : dflt;
}

/* Input i's median month, rounded to the nearest as the engine rounds a
   sampled month; -1 when absent. */
static int month_at(const gpb_scenario *s, int i)
{
    double v = median(s, i);
    if (!(v == v))
        return -1;
    v = floor(v + 0.5);
    return v < 0 ? 0 : v > GPB__MAX_HORIZON_MONTHS ? GPB__MAX_HORIZON_MONTHS
                                                   : (int)v;
}

/* " on most paths" when input i is uncertain: its median is what was
   compared, and some paths fall on the other side. */
static const char *most(const gpb_scenario *s, int i)
{
    return i >= 0 && !gpb_dist_is_fixed(&s->inputs[i].dist)
               ? " on most paths"
               : "";
}

/* Reports a warning at input i (its position and key path). */
static void warn_input(gpb__loader *L, int i, const char *fmt, ...)
    GPB__PRINTF(3, 4);

static void warn_input(gpb__loader *L, int i, const char *fmt, ...)
{
    const gpb__input *in = &L->s->inputs[i];
    char msg[GPB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gpb__sc_warn_at(L, in->line, in->column, in->path, "%s", msg);
}

/* "run 'pretrain'" into buf, the name cut at a character boundary so
   that a long one leaves room for the rest of the message. */
static void named(char *buf, size_t n, const char *kind, const char *name)
{
    char clipped[64];
    snprintf(buf, n, "%s '%s'", kind,
             gpb__sc_clip(name ? name : "?", clipped, sizeof clipped));
}

/* "the 24-month horizon (months 0 to 23)" into buf. */
static const char *horizon_text(int H, char *buf, size_t n)
{
    snprintf(buf, n, "the %d-month horizon (months 0 to %d)", H, H - 1);
    return buf;
}

/* A month key past the horizon: "<what> starts in month 30, after the
   24-month horizon (months 0 to 23)<effect>". Returns 1 when it warned. */
static int after_horizon(gpb__loader *L, int input, const char *what,
                         const char *verb, const char *effect)
{
    const gpb_scenario *s = L->s;
    int H = s->horizon_months, m = month_at(s, input);
    if (m < H)
        return 0;
    char hz[64];
    warn_input(L, input, "%s %s in month %d%s, after %s: %s", what, verb, m,
               most(s, input), horizon_text(H, hz, sizeof hz), effect);
    return 1;
}

static void check_funding(gpb__loader *L)
{
    const gpb_scenario *s = L->s;
    for (size_t i = 0; i < s->n_funding; i++) {
        const gpb__funding *r = &s->funding[i];
        char what[96];
        named(what, sizeof what, "round", r->name);
        after_horizon(L, r->month, what, "closes",
                      "its cash never arrives within it");
    }
}

/*
 * A line paid every month (a team role, another cost): it must start
 * within the horizon, and end_month must come after start_month (a line
 * is paid in start_month <= m < end_month).
 */
static void check_paid(gpb__loader *L, const char *kind, const char *name,
                       int start, int end)
{
    const gpb_scenario *s = L->s;
    char what[96];
    named(what, sizeof what, kind, name);
    if (after_horizon(L, start, what, "starts", "it is never paid within it"))
        return;
    int a = month_at(s, start), b = month_at(s, end);
    if (end < 0 || b > a)
        return;
    warn_input(L, end,
               "end_month %d %s start_month %d%s: %s is paid in no month "
               "(it is paid from start_month up to, not including, "
               "end_month)",
               b, b < a ? "precedes" : "equals", a, most(s, end), what);
}

static void check_lines(gpb__loader *L)
{
    const gpb_scenario *s = L->s;
    for (size_t i = 0; i < s->n_team; i++)
        check_paid(L, "role", s->team[i].role, s->team[i].start_month,
                   s->team[i].end_month);
    for (size_t i = 0; i < s->n_other; i++)
        check_paid(L, "cost", s->other[i].name, s->other[i].start_month,
                   s->other[i].end_month);
}

static void check_capacity(gpb__loader *L)
{
    const gpb_scenario *s = L->s;
    for (size_t i = 0; i < s->n_capacity; i++) {
        const gpb__training *t = &s->capacity[i];
        char what[96];
        named(what, sizeof what, "workload", t->name);
        if (after_horizon(L, t->start_month, what, "starts",
                          "it never runs within it"))
            continue;
        if (t->months >= 0 && month_at(s, t->months) == 0)
            warn_input(L, t->months,
                       "%s lasts 0 months%s: it runs in no month", what,
                       most(s, t->months));
    }
}

static void check_serving(gpb__loader *L)
{
    const gpb__serving *v = &L->s->serving;
    if (v->present)
        after_horizon(L, v->start_month, "serving", "starts",
                      "it has no users, and no revenue, within it");
}

/* The months a fleet's delivery slips on most paths: its delay when the
   delay is more likely than not (medians), else 0. */
static int delay_most(const gpb_scenario *s, const gpb__fleet *f)
{
    if (f->delay_probability < 0 || f->delay_months < 0 ||
        !(median(s, f->delay_probability) > 0.5))
        return 0;
    int d = month_at(s, f->delay_months);
    return d > 0 ? d : 0;
}

/* The month a fleet's cards arrive on most paths (buy month plus lead
   time plus a likely delay, medians), or -1 when unknown. */
static int delivery_month(const gpb_scenario *s, const gpb__fleet *f)
{
    int buy = month_at(s, f->buy_month);
    int lead = month_at(s, f->lead_time_months);
    return buy < 0 ? -1 : buy + (lead > 0 ? lead : 0) + delay_most(s, f);
}

static void check_fleets(gpb__loader *L)
{
    const gpb_scenario *s = L->s;
    int H = s->horizon_months;
    char hz[64];
    for (size_t i = 0; i < s->n_fleets; i++) {
        const gpb__fleet *f = &s->fleets[i];
        char what[96];
        named(what, sizeof what, "fleet", f->name);
        if (after_horizon(L, f->buy_month, what, "is bought",
                          "its cards are never bought or used within it"))
            continue;
        int deliver = delivery_month(s, f);
        int slip = delay_most(s, f);
        if (deliver >= H && (f->lead_time_months >= 0 || slip > 0)) {
            char why[96] = "";
            if (slip > 0)
                snprintf(why, sizeof why,
                         ", and a delay of %d months on most paths", slip);
            warn_input(L, slip > 0 ? f->delay_months : f->lead_time_months,
                       "%s arrives in month %d%s (bought in month %d, "
                       "%d months' lead time%s), after %s: it is paid for "
                       "and never used",
                       what, deliver,
                       slip > 0 ? "" : most(s, f->lead_time_months),
                       month_at(s, f->buy_month),
                       f->lead_time_months >= 0
                           ? month_at(s, f->lead_time_months)
                           : 0,
                       why, horizon_text(H, hz, sizeof hz));
            continue;
        }
        int sell = month_at(s, f->sell_month);
        int buy = month_at(s, f->buy_month);
        if (f->sell_month >= 0 && sell < H && sell < buy)
            warn_input(L, f->sell_month,
                       "%s is sold in month %d%s, before it is bought in "
                       "month %d: it is bought and sold at once, never "
                       "used",
                       what, sell, most(s, f->sell_month), buy);
        else if (f->sell_month >= 0 && sell < H && sell <= deliver)
            warn_input(L, f->sell_month,
                       "%s is sold in month %d%s, %s its cards arrive in "
                       "month %d: it is never used",
                       what, sell, most(s, f->sell_month),
                       sell < deliver ? "before" : "as", deliver);
    }
}

/*
 * The months run t needs at its inputs' medians, without failures or
 * divergence, and the month it can start (later than start_month when it
 * waits for its fleet's cards). Returns 0, or -1 when an input is missing
 * or the compute layer refuses the values (never on a scenario that
 * loaded: the schema's ranges are the compute layer's).
 */
static int run_months(const gpb_scenario *s, const gpb__training *t,
                      double *months, int *from, double *flops_out,
                      double *gpus_out, double *mfu_out)
{
    double gpus = median(s, t->gpus), mfu = median(s, t->mfu);
    double peak = t->peak_tflops >= 0 ? median(s, t->peak_tflops) * 1e12
                                      : t->peak_flop_per_s;
    int start = month_at(s, t->start_month);
    if (start < 0)
        start = 0;
    /* A run that buys its cards uses at most its fleet's, from their
       delivery; a mix rents the rest and never waits. */
    if (t->acquire == GPB__ACQUIRE_BUY && t->fleet >= 0) {
        const gpb__fleet *f = &s->fleets[t->fleet];
        double have = median(s, f->gpus);
        int deliver = delivery_month(s, f);
        if (have < gpus)
            gpus = have;
        if (deliver > start)
            start = deliver;
    }
    double flops;
    gpb_train_time tt;
    if (gpb__training_flops(t, median_value, s, &flops, NULL) != GPB_OK ||
        !(flops > 0) ||
        gpb_compute_train_time(flops, gpus, peak, mfu, &tt, NULL) != GPB_OK)
        return -1;
    double m = tt.hours / GPB_HOURS_PER_MONTH;
    /* Spot hours lost to preemption do no work (the engine's rule). */
    if (t->acquire == GPB__ACQUIRE_SPOT && t->spot_preemption_loss >= 0) {
        double loss = median(s, t->spot_preemption_loss);
        if (loss > 0 && loss < 1)
            m /= 1.0 - loss;
    }
    *months = m;
    *from = start;
    *flops_out = flops;
    *gpus_out = gpus;
    *mfu_out = mfu;
    return 0;
}

static void check_runs(gpb__loader *L)
{
    const gpb_scenario *s = L->s;
    int H = s->horizon_months;
    char hz[64];
    for (size_t i = 0; i < s->n_training; i++) {
        const gpb__training *t = &s->training[i];
        char what[96];
        named(what, sizeof what, "run", t->name);
        if (after_horizon(L, t->start_month, what, "starts",
                          "it never runs within it"))
            continue;
        double months, flops, gpus, mfu;
        int from;
        /* A run whose fleet arrives after the horizon has the fleet's
           warning; it needs no second one. */
        if (run_months(s, t, &months, &from, &flops, &gpus, &mfu) ||
            from >= H || from + months <= H)
            continue;
        char path[32];
        snprintf(path, sizeof path, "training[%zu]", i);
        gpb__sc_warn_at(
            L, t->line, t->column, path,
            "%s needs %.1f months (%.3g FLOPs on %g %s at MFU %.2f: the "
            "inputs' medians, before failures), so from month %d it cannot "
            "finish within %s on most paths, and its cost and months are "
            "lower bounds; give it more GPUs or fewer tokens, or lengthen "
            "the horizon",
            what, months, flops, gpus, t->gpu ? t->gpu->name : "GPUs", mfu,
            from, horizon_text(H, hz, sizeof hz));
    }
}

/*
 * The tokens a run trains on against those its data work keeps: Σ tokens
 * · kept over the items that feed it (medians). A run that reads more
 * passes over the kept data several times, and repeated tokens are worth
 * less than new ones (Muennighoff et al., "Scaling Data-Constrained
 * Language Models", NeurIPS 2023: about four passes cost little, sixteen
 * and more add almost nothing), so the user hears how many. Items counted
 * in documents have no token count: a run fed by one is not checked.
 */
static void check_data_kept(gpb__loader *L)
{
    const gpb_scenario *s = L->s;
    for (size_t i = 0; i < s->n_training; i++) {
        const gpb__training *t = &s->training[i];
        double kept = 0;
        int items = 0, documents = 0;
        for (size_t d = 0; d < s->n_data; d++) {
            const gpb__data *w = &s->data[d];
            if (!w->feeds[i])
                continue;
            documents |= w->units_are_documents;
            kept += median(s, w->units) * median(s, w->kept);
            items++;
        }
        double tokens = median(s, t->tokens);
        if (!items || documents || !(tokens > kept * (1 + 1e-9)) ||
            t->tokens < 0)
            continue;
        char what[96], tk[32], kp[32];
        named(what, sizeof what, "run", t->name);
        gpb_units_format_number(tokens, GPB_STYLE_EN, 3, tk, sizeof tk);
        gpb_units_format_number(kept, GPB_STYLE_EN, 3, kp, sizeof kp);
        if (kept > 0)
            warn_input(L, t->tokens,
                       "%s trains on %s tokens%s, but the data work it "
                       "waits for keeps %s (tokens × kept, the medians): "
                       "%.1f passes over the kept data, and repeated "
                       "tokens are worth less than new ones (about four "
                       "passes cost little: Muennighoff et al. 2023)",
                       what, tk, most(s, t->tokens), kp, tokens / kept);
        else
            warn_input(L, t->tokens,
                       "%s trains on %s tokens%s, but the data work it "
                       "waits for keeps none (kept is 0)",
                       what, tk, most(s, t->tokens));
    }
}

/*
 * A run or workload that buys (acquire: buy) works only on its fleet's
 * cards: asking for more than the fleet has, it works on fewer (a run
 * slows, a workload does less), and rent-vs-buy --scenario would compare
 * it with renting every card it asks for: different work (a user review).
 * Medians; `mix` rents the rest and is not warned.
 */
static void check_fleet_size(gpb__loader *L)
{
    const gpb_scenario *s = L->s;
    for (int kind = 0; kind < 2; kind++) {
        size_t n = kind ? s->n_capacity : s->n_training;
        for (size_t i = 0; i < n; i++) {
            const gpb__training *t = kind ? &s->capacity[i] : &s->training[i];
            if (t->acquire != GPB__ACQUIRE_BUY || t->fleet < 0 ||
                t->gpus < 0)
                continue;
            const gpb__fleet *f = &s->fleets[t->fleet];
            double want = median(s, t->gpus), have = median(s, f->gpus);
            if (!(want > have))
                continue;
            char what[96], fl[96];
            named(what, sizeof what, kind ? "workload" : "run", t->name);
            named(fl, sizeof fl, "fleet", f->name);
            warn_input(L, t->gpus,
                       "%s asks for %g GPUs%s, but %s has %g: buying only, "
                       "it works on at most %g (%s), and rent-vs-buy would "
                       "compare it with renting all %g; give the fleet %g "
                       "cards, or use acquire: mix to rent the rest",
                       what, want, most(s, t->gpus), fl, have, have,
                       kind ? "doing less work" : "so it takes longer", want,
                       want);
        }
    }
}

void gpb__sc_check_plan(gpb__loader *L)
{
    /* In the file's order of sections; gpb__sc_finish sorts them by
       position anyway. */
    check_funding(L);
    check_lines(L);
    check_runs(L);
    check_data_kept(L);
    check_capacity(L);
    check_fleets(L);
    check_fleet_size(L);
    check_serving(L);
}
