/*
 * The table of the gpubudget command's options and the text of each
 * command's help: the one place they are written (cli_options.h says what
 * is made from them). A row's help is one sentence without a full stop;
 * its default, when it has one, is printed after it as "(default: …)".
 * Numeric defaults that the library or the command defines come from those
 * definitions, so the help cannot drift from them.
 */
#include <string.h>

#include "cli.h"

/* Rows that several commands share, so each is written once. */
#define ROW_PATHS(cmd, what, n) {cmd, CLI_KEY_PATHS, 0, "N", what, NULL, n}
#define ROW_SEED(cmd)                                                         \
    {cmd, CLI_KEY_SEED, 0, "S",                                               \
     "seed of the random streams, a whole number from 0 to 2^63 - 1: the "    \
     "same seed gives the same numbers on any number of threads or machines", \
     NULL, CLI_DEFAULT_SEED}
#define ROW_THREADS(cmd)                                                      \
    {cmd, CLI_KEY_THREADS, 0, "T",                                            \
     "worker threads, 0 for one per core; the numbers do not depend on it",   \
     "0", 0}
#define ROW_QMC(cmd)                                                          \
    {cmd, CLI_KEY_QMC, 0, NULL,                                               \
     "draw each path's inputs from a Sobol sequence (quasi-Monte Carlo) in "  \
     "16 randomly shifted replicates instead of pseudo-random numbers, the "  \
     "means' standard errors from the replicates; monthly events stay "       \
     "pseudo-random",                                                         \
     NULL, 0}
#define ROW_QUIET(cmd, what) {cmd, CLI_KEY_QUIET, 0, NULL, what, NULL, 0}
#define ROW_SET(cmd)                                                          \
    {cmd, CLI_KEY_SET, 0, "PAIR",                                             \
     "what if: PAIR is KEY.PATH=VALUE, the key changed before the file is "   \
     "checked, e.g. 'training[pretrain].gpus=512' or "                        \
     "'company.funding[0].probability=0' (repeatable; values in units or "   \
     "as a distribution; docs/scenario.md)",                                  \
     NULL, 0}
/* A training run's model and card, as estimate and plan take them. */
#define ROW_PARAMS(cmd)                                                       \
    {cmd, CLI_KEY_PARAMS, 0, "N",                                             \
     "parameters, e.g. 70B (all of them; for a mixture of experts see "       \
     "--active-params)",                                                      \
     CLI_REQUIRED, 0}
#define ROW_CARD(cmd)                                                         \
    {cmd, CLI_KEY_GPU, 0, "CARD",                                             \
     "the card, by its catalog name or an alias, e.g. H100 (gpubudget gpus "  \
     "lists them)",                                                           \
     CLI_REQUIRED, 0}
#define ROW_PRECISION(cmd)                                                    \
    {cmd, CLI_KEY_PRECISION, 0, "P",                                          \
     "the arithmetic the peak throughput is read at: fp32, tf32, bf16, fp16 " \
     "or fp8",                                                                \
     "bf16, or fp16 on cards without bf16", 0}

const cli_option cli_options[] = {
    /* ---- every command, and gpubudget itself ---- */
    {CLI_CMD_ANY, CLI_KEY_HELP, 'h', NULL, "print this help and exit", NULL,
     0},
    {CLI_CMD_MAIN, CLI_KEY_VERSION, 0, NULL,
     "print the version and exit", NULL, 0},

    /* ---- estimate ---- */
    ROW_PARAMS(CLI_CMD_ESTIMATE),
    {CLI_CMD_ESTIMATE, CLI_KEY_TOKENS, 0, "D", "training tokens, e.g. 2T",
     CLI_REQUIRED, 0},
    ROW_CARD(CLI_CMD_ESTIMATE),
    {CLI_CMD_ESTIMATE, CLI_KEY_GPUS, 0, "G",
     "GPUs in the run, a whole number, e.g. 512 or 16k", CLI_REQUIRED, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_MFU, 0, "F",
     "a steady-state model FLOPs utilisation you vouch for, in (0, 1], e.g. "
     "0.4 or 40%: the point figures use it and the interval narrows to the "
     "gap between a steady state and a whole run; not with --days",
     "the throughput model's, as gpubudget plan gives it; the card's catalog "
     "figure where the model cannot lay the run out",
     0},
    {CLI_CMD_ESTIMATE, CLI_KEY_DAYS, 0, "T",
     "a claimed wall-clock duration above 0 (days, or '3 weeks', '720h'): "
     "prints the MFU the claim implies instead of the time",
     NULL, 0},
    ROW_PRECISION(CLI_CMD_ESTIMATE),
    {CLI_CMD_ESTIMATE, CLI_KEY_PRICE, 0, "P",
     "rental price per GPU-hour, e.g. '$2.5/h' or '¥12/h' (a bare amount "
     "is per hour; money in CNY gives costs in CNY); needed for cards the catalog has no price for",
     "the catalog's", 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_ACTIVE_PARAMS, 0, "N",
     "parameters active per token (mixture of experts): the FLOPs count "
     "these, the memory all of --params",
     "--params", 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_RECOMPUTE, 0, NULL,
     "lay the run out with full activation recomputation: the throughput "
     "model charges its extra forward pass (8·N·D on the hardware), so "
     "its MFU is lower; FLOPs and MFU stay the model's 6·N·D",
     NULL, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_JSON, 0, NULL,
     "print every figure as JSON, with its source", NULL, 0},

    /* ---- plan ---- */
    ROW_PARAMS(CLI_CMD_PLAN),
    ROW_CARD(CLI_CMD_PLAN),
    {CLI_CMD_PLAN, CLI_KEY_GPUS, 0, "G",
     "GPUs in the run, a whole number, e.g. 512 or 16k", CLI_REQUIRED, 0},
    {CLI_CMD_PLAN, CLI_KEY_SEQ, 0, "S", "tokens per sequence", NULL,
     GPB_PLAN_SEQ_LEN_DEFAULT},
    {CLI_CMD_PLAN, CLI_KEY_GLOBAL_BATCH, 0, "B",
     "tokens per optimizer step, e.g. 4M; rounded to whole micro-batches "
     "of whole sequences",
     "4M (4,194,304), Llama 2's", 0},
    {CLI_CMD_PLAN, CLI_KEY_TOKENS, 0, "D",
     "training tokens, for the totals over the run, e.g. 2T",
     "20 per active parameter, the Chinchilla rule", 0},
    {CLI_CMD_PLAN, CLI_KEY_ACTIVE_PARAMS, 0, "N",
     "mixture of experts: parameters each token uses", "dense", 0},
    {CLI_CMD_PLAN, CLI_KEY_EXPERTS, 0, "E",
     "mixture of experts: experts per layer (needs --active-params)",
     "dense", 0},
    {CLI_CMD_PLAN, CLI_KEY_TOP_K, 0, "K",
     "mixture of experts: experts each token is routed to", NULL,
     GPB_PLAN_MOE_TOP_K_DEFAULT},
    {CLI_CMD_PLAN, CLI_KEY_LAYERS, 0, "L",
     "the shape: layers (with --d-model and --heads, all three)",
     "from the parameter count and published aspect ratios", 0},
    {CLI_CMD_PLAN, CLI_KEY_D_MODEL, 0, "H",
     "the shape: width, a multiple of --heads",
     "from the parameter count", 0},
    {CLI_CMD_PLAN, CLI_KEY_HEADS, 0, "A", "the shape: attention heads",
     "from the parameter count", 0},
    {CLI_CMD_PLAN, CLI_KEY_VOCAB, 0, "V", "vocabulary size", NULL,
     GPB_PLAN_VOCAB_DEFAULT},
    ROW_PRECISION(CLI_CMD_PLAN),
    {CLI_CMD_PLAN, CLI_KEY_TP, 0, "N",
     "fix the tensor-parallel degree (a power of two within a server)",
     "searched", 0},
    {CLI_CMD_PLAN, CLI_KEY_PP, 0, "N", "fix the pipeline-parallel degree",
     "searched", 0},
    {CLI_CMD_PLAN, CLI_KEY_MICRO_BATCH, 0, "N",
     "fix the sequences per micro-batch", "searched", 0},
    {CLI_CMD_PLAN, CLI_KEY_INTERLEAVE, 0, "N",
     "fix the model chunks per pipeline stage (interleaved 1F1B)",
     "searched: 1, 2 or 4", 0},
    {CLI_CMD_PLAN, CLI_KEY_RECOMPUTE, 0, "MODE",
     "fix activation recomputation: none, selective or full", "searched",
     0},
    {CLI_CMD_PLAN, CLI_KEY_ZERO, 0, "N",
     "fix the ZeRO stage, 0 to 3 (1: optimizer states sharded, 3: "
     "weights too)",
     "1 or 3, searched", 0},
    {CLI_CMD_PLAN, CLI_KEY_SOFTWARE, 0, "S",
     "modern (sequence parallelism, FlashAttention, overlapped gradient "
     "reduction) or megatron-2021 (as benchmarked by Narayanan et al.)",
     "modern", 0},
    {CLI_CMD_PLAN, CLI_KEY_GPUS_PER_NODE, 0, "N",
     "GPUs per server, which share its NVLink or other scale-up fabric",
     "the catalog's", 0},
    {CLI_CMD_PLAN, CLI_KEY_INTRA_NODE_BW, 0, "B",
     "bandwidth within a server, bytes/s per GPU each way, e.g. 450e9",
     "the catalog's", 0},
    {CLI_CMD_PLAN, CLI_KEY_INTER_NODE_BW, 0, "B",
     "network bandwidth between servers, bytes/s per GPU each way, e.g. "
     "50e9",
     "the catalog's", 0},
    {CLI_CMD_PLAN, CLI_KEY_MFU, 0, "F",
     "a steady-state MFU you vouch for, e.g. 0.4 or 40%: the interval then "
     "holds only the gap between a run's steady state and its whole length",
     "the model's", 0},
    {CLI_CMD_PLAN, CLI_KEY_PRICE, 0, "P",
     "rental price per GPU-hour, e.g. '$2.5/h' or '¥12/h' (a bare amount "
     "is per hour; money in CNY gives costs in CNY)",
     "the catalog's pricing rule", 0},
    {CLI_CMD_PLAN, CLI_KEY_JSON, 0, NULL,
     "print the layout, every term and the interval as JSON", NULL, 0},

    /* ---- rent-vs-buy ---- */
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_GPU, 0, "CARD",
     "the card, by its catalog name or an alias (gpubudget gpus)",
     CLI_REQUIRED, 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_GPUS, 0, "G",
     "GPUs rented or bought, a whole number", CLI_REQUIRED, 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_MONTHS, 0, "T",
     "the horizon in whole months, or a duration ('3 years')", CLI_REQUIRED,
     0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_UTILIZATION, 0, "U",
     "fraction of each month's hours the GPUs work, e.g. 0.7 or 70%", NULL,
     GPB_FINANCE_UTIL_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_UTILISATION, 0, "U",
     "the same as --utilization", NULL, GPB_FINANCE_UTIL_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RENT, 0, "P",
     "on-demand rental price per GPU-hour, e.g. '$2.5/h' (a bare amount "
     "is per hour)", "the catalog's",
     0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_MODE, 0, "M",
     "how the GPUs are rented: on-demand, reserved or spot", "on-demand", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RESERVED_DISCOUNT, 0, "F",
     "reserved mode: fraction off the on-demand price", NULL,
     GPB_FINANCE_RESERVED_DISCOUNT_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_COMMITMENT, 0, "MONTHS",
     "reserved mode: months of each commitment, paid whether used or not",
     NULL, GPB_FINANCE_RESERVED_COMMITMENT_MONTHS_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_SPOT_DISCOUNT, 0, "F",
     "spot mode: fraction off the on-demand price", NULL,
     GPB_FINANCE_SPOT_DISCOUNT_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_PREEMPTION_LOSS, 0, "F",
     "spot mode: share of the hours bought lost to preemption, in [0, 1)",
     NULL, GPB_FINANCE_SPOT_PREEMPTION_LOSS_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RENT_CHANGE, 0, "F",
     "change of the rental price a year, e.g. -0.2 for 20% cheaper each "
     "year",
     "0", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_PRICE, 0, "P",
     "purchase price of one card, e.g. '$30k'", "the catalog's", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_PREMIUM, 0, "X",
     "multiplier on the card price (export controls, scarcity)", "1", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_OVERHEAD, 0, "F",
     "servers and network per unit of card price",
     "the card's cited server share with the catalog's price "
     "(gpubudget gpus --json), else 0.3", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_OVERHEAD_PER_NODE, 0, "P",
     "servers and network per node, as money", "0", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_GPUS_PER_NODE, 0, "N",
     "GPUs in one node (whole), for --overhead-per-node", NULL,
     GPB_FINANCE_GPUS_PER_NODE_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_LEAD_TIME, 0, "T",
     "months from order to delivery; the work is rented meanwhile", "0", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_TARIFF, 0, "P",
     "electricity price per kWh, e.g. '$0.12/kWh' or '¥0.6/度'", "$0.0806",
     0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_PUE, 0, "X",
     "power usage effectiveness: facility power over IT power", NULL,
     GPB_FINANCE_PUE_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_SERVER_OVERHEAD, 0, "X",
     "server watts per GPU watt", NULL,
     GPB_FINANCE_SERVER_POWER_OVERHEAD_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_IDLE_POWER, 0, "F",
     "share of full power an idle card draws", NULL,
     GPB_FINANCE_IDLE_POWER_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_TDP, 0, "W", "board power of one GPU, in W",
     "the catalog's", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_COLO, 0, "P",
     "colocation per kW of IT load per month", "$150", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_MAINTENANCE, 0, "F",
     "maintenance a year, as a share of capex", NULL,
     GPB_FINANCE_MAINTENANCE_FRAC_PER_YEAR_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_DEPRECIATION, 0, "M",
     "accounting depreciation: straight-line or declining-balance",
     "straight-line", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_LIFE, 0, "MONTHS",
     "depreciation life in whole months", NULL,
     GPB_FINANCE_DEPRECIATION_LIFE_MONTHS_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RESALE_DECLINE, 0, "F",
     "share of the cards' resale value lost each year", NULL,
     GPB_FINANCE_RESALE_DECLINE_FRAC_PER_YEAR_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RESALE_FLOOR, 0, "F",
     "the least the cards resell for, as a share of their price", "0", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_FINANCING, 0, "M",
     "how the purchase is paid: cash, loan or lease", "cash", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_LOAN_FRAC, 0, "F",
     "loan: share of capex borrowed", NULL, GPB_FINANCE_LOAN_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_LOAN_RATE, 0, "F",
     "loan: nominal annual interest rate, paid monthly", NULL,
     GPB_FINANCE_LOAN_RATE_PER_YEAR_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_LOAN_MONTHS, 0, "N",
     "loan: whole months of payments", NULL,
     GPB_FINANCE_LOAN_MONTHS_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_LEASE_FRAC, 0, "F",
     "lease: payment a month per unit of capex", NULL,
     GPB_FINANCE_LEASE_FRAC_PER_MONTH_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_LEASE_PAYMENT, 0, "P",
     "lease: the payment a month as money, instead of --lease-frac", NULL,
     0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RENT_OUT_PRICE, 0, "P",
     "price per GPU-hour at which idle owned hours are let", "0 (not let)",
     0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RENT_OUT_UTIL, 0, "F",
     "share of the idle owned hours that are let", "0", 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_DISCOUNT_RATE, 0, "F",
     "annual discount rate of the NPVs", NULL,
     GPB_FINANCE_DISCOUNT_RATE_PER_YEAR_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_SCENARIO, 0, "FILE",
     "take the cards, the work and their uncertainty from the scenario's "
     "first fleet and the rental price of its run, and give P(buying is "
     "cheaper); not with --gpu, --gpus, --months",
     NULL, 0},
    ROW_PATHS(CLI_CMD_RENT_VS_BUY, "with --scenario: Monte Carlo paths",
              CLI_DEFAULT_PATHS),
    ROW_SET(CLI_CMD_RENT_VS_BUY),
    ROW_SEED(CLI_CMD_RENT_VS_BUY),
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_JSON, 0, NULL,
     "print every month and every total as JSON", NULL, 0},

    /* ---- run ---- */
    ROW_SET(CLI_CMD_RUN),
    ROW_PATHS(CLI_CMD_RUN, "Monte Carlo paths to simulate",
              CLI_DEFAULT_PATHS),
    ROW_SEED(CLI_CMD_RUN),
    ROW_THREADS(CLI_CMD_RUN),
    ROW_QMC(CLI_CMD_RUN),
    {CLI_CMD_RUN, CLI_KEY_PRECISION, 0, "F",
     "double the paths, from --paths, until the standard error of mean "
     "total spend is at most F times the mean, e.g. 0.005 or 0.5% (one "
     "process: refused under mpirun with more than one rank)",
     NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_MAX_PATHS, 0, "N",
     "with --precision: the most paths to run (at least --paths)", NULL,
     CLI_RUN_DEFAULT_MAX_PATHS},
    {CLI_CMD_RUN, CLI_KEY_CURRENCY, 0, "C",
     "report money in USD, CNY or EUR, converted at the scenario's mean "
     "exchange rate",
     "the scenario's currency", 0},
    {CLI_CMD_RUN, CLI_KEY_JSON, 0, NULL,
     "print the report as JSON instead of the text summary (docs/output.md)",
     NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_CSV, 0, "FILE",
     "write the quantiles of every metric as CSV", NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_SAMPLES_CSV, 0, "FILE",
     "write every path's inputs and metrics as CSV", NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_XLSX, 0, "FILE",
     "write a workbook with native charts", NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_SAMPLES, 0, NULL,
     "add a sheet of every path to the workbook of --xlsx or --output-dir",
     NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_HTML, 0, "FILE",
     "write one self-contained HTML page with the charts", NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_OUTPUT_DIR, 0, "DIR",
     "put the files in DIR, created if needed; with no file option, write "
     "all five as DIR/STEM.json, .csv, -samples.csv, .xlsx and .html",
     NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_SWING_PATHS, 0, "N",
     "paths per side of each input's swing run for the tornado; 0 turns the "
     "swing off",
     NULL, GPB_SENS_DEFAULT_SWING_PATHS},
    ROW_QUIET(CLI_CMD_RUN,
              "print no text summary and no progress bar; files are still "
              "written"),
    {CLI_CMD_RUN, CLI_KEY_TIMINGS, 0, NULL,
     "after the report, print on stderr the seconds taken to load and "
     "simulate, by the sensitivity and by the reports",
     NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_GIVEN, 0, "COND",
     "report the paths where COND holds only, e.g. "
     "'company.funding[0].closed=false', 'training[0].diverged=true' or "
     "'spend.total>$100M' (the month fan then covers every path)",
     NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_LEDGER, 0, NULL,
     "add the month-by-month ledger: the P50 and mean of every category in "
     "every month (text, JSON, the workbook's ledger sheet)",
     NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_LEDGER_CSV, 0, "FILE",
     "write the month-by-month ledger as CSV (implies --ledger)", NULL, 0},
    {CLI_CMD_RUN, CLI_KEY_TRACE_PATH, 0, "K",
     "replay path K (0 to --paths - 1) of this run alone, with the same "
     "--seed, --paths and --qmc: its draws and month-by-month ledger "
     "instead of the report",
     NULL, 0},

    /* ---- raise ---- */
    ROW_SET(CLI_CMD_RAISE),
    {CLI_CMD_RAISE, CLI_KEY_MONTHS, 0, "M",
     "the runway target: the cash must last M months (1 to the horizon)",
     "the scenario's horizon", 0},
    {CLI_CMD_RAISE, CLI_KEY_CONFIDENCE, 0, "C",
     "the probability that the cash lasts, in (0, 1), e.g. 0.9 or 90%", NULL,
     0.9},
    ROW_PATHS(CLI_CMD_RAISE, "Monte Carlo paths to simulate",
              CLI_DEFAULT_PATHS),
    ROW_SEED(CLI_CMD_RAISE),
    ROW_THREADS(CLI_CMD_RAISE),
    ROW_QMC(CLI_CMD_RAISE),
    ROW_QUIET(CLI_CMD_RAISE, "no progress bar on a terminal"),
    {CLI_CMD_RAISE, CLI_KEY_JSON, 0, NULL, "print the answer as JSON", NULL,
     0},
    {CLI_CMD_RAISE, CLI_KEY_TARGET, 0, "T",
     "goal seek: the value of --vary that meets T, e.g. "
     "'p_out_of_cash<=0.1', 'cash.min.p50>=0' or 'spend.total.mean<=$80M' "
     "(the P(out of cash) of --months when given)",
     NULL, 0},
    {CLI_CMD_RAISE, CLI_KEY_VARY, 0, "KEY",
     "with --target: the scenario key to change, e.g. "
     "'company.funding[0].amount'",
     NULL, 0},
    {CLI_CMD_RAISE, CLI_KEY_RANGE, 0, "RANGE",
     "with --target: where to look, LO..HI read as the key reads a value, "
     "e.g. '$0..$200M' or '1 year..3 years' (12 to 36 for a month)",
     "the key's lowest value to four times its median, widened until the "
     "target is bracketed, inside the values the key accepts (whole "
     "numbers of GPUs and months searched as whole numbers)",
     0},

    /* ---- compare ---- */
    ROW_SET(CLI_CMD_COMPARE),
    {CLI_CMD_COMPARE, CLI_KEY_SET_A, 0, "PAIR",
     "as --set, for plan A only (one file with two --set-a/--set-b sets "
     "compares two variants of it)",
     NULL, 0},
    {CLI_CMD_COMPARE, CLI_KEY_SET_B, 0, "PAIR",
     "as --set, for plan B only", NULL, 0},
    ROW_PATHS(CLI_CMD_COMPARE, "Monte Carlo paths of each plan",
              CLI_DEFAULT_PATHS),
    ROW_SEED(CLI_CMD_COMPARE),
    ROW_THREADS(CLI_CMD_COMPARE),
    ROW_QMC(CLI_CMD_COMPARE),
    {CLI_CMD_COMPARE, CLI_KEY_CURRENCY, 0, "C",
     "report money in USD, CNY or EUR at plan A's mean exchange rate (a "
     "plan B in another currency is first converted into A's path by "
     "path, at each path's rate)", "plan A's currency", 0},
    {CLI_CMD_COMPARE, CLI_KEY_JSON, 0, NULL,
     "print the comparison as JSON (docs/output.md)", NULL, 0},
    {CLI_CMD_COMPARE, CLI_KEY_HTML, 0, "FILE",
     "write one self-contained HTML page with the charts", NULL, 0},
    {CLI_CMD_COMPARE, CLI_KEY_XLSX, 0, "FILE",
     "write a workbook with a native chart", NULL, 0},
    ROW_QUIET(CLI_CMD_COMPARE, "print no table and no progress bar"),

    /* ---- sweep ---- */
    {CLI_CMD_SWEEP, CLI_KEY_VARY, 0, "AXIS",
     "an axis, 'KEY=v1,v2,v3' (values in units), 'KEY=LO..HI/N' (N evenly "
     "spaced points) or, with --samples, 'KEY=LO..HI' (its ends read as "
     "the key reads a value: '1 year..2 years' is 12 to 24 for a month); "
     "repeatable: the grid is every combination",
     NULL, 0},
    {CLI_CMD_SWEEP, CLI_KEY_SAMPLES, 0, "N",
     "instead of the grid, N points of a Latin hypercube over the ranges "
     "(seeded by --seed), each range cut in its key's unit; a key that "
     "takes whole numbers (GPUs, months, horizon_months) gets whole points",
     NULL, 0},
    {CLI_CMD_SWEEP, CLI_KEY_METRICS, 0, "LIST",
     "the metrics to report, comma-separated",
     "spend.total,cash.min,out_of_cash,runway_months", 0},
    ROW_SET(CLI_CMD_SWEEP),
    ROW_PATHS(CLI_CMD_SWEEP, "Monte Carlo paths of each point",
              CLI_DEFAULT_PATHS),
    ROW_SEED(CLI_CMD_SWEEP),
    ROW_THREADS(CLI_CMD_SWEEP),
    ROW_QMC(CLI_CMD_SWEEP),
    {CLI_CMD_SWEEP, CLI_KEY_JSON, 0, NULL,
     "print the table as JSON (docs/output.md)", NULL, 0},
    {CLI_CMD_SWEEP, CLI_KEY_CSV, 0, "FILE", "write the table as CSV", NULL,
     0},
    {CLI_CMD_SWEEP, CLI_KEY_HTML, 0, "FILE",
     "write a page with a heat map (two keys) or charts (one key)", NULL,
     0},
    {CLI_CMD_SWEEP, CLI_KEY_XLSX, 0, "FILE",
     "write a workbook with a native chart", NULL, 0},
    ROW_QUIET(CLI_CMD_SWEEP, "print no table and no progress"),

    /* ---- check ---- */
    ROW_SET(CLI_CMD_CHECK),
    {CLI_CMD_CHECK, CLI_KEY_CLAIM, 0, "TEXT",
     "check a pitch instead of scenario files: parameters (a mixture of "
     "experts' active ones too: '671B params (37B active)'), tokens, GPUs, "
     "duration and budget, as written",
     NULL, 0},
    ROW_PATHS(CLI_CMD_CHECK, "Monte Carlo paths per scenario",
              CLI_CHECK_DEFAULT_PATHS),
    ROW_SEED(CLI_CMD_CHECK),
    ROW_THREADS(CLI_CMD_CHECK),
    {CLI_CMD_CHECK, CLI_KEY_JSON, 0, NULL, "print the verdicts as JSON",
     NULL, 0},
    {CLI_CMD_CHECK, CLI_KEY_MARKDOWN, 0, NULL,
     "print the Markdown of docs/claims.md (scenario files only)", NULL, 0},
    {CLI_CMD_CHECK, CLI_KEY_STRICT, 0, NULL,
     "exit 1 when a claim (or the pitch) is implausible", NULL, 0},
    {CLI_CMD_CHECK, CLI_KEY_PRECISION, 0, "P",
     "with --claim: the arithmetic the pitch's GPUs run at (fp32, tf32, "
     "bf16, fp16 or fp8), when the pitch does not say",
     "bf16, or fp16 on cards without bf16", 0},

    /* ---- validate ---- */
    {CLI_CMD_VALIDATE, CLI_KEY_STRICT, 0, NULL,
     "exit 1 when there are warnings: plans that load but cannot work as "
     "written",
     NULL, 0},

    /* ---- init ---- */
    {CLI_CMD_INIT, CLI_KEY_FORCE, 0, NULL, "replace FILE if it exists", NULL,
     0},

    /* ---- gpus ---- */
    {CLI_CMD_GPUS, CLI_KEY_JSON, 0, NULL,
     "every field of every card, with its source and date, as JSON", NULL,
     0},

    /* ---- help ---- */
    {CLI_CMD_HELP, CLI_KEY_MAN, 0, NULL,
     "print the manual page gpubudget(1) in roff", NULL, 0},
    {CLI_CMD_HELP, CLI_KEY_MARKDOWN, 0, NULL,
     "print every command's options in Markdown (docs/cli.md)", NULL, 0},
};

const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

const cli_command_doc cli_command_docs[CLI_CMD_COUNT + 1] = {
    [CLI_CMD_MAIN] = {
        .usage = "<command> [options]\n--version\n--help",
        .text =
            "gpubudget puts numbers on the cost of building large language "
            "models: the FLOPs, GPU-hours, card-months (千卡/月), days and "
            "money of a training run, renting against buying, and a Monte "
            "Carlo simulation of a start-up's spend and cash runway over a "
            "YAML scenario, with the raise needed at a confidence.\n\n"
            "'gpubudget <command> --help' or 'gpubudget help <command>' "
            "describes a command; 'gpubudget init' writes a scenario to "
            "start from.",
        .examples = NULL,
    },
    [CLI_CMD_ESTIMATE] = {
        .usage = "--params N --tokens D --gpu CARD --gpus G [--mfu F | "
                 "--days T] [--precision P] [--price P] [--active-params N] "
                 "[--recompute] [--json]",
        .text =
            "For one training run: the compute (6·N·D FLOPs), GPU-hours, "
            "card-months (千卡/月; one month is 730.5 hours), wall-clock "
            "days, whether the model's training state fits in the GPUs' "
            "memory, the rental cost, and the Chinchilla-optimal split of "
            "that compute.\n\n"
            "The MFU is the throughput model's for this model on this "
            "cluster (gpubudget plan), and those figures are the 'ideal'. "
            "Beside them come P5, P50 (the 'realistic') and P95 of MFU, "
            "GPU-hours, card-months, days and cost from how far published "
            "runs fell short of the model, with rent priced by the catalog's "
            "pricing rule; --mfu narrows the interval.\n\n"
            "Given --days instead of --mfu, it prints the model FLOPs "
            "utilisation the claimed duration implies, and says when that "
            "is beyond published large runs (0.30-0.55) or beyond the "
            "hardware's peak.",
        .examples =
            "gpubudget estimate --params 7B --tokens 1T --gpu H100 "
            "--gpus 64\n"
            "gpubudget estimate --params 70B --tokens 2T --gpu H100 \\\n"
            "    --gpus 512 --days 30        # the MFU a 30-day claim needs\n"
            "gpubudget estimate --params 13B --tokens 2T --gpu A800 \\\n"
            "    --gpus 256 --price ¥12/h    # a card without a catalog price",
    },
    [CLI_CMD_PLAN] = {
        .usage = "--params N --gpu CARD --gpus G [--seq S] [--tokens D] "
                 "[options]",
        .text =
            "Lays a model out on a cluster: searches tensor, pipeline and "
            "data parallel degrees, micro-batch, activation recomputation "
            "and ZeRO stage for the fastest layout that fits in memory, and "
            "prints it with the memory per GPU, the step time term by term, "
            "the model FLOPs utilisation (MFU) it reaches and the term that "
            "bounds it (docs/model.md, \"Plan\").\n\n"
            "Over the run's tokens it then gives P5, P50 and P95 of MFU, "
            "GPU-hours, days, card-months and cost from how far published "
            "runs fell short of such a model, beside the model's own "
            "\"ideal\" figures; --mfu narrows the interval. 'gpubudget "
            "estimate' uses the same model for its default MFU.",
        .examples =
            "gpubudget plan --params 70B --gpu H100 --gpus 512\n"
            "gpubudget plan --params 7B --gpu A100-80GB --gpus 64 --seq 2048 "
            "\\\n    --global-batch 4M --tokens 1T --json\n"
            "gpubudget plan --params 175B --gpu A100-80GB --gpus 1024 \\\n"
            "    --software megatron-2021 --tp 8 --pp 16   # a fixed layout",
    },
    [CLI_CMD_RENT_VS_BUY] = {
        .usage = "--gpu CARD --gpus G --months T [options]\n"
                 "--scenario FILE [--paths N] [--seed S] "
                 "[--discount-rate F] [--json]",
        .text =
            "Compares renting G GPUs for T months with buying them: the "
            "cash of both month by month, totals, NPVs, and the break-even "
            "utilisation and months. Money options may be in any currency; "
            "the report is in the first currency given (US dollars "
            "otherwise). Defaults and their sources: docs/finance.md.",
        .examples =
            "gpubudget rent-vs-buy --gpu H100 --gpus 1000 --months 36\n"
            "gpubudget rent-vs-buy --gpu H100 --gpus 64 --months '3 years' "
            "\\\n    --financing loan --json",
    },
    [CLI_CMD_RUN] = {
        .usage = "[SCENARIO] [options]\n"
                 "[SCENARIO] --trace-path K [--paths N] [--seed S] [--qmc] "
                 "[--set PAIR] [--currency C] [--json]",
        .text =
            "Simulates SCENARIO (the built-in 千卡/月 scenario when none is "
            "given) and reports spend, runway and the raise needed as "
            "distributions, and which inputs move them, in 80 columns. "
            "--json, --csv, --samples-csv, --xlsx and --html give the same "
            "numbers in other forms (docs/output.md). For a seed the "
            "numbers are the same on any number of threads.",
        .examples =
            "gpubudget run                  # the built-in 千卡/月 scenario\n"
            "gpubudget run plan.yaml --html report.html --xlsx report.xlsx\n"
            "gpubudget run plan.yaml --precision 0.5% --currency CNY",
    },
    [CLI_CMD_RAISE] = {
        .usage = "[SCENARIO] [--months M] [--confidence C] [options]\n"
                 "SCENARIO --target T --vary KEY [--range LO..HI] [options]",
        .text =
            "The amount to raise now so that the cash of SCENARIO (the "
            "built-in scenario when none is given) lasts M months with "
            "confidence C: the C-quantile, over the simulated paths, of the "
            "deepest cash deficit in those months. With --target and "
            "--vary, goal seek instead: the value of KEY at which the "
            "target is just met (every trial on the same paths, so the "
            "statistic moves only with KEY), with the range of values "
            "within its Monte Carlo uncertainty.",
        .examples = "gpubudget raise plan.yaml --months 18 --confidence 90%\n"
                    "gpubudget raise plan.yaml --target 'p_out_of_cash<=0.05' "
                    "\\\n    --vary company.cash  # the cash that keeps the "
                    "risk at 5%",
    },
    [CLI_CMD_COMPARE] = {
        .usage = "A.yaml [B.yaml] [--set K=V] [--set-a K=V] [--set-b K=V] "
                 "[options]",
        .text =
            "Runs two plans on the same paths and seed, so that path i of "
            "each draws the same shared events (common random numbers), and "
            "reports for every metric the distribution of the difference "
            "A - B path by path, with P(A spends less) and P(A's cash lasts "
            "longer). B is A.yaml again when only one file is given: then "
            "--set-a and --set-b make the two variants.",
        .examples =
            "gpubudget compare plan.yaml --set-a 'training[0].gpus=512' "
            "\\\n    --set-b 'training[0].gpus=1024'\n"
            "gpubudget compare plan.yaml --set-b "
            "'company.funding[0].probability=0' \\\n"
            "    --html compare.html       # and if the round fails?",
    },
    [CLI_CMD_SWEEP] = {
        .usage = "SCENARIO --vary K=VALUES [--vary K=VALUES...] "
                 "[--samples N] [options]",
        .text =
            "Runs SCENARIO at every point of a grid of changed keys (or of "
            "a Latin hypercube with --samples), every point on the same "
            "paths and seed (common random numbers), and tabulates the "
            "mean, standard error, P5, P50 and P95 of chosen metrics per "
            "point. Under mpirun the points are shared among the ranks. A "
            "point whose values the scenario refuses keeps its row, saying "
            "why, and the command then exits with status 2. Each key has "
            "one --vary: two spellings of one key "
            "('training[pretrain].gpus', 'training[0].gpus') or a key "
            "inside another varied one are refused before any point runs.",
        .examples =
            "gpubudget sweep plan.yaml --vary 'training[0].gpus=256,512,1024'"
            " \\\n    --vary 'company.funding[0].amount=$20M..$80M/7' "
            "--html sweep.html",
    },
    [CLI_CMD_CHECK] = {
        .usage = "[SCENARIO...] [--paths N] [--seed S] [--threads T] "
                 "[--json | --markdown] [--strict]\n"
                 "--claim TEXT [--paths N] [--seed S] [--json] [--strict]",
        .text =
            "Checks every claim of the scenarios against the simulation; "
            "without files, every .yaml file of the scenarios directory "
            "($GPB_SCENARIOS_DIR, else the one installed with gpubudget). "
            "For each claim: the claimed value, the model's P5, P50 and "
            "P95, the probability of an outcome at least as favourable as "
            "the claim, a verdict (consistent 5-95%, optimistic below 5%, "
            "implausible below 1%, pessimistic above 95%) and the input "
            "that drives the metric most (docs/check.md).",
        .examples =
            "gpubudget check               # every claim of scenarios/\n"
            "gpubudget check --claim '70B params, 2T tokens, 512 H100, "
            "30 days, $2M'",
    },
    [CLI_CMD_VALIDATE] = {
        .usage = "[--strict] FILE...",
        .text =
            "Loads each scenario and lists every problem on stderr, one a "
            "line, with its file, line, column and key path, and the "
            "nearest known key for an unknown one. Claims are checked too: "
            "each claim's metric and value against one block of simulated "
            "paths (an unknown metric, units that do not match), without "
            "a verdict.",
        .examples = "gpubudget validate scenarios/*.yaml",
    },
    [CLI_CMD_INIT] = {
        .usage = "[--force] [FILE]",
        .text =
            "Writes a commented starting scenario to FILE, or to standard "
            "output when FILE is '-' or absent: the company's cash and a "
            "funding round, a team, one training run, serving and revenue, "
            "each key with its unit and where its figure can come from "
            "(every key: docs/scenario.md). It validates and runs as "
            "written. An existing FILE is kept unless --force; the file is "
            "written whole or not at all.",
        .examples = "gpubudget init plan.yaml && gpubudget run plan.yaml",
    },
    [CLI_CMD_GPUS] = {
        .usage = "[--json]",
        .text =
            "Lists the GPU catalog: dense peak TFLOP/s per precision "
            "(never the 2x 'with sparsity' figures), memory, bandwidth, "
            "power, reference prices and the default MFU. The table fits "
            "80 columns; --json has every field with its source and date "
            "(docs/hardware.md).",
        .examples = NULL,
    },
    [CLI_CMD_HELP] = {
        .usage = "[COMMAND]\n--man\n--markdown",
        .text =
            "Describes COMMAND as 'gpubudget COMMAND --help' does, or lists "
            "the commands. --man prints the manual page (read it with "
            "'gpubudget help --man | man -l -'); --markdown prints "
            "docs/cli.md.",
        .examples = NULL,
    },
};

const char *cli_command_name(cli_command cmd)
{
    static const char *const names[] = {
#define CLI_X_(id, name, fn, summary) [CLI_CMD_##id] = name,
        CLI_COMMAND_MAP(CLI_X_)
#undef CLI_X_
        [CLI_CMD_MAIN] = "gpubudget",
    };
    return (unsigned)cmd <= CLI_CMD_MAIN ? names[cmd] : NULL;
}

const char *cli_command_summary(cli_command cmd)
{
    static const char *const summaries[] = {
#define CLI_X_(id, name, fn, summary) [CLI_CMD_##id] = summary,
        CLI_COMMAND_MAP(CLI_X_)
#undef CLI_X_
    };
    return (unsigned)cmd < CLI_CMD_COUNT ? summaries[cmd] : NULL;
}

const char *cli_key_name(int key)
{
    static const char *const names[] = {
#define CLI_X_(id, name) [CLI_KEY_##id - CLI_KEY_NONE_] = name,
        CLI_KEY_MAP(CLI_X_)
#undef CLI_X_
    };
    if (key <= CLI_KEY_NONE_ || key >= CLI_KEY_END_)
        return NULL;
    return names[key - CLI_KEY_NONE_];
}

int cli_command_find(const char *name)
{
    for (int c = 0; c < CLI_CMD_COUNT; c++)
        if (!strcmp(name, cli_command_name((cli_command)c)))
            return c;
    return -1;
}

int cli_option_of(const cli_option *o, cli_command cmd)
{
    return o->cmd == cmd || o->cmd == CLI_CMD_ANY;
}

const cli_option *cli_option_find(cli_command cmd, int key)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_option_of(&cli_options[i], cmd) &&
            (int)cli_options[i].key == key)
            return &cli_options[i];
    return NULL;
}
