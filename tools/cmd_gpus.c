/* gpubudget gpus [--json]: the GPU catalog with its sources. */
#include <string.h>

#include "cli.h"

static json_t *num_or_null(double v)
{
    return v > 0 ? json_real(v) : json_null();
}

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
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const gpb_gpu *g = gpb_hardware_gpu_at(i);
            json_t *o = json_object(), *peak = json_object();
            json_object_set_new(o, "name", json_string(g->name));
            json_object_set_new(o, "aliases", json_string(g->aliases));
            json_object_set_new(o, "vendor", json_string(g->vendor));
            json_object_set_new(o, "year", json_integer(g->year));
            for (int p = 0; p < GPB_PREC_COUNT; p++)
                json_object_set_new(peak, gpb_precision_name((gpb_precision)p),
                                    num_or_null(g->dense_flop_per_s[p]));
            json_object_set_new(o, "dense_flop_per_s", peak);
            json_object_set_new(o, "mem_bytes", num_or_null(g->mem_bytes));
            json_object_set_new(o, "mem_bw_bytes_per_s",
                                num_or_null(g->mem_bw_bytes_per_s));
            json_object_set_new(o, "tdp_watts", num_or_null(g->tdp_watts));
            json_object_set_new(o, "spec_source", json_string(g->spec_source));
            json_object_set_new(o, "spec_date", json_string(g->spec_date));
            json_object_set_new(o, "purchase_usd",
                                num_or_null(g->purchase_usd));
            json_object_set_new(o, "purchase_source",
                                json_string(g->purchase_source));
            json_object_set_new(o, "purchase_date",
                                json_string(g->purchase_date));
            json_object_set_new(o, "purchase_quoted_usd",
                                num_or_null(g->purchase_quoted_usd));
            json_object_set_new(o, "purchase_quoted_basis",
                                json_string(g->purchase_quoted_server_frac > 0
                                                ? "server"
                                                : "card"));
            json_object_set_new(o, "purchase_quoted_server_frac",
                                json_real(g->purchase_quoted_server_frac));
            json_object_set_new(o, "server_frac",
                                num_or_null(g->server_frac));
            json_object_set_new(o, "server_source",
                                json_string(g->server_source));
            json_object_set_new(o, "server_date", json_string(g->server_date));
            json_object_set_new(o, "rent_usd_per_hour",
                                num_or_null(g->rent_usd_per_hour));
            json_object_set_new(o, "rent_source", json_string(g->rent_source));
            json_object_set_new(o, "rent_date", json_string(g->rent_date));
            json_object_set_new(o, "rent_low_usd_per_hour",
                                num_or_null(g->rent_low_usd_per_hour));
            json_object_set_new(o, "rent_high_usd_per_hour",
                                num_or_null(g->rent_high_usd_per_hour));
            json_object_set_new(o, "rent_range_source",
                                json_string(g->rent_range_source));
            json_object_set_new(o, "default_mfu", json_real(g->default_mfu));
            json_object_set_new(o, "mfu_source", json_string(g->mfu_source));
            json_object_set_new(o, "notes", json_string(g->notes));
            json_array_append_new(arr, o);
        }
        return cli_json_print(arr);
    }
    print_table(n);
    return CLI_OK;
}
