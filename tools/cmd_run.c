/*
 * gpubudget run [SCENARIO] and gpubudget raise SCENARIO: the Monte Carlo
 * engine from the command line.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cli_load_scenario(const char *path, gpb_scenario **out)
{
    gpb_diagnostics *d = NULL;
    gpb_status st = path ? gpb_scenario_load_file(path, out, &d)
                         : gpb_scenario_load_default(out, &d);
    if (st == GPB_OK)
        return 0;
    size_t n = gpb_diagnostics_count(d);
    for (size_t i = 0; i < n; i++)
        cli_error_gpb(NULL, gpb_diagnostics_at(d, i));
    if (n == 0)
        cli_error("%s: %s", path ? path : "<default>", gpb_status_str(st));
    else if (n > 1)
        cli_error("%zu problems in %s", n, path ? path : "<default>");
    gpb_diagnostics_free(d);
    return -1;
}

/* A progress bar on stderr, only when stderr is a terminal. */
static int progress_bar(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    int width = 40;
    int fill = total ? (int)((double)done / (double)total * width) : width;
    fprintf(stderr, "\r[%.*s%*s] %3.0f%% ", fill,
            "########################################", width - fill, "",
            total ? 100.0 * (double)done / (double)total : 100.0);
    if (done >= total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    return 0;
}

int cli_format_money(double v, gpb_currency cur, char *buf, size_t n)
{
    gpb_format_style style = cur == GPB_CURRENCY_CNY ? GPB_STYLE_ZH
                                                     : GPB_STYLE_EN;
    return gpb_units_format_money(v, cur, style, 3, buf, n);
}

/* Formats a metric's value according to its unit. */
static void fmt_value(const char *unit, gpb_currency cur, double v, char *buf,
                      size_t n)
{
    if (!strcmp(unit, gpb_currency_code(cur)))
        cli_format_money(v, cur, buf, n);
    else if (!strcmp(unit, "probability"))
        snprintf(buf, n, "%.1f%%", 100 * v);
    else if (!strcmp(unit, "months") || !strcmp(unit, "count"))
        snprintf(buf, n, "%.1f", v);
    else
        gpb_units_format_number(v, GPB_STYLE_EN, 3, buf, n);
}

static void row(const gpb_result *r, const char *label, const char *metric)
{
    size_t i;
    if (gpb_result_metric_find(r, metric, &i, NULL))
        return;
    const char *unit = gpb_result_metric_unit(r, i);
    gpb_currency cur = gpb_result_currency(r);
    double q[3], mean, se;
    static const double lv[3] = {0.05, 0.50, 0.95};
    for (int k = 0; k < 3; k++)
        gpb_result_quantile(r, metric, lv[k], &q[k], NULL);
    gpb_result_mean(r, metric, &mean, &se, NULL);
    char b[4][48];
    for (int k = 0; k < 3; k++)
        fmt_value(unit, cur, q[k], b[k], sizeof b[k]);
    fmt_value(unit, cur, mean, b[3], sizeof b[3]);
    printf("  %-26s", label);
    for (int k = 0; k < 4; k++) {
        fputc(' ', stdout);
        cli_print_right(b[k], 11);
    }
    fputc('\n', stdout);
}

static void print_summary(const gpb_scenario *s, const gpb_result *r,
                          const char *path, int threads, double secs)
{
    gpb_currency cur = gpb_result_currency(r);
    int H = gpb_result_horizon_months(r);
    printf("%s\n", gpb_scenario_name(s));
    printf("  %s; %zu paths, seed %" PRIu64 ", %d thread%s, %.2f s; %s\n\n",
           path ? path : "built-in default", gpb_result_paths(r),
           gpb_result_seed(r), threads, threads == 1 ? "" : "s", secs,
           gpb_currency_code(cur));
    printf("  %-26s %11s %11s %11s %11s\n", "", "P5", "P50", "P95", "mean");
    row(r, "spend, total", "spend.total");
    row(r, "  team", "spend.team");
    row(r, "  compute (rent)", "spend.compute_rent");
    row(r, "  serving", "spend.serving");
    row(r, "  other", "spend.other");
    row(r, "revenue", "revenue.total");
    row(r, "funding", "funding.total");
    row(r, "lowest cash", "cash.min");
    row(r, "runway, months", "runway_months");
    for (size_t k = 0; k < gpb_scenario_training_count(s); k++) {
        const char *name = gpb_scenario_training_name(s, k);
        char metric[200], label[64];
        snprintf(label, sizeof label, "%.14s: cost", name);
        snprintf(metric, sizeof metric, "training.%s.cost", name);
        row(r, label, metric);
        snprintf(label, sizeof label, "%.14s: card-months", name);
        snprintf(metric, sizeof metric, "training.%s.card_months", name);
        row(r, label, metric);
        snprintf(label, sizeof label, "%.14s: finish month", name);
        snprintf(metric, sizeof metric, "training.%s.finish_month", name);
        row(r, label, metric);
        snprintf(metric, sizeof metric, "training.%s.finished", name);
        double pf;
        if (!gpb_result_mean(r, metric, &pf, NULL, NULL))
            printf("  %-26s %11.1f%%\n", "  finished in horizon", 100 * pf);
    }
    printf("\n  P(out of cash within %d months): %.1f%%\n", H,
           100 * gpb_result_prob_out_of_cash_by(r, H - 1));
    printf("  raise needed now:");
    static const double conf[3] = {0.80, 0.90, 0.95};
    for (int k = 0; k < 3; k++) {
        double v;
        char b[48];
        gpb_result_raise_needed(r, conf[k], &v, NULL);
        cli_format_money(v, cur, b, sizeof b);
        printf("  %.0f%%: %s", 100 * conf[k], b);
    }
    double mean, se;
    char b1[48], b2[48];
    gpb_result_mean(r, "spend.total", &mean, &se, NULL);
    cli_format_money(se, cur, b1, sizeof b1);
    cli_format_money(mean, cur, b2, sizeof b2);
    printf("\n  standard error of mean total spend: %s (%.2f%% of %s)\n", b1,
           mean != 0 ? 100 * se / fabs(mean) : 0.0, b2);
}

static int write_file(const char *path, const char *text)
{
    /* Write to a temporary name and rename, so an existing file is never
       left half-written. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        cli_error("cannot write '%s'", path);
        return -1;
    }
    int ok = fputs(text, f) >= 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        cli_error("cannot write '%s'", path);
        return -1;
    }
    return 0;
}

typedef struct run_args {
    const char *scenario;
    size_t paths;
    uint64_t seed;
    int threads;
    int json, quasi, quiet;
    const char *csv;
    int months;
    double confidence;
} run_args;

static int parse_common(int argc, char **argv, run_args *a, int is_raise)
{
    enum { O_PATHS = 1000, O_SEED, O_THREADS, O_JSON, O_CSV, O_QMC, O_MONTHS,
           O_CONF, O_QUIET, O_HELP };
    static const struct option opts[] = {
        {"paths", required_argument, 0, O_PATHS},
        {"seed", required_argument, 0, O_SEED},
        {"threads", required_argument, 0, O_THREADS},
        {"json", no_argument, 0, O_JSON},
        {"csv", required_argument, 0, O_CSV},
        {"qmc", no_argument, 0, O_QMC},
        {"months", required_argument, 0, O_MONTHS},
        {"confidence", required_argument, 0, O_CONF},
        {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, O_HELP},
        {0, 0, 0, 0}};
    gpb_sim_options d;
    gpb_sim_options_default(&d);
    memset(a, 0, sizeof *a);
    a->paths = d.paths;
    a->seed = d.seed;
    a->confidence = 0.9;
    optind = 1;
    opterr = 0;
    int c;
    double v;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_PATHS:
            if (cli_parse_number("paths", optarg, &v))
                return CLI_BAD_INPUT;
            if (!(v >= 1 && v <= GPB_SIM_MAX_PATHS && v == floor(v))) {
                cli_error("--paths must be a whole number from 1 to %u",
                          GPB_SIM_MAX_PATHS);
                return CLI_BAD_INPUT;
            }
            a->paths = (size_t)v;
            break;
        case O_SEED:
            if (cli_parse_number("seed", optarg, &v))
                return CLI_BAD_INPUT;
            if (!(v >= 0 && v < 1.8e19 && v == floor(v))) {
                cli_error("--seed must be a whole number >= 0");
                return CLI_BAD_INPUT;
            }
            a->seed = (uint64_t)v;
            break;
        case O_THREADS:
            if (cli_parse_number("threads", optarg, &v))
                return CLI_BAD_INPUT;
            if (!(v >= 0 && v <= 1024 && v == floor(v))) {
                cli_error("--threads must be a whole number from 0 (all "
                          "cores) to 1024");
                return CLI_BAD_INPUT;
            }
            a->threads = (int)v;
            break;
        case O_JSON:
            a->json = 1;
            break;
        case O_CSV:
            a->csv = optarg;
            break;
        case O_QMC:
            a->quasi = 1;
            break;
        case O_QUIET:
            a->quiet = 1;
            break;
        case O_MONTHS:
            if (!is_raise || cli_parse_number("months", optarg, &v))
                goto bad;
            if (!(v >= 1 && v <= 600 && v == floor(v))) {
                cli_error("--months must be a whole number from 1 to 600");
                return CLI_BAD_INPUT;
            }
            a->months = (int)v;
            break;
        case O_CONF:
            if (!is_raise || cli_parse_number("confidence", optarg, &v))
                goto bad;
            if (!(v > 0 && v < 1)) {
                cli_error("--confidence must be between 0 and 1 "
                          "(e.g. 0.9 or 90%%)");
                return CLI_BAD_INPUT;
            }
            a->confidence = v;
            break;
        case O_HELP:
            return -1;
        default:
        bad:
            cli_error("%s: unknown or incomplete option '%s'", argv[0],
                      argv[optind - 1]);
            return CLI_BAD_INPUT;
        }
    }
    if (optind < argc)
        a->scenario = argv[optind++];
    if (optind < argc) {
        cli_error("%s: unexpected argument '%s'", argv[0], argv[optind]);
        return CLI_BAD_INPUT;
    }
    return 0;
}

static int simulate(const run_args *a, gpb_scenario **s, gpb_result **r,
                    int *threads, double *secs)
{
    if (cli_load_scenario(a->scenario, s))
        return CLI_BAD_INPUT;
    gpb_sim_options opt;
    gpb_sim_options_default(&opt);
    opt.paths = a->paths;
    opt.seed = a->seed;
    opt.threads = a->threads;
    opt.quasi_random = a->quasi;
    if (!a->quiet && isatty(2) && a->paths >= 100000)
        opt.progress = progress_bar;
    *threads = a->threads ? a->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    double t0 = now_s();
    gpb_error err;
    gpb_status st = gpb_sim_run(*s, &opt, r, &err);
    *secs = now_s() - t0;
    if (st) {
        cli_error_gpb("simulation failed", &err);
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    return CLI_OK;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_common(argc, argv, &a, 0);
    if (rc == -1) {
        printf("usage: gpubudget run [SCENARIO] [--paths N] [--seed S] "
               "[--threads T]\n"
               "                    [--qmc] [--json] [--csv FILE] "
               "[--quiet]\n"
               "Simulates SCENARIO (the built-in 千卡/月 case when none is "
               "given) and\nreports spend, runway and the raise needed as "
               "distributions.\n");
        return CLI_OK;
    }
    if (rc)
        return rc;
    gpb_scenario *s = NULL;
    gpb_result *r = NULL;
    int threads;
    double secs;
    rc = simulate(&a, &s, &r, &threads, &secs);
    if (rc)
        goto done;
    gpb_error err;
    if (a.csv) {
        char *text = NULL;
        if (gpb_report_csv(r, &text, &err)) {
            cli_error_gpb("csv", &err);
            rc = CLI_INTERNAL;
            goto done;
        }
        if (write_file(a.csv, text))
            rc = CLI_BAD_INPUT;
        gpb_free(text);
        if (rc)
            goto done;
    }
    if (a.json) {
        char *text = NULL;
        if (gpb_report_json(s, r, &text, &err)) {
            cli_error_gpb("json", &err);
            rc = CLI_INTERNAL;
            goto done;
        }
        fputs(text, stdout);
        fputc('\n', stdout);
        gpb_free(text);
    } else if (!a.quiet) {
        print_summary(s, r, a.scenario, threads, secs);
    }
done:
    gpb_result_free(r);
    gpb_scenario_free(s);
    return rc;
}

int cmd_raise(int argc, char **argv)
{
    run_args a;
    int rc = parse_common(argc, argv, &a, 1);
    if (rc == -1) {
        printf("usage: gpubudget raise [SCENARIO] --months M "
               "[--confidence 0.9]\n"
               "                      [--paths N] [--seed S] [--threads T] "
               "[--json]\n"
               "The amount to raise now so that cash lasts M months with the "
               "given confidence.\n");
        return CLI_OK;
    }
    if (rc)
        return rc;
    gpb_scenario *s = NULL;
    gpb_result *r = NULL;
    int threads;
    double secs;
    rc = simulate(&a, &s, &r, &threads, &secs);
    if (rc)
        goto done;
    int H = gpb_result_horizon_months(r);
    int months = a.months ? a.months : H;
    if (months > H) {
        cli_error("--months %d is beyond the scenario's horizon of %d months",
                  months, H);
        rc = CLI_BAD_INPUT;
        goto done;
    }
    double amount;
    gpb_error err;
    if (gpb_result_raise_for_runway(r, months, a.confidence, &amount, &err)) {
        cli_error_gpb("raise", &err);
        rc = CLI_INTERNAL;
        goto done;
    }
    gpb_currency cur = gpb_result_currency(r);
    double p_out = gpb_result_prob_out_of_cash_by(r, months - 1);
    if (a.json) {
        json_t *o = json_object();
        json_object_set_new(o, "scenario", json_string(gpb_scenario_name(s)));
        json_object_set_new(o, "months", json_integer(months));
        json_object_set_new(o, "confidence", json_real(a.confidence));
        json_object_set_new(o, "raise", json_real(amount));
        json_object_set_new(o, "currency",
                            json_string(gpb_currency_code(cur)));
        json_object_set_new(o, "p_out_of_cash_without_raise",
                            json_real(p_out));
        json_object_set_new(o, "paths", json_integer((json_int_t)a.paths));
        json_object_set_new(o, "seed", json_integer((json_int_t)a.seed));
        rc = cli_json_print(o);
    } else {
        char b[48];
        cli_format_money(amount, cur, b, sizeof b);
        printf("%s\n  raise now so that cash lasts %d months with %.0f%% "
               "confidence: %s\n  (without it, P(out of cash within %d "
               "months) = %.1f%%; %zu paths)\n",
               gpb_scenario_name(s), months, 100 * a.confidence, b, months,
               100 * p_out, a.paths);
    }
done:
    gpb_result_free(r);
    gpb_scenario_free(s);
    return rc;
}
