/*
 * The MPI transport of the command line (cli_mpi.c, docs/mpi.md).
 *
 * The calls into Open MPI live in a module of their own, gpubudget-mpi.so
 * (cli_mpi_module.c), which the command loads (dlopen) only when mpirun
 * or srun started it. A command run as one process then does not load
 * Open MPI and the eight libraries it brings (libopen-rte, libopen-pal,
 * hwloc, libevent, ...): measured on this project's machines, that was
 * 7 ms of every command's start (`gpubudget --version` 16 ms against 9 ms;
 * 2026-12-05).
 *
 * Everything the ranks exchange goes through these few calls as bytes;
 * what is exchanged and when stays in cli_mpi.c. The ranks are processes
 * of one build of gpubudget on machines of one byte order, as mpirun runs
 * one program.
 */
#ifndef GPB_CLI_MPI_OPS_H
#define GPB_CLI_MPI_OPS_H

#include <stddef.h>
#include <stdint.h>

/* The version of this table: the command refuses a module of another. */
#define CLI_MPI_OPS_VERSION 1

/* The name of the symbol the module exports (a function returning the
   table). */
#define CLI_MPI_OPS_SYMBOL "gpubudget_mpi_ops"

typedef struct cli_mpi_ops {
    int version; /* CLI_MPI_OPS_VERSION */
    /* Starts MPI (threads: funneled, as only the thread that started it
       calls it); this process's rank and the ranks' count. Returns 0, or
       -1 when MPI did not start. */
    int (*init)(int *argc, char ***argv, int *rank, int *size);
    void (*finalize)(void);
    /* Seconds on this rank's clock (for GPUBUDGET_MPI_TIMING). */
    double (*wtime)(void);
    void (*barrier)(void);
    /* `bytes` bytes of root's buf into every rank's buf; at most INT_MAX
       bytes a call. */
    void (*bcast)(void *buf, size_t bytes, int root);
    /* The smallest (max 0) or largest (max 1) of every rank's v. */
    int (*allreduce_int)(int v, int max);
    /* Point to point, at most INT_MAX bytes a call; messages of one
       sender and tag arrive in the order sent. */
    void (*send)(const void *buf, size_t bytes, int to, int tag);
    void (*recv)(void *buf, size_t bytes, int from, int tag);
    /* A counter held by rank 0, at 0 when made: counter_new and
       counter_free are collective; counter_add adds `add` atomically and
       returns the value before. counter_new returns NULL when out of
       memory. */
    void *(*counter_new)(void);
    uint64_t (*counter_add)(void *counter, uint64_t add);
    void (*counter_free)(void *counter);
} cli_mpi_ops;

/* The module's one export, CLI_MPI_OPS_SYMBOL. */
const cli_mpi_ops *gpubudget_mpi_ops(void);

#endif /* GPB_CLI_MPI_OPS_H */
