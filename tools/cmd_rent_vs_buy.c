/*
 * gpubudget rent-vs-buy: month-by-month cash of renting G GPUs versus
 * buying them, totals, NPVs and the break-even utilisation and horizon.
 * Every number comes from the finance, hardware and units layers; this file
 * only parses options, converts currencies and prints.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What an option's value is. K_FRAC is a fraction in [0, 1] and
   K_FRAC_BELOW1 one in [0, 1) (finance.h's _frac fields). */
enum kind { K_NUM, K_FRAC, K_FRAC_BELOW1, K_MONTHS, K_MONEY, K_PER_HOUR,
            K_PER_KWH, K_STR, K_FLAG };

/* A money option: the quantity as given, and whether it was. */
typedef struct money {
    gpb_quantity q;
    int given;
} money;

struct spec {
    cli_key key;
    enum kind kind;
    void *dst;
};

/* Months: a bare number, or a duration ("3 months", "1 year"). */
static int parse_months(const char *opt, const char *text, double *out)
{
    gpb_quantity q;
    gpb_error e;
    if (gpb_units_parse_as(text, GPB_QTY_DURATION, &q, &e) == GPB_OK) {
        *out = q.value / GPB_HOURS_PER_MONTH;
        /* "3 months" is 2191.5 h: give back exactly 3. */
        if (fabs(*out - round(*out)) < 1e-9)
            *out = round(*out);
        return 0;
    }
    return cli_parse_number(opt, text, out);
}

static int parse_one(const struct spec *s, const char *arg)
{
    const char *name = cli_key_name((int)s->key);
    switch (s->kind) {
    case K_NUM:
        return cli_parse_number(name, arg, s->dst);
    case K_FRAC:
        return cli_parse_fraction(name, arg, GPB_FRAC_CLOSED, s->dst);
    case K_FRAC_BELOW1:
        return cli_parse_fraction(name, arg, GPB_FRAC_OPEN_HI, s->dst);
    case K_MONTHS:
        return parse_months(name, arg, s->dst);
    case K_MONEY:
    case K_PER_HOUR:
    case K_PER_KWH: {
        gpb_qty_kind k = s->kind == K_MONEY      ? GPB_QTY_MONEY
                         : s->kind == K_PER_HOUR ? GPB_QTY_MONEY_PER_HOUR
                                                 : GPB_QTY_MONEY_PER_KWH;
        money *m = s->dst;
        /* A bare amount ("2.2", "$2.2") is a price per hour or per kWh. */
        gpb_error e;
        if (k != GPB_QTY_MONEY &&
            gpb_units_parse_as(arg, GPB_QTY_MONEY, &m->q, &e) == GPB_OK) {
            m->q.kind = k;
            m->given = 1;
            return 0;
        }
        if (cli_parse_qty(name, arg, k, &m->q) != 0)
            return -1;
        m->given = 1;
        return 0;
    }
    case K_STR:
        *(const char **)s->dst = arg;
        return 0;
    case K_FLAG:
        *(int *)s->dst = 1;
        return 0;
    }
    return -1;
}

/*
 * Display width of n bytes of UTF-8: characters of 3 or 4 bytes (CJK such
 * as 万 and 亿) count 2 columns, others 1.
 */
static int text_width_n(const char *s, size_t n)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80)
            w++;
        else if (p[i] >= 0xE0)
            w += 2;
        else if (p[i] >= 0xC0)
            w++;
    }
    return w;
}

static int text_width(const char *s) { return text_width_n(s, strlen(s)); }

/* Prints s right-aligned in width display columns. */
static void put_right(const char *s, int width)
{
    for (int pad = width - text_width(s); pad > 0; pad--)
        fputc(' ', stdout);
    fputs(s, stdout);
}

/*
 * Prints text wrapped at 78 columns at word boundaries, the first line
 * starting with first and the others with rest.
 */
static void put_wrapped(const char *first, const char *rest,
                        const char *text)
{
    int col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - w);
        if (len == 0)
            break;
        int ww = text_width_n(w, len);
        if (col == 0) {
            fputs(first, stdout);
            col = text_width(first);
        } else if (col + 1 + ww > 78) {
            fputc('\n', stdout);
            fputs(rest, stdout);
            col = text_width(rest);
        } else {
            fputc(' ', stdout);
            col++;
        }
        fwrite(w, 1, len, stdout);
        col += ww;
    }
    if (col)
        fputc('\n', stdout);
}

/* Money in the report currency, right-aligned in width columns. */
static void put_money(double v, gpb_currency cur, int width)
{
    char b[64];
    cli_format_money(v, cur, b, sizeof b);
    put_right(b, width);
}

static const char *money_str(double v, gpb_currency cur, char *b, size_t n)
{
    cli_format_money(v, cur, b, n);
    return b;
}

/* A price with more digits than cli_format_money keeps ("$0.0806"). */
static const char *price_str(double v, gpb_currency cur, char *b, size_t n)
{
    gpb_units_format_money(v, cur,
                           cur == GPB_CURRENCY_CNY ? GPB_STYLE_ZH
                                                   : GPB_STYLE_EN,
                           4, b, n);
    return b;
}

/* The options' state, converted to one currency. */
typedef struct opts {
    const char *gpu, *mode, *financing, *depreciation;
    double gpus, months, util, premium, overhead, gpus_per_node, lead;
    double reserved_discount, commitment, spot_discount, preemption;
    double rent_change, pue, server_overhead, idle, tdp, maintenance, life;
    double resale_decline, resale_floor, loan_frac, loan_rate, loan_months;
    double lease_frac, rent_out_util, discount_rate;
    money rent, price, tariff, colo, overhead_node, lease_payment, rent_out;
    int json;
    const char *scenario, *paths_text, *seed_text;
} opts;

/*
 * Converts a given amount to the report currency cur; an amount written
 * without a currency is taken to be in cur already. Sets *converted.
 */
static int to_cur(const char *opt, const money *m, gpb_currency cur,
                  const gpb_fx *fx, double *out, int *converted)
{
    gpb_error e;
    if (m->q.currency == GPB_CURRENCY_NONE || m->q.currency == cur) {
        *out = m->q.value;
        return 0;
    }
    if (gpb_units_fx_convert(fx, m->q.value, m->q.currency, cur, out, &e)) {
        cli_error_gpb(opt, &e);
        return -1;
    }
    *converted = 1;
    return 0;
}

/* A US-dollar default in the report currency. */
static double usd_to(double usd, gpb_currency cur, const gpb_fx *fx)
{
    double v = usd;
    gpb_units_fx_convert(fx, usd, GPB_CURRENCY_USD, cur, &v, NULL);
    return v;
}

static json_t *breakeven_json(const gpb_breakeven *b, int months)
{
    json_t *o = json_object();
    json_object_set_new(o, "outcome",
                        json_string(gpb_finance_breakeven_outcome_str(
                            b->outcome, months)));
    json_object_set_new(o, "value", b->outcome == GPB_BREAKEVEN_FOUND
                                        ? json_real(b->value)
                                        : json_null());
    json_object_set_new(o, "buy_cheaper_above",
                        json_boolean(b->buy_cheaper_above));
    return o;
}

/* Solves one break-even, printing any error other than "no root". */
static gpb_status solve(const gpb_rent_vs_buy *in, int months, int settle,
                        gpb_breakeven *b)
{
    gpb_error e;
    gpb_status st = months ? gpb_finance_breakeven_months(in, 0, settle, b,
                                                         &e)
                           : gpb_finance_breakeven_util(in, b, &e);
    if (st != GPB_OK && st != GPB_ENOTFOUND)
        cli_error_gpb(months ? "break-even months" : "break-even utilisation",
                      &e);
    return st;
}

static int print_json(const gpb_rent_vs_buy *in, const gpb_gpu *gpu,
                      gpb_currency cur, const char *rent_src,
                      const char *price_src, const gpb_rent_vs_buy_totals *t,
                      const gpb_rent_vs_buy_flows *f,
                      const gpb_breakeven *bu, const gpb_breakeven *bm,
                      const gpb_breakeven *bs)
{
    json_t *o = json_object(), *i = json_object();
    json_object_set_new(o, "gpu", json_string(gpu->name));
    json_object_set_new(o, "currency", json_string(gpb_currency_code(cur)));
    json_object_set_new(i, "gpus", json_real(in->gpus));
    json_object_set_new(i, "months", json_real(in->months));
    json_object_set_new(i, "util_frac", json_real(in->util_frac));
    json_object_set_new(i, "rent_price_per_gpu_hour",
                        json_real(in->rent_price_per_gpu_hour));
    json_object_set_new(i, "rent_source", json_string(rent_src));
    json_object_set_new(i, "rent_mode",
                        json_string(gpb_finance_rent_mode_name(
                            in->rent_mode)));
    json_object_set_new(i, "price_per_gpu", json_real(in->price_per_gpu));
    json_object_set_new(i, "price_source", json_string(price_src));
    json_object_set_new(i, "premium", json_real(in->premium));
    json_object_set_new(i, "overhead_frac", json_real(in->overhead_frac));
    json_object_set_new(i, "lead_time_months",
                        json_real(in->lead_time_months));
    json_object_set_new(i, "tdp_watts", json_real(in->tdp_watts));
    json_object_set_new(i, "server_overhead",
                        json_real(in->server_overhead));
    json_object_set_new(i, "pue", json_real(in->pue));
    json_object_set_new(i, "idle_power_frac",
                        json_real(in->idle_power_frac));
    json_object_set_new(i, "tariff_per_kwh", json_real(in->tariff_per_kwh));
    json_object_set_new(i, "colo_per_kw_month",
                        json_real(in->colo_per_kw_month));
    json_object_set_new(i, "maintenance_frac_per_year",
                        json_real(in->maintenance_frac_per_year));
    json_object_set_new(i, "depreciation",
                        json_string(gpb_finance_depreciation_method_name(
                            in->depreciation_method)));
    json_object_set_new(i, "depreciation_life_months",
                        json_real(in->depreciation_life_months));
    json_object_set_new(i, "resale_decline_frac_per_year",
                        json_real(in->resale_decline_frac_per_year));
    json_object_set_new(i, "financing",
                        json_string(gpb_finance_financing_name(
                            in->financing)));
    json_object_set_new(i, "discount_rate_per_year",
                        json_real(in->discount_rate_per_year));
    json_object_set_new(o, "inputs", i);

    json_object_set_new(o, "rent_cash_total", json_real(t->rent_cash));
    json_object_set_new(o, "buy_cash_total", json_real(t->buy_cash));
    json_object_set_new(o, "buy_accounting_total",
                        json_real(t->buy_accounting));
    json_object_set_new(o, "rent_npv", json_real(t->rent_npv));
    json_object_set_new(o, "buy_npv", json_real(t->buy_npv));
    json_object_set_new(o, "capex", json_real(t->capex));
    json_object_set_new(o, "power", json_real(t->power));
    json_object_set_new(o, "energy_kwh", json_real(t->energy_kwh));
    json_object_set_new(o, "colo", json_real(t->colo));
    json_object_set_new(o, "maintenance", json_real(t->maintenance));
    json_object_set_new(o, "bridge_rent", json_real(t->bridge_rent));
    json_object_set_new(o, "interest", json_real(t->interest));
    json_object_set_new(o, "lease_payments", json_real(t->lease_payments));
    json_object_set_new(o, "rent_out_income", json_real(t->rent_out_income));
    json_object_set_new(o, "resale_proceeds", json_real(t->resale_proceeds));
    json_object_set_new(o, "depreciation", json_real(t->depreciation));
    json_object_set_new(o, "loss_on_sale", json_real(t->loss_on_sale));
    json_object_set_new(o, "rent_gpu_hours_paid",
                        json_real(t->rent_gpu_hours_paid));
    json_object_set_new(o, "cheaper", json_string(t->npv_buy_minus_rent < 0
                                                      ? "buy"
                                                      : "rent"));
    json_object_set_new(o, "breakeven_utilization",
                        bu->outcome == GPB_BREAKEVEN_FOUND
                            ? json_real(bu->value)
                            : json_null());
    json_object_set_new(o, "breakeven_months",
                        bm->outcome == GPB_BREAKEVEN_FOUND
                            ? json_real(bm->value)
                            : json_null());
    json_object_set_new(o, "breakeven_months_settled",
                        bs->outcome == GPB_BREAKEVEN_FOUND
                            ? json_real(bs->value)
                            : json_null());
    json_object_set_new(o, "breakeven_utilization_detail",
                        breakeven_json(bu, 0));
    json_object_set_new(o, "breakeven_months_detail",
                        breakeven_json(bm, 1));
    json_object_set_new(o, "breakeven_months_settled_detail",
                        breakeven_json(bs, 1));

    json_t *arr = json_array();
    for (size_t m = 0; m < f->n_points; m++) {
        json_t *r = json_object(), *c = json_object();
        json_object_set_new(r, "month", json_integer((json_int_t)m));
        json_object_set_new(r, "rent_cash", json_real(f->rent_cash[m]));
        json_object_set_new(r, "buy_cash", json_real(f->buy_cash[m]));
        json_object_set_new(r, "buy_accounting",
                            json_real(f->buy_accounting[m]));
        for (int k = 0; k < GPB_RVB_CATEGORY_COUNT; k++)
            json_object_set_new(
                c, gpb_finance_rvb_category_name(k),
                json_real(f->buy_by_category[m * GPB_RVB_CATEGORY_COUNT +
                                             (size_t)k]));
        json_object_set_new(r, "buy_by_category", c);
        json_array_append_new(arr, r);
    }
    json_object_set_new(o, "by_month", arr);
    return cli_json_print(o);
}

/* Whether month m gets a row of the compact table. */
static int show_row(long m, long T, long L)
{
    if (T <= 24 || m <= 3 || m == T || m == L || m == L + 1)
        return 1;
    return m % (T <= 60 ? 3 : 12) == 0;
}

static void print_breakeven(const char *label, const gpb_breakeven *b,
                            int months, const char *unit_note)
{
    printf("  %-24s", label);
    if (b->outcome != GPB_BREAKEVEN_FOUND) {
        printf("none: %s\n",
               gpb_finance_breakeven_outcome_str(b->outcome, months));
        return;
    }
    if (months)
        printf("%.1f months", b->value);
    else
        printf("%.3f", b->value);
    printf(" (%s cheaper %s it)%s\n",
           b->buy_cheaper_above ? "buying" : "renting",
           months ? "after" : "above", unit_note);
}

static void print_text(const gpb_rent_vs_buy *in, const gpb_gpu *gpu,
                       gpb_currency cur, const char *rent_src,
                       const char *price_src, int converted,
                       const gpb_fx *fx, const gpb_rent_vs_buy_totals *t,
                       const gpb_rent_vs_buy_flows *f,
                       const gpb_breakeven *bu, const gpb_breakeven *bm,
                       const gpb_breakeven *bs)
{
    char b1[64], b2[64], b3[64];
    long T = (long)in->months, L = (long)in->lead_time_months;
    printf("Rent or buy %.0f × %s for %ld months at %.0f%% utilisation "
           "(%s)\n\n",
           in->gpus, gpu->name, T, 100 * in->util_frac,
           gpb_currency_code(cur));
    printf("  rent   %s per GPU-hour, %s",
           price_str(in->rent_price_per_gpu_hour, cur, b1, sizeof b1),
           gpb_finance_rent_mode_name(in->rent_mode));
    if (in->rent_mode == GPB_RENT_RESERVED)
        printf(", %.0f%% off, %.0f-month commitments",
               100 * in->reserved_discount_frac,
               in->reserved_commitment_months);
    else if (in->rent_mode == GPB_RENT_SPOT)
        printf(", %.0f%% off, %.0f%% of work lost",
               100 * in->spot_discount_frac,
               100 * in->spot_preemption_loss_frac);
    printf("\n");
    put_wrapped("         ", "         ", rent_src);
    printf("  buy    %s per card", money_str(in->price_per_gpu, cur, b1,
                                             sizeof b1));
    if (in->premium != 1.0)
        printf(" × %.2f premium", in->premium);
    printf(" + %.0f%% servers/network = %s\n", 100 * in->overhead_frac,
           money_str(t->capex, cur, b2, sizeof b2));
    put_wrapped("         ", "         ", price_src);
    if (in->financing == GPB_FINANCING_LOAN)
        printf("         %.0f%% borrowed at %.3g%% a year over %.0f "
               "months\n",
               100 * in->loan_frac, 100 * in->loan_rate_per_year,
               in->loan_months);
    else if (in->financing == GPB_FINANCING_LEASE)
        printf("         leased for %s a month (no purchase, no resale)\n",
               money_str(t->lease_payments /
                             (in->months - in->lead_time_months),
                         cur, b1, sizeof b1));
    else
        printf("         paid in cash today\n");
    if (L > 0)
        printf("         delivered after %ld months; rented until then\n",
               L);
    printf("  power  %.0f W × %.2f server × PUE %.2f at %s/kWh, idle %.0f%%"
           "\n         colocation %s per kW-month\n",
           in->tdp_watts, in->server_overhead, in->pue,
           price_str(in->tariff_per_kwh, cur, b1, sizeof b1),
           100 * in->idle_power_frac,
           money_str(in->colo_per_kw_month, cur, b2, sizeof b2));
    printf("  books  %s over %.0f months, maintenance %.0f%% of capex a "
           "year,\n         resale value falls %.0f%% a year\n",
           gpb_finance_depreciation_method_name(in->depreciation_method),
           in->depreciation_life_months,
           100 * in->maintenance_frac_per_year,
           100 * in->resale_decline_frac_per_year);
    if (converted)
        printf("  amounts converted to %s at %.4f CNY and %.4f EUR per "
               "USD\n",
               gpb_currency_code(cur), fx->per_usd[GPB_CURRENCY_CNY],
               fx->per_usd[GPB_CURRENCY_EUR]);

    printf("\n  month   rent cash    buy cash  buy (books)   cum. rent"
           "    cum. buy\n");
    double cr = 0, cb = 0;
    for (long m = 0; m <= T; m++) {
        cr += f->rent_cash[m];
        cb += f->buy_cash[m];
        if (!show_row(m, T, L))
            continue;
        printf("  %5ld", m);
        put_money(f->rent_cash[m], cur, 12);
        put_money(f->buy_cash[m], cur, 12);
        put_money(f->buy_accounting[m], cur, 13);
        put_money(cr, cur, 12);
        put_money(cb, cur, 12);
        printf("\n");
    }
    printf("  (month 0 is today; month m's bills are paid at its end");
    if (in->financing != GPB_FINANCING_LEASE)
        printf(";\n  month %ld includes the sale of the cards%s", T,
               in->financing == GPB_FINANCING_LOAN
                   ? " and the loan's payoff"
                   : "");
    printf(")\n\n");

    printf("  %-24s%12s%12s\n", "", "rent", "buy");
    printf("  %-24s", "cash, total");
    put_money(t->rent_cash, cur, 12);
    put_money(t->buy_cash, cur, 12);
    snprintf(b3, sizeof b3, "NPV at %.3g%% a year",
             100 * in->discount_rate_per_year);
    printf("\n  %-24s", b3);
    put_money(t->rent_npv, cur, 12);
    put_money(t->buy_npv, cur, 12);
    /* What buying costs, the items that are not zero. */
    const struct {
        const char *label;
        double v;
    } items[] = {{"capex", t->capex},
                 {"lease", t->lease_payments},
                 {"interest", t->interest},
                 {"bridge rent", t->bridge_rent},
                 {"power", t->power},
                 {"colocation", t->colo},
                 {"maintenance", t->maintenance},
                 {"rent-out", -t->rent_out_income},
                 {"resale", -t->resale_proceeds}};
    char line[512] = "";
    size_t len = 0;
    for (size_t k = 0; k < sizeof items / sizeof items[0]; k++) {
        if (items[k].v == 0.0 ||
            (k == 0 && in->financing == GPB_FINANCING_LEASE))
            continue;
        int w = snprintf(line + len, sizeof line - len, "%s%s %s",
                         len ? ", " : "", items[k].label,
                         money_str(items[k].v, cur, b1, sizeof b1));
        if (w > 0 && (size_t)w < sizeof line - len)
            len += (size_t)w;
    }
    printf("\n\n");
    put_wrapped("  buying  ", "          ", line);
    printf("\n");
    print_breakeven("break-even utilisation", bu, 0, "");
    print_breakeven("break-even (payback)", bm, 1, "");
    print_breakeven("break-even (if sold)", bs, 1, "");
    double d = t->npv_buy_minus_rent;
    printf("\n  At %.0f%% utilisation %s is cheaper by %s in NPV.\n",
           100 * in->util_frac, d < 0 ? "buying" : "renting",
           money_str(fabs(d), cur, b1, sizeof b1));
}

/* ---- under a scenario: the engine, two plans ----------------------------- */

/* What getting the compute costs in a month of a plan: rent, serving, and
   everything owning cards pays and earns. */
static const gpb_category compute_cats[] = {
    GPB_CAT_COMPUTE_RENT, GPB_CAT_SERVING, GPB_CAT_HARDWARE,
    GPB_CAT_FINANCING,    GPB_CAT_POWER,   GPB_CAT_HOSTING,
    GPB_CAT_MAINTENANCE,  GPB_CAT_RESALE,  GPB_CAT_RENT_OUT};

static double compute_month(const gpb_result *r, int m)
{
    double v = 0;
    for (size_t k = 0; k < sizeof compute_cats / sizeof *compute_cats; k++) {
        gpb_category c = compute_cats[k];
        double x = gpb_result_ledger_mean(r, m, c);
        v += gpb_category_flow(c) == GPB_FLOW_SPEND ? x : -x;
    }
    return v;
}

/*
 * rent-vs-buy --scenario: the scenario as written (its runs on its
 * fleets) against the same scenario renting every card instead, both by
 * the engine on the same paths (common random numbers). Every figure
 * printed comes from the two runs.
 */
static int rvb_scenario(const char *path, const char *sets,
                        const char *paths_text, const char *seed_text,
                        double rate, int json)
{
    gpb_scenario *sc = NULL;
    if (cli_load_scenario_set(path, sets, &sc))
        return CLI_BAD_INPUT;
    /* The rate: --discount-rate, else the scenario's, else the finance
       layer's default. */
    if (isnan(rate))
        rate = gpb_scenario_discount_rate(sc);
    if (isnan(rate))
        rate = GPB_FINANCE_DISCOUNT_RATE_PER_YEAR_DEFAULT;
    gpb_sim_options so;
    gpb_sim_options_default(&so);
    so.discount_rate_per_year = rate;
    so.ledger = 1; /* the table of months */
    if ((paths_text && cli_parse_sim_option("paths", paths_text, &so)) ||
        (seed_text && cli_parse_sim_option("seed", seed_text, &so))) {
        gpb_scenario_free(sc);
        return CLI_BAD_INPUT;
    }
    gpb_result *buy = NULL, *rent = NULL;
    gpb_error e;
    int rc = CLI_OK;
    gpb_paired_diff d;
    gpb_currency cur = gpb_scenario_currency(sc);
    size_t hw;
    if (gpb_sim_run(sc, &so, &buy, &e)) {
        cli_error_gpb(path, &e);
        rc = e.status == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
        goto done;
    }
    if (gpb_result_metric_find(buy, "spend.hardware", &hw, NULL) ||
        !gpb_result_metric_nonzero(buy, hw)) {
        cli_error("%s buys no cards within its horizon: nothing to compare "
                  "with renting (add a fleet that a run uses)",
                  path);
        rc = CLI_BAD_INPUT;
        goto done;
    }
    so.rent_instead_of_buying = 1;
    if (gpb_sim_run(sc, &so, &rent, &e) ||
        gpb_result_paired_diff(buy, rent, "npv.cost", &d, &e)) {
        cli_error_gpb(path, &e);
        rc = CLI_INTERNAL;
        goto done;
    }
    int H = gpb_result_horizon_months(buy);
    if (json) {
        json_t *o = json_object(), *u = json_object(), *months = json_array();
        json_object_set_new(o, "scenario", json_string(path));
        json_object_set_new(o, "currency", json_string(gpb_currency_code(cur)));
        json_object_set_new(o, "paths", json_integer((json_int_t)d.paths));
        json_object_set_new(o, "seed",
                            json_integer((json_int_t)gpb_result_seed(buy)));
        json_object_set_new(o, "discount_rate_per_year", json_real(rate));
        json_object_set_new(u, "p_buy_cheaper", json_real(d.p_a_lower));
        json_object_set_new(
            u, "p_buy_cheaper_se",
            json_real(sqrt(d.p_a_lower * (1 - d.p_a_lower) / (double)d.paths)));
        double mb, mr;
        gpb_result_mean(buy, "npv.cost", &mb, NULL, NULL);
        gpb_result_mean(rent, "npv.cost", &mr, NULL, NULL);
        json_object_set_new(u, "buy_npv_mean", json_real(mb));
        json_object_set_new(u, "rent_npv_mean", json_real(mr));
        json_object_set_new(u, "npv_buy_minus_rent_mean", json_real(d.mean));
        json_object_set_new(u, "npv_buy_minus_rent_se",
                            json_real(d.std_error));
        json_object_set_new(u, "npv_buy_minus_rent_p5", json_real(d.p5));
        json_object_set_new(u, "npv_buy_minus_rent_p50", json_real(d.p50));
        json_object_set_new(u, "npv_buy_minus_rent_p95", json_real(d.p95));
        json_object_set_new(o, "uncertain", u);
        for (int m = 0; m < H; m++) {
            json_t *row = json_object();
            json_object_set_new(row, "month", json_integer(m));
            json_object_set_new(row, "buy_mean",
                                json_real(compute_month(buy, m)));
            json_object_set_new(row, "rent_mean",
                                json_real(compute_month(rent, m)));
            json_array_append_new(months, row);
        }
        json_object_set_new(o, "months", months);
        rc = cli_json_print(o);
        goto done;
    }
    char b1[64], b2[64], b3[64];
    printf("Rent or buy, as %s plans it (%zu paths, seed %llu; NPV at %.1f%% "
           "a year)\n\n",
           path, d.paths, (unsigned long long)gpb_result_seed(buy),
           100 * rate);
    printf("  P(buying is cheaper, by NPV) = %.1f%% (± %.1f%%)\n",
           100 * d.p_a_lower,
           100 * sqrt(d.p_a_lower * (1 - d.p_a_lower) / (double)d.paths));
    printf("  NPV(buy) − NPV(rent): P5 %s, P50 %s, P95 %s\n",
           money_str(d.p5, cur, b1, sizeof b1),
           money_str(d.p50, cur, b2, sizeof b2),
           money_str(d.p95, cur, b3, sizeof b3));
    printf("  mean %s ± %s (negative favours buying)\n\n",
           money_str(d.mean, cur, b1, sizeof b1),
           money_str(d.std_error, cur, b2, sizeof b2));
    printf("  Mean cash for compute by month (rent, serving, cards bought, "
           "financing,\n  power, hosting, maintenance, less resale and "
           "letting out):\n");
    printf("  %5s %14s %14s\n", "month", "buy", "rent");
    double sb = 0, sr = 0;
    for (int m = 0; m < H; m++) {
        double vb = compute_month(buy, m), vr = compute_month(rent, m);
        sb += vb;
        sr += vr;
        printf("  %5d %14s %14s\n", m, money_str(vb, cur, b1, sizeof b1),
               money_str(vr, cur, b2, sizeof b2));
    }
    printf("  %5s %14s %14s\n", "total", money_str(sb, cur, b1, sizeof b1),
           money_str(sr, cur, b2, sizeof b2));
done:
    gpb_result_free(buy);
    gpb_result_free(rent);
    gpb_scenario_free(sc);
    return rc;
}

static int rvb_cmd(int argc, char **argv, char **sets);

int cmd_rent_vs_buy(int argc, char **argv)
{
    char *sets = NULL; /* --set values (with --scenario) */
    int rc = rvb_cmd(argc, argv, &sets);
    free(sets);
    return rc;
}

static int rvb_cmd(int argc, char **argv, char **sets)
{
    opts o;
    memset(&o, 0, sizeof o);
    gpb_rent_vs_buy in;
    gpb_finance_rent_vs_buy_default(&in);
    o.gpus = o.months = NAN;
    o.util = in.util_frac;
    o.premium = in.premium;
    o.overhead = NAN; /* the catalog's server share or the default */
    o.gpus_per_node = in.gpus_per_node;
    o.reserved_discount = in.reserved_discount_frac;
    o.commitment = in.reserved_commitment_months;
    o.spot_discount = in.spot_discount_frac;
    o.preemption = in.spot_preemption_loss_frac;
    o.rent_change = in.rent_price_change_frac_per_year;
    o.pue = in.pue;
    o.server_overhead = in.server_overhead;
    o.idle = in.idle_power_frac;
    o.tdp = NAN;
    o.maintenance = in.maintenance_frac_per_year;
    o.life = in.depreciation_life_months;
    o.resale_decline = in.resale_decline_frac_per_year;
    o.resale_floor = in.resale_floor_frac;
    o.loan_frac = in.loan_frac;
    o.loan_rate = in.loan_rate_per_year;
    o.loan_months = in.loan_months;
    o.lease_frac = in.lease_frac_per_month;
    o.rent_out_util = in.rent_out_util_frac;
    o.discount_rate = NAN; /* the default, or the scenario's */

    const struct spec specs[] = {
        {CLI_KEY_GPU, K_STR, &o.gpu},
        {CLI_KEY_GPUS, K_NUM, &o.gpus},
        {CLI_KEY_MONTHS, K_MONTHS, &o.months},
        {CLI_KEY_UTILIZATION, K_FRAC, &o.util},
        {CLI_KEY_UTILISATION, K_FRAC, &o.util},
        {CLI_KEY_RENT, K_PER_HOUR, &o.rent},
        {CLI_KEY_MODE, K_STR, &o.mode},
        {CLI_KEY_RESERVED_DISCOUNT, K_FRAC, &o.reserved_discount},
        {CLI_KEY_COMMITMENT, K_MONTHS, &o.commitment},
        {CLI_KEY_SPOT_DISCOUNT, K_FRAC, &o.spot_discount},
        {CLI_KEY_PREEMPTION_LOSS, K_FRAC_BELOW1, &o.preemption},
        {CLI_KEY_RENT_CHANGE, K_NUM, &o.rent_change},
        {CLI_KEY_PRICE, K_MONEY, &o.price},
        {CLI_KEY_PREMIUM, K_NUM, &o.premium},
        {CLI_KEY_OVERHEAD, K_NUM, &o.overhead},
        {CLI_KEY_OVERHEAD_PER_NODE, K_MONEY, &o.overhead_node},
        {CLI_KEY_GPUS_PER_NODE, K_NUM, &o.gpus_per_node},
        {CLI_KEY_LEAD_TIME, K_MONTHS, &o.lead},
        {CLI_KEY_TARIFF, K_PER_KWH, &o.tariff},
        {CLI_KEY_PUE, K_NUM, &o.pue},
        {CLI_KEY_SERVER_OVERHEAD, K_NUM, &o.server_overhead},
        {CLI_KEY_IDLE_POWER, K_FRAC, &o.idle},
        {CLI_KEY_TDP, K_NUM, &o.tdp},
        {CLI_KEY_COLO, K_MONEY, &o.colo},
        {CLI_KEY_MAINTENANCE, K_FRAC, &o.maintenance},
        {CLI_KEY_DEPRECIATION, K_STR, &o.depreciation},
        {CLI_KEY_LIFE, K_MONTHS, &o.life},
        {CLI_KEY_RESALE_DECLINE, K_FRAC, &o.resale_decline},
        {CLI_KEY_RESALE_FLOOR, K_FRAC, &o.resale_floor},
        {CLI_KEY_FINANCING, K_STR, &o.financing},
        {CLI_KEY_LOAN_FRAC, K_FRAC, &o.loan_frac},
        {CLI_KEY_LOAN_RATE, K_NUM, &o.loan_rate},
        {CLI_KEY_LOAN_MONTHS, K_MONTHS, &o.loan_months},
        {CLI_KEY_LEASE_FRAC, K_FRAC, &o.lease_frac},
        {CLI_KEY_LEASE_PAYMENT, K_MONEY, &o.lease_payment},
        {CLI_KEY_RENT_OUT_PRICE, K_PER_HOUR, &o.rent_out},
        {CLI_KEY_RENT_OUT_UTIL, K_FRAC, &o.rent_out_util},
        {CLI_KEY_DISCOUNT_RATE, K_NUM, &o.discount_rate},
        {CLI_KEY_SCENARIO, K_STR, &o.scenario},
        {CLI_KEY_PATHS, K_STR, &o.paths_text},
        {CLI_KEY_SEED, K_STR, &o.seed_text},
        {CLI_KEY_JSON, K_FLAG, &o.json},
        {CLI_KEY_SET, K_FLAG, NULL}, /* appended to *sets below */
    };
    enum { NSPEC = sizeof specs / sizeof specs[0] };
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_RENT_VS_BUY, argc, argv);
    int c, given[NSPEC] = {0};
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        if (c == CLI_OPT_STOP)
            return p.status;
        int k = 0;
        while (k < NSPEC && (int)specs[k].key != c)
            k++;
        if (k == NSPEC)
            return cli_parser_unhandled(&p, c);
        if (c == CLI_KEY_SET) {
            int rc = cli_sets_add(sets, p.arg);
            if (rc)
                return rc;
        } else if (parse_one(&specs[k], p.arg) != 0) {
            return CLI_BAD_INPUT;
        }
        given[k] = 1;
    }
    if (optind < argc) {
        cli_error("rent-vs-buy: unexpected argument '%s'", argv[optind]);
        return CLI_BAD_INPUT;
    }
    /* The options of the two forms (see the usage): an option of one form
       given to the other would be ignored, so it is refused. */
    for (int k = 0; k < NSPEC; k++) {
        int of_scenario = specs[k].key == CLI_KEY_SCENARIO ||
                          specs[k].key == CLI_KEY_PATHS ||
                          specs[k].key == CLI_KEY_SEED ||
                          specs[k].key == CLI_KEY_SET;
        int of_both = specs[k].key == CLI_KEY_DISCOUNT_RATE ||
                      specs[k].key == CLI_KEY_JSON;
        if (!given[k] || of_both || of_scenario == !!o.scenario)
            continue;
        const char *name = cli_key_name((int)specs[k].key);
        if (o.scenario && (o.gpu || !isnan(o.gpus) || !isnan(o.months)))
            cli_error("rent-vs-buy --scenario takes the work and the cards "
                      "from the scenario: drop --gpu, --gpus and --months");
        else if (o.scenario)
            cli_error("rent-vs-buy --scenario takes the work, the cards and "
                      "their costs from the scenario: drop --%s",
                      name);
        else
            cli_error("rent-vs-buy: --%s goes with --scenario", name);
        return CLI_BAD_INPUT;
    }
    if (o.scenario) {
        return rvb_scenario(o.scenario, *sets, o.paths_text, o.seed_text,
                            o.discount_rate, o.json);
    }
    if (!o.gpu || isnan(o.gpus) || isnan(o.months)) {
        cli_error("rent-vs-buy needs --gpu, --gpus and --months (see "
                  "gpubudget rent-vs-buy --help)");
        return CLI_BAD_INPUT;
    }

    gpb_error e;
    const gpb_gpu *gpu;
    if (gpb_hardware_gpu_find(o.gpu, &gpu, &e)) {
        cli_error_gpb("--gpu", &e);
        return CLI_BAD_INPUT;
    }
    if (o.mode && gpb_finance_rent_mode_from_name(o.mode, &in.rent_mode,
                                                  &e)) {
        cli_error_gpb("--mode", &e);
        return CLI_BAD_INPUT;
    }
    if (o.financing &&
        gpb_finance_financing_from_name(o.financing, &in.financing, &e)) {
        cli_error_gpb("--financing", &e);
        return CLI_BAD_INPUT;
    }
    if (o.depreciation && gpb_finance_depreciation_method_from_name(
                              o.depreciation, &in.depreciation_method, &e)) {
        cli_error_gpb("--depreciation", &e);
        return CLI_BAD_INPUT;
    }

    /* One report currency: the first amount given with a currency, else
       US dollars (the catalog's and the defaults'). */
    const money *ms[] = {&o.rent,  &o.price,         &o.tariff,
                         &o.colo,  &o.overhead_node, &o.lease_payment,
                         &o.rent_out};
    gpb_currency cur = GPB_CURRENCY_USD;
    for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++)
        if (ms[k]->given && ms[k]->q.currency != GPB_CURRENCY_NONE) {
            cur = ms[k]->q.currency;
            break;
        }
    gpb_scenario *sc = NULL;
    gpb_fx fx = gpb_units_fx_default();
    int converted = 0;
    const char *rent_src = "given", *price_src = "given";

    if (o.rent.given) {
        if (to_cur("--rent", &o.rent, cur, &fx, &in.rent_price_per_gpu_hour,
                   &converted))
            { gpb_scenario_free(sc); return CLI_BAD_INPUT; }
    } else if (gpu->rent_usd_per_hour > 0) {
        in.rent_price_per_gpu_hour = usd_to(gpu->rent_usd_per_hour, cur, &fx);
        converted |= cur != GPB_CURRENCY_USD;
        rent_src = gpu->rent_source;
    } else {
        cli_error("the catalog has no rental price for %s (%s); give --rent",
                  gpu->name, gpu->rent_source);
        { gpb_scenario_free(sc); return CLI_BAD_INPUT; }
    }
    if (o.price.given) {
        if (to_cur("--price", &o.price, cur, &fx, &in.price_per_gpu,
                   &converted))
            { gpb_scenario_free(sc); return CLI_BAD_INPUT; }
    } else if (gpu->purchase_usd > 0) {
        in.price_per_gpu = usd_to(gpu->purchase_usd, cur, &fx);
        converted |= cur != GPB_CURRENCY_USD;
        price_src = gpu->purchase_source;
        /* The catalog's price is the card alone: its own server share
           goes with it (hardware.h, server_frac). */
        if (isnan(o.overhead))
            o.overhead = gpu->server_frac;
    } else {
        cli_error("the catalog has no purchase price for %s (%s); give "
                  "--price",
                  gpu->name, gpu->purchase_source);
        { gpb_scenario_free(sc); return CLI_BAD_INPUT; }
    }
    in.tariff_per_kwh = usd_to(in.tariff_per_kwh, cur, &fx);
    in.colo_per_kw_month = usd_to(in.colo_per_kw_month, cur, &fx);
    if ((o.tariff.given && to_cur("--tariff", &o.tariff, cur, &fx,
                                  &in.tariff_per_kwh, &converted)) ||
        (o.colo.given && to_cur("--colo", &o.colo, cur, &fx,
                                &in.colo_per_kw_month, &converted)) ||
        (o.overhead_node.given &&
         to_cur("--overhead-per-node", &o.overhead_node, cur, &fx,
                &in.overhead_per_node, &converted)) ||
        (o.lease_payment.given &&
         to_cur("--lease-payment", &o.lease_payment, cur, &fx,
                &in.lease_payment_per_month, &converted)) ||
        (o.rent_out.given &&
         to_cur("--rent-out-price", &o.rent_out, cur, &fx,
                &in.rent_out_price_per_gpu_hour, &converted)))
        { gpb_scenario_free(sc); return CLI_BAD_INPUT; }

    in.gpus = o.gpus;
    in.months = o.months;
    in.util_frac = o.util;
    in.premium = o.premium;
    in.overhead_frac = isnan(o.overhead) ? GPB_FINANCE_OVERHEAD_FRAC_DEFAULT
                                         : o.overhead;
    in.gpus_per_node = o.gpus_per_node;
    in.lead_time_months = o.lead;
    in.reserved_discount_frac = o.reserved_discount;
    in.reserved_commitment_months = o.commitment;
    in.spot_discount_frac = o.spot_discount;
    in.spot_preemption_loss_frac = o.preemption;
    in.rent_price_change_frac_per_year = o.rent_change;
    in.pue = o.pue;
    in.server_overhead = o.server_overhead;
    in.idle_power_frac = o.idle;
    in.tdp_watts = isnan(o.tdp) ? gpu->tdp_watts : o.tdp;
    in.maintenance_frac_per_year = o.maintenance;
    in.depreciation_life_months = o.life;
    in.resale_decline_frac_per_year = o.resale_decline;
    in.resale_floor_frac = o.resale_floor;
    in.loan_frac = o.loan_frac;
    in.loan_rate_per_year = o.loan_rate;
    in.loan_months = o.loan_months;
    in.lease_frac_per_month = o.lease_frac;
    in.rent_out_util_frac = o.rent_out_util;
    if (!isnan(o.discount_rate))
        in.discount_rate_per_year = o.discount_rate;

    if (gpb_finance_rent_vs_buy_check(&in, &e)) {
        cli_error_gpb("rent-vs-buy", &e);
        { gpb_scenario_free(sc); return CLI_BAD_INPUT; }
    }
    gpb_rent_vs_buy_flows f;
    gpb_rent_vs_buy_totals t;
    if (gpb_finance_rent_vs_buy_flows_alloc(&in, &f, &e)) {
        cli_error_gpb("rent-vs-buy", &e);
        { gpb_scenario_free(sc); return CLI_INTERNAL; }
    }
    int rc = CLI_OK;
    gpb_breakeven bu, bm, bs;
    if (gpb_finance_rent_vs_buy_eval(&in, &t, &f, &e)) {
        cli_error_gpb("rent-vs-buy", &e);
        rc = e.status == GPB_ERANGE ? CLI_BAD_INPUT : CLI_INTERNAL;
        goto done;
    }
    gpb_status s1 = solve(&in, 0, 0, &bu), s2 = solve(&in, 1, 0, &bm),
               s3 = solve(&in, 1, 1, &bs);
    if ((s1 != GPB_OK && s1 != GPB_ENOTFOUND) ||
        (s2 != GPB_OK && s2 != GPB_ENOTFOUND) ||
        (s3 != GPB_OK && s3 != GPB_ENOTFOUND)) {
        rc = CLI_INTERNAL;
        goto done;
    }
    if (o.json)
        rc = print_json(&in, gpu, cur, rent_src, price_src, &t, &f, &bu,
                        &bm, &bs);
    else
        print_text(&in, gpu, cur, rent_src, price_src, converted, &fx, &t,
                   &f, &bu, &bm, &bs);
done:
    gpb_finance_rent_vs_buy_flows_free(&f);
    gpb_scenario_free(sc);
    return rc;
}
