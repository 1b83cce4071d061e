/*
 * gpubudget estimate: FLOPs, GPU-hours, card-months, days, memory fit and
 * rental cost of one training run, at the MFU the throughput model
 * reaches for it (or a given one, or the one a claimed duration implies),
 * and what published runs say the run will really take: P5, P50 and P95
 * beside those "ideal" figures. Every number comes from the compute,
 * hardware and plan layers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Where the MFU of the point figures came from (JSON "mfu_origin"). */
#define FROM_MODEL "the throughput model"
#define FROM_CARD "the card's default"
#define FROM_GIVEN "given"
#define FROM_DAYS "implied by --days"

/* "TP 4 × PP 4 × DP 32" into buf. */
static void layout_text(const gpb_plan_layout *l, char *buf, size_t n)
{
    snprintf(buf, n, "TP %.0f × PP %.0f × DP %.0f", l->tp, l->pp, l->dp);
}

static json_t *plan_json(const gpb_plan_estimate *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_boolean(m->planned));
    if (!m->planned) {
        json_object_set_new(o, "reason", json_string(m->why.message));
        return o;
    }
    const gpb_plan_result *r = &m->plan;
    json_t *lay = json_object();
    json_object_set_new(lay, "tp", json_real(r->layout.tp));
    json_object_set_new(lay, "pp", json_real(r->layout.pp));
    json_object_set_new(lay, "dp", json_real(r->layout.dp));
    json_object_set_new(lay, "micro_batch", json_real(r->layout.micro_batch));
    json_object_set_new(lay, "zero", json_integer(r->layout.zero));
    json_object_set_new(o, "layout", lay);
    json_object_set_new(o, "seq_len", json_real(r->seq_len));
    json_object_set_new(o, "global_batch_tokens",
                        json_real(r->global_batch_tokens));
    json_object_set_new(o, "step_s", json_real(r->step_s));
    json_object_set_new(o, "mfu_plan_count", json_real(r->mfu_frac));
    json_object_set_new(o, "model_flops_per_token",
                        json_real(r->model_flops / r->global_batch_tokens));
    json_object_set_new(o, "mem_per_gpu_bytes", json_real(r->mem_total_bytes));
    json_object_set_new(o, "bound", json_string(gpb_plan_term_name(r->bound)));
    json_object_set_new(o, "bound_text",
                        json_string(gpb_plan_term_text(r->bound)));
    return o;
}

/* {mfu, days, gpu_hours, rent_cost} of one answer. */
static json_t *answer_json(double mfu, double days, double gpu_hours,
                           double cost)
{
    json_t *o = json_object();
    json_object_set_new(o, "mfu", json_real(mfu));
    json_object_set_new(o, "days", json_real(days));
    json_object_set_new(o, "gpu_hours", json_real(gpu_hours));
    json_object_set_new(o, "rent_cost", isnan(cost) ? json_null()
                                                    : json_real(cost));
    return o;
}

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
            if (!bad && !(price.value > 0)) {
                cli_error("--price must be above 0 (got '%s')", arg);
                bad = 1;
            }
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
    /* The estimate and its interval (plan.h): the FLOPs, the throughput
       model's MFU for this model on this cluster (the card's catalog
       default where the model cannot lay the run out) and P5/P50/P95
       from published runs. A claim's implied MFU is what is checked, so
       its interval is the model's; a given MFU narrows it. */
    gpb_plan_estimate_spec es;
    gpb_plan_estimate_spec_default(&es);
    es.params = params;
    es.active_params = active;
    es.tokens = tokens;
    es.gpu = gpu;
    es.gpus = gpus;
    es.precision = prec;
    es.recompute = recompute;
    if (isnan(days) && !isnan(mfu))
        es.user_mfu_frac = mfu;
    const char *price_origin = "the catalog's pricing rule";
    if (have_price) {
        es.price_low_per_gpu_hour = es.price_high_per_gpu_hour = price.value;
        price_origin = "given";
    }
    gpb_plan_estimate mm;
    if (gpb_plan_estimate_compute(&es, &mm, &e)) {
        cli_error_gpb("estimate", &e);
        return CLI_BAD_INPUT;
    }
    const gpb_plan_interval iv = mm.interval;
    double flops = mm.flops;

    /* Utilisation: given, implied by --days, or the estimate's. */
    const char *mfu_origin = FROM_GIVEN;
    if (!isnan(days)) {
        if (gpb_compute_implied_mfu_from_days(flops, gpus, peak, days, &mfu,
                                              &e)) {
            cli_error_gpb("--days", &e);
            return CLI_BAD_INPUT;
        }
        mfu_origin = FROM_DAYS;
    } else if (isnan(mfu)) {
        mfu = mm.model_mfu_frac;
        mfu_origin = mm.planned ? FROM_MODEL : FROM_CARD;
    }
    int from_model = !strcmp(mfu_origin, FROM_MODEL);
    int from_card = !strcmp(mfu_origin, FROM_CARD);
    int claimed = !isnan(days);
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
    if (claimed) {
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
    /* The pricing rule (gpubudget/hardware.h), shared with check --claim
       and the intervals: the catalog's on-demand rent is the median
       price. */
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

    /* The catalog's per-card MFU: the default before the throughput
       model, and the centre of check --claim's prior. */
    gpb_train_time card_t;
    double card_cost;
    if (gpb_compute_train_time(flops, gpus, peak, gpu->default_mfu, &card_t,
                               &e) ||
        gpb_compute_rent_cost(card_t.gpu_hours, price.value, &card_cost,
                              &e)) {
        cli_error_gpb("estimate", &e);
        return CLI_BAD_INPUT;
    }
    const gpb_chinchilla *chin = GPB_CHINCHILLA_DEFAULT;
    double opt_n, opt_d;
    if (gpb_compute_chinchilla_optimal(chin, flops, &opt_n, &opt_d, &e)) {
        cli_error_gpb("chinchilla", &e);
        return CLI_BAD_INPUT;
    }
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
        json_object_set_new(o, "mfu_source",
                            json_string(from_model
                                            ? "the throughput model "
                                              "(docs/model.md, Plan)"
                                            : gpu->mfu_source));
        json_object_set_new(o, "card_default_mfu",
                            json_real(gpu->default_mfu));
        json_object_set_new(o, "published_mfu_min",
                            json_real(GPB_MFU_PUBLISHED_MIN));
        json_object_set_new(o, "published_mfu_max",
                            json_real(GPB_MFU_PUBLISHED_MAX));
        json_object_set_new(o, "plan", plan_json(&mm));
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
        if (claimed)
            json_object_set_new(costs, "claimed",
                                answer_json(mfu, t.days, t.gpu_hours, cost));
        json_object_set_new(costs, "ideal",
                            answer_json(iv.ideal_mfu_frac, iv.ideal_days,
                                        iv.ideal_gpu_hours, iv.ideal_cost));
        json_object_set_new(costs, "realistic",
                            answer_json(iv.mfu_frac.p50, iv.days.p50,
                                        iv.gpu_hours.p50, iv.cost.p50));
        json_object_set_new(costs, "default",
                            answer_json(gpu->default_mfu, card_t.days,
                                        card_t.gpu_hours, card_cost));
        json_object_set_new(o, "costs", costs);
        json_object_set_new(o, "interval",
                            cli_interval_json(&iv, price.currency,
                                              price_origin));
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

    /* Rows are indented 15 columns under their labels. The point figures
       are the claim's, the given MFU's or the model's steady state: the
       last is labelled "ideal". */
    enum { IND = 15 };
    const char *pt = claimed ? ", as claimed" : from_model ? ", ideal" : "";
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
    char lay[96];
    if (mm.planned)
        layout_text(&mm.plan.layout, lay, sizeof lay);
    if (from_model) {
        cli_wrapf(IND, "  MFU          %.3f ideal, the throughput model's "
                  "steady state: %s, bound by %s ('gpubudget plan' shows "
                  "why)",
                  mfu, lay, gpb_plan_term_text(mm.plan.bound));
    } else if (from_card) {
        cli_wrapf(IND, "  MFU          %.3f, the card's default: %s", mfu,
                  gpu->mfu_source);
        cli_wrapf(IND, "               (the throughput model cannot lay "
                  "this run out: %s)",
                  mm.why.message);
    } else {
        cli_wrapf(IND, "  MFU          %.3f, %s", mfu, mfu_origin);
    }
    if (!from_model)
        cli_wrapf(IND, "               %s: published large runs reach "
                  "%.2f-%.2f",
                  gpb_compute_mfu_class_str((int)cls), GPB_MFU_PUBLISHED_MIN,
                  GPB_MFU_PUBLISHED_MAX);
    cli_wrapf(IND, "  GPU-hours    %s%s", bg, pt);
    cli_wrapf(IND, "  card-months  %.1f%s (%.3f 千卡/月; one month = 730.5 h)",
              t.card_months, pt, t.qianka_months);
    cli_wrapf(IND, "  wall clock   %.1f days%s", t.days, pt);
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
    /* The cost: the claim's (or the given MFU's), the ideal and the
       realistic (the interval's P50; the table gives P5 and P95). */
    char c0[48], c1[48], c2[48];
    const char *label = "rental cost  ";
    if (claimed || !from_model) {
        cli_format_money(cost, price.currency, c0, sizeof c0);
        cli_wrapf(IND + 12, "  %s%-12s%s in %.1f days at MFU %.2f%s", label,
                  claimed     ? "as claimed"
                  : from_card ? "at default"
                              : "at --mfu",
                  c0, t.days, mfu,
                  !claimed                   ? ""
                  : cls == GPB_MFU_IMPOSSIBLE ? ": impossible"
                  : implausible              ? ": implausible"
                                             : ", the claim's");
        label = "             ";
    }
    if (mm.planned && !iv.narrowed && (claimed || from_model)) {
        cli_format_money(iv.ideal_cost, price.currency, c0, sizeof c0);
        cli_wrapf(IND + 12, "  %s%-12s%s in %.1f days at MFU %.2f, the "
                  "model's steady state",
                  label, "ideal", c0, iv.ideal_days, iv.ideal_mfu_frac);
        label = "             ";
    }
    cli_format_money(iv.cost.p50, price.currency, c0, sizeof c0);
    cli_format_money(iv.cost.p5, price.currency, c1, sizeof c1);
    cli_format_money(iv.cost.p95, price.currency, c2, sizeof c2);
    cli_wrapf(IND + 12, "  %s%-12s%s in %.1f days at MFU %.2f (P50; "
              "P5-P95 below)",
              label, "realistic", c0, iv.days.p50, iv.mfu_frac.p50);
    cli_wrapf(IND, "  Chinchilla   %s: this compute is optimal for %s "
              "parameters on %s tokens (%.1f tokens per parameter)",
              chin->name, bn, bd, opt_d / opt_n);

    fputc('\n', stdout);
    cli_interval_table(&iv, price.currency, 2);
    fputc('\n', stdout);
    cli_interval_basis(&iv, price.currency, price_origin,
                       mm.planned ? "your MFU" : "the card's default MFU",
                       IND,
                       "  interval    ");
    if (claimed) {
        fputc('\n', stdout);
        char realistic[320];
        snprintf(realistic, sizeof realistic,
                 "Published runs reach MFU %.2f-%.2f here (P5-P95): the run "
                 "takes %.0f-%.0f days (P50 %.0f) and costs %s-%s (P50 %s).",
                 iv.mfu_frac.p5, iv.mfu_frac.p95, iv.days.p5, iv.days.p95,
                 iv.days.p50, c1, c2, c0);
        if (cls == GPB_MFU_IMPOSSIBLE)
            cli_wrapf(2, "  The claim needs MFU %.2f, more than the "
                      "hardware's peak: it is impossible as stated. %s",
                      mfu, realistic);
        else if (implausible)
            cli_wrapf(2, "  The claim needs MFU %.2f, beyond any published "
                      "large run (%.2f-%.2f): implausible. %s",
                      mfu, GPB_MFU_PUBLISHED_MIN, GPB_MFU_PUBLISHED_MAX,
                      realistic);
        else
            cli_wrapf(2, "  The claim needs MFU %.2f, %s (%.2f-%.2f). %s",
                      mfu,
                      cls == GPB_MFU_WITHIN_PUBLISHED
                          ? "within published large runs"
                          : "below published large runs",
                      GPB_MFU_PUBLISHED_MIN, GPB_MFU_PUBLISHED_MAX,
                      realistic);
    } else if (cls == GPB_MFU_IMPOSSIBLE) {
        cli_wrapf(2, "\n  This MFU is more than the hardware's peak.");
    } else if (cls == GPB_MFU_BEYOND_PUBLISHED && !from_model) {
        cli_wrapf(2, "\n  This MFU is beyond any published large run.");
    }
    return CLI_OK;
}
