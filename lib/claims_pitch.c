/*
 * A training pitch in one sentence ("70B params, 2T tokens, 512 H100, 30
 * days, $2M"): parsing it, what it implies by the compute layer's
 * formulas, and the scenario it is checked against (gpubudget/claims.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/claims.h"
#include "gpubudget/compute.h"
#include "gpubudget/finance.h"
#include "internal.h"

#define PITCH_MAX_BYTES 1024
#define PITCH_MAX_PARTS 16

/* Separators between parts: ASCII and the Chinese full-width forms. */
static size_t separator_at(const char *s)
{
    if (*s == ',' || *s == ';')
        return 1;
    static const char *const wide[] = {"\xef\xbc\x8c", /* ， */
                                       "\xe3\x80\x81", /* 、 */
                                       "\xef\xbc\x9b", /* ； */
                                       NULL};
    for (int i = 0; wide[i]; i++)
        if (!strncmp(s, wide[i], 3))
            return 3;
    return 0;
}

/* Trims ASCII space and U+3000 from both ends, in place. */
static char *trim(char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '\t')
            s++;
        else if (!strncmp(s, "\xe3\x80\x80", 3))
            s += 3;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= 3 && !strncmp(s + n - 3, "\xe3\x80\x80", 3))
            n -= 3;
        else
            break;
    }
    s[n] = 0;
    return s;
}

/* Case-insensitive ASCII substring search. */
static const char *find_ci(const char *h, const char *needle)
{
    size_t m = strlen(needle);
    for (; *h; h++) {
        size_t i = 0;
        while (i < m && h[i] &&
               tolower((unsigned char)h[i]) ==
                   tolower((unsigned char)needle[i]))
            i++;
        if (i == m)
            return h;
    }
    return NULL;
}

/* Removes the first occurrence of word (case-insensitive) from s. */
static int remove_word(char *s, const char *word)
{
    char *at = (char *)find_ci(s, word);
    if (!at)
        return 0;
    size_t m = strlen(word);
    memmove(at, at + m, strlen(at + m) + 1);
    return 1;
}

/* Skips a leading filler word ("in 30 days", "用512张H100"). */
static char *skip_filler(char *s)
{
    static const char *const words[] = {"in ", "for ", "on ", "with ",
                                        "\xe7\x94\xa8", /* 用 */
                                        "\xe8\x8a\xb1", /* 花 */
                                        NULL};
    for (int i = 0; words[i]; i++) {
        size_t m = strlen(words[i]);
        if (!strncmp(s, words[i], m) ||
            (m > 1 && find_ci(s, words[i]) == s))
            return trim(s + m);
    }
    return s;
}

/*
 * Checks a figure of the pitch against the range a scenario's training
 * run takes (internal.h), so that the scenario gpb_claim_pitch_scenario
 * writes loads: refused here, the figure is named as the user wrote it
 * (shown, at column col), not as a line of a file the user never saw.
 * The range is (0, hi], or [1, hi] for a count (whole).
 */
static gpb_status need_in_range(gpb_error *err, int col, const char *shown,
                                const char *what, double v, double hi,
                                int whole)
{
    if (whole ? v >= 1 && v <= hi : v > 0 && v <= hi)
        return GPB_OK;
    return gpb__fail_at(err, GPB_ERANGE, "", 1, col, "",
                        "expected %s in %s%g] (the range of a scenario's "
                        "training run), found '%s'",
                        what, whole ? "[1, " : "(0, ", hi, shown);
}

/*
 * Looks for a catalog card in the part: a token of letters, digits, '-',
 * '_' and '.' that starts with a letter and holds a digit ("H100",
 * "A100-80GB", "RTX-4090"). On success removes it from s.
 */
static int find_card(char *s, const gpb_gpu **gpu, gpb_error *err,
                     int *unknown)
{
    *unknown = 0;
    char *p = s;
    while (*p) {
        if (!isalpha((unsigned char)*p) ||
            (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))) {
            p++;
            continue;
        }
        char *e = p;
        int digit = 0;
        while (isalnum((unsigned char)*e) || *e == '-' || *e == '_' ||
               *e == '.') {
            digit |= isdigit((unsigned char)*e) != 0;
            e++;
        }
        if (digit) {
            char tok[64];
            size_t len = (size_t)(e - p) < sizeof tok - 1 ? (size_t)(e - p)
                                                          : sizeof tok - 1;
            memcpy(tok, p, len);
            tok[len] = 0;
            gpb_error e2;
            int found = gpb_hardware_gpu_find(tok, gpu, &e2) == GPB_OK;
            if (!found && len > 2 && (tok[len - 1] == 's' ||
                                      tok[len - 1] == 'S')) {
                tok[len - 1] = 0; /* "H100s" */
                found = gpb_hardware_gpu_find(tok, gpu, NULL) == GPB_OK;
            }
            if (found) {
                memmove(p, e, strlen(e) + 1);
                return 1;
            }
            if (err)
                *err = e2;
            *unknown = 1;
        }
        p = e;
    }
    return 0;
}

gpb_status gpb_claim_pitch_parse(const char *text, gpb_pitch *out,
                                 gpb_error *err)
{
    if (!text || !out)
        return gpb__fail(err, GPB_EINVAL, "text and out must not be NULL");
    size_t len = strlen(text);
    if (len > PITCH_MAX_BYTES)
        return gpb__fail(err, GPB_ELIMIT,
                         "a pitch is at most %d bytes, found %zu",
                         PITCH_MAX_BYTES, len);
    gpb_pitch p;
    p.params = p.tokens = p.gpus = p.hours = NAN;
    p.gpu = NULL;
    p.budget.value = NAN;
    p.budget.kind = GPB_QTY_COUNT;
    p.budget.currency = GPB_CURRENCY_NONE;

    char buf[PITCH_MAX_BYTES + 1];
    memcpy(buf, text, len + 1);
    size_t start = 0, parts = 0;
    gpb_status st;
    while (start <= len) {
        size_t end = start, sep = 0;
        while (end < len && !(sep = separator_at(buf + end)))
            end++;
        char part[PITCH_MAX_BYTES + 1];
        memcpy(part, buf + start, end - start);
        part[end - start] = 0;
        char *q = skip_filler(trim(part));
        /* 1-based column (in bytes) where the part's text begins. */
        int col = (int)(start + (size_t)(q - part)) + 1;
        if (*q) {
            if (++parts > PITCH_MAX_PARTS)
                return gpb__fail_at(err, GPB_ELIMIT, "", 1, col, "",
                                    "a pitch has at most %d parts",
                                    PITCH_MAX_PARTS);
            const gpb_gpu *gpu = NULL;
            int unknown = 0;
            gpb_error ce;
            char shown[PITCH_MAX_BYTES + 1];
            memcpy(shown, q, strlen(q) + 1); /* find_card cuts the card */
            if (find_card(q, &gpu, &ce, &unknown)) {
                if (p.gpu)
                    return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                        "the GPUs are given twice");
                static const char *const words[] = {
                    "\xc3\x97", /* × */ "GPUs", "GPU", "cards", "card",
                    "\xe5\xbc\xa0", /* 张 */ "\xe5\x9d\x97", /* 块 */
                    "\xe5\x8d\xa1", /* 卡 */ "*", NULL};
                for (int i = 0; words[i]; i++)
                    while (remove_word(q, words[i]))
                        ;
                q = trim(q);
                /* "x 512" or "512 x" */
                if ((*q == 'x' || *q == 'X') && !isalpha((unsigned char)q[1]))
                    q = trim(q + 1);
                size_t m = strlen(q);
                if (m && (q[m - 1] == 'x' || q[m - 1] == 'X'))
                    q[m - 1] = 0, q = trim(q);
                double n;
                gpb_error ne;
                if (!*q)
                    return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                        "how many %s? write e.g. '512 %s'",
                                        gpu->name, gpu->name);
                if (gpb_units_parse_number(q, &n, &ne) != GPB_OK ||
                    n != floor(n))
                    return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                        "expected a whole number of GPUs "
                                        "with the card, found '%s'",
                                        q);
                if ((st = need_in_range(err, col, shown,
                                        "a whole number of GPUs", n,
                                        GPB__GPUS_MAX, 1)))
                    return st;
                p.gpu = gpu;
                p.gpus = n;
                goto next;
            }
            if (unknown) {
                return gpb__fail_at(err, GPB_ENOTFOUND, "", 1, col, "", "%s",
                                    ce.message);
            }
            int is_params = find_ci(q, "param") ||
                            strstr(q, "\xe5\x8f\x82\xe6\x95\xb0"); /* 参数 */
            int is_tokens = find_ci(q, "token") != NULL;
            gpb_quantity v;
            gpb_error ue;
            if (gpb_units_parse(q, &v, &ue) != GPB_OK)
                return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                    "cannot read '%s' (%s); write "
                                    "parameters, tokens, GPUs, a duration "
                                    "or a budget, e.g. '70B params, 2T "
                                    "tokens, 512 H100, 30 days, $2M'",
                                    q, ue.message);
            if (v.kind == GPB_QTY_NUMBER) {
                if (!is_params && !is_tokens)
                    is_params = isnan(p.params);
                if (is_params) {
                    if (!isnan(p.params))
                        return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                            "the parameters are given "
                                            "twice");
                    if ((st = need_in_range(err, col, shown,
                                            "a number of parameters",
                                            v.value, GPB__PARAMS_MAX, 0)))
                        return st;
                    p.params = v.value;
                } else {
                    if (!isnan(p.tokens))
                        return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                            "the tokens are given twice");
                    if ((st = need_in_range(err, col, shown,
                                            "a number of tokens", v.value,
                                            GPB__TOKENS_MAX, 0)))
                        return st;
                    p.tokens = v.value;
                }
            } else if (v.kind == GPB_QTY_DURATION) {
                if (!isnan(p.hours))
                    return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                        "the duration is given twice");
                p.hours = v.value;
            } else if (v.kind == GPB_QTY_MONEY) {
                if (p.budget.kind == GPB_QTY_MONEY)
                    return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                        "the budget is given twice");
                p.budget = v;
            } else {
                return gpb__fail_at(err, GPB_ESYNTAX, "", 1, col, "",
                                    "'%s' is %s; a pitch gives parameters, "
                                    "tokens, GPUs, a duration and a budget",
                                    q, gpb_qty_kind_name(v.kind));
            }
        }
    next:
        start = end + (sep ? sep : 1);
    }
    *out = p;
    return GPB_OK;
}

static double budget_usd(const gpb_pitch *p)
{
    if (p->budget.kind != GPB_QTY_MONEY)
        return NAN;
    gpb_fx fx = gpb_fx_default();
    gpb_currency cur = p->budget.currency ? p->budget.currency
                                          : GPB_CURRENCY_USD;
    double usd;
    if (gpb_fx_convert(&fx, p->budget.value, cur, GPB_CURRENCY_USD, &usd,
                       NULL))
        return NAN;
    return usd;
}

static gpb_status need_core(const gpb_pitch *p, gpb_error *err)
{
    if (!p)
        return gpb__fail(err, GPB_EINVAL, "pitch must not be NULL");
    if (isnan(p->params) || isnan(p->tokens) || !p->gpu || isnan(p->gpus))
        return gpb__fail(err, GPB_EINVAL,
                         "a pitch needs parameters, tokens and GPUs (e.g. "
                         "'70B params, 2T tokens, 512 H100'); missing%s%s%s",
                         isnan(p->params) ? " parameters" : "",
                         isnan(p->tokens) ? " tokens" : "",
                         !p->gpu || isnan(p->gpus) ? " GPUs" : "");
    return GPB_OK;
}

gpb_status gpb_claim_pitch_implied(const gpb_pitch *p, gpb_pitch_implied *out,
                                   gpb_error *err)
{
    gpb_status st = need_core(p, err);
    if (st)
        return st;
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "out must not be NULL");
    gpb_pitch_implied o;
    o.implied_mfu = o.price_per_gpu_hour_usd = o.budget_mfu = NAN;
    o.mfu_class = -1;
    gpb_precision prec;
    if ((st = gpb_hardware_gpu_default_precision(p->gpu, &prec, err)) ||
        (st = gpb_hardware_gpu_peak_flop_per_s(p->gpu, prec,
                                               &o.peak_flop_per_s, err)) ||
        (st = gpb_compute_train_flops(p->params, p->tokens, &o.flops, err)))
        return st;
    double mem;
    if ((st = gpb_compute_train_memory_bytes(p->params, 0, NULL, &mem, err)) ||
        (st = gpb_compute_min_gpus_for_memory(mem, p->gpu->mem_bytes, 0,
                                              &o.min_gpus_memory, err)))
        return st;
    o.tokens_per_param = p->tokens / p->params;
    o.ref_price_usd = p->gpu->rent_usd_per_hour;
    o.budget_usd = budget_usd(p);
    if (!isnan(p->hours)) {
        if ((st = gpb_compute_implied_mfu_from_days(o.flops, p->gpus,
                                                    o.peak_flop_per_s,
                                                    p->hours / 24.0,
                                                    &o.implied_mfu, err)))
            return st;
        gpb_mfu_class cls;
        if (gpb_compute_mfu_classify(o.implied_mfu, &cls, NULL) == GPB_OK)
            o.mfu_class = (int)cls;
        if (o.budget_usd >= 0)
            o.price_per_gpu_hour_usd = o.budget_usd / (p->gpus * p->hours);
    }
    if (o.budget_usd > 0 && o.ref_price_usd > 0) {
        double gh = o.budget_usd / o.ref_price_usd;
        if (gpb_compute_implied_mfu_from_gpu_hours(o.flops, o.peak_flop_per_s,
                                                   gh, &o.budget_mfu, NULL))
            o.budget_mfu = NAN;
    }
    *out = o;
    return GPB_OK;
}

/* Appends formatted text to a growing buffer; returns 0 or -1 (no memory). */
typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static int sb_printf(sbuf *b, const char *fmt, ...) GPB__PRINTF(2, 3);
static int sb_printf(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL,
                          b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0)
            return -1;
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return 0;
        }
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t)
            return -1;
        b->s = t;
        b->cap = cap;
    }
}

/* The per-GPU MTBF of the pitch's failures: Llama 3 405B had 419
   unexpected interruptions in 54 days on 16,384 H100s (Llama Team 2024,
   arXiv:2407.21783, §3.3.4): 16,384 × 54 × 24 / 419 ≈ 50,700 h. */
#define PITCH_GPU_MTBF_HOURS 50700.0

gpb_status gpb_claim_pitch_scenario(const gpb_pitch *p, char **yaml,
                                    gpb_error *err)
{
    gpb_pitch_implied im;
    gpb_status st = gpb_claim_pitch_implied(p, &im, err);
    if (st)
        return st;
    if (!yaml)
        return gpb__fail(err, GPB_EINVAL, "yaml must not be NULL");
    *yaml = NULL;
    const gpb_gpu *g = p->gpu;
    int has_budget = p->budget.kind == GPB_QTY_MONEY;
    if (has_budget && !(g->rent_usd_per_hour > 0))
        return gpb__fail(err, GPB_ENOTFOUND,
                         "the catalog has no rental price for %s (%s), so "
                         "the budget cannot be checked",
                         g->name, g->rent_source);
    double mode = g->default_mfu;
    double lo = fmin(GPB_MFU_PUBLISHED_MIN, mode);
    double hi = fmax(GPB_MFU_PUBLISHED_MAX, mode);
    if (lo == mode && mode < hi)
        lo = 0.9 * mode; /* PERT needs room below the mode */
    /* Long enough to finish at the lowest MFU, failures included. */
    double months = im.flops / (p->gpus * im.peak_flop_per_s * lo *
                                GPB_SECONDS_PER_HOUR * GPB_HOURS_PER_MONTH);
    double horizon = ceil(months * 1.5) + 2;
    if (horizon > 600)
        return gpb__fail(err, GPB_ERANGE,
                         "the run needs about %.0f months on %.0f %s at MFU "
                         "%.2f; the simulation covers at most 600",
                         months, p->gpus, g->name, lo);
    gpb_currency cur = has_budget && p->budget.currency
                           ? p->budget.currency
                           : GPB_CURRENCY_USD;
    sbuf b = {0};
    int bad = 0;
    bad |= sb_printf(&b,
                     "gpubudget: 1\n"
                     "name: \"pitch: %.6g params, %.6g tokens, %.0f x %s\"\n"
                     "currency: %s\n"
                     "horizon_months: %.0f\n",
                     p->params, p->tokens, p->gpus, g->name,
                     gpb_currency_code(cur), horizon);
    if (!isnan(p->hours) || has_budget) {
        bad |= sb_printf(&b, "claims:\n");
        if (!isnan(p->hours))
            bad |= sb_printf(&b,
                             "  - {id: duration, metric: training.pitch.days,"
                             " value: \"%.17g h\"}\n",
                             p->hours);
        if (has_budget)
            bad |= sb_printf(&b,
                             "  - {id: budget, metric: training.pitch.cost,"
                             " value: \"%.17g %s\"}\n",
                             p->budget.value, gpb_currency_code(cur));
    }
    bad |= sb_printf(&b,
                     "training:\n"
                     "  - name: pitch\n"
                     "    params: %.17g\n"
                     "    tokens: %.17g\n"
                     "    gpu: \"%s\"\n"
                     "    gpus: %.0f\n"
                     "    mfu: {pert: [%.6g, %.6g, %.6g]}\n",
                     p->params, p->tokens, g->name, p->gpus, lo, mode, hi);
    if (g->rent_usd_per_hour > 0)
        bad |= sb_printf(&b,
                         "    price_per_gpu_hour: {lognormal90: "
                         "[\"$%.6g/h\", \"$%.6g/h\"]}\n",
                         g->rent_usd_per_hour * GPB_PITCH_PRICE_LOW_FACTOR,
                         g->rent_usd_per_hour * GPB_PITCH_PRICE_HIGH_FACTOR);
    else
        bad |= sb_printf(&b, "    price_per_gpu_hour: 0\n");
    bad |= sb_printf(&b,
                     "    failures: {gpu_mtbf_hours: %.0f, "
                     "checkpoint_every_minutes: 60, restart_minutes: 30}\n",
                     PITCH_GPU_MTBF_HOURS);
    if (bad) {
        free(b.s);
        return gpb__fail(err, GPB_ENOMEM, "out of memory");
    }
    *yaml = b.s;
    return GPB_OK;
}
