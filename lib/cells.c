/*
 * The flat spreadsheet API (gpubudget/cells.h): string arguments read by the
 * units layer, the thread's last error, and the closed-form functions, each
 * of which reads its arguments and calls the compute, hardware and finance
 * layers. No formula lives here: only the plumbing between text and those
 * layers' functions.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cells_internal.h"
#include "formula.h"
#include "gpubudget/compute.h"
#include "gpubudget/finance.h"
#include "gpubudget/sim.h"
#include "gpubudget/hardware.h"
#include "gpubudget/plan.h"

/* ------------------------------------------------------------------------ */
/* The thread's last error                                                   */
/* ------------------------------------------------------------------------ */

static _Thread_local char tl_error[1024];
static _Thread_local int tl_status;

const char *gpb_cells_last_error(void) { return tl_error; }

int gpb_cells_last_status(void) { return tl_status; }

void gpb__cell_begin(gpb__cell *c)
{
    memset(c, 0, sizeof *c);
}

double gpb__cell_end(gpb__cell *c, gpb_status st, double v)
{
    if (st == GPB_OK && !isfinite(v))
        st = gpb__fail(&c->err, GPB_ENUMERIC,
                       "the result is not a finite number");
    if (st == GPB_OK) {
        tl_status = GPB_OK;
        tl_error[0] = '\0';
        return v;
    }
    c->err.status = st;
    if (c->err.message[0] == '\0')
        gpb__strlcpy(c->err.message, gpb_status_str(st),
                     sizeof c->err.message);
    gpb_error_format(&c->err, tl_error, sizeof tl_error);
    tl_status = st;
    return NAN;
}

gpb_status gpb__cell_fail(gpb__cell *c, gpb_status st, const char *name,
                          const char *fmt, ...)
{
    char msg[GPB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (name && name[0])
        return gpb__fail(&c->err, st, "%s: %s", name, msg);
    return gpb__fail(&c->err, st, "%s", msg);
}

/* ------------------------------------------------------------------------ */
/* Arguments                                                                 */
/* ------------------------------------------------------------------------ */

int gpb__cell_blank(const char *text)
{
    if (!text)
        return 1;
    for (const char *p = text; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return 0;
    return 1;
}

gpb_status gpb__cell_number(gpb__cell *c, const char *name, const char *text,
                            double dflt, double *out)
{
    if (gpb__cell_blank(text)) {
        if (isnan(dflt))
            return gpb__cell_fail(c, GPB_EINVAL, name, "is required");
        *out = dflt;
        return GPB_OK;
    }
    gpb_error e;
    gpb_status st = gpb_units_parse_number(text, out, &e);
    return st ? gpb__cell_fail(c, st, name, "%s", e.message) : GPB_OK;
}

gpb_status gpb__cell_fraction(gpb__cell *c, const char *name,
                              const char *text, double dflt,
                              gpb_frac_bounds bounds, double *out)
{
    if (gpb__cell_blank(text)) {
        if (isnan(dflt))
            return gpb__cell_fail(c, GPB_EINVAL, name, "is required");
        *out = dflt;
        return GPB_OK;
    }
    gpb_error e;
    gpb_status st = gpb_units_parse_fraction(text, bounds, out, &e);
    return st ? gpb__cell_fail(c, st, name, "%s", e.message) : GPB_OK;
}

gpb_status gpb__cell_whole(gpb__cell *c, const char *name, const char *text,
                           double dflt, double lo, double hi, double *out)
{
    double v;
    gpb_status st = gpb__cell_number(c, name, text, dflt, &v);
    if (st)
        return st;
    if (gpb__cell_blank(text)) { /* the default is the caller's business */
        *out = v;
        return GPB_OK;
    }
    if (v != floor(v) || v < lo || v > hi)
        return gpb__cell_fail(c, v != floor(v) ? GPB_EINVAL : GPB_ERANGE,
                              name, "expected a whole number from %.17g to "
                              "%.17g, found %.17g", lo, hi, v);
    *out = v;
    return GPB_OK;
}

gpb_status gpb__cell_seed(gpb__cell *c, const char *name, const char *text,
                          uint64_t dflt, uint64_t *out)
{
    if (gpb__cell_blank(text)) {
        *out = dflt;
        return GPB_OK;
    }
    /* Digits are read exactly: a seed above 2^53 does not fit a double. */
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *q = p;
    uint64_t v = 0;
    int digits = 1, overflow = 0;
    for (; *q >= '0' && *q <= '9'; q++) {
        unsigned d = (unsigned)(*q - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = 1;
        v = v * 10 + d;
    }
    for (const char *r = q; *r; r++)
        if (*r != ' ' && *r != '\t')
            digits = 0;
    if (q > p && digits && !overflow && v <= GPB_SIM_MAX_SEED) {
        *out = v;
        return GPB_OK;
    }
    if (q > p && digits)
        return gpb__cell_fail(c, GPB_ERANGE, name,
                              "expected a whole number from 0 to %llu "
                              "(2^63 - 1), found %s",
                              (unsigned long long)GPB_SIM_MAX_SEED, p);
    double x;
    /* 2^63 as a double is above the largest seed; the largest whole
       double below it, 2^63 − 1024, fits. */
    gpb_status st = gpb__cell_whole(c, name, text, NAN, 0,
                                    9223372036854774784.0, &x);
    if (st)
        return st;
    *out = (uint64_t)x;
    return GPB_OK;
}

static gpb_status money_record(gpb__cell *c, double *slot, gpb_currency cur,
                               int user)
{
    size_t i = 0;
    while (i < c->n_money && c->money[i].value != slot)
        i++;
    if (i == c->n_money) {
        if (c->n_money == GPB__CELLS_MAX_MONEY)
            return gpb__cell_fail(c, GPB_ELIMIT, NULL,
                                  "too many amounts of money in one call");
        c->n_money++;
    }
    c->money[i].value = slot;
    c->money[i].cur = cur;
    c->money[i].user = user;
    c->money[i].order = c->next_order++;
    return GPB_OK;
}

gpb_status gpb__cell_money(gpb__cell *c, const char *name, const char *text,
                           gpb_qty_kind want, double *slot)
{
    if (gpb__cell_blank(text))
        return gpb__cell_fail(c, GPB_EINVAL, name, "is required");
    gpb_quantity q;
    gpb_error e;
    gpb_status st = gpb_units_parse_as(text, want, &q, &e);
    if (st == GPB_EUNIT && want != GPB_QTY_MONEY) {
        /* A bare amount or number is a price per hour (or per kWh), as
           the scenario files read price_per_gpu_hour. */
        gpb_error e2;
        if (gpb_units_parse_as(text, GPB_QTY_MONEY, &q, &e2) == GPB_OK)
            st = GPB_OK;
    }
    if (st)
        return gpb__cell_fail(c, st, name, "%s", e.message);
    *slot = q.value;
    return money_record(c, slot, q.currency, 1);
}

gpb_status gpb__cell_money_default(gpb__cell *c, double *slot, double usd)
{
    *slot = usd;
    return money_record(c, slot, GPB_CURRENCY_USD, 0);
}

gpb_status gpb__cell_money_finish(gpb__cell *c)
{
    gpb_currency call = GPB_CURRENCY_NONE;
    unsigned first = UINT_MAX;
    for (size_t i = 0; i < c->n_money; i++)
        if (c->money[i].user && c->money[i].cur != GPB_CURRENCY_NONE &&
            c->money[i].order < first) {
            first = c->money[i].order;
            call = c->money[i].cur;
        }
    if (call == GPB_CURRENCY_NONE)
        call = GPB_CURRENCY_USD;
    gpb_fx fx = gpb_units_fx_default();
    for (size_t i = 0; i < c->n_money; i++) {
        gpb_currency from = c->money[i].cur;
        if (from == GPB_CURRENCY_NONE || from == call)
            continue;
        gpb_status st = gpb_units_fx_convert(&fx, *c->money[i].value, from,
                                             call, c->money[i].value,
                                             &c->err);
        if (st)
            return st;
    }
    c->cur = call;
    return GPB_OK;
}

/* A duration in units of `unit_hours` (24 for days, 730.5 for months):
   a bare number is already in that unit. */
static gpb_status cell_duration(gpb__cell *c, const char *name,
                                const char *text, double unit_hours,
                                const char *unit, double *out)
{
    if (gpb__cell_blank(text))
        return gpb__cell_fail(c, GPB_EINVAL, name, "is required");
    gpb_quantity q;
    gpb_error e;
    gpb_status st = gpb_units_parse(text, &q, &e);
    if (st)
        return gpb__cell_fail(c, st, name, "%s", e.message);
    if (q.kind == GPB_QTY_NUMBER)
        *out = q.value;
    else if (q.kind == GPB_QTY_DURATION)
        *out = q.value / unit_hours;
    else
        return gpb__cell_fail(c, GPB_EUNIT, name,
                              "expected a number of %s or a duration, "
                              "found %s '%s'",
                              unit, gpb_qty_kind_name(q.kind), text);
    return GPB_OK;
}

static gpb_status cell_card(gpb__cell *c, const char *text,
                            const gpb_gpu **gpu)
{
    if (gpb__cell_blank(text))
        return gpb__cell_fail(c, GPB_EINVAL, "card", "is required");
    gpb_error e;
    gpb_status st = gpb_hardware_gpu_find(text, gpu, &e);
    return st ? gpb__cell_fail(c, st, "card", "%s", e.message) : GPB_OK;
}

static gpb_status cell_precision(gpb__cell *c, const gpb_gpu *gpu,
                                 const char *text, gpb_precision *p)
{
    gpb_error e;
    gpb_status st = gpb__cell_blank(text)
                        ? gpb_hardware_gpu_default_precision(gpu, p, &e)
                        : gpb_precision_from_name(text, p, &e);
    return st ? gpb__cell_fail(c, st, "precision", "%s", e.message) : GPB_OK;
}

/* The dense peak of gpu at the precision named by text (blank: the
   card's default precision). */
static gpb_status cell_peak(gpb__cell *c, const gpb_gpu *gpu,
                            const char *text, double *peak)
{
    gpb_precision p;
    gpb_status st = cell_precision(c, gpu, text, &p);
    if (st)
        return st;
    gpb_error e;
    st = gpb_hardware_gpu_peak_flop_per_s(gpu, p, peak, &e);
    return st ? gpb__cell_fail(c, st, "precision", "%s", e.message) : GPB_OK;
}

/* A catalog figure, through the one accessor that knows its unit. */
static gpb_status cell_field(gpb__cell *c, const gpb_gpu *gpu,
                             const char *field, double *out)
{
    gpb_error e;
    gpb_status st = gpb_hardware_gpu_field(gpu, field, out, &e);
    return st ? gpb__cell_fail(c, st, "card", "%s", e.message) : GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Options ("key=value; key=value")                                          */
/* ------------------------------------------------------------------------ */

typedef enum opt_kind {
    OPT_NUM,          /* a number */
    OPT_FRAC,         /* a fraction within the spec's bounds */
    OPT_MONTHS,       /* months, or a duration */
    OPT_MONEY,        /* an amount */
    OPT_PRICE_HOUR,   /* money per GPU-hour */
    OPT_PRICE_KWH,    /* money per kWh */
    OPT_RENT_MODE,    /* int: gpb_rent_mode by name */
    OPT_FINANCING,    /* int: gpb_financing by name */
    OPT_DEPRECIATION, /* int: gpb_depreciation_method by name */
    OPT_PRECISION     /* int: gpb_precision by name */
} opt_kind;

typedef struct opt_spec {
    const char *name;
    opt_kind kind;
    size_t offset;          /* of the double or int in the caller's struct */
    gpb_frac_bounds bounds; /* OPT_FRAC: which ends of [0, 1] it takes */
} opt_spec;

#define OPT_VALUE_MAX 256

static gpb_status opt_set(gpb__cell *c, const opt_spec *o, const char *v,
                          char *base)
{
    char name[96];
    snprintf(name, sizeof name, "option %s", o->name);
    double *d = (double *)(void *)(base + o->offset);
    int *iv = (int *)(void *)(base + o->offset);
    gpb_error e;
    gpb_status st = GPB_OK;
    switch (o->kind) {
    case OPT_NUM:
        return gpb__cell_number(c, name, v, NAN, d);
    case OPT_FRAC:
        return gpb__cell_fraction(c, name, v, NAN, o->bounds, d);
    case OPT_MONTHS:
        return cell_duration(c, name, v, GPB_HOURS_PER_MONTH, "months", d);
    case OPT_MONEY:
        return gpb__cell_money(c, name, v, GPB_QTY_MONEY, d);
    case OPT_PRICE_HOUR:
        return gpb__cell_money(c, name, v, GPB_QTY_MONEY_PER_HOUR, d);
    case OPT_PRICE_KWH:
        return gpb__cell_money(c, name, v, GPB_QTY_MONEY_PER_KWH, d);
    case OPT_RENT_MODE:
        st = gpb_finance_rent_mode_from_name(v, (gpb_rent_mode *)(void *)iv, &e);
        break;
    case OPT_FINANCING:
        st = gpb_finance_financing_from_name(v, (gpb_financing *)(void *)iv,
                                             &e);
        break;
    case OPT_DEPRECIATION:
        st = gpb_finance_depreciation_method_from_name(
            v, (gpb_depreciation_method *)(void *)iv, &e);
        break;
    case OPT_PRECISION: {
        gpb_precision p;
        st = gpb_precision_from_name(v, &p, &e);
        if (!st)
            *iv = (int)p;
        break;
    }
    }
    return st ? gpb__cell_fail(c, st, name, "%s", e.message) : GPB_OK;
}

static const opt_spec *opt_find(const opt_spec *specs, size_t n,
                                const char *key, const opt_spec **nearest)
{
    int best = INT_MAX;
    *nearest = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!gpb__strcasecmp(specs[i].name, key))
            return &specs[i];
        int d = gpb__edit_distance(key, specs[i].name);
        if (d < best) {
            best = d;
            *nearest = &specs[i];
        }
    }
    if (best > 3)
        *nearest = NULL;
    return NULL;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

/* Reads "key=value; ..." into base through specs (at most 64). */
static gpb_status cell_options(gpb__cell *c, const char *text,
                               const opt_spec *specs, size_t n, void *base)
{
    if (gpb__cell_blank(text))
        return GPB_OK;
    uint64_t seen = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        if (!*p)
            return GPB_OK;
        const char *ks = p;
        while (*p && *p != '=' && *p != ';')
            p++;
        const char *ke = p;
        if (*p != '=')
            return gpb__cell_fail(c, GPB_ESYNTAX, "options",
                                  "expected key=value, found '%.*s'",
                                  (int)(p - ks), ks);
        const char *vs = ++p;
        while (*p && *p != ';')
            p++;
        const char *ve = p;
        trim(&ks, &ke);
        trim(&vs, &ve);
        char key[64], val[OPT_VALUE_MAX];
        if ((size_t)(ke - ks) >= sizeof key || (size_t)(ve - vs) >= sizeof val)
            return gpb__cell_fail(c, GPB_ELIMIT, "options",
                                  "a key or value longer than %zu bytes",
                                  sizeof val - 1);
        memcpy(key, ks, (size_t)(ke - ks));
        key[ke - ks] = '\0';
        memcpy(val, vs, (size_t)(ve - vs));
        val[ve - vs] = '\0';
        const opt_spec *near;
        const opt_spec *o = opt_find(specs, n, key, &near);
        if (!o) {
            if (near)
                return gpb__cell_fail(c, GPB_ENOTFOUND, "options",
                                      "unknown key '%s'; did you mean "
                                      "'%s'?",
                                      key, near->name);
            return gpb__cell_fail(c, GPB_ENOTFOUND, "options",
                                  "unknown key '%s'", key);
        }
        uint64_t bit = (uint64_t)1 << (size_t)(o - specs);
        if (seen & bit)
            return gpb__cell_fail(c, GPB_EINVAL, "options",
                                  "'%s' is given twice", o->name);
        seen |= bit;
        gpb_status st = opt_set(c, o, val, base);
        if (st)
            return st;
    }
}

/* ------------------------------------------------------------------------ */
/* Training                                                                  */
/* ------------------------------------------------------------------------ */

/* What the training functions share: FLOPs, the card, its peak and the
   MFU (blank: the card's default). */
typedef struct train_args {
    double flops, peak, mfu;
    const gpb_gpu *gpu;
} train_args;

static gpb_status train_read(gpb__cell *c, const char *params,
                             const char *tokens, const char *card,
                             const char *mfu, const char *precision,
                             train_args *a)
{
    double n, d;
    gpb_status st;
    if ((st = gpb__cell_number(c, "params", params, NAN, &n)) ||
        (st = gpb__cell_number(c, "tokens", tokens, NAN, &d)) ||
        (st = gpb_compute_train_flops(n, d, &a->flops, &c->err)) ||
        (st = cell_card(c, card, &a->gpu)) ||
        (st = cell_peak(c, a->gpu, precision, &a->peak)))
        return st;
    if (gpb__cell_blank(mfu))
        return cell_field(c, a->gpu, "default_mfu", &a->mfu);
    return gpb__cell_fraction(c, "mfu", mfu, NAN, GPB_FRAC_OPEN_LO, &a->mfu);
}

double gpb_cells_train_flops(const char *params, const char *tokens)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    double n, d, flops = 0;
    gpb_status st;
    if (!(st = gpb__cell_number(&c, "params", params, NAN, &n)) &&
        !(st = gpb__cell_number(&c, "tokens", tokens, NAN, &d)))
        st = gpb_compute_train_flops(n, d, &flops, &c.err);
    return gpb__cell_end(&c, st, flops);
}

double gpb_cells_train_gpu_hours(const char *params, const char *tokens,
                                 const char *card, const char *mfu,
                                 const char *precision)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    train_args a;
    double h = 0;
    gpb_status st = train_read(&c, params, tokens, card, mfu, precision, &a);
    if (!st)
        st = gpb_compute_gpu_hours(a.flops, a.peak, a.mfu, &h, &c.err);
    return gpb__cell_end(&c, st, h);
}

double gpb_cells_train_days(const char *params, const char *tokens,
                            const char *card, const char *gpus,
                            const char *mfu, const char *precision)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    train_args a;
    double g, h, days = 0;
    gpb_status st = train_read(&c, params, tokens, card, mfu, precision, &a);
    if (st || (st = gpb__cell_whole(&c, "gpus", gpus, NAN, 1, GPB__GPUS_MAX, &g)))
        return gpb__cell_end(&c, st, 0);
    if (!(g > 0))
        return gpb__cell_end(&c,
                             gpb__cell_fail(&c, GPB_EINVAL, "gpus",
                                            "must be positive, found %g", g),
                             0);
    /* gpb_compute_train_time's .days, without its seconds, which overflow
       (at 5e304 hours) before the days do. */
    if (!(st = gpb_compute_gpu_hours(a.flops, a.peak, a.mfu, &h, &c.err))) {
        days = gpb__wall_days(h, g);
        st = gpb__need_result(&c.err, days, "training time in days");
    }
    return gpb__cell_end(&c, st, days);
}

double gpb_cells_train_card_months(const char *params, const char *tokens,
                                   const char *card, const char *mfu,
                                   const char *precision)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    train_args a;
    double h, months = 0;
    gpb_status st = train_read(&c, params, tokens, card, mfu, precision, &a);
    /* GPU-hours / 730.5, as GPB_TRAIN_GPU_HOURS computes them, so that the
       two agree wherever both are finite. */
    if (!st && !(st = gpb_compute_gpu_hours(a.flops, a.peak, a.mfu, &h,
                                            &c.err)))
        months = gpb__card_months(h);
    return gpb__cell_end(&c, st, months);
}

double gpb_cells_train_cost(const char *params, const char *tokens,
                            const char *card, const char *gpus,
                            const char *mfu, const char *price,
                            const char *precision)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    train_args a;
    double g, hours, p, cost = 0;
    gpb_status st = train_read(&c, params, tokens, card, mfu, precision, &a);
    if (st || (st = gpb__cell_whole(&c, "gpus", gpus, NAN, 1, GPB__GPUS_MAX, &g)))
        return gpb__cell_end(&c, st, 0);
    if (!(g > 0))
        return gpb__cell_end(&c,
                             gpb__cell_fail(&c, GPB_EINVAL, "gpus",
                                            "must be positive, found %g", g),
                             0);
    if (gpb__cell_blank(price)) {
        double usd;
        if (!(st = cell_field(&c, a.gpu, "rent_usd_per_hour", &usd)))
            st = gpb__cell_money_default(&c, &p, usd);
    } else {
        st = gpb__cell_money(&c, "price", price, GPB_QTY_MONEY_PER_HOUR, &p);
    }
    if (!st && !(st = gpb__cell_money_finish(&c)) &&
        !(st = gpb_compute_gpu_hours(a.flops, a.peak, a.mfu, &hours,
                                     &c.err)))
        st = gpb_compute_rent_cost(hours, p, &cost, &c.err);
    return gpb__cell_end(&c, st, cost);
}

double gpb_cells_implied_mfu(const char *params, const char *tokens,
                             const char *card, const char *gpus,
                             const char *days, const char *precision)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    train_args a;
    double g = 0, dd = 0, mfu = 0;
    /* The MFU argument is not used: pass the default so that reading it
       cannot fail. */
    gpb_status st = train_read(&c, params, tokens, card, NULL, precision, &a);
    if (!st && !(st = gpb__cell_whole(&c, "gpus", gpus, NAN, 1, GPB__GPUS_MAX, &g)) &&
        !(st = cell_duration(&c, "days", days, 24.0, "days", &dd)))
        st = gpb_compute_implied_mfu_from_days(a.flops, g, a.peak, dd, &mfu,
                                               &c.err);
    return gpb__cell_end(&c, st, mfu);
}

double gpb_cells_implied_mfu_gpu_hours(const char *params, const char *tokens,
                                       const char *card,
                                       const char *gpu_hours,
                                       const char *precision)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    train_args a;
    double h, mfu = 0;
    gpb_status st = train_read(&c, params, tokens, card, NULL, precision, &a);
    if (!st && !(st = gpb__cell_number(&c, "gpu_hours", gpu_hours, NAN, &h)))
        st = gpb_compute_implied_mfu_from_gpu_hours(a.flops, a.peak, h, &mfu,
                                                    &c.err);
    return gpb__cell_end(&c, st, mfu);
}

/* ------------------------------------------------------------------------ */
/* Training with an interval (plan.h)                                        */
/* ------------------------------------------------------------------------ */

/* GPB_TRAIN_INTERVAL's options: the model, the run and the precision. */
typedef struct interval_opts {
    double active_params, seq_len, global_batch_tokens, recompute;
    int precision; /* -1: the card's default */
} interval_opts;

#define IVO(f, k) {#f, k, offsetof(interval_opts, f), GPB_FRAC_CLOSED}
static const opt_spec INTERVAL_OPTIONS[] = {
    IVO(active_params, OPT_NUM),
    IVO(seq_len, OPT_NUM),
    IVO(global_batch_tokens, OPT_NUM),
    IVO(recompute, OPT_NUM),
    IVO(precision, OPT_PRECISION),
};
#undef IVO

/* The quantity `what` of an interval at `stat`. */
static gpb_status interval_pick(gpb__cell *c, const gpb_plan_interval *iv,
                                const char *what, const char *stat,
                                double *out)
{
    static const char *const whats[] = {"mfu", "gpu_hours", "days",
                                        "card_months", "cost", "ratio"};
    const gpb_plan_quantiles *q[] = {&iv->mfu_frac, &iv->gpu_hours,
                                     &iv->days, &iv->card_months, &iv->cost,
                                     &iv->ratio};
    const double ideal[] = {iv->ideal_mfu_frac, iv->ideal_gpu_hours,
                            iv->ideal_days, iv->ideal_card_months,
                            iv->ideal_cost, 1.0};
    size_t w = 0, nw = sizeof whats / sizeof whats[0];
    if (gpb__cell_blank(what))
        return gpb__cell_fail(c, GPB_EINVAL, "what", "is required");
    while (w < nw && gpb__strcasecmp(what, whats[w]))
        w++;
    if (w == nw)
        return gpb__cell_fail(c, GPB_ENOTFOUND, "what",
                              "unknown quantity '%s'; expected mfu, "
                              "gpu_hours, days, card_months, cost or ratio",
                              what);
    if (gpb__cell_blank(stat))
        return gpb__cell_fail(c, GPB_EINVAL, "stat", "is required");
    const char *st = stat;
    if (!gpb__strcasecmp(st, "p5"))
        *out = q[w]->p5;
    else if (!gpb__strcasecmp(st, "p50") || !gpb__strcasecmp(st, "median"))
        *out = q[w]->p50;
    else if (!gpb__strcasecmp(st, "p95"))
        *out = q[w]->p95;
    else if (!gpb__strcasecmp(st, "ideal"))
        *out = ideal[w];
    else
        return gpb__cell_fail(c, GPB_ENOTFOUND, "stat",
                              "unknown statistic '%s'; expected p5, p50 "
                              "(median), p95 or ideal",
                              st);
    if (isnan(*out))
        return gpb__cell_fail(c, GPB_ENOTFOUND, "price",
                              "the catalog has no rental price for this "
                              "card: give one");
    return GPB_OK;
}

double gpb_cells_train_interval(const char *what, const char *stat,
                                const char *params, const char *tokens,
                                const char *card, const char *gpus,
                                const char *mfu, const char *price,
                                const char *options)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    gpb_plan_estimate_spec es;
    gpb_plan_estimate_spec_default(&es);
    interval_opts o = {0, 0, 0, 0, -1};
    double p = 0, v = 0;
    gpb_status st;
    if ((st = gpb__cell_number(&c, "params", params, NAN, &es.params)) ||
        (st = gpb__cell_number(&c, "tokens", tokens, NAN, &es.tokens)) ||
        (st = cell_card(&c, card, &es.gpu)) ||
        (st = gpb__cell_whole(&c, "gpus", gpus, NAN, 1, GPB__GPUS_MAX,
                                &es.gpus)) ||
        (st = gpb__cell_fraction(&c, "mfu", mfu, 0, GPB_FRAC_OPEN_LO,
                                 &es.user_mfu_frac)) ||
        (st = cell_options(&c, options, INTERVAL_OPTIONS,
                           sizeof INTERVAL_OPTIONS /
                               sizeof INTERVAL_OPTIONS[0],
                           &o)))
        return gpb__cell_end(&c, st, 0);
    if (o.recompute != 0 && o.recompute != 1)
        return gpb__cell_end(&c,
                             gpb__cell_fail(&c, GPB_EINVAL,
                                            "option recompute",
                                            "expected 0 or 1, found %g",
                                            o.recompute),
                             0);
    es.active_params = o.active_params;
    es.seq_len = o.seq_len;
    es.global_batch_tokens = o.global_batch_tokens;
    es.recompute = (int)o.recompute;
    if (o.precision >= 0)
        es.precision = (gpb_precision)o.precision;
    /* A price given is the call's currency and its one price; none is the
       pricing rule, in US dollars. */
    if (!gpb__cell_blank(price)) {
        if ((st = gpb__cell_money(&c, "price", price, GPB_QTY_MONEY_PER_HOUR,
                                  &p)) ||
            (st = gpb__cell_money_finish(&c)))
            return gpb__cell_end(&c, st, 0);
        if (!(p > 0))
            return gpb__cell_end(&c,
                                 gpb__cell_fail(&c, GPB_EINVAL, "price",
                                                "must be above 0"),
                                 0);
        es.price_low_per_gpu_hour = es.price_high_per_gpu_hour = p;
    }
    gpb_plan_estimate est;
    if ((st = gpb_plan_estimate_compute(&es, &est, &c.err)))
        return gpb__cell_end(&c, st, 0);
    st = interval_pick(&c, &est.interval, what, stat, &v);
    return gpb__cell_end(&c, st, v);
}

double gpb_cells_gpu_field(const char *card, const char *field)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    const gpb_gpu *gpu;
    double v = 0;
    gpb_status st = cell_card(&c, card, &gpu);
    if (!st) {
        if (gpb__cell_blank(field)) {
            st = gpb__cell_fail(&c, GPB_EINVAL, "field", "is required");
        } else {
            gpb_error e;
            st = gpb_hardware_gpu_field(gpu, field, &v, &e);
            if (st)
                gpb__cell_fail(&c, st, "field", "%s", e.message);
        }
    }
    return gpb__cell_end(&c, st, v);
}

/* ------------------------------------------------------------------------ */
/* Scaling laws and memory                                                   */
/* ------------------------------------------------------------------------ */

static gpb_status cell_chinchilla(gpb__cell *c, const char *set,
                                  const gpb_chinchilla **out)
{
    gpb_error e;
    gpb_status st = gpb_compute_chinchilla_find(
        gpb__cell_blank(set) ? GPB_CHINCHILLA_DEFAULT->name : set, out, &e);
    return st ? gpb__cell_fail(c, st, "set", "%s", e.message) : GPB_OK;
}

static double chinchilla_split(const char *flops, const char *set,
                               int want_tokens)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    const gpb_chinchilla *k;
    double f, n = 0, d = 0;
    gpb_status st;
    if (!(st = gpb__cell_number(&c, "flops", flops, NAN, &f)) &&
        !(st = cell_chinchilla(&c, set, &k)))
        st = gpb_compute_chinchilla_optimal(k, f, &n, &d, &c.err);
    return gpb__cell_end(&c, st, want_tokens ? d : n);
}

double gpb_cells_chinchilla_params(const char *flops, const char *set)
{
    return chinchilla_split(flops, set, 0);
}

double gpb_cells_chinchilla_tokens(const char *flops, const char *set)
{
    return chinchilla_split(flops, set, 1);
}

double gpb_cells_chinchilla_loss(const char *params, const char *tokens,
                                 const char *set)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    const gpb_chinchilla *k;
    double n, d, loss = 0;
    gpb_status st;
    if (!(st = gpb__cell_number(&c, "params", params, NAN, &n)) &&
        !(st = gpb__cell_number(&c, "tokens", tokens, NAN, &d)) &&
        !(st = cell_chinchilla(&c, set, &k)))
        st = gpb_compute_chinchilla_loss(k, n, d, &loss, &c.err);
    return gpb__cell_end(&c, st, loss);
}

double gpb_cells_min_gpus(const char *params, const char *card,
                          const char *bytes_per_param,
                          const char *usable_frac)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    const gpb_gpu *gpu;
    double n, bpp, frac, mem, bytes, gpus = 0;
    gpb_status st;
    /* Not given: 0, which asks compute.h for its defaults (16 bytes, 0.9
       usable). Given, a value must be one: "0" read as "not given"
       answered 16 GPUs for 0 bytes a parameter (a user review). */
    if (!(st = gpb__cell_number(&c, "params", params, NAN, &n)) &&
        !(st = cell_card(&c, card, &gpu)) &&
        !(st = gpb__cell_number(&c, "bytes_per_param", bytes_per_param, 0,
                                &bpp)) &&
        !(st = !gpb__cell_blank(bytes_per_param) && !(bpp > 0)
                   ? gpb__cell_fail(&c, GPB_ERANGE, "bytes_per_param",
                                    "expected a number above 0, found %g",
                                    bpp)
                   : GPB_OK) &&
        !(st = gpb__cell_fraction(&c, "usable_frac", usable_frac, 0,
                                  gpb__cell_blank(usable_frac)
                                      ? GPB_FRAC_CLOSED
                                      : GPB_FRAC_OPEN_LO,
                                  &frac)) &&
        !(st = cell_field(&c, gpu, "mem_bytes", &mem)) &&
        !(st = gpb_compute_train_memory_bytes(n, bpp, NULL, &bytes,
                                              &c.err)))
        st = gpb_compute_min_gpus_for_memory(bytes, mem, frac, &gpus,
                                             &c.err);
    return gpb__cell_end(&c, st, gpus);
}

/* ------------------------------------------------------------------------ */
/* Renting versus buying                                                     */
/* ------------------------------------------------------------------------ */

typedef struct rvb_args {
    gpb_rent_vs_buy in;
    double max_months; /* breakeven_months: search limit (0: in.months) */
    double settle;     /* breakeven_months: 0 payback, 1 settle */
} rvb_args;

#define RVB(f, k) {#f, k, offsetof(rvb_args, in.f), GPB_FRAC_CLOSED}
/* finance.h's fractions: [0, 1], the preemption loss [0, 1). A rate of
   change, an overhead per unit of price and a premium may pass 1. */
#define RVBF(f, b) {#f, OPT_FRAC, offsetof(rvb_args, in.f), b}
static const opt_spec RVB_OPTIONS[] = {
    RVBF(util_frac, GPB_FRAC_CLOSED),
    RVB(rent_price_per_gpu_hour, OPT_PRICE_HOUR),
    RVB(rent_price_change_frac_per_year, OPT_NUM),
    RVB(rent_mode, OPT_RENT_MODE),
    RVBF(reserved_discount_frac, GPB_FRAC_CLOSED),
    RVB(reserved_commitment_months, OPT_MONTHS),
    RVBF(spot_discount_frac, GPB_FRAC_CLOSED),
    RVBF(spot_preemption_loss_frac, GPB_FRAC_OPEN_HI),
    RVB(price_per_gpu, OPT_MONEY),
    RVB(premium, OPT_NUM),
    RVB(overhead_frac, OPT_NUM),
    RVB(overhead_per_node, OPT_MONEY),
    RVB(gpus_per_node, OPT_NUM),
    RVB(lead_time_months, OPT_MONTHS),
    RVB(tdp_watts, OPT_NUM),
    RVB(server_overhead, OPT_NUM),
    RVB(pue, OPT_NUM),
    RVBF(idle_power_frac, GPB_FRAC_CLOSED),
    RVB(tariff_per_kwh, OPT_PRICE_KWH),
    RVB(colo_per_kw_month, OPT_MONEY),
    RVBF(maintenance_frac_per_year, GPB_FRAC_CLOSED),
    RVB(depreciation_method, OPT_DEPRECIATION),
    RVB(depreciation_life_months, OPT_MONTHS),
    RVBF(salvage_frac, GPB_FRAC_CLOSED),
    RVB(declining_rate_per_year, OPT_NUM),
    RVBF(resale_decline_frac_per_year, GPB_FRAC_CLOSED),
    RVBF(resale_floor_frac, GPB_FRAC_CLOSED),
    RVB(rent_out_price_per_gpu_hour, OPT_PRICE_HOUR),
    RVBF(rent_out_util_frac, GPB_FRAC_CLOSED),
    RVB(financing, OPT_FINANCING),
    RVBF(loan_frac, GPB_FRAC_CLOSED),
    RVB(loan_rate_per_year, OPT_NUM),
    RVB(loan_months, OPT_MONTHS),
    RVBF(lease_frac_per_month, GPB_FRAC_CLOSED),
    RVB(lease_payment_per_month, OPT_MONEY),
    RVB(discount_rate_per_year, OPT_NUM),
    {"max_months", OPT_MONTHS, offsetof(rvb_args, max_months),
     GPB_FRAC_CLOSED},
    {"settle", OPT_NUM, offsetof(rvb_args, settle), GPB_FRAC_CLOSED},
};
#undef RVB
#undef RVBF

typedef struct rvb_total {
    const char *name;
    size_t offset;
} rvb_total;

#define TOT(f) {#f, offsetof(gpb_rent_vs_buy_totals, f)}
static const rvb_total RVB_TOTALS[] = {
    TOT(rent_gpu_hours_paid), TOT(rent_cash),     TOT(rent_npv),
    TOT(capex),               TOT(capex_cards),   TOT(loan_principal),
    TOT(interest),            TOT(lease_payments), TOT(bridge_rent),
    TOT(power),               TOT(energy_kwh),    TOT(colo),
    TOT(maintenance),         TOT(rent_out_income), TOT(resale_proceeds),
    TOT(depreciation),        TOT(book_value_end), TOT(loss_on_sale),
    TOT(buy_cash),            TOT(buy_accounting), TOT(buy_npv),
    TOT(npv_buy_minus_rent),
};
#undef TOT

enum { RVB_WHAT_TOTAL, RVB_WHAT_BE_UTIL, RVB_WHAT_BE_MONTHS };

static gpb_status rvb_what(gpb__cell *c, const char *what, int *kind,
                           size_t *offset)
{
    if (gpb__cell_blank(what))
        return gpb__cell_fail(c, GPB_EINVAL, "what", "is required");
    if (!gpb__strcasecmp(what, "breakeven_util")) {
        *kind = RVB_WHAT_BE_UTIL;
        return GPB_OK;
    }
    if (!gpb__strcasecmp(what, "breakeven_months")) {
        *kind = RVB_WHAT_BE_MONTHS;
        return GPB_OK;
    }
    size_t n = sizeof RVB_TOTALS / sizeof RVB_TOTALS[0], best = 0;
    int bd = INT_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!gpb__strcasecmp(what, RVB_TOTALS[i].name)) {
            *kind = RVB_WHAT_TOTAL;
            *offset = RVB_TOTALS[i].offset;
            return GPB_OK;
        }
        int d = gpb__edit_distance(what, RVB_TOTALS[i].name);
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    if (bd <= 3)
        return gpb__cell_fail(c, GPB_ENOTFOUND, "what",
                              "unknown figure '%s'; did you mean '%s'?", what,
                              RVB_TOTALS[best].name);
    return gpb__cell_fail(c, GPB_ENOTFOUND, "what",
                          "unknown figure '%s'; expected a total such as "
                          "rent_npv, buy_npv, npv_buy_minus_rent, rent_cash, "
                          "buy_cash, capex, or breakeven_util, "
                          "breakeven_months",
                          what);
}

/* Reads the arguments shared by GPB_RENT_VS_BUY and GPB_BREAKEVEN_UTIL. */
static gpb_status rvb_read(gpb__cell *c, const char *gpus, const char *months,
                           const char *card, const char *util_frac,
                           const char *rent_price, const char *price_per_gpu,
                           const char *options, rvb_args *a)
{
    const gpb_gpu *gpu;
    gpb_status st;
    gpb_finance_rent_vs_buy_default(&a->in);
    a->max_months = 0;
    a->settle = 0;
    /* NaN marks the two prices and the server share as not given until
       the options are read. */
    a->in.rent_price_per_gpu_hour = NAN;
    a->in.price_per_gpu = NAN;
    a->in.overhead_frac = NAN;
    if ((st = gpb__cell_whole(c, "gpus", gpus, NAN, 1, GPB__GPUS_MAX,
                                &a->in.gpus)) ||
        (st = cell_duration(c, "months", months, GPB_HOURS_PER_MONTH,
                            "months", &a->in.months)) ||
        (st = cell_card(c, card, &gpu)) ||
        (st = cell_field(c, gpu, "tdp_w", &a->in.tdp_watts)) ||
        (st = gpb__cell_fraction(c, "util_frac", util_frac, a->in.util_frac,
                                 GPB_FRAC_CLOSED, &a->in.util_frac)))
        return st;
    if (!gpb__cell_blank(rent_price) &&
        (st = gpb__cell_money(c, "rent_price", rent_price,
                              GPB_QTY_MONEY_PER_HOUR,
                              &a->in.rent_price_per_gpu_hour)))
        return st;
    if (!gpb__cell_blank(price_per_gpu) &&
        (st = gpb__cell_money(c, "price_per_gpu", price_per_gpu,
                              GPB_QTY_MONEY, &a->in.price_per_gpu)))
        return st;
    /* finance.h's default tariff and colocation price are in US dollars:
       record them so that they follow the call's currency. */
    if ((st = gpb__cell_money_default(c, &a->in.tariff_per_kwh,
                                      a->in.tariff_per_kwh)) ||
        (st = gpb__cell_money_default(c, &a->in.colo_per_kw_month,
                                      a->in.colo_per_kw_month)) ||
        (st = cell_options(c, options, RVB_OPTIONS,
                           sizeof RVB_OPTIONS / sizeof RVB_OPTIONS[0], a)))
        return st;
    double usd;
    if (isnan(a->in.rent_price_per_gpu_hour) &&
        ((st = cell_field(c, gpu, "rent_usd_per_hour", &usd)) ||
         (st = gpb__cell_money_default(c, &a->in.rent_price_per_gpu_hour,
                                       usd))))
        return st;
    /* The catalog's price is the card alone and comes with the card's
       own server share (hardware.h, server_frac); a price the caller
       gives takes the finance layer's default share. */
    int catalog_price = isnan(a->in.price_per_gpu);
    if (catalog_price &&
        ((st = cell_field(c, gpu, "purchase_usd", &usd)) ||
         (st = gpb__cell_money_default(c, &a->in.price_per_gpu, usd))))
        return st;
    if (isnan(a->in.overhead_frac))
        a->in.overhead_frac = catalog_price
                                  ? gpu->server_frac
                                  : GPB_FINANCE_OVERHEAD_FRAC_DEFAULT;
    return gpb__cell_money_finish(c);
}

/* A break-even search that finds none is an error in a cell: its message
   says which option is cheaper. */
static gpb_status rvb_breakeven(gpb__cell *c, const rvb_args *a, int months,
                                double *out)
{
    gpb_breakeven be;
    gpb_status st =
        months ? gpb_finance_breakeven_months(&a->in, a->max_months,
                                              (int)a->settle, &be, &c->err)
               : gpb_finance_breakeven_util(&a->in, &be, &c->err);
    if (!st)
        *out = be.value;
    return st;
}

double gpb_cells_rent_vs_buy(const char *what, const char *gpus,
                             const char *months, const char *card,
                             const char *util_frac, const char *rent_price,
                             const char *price_per_gpu, const char *options)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    rvb_args a;
    int kind = RVB_WHAT_TOTAL;
    size_t off = 0;
    double v = 0;
    gpb_status st = rvb_what(&c, what, &kind, &off);
    if (!st)
        st = rvb_read(&c, gpus, months, card, util_frac, rent_price,
                      price_per_gpu, options, &a);
    if (!st && (a.settle != 0 && a.settle != 1))
        st = gpb__cell_fail(&c, GPB_EINVAL, "option settle",
                            "expected 0 or 1, found %g", a.settle);
    if (!st) {
        if (kind == RVB_WHAT_TOTAL) {
            gpb_rent_vs_buy_totals t;
            st = gpb_finance_rent_vs_buy_eval(&a.in, &t, NULL, &c.err);
            if (!st)
                memcpy(&v, (const char *)&t + off, sizeof v);
        } else {
            st = rvb_breakeven(&c, &a, kind == RVB_WHAT_BE_MONTHS, &v);
        }
    }
    return gpb__cell_end(&c, st, v);
}

double gpb_cells_breakeven_util(const char *gpus, const char *months,
                                const char *card, const char *rent_price,
                                const char *price_per_gpu,
                                const char *options)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    rvb_args a;
    double v = 0;
    gpb_status st = rvb_read(&c, gpus, months, card, NULL, rent_price,
                             price_per_gpu, options, &a);
    if (!st)
        st = rvb_breakeven(&c, &a, 0, &v);
    return gpb__cell_end(&c, st, v);
}

/* ------------------------------------------------------------------------ */
/* Serving                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct serve_args {
    gpb_decode_spec spec;
    double gpus_per_replica; /* 0: the fewest that hold the weights */
    double peak_to_mean;
    double util_frac;
    int precision; /* -1: the card's default */
    gpb_decode_rate rate;
} serve_args;

#define SRV(f, k) {#f, k, offsetof(serve_args, f), GPB_FRAC_CLOSED}
/* compute.h's fractions of peak and target utilisation are in (0, 1]. */
#define SRVF(f) {#f, OPT_FRAC, offsetof(serve_args, f), GPB_FRAC_OPEN_LO}
static const opt_spec SERVE_OPTIONS[] = {
    SRV(spec.batch, OPT_NUM),
    SRV(spec.bytes_per_param, OPT_NUM),
    SRV(spec.active_params, OPT_NUM),
    SRV(spec.kv_bytes_per_token, OPT_NUM),
    SRV(spec.context_tokens, OPT_NUM),
    SRVF(spec.mfu_frac),
    SRVF(spec.bw_frac),
    SRV(precision, OPT_PRECISION),
    SRV(gpus_per_replica, OPT_NUM),
    SRV(peak_to_mean, OPT_NUM),
    SRVF(util_frac),
};
#undef SRV
#undef SRVF

/* The option names without the "spec." of the struct path. */
static const opt_spec *serve_options(opt_spec *copy)
{
    size_t n = sizeof SERVE_OPTIONS / sizeof SERVE_OPTIONS[0];
    for (size_t i = 0; i < n; i++) {
        copy[i] = SERVE_OPTIONS[i];
        if (!strncmp(copy[i].name, "spec.", 5))
            copy[i].name += 5;
    }
    return copy;
}

/* Reads the model, the card and the options, sizes a replica and computes
   its decode rate into a->rate (tokens per second per GPU). */
static gpb_status serve_read(gpb__cell *c, const char *params,
                             const char *card, const char *options,
                             const gpb_gpu **gpu_out, serve_args *a)
{
    const gpb_gpu *gpu;
    opt_spec specs[sizeof SERVE_OPTIONS / sizeof SERVE_OPTIONS[0]];
    gpb_status st;
    gpb_compute_decode_spec_default(&a->spec);
    a->gpus_per_replica = 0;
    a->peak_to_mean = 1;
    a->util_frac = 1;
    a->precision = -1;
    if ((st = gpb__cell_number(c, "params", params, NAN, &a->spec.params)) ||
        (st = cell_card(c, card, &gpu)) ||
        (st = cell_options(c, options, serve_options(specs),
                           sizeof specs / sizeof specs[0], a)))
        return st;
    gpb_precision p;
    if (a->precision < 0) {
        if ((st = cell_precision(c, gpu, NULL, &p)))
            return st;
    } else {
        p = (gpb_precision)a->precision;
    }
    gpb_error e;
    if ((st = gpb_hardware_gpu_peak_flop_per_s(gpu, p, &a->spec.peak_flop_per_s,
                                               &e)))
        return gpb__cell_fail(c, st, "option precision", "%s", e.message);
    double mem;
    if ((st = cell_field(c, gpu, "mem_bw_bytes_per_s",
                         &a->spec.mem_bw_bytes_per_s)) ||
        (st = cell_field(c, gpu, "mem_bytes", &mem)))
        return st;
    if (a->gpus_per_replica == 0) {
        /* The bytes one decode step reads are what the replica holds. */
        a->spec.gpus = 1;
        if ((st = gpb_compute_decode_rate(&a->spec, &a->rate, &c->err)) ||
            (st = gpb_compute_min_gpus_for_memory(a->rate.bytes_per_step, mem,
                                                  0, &a->gpus_per_replica,
                                                  &c->err)))
            return st;
    } else if (a->gpus_per_replica != floor(a->gpus_per_replica) ||
               a->gpus_per_replica < 1) {
        return gpb__cell_fail(c, GPB_EINVAL, "option gpus_per_replica",
                              "expected a whole number of at least 1, found "
                              "%g",
                              a->gpus_per_replica);
    }
    a->spec.gpus = a->gpus_per_replica;
    *gpu_out = gpu;
    return gpb_compute_decode_rate(&a->spec, &a->rate, &c->err);
}

/* Fleet size for a load, in whole replicas. */
static gpb_status serve_gpus(gpb__cell *c, const serve_args *a,
                             const char *users, const char *requests,
                             const char *tokens, double *gpus)
{
    double u, r, t, load, replicas;
    gpb_status st;
    if ((st = gpb__cell_number(c, "users", users, NAN, &u)) ||
        (st = gpb__cell_number(c, "requests_per_day", requests, NAN, &r)) ||
        (st = gpb__cell_number(c, "tokens_per_request", tokens, NAN, &t)) ||
        (st = gpb_compute_serving_load_tokens_per_s(u, r, t, a->peak_to_mean,
                                                    &load, &c->err)) ||
        (st = gpb_compute_serving_gpus(load,
                                       a->rate.tokens_per_s *
                                           a->gpus_per_replica,
                                       a->util_frac, &replicas, &c->err)))
        return st;
    *gpus = replicas * a->gpus_per_replica;
    return GPB_OK;
}

/* The price per GPU-hour argument (blank: the card's rent). */
static gpb_status serve_price(gpb__cell *c, const gpb_gpu *gpu,
                              const char *price, double *p)
{
    gpb_status st;
    if (gpb__cell_blank(price)) {
        double usd;
        if ((st = cell_field(c, gpu, "rent_usd_per_hour", &usd)) ||
            (st = gpb__cell_money_default(c, p, usd)))
            return st;
    } else if ((st = gpb__cell_money(c, "price", price,
                                     GPB_QTY_MONEY_PER_HOUR, p))) {
        return st;
    }
    return gpb__cell_money_finish(c);
}

double gpb_cells_serving_gpus(const char *params, const char *card,
                              const char *users, const char *requests_per_day,
                              const char *tokens_per_request,
                              const char *options)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    serve_args a;
    const gpb_gpu *gpu;
    double gpus = 0;
    gpb_status st = serve_read(&c, params, card, options, &gpu, &a);
    if (!st)
        st = serve_gpus(&c, &a, users, requests_per_day, tokens_per_request,
                        &gpus);
    return gpb__cell_end(&c, st, gpus);
}

double gpb_cells_serving_cost(const char *params, const char *card,
                              const char *users, const char *requests_per_day,
                              const char *tokens_per_request,
                              const char *price, const char *options)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    serve_args a;
    const gpb_gpu *gpu;
    double gpus, p, cost = 0;
    gpb_status st = serve_read(&c, params, card, options, &gpu, &a);
    if (!st && !(st = serve_gpus(&c, &a, users, requests_per_day,
                                 tokens_per_request, &gpus)) &&
        !(st = serve_price(&c, gpu, price, &p)))
        st = gpb_compute_rent_cost(gpus * GPB_HOURS_PER_MONTH, p, &cost,
                                   &c.err);
    return gpb__cell_end(&c, st, cost);
}

double gpb_cells_cost_per_mtoken(const char *params, const char *card,
                                 const char *price, const char *options)
{
    gpb__cell c;
    gpb__cell_begin(&c);
    serve_args a;
    const gpb_gpu *gpu;
    double p, cost = 0;
    gpb_status st = serve_read(&c, params, card, options, &gpu, &a);
    if (!st && !(st = serve_price(&c, gpu, price, &p)))
        st = gpb_compute_cost_per_million_tokens(p, a.rate.tokens_per_s,
                                                 a.util_frac, &cost, &c.err);
    return gpb__cell_end(&c, st, cost);
}
