/*
 * Quantities as people write them: a lexer that turns "¥60万/年" into
 * tokens (number, multipliers, currency, unit words), a parser that checks
 * their order and computes the value, formatters that write values back in
 * the same shorthand, and currency conversion.
 *
 * Nothing here depends on the C locale: numbers are rebuilt as digit
 * strings without a decimal point before strtod ("3.14e23" becomes
 * "314e21"), and formatted digits come from "%e" with whatever decimal
 * point the locale uses skipped over.
 *
 * A value is rounded once: the units' powers of ten (and whole-number
 * sizes such as 24 hours) go into the digit string before strtod, which is
 * correctly rounded, so "16.1k" reads "161e2" (struct scale).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/units.h"
#include "internal.h"

enum { MAX_TEXT = 1024, MAX_TOKENS = 64, QUOTE_MAX = 48 };

/* ------------------------------------------------------------------ */
/* The lexicon                                                         */
/* ------------------------------------------------------------------ */

enum lex_cat {
    L_MULT = 1, /* k, M, B, million, ...: factor */
    L_AMBIG_M,  /* lowercase m: a million only after money or before a
                   count word */
    L_CJKMULT,  /* 十 百 千 万 亿: factor, sub = rank (1, 2, 3) */
    L_CUR,      /* sub = gpb_currency */
    L_COUNT,    /* params, tokens, GPUs, 张: sub = CNT_* */
    L_TIME,     /* factor = hours */
    L_ENERGY,   /* factor = kWh */
    L_POWER,    /* factor = kW */
    L_BYTES,    /* factor = bytes */
    L_PERCENT,
    L_PER,      /* "per", 每 */
    L_RATEWORD, /* hourly, monthly: factor = hours of the period */
    L_NAN,
    L_INF
};

enum { CNT_GENERIC = 0, CNT_GPU, CNT_TOKEN };

enum {
    LF_CASE = 1, /* match the exact case only */
    LF_DENOM = 2, /* a time word only valid after "/" (月 is also March) */
    LF_SUFFIX = 4 /* a currency written only after the amount (5万元) */
};

/*
 * A unit's size is factor (hours, kWh, bytes, a multiplier). A unit whose
 * size is a power of ten or a ratio of whole numbers also gives it
 * exactly, factor = mul · 10^exp10 / div, so that the parser can apply it
 * to the number's decimal digits before the one rounding to a double
 * (struct scale). mul == 0 marks the rest, whose factor is 1 or a power of
 * two (an hour, a kWh, a KiB): multiplying a double by it is exact.
 */
typedef struct lexeme {
    const char *text; /* lowercase unless LF_CASE; UTF-8 */
    unsigned char cat;
    unsigned char flags;
    unsigned char sub;
    double factor;
    signed char exp10;
    unsigned short mul, div;
} lexeme;

#define HPM GPB_HOURS_PER_MONTH
#define HPY GPB_HOURS_PER_YEAR

static const lexeme LEX[] = {
    /* SI-style and word multipliers. */
    {"k", L_MULT, 0, 0, 1e3, 3, 1, 1},
    {"M", L_MULT, LF_CASE, 0, 1e6, 6, 1, 1},
    {"m", L_AMBIG_M, LF_CASE, 0, 1e6, 6, 1, 1},
    {"b", L_MULT, 0, 0, 1e9, 9, 1, 1},
    {"G", L_MULT, LF_CASE, 0, 1e9, 9, 1, 1},
    {"t", L_MULT, 0, 0, 1e12, 12, 1, 1},
    {"P", L_MULT, LF_CASE, 0, 1e15, 15, 1, 1},
    {"hundred", L_MULT, 0, 0, 1e2, 2, 1, 1},
    {"thousand", L_MULT, 0, 0, 1e3, 3, 1, 1},
    {"million", L_MULT, 0, 0, 1e6, 6, 1, 1},
    {"mn", L_MULT, 0, 0, 1e6, 6, 1, 1},
    {"billion", L_MULT, 0, 0, 1e9, 9, 1, 1},
    {"bn", L_MULT, 0, 0, 1e9, 9, 1, 1},
    {"trillion", L_MULT, 0, 0, 1e12, 12, 1, 1},
    /* Chinese multipliers; ranks must rise: 千万 = 1e7, 万亿 = 1e12. */
    {"十", L_CJKMULT, 0, 1, 1e1, 1, 1, 1},
    {"百", L_CJKMULT, 0, 1, 1e2, 2, 1, 1},
    {"千", L_CJKMULT, 0, 1, 1e3, 3, 1, 1},
    {"万", L_CJKMULT, 0, 2, 1e4, 4, 1, 1},
    {"萬", L_CJKMULT, 0, 2, 1e4, 4, 1, 1},
    {"亿", L_CJKMULT, 0, 3, 1e8, 8, 1, 1},
    {"億", L_CJKMULT, 0, 3, 1e8, 8, 1, 1},
    /* Currencies. ¥ is the yuan here (see units.h). */
    {"$", L_CUR, 0, GPB_CURRENCY_USD, 0, 0, 0, 0},
    {"usd", L_CUR, 0, GPB_CURRENCY_USD, 0, 0, 0, 0},
    {"美元", L_CUR, LF_SUFFIX, GPB_CURRENCY_USD, 0, 0, 0, 0},
    {"dollar", L_CUR, LF_SUFFIX, GPB_CURRENCY_USD, 0, 0, 0, 0},
    {"dollars", L_CUR, LF_SUFFIX, GPB_CURRENCY_USD, 0, 0, 0, 0},
    {"美金", L_CUR, LF_SUFFIX, GPB_CURRENCY_USD, 0, 0, 0, 0},
    {"\xc2\xa5", L_CUR, 0, GPB_CURRENCY_CNY, 0, 0, 0, 0},     /* ¥ U+00A5 */
    {"\xef\xbf\xa5", L_CUR, 0, GPB_CURRENCY_CNY, 0, 0, 0, 0}, /* ￥ U+FFE5 */
    {"cny", L_CUR, 0, GPB_CURRENCY_CNY, 0, 0, 0, 0},
    {"rmb", L_CUR, 0, GPB_CURRENCY_CNY, 0, 0, 0, 0},
    {"元", L_CUR, LF_SUFFIX, GPB_CURRENCY_CNY, 0, 0, 0, 0},
    {"人民币", L_CUR, 0, GPB_CURRENCY_CNY, 0, 0, 0, 0},
    {"\xe2\x82\xac", L_CUR, 0, GPB_CURRENCY_EUR, 0, 0, 0, 0}, /* € U+20AC */
    {"eur", L_CUR, 0, GPB_CURRENCY_EUR, 0, 0, 0, 0},
    {"欧元", L_CUR, LF_SUFFIX, GPB_CURRENCY_EUR, 0, 0, 0, 0},
    /* Count words: they make a number, and GPU/token words also serve
       in rates ("/GPU-hour", "/M tokens"). */
    {"param", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"params", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"parameter", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"parameters", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"参数", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"flop", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"flops", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"个", L_COUNT, 0, CNT_GENERIC, 0, 0, 0, 0},
    {"gpu", L_COUNT, 0, CNT_GPU, 0, 0, 0, 0},
    {"gpus", L_COUNT, 0, CNT_GPU, 0, 0, 0, 0},
    {"card", L_COUNT, 0, CNT_GPU, 0, 0, 0, 0},
    {"cards", L_COUNT, 0, CNT_GPU, 0, 0, 0, 0},
    {"张", L_COUNT, 0, CNT_GPU, 0, 0, 0, 0},
    {"卡", L_COUNT, 0, CNT_GPU, 0, 0, 0, 0},
    {"张卡", L_COUNT, 0, CNT_GPU, 0, 0, 0, 0},
    {"token", L_COUNT, 0, CNT_TOKEN, 0, 0, 0, 0},
    {"tokens", L_COUNT, 0, CNT_TOKEN, 0, 0, 0, 0},
    {"tok", L_COUNT, 0, CNT_TOKEN, 0, 0, 0, 0},
    {"toks", L_COUNT, 0, CNT_TOKEN, 0, 0, 0, 0},
    /* Time, in hours (month 730.5 h, year 8766 h: common.h). */
    {"h", L_TIME, 0, 0, 1, 0, 0, 0},
    {"hr", L_TIME, 0, 0, 1, 0, 0, 0},
    {"hrs", L_TIME, 0, 0, 1, 0, 0, 0},
    {"hour", L_TIME, 0, 0, 1, 0, 0, 0},
    {"hours", L_TIME, 0, 0, 1, 0, 0, 0},
    {"min", L_TIME, 0, 0, 1.0 / 60, 0, 1, 60},
    {"mins", L_TIME, 0, 0, 1.0 / 60, 0, 1, 60},
    {"minute", L_TIME, 0, 0, 1.0 / 60, 0, 1, 60},
    {"minutes", L_TIME, 0, 0, 1.0 / 60, 0, 1, 60},
    {"s", L_TIME, 0, 0, 1.0 / 3600, 0, 1, 3600},
    {"sec", L_TIME, 0, 0, 1.0 / 3600, 0, 1, 3600},
    {"secs", L_TIME, 0, 0, 1.0 / 3600, 0, 1, 3600},
    {"second", L_TIME, 0, 0, 1.0 / 3600, 0, 1, 3600},
    {"seconds", L_TIME, 0, 0, 1.0 / 3600, 0, 1, 3600},
    {"d", L_TIME, 0, 0, 24, 0, 24, 1},
    {"day", L_TIME, 0, 0, 24, 0, 24, 1},
    {"days", L_TIME, 0, 0, 24, 0, 24, 1},
    {"w", L_TIME, 0, 0, 168, 0, 168, 1},
    {"wk", L_TIME, 0, 0, 168, 0, 168, 1},
    {"wks", L_TIME, 0, 0, 168, 0, 168, 1},
    {"week", L_TIME, 0, 0, 168, 0, 168, 1},
    {"weeks", L_TIME, 0, 0, 168, 0, 168, 1},
    {"mo", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"mos", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"mon", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"mth", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"mths", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"month", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"months", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"y", L_TIME, 0, 0, HPY, 0, 8766, 1},
    {"yr", L_TIME, 0, 0, HPY, 0, 8766, 1},
    {"yrs", L_TIME, 0, 0, HPY, 0, 8766, 1},
    {"year", L_TIME, 0, 0, HPY, 0, 8766, 1},
    {"years", L_TIME, 0, 0, HPY, 0, 8766, 1},
    {"annum", L_TIME, LF_DENOM, 0, HPY, 0, 8766, 1},
    {"小时", L_TIME, 0, 0, 1, 0, 0, 0},
    {"时", L_TIME, LF_DENOM, 0, 1, 0, 0, 0},
    {"分钟", L_TIME, 0, 0, 1.0 / 60, 0, 1, 60},
    {"秒", L_TIME, 0, 0, 1.0 / 3600, 0, 1, 3600},
    {"天", L_TIME, 0, 0, 24, 0, 24, 1},
    {"日", L_TIME, LF_DENOM, 0, 24, 0, 24, 1},
    {"周", L_TIME, 0, 0, 168, 0, 168, 1},
    {"星期", L_TIME, 0, 0, 168, 0, 168, 1},
    {"个月", L_TIME, 0, 0, HPM, -1, 7305, 1},
    {"月", L_TIME, LF_DENOM, 0, HPM, -1, 7305, 1},
    {"年", L_TIME, 0, 0, HPY, 0, 8766, 1},
    /* Energy (kWh) and power (kW); 度 is the everyday Chinese kWh. */
    {"kwh", L_ENERGY, 0, 0, 1, 0, 0, 0},
    {"mwh", L_ENERGY, 0, 0, 1e3, 3, 1, 1},
    {"度", L_ENERGY, 0, 0, 1, 0, 0, 0},
    {"千瓦时", L_ENERGY, 0, 0, 1, 0, 0, 0},
    {"kw", L_POWER, 0, 0, 1, 0, 0, 0},
    /* Bytes: SI prefixes are powers of 1000, IEC (KiB...) of 1024. */
    {"byte", L_BYTES, 0, 0, 1, 0, 0, 0},
    {"bytes", L_BYTES, 0, 0, 1, 0, 0, 0},
    {"kb", L_BYTES, 0, 0, 1e3, 3, 1, 1},
    {"mb", L_BYTES, 0, 0, 1e6, 6, 1, 1},
    {"gb", L_BYTES, 0, 0, 1e9, 9, 1, 1},
    {"tb", L_BYTES, 0, 0, 1e12, 12, 1, 1},
    {"pb", L_BYTES, 0, 0, 1e15, 15, 1, 1},
    {"eb", L_BYTES, 0, 0, 1e18, 18, 1, 1},
    {"kib", L_BYTES, 0, 0, 1024.0, 0, 0, 0},
    {"mib", L_BYTES, 0, 0, 1048576.0, 0, 0, 0},
    {"gib", L_BYTES, 0, 0, 1073741824.0, 0, 0, 0},
    {"tib", L_BYTES, 0, 0, 1099511627776.0, 0, 0, 0},
    {"pib", L_BYTES, 0, 0, 1125899906842624.0, 0, 0, 0},
    {"eib", L_BYTES, 0, 0, 1152921504606846976.0, 0, 0, 0},
    /* Percent. */
    {"%", L_PERCENT, 0, 0, 0.01, -2, 1, 1},
    {"\xef\xbc\x85", L_PERCENT, 0, 0, 0.01, -2, 1, 1}, /* ％ U+FF05 */
    {"percent", L_PERCENT, 0, 0, 0.01, -2, 1, 1},
    {"pct", L_PERCENT, 0, 0, 0.01, -2, 1, 1},
    /* Rates. */
    {"per", L_PER, 0, 0, 0, 0, 0, 0},
    {"每", L_PER, 0, 0, 0, 0, 0, 0},
    {"hourly", L_RATEWORD, 0, 0, 1, 0, 0, 0},
    {"daily", L_RATEWORD, 0, 0, 24, 0, 24, 1},
    {"weekly", L_RATEWORD, 0, 0, 168, 0, 168, 1},
    {"monthly", L_RATEWORD, 0, 0, HPM, -1, 7305, 1},
    {"yearly", L_RATEWORD, 0, 0, HPY, 0, 8766, 1},
    {"annually", L_RATEWORD, 0, 0, HPY, 0, 8766, 1},
    /* Refused values, named so the message can say why. */
    {"nan", L_NAN, 0, 0, 0, 0, 0, 0},
    {"inf", L_INF, 0, 0, 0, 0, 0, 0},
    {"infinity", L_INF, 0, 0, 0, 0, 0, 0},
};

#define NLEX (sizeof LEX / sizeof LEX[0])

/* Finds an ASCII word of len bytes: exact-case entries, then the rest
   case-insensitively. */
static const lexeme *lex_find_word(const char *w, size_t len)
{
    for (size_t i = 0; i < NLEX; i++)
        if ((LEX[i].flags & LF_CASE) && strlen(LEX[i].text) == len &&
            memcmp(LEX[i].text, w, len) == 0)
            return &LEX[i];
    for (size_t i = 0; i < NLEX; i++) {
        if (LEX[i].flags & LF_CASE || strlen(LEX[i].text) != len)
            continue;
        size_t j = 0;
        while (j < len && tolower((unsigned char)w[j]) == LEX[i].text[j])
            j++;
        if (j == len)
            return &LEX[i];
    }
    return NULL;
}

/* The longest non-ASCII entry that s starts with. */
static const lexeme *lex_find_utf8(const char *s, size_t *len)
{
    const lexeme *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < NLEX; i++) {
        const char *t = LEX[i].text;
        if (!((unsigned char)t[0] & 0x80))
            continue;
        size_t n = strlen(t);
        if (n > best_len && strncmp(s, t, n) == 0) {
            best = &LEX[i];
            best_len = n;
        }
    }
    *len = best_len;
    return best;
}

/* ------------------------------------------------------------------ */
/* The lexer                                                           */
/* ------------------------------------------------------------------ */

enum tok_type {
    T_NUM,     /* a number; value in .num */
    T_LEX,     /* a lexicon entry in .lx */
    T_DASH,    /* "-" or U+2212: a sign, or a joiner ("GPU-hour") */
    T_PLUS,    /* "+" */
    T_SLASH,   /* "/" or U+FF0F */
    T_JOIN,    /* "·" U+00B7 or "・" U+30FB: a joiner ("kW·h") */
    T_UNKNOWN  /* anything else, quoted in the message */
};

typedef struct token {
    enum tok_type type;
    size_t off, len; /* bytes in the text */
    const lexeme *lx;
    double num;         /* T_NUM: the number, rounded to a double */
    const char *digits; /* T_NUM: num = digits × 10^exp10 exactly, the */
    long exp10;         /* digits without leading zeros, in p->pool */
} token;

typedef struct parser {
    const char *text;
    size_t len; /* bytes of text */
    token t[MAX_TOKENS];
    int nt;
    /* The numbers' digits, each NUL-terminated: no more than the text's
       bytes plus one NUL per token. */
    char pool[MAX_TEXT + MAX_TOKENS];
    size_t pool_used;
    gpb_qty_kind want; /* for the wording of some messages, or COUNT */
    gpb_error *err;
} parser;

/* 1-based column of byte offset off: characters, not bytes. */
static int column_of(const char *text, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off && text[i]; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    return col;
}

/* Copies text[off, off+len) into buf for quoting, cut at a character
   boundary after QUOTE_MAX bytes (with "..."), control bytes as '?'. */
static const char *quote(const char *text, size_t off, size_t len,
                         char *buf, size_t n)
{
    size_t cut = len;
    if (cut > QUOTE_MAX) {
        cut = QUOTE_MAX;
        while (cut > 0 && ((unsigned char)text[off + cut] & 0xC0) == 0x80)
            cut--;
    }
    if (cut + 4 > n)
        cut = n > 4 ? n - 4 : 0;
    size_t k = 0;
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)text[off + i];
        buf[k++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    if (cut < len) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

static gpb_status fail_at(parser *p, gpb_status st, size_t off,
                          const char *fmt, ...) GPB__PRINTF(4, 5);

static gpb_status fail_at(parser *p, gpb_status st, size_t off,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gpb__vfail_at(p->err, st, "", 1, column_of(p->text, off), "", fmt, ap);
    va_end(ap);
    return st;
}

/* Decodes one UTF-8 character at s; returns its length (0 if invalid). */
static int utf8_decode(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    int n;
    unsigned c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, c = s[0] & 0x1Fu, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, c = s[0] & 0x0Fu, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, c = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

static int is_space_cp(unsigned cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 ||
           cp == 0x3000 || cp == 0x2009 || cp == 0x202F;
}

static int is_ascii_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static gpb_status push(parser *p, enum tok_type type, size_t off,
                       size_t len, const lexeme *lx)
{
    if (p->nt == MAX_TOKENS)
        return fail_at(p, GPB_ELIMIT, off,
                       "quantity has more than %d parts", MAX_TOKENS);
    token *t = &p->t[p->nt++];
    t->type = type;
    t->off = off;
    t->len = len;
    t->lx = lx;
    t->num = 0;
    t->digits = "0";
    t->exp10 = 0;
    return GPB_OK;
}

/*
 * The double nearest to digits × 10^exp10, rounded once: glibc's strtod
 * is correctly rounded (as C11 F.5 asks of an IEC 60559 implementation),
 * and a text without a decimal point reads the same in every locale.
 */
static double decimal_value(const char *digits, long exp10)
{
    char buf[MAX_TEXT + 64];
    snprintf(buf, sizeof buf, "%se%ld", digits, exp10);
    return strtod(buf, NULL);
}

/*
 * Lexes a number at text[*pos]: digits with optional "," thousands
 * separators (groups of exactly three), an optional fraction and an
 * optional exponent. The token keeps the digits and the exponent, so that
 * the parser can fold the units' powers of ten in before rounding
 * ("16.1k" is 161e2, not 16.1 × 1000), and the number alone rounded once.
 */
static gpb_status lex_number(parser *p, size_t *pos)
{
    const char *s = p->text;
    size_t start = *pos, i = start;
    char digits[MAX_TEXT + 1];
    size_t nd = 0, first_group = 0;
    long exp10 = 0;
    int grouped = 0;

    while (i < p->len) {
        if (is_digit((unsigned char)s[i])) {
            digits[nd++] = s[i++];
            if (!grouped)
                first_group++;
            continue;
        }
        if (s[i] == ',' && nd > 0 && i + 1 < p->len &&
            is_digit((unsigned char)s[i + 1])) {
            size_t g = 0;
            while (i + 1 + g < p->len && is_digit((unsigned char)s[i + 1 + g]))
                g++;
            if (g != 3 || (!grouped && first_group > 3))
                return fail_at(p, GPB_ESYNTAX, i,
                               "misplaced thousands separator in '%.*s': "
                               "groups after ',' have three digits",
                               (int)(i + 1 + g - start), s + start);
            grouped = 1;
            i++;
            continue;
        }
        break;
    }
    if (i < p->len && s[i] == '.' && i + 1 < p->len &&
        is_digit((unsigned char)s[i + 1])) {
        i++;
        while (i < p->len && is_digit((unsigned char)s[i])) {
            digits[nd++] = s[i++];
            exp10--;
        }
    }
    if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        int esign = 1;
        if (j < p->len && (s[j] == '+' || s[j] == '-')) {
            esign = s[j] == '-' ? -1 : 1;
            j++;
        }
        if (j < p->len && is_digit((unsigned char)s[j])) {
            long e = 0;
            while (j < p->len && is_digit((unsigned char)s[j])) {
                if (e < 100000)
                    e = e * 10 + (s[j] - '0');
                j++;
            }
            exp10 += esign * e;
            i = j;
        }
    }
    digits[nd] = '\0';

    size_t lead = 0;
    while (lead + 1 < nd && digits[lead] == '0')
        lead++;
    double v = decimal_value(digits + lead, exp10);
    int nonzero = strspn(digits, "0") != nd;
    if (isinf(v))
        return fail_at(p, GPB_ERANGE, start, "value %.*s overflows",
                       (int)(i - start), s + start);
    if (v == 0 && nonzero)
        return fail_at(p, GPB_ERANGE, start,
                       "value %.*s underflows to zero", (int)(i - start),
                       s + start);
    gpb_status st = push(p, T_NUM, start, i - start, NULL);
    if (st)
        return st;
    token *t = &p->t[p->nt - 1];
    t->num = v;
    t->digits = p->pool + p->pool_used;
    t->exp10 = exp10;
    memcpy(p->pool + p->pool_used, digits + lead, nd - lead + 1);
    p->pool_used += nd - lead + 1;
    *pos = i;
    return GPB_OK;
}

/* A run of ASCII letters: one lexicon word, "US$", a multiplier glued to
   a count word ("Mtok", "Bparams") or to another multiplier ("kk", for a
   clear error), or an unknown word. */
static gpb_status lex_word(parser *p, size_t *pos)
{
    const char *s = p->text;
    size_t start = *pos, i = start;
    while (i < p->len && is_ascii_alpha((unsigned char)s[i]))
        i++;
    size_t len = i - start;
    *pos = i;
    if (len == 2 && i < p->len && s[i] == '$' &&
        tolower((unsigned char)s[start]) == 'u' &&
        tolower((unsigned char)s[start + 1]) == 's') {
        *pos = i + 1;
        return push(p, T_LEX, start, 3, lex_find_word("usd", 3));
    }
    const lexeme *lx = lex_find_word(s + start, len);
    if (lx)
        return push(p, T_LEX, start, len, lx);
    if (len > 1) {
        const lexeme *m = lex_find_word(s + start, 1);
        const lexeme *rest = lex_find_word(s + start + 1, len - 1);
        if (m && (m->cat == L_MULT || m->cat == L_AMBIG_M) && rest &&
            (rest->cat == L_COUNT || rest->cat == L_MULT ||
             rest->cat == L_AMBIG_M)) {
            gpb_status st = push(p, T_LEX, start, 1, m);
            return st ? st : push(p, T_LEX, start + 1, len - 1, rest);
        }
    }
    return push(p, T_UNKNOWN, start, len, NULL);
}

static gpb_status lex(parser *p)
{
    const char *s = p->text;
    size_t i = 0;
    while (i < p->len) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        int n = utf8_decode((const unsigned char *)s + i, &cp);
        gpb_status st = GPB_OK;
        if (n == 0)
            return fail_at(p, GPB_ESYNTAX, i, "invalid UTF-8 byte 0x%02X",
                           c);
        if (is_space_cp(cp)) {
            i += (size_t)n;
        } else if (is_digit(c) ||
                   (c == '.' && i + 1 < p->len &&
                    is_digit((unsigned char)s[i + 1]))) {
            st = lex_number(p, &i);
        } else if (is_ascii_alpha(c)) {
            st = lex_word(p, &i);
        } else if (c == '-' || cp == 0x2212) {
            st = push(p, T_DASH, i, (size_t)n, NULL);
            i += (size_t)n;
        } else if (c == '+') {
            st = push(p, T_PLUS, i, 1, NULL);
            i++;
        } else if (c == '/' || cp == 0xFF0F) {
            st = push(p, T_SLASH, i, (size_t)n, NULL);
            i += (size_t)n;
        } else if (cp == 0xB7 || cp == 0x30FB) {
            st = push(p, T_JOIN, i, (size_t)n, NULL);
            i += (size_t)n;
        } else {
            size_t m = 0;
            const lexeme *lx =
                c == '$' ? lex_find_word("$", 1)
                : c == '%' ? lex_find_word("%", 1)
                : c >= 0x80 ? lex_find_utf8(s + i, &m)
                : NULL;
            if (c == '$' || c == '%')
                m = 1;
            if (lx) {
                st = push(p, T_LEX, i, m, lx);
                i += m;
            } else {
                /* An unknown run of non-ASCII letters is one word. */
                size_t j = i + (size_t)n;
                while (c >= 0x80 && j < p->len) {
                    unsigned cp2;
                    size_t m2;
                    int n2 = utf8_decode((const unsigned char *)s + j, &cp2);
                    if (n2 < 2 || is_space_cp(cp2) || cp2 == 0x2212 ||
                        cp2 == 0xFF0F || cp2 == 0xB7 || cp2 == 0x30FB ||
                        lex_find_utf8(s + j, &m2))
                        break;
                    j += (size_t)n2;
                }
                st = push(p, T_UNKNOWN, i, j - i, NULL);
                i = j;
            }
        }
        if (st)
            return st;
    }
    return GPB_OK;
}

/* ------------------------------------------------------------------ */
/* The parser                                                          */
/* ------------------------------------------------------------------ */

/* What the parser learnt beyond the quantity, for gpb_units_parse_as. */
typedef struct parse_info {
    int bare;        /* a number with no count word, percent or unit */
    size_t sign_off; /* byte offset of a '-' sign, or (size_t)-1 */
    size_t first;    /* byte offset of the first token */
    size_t end;      /* byte offset just past the last token */
    gpb__rate_basis rate; /* what a money-per-hour rate was per */
} parse_info;

/* Byte offset just past the last token: where "end of text" is. */
static size_t end_off(const parser *p)
{
    return p->nt ? p->t[p->nt - 1].off + p->t[p->nt - 1].len : 0;
}

static int is_cat(const parser *p, int i, int cat)
{
    return i < p->nt && p->t[i].type == T_LEX && p->t[i].lx->cat == cat;
}

static const char *tok_quote(const parser *p, int i, char *buf, size_t n)
{
    return quote(p->text, p->t[i].off, p->t[i].len, buf, n);
}

/* Quotes the tokens [a, b] as written. */
static const char *span_quote(const parser *p, int a, int b, char *buf,
                              size_t n)
{
    size_t off = p->t[a].off;
    return quote(p->text, off, p->t[b].off + p->t[b].len - off, buf, n);
}

/* A run of multipliers. One SI/word multiplier, or Chinese ones of rising
   rank (千万 = 1e7, 万亿 = 1e12); never both. Each is a power of ten. */
typedef struct mults {
    long exp10; /* the run multiplies by 10^exp10 */
    int first, last; /* token indices, -1 when none */
    int ambig;       /* token index of a lowercase "m", or -1 */
} mults;

static gpb_status parse_mults(parser *p, int *i, mults *m)
{
    char q1[64], q2[64];
    int rank = 0, si = 0;
    m->exp10 = 0;
    m->first = m->last = m->ambig = -1;
    while (*i < p->nt && p->t[*i].type == T_LEX) {
        const lexeme *lx = p->t[*i].lx;
        if (lx->cat == L_MULT || lx->cat == L_AMBIG_M) {
            if (m->first >= 0)
                return fail_at(p, GPB_ESYNTAX, p->t[*i].off,
                               "duplicate multiplier '%s' after '%s'",
                               tok_quote(p, *i, q1, sizeof q1),
                               tok_quote(p, m->last, q2, sizeof q2));
            si = 1;
            if (lx->cat == L_AMBIG_M)
                m->ambig = *i;
        } else if (lx->cat == L_CJKMULT) {
            if (si || lx->sub <= rank)
                return fail_at(p, GPB_ESYNTAX, p->t[*i].off,
                               "%s multiplier '%s' after '%s'",
                               si || lx->sub < rank ? "misplaced"
                                                    : "duplicate",
                               tok_quote(p, *i, q1, sizeof q1),
                               tok_quote(p, m->last, q2, sizeof q2));
            rank = lx->sub;
        } else {
            break;
        }
        m->exp10 += lx->exp10;
        if (m->first < 0)
            m->first = *i;
        m->last = *i;
        (*i)++;
    }
    return GPB_OK;
}

static gpb_status ambiguous_m(parser *p, int tok, int from, int after_slash)
{
    char q[64];
    if (after_slash)
        return fail_at(p, GPB_EUNIT, p->t[tok].off,
                       "ambiguous unit 'm' after '/': write 'min', "
                       "'month' or 'M tokens'");
    span_quote(p, from, tok, q, sizeof q);
    if (p->want == GPB_QTY_DURATION)
        return fail_at(p, GPB_EUNIT, p->t[tok].off,
                       "ambiguous unit 'm' in '%s': write 'min' for "
                       "minutes or 'months'",
                       q);
    return fail_at(p, GPB_EUNIT, p->t[tok].off,
                   "ambiguous unit 'm' in '%s': write 'M' for million, "
                   "'min' for minutes or 'months'",
                   q);
}

/*
 * Sets the currency from token i. A quantity states its currency once, by
 * a symbol, a code or a word: a second one is an error, ECURRENCY when it
 * names another currency ("$5 CNY") and ESYNTAX when it repeats the first
 * ("$5 USD", "¥5万元"), so that no redundant form is half accepted.
 */
static gpb_status take_currency(parser *p, int i, gpb_currency *cur,
                                int *cur_tok)
{
    char q1[64], q2[64];
    gpb_currency c = (gpb_currency)p->t[i].lx->sub;
    if (*cur_tok >= 0)
        return fail_at(p, c != *cur ? GPB_ECURRENCY : GPB_ESYNTAX,
                       p->t[i].off, "%s: '%s' and '%s'",
                       c != *cur ? "two currencies" : "currency given twice",
                       tok_quote(p, *cur_tok, q1, sizeof q1),
                       tok_quote(p, i, q2, sizeof q2));
    *cur = c;
    *cur_tok = i;
    return GPB_OK;
}

/*
 * What a quantity's units do to its number, kept so that the value is
 * rounded once wherever the units allow:
 *     value = round(digits · mul · 10^exp10) · bin / div
 * exp10 and mul gather the sizes that are powers of ten or whole numbers
 * (k, 万, %, GB, days, months; "/1K tokens"), bin powers of two (KiB),
 * which multiply exactly, and div the rest (minutes in a duration; a
 * rate's days, months or count), each one more rounding. So numbers,
 * money, sizes and durations in hours, days, weeks, months or years come
 * out correctly rounded. mul stays below 2^32 (at most two units, each
 * under 10^4), which digits_mul needs.
 */
typedef struct scale {
    long exp10;
    uint64_t mul;
    double bin, div;
} scale;

/* Multiplies sc by the size of unit lx, or divides it (per = 1: the unit
   is in a rate's denominator). */
static void scale_by(scale *sc, const lexeme *lx, int per)
{
    if (!lx->mul) {
        if (per)
            sc->div *= lx->factor;
        else
            sc->bin *= lx->factor;
    } else if (per) {
        sc->exp10 -= lx->exp10;
        sc->mul *= lx->div;
        sc->div *= lx->mul;
    } else {
        sc->exp10 += lx->exp10;
        sc->mul *= lx->mul;
        sc->div *= lx->div;
    }
}

/* Divides sc by the count t of a rate's denominator: "/1,000 tokens"
   (a power of ten) exactly, "per 3 hours" after rounding. */
static void scale_per_count(scale *sc, const token *t)
{
    const char *d = t->digits;
    size_t nd = strlen(d);
    if (d[0] == '1' && strspn(d + 1, "0") == nd - 1)
        sc->exp10 -= t->exp10 + (long)(nd - 1);
    else
        sc->div *= t->num;
}

/* out = the decimal digits of digits × m (m < 2^32), NUL-terminated; out
   has room for strlen(digits) + 11 bytes. Every step's value,
   digit · m + carry, stays below 10 · 2^32. */
static void digits_mul(const char *digits, uint64_t m, char *out)
{
    size_t nd = strlen(digits), k = 0;
    uint64_t carry = 0;
    for (size_t i = nd; i-- > 0;) {
        uint64_t x = (uint64_t)(digits[i] - '0') * m + carry;
        out[k++] = (char)('0' + x % 10);
        carry = x / 10;
    }
    while (carry) {
        out[k++] = (char)('0' + carry % 10);
        carry /= 10;
    }
    while (k > 1 && out[k - 1] == '0')
        k--;
    for (size_t i = 0; i < k / 2; i++) {
        char c = out[i];
        out[i] = out[k - 1 - i];
        out[k - 1 - i] = c;
    }
    out[k] = '\0';
}

/* The value of number token t (NULL: an implied one, as in 千卡) under
   sc. */
static double scaled_value(const token *t, const scale *sc)
{
    char buf[MAX_TEXT + 16];
    const char *d = t ? t->digits : "1";
    if (sc->mul != 1) {
        digits_mul(d, sc->mul, buf);
        d = buf;
    }
    double v = decimal_value(d, (t ? t->exp10 : 0) + sc->exp10);
    return v * sc->bin / sc->div;
}

/*
 * Parses what follows "/", "per" or 每: an optional count ("1M", "1,000",
 * 百万) and factors joined by "-", "·", "/", "per" or spaces: at most one
 * GPU word, and one time, energy (or power × time) or token word. Sets
 * *kind to the rate's kind and divides sc by the denominator.
 */
static gpb_status parse_denominator(parser *p, int *ip, gpb_qty_kind *kind,
                                    scale *sc, gpb__rate_basis *rate)
{
    char q1[64], q2[64];
    int i = *ip, per_tok = i;
    int num_tok = -1, gpu = -1, time = -1, energy = -1, power = -1;
    int tokw = -1, last = per_tok, need_unit = 1;
    mults m = {0, -1, -1, -1};
    i++;
    while (i < p->nt) {
        token *t = &p->t[i];
        int *slot = NULL;
        if (t->type == T_NUM) {
            if (num_tok >= 0 || m.first >= 0 || !need_unit || last != per_tok)
                break;
            if (t->num == 0)
                return fail_at(p, GPB_ERANGE, t->off,
                               "the denominator cannot be zero");
            num_tok = last = i++;
            continue;
        }
        if (t->type == T_DASH || t->type == T_JOIN || t->type == T_SLASH ||
            is_cat(p, i, L_PER)) {
            if (need_unit)
                break;
            need_unit = 1;
            last = i++;
            continue;
        }
        if (t->type != T_LEX)
            break;
        switch (t->lx->cat) {
        case L_MULT:
        case L_AMBIG_M:
        case L_CJKMULT: {
            if (m.first >= 0 || gpu >= 0 || time >= 0 || energy >= 0 ||
                power >= 0 || tokw >= 0)
                return fail_at(p, GPB_ESYNTAX, t->off,
                               "unexpected multiplier '%s' in a rate",
                               tok_quote(p, i, q1, sizeof q1));
            gpb_status st = parse_mults(p, &i, &m);
            if (st)
                return st;
            last = i - 1;
            continue;
        }
        case L_COUNT:
            if (t->lx->sub == CNT_GPU)
                slot = &gpu;
            else if (t->lx->sub == CNT_TOKEN)
                slot = &tokw;
            else
                return fail_at(p, GPB_EUNIT, t->off,
                               "a price cannot be per '%s': use a time "
                               "('/h'), energy ('/kWh') or tokens "
                               "('/M tokens')",
                               tok_quote(p, i, q1, sizeof q1));
            break;
        case L_TIME:
            slot = &time;
            break;
        case L_ENERGY:
            slot = &energy;
            break;
        case L_POWER:
            slot = &power;
            break;
        default:
            break;
        }
        if (!slot)
            break;
        if (*slot >= 0)
            return fail_at(p, GPB_EUNIT, t->off,
                           "two units of the same kind in a rate: '%s' "
                           "and '%s'",
                           tok_quote(p, *slot, q1, sizeof q1),
                           tok_quote(p, i, q2, sizeof q2));
        *slot = i;
        need_unit = 0;
        last = i++;
    }

    if (need_unit) {
        if (m.ambig >= 0 && last == m.last)
            return ambiguous_m(p, m.ambig, per_tok, 1);
        if (m.first >= 0 && last == m.last)
            return fail_at(p, GPB_EUNIT, p->t[m.first].off,
                           "'%s' needs what it counts, e.g. "
                           "'/M tokens'",
                           span_quote(p, per_tok, last, q1, sizeof q1));
        if (i < p->nt)
            return fail_at(p, GPB_EUNIT, p->t[i].off,
                           "expected a unit after '%s', found '%s'",
                           tok_quote(p, last, q1, sizeof q1),
                           tok_quote(p, i, q2, sizeof q2));
        return fail_at(p, GPB_EUNIT, end_off(p),
                       "expected a unit after '%s', found end of text",
                       tok_quote(p, last, q1, sizeof q1));
    }
    if (m.ambig >= 0 && tokw < 0)
        return ambiguous_m(p, m.ambig, per_tok, 1);

    if (tokw >= 0) {
        int other = time >= 0 ? time : energy >= 0 ? energy
                  : power >= 0 ? power : gpu;
        if (other >= 0)
            return fail_at(p, GPB_EUNIT, p->t[other].off,
                           "a price per token cannot also be per '%s'",
                           tok_quote(p, other, q1, sizeof q1));
        /* A price per token is 10^6 times the price per million. */
        *kind = GPB_QTY_MONEY_PER_MTOKEN;
        sc->exp10 += 6;
    } else if (energy >= 0 || power >= 0) {
        if (gpu >= 0)
            return fail_at(p, GPB_EUNIT, p->t[gpu].off,
                           "an electricity price cannot be per '%s'",
                           tok_quote(p, gpu, q1, sizeof q1));
        if (energy >= 0 && (power >= 0 || time >= 0)) {
            int o = power >= 0 ? power : time;
            return fail_at(p, GPB_EUNIT, p->t[o].off,
                           "'%s' cannot follow '%s' in a rate",
                           tok_quote(p, o, q1, sizeof q1),
                           tok_quote(p, energy, q2, sizeof q2));
        }
        if (energy >= 0) {
            scale_by(sc, p->t[energy].lx, 1);
        } else if (time >= 0) {
            scale_by(sc, p->t[power].lx, 1);
            scale_by(sc, p->t[time].lx, 1);
        } else {
            return fail_at(p, GPB_EUNIT, p->t[power].off,
                           "'%s' is power, not energy: write '/kWh'",
                           tok_quote(p, power, q1, sizeof q1));
        }
        *kind = GPB_QTY_MONEY_PER_KWH;
    } else if (time >= 0) {
        *kind = GPB_QTY_MONEY_PER_HOUR;
        scale_by(sc, p->t[time].lx, 1);
        rate->per_gpu = gpu >= 0;
        rate->unit_hours = p->t[time].lx->factor;
    } else {
        return fail_at(p, GPB_EUNIT, p->t[gpu].off,
                       "a price per '%s' needs a time, e.g. '/GPU-hour'",
                       tok_quote(p, gpu, q1, sizeof q1));
    }
    /* "/1M tokens", "/1,000 tokens": the count's multipliers too. */
    sc->exp10 -= m.exp10;
    if (num_tok >= 0)
        scale_per_count(sc, &p->t[num_tok]);
    *ip = last + 1;
    return GPB_OK;
}

static const char *kind_phrase(gpb_qty_kind k)
{
    switch (k) {
    case GPB_QTY_NUMBER: return "a number";
    case GPB_QTY_MONEY: return "an amount of money";
    case GPB_QTY_DURATION: return "a duration";
    case GPB_QTY_MONEY_PER_HOUR: return "a price per hour";
    case GPB_QTY_MONEY_PER_KWH: return "a price per kWh";
    case GPB_QTY_MONEY_PER_MTOKEN: return "a price per million tokens";
    case GPB_QTY_BYTES: return "a size in bytes";
    default: return "a quantity";
    }
}

static gpb_status negative_error(parser *p, gpb_qty_kind k, size_t off)
{
    switch (k) {
    case GPB_QTY_MONEY:
        return fail_at(p, GPB_ERANGE, off,
                       "an amount of money cannot be negative");
    case GPB_QTY_DURATION:
        return fail_at(p, GPB_ERANGE, off, "a duration cannot be negative");
    case GPB_QTY_BYTES:
        return fail_at(p, GPB_ERANGE, off, "a size cannot be negative");
    default:
        return fail_at(p, GPB_ERANGE, off, "a price cannot be negative");
    }
}

/* Reports what is left after a complete quantity (tokens [a, i) used). */
static gpb_status trailing(parser *p, int a, int i)
{
    char q1[64], q2[64];
    token *t = &p->t[i];
    if (t->type == T_UNKNOWN && is_ascii_alpha((unsigned char)
                                               p->text[t->off]))
        return fail_at(p, GPB_EUNIT, t->off, "unknown unit '%s'",
                       tok_quote(p, i, q1, sizeof q1));
    if (t->type == T_UNKNOWN && (unsigned char)p->text[t->off] >= 0x80)
        return fail_at(p, GPB_EUNIT, t->off, "unknown unit '%s'",
                       tok_quote(p, i, q1, sizeof q1));
    if (t->type == T_SLASH || (t->type == T_LEX && t->lx->cat == L_PER))
        return fail_at(p, GPB_EUNIT, t->off,
                       "only money can be a rate: found '%s' after '%s'",
                       tok_quote(p, i, q1, sizeof q1),
                       span_quote(p, a, i - 1, q2, sizeof q2));
    if (t->type == T_LEX && t->lx->cat == L_TIME &&
        (t->lx->flags & LF_DENOM))
        return fail_at(p, GPB_EUNIT, t->off,
                       "'%s' is only a unit after '/' (as in '/%s'); for "
                       "a duration write 个月, 小时 or 天",
                       tok_quote(p, i, q1, sizeof q1),
                       tok_quote(p, i, q2, sizeof q2));
    return fail_at(p, GPB_ESYNTAX, t->off, "unexpected '%s' after '%s'",
                   tok_quote(p, i, q1, sizeof q1),
                   span_quote(p, a, i - 1, q2, sizeof q2));
}

/*
 * quantity := (sign | currency)* number multipliers [currency]
 *             [percent | count | time | bytes | rateword | per denominator]
 * with the number possibly implied by a leading Chinese multiplier (千卡).
 */
static gpb_status parse_tokens(parser *p, gpb_quantity *out,
                               parse_info *info)
{
    char q1[64], q2[64];
    int i = 0, sign_tok = -1, cur_tok = -1;
    gpb_currency cur = GPB_CURRENCY_NONE;
    gpb_status st;

    info->bare = 1;
    info->sign_off = (size_t)-1;
    info->rate = (gpb__rate_basis){0, 0};
    if (p->nt == 0)
        return fail_at(p, GPB_ESYNTAX, 0, "empty quantity");
    info->first = p->t[0].off;
    info->end = end_off(p);

    for (; i < p->nt; i++) {
        token *t = &p->t[i];
        if ((t->type == T_DASH || t->type == T_PLUS) && sign_tok < 0) {
            sign_tok = i;
        } else if (is_cat(p, i, L_CUR)) {
            if (t->lx->flags & LF_SUFFIX)
                return fail_at(p, GPB_ESYNTAX, t->off,
                               "'%s' goes after the amount, as in '5万%s'",
                               tok_quote(p, i, q1, sizeof q1),
                               tok_quote(p, i, q2, sizeof q2));
            if ((st = take_currency(p, i, &cur, &cur_tok)))
                return st;
        } else {
            break;
        }
    }

    double num = 1;
    const token *num_t = NULL; /* NULL: implied by 千卡 */
    int num_tok = i;
    if (i == p->nt)
        return fail_at(p, GPB_ESYNTAX, end_off(p),
                       "expected a number after '%s', found end of text",
                       tok_quote(p, i - 1, q1, sizeof q1));
    if (is_cat(p, i, L_NAN))
        return fail_at(p, GPB_ESYNTAX, p->t[i].off,
                       "NaN is not a quantity");
    if (is_cat(p, i, L_INF))
        return fail_at(p, GPB_ERANGE, p->t[i].off,
                       "infinity is not a quantity");
    if (p->t[i].type == T_NUM) {
        num_t = &p->t[i];
        num = num_t->num;
        i++;
    } else if (!is_cat(p, i, L_CJKMULT)) {
        return fail_at(p, GPB_ESYNTAX, p->t[i].off,
                       "expected a number, found '%s'",
                       tok_quote(p, i, q1, sizeof q1));
    }

    mults m;
    if ((st = parse_mults(p, &i, &m)))
        return st;
    if (is_cat(p, i, L_CUR)) {
        if ((st = take_currency(p, i, &cur, &cur_tok)))
            return st;
        i++;
    }

    gpb_qty_kind kind = cur ? GPB_QTY_MONEY : GPB_QTY_NUMBER;
    scale sc = {m.exp10, 1, 1, 1};
    int counted = 0;
    if (i < p->nt) {
        token *t = &p->t[i];
        int cat = t->type == T_LEX ? t->lx->cat : 0;
        int is_rate = t->type == T_SLASH || cat == L_PER;
        int is_unit = cat == L_PERCENT || cat == L_COUNT ||
                      (cat == L_TIME && !(t->lx->flags & LF_DENOM)) ||
                      cat == L_BYTES || cat == L_ENERGY || cat == L_POWER;
        if (is_unit && cur)
            return fail_at(p, GPB_EUNIT, t->off,
                           "'%s' cannot follow an amount of money%s",
                           tok_quote(p, i, q1, sizeof q1),
                           cat == L_TIME ? "; write a rate as '$1000/month'"
                                         : "");
        if (cat == L_PERCENT) {
            if (m.first >= 0)
                return fail_at(p, GPB_ESYNTAX, p->t[m.first].off,
                               "a percentage cannot have a multiplier "
                               "('%s')",
                               tok_quote(p, m.first, q1, sizeof q1));
            scale_by(&sc, t->lx, 0);
            info->bare = 0;
            i++;
        } else if (cat == L_COUNT) {
            counted = 1;
            info->bare = 0;
            i++;
        } else if (cat == L_TIME && !(t->lx->flags & LF_DENOM)) {
            kind = GPB_QTY_DURATION;
            scale_by(&sc, t->lx, 0);
            i++;
        } else if (cat == L_BYTES) {
            kind = GPB_QTY_BYTES;
            scale_by(&sc, t->lx, 0);
            i++;
        } else if (cat == L_ENERGY || cat == L_POWER) {
            return fail_at(p, GPB_EUNIT, t->off,
                           "'%s' is only a unit in a tariff, as in "
                           "'$0.08/kWh'",
                           tok_quote(p, i, q1, sizeof q1));
        } else if (cat == L_RATEWORD) {
            kind = GPB_QTY_MONEY_PER_HOUR;
            scale_by(&sc, t->lx, 1);
            info->rate.unit_hours = t->lx->factor;
            i++;
        } else if (is_rate) {
            if ((st = parse_denominator(p, &i, &kind, &sc, &info->rate)))
                return st;
        }
    }

    if (m.ambig >= 0 && !cur && !counted)
        return ambiguous_m(p, m.ambig, num_tok < p->nt ? num_tok : 0, 0);
    if (cur_tok >= 0 && is_cat(p, i, L_CUR)) /* "$5 $", "$2.5/h USD" */
        return take_currency(p, i, &cur, &cur_tok);
    if (i < p->nt)
        return trailing(p, 0, i);

    int neg = sign_tok >= 0 && p->t[sign_tok].type == T_DASH;
    if (neg && kind != GPB_QTY_NUMBER)
        return negative_error(p, kind, p->t[sign_tok].off);
    if (neg)
        info->sign_off = p->t[sign_tok].off;

    double v = scaled_value(num_t, &sc);
    if (!isfinite(v))
        return fail_at(p, GPB_ERANGE, p->t[num_tok].off,
                       "value %s overflows",
                       span_quote(p, num_tok, p->nt - 1, q2, sizeof q2));
    if (v == 0 && num != 0)
        return fail_at(p, GPB_ERANGE, p->t[num_tok].off,
                       "value %s underflows to zero",
                       span_quote(p, num_tok, p->nt - 1, q2, sizeof q2));
    out->value = neg ? -v : v;
    out->kind = kind;
    out->currency = cur;
    return GPB_OK;
}

static gpb_status parse_impl(const char *text, gpb_qty_kind want,
                             gpb_quantity *out, parse_info *info,
                             gpb_error *err)
{
    if (!text)
        return gpb__fail(err, GPB_EINVAL, "quantity text is NULL");
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "output quantity is NULL");
    size_t len = strnlen(text, MAX_TEXT + 1);
    parser *p = &(parser){.text = text, .len = len, .want = want,
                          .err = err};
    if (len > MAX_TEXT)
        return fail_at(p, GPB_ELIMIT, MAX_TEXT,
                       "quantity is longer than %d bytes", MAX_TEXT);
    gpb_status st = lex(p);
    if (st)
        return st;
    return parse_tokens(p, out, info);
}

gpb_status gpb_units_parse(const char *text, gpb_quantity *out,
                           gpb_error *err)
{
    parse_info info;
    return parse_impl(text, GPB_QTY_COUNT, out, &info, err);
}

gpb_status gpb__units_parse_rate(const char *text, gpb_quantity *out,
                                 gpb__rate_basis *rate, gpb_error *err)
{
    parse_info info;
    gpb_status st = parse_impl(text, GPB_QTY_COUNT, out, &info, err);
    if (!st && rate)
        *rate = info.rate;
    return st;
}

int gpb__rate_is_hourly_price(const gpb__rate_basis *rate)
{
    return rate->per_gpu || rate->unit_hours <= 1;
}

const char *gpb__rate_period(const gpb__rate_basis *rate)
{
    double h = rate->unit_hours;
    return h == 1.0 / 3600            ? "second"
           : h == 1.0 / 60            ? "minute"
           : h == 1                   ? "hour"
           : h == 24                  ? "day"
           : h == 168                 ? "week"
           : h == GPB_HOURS_PER_MONTH ? "month"
           : h == GPB_HOURS_PER_YEAR  ? "year"
                                      : "period";
}

gpb_status gpb_units_parse_as(const char *text, gpb_qty_kind want,
                              gpb_quantity *out, gpb_error *err)
{
    if ((unsigned)want >= GPB_QTY_COUNT)
        return gpb__fail(err, GPB_EINVAL, "unknown quantity kind %d",
                         (int)want);
    parse_info info;
    gpb_quantity q;
    gpb_status st = parse_impl(text, want, out ? &q : NULL, &info, err);
    if (st)
        return st;
    if (q.kind != want) {
        parser p = {.text = text, .err = err};
        char qt[64];
        if (want == GPB_QTY_MONEY && q.kind == GPB_QTY_NUMBER && info.bare) {
            if (q.value < 0)
                return negative_error(&p, GPB_QTY_MONEY, info.sign_off);
            q.kind = GPB_QTY_MONEY;
        } else {
            return fail_at(&p, GPB_EUNIT, info.first,
                           "expected %s, found %s '%s'", kind_phrase(want),
                           kind_phrase(q.kind),
                           quote(text, info.first, info.end - info.first,
                                 qt, sizeof qt));
        }
    } else if (want == GPB_QTY_MONEY_PER_HOUR &&
               !gpb__rate_is_hourly_price(&info.rate)) {
        /* Wanted, money per hour is a GPU's price per hour; "$200k/year"
           is a wage, which read as $22.82 an hour. */
        parser p = {.text = text, .err = err};
        char qt[64];
        return fail_at(&p, GPB_EUNIT, info.first,
                       "expected a price per GPU-hour, found a rate per %s "
                       "that names no GPU '%s': " GPB__GPU_RATE_HINT,
                       gpb__rate_period(&info.rate),
                       quote(text, info.first, info.end - info.first, qt,
                             sizeof qt));
    }
    *out = q;
    return GPB_OK;
}

gpb_status gpb_units_parse_number(const char *text, double *out,
                                  gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "output number is NULL");
    gpb_quantity q;
    gpb_status st = gpb_units_parse_as(text, GPB_QTY_NUMBER, &q, err);
    if (!st)
        *out = q.value;
    return st;
}

/* ------------------------------------------------------------------ */
/* Currencies and exchange rates                                       */
/* ------------------------------------------------------------------ */

static const char *const CODES[GPB_CURRENCY_COUNT] = {"", "USD", "CNY",
                                                      "EUR"};
static const char *const SYMBOLS[GPB_CURRENCY_COUNT] = {
    "", "$", "\xc2\xa5", "\xe2\x82\xac"};

const char *gpb_currency_code(gpb_currency cur)
{
    return (unsigned)cur < GPB_CURRENCY_COUNT ? CODES[cur] : "";
}

const char *gpb_currency_symbol(gpb_currency cur)
{
    return (unsigned)cur < GPB_CURRENCY_COUNT ? SYMBOLS[cur] : "";
}

gpb_status gpb_currency_from_code(const char *code, gpb_currency *out,
                                  gpb_error *err)
{
    if (!code)
        return gpb__fail(err, GPB_EINVAL, "currency code is NULL");
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "output currency is NULL");
    size_t len = strnlen(code, MAX_TEXT + 1);
    parser *p = &(parser){.text = code, .len = len, .err = NULL};
    if (len <= MAX_TEXT && lex(p) == GPB_OK && p->nt == 1 &&
        is_cat(p, 0, L_CUR)) {
        *out = (gpb_currency)p->t[0].lx->sub;
        return GPB_OK;
    }
    char q[64], hint[64] = "";
    size_t a = 0, b = len > MAX_TEXT ? MAX_TEXT : len;
    while (a < b && isspace((unsigned char)code[a]))
        a++;
    while (b > a && isspace((unsigned char)code[b - 1]))
        b--;
    quote(code, a, b - a, q, sizeof q);
    for (int c = 1; c < GPB_CURRENCY_COUNT; c++)
        if (gpb__edit_distance(q, CODES[c]) == 1)
            snprintf(hint, sizeof hint, "; did you mean '%s'?", CODES[c]);
    return gpb__fail(err, GPB_ENOTFOUND,
                     "unknown currency '%s' (known: USD, CNY, EUR)%s", q,
                     hint);
}

int gpb_qty_kind_is_money(gpb_qty_kind kind)
{
    return kind == GPB_QTY_MONEY || kind == GPB_QTY_MONEY_PER_HOUR ||
           kind == GPB_QTY_MONEY_PER_KWH || kind == GPB_QTY_MONEY_PER_MTOKEN;
}

const char *gpb_qty_kind_name(gpb_qty_kind kind)
{
    switch (kind) {
    case GPB_QTY_NUMBER: return "number";
    case GPB_QTY_MONEY: return "money";
    case GPB_QTY_DURATION: return "duration";
    case GPB_QTY_MONEY_PER_HOUR: return "money per hour";
    case GPB_QTY_MONEY_PER_KWH: return "money per kWh";
    case GPB_QTY_MONEY_PER_MTOKEN: return "money per million tokens";
    case GPB_QTY_BYTES: return "bytes";
    default: return "unknown";
    }
}

gpb_fx gpb_units_fx_default(void)
{
    /*
     * ECB euro foreign exchange reference rates, 29 December 2023 (the
     * last fixing of 2023): 1 EUR = 1.1050 USD and 1 EUR = 7.8509 CNY.
     * Crossed through the euro: 7.8509 / 1.1050 = 7.1049 CNY per USD and
     * 1 / 1.1050 = 0.90498 EUR per USD.
     */
    static const double usd_per_eur = 1.1050; /* ECB, 2023-12-29 */
    static const double cny_per_eur = 7.8509; /* ECB, 2023-12-29 */
    gpb_fx fx = {{0}};
    fx.per_usd[GPB_CURRENCY_USD] = 1.0;
    fx.per_usd[GPB_CURRENCY_CNY] = cny_per_eur / usd_per_eur;
    fx.per_usd[GPB_CURRENCY_EUR] = 1.0 / usd_per_eur;
    return fx;
}

gpb_status gpb_units_fx_convert(const gpb_fx *fx, double amount,
                                gpb_currency from, gpb_currency to,
                                double *out, gpb_error *err)
{
    if (!fx || !out)
        return gpb__fail(err, GPB_EINVAL, "%s is NULL",
                         fx ? "output amount" : "exchange-rate table");
    if ((unsigned)from >= GPB_CURRENCY_COUNT ||
        (unsigned)to >= GPB_CURRENCY_COUNT)
        return gpb__fail(err, GPB_EINVAL, "unknown currency %d",
                         (unsigned)from >= GPB_CURRENCY_COUNT ? (int)from
                                                              : (int)to);
    if (!isfinite(amount))
        return gpb__fail(err, GPB_EINVAL, "amount to convert is not finite");
    if (from == to) {
        *out = amount;
        return GPB_OK;
    }
    if (from == GPB_CURRENCY_NONE || to == GPB_CURRENCY_NONE)
        return gpb__fail(err, GPB_ECURRENCY,
                         "cannot convert between an amount with no "
                         "currency and %s",
                         CODES[from ? from : to]);
    for (int k = 0; k < 2; k++) {
        gpb_currency c = k ? to : from;
        double r = fx->per_usd[c];
        if (!(r > 0) || !isfinite(r))
            return gpb__fail(err, GPB_ECURRENCY,
                             "no exchange rate for %s (per_usd is %g)",
                             CODES[c], r);
    }
    double v = amount / fx->per_usd[from] * fx->per_usd[to];
    if (!isfinite(v))
        return gpb__fail(err, GPB_ERANGE,
                         "converting %g %s to %s overflows", amount,
                         CODES[from], CODES[to]);
    *out = v;
    return GPB_OK;
}
