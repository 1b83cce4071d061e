/*
 * A result as bytes and back (gpb_result_pack, gpb_result_unpack in sim.h):
 * how a part of a run travels between processes (MPI ranks), to be merged
 * with gpb_result_merge exactly as if it had been computed in place.
 *
 * Layout: the magic "GPBRES", the format version, the size of the
 * platform's double, size_t and int as a guard, then every field in a
 * fixed order, numbers in the machine's own byte order (both ends run the
 * same build on the same architecture: the format is not an archive), and
 * last a 64-bit FNV-1a checksum of everything before it. Unpacking checks
 * the checksum, then every count against the bytes left and every enum
 * against its range, so a damaged buffer gives GPB_EINVAL, never a crash.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "internal.h"

#define PACK_MAGIC "GPBRES"
#define PACK_VERSION 5u /* 2: derived metrics (engine.h); 3: a sketch's frac;
                           4: inputs kept for a prefix of the paths; 5:
                           narrow metrics */

/* FNV-1a, 64 bits (Fowler, Noll, Vo), over n bytes. */
static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
    int oom;
} wbuf;

static void put(wbuf *b, const void *x, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, x, n);
    b->n += n;
}

static void put_u64(wbuf *b, uint64_t v) { put(b, &v, sizeof v); }
static void put_i64(wbuf *b, int64_t v) { put(b, &v, sizeof v); }
static void put_f64(wbuf *b, double v) { put(b, &v, sizeof v); }
static void put_str(wbuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u64(b, n);
    put(b, s, n);
}

static void put_sketch(wbuf *b, const gpb__sketch *s)
{
    put_u64(b, s->n);
    put_f64(b, s->min);
    put_f64(b, s->max);
    put_i64(b, s->oom);
    put_i64(b, s->frac);
    put_u64(b, s->pg_lo);
    put_u64(b, s->pg_n);
    for (unsigned i = 0; i < s->pg_n; i++) {
        unsigned char present = s->page[i] != NULL;
        put(b, &present, 1);
        if (present)
            put(b, s->page[i], GPB__SKETCH_PAGE * sizeof *s->page[i]);
    }
}

/* keep: how many of r's kept paths to send (<= r->kept; below it only
   when r has sketches, so the receiver loses nothing it would use). */
static gpb_status pack(const gpb_result *r, size_t keep, size_t keep_in,
                       void **buf, size_t *len, gpb_error *err)
{
    *buf = NULL;
    *len = 0;
    if (r->no_fan) /* the library's own swing runs: never sent */
        return gpb__fail(err, GPB_EINVAL, "a run without its fan is not "
                                          "packed");
    wbuf b = {0};
    put(&b, PACK_MAGIC, 6);
    put_u64(&b, PACK_VERSION);
    put_u64(&b, sizeof(double) | sizeof(size_t) << 8 | sizeof(int) << 16);
    put_u64(&b, r->paths);
    put_u64(&b, r->path_offset);
    put_u64(&b, keep);
    if (keep_in > r->kept_inputs)
        keep_in = r->kept_inputs;
    if (keep_in > keep)
        keep_in = keep;
    put_u64(&b, keep_in);
    put_u64(&b, r->inputs_req);
    put_u64(&b, r->kept_cap);
    put_i64(&b, r->horizon);
    put_i64(&b, r->currency);
    put_u64(&b, r->seed);
    put_i64(&b, r->quasi);
    put_i64(&b, r->threads);
    put_u64(&b, r->n_metrics);
    put_u64(&b, r->n_inputs);
    put_u64(&b, r->n_blocks);
    int sketches = r->msketch != NULL;
    put_i64(&b, sketches);
    for (size_t i = 0; i < r->n_metrics; i++) {
        const eng_metric *m = &r->metrics[i];
        put_i64(&b, m->kind);
        put_i64(&b, m->id);
        put_i64(&b, m->owner);
        put_i64(&b, m->unit);
        put_i64(&b, m->direction);
        put_str(&b, m->name);
        put_str(&b, m->label);
        put_i64(&b, m->constant);
        put_f64(&b, m->value);
        put_i64(&b, m->derived);
        put_u64(&b, m->src);
        put_f64(&b, m->d);
        put_i64(&b, m->narrow);
        put_i64(&b, r->nonzero[i]);
    }
    for (size_t k = 0; k < r->n_inputs; k++) {
        put_str(&b, r->input_paths[k]);
        put_str(&b, r->input_labels ? r->input_labels[k] : NULL);
    }
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++) {
        put_i64(&b, r->per_usd[c] != NULL);
        put_f64(&b, r->rate_fixed[c]);
    }
    /* Per-path values of the kept paths. */
    for (size_t i = 0; i < r->n_metrics; i++)
        if (r->values[i])
            put(&b, r->values[i], keep * sizeof(double));
    for (size_t i = 0; i < r->n_metrics; i++)
        if (r->narrow[i])
            put(&b, r->narrow[i], keep * sizeof(uint16_t));
    for (size_t k = 0; k < r->n_inputs; k++)
        put(&b, r->inputs[k], keep_in * sizeof(double));
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        if (r->per_usd[c])
            put(&b, r->per_usd[c], keep * sizeof(double));
    put(&b, r->blk_mean, r->n_blocks * r->n_metrics * sizeof(double));
    put(&b, r->blk_m2, r->n_blocks * r->n_metrics * sizeof(double));
    for (size_t i = 0; sketches && i < r->n_metrics; i++)
        put_sketch(&b, &r->msketch[i]);
    put(&b, r->out_month, ((size_t)r->horizon + 1) * sizeof *r->out_month);
    put(&b, r->ledger,
        (size_t)r->horizon * GPB_CAT_COUNT * sizeof *r->ledger);
    put_i64(&b, r->has_ledger);
    put_i64(&b, r->sk_ledger != NULL);
    for (size_t k = 0; r->sk_ledger && k < (size_t)r->horizon * GPB_CAT_COUNT;
         k++)
        put_sketch(&b, &r->sk_ledger[k]);
    for (int m = 0; m < r->horizon; m++)
        put_sketch(&b, &r->sk_cash[m]);
    put_i64(&b, r->raise_months);
    if (r->raise_months) {
        put(&b, r->rt_min, keep * sizeof(double));
        put_sketch(&b, &r->rt_sketch);
    }
    if (!b.oom)
        put_u64(&b, fnv1a64(b.p, b.n));
    if (b.oom) {
        free(b.p);
        return gpb__fail(err, GPB_ENOMEM, "out of memory packing a result");
    }
    *buf = b.p;
    *len = b.n;
    return GPB_OK;
}

/* A run that kept fewer paths (gpb_sim_run_kept) reads its quantiles from
   counts against its own first paths, which a merge could not extend. */
#define BANDS_NOT_PACKED                                                     \
    "a run that kept fewer paths (gpb_sim_run_kept) is not packed: run "   \
    "the part with gpb_sim_run"

gpb_status gpb_result_pack(const gpb_result *r, void **buf, size_t *len,
                           gpb_error *err)
{
    if (!r || !buf || !len)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    if (r->given[0])
        return gpb__fail(err, GPB_EINVAL,
                         "a conditional result is not packed: pack the run "
                         "and condition it where it is read");
    if (r->bands)
        return gpb__fail(err, GPB_EINVAL, BANDS_NOT_PACKED);
    return pack(r, r->kept, r->kept_inputs, buf, len, err);
}

gpb_status gpb_result_pack_after(const gpb_result *r, size_t paths_before,
                                 void **buf, size_t *len, gpb_error *err)
{
    if (!r || !buf || !len)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    if (r->given[0])
        return gpb__fail(err, GPB_EINVAL,
                         "a conditional result is not packed: pack the run "
                         "and condition it where it is read");
    if (r->bands)
        return gpb__fail(err, GPB_EINVAL, BANDS_NOT_PACKED);
    /* A merge after paths_before paths keeps at most what a run past the
       budget keeps (gpb__kept_paths_for) of the union's first paths: r's
       first of them after paths_before, or none. Only a part that
       summarises with sketches can drop values (the union is then past
       the budget as well); one that kept every path gives them all, for
       the sketch the merge may have to build from them. */
    size_t keep = r->kept;
    if (r->kept < r->paths) {
        size_t most = gpb__kept_paths_for(SIZE_MAX, r->kept_cap);
        size_t room = paths_before < most ? most - paths_before : 0;
        if (keep > room)
            keep = room;
    }
    /* Likewise the inputs: the merge keeps the union's first inputs_req,
       r's first inputs_req - paths_before of them, or none. */
    size_t keep_in = r->kept_inputs;
    if (r->inputs_req) {
        size_t room = paths_before < r->inputs_req
                          ? r->inputs_req - paths_before : 0;
        if (keep_in > room)
            keep_in = room;
    }
    return pack(r, keep, keep_in, buf, len, err);
}

/* ---- reading -------------------------------------------------------------- */

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
    int bad;
} rbuf;

static int get(rbuf *b, void *x, size_t n)
{
    if (b->bad || n > b->n - b->at) {
        b->bad = 1;
        if (x && n)
            memset(x, 0, n);
        return -1;
    }
    if (n)
        memcpy(x, b->p + b->at, n);
    b->at += n;
    return 0;
}

static uint64_t get_u64(rbuf *b)
{
    uint64_t v = 0;
    get(b, &v, sizeof v);
    return v;
}
static int64_t get_i64(rbuf *b)
{
    int64_t v = 0;
    get(b, &v, sizeof v);
    return v;
}
static double get_f64(rbuf *b)
{
    double v = 0;
    get(b, &v, sizeof v);
    return v;
}
/* A new string, or NULL (b->bad set) when it does not fit. */
static char *get_str(rbuf *b)
{
    uint64_t n = get_u64(b);
    if (b->bad || n > b->n - b->at || n > 4096) {
        b->bad = 1;
        return NULL;
    }
    char *s = malloc(n + 1);
    if (!s) {
        b->bad = 1;
        return NULL;
    }
    get(b, s, n);
    s[n] = 0;
    return s;
}

/* Bytes an array of n items of `size` needs, or SIZE_MAX on overflow. */
static size_t need(uint64_t n, size_t size)
{
    return n > SIZE_MAX / size ? SIZE_MAX : (size_t)n * size;
}

static int get_sketch(rbuf *b, gpb__sketch *s)
{
    gpb__sketch_init(s);
    s->n = get_u64(b);
    s->min = get_f64(b);
    s->max = get_f64(b);
    s->oom = (int)get_i64(b);
    int64_t frac = get_i64(b);
    if (frac != 0 && frac != 1)
        return b->bad = 1, -1;
    s->frac = (int)frac;
    uint64_t lo = get_u64(b), np = get_u64(b);
    if (b->bad || lo > GPB__SKETCH_PAGES || np > GPB__SKETCH_PAGES - lo)
        return b->bad = 1, -1;
    if (np == 0)
        return 0;
    s->page = calloc(np, sizeof *s->page);
    if (!s->page)
        return b->bad = 1, -1;
    s->pg_lo = (unsigned)lo;
    s->pg_n = (unsigned)np;
    for (unsigned i = 0; i < np; i++) {
        unsigned char present = 0;
        if (get(b, &present, 1) || present > 1)
            return b->bad = 1, -1;
        if (!present)
            continue;
        s->page[i] = malloc(GPB__SKETCH_PAGE * sizeof *s->page[i]);
        if (!s->page[i] ||
            get(b, s->page[i], GPB__SKETCH_PAGE * sizeof *s->page[i]))
            return b->bad = 1, -1;
    }
    return 0;
}

gpb_status gpb_result_unpack(const gpb_scenario *s, const void *buf,
                             size_t len, gpb_result **out, gpb_error *err)
{
    if (!s || !buf || !out)
        return gpb__fail(err, GPB_EINVAL, "arguments must not be NULL");
    *out = NULL;
    uint64_t sum;
    if (len < 6 + 3 * sizeof sum)
        return gpb__fail(err, GPB_EINVAL, "not a packed result (too short)");
    memcpy(&sum, (const unsigned char *)buf + len - sizeof sum, sizeof sum);
    len -= sizeof sum;
    if (fnv1a64(buf, len) != sum)
        return gpb__fail(err, GPB_EINVAL,
                         "a damaged packed result (its checksum differs)");
    rbuf b = {buf, len, 0, 0};
    char magic[6];
    if (get(&b, magic, 6) || memcmp(magic, PACK_MAGIC, 6) ||
        get_u64(&b) != PACK_VERSION ||
        get_u64(&b) !=
            (sizeof(double) | sizeof(size_t) << 8 | sizeof(int) << 16))
        return gpb__fail(err, GPB_EINVAL,
                         "not a packed result of this build (magic, version "
                         "or platform differ)");
    uint64_t paths = get_u64(&b), offset = get_u64(&b), kept = get_u64(&b),
             kept_in = get_u64(&b), req = get_u64(&b), cap = get_u64(&b);
    int64_t horizon = get_i64(&b), currency = get_i64(&b);
    uint64_t seed = get_u64(&b);
    int64_t quasi = get_i64(&b), threads = get_i64(&b);
    uint64_t nm = get_u64(&b), ni = get_u64(&b), nb = get_u64(&b);
    int64_t sketches = get_i64(&b);
    /* Every count is bounded by the bytes that must follow it. */
    if (b.bad || kept > paths || kept_in > kept ||
        paths > GPB_SIM_MAX_PATHS || horizon < 1 ||
        horizon > 100000 || currency < 0 || currency >= GPB_CURRENCY_COUNT ||
        nm == 0 || nm > len || ni > len || nb > len ||
        (sketches != 0 && sketches != 1) ||
        need(kept, sizeof(double)) > len ||
        nb != (paths + LANES - 1) / LANES)
        return gpb__fail(err, GPB_EINVAL, "a damaged packed result");
    eng_metric *metrics = calloc(nm, sizeof *metrics);
    char **inputs = calloc(ni + 1, sizeof *inputs);
    char **labels = calloc(ni + 1, sizeof *labels);
    gpb_result *r = NULL;
    gpb_status st = GPB_OK;
    int *nz = calloc(nm, sizeof *nz);
    if (!metrics || !inputs || !labels || !nz) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nm && !b.bad; i++) {
        eng_metric *m = &metrics[i];
        m->kind = (eng_mkind)get_i64(&b);
        m->id = (int)get_i64(&b);
        m->owner = (int)get_i64(&b);
        m->unit = (gpb_unit)get_i64(&b);
        m->direction = (int)get_i64(&b);
        m->name = get_str(&b);
        m->label = get_str(&b);
        m->constant = (int)get_i64(&b);
        m->value = get_f64(&b);
        m->derived = (int)get_i64(&b);
        m->src = (size_t)get_u64(&b);
        m->d = get_f64(&b);
        int64_t narrow = get_i64(&b);
        m->narrow = narrow == 1;
        nz[i] = (int)get_i64(&b);
        if ((unsigned)m->kind > MK_ROUND || (unsigned)m->unit > GPB_UNIT_USERS ||
            (narrow != 0 && narrow != 1) ||
            (m->narrow && (m->constant || m->derived)) ||
            (unsigned)m->derived > GPB__DERIVE_BELOW ||
            (m->derived && m->src >= nm) ||
            (m->derived == GPB__DERIVE_DIV && !(m->d > 0 && isfinite(m->d))) ||
            (m->derived == GPB__DERIVE_BELOW && !isfinite(m->d)))
            b.bad = 1;
    }
    /* A derived metric's source is a metric that is not derived. */
    for (size_t i = 0; i < nm && !b.bad; i++)
        if (metrics[i].derived && metrics[metrics[i].src].derived)
            b.bad = 1;
    for (size_t k = 0; k < ni && !b.bad; k++) {
        inputs[k] = get_str(&b);
        labels[k] = get_str(&b);
    }
    int varies[GPB_CURRENCY_COUNT];
    double rate_fixed[GPB_CURRENCY_COUNT];
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++) {
        varies[c] = get_i64(&b) != 0;
        rate_fixed[c] = get_f64(&b);
    }
    if (b.bad) {
        st = gpb__fail(err, GPB_EINVAL, "a damaged packed result");
        goto done;
    }
    st = gpb__result_alloc(metrics, nm, ni, (const char *const *)inputs,
                           (const char *const *)labels, varies, (int)horizon, paths, kept, kept_in, nb,
                           (int)sketches, &r, err);
    if (st)
        goto done;
    r->path_offset = offset;
    r->kept_cap = cap;
    r->inputs_req = (size_t)req;
    r->currency = (gpb_currency)currency;
    r->seed = seed;
    r->quasi = (int)quasi;
    r->threads = (int)threads;
    r->s_id = s;
    memcpy(r->rate_fixed, rate_fixed, sizeof rate_fixed);
    for (size_t i = 0; i < nm; i++)
        r->nonzero[i] = nz[i];
    for (size_t i = 0; i < nm; i++)
        if (r->values[i])
            get(&b, r->values[i], kept * sizeof(double));
    for (size_t i = 0; i < nm; i++)
        if (r->narrow[i])
            get(&b, r->narrow[i], kept * sizeof(uint16_t));
    for (size_t k = 0; k < ni; k++)
        get(&b, r->inputs[k], kept_in * sizeof(double));
    for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
        if (r->per_usd[c])
            get(&b, r->per_usd[c], kept * sizeof(double));
    get(&b, r->blk_mean, need(nb * nm, sizeof(double)));
    get(&b, r->blk_m2, need(nb * nm, sizeof(double)));
    for (size_t i = 0; sketches && i < nm && !b.bad; i++) {
        gpb__sketch_free(&r->msketch[i]);
        get_sketch(&b, &r->msketch[i]);
    }
    get(&b, r->out_month, ((size_t)horizon + 1) * sizeof *r->out_month);
    get(&b, r->ledger, (size_t)horizon * GPB_CAT_COUNT * sizeof *r->ledger);
    int64_t hl = get_i64(&b);
    r->has_ledger = hl == 1 || hl == 2 ? (int)hl : 0;
    if (get_i64(&b) && !b.bad) {
        if (gpb__result_ledger_sketches(r)) {
            st = gpb__fail(err, GPB_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < (size_t)horizon * GPB_CAT_COUNT && !b.bad; k++) {
            gpb__sketch_free(&r->sk_ledger[k]);
            get_sketch(&b, &r->sk_ledger[k]);
        }
    }
    for (int m = 0; m < horizon && !b.bad; m++) {
        gpb__sketch_free(&r->sk_cash[m]);
        get_sketch(&b, &r->sk_cash[m]);
    }
    int64_t rm = get_i64(&b);
    if (!b.bad && rm) {
        if (rm < 0 || rm > horizon) {
            b.bad = 1;
        } else {
            r->raise_months = (int)rm;
            r->rt_min = malloc((kept ? kept : 1) * sizeof *r->rt_min);
            if (!r->rt_min) {
                st = gpb__fail(err, GPB_ENOMEM, "out of memory");
                goto done;
            }
            get(&b, r->rt_min, kept * sizeof(double));
            gpb__sketch_free(&r->rt_sketch);
            get_sketch(&b, &r->rt_sketch);
        }
    }
    if (b.bad || b.at != len)
        st = gpb__fail(err, GPB_EINVAL, "a damaged packed result");
done:
    for (size_t i = 0; metrics && i < nm; i++) {
        free(metrics[i].name);
        free(metrics[i].label);
    }
    free(metrics);
    for (size_t k = 0; inputs && k < ni; k++)
        free(inputs[k]);
    free(inputs);
    for (size_t k = 0; labels && k < ni; k++)
        free(labels[k]);
    free(labels);
    free(nz);
    if (st) {
        gpb_result_free(r);
        return st;
    }
    *out = r;
    return GPB_OK;
}
