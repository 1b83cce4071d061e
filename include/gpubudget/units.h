/*
 * gpubudget/units.h: quantities as people write them in LLM-budget debates,
 * parsed into numbers with a kind and a currency, and numbers formatted back
 * into that shorthand.
 *
 *   "70B" "1.4T" "30%" "3.14e23 FLOP"       numbers
 *   "$4.6M" "¥5万" "5000万元" "50k CNY"       money
 *   "3 months" "30天" "720h"                durations, in hours
 *   "$2.5/GPU-hour" "¥60万/年" "$0.08/kWh"   prices per hour, per kWh,
 *   "$2/M tokens"                           per million tokens
 *   "80GB" "80GiB"                          sizes in bytes
 *
 * docs/units.md lists every accepted form with an example and its value.
 *
 * Conventions:
 * - One month is GPB_HOURS_PER_MONTH = 730.5 h, one year GPB_HOURS_PER_YEAR
 *   = 8766 h (365.25 days), one week 168 h, one day 24 h.
 * - "¥" and "￥" mean Chinese yuan (CNY) in this tool, never Japanese yen:
 *   the articles this tool checks are Chinese. There is no way to write yen.
 * - "B" after a number is a billion (1e9), as in "70B parameters"; a byte
 *   count needs a prefixed unit ("512MB") or the word "bytes".
 * - A lowercase "m" is a million only after money ("$4.6m") or before a count
 *   word ("50m tokens"); elsewhere it is refused as ambiguous (minutes?
 *   months?). "M" is always a million.
 * - Chinese multipliers combine in rising order (千万 = 1e7, 万亿 = 1e12),
 *   never with k/M/B; a leading one stands for one of it: "千卡" is 1000
 *   cards, "百万美元" is $1M.
 * - 元, 美元, 美金, 欧元 and dollar(s) go after the amount ("5000万元",
 *   "2 million dollars"); symbols and codes go before or after ("$5",
 *   "5 USD", "RMB 300万"). A quantity states its currency once: "$5 USD"
 *   and "¥5万元" are refused.
 * - A value is the decimal as written, scaled by its units and rounded
 *   once to the nearest double: "16.1k" is the double nearest 16100, not
 *   16.1 × 1000 rounded twice. Multipliers, percent, byte prefixes and
 *   durations in hours, days, weeks, months and years scale the digits
 *   before that rounding, as do a rate's powers of ten ("/1K tokens"); a
 *   duration in minutes or seconds, and a rate per day, week, month or
 *   year or per a count such as "per 3 hours", divide the rounded value,
 *   one rounding more (docs/units.md, "Exact").
 *
 * Every function here is pure and thread-safe: no global state, no locale
 * dependence (the decimal point is always "."), no allocation.
 */
#ifndef GPUBUDGET_UNITS_H
#define GPUBUDGET_UNITS_H

#include <stddef.h>

#include "gpubudget/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Currencies. NONE means "not stated": the caller applies its default. */
typedef enum gpb_currency {
    GPB_CURRENCY_NONE = 0,
    GPB_CURRENCY_USD,
    GPB_CURRENCY_CNY,
    GPB_CURRENCY_EUR,
    GPB_CURRENCY_COUNT
} gpb_currency;

/* What a parsed quantity measures, and the unit of its value. */
typedef enum gpb_qty_kind {
    GPB_QTY_NUMBER = 0,       /* pure number: counts, fractions ("70B",
                                 "30%" = 0.3, "3.14e23 FLOP") */
    GPB_QTY_MONEY,            /* an amount in .currency ("$4.6M", "¥5万") */
    GPB_QTY_DURATION,         /* a time span, value in hours ("3 months") */
    GPB_QTY_MONEY_PER_HOUR,   /* a price per (GPU-)hour; "/month" and
                                 "/year" rates are converted to per hour
                                 (÷730.5, ÷8766); a wage per hour is this
                                 kind too: gpb_units_parse_as tells them
                                 apart */
    GPB_QTY_MONEY_PER_KWH,    /* an electricity tariff per kWh */
    GPB_QTY_MONEY_PER_MTOKEN, /* a price per million tokens */
    GPB_QTY_BYTES,            /* a size in bytes ("80GB" = 8e10 bytes) */
    GPB_QTY_COUNT
} gpb_qty_kind;

/*
 * A parsed quantity. value is in the unit its kind names (hours for
 * DURATION, currency units per hour for MONEY_PER_HOUR, ...). currency is
 * NONE for kinds that carry none and for money written without one.
 */
typedef struct gpb_quantity {
    double value;
    gpb_qty_kind kind;
    gpb_currency currency;
} gpb_quantity;

/*
 * Parses one quantity written as a person would (see the top of this file
 * and docs/units.md). Leading and trailing white space (including U+3000
 * and U+00A0) is ignored, as are spaces between the number and its units.
 * Unit words are case-insensitive except the multipliers "M" (million), "m"
 * (see above), "G" and "P".
 *
 *   text  NUL-terminated UTF-8, at most 1024 bytes (borrowed)
 *   out   receives the quantity; written only on success
 *   err   may be NULL; on failure receives the status, the 1-based column
 *         (in UTF-8 characters, not bytes) where the problem starts and a
 *         sentence that quotes what was found. line is 1, source "".
 *
 * Returns
 *   GPB_OK
 *   GPB_EINVAL     text or out is NULL (column 0)
 *   GPB_ESYNTAX    empty or blank text, no number where one was expected,
 *                  malformed number or thousands separator, two
 *                  multipliers ("5kk"), a currency given twice ("$$5",
 *                  "$5 USD", "¥5万元"; the message names both and the
 *                  column is the second's) or before the number when it
 *                  goes after ("元5"), text left over, "NaN", bad UTF-8
 *   GPB_ERANGE     the value overflows a double (or underflows to zero),
 *                  "inf"/"infinity" written as a value, a negative amount
 *                  of money, price, duration or size, a zero denominator
 *   GPB_EUNIT      an unknown or misplaced unit, an ambiguous "m"
 *   GPB_ECURRENCY  two different currencies ("$5 CNY")
 *   GPB_ELIMIT     text longer than 1024 bytes or with over 64 tokens
 */
GPB_API gpb_status gpb_units_parse(const char *text, gpb_quantity *out,
                                   gpb_error *err);

/*
 * As gpb_units_parse, and requires the result to be of kind want.
 *
 * Two kinds accept more than their own form:
 * - want == GPB_QTY_MONEY accepts a bare number ("5000", "4.6M", "5万"),
 *   returned as MONEY with currency GPB_CURRENCY_NONE: the caller applies
 *   its default currency. A number with a count word or a percent sign
 *   ("70B params", "30%") is not money.
 * - want == GPB_QTY_NUMBER accepts only numbers (so it is the same as
 *   gpb_units_parse followed by a kind check).
 * One kind accepts less:
 * - want == GPB_QTY_MONEY_PER_HOUR is a GPU's price per GPU-hour (every
 *   price argument in gpubudget): a rate per hour or less that names no
 *   GPU ("$2/h", "$5 hourly": the caller's key names it), or a rate per
 *   GPU over any period ("$2.5/GPU-hour", "¥5万/卡月" = ¥68.45). A rate
 *   per day, week, month or year that names no GPU ("$200k/year",
 *   "$1000/month") reads as a wage or a bill, not a rent, and is refused
 *   with GPB_EUNIT. gpb_units_parse reads all of them as money per hour.
 * A rate written without a currency ("2.5/h") parses as that rate with
 * currency NONE, for the caller to apply its default likewise.
 *
 * Returns what gpb_units_parse returns, GPB_EINVAL for a want outside the
 * enum, and GPB_EUNIT when the text is a different kind (column of the
 * quantity's first character; message "expected an amount of money, found
 * a duration '3 months'") or a rate MONEY_PER_HOUR refuses ("expected a
 * price per GPU-hour, found a rate per year that names no GPU
 * '$200k/year': ...").
 */
GPB_API gpb_status gpb_units_parse_as(const char *text, gpb_qty_kind want,
                                      gpb_quantity *out, gpb_error *err);

/*
 * Parses a number (kind GPB_QTY_NUMBER, e.g. "70B", "1.2亿", "30%") into
 * *out, written only on success. Returns as gpb_units_parse_as with
 * want == GPB_QTY_NUMBER.
 */
GPB_API gpb_status gpb_units_parse_number(const char *text, double *out,
                                          gpb_error *err);

/*
 * Fractions. A fraction is a number in [0, 1]: an MFU, a utilisation, a
 * probability, a discount. People often write one as a percentage without
 * its sign ("--mfu 40"); these two functions refuse that with a hint, and
 * accept "40%" (= 0.4) everywhere a fraction is read: the CLI, the
 * scenario loader and the cells use them, so the rule and its wording
 * live here once.
 *
 * gpb_frac_bounds says which ends of [0, 1] a fraction may take.
 */
typedef enum gpb_frac_bounds {
    GPB_FRAC_CLOSED = 0, /* [0, 1]: a utilisation, a probability */
    GPB_FRAC_OPEN_LO,    /* (0, 1]: an MFU */
    GPB_FRAC_OPEN_HI,    /* [0, 1): a loss short of everything */
    GPB_FRAC_OPEN,       /* (0, 1): a confidence level */
    GPB_FRAC_BOUNDS_COUNT
} gpb_frac_bounds;

/*
 * Parses a fraction: a number ("0.4", ".4") or a percentage ("40%",
 * "40 percent") in [0, 1] with the ends that bounds allows. *out is
 * written only on success.
 *
 * Returns what gpb_units_parse_number returns; GPB_EINVAL for out NULL or
 * bounds outside the enum; GPB_ERANGE for a number outside the range, with
 * the column of its first character and the message
 *     expected a fraction in (0, 1], found '40'; did you mean 40% = 0.40?
 * (the hint of gpb_units_fraction_hint, when it gives one).
 */
GPB_API gpb_status gpb_units_parse_fraction(const char *text,
                                            gpb_frac_bounds bounds,
                                            double *out, gpb_error *err);

/*
 * The hint for a fraction written as a percentage without its sign. When
 * text (borrowed, may be NULL) is a bare number v (no percent sign, unit
 * or currency) with v > 1 and v / 100 a fraction within bounds (that is
 * 1 < v <= 100, or v < 100 when bounds excludes 1), writes
 *     did you mean 40% = 0.40?
 * into buf: v as its shortest decimal, and v / 100 by moving the decimal
 * point, with at least two decimals ("12.5% = 0.125", "100% = 1.00").
 * Otherwise writes "". Returns the hint's length in bytes as snprintf does
 * (0: no hint); buf may be NULL when n is 0. The text is the same in every
 * locale.
 */
GPB_API int gpb_units_fraction_hint(const char *text, gpb_frac_bounds bounds,
                                    char *buf, size_t n);

/*
 * The ISO 4217 code of a currency ("USD", "CNY", "EUR"), static. Returns ""
 * for GPB_CURRENCY_NONE and for values outside the enum; never NULL.
 */
GPB_API const char *gpb_currency_code(gpb_currency cur);

/*
 * The symbol of a currency ("$", "¥", "€"; UTF-8), static. Returns "" for
 * GPB_CURRENCY_NONE and for values outside the enum; never NULL.
 */
GPB_API const char *gpb_currency_symbol(gpb_currency cur);

/*
 * Looks a currency up by any name the parser accepts on its own: a code
 * (case-insensitive "USD", "CNY", "RMB", "EUR"), a symbol ("$", "US$",
 * "¥", "￥", "€") or a Chinese name ("美元", "人民币", "元", "欧元").
 * Surrounding white space is ignored.
 *
 * Returns GPB_OK and sets *out; GPB_EINVAL when code or out is NULL;
 * GPB_ENOTFOUND for anything else (the message names the known codes and,
 * when one is close, suggests it).
 */
GPB_API gpb_status gpb_currency_from_code(const char *code,
                                          gpb_currency *out, gpb_error *err);

/*
 * A short English name of a kind ("number", "money", "duration",
 * "money per hour", "money per kWh", "money per million tokens", "bytes"),
 * static. Returns "unknown" for values outside the enum; never NULL.
 */
GPB_API const char *gpb_qty_kind_name(gpb_qty_kind kind);

/* 1 when quantities of `kind` carry a currency (money, or money per hour,
   per kWh or per million tokens), else 0. */
GPB_API int gpb_qty_kind_is_money(gpb_qty_kind kind);

/*
 * Exchange rates: per_usd[c] is how many units of currency c buy one US
 * dollar (per_usd[GPB_CURRENCY_USD] is 1). per_usd[GPB_CURRENCY_NONE] is
 * unused. A transparent value: copy it, change a rate, pass it around.
 */
typedef struct gpb_fx {
    double per_usd[GPB_CURRENCY_COUNT];
} gpb_fx;

/*
 * The default rates: the ECB euro reference rates of 29 December 2023
 * (1 EUR = 1.1050 USD = 7.8509 CNY), crossed through the euro, which gives
 * 7.1049 CNY and 0.90498 EUR per USD. The articles this tool checks date
 * from 2023; scenarios should state their own rate (or its uncertainty).
 */
GPB_API gpb_fx gpb_units_fx_default(void);

/*
 * Converts amount (in currency from) into currency to:
 * out = amount / per_usd[from] * per_usd[to]. When from == to the amount
 * is returned unchanged (even for NONE). Negative amounts are allowed.
 *
 * Returns GPB_OK; GPB_EINVAL when fx or out is NULL, a currency is outside
 * the enum or amount is not finite; GPB_ECURRENCY when one side is NONE or
 * a rate it needs is not a finite positive number; GPB_ERANGE when the
 * result overflows. *out is written only on success.
 */
GPB_API gpb_status gpb_units_fx_convert(const gpb_fx *fx, double amount,
                                  gpb_currency from, gpb_currency to,
                                  double *out, gpb_error *err);

/* Formatting styles: EN uses k/M/B/T, ZH uses 万/亿/万亿. */
typedef enum gpb_format_style {
    GPB_STYLE_EN = 0,
    GPB_STYLE_ZH
} gpb_format_style;

/*
 * The format functions write NUL-terminated UTF-8 into buf of size n and
 * return the length (in bytes, without the NUL) that the full text has, as
 * snprintf does: the output was cut when the result is >= n. buf may be
 * NULL when n is 0. They return -1 (and write "" when n > 0) for a
 * currency, kind or style outside its enum. sig_digits <= 0 means 3; more
 * than 17 means 17. Values are rounded to sig_digits significant digits and
 * trailing zeros after the decimal point are dropped. NaN formats as "NaN"
 * and infinities as "inf" / "-inf".
 *
 * At the top of the range, where a value rounded to sig_digits would read
 * back past the largest double (about 1.8e308: 1.8e308 rounds to "2e308"
 * at one digit; a duration shown in years, once read back as hours),
 * more digits are shown: the fewest, from sig_digits up, whose text reads
 * back ("1.79769e308" for the largest double at 1 to 6 digits). Rounding
 * toward zero instead would break the precision promised below.
 *
 * Every output of these functions parses back (gpb_units_parse) to the
 * formatted value within the precision of sig_digits (relative error at
 * most 0.5 · 10^(1 - sig_digits)), except that negative money, prices,
 * durations and sizes format ("-$4.6M", a cash deficit) but are refused by
 * the parser. Numbers, money, prices and sizes parse back to exactly the
 * decimal shown, so with sig_digits 17 to the same double. Money with
 * currency NONE formats as a bare number, which
 * gpb_units_parse_as(..., GPB_QTY_MONEY, ...) reads back.
 */

/*
 * An amount of money.
 * EN: "$4.6M", "$950k", "$1.2B", "¥50M", "-$4.6M", e-notation from 1e18
 *     ("$1.5e18"). Below 1000: "$950", and an amount with cents shows at
 *     least two decimals ("$12.50"), more when sig_digits needs them
 *     ("$0.0834").
 * ZH: 万 from 1e4, 亿 from 1e8, 万亿 from 1e12, with thousands separators
 *     in the mantissa: "¥5,000万", "¥1.2亿", "¥3万", "¥1万亿", "$460万";
 *     e-notation from 1e16.
 * cur NONE prints no symbol ("4.6M").
 */
GPB_API int gpb_units_format_money(double amount, gpb_currency cur,
                                   gpb_format_style style, int sig_digits,
                                   char *buf, size_t n);

/*
 * A pure number. EN: "42", "0.3", "950k", "70B", "1.4T", "2P", "3.15e23"
 * (e-notation from 1e18 and below 1e-4). ZH: "5,000", "3万", "700亿",
 * "1万亿", e-notation from 1e16.
 */
GPB_API int gpb_units_format_number(double value, gpb_format_style style,
                                    int sig_digits, char *buf, size_t n);

/*
 * A duration given in hours, in the largest unit that reads well, with 3
 * significant digits and at least one decimal below 100 for days and
 * longer: "36 s" (< 1 min), "45 min" (< 1 h), "720 h" (< 1000 h),
 * "45.0 days" (< 3 months), "3.0 months" (< 24 months), "2.5 years";
 * e-notation from 1e6 of the unit. Returns as the functions above.
 */
GPB_API int gpb_units_format_duration_hours(double hours, char *buf,
                                            size_t n);

/*
 * Any quantity, in its kind's usual form:
 *   NUMBER, MONEY      as the two functions above
 *   DURATION           EN as gpb_units_format_duration_hours (with
 *                      sig_digits); ZH "36秒", "45分钟", "720小时",
 *                      "45天", "3个月", "2.5年"
 *   MONEY_PER_HOUR     "$2.50/h"            ZH "¥10/小时"
 *   MONEY_PER_KWH      "$0.08/kWh"          ZH "¥0.60/度"
 *   MONEY_PER_MTOKEN   "$2/M tokens"        ZH "¥2/百万tokens"
 *   BYTES (decimal)    "80 GB", "1.5 TB", "512 bytes"
 * Returns -1 (and "") for q NULL or a kind outside the enum.
 */
GPB_API int gpb_units_format_quantity(const gpb_quantity *q,
                                      gpb_format_style style, int sig_digits,
                                      char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_UNITS_H */
