/*
 * The month-by-month formulas of the pure layers, once. Not installed.
 *
 * Each formula is a static inline function of numbers with no checks: the
 * public functions of compute.h, finance.h and risk.h check their
 * arguments, call these and check the result; the engine checks its inputs
 * when it compiles a scenario, calls these in its kernels over arrays of
 * paths (where they vectorise), and checks that every path's figures are
 * finite at the end of each block. So the simulator, rent-vs-buy and the
 * spreadsheet functions compute a month the same way, bit for bit.
 *
 * Sources are in the public headers next to each function's contract.
 */
#ifndef GPB_FORMULA_H
#define GPB_FORMULA_H

#include <math.h>

#include "gpubudget/common.h"

/* ---- compute ----------------------------------------------------------- */

/* Rent for GPU time: gpu_hours · price (gpb_compute_rent_cost). */
static inline double gpb__rent(double gpu_hours, double price_per_gpu_hour)
{
    return gpu_hours * price_per_gpu_hour;
}

/* FLOPs done by gpu_hours of GPUs of dense peak P at utilisation mfu:
   gpu_hours · 3600 · P · mfu (gpb_compute_flops_from_gpu_hours). */
static inline double gpb__flops_of(double gpu_hours, double peak_flop_per_s,
                                   double mfu_frac)
{
    return gpu_hours * GPB_SECONDS_PER_HOUR * peak_flop_per_s * mfu_frac;
}

/*
 * A run's times from its GPU-hours h on G GPUs (gpb_compute_train_time,
 * and the spreadsheet's GPB_TRAIN_DAYS and GPB_TRAIN_CARD_MONTHS). Each is
 * derived from h with no intermediate larger than the figure itself, so a
 * figure overflows only when it is out of range: not, as when the time
 * went through seconds (3600 h / G), at a tiny MFU whose GPU-hours and
 * days are still finite.
 */
/* Wall-clock hours: h / G. */
static inline double gpb__wall_hours(double gpu_hours, double gpus)
{
    return gpu_hours / gpus;
}

/* Wall-clock days: h / 24 / G (24 first: h / 24 cannot overflow). */
static inline double gpb__wall_days(double gpu_hours, double gpus)
{
    return gpu_hours / 24.0 / gpus;
}

/* Card-months: h / 730.5 (GPB_HOURS_PER_MONTH; cells.h's definition). */
static inline double gpb__card_months(double gpu_hours)
{
    return gpu_hours / GPB_HOURS_PER_MONTH;
}

/* ---- risk -------------------------------------------------------------- */

/* Useful hours of a period with failures, each losing `lost` hours:
   max(0, hours − failures · lost) (gpb_risk_effective_hours). */
static inline double gpb__effective_hours(double hours, double failures,
                                          double lost)
{
    double h = hours - failures * lost;
    return h > 0 ? h : 0;
}

/* A run has reached its target (FLOPs × exploration) when its progress,
   a sum of monthly gains each rounded, is within 10^-9 of it: a run of
   exactly k months would otherwise fall a few ulps short and hold its
   cards, and pay its reservation, a month more (a user review found a
   3-month reservation paid twice). 10^-9 of a year-long run is 0.03 s. */
static inline int gpb__run_reached(double progress, double target)
{
    return progress >= target * (1.0 - 1e-9);
}

/* A run's progress after a divergence found at the end of the month's
   work or when the run reaches its target, whichever comes first: it
   loses the share `lost` (1 for a restart from scratch) of the progress
   made until then, and the work after it counts. Progress past the target
   was never made, so it is never lost (docs/model.md). */
static inline double gpb__diverged(double progress, double target,
                                   double lost)
{
    double at = progress < target ? progress : target;
    return at * (1.0 - lost) + (progress - at);
}

/* Expected failures of G GPUs over T hours: G · T / MTBF
   (gpb_risk_expected_failures); an infinite MTBF gives 0. */
static inline double gpb__expected_failures(double gpus, double hours,
                                            double gpu_mtbf_hours)
{
    return isinf(gpu_mtbf_hours) ? 0.0 : gpus * hours / gpu_mtbf_hours;
}

/* ---- the team ---------------------------------------------------------- */

/* Heads in month m of a line that starts with `count` in month `start` and
   adds `add` a month, capped at `cap` (INFINITY for none), never below 0
   (gpb_finance_headcount). Before start: 0. */
static inline double gpb__headcount(double count, double add, double cap,
                                    double months_since_start)
{
    double h = count + add * months_since_start;
    h = h < cap ? h : cap;
    return h > 0 ? h : 0;
}

/* What one head costs a month: salary / 12 · (1 + on_cost). A path's
   rate, computed once: the month's cost is then gpb__team_month. */
static inline double gpb__team_rate(double salary_per_year,
                                    double on_cost_frac)
{
    return salary_per_year / 12.0 * (1.0 + on_cost_frac);
}

/* What a month of heads costs: heads · the rate of one (gpb__team_rate). */
static inline double gpb__team_month(double heads,
                                     double rate_usd_per_head_month)
{
    return heads * rate_usd_per_head_month;
}

/* ---- prices, users, revenue -------------------------------------------- */

/* One month of a geometric random walk, x · e^drift · e^(vol·z) (the GPU
   price index and the user base): growth = e^drift (gpb__walk_growth, once
   per path) in double, the noise factor e^(vol·z) in single precision —
   the noise is a draw, accurate far beyond its sampling error, while the
   deterministic part and the money stay exact. */
static inline double gpb__walk_growth(double drift) { return exp(drift); }
static inline double gpb__walk(double x, double growth, float vol_z)
{
    return x * growth * (double)expf(vol_z);
}

/* Revenue of a month: users · ARPU · paying share (gpb_finance_revenue). */
static inline double gpb__revenue_month(double users, double arpu_per_month,
                                  double paying_frac)
{
    return users * arpu_per_month * paying_frac;
}

/* ---- renting ----------------------------------------------------------- */

/* Spot: the GPU-hours bought to get `useful` hours when a share `loss` of
   the hours bought is lost to preemption: useful / (1 − loss)
   (gpb_finance_spot_hours_needed). */
static inline double gpb__spot_hours(double useful, double loss_frac)
{
    return useful / (1.0 - loss_frac);
}

/* Spot rent for `useful` GPU-hours of work: hours bought · price ·
   (1 − discount) (gpb_finance_rent_spot_cost). */
static inline double gpb__spot_rent(double useful, double price,
                                    double discount_frac, double loss_frac)
{
    return gpb__spot_hours(useful, loss_frac) * price * (1.0 - discount_frac);
}

/* Months of a reservation: every hour of G GPUs at the price when the
   commitment began, discounted: G · 730.5 · months · price · (1 −
   discount) (gpb_finance_rent_reserved_cost for whole commitments). */
static inline double gpb__reserved(double gpus, double months, double price,
                                   double discount_frac)
{
    return gpus * GPB_HOURS_PER_MONTH * months * price *
           (1.0 - discount_frac);
}

/* ---- owning ------------------------------------------------------------ */

/* Capex: cards with their premium, servers and network per unit of card
   price, and per node (gpb_finance_capex). */
static inline double gpb__capex(double gpus, double price, double premium,
                                double overhead_frac,
                                double overhead_per_node, double nodes)
{
    return gpus * price * premium + gpus * price * overhead_frac +
           nodes * overhead_per_node;
}

/* Share of full-load power drawn at utilisation u:
   idle + (1 − idle) · u (gpb_finance_power_draw_frac). */
static inline double gpb__draw(double util_frac, double idle_frac)
{
    return idle_frac + (1.0 - idle_frac) * util_frac;
}

/* Energy in kWh (gpb_finance_energy_kwh). */
static inline double gpb__energy_kwh(double gpus, double tdp_watts,
                                     double server_overhead, double pue,
                                     double idle_frac, double util_frac,
                                     double hours)
{
    return gpus * tdp_watts * server_overhead * pue * hours *
           gpb__draw(util_frac, idle_frac) / 1000.0;
}

/* Colocation: provisioned IT kW · price · months (gpb_finance_colo_cost). */
static inline double gpb__colo(double gpus, double tdp_watts,
                               double server_overhead,
                               double price_per_kw_month, double months)
{
    return gpus * tdp_watts * server_overhead / 1000.0 * price_per_kw_month *
           months;
}

/* Maintenance a month: capex · frac / 12. */
static inline double gpb__maintenance(double capex, double frac_per_year)
{
    return capex * frac_per_year / 12.0;
}

/* Resale: price · max((1 − decline)^(age/12), floor)
   (gpb_finance_resale_value). */
static inline double gpb__resale(double price, double age_months,
                                 double decline_frac_per_year,
                                 double floor_frac)
{
    double keep = pow(1.0 - decline_frac_per_year, age_months / 12.0);
    return price * (keep > floor_frac ? keep : floor_frac);
}

/* The level payment of a loan of P over n months at a monthly rate r:
   P · r / (1 − (1 + r)^−n), or P / n at r = 0. */
static inline double gpb__annuity(double principal, double r_month,
                                  double n_months)
{
    if (r_month == 0.0)
        return principal / n_months;
    return principal * r_month / -expm1(-n_months * log1p(r_month));
}

/* Discount factor of a flow t months from now: (1 + r)^(−t/12). */
static inline double gpb__discount(double rate_per_year, double t_months)
{
    return exp(-log1p(rate_per_year) * t_months / 12.0);
}

#endif /* GPB_FORMULA_H */
