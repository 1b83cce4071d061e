/*
 * Hostile scenarios, generated: the worst cases the YAML loader must load
 * or refuse quickly (yaml_tree.c, scenario_read.c). Used by
 * tests/test_scenario.c, which checks what each load returns, and by
 * bench/bench_yaml.c, which times them; unit tests never time anything.
 *
 * Each generator returns new text (free with adv_free) and, where it helps
 * a test aim just under or just over a limit, the nodes and bytes of
 * scalar text the document holds with its aliases expanded, counted the
 * way yaml_tree.c counts them (every scalar, sequence and mapping is one
 * node; an alias counts its target's subtree again).
 *
 * Header-only: include it once per program.
 */
#ifndef GPB_TEST_ADVERSARIAL_H
#define GPB_TEST_ADVERSARIAL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct adv_text {
    char *text;
    size_t len, cap;
    size_t nodes; /* expanded nodes, where the generator says so */
    size_t bytes; /* expanded scalar bytes, likewise */
} adv_text;

static void adv_free(adv_text *t)
{
    free(t->text);
    memset(t, 0, sizeof *t);
}

/* Appends formatted text; aborts the program when memory runs out (test
   and benchmark code only). */
static void adv_put(adv_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void adv_put(adv_text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(t->text ? t->text + t->len : NULL,
                          t->text ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (w < 0)
            abort();
        if (t->text && t->len + (size_t)w < t->cap) {
            t->len += (size_t)w;
            return;
        }
        size_t cap = t->cap ? 2 * t->cap : 1 << 16;
        while (cap < t->len + (size_t)w + 1)
            cap *= 2;
        char *p = realloc(t->text, cap);
        if (!p)
            abort();
        t->text = p;
        t->cap = cap;
    }
}

/* n copies of the byte c. */
static void adv_repeat(adv_text *t, char c, size_t n)
{
    adv_put(t, "%s", "");
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->text, cap);
        if (!p)
            abort();
        t->text = p;
        t->cap = cap;
    }
    memset(t->text + t->len, c, n);
    t->len += n;
    t->text[t->len] = '\0';
}

/* "gpubudget: 1\nname: x\n": a mapping and four scalars. */
static void adv_header(adv_text *t)
{
    adv_put(t, "gpubudget: 1\nname: x\n");
    t->nodes = 5;
    t->bytes = strlen("gpubudget") + 1 + strlen("name") + 1;
}

/*
 * n anchored scalars in one list and n aliases to them in another, first
 * anchor first: a linear anchor scan from the latest definition walks all
 * n names for every alias (the 8-second file of the report, at n = 50,000
 * over the budget and just under it at 49,990).
 */
static adv_text adv_anchors(size_t n)
{
    adv_text t = {0};
    adv_header(&t);
    adv_put(&t, "x-a: [");
    for (size_t i = 0; i < n; i++)
        adv_put(&t, "%s&a%zu 1", i ? ", " : "", i);
    adv_put(&t, "]\nx-b: [");
    for (size_t i = 0; i < n; i++)
        adv_put(&t, "%s*a%zu", i ? ", " : "", i);
    adv_put(&t, "]\n");
    t.nodes += 2 + 2 + 2 * n;
    t.bytes += 3 + 3 + 2 * n;
    return t;
}

/*
 * A training run with `keys` unknown keys of key_len bytes that differ
 * only in their last two characters (so comparing two costs the whole
 * length), written as explicit "? key" entries (libyaml refuses implicit
 * keys past 1024 characters), aliased `uses` times as the runs of
 * `training`.
 */
static adv_text adv_long_keys(size_t keys, size_t key_len, size_t uses)
{
    adv_text t = {0};
    adv_header(&t);
    adv_put(&t, "x-m: &m\n");
    for (size_t i = 0; i < keys; i++) {
        adv_put(&t, "  ? ");
        adv_repeat(&t, 'k', key_len - 2);
        adv_put(&t, "%02zu\n  : 1\n", i % 100);
    }
    adv_put(&t, "  name: r\n  params: 1B\n  tokens: 20B\n  gpu: H100\n"
                "  gpus: 8\n");
    adv_put(&t, "training: [");
    for (size_t i = 0; i < uses; i++)
        adv_put(&t, "%s*m", i ? ", " : "");
    adv_put(&t, "]\n");
    size_t map_nodes = 1 + 2 * keys + 10;
    size_t map_bytes = keys * (key_len + 1) +
                       strlen("nameparamstokensgpugpus") +
                       strlen("r1B20BH1008");
    t.nodes += 1 + map_nodes + 1 + 1 + uses * map_nodes;
    t.bytes += 3 + map_bytes + 8 + uses * map_bytes;
    return t;
}

/*
 * The billion laughs: x-0 is a list of `width` scalars and each x-k a list
 * of `width` aliases of x-(k-1), for `levels` levels.
 */
static adv_text adv_alias_chain(size_t levels, size_t width)
{
    adv_text t = {0};
    adv_header(&t);
    size_t e = 0, b = 0; /* the last level's expanded nodes and bytes */
    for (size_t k = 0; k < levels; k++) {
        adv_put(&t, "x-%zu: &l%zu [", k, k);
        for (size_t i = 0; i < width; i++)
            if (k == 0)
                adv_put(&t, "%slol", i ? ", " : "");
            else
                adv_put(&t, "%s*l%zu", i ? ", " : "", k - 1);
        adv_put(&t, "]\n");
        size_t e1 = k == 0 ? 1 + width : 1 + width * e;
        size_t b1 = k == 0 ? 3 * width : width * b;
        e = e1;
        b = b1;
        t.nodes += 1 + e;
        t.bytes += (size_t)snprintf(NULL, 0, "x-%zu", k) + b;
    }
    return t;
}

/* The top-level mapping (top = 1) or an ignored x- mapping (top = 0)
   with n keys. */
static adv_text adv_wide_map(size_t n, int top)
{
    adv_text t = {0};
    adv_header(&t);
    if (!top)
        adv_put(&t, "x-wide:\n");
    for (size_t i = 0; i < n; i++)
        adv_put(&t, "%sx-%zu: 1\n", top ? "" : "  ", i);
    return t;
}

/* One scalar of len bytes, aliased `uses` times as sources' titles. */
static adv_text adv_long_scalar(size_t len, size_t uses)
{
    adv_text t = {0};
    adv_header(&t);
    adv_put(&t, "x-t: &t ");
    adv_repeat(&t, 't', len);
    adv_put(&t, "\nsources:\n");
    for (size_t i = 0; i < uses; i++)
        adv_put(&t, "  - {id: s%zu, title: *t}\n", i);
    t.bytes += len * (1 + uses);
    return t;
}

/*
 * `runs` training runs with two uncertain inputs each, and n correlations
 * that name inputs the scenario does not have (each wants a "did you
 * mean" among 2 * runs paths), or (bad = 0) that chain every input of the
 * runs into one connected set of 2 * runs inputs.
 */
static adv_text adv_correlations(size_t runs, size_t n, int bad)
{
    adv_text t = {0};
    adv_header(&t);
    adv_put(&t, "x-u: &u {uniform: [0.3, 0.5]}\ntraining:\n");
    for (size_t i = 0; i < runs; i++)
        adv_put(&t,
                "  - {name: r%zu, params: 1B, tokens: 20B, gpu: H100, "
                "gpus: 8, mfu: *u, price_per_gpu_hour: {uniform: [2, 3]}}\n",
                i);
    adv_put(&t, "correlations:\n");
    for (size_t i = 0; i < n; i++) {
        size_t r = (i / 2) % runs;
        if (bad)
            adv_put(&t,
                    "  - {between: ['training[%zu].mfx', "
                    "'training[%zu].prize_per_gpu_hour'], rho: 0.5}\n",
                    r, r);
        else if (i % 2 == 0)
            adv_put(&t,
                    "  - {between: ['training[%zu].mfu', "
                    "'training[%zu].price_per_gpu_hour'], rho: 0.1}\n",
                    r, r);
        else
            adv_put(&t,
                    "  - {between: ['training[%zu].price_per_gpu_hour', "
                    "'training[%zu].mfu'], rho: 0.1}\n",
                    r, (r + 1) % runs);
    }
    return t;
}

/* n fleets all named by one alias of a name of len bytes: every name
   repeats the first, and comparing two costs the whole length. */
static adv_text adv_same_names(size_t n, size_t len)
{
    adv_text t = {0};
    adv_header(&t);
    adv_put(&t, "x-n: &n ");
    adv_repeat(&t, 'f', len);
    adv_put(&t, "\nfleets:\n");
    for (size_t i = 0; i < n; i++)
        adv_put(&t, "  - {name: *n}\n");
    return t;
}

#endif /* GPB_TEST_ADVERSARIAL_H */
