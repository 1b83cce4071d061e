/*
 * The GPU catalog: static rows, lookup by name or alias, peak dense
 * throughput by precision, and named numeric fields for the spreadsheet
 * layer. See include/gpubudget/hardware.h for the contract and
 * docs/hardware.md for the table and the reasoning behind each figure.
 *
 * Every row carries its sources and dates in its own fields. Throughput is
 * DENSE: vendors print 2x "with sparsity" headlines (H100 SXM: 1,979 BF16),
 * which no dense transformer training run can use; the catalog halves them
 * (989.4). Where a figure could not be verified it is 0 with a source string
 * that says so, rather than a guess.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gpubudget/hardware.h"
#include "internal.h"

#define TF(x) ((x) * 1e12)  /* TFLOP/s -> FLOP/s */
#define GB(x) ((x) * 1e9)   /* decimal GB -> bytes */
#define GIB(x) ((x) * 1073741824.0)
#define GBS(x) ((x) * 1e9)  /* GB/s -> bytes/s */
#define TBS(x) ((x) * 1e12) /* TB/s -> bytes/s */

/* Sources cited by several rows. */
#define EPOCH_PRICES                                                   \
    "Epoch AI 'Hardware prices.csv', "                                 \
    "github:epoch-research/training-cost-trends @35b2cd6"
#define LAMBDA_2026                                                    \
    "lambda.ai/instances as transcribed 2026-09-20 in "                \
    "github:api-evangelist/lambda-labs "                               \
    "plans/lambda-labs-plans-pricing.yml"
#define LLAMA3_MFU                                                     \
    "Llama 3 405B on 8,192-16,384 H100s: 38-43% BF16 MFU (Dubey et "   \
    "al. 2024, arXiv:2407.21783, Table 4)"
#define LOW_END_MFU                                                    \
    "0.30, the low end of published large runs (0.30-0.55: PaLM "      \
    "arXiv:2204.02311 Table 3; Llama 3 arXiv:2407.21783 Table 4)"
#define HOPPER_SXM_SPEC                                                \
    "NVIDIA H100 datasheet, SXM5: 1,979 BF16/FP16, 3,958 FP8 and 989 " \
    "TF32 TFLOPS are with sparsity, dense is half; 67 FP32; dense "    \
    "BF16 = 132 SMs x 1.83 GHz x 4,096 FLOP/clk = 989.4 TFLOPS "       \
    "(table at glennklockwood.com/garden/processors/h100)"

#define HYPERSTACK_2026                                                \
    "hyperstack.cloud/gpu-pricing as transcribed 2026-08-26 in "       \
    "github:api-evangelist/nexgen-cloud "                              \
    "plans/nexgen-cloud-plans-pricing.yml"
#define COREWEAVE_2026                                                 \
    "coreweave.com/pricing as transcribed 2026-09-20 in "              \
    "github:api-evangelist/coreweave plans/coreweave-plans-pricing.yml"
/* A row's rent: the middle of its providers' on-demand range. */
#define MIDDLE_OF(card, lo, hi)                                        \
    "middle of on-demand " card " prices, " lo " to " hi               \
    ", sqrt(low x high); each provider in rent_range_source"

/*
 * Servers, network and installation per unit of card price (server_frac).
 * Only these three are sourced; the other rows take an assumption and
 * say so. HOPPER_SERVER includes the cluster network; AMPERE_SERVER and
 * the V100 row's figure are one 8-GPU server each (no other like-for-like
 * pair of a card and its server was found for those generations).
 */
#define HOPPER_SERVER_FRAC (42997.0 / 27500.0 - 1)
#define HOPPER_SERVER                                                  \
    "HGX H100 nodes plus InfiniBand switches and cables for 1,024 "    \
    "H100s: $42,997 per GPU (tech-talk-cto.com 'H100 Freakonomics' "   \
    "spreadsheet, 2024-08), against H100-SXM's $27,500 card: "         \
    "42,997 / 27,500 - 1 = 0.56; Cottier et al. 2024 "                 \
    "(arXiv:2405.21015): server components 15-22% and cluster "        \
    "interconnect 9-13% of amortized hardware cost, 0.32-0.59 of the " \
    "chips' (derived)"
#define AMPERE_SERVER_FRAC (24875.0 / 15000.0 - 1)
#define AMPERE_SERVER                                                  \
    "NVIDIA DGX A100 at launch, $199,000 for 8 x A100 40 GB (NVIDIA "  \
    "press release 2020-05-14) = $24,875 per GPU, against the A100 "   \
    "SXM4 40 GB single-unit list price $15,000 (NextPlatform "         \
    "2022-05-09), both via " EPOCH_PRICES ": 24,875 / 15,000 - 1 = "   \
    "0.66, one server without the cluster network"
#define ASSUMED_SERVER_PCIE                                            \
    "assumption: no server price sourced for this card; 0.30, the "    \
    "finance layer's default (GPB_FINANCE_OVERHEAD_FRAC_DEFAULT): a "  \
    "PCIe server costs less per card than an HGX node"
#define ASSUMED_SERVER_HGX                                             \
    "assumption: no server price sourced for this card, which sits "   \
    "on an 8-accelerator baseboard like HGX H100: the H100 figure ("   \
    HOPPER_SERVER ")"

#define DGX_A100_NET                                                   \
    "DGX A100 / Selene: eight 200 Gb/s HDR InfiniBand HCAs per 8-GPU "  \
    "node (Narayanan et al. 2021, arXiv:2104.04473, sec. 5), 25 GB/s "  \
    "per GPU, as Calculon's systems/a100_80g.json (2023)"
#define DGX_HOPPER_NET                                                 \
    "DGX H100/H200: eight single-port ConnectX-7 VPI, up to 400 Gb/s "  \
    "each (NVIDIA DGX BasePOD reference architecture, core "           \
    "components), 50 GB/s per GPU"
#define NVLINK4                                                        \
    "NVLink 4: 18 links, 900 GB/s bidirectional per GPU through "      \
    "NVSwitch, any pair of the 8 (NVIDIA Hopper architecture page; "   \
    "HGX H100 8-GPU), 450 GB/s each way"
#define PCIE_ONLY_NODE                                                 \
    "node of 8 cards is an assumption (common 8-slot servers); "       \
    "no scale-out NIC figure is sourced (0 = unknown: give it to the "  \
    "planner)"

/* Catalog order is also the tie-break order of "did you mean" lists. */
static const gpb_gpu gpus[] = {
    {
        .name = "V100",
        .aliases = "v100,tesla v100,v100-sxm2,v100-sxm2-32gb,v100-32gb",
        .vendor = "NVIDIA",
        .year = 2017,
        /* 640 tensor cores x 1.53 GHz x 128 FLOP/clk = 125.3 TFLOPS FP16.
         * Volta has no BF16, TF32, FP8 or sparsity. */
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(15.7),
                             [GPB_PREC_FP16] = TF(125)},
        .mem_bytes = GB(32),
        .mem_bw_bytes_per_s = GBS(900),
        .tdp_watts = 300,
        .spec_source = "NVIDIA Tesla V100 datasheet, SXM2 32 GB: 125 "
                       "TFLOPS tensor (FP16), 15.7 FP32, 32 GB HBM2, "
                       "900 GB/s, 300 W",
        .spec_date = "2018-03",
        .purchase_usd = 11458,
        .purchase_source = "Microway single-unit list price, Tesla V100 "
                           "SXM2 32 GB (microway.com V100 price analysis, "
                           "archived 2019-01), via " EPOCH_PRICES,
        .purchase_date = "2018-05",
        .rent_usd_per_hour = 0.79,
        .rent_source = "Lambda on-demand, 8x Tesla V100 16 GB, per "
                       "GPU-hour; " LAMBDA_2026,
        .rent_date = "2026-09",
        .default_mfu = 0.22,
        .mfu_source = "Lambda Labs, 'OpenAI's GPT-3 Language Model: A "
                      "Technical Overview': the $4.6M GPT-3 estimate "
                      "assumes 28 of 125 TFLOP/s sustained (0.224); PaLM "
                      "(arXiv:2204.02311) Table 3 gives GPT-3 21.3%",
        .mfu_date = "2020-06",
        .notes = "SXM2 32 GB (PCIe: 112 TFLOPS, 250 W). No bf16: "
                 "estimates default to fp16.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(150),
        .inter_node_bw_bytes_per_s = GBS(6.25),
        .interconnect_source =
            "NVIDIA DGX-1 with Tesla V100 system architecture white "
            "paper: six NVLinks per V100 at 25 GB/s each way (hybrid "
            "cube-mesh of 8), and four 100 Gb/s InfiniBand NICs per "
            "DGX-1: 50 GB/s / 8 = 6.25 GB/s per GPU",
        .interconnect_date = "2017",
        .rent_low_usd_per_hour = 0.79,
        .rent_high_usd_per_hour = 0.79,
        .rent_range_source = "one sourced price (rent_source)",
        .purchase_quoted_usd = 11458,
        .purchase_quoted_server_frac = 0,
        .server_frac = (18625.0 / 11458.0 - 1),
        .server_source = "NVIDIA DGX-1 with 8 x V100 at release (2017 Q3), "
                         "$149,000 = $18,625 per GPU including interconnect "
                         "(wccftech, via " EPOCH_PRICES "), against the V100 "
                         "SXM2 32 GB list $11,458: 18,625 / 11,458 - 1 = "
                         "0.63",
        .server_date = "2017-07",
    },
    {
        .name = "A100-40GB",
        .aliases = "a100-40gb,a100 40g,a100-sxm4-40gb,a100-40",
        .vendor = "NVIDIA",
        .year = 2020,
        /* 108 SMs x 1.41 GHz x 2,048 FLOP/clk = 311.9 TFLOPS BF16. */
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(19.5),
                             [GPB_PREC_TF32] = TF(156),
                             [GPB_PREC_BF16] = TF(312),
                             [GPB_PREC_FP16] = TF(312)},
        .mem_bytes = GB(40),
        .mem_bw_bytes_per_s = GBS(1555),
        .tdp_watts = 400,
        .spec_source = "NVIDIA A100 datasheet, SXM4 40 GB: 312 BF16/FP16, "
                       "156 TF32, 19.5 FP32 TFLOPS dense (624/312 are "
                       "with sparsity); 40 GB HBM2, 1,555 GB/s, 400 W",
        .spec_date = "2020-05",
        .purchase_usd = 15000,
        .purchase_source = "NextPlatform 2022-05-09 'How much of a premium "
                           "will Nvidia charge for Hopper GPUs?', "
                           "single-unit list price of A100 SXM4 40 GB in "
                           "2020, via " EPOCH_PRICES,
        .purchase_date = "2020-07",
        .rent_usd_per_hour = 1.99,
        .rent_source = "Lambda on-demand, 8x A100 SXM 40 GB, per "
                       "GPU-hour; " LAMBDA_2026,
        .rent_date = "2026-09",
        .default_mfu = 0.40,
        .mfu_source = "A100-era runs span 0.30 (MT-NLG 530B, PaLM "
                      "arXiv:2204.02311 Table 3) to 0.48 (LLaMA 65B: 380 "
                      "tokens/s/GPU on 2,048 A100-80GB, arXiv:2302.13971 "
                      "sec. 2.4; 6 x 65.2e9 x 380 / 312e12 = 0.476); "
                      "0.40 is the rounded midpoint",
        .mfu_date = "2023-02",
        .notes = "SXM4 40 GB, the original A100.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(300),
        .inter_node_bw_bytes_per_s = GBS(25),
        .interconnect_source =
            "NVLink 3: twelve links, 600 GB/s per A100 through six "
            "NVSwitches (NVIDIA NVLink page; A100 white paper), 300 GB/s "
            "each way; " DGX_A100_NET,
        .interconnect_date = "2020-05",
        .rent_low_usd_per_hour = 1.99,
        .rent_high_usd_per_hour = 1.99,
        .rent_range_source = "one sourced price (rent_source)",
        .purchase_quoted_usd = 15000,
        .purchase_quoted_server_frac = 0,
        .server_frac = AMPERE_SERVER_FRAC,
        .server_source = AMPERE_SERVER,
        .server_date = "2020-05",
    },
    {
        .name = "A100-80GB",
        .aliases = "a100,a100-80gb,a100 80g,a100-sxm4-80gb,a100-sxm,"
                   "a100-80",
        .vendor = "NVIDIA",
        .year = 2020,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(19.5),
                             [GPB_PREC_TF32] = TF(156),
                             [GPB_PREC_BF16] = TF(312),
                             [GPB_PREC_FP16] = TF(312)},
        .mem_bytes = GB(80),
        .mem_bw_bytes_per_s = GBS(2039),
        .tdp_watts = 400,
        .spec_source = "NVIDIA A100 80GB datasheet, SXM4: 312 BF16/FP16, "
                       "156 TF32, 19.5 FP32 TFLOPS dense (624/312 with "
                       "sparsity); 80 GB HBM2e, 2,039 GB/s, 400 W",
        .spec_date = "2020-11",
        .purchase_usd = 18548.75 / (1 + AMPERE_SERVER_FRAC),
        .purchase_source = "card price derived: an 8-GPU A100 SXM4 80 GB EPYC "
                           "server ('DGX A100 comparable', dihuni.com, "
                           "archived 2023-09-23) at $18,548.75 per GPU, via "
                           EPOCH_PRICES ", less the server at the DGX A100 "
                           "share (server_source): 18,548.75 / 1.658 = "
                           "$11,185; Digital Trends (2023-03) put an A100 at "
                           "$10,000-15,000",
        .purchase_date = "2023-09",
        .rent_usd_per_hour = 2.11,
        .rent_source = MIDDLE_OF("A100 SXM 80 GB", "Hyperstack $1.60",
                                 "Lambda $2.79"),
        .rent_date = "2026-09",
        .default_mfu = 0.40,
        .mfu_source = "A100-era runs span 0.30 (MT-NLG 530B, PaLM "
                      "arXiv:2204.02311 Table 3) to 0.48 (LLaMA 65B, "
                      "arXiv:2302.13971 sec. 2.4, 380 tokens/s/GPU on "
                      "A100-80GB); 0.40 is the rounded midpoint",
        .mfu_date = "2023-02",
        .notes = "Bare 'A100' means this part. Hyperstack also lists A100 "
                 "80 GB NVLink $1.40 and PCIe $1.35; AWS p4de $3.43 (secondary "
                 "copies of its price feed). 2023: Lambda $1.50 to Oracle "
                 "$4.00 (" EPOCH_PRICES ").",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(300),
        .inter_node_bw_bytes_per_s = GBS(25),
        .interconnect_source =
            "NVLink 3: 600 GB/s per A100 through NVSwitch (NVIDIA NVLink "
            "page), 300 GB/s each way; " DGX_A100_NET,
        .interconnect_date = "2020-11",
        .rent_low_usd_per_hour = 1.60,
        .rent_high_usd_per_hour = 2.79,
        .rent_range_source = "on demand, per GPU-hour, A100 SXM 80 GB: "
                             "Hyperstack $1.60 (" HYPERSTACK_2026 "); "
                             "CoreWeave $21.60 / 8 = $2.70 (" COREWEAVE_2026
                             "); Lambda $2.79, 8x (" LAMBDA_2026 ")",
        .purchase_quoted_usd = 18548.75,
        .purchase_quoted_server_frac = AMPERE_SERVER_FRAC,
        .server_frac = AMPERE_SERVER_FRAC,
        .server_source = AMPERE_SERVER,
        .server_date = "2020-05",
    },
    {
        .name = "A800",
        .aliases = "a800,a800-80gb,a800-sxm4-80gb,a800-sxm",
        .vendor = "NVIDIA",
        .year = 2022,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(19.5),
                             [GPB_PREC_TF32] = TF(156),
                             [GPB_PREC_BF16] = TF(312),
                             [GPB_PREC_FP16] = TF(312)},
        .mem_bytes = GB(80),
        .mem_bw_bytes_per_s = GBS(2039),
        .tdp_watts = 400,
        .spec_source = "A800 = A100 80GB SXM with NVLink cut from 600 to "
                       "400 GB/s, 'apart from this, no significant "
                       "differences' (Global Times 2022-11-08, citing "
                       "Reuters); figures as the A100 80GB datasheet",
        .spec_date = "2022-11",
        .purchase_usd = 10000,
        .purchase_source = "Financial Times via TechNode 2023-08-10: "
                           "Chinese firms ordered ~100,000 A800s for $1 "
                           "billion, i.e. ~$10,000 each (volume price)",
        .purchase_date = "2023-08",
        .rent_usd_per_hour = 0,
        .rent_source = "unknown: no sourced on-demand price for the A800 "
                       "SXM; it rents in China, in CNY; give "
                       "price_per_gpu_hour or use A100-80GB",
        .rent_date = "2026",
        .default_mfu = 0.40,
        .mfu_source = "A100 value (same silicon): A100-era runs span 0.30 "
                      "(MT-NLG, PaLM arXiv:2204.02311 Table 3) to 0.48 "
                      "(LLaMA 65B, arXiv:2302.13971); midpoint",
        .mfu_date = "2023-02",
        .notes = "China export variant of A100 80GB; exports barred "
                 "from 2023-10-17.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(200),
        .inter_node_bw_bytes_per_s = GBS(25),
        .interconnect_source =
            "NVLink cut from 600 to 400 GB/s (Reuters via Tweakers "
            "2022-11; TechPowerUp), 200 GB/s each way; scale-out "
            "assumed as " DGX_A100_NET,
        .interconnect_date = "2022-11",
        .rent_low_usd_per_hour = 0,
        .rent_high_usd_per_hour = 0,
        .rent_range_source = "unknown (rent_source)",
        .purchase_quoted_usd = 10000,
        .purchase_quoted_server_frac = 0,
        .server_frac = AMPERE_SERVER_FRAC,
        .server_source = "the A100 figure (same server): " AMPERE_SERVER,
        .server_date = "2020-05",
    },
    {
        .name = "H100-SXM",
        .aliases = "h100,h100-sxm5,h100-sxm5-80gb,h100-80gb,h100-hgx,"
                   "h100-sxm-80gb",
        .vendor = "NVIDIA",
        .year = 2022,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(66.9),
                             [GPB_PREC_TF32] = TF(494.7),
                             [GPB_PREC_BF16] = TF(989.4),
                             [GPB_PREC_FP16] = TF(989.4),
                             [GPB_PREC_FP8] = TF(1978.9)},
        .mem_bytes = GB(80),
        .mem_bw_bytes_per_s = TBS(3.35),
        .tdp_watts = 700,
        .spec_source = HOPPER_SXM_SPEC "; 80 GB HBM3, 3.35 TB/s, 700 W",
        .spec_date = "2022-03",
        .purchase_usd = 27500,
        .purchase_source = "Raymond James via Barron's (T. Kim), as reported "
                           "by TechSpot 2023-08 (techspot.com/news/99839): "
                           "H100s sold to end customers for $25,000-30,000; "
                           "midpoint. Per GPU of a server: DGX H100 $33,750 "
                           "(SemiAnalysis 2023-05-29), HGX $37,080 (dihuni "
                           "2024-03), both via " EPOCH_PRICES,
        .purchase_date = "2023-08",
        .rent_usd_per_hour = 4.44,
        .rent_source = MIDDLE_OF("H100 SXM", "Hyperstack $3.20",
                                 "CoreWeave $6.16"),
        .rent_date = "2026-09",
        .default_mfu = 0.40,
        .mfu_source = LLAMA3_MFU "; 0.40 is the middle of that range, "
                      "rounded",
        .mfu_date = "2024-07",
        .notes = "Bare 'H100' means this part. AWS p5 $6.88 on demand "
                 "(secondary copies of its price feed), Azure ND H100 v5 "
                 "$12.29. 2023: Latitude $4.03 to FluidStack $4.76 ("
                 EPOCH_PRICES ").",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(450),
        .inter_node_bw_bytes_per_s = GBS(50),
        .interconnect_source = NVLINK4 "; " DGX_HOPPER_NET,
        .interconnect_date = "2023",
        .rent_low_usd_per_hour = 3.20,
        .rent_high_usd_per_hour = 6.16,
        .rent_range_source = "on demand, per GPU-hour, H100 SXM: Hyperstack "
                             "$3.20 (" HYPERSTACK_2026 "); Lambda $3.99, 8x ("
                             LAMBDA_2026 "); CoreWeave HGX H100 $49.24 / 8 = "
                             "$6.16 (" COREWEAVE_2026 ")",
        .purchase_quoted_usd = 27500,
        .purchase_quoted_server_frac = 0,
        .server_frac = HOPPER_SERVER_FRAC,
        .server_source = HOPPER_SERVER,
        .server_date = "2024-08",
    },
    {
        .name = "H100-PCIe",
        .aliases = "h100-pcie,h100-pcie-80gb,h100-pcie5",
        .vendor = "NVIDIA",
        .year = 2022,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(51),
                             [GPB_PREC_TF32] = TF(378),
                             [GPB_PREC_BF16] = TF(756.5),
                             [GPB_PREC_FP16] = TF(756.5),
                             [GPB_PREC_FP8] = TF(1513)},
        .mem_bytes = GB(80),
        .mem_bw_bytes_per_s = TBS(2.0),
        .tdp_watts = 350,
        .spec_source = "NVIDIA H100 datasheet, PCIe: 1,513 BF16/FP16, "
                       "3,026 FP8, 756 TF32 TFLOPS with sparsity (halved "
                       "here), 51 FP32; 80 GB HBM2e, 2.0 TB/s, 300-350 W "
                       "(datasheet table as copied by hpctech.co.jp)",
        .spec_date = "2022-03",
        .purchase_usd = 25000,
        .purchase_source = "stratrix.com 'The H100's price has almost "
                           "nothing to do with the chip': H100s sold for "
                           "$25,000-40,000 by form factor; the low end is "
                           "taken for PCIe (weak secondary source)",
        .purchase_date = "2026",
        .rent_usd_per_hour = 2.87,
        .rent_source = MIDDLE_OF("H100 PCIe", "Hyperstack $2.50",
                                 "Lambda $3.29"),
        .rent_date = "2026-09",
        .default_mfu = 0.35,
        .mfu_source = "assumption: no published large run on PCIe H100s, "
                      "which lack the SXM part's NVLink switch fabric; "
                      "the SXM value 0.40 (" LLAMA3_MFU ") cut to 0.35",
        .mfu_date = "2024-07",
        .notes = "114 SMs; PCIe Gen5 card, NVLink bridge pairs only.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(64),
        .inter_node_bw_bytes_per_s = 0,
        .interconnect_source =
            "PCIe Gen5 x16, 128 GB/s bidirectional (64 each way); NVLink "
            "bridges join pairs only (600 GB/s, NVIDIA H100 PCIe brief), "
            "so 8-card tensor parallelism crosses PCIe; " PCIE_ONLY_NODE,
        .interconnect_date = "2022-03",
        .rent_low_usd_per_hour = 2.50,
        .rent_high_usd_per_hour = 3.29,
        .rent_range_source = "on demand, per GPU-hour, H100 PCIe: Hyperstack "
                             "'NVIDIA H100' $2.50 (" HYPERSTACK_2026 "); "
                             "Lambda 1x $3.29 (" LAMBDA_2026 ")",
        .purchase_quoted_usd = 25000,
        .purchase_quoted_server_frac = 0,
        .server_frac = 0.30,
        .server_source = ASSUMED_SERVER_PCIE,
        .server_date = "2026",
    },
    {
        .name = "H800",
        .aliases = "h800,h800-sxm,h800-sxm5,h800-80gb",
        .vendor = "NVIDIA",
        .year = 2023,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(66.9),
                             [GPB_PREC_TF32] = TF(494.7),
                             [GPB_PREC_BF16] = TF(989.4),
                             [GPB_PREC_FP16] = TF(989.4),
                             [GPB_PREC_FP8] = TF(1978.9)},
        .mem_bytes = GB(80),
        .mem_bw_bytes_per_s = TBS(3.35),
        .tdp_watts = 700,
        .spec_source = "H800 SXM5 = H100 SXM5 with NVLink cut to 400 "
                       "GB/s and FP64 cut; BF16 989 dense per Epoch AI "
                       "chip dataset (NVIDIA H800 datasheet); other rates "
                       "taken equal to " HOPPER_SXM_SPEC,
        .spec_date = "2023-03",
        .purchase_usd = 250000.0 / 7.18 / (33750.0 / 27500.0),
        .purchase_source = "card price derived: Reuters (H20 pre-orders "
                           "report), 8-GPU H800 servers at ~CNY 2 million at "
                           "launch, / 8 = CNY 250,000 = $34,819 per GPU at "
                           "the report's own 7.18 CNY/USD, less the server at "
                           "DGX H100's share of a card ($33,750 per GPU "
                           "against H100-SXM's $27,500: 1.227): $28,371",
        .purchase_date = "2023",
        .rent_usd_per_hour = 2.00,
        .rent_source = "DeepSeek-V3 technical report (arXiv:2412.19437) "
                       "prices its H800 training at $2 per GPU-hour",
        .rent_date = "2024-12",
        .default_mfu = 0.40,
        .mfu_source = "H100-SXM value (same compute): " LLAMA3_MFU
                      "; DeepSeek-V3 trained on H800 but reports no MFU",
        .mfu_date = "2024-07",
        .notes = "China export variant; Epoch lists TF32 454.5 / FP32 "
                 "59.3 (techpowerup), not used: unresolved discrepancy.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(200),
        .inter_node_bw_bytes_per_s = GBS(50),
        .interconnect_source =
            "NVLink cut to 400 GB/s bidirectional, 200 each way "
            "(philisun.com H800 vs H100 analysis; TechPowerUp reported "
            "300 at launch); DeepSeek-V3 report (arXiv:2412.19437) "
            "measures 160 GB/s NVLink and 50 GB/s InfiniBand per H800",
        .interconnect_date = "2024-12",
        .rent_low_usd_per_hour = 2.00,
        .rent_high_usd_per_hour = 2.00,
        .rent_range_source = "one sourced price (rent_source)",
        .purchase_quoted_usd = 250000.0 / 7.18,
        .purchase_quoted_server_frac = (33750.0 / 27500.0 - 1),
        .server_frac = HOPPER_SERVER_FRAC,
        .server_source = "the H100 figure (same HGX server): " HOPPER_SERVER,
        .server_date = "2024-08",
    },
    {
        .name = "H20",
        .aliases = "h20,h20-96gb,hgx-h20",
        .vendor = "NVIDIA",
        .year = 2024,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(44),
                             [GPB_PREC_TF32] = TF(74),
                             [GPB_PREC_BF16] = TF(148),
                             [GPB_PREC_FP16] = TF(148),
                             [GPB_PREC_FP8] = TF(296)},
        .mem_bytes = GB(96),
        .mem_bw_bytes_per_s = TBS(4.0),
        .tdp_watts = 400,
        .spec_source = "No public NVIDIA datasheet. SemiAnalysis via The "
                       "Register 2023-11-27: 96 GB, 4 TB/s, 296 TFLOPS "
                       "FP8; 148 FP16/BF16, 74 TF32, 44 FP32 dense per "
                       "zangshuxian.com and Epoch AI chip dataset; 400 W "
                       "per Epoch",
        .spec_date = "2023-11",
        .purchase_usd = 13500,
        .purchase_source = "Reuters (H20 pre-orders report): NVIDIA priced "
                           "H20 to distributors at $12,000-15,000 per "
                           "card; midpoint. Reuters 2025-05-25: it sold for "
                           "$10,000-12,000",
        .purchase_date = "2024",
        .rent_usd_per_hour = 0,
        .rent_source = "unknown: no sourced on-demand price for the "
                       "China-only H20; give price_per_gpu_hour",
        .rent_date = "2026",
        .default_mfu = 0.40,
        .mfu_source = "assumption: H100-SXM value carried over (" LLAMA3_MFU
                      "); H20's bandwidth per FLOP is 4x H100's, so real "
                      "MFU may be higher",
        .mfu_date = "2024-07",
        .notes = "China export variant of Hopper; 78 SMs. Export "
                 "licence required from 2025-04.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(450),
        .inter_node_bw_bytes_per_s = GBS(50),
        .interconnect_source =
            "NVIDIA kept 900 GB/s NVLink on the 8-way HGX H20 "
            "(TweakTown 2024-01, from NVIDIA's specifications), 450 each "
            "way; scale-out assumed as " DGX_HOPPER_NET,
        .interconnect_date = "2024-01",
        .rent_low_usd_per_hour = 0,
        .rent_high_usd_per_hour = 0,
        .rent_range_source = "unknown (rent_source)",
        .purchase_quoted_usd = 13500,
        .purchase_quoted_server_frac = 0,
        .server_frac = HOPPER_SERVER_FRAC,
        .server_source = "the H100 figure (HGX H20, same baseboard): "
                         HOPPER_SERVER,
        .server_date = "2024-08",
    },
    {
        .name = "H200",
        .aliases = "h200,h200-sxm,h200-sxm5,h200-141gb",
        .vendor = "NVIDIA",
        .year = 2024,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(66.9),
                             [GPB_PREC_TF32] = TF(494.7),
                             [GPB_PREC_BF16] = TF(989.4),
                             [GPB_PREC_FP16] = TF(989.4),
                             [GPB_PREC_FP8] = TF(1978.9)},
        .mem_bytes = GB(141),
        .mem_bw_bytes_per_s = TBS(4.8),
        .tdp_watts = 700,
        .spec_source = "NVIDIA H200 datasheet (SC23): same GH100 compute "
                       "as H100 SXM (1,979 BF16 / 3,958 FP8 with sparsity; "
                       "989.4 / 1,978.9 dense), 141 GB HBM3e, 4.8 TB/s, "
                       "up to 700 W",
        .spec_date = "2023-11",
        .purchase_usd = 27000,
        .purchase_source = "Reuters via lowyat.net: Chinese firms ordered "
                           "over 2 million H200s 'priced around US$27,000 "
                           "a piece'",
        .purchase_date = "2026",
        .rent_usd_per_hour = 5.02,
        .rent_source = MIDDLE_OF("H200", "Hyperstack $3.99",
                                 "CoreWeave $6.31"),
        .rent_date = "2026-09",
        .default_mfu = 0.40,
        .mfu_source = "H100-SXM value (same compute): " LLAMA3_MFU,
        .mfu_date = "2024-07",
        .notes = "Epoch lists HGX H200 at $33.8k/GPU (2024-03), not "
                 "re-verified.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(450),
        .inter_node_bw_bytes_per_s = GBS(50),
        .interconnect_source = NVLINK4 "; " DGX_HOPPER_NET,
        .interconnect_date = "2024",
        .rent_low_usd_per_hour = 3.99,
        .rent_high_usd_per_hour = 6.31,
        .rent_range_source = "on demand, per GPU-hour, H200 SXM: Hyperstack "
                             "$3.99 (" HYPERSTACK_2026 "); CoreWeave HGX H200 "
                             "$50.44 / 8 = $6.31 (" COREWEAVE_2026 ")",
        .purchase_quoted_usd = 27000,
        .purchase_quoted_server_frac = 0,
        .server_frac = HOPPER_SERVER_FRAC,
        .server_source = "the H100 figure (same HGX server): " HOPPER_SERVER,
        .server_date = "2024-08",
    },
    {
        .name = "B200",
        .aliases = "b200,b200-sxm,b200-sxm6,hgx-b200,b200-180gb",
        .vendor = "NVIDIA",
        .year = 2024,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(75),
                             [GPB_PREC_TF32] = TF(1100),
                             [GPB_PREC_BF16] = TF(2250),
                             [GPB_PREC_FP16] = TF(2250),
                             [GPB_PREC_FP8] = TF(4500)},
        .mem_bytes = GB(180),
        .mem_bw_bytes_per_s = TBS(7.7),
        .tdp_watts = 1000,
        .spec_source = "NVIDIA HGX B200 spec table, per GPU: 4.5 PF "
                       "FP16/BF16, 9 PF FP8, 2.2 PF TF32 with sparsity "
                       "(halved here), 75 TF FP32, 180 GB HBM3e, 7.7 "
                       "TB/s, up to 1,000 W (copy at zdszero.github.io; "
                       "dense table at glennklockwood.com)",
        .spec_date = "2025",
        .purchase_usd = 35000,
        .purchase_source = "Jensen Huang to CNBC 2024-03-19: Blackwell "
                           "will cost $30,000-40,000 per unit (midpoint); "
                           "repeated by CNBC 2024-10-02",
        .purchase_date = "2024-03",
        .rent_usd_per_hour = 7.18,
        .rent_source = MIDDLE_OF("B200", "Hyperstack $6.00",
                                 "CoreWeave $8.60"),
        .rent_date = "2026-09",
        .default_mfu = 0.40,
        .mfu_source = "assumption: no published large-run BF16 MFU on "
                      "B200 found; Hopper value carried over ("
                      LLAMA3_MFU ")",
        .mfu_date = "2024-07",
        .notes = "HGX (air-cooled, 1,000 W) part; the GB200 variant runs "
                 "at 1,200 W and 2.5 PF BF16 dense.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(900),
        .inter_node_bw_bytes_per_s = GBS(50),
        .interconnect_source =
            "NVLink 5: 1.8 TB/s bidirectional between any two of 8 GPUs "
            "(DGX B200 user guide: NVSwitches of 14.4 TB/s aggregate; "
            "Vultr HGX B200 docs), 900 GB/s each way; eight ConnectX-7 "
            "up to 400 Gb/s (DGX B200 user guide), 50 GB/s per GPU",
        .interconnect_date = "2025",
        .rent_low_usd_per_hour = 6.00,
        .rent_high_usd_per_hour = 8.60,
        .rent_range_source = "on demand, per GPU-hour, B200: Hyperstack $6.00 ("
                             HYPERSTACK_2026 "); Lambda $6.69, 8x (" LAMBDA_2026
                             "); CoreWeave HGX B200 $68.80 / 8 = $8.60 ("
                             COREWEAVE_2026 ")",
        .purchase_quoted_usd = 35000,
        .purchase_quoted_server_frac = 0,
        .server_frac = HOPPER_SERVER_FRAC,
        .server_source = ASSUMED_SERVER_HGX,
        .server_date = "2024-08",
    },
    {
        .name = "L40S",
        .aliases = "l40s,l40s-48gb",
        .vendor = "NVIDIA",
        .year = 2023,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(91.6),
                             [GPB_PREC_TF32] = TF(183),
                             [GPB_PREC_BF16] = TF(362.05),
                             [GPB_PREC_FP16] = TF(362.05),
                             [GPB_PREC_FP8] = TF(733)},
        .mem_bytes = GB(48),
        .mem_bw_bytes_per_s = GBS(864),
        .tdp_watts = 350,
        .spec_source = "NVIDIA L40S datasheet: 91.6 FP32; 183 TF32, "
                       "362.05 BF16/FP16, 733 FP8 dense (366/733/1,466 "
                       "with sparsity); 48 GB GDDR6, 864 GB/s, 350 W "
                       "(datasheet table as copied by mullet.se)",
        .spec_date = "2023-08",
        .purchase_usd = 8500,
        .purchase_source = "retail estimates: datastorage.com ~$7,000-"
                           "10,000 per module, runlocalai.co $7,500-8,500; "
                           "8,500 lies in both ranges (no list price)",
        .purchase_date = "2026",
        .rent_usd_per_hour = 1.39,
        .rent_source = MIDDLE_OF("L40S", "RunPod $0.86",
                                 "CoreWeave $2.25"),
        .rent_date = "2026-09",
        .default_mfu = 0.30,
        .mfu_source = "assumption: no published large-run MFU on this "
                      "PCIe card without NVLink; " LOW_END_MFU,
        .mfu_date = "2024-07",
        .notes = "Ada Lovelace data-centre card; PCIe Gen4, no NVLink.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(32),
        .inter_node_bw_bytes_per_s = 0,
        .interconnect_source =
            "no NVLink; PCIe Gen4 x16, 64 GB/s bidirectional (L40S "
            "datasheet), 32 each way; " PCIE_ONLY_NODE,
        .interconnect_date = "2023-08",
        .rent_low_usd_per_hour = 0.86,
        .rent_high_usd_per_hour = 2.25,
        .rent_range_source = "on demand, per GPU-hour, L40S: RunPod $0.86 and "
                             "AWS g6e $1.86 as tabulated by Modal, 'How much "
                             "does it cost to run NVIDIA L40S GPUs in 2025?' "
                             "(2025-08); CoreWeave $18.00 / 8 = $2.25 ("
                             COREWEAVE_2026 ")",
        .purchase_quoted_usd = 8500,
        .purchase_quoted_server_frac = 0,
        .server_frac = 0.30,
        .server_source = ASSUMED_SERVER_PCIE,
        .server_date = "2026",
    },
    {
        .name = "RTX-4090",
        .aliases = "4090,rtx4090,geforce rtx 4090,rtx-4090-24gb",
        .vendor = "NVIDIA",
        .year = 2022,
        /* GeForce tensor rates with FP32 accumulation (what training
         * uses) are half the FP16-accumulate rates. */
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(82.6),
                             [GPB_PREC_TF32] = TF(82.6),
                             [GPB_PREC_BF16] = TF(165.2),
                             [GPB_PREC_FP16] = TF(165.2),
                             [GPB_PREC_FP8] = TF(330.3)},
        .mem_bytes = GB(24),
        .mem_bw_bytes_per_s = GBS(1008),
        .tdp_watts = 450,
        .spec_source = "NVIDIA Ada Lovelace whitepaper, RTX 4090: "
                       "FP16/BF16 tensor with FP32 accumulate 165.2 dense "
                       "(330.3 sparse), FP8 330.3, TF32 82.6, FP32 82.6; "
                       "24 GB GDDR6X, 1,008 GB/s, 450 W (as listed by "
                       "waredb.com)",
        .spec_date = "2022-09",
        .purchase_usd = 1599,
        .purchase_source = "NVIDIA launch MSRP (announced 2022-09-20, on "
                           "sale 2022-10-12)",
        .purchase_date = "2022-10",
        .rent_usd_per_hour = 0.60,
        .rent_source = "RunPod on-demand RTX 4090 as tabulated by "
                       "deploybase.ai 'RunPod GPU Pricing: 2026' (spot "
                       "$0.34)",
        .rent_date = "2026-03",
        .default_mfu = 0.30,
        .mfu_source = "assumption: no published large-run MFU on "
                      "consumer cards without NVLink; " LOW_END_MFU,
        .mfu_date = "2024-07",
        .notes = "Consumer card; FP16-accumulate tensor rate is 330.3 "
                 "but training accumulates in FP32.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(32),
        .inter_node_bw_bytes_per_s = 0,
        .interconnect_source =
            "no NVLink on Ada GeForce; PCIe 4.0 x16, 32 GB/s each way; "
            PCIE_ONLY_NODE,
        .interconnect_date = "2022-10",
        .rent_low_usd_per_hour = 0.60,
        .rent_high_usd_per_hour = 0.60,
        .rent_range_source = "one sourced on-demand price (rent_source)",
        .purchase_quoted_usd = 1599,
        .purchase_quoted_server_frac = 0,
        .server_frac = 0.30,
        .server_source = ASSUMED_SERVER_PCIE,
        .server_date = "2026",
    },
    {
        .name = "MI300X",
        .aliases = "mi300x,mi300,instinct mi300x,mi300x-192gb",
        .vendor = "AMD",
        .year = 2023,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(163.4),
                             [GPB_PREC_TF32] = TF(653.7),
                             [GPB_PREC_BF16] = TF(1307.4),
                             [GPB_PREC_FP16] = TF(1307.4),
                             [GPB_PREC_FP8] = TF(2614.9)},
        .mem_bytes = GB(192),
        .mem_bw_bytes_per_s = TBS(5.3),
        .tdp_watts = 750,
        .spec_source = "AMD Instinct MI300X data sheet: 1,307.4 BF16/FP16, "
                       "2,614.9 FP8, 653.7 TF32, 163.4 FP32 TFLOPS dense "
                       "(sparsity doubles the matrix rates); 192 GB HBM3, "
                       "5.3 TB/s, 750 W; via Epoch AI chip dataset, FP8 "
                       "dense also per gpumarkets and deploybase copies",
        .spec_date = "2023-12",
        .purchase_usd = 15000,
        .purchase_source = "Citi (C. Danely) as reported by svethardware.cz "
                           "2024-02: average MI300X price $10,000-15,000, "
                           "the low end for Microsoft, the high end for "
                           "other buyers; a non-hyperscaler pays the high "
                           "end",
        .purchase_date = "2024-02",
        .rent_usd_per_hour = 1.67,
        .rent_source = MIDDLE_OF("MI300X", "TensorWave $1.50",
                                 "Vultr $1.85"),
        .rent_date = "2026-05",
        .default_mfu = 0.30,
        .mfu_source = "assumption: no published large-run MFU found; "
                      "SemiAnalysis 2024-12 'MI300X vs H100 vs H200 "
                      "Benchmark Part 1: Training' found real training "
                      "far below the paper peak, so Hopper's 0.40 is cut "
                      "to 0.30",
        .mfu_date = "2024-12",
        .notes = "CDNA 3; 304 CUs; ROCm software maturity dominates "
                 "achieved throughput.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(448),
        .inter_node_bw_bytes_per_s = 0,
        .interconnect_source =
            "8 GPUs fully connected by seven Infinity Fabric links of "
            "128 GB/s bidirectional, 896 GB/s per GPU (Wheeler's Network "
            "2024-01; gpu.blog MI300X), 448 each way; no scale-out "
            "figure sourced (0 = unknown)",
        .interconnect_date = "2024-01",
        .rent_low_usd_per_hour = 1.50,
        .rent_high_usd_per_hour = 1.85,
        .rent_range_source = "on demand, per GPU-hour, MI300X: TensorWave $1.50; "
                             "Vultr $1.85 (both as listed by gpu.blog and "
                             "cliffcenter.com, research note 2026-05-18)",
        .purchase_quoted_usd = 15000,
        .purchase_quoted_server_frac = 0,
        .server_frac = HOPPER_SERVER_FRAC,
        .server_source = ASSUMED_SERVER_HGX,
        .server_date = "2024-08",
    },
    {
        .name = "Ascend-910B2",
        .aliases = "910b,ascend 910b,ascend910b,ascend-910b,910b2,"
                   "ascend 910b2,atlas-800t-a2",
        .vendor = "Huawei",
        .year = 2023,
        /* Huawei publishes FP16 only; the cube unit also runs BF16, whose
         * rate is taken equal to FP16 (see notes). FP32 rate unverified. */
        .dense_flop_per_s = {[GPB_PREC_BF16] = TF(376),
                             [GPB_PREC_FP16] = TF(376)},
        .mem_bytes = GB(64),
        .mem_bw_bytes_per_s = TBS(1.6),
        .tdp_watts = 400,
        .spec_source = "910B2 bin: 376 TFLOPS FP16, 64 GB HBM2e, 1.6 "
                       "TB/s, 400 W per Epoch AI chip dataset and CSET "
                       "'Pushing the limits: Huawei's AI chip tests U.S. "
                       "export controls'; 64 GB HBM2e also per Gitee AI "
                       "docs; BF16 assumed equal to FP16",
        .spec_date = "2024",
        .purchase_usd = 120000.0 / 7.18,
        .purchase_source = "Reuters (H20 pre-orders report): 'Huawei's 910B "
                           "is being sold for around 120,000 yuan'; at the "
                           "report's own 7.18 CNY/USD",
        .purchase_date = "2024",
        .rent_usd_per_hour = 0,
        .rent_source = "unknown: no sourced on-demand price; 910B capacity "
                       "rents in China, in CNY; give price_per_gpu_hour",
        .rent_date = "2026",
        .default_mfu = 0.30,
        .mfu_source = "assumption: no verified published MFU (Pangu Ultra, "
                      "arXiv:2504.07866, reports MFU on 8,192 Ascend NPUs; "
                      "not verified here); " LOW_END_MFU,
        .mfu_date = "2025-04",
        .notes = "The 910B2 bin; bare '910B' means it. Other bins per "
                 "Epoch/CSET, not re-verified: 910B1 ~400, 910B3 313 (64 "
                 "GB, 1.6 TB/s; one independent note), 910B4 280 TFLOPS "
                 "FP16 (32 GB): a scenario picks one with peak_tflops. "
                 "Reuters' price names no bin. FP32 rate unverified "
                 "(Epoch: 94); no TF32 or FP8.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = 0,
        .inter_node_bw_bytes_per_s = 0,
        .interconnect_source =
            "Atlas 800T A2 holds 8 NPUs (Huawei product naming, as "
            "summarised at blog.haoyuanyu.icu 2025-08); HCCS and RoCE "
            "bandwidths not verified (0 = unknown: give them)",
        .interconnect_date = "2025",
        .rent_low_usd_per_hour = 0,
        .rent_high_usd_per_hour = 0,
        .rent_range_source = "unknown (rent_source)",
        .purchase_quoted_usd = 120000.0 / 7.18,
        .purchase_quoted_server_frac = 0,
        .server_frac = HOPPER_SERVER_FRAC,
        .server_source = ASSUMED_SERVER_HGX,
        .server_date = "2024-08",
    },
    {
        .name = "TPU-v4",
        .aliases = "tpu-v4,tpuv4,google tpu v4,cloud tpu v4",
        .vendor = "Google",
        .year = 2021,
        .dense_flop_per_s = {[GPB_PREC_BF16] = TF(275)},
        .mem_bytes = GIB(32),
        .mem_bw_bytes_per_s = GBS(1200),
        .tdp_watts = 170,
        .spec_source = "Google Cloud TPU v4 system architecture docs: 275 "
                       "TFLOPS peak BF16 per chip, 32 GiB HBM2, 1,200 "
                       "GB/s; 170 W per Epoch AI chip dataset (Jouppi et "
                       "al. 2023, arXiv:2304.01433: ~170 W mean)",
        .spec_date = "2023-04",
        .purchase_usd = 0,
        .purchase_source = "unknown: not sold, only rented; Epoch (Cottier "
                           "et al., arXiv:2405.21015) estimates a "
                           "purchase-equivalent ~$5,176 per chip (not used)",
        .purchase_date = "2024-05",
        .rent_usd_per_hour = 3.22,
        .rent_source = "Google Cloud TPU v4 on-demand, us-central2-b, per "
                       "chip-hour (cloud.google.com/tpu/pricing archived "
                       "2023-06-01; 1-yr $2.03, 3-yr $1.45), via "
                       EPOCH_PRICES,
        .rent_date = "2023-06",
        .default_mfu = 0.46,
        .mfu_source = "PaLM 540B on 6,144 TPU v4 chips: 46.2% MFU "
                      "(Chowdhery et al. 2022, arXiv:2204.02311, Table 3)",
        .mfu_date = "2022-04",
        .notes = "Per chip. Memory is 32 GiB (binary). No FP16/FP32 "
                 "matrix rate published.",
        .node_gpus = 0,
        .intra_node_bw_bytes_per_s = 0,
        .inter_node_bw_bytes_per_s = 0,
        .interconnect_source =
            "unknown: TPU v4 chips form a 3D torus across the pod (ICI), "
            "which the planner's node-and-network model does not "
            "describe",
        .interconnect_date = "2023-04",
        .rent_low_usd_per_hour = 3.22,
        .rent_high_usd_per_hour = 3.22,
        .rent_range_source = "one sourced on-demand price (rent_source); the "
                             "1- and 3-year commitments ($2.03, $1.45) are "
                             "not on demand",
        .purchase_quoted_usd = 0,
        .purchase_quoted_server_frac = 0,
        .server_frac = 0,
        .server_source = "no purchase price (purchase_source)",
        .server_date = "2024-05",
    },
    {
        .name = "MI250X",
        .aliases = "mi250x,instinct mi250x",
        .vendor = "AMD",
        .year = 2021,
        /* CDNA 2 has no sparsity, TF32 or FP8; FP32 is the matrix rate
         * (the vector rate is 47.9). */
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(95.7),
                             [GPB_PREC_BF16] = TF(383),
                             [GPB_PREC_FP16] = TF(383)},
        .mem_bytes = GB(128),
        .mem_bw_bytes_per_s = GBS(3276.8),
        .tdp_watts = 500,
        .spec_source = "AMD Instinct MI250X specifications: 383 TFLOPS "
                       "FP16/BF16, 95.7 FP32 matrix, 47.9 FP32 vector; "
                       "128 GB HBM2e, 3.2 TB/s (3,276.8 GB/s), 500 W "
                       "(560 W peak) (tables copied by zexron.com and "
                       "siliconcat.net)",
        .spec_date = "2021-11",
        .purchase_usd = 0,
        .purchase_source = "unknown: sold inside HPC system contracts; "
                           "Epoch's chip dataset lists $14,500, which "
                           "could not be verified",
        .purchase_date = "2026",
        .rent_usd_per_hour = 1.35,
        .rent_source = "Runcrate on-demand MI250X as listed by gpu.blog "
                       "(weak secondary source)",
        .rent_date = "2026",
        .default_mfu = 0.36,
        .mfu_source = "Frontier, Megatron-DeepSpeed on MI250X: 36.14% of "
                      "peak for a 175B model (31.96% for 1T, 38.38% for "
                      "22B) (Dash et al. 2023, arXiv:2312.12705)",
        .mfu_date = "2023-12",
        .notes = "Two GCDs per package; figures are per package.",
        .node_gpus = 4,
        .intra_node_bw_bytes_per_s = 0,
        .inter_node_bw_bytes_per_s = GBS(25),
        .interconnect_source =
            "Frontier node: 4 MI250X, 4 Slingshot-11 NICs of 200 Gb/s, "
            "25 GB/s per MI250X (glennklockwood.com Frontier page; "
            "meterpreter.org on Crusher 2022); Infinity Fabric between "
            "packages not verified (0 = unknown)",
        .interconnect_date = "2022",
        .rent_low_usd_per_hour = 1.35,
        .rent_high_usd_per_hour = 1.35,
        .rent_range_source = "one sourced price (rent_source)",
        .purchase_quoted_usd = 0,
        .purchase_quoted_server_frac = 0,
        .server_frac = 0,
        .server_source = "no purchase price (purchase_source)",
        .server_date = "2026",
    },
    {
        .name = "RTX-3090",
        .aliases = "3090,rtx3090,geforce rtx 3090,rtx-3090-24gb",
        .vendor = "NVIDIA",
        .year = 2020,
        .dense_flop_per_s = {[GPB_PREC_FP32] = TF(35.6),
                             [GPB_PREC_TF32] = TF(35.6),
                             [GPB_PREC_BF16] = TF(71),
                             [GPB_PREC_FP16] = TF(71)},
        .mem_bytes = GB(24),
        .mem_bw_bytes_per_s = GBS(936),
        .tdp_watts = 350,
        .spec_source = "NVIDIA Ampere GA102 whitepaper, appendix A, RTX "
                       "3090: FP16/BF16 tensor with FP32 accumulate 71 "
                       "dense (142 sparse; 142 dense with FP16 accumulate), "
                       "TF32 35.6, FP32 35.6; 24 GB GDDR6X, 936 GB/s, "
                       "350 W",
        .spec_date = "2020-09",
        .purchase_usd = 1499,
        .purchase_source = "NVIDIA launch MSRP (announced 2020-09-01)",
        .purchase_date = "2020-09",
        .rent_usd_per_hour = 0.39,
        .rent_source = "RunPod on-demand RTX 3090 as tabulated by "
                       "deploybase.ai 'RunPod GPU Pricing: 2026' (spot "
                       "$0.22)",
        .rent_date = "2026-03",
        .default_mfu = 0.30,
        .mfu_source = "assumption: no published large-run MFU on "
                      "consumer cards without NVLink; " LOW_END_MFU,
        .mfu_date = "2024-07",
        .notes = "Consumer card; no FP8.",
        .node_gpus = 8,
        .intra_node_bw_bytes_per_s = GBS(32),
        .inter_node_bw_bytes_per_s = 0,
        .interconnect_source =
            "PCIe 4.0 x16, 32 GB/s each way (NVLink bridges join pairs "
            "only); " PCIE_ONLY_NODE,
        .interconnect_date = "2020-09",
        .rent_low_usd_per_hour = 0.39,
        .rent_high_usd_per_hour = 0.39,
        .rent_range_source = "one sourced on-demand price (rent_source)",
        .purchase_quoted_usd = 1499,
        .purchase_quoted_server_frac = 0,
        .server_frac = 0.30,
        .server_source = ASSUMED_SERVER_PCIE,
        .server_date = "2026",
    },
};

#define N_GPUS (sizeof gpus / sizeof gpus[0])

size_t gpb_hardware_gpu_count(void) { return N_GPUS; }

const gpb_gpu *gpb_hardware_gpu_at(size_t i)
{
    return i < N_GPUS ? &gpus[i] : NULL;
}

/* ---- name matching ---------------------------------------------------- */

/* Normalised keys are short: gpb__edit_distance cuts at 63 characters. */
enum { KEY_MAX = 64 };

/*
 * Writes the first n bytes of s into key, lower-cased, without '-', '_',
 * '.' and spaces, and without a leading vendor word. Returns 0, or -1 when
 * the key would not fit (no name in the catalog is that long).
 */
static int normalize(const char *s, size_t n, char key[KEY_MAX])
{
    static const char *const vendors[] = {"nvidia", "amd", "huawei",
                                          "google"};
    size_t len = 0;
    for (size_t i = 0; i < n && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '-' || c == '_' || c == '.' || isspace(c))
            continue;
        if (len + 1 >= KEY_MAX) {
            key[0] = '\0';
            return -1;
        }
        key[len++] = (char)tolower(c);
    }
    key[len] = '\0';
    for (size_t v = 0; v < sizeof vendors / sizeof vendors[0]; v++) {
        size_t vl = strlen(vendors[v]);
        if (len > vl && strncmp(key, vendors[v], vl) == 0) {
            memmove(key, key + vl, len - vl + 1);
            break;
        }
    }
    return 0;
}

/*
 * Calls fn(key, ctx) for the normalised canonical name and each normalised
 * alias of g; stops early and returns 1 when fn returns nonzero.
 */
static int each_key(const gpb_gpu *g, int (*fn)(const char *, void *),
                    void *ctx)
{
    char key[KEY_MAX];
    if (normalize(g->name, strlen(g->name), key) == 0 && fn(key, ctx))
        return 1;
    for (const char *p = g->aliases; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (normalize(p, n, key) == 0 && key[0] && fn(key, ctx))
            return 1;
        p += n + (comma != NULL);
    }
    return 0;
}

static int key_equals(const char *key, void *ctx)
{
    return strcmp(key, (const char *)ctx) == 0;
}

/* Length of the common prefix of a and b. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

/*
 * Closeness of a typed key to a candidate: the edit distance, or, when the
 * candidate is longer, the distance to its prefix of the typed length plus
 * one, so that a truncated name ("h100p") stays near its target.
 */
static int closeness(const char *typed, const char *cand)
{
    int d = gpb__edit_distance(typed, cand);
    size_t tl = strlen(typed), cl = strlen(cand);
    if (cl > tl) {
        char prefix[KEY_MAX];
        memcpy(prefix, cand, tl);
        prefix[tl] = '\0';
        int dp = gpb__edit_distance(typed, prefix) + 1;
        if (dp < d)
            d = dp;
    }
    return d;
}

struct near {
    const char *typed;
    int score;
    size_t prefix;
};

static int near_update(const char *key, void *ctx)
{
    struct near *n = ctx;
    int s = closeness(n->typed, key);
    size_t p = common_prefix(n->typed, key);
    if (s < n->score || (s == n->score && p > n->prefix)) {
        n->score = s;
        n->prefix = p;
    }
    return 0;
}

/* Appends s to buf (size cap) at *len, truncating safely. */
static void append(char *buf, size_t cap, size_t *len, const char *s)
{
    if (*len + 1 >= cap)
        return;
    int w = snprintf(buf + *len, cap - *len, "%s", s);
    if (w > 0)
        *len += (size_t)w < cap - *len ? (size_t)w : cap - *len - 1;
}

/* Writes "A, B, C" listing every canonical name into buf. */
static void list_all_names(char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_GPUS; i++) {
        if (i)
            append(buf, cap, &len, ", ");
        append(buf, cap, &len, gpus[i].name);
    }
}

/*
 * Writes up to three canonical names nearest to key into buf ("A, B, C"),
 * ordered by closeness, then longer common prefix, then catalog order.
 * Leaves buf empty when nothing is near (closeness above max(2, len/2)).
 */
static void suggest_gpus(const char *key, char *buf, size_t cap)
{
    enum { MAX_SUGGEST = 3 };
    struct near best[N_GPUS];
    int limit = (int)strlen(key) / 2;
    if (limit < 2)
        limit = 2;
    for (size_t i = 0; i < N_GPUS; i++) {
        best[i] = (struct near){key, KEY_MAX * 2, 0};
        each_key(&gpus[i], near_update, &best[i]);
    }
    size_t len = 0, shown = 0;
    int used[N_GPUS] = {0};
    buf[0] = '\0';
    while (shown < MAX_SUGGEST) {
        size_t pick = N_GPUS;
        for (size_t i = 0; i < N_GPUS; i++) {
            if (used[i] || best[i].score > limit)
                continue;
            if (pick == N_GPUS || best[i].score < best[pick].score ||
                (best[i].score == best[pick].score &&
                 best[i].prefix > best[pick].prefix))
                pick = i;
        }
        if (pick == N_GPUS)
            break;
        used[pick] = 1;
        if (shown++)
            append(buf, cap, &len, ", ");
        append(buf, cap, &len, gpus[pick].name);
    }
}

gpb_status gpb_hardware_gpu_find(const char *name, const gpb_gpu **out,
                                 gpb_error *err)
{
    if (!name || !out)
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_hardware_gpu_find: name and out must not be "
                         "NULL");
    char key[KEY_MAX];
    char names[GPB_ERROR_MESSAGE_MAX];
    if (normalize(name, strlen(name), key) != 0 || !key[0]) {
        list_all_names(names, sizeof names);
        return gpb__fail(err, GPB_ENOTFOUND,
                         "unknown GPU '%.64s'; known GPUs: %s", name, names);
    }
    for (size_t i = 0; i < N_GPUS; i++) {
        if (each_key(&gpus[i], key_equals, key)) {
            *out = &gpus[i];
            return GPB_OK;
        }
    }
    suggest_gpus(key, names, sizeof names);
    if (names[0])
        return gpb__fail(err, GPB_ENOTFOUND,
                         "unknown GPU '%.64s'; did you mean %s?", name,
                         names);
    list_all_names(names, sizeof names);
    return gpb__fail(err, GPB_ENOTFOUND, "unknown GPU '%.64s'; known GPUs: %s",
                     name, names);
}

/* ---- precisions -------------------------------------------------------- */

static const char *const precision_names[GPB_PREC_COUNT] = {
    [GPB_PREC_FP32] = "fp32",
    [GPB_PREC_TF32] = "tf32",
    [GPB_PREC_BF16] = "bf16",
    [GPB_PREC_FP16] = "fp16",
    [GPB_PREC_FP8] = "fp8",
};

static const struct {
    const char *key; /* already normalised */
    gpb_precision p;
} precision_aliases[] = {
    {"fp32", GPB_PREC_FP32},    {"float32", GPB_PREC_FP32},
    {"single", GPB_PREC_FP32},  {"tf32", GPB_PREC_TF32},
    {"tensorfloat32", GPB_PREC_TF32},
    {"bf16", GPB_PREC_BF16},    {"bfloat16", GPB_PREC_BF16},
    {"fp16", GPB_PREC_FP16},    {"float16", GPB_PREC_FP16},
    {"half", GPB_PREC_FP16},    {"fp8", GPB_PREC_FP8},
    {"float8", GPB_PREC_FP8},   {"e4m3", GPB_PREC_FP8},
    {"e5m2", GPB_PREC_FP8},
};

const char *gpb_precision_name(gpb_precision p)
{
    return (unsigned)p < GPB_PREC_COUNT ? precision_names[p] : "unknown";
}

gpb_status gpb_precision_from_name(const char *s, gpb_precision *out,
                                   gpb_error *err)
{
    if (!s || !out)
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_precision_from_name: s and out must not be "
                         "NULL");
    char key[KEY_MAX];
    size_t n = sizeof precision_aliases / sizeof precision_aliases[0];
    if (normalize(s, strlen(s), key) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(key, precision_aliases[i].key) == 0) {
                *out = precision_aliases[i].p;
                return GPB_OK;
            }
        }
    }
    /* Nearest canonical name, then the full list. */
    int best = -1, best_d = 0;
    for (size_t i = 0; i < n && key[0]; i++) {
        int d = gpb__edit_distance(key, precision_aliases[i].key);
        if (best < 0 || d < best_d) {
            best = (int)precision_aliases[i].p;
            best_d = d;
        }
    }
    if (best >= 0 && best_d <= 2)
        return gpb__fail(err, GPB_ENOTFOUND,
                         "unknown precision '%.64s'; did you mean %s? "
                         "(known: fp32, tf32, bf16, fp16, fp8)",
                         s, precision_names[best]);
    return gpb__fail(err, GPB_ENOTFOUND,
                     "unknown precision '%.64s'; known: fp32, tf32, bf16, "
                     "fp16, fp8",
                     s);
}

gpb_status gpb_hardware_gpu_peak_flop_per_s(const gpb_gpu *gpu,
                                            gpb_precision p, double *out,
                                            gpb_error *err)
{
    if (!gpu || !out)
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_hardware_gpu_peak_flop_per_s: gpu and out "
                         "must not be NULL");
    if ((unsigned)p >= GPB_PREC_COUNT)
        return gpb__fail(err, GPB_EINVAL, "invalid precision %d", (int)p);
    double v = gpu->dense_flop_per_s[p];
    if (!(v > 0)) {
        char have[64];
        size_t len = 0;
        have[0] = '\0';
        for (int i = 0; i < GPB_PREC_COUNT; i++) {
            if (gpu->dense_flop_per_s[i] > 0) {
                if (len)
                    append(have, sizeof have, &len, ", ");
                append(have, sizeof have, &len, precision_names[i]);
            }
        }
        return gpb__fail(err, GPB_EUNSUPPORTED,
                         "%s has no %s rate; it supports %s", gpu->name,
                         precision_names[p], have[0] ? have : "none");
    }
    *out = v;
    return GPB_OK;
}

gpb_status gpb_hardware_gpu_default_precision(const gpb_gpu *gpu,
                                              gpb_precision *out,
                                              gpb_error *err)
{
    static const gpb_precision order[] = {GPB_PREC_BF16, GPB_PREC_FP16,
                                          GPB_PREC_FP8, GPB_PREC_TF32,
                                          GPB_PREC_FP32};
    if (!gpu || !out)
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_hardware_gpu_default_precision: gpu and out "
                         "must not be NULL");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (gpu->dense_flop_per_s[order[i]] > 0) {
            *out = order[i];
            return GPB_OK;
        }
    }
    return gpb__fail(err, GPB_EUNSUPPORTED, "%s has no throughput figure",
                     gpu->name);
}

/* ---- the pricing rule (hardware.h) -------------------------------------- */

gpb_status gpb_hardware_gpu_rent_rule(const gpb_gpu *gpu, gpb_rent_rule *out,
                                      gpb_error *err)
{
    if (!gpu || !out)
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_hardware_gpu_rent_rule: gpu and out must not "
                         "be NULL");
    if (!(gpu->rent_usd_per_hour > 0))
        return gpb__fail(err, GPB_ENOTFOUND,
                         "the catalog has no rental price for %s (%s)",
                         gpu->name, gpu->rent_source);
    double m = gpu->rent_usd_per_hour;
    double lo = gpu->rent_low_usd_per_hour, hi = gpu->rent_high_usd_per_hour;
    out->median_usd_per_hour = m;
    /* Several providers: the catalog's price is the median and their
       range the width of the 90% interval, m ×/÷ sqrt(hi / lo), so that
       every figure priced at the median (estimate's point costs, the
       intervals' ideal cost, check's P50) uses the same price. The rows
       put m at the middle, sqrt(lo · hi), rounded to the cent (a test
       holds them to it), so the ends are the providers' within 0.2%.
       One price: ×/÷ the spread. */
    if (lo > 0 && hi > lo && lo <= m && m <= hi) {
        double w = sqrt(hi / lo);
        out->p5_usd_per_hour = m / w;
        out->p95_usd_per_hour = m * w;
    } else {
        out->p5_usd_per_hour = m / GPB_RENT_SPREAD;
        out->p95_usd_per_hour = m * GPB_RENT_SPREAD;
    }
    out->source = gpu->rent_source;
    out->date = gpu->rent_date;
    out->range_source = gpu->rent_range_source;
    return GPB_OK;
}

/* ---- named fields ------------------------------------------------------ */

enum field_id {
    F_BF16, F_FP16, F_FP8, F_TF32, F_FP32,
    F_MEM_GB, F_MEM_BYTES, F_MEM_BW_TBS, F_MEM_BW_BYTES, F_TDP,
    F_PURCHASE, F_RENT, F_MFU, F_YEAR, F_COUNT
};

static const char *const field_names[F_COUNT + 1] = {
    [F_BF16] = "bf16_tflops",
    [F_FP16] = "fp16_tflops",
    [F_FP8] = "fp8_tflops",
    [F_TF32] = "tf32_tflops",
    [F_FP32] = "fp32_tflops",
    [F_MEM_GB] = "mem_gb",
    [F_MEM_BYTES] = "mem_bytes",
    [F_MEM_BW_TBS] = "mem_bw_tbs",
    [F_MEM_BW_BYTES] = "mem_bw_bytes_per_s",
    [F_TDP] = "tdp_w",
    [F_PURCHASE] = "purchase_usd",
    [F_RENT] = "rent_usd_per_hour",
    [F_MFU] = "default_mfu",
    [F_YEAR] = "year",
    [F_COUNT] = NULL,
};

static const gpb_precision field_precision[] = {
    [F_BF16] = GPB_PREC_BF16, [F_FP16] = GPB_PREC_FP16,
    [F_FP8] = GPB_PREC_FP8,   [F_TF32] = GPB_PREC_TF32,
    [F_FP32] = GPB_PREC_FP32,
};

const char *const *gpb_hardware_field_names(void) { return field_names; }

gpb_status gpb_hardware_gpu_field(const gpb_gpu *gpu, const char *field,
                                  double *out, gpb_error *err)
{
    if (!gpu || !field || !out)
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_hardware_gpu_field: gpu, field and out must "
                         "not be NULL");
    char key[KEY_MAX], cand[KEY_MAX];
    int id = -1, best = -1, best_d = 0;
    if (normalize(field, strlen(field), key) == 0) {
        for (int i = 0; i < F_COUNT && id < 0; i++) {
            normalize(field_names[i], strlen(field_names[i]), cand);
            if (strcmp(key, cand) == 0)
                id = i;
            int d = closeness(key, cand);
            if (best < 0 || d < best_d) {
                best = i;
                best_d = d;
            }
        }
    } else {
        key[0] = '\0';
    }
    if (id < 0) {
        if (key[0] && best >= 0 && best_d <= 3)
            return gpb__fail(err, GPB_ENOTFOUND,
                             "unknown GPU field '%.64s'; did you mean %s?",
                             field, field_names[best]);
        return gpb__fail(err, GPB_ENOTFOUND,
                         "unknown GPU field '%.64s'; see "
                         "gpb_hardware_field_names()",
                         field);
    }

    double v = 0;
    gpb_status st;
    switch ((enum field_id)id) {
    case F_BF16:
    case F_FP16:
    case F_FP8:
    case F_TF32:
    case F_FP32:
        st = gpb_hardware_gpu_peak_flop_per_s(gpu, field_precision[id], &v,
                                              err);
        if (st != GPB_OK)
            return st;
        v /= 1e12;
        break;
    case F_MEM_GB: v = gpu->mem_bytes / 1e9; break;
    case F_MEM_BYTES: v = gpu->mem_bytes; break;
    case F_MEM_BW_TBS: v = gpu->mem_bw_bytes_per_s / 1e12; break;
    case F_MEM_BW_BYTES: v = gpu->mem_bw_bytes_per_s; break;
    case F_TDP: v = gpu->tdp_watts; break;
    case F_PURCHASE:
        if (!(gpu->purchase_usd > 0))
            return gpb__fail(err, GPB_ENOTFOUND,
                             "no sourced purchase price for %s (%s)",
                             gpu->name, gpu->purchase_source);
        v = gpu->purchase_usd;
        break;
    case F_RENT:
        if (!(gpu->rent_usd_per_hour > 0))
            return gpb__fail(err, GPB_ENOTFOUND,
                             "no sourced rental price for %s (%s)",
                             gpu->name, gpu->rent_source);
        v = gpu->rent_usd_per_hour;
        break;
    case F_MFU: v = gpu->default_mfu; break;
    case F_YEAR: v = gpu->year; break;
    case F_COUNT:
    default:
        return gpb__fail(err, GPB_EINVAL, "internal: bad field id %d", id);
    }
    *out = v;
    return GPB_OK;
}
