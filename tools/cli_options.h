/*
 * The gpubudget command's options: one table (cli_options.c) from which
 * every parser, every --help, `gpubudget help`, the man page gpubudget(1)
 * and docs/cli.md are made. A command parses its arguments with
 * cli_parser_next, which knows only the options of the table, so an option
 * cannot be accepted without being documented; an option of the table that
 * a command's switch does not handle is an internal error that the CLI
 * tests find (tests/test_cli_options.sh).
 */
#ifndef GPB_CLI_OPTIONS_H
#define GPB_CLI_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

/* The commands, in the order `gpubudget --help` lists them:
   X(ID, name, entry point, one-line summary). */
#define CLI_COMMAND_MAP(X)                                                    \
    X(ESTIMATE, "estimate", cmd_estimate,                                     \
      "FLOPs, GPU-hours, card-months, days and cost of a training run, "      \
      "P5-P95")                                                               \
    X(PLAN, "plan", cmd_plan,                                                 \
      "parallel layout, step time, MFU and memory of a model on a cluster")   \
    X(RENT_VS_BUY, "rent-vs-buy", cmd_rent_vs_buy,                            \
      "rent or buy GPUs: monthly cash, NPVs and break-even points")           \
    X(INIT, "init", cmd_init, "write a commented starting scenario")          \
    X(RUN, "run", cmd_run,                                                    \
      "simulate a scenario: spend, runway and raise as distributions")        \
    X(RAISE, "raise", cmd_raise,                                              \
      "the amount to raise now for a runway target at a confidence")          \
    X(COMPARE, "compare", cmd_compare,                                        \
      "two plans on the same random numbers: the difference of every metric")\
    X(SWEEP, "sweep", cmd_sweep,                                              \
      "a scenario over a grid of changed keys, every point on the same paths")\
    X(CHECK, "check", cmd_check,                                              \
      "test the articles' claims (or a pitch) against the simulation")        \
    X(VALIDATE, "validate", cmd_validate,                                     \
      "check scenario files and list every problem")                          \
    X(GPUS, "gpus", cmd_gpus, "list the GPU catalog with sources")            \
    X(HELP, "help", cmd_help, "describe a command, or print the manual page")

typedef enum cli_command {
#define CLI_X_(id, name, fn, summary) CLI_CMD_##id,
    CLI_COMMAND_MAP(CLI_X_)
#undef CLI_X_
    CLI_CMD_COUNT,
    /* Pseudo-commands of the table: `gpubudget` itself (--version), and
       every command at once (--help). */
    CLI_CMD_MAIN = CLI_CMD_COUNT,
    CLI_CMD_ANY
} cli_command;

/* Every option name, once: X(ID, long name). The keys are the values
   cli_parser_next returns; they start above any short option character. */
#define CLI_KEY_MAP(X)                                                        \
    X(ACTIVE_PARAMS, "active-params")                                         \
    X(CLAIM, "claim")                                                         \
    X(COLO, "colo")                                                           \
    X(COMMITMENT, "commitment")                                               \
    X(CONFIDENCE, "confidence")                                               \
    X(CSV, "csv")                                                             \
    X(CURRENCY, "currency")                                                   \
    X(D_MODEL, "d-model")                                                     \
    X(DAYS, "days")                                                           \
    X(DEPRECIATION, "depreciation")                                           \
    X(DISCOUNT_RATE, "discount-rate")                                         \
    X(EXPERTS, "experts")                                                     \
    X(FINANCING, "financing")                                                 \
    X(FORCE, "force")                                                         \
    X(GIVEN, "given")                                                         \
    X(GLOBAL_BATCH, "global-batch")                                           \
    X(GPU, "gpu")                                                             \
    X(GPUS, "gpus")                                                           \
    X(GPUS_PER_NODE, "gpus-per-node")                                         \
    X(HEADS, "heads")                                                         \
    X(HELP, "help")                                                           \
    X(HTML, "html")                                                           \
    X(IDLE_POWER, "idle-power")                                               \
    X(INTER_NODE_BW, "inter-node-bw")                                         \
    X(INTERLEAVE, "interleave")                                               \
    X(INTRA_NODE_BW, "intra-node-bw")                                         \
    X(JSON, "json")                                                           \
    X(LAYERS, "layers")                                                       \
    X(LEAD_TIME, "lead-time")                                                 \
    X(LEASE_FRAC, "lease-frac")                                               \
    X(LEASE_PAYMENT, "lease-payment")                                         \
    X(LEDGER, "ledger")                                                       \
    X(LEDGER_CSV, "ledger-csv")                                               \
    X(LIFE, "life")                                                           \
    X(LOAN_FRAC, "loan-frac")                                                 \
    X(LOAN_MONTHS, "loan-months")                                             \
    X(LOAN_RATE, "loan-rate")                                                 \
    X(MAINTENANCE, "maintenance")                                             \
    X(MAN, "man")                                                             \
    X(MARKDOWN, "markdown")                                                   \
    X(MAX_PATHS, "max-paths")                                                 \
    X(METRICS, "metrics")                                                     \
    X(MFU, "mfu")                                                             \
    X(MICRO_BATCH, "micro-batch")                                             \
    X(MODE, "mode")                                                           \
    X(MONTHS, "months")                                                       \
    X(OUTPUT_DIR, "output-dir")                                               \
    X(OVERHEAD, "overhead")                                                   \
    X(OVERHEAD_PER_NODE, "overhead-per-node")                                 \
    X(PARAMS, "params")                                                       \
    X(PATHS, "paths")                                                         \
    X(PP, "pp")                                                               \
    X(PRECISION, "precision")                                                 \
    X(PREEMPTION_LOSS, "preemption-loss")                                     \
    X(PREMIUM, "premium")                                                     \
    X(PRICE, "price")                                                         \
    X(PUE, "pue")                                                             \
    X(QMC, "qmc")                                                             \
    X(QUIET, "quiet")                                                         \
    X(RANGE, "range")                                                         \
    X(RECOMPUTE, "recompute")                                                 \
    X(RENT, "rent")                                                           \
    X(RENT_CHANGE, "rent-change")                                             \
    X(RENT_OUT_PRICE, "rent-out-price")                                       \
    X(RENT_OUT_UTIL, "rent-out-util")                                         \
    X(RESALE_DECLINE, "resale-decline")                                       \
    X(RESALE_FLOOR, "resale-floor")                                           \
    X(RESERVED_DISCOUNT, "reserved-discount")                                 \
    X(SAMPLES, "samples")                                                     \
    X(SAMPLES_CSV, "samples-csv")                                             \
    X(SCENARIO, "scenario")                                                   \
    X(SEED, "seed")                                                           \
    X(SEQ, "seq")                                                             \
    X(SERVER_OVERHEAD, "server-overhead")                                     \
    X(SET, "set")                                                             \
    X(SET_A, "set-a")                                                         \
    X(SET_B, "set-b")                                                         \
    X(SOFTWARE, "software")                                                   \
    X(SPOT_DISCOUNT, "spot-discount")                                         \
    X(STRICT, "strict")                                                       \
    X(SWING_PATHS, "swing-paths")                                             \
    X(TARGET, "target")                                                       \
    X(TARIFF, "tariff")                                                       \
    X(TDP, "tdp")                                                             \
    X(THREADS, "threads")                                                     \
    X(TIMINGS, "timings")                                                     \
    X(TOKENS, "tokens")                                                       \
    X(TOP_K, "top-k")                                                         \
    X(TP, "tp")                                                               \
    X(TRACE_PATH, "trace-path")                                               \
    X(UTILISATION, "utilisation")                                             \
    X(UTILIZATION, "utilization")                                             \
    X(VARY, "vary")                                                           \
    X(VERSION, "version")                                                     \
    X(VOCAB, "vocab")                                                         \
    X(XLSX, "xlsx")                                                           \
    X(ZERO, "zero")

typedef enum cli_key {
    CLI_KEY_NONE_ = 0x100,
#define CLI_X_(id, name) CLI_KEY_##id,
    CLI_KEY_MAP(CLI_X_)
#undef CLI_X_
    CLI_KEY_END_
} cli_key;

/* One row of the table: an option of one command. */
typedef struct cli_option {
    cli_command cmd;  /* its command, CLI_CMD_MAIN or CLI_CMD_ANY */
    cli_key key;
    char short_name;  /* 'h' for --help; 0 for none */
    const char *arg;  /* the value's placeholder ("N"); NULL: a flag */
    const char *help; /* what it does, one sentence without a full stop */
    const char *def;  /* the default as people read it; NULL: see def_num */
    double def_num;   /* a numeric default (printed %g) when def is NULL;
                         0 with def NULL: no default */
} cli_option;

/* The default of an option the command cannot do without. */
#define CLI_REQUIRED "required"

/* What a command's help says besides its options. */
typedef struct cli_command_doc {
    const char *usage;    /* the forms of the command line after
                             "gpubudget NAME", one a line ('\n'), each
                             wrapped when printed */
    const char *text;     /* what it does: paragraphs split by "\n\n" */
    const char *examples; /* lines "COMMAND LINE  # comment" */
} cli_command_doc;

/* The table (static, in cli_options.c). */
extern const cli_option cli_options[];
extern const size_t cli_option_count;
extern const cli_command_doc cli_command_docs[CLI_CMD_COUNT + 1];

/* Names: a command's (static; "gpubudget" for CLI_CMD_MAIN), its summary,
   a key's long name without dashes. NULL when out of range. */
const char *cli_command_name(cli_command cmd);
const char *cli_command_summary(cli_command cmd);
const char *cli_key_name(int key);
/* The command named `name`, or -1. */
int cli_command_find(const char *name);
/* Whether row o belongs to command cmd (its own rows and CLI_CMD_ANY's). */
int cli_option_of(const cli_option *o, cli_command cmd);
/* The row of key for cmd, or NULL. */
const cli_option *cli_option_find(cli_command cmd, int key);

/* ---- parsing ------------------------------------------------------------ */

enum {
    CLI_OPT_MAX = 96,   /* options of one command, at most (rent-vs-buy
                           has 43, plan 31) */
    CLI_OPT_END = 0,    /* no more options: operands start at optind */
    CLI_OPT_STOP = -1   /* stop parsing and exit with parser.status */
};

typedef struct cli_parser {
    cli_command cmd;
    int argc;
    char **argv;
    const char *arg; /* the current option's value, borrowed from argv */
    int status;      /* after CLI_OPT_STOP: CLI_OK (the help was printed)
                        or CLI_BAD_INPUT (the message was printed) */
    struct option longs[CLI_OPT_MAX + 1];
    char shorts[16];
} cli_parser;

/* Prepares to parse argv (argv[0] is the command's name) against the
   command's rows; resets getopt. */
void cli_parser_init(cli_parser *p, cli_command cmd, int argc, char **argv);

/*
 * The next option: its key (p->arg holds its value), CLI_OPT_END when
 * there are no more, or CLI_OPT_STOP after printing the command's help
 * (--help, -h; status CLI_OK) or why an option is refused (unknown,
 * missing or unexpected value; status CLI_BAD_INPUT).
 */
int cli_parser_next(cli_parser *p);

/* For the default branch of a command's switch: says that the table's
   option `key` is not handled and returns CLI_INTERNAL. */
int cli_parser_unhandled(const cli_parser *p, int key);

/* ---- documents made from the table -------------------------------------- */

/* `gpubudget CMD --help` (CLI_CMD_MAIN: `gpubudget --help`), at most 80
   display columns wide. */
void cli_help_print(cli_command cmd, FILE *out);
/* gpubudget(1) in roff. */
void cli_help_man(FILE *out);
/* docs/cli.md. */
void cli_help_markdown(FILE *out);

#endif
