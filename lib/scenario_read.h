/*
 * The scenario loader's toolkit, shared by scenario.c (the schema: which
 * keys each section has) and scenario_read.c (how any key is read: problems,
 * key paths, mappings, quantities, distributions, inputs). Not installed.
 *
 * Conventions: every reader takes the loader state L, the node or mapping
 * to read and the key path of what it reads ("training[0].mfu"). A reader
 * that finds a problem reports it (with the node's position, the path and
 * an "expected ..., found ..." sentence) and returns a failure value
 * (GPB__NONE, NULL, -1); the caller carries on, so one pass reports every
 * problem in the file.
 */
#ifndef GPB_SCENARIO_READ_H
#define GPB_SCENARIO_READ_H

#include <stddef.h>

#include "gpubudget/scenario.h"
#include "internal.h"
#include "scenario_model.h"
#include "yaml_tree.h"

/* Problems kept while walking, and problems handed to the caller. A broken
   file can produce one problem per node; nobody reads past the first few
   dozen, and the cap keeps a hostile file from costing memory. */
#define GPB__SC_MAX_COLLECTED 1000
#define GPB__SC_MAX_REPORTED 100
/* Keys in one mapping: the largest schema mapping has about twenty. */
#define GPB__SC_MAX_MAP_KEYS 100
/* "Did you mean" hints in one load may compare this many character pairs
   (edit-distance cells, plus the names scanned): a scenario with a few
   typos uses thousands; past the budget problems carry no hint, so a file
   with thousands of wrong names cannot make loading slow. */
#define GPB__SC_HINT_BUDGET (16u << 20)
/* Range checks of a distribution look this far into each tail. */
#define GPB__SC_SUPPORT_TAIL 1e-9

/* One problem and how serious it is. */
typedef struct gpb__diag {
    gpb_error e;
    gpb_severity severity;
} gpb__diag;

struct gpb_diagnostics {
    gpb__diag *items;
    size_t n, cap;
    size_t dropped; /* problems past GPB__SC_MAX_COLLECTED, not stored */
};

typedef struct gpb__loader {
    gpb_scenario *s;     /* being filled */
    gpb_diagnostics *d;  /* problems so far, errors and warnings */
    size_t errors;       /* errors reported (stored or dropped): the load
                            fails when there is one */
    const char *source;  /* file name for messages (borrowed) */
    int limit_hit;       /* a GPB_ELIMIT problem was reported */
    int nomem;           /* an allocation failed: the load fails ENOMEM */
    int inputs_full;     /* the input limit was reported */
    size_t cap_inputs;   /* allocated length of s->inputs */
    size_t hint_spent;   /* of GPB__SC_HINT_BUDGET */
} gpb__loader;

/* A key path buffer; paths longer than this are cut. */
typedef char gpb__pathbuf[GPB_ERROR_PATH_MAX];

/* --- problems --- */

/* Reports a problem at node `at` (NULL: no position). */
void gpb__sc_report(gpb__loader *L, gpb_status st, const gpb__ynode *at,
                    const char *path, const char *fmt, ...)
    GPB__PRINTF(5, 6);
/* Reports a problem at a 1-based line and column (0: no position). */
void gpb__sc_report_at(gpb__loader *L, gpb_status st, int line, int column,
                       const char *path, const char *fmt, ...)
    GPB__PRINTF(6, 7);
/* "missing required key 'key' (what)" at mapping `map`, path parent.key. */
void gpb__sc_missing(gpb__loader *L, const gpb__ynode *map,
                     const char *parent, const char *key, const char *what);
/* Adds a problem found elsewhere (the YAML tree's tag problems). */
void gpb__sc_add(gpb__loader *L, const gpb_error *e);
/* Reports a warning (status GPB_ERANGE, severity GPB_SEVERITY_WARNING) at
   a 1-based line and column (0: no position): the scenario still loads. */
void gpb__sc_warn_at(gpb__loader *L, int line, int column, const char *path,
                     const char *fmt, ...) GPB__PRINTF(5, 6);
/* Sorts the problems into file order and applies GPB__SC_MAX_REPORTED. */
void gpb__sc_finish(gpb__loader *L);

/* --- the plan as a whole (scenario_plan.c) --- */

/*
 * Checks a scenario that loaded without errors for plans that cannot work
 * as written, and reports each as a warning (docs/scenario.md, "Problems
 * and how they are reported"). Reads the inputs' medians; never fails.
 */
void gpb__sc_check_plan(gpb__loader *L);

/* --- paths and words --- */

void gpb__sc_path_key(char *out, const char *parent, const char *key);
void gpb__sc_path_index(char *out, const char *parent, size_t i);
/* s, cut to fit buf without splitting a UTF-8 character ("…" when cut). */
const char *gpb__sc_clip(const char *s, char *buf, size_t size);
/* "a list", "a mapping", "nothing (null)" or the scalar in quotes, with
   its tag when it has one ("'3' tagged !!int"). */
const char *gpb__sc_found(const gpb__ynode *n, char *buf, size_t size);
/* Tags and the schema's types (docs/scenario.md, "Tags"): text keys
   (names, ids, codes) take a scalar that is untagged or !!str; number keys
   take one that is untagged, !!str, !!int or !!float (the text goes to the
   units parser either way); true/false keys take untagged or !!bool. */
/* 1 for text: a scalar, not null, untagged or !!str. */
int gpb__sc_is_text(const gpb__ynode *n);
/* 1 for a quantity's text: a scalar, not null, untagged, !!str, !!int or
   !!float. */
int gpb__sc_is_qty(const gpb__ynode *n);
/* The nearest of names[0..n) to given for a "did you mean" hint, or NULL
   (scenario_read.c says what "near" means); NULL too once the load's
   GPB__SC_HINT_BUDGET is spent. */
const char *gpb__sc_nearest(gpb__loader *L, const char *given,
                            const char *const *names, size_t n,
                            const gpb__ynode *skip_map, int loose);
/* Names with their position in a list, sorted for look-ups and duplicate
   checks in O(n log n) comparisons (not O(n^2)). */
typedef struct gpb__sc_name {
    const char *name;
    size_t i;               /* the position in the list */
    const gpb__ynode *node; /* where the name is written (may be NULL) */
} gpb__sc_name;
/* Sorts by name, then by i. */
void gpb__sc_names_sort(gpb__sc_name *v, size_t n);
/* In sorted v, the entry named `name` with the smallest i (last = 0) or
   the largest (last = 1), or NULL. O(log n) comparisons. */
const gpb__sc_name *gpb__sc_names_find(const gpb__sc_name *v, size_t n,
                                       const char *name, int last);
/* Repeated names in a list: a new array (free with free(); NULL when the
   list is empty, or out of memory, which is noted) whose entry i is the
   first item with item i's text under `key`, or i. O(n log n)
   comparisons, where checking each item against the earlier ones would be
   O(n^2). */
size_t *gpb__sc_repeats(gpb__loader *L, const gpb__ynode *list,
                        const char *key);
/* Reports item i (at `path`) when `first` (from gpb__sc_repeats) says an
   earlier item has its name: "expected a unique <what>, found 'x' again
   (first at line N)". */
void gpb__sc_check_unique(gpb__loader *L, const gpb__ynode *list,
                          const size_t *first, size_t i, const char *key,
                          const char *path, const char *what);
/* "a, b, c" into buf. */
void gpb__sc_join(const char *const *names, size_t n, char *buf,
                  size_t size);
size_t gpb__sc_count_names(const char *const *names);

/* --- mappings --- */

/* The value of `key` in mapping m (the first if repeated), or NULL; *keynode
   (if not NULL) receives the key's node. */
const gpb__ynode *gpb__sc_get2(const gpb__ynode *m, const char *key,
                               const gpb__ynode **keynode);
const gpb__ynode *gpb__sc_get(const gpb__ynode *m, const char *key);
/* Checks that node is a mapping with only `keys` (NULL-ended), none
   repeated; reports unknown keys with a suggestion. 1 when node is a
   mapping. A mapping reached again (through an alias) is checked again
   only against another key list, and its repeated keys and keys that are
   not text are reported once: O(K log K) comparisons per check. */
int gpb__sc_check_map(gpb__loader *L, const gpb__ynode *node,
                      const char *path, const char *what,
                      const char *const *keys);
/* The list under `key` (NULL when absent, null, or reported: not a list,
   or longer than GPB__MAX_LIST_ITEMS). */
const gpb__ynode *gpb__sc_list(gpb__loader *L, const gpb__ynode *m,
                               const char *parent, const char *key,
                               const char *what);
/* A new copy of the text under `key`, or NULL. */
char *gpb__sc_str(gpb__loader *L, const gpb__ynode *m, const char *parent,
                  const char *key, int required, const char *what);
/* true/false (also yes/no, on/off) under `key`; dflt when absent. */
int gpb__sc_bool(gpb__loader *L, const gpb__ynode *m, const char *parent,
                 const char *key, int dflt);

/* --- numbers --- */

enum {
    GPB__V_LO_OPEN = 1u << 0,   /* the range excludes lo */
    GPB__V_HI_OPEN = 1u << 1,   /* the range excludes hi */
    GPB__V_INT = 1u << 2,       /* a constant must be a whole number */
    GPB__V_SCALAR = 1u << 3,    /* no distribution allowed */
    GPB__V_PER_EVENT = 1u << 4, /* drawn per event by the engine */
    GPB__V_ELIMIT = 1u << 5,    /* above hi is a limit, not a range error */
    /* A fraction or a rate whose range passes 1 (on_cost, annual rates,
       monthly log-changes): a constant above hi that reads as a
       percentage written without its sign gets the units layer's hint
       ("did you mean 35% = 0.35?"), as the keys in [0, 1] always do. */
    GPB__V_PCT_HINT = 1u << 6,
    /* As GPB__V_PCT_HINT, and a constant in (1, hi] is accepted with a
       warning carrying the hint: nobody means on-costs of five salaries. */
    GPB__V_PCT_WARN = 1u << 7,
    /* A price per hour of something other than a GPU (a CPU core): a
       rate per GPU is refused. Other money-per-hour keys are a GPU's
       price and refuse a rate per day or longer that names no GPU
       (gpb__rate_is_hourly_price). */
    GPB__V_NOT_GPU = 1u << 8,
    /* The engine rounds the value to the nearest whole number (a month
       number or a count of months: month_of in engine_block.c). A
       constant may have a fraction; the domain says whole, so that a
       sweep or a goal seek tries the values that differ. */
    GPB__V_ROUNDED = 1u << 9,
    /* A person's pay per year or month: a rate per hour or per day is
       refused, since the hours or days worked are not in the key (×8766
       read "$50/hour" as $438k a year, a 40-hour week makes it $104k). A
       rate per week or longer converts by the calendar. */
    GPB__V_WAGE = 1u << 10
};

/*
 * What a key accepts.
 *   expect      what to say we expected ("an amount of money")
 *   kind        the kind of the stored input; its value is in the unit the
 *               key names (hours for DURATION, minutes for *_minutes keys,
 *               months for month keys)
 *   lo, hi      the range every value the input can take must lie in
 *   flags       GPB__V_*
 *   per_hour    for MONEY keys: a price per hour ("¥60万/年" parses as one)
 *               is accepted and multiplied by this many hours, unless it
 *               is per GPU ("$2/GPU-hour" is no wage); 0 = refused
 *   from_hours  for NUMBER keys: a duration ("6 months") is accepted and
 *               its hours multiplied by this; 0 = refused
 *   pct_note    with GPB__V_PCT_WARN: what else the value may mean, said
 *               before the hint (NULL: nothing)
 */
typedef struct gpb__vspec {
    const char *expect;
    gpb_qty_kind kind;
    double lo, hi;
    unsigned flags;
    double per_hour;
    double from_hours;
    const char *pct_note;
} gpb__vspec;

/*
 * Reads any value for spec sp: a quantity, "lo to hi" (a lognormal with
 * that 90% interval) or a distribution ({kind: args}), and checks that all
 * it can take lies in sp's range. Returns 0 with *out built (new; the
 * caller frees it) and *cur its currency (the scenario's for money written
 * without one; NONE for other kinds), or -1 after reporting.
 */
int gpb__sc_value(gpb__loader *L, const gpb__ynode *node,
                  const gpb__vspec *sp, const char *path, gpb_dist *out,
                  gpb_currency *cur);

/* gpb__sc_convert of text for key sp, as an error: GPB_ESCHEMA at path
   with the sentence, as gpb_scenario_input_read and a sweep's range
   report it. *cur may be NULL. */
gpb_status gpb__sc_read(const gpb__vspec *sp, const char *text,
                        const char *path, double *v, gpb_currency *cur,
                        gpb_error *err);

/* Whether x lies in sp's range: GPB_OK, else the loader's status for it
   (GPB_ELIMIT above the limit of a GPB__V_ELIMIT key, else GPB_ESCHEMA);
   the range as the loader words it ("in [1, 600]") in rt either way. */
gpb_status gpb__sc_range_check(const gpb__vspec *sp, double x, char *rt,
                               size_t n);

/* A claim's value past its sign: a claim may be negative ("-$1M" of
   cash), the sign the claim's and the amount the units layer's, so the
   text after a '-' that stands before a currency, with *neg 1; else text
   itself, *neg 0. The loader and the claims' unit check read it alike. */
const char *gpb__sc_claim_amount(const char *text, int *neg);

/* The spec of a scalar key of the scenario that is not an input
   (horizon_months), for a tool that writes its values (a sweep's range);
   NULL for any other key. */
const gpb__vspec *gpb__sc_structural_spec(const char *key);

/*
 * Reads text as one value of key sp, in the key's unit (a duration for a
 * key in months as months, a rate for a key per year as the amount per
 * year), as every value of a scenario is read: 0 with *v and *cur (the
 * money's currency, NONE when none is named or the kind carries none), or
 * -1 with the sentence in msg ("expected ..., found ..."). The range is
 * not checked.
 */
int gpb__sc_convert(const gpb__vspec *sp, const char *text, double *v,
                    gpb_currency *cur, char *msg, size_t n);

/* Records sp's range as input i's domain (gpb_scenario_input_domain);
   returns i (GPB__NONE passes through). */
int gpb__sc_domain(gpb__loader *L, int i, const gpb__vspec *sp);

/* A constant input at path with value v (a default), positioned at `at`.
   Returns its index or GPB__NONE. */
int gpb__sc_fixed(gpb__loader *L, const char *path, double v,
                  gpb_qty_kind kind, gpb_currency cur, const gpb__ynode *at);

/* An input with distribution *d (taken over: freed on failure, zeroed on
   success), of a kind that is not money, positioned at `at`. Returns its
   index or GPB__NONE. */
int gpb__sc_dist_input(gpb__loader *L, const char *path, gpb_dist *d,
                       gpb_qty_kind kind, const gpb__ynode *at);

/*
 * The input under `key` of mapping m, read with gpb__sc_value.
 *   required  1: report when absent
 *   dflt      when absent and not required: NAN for no input (GPB__NONE),
 *             else a constant input with this value
 * Returns the input's index or GPB__NONE.
 */
int gpb__sc_input(gpb__loader *L, const gpb__ynode *m, const char *parent,
                  const char *key, const gpb__vspec *sp, int required,
                  double dflt);

/* The lowest and highest values input i can take (its 1e-9 and 1 - 1e-9
   quantiles). */
double gpb__sc_input_lo(const gpb__loader *L, int i);
double gpb__sc_input_hi(const gpb__loader *L, int i);

/* --- fleets and acquisition (scenario_fleet.c) --- */

void gpb__sc_load_fleets(gpb__loader *L, const gpb__ynode *root);
void gpb__sc_link_fleets(gpb__loader *L, const gpb__ynode *root);
void gpb__sc_free_fleets(gpb_scenario *s);
void gpb__sc_load_acquire(gpb__loader *L, gpb__training *t,
                          const gpb__ynode *m, const char *p);
/* price_per_gpu_hour, defaulting to the card's catalog rent (USD). */
int gpb__sc_rent_price(gpb__loader *L, const gpb__ynode *m, const char *p,
                       const gpb_gpu *gpu);
/* serving.model: serving priced from tokens and throughput. */
void gpb__sc_load_serving_model(gpb__loader *L, gpb__serving *v,
                                const gpb__ynode *m, const char *parent);

/* --- data work (scenario_data.c) --- */

/* data: after training (its runs: names the training runs). */
void gpb__sc_load_data(gpb__loader *L, const gpb__ynode *root);
void gpb__sc_free_data(gpb_scenario *s);

/* --- what a loaded scenario keeps for its reports (scenario_label.c) --- */

/*
 * Keeps a copy of the text the scenario was read from and of its
 * overrides (NULL or "" for none), and gives every input its label
 * (gpb_scenario_input_label). Called once the walk is over. Returns 0, or
 * -1 when out of memory.
 */
int gpb__sc_keep(gpb_scenario *s, const char *text, size_t len,
                 const char *overrides);
/* Frees what gpb__sc_keep made (safe on a scenario it never saw). */
void gpb__sc_free_kept(gpb_scenario *s);

/* --- files --- */

/*
 * Reads a whole scenario file into *text (new, malloc'd, not
 * NUL-terminated; free with free()) and its length into *len. Returns
 * GPB_OK; GPB_EIO (cannot open or read: the message names the file and
 * why), GPB_ELIMIT (larger than GPB_SCENARIO_MAX_BYTES) or GPB_ENOMEM,
 * with e (not NULL) filled. Thread-safe (no strerror).
 */
gpb_status gpb__scenario_read_file(const char *path, char **text,
                                   size_t *len, gpb_error *e);

#endif /* GPB_SCENARIO_READ_H */
