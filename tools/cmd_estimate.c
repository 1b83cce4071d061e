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
    const char *price_src = "given";
    if (!have_price) {
        if (!(gpu->rent_usd_per_hour > 0)) {
            cli_error("estimate: the cost needs a rental price, and the "
                      "catalog has none for %s (%s)\n  pass the price per "
                      "GPU-hour with --price, e.g. --price '$2/h' or "
                      "--price '¥12/h'",
                      gpu->name, gpu->rent_source);
            return CLI_BAD_INPUT;
        }
        price.value = gpu->rent_usd_per_hour;
        price.currency = GPB_CURRENCY_USD;
        price_src = gpu->rent_source;
    }
    double cost;
    if (gpb_compute_rent_cost(t.gpu_hours, price.value, &cost, &e)) {
        cli_error_gpb("cost", &e);
        return CLI_BAD_INPUT;
    }
    double opt_n, opt_d;
    gpb_compute_optimal_fixed_ratio(flops, 0, &opt_n, &opt_d, NULL);

    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "params", json_real(params));
        json_object_set_new(o, "active_params",
                            json_real(active > 0 ? active : params));
        json_object_set_new(o, "tokens", json_real(tokens));
        json_object_set_new(o, "gpu", json_string(gpu->name));
        json_object_set_new(o, "gpus", json_real(gpus));
        json_object_set_new(o, "precision", json_string(gpb_precision_name(prec)));
        json_object_set_new(o, "peak_flop_per_s", json_real(peak));
        json_object_set_new(o, "flops", json_real(flops));
        json_object_set_new(o, "mfu", json_real(mfu));
        json_object_set_new(o, "mfu_origin", json_string(mfu_origin));
        json_object_set_new(o, "mfu_class",
                            json_string(gpb_compute_mfu_class_str((int)cls)));
        json_object_set_new(o, "gpu_hours", json_real(t.gpu_hours));
        json_object_set_new(o, "card_months", json_real(t.card_months));
        json_object_set_new(o, "qianka_months", json_real(t.qianka_months));
        json_object_set_new(o, "days", json_real(t.days));
        json_object_set_new(o, "train_memory_bytes", json_real(mem));
        json_object_set_new(o, "min_gpus_for_memory", json_real(min_gpus));
        json_object_set_new(o, "fits_in_memory", json_boolean(gpus >= min_gpus));
        json_object_set_new(o, "price_per_gpu_hour", json_real(price.value));
        json_object_set_new(o, "currency",
                            json_string(gpb_currency_code(price.currency)));
        json_object_set_new(o, "price_source", json_string(price_src));
        json_object_set_new(o, "rent_cost", json_real(cost));
        json_object_set_new(o, "chinchilla20_params", json_real(opt_n));
        json_object_set_new(o, "chinchilla20_tokens", json_real(opt_d));
        return cli_json_print(o);
    }

    char bp[32], bt[32], bf[32], bg[32], bc[48], bpr[48], bn[32], bd[32];
    gpb_units_format_number(params, GPB_STYLE_EN, 3, bp, sizeof bp);
    gpb_units_format_number(tokens, GPB_STYLE_EN, 3, bt, sizeof bt);
    snprintf(bf, sizeof bf, "%.3g", flops);
    gpb_units_format_number(t.gpu_hours, GPB_STYLE_EN, 3, bg, sizeof bg);
    cli_format_money(cost, price.currency, bc, sizeof bc);
    gpb_units_format_money(price.value, price.currency,
                           price.currency == GPB_CURRENCY_CNY ? GPB_STYLE_ZH
                                                              : GPB_STYLE_EN,
                           3, bpr, sizeof bpr);
    gpb_units_format_number(opt_n, GPB_STYLE_EN, 3, bn, sizeof bn);
    gpb_units_format_number(opt_d, GPB_STYLE_EN, 3, bd, sizeof bd);

    printf("%s parameters on %s tokens, %.0f × %s at %s (%.0f TFLOP/s dense)"
           "\n\n",
           bp, bt, gpus, gpu->name, gpb_precision_name(prec), peak / 1e12);
    printf("  compute      %s FLOP (%s·N·D%s)\n", bf, recompute ? "8" : "6",
           active > 0 ? ", N = active parameters" : "");
    printf("  MFU          %.3f, %s", mfu, mfu_origin);
    if (!strcmp(mfu_origin, "the card's default"))
        printf(" (%s)", gpu->mfu_source);
    printf("\n               %s: published large runs reach %.2f-%.2f\n",
           gpb_compute_mfu_class_str((int)cls), GPB_MFU_PUBLISHED_MIN,
           GPB_MFU_PUBLISHED_MAX);
    printf("  GPU-hours    %s\n", bg);
    printf("  card-months  %.1f (%.3f 千卡/月; one month = 730.5 h)\n",
           t.card_months, t.qianka_months);
    printf("  wall clock   %.1f days\n", t.days);
    printf("  memory       %.3g TB of model states (16 B/param, mixed-"
           "precision Adam):\n               at least %.0f × %.0f GB; %s\n",
           mem / 1e12, min_gpus, gpu->mem_bytes / 1e9,
           gpus >= min_gpus ? "fits on these GPUs (before activations)"
                            : "does NOT fit on these GPUs");
    printf("  rental cost  %s at %s per GPU-hour (%s)\n", bc, bpr, price_src);
    printf("  Chinchilla   this compute is optimal for %s parameters on %s "
           "tokens\n               (20 tokens per parameter)\n",
           bn, bd);
    if (cls == GPB_MFU_IMPOSSIBLE)
        printf("\n  The claim needs more than the hardware's peak: it is "
               "impossible as stated.\n");
    else if (cls == GPB_MFU_BEYOND_PUBLISHED)
        printf("\n  The claim needs a utilisation beyond any published large "
               "run.\n");
    return CLI_OK;
}
