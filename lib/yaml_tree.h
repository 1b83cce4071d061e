/*
 * A small, bounded YAML document tree built from libyaml's event stream, for
 * the scenario loader. Not installed.
 *
 * Why not libyaml's document API: it expands nothing but also bounds
 * nothing, and it reports positions only for the nodes it keeps. Building the
 * tree ourselves lets the loader refuse alias bombs and deep nesting before
 * they cost memory or stack, and keeps every node's position.
 *
 * Aliases are not copied: an alias becomes a second reference to the
 * anchored node, so the tree is a DAG that owns its nodes through a single
 * list. Each node records how many nodes, and how many bytes of scalar
 * text, its subtree holds once aliases are expanded; the builder stops as
 * soon as the load's expanded size passes GPB__YAML_MAX_NODES nodes or
 * GPB__YAML_MAX_TEXT_BYTES bytes, so any walk of the tree costs at most
 * that many visits and any copy of its text at most that many bytes. One
 * budget covers a whole load: the document and every override applied to
 * it (gpb__ytree_override) draw on the same counts.
 *
 * Tags: each node records the standard tag written on it (!!str, !!int,
 * !!float, !!bool, !!null, !!seq, !!map), checked against the node when it
 * is built. A tag that contradicts its node, and any other tag, is a
 * problem the tree keeps (gpb__ytree.problems) without stopping the parse,
 * so the loader reports it with every other problem of the file.
 */
#ifndef GPB_YAML_TREE_H
#define GPB_YAML_TREE_H

#include <stddef.h>

#include "gpubudget/common.h"

/* Nodes in a load (the document and its overrides) once aliases are
   expanded: the billion-laughs bound. */
#define GPB__YAML_MAX_NODES 100000
/* Bytes of scalar text in a load once aliases are expanded: twice the
   largest file (GPB_SCENARIO_MAX_BYTES), so a file without aliases never
   meets it, while one long scalar aliased a thousand times does. */
#define GPB__YAML_MAX_TEXT_BYTES (8u << 20)
/* Collections nested inside each other. */
#define GPB__YAML_MAX_DEPTH 64
/* Tag problems a tree keeps; past this they are only counted. */
#define GPB__YAML_MAX_PROBLEMS 100

typedef enum gpb__ykind {
    GPB__Y_SCALAR = 0,
    GPB__Y_SEQ,
    GPB__Y_MAP
} gpb__ykind;

/* The tag written on a node. NONE also stands for a tag that was refused
   (the problem is in the tree's list) and for the non-specific tag "!" on
   a collection; "!" on a scalar is STR, as YAML says. */
typedef enum gpb__ytag {
    GPB__YTAG_NONE = 0,
    GPB__YTAG_STR,   /* !!str: text, on a scalar */
    GPB__YTAG_INT,   /* !!int: a decimal integer literal */
    GPB__YTAG_FLOAT, /* !!float: a decimal number, .inf or .nan */
    GPB__YTAG_BOOL,  /* !!bool: true/false, yes/no, on/off (any case) */
    GPB__YTAG_NULL,  /* !!null: empty, ~ or null */
    GPB__YTAG_SEQ,   /* !!seq, on a sequence */
    GPB__YTAG_MAP    /* !!map, on a mapping */
} gpb__ytag;

typedef struct gpb__ynode gpb__ynode;
struct gpb__ynode {
    gpb__ykind kind;
    gpb__ytag tag;
    int line, column; /* 1-based position of the node's first character */
    int plain;        /* scalar written without quotes, block style or tag */
    char *text;       /* scalar: its value, NUL-terminated (owned) */
    size_t len;       /* scalar: length of text in bytes */
    gpb__ynode **kids; /* SEQ: the items; MAP: key0, value0, key1, ... */
    size_t n_kids;     /* SEQ: items; MAP: twice the number of pairs */
    size_t cap_kids;
    size_t expanded;   /* nodes in this subtree with aliases expanded */
    size_t expanded_bytes; /* scalar text bytes in it, aliases expanded */
    /* Marks for the scenario walk, which reaches a node once per alias of
       it: the key list a mapping was last checked against, and whether its
       keys were checked for duplicates (scenario_read.c). */
    const void *walk_checked_as;
    int walk_dups_checked;
    gpb__ynode *next_owned; /* the tree's list of every node it owns */
};

typedef struct gpb__ytree {
    gpb__ynode *root; /* NULL for an empty document */
    gpb__ynode *owned;
    /* The load's budget so far: nodes and text bytes with aliases
       expanded, counted by the parse and by every override. */
    size_t nodes, text_bytes;
    /* Tag problems (GPB_ESCHEMA, with position and key path), in document
       order, at most GPB__YAML_MAX_PROBLEMS; problems_dropped counts the
       rest. */
    gpb_error *problems;
    size_t n_problems, problems_dropped;
} gpb__ytree;

/*
 * Parses len bytes of YAML into *out (new; free with gpb__ytree_free). The
 * text must hold at most one document. On failure *out is NULL and err holds
 * the one problem that stopped the parse, with source, 1-based line and
 * column:
 *   GPB_ESYNTAX  malformed YAML (libyaml's description of the problem), an
 *                undefined or self-containing alias, more than one document
 *   GPB_ELIMIT   aliases expand past GPB__YAML_MAX_NODES nodes or
 *                GPB__YAML_MAX_TEXT_BYTES bytes of text, or nesting deeper
 *                than GPB__YAML_MAX_DEPTH
 *   GPB_ENOMEM   out of memory
 * A tag problem is not a failure: the tree is built and the problem is in
 * its list.
 *
 * Cost: O(len) expected time whatever the text, and O(len + nodes) memory
 * (anchors are found through a hash table keyed per parse).
 */
gpb_status gpb__ytree_parse(const char *text, size_t len, const char *source,
                            gpb__ytree **out, gpb_error *err);

/* Frees a tree and every node in it. Accepts NULL. */
void gpb__ytree_free(gpb__ytree *t);

/* 1 when n is a null scalar: plain and empty, "~", "null", "Null" or
   "NULL", or tagged !!null. */
int gpb__ynode_is_null(const gpb__ynode *n);

/* A word for the node's type in messages: "a mapping", "a list", "text",
   "nothing (null)". Static. */
const char *gpb__ynode_describe(const gpb__ynode *n);

/* Overrides in one string, and the length of that string. */
#define GPB__YAML_MAX_OVERRIDES 64
#define GPB__YAML_MAX_OVERRIDES_BYTES 16384

/*
 * Applies overrides to a parsed tree before the schema reads it, for
 * "what if" runs: `overrides` is "path=value" pairs separated by ';'
 * ("training[0].gpus=512; company.cash=$30M"). White space around paths,
 * values and separators is ignored; an empty pair (";;") is skipped.
 *
 * A path is keys separated by '.', each key optionally followed by one or
 * more [selectors] that pick a list item: a 0-based index ("training[0]")
 * or the value of the item's name, id or role key ("training[pretrain]").
 * Keys of mappings missing on the way are created (as mappings, or as the
 * value at the end), so an override can add a key the file leaves out;
 * list items are never created. The schema then reads the result as if the
 * file said it, and reports a bad value or an unknown key with its path.
 *
 * A value that starts with '{', '[', '"' or '\'' is read as YAML flow
 * ("{uniform: [0.3, 0.5]}", "'a; b'"; a ';' inside brackets or quotes does
 * not end the pair); any other value is taken verbatim as one plain scalar
 * ("$30M", "¥5万", "1.4T"), so YAML never misreads it.
 *
 * Containers on each path are copied before they change, so an alias that
 * shares a node elsewhere in the document keeps the original, and every
 * container on the path appears once in the expanded document. New nodes
 * have line and column 0 ("no position") in messages. The nodes an
 * override adds (its value's nodes with aliases expanded, and the keys and
 * mappings made on the way) are counted in t->nodes and t->text_bytes
 * against the same budget as the document; nodes it replaces are not given
 * back, so the sum bounds both the parsing and the later walk. The
 * `expanded` counts of the copied containers are not updated. A tag
 * problem in a flow value fails the override.
 *
 * Returns GPB_OK (NULL or blank overrides change nothing); on failure err
 * holds the source, the override's path as err->path and a sentence
 * quoting the pair, and the tree may be half changed (free it):
 *   GPB_ESYNTAX    a pair without '=', an empty path, a malformed
 *                  selector or key, a flow value that is not YAML
 *   GPB_ENOTFOUND  a selector past the end of its list or naming no item,
 *                  a key or selector applied to a value of the wrong kind
 *                  (a key under a list, a selector under a mapping or
 *                  under a single value)
 *   GPB_ESCHEMA    a tag problem in a flow value ("{uniform: !!str [1]}")
 *   GPB_ELIMIT     more than GPB__YAML_MAX_OVERRIDES pairs or
 *                  GPB__YAML_MAX_OVERRIDES_BYTES bytes, or the document
 *                  and the overrides together pass the budget above
 *   GPB_EINVAL     t is NULL
 *   GPB_ENOMEM
 */
gpb_status gpb__ytree_override(gpb__ytree *t, const char *overrides,
                               const char *source, gpb_error *err);

/*
 * The key path `path` as the overrides read it ("training[pretrain].mfu":
 * keys, each with [i] or [name] selectors) written with list indexes only
 * ("training[0].mfu"), the form of gpb_scenario_input_path, into out (n
 * bytes). Each [name] is the item whose name, id or role it is, as in
 * gpb__ytree_override; a key that is not in the tree is kept as written
 * unless a selector follows it. Returns GPB_OK; GPB_ESYNTAX for a
 * malformed path; GPB_ENOTFOUND for a selector that selects nothing;
 * GPB_ELIMIT when out is too small.
 */
gpb_status gpb__ytree_index_path(const gpb__ytree *t, const char *path,
                                 char *out, size_t n, gpb_error *err);

#endif /* GPB_YAML_TREE_H */
