/*
 * Check tests of the report layer (gpubudget/report.h) and of what it
 * shows about inputs: their labels, named as the scenario names things
 * (gpb_scenario_input_label, carried by gpb_result_input_label and
 * gpb_sensitivity_input_label), their units (lib/report_units.c), the
 * HTML page's sources rule, language marks and fonts, and the scenario
 * embedded in the page byte for byte. tests/test_report.sh runs the same
 * reports through the command line, Gnumeric and Chromium.
 */
#include <check.h>
#include <math.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/gpubudget.h"
#include "report_chart.h"
#include "test_util.h"

static const char *data_dir(void)
{
    const char *d = getenv("GPB_TEST_DATA");
    return d ? d : "tests/data";
}

/* A whole file (new; free with free()), its length in *len. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

static gpb_scenario *load_data(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", data_dir(), rel);
    return test_load_file(path);
}

/* The label of the input at key path `path` (the test fails when the
   scenario has no such input). */
static const char *label_of(const gpb_scenario *s, const char *path)
{
    long i = gpb_scenario_input_find(s, path);
    ck_assert_msg(i >= 0, "no input %s", path);
    return gpb_scenario_input_label(s, (size_t)i);
}

#define ck_label(s, path, want)                                             \
    ck_assert_str_eq(label_of((s), (path)), (want))

/* ------------------------------------------------------------------------ */
/* Labels                                                                    */
/* ------------------------------------------------------------------------ */

/* names.yaml: list items by their names, Chinese ones included; a round
   without a name by the name its metrics carry; inputs outside lists by
   their section. */
START_TEST(labels_use_the_names_in_the_file)
{
    gpb_scenario *s = load_data("report/names.yaml");
    ck_label(s, "team[0].salary_per_year", "研究员: salary per year");
    ck_label(s, "team[0].add_per_month", "研究员: hires per month");
    ck_label(s, "team[1].salary_per_year", "ops: salary per year");
    ck_label(s, "training[0].mfu", "预训练: MFU");
    ck_label(s, "training[0].price_per_gpu_hour",
             "预训练: price per GPU hour");
    ck_label(s, "company.funding[0].amount", "funding 天使轮: amount");
    ck_label(s, "company.funding[0].month", "funding 天使轮: closing month");
    ck_label(s, "company.funding[1].amount", "funding round_2: amount");
    ck_label(s, "company.cash", "cash");
    ck_label(s, "gpu_price_index.drift_per_month",
             "GPU price index: drift per month");
    ck_label(s, "exchange_rates.CNY_per_USD", "exchange rate: CNY per USD");
    ck_label(s, "other_costs[0].per_month", "ops: cost per month");
    /* The funding round's metric reads the same way. */
    gpb_result *r = test_run(s, 256, 0, 1);
    size_t m;
    ck_assert_int_eq(gpb_result_metric_find(r, "funding.round_2.closed", &m,
                                            NULL),
                     GPB_OK);
    ck_assert_str_eq(gpb_result_metric_label(r, m), "funding round_2: closed");
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* A team line and an other cost named "ops" both have a start month: the
   two labels would be equal, so each carries its key path; every label
   of the file is unique. */
START_TEST(labels_are_unique)
{
    gpb_scenario *s = load_data("report/names.yaml");
    ck_label(s, "team[1].start_month",
             "ops: start month (team[1].start_month)");
    ck_label(s, "other_costs[0].start_month",
             "ops: start month (other_costs[0].start_month)");
    size_t n = gpb_scenario_input_count(s);
    ck_assert_uint_gt(n, 20);
    for (size_t i = 0; i < n; i++) {
        const char *a = gpb_scenario_input_label(s, i);
        ck_assert_ptr_nonnull(a);
        ck_assert_msg(*a && !strchr(a, '\n'), "label %zu: '%s'", i, a);
        for (size_t j = i + 1; j < n; j++)
            ck_assert_msg(strcmp(a, gpb_scenario_input_label(s, j)) != 0,
                          "inputs %s and %s share the label '%s'",
                          gpb_scenario_input_path(s, i),
                          gpb_scenario_input_path(s, j), a);
    }
    gpb_scenario_free(s);
}
END_TEST

/* Items without a usable name fall back to their key path index; control
   characters in a name become spaces; the keys below an item read as
   words. */
START_TEST(labels_fall_back_to_the_index)
{
    gpb_scenario *s = test_load_yaml(
        "gpubudget: 1\n"
        "name: fallbacks\n"
        "company: {cash: $10M, funding: [{month: 3, amount: $1M}]}\n"
        "team: [{role: \"line\\none\", count: 2, salary_per_year: $100k}]\n"
        "training:\n"
        "  - name: \"  \"\n"
        "    params: 1B\n"
        "    tokens: 20B\n"
        "    gpu: H100\n"
        "    gpus: 8\n"
        "    failures: {gpu_mtbf_hours: 50000,\n"
        "               checkpoint_every_minutes: 30, restart_minutes: 10}\n"
        "    divergence: {probability_per_run: 0.1, work_lost: 0.3}\n");
    ck_label(s, "training[0].mfu", "training[0]: MFU");
    ck_label(s, "training[0].failures.checkpoint_every_minutes",
             "training[0]: checkpoint interval");
    ck_label(s, "training[0].failures.gpu_mtbf_hours", "training[0]: GPU MTBF");
    ck_label(s, "training[0].divergence.work_lost",
             "training[0]: divergence work lost");
    ck_label(s, "team[0].count", "line one: headcount");
    ck_label(s, "company.funding[0].amount", "funding round_1: amount");
    ck_assert_ptr_null(gpb_scenario_input_label(s, 100000));
    ck_assert_ptr_null(gpb_scenario_input_label(NULL, 0));
    gpb_scenario_free(s);
}
END_TEST

/* The result and the sensitivity carry the scenario's labels for their
   uncertain inputs, and a merged result keeps them. */
START_TEST(results_and_sensitivity_carry_labels)
{
    gpb_scenario *s = load_data("report/names.yaml");
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 2 * GPB_SIM_BLOCK_PATHS + 100;
    o.threads = 1;
    gpb_result *r = NULL, *a = NULL, *b = NULL, *m = NULL;
    gpb_error e;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, &e), GPB_OK);
    gpb_sim_options oa = o, ob = o;
    oa.paths = GPB_SIM_BLOCK_PATHS;
    ob.path_offset = GPB_SIM_BLOCK_PATHS;
    ob.paths = o.paths - GPB_SIM_BLOCK_PATHS;
    ck_assert_int_eq(gpb_sim_run(s, &oa, &a, &e), GPB_OK);
    ck_assert_int_eq(gpb_sim_run(s, &ob, &b, &e), GPB_OK);
    ck_assert_int_eq(gpb_result_merge(a, b, &m, &e), GPB_OK);
    gpb_sensitivity_options so;
    gpb_sensitivity_options_default(&so);
    so.swing = 0;
    gpb_sensitivity *x = NULL;
    ck_assert_int_eq(gpb_sensitivity_compute(s, r, &so, &x, &e), GPB_OK);
    size_t K = gpb_result_input_count(r);
    ck_assert_uint_gt(K, 5);
    ck_assert_uint_eq(gpb_sensitivity_input_count(x), K);
    int seen_cjk = 0;
    for (size_t k = 0; k < K; k++) {
        const char *want = label_of(s, gpb_result_input_path(r, k));
        ck_assert_str_eq(gpb_result_input_label(r, k), want);
        ck_assert_str_eq(gpb_result_input_label(m, k), want);
        ck_assert_str_eq(gpb_sensitivity_input_label(x, k), want);
        ck_assert_str_ne(want, gpb_result_input_path(r, k));
        seen_cjk |= strstr(want, "研究员") != NULL;
    }
    ck_assert(seen_cjk);
    ck_assert_ptr_null(gpb_result_input_label(r, K));
    ck_assert_ptr_null(gpb_sensitivity_input_label(x, K));
    ck_assert_ptr_null(gpb_result_input_label(NULL, 0));
    gpb_sensitivity_free(x);
    gpb_result_free(r);
    gpb_result_free(a);
    gpb_result_free(b);
    gpb_result_free(m);
    gpb_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Units                                                                     */
/* ------------------------------------------------------------------------ */

/* Between them the two files hold every input key of the schema; the unit
   table has a row for each (a new key without one fails here). */
START_TEST(every_key_has_a_unit)
{
    static const char *const files[] = {"valid/full.yaml",
                                        "report/every-key.yaml"};
    size_t total = 0;
    for (size_t f = 0; f < 2; f++) {
        gpb_scenario *s = load_data(files[f]);
        for (size_t i = 0; i < gpb_scenario_input_count(s); i++) {
            const char *p = gpb_scenario_input_path(s, i);
            char u[64];
            gpb__input_unit(s, i, u, sizeof u);
            ck_assert_msg(gpb__input_unit_known(p) && *u,
                          "%s: %s has no row in the unit table", files[f], p);
            total++;
        }
        gpb_scenario_free(s);
    }
    ck_assert_uint_gt(total, 150);
    ck_assert(!gpb__input_unit_known("training[0].no_such_key"));
}
END_TEST

/* Units say what a key measures, not what its last word is: a month
   number, a duration in months, people per month, a log-change per month;
   money carries the input's currency. */
static const struct {
    const char *file, *path, *unit;
} UNIT_CASES[] = {
    {"valid/full.yaml", "team[0].add_per_month", "people/month"},
    {"valid/full.yaml", "team[0].count", "people"},
    {"valid/full.yaml", "team[0].start_month", "month"},
    {"valid/full.yaml", "team[0].on_cost", "fraction"},
    {"valid/full.yaml", "team[0].salary_per_year", "CNY/person/year"},
    {"valid/full.yaml", "gpu_price_index.drift_per_month", "log-change/month"},
    {"valid/full.yaml", "gpu_price_index.volatility_per_month",
     "log-change/month"},
    {"valid/full.yaml", "serving.growth_per_month", "log-change/month"},
    {"valid/full.yaml", "serving.cost_per_user_per_month", "USD/user/month"},
    {"valid/full.yaml", "serving.users", "users"},
    {"valid/full.yaml", "company.funding[0].month", "month"},
    {"valid/full.yaml", "company.funding[0].amount", "USD"},
    {"valid/full.yaml", "company.funding[1].amount", "CNY"},
    {"valid/full.yaml", "company.funding[0].probability", "probability"},
    {"valid/full.yaml", "training[0].price_per_gpu_hour", "CNY/GPU-hour"},
    {"valid/full.yaml", "training[0].params", "parameters"},
    {"valid/full.yaml", "training[0].failures.gpu_mtbf_hours", "hours"},
    {"valid/full.yaml", "training[0].failures.checkpoint_every_minutes",
     "minutes"},
    {"valid/full.yaml", "training[0].divergence.probability_per_run",
     "probability/run"},
    {"valid/full.yaml", "training[1].divergence.probability_per_month",
     "probability/month"},
    {"valid/full.yaml", "training[1].peak_tflops", "TFLOP/s"},
    {"valid/full.yaml", "exchange_rates.CNY_per_USD", "CNY per USD"},
    {"valid/full.yaml", "revenue.arpu_per_month", "CNY/user/month"},
    {"valid/full.yaml", "other_costs[1].per_month", "USD/month"},
    {"report/every-key.yaml", "fleets[0].lead_time_months", "months"},
    {"report/every-key.yaml", "fleets[0].buy_month", "month"},
    {"report/every-key.yaml", "fleets[0].sell_month", "month"},
    {"report/every-key.yaml", "fleets[0].price_per_gpu", "USD/GPU"},
    {"report/every-key.yaml", "fleets[0].tariff_per_kwh", "USD/kWh"},
    {"report/every-key.yaml", "fleets[0].colo_per_kw_month", "USD/kW-month"},
    {"report/every-key.yaml", "fleets[0].maintenance_per_year",
     "fraction/year"},
    {"report/every-key.yaml", "fleets[0].tdp_watts", "W/GPU"},
    {"report/every-key.yaml", "fleets[0].financing.loan.months", "months"},
    {"report/every-key.yaml", "fleets[1].financing.lease.fraction_per_month",
     "fraction/month"},
    {"report/every-key.yaml", "capacity[0].months", "months"},
    {"report/every-key.yaml", "capacity[0].start_month", "month"},
    {"report/every-key.yaml", "training[0].reserve.commitment_months",
     "months"},
    {"report/every-key.yaml", "company.discount_rate_per_year", "per year"},
    {"report/every-key.yaml", "serving.model.requests_per_user_per_day",
     "requests/user/day"},
    {"report/every-key.yaml", "serving.model.kv_bytes_per_token",
     "bytes/token"},
};

START_TEST(units_per_input_kind)
{
    gpb_scenario *s = load_data(UNIT_CASES[_i].file);
    long i = gpb_scenario_input_find(s, UNIT_CASES[_i].path);
    ck_assert_msg(i >= 0, "no input %s", UNIT_CASES[_i].path);
    char u[64];
    gpb__input_unit(s, (size_t)i, u, sizeof u);
    ck_assert_msg(!strcmp(u, UNIT_CASES[_i].unit), "%s: unit '%s', want '%s'",
                  UNIT_CASES[_i].path, u, UNIT_CASES[_i].unit);
    gpb_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* JSON                                                                      */
/* ------------------------------------------------------------------------ */

/* Every input has its key path and its label; every sensitivity entry
   its label. */
START_TEST(json_has_labels_beside_paths)
{
    gpb_scenario *s = load_data("report/names.yaml");
    gpb_result *r = test_run(s, 512, 0, 1);
    char *text = NULL;
    gpb_error e;
    ck_assert_int_eq(gpb_report_json(s, r, &text, &e), GPB_OK);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    ck_assert_msg(root != NULL, "JSON: %s", je.text);
    json_t *inputs = json_object_get(root, "inputs");
    ck_assert_uint_eq(json_array_size(inputs), gpb_scenario_input_count(s));
    for (size_t i = 0; i < json_array_size(inputs); i++) {
        json_t *in = json_array_get(inputs, i);
        ck_assert_str_eq(json_string_value(json_object_get(in, "path")),
                         gpb_scenario_input_path(s, i));
        ck_assert_str_eq(json_string_value(json_object_get(in, "label")),
                         gpb_scenario_input_label(s, i));
    }
    json_t *sm = json_object_get(
        json_object_get(json_object_get(root, "sensitivity"), "metrics"),
        "spend.total");
    json_t *e1 = json_object_get(json_object_get(sm, "inputs"),
                                 "team[0].salary_per_year");
    ck_assert_ptr_nonnull(e1);
    ck_assert_str_eq(json_string_value(json_object_get(e1, "label")),
                     "研究员: salary per year");
    json_decref(root);
    gpb_free(text);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* HTML                                                                      */
/* ------------------------------------------------------------------------ */

static char *html_of(const gpb_scenario *s, size_t paths)
{
    gpb_result *r = test_run(s, paths, 0, 1);
    char *html = NULL;
    gpb_error e;
    ck_assert_int_eq(gpb_report_html(s, r, NULL, &html, &e), GPB_OK);
    gpb_result_free(r);
    return html;
}

/* A Sources table only with sources; without, a sentence where it would
   be, and no table with headers only. */
START_TEST(sources_table_only_with_sources)
{
    gpb_scenario *s = load_data("report/names.yaml");
    char *html = html_of(s, 256);
    ck_assert_ptr_null(strstr(html, "<table id=\"sources\""));
    ck_assert_ptr_nonnull(strstr(html, "<p id=\"sources\" class=\"none\">No "
                                       "sources given"));
    gpb_free(html);
    gpb_scenario_free(s);
    s = load_data("valid/full.yaml");
    html = html_of(s, 256);
    const char *t = strstr(html, "<table id=\"sources\"");
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_null(strstr(html, "No sources given"));
    /* Both sources are rows of it. */
    const char *end = strstr(t, "</table>");
    ck_assert_ptr_nonnull(end);
    int rows = 0;
    for (const char *p = t; (p = strstr(p, "<tr><td>")) && p < end; p++)
        rows++;
    ck_assert_int_eq(rows, 2);
    gpb_free(html);
    gpb_scenario_free(s);
}
END_TEST

/* Inputs are shown by label with their key path; CJK text is marked with
   its language; the fonts fall back to CJK faces. */
START_TEST(html_names_inputs_and_marks_chinese)
{
    gpb_scenario *s = load_data("report/names.yaml");
    char *html = html_of(s, 512);
    ck_assert_ptr_nonnull(strstr(html, "<html lang=\"en\">"));
    ck_assert_ptr_nonnull(
        strstr(html, "<td><span lang=\"zh\">研究员: salary per year</span>"
                     "<br><code class=\"key\">team[0].salary_per_year"
                     "</code></td>"));
    ck_assert_ptr_nonnull(
        strstr(html, "<td>ops: salary per year<br><code class=\"key\">"
                     "team[1].salary_per_year</code></td>"));
    ck_assert_ptr_nonnull(
        strstr(html, "<h1><span lang=\"zh\">名字: names as written</span>"));
    ck_assert_ptr_nonnull(strstr(html, "\"Noto Sans CJK SC\""));
    ck_assert_ptr_nonnull(strstr(html, ":lang(zh){font-family:"));
    /* The key path is never the first thing in an input's cell. */
    ck_assert_ptr_null(strstr(html, "<td>team[0].salary_per_year"));
    gpb_free(html);
    gpb_scenario_free(s);
}
END_TEST

/* Runway is a censored time: where no path runs out, its quantiles in the
   page say "≥ 12", as the text and JSON do, not a plain 12 (a user
   review), and a note says the mean is the restricted mean. */
START_TEST(html_runway_quantiles_say_at_least)
{
    const char *yaml = "gpubudget: 1\nname: rich\nhorizon_months: 12\n"
                       "company: {cash: $1M}\n"
                       "other_costs:\n  - {name: rent, per_month: $1k}\n";
    gpb_scenario *s = NULL;
    ck_assert_int_eq(
        gpb_scenario_load_string(yaml, strlen(yaml), "rich.yaml", &s, NULL),
        GPB_OK);
    char *html = html_of(s, 128);
    const char *row = strstr(html, "<tr><td>runway, months</td>");
    ck_assert_ptr_nonnull(row);
    ck_assert_ptr_nonnull(strstr(row, "<td class=\"n\">≥ 12</td>"
                                      "<td class=\"n\">≥ 12</td>"
                                      "<td class=\"n\">≥ 12</td>"
                                      "<td class=\"n\">12.0</td>"));
    ck_assert_ptr_nonnull(strstr(html, "Runway is censored at the 12-month"));
    const char *all = strstr(html, "<td>runway_months</td>");
    ck_assert_ptr_nonnull(all);
    ck_assert_ptr_nonnull(strstr(all, "<td class=\"n\">≥ 12</td></tr>"));
    /* The runway chart's title too (charts are JSON in the page, so the
       sign is escaped), and its axis names months once (a user review
       found "P50 24.0" and "runway in months, months"). */
    ck_assert_ptr_nonnull(strstr(html, "P50 \\u2265 12"));
    ck_assert_ptr_null(strstr(html, "runway in months, months"));
    gpb_free(html);
    gpb_scenario_free(s);
}
END_TEST

/* gpb_sweep_range_point: LO + (HI − LO)·u, or the ⌊u·m⌋-th of the m
   whole numbers of the range; worked by hand. A Latin hypercube of as
   many points as whole numbers then uses each whole number once. */
START_TEST(sweep_range_points)
{
    ck_assert_double_eq_tol(gpb_sweep_range_point(10, 20, 0, 0.25), 12.5,
                            1e-12);
    ck_assert_double_eq(gpb_sweep_range_point(256, 1024, 1, 0), 256);
    ck_assert_double_eq(gpb_sweep_range_point(256, 1024, 1, 0.5), 640);
    ck_assert_double_eq(gpb_sweep_range_point(256, 1024, 1, 0.999999), 1024);
    ck_assert_double_eq(gpb_sweep_range_point(1024, 256, 1, 0), 256);
    ck_assert_double_eq(gpb_sweep_range_point(1.5, 3.5, 1, 0.49), 2);
    ck_assert_double_eq(gpb_sweep_range_point(1.5, 3.5, 1, 0.5), 3);
    ck_assert(isnan(gpb_sweep_range_point(256.2, 256.9, 1, 0.5)));
    ck_assert(isnan(gpb_sweep_range_point(1, 2, 0, 1.0)));
    ck_assert(isnan(gpb_sweep_range_point(1, 2, 0, -0.1)));
    ck_assert(isnan(gpb_sweep_range_point(1, INFINITY, 1, 0.5)));
    enum { M = 769 };
    static double u[M];
    static unsigned char seen[M];
    ck_assert_int_eq(gpb_sweep_latin_hypercube(M, 1, 7, u, NULL), GPB_OK);
    for (size_t p = 0; p < M; p++) {
        double v = gpb_sweep_range_point(256, 1024, 1, u[p]);
        ck_assert(v == floor(v) && v >= 256 && v <= 1024);
        seen[(size_t)v - 256]++;
    }
    for (size_t i = 0; i < M; i++)
        ck_assert_int_eq(seen[i], 1);
}
END_TEST

/*
 * gpb_sweep_range_value reads a range's ends as the key reads them, so the
 * point is in the key's unit and whole for a whole key; worked by hand, a
 * month 730.5 h. "1 year..2 years" over start_month is 12..24 months, 13
 * whole numbers: u = 0 gives 12, u = 0.5 the ⌊6.5⌋ = 6th, 18, u = 0.999
 * the 12th, 24 (it used to be 8766..17532 hours: 13.85 months at the
 * first point of bench-60m). "8 weeks..20 weeks" is 1.8398..4.5996
 * months: 2, 3, 4 at u = 0, 0.5, 0.9. A whole count written with a count
 * word ("1k GPUs") is whole as it is: 1000 + ⌊0.5 · 1001⌋ = 1500. A rate
 * for a salary is a year's pay: $10k..$20k a month is $120k..$240k a
 * year, $180k at u = 0.5. Cash keeps the ends' form: $20M + 0.25 · $60M.
 */
START_TEST(sweep_range_values_are_in_the_keys_unit)
{
    const char *yaml =
        "gpubudget: 1\nname: t\ncompany: {cash: $10M}\n"
        "team: [{role: r, count: 2, salary_per_year: $100k}]\n"
        "training:\n"
        "  - {name: pre, params: 1B, tokens: 20B, gpu: H100, gpus: 8,\n"
        "     start_month: 2}\n";
    gpb_scenario *s = NULL;
    ck_assert_int_eq(
        gpb_scenario_load_string(yaml, strlen(yaml), "t.yaml", &s, NULL),
        GPB_OK);
    static const struct {
        const char *key, *lo, *hi;
        double u, value;
        gpb_qty_kind kind;
        gpb_currency cur;
    } ok[] = {
        {"training[pre].start_month", "1 year", "2 years", 0, 12,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"training[pre].start_month", "1 year", "2 years", 0.5, 18,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"training[0].start_month", "1 year", "2 years", 0.999, 24,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"training[0].start_month", "12 months", "24 months", 0.5, 18,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"training[0].start_month", "12", "24", 0.5, 18, GPB_QTY_NUMBER,
         GPB_CURRENCY_NONE},
        {"training[0].start_month", "8 weeks", "20 weeks", 0, 2,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"training[0].start_month", "8 weeks", "20 weeks", 0.5, 3,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"training[0].start_month", "8 weeks", "20 weeks", 0.9, 4,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"training[0].gpus", "1k GPUs", "2k GPUs", 0.5, 1500,
         GPB_QTY_NUMBER, GPB_CURRENCY_NONE},
        {"team[0].salary_per_year", "$10k/month", "$20k/month", 0.5, 180000,
         GPB_QTY_MONEY, GPB_CURRENCY_USD},
        {"company.cash", "$20M", "$80M", 0.25, 35e6, GPB_QTY_MONEY,
         GPB_CURRENCY_USD},
        /* No such input: the ends' unit, not whole (hours). */
        {"training[0].nope", "1 year", "2 years", 0.5, 13149,
         GPB_QTY_DURATION, GPB_CURRENCY_NONE},
        /* horizon_months is no input but has its spec: "3 years..4 years"
           is months 36..48, 13 whole numbers, ⌊0.5 · 13⌋ = 6th: 42 (it
           was 3.74 years, which the loader refused as 44.84 months). */
        {"horizon_months", "3 years", "4 years", 0.5, 42, GPB_QTY_NUMBER,
         GPB_CURRENCY_NONE},
        {"horizon_months", "3 years", "4 years", 0.999, 48, GPB_QTY_NUMBER,
         GPB_CURRENCY_NONE},
        {"horizon_months", "30", "40", 0, 30, GPB_QTY_NUMBER,
         GPB_CURRENCY_NONE},
    };
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
        gpb_quantity q;
        gpb_error e;
        gpb_status st = gpb_sweep_range_value(s, ok[k].key, ok[k].lo,
                                              ok[k].hi, ok[k].u, &q, &e);
        ck_assert_msg(st == GPB_OK, "%zu: %s", k, e.message);
        ck_assert_msg(fabs(q.value - ok[k].value) <= 1e-9 * ok[k].value,
                      "%zu: %.17g, want %.17g", k, q.value, ok[k].value);
        ck_assert_int_eq(q.kind, ok[k].kind);
        ck_assert_int_eq(q.currency, ok[k].cur);
        /* Whole keys get exactly whole values, which read back as such. */
        if (ok[k].kind == GPB_QTY_NUMBER)
            ck_assert(q.value == ok[k].value);
    }
    gpb_quantity q = {7, GPB_QTY_COUNT, GPB_CURRENCY_COUNT};
    gpb_error e;
    static const struct {
        const char *key, *lo, *hi;
        double u;
        gpb_status st;
        const char *has;
    } bad[] = {
        {"team[0].salary_per_year", "$100/GPU-hour", "$200/GPU-hour", 0.5,
         GPB_ESCHEMA, "found a price per GPU '$100/GPU-hour'"},
        {"company.cash", "$1M", "3 months", 0.5, GPB_EUNIT,
         "are not in the same units"},
        {"training[0].start_month", "$1", "$2", 0.5, GPB_ESCHEMA,
         "expected a month number (0 = the first month), found an amount "
         "of money '$1'"},
        {"training[0].start_month", "1.2", "1.4", 0.5, GPB_ERANGE,
         "the key takes whole numbers (the engine rounds a fraction) and the "
         "range 1.2..1.4 holds none"},
        {"training[0].start_month", "1", "2", 1.0, GPB_EINVAL, "outside"},
        {"training[0].start_month", "1", "2x", 0.5, GPB_EUNIT, "'x'"},
        {"horizon_months", "$3", "$4", 0.5, GPB_ESCHEMA,
         "expected a whole number of months, found an amount of money"},
        {"horizon_months", "0", "5", 0.5, GPB_ESCHEMA,
         "the range 0..5 leaves a whole number of months"},
        {"horizon_months", "12", "700", 0.5, GPB_ELIMIT,
         "the range 12..700 leaves a whole number of months in [1, 600]"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gpb_status st = gpb_sweep_range_value(s, bad[k].key, bad[k].lo,
                                              bad[k].hi, bad[k].u, &q, &e);
        ck_assert_msg(st == bad[k].st, "%zu: status %d: %s", k, st,
                      e.message);
        ck_assert_msg(strstr(e.message, bad[k].has), "%zu: '%s' lacks '%s'",
                      k, e.message, bad[k].has);
        ck_assert(q.value == 7);
    }
    ck_assert_int_eq(gpb_sweep_range_value(s, NULL, "1", "2", 0, &q, NULL),
                     GPB_EINVAL);
    gpb_scenario_free(s);
}
END_TEST

/* A sweep says what run says of a censored runway: its row carries the
   horizon (gpb_sweep_row's sixth figure), the JSON a "censored" object
   and the page "≥ 12". Hand figures: $1k a month for 12 months from $1M
   never runs out, so runway is 12 on every path (censored) and spend is
   exactly $12k (not censored: NaN). */
START_TEST(sweep_runway_is_censored)
{
    const char *yaml = "gpubudget: 1\nname: rich\nhorizon_months: 12\n"
                       "company: {cash: $1M}\n"
                       "other_costs:\n  - {name: rent, per_month: $1k}\n";
    gpb_scenario *s = NULL;
    ck_assert_int_eq(
        gpb_scenario_load_string(yaml, strlen(yaml), "rich.yaml", &s, NULL),
        GPB_OK);
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = 64;
    o.threads = 1;
    gpb_result *r = NULL;
    ck_assert_int_eq(gpb_sim_run(s, &o, &r, NULL), GPB_OK);
    const char *names[2] = {"runway_months", "spend.total"};
    double row[2 * GPB_SWEEP_STATS];
    ck_assert_int_eq(gpb_sweep_row(r, names, 2, row, NULL), GPB_OK);
    for (int k = 0; k < GPB_SWEEP_STATS; k++)
        ck_assert_double_eq_tol(row[k], k == 1 ? 0 : 12, 1e-12);
    ck_assert_double_eq_tol(row[GPB_SWEEP_STATS + 0], 12e3, 1e-6);
    ck_assert_double_eq_tol(row[GPB_SWEEP_STATS + 3], 12e3, 1e-6);
    ck_assert(isnan(row[GPB_SWEEP_STATS + 5]));
    const char *keys[1] = {"company.cash"}, *values[1] = {"$1M"};
    const char *units[2] = {"months", "USD"};
    gpb_sweep_table t = {.scenario_name = "rich", .currency = GPB_CURRENCY_USD,
                         .paths = 64, .seed = o.seed, .n_keys = 1,
                         .keys = keys, .n_points = 1, .values = values,
                         .n_metrics = 2, .metrics = names, .units = units,
                         .rows = row};
    char *json = NULL, *html = NULL;
    ck_assert_int_eq(gpb_report_sweep_json(&t, &json, NULL), GPB_OK);
    const char *rw = strstr(json, "\"runway_months\": {");
    ck_assert_ptr_nonnull(rw);
    ck_assert_ptr_nonnull(strstr(rw, "\"censored\": {"));
    ck_assert_ptr_nonnull(strstr(rw, "\"mean\": \"restricted\""));
    const char *sp = strstr(json, "\"spend.total\": {");
    ck_assert_ptr_nonnull(sp);
    ck_assert_ptr_null(strstr(sp, "censored"));
    ck_assert_int_eq(gpb_report_sweep_html(&t, &html, NULL), GPB_OK);
    ck_assert_ptr_nonnull(strstr(html, "<td class=n>≥ 12 (12)</td>"));
    ck_assert_ptr_nonnull(strstr(html, "Runway is censored at the horizon"));
    gpb_free(json);
    gpb_free(html);
    gpb_result_free(r);
    gpb_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The scenario embedded in the page                                         */
/* ------------------------------------------------------------------------ */

static int b64_value(char c)
{
    const char *A =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(A, c) : NULL;
    return p ? (int)(p - A) : -1;
}

/* The bytes of the page's download link (new; *len its length): the
   base64 of its data: URL, decoded here independently of the writer. */
static unsigned char *embedded(const char *html, size_t *len)
{
    const char *a = strstr(html, "id=\"gpb-scenario-download\"");
    ck_assert_ptr_nonnull(a);
    const char *h = strstr(a, "href=\"data:application/yaml;base64,");
    ck_assert_ptr_nonnull(h);
    h = strchr(h, ',') + 1;
    const char *end = strchr(h, '"');
    ck_assert_ptr_nonnull(end);
    size_t n = (size_t)(end - h);
    ck_assert_uint_eq(n % 4, 0);
    unsigned char *out = malloc(n / 4 * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        for (int j = 0; j < 4; j++) {
            v[j] = h[i + j] == '=' ? 0 : b64_value(h[i + j]);
            ck_assert_msg(v[j] >= 0, "not base64: '%c'", h[i + j]);
        }
        unsigned x = (unsigned)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
        out[k++] = (unsigned char)(x >> 16);
        if (h[i + 2] != '=')
            out[k++] = (unsigned char)(x >> 8);
        if (h[i + 3] != '=')
            out[k++] = (unsigned char)x;
    }
    *len = k;
    return out;
}

/* A file read from disk comes back from the page byte for byte. */
START_TEST(embedded_file_round_trips)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/report/names.yaml", data_dir());
    size_t flen, elen, slen;
    char *file = slurp(path, &flen);
    gpb_scenario *s = load_data("report/names.yaml");
    const char *kept = gpb_scenario_text(s, &slen);
    ck_assert_uint_eq(slen, flen);
    ck_assert(memcmp(kept, file, flen) == 0);
    ck_assert_ptr_null(gpb_scenario_overrides(s));
    char *html = html_of(s, 256);
    unsigned char *back = embedded(html, &elen);
    ck_assert_uint_eq(elen, flen);
    ck_assert(memcmp(back, file, flen) == 0);
    ck_assert_ptr_nonnull(strstr(html, "download=\"names.yaml\""));
    ck_assert_ptr_nonnull(strstr(html, "<pre class=\"scenario\" "
                                       "id=\"gpb-scenario\" lang=\"zh\">"));
    free(back);
    free(file);
    gpb_free(html);
    gpb_scenario_free(s);
}
END_TEST

/* Text that could break out of an attribute or a script, with CRLF line
   ends, a missing final newline and every base64 padding length: exact. */
START_TEST(embedded_text_is_exact)
{
    static const char *const tails[3] = {"", "#", "##"};
    for (int t = 0; t < 3; t++) {
        char yaml[1024];
        int n = snprintf(
            yaml, sizeof yaml,
            "# \"quotes\" & <b>tags</b> </script><script>alert(1)</script>\r\n"
            "gpubudget: 1\r\n"
            "name: 'it''s 千卡 </pre>'\r\n"
            "company: {cash: $1M}\r\n"
            "team: [{role: a, count: 1, salary_per_year: $100k}]\r\n"
            "%s",
            tails[t]);
        gpb_scenario *s = NULL;
        ck_assert_int_eq(gpb_scenario_load_string(yaml, (size_t)n, NULL, &s,
                                                  NULL),
                         GPB_OK);
        char *html = html_of(s, 128);
        size_t len;
        unsigned char *back = embedded(html, &len);
        ck_assert_uint_eq(len, (size_t)n);
        ck_assert(memcmp(back, yaml, len) == 0);
        /* The text shown for reading is escaped: the page has exactly the
           scripts it writes itself. */
        ck_assert_ptr_null(strstr(html, "<script>alert(1)"));
        ck_assert_ptr_null(strstr(html, "<b>tags</b>"));
        ck_assert_ptr_nonnull(strstr(html, "download=\"scenario.yaml\""));
        free(back);
        gpb_free(html);
        gpb_scenario_free(s);
    }
}
END_TEST

/* The built-in scenario embeds its built-in text; overrides are kept and
   shown, since the file alone is not what ran. */
START_TEST(embedded_default_and_overrides)
{
    gpb_scenario *s = NULL;
    ck_assert_int_eq(gpb_scenario_load_default(&s, NULL), GPB_OK);
    size_t len;
    const char *text = gpb_scenario_text(s, &len);
    ck_assert_str_eq(text, gpb_scenario_default_text());
    ck_assert_uint_eq(len, strlen(gpb_scenario_default_text()));
    char *html = html_of(s, 128);
    ck_assert_ptr_nonnull(strstr(html, "download=\"qianka-month.yaml\""));
    gpb_free(html);
    gpb_scenario_free(s);

    const char *yaml = "gpubudget: 1\nname: o\ncompany: {cash: $1M}\n";
    ck_assert_int_eq(gpb_scenario_load_string_with_overrides(
                         yaml, strlen(yaml), "x/o.yml", "company.cash=$2M",
                         &s, NULL),
                     GPB_OK);
    ck_assert_str_eq(gpb_scenario_overrides(s), "company.cash=$2M");
    ck_assert_str_eq(gpb_scenario_text(s, NULL), yaml);
    html = html_of(s, 128);
    ck_assert_ptr_nonnull(strstr(html, "<code id=\"gpb-scenario-overrides\">"
                                       "company.cash=$2M</code>"));
    ck_assert_ptr_nonnull(strstr(html, "download=\"o.yml\""));
    gpb_free(html);
    gpb_scenario_free(s);
    ck_assert_ptr_null(gpb_scenario_text(NULL, &len));
    ck_assert_uint_eq(len, 0);
}
END_TEST


/* The command documents (report.h): estimate's figures and its JSON agree,
   and every invalid request is refused with the field named. */
START_TEST(estimate_document_and_figures_agree)
{
    gpb_report_estimate_request rq;
    gpb_report_estimate_request_default(&rq);
    rq.params = 70e9;
    rq.tokens = 2e12;
    rq.gpu = "H100";
    rq.gpus = 512;
    rq.days = 30;
    gpb_report_estimate r;
    gpb_error e;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_OK);
    ck_assert_int_eq(r.mfu_origin, GPB_REPORT_MFU_DAYS);
    ck_assert(r.claimed);
    /* 6·N·D = 8.4e23 FLOPs; the claim's own GPU-hours. */
    ck_assert_double_eq_tol(r.flops, 8.4e23, 1e12);
    ck_assert_double_eq_tol(r.time.gpu_hours, 30 * 24 * 512.0, 1e-6);
    /* The compute-optimal split spends the model's 6·N·D: N·D·6 of it is
       8.4e23. With recompute the hardware does 8·N·D, and the split is
       the same (it once grew to the split of 8·N·D, a user review). */
    ck_assert_double_eq_tol(6 * r.chinchilla_params * r.chinchilla_tokens,
                            8.4e23, 1e-9 * 8.4e23);
    double n_opt = r.chinchilla_params, d_opt = r.chinchilla_tokens;
    rq.recompute = 1;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_OK);
    /* The run's FLOPs stay the model's 6·N·D (recomputation is hardware
       work MFU does not count), so the 30 days imply the same MFU. */
    ck_assert_double_eq_tol(r.flops, 6 * 70e9 * 2e12, 1e12);
    ck_assert_double_eq_tol(r.time.gpu_hours, 30 * 24 * 512.0, 1e-6);
    ck_assert_double_eq_tol(r.chinchilla_params, n_opt, 1e-9 * n_opt);
    ck_assert_double_eq_tol(r.chinchilla_tokens, d_opt, 1e-9 * d_opt);
    rq.recompute = 0;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_OK);
    char *text = NULL;
    ck_assert_int_eq(gpb_report_estimate_json(&rq, &text, &e), GPB_OK);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    ck_assert_ptr_nonnull(doc);
    /* Reals are written to 12 significant digits. */
    ck_assert_double_eq_tol(json_real_value(json_object_get(doc, "mfu")),
                            r.mfu_frac, 1e-10 * r.mfu_frac);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "mfu_origin")),
                     "implied by --days");
    /* Reals are written to 12 significant digits. */
    ck_assert_double_eq_tol(json_real_value(json_object_get(doc, "rent_cost")),
                            r.rent_cost, 1e-10 * r.rent_cost);
    json_decref(doc);
    gpb_free(text);

    ck_assert_int_eq(gpb_report_estimate_json(NULL, &text, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_report_estimate_json(&rq, NULL, &e), GPB_EINVAL);
    rq.mfu_frac = 0.4;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "days");
    rq.days = NAN; /* not given */
    rq.mfu_frac = -1;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "mfu");
    rq.mfu_frac = NAN;
    /* 0 is a value, refused, not "not given": a claim of 0 days once
       vanished silently. */
    rq.days = 0;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "days");
    rq.days = NAN;
    rq.mfu_frac = 0;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "mfu");
    rq.mfu_frac = NAN;
    /* The model's sizes are named by the request's fields, which the
       command maps to its options (not the compute layer's spec.*). */
    rq.active_params = 2 * rq.params;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "active_params");
    rq.active_params = 0;
    rq.tokens = -3;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "tokens");
    rq.tokens = 2e12;
    rq.params = 0;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "params");
    rq.params = 70e9;
    rq.gpu = "nope";
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e),
                     GPB_ENOTFOUND);
    ck_assert_str_eq(e.path, "gpu");
    rq.gpu = "H100";
    rq.precision = "fp4";
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e),
                     GPB_ENOTFOUND);
    ck_assert_str_eq(e.path, "precision");
    rq.precision = NULL;
    rq.gpu = "H20"; /* no catalog rent */
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e),
                     GPB_ENOTFOUND);
    ck_assert_str_eq(e.path, "price");
    rq.price_per_gpu_hour = 2;
    ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e), GPB_OK);
    ck_assert(r.price_given);
    /* Whole cards only: a fraction was shown rounded and used as given. */
    double saved = rq.gpus;
    const double bad_gpus[] = {1.5, 0.5, 0, -8, 2e7, NAN, INFINITY};
    for (size_t k = 0; k < sizeof bad_gpus / sizeof *bad_gpus; k++) {
        rq.gpus = bad_gpus[k];
        ck_assert_int_eq(gpb_report_estimate_compute(&rq, &r, &e),
                         GPB_EINVAL);
        ck_assert_str_eq(e.path, "gpus");
    }
    rq.gpus = saved;
}
END_TEST

START_TEST(plan_and_gpus_documents)
{
    gpb_report_plan_request rq;
    gpb_report_plan_request_default(&rq);
    rq.spec.params = 70e9;
    rq.spec.gpus = 512;
    rq.gpu = "H100";
    gpb_report_plan p;
    gpb_error e;
    ck_assert_int_eq(gpb_report_plan_compute(&rq, &p, &e), GPB_OK);
    /* Chinchilla's 20 tokens per parameter by default. */
    ck_assert_double_eq_tol(p.tokens, 1.4e12, 1);
    char *text = NULL;
    ck_assert_int_eq(gpb_report_plan_json(&rq, &text, &e), GPB_OK);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    ck_assert_ptr_nonnull(doc);
    /* Reals are written to 12 significant digits. */
    ck_assert_double_eq_tol(json_real_value(json_object_get(doc, "step_s")),
                            p.result.step_s, 1e-10 * p.result.step_s);
    json_decref(doc);
    gpb_free(text);
    rq.gpu = "nope";
    ck_assert_int_eq(gpb_report_plan_json(&rq, &text, &e), GPB_ENOTFOUND);
    ck_assert_str_eq(e.path, "gpu");
    rq.gpu = "H100";
    rq.tokens = -1;
    ck_assert_int_eq(gpb_report_plan_json(&rq, &text, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_report_plan_compute(NULL, &p, &e), GPB_EINVAL);

    ck_assert_int_eq(gpb_report_gpus_json(&text, &e), GPB_OK);
    doc = json_loads(text, 0, &je);
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_eq(json_array_size(doc), gpb_hardware_gpu_count());
    json_decref(doc);
    gpb_free(text);
    ck_assert_int_eq(gpb_report_gpus_json(NULL, &e), GPB_EINVAL);
}
END_TEST

/* rent-vs-buy --scenario says when the two plans do different work (a
   user review: a workload asking for 8 cards of a 4-card fleet works on
   4 when buying and rents 8 when renting, and buying "won"). By hand: 8
   GPUs at utilisation 0.5 for 12 months are 8 · 0.5 · 730.5 · 12 =
   35,064 GPU-hours rented; the fleet's 4 give half, 17,532. With 8
   cards both plans do 35,064. The loader warns of the small fleet. */
START_TEST(rent_vs_buy_says_when_work_differs)
{
    for (int cards = 4; cards <= 8; cards += 4) {
        char y[640];
        snprintf(y, sizeof y,
                 "gpubudget: 1\nname: own\nhorizon_months: 12\n"
                 "company: {cash: $1M}\n"
                 "fleets:\n  - {name: own, gpu: H100, gpus: %d, "
                 "price_per_gpu: $25000, overhead: 0}\n"
                 "capacity:\n  - {name: work, gpu: H100, gpus: 8, "
                 "utilization: 0.5, acquire: buy, fleet: own, "
                 "price_per_gpu_hour: $2/h}\n",
                 cards);
        gpb_scenario *s = NULL;
        gpb_diagnostics *dg = NULL;
        ck_assert_int_eq(gpb_scenario_load_string(y, strlen(y), "own.yaml",
                                                  &s, &dg),
                         GPB_OK);
        gpb_diagnostics_free(dg);
        const gpb_diagnostics *w = gpb_scenario_warnings(s);
        int warned = 0;
        for (size_t i = 0; i < gpb_diagnostics_count(w); i++)
            warned |= strstr(gpb_diagnostics_at(w, i)->message,
                             "asks for 8 GPUs, but fleet 'own' has 4") != NULL;
        ck_assert_int_eq(warned, cards == 4);
        gpb_report_rent_vs_buy_request rq;
        gpb_report_rent_vs_buy_request_default(&rq);
        rq.scenario = s;
        rq.sim.paths = 16;
        rq.sim.threads = 1;
        gpb_report_rent_vs_buy r;
        gpb_error e;
        ck_assert_int_eq(gpb_report_rent_vs_buy_compute(&rq, &r, &e), GPB_OK);
        ck_assert_double_eq_tol(r.rent_gpu_hours_mean, 35064, 1e-6);
        ck_assert_double_eq_tol(r.buy_gpu_hours_mean, cards == 4 ? 17532 : 35064,
                                1e-6);
        ck_assert_int_eq(gpb_report_rent_vs_buy_same_work(&r), cards == 8);
        gpb_report_rent_vs_buy_free(&r);
        char *text = NULL;
        ck_assert_int_eq(gpb_report_rent_vs_buy_json(&rq, &text, &e), GPB_OK);
        ck_assert_ptr_nonnull(strstr(text, cards == 4 ? "\"same_work\": false"
                                                      : "\"same_work\": true"));
        gpb_free(text);
        gpb_scenario_free(s);
    }
}
END_TEST

/* rent-vs-buy: the closed form's document and figures agree, a scenario
   is compared with renting, and invalid requests name their field. */
START_TEST(rent_vs_buy_documents)
{
    gpb_report_rent_vs_buy_request rq;
    gpb_report_rent_vs_buy_request_default(&rq);
    rq.gpu = "A100";
    rq.finance.gpus = 1000;
    rq.finance.months = 36;
    gpb_report_rent_vs_buy r;
    gpb_error e;
    ck_assert_int_eq(gpb_report_rent_vs_buy_compute(&rq, &r, &e), GPB_OK);
    ck_assert(!r.scenario_form);
    ck_assert_int_eq(r.currency, GPB_CURRENCY_USD);
    ck_assert_uint_eq(r.flows.n_points, 37);
    char *text = NULL;
    ck_assert_int_eq(gpb_report_rent_vs_buy_json(&rq, &text, &e), GPB_OK);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "gpu")),
                     r.gpu->name);
    ck_assert_uint_eq(json_array_size(json_object_get(doc, "by_month")), 37);
    /* Reals are written to 12 significant digits. */
    double v = json_real_value(json_object_get(doc, "buy_npv"));
    ck_assert_double_eq_tol(v, r.totals.buy_npv, 1e-10 * fabs(v));
    json_decref(doc);
    gpb_free(text);
    gpb_report_rent_vs_buy_free(&r);
    gpb_report_rent_vs_buy_free(&r); /* zeroed: a no-op */
    gpb_report_rent_vs_buy_free(NULL);

    /* A rent in yuan makes yuan the report currency. */
    rq.rent = (gpb_quantity){12, GPB_QTY_MONEY_PER_HOUR, GPB_CURRENCY_CNY};
    ck_assert_int_eq(gpb_report_rent_vs_buy_compute(&rq, &r, &e), GPB_OK);
    ck_assert_int_eq(r.currency, GPB_CURRENCY_CNY);
    ck_assert(r.converted);
    ck_assert_double_eq(r.inputs.rent_price_per_gpu_hour, 12);
    gpb_report_rent_vs_buy_free(&r);
    rq.rent.value = NAN;

    ck_assert_int_eq(gpb_report_rent_vs_buy_json(NULL, &text, &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_report_rent_vs_buy_json(&rq, NULL, &e), GPB_EINVAL);
    rq.gpu = "nope";
    ck_assert_int_eq(gpb_report_rent_vs_buy_compute(&rq, &r, &e),
                     GPB_ENOTFOUND);
    ck_assert_str_eq(e.path, "gpu");
    gpb_report_rent_vs_buy_free(&r);
    rq.gpu = NULL;
    ck_assert_int_eq(gpb_report_rent_vs_buy_json(&rq, &text, &e), GPB_EINVAL);
    ck_assert_str_eq(e.path, "gpu");
    rq.gpu = "A100";
    /* Whole cards and nodes only (the library's rule, for every caller). */
    double g0 = rq.finance.gpus, n0 = rq.finance.gpus_per_node;
    rq.finance.gpus = 0.5;
    ck_assert_int_eq(gpb_report_rent_vs_buy_compute(&rq, &r, &e),
                     GPB_EINVAL);
    ck_assert_str_eq(e.path, "gpus");
    rq.finance.gpus = g0;
    rq.finance.gpus_per_node = 2.5;
    ck_assert_int_eq(gpb_report_rent_vs_buy_compute(&rq, &r, &e),
                     GPB_EINVAL);
    ck_assert_str_eq(e.path, "gpus_per_node");
    rq.finance.gpus_per_node = n0;
    rq.finance.util_frac = 2;
    ck_assert_int_eq(gpb_report_rent_vs_buy_json(&rq, &text, &e), GPB_ERANGE);
    rq.finance.util_frac = 0.8;
    rq.finance.months = NAN;
    ck_assert_int_eq(gpb_report_rent_vs_buy_json(&rq, &text, &e), GPB_EINVAL);

    /* The scenario form, on few paths. */
    char path[1024];
    snprintf(path, sizeof path, "%s/../../scenarios/qianka-buy.yaml",
             data_dir());
    gpb_scenario *sc = NULL;
    ck_assert_int_eq(gpb_scenario_load_file(path, &sc, NULL), GPB_OK);
    gpb_report_rent_vs_buy_request_default(&rq);
    rq.scenario = sc;
    rq.scenario_name = "qianka-buy";
    rq.sim.paths = 64;
    ck_assert_int_eq(gpb_report_rent_vs_buy_compute(&rq, &r, &e), GPB_OK);
    ck_assert(r.scenario_form);
    ck_assert_uint_eq(r.diff.paths, 64);
    ck_assert_int_gt(r.horizon_months, 0);
    ck_assert_ptr_nonnull(r.buy_month_mean);
    gpb_report_rent_vs_buy_free(&r);
    ck_assert_int_eq(gpb_report_rent_vs_buy_json(&rq, &text, &e), GPB_OK);
    doc = json_loads(text, 0, &je);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "scenario")),
                     "qianka-buy");
    ck_assert_ptr_nonnull(json_object_get(doc, "uncertain"));
    json_decref(doc);
    gpb_free(text);
    gpb_scenario_free(sc);
    /* A scenario that buys no cards has nothing to compare. */
    ck_assert_int_eq(gpb_scenario_load_default(&sc, NULL), GPB_OK);
    rq.scenario = sc;
    gpb_status st = gpb_report_rent_vs_buy_compute(&rq, &r, &e);
    gpb_report_rent_vs_buy_free(&r);
    gpb_scenario_free(sc);
    ck_assert_int_eq(st, GPB_EINVAL);
    ck_assert_str_eq(e.path, "scenario");
}
END_TEST

/* check: a scenario's claims and a pitch, documents and figures, and the
   invalid requests. */
START_TEST(check_documents)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/../../scenarios/gpt3-run.yaml",
             data_dir());
    gpb_scenario *sc = NULL;
    ck_assert_int_eq(gpb_scenario_load_file(path, &sc, NULL), GPB_OK);
    gpb_sim_options so;
    gpb_sim_options_default(&so);
    so.paths = 400;
    gpb_result *res = NULL;
    gpb_error e;
    ck_assert_int_eq(gpb_sim_run(sc, &so, &res, &e), GPB_OK);
    gpb_report_check_scenario k[2];
    ck_assert_int_eq(gpb_report_check_scenario_compute("gpt3-run.yaml", sc,
                                                       res, 1, &k[0], &e),
                     GPB_OK);
    ck_assert_uint_eq(k[0].n_claims, gpb_scenario_claim_count(sc));
    ck_assert_uint_gt(k[0].n_claims, 0);
    k[1] = k[0]; /* the same scenario twice: the summary counts both */
    char *text = NULL;
    ck_assert_int_eq(gpb_report_check_json(k, 2, &text, &e), GPB_OK);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    ck_assert_ptr_nonnull(doc);
    json_t *arr = json_object_get(doc, "scenarios");
    ck_assert_uint_eq(json_array_size(arr), 2);
    json_t *first = json_array_get(arr, 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "file")),
                     "gpt3-run.yaml");
    ck_assert_int_eq(json_integer_value(json_object_get(first, "paths")), 400);
    json_t *claims = json_object_get(first, "claims");
    ck_assert_uint_eq(json_array_size(claims), k[0].n_claims);
    size_t total = 0, ok = 0;
    json_t *sum = json_object_get(doc, "summary"), *v;
    const char *key;
    json_object_foreach(sum, key, v) total += (size_t)json_integer_value(v);
    for (size_t i = 0; i < k[0].n_claims; i++)
        ok += k[0].status[i] == GPB_OK;
    ck_assert_uint_eq(total, 2 * ok);
    json_decref(doc);
    gpb_free(text);
    ck_assert_int_eq(gpb_report_check_json(NULL, 0, &text, &e), GPB_OK);
    gpb_free(text);
    ck_assert_int_eq(gpb_report_check_json(NULL, 1, &text, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_report_check_json(k, 1, NULL, &e), GPB_EINVAL);
    gpb_report_check_scenario_free(&k[0]);
    gpb_report_check_scenario_free(&k[0]); /* zeroed: a no-op */
    gpb_report_check_scenario_free(NULL);
    ck_assert_int_eq(gpb_report_check_json(k, 1, &text, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_report_check_scenario_compute("x", NULL, res, 1,
                                                       &k[0], &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_report_check_scenario_compute("x", sc, res, 1, NULL,
                                                       &e),
                     GPB_EINVAL);
    gpb_result_free(res);
    gpb_scenario_free(sc);

    gpb_report_check_pitch_request rq;
    gpb_report_check_pitch_request_default(&rq);
    ck_assert_uint_eq(rq.sim.paths, GPB_REPORT_CHECK_PATHS_DEFAULT);
    rq.pitch = "70B params, 2T tokens, 512 H100, 3 days, $2M";
    rq.sim.paths = 500;
    gpb_report_check_pitch p;
    ck_assert_int_eq(gpb_report_check_pitch_compute(&rq, &p, &e), GPB_OK);
    ck_assert(p.has_duration && p.has_budget);
    /* 3 days needs more than the hardware's peak. */
    ck_assert_int_eq(p.verdict, GPB_VERDICT_IMPLAUSIBLE);
    ck_assert(p.days_p5 <= p.days_p50 && p.days_p50 <= p.days_p95);
    ck_assert_int_eq(gpb_report_check_pitch_result_json(&p, &text, &e),
                     GPB_OK);
    char *again = NULL;
    ck_assert_int_eq(gpb_report_check_pitch_json(&rq, &again, &e), GPB_OK);
    ck_assert_str_eq(text, again); /* one seed, one document */
    doc = json_loads(text, 0, &je);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "verdict")),
                     "implausible");
    ck_assert_str_eq(json_string_value(json_object_get(doc, "pitch")),
                     rq.pitch);
    /* A dense pitch: "active_params" null, NaN and 0 alike
       (gpb_claim_pitch_is_moe); a mixture of experts' is the count. */
    ck_assert(json_is_null(json_object_get(doc, "active_params")));
    json_decref(doc);
    gpb_free(text);
    gpb_free(again);
    static const double actives[] = {0, 7e9};
    for (int i = 0; i < 2; i++) {
        p.pitch.active_params = actives[i];
        ck_assert_int_eq(gpb_report_check_pitch_result_json(&p, &text, &e),
                         GPB_OK);
        doc = json_loads(text, 0, &je);
        ck_assert_ptr_nonnull(doc);
        json_t *a = json_object_get(doc, "active_params");
        if (actives[i] == 0)
            ck_assert(json_is_null(a));
        else
            ck_assert(json_is_number(a) && json_number_value(a) == 7e9);
        json_decref(doc);
        gpb_free(text);
    }

    ck_assert_int_eq(gpb_report_check_pitch_json(NULL, &text, &e),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_report_check_pitch_json(&rq, NULL, &e), GPB_EINVAL);
    ck_assert_int_eq(gpb_report_check_pitch_result_json(NULL, &text, &e),
                     GPB_EINVAL);
    rq.precision = "fp4";
    ck_assert_int_ne(gpb_report_check_pitch_compute(&rq, &p, &e), GPB_OK);
    ck_assert_str_eq(e.path, "precision");
    rq.precision = NULL;
    rq.pitch = "hello world";
    ck_assert_int_ne(gpb_report_check_pitch_compute(&rq, &p, &e), GPB_OK);
    ck_assert_str_eq(e.path, "claim");
    rq.pitch = NULL;
    ck_assert_int_eq(gpb_report_check_pitch_compute(&rq, &p, &e),
                     GPB_EINVAL);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("labels");
    tcase_add_test(tc, labels_use_the_names_in_the_file);
    tcase_add_test(tc, labels_are_unique);
    tcase_add_test(tc, labels_fall_back_to_the_index);
    tcase_add_test(tc, results_and_sensitivity_carry_labels);
    tcase_add_test(tc, json_has_labels_beside_paths);
    suite_add_tcase(s, tc);
    tc = tcase_create("units");
    tcase_add_test(tc, every_key_has_a_unit);
    tcase_add_loop_test(tc, units_per_input_kind, 0,
                        (int)(sizeof UNIT_CASES / sizeof UNIT_CASES[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("html");
    tcase_add_test(tc, sources_table_only_with_sources);
    tcase_add_test(tc, html_names_inputs_and_marks_chinese);
    tcase_add_test(tc, html_runway_quantiles_say_at_least);
    tcase_add_test(tc, sweep_range_points);
    tcase_add_test(tc, sweep_range_values_are_in_the_keys_unit);
    tcase_add_test(tc, sweep_runway_is_censored);
    tcase_add_test(tc, embedded_file_round_trips);
    tcase_add_test(tc, embedded_text_is_exact);
    tcase_add_test(tc, embedded_default_and_overrides);
    suite_add_tcase(s, tc);
    tc = tcase_create("commands");
    tcase_add_test(tc, estimate_document_and_figures_agree);
    tcase_add_test(tc, plan_and_gpus_documents);
    tcase_add_test(tc, rent_vs_buy_documents);
    tcase_add_test(tc, rent_vs_buy_says_when_work_differs);
    tcase_add_test(tc, check_documents);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
