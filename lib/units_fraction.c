/*
 * Fractions (gpubudget/units.h): a number in [0, 1], read as a number or a
 * percentage, and the one hint for a fraction written as a percentage
 * without its sign ("--mfu 40": "did you mean 40% = 0.40?"). The CLI, the
 * scenario loader and the cells all read fractions through here, so that
 * the rule and its wording exist once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/units.h"
#include "internal.h"

enum { QUOTE_MAX = 48 };

static int lo_open(gpb_frac_bounds b)
{
    return b == GPB_FRAC_OPEN_LO || b == GPB_FRAC_OPEN;
}

static int hi_open(gpb_frac_bounds b)
{
    return b == GPB_FRAC_OPEN_HI || b == GPB_FRAC_OPEN;
}

/*
 * The shortest decimal digits that read back as v (> 0): d receives them
 * (at most 17, NUL-terminated) and the result is e with v = d[0].d[1]... ×
 * 10^e. Digits come from "%.*e" with whatever decimal point the locale
 * writes skipped over; strtod reads the same text back in the same locale.
 */
static int shortest_digits(double v, char *d)
{
    char tmp[48];
    for (int prec = 0; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    const char *s = tmp;
    int k = 0;
    for (; *s && *s != 'e' && *s != 'E'; s++)
        if (*s >= '0' && *s <= '9')
            d[k++] = *s;
    while (k > 1 && d[k - 1] == '0')
        k--;
    d[k] = '\0';
    return *s ? (int)strtol(s + 1, NULL, 10) : 0;
}

/*
 * Writes the digits d (value d[0].d[1]... × 10^e) in fixed notation, with
 * at least minfrac decimals: the hint's "40" and "0.40" are the same
 * digits with the point moved, so that no division can round them.
 */
static void fixed_digits(const char *d, int e, int minfrac, char *out,
                         size_t n)
{
    char ip[24], fp[48];
    int nd = (int)strlen(d), k = 0;
    if (e < 0) {
        snprintf(ip, sizeof ip, "0");
        for (int j = 0; j < -e - 1; j++)
            fp[k++] = '0';
        for (int j = 0; j < nd; j++)
            fp[k++] = d[j];
    } else {
        for (int j = 0; j <= e; j++)
            ip[j] = j < nd ? d[j] : '0';
        ip[e + 1] = '\0';
        for (int j = e + 1; j < nd; j++)
            fp[k++] = d[j];
    }
    while (k < minfrac)
        fp[k++] = '0';
    fp[k] = '\0';
    snprintf(out, n, "%s%s%s", ip, k ? "." : "", fp);
}

int gpb_units_fraction_hint(const char *text, gpb_frac_bounds bounds,
                            char *buf, size_t n)
{
    char hint[128] = "";
    gpb_quantity q;
    /*
     * A bare number is what gpb_units_parse_as reads as money without a
     * currency: a percentage, a count word, a unit or a currency makes it
     * something else (units.h), and then the writer did not forget a "%".
     * Only 1 < v <= 100 can be a forgotten one: v / 100 is then a fraction
     * above 0.01, so the lower end never matters.
     */
    if (text && (unsigned)bounds < GPB_FRAC_BOUNDS_COUNT &&
        gpb_units_parse_as(text, GPB_QTY_MONEY, &q, NULL) == GPB_OK &&
        q.currency == GPB_CURRENCY_NONE && q.value > 1 &&
        (q.value < 100 || (q.value == 100 && !hi_open(bounds)))) {
        char d[24], pct[48], frac[48];
        int e = shortest_digits(q.value, d);
        fixed_digits(d, e, 0, pct, sizeof pct);
        fixed_digits(d, e - 2, 2, frac, sizeof frac);
        snprintf(hint, sizeof hint, "did you mean %s%% = %s?", pct, frac);
    }
    if (!buf)
        n = 0;
    return snprintf(buf, n, "%s", hint);
}

gpb_status gpb_units_parse_fraction(const char *text, gpb_frac_bounds bounds,
                                    double *out, gpb_error *err)
{
    if (!out)
        return gpb__fail(err, GPB_EINVAL, "output fraction is NULL");
    if ((unsigned)bounds >= GPB_FRAC_BOUNDS_COUNT)
        return gpb__fail(err, GPB_EINVAL, "unknown fraction bounds %d",
                         (int)bounds);
    double v;
    gpb_status st = gpb_units_parse_number(text, &v, err);
    if (st)
        return st;
    if ((lo_open(bounds) ? v > 0 : v >= 0) &&
        (hi_open(bounds) ? v < 1 : v <= 1)) {
        *out = v;
        return GPB_OK;
    }

    /* The text as written, without surrounding blanks, cut at a character
       boundary; its column counts characters, as the parser's do. */
    size_t a = 0, b = strlen(text);
    while (text[a] == ' ' || text[a] == '\t')
        a++;
    while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
        b--;
    size_t cut = b - a;
    if (cut > QUOTE_MAX) {
        cut = QUOTE_MAX;
        while (cut > 0 && ((unsigned char)text[a + cut] & 0xC0) == 0x80)
            cut--;
    }
    char hint[128];
    int has_hint = gpb_units_fraction_hint(text, bounds, hint, sizeof hint);
    return gpb__fail_at(err, GPB_ERANGE, "", 1, (int)a + 1, "",
                        "expected a fraction in %c0, 1%c, found '%.*s%s'%s%s",
                        lo_open(bounds) ? '(' : '[',
                        hi_open(bounds) ? ')' : ']', (int)cut, text + a,
                        cut < b - a ? "..." : "", has_hint ? "; " : "",
                        hint);
}
