/*
 * Running the command line on many processes with MPI (docs/mpi.md).
 *
 * Under `mpirun -n N gpubudget …` every rank runs the same command. A
 * simulation is split by blocks of paths (rank r takes the r-th of N equal
 * runs of blocks), each rank packs its part (gpb_result_pack) and rank 0
 * merges the parts in rank order (gpb_result_merge): the whole run, bit
 * for bit the one-process run of the same seed. Lists of independent
 * tasks (sweep points, scenarios to check) are handed out one at a time
 * from a shared counter, so a slow task does not idle the rest; rank 0
 * gathers their results in task order. Only rank 0 prints and writes
 * files; an error on any rank becomes every rank's error, reported once
 * by rank 0, with the exit status of the command on every rank.
 *
 * Built without MPI (meson -Dmpi=disabled, or Open MPI not installed),
 * or not started by mpirun, the same functions run one process: rank 0
 * of 1, and Open MPI is not loaded at all (cli_mpi_ops.h).
 */
#ifndef GPB_CLI_MPI_H
#define GPB_CLI_MPI_H

#include <stddef.h>

#include "gpubudget/gpubudget.h"

/* Starts MPI when the program was launched by mpirun or srun (a no-op
   otherwise and without MPI), loading the MPI module (cli_mpi_ops.h).
   Call first in main. Returns 0, or -1 with the reason printed when so
   launched but the module cannot be loaded or MPI does not start: the
   command must then stop, or every rank would run all of it and write
   the same files. */
int cli_mpi_init(int *argc, char ***argv);

/* Ends MPI; returns the exit status every rank should return: rank 0's
   `rc`, so that mpirun reports the command's status once. */
int cli_mpi_finish(int rc);

int cli_mpi_rank(void);
int cli_mpi_size(void);

/* 1 on the rank that prints and writes files (rank 0). */
static inline int cli_mpi_root(void) { return cli_mpi_rank() == 0; }

/*
 * gpb_sim_run over the ranks. Every rank must call it with the same
 * scenario file and options. On rank 0, *out is the whole run; on the
 * others *out is NULL and the status is the run's. A failure on any rank
 * is every rank's: the status and message of the lowest failing rank.
 * opt->progress, when set on rank 0, sees the paths of every rank.
 */
gpb_status cli_mpi_sim_run(const gpb_scenario *s, const gpb_sim_options *opt,
                           gpb_result **out, gpb_error *err);

/*
 * Agrees on a failure: every rank passes its own status and message; all
 * return the status and message (in *err) of the lowest rank that failed,
 * or GPB_OK.
 */
gpb_status cli_mpi_agree(gpb_status st, gpb_error *err);

/* Rank 0's value of *v, on every rank. */
void cli_mpi_share_double(double *v);

/*
 * Tasks 0 .. n − 1 spread over the ranks: each call returns the next task
 * for this rank to do, or −1 when none is left. Every rank must call
 * cli_mpi_tasks_begin(n) first and cli_mpi_tasks_end() after its last.
 */
void cli_mpi_tasks_begin(long n);
long cli_mpi_tasks_next(void);
void cli_mpi_tasks_end(void);

/*
 * Gathers each task's bytes on rank 0: every rank passes the tasks it did
 * (their indices, bytes and sizes); rank 0 receives all n tasks' bytes in
 * task order into bufs[i] / lens[i] (new memory, free each), the others
 * receive nothing. Returns 0, or −1 when out of memory (on any rank).
 */
int cli_mpi_gather_tasks(long n, const long *mine, size_t nmine,
                         void *const *bytes, const size_t *lens_mine,
                         void **bufs, size_t *lens);

#endif /* GPB_CLI_MPI_H */
