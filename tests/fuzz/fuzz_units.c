/*
 * Harness 2: the units parser and the format round trip.
 *
 * Input: a quantity as text (cut at the first NUL byte).
 * Properties:
 *   - gpb_units_parse returns GPB_OK, or a status units.h lists with a
 *     message and a column (0 only for NULL arguments), and leaves *out
 *     untouched on failure;
 *   - a parsed quantity is finite, of a kind and currency inside their
 *     enums; only money kinds carry a currency; only numbers are negative;
 *   - gpb_units_parse_as with the parsed kind gives the same quantity,
 *     except that money per hour wanted is a GPU's price per GPU-hour:
 *     it refuses (GPB_EUNIT) exactly the rates per day or longer that
 *     name no GPU (gpb__rate_is_hourly_price), such as "$200k/year";
 *   - the round trip of units.h and docs/units.md: for both styles and
 *     every sig_digits from 1 to 17, gpb_units_format_quantity writes text
 *     (its length returned, snprintf-style also into a short buffer) that
 *     gpb_units_parse_as(text, kind) reads back to the same kind and
 *     currency, within a relative error of 0.5 * 10^(1 - sig_digits) of
 *     the formatted value. The promise is about decimal digits; on top of
 *     it a few units in the last place are allowed for the unit
 *     conversions (months to hours, per month to per hour) that parsing
 *     and formatting each do in binary, and 8 of the smallest subnormal
 *     for values so small that doubles have fewer digits than asked.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "internal.h"

#define SURFACE "units"

static int is_money_kind(gpb_qty_kind k)
{
    return k == GPB_QTY_MONEY || k == GPB_QTY_MONEY_PER_HOUR ||
           k == GPB_QTY_MONEY_PER_KWH || k == GPB_QTY_MONEY_PER_MTOKEN;
}

static void check_round_trip(const char *text, const gpb_quantity *q,
                             gpb_format_style style, int sig)
{
    char buf[256], small[8];
    int n = gpb_units_format_quantity(q, style, sig, buf, sizeof buf);
    FUZZ_REQUIRE(SURFACE, n >= 0 && (size_t)n < sizeof buf,
                 "'%s': format (style %d, %d digits) returned %d", text,
                 (int)style, sig, n);
    FUZZ_REQUIRE(SURFACE, strlen(buf) == (size_t)n,
                 "'%s': format returned %d for '%s'", text, n, buf);
    /* snprintf-style: the same length into a short buffer, cut there. */
    memset(small, 'x', sizeof small);
    int m = gpb_units_format_quantity(q, style, sig, small, sizeof small);
    FUZZ_REQUIRE(SURFACE,
                 m == n && strlen(small) < sizeof small &&
                     !strncmp(small, buf, strlen(small)),
                 "'%s': format into 8 bytes gave %d '%.8s', full '%s'", text,
                 m, small, buf);

    gpb_quantity back = {-1.0, GPB_QTY_COUNT, GPB_CURRENCY_COUNT};
    gpb_error e;
    memset(&e, 0, sizeof e);
    gpb_status st = gpb_units_parse_as(buf, q->kind, &back, &e);
    FUZZ_REQUIRE(SURFACE, st == GPB_OK,
                 "'%s' (%.17g, %s) formats (style %d, %d digits) as '%s', "
                 "which does not parse back: %s",
                 text, q->value, gpb_qty_kind_name(q->kind), (int)style, sig,
                 buf, e.message);
    FUZZ_REQUIRE(SURFACE,
                 back.kind == q->kind && back.currency == q->currency,
                 "'%s' formats as '%s', which reads back as %s in '%s', "
                 "not %s in '%s'",
                 text, buf, gpb_qty_kind_name(back.kind),
                 gpb_currency_code(back.currency),
                 gpb_qty_kind_name(q->kind), gpb_currency_code(q->currency));
    double rel = 0.5 * pow(10.0, 1 - sig) * (1 + 1e-9) + 8 * DBL_EPSILON;
    double tol = rel * fabs(q->value) + 8 * DBL_TRUE_MIN;
    FUZZ_REQUIRE(SURFACE, fabs(back.value - q->value) <= tol,
                 "'%s' (%.17g) formats (style %d, %d digits) as '%s', "
                 "which reads back as %.17g: off by %.3g relative, "
                 "allowed %.3g",
                 text, q->value, (int)style, sig, buf, back.value,
                 fabs(back.value - q->value) / fabs(q->value), rel);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    gpb_quantity q = {-7.0, GPB_QTY_COUNT, GPB_CURRENCY_COUNT};
    gpb_error e;
    memset(&e, 0, sizeof e);
    gpb_status st = gpb_units_parse(text, &q, &e);
    if (st != GPB_OK) {
        FUZZ_REQUIRE(SURFACE,
                     st == GPB_ESYNTAX || st == GPB_ERANGE ||
                         st == GPB_EUNIT || st == GPB_ECURRENCY ||
                         st == GPB_ELIMIT,
                     "'%s': unexpected status %d (%s)", text, (int)st,
                     gpb_status_str(st));
        FUZZ_REQUIRE(SURFACE, e.status == st && e.message[0] != '\0',
                     "'%s': status %s, error record %d '%s'", text,
                     gpb_status_str(st), (int)e.status, e.message);
        FUZZ_REQUIRE(SURFACE, e.column >= 1,
                     "'%s': error at column %d: %s", text, e.column,
                     e.message);
        FUZZ_REQUIRE(SURFACE,
                     q.value == -7.0 && q.kind == GPB_QTY_COUNT &&
                         q.currency == GPB_CURRENCY_COUNT,
                     "'%s': a failed parse wrote its output", text);
        free(text);
        return 0;
    }
    FUZZ_REQUIRE(SURFACE, isfinite(q.value), "'%s' parses as %g", text,
                 q.value);
    FUZZ_REQUIRE(SURFACE, (unsigned)q.kind < GPB_QTY_COUNT,
                 "'%s' parses as kind %d", text, (int)q.kind);
    FUZZ_REQUIRE(SURFACE, (unsigned)q.currency < GPB_CURRENCY_COUNT,
                 "'%s' parses with currency %d", text, (int)q.currency);
    FUZZ_REQUIRE(SURFACE,
                 is_money_kind(q.kind) || q.currency == GPB_CURRENCY_NONE,
                 "'%s' is %s with currency %s", text,
                 gpb_qty_kind_name(q.kind), gpb_currency_code(q.currency));
    FUZZ_REQUIRE(SURFACE, q.kind == GPB_QTY_NUMBER || !(q.value < 0),
                 "'%s' is a negative %s (%g)", text,
                 gpb_qty_kind_name(q.kind), q.value);

    gpb_quantity again;
    gpb__rate_basis rate;
    FUZZ_REQUIRE(SURFACE,
                 gpb__units_parse_rate(text, &again, &rate, NULL) == GPB_OK,
                 "'%s': gpb__units_parse_rate fails where gpb_units_parse "
                 "does not", text);
    st = gpb_units_parse_as(text, q.kind, &again, &e);
    if (q.kind == GPB_QTY_MONEY_PER_HOUR &&
        !gpb__rate_is_hourly_price(&rate)) {
        FUZZ_REQUIRE(SURFACE,
                     st == GPB_EUNIT && strstr(e.message, "names no GPU"),
                     "'%s': a rate per %s that names no GPU taken as a "
                     "price per GPU-hour (status %s)",
                     text, gpb__rate_period(&rate), gpb_status_str(st));
    } else {
        FUZZ_REQUIRE(SURFACE,
                     st == GPB_OK && again.kind == q.kind &&
                         again.currency == q.currency &&
                         (again.value == q.value ||
                          (isnan(again.value) && isnan(q.value))),
                     "'%s': gpb_units_parse_as(%s) disagrees with "
                     "gpb_units_parse (status %s)",
                     text, gpb_qty_kind_name(q.kind), gpb_status_str(st));
    }

    for (int sig = 1; sig <= 17; sig++) {
        check_round_trip(text, &q, GPB_STYLE_EN, sig);
        check_round_trip(text, &q, GPB_STYLE_ZH, sig);
    }
    free(text);
    return 0;
}
