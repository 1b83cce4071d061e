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

/* "TP 4 × PP 4 × DP 32" into buf, with the GPUs it leaves idle. */
static void layout_text(const gpb_plan_layout *l, double gpus, char *buf,
                        size_t n)
{
    double idle = gpb_plan_idle_gpus(l, gpus);
    int k = snprintf(buf, n, "TP %.0f × PP %.0f × DP %.0f", l->tp, l->pp,
                     l->dp);
    if (idle > 0 && k > 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, " (%.0f GPU%s idle)", idle,
                 idle == 1 ? "" : "s");
}

/* A failure of the report layer, naming the option its field came from;
   a card without a rental price says how to give one. */
static int estimate_error(gpb_error *e)
{
    if (e->status == GPB_ENOTFOUND && !strcmp(e->path, "price")) {
        cli_error("estimate: %s\n  pass the price per GPU-hour with "
                  "--price, e.g. --price '$2/h' or --price '¥12/h'",
                  e->message);
        return CLI_BAD_INPUT;
    }
    cli_error_field("estimate", e);
    return e->status == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
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
    /* Every figure, and the document, come from the report layer
       (gpb_report_estimate_compute), so the text below and --json agree
       with each other and with the bindings. */
    gpb_report_estimate_request rq;
    gpb_report_estimate_request_default(&rq);
    rq.params = params;
    rq.active_params = active;
    rq.tokens = tokens;
    rq.gpu = gpu_name;
    rq.gpus = gpus;
    rq.precision = prec_name;
    rq.recompute = recompute;
    if (!isnan(mfu))
        rq.mfu_frac = mfu;
    if (!isnan(days))
        rq.days = days;
    if (have_price) {
        rq.price_per_gpu_hour = price.value;
        rq.price_currency = price.currency;
    }
    gpb_error e;
    if (json) {
        char *text = NULL;
        if (gpb_report_estimate_json(&rq, &text, &e))
            return estimate_error(&e);
        return cli_text_print(text);
    }
    gpb_report_estimate R;
    if (gpb_report_estimate_compute(&rq, &R, &e))
        return estimate_error(&e);
    const gpb_gpu *gpu = R.gpu;
    gpb_precision prec = R.precision;
    const char *prec_origin = prec_name ? "given" : "the card's default";
    double peak = R.peak_flop_per_s, flops = R.flops;
    const gpb_plan_estimate mm = R.estimate;
    const gpb_plan_interval iv = mm.interval;
    mfu = R.mfu_frac;
    const char *mfu_origin = gpb_report_mfu_origin_str(R.mfu_origin);
    int from_model = R.mfu_origin == GPB_REPORT_MFU_MODEL;
    int from_card = R.mfu_origin == GPB_REPORT_MFU_CARD;
    int claimed = R.claimed;
    gpb_mfu_class cls = R.mfu_class;
    gpb_train_time t = R.time;
    double mem = R.train_memory_bytes, min_gpus = R.min_gpus_for_memory;
    price.value = R.price_per_gpu_hour;
    price.currency = R.currency;
    const char *price_src = R.price_source;
    const char *price_origin = have_price ? "given"
                                          : "the catalog's pricing rule";
    gpb_rent_rule rule = R.rule;
    int has_rule = R.has_rule;
    double cost = R.rent_cost;
    const gpb_chinchilla *chin = R.chinchilla;
    double opt_n = R.chinchilla_params, opt_d = R.chinchilla_tokens;
    int implausible = R.implausible;

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
    cli_wrapf(IND, "  compute      %s FLOP (6·N·D%s)%s", bf,
              active > 0 ? ", N = active parameters" : "",
              recompute ? "; full recomputation makes the hardware do "
                          "8·N·D, which MFU does not count"
                        : "");
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
    char lay[128];
    if (mm.planned)
        layout_text(&mm.plan.layout, gpus, lay, sizeof lay);
    if (from_model) {
        cli_wrapf(IND, "  MFU          %.3f ideal, the throughput model's "
                  "steady state: %s, bound by %s ('gpubudget plan' shows "
                  "why; it counts attention's FLOPs too, so its MFU reads "
                  "higher than this one's 6·N·D: %.3f here)",
                  mfu, lay, gpb_plan_term_text(mm.plan.bound),
                  mm.plan.mfu_frac);
        if (active > 0)
            /* The model's known miss (docs/model.md, "Plan: published
               runs"): a review found DeepSeek-V3's reported GPU-hours
               below this interval with no word. */
            cli_wrapf(IND, "               a mixture of experts: the model "
                      "charges the expert all-to-all in full; DeepSeek-V3, "
                      "which hid it behind compute (DualPipe), ran 1.9 times "
                      "faster than the model's ideal for it, below its "
                      "interval's P5 (docs/model.md)");
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
                 "The model fitted to published runs puts this run at MFU "
                 "%.2f-%.2f (P5-P95): it takes %.0f-%.0f days (P50 %.0f) and "
                 "costs %s-%s (P50 %s).",
                 iv.mfu_frac.p5, iv.mfu_frac.p95, iv.days.p5, iv.days.p95,
                 iv.days.p50, c1, c2, c0);
        /* The class is of the MFU counting attention's FLOPs, as
           published runs count it (report.h): say so when it differs. */
        double k = gpb_plan_estimate_count_factor(&mm);
        char att[96] = "";
        if (k > 1)
            snprintf(att, sizeof att, " (%.2f counting attention's FLOPs, "
                     "as published runs do)", mfu * k);
        if (cls == GPB_MFU_IMPOSSIBLE)
            cli_wrapf(2, "  The claim needs MFU %.2f%s, more than the "
                      "hardware's peak: it is impossible as stated. %s",
                      mfu, att, realistic);
        else if (implausible)
            cli_wrapf(2, "  The claim needs MFU %.2f%s, beyond any "
                      "published large run (%.2f-%.2f): implausible. %s",
                      mfu, att, GPB_MFU_PUBLISHED_MIN,
                      GPB_MFU_PUBLISHED_MAX, realistic);
        else
            cli_wrapf(2, "  The claim needs MFU %.2f%s, %s (%.2f-%.2f). %s",
                      mfu, att,
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
