/* Status strings, the error record and small string helpers. */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "internal.h"

const char *gpb_status_str(gpb_status status)
{
    switch ((int)status) {
#define GPB__STATUS_CASE(name, num, text) \
    case num:                             \
        return text;
        GPB_STATUS_MAP(GPB__STATUS_CASE)
#undef GPB__STATUS_CASE
    default:
        return "unknown status";
    }
}

void gpb_error_clear(gpb_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int gpb_error_format(const gpb_error *err, char *buf, size_t n)
{
    if (!err) {
        if (buf && n)
            buf[0] = '\0';
        return 0;
    }
    char loc[GPB_ERROR_SOURCE_MAX + 32] = "";
    if (err->source[0] && err->line > 0)
        snprintf(loc, sizeof loc, "%s:%d:%d: ", err->source, err->line,
                 err->column);
    else if (err->source[0])
        snprintf(loc, sizeof loc, "%s: ", err->source);
    return snprintf(buf, n, "%s%s%s%s", loc, err->path,
                    err->path[0] ? ": " : "", err->message);
}

void gpb_free(void *ptr) { free(ptr); }

const char *gpb_version(void) { return GPB_VERSION_STRING; }

gpb_status gpb__vfail_at(gpb_error *err, gpb_status status,
                         const char *source, int line, int column,
                         const char *path, const char *fmt, va_list ap)
{
    if (!err)
        return status;
    memset(err, 0, sizeof *err);
    err->status = status;
    gpb__strlcpy(err->source, source, sizeof err->source);
    err->line = line;
    err->column = column;
    gpb__strlcpy(err->path, path, sizeof err->path);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

gpb_status gpb__fail_at(gpb_error *err, gpb_status status, const char *source,
                        int line, int column, const char *path,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gpb__vfail_at(err, status, source, line, column, path, fmt, ap);
    va_end(ap);
    return status;
}

gpb_status gpb__fail(gpb_error *err, gpb_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gpb__vfail_at(err, status, NULL, 0, 0, NULL, fmt, ap);
    va_end(ap);
    return status;
}

void gpb__strlcpy(char *dst, const char *src, size_t n)
{
    if (!n)
        return;
    if (!src)
        src = "";
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int gpb__strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb || !ca)
            return ca - cb;
    }
}

/* Wagner–Fischer with one row; O(|a|·|b|) time, O(|b|) space. */
int gpb__edit_distance(const char *a, const char *b)
{
    enum { MAXLEN = 63 };
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAXLEN)
        la = MAXLEN;
    if (lb > MAXLEN)
        lb = MAXLEN;
    int row[MAXLEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = tolower((unsigned char)a[i - 1]) !=
                       tolower((unsigned char)b[j - 1]);
            int best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* 1 when the kernel gives transparent huge pages to a range marked with
   MADV_HUGEPAGE ("[always]" or "[madvise]" in sysfs), read once. */
static int thp_marked;
static pthread_once_t thp_once = PTHREAD_ONCE_INIT;

static void thp_read(void)
{
#ifdef __linux__
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
    char line[128] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = 0;
        fclose(f);
    }
    thp_marked = strstr(line, "[always]") || strstr(line, "[madvise]");
#endif
}

/*
 * Readies the whole pages of p[0..bytes) for being filled. Each fresh 4
 * KiB page costs a fault the first time it is written, and on a virtual
 * machine such as this project's CI (Firecracker, with shadow page
 * tables) the host's share makes that about 5 µs: 0.3 s of CPU for the
 * 208 MB store of bench-60m at 10^6 paths. Where the kernel has
 * transparent huge pages the range is marked for them, and a fault maps
 * 2 MiB at once; the first writes, made by the workers, pay for it in
 * parallel. Measured on this machine (bench-60m, 10^6 paths, 2 threads,
 * 2026-12-03): 0.56 s against 0.84 s with 4 KiB pages mapped ahead, and
 * 0.77 s against 0.86 s when the machine had idled and handed its free
 * memory back to the host. Mapping the huge pages ahead
 * (MADV_POPULATE_WRITE) zeroed them all on the calling thread, 0.3 s
 * after an idle spell, so it is not done. Without huge pages the 4 KiB
 * pages are mapped ahead in one call, which costs half as much as
 * faulting them one by one. Below 1 MiB, and where the system cannot, it
 * does nothing: a hint, never a failure; the contents do not change.
 * (Where "defrag" is "madvise" or "always" a huge page fault may compact
 * memory first; the benchmark, which starts each run fresh, measures what
 * that costs on the machine at hand.)
 */
static void ready_for_filling(void *p, size_t bytes, size_t whole)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MADV_POPULATE_WRITE)
    if (!p || bytes < (1u << 20))
        return;
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0)
        return;
    pthread_once(&thp_once, thp_read);
    /* Huge pages over the whole block (rounded up: its last stretch is
       one too); 4 KiB pages mapped ahead only where it will be written. */
    uintptr_t lo = ((uintptr_t)p + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
    uintptr_t hi = ((uintptr_t)p + (thp_marked ? whole : bytes)) &
                   ~((uintptr_t)pg - 1);
    if (hi <= lo)
        return;
    (void)madvise((void *)lo, hi - lo,
                  thp_marked ? MADV_HUGEPAGE : MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)bytes;
    (void)whole;
#endif
}

void *gpb__alloc_big(size_t bytes)
{
    enum { HUGE_PAGE_BYTES = 2u << 20 };
    void *p = NULL;
    if (bytes < HUGE_PAGE_BYTES) {
        p = malloc(bytes ? bytes : 1);
        ready_for_filling(p, bytes, bytes);
        return p;
    }
    /* Whole huge pages, so the last stretch is one too rather than 4 KiB
       pages (a sensitivity worker's 3.2 MB of ranks: 2 faults, not 800).
       Without huge pages, only the bytes asked for are mapped ahead. */
    size_t whole = (bytes + HUGE_PAGE_BYTES - 1) / HUGE_PAGE_BYTES *
                   HUGE_PAGE_BYTES;
    if (whole < bytes)
        whole = bytes; /* (wrapped) */
    if (posix_memalign(&p, HUGE_PAGE_BYTES, whole) != 0)
        p = NULL;
    ready_for_filling(p, bytes, whole);
    return p;
}

char *gpb__strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Room for `need` bytes in b (the capacity at least doubles); 0, or -1
   with b->oom set. */
static int buf_room(gpb__buf *b, size_t need)
{
    if (b->oom)
        return -1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? 2 * b->cap : 256;
    if (cap < need)
        cap = need;
    char *q = realloc(b->p, cap);
    if (!q) {
        b->oom = 1;
        return -1;
    }
    b->p = q;
    b->cap = cap;
    return 0;
}

void gpb__buf_put(gpb__buf *b, const char *s, size_t n)
{
    if (buf_room(b, b->len + n + 1))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void gpb__buf_printf(gpb__buf *b, const char *fmt, ...)
{
    /* Written in place; when it does not fit, the room is made and the
       text written again. */
    for (size_t want = 0;;) {
        if (buf_room(b, b->len + want + 1))
            return;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        want = (size_t)n;
    }
}

gpb_status gpb__need_ptr(gpb_error *err, const void *p, const char *name)
{
    if (p == NULL)
        return gpb__fail(err, GPB_EINVAL, "%s must not be NULL", name);
    return GPB_OK;
}

gpb_status gpb__need_finite(gpb_error *err, double v, const char *name)
{
    if (!isfinite(v))
        return gpb__fail(err, GPB_EINVAL,
                         "%s must be a finite number (got %g)", name, v);
    return GPB_OK;
}

gpb_status gpb__need_pos(gpb_error *err, double v, const char *name)
{
    gpb_status st = gpb__need_finite(err, v, name);
    if (st)
        return st;
    if (!(v > 0.0))
        return gpb__fail(err, GPB_EINVAL, "%s must be positive (got %g)",
                         name, v);
    return GPB_OK;
}

gpb_status gpb__need_whole(gpb_error *err, double v, double lo, double hi,
                           const char *name)
{
    if (v >= lo && v <= hi && v == floor(v))
        return GPB_OK;
    return gpb__fail_at(err, GPB_EINVAL, "", 0, 0, name,
                        "must be a whole number from %.15g to %.15g (got "
                        "%g)",
                        lo, hi, v);
}

gpb_status gpb__need_nonneg(gpb_error *err, double v, const char *name)
{
    gpb_status st = gpb__need_finite(err, v, name);
    if (st)
        return st;
    if (v < 0.0)
        return gpb__fail(err, GPB_EINVAL,
                         "%s must not be negative (got %g)", name, v);
    return GPB_OK;
}

gpb_status gpb__need_result(gpb_error *err, double v, const char *what)
{
    if (!isfinite(v))
        return gpb__fail(err, GPB_ERANGE, "%s overflows (got %g)", what, v);
    return GPB_OK;
}

double gpb__ceil_count(double x)
{
    if (x <= 0.0)
        return 0.0;
    double n = ceil(x);
    if (n - 1.0 >= x * (1.0 - 1e-12))
        return n - 1.0;
    return n;
}

int gpb__threads_for(int threads, size_t jobs)
{
    if (threads < 1) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (c < GPB__THREADS_MAX ? (int)c : GPB__THREADS_MAX)
                        : 1;
    }
    if (jobs > 0 && (size_t)threads > jobs)
        threads = (int)jobs;
    return threads > GPB__THREADS_MAX ? GPB__THREADS_MAX : threads;
}

void gpb__fork_join(int n, void *(*fn)(void *), void *arg)
{
    pthread_t tid[GPB__THREADS_MAX];
    int started = 0;
    if (n > GPB__THREADS_MAX)
        n = GPB__THREADS_MAX;
    for (int t = 1; t < n; t++)
        if (pthread_create(&tid[started], NULL, fn, arg) == 0)
            started++;
    fn(arg);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}
