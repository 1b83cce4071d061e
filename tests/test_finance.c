/*
 * Tests for the finance layer. Expected values were worked by hand (or in
 * exact rational arithmetic where a table runs long) and are written next
 * to each check with its tolerance and why.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/finance.h"
#include "test_util.h"

/* |got - want| <= abs. */
#define ck_assert_abs(got, want, tol)                                       \
    do {                                                                    \
        double g_ = (got), w_ = (want), t_ = (tol);                         \
        ck_assert_msg(fabs(g_ - w_) <= t_,                                  \
                      "%s = %.17g, want %.17g within %g", #got, g_, w_,     \
                      t_);                                                  \
    } while (0)

/* Sums and products of a few exact terms: rounding only, 1e-12. */
#define EXACT 1e-12

/* ------------------------------------------------------------------------ */
/* Depreciation                                                              */
/* ------------------------------------------------------------------------ */

START_TEST(test_straight_line)
{
    /*
     * Cost 12,000, salvage 1,200, life 12 months: (12000 - 1200) / 12 =
     * 900 a month.
     *
     *   month  charge  book after
     *     0     900     11,100
     *     1     900     10,200
     *     5     900      6,600
     *    11     900      1,200
     *    12       0      1,200   (past the life)
     */
    gpb_depreciation d;
    gpb_finance_depreciation_default(&d);
    d.cost = 12000;
    d.salvage = 1200;
    d.life_months = 12;
    double charge[14], book[14];
    ck_assert_int_eq(gpb_finance_depreciation_schedule(&d, 14, charge, book,
                                                       NULL),
                     GPB_OK);
    for (int m = 0; m < 12; m++) {
        ck_assert_rel(charge[m], 900.0, EXACT);
        ck_assert_rel(book[m], 12000.0 - 900.0 * (m + 1), EXACT);
    }
    ck_assert_rel(book[0], 11100.0, EXACT);
    ck_assert_rel(book[1], 10200.0, EXACT);
    ck_assert_rel(book[5], 6600.0, EXACT);
    /* The last month takes exactly what is left: salvage, not 1199.99. */
    ck_assert(book[11] == 1200.0);
    ck_assert(charge[12] == 0.0 && book[12] == 1200.0);
    ck_assert(charge[13] == 0.0 && book[13] == 1200.0);

    double c, b;
    ck_assert_int_eq(gpb_finance_depreciation_month(&d, 5, &c, &b, NULL),
                     GPB_OK);
    ck_assert_rel(c, 900.0, EXACT);
    ck_assert_rel(b, 6600.0, EXACT);
    ck_assert_int_eq(gpb_finance_depreciation_month(&d, 100, &c, &b, NULL),
                     GPB_OK);
    ck_assert(c == 0.0 && b == 1200.0);
}
END_TEST

START_TEST(test_double_declining)
{
    /*
     * Cost 12,000, salvage 0, life 12 months, rate 0 = double declining:
     * 2 / 1 year = 200% a year, 1/6 of the book a month, switching to the
     * straight line over the months left when that is larger. Worked in
     * exact fractions (12000 · (5/6)^j / 6 for the declining months):
     *
     *   month  declining    straight   charge      book after
     *     0    2,000.000   1,000.000  2,000.000   10,000.000
     *     1    1,666.667     909.091  1,666.667    8,333.333
     *     2    1,388.889     833.333  1,388.889    6,944.444
     *     3    1,157.407     771.605  1,157.407    5,787.037
     *     4      964.506     723.380    964.506    4,822.531
     *     5      803.755     688.933    803.755    4,018.776
     *     6      669.796     669.796    669.796    3,348.980   (equal)
     *     7      558.163     669.796    669.796    2,679.184   (switched)
     *     8-11               669.796    669.796    ... 0
     *
     * 669.796 = 12000 · (5/6)^6 / 6 = 669.79595336...
     */
    gpb_depreciation d;
    gpb_finance_depreciation_default(&d);
    d.method = GPB_DEPRECIATION_DECLINING_BALANCE;
    d.cost = 12000;
    d.life_months = 12;
    static const double want_c[12] = {
        2000.0,           1666.6666666666667, 1388.888888888889,
        1157.4074074074074, 964.5061728395061, 803.7551440329219,
        669.7959533607682, 669.7959533607682, 669.7959533607682,
        669.7959533607682, 669.7959533607682, 669.7959533607682};
    static const double want_b[12] = {
        10000.0,           8333.333333333334, 6944.444444444444,
        5787.037037037037, 4822.530864197531, 4018.775720164609,
        3348.979766803841, 2679.1838134430727, 2009.3878600823045,
        1339.5919067215364, 669.7959533607682, 0.0};
    double c[12], b[12];
    ck_assert_int_eq(gpb_finance_depreciation_schedule(&d, 12, c, b, NULL),
                     GPB_OK);
    /* Twelve steps of rounding: 1e-12 relative. */
    for (int m = 0; m < 12; m++) {
        ck_assert_rel(c[m], want_c[m], EXACT);
        ck_assert_abs(b[m], want_b[m], 1e-9);
    }

    /* The O(1) step walks the same table. */
    double book = d.cost;
    for (size_t m = 0; m < 12; m++) {
        double ch;
        ck_assert_int_eq(gpb_finance_depreciation_step(&d, m, book, &ch,
                                                       NULL),
                         GPB_OK);
        ck_assert(ch == c[m]);
        book -= ch;
    }
    ck_assert_fail(gpb_finance_depreciation_step(&d, 0, -1, &book, err),
                   GPB_EINVAL, "book_before");

    /* Without the switch: twelve declining months leave
       12000 · (5/6)^12 = 1,345.8799 on the books. */
    d.switch_to_straight_line = 0;
    double bk;
    ck_assert_int_eq(gpb_finance_depreciation_month(&d, 11, NULL, &bk, NULL),
                     GPB_OK);
    ck_assert_rel(bk, 12000.0 * pow(5.0 / 6.0, 12), EXACT);
    ck_assert_rel(bk, 1345.879857415381, EXACT);
}
END_TEST

START_TEST(test_declining_floor)
{
    /*
     * Never below salvage. Cost 10,000, salvage 1,000, life 12, rate 3.0 a
     * year (25% a month), no switch:
     *
     *   month  charge          book after
     *     0    2,500           7,500
     *     1    1,875           5,625
     *     2    1,406.25        4,218.75
     *     3    1,054.6875      3,164.0625
     *     4      791.015625    2,373.046875
     *     5      593.26171875  1,779.78515625
     *     6      444.946289..  1,334.838867..
     *     7      333.709716..  1,001.129150390625
     *     8        1.129150390625 (not 250.28: capped at salvage) 1,000
     *     9-11     0           1,000
     */
    gpb_depreciation d;
    gpb_finance_depreciation_default(&d);
    d.method = GPB_DEPRECIATION_DECLINING_BALANCE;
    d.cost = 10000;
    d.salvage = 1000;
    d.life_months = 12;
    d.rate_per_year = 3.0;
    d.switch_to_straight_line = 0;
    double c[12], b[12];
    ck_assert_int_eq(gpb_finance_depreciation_schedule(&d, 12, c, b, NULL),
                     GPB_OK);
    ck_assert_rel(c[0], 2500.0, EXACT);
    ck_assert_rel(c[3], 1054.6875, EXACT);
    ck_assert_rel(b[5], 1779.78515625, EXACT);
    ck_assert_rel(b[7], 1001.129150390625, EXACT);
    ck_assert_rel(c[8], 1.129150390625, 1e-9);
    for (int m = 8; m < 12; m++)
        ck_assert(b[m] == 1000.0);
    ck_assert(c[9] == 0.0 && c[11] == 0.0);
}
END_TEST

START_TEST(test_depreciation_invalid)
{
    gpb_depreciation d;
    gpb_finance_depreciation_default(&d);
    d.cost = 1000;
    double c[2];
    d.life_months = 0;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_EINVAL, "life_months");
    d.life_months = 12.5;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_EINVAL, "life_months");
    d.life_months = 5000;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_ERANGE, "life_months");
    d.life_months = 12;
    d.cost = NAN;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_EINVAL, "depreciation.cost");
    d.cost = -5;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_EINVAL, "depreciation.cost");
    d.cost = 1000;
    d.salvage = 2000;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_ERANGE, "salvage");
    d.salvage = 0;
    d.method = 7;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_EINVAL, "method");
    d.method = GPB_DEPRECIATION_DECLINING_BALANCE;
    d.rate_per_year = 13;
    ck_assert_fail(gpb_finance_depreciation_month(&d, 0, c, NULL, err),
                   GPB_ERANGE, "rate_per_year");
    d.rate_per_year = 0;
    ck_assert_fail(gpb_finance_depreciation_schedule(&d, 2, NULL, NULL, err),
                   GPB_EINVAL, "NULL");
    ck_assert_fail(gpb_finance_depreciation_month(NULL, 0, c, NULL, err),
                   GPB_EINVAL, "depreciation");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Resale                                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_resale)
{
    double v;
    /* 30,000 · 0.7^3 = 30,000 · 0.343 = 10,290. */
    ck_assert_int_eq(gpb_finance_resale_value(30000, 36, 0.3, 0, &v, NULL),
                     GPB_OK);
    ck_assert_rel(v, 10290.0, EXACT);
    /* Age 0 keeps the price; 18 months: 30,000 · 0.7^1.5 = 17,569.85. */
    ck_assert_int_eq(gpb_finance_resale_value(30000, 0, 0.3, 0, &v, NULL),
                     GPB_OK);
    ck_assert(v == 30000.0);
    ck_assert_int_eq(gpb_finance_resale_value(30000, 18, 0.3, 0, &v, NULL),
                     GPB_OK);
    ck_assert_rel(v, 30000.0 * 0.7 * sqrt(0.7), EXACT);
    /* A floor of 40%: max(0.343, 0.4) · 30,000 = 12,000. */
    ck_assert_int_eq(gpb_finance_resale_value(30000, 36, 0.3, 0.4, &v, NULL),
                     GPB_OK);
    ck_assert_rel(v, 12000.0, EXACT);
    /* Decline 1: worthless at any age above 0. */
    ck_assert_int_eq(gpb_finance_resale_value(30000, 12, 1.0, 0, &v, NULL),
                     GPB_OK);
    ck_assert(v == 0.0);

    /* Two generations at -20% each: 30,000 · 0.8 · 0.8 = 19,200. */
    ck_assert_int_eq(gpb_finance_generation_price(30000, -0.2, 2, &v, NULL),
                     GPB_OK);
    ck_assert_rel(v, 19200.0, EXACT);

    ck_assert_fail(gpb_finance_resale_value(-1, 12, 0.3, 0, &v, err),
                   GPB_EINVAL, "price");
    ck_assert_fail(gpb_finance_resale_value(1, NAN, 0.3, 0, &v, err),
                   GPB_EINVAL, "age_months");
    ck_assert_fail(gpb_finance_resale_value(1, 12, 1.5, 0, &v, err),
                   GPB_ERANGE, "decline_frac_per_year");
    ck_assert_fail(gpb_finance_generation_price(1, -1, 1, &v, err),
                   GPB_EINVAL, "change_frac_per_generation");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Owning                                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_capex)
{
    double c;
    /* 1000 × 25,000 × (1 + 0.3) = 32,500,000. */
    ck_assert_int_eq(gpb_finance_capex(1000, 25000, 1.0, 0.3, 0, 8, &c,
                                       NULL),
                     GPB_OK);
    ck_assert_rel(c, 32.5e6, EXACT);
    /* 100 GPUs at 8 a node = 13 nodes (12.5 rounded up) × 50,000, plus
       100 × 25,000 × 1.5 premium = 3,750,000 + 650,000 = 4,400,000. */
    ck_assert_int_eq(gpb_finance_capex(100, 25000, 1.5, 0, 50000, 8, &c,
                                       NULL),
                     GPB_OK);
    ck_assert_rel(c, 4.4e6, EXACT);
    /* 16 GPUs are 2 nodes, not 3. */
    ck_assert_int_eq(gpb_finance_capex(16, 0, 1, 0, 1, 8, &c, NULL), GPB_OK);
    ck_assert(c == 2.0);
    ck_assert_fail(gpb_finance_capex(100, -1, 1, 0, 0, 8, &c, err),
                   GPB_EINVAL, "price_per_gpu");
    ck_assert_fail(gpb_finance_capex(100, 1, 0, 0, 0, 8, &c, err),
                   GPB_EINVAL, "premium");
}
END_TEST

/*
 * Claims C8 and C9: Caiyun's machine budget is ¥5M (C8), and 100 cards at
 * ¥30k-50k each (C9) cost ¥3M-5M, which fits inside it at both ends. The
 * cards alone: overhead 0. (With this library's default 30% for servers
 * and network the top end, ¥6.5M, would not fit: the claim counts cards.)
 */
START_TEST(test_claim_c9_fits_c8)
{
    const double budget_cny = 5e6;
    double lo, hi, full;
    ck_assert_int_eq(gpb_finance_capex(100, 30000, 1, 0, 0, 8, &lo, NULL),
                     GPB_OK);
    ck_assert_int_eq(gpb_finance_capex(100, 50000, 1, 0, 0, 8, &hi, NULL),
                     GPB_OK);
    ck_assert_rel(lo, 3e6, EXACT);
    ck_assert_rel(hi, 5e6, EXACT);
    ck_assert(lo <= budget_cny);
    ck_assert(hi <= budget_cny);
    ck_assert_int_eq(gpb_finance_capex(100, 50000, 1,
                                       GPB_FINANCE_OVERHEAD_FRAC_DEFAULT, 0,
                                       8, &full, NULL),
                     GPB_OK);
    ck_assert_rel(full, 6.5e6, EXACT);
    ck_assert(full > budget_cny);
}
END_TEST

START_TEST(test_power)
{
    double f, kwh, cost;
    /* 0.15 + 0.85 · 0.7 = 0.745. */
    ck_assert_int_eq(gpb_finance_power_draw_frac(0.7, 0.15, &f, NULL),
                     GPB_OK);
    ck_assert_rel(f, 0.745, EXACT);
    /*
     * 1000 H100 (700 W) × 1.82 × PUE 1.58 for one month (730.5 h) at 70%:
     * 700,000 W × 1.82 = 1,274,000 W; × 1.58 = 2,012,920 W;
     * × 730.5 h = 1,470,438,060 Wh; × 0.745 = 1,095,476,354.7 Wh
     * = 1,095,476.3547 kWh; at $0.08: $87,638.108376.
     */
    ck_assert_int_eq(gpb_finance_energy_kwh(1000, 700, 1.82, 1.58, 0.15, 0.7,
                                            730.5, &kwh, NULL),
                     GPB_OK);
    ck_assert_rel(kwh, 1095476.3547, EXACT);
    ck_assert_int_eq(gpb_finance_power_cost(1000, 700, 1.82, 1.58, 0.15, 0.7,
                                            730.5, 0.08, &cost, NULL),
                     GPB_OK);
    ck_assert_rel(cost, 87638.108376, EXACT);
    /* Colocation: 1,274 kW × $150 × 12 months = $2,293,200. */
    ck_assert_int_eq(gpb_finance_colo_cost(1000, 700, 1.82, 150, 12, &cost,
                                           NULL),
                     GPB_OK);
    ck_assert_rel(cost, 2293200.0, EXACT);
    /* Maintenance: 32.5M × 10% / 12 = 270,833.33. */
    ck_assert_int_eq(gpb_finance_maintenance_per_month(32.5e6, 0.1, &cost,
                                                       NULL),
                     GPB_OK);
    ck_assert_rel(cost, 32.5e6 * 0.1 / 12, EXACT);

    ck_assert_fail(gpb_finance_energy_kwh(1, 700, 1.82, 0.9, 0.15, 0.7, 1,
                                          &kwh, err),
                   GPB_EINVAL, "pue");
    ck_assert_fail(gpb_finance_energy_kwh(1, 700, 1.82, 1.5, 0.15, 1.5, 1,
                                          &kwh, err),
                   GPB_ERANGE, "util_frac");
    ck_assert_fail(gpb_finance_power_cost(1, 700, 1.82, 1.5, 0.15, 0.5, 1,
                                          -0.1, &cost, err),
                   GPB_EINVAL, "tariff_per_kwh");
    ck_assert_fail(gpb_finance_power_draw_frac(NAN, 0.15, &f, err),
                   GPB_EINVAL, "util_frac");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Financing                                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(test_loan)
{
    /*
     * $100,000 at 12% a year (1% a month) over 12 months:
     * 100000 · 0.01 / (1 - 1.01^-12) = 8,884.8789 a month.
     * By hand, to the cent:
     *
     *   k   interest   principal   balance
     *   1   1,000.00    7,884.88   92,115.12
     *   2     921.15    7,963.73   84,151.39
     *   3     841.51    8,043.36   76,108.03
     *  12                          0
     *
     * Interest over the loan: 12 · 8,884.8789 - 100,000 = 6,618.55.
     */
    double pay;
    ck_assert_int_eq(gpb_finance_loan_payment(100000, 0.12, 12, &pay, NULL),
                     GPB_OK);
    ck_assert_rel(pay, 100000 * 0.01 / (1 - pow(1.01, -12)), EXACT);
    ck_assert_abs(pay, 8884.88, 0.005);
    double in[12], pr[12], bal[12];
    ck_assert_int_eq(gpb_finance_loan_schedule(100000, 0.12, 12, in, pr, bal,
                                               NULL),
                     GPB_OK);
    /* The hand table is rounded to cents: 0.005. */
    ck_assert_abs(in[0], 1000.00, 0.005);
    ck_assert_abs(pr[0], 7884.88, 0.005);
    ck_assert_abs(bal[0], 92115.12, 0.005);
    ck_assert_abs(in[1], 921.15, 0.005);
    ck_assert_abs(pr[1], 7963.73, 0.005);
    ck_assert_abs(bal[1], 84151.39, 0.005);
    ck_assert_abs(in[2], 841.51, 0.005);
    ck_assert_abs(pr[2], 8043.36, 0.005);
    ck_assert_abs(bal[2], 76108.03, 0.005);
    ck_assert(bal[11] == 0.0);
    double si = 0, sp = 0;
    for (int k = 0; k < 12; k++) {
        si += in[k];
        sp += pr[k];
        /* Each payment is interest plus principal. */
        ck_assert_rel(in[k] + pr[k], pay, 1e-9);
    }
    ck_assert_rel(sp, 100000.0, 1e-12);
    ck_assert_abs(si, 6618.55, 0.005);

    /* r = 0: 12,000 over 12 months is 1,000 a month, no interest. */
    ck_assert_int_eq(gpb_finance_loan_payment(12000, 0, 12, &pay, NULL),
                     GPB_OK);
    ck_assert(pay == 1000.0);
    ck_assert_int_eq(gpb_finance_loan_schedule(12000, 0, 12, in, NULL, bal,
                                               NULL),
                     GPB_OK);
    ck_assert(in[0] == 0.0 && in[11] == 0.0);
    ck_assert_rel(bal[5], 6000.0, EXACT);

    /* Lease: 1,000,000 × 0.033214 = 33,214 a month. */
    ck_assert_int_eq(gpb_finance_lease_payment(1e6, 0.033214, &pay, NULL),
                     GPB_OK);
    ck_assert_rel(pay, 33214.0, EXACT);

    ck_assert_fail(gpb_finance_loan_payment(1000, 0.1, 0, &pay, err),
                   GPB_EINVAL, "months");
    ck_assert_fail(gpb_finance_loan_payment(1000, 0.1, 12.5, &pay, err),
                   GPB_EINVAL, "months");
    ck_assert_fail(gpb_finance_loan_payment(1000, 0.1, 2000, &pay, err),
                   GPB_ERANGE, "months");
    ck_assert_fail(gpb_finance_loan_payment(1000, -0.1, 12, &pay, err),
                   GPB_EINVAL, "rate_per_year");
    ck_assert_fail(gpb_finance_loan_payment(NAN, 0.1, 12, &pay, err),
                   GPB_EINVAL, "principal");
    ck_assert_fail(gpb_finance_lease_payment(1e6, 1.2, &pay, err),
                   GPB_ERANGE, "frac_per_month");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Renting                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_rent_modes)
{
    double c, h;
    /* Reserved, 18 months needed on 12-month commitments: 24 months paid.
       10 × 730.5 × 24 × $2 × (1 - 0.4) = 210,384. */
    ck_assert_int_eq(gpb_finance_rent_reserved_cost(10, 18, 12, 2, 0.4, &c,
                                                    NULL),
                     GPB_OK);
    ck_assert_rel(c, 210384.0, EXACT);
    /* 900 useful hours with 10% lost: 1000 hours bought. */
    ck_assert_int_eq(gpb_finance_spot_hours_needed(900, 0.1, &h, NULL),
                     GPB_OK);
    ck_assert_rel(h, 1000.0, EXACT);
    /* At $2 with 60% off: 1000 × 0.8 = 800. */
    ck_assert_int_eq(gpb_finance_rent_spot_cost(900, 2, 0.6, 0.1, &c, NULL),
                     GPB_OK);
    ck_assert_rel(c, 800.0, EXACT);
    ck_assert_fail(gpb_finance_spot_hours_needed(900, 1.0, &h, err),
                   GPB_ERANGE, "preemption_loss_frac");
    ck_assert_fail(gpb_finance_rent_reserved_cost(10, 18, 0, 2, 0.4, &c,
                                                  err),
                   GPB_EINVAL, "commitment_months");
    ck_assert_fail(gpb_finance_rent_spot_cost(900, -2, 0.6, 0.1, &c, err),
                   GPB_EINVAL, "price_per_gpu_hour");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* NPV                                                                       */
/* ------------------------------------------------------------------------ */

START_TEST(test_npv)
{
    /*
     * Twelve payments of 100 at 12% a year. The monthly factor is
     * 1.12^(1/12) = 1.0094887929; at the end of each month the sum is an
     * annuity: 100 · (1 - 1/1.12) / (1.12^(1/12) - 1)
     * = 100 · 0.107142857 / 0.0094887929 = 1,129.1516. At the start of
     * each month every payment is one month earlier: × 1.0094887929 =
     * 1,139.8659.
     */
    double cash[12], v;
    for (int i = 0; i < 12; i++)
        cash[i] = 100;
    ck_assert_int_eq(gpb_finance_npv(cash, 12, 0.12, GPB_CASH_END_OF_MONTH,
                                     &v, NULL),
                     GPB_OK);
    ck_assert_rel(v, 100 * (1 - 1 / 1.12) / (pow(1.12, 1.0 / 12) - 1),
                  EXACT);
    ck_assert_abs(v, 1129.1516, 5e-5);
    ck_assert_int_eq(gpb_finance_npv(cash, 12, 0.12,
                                     GPB_CASH_START_OF_MONTH, &v, NULL),
                     GPB_OK);
    ck_assert_abs(v, 1139.8659, 5e-5);
    /* r = 0: the plain sum. */
    ck_assert_int_eq(gpb_finance_npv(cash, 12, 0, GPB_CASH_END_OF_MONTH, &v,
                                     NULL),
                     GPB_OK);
    ck_assert(v == 1200.0);
    /* No flows: 0. */
    ck_assert_int_eq(gpb_finance_npv(NULL, 0, 0.1, GPB_CASH_END_OF_MONTH, &v,
                                     NULL),
                     GPB_OK);
    ck_assert(v == 0.0);
    double r;
    ck_assert_int_eq(gpb_finance_monthly_rate(0.12, &r, NULL), GPB_OK);
    ck_assert_rel(r, 0.009488792934583046, 1e-12);

    ck_assert_fail(gpb_finance_npv(cash, 12, -1, GPB_CASH_END_OF_MONTH, &v,
                                   err),
                   GPB_EINVAL, "rate_per_year");
    ck_assert_fail(gpb_finance_npv(cash, 12, 0.1, 5, &v, err), GPB_EINVAL,
                   "timing");
    cash[3] = NAN;
    ck_assert_fail(gpb_finance_npv(cash, 12, 0.1, GPB_CASH_END_OF_MONTH, &v,
                                   err),
                   GPB_EINVAL, "cash[3]");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Rent versus buy                                                           */
/* ------------------------------------------------------------------------ */

/*
 * The round-number case: 1000 cards at $25,000, nothing else to pay for
 * owning (no overhead, power, colocation or maintenance), worthless at the
 * end (decline 1), no discounting; rent $2 per GPU-hour on demand, 36
 * months, 70% utilisation. Then
 *   buy  = capex = 25,000,000
 *   rent = 1000 · 730.5 · u · 2 a month = 1,022,700 at u = 0.7;
 *          36 months: 36,817,200.
 */
static void round_case(gpb_rent_vs_buy *in)
{
    gpb_finance_rent_vs_buy_default(in);
    in->gpus = 1000;
    in->months = 36;
    in->util_frac = 0.7;
    in->rent_price_per_gpu_hour = 2.0;
    in->price_per_gpu = 25000;
    in->tdp_watts = 700;
    in->overhead_frac = 0;
    in->tariff_per_kwh = 0;
    in->colo_per_kw_month = 0;
    in->maintenance_frac_per_year = 0;
    in->resale_decline_frac_per_year = 1.0;
    in->discount_rate_per_year = 0;
}

START_TEST(test_rvb_round_numbers)
{
    gpb_rent_vs_buy in;
    round_case(&in);
    gpb_rent_vs_buy_totals t;
    gpb_rent_vs_buy_flows f;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_flows_alloc(&in, &f, NULL),
                     GPB_OK);
    ck_assert_uint_eq(f.n_points, 37);
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, &f, NULL),
                     GPB_OK);
    ck_assert_rel(t.capex, 25e6, EXACT);
    ck_assert_rel(t.buy_cash, 25e6, EXACT);
    ck_assert_rel(t.buy_npv, 25e6, EXACT);
    ck_assert_rel(t.rent_cash, 36817200.0, EXACT);
    ck_assert_rel(t.rent_npv, 36817200.0, EXACT);
    ck_assert_rel(t.rent_gpu_hours_paid, 18408600.0, EXACT);
    ck_assert_rel(t.npv_buy_minus_rent, 25e6 - 36817200.0, EXACT);
    ck_assert(f.rent_cash[0] == 0.0);
    ck_assert_rel(f.rent_cash[1], 1022700.0, EXACT);
    ck_assert_rel(f.rent_cash[36], 1022700.0, EXACT);
    ck_assert_rel(f.buy_cash[0], 25e6, EXACT);
    ck_assert(f.buy_cash[1] == 0.0 && f.buy_cash[36] == 0.0);
    /*
     * Accounting: straight line over 60 months, 416,666.67 a month; after
     * 36 months the book is 25M - 15M = 10M and the sale fetches 0, a
     * 10M loss at month 36. Σ = 25M, as in the cash view.
     */
    ck_assert(f.buy_accounting[0] == 0.0);
    ck_assert_rel(f.buy_accounting[1], 25e6 / 60, EXACT);
    ck_assert_rel(t.depreciation, 15e6, 1e-12);
    ck_assert_rel(t.book_value_end, 10e6, 1e-12);
    ck_assert_rel(t.loss_on_sale, 10e6, 1e-12);
    ck_assert_rel(f.buy_accounting[36], 25e6 / 60 + 10e6, 1e-12);
    ck_assert_rel(t.buy_accounting, 25e6, 1e-12);
    gpb_finance_rent_vs_buy_flows_free(&f);
    ck_assert(f.buy_cash == NULL && f.n_points == 0);
    gpb_finance_rent_vs_buy_flows_free(NULL);
}
END_TEST

START_TEST(test_breakeven_util_round)
{
    /*
     * buy = 25,000,000 whatever u; rent = 1000 · 36 · 730.5 · u · 2. They
     * meet at u* = 25e6 / (1000 · 36 · 730.5 · 2) = 25e6 / 52,596,000
     * = 0.475321317210434. Above it buying is cheaper. Brent stops within
     * 1e-10; allow 1e-9.
     */
    gpb_rent_vs_buy in;
    round_case(&in);
    gpb_breakeven b;
    ck_assert_int_eq(gpb_finance_breakeven_util(&in, &b, NULL), GPB_OK);
    ck_assert_int_eq(b.outcome, GPB_BREAKEVEN_FOUND);
    ck_assert_abs(b.value, 25e6 / 52596000.0, 1e-9);
    ck_assert_abs(b.value, 0.475321317210434, 1e-9);
    ck_assert_int_eq(b.buy_cheaper_above, 1);

    /*
     * A 3-month lead time: months 1-3 are rented by both options, so only
     * 33 months differ: u* = 25e6 / (33 · 1000 · 730.5 · 2) = 0.518532346.
     */
    in.lead_time_months = 3;
    ck_assert_int_eq(gpb_finance_breakeven_util(&in, &b, NULL), GPB_OK);
    ck_assert_abs(b.value, 25e6 / (33 * 1000 * 730.5 * 2), 1e-9);

    /*
     * Discounting at 12% a year: rent is paid at the end of each month,
     * the cards today. u* = 25e6 / (1000 · 730.5 · 2 · a36), with the
     * annuity factor a36 = (1 - 1.12^-3) / (1.12^(1/12) - 1) = 30.3747541.
     * u* = 0.563348344.
     */
    in.lead_time_months = 0;
    in.discount_rate_per_year = 0.12;
    double a36 = (1 - pow(1.12, -3)) / (pow(1.12, 1.0 / 12) - 1);
    ck_assert_abs(a36, 30.3747541, 1e-7);
    ck_assert_int_eq(gpb_finance_breakeven_util(&in, &b, NULL), GPB_OK);
    ck_assert_abs(b.value, 25e6 / (1000 * 730.5 * 2 * a36), 1e-9);
    ck_assert_abs(b.value, 0.563348344, 1e-9);
}
END_TEST

START_TEST(test_breakeven_util_none)
{
    gpb_rent_vs_buy in;
    round_case(&in);
    gpb_breakeven b;
    gpb_error e;
    /* Capex above any rent: 36 months at u = 1 cost 52,596,000. */
    in.price_per_gpu = 60000;
    ck_assert_int_eq(gpb_finance_breakeven_util(&in, &b, &e),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(b.outcome, GPB_BREAKEVEN_RENT_CHEAPER);
    ck_assert(isnan(b.value));
    ck_assert_str_eq(e.message, "renting is cheaper at any utilisation");
    /* Free cards and no running costs: buying never costs more, and costs
       strictly less at any u > 0. */
    in.price_per_gpu = 0;
    ck_assert_int_eq(gpb_finance_breakeven_util(&in, &b, &e),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(b.outcome, GPB_BREAKEVEN_BUY_CHEAPER);
    ck_assert_str_eq(e.message, "buying is cheaper at any utilisation");
    /* Free cards and free rent: the same everywhere. */
    in.rent_price_per_gpu_hour = 0;
    ck_assert_int_eq(gpb_finance_breakeven_util(&in, &b, &e),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(b.outcome, GPB_BREAKEVEN_EQUAL);
}
END_TEST

START_TEST(test_breakeven_months_round)
{
    /*
     * Payback at u = 0.7: capex 25e6 against 1,022,700 of rent a month:
     * T* = 25e6 / 1,022,700 = 24.445096314 months (costs accrue evenly
     * within a month). Brent stops within 1e-9; allow 1e-8.
     */
    gpb_rent_vs_buy in;
    round_case(&in);
    gpb_breakeven b;
    ck_assert_int_eq(gpb_finance_breakeven_months(&in, 0, 0, &b, NULL),
                     GPB_OK);
    ck_assert_int_eq(b.outcome, GPB_BREAKEVEN_FOUND);
    ck_assert_abs(b.value, 25e6 / 1022700.0, 1e-8);
    ck_assert_abs(b.value, 24.445096314, 1e-8);
    ck_assert_int_eq(b.buy_cheaper_above, 1);
    /* With 3 months of lead time both rent months 1-3: T* = 3 + 24.445. */
    in.lead_time_months = 3;
    ck_assert_int_eq(gpb_finance_breakeven_months(&in, 0, 0, &b, NULL),
                     GPB_OK);
    ck_assert_abs(b.value, 3 + 25e6 / 1022700.0, 1e-8);
    /* A 20-month search stops short of it. */
    gpb_error e;
    ck_assert_int_eq(gpb_finance_breakeven_months(&in, 20, 0, &b, &e),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(b.outcome, GPB_BREAKEVEN_RENT_CHEAPER);
    ck_assert(strstr(e.message, "renting is cheaper") != NULL);
}
END_TEST

START_TEST(test_breakeven_months_settled)
{
    /*
     * Settling at T (selling the cards): rent $1 (511,350 a month at
     * u = 0.7), cards losing 30% a year. The difference is
     *   g(T) = 25e6 · (1 - 0.7^(T/12)) - 511,350 · T,
     * positive early (the cards lose 25e6 · 0.3567 / 12 = 743k a month
     * at first) and negative by T = 36 (16.4M against 18.4M). The root
     * must satisfy g(T*) = 0; checked against this closed form.
     */
    gpb_rent_vs_buy in;
    round_case(&in);
    in.rent_price_per_gpu_hour = 1.0;
    in.resale_decline_frac_per_year = 0.3;
    gpb_breakeven b;
    ck_assert_int_eq(gpb_finance_breakeven_months(&in, 0, 1, &b, NULL),
                     GPB_OK);
    double T = b.value;
    ck_assert(T > 24 && T < 36);
    double g = 25e6 * (1 - pow(0.7, T / 12)) - 511350.0 * T;
    /* |g'| is about 0.2M a month near the root: 1e-9 months is < 1e-3. */
    ck_assert_abs(g, 0.0, 1e-2);

    /* Exact ties during a lead time are touches, not crossings. 8 cards
       of $25,000 (no overhead) 2 months away, renting 8 at $2: months 1
       and 2 rent the same 8 · 730.5 · u · $2 either way, and settled then
       the undelivered cards sell back for the $200,000 paid, so buy −
       rent is exactly 0 at T = 1 and 2, and capex at point 0. After
       delivery, at u = 0.5, owning costs more than renting at every
       month: no break-even (it once said "1.0 months"); at u = 1 it costs
       less: the break-even is 2, the last tie, not 1. */
    for (int k = 0; k < 2; k++) {
        gpb_rent_vs_buy lt;
        gpb_finance_rent_vs_buy_default(&lt);
        lt.gpus = 8;
        lt.months = 12;
        lt.util_frac = k ? 1.0 : 0.5;
        lt.rent_price_per_gpu_hour = 2;
        lt.price_per_gpu = 25000;
        lt.tdp_watts = 700;
        lt.overhead_frac = 0;
        lt.lead_time_months = 2;
        lt.rent_out_price_per_gpu_hour = 1;
        lt.rent_out_util_frac = 0.5;
        gpb_breakeven bl;
        gpb_error el;
        ck_assert_int_eq(gpb_finance_breakeven_months(&lt, 0, 1, &bl, &el),
                         k ? GPB_OK : GPB_ENOTFOUND);
        ck_assert_int_eq(bl.outcome, k ? GPB_BREAKEVEN_FOUND
                                       : GPB_BREAKEVEN_RENT_CHEAPER);
        if (k) {
            ck_assert_double_eq(bl.value, 2.0);
            ck_assert_int_eq(bl.buy_cheaper_above, 1);
        }
    }

    /* With 3 months of lead time the two cost the same through month 3
       (the bridge rent is the rent; cards not yet delivered sell at their
       full price, age 0), then g runs as above from delivery: the
       break-even is 3 + T, not the first month of the tie (a user review
       found "1.0 months" there, and a tie that never crosses reported as
       a break-even). */
    in.lead_time_months = 3;
    ck_assert_int_eq(gpb_finance_breakeven_months(&in, 0, 1, &b, NULL),
                     GPB_OK);
    ck_assert_abs(b.value, 3 + T, 1e-8);
    ck_assert_int_eq(b.buy_cheaper_above, 1);
    /* Searched only to 3 + T − 1: a tie, then renting cheaper: none. */
    gpb_error e;
    ck_assert_int_eq(gpb_finance_breakeven_months(&in, floor(2 + T), 1, &b,
                                                  &e),
                     GPB_ENOTFOUND);
    ck_assert_int_eq(b.outcome, GPB_BREAKEVEN_RENT_CHEAPER);
    in.lead_time_months = 0;

    /* The settled difference at the horizon is the eval's buy - rent. */
    gpb_rent_vs_buy_totals t;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_rel(t.buy_cash - t.rent_cash,
                  25e6 * (1 - pow(0.7, 3)) - 511350.0 * 36, 1e-12);
}
END_TEST

/* Every flow adds up: Σ accounting = Σ cash; categories sum per month. */
static void check_consistent(const gpb_rent_vs_buy *in)
{
    gpb_rent_vs_buy_flows f;
    gpb_rent_vs_buy_totals t;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_flows_alloc(in, &f, NULL),
                     GPB_OK);
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(in, &t, &f, NULL),
                     GPB_OK);
    double sc = 0, sa = 0, sr = 0;
    for (size_t m = 0; m < f.n_points; m++) {
        sc += f.buy_cash[m];
        sa += f.buy_accounting[m];
        sr += f.rent_cash[m];
        double row = 0;
        for (int k = 0; k < GPB_RVB_CATEGORY_COUNT; k++)
            row += f.buy_by_category[m * GPB_RVB_CATEGORY_COUNT + (size_t)k];
        ck_assert_abs(row, f.buy_cash[m], 1e-9 * (1 + fabs(f.buy_cash[m])));
    }
    /* Sums of ~40 terms of ~1e6: 1e-10 relative. */
    ck_assert_rel(sc, t.buy_cash, 1e-10);
    ck_assert_rel(sa, t.buy_accounting, 1e-10);
    ck_assert_rel(sr, t.rent_cash, 1e-10);
    ck_assert_rel(t.buy_accounting, t.buy_cash, 1e-10);
    /* The NPV of the cash at t months from now. */
    double npv;
    ck_assert_int_eq(gpb_finance_npv(f.buy_cash, f.n_points,
                                     in->discount_rate_per_year,
                                     GPB_CASH_START_OF_MONTH, &npv, NULL),
                     GPB_OK);
    ck_assert_rel(npv, t.buy_npv, 1e-10);
    gpb_finance_rent_vs_buy_flows_free(&f);
}

START_TEST(test_rvb_consistency)
{
    gpb_rent_vs_buy in;
    gpb_finance_rent_vs_buy_default(&in);
    in.gpus = 1000;
    in.months = 36;
    in.rent_price_per_gpu_hour = 2.2;
    in.price_per_gpu = 25000;
    in.tdp_watts = 700;
    in.lead_time_months = 3;
    in.rent_out_price_per_gpu_hour = 1.5;
    in.rent_out_util_frac = 0.5;
    in.rent_price_change_frac_per_year = -0.2;
    check_consistent(&in);
    in.depreciation_method = GPB_DEPRECIATION_DECLINING_BALANCE;
    in.financing = GPB_FINANCING_LOAN;
    check_consistent(&in);
    in.loan_months = 12;
    check_consistent(&in);
    in.financing = GPB_FINANCING_LEASE;
    check_consistent(&in);
    in.rent_mode = GPB_RENT_RESERVED;
    in.months = 30;
    check_consistent(&in);
    in.rent_mode = GPB_RENT_SPOT;
    check_consistent(&in);
}
END_TEST

START_TEST(test_rvb_running_costs)
{
    /*
     * Power, colocation and maintenance by hand, 12 months from month 1:
     * power 87,638.108376 a month (test_power at $0.08), colocation
     * 1,274 kW × $150 = 191,100 a month, maintenance 32.5M × 10% / 12 =
     * 270,833.33 a month.
     */
    gpb_rent_vs_buy in;
    gpb_finance_rent_vs_buy_default(&in);
    in.gpus = 1000;
    in.months = 12;
    in.util_frac = 0.7;
    in.rent_price_per_gpu_hour = 2.0;
    in.price_per_gpu = 25000;
    in.tdp_watts = 700;
    in.tariff_per_kwh = 0.08;
    gpb_rent_vs_buy_totals t;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_rel(t.capex, 32.5e6, EXACT);
    ck_assert_rel(t.power, 12 * 87638.108376, 1e-12);
    ck_assert_rel(t.energy_kwh, 12 * 1095476.3547, 1e-12);
    ck_assert_rel(t.colo, 2293200.0, 1e-12);
    ck_assert_rel(t.maintenance, 32.5e6 * 0.1, 1e-12);
    /* Resale of the cards only: 25M × 0.7^1 = 17.5M. */
    ck_assert_rel(t.resale_proceeds, 17.5e6, 1e-12);
    ck_assert_rel(t.buy_cash,
                  32.5e6 + 12 * 87638.108376 + 2293200 + 3.25e6 - 17.5e6,
                  1e-12);
}
END_TEST

START_TEST(test_rvb_financing)
{
    /*
     * One card worth 100,000 (capex 100,000), all of it borrowed at 12%
     * over 12 months, a 24-month horizon: the loan pays 8,884.88 at
     * months 1-12 and nothing is paid today; interest 6,618.55.
     */
    gpb_rent_vs_buy in;
    round_case(&in);
    in.gpus = 1;
    in.months = 24;
    in.price_per_gpu = 100000;
    in.financing = GPB_FINANCING_LOAN;
    in.loan_frac = 1.0;
    in.loan_rate_per_year = 0.12;
    in.loan_months = 12;
    gpb_rent_vs_buy_flows f;
    gpb_rent_vs_buy_totals t;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_flows_alloc(&in, &f, NULL),
                     GPB_OK);
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, &f, NULL),
                     GPB_OK);
    ck_assert(f.buy_cash[0] == 0.0);
    ck_assert_abs(f.buy_cash[1], 8884.88, 0.005);
    ck_assert_abs(f.buy_cash[12], 8884.88, 0.005);
    ck_assert(f.buy_cash[13] == 0.0);
    ck_assert_abs(t.interest, 6618.55, 0.005);
    ck_assert_rel(t.buy_cash, 100000 + t.interest, 1e-12);
    /* Interest is an expense in month 1: 1,000 on top of depreciation. */
    ck_assert_abs(f.buy_accounting[1], 100000.0 / 60 + 1000.0, 1e-6);
    gpb_finance_rent_vs_buy_flows_free(&f);

    /*
     * A 36-month loan ended by a 12-month horizon: 12 payments of
     * 3,321.43 (100,000 · 0.01 / (1 - 1.01^-36)) and the balance
     * B12 = 100,000 · 1.01^12 - 3,321.43 · (1.01^12 - 1) / 0.01
     * = 70,558.44 repaid at month 12. Interest = 12 · 3,321.43 + B12 -
     * 100,000 = 10,415.62.
     */
    in.months = 12;
    in.loan_months = 36;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_abs(t.interest, 10415.62, 0.005);
    ck_assert_rel(t.buy_cash, 100000 + 10415.61636034411, 1e-10);

    /*
     * A lease at 3% of capex a month, 3 months of lead time, 12 months:
     * nothing today, bridge rent months 1-3 (1 · 730.5 · 0.7 · 2 =
     * 1,022.70 each), lease months 4-12 (9 × 3,000), no resale.
     */
    in.financing = GPB_FINANCING_LEASE;
    in.lease_frac_per_month = 0.03;
    in.lead_time_months = 3;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_rel(t.lease_payments, 27000.0, EXACT);
    ck_assert_rel(t.bridge_rent, 3 * 1022.7, EXACT);
    ck_assert(t.resale_proceeds == 0.0 && t.depreciation == 0.0);
    ck_assert_rel(t.buy_cash, 27000.0 + 3 * 1022.7, EXACT);
    /* A payment given outright wins over the fraction. */
    in.lease_payment_per_month = 1000;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_rel(t.lease_payments, 9000.0, EXACT);
}
END_TEST

START_TEST(test_rvb_rent_modes)
{
    gpb_rent_vs_buy in;
    round_case(&in);
    gpb_rent_vs_buy_totals t;
    /* Reserved, 30 months on 12-month commitments: 36 months paid,
       1000 · 730.5 · 36 · 2 · 0.6 = 31,557,600, used or not. */
    in.rent_mode = GPB_RENT_RESERVED;
    in.months = 30;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_rel(t.rent_cash, 31557600.0, 1e-12);
    ck_assert_rel(t.rent_gpu_hours_paid, 1000 * 730.5 * 36, 1e-12);
    /* Spot, 36 months: 1000 · 730.5 · 0.7 / 0.9 · 2 · 0.4 · 36. */
    in.rent_mode = GPB_RENT_SPOT;
    in.months = 36;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_rel(t.rent_cash, 1000 * 730.5 * 0.7 / 0.9 * 2 * 0.4 * 36,
                  1e-12);
    /* Rent-out: 1000 · 730.5 · 0.3 idle hours, half let at $1.5, for 36
       months: 1000 · 730.5 · 0.3 · 0.5 · 1.5 · 36 = 5,917,050. */
    in.rent_mode = GPB_RENT_ON_DEMAND;
    in.rent_out_price_per_gpu_hour = 1.5;
    in.rent_out_util_frac = 0.5;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, NULL),
                     GPB_OK);
    ck_assert_rel(t.rent_out_income, 1000 * 730.5 * 0.3 * 0.5 * 1.5 * 36,
                  1e-12);
    ck_assert_rel(t.buy_cash, 25e6 - t.rent_out_income, 1e-12);
    /* Rent falling 20% a year: month m costs 1,022,700 · 0.8^((m-1)/12);
       month 13 is 0.8 of month 1. */
    in.rent_out_util_frac = 0;
    in.rent_price_change_frac_per_year = -0.2;
    gpb_rent_vs_buy_flows f;
    ck_assert_int_eq(gpb_finance_rent_vs_buy_flows_alloc(&in, &f, NULL),
                     GPB_OK);
    ck_assert_int_eq(gpb_finance_rent_vs_buy_eval(&in, &t, &f, NULL),
                     GPB_OK);
    ck_assert_rel(f.rent_cash[13], 0.8 * 1022700.0, 1e-12);
    gpb_finance_rent_vs_buy_flows_free(&f);
}
END_TEST

START_TEST(test_rvb_invalid)
{
    gpb_rent_vs_buy in;
    round_case(&in);
    gpb_rent_vs_buy_totals t;
    gpb_breakeven b;
    in.price_per_gpu = -1;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_EINVAL, "rent_vs_buy.price_per_gpu");
    round_case(&in);
    in.util_frac = 1.5;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_ERANGE, "rent_vs_buy.util_frac");
    ck_assert_fail(gpb_finance_breakeven_months(&in, 0, 0, &b, err),
                   GPB_ERANGE, "util_frac");
    round_case(&in);
    in.depreciation_life_months = 0;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_EINVAL, "depreciation_life_months");
    round_case(&in);
    in.tariff_per_kwh = NAN;
    ck_assert_fail(gpb_finance_breakeven_util(&in, &b, err), GPB_EINVAL,
                   "tariff_per_kwh");
    round_case(&in);
    in.rent_price_per_gpu_hour = -2;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_EINVAL, "rent_price_per_gpu_hour");
    round_case(&in);
    in.months = 0;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_EINVAL, "months");
    round_case(&in);
    in.lead_time_months = 40;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_ERANGE, "lead_time_months");
    round_case(&in);
    in.rent_mode = 9;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_EINVAL, "rent_mode");
    round_case(&in);
    in.pue = 0.5;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_EINVAL, "pue");
    round_case(&in);
    in.gpus = INFINITY;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_EINVAL, "gpus");
    round_case(&in);
    /* Arrays shorter than months + 1. */
    double small[10];
    gpb_rent_vs_buy_flows f = {10, small, NULL, NULL, NULL};
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, &f, err),
                   GPB_ERANGE, "n_points");
    ck_assert_fail(gpb_finance_breakeven_util(&in, NULL, err), GPB_EINVAL,
                   "out");
    ck_assert_fail(gpb_finance_breakeven_months(&in, 5000, 0, &b, err),
                   GPB_ERANGE, "max_months");
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(NULL, &t, NULL, err),
                   GPB_EINVAL, "rent_vs_buy");
    /* Absurd sizes overflow: ERANGE, never inf in the totals. */
    in.gpus = 1e300;
    in.price_per_gpu = 1e300;
    ck_assert_fail(gpb_finance_rent_vs_buy_eval(&in, &t, NULL, err),
                   GPB_ERANGE, "overflow");
}
END_TEST

START_TEST(test_names)
{
    gpb_rent_mode v = GPB_RENT_RESERVED;
    gpb_financing f = GPB_FINANCING_CASH;
    gpb_depreciation_method d = GPB_DEPRECIATION_STRAIGHT_LINE;
    ck_assert_int_eq(gpb_finance_rent_mode_from_name("On_Demand", &v, NULL),
                     GPB_OK);
    ck_assert_int_eq(v, GPB_RENT_ON_DEMAND);
    ck_assert_int_eq(gpb_finance_rent_mode_from_name("spot", &v, NULL),
                     GPB_OK);
    ck_assert_int_eq(v, GPB_RENT_SPOT);
    ck_assert_int_eq(gpb_finance_financing_from_name("Lease", &f, NULL),
                     GPB_OK);
    ck_assert_int_eq(f, GPB_FINANCING_LEASE);
    ck_assert_int_eq(gpb_finance_depreciation_method_from_name("ddb", &d,
                                                               NULL),
                     GPB_OK);
    ck_assert_int_eq(d, GPB_DEPRECIATION_DECLINING_BALANCE);
    ck_assert_fail(gpb_finance_rent_mode_from_name("hourly", &v, err),
                   GPB_ENOTFOUND, "on-demand, reserved or spot");
    ck_assert_int_eq(v, GPB_RENT_SPOT); /* untouched on failure */
    ck_assert_str_eq(gpb_finance_rent_mode_name(GPB_RENT_RESERVED),
                     "reserved");
    ck_assert_str_eq(gpb_finance_financing_name((gpb_financing)7), "unknown");
    ck_assert_str_eq(gpb_finance_depreciation_method_name(0),
                     "straight-line");
    ck_assert_str_eq(gpb_finance_rvb_category_name(GPB_RVB_RESALE),
                     "resale");
    ck_assert_str_eq(gpb_finance_breakeven_outcome_str(
                         GPB_BREAKEVEN_BUY_CHEAPER, 0),
                     "buying is cheaper at any utilisation");
}
END_TEST

START_TEST(test_defaults)
{
    /* The defaults are the documented figures. */
    gpb_rent_vs_buy in;
    gpb_finance_rent_vs_buy_default(&in);
    ck_assert(in.pue == 1.58);
    ck_assert(in.server_overhead == 1.82);
    ck_assert(in.tariff_per_kwh == 0.0806);
    ck_assert(in.depreciation_life_months == 60);
    ck_assert(in.gpus == 0 && in.premium == 1.0);
    /* 10.2 kW over 8 × 700 W rounds to 1.82. */
    ck_assert_abs(10200.0 / 5600.0, GPB_FINANCE_SERVER_POWER_OVERHEAD_DEFAULT,
                  0.005);
    /* The lease default is the 36-month 1%-a-month annuity factor. */
    double pay;
    ck_assert_int_eq(gpb_finance_loan_payment(1, 0.12, 36, &pay, NULL),
                     GPB_OK);
    ck_assert_abs(pay, GPB_FINANCE_LEASE_FRAC_PER_MONTH_DEFAULT, 5e-7);
    gpb_finance_rent_vs_buy_default(NULL);
    gpb_finance_depreciation_default(NULL);
}
END_TEST

/*
 * Data work by hand: 10T tokens (10,000 billion), 30 CPU core-hours and
 * 0.4 GPU-hours per billion (docs/model.md's published figures), on 1,000
 * cores and 8 GPUs: 300,000 core-hours (410.68 h of wall time, 0.56219
 * months) and 4,000 GPU-hours (500 h, 0.68446 months): 1.24666 months of
 * processing. 100,000 labels at $0.5 by 10 annotators at 200 a day:
 * 50 working days = 50 / 21.7411 = 2.299795 months, the longest term.
 * Cost: 300,000 · $0.05 + 4,000 · $2 + 100,000 · $0.5 + $1M licensing =
 * $15,000 + $8,000 + $50,000 + $1M = $1,073,000. Paid: $1M + $73,000/3
 * in the first month, $73,000/3 in the next two, nothing after.
 */
START_TEST(test_data_work)
{
    gpb_data_work_spec sp;
    gpb_finance_data_work_spec_default(&sp);
    sp.units = 10e12;
    sp.cpu_hours_per_billion = 30;
    sp.gpu_hours_per_billion = 0.4;
    sp.cpu_price_per_hour = 0.05;
    sp.gpu_price_per_hour = 2;
    sp.cpus = 1000;
    sp.gpus = 8;
    sp.licensing = 1e6;
    sp.labels = 1e5;
    sp.price_per_label = 0.5;
    sp.labels_per_annotator_per_day = 200;
    sp.annotators = 10;
    gpb_data_work w;
    ck_assert_int_eq(gpb_data_work_compute(&sp, &w, NULL), GPB_OK);
    ck_assert_rel(w.cpu_hours, 3e5, EXACT);
    ck_assert_rel(w.gpu_hours, 4e3, EXACT);
    ck_assert_rel(w.processing_cost, 23000, EXACT);
    ck_assert_rel(w.labels_cost, 50000, EXACT);
    ck_assert_rel(w.total_cost, 1073000, EXACT);
    ck_assert_rel(w.processing_months, 300.0 / 730.5 + 500.0 / 730.5, EXACT);
    ck_assert_rel(w.labelling_months, 50 / (365.25 * 5 / 7 / 12), EXACT);
    ck_assert_rel(w.months, w.labelling_months, EXACT);
    ck_assert_abs(w.months, 2.299795, 1e-6);
    ck_assert_rel(gpb_data_work_month(&w, 0), 1e6 + 73000.0 / 3, EXACT);
    ck_assert_rel(gpb_data_work_month(&w, 2), 73000.0 / 3, EXACT);
    ck_assert_rel(gpb_data_work_month(&w, 3), 0, EXACT);
    ck_assert_rel(gpb_data_work_month(&w, -1), 0, EXACT);
    double sum = 0;
    for (int k = 0; k < 10; k++)
        sum += gpb_data_work_month(&w, k);
    ck_assert_rel(sum, w.total_cost, EXACT);
    /* A floor on the time wins when it is longer; no resource means no
       limit from that term; no work at all takes no time. */
    sp.min_months = 22;
    sp.cpus = 0;
    ck_assert_int_eq(gpb_data_work_compute(&sp, &w, NULL), GPB_OK);
    ck_assert_rel(w.months, 22, EXACT);
    ck_assert_rel(w.processing_months, 500.0 / 730.5, EXACT);
    ck_assert_rel(gpb_data_work_month(&w, 21), 73000.0 / 22, EXACT);
    gpb_finance_data_work_spec_default(&sp);
    ck_assert_int_eq(gpb_data_work_compute(&sp, &w, NULL), GPB_OK);
    ck_assert_rel(w.months, 0, EXACT);
    ck_assert_rel(gpb_data_work_month(&w, 0), 0, EXACT);
    gpb_finance_data_work_spec_default(NULL);
    ck_assert_rel(gpb_data_work_month(NULL, 0), 0, EXACT);
}
END_TEST

START_TEST(test_data_work_invalid)
{
    gpb_data_work_spec sp;
    gpb_data_work w;
    gpb_error e;
    ck_assert_int_eq(gpb_data_work_compute(NULL, &w, &e), GPB_EINVAL);
    gpb_finance_data_work_spec_default(&sp);
    ck_assert_int_eq(gpb_data_work_compute(&sp, NULL, &e), GPB_EINVAL);
    double *fields[] = {&sp.units, &sp.cpus, &sp.price_per_label,
                        &sp.min_months};
    const char *names[] = {"units", "cpus", "price_per_label", "min_months"};
    for (size_t i = 0; i < 4; i++) {
        const double bad[] = {-1, NAN, INFINITY};
        for (size_t j = 0; j < 3; j++) {
            gpb_finance_data_work_spec_default(&sp);
            *fields[i] = bad[j];
            ck_assert_int_eq(gpb_data_work_compute(&sp, &w, &e), GPB_EINVAL);
            ck_assert_msg(strstr(e.message, names[i]) != NULL, "%s",
                          e.message);
        }
    }
}
END_TEST

static Suite *finance_suite(void)
{
    Suite *s = suite_create("finance");
    TCase *tc = tcase_create("depreciation");
    tcase_add_test(tc, test_straight_line);
    tcase_add_test(tc, test_double_declining);
    tcase_add_test(tc, test_declining_floor);
    tcase_add_test(tc, test_depreciation_invalid);
    tcase_add_test(tc, test_resale);
    suite_add_tcase(s, tc);

    tc = tcase_create("owning");
    tcase_add_test(tc, test_capex);
    tcase_add_test(tc, test_claim_c9_fits_c8);
    tcase_add_test(tc, test_power);
    tcase_add_test(tc, test_loan);
    tcase_add_test(tc, test_rent_modes);
    tcase_add_test(tc, test_npv);
    suite_add_tcase(s, tc);

    tc = tcase_create("rent_vs_buy");
    tcase_add_test(tc, test_rvb_round_numbers);
    tcase_add_test(tc, test_breakeven_util_round);
    tcase_add_test(tc, test_breakeven_util_none);
    tcase_add_test(tc, test_breakeven_months_round);
    tcase_add_test(tc, test_breakeven_months_settled);
    tcase_add_test(tc, test_rvb_consistency);
    tcase_add_test(tc, test_rvb_running_costs);
    tcase_add_test(tc, test_rvb_financing);
    tcase_add_test(tc, test_rvb_rent_modes);
    tcase_add_test(tc, test_rvb_invalid);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_defaults);
    suite_add_tcase(s, tc);

    tc = tcase_create("data_work");
    tcase_add_test(tc, test_data_work);
    tcase_add_test(tc, test_data_work_invalid);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(finance_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
