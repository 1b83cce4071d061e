/*
 * gpubudget raise SCENARIO --target T --vary KEY: goal seek. The value of
 * KEY at which the statistic of T meets its bound, found by GSL's Brent
 * root finder on stat(x) − bound. Every trial runs the same paths and
 * seed (common random numbers), so the statistic moves with KEY alone: a
 * monotone step function whose step is where the target starts to hold.
 * Its Monte Carlo uncertainty: the values of KEY where the statistic
 * crosses the bound ± 1.96 of its standard error at the answer.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_mpi.h"
#include "cli_seek.h"

typedef enum stat_kind { ST_POUT, ST_MEAN, ST_QUANTILE } stat_kind;

typedef struct seek {
    const cli_seek_args *a;
    gpb_qty_kind kind;
    gpb_currency currency;
    stat_kind sk;
    char metric[300];
    double level;   /* the quantile's level */
    int le;         /* 1: the statistic must be at most the bound */
    double bound;   /* in the result's units (money: its currency) */
    double shift;   /* added to the bound for the uncertainty's ends */
    int trials;
    gpb_status st;  /* the first failure of a trial */
    gpb_error err;
    double last_se; /* the standard error at the last trial */
    int whole;      /* the key takes whole numbers only (GPUs, months) */
} seek;

/* Parses "p_out_of_cash<=0.1", "cash.min.p50>=0", "spend.total.mean<=$80M". */
static int parse_target(const char *t, seek *k)
{
    const char *op = strpbrk(t, "<>");
    if (!op || op == t) {
        cli_error("--target '%s': expected STAT<=VALUE or STAT>=VALUE, e.g. "
                  "'p_out_of_cash<=0.1'", t);
        return CLI_BAD_INPUT;
    }
    k->le = *op == '<';
    const char *val = op + 1 + (op[1] == '=');
    char stat[300];
    size_t n = (size_t)(op - t);
    while (n && t[n - 1] == ' ')
        n--;
    if (n >= sizeof stat) {
        cli_error("--target '%s': the statistic's name is too long", t);
        return CLI_BAD_INPUT;
    }
    memcpy(stat, t, n);
    stat[n] = 0;
    gpb_quantity q;
    gpb_error e;
    if (gpb_units_parse(val, &q, &e)) {
        cli_error("--target '%s': %s", t, e.message);
        return CLI_BAD_INPUT;
    }
    k->bound = q.value;
    k->currency = q.currency;
    if (!strcmp(stat, "p_out_of_cash")) {
        k->sk = ST_POUT;
        return CLI_OK;
    }
    char *dot = strrchr(stat, '.');
    if (!dot) {
        cli_error("--target '%s': name p_out_of_cash, METRIC.mean or "
                  "METRIC.pNN (e.g. cash.min.p50)", t);
        return CLI_BAD_INPUT;
    }
    *dot = 0;
    snprintf(k->metric, sizeof k->metric, "%s", stat);
    if (!strcmp(dot + 1, "mean")) {
        k->sk = ST_MEAN;
    } else if (dot[1] == 'p' && dot[2]) {
        char *end;
        double p = strtod(dot + 2, &end);
        if (*end || !(p > 0 && p < 100)) {
            cli_error("--target '%s': a quantile is pNN with NN in (0, 100)",
                      t);
            return CLI_BAD_INPUT;
        }
        k->sk = ST_QUANTILE;
        k->level = p / 100.0;
    } else {
        cli_error("--target '%s': the statistic after the metric is mean "
                  "or pNN", t);
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

/* The statistic of one trial with KEY = x. */
static double trial(double x, void *ctx)
{
    seek *k = ctx;
    if (k->st)
        return NAN;
    const cli_seek_args *a = k->a;
    gpb_quantity q = {x, k->kind, k->currency};
    char val[128], *sets = NULL;
    if (gpb_units_format_quantity(&q, GPB_STYLE_EN, 17, val, sizeof val) >=
        (int)sizeof val)
        snprintf(val, sizeof val, "%.17g", x);
    size_t n = (a->sets ? strlen(a->sets) : 0) + strlen(a->key) +
               strlen(val) + 4;
    sets = malloc(n);
    if (!sets) {
        k->st = GPB_ENOMEM;
        return NAN;
    }
    snprintf(sets, n, "%s%s%s=%s", a->sets ? a->sets : "",
             a->sets ? "; " : "", a->key, val);
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    gpb_status st = a->scenario
                        ? gpb_scenario_load_file_with_overrides(a->scenario,
                                                                sets, &s, &d)
                        : gpb_scenario_load_string_with_overrides(
                              gpb_scenario_default_text(),
                              strlen(gpb_scenario_default_text()),
                              "<default>", sets, &s, &d);
    free(sets);
    if (st) {
        k->st = st;
        if (gpb_diagnostics_count(d))
            k->err = *gpb_diagnostics_at(d, 0);
        gpb_diagnostics_free(d);
        return NAN;
    }
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    o.paths = a->paths;
    o.seed = a->seed;
    o.threads = a->threads;
    o.quasi_random = a->quasi;
    gpb_result *r = NULL;
    double v = NAN;
    st = cli_mpi_sim_run(s, &o, &r, &k->err);
    /* Rank 0 computes the statistic and tells the others, so that every
       rank takes the same next step. */
    if (!st && cli_mpi_root()) {
        int H = gpb_result_horizon_months(r);
        int m = a->months > 0 && a->months <= H ? a->months : H;
        if (k->sk == ST_POUT) {
            v = gpb_result_prob_out_of_cash_by(r, m - 1);
            k->last_se = sqrt(v * (1 - v) / (double)gpb_result_paths(r));
        } else if (k->sk == ST_MEAN) {
            st = gpb_result_mean(r, k->metric, &v, &k->last_se, &k->err);
        } else {
            double lo, hi;
            st = gpb_result_quantile(r, k->metric, k->level, &v, &k->err);
            if (!st &&
                !gpb_result_quantile_ci(r, k->metric, k->level, 0.95, &lo,
                                        &hi, NULL))
                k->last_se = (hi - lo) / (2 * 1.96);
        }
    }
    st = cli_mpi_agree(st, &k->err);
    cli_mpi_share_double(&v);
    cli_mpi_share_double(&k->last_se);
    gpb_result_free(r);
    gpb_scenario_free(s);
    k->trials++;
    if (st) {
        k->st = st;
        return NAN;
    }
    return v - (k->bound + k->shift);
}

/* 1 when the target holds at a trial's value f (statistic − bound):
   at most the bound for <=, at least it for >= (met exactly counts). */
static int holds(const seek *k, double f) { return k->le ? f <= 0 : f >= 0; }

/* Brent's method on [lo, hi] (f(lo) and f(hi) of opposite signs) to an
   interval of width tol; returns the end where the target holds. */
static double solve(seek *k, double lo, double hi, double tol)
{
    if (k->whole) {
        /* Whole numbers: bisection to two neighbours; the one where the
           target holds. */
        int holds_lo = holds(k, trial(lo, k));
        while (hi - lo > 1 && !k->st) {
            double mid = floor(lo + (hi - lo) / 2);
            if (holds(k, trial(mid, k)) == holds_lo)
                lo = mid;
            else
                hi = mid;
        }
        return holds_lo ? lo : hi;
    }
    gsl_function F = {trial, k};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN;
    double flo = trial(lo, k);
    gsl_root_fsolver_set(s, &F, lo, hi);
    for (int it = 0; it < 60 && !k->st; it++) {
        if (gsl_root_fsolver_iterate(s))
            break;
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (b - a <= tol)
            break;
    }
    double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
    gsl_root_fsolver_free(s);
    /* The statistic is a step function: return the end of the final
       bracket on the side where the target holds. */
    return holds(k, flo) ? a : b;
}

int cli_goal_seek(const cli_seek_args *a)
{
    seek k;
    memset(&k, 0, sizeof k);
    k.a = a;
    int rc = parse_target(a->target, &k);
    if (rc)
        return rc;
    /* The key's units, and where to look. */
    gpb_scenario *s0 = NULL;
    if (cli_load_scenario_set(a->scenario, a->sets, &s0))
        return CLI_BAD_INPUT;
    long idx = gpb_scenario_input_find(s0, a->key);
    if (idx < 0) {
        cli_error("--vary '%s': not a number of the scenario (a key path "
                  "such as 'company.funding[0].amount'; the inputs are "
                  "listed by 'gpubudget run --json')",
                  a->key);
        gpb_scenario_free(s0);
        return CLI_BAD_INPUT;
    }
    k.kind = gpb_scenario_input_kind(s0, (size_t)idx);
    gpb_input_domain dom = gpb_scenario_input_domain(s0, (size_t)idx);
    k.whole = dom.whole;
    gpb_currency key_cur = gpb_scenario_input_currency(s0, (size_t)idx);
    double m0 = gpb_dist_quantile(gpb_scenario_input_dist(s0, (size_t)idx),
                                  0.5);
    gpb_currency target_cur = k.currency;
    gpb_currency result_cur = gpb_scenario_currency(s0);
    double fx = 1;
    if (target_cur != GPB_CURRENCY_NONE && target_cur != result_cur) {
        gpb_error e;
        if (gpb_report_exchange_rate(s0, target_cur, result_cur, &fx, &e)) {
            cli_error_gpb("--target", &e);
            gpb_scenario_free(s0);
            return CLI_BAD_INPUT;
        }
    }
    k.bound *= fx;
    k.currency = key_cur;
    /* Where to look: from the key's lowest value (0 where it allows less)
       to 4 × its median, inside what the key accepts (a whole number of
       GPUs from 1; an MFU in (0, 1]). */
    double lo = dom.lo > 0 ? dom.lo : 0, hi = 4 * fabs(m0) > 0 ? 4 * fabs(m0) : 1;
    if (a->range) {
        /* The ends as the key reads them, in its unit: "1 year..3 years"
           for a month key is 12..36 (it was searched in hours), and an
           end the key refuses ("$100/GPU-hour" for a salary) is refused
           rather than tried as "$100/h". */
        const char *dots = strstr(a->range, "..");
        char l[128];
        gpb_currency cl = GPB_CURRENCY_NONE, ch = GPB_CURRENCY_NONE;
        gpb_error e;
        if (!dots || (size_t)(dots - a->range) >= sizeof l) {
            cli_error("--range '%s': expected LO..HI", a->range);
            gpb_scenario_free(s0);
            return CLI_BAD_INPUT;
        }
        memcpy(l, a->range, (size_t)(dots - a->range));
        l[dots - a->range] = 0;
        if (gpb_scenario_input_read(s0, (size_t)idx, l, &lo, &cl, &e) ||
            gpb_scenario_input_read(s0, (size_t)idx, dots + 2, &hi, &ch,
                                    &e)) {
            char where[160];
            snprintf(where, sizeof where, "--range '%s'", a->range);
            cli_error_gpb(where, &e);
            gpb_scenario_free(s0);
            return CLI_BAD_INPUT;
        }
        /* An end with no currency ("0..$20M") is in the other's. */
        if (cl == GPB_CURRENCY_NONE)
            cl = ch;
        else if (ch == GPB_CURRENCY_NONE)
            ch = cl;
        if (cl != ch) {
            cli_error("--range '%s': the two ends are not in the same "
                      "currency", a->range);
            gpb_scenario_free(s0);
            return CLI_BAD_INPUT;
        }
        if (!(hi > lo)) {
            cli_error("--range '%s': HI must be above LO", a->range);
            gpb_scenario_free(s0);
            return CLI_BAD_INPUT;
        }
        k.currency = cl; /* none named: the scenario's, as before */
    }
    gpb_scenario_free(s0);
    /* Inside what the key accepts: an excluded end is stepped in from by
       a thousandth of the range, whole numbers rounded inwards. */
    double span = (isfinite(dom.hi) ? fmin(hi, dom.hi) : hi) -
                  (isfinite(dom.lo) ? fmax(lo, dom.lo) : lo);
    if (lo < dom.lo || (dom.lo_open && lo <= dom.lo))
        lo = dom.lo_open ? dom.lo + 1e-3 * span : dom.lo;
    if (hi > dom.hi || (dom.hi_open && hi >= dom.hi))
        hi = dom.hi_open ? dom.hi - 1e-3 * span : dom.hi;
    if (k.whole) {
        lo = ceil(lo);
        hi = floor(hi);
    }
    if (!(hi > lo)) {
        cli_error("%s%s: %s takes values from %g to %g%s, and the range "
                  "searched has none but one",
                  a->range ? "--range " : "--vary ",
                  a->range ? a->range : a->key, a->key, dom.lo, dom.hi,
                  k.whole ? " (whole numbers)" : "");
        return CLI_BAD_INPUT;
    }
    /* Bracket: the target holds at one end and not at the other; without
       --range, widen upwards (at most ten doublings). */
    double flo = trial(lo, &k), fhi = trial(hi, &k);
    for (int i = 0; !a->range && i < 10 && !k.st && !isnan(flo) &&
                    !isnan(fhi) && holds(&k, flo) == holds(&k, fhi);
         i++) {
        double next = hi * 2 < dom.hi ? hi * 2 : dom.hi;
        if (dom.hi_open && next >= dom.hi)
            next = hi + (dom.hi - hi) / 2;
        if (k.whole)
            next = floor(next);
        if (!(next > hi))
            break; /* the key's largest value */
        hi = next;
        fhi = trial(hi, &k);
    }
    if (k.st) {
        if (cli_mpi_root())
            cli_error_gpb("trial", &k.err);
        return k.st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    if (holds(&k, flo) == holds(&k, fhi) || isnan(flo) || isnan(fhi)) {
        gpb_quantity ql = {lo, k.kind, k.currency}, qh = {hi, k.kind,
                                                          k.currency};
        char bl[64], bh[64];
        gpb_units_format_quantity(&ql, GPB_STYLE_EN, 4, bl, sizeof bl);
        gpb_units_format_quantity(&qh, GPB_STYLE_EN, 4, bh, sizeof bh);
        cli_error("--target '%s': it does not change from unmet to met "
                  "between %s = %s and %s; give --range LO..HI where it does",
                  a->target, a->key, bl, bh);
        return CLI_BAD_INPUT;
    }
    double tol = (hi - lo) * 1e-4;
    double x = solve(&k, lo, hi, tol);
    double v = trial(x, &k) + k.bound, se = k.last_se;
    /* The answer's Monte Carlo range: where the statistic crosses the
       bound ± 1.96 standard errors (each found on the same paths). */
    double xr[2] = {NAN, NAN};
    for (int j = 0; j < 2 && se > 0 && !k.st; j++) {
        k.shift = (j ? 1.96 : -1.96) * se;
        double f1 = trial(lo, &k), f2 = trial(hi, &k);
        xr[j] = holds(&k, f1) != holds(&k, f2) ? solve(&k, lo, hi, tol) : NAN;
    }
    k.shift = 0;
    if (k.st) {
        cli_error_gpb("trial", &k.err);
        return k.st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    if (!cli_mpi_root())
        return CLI_OK;
    /* An end not found means the statistic does not reach the shifted
       bound inside [lo, hi]: that end lies beyond the range searched, on
       the far side of x from the end that was found. */
    double r0, r1;
    if (isfinite(xr[0]) && isfinite(xr[1])) {
        r0 = fmin(xr[0], xr[1]);
        r1 = fmax(xr[0], xr[1]);
    } else if (isfinite(xr[0]) || isfinite(xr[1])) {
        double f = isfinite(xr[0]) ? xr[0] : xr[1];
        r0 = f <= x ? f : -INFINITY;
        r1 = f <= x ? INFINITY : f;
    } else {
        r0 = -INFINITY;
        r1 = INFINITY;
    }
    gpb_quantity qx = {x, k.kind, k.currency}, q0 = qx, q1 = qx;
    q0.value = r0;
    q1.value = r1;
    char bx[64], b0[64], b1[64];
    gpb_units_format_quantity(&qx, GPB_STYLE_EN, 4, bx, sizeof bx);
    gpb_units_format_quantity(&q0, GPB_STYLE_EN, 4, b0, sizeof b0);
    gpb_units_format_quantity(&q1, GPB_STYLE_EN, 4, b1, sizeof b1);
    if (a->json) {
        json_t *o = json_object();
        json_object_set_new(o, "target", json_string(a->target));
        json_object_set_new(o, "vary", json_string(a->key));
        json_object_set_new(o, "value", json_real(x));
        json_object_set_new(o, "value_text", json_string(bx));
        json_object_set_new(o, "statistic", json_real(v));
        json_object_set_new(o, "statistic_std_error", json_real(se));
        /* null for an end beyond the range searched (see "range"). */
        json_t *iv = json_array();
        json_array_append_new(iv, isfinite(r0) ? json_real(r0) : json_null());
        json_array_append_new(iv, isfinite(r1) ? json_real(r1) : json_null());
        json_object_set_new(o, "interval", iv);
        json_object_set_new(o, "range", json_pack("[f,f]", lo, hi));
        json_object_set_new(o, "trials", json_integer(k.trials));
        json_object_set_new(o, "paths", json_integer((json_int_t)a->paths));
        json_object_set_new(o, "seed", json_integer((json_int_t)a->seed));
        return cli_json_print(o);
    }
    printf("goal: %s, by changing %s\n", a->target, a->key);
    printf("  %s = %s  (the statistic there: %.4g ± %.2g)\n", a->key, bx, v,
           se);
    gpb_quantity ql = qx, qh = qx;
    ql.value = lo;
    qh.value = hi;
    char bl[64], bh[64];
    gpb_units_format_quantity(&ql, GPB_STYLE_EN, 4, bl, sizeof bl);
    gpb_units_format_quantity(&qh, GPB_STYLE_EN, 4, bh, sizeof bh);
    if (isfinite(r0) && isfinite(r1))
        printf("  within its Monte Carlo error (±1.96 s.e.): %s to %s\n", b0,
               b1);
    else if (isfinite(r0))
        printf("  within its Monte Carlo error (±1.96 s.e.): %s to more "
               "than %s (the statistic does not reach the stricter bound "
               "below %s)\n", b0, bh, bh);
    else if (isfinite(r1))
        printf("  within its Monte Carlo error (±1.96 s.e.): less than %s "
               "to %s\n", bl, b1);
    else
        printf("  its Monte Carlo error reaches past the range searched "
               "(%s to %s)\n", bl, bh);
    printf("  %d trials of %zu paths, seed %llu, the same paths in each\n",
           k.trials, a->paths, (unsigned long long)a->seed);
    return CLI_OK;
}
