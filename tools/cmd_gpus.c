/* gpubudget gpus [--json]: the GPU catalog with its sources. */
#include <string.h>

#include "cli.h"

/* A number with `decimals` in at most `width` columns, with a k or M
   suffix when it is wider; "-" when unknown. */
static void cell(double v, int width, int decimals, char *buf, size_t n)
{
    if (!(v > 0)) {
        snprintf(buf, n, "-");
        return;
    }
    snprintf(buf, n, "%.*f", decimals, v);
    if ((int)strlen(buf) > width)
        snprintf(buf, n, v < 1e6 ? "%.0fk" : "%.0fM",
                 v < 1e6 ? v / 1e3 : v / 1e6);
}

/* The catalog in 80 columns: a name longer than its column is cut, with a
   mark; every field in full is in --json. */
static void print_table(size_t n)
{
    enum { NAME_W = 12 };
    printf("%*s %s\n", NAME_W + 4, "", "------ dense TFLOP/s -------");
    printf("%-*s %5s %5s %5s %5s %5s %4s %5s %5s %6s %6s %4s\n", NAME_W,
           "GPU", "fp32", "tf32", "bf16", "fp16", "fp8", "GB", "TB/s", "W",
           "card $", "rent/h", "MFU");
    for (size_t i = 0; i < n; i++) {
        const gpb_gpu *g = gpb_hardware_gpu_at(i);
        char f[GPB_PREC_COUNT][16], mem[16], bw[16], w[16], buy[16],
            rent[16];
        for (int p = 0; p < GPB_PREC_COUNT; p++)
            cell(g->dense_flop_per_s[p] / 1e12, 5, 0, f[p],
                 sizeof f[p]);
        cell(g->mem_bytes / 1e9, 4, 0, mem, sizeof mem);
        cell(g->mem_bw_bytes_per_s / 1e12, 5, 2, bw, sizeof bw);
        cell(g->tdp_watts, 5, 0, w, sizeof w);
        cell(g->purchase_usd, 6, 0, buy, sizeof buy);
        cell(g->rent_usd_per_hour, 6, 2, rent, sizeof rent);
        char name[64];
        if (cli_display_width(g->name) > NAME_W)
            snprintf(name, sizeof name, "%.*s…", NAME_W - 1, g->name);
        else
            snprintf(name, sizeof name, "%s", g->name);
        printf("%-*s %5s %5s %5s %5s %5s %4s %5s %5s %6s %6s %4.2f\n", NAME_W,
               name, f[GPB_PREC_FP32], f[GPB_PREC_TF32], f[GPB_PREC_BF16],
               f[GPB_PREC_FP16], f[GPB_PREC_FP8], mem, bw, w, buy, rent,
               g->default_mfu);
    }
    printf("\nDense peaks, never the 2x 'with sparsity' figures. Prices in "
           "US dollars. Every\nfield with its source and date: 'gpubudget "
           "gpus --json' or docs/hardware.md.\n");
}

int cmd_gpus(int argc, char **argv)
{
    cli_parser parser;
    cli_parser_init(&parser, CLI_CMD_GPUS, argc, argv);
    int json = 0, c;
    while ((c = cli_parser_next(&parser)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_STOP: return parser.status;
        case CLI_KEY_JSON: json = 1; break;
        default: return cli_parser_unhandled(&parser, c);
        }
    }
    if (optind < argc) {
        cli_error("gpus: unexpected argument '%s'", argv[optind]);
        return CLI_BAD_INPUT;
    }
    size_t n = gpb_hardware_gpu_count();
    if (json) {
        /* The document is the report layer's (gpb_report_gpus_json). */
        char *text = NULL;
        gpb_error e;
        if (gpb_report_gpus_json(&text, &e)) {
            cli_error_gpb("gpus", &e);
            return CLI_INTERNAL;
        }
        return cli_text_print(text);
    }
    print_table(n);
    return CLI_OK;
}
