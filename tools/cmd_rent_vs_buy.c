/*
 * gpubudget rent-vs-buy: month-by-month cash of renting G GPUs versus
 * buying them, totals, NPVs and the break-even utilisation and horizon.
 * Every number, and the --json document, come from the report layer
 * (gpb_report_rent_vs_buy_compute over the finance, hardware and units
 * layers, or two engine runs under --scenario); this file only parses
 * options, loads the scenario and prints.
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
        /* A bare amount ("2.2", "$2.2") is a price per hour or per kWh
           (cli_parse_qty). */
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

static void print_text(const gpb_report_rent_vs_buy *R)
{
    const gpb_rent_vs_buy *in = &R->inputs;
    const gpb_gpu *gpu = R->gpu;
    gpb_currency cur = R->currency;
    const char *rent_src = R->rent_source, *price_src = R->price_source;
    int converted = R->converted;
    const gpb_fx *fx = &R->fx;
    const gpb_rent_vs_buy_totals *t = &R->totals;
    const gpb_rent_vs_buy_flows *f = &R->flows;
    const gpb_breakeven *bu = &R->breakeven_util,
                        *bm = &R->breakeven_months,
                        *bs = &R->breakeven_months_settled;
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

/* A failure of the report layer, printed as the command always has: a
   request field named as its option. */
static int rvb_error(gpb_error *e, const char *scenario)
{
    static const struct {
        const char *field, *what;
    } names[] = {
        {"gpu", "--gpu"},
        {"gpus", "--gpus"},
        {"gpus_per_node", "--gpus-per-node"},
        {"rent", "--rent"},
        {"price", "--price"},
        {"tariff", "--tariff"},
        {"colo", "--colo"},
        {"overhead_per_node", "--overhead-per-node"},
        {"lease_payment", "--lease-payment"},
        {"rent_out_price", "--rent-out-price"},
        {"breakeven_util", "break-even utilisation"},
        {"breakeven_months", "break-even months"},
    };
    int bad = e->status == GPB_EINVAL || e->status == GPB_ERANGE ||
              e->status == GPB_ENOTFOUND;
    if (!strcmp(e->path, "scenario")) {
        cli_error("%s", e->message);
        return CLI_BAD_INPUT;
    }
    if (scenario) {
        cli_error_gpb(scenario, e);
        return e->status == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    if (e->status == GPB_ENOTFOUND &&
        (!strcmp(e->path, "rent") || !strcmp(e->path, "price"))) {
        cli_error("%s; give --%s", e->message, e->path);
        return CLI_BAD_INPUT;
    }
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (!strcmp(e->path, names[k].field)) {
            int solver = !strncmp(e->path, "breakeven", 9);
            e->path[0] = 0;
            cli_error_gpb(names[k].what, e);
            return solver || !bad ? CLI_INTERNAL : CLI_BAD_INPUT;
        }
    cli_error_gpb("rent-vs-buy", e);
    return bad ? CLI_BAD_INPUT : CLI_INTERNAL;
}

/*
 * rent-vs-buy --scenario: the scenario as written (its runs on its
 * fleets) against the same scenario renting every card instead, both by
 * the engine on the same paths (common random numbers). Every figure
 * printed comes from gpb_report_rent_vs_buy_compute.
 */
static int rvb_scenario(gpb_report_rent_vs_buy_request *rq, const char *path,
                        const char *sets, const char *paths_text,
                        const char *seed_text, int json)
{
    gpb_scenario *sc = NULL;
    if (cli_load_scenario_set(path, sets, &sc))
        return CLI_BAD_INPUT;
    if ((paths_text && cli_parse_sim_option("paths", paths_text, &rq->sim)) ||
        (seed_text && cli_parse_sim_option("seed", seed_text, &rq->sim))) {
        gpb_scenario_free(sc);
        return CLI_BAD_INPUT;
    }
    rq->scenario = sc;
    rq->scenario_name = path;
    gpb_error e;
    int rc = CLI_OK;
    if (json) {
        char *text = NULL;
        rc = gpb_report_rent_vs_buy_json(rq, &text, &e)
                 ? rvb_error(&e, path)
                 : cli_text_print(text);
        gpb_scenario_free(sc);
        return rc;
    }
    gpb_report_rent_vs_buy R;
    if (gpb_report_rent_vs_buy_compute(rq, &R, &e)) {
        rc = rvb_error(&e, path);
        goto done;
    }
    const gpb_paired_diff d = R.diff;
    gpb_currency cur = R.currency;
    char b1[64], b2[64], b3[64];
    printf("Rent or buy, as %s plans it (%zu paths, seed %llu; NPV at %.1f%% "
           "a year)\n\n",
           path, d.paths, (unsigned long long)gpb_result_seed(R.buy),
           100 * R.discount_rate_per_year);
    printf("  P(buying is cheaper, by NPV) = %.1f%% (± %.1f%%)\n",
           100 * d.p_a_lower, 100 * R.p_buy_cheaper_se);
    printf("  NPV(buy) − NPV(rent): P5 %s, P50 %s, P95 %s\n",
           money_str(d.p5, cur, b1, sizeof b1),
           money_str(d.p50, cur, b2, sizeof b2),
           money_str(d.p95, cur, b3, sizeof b3));
    printf("  mean %s ± %s (negative favours buying)\n\n",
           money_str(d.mean, cur, b1, sizeof b1),
           money_str(d.std_error, cur, b2, sizeof b2));
    if (!gpb_report_rent_vs_buy_same_work(&R))
        printf("  Not like for like: buying delivers %.6g GPU-hours on "
               "average, renting %.6g\n  (a run or workload asks for more "
               "cards than its fleet has, see the\n  warning): the NPVs "
               "compare different work.\n\n",
               R.buy_gpu_hours_mean, R.rent_gpu_hours_mean);
    printf("  Mean cash for compute by month (rent, serving, cards bought, "
           "financing,\n  power, hosting, maintenance, less resale and "
           "letting out):\n");
    printf("  %5s %14s %14s\n", "month", "buy", "rent");
    double sb = 0, sr = 0;
    for (int m = 0; m < R.horizon_months; m++) {
        double vb = R.buy_month_mean[m], vr = R.rent_month_mean[m];
        sb += vb;
        sr += vr;
        printf("  %5d %14s %14s\n", m, money_str(vb, cur, b1, sizeof b1),
               money_str(vr, cur, b2, sizeof b2));
    }
    printf("  %5s %14s %14s\n", "total", money_str(sb, cur, b1, sizeof b1),
           money_str(sr, cur, b2, sizeof b2));
done:
    gpb_report_rent_vs_buy_free(&R);
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
    gpb_report_rent_vs_buy_request rq;
    gpb_report_rent_vs_buy_request_default(&rq);
    rq.discount_rate_per_year = o.discount_rate;
    if (o.scenario)
        return rvb_scenario(&rq, o.scenario, *sets, o.paths_text, o.seed_text,
                            o.json);
    if (!o.gpu || isnan(o.gpus) || isnan(o.months)) {
        cli_error("rent-vs-buy needs --gpu, --gpus and --months (see "
                  "gpubudget rent-vs-buy --help)");
        return CLI_BAD_INPUT;
    }

    gpb_error e;
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

    /* Every figure, and the document, come from the report layer
       (gpb_report_rent_vs_buy_compute): the catalog's prices, the report
       currency and the conversions included. */
    in.gpus = o.gpus;
    in.months = o.months;
    in.util_frac = o.util;
    in.premium = o.premium;
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
    in.maintenance_frac_per_year = o.maintenance;
    in.depreciation_life_months = o.life;
    in.resale_decline_frac_per_year = o.resale_decline;
    in.resale_floor_frac = o.resale_floor;
    in.loan_frac = o.loan_frac;
    in.loan_rate_per_year = o.loan_rate;
    in.loan_months = o.loan_months;
    in.lease_frac_per_month = o.lease_frac;
    in.rent_out_util_frac = o.rent_out_util;
    rq.gpu = o.gpu;
    rq.finance = in;
    rq.overhead_frac = o.overhead;
    rq.tdp_watts = o.tdp;
    const struct {
        const money *m;
        gpb_quantity *q;
    } amounts[] = {{&o.rent, &rq.rent},
                   {&o.price, &rq.price},
                   {&o.tariff, &rq.tariff},
                   {&o.colo, &rq.colo},
                   {&o.overhead_node, &rq.overhead_per_node},
                   {&o.lease_payment, &rq.lease_payment},
                   {&o.rent_out, &rq.rent_out_price}};
    for (size_t k = 0; k < sizeof amounts / sizeof amounts[0]; k++)
        if (amounts[k].m->given)
            *amounts[k].q = amounts[k].m->q;
    if (o.json) {
        char *text = NULL;
        if (gpb_report_rent_vs_buy_json(&rq, &text, &e))
            return rvb_error(&e, NULL);
        return cli_text_print(text);
    }
    gpb_report_rent_vs_buy R;
    int rc = CLI_OK;
    if (gpb_report_rent_vs_buy_compute(&rq, &R, &e))
        rc = rvb_error(&e, NULL);
    else
        print_text(&R);
    gpb_report_rent_vs_buy_free(&R);
    return rc;
}
