/*
 * gpubudget plan: the layout a model trains best with on a cluster, its
 * step time term by term, MFU and memory per GPU, and what published runs
 * say the whole run will really take (P5/P50/P95). Every number comes from
 * the plan layer (include/gpubudget/plan.h).
 *
 * Entry point: cmd_plan(argc, argv), argv starting at "plan". To wire it,
 * declare it in cli.h beside the other cmd_*, list it in gpubudget.c's
 * command table and add this file to tools/meson.build.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_plan(int argc, char **argv);

static void usage(void)
{
    printf(
        "usage: gpubudget plan --params N --gpu CARD --gpus G [options]\n"
        "  --params         parameters, e.g. 70B (MoE: total)\n"
        "  --gpu            catalog card (gpubudget gpus), e.g. H100\n"
        "  --gpus           GPUs in the run\n"
        "  --seq            tokens per sequence (default 4096)\n"
        "  --global-batch   tokens per optimizer step (default 4M)\n"
        "  --tokens         training tokens, for the totals (default 20 "
        "per\n"
        "                   parameter, the Chinchilla rule)\n"
        "  --active-params  MoE: parameters each token uses\n"
        "  --experts        MoE: experts per layer;  --top-k  experts per "
        "token\n"
        "  --layers, --d-model, --heads\n"
        "                   the shape (all three; default: from published\n"
        "                   aspect ratios)\n"
        "  --vocab          vocabulary (default 32000)\n"
        "  --precision      fp32, tf32, bf16, fp16, fp8 (default: bf16, "
        "else fp16)\n"
        "  --tp, --pp, --micro-batch, --interleave\n"
        "                   fix part of the layout (default: searched)\n"
        "  --recompute      none, selective or full (default: searched)\n"
        "  --zero           ZeRO stage 0-3 (default: 1 or 3, searched)\n"
        "  --software       modern (default) or megatron-2021\n"
        "  --intra-node-bw, --inter-node-bw\n"
        "                   bandwidth per GPU per direction in bytes/s, "
        "e.g. 50e9\n"
        "                   (default: the catalog's)\n"
        "  --node-gpus      GPUs per server (default: the catalog's)\n"
        "  --mfu            a steady-state MFU you vouch for: narrows the "
        "interval\n"
        "  --price          rental price per GPU-hour, e.g. '$2.5/h' "
        "(default:\n"
        "                   the catalog's range)\n"
        "  --json           print JSON\n");
}

static int parse_recompute(const char *s, gpb_recompute *out)
{
    if (!strcmp(s, "none"))
        *out = GPB_RECOMPUTE_NONE;
    else if (!strcmp(s, "selective"))
        *out = GPB_RECOMPUTE_SELECTIVE;
    else if (!strcmp(s, "full"))
        *out = GPB_RECOMPUTE_FULL;
    else {
        cli_error("--recompute must be none, selective or full (got '%s')",
                  s);
        return -1;
    }
    return 0;
}

static const char *recompute_name(gpb_recompute r)
{
    return r == GPB_RECOMPUTE_FULL        ? "full"
           : r == GPB_RECOMPUTE_SELECTIVE ? "selective"
                                          : "none";
}

static json_t *quantiles_json(const gpb_plan_quantiles *q, double ideal)
{
    json_t *o = json_object();
    json_object_set_new(o, "p5", json_real(q->p5));
    json_object_set_new(o, "p50", json_real(q->p50));
    json_object_set_new(o, "p95", json_real(q->p95));
    json_object_set_new(o, "ideal", json_real(ideal));
    return o;
}

static json_t *result_json(const gpb_plan_spec *s, const gpb_plan_result *r,
                           const gpb_plan_interval *iv, double tokens,
                           const char *currency)
{
    json_t *o = json_object();
    json_object_set_new(o, "params", json_real(s->params));
    json_object_set_new(o, "active_params",
                        json_real(s->active_params > 0 ? s->active_params
                                                       : s->params));
    json_object_set_new(o, "gpu", json_string(s->gpu->name));
    json_object_set_new(o, "gpus", json_real(s->gpus));
    json_object_set_new(o, "tokens", json_real(tokens));
    json_object_set_new(o, "peak_flop_per_s", json_real(r->peak_flop_per_s));

    json_t *shape = json_object();
    json_object_set_new(shape, "n_layer", json_real(r->n_layer));
    json_object_set_new(shape, "d_model", json_real(r->d_model));
    json_object_set_new(shape, "n_head", json_real(r->n_head));
    json_object_set_new(shape, "vocab", json_real(r->vocab));
    json_object_set_new(shape, "seq_len", json_real(r->seq_len));
    json_object_set_new(shape, "inferred", json_boolean(r->shape_inferred));
    json_object_set_new(o, "shape", shape);

    json_t *lay = json_object();
    json_object_set_new(lay, "tp", json_real(r->layout.tp));
    json_object_set_new(lay, "pp", json_real(r->layout.pp));
    json_object_set_new(lay, "dp", json_real(r->layout.dp));
    json_object_set_new(lay, "ep", json_real(r->layout.ep));
    json_object_set_new(lay, "interleave", json_real(r->layout.interleave));
    json_object_set_new(lay, "micro_batch", json_real(r->layout.micro_batch));
    json_object_set_new(lay, "micro_batches",
                        json_real(r->layout.micro_batches));
    json_object_set_new(lay, "recompute",
                        json_string(recompute_name(r->layout.recompute)));
    json_object_set_new(lay, "zero", json_integer(r->layout.zero));
    json_object_set_new(lay, "sequence_parallel",
                        json_boolean(r->layout.sequence_parallel));
    json_object_set_new(o, "layout", lay);
    json_object_set_new(o, "global_batch_tokens",
                        json_real(r->global_batch_tokens));

    json_t *mem = json_object();
    json_object_set_new(mem, "weights_bytes", json_real(r->mem_weights_bytes));
    json_object_set_new(mem, "grads_bytes", json_real(r->mem_grads_bytes));
    json_object_set_new(mem, "optimizer_bytes",
                        json_real(r->mem_optimizer_bytes));
    json_object_set_new(mem, "activations_bytes",
                        json_real(r->mem_activations_bytes));
    json_object_set_new(mem, "total_bytes", json_real(r->mem_total_bytes));
    json_object_set_new(mem, "usable_bytes", json_real(r->mem_usable_bytes));
    json_object_set_new(o, "memory_per_gpu", mem);

    json_t *terms = json_object();
    for (int i = 0; i < GPB_PLAN_TERM_COUNT; i++)
        json_object_set_new(terms, gpb_plan_term_name((gpb_plan_term)i),
                            json_real(r->term_s[i]));
    json_object_set_new(o, "step_s", json_real(r->step_s));
    json_object_set_new(o, "ideal_s", json_real(r->ideal_s));
    json_object_set_new(o, "terms_s", terms);
    json_object_set_new(o, "bound", json_string(gpb_plan_term_name(r->bound)));
    json_object_set_new(o, "bound_text",
                        json_string(gpb_plan_term_text(r->bound)));
    json_object_set_new(o, "mfu", json_real(r->mfu_frac));
    json_object_set_new(o, "hfu", json_real(r->hfu_frac));
    json_object_set_new(o, "tokens_per_s", json_real(r->tokens_per_s));
    json_object_set_new(o, "layouts_tried", json_real(r->layouts_tried));
    json_object_set_new(o, "layouts_fit", json_real(r->layouts_fit));

    json_t *ij = json_object();
    json_object_set_new(ij, "mfu", quantiles_json(&iv->mfu_frac,
                                                  iv->ideal_mfu_frac));
    json_object_set_new(ij, "gpu_hours", quantiles_json(&iv->gpu_hours,
                                                        iv->ideal_gpu_hours));
    json_object_set_new(ij, "days", quantiles_json(&iv->days,
                                                   iv->ideal_days));
    json_object_set_new(ij, "card_months",
                        quantiles_json(&iv->card_months,
                                       iv->ideal_card_months));
    json_object_set_new(ij, "cost", quantiles_json(&iv->cost,
                                                   iv->ideal_cost));
    json_object_set_new(ij, "ratio", quantiles_json(&iv->ratio, 1.0));
    json_object_set_new(ij, "currency", json_string(currency));
    json_object_set_new(ij, "price_low", json_real(iv->price_low));
    json_object_set_new(ij, "price_high", json_real(iv->price_high));
    json_object_set_new(ij, "narrowed_by_mfu", json_boolean(iv->narrowed));
    json_object_set_new(ij, "runs_used", json_real(iv->runs_used));
    json_object_set_new(o, "interval", ij);
    return o;
}

/* One row of the interval table: decimals >= 0 prints %.*f, -1 prints
   4 significant digits. */
static void row(const char *label, const gpb_plan_quantiles *q, double ideal,
                int decimals)
{
    double v[4] = {q->p5, q->p50, q->p95, ideal};
    printf("  %-12s", label);
    for (int i = 0; i < 4; i++) {
        if (decimals >= 0)
            printf("%12.*f", decimals, v[i]);
        else
            printf("%12.4g", v[i]);
    }
    printf("\n");
}

int cmd_plan(int argc, char **argv)
{
    enum { O_PARAMS = 1000, O_GPU, O_GPUS, O_SEQ, O_BATCH, O_TOKENS,
           O_ACTIVE, O_EXPERTS, O_TOPK, O_LAYERS, O_DMODEL, O_HEADS,
           O_VOCAB, O_PREC, O_TP, O_PP, O_MB, O_IL, O_RECOMP, O_ZERO,
           O_SW, O_INTRA, O_INTER, O_NODE, O_MFU, O_PRICE, O_JSON,
           O_HELP };
    static const struct option opts[] = {
        {"params", required_argument, 0, O_PARAMS},
        {"gpu", required_argument, 0, O_GPU},
        {"gpus", required_argument, 0, O_GPUS},
        {"seq", required_argument, 0, O_SEQ},
        {"global-batch", required_argument, 0, O_BATCH},
        {"tokens", required_argument, 0, O_TOKENS},
        {"active-params", required_argument, 0, O_ACTIVE},
        {"experts", required_argument, 0, O_EXPERTS},
        {"top-k", required_argument, 0, O_TOPK},
        {"layers", required_argument, 0, O_LAYERS},
        {"d-model", required_argument, 0, O_DMODEL},
        {"heads", required_argument, 0, O_HEADS},
        {"vocab", required_argument, 0, O_VOCAB},
        {"precision", required_argument, 0, O_PREC},
        {"tp", required_argument, 0, O_TP},
        {"pp", required_argument, 0, O_PP},
        {"micro-batch", required_argument, 0, O_MB},
        {"interleave", required_argument, 0, O_IL},
        {"recompute", required_argument, 0, O_RECOMP},
        {"zero", required_argument, 0, O_ZERO},
        {"software", required_argument, 0, O_SW},
        {"intra-node-bw", required_argument, 0, O_INTRA},
        {"inter-node-bw", required_argument, 0, O_INTER},
        {"node-gpus", required_argument, 0, O_NODE},
        {"mfu", required_argument, 0, O_MFU},
        {"price", required_argument, 0, O_PRICE},
        {"json", no_argument, 0, O_JSON},
        {"help", no_argument, 0, O_HELP},
        {0, 0, 0, 0}};
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    const char *gpu_name = NULL, *prec_name = NULL;
    double tokens = NAN, user_mfu = 0, zero = -1;
    gpb_quantity price = {NAN, GPB_QTY_MONEY_PER_HOUR, GPB_CURRENCY_USD};
    int json = 0, have_price = 0;
    s.params = NAN;
    s.gpus = NAN;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case O_PARAMS: bad = cli_parse_number("params", optarg, &s.params); break;
        case O_GPU: gpu_name = optarg; break;
        case O_GPUS:
            bad = cli_parse_whole("gpus", optarg, 1, 1e7, "from 1 to 1e7",
                                  &s.gpus);
            break;
        case O_SEQ: bad = cli_parse_number("seq", optarg, &s.seq_len); break;
        case O_BATCH:
            bad = cli_parse_number("global-batch", optarg,
                                   &s.global_batch_tokens);
            break;
        case O_TOKENS: bad = cli_parse_number("tokens", optarg, &tokens); break;
        case O_ACTIVE:
            bad = cli_parse_number("active-params", optarg, &s.active_params);
            break;
        case O_EXPERTS:
            bad = cli_parse_number("experts", optarg, &s.n_experts);
            break;
        case O_TOPK: bad = cli_parse_number("top-k", optarg, &s.moe_top_k); break;
        case O_LAYERS: bad = cli_parse_number("layers", optarg, &s.n_layer); break;
        case O_DMODEL: bad = cli_parse_number("d-model", optarg, &s.d_model); break;
        case O_HEADS: bad = cli_parse_number("heads", optarg, &s.n_head); break;
        case O_VOCAB: bad = cli_parse_number("vocab", optarg, &s.vocab); break;
        case O_PREC: prec_name = optarg; break;
        case O_TP: bad = cli_parse_whole("tp", optarg, 1, 1024, ">= 1", &s.tp); break;
        case O_PP: bad = cli_parse_whole("pp", optarg, 1, 1e6, ">= 1", &s.pp); break;
        case O_MB:
            bad = cli_parse_whole("micro-batch", optarg, 1, 1e6, ">= 1",
                                  &s.micro_batch);
            break;
        case O_IL:
            bad = cli_parse_whole("interleave", optarg, 1, 64,
                                  "from 1 to 64", &s.interleave);
            break;
        case O_RECOMP:
            bad = parse_recompute(optarg, &s.recompute);
            s.recompute_fixed = 1;
            break;
        case O_ZERO:
            bad = cli_parse_whole("zero", optarg, 0, 3, "from 0 to 3", &zero);
            break;
        case O_SW:
            if (!strcmp(optarg, "modern"))
                s.software = GPB_PLAN_SW_MODERN;
            else if (!strcmp(optarg, "megatron-2021"))
                s.software = GPB_PLAN_SW_MEGATRON_2021;
            else {
                cli_error("--software must be modern or megatron-2021");
                bad = 1;
            }
            break;
        case O_INTRA:
            bad = cli_parse_number("intra-node-bw", optarg,
                                   &s.intra_node_bw_bytes_per_s);
            break;
        case O_INTER:
            bad = cli_parse_number("inter-node-bw", optarg,
                                   &s.inter_node_bw_bytes_per_s);
            break;
        case O_NODE:
            bad = cli_parse_whole("node-gpus", optarg, 1, 1e6, ">= 1",
                                  &s.node_gpus);
            break;
        case O_MFU:
            bad = cli_parse_fraction("mfu", optarg, GPB_FRAC_OPEN_LO,
                                     &user_mfu);
            break;
        case O_PRICE:
            bad = cli_parse_qty("price", optarg, GPB_QTY_MONEY_PER_HOUR,
                                &price);
            have_price = 1;
            break;
        case O_JSON: json = 1; break;
        case O_HELP: usage(); return CLI_OK;
        default:
            cli_error("plan: unknown or incomplete option '%s'",
                      argv[optind - 1]);
            return CLI_BAD_INPUT;
        }
        if (bad)
            return CLI_BAD_INPUT;
    }
    if (optind < argc) {
        cli_error("plan: unexpected argument '%s'", argv[optind]);
        return CLI_BAD_INPUT;
    }
    if (isnan(s.params) || !gpu_name || isnan(s.gpus)) {
        cli_error("plan needs --params, --gpu and --gpus (see gpubudget plan "
                  "--help)");
        return CLI_BAD_INPUT;
    }
    if (zero >= 0)
        s.zero = (gpb_plan_zero)(int)zero;
    gpb_error e;
    if (gpb_hardware_gpu_find(gpu_name, &s.gpu, &e)) {
        cli_error_gpb("--gpu", &e);
        return CLI_BAD_INPUT;
    }
    if (prec_name && gpb_precision_from_name(prec_name, &s.precision, &e)) {
        cli_error_gpb("--precision", &e);
        return CLI_BAD_INPUT;
    }

    gpb_plan_result r;
    gpb_status st = gpb_plan_choose(&s, &r, &e);
    if (st) {
        cli_error_gpb("plan", &e);
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }

    /* Totals over the run: the default is Chinchilla's 20 tokens per
       (active) parameter. */
    double active = s.active_params > 0 ? s.active_params : s.params;
    const char *tokens_origin = "given";
    if (isnan(tokens)) {
        tokens = GPB_CHINCHILLA_TOKENS_PER_PARAM * active;
        tokens_origin = "20 per parameter, the Chinchilla rule; --tokens "
                        "to change";
    }
    gpb_plan_interval_spec is;
    gpb_plan_interval_spec_default(&is);
    is.flops = r.model_flops / r.global_batch_tokens * tokens;
    is.gpus = s.gpus;
    is.peak_flop_per_s = r.peak_flop_per_s;
    is.ideal_mfu_frac = r.mfu_frac;
    is.gpu = s.gpu;
    is.user_mfu_frac = user_mfu;
    const char *currency = "USD";
    if (have_price) {
        is.price_low_per_gpu_hour = is.price_high_per_gpu_hour = price.value;
        if (price.currency != GPB_CURRENCY_NONE)
            currency = gpb_currency_code(price.currency);
    }
    gpb_plan_interval iv;
    st = gpb_plan_interval_compute(&is, &iv, &e);
    if (st) {
        cli_error_gpb("interval", &e);
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }

    if (json)
        return cli_json_print(result_json(&s, &r, &iv, tokens, currency));

    char bp[32], bb[32], bt[32], btok[32];
    gpb_units_format_number(s.params, GPB_STYLE_EN, 3, bp, sizeof bp);
    gpb_units_format_number(r.global_batch_tokens, GPB_STYLE_EN, 3, bb,
                            sizeof bb);
    gpb_units_format_number(r.tokens_per_s, GPB_STYLE_EN, 3, bt, sizeof bt);
    gpb_units_format_number(tokens, GPB_STYLE_EN, 3, btok, sizeof btok);
    printf("%s parameters on %.0f x %s (%.0f TFLOP/s dense), %.0f-token "
           "sequences, %s tokens per step\n\n",
           bp, s.gpus, s.gpu->name, r.peak_flop_per_s / 1e12, r.seq_len, bb);
    printf("  shape      %.0f layers x %.0f wide, %.0f heads%s\n", r.n_layer,
           r.d_model, r.n_head,
           r.shape_inferred ? " (from published aspect ratios)" : "");
    printf("  layout     TP %.0f x PP %.0f", r.layout.tp, r.layout.pp);
    if (r.layout.interleave > 1)
        printf(" (%.0f chunks per stage)", r.layout.interleave);
    printf(" x DP %.0f", r.layout.dp);
    if (r.layout.ep > 1)
        printf(", experts over %.0f", r.layout.ep);
    printf("; micro-batch %.0f, %.0f per step; recomputation %s; ZeRO-%d%s\n",
           r.layout.micro_batch, r.layout.micro_batches,
           recompute_name(r.layout.recompute), (int)r.layout.zero,
           r.layout.sequence_parallel ? "; sequence parallel" : "");
    printf("  memory     %.1f GB per GPU of %.1f usable: weights %.1f, "
           "gradients %.1f,\n             optimizer %.1f, activations %.1f\n",
           r.mem_total_bytes / 1e9, r.mem_usable_bytes / 1e9,
           r.mem_weights_bytes / 1e9, r.mem_grads_bytes / 1e9,
           r.mem_optimizer_bytes / 1e9, r.mem_activations_bytes / 1e9);
    printf("  step       %.2f s, %s tokens/s\n", r.step_s, bt);
    printf("  MFU        %.3f at steady state (HFU %.3f)\n", r.mfu_frac,
           r.hfu_frac);
    printf("  bound by   %s: %s (%.0f%% of the step)\n",
           gpb_plan_term_name(r.bound), gpb_plan_term_text(r.bound),
           100 * (r.bound == GPB_PLAN_TERM_GEMM
                      ? (r.term_s[GPB_PLAN_TERM_GEMM] - r.ideal_s)
                      : r.term_s[r.bound]) /
               r.step_s);
    printf("  step terms");
    for (int i = 0; i < GPB_PLAN_TERM_COUNT; i++)
        if (r.term_s[i] > 0)
            printf(" %s %.0f%%", gpb_plan_term_name((gpb_plan_term)i),
                   100 * r.term_s[i] / r.step_s);
    printf("\n  searched   %.0f layouts, %.0f fit\n\n", r.layouts_tried,
           r.layouts_fit);

    printf("Over %s tokens (%s):\n\n", btok, tokens_origin);
    printf("  %-12s%12s%12s%12s%12s\n", "", "P5", "P50", "P95", "ideal");
    row("MFU", &iv.mfu_frac, iv.ideal_mfu_frac, 3);
    row("GPU-hours", &iv.gpu_hours, iv.ideal_gpu_hours, -1);
    row("days", &iv.days, iv.ideal_days, 1);
    row("card-months", &iv.card_months, iv.ideal_card_months, 1);
    if (iv.price_high > 0) {
        char label[32];
        snprintf(label, sizeof label, "cost %s", currency);
        row(label, &iv.cost, iv.ideal_cost, -1);
        printf("\n  price      %.2f-%.2f %s per GPU-hour (%s)\n",
               iv.price_low, iv.price_high, currency,
               have_price ? "given" : s.gpu->rent_range_source);
    } else {
        printf("\n  cost       the catalog has no rental price for %s; give "
               "--price\n",
               s.gpu->name);
    }
    if (iv.narrowed)
        printf("  interval   at your MFU %.3f; spread of whole runs over "
               "their steady state in %.0f published runs\n",
               user_mfu, iv.runs_used);
    else
        printf("  interval   published runs took %.2f-%.2f x their modelled "
               "GPU-hours (P5-P95, %.0f runs,\n             fitted on card "
               "generation and scale; MFU capped at the best published, "
               "%.2f)\n",
               iv.ratio.p5, iv.ratio.p95, iv.runs_used,
               GPB_MFU_PUBLISHED_MAX);
    printf("  one month = 730.5 h; 'ideal' is the steady state above\n");
    return CLI_OK;
}
