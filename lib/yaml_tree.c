/*
 * YAML text to a bounded node tree (see yaml_tree.h for why and what).
 *
 * Cost bounds: every event is handled in O(1) amortised time except an
 * anchor look-up, which scans the anchors seen so far; since a scenario has
 * few anchors and the whole expanded document is capped at
 * GPB__YAML_MAX_NODES, parsing is linear in practice and never unbounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "internal.h"
#include "yaml_tree.h"

typedef struct anchor {
    char *name;
    gpb__ynode *node;
} anchor;

typedef struct open_node {
    gpb__ynode *node;
    char *anchor; /* registered when the node closes (owned until then) */
} open_node;

typedef struct builder {
    gpb__ytree *tree;
    const char *text;
    size_t len;
    const char *source;
    gpb_error *err;
    open_node stack[GPB__YAML_MAX_DEPTH + 1];
    size_t depth;
    anchor *anchors;
    size_t n_anchors, cap_anchors;
    size_t total; /* expanded nodes so far; equals the root's final size */
    int documents;
} builder;

int gpb__ynode_is_null(const gpb__ynode *n)
{
    if (!n || n->kind != GPB__Y_SCALAR || !n->plain)
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

static gpb_status count_nodes(builder *b, size_t add, yaml_mark_t mark)
{
    /* add never exceeds the limit (it is 1 or a finished subtree, already
       counted once), so the sum cannot wrap. */
    b->total += add;
    if (b->total > GPB__YAML_MAX_NODES)
        return fail_at(b, GPB_ELIMIT, mark,
                       "YAML aliases expand to more than %d nodes; a "
                       "scenario needs far fewer (is this an alias bomb?)",
                       GPB__YAML_MAX_NODES);
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

static gpb_status register_anchor(builder *b, const yaml_char_t *name,
                                  gpb__ynode *n)
{
    if (!name)
        return GPB_OK;
    if (b->n_anchors == b->cap_anchors) {
        size_t cap = b->cap_anchors ? 2 * b->cap_anchors : 8;
        anchor *a = realloc(b->anchors, cap * sizeof *a);
        if (!a)
            return nomem(b);
        b->anchors = a;
        b->cap_anchors = cap;
    }
    char *copy = gpb__strdup((const char *)name);
    if (!copy)
        return nomem(b);
    b->anchors[b->n_anchors].name = copy;
    b->anchors[b->n_anchors].node = n;
    b->n_anchors++;
    return GPB_OK;
}

/* The latest definition wins, as YAML 1.2 says for a redefined anchor. */
static gpb__ynode *find_anchor(const builder *b, const char *name)
{
    for (size_t i = b->n_anchors; i-- > 0;)
        if (strcmp(b->anchors[i].name, name) == 0)
            return b->anchors[i].node;
    return NULL;
}

static gpb_status on_scalar(builder *b, const yaml_event_t *ev)
{
    gpb_status st = count_nodes(b, 1, ev->start_mark);
    if (st)
        return st;
    gpb__ynode *n = new_node(b, GPB__Y_SCALAR, ev->start_mark);
    if (!n)
        return nomem(b);
    size_t len = ev->data.scalar.length;
    n->text = malloc(len + 1);
    if (!n->text)
        return nomem(b);
    memcpy(n->text, ev->data.scalar.value, len);
    n->text[len] = '\0';
    n->len = len;
    /* A scalar with an explicit tag (!!str) is never read as null. */
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
               ev->data.scalar.tag == NULL;
    st = register_anchor(b, ev->data.scalar.anchor, n);
    return st ? st : attach(b, n);
}

static gpb_status on_start(builder *b, const yaml_event_t *ev,
                           gpb__ykind kind, const yaml_char_t *anchor_name)
{
    if (b->depth >= GPB__YAML_MAX_DEPTH)
        return fail_at(b, GPB_ELIMIT, ev->start_mark,
                       "YAML nesting deeper than %d levels; a scenario "
                       "needs only a few",
                       GPB__YAML_MAX_DEPTH);
    gpb_status st = count_nodes(b, 1, ev->start_mark);
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
    return GPB_OK;
}

static gpb_status on_end(builder *b)
{
    /* libyaml pairs every end with a start, so depth > 0 here. */
    open_node *top = &b->stack[--b->depth];
    gpb__ynode *n = top->node;
    size_t sum = 1;
    for (size_t i = 0; i < n->n_kids; i++)
        sum += n->kids[i]->expanded;
    n->expanded = sum;
    gpb_status st = GPB_OK;
    if (top->anchor) {
        st = register_anchor(b, (const yaml_char_t *)top->anchor, n);
        free(top->anchor);
        top->anchor = NULL;
    }
    return st;
}

static gpb_status on_alias(builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    gpb__ynode *n = find_anchor(b, name);
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
    gpb_status st = count_nodes(b, n->expanded, ev->start_mark);
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
    line = (int)p->problem_mark.line + 1;
    column = (int)p->problem_mark.column + 1;
    if (p->context)
        return gpb__fail_at(b->err, GPB_ESYNTAX, b->source, line, column, "",
                            "YAML syntax error: %s (%s that starts at line "
                            "%d, column %d)",
                            problem, p->context,
                            (int)p->context_mark.line + 1,
                            (int)p->context_mark.column + 1);
    return gpb__fail_at(b->err, GPB_ESYNTAX, b->source, line, column, "",
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
        return on_start(b, ev, GPB__Y_SEQ, ev->data.sequence_start.anchor);
    case YAML_MAPPING_START_EVENT:
        return on_start(b, ev, GPB__Y_MAP, ev->data.mapping_start.anchor);
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

gpb_status gpb__ytree_parse(const char *text, size_t len, const char *source,
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
    for (size_t i = 0; i < b.n_anchors; i++)
        free(b.anchors[i].name);
    free(b.anchors);
    if (st) {
        gpb__ytree_free(b.tree);
        return st;
    }
    *out = b.tree;
    return GPB_OK;
}
