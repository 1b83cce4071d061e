/*
 * The scenario's owned fleets (`fleets:`) and how each training run gets
 * its GPUs (`acquire:` and its settings). Defaults are the finance layer's
 * cited figures (gpubudget/finance.h); money defaults are in US dollars and
 * are converted to the report currency like any other amount.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/finance.h"
#include "scenario_read.h"

static const gpb__vspec SP_FRAC01 = {
    .expect = "a fraction", .kind = GPB_QTY_NUMBER, .lo = 0, .hi = 1};
static const gpb__vspec SP_MONTHS = {
    .expect = "a number of months",
    .kind = GPB_QTY_NUMBER,
    .lo = 0,
    .hi = GPB__MAX_HORIZON_MONTHS,
    .flags = GPB__V_ROUNDED,
    .from_hours = 1.0 / GPB_HOURS_PER_MONTH,
};
static const gpb__vspec SP_LIFE = {
    .expect = "a number of months",
    .kind = GPB_QTY_NUMBER,
    .lo = 1,
    .hi = GPB_FINANCE_MONTHS_MAX,
    .flags = GPB__V_INT,
    .from_hours = 1.0 / GPB_HOURS_PER_MONTH,
};
static const gpb__vspec SP_MONEY = {
    .expect = "an amount of money", .kind = GPB_QTY_MONEY, .lo = 0, .hi = INFINITY};
static const gpb__vspec SP_PRICE_HOUR = {.expect = "a price per GPU-hour",
                                         .kind = GPB_QTY_MONEY_PER_HOUR,
                                         .lo = 0,
                                         .hi = INFINITY};
static const gpb__vspec SP_TARIFF = {.expect = "a price per kWh",
                                     .kind = GPB_QTY_MONEY_PER_KWH,
                                     .lo = 0,
                                     .hi = INFINITY};
static const gpb__vspec SP_POSITIVE = {.expect = "a positive number",
                                       .kind = GPB_QTY_NUMBER,
                                       .lo = 0,
                                       .hi = 1e6,
                                       .flags = GPB__V_LO_OPEN};

/* The input under key, or a constant default in `cur` (US dollars for the
   finance layer's money defaults, whatever the report currency). */
static int input_or(gpb__loader *L, const gpb__ynode *m, const char *p,
                    const char *key, const gpb__vspec *sp, double dflt,
                    gpb_currency cur)
{
    if (gpb__sc_get(m, key) || isnan(dflt))
        return gpb__sc_input(L, m, p, key, sp, 0, NAN);
    gpb__pathbuf kp;
    gpb__sc_path_key(kp, p, key);
    return gpb__sc_domain(L, gpb__sc_fixed(L, kp, dflt, sp->kind, cur, m),
                          sp);
}

static void init_fleet(gpb__fleet *f)
{
    memset(f, 0, sizeof *f);
    int *fields[] = {&f->gpus, &f->price_per_gpu, &f->premium,
                     &f->overhead_frac, &f->buy_month, &f->lead_time_months,
                     &f->delay_probability, &f->delay_months, &f->tdp_watts,
                     &f->server_overhead, &f->pue, &f->idle_power_frac,
                     &f->tariff_per_kwh, &f->colo_per_kw_month,
                     &f->maintenance_frac_per_year,
                     &f->depreciation_life_months,
                     &f->resale_decline_per_year, &f->sell_month,
                     &f->rent_out_price_per_gpu_hour,
                     &f->rent_out_utilization, &f->loan_frac,
                     &f->loan_rate_per_year, &f->loan_months,
                     &f->lease_frac_per_month};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        *fields[i] = GPB__NONE;
}

static void load_financing(gpb__loader *L, gpb__fleet *f, const gpb__ynode *m,
                           const char *p)
{
    static const gpb__vspec sp_rate = {.expect = "an annual rate",
                                       .kind = GPB_QTY_NUMBER,
                                       .lo = 0,
                                       .hi = 10,
                                       .flags = GPB__V_PCT_WARN};
    const gpb__ynode *fin = gpb__sc_get(m, "financing");
    f->financing = GPB__FIN_CASH;
    if (!fin)
        return;
    gpb__pathbuf kp;
    char fb[96];
    gpb__sc_path_key(kp, p, "financing");
    if (gpb__sc_is_text(fin)) {
        if (!strcmp(fin->text, "cash"))
            return;
        gpb__sc_report(L, GPB_ESCHEMA, fin, kp,
                       "expected cash, {loan: {...}} or {lease: {...}}, "
                       "found %s",
                       gpb__sc_found(fin, fb, sizeof fb));
        return;
    }
    static const char *const keys[] = {"loan", "lease", NULL};
    if (!gpb__sc_check_map(L, fin, kp, "financing", keys))
        return;
    const gpb__ynode *loan = gpb__sc_get(fin, "loan");
    const gpb__ynode *lease = gpb__sc_get(fin, "lease");
    if ((loan != NULL) == (lease != NULL)) {
        gpb__sc_report(L, GPB_ESCHEMA, fin, kp,
                       "expected exactly one of loan or lease");
        return;
    }
    gpb__pathbuf sp;
    if (loan) {
        static const char *const lk[] = {"fraction", "rate_per_year",
                                         "months", NULL};
        gpb__sc_path_key(sp, kp, "loan");
        if (!gpb__sc_check_map(L, loan, sp, "a loan", lk))
            return;
        f->financing = GPB__FIN_LOAN;
        f->loan_frac = input_or(L, loan, sp, "fraction", &SP_FRAC01,
                                GPB_FINANCE_LOAN_FRAC_DEFAULT,
                                GPB_CURRENCY_NONE);
        f->loan_rate_per_year =
            input_or(L, loan, sp, "rate_per_year", &sp_rate,
                     GPB_FINANCE_LOAN_RATE_PER_YEAR_DEFAULT, GPB_CURRENCY_NONE);
        f->loan_months = input_or(L, loan, sp, "months", &SP_LIFE,
                                  GPB_FINANCE_LOAN_MONTHS_DEFAULT,
                                  GPB_CURRENCY_NONE);
    } else {
        static const char *const lk[] = {"fraction_per_month", NULL};
        gpb__sc_path_key(sp, kp, "lease");
        if (!gpb__sc_check_map(L, lease, sp, "a lease", lk))
            return;
        f->financing = GPB__FIN_LEASE;
        f->lease_frac_per_month = input_or(
            L, lease, sp, "fraction_per_month", &SP_FRAC01,
            GPB_FINANCE_LEASE_FRAC_PER_MONTH_DEFAULT, GPB_CURRENCY_NONE);
    }
}

/*
 * The rental price per GPU-hour under `price_per_gpu_hour`, or when absent
 * the catalog's reference price for `gpu` (in US dollars); reported when
 * neither exists. Returns the input or GPB__NONE.
 */
int gpb__sc_rent_price(gpb__loader *L, const gpb__ynode *m, const char *p,
                       const gpb_gpu *gpu)
{
    gpb__pathbuf kp;
    gpb__sc_path_key(kp, p, "price_per_gpu_hour");
    if (gpb__sc_get(m, "price_per_gpu_hour") || !gpu)
        return gpb__sc_input(L, m, p, "price_per_gpu_hour", &SP_PRICE_HOUR, 0,
                             NAN);
    if (gpu->rent_usd_per_hour > 0)
        /* With the key's spec, so what-ifs read a value for it as the key
           would (gpb_scenario_input_read). */
        return gpb__sc_domain(L,
                              gpb__sc_fixed(L, kp, gpu->rent_usd_per_hour,
                                            GPB_QTY_MONEY_PER_HOUR,
                                            GPB_CURRENCY_USD, m),
                              &SP_PRICE_HOUR);
    gpb__sc_report(L, GPB_ESCHEMA, m, kp,
                   "missing key 'price_per_gpu_hour': the catalog has no "
                   "rental price for %s (%s)",
                   gpu->name, gpu->rent_source);
    return GPB__NONE;
}

/* The catalog card under `gpu` (required), or NULL after reporting. */
static const gpb_gpu *read_card(gpb__loader *L, const gpb__ynode *m,
                                const char *p, const char *what)
{
    gpb__pathbuf kp;
    char fb[96];
    const gpb_gpu *gpu = NULL;
    const gpb__ynode *g = gpb__sc_get(m, "gpu");
    gpb__sc_path_key(kp, p, "gpu");
    if (!g) {
        gpb__sc_missing(L, m, p, "gpu", what);
    } else if (!gpb__sc_is_text(g)) {
        gpb__sc_report(L, GPB_ESCHEMA, g, kp,
                       "expected a GPU model such as H100, found %s",
                       gpb__sc_found(g, fb, sizeof fb));
    } else {
        gpb_error e;
        memset(&e, 0, sizeof e);
        if (gpb_hardware_gpu_find(g->text, &gpu, &e) != GPB_OK) {
            gpu = NULL;
            gpb__sc_report(L, GPB_ESCHEMA, g, kp, "%s", e.message);
        }
    }
    return gpu;
}

static void load_fleet(gpb__loader *L, gpb__fleet *f, const gpb__ynode *m,
                       const char *p)
{
    static const gpb__vspec sp_gpus = {.expect = "a whole number of GPUs",
                                       .kind = GPB_QTY_NUMBER,
                                       .lo = 1,
                                       .hi = GPB__GPUS_MAX,
                                       .flags = GPB__V_INT};
    static const gpb__vspec sp_watts = {.expect = "a power in watts",
                                        .kind = GPB_QTY_NUMBER,
                                        .lo = 0,
                                        .hi = 1e5};
    static const gpb__vspec sp_pue = {.expect = "a PUE (at least 1)",
                                      .kind = GPB_QTY_NUMBER,
                                      .lo = 1,
                                      .hi = 10};
    gpb__pathbuf kp;
    f->gpu = read_card(L, m, p, "a GPU model such as H100");
    f->gpus = gpb__sc_input(L, m, p, "gpus", &sp_gpus, 1, NAN);
    if (gpb__sc_get(m, "price_per_gpu") || !f->gpu) {
        f->price_per_gpu =
            gpb__sc_input(L, m, p, "price_per_gpu", &SP_MONEY, 1, NAN);
    } else if (f->gpu->purchase_usd > 0) {
        gpb__sc_path_key(kp, p, "price_per_gpu");
        f->price_per_gpu = gpb__sc_domain(
            L,
            gpb__sc_fixed(L, kp, f->gpu->purchase_usd, GPB_QTY_MONEY,
                          GPB_CURRENCY_USD, m),
            &SP_MONEY);
    } else {
        gpb__sc_path_key(kp, p, "price_per_gpu");
        gpb__sc_report(L, GPB_ESCHEMA, m, kp,
                       "missing key 'price_per_gpu': the catalog has no "
                       "purchase price for %s (%s)",
                       f->gpu->name, f->gpu->purchase_source);
    }
    f->premium = input_or(L, m, p, "premium", &SP_POSITIVE, 1.0,
                          GPB_CURRENCY_NONE);
    /* The catalog's price is the card alone (hardware.h), so a fleet
       priced from it adds the card's own cited server share; a price the
       scenario gives may be a card or a server's, and takes the finance
       layer's default. */
    int catalog_price = !gpb__sc_get(m, "price_per_gpu") && f->gpu &&
                        f->gpu->purchase_usd > 0;
    f->overhead_frac = input_or(L, m, p, "overhead", &SP_FRAC01,
                                catalog_price
                                    ? f->gpu->server_frac
                                    : GPB_FINANCE_OVERHEAD_FRAC_DEFAULT,
                                GPB_CURRENCY_NONE);
    f->buy_month = input_or(L, m, p, "buy_month", &SP_MONTHS, 0,
                            GPB_CURRENCY_NONE);
    f->lead_time_months = input_or(L, m, p, "lead_time_months", &SP_MONTHS,
                                   0, GPB_CURRENCY_NONE);
    f->delay_probability = input_or(L, m, p, "delay_probability", &SP_FRAC01,
                                    0, GPB_CURRENCY_NONE);
    f->delay_months = input_or(L, m, p, "delay_months", &SP_MONTHS, 0,
                               GPB_CURRENCY_NONE);
    f->tdp_watts = input_or(L, m, p, "tdp_watts", &sp_watts,
                            f->gpu ? f->gpu->tdp_watts : NAN,
                            GPB_CURRENCY_NONE);
    f->server_overhead = input_or(L, m, p, "server_power_overhead",
                                  &SP_POSITIVE,
                                  GPB_FINANCE_SERVER_POWER_OVERHEAD_DEFAULT,
                                  GPB_CURRENCY_NONE);
    f->pue = input_or(L, m, p, "pue", &sp_pue, GPB_FINANCE_PUE_DEFAULT,
                      GPB_CURRENCY_NONE);
    f->idle_power_frac = input_or(L, m, p, "idle_power_fraction", &SP_FRAC01,
                                  GPB_FINANCE_IDLE_POWER_FRAC_DEFAULT,
                                  GPB_CURRENCY_NONE);
    f->tariff_per_kwh = input_or(L, m, p, "tariff_per_kwh", &SP_TARIFF,
                                 GPB_FINANCE_TARIFF_USD_PER_KWH_DEFAULT,
                                 GPB_CURRENCY_USD);
    f->colo_per_kw_month = input_or(L, m, p, "colo_per_kw_month", &SP_MONEY,
                                    GPB_FINANCE_COLO_USD_PER_KW_MONTH_DEFAULT,
                                    GPB_CURRENCY_USD);
    f->maintenance_frac_per_year =
        input_or(L, m, p, "maintenance_per_year", &SP_FRAC01,
                 GPB_FINANCE_MAINTENANCE_FRAC_PER_YEAR_DEFAULT,
                 GPB_CURRENCY_NONE);
    f->depreciation_life_months =
        input_or(L, m, p, "depreciation_months", &SP_LIFE,
                 GPB_FINANCE_DEPRECIATION_LIFE_MONTHS_DEFAULT,
                 GPB_CURRENCY_NONE);
    f->resale_decline_per_year =
        input_or(L, m, p, "resale_decline_per_year", &SP_FRAC01,
                 GPB_FINANCE_RESALE_DECLINE_FRAC_PER_YEAR_DEFAULT,
                 GPB_CURRENCY_NONE);
    f->sell_month = gpb__sc_input(L, m, p, "sell_month", &SP_MONTHS, 0, NAN);
    const gpb__ynode *ro = gpb__sc_get(m, "rent_out");
    if (ro) {
        static const char *const rk[] = {"price_per_gpu_hour", "utilization",
                                         NULL};
        gpb__sc_path_key(kp, p, "rent_out");
        if (gpb__sc_check_map(L, ro, kp, "rent-out settings", rk)) {
            f->rent_out_price_per_gpu_hour = gpb__sc_input(
                L, ro, kp, "price_per_gpu_hour", &SP_PRICE_HOUR, 1, NAN);
            f->rent_out_utilization =
                gpb__sc_input(L, ro, kp, "utilization", &SP_FRAC01, 1, NAN);
        }
    }
    load_financing(L, f, m, p);
}

void gpb__sc_load_fleets(gpb__loader *L, const gpb__ynode *root)
{
    static const char *const keys[] = {
        "name",           "gpu",
        "gpus",           "price_per_gpu",
        "premium",        "overhead",
        "buy_month",      "lead_time_months",
        "delay_probability", "delay_months",
        "tdp_watts",      "server_power_overhead",
        "pue",            "idle_power_fraction",
        "tariff_per_kwh", "colo_per_kw_month",
        "maintenance_per_year", "depreciation_months",
        "resale_decline_per_year", "sell_month",
        "rent_out",       "financing",
        NULL};
    const gpb__ynode *list = gpb__sc_list(L, root, "", "fleets", "fleets");
    if (!list || !list->n_kids)
        return;
    gpb_scenario *s = L->s;
    s->fleets = calloc(list->n_kids, sizeof *s->fleets);
    if (!s->fleets) {
        L->nomem = 1;
        return;
    }
    size_t *rep = gpb__sc_repeats(L, list, "name");
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *m = list->kids[i];
        gpb__pathbuf p;
        gpb__sc_path_index(p, "fleets", i);
        if (!gpb__sc_check_map(L, m, p, "a fleet", keys))
            continue;
        gpb__fleet *f = &s->fleets[s->n_fleets++];
        init_fleet(f);
        f->line = m->line;
        f->column = m->column;
        f->name = gpb__sc_str(L, m, p, "name", 1, "the fleet's name");
        gpb__sc_check_unique(L, list, rep, i, "name", p, "fleet name");
        load_fleet(L, f, m, p);
    }
    free(rep);
}

void gpb__sc_free_fleets(gpb_scenario *s)
{
    for (size_t i = 0; i < s->n_fleets; i++)
        free(s->fleets[i].name);
    free(s->fleets);
    s->fleets = NULL;
    s->n_fleets = 0;
}

/*
 * A run's `acquire` and its settings. Runs are read before fleets are
 * resolved, so a fleet is named here and looked up by gpb__sc_link_fleets.
 */
void gpb__sc_load_acquire(gpb__loader *L, gpb__training *t,
                          const gpb__ynode *m, const char *p)
{
    static const char *const names[] = {"rent", "buy", "mix", "reserve",
                                        "spot", NULL};
    t->acquire = GPB__ACQUIRE_RENT;
    t->fleet = GPB__NONE;
    t->reserve_months = t->reserve_discount = GPB__NONE;
    t->spot_discount = t->spot_preemption_loss = GPB__NONE;
    const gpb__ynode *a = gpb__sc_get(m, "acquire");
    gpb__pathbuf kp;
    char fb[96];
    gpb__sc_path_key(kp, p, "acquire");
    if (a) {
        int found = -1;
        if (gpb__sc_is_text(a))
            for (int i = 0; names[i]; i++)
                if (!strcmp(a->text, names[i]))
                    found = i;
        if (found < 0) {
            gpb__sc_report(L, GPB_ESCHEMA, a, kp,
                           "expected rent, buy, mix, reserve or spot, found %s",
                           gpb__sc_found(a, fb, sizeof fb));
            return;
        }
        t->acquire = (gpb__acquire)found;
    }
    const gpb__ynode *fl = gpb__sc_get(m, "fleet");
    int needs_fleet = t->acquire == GPB__ACQUIRE_BUY ||
                      t->acquire == GPB__ACQUIRE_MIX;
    gpb__pathbuf fp;
    gpb__sc_path_key(fp, p, "fleet");
    if (needs_fleet && !fl)
        gpb__sc_missing(L, m, p, "fleet",
                        "the name of the fleet whose cards the run uses");
    else if (!needs_fleet && fl)
        gpb__sc_report(L, GPB_ESCHEMA, fl, fp,
                       "a fleet is used only with acquire buy or mix");
    else if (fl && !gpb__sc_is_text(fl))
        gpb__sc_report(L, GPB_ESCHEMA, fl, fp,
                       "expected a fleet's name, found %s",
                       gpb__sc_found(fl, fb, sizeof fb));

    const gpb__ynode *rs = gpb__sc_get(m, "reserve");
    const gpb__ynode *sp = gpb__sc_get(m, "spot");
    if (rs && t->acquire != GPB__ACQUIRE_RESERVE) {
        gpb__sc_path_key(kp, p, "reserve");
        gpb__sc_report(L, GPB_ESCHEMA, rs, kp,
                       "reserve settings need acquire: reserve");
    }
    if (sp && t->acquire != GPB__ACQUIRE_SPOT) {
        gpb__sc_path_key(kp, p, "spot");
        gpb__sc_report(L, GPB_ESCHEMA, sp, kp,
                       "spot settings need acquire: spot");
    }
    if (t->acquire == GPB__ACQUIRE_RESERVE) {
        static const char *const rk[] = {"commitment_months", "discount",
                                         NULL};
        gpb__sc_path_key(kp, p, "reserve");
        if (!rs || gpb__sc_check_map(L, rs, kp, "reserve settings", rk)) {
            t->reserve_months = input_or(
                L, rs, kp, "commitment_months", &SP_LIFE,
                GPB_FINANCE_RESERVED_COMMITMENT_MONTHS_DEFAULT,
                GPB_CURRENCY_NONE);
            t->reserve_discount =
                input_or(L, rs, kp, "discount", &SP_FRAC01,
                         GPB_FINANCE_RESERVED_DISCOUNT_FRAC_DEFAULT,
                         GPB_CURRENCY_NONE);
        }
    }
    if (t->acquire == GPB__ACQUIRE_SPOT) {
        static const gpb__vspec sp_loss = {.expect = "a fraction below 1",
                                           .kind = GPB_QTY_NUMBER,
                                           .lo = 0,
                                           .hi = 1,
                                           .flags = GPB__V_HI_OPEN};
        static const char *const sk[] = {"discount", "preemption_loss", NULL};
        gpb__sc_path_key(kp, p, "spot");
        if (!sp || gpb__sc_check_map(L, sp, kp, "spot settings", sk)) {
            t->spot_discount = input_or(L, sp, kp, "discount", &SP_FRAC01,
                                        GPB_FINANCE_SPOT_DISCOUNT_FRAC_DEFAULT,
                                        GPB_CURRENCY_NONE);
            t->spot_preemption_loss = input_or(
                L, sp, kp, "preemption_loss", &sp_loss,
                GPB_FINANCE_SPOT_PREEMPTION_LOSS_FRAC_DEFAULT,
                GPB_CURRENCY_NONE);
        }
    }
}

/* Resolves each run's fleet name once all fleets are read. */
/* Links the workloads of one list (training or capacity) to their
   fleets by name. */
static void link_list(gpb__loader *L, const gpb__ynode *list,
                      gpb__training *runs, size_t n_runs, const char *what,
                      const gpb__sc_name *by_name, size_t n_names)
{
    gpb_scenario *s = L->s;
    for (size_t k = 0; k < n_runs; k++) {
        gpb__training *t = &runs[k];
        if (t->acquire != GPB__ACQUIRE_BUY && t->acquire != GPB__ACQUIRE_MIX)
            continue;
        /* Find the run's node again: runs are stored in list order. */
        const gpb__ynode *m = NULL;
        for (size_t i = 0; list && i < list->n_kids; i++)
            if (list->kids[i]->line == t->line &&
                list->kids[i]->column == t->column)
                m = list->kids[i];
        const gpb__ynode *fl = m ? gpb__sc_get(m, "fleet") : NULL;
        if (!fl || !gpb__sc_is_text(fl))
            continue;
        /* The last fleet of that name, should names repeat (reported). */
        const gpb__sc_name *f =
            gpb__sc_names_find(by_name, n_names, fl->text, 1);
        if (f)
            t->fleet = (int)f->i;
        if (t->fleet == GPB__NONE) {
            const char *names[64];
            size_t n = 0;
            for (size_t j = 0; j < s->n_fleets && n < 64; j++)
                if (s->fleets[j].name)
                    names[n++] = s->fleets[j].name;
            char list_text[256];
            gpb__sc_join(names, n, list_text, sizeof list_text);
            gpb__pathbuf p, kp;
            gpb__sc_path_index(p, what, k);
            gpb__sc_path_key(kp, p, "fleet");
            gpb__sc_report(L, GPB_ESCHEMA, fl, kp,
                           "unknown fleet '%s'; the scenario's fleets: %s",
                           fl->text, n ? list_text : "(none)");
        }
    }
}

void gpb__sc_link_fleets(gpb__loader *L, const gpb__ynode *root)
{
    gpb_scenario *s = L->s;
    /* Fleet names sorted, so each run's look-up is O(log fleets). */
    gpb__sc_name *by_name = malloc((s->n_fleets + 1) * sizeof *by_name);
    size_t n_names = 0;
    if (!by_name) {
        L->nomem = 1;
        return;
    }
    for (size_t j = 0; j < s->n_fleets; j++)
        if (s->fleets[j].name) {
            by_name[n_names].name = s->fleets[j].name;
            by_name[n_names].i = j;
            by_name[n_names++].node = NULL;
        }
    gpb__sc_names_sort(by_name, n_names);
    link_list(L, gpb__sc_get(root, "training"), s->training, s->n_training,
              "training", by_name, n_names);
    link_list(L, gpb__sc_get(root, "capacity"), s->capacity, s->n_capacity,
              "capacity", by_name, n_names);
    free(by_name);
}

/*
 * serving.model: the load and the hardware that serves it. Fleets are read
 * before serving, so `fleet` is resolved here.
 */
void gpb__sc_load_serving_model(gpb__loader *L, gpb__serving *v,
                                const gpb__ynode *m, const char *parent)
{
    static const char *const keys[] = {
        "params",         "active_params",
        "gpu",            "bytes_per_param",
        "batch",          "context_tokens",
        "kv_bytes_per_token", "mfu",
        "bandwidth_efficiency", "requests_per_user_per_day",
        "tokens_per_request", "peak_to_mean",
        "utilization",    "price_per_gpu_hour",
        "fleet",          NULL};
    static const gpb__vspec sp_params = {.expect = "a number of parameters",
                                         .kind = GPB_QTY_NUMBER,
                                         .lo = 0,
                                         .hi = GPB__PARAMS_MAX,
                                         .flags = GPB__V_LO_OPEN};
    static const gpb__vspec sp_count = {.expect = "a non-negative number",
                                        .kind = GPB_QTY_NUMBER,
                                        .lo = 0,
                                        .hi = 1e12};
    static const gpb__vspec sp_batch = {.expect = "a batch size",
                                        .kind = GPB_QTY_NUMBER,
                                        .lo = 1,
                                        .hi = 1e6};
    static const gpb__vspec sp_bpp = {.expect = "bytes per parameter",
                                      .kind = GPB_QTY_NUMBER,
                                      .lo = 0,
                                      .hi = 64,
                                      .flags = GPB__V_LO_OPEN};
    static const gpb__vspec sp_frac = {.expect = "a fraction",
                                       .kind = GPB_QTY_NUMBER,
                                       .lo = 0,
                                       .hi = 1,
                                       .flags = GPB__V_LO_OPEN};
    static const gpb__vspec sp_peak = {.expect = "a peak-to-mean ratio (>= 1)",
                                       .kind = GPB_QTY_NUMBER,
                                       .lo = 1,
                                       .hi = 1000};
    gpb__pathbuf p, kp;
    char fb[96];
    gpb__sc_path_key(p, parent, "model");
    if (!gpb__sc_check_map(L, m, p, "the served model", keys))
        return;
    v->from_model = 1;
    v->cost_per_user_per_month = GPB__NONE;
    v->params = gpb__sc_input(L, m, p, "params", &sp_params, 1, NAN);
    v->active_params = gpb__sc_input(L, m, p, "active_params", &sp_params,
                                     0, NAN);
    v->gpu = read_card(L, m, p, "the card that serves the model");
    if (v->gpu) {
        gpb_error e;
        memset(&e, 0, sizeof e);
        gpb_precision prec;
        if (gpb_hardware_gpu_default_precision(v->gpu, &prec, &e) != GPB_OK ||
            gpb_hardware_gpu_peak_flop_per_s(v->gpu, prec, &v->peak_flop_per_s,
                                             &e) != GPB_OK) {
            gpb__sc_path_key(kp, p, "gpu");
            gpb__sc_report(L, GPB_ESCHEMA, gpb__sc_get(m, "gpu"), kp, "%s",
                           e.message);
            v->gpu = NULL;
        }
    }
    /* Weights in bf16/fp16 (2 bytes) unless said; decoding reaches a
       share of peak bandwidth (1 = the roofline; real servers reach
       about 0.6-0.8, an assumption to state per scenario). */
    v->bytes_per_param = input_or(L, m, p, "bytes_per_param", &sp_bpp, 2.0,
                                  GPB_CURRENCY_NONE);
    v->batch = input_or(L, m, p, "batch", &sp_batch, 16.0, GPB_CURRENCY_NONE);
    v->context_tokens = input_or(L, m, p, "context_tokens", &sp_count, 0,
                                 GPB_CURRENCY_NONE);
    v->kv_bytes_per_token = input_or(L, m, p, "kv_bytes_per_token",
                                     &sp_count, 0, GPB_CURRENCY_NONE);
    v->mfu = input_or(L, m, p, "mfu", &sp_frac,
                      v->gpu ? v->gpu->default_mfu : NAN, GPB_CURRENCY_NONE);
    v->bw_frac = input_or(L, m, p, "bandwidth_efficiency", &sp_frac, 1.0,
                          GPB_CURRENCY_NONE);
    v->requests_per_user_per_day = gpb__sc_input(
        L, m, p, "requests_per_user_per_day", &sp_count, 1, NAN);
    v->tokens_per_request =
        gpb__sc_input(L, m, p, "tokens_per_request", &sp_count, 1, NAN);
    v->peak_to_mean = input_or(L, m, p, "peak_to_mean", &sp_peak, 1.0,
                               GPB_CURRENCY_NONE);
    v->utilization = input_or(L, m, p, "utilization", &sp_frac, 0.5,
                              GPB_CURRENCY_NONE);
    v->price_per_gpu_hour = gpb__sc_rent_price(L, m, p, v->gpu);
    const gpb__ynode *fl = gpb__sc_get(m, "fleet");
    if (fl) {
        gpb__sc_path_key(kp, p, "fleet");
        if (!gpb__sc_is_text(fl)) {
            gpb__sc_report(L, GPB_ESCHEMA, fl, kp,
                           "expected a fleet's name, found %s",
                           gpb__sc_found(fl, fb, sizeof fb));
            return;
        }
        gpb_scenario *s = L->s;
        for (size_t j = 0; j < s->n_fleets; j++)
            if (s->fleets[j].name && !strcmp(s->fleets[j].name, fl->text))
                v->fleet = (int)j;
        if (v->fleet == GPB__NONE)
            gpb__sc_report(L, GPB_ESCHEMA, fl, kp,
                           "unknown fleet '%s'", fl->text);
    }
}
