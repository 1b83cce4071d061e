/*
 * MPI for the command line (cli_mpi.h, docs/mpi.md).
 *
 * The calls into MPI are the module gpubudget-mpi.so's (cli_mpi_ops.h),
 * loaded only when mpirun or srun started the command; without it (not so
 * started, or built without MPI) every function here is one process's:
 * rank 0 of 1.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_mpi.h"
#include "cli_mpi_ops.h"

#ifndef GPB_BUILD_TOOLS_DIR
#define GPB_BUILD_TOOLS_DIR ""
#endif
#ifndef GPB_INSTALL_MPI_MODULE
#define GPB_INSTALL_MPI_MODULE ""
#endif

#define MODULE_NAME "gpubudget-mpi.so"

static const cli_mpi_ops *mpi; /* the module's calls; NULL: one process */
static int mpi_rank, mpi_size = 1;

#ifdef GPB_MPI
/* Launched by mpirun (Open MPI, or a PMI/PMIx launcher such as srun)? */
static int launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") ||
           getenv("PMI_RANK") || getenv("PMI_SIZE");
}

/* The module's path: $GPUBUDGET_MPI_MODULE; the build tree's for a binary
   in the build tree; the installed one. */
static const char *module_path(char *buf, size_t n)
{
    const char *env = getenv("GPUBUDGET_MPI_MODULE");
    if (env && *env)
        return env;
    if (cli_running_from_build_tree()) {
        snprintf(buf, n, "%s/%s", GPB_BUILD_TOOLS_DIR, MODULE_NAME);
        return buf;
    }
    return GPB_INSTALL_MPI_MODULE;
}

/* The module's table, or NULL with the reason printed. */
static const cli_mpi_ops *module_load(void)
{
    char buf[PATH_MAX + 32];
    const char *path = module_path(buf, sizeof buf);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        cli_error("started by mpirun, but the MPI module cannot be "
                  "loaded: %s (set GPUBUDGET_MPI_MODULE to its path)",
                  dlerror());
        return NULL;
    }
    const cli_mpi_ops *(*get)(void) = NULL;
    void *sym = dlsym(h, CLI_MPI_OPS_SYMBOL);
    memcpy(&get, &sym, sizeof get); /* object to function pointer */
    const cli_mpi_ops *ops = get ? get() : NULL;
    if (!ops || ops->version != CLI_MPI_OPS_VERSION) {
        cli_error("%s: not gpubudget's MPI module of this version "
                  "(table version %d, wanted %d)",
                  path, ops ? ops->version : -1, CLI_MPI_OPS_VERSION);
        dlclose(h);
        return NULL;
    }
    return ops; /* loaded for the life of the process */
}
#endif

int cli_mpi_init(int *argc, char ***argv)
{
#ifdef GPB_MPI
    if (!launched())
        return 0;
    const cli_mpi_ops *ops = module_load();
    if (!ops)
        return -1;
    int rank = 0, size = 1;
    if (ops->init(argc, argv, &rank, &size) != 0) {
        cli_error("started by mpirun, but MPI did not start");
        return -1;
    }
    mpi = ops;
    mpi_rank = rank;
    mpi_size = size;
    /* Only rank 0 prints: the others' output goes nowhere (their errors
       reach rank 0 through cli_mpi_agree). */
    if (mpi_rank != 0) {
        if (!freopen("/dev/null", "w", stdout) ||
            !freopen("/dev/null", "w", stderr))
            return 0;
    }
    return 0;
#else
    (void)argc;
    (void)argv;
    return 0;
#endif
}

int cli_mpi_finish(int rc)
{
    if (!mpi)
        return rc;
    mpi->bcast(&rc, sizeof rc, 0);
    mpi->finalize();
    mpi = NULL;
    return rc;
}

int cli_mpi_rank(void) { return mpi_rank; }
int cli_mpi_size(void) { return mpi_size; }

gpb_status cli_mpi_agree(gpb_status st, gpb_error *err)
{
    if (!mpi)
        return st;
    int first = mpi->allreduce_int(st != GPB_OK ? mpi_rank : mpi_size, 0);
    if (first == mpi_size)
        return GPB_OK;
    gpb_error e;
    memset(&e, 0, sizeof e);
    int s = (int)st;
    if (mpi_rank == first && err)
        e = *err;
    mpi->bcast(&s, sizeof s, first);
    mpi->bcast(&e, sizeof e, first);
    if (err)
        *err = e;
    return (gpb_status)s;
}

void cli_mpi_share_double(double *v)
{
    if (mpi)
        mpi->bcast(v, sizeof *v, 0);
}

/* Large byte arrays in pieces MPI's int counts can hold. */
#define PIECE ((size_t)1 << 30)

static void send_bytes(const void *p, size_t n, int to, int tag)
{
    uint64_t len = n;
    mpi->send(&len, sizeof len, to, tag);
    for (size_t at = 0; at < n; at += PIECE) {
        size_t k = n - at < PIECE ? n - at : PIECE;
        mpi->send((const char *)p + at, k, to, tag);
    }
}

/* New memory with the bytes from rank `from`, or NULL when out of memory
   (the bytes are still received, so the ranks stay in step). */
static void *recv_bytes(int from, int tag, size_t *n)
{
    uint64_t len = 0;
    mpi->recv(&len, sizeof len, from, tag);
    char *p = len <= SIZE_MAX ? malloc(len ? (size_t)len : 1) : NULL;
    char *sink = p ? NULL : malloc(PIECE);
    for (size_t at = 0; at < len; at += PIECE) {
        size_t k = len - at < PIECE ? (size_t)len - at : PIECE;
        mpi->recv(p ? p + at : sink, k, from, tag);
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
    void *count;       /* rank 0's counter: paths done on every rank */
    uint64_t mine;     /* paths of this rank already added */
    uint64_t total;
    const gpb_sim_options *user;
} progress_share;

static int progress_relay(void *ctx, size_t done, size_t total)
{
    progress_share *ps = ctx;
    (void)total;
    uint64_t add = done > ps->mine ? done - ps->mine : 0;
    ps->mine += add;
    uint64_t all = mpi->counter_add(ps->count, add);
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
    if (!mpi || mpi_size == 1) {
        double t0 = mpi ? mpi->wtime() : 0;
        gpb_status st = gpb_sim_run(s, opt, out, err);
        if (mpi && getenv("GPUBUDGET_MPI_TIMING"))
            fprintf(stderr, "mpi-timing: ranks 1 paths %zu simulate %.6f "
                    "receive 0 merge 0 bytes 0\n", opt ? opt->paths : 0,
                    mpi->wtime() - t0);
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
    mpi->bcast(&want, sizeof want, 0);
    progress_share ps = {0};
    ps.user = opt;
    ps.total = opt->paths;
    /* (Out of memory for the counter on any rank: no progress.) */
    if (want && (ps.count = mpi->counter_new()) != NULL) {
        o.progress = progress_relay;
        o.progress_ctx = &ps;
    } else {
        o.progress = NULL;
    }
    gpb_result *part = NULL;
    double t0 = mpi->wtime();
    gpb_status st = o.paths > 0 ? gpb_sim_run(s, &o, &part, err)
                                : GPB_OK;
    double t1 = mpi->wtime();
    if (ps.count)
        mpi->counter_free(ps.count);
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
            double w0 = mpi->wtime();
            void *buf = recv_bytes(r, 1, &len);
            t_recv += mpi->wtime() - w0;
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
                    o.paths, t1 - t0, t_recv, mpi->wtime() - t1 - t_recv,
                    bytes_in);
        *out = m;
    }
    return cli_mpi_agree(mst, err);
}

/* ---- tasks -------------------------------------------------------------- */

static void *task_counter; /* under MPI; else task_next counts */
static long task_next, task_n;

void cli_mpi_tasks_begin(long n)
{
    task_n = n;
    task_next = 0;
    task_counter = mpi ? mpi->counter_new() : NULL;
}

long cli_mpi_tasks_next(void)
{
    long got;
    if (task_counter) {
        uint64_t g = mpi->counter_add(task_counter, 1);
        got = g < (uint64_t)LONG_MAX ? (long)g : LONG_MAX;
    } else if (mpi) {
        /* No counter (out of memory on some rank): rank r takes tasks
           r, r + size, ... so that each task is still done once. */
        got = task_next * mpi_size + mpi_rank;
        task_next++;
    } else {
        got = task_next++;
    }
    return got < task_n ? got : -1;
}

void cli_mpi_tasks_end(void)
{
    if (task_counter)
        mpi->counter_free(task_counter);
    else if (mpi)
        mpi->barrier();
    task_counter = NULL;
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
    if (mpi) {
        for (int r = 1; r < mpi_size; r++) {
            if (mpi_rank == r) {
                uint64_t cnt = nmine;
                mpi->send(&cnt, sizeof cnt, 0, 2);
                for (size_t k = 0; k < nmine; k++) {
                    long idx = mine[k];
                    mpi->send(&idx, sizeof idx, 0, 2);
                    send_bytes(bytes[k], lens_mine[k], 0, 2);
                }
            } else if (mpi_rank == 0) {
                uint64_t cnt = 0;
                mpi->recv(&cnt, sizeof cnt, r, 2);
                for (uint64_t k = 0; k < cnt; k++) {
                    long idx = -1;
                    mpi->recv(&idx, sizeof idx, r, 2);
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
        bad = mpi->allreduce_int(bad, 1);
    }
    return bad ? -1 : 0;
}
