/*
 * The finance layer: depreciation, resale, power, financing, rent, NPV and
 * the rent-versus-buy comparison with its break-even points. Every formula
 * is stated in include/gpubudget/finance.h and docs/finance.md.
 *
 * Validation comes first in every function, so nothing below it (libm and
 * GSL included) sees a NaN, an infinity or a value outside its domain. The
 * break-even solvers check the signs at both ends of a bracket before they
 * hand it to GSL's Brent solver, and allocate the solver themselves, so no
 * GSL error handler (which aborts by default) is ever reached.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/compute.h"
#include "gpubudget/finance.h"
#include "fleet.h"
#include "formula.h"
#include "internal.h"


#define H_MONTH GPB_HOURS_PER_MONTH

/* Steps of the table that brackets the break-even utilisation. */
#define UTIL_GRID 64
/* Brent tolerances (absolute): utilisation, months. */
#define UTIL_EPS 1e-10
#define MONTHS_EPS 1e-9
#define BRENT_MAX_ITER 200

/* ------------------------------------------------------------------------ */
/* Argument checks. Each names the argument in its message.                  */
/* ------------------------------------------------------------------------ */

/* A fraction in [0, 1]: negative is EINVAL, above 1 ERANGE. */
static gpb_status need_frac(gpb_error *err, double v, const char *name)
{
    GPB__TRY(gpb__need_nonneg(err, v, name));
    if (v > 1.0)
        return gpb__fail(err, GPB_ERANGE,
                         "%s must be a fraction in [0, 1] (got %g)", name, v);
    return GPB_OK;
}

/* A fraction in [0, 1). */
static gpb_status need_frac_below1(gpb_error *err, double v, const char *name)
{
    GPB__TRY(gpb__need_nonneg(err, v, name));
    if (v >= 1.0)
        return gpb__fail(err, GPB_ERANGE,
                         "%s must be a fraction in [0, 1) (got %g)", name, v);
    return GPB_OK;
}

/* A rate above -1 (a loss of everything or more is meaningless). */
static gpb_status need_rate(gpb_error *err, double v, const char *name)
{
    GPB__TRY(gpb__need_finite(err, v, name));
    if (!(v > -1.0))
        return gpb__fail(err, GPB_EINVAL,
                         "%s must be greater than -1 (got %g)", name, v);
    return GPB_OK;
}

/* A whole number of months in [lo, GPB_FINANCE_MONTHS_MAX]. */
static gpb_status need_months(gpb_error *err, double v, double lo,
                              const char *name)
{
    GPB__TRY(gpb__need_finite(err, v, name));
    if (v != floor(v))
        return gpb__fail(err, GPB_EINVAL,
                         "%s must be a whole number of months (got %g)",
                         name, v);
    if (v < lo)
        return gpb__fail(err, GPB_EINVAL, "%s must be at least %g (got %g)",
                         name, lo, v);
    if (v > GPB_FINANCE_MONTHS_MAX)
        return gpb__fail(err, GPB_ERANGE,
                         "%s must be at most %g months (got %g)", name,
                         GPB_FINANCE_MONTHS_MAX, v);
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Depreciation                                                              */
/* ------------------------------------------------------------------------ */

void gpb_finance_depreciation_default(gpb_depreciation *d)
{
    if (d == NULL)
        return;
    d->method = GPB_DEPRECIATION_STRAIGHT_LINE;
    d->cost = 0.0;
    d->salvage = 0.0;
    d->life_months = GPB_FINANCE_DEPRECIATION_LIFE_MONTHS_DEFAULT;
    d->rate_per_year = 0.0;
    d->switch_to_straight_line = 1;
}

static gpb_status dep_check(const gpb_depreciation *d, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, d, "depreciation"));
    if (d->method != GPB_DEPRECIATION_STRAIGHT_LINE &&
        d->method != GPB_DEPRECIATION_DECLINING_BALANCE)
        return gpb__fail(err, GPB_EINVAL,
                         "depreciation.method must be "
                         "GPB_DEPRECIATION_STRAIGHT_LINE or "
                         "_DECLINING_BALANCE (got %d)",
                         d->method);
    GPB__TRY(gpb__need_nonneg(err, d->cost, "depreciation.cost"));
    GPB__TRY(gpb__need_nonneg(err, d->salvage, "depreciation.salvage"));
    if (d->salvage > d->cost)
        return gpb__fail(err, GPB_ERANGE,
                         "depreciation.salvage (%g) must not exceed "
                         "depreciation.cost (%g)",
                         d->salvage, d->cost);
    GPB__TRY(need_months(err, d->life_months, 1.0, "depreciation.life_months"));
    GPB__TRY(gpb__need_nonneg(err, d->rate_per_year, "depreciation.rate_per_year"));
    if (d->rate_per_year > 12.0)
        return gpb__fail(err, GPB_ERANGE,
                         "depreciation.rate_per_year must be at most 12 "
                         "(all of the book value in a month; got %g)",
                         d->rate_per_year);
    return GPB_OK;
}

#define dep_step gpb__dep_step

gpb_status gpb_finance_depreciation_month(const gpb_depreciation *d,
                                          size_t month, double *charge,
                                          double *book_after, gpb_error *err)
{
    GPB__TRY(dep_check(d, err));
    size_t life = (size_t)d->life_months;
    size_t last = month < life ? month : life;
    double book = d->cost, c = 0.0;
    for (size_t j = 0; j <= last; j++) {
        c = dep_step(d, j, book);
        book -= c;
    }
    if (month >= life)
        c = 0.0;
    if (charge)
        *charge = c;
    if (book_after)
        *book_after = book;
    return GPB_OK;
}

gpb_status gpb_finance_depreciation_schedule(const gpb_depreciation *d,
                                             size_t n_months, double *charge,
                                             double *book_after,
                                             gpb_error *err)
{
    GPB__TRY(dep_check(d, err));
    if (n_months > 0 && charge == NULL && book_after == NULL)
        return gpb__fail(err, GPB_EINVAL,
                         "charge and book_after must not both be NULL");
    double book = d->cost;
    for (size_t j = 0; j < n_months; j++) {
        double c = dep_step(d, j, book);
        book -= c;
        if (charge)
            charge[j] = c;
        if (book_after)
            book_after[j] = book;
    }
    return GPB_OK;
}

gpb_status gpb_finance_depreciation_step(const gpb_depreciation *d,
                                         size_t month, double book_before,
                                         double *charge, gpb_error *err)
{
    GPB__TRY(dep_check(d, err));
    GPB__TRY(gpb__need_nonneg(err, book_before, "book_before"));
    GPB__TRY(gpb__need_ptr(err, charge, "charge"));
    *charge = dep_step(d, month, book_before);
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Resale and later generations                                              */
/* ------------------------------------------------------------------------ */

gpb_status gpb_finance_resale_value(double price, double age_months,
                                    double decline_frac_per_year,
                                    double floor_frac, double *value,
                                    gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, price, "price"));
    GPB__TRY(gpb__need_nonneg(err, age_months, "age_months"));
    GPB__TRY(need_frac(err, decline_frac_per_year, "decline_frac_per_year"));
    GPB__TRY(need_frac(err, floor_frac, "floor_frac"));
    GPB__TRY(gpb__need_ptr(err, value, "value"));
    *value = gpb__resale(price, age_months, decline_frac_per_year,
                         floor_frac);
    return GPB_OK;
}

gpb_status gpb_finance_generation_price(double price,
                                        double change_frac_per_generation,
                                        double generations, double *out,
                                        gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, price, "price"));
    GPB__TRY(need_rate(err, change_frac_per_generation,
                  "change_frac_per_generation"));
    GPB__TRY(gpb__need_nonneg(err, generations, "generations"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    double p = price * pow(1.0 + change_frac_per_generation, generations);
    GPB__TRY(gpb__need_result(err, p, "later-generation price"));
    *out = p;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Owning                                                                    */
/* ------------------------------------------------------------------------ */

gpb_status gpb_finance_capex(double gpus, double price_per_gpu,
                             double premium, double overhead_frac,
                             double overhead_per_node, double gpus_per_node,
                             double *capex, gpb_error *err)
{
    GPB__TRY(gpb__need_pos(err, gpus, "gpus"));
    GPB__TRY(gpb__need_nonneg(err, price_per_gpu, "price_per_gpu"));
    GPB__TRY(gpb__need_pos(err, premium, "premium"));
    GPB__TRY(gpb__need_nonneg(err, overhead_frac, "overhead_frac"));
    GPB__TRY(gpb__need_nonneg(err, overhead_per_node, "overhead_per_node"));
    GPB__TRY(gpb__need_pos(err, gpus_per_node, "gpus_per_node"));
    GPB__TRY(gpb__need_ptr(err, capex, "capex"));
    double c = gpb__capex(gpus, price_per_gpu, premium, overhead_frac,
                          overhead_per_node,
                          gpb__ceil_count(gpus / gpus_per_node));
    GPB__TRY(gpb__need_result(err, c, "capex"));
    *capex = c;
    return GPB_OK;
}

gpb_status gpb_finance_power_draw_frac(double util_frac,
                                       double idle_power_frac,
                                       double *draw_frac, gpb_error *err)
{
    GPB__TRY(need_frac(err, util_frac, "util_frac"));
    GPB__TRY(need_frac(err, idle_power_frac, "idle_power_frac"));
    GPB__TRY(gpb__need_ptr(err, draw_frac, "draw_frac"));
    *draw_frac = gpb__draw(util_frac, idle_power_frac);
    return GPB_OK;
}

gpb_status gpb_finance_energy_kwh(double gpus, double tdp_watts,
                                  double server_overhead, double pue,
                                  double idle_power_frac, double util_frac,
                                  double hours, double *kwh, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, gpus, "gpus"));
    GPB__TRY(gpb__need_nonneg(err, tdp_watts, "tdp_watts"));
    GPB__TRY(gpb__need_pos(err, server_overhead, "server_overhead"));
    GPB__TRY(gpb__need_finite(err, pue, "pue"));
    if (pue < 1.0)
        return gpb__fail(err, GPB_EINVAL,
                         "pue must be at least 1 (facility power over IT "
                         "power; got %g)",
                         pue);
    GPB__TRY(gpb__need_nonneg(err, hours, "hours"));
    GPB__TRY(gpb__need_ptr(err, kwh, "kwh"));
    double draw;
    GPB__TRY(gpb_finance_power_draw_frac(util_frac, idle_power_frac, &draw, err));
    double e = gpb__energy_kwh(gpus, tdp_watts, server_overhead, pue,
                               idle_power_frac, util_frac, hours);
    GPB__TRY(gpb__need_result(err, e, "energy"));
    *kwh = e;
    return GPB_OK;
}

gpb_status gpb_finance_power_cost(double gpus, double tdp_watts,
                                  double server_overhead, double pue,
                                  double idle_power_frac, double util_frac,
                                  double hours, double tariff_per_kwh,
                                  double *cost, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, tariff_per_kwh, "tariff_per_kwh"));
    GPB__TRY(gpb__need_ptr(err, cost, "cost"));
    double kwh;
    GPB__TRY(gpb_finance_energy_kwh(gpus, tdp_watts, server_overhead, pue,
                               idle_power_frac, util_frac, hours, &kwh, err));
    double c = kwh * tariff_per_kwh;
    GPB__TRY(gpb__need_result(err, c, "power cost"));
    *cost = c;
    return GPB_OK;
}

gpb_status gpb_finance_colo_cost(double gpus, double tdp_watts,
                                 double server_overhead,
                                 double price_per_kw_month, double months,
                                 double *cost, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, gpus, "gpus"));
    GPB__TRY(gpb__need_nonneg(err, tdp_watts, "tdp_watts"));
    GPB__TRY(gpb__need_pos(err, server_overhead, "server_overhead"));
    GPB__TRY(gpb__need_nonneg(err, price_per_kw_month, "price_per_kw_month"));
    GPB__TRY(gpb__need_nonneg(err, months, "months"));
    GPB__TRY(gpb__need_ptr(err, cost, "cost"));
    double c = gpb__colo(gpus, tdp_watts, server_overhead,
                         price_per_kw_month, months);
    GPB__TRY(gpb__need_result(err, c, "colocation cost"));
    *cost = c;
    return GPB_OK;
}

gpb_status gpb_finance_maintenance_per_month(double capex,
                                             double frac_per_year,
                                             double *cost, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, capex, "capex"));
    GPB__TRY(need_frac(err, frac_per_year, "frac_per_year"));
    GPB__TRY(gpb__need_ptr(err, cost, "cost"));
    *cost = gpb__maintenance(capex, frac_per_year);
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Financing                                                                 */
/* ------------------------------------------------------------------------ */

#define annuity gpb__annuity

static gpb_status loan_check(double principal, double rate_per_year,
                             double months, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, principal, "principal"));
    GPB__TRY(gpb__need_nonneg(err, rate_per_year, "rate_per_year"));
    GPB__TRY(need_months(err, months, 1.0, "months"));
    return GPB_OK;
}

gpb_status gpb_finance_loan_payment(double principal, double rate_per_year,
                                    double months, double *payment,
                                    gpb_error *err)
{
    GPB__TRY(loan_check(principal, rate_per_year, months, err));
    GPB__TRY(gpb__need_ptr(err, payment, "payment"));
    double p = annuity(principal, rate_per_year / 12.0, months);
    GPB__TRY(gpb__need_result(err, p, "loan payment"));
    *payment = p;
    return GPB_OK;
}

gpb_status gpb_finance_loan_schedule(double principal, double rate_per_year,
                                     double months, double *interest,
                                     double *principal_paid, double *balance,
                                     gpb_error *err)
{
    GPB__TRY(loan_check(principal, rate_per_year, months, err));
    double r = rate_per_year / 12.0;
    double pay = annuity(principal, r, months);
    GPB__TRY(gpb__need_result(err, pay, "loan payment"));
    size_t n = (size_t)months;
    double bal = principal;
    for (size_t k = 0; k < n; k++) {
        double i = bal * r;
        /* The last payment clears the balance exactly. */
        double p = k + 1 == n ? bal : pay - i;
        bal = k + 1 == n ? 0.0 : bal - p;
        if (interest)
            interest[k] = i;
        if (principal_paid)
            principal_paid[k] = p;
        if (balance)
            balance[k] = bal;
    }
    return GPB_OK;
}

gpb_status gpb_finance_lease_payment(double capex, double frac_per_month,
                                     double *payment, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, capex, "capex"));
    GPB__TRY(need_frac(err, frac_per_month, "frac_per_month"));
    GPB__TRY(gpb__need_ptr(err, payment, "payment"));
    *payment = capex * frac_per_month;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Renting                                                                   */
/* ------------------------------------------------------------------------ */

gpb_status gpb_finance_rent_reserved_cost(double gpus, double months,
                                          double commitment_months,
                                          double price_per_gpu_hour,
                                          double discount_frac, double *cost,
                                          gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, gpus, "gpus"));
    GPB__TRY(gpb__need_nonneg(err, months, "months"));
    GPB__TRY(need_months(err, commitment_months, 1.0, "commitment_months"));
    GPB__TRY(gpb__need_nonneg(err, price_per_gpu_hour, "price_per_gpu_hour"));
    GPB__TRY(need_frac(err, discount_frac, "discount_frac"));
    GPB__TRY(gpb__need_ptr(err, cost, "cost"));
    double paid = ceil(months / commitment_months) * commitment_months;
    double c = gpb__reserved(gpus, paid, price_per_gpu_hour, discount_frac);
    GPB__TRY(gpb__need_result(err, c, "reserved rent"));
    *cost = c;
    return GPB_OK;
}

gpb_status gpb_finance_spot_hours_needed(double hours,
                                         double preemption_loss_frac,
                                         double *hours_needed, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, hours, "hours"));
    GPB__TRY(need_frac_below1(err, preemption_loss_frac, "preemption_loss_frac"));
    GPB__TRY(gpb__need_ptr(err, hours_needed, "hours_needed"));
    double h = gpb__spot_hours(hours, preemption_loss_frac);
    GPB__TRY(gpb__need_result(err, h, "spot hours"));
    *hours_needed = h;
    return GPB_OK;
}

gpb_status gpb_finance_rent_spot_cost(double gpu_hours,
                                      double price_per_gpu_hour,
                                      double discount_frac,
                                      double preemption_loss_frac,
                                      double *cost, gpb_error *err)
{
    GPB__TRY(gpb__need_nonneg(err, price_per_gpu_hour, "price_per_gpu_hour"));
    GPB__TRY(need_frac(err, discount_frac, "discount_frac"));
    GPB__TRY(gpb__need_ptr(err, cost, "cost"));
    double h;
    GPB__TRY(gpb_finance_spot_hours_needed(gpu_hours, preemption_loss_frac, &h,
                                      err));
    double c;
    GPB__TRY(gpb_compute_rent_cost(h, price_per_gpu_hour * (1.0 - discount_frac),
                              &c, err));
    *cost = c;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Discounting                                                               */
/* ------------------------------------------------------------------------ */

gpb_status gpb_finance_monthly_rate(double rate_per_year,
                                    double *rate_per_month, gpb_error *err)
{
    GPB__TRY(need_rate(err, rate_per_year, "rate_per_year"));
    GPB__TRY(gpb__need_ptr(err, rate_per_month, "rate_per_month"));
    *rate_per_month = expm1(log1p(rate_per_year) / 12.0);
    return GPB_OK;
}

gpb_status gpb_finance_npv(const double *cash, size_t n, double rate_per_year,
                           int timing, double *npv, gpb_error *err)
{
    GPB__TRY(need_rate(err, rate_per_year, "rate_per_year"));
    if (timing != GPB_CASH_END_OF_MONTH && timing != GPB_CASH_START_OF_MONTH)
        return gpb__fail(err, GPB_EINVAL,
                         "timing must be GPB_CASH_END_OF_MONTH or "
                         "GPB_CASH_START_OF_MONTH (got %d)",
                         timing);
    if (n > 0)
        GPB__TRY(gpb__need_ptr(err, cash, "cash"));
    GPB__TRY(gpb__need_ptr(err, npv, "npv"));
    double shift = timing == GPB_CASH_END_OF_MONTH ? 1.0 : 0.0;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(cash[i]))
            return gpb__fail(err, GPB_EINVAL,
                             "cash[%zu] must be a finite number (got %g)", i,
                             cash[i]);
        s += cash[i] * gpb__discount(rate_per_year, (double)i + shift);
    }
    GPB__TRY(gpb__need_result(err, s, "NPV"));
    *npv = s;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Names                                                                     */
/* ------------------------------------------------------------------------ */

static const char *const rent_mode_names[] = {"on-demand", "reserved",
                                              "spot"};
static const char *const financing_names[] = {"cash", "loan", "lease"};
static const char *const dep_names[] = {"straight-line",
                                        "declining-balance"};
static const char *const category_names[] = {
    "hardware", "financing", "bridge_rent", "power",
    "colo",     "maintenance", "rent_out",  "resale"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *gpb_finance_rent_mode_name(gpb_rent_mode m)
{
    int mode = (int)m;
    return mode >= 0 && mode < COUNT(rent_mode_names) ? rent_mode_names[mode]
                                                      : "unknown";
}

const char *gpb_finance_financing_name(gpb_financing f)
{
    int financing = (int)f;
    return financing >= 0 && financing < COUNT(financing_names)
               ? financing_names[financing]
               : "unknown";
}

const char *gpb_finance_depreciation_method_name(gpb_depreciation_method d)
{
    int method = (int)d;
    return method >= 0 && method < COUNT(dep_names) ? dep_names[method]
                                                    : "unknown";
}

const char *gpb_finance_rvb_category_name(gpb_rvb_category c)
{
    int category = (int)c;
    return category >= 0 && category < COUNT(category_names)
               ? category_names[category]
               : "unknown";
}

/* Lower-case s without '-', '_' and ' ' into buf; 0 when it fits. */
static int squash(const char *s, char *buf, size_t n)
{
    size_t j = 0;
    for (; *s; s++) {
        char c = *s;
        if (c == '-' || c == '_' || c == ' ')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (j + 1 >= n)
            return -1;
        buf[j++] = c;
    }
    buf[j] = '\0';
    return 0;
}

struct alias {
    const char *name;
    int value;
};

static gpb_status from_name(const char *s, int *out, const struct alias *a,
                            const char *what, const char *valid,
                            gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, s, what));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    char buf[32];
    if (squash(s, buf, sizeof buf) == 0)
        for (; a->name; a++)
            if (!strcmp(buf, a->name)) {
                *out = a->value;
                return GPB_OK;
            }
    return gpb__fail(err, GPB_ENOTFOUND, "unknown %s '%s'; use %s", what, s,
                     valid);
}

gpb_status gpb_finance_rent_mode_from_name(const char *s, gpb_rent_mode *out,
                          gpb_error *err)
{
    static const struct alias a[] = {{"ondemand", GPB_RENT_ON_DEMAND},
                                     {"od", GPB_RENT_ON_DEMAND},
                                     {"reserved", GPB_RENT_RESERVED},
                                     {"committed", GPB_RENT_RESERVED},
                                     {"spot", GPB_RENT_SPOT},
                                     {"preemptible", GPB_RENT_SPOT},
                                     {NULL, 0}};
    int v = 0;
    gpb_status st = from_name(s, &v, a, "rent mode", "on-demand, reserved or spot",
                     err);
    if (!st)
        *out = (gpb_rent_mode)v;
    return st;
}

gpb_status gpb_finance_financing_from_name(const char *s, gpb_financing *out,
                          gpb_error *err)
{
    static const struct alias a[] = {{"cash", GPB_FINANCING_CASH},
                                     {"loan", GPB_FINANCING_LOAN},
                                     {"debt", GPB_FINANCING_LOAN},
                                     {"lease", GPB_FINANCING_LEASE},
                                     {NULL, 0}};
    int v = 0;
    gpb_status st = from_name(s, &v, a, "financing", "cash, loan or lease", err);
    if (!st)
        *out = (gpb_financing)v;
    return st;
}

gpb_status gpb_finance_depreciation_method_from_name(const char *s, gpb_depreciation_method *out,
                          gpb_error *err)
{
    static const struct alias a[] = {
        {"straightline", GPB_DEPRECIATION_STRAIGHT_LINE},
        {"straight", GPB_DEPRECIATION_STRAIGHT_LINE},
        {"sl", GPB_DEPRECIATION_STRAIGHT_LINE},
        {"decliningbalance", GPB_DEPRECIATION_DECLINING_BALANCE},
        {"declining", GPB_DEPRECIATION_DECLINING_BALANCE},
        {"db", GPB_DEPRECIATION_DECLINING_BALANCE},
        {"ddb", GPB_DEPRECIATION_DECLINING_BALANCE},
        {NULL, 0}};
    int v = 0;
    gpb_status st = from_name(s, &v, a, "depreciation method",
                     "straight-line or declining-balance", err);
    if (!st)
        *out = (gpb_depreciation_method)v;
    return st;
}

/* ------------------------------------------------------------------------ */
/* Rent versus buy: inputs                                                   */
/* ------------------------------------------------------------------------ */

void gpb_finance_rent_vs_buy_default(gpb_rent_vs_buy *in)
{
    if (in == NULL)
        return;
    memset(in, 0, sizeof *in);
    in->util_frac = GPB_FINANCE_UTIL_FRAC_DEFAULT;
    in->rent_mode = GPB_RENT_ON_DEMAND;
    in->reserved_discount_frac = GPB_FINANCE_RESERVED_DISCOUNT_FRAC_DEFAULT;
    in->reserved_commitment_months =
        GPB_FINANCE_RESERVED_COMMITMENT_MONTHS_DEFAULT;
    in->spot_discount_frac = GPB_FINANCE_SPOT_DISCOUNT_FRAC_DEFAULT;
    in->spot_preemption_loss_frac =
        GPB_FINANCE_SPOT_PREEMPTION_LOSS_FRAC_DEFAULT;
    in->premium = 1.0;
    in->overhead_frac = GPB_FINANCE_OVERHEAD_FRAC_DEFAULT;
    in->gpus_per_node = GPB_FINANCE_GPUS_PER_NODE_DEFAULT;
    in->server_overhead = GPB_FINANCE_SERVER_POWER_OVERHEAD_DEFAULT;
    in->pue = GPB_FINANCE_PUE_DEFAULT;
    in->idle_power_frac = GPB_FINANCE_IDLE_POWER_FRAC_DEFAULT;
    in->tariff_per_kwh = GPB_FINANCE_TARIFF_USD_PER_KWH_DEFAULT;
    in->colo_per_kw_month = GPB_FINANCE_COLO_USD_PER_KW_MONTH_DEFAULT;
    in->maintenance_frac_per_year =
        GPB_FINANCE_MAINTENANCE_FRAC_PER_YEAR_DEFAULT;
    in->depreciation_method = GPB_DEPRECIATION_STRAIGHT_LINE;
    in->depreciation_life_months =
        GPB_FINANCE_DEPRECIATION_LIFE_MONTHS_DEFAULT;
    in->resale_decline_frac_per_year =
        GPB_FINANCE_RESALE_DECLINE_FRAC_PER_YEAR_DEFAULT;
    in->financing = GPB_FINANCING_CASH;
    in->loan_frac = GPB_FINANCE_LOAN_FRAC_DEFAULT;
    in->loan_rate_per_year = GPB_FINANCE_LOAN_RATE_PER_YEAR_DEFAULT;
    in->loan_months = GPB_FINANCE_LOAN_MONTHS_DEFAULT;
    in->lease_frac_per_month = GPB_FINANCE_LEASE_FRAC_PER_MONTH_DEFAULT;
    in->discount_rate_per_year = GPB_FINANCE_DISCOUNT_RATE_PER_YEAR_DEFAULT;
}

#define F(name) "rent_vs_buy." #name

gpb_status gpb_finance_rent_vs_buy_check(const gpb_rent_vs_buy *in,
                                         gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, in, "rent_vs_buy"));
    GPB__TRY(gpb__need_pos(err, in->gpus, F(gpus)));
    GPB__TRY(need_months(err, in->months, 1.0, F(months)));
    GPB__TRY(need_frac(err, in->util_frac, F(util_frac)));

    GPB__TRY(gpb__need_nonneg(err, in->rent_price_per_gpu_hour,
                    F(rent_price_per_gpu_hour)));
    GPB__TRY(need_rate(err, in->rent_price_change_frac_per_year,
                  F(rent_price_change_frac_per_year)));
    if (in->rent_mode < GPB_RENT_ON_DEMAND || in->rent_mode > GPB_RENT_SPOT)
        return gpb__fail(err, GPB_EINVAL,
                         F(rent_mode) " must be GPB_RENT_ON_DEMAND, "
                                      "_RESERVED or _SPOT (got %d)",
                         in->rent_mode);
    GPB__TRY(need_frac(err, in->reserved_discount_frac,
                  F(reserved_discount_frac)));
    GPB__TRY(need_months(err, in->reserved_commitment_months, 1.0,
                    F(reserved_commitment_months)));
    GPB__TRY(need_frac(err, in->spot_discount_frac, F(spot_discount_frac)));
    GPB__TRY(need_frac_below1(err, in->spot_preemption_loss_frac,
                         F(spot_preemption_loss_frac)));

    GPB__TRY(gpb__need_nonneg(err, in->price_per_gpu, F(price_per_gpu)));
    GPB__TRY(gpb__need_pos(err, in->premium, F(premium)));
    GPB__TRY(gpb__need_nonneg(err, in->overhead_frac, F(overhead_frac)));
    GPB__TRY(gpb__need_nonneg(err, in->overhead_per_node, F(overhead_per_node)));
    GPB__TRY(gpb__need_pos(err, in->gpus_per_node, F(gpus_per_node)));
    GPB__TRY(need_months(err, in->lead_time_months, 0.0, F(lead_time_months)));
    if (in->lead_time_months > in->months)
        return gpb__fail(err, GPB_ERANGE,
                         F(lead_time_months) " (%g) must not exceed "
                                             F(months) " (%g)",
                         in->lead_time_months, in->months);
    GPB__TRY(gpb__need_nonneg(err, in->tdp_watts, F(tdp_watts)));
    GPB__TRY(gpb__need_pos(err, in->server_overhead, F(server_overhead)));
    GPB__TRY(gpb__need_finite(err, in->pue, F(pue)));
    if (in->pue < 1.0)
        return gpb__fail(err, GPB_EINVAL,
                         F(pue) " must be at least 1 (got %g)", in->pue);
    GPB__TRY(need_frac(err, in->idle_power_frac, F(idle_power_frac)));
    GPB__TRY(gpb__need_nonneg(err, in->tariff_per_kwh, F(tariff_per_kwh)));
    GPB__TRY(gpb__need_nonneg(err, in->colo_per_kw_month, F(colo_per_kw_month)));
    GPB__TRY(need_frac(err, in->maintenance_frac_per_year,
                  F(maintenance_frac_per_year)));
    if (in->depreciation_method != GPB_DEPRECIATION_STRAIGHT_LINE &&
        in->depreciation_method != GPB_DEPRECIATION_DECLINING_BALANCE)
        return gpb__fail(err, GPB_EINVAL,
                         F(depreciation_method) " must be "
                         "GPB_DEPRECIATION_STRAIGHT_LINE or "
                         "_DECLINING_BALANCE (got %d)",
                         in->depreciation_method);
    GPB__TRY(need_months(err, in->depreciation_life_months, 1.0,
                    F(depreciation_life_months)));
    GPB__TRY(need_frac(err, in->salvage_frac, F(salvage_frac)));
    GPB__TRY(gpb__need_nonneg(err, in->declining_rate_per_year,
                    F(declining_rate_per_year)));
    if (in->declining_rate_per_year > 12.0)
        return gpb__fail(err, GPB_ERANGE,
                         F(declining_rate_per_year) " must be at most 12 "
                                                    "(got %g)",
                         in->declining_rate_per_year);
    GPB__TRY(need_frac(err, in->resale_decline_frac_per_year,
                  F(resale_decline_frac_per_year)));
    GPB__TRY(need_frac(err, in->resale_floor_frac, F(resale_floor_frac)));
    GPB__TRY(gpb__need_nonneg(err, in->rent_out_price_per_gpu_hour,
                    F(rent_out_price_per_gpu_hour)));
    GPB__TRY(need_frac(err, in->rent_out_util_frac, F(rent_out_util_frac)));

    if (in->financing < GPB_FINANCING_CASH ||
        in->financing > GPB_FINANCING_LEASE)
        return gpb__fail(err, GPB_EINVAL,
                         F(financing) " must be GPB_FINANCING_CASH, _LOAN "
                                      "or _LEASE (got %d)",
                         in->financing);
    GPB__TRY(need_frac(err, in->loan_frac, F(loan_frac)));
    GPB__TRY(gpb__need_nonneg(err, in->loan_rate_per_year, F(loan_rate_per_year)));
    GPB__TRY(need_months(err, in->loan_months, 1.0, F(loan_months)));
    GPB__TRY(need_frac(err, in->lease_frac_per_month, F(lease_frac_per_month)));
    GPB__TRY(gpb__need_nonneg(err, in->lease_payment_per_month,
                    F(lease_payment_per_month)));
    GPB__TRY(need_rate(err, in->discount_rate_per_year,
                  F(discount_rate_per_year)));
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Rent versus buy: the month model                                          */
/* ------------------------------------------------------------------------ */

/*
 * A comparison is the engine's cash-flow model (fleet.h) with one workload
 * (G GPUs busy a share u of every month) and one fleet bought in month 0:
 * the rent option rents the G GPUs; the buy option owns them, renting
 * the work of the lead time as a bridge. Point 0 is the start of month 0
 * (the purchase); point t the end of month t − 1.
 */
typedef struct rvb {
    const gpb_rent_vs_buy *in;
    double u;
    gpb__rent_terms rent;   /* the rent option */
    gpb__rent_terms bridge; /* the buy option's rent before delivery */
    gpb__fleet_terms fleet;
} rvb;

/* The rent price index of month m (0-based): (1 + g)^(m / 12). */
static double price_index(const gpb_rent_vs_buy *in, double m)
{
    double g = in->rent_price_change_frac_per_year;
    return g == 0.0 ? 1.0 : exp(log1p(g) * m / 12.0);
}

static gpb_status rvb_init(rvb *c, const gpb_rent_vs_buy *in, double u,
                           int horizon, gpb_error *err)
{
    memset(c, 0, sizeof *c);
    c->in = in;
    c->u = u;
    c->rent.mode = in->rent_mode;
    c->rent.price = in->rent_price_per_gpu_hour;
    c->rent.reserved_discount_frac = in->reserved_discount_frac;
    c->rent.commitment_months = in->reserved_commitment_months;
    c->rent.spot_discount_frac = in->spot_discount_frac;
    c->rent.spot_loss_frac = in->spot_preemption_loss_frac;
    /* A reservation does not fit a bridge: on demand, or spot terms. */
    c->bridge = c->rent;
    if (c->bridge.mode == GPB_RENT_RESERVED)
        c->bridge.mode = GPB_RENT_ON_DEMAND;
    gpb__fleet_spec f = {
        .gpus = in->gpus,
        .price_per_gpu = in->price_per_gpu,
        .premium = in->premium,
        .overhead_frac = in->overhead_frac,
        .overhead_per_node = in->overhead_per_node,
        .gpus_per_node = in->gpus_per_node,
        .buy_month = 0,
        .lead_months = (int)in->lead_time_months,
        .sell_month = -1,
        .horizon = horizon,
        .tdp_watts = in->tdp_watts,
        .server_overhead = in->server_overhead,
        .pue = in->pue,
        .idle_power_frac = in->idle_power_frac,
        .tariff_per_kwh = in->tariff_per_kwh,
        .colo_per_kw_month = in->colo_per_kw_month,
        .maintenance_frac_per_year = in->maintenance_frac_per_year,
        .depreciation_method = in->depreciation_method,
        .depreciation_life_months = in->depreciation_life_months,
        .salvage_frac = in->salvage_frac,
        .declining_rate_per_year = in->declining_rate_per_year,
        .resale_decline_frac_per_year = in->resale_decline_frac_per_year,
        .resale_floor_frac = in->resale_floor_frac,
        .rent_out_price_per_gpu_hour = in->rent_out_price_per_gpu_hour,
        .rent_out_util_frac = in->rent_out_util_frac,
        .financing = in->financing,
        .loan_frac = in->loan_frac,
        .loan_rate_per_year = in->loan_rate_per_year,
        .loan_months = in->loan_months,
        .lease_frac_per_month = in->lease_frac_per_month,
        .lease_payment_per_month = in->lease_payment_per_month,
    };
    GPB__TRY(gpb__fleet_terms_init(&f, &c->fleet, err));
    GPB__TRY(gpb__need_result(err,
                              in->gpus * H_MONTH * u *
                                  in->rent_price_per_gpu_hour,
                              "a month's rent"));
    return GPB_OK;
}

/* One month of both options. */
typedef struct rvb_month {
    double rent, rent_hours;  /* the rent option */
    double bridge;            /* the buy option's rent before delivery */
    gpb__fleet_flows fleet;
} rvb_month;

typedef struct rvb_state {
    gpb__rent_state rent, bridge;
    gpb__fleet_state fleet;
} rvb_state;

static void rvb_state_init(const rvb *c, rvb_state *st)
{
    gpb__rent_state_init(&st->rent);
    gpb__rent_state_init(&st->bridge);
    gpb__fleet_state_init(&c->fleet, &st->fleet);
}

/* Month m: the workload of G GPUs at utilisation u, on each option. */
static void rvb_step(const rvb *c, rvb_state *st, int m, rvb_month *o)
{
    double G = c->in->gpus, idx = price_index(c->in, (double)m);
    o->rent = gpb__rent_month(&c->rent, &st->rent, m, G, G * H_MONTH * c->u,
                              1, idx, &o->rent_hours);
    double own = gpb__fleet_available(&c->fleet, &st->fleet, m);
    double hours;
    o->bridge = own < G ? gpb__rent_month(&c->bridge, &st->bridge, m, G - own,
                                          (G - own) * H_MONTH * c->u, 1, idx,
                                          &hours)
                        : 0.0;
    gpb__fleet_month(&c->fleet, &st->fleet, m, own * c->u, idx, &o->fleet);
}

/* The buy option's cash of month m by category, paid at point m + 1 (the
   purchase at point m, in cat0 when not NULL). */
static void buy_categories(const rvb_month *o, double cat[], double *cat0)
{
    for (int k = 0; k < GPB_RVB_CATEGORY_COUNT; k++)
        cat[k] = 0.0;
    if (cat0)
        *cat0 = o->fleet.hardware;
    else
        cat[GPB_RVB_HARDWARE] = o->fleet.hardware;
    cat[GPB_RVB_FINANCING] = o->fleet.financing;
    cat[GPB_RVB_BRIDGE_RENT] = o->bridge;
    cat[GPB_RVB_POWER] = o->fleet.power;
    cat[GPB_RVB_COLO] = o->fleet.hosting;
    cat[GPB_RVB_MAINTENANCE] = o->fleet.maintenance;
    /* Income as negative cash: 0 − x, so that none reads "-0.0". */
    cat[GPB_RVB_RENT_OUT] = 0.0 - o->fleet.rent_out;
    cat[GPB_RVB_RESALE] = 0.0 - o->fleet.resale;
}

static double sum_cat(const double cat[])
{
    double s = 0.0;
    for (int k = 0; k < GPB_RVB_CATEGORY_COUNT; k++)
        s += cat[k];
    return s;
}

/*
 * Walks months 0..T−1 at utilisation u, filling totals and the flows'
 * arrays that are not NULL (arrays already checked long enough).
 */
static gpb_status rvb_run(const gpb_rent_vs_buy *in, double u,
                          gpb_rent_vs_buy_totals *tot,
                          gpb_rent_vs_buy_flows *fl, gpb_error *err)
{
    int T = (int)in->months;
    rvb c;
    GPB__TRY(rvb_init(&c, in, u, T, err));
    rvb_state st;
    rvb_state_init(&c, &st);
    gpb_rent_vs_buy_totals t;
    memset(&t, 0, sizeof t);
    t.capex = c.fleet.capex;
    t.capex_cards = c.fleet.cards;
    t.loan_principal = c.fleet.loan_principal;
    double r = in->discount_rate_per_year;
    int lease = in->financing == GPB_FINANCING_LEASE;
    if (fl) {
        if (fl->rent_cash)
            fl->rent_cash[0] = 0.0;
        if (fl->buy_cash)
            fl->buy_cash[0] = 0.0;
        if (fl->buy_accounting)
            fl->buy_accounting[0] = 0.0;
        if (fl->buy_by_category)
            for (int k = 0; k < GPB_RVB_CATEGORY_COUNT; k++)
                fl->buy_by_category[k] = 0.0;
    }
    for (int m = 0; m < T; m++) {
        rvb_month o;
        rvb_step(&c, &st, m, &o);
        double rent = o.rent, hours = o.rent_hours;
        if (m == T - 1) {
            double rest_hours;
            rent += gpb__rent_settle(&c.rent, &st.rent, T, &rest_hours);
            hours += rest_hours;
        }
        double cat[GPB_RVB_CATEGORY_COUNT], at_start;
        buy_categories(&o, cat, &at_start);
        double buy = sum_cat(cat);
        double acct = o.bridge + o.fleet.power + o.fleet.hosting +
                      o.fleet.maintenance - o.fleet.rent_out +
                      o.fleet.depreciation + o.fleet.interest +
                      o.fleet.loss_on_sale +
                      (lease ? o.fleet.financing : 0.0);
        double v = gpb__discount(r, (double)m + GPB__AT_END);
        t.rent_gpu_hours_paid += hours;
        t.rent_cash += rent;
        t.rent_npv += rent * v;
        t.bridge_rent += o.bridge;
        t.power += o.fleet.power;
        t.energy_kwh += o.fleet.kwh;
        t.colo += o.fleet.hosting;
        t.maintenance += o.fleet.maintenance;
        t.rent_out_income += o.fleet.rent_out;
        t.interest += o.fleet.interest;
        t.depreciation += o.fleet.depreciation;
        if (lease)
            t.lease_payments += o.fleet.financing;
        if (o.fleet.resale > 0 || o.fleet.loss_on_sale != 0) {
            t.resale_proceeds = o.fleet.resale;
            t.book_value_end = o.fleet.resale + o.fleet.loss_on_sale;
            t.loss_on_sale = o.fleet.loss_on_sale;
        }
        t.buy_cash += at_start + buy;
        t.buy_accounting += acct;
        t.buy_npv += at_start * gpb__discount(r, (double)m + GPB__AT_START) +
                     buy * v;
        if (fl) {
            size_t p = (size_t)m + 1;
            if (fl->rent_cash)
                fl->rent_cash[p] = rent;
            if (fl->buy_cash) {
                fl->buy_cash[p - 1] += at_start;
                fl->buy_cash[p] = buy;
            }
            if (fl->buy_accounting)
                fl->buy_accounting[p] = acct;
            if (fl->buy_by_category) {
                fl->buy_by_category[(p - 1) * GPB_RVB_CATEGORY_COUNT +
                                    GPB_RVB_HARDWARE] += at_start;
                memcpy(fl->buy_by_category + p * GPB_RVB_CATEGORY_COUNT, cat,
                       sizeof cat);
            }
        }
    }
    t.npv_buy_minus_rent = t.buy_npv - t.rent_npv;
    if (!isfinite(t.rent_gpu_hours_paid) || !isfinite(t.buy_cash) ||
        !isfinite(t.rent_cash) || !isfinite(t.buy_npv) ||
        !isfinite(t.rent_npv) || !isfinite(t.buy_accounting))
        return gpb__fail(err, GPB_ERANGE,
                         "rent-versus-buy totals overflow: check the sizes "
                         "of gpus, prices and months");
    if (tot)
        *tot = t;
    return GPB_OK;
}

gpb_status gpb_finance_rent_vs_buy_eval(const gpb_rent_vs_buy *in,
                                        gpb_rent_vs_buy_totals *totals,
                                        gpb_rent_vs_buy_flows *flows,
                                        gpb_error *err)
{
    GPB__TRY(gpb_finance_rent_vs_buy_check(in, err));
    if (flows && (flows->rent_cash || flows->buy_cash ||
                  flows->buy_accounting || flows->buy_by_category)) {
        size_t need = (size_t)in->months + 1;
        if (flows->n_points < need)
            return gpb__fail(err, GPB_ERANGE,
                             "flows.n_points (%zu) must be at least "
                             "months + 1 (%zu)",
                             flows->n_points, need);
    }
    return rvb_run(in, in->util_frac, totals, flows, err);
}

gpb_status gpb_finance_rent_vs_buy_flows_alloc(const gpb_rent_vs_buy *in,
                                               gpb_rent_vs_buy_flows *flows,
                                               gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, in, "rent_vs_buy"));
    GPB__TRY(gpb__need_ptr(err, flows, "flows"));
    GPB__TRY(need_months(err, in->months, 1.0, F(months)));
    size_t n = (size_t)in->months + 1;
    gpb_rent_vs_buy_flows f;
    f.n_points = n;
    f.rent_cash = calloc(n, sizeof(double));
    f.buy_cash = calloc(n, sizeof(double));
    f.buy_accounting = calloc(n, sizeof(double));
    f.buy_by_category =
        calloc(n * GPB_RVB_CATEGORY_COUNT, sizeof(double));
    if (!f.rent_cash || !f.buy_cash || !f.buy_accounting ||
        !f.buy_by_category) {
        gpb_finance_rent_vs_buy_flows_free(&f);
        return gpb__fail(err, GPB_ENOMEM,
                         "out of memory for %zu months of flows", n);
    }
    *flows = f;
    return GPB_OK;
}

void gpb_finance_rent_vs_buy_flows_free(gpb_rent_vs_buy_flows *flows)
{
    if (flows == NULL)
        return;
    gpb_free(flows->rent_cash);
    gpb_free(flows->buy_cash);
    gpb_free(flows->buy_accounting);
    gpb_free(flows->buy_by_category);
    memset(flows, 0, sizeof *flows);
}

/*
 * Cumulative cash of both options by time T (months, need not be whole),
 * undiscounted, costs accruing linearly within a month. settle adds the
 * sale of the cards, the loan's payoff and the rest of a reservation at T;
 * without it a loan counts the payments made (the one in progress pro
 * rata).
 */
/*
 * Cumulative cash of both options by time T (months, need not be whole),
 * undiscounted, costs accruing linearly within a month. settle adds the
 * sale of the cards, the loan's payoff and the rest of a reservation at T;
 * without it a loan counts the payments made (the one in progress pro
 * rata). c was built with a horizon beyond T, so nothing settles by
 * itself.
 */
static void rvb_cum(const rvb *c, double T, int settle, double *buy,
                    double *rent)
{
    const gpb__fleet_terms *f = &c->fleet;
    rvb_state st;
    rvb_state_init(c, &st);
    /* The purchase is paid whole, at point 0. */
    double b = f->financing != GPB_FINANCING_LEASE
                   ? f->capex - f->loan_principal
                   : 0.0;
    double rn = 0.0;
    int k = (int)floor(T);
    double fr = T - (double)k;
    for (int m = 0; m <= k; m++) {
        double w = m < k ? 1.0 : fr;
        if (w == 0.0)
            break;
        double bal = st.fleet.loan_balance;
        rvb_month o;
        rvb_step(c, &st, m, &o);
        double cat[GPB_RVB_CATEGORY_COUNT], at_start;
        buy_categories(&o, cat, &at_start);
        rn += w * o.rent;
        b += w * (sum_cat(cat) - o.fleet.financing);
        if (f->financing == GPB_FINANCING_LEASE || w == 1.0 || !settle) {
            b += w * o.fleet.financing;
        } else {
            /* The interest accrued so far, repaid with the balance. */
            st.fleet.loan_balance = bal + w * o.fleet.interest;
        }
    }
    if (settle) {
        b += st.fleet.loan_balance;
        if (f->financing != GPB_FINANCING_LEASE && T > 0)
            b -= gpb__resale(f->cards, T > f->deliver ? T - f->deliver : 0.0,
                             f->resale_decline, f->resale_floor);
        /* The rest of a reservation running at T, from T to its end. */
        if (c->rent.mode == GPB_RENT_RESERVED && st.rent.commit_end > T)
            rn += gpb__reserved(st.rent.commit_gpus,
                                (double)st.rent.commit_end - T,
                                st.rent.commit_price,
                                c->rent.reserved_discount_frac);
    }
    *buy = b;
    *rent = rn;
}

/* ------------------------------------------------------------------------ */
/* Break-even                                                                */
/* ------------------------------------------------------------------------ */

const char *gpb_finance_breakeven_outcome_str(int outcome, int months)
{
    switch (outcome) {
    case GPB_BREAKEVEN_FOUND:
        return "found";
    case GPB_BREAKEVEN_BUY_CHEAPER:
        return months ? "buying is cheaper over the whole horizon"
                      : "buying is cheaper at any utilisation";
    case GPB_BREAKEVEN_RENT_CHEAPER:
        return months ? "renting is cheaper over the whole horizon"
                      : "renting is cheaper at any utilisation";
    case GPB_BREAKEVEN_EQUAL:
        return months ? "the two cost the same over the whole horizon"
                      : "the two cost the same at any utilisation";
    default:
        return "unknown outcome";
    }
}

/* -1, 0, 1. */
static int sgn(double v) { return v > 0.0 ? 1 : v < 0.0 ? -1 : 0; }

/*
 * Refines a root of F in [lo, hi] with GSL's Brent solver. The caller has
 * checked that f(lo) and f(hi) are finite and of strictly opposite signs,
 * which is all gsl_root_fsolver_set needs; the solver is allocated here, as
 * gsl_root_fsolver_alloc would, so running out of memory returns
 * GPB_ENOMEM instead of reaching GSL's error handler.
 */
static gpb_status brent(gsl_function *F, double lo, double hi, double eps,
                        double *root, gpb_error *err)
{
    gsl_root_fsolver *s = malloc(sizeof *s);
    void *state = malloc(gsl_root_fsolver_brent->size);
    if (!s || !state) {
        free(s);
        free(state);
        return gpb__fail(err, GPB_ENOMEM, "out of memory for the solver");
    }
    s->type = gsl_root_fsolver_brent;
    s->function = NULL;
    s->root = lo;
    s->x_lower = lo;
    s->x_upper = hi;
    s->state = state;
    int st = gsl_root_fsolver_set(s, F, lo, hi);
    int done = 0;
    for (int it = 0; st == GSL_SUCCESS && it < BRENT_MAX_ITER; it++) {
        st = gsl_root_fsolver_iterate(s);
        if (st != GSL_SUCCESS)
            break;
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                   gsl_root_fsolver_x_upper(s), eps,
                                   0.0) == GSL_SUCCESS) {
            done = 1;
            break;
        }
    }
    double x = gsl_root_fsolver_root(s);
    free(state);
    free(s);
    if (!done || !isfinite(x))
        return gpb__fail(err, GPB_ENUMERIC,
                         "the break-even solver did not converge (GSL "
                         "status %d)",
                         st);
    *root = x;
    return GPB_OK;
}

typedef struct solve_ctx {
    const gpb_rent_vs_buy *in;
    rvb c;   /* months search: the model at in->util_frac */
    int settle;
} solve_ctx;

/* NPV_buy(u) - NPV_rent(u); NaN if the model fails (it cannot once the
   inputs are checked). */
static double f_util(double u, void *p)
{
    const solve_ctx *sc = p;
    gpb_rent_vs_buy_totals t;
    if (rvb_run(sc->in, u, &t, NULL, NULL) != GPB_OK)
        return NAN;
    return t.npv_buy_minus_rent;
}

/* Cumulative cash of buying minus renting by time T. */
static double g_months(double T, void *p)
{
    const solve_ctx *sc = p;
    double b, r;
    rvb_cum(&sc->c, T, sc->settle, &b, &r);
    return b - r;
}

/*
 * The first sign change of fn over the table xs[0..n-1] (values fs), then
 * Brent. The table is of buy minus rent; sign at xs[0] is the start.
 * Writes out; returns GPB_OK or GPB_ENOTFOUND with the sentence.
 */
static gpb_status bracket_and_solve(double (*fn)(double, void *), void *ctx,
                                    const double *xs, const double *fs,
                                    size_t n, double eps, int months,
                                    gpb_breakeven *out, gpb_error *err)
{
    if (n < 1)
        return gpb__fail(err, GPB_EINVAL, "no points to search");
    for (size_t i = 0; i < n; i++)
        if (!isfinite(fs[i]))
            return gpb__fail(err, GPB_ERANGE,
                             "the cost difference overflows at %g", xs[i]);
    /* The first point whose sign is the start's opposite (for a start at
       0, the first that is not 0). Zeros on the way are touches, not
       crossings: buying that costs the same as renting during a lead time
       and then more never breaks even (a user review found "1.0 months"
       there). */
    int s0 = sgn(fs[0]);
    size_t j = n;
    for (size_t i = 1; i < n; i++) {
        int si = sgn(fs[i]);
        if (s0 == 0 ? si != 0 : si == -s0) {
            j = i;
            break;
        }
    }
    gpb_breakeven b = {GPB_BREAKEVEN_FOUND, NAN, 0};
    if (s0 == 0 && j < n) {
        /* Equal at the start, then one option pulls ahead: the start is
           the break-even point only in a degenerate sense; report which
           option is cheaper after it. */
        b.outcome = sgn(fs[j]) < 0 ? GPB_BREAKEVEN_BUY_CHEAPER
                                   : GPB_BREAKEVEN_RENT_CHEAPER;
    } else if (j == n) {
        b.outcome = s0 < 0   ? GPB_BREAKEVEN_BUY_CHEAPER
                    : s0 > 0 ? GPB_BREAKEVEN_RENT_CHEAPER
                             : GPB_BREAKEVEN_EQUAL;
    } else {
        double x = NAN;
        if (sgn(fs[j - 1]) == 0) {
            /* Equal up to xs[j - 1], then the other option pulls ahead:
               the last point where they are equal. */
            x = xs[j - 1];
        } else {
            gsl_function F = {fn, ctx};
            GPB__TRY(brent(&F, xs[j - 1], xs[j], eps, &x, err));
        }
        b.buy_cheaper_above = sgn(fs[j]) < 0;
        b.value = x;
    }
    *out = b;
    if (b.outcome != GPB_BREAKEVEN_FOUND)
        return gpb__fail(err, GPB_ENOTFOUND, "%s",
                         gpb_finance_breakeven_outcome_str(b.outcome,
                                                           months));
    return GPB_OK;
}

gpb_status gpb_finance_breakeven_util(const gpb_rent_vs_buy *in,
                                      gpb_breakeven *out, gpb_error *err)
{
    GPB__TRY(gpb_finance_rent_vs_buy_check(in, err));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    solve_ctx sc;
    memset(&sc, 0, sizeof sc);
    sc.in = in;
    double xs[UTIL_GRID + 1], fs[UTIL_GRID + 1];
    for (int i = 0; i <= UTIL_GRID; i++) {
        gpb_rent_vs_buy_totals t;
        xs[i] = (double)i / UTIL_GRID;
        GPB__TRY(rvb_run(in, xs[i], &t, NULL, err));
        fs[i] = t.npv_buy_minus_rent;
    }
    return bracket_and_solve(f_util, &sc, xs, fs, UTIL_GRID + 1, UTIL_EPS,
                             0, out, err);
}

gpb_status gpb_finance_breakeven_months(const gpb_rent_vs_buy *in,
                                        double max_months, int settle,
                                        gpb_breakeven *out, gpb_error *err)
{
    GPB__TRY(gpb_finance_rent_vs_buy_check(in, err));
    GPB__TRY(gpb__need_nonneg(err, max_months, "max_months"));
    if (max_months > GPB_FINANCE_MONTHS_MAX)
        return gpb__fail(err, GPB_ERANGE,
                         "max_months must be at most %g (got %g)",
                         GPB_FINANCE_MONTHS_MAX, max_months);
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    double lim = max_months > 0.0 ? max_months : in->months;
    solve_ctx *sc = malloc(sizeof *sc);
    size_t n = (size_t)ceil(lim) + 1;
    double *xs = malloc(n * sizeof *xs), *fs = malloc(n * sizeof *fs);
    gpb_status st = GPB_OK;
    if (!sc || !xs || !fs) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        goto done;
    }
    sc->in = in;
    sc->settle = settle ? 1 : 0;
    /* A horizon past the search limit: nothing settles by itself. */
    st = rvb_init(&sc->c, in, in->util_frac, (int)ceil(lim) + 2, err);
    if (st != GPB_OK)
        goto done;
    /* Points 0, 1, 2, ... and the limit itself when it is not whole. */
    for (size_t i = 0; i < n; i++) {
        xs[i] = i + 1 == n ? lim : (double)i;
        fs[i] = g_months(xs[i], sc);
    }
    st = bracket_and_solve(g_months, sc, xs, fs, n, MONTHS_EPS, 1, out,
                           err);
done:
    free(sc);
    free(xs);
    free(fs);
    return st;
}
