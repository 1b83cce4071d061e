/*
 * Formatting quantities back into the shorthand units.c reads: "$4.6M",
 * "¥5,000万", "70B", "3.0 months" (gpubudget/units.h). Like the parser,
 * nothing here depends on the C locale: digits come from "%e" with the
 * locale's decimal point skipped over.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/units.h"
#include "internal.h"

#define HPM GPB_HOURS_PER_MONTH
#define HPY GPB_HOURS_PER_YEAR

/* ------------------------------------------------------------------ */
/* Formatting                                                          */
/* ------------------------------------------------------------------ */

enum { OUT_MAX = 160 };

static int clamp_sig(int sig) { return sig <= 0 ? 3 : sig > 17 ? 17 : sig; }

/*
 * Rounds |x| (finite, non-zero) to sig significant digits: d receives the
 * digits, and the result e is such that |x| ~= d[0].d[1]d[2]... × 10^e.
 * The digits come from "%e", skipping whatever decimal point the locale
 * writes.
 */
static int round_sig(double x, int sig, char *d)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*e", sig - 1, fabs(x));
    const char *s = tmp;
    int k = 0;
    for (; *s && *s != 'e' && *s != 'E'; s++)
        if (*s >= '0' && *s <= '9')
            d[k++] = *s;
    d[k] = '\0';
    return *s ? (int)strtol(s + 1, NULL, 10) : 0;
}

/*
 * Concatenates up to four strings (NULL ends the list early) into o of
 * size n, cutting at n - 1 bytes. Plain copies rather than snprintf, whose
 * "%s%s" the compiler cannot prove fits.
 */
static void join(char *o, size_t n, const char *a, const char *b,
                 const char *c, const char *d)
{
    const char *parts[4] = {a, b, c, d};
    size_t len = 0;
    for (int i = 0; i < 4 && parts[i]; i++) {
        size_t m = strlen(parts[i]);
        if (m > n - 1 - len)
            m = n - 1 - len;
        memcpy(o + len, parts[i], m);
        len += m;
    }
    o[len] = '\0';
}

/*
 * Writes the digits d (value d[0].d[1]... × 10^(e - scale)) in fixed
 * notation: trailing zeros after the point dropped, then at least minfrac
 * decimals if there are any (money: "12.50"), or always at least minfrac
 * when force is set ("3.0 months"); sep adds "," every three integer
 * digits.
 */
static void fixed(char *o, size_t n, const char *d, int e, int scale,
                  int minfrac, int force, int sep)
{
    char ip[64], fp[64];
    int nd = (int)strlen(d), il = e - scale + 1, k = 0;
    if (il <= 0) {
        ip[0] = '0', ip[1] = '\0';
        for (int j = 0; j < -il; j++)
            fp[k++] = '0';
        for (int j = 0; j < nd; j++)
            fp[k++] = d[j];
    } else {
        for (int j = 0; j < il; j++)
            ip[j] = j < nd ? d[j] : '0';
        ip[il] = '\0';
        for (int j = il; j < nd; j++)
            fp[k++] = d[j];
    }
    while (k > 0 && fp[k - 1] == '0')
        k--;
    if ((k > 0 || force) && k < minfrac)
        while (k < minfrac)
            fp[k++] = '0';
    fp[k] = '\0';

    char ig[96];
    int il2 = (int)strlen(ip), g = 0;
    for (int j = 0; j < il2; j++) {
        if (sep && j > 0 && (il2 - j) % 3 == 0)
            ig[g++] = ',';
        ig[g++] = ip[j];
    }
    ig[g] = '\0';
    join(o, n, ig, k ? "." : "", fp, NULL);
}

/* e-notation from rounded digits: "3.15e23", "1e-5". */
static void enote(char *o, size_t n, const char *d, int e)
{
    int k = (int)strlen(d);
    while (k > 1 && d[k - 1] == '0')
        k--;
    snprintf(o, n, "%c%s%.*se%d", d[0], k > 1 ? "." : "", k - 1, d + 1, e);
}

/* Copies the finished text into the caller's buffer, snprintf-style. */
static int emit(char *buf, size_t n, const char *s)
{
    if (!buf)
        n = 0;
    return snprintf(buf, n, "%s", s);
}

static int emit_error(char *buf, size_t n)
{
    if (buf && n)
        buf[0] = '\0';
    return -1;
}

/* Non-finite values: "NaN", "inf", "-inf". Returns 1 if x was one. */
static int nonfinite(char *o, size_t n, double x)
{
    if (isnan(x))
        snprintf(o, n, "NaN");
    else if (isinf(x))
        snprintf(o, n, "%sinf", x < 0 ? "-" : "");
    else
        return 0;
    return 1;
}

/*
 * The scaled body of a number or amount (no sign, no symbol). money adds
 * the cents rule below 1000 (or 1e4 in ZH).
 */
static void body(char *o, size_t n, double x, gpb_format_style style,
                 int sig, int money)
{
    static const char *const en_suffix[] = {"", "k", "M", "B", "T", "P"};
    static const char *const zh_suffix[] = {"", "万", "亿", "万亿"};
    char d[32], num[96];
    if (x == 0) {
        snprintf(o, n, "0");
        return;
    }
    int e = round_sig(x, sig, d);
    if (style == GPB_STYLE_ZH) {
        if (e >= 16 || e < -4) {
            enote(o, n, d, e);
            return;
        }
        int s = e >= 12 ? 3 : e >= 8 ? 2 : e >= 4 ? 1 : 0;
        fixed(num, sizeof num, d, e, 4 * s, money && !s ? 2 : 0, 0, 1);
        join(o, n, num, zh_suffix[s], NULL, NULL);
    } else {
        if (e >= 18 || e < -4) {
            enote(o, n, d, e);
            return;
        }
        int s = e < 0 ? 0 : e / 3;
        fixed(num, sizeof num, d, e, 3 * s, money && !s ? 2 : 0, 0, 0);
        join(o, n, num, en_suffix[s], NULL, NULL);
    }
}

static int money_text(char *o, size_t n, double amount, gpb_currency cur,
                      gpb_format_style style, int sig)
{
    char b[96];
    if ((unsigned)cur >= GPB_CURRENCY_COUNT ||
        (style != GPB_STYLE_EN && style != GPB_STYLE_ZH))
        return -1;
    if (nonfinite(o, n, amount))
        return 0;
    body(b, sizeof b, amount, style, sig, 1);
    join(o, n, amount < 0 ? "-" : "", gpb_currency_symbol(cur), b, NULL);
    return 0;
}

static int number_text(char *o, size_t n, double v, gpb_format_style style,
                       int sig)
{
    char b[96];
    if (style != GPB_STYLE_EN && style != GPB_STYLE_ZH)
        return -1;
    if (nonfinite(o, n, v))
        return 0;
    body(b, sizeof b, v, style, sig, 0);
    join(o, n, v < 0 ? "-" : "", b, NULL, NULL);
    return 0;
}

static int duration_text(char *o, size_t n, double hours,
                         gpb_format_style style, int sig)
{
    static const char *const en[] = {"s",    "min",    "h",   "days",
                                     "months", "years"};
    static const char *const zh[] = {"秒", "分钟", "小时", "天", "个月",
                                     "年"};
    static const double per[] = {1.0 / 3600, 1.0 / 60, 1, 24, HPM, HPY};
    char d[32], num[96];
    if (style != GPB_STYLE_EN && style != GPB_STYLE_ZH)
        return -1;
    if (nonfinite(o, n, hours))
        return 0;
    double h = fabs(hours);
    int u = h == 0 ? 2 : h < 1.0 / 60 ? 0 : h < 1 ? 1 : h < 1000 ? 2
          : h < 3 * HPM ? 3 : h < 24 * HPM ? 4 : 5;
    double v = h / per[u];
    if (v == 0) {
        snprintf(num, sizeof num, "0");
    } else {
        int e = round_sig(v, sig, d);
        if (e >= 6 || e < -4)
            enote(num, sizeof num, d, e);
        else
            fixed(num, sizeof num, d, e, 0,
                  style == GPB_STYLE_EN && u >= 3 && e < 2 ? 1 : 0, 1, 0);
    }
    join(o, n, hours < 0 ? "-" : "", num, style == GPB_STYLE_EN ? " " : "",
         style == GPB_STYLE_EN ? en[u] : zh[u]);
    return 0;
}

static int bytes_text(char *o, size_t n, double v, int sig)
{
    static const char *const suffix[] = {" bytes", " kB", " MB", " GB",
                                         " TB", " PB", " EB"};
    char d[32], num[96];
    if (nonfinite(o, n, v))
        return 0;
    if (v == 0) {
        snprintf(o, n, "0 bytes");
        return 0;
    }
    int e = round_sig(v, sig, d);
    if (e >= 21 || e < -4) {
        enote(num, sizeof num, d, e);
        join(o, n, v < 0 ? "-" : "", num, " bytes", NULL);
        return 0;
    }
    int s = e < 0 ? 0 : e / 3;
    fixed(num, sizeof num, d, e, 3 * s, 0, 0, 0);
    join(o, n, v < 0 ? "-" : "", num, suffix[s], NULL);
    return 0;
}

/* The text of q with sig (1-17) significant digits; 1 for a kind, currency
   or style outside its enum. */
static int quantity_text(char *o, size_t n, const gpb_quantity *q,
                         gpb_format_style style, int sig)
{
    char m[OUT_MAX - 16];
    int zh = style == GPB_STYLE_ZH, bad = 0;
    switch (q->kind) {
    case GPB_QTY_NUMBER:
        bad = number_text(o, n, q->value, style, sig);
        break;
    case GPB_QTY_MONEY:
        bad = money_text(o, n, q->value, q->currency, style, sig);
        break;
    case GPB_QTY_DURATION:
        bad = duration_text(o, n, q->value, style, sig);
        break;
    case GPB_QTY_MONEY_PER_HOUR:
    case GPB_QTY_MONEY_PER_KWH:
    case GPB_QTY_MONEY_PER_MTOKEN: {
        const char *unit =
            q->kind == GPB_QTY_MONEY_PER_HOUR    ? (zh ? "/小时" : "/h")
            : q->kind == GPB_QTY_MONEY_PER_KWH   ? (zh ? "/度" : "/kWh")
                                                 : (zh ? "/百万tokens"
                                                       : "/M tokens");
        bad = money_text(m, sizeof m, q->value, q->currency, style, sig);
        if (!bad)
            join(o, n, m, unit, NULL, NULL);
        break;
    }
    case GPB_QTY_BYTES:
        bad = style != GPB_STYLE_EN && !zh;
        if (!bad)
            bytes_text(o, n, q->value, sig);
        break;
    default:
        bad = 1;
    }
    return bad != 0;
}

/* 1 when the text of |q| with sig digits parses back as q's kind. */
static int reads_back(const gpb_quantity *q, gpb_format_style style,
                      int sig)
{
    char t[OUT_MAX];
    gpb_quantity a = *q, back;
    gpb_error e;
    a.value = fabs(a.value);
    quantity_text(t, sizeof t, &a, style, sig);
    return gpb_units_parse_as(t, q->kind, &back, &e) == GPB_OK;
}

/*
 * The text of q with sig_digits significant digits (clamped as units.h
 * says), or more where those would not read back: rounded to nearest, a
 * value near the largest double can round past it ("2e308" for
 * 1.8e308 at one digit), and a duration shown in years can exceed it once
 * read back as hours, and the parser refuses both as overflows. Adding
 * digits keeps units.h's two promises, that the text parses back and is
 * within 0.5 * 10^(1 - sig_digits) of the value, where rounding toward
 * zero would break the second ("1.7e308" is 5.4% below 1.798e308).
 * Rounding to sig digits raises |x| by at most a factor 4/3 (1.5 to 2 at
 * one digit), so below DBL_MAX / 2 the parser is not consulted.
 */
static int fitted_text(char *o, size_t n, const gpb_quantity *q,
                       gpb_format_style style, int sig_digits)
{
    int sig = clamp_sig(sig_digits);
    if (isfinite(q->value) && fabs(q->value) > DBL_MAX / 2)
        while (sig < 17 && !reads_back(q, style, sig))
            sig++;
    return quantity_text(o, n, q, style, sig);
}

int gpb_units_format_quantity(const gpb_quantity *q, gpb_format_style style,
                              int sig_digits, char *buf, size_t n)
{
    char o[OUT_MAX];
    if (!q || fitted_text(o, sizeof o, q, style, sig_digits))
        return emit_error(buf, n);
    return emit(buf, n, o);
}

int gpb_units_format_money(double amount, gpb_currency cur,
                           gpb_format_style style, int sig_digits, char *buf,
                           size_t n)
{
    gpb_quantity q = {amount, GPB_QTY_MONEY, cur};
    return gpb_units_format_quantity(&q, style, sig_digits, buf, n);
}

int gpb_units_format_number(double value, gpb_format_style style,
                            int sig_digits, char *buf, size_t n)
{
    gpb_quantity q = {value, GPB_QTY_NUMBER, GPB_CURRENCY_NONE};
    return gpb_units_format_quantity(&q, style, sig_digits, buf, n);
}

/* Always EN with 3 digits, so never -1. */
int gpb_units_format_duration_hours(double hours, char *buf, size_t n)
{
    gpb_quantity q = {hours, GPB_QTY_DURATION, GPB_CURRENCY_NONE};
    return gpb_units_format_quantity(&q, GPB_STYLE_EN, 3, buf, n);
}
