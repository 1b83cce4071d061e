/*
 * gpubudget estimate: FLOPs, GPU-hours, card-months, days, memory fit and
 * rental cost of one training run; or, given --days, the MFU the claim
 * implies. Every number comes from the compute and hardware layers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_estimate(int argc, char **argv)
{
    double params = NAN, tokens = NAN, gpus = NAN, mfu = NAN, days = NAN;
    double active = 0;
    const char *gpu_name = NULL, *prec_name = NULL;
    gpb_quantity price = {NAN, GPB_QTY_MONEY_PER_HOUR, GPB_CURRENCY_USD};
    int recompute = 0, json = 0, have_price = 0;
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_ESTIMATE, argc, argv);
    int c;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        const char *arg = p.arg;
        int bad = 0;
        switch (c) {
        case CLI_KEY_PARAMS:
            bad = cli_parse_number("params", arg, &params);
            break;
        case CLI_KEY_TOKENS:
            bad = cli_parse_number("tokens", arg, &tokens);
            break;
        case CLI_KEY_GPUS: bad = cli_parse_number("gpus", arg, &gpus); break;
        case CLI_KEY_MFU:
            bad = cli_parse_fraction("mfu", arg, GPB_FRAC_OPEN_LO, &mfu);
            break;
        case CLI_KEY_ACTIVE_PARAMS:
            bad = cli_parse_number("active-params", arg, &active);
            break;
        case CLI_KEY_DAYS: {
            gpb_quantity q;
            gpb_error e;
            /* A bare number means days; "3 weeks" and "720h" work too. */
            if (gpb_units_parse_as(arg, GPB_QTY_DURATION, &q, &e) == 0)
                days = q.value / 24.0;
            else
                bad = cli_parse_number("days", arg, &days);
            break;
        }
        case CLI_KEY_GPU: gpu_name = arg; break;
        case CLI_KEY_PRECISION: prec_name = arg; break;
        case CLI_KEY_PRICE:
            bad = cli_parse_qty("price", arg, GPB_QTY_MONEY_PER_HOUR,
                                &price);
            have_price = 1;
            break;
        case CLI_KEY_RECOMPUTE: recompute = 1; break;
        case CLI_KEY_JSON: json = 1; break;
        case CLI_OPT_STOP: return p.status;
        default: return cli_parser_unhandled(&p, c);
        }
        if (bad)
            return CLI_BAD_INPUT;
    }
    if (optind < argc) {
        cli_error("estimate: unexpected argument '%s'", argv[optind]);
        return CLI_BAD_INPUT;
    }
    if (isnan(params) || isnan(tokens) || !gpu_name || isnan(gpus)) {
        cli_error("estimate needs --params, --tokens, --gpu and --gpus "
                  "(see gpubudget estimate --help)");
        return CLI_BAD_INPUT;
    }
    if (!isnan(mfu) && !isnan(days)) {
        cli_error("estimate: give --mfu or --days, not both (--days asks "
                  "which MFU the duration implies)");
        return CLI_BAD_INPUT;
    }
    if (price.currency == GPB_CURRENCY_NONE)
        price.currency = GPB_CURRENCY_USD;

    gpb_error e;
    const gpb_gpu *gpu;
    if (gpb_hardware_gpu_find(gpu_name, &gpu, &e)) {
        cli_error_gpb("--gpu", &e);
        return CLI_BAD_INPUT;
    }
    gpb_precision prec;
    const char *prec_origin = prec_name ? "given" : "the card's default";
    if (prec_name ? gpb_precision_from_name(prec_name, &prec, &e)
                  : gpb_hardware_gpu_default_precision(gpu, &prec, &e)) {
        cli_error_gpb("--precision", &e);
        return CLI_BAD_INPUT;
    }
    double peak;
    if (gpb_hardware_gpu_peak_flop_per_s(gpu, prec, &peak, &e)) {
        cli_error_gpb("--precision", &e);
        return CLI_BAD_INPUT;
    }
    gpb_train_spec spec;
    gpb_train_spec_default(&spec);
    spec.params = params;
    spec.active_params = active;
    spec.tokens = tokens;
    spec.recompute = recompute ? GPB_RECOMPUTE_FULL : GPB_RECOMPUTE_NONE;
    double flops;
    if (gpb_compute_train_flops_spec(&spec, &flops, &e)) {
        cli_error_gpb("estimate", &e);
        return CLI_BAD_INPUT;
    }

    /* Utilisation: given, implied by --days, or the card's default. */
    const char *mfu_origin = "given";
    if (!isnan(days)) {
        if (gpb_compute_implied_mfu_from_days(flops, gpus, peak, days, &mfu,
                                              &e)) {
            cli_error_gpb("--days", &e);
            return CLI_BAD_INPUT;
        }
        mfu_origin = "implied by --days";
    } else if (isnan(mfu)) {
        mfu = gpu->default_mfu;
        mfu_origin = "the card's default";
    }
    gpb_mfu_class cls;
    if (gpb_compute_mfu_classify(mfu, &cls, &e)) {
        cli_error_gpb("--mfu", &e);
        return CLI_BAD_INPUT;
    }
    /* Time at that MFU; an impossible implied MFU still reports the claim's
       own duration. */
    gpb_train_time t;
    double mfu_for_time = mfu > 1 ? 1 : mfu;
    if (gpb_compute_train_time(flops, gpus, peak, mfu_for_time, &t, &e)) {
        cli_error_gpb("estimate", &e);
        return CLI_BAD_INPUT;
    }
    if (!isnan(days)) {
        /* The claim's own GPU time. */
        t.days = days;
        t.hours = days * 24;
        t.seconds = t.hours * GPB_SECONDS_PER_HOUR;
        t.gpu_hours = t.hours * gpus;
        t.card_months = t.gpu_hours / GPB_HOURS_PER_MONTH;
        t.qianka_months = t.card_months / 1000;
    }
    double mem, min_gpus;
    if (gpb_compute_train_memory_bytes(params, 0, NULL, &mem, &e) ||
        gpb_compute_min_gpus_for_memory(mem, gpu->mem_bytes, 0, &min_gpus,
                                        &e)) {
        cli_error_gpb("memory", &e);
        return CLI_BAD_INPUT;
    }
    /* The pricing rule (gpubudget/hardware.h), shared with check --claim:
       the catalog's on-demand rent is the median price. */
    const char *price_src = "given";
    gpb_rent_rule rule;
    int has_rule = gpb_hardware_gpu_rent_rule(gpu, &rule, &e) == GPB_OK;
    if (!have_price) {
        if (!has_rule) {
            cli_error("estimate: the cost needs a rental price, and the "
                      "catalog has none for %s (%s)\n  pass the price per "
                      "GPU-hour with --price, e.g. --price '$2/h' or "
                      "--price '¥12/h'",
                      gpu->name, e.message);
            return CLI_BAD_INPUT;
        }
        price.value = rule.median_usd_per_hour;
        price.currency = GPB_CURRENCY_USD;
        price_src = rule.source;
    }
    double cost;
    if (gpb_compute_rent_cost(t.gpu_hours, price.value, &cost, &e)) {
        cli_error_gpb("cost", &e);
        return CLI_BAD_INPUT;
    }
    /* The realistic answers beside the MFU used: the card's default and
       the ends of the published range (higher MFU, shorter and cheaper). */
    static const char *const row_name[] = {"default", "published_max",
                                           "published_min"};
    double row_mfu[3] = {gpu->default_mfu, GPB_MFU_PUBLISHED_MAX,
                         GPB_MFU_PUBLISHED_MIN};
    gpb_train_time row_t[3];
    double row_cost[3];
    for (int r = 0; r < 3; r++) {
        if (gpb_compute_train_time(flops, gpus, peak, row_mfu[r], &row_t[r],
                                   &e) ||
            gpb_compute_rent_cost(row_t[r].gpu_hours, price.value,
                                  &row_cost[r], &e)) {
            cli_error_gpb("estimate", &e);
            return CLI_BAD_INPUT;
        }
    }
    const gpb_chinchilla *chin = GPB_CHINCHILLA_DEFAULT;
    double opt_n, opt_d;
    if (gpb_compute_chinchilla_optimal(chin, flops, &opt_n, &opt_d, &e)) {
        cli_error_gpb("chinchilla", &e);
        return CLI_BAD_INPUT;
    }
    int claimed = !isnan(days);
    int implausible = claimed && cls >= GPB_MFU_BEYOND_PUBLISHED;

    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "params", json_real(params));
        json_object_set_new(o, "active_params",
                            json_real(active > 0 ? active : params));
        json_object_set_new(o, "tokens", json_real(tokens));
        json_object_set_new(o, "gpu", json_string(gpu->name));
        json_object_set_new(o, "gpus", json_real(gpus));
        json_object_set_new(o, "precision",
                            json_string(gpb_precision_name(prec)));
        json_object_set_new(o, "precision_origin", json_string(prec_origin));
        json_object_set_new(o, "peak_flop_per_s", json_real(peak));
        json_object_set_new(o, "flops", json_real(flops));
        json_object_set_new(o, "mfu", json_real(mfu));
        json_object_set_new(o, "mfu_origin", json_string(mfu_origin));
        json_object_set_new(o, "mfu_class",
                            json_string(gpb_compute_mfu_class_str((int)cls)));
        json_object_set_new(o, "mfu_source", json_string(gpu->mfu_source));
        json_object_set_new(o, "published_mfu_min",
                            json_real(GPB_MFU_PUBLISHED_MIN));
        json_object_set_new(o, "published_mfu_max",
                            json_real(GPB_MFU_PUBLISHED_MAX));
        if (claimed)
            json_object_set_new(o, "claim_plausible",
                                json_boolean(!implausible));
        json_object_set_new(o, "gpu_hours", json_real(t.gpu_hours));
        json_object_set_new(o, "card_months", json_real(t.card_months));
        json_object_set_new(o, "qianka_months", json_real(t.qianka_months));
        json_object_set_new(o, "days", json_real(t.days));
        json_object_set_new(o, "train_memory_bytes", json_real(mem));
        json_object_set_new(o, "min_gpus_for_memory", json_real(min_gpus));
        json_object_set_new(o, "fits_in_memory",
                            json_boolean(gpus >= min_gpus));
        json_object_set_new(o, "price_per_gpu_hour", json_real(price.value));
        json_object_set_new(o, "currency",
                            json_string(gpb_currency_code(price.currency)));
        json_object_set_new(o, "price_source", json_string(price_src));
        json_t *pr = json_object();
        json_object_set_new(pr, "rule", json_string(GPB_RENT_RULE_TEXT));
        json_object_set_new(pr, "price_origin",
                            json_string(have_price ? "given" : "catalog"));
        if (has_rule) {
            json_object_set_new(pr, "median_usd_per_hour",
                                json_real(rule.median_usd_per_hour));
            json_object_set_new(pr, "p5_usd_per_hour",
                                json_real(rule.p5_usd_per_hour));
            json_object_set_new(pr, "p95_usd_per_hour",
                                json_real(rule.p95_usd_per_hour));
            json_object_set_new(pr, "source", json_string(rule.source));
            json_object_set_new(pr, "range_source",
                                json_string(rule.range_source));
            json_object_set_new(pr, "date", json_string(rule.date));
        }
        json_object_set_new(o, "pricing", pr);
        /* rent_cost is at the MFU above (the claim's with --days). */
        json_object_set_new(o, "rent_cost", json_real(cost));
        json_t *costs = json_object();
        if (claimed) {
            json_t *cj = json_object();
            json_object_set_new(cj, "mfu", json_real(mfu));
            json_object_set_new(cj, "days", json_real(t.days));
            json_object_set_new(cj, "gpu_hours", json_real(t.gpu_hours));
            json_object_set_new(cj, "rent_cost", json_real(cost));
            json_object_set_new(costs, "claimed", cj);
        }
        for (int r = 0; r < 3; r++) {
            json_t *cj = json_object();
            json_object_set_new(cj, "mfu", json_real(row_mfu[r]));
            json_object_set_new(cj, "days", json_real(row_t[r].days));
            json_object_set_new(cj, "gpu_hours",
                                json_real(row_t[r].gpu_hours));
            json_object_set_new(cj, "rent_cost", json_real(row_cost[r]));
            json_object_set_new(costs, row_name[r], cj);
        }
        json_object_set_new(o, "costs", costs);
        json_t *ch = json_object();
        json_object_set_new(ch, "set", json_string(chin->name));
        json_object_set_new(ch, "source", json_string(chin->source));
        json_object_set_new(ch, "params", json_real(opt_n));
        json_object_set_new(ch, "tokens", json_real(opt_d));
        json_object_set_new(ch, "tokens_per_param", json_real(opt_d / opt_n));
        json_object_set_new(o, "chinchilla", ch);
        return cli_json_print(o);
    }

    char bp[32], bt[32], bf[32], bg[32], bpr[48], bn[32], bd[32];
    gpb_units_format_number(params, GPB_STYLE_EN, 3, bp, sizeof bp);
    gpb_units_format_number(tokens, GPB_STYLE_EN, 3, bt, sizeof bt);
    snprintf(bf, sizeof bf, "%.3g", flops);
    gpb_units_format_number(t.gpu_hours, GPB_STYLE_EN, 3, bg, sizeof bg);
    gpb_units_format_money(price.value, price.currency,
                           price.currency == GPB_CURRENCY_CNY ? GPB_STYLE_ZH
                                                              : GPB_STYLE_EN,
                           3, bpr, sizeof bpr);
    gpb_units_format_number(opt_n, GPB_STYLE_EN, 3, bn, sizeof bn);
    gpb_units_format_number(opt_d, GPB_STYLE_EN, 3, bd, sizeof bd);

    /* Rows are indented 15 columns under their labels. */
    enum { IND = 15 };
    cli_wrapf(2, "%s parameters on %s tokens, %.0f × %s at %s (%.0f TFLOP/s "
              "dense)\n",
              bp, bt, gpus, gpu->name, gpb_precision_name(prec), peak / 1e12);
    cli_wrapf(IND, "  compute      %s FLOP (%s·N·D%s)", bf,
              recompute ? "8" : "6",
              active > 0 ? ", N = active parameters" : "");
    gpb_precision def_prec = prec;
    gpb_hardware_gpu_default_precision(gpu, &def_prec, NULL);
    if (prec == def_prec)
        cli_wrapf(IND, "  precision    %s, %s%s", gpb_precision_name(prec),
                  prec_origin, prec_name ? "" : " (--precision to change)");
    else
        cli_wrapf(IND, "  precision    %s, %s: every MFU here is of the %s "
                  "peak (published MFUs were mostly measured at %s)",
                  gpb_precision_name(prec), prec_origin,
                  gpb_precision_name(prec), gpb_precision_name(def_prec));
    if (!strcmp(mfu_origin, "the card's default"))
        cli_wrapf(IND, "  MFU          %.3f, the card's default: %s", mfu,
                  gpu->mfu_source);
    else
        cli_wrapf(IND, "  MFU          %.3f, %s", mfu, mfu_origin);
    cli_wrapf(IND, "               %s: published large runs reach %.2f-%.2f",
              gpb_compute_mfu_class_str((int)cls), GPB_MFU_PUBLISHED_MIN,
              GPB_MFU_PUBLISHED_MAX);
    cli_wrapf(IND, "  GPU-hours    %s", bg);
    cli_wrapf(IND, "  card-months  %.1f (%.3f 千卡/月; one month = 730.5 h)",
              t.card_months, t.qianka_months);
    cli_wrapf(IND, "  wall clock   %.1f days", t.days);
    cli_wrapf(IND, "  memory       %.3g TB of model states (16 B/param, "
              "mixed-precision Adam): at least %.0f × %.0f GB; %s",
              mem / 1e12, min_gpus, gpu->mem_bytes / 1e9,
              gpus >= min_gpus ? "fits on these GPUs (before activations)"
                               : "does NOT fit on these GPUs");
    if (have_price) {
        cli_wrapf(IND, "  price        %s per GPU-hour, given", bpr);
    } else {
        /* The catalog's source up to its first ';' (the full text is in
           --json), and its date. */
        const char *semi = strchr(price_src, ';');
        int n = semi ? (int)(semi - price_src) : (int)strlen(price_src);
        cli_wrapf(IND, "  price        %s per GPU-hour: %.*s (%s)", bpr, n,
                  price_src, rule.date);
    }
    if (has_rule)
        cli_wrapf(IND, "  pricing      %s ($%.2f-$%.2f)%s", GPB_RENT_RULE_TEXT,
                  rule.p5_usd_per_hour, rule.p95_usd_per_hour,
                  have_price ? "; --price replaces it here" : "");
    /* The cost: the claim's (or the given MFU's), then the realistic. */
    char c0[48], c1[48], c2[48];
    const char *label = "rental cost  ";
    if (claimed || strcmp(mfu_origin, "the card's default")) {
        cli_format_money(cost, price.currency, c0, sizeof c0);
        cli_wrapf(IND + 12, "  %s%-12s%s in %.1f days at MFU %.2f%s", label,
                  claimed ? "as claimed" : "at --mfu", c0, t.days, mfu,
                  !claimed                   ? ""
                  : cls == GPB_MFU_IMPOSSIBLE ? ": impossible"
                  : implausible              ? ": implausible"
                                             : ", the claim's");
        label = "             ";
    }
    cli_format_money(row_cost[0], price.currency, c0, sizeof c0);
    cli_format_money(row_cost[1], price.currency, c1, sizeof c1);
    cli_format_money(row_cost[2], price.currency, c2, sizeof c2);
    cli_wrapf(IND + 12, "  %s%-12s%s in %.1f days at MFU %.2f, the card's "
              "default",
              label, "realistic", c0, row_t[0].days, row_mfu[0]);
    cli_wrapf(IND + 12, "               %-12s%s-%s in %.1f-%.1f days at MFU "
              "%.2f-%.2f",
              "published", c1, c2, row_t[1].days, row_t[2].days, row_mfu[1],
              row_mfu[2]);
    cli_wrapf(IND, "  Chinchilla   %s: this compute is optimal for %s "
              "parameters on %s tokens (%.1f tokens per parameter)",
              chin->name, bn, bd, opt_d / opt_n);
    if (claimed) {
        fputc('\n', stdout);
        if (cls == GPB_MFU_IMPOSSIBLE)
            cli_wrapf(2, "  The claim needs MFU %.2f, more than the "
                      "hardware's peak: it is impossible as stated. At a "
                      "realistic MFU (%.2f) the run takes %.1f days and "
                      "costs %s.",
                      mfu, row_mfu[0], row_t[0].days, c0);
        else if (implausible)
            cli_wrapf(2, "  The claim needs MFU %.2f, beyond any published "
                      "large run (%.2f-%.2f): implausible. At a realistic "
                      "MFU (%.2f) the run takes %.1f days and costs %s.",
                      mfu, GPB_MFU_PUBLISHED_MIN, GPB_MFU_PUBLISHED_MAX,
                      row_mfu[0], row_t[0].days, c0);
        else
            cli_wrapf(2, "  The claim needs MFU %.2f, %s (%.2f-%.2f).", mfu,
                      cls == GPB_MFU_WITHIN_PUBLISHED
                          ? "within published large runs"
                          : "below published large runs",
                      GPB_MFU_PUBLISHED_MIN, GPB_MFU_PUBLISHED_MAX);
    } else if (cls == GPB_MFU_IMPOSSIBLE) {
        cli_wrapf(2, "\n  This MFU is more than the hardware's peak.");
    } else if (cls == GPB_MFU_BEYOND_PUBLISHED) {
        cli_wrapf(2, "\n  This MFU is beyond any published large run.");
    }
    return CLI_OK;
}
