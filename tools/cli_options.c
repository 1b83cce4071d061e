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
     "seed of the random streams: the same seed gives the same numbers on "   \
     "any number of threads or machines",                                     \
     NULL, CLI_DEFAULT_SEED}
#define ROW_THREADS(cmd)                                                      \
    {cmd, CLI_KEY_THREADS, 0, "T",                                            \
     "worker threads, 0 for one per core; the numbers do not depend on it",   \
     "0", 0}
#define ROW_QMC(cmd)                                                          \
    {cmd, CLI_KEY_QMC, 0, NULL,                                               \
     "draw each path's inputs from a Sobol sequence (quasi-Monte Carlo) "     \
     "instead of pseudo-random numbers; monthly events stay pseudo-random",   \
     NULL, 0}
#define ROW_QUIET(cmd, what) {cmd, CLI_KEY_QUIET, 0, NULL, what, NULL, 0}

const cli_option cli_options[] = {
    /* ---- every command, and gpubudget itself ---- */
    {CLI_CMD_ANY, CLI_KEY_HELP, 'h', NULL, "print this help and exit", NULL,
     0},
    {CLI_CMD_MAIN, CLI_KEY_VERSION, 0, NULL,
     "print the version and exit", NULL, 0},

    /* ---- estimate ---- */
    {CLI_CMD_ESTIMATE, CLI_KEY_PARAMS, 0, "N",
     "parameters, e.g. 70B (all of them; for a mixture of experts see "
     "--active-params)",
     CLI_REQUIRED, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_TOKENS, 0, "D", "training tokens, e.g. 2T",
     CLI_REQUIRED, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_GPU, 0, "CARD",
     "the card, by its catalog name or an alias, e.g. H100 (gpubudget gpus "
     "lists them)",
     CLI_REQUIRED, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_GPUS, 0, "G",
     "GPUs in the run, e.g. 512 or 16k", CLI_REQUIRED, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_MFU, 0, "F",
     "model FLOPs utilisation in (0, 1], e.g. 0.4 or 40%; not with --days",
     "the card's, from the catalog", 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_DAYS, 0, "T",
     "a claimed wall-clock duration (days, or '3 weeks', '720h'): prints the "
     "MFU the claim implies instead of the time",
     NULL, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_PRECISION, 0, "P",
     "the arithmetic the peak throughput is read at: fp32, tf32, bf16, fp16 "
     "or fp8",
     "bf16, or fp16 on cards without bf16", 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_PRICE, 0, "P",
     "rental price per GPU-hour, e.g. '$2.5/h' or '¥12/h' (money in CNY "
     "gives costs in CNY); needed for cards the catalog has no price for",
     "the catalog's", 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_ACTIVE_PARAMS, 0, "N",
     "parameters active per token (mixture of experts): the FLOPs count "
     "these, the memory all of --params",
     "--params", 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_RECOMPUTE, 0, NULL,
     "count full activation recomputation: 8·N·D FLOPs instead of 6·N·D",
     NULL, 0},
    {CLI_CMD_ESTIMATE, CLI_KEY_JSON, 0, NULL,
     "print every figure as JSON, with its source", NULL, 0},

    /* ---- rent-vs-buy ---- */
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_GPU, 0, "CARD",
     "the card, by its catalog name or an alias (gpubudget gpus)",
     CLI_REQUIRED, 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_GPUS, 0, "G", "GPUs rented or bought",
     CLI_REQUIRED, 0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_MONTHS, 0, "T",
     "the horizon in whole months, or a duration ('3 years')", CLI_REQUIRED,
     0},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_UTILIZATION, 0, "U",
     "fraction of each month's hours the GPUs work, e.g. 0.7 or 70%", NULL,
     GPB_FINANCE_UTIL_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_UTILISATION, 0, "U",
     "the same as --utilization", NULL, GPB_FINANCE_UTIL_FRAC_DEFAULT},
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_RENT, 0, "P",
     "on-demand rental price per GPU-hour, e.g. '$2.5/h'", "the catalog's",
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
     "GPUs in one node, for --overhead-per-node", NULL,
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
    ROW_SEED(CLI_CMD_RENT_VS_BUY),
    {CLI_CMD_RENT_VS_BUY, CLI_KEY_JSON, 0, NULL,
     "print every month and every total as JSON", NULL, 0},

    /* ---- run ---- */
    ROW_PATHS(CLI_CMD_RUN, "Monte Carlo paths to simulate",
              CLI_DEFAULT_PATHS),
    ROW_SEED(CLI_CMD_RUN),
    ROW_THREADS(CLI_CMD_RUN),
    ROW_QMC(CLI_CMD_RUN),
    {CLI_CMD_RUN, CLI_KEY_PRECISION, 0, "F",
     "double the paths, from --paths, until the standard error of mean "
     "total spend is at most F times the mean, e.g. 0.005 or 0.5%",
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
    {CLI_CMD_RUN, CLI_KEY_TRACE_PATH, 0, "K",
     "replay path K (0 to --paths - 1) of this run alone, with the same "
     "--seed, --paths and --qmc: its draws and month-by-month ledger "
     "instead of the report",
     NULL, 0},

    /* ---- raise ---- */
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

    /* ---- check ---- */
    {CLI_CMD_CHECK, CLI_KEY_CLAIM, 0, "TEXT",
     "check a pitch instead of scenario files: parameters, tokens, GPUs, "
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
                 "[--currency C] [--json]",
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
        .usage = "[SCENARIO] [--months M] [--confidence C] [options]",
        .text =
            "The amount to raise now so that the cash of SCENARIO (the "
            "built-in scenario when none is given) lasts M months with "
            "confidence C: the C-quantile, over the simulated paths, of the "
            "deepest cash deficit in those months.",
        .examples = "gpubudget raise plan.yaml --months 18 --confidence 90%",
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
            "nearest known key for an unknown one.",
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
