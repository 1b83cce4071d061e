/*
 * gpubudget/finance.h: renting versus buying GPUs, as plain functions of
 * numbers: depreciation, resale, power and colocation, maintenance, loans
 * and leases, on-demand / reserved / spot rent, net present value, a
 * month-by-month comparison of the two options and its break-even points.
 *
 * The layer is pure: no global state, safe from any thread. Only the
 * *_flows_alloc function allocates; the break-even solvers use GSL's Brent
 * root finder on a bracket they have checked first, so GSL's error handler
 * is never reached. docs/finance.md gives every formula, default and source.
 *
 * Conventions shared by every function below (as in compute.h):
 *
 *   - Results come back through out-parameters; the return value is a
 *     gpb_status. On failure the out-parameters are left untouched (except
 *     where a function says otherwise) and err, which may be NULL, names the
 *     offending argument or field in its message.
 *   - GPB_EINVAL: a NULL pointer, a NaN or infinite argument, a negative
 *     value, zero where the argument must be positive, a count of months
 *     that is not whole, an unknown enum value.
 *   - GPB_ERANGE: an argument of the right sign beyond its upper limit (a
 *     fraction above 1, a horizon above GPB_FINANCE_MONTHS_MAX), an array
 *     too short, or a result that overflows.
 *   - Units are in the names: _months (730.5 h, GPB_HOURS_PER_MONTH),
 *     _hours, _watts, _kwh, _frac (a fraction in [0, 1] unless stated),
 *     _per_year (an annual rate: 0.12 is 12% a year).
 *   - Money is currency-agnostic: pass every amount of one calculation in
 *     one currency and the result is in that currency. The default figures
 *     below are in US dollars.
 *   - Cash flows are costs: positive is money leaving, negative (resale,
 *     renting idle cards out) money coming in.
 */
#ifndef GPUBUDGET_FINANCE_H
#define GPUBUDGET_FINANCE_H

#include <stddef.h>

#include "gpubudget/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Limits and default figures                                                */
/* ------------------------------------------------------------------------ */

/* The longest horizon, depreciation life or loan term accepted: 100 years. */
#define GPB_FINANCE_MONTHS_MAX 1200.0

/*
 * Power usage effectiveness (facility power / IT power): the industry
 * average of the Uptime Institute Global Data Center Survey 2023 (July
 * 2023; "in 2023, industry average PUE stood at 1.58", Uptime Intelligence
 * update 221, 2023-11-23). New AI halls run lower; pass your site's figure.
 */
#define GPB_FINANCE_PUE_DEFAULT 1.58

/*
 * Whole-server power per watt of GPU TDP. NVIDIA DGX H100: maximum system
 * power 10.2 kW (DGX H100 datasheet, 2023; DGX H100/H200 user guide: six
 * 3.3 kW supplies, 10.2 kW maximum input) for eight 700 W GPUs (5.6 kW):
 * 10.2 / 5.6 = 1.82. A nameplate maximum, so it is generous for energy
 * (typical draw is lower) and right for the kW a colocation contract
 * provisions.
 */
#define GPB_FINANCE_SERVER_POWER_OVERHEAD_DEFAULT 1.82

/*
 * Power drawn by an idle server as a fraction of its full-load draw.
 * NVIDIA Datacenter Power Service documentation, "Device Specifications"
 * (docs.nvidia.com/datacenter/dps, 2025): the GB200 compute tray's idle
 * fallback is 1,000 W of a 6,667 W maximum load (0.150); its GPU's minimum
 * load is 200 W of 1,200 W (0.167).
 */
#define GPB_FINANCE_IDLE_POWER_FRAC_DEFAULT 0.15

/*
 * Electricity tariff in US dollars per kWh: the US average retail price to
 * industrial customers in 2023, 8.06 cents/kWh (EIA, Electric Power Annual
 * with data for 2023, released 2024-10-17; the same figure in EIA's series
 * as charted by Statista, 2024-03-18).
 */
#define GPB_FINANCE_TARIFF_USD_PER_KWH_DEFAULT 0.0806

/*
 * Colocation, US dollars per kW of provisioned IT power per month, energy
 * billed separately. An assumption at the low end of published ranges:
 * wholesale (1 MW+) $140-160 per kW-month in tier-1 US markets
 * (v2-pseo-ai.pages.dev/colocation/pricing, January 2026); 250-500 kW
 * deployments approaching $196 per kW-month in H2 2025 (Encor Advisors,
 * "Data Center Colocation Pricing", 2026). Not verified against
 * SemiAnalysis.
 */
#define GPB_FINANCE_COLO_USD_PER_KW_MONTH_DEFAULT 150.0

/*
 * Maintenance and support per year as a fraction of capex. An assumption
 * at the low end of the rule of thumb for hardware service contracts:
 * "10% to 30% in extra cost per year on top of the equipment purchase
 * price" (TechTarget, "How to make the most of hardware service
 * contracts", undated, read 2026); "between 10 and 12 percent of the total
 * purchase price" a year (Library Technology Guides, document 7428).
 */
#define GPB_FINANCE_MAINTENANCE_FRAC_PER_YEAR_DEFAULT 0.10

/*
 * Servers, network and installation as a fraction of the card price, for
 * a price the caller gives. An assumption calibrated for a per-card price
 * that already includes its share of the server (DGX H100 at $33,750 per
 * GPU): 1.30 × $33,750 = $43,875 per GPU, against $42,997 per GPU for HGX
 * nodes ($310k each) plus InfiniBand switches and cables for 1,024 H100s
 * ((39.68M + 1.728M + 2.621M) / 1024; tech-talk-cto.com "H100
 * Freakonomics" spreadsheet, August 2024). The catalog's purchase prices
 * are for the card alone, so with them the reports use the card's own
 * server_frac instead (hardware.h): a bare card needs more, $310k / 8 =
 * $38,750 per GPU against $25-30k a card.
 */
#define GPB_FINANCE_OVERHEAD_FRAC_DEFAULT 0.30

/* GPUs per server node: NVIDIA's HGX/DGX baseboards hold 8. */
#define GPB_FINANCE_GPUS_PER_NODE_DEFAULT 8.0

/*
 * Depreciation life in months: 5 years, as Amazon (servers, from
 * 2022-01-01) and Meta (servers and network, from Q4 2022) state in their
 * 2022 10-K filings; Microsoft and Alphabet moved to 6 years in 2022-23.
 */
#define GPB_FINANCE_DEPRECIATION_LIFE_MONTHS_DEFAULT 60.0

/*
 * Resale value lost per year, compounding. An assumption consistent with
 * secondary-market estimates that an H100 keeps 25-35% of its price after
 * 36 months ("GPU Lease Rate Index" figures at
 * v2-pseo-ai.pages.dev/residual/h100-depreciation-calculator, 2026-01-08;
 * unaudited): (1 - 0.30)^3 = 0.343.
 */
#define GPB_FINANCE_RESALE_DECLINE_FRAC_PER_YEAR_DEFAULT 0.30

/* Annual discount rate for NPV: an assumption (no source), 12% a year. */
#define GPB_FINANCE_DISCOUNT_RATE_PER_YEAR_DEFAULT 0.12

/* Utilisation of the GPUs: an assumption (no source), 70% of the hours. */
#define GPB_FINANCE_UTIL_FRAC_DEFAULT 0.70

/*
 * Reserved capacity: the discount of a 1-year commitment on on-demand
 * prices, "~40%" (Yobitel knowledge base, "Reserved vs spot", read 2026;
 * 30-55% for reserved instances per computingpower.org, 2026-04-30).
 */
#define GPB_FINANCE_RESERVED_DISCOUNT_FRAC_DEFAULT 0.40
#define GPB_FINANCE_RESERVED_COMMITMENT_MONTHS_DEFAULT 12.0

/*
 * Spot capacity: discount on on-demand prices, the low end of the "50-90%"
 * range (computingpower.org, "On-demand vs reserved vs spot", 2026-04-30).
 * The work lost to preemption (0.10) is an assumption: it depends on the
 * checkpoint interval (see risk.h).
 */
#define GPB_FINANCE_SPOT_DISCOUNT_FRAC_DEFAULT 0.60
#define GPB_FINANCE_SPOT_PREEMPTION_LOSS_FRAC_DEFAULT 0.10

/*
 * Loans: assumptions. 70% of capex borrowed (lenders "usually advance
 * 60-70% of the hardware purchase price", v2-pseo-ai.pages.dev GPU
 * residual guide, 2026; unaudited), at 12% a year over 36 months.
 */
#define GPB_FINANCE_LOAN_FRAC_DEFAULT 0.70
#define GPB_FINANCE_LOAN_RATE_PER_YEAR_DEFAULT 0.12
#define GPB_FINANCE_LOAN_MONTHS_DEFAULT 36.0

/*
 * Lease payment per month as a fraction of capex: an assumption, the
 * payment of a 36-month full-payout lease at 12% a year,
 * 0.01 / (1 - 1.01^-36) = 0.033214.
 */
#define GPB_FINANCE_LEASE_FRAC_PER_MONTH_DEFAULT 0.033214

/* ------------------------------------------------------------------------ */
/* Depreciation                                                              */
/* ------------------------------------------------------------------------ */

/* Depreciation methods; the values are never renumbered. */
typedef enum gpb_depreciation_method {
    GPB_DEPRECIATION_STRAIGHT_LINE = 0,
    GPB_DEPRECIATION_DECLINING_BALANCE = 1
} gpb_depreciation_method;

/*
 * A depreciation schedule. Transparent; fill it with
 * gpb_finance_depreciation_default() first.
 *
 *   method             a gpb_depreciation_method
 *   cost               amount capitalised (>= 0)
 *   salvage            value at the end of life (0 <= salvage <= cost)
 *   life_months        a whole number of months in [1, 1200]
 *   rate_per_year      declining balance only: the annual rate, in
 *                      (0, 12]; 0 means double declining, 2 / (life in
 *                      years). Ignored for straight line.
 *   switch_to_straight_line
 *                      declining balance only: 1 (default) charges the
 *                      larger of the declining charge and the straight
 *                      line over the remaining life, so the book value
 *                      reaches salvage at the end of life (Excel's VDB);
 *                      0 keeps the declining charge, and whatever is above
 *                      salvage at the end of life stays on the books.
 */
typedef struct gpb_depreciation {
    gpb_depreciation_method method;
    double cost;
    double salvage;
    double life_months;
    double rate_per_year;
    int switch_to_straight_line;
} gpb_depreciation;

/*
 * Defaults: straight line, cost 0, salvage 0, life 60 months
 * (GPB_FINANCE_DEPRECIATION_LIFE_MONTHS_DEFAULT), rate 0 (double
 * declining), switch_to_straight_line 1. Accepts NULL.
 */
GPB_API void gpb_finance_depreciation_default(gpb_depreciation *d);

/*
 * The charge in month `month` (0-based: month 0 is the first month of
 * service) and the book value after it.
 *
 * Straight line: (cost - salvage) / life each month of the life, 0 after.
 * Declining balance: each month book · rate_per_year / 12, never taking
 * the book value below salvage, with the switch described above; 0 after
 * the life. Months beyond the life return charge 0 and the final book.
 *
 *   d           the schedule (borrowed)
 *   month       0-based month index (any value; cost O(month) for
 *               declining balance)
 *   charge      out, may be NULL: the month's depreciation charge
 *   book_after  out, may be NULL: the book value at the end of the month
 *
 * Returns GPB_OK or GPB_EINVAL / GPB_ERANGE for a field out of its domain
 * (the message names it, e.g. "depreciation.life_months").
 */
GPB_API gpb_status gpb_finance_depreciation_month(const gpb_depreciation *d,
                                                  size_t month,
                                                  double *charge,
                                                  double *book_after,
                                                  gpb_error *err);

/*
 * Fills charge[m] and book_after[m] for months m = 0 .. n_months - 1, as
 * gpb_finance_depreciation_month. Either array may be NULL (not both
 * unless n_months is 0). Returns as gpb_finance_depreciation_month.
 */
GPB_API gpb_status gpb_finance_depreciation_schedule(
    const gpb_depreciation *d, size_t n_months, double *charge,
    double *book_after, gpb_error *err);

/*
 * One month of a schedule in O(1): the charge of month `month` (0-based)
 * when the book value at its start is book_before, as the two functions
 * above compute it. Walk a schedule by starting from d->cost and
 * subtracting each charge; a simulator stepping month by month keeps the
 * book value itself instead of paying O(month) per call.
 *
 *   book_before  book value at the start of the month (>= 0)
 *   charge       out
 *
 * Returns GPB_OK or GPB_EINVAL / GPB_ERANGE for a bad field or argument.
 */
GPB_API gpb_status gpb_finance_depreciation_step(const gpb_depreciation *d,
                                                 size_t month,
                                                 double book_before,
                                                 double *charge,
                                                 gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Resale and later generations                                              */
/* ------------------------------------------------------------------------ */

/*
 * Resale value of a card (or anything) bought for price, age_months old:
 *
 *   value = price · max((1 - decline_frac_per_year)^(age_months / 12),
 *                       floor_frac)
 *
 *   price                  (>= 0)
 *   age_months             (>= 0; need not be whole)
 *   decline_frac_per_year  in [0, 1]; 1 makes any age above 0 worth
 *                          nothing (before the floor)
 *   floor_frac             in [0, 1]; 0 for no floor
 *   value                  out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_resale_value(double price, double age_months,
                                            double decline_frac_per_year,
                                            double floor_frac, double *value,
                                            gpb_error *err);

/*
 * The price of a card `generations` generations later, each generation
 * changing the price by change_frac_per_generation (-0.2 is 20% cheaper,
 * 0.5 is 50% dearer): price · (1 + change)^generations.
 *
 *   price                       (>= 0)
 *   change_frac_per_generation  (> -1)
 *   generations                 (>= 0; need not be whole)
 *   out                         out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_finance_generation_price(
    double price, double change_frac_per_generation, double generations,
    double *out, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Owning: capex, power, colocation, maintenance                             */
/* ------------------------------------------------------------------------ */

/*
 * What buying costs up front:
 *
 *   capex = gpus · price · premium
 *         + gpus · price · overhead_frac
 *         + ceil(gpus / gpus_per_node) · overhead_per_node
 *
 * The premium (an export or scarcity markup, 1 for none) applies to the
 * cards only; servers and network are bought at their own price.
 *
 *   gpus               (> 0)
 *   price_per_gpu      price of one card (>= 0)
 *   premium            multiplier on the card price (> 0)
 *   overhead_frac      servers and network per unit of card price (>= 0)
 *   overhead_per_node  servers and network per node (>= 0)
 *   gpus_per_node      (> 0)
 *   capex              out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_finance_capex(double gpus, double price_per_gpu,
                                     double premium, double overhead_frac,
                                     double overhead_per_node,
                                     double gpus_per_node, double *capex,
                                     gpb_error *err);

/*
 * The fraction of full-load power drawn at utilisation util_frac:
 * idle_power_frac + (1 - idle_power_frac) · util_frac (a linear model
 * between idle and full load).
 *
 *   util_frac, idle_power_frac  in [0, 1]
 *   draw_frac                   out, in [idle_power_frac, 1]
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_power_draw_frac(double util_frac,
                                               double idle_power_frac,
                                               double *draw_frac,
                                               gpb_error *err);

/*
 * Energy taken from the grid by gpus GPUs over hours:
 *
 *   kwh = gpus · tdp_watts · server_overhead · pue · hours
 *         · draw_frac(util_frac, idle_power_frac) / 1000
 *
 *   gpus             (>= 0)
 *   tdp_watts        one GPU's board power (>= 0)
 *   server_overhead  server power per watt of GPU TDP (> 0), see
 *                    GPB_FINANCE_SERVER_POWER_OVERHEAD_DEFAULT
 *   pue              facility power / IT power (>= 1)
 *   idle_power_frac  in [0, 1]
 *   util_frac        in [0, 1]
 *   hours            (>= 0)
 *   kwh              out
 *
 * Returns GPB_OK, GPB_EINVAL (pue < 1 included) or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_energy_kwh(double gpus, double tdp_watts,
                                          double server_overhead, double pue,
                                          double idle_power_frac,
                                          double util_frac, double hours,
                                          double *kwh, gpb_error *err);

/*
 * Electricity cost: gpb_finance_energy_kwh(...) · tariff_per_kwh. Arguments
 * as that function, plus tariff_per_kwh (>= 0). Returns as it does.
 */
GPB_API gpb_status gpb_finance_power_cost(double gpus, double tdp_watts,
                                          double server_overhead, double pue,
                                          double idle_power_frac,
                                          double util_frac, double hours,
                                          double tariff_per_kwh,
                                          double *cost, gpb_error *err);

/*
 * Colocation: provisioned IT kW × price per kW-month × months, with
 * provisioned kW = gpus · tdp_watts · server_overhead / 1000. PUE is not
 * applied: colocation is priced per kW of IT load with cooling included;
 * the energy itself is billed by gpb_finance_power_cost.
 *
 *   gpus, tdp_watts   (>= 0);  server_overhead (> 0)
 *   price_per_kw_month  (>= 0)
 *   months              (>= 0; need not be whole)
 *   cost                out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_colo_cost(double gpus, double tdp_watts,
                                         double server_overhead,
                                         double price_per_kw_month,
                                         double months, double *cost,
                                         gpb_error *err);

/*
 * Maintenance per month: capex · frac_per_year / 12.
 *
 *   capex          (>= 0);  frac_per_year in [0, 1]
 *   cost           out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_maintenance_per_month(double capex,
                                                     double frac_per_year,
                                                     double *cost,
                                                     gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Financing                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * The level monthly payment of a loan (an annuity in arrears):
 *
 *   payment = P · r / (1 - (1 + r)^-n),  r = rate_per_year / 12
 *   payment = P / n                      when r = 0
 *
 *   principal      P (>= 0)
 *   rate_per_year  nominal annual rate (>= 0), compounded monthly
 *   months         n, a whole number in [1, 1200]
 *   payment        out
 *
 * $100,000 at 12% a year over 12 months pays $8,884.88 a month.
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_loan_payment(double principal,
                                            double rate_per_year,
                                            double months, double *payment,
                                            gpb_error *err);

/*
 * A loan's schedule for payments k = 1 .. months, in arrays indexed k - 1:
 * interest[k-1] = balance before · r, principal_paid[k-1] = payment -
 * interest, balance[k-1] = balance after the payment (0 after the last,
 * exactly). Any array may be NULL. Arguments as gpb_finance_loan_payment;
 * each array, when given, holds at least `months` elements.
 */
GPB_API gpb_status gpb_finance_loan_schedule(double principal,
                                             double rate_per_year,
                                             double months, double *interest,
                                             double *principal_paid,
                                             double *balance,
                                             gpb_error *err);

/*
 * A lease's monthly payment: capex · frac_per_month.
 *
 *   capex (>= 0);  frac_per_month in [0, 1];  payment out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_lease_payment(double capex,
                                             double frac_per_month,
                                             double *payment,
                                             gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Renting                                                                   */
/* ------------------------------------------------------------------------ */

/* How rented GPUs are paid for; the values are never renumbered. */
typedef enum gpb_rent_mode {
    GPB_RENT_ON_DEMAND = 0, /* the hours used, at the list price */
    GPB_RENT_RESERVED = 1,  /* every hour of a commitment, discounted */
    GPB_RENT_SPOT = 2       /* used hours plus work lost to preemption,
                               discounted */
} gpb_rent_mode;

/*
 * Reserved capacity: every hour of whole commitments is paid, used or not:
 *
 *   cost = gpus · 730.5 · ceil(months / commitment_months)
 *          · commitment_months · price · (1 - discount_frac)
 *
 *   gpus               (>= 0)
 *   months             months the GPUs are needed (>= 0)
 *   commitment_months  a whole number in [1, 1200]
 *   price_per_gpu_hour the on-demand price (>= 0)
 *   discount_frac      in [0, 1]
 *   cost               out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_rent_reserved_cost(
    double gpus, double months, double commitment_months,
    double price_per_gpu_hour, double discount_frac, double *cost,
    gpb_error *err);

/*
 * GPU-hours to buy on spot to get `hours` of useful work when a fraction
 * preemption_loss_frac of the hours bought is lost to preemption:
 * hours / (1 - preemption_loss_frac).
 *
 *   hours (>= 0);  preemption_loss_frac in [0, 1);  hours_needed out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE (loss 1 or more).
 */
GPB_API gpb_status gpb_finance_spot_hours_needed(double hours,
                                                 double preemption_loss_frac,
                                                 double *hours_needed,
                                                 gpb_error *err);

/*
 * Spot rent for gpu_hours of useful work:
 * gpb_finance_spot_hours_needed(gpu_hours) · price · (1 - discount_frac).
 *
 *   gpu_hours (>= 0);  price_per_gpu_hour the on-demand price (>= 0)
 *   discount_frac in [0, 1];  preemption_loss_frac in [0, 1)
 *   cost out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE. (On-demand rent is
 * gpb_compute_rent_cost.)
 */
GPB_API gpb_status gpb_finance_rent_spot_cost(double gpu_hours,
                                              double price_per_gpu_hour,
                                              double discount_frac,
                                              double preemption_loss_frac,
                                              double *cost, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Discounting                                                               */
/* ------------------------------------------------------------------------ */

/* When in its month a monthly cash flow is paid. */
typedef enum gpb_cash_timing {
    GPB_CASH_END_OF_MONTH = 0,  /* flow i is paid i + 1 months from now */
    GPB_CASH_START_OF_MONTH = 1 /* flow i is paid i months from now */
} gpb_cash_timing;

/*
 * The monthly rate equivalent to an annual one: (1 + r)^(1/12) - 1.
 *
 *   rate_per_year (> -1);  rate_per_month out
 *
 * Returns GPB_OK, GPB_EINVAL or GPB_ERANGE.
 */
GPB_API gpb_status gpb_finance_monthly_rate(double rate_per_year,
                                            double *rate_per_month,
                                            gpb_error *err);

/*
 * Net present value of monthly cash flows:
 *
 *   npv = Σ_i cash[i] · (1 + rate_per_year)^(-t_i / 12)
 *
 * with t_i = i + 1 (GPB_CASH_END_OF_MONTH) or i (GPB_CASH_START_OF_MONTH).
 * Twelve payments of 100 at 12% a year: 1,129.15 at the end of each month,
 * 1,139.87 at the start.
 *
 *   cash           n flows (borrowed; may be NULL when n is 0), finite
 *   n              number of flows
 *   rate_per_year  (> -1)
 *   timing         a gpb_cash_timing
 *   npv            out
 *
 * Returns GPB_OK, GPB_EINVAL (a flow not finite: the message names its
 * index) or GPB_ERANGE (overflow).
 */
GPB_API gpb_status gpb_finance_npv(const double *cash, size_t n,
                                   double rate_per_year, int timing,
                                   double *npv, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Rent versus buy                                                           */
/* ------------------------------------------------------------------------ */

/* How bought GPUs are paid for; the values are never renumbered. */
typedef enum gpb_financing {
    GPB_FINANCING_CASH = 0,  /* capex paid at month 0 */
    GPB_FINANCING_LOAN = 1,  /* part borrowed, repaid as an annuity */
    GPB_FINANCING_LEASE = 2  /* no purchase: a monthly payment */
} gpb_financing;

/*
 * The inputs of one rent-versus-buy comparison: G GPUs needed for a horizon
 * of T months at utilisation u. Transparent: fill it with
 * gpb_finance_rent_vs_buy_default() and set at least gpus, months,
 * rent_price_per_gpu_hour, price_per_gpu and tdp_watts. A Monte Carlo
 * caller fills one per path; evaluating it allocates nothing.
 *
 * The timeline has points t = 0 .. T, t months from now. Point 0 is today:
 * the purchase is paid there. Month m (1 .. T) runs from point m - 1 to m
 * and its bills are paid at its end, point m. At the horizon (point T)
 * everything is settled: owned cards are sold, a loan's balance repaid and
 * reserved commitments still running paid out.
 *
 * The work:
 *   gpus          G (> 0)
 *   months        T, a whole number in [1, 1200]
 *   util_frac     u, the fraction of each month's hours the G GPUs work,
 *                 in [0, 1] (default 0.70, an assumption)
 *
 * Renting (months 1..T):
 *   rent_price_per_gpu_hour  the on-demand price p (>= 0)
 *   rent_price_change_frac_per_year
 *                 p changes by this fraction a year, compounding monthly
 *                 from month 1 (> -1; default 0, flat: an assumption)
 *   rent_mode     a gpb_rent_mode (default on-demand):
 *                   on-demand  G · 730.5 · u · p_m a month
 *                   reserved   G · 730.5 · p · (1 - reserved_discount_frac)
 *                              a month, used or not, p fixed at the start
 *                              of each commitment; the rest of the last
 *                              commitment is paid at point T
 *                   spot       G · 730.5 · u / (1 - spot_preemption_loss)
 *                              · p_m · (1 - spot_discount_frac)
 *   reserved_discount_frac       in [0, 1] (default 0.40)
 *   reserved_commitment_months   whole, in [1, 1200] (default 12)
 *   spot_discount_frac           in [0, 1] (default 0.60)
 *   spot_preemption_loss_frac    in [0, 1) (default 0.10)
 *
 * Buying:
 *   price_per_gpu       one card's price (>= 0)
 *   premium             export/scarcity multiplier on the card price
 *                       (> 0; default 1)
 *   overhead_frac       servers and network per unit of card price
 *                       (>= 0; default 0.30)
 *   overhead_per_node   servers and network per node (>= 0; default 0)
 *   gpus_per_node       (> 0; default 8)
 *                       capex: see gpb_finance_capex
 *   lead_time_months    L, whole, in [0, T] (default 0): the cards are
 *                       paid at point 0 and work from month L + 1; the
 *                       work of months 1..L is rented (at the on-demand
 *                       price, or spot terms in spot mode: a reservation
 *                       does not fit a bridge)
 *   tdp_watts           one GPU's TDP (>= 0)
 *   server_overhead     (> 0; default 1.82)
 *   pue                 (>= 1; default 1.58)
 *   idle_power_frac     in [0, 1] (default 0.15)
 *   tariff_per_kwh      (>= 0; default $0.0806)
 *   colo_per_kw_month   (>= 0; default $150); power, colocation and
 *                       maintenance run from month L + 1
 *   maintenance_frac_per_year  of capex, in [0, 1] (default 0.10)
 *   depreciation_method        a gpb_depreciation_method (straight line)
 *   depreciation_life_months   whole, in [1, 1200] (default 60)
 *   salvage_frac        accounting salvage value per unit of capex, in
 *                       [0, 1] (default 0)
 *   declining_rate_per_year    declining balance rate (0 = double
 *                       declining; see gpb_depreciation)
 *   resale_decline_frac_per_year  in [0, 1] (default 0.30): the cards
 *                       (price · premium · G) are sold at point T at
 *                       age T - L (not at all when L = T: they arrive
 *                       only as the horizon ends); servers and network
 *                       are assumed to fetch nothing (an assumption)
 *   resale_floor_frac   in [0, 1] (default 0)
 *   rent_out_price_per_gpu_hour  price at which idle owned hours are let
 *                       (>= 0; default 0); it follows the rent price's
 *                       yearly change
 *   rent_out_util_frac  fraction of the idle hours G · 730.5 · (1 - u)
 *                       let out, in [0, 1] (default 0); let hours draw
 *                       power like used ones
 *
 * Financing:
 *   financing           a gpb_financing (default cash)
 *   loan_frac           of capex borrowed at point 0, in [0, 1] (0.70)
 *   loan_rate_per_year  (>= 0; default 0.12)
 *   loan_months         whole, in [1, 1200] (default 36); payments from
 *                       point 1; the balance left at T is repaid at T
 *   lease_frac_per_month  lease payment per unit of capex, in [0, 1]
 *                       (default 0.033214), paid months L+1..T; the
 *                       lessor keeps the cards (no resale, no
 *                       depreciation); maintenance is still paid
 *   lease_payment_per_month  when > 0, the lease payment itself (>= 0)
 *
 * Discounting:
 *   discount_rate_per_year   (> -1; default 0.12): NPV = Σ_t cash[t] ·
 *                            (1 + r)^(-t/12) over points t = 0..T
 */
typedef struct gpb_rent_vs_buy {
    double gpus;
    double months;
    double util_frac;

    double rent_price_per_gpu_hour;
    double rent_price_change_frac_per_year;
    gpb_rent_mode rent_mode;
    double reserved_discount_frac;
    double reserved_commitment_months;
    double spot_discount_frac;
    double spot_preemption_loss_frac;

    double price_per_gpu;
    double premium;
    double overhead_frac;
    double overhead_per_node;
    double gpus_per_node;
    double lead_time_months;
    double tdp_watts;
    double server_overhead;
    double pue;
    double idle_power_frac;
    double tariff_per_kwh;
    double colo_per_kw_month;
    double maintenance_frac_per_year;
    gpb_depreciation_method depreciation_method;
    double depreciation_life_months;
    double salvage_frac;
    double declining_rate_per_year;
    double resale_decline_frac_per_year;
    double resale_floor_frac;
    double rent_out_price_per_gpu_hour;
    double rent_out_util_frac;

    gpb_financing financing;
    double loan_frac;
    double loan_rate_per_year;
    double loan_months;
    double lease_frac_per_month;
    double lease_payment_per_month;

    double discount_rate_per_year;
} gpb_rent_vs_buy;

/*
 * Fills in with the defaults listed above (the GPB_FINANCE_*_DEFAULT
 * figures, in US dollars); gpus, months, rent_price_per_gpu_hour,
 * price_per_gpu and tdp_watts are 0 and must be set. Accepts NULL.
 */
GPB_API void gpb_finance_rent_vs_buy_default(gpb_rent_vs_buy *in);

/*
 * Checks every field of in. Returns GPB_OK, or GPB_EINVAL / GPB_ERANGE with
 * a message naming the first bad field ("rent_vs_buy.util_frac (1.5) must
 * be a fraction in [0, 1]"). The functions below call it first.
 */
GPB_API gpb_status gpb_finance_rent_vs_buy_check(const gpb_rent_vs_buy *in,
                                                 gpb_error *err);

/* Categories of the buy option's cash, for buy_by_category below. */
typedef enum gpb_rvb_category {
    GPB_RVB_HARDWARE = 0,    /* capex paid in cash (less any loan) */
    GPB_RVB_FINANCING = 1,   /* loan payments and payoff, lease payments */
    GPB_RVB_BRIDGE_RENT = 2, /* rent during the lead time */
    GPB_RVB_POWER = 3,
    GPB_RVB_COLO = 4,
    GPB_RVB_MAINTENANCE = 5,
    GPB_RVB_RENT_OUT = 6,    /* income from idle hours let (negative) */
    GPB_RVB_RESALE = 7,      /* sale of the cards at the horizon (neg.) */
    GPB_RVB_CATEGORY_COUNT = 8
} gpb_rvb_category;

/*
 * Static lower-case name of a category ("hardware", "financing",
 * "bridge_rent", "power", "colo", "maintenance", "rent_out", "resale"), or
 * "unknown". Never NULL.
 */
GPB_API const char *gpb_finance_rvb_category_name(gpb_rvb_category category);

/*
 * Month-by-month flows of a comparison, over points t = 0 .. T (so
 * n_points >= T + 1). Every array is caller-owned (or from
 * gpb_finance_rent_vs_buy_flows_alloc) and may be NULL to skip it.
 *
 *   rent_cash        cash of the rent option at each point (its accounting
 *                    view is the same: rent is an expense when paid)
 *   buy_cash         cash view of the buy option: when money leaves
 *   buy_accounting   accounting view: bridge rent, power, colocation,
 *                    maintenance, interest, lease payments and
 *                    depreciation less rent-out income, plus at point T
 *                    the loss on sale (book value - resale; a gain is
 *                    negative). Capex is not an expense when paid.
 *                    Σ buy_accounting = Σ buy_cash.
 *   buy_by_category  n_points · GPB_RVB_CATEGORY_COUNT values, row-major:
 *                    [t · GPB_RVB_CATEGORY_COUNT + c]; each row sums to
 *                    buy_cash[t]
 */
typedef struct gpb_rent_vs_buy_flows {
    size_t n_points;
    double *rent_cash;
    double *buy_cash;
    double *buy_accounting;
    double *buy_by_category;
} gpb_rent_vs_buy_flows;

/*
 * Totals of a comparison. Cash sums run over points 0..T, undiscounted.
 *
 *   rent_gpu_hours_paid  GPU-hours the rent option pays for
 *   rent_cash, rent_npv
 *   capex, capex_cards   capex and its cards-with-premium part (under
 *                        a lease, the equipment's value: not paid)
 *   loan_principal, interest, lease_payments
 *   bridge_rent, power, energy_kwh, colo, maintenance
 *   rent_out_income      income from letting idle hours (>= 0)
 *   resale_proceeds      sale of the cards at T (>= 0)
 *   depreciation         Σ depreciation charges (accounting)
 *   book_value_end       book value at T before the sale
 *   loss_on_sale         book_value_end - resale_proceeds
 *   buy_cash, buy_accounting, buy_npv
 *   npv_buy_minus_rent   buy_npv - rent_npv: negative when buying is
 *                        cheaper
 */
typedef struct gpb_rent_vs_buy_totals {
    double rent_gpu_hours_paid;
    double rent_cash;
    double rent_npv;
    double capex;
    double capex_cards;
    double loan_principal;
    double interest;
    double lease_payments;
    double bridge_rent;
    double power;
    double energy_kwh;
    double colo;
    double maintenance;
    double rent_out_income;
    double resale_proceeds;
    double depreciation;
    double book_value_end;
    double loss_on_sale;
    double buy_cash;
    double buy_accounting;
    double buy_npv;
    double npv_buy_minus_rent;
} gpb_rent_vs_buy_totals;

/*
 * Evaluates a comparison: totals and, when flows is not NULL, its non-NULL
 * arrays for points 0..T (entries beyond T are left untouched). Allocates
 * nothing.
 *
 *   in      the inputs (borrowed)
 *   totals  out, may be NULL
 *   flows   in/out, may be NULL; flows->n_points must be at least T + 1
 *           when any of its arrays is not NULL
 *
 * Returns GPB_OK; GPB_EINVAL / GPB_ERANGE for a bad field (see
 * gpb_finance_rent_vs_buy_check); GPB_ERANGE when the arrays are too short
 * or a total overflows.
 */
GPB_API gpb_status gpb_finance_rent_vs_buy_eval(const gpb_rent_vs_buy *in,
                                                gpb_rent_vs_buy_totals *totals,
                                                gpb_rent_vs_buy_flows *flows,
                                                gpb_error *err);

/*
 * Allocates every array of flows for in's horizon (n_points = T + 1,
 * zero-filled). Each array is new: free each with gpb_free(), or all of
 * them with gpb_finance_rent_vs_buy_flows_free().
 *
 * Returns GPB_OK; GPB_EINVAL (NULL, bad months); GPB_ERANGE (months above
 * the limit); GPB_ENOMEM (nothing is left allocated).
 */
GPB_API gpb_status gpb_finance_rent_vs_buy_flows_alloc(
    const gpb_rent_vs_buy *in, gpb_rent_vs_buy_flows *flows,
    gpb_error *err);

/* Frees every array of flows with gpb_free and zeroes it. Accepts NULL. */
GPB_API void gpb_finance_rent_vs_buy_flows_free(gpb_rent_vs_buy_flows *flows);

/* ------------------------------------------------------------------------ */
/* Break-even                                                                */
/* ------------------------------------------------------------------------ */

/* What a break-even search found; the values are never renumbered. */
typedef enum gpb_breakeven_outcome {
    GPB_BREAKEVEN_FOUND = 0,         /* value is the break-even point */
    GPB_BREAKEVEN_BUY_CHEAPER = 1,   /* buying is cheaper everywhere */
    GPB_BREAKEVEN_RENT_CHEAPER = 2,  /* renting is cheaper everywhere */
    GPB_BREAKEVEN_EQUAL = 3          /* the two cost the same everywhere */
} gpb_breakeven_outcome;

/*
 * The result of a break-even search.
 *
 *   outcome            a gpb_breakeven_outcome
 *   value              the break-even utilisation (a fraction) or months;
 *                      NaN unless outcome is FOUND
 *   buy_cheaper_above  1 when buying is the cheaper option just above
 *                      value, 0 when renting is
 */
typedef struct gpb_breakeven {
    int outcome;
    double value;
    int buy_cheaper_above;
} gpb_breakeven;

/*
 * Static sentence for an outcome of a break-even search over what ("the
 * utilisation" or "the horizon"): "found", "buying is cheaper at any
 * utilisation", "renting is cheaper at any utilisation", "the two cost the
 * same at any utilisation" (with "over the whole horizon" in place of "at
 * any utilisation" when months is nonzero). Never NULL; "unknown outcome"
 * for other values.
 */
GPB_API const char *gpb_finance_breakeven_outcome_str(int outcome,
                                                      int months);

/*
 * The break-even utilisation u* in (0, 1] where NPV_buy(u) = NPV_rent(u),
 * in->util_frac being ignored. f(u) = NPV_buy - NPV_rent is tabulated on
 * 64 equal steps of [0, 1] to find the first sign change, which GSL's
 * Brent solver (gsl_root_fsolver_brent) then refines to 1e-10 absolute.
 *
 * Returns GPB_OK with out->outcome FOUND; GPB_ENOTFOUND when no
 * utilisation in (0, 1] breaks even, with out->outcome saying which option
 * is cheaper and err's message the sentence ("buying is cheaper at any
 * utilisation"); GPB_EINVAL / GPB_ERANGE for bad inputs; GPB_ENOMEM;
 * GPB_ENUMERIC when the solver does not converge. *out is written on
 * GPB_OK and GPB_ENOTFOUND.
 */
GPB_API gpb_status gpb_finance_breakeven_util(const gpb_rent_vs_buy *in,
                                              gpb_breakeven *out,
                                              gpb_error *err);

/*
 * The break-even horizon: the first time T* in (0, max_months] at which
 * the cumulative cash of buying falls to that of renting, at
 * in->util_frac, undiscounted. in->months is only the default search
 * limit. Within a month costs accrue linearly, so T* need not be whole.
 *
 *   max_months  the search limit (0 = in->months), at most 1200
 *   settle      0: payback, cash paid out by T only (no resale; a loan
 *               counts the payments made so far);
 *               1: settle at T as if the horizon ended there: sell the
 *               cards (if delivered), repay the loan, pay out reserved
 *               commitments
 *
 * The cumulative difference is tabulated at every whole month and the
 * first crossing refined with Brent's method to 1e-9 months. A crossing
 * is a change to the opposite sign: months where the two cost exactly the
 * same (a lead time bridged by renting, settled with the undelivered
 * cards sold back) are ties, and when one option then pulls ahead the
 * break-even is the last of them.
 *
 * Returns as gpb_finance_breakeven_util, "over the whole horizon" in
 * place of "at any utilisation" (BUY_CHEAPER: buying costs no more from
 * point 0; RENT_CHEAPER: renting stays cheaper through max_months).
 */
GPB_API gpb_status gpb_finance_breakeven_months(const gpb_rent_vs_buy *in,
                                                double max_months,
                                                int settle,
                                                gpb_breakeven *out,
                                                gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Names                                                                     */
/* ------------------------------------------------------------------------ */

/*
 * Static names ("on-demand", "reserved", "spot"; "cash", "loan", "lease";
 * "straight-line", "declining-balance"), or "unknown". Never NULL.
 */
GPB_API const char *gpb_finance_rent_mode_name(gpb_rent_mode mode);
GPB_API const char *gpb_finance_financing_name(gpb_financing financing);
GPB_API const char *gpb_finance_depreciation_method_name(
    gpb_depreciation_method method);

/*
 * Parse those names, ignoring ASCII case and '-', '_', ' ' ("ondemand",
 * "on_demand"; "sl", "straight", "db", "ddb", "declining" accepted too).
 * Return GPB_OK; GPB_EINVAL for NULL; GPB_ENOTFOUND with the valid names
 * in the message.
 */
GPB_API gpb_status gpb_finance_rent_mode_from_name(const char *s,
                                                   gpb_rent_mode *out,
                                                   gpb_error *err);
GPB_API gpb_status gpb_finance_financing_from_name(const char *s,
                                                   gpb_financing *out,
                                                   gpb_error *err);
GPB_API gpb_status gpb_finance_depreciation_method_from_name(
    const char *s, gpb_depreciation_method *out, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* Data work                                                                 */
/* ------------------------------------------------------------------------ */

/* Working days in a month: 365.25 · 5/7 / 12 (a five-day week), for the
   annotators' throughput. */
#define GPB_WORKDAYS_PER_MONTH (365.25 * 5.0 / 7.0 / 12.0)

/*
 * The work of preparing a corpus before a run can start (the scenario's
 * `data:`; docs/model.md, "Data work"). Transparent; fill it with
 * gpb_finance_data_work_spec_default() first. Money fields are in one currency,
 * the caller's.
 *
 *   units                  raw tokens (or documents) processed, ≥ 0
 *   cpu_hours_per_billion  CPU core-hours per 10⁹ units, summed over the
 *                          stages (filtering, deduplication,
 *                          classification), ≥ 0
 *   gpu_hours_per_billion  GPU-hours per 10⁹ units, summed likewise, ≥ 0
 *   cpu_price_per_hour     money per CPU core-hour, ≥ 0
 *   gpu_price_per_hour     money per GPU-hour, ≥ 0
 *   cpus, gpus             cores and GPUs doing the work, ≥ 0; 0 means
 *                          not limited: that term adds no time
 *   licensing              money paid for data rights, once, ≥ 0
 *   labels                 human labels bought, ≥ 0
 *   price_per_label        money per label, ≥ 0
 *   labels_per_annotator_per_day, annotators
 *                          the labelling throughput, ≥ 0; either 0 means
 *                          not limited
 *   min_months             the least calendar time the work takes
 *                          (building and iterating the pipeline), ≥ 0
 */
typedef struct gpb_data_work_spec {
    double units;
    double cpu_hours_per_billion;
    double gpu_hours_per_billion;
    double cpu_price_per_hour;
    double gpu_price_per_hour;
    double cpus;
    double gpus;
    double licensing;
    double labels;
    double price_per_label;
    double labels_per_annotator_per_day;
    double annotators;
    double min_months;
} gpb_data_work_spec;

/* What the data work costs and how long it takes. */
typedef struct gpb_data_work {
    double cpu_hours, gpu_hours;  /* units/10⁹ · hours per billion */
    double processing_cost;       /* cpu_hours·cpu price + gpu_hours·gpu price */
    double labels_cost;           /* labels · price_per_label */
    double licensing;             /* as given */
    double total_cost;            /* the three above */
    double processing_months;     /* cpu_hours/(cpus·730.5) +
                                     gpu_hours/(gpus·730.5): the CPU and
                                     GPU stages run one after the other */
    double labelling_months;      /* labels / (annotators · per day ·
                                     GPB_WORKDAYS_PER_MONTH) */
    double months;                /* max(min_months, processing,
                                     labelling) */
} gpb_data_work;

/* Fills spec with zeros (no work, no cost, no time). Accepts NULL. */
GPB_API void gpb_finance_data_work_spec_default(
    gpb_data_work_spec *spec);

/*
 * The cost and duration of the data work of spec (formulas above). The
 * engine books it in the category "data" (GPB_CAT_DATA): licensing in the
 * first month, the rest in equal parts over the work's whole months
 * (gpb_data_work_month), and runs that wait for the data start no earlier
 * than ceil(months) after it began.
 *
 * Returns GPB_OK; GPB_EINVAL for a NULL pointer or a field that is
 * negative, NaN or infinite (the message names the field).
 */
GPB_API gpb_status gpb_data_work_compute(const gpb_data_work_spec *spec,
                                         gpb_data_work *out, gpb_error *err);

/*
 * The cash the data work w pays in its month k (0 = the month it starts):
 * licensing when k = 0, plus (processing + labels) / n for k < n, n =
 * max(1, ceil(months)). 0 for other k. Pure, no checks.
 */
GPB_API double gpb_data_work_month(const gpb_data_work *w, int k);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_FINANCE_H */
