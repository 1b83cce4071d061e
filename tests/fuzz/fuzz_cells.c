/*
 * Harness 3: every gpb_cells_* function of the flat spreadsheet API.
 *
 * Input: up to 8 calls, one per line; a call is fields separated by '|':
 *
 *   train_cost|70B|2T|H100|512||$2/h|
 *
 * The first field names the function (cells.h without "gpb_cells_"); a
 * name that is none of them picks one by its first byte, so that mutated
 * names still call something. The other fields are the arguments in
 * order: a field present is passed as text (blank included), a field
 * absent is NULL. Fields past the function's arity are ignored.
 *
 * The scenario functions read files, and a path taken from the input
 * could name a device or a pipe: their `file` argument is blank (passed
 * as is) or one of four fixed paths picked by its first byte ("a": a
 * valid scenario, "b": a schema error, "missing": no such file, "dir": a
 * directory), written at start-up under $TMPDIR. Their `paths` argument
 * is capped at 64 when it reads as a number, to keep runs short.
 *
 * With GPB_FUZZ_VERBOSE set in the environment, each call and its result
 * go to stderr.
 *
 * Properties (cells.h, "Results and errors"):
 *   - every function returns a finite number, with gpb_cells_last_status()
 *     GPB_OK and gpb_cells_last_error() "", or NaN, with a known non-OK
 *     status and a non-empty message; never an infinity;
 *   - the counters gpb_cells_scenario_runs and gpb_cells_cache_hits are
 *     whole numbers >= 0;
 *   - consistency between functions given the same arguments: card-months
 *     are GPU-hours / 730.5 and the days on one GPU GPU-hours / 24 (both
 *     finite whenever the GPU-hours are), train_flops is
 *     6 * params * tokens, and the MFU implied by a run's own GPU-hours is
 *     the MFU it was given.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"

#define SURFACE "cells"
#define MAX_CALLS 8
#define MAX_ARGS 8
#define MAX_PATHS 64

enum fn_id {
    F_TRAIN_FLOPS, F_TRAIN_GPU_HOURS, F_TRAIN_DAYS, F_TRAIN_CARD_MONTHS,
    F_TRAIN_COST, F_IMPLIED_MFU, F_IMPLIED_MFU_GPU_HOURS, F_GPU_FIELD,
    F_CHINCHILLA_PARAMS, F_CHINCHILLA_TOKENS, F_CHINCHILLA_LOSS, F_MIN_GPUS,
    F_RENT_VS_BUY, F_BREAKEVEN_UTIL, F_SERVING_GPUS, F_SERVING_COST,
    F_COST_PER_MTOKEN, F_SCENARIO, F_RAISE, F_PROB_OUT_OF_CASH,
    F_SCENARIO_RUNS, F_CACHE_HITS, F_CACHE_CLEAR, F_COUNT
};

/* name, arity, index of the file argument (-1: none), of paths. */
static const struct {
    const char *name;
    int arity, file, paths;
} FNS[F_COUNT] = {
    [F_TRAIN_FLOPS] = {"train_flops", 2, -1, -1},
    [F_TRAIN_GPU_HOURS] = {"train_gpu_hours", 5, -1, -1},
    [F_TRAIN_DAYS] = {"train_days", 6, -1, -1},
    [F_TRAIN_CARD_MONTHS] = {"train_card_months", 5, -1, -1},
    [F_TRAIN_COST] = {"train_cost", 7, -1, -1},
    [F_IMPLIED_MFU] = {"implied_mfu", 6, -1, -1},
    [F_IMPLIED_MFU_GPU_HOURS] = {"implied_mfu_gpu_hours", 5, -1, -1},
    [F_GPU_FIELD] = {"gpu_field", 2, -1, -1},
    [F_CHINCHILLA_PARAMS] = {"chinchilla_params", 2, -1, -1},
    [F_CHINCHILLA_TOKENS] = {"chinchilla_tokens", 2, -1, -1},
    [F_CHINCHILLA_LOSS] = {"chinchilla_loss", 3, -1, -1},
    [F_MIN_GPUS] = {"min_gpus", 4, -1, -1},
    [F_RENT_VS_BUY] = {"rent_vs_buy", 8, -1, -1},
    [F_BREAKEVEN_UTIL] = {"breakeven_util", 6, -1, -1},
    [F_SERVING_GPUS] = {"serving_gpus", 6, -1, -1},
    [F_SERVING_COST] = {"serving_cost", 7, -1, -1},
    [F_COST_PER_MTOKEN] = {"cost_per_mtoken", 4, -1, -1},
    [F_SCENARIO] = {"scenario", 6, 0, 4},
    [F_RAISE] = {"raise", 6, 0, 4},
    [F_PROB_OUT_OF_CASH] = {"prob_out_of_cash", 5, 0, 3},
    [F_SCENARIO_RUNS] = {"scenario_runs", 0, -1, -1},
    [F_CACHE_HITS] = {"cache_hits", 0, -1, -1},
    [F_CACHE_CLEAR] = {"cache_clear", 0, -1, -1},
};

/* A valid scenario (short horizon, a run, a team, a round and a claim)
   and one the schema refuses. */
static const char SCENARIO_A[] =
    "gpubudget: 1\n"
    "name: fuzz cells\n"
    "currency: USD\n"
    "horizon_months: 12\n"
    "company:\n"
    "  cash: $5M\n"
    "  funding: [{month: 6, amount: $10M, probability: 0.5}]\n"
    "team:\n"
    "  - {role: researchers, count: 5,\n"
    "     salary_per_year: {lognormal90: [$150k, $400k]}}\n"
    "training:\n"
    "  - name: pretrain\n"
    "    params: 7B\n"
    "    tokens: {uniform: [500B, 2T]}\n"
    "    gpu: H100\n"
    "    gpus: 256\n"
    "    mfu: {pert: [0.3, 0.4, 0.5]}\n";
static const char SCENARIO_B[] =
    "gpubudget: 1\nname: broken\ntraining:\n  - {name: x, gpus: many}\n";

static char g_dir[256];
static int g_verbose; /* GPB_FUZZ_VERBOSE set: print each call */
static char g_files[4][300]; /* a, b, missing, dir */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f))
        fuzz_fail("harness", "cannot write %s", path);
}

static void cleanup(void)
{
    unlink(g_files[0]);
    unlink(g_files[1]);
    rmdir(g_files[3]);
    rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/gpb-fuzz-cells-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_dir))
        fuzz_fail("harness", "cannot create a directory under %s", g_dir);
    snprintf(g_files[0], sizeof g_files[0], "%s/a.yaml", g_dir);
    snprintf(g_files[1], sizeof g_files[1], "%s/b.yaml", g_dir);
    snprintf(g_files[2], sizeof g_files[2], "%s/missing.yaml", g_dir);
    snprintf(g_files[3], sizeof g_files[3], "%s/dir.yaml", g_dir);
    write_file(g_files[0], SCENARIO_A);
    write_file(g_files[1], SCENARIO_B);
    if (mkdir(g_files[3], 0700))
        fuzz_fail("harness", "cannot create %s", g_files[3]);
    atexit(cleanup);
    g_verbose = getenv("GPB_FUZZ_VERBOSE") != NULL;
    return 0;
}

static int blank(const char *s)
{
    return !s || s[strspn(s, " \t\r\n")] == '\0';
}

/* Checks the contract of one call's result and returns it. */
static double check(const char *call, double v)
{
    int st = gpb_cells_last_status();
    const char *msg = gpb_cells_last_error();
    FUZZ_REQUIRE(SURFACE, msg != NULL, "%s: last error is NULL", call);
    if (g_verbose)
        fprintf(stderr, "%s = %.17g%s%s\n", call, v, msg[0] ? ": " : "",
                msg);
    if (isnan(v)) {
        FUZZ_REQUIRE(SURFACE, st != GPB_OK && fuzz_status_known(st),
                     "%s: NaN with status %d", call, st);
        FUZZ_REQUIRE(SURFACE, msg[0] != '\0', "%s: NaN (%s) and no message",
                     call, gpb_status_str(st));
    } else {
        FUZZ_REQUIRE(SURFACE, isfinite(v), "%s returned %g", call, v);
        FUZZ_REQUIRE(SURFACE, st == GPB_OK && msg[0] == '\0',
                     "%s returned %.17g with status %d and error '%s'", call,
                     v, st, msg);
    }
    return v;
}

/* Within rel of the larger, or within 2048 × the smallest subnormal: a
   conversion by 730.5 or 24 of a subnormal figure rounds to an absolute
   step of the subnormal grid, not to a relative one (found by fuzzing:
   GPU-hours of 4.2e-318). */
static void require_close(const char *call, const char *what, double a,
                          double b, double rel)
{
    FUZZ_REQUIRE(SURFACE,
                 fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) ||
                     fabs(a - b) <= 2048 * 4.9406564584124654e-324,
                 "%s: %s: %.17g against %.17g", call, what, a, b);
}

/* Calls function f with arguments a[0..arity-1]. */
static void call(int f, const char **a, const char *line)
{
    double v = 0, w;
    switch (f) {
    case F_TRAIN_FLOPS:
        v = check(line, gpb_cells_train_flops(a[0], a[1]));
        if (!isnan(v)) {
            double n, d;
            if (!gpb_units_parse_number(a[0], &n, NULL) &&
                !gpb_units_parse_number(a[1], &d, NULL))
                require_close(line, "6 * params * tokens", v, 6 * n * d,
                              1e-15);
        }
        break;
    case F_TRAIN_GPU_HOURS:
        v = check(line, gpb_cells_train_gpu_hours(a[0], a[1], a[2], a[3],
                                                  a[4]));
        if (!isnan(v)) {
            w = check(line, gpb_cells_train_card_months(a[0], a[1], a[2],
                                                        a[3], a[4]));
            FUZZ_REQUIRE(SURFACE, !isnan(w),
                         "%s: GPU-hours but no card-months: %s", line,
                         gpb_cells_last_error());
            require_close(line, "card-months * 730.5 = GPU-hours",
                          w * GPB_HOURS_PER_MONTH, v, 1e-12);
            w = check(line, gpb_cells_train_days(a[0], a[1], a[2], "1",
                                                 a[3], a[4]));
            FUZZ_REQUIRE(SURFACE, !isnan(w),
                         "%s: GPU-hours but no days on one GPU: %s", line,
                         gpb_cells_last_error());
            require_close(line, "days on one GPU * 24 = GPU-hours", w * 24,
                          v, 1e-12);
            /* The MFU its own GPU-hours imply is the one it was given. */
            char h[64];
            snprintf(h, sizeof h, "%.17g", v);
            double mfu = check(line, gpb_cells_implied_mfu_gpu_hours(
                                         a[0], a[1], a[2], h, a[4]));
            double given;
            if (blank(a[3]))
                given = check(line, gpb_cells_gpu_field(a[2], "default_mfu"));
            else if (gpb_units_parse_number(a[3], &given, NULL))
                given = NAN;
            /* Not when the GPU-hours are subnormal: they carry fewer
               than 53 bits, so the MFU read back from them is only as
               good as those bits. */
            if (!isnan(given) && !isnan(mfu) && fabs(v) >= 2.2250738585072014e-308)
                require_close(line, "implied MFU of its GPU-hours", mfu,
                              given, 1e-12);
        }
        break;
    case F_TRAIN_DAYS:
        check(line, gpb_cells_train_days(a[0], a[1], a[2], a[3], a[4], a[5]));
        break;
    case F_TRAIN_CARD_MONTHS:
        check(line, gpb_cells_train_card_months(a[0], a[1], a[2], a[3],
                                                a[4]));
        break;
    case F_TRAIN_COST:
        check(line, gpb_cells_train_cost(a[0], a[1], a[2], a[3], a[4], a[5],
                                         a[6]));
        break;
    case F_IMPLIED_MFU:
        check(line, gpb_cells_implied_mfu(a[0], a[1], a[2], a[3], a[4],
                                          a[5]));
        break;
    case F_IMPLIED_MFU_GPU_HOURS:
        check(line, gpb_cells_implied_mfu_gpu_hours(a[0], a[1], a[2], a[3],
                                                    a[4]));
        break;
    case F_GPU_FIELD:
        check(line, gpb_cells_gpu_field(a[0], a[1]));
        break;
    case F_CHINCHILLA_PARAMS:
        check(line, gpb_cells_chinchilla_params(a[0], a[1]));
        break;
    case F_CHINCHILLA_TOKENS:
        check(line, gpb_cells_chinchilla_tokens(a[0], a[1]));
        break;
    case F_CHINCHILLA_LOSS:
        check(line, gpb_cells_chinchilla_loss(a[0], a[1], a[2]));
        break;
    case F_MIN_GPUS:
        check(line, gpb_cells_min_gpus(a[0], a[1], a[2], a[3]));
        break;
    case F_RENT_VS_BUY:
        check(line, gpb_cells_rent_vs_buy(a[0], a[1], a[2], a[3], a[4], a[5],
                                          a[6], a[7]));
        break;
    case F_BREAKEVEN_UTIL:
        check(line, gpb_cells_breakeven_util(a[0], a[1], a[2], a[3], a[4],
                                             a[5]));
        break;
    case F_SERVING_GPUS:
        check(line, gpb_cells_serving_gpus(a[0], a[1], a[2], a[3], a[4],
                                           a[5]));
        break;
    case F_SERVING_COST:
        check(line, gpb_cells_serving_cost(a[0], a[1], a[2], a[3], a[4],
                                           a[5], a[6]));
        break;
    case F_COST_PER_MTOKEN:
        check(line, gpb_cells_cost_per_mtoken(a[0], a[1], a[2], a[3]));
        break;
    case F_SCENARIO:
        check(line, gpb_cells_scenario(a[0], a[1], a[2], a[3], a[4], a[5]));
        break;
    case F_RAISE:
        check(line, gpb_cells_raise(a[0], a[1], a[2], a[3], a[4], a[5]));
        break;
    case F_PROB_OUT_OF_CASH:
        v = check(line, gpb_cells_prob_out_of_cash(a[0], a[1], a[2], a[3],
                                                   a[4]));
        FUZZ_REQUIRE(SURFACE, isnan(v) || (v >= 0 && v <= 1),
                     "%s: probability %g", line, v);
        break;
    case F_SCENARIO_RUNS:
    case F_CACHE_HITS:
        /* Counters "never fail"; they do not touch the last error. */
        v = f == F_SCENARIO_RUNS ? gpb_cells_scenario_runs()
                                 : gpb_cells_cache_hits();
        FUZZ_REQUIRE(SURFACE, isfinite(v) && v >= 0 && v == floor(v),
                     "%s returned %g", FNS[f].name, v);
        break;
    case F_CACHE_CLEAR:
        gpb_cells_cache_clear();
        FUZZ_REQUIRE(SURFACE,
                     gpb_cells_scenario_runs() == 0 &&
                         gpb_cells_cache_hits() == 0,
                     "cache_clear left the counters at %g and %g",
                     gpb_cells_scenario_runs(), gpb_cells_cache_hits());
        break;
    }
}

/* Runs one line: "name|arg|arg...". */
static void run_line(char *line)
{
    char *field[MAX_ARGS + 1];
    int nf = 0;
    for (char *p = line;;) {
        field[nf++] = p;
        char *bar = strchr(p, '|');
        if (!bar || nf == MAX_ARGS + 1)
            break;
        *bar = '\0';
        p = bar + 1;
    }
    int f = -1;
    for (int i = 0; i < F_COUNT && f < 0; i++)
        if (!strcmp(field[0], FNS[i].name))
            f = i;
    if (f < 0)
        f = (unsigned char)field[0][0] % F_COUNT;

    const char *a[MAX_ARGS] = {NULL};
    for (int i = 0; i < FNS[f].arity && i + 1 < nf; i++)
        a[i] = field[i + 1];
    int fi = FNS[f].file, pi = FNS[f].paths;
    if (fi >= 0 && !blank(a[fi])) {
        static const char *const names[4] = {"a", "b", "missing", "dir"};
        int k = -1;
        for (int i = 0; i < 4 && k < 0; i++)
            if (!strcmp(a[fi], names[i]))
                k = i;
        a[fi] = g_files[k >= 0 ? k : (unsigned char)a[fi][0] % 4];
    }
    double paths;
    if (pi >= 0 && !blank(a[pi]) &&
        gpb_units_parse_number(a[pi], &paths, NULL) == GPB_OK &&
        !(paths <= MAX_PATHS))
        a[pi] = "64";

    /* The description of the call in messages: the function's name and
       its original fields. */
    char desc[1200];
    int len = snprintf(desc, sizeof desc, "%s(", FNS[f].name);
    for (int i = 0; i < FNS[f].arity && len < (int)sizeof desc; i++)
        len += snprintf(desc + len, sizeof desc - (size_t)len, "%s%s%s%s",
                        i ? ", " : "", a[i] ? "\"" : "",
                        a[i] ? a[i] : "NULL", a[i] ? "\"" : "");
    if (len < (int)sizeof desc)
        snprintf(desc + len, sizeof desc - (size_t)len, ")");
    call(f, a, desc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_dir[0])
        LLVMFuzzerInitialize(NULL, NULL);
    char *text = fuzz_cstr(data, size);
    char *p = text;
    for (int n = 0; n < MAX_CALLS && *p; n++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        run_line(p);
        if (!nl)
            break;
        p = nl + 1;
    }
    free(text);
    return 0;
}
