/*
 * Tests for the scenario layer's warnings (plans that load but cannot work
 * as written: lib/scenario_plan.c, and fractions written as percentages)
 * and for the loader's hints on YAML that libyaml explains poorly (a tab
 * in the indentation, brackets in an unquoted flow item).
 *
 * Warnings as data: every directory tests/data/warnings/<case>/ holds
 * input.yaml, which loads, and expected.txt in the format of
 * tests/data/invalid (test_scenario.c): "count: N" (the number of
 * warnings), then one block per warning in file order, separated by
 * "---", with line, column, path (exact) and a substring of the message.
 * Times worked by hand are in the inputs' comments.
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/gpubudget.h"
#include "test_fixture.h"
#include "test_util.h"

static const char *source_root(void)
{
    const char *d = getenv("GPB_SOURCE_ROOT");
    return d ? d : ".";
}

/* Every problem of a list, one per line, with its severity. */
static void describe(const gpb_diagnostics *d, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < gpb_diagnostics_count(d) && used + 1 < n; i++) {
        char line[1024];
        gpb_error_format(gpb_diagnostics_at(d, i), line, sizeof line);
        int w = snprintf(buf + used, n - used, "\n  %s: %s",
                         gpb_diagnostics_severity(d, i) ? "warning" : "error",
                         line);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* The text of warning i of s ("" when there is none). */
static const char *warning_text(const gpb_scenario *s, size_t i)
{
    const gpb_error *e = gpb_diagnostics_at(gpb_scenario_warnings(s), i);
    return e ? e->message : "";
}

static size_t n_warnings(const gpb_scenario *s)
{
    return gpb_diagnostics_count(gpb_scenario_warnings(s));
}

/* ------------------------------------------------------------------------ */
/* The API                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(null_and_out_of_range)
{
    ck_assert_ptr_null(gpb_scenario_warnings(NULL));
    ck_assert_int_eq(gpb_diagnostics_severity(NULL, 0), GPB_SEVERITY_ERROR);
    ck_assert_uint_eq(
        gpb_diagnostics_count_severity(NULL, GPB_SEVERITY_WARNING), 0);
    /* A scenario without warnings has no list. */
    gpb_scenario *s = NULL;
    ck_assert_int_eq(gpb_scenario_load_default(&s, NULL), GPB_OK);
    ck_assert_ptr_null(gpb_scenario_warnings(s));
    gpb_scenario_free(s);
    /* Past the end of a list: NULL and ERROR, as documented. */
    s = test_load_yaml("gpubudget: 1\nname: x\nhorizon_months: 12\n"
                "company: {cash: $1M, funding: [{month: 12, amount: $1M}]}\n");
    const gpb_diagnostics *w = gpb_scenario_warnings(s);
    ck_assert_uint_eq(gpb_diagnostics_count(w), 1);
    ck_assert_int_eq(gpb_diagnostics_severity(w, 0), GPB_SEVERITY_WARNING);
    ck_assert_int_eq(gpb_diagnostics_at(w, 0)->status, GPB_ERANGE);
    ck_assert_ptr_null(gpb_diagnostics_at(w, 1));
    ck_assert_int_eq(gpb_diagnostics_severity(w, 1), GPB_SEVERITY_ERROR);
    ck_assert_uint_eq(gpb_diagnostics_count_severity(w, GPB_SEVERITY_WARNING),
                      1);
    ck_assert_uint_eq(gpb_diagnostics_count_severity(w, GPB_SEVERITY_ERROR),
                      0);
    gpb_scenario_free(s);
}
END_TEST

/* A failed load lists its errors, and the warnings found reading values;
   the plan is checked only once the scenario loads. */
START_TEST(failed_load_keeps_value_warnings_but_no_plan_check)
{
    const char *yaml =
        "gpubudget: 1\nname: x\nhorizon_months: 12\n"
        "company: {cash: $1M, funding: [{month: 30, amount: $1M}]}\n"
        "team: [{role: r, count: 1, salary_per_year: $100k, on_cost: 2}]\n"
        "training: [{name: a, params: 7B, tokens: 1T, gpu: H100, "
        "gpus: 8, mfu: 40}]\n";
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    char all[4096];
    gpb_status st =
        gpb_scenario_load_string(yaml, strlen(yaml), "t.yaml", &s, &d);
    describe(d, all, sizeof all);
    ck_assert_int_eq(st, GPB_ESCHEMA);
    ck_assert_ptr_null(s);
    ck_assert_msg(gpb_diagnostics_count(d) == 2, "%s", all);
    /* File order: the on_cost warning (line 5), then the mfu error. */
    ck_assert_int_eq(gpb_diagnostics_severity(d, 0), GPB_SEVERITY_WARNING);
    ck_assert_str_eq(gpb_diagnostics_at(d, 0)->path, "team[0].on_cost");
    ck_assert_int_eq(gpb_diagnostics_at(d, 0)->line, 5);
    ck_assert_int_eq(gpb_diagnostics_severity(d, 1), GPB_SEVERITY_ERROR);
    ck_assert_str_eq(gpb_diagnostics_at(d, 1)->path, "training[0].mfu");
    ck_assert_uint_eq(gpb_diagnostics_count_severity(d, GPB_SEVERITY_ERROR),
                      1);
    ck_assert_msg(!strstr(all, "round"), "plan checked on a failed load:%s",
                  all);
    gpb_diagnostics_free(d);
}
END_TEST

/* Past GPB's cap of 100 reported problems the last one counts the rest,
   and a scenario with only warnings still loads. */
START_TEST(many_warnings_are_capped)
{
    size_t cap = 64 + 150 * 96;
    char *yaml = malloc(cap);
    ck_assert_ptr_nonnull(yaml);
    size_t n = (size_t)snprintf(yaml, cap, "gpubudget: 1\nname: x\n"
                                           "company: {cash: $1M}\nteam:\n");
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(yaml + n, cap - n,
                              "  - {role: r%d, count: 1, salary_per_year: "
                              "$1k, start_month: 5, end_month: 2}\n",
                              i);
    gpb_scenario *s = test_load_yaml(yaml);
    const gpb_diagnostics *w = gpb_scenario_warnings(s);
    ck_assert_uint_eq(gpb_diagnostics_count(w), 100);
    ck_assert_uint_eq(gpb_diagnostics_count_severity(w, GPB_SEVERITY_WARNING),
                      100);
    ck_assert_int_eq(gpb_diagnostics_at(w, 0)->line, 5);
    ck_assert_str_eq(gpb_diagnostics_at(w, 98)->path, "team[98].end_month");
    ck_assert_msg(strstr(gpb_diagnostics_at(w, 99)->message,
                         "51 more warnings not shown") != NULL,
                  "%s", gpb_diagnostics_at(w, 99)->message);
    gpb_scenario_free(s);
    free(yaml);
}
END_TEST

/* A value set by an override has no place in the file: its warning has
   line and column 0 and the override's path. */
START_TEST(override_warnings_have_no_position)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    const char *text = gpb_scenario_default_text();
    gpb_status st = gpb_scenario_load_string_with_overrides(
        text, strlen(text), "q.yaml", "training[0].start_month=13", &s, &d);
    ck_assert_int_eq(st, GPB_OK);
    ck_assert_uint_eq(n_warnings(s), 1);
    const gpb_error *e = gpb_diagnostics_at(gpb_scenario_warnings(s), 0);
    ck_assert_int_eq(e->line, 0);
    ck_assert_int_eq(e->column, 0);
    ck_assert_str_eq(e->path, "training[0].start_month");
    ck_assert_str_eq(e->source, "q.yaml");
    ck_assert_ptr_nonnull(strstr(e->message, "starts in month 13, after "
                                             "the 12-month horizon"));
    gpb_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The plan checks: edges                                                    */
/* ------------------------------------------------------------------------ */

/*
 * A run on one GPU of 1 TFLOP/s at MFU 1 takes flops / 1e12 seconds; a
 * 12-month horizon is 12 · 730.5 · 3600 = 31,557,600 s, which is
 * 3.15576e19 FLOPs = 6 · 1e9 params · 5.2596e9 tokens. 5.2e9 tokens end in
 * month 11.86 (no warning); 5.3e9 in month 12.09 (a warning).
 */
static gpb_scenario *one_gpu_run(const char *tokens, const char *extra)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "gpubudget: 1\nname: x\nhorizon_months: 12\n"
             "company: {cash: $1M}\n"
             "training:\n"
             "  - {name: a, params: 1e9, tokens: %s, gpu: H100, gpus: 1,\n"
             "     peak_tflops: 1, mfu: 1%s}\n",
             tokens, extra);
    return test_load_yaml(yaml);
}

START_TEST(run_that_just_finishes_has_no_warning)
{
    gpb_scenario *s = one_gpu_run("5.2e9", "");
    ck_assert_msg(n_warnings(s) == 0, "%s", warning_text(s, 0));
    gpb_scenario_free(s);
    s = one_gpu_run("5.3e9", "");
    ck_assert_uint_eq(n_warnings(s), 1);
    ck_assert_msg(strstr(warning_text(s, 0), "needs 12.1 months") != NULL,
                  "%s", warning_text(s, 0));
    ck_assert_str_eq(gpb_diagnostics_at(gpb_scenario_warnings(s), 0)->path,
                     "training[0]");
    gpb_scenario_free(s);
    /* Exploration multiplies the work: 2.7e9 tokens × 2 is 5.4e9. */
    s = one_gpu_run("2.7e9", ", exploration: 2");
    ck_assert_uint_eq(n_warnings(s), 1);
    gpb_scenario_free(s);
    /* Spot hours lost to preemption do no work: 5.2e9 tokens at 10% loss
       need 11.86 / 0.9 = 13.2 months. */
    s = one_gpu_run("5.2e9", ", acquire: spot, spot: {preemption_loss: 0.1}");
    ck_assert_uint_eq(n_warnings(s), 1);
    ck_assert_msg(strstr(warning_text(s, 0), "needs 13.2 months") != NULL,
                  "%s", warning_text(s, 0));
    gpb_scenario_free(s);
}
END_TEST

/* The medians of uncertain inputs: an MFU uniform on [0.5, 1] has median
   0.75, at which 5.2e9 tokens need 11.86 / 0.75 = 15.8 months. */
START_TEST(uncertain_inputs_are_read_at_their_medians)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "gpubudget: 1\nname: x\nhorizon_months: 12\n"
             "company: {cash: $1M}\n"
             "training:\n"
             "  - {name: a, params: 1e9, tokens: 5.2e9, gpu: H100, gpus: 1,\n"
             "     peak_tflops: 1, mfu: {uniform: [0.5, 1]}}\n");
    gpb_scenario *s = test_load_yaml(yaml);
    ck_assert_uint_eq(n_warnings(s), 1);
    ck_assert_msg(strstr(warning_text(s, 0), "needs 15.8 months") != NULL,
                  "%s", warning_text(s, 0));
    ck_assert_msg(strstr(warning_text(s, 0), "MFU 0.75") != NULL, "%s",
                  warning_text(s, 0));
    gpb_scenario_free(s);
}
END_TEST

/* Months are rounded to the nearest, as the engine rounds them: 11.4 is
   month 11, inside a 12-month horizon; 11.6 is month 12, outside. */
START_TEST(months_round_as_the_engine_rounds)
{
    static const struct {
        const char *month;
        size_t warnings;
    } cases[] = {{"11", 0}, {"11.4", 0}, {"11.6", 1}, {"12", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "gpubudget: 1\nname: x\nhorizon_months: 12\n"
                 "company: {cash: $1M}\n"
                 "other_costs: [{name: o, per_month: $1, start_month: %s}]\n",
                 cases[i].month);
        gpb_scenario *s = test_load_yaml(yaml);
        ck_assert_msg(n_warnings(s) == cases[i].warnings,
                      "start_month %s: %zu warnings", cases[i].month,
                      n_warnings(s));
        gpb_scenario_free(s);
    }
}
END_TEST

/* Percentages only where they make sense: 1 itself, a fraction, a
   negative rate and a multiplier key are quiet. */
START_TEST(percent_warnings_only_above_one)
{
    gpb_scenario *s = test_load_yaml(
        "gpubudget: 1\nname: x\n"
        "company: {cash: $1M, discount_rate_per_year: -0.5}\n"
        "team: [{role: a, count: 1, salary_per_year: $1k, on_cost: 1},\n"
        "       {role: b, count: 1, salary_per_year: $1k, on_cost: 0.35},\n"
        "       {role: c, count: 1, salary_per_year: $1k, on_cost: 35%}]\n"
        "training: [{name: a, params: 1e9, tokens: 1e9, gpu: H100, gpus: 1,\n"
        "            exploration: 3}]\n");
    ck_assert_msg(n_warnings(s) == 0, "%s", warning_text(s, 0));
    gpb_scenario_free(s);
    s = test_load_yaml("gpubudget: 1\nname: x\ncompany: {cash: $1M}\n"
                "team: [{role: a, count: 1, salary_per_year: $1k, "
                "on_cost: 5}]\n");
    ck_assert_uint_eq(n_warnings(s), 1);
    ck_assert_str_eq(warning_text(s, 0),
                     "'5' means 500%: on_cost is the share added to salary "
                     "(0.3 adds 30%), not a multiplier; did you mean 5% = "
                     "0.05?");
    gpb_scenario_free(s);
}
END_TEST

/* A flagged run does not finish on most paths in the engine, and one
   that is not flagged (constant inputs, no failures) finishes on all. */
START_TEST(engine_agrees_with_the_check)
{
    for (int k = 0; k < 2; k++) {
        gpb_scenario *s = one_gpu_run(k ? "5.3e9" : "5.2e9", "");
        ck_assert_uint_eq(n_warnings(s), (size_t)k);
        gpb_result *r = test_run(s, 64, 0, 1);
        double pf;
        ck_assert_int_eq(
            gpb_result_mean(r, "training.a.finished", &pf, NULL, NULL),
            GPB_OK);
        if (k)
            ck_assert_double_lt(pf, GPB_RUN_MOST_PATHS_FRAC);
        else
            ck_assert_double_eq(pf, 1.0);
        gpb_result_free(r);
        gpb_scenario_free(s);
    }
}
END_TEST

/* Every scenario shipped loads without warnings, except those whose
   warning is right and explained in the file. */
START_TEST(shipped_scenarios_have_no_unexplained_warnings)
{
    static const struct {
        const char *file, *path;
    } known[] = {
        /* An entry is a file and the key path of its warning.
           data-cleaning.yaml's 13B run reads 3.2T tokens, more than the
           1.7T its data keep at the medians (17T × 10%): right, and said
           in the file. */
        {"data-cleaning.yaml", "training[0].tokens"},
    };
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/scenarios", source_root());
    DIR *dh = opendir(dir);
    ck_assert_msg(dh != NULL, "no %s", dir);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        gpb_scenario *s = NULL;
        ck_assert_int_eq(gpb_scenario_load_file(path, &s, NULL), GPB_OK);
        files++;
        const gpb_diagnostics *w = gpb_scenario_warnings(s);
        for (size_t i = 0; i < gpb_diagnostics_count(w); i++) {
            const gpb_error *e = gpb_diagnostics_at(w, i);
            int ok = 0;
            for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
                ok |= !strcmp(de->d_name, known[k].file) &&
                      !strcmp(e->path, known[k].path);
            ck_assert_msg(ok, "%s:%d:%d: %s: %s", de->d_name, e->line,
                          e->column, e->path, e->message);
        }
        gpb_scenario_free(s);
    }
    closedir(dh);
    ck_assert_int_ge(files, 10);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* YAML hints                                                                */
/* ------------------------------------------------------------------------ */

/* The one problem of a load that must fail. */
static gpb_error fail_one(const char *yaml)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    gpb_status st =
        gpb_scenario_load_string(yaml, strlen(yaml), "t.yaml", &s, &d);
    ck_assert_int_ne(st, GPB_OK);
    ck_assert_uint_ge(gpb_diagnostics_count(d), 1);
    gpb_error e = *gpb_diagnostics_at(d, 0);
    gpb_diagnostics_free(d);
    return e;
}

START_TEST(brackets_in_flow_items_get_the_quote_hint)
{
    /* The second item, in a flow mapping, after a multi-byte character:
       columns count characters. */
    gpb_error e = fail_one(
        "gpubudget: 1\nname: \"é\"\ncompany: {cash: $1M}\n"
        "correlations: [{between: [\"é\", team[0].salary_per_year ], "
        "rho: 0.5}]\n");
    ck_assert_int_eq(e.status, GPB_ESYNTAX);
    ck_assert_int_eq(e.line, 4);
    ck_assert_int_eq(e.column, 32);
    ck_assert_str_eq(e.path, "correlations[0].between[1]");
    ck_assert_str_eq(e.message,
                     "YAML syntax error: team[0].salary_per_year has "
                     "brackets, which YAML reads as a list inside the list "
                     "around it; quote it: \"team[0].salary_per_year\"");
    /* Brackets after a space are a nested list, not a key path: libyaml's
       own words stay. */
    e = fail_one("gpubudget: 1\nname: x\nk: [a, [b] c]\n");
    ck_assert_ptr_null(strstr(e.message, "quote it"));
    /* The same text quoted loads far enough to be a schema problem. */
    e = fail_one("gpubudget: 1\nname: x\ncompany: {cash: $1M}\n"
                 "correlations: [{between: [\"training[0].mfu\", "
                 "\"training[0].gpus\"], rho: 0.5}]\n");
    ck_assert_int_eq(e.status, GPB_ESCHEMA);
}
END_TEST

START_TEST(tabs_get_the_spaces_hint)
{
    /* A tab after spaces in the indentation: the tab's own column. */
    gpb_error e = fail_one("gpubudget: 1\nname: x\ncompany:\n  \t cash: 1\n");
    ck_assert_int_eq(e.status, GPB_ESYNTAX);
    ck_assert_int_eq(e.line, 4);
    ck_assert_int_eq(e.column, 3);
    ck_assert_str_eq(e.path, "company");
    ck_assert_str_eq(e.message, "YAML syntax error: tabs are not allowed in "
                                "YAML; indent with spaces");
    /* A tab between a key and its value is allowed YAML. */
    gpb_scenario *s = test_load_yaml("gpubudget: 1\nname:\tx\n");
    gpb_scenario_free(s);
    /* Other syntax errors keep libyaml's words, now with the key path. */
    e = fail_one("gpubudget: 1\nname: x\ncompany:\n  cash: $1M\n"
                 "   funding: []\n");
    ck_assert_ptr_null(strstr(e.message, "tab"));
    ck_assert_str_eq(e.path, "company.cash");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The warning fixtures                                                      */
/* ------------------------------------------------------------------------ */

static char *cases[FIXTURE_MAX_CASES];
static int n_cases;

START_TEST(warning_fixture)
{
    const char *name = cases[_i];
    char path[1024], all[8192];
    static fixture_expect x;
    fixture_read("warnings", name, path, &x);
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    gpb_status st = gpb_scenario_load_file(path, &s, &d);
    describe(d, all, sizeof all);
    ck_assert_msg(st == GPB_OK, "%s: %s:%s", name, gpb_status_str(st), all);
    const gpb_diagnostics *w = gpb_scenario_warnings(s);
    describe(w, all, sizeof all);
    ck_assert_msg(x.count >= 0, "%s: expected.txt has no count", name);
    ck_assert_msg((int)gpb_diagnostics_count(w) == x.count,
                  "%s: %zu warnings, expected %d:%s", name,
                  gpb_diagnostics_count(w), x.count, all);
    ck_assert_msg(x.n_blocks == x.count, "%s: %d blocks for %d warnings",
                  name, x.n_blocks, x.count);
    for (int i = 0; i < x.n_blocks; i++) {
        const fixture_block *b = &x.blocks[i];
        ck_assert_int_eq(gpb_diagnostics_severity(w, (size_t)i),
                         GPB_SEVERITY_WARNING);
        ck_assert_int_eq(gpb_diagnostics_at(w, (size_t)i)->status,
                         GPB_ERANGE);
        ck_assert_msg(b->has_line && b->has_column && b->has_path &&
                          b->message[0],
                      "%s[%d]: line, column, path and message are required",
                      name, i);
        fixture_check(name, i, b, gpb_diagnostics_at(w, (size_t)i), path,
                      all);
    }
    gpb_scenario_free(s);
}
END_TEST

START_TEST(enough_fixtures)
{
    /* A missing data directory must fail, not pass vacuously. */
    ck_assert_int_ge(n_cases, 8);
}
END_TEST

static Suite *plan_suite(void)
{
    Suite *s = suite_create("scenario_plan");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, null_and_out_of_range);
    tcase_add_test(tc, failed_load_keeps_value_warnings_but_no_plan_check);
    tcase_add_test(tc, many_warnings_are_capped);
    tcase_add_test(tc, override_warnings_have_no_position);
    suite_add_tcase(s, tc);

    tc = tcase_create("plan");
    tcase_add_test(tc, run_that_just_finishes_has_no_warning);
    tcase_add_test(tc, uncertain_inputs_are_read_at_their_medians);
    tcase_add_test(tc, months_round_as_the_engine_rounds);
    tcase_add_test(tc, percent_warnings_only_above_one);
    tcase_add_test(tc, engine_agrees_with_the_check);
    tcase_add_test(tc, shipped_scenarios_have_no_unexplained_warnings);
    suite_add_tcase(s, tc);

    tc = tcase_create("hints");
    tcase_add_test(tc, brackets_in_flow_items_get_the_quote_hint);
    tcase_add_test(tc, tabs_get_the_spaces_hint);
    suite_add_tcase(s, tc);

    tc = tcase_create("fixtures");
    tcase_add_test(tc, enough_fixtures);
    tcase_add_loop_test(tc, warning_fixture, 0, n_cases);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    n_cases = fixture_find("warnings", cases);
    SRunner *sr = srunner_create(plan_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (int i = 0; i < n_cases; i++)
        free(cases[i]);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
