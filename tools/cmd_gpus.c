/* gpubudget gpus [--json]: the GPU catalog with its sources. */
#include <string.h>

#include "cli.h"

static json_t *num_or_null(double v)
{
    return v > 0 ? json_real(v) : json_null();
}

int cmd_gpus(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--help")) {
            printf("usage: gpubudget gpus [--json]\nLists the GPU catalog: "
                   "dense peak TFLOP/s per precision, memory, bandwidth,\n"
                   "power, reference prices, each with its source and "
                   "date.\n");
            return CLI_OK;
        } else {
            cli_error("gpus: unknown option '%s'", argv[i]);
            return CLI_BAD_INPUT;
        }
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
            json_object_set_new(o, "rent_usd_per_hour",
                                num_or_null(g->rent_usd_per_hour));
            json_object_set_new(o, "rent_source", json_string(g->rent_source));
            json_object_set_new(o, "rent_date", json_string(g->rent_date));
            json_object_set_new(o, "default_mfu", json_real(g->default_mfu));
            json_object_set_new(o, "mfu_source", json_string(g->mfu_source));
            json_object_set_new(o, "notes", json_string(g->notes));
            json_array_append_new(arr, o);
        }
        return cli_json_print(arr);
    }
    printf("%-12s %5s %6s %6s %6s %6s %5s %5s %5s %8s %6s %4s\n", "GPU",
           "fp32", "tf32", "bf16", "fp16", "fp8", "GB", "TB/s", "W",
           "buy $", "rent/h", "MFU");
    printf("%-12s %5s %6s %6s %6s %6s %5s %5s %5s %8s %6s %4s\n", "",
           "", "", "dense TFLOP/s", "", "", "", "", "", "", "$", "");
    for (size_t i = 0; i < n; i++) {
        const gpb_gpu *g = gpb_hardware_gpu_at(i);
        char f[GPB_PREC_COUNT][16];
        for (int p = 0; p < GPB_PREC_COUNT; p++) {
            if (g->dense_flop_per_s[p] > 0)
                snprintf(f[p], sizeof f[p], "%.0f",
                         g->dense_flop_per_s[p] / 1e12);
            else
                snprintf(f[p], sizeof f[p], "-");
        }
        char buy[16] = "-", rent[16] = "-";
        if (g->purchase_usd > 0)
            snprintf(buy, sizeof buy, "%.0f", g->purchase_usd);
        if (g->rent_usd_per_hour > 0)
            snprintf(rent, sizeof rent, "%.2f", g->rent_usd_per_hour);
        printf("%-12s %5s %6s %6s %6s %6s %5.0f %5.2f %5.0f %8s %6s %4.2f\n",
               g->name, f[GPB_PREC_FP32], f[GPB_PREC_TF32], f[GPB_PREC_BF16],
               f[GPB_PREC_FP16], f[GPB_PREC_FP8], g->mem_bytes / 1e9,
               g->mem_bw_bytes_per_s / 1e12, g->tdp_watts, buy, rent,
               g->default_mfu);
    }
    printf("\nDense peaks (never the 2x 'with sparsity' figures). Sources and "
           "dates:\n'gpubudget gpus --json' or docs/hardware.md.\n");
    return CLI_OK;
}
