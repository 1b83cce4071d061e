/*
 * MPI for the command line (cli_mpi.h, docs/mpi.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_mpi.h"

#ifdef GPB_MPI
#include <mpi.h>

static int mpi_on, mpi_rank, mpi_size = 1;

/* Launched by mpirun (Open MPI, or a PMI/PMIx launcher such as srun)? */
static int launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") ||
           getenv("PMI_RANK") || getenv("PMI_SIZE");
}

void cli_mpi_init(int *argc, char ***argv)
{
    if (!launched())
        return;
    int provided = 0;
    /* The engine's workers never call MPI; the progress callback does, on
       the thread that called MPI_Init. */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS)
        return;
    mpi_on = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
    /* Only rank 0 prints: the others' output goes nowhere (their errors
       reach rank 0 through cli_mpi_agree). */
    if (mpi_rank != 0) {
        if (!freopen("/dev/null", "w", stdout) ||
            !freopen("/dev/null", "w", stderr))
            return;
    }
}

int cli_mpi_finish(int rc)
{
    if (!mpi_on)
        return rc;
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    mpi_on = 0;
    return rc;
}

int cli_mpi_rank(void) { return mpi_rank; }
int cli_mpi_size(void) { return mpi_size; }

gpb_status cli_mpi_agree(gpb_status st, gpb_error *err)
{
    if (!mpi_on)
        return st;
    int mine = st != GPB_OK ? mpi_rank : mpi_size, first = mpi_size;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == mpi_size)
        return GPB_OK;
    gpb_error e;
    memset(&e, 0, sizeof e);
    int s = (int)st;
    if (mpi_rank == first && err)
        e = *err;
    MPI_Bcast(&s, 1, MPI_INT, first, MPI_COMM_WORLD);
    MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, first, MPI_COMM_WORLD);
    if (err)
        *err = e;
    return (gpb_status)s;
}

void cli_mpi_share_double(double *v)
{
    if (mpi_on)
        MPI_Bcast(v, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

/* Large byte arrays in pieces MPI's int counts can hold. */
#define PIECE ((size_t)1 << 30)

static void send_bytes(const void *p, size_t n, int to, int tag)
{
    uint64_t len = n;
    MPI_Send(&len, 1, MPI_UINT64_T, to, tag, MPI_COMM_WORLD);
    for (size_t at = 0; at < n; at += PIECE) {
        size_t k = n - at < PIECE ? n - at : PIECE;
        MPI_Send((const char *)p + at, (int)k, MPI_BYTE, to, tag,
                 MPI_COMM_WORLD);
    }
}

/* New memory with the bytes from rank `from`, or NULL when out of memory
   (the bytes are still received, so the ranks stay in step). */
static void *recv_bytes(int from, int tag, size_t *n)
{
    uint64_t len = 0;
    MPI_Recv(&len, 1, MPI_UINT64_T, from, tag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    char *p = len <= SIZE_MAX ? malloc(len ? (size_t)len : 1) : NULL;
    char *sink = p ? NULL : malloc(PIECE);
    for (size_t at = 0; at < len; at += PIECE) {
        size_t k = len - at < PIECE ? (size_t)len - at : PIECE;
        MPI_Recv(p ? p + at : sink, (int)k, MPI_BYTE, from, tag,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    free(sink);
    *n = (size_t)len;
    return p;
}

static gpb_status oom(gpb_error *err, int r)
{
    if (err) {
        gpb_error_clear(err);
        err->status = GPB_ENOMEM;
        snprintf(err->message, sizeof err->message,
                 "out of memory receiving the paths of rank %d", r);
    }
    return GPB_ENOMEM;
}

/* ---- progress over every rank's paths ---------------------------------- */

typedef struct progress_share {
    MPI_Win win;
    uint64_t *count;   /* rank 0's window: paths done on every rank */
    uint64_t mine;     /* paths of this rank already added */
    uint64_t total;
    const gpb_sim_options *user;
} progress_share;

static int progress_relay(void *ctx, size_t done, size_t total)
{
    progress_share *ps = ctx;
    (void)total;
    uint64_t add = done > ps->mine ? done - ps->mine : 0, all = 0;
    ps->mine += add;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, ps->win);
    MPI_Fetch_and_op(&add, &all, MPI_UINT64_T, 0, 0, MPI_SUM, ps->win);
    MPI_Win_unlock(0, ps->win);
    if (mpi_rank != 0 || !ps->user->progress)
        return 0;
    all += add;
    return ps->user->progress(ps->user->progress_ctx,
                              (size_t)(all < ps->total ? all : ps->total),
                              (size_t)ps->total);
}

gpb_status cli_mpi_sim_run(const gpb_scenario *s, const gpb_sim_options *opt,
                           gpb_result **out, gpb_error *err)
{
    *out = NULL;
    if (!mpi_on || mpi_size == 1) {
        double t0 = mpi_on ? MPI_Wtime() : 0;
        gpb_status st = gpb_sim_run(s, opt, out, err);
        if (mpi_on && getenv("GPUBUDGET_MPI_TIMING"))
            fprintf(stderr, "mpi-timing: ranks 1 paths %zu simulate %.6f "
                    "receive 0 merge 0 bytes 0\n", opt ? opt->paths : 0,
                    MPI_Wtime() - t0);
        return st;
    }
    /* This rank's blocks of the paths. */
    gpb_sim_options o;
    gpb_sim_options_default(&o);
    if (opt)
        o = *opt;
    uint64_t blocks = (o.paths + GPB_SIM_BLOCK_PATHS - 1) /
                      GPB_SIM_BLOCK_PATHS;
    uint64_t b0 = blocks * (uint64_t)mpi_rank / (uint64_t)mpi_size;
    uint64_t b1 = blocks * (uint64_t)(mpi_rank + 1) / (uint64_t)mpi_size;
    uint64_t first = b0 * GPB_SIM_BLOCK_PATHS;
    uint64_t last = b1 * GPB_SIM_BLOCK_PATHS;
    if (last > o.paths)
        last = o.paths;
    o.path_offset = opt->path_offset + first;
    o.paths = (size_t)(last - first);
    /* Progress: every rank adds its paths into rank 0's counter. */
    int want = opt->progress != NULL;
    MPI_Bcast(&want, 1, MPI_INT, 0, MPI_COMM_WORLD);
    progress_share ps = {0};
    ps.user = opt;
    ps.total = opt->paths;
    if (want) {
        MPI_Win_allocate(mpi_rank == 0 ? sizeof(uint64_t) : 0,
                         sizeof(uint64_t), MPI_INFO_NULL, MPI_COMM_WORLD,
                         &ps.count, &ps.win);
        if (mpi_rank == 0)
            *ps.count = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        o.progress = progress_relay;
        o.progress_ctx = &ps;
    } else {
        o.progress = NULL;
    }
    gpb_result *part = NULL;
    double t0 = MPI_Wtime();
    gpb_status st = o.paths > 0 ? gpb_sim_run(s, &o, &part, err)
                                : GPB_OK;
    double t1 = MPI_Wtime();
    if (want)
        MPI_Win_free(&ps.win);
    if ((st = cli_mpi_agree(st, err)) != GPB_OK) {
        gpb_result_free(part);
        return st;
    }
    /* The parts to rank 0, merged in rank order. */
    gpb_status mst = GPB_OK;
    if (mpi_rank != 0) {
        void *buf = NULL;
        size_t len = 0;
        /* Only what the merge keeps: past the memory budget's worth of
           paths, a rank sends sketches and counts, not its samples. */
        mst = part ? gpb_result_pack_after(part, (size_t)first, &buf, &len,
                                           err)
                   : GPB_OK;
        send_bytes(buf, mst ? 0 : len, 0, 1);
        gpb_free(buf);
        gpb_result_free(part);
    } else {
        /* The other ranks' parts merged in rank order first (small:
           sketches and counts once past the memory budget), then rank 0's
           after them in one merge, so rank 0's kept samples are copied
           once rather than once per rank. Merges are exact, so the order
           does not change a bit (tests/test_engine.c). */
        gpb_result *rest = NULL;
        size_t bytes_in = 0;
        double t_recv = 0;
        for (int r = 1; r < mpi_size; r++) {
            size_t len = 0;
            double w0 = MPI_Wtime();
            void *buf = recv_bytes(r, 1, &len);
            t_recv += MPI_Wtime() - w0;
            bytes_in += len;
            gpb_result *p = NULL, *n = NULL;
            if (mst)
                ;
            else if (!buf)
                mst = oom(err, r);
            else if (len == 0)
                ; /* a rank with no paths */
            else if ((mst = gpb_result_unpack(s, buf, len, &p, err)))
                ;
            else if (!rest) {
                rest = p;
                p = NULL;
            } else if (!(mst = gpb_result_merge(rest, p, &n, err))) {
                gpb_result_free(rest);
                rest = n;
            }
            gpb_result_free(p);
            free(buf);
        }
        gpb_result *m = part;
        if (!mst && rest) {
            if (!m) { /* rank 0 had no paths (fewer blocks than ranks) */
                m = rest;
                rest = NULL;
            } else {
                gpb_result *n = NULL;
                if (!(mst = gpb_result_merge(m, rest, &n, err))) {
                    gpb_result_free(m);
                    m = n;
                }
            }
        }
        gpb_result_free(rest);
        if (mst) {
            gpb_result_free(m);
            m = NULL;
        }
        /* The figures of docs/mpi.md's model (bench/run_mpi_bench.py):
           rank 0's own paths, then receiving and merging the others'. */
        if (getenv("GPUBUDGET_MPI_TIMING"))
            fprintf(stderr, "mpi-timing: ranks %d paths %zu simulate %.6f "
                    "receive %.6f merge %.6f bytes %zu\n", mpi_size,
                    o.paths, t1 - t0, t_recv, MPI_Wtime() - t1 - t_recv,
                    bytes_in);
        *out = m;
    }
    return cli_mpi_agree(mst, err);
}

/* ---- tasks -------------------------------------------------------------- */

static MPI_Win task_win;
static long *task_next, task_n;

void cli_mpi_tasks_begin(long n)
{
    task_n = n;
    if (!mpi_on) {
        static long next;
        next = 0;
        task_next = &next;
        return;
    }
    MPI_Win_allocate(mpi_rank == 0 ? sizeof(long) : 0, sizeof(long),
                     MPI_INFO_NULL, MPI_COMM_WORLD, &task_next, &task_win);
    if (mpi_rank == 0)
        *task_next = 0;
    MPI_Barrier(MPI_COMM_WORLD);
}

long cli_mpi_tasks_next(void)
{
    long got;
    if (!mpi_on) {
        got = (*task_next)++;
    } else {
        long one = 1;
        MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, task_win);
        MPI_Fetch_and_op(&one, &got, MPI_LONG, 0, 0, MPI_SUM, task_win);
        MPI_Win_unlock(0, task_win);
    }
    return got < task_n ? got : -1;
}

void cli_mpi_tasks_end(void)
{
    if (mpi_on) {
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_Win_free(&task_win);
    }
}

int cli_mpi_gather_tasks(long n, const long *mine, size_t nmine,
                         void *const *bytes, const size_t *lens_mine,
                         void **bufs, size_t *lens)
{
    int bad = 0;
    if (mpi_rank == 0) {
        for (long i = 0; i < n; i++) {
            bufs[i] = NULL;
            lens[i] = 0;
        }
        for (size_t k = 0; k < nmine; k++) {
            void *c = malloc(lens_mine[k] ? lens_mine[k] : 1);
            if (!c) {
                bad = 1;
                continue;
            }
            memcpy(c, bytes[k], lens_mine[k]);
            bufs[mine[k]] = c;
            lens[mine[k]] = lens_mine[k];
        }
    }
    if (mpi_on) {
        for (int r = 1; r < mpi_size; r++) {
            if (mpi_rank == r) {
                uint64_t cnt = nmine;
                MPI_Send(&cnt, 1, MPI_UINT64_T, 0, 2, MPI_COMM_WORLD);
                for (size_t k = 0; k < nmine; k++) {
                    long idx = mine[k];
                    MPI_Send(&idx, 1, MPI_LONG, 0, 2, MPI_COMM_WORLD);
                    send_bytes(bytes[k], lens_mine[k], 0, 2);
                }
            } else if (mpi_rank == 0) {
                uint64_t cnt = 0;
                MPI_Recv(&cnt, 1, MPI_UINT64_T, r, 2, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                for (uint64_t k = 0; k < cnt; k++) {
                    long idx = -1;
                    MPI_Recv(&idx, 1, MPI_LONG, r, 2, MPI_COMM_WORLD,
                             MPI_STATUS_IGNORE);
                    size_t len = 0;
                    void *c = recv_bytes(r, 2, &len);
                    if (!c || idx < 0 || idx >= n) {
                        free(c);
                        bad = 1;
                        continue;
                    }
                    bufs[idx] = c;
                    lens[idx] = len;
                }
            }
        }
        MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX,
                      MPI_COMM_WORLD);
    }
    return bad ? -1 : 0;
}

#else /* one process */

void cli_mpi_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}
int cli_mpi_finish(int rc) { return rc; }
int cli_mpi_rank(void) { return 0; }
int cli_mpi_size(void) { return 1; }
gpb_status cli_mpi_agree(gpb_status st, gpb_error *err)
{
    (void)err;
    return st;
}
void cli_mpi_share_double(double *v) { (void)v; }
gpb_status cli_mpi_sim_run(const gpb_scenario *s, const gpb_sim_options *opt,
                           gpb_result **out, gpb_error *err)
{
    return gpb_sim_run(s, opt, out, err);
}

static long task_next, task_n;
void cli_mpi_tasks_begin(long n)
{
    task_n = n;
    task_next = 0;
}
long cli_mpi_tasks_next(void)
{
    return task_next < task_n ? task_next++ : -1;
}
void cli_mpi_tasks_end(void) {}
int cli_mpi_gather_tasks(long n, const long *mine, size_t nmine,
                         void *const *bytes, const size_t *lens_mine,
                         void **bufs, size_t *lens)
{
    int bad = 0;
    for (long i = 0; i < n; i++) {
        bufs[i] = NULL;
        lens[i] = 0;
    }
    for (size_t k = 0; k < nmine; k++) {
        void *c = malloc(lens_mine[k] ? lens_mine[k] : 1);
        if (!c) {
            bad = 1;
            continue;
        }
        memcpy(c, bytes[k], lens_mine[k]);
        bufs[mine[k]] = c;
        lens[mine[k]] = lens_mine[k];
    }
    return bad ? -1 : 0;
}

#endif
