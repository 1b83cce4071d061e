/*
 * What a loaded scenario keeps for its reports: the text it was read from
 * (so a report can embed the scenario it ran) and a label for every input
 * in the names the file uses (gpubudget/scenario.h,
 * gpb_scenario_input_label; docs/output.md, "Input labels").
 *
 * A label reads "<who>: <what>". <who> is the list item the input belongs
 * to, by the name written in the file (a run's, workload's or cost's
 * `name`, a team line's `role`, "fleet <name>" for a fleet and "funding
 * <name>" for a round), or the section for inputs outside lists
 * ("serving", "exchange rate"; none for `company`). An item whose name is
 * empty falls back to its key path index ("training[1]"); a round without
 * a name is "funding round_1", the name the loader gives it and its
 * metrics carry. <what> is the key path below the item in words ("salary
 * per year", "divergence work lost"), with acronyms capitalised and a few
 * keys given a phrase that reads better than their words ("checkpoint
 * interval"). Names keep their characters (CJK included); control
 * characters become spaces. When two inputs would get the same label,
 * each of them gets its key path appended, "ops: start month
 * (team[2].start_month)", so labels are unique and a chart's categories
 * never merge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_read.h"

/* Labels are built in gpb__buf (internal.h). */
typedef gpb__buf lbuf;

static void lb_put(lbuf *b, const char *s, size_t n)
{
    gpb__buf_put(b, s, n);
}

static void lb_str(lbuf *b, const char *s) { lb_put(b, s, strlen(s)); }

/* A name as written, with control characters (a "\n" in a quoted YAML
   string) turned into spaces so a label is always one line. */
static void lb_name(lbuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char c = (char)(*p < 0x20 || *p == 0x7f ? ' ' : *p);
        lb_put(b, &c, 1);
    }
}

/* 1 when s has something other than spaces. */
static int has_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 1;
    return 0;
}

/* Words of keys written as people write them. */
static const struct {
    const char *word, *text;
} WORDS[] = {
    {"mfu", "MFU"},   {"gpu", "GPU"},       {"gpus", "GPUs"},
    {"tdp", "TDP"},   {"pue", "PUE"},       {"mtbf", "MTBF"},
    {"kwh", "kWh"},   {"kw", "kW"},         {"arpu", "ARPU"},
    {"kv", "KV"},     {"tflops", "TFLOP/s"}, {"params", "parameters"},
    {"param", "parameter"},
};

/* Keys whose words read badly, in a section (NULL: any). */
static const struct {
    const char *section, *key, *text;
} PHRASES[] = {
    {"team", "count", "headcount"},
    {"team", "add_per_month", "hires per month"},
    {"team", "max_count", "headcount cap"},
    {"team", "on_cost", "on-costs"},
    {"other_costs", "per_month", "cost per month"},
    {"data", "months", "least months"},
    {"data", "kept", "share kept"},
    {"data", "count", "labels"},
    {"serving", "users", "users at start"},
    {"funding", "month", "closing month"},
    {"funding", "probability", "probability of closing"},
    {"fleets", "overhead", "server and network overhead"},
    {"fleets", "premium", "price premium"},
    {NULL, "checkpoint_every_minutes", "checkpoint interval"},
    {NULL, "restart_minutes", "restart time"},
    {NULL, "gpu_mtbf_hours", "GPU MTBF"},
    {NULL, "lead_time_months", "lead time"},
    {NULL, "delay_months", "delivery delay"},
    {NULL, "delay_probability", "delivery delay probability"},
    {NULL, "depreciation_months", "depreciation life"},
    {NULL, "commitment_months", "commitment"},
    {NULL, "tdp_watts", "TDP"},
    {NULL, "peak_tflops", "peak TFLOP/s"},
    {NULL, "d_model", "model width"},
    {NULL, "context", "context length"},
    {NULL, "exploration", "exploration multiplier"},
    {NULL, "colo_per_kw_month", "colocation per kW-month"},
    {NULL, "peak_to_mean", "peak-to-mean ratio"},
    {NULL, "batch", "batch size"},
};

/* Mapping keys between an item and its input that say nothing a reader
   needs ("failures" above "gpu_mtbf_hours"), or say it better in words. */
static const struct {
    const char *key, *text;
} STEPS[] = {
    {"failures", ""},
    {"financing", ""},
    {"rent_out", "rent-out"},
    {"labels", ""},
    {"model", ""},
};

/* Sections outside lists: what their inputs' labels start with ("" for
   none). */
static const struct {
    const char *key, *text;
} SECTIONS[] = {
    {"company", ""},
    {"exchange_rates", "exchange rate"},
    {"gpu_price_index", "GPU price index"},
    {"serving", "serving"},
    {"revenue", "revenue"},
};

/* A key in words: "salary_per_year" → "salary per year". */
static void lb_words(lbuf *b, const char *key, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && key[j] != '_')
            j++;
        const char *text = NULL;
        for (size_t k = 0; k < sizeof WORDS / sizeof WORDS[0]; k++)
            if (strlen(WORDS[k].word) == j - i &&
                !strncmp(WORDS[k].word, key + i, j - i))
                text = WORDS[k].text;
        if (i > 0)
            lb_str(b, " ");
        if (text)
            lb_str(b, text);
        else
            lb_put(b, key + i, j - i);
        i = j + 1;
    }
}

/* The leaf key in words, or its phrase in `section` (the list or section
   the input belongs to). */
static void lb_leaf(lbuf *b, const char *section, const char *key, size_t n)
{
    for (size_t k = 0; k < sizeof PHRASES / sizeof PHRASES[0]; k++)
        if ((!PHRASES[k].section ||
             (section && !strcmp(PHRASES[k].section, section))) &&
            strlen(PHRASES[k].key) == n && !strncmp(PHRASES[k].key, key, n)) {
            lb_str(b, PHRASES[k].text);
            return;
        }
    lb_words(b, key, n);
}

/* One step of a key path: "team[0]" is key "team", index 0. */
typedef struct step {
    const char *key;
    size_t len;
    long index; /* -1 when the step has no [i] */
} step;

#define MAX_STEPS 16

/* Splits a path at its dots. Returns the step count (0 when it does not
   parse, or has too many steps). */
static size_t split(const char *path, step *st)
{
    size_t n = 0;
    const char *p = path;
    while (*p) {
        if (n == MAX_STEPS)
            return 0;
        const char *e = p;
        while (*e && *e != '.' && *e != '[')
            e++;
        st[n].key = p;
        st[n].len = (size_t)(e - p);
        st[n].index = -1;
        if (*e == '[') {
            char *end;
            unsigned long i = strtoul(e + 1, &end, 10);
            if (end == e + 1 || *end != ']' || i > GPB__MAX_LIST_ITEMS)
                return 0;
            st[n].index = (long)i;
            e = end + 1;
        }
        n++;
        if (*e == '.')
            e++;
        else if (*e)
            return 0;
        p = e;
    }
    return n;
}

static int key_is(const step *s, const char *key)
{
    return strlen(key) == s->len && !strncmp(s->key, key, s->len);
}

/* The name of list item `index` of the list at steps st[0..at], or NULL;
   *section gets the list's name as the phrase table knows it. */
static const char *item_name(const gpb_scenario *s, const step *st,
                             size_t at, const char **section)
{
    size_t i = (size_t)st[at].index;
    const step *k = &st[at];
    *section = NULL;
    if (at == 0 && key_is(k, "team")) {
        *section = "team";
        return i < s->n_team ? s->team[i].role : NULL;
    }
    if (at == 0 && key_is(k, "training")) {
        *section = "training";
        return i < s->n_training ? s->training[i].name : NULL;
    }
    if (at == 0 && key_is(k, "capacity")) {
        *section = "capacity";
        return i < s->n_capacity ? s->capacity[i].name : NULL;
    }
    if (at == 0 && key_is(k, "fleets")) {
        *section = "fleets";
        return i < s->n_fleets ? s->fleets[i].name : NULL;
    }
    if (at == 0 && key_is(k, "other_costs")) {
        *section = "other_costs";
        return i < s->n_other ? s->other[i].name : NULL;
    }
    if (at == 0 && key_is(k, "data")) {
        *section = "data";
        return i < s->n_data ? s->data[i].name : NULL;
    }
    if (at == 1 && key_is(&st[0], "company") && key_is(k, "funding")) {
        *section = "funding";
        return i < s->n_funding ? s->funding[i].name : NULL;
    }
    return NULL;
}

/* The steps st[from..n-1] in words, the last one as a leaf. */
static void lb_what(lbuf *b, const char *section, const step *st,
                    size_t from, size_t n)
{
    int first = 1;
    for (size_t j = from; j < n; j++) {
        const char *text = NULL;
        if (j + 1 < n)
            for (size_t k = 0; k < sizeof STEPS / sizeof STEPS[0]; k++)
                if (key_is(&st[j], STEPS[k].key))
                    text = STEPS[k].text;
        if (text && !*text)
            continue;
        if (!first)
            lb_str(b, " ");
        first = 0;
        if (text)
            lb_str(b, text);
        else if (j + 1 == n)
            lb_leaf(b, section, st[j].key, st[j].len);
        else
            lb_words(b, st[j].key, st[j].len);
        if (st[j].index >= 0) { /* a list below an item: keep its index */
            char ix[32];
            snprintf(ix, sizeof ix, "[%ld]", st[j].index);
            lb_str(b, ix);
        }
    }
}

/* The label of one input into b. */
static void label_one(const gpb_scenario *s, const char *path, lbuf *b)
{
    step st[MAX_STEPS];
    size_t n = split(path, st);
    if (n == 0) { /* not a path this file knows: keep it */
        lb_name(b, path);
        return;
    }
    /* The innermost list item above the leaf. */
    size_t at = n;
    for (size_t j = n - 1; j-- > 0;)
        if (st[j].index >= 0) {
            at = j;
            break;
        }
    if (at < n) {
        const char *section;
        const char *name = item_name(s, st, at, &section);
        if (has_text(name)) {
            /* Rounds read as their metrics do ("funding A: closed"); a
               fleet often shares its run's name. */
            if (section && !strcmp(section, "funding"))
                lb_str(b, "funding ");
            else if (section && !strcmp(section, "fleets"))
                lb_str(b, "fleet ");
            lb_name(b, name);
        } else { /* no name to show: the index of the key path */
            char ix[32];
            lb_put(b, st[at].key, st[at].len);
            snprintf(ix, sizeof ix, "[%ld]", st[at].index);
            lb_str(b, ix);
        }
        lb_str(b, ": ");
        lb_what(b, section, st, at + 1, n);
        return;
    }
    if (n == 1) {
        lb_leaf(b, NULL, st[0].key, st[0].len);
        return;
    }
    const char *who = NULL, *section = NULL;
    for (size_t k = 0; k < sizeof SECTIONS / sizeof SECTIONS[0]; k++)
        if (key_is(&st[0], SECTIONS[k].key)) {
            who = SECTIONS[k].text;
            section = SECTIONS[k].key;
        }
    if (!who) {
        lb_words(b, st[0].key, st[0].len);
        lb_str(b, ": ");
    } else if (*who) {
        lb_str(b, who);
        lb_str(b, ": ");
    }
    lb_what(b, section, st, 1, n);
}

/* Sorting labels, ties by index. */
typedef struct ilabel {
    const char *label;
    size_t i;
} ilabel;

static int by_label(const void *a, const void *b)
{
    const ilabel *x = a, *y = b;
    int c = strcmp(x->label, y->label);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Appends " (path)" to every label that another input shares: O(n log n)
   comparisons. */
static int make_unique(gpb_scenario *s)
{
    size_t n = s->n_inputs;
    if (n < 2)
        return 0;
    ilabel *v = malloc(n * sizeof *v);
    unsigned char *dup = calloc(n, 1);
    if (!v || !dup) {
        free(v);
        free(dup);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = (ilabel){s->inputs[i].label, i};
    qsort(v, n, sizeof *v, by_label);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(v[k].label, v[k - 1].label))
            dup[v[k].i] = dup[v[k - 1].i] = 1;
    free(v);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!dup[i])
            continue;
        lbuf b = {0};
        lb_str(&b, s->inputs[i].label);
        lb_str(&b, " (");
        lb_str(&b, s->inputs[i].path);
        lb_str(&b, ")");
        if (b.oom) {
            free(b.p);
            rc = -1;
        } else {
            free(s->inputs[i].label);
            s->inputs[i].label = b.p;
        }
    }
    free(dup);
    return rc;
}

int gpb__sc_keep(gpb_scenario *s, const char *text, size_t len,
                 const char *overrides)
{
    if (!s)
        return -1;
    s->text = malloc(len + 1);
    if (!s->text)
        return -1;
    memcpy(s->text, text, len);
    s->text[len] = 0;
    s->text_len = len;
    if (overrides && has_text(overrides) &&
        !(s->overrides = gpb__strdup(overrides)))
        return -1;
    for (size_t i = 0; i < s->n_inputs; i++) {
        lbuf b = {0};
        label_one(s, s->inputs[i].path, &b);
        if (b.oom || !b.p) {
            free(b.p);
            return -1;
        }
        s->inputs[i].label = b.p;
    }
    return make_unique(s);
}

void gpb__sc_free_kept(gpb_scenario *s)
{
    free(s->text);
    s->text = NULL;
    free(s->overrides);
    s->overrides = NULL;
    for (size_t i = 0; s->inputs && i < s->n_inputs; i++) {
        free(s->inputs[i].label);
        s->inputs[i].label = NULL;
    }
}
