/*
 * gpubudget plan: the layout a model trains best with on a cluster, its
 * step time term by term, MFU and memory per GPU, and what published runs
 * say the whole run will really take (P5/P50/P95). Every number comes from
 * the plan layer (include/gpubudget/plan.h); the options are the table's
 * (cli_options.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

/*
 * The library names a problem by the spec's field ("give
 * spec.active_params too"); the user wrote options. Each field the CLI
 * sets is replaced by its option in the message, so the sentence says what
 * to type.
 */
static void plan_error(const char *what, gpb_error *e)
{
    static const char *const map[][2] = {
        {"spec.active_params", "--active-params"},
        {"spec.n_experts", "--experts"},
        {"spec.moe_top_k", "--top-k"},
        {"spec.n_layer", "--layers"},
        {"spec.d_model", "--d-model"},
        {"spec.n_head", "--heads"},
        {"spec.vocab", "--vocab"},
        {"spec.seq_len", "--seq"},
        {"spec.global_batch_tokens", "--global-batch"},
        {"spec.gpus", "--gpus"},
        {"spec.params", "--params"},
        {"spec.node_gpus", "--gpus-per-node"},
        {"spec.intra_node_bw_bytes_per_s", "--intra-node-bw"},
        {"spec.inter_node_bw_bytes_per_s", "--inter-node-bw"},
        {"spec.micro_batch", "--micro-batch"},
        {"spec.interleave", "--interleave"},
        {"spec.tp", "--tp"},
        {"spec.pp", "--pp"},
    };
    char out[sizeof e->message];
    size_t o = 0;
    const char *m = e->message;
    while (*m && o + 1 < sizeof out) {
        size_t k = 0;
        for (; k < sizeof map / sizeof map[0]; k++) {
            size_t n = strlen(map[k][0]);
            /* Whole names only: spec.tp is not the start of spec.tpx. */
            if (!strncmp(m, map[k][0], n) && m[n] != '_' &&
                !(m[n] >= 'a' && m[n] <= 'z'))
                break;
        }
        if (k < sizeof map / sizeof map[0]) {
            size_t n = strlen(map[k][1]);
            if (o + n + 1 >= sizeof out)
                break;
            memcpy(out + o, map[k][1], n);
            o += n;
            m += strlen(map[k][0]);
        } else {
            out[o++] = *m++;
        }
    }
    out[o] = 0;
    memcpy(e->message, out, o + 1);
    cli_error_gpb(what, e);
}

/* A positive number, or exit 2 naming the option. */
static int positive(const char *opt, const char *arg, double *out)
{
    if (cli_parse_number(opt, arg, out))
        return -1;
    if (!(*out > 0) || !isfinite(*out)) {
        cli_error("--%s must be a positive number (got '%s')", opt, arg);
        return -1;
    }
    return 0;
}

int cmd_plan(int argc, char **argv)
{
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    const char *gpu_name = NULL, *prec_name = NULL;
    double tokens = NAN, user_mfu = NAN, zero = -1;
    gpb_quantity price = {NAN, GPB_QTY_MONEY_PER_HOUR, GPB_CURRENCY_USD};
    int json = 0, have_price = 0;
    s.params = NAN;
    s.gpus = NAN;
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_PLAN, argc, argv);
    int c;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        const char *arg = p.arg;
        int bad = 0;
        switch (c) {
        case CLI_KEY_PARAMS: bad = positive("params", arg, &s.params); break;
        case CLI_KEY_GPU: gpu_name = arg; break;
        case CLI_KEY_GPUS:
            bad = cli_parse_whole("gpus", arg, 1, 1e7, "from 1 to 1e7",
                                  &s.gpus);
            break;
        case CLI_KEY_SEQ: bad = positive("seq", arg, &s.seq_len); break;
        case CLI_KEY_GLOBAL_BATCH:
            bad = positive("global-batch", arg, &s.global_batch_tokens);
            break;
        case CLI_KEY_TOKENS: bad = positive("tokens", arg, &tokens); break;
        case CLI_KEY_ACTIVE_PARAMS:
            bad = positive("active-params", arg, &s.active_params);
            break;
        case CLI_KEY_EXPERTS:
            bad = cli_parse_whole("experts", arg, 1, 1e6, "from 1 to 1e6",
                                  &s.n_experts);
            break;
        case CLI_KEY_TOP_K:
            bad = cli_parse_whole("top-k", arg, 1, 1e6, "from 1 to 1e6",
                                  &s.moe_top_k);
            break;
        case CLI_KEY_LAYERS:
            bad = cli_parse_whole("layers", arg, 1, 1e6, "from 1 to 1e6",
                                  &s.n_layer);
            break;
        case CLI_KEY_D_MODEL:
            bad = cli_parse_whole("d-model", arg, 1, 1e8, "from 1 to 1e8",
                                  &s.d_model);
            break;
        case CLI_KEY_HEADS:
            bad = cli_parse_whole("heads", arg, 1, 1e6, "from 1 to 1e6",
                                  &s.n_head);
            break;
        case CLI_KEY_VOCAB: bad = positive("vocab", arg, &s.vocab); break;
        case CLI_KEY_PRECISION: prec_name = arg; break;
        case CLI_KEY_TP:
            bad = cli_parse_whole("tp", arg, 1, 1024, "from 1 to 1024",
                                  &s.tp);
            break;
        case CLI_KEY_PP:
            bad = cli_parse_whole("pp", arg, 1, 1e6, "from 1 to 1e6", &s.pp);
            break;
        case CLI_KEY_MICRO_BATCH:
            bad = cli_parse_whole("micro-batch", arg, 1, 1e6,
                                  "from 1 to 1e6", &s.micro_batch);
            break;
        case CLI_KEY_INTERLEAVE:
            bad = cli_parse_whole("interleave", arg, 1, 64, "from 1 to 64",
                                  &s.interleave);
            break;
        case CLI_KEY_RECOMPUTE:
            bad = parse_recompute(arg, &s.recompute);
            s.recompute_fixed = 1;
            break;
        case CLI_KEY_ZERO:
            bad = cli_parse_whole("zero", arg, 0, 3, "from 0 to 3", &zero);
            break;
        case CLI_KEY_SOFTWARE:
            if (!strcmp(arg, "modern")) {
                s.software = GPB_PLAN_SW_MODERN;
            } else if (!strcmp(arg, "megatron-2021")) {
                s.software = GPB_PLAN_SW_MEGATRON_2021;
            } else {
                cli_error("--software must be modern or megatron-2021 (got "
                          "'%s')",
                          arg);
                bad = 1;
            }
            break;
        case CLI_KEY_INTRA_NODE_BW:
            bad = positive("intra-node-bw", arg,
                           &s.intra_node_bw_bytes_per_s);
            break;
        case CLI_KEY_INTER_NODE_BW:
            bad = positive("inter-node-bw", arg,
                           &s.inter_node_bw_bytes_per_s);
            break;
        case CLI_KEY_GPUS_PER_NODE:
            bad = cli_parse_whole("gpus-per-node", arg, 1, 1e6,
                                  "from 1 to 1e6", &s.node_gpus);
            break;
        case CLI_KEY_MFU:
            bad = cli_parse_fraction("mfu", arg, GPB_FRAC_OPEN_LO,
                                     &user_mfu);
            break;
        case CLI_KEY_PRICE:
            bad = cli_parse_qty("price", arg, GPB_QTY_MONEY_PER_HOUR,
                                &price);
            if (!bad && !(price.value > 0)) {
                cli_error("--price must be above 0 (got '%s')", arg);
                bad = 1;
            }
            have_price = 1;
            break;
        case CLI_KEY_JSON: json = 1; break;
        case CLI_OPT_STOP: return p.status;
        default: return cli_parser_unhandled(&p, c);
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
    /* The layout, the interval and the document come from the report
       layer (gpb_report_plan_compute), as for the bindings. */
    gpb_report_plan_request rq;
    gpb_report_plan_request_default(&rq);
    rq.spec = s;
    rq.gpu = gpu_name;
    rq.precision = prec_name;
    if (!isnan(tokens))
        rq.tokens = tokens;
    rq.mfu_frac = user_mfu;
    if (have_price) {
        rq.price_per_gpu_hour = price.value;
        rq.price_currency = price.currency;
    }
    gpb_error e;
    gpb_status st;
    gpb_report_plan P;
    char *text = NULL;
    st = json ? gpb_report_plan_json(&rq, &text, &e)
              : gpb_report_plan_compute(&rq, &P, &e);
    if (st) {
        if (e.path[0])
            cli_error_field("plan", &e);
        else
            plan_error("plan", &e);
        return st == GPB_ENOMEM ? CLI_INTERNAL : CLI_BAD_INPUT;
    }
    if (json)
        return cli_text_print(text);
    s = P.spec;
    const gpb_plan_result r = P.result;
    const gpb_plan_interval iv = P.interval;
    tokens = P.tokens;
    const char *tokens_origin = P.tokens_origin;
    gpb_currency cur = P.currency;
    const char *price_origin = P.price_origin;

    enum { IND = 13 };
    char bp[32], bb[32], bt[32], btok[32];
    gpb_units_format_number(s.params, GPB_STYLE_EN, 3, bp, sizeof bp);
    gpb_units_format_number(r.global_batch_tokens, GPB_STYLE_EN, 3, bb,
                            sizeof bb);
    gpb_units_format_number(r.tokens_per_s, GPB_STYLE_EN, 3, bt, sizeof bt);
    gpb_units_format_number(tokens, GPB_STYLE_EN, 3, btok, sizeof btok);
    cli_wrapf(2, "%s parameters on %.0f × %s (%.0f TFLOP/s dense), "
              "%.0f-token sequences, %s tokens per step\n",
              bp, s.gpus, s.gpu->name, r.peak_flop_per_s / 1e12, r.seq_len,
              bb);
    cli_wrapf(IND, "  shape      %.0f layers × %.0f wide, %.0f heads%s",
              r.n_layer, r.d_model, r.n_head,
              r.shape_inferred ? " (from published aspect ratios)" : "");
    char lay[256];
    int n = snprintf(lay, sizeof lay, "TP %.0f × PP %.0f", r.layout.tp,
                     r.layout.pp);
    if (r.layout.interleave > 1)
        n += snprintf(lay + n, sizeof lay - (size_t)n,
                      " (%.0f chunks a stage)", r.layout.interleave);
    n += snprintf(lay + n, sizeof lay - (size_t)n, " × DP %.0f",
                  r.layout.dp);
    double idle = gpb_plan_idle_gpus(&r.layout, s.gpus);
    if (idle > 0) /* a count that does not factor well */
        n += snprintf(lay + n, sizeof lay - (size_t)n,
                      " (%.0f GPU%s idle: faster than any layout of all %.0f)",
                      idle, idle == 1 ? "" : "s", s.gpus);
    if (r.layout.ep > 1)
        snprintf(lay + n, sizeof lay - (size_t)n, ", experts over %.0f",
                 r.layout.ep);
    cli_wrapf(IND, "  layout     %s; micro-batch %.0f, %.0f a step; "
              "recomputation %s; ZeRO-%d%s",
              lay, r.layout.micro_batch, r.layout.micro_batches,
              recompute_name(r.layout.recompute), (int)r.layout.zero,
              r.layout.sequence_parallel ? "; sequence parallel" : "");
    cli_wrapf(IND, "  memory     %.1f GB per GPU of %.1f usable: weights "
              "%.1f, gradients %.1f, optimizer %.1f, activations %.1f",
              r.mem_total_bytes / 1e9, r.mem_usable_bytes / 1e9,
              r.mem_weights_bytes / 1e9, r.mem_grads_bytes / 1e9,
              r.mem_optimizer_bytes / 1e9, r.mem_activations_bytes / 1e9);
    cli_wrapf(IND, "  step       %.2f s, %s tokens/s", r.step_s, bt);
    cli_wrapf(IND, "  MFU        %.3f at steady state (HFU %.3f)",
              r.mfu_frac, r.hfu_frac);
    cli_wrapf(IND, "  why        bound by %s: %s, %.0f%% of the step",
              gpb_plan_term_name(r.bound), gpb_plan_term_text(r.bound),
              100 * (r.bound == GPB_PLAN_TERM_GEMM
                         ? (r.term_s[GPB_PLAN_TERM_GEMM] - r.ideal_s)
                         : r.term_s[r.bound]) /
                  r.step_s);
    char terms[512] = "";
    size_t tl = 0;
    for (int i = 0; i < GPB_PLAN_TERM_COUNT && tl < sizeof terms; i++)
        if (r.term_s[i] > 0)
            tl += (size_t)snprintf(terms + tl, sizeof terms - tl, "%s%s %.0f%%",
                                   tl ? ", " : "",
                                   gpb_plan_term_name((gpb_plan_term)i),
                                   100 * r.term_s[i] / r.step_s);
    cli_wrapf(IND, "  step terms %s", terms);
    cli_wrapf(IND, "  searched   %.0f layouts, %.0f fit\n", r.layouts_tried,
              r.layouts_fit);

    cli_wrapf(2, "Over %s tokens (%s):\n", btok, tokens_origin);
    cli_interval_table(&iv, cur, 2);
    fputc('\n', stdout);
    cli_interval_basis(&iv, cur, price_origin, "your MFU", IND,
                       "  interval  ");
    cli_wrapf(2, "  One month = 730.5 h; 'ideal' is the steady state above.");
    return CLI_OK;
}
