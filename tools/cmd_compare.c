/*
 * gpubudget compare A.yaml [B.yaml]: two plans on common random numbers
 * (the documents are the library's: gpb_report_compare_*).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_mpi.h"

typedef struct compare_args {
    const char *file[2];
    char *sets, *set_ab[2];
    size_t paths;
    uint64_t seed;
    int threads, quasi, json, quiet;
    gpb_currency currency;
    const char *html, *xlsx;
} compare_args;

static int parse(int argc, char **argv, compare_args *a)
{
    gpb_sim_options d;
    gpb_sim_options_default(&d);
    a->paths = d.paths;
    a->seed = d.seed;
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_COMPARE, argc, argv);
    int c, rc;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_STOP:
            return p.status == CLI_OK ? -1 : p.status;
        case CLI_KEY_SET:
            if ((rc = cli_sets_add(&a->sets, p.arg)))
                return rc;
            break;
        case CLI_KEY_SET_A:
        case CLI_KEY_SET_B:
            if ((rc = cli_sets_add(&a->set_ab[c == CLI_KEY_SET_B], p.arg)))
                return rc;
            break;
        case CLI_KEY_PATHS:
        case CLI_KEY_SEED:
        case CLI_KEY_THREADS:
            if (cli_parse_run_size(cli_key_name(c), p.arg, &a->paths,
                                   &a->seed, &a->threads))
                return CLI_BAD_INPUT;
            break;
        case CLI_KEY_QMC: a->quasi = 1; break;
        case CLI_KEY_JSON: a->json = 1; break;
        case CLI_KEY_QUIET: a->quiet = 1; break;
        case CLI_KEY_HTML: a->html = p.arg; break;
        case CLI_KEY_XLSX: a->xlsx = p.arg; break;
        case CLI_KEY_CURRENCY: {
            gpb_error e;
            if (gpb_currency_from_code(p.arg, &a->currency, &e) != GPB_OK ||
                a->currency == GPB_CURRENCY_NONE) {
                cli_error("--currency '%s': expected USD, CNY or EUR", p.arg);
                return CLI_BAD_INPUT;
            }
            break;
        }
        default:
            return cli_parser_unhandled(&p, c);
        }
    }
    if (optind >= argc || argc - optind > 2) {
        cli_error("compare: give one or two scenario files (see 'gpubudget "
                  "compare --help')");
        return CLI_BAD_INPUT;
    }
    a->file[0] = argv[optind];
    a->file[1] = argc - optind == 2 ? argv[optind + 1] : argv[optind];
    if (argc - optind == 1 && !a->set_ab[0] && !a->set_ab[1]) {
        cli_error("compare: with one file, --set-a and/or --set-b make the "
                  "two plans different");
        return CLI_BAD_INPUT;
    }
    /* An output over a scenario (--html B.yaml replaced the plan: a user
       review), or two outputs one file. */
    static const char *const opts[] = {"--html", "--xlsx"};
    const char *outs[] = {a->html, a->xlsx};
    return cli_check_outputs(a->file, 2, opts, outs, 2);
}

/* The overrides of one side: the shared --set values, then its own. */
static char *side_sets(const compare_args *a, int k)
{
    size_t n = (a->sets ? strlen(a->sets) : 0) +
               (a->set_ab[k] ? strlen(a->set_ab[k]) : 0) + 3;
    char *s = malloc(n);
    if (!s)
        return NULL;
    snprintf(s, n, "%s%s%s", a->sets ? a->sets : "",
             a->sets && a->set_ab[k] ? "; " : "",
             a->set_ab[k] ? a->set_ab[k] : "");
    return s;
}

static int write_doc(const char *path, gpb_status st, char *text,
                     const gpb_error *e)
{
    if (st) {
        cli_error_gpb(path, e);
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    int rc = cli_write_file(path, text, 1) ? CLI_BAD_INPUT : CLI_OK;
    gpb_free(text);
    return rc;
}

/* The table of the library's comparison document (gpb_report_compare_json),
   so the text and the JSON cannot disagree. */
static int print_table(const gpb_compare_in *in, const char *doc_text)
{
    static const char *const names[] = {
        "spend.total", "income.total", "cash.end", "cash.min",
        "runway_months", "out_of_cash", "gpu_hours"};
    json_error_t je;
    json_t *doc = json_loads(doc_text, 0, &je);
    gpb_currency cur;
    if (!doc || gpb_currency_from_code(json_string_value(json_object_get(
                                           doc, "currency")),
                                       &cur, NULL) != GPB_OK) {
        json_decref(doc);
        cli_error("compare: the library's document could not be read");
        return CLI_INTERNAL;
    }
    printf("A: %s  (%s)\nB: %s  (%s)\n", gpb_scenario_name(in->sa),
           in->label_a, gpb_scenario_name(in->sb), in->label_b);
    printf("%zu paths, seed %llu, common random numbers; money in %s\n\n",
           gpb_result_paths(in->ra),
           (unsigned long long)gpb_result_seed(in->ra),
           gpb_currency_code(cur));
    printf("  %-16s %11s %11s %11s %9s %9s\n", "", "A P50", "B P50",
           "A-B P50", "P(A<B)", "P(A>B)");
    json_t *ms = json_object_get(doc, "metrics");
    int any_prob = 0, any_cens = 0;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        size_t j;
        json_t *m, *row = NULL;
        json_array_foreach(ms, j, m)
        {
            if (!strcmp(json_string_value(json_object_get(m, "name")),
                        names[k]))
                row = m;
        }
        if (!row)
            continue;
        int money = !strcmp(json_string_value(json_object_get(row, "unit")),
                            gpb_currency_code(cur));
        const char *unit = json_string_value(json_object_get(row, "unit"));
        /* A probability's P50 is that of a yes/no, 0 or 1: its mean (the
           share of paths) is the figure (a review found P(out of cash)
           11% and 23% shown as 0.0% and 0.0%). */
        int prob = unit && !strcmp(unit, "probability");
        const char *stat = prob ? "mean" : "p50";
        any_prob |= prob;
        double v[3] = {
            json_number_value(json_object_get(json_object_get(row, "a"), stat)),
            json_number_value(json_object_get(json_object_get(row, "b"), stat)),
            json_number_value(
                json_object_get(json_object_get(row, "a_minus_b"), stat))};
        char b[3][48];
        for (int i = 0; i < 3; i++)
            cli_format_value(v[i], unit, money, cur, b[i], sizeof b[i]);
        /* A censored P50 (a runway that lasts the horizon) says so. */
        for (int i = 0; i < 2; i++) {
            double cens = gpb_result_censored_at(i ? in->rb : in->ra,
                                                 names[k]);
            any_cens |= cli_format_censored(v[i], cens, b[i], sizeof b[i]);
        }
        char label[40];
        snprintf(label, sizeof label, "%s%s", names[k], prob ? " *" : "");
        printf("  %-16s ", label);
        for (int i = 0; i < 3; i++) {
            cli_print_right(b[i], 11);
            fputc(' ', stdout);
        }
        printf("%8.1f%% %8.1f%%\n",
               100 * json_number_value(json_object_get(row, "p_a_lower")),
               100 * json_number_value(json_object_get(row, "p_a_higher")));
    }
    if (any_prob)
        printf("  * a probability: the share of paths (mean), not a P50 "
               "of 0 or 1\n");
    if (any_cens)
        printf("  ≥: the cash lasts the horizon on most paths (runway is "
               "censored)\n");
    printf("\n  P(A spends less) = %.1f%%; P(A's cash lasts longer) = "
           "%.1f%% (the same runway: %.1f%%)\n",
           100 * json_number_value(json_object_get(doc, "p_a_spends_less")),
           100 * json_number_value(json_object_get(doc, "p_a_lasts_longer")),
           100 * json_number_value(json_object_get(doc, "p_same_runway")));
    json_decref(doc);
    return CLI_OK;
}

static int compare_main(compare_args *a)
{
    gpb_scenario *s[2] = {NULL, NULL};
    gpb_result *r[2] = {NULL, NULL};
    char *sets[2] = {side_sets(a, 0), side_sets(a, 1)};
    int rc = CLI_OK;
    if (!sets[0] || !sets[1]) {
        cli_error("out of memory");
        rc = CLI_INTERNAL;
        goto done;
    }
    for (int k = 0; k < 2; k++)
        if (cli_load_scenario_set(a->file[k], *sets[k] ? sets[k] : NULL,
                                  &s[k])) {
            rc = CLI_BAD_INPUT;
            goto done;
        }
    for (int k = 0; k < 2; k++) {
        gpb_sim_options o;
        gpb_sim_options_default(&o);
        o.paths = a->paths;
        o.seed = a->seed;
        o.threads = a->threads;
        o.quasi_random = a->quasi;
        gpb_error e;
        gpb_status st = cli_mpi_sim_run(s[k], &o, &r[k], &e);
        if (st) {
            if (cli_mpi_root())
                cli_error_gpb(k ? "plan B" : "plan A", &e);
            rc = st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
            goto done;
        }
    }
    if (!cli_mpi_root())
        goto done;
    {
        char la[512], lb[512];
        snprintf(la, sizeof la, "%s%s%s", a->file[0], *sets[0] ? " with " : "",
                 sets[0]);
        snprintf(lb, sizeof lb, "%s%s%s", a->file[1], *sets[1] ? " with " : "",
                 sets[1]);
        gpb_compare_in in = {s[0], s[1], r[0], r[1], la, lb};
        gpb_report_options ro;
        gpb_report_options_default(&ro);
        ro.currency = a->currency;
        gpb_error e;
        gpb_currency from = gpb_result_currency(r[0]);
        gpb_currency cur = a->currency ? a->currency : from;
        if (gpb_report_exchange_rate(s[0], from, cur, &ro.rate, &e)) {
            cli_error_gpb("currency", &e);
            rc = CLI_BAD_INPUT;
            goto done;
        }
        char *text = NULL;
        if (a->html) {
            gpb_status st = gpb_report_compare_html(&in, &ro, &text, &e);
            if ((rc = write_doc(a->html, st, text, &e)))
                goto done;
        }
        if (a->xlsx) {
            gpb_status st = gpb_report_compare_xlsx_write(&in, &ro, a->xlsx, &e);
            if (st) {
                cli_error_gpb("xlsx", &e);
                rc = st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
                goto done;
            }
        }
        if (a->json || !a->quiet) {
            text = NULL;
            gpb_status st = gpb_report_compare_json(&in, &ro, &text, &e);
            if (st) {
                cli_error_gpb("compare", &e);
                rc = st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
                goto done;
            }
            if (a->json) {
                fputs(text, stdout);
                fputc('\n', stdout);
            } else {
                rc = print_table(&in, text);
            }
            gpb_free(text);
        }
    }
done:
    for (int k = 0; k < 2; k++) {
        gpb_result_free(r[k]);
        gpb_scenario_free(s[k]);
        free(sets[k]);
    }
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    compare_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (rc == -1)
        rc = CLI_OK;
    else if (!rc)
        rc = compare_main(&a);
    free(a.sets);
    free(a.set_ab[0]);
    free(a.set_ab[1]);
    return rc;
}
