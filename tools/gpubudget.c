/*
 * gpubudget: the command-line tool. This file only dispatches to the
 * subcommands; each lives in its own cmd_<name>.c.
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct subcommand commands[] = {
    {"estimate", cmd_estimate,
     "FLOPs, GPU-hours, card-months, days and cost of one training run"},
    {"rent-vs-buy", cmd_rent_vs_buy,
     "rent or buy GPUs: monthly cash, NPVs and break-even points"},
    {"run", cmd_run,
     "simulate a scenario: spend, runway and raise as distributions"},
    {"raise", cmd_raise,
     "the amount to raise now for a runway target at a confidence"},
    {"validate", cmd_validate, "check scenario files and list every problem"},
    {"check", cmd_check,
     "test the articles' claims (or a pitch) against the simulation"},
    {"gpus", cmd_gpus, "list the GPU catalog with sources"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: gpubudget <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'gpubudget <command> --help' describes a command.\n"
                 "Exit status: 0 success, 1 a check failed, 2 bad input.\n");
}

/*
 * OpenBLAS starts its worker threads when the library is loaded, before
 * main, and each spins for about 0.1 s (sched_yield) before it sleeps: on
 * a two-core machine that took a third of a 10^4-path run's CPU from the
 * simulation's workers. The library never wants OpenBLAS threads (its
 * products are small and kept in one order), and OpenBLAS reads its thread
 * count only from the environment at load time, so the command sets
 * OPENBLAS_NUM_THREADS=1 and starts itself again, unless the caller chose
 * a value. Should the exec fail, it runs on as it is.
 */
static void quiet_openblas(char **argv)
{
#ifdef __linux__
    if (getenv("OPENBLAS_NUM_THREADS"))
        return;
    if (setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0)
        execv("/proc/self/exe", argv);
#else
    (void)argv;
#endif
}

int main(int argc, char **argv)
{
    quiet_openblas(argv);
    /* GSL's default handler aborts; the library validates before calling
       GSL, and this makes any miss a returned error, not a crash. */
    gsl_set_error_handler_off();

    if (argc < 2) {
        usage(stderr);
        return CLI_BAD_INPUT;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") ||
        !strcmp(name, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("gpubudget %s\n", gpb_version());
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", name);
    usage(stderr);
    return CLI_BAD_INPUT;
}
