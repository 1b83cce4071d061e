/*
 * gpubudget: the command-line tool. This file only dispatches to the
 * subcommands; each lives in its own cmd_<name>.c.
 */
#include <cblas.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_mpi.h"

/* The entry point of each command, by its id in CLI_COMMAND_MAP. */
static int (*const entry[CLI_CMD_COUNT])(int argc, char **argv) = {
#define CLI_X_(id, name, fn, summary) [CLI_CMD_##id] = fn,
    CLI_COMMAND_MAP(CLI_X_)
#undef CLI_X_
};

/*
 * The library never wants OpenBLAS threads (its products are small and are
 * summed in one order, whatever the machine). Built against Debian's
 * single-threaded OpenBLAS (libopenblas-serial-dev, which meson.build
 * links the command with when it is installed), there are none and this
 * does nothing. That saves the spinning described next (medians,
 * interleaved, 2 cores, 2026-12-04): the 20-input tornado at 10^4 paths
 * 0.123 → 0.097 s (0.220 → 0.141 CPU-s), bench-60m at 10^4 paths 0.086 →
 * 0.075 s, check over every scenario 0.339 → 0.320 s; at 10^6 paths the
 * same (0.424 and 0.427 s).
 *
 * A threaded OpenBLAS starts its worker threads when it is loaded, before
 * main, one fewer than the cores, reading their count from
 * OPENBLAS_NUM_THREADS then and only then; each spins on sched_yield for
 * about 0.1 s before it sleeps. So, with that one and unless the caller
 * chose a count: on more than two cores the command sets the variable to
 * 1 and starts itself again, so that no spinning thread takes the
 * workers' cores (tens of them on a large machine, as many again per MPI
 * rank); on two cores, where OpenBLAS starts one thread and loading every
 * library twice cost more than it (measured interleaved, 10 rounds each,
 * bench-60m on 2 threads: 0.110 → 0.100 s at 10^4 paths and 0.486 → 0.460
 * s at 10^6, 2026-12-03), it keeps that thread and makes every BLAS call
 * run on the calling thread. Setting the variable from an ELF
 * .preinit_array does not work: glibc's libc sets environ from the
 * kernel's copy after it. Should the exec fail, it runs on as it is.
 */
static void quiet_openblas(char **argv)
{
    if (openblas_get_parallel() == 0 || getenv("OPENBLAS_NUM_THREADS"))
        return; /* no threads, or the caller's choice */
#ifdef __linux__
    /* The CPUs this process may use, as OpenBLAS counts them. */
    cpu_set_t set;
    int cpus = sched_getaffinity(0, sizeof set, &set) == 0
                   ? CPU_COUNT(&set)
                   : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus > 2 && setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0)
        execv("/proc/self/exe", argv);
#else
    (void)argv;
#endif
    openblas_set_num_threads(1);
}

/*
 * What the command printed must have reached standard output: on a full
 * disk, `run --json > out.json` left cut-off JSON with status 0 and `gpus
 * --json` status 3 with no word (a user review). A failed write or flush
 * is a file that cannot be written: status 2, said once.
 */
static int stdout_written(int rc)
{
    errno = 0;
    int failed = fflush(stdout) != 0 || ferror(stdout);
    if (!failed)
        return rc;
    int e = errno;
    cli_error("cannot write standard output: %s",
              e ? strerror(e) : "write error");
    return CLI_BAD_INPUT;
}

int main(int argc, char **argv)
{
    quiet_openblas(argv);
    /* GSL's default handler aborts; the library validates before calling
       GSL, and this makes any miss a returned error, not a crash. */
    gsl_set_error_handler_off();

    /* gpubudget's own options come before the command's name. */
    cli_parser p;
    cli_parser_init(&p, CLI_CMD_MAIN, argc, argv);
    int c;
    while ((c = cli_parser_next(&p)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_STOP: /* --help printed */
            return stdout_written(p.status);
        case CLI_KEY_VERSION:
            printf("gpubudget %s\n", gpb_version());
            return stdout_written(CLI_OK);
        default:
            return cli_parser_unhandled(&p, c);
        }
    }
    if (optind >= argc) {
        cli_error("no command given");
        cli_help_print(CLI_CMD_MAIN, stderr);
        return CLI_BAD_INPUT;
    }
    const char *name = argv[optind];
    int cmd = cli_command_find(name);
    if (cmd < 0) {
        cli_error("unknown command '%s' (see 'gpubudget --help')", name);
        return CLI_BAD_INPUT;
    }
    /* Under mpirun: run, raise, compare, sweep and check share their
       work among the ranks (cli_mpi.h); any other command runs on rank 0
       alone. Every rank exits with rank 0's status. */
    if (cli_mpi_init(&argc, &argv))
        return CLI_BAD_INPUT;
    int shared = cmd == CLI_CMD_RUN || cmd == CLI_CMD_RAISE ||
                 cmd == CLI_CMD_COMPARE || cmd == CLI_CMD_SWEEP ||
                 cmd == CLI_CMD_CHECK;
    int rc = shared || cli_mpi_root() ? entry[cmd](argc - optind,
                                                   argv + optind)
                                      : CLI_OK;
    return cli_mpi_finish(stdout_written(rc));
}
