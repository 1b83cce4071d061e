/*
 * YAML text to a bounded node tree (see yaml_tree.h for why and what).
 *
 * Cost bounds: every event is handled in O(1) amortised time plus the
 * length of its text (a scalar is copied once; an anchor name is hashed
 * once and compared once per probe). Anchors live in an open-addressing
 * hash table kept at most half full and hashed with SipHash-1-3 under a
 * random key drawn per parse (as Redis's dict does), so a file cannot be
 * written to make names collide: a look-up takes O(1 + name length)
 * expected time whatever the text. The expanded-size counts are O(1) per
 * event (a closing collection sums its kids once; an alias adds its
 * target's counts), and the load stops when they pass the budget, so
 * parsing is linear in the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <yaml.h>

#include "internal.h"
#include "yaml_tree.h"

/* ------------------------------------------------------------------------ */
/* Anchors: an open-addressing table keyed by SipHash                        */
/* ------------------------------------------------------------------------ */

/* SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
   2012; one compression and three finalisation rounds, the variant Redis
   and Python use for their tables). */
#define SIP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIP_ROUND(v0, v1, v2, v3)                                              \
    do {                                                                       \
        v0 += v1;                                                              \
        v1 = SIP_ROTL(v1, 13);                                                 \
        v1 ^= v0;                                                              \
        v0 = SIP_ROTL(v0, 32);                                                 \
        v2 += v3;                                                              \
        v3 = SIP_ROTL(v3, 16);                                                 \
        v3 ^= v2;                                                              \
        v0 += v3;                                                              \
        v3 = SIP_ROTL(v3, 21);                                                 \
        v3 ^= v0;                                                              \
        v2 += v1;                                                              \
        v1 = SIP_ROTL(v1, 17);                                                 \
        v1 ^= v2;                                                              \
        v2 = SIP_ROTL(v2, 32);                                                 \
    } while (0)

static uint64_t sip_load(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t siphash13(const unsigned char *in, size_t len,
                          const uint64_t key[2])
{
    uint64_t v0 = 0x736f6d6570736575ull ^ key[0];
    uint64_t v1 = 0x646f72616e646f6dull ^ key[1];
    uint64_t v2 = 0x6c7967656e657261ull ^ key[0];
    uint64_t v3 = 0x7465646279746573ull ^ key[1];
    size_t whole = len & ~(size_t)7;
    for (size_t i = 0; i < whole; i += 8) {
        uint64_t m = sip_load(in + i);
        v3 ^= m;
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t i = 0; i < (len & 7); i++)
        b |= (uint64_t)in[whole + i] << (8 * i);
    v3 ^= b;
    SIP_ROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

typedef struct anchor {
    uint64_t hash;
    char *name; /* owned; NULL for an empty slot */
    gpb__ynode *node;
} anchor;

/* Invariant: n * 2 <= cap, cap a power of two (or 0), so a probe meets an
   empty slot and the expected probe length is below 2.5. */
typedef struct anchor_table {
    anchor *slot;
    size_t cap, n;
    uint64_t key[2];
} anchor_table;

static void anchor_table_init(anchor_table *a)
{
    memset(a, 0, sizeof *a);
    /* Without the kernel's randomness, fall back on what varies between
       runs (the stack's address under ASLR, the clock): weaker, never
       wrong, since the key only spreads the names. */
    if (getrandom(a->key, sizeof a->key, GRND_NONBLOCK) !=
        (ssize_t)sizeof a->key) {
        a->key[0] = (uint64_t)(uintptr_t)a ^ 0x9E3779B97F4A7C15ull;
        a->key[1] = (uint64_t)time(NULL) ^ (uint64_t)clock();
    }
}

static void anchor_table_free(anchor_table *a)
{
    for (size_t i = 0; i < a->cap; i++)
        free(a->slot[i].name);
    free(a->slot);
}

/* The slot holding name, or the empty slot where it would go. */
static anchor *anchor_slot(const anchor_table *a, const char *name,
                           uint64_t h)
{
    size_t mask = a->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        anchor *s = &a->slot[i];
        if (!s->name || (s->hash == h && strcmp(s->name, name) == 0))
            return s;
    }
}

static uint64_t anchor_hash(const anchor_table *a, const char *name)
{
    return siphash13((const unsigned char *)name, strlen(name), a->key);
}

/* The latest definition wins, as YAML 1.2 says for a redefined anchor. */
static gpb__ynode *anchor_find(const anchor_table *a, const char *name)
{
    if (!a->cap)
        return NULL;
    return anchor_slot(a, name, anchor_hash(a, name))->node;
}

/* Returns 0, or -1 when out of memory. */
static int anchor_put(anchor_table *a, const char *name, gpb__ynode *node)
{
    if ((a->n + 1) * 2 > a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        anchor *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        anchor_table grown = *a;
        grown.slot = slot;
        grown.cap = cap;
        for (size_t i = 0; i < a->cap; i++)
            if (a->slot[i].name)
                *anchor_slot(&grown, a->slot[i].name, a->slot[i].hash) =
                    a->slot[i];
        free(a->slot);
        *a = grown;
    }
    uint64_t h = anchor_hash(a, name);
    anchor *s = anchor_slot(a, name, h);
    if (!s->name) {
        if (!(s->name = gpb__strdup(name)))
            return -1;
        s->hash = h;
        a->n++;
    }
    s->node = node;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The builder                                                               */
/* ------------------------------------------------------------------------ */

typedef struct open_node {
    gpb__ynode *node;
    char *anchor; /* registered when the node closes (owned until then) */
} open_node;

typedef struct builder {
    gpb__ytree *tree; /* tree->nodes and tree->text_bytes: the budget used */
    const char *text;
    size_t len;
    const char *source;
    gpb_error *err;
    open_node stack[GPB__YAML_MAX_DEPTH + 1];
    size_t depth;
    anchor_table anchors;
    int documents;
    const char *budget_note; /* said when the budget runs out */
} builder;

int gpb__ynode_is_null(const gpb__ynode *n)
{
    if (!n || n->kind != GPB__Y_SCALAR)
        return 0;
    if (n->tag == GPB__YTAG_NULL)
        return 1;
    if (!n->plain)
        return 0;
    const char *t = n->text;
    return t[0] == '\0' || strcmp(t, "~") == 0 || strcmp(t, "null") == 0 ||
           strcmp(t, "Null") == 0 || strcmp(t, "NULL") == 0;
}

const char *gpb__ynode_describe(const gpb__ynode *n)
{
    if (!n)
        return "nothing";
    switch (n->kind) {
    case GPB__Y_SEQ:
        return "a list";
    case GPB__Y_MAP:
        return "a mapping";
    case GPB__Y_SCALAR:
    default:
        return gpb__ynode_is_null(n) ? "nothing (null)" : "a single value";
    }
}

void gpb__ytree_free(gpb__ytree *t)
{
    if (!t)
        return;
    gpb__ynode *n = t->owned;
    while (n) {
        gpb__ynode *next = n->next_owned;
        free(n->text);
        free(n->kids);
        free(n);
        n = next;
    }
    free(t->problems);
    free(t);
}

static gpb_status fail_at(builder *b, gpb_status st, yaml_mark_t mark,
                          const char *fmt, ...) GPB__PRINTF(4, 5);

static gpb_status fail_at(builder *b, gpb_status st, yaml_mark_t mark,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gpb__vfail_at(b->err, st, b->source, (int)mark.line + 1,
                  (int)mark.column + 1, "", fmt, ap);
    va_end(ap);
    return st;
}

static gpb_status nomem(builder *b)
{
    return gpb__fail_at(b->err, GPB_ENOMEM, b->source, 0, 0, "",
                        "out of memory while reading the YAML");
}

/* Adds a node's or an aliased subtree's expanded size to the load's. */
static gpb_status count_nodes(builder *b, size_t nodes, size_t bytes,
                              yaml_mark_t mark)
{
    /* Each addend is 1 plus a scalar's length, or a finished subtree's
       counts, which were within the limits when counted, so the sums
       cannot wrap. */
    gpb__ytree *t = b->tree;
    t->nodes += nodes;
    t->text_bytes += bytes;
    if (t->nodes > GPB__YAML_MAX_NODES)
        return fail_at(b, GPB_ELIMIT, mark,
                       "YAML aliases expand to more than %d nodes; a "
                       "scenario needs far fewer (is this an alias "
                       "bomb?)%s",
                       GPB__YAML_MAX_NODES, b->budget_note);
    if (t->text_bytes > GPB__YAML_MAX_TEXT_BYTES)
        return fail_at(b, GPB_ELIMIT, mark,
                       "YAML aliases expand to more than %u bytes of text; "
                       "a scenario needs far fewer (is a long value "
                       "aliased many times?)%s",
                       (unsigned)GPB__YAML_MAX_TEXT_BYTES, b->budget_note);
    return GPB_OK;
}

static gpb__ynode *new_node(builder *b, gpb__ykind kind, yaml_mark_t mark)
{
    gpb__ynode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (int)mark.line + 1;
    n->column = (int)mark.column + 1;
    n->expanded = 1;
    n->next_owned = b->tree->owned;
    b->tree->owned = n;
    return n;
}

static gpb_status add_kid(builder *b, gpb__ynode *parent, gpb__ynode *kid)
{
    if (parent->n_kids == parent->cap_kids) {
        size_t cap = parent->cap_kids ? 2 * parent->cap_kids : 8;
        gpb__ynode **k = realloc(parent->kids, cap * sizeof *k);
        if (!k)
            return nomem(b);
        parent->kids = k;
        parent->cap_kids = cap;
    }
    parent->kids[parent->n_kids++] = kid;
    return GPB_OK;
}

/* Places a finished or opening node in its parent, or makes it the root. */
static gpb_status attach(builder *b, gpb__ynode *n)
{
    if (b->depth == 0) {
        b->tree->root = n;
        return GPB_OK;
    }
    return add_kid(b, b->stack[b->depth - 1].node, n);
}

static gpb_status register_anchor(builder *b, const char *name,
                                  gpb__ynode *n)
{
    if (name && anchor_put(&b->anchors, name, n))
        return nomem(b);
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* Tags                                                                      */
/* ------------------------------------------------------------------------ */

#define TAG_PREFIX "tag:yaml.org,2002:"
#define TAGS_ALLOWED                                                           \
    "the tags a scenario may use are !!str, !!int, !!float, !!bool, !!null, " \
    "!!seq and !!map"

/* Appends a path step to out (GPB_ERROR_PATH_MAX bytes), cutting it when
   it does not fit. */
static void path_add(char *out, const char *step, size_t n)
{
    size_t used = strlen(out), room = GPB_ERROR_PATH_MAX - 1 - used;
    if (n > room)
        n = room;
    memcpy(out + used, step, n);
    out[used + n] = '\0';
}

/* The key path ("training[0].mfu", the scenario loader's form) of the
   last kid of each open container down to stack[upto - 1]'s: with upto =
   depth, the node just attached; with depth - 1, the container just
   opened. A key names itself. O(depth) steps. */
static void open_path(const builder *b, size_t upto, char *out)
{
    out[0] = '\0';
    for (size_t i = 0; i < upto; i++) {
        const gpb__ynode *c = b->stack[i].node;
        if (!c->n_kids)
            return;
        if (c->kind == GPB__Y_SEQ) {
            char num[32];
            int w = snprintf(num, sizeof num, "[%zu]", c->n_kids - 1);
            path_add(out, num, w > 0 ? (size_t)w : 0);
            continue;
        }
        const gpb__ynode *k = c->n_kids % 2 ? c->kids[c->n_kids - 1]
                                            : c->kids[c->n_kids - 2];
        if (out[0])
            path_add(out, ".", 1);
        if (k->kind == GPB__Y_SCALAR)
            path_add(out, k->text, k->len);
        else
            path_add(out, "?", 1);
    }
}

static void tag_problem(builder *b, const gpb__ynode *n, size_t upto,
                        const char *fmt, ...) GPB__PRINTF(4, 5);

/* Keeps a tag problem at node n (path from open_path(upto)). */
static void tag_problem(builder *b, const gpb__ynode *n, size_t upto,
                        const char *fmt, ...)
{
    gpb__ytree *t = b->tree;
    if (t->n_problems >= GPB__YAML_MAX_PROBLEMS) {
        t->problems_dropped++;
        return;
    }
    if (!t->problems) {
        t->problems = malloc(GPB__YAML_MAX_PROBLEMS * sizeof *t->problems);
        if (!t->problems) {
            t->problems_dropped++;
            return;
        }
    }
    char path[GPB_ERROR_PATH_MAX];
    open_path(b, upto, path);
    va_list ap;
    va_start(ap, fmt);
    gpb__vfail_at(&t->problems[t->n_problems++], GPB_ESCHEMA, b->source,
                  n->line, n->column, path, fmt, ap);
    va_end(ap);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* YAML 1.2 core schema literals, decimal only (docs/scenario.md). */
static int is_int_literal(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!is_digit(*s))
        return 0;
    while (is_digit(*s))
        s++;
    return *s == '\0';
}

static int is_float_literal(const char *s)
{
    static const char *const special[] = {
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strcmp(s, special[i]) == 0)
            return 1;
    if (*s == '-' || *s == '+')
        s++;
    int digits = 0;
    while (is_digit(*s))
        s++, digits++;
    if (*s == '.')
        for (s++; is_digit(*s); s++)
            digits++;
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!is_digit(*s))
            return 0;
        while (is_digit(*s))
            s++;
    }
    return *s == '\0';
}

/* The words the scenario loader reads as true or false (any case). */
static int is_bool_literal(const char *s)
{
    static const char *const words[] = {"true", "false", "yes",
                                        "no",   "on",    "off"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (gpb__strcasecmp(s, words[i]) == 0)
            return 1;
    return 0;
}

static int is_null_literal(const char *s)
{
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* What a node is, for a tag problem: "a list", or the scalar quoted
   (cut at 60 bytes without splitting a UTF-8 character). */
static const char *tag_found(const gpb__ynode *n, char *buf, size_t size)
{
    if (n->kind != GPB__Y_SCALAR)
        return n->kind == GPB__Y_SEQ ? "a list" : "a mapping";
    size_t len = n->len < 60 ? n->len : 60;
    while (len < n->len && len > 0 &&
           ((unsigned char)n->text[len] & 0xC0) == 0x80)
        len--;
    snprintf(buf, size, "'%.*s%s'", (int)len, n->text,
             len < n->len ? "\xE2\x80\xA6" : "");
    return buf;
}

/*
 * Reads the tag written on node n (just attached or opened; `upto` as for
 * open_path) into n->tag, keeping a problem when the tag is not one a
 * scenario uses or contradicts the node. O(tag length + scalar length).
 */
static void check_tag(builder *b, gpb__ynode *n, const yaml_char_t *raw,
                      size_t upto)
{
    static const struct {
        const char *name;
        gpb__ytag tag;
        const char *says;
    } known[] = {
        {"str", GPB__YTAG_STR, "text"},
        {"int", GPB__YTAG_INT, "a whole number"},
        {"float", GPB__YTAG_FLOAT, "a number"},
        {"bool", GPB__YTAG_BOOL, "true or false"},
        {"null", GPB__YTAG_NULL, "nothing (null)"},
        {"seq", GPB__YTAG_SEQ, "a list"},
        {"map", GPB__YTAG_MAP, "a mapping"},
    };
    const char *tag = (const char *)raw;
    char fb[96];
    n->tag = GPB__YTAG_NONE;
    if (!tag)
        return;
    if (strcmp(tag, "!") == 0) {
        /* The non-specific tag: a scalar is text, a collection itself. */
        if (n->kind == GPB__Y_SCALAR)
            n->tag = GPB__YTAG_STR;
        return;
    }
    size_t plen = strlen(TAG_PREFIX);
    if (strncmp(tag, TAG_PREFIX, plen) != 0) {
        tag_problem(b, n, upto, "unknown tag '%.60s'; " TAGS_ALLOWED, tag);
        return;
    }
    const char *name = tag + plen;
    size_t k = 0;
    while (k < sizeof known / sizeof known[0] && strcmp(known[k].name, name))
        k++;
    if (k == sizeof known / sizeof known[0]) {
        tag_problem(b, n, upto,
                    "the tag !!%.40s is not supported in a scenario; "
                    TAGS_ALLOWED,
                    name);
        return;
    }
    gpb__ytag want = known[k].tag;
    int ok;
    switch (want) {
    case GPB__YTAG_SEQ:
        ok = n->kind == GPB__Y_SEQ;
        break;
    case GPB__YTAG_MAP:
        ok = n->kind == GPB__Y_MAP;
        break;
    case GPB__YTAG_INT:
        ok = n->kind == GPB__Y_SCALAR && is_int_literal(n->text);
        break;
    case GPB__YTAG_FLOAT:
        ok = n->kind == GPB__Y_SCALAR && is_float_literal(n->text);
        break;
    case GPB__YTAG_BOOL:
        ok = n->kind == GPB__Y_SCALAR && is_bool_literal(n->text);
        break;
    case GPB__YTAG_NULL:
        ok = n->kind == GPB__Y_SCALAR && is_null_literal(n->text);
        break;
    case GPB__YTAG_STR:
    default:
        ok = n->kind == GPB__Y_SCALAR;
        break;
    }
    if (!ok) {
        tag_problem(b, n, upto, "the tag !!%s says %s, but the value is %s",
                    known[k].name, known[k].says, tag_found(n, fb, sizeof fb));
        return;
    }
    n->tag = want;
}

/* ------------------------------------------------------------------------ */
/* Events                                                                    */
/* ------------------------------------------------------------------------ */

static gpb_status on_scalar(builder *b, const yaml_event_t *ev)
{
    size_t len = ev->data.scalar.length;
    /* An escaped NUL ("64\u0000 trillion", "\0") ends the text for every
       reader of a C string: "64" was read as the whole value (a user
       review). Raw NUL bytes never reach here: the reader refuses control
       characters. */
    if (memchr(ev->data.scalar.value, '\0', len))
        return fail_at(b, GPB_ESYNTAX, ev->start_mark,
                       "the value has a NUL character (an escaped \\0 or "
                       "\\u0000): remove it");
    gpb_status st = count_nodes(b, 1, len, ev->start_mark);
    if (st)
        return st;
    gpb__ynode *n = new_node(b, GPB__Y_SCALAR, ev->start_mark);
    if (!n)
        return nomem(b);
    n->text = malloc(len + 1);
    if (!n->text)
        return nomem(b);
    memcpy(n->text, ev->data.scalar.value, len);
    n->text[len] = '\0';
    n->len = len;
    n->expanded_bytes = len;
    /* A scalar with an explicit tag (!!str) is never read as null. */
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
               ev->data.scalar.tag == NULL;
    if ((st = attach(b, n)))
        return st;
    check_tag(b, n, ev->data.scalar.tag, b->depth);
    return register_anchor(b, (const char *)ev->data.scalar.anchor, n);
}

static gpb_status on_start(builder *b, const yaml_event_t *ev,
                           gpb__ykind kind, const yaml_char_t *anchor_name,
                           const yaml_char_t *tag)
{
    if (b->depth >= GPB__YAML_MAX_DEPTH)
        return fail_at(b, GPB_ELIMIT, ev->start_mark,
                       "YAML nesting deeper than %d levels; a scenario "
                       "needs only a few",
                       GPB__YAML_MAX_DEPTH);
    gpb_status st = count_nodes(b, 1, 0, ev->start_mark);
    if (st)
        return st;
    gpb__ynode *n = new_node(b, kind, ev->start_mark);
    if (!n)
        return nomem(b);
    if ((st = attach(b, n)))
        return st;
    char *a = NULL;
    if (anchor_name && !(a = gpb__strdup((const char *)anchor_name)))
        return nomem(b);
    b->stack[b->depth].node = n;
    b->stack[b->depth].anchor = a;
    b->depth++;
    check_tag(b, n, tag, b->depth - 1);
    return GPB_OK;
}

static gpb_status on_end(builder *b)
{
    /* libyaml pairs every end with a start, so depth > 0 here. */
    open_node *top = &b->stack[--b->depth];
    gpb__ynode *n = top->node;
    size_t sum = 1, bytes = 0;
    for (size_t i = 0; i < n->n_kids; i++) {
        sum += n->kids[i]->expanded;
        bytes += n->kids[i]->expanded_bytes;
    }
    n->expanded = sum;
    n->expanded_bytes = bytes;
    gpb_status st = register_anchor(b, top->anchor, n);
    free(top->anchor);
    top->anchor = NULL;
    return st;
}

static gpb_status on_alias(builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    gpb__ynode *n = anchor_find(&b->anchors, name);
    if (!n) {
        for (size_t i = 0; i < b->depth; i++)
            if (b->stack[i].anchor && strcmp(b->stack[i].anchor, name) == 0)
                return fail_at(b, GPB_ESYNTAX, ev->start_mark,
                               "alias '*%s' refers to a node that contains "
                               "it; recursive aliases are not allowed",
                               name);
        return fail_at(b, GPB_ESYNTAX, ev->start_mark,
                       "alias '*%s' refers to no anchor '&%s' defined "
                       "before it",
                       name, name);
    }
    gpb_status st =
        count_nodes(b, n->expanded, n->expanded_bytes, ev->start_mark);
    return st ? st : attach(b, n);
}

/* Line and column (1-based) of a byte offset, for libyaml's reader errors,
   which give an offset rather than a mark. */
static void offset_position(const char *text, size_t len, size_t off,
                            int *line, int *column)
{
    int l = 1, c = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

/* The bytes of 0-based line `line` of the text: [*a, *e). Returns 0, or
   -1 when the text has fewer lines. Lines end at "\n" (a "\r" before it
   is left in the line: the hints below never look at line ends). */
static int line_bytes(const builder *b, size_t line, size_t *a, size_t *e)
{
    size_t i = 0;
    for (size_t l = 0; l < line; l++) {
        const char *nl = memchr(b->text + i, '\n', b->len - i);
        if (!nl)
            return -1;
        i = (size_t)(nl - b->text) + 1;
    }
    const char *nl = memchr(b->text + i, '\n', b->len - i);
    *a = i;
    *e = nl ? (size_t)(nl - b->text) : b->len;
    return 0;
}

/* The byte of 0-based column `col` in text[a, e) (columns count
   characters, as libyaml's do), or e. */
static size_t column_byte(const char *text, size_t a, size_t e, size_t col)
{
    size_t i = a;
    for (size_t c = 0; i < e && c < col; c++)
        do
            i++;
        while (i < e && ((unsigned char)text[i] & 0xC0) == 0x80);
    return i;
}

/* Characters in text[a, i): the 0-based column of byte i. */
static int column_of(const char *text, size_t a, size_t i)
{
    int c = 0;
    for (size_t k = a; k < i; k++)
        c += ((unsigned char)text[k] & 0xC0) != 0x80;
    return c;
}

/*
 * A tab where libyaml stopped: in the line's indentation, or the very
 * character it stopped at. YAML forbids tabs in indentation, and libyaml
 * says so as "found character that cannot start any token", which names
 * neither the tab nor the fix. Fills *column (1-based) and returns 1.
 */
static int tab_hint(const builder *b, const yaml_mark_t *m, int *column)
{
    size_t a, e;
    if (line_bytes(b, m->line, &a, &e))
        return 0;
    for (size_t i = a; i < e && (b->text[i] == ' ' || b->text[i] == '\t');
         i++)
        if (b->text[i] == '\t') {
            *column = column_of(b->text, a, i) + 1;
            return 1;
        }
    size_t at = column_byte(b->text, a, e, m->column);
    if (at < e && b->text[at] == '\t') {
        *column = (int)m->column + 1;
        return 1;
    }
    return 0;
}

/*
 * A plain scalar with brackets inside a flow collection, such as the key
 * path in "between: [training[0].mfu, ...]": in flow style '[' starts a
 * list, so libyaml reads "training", then stops at the '[' with "did not
 * find expected ',' or ']'". The item is the text from the scalar's start
 * to the ',', ']' or '}' that ends it at its own bracket depth. Copies it
 * into item (cut to fit), fills *column (1-based, its start) and returns
 * 1 when the stop looks like this.
 */
static int bracket_hint(const builder *b, const yaml_parser_t *p,
                        char *item, size_t n, int *column)
{
    if (!p->context || strncmp(p->context, "while parsing a flow", 20) ||
        !p->problem || !strstr(p->problem, "did not find expected ','"))
        return 0;
    size_t a, e;
    if (line_bytes(b, p->problem_mark.line, &a, &e))
        return 0;
    size_t at = column_byte(b->text, a, e, p->problem_mark.column);
    if (at >= e || at == a || b->text[at] != '[' ||
        strchr(" \t,[]{}", b->text[at - 1]))
        return 0;
    size_t s0 = at;
    while (s0 > a && !strchr(" \t,[]{}", b->text[s0 - 1]))
        s0--;
    size_t s1 = at;
    int depth = 0;
    for (; s1 < e; s1++) {
        char ch = b->text[s1];
        if (ch == '[')
            depth++;
        else if (ch == ']' && depth > 0)
            depth--;
        else if (depth == 0 && strchr(",]}#", ch))
            break;
    }
    while (s1 > s0 && (b->text[s1 - 1] == ' ' || b->text[s1 - 1] == '\t'))
        s1--;
    size_t len = s1 - s0;
    if (len + 1 > n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)b->text[s0 + len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(item, b->text + s0, len);
    item[len] = '\0';
    *column = column_of(b->text, a, s0) + 1;
    return 1;
}

/*
 * The one problem that stopped the parse, with the key path of where it
 * stopped (the last key of each open collection: "company" for a tab in
 * the line under "company:") and, for the two mistakes libyaml words
 * least helpfully, a hint: a tab in the indentation, and brackets inside
 * an unquoted flow item.
 */
static gpb_status syntax_error(builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return nomem(b);
    const char *problem = p->problem ? p->problem : "malformed YAML";
    int line, column;
    if (p->error == YAML_READER_ERROR) {
        offset_position(b->text, b->len, p->problem_offset, &line, &column);
        return gpb__fail_at(b->err, GPB_ESYNTAX, b->source, line, column, "",
                            "YAML syntax error: %s", problem);
    }
    char path[GPB_ERROR_PATH_MAX], item[96];
    open_path(b, b->depth, path);
    line = (int)p->problem_mark.line + 1;
    column = (int)p->problem_mark.column + 1;
    if (tab_hint(b, &p->problem_mark, &column))
        return gpb__fail_at(b->err, GPB_ESYNTAX, b->source, line, column,
                            path,
                            "YAML syntax error: tabs are not allowed in "
                            "YAML; indent with spaces");
    if (bracket_hint(b, p, item, sizeof item, &column))
        return gpb__fail_at(b->err, GPB_ESYNTAX, b->source, line, column,
                            path,
                            "YAML syntax error: %s has brackets, which YAML "
                            "reads as a list inside the list around it; "
                            "quote it: \"%s\"",
                            item, item);
    if (p->context)
        return gpb__fail_at(b->err, GPB_ESYNTAX, b->source, line, column,
                            path,
                            "YAML syntax error: %s (%s that starts at line "
                            "%d, column %d)",
                            problem, p->context,
                            (int)p->context_mark.line + 1,
                            (int)p->context_mark.column + 1);
    return gpb__fail_at(b->err, GPB_ESYNTAX, b->source, line, column, path,
                        "YAML syntax error: %s", problem);
}

static gpb_status handle(builder *b, const yaml_event_t *ev, int *done)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1)
            return fail_at(b, GPB_ESYNTAX, ev->start_mark,
                           "a scenario file holds one YAML document; this "
                           "is the start of a second one");
        return GPB_OK;
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(b, ev, GPB__Y_SEQ, ev->data.sequence_start.anchor,
                        ev->data.sequence_start.tag);
    case YAML_MAPPING_START_EVENT:
        return on_start(b, ev, GPB__Y_MAP, ev->data.mapping_start.anchor,
                        ev->data.mapping_start.tag);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(b);
    case YAML_ALIAS_EVENT:
        return on_alias(b, ev);
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return GPB_OK;
    default:
        return GPB_OK;
    }
}

/* Parses text into *out with the budget already used at nodes and bytes
   (0 for a document; the tree's counts for an override's value); `note`
   ends the message when the budget runs out. */
static gpb_status parse_counted(const char *text, size_t len,
                                const char *source, size_t nodes,
                                size_t bytes, const char *note,
                                gpb__ytree **out, gpb_error *err)
{
    *out = NULL;
    builder b;
    memset(&b, 0, sizeof b);
    b.text = text;
    b.len = len;
    b.source = source;
    b.err = err;
    b.tree = calloc(1, sizeof *b.tree);
    if (!b.tree)
        return nomem(&b);
    b.tree->nodes = nodes;
    b.tree->text_bytes = bytes;
    b.budget_note = note;
    anchor_table_init(&b.anchors);

    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        free(b.tree);
        return nomem(&b);
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);

    gpb_status st = GPB_OK;
    int done = 0;
    while (!done && st == GPB_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            st = syntax_error(&b, &p);
            break;
        }
        st = handle(&b, &ev, &done);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);

    for (size_t i = 0; i < b.depth; i++)
        free(b.stack[i].anchor);
    anchor_table_free(&b.anchors);
    if (st) {
        gpb__ytree_free(b.tree);
        return st;
    }
    *out = b.tree;
    return GPB_OK;
}

gpb_status gpb__ytree_parse(const char *text, size_t len, const char *source,
                            gpb__ytree **out, gpb_error *err)
{
    return parse_counted(text, len, source, 0, 0, "", out, err);
}

/* ------------------------------------------------------------------------ */
/* Overrides ("training[0].gpus=512; company.cash=$30M")                     */
/* ------------------------------------------------------------------------ */

/* Keys plus selectors in one path ("a.b[0][x].c" has three keys). */
#define OV_MAX_STEPS 32
#define OV_MAX_SELECTORS 8

typedef struct ov_step {
    const char *key;
    size_t key_len;
    const char *sel[OV_MAX_SELECTORS];
    size_t sel_len[OV_MAX_SELECTORS];
    size_t n_sel;
} ov_step;

typedef struct ov_ctx {
    gpb__ytree *t;
    const char *source;
    gpb_error *err;
    char pair[128]; /* the pair as written, clipped, for messages */
    char path[GPB_ERROR_PATH_MAX];
    const char *what; /* what the pair is, for messages: "override" (NULL)
                         or "key" (gpb__ytree_index_path) */
} ov_ctx;

static gpb_status ov_fail(ov_ctx *c, gpb_status st, const char *fmt, ...)
    GPB__PRINTF(3, 4);

static gpb_status ov_fail(ov_ctx *c, gpb_status st, const char *fmt, ...)
{
    char msg[GPB_ERROR_MESSAGE_MAX - 160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gpb__fail_at(c->err, st, c->source, 0, 0, c->path, "%s '%s': %s",
                        c->what ? c->what : "override", c->pair, msg);
}

static gpb_status ov_nomem(ov_ctx *c)
{
    return gpb__fail_at(c->err, GPB_ENOMEM, c->source, 0, 0, c->path,
                        "out of memory while applying overrides");
}

/* Copies n bytes of s into buf of size size, cutting with "..." when the
   text does not fit. */
static void ov_clip(char *buf, size_t size, const char *s, size_t n)
{
    if (n < size) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        return;
    }
    memcpy(buf, s, size - 4);
    /* Do not leave half a UTF-8 character before the ellipsis. */
    size_t k = size - 4;
    while (k > 0 && ((unsigned char)buf[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf + k, "...", 4);
}

static gpb__ynode *ov_alloc(gpb__ytree *t, gpb__ykind kind)
{
    gpb__ynode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->expanded = 1;
    n->next_owned = t->owned;
    t->owned = n;
    return n;
}

/* A node the override adds to the document: counted against the load's
   budget (gpb__ytree_override checks it after each pair). */
static gpb__ynode *ov_node(gpb__ytree *t, gpb__ykind kind)
{
    gpb__ynode *n = ov_alloc(t, kind);
    if (n)
        t->nodes++;
    return n;
}

static gpb__ynode *ov_scalar(gpb__ytree *t, const char *s, size_t len)
{
    gpb__ynode *n = ov_node(t, GPB__Y_SCALAR);
    if (!n || !(n->text = malloc(len + 1)))
        return NULL;
    memcpy(n->text, s, len);
    n->text[len] = '\0';
    n->len = n->expanded_bytes = len;
    n->plain = 1;
    t->text_bytes += len;
    return n;
}

/* A shallow copy of a container: same kids, new kids array. It replaces
   the original on the override's path, so it is not counted again. */
static gpb__ynode *ov_clone(gpb__ytree *t, const gpb__ynode *src)
{
    gpb__ynode *n = ov_alloc(t, src->kind);
    if (!n)
        return NULL;
    n->tag = src->tag;
    n->line = src->line;
    n->column = src->column;
    n->expanded = src->expanded;
    n->expanded_bytes = src->expanded_bytes;
    if (src->n_kids) {
        n->kids = malloc(src->n_kids * sizeof *n->kids);
        if (!n->kids)
            return NULL;
        memcpy(n->kids, src->kids, src->n_kids * sizeof *n->kids);
        n->n_kids = n->cap_kids = src->n_kids;
    }
    return n;
}

static int ov_add_kid(gpb__ynode *parent, gpb__ynode *kid)
{
    if (parent->n_kids == parent->cap_kids) {
        size_t cap = parent->cap_kids ? 2 * parent->cap_kids : 8;
        gpb__ynode **k = realloc(parent->kids, cap * sizeof *k);
        if (!k)
            return -1;
        parent->kids = k;
        parent->cap_kids = cap;
    }
    parent->kids[parent->n_kids++] = kid;
    return 0;
}

static int ov_is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Splits a path into steps. Returns the number of steps, or 0 after
   reporting a problem. */
static size_t ov_parse_path(ov_ctx *c, const char *p, size_t n,
                            ov_step *steps, gpb_status *st)
{
    size_t ns = 0, i = 0;
    *st = GPB_OK;
    if (n == 0) {
        *st = ov_fail(c, GPB_ESYNTAX, "the path before '=' is empty");
        return 0;
    }
    while (i <= n) {
        if (ns == OV_MAX_STEPS) {
            *st = ov_fail(c, GPB_ELIMIT, "the path has more than %d keys",
                          OV_MAX_STEPS);
            return 0;
        }
        ov_step *s = &steps[ns++];
        memset(s, 0, sizeof *s);
        s->key = p + i;
        while (i < n && p[i] != '.' && p[i] != '[' && p[i] != ']')
            i++;
        s->key_len = (size_t)(p + i - s->key);
        if (s->key_len == 0) {
            *st = ov_fail(c, GPB_ESYNTAX,
                          "expected a key at character %zu of the path",
                          i + 1);
            return 0;
        }
        while (i < n && p[i] == '[') {
            size_t start = ++i;
            while (i < n && p[i] != ']' && p[i] != '[')
                i++;
            if (i >= n || p[i] != ']' || i == start) {
                *st = ov_fail(c, GPB_ESYNTAX,
                              "expected a list selector such as [0] or "
                              "[name] at character %zu of the path",
                              start);
                return 0;
            }
            if (s->n_sel == OV_MAX_SELECTORS) {
                *st = ov_fail(c, GPB_ELIMIT,
                              "more than %d selectors after one key",
                              OV_MAX_SELECTORS);
                return 0;
            }
            s->sel[s->n_sel] = p + start;
            s->sel_len[s->n_sel++] = i - start;
            i++; /* past ']' */
        }
        if (i == n)
            break;
        if (p[i] != '.') {
            *st = ov_fail(c, GPB_ESYNTAX,
                          "unexpected '%c' at character %zu of the path",
                          p[i], i + 1);
            return 0;
        }
        i++;
        if (i == n) {
            *st = ov_fail(c, GPB_ESYNTAX, "the path ends with '.'");
            return 0;
        }
    }
    return ns;
}

/* The slot of key k in mapping m (a pointer into its kids), or NULL. */
static gpb__ynode **ov_map_slot(gpb__ynode *m, const char *k, size_t len)
{
    for (size_t i = 0; i + 1 < m->n_kids; i += 2) {
        const gpb__ynode *key = m->kids[i];
        if (key->kind == GPB__Y_SCALAR && key->len == len &&
            memcmp(key->text, k, len) == 0)
            return &m->kids[i + 1];
    }
    return NULL;
}

/* 1 when list item `item` is a mapping whose name, id or role is sel. */
static int ov_item_named(const gpb__ynode *item, const char *sel, size_t len)
{
    static const char *const keys[] = {"name", "id", "role"};
    if (item->kind != GPB__Y_MAP)
        return 0;
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i + 1 < item->n_kids; i += 2) {
            const gpb__ynode *key = item->kids[i];
            const gpb__ynode *v = item->kids[i + 1];
            if (key->kind == GPB__Y_SCALAR && !strcmp(key->text, keys[k]) &&
                v->kind == GPB__Y_SCALAR && v->len == len &&
                memcmp(v->text, sel, len) == 0)
                return 1;
        }
    return 0;
}

/* Picks the item of list `seq` that selector sel names; -1 after
   reporting. `where` is the path up to the list, for messages. */
static long ov_select(ov_ctx *c, const gpb__ynode *seq, const char *sel,
                      size_t len, const char *where, gpb_status *st)
{
    int numeric = len > 0 && len <= 9;
    for (size_t i = 0; i < len; i++)
        if (sel[i] < '0' || sel[i] > '9')
            numeric = 0;
    if (numeric) {
        size_t idx = 0;
        for (size_t i = 0; i < len; i++)
            idx = idx * 10 + (size_t)(sel[i] - '0');
        if (idx < seq->n_kids)
            return (long)idx;
        *st = ov_fail(c, GPB_ENOTFOUND,
                      "%s has %zu item%s, so [%zu] is past its end (items "
                      "are counted from 0)",
                      where, seq->n_kids, seq->n_kids == 1 ? "" : "s", idx);
        return -1;
    }
    for (size_t i = 0; i < seq->n_kids; i++)
        if (ov_item_named(seq->kids[i], sel, len))
            return (long)i;
    *st = ov_fail(c, GPB_ENOTFOUND,
                  "no item of %s has the name, id or role '%.*s'", where,
                  (int)len, sel);
    return -1;
}

/* Builds the node for a value: verbatim text, or YAML flow. */
static gpb__ynode *ov_value(ov_ctx *c, const char *v, size_t n,
                            gpb_status *st)
{
    *st = GPB_OK;
    if (n == 0 || (v[0] != '{' && v[0] != '[' && v[0] != '"' &&
                   v[0] != '\'')) {
        gpb__ynode *node = ov_scalar(c->t, v, n);
        if (!node)
            *st = ov_nomem(c);
        return node;
    }
    gpb__ytree *sub = NULL;
    gpb_error e;
    memset(&e, 0, sizeof e);
    /* The value draws on the budget the document and the earlier
       overrides left. */
    gpb_status s = parse_counted(v, n, c->source, c->t->nodes,
                                 c->t->text_bytes,
                                 "; the scenario and all its overrides "
                                 "share one budget",
                                 &sub, &e);
    if (s == GPB_ENOMEM) {
        *st = ov_nomem(c);
        return NULL;
    }
    if (s == GPB_ELIMIT) {
        *st = ov_fail(c, GPB_ELIMIT, "%s", e.message);
        return NULL;
    }
    if (s) {
        *st = ov_fail(c, GPB_ESYNTAX, "the value is not valid YAML flow: %s",
                      e.message);
        return NULL;
    }
    if (sub->n_problems) {
        *st = ov_fail(c, GPB_ESCHEMA, "%s", sub->problems[0].message);
        gpb__ytree_free(sub);
        return NULL;
    }
    c->t->nodes = sub->nodes;
    c->t->text_bytes = sub->text_bytes;
    /* Hand the value's nodes to the tree; their positions refer to the
       override, not the file, so they get none. */
    gpb__ynode *root = sub->root, *last = NULL;
    for (gpb__ynode *k = sub->owned; k; k = k->next_owned) {
        k->line = k->column = 0;
        last = k;
    }
    if (last) {
        last->next_owned = c->t->owned;
        c->t->owned = sub->owned;
    }
    free(sub->problems);
    free(sub);
    if (!root && !(root = ov_scalar(c->t, "", 0)))
        *st = ov_nomem(c);
    return root;
}

/* Describes the path steps[0 .. upto] (with `sels` selectors of the last
   step) into buf, for messages. */
static void ov_where(char *buf, size_t size, const ov_step *steps,
                     size_t upto, size_t sels)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i <= upto && len < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%.*s", i ? "." : "",
                         (int)steps[i].key_len, steps[i].key);
        if (w < 0)
            return;
        len += (size_t)w;
        size_t ns = i == upto ? sels : steps[i].n_sel;
        for (size_t j = 0; j < ns && len < size; j++) {
            w = snprintf(buf + len, size - len, "[%.*s]",
                         (int)steps[i].sel_len[j], steps[i].sel[j]);
            if (w < 0)
                return;
            len += (size_t)w;
        }
    }
}

/* Applies one pair. */
static gpb_status ov_apply(ov_ctx *c, const char *path, size_t plen,
                           const char *val, size_t vlen)
{
    ov_step steps[OV_MAX_STEPS];
    gpb_status st;
    size_t ns = ov_parse_path(c, path, plen, steps, &st);
    if (!ns)
        return st;
    gpb__ynode *value = ov_value(c, val, vlen, &st);
    if (!value)
        return st;

    gpb__ytree *t = c->t;
    char where[GPB_ERROR_PATH_MAX];
    gpb__ynode *cur;
    if (!t->root || gpb__ynode_is_null(t->root)) {
        cur = ov_node(t, GPB__Y_MAP);
    } else if (t->root->kind != GPB__Y_MAP) {
        return ov_fail(c, GPB_ENOTFOUND,
                       "the document is %s, not a mapping of keys",
                       gpb__ynode_describe(t->root));
    } else {
        cur = ov_clone(t, t->root);
    }
    if (!cur)
        return ov_nomem(c);
    t->root = cur;

    for (size_t i = 0; i < ns; i++) {
        const ov_step *s = &steps[i];
        int last_key = i + 1 == ns;
        gpb__ynode **slot = ov_map_slot(cur, s->key, s->key_len);
        if (!slot || gpb__ynode_is_null(*slot)) {
            if (s->n_sel) {
                ov_where(where, sizeof where, steps, i, 0);
                return ov_fail(c, GPB_ENOTFOUND,
                               "%s is not in the scenario, so [%.*s] "
                               "selects nothing",
                               where, (int)s->sel_len[0], s->sel[0]);
            }
            gpb__ynode *v = last_key ? value : ov_node(t, GPB__Y_MAP);
            if (!v)
                return ov_nomem(c);
            if (slot) { /* key: null -> replace the null */
                *slot = v;
            } else {
                gpb__ynode *k = ov_scalar(t, s->key, s->key_len);
                if (!k || ov_add_kid(cur, k) || ov_add_kid(cur, v))
                    return ov_nomem(c);
            }
            if (last_key)
                return GPB_OK;
            cur = v;
            continue;
        }
        for (size_t j = 0; j < s->n_sel; j++) {
            ov_where(where, sizeof where, steps, i, j);
            if ((*slot)->kind != GPB__Y_SEQ)
                return ov_fail(c, GPB_ENOTFOUND,
                               "%s is %s, not a list, so [%.*s] selects "
                               "nothing",
                               where, gpb__ynode_describe(*slot),
                               (int)s->sel_len[j], s->sel[j]);
            gpb__ynode *seq = ov_clone(t, *slot);
            if (!seq)
                return ov_nomem(c);
            *slot = seq;
            long k = ov_select(c, seq, s->sel[j], s->sel_len[j], where,
                               &st);
            if (k < 0)
                return st;
            slot = &seq->kids[k];
        }
        if (last_key) {
            *slot = value;
            return GPB_OK;
        }
        if ((*slot)->kind != GPB__Y_MAP) {
            ov_where(where, sizeof where, steps, i, s->n_sel);
            return ov_fail(c, GPB_ENOTFOUND,
                           "%s is %s, not a mapping, so it has no key "
                           "'%.*s'",
                           where, gpb__ynode_describe(*slot),
                           (int)steps[i + 1].key_len, steps[i + 1].key);
        }
        gpb__ynode *m = ov_clone(t, *slot);
        if (!m)
            return ov_nomem(c);
        *slot = m;
        cur = m;
    }
    return GPB_OK; /* not reached: the last step returns */
}

/* The end of a flow value starting at p: past its closing bracket or
   quote (or at the end of the text when it never closes, for the YAML
   parser to report). */
static const char *ov_flow_end(const char *p)
{
    int depth = 0;
    char quote = 0;
    for (; *p; p++) {
        if (quote) {
            if (quote == '"' && *p == '\\' && p[1])
                p++;
            else if (*p == quote && quote == '\'' && p[1] == '\'')
                p++;
            else if (*p == quote) {
                quote = 0;
                if (depth == 0)
                    return p + 1;
            }
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            if (--depth <= 0)
                return p + 1;
        }
    }
    return p;
}

gpb_status gpb__ytree_index_path(const gpb__ytree *t, const char *path,
                                 char *out, size_t n, gpb_error *err)
{
    ov_ctx c;
    memset(&c, 0, sizeof c);
    c.t = (gpb__ytree *)t;
    c.source = "";
    c.err = err;
    c.what = "key";
    if (!t || !path || !out || n == 0)
        return gpb__fail(err, GPB_EINVAL, "gpb__ytree_index_path: NULL");
    ov_clip(c.pair, sizeof c.pair, path, strlen(path));
    ov_clip(c.path, sizeof c.path, path, strlen(path));
    ov_step steps[OV_MAX_STEPS];
    gpb_status st;
    size_t ns = ov_parse_path(&c, path, strlen(path), steps, &st);
    if (!ns)
        return st;
    const gpb__ynode *cur = t->root;
    char where[GPB_ERROR_PATH_MAX];
    size_t at = 0;
    out[0] = 0;
    for (size_t i = 0; i < ns; i++) {
        const ov_step *s = &steps[i];
        gpb__ynode **slot =
            cur && cur->kind == GPB__Y_MAP
                ? ov_map_slot((gpb__ynode *)cur, s->key, s->key_len)
                : NULL;
        if (!slot && s->n_sel) {
            ov_where(where, sizeof where, steps, i, 0);
            return ov_fail(&c, GPB_ENOTFOUND,
                           "%s is not in the scenario, so [%.*s] selects "
                           "nothing",
                           where, (int)s->sel_len[0], s->sel[0]);
        }
        at += (size_t)snprintf(out + at, at < n ? n - at : 0, "%s%.*s",
                               i ? "." : "", (int)s->key_len, s->key);
        cur = slot ? *slot : NULL;
        for (size_t j = 0; j < s->n_sel; j++) {
            ov_where(where, sizeof where, steps, i, j);
            if (!cur || cur->kind != GPB__Y_SEQ)
                return ov_fail(&c, GPB_ENOTFOUND,
                               "%s is %s, not a list, so [%.*s] selects "
                               "nothing",
                               where, cur ? gpb__ynode_describe(cur) : "absent",
                               (int)s->sel_len[j], s->sel[j]);
            long k = ov_select(&c, cur, s->sel[j], s->sel_len[j], where, &st);
            if (k < 0)
                return st;
            at += (size_t)snprintf(out + at, at < n ? n - at : 0, "[%ld]", k);
            cur = cur->kids[k];
        }
    }
    if (at >= n)
        return gpb__fail(err, GPB_ELIMIT, "the key path '%s' is too long",
                         path);
    return GPB_OK;
}

gpb_status gpb__ytree_override(gpb__ytree *t, const char *overrides,
                               const char *source, gpb_error *err)
{
    ov_ctx c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.source = source ? source : "";
    c.err = err;
    if (!t)
        return gpb__fail(err, GPB_EINVAL, "gpb__ytree_override: NULL tree");
    if (!overrides)
        return GPB_OK;
    size_t total = strlen(overrides);
    if (total > GPB__YAML_MAX_OVERRIDES_BYTES)
        return gpb__fail_at(err, GPB_ELIMIT, c.source, 0, 0, "",
                            "the overrides are %zu bytes long; at most %d "
                            "are allowed",
                            total, GPB__YAML_MAX_OVERRIDES_BYTES);
    const char *p = overrides;
    int count = 0;
    for (;;) {
        while (ov_is_space(*p) || *p == ';')
            p++;
        if (!*p)
            return GPB_OK;
        const char *start = p;
        while (*p && *p != '=' && *p != ';')
            p++;
        const char *eq = p;
        const char *vs = NULL, *ve = NULL;
        if (*p == '=') {
            vs = p + 1;
            while (ov_is_space(*vs))
                vs++;
            if (*vs == '{' || *vs == '[' || *vs == '"' || *vs == '\'')
                p = ov_flow_end(vs);
            else
                p = vs;
            while (*p && *p != ';')
                p++;
            ve = p;
            while (ve > vs && ov_is_space(ve[-1]))
                ve--;
        }
        const char *pe = eq;
        while (pe > start && ov_is_space(pe[-1]))
            pe--;
        ov_clip(c.pair, sizeof c.pair, start,
                (size_t)((ve ? ve : eq) - start));
        ov_clip(c.path, sizeof c.path, start, (size_t)(pe - start));
        if (++count > GPB__YAML_MAX_OVERRIDES)
            return ov_fail(&c, GPB_ELIMIT,
                           "more than %d overrides in one string",
                           GPB__YAML_MAX_OVERRIDES);
        if (!vs)
            return ov_fail(&c, GPB_ESYNTAX,
                           "expected 'path=value' (such as "
                           "'training[0].gpus=512'), found no '='");
        gpb_status st = ov_apply(&c, start, (size_t)(pe - start), vs,
                                 (size_t)(ve - vs));
        if (st)
            return st;
        /* A pair adds at most its value and one key and mapping per step,
           so checking after each pair overshoots by a bounded amount. */
        if (t->nodes > GPB__YAML_MAX_NODES)
            return ov_fail(&c, GPB_ELIMIT,
                           "the scenario and its overrides together expand "
                           "to more than %d YAML nodes",
                           GPB__YAML_MAX_NODES);
        if (t->text_bytes > GPB__YAML_MAX_TEXT_BYTES)
            return ov_fail(&c, GPB_ELIMIT,
                           "the scenario and its overrides together expand "
                           "to more than %u bytes of YAML text",
                           (unsigned)GPB__YAML_MAX_TEXT_BYTES);
    }
}
