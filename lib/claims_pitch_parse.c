/*
 * Reading a training pitch as people write it (gpubudget/claims.h,
 * gpb_claim_pitch_parse): "we will train a 70B model on 2T tokens on 512
 * H100s in 30 days for $2M", "用512张H100在30天内训练700亿参数模型".
 *
 * The text is not split into fixed parts. The figures are found where
 * they stand: catalog cards first (gpb_hardware_gpu_find), then model
 * names that give a mixture of experts' sizes ("671B-A37B"), then every
 * quantity the units layer reads (gpb_units_parse, longest reading
 * first), and each figure gets its meaning from its kind (money, a
 * duration) or from the words it holds or that stand next to it in its
 * clause ("model", "tokens", "active", a card). What is left is skipped
 * and echoed.
 * Every figure's reading is kept, so that the caller can show how the
 * sentence was understood.
 *
 * Offsets are bytes of the UTF-8 text; columns in messages and readings
 * are characters, as the units layer counts them.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gpubudget/claims.h"
#include "gpubudget/compute.h"
#include "internal.h"

#define PITCH_MAX_BYTES 1024
#define PITCH_MAX_CARDS 8
#define PITCH_MAX_WORDS 32
/* A quantity spans at most this many scanning units ("2 trillion tokens",
   "$2.5 / GPU-hour") and bytes. */
#define FIG_MAX_UNITS 12
#define FIG_MAX_BYTES 80
/* A number without a word that tells what it counts is read as
   parameters or tokens only from a million up: below that it could be a
   count of GPUs, of days, a year. */
#define BARE_MIN 1e6

/* Count words the units layer took into a figure. */
enum { W_PARAM = 1, W_TOKEN = 2, W_GPU = 4, W_FLOP = 8 };

typedef struct fig {
    size_t a, b;    /* the quantity's bytes */
    gpb_quantity q;
    int words;      /* W_* inside */
    int percent;
    int part;       /* gpb_pitch_part, or -1 while unread */
    int card;       /* the card occurrence it counts, or -1 */
    size_t ta, tb;  /* the reading's words */
    char how[GPB_PITCH_TEXT_MAX];
} fig;

typedef struct cardpos {
    size_t a, b;
    const gpb_gpu *gpu;
    int count;      /* figure index, or -1 */
} cardpos;

typedef struct span {
    size_t a, b;
} span;

typedef struct scan {
    const char *s;
    size_t n;
    unsigned char used[PITCH_MAX_BYTES + 1];
    fig f[GPB_PITCH_READINGS_MAX];
    size_t nf;
    cardpos c[PITCH_MAX_CARDS];
    size_t nc;
    span unknown[PITCH_MAX_WORDS]; /* letter-and-digit words, not cards */
    size_t nu;
    gpb_pitch *p;
    gpb_error *err;
} scan;

/* ---- characters ---------------------------------------------------------- */

static size_t u8len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The offset after the character at i, never past the end (a text may
   end inside a character). */
static size_t next_at(const scan *sc, size_t i)
{
    size_t e = i + u8len((unsigned char)sc->s[i]);
    return e < sc->n ? e : sc->n;
}

static int alnum_at(const scan *sc, size_t i)
{
    return i < sc->n && (isalnum((unsigned char)sc->s[i]) || sc->s[i] == '_');
}

static int digit_at(const scan *sc, size_t i)
{
    return i < sc->n && isdigit((unsigned char)sc->s[i]);
}

static int has_at(const scan *sc, size_t i, const char *w)
{
    size_t m = strlen(w);
    return i + m <= sc->n && !memcmp(sc->s + i, w, m);
}

/* Bytes of white space at i (ASCII blanks, U+3000, U+00A0), else 0. */
static size_t space_at(const scan *sc, size_t i)
{
    if (i >= sc->n)
        return 0;
    char c = sc->s[i];
    if (c == ' ' || c == '\t' || c == '\r')
        return 1;
    if (has_at(sc, i, "\xe3\x80\x80"))
        return 3;
    if (has_at(sc, i, "\xc2\xa0"))
        return 2;
    return 0;
}

/*
 * Bytes of a clause separator at i, else 0: , ; ! ? ( ) and newlines; a
 * full stop that ends a sentence; the Chinese ，、；。！？（）. A comma
 * between digits with three after it is a thousands separator ("1,024").
 */
static size_t sep_at(const scan *sc, size_t i)
{
    if (i >= sc->n)
        return 0;
    char c = sc->s[i];
    if (c == ',') {
        if (i > 0 && digit_at(sc, i - 1) && digit_at(sc, i + 1) &&
            digit_at(sc, i + 2) && digit_at(sc, i + 3) && !digit_at(sc, i + 4))
            return 0;
        return 1;
    }
    if (strchr(";!?()\n", c) && c)
        return 1;
    if (c == '.')
        return i + 1 == sc->n || space_at(sc, i + 1) ||
                       (unsigned char)sc->s[i + 1] >= 0x80
                   ? 1
                   : 0;
    static const char *const wide[] = {
        "\xef\xbc\x8c", /* ， */ "\xe3\x80\x81", /* 、 */
        "\xef\xbc\x9b", /* ； */ "\xe3\x80\x82", /* 。 */
        "\xef\xbc\x81", /* ！ */ "\xef\xbc\x9f", /* ？ */
        "\xef\xbc\x88", /* （ */ "\xef\xbc\x89", /* ） */
        NULL};
    for (int k = 0; wide[k]; k++)
        if (has_at(sc, i, wide[k]))
            return 3;
    return 0;
}

/* 1-based column, in characters, of byte offset off. */
static int column_of(const scan *sc, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off && i < sc->n; i = next_at(sc, i))
        col++;
    return col;
}

/* Copies bytes [a, b) into dst of size n, cut at a character boundary. */
static void copy_span(char *dst, size_t n, const scan *sc, size_t a, size_t b)
{
    size_t k = 0;
    while (a < b) {
        size_t l = u8len((unsigned char)sc->s[a]);
        if (a + l > b || k + l + 1 > n)
            break;
        memcpy(dst + k, sc->s + a, l);
        k += l;
        a += l;
    }
    dst[k] = 0;
}

/* Shrinks [*a, *b) past white space at both ends. */
static void trim_span(const scan *sc, size_t *a, size_t *b)
{
    size_t l;
    while (*a < *b && (l = space_at(sc, *a)))
        *a += l;
    while (*b > *a) {
        if (sc->s[*b - 1] == ' ' || sc->s[*b - 1] == '\t')
            (*b)--;
        else if (*b >= *a + 3 && has_at(sc, *b - 3, "\xe3\x80\x80"))
            *b -= 3;
        else
            break;
    }
}

/* An ASCII word: letters, digits, '_', and '-' or '.' between them. */
static size_t word_end(const scan *sc, size_t i)
{
    size_t j = i;
    while (j < sc->n) {
        if (alnum_at(sc, j))
            j++;
        else if ((sc->s[j] == '-' || sc->s[j] == '.') && j > i &&
                 alnum_at(sc, j + 1))
            j++;
        else
            break;
    }
    return j;
}

/*
 * The end of the scanning unit at i, the steps a quantity is extended
 * by: a run of ASCII letters, digits, '_' and '.' (a '.' only inside the
 * run), one other ASCII character, or one other character.
 */
static size_t unit_end(const scan *sc, size_t i)
{
    if (alnum_at(sc, i)) {
        size_t j = i;
        while (alnum_at(sc, j) ||
               (sc->s[j] == '.' && j > i && alnum_at(sc, j + 1)))
            j++;
        return j;
    }
    return next_at(sc, i);
}

/* The word [a, b) equals w, ASCII case-insensitively. */
static int word_is(const scan *sc, size_t a, size_t b, const char *w)
{
    size_t m = strlen(w);
    if (b - a != m)
        return 0;
    for (size_t k = 0; k < m; k++)
        if (tolower((unsigned char)sc->s[a + k]) !=
            tolower((unsigned char)w[k]))
            return 0;
    return 1;
}

/* Case-insensitive search of needle in bytes [a, b). */
static int span_has(const scan *sc, size_t a, size_t b, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = a; i + m <= b; i++) {
        size_t k = 0;
        while (k < m && tolower((unsigned char)sc->s[i + k]) ==
                            tolower((unsigned char)needle[k]))
            k++;
        if (k == m)
            return 1;
    }
    return 0;
}

/* ---- failing ------------------------------------------------------------- */

static gpb_status fail(scan *sc, gpb_status st, size_t at, const char *fmt,
                       ...) GPB__PRINTF(4, 5);
static gpb_status fail(scan *sc, gpb_status st, size_t at, const char *fmt,
                       ...)
{
    va_list ap;
    va_start(ap, fmt);
    gpb__vfail_at(sc->err, st, "", 1, column_of(sc, at), "", fmt, ap);
    va_end(ap);
    return st;
}

/* The words [a, b) as written, for a message (static buffer per slot). */
static const char *quote(const scan *sc, size_t a, size_t b, int slot)
{
    static _Thread_local char buf[3][GPB_PITCH_TEXT_MAX];
    trim_span(sc, &a, &b);
    copy_span(buf[slot], sizeof buf[slot], sc, a, b);
    return buf[slot];
}

/* ---- cues ---------------------------------------------------------------- */

typedef struct cue {
    const char *w;
    int part;
} cue;

/* The cues both tables start with, longest first: a mixture of experts'
   active parameters and its total ("37B active", "active params: 37B",
   "671B total params", "总参数6710亿"). */
#define MOE_CUES                                                          \
    {"active parameters", GPB_PITCH_ACTIVE},                              \
        {"activated parameters", GPB_PITCH_ACTIVE},                       \
        {"active params", GPB_PITCH_ACTIVE},                              \
        {"activated params", GPB_PITCH_ACTIVE},                           \
        {"activated", GPB_PITCH_ACTIVE}, {"active", GPB_PITCH_ACTIVE},    \
        {"激活参数量", GPB_PITCH_ACTIVE}, {"激活参数", GPB_PITCH_ACTIVE}, \
        {"激活", GPB_PITCH_ACTIVE}, {"total parameters", GPB_PITCH_PARAMS}, \
        {"total params", GPB_PITCH_PARAMS},                               \
        {"总参数量", GPB_PITCH_PARAMS}, {"总参数", GPB_PITCH_PARAMS}

/*
 * Words after a number that tell what it counts. Matched in order, so a
 * longer cue comes before a shorter one it starts with ("active params"
 * before "active"). The active-parameter cues are looked for on their own
 * in read_kinds, before the others ("37B active params" is not 37B
 * params).
 */
static const cue after_cues[] = {
    MOE_CUES,
    {"parameters", GPB_PITCH_PARAMS}, {"parameter", GPB_PITCH_PARAMS},
    {"params", GPB_PITCH_PARAMS},     {"param", GPB_PITCH_PARAMS},
    {"models", GPB_PITCH_PARAMS},     {"model", GPB_PITCH_PARAMS},
    {"llms", GPB_PITCH_PARAMS},       {"llm", GPB_PITCH_PARAMS},
    {"参数量", GPB_PITCH_PARAMS},     {"参数", GPB_PITCH_PARAMS},
    {"參數", GPB_PITCH_PARAMS},       {"大模型", GPB_PITCH_PARAMS},
    {"模型", GPB_PITCH_PARAMS},       {"tokens", GPB_PITCH_TOKENS},
    {"token", GPB_PITCH_TOKENS},      {"toks", GPB_PITCH_TOKENS},
    {"tok", GPB_PITCH_TOKENS},        {"词元", GPB_PITCH_TOKENS},
    {"gpus", GPB_PITCH_GPUS},         {"gpu", GPB_PITCH_GPUS},
    {"cards", GPB_PITCH_GPUS},        {"card", GPB_PITCH_GPUS},
    {"accelerators", GPB_PITCH_GPUS}, {"显卡", GPB_PITCH_GPUS},
    {"张卡", GPB_PITCH_GPUS},         {"张", GPB_PITCH_GPUS},
    {"块", GPB_PITCH_GPUS},           {"卡", GPB_PITCH_GPUS},
    {"張", GPB_PITCH_GPUS},           {"塊", GPB_PITCH_GPUS},
    {"mfu", GPB_PITCH_MFU},           {"utilization", GPB_PITCH_MFU},
    {"utilisation", GPB_PITCH_MFU},   {"算力利用率", GPB_PITCH_MFU},
    {"利用率", GPB_PITCH_MFU},
};

/* Words before a figure: what it counts (for a number) or how it was
   introduced (for money and durations, echoed with it). */
static const cue before_cues[] = {
    MOE_CUES,
    {"parameters", GPB_PITCH_PARAMS}, {"params", GPB_PITCH_PARAMS},
    {"参数量", GPB_PITCH_PARAMS},     {"参数", GPB_PITCH_PARAMS},
    {"规模", GPB_PITCH_PARAMS},       {"size", GPB_PITCH_PARAMS},
    {"tokens", GPB_PITCH_TOKENS},     {"token", GPB_PITCH_TOKENS},
    {"数据量", GPB_PITCH_TOKENS},     {"数据", GPB_PITCH_TOKENS},
    {"语料", GPB_PITCH_TOKENS},       {"词元", GPB_PITCH_TOKENS},
    {"gpus", GPB_PITCH_GPUS},         {"cards", GPB_PITCH_GPUS},
    {"卡数", GPB_PITCH_GPUS},         {"mfu", GPB_PITCH_MFU},
    {"utilization", GPB_PITCH_MFU},   {"utilisation", GPB_PITCH_MFU},
    {"利用率", GPB_PITCH_MFU},        {"budget", GPB_PITCH_BUDGET},
    {"预算", GPB_PITCH_BUDGET},       {"for", GPB_PITCH_BUDGET},
    {"cost", GPB_PITCH_BUDGET},       {"costs", GPB_PITCH_BUDGET},
    {"costing", GPB_PITCH_BUDGET},    {"spend", GPB_PITCH_BUDGET},
    {"spending", GPB_PITCH_BUDGET},   {"花费", GPB_PITCH_BUDGET},
    {"成本", GPB_PITCH_BUDGET},       {"经费", GPB_PITCH_BUDGET},
    {"投入", GPB_PITCH_BUDGET},       {"花", GPB_PITCH_BUDGET},
    {"in", GPB_PITCH_DURATION},       {"within", GPB_PITCH_DURATION},
    {"over", GPB_PITCH_DURATION},     {"for", GPB_PITCH_DURATION},
    {"在", GPB_PITCH_DURATION},       {"用时", GPB_PITCH_DURATION},
    {"耗时", GPB_PITCH_DURATION},     {"时间", GPB_PITCH_DURATION},
    {"at", GPB_PITCH_PRICE},          {"price", GPB_PITCH_PRICE},
    {"rent", GPB_PITCH_PRICE},        {"价格", GPB_PITCH_PRICE},
    {"单价", GPB_PITCH_PRICE},
};

static int is_ascii_cue(const char *w) { return (unsigned char)w[0] < 0x80; }

/* Words skipped between a number and its cue: "2万亿个token",
   "700亿参数的模型", "70B-parameter". */
static size_t skip_after_fillers(const scan *sc, size_t j)
{
    for (;;) {
        size_t l = space_at(sc, j);
        if (l) {
            j += l;
        } else if (j < sc->n && sc->s[j] == '-') {
            j++;
        } else if (has_at(sc, j, "个") || has_at(sc, j, "的")) {
            j += 3;
        } else {
            return j;
        }
    }
}

/*
 * The cue after byte j (skipping fillers) whose part is allowed by mask
 * (bit per part); sets *end past it. -1 when none.
 */
static int cue_after(const scan *sc, size_t j, unsigned mask, size_t *end)
{
    j = skip_after_fillers(sc, j);
    if (j >= sc->n || sep_at(sc, j) || sc->used[j])
        return -1;
    for (size_t k = 0; k < sizeof after_cues / sizeof after_cues[0]; k++) {
        const cue *c = &after_cues[k];
        if (!(mask & (1u << c->part)))
            continue;
        size_t m = strlen(c->w);
        if (is_ascii_cue(c->w)) {
            if (word_is(sc, j, j + m, c->w) && !alnum_at(sc, j + m)) {
                *end = j + m;
                return c->part;
            }
        } else if (has_at(sc, j, c->w)) {
            *end = j + m;
            return c->part;
        }
    }
    return -1;
}

/* Skips back over white space and the fillers ':' '=' "of" "about" "约"
   "为" before byte j. */
static size_t skip_before_fillers(const scan *sc, size_t j)
{
    for (;;) {
        if (j > 0 && strchr(" \t:=~", sc->s[j - 1]) && sc->s[j - 1]) {
            j--;
        } else if (j >= 3 && (has_at(sc, j - 3, "\xe3\x80\x80") ||
                              has_at(sc, j - 3, "：") ||
                              has_at(sc, j - 3, "约") ||
                              has_at(sc, j - 3, "为") ||
                              has_at(sc, j - 3, "≈"))) {
            j -= 3;
        } else if (j >= 2 && word_is(sc, j - 2, j, "of") &&
                   !(j >= 3 && alnum_at(sc, j - 3))) {
            j -= 2;
        } else if (j >= 5 && word_is(sc, j - 5, j, "about") &&
                   !(j >= 6 && alnum_at(sc, j - 6))) {
            j -= 5;
        } else if (j >= 6 && word_is(sc, j - 6, j, "around") &&
                   !(j >= 7 && alnum_at(sc, j - 7))) {
            j -= 6;
        } else {
            return j;
        }
    }
}

/* The cue ending before byte j, allowed by mask; sets *start. -1 when
   none. */
static int cue_before(const scan *sc, size_t j, unsigned mask, size_t *start)
{
    j = skip_before_fillers(sc, j);
    for (size_t k = 0; k < sizeof before_cues / sizeof before_cues[0]; k++) {
        const cue *c = &before_cues[k];
        if (!(mask & (1u << c->part)))
            continue;
        size_t m = strlen(c->w);
        if (m > j)
            continue;
        size_t a = j - m;
        if (sc->used[a])
            continue;
        if (is_ascii_cue(c->w)) {
            if (word_is(sc, a, j, c->w) && !(a > 0 && alnum_at(sc, a - 1))) {
                *start = a;
                return c->part;
            }
        } else if (has_at(sc, a, c->w)) {
            *start = a;
            return c->part;
        }
    }
    return -1;
}

/* ---- cards --------------------------------------------------------------- */

/* Looks a card up by the words [a, b), also without a plural 's'. */
static const gpb_gpu *card_named(const scan *sc, size_t a, size_t b,
                                 gpb_error *e)
{
    char tok[64];
    if (b - a >= sizeof tok)
        return NULL;
    memcpy(tok, sc->s + a, b - a);
    tok[b - a] = 0;
    int digit = 0;
    for (size_t k = 0; tok[k]; k++)
        digit |= isdigit((unsigned char)tok[k]) != 0;
    if (!digit)
        return NULL;
    const gpb_gpu *g;
    if (gpb_hardware_gpu_find(tok, &g, e) == GPB_OK)
        return g;
    size_t m = b - a;
    if (m > 2 && (tok[m - 1] == 's' || tok[m - 1] == 'S')) {
        tok[m - 1] = 0; /* "H100s" */
        if (gpb_hardware_gpu_find(tok, &g, NULL) == GPB_OK)
            return g;
    }
    return NULL;
}

/* A measure word for cards at byte i: 张 块 卡 (and 張 塊). */
static int count_mark_cjk(const scan *sc, size_t i)
{
    static const char *const m[] = {"张", "块", "卡", "張", "塊", NULL};
    for (int k = 0; m[k]; k++)
        if (has_at(sc, i, m[k]))
            return 1;
    return 0;
}

/* Ends with 张, 块, 卡, 昇腾, x, ×, * before byte j (skipping spaces):
   the marks after which a card may start with a digit ("张910B"). */
static int count_mark_before(const scan *sc, size_t j)
{
    while (j > 0 && sc->s[j - 1] == ' ')
        j--;
    if (j >= 1 && strchr("xX*", sc->s[j - 1]) && sc->s[j - 1])
        return !(j >= 2 && isalpha((unsigned char)sc->s[j - 2]));
    return (j >= 2 && has_at(sc, j - 2, "×")) ||
           (j >= 3 && count_mark_cjk(sc, j - 3)) ||
           (j >= 6 && has_at(sc, j - 6, "昇腾"));
}

static gpb_status add_fig(scan *sc, size_t a, size_t b,
                          const gpb_quantity *q);

static gpb_status add_card(scan *sc, size_t a, size_t b, const gpb_gpu *g)
{
    if (sc->nc == PITCH_MAX_CARDS)
        return fail(sc, GPB_ELIMIT, a, "a pitch names a card at most %d times",
                    PITCH_MAX_CARDS);
    cardpos *c = &sc->c[sc->nc++];
    c->a = a;
    c->b = b;
    c->gpu = g;
    c->count = -1;
    memset(sc->used + a, 1, b - a);
    return GPB_OK;
}

/*
 * Finds the catalog cards: "H100", "H100s", "NVIDIA H100", "A100 80GB",
 * "RTX 4090", "张910B", and "8xH100" (whose count it records as a
 * figure). Letter-and-digit words that are not cards are kept in
 * sc->unknown, to be named when a count stands next to one.
 */
static gpb_status find_cards(scan *sc)
{
    size_t i = 0;
    gpb_status st;
    while (i < sc->n) {
        if (!alnum_at(sc, i) ||
            (i > 0 && (alnum_at(sc, i - 1) || sc->s[i - 1] == '-' ||
                       sc->s[i - 1] == '.'))) {
            i = next_at(sc, i);
            continue;
        }
        size_t e = word_end(sc, i);
        const gpb_gpu *g = NULL;
        size_t ce = e;
        if (isalpha((unsigned char)sc->s[i])) {
            /* Two words first ("NVIDIA H100", "A100 80GB", "RTX 4090"). */
            if (e < sc->n && sc->s[e] == ' ' && alnum_at(sc, e + 1)) {
                size_t e2 = word_end(sc, e + 1);
                if ((g = card_named(sc, i, e2, NULL)))
                    ce = e2;
            }
            gpb_error ue;
            if (!g)
                g = card_named(sc, i, e, &ue);
            if (!g) {
                int digit = 0;
                for (size_t k = i; k < e; k++)
                    digit |= isdigit((unsigned char)sc->s[k]) != 0;
                if (digit && sc->nu < PITCH_MAX_WORDS)
                    sc->unknown[sc->nu++] = (span){i, e};
            }
        } else {
            /* "8xH100": a count, 'x', a card. */
            size_t d = i;
            while (digit_at(sc, d))
                d++;
            if (d < e && (sc->s[d] == 'x' || sc->s[d] == 'X') &&
                (g = card_named(sc, d + 1, e, NULL))) {
                gpb_quantity q;
                char num[32];
                copy_span(num, sizeof num, sc, i, d);
                if (gpb_units_parse(num, &q, NULL) == GPB_OK) {
                    if ((st = add_card(sc, d + 1, e, g)))
                        return st;
                    if ((st = add_fig(sc, i, d, &q)))
                        return st;
                    sc->used[d] = 1;
                    sc->c[sc->nc - 1].count = (int)sc->nf - 1;
                    sc->f[sc->nf - 1].card = (int)sc->nc - 1;
                }
                i = e;
                continue;
            }
            g = NULL;
            if (count_mark_before(sc, i))
                g = card_named(sc, i, e, NULL);
        }
        if (g && (st = add_card(sc, i, ce, g)))
            return st;
        i = g ? ce : e;
    }
    return GPB_OK;
}

/* ---- figures ------------------------------------------------------------- */

/* The bytes of a Chinese numeral (一 二 两 ... 十 半 几) ending at byte j,
   or, with mults, of a multiplier (百 千 万 亿) too; 0 when none. */
static size_t cjk_numeral_before(const scan *sc, size_t j, int mults)
{
    static const char *const d[] = {"一", "二", "两", "三", "四", "五", "六",
                                    "七", "八", "九", "十", "半", "几", "百",
                                    "千", "万", "亿", NULL};
    for (int k = 0; d[k]; k++) {
        if (!mults && k >= 13)
            break;
        if (j >= 3 && has_at(sc, j - 3, d[k]))
            return 3;
    }
    return 0;
}

static gpb_status add_fig(scan *sc, size_t a, size_t b, const gpb_quantity *q)
{
    if (sc->nf == GPB_PITCH_READINGS_MAX)
        return fail(sc, GPB_ELIMIT, a, "a pitch has at most %d figures",
                    GPB_PITCH_READINGS_MAX);
    fig *f = &sc->f[sc->nf++];
    memset(f, 0, sizeof *f);
    f->a = f->ta = a;
    f->b = f->tb = b;
    f->q = *q;
    f->part = -1;
    f->card = -1;
    if (span_has(sc, a, b, "token") || span_has(sc, a, b, "tok"))
        f->words |= W_TOKEN;
    if (span_has(sc, a, b, "param") || span_has(sc, a, b, "参数"))
        f->words |= W_PARAM;
    if (span_has(sc, a, b, "gpu") || span_has(sc, a, b, "card") ||
        span_has(sc, a, b, "张") || span_has(sc, a, b, "卡"))
        f->words |= W_GPU;
    if (span_has(sc, a, b, "flop"))
        f->words |= W_FLOP;
    f->percent = span_has(sc, a, b, "%") || span_has(sc, a, b, "％") ||
                 span_has(sc, a, b, "percent") || span_has(sc, a, b, "pct");
    memset(sc->used + a, 1, b - a);
    return GPB_OK;
}

/* A currency sign or code that may open a quantity at i ("$2M", "US$2M",
   "¥1400万", "RMB 300万", "USD 2M"): its length, else 0. */
static size_t currency_lead(const scan *sc, size_t i)
{
    static const char *const signs[] = {"US$", "$", "\xc2\xa5", "\xef\xbf\xa5",
                                        "\xe2\x82\xac", NULL};
    for (int k = 0; signs[k]; k++)
        if (has_at(sc, i, signs[k]))
            return strlen(signs[k]);
    if (isalpha((unsigned char)sc->s[i]) && !(i > 0 && alnum_at(sc, i - 1))) {
        size_t e = word_end(sc, i);
        static const char *const codes[] = {"usd", "cny", "rmb", "eur", NULL};
        for (int k = 0; codes[k]; k++)
            if (word_is(sc, i, e, codes[k]))
                return e - i;
    }
    return 0;
}

/*
 * Whether a quantity may start at i: 1 for a number or a currency before
 * one, 2 for a Chinese multiplier without digits ("千卡", "百万美元"),
 * which is a figure only when a unit follows; 0 otherwise.
 */
static int figure_start(const scan *sc, size_t i)
{
    unsigned char c = (unsigned char)sc->s[i];
    if (isdigit(c)) {
        if (i > 0 && alnum_at(sc, i - 1))
            return 0;
        if (i > 1 && (sc->s[i - 1] == '-' || sc->s[i - 1] == '.') &&
            alnum_at(sc, i - 2))
            return 0; /* "GPT-4", "v1.5" */
        return 1;
    }
    if ((c == '-' || c == '+') && digit_at(sc, i + 1))
        return !(i > 0 && alnum_at(sc, i - 1));
    /* "-$2M": a sign before a currency belongs to the amount, so the
       units layer refuses it rather than the sign being skipped. */
    if ((c == '-' || c == '+') && !(i > 0 && alnum_at(sc, i - 1)) &&
        currency_lead(sc, i + 1) && digit_at(sc, i + 1 + currency_lead(sc, i + 1)))
        return 1;
    size_t l = currency_lead(sc, i);
    if (l) {
        size_t j = i + l;
        while (j < sc->n && sc->s[j] == ' ')
            j++;
        return digit_at(sc, j) ? 1 : 0;
    }
    static const char *const cjk[] = {"十", "百", "千", "万", "亿", NULL};
    for (int k = 0; cjk[k]; k++) {
        if (has_at(sc, i, cjk[k])) {
            /* After digits or numerals the multiplier belongs to them
               ("五百万元" is not "百万元"). */
            if ((i > 0 && digit_at(sc, i - 1)) ||
                cjk_numeral_before(sc, i, 1))
                return 0;
            return 2;
        }
    }
    return 0;
}

/* Parses bytes [a, b) as a quantity. */
static gpb_status parse_span(const scan *sc, size_t a, size_t b,
                             gpb_quantity *q, gpb_error *e)
{
    char buf[FIG_MAX_BYTES + 8];
    if (b - a > FIG_MAX_BYTES)
        return GPB_ESYNTAX;
    memcpy(buf, sc->s + a, b - a);
    buf[b - a] = 0;
    return gpb_units_parse(buf, q, e);
}

/* Whether byte j starts a letter or other non-ASCII character that is
   glued to what comes before (no space, no separator). */
static int glued_at(const scan *sc, size_t j)
{
    if (j >= sc->n || sep_at(sc, j) || space_at(sc, j))
        return 0;
    unsigned char c = (unsigned char)sc->s[j];
    return isalpha(c) || c >= 0x80;
}

/*
 * Reads the quantity that starts at i: the longest run of scanning units
 * (within the clause, before any card) that the units layer reads.
 * Returns 1 and adds the figure, 0 when none reads (for a tentative
 * start), or -1 with err set when a number cannot be read at all.
 */
static int per_token_at(const scan *sc, size_t j);

/* Whether the span from i to ends[k] is a count and then "per token"
   ("37B per token"): a shorter span is a number that "per token" follows. */
static int count_per_token(const scan *sc, size_t i, const size_t *ends,
                           int k)
{
    gpb_quantity q;
    for (int m = 0; m < k; m++)
        if (parse_span(sc, i, ends[m], &q, NULL) == GPB_OK &&
            q.kind == GPB_QTY_NUMBER && per_token_at(sc, ends[m]))
            return 1;
    return 0;
}

static int read_figure(scan *sc, size_t i, int kind, gpb_status *st)
{
    size_t ends[FIG_MAX_UNITS];
    int ne = 0;
    size_t j = i;
    while (ne < FIG_MAX_UNITS && j < sc->n && !sep_at(sc, j) && !sc->used[j] &&
           j - i < FIG_MAX_BYTES) {
        size_t l = space_at(sc, j);
        if (l) {
            j += l;
            continue;
        }
        j = unit_end(sc, j);
        if (j - i > FIG_MAX_BYTES || (j <= sc->n && j > i &&
                                      memchr(sc->used + i, 1, j - i)))
            break;
        ends[ne++] = j;
    }
    gpb_quantity q;
    for (int k = ne - 1; k >= 0; k--) {
        if (parse_span(sc, i, ends[k], &q, NULL) != GPB_OK)
            continue;
        /* A count per token with no currency ("37B per token") is not a
           price: the count alone, and "per token" says whose it is (a
           model's active parameters; "active 37B per token" was refused
           as money per million tokens). */
        if (q.kind == GPB_QTY_MONEY_PER_MTOKEN &&
            q.currency == GPB_CURRENCY_NONE && count_per_token(sc, i, ends, k))
            continue;
        if (kind == 2 && q.kind == GPB_QTY_NUMBER &&
            !span_has(sc, i, ends[k], "卡") &&
            !span_has(sc, i, ends[k], "张") &&
            !span_has(sc, i, ends[k], "token") &&
            !span_has(sc, i, ends[k], "参数"))
            return 0; /* "千万" alone is "by no means", not a figure */
        *st = add_fig(sc, i, ends[k], &q);
        return *st ? -1 : 1;
    }
    if (kind == 2)
        return 0;
    gpb_error e;
    size_t b = ne ? ends[0] : unit_end(sc, i);
    /* A signed amount ("-$2M") is read whole, to say why it is refused. */
    if (ne > 1 && (sc->s[i] == '-' || sc->s[i] == '+') &&
        currency_lead(sc, i + 1))
        for (int k = 1; k < ne; k++) {
            b = ends[k];
            if (b > i + 1 + currency_lead(sc, i + 1))
                break; /* past the sign and the currency: the amount */
        }
    parse_span(sc, i, b, &q, &e);
    *st = fail(sc, GPB_ESYNTAX, i, "cannot read '%s' (%s)",
               quote(sc, i, b, 0), e.message);
    return -1;
}

static gpb_status find_figures(scan *sc)
{
    size_t i = 0;
    while (i < sc->n) {
        int kind;
        if (sc->used[i] || !(kind = figure_start(sc, i))) {
            i = next_at(sc, i);
            continue;
        }
        gpb_status st = GPB_OK;
        int r = read_figure(sc, i, kind, &st);
        if (r < 0)
            return st;
        i = r ? sc->f[sc->nf - 1].b : next_at(sc, i);
    }
    return GPB_OK;
}

/* ---- what each figure is ------------------------------------------------- */

/* A figure that is a date, not part of the pitch. */
#define PART_YEAR (-2)

/*
 * Years: "in 2024", "by 2025", "2024年". A whole number from 1900 to 2100
 * after in, by, since, until, from or of, or a number of years (年) in that
 * range, is a date: it is skipped, and echoed among the skipped words.
 */
static void drop_years(scan *sc)
{
    static const char *const before[] = {"in", "by", "since", "until",
                                         "from", "of", "before", "after",
                                         NULL};
    for (size_t k = 0; k < sc->nf; k++) {
        fig *f = &sc->f[k];
        double y = f->q.value;
        int year = 0;
        if (f->q.kind == GPB_QTY_NUMBER && !f->words && !f->percent &&
            y == floor(y) && y >= 1900 && y <= 2100) {
            size_t j = f->a;
            while (j > 0 && sc->s[j - 1] == ' ')
                j--;
            size_t a = j;
            while (a > 0 && isalpha((unsigned char)sc->s[a - 1]))
                a--;
            for (int w = 0; before[w] && !year; w++)
                year = word_is(sc, a, j, before[w]);
        } else if (f->q.kind == GPB_QTY_DURATION && f->b >= f->a + 3 &&
                   has_at(sc, f->b - 3, "年")) {
            y = f->q.value / GPB_HOURS_PER_YEAR;
            year = y == floor(y) && y >= 1900 && y <= 2100;
        }
        if (year) {
            f->part = PART_YEAR;
            memset(sc->used + f->a, 0, f->b - f->a);
            f->ta = f->tb = 0;
        }
    }
}

/* Is figure k a plain count (a number without a param or token word)? */
static int is_count(const scan *sc, int k)
{
    const fig *f = &sc->f[k];
    return f->q.kind == GPB_QTY_NUMBER && !f->percent &&
           !(f->words & (W_PARAM | W_TOKEN | W_FLOP)) && f->part == -1 &&
           f->card < 0;
}

/* The figure that ends at byte j, else -1. */
static int fig_ending(const scan *sc, size_t j)
{
    for (size_t k = 0; k < sc->nf; k++)
        if (sc->f[k].b == j)
            return (int)k;
    return -1;
}

/* The figure that starts at byte j, else -1. */
static int fig_starting(const scan *sc, size_t j)
{
    for (size_t k = 0; k < sc->nf; k++)
        if (sc->f[k].a == j)
            return (int)k;
    return -1;
}

/* The figure that ends at byte j or before it past spaces and the marks
   x × * 张 块 卡 張 塊 of ("512张H100", "512 x H100", "a cluster of 512"),
   or -1. */
static int count_ending_at(const scan *sc, size_t j)
{
    for (;;) {
        int k = fig_ending(sc, j);
        if (k >= 0)
            return k;
        if (j > 0 && (sc->s[j - 1] == ' ' || sc->s[j - 1] == '*'))
            j--;
        else if (j > 0 && (sc->s[j - 1] == 'x' || sc->s[j - 1] == 'X') &&
                 !(j > 1 && isalpha((unsigned char)sc->s[j - 2])))
            j--;
        else if (j >= 2 && has_at(sc, j - 2, "×"))
            j -= 2;
        else if (j >= 3 && count_mark_cjk(sc, j - 3))
            j -= 3;
        else if (j >= 2 && word_is(sc, j - 2, j, "of") &&
                 !(j > 2 && alnum_at(sc, j - 3)))
            j -= 2;
        else
            return -1;
    }
}

/* The figure that starts at byte j (skipping spaces and x × * :), or -1. */
static int count_starting_at(const scan *sc, size_t j)
{
    for (;;) {
        int k = fig_starting(sc, j);
        if (k >= 0)
            return k;
        if (j < sc->n && strchr(" *:", sc->s[j]) && sc->s[j])
            j++;
        else if (j < sc->n && (sc->s[j] == 'x' || sc->s[j] == 'X') &&
                 !alnum_at(sc, j + 1))
            j++;
        else if (has_at(sc, j, "×"))
            j += 2;
        else
            return -1;
    }
}

/* "512 H1000": an unknown card next to a count is named, with the
   catalog's nearest names. */
static gpb_status check_unknown_cards(scan *sc)
{
    for (size_t u = 0; u < sc->nu; u++) {
        span w = sc->unknown[u];
        /* The word's bytes before any that were read: "H1000" of
           "H1000-A37B" (find_moe_names read "A37B"); nothing of "bf16" or
           "A37B" alone. */
        const unsigned char *used = memchr(sc->used + w.a, 1, w.b - w.a);
        size_t name_end = used ? (size_t)(used - sc->used) : w.b;
        while (name_end > w.a && strchr("-.", sc->s[name_end - 1]))
            name_end--;
        int digit = 0;
        for (size_t i = w.a; i < name_end; i++)
            digit |= digit_at(sc, i);
        if (!digit)
            continue;
        int k = count_ending_at(sc, w.a);
        int near = k >= 0 && is_count(sc, k) && sc->f[k].q.value < BARE_MIN;
        if (!near) {
            k = count_starting_at(sc, w.b);
            near = k >= 0 && is_count(sc, k) && sc->f[k].a > w.b &&
                   sc->f[k].q.value < BARE_MIN &&
                   (span_has(sc, w.b, sc->f[k].a, "x") ||
                    span_has(sc, w.b, sc->f[k].a, "×") ||
                    span_has(sc, w.b, sc->f[k].a, "*"));
        }
        size_t after = skip_after_fillers(sc, w.b);
        size_t cend;
        if (!near && cue_after(sc, after, 1u << GPB_PITCH_GPUS, &cend) >= 0)
            near = 1;
        if (!near)
            continue;
        char tok[64];
        copy_span(tok, sizeof tok, sc, w.a, name_end);
        gpb_error e;
        const gpb_gpu *g;
        if (gpb_hardware_gpu_find(tok, &g, &e) == GPB_OK)
            continue; /* "H100-A37B": the count's refusal names it */
        return fail(sc, GPB_ENOTFOUND, w.a, "%s", e.message);
    }
    return GPB_OK;
}

static gpb_status need_in_range(scan *sc, size_t at, const char *shown,
                                const char *what, double v, double hi,
                                int whole)
{
    if (whole ? v >= 1 && v <= hi : v > 0 && v <= hi)
        return GPB_OK;
    return fail(sc, GPB_ERANGE, at,
                "expected %s in %s%g] (the range of a scenario's training "
                "run), found '%s'",
                what, whole ? "[1, " : "(0, ", hi, shown);
}

/*
 * Records figure k as part, checking its range and that the part is not
 * given twice with another value (the same value twice is one reading).
 */
static gpb_status set_part(scan *sc, int k, int part, const char *how, ...)
    GPB__PRINTF(4, 5);
static gpb_status set_part(scan *sc, int k, int part, const char *how, ...)
{
    fig *f = &sc->f[k];
    gpb_pitch *p = sc->p;
    const char *shown = quote(sc, f->ta, f->tb, 0);
    double v = f->q.value;
    gpb_status st = GPB_OK;
    double *slot = NULL;
    switch (part) {
    case GPB_PITCH_PARAMS:
        st = need_in_range(sc, f->ta, shown, "a number of parameters", v,
                           GPB__PARAMS_MAX, 0);
        slot = &p->params;
        break;
    case GPB_PITCH_ACTIVE:
        st = need_in_range(sc, f->ta, shown, "a number of active parameters",
                           v, GPB__PARAMS_MAX, 0);
        slot = &p->active_params;
        break;
    case GPB_PITCH_TOKENS:
        st = need_in_range(sc, f->ta, shown, "a number of tokens", v,
                           GPB__TOKENS_MAX, 0);
        slot = &p->tokens;
        break;
    case GPB_PITCH_GPUS:
        if (v != floor(v))
            return fail(sc, GPB_ESYNTAX, f->ta,
                        "expected a whole number of GPUs with the card, "
                        "found '%s'",
                        shown);
        st = need_in_range(sc, f->ta, shown, "a whole number of GPUs", v,
                           GPB__GPUS_MAX, 1);
        slot = &p->gpus;
        break;
    case GPB_PITCH_DURATION:
        slot = &p->hours;
        break;
    case GPB_PITCH_BUDGET:
        slot = &p->budget.value;
        break;
    case GPB_PITCH_PRICE:
        slot = &p->price.value;
        break;
    case GPB_PITCH_MFU:
        if (!(v <= 1))
            return fail(sc, GPB_ERANGE, f->ta,
                        "expected an MFU in (0, 1], found '%s'", shown);
        slot = &p->mfu;
        break;
    default:
        break;
    }
    if (st)
        return st;
    /* The units layer refuses negative durations and money; zero is a
       slip too ("0 days"). */
    if (!(v > 0))
        return fail(sc, GPB_ERANGE, f->ta,
                    "expected %s above zero, found '%s'",
                    part == GPB_PITCH_DURATION ? "a duration"
                    : part == GPB_PITCH_BUDGET ? "a budget"
                    : part == GPB_PITCH_PRICE  ? "a price"
                    : part == GPB_PITCH_MFU    ? "an MFU"
                                               : "a count",
                    shown);
    int given = part == GPB_PITCH_BUDGET  ? p->budget.kind == GPB_QTY_MONEY
                : part == GPB_PITCH_PRICE ? p->price.kind ==
                                                GPB_QTY_MONEY_PER_HOUR
                                          : !isnan(*slot);
    if (given) {
        /* The earlier reading of the same part, to name both. */
        for (size_t r = 0; r < sc->nf; r++) {
            const fig *o = &sc->f[r];
            if ((int)r == k || o->part != part)
                continue;
            int same = o->q.value == v && o->q.currency == f->q.currency;
            if (part == GPB_PITCH_GPUS)
                same = same && o->card >= 0 && f->card >= 0 &&
                       sc->c[o->card].gpu == sc->c[f->card].gpu;
            if (same) {
                f->part = part;
                f->ta = f->tb = 0; /* one reading for both */
                return GPB_OK;
            }
            static const char *const what[GPB_PITCH_PART_COUNT] = {
                "the parameters are", "the tokens are", "the GPUs are",
                "the duration is",    "the budget is",  "the price is",
                "the precision is",   "the MFU is",
                "the active parameters are"};
            return fail(sc, GPB_ESYNTAX, f->ta,
                        "%s given twice, as '%s' and as '%s'", what[part],
                        quote(sc, o->ta, o->tb, 1), shown);
        }
    }
    *slot = v;
    if (part == GPB_PITCH_BUDGET) {
        p->budget.kind = GPB_QTY_MONEY;
        p->budget.currency = f->q.currency;
    } else if (part == GPB_PITCH_PRICE) {
        p->price.kind = GPB_QTY_MONEY_PER_HOUR;
        p->price.currency = f->q.currency;
    }
    f->part = part;
    va_list ap;
    va_start(ap, how);
    vsnprintf(f->how, sizeof f->how, how, ap);
    va_end(ap);
    return GPB_OK;
}

/* Widens figure k's reading to the cue [a, b) next to it. */
static void widen(fig *f, size_t a, size_t b)
{
    if (a < f->ta)
        f->ta = a;
    if (b > f->tb)
        f->tb = b;
}

/* Quotes the cue [a, b) for a reading's explanation. */
static const char *cue_text(const scan *sc, size_t a, size_t b)
{
    return quote(sc, a, b, 2);
}

/*
 * The bytes of a size as model names write it ("37B", "2.7B", "1T",
 * "37b") starting at byte i: digits, optionally '.' and digits, then B or
 * T, either case, that ends the word. 0 when there is none.
 */
static size_t size_word_at(const scan *sc, size_t i)
{
    size_t j = i;
    while (digit_at(sc, j))
        j++;
    if (j == i)
        return 0;
    if (j < sc->n && sc->s[j] == '.' && digit_at(sc, j + 1)) {
        j++;
        while (digit_at(sc, j))
            j++;
    }
    if (j >= sc->n || !strchr("BbTt", sc->s[j]))
        return 0;
    j++;
    return alnum_at(sc, j) || (j < sc->n && sc->s[j] == '.' &&
                               alnum_at(sc, j + 1))
               ? 0
               : j - i;
}

/* Reads bytes [a, b) as a number into *q: 1 when it is one. */
static int size_value(const scan *sc, size_t a, size_t b, gpb_quantity *q)
{
    char buf[32];
    if (b - a >= sizeof buf)
        return 0;
    memcpy(buf, sc->s + a, b - a);
    buf[b - a] = 0;
    return gpb_units_parse(buf, q, NULL) == GPB_OK &&
           q->kind == GPB_QTY_NUMBER;
}

/*
 * Model names that give the active parameters after an 'A' (Qwen's
 * convention, and DeepSeek-V3 written the same way): "671B-A37B",
 * "Qwen3-235B-A22B", "671b-a37b", or "A37B" alone. The size after the 'A'
 * is the active parameters; a size right before "-A" is the total, read
 * as the parameters (in "Qwen3-235B" alone it is part of a name, not a
 * figure: figure_start). Only an 'A' that starts a word or follows '-',
 * and sizes in B or T, so that cards ("A100", "a100", found first) and
 * words are left alone. A lowercase 'a' is read only after a total
 * ("671b-a37b"): alone ("a37b") it is refused, named, rather than skipped
 * with the model read dense (a review). The active size must be at least
 * a million, as for the words ("37B active"). Runs before find_figures,
 * which skips the bytes used here.
 */
static gpb_status find_moe_names(scan *sc)
{
    gpb_status st;
    for (size_t i = 0; i < sc->n; i = next_at(sc, i)) {
        if ((sc->s[i] != 'A' && sc->s[i] != 'a') || sc->used[i] ||
            (i > 0 && alnum_at(sc, i - 1)))
            continue;
        size_t m = size_word_at(sc, i + 1), e = i + 1 + m;
        gpb_quantity qa, qt;
        if (!m || memchr(sc->used + i, 1, e - i) ||
            !size_value(sc, i + 1, e, &qa))
            continue;
        /* The total: "671B" ending right before "-A". */
        size_t t = i, tb = 0;
        if (i >= 3 && sc->s[i - 1] == '-') {
            tb = i - 1;
            t = tb - 1; /* the B or T */
            while (t > 0 && (digit_at(sc, t - 1) || sc->s[t - 1] == '.'))
                t--;
            if (size_word_at(sc, t) != tb - t ||
                (t > 0 && alnum_at(sc, t - 1)) ||
                memchr(sc->used + t, 1, tb - t) ||
                !size_value(sc, t, tb, &qt))
                t = i; /* no total */
        }
        char name[64];
        copy_span(name, sizeof name, sc, t, e);
        if (sc->s[i] == 'a' && t == i)
            return fail(sc, GPB_ESYNTAX, i,
                        "cannot tell what '%s' is: a model name's active "
                        "size follows its total ('671B-A37B', "
                        "'Qwen3-235B-A22B'); write both, or '671B params "
                        "(37B active)'",
                        quote(sc, i, e, 0));
        if (qa.value < BARE_MIN)
            return fail(sc, GPB_ERANGE, i,
                        "expected at least a million active parameters, "
                        "found '%s' (%g) in '%s'",
                        quote(sc, i, e, 0), qa.value, name);
        if (t < i) {
            if ((st = add_fig(sc, t, tb, &qt)) ||
                (st = set_part(sc, (int)sc->nf - 1, GPB_PITCH_PARAMS,
                               "the total in '%s'", name)))
                return st;
            sc->used[tb] = 1; /* the '-' */
        }
        if ((st = add_fig(sc, i, e, &qa)) ||
            (st = set_part(sc, (int)sc->nf - 1, GPB_PITCH_ACTIVE,
                           "'%c': the active in '%s'", sc->s[i], name)))
            return st;
        i = e - 1;
    }
    return GPB_OK;
}

/* Each card's count, the one card of the pitch, and counts of "GPUs". */
static gpb_status read_cards(scan *sc)
{
    gpb_status st;
    const gpb_gpu *g = NULL;
    size_t first = 0;
    for (size_t c = 0; c < sc->nc; c++) {
        cardpos *cp = &sc->c[c];
        if (g && cp->gpu != g)
            return fail(sc, GPB_ESYNTAX, cp->a,
                        "two kinds of card, '%s' (%s) and '%s' (%s); a "
                        "pitch is checked on one",
                        quote(sc, sc->c[first].a, sc->c[first].b, 1),
                        g->name, quote(sc, cp->a, cp->b, 0), cp->gpu->name);
        if (!g)
            g = cp->gpu, first = c;
        if (cp->count < 0) {
            int k = count_ending_at(sc, cp->a);
            if (k >= 0 && is_count(sc, k)) {
                cp->count = k;
            } else if ((k = count_starting_at(sc, cp->b)) >= 0 &&
                       is_count(sc, k)) {
                cp->count = k;
            }
            if (cp->count >= 0)
                sc->f[cp->count].card = (int)c;
        }
        if (cp->count < 0)
            continue;
        fig *f = &sc->f[cp->count];
        int before = f->a < cp->a;
        widen(f, cp->a, cp->b);
        char name[64];
        copy_span(name, sizeof name, sc, cp->a, cp->b);
        if ((st = set_part(sc, cp->count, GPB_PITCH_GPUS, "the count %s %s",
                           before ? "before" : "after", name)))
            return st;
    }
    sc->p->gpu = g;
    /* "1000卡", "512 GPUs": a count of cards without a name is the one
       card the pitch names. */
    for (size_t k = 0; k < sc->nf; k++) {
        fig *f = &sc->f[k];
        size_t cend, cstart;
        int gpu_word = (f->words & W_GPU) && f->q.kind == GPB_QTY_NUMBER &&
                       !(f->words & (W_PARAM | W_TOKEN));
        if (!gpu_word && f->q.kind == GPB_QTY_NUMBER && !f->percent &&
            !f->words && f->part == -1 &&
            cue_after(sc, f->b, 1u << GPB_PITCH_GPUS, &cend) >= 0) {
            widen(f, f->a, cend);
            gpu_word = 1;
        }
        if (!gpu_word && f->q.kind == GPB_QTY_NUMBER && !f->percent &&
            !f->words && f->part == -1 &&
            cue_before(sc, f->a, 1u << GPB_PITCH_GPUS, &cstart) >= 0) {
            widen(f, cstart, f->b);
            gpu_word = 1;
        }
        if (!gpu_word || f->part != -1)
            continue;
        if (!g)
            return fail(sc, GPB_ESYNTAX, f->ta,
                        "'%s' names no card; name one from the catalog "
                        "(gpubudget gpus), e.g. '%.6g H100s' or "
                        "'%.6g张H100'",
                        quote(sc, f->ta, f->tb, 0), f->q.value, f->q.value);
        f->card = (int)first;
        if ((st = set_part(sc, (int)k, GPB_PITCH_GPUS,
                           "a count of cards: the pitch's one card, %s",
                           g->name)))
            return st;
    }
    if (g && isnan(sc->p->gpus))
        return fail(sc, GPB_ESYNTAX, sc->c[first].a,
                    "how many %s? write e.g. '512 %s'", g->name, g->name);
    return GPB_OK;
}

/*
 * GPU time written after a count of cards: "1 千卡/月", "1000 card-months",
 * "730k A100 GPU-hours", "2000卡时". Such a figure is cards times time,
 * not a count of cards; read as one, the pitch got no time check and a
 * "consistent" verdict for budgets that need an MFU above 1 (a user
 * review). Returns the word found right after the count's words (spaces
 * and one '-' or '·' skipped), or NULL.
 */
static const char *gpu_time_after(const scan *sc, size_t b, size_t *end)
{
    /* Glued to the card word: "千卡/月", "千卡月", "卡时", "卡·天"; not
       "卡时间" (time) or "卡月租" (a monthly rent). */
    static const char *const glued[] = {"/月", "月", "·月", "时", "·时",
                                        "小时", "天", "·天", NULL};
    static const char *const not_after[] = {"间", "租", "费", "价", NULL};
    for (int k = 0; glued[k]; k++) {
        if (!(b >= strlen("卡") && has_at(sc, b - strlen("卡"), "卡") &&
              has_at(sc, b, glued[k])))
            continue;
        size_t e = b + strlen(glued[k]);
        int other = 0;
        for (int j = 0; not_after[j]; j++)
            other |= has_at(sc, e, not_after[j]);
        if (!other) {
            *end = e;
            return glued[k];
        }
    }
    size_t j = b;
    while (j < sc->n && sc->s[j] == ' ')
        j++;
    if (j < sc->n && sc->s[j] == '-')
        j++;
    else if (has_at(sc, j, "·"))
        j += strlen("·");
    /* Whole words (a plural 's' allowed): "hours", not "hourly". */
    static const char *const words[] = {
        "GPU-hour", "GPU hour", "GPU-hr", "GPU hr", "GPU-h", "GPU-day",
        "GPU day", "GPU-week", "GPU week", "GPU-month", "GPU month",
        "GPU-year", "GPU year", "card-hour", "card hour", "card-day",
        "card day", "card-month", "card month", "node-hour", "node hour",
        "hour", "hr", "h", "day", "week", "wk", "month", "year", "yr",
        NULL};
    for (int k = 0; words[k]; k++) {
        size_t m = strlen(words[k]);
        if (j + m > sc->n || strncasecmp(sc->s + j, words[k], m))
            continue;
        size_t e = j + m;
        if (e < sc->n && (sc->s[e] == 's' || sc->s[e] == 'S'))
            e++;
        if (e < sc->n && (isalnum((unsigned char)sc->s[e]) ||
                          sc->s[e] == '-'))
            continue;
        *end = e;
        return words[k];
    }
    static const char *const cjk[] = {"/月", "卡时", "卡月", "卡天", "卡·时",
                                      "卡·月", NULL};
    for (int k = 0; cjk[k]; k++)
        if (has_at(sc, j, cjk[k])) {
            *end = j + strlen(cjk[k]);
            return cjk[k];
        }
    return NULL;
}

/* Refuses a count of cards that is GPU time (gpu_time_after). */
static gpb_status refuse_gpu_time(scan *sc)
{
    for (size_t k = 0; k < sc->nf; k++) {
        const fig *f = &sc->f[k];
        if (f->part != GPB_PITCH_GPUS)
            continue;
        size_t b = f->tb > f->b ? f->tb : f->b, e = b;
        if (!gpu_time_after(sc, b, &e))
            continue;
        return fail(sc, GPB_ESYNTAX, f->ta,
                    "'%s' is GPU time (cards × time: 1 千卡/月 is 1000 "
                    "cards for a month, 730,500 GPU-hours), not a count of "
                    "cards; the check reads the cards and the duration: "
                    "write e.g. '1000 A100 for 1 month'",
                    quote(sc, f->ta, e, 0));
    }
    return GPB_OK;
}

/*
 * Whether a money-per-hour figure is a GPU's price, by the rule of every
 * price key (gpb_units_parse_as with GPB_QTY_MONEY_PER_HOUR,
 * gpb__rate_is_hourly_price): per hour or less ("$2/h"), or per GPU over
 * any period ("$1500/GPU-month", "¥5万/卡月"). *rate gets what it was per.
 */
static int is_gpu_price(const scan *sc, const fig *f, gpb__rate_basis *rate)
{
    char buf[FIG_MAX_BYTES + 8];
    gpb_quantity q;
    if (f->b - f->a > FIG_MAX_BYTES)
        return 0;
    memcpy(buf, sc->s + f->a, f->b - f->a);
    buf[f->b - f->a] = 0;
    return gpb__units_parse_rate(buf, &q, rate, NULL) == GPB_OK &&
           gpb__rate_is_hourly_price(rate);
}

/* The bytes [a, b) end with the word w, matched as cue_before matches a
   cue: a whole ASCII word, or the CJK characters. */
static int ends_with_at(const scan *sc, size_t a, size_t b, const char *w)
{
    size_t m = strlen(w);
    if (b < a + m)
        return 0;
    size_t s = b - m;
    return is_ascii_cue(w) ? word_is(sc, s, b, w) &&
                                 !(s > 0 && alnum_at(sc, s - 1))
                           : has_at(sc, s, w);
}

/*
 * A money figure that is a rate over a period other than the hour, by the
 * words next to it ("每月花费5000万元", "¥50M a month", "$2M per day"),
 * or money glued to GPU time ("$5M GPU-hours"). Returns the word found,
 * NULL when the figure is plain money.
 */
static const char *money_not_total(const scan *sc, const fig *f)
{
    /* A rate word right before the amount, with at most one verb or noun
       of spending between ("每月花费5000万元", "monthly burn $300k"); a
       rate word elsewhere in the clause is not the amount's ("daily
       evaluation costs $2M", diff review). */
    static const char *const rate[] = {
        "每月", "每个月", "每天", "每日", "每周", "每年", "per month",
        "per day", "per week", "monthly", "daily", "weekly", NULL};
    static const char *const verb[] = {
        "花费", "花", "支出", "开销", "成本", "费用", "预算", "burn",
        "spend", "spending", "cost", "costs", "budget of", "budget", NULL};
    size_t a = f->a;
    while (a > 0 && !sep_at(sc, a - 1))
        a--;
    size_t e = f->a;
    while (e > a && sc->s[e - 1] == ' ')
        e--;
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; rate[k]; k++)
            if (ends_with_at(sc, a, e, rate[k]))
                return rate[k];
        if (pass)
            break;
        int cut = 0;
        for (int k = 0; verb[k] && !cut; k++)
            if (ends_with_at(sc, a, e, verb[k])) {
                e -= strlen(verb[k]);
                cut = 1;
            }
        if (!cut)
            break;
        while (e > a && sc->s[e - 1] == ' ')
            e--;
    }
    /* A period right after it, as a whole word ("$2M a month", not "a
       month-long run"). */
    static const char *const after[] = {
        "a month", "per month", "/month", "/mo", "a day", "per day", "/day",
        "a year", "per year", "/year", "a week", "per week", "monthly",
        "每月", "每个月", "一个月", "/月", "每天", "/天", "每年", "/年",
        "每周", NULL};
    size_t b = f->b;
    while (b < sc->n && sc->s[b] == ' ')
        b++;
    for (int k = 0; after[k]; k++) {
        size_t m = strlen(after[k]);
        if (!has_at(sc, b, after[k]) &&
            !(is_ascii_cue(after[k]) && span_has(sc, b, b + m, after[k])))
            continue;
        if (is_ascii_cue(after[k]) && b + m < sc->n &&
            (alnum_at(sc, b + m) || sc->s[b + m] == '-'))
            continue;
        return after[k];
    }
    /* Money glued to GPU time ("$5M GPU-hours"). */
    static const char *const other[] = {"GPU-hour", "GPU hour", "GPU-month",
                                        "card-month", "卡时", NULL};
    for (int k = 0; other[k]; k++)
        if (span_has(sc, b, b + strlen(other[k]), other[k]))
            return other[k];
    return NULL;
}

/* The cue [a, b) is "active", "activated" or "激活" alone, without a
   word for parameters. */
static int bare_active_cue(const scan *sc, size_t a, size_t b)
{
    return word_is(sc, a, b, "active") || word_is(sc, a, b, "activated") ||
           (b - a == strlen("激活") && has_at(sc, a, "激活"));
}

/*
 * Whether byte j (spaces skipped) starts "per token" ("per tok", "per
 * tokens", "per-token") or "每token" ("每个token", "每词元"): what says
 * that a count is per token, so of a model's active parameters.
 */
static int per_token_at(const scan *sc, size_t j)
{
    size_t l;
    while ((l = space_at(sc, j)))
        j += l;
    if (has_at(sc, j, "每")) {
        j += strlen("每");
        while ((l = space_at(sc, j)))
            j += l;
        if (has_at(sc, j, "个"))
            j += strlen("个");
        while ((l = space_at(sc, j)))
            j += l;
        if (has_at(sc, j, "词元"))
            return 1;
    } else if (j + 3 <= sc->n && word_is(sc, j, j + 3, "per") &&
               !alnum_at(sc, j + 3)) {
        j += 3;
        if (j < sc->n && sc->s[j] == '-')
            j++;
        else if (!space_at(sc, j))
            return 0;
        while ((l = space_at(sc, j)))
            j += l;
    } else {
        return 0;
    }
    size_t e = j;
    while (e < sc->n && isalpha((unsigned char)sc->s[e]))
        e++;
    return word_is(sc, j, e, "token") || word_is(sc, j, e, "tokens") ||
           word_is(sc, j, e, "tok") || word_is(sc, j, e, "toks");
}

/*
 * Whether the clause ends at byte j (spaces skipped) or goes on with "per
 * token" ("37B activated per token"). A bare "active" is read as active
 * parameters only so: in "1M active users", "50M active per day" it says
 * what other things are (a review found "50M active per day" read as 5e7
 * active parameters), and the figure is refused (refuse_bare_active).
 */
static int stands_alone(const scan *sc, size_t j)
{
    size_t l;
    while ((l = space_at(sc, j)))
        j += l;
    return j >= sc->n || sep_at(sc, j) || per_token_at(sc, j);
}

/*
 * Refuses figure f, next to a bare "active" or "激活" (the cue [ca, cb))
 * that does not stand alone ("1M active users", "50M active per day",
 * "1亿激活用户"): such a number counts something else, whatever else the
 * pitch gives. Left to the other rules it was read as the parameters
 * while they were missing, or refused for an "unknown unit '激'".
 */
static gpb_status refuse_bare_active(scan *sc, const fig *f, size_t ca,
                                     size_t cb)
{
    size_t e = cb > f->b ? cb : f->b, l;
    /* Quote up to the next word: "1M active users", "1亿激活用户" (up to
       four characters of Chinese, which has no spaces). */
    while ((l = space_at(sc, e)))
        e += l;
    if (e < sc->n && !sep_at(sc, e) && (unsigned char)sc->s[e] < 0x80)
        e = unit_end(sc, e);
    for (int c = 0; c < 4 && e < sc->n && (unsigned char)sc->s[e] >= 0x80 &&
                    !sep_at(sc, e) && !space_at(sc, e);
         c++)
        e = next_at(sc, e);
    return fail(sc, GPB_ESYNTAX, f->a,
                "cannot tell what '%s' counts in '%s': 'active' and '激活' "
                "mark a model's active parameters only at the end of their "
                "clause or before 'per token' ('37B active per token', "
                "'370亿激活参数'); add a word ('params', 'tokens')",
                quote(sc, f->a, f->b, 0), quote(sc, ca < f->a ? ca : f->a, e,
                                                 1));
}

/* Reads the figures whose kind or words say what they are. */
static gpb_status read_kinds(scan *sc)
{
    gpb_status st;
    for (size_t k = 0; k < sc->nf; k++) {
        fig *f = &sc->f[k];
        if (f->part != -1)
            continue;
        size_t ca, cb;
        int cu;
        switch (f->q.kind) {
        case GPB_QTY_MONEY: {
            const char *w = money_not_total(sc, f);
            if (w && (!strcmp(w, "GPU-hour") || !strcmp(w, "GPU hour") ||
                      !strcmp(w, "GPU-month") || !strcmp(w, "card-month") ||
                      !strcmp(w, "卡时")))
                return fail(sc, GPB_ESYNTAX, f->a,
                            "'%s' is money followed by '%s': a pitch's "
                            "budget is an amount ('$2M'), its GPU-hours a "
                            "count ('500k GPU-hours'), not both",
                            quote(sc, f->a, f->b, 0), w);
            if (w)
                return fail(sc, GPB_ESYNTAX, f->a,
                            "'%s' is money per period ('%s'), not the run's "
                            "total: a pitch's budget is what the whole run "
                            "costs ('$2M'), and its price a rent per "
                            "GPU-hour ('$2/GPU-hour'); a monthly cost times "
                            "the months is the budget",
                            quote(sc, f->a, f->b, 0), w);
        }
            if ((cu = cue_before(sc, f->a, 1u << GPB_PITCH_BUDGET, &ca)) >= 0)
                widen(f, ca, f->b);
            if ((st = set_part(sc, (int)k, GPB_PITCH_BUDGET,
                               "an amount of money%s%s%s",
                               cu >= 0 ? " after '" : "",
                               cu >= 0 ? cue_text(sc, ca, f->a) : "",
                               cu >= 0 ? "'" : "")))
                return st;
            continue;
        case GPB_QTY_DURATION:
            if ((cu = cue_before(sc, f->a, 1u << GPB_PITCH_DURATION, &ca)) >=
                0)
                widen(f, ca, f->b);
            if (has_at(sc, f->b, "内"))
                widen(f, f->ta, f->b + 3);
            if ((st = set_part(sc, (int)k, GPB_PITCH_DURATION, "a duration")))
                return st;
            continue;
        case GPB_QTY_MONEY_PER_HOUR: {
            gpb__rate_basis rate = {0, 0};
            if (!is_gpu_price(sc, f, &rate))
                return fail(sc, GPB_ESYNTAX, f->a,
                            "'%s' is a rate per %s that names no GPU; a "
                            "pitch's budget is the run's total ('$2M') and "
                            "its price a GPU's rent, per hour "
                            "('$2/GPU-hour') or per GPU ('$1500/GPU-month', "
                            "'¥5万/卡月')",
                            quote(sc, f->a, f->b, 0),
                            gpb__rate_period(&rate));
            if ((cu = cue_before(sc, f->a, 1u << GPB_PITCH_PRICE, &ca)) >= 0)
                widen(f, ca, f->b);
            /* "¥5万/卡月" is shown as read: per GPU-hour (÷ 730.5). */
            const char *per = gpb__rate_period(&rate);
            if ((st = !strcmp(per, "hour") || rate.unit_hours == 0
                          ? set_part(sc, (int)k, GPB_PITCH_PRICE,
                                     "a price per GPU-hour")
                      : strcmp(per, "period")
                          ? set_part(sc, (int)k, GPB_PITCH_PRICE,
                                     "a price per GPU-%s, read per "
                                     "GPU-hour",
                                     per)
                          : set_part(sc, (int)k, GPB_PITCH_PRICE,
                                     "a price, read per GPU-hour")))
                return st;
            continue;
        }
        case GPB_QTY_NUMBER:
            break;
        default:
            return fail(sc, GPB_ESYNTAX, f->a,
                        "'%s' is %s; a pitch gives parameters, tokens, GPUs, "
                        "a duration, a budget, a price per GPU-hour, a "
                        "precision and an MFU",
                        quote(sc, f->a, f->b, 0),
                        gpb_qty_kind_name(f->q.kind));
        }
        if (f->card >= 0)
            continue;
        if (f->words & W_FLOP)
            return fail(sc, GPB_ESYNTAX, f->a,
                        "'%s' is a count of FLOPs; a pitch gives the "
                        "parameters and tokens, whose 6·N·D is the FLOPs",
                        quote(sc, f->a, f->b, 0));
        /* The active parameters of a mixture of experts ("37B active",
           "激活参数370亿"), looked for first: "37B active params" holds a
           parameters cue too. A number below a million ("8 experts, 2
           active") is not a parameter count and is left to the
           refusals. */
        if (!f->percent && !(f->words & W_TOKEN) &&
            (f->q.value >= BARE_MIN || (f->words & W_PARAM))) {
            unsigned am = 1u << GPB_PITCH_ACTIVE;
            size_t c0 = skip_after_fillers(sc, f->b);
            if (cue_after(sc, f->b, am, &cb) == GPB_PITCH_ACTIVE) {
                if (bare_active_cue(sc, c0, cb) && !stands_alone(sc, cb))
                    return refuse_bare_active(sc, f, f->a, cb);
                widen(f, f->a, cb);
                if ((st = set_part(sc, (int)k, GPB_PITCH_ACTIVE,
                                   "'%s' follows", cue_text(sc, c0, cb))))
                    return st;
                continue;
            }
            size_t c1 = skip_before_fillers(sc, f->a);
            if (cue_before(sc, f->a, am, &ca) == GPB_PITCH_ACTIVE) {
                if (bare_active_cue(sc, ca, c1) && !stands_alone(sc, f->b))
                    return refuse_bare_active(sc, f, ca, f->b);
                widen(f, ca, f->b);
                if ((st = set_part(sc, (int)k, GPB_PITCH_ACTIVE,
                                   "after '%s'", cue_text(sc, ca, c1))))
                    return st;
                continue;
            }
        }
        unsigned count_parts = (1u << GPB_PITCH_PARAMS) |
                               (1u << GPB_PITCH_TOKENS) |
                               (1u << GPB_PITCH_MFU);
        int after = cue_after(sc, f->b, count_parts, &cb);
        int before = after < 0 ? cue_before(sc, f->a, count_parts, &ca) : -1;
        if (f->percent || (after == GPB_PITCH_MFU) ||
            (before == GPB_PITCH_MFU)) {
            if (after != GPB_PITCH_MFU && before != GPB_PITCH_MFU)
                return fail(sc, GPB_ESYNTAX, f->a,
                            "'%s' is a percentage; a pitch reads one only "
                            "as an MFU ('40%% MFU')",
                            quote(sc, f->a, f->b, 0));
            if (after >= 0)
                widen(f, f->a, cb);
            else
                widen(f, ca, f->b);
            if ((st = set_part(sc, (int)k, GPB_PITCH_MFU,
                               "a utilisation with 'MFU'")))
                return st;
            continue;
        }
        if (f->words & W_TOKEN) {
            if (after == GPB_PITCH_PARAMS)
                widen(f, f->a, cb);
            if ((st = set_part(sc, (int)k, GPB_PITCH_TOKENS,
                               "'tokens' in it")))
                return st;
        } else if (f->words & W_PARAM) {
            if (after == GPB_PITCH_PARAMS)
                widen(f, f->a, cb); /* "700亿参数模型" */
            if ((st = set_part(sc, (int)k, GPB_PITCH_PARAMS,
                               "'parameters' in it")))
                return st;
        } else if (after == GPB_PITCH_PARAMS || after == GPB_PITCH_TOKENS) {
            widen(f, f->a, cb);
            if ((st = set_part(sc, (int)k, after, "'%s' follows",
                               cue_text(sc, skip_after_fillers(sc, f->b),
                                        cb))))
                return st;
        } else if (before == GPB_PITCH_PARAMS || before == GPB_PITCH_TOKENS) {
            widen(f, ca, f->b);
            if ((st = set_part(sc, (int)k, before, "after '%s'",
                               cue_text(sc, ca, skip_before_fillers(sc,
                                                                    f->a)))))
                return st;
        }
    }
    return GPB_OK;
}

/* Numbers with no word: parameters first, then tokens, from a million. */
static gpb_status read_bare(scan *sc)
{
    gpb_status st;
    for (size_t k = 0; k < sc->nf; k++) {
        fig *f = &sc->f[k];
        if (f->part != -1 || f->card >= 0)
            continue;
        if (glued_at(sc, f->b)) {
            /* "30日", "200万块": the units layer's reason. */
            size_t e = unit_end(sc, f->b);
            gpb_quantity q;
            gpb_error ue;
            parse_span(sc, f->a, e, &q, &ue);
            return fail(sc, GPB_ESYNTAX, f->a, "cannot read '%s' (%s)",
                        quote(sc, f->a, e, 0), ue.message);
        }
        if (f->q.value < BARE_MIN || f->words) {
            size_t e = f->b, l;
            while ((l = space_at(sc, e)))
                e += l;
            size_t w = e < sc->n && !sep_at(sc, e) ? unit_end(sc, e) : f->b;
            return fail(sc, GPB_ESYNTAX, f->a,
                        "cannot tell what '%s' counts in '%s'; write e.g. "
                        "'%s H100s', '%s days' or '%s tokens'%s",
                        quote(sc, f->a, f->b, 0), quote(sc, f->a, w, 1),
                        quote(sc, f->a, f->b, 2), quote(sc, f->a, f->b, 2),
                        quote(sc, f->a, f->b, 2),
                        w > e ? " (the card may be missing from the "
                                "catalog: gpubudget gpus)"
                              : "");
        }
        if (isnan(sc->p->params))
            st = set_part(sc, (int)k, GPB_PITCH_PARAMS,
                          "a bare number: the parameters come first");
        else if (isnan(sc->p->tokens))
            st = set_part(sc, (int)k, GPB_PITCH_TOKENS,
                          "a bare number after the parameters");
        else
            st = fail(sc, GPB_ESYNTAX, f->a,
                      "cannot tell what '%s' counts: the parameters and "
                      "tokens are given; add a word ('tokens', 'params') "
                      "or a currency ('$2M')",
                      quote(sc, f->a, f->b, 0));
        if (st)
            return st;
    }
    return GPB_OK;
}

/* Precision words: fp8, bf16, fp16, tf32, fp32, bfloat16, float16, ... */
static gpb_status read_precision(scan *sc)
{
    size_t i = 0;
    while (i < sc->n) {
        if (!isalpha((unsigned char)sc->s[i]) || sc->used[i] ||
            (i > 0 && alnum_at(sc, i - 1))) {
            i = next_at(sc, i);
            continue;
        }
        size_t e = i;
        while (alnum_at(sc, e))
            e++;
        static const char *const names[] = {
            "fp8", "fp16", "bf16", "tf32", "fp32", "bfloat16", "float16",
            "float8", "float32", NULL};
        int hit = 0;
        for (int k = 0; names[k]; k++)
            hit |= word_is(sc, i, e, names[k]);
        gpb_precision prec;
        char w[16];
        copy_span(w, sizeof w, sc, i, e);
        /* A training format the catalog has no peak for ("fp4", "fp6"):
           refused, not skipped with the pitch checked at bf16 (review).
           Integer formats are a serving matter ("int4 quantization for
           serving") and are left among the skipped words. */
        static const char *const other[] = {"fp4", "fp6", "nvfp4", "mxfp4",
                                            "mxfp6", "mxfp8", NULL};
        for (int k = 0; other[k] && !hit; k++)
            if (word_is(sc, i, e, other[k]))
                return fail(sc, GPB_ESYNTAX, i,
                            "'%s': the catalog has no peak at that "
                            "precision; a pitch is checked at fp32, tf32, "
                            "bf16, fp16 or fp8",
                            w);
        if (hit && gpb_precision_from_name(w, &prec, NULL) == GPB_OK) {
            gpb_pitch *p = sc->p;
            if (p->precision != GPB_PREC_COUNT && p->precision != prec)
                return fail(sc, GPB_ESYNTAX, i,
                            "two precisions, %s and '%s'; a pitch is "
                            "checked at one",
                            gpb_precision_name(p->precision), w);
            if (p->precision == GPB_PREC_COUNT &&
                p->n_readings < GPB_PITCH_READINGS_MAX) {
                p->precision = prec;
                gpb_pitch_reading *r = &p->readings[p->n_readings++];
                r->part = GPB_PITCH_PRECISION;
                copy_span(r->text, sizeof r->text, sc, i, e);
                r->column = column_of(sc, i);
                r->value = (double)prec;
                snprintf(r->how, sizeof r->how, "a precision");
            }
            memset(sc->used + i, 1, e - i);
        }
        i = e;
    }
    return GPB_OK;
}

/* ---- numbers in words ---------------------------------------------------- */

/* A number word before a unit word: "two trillion tokens", "a month". */
static int number_word(const scan *sc, size_t a, size_t b)
{
    static const char *const w[] = {
        "a", "an", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
        "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        "hundred", "thousand", "million", "billion", "trillion", "few",
        "several", "dozen", NULL};
    for (int k = 0; w[k]; k++)
        if (word_is(sc, a, b, w[k]))
            return 1;
    return 0;
}

/*
 * When a part is missing and its unit stands in the text after a number
 * written in words ("two trillion tokens", "一个月", "两周", "a month"),
 * the number could not be read: refuse, quoting the words, rather than
 * check a pitch without it.
 */
static gpb_status check_words_for_numbers(scan *sc)
{
    const gpb_pitch *p = sc->p;
    static const cue units[] = {
        {"tokens", GPB_PITCH_TOKENS},     {"token", GPB_PITCH_TOKENS},
        {"parameters", GPB_PITCH_PARAMS}, {"params", GPB_PITCH_PARAMS},
        {"days", GPB_PITCH_DURATION},     {"day", GPB_PITCH_DURATION},
        {"weeks", GPB_PITCH_DURATION},    {"week", GPB_PITCH_DURATION},
        {"months", GPB_PITCH_DURATION},   {"month", GPB_PITCH_DURATION},
        {"years", GPB_PITCH_DURATION},    {"year", GPB_PITCH_DURATION},
        {"dollars", GPB_PITCH_BUDGET},    {"dollar", GPB_PITCH_BUDGET},
        {"个月", GPB_PITCH_DURATION},     {"星期", GPB_PITCH_DURATION},
        {"周", GPB_PITCH_DURATION},       {"天", GPB_PITCH_DURATION},
        {"年", GPB_PITCH_DURATION},       {"美元", GPB_PITCH_BUDGET},
        {"美金", GPB_PITCH_BUDGET},       {"元", GPB_PITCH_BUDGET},
        {"亿参数", GPB_PITCH_PARAMS},     {"参数", GPB_PITCH_PARAMS},
    };
    for (size_t i = 0; i < sc->n; i = next_at(sc, i)) {
        if (sc->used[i])
            continue;
        for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
            const cue *u = &units[k];
            int missing = u->part == GPB_PITCH_TOKENS   ? isnan(p->tokens)
                          : u->part == GPB_PITCH_PARAMS ? isnan(p->params)
                          : u->part == GPB_PITCH_DURATION
                              ? isnan(p->hours)
                              : p->budget.kind != GPB_QTY_MONEY;
            if (!missing)
                continue;
            size_t m = strlen(u->w), a;
            if (is_ascii_cue(u->w)) {
                if (!word_is(sc, i, i + m, u->w) || alnum_at(sc, i + m) ||
                    (i > 0 && alnum_at(sc, i - 1)))
                    continue;
                /* The word before must be a number word. */
                size_t j = i;
                while (j > 0 && sc->s[j - 1] == ' ')
                    j--;
                a = j;
                while (a > 0 && isalpha((unsigned char)sc->s[a - 1]))
                    a--;
                if (a == j || !number_word(sc, a, j))
                    continue;
                /* Take in a further number word ("two trillion"). */
                size_t j2 = a;
                while (j2 > 0 && sc->s[j2 - 1] == ' ')
                    j2--;
                size_t a2 = j2;
                while (a2 > 0 && isalpha((unsigned char)sc->s[a2 - 1]))
                    a2--;
                if (a2 < j2 && number_word(sc, a2, j2))
                    a = a2;
            } else {
                if (!has_at(sc, i, u->w))
                    continue;
                size_t j = i;
                if (j >= 3 && has_at(sc, j - 3, "个") &&
                    strcmp(u->w, "个月"))
                    j -= 3;
                /* Numerals and multipliers before the unit, at least one
                   numeral among them ("一个月", "五千万美元"). */
                a = j;
                int numeral = 0;
                size_t l;
                while ((l = cjk_numeral_before(sc, a, 1))) {
                    numeral |= cjk_numeral_before(sc, a, 0) != 0;
                    a -= l;
                }
                if (!numeral)
                    continue;
            }
            return fail(sc, GPB_ESYNTAX, a,
                        "cannot read the number in '%s'; write it in "
                        "digits (e.g. '2T tokens', '1个月', '2 weeks', "
                        "'$2M')",
                        quote(sc, a, i + m, 0));
        }
    }
    return GPB_OK;
}

/*
 * A mixture of experts activates part of its parameters per token: active
 * parameters above the total are a slip (the two swapped, or a dense
 * model's size read as the total), refused naming both. Equal is a dense
 * model written as one.
 */
static gpb_status check_active(scan *sc)
{
    const gpb_pitch *p = sc->p;
    if (!(p->active_params > p->params))
        return GPB_OK;
    const fig *fa = NULL, *fp = NULL;
    for (size_t k = 0; k < sc->nf; k++) {
        const fig *f = &sc->f[k];
        if (f->tb <= f->ta)
            continue; /* a repeat, read once */
        if (f->part == GPB_PITCH_ACTIVE && !fa)
            fa = f;
        else if (f->part == GPB_PITCH_PARAMS && !fp)
            fp = f;
    }
    if (!fa || !fp)
        return GPB_OK; /* cannot happen: both were read */
    return fail(sc, GPB_ERANGE, fa->ta,
                "the active parameters, '%s', exceed the total, '%s': a "
                "mixture of experts activates part of its parameters per "
                "token; write the total and the active count, e.g. "
                "'671B params (37B active)'",
                quote(sc, fa->ta, fa->tb, 0), quote(sc, fp->ta, fp->tb, 1));
}

/* ---- the result ---------------------------------------------------------- */

static int cmp_reading(const void *x, const void *y)
{
    const gpb_pitch_reading *a = x, *b = y;
    return (a->column > b->column) - (a->column < b->column);
}

/* The words outside every reading, joined by " · ". */
static void collect_skipped(scan *sc)
{
    unsigned char cover[PITCH_MAX_BYTES + 1];
    memcpy(cover, sc->used, sc->n);
    for (size_t k = 0; k < sc->nf; k++)
        if (sc->f[k].tb > sc->f[k].ta)
            memset(cover + sc->f[k].ta, 1, sc->f[k].tb - sc->f[k].ta);
    char *out = sc->p->skipped;
    size_t cap = sizeof sc->p->skipped, len = 0;
    out[0] = 0;
    size_t i = 0;
    while (i < sc->n) {
        if (cover[i] || sep_at(sc, i) || space_at(sc, i)) {
            size_t l = sep_at(sc, i);
            i = l ? i + l : next_at(sc, i);
            continue;
        }
        size_t a = i;
        while (i < sc->n && !cover[i] && !sep_at(sc, i))
            i = next_at(sc, i);
        size_t b = i;
        trim_span(sc, &a, &b);
        if (b <= a)
            continue;
        const char *dot = len ? " \xc2\xb7 " : "";
        size_t need = strlen(dot) + (b - a);
        if (len + need + 4 >= cap) {
            if (len + 4 < cap)
                memcpy(out + len, "\xe2\x80\xa6", 4); /* … */
            return;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s", dot);
        memcpy(out + len, sc->s + a, b - a);
        len += b - a;
        out[len] = 0;
    }
}

const char *gpb_claim_pitch_part_name(gpb_pitch_part part)
{
    static const char *const names[GPB_PITCH_PART_COUNT] = {
        "parameters", "tokens", "GPUs", "duration", "budget", "price",
        "precision", "MFU", "active"};
    return (unsigned)part < GPB_PITCH_PART_COUNT ? names[part] : "unknown";
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
    for (size_t i = 0; i < len;) {
        /* Valid UTF-8 only: a stray byte would be skipped unseen, with a
           figure after it (review). */
        unsigned char c = (unsigned char)text[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2
                : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4 : 0;
        for (size_t k = 1; n && k < n; k++)
            if (i + k >= len || ((unsigned char)text[i + k] & 0xC0) != 0x80)
                n = 0;
        if (!n)
            return gpb__fail_at(err, GPB_ESYNTAX, "", 1, (int)i + 1, "",
                                "the claim is not valid UTF-8 (byte %zu, "
                                "0x%02x)",
                                i + 1, c);
        i += n;
    }
    scan sc; /* about 5 kB */
    gpb_pitch p;
    memset(&sc, 0, sizeof sc);
    memset(&p, 0, sizeof p);
    p.params = p.tokens = p.gpus = p.hours = p.mfu = p.active_params = NAN;
    p.budget.value = p.price.value = NAN;
    p.budget.kind = p.price.kind = GPB_QTY_COUNT;
    p.budget.currency = p.price.currency = GPB_CURRENCY_NONE;
    p.precision = GPB_PREC_COUNT;
    sc.s = text;
    sc.n = len;
    sc.p = &p;
    sc.err = err;
    gpb_status st;
    if ((st = find_cards(&sc)) || (st = find_moe_names(&sc)) ||
        (st = read_precision(&sc)) ||
        (st = find_figures(&sc)) || (drop_years(&sc), 0) ||
        (st = check_unknown_cards(&sc)) ||
        (st = read_cards(&sc)) || (st = refuse_gpu_time(&sc)) ||
        (st = read_kinds(&sc)) ||
        (st = read_bare(&sc)) || (st = check_words_for_numbers(&sc)))
        return st;
    if ((st = check_active(&sc)))
        return st;
    if (sc.nf == 0 && sc.nc == 0 && p.n_readings == 0) {
        size_t a = 0, b = len;
        trim_span(&sc, &a, &b);
        return fail(&sc, GPB_ESYNTAX, a,
                    "found no figure in '%s'; a pitch gives parameters, "
                    "tokens, GPUs, a duration or a budget, e.g. 'a 70B "
                    "model on 2T tokens on 512 H100s in 30 days for $2M'",
                    quote(&sc, a, b, 0));
    }
    for (size_t k = 0; k < sc.nf; k++) {
        fig *f = &sc.f[k];
        if (f->part < 0 || f->tb <= f->ta ||
            p.n_readings == GPB_PITCH_READINGS_MAX)
            continue;
        gpb_pitch_reading *r = &p.readings[p.n_readings++];
        r->part = (gpb_pitch_part)f->part;
        size_t a = f->ta, b = f->tb;
        trim_span(&sc, &a, &b);
        copy_span(r->text, sizeof r->text, &sc, a, b);
        r->column = column_of(&sc, a);
        r->value = f->q.value;
        gpb__strlcpy(r->how, f->how, sizeof r->how);
    }
    qsort(p.readings, p.n_readings, sizeof p.readings[0], cmp_reading);
    collect_skipped(&sc);
    *out = p;
    return GPB_OK;
}
