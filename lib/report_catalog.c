/*
 * The document of `gpubudget gpus` (report.h): the GPU catalog with every
 * field's source and date, so that the command and the bindings list the
 * same catalog.
 */
#include <jansson.h>

#include "gpubudget/report.h"
#include "internal.h"
#include "report_doc.h"

/* Unknown catalog numbers are stored as 0: null in the document. */
static json_t *num_or_null(double v)
{
    return v > 0 ? json_real(v) : json_null();
}

static json_t *gpu_json(const gpb_gpu *g)
{
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
    json_object_set_new(o, "purchase_usd", num_or_null(g->purchase_usd));
    json_object_set_new(o, "purchase_source",
                        json_string(g->purchase_source));
    json_object_set_new(o, "purchase_date", json_string(g->purchase_date));
    json_object_set_new(o, "purchase_quoted_usd",
                        num_or_null(g->purchase_quoted_usd));
    json_object_set_new(o, "purchase_quoted_basis",
                        json_string(g->purchase_quoted_server_frac > 0
                                        ? "server"
                                        : "card"));
    json_object_set_new(o, "purchase_quoted_server_frac",
                        json_real(g->purchase_quoted_server_frac));
    json_object_set_new(o, "server_frac", num_or_null(g->server_frac));
    json_object_set_new(o, "server_source", json_string(g->server_source));
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
    json_object_set_new(o, "mfu_date", json_string(g->mfu_date));
    json_object_set_new(o, "node_gpus", num_or_null(g->node_gpus));
    json_object_set_new(o, "intra_node_bw_bytes_per_s",
                        num_or_null(g->intra_node_bw_bytes_per_s));
    json_object_set_new(o, "inter_node_bw_bytes_per_s",
                        num_or_null(g->inter_node_bw_bytes_per_s));
    json_object_set_new(o, "interconnect_source",
                        json_string(g->interconnect_source));
    json_object_set_new(o, "interconnect_date",
                        json_string(g->interconnect_date));
    json_object_set_new(o, "notes", json_string(g->notes));
    return o;
}

gpb_status gpb_report_gpus_json(char **out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out is NULL");
    json_t *arr = json_array();
    size_t n = gpb_hardware_gpu_count();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, gpu_json(gpb_hardware_gpu_at(i))))
            break;
    return gpb__report_json_dump(arr, out, err);
}
