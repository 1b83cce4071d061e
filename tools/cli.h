/* Shared pieces of the gpubudget command: output, errors, option values. */
#ifndef GPB_CLI_H
#define GPB_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "gpubudget/gpubudget.h"

#include "cli_options.h"

/* Exit statuses (DESIGN.md, Interfaces). */
enum { CLI_OK = 0, CLI_CHECK_FAILED = 1, CLI_BAD_INPUT = 2, CLI_INTERNAL = 3 };

/* Defaults of the commands that the option table prints. The simulation's
   paths and seed are gpb_sim_options_default's (tests/test_cli_options.sh
   checks that they agree). */
#define CLI_DEFAULT_PATHS 10000
#define CLI_DEFAULT_SEED 20230225
/* check: p's standard error is at most 0.5% (0.1% near the 1% threshold),
   and all of scenarios/ checks in about two seconds on two cores. */
#define CLI_CHECK_DEFAULT_PATHS GPB_REPORT_CHECK_PATHS_DEFAULT
/* run --precision: the cap on paths when --max-paths is not given (10,000
   doubled seven times). */
#define CLI_RUN_DEFAULT_MAX_PATHS 1280000u
/* Paths whose values `run --json` keeps when it writes nothing per path
   (gpb_sim_options.kept_paths_max): 2^17, above the sensitivity's
   100,000 (GPB_SENS_DEFAULT_MAX_PATHS) and a whole number of blocks. */
#define CLI_RUN_SUMMARY_KEPT_PATHS 131072u

/* 1 when this binary is the one in the build tree (GPB_BUILD_TOOLS_DIR),
   whose scenarios and MPI module are the source and build trees'. */
int cli_running_from_build_tree(void);

/* Prints "gpubudget: <message>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a library error record on stderr with its location. */
void cli_error_gpb(const char *what, const gpb_error *err);

/* Prints a loader's problems on stderr in file order: errors as
   cli_error_gpb does, warnings as "file:line:col: warning: key: message"
   (the compilers' form, which editors jump to). Accepts NULL. */
void cli_print_diagnostics(const gpb_diagnostics *d);
/* A warning as cli_print_diagnostics prints it, without the newline, into
   buf (snprintf's contract). */
int cli_format_warning(const gpb_error *e, char *buf, size_t n);

/* Writes a JSON value to stdout, indented, followed by a newline; steals
   the reference. Returns CLI_OK or CLI_INTERNAL. */
int cli_json_print(json_t *value);

/* Writes a document the library made (new text, freed here) to stdout,
   followed by a newline. Returns CLI_OK, or CLI_INTERNAL for NULL. */
int cli_text_print(char *text);

/* Prints a report-layer failure whose err->path names a request field:
   "gpubudget: --gpu: message" for the fields that are options (gpu,
   precision, days, mfu, price, tokens), "gpubudget: memory: ..." and
   "interval: ..." for those steps, else "gpubudget: what: ...". */
void cli_error_field(const char *what, gpb_error *err);

/*
 * Parses an option's value as a quantity of the given kind, printing
 * "gpubudget: --opt: message" on failure. Returns 0 on success. For a
 * price per hour or per kWh a bare amount ("2.2", "$2.2") is read as one,
 * as the scenario files read price_per_gpu_hour.
 */
int cli_parse_qty(const char *opt, const char *text, gpb_qty_kind kind,
                  gpb_quantity *out);
int cli_parse_number(const char *opt, const char *text, double *out);
/* A fraction ("0.4" or "40%") within bounds; "--mfu 40" is refused with
   the units layer's hint ("did you mean 40% = 0.40?"). */
int cli_parse_fraction(const char *opt, const char *text,
                       gpb_frac_bounds bounds, double *out);

/* A whole number in [lo, hi]; on failure prints "--opt must be a whole
   number <hint>" and returns -1. */
int cli_parse_whole(const char *opt, const char *text, double lo, double hi,
                    const char *hint, double *out);

/* The simulation options every command shares: opt is "paths", "seed" or
   "threads"; the value goes into so. Returns 0, or -1 after printing why. */
int cli_parse_sim_option(const char *opt, const char *text,
                         gpb_sim_options *so);

/* The same for a command that keeps --paths, --seed and --threads in
 * its own fields: OPT is "paths", "seed" or "threads"; only the field
 * OPT names changes.  0, or -1 after printing the error. */
int cli_parse_run_size(const char *opt, const char *text, size_t *paths,
                       uint64_t *seed, int *threads);

/* Display width of UTF-8 text (CJK characters count two columns), and
   right-aligned printing by display width. */
int cli_display_width(const char *s);
void cli_print_right(const char *s, int width);

/*
 * Text that fits 80 columns (cli_wrap.c). CLI_WIDTH is the width of the
 * text outputs; cli_out_width() is that, or a narrower terminal's width
 * (at least 40). cli_wrap prints text, each of its lines wrapped at spaces
 * to that width with continuation lines indented by indent columns (a word
 * longer than a line is cut between characters); cli_wrapf formats first.
 * Each line ends with a newline.
 */
#define CLI_WIDTH 80
int cli_out_width(void);
void cli_wrap(int indent, const char *text);
void cli_wrapf(int indent, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The interval of a training estimate (cli_interval.c), as `estimate` and
 * `plan` give it. price_origin says where the price came from ("given",
 * "the catalog's pricing rule"); the JSON of an interval is the report
 * layer's (gpubudget/report.h). cli_interval_table prints P5, P50, P95 and ideal of MFU,
 * GPU-hours, card-months, days and (with a price) cost, indented;
 * cli_interval_basis prints what the interval rests on after label,
 * wrapped at indent; mfu_words names a narrowing MFU ("your MFU").
 */
void cli_interval_table(const gpb_plan_interval *iv, gpb_currency cur,
                        int indent);
void cli_interval_basis(const gpb_plan_interval *iv, gpb_currency cur,
                        const char *price_origin, const char *mfu_words,
                        int indent, const char *label);

/* Subcommands: argc/argv start at the subcommand's name. */
int cmd_check(int argc, char **argv);
int cmd_estimate(int argc, char **argv);
int cmd_gpus(int argc, char **argv);
int cmd_rent_vs_buy(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_raise(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_plan(int argc, char **argv);

/*
 * Writes text to path whole or not at all: to a fresh temporary file in
 * the same directory (mkstemp: never through a planted link), given the
 * mode the file had (or a new file's), then renamed over path (replace)
 * or linked to it only if nothing is there yet (!replace, so an existing
 * file is never touched, even by a race). A symbolic link is followed, so
 * its target is replaced and the link stays; an existing file that is not
 * a regular one (/dev/null, a FIFO) is written in place, never replaced.
 * Prints why on failure and returns -1; returns 1 without writing when
 * !replace and path exists; 0 on success.
 */
int cli_write_file(const char *path, const char *text, int replace);

/* 1 when a and b name one file: the same string, the same file (device
   and inode) when both exist, else the same directory and name once
   resolved ("x", "./x", "$PWD/x", "sub/../x"). */
int cli_same_file(const char *a, const char *b);

/*
 * Before anything runs: no output outs[k] (given by option opts[k]; NULL
 * for one not asked for) may be one of the input scenarios, and no two
 * outputs one file (the second would silently replace the first). Prints
 * why and returns CLI_BAD_INPUT, else CLI_OK.
 */
int cli_check_outputs(const char *const *inputs, size_t n_inputs,
                      const char *const *opts, const char *const *outs,
                      size_t n_outs);

/* Loads a scenario file (the built-in default when path is NULL), printing
   every problem on stderr. Returns 0 on success. */
int cli_load_scenario(const char *path, gpb_scenario **out);
/* The same with overrides (--set values joined by cli_sets_add; NULL:
   none), applied before the file is checked, so a bad one is reported
   like a bad line of the file, named by its key path. */
int cli_load_scenario_set(const char *path, const char *sets,
                          gpb_scenario **out);
/* Appends one --set KEY.PATH=VALUE to *sets (new or grown memory, free
   it). Returns CLI_OK, or CLI_BAD_INPUT after saying why. */
int cli_sets_add(char **sets, const char *arg);

/* Money in the report style of its currency: "$4.6M", "¥5,000万". */
int cli_format_money(double v, gpb_currency cur, char *buf, size_t n);

/* A metric's figure for a table, by its unit: money (money != 0) in cur
   as cli_format_money, a probability as "12.5%", months and counts as
   "12.0", other numbers as "4.1k". The run, compare and sweep tables. */
/* A quantile x of a metric censored at cens (NaN: not censored): when x
   is at the censoring value, writes "≥ 24" into buf and returns 1 (the
   run, compare and sweep tables, as the library's reports say it); else
   writes nothing and returns 0. */
int cli_format_censored(double x, double cens, char *buf, size_t n);
/* A share of paths as a percentage with one decimal, never rounded to
   "100.0%" or "0.0%" when some paths are on the other side (">99.9%",
   "<0.1%"). */
void cli_format_share(double p, char *buf, size_t n);
void cli_format_value(double v, const char *unit, int money,
                      gpb_currency cur, char *buf, size_t n);

#endif
