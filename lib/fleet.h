/*
 * The month step of every way of getting GPUs: renting (on demand,
 * reserved, spot) and owning (purchase, delivery, power, hosting,
 * maintenance, depreciation, financing, letting idle cards out, resale).
 * Part of the finance layer; not installed.
 *
 * This is the one cash-flow model of compute: the Monte Carlo engine calls
 * it for every path and month, and gpb_finance_rent_vs_buy_eval (the
 * deterministic `rent-vs-buy` and the spreadsheet functions) steps the
 * same functions through its months. docs/finance.md gives each formula
 * and its source; formula.h holds the one-line ones.
 *
 * Timeline. Months m = 0 .. H−1. A month's bills are paid in that month;
 * owned cards are paid in their purchase month (at its start: the one flow
 * an NPV discounts from the start of the month, see gpb__timing) and work
 * from their delivery month to the month before they are sold. At the
 * close of the horizon every obligation is settled as if the books closed:
 * cards still owned are sold at their age, a loan's balance is repaid, and
 * the rest of a reservation still running is paid out.
 *
 * rent-vs-buy's points t = 0 .. T are the same timeline read as dates:
 * point 0 is the start of month 0 (the purchase), point t the end of month
 * t − 1 (its other flows).
 */
#ifndef GPB_FLEET_H
#define GPB_FLEET_H

#include "gpubudget/common.h"
#include "gpubudget/finance.h"
#include "formula.h"

/* ---- renting ----------------------------------------------------------- */

/* How a rental is paid; GPB_RENT_ON_DEMAND, _RESERVED or _SPOT. */
typedef struct gpb__rent_terms {
    int mode;
    double price;          /* per GPU-hour at price index 1 */
    double reserved_discount_frac;
    double commitment_months;  /* whole, ≥ 1 */
    double spot_discount_frac;
    double spot_loss_frac;     /* share of spot hours lost to preemption */
} gpb__rent_terms;

/* A reservation's state: the month its commitment ends (first month after
   it) and the price locked when it began. */
typedef struct gpb__rent_state {
    int commit_end;
    double commit_price, commit_gpus;
} gpb__rent_state;

static inline void gpb__rent_state_init(gpb__rent_state *s)
{
    s->commit_end = -1;
    s->commit_price = 0;
    s->commit_gpus = 0;
}

/*
 * Rent of month m at price index `index`.
 *
 *   gpus     GPUs the workload needs this month (a reservation commits
 *            this many when it begins a commitment)
 *   useful   GPU-hours of work done on them this month (≤ gpus · 730.5 on
 *            demand; spot buys useful / (1 − loss))
 *   renew    1 when the workload still needs GPUs (a reservation starts a
 *            new commitment when the last has ended); 0 once it is done
 *
 * On demand: useful · price · index. Spot: useful / (1 − loss) · price ·
 * index · (1 − discount). Reserved: every hour of the commitment, used or
 * not, at the price when it began: gpus · 730.5 · price_then · (1 −
 * discount) each month until it ends. *hours gets the GPU-hours paid.
 */
double gpb__rent_month(const gpb__rent_terms *t, gpb__rent_state *s, int m,
                       double gpus, double useful, int renew, double index,
                       double *hours);

/* On demand, what gpb__rent_month pays for `useful` GPU-hours at price
   index `index`: useful · price · index (inline, so the engine's passes
   over lanes vectorise with it). */
static inline double gpb__rent_on_demand(double price, double useful,
                                         double index)
{
    return gpb__rent(useful, price * index);
}

/* What settling a reservation at the close of the horizon H pays: the
   months of its commitment from H on. *hours gets their GPU-hours. */
double gpb__rent_settle(const gpb__rent_terms *t, const gpb__rent_state *s,
                        int horizon, double *hours);

/* ---- owning ------------------------------------------------------------ */

/* What one owned fleet is, for one path. Fill with gpb__fleet_terms_init. */
typedef struct gpb__fleet_terms {
    double gpus;
    double capex;        /* cards (with premium), servers and network */
    double cards;        /* cards with premium: what resale is a share of */
    int buy;             /* month paid */
    int deliver;         /* first month in service (buy + lead time) */
    int sell;            /* month sold (at its start); horizon = never */
    int horizon;
    int financing;       /* a gpb_financing */
    double loan_principal, loan_rate_month, loan_payment;
    int loan_months;
    double lease_payment;
    double tdp_watts, server_overhead, pue, idle_frac, tariff_per_kwh;
    double colo;         /* a month of colocation */
    double maint;        /* a month of maintenance */
    gpb_depreciation dep;
    double resale_decline, resale_floor;
    double rent_out_price; /* per GPU-hour at price index 1; 0: never let */
    double rent_out_util;  /* share of idle hours let */
} gpb__fleet_terms;

/* What a fleet's figures are made of (the finance layer's units). */
typedef struct gpb__fleet_spec {
    double gpus, price_per_gpu, premium, overhead_frac, overhead_per_node,
        gpus_per_node;
    int buy_month, lead_months, sell_month; /* sell_month < 0: never */
    int horizon;
    double tdp_watts, server_overhead, pue, idle_power_frac, tariff_per_kwh,
        colo_per_kw_month, maintenance_frac_per_year;
    int depreciation_method;
    double depreciation_life_months, salvage_frac, declining_rate_per_year;
    double resale_decline_frac_per_year, resale_floor_frac;
    double rent_out_price_per_gpu_hour, rent_out_util_frac;
    int financing;
    double loan_frac, loan_rate_per_year, loan_months;
    double lease_frac_per_month, lease_payment_per_month;
} gpb__fleet_spec;

/* Fills t from spec, through the finance layer's checked functions
   (capex, loan payment, lease payment, depreciation check). Returns their
   status and message. */
gpb_status gpb__fleet_terms_init(const gpb__fleet_spec *spec,
                                 gpb__fleet_terms *t, gpb_error *err);

typedef struct gpb__fleet_state {
    double loan_balance;
    double book;
    int sold;
} gpb__fleet_state;

void gpb__fleet_state_init(const gpb__fleet_terms *t, gpb__fleet_state *s);

/* A fleet's month, by category. Cash flows are ≥ 0: resale and rent_out
   come in, the others go out. */
typedef struct gpb__fleet_flows {
    double hardware;     /* the purchase less what is borrowed */
    double financing;    /* loan payments (and payoff), lease payments */
    double power, hosting, maintenance;
    double rent_out;     /* income from idle cards let */
    double resale;       /* income from selling the cards */
    double depreciation; /* accounting: the month's charge */
    double interest;     /* accounting: the interest in the loan payment */
    double loss_on_sale; /* accounting: book value − resale when sold */
    double kwh;          /* energy drawn */
    double in_service;   /* cards that could work this month */
    /* What using the cards this month costs, charged to the runs by
       card-hours: depreciation (or the lease payment), power, hosting,
       maintenance and interest, less rent-out income. */
    double ownership;
} gpb__fleet_flows;

/*
 * Month m of a fleet: `used` of its cards worked (≤ in_service), idle
 * cards are let at rent_out_price · index to a share rent_out_util of
 * their hours. Settles at the close of the horizon (m = horizon − 1) or
 * sells at sell. Cards bought after the horizon never appear; cards paid
 * but not yet delivered at the close are valued at their full price (age
 * 0). s is updated.
 */
void gpb__fleet_month(const gpb__fleet_terms *t, gpb__fleet_state *s, int m,
                      double used, double index, gpb__fleet_flows *f);

/* The cards in service in month m (0 before delivery and once sold). */
static inline double gpb__fleet_available(const gpb__fleet_terms *t,
                                          const gpb__fleet_state *s, int m)
{
    return m >= t->deliver && m < t->sell && !s->sold ? t->gpus : 0.0;
}

/* Depreciation charge of month j of service given the book value at its
   start (finance.c's schedule, exposed for the month step). */
double gpb__dep_step(const gpb_depreciation *d, size_t j, double book);

/* NPV timing of a flow: 0 when paid at the start of its month (a
   purchase), 1 at its end (everything else). */
#define GPB__AT_START 0.0
#define GPB__AT_END 1.0

#endif /* GPB_FLEET_H */
