/*
 * The unit of each scenario input as the reports show it
 * (gpb__input_unit, lib/report_chart.h; docs/output.md, "Input units").
 *
 * One row per key of the schema (docs/scenario.md), matched on the key
 * path with list indices removed ("team[].add_per_month"), because a key's
 * unit is a fact about the key: its words can mislead (add_per_month
 * counts people per month, drift_per_month is a log-change per month,
 * start_month is a month number while lead_time_months is a duration).
 * A '$' in a unit stands for the input's currency. A key missing here
 * falls back to its quantity kind (gpb_qty_kind: money, a price per hour,
 * per kWh or per million tokens, hours, bytes) and, for plain numbers, to
 * "" rather than a guess; tests/test_report.c checks that every key of
 * its every-key scenarios is in the table.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "report_chart.h"
#include "scenario_model.h"

/* Units of the words a unit is made of. */
#define U_MONTH "month"          /* a month number: 0 is the first month */
#define U_MONTHS "months"        /* a duration */
#define U_LOG_MONTH "log-change/month"

static const struct {
    const char *key, *unit;
} UNITS[] = {
    {"company.cash", "$"},
    {"company.discount_rate_per_year", "per year"},
    {"company.funding[].month", U_MONTH},
    {"company.funding[].amount", "$"},
    {"company.funding[].probability", "probability"},
    {"exchange_rates.CNY_per_USD", "CNY per USD"},
    {"exchange_rates.EUR_per_USD", "EUR per USD"},
    {"gpu_price_index.drift_per_month", U_LOG_MONTH},
    {"gpu_price_index.volatility_per_month", U_LOG_MONTH},

    {"team[].count", "people"},
    {"team[].add_per_month", "people/month"},
    {"team[].max_count", "people"},
    {"team[].salary_per_year", "$/person/year"},
    {"team[].on_cost", "fraction"},
    {"team[].start_month", U_MONTH},
    {"team[].end_month", U_MONTH},

    {"training[].params", "parameters"},
    {"training[].active_params", "parameters"},
    {"training[].tokens", "tokens"},
    {"training[].layers", "layers"},
    {"training[].context", "tokens"},
    {"training[].d_model", "dimensions"},
    {"training[].peak_tflops", "TFLOP/s"},
    {"training[].gpus", "GPUs"},
    {"training[].start_month", U_MONTH},
    {"training[].mfu", "fraction"},
    {"training[].price_per_gpu_hour", "$/GPU-hour"},
    {"training[].exploration", "multiplier"},
    {"training[].failures.gpu_mtbf_hours", "hours"},
    {"training[].failures.hours_lost_per_failure", "hours/failure"},
    {"training[].failures.checkpoint_every_minutes", "minutes"},
    {"training[].failures.restart_minutes", "minutes"},
    {"training[].divergence.probability_per_month", "probability/month"},
    {"training[].divergence.probability_per_run", "probability/run"},
    {"training[].divergence.work_lost", "fraction"},
    {"training[].divergence.restart_probability", "probability"},
    {"training[].reserve.commitment_months", U_MONTHS},
    {"training[].reserve.discount", "fraction"},
    {"training[].spot.discount", "fraction"},
    {"training[].spot.preemption_loss", "fraction"},

    {"capacity[].gpus", "GPUs"},
    {"capacity[].utilization", "fraction"},
    {"capacity[].start_month", U_MONTH},
    {"capacity[].months", U_MONTHS},
    {"capacity[].price_per_gpu_hour", "$/GPU-hour"},
    {"capacity[].reserve.commitment_months", U_MONTHS},
    {"capacity[].reserve.discount", "fraction"},
    {"capacity[].spot.discount", "fraction"},
    {"capacity[].spot.preemption_loss", "fraction"},

    {"fleets[].gpus", "GPUs"},
    {"fleets[].price_per_gpu", "$/GPU"},
    {"fleets[].premium", "multiplier"},
    {"fleets[].overhead", "fraction"},
    {"fleets[].buy_month", U_MONTH},
    {"fleets[].lead_time_months", U_MONTHS},
    {"fleets[].delay_probability", "probability"},
    {"fleets[].delay_months", U_MONTHS},
    {"fleets[].tdp_watts", "W/GPU"},
    {"fleets[].server_power_overhead", "W per GPU W"},
    {"fleets[].pue", "ratio"},
    {"fleets[].idle_power_fraction", "fraction"},
    {"fleets[].tariff_per_kwh", "$/kWh"},
    {"fleets[].colo_per_kw_month", "$/kW-month"},
    {"fleets[].maintenance_per_year", "fraction/year"},
    {"fleets[].depreciation_months", U_MONTHS},
    {"fleets[].resale_decline_per_year", "fraction/year"},
    {"fleets[].sell_month", U_MONTH},
    {"fleets[].rent_out.price_per_gpu_hour", "$/GPU-hour"},
    {"fleets[].rent_out.utilization", "fraction"},
    {"fleets[].financing.loan.fraction", "fraction"},
    {"fleets[].financing.loan.rate_per_year", "per year"},
    {"fleets[].financing.loan.months", U_MONTHS},
    {"fleets[].financing.lease.fraction_per_month", "fraction/month"},

    {"serving.start_month", U_MONTH},
    {"serving.users", "users"},
    {"serving.growth_per_month", U_LOG_MONTH},
    {"serving.growth_volatility", U_LOG_MONTH},
    {"serving.max_users", "users"},
    {"serving.cost_per_user_per_month", "$/user/month"},
    {"serving.model.params", "parameters"},
    {"serving.model.active_params", "parameters"},
    {"serving.model.bytes_per_param", "bytes/parameter"},
    {"serving.model.batch", "sequences"},
    {"serving.model.context_tokens", "tokens"},
    {"serving.model.kv_bytes_per_token", "bytes/token"},
    {"serving.model.mfu", "fraction"},
    {"serving.model.bandwidth_efficiency", "fraction"},
    {"serving.model.requests_per_user_per_day", "requests/user/day"},
    {"serving.model.tokens_per_request", "tokens/request"},
    {"serving.model.peak_to_mean", "ratio"},
    {"serving.model.utilization", "fraction"},
    {"serving.model.price_per_gpu_hour", "$/GPU-hour"},

    {"revenue.arpu_per_month", "$/user/month"},
    {"revenue.paying_fraction", "fraction"},

    {"other_costs[].per_month", "$/month"},
    {"other_costs[].start_month", U_MONTH},
    {"other_costs[].end_month", U_MONTH},
};

/* The key path without list indices: "team[0].count" → "team[].count".
   0, or -1 when it does not fit. */
static int strip_indices(const char *path, char *out, size_t n)
{
    size_t j = 0;
    for (const char *p = path; *p; p++) {
        if (j + 3 >= n)
            return -1;
        out[j++] = *p;
        if (*p == '[') {
            while (p[1] && p[1] != ']')
                p++;
        }
    }
    out[j] = 0;
    return 0;
}

/* The unit of the kind, for a key the table does not know. */
static const char *kind_unit(gpb_qty_kind kind)
{
    switch (kind) {
    case GPB_QTY_MONEY: return "$";
    case GPB_QTY_MONEY_PER_HOUR: return "$/hour";
    case GPB_QTY_MONEY_PER_KWH: return "$/kWh";
    case GPB_QTY_MONEY_PER_MTOKEN: return "$/M tokens";
    case GPB_QTY_DURATION: return "hours";
    case GPB_QTY_BYTES: return "bytes";
    default: return "";
    }
}

int gpb__input_unit_known(const char *path)
{
    char key[GPB_ERROR_PATH_MAX];
    if (!path || strip_indices(path, key, sizeof key))
        return 0;
    for (size_t k = 0; k < sizeof UNITS / sizeof UNITS[0]; k++)
        if (!strcmp(UNITS[k].key, key))
            return 1;
    return 0;
}

void gpb__input_unit(const gpb_scenario *s, size_t i, char *buf, size_t n)
{
    if (!n)
        return;
    buf[0] = 0;
    if (!s || i >= s->n_inputs)
        return;
    const gpb__input *in = &s->inputs[i];
    const char *unit = NULL;
    char key[GPB_ERROR_PATH_MAX];
    if (!strip_indices(in->path, key, sizeof key))
        for (size_t k = 0; k < sizeof UNITS / sizeof UNITS[0] && !unit; k++)
            if (!strcmp(UNITS[k].key, key))
                unit = UNITS[k].unit;
    if (!unit)
        unit = kind_unit(in->kind);
    const char *cur = gpb_currency_code(in->currency == GPB_CURRENCY_NONE
                                            ? s->currency
                                            : in->currency);
    const char *dollar = strchr(unit, '$');
    if (dollar)
        snprintf(buf, n, "%.*s%s%s", (int)(dollar - unit), unit, cur,
                 dollar + 1);
    else
        gpb__strlcpy(buf, unit, n);
}
