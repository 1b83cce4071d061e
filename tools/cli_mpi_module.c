/*
 * gpubudget-mpi.so: the command's MPI transport over Open MPI
 * (cli_mpi_ops.h). Loaded by cli_mpi.c only under mpirun or srun.
 */
#include <limits.h>
#include <stdlib.h>

#include <mpi.h>

#include "cli_mpi_ops.h"

static int op_init(int *argc, char ***argv, int *rank, int *size)
{
    int provided = 0;
    /* The engine's workers never call MPI; the progress callback does, on
       the thread that called MPI_Init. */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS)
        return -1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 0;
}

static void op_finalize(void) { MPI_Finalize(); }

static double op_wtime(void) { return MPI_Wtime(); }

static void op_barrier(void) { MPI_Barrier(MPI_COMM_WORLD); }

static void op_bcast(void *buf, size_t bytes, int root)
{
    MPI_Bcast(buf, (int)bytes, MPI_BYTE, root, MPI_COMM_WORLD);
}

static int op_allreduce_int(int v, int max)
{
    int out = v;
    MPI_Allreduce(&v, &out, 1, MPI_INT, max ? MPI_MAX : MPI_MIN,
                  MPI_COMM_WORLD);
    return out;
}

static void op_send(const void *buf, size_t bytes, int to, int tag)
{
    MPI_Send(buf, (int)bytes, MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

static void op_recv(void *buf, size_t bytes, int from, int tag)
{
    MPI_Recv(buf, (int)bytes, MPI_BYTE, from, tag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
}

typedef struct counter {
    MPI_Win win;
    uint64_t *value; /* rank 0's window; none on the others */
} counter;

static void *op_counter_new(void)
{
    counter *c = calloc(1, sizeof *c);
    int rank = 0;
    /* Every rank must take part in the window, or none. */
    if (!op_allreduce_int(c != NULL, 0)) {
        free(c);
        return NULL;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Win_allocate(rank == 0 ? sizeof(uint64_t) : 0, sizeof(uint64_t),
                     MPI_INFO_NULL, MPI_COMM_WORLD, &c->value, &c->win);
    if (rank == 0)
        *c->value = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    return c;
}

static uint64_t op_counter_add(void *cp, uint64_t add)
{
    counter *c = cp;
    uint64_t before = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, c->win);
    MPI_Fetch_and_op(&add, &before, MPI_UINT64_T, 0, 0, MPI_SUM, c->win);
    MPI_Win_unlock(0, c->win);
    return before;
}

static void op_counter_free(void *cp)
{
    counter *c = cp;
    if (!c)
        return;
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Win_free(&c->win);
    free(c);
}

static const cli_mpi_ops ops = {
    .version = CLI_MPI_OPS_VERSION,
    .init = op_init,
    .finalize = op_finalize,
    .wtime = op_wtime,
    .barrier = op_barrier,
    .bcast = op_bcast,
    .allreduce_int = op_allreduce_int,
    .send = op_send,
    .recv = op_recv,
    .counter_new = op_counter_new,
    .counter_add = op_counter_add,
    .counter_free = op_counter_free,
};

__attribute__((visibility("default"))) const cli_mpi_ops *
gpubudget_mpi_ops(void)
{
    return &ops;
}
