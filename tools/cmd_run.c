/*
 * gpubudget run [SCENARIO] and gpubudget raise SCENARIO: the Monte Carlo
 * engine from the command line, with its reports (text, JSON, CSV, the
 * xlsx workbook, the HTML page and the raw samples).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_mpi.h"
#include "cli_seek.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cli_load_scenario_set(const char *path, const char *sets,
                          gpb_scenario **out)
{
    gpb_diagnostics *d = NULL;
    gpb_status st;
    if (path)
        st = gpb_scenario_load_file_with_overrides(path, sets, out, &d);
    else {
        const char *text = gpb_scenario_default_text();
        st = gpb_scenario_load_string_with_overrides(
            text, strlen(text), "<default>", sets, out, &d);
    }
    if (st == GPB_OK) {
        cli_print_diagnostics(gpb_scenario_warnings(*out));
        return 0;
    }
    size_t n = gpb_diagnostics_count_severity(d, GPB_SEVERITY_ERROR);
    cli_print_diagnostics(d);
    if (n == 0)
        cli_error("%s: %s", path ? path : "<default>", gpb_status_str(st));
    else if (n > 1)
        cli_error("%zu problems in %s%s", n, path ? path : "<default>",
                  sets ? " and its --set values" : "");
    gpb_diagnostics_free(d);
    return -1;
}

int cli_load_scenario(const char *path, gpb_scenario **out)
{
    return cli_load_scenario_set(path, NULL, out);
}

int cli_sets_add(char **sets, const char *arg)
{
    if (!strchr(arg, '=')) {
        cli_error("--set '%s': expected KEY.PATH=VALUE, e.g. "
                  "--set 'training[0].gpus=512'", arg);
        return CLI_BAD_INPUT;
    }
    if (strchr(arg, ';')) {
        cli_error("--set '%s': one KEY=VALUE per --set (no ';')", arg);
        return CLI_BAD_INPUT;
    }
    size_t old = *sets ? strlen(*sets) : 0, add = strlen(arg);
    char *n = realloc(*sets, old + add + 3);
    if (!n) {
        cli_error("out of memory");
        return CLI_INTERNAL;
    }
    if (old)
        memcpy(n + old, "; ", 2), old += 2;
    memcpy(n + old, arg, add + 1);
    *sets = n;
    return CLI_OK;
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

int cli_format_censored(double x, double cens, char *buf, size_t n)
{
    if (!(x >= cens)) /* NaN: not censored */
        return 0;
    snprintf(buf, n, "≥ %g", cens);
    return 1;
}

void cli_format_share(double p, char *buf, size_t n)
{
    /* 0.99975 is not 100.0%, nor 0.0002 0.0%: the rounding must not say
       "every path" or "none" when that is not so. */
    if (p > 0 && p < 0.0005)
        snprintf(buf, n, "<0.1%%");
    else if (p < 1 && p >= 0.9995)
        snprintf(buf, n, ">99.9%%");
    else
        snprintf(buf, n, "%.1f%%", 100 * p);
}

void cli_format_value(double v, const char *unit, int money,
                      gpb_currency cur, char *buf, size_t n)
{
    if (money)
        cli_format_money(v, cur, buf, n);
    else if (unit && !strcmp(unit, "probability"))
        cli_format_share(v, buf, n);
    else if (unit && (!strcmp(unit, "months") || !strcmp(unit, "count")))
        snprintf(buf, n, "%.1f", v);
    else
        gpb_units_format_number(v, GPB_STYLE_EN, 3, buf, n);
}

/* ---- the text summary -------------------------------------------------- */

/* What the summary shows money in: the report currency and the factor
   from the result's currency. */
typedef struct view {
    const gpb_result *r;
    gpb_currency from, cur;
    double rate;
} view;

static int is_money(const view *v, size_t m)
{
    return !strcmp(gpb_result_metric_unit(v->r, m),
                   gpb_currency_code(v->from));
}

/* Formats a value of metric m (already in report units). */
static void fmt_value(const view *v, size_t m, double x, char *buf, size_t n)
{
    cli_format_value(x, gpb_result_metric_unit(v->r, m), is_money(v, m),
                     v->cur, buf, n);
}

static double factor(const view *v, size_t m)
{
    return is_money(v, m) ? v->rate : 1.0;
}

/* Prints s cut to `width` display columns (an ellipsis marks a cut). */
static void print_fit(const char *s, int width)
{
    if (cli_display_width(s) <= width) {
        fputs(s, stdout);
        return;
    }
    char buf[512];
    size_t n = 0;
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s;
         *p && n + 8 < sizeof buf;) {
        int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2
                              : (*p & 0xf0) == 0xe0   ? 3
                                                      : 4;
        char ch[5] = {0};
        for (int i = 0; i < len && p[i]; i++)
            ch[i] = (char)p[i];
        int cw = cli_display_width(ch);
        if (w + cw > width - 1)
            break;
        memcpy(buf + n, ch, strlen(ch));
        n += strlen(ch);
        w += cw;
        p += strlen(ch);
    }
    memcpy(buf + n, "…", strlen("…") + 1);
    fputs(buf, stdout);
}

/* Prints text word by word, starting at column `col`, wrapping at `width`
   with continuation lines indented by `indent`; ends the line. */
static void print_wrapped(const char *text, int col, int indent, int width)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        int n = (int)(e - p);
        if (n == 0)
            break;
        if (col + 1 + n > width && col > indent) {
            printf("\n%*s", indent, "");
            col = indent;
        } else {
            fputc(' ', stdout);
            col++;
        }
        fwrite(p, 1, (size_t)n, stdout);
        col += n;
        p = e;
    }
    fputc('\n', stdout);
}

/* 1 when metric `name` ends with `tail`. */
static int ends_with(const char *name, const char *tail)
{
    size_t n = strlen(name), k = strlen(tail);
    return n > k && !strcmp(name + n - k, tail);
}

/* A quantile of a metric for the table: "≥ 24.0" where it is censored. A
   run's finish month is the horizon on a path where it did not finish,
   so there it means "at least the horizon" too. */
static void fmt_q(const view *v, size_t i, double x, char *buf, size_t n)
{
    const char *name = gpb_result_metric_name(v->r, i);
    double cens = gpb_result_censored_at(v->r, name);
    int H = gpb_result_horizon_months(v->r);
    if (isnan(cens) && !strncmp(name, "training.", 9) &&
        ends_with(name, ".finish_month"))
        cens = H;
    if (!cli_format_censored(x, cens, buf, n))
        fmt_value(v, i, x * factor(v, i), buf, n);
}

/*
 * The share of paths on which the training run that metric i belongs to
 * finished ("training.<run>.finished"), or NaN for a metric of no run.
 */
static double run_finished(const view *v, size_t i)
{
    const char *name = gpb_result_metric_name(v->r, i);
    const char *dot = strrchr(name, '.');
    char metric[256];
    double pf;
    if (strncmp(name, "training.", 9) || !dot ||
        snprintf(metric, sizeof metric, "%.*s.finished", (int)(dot - name),
                 name) >= (int)sizeof metric ||
        gpb_result_mean(v->r, metric, &pf, NULL, NULL))
        return NAN;
    return pf;
}

/* Rows of a run that does not finish on most paths start with '!' in the
   margin (their numbers are lower bounds; the "finished in horizon" line
   under them says so). */
static const char *margin(const view *v, size_t i)
{
    double pf = run_finished(v, i);
    return pf < GPB_RUN_MOST_PATHS_FRAC ? "! " : "  ";
}

static void row(const view *v, const char *label, size_t i)
{
    const char *metric = gpb_result_metric_name(v->r, i);
    double f = factor(v, i), q[3], mean, se;
    static const double lv[3] = {0.05, 0.50, 0.95};
    gpb_result_quantiles(v->r, metric, 3, lv, q, NULL);
    gpb_result_mean(v->r, metric, &mean, &se, NULL);
    char b[4][48];
    for (int k = 0; k < 3; k++)
        fmt_q(v, i, q[k], b[k], sizeof b[k]);
    fmt_value(v, i, mean * f, b[3], sizeof b[3]);
    fputs(margin(v, i), stdout);
    print_fit(label, 26);
    int pad = 26 - cli_display_width(label);
    printf("%*s", pad > 0 ? pad : 0, "");
    for (int k = 0; k < 4; k++) {
        fputc(' ', stdout);
        cli_print_right(b[k], 11);
    }
    fputc('\n', stdout);
}

/* The three inputs that move a metric most (by |SRRC|), with the swing.
   Inputs are named as the scenario names them ("researcher: salary per
   year", gpb_sensitivity_input_label), cut to their column by display
   width (a CJK character takes two columns) with an ellipsis. */
static void drivers(const view *v, const gpb_sensitivity *x,
                    const char *metric, const char *what)
{
    size_t m, K = gpb_sensitivity_input_count(x);
    if (gpb_result_metric_find(v->r, metric, &m, NULL))
        return;
    if (gpb_sensitivity_flags(x, m, (size_t)-1) & GPB_SENS_CONSTANT_OUTPUT) {
        char b[48];
        double q;
        gpb_result_quantile(v->r, metric, 0.5, &q, NULL);
        fmt_value(v, m, q * factor(v, m), b, sizeof b);
        printf("  %s: the same on every path (%s)\n", what, b);
        return;
    }
    size_t order[3], n = K < 3 ? K : 3;
    if (n == 0 ||
        gpb_sensitivity_rank(x, m, GPB_SENS_BY_SRRC, order, n, NULL) != GPB_OK)
        return;
    int sw = gpb_sensitivity_has_swing(x);
    int prob = gpb_result_metric_unit_kind(v->r, m) == GPB_UNIT_PROBABILITY;
    printf("  what moves %s (R² %.2f)%s\n", what, gpb_sensitivity_r2(x, m),
           !sw    ? ":"
           : prob ? "; with the input at P10 → P90 (± SE):"
                  : "; P50 with the input at P10 → P90 (± SE):");
    /* 4 + W + 7 (SRRC) + 2 + 10 + 3 + 10 + 2 + 9 (± SE) = 78 columns
       with the swing. */
    const int W = sw ? 31 : 66;
    for (size_t j = 0; j < n; j++) {
        size_t k = order[j];
        const char *label = gpb_sensitivity_input_label(x, k);
        if (!label)
            label = gpb_sensitivity_input_path(x, k);
        char cut[4 * 66 + 8];
        size_t nb = 0;
        int w = 0, full = cli_display_width(label) <= W;
        for (const unsigned char *p = (const unsigned char *)label; *p;) {
            int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2
                                  : (*p & 0xf0) == 0xe0   ? 3
                                                          : 4;
            char ch[5] = {0};
            for (int i = 0; i < len && p[i]; i++)
                ch[i] = (char)p[i];
            int cw = cli_display_width(ch);
            if (w + cw > (full ? W : W - 1))
                break;
            memcpy(cut + nb, ch, strlen(ch));
            nb += strlen(ch);
            w += cw;
            p += strlen(ch);
        }
        if (!full) {
            memcpy(cut + nb, "…", strlen("…"));
            nb += strlen("…");
            w += 1;
        }
        cut[nb] = 0;
        printf("    %s%*s %+6.2f", cut, W - w, "",
               gpb_sensitivity_srrc(x, m, k));
        if (sw) {
            double lo, hi, se = NAN;
            char b1[48], b2[48], b3[48], b4[56];
            gpb_sensitivity_swing(x, m, k, &lo, &hi, NULL, NULL);
            gpb_sensitivity_swing_se(x, m, k, &se, NULL);
            fmt_value(v, m, lo * factor(v, m), b1, sizeof b1);
            fmt_value(v, m, hi * factor(v, m), b2, sizeof b2);
            fmt_value(v, m, se * factor(v, m), b3, sizeof b3);
            snprintf(b4, sizeof b4, "%s", "–");
            if (isfinite(se))
                snprintf(b4, sizeof b4, "±%s", b3);
            printf("  ");
            cli_print_right(b1, 10);
            printf(" → ");
            cli_print_right(b2, 10);
            printf("  ");
            cli_print_right(b4, 9);
        }
        fputc('\n', stdout);
    }
}

typedef struct run_info {
    double secs;
    double precision; /* target, 0 = none */
    int reached;
    const gpb_sensitivity *sens;
    const char *sens_error;
} run_info;

/* The month-by-month ledger (--ledger): per month, each category's P50
   and mean, in panels of four categories so that it fits 80 columns. */
static void print_run_ledger(const view *v)
{
    const gpb_result *r = v->r;
    if (isnan(gpb_result_ledger_mean(r, 0, GPB_CAT_TEAM)))
        return;
    int H = gpb_result_horizon_months(r), cats[GPB_CAT_COUNT], nc = 0;
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        if (gpb_result_ledger_lists(r, (gpb_category)c))
            cats[nc++] = c;
    }
    printf("\n  the ledger, month by month: P50 (mean) of each category, in "
           "%s\n", gpb_currency_code(v->cur));
    for (int k0 = 0; k0 < nc; k0 += 4) {
        int k1 = k0 + 4 < nc ? k0 + 4 : nc;
        printf("\n  %5s", "month");
        for (int k = k0; k < k1; k++) {
            char h[40];
            snprintf(h, sizeof h, "%s%.14s",
                     gpb_category_flow((gpb_category)cats[k]) ==
                             GPB_FLOW_SPEND
                         ? "−"
                         : "+",
                     gpb_category_key((gpb_category)cats[k]));
            fputc(' ', stdout);
            cli_print_right(h, 17);
        }
        fputc('\n', stdout);
        for (int t = 0; t < H; t++) {
            printf("  %5d", t);
            for (int k = k0; k < k1; k++) {
                gpb_category c = (gpb_category)cats[k];
                char p50[24], mean[24], cell[56];
                cli_format_money(gpb_result_ledger_quantile(r, t, c, 0.5) *
                                     v->rate,
                                 v->cur, p50, sizeof p50);
                cli_format_money(gpb_result_ledger_mean(r, t, c) * v->rate,
                                 v->cur, mean, sizeof mean);
                snprintf(cell, sizeof cell, "%s (%s)", p50, mean);
                fputc(' ', stdout);
                cli_print_right(cell, 17);
            }
            fputc('\n', stdout);
        }
    }
}

static void print_summary(const gpb_scenario *s, const view *v,
                          const char *path, const run_info *ri)
{
    const gpb_result *r = v->r;
    int H = gpb_result_horizon_months(r);
    print_fit(gpb_scenario_name(s), 78);
    fputc('\n', stdout);
    printf("  ");
    print_fit(path ? path : "built-in default scenario", 76);
    /* Under mpirun, the ranks too: "1 thread" alone misread a 3-rank
       run's timing (a user review). */
    char ranks[48] = "";
    if (cli_mpi_size() > 1)
        snprintf(ranks, sizeof ranks, " on each of %d ranks", cli_mpi_size());
    printf("\n  %zu paths, seed %" PRIu64 ", %d thread%s%s, %.2f s; money "
           "in %s",
           gpb_result_paths(r), gpb_result_seed(r), gpb_result_threads(r),
           gpb_result_threads(r) == 1 ? "" : "s", ranks, ri->secs,
           gpb_currency_code(v->cur));
    if (v->cur != v->from)
        printf(" (%s × %.4g)", gpb_currency_code(v->from), v->rate);
    fputc('\n', stdout);
    if (gpb_result_quasi_random(r))
        cli_wrapf(4, "  quasi-random inputs (--qmc: Sobol points in 16 "
                     "randomly shifted replicates): the means' standard "
                     "errors are the replicates'; quantile intervals are "
                     "the i.i.d. formula, not this estimate's error");
    const char *given = gpb_result_given_condition(r);
    if (given)
        cli_wrapf(4, "  given %s: %zu of %zu paths (%.1f%%); the month fan "
                     "and the ledger cover every path and are left out",
                  given, gpb_result_paths(r), gpb_result_given_of(r),
                  100.0 * (double)gpb_result_paths(r) /
                      (double)gpb_result_given_of(r));
    printf("\n  %-26s %11s %11s %11s %11s\n", "", "P5", "P50", "P95",
           "mean");
    gpb_report_row rows[256];
    size_t nr = gpb_report_summary_rows(r, rows, 256);
    for (size_t k = 0; k < nr && k < 256; k++) {
        size_t i = rows[k].metric;
        char label[80];
        snprintf(label, sizeof label, "%s%s", rows[k].depth ? "  " : "",
                 gpb_result_metric_label(r, i));
        row(v, label, i);
        double pf = run_finished(v, i);
        if (ends_with(gpb_result_metric_name(r, i), ".finish_month") &&
            !isnan(pf)) {
            /* The share of paths on which the run finished, and what it
               means for the rows above when that is not most of them. */
            char sh[16];
            cli_format_share(pf, sh, sizeof sh);
            printf("%s%-26s %12s", margin(v, i), "  finished in horizon", sh);
            if (pf < GPB_RUN_MOST_PATHS_FRAC)
                printf("  does not finish on most paths:\n%42s%s", "",
                       "its cost and months are lower bounds");
            fputc('\n', stdout);
        }
    }
    double cens = gpb_result_censored_at(r, "runway_months");
    printf("  (runway is censored at the %d-month horizon: ≥ %.0f means the "
           "cash lasts;\n   its mean is the restricted mean)\n",
           H, cens);
    char poc[16];
    cli_format_share(gpb_result_prob_out_of_cash_by(r, H - 1), poc,
                     sizeof poc);
    printf("\n  P(out of cash within %d months): %s\n", H, poc);
    uint64_t worst[3];
    size_t nw = gpb_result_kept_paths(r) < 3 ? gpb_result_kept_paths(r) : 3;
    if (nw && !gpb_result_extreme_paths(r, "cash.min", 1, nw, worst, NULL)) {
        printf("  lowest cash on paths");
        for (size_t k = 0; k < nw; k++)
            printf("%s %" PRIu64, k ? "," : "", worst[k]);
        printf(";\n    replay one month by month: the same command%s "
               "--trace-path %" PRIu64 "\n",
               gpb_result_given_condition(r) ? " without --given, with"
                                             : " with",
               worst[0]);
    }
    printf("  raise needed now:");
    const double *conf = gpb_report_raise_levels;
    for (int k = 0; k < GPB_REPORT_N_RAISE_LEVELS; k++) {
        double x;
        char b[48];
        gpb_result_raise_needed(r, conf[k], &x, NULL);
        cli_format_money(x * v->rate, v->cur, b, sizeof b);
        printf("  %.0f%%: %s", 100 * conf[k], b);
    }
    double mean, se, lo, hi;
    char b1[48], b2[48];
    gpb_result_mean(r, "spend.total", &mean, &se, NULL);
    cli_format_money(se * v->rate, v->cur, b1, sizeof b1);
    cli_format_money(mean * v->rate, v->cur, b2, sizeof b2);
    printf("\n  standard error of mean total spend: %s (%.2f%% of %s)\n", b1,
           mean != 0 ? 100 * se / fabs(mean) : 0.0, b2);
    if (!gpb_result_quantile_ci(r, "spend.total", 0.5, 0.95, &lo, &hi,
                                NULL)) {
        cli_format_money(lo * v->rate, v->cur, b1, sizeof b1);
        cli_format_money(hi * v->rate, v->cur, b2, sizeof b2);
        printf("  95%% interval of P50 total spend: %s to %s\n", b1, b2);
    }
    if (ri->precision > 0)
        printf("  precision target %.2f%% of the mean: %s with %zu paths\n",
               100 * ri->precision,
               ri->reached ? "reached" : "NOT reached (cap on paths)",
               gpb_result_paths(r));
    if (ri->sens) {
        fputc('\n', stdout);
        drivers(v, ri->sens, "spend.total", "total spend");
        drivers(v, ri->sens, "out_of_cash", "P(out of cash)");
    } else if (ri->sens_error) {
        printf("\n  no sensitivity:");
        print_wrapped(ri->sens_error, 19, 4, 78);
    }
}

/* ---- files ------------------------------------------------------------ */

typedef struct run_args {
    const char *scenario;
    size_t paths, max_paths, swing_paths;
    uint64_t seed;
    int threads;
    int json, quasi, quiet, samples;
    const char *csv, *xlsx, *html, *samples_csv, *output_dir;
    gpb_currency currency;
    double precision;
    int months;
    double confidence;
    int timings;        /* --timings: phase times on stderr */
    int trace;          /* --trace-path given */
    int swing_given;    /* --swing-paths given */
    uint64_t trace_path;
    char *sets;         /* --set values, "; "-joined (free) */
    const char *target, *vary, *range; /* raise: goal seek */
    const char *given;  /* run --given */
    int ledger;         /* run --ledger (or --ledger-csv) */
    const char *ledger_csv;
    int summaries_only; /* run writing nothing per path (run_main) */
} run_args;

/* Parses the options of run or raise (the table has which each takes).
   Returns 0, -1 after printing the help, or the exit status. */
static int parse_common(int argc, char **argv, run_args *a, cli_command cmd)
{
    gpb_sim_options d;
    gpb_sim_options_default(&d);
    memset(a, 0, sizeof *a);
    a->paths = d.paths;
    a->seed = d.seed;
    a->confidence = 0.9;
    a->swing_paths = GPB_SENS_DEFAULT_SWING_PATHS;
    cli_parser p;
    cli_parser_init(&p, cmd, argc, argv);
    int c;
    double v;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        const char *arg = p.arg;
        switch (c) {
        case CLI_OPT_STOP:
            return p.status == CLI_OK ? -1 : p.status;
        case CLI_KEY_PATHS:
        case CLI_KEY_MAX_PATHS:
            {
                char hint[64];
                snprintf(hint, sizeof hint, "from 1 to %llu",
                         (unsigned long long)GPB_SIM_MAX_PATHS);
                if (cli_parse_whole(cli_key_name(c), arg, 1,
                                    GPB_SIM_MAX_PATHS, hint, &v))
                    return CLI_BAD_INPUT;
            }
            *(c == CLI_KEY_PATHS ? &a->paths : &a->max_paths) = (size_t)v;
            break;
        case CLI_KEY_TIMINGS:
            a->timings = 1;
            break;
        case CLI_KEY_SET: {
            int rc = cli_sets_add(&a->sets, arg);
            if (rc)
                return rc;
            break;
        }
        case CLI_KEY_TARGET:
            a->target = arg;
            break;
        case CLI_KEY_GIVEN:
            a->given = arg;
            break;
        case CLI_KEY_LEDGER:
            a->ledger = 1;
            break;
        case CLI_KEY_LEDGER_CSV:
            a->ledger = 1;
            a->ledger_csv = arg;
            break;
        case CLI_KEY_VARY:
            a->vary = arg;
            break;
        case CLI_KEY_RANGE:
            a->range = arg;
            break;
        case CLI_KEY_TRACE_PATH:
            if (cli_parse_whole("trace-path", arg, 0,
                                (double)GPB_SIM_MAX_PATHS - 1,
                                "from 0 to --paths − 1", &v))
                return CLI_BAD_INPUT;
            a->trace = 1;
            a->trace_path = (uint64_t)v;
            break;
        case CLI_KEY_SWING_PATHS:
            if (cli_parse_whole("swing-paths", arg, 0, 1e7,
                                "from 0 (no swing) to 10M", &v))
                return CLI_BAD_INPUT;
            a->swing_paths = (size_t)v;
            a->swing_given = 1;
            break;
        case CLI_KEY_SEED:
        case CLI_KEY_THREADS: {
            gpb_sim_options so;
            so.seed = a->seed;
            so.threads = a->threads;
            if (cli_parse_sim_option(cli_key_name(c), arg, &so))
                return CLI_BAD_INPUT;
            a->seed = so.seed;
            a->threads = so.threads;
            break;
        }
        case CLI_KEY_PRECISION:
            /* A fraction of the mean, e.g. 0.005 or 0.5%. */
            if (cli_parse_fraction("precision", arg, GPB_FRAC_OPEN, &v))
                return CLI_BAD_INPUT;
            a->precision = v;
            break;
        case CLI_KEY_CURRENCY: {
            gpb_error e;
            if (gpb_currency_from_code(arg, &a->currency, &e) != GPB_OK ||
                a->currency == GPB_CURRENCY_NONE) {
                cli_error("--currency '%s': expected USD, CNY or EUR", arg);
                return CLI_BAD_INPUT;
            }
            break;
        }
        case CLI_KEY_JSON:
            a->json = 1;
            break;
        case CLI_KEY_CSV:
            a->csv = arg;
            break;
        case CLI_KEY_XLSX:
            a->xlsx = arg;
            break;
        case CLI_KEY_HTML:
            a->html = arg;
            break;
        case CLI_KEY_SAMPLES_CSV:
            a->samples_csv = arg;
            break;
        case CLI_KEY_SAMPLES:
            a->samples = 1;
            break;
        case CLI_KEY_OUTPUT_DIR:
            a->output_dir = arg;
            break;
        case CLI_KEY_QMC:
            a->quasi = 1;
            break;
        case CLI_KEY_QUIET:
            a->quiet = 1;
            break;
        case CLI_KEY_MONTHS:
            if (cli_parse_whole("months", arg, 1, 600, "from 1 to 600", &v))
                return CLI_BAD_INPUT;
            a->months = (int)v;
            break;
        case CLI_KEY_CONFIDENCE:
            if (cli_parse_fraction("confidence", arg, GPB_FRAC_OPEN, &v))
                return CLI_BAD_INPUT;
            a->confidence = v;
            break;
        default:
            return cli_parser_unhandled(&p, c);
        }
    }
    if (optind < argc)
        a->scenario = argv[optind++];
    if (optind < argc) {
        cli_error("%s: unexpected argument '%s'", argv[0], argv[optind]);
        return CLI_BAD_INPUT;
    }
    if (a->trace && a->trace_path >= a->paths) {
        cli_error("--trace-path %llu: the run has paths 0 to %zu (--paths %zu)",
                  (unsigned long long)a->trace_path, a->paths - 1, a->paths);
        return CLI_BAD_INPUT;
    }
    if (a->trace && (a->precision || a->csv || a->xlsx || a->html ||
                     a->samples_csv || a->output_dir || a->samples ||
                     a->timings || a->swing_given || a->given)) {
        cli_error("--trace-path replays one path: it goes with --paths, "
                  "--seed, --qmc, --set, --currency, --threads and --json "
                  "only");
        return CLI_BAD_INPUT;
    }
    if (a->samples && !a->xlsx && !a->output_dir) {
        cli_error("--samples adds a sheet to the workbook: it goes with "
                  "--xlsx FILE or --output-dir DIR");
        return CLI_BAD_INPUT;
    }
    if (a->max_paths && !a->precision) {
        cli_error("--max-paths goes with --precision");
        return CLI_BAD_INPUT;
    }
    if (a->precision) {
        if (!a->max_paths)
            a->max_paths = a->paths > CLI_RUN_DEFAULT_MAX_PATHS
                               ? a->paths
                               : CLI_RUN_DEFAULT_MAX_PATHS;
        if (a->max_paths < a->paths) {
            cli_error("--max-paths (%zu) is below --paths (%zu)",
                      a->max_paths, a->paths);
            return CLI_BAD_INPUT;
        }
    }
    return 0;
}

static int simulate(const run_args *a, gpb_scenario **s, gpb_result **r,
                    run_info *ri)
{
    if (cli_load_scenario_set(a->scenario, a->sets, s))
        return CLI_BAD_INPUT;
    gpb_sim_options opt;
    gpb_sim_options_default(&opt);
    opt.paths = a->paths;
    opt.seed = a->seed;
    opt.threads = a->threads;
    opt.quasi_random = a->quasi;
    opt.raise_months = a->months; /* raise --months: kept per path */
    opt.ledger = a->ledger ? 2 : 0; /* --ledger: means and quantiles */
    /* What reads the sampled inputs of every kept path: per-path rows
       (--samples-csv, the workbook's samples with --samples, --output-dir),
       a condition (--given) and the scenario's claims. Otherwise only the sensitivity
       reads them, over its first max_paths paths: keep those (48 MB less
       at 10^6 paths of bench-60m). */
    if (!a->samples && !a->samples_csv && !a->output_dir && !a->given &&
        gpb_scenario_claim_count(*s) == 0)
        opt.inputs_kept = GPB_SENS_DEFAULT_MAX_PATHS;
    /* The JSON summary alone reads no path but the sensitivity's first
       100,000: keep 131,072 paths, whose bands keep the report's
       quantiles exact (gpb_sim_run_kept), and not 10^6 paths' values
       (bench-60m at 10^6 paths: 155 -> 69 MB, and 0.49 -> 0.41 s right
       after another program freed its memory; docs/engine.md, Memory).
       The text report names the paths with the lowest cash: the run
       tracks each metric's most extreme paths over every path. Not under
       mpirun: such a result does not merge. Not --qmc: its
       replicate standard errors read every path. Not raise --months:
       the raise for a runway reads every path's lowest cash. */
    int few = a->summaries_only && opt.inputs_kept && !a->quasi &&
              !a->months && !a->precision && cli_mpi_size() == 1;
    if (!a->quiet && isatty(2) && (a->paths >= 100000 || a->precision))
        opt.progress = progress_bar;
    double t0 = now_s();
    gpb_error err;
    gpb_status st;
    if (a->precision && cli_mpi_size() > 1) {
        cli_error("--precision doubles the paths of one process; under "
                  "mpirun give --paths");
        return CLI_BAD_INPUT;
    } else if (a->precision) {
        ri->precision = a->precision;
        st = gpb_sim_run_to_precision(*s, &opt, "spend.total", a->precision,
                                      a->max_paths, r, &ri->reached, &err);
    } else {
        /* Under mpirun the ranks share the paths; rank 0 gets the whole
           run (the others *r = NULL). */
        st = few ? gpb_sim_run_kept(*s, &opt, CLI_RUN_SUMMARY_KEPT_PATHS, r,
                                    &err)
                 : cli_mpi_sim_run(*s, &opt, r, &err);
    }
    ri->secs = now_s() - t0;
    if (st) {
        cli_error_gpb("simulation failed", &err);
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    return CLI_OK;
}

/* The scenario file's name without directory and extension ("default" for
   the built-in scenario): the stem of --output-dir's file names. */
static void stem_of(const char *path, char *buf, size_t n)
{
    if (!path) {
        snprintf(buf, n, "default");
        return;
    }
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(buf, n, "%s", b);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = 0;
}

/* Resolves a report file name against --output-dir: relative names go
   into the directory; with the directory and no name, the default name
   STEM + suffix. Returns NULL when there is no file to write. */
static const char *place(const run_args *a, const char *name,
                         const char *stem, const char *suffix, char *buf,
                         size_t n)
{
    if (!a->output_dir)
        return name;
    if (!name) {
        snprintf(buf, n, "%s/%s%s", a->output_dir, stem, suffix);
        return buf;
    }
    if (name[0] == '/')
        return name;
    snprintf(buf, n, "%s/%s", a->output_dir, name);
    return buf;
}

static int make_dir(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cli_error("cannot create directory '%s': %s", dir, strerror(errno));
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_error("'%s' is not a directory", dir);
        return -1;
    }
    return 0;
}

/* The files a run writes, in order: csv, xlsx, html, samples csv, json
   (--output-dir alone), ledger csv; NULL for one not written. Each path
   is in its own buf[k]. */
enum { OUT_CSV, OUT_XLSX, OUT_HTML, OUT_SAMPLES, OUT_JSON, OUT_LEDGER,
       OUT_COUNT };
typedef char out_buf[4096];
static void report_paths(const run_args *a, const char *out[OUT_COUNT],
                         out_buf buf[OUT_COUNT])
{
    static const char *const suffix[OUT_COUNT] = {
        ".csv", ".xlsx", ".html", "-samples.csv", ".json", "-ledger.csv"};
    const char *given[OUT_COUNT] = {a->csv, a->xlsx, a->html,
                                    a->samples_csv, NULL, a->ledger_csv};
    char stem[256];
    stem_of(a->scenario, stem, sizeof stem);
    /* --output-dir alone writes every report; with files named, only
       those. */
    int all = a->output_dir && !a->csv && !a->xlsx && !a->html &&
              !a->samples_csv;
    for (int k = 0; k < OUT_COUNT; k++) {
        int wanted = k == OUT_JSON     ? all
                     : k == OUT_LEDGER ? given[k] != NULL
                                       : all || given[k];
        out[k] = wanted ? place(a, given[k], stem, suffix[k], buf[k],
                                sizeof buf[k])
                        : NULL;
    }
}

/* Before anything runs: no output may be the scenario itself, and no two
   outputs one file (the second would silently replace the first). */
static int check_outputs(const run_args *a)
{
    static const char *const opt[OUT_COUNT] = {
        "--csv", "--xlsx", "--html", "--samples-csv", "--output-dir",
        "--ledger-csv"};
    const char *given[OUT_COUNT] = {a->csv, a->xlsx, a->html,
                                    a->samples_csv, NULL, a->ledger_csv};
    const char *out[OUT_COUNT], *opts[OUT_COUNT];
    out_buf b[OUT_COUNT];
    report_paths(a, out, b);
    for (int k = 0; k < OUT_COUNT; k++)
        opts[k] = given[k] ? opt[k] : "--output-dir";
    return cli_check_outputs(&a->scenario, 1, opts, out, OUT_COUNT);
}

/* Writes text from a report function to a file; a JSON document ends
   with a line break, as --json prints it, so the two are alike byte for
   byte. */
static int emit(const char *path, gpb_status st, char *text,
                const gpb_error *err, const char *what)
{
    if (st) {
        cli_error_gpb(what, err);
        gpb_free(text);
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    size_t n = strlen(text);
    char *nl = NULL;
    if (!strcmp(what, "json") && (n == 0 || text[n - 1] != '\n')) {
        nl = malloc(n + 2);
        if (!nl) {
            gpb_free(text);
            cli_error("out of memory");
            return CLI_INTERNAL;
        }
        memcpy(nl, text, n);
        memcpy(nl + n, "\n", 2);
    }
    int rc = cli_write_file(path, nl ? nl : text, 1) ? CLI_BAD_INPUT : CLI_OK;
    free(nl);
    gpb_free(text);
    return rc;
}

static int write_files(const run_args *a, const gpb_scenario *s,
                       const gpb_result *r, const gpb_report_options *ro,
                       const char *const out[OUT_COUNT]);

static int write_reports(const run_args *a, const gpb_scenario *s,
                         const gpb_result *r, const gpb_report_options *ro)
{
    if (a->output_dir && make_dir(a->output_dir))
        return CLI_BAD_INPUT;
    const char *out[OUT_COUNT];
    out_buf b[OUT_COUNT];
    report_paths(a, out, b);
    return write_files(a, s, r, ro, out);
}

/* Writes the reports to the paths of report_paths. */
static int write_files(const run_args *a, const gpb_scenario *s,
                       const gpb_result *r, const gpb_report_options *ro,
                       const char *const out[OUT_COUNT])
{
    const char *csv = out[OUT_CSV], *xlsx = out[OUT_XLSX],
               *html = out[OUT_HTML], *smp = out[OUT_SAMPLES],
               *json = out[OUT_JSON];
    gpb_error err;
    int rc;
    gpb_status st;
    char *text;
    if (out[OUT_LEDGER]) {
        text = NULL;
        st = gpb_report_ledger_csv(s, r, ro, &text, &err);
        if ((rc = emit(out[OUT_LEDGER], st, text, &err, "ledger csv")))
            return rc;
    }
    if (csv) {
        text = NULL;
        st = gpb_report_csv_opt(s, r, ro, &text, &err);
        if ((rc = emit(csv, st, text, &err, "csv")))
            return rc;
    }
    if (smp) {
        text = NULL;
        st = gpb_report_samples_csv(s, r, ro, &text, &err);
        if ((rc = emit(smp, st, text, &err, "samples csv")))
            return rc;
    }
    if (html) {
        text = NULL;
        st = gpb_report_html(s, r, ro, &text, &err);
        if ((rc = emit(html, st, text, &err, "html")))
            return rc;
    }
    if (json) {
        text = NULL;
        st = gpb_report_json_opt(s, r, ro, &text, &err);
        if ((rc = emit(json, st, text, &err, "json")))
            return rc;
    }
    if (xlsx) {
        st = gpb_report_xlsx_write(s, r, ro, xlsx, &err);
        if (st) {
            cli_error_gpb("xlsx", &err);
            return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
        }
    }
    return CLI_OK;
}

/* ---- one path ----------------------------------------------------------- */

/* One column of a path's month-by-month ledger. */
typedef struct ledger_col {
    char head[48];
    char (*cell)[48]; /* one a month; "" for nothing */
    int width;        /* display columns of the widest of head and cells */
} ledger_col;

/* Prints columns [from, to) of the ledger: the month, then each column
   right-aligned; `mark` after the cash column's panel's rows. */
static void print_panel(const ledger_col *cols, int from, int to, int H,
                        int oc, int mark)
{
    printf("  %5s", "month");
    for (int k = from; k < to; k++) {
        fputc(' ', stdout);
        cli_print_right(cols[k].head, cols[k].width);
    }
    fputc('\n', stdout);
    for (int m = 0; m < H; m++) {
        printf("  %5d", m);
        for (int k = from; k < to; k++) {
            fputc(' ', stdout);
            cli_print_right(cols[k].cell[m], cols[k].width);
        }
        if (mark && m == oc)
            printf("  ← out of cash");
        fputc('\n', stdout);
    }
}

/*
 * The path's ledger month by month: a column per category it booked (money
 * out −, in +), the closing cash and each run's progress in percent. It
 * keeps to 80 columns: columns that do not fit beside the first ones go
 * into further panels, each with the month column.
 */
static void print_ledger(const gpb_scenario *s, const gpb_trace *t,
                         double rate, gpb_currency cur)
{
    enum { WIDTH = 80, MONTH_W = 7, MARK_W = 15 };
    int H = gpb_trace_months(t);
    size_t nr = gpb_trace_run_count(t);
    size_t max = GPB_CAT_COUNT + 1 + nr;
    ledger_col *cols = calloc(max, sizeof *cols);
    char (*cells)[48] = calloc(max * (size_t)(H > 0 ? H : 1), sizeof *cells);
    if (!cols || !cells) {
        printf("  (no memory for the month-by-month table)\n");
        goto done;
    }
    int nc = 0, cash = 0;
    for (int c = 0; c < GPB_CAT_COUNT; c++) {
        ledger_col *col = &cols[nc];
        col->cell = cells + (size_t)nc * (size_t)H;
        int booked = 0;
        for (int m = 0; m < H; m++) {
            double x = gpb_trace_flow(t, m, (gpb_category)c) * rate;
            if (x != 0) {
                cli_format_money(x, cur, col->cell[m], sizeof col->cell[m]);
                booked = 1;
            }
        }
        if (!booked)
            continue;
        snprintf(col->head, sizeof col->head, "%s%s",
                 gpb_category_flow((gpb_category)c) == GPB_FLOW_SPEND ? "−"
                                                                      : "+",
                 gpb_category_key((gpb_category)c));
        nc++;
    }
    cash = nc;
    cols[nc].cell = cells + (size_t)nc * (size_t)H;
    snprintf(cols[nc].head, sizeof cols[nc].head, "cash");
    for (int m = 0; m < H; m++)
        cli_format_money(gpb_trace_cash(t, m) * rate, cur, cols[nc].cell[m],
                         sizeof cols[nc].cell[m]);
    nc++;
    for (size_t k = 0; k < nr; k++, nc++) {
        ledger_col *col = &cols[nc];
        col->cell = cells + (size_t)nc * (size_t)H;
        snprintf(col->head, sizeof col->head, "%.10s%%",
                 gpb_scenario_training_name(s, k));
        for (int m = 0; m < H; m++) {
            double f = gpb_trace_progress(t, k, m);
            if (f > 0 && (m == 0 || gpb_trace_progress(t, k, m - 1) < 1))
                snprintf(col->cell[m], sizeof col->cell[m], "%.1f",
                         100 * f);
        }
    }
    for (int k = 0; k < nc; k++) {
        cols[k].width = cli_display_width(cols[k].head);
        for (int m = 0; m < H; m++) {
            int w = cli_display_width(cols[k].cell[m]);
            if (w > cols[k].width)
                cols[k].width = w;
        }
    }
    int oc = gpb_trace_out_of_cash_month(t);
    for (int from = 0; from < nc;) {
        int used = 2 + MONTH_W - 2, to = from, mark = 0;
        while (to < nc) {
            int extra = to == cash && oc >= 0 ? MARK_W : 0;
            if (to > from && used + 1 + cols[to].width + extra > WIDTH)
                break;
            used += 1 + cols[to].width + extra;
            mark |= to == cash;
            to++;
        }
        if (from > 0)
            fputc('\n', stdout);
        print_panel(cols, from, to, H, oc, mark);
        from = to;
    }
done:
    free(cells);
    free(cols);
}

static void print_trace(const gpb_scenario *s, const gpb_trace *t,
                        const run_args *a, double rate, gpb_currency cur)
{
    int H = gpb_trace_months(t);
    print_fit(gpb_scenario_name(s), 78);
    printf("\n  path %" PRIu64 " of %zu, seed %" PRIu64 "%s; money in %s\n",
           gpb_trace_path(t), a->paths, a->seed, a->quasi ? ", Sobol" : "",
           gpb_currency_code(cur));
    size_t K = gpb_trace_input_count(t);
    if (K) {
        printf("\n  the path's draws:\n");
        for (size_t k = 0; k < K; k++) {
            char b[48];
            gpb_units_format_number(gpb_trace_input_value(t, k),
                                    GPB_STYLE_EN, 4, b, sizeof b);
            printf("    ");
            print_fit(gpb_trace_input_path(t, k), 44);
            int pad = 44 - cli_display_width(gpb_trace_input_path(t, k));
            printf("%*s %s\n", pad > 0 ? pad : 0, "", b);
        }
    }
    fputc('\n', stdout);
    print_ledger(s, t, rate, cur);
    int oc = gpb_trace_out_of_cash_month(t);
    if (oc < 0)
        printf("  the cash lasts the %d-month horizon\n", H);
    printf("\n  metrics (the path's row of --samples-csv):\n");
    for (size_t i = 0; i < gpb_trace_metric_count(t); i++) {
        double x = gpb_trace_metric_value(t, i);
        char b[48];
        if (gpb_trace_metric_unit_kind(t, i) == GPB_UNIT_MONEY)
            cli_format_money(x * rate, cur, b, sizeof b);
        else
            gpb_units_format_number(x, GPB_STYLE_EN, 4, b, sizeof b);
        printf("    ");
        print_fit(gpb_trace_metric_name(t, i), 44);
        int pad = 44 - cli_display_width(gpb_trace_metric_name(t, i));
        printf("%*s %s\n", pad > 0 ? pad : 0, "", b);
    }
}

static int trace_main(const run_args *a)
{
    gpb_scenario *s = NULL;
    gpb_trace *t = NULL;
    if (cli_load_scenario_set(a->scenario, a->sets, &s))
        return CLI_BAD_INPUT;
    gpb_sim_options opt;
    gpb_sim_options_default(&opt);
    opt.paths = a->paths;
    opt.seed = a->seed;
    opt.quasi_random = a->quasi;
    gpb_error err;
    int rc = CLI_OK;
    gpb_currency from = gpb_scenario_currency(s);
    gpb_currency cur = a->currency ? a->currency : from;
    double rate = 1;
    if (gpb_report_exchange_rate(s, from, cur, &rate, &err)) {
        cli_error_gpb("currency", &err);
        rc = CLI_BAD_INPUT;
        goto done;
    }
    gpb_status st = gpb_sim_trace(s, &opt, a->trace_path, &t, &err);
    if (st) {
        cli_error_gpb("trace", &err);
        rc = st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
        goto done;
    }
    if (a->json) {
        gpb_report_options ro;
        gpb_report_options_default(&ro);
        ro.currency = cur;
        ro.rate = rate;
        char *text = NULL;
        if (gpb_report_trace_json(s, t, &opt, &ro, &text, &err)) {
            cli_error_gpb("json", &err);
            rc = CLI_INTERNAL;
            goto done;
        }
        fputs(text, stdout);
        fputc('\n', stdout);
        gpb_free(text);
    } else {
        print_trace(s, t, a, rate, cur);
    }
done:
    gpb_trace_free(t);
    gpb_scenario_free(s);
    return rc;
}

static int run_main(run_args *pa);

int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_common(argc, argv, &a, CLI_CMD_RUN);
    if (rc == -1)
        rc = CLI_OK;
    else if (!rc)
        rc = a.trace ? trace_main(&a) : run_main(&a);
    free(a.sets);
    return rc;
}

static int run_main(run_args *pa)
{
    run_args a = *pa;
    int rc = CLI_OK;
    gpb_scenario *s = NULL;
    gpb_result *r = NULL;
    gpb_sensitivity *sens = NULL;
    run_info ri = {0};
    double t_start = now_s();
    if ((rc = check_outputs(&a)))
        return rc;
    a.summaries_only = !a.csv && !a.xlsx && !a.html && !a.samples_csv &&
                       !a.output_dir && !a.ledger_csv && !a.samples &&
                       !a.trace;
    rc = simulate(&a, &s, &r, &ri);
    if (rc || !cli_mpi_root())
        goto done;
    double t_sim = now_s();
    if (a.given) {
        /* Only the paths where the condition holds (sim.h). */
        gpb_result *g = NULL;
        gpb_error ge;
        gpb_status gs = gpb_result_given(s, r, a.given, &g, &ge);
        if (gs) {
            cli_error_gpb("--given", &ge);
            rc = gs == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
            goto done;
        }
        gpb_result_free(r);
        r = g;
        /* The swing re-runs every path: not a conditional figure. */
        a.swing_paths = 0;
    }

    view v = {.r = r, .from = gpb_result_currency(r), .rate = 1.0};
    v.cur = a.currency ? a.currency : v.from;
    gpb_error err;
    if (gpb_report_exchange_rate(s, v.from, v.cur, &v.rate, &err)) {
        cli_error_gpb("currency", &err);
        rc = CLI_BAD_INPUT;
        goto done;
    }

    /* The sensitivity, with the tornado's swing runs, for every report. */
    int files = a.csv || a.xlsx || a.html || a.samples_csv || a.output_dir ||
                a.ledger_csv;
    char sens_error[GPB_ERROR_MESSAGE_MAX] = "";
    if (!a.quiet || a.json || a.xlsx || a.html || a.output_dir) {
        gpb_sensitivity_options so;
        gpb_sensitivity_options_default(&so);
        so.swing = a.swing_paths > 0;
        so.swing_paths = a.swing_paths ? a.swing_paths : 1;
        so.threads = a.threads;
        gpb_status st = gpb_sensitivity_compute(s, r, &so, &sens, &err);
        if (st == GPB_ENOMEM) {
            cli_error_gpb("sensitivity", &err);
            rc = CLI_INTERNAL;
            goto done;
        }
        if (st)
            snprintf(sens_error, sizeof sens_error, "%s", err.message);
    }
    double t_sens = now_s();
    ri.sens = sens;
    ri.sens_error = sens_error[0] ? sens_error : NULL;

    gpb_report_options ro;
    gpb_report_options_default(&ro);
    ro.currency = v.cur;
    ro.rate = v.rate;
    ro.sensitivity = sens;
    ro.samples = a.samples;
    ro.precision_target = a.precision;
    ro.precision_reached = ri.reached;
    if (files && (rc = write_reports(&a, s, r, &ro)))
        goto done;
    if (a.json) {
        char *text = NULL;
        if (gpb_report_json_opt(s, r, &ro, &text, &err)) {
            cli_error_gpb("json", &err);
            rc = CLI_INTERNAL;
            goto done;
        }
        fputs(text, stdout);
        fputc('\n', stdout);
        gpb_free(text);
    } else if (!a.quiet) {
        print_summary(s, &v, a.scenario, &ri);
        print_run_ledger(&v);
    }
    if (a.timings) {
        fflush(stdout);
        fprintf(stderr,
                "timings: load and simulate %.3f s (simulation %.3f s), "
                "sensitivity %.3f s, reports %.3f s\n",
                t_sim - t_start, ri.secs, t_sens - t_sim, now_s() - t_sens);
    }
done:
    gpb_sensitivity_free(sens);
    gpb_result_free(r);
    gpb_scenario_free(s);
    return rc;
}

static int raise_main(run_args *pa);

int cmd_raise(int argc, char **argv)
{
    run_args a;
    int rc = parse_common(argc, argv, &a, CLI_CMD_RAISE);
    if (rc == -1) {
        rc = CLI_OK;
    } else if (!rc && (a.target || a.vary || a.range)) {
        if (!a.target || !a.vary) {
            cli_error("raise: goal seek needs both --target and --vary");
            rc = CLI_BAD_INPUT;
        } else {
            cli_seek_args sa = {a.scenario, a.sets, a.target, a.vary,
                                a.range, a.months, a.paths, a.seed,
                                a.threads, a.quasi, a.json};
            rc = cli_goal_seek(&sa);
        }
    } else if (!rc) {
        rc = raise_main(&a);
    }
    free(a.sets);
    return rc;
}

static int raise_main(run_args *pa)
{
    run_args a = *pa;
    int rc = CLI_OK;
    gpb_scenario *s = NULL;
    gpb_result *r = NULL;
    run_info ri = {0};
    rc = simulate(&a, &s, &r, &ri);
    if (rc || !cli_mpi_root())
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
    /* The raise is a tail quantile: its 95% interval says how far to
       trust it (a review found none given). */
    double ci_lo, ci_hi;
    if (gpb_result_raise_ci(r, months, a.confidence, 0.95, &ci_lo, &ci_hi,
                            &err)) {
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
        json_object_set_new(o, "raise_ci",
                            json_pack("{s:[ff],s:f}", "interval", ci_lo,
                                      ci_hi, "level", 0.95));
        json_object_set_new(o, "currency",
                            json_string(gpb_currency_code(cur)));
        json_object_set_new(o, "p_out_of_cash_without_raise",
                            json_real(p_out));
        json_object_set_new(o, "paths", json_integer((json_int_t)a.paths));
        json_object_set_new(o, "seed", json_integer((json_int_t)a.seed));
        rc = cli_json_print(o);
    } else {
        char b[48], l[48], h[48];
        cli_format_money(amount, cur, b, sizeof b);
        cli_format_money(ci_lo, cur, l, sizeof l);
        cli_format_money(ci_hi, cur, h, sizeof h);
        printf("%s\n  raise now so that cash lasts %d months with %.0f%% "
               "confidence: %s\n  (95%% interval of that amount, from %zu "
               "paths: %s to %s)\n  (without it, P(out of cash within %d "
               "months) = %.1f%%)\n",
               gpb_scenario_name(s), months, 100 * a.confidence, b, a.paths,
               l, h, months, 100 * p_out);
    }
done:
    gpb_result_free(r);
    gpb_scenario_free(s);
    return rc;
}
