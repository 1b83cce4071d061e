/*
 * The month step of renting and owning GPUs (fleet.h): the one cash-flow
 * model that the engine and rent-versus-buy share.
 */
#include <math.h>
#include <string.h>

#include "fleet.h"
#include "formula.h"
#include "internal.h"

#define H_MONTH GPB_HOURS_PER_MONTH

/* ---- renting ----------------------------------------------------------- */

double gpb__rent_month(const gpb__rent_terms *t, gpb__rent_state *s, int m,
                       double gpus, double useful, int renew, double index,
                       double *hours)
{
    switch (t->mode) {
    case GPB_RENT_RESERVED:
        if (m >= s->commit_end) {
            if (!renew) {
                *hours = 0;
                return 0;
            }
            /* A new commitment: the month's price, locked for its term. */
            s->commit_price = t->price * index;
            s->commit_end = m + (int)t->commitment_months;
            s->commit_gpus = gpus;
        }
        *hours = s->commit_gpus * H_MONTH;
        return gpb__reserved(s->commit_gpus, 1.0, s->commit_price,
                             t->reserved_discount_frac);
    case GPB_RENT_SPOT:
        *hours = gpb__spot_hours(useful, t->spot_loss_frac);
        return gpb__spot_rent(useful, t->price * index, t->spot_discount_frac,
                              t->spot_loss_frac);
    default:
        *hours = useful;
        return gpb__rent_on_demand(t->price, useful, index);
    }
}

double gpb__rent_settle(const gpb__rent_terms *t, const gpb__rent_state *s,
                        int horizon, double *hours)
{
    *hours = 0;
    if (t->mode != GPB_RENT_RESERVED || s->commit_end <= horizon)
        return 0;
    double months = (double)(s->commit_end - horizon);
    *hours = s->commit_gpus * H_MONTH * months;
    return gpb__reserved(s->commit_gpus, months, s->commit_price,
                         t->reserved_discount_frac);
}

/* ---- owning ------------------------------------------------------------ */

/*
 * The charge of month j (0-based) given the book value at its start. The
 * charge never takes the book below salvage; the straight line's last month
 * takes exactly what is left, so rounding does not leave a residue.
 */
static double dep_rate_month(const gpb_depreciation *d)
{
    double r = d->rate_per_year > 0.0 ? d->rate_per_year
                                      : 2.0 / (d->life_months / 12.0);
    return r / 12.0;
}

double gpb__dep_step(const gpb_depreciation *d, size_t j, double book)
{
    double room = book - d->salvage;
    size_t life = (size_t)d->life_months;
    if (!(room > 0.0) || j >= life)
        return 0.0;
    double c;
    if (d->method == GPB_DEPRECIATION_STRAIGHT_LINE) {
        if (j == life - 1)
            return room;
        c = (d->cost - d->salvage) / d->life_months;
    } else {
        c = book * dep_rate_month(d);
        if (d->switch_to_straight_line) {
            /* Excel's VDB: switch once the straight line over the months
               left charges more. */
            double sl = room / (double)(life - j);
            if (sl > c)
                c = sl;
        }
    }
    return c < room ? c : room;
}

gpb_status gpb__fleet_terms_init(const gpb__fleet_spec *sp,
                                 gpb__fleet_terms *t, gpb_error *err)
{
    memset(t, 0, sizeof *t);
    t->gpus = sp->gpus;
    GPB__TRY(gpb_finance_capex(sp->gpus, sp->price_per_gpu, sp->premium,
                               sp->overhead_frac, sp->overhead_per_node,
                               sp->gpus_per_node, &t->capex, err));
    t->cards = sp->gpus * sp->price_per_gpu * sp->premium;
    t->horizon = sp->horizon;
    t->buy = sp->buy_month;
    t->deliver = sp->buy_month + sp->lead_months;
    t->sell = sp->sell_month >= 0 && sp->sell_month < sp->horizon
                  ? sp->sell_month
                  : sp->horizon;
    t->financing = sp->financing;
    if (sp->financing == GPB_FINANCING_LOAN) {
        /* A term in whole months (a sampled one rounded, as every month
           of a scenario is), so the payments repay the principal. */
        double lm = floor(sp->loan_months + 0.5);
        if (lm < 1)
            lm = 1;
        t->loan_principal = sp->loan_frac * t->capex;
        t->loan_rate_month = sp->loan_rate_per_year / 12.0;
        t->loan_months = (int)lm;
        GPB__TRY(gpb_finance_loan_payment(t->loan_principal,
                                          sp->loan_rate_per_year, lm,
                                          &t->loan_payment, err));
    } else if (sp->financing == GPB_FINANCING_LEASE) {
        if (sp->lease_payment_per_month > 0.0)
            t->lease_payment = sp->lease_payment_per_month;
        else
            GPB__TRY(gpb_finance_lease_payment(
                t->capex, sp->lease_frac_per_month, &t->lease_payment, err));
    }
    t->tdp_watts = sp->tdp_watts;
    t->server_overhead = sp->server_overhead;
    t->pue = sp->pue;
    t->idle_frac = sp->idle_power_frac;
    t->tariff_per_kwh = sp->tariff_per_kwh;
    GPB__TRY(gpb_finance_colo_cost(sp->gpus, sp->tdp_watts,
                                   sp->server_overhead, sp->colo_per_kw_month,
                                   1.0, &t->colo, err));
    GPB__TRY(gpb_finance_maintenance_per_month(
        t->capex, sp->maintenance_frac_per_year, &t->maint, err));
    gpb_finance_depreciation_default(&t->dep);
    t->dep.method = sp->depreciation_method;
    t->dep.cost = t->capex;
    t->dep.salvage = sp->salvage_frac * t->capex;
    t->dep.life_months = sp->depreciation_life_months;
    t->dep.rate_per_year = sp->declining_rate_per_year;
    GPB__TRY(gpb_finance_depreciation_step(&t->dep, 0, t->capex,
                                           &(double){0}, err));
    t->resale_decline = sp->resale_decline_frac_per_year;
    t->resale_floor = sp->resale_floor_frac;
    t->rent_out_price = sp->rent_out_price_per_gpu_hour;
    t->rent_out_util = sp->rent_out_util_frac;
    return gpb__need_result(err,
                            t->capex + t->colo + t->maint + t->lease_payment +
                                t->loan_payment,
                            "a month of owning the fleet");
}

void gpb__fleet_state_init(const gpb__fleet_terms *t, gpb__fleet_state *s)
{
    s->loan_balance = t->loan_principal;
    s->book = t->financing == GPB_FINANCING_LEASE ? 0.0 : t->capex;
    s->sold = 0;
}

/* Sells the cards (the lessor keeps leased ones) and repays the loan. */
static void fleet_close(const gpb__fleet_terms *t, gpb__fleet_state *s,
                        int end, gpb__fleet_flows *f)
{
    if (t->financing != GPB_FINANCING_LEASE) {
        double age = end > t->deliver ? (double)(end - t->deliver) : 0.0;
        f->resale = gpb__resale(t->cards, age, t->resale_decline,
                                t->resale_floor);
        f->loss_on_sale = s->book - f->resale;
    }
    f->financing += s->loan_balance;
    s->loan_balance = 0;
    s->sold = 1;
}

void gpb__fleet_month(const gpb__fleet_terms *t, gpb__fleet_state *s, int m,
                      double used, double index, gpb__fleet_flows *f)
{
    memset(f, 0, sizeof *f);
    if (s->sold || m < t->buy)
        return;
    int owns = t->financing != GPB_FINANCING_LEASE;
    if (owns && m == t->buy)
        f->hardware = t->capex - t->loan_principal;
    /* Sold at the start of its month: nothing else happens then. A fleet
       sold in (or before) the month it is bought is bought and sold at
       once, at age 0: the purchase above, the sale and the loan's
       repayment below, never a sale without its purchase. */
    if (t->sell < t->horizon && m >= t->sell) {
        fleet_close(t, s, m, f);
        return;
    }
    /* Loan payments at the end of months buy .. buy + n − 1; the last
       clears the balance exactly. */
    if (t->loan_principal > 0 && m >= t->buy &&
        m < t->buy + t->loan_months && s->loan_balance > 0) {
        double i = s->loan_balance * t->loan_rate_month;
        int last = m == t->buy + t->loan_months - 1;
        double pay = last ? s->loan_balance + i : t->loan_payment;
        s->loan_balance = last ? 0.0 : s->loan_balance - (pay - i);
        f->financing += pay;
        f->interest = i;
    }
    if (m >= t->deliver && m < t->sell) {
        double g = t->gpus;
        double u = used < g ? (used > 0 ? used : 0) : g;
        double let = (g - u) * t->rent_out_util;
        double util = g > 0 ? (u + let) / g : 0.0;
        f->in_service = g;
        f->kwh = gpb__energy_kwh(g, t->tdp_watts, t->server_overhead, t->pue,
                                 t->idle_frac, util, H_MONTH);
        f->power = f->kwh * t->tariff_per_kwh;
        f->hosting = t->colo;
        f->maintenance = t->maint;
        if (t->rent_out_price > 0 && let > 0)
            f->rent_out = gpb__rent(let * H_MONTH, t->rent_out_price * index);
        double carry;
        if (owns) {
            f->depreciation = gpb__dep_step(&t->dep,
                                            (size_t)(m - t->deliver), s->book);
            s->book -= f->depreciation;
            carry = f->depreciation;
        } else {
            f->financing += t->lease_payment;
            carry = t->lease_payment;
        }
        f->ownership = carry + f->power + f->hosting + f->maintenance +
                       f->interest - f->rent_out;
    }
    if (m == t->horizon - 1)
        fleet_close(t, s, t->horizon, f);
}
