/*
 * gpubudget/hardware.h: the GPU catalog.
 *
 * One static, read-only row per accelerator: peak DENSE throughput per
 * precision (never the vendors' 2x "with sparsity" headline), memory,
 * memory bandwidth, power, a reference purchase price, a reference rental
 * price and a default model FLOPs utilisation (MFU). Every figure carries
 * its source and date in the same row; docs/hardware.md tabulates them and
 * explains the choices.
 *
 * Units: FLOP/s, bytes, bytes/s, watts, US dollars, US dollars per
 * GPU-hour, fractions (0-1). The catalog is static data: every function here
 * is thread-safe and allocates nothing.
 */
#ifndef GPUBUDGET_HARDWARE_H
#define GPUBUDGET_HARDWARE_H

#include <stddef.h>

#include "gpubudget/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Numeric precisions of the matrix units. The values index
 * gpb_gpu.dense_flop_per_s and are never renumbered.
 *
 *   FP32  IEEE single precision (the non-tensor rate on NVIDIA parts; the
 *         FP32 matrix rate on AMD CDNA parts, which have one)
 *   TF32  NVIDIA TensorFloat-32 (AMD MI300X's TF32 as well)
 *   BF16  bfloat16 with FP32 accumulation
 *   FP16  IEEE half precision with FP32 accumulation
 *   FP8   E4M3/E5M2 8-bit floating point
 */
typedef enum gpb_precision {
    GPB_PREC_FP32 = 0,
    GPB_PREC_TF32 = 1,
    GPB_PREC_BF16 = 2,
    GPB_PREC_FP16 = 3,
    GPB_PREC_FP8 = 4,
    GPB_PREC_COUNT = 5
} gpb_precision;

/*
 * One catalog row. All pointers are static strings that live as long as the
 * program; never NULL (an unknown figure is 0 with a source string that says
 * why it is unknown).
 *
 *   name              canonical name, e.g. "H100-SXM"
 *   aliases           comma-separated lower-case aliases, e.g.
 *                     "h100,h100-sxm5,h100 sxm"
 *   vendor, year      maker and the year the part became available
 *   dense_flop_per_s  peak dense FLOP/s per precision, indexed by
 *                     gpb_precision; 0 = the card lacks the precision (or
 *                     the vendor publishes no rate for it; the row's notes
 *                     say which)
 *   mem_bytes         memory capacity as marketed, decimal (80 GB = 80e9);
 *                     the usable HBM capacity is usually a little larger
 *   mem_bw_bytes_per_s  peak memory bandwidth
 *   tdp_watts         board/module power (the maximum configurable TDP)
 *   spec_source, spec_date          where the figures above come from
 *   purchase_usd      a reference price for the card alone (the chip on
 *                     its module or board, no server), in US dollars; 0 =
 *                     unknown (purchase_source says why). Every row is on
 *                     this one basis: a price quoted per GPU of a server is
 *                     converted (purchase_quoted_usd below)
 *   purchase_source, purchase_date
 *   rent_usd_per_hour the reference on-demand rental price per GPU-hour in
 *                     US dollars: the middle, √(low · high), of the range
 *                     of several providers below when the row has one, else
 *                     the one sourced price; 0 = unknown (rent_source says
 *                     why)
 *   rent_source, rent_date
 *   default_mfu       the model FLOPs utilisation (0-1) to assume when the
 *                     user gives none
 *   mfu_source, mfu_date
 *   notes             caveats (variants, discrepancies between sources)
 *
 * Interconnect (added for the parallelism planner, plan.h). Bandwidths are
 * per GPU and per direction, as a ring collective uses them: the vendors'
 * "600 GB/s NVLink" is bidirectional, 300 GB/s each way.
 *
 *   node_gpus         GPUs of one server that share its scale-up fabric
 *                     (NVLink/NVSwitch, Infinity Fabric, or PCIe)
 *   intra_node_bw_bytes_per_s  that fabric's bandwidth; 0 = unknown
 *   inter_node_bw_bytes_per_s  scale-out network (InfiniBand, RoCE) share
 *                     of one GPU: the node's NIC bandwidth / node_gpus;
 *                     0 = unknown
 *   interconnect_source, interconnect_date
 *
 * Rental price range (the pricing rule below, and intervals, plan.h): the
 * cheapest and the dearest on-demand price per GPU-hour of the providers
 * rent_range_source cites, at one date, in US dollars; both equal
 * rent_usd_per_hour when the sources give one price, 0 when that is
 * unknown.
 *
 *   rent_low_usd_per_hour, rent_high_usd_per_hour, rent_range_source
 *
 * Purchase basis and the server (docs/hardware.md, "Prices"):
 *
 *   purchase_quoted_usd          the price as its source quotes it: per
 *                     card, or per GPU of a server (a server price / its
 *                     GPUs)
 *   purchase_quoted_server_frac  0 when the quote is for the card alone;
 *                     for a server quote, the server's share per unit of
 *                     card price that the conversion removes:
 *                     purchase_usd = purchase_quoted_usd / (1 + this)
 *   server_frac       servers, network and installation per unit of card
 *                     price for the card's usual node: what a fleet of
 *                     these cards adds to their price when the scenario
 *                     gives no `overhead` (docs/scenario.md); 0 when the
 *                     card has no purchase price
 *   server_source, server_date
 *
 * Dates are "YYYY" or "YYYY-MM".
 */
typedef struct gpb_gpu {
    const char *name;
    const char *aliases;
    const char *vendor;
    int year;
    double dense_flop_per_s[GPB_PREC_COUNT];
    double mem_bytes;
    double mem_bw_bytes_per_s;
    double tdp_watts;
    const char *spec_source;
    const char *spec_date;
    double purchase_usd;
    const char *purchase_source;
    const char *purchase_date;
    double rent_usd_per_hour;
    const char *rent_source;
    const char *rent_date;
    double default_mfu;
    const char *mfu_source;
    const char *mfu_date;
    const char *notes;
    double node_gpus;
    double intra_node_bw_bytes_per_s;
    double inter_node_bw_bytes_per_s;
    const char *interconnect_source;
    const char *interconnect_date;
    double rent_low_usd_per_hour;
    double rent_high_usd_per_hour;
    const char *rent_range_source;
    double purchase_quoted_usd;
    double purchase_quoted_server_frac;
    double server_frac;
    const char *server_source;
    const char *server_date;
} gpb_gpu;

/* Returns the number of rows in the catalog (at least 14). */
GPB_API size_t gpb_hardware_gpu_count(void);

/*
 * Returns row i (0-based, in catalog order) as a static pointer, or NULL
 * when i >= gpb_hardware_gpu_count().
 */
GPB_API const gpb_gpu *gpb_hardware_gpu_at(size_t i);

/*
 * Looks a GPU up by canonical name or alias. The match ignores ASCII case
 * and the characters '-', '_', '.' and space, and a leading vendor word
 * ("nvidia", "amd", "huawei", "google"), so "h100", "H100 SXM5",
 * "nvidia-h100" and "H100_SXM" all find H100-SXM.
 *
 * Bare family names resolve to one variant, on purpose:
 *   "h100" -> H100-SXM   (the SXM5 module is what training clusters use)
 *   "a100" -> A100-80GB  (the SXM4 80 GB part has been the common training
 *                         and rental A100 since 2021; ask for "a100-40gb"
 *                         for the original)
 *   "4090" -> RTX-4090, "3090" -> RTX-3090, "910b" -> Ascend-910B2 (the
 *                         bin the catalog has; a scenario gives another
 *                         bin's peak_tflops)
 *
 *   name  NUL-terminated, borrowed
 *   out   receives a static pointer to the row on success
 *
 * Returns GPB_OK; GPB_EINVAL when name or out is NULL; GPB_ENOTFOUND when
 * nothing matches, with a message such as
 *   "unknown GPU 'H1000'; did you mean H100-SXM, H100-PCIe, H800?"
 * (the nearest names by edit distance) or, when nothing is near, a list of
 * every canonical name.
 */
GPB_API gpb_status gpb_hardware_gpu_find(const char *name,
                                         const gpb_gpu **out,
                                         gpb_error *err);

/*
 * Peak dense throughput of gpu at precision p, in FLOP/s.
 *
 * Returns GPB_OK; GPB_EINVAL when gpu or out is NULL or p is not a valid
 * precision; GPB_EUNSUPPORTED when the card has no rate for p, with a
 * message naming the card and the precision and listing the precisions it
 * has ("V100 has no bf16 rate; it supports fp32, fp16"). *out is set only on
 * success.
 */
GPB_API gpb_status gpb_hardware_gpu_peak_flop_per_s(const gpb_gpu *gpu,
                                                    gpb_precision p,
                                                    double *out,
                                                    gpb_error *err);

/*
 * The precision a training estimate uses when the user names none: bf16
 * when the card has it, else fp16, else fp8, tf32, fp32 in that order (V100
 * gives fp16).
 *
 * Returns GPB_OK; GPB_EINVAL when gpu or out is NULL; GPB_EUNSUPPORTED when
 * the row has no rate at all (no catalog row does).
 */
GPB_API gpb_status gpb_hardware_gpu_default_precision(const gpb_gpu *gpu,
                                                      gpb_precision *out,
                                                      gpb_error *err);

/*
 * Returns the static lower-case name of a precision ("fp32", "tf32",
 * "bf16", "fp16", "fp8"), or "unknown" for any other value. Never NULL.
 */
GPB_API const char *gpb_precision_name(gpb_precision p);

/*
 * Parses a precision name, ignoring ASCII case and '-', '_', ' ':
 * "fp32"/"float32"/"single", "tf32"/"tensorfloat32", "bf16"/"bfloat16",
 * "fp16"/"float16"/"half", "fp8"/"float8"/"e4m3"/"e5m2".
 *
 *   s    NUL-terminated, borrowed
 *   out  receives the precision on success
 *
 * Returns GPB_OK; GPB_EINVAL when s or out is NULL; GPB_ENOTFOUND for
 * anything else, with a did-you-mean message listing the valid names.
 */
GPB_API gpb_status gpb_precision_from_name(const char *s, gpb_precision *out,
                                           gpb_error *err);

/*
 * A numeric field of a row by name, for the spreadsheet layer. Names (case
 * and '-'/'_'/' ' ignored) and units:
 *
 *   bf16_tflops fp16_tflops fp8_tflops tf32_tflops fp32_tflops
 *                        peak dense TFLOP/s (1e12 FLOP/s)
 *   mem_gb               memory, decimal GB (1e9 bytes)
 *   mem_bytes            memory, bytes
 *   mem_bw_tbs           memory bandwidth, TB/s (1e12 bytes/s)
 *   mem_bw_bytes_per_s   memory bandwidth, bytes/s
 *   tdp_w                power, watts
 *   purchase_usd         reference purchase price, USD per card
 *   rent_usd_per_hour    reference on-demand rent, USD per GPU-hour
 *   default_mfu          default model FLOPs utilisation, 0-1
 *   year                 year of availability
 *
 * Returns GPB_OK; GPB_EINVAL when gpu, field or out is NULL;
 * GPB_ENOTFOUND for an unknown field name (with "did you mean ...?"), or for
 * a price the catalog does not know (the message quotes the row's source);
 * GPB_EUNSUPPORTED for a *_tflops field of a precision the card lacks.
 * *out is set only on success.
 */
GPB_API gpb_status gpb_hardware_gpu_field(const gpb_gpu *gpu,
                                          const char *field, double *out,
                                          gpb_error *err);

/*
 * Returns the static, NULL-terminated list of the field names
 * gpb_hardware_gpu_field accepts, in the order documented above.
 */
GPB_API const char *const *gpb_hardware_field_names(void);

/*
 * The pricing rule for renting a catalog card: one rule for every command
 * that prices rent the user did not give (`gpubudget estimate`, `gpubudget
 * check --claim`, the cells' default price, a scenario's run without
 * `price_per_gpu_hour`; docs/check.md, "Pricing").
 *
 *   median  the catalog's on-demand rent, rent_usd_per_hour: the middle
 *           √(low · high) of the on-demand prices of several providers at
 *           one date (rent_range_source), or the one sourced price. A
 *           point estimate (estimate, GPB_TRAIN_COST) uses it as it is.
 *   90%     where the price is uncertain (the pitch check, intervals),
 *           it is lognormal with the catalog's price as its median and
 *           the providers' range as the width of its 90% interval:
 *           median ×/÷ √(rent_high_usd_per_hour / rent_low_usd_per_hour),
 *           which is the providers' range itself up to the cent the
 *           median is rounded to (H100: $3.2001-6.1602 for $3.20-6.16);
 *           a row with one price takes median / GPB_RENT_SPREAD to
 *           median · GPB_RENT_SPREAD. Every figure priced at the median
 *           uses the same price, and a
 *           simulated cost's median sits at the point estimate's (up to
 *           MFU and failures).
 *
 * GPB_RENT_SPREAD is 2, for the rows with a single price, because the
 * ranges of the rows with several providers span about that much around
 * their middle: A100-80GB $1.60-2.79 (×/÷ 1.32), H100-SXM $3.20-6.16
 * (×/÷ 1.39), L40S $0.86-2.25 (×/÷ 1.62), and AWS's on-demand H100 at
 * $6.88 (1.55× the middle; docs/hardware.md); a factor 2 holds them all,
 * so one provider's price is not taken as more certain than several.
 */
#define GPB_RENT_SPREAD 2.0

/* The rule in one sentence, for outputs (static). */
#define GPB_RENT_RULE_TEXT                                                   \
    "the catalog's rent (the middle of several providers' on-demand "       \
    "prices, or a card's one sourced price: see its source) is the "        \
    "median; where the price is uncertain it is lognormal, 90% within "     \
    "the providers' range, or half to twice a single price"

/*
 * The rule applied to one card.
 *
 *   median_usd_per_hour  the catalog's rent_usd_per_hour
 *   p5_usd_per_hour      rent_low_usd_per_hour, or median / GPB_RENT_SPREAD
 *                        when the row has a single price
 *   p95_usd_per_hour     rent_high_usd_per_hour, or median ·
 *                        GPB_RENT_SPREAD when the row has a single price
 *   source, date         the row's rent_source and rent_date (static)
 *   range_source         the row's rent_range_source (static)
 */
typedef struct gpb_rent_rule {
    double median_usd_per_hour;
    double p5_usd_per_hour;
    double p95_usd_per_hour;
    const char *source;
    const char *date;
    const char *range_source;
} gpb_rent_rule;

/*
 * Fills *out for gpu. Returns GPB_OK; GPB_EINVAL when gpu or out is NULL;
 * GPB_ENOTFOUND when the catalog has no rent for the card (the message
 * names the card and quotes its rent_source, which says why).
 */
GPB_API gpb_status gpb_hardware_gpu_rent_rule(const gpb_gpu *gpu,
                                              gpb_rent_rule *out,
                                              gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_HARDWARE_H */
