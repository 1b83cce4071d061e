/*
 * How the scenario loader reads any key (scenario_read.h): problems and
 * their order, key paths, mappings with unknown and repeated keys, and
 * numbers: quantities with units and currencies, "lo to hi" intervals and
 * distributions, each checked against the key's range and stored as an
 * input. scenario.c says which keys exist; this file says how a key is read.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_read.h"

/* ------------------------------------------------------------------------ */
/* Diagnostics                                                               */
/* ------------------------------------------------------------------------ */

size_t gpb_diagnostics_count(const gpb_diagnostics *d)
{
    return d ? d->n : 0;
}

const gpb_error *gpb_diagnostics_at(const gpb_diagnostics *d, size_t i)
{
    return d && i < d->n ? &d->items[i].e : NULL;
}

gpb_severity gpb_diagnostics_severity(const gpb_diagnostics *d, size_t i)
{
    return d && i < d->n ? d->items[i].severity : GPB_SEVERITY_ERROR;
}

size_t gpb_diagnostics_count_severity(const gpb_diagnostics *d,
                                      gpb_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; d && i < d->n; i++)
        n += d->items[i].severity == sev;
    return n;
}

void gpb_diagnostics_free(gpb_diagnostics *d)
{
    if (!d)
        return;
    free(d->items);
    free(d);
}

static void vreport(gpb__loader *L, gpb_severity sev, gpb_status st,
                    int line, int column, const char *path, const char *fmt,
                    va_list ap)
{
    gpb_diagnostics *d = L->d;
    if (st == GPB_ELIMIT)
        L->limit_hit = 1;
    if (sev == GPB_SEVERITY_ERROR)
        L->errors++;
    if (d->n >= GPB__SC_MAX_COLLECTED) {
        d->dropped++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        gpb__diag *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            L->nomem = 1;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    gpb__diag *x = &d->items[d->n++];
    x->severity = sev;
    gpb__vfail_at(&x->e, st, L->source, line, column, path, fmt, ap);
}

void gpb__sc_report(gpb__loader *L, gpb_status st, const gpb__ynode *at,
                    const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(L, GPB_SEVERITY_ERROR, st, at ? at->line : 0, at ? at->column : 0,
            path, fmt, ap);
    va_end(ap);
}

void gpb__sc_add(gpb__loader *L, const gpb_error *e)
{
    gpb__sc_report_at(L, e->status, e->line, e->column, e->path, "%s",
                      e->message);
}

void gpb__sc_report_at(gpb__loader *L, gpb_status st, int line, int column,
                       const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(L, GPB_SEVERITY_ERROR, st, line, column, path, fmt, ap);
    va_end(ap);
}

void gpb__sc_warn_at(gpb__loader *L, int line, int column, const char *path,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(L, GPB_SEVERITY_WARNING, GPB_ERANGE, line, column, path, fmt, ap);
    va_end(ap);
}

/* Sort key of a problem: its position, then the order the walk found it
   in (which makes the sort stable). */
typedef struct diag_key {
    long line, column;
    size_t seq;
} diag_key;

static int diag_cmp(const void *pa, const void *pb)
{
    const diag_key *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Puts problems in file order (problems without a position last; problems
   at one position in the order the walk found them) and applies
   GPB__SC_MAX_REPORTED. Sorts small keys, then moves each record once. */
void gpb__sc_finish(gpb__loader *L)
{
    gpb_diagnostics *d = L->d;
    diag_key *k = malloc(d->n * sizeof *k + 1);
    gpb__diag *sorted = malloc(d->n * sizeof *sorted + 1);
    if (k && sorted) {
        for (size_t i = 0; i < d->n; i++) {
            k[i].line = d->items[i].e.line ? d->items[i].e.line : 0x7fffffffL;
            k[i].column = d->items[i].e.column;
            k[i].seq = i;
        }
        qsort(k, d->n, sizeof *k, diag_cmp);
        for (size_t i = 0; i < d->n; i++)
            sorted[i] = d->items[k[i].seq];
        free(d->items);
        d->items = sorted;
        d->cap = d->n;
        sorted = NULL;
    }
    /* Without memory to sort, the problems stay in the walk's order. */
    free(sorted);
    free(k);
    size_t more = d->dropped;
    if (d->n > GPB__SC_MAX_REPORTED) {
        more += d->n - GPB__SC_MAX_REPORTED;
        d->n = GPB__SC_MAX_REPORTED;
    }
    if (more && d->n) {
        /* The last place says how many more there were: problems when the
           load failed, warnings when it did not. */
        gpb__diag *x = &d->items[d->n - 1];
        gpb_status worst = L->limit_hit ? GPB_ELIMIT : GPB_ESCHEMA;
        if (L->errors)
            x->severity = GPB_SEVERITY_ERROR;
        else
            worst = GPB_ERANGE;
        gpb__fail_at(&x->e, worst, L->source, 0, 0, "",
                     "%zu more %s not shown; fix the ones above first",
                     more + 1, L->errors ? "problems" : "warnings");
    }
}

/* ------------------------------------------------------------------------ */
/* Small helpers: paths, node descriptions, mapping access                   */
/* ------------------------------------------------------------------------ */

typedef char gpb__pathbuf[GPB_ERROR_PATH_MAX];

/* Appends text to the path in out (of GPB_ERROR_PATH_MAX bytes), cutting
   it when it does not fit. */
static void path_append(char *out, const char *text)
{
    size_t used = strlen(out), room = GPB_ERROR_PATH_MAX - 1 - used;
    size_t n = strlen(text);
    if (n > room)
        n = room;
    memcpy(out + used, text, n);
    out[used + n] = '\0';
}

void gpb__sc_path_key(char *out, const char *parent, const char *key)
{
    char tmp[GPB_ERROR_PATH_MAX];
    tmp[0] = '\0';
    path_append(tmp, parent ? parent : "");
    if (tmp[0])
        path_append(tmp, ".");
    path_append(tmp, key);
    memcpy(out, tmp, GPB_ERROR_PATH_MAX);
}

void gpb__sc_path_index(char *out, const char *parent, size_t i)
{
    char tmp[GPB_ERROR_PATH_MAX], num[32];
    tmp[0] = '\0';
    snprintf(num, sizeof num, "[%zu]", i);
    path_append(tmp, parent);
    path_append(tmp, num);
    memcpy(out, tmp, GPB_ERROR_PATH_MAX);
}

/* The last key of a path: "training[0].mfu" -> "mfu". */
static const char *path_leaf(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

/* Copies at most max bytes of s into buf without cutting a UTF-8
   character, adding "…" when it cut. */
const char *gpb__sc_clip(const char *s, char *buf, size_t size)
{
    size_t max = size > 8 ? size - 4 : 0, len = strlen(s);
    if (len <= max) {
        memcpy(buf, s, len + 1);
        return buf;
    }
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(buf, s, cut);
    memcpy(buf + cut, "\xE2\x80\xA6", 4); /* U+2026 and the NUL */
    return buf;
}

static const char *tag_name(gpb__ytag t)
{
    switch (t) {
    case GPB__YTAG_STR:
        return "!!str";
    case GPB__YTAG_INT:
        return "!!int";
    case GPB__YTAG_FLOAT:
        return "!!float";
    case GPB__YTAG_BOOL:
        return "!!bool";
    default:
        return NULL;
    }
}

/* "a list", "a mapping", "nothing (null)" or the scalar quoted, with its
   tag. */
const char *gpb__sc_found(const gpb__ynode *n, char *buf, size_t size)
{
    if (!n || n->kind != GPB__Y_SCALAR || gpb__ynode_is_null(n))
        return gpb__ynode_describe(n);
    char clipped[72];
    const char *tag = tag_name(n->tag);
    snprintf(buf, size, "'%s'%s%s",
             gpb__sc_clip(n->text, clipped, sizeof clipped),
             tag ? " tagged " : "", tag ? tag : "");
    return buf;
}

int gpb__sc_is_text(const gpb__ynode *n)
{
    return n && n->kind == GPB__Y_SCALAR && !gpb__ynode_is_null(n) &&
           (n->tag == GPB__YTAG_NONE || n->tag == GPB__YTAG_STR);
}

int gpb__sc_is_qty(const gpb__ynode *n)
{
    return gpb__sc_is_text(n) ||
           (n && n->kind == GPB__Y_SCALAR &&
            (n->tag == GPB__YTAG_INT || n->tag == GPB__YTAG_FLOAT));
}

/* The value of `key` in mapping m (the first, if the key is repeated), or
   NULL. *keynode, when not NULL, receives the key's node. */
const gpb__ynode *gpb__sc_get2(const gpb__ynode *m, const char *key,
                               const gpb__ynode **keynode)
{
    if (keynode)
        *keynode = NULL;
    if (!m || m->kind != GPB__Y_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < m->n_kids; i += 2) {
        const gpb__ynode *k = m->kids[i];
        if (k->kind == GPB__Y_SCALAR && strcmp(k->text, key) == 0) {
            if (keynode)
                *keynode = k;
            return m->kids[i + 1];
        }
    }
    return NULL;
}

const gpb__ynode *gpb__sc_get(const gpb__ynode *m, const char *key)
{
    return gpb__sc_get2(m, key, NULL);
}

static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && b[i] &&
           (a[i] | 0x20) == (b[i] | 0x20)) /* ASCII case folding */
        i++;
    return i;
}

/*
 * The nearest of names[] to `given` for a "did you mean" hint, or NULL when
 * none is near. In order of preference: one is a prefix of the other
 * ("probability" -> "probability_per_run"); an edit distance of at most 3
 * and under half the length of `given` (so "gpuz" suggests nothing rather
 * than "spot"); and, when `loose`, a shared prefix of at
 * least 3 characters ("gpu_count" -> "gpus"). Ties go to the smaller edit
 * distance. Names already used as keys of skip_map are not suggested.
 *
 * Cost: per name, an edit distance of at most 63 x 63 cells
 * (gpb__edit_distance cuts longer strings) plus the name's length, plus
 * the keys of skip_map when the name would win; all of it is charged to
 * the load's GPB__SC_HINT_BUDGET, and no hint is given once it is spent.
 */
const char *gpb__sc_nearest(gpb__loader *L, const char *given,
                            const char *const *names, size_t n,
                            const gpb__ynode *skip_map, int loose)
{
    const char *best = NULL;
    int best_tier = 3, best_d = 1 << 30;
    size_t glen = strlen(given), gcut = glen < 63 ? glen : 63;
    size_t skip_cost = skip_map ? skip_map->n_kids / 2 + 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const char *cand = names[i];
        size_t clen = strlen(cand), ccut = clen < 63 ? clen : 63;
        size_t cost = (gcut + 1) * (ccut + 1) + clen;
        if (L->hint_spent + cost > GPB__SC_HINT_BUDGET)
            return NULL;
        L->hint_spent += cost;
        int d = gpb__edit_distance(given, cand);
        size_t lcp = common_prefix(given, cand);
        int tier = 3;
        if (lcp >= 2 && (lcp == glen || lcp == clen))
            tier = 0;
        else if (d <= 3 && (size_t)d * 2 < glen)
            tier = 1;
        else if (loose && lcp >= 3)
            tier = 2;
        if (tier < best_tier || (tier == best_tier && tier < 3 && d < best_d)) {
            if (skip_map) {
                if (L->hint_spent + skip_cost > GPB__SC_HINT_BUDGET)
                    return NULL;
                L->hint_spent += skip_cost;
                if (gpb__sc_get(skip_map, cand))
                    continue;
            }
            best = tier < 3 ? cand : NULL;
            best_tier = tier;
            best_d = d;
        }
    }
    return best;
}

static int name_cmp(const void *pa, const void *pb)
{
    const gpb__sc_name *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    return a->i < b->i ? -1 : a->i > b->i;
}

void gpb__sc_names_sort(gpb__sc_name *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, name_cmp);
}

const gpb__sc_name *gpb__sc_names_find(const gpb__sc_name *v, size_t n,
                                       const char *name, int last)
{
    /* The first entry not below name (or above it, for last). */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].name, name);
        if (c < 0 || (last && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (last)
        return lo > 0 && strcmp(v[lo - 1].name, name) == 0 ? &v[lo - 1]
                                                           : NULL;
    return lo < n && strcmp(v[lo].name, name) == 0 ? &v[lo] : NULL;
}

size_t *gpb__sc_repeats(gpb__loader *L, const gpb__ynode *list,
                        const char *key)
{
    if (!list || list->kind != GPB__Y_SEQ || !list->n_kids)
        return NULL;
    size_t *first = malloc(list->n_kids * sizeof *first);
    gpb__sc_name *v = malloc(list->n_kids * sizeof *v);
    if (!first || !v) {
        free(first);
        free(v);
        L->nomem = 1;
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *t = gpb__sc_get(list->kids[i], key);
        first[i] = i;
        if (gpb__sc_is_text(t)) {
            v[n].name = t->text;
            v[n].i = i;
            v[n++].node = t;
        }
    }
    gpb__sc_names_sort(v, n);
    for (size_t j = 1, f = 0; j < n; j++) {
        if (strcmp(v[j].name, v[f].name) != 0)
            f = j;
        else
            first[v[j].i] = v[f].i;
    }
    free(v);
    return first;
}

void gpb__sc_check_unique(gpb__loader *L, const gpb__ynode *list,
                          const size_t *first, size_t i, const char *key,
                          const char *path, const char *what)
{
    if (!first || first[i] == i)
        return;
    const gpb__ynode *v = gpb__sc_get(list->kids[i], key);
    const gpb__ynode *o = gpb__sc_get(list->kids[first[i]], key);
    gpb__pathbuf kp;
    char fb[96];
    gpb__sc_path_key(kp, path, key);
    gpb__sc_report(L, GPB_ESCHEMA, v, kp,
                   "expected a unique %s, found '%s' again (first at line "
                   "%d)",
                   what, gpb__sc_clip(v->text, fb, sizeof fb), o->line);
}

void gpb__sc_join(const char *const *names, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int w =
            snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

size_t gpb__sc_count_names(const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    return n;
}

/* A schema key matches itself; one ending in '*' matches any key with that
   prefix ("x-*": the top level's free keys, a place for YAML anchors). */
static int key_matches(const char *schema_key, const char *key)
{
    size_t n = strlen(schema_key);
    if (n && schema_key[n - 1] == '*')
        return strncmp(schema_key, key, n - 1) == 0;
    return strcmp(schema_key, key) == 0;
}

/* A key is read as text, "null" and "~" too, unless a tag other than
   !!str says otherwise. */
static int is_key_text(const gpb__ynode *k)
{
    return k->kind == GPB__Y_SCALAR &&
           (k->tag == GPB__YTAG_NONE || k->tag == GPB__YTAG_STR);
}

/*
 * Checks that node is a mapping whose keys are all in `keys` (NULL-ended),
 * none repeated and none a collection. Reports each problem; returns 1 when
 * node is a mapping (its known keys can then be read), else 0.
 *
 * The walk reaches a mapping once per alias of it. The node remembers the
 * key list it was last checked against and whether its own problems
 * (repeated keys, keys that are not text) were reported, so a mapping
 * aliased a thousand times costs one check, not a thousand, and its
 * problems are reported once, at their place in the file. Repeats are
 * found by sorting the keys: O(K log K) comparisons, K <= 100.
 */
int gpb__sc_check_map(gpb__loader *L, const gpb__ynode *node, const char *path,
                      const char *what, const char *const *keys)
{
    char fb[96];
    if (!node || node->kind != GPB__Y_MAP) {
        gpb__sc_report(L, GPB_ESCHEMA, node, path,
                       "expected %s (a mapping of key: value), found %s", what,
                       gpb__sc_found(node, fb, sizeof fb));
        return 0;
    }
    /* The tree belongs to this load; the marks are the walk's cache. */
    gpb__ynode *mark = (gpb__ynode *)node;
    int again = mark->walk_checked_as == (const void *)keys;
    int first_visit = !mark->walk_dups_checked;
    mark->walk_checked_as = keys;
    mark->walk_dups_checked = 1;
    size_t pairs = node->n_kids / 2, nk = gpb__sc_count_names(keys);
    if (pairs > GPB__SC_MAX_MAP_KEYS) {
        if (first_visit)
            gpb__sc_report(L, GPB_ELIMIT, node, path,
                           "this mapping has %zu keys; at most %d are "
                           "allowed",
                           pairs, GPB__SC_MAX_MAP_KEYS);
        return 0;
    }
    if (again)
        return 1;

    /* Text keys sorted, to find repeats: first[i] is the earliest key
       with key i's text (i itself when it is the first). */
    gpb__sc_name sorted[GPB__SC_MAX_MAP_KEYS];
    size_t first[GPB__SC_MAX_MAP_KEYS], ns = 0;
    for (size_t i = 0; i < pairs; i++) {
        const gpb__ynode *k = node->kids[2 * i];
        first[i] = i;
        if (is_key_text(k)) {
            sorted[ns].name = k->text;
            sorted[ns].i = i;
            sorted[ns++].node = k;
        }
    }
    gpb__sc_names_sort(sorted, ns);
    for (size_t j = 1, f = 0; j < ns; j++) {
        if (strcmp(sorted[j].name, sorted[f].name) != 0)
            f = j;
        else
            first[sorted[j].i] = sorted[f].i;
    }

    for (size_t i = 0; i < pairs; i++) {
        const gpb__ynode *k = node->kids[2 * i];
        if (!is_key_text(k)) {
            if (first_visit)
                gpb__sc_report(L, GPB_ESCHEMA, k, path,
                               "expected a key name, found %s",
                               k->kind == GPB__Y_SCALAR
                                   ? gpb__sc_found(k, fb, sizeof fb)
                                   : gpb__ynode_describe(k));
            continue;
        }
        gpb__pathbuf kp;
        gpb__sc_path_key(kp, path, k->text);
        if (first[i] != i) {
            if (first_visit)
                gpb__sc_report(L, GPB_ESCHEMA, k, kp,
                               "duplicate key '%s' (first given at line %d)",
                               gpb__sc_clip(k->text, fb, sizeof fb),
                               node->kids[2 * first[i]]->line);
            continue;
        }
        size_t j = 0;
        while (j < nk && !key_matches(keys[j], k->text))
            j++;
        if (j < nk)
            continue;
        if (L->d->n >= GPB__SC_MAX_COLLECTED) {
            L->d->dropped++; /* no room: spare the hint and the list */
            continue;
        }
        if (strcmp(k->text, "<<") == 0) {
            gpb__sc_report(L, GPB_ESCHEMA, k, kp,
                           "YAML merge keys ('<<') are not supported; write "
                           "the keys out, or alias the whole mapping");
            continue;
        }
        const char *hint = gpb__sc_nearest(L, k->text, keys, nk, node, 1);
        if (hint) {
            gpb__sc_report(L, GPB_ESCHEMA, k, kp,
                           "unknown key '%s'; did you mean '%s'?",
                           gpb__sc_clip(k->text, fb, sizeof fb), hint);
        } else {
            /* A trailing pattern ("x-*") is said in words. */
            int free_keys = nk && keys[nk - 1][strlen(keys[nk - 1]) - 1] == '*';
            char list[400];
            gpb__sc_join(keys, nk - (size_t)free_keys, list, sizeof list);
            if (free_keys)
                snprintf(list + strlen(list), sizeof list - strlen(list),
                         ", or any key starting with 'x-' (ignored)");
            gpb__sc_report(L, GPB_ESCHEMA, k, kp,
                           "unknown key '%s'; expected one of: %s",
                           gpb__sc_clip(k->text, fb, sizeof fb), list);
        }
    }
    return 1;
}

void gpb__sc_missing(gpb__loader *L, const gpb__ynode *map, const char *parent,
                     const char *key, const char *what)
{
    gpb__pathbuf p;
    gpb__sc_path_key(p, parent, key);
    gpb__sc_report(L, GPB_ESCHEMA, map, p, "missing required key '%s' (%s)",
                   key, what);
}

/* A list under `key` of mapping m: NULL when absent (or reported). */
const gpb__ynode *gpb__sc_list(gpb__loader *L, const gpb__ynode *m,
                               const char *parent, const char *key,
                               const char *what)
{
    const gpb__ynode *v = gpb__sc_get(m, key);
    if (!v)
        return NULL;
    gpb__pathbuf p;
    gpb__sc_path_key(p, parent, key);
    char fb[96];
    if (gpb__ynode_is_null(v))
        return NULL; /* "training:" with nothing under it: an empty list */
    if (v->kind != GPB__Y_SEQ) {
        gpb__sc_report(L, GPB_ESCHEMA, v, p, "expected a list of %s, found %s",
                       what, gpb__sc_found(v, fb, sizeof fb));
        return NULL;
    }
    if (v->n_kids > GPB__MAX_LIST_ITEMS) {
        gpb__sc_report(L, GPB_ELIMIT, v, p,
                       "this list has %zu entries; at most %d are allowed",
                       v->n_kids, GPB__MAX_LIST_ITEMS);
        return NULL;
    }
    return v;
}

/* Text under `key`: a new copy, or NULL when absent or reported. */
char *gpb__sc_str(gpb__loader *L, const gpb__ynode *m, const char *parent,
                  const char *key, int required, const char *what)
{
    const gpb__ynode *v = gpb__sc_get(m, key);
    if (!v) {
        if (required)
            gpb__sc_missing(L, m, parent, key, what);
        return NULL;
    }
    if (!gpb__sc_is_text(v)) {
        gpb__pathbuf p;
        char fb[96];
        gpb__sc_path_key(p, parent, key);
        gpb__sc_report(L, GPB_ESCHEMA, v, p, "expected %s, found %s", what,
                       gpb__sc_found(v, fb, sizeof fb));
        return NULL;
    }
    char *copy = gpb__strdup(v->text);
    if (!copy)
        L->nomem = 1;
    return copy;
}

/* A yes/no value; dflt when absent. */
int gpb__sc_bool(gpb__loader *L, const gpb__ynode *m, const char *parent,
                 const char *key, int dflt)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    const gpb__ynode *v = gpb__sc_get(m, key);
    if (!v)
        return dflt;
    if (v->kind == GPB__Y_SCALAR && !gpb__ynode_is_null(v) &&
        (v->tag == GPB__YTAG_NONE || v->tag == GPB__YTAG_BOOL)) {
        for (size_t i = 0; i < 3; i++) {
            if (gpb__strcasecmp(v->text, yes[i]) == 0)
                return 1;
            if (gpb__strcasecmp(v->text, no[i]) == 0)
                return 0;
        }
    }
    gpb__pathbuf p;
    char fb[96];
    gpb__sc_path_key(p, parent, key);
    gpb__sc_report(L, GPB_ESCHEMA, v, p, "expected true or false, found %s",
                   gpb__sc_found(v, fb, sizeof fb));
    return dflt;
}

/* ------------------------------------------------------------------------ */
/* Values: quantities and distributions                                      */
/* ------------------------------------------------------------------------ */

/* The role of one distribution argument. */
enum role {
    R_VALUE, /* in the key's unit, may carry the key's currency */
    R_SCALE, /* a spread in the key's unit (sd, gamma scale) */
    R_PLAIN, /* a bare number: shapes, weights, probabilities, log-scale */
    R_BOUND  /* a truncation bound: as R_VALUE, or YAML's .inf / -.inf */
};

static const char *kind_phrase(gpb_qty_kind k)
{
    switch (k) {
    case GPB_QTY_NUMBER:
        return "a number";
    case GPB_QTY_MONEY:
        return "an amount of money";
    case GPB_QTY_DURATION:
        return "a duration";
    case GPB_QTY_MONEY_PER_HOUR:
        return "a price per hour";
    case GPB_QTY_MONEY_PER_KWH:
        return "a price per kWh";
    case GPB_QTY_MONEY_PER_MTOKEN:
        return "a price per million tokens";
    case GPB_QTY_BYTES:
        return "a size in bytes";
    default:
        return "a quantity";
    }
}

/* Accumulates the currency of a distribution's arguments. */
typedef struct curacc {
    gpb_currency cur;
    int conflict;
} curacc;

/*
 * Why a money-per-hour rate is one key sp must not take, into msg, and 1;
 * 0 when it may: a price per GPU for a wage or a bill per month or year,
 * or for a CPU's price; a rate per hour or day for a wage (GPB__V_WAGE); a
 * rate per day or longer that names no GPU for a machine's price per hour
 * (gpb__rate_is_hourly_price). "$200k/GPU-hour"
 * as a salary was $200k an hour, and "$200k/year" as a rent $22.82 a
 * GPU-hour, both loaded (a review).
 */
static int rate_refused(const char *text, const gpb__vspec *sp,
                        const gpb__rate_basis *rate, char *msg, size_t n)
{
    char tb[96];
    int machine = sp->kind == GPB_QTY_MONEY_PER_HOUR;
    int per_time = sp->kind == GPB_QTY_MONEY && sp->per_hour > 0;
    if (rate->per_gpu && (per_time || (sp->flags & GPB__V_NOT_GPU))) {
        snprintf(msg, n, "expected %s, found a price per GPU '%s'",
                 sp->expect, gpb__sc_clip(text, tb, sizeof tb));
        return 1;
    }
    /* A week is 168 hours: a rate per week or longer is a wage's. */
    if ((sp->flags & GPB__V_WAGE) && rate->unit_hours > 0 &&
        rate->unit_hours < 168) {
        snprintf(msg, n,
                 "expected %s, found a wage per %s '%s': the key does not "
                 "hold the hours worked; write it per year or per month (a "
                 "40-hour week is 2,080 hours a year)",
                 sp->expect, gpb__rate_period(rate),
                 gpb__sc_clip(text, tb, sizeof tb));
        return 1;
    }
    if (machine && !gpb__rate_is_hourly_price(rate)) {
        snprintf(msg, n,
                 "expected %s, found a rate per %s that names no GPU '%s': "
                 "%s",
                 sp->expect, gpb__rate_period(rate),
                 gpb__sc_clip(text, tb, sizeof tb),
                 (sp->flags & GPB__V_NOT_GPU)
                     ? GPB__CPU_RATE_HINT
                     : GPB__GPU_RATE_HINT);
        return 1;
    }
    return 0;
}

int gpb__sc_convert(const gpb__vspec *sp, const char *text, double *v,
                    gpb_currency *cur, char *msg, size_t n)
{
    gpb_error e;
    char tb[96];
    memset(&e, 0, sizeof e);
    gpb_quantity q;
    gpb__rate_basis rate;
    if (gpb__units_parse_rate(text, &q, &rate, &e) != GPB_OK) {
        snprintf(msg, n, "expected %s, found '%s' (%s)", sp->expect,
                 gpb__sc_clip(text, tb, sizeof tb), e.message);
        return -1;
    }
    double x = q.value;
    gpb_currency c = q.currency;
    int ok = q.kind == sp->kind;
    if (q.kind == GPB_QTY_MONEY_PER_HOUR &&
        rate_refused(text, sp, &rate, msg, n))
        return -1;
    if (!ok && q.kind == GPB_QTY_NUMBER) {
        if (sp->kind == GPB_QTY_DURATION) {
            ok = 1; /* a bare number is in the key's unit, hours */
        } else if (sp->kind == GPB_QTY_MONEY ||
                   sp->kind == GPB_QTY_MONEY_PER_HOUR) {
            /* A bare amount ("5000", "4.6M") takes the scenario's currency;
               a count or a percentage is not money. */
            gpb_quantity m;
            gpb_error me;
            memset(&me, 0, sizeof me);
            ok = gpb_units_parse_as(text, GPB_QTY_MONEY, &m, &me) == GPB_OK;
            c = GPB_CURRENCY_NONE;
            if (!ok && me.status == GPB_ERANGE) {
                /* Money, but out of range ("-3"): say why, as for "-$3". */
                snprintf(msg, n, "expected %s, found '%s' (%s)", sp->expect,
                         gpb__sc_clip(text, tb, sizeof tb), me.message);
                return -1;
            }
        }
    } else if (!ok && q.kind == GPB_QTY_DURATION && sp->from_hours > 0) {
        x *= sp->from_hours;
        ok = 1;
    } else if (!ok && q.kind == GPB_QTY_MONEY_PER_HOUR &&
               sp->kind == GPB_QTY_MONEY && sp->per_hour > 0) {
        x *= sp->per_hour;
        ok = 1;
    } else if (!ok && q.kind == GPB_QTY_MONEY &&
               sp->kind == GPB_QTY_MONEY_PER_HOUR) {
        ok = 1; /* the key says "per hour": "$2.5" is $2.5 an hour */
    }
    if (!ok) {
        snprintf(msg, n, "expected %s, found %s '%s'", sp->expect,
                 kind_phrase(q.kind), gpb__sc_clip(text, tb, sizeof tb));
        return -1;
    }
    *v = x;
    *cur = gpb_qty_kind_is_money(sp->kind) ? c : GPB_CURRENCY_NONE;
    return 0;
}

/*
 * Reads one scalar text as a quantity for spec sp in role r, converting to
 * the key's unit. On success sets *v and merges the currency into acc (which
 * may be NULL for a lone value: then *cur_out gets it). Returns 0, or -1
 * after reporting.
 */
static int read_qty(gpb__loader *L, const gpb__ynode *node, const char *text,
                    const gpb__vspec *sp, enum role r, const char *path,
                    double *v, curacc *acc)
{
    gpb_error e;
    char tb[96], msg[GPB_ERROR_MESSAGE_MAX];
    memset(&e, 0, sizeof e);
    if (r == R_PLAIN) {
        double x;
        if (gpb_units_parse_number(text, &x, &e) != GPB_OK) {
            gpb__sc_report(L, GPB_ESCHEMA, node, path,
                           "expected a plain number, found '%s' (%s)",
                           gpb__sc_clip(text, tb, sizeof tb), e.message);
            return -1;
        }
        *v = x;
        return 0;
    }
    double x;
    gpb_currency cur;
    if (gpb__sc_convert(sp, text, &x, &cur, msg, sizeof msg)) {
        gpb__sc_report(L, GPB_ESCHEMA, node, path, "%s", msg);
        return -1;
    }
    if (cur != GPB_CURRENCY_NONE && acc) {
        if (acc->cur == GPB_CURRENCY_NONE) {
            acc->cur = cur;
        } else if (acc->cur != cur && !acc->conflict) {
            acc->conflict = 1;
            gpb__sc_report(L, GPB_ESCHEMA, node, path,
                           "expected every amount of one distribution in one "
                           "currency, found %s and %s",
                           gpb_currency_code(acc->cur), gpb_currency_code(cur));
            return -1;
        }
    }
    *v = x;
    return 0;
}

/* A distribution argument given as a node: must be a scalar. */
static int read_arg(gpb__loader *L, const gpb__ynode *node,
                    const gpb__vspec *sp, enum role r, const char *path,
                    double *v, curacc *acc)
{
    char fb[96];
    if (!gpb__sc_is_qty(node)) {
        gpb__sc_report(L, GPB_ESCHEMA, node, path, "expected %s, found %s",
                       r == R_PLAIN ? "a plain number" : sp->expect,
                       gpb__sc_found(node, fb, sizeof fb));
        return -1;
    }
    if (r == R_BOUND && (node->plain || node->tag == GPB__YTAG_FLOAT)) {
        /* YAML 1.2's infinities: an open side of a truncated normal. */
        static const char *const inf[] = {".inf",  ".Inf",  ".INF",
                                          "+.inf", "+.Inf", "+.INF"};
        for (size_t i = 0; i < 6; i++) {
            if (strcmp(node->text, inf[i]) == 0) {
                *v = INFINITY;
                return 0;
            }
            if (node->text[0] == '-' && strcmp(node->text + 1, inf[i]) == 0) {
                *v = -INFINITY;
                return 0;
            }
        }
    }
    return read_qty(L, node, node->text, sp, r == R_BOUND ? R_VALUE : r, path,
                    v, acc);
}

/* How each kind's arguments are written. ONE: a single value
   ({poisson: 3}); ARGS: a list in this order or a mapping with these
   names. */
enum dform { D_ONE, D_ARGS, D_CHOICE, D_SAMPLES };

typedef struct dkind {
    gpb_dist_kind kind;
    enum dform form;
    int n_req, n_max; /* list lengths allowed: n_req or n_max */
    const char *names[5];
    enum role roles[4];
} dkind;

/* clang-format off */
static const dkind DKINDS[] = {
    {GPB_DIST_FIXED, D_ONE, 1, 1, {"value", NULL}, {R_VALUE}},
    {GPB_DIST_UNIFORM, D_ARGS, 2, 2, {"lo", "hi", NULL}, {R_VALUE, R_VALUE}},
    {GPB_DIST_NORMAL, D_ARGS, 2, 4, {"mean", "sd", "min", "max", NULL},
     {R_VALUE, R_SCALE, R_BOUND, R_BOUND}},
    {GPB_DIST_LOGNORMAL, D_ARGS, 2, 2, {"mu", "sigma", NULL},
     {R_PLAIN, R_PLAIN}},
    {GPB_DIST_LOGNORMAL90, D_ARGS, 2, 2, {"lo", "hi", NULL},
     {R_VALUE, R_VALUE}},
    {GPB_DIST_TRIANGULAR, D_ARGS, 3, 3, {"min", "mode", "max", NULL},
     {R_VALUE, R_VALUE, R_VALUE}},
    {GPB_DIST_PERT, D_ARGS, 3, 4, {"min", "mode", "max", "lambda", NULL},
     {R_VALUE, R_VALUE, R_VALUE, R_PLAIN}},
    {GPB_DIST_BETA, D_ARGS, 2, 4, {"a", "b", "min", "max", NULL},
     {R_PLAIN, R_PLAIN, R_VALUE, R_VALUE}},
    {GPB_DIST_GAMMA, D_ARGS, 2, 2, {"shape", "scale", NULL},
     {R_PLAIN, R_SCALE}},
    {GPB_DIST_POISSON, D_ONE, 1, 1, {"lambda", NULL}, {R_VALUE}},
    {GPB_DIST_BERNOULLI, D_ONE, 1, 1, {"p", NULL}, {R_PLAIN}},
    {GPB_DIST_CHOICE, D_CHOICE, 1, 1, {"values", "weights", NULL}, {0}},
    {GPB_DIST_SAMPLES, D_SAMPLES, 1, 1, {NULL}, {0}},
};
/* clang-format on */
#define N_DKINDS (sizeof DKINDS / sizeof DKINDS[0])

static const char *const DIST_NAMES[] = {
    "fixed",      "uniform", "normal",  "lognormal", "lognormal90",
    "triangular", "pert",    "beta",    "gamma",     "poisson",
    "bernoulli",  "choice",  "samples", NULL};

/* Reads a list of values (choice values, samples) into a new array. */
static double *read_values(gpb__loader *L, const gpb__ynode *list,
                           const gpb__vspec *sp, enum role r, const char *path,
                           size_t *n, curacc *acc, const char *what)
{
    char fb[96];
    if (!list || list->kind != GPB__Y_SEQ || list->n_kids == 0) {
        gpb__sc_report(L, GPB_ESCHEMA, list, path,
                       "expected a non-empty list of %s, found %s", what,
                       list && list->kind == GPB__Y_SEQ
                           ? "an empty list"
                           : gpb__sc_found(list, fb, sizeof fb));
        return NULL;
    }
    if (list->n_kids > GPB__MAX_LIST_ITEMS) {
        gpb__sc_report(L, GPB_ELIMIT, list, path,
                       "this list has %zu entries; at most %d are allowed",
                       list->n_kids, GPB__MAX_LIST_ITEMS);
        return NULL;
    }
    double *v = malloc(list->n_kids * sizeof *v);
    if (!v) {
        L->nomem = 1;
        return NULL;
    }
    int bad = 0;
    for (size_t i = 0; i < list->n_kids; i++) {
        gpb__pathbuf ip;
        gpb__sc_path_index(ip, path, i);
        if (read_arg(L, list->kids[i], sp, r, ip, &v[i], acc))
            bad = 1;
    }
    if (bad) {
        free(v);
        return NULL;
    }
    *n = list->n_kids;
    return v;
}

/* The choice form [[value, weight], ...]: fills new arrays *v and *w. */
static int read_pairs(gpb__loader *L, const gpb__ynode *list,
                      const gpb__vspec *sp, const char *path, double **v,
                      double **w, size_t *n, curacc *acc)
{
    char fb[96];
    if (list->n_kids > GPB__MAX_LIST_ITEMS) {
        gpb__sc_report(L, GPB_ELIMIT, list, path,
                       "this list has %zu entries; at most %d are allowed",
                       list->n_kids, GPB__MAX_LIST_ITEMS);
        return -1;
    }
    *v = malloc(list->n_kids * sizeof **v);
    *w = malloc(list->n_kids * sizeof **w);
    if (!*v || !*w) {
        L->nomem = 1;
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < list->n_kids; i++) {
        const gpb__ynode *pair = list->kids[i];
        gpb__pathbuf ip, vp, wp;
        gpb__sc_path_index(ip, path, i);
        if (pair->kind != GPB__Y_SEQ || pair->n_kids != 2) {
            gpb__sc_report(L, GPB_ESCHEMA, pair, ip,
                           "expected a [value, weight] pair, found %s",
                           pair->kind == GPB__Y_SEQ
                               ? "a list of another length"
                               : gpb__sc_found(pair, fb, sizeof fb));
            bad = 1;
            continue;
        }
        gpb__sc_path_index(vp, ip, 0);
        gpb__sc_path_index(wp, ip, 1);
        if (read_arg(L, pair->kids[0], sp, R_VALUE, vp, &(*v)[i], acc) ||
            read_arg(L, pair->kids[1], sp, R_PLAIN, wp, &(*w)[i], NULL))
            bad = 1;
    }
    *n = list->n_kids;
    return bad ? -1 : 0;
}

static int build_choice(gpb__loader *L, const gpb__ynode *arg,
                        const gpb__vspec *sp, const char *path, gpb_dist *out,
                        curacc *acc, gpb_error *e)
{
    static const char *const keys[] = {"values", "weights", NULL};
    const gpb__ynode *vals = arg, *wts = NULL;
    gpb__pathbuf vp, wp;
    snprintf(vp, sizeof vp, "%s", path);
    if (arg->kind == GPB__Y_MAP) {
        if (!gpb__sc_check_map(L, arg, path, "a choice", keys))
            return -1;
        vals = gpb__sc_get(arg, "values");
        wts = gpb__sc_get(arg, "weights");
        gpb__sc_path_key(vp, path, "values");
        gpb__sc_path_key(wp, path, "weights");
        if (!vals) {
            gpb__sc_missing(L, arg, path, "values",
                            "the values to choose from");
            return -1;
        }
    }
    size_t n = 0, nw = 0;
    double *v = NULL, *w = NULL;
    int rc;
    if (arg->kind == GPB__Y_SEQ && arg->n_kids > 0 &&
        arg->kids[0]->kind == GPB__Y_SEQ) {
        rc = read_pairs(L, arg, sp, path, &v, &w, &n, acc);
    } else {
        v = read_values(L, vals, sp, R_VALUE, vp, &n, acc, "values");
        rc = v ? 0 : -1;
    }
    if (wts) {
        w = read_values(L, wts, sp, R_PLAIN, wp, &nw, NULL, "weights");
        if (!w)
            rc = -1;
        else if (v && nw != n) {
            gpb__sc_report(L, GPB_ESCHEMA, wts, wp,
                           "expected %zu weights (one per value), found %zu", n,
                           nw);
            rc = -1;
        }
    }
    if (rc == 0 && gpb_dist_choice(v, w, n, out, e) != GPB_OK)
        rc = 1; /* the constructor's message is reported by the caller */
    free(v);
    free(w);
    return rc;
}

/* Fills a[] from a list or a mapping of named arguments. Returns the number
   of arguments read (missing optional ones are NAN), or -1. */
static int read_args(gpb__loader *L, const dkind *k, const gpb__ynode *arg,
                     const gpb__vspec *sp, const char *path, double a[4],
                     curacc *acc)
{
    char fb[96], form[160];
    int nmax = k->n_max, bad = 0;
    for (int i = 0; i < 4; i++)
        a[i] = NAN;
    if (k->form == D_ONE) {
        if (read_arg(L, arg, sp, k->roles[0], path, &a[0], acc))
            return -1;
        return 1;
    }
    if (arg->kind == GPB__Y_SEQ) {
        int n = (int)(arg->n_kids < 16 ? arg->n_kids : 16);
        if (n != k->n_req && n != k->n_max) {
            int w = snprintf(form, sizeof form, "[");
            for (int i = 0; i < k->n_req; i++)
                w += snprintf(form + w, sizeof form - (size_t)w, "%s%s",
                              i ? ", " : "", k->names[i]);
            w += snprintf(form + w, sizeof form - (size_t)w, "]");
            if (k->n_max != k->n_req) {
                w += snprintf(form + w, sizeof form - (size_t)w, " or [");
                for (int i = 0; i < k->n_max; i++)
                    w += snprintf(form + w, sizeof form - (size_t)w, "%s%s",
                                  i ? ", " : "", k->names[i]);
                snprintf(form + w, sizeof form - (size_t)w, "]");
            }
            gpb__sc_report(L, GPB_ESCHEMA, arg, path,
                           "expected %s: %s, found a list of %zu values",
                           gpb_dist_kind_name(k->kind), form, arg->n_kids);
            return -1;
        }
        for (int i = 0; i < n; i++) {
            gpb__pathbuf ip;
            gpb__sc_path_index(ip, path, (size_t)i);
            if (read_arg(L, arg->kids[i], sp, k->roles[i], ip, &a[i], acc))
                bad = 1;
        }
        return bad ? -1 : n;
    }
    if (arg->kind == GPB__Y_MAP) {
        char what[48];
        snprintf(what, sizeof what, "%s parameters",
                 gpb_dist_kind_name(k->kind));
        if (!gpb__sc_check_map(L, arg, path, what, k->names))
            return -1;
        for (int i = 0; i < nmax; i++) {
            const gpb__ynode *v = gpb__sc_get(arg, k->names[i]);
            gpb__pathbuf ip;
            gpb__sc_path_key(ip, path, k->names[i]);
            if (!v) {
                if (i < k->n_req) {
                    gpb__sc_missing(L, arg, path, k->names[i],
                                    "a parameter of this distribution");
                    bad = 1;
                }
                continue;
            }
            if (read_arg(L, v, sp, k->roles[i], ip, &a[i], acc))
                bad = 1;
        }
        return bad ? -1 : nmax;
    }
    gpb__sc_report(L, GPB_ESCHEMA, arg, path,
                   "expected the parameters of %s as a "
                   "list or a mapping, found %s",
                   gpb_dist_kind_name(k->kind),
                   gpb__sc_found(arg, fb, sizeof fb));
    return -1;
}

/* Calls the constructor for kind k with arguments a (NAN = not given).
   Returns the constructor's status; problems the constructor would not see
   are reported here with -1 in *own. */
static gpb_status construct(const dkind *k, const double a[4], gpb_dist *out,
                            gpb_error *e)
{
    switch (k->kind) {
    case GPB_DIST_FIXED:
        return gpb_dist_fixed(a[0], out, e);
    case GPB_DIST_UNIFORM:
        return gpb_dist_uniform(a[0], a[1], out, e);
    case GPB_DIST_NORMAL:
        if (isnan(a[2]) && isnan(a[3]))
            return gpb_dist_normal(a[0], a[1], out, e);
        return gpb_dist_normal_truncated(a[0], a[1],
                                         isnan(a[2]) ? -INFINITY : a[2],
                                         isnan(a[3]) ? INFINITY : a[3], out, e);
    case GPB_DIST_LOGNORMAL:
        return gpb_dist_lognormal(a[0], a[1], out, e);
    case GPB_DIST_LOGNORMAL90:
        return gpb_dist_lognormal90(a[0], a[1], out, e);
    case GPB_DIST_TRIANGULAR:
        return gpb_dist_triangular(a[0], a[1], a[2], out, e);
    case GPB_DIST_PERT:
        if (isnan(a[3]))
            return gpb_dist_pert(a[0], a[1], a[2], out, e);
        return gpb_dist_pert_lambda(a[0], a[1], a[2], a[3], out, e);
    case GPB_DIST_BETA:
        if (isnan(a[2]) && isnan(a[3]))
            return gpb_dist_beta(a[0], a[1], out, e);
        if (isnan(a[2]) || isnan(a[3]))
            return gpb__fail(e, GPB_EINVAL,
                             "beta: give both min and max, or neither");
        return gpb_dist_beta_scaled(a[0], a[1], a[2], a[3], out, e);
    case GPB_DIST_GAMMA:
        return gpb_dist_gamma(a[0], a[1], out, e);
    case GPB_DIST_POISSON:
        return gpb_dist_poisson(a[0], out, e);
    case GPB_DIST_BERNOULLI:
        return gpb_dist_bernoulli(a[0], out, e);
    default:
        return gpb__fail(e, GPB_EINVAL, "unsupported distribution");
    }
}

/*
 * Parses a distribution written as a one-key mapping ({pert: [a, b, c]}).
 * Returns 0 with *out built and *cur its currency (NONE when no argument
 * named one), or -1 after reporting.
 */
static int parse_dist(gpb__loader *L, const gpb__ynode *node,
                      const gpb__vspec *sp, const char *path, gpb_dist *out,
                      gpb_currency *cur)
{
    char fb[96];
    size_t pairs = node->n_kids / 2;
    if (pairs != 1) {
        if (pairs == 0) {
            gpb__sc_report(
                L, GPB_ESCHEMA, node, path,
                "expected %s or a distribution such as {uniform: [lo, "
                "hi]}, found an empty mapping",
                sp->expect);
        } else {
            const gpb__ynode *k1 = node->kids[0], *k2 = node->kids[2];
            char b2[96];
            gpb__sc_report(
                L, GPB_ESCHEMA, node, path,
                "expected a distribution as a mapping with one key (its "
                "kind), found %zu keys: %s, %s%s",
                pairs, gpb__sc_found(k1, fb, sizeof fb),
                gpb__sc_found(k2, b2, sizeof b2), pairs > 2 ? ", ..." : "");
        }
        return -1;
    }
    const gpb__ynode *key = node->kids[0], *arg = node->kids[1];
    if (!gpb__sc_is_text(key)) {
        gpb__sc_report(L, GPB_ESCHEMA, key, path,
                       "expected a distribution kind "
                       "such as 'uniform', found %s",
                       gpb__sc_found(key, fb, sizeof fb));
        return -1;
    }
    gpb_dist_kind kind;
    gpb__pathbuf dp;
    gpb__sc_path_key(dp, path, key->text);
    if (gpb_dist_kind_from_name(key->text, &kind) != GPB_OK) {
        const char *hint =
            gpb__sc_nearest(L, key->text, DIST_NAMES,
                            gpb__sc_count_names(DIST_NAMES), NULL, 1);
        char list[200];
        gpb__sc_join(DIST_NAMES, gpb__sc_count_names(DIST_NAMES), list,
                     sizeof list);
        if (hint)
            gpb__sc_report(L, GPB_ESCHEMA, key, path,
                           "unknown distribution '%s'; did you mean '%s'?",
                           gpb__sc_clip(key->text, fb, sizeof fb), hint);
        else
            gpb__sc_report(L, GPB_ESCHEMA, key, path,
                           "unknown distribution '%s'; expected one of: %s",
                           gpb__sc_clip(key->text, fb, sizeof fb), list);
        return -1;
    }
    const dkind *k = NULL;
    for (size_t i = 0; i < N_DKINDS; i++)
        if (DKINDS[i].kind == kind)
            k = &DKINDS[i];
    if (!k) {
        gpb__sc_report(L, GPB_ESCHEMA, key, path,
                       "distribution '%s' cannot be written in a scenario",
                       key->text);
        return -1;
    }
    curacc acc = {GPB_CURRENCY_NONE, 0};
    gpb_error e;
    memset(&e, 0, sizeof e);
    int rc;
    if (k->form == D_CHOICE) {
        rc = build_choice(L, arg, sp, dp, out, &acc, &e);
    } else if (k->form == D_SAMPLES) {
        size_t n = 0;
        double *v = read_values(L, arg, sp, R_VALUE, dp, &n, &acc, "samples");
        rc = v ? 0 : -1;
        if (v && gpb_dist_samples(v, n, out, &e) != GPB_OK)
            rc = 1;
        free(v);
    } else {
        double a[4];
        rc = read_args(L, k, arg, sp, dp, a, &acc) < 0 ? -1 : 0;
        if (rc == 0 && construct(k, a, out, &e) != GPB_OK)
            rc = 1;
    }
    if (rc == 1) {
        if (e.status == GPB_ENOMEM)
            L->nomem = 1;
        gpb__sc_report(L, e.status == GPB_ELIMIT ? GPB_ELIMIT : GPB_ESCHEMA,
                       arg, dp, "bad distribution parameters: %s", e.message);
    }
    if (rc) {
        gpb_dist_free(out);
        return -1;
    }
    *cur = acc.cur;
    return 0;
}

static void range_text(const gpb__vspec *sp, char *buf, size_t n)
{
    int lo = isfinite(sp->lo), hi = isfinite(sp->hi);
    if (lo && hi)
        snprintf(buf, n, "in %c%g, %g%c",
                 sp->flags & GPB__V_LO_OPEN ? '(' : '[', sp->lo, sp->hi,
                 sp->flags & GPB__V_HI_OPEN ? ')' : ']');
    else if (lo)
        snprintf(buf, n, "%s %g",
                 sp->flags & GPB__V_LO_OPEN ? ">" : ">=", sp->lo);
    else if (hi)
        snprintf(buf, n, "%s %g",
                 sp->flags & GPB__V_HI_OPEN ? "<" : "<=", sp->hi);
    else
        snprintf(buf, n, "that is finite");
}

static int below_lo(const gpb__vspec *sp, double x)
{
    return sp->flags & GPB__V_LO_OPEN ? !(x > sp->lo) : !(x >= sp->lo);
}

static int above_hi(const gpb__vspec *sp, double x)
{
    return sp->flags & GPB__V_HI_OPEN ? !(x < sp->hi) : !(x <= sp->hi);
}

gpb_status gpb__sc_range_check(const gpb__vspec *sp, double x, char *rt,
                               size_t n)
{
    range_text(sp, rt, n);
    if (!below_lo(sp, x) && !above_hi(sp, x))
        return GPB_OK;
    return (sp->flags & GPB__V_ELIMIT) && x > sp->hi ? GPB_ELIMIT
                                                     : GPB_ESCHEMA;
}

gpb_status gpb__sc_read(const gpb__vspec *sp, const char *text,
                        const char *path, double *v, gpb_currency *cur,
                        gpb_error *err)
{
    char msg[GPB_ERROR_MESSAGE_MAX];
    gpb_currency c;
    double x;
    if (gpb__sc_convert(sp, text, &x, &c, msg, sizeof msg))
        return gpb__fail_at(err, GPB_ESCHEMA, NULL, 0, 0, path, "%s", msg);
    *v = x;
    if (cur)
        *cur = c;
    return GPB_OK;
}

/*
 * Whether a key's values are fractions, and which ends of [0, 1] they may
 * take: the keys declared as numbers in [0, 1] (mfu, probabilities,
 * work_lost, utilization, discounts, shares, loan fractions), and the
 * fractions and rates whose range passes 1 that say so with
 * GPB__V_PCT_HINT or GPB__V_PCT_WARN (on_cost, annual rates, monthly
 * log-changes), for which 100 reads as 1. Other keys that may pass 1 (a
 * PUE, an exploration multiplier) never get the percentage hint.
 */
static int fraction_bounds(const gpb__vspec *sp, gpb_frac_bounds *b)
{
    if (sp->flags & (GPB__V_PCT_HINT | GPB__V_PCT_WARN)) {
        *b = GPB_FRAC_CLOSED;
        return 1;
    }
    if (sp->kind != GPB_QTY_NUMBER || sp->lo != 0 || sp->hi != 1)
        return 0;
    int lo = (sp->flags & GPB__V_LO_OPEN) != 0;
    int hi = (sp->flags & GPB__V_HI_OPEN) != 0;
    *b = lo && hi ? GPB_FRAC_OPEN
         : lo     ? GPB_FRAC_OPEN_LO
         : hi     ? GPB_FRAC_OPEN_HI
                  : GPB_FRAC_CLOSED;
    return 1;
}

/* Checks that every value d can take lies in the key's range (for a
   distribution: between its 1e-9 and 1 - 1e-9 quantiles). */
static int check_range(gpb__loader *L, const gpb__ynode *node,
                       const gpb__vspec *sp, const char *path,
                       const gpb_dist *d)
{
    char rt[64], fb[96];
    range_text(sp, rt, sizeof rt);
    if (d->kind == GPB_DIST_FIXED) {
        double x = d->param[0];
        char num[48], written[64] = "";
        /* Show the number when the text says it another way ("1e16",
           "150%"). */
        snprintf(num, sizeof num, "%g", x);
        if (!gpb__sc_is_qty(node) || strcmp(node->text, num) != 0)
            snprintf(written, sizeof written, " (= %s)", num);
        gpb_status st = gpb__sc_range_check(sp, x, rt, sizeof rt);
        if (st) {
            /* "mfu: 40" is 40% written without its sign: say so (the
               units layer words the hint for the CLI and cells too). */
            char hint[128] = "";
            gpb_frac_bounds b;
            if (fraction_bounds(sp, &b) && gpb__sc_is_text(node) &&
                gpb_units_fraction_hint(node->text, b, hint + 2,
                                        sizeof hint - 2) > 0)
                memcpy(hint, "; ", 2);
            gpb__sc_report(L, st, node, path, "expected %s %s, found %s%s%s",
                           sp->expect, rt, gpb__sc_found(node, fb, sizeof fb),
                           written, hint);
            return -1;
        }
        if ((sp->flags & GPB__V_INT) && x != floor(x)) {
            gpb__sc_report(L, GPB_ESCHEMA, node, path,
                           "expected a whole number, found %s%s",
                           gpb__sc_found(node, fb, sizeof fb), written);
            return -1;
        }
        /* "on_cost: 5" is in range, but five salaries of on-costs is 5%
           written without its sign far more often than it is meant. */
        char hint[128];
        gpb_frac_bounds b;
        if ((sp->flags & GPB__V_PCT_WARN) && x > 1 && gpb__sc_is_text(node) &&
            fraction_bounds(sp, &b) &&
            gpb_units_fraction_hint(node->text, b, hint, sizeof hint) > 0)
            gpb__sc_warn_at(L, node->line, node->column, path,
                            "%s means %g%%%s%s; %s",
                            gpb__sc_found(node, fb, sizeof fb), 100 * x,
                            sp->pct_note ? ": " : "",
                            sp->pct_note ? sp->pct_note : "", hint);
        return 0;
    }
    double lo = gpb_dist_quantile(d, GPB__SC_SUPPORT_TAIL);
    double hi = gpb_dist_quantile(d, 1.0 - GPB__SC_SUPPORT_TAIL);
    if (isinf(lo) || isinf(hi)) {
        /* Its tail overflows a double (a lognormal of mean log 800): not
           a matter of its shape, but of its size. */
        gpb__sc_report(
            L, GPB_ESCHEMA, node, path,
            "this distribution reaches %.3g \xE2\x80\xA6 %.3g, beyond the "
            "largest number (about 1.8e308): its parameters are far too "
            "large (a lognormal's are the mean and spread of the logarithm)",
            lo, hi);
        return -1;
    }
    if (!isfinite(lo) || !isfinite(hi) || below_lo(sp, lo) ||
        above_hi(sp, hi)) {
        const char *hint = isfinite(sp->lo) && isfinite(sp->hi)
                               ? "use a truncated normal, a beta or a pert"
                               : "use a lognormal, a truncated normal or "
                                 "a pert";
        gpb__sc_report(
            L, GPB_ESCHEMA, node, path,
            "%s must lie %s; this distribution reaches %.3g \xE2\x80\xA6 "
            "%.3g \xE2\x80\x94 %s",
            path_leaf(path), rt, lo, hi, hint);
        return -1;
    }
    return 0;
}

/*
 * Parses any value for spec sp: a quantity, "lo to hi", or a distribution.
 * Returns 0 with *out built and *cur set (the scenario's currency for a
 * money key written without one), or -1 after reporting.
 */
int gpb__sc_value(gpb__loader *L, const gpb__ynode *node, const gpb__vspec *sp,
                  const char *path, gpb_dist *out, gpb_currency *cur)
{
    char fb[96];
    memset(out, 0, sizeof *out);
    *cur = GPB_CURRENCY_NONE;
    int rc = -1;
    if (node->kind == GPB__Y_MAP && !(sp->flags & GPB__V_SCALAR)) {
        rc = parse_dist(L, node, sp, path, out, cur);
    } else if (!gpb__sc_is_qty(node)) {
        gpb__sc_report(L, GPB_ESCHEMA, node, path, "expected %s%s, found %s",
                       sp->expect,
                       sp->flags & GPB__V_SCALAR ? "" : " or a distribution",
                       gpb__sc_found(node, fb, sizeof fb));
    } else {
        const char *to =
            (sp->flags & GPB__V_SCALAR) ? NULL : strstr(node->text, " to ");
        curacc acc = {GPB_CURRENCY_NONE, 0};
        gpb_error e;
        memset(&e, 0, sizeof e);
        if (to) {
            /* "lo to hi": a lognormal with that 90% interval. */
            size_t n = (size_t)(to - node->text);
            char *lo_text = malloc(n + 1);
            double lo = 0, hi = 0;
            if (!lo_text) {
                L->nomem = 1;
                return -1;
            }
            memcpy(lo_text, node->text, n);
            lo_text[n] = '\0';
            if (!read_qty(L, node, lo_text, sp, R_VALUE, path, &lo, &acc) &&
                !read_qty(L, node, to + 4, sp, R_VALUE, path, &hi, &acc)) {
                if (gpb_dist_lognormal90(lo, hi, out, &e) == GPB_OK)
                    rc = 0;
                else
                    gpb__sc_report(L, GPB_ESCHEMA, node, path,
                                   "bad distribution parameters: %s",
                                   e.message);
            }
            free(lo_text);
        } else {
            double x;
            if (!read_qty(L, node, node->text, sp, R_VALUE, path, &x, &acc)) {
                if (gpb_dist_fixed(x, out, &e) == GPB_OK)
                    rc = 0;
                else
                    gpb__sc_report(L, GPB_ESCHEMA, node, path,
                                   "expected %s, found %s (%s)", sp->expect,
                                   gpb__sc_found(node, fb, sizeof fb),
                                   e.message);
            }
        }
        *cur = acc.cur;
    }
    if (rc)
        return -1;
    if (check_range(L, node, sp, path, out)) {
        gpb_dist_free(out);
        return -1;
    }
    if (gpb_qty_kind_is_money(sp->kind) && *cur == GPB_CURRENCY_NONE)
        *cur = L->s->currency;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Inputs                                                                    */
/* ------------------------------------------------------------------------ */

/* Appends an input, taking ownership of *d (freed on failure). Returns its
   index or GPB__NONE. */
static int add_input(gpb__loader *L, const char *path, gpb_dist *d,
                     gpb_qty_kind kind, gpb_currency cur, int line, int column,
                     int per_event)
{
    gpb_scenario *s = L->s;
    if (s->n_inputs >= GPB__MAX_INPUTS) {
        if (!L->inputs_full)
            gpb__sc_report_at(L, GPB_ELIMIT, line, column, path,
                              "more than %d numbers in one scenario",
                              GPB__MAX_INPUTS);
        L->inputs_full = 1;
        gpb_dist_free(d);
        return GPB__NONE;
    }
    if (s->n_inputs == L->cap_inputs) {
        size_t cap = L->cap_inputs ? 2 * L->cap_inputs : 64;
        gpb__input *in = realloc(s->inputs, cap * sizeof *in);
        if (!in) {
            L->nomem = 1;
            gpb_dist_free(d);
            return GPB__NONE;
        }
        s->inputs = in;
        L->cap_inputs = cap;
    }
    char *p = gpb__strdup(path);
    if (!p) {
        L->nomem = 1;
        gpb_dist_free(d);
        return GPB__NONE;
    }
    gpb__input *in = &s->inputs[s->n_inputs];
    memset(in, 0, sizeof *in);
    in->path = p;
    in->dist = *d;
    memset(d, 0, sizeof *d);
    in->kind = kind;
    in->currency = gpb_qty_kind_is_money(kind) ? cur : GPB_CURRENCY_NONE;
    in->line = line;
    in->column = column;
    in->per_event = per_event;
    in->domain = (gpb_input_domain){-INFINITY, INFINITY, 0, 0, 0};
    return (int)s->n_inputs++;
}

int gpb__sc_domain(gpb__loader *L, int i, const gpb__vspec *sp)
{
    if (i < 0 || (size_t)i >= L->s->n_inputs || !sp)
        return i;
    gpb_input_domain *d = &L->s->inputs[i].domain;
    d->lo = isnan(sp->lo) ? -INFINITY : sp->lo;
    d->hi = isnan(sp->hi) ? INFINITY : sp->hi;
    d->lo_open = (sp->flags & GPB__V_LO_OPEN) != 0;
    d->hi_open = (sp->flags & GPB__V_HI_OPEN) != 0;
    d->whole = (sp->flags & (GPB__V_INT | GPB__V_ROUNDED)) != 0;
    L->s->inputs[i].spec = sp;
    return i;
}

/* A constant input, for a default. Positioned at the mapping it belongs
   to. */
int gpb__sc_fixed(gpb__loader *L, const char *path, double v, gpb_qty_kind kind,
                  gpb_currency cur, const gpb__ynode *at)
{
    gpb_dist d;
    if (gpb_dist_fixed(v, &d, NULL) != GPB_OK)
        return GPB__NONE;
    return add_input(L, path, &d, kind, cur, at ? at->line : 0,
                     at ? at->column : 0, 0);
}

int gpb__sc_dist_input(gpb__loader *L, const char *path, gpb_dist *d,
                       gpb_qty_kind kind, const gpb__ynode *at)
{
    return add_input(L, path, d, kind, GPB_CURRENCY_NONE, at ? at->line : 0,
                     at ? at->column : 0, 0);
}

/*
 * The input under `key` of mapping m.
 *   required  1: report when absent
 *   dflt      when absent and not required: NAN for "no default"
 *             (GPB__NONE), else a constant input with this value
 * Returns the input's index or GPB__NONE.
 */
int gpb__sc_input(gpb__loader *L, const gpb__ynode *m, const char *parent,
                  const char *key, const gpb__vspec *sp, int required,
                  double dflt)
{
    gpb__pathbuf p;
    gpb__sc_path_key(p, parent, key);
    const gpb__ynode *v = gpb__sc_get(m, key);
    if (!v) {
        if (required) {
            gpb__sc_missing(L, m, parent, key, sp->expect);
            return GPB__NONE;
        }
        if (isnan(dflt))
            return GPB__NONE;
        return gpb__sc_domain(
            L, gpb__sc_fixed(L, p, dflt, sp->kind, L->s->currency, m), sp);
    }
    gpb_dist d;
    gpb_currency cur;
    if (gpb__sc_value(L, v, sp, p, &d, &cur))
        return GPB__NONE;
    return gpb__sc_domain(L,
                          add_input(L, p, &d, sp->kind, cur, v->line,
                                    v->column,
                                    (sp->flags & GPB__V_PER_EVENT) != 0),
                          sp);
}

double gpb__sc_input_lo(const gpb__loader *L, int i)
{
    return gpb_dist_quantile(&L->s->inputs[i].dist, GPB__SC_SUPPORT_TAIL);
}

double gpb__sc_input_hi(const gpb__loader *L, int i)
{
    return gpb_dist_quantile(&L->s->inputs[i].dist, 1.0 - GPB__SC_SUPPORT_TAIL);
}
