/*
 * gpubudget check [SCENARIO...]: every claim of the scenarios (all of
 * scenarios/ by default) against the simulation, with a verdict; and
 * gpubudget check --claim "70B params, 2T tokens, 512 H100, 30 days, $2M"
 * for a pitch without a file. The method is the library's
 * (gpubudget/claims.h) and so are the figures and the --json documents
 * (report.h: gpb_report_check_scenario_compute per scenario,
 * gpb_report_check_json over them, gpb_report_check_pitch_compute); this
 * file finds, loads and runs the scenarios (over MPI ranks when there are
 * several) and prints text, or the Markdown of docs/claims.md.
 */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_mpi.h"

#ifndef GPB_SOURCE_SCENARIOS_DIR
#define GPB_SOURCE_SCENARIOS_DIR ""
#endif
#ifndef GPB_INSTALL_SCENARIOS_DIR
#define GPB_INSTALL_SCENARIOS_DIR ""
#endif

enum { OUT_TEXT, OUT_JSON, OUT_MARKDOWN };

typedef struct check_args {
    size_t paths;
    uint64_t seed;
    int threads;
    int out;
    int strict;
    const char *pitch;
    const char *precision; /* --precision, for a pitch; NULL when absent */
    char *sets;            /* --set values, "; "-joined (free) */
} check_args;

/* ---- finding the scenarios ---------------------------------------------- */

static int is_dir(const char *p)
{
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The scenarios directory: $GPB_SCENARIOS_DIR; the source tree's for a
   binary in the build tree; the installed one; the source tree's. */
static const char *scenarios_dir(void)
{
    const char *env = getenv("GPB_SCENARIOS_DIR");
    if (env && *env)
        return env;
    if (cli_running_from_build_tree() && is_dir(GPB_SOURCE_SCENARIOS_DIR))
        return GPB_SOURCE_SCENARIOS_DIR;
    if (is_dir(GPB_INSTALL_SCENARIOS_DIR))
        return GPB_INSTALL_SCENARIOS_DIR;
    if (is_dir(GPB_SOURCE_SCENARIOS_DIR))
        return GPB_SOURCE_SCENARIOS_DIR;
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .yaml files of dir, sorted by name (new array of new strings). */
static char **list_scenarios(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 16;
    char **v = malloc(cap * sizeof *v);
    struct dirent *e;
    while (v && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 ||
            strcmp(e->d_name + len - 5, ".yaml"))
            continue;
        if (*n == cap) {
            char **t = realloc(v, 2 * cap * sizeof *v);
            if (!t)
                break;
            v = t;
            cap *= 2;
        }
        size_t need = strlen(dir) + len + 2;
        v[*n] = malloc(need);
        if (!v[*n])
            break;
        snprintf(v[*n], need, "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(d);
    if (v)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

/* ---- formatting ---------------------------------------------------------- */

/* A value of a check in its unit, 3 significant digits. */
static void fmt_val(const gpb_claim_check *c, double x, char *buf, size_t n)
{
    const gpb_claim_metric_info *mi = &c->info;
    if (isnan(x)) {
        snprintf(buf, n, "-");
    } else if (mi->kind == GPB_QTY_MONEY) {
        cli_format_money(x, c->currency, buf, n);
    } else if (mi->kind == GPB_QTY_MONEY_PER_HOUR) {
        gpb_quantity q = {x, GPB_QTY_MONEY_PER_HOUR, c->currency};
        gpb_units_format_quantity(&q, GPB_STYLE_EN, 3, buf, n);
    } else if (!strcmp(mi->unit, "probability") ||
               !strcmp(mi->unit, "fraction")) {
        snprintf(buf, n, "%.3g", x);
    } else {
        char num[48];
        gpb_units_format_number(x, GPB_STYLE_EN, 3, num, sizeof num);
        const char *u = mi->kind == GPB_QTY_DURATION
                            ? (mi->unit[0] ? mi->unit : "h")
                            : mi->unit;
        if (!strcmp(u, "count"))
            u = "";
        snprintf(buf, n, "%s%s%s", num, *u ? " " : "", u);
    }
}

/* P as a percentage with one decimal that never contradicts the verdict:
   0.0099 is implausible, so "<1.0%", not "1.0%"; 0.9502 is pessimistic,
   so ">95.0%" (a review found both). */
static void fmt_prob(double p, char *buf, size_t n)
{
    double shown = round(1000 * p) / 10;
    if (p < GPB_CLAIM_IMPLAUSIBLE_BELOW &&
             shown >= 100 * GPB_CLAIM_IMPLAUSIBLE_BELOW)
        snprintf(buf, n, "<%.1f%%", 100 * GPB_CLAIM_IMPLAUSIBLE_BELOW);
    else if (p < GPB_CLAIM_OPTIMISTIC_BELOW &&
             shown >= 100 * GPB_CLAIM_OPTIMISTIC_BELOW)
        snprintf(buf, n, "<%.1f%%", 100 * GPB_CLAIM_OPTIMISTIC_BELOW);
    else if (p > GPB_CLAIM_PESSIMISTIC_ABOVE &&
             shown <= 100 * GPB_CLAIM_PESSIMISTIC_ABOVE)
        snprintf(buf, n, ">%.1f%%", 100 * GPB_CLAIM_PESSIMISTIC_ABOVE);
    else
        cli_format_share(p, buf, n); /* "<0.1%", ">99.9%" at the ends */
}

static void fmt_driver(const gpb_claim_check *c, char *buf, size_t n)
{
    if (!c->driver[0])
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%s (%s %+.2f)", c->driver,
                 c->driver_is_srrc ? "SRRC" : "rho", c->driver_coef);
}

/*
 * Whether the verdict rests on the claim's own figures: "no", or "yes:"
 * with the inputs the scenario declares taken from the claim and "the
 * model restates the claim" when every path ties it.
 */
static void fmt_from_claim(const gpb_claim_info *ci, const gpb_claim_check *c,
                           char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    if (!c->depends_on_claim) {
        snprintf(buf, n, "no");
        return;
    }
    len += (size_t)snprintf(buf, n, "yes:");
    for (size_t j = 0; j < ci->n_from_claim && len < n; j++)
        len += (size_t)snprintf(buf + len, n - len, "%s %s",
                                j ? "," : "", ci->from_claim[j]);
    if (c->restates && len < n)
        snprintf(buf + len, n - len, "%s the model restates the claim",
                 ci->n_from_claim ? ";" : "");
}

/* The scenario's file name without its directory. */
static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* "C13" from "C13-chatgpt-burn": the article claim a scenario claim
   checks, by the id convention of scenarios/README.md; 0 when none. */
static int article_number(const char *id)
{
    if (!id || id[0] != 'C' || id[1] < '0' || id[1] > '9')
        return 0;
    /* At most three digits: the articles have 27 claims. */
    int n = 0;
    for (const char *c = id + 1; *c >= '0' && *c <= '9' && c < id + 4; c++)
        n = n * 10 + (*c - '0');
    return n;
}

/* ---- one scenario -------------------------------------------------------- */

typedef struct checked {
    char *file;           /* as given */
    gpb_scenario *s;
    gpb_result *r;
    gpb_report_check_scenario rep; /* the claims, checked (report.h) */
    size_t n;             /* claims; c, st and err are rep's arrays */
    const gpb_claim_check *c;
    const gpb_status *st;
    const gpb_error *err;
    /* From a worker thread (check_pool), printed afterwards in order. */
    gpb_status sim_st, rep_st;
    gpb_error sim_err, rep_err;
} checked;

static void checked_free(checked *k)
{
    gpb_report_check_scenario_free(&k->rep);
    gpb_result_free(k->r);
    gpb_scenario_free(k->s);
    free(k->file);
}

/* Loads one scenario (from text when given, else the file with the --set
   values). Returns 0, or CLI_BAD_INPUT after printing why. */
static int check_load(const char *file, const char *text,
                      const check_args *a, checked *k)
{
    memset(k, 0, sizeof *k);
    k->file = strdup(file);
    if (text) {
        gpb_diagnostics *d = NULL;
        if (gpb_scenario_load_string(text, strlen(text), file, &k->s, &d)) {
            for (size_t i = 0; i < gpb_diagnostics_count(d); i++)
                cli_error_gpb(NULL, gpb_diagnostics_at(d, i));
            gpb_diagnostics_free(d);
            return CLI_BAD_INPUT;
        }
    } else if (cli_load_scenario_set(file, a->sets, &k->s) != 0) {
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

static void check_options(const check_args *a, gpb_sim_options *opt)
{
    gpb_sim_options_default(opt);
    opt->paths = a->paths;
    opt->seed = a->seed;
    opt->threads = a->threads;
}

/* The claims of a loaded and simulated scenario (the report layer's
   gpb_report_check_scenario_compute), on `threads` threads; prints
   nothing (check_print_errors does). */
static void check_claims_compute(checked *k, int threads)
{
    k->rep_st = gpb_report_check_scenario_compute(k->file, k->s, k->r, threads,
                                                  &k->rep, &k->rep_err);
    if (k->rep_st)
        return;
    k->n = k->rep.n_claims;
    k->c = k->rep.checks;
    k->st = k->rep.status;
    k->err = k->rep.errors;
}

/* Prints what could not be run or checked in scenario k, and returns the
   command's status for it. */
static int check_print_errors(const checked *k)
{
    if (k->sim_st) {
        cli_error_gpb(k->file, &k->sim_err);
        return CLI_BAD_INPUT;
    }
    if (k->rep_st) {
        cli_error_gpb(NULL, &k->rep_err);
        return k->rep_st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    int rc = CLI_OK;
    for (size_t i = 0; i < k->n; i++)
        if (k->st[i]) {
            cli_error_gpb(NULL, &k->err[i]);
            rc = CLI_BAD_INPUT;
        }
    return rc;
}

/* Checks every claim of a loaded and simulated scenario, printing each
   claim that cannot be checked. */
static int check_claims(const check_args *a, checked *k)
{
    check_claims_compute(k, a->threads);
    return check_print_errors(k);
}

/*
 * One process: the loaded scenarios simulated and checked on a pool of
 * threads, one scenario per thread at a time (each run on one thread);
 * with one thread or one scenario, one after the other with every thread
 * on each run. A run's figures do not depend on its thread count
 * (gpb_sim_run), so the output is the same either way. A check over every
 * scenario is mostly costs fixed per scenario (the plan, its inverse-CDF
 * tables, the ranks for the drivers) that one run's threads cannot share:
 * two scenarios at once keep both cores busy.
 */
typedef struct check_pool {
    const check_args *a;
    checked *ks;
    size_t nk;
    int each; /* threads of each run */
    atomic_size_t next;
} check_pool;

static void *check_worker(void *arg)
{
    check_pool *P = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&P->next, 1);
        if (i >= P->nk)
            break;
        checked *k = &P->ks[i];
        gpb_sim_options opt;
        check_options(P->a, &opt);
        opt.threads = P->each;
        k->sim_st = gpb_sim_run(k->s, &opt, &k->r, &k->sim_err);
        if (!k->sim_st)
            check_claims_compute(k, P->each);
    }
    return NULL;
}

#define CHECK_POOL_MAX 64

static void check_pool_run(const check_args *a, checked *ks, size_t nk)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = a->threads > 0 ? a->threads : cores > 0 ? (int)cores : 1;
    int workers = (size_t)threads < nk ? threads : (int)nk;
    if (workers > CHECK_POOL_MAX)
        workers = CHECK_POOL_MAX;
    check_pool P = {.a = a, .ks = ks, .nk = nk,
                    .each = workers > 1 ? 1 : a->threads};
    atomic_init(&P.next, 0);
    pthread_t tid[CHECK_POOL_MAX];
    int started = 0;
    for (int t = 1; t < workers; t++) {
        if (pthread_create(&tid[t], NULL, check_worker, &P) != 0)
            break;
        started = t;
    }
    check_worker(&P);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
}

/*
 * Under mpirun: the scenarios are handed out to the ranks one at a time;
 * each rank simulates its own, packs the results (gpb_result_pack) and
 * rank 0 unpacks them against its copy of the scenario, then checks the
 * claims. The same figures as one process: a run does not depend on
 * where it ran. Returns the command's status on every rank.
 */
static int check_spread(const check_args *a, checked *ks, size_t nk)
{
    long *mine = calloc(nk + 1, sizeof *mine);
    void **bytes = calloc(nk + 1, sizeof *bytes);
    size_t *lens_mine = calloc(nk + 1, sizeof *lens_mine), nmine = 0;
    void **bufs = calloc(nk + 1, sizeof *bufs);
    size_t *lens = calloc(nk + 1, sizeof *lens);
    gpb_status st = GPB_OK;
    gpb_error e;
    gpb_error_clear(&e);
    if (!mine || !bytes || !lens_mine || !bufs || !lens)
        st = GPB_ENOMEM;
    cli_mpi_tasks_begin((long)nk);
    for (long i; !st && (i = cli_mpi_tasks_next()) >= 0;) {
        gpb_sim_options opt;
        check_options(a, &opt);
        gpb_result *r = NULL;
        st = gpb_sim_run(ks[i].s, &opt, &r, &e);
        if (!st)
            st = gpb_result_pack(r, &bytes[nmine], &lens_mine[nmine], &e);
        gpb_result_free(r);
        if (!st)
            mine[nmine++] = i;
        else
            snprintf(e.path, sizeof e.path, "%s", ks[i].file);
    }
    /* Drain the counter so every rank leaves the loop together. */
    while (st && cli_mpi_tasks_next() >= 0)
        ;
    cli_mpi_tasks_end();
    if ((st = cli_mpi_agree(st, &e)) != GPB_OK) {
        cli_error_gpb("check", &e);
    } else if (cli_mpi_gather_tasks((long)nk, mine, nmine, bytes, lens_mine,
                                    bufs, lens)) {
        st = GPB_ENOMEM;
        cli_error("out of memory gathering the results");
    } else if (cli_mpi_root()) {
        for (size_t i = 0; i < nk && !st; i++)
            if (!bufs[i] ||
                (st = gpb_result_unpack(ks[i].s, bufs[i], lens[i], &ks[i].r,
                                        &e)))
                cli_error_gpb(ks[i].file, &e);
    }
    for (size_t i = 0; i < nmine; i++)
        gpb_free(bytes[i]);
    for (size_t i = 0; bufs && i < nk; i++)
        free(bufs[i]);
    free(mine);
    free(bytes);
    free(lens_mine);
    free(bufs);
    free(lens);
    return st == GPB_OK ? CLI_OK
           : st == GPB_ENOMEM ? CLI_INTERNAL
                              : CLI_BAD_INPUT;
}

/* ---- text ---------------------------------------------------------------- */

static void print_text(const checked *k, const check_args *a)
{
    /* Text fits 80 columns (cli_wrap); --json has every string whole. */
    cli_wrapf(2, "%s: %s", k->file, gpb_scenario_name(k->s));
    printf("  %zu paths, seed %" PRIu64 ", %s\n", gpb_result_paths(k->r),
           gpb_result_seed(k->r),
           gpb_currency_code(gpb_scenario_currency(k->s)));
    (void)a;
    if (k->n == 0)
        printf("  (no claims)\n");
    for (size_t i = 0; i < k->n; i++) {
        gpb_claim_info ci;
        gpb_scenario_claim_get(k->s, i, &ci, NULL);
        if (k->st[i]) {
            cli_wrapf(4, "\n  %s  [error] %s", ci.id, k->err[i].message);
            continue;
        }
        const gpb_claim_check *c = &k->c[i];
        char cl[128], q5[128], q50[128], q95[128], p[32], drv[256];
        fmt_val(c, c->claimed, cl, sizeof cl);
        fmt_val(c, c->p5, q5, sizeof q5);
        fmt_val(c, c->p50, q50, sizeof q50);
        fmt_val(c, c->p95, q95, sizeof q95);
        fmt_prob(c->p_favourable, p, sizeof p);
        fmt_driver(c, drv, sizeof drv);
        cli_wrapf(4, "\n  %s  [%s]%s%s", ci.id,
                  gpb_claim_verdict_name(c->verdict), ci.source ? "  " : "",
                  ci.source ? ci.source : "");
        if (ci.says)
            cli_wrapf(5, "    \"%s\"", ci.says);
        cli_wrapf(6, "    %s: claimed %s (%s); model P5 %s, P50 %s, P95 %s",
                  ci.metric, cl, ci.text ? ci.text : "no figure", q5, q50,
                  q95);
        if (ci.context)
            cli_wrapf(6, "    not checked: %s", ci.context);
        else
            cli_wrapf(6, "    P(at least as favourable) %s, %s is "
                      "favourable; driver %s",
                      p,
                      c->info.direction == GPB_CLAIM_LOWER_IS_FAVOURABLE
                          ? "lower"
                          : "higher",
                      drv);
        char from[512];
        fmt_from_claim(&ci, c, from, sizeof from);
        cli_wrapf(6, "    depends on the claim: %s", from);
        /* The scenario's reason for this reading and verdict, as the
           Markdown and JSON give it: a verdict an investor may dispute
           is read with it. */
        if (ci.why)
            cli_wrapf(6, "    why: %s", ci.why);
        if (!isnan(c->finished_frac) && c->finished_frac < 0.999)
            cli_wrapf(6, "    the run finished on %.1f%% of paths (an "
                      "unfinished run's figures are lower bounds)",
                      100 * c->finished_frac);
        if (!isnan(c->implied_mfu))
            cli_wrapf(6, "    the claimed GPU time implies MFU %.2f",
                      c->implied_mfu);
    }
    printf("\n");
}

/* ---- Markdown (docs/claims.md) ------------------------------------------ */

/* Copies s into buf of size n without its trailing white space. */
static void trim_copy(char *buf, const char *s, size_t n)
{
    snprintf(buf, n, "%s", s);
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\n' ||
                   buf[len - 1] == '\r' || buf[len - 1] == '\t'))
        buf[--len] = 0;
}

/* Markdown table cells must not hold '|' or newlines. */
static void md_cell(const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', stdout);
        else
            fputc(*s, stdout);
    }
}

static void md_row(const checked *k, size_t i, int with_scenario)
{
    gpb_claim_info ci;
    gpb_scenario_claim_get(k->s, i, &ci, NULL);
    fputs("| ", stdout);
    md_cell(ci.id);
    if (with_scenario) {
        fputs(" | ", stdout);
        md_cell(base_name(k->file));
    }
    fputs(" | `", stdout);
    md_cell(ci.metric);
    fputs("` | ", stdout);
    if (k->st[i]) {
        fputs("error: ", stdout);
        md_cell(k->err[i].message);
        fputs(" | | | | | | |\n", stdout);
        return;
    }
    const gpb_claim_check *c = &k->c[i];
    char cl[128], q5[128], q50[128], q95[128], p[32];
    fmt_val(c, c->claimed, cl, sizeof cl);
    fmt_val(c, c->p5, q5, sizeof q5);
    fmt_val(c, c->p50, q50, sizeof q50);
    fmt_val(c, c->p95, q95, sizeof q95);
    fmt_prob(c->p_favourable, p, sizeof p);
    md_cell(cl);
    printf(" | %s | %s | %s | ", q5, q50, q95);
    if (ci.context)
        fputs("— | *context* | ", stdout);
    else
        printf("%s (%s) | **%s** | ", p,
               c->info.direction == GPB_CLAIM_LOWER_IS_FAVOURABLE ? "≤"
                                                                  : "≥",
               gpb_claim_verdict_name(c->verdict));
    /* Whether the verdict rests on the claim's own figures. */
    if (!c->depends_on_claim) {
        fputs("no", stdout);
    } else {
        fputs("**yes**:", stdout);
        for (size_t j = 0; j < ci.n_from_claim; j++) {
            printf("%s `", j ? "," : "");
            md_cell(ci.from_claim[j]);
            fputs("`", stdout);
        }
        if (c->restates)
            printf("%s restates", ci.n_from_claim ? ";" : "");
    }
    fputs(" |\n", stdout);
}

static void print_readme(const char *dir)
{
    if (!dir)
        return;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/README.md", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    fputc('\n', stdout);
}

static void print_markdown(const checked *ks, size_t n, const check_args *a,
                           const char *dir)
{
    printf("<!-- Generated by `gpubudget check --markdown --paths %zu "
           "--seed %" PRIu64 "`.\n     Do not edit: tests/test_check.sh "
           "fails when this file differs. -->\n\n",
           a->paths, a->seed);
    printf("# The articles' claims, checked\n\n");
    print_readme(dir);
    printf("## Method\n\n"
           "Each scenario is simulated with %zu paths (seed %" PRIu64 "). "
           "For each claim, *P* is the share of paths at least as "
           "favourable as the claim (≤ when lower is favourable, ≥ when "
           "higher is; a path equal to the claim within one part in a "
           "million counts half). The verdict is **implausible** when "
           "P < %g%%, **optimistic** when P < %g%%, **pessimistic** when "
           "P > %g%% and **consistent** otherwise "
           "(`gpubudget/claims.h`). Figures are rounded to three "
           "significant digits; the driver is the uncertain input with the "
           "largest standardised rank regression coefficient (SRRC) on the "
           "metric, or Spearman's ρ for an expression.\n\n"
           "A claim marked *context* is shown, not judged: its scenario "
           "says why (no input independent of the claim, or a reading the "
           "model cannot represent), and it has no P. The last column says "
           "whether the verdict rests on a figure taken from the claim "
           "itself: the inputs its scenario declares under `from_claim`, "
           "or *restates* when the model returns the claim's own figure "
           "on every path, so that the check cannot fail "
           "(`docs/check.md`).\n\n",
           a->paths, a->seed, 100 * GPB_CLAIM_IMPLAUSIBLE_BELOW,
           100 * GPB_CLAIM_OPTIMISTIC_BELOW, 100 * GPB_CLAIM_PESSIMISTIC_ABOVE);

    /* By article claim: C1 ... C27, then claims without a number. */
    printf("## By article claim\n\n"
           "| claim | scenario | metric | claimed | P5 | P50 | P95 | P | "
           "verdict | from the claim |\n"
           "|---|---|---|---|---|---|---|---|---|---|\n");
    for (int num = 1; num <= 100; num++)
        for (size_t k = 0; k < n; k++)
            for (size_t i = 0; i < ks[k].n; i++) {
                gpb_claim_info ci;
                gpb_scenario_claim_get(ks[k].s, i, &ci, NULL);
                if (article_number(ci.id) == num)
                    md_row(&ks[k], i, 1);
            }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < ks[k].n; i++) {
            gpb_claim_info ci;
            gpb_scenario_claim_get(ks[k].s, i, &ci, NULL);
            if (article_number(ci.id) == 0)
                md_row(&ks[k], i, 1);
        }
    printf("\n## By scenario\n");
    for (size_t k = 0; k < n; k++) {
        const checked *x = &ks[k];
        printf("\n### %s\n\n`scenarios/%s`", gpb_scenario_name(x->s),
               base_name(x->file));
        const char *d = gpb_scenario_description(x->s);
        if (d) {
            /* Folded YAML text ends in a newline: drop trailing space. */
            char buf[2048];
            trim_copy(buf, d, sizeof buf);
            fputs(": ", stdout);
            md_cell(buf);
        }
        printf("\n\nSources:\n\n");
        for (size_t i = 0; i < gpb_scenario_source_count(x->s); i++) {
            gpb_source_info si;
            gpb_scenario_source_get(x->s, i, &si, NULL);
            printf("- `%s`", si.id);
            if (si.title)
                printf(" %s", si.title);
            if (si.outlet || si.date)
                printf(" (%s%s%s)", si.outlet ? si.outlet : "",
                       si.outlet && si.date ? ", " : "",
                       si.date ? si.date : "");
            if (si.quote) {
                fputs(": «", stdout);
                md_cell(si.quote);
                fputs("»", stdout);
            }
            if (si.url)
                printf(" <%s>", si.url);
            fputc('\n', stdout);
        }
        if (x->n == 0) {
            printf("\nNo claims.\n");
            continue;
        }
        printf("\n| claim | metric | claimed | P5 | P50 | P95 | P | "
               "verdict | from the claim |\n"
               "|---|---|---|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < x->n; i++)
            md_row(x, i, 0);
        printf("\n");
        for (size_t i = 0; i < x->n; i++) {
            gpb_claim_info ci;
            gpb_scenario_claim_get(x->s, i, &ci, NULL);
            printf("- **%s**", ci.id);
            if (ci.source)
                printf(" (`%s`)", ci.source);
            if (ci.says) {
                fputs(": «", stdout);
                md_cell(ci.says);
                fputs("»", stdout);
            }
            if (ci.context) {
                fputs(". Not checked: ", stdout);
                md_cell(ci.context);
            }
            if (ci.why) {
                fputs(". Why: ", stdout);
                md_cell(ci.why);
            }
            if (!x->st[i] && ci.n_from_claim) {
                printf(". Taken from the claim: ");
                for (size_t j = 0; j < ci.n_from_claim; j++)
                    printf("%s`%s`", j ? ", " : "", ci.from_claim[j]);
            }
            if (!x->st[i] && x->c[i].restates)
                printf(". The model restates the claim: every path equals "
                       "it");
            if (!x->st[i]) {
                char drv[256];
                fmt_driver(&x->c[i], drv, sizeof drv);
                printf(". Driver: %s", drv);
                if (!isnan(x->c[i].implied_mfu))
                    printf("; the claim implies MFU %.2f",
                           x->c[i].implied_mfu);
                if (!isnan(x->c[i].finished_frac) &&
                    x->c[i].finished_frac < 0.999)
                    printf("; the run finished on %.0f%% of paths",
                           100 * x->c[i].finished_frac);
            }
            printf(".\n");
        }
    }
}

/* ---- a pitch ------------------------------------------------------------- */

/* A reading's value as the user would write it: "70B", "30 days",
   "512 × H100-SXM", "$2M", "fp8". */
static void fmt_reading(const gpb_pitch *p, const gpb_pitch_reading *r,
                        char *buf, size_t n)
{
    switch (r->part) {
    case GPB_PITCH_PARAMS:
    case GPB_PITCH_ACTIVE:
    case GPB_PITCH_TOKENS:
        gpb_units_format_number(r->value, GPB_STYLE_EN, 3, buf, n);
        break;
    case GPB_PITCH_GPUS:
        snprintf(buf, n, "%.0f × %s", r->value, p->gpu ? p->gpu->name : "?");
        break;
    case GPB_PITCH_DURATION:
        snprintf(buf, n, "%.4g days", r->value / 24);
        break;
    case GPB_PITCH_BUDGET:
        cli_format_money(r->value, p->budget.currency ? p->budget.currency
                                                      : GPB_CURRENCY_USD,
                         buf, n);
        break;
    case GPB_PITCH_PRICE: {
        gpb_quantity q = {r->value, GPB_QTY_MONEY_PER_HOUR,
                          p->price.currency ? p->price.currency
                                            : GPB_CURRENCY_USD};
        gpb_units_format_quantity(&q, GPB_STYLE_EN, 3, buf, n);
        break;
    }
    case GPB_PITCH_PRECISION:
        snprintf(buf, n, "%s", gpb_precision_name((gpb_precision)r->value));
        break;
    default:
        snprintf(buf, n, "%.2f", r->value);
        break;
    }
}

/* The pitch in text, 80 columns: how it was read, what it implies, the
   model's range and the verdict of each claimed part. */
static void print_pitch_text(const check_args *a,
                             const gpb_report_check_pitch *R)
{
    const gpb_pitch *p = &R->pitch;
    const gpb_pitch_implied *im = &R->implied;
    const char *prec_origin = R->precision_origin;
    gpb_currency cur = R->currency;
    int fits = R->fits_in_memory;
    const double days[3] = {R->days_p5, R->days_p50, R->days_p95};
    const double usd[3] = {R->cost_p5, R->cost_p50, R->cost_p95};
    const gpb_claim_check *dur = R->has_duration ? &R->duration : NULL;
    const gpb_claim_check *cost = R->has_budget ? &R->budget : NULL;
    gpb_verdict overall = R->verdict;
    enum { IND = 12 };
    char b1[64], b2[64], b3[64];
    cli_wrapf(7, "pitch: %s", a->pitch);
    for (size_t i = 0; i < p->n_readings; i++) {
        const gpb_pitch_reading *r = &p->readings[i];
        fmt_reading(p, r, b1, sizeof b1);
        /* Pad the value by display width (× is one column, two bytes). */
        int pad = 15 - cli_display_width(b1);
        cli_wrapf(IND + 28, "  %-10s%-11s %s%*s \"%s\" (%s)",
                  i ? "" : "read as", gpb_claim_pitch_part_name(r->part), b1,
                  pad > 0 ? pad : 0, "", r->text, r->how);
    }
    if (p->skipped[0])
        cli_wrapf(IND + 9, "            skipped: %s", p->skipped);
    fputc('\n', stdout);
    gpb_precision def_prec = im->precision;
    gpb_hardware_gpu_default_precision(p->gpu, &def_prec, NULL);
    if (im->precision == def_prec)
        cli_wrapf(IND, "  precision %s, %s%s",
                  gpb_precision_name(im->precision), prec_origin,
                  im->precision_is_default ? " (--precision to change)" : "");
    else
        cli_wrapf(IND, "  precision %s, %s: every MFU here is of the %s peak "
                  "(published MFUs were mostly measured at %s)",
                  gpb_precision_name(im->precision), prec_origin,
                  gpb_precision_name(im->precision),
                  gpb_precision_name(def_prec));
    gpb_units_format_number(im->flops, GPB_STYLE_EN, 3, b1, sizeof b1);
    gpb_units_format_number(im->chinchilla_params, GPB_STYLE_EN, 3, b2,
                            sizeof b2);
    gpb_units_format_number(im->chinchilla_tokens, GPB_STYLE_EN, 3, b3,
                            sizeof b3);
    /* A mixture of experts: the FLOPs and Chinchilla's remark count the
       active parameters, the memory every parameter (claims.h). */
    int moe = gpb_claim_pitch_is_moe(p);
    char na[32] = "", nt[32] = "";
    if (moe) {
        gpb_units_format_number(p->active_params, GPB_STYLE_EN, 3, na,
                                sizeof na);
        gpb_units_format_number(p->params, GPB_STYLE_EN, 3, nt, sizeof nt);
        cli_wrapf(IND, "  compute   6·N·D = %s FLOPs, N the %s active "
                  "parameters of %s (a mixture of experts); %.1f tokens per "
                  "active parameter (for this compute Chinchilla, %s, fit "
                  "on dense models, is optimal at %.1f: %s parameters on %s "
                  "tokens)",
                  b1, na, nt, im->tokens_per_param, im->chinchilla->name,
                  im->optimal_tokens_per_param, b2, b3);
    } else {
        cli_wrapf(IND, "  compute   6·N·D = %s FLOPs; %.1f tokens per "
                  "parameter (for this compute Chinchilla, %s, is optimal "
                  "at %.1f: %s parameters on %s tokens)",
                  b1, im->tokens_per_param, im->chinchilla->name,
                  im->optimal_tokens_per_param, b2, b3);
    }
    cli_wrapf(IND, "  memory    the training state (16 bytes a "
              "parameter%s%s%s) needs at least %.0f %s: %s  [%s]",
              moe ? ", all " : "", nt, moe ? ": every expert is held" : "",
              im->min_gpus_memory, p->gpu->name,
              fits ? "the count holds it" : "the count does NOT hold it",
              fits ? "consistent" : "implausible");
    if (im->ref_price_is_stated) {
        cli_wrapf(IND, "  price     $%.2f per GPU-hour, stated in the pitch "
                  "(the model keeps it fixed)",
                  im->ref_price_usd);
    } else if (im->ref_price_usd > 0) {
        /* As `estimate` prints it: the source to its first ';'. */
        const char *src = p->gpu->rent_source, *semi = strchr(src, ';');
        int n = semi ? (int)(semi - src) : (int)strlen(src);
        cli_wrapf(IND, "  price     $%.2f per GPU-hour: %.*s (%s)",
                  im->ref_price_usd, n, src, p->gpu->rent_date);
        cli_wrapf(IND, "  pricing   %s ($%.2f-$%.2f)", GPB_RENT_RULE_TEXT,
                  im->price_p5_usd, im->price_p95_usd);
    }
    cli_wrapf(IND, "  model     P5 / P50 / P95: %.1f / %.1f / %.1f days%s",
              days[0], days[1], days[2], isnan(usd[1]) ? "" : ";");
    if (!isnan(usd[1])) {
        cli_format_money(usd[0], cur, b1, sizeof b1);
        cli_format_money(usd[1], cur, b2, sizeof b2);
        cli_format_money(usd[2], cur, b3, sizeof b3);
        cli_wrapf(IND, "            %s / %s / %s", b1, b2, b3);
    }
    cli_wrapf(IND, "            (MFU a PERT over published runs, the card's "
              "default %.2f the mode; rent by the pricing rule; failures as "
              "Llama 3)",
              p->gpu->default_mfu);
    if (!isnan(p->mfu))
        cli_wrapf(IND, "  MFU       the pitch states %.2f, %s (%.2f-%.2f)",
                  p->mfu, R->stated_mfu_class_text,
                  GPB_MFU_PUBLISHED_MIN, GPB_MFU_PUBLISHED_MAX);
    if (dur) {
        char pp[32];
        fmt_prob(dur->p_favourable, pp, sizeof pp);
        cli_wrapf(IND, "  duration  %.1f days needs MFU %.2f, %s (%.2f-%.2f); "
                  "P(<= %.1f days) %s  [%s]",
                  p->hours / 24, im->implied_mfu,
                  R->mfu_class_text, GPB_MFU_PUBLISHED_MIN,
                  GPB_MFU_PUBLISHED_MAX, p->hours / 24, pp,
                  im->mfu_class == GPB_MFU_IMPOSSIBLE
                      ? "implausible"
                      : gpb_claim_verdict_name(dur->verdict));
    }
    if (cost) {
        char pp[32];
        fmt_prob(cost->p_favourable, pp, sizeof pp);
        cli_format_money(p->budget.value, cur, b1, sizeof b1);
        cli_wrapf(IND, "  budget    %s; P(cost <= %s) %s  [%s]", b1, b1, pp,
                  gpb_claim_verdict_name(cost->verdict));
        if (!isnan(im->price_per_gpu_hour_usd))
            cli_wrapf(IND, "            over the claimed time that is $%.2f "
                      "per GPU-hour (the model's median $%.2f)",
                      im->price_per_gpu_hour_usd, im->ref_price_usd);
        if (!isnan(im->budget_mfu))
            cli_wrapf(IND, "            at the median price it buys the run "
                      "only at MFU %.2f or more",
                      im->budget_mfu);
    }
    printf("  verdict   %s\n", gpb_claim_verdict_name(overall));
}

static int check_pitch(const check_args *a)
{
    /* Every figure, and the document, come from the report layer
       (gpb_report_check_pitch_compute). */
    gpb_report_check_pitch_request rq;
    gpb_report_check_pitch_request_default(&rq);
    rq.pitch = a->pitch;
    rq.precision = a->precision;
    rq.sim.paths = a->paths;
    rq.sim.seed = a->seed;
    rq.sim.threads = a->threads;
    gpb_report_check_pitch R;
    gpb_error e;
    int rc = CLI_OK;
    gpb_status st = gpb_report_check_pitch_compute(&rq, &R, &e);
    if (st) {
        if (!strcmp(e.path, "claim")) {
            e.path[0] = 0;
            cli_error_gpb("--claim", &e);
        } else if (!strcmp(e.path, "precision")) {
            e.path[0] = 0;
            cli_error_gpb("--precision", &e);
        } else {
            cli_error_gpb("<pitch>", &e);
        }
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    gpb_verdict overall = R.verdict;
    if (a->out == OUT_JSON) {
        char *text = NULL;
        if (gpb_report_check_pitch_result_json(&R, &text, &e)) {
            cli_error_gpb("check", &e);
            return CLI_INTERNAL;
        }
        rc = cli_text_print(text);
    } else {
        print_pitch_text(a, &R);
    }
    if (rc)
        return rc;
    return a->strict && overall == GPB_VERDICT_IMPLAUSIBLE ? CLI_CHECK_FAILED
                                                           : CLI_OK;
}

/* ---- the command --------------------------------------------------------- */

static int parse_args(int argc, char **argv, check_args *a)
{
    gpb_sim_options d;
    gpb_sim_options_default(&d);
    a->paths = CLI_CHECK_DEFAULT_PATHS;
    a->seed = d.seed;
    a->threads = 0;
    a->out = OUT_TEXT;
    a->strict = 0;
    a->pitch = NULL;
    a->precision = NULL;
    a->sets = NULL;
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_CHECK, argc, argv);
    int c;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        switch (c) {
        case CLI_KEY_PATHS:
        case CLI_KEY_SEED:
        case CLI_KEY_THREADS:
            if (cli_parse_run_size(cli_key_name(c), p.arg, &a->paths,
                                   &a->seed, &a->threads))
                return CLI_BAD_INPUT;
            break;
        case CLI_KEY_JSON:
        case CLI_KEY_MARKDOWN: {
            int want = c == CLI_KEY_JSON ? OUT_JSON : OUT_MARKDOWN;
            if (a->out != OUT_TEXT && a->out != want) {
                /* One document on stdout: the last would silently win. */
                cli_error("check: --json and --markdown are two documents; "
                          "give one");
                return CLI_BAD_INPUT;
            }
            a->out = want;
            break;
        }
        case CLI_KEY_STRICT: a->strict = 1; break;
        case CLI_KEY_CLAIM: a->pitch = p.arg; break;
        case CLI_KEY_SET: {
            int rc = cli_sets_add(&a->sets, p.arg);
            if (rc)
                return rc;
            break;
        }
        case CLI_KEY_PRECISION: {
            gpb_precision pr;
            gpb_error e;
            if (gpb_precision_from_name(p.arg, &pr, &e)) {
                cli_error_gpb("--precision", &e);
                return CLI_BAD_INPUT;
            }
            a->precision = p.arg;
            break;
        }
        case CLI_OPT_STOP: return p.status == CLI_OK ? -1 : p.status;
        default: return cli_parser_unhandled(&p, c);
        }
    }
    return CLI_OK;
}

static int check_main(int argc, char **argv, check_args *a);

int cmd_check(int argc, char **argv)
{
    check_args a;
    memset(&a, 0, sizeof a);
    int rc = check_main(argc, argv, &a);
    free(a.sets);
    return rc;
}

static int check_main(int argc, char **argv, check_args *pa)
{
    check_args a;
    int rc = parse_args(argc, argv, &a);
    pa->sets = a.sets;
    if (rc == -1)
        return CLI_OK;
    if (rc)
        return rc;
    if (a.pitch && a.sets) {
        cli_error("check: --set changes scenario files; a pitch (--claim) "
                  "says its own figures");
        return CLI_BAD_INPUT;
    }
    if (a.precision && !a.pitch) {
        cli_error("check: --precision is for a pitch (--claim); a "
                  "scenario's runs say their own precision");
        return CLI_BAD_INPUT;
    }
    if (a.pitch) {
        if (optind < argc) {
            cli_error("check: give --claim or scenario files, not both");
            return CLI_BAD_INPUT;
        }
        if (a.out == OUT_MARKDOWN) {
            cli_error("check: --markdown is for scenario files");
            return CLI_BAD_INPUT;
        }
        return check_pitch(&a);
    }
    if (a.precision) {
        cli_error("check: --precision is for a pitch (--claim); a "
                  "scenario's run names its own precision");
        return CLI_BAD_INPUT;
    }
    char **files = NULL;
    size_t nf = 0;
    const char *dir = NULL;
    if (optind < argc) {
        nf = (size_t)(argc - optind);
        files = calloc(nf, sizeof *files);
        for (size_t i = 0; files && i < nf; i++)
            files[i] = strdup(argv[optind + (int)i]);
    } else {
        dir = scenarios_dir();
        if (!dir) {
            cli_error("check: no scenarios directory found; name scenario "
                      "files or set GPB_SCENARIOS_DIR");
            return CLI_BAD_INPUT;
        }
        files = list_scenarios(dir, &nf);
        if (!files || nf == 0) {
            cli_error("check: no .yaml scenarios in %s", dir);
            free(files);
            return CLI_BAD_INPUT;
        }
    }
    if (!files) {
        cli_error("out of memory");
        return CLI_INTERNAL;
    }
    checked *ks = calloc(nf, sizeof *ks);
    if (!ks) {
        cli_error("out of memory");
        return CLI_INTERNAL;
    }
    int worst = CLI_OK, implausible = 0;
    size_t counts[GPB_VERDICT_COUNT] = {0}, from_claim = 0;
    size_t nk = 0;
    /* Loaded in order (a file that cannot be read says so here). */
    for (size_t i = 0; i < nf; i++) {
        int r = check_load(files[i], NULL, &a, &ks[nk]);
        if (r) {
            checked_free(&ks[nk]);
            worst = r;
            continue;
        }
        nk++;
    }
    if (cli_mpi_size() > 1) {
        /* Every rank loads every scenario; the simulations are spread. */
        int r = worst ? worst : check_spread(&a, ks, nk);
        if (r || !cli_mpi_root()) {
            for (size_t k = 0; k < nk; k++)
                checked_free(&ks[k]);
            free(ks);
            for (size_t i = 0; i < nf; i++)
                free(files[i]);
            free(files);
            return r;
        }
        for (size_t k = 0; k < nk; k++) {
            int cr = check_claims(&a, &ks[k]);
            if (cr && !worst)
                worst = cr;
        }
    } else {
        /* Run and checked on the pool; what failed printed in order, and
           a scenario that could not run dropped. */
        check_pool_run(&a, ks, nk);
        size_t kept = 0;
        for (size_t k = 0; k < nk; k++) {
            int r = check_print_errors(&ks[k]);
            if (!ks[k].r) {
                checked_free(&ks[k]);
                worst = r ? r : CLI_BAD_INPUT;
                continue;
            }
            if (r && !worst)
                worst = r;
            if (kept != k)
                ks[kept] = ks[k];
            kept++;
        }
        nk = kept;
    }
    for (size_t k = 0; k < nk; k++)
        for (size_t j = 0; j < ks[k].n; j++)
            if (!ks[k].st[j]) {
                counts[ks[k].c[j].verdict]++;
                from_claim += ks[k].c[j].depends_on_claim != 0;
                implausible |= ks[k].c[j].verdict == GPB_VERDICT_IMPLAUSIBLE;
            }
    if (a.out == OUT_TEXT) {
        for (size_t k = 0; k < nk; k++)
            print_text(&ks[k], &a);
        cli_wrapf(0, "%zu consistent, %zu optimistic, %zu pessimistic, "
                  "%zu implausible, %zu context; %zu depend on the claim's "
                  "own figures",
               counts[GPB_VERDICT_CONSISTENT], counts[GPB_VERDICT_OPTIMISTIC],
               counts[GPB_VERDICT_PESSIMISTIC],
               counts[GPB_VERDICT_IMPLAUSIBLE], counts[GPB_VERDICT_CONTEXT],
               from_claim);
    } else if (a.out == OUT_JSON) {
        /* The document is the report layer's, over the checked
           scenarios in order. */
        gpb_report_check_scenario *reps =
            calloc(nk ? nk : 1, sizeof *reps);
        char *text = NULL;
        gpb_error e;
        int jr;
        for (size_t k = 0; reps && k < nk; k++)
            reps[k] = ks[k].rep;
        if (!reps) {
            cli_error("out of memory");
            jr = CLI_INTERNAL;
        } else if (gpb_report_check_json(reps, nk, &text, &e)) {
            cli_error_gpb("check", &e);
            jr = CLI_INTERNAL;
        } else {
            jr = cli_text_print(text);
        }
        free(reps);
        if (jr && !worst)
            worst = jr;
    } else {
        print_markdown(ks, nk, &a, dir);
    }
    for (size_t k = 0; k < nk; k++)
        checked_free(&ks[k]);
    free(ks);
    for (size_t i = 0; i < nf; i++)
        free(files[i]);
    free(files);
    if (worst)
        return worst;
    return a.strict && implausible ? CLI_CHECK_FAILED : CLI_OK;
}
