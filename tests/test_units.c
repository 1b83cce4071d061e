/*
 * Tests of the units layer: parsing every accepted form, the errors
 * (status, column and message), parse_as, currencies and exchange rates,
 * formatting, and format → parse round trips.
 *
 * Expected values are worked by hand from the definitions in units.h
 * (month 730.5 h, year 8766 h, GiB 2^30) and checked to a relative
 * tolerance of 1e-12: each is a decimal literal times at most two factors,
 * so the only error is a few roundings of a double (about 1e-16 each).
 */
#include <check.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/units.h"

#define REL_TOL 1e-12

static int close_rel(double got, double want, double tol)
{
    if (want == 0)
        return fabs(got) <= tol;
    return fabs(got - want) <= tol * fabs(want);
}

/* The same double, bit for bit (so 0.0 and -0.0 differ). */
static int bits_eq(double a, double b) { return !memcmp(&a, &b, sizeof a); }

/* ------------------------------------------------------------------ */
/* Accepted forms                                                      */
/* ------------------------------------------------------------------ */

typedef struct ok_case {
    const char *text;
    double value;
    gpb_qty_kind kind;
    gpb_currency cur;
} ok_case;

#define N GPB_QTY_NUMBER
#define MON GPB_QTY_MONEY
#define DUR GPB_QTY_DURATION
#define PH GPB_QTY_MONEY_PER_HOUR
#define PK GPB_QTY_MONEY_PER_KWH
#define PT GPB_QTY_MONEY_PER_MTOKEN
#define BY GPB_QTY_BYTES
#define NO GPB_CURRENCY_NONE
#define USD GPB_CURRENCY_USD
#define CNY GPB_CURRENCY_CNY
#define EUR GPB_CURRENCY_EUR

static const ok_case NUMBER_CASES[] = {
    {"42", 42, N, NO},
    {"-0.02", -0.02, N, NO},
    {"3.14e23", 3.14e23, N, NO},
    {"1e9", 1e9, N, NO},
    {"30%", 0.3, N, NO},
    {"12.5 %", 0.125, N, NO},
    {"70B", 70e9, N, NO},
    {"70b", 70e9, N, NO},
    {"1.4T", 1.4e12, N, NO},
    {"10k", 1e4, N, NO},
    {"10K", 1e4, N, NO},
    {"5M", 5e6, N, NO},
    {"3G", 3e9, N, NO},
    {"1.5P", 1.5e15, N, NO},
    {"5 thousand", 5e3, N, NO},
    {"2 million", 2e6, N, NO},
    {"2mn", 2e6, N, NO},
    {"1.5 billion", 1.5e9, N, NO},
    {"5bn", 5e9, N, NO},
    {"1 trillion", 1e12, N, NO},
    {"1,000", 1000, N, NO},
    {"1,234,567.5", 1234567.5, N, NO},
    {"  +7  ", 7, N, NO},
    {"\xe2\x88\x92" "5", -5, N, NO}, /* U+2212 minus sign */
    {".5", 0.5, N, NO},
    {"70B params", 70e9, N, NO},
    {"70B parameters", 70e9, N, NO},
    {"2T tokens", 2e12, N, NO},
    {"50m tokens", 50e6, N, NO},
    {"2Mtok", 2e6, N, NO},
    {"3.14e23 FLOP", 3.14e23, N, NO},
    {"3.14e23 FLOPs", 3.14e23, N, NO},
    {"1000 GPUs", 1000, N, NO},
    {"8 cards", 8, N, NO},
    {"1000张", 1000, N, NO},
    {"8卡", 8, N, NO},
    {"10个", 10, N, NO},
    {"1000张卡", 1000, N, NO},
    {"700亿参数", 7e10, N, NO},
    {"5万", 5e4, N, NO},
    {"1.2亿", 1.2e8, N, NO},
    {"3千", 3e3, N, NO},
    {"2百万", 2e6, N, NO},
    {"1千万", 1e7, N, NO},
    {"1万亿", 1e12, N, NO},
    {"1.2万亿", 1.2e12, N, NO},
    {"1千亿", 1e11, N, NO},
    {"千卡", 1e3, N, NO},
    {"\xe3\x80\x80" "5万\xe3\x80\x80", 5e4, N, NO}, /* U+3000 spaces */
};

static const ok_case MONEY_CASES[] = {
    {"$4.6M", 4.6e6, MON, USD},
    {"$4.6m", 4.6e6, MON, USD},
    {"US$10k", 1e4, MON, USD},
    {"$ 5", 5, MON, USD},
    {"5$", 5, MON, USD},
    {"5 USD", 5, MON, USD},
    {"¥5万", 5e4, MON, CNY},
    {"￥5万", 5e4, MON, CNY},
    {"5000万元", 5e7, MON, CNY},
    {"¥5,000万", 5e7, MON, CNY},
    {"300万美元", 3e6, MON, USD},
    {"2亿美元", 2e8, MON, USD},
    {"10万美金", 1e5, MON, USD},
    {"百万美元", 1e6, MON, USD},
    /* "dollars" after the amount, as a pitch writes it. */
    {"2 million dollars", 2e6, MON, USD},
    {"1 dollar", 1, MON, USD},
    {"50k CNY", 5e4, MON, CNY},
    {"RMB 300万", 3e6, MON, CNY},
    {"CNY 1.2亿", 1.2e8, MON, CNY},
    {"人民币300万", 3e6, MON, CNY},
    {"300万人民币", 3e6, MON, CNY},
    {"€5M", 5e6, MON, EUR},
    {"EUR 5M", 5e6, MON, EUR},
    {"5 €", 5, MON, EUR},
    {"100万欧元", 1e6, MON, EUR},
    {"$1,000", 1000, MON, USD},
    {"$2.5 billion", 2.5e9, MON, USD},
};

static const ok_case RATE_CASES[] = {
    {"$2.5/h", 2.5, PH, USD},
    {"$2.5/hr", 2.5, PH, USD},
    {"$2.5 per hour", 2.5, PH, USD},
    {"$2.5/GPU-hour", 2.5, PH, USD},
    {"$2.5/GPU-h", 2.5, PH, USD},
    {"$2.5/gpu/hour", 2.5, PH, USD},
    {"$2 per GPU per hour", 2, PH, USD},
    {"$2.5/hour/GPU", 2.5, PH, USD},
    {"¥10/卡时", 10, PH, CNY},
    {"¥10/卡·时", 10, PH, CNY},
    {"¥10/GPU-hour", 10, PH, CNY},
    {"10元每小时", 10, PH, CNY},
    {"$5 hourly", 5, PH, USD},
    {"2.5/h", 2.5, PH, NO},
    /* 1000 / 730.5 */
    {"$1000/month", 1000 / 730.5, PH, USD},
    {"$1,000/mo", 1000 / 730.5, PH, USD},
    {"$3000 monthly", 3000 / 730.5, PH, USD},
    /* 600000 / 8766 and 150000 / 8766 */
    {"¥60万/年", 6e5 / 8766, PH, CNY},
    {"$150k/year", 1.5e5 / 8766, PH, USD},
    {"$100 per annum", 100 / 8766.0, PH, USD},
    {"$24/day", 1, PH, USD},
    {"$1/min", 60, PH, USD},
    {"$0.08/kWh", 0.08, PK, USD},
    {"$0.1/kW·h", 0.1, PK, USD},
    {"$80/MWh", 0.08, PK, USD},
    {"¥0.6/度", 0.6, PK, CNY},
    {"$2/M tokens", 2, PT, USD},
    {"$2/1M tokens", 2, PT, USD},
    {"$2/Mtok", 2, PT, USD},
    {"$0.5 per million tokens", 0.5, PT, USD},
    {"$0.002/1K tokens", 2, PT, USD},
    {"$5/1,000 tokens", 5000, PT, USD},
    {"¥2/百万tokens", 2, PT, CNY},
};

static const ok_case DURATION_CASES[] = {
    {"720h", 720, DUR, NO},
    {"720 hours", 720, DUR, NO},
    {"5 hrs", 5, DUR, NO},
    {"30 days", 720, DUR, NO},
    {"30d", 720, DUR, NO},
    {"3 months", 3 * 730.5, DUR, NO},
    {"3 mo", 3 * 730.5, DUR, NO},
    {"2 weeks", 336, DUR, NO},
    {"1.5 years", 1.5 * 8766, DUR, NO},
    {"1 yr", 8766, DUR, NO},
    {"90 min", 1.5, DUR, NO},
    {"30 minutes", 0.5, DUR, NO},
    {"36 s", 0.01, DUR, NO},
    {"3个月", 3 * 730.5, DUR, NO},
    {"30天", 720, DUR, NO},
    {"2年", 2 * 8766, DUR, NO},
    {"5小时", 5, DUR, NO},
    {"2周", 336, DUR, NO},
    {"90分钟", 1.5, DUR, NO},
};

static const ok_case BYTES_CASES[] = {
    {"80GB", 80e9, BY, NO},
    {"80 GB", 80e9, BY, NO},
    {"80gb", 80e9, BY, NO},
    {"80GiB", 80.0 * 1073741824.0, BY, NO},
    {"1.5TB", 1.5e12, BY, NO},
    {"512MB", 512e6, BY, NO},
    {"512 bytes", 512, BY, NO},
    {"16 KiB", 16384, BY, NO},
};

static void check_ok(const ok_case *c)
{
    gpb_quantity q = {-1, GPB_QTY_COUNT, GPB_CURRENCY_COUNT};
    gpb_error err;
    gpb_error_clear(&err);
    gpb_status st = gpb_units_parse(c->text, &q, &err);
    ck_assert_msg(st == GPB_OK, "'%s': status %d, %s", c->text, st,
                  err.message);
    ck_assert_msg(close_rel(q.value, c->value, REL_TOL),
                  "'%s': value %.17g, want %.17g", c->text, q.value,
                  c->value);
    ck_assert_msg(q.kind == c->kind, "'%s': kind %s, want %s", c->text,
                  gpb_qty_kind_name(q.kind), gpb_qty_kind_name(c->kind));
    ck_assert_msg(q.currency == c->cur, "'%s': currency '%s', want '%s'",
                  c->text, gpb_currency_code(q.currency),
                  gpb_currency_code(c->cur));
}

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

START_TEST(test_numbers) { check_ok(&NUMBER_CASES[_i]); }
END_TEST

START_TEST(test_money) { check_ok(&MONEY_CASES[_i]); }
END_TEST

START_TEST(test_rates) { check_ok(&RATE_CASES[_i]); }
END_TEST

START_TEST(test_durations) { check_ok(&DURATION_CASES[_i]); }
END_TEST

START_TEST(test_bytes) { check_ok(&BYTES_CASES[_i]); }
END_TEST

/* 1e-320 is subnormal: kept, not refused as an underflow. */
START_TEST(test_subnormal_kept)
{
    gpb_quantity q;
    ck_assert_int_eq(gpb_units_parse("1e-320", &q, NULL), GPB_OK);
    ck_assert(q.value > 0 && q.value < 1e-319);
}
END_TEST

/* A 1000-digit number is read exactly as strtod would read it. */
START_TEST(test_long_number)
{
    char text[1001];
    memset(text, '1', 1000);
    text[1000] = '\0';
    gpb_quantity q;
    ck_assert_int_eq(gpb_units_parse(text, &q, NULL), GPB_ERANGE);
    memset(text, '0', 1000);
    text[998] = '4';
    text[999] = '2';
    ck_assert_int_eq(gpb_units_parse(text, &q, NULL), GPB_OK);
    ck_assert(q.value == 42);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Malformed input: status, 1-based character column, message          */
/* ------------------------------------------------------------------ */

typedef struct bad_case {
    const char *text;
    gpb_status status;
    int column;
    const char *message; /* a substring of err.message */
} bad_case;

static const bad_case BAD_CASES[] = {
    {"", GPB_ESYNTAX, 1, "empty quantity"},
    {"   ", GPB_ESYNTAX, 1, "empty quantity"},
    {"abc", GPB_ESYNTAX, 1, "expected a number, found 'abc'"},
    {"5 parsecs", GPB_EUNIT, 3, "unknown unit 'parsecs'"},
    {"5 apples 6", GPB_EUNIT, 3, "unknown unit 'apples'"},
    {"5个苹果", GPB_EUNIT, 3, "unknown unit '苹果'"},
    {"1e400", GPB_ERANGE, 1, "value 1e400 overflows"},
    {"1e308k", GPB_ERANGE, 1, "value 1e308k overflows"},
    {"1e-400", GPB_ERANGE, 1, "value 1e-400 underflows to zero"},
    {"NaN", GPB_ESYNTAX, 1, "NaN is not a quantity"},
    {"nan", GPB_ESYNTAX, 1, "NaN is not a quantity"},
    {"inf", GPB_ERANGE, 1, "infinity is not a quantity"},
    {"-Infinity", GPB_ERANGE, 2, "infinity is not a quantity"},
    {"-$5", GPB_ERANGE, 1, "an amount of money cannot be negative"},
    {"$-5M", GPB_ERANGE, 2, "an amount of money cannot be negative"},
    {"-$2.5/h", GPB_ERANGE, 1, "a price cannot be negative"},
    {"-3 months", GPB_ERANGE, 1, "a duration cannot be negative"},
    {"-5 GB", GPB_ERANGE, 1, "a size cannot be negative"},
    {"5kk", GPB_ESYNTAX, 3, "duplicate multiplier 'k' after 'k'"},
    {"5 million k", GPB_ESYNTAX, 11, "duplicate multiplier 'k'"},
    {"¥5万万", GPB_ESYNTAX, 4, "duplicate multiplier '万' after '万'"},
    {"人民币5kk", GPB_ESYNTAX, 6, "duplicate multiplier"},
    {"5亿万", GPB_ESYNTAX, 3, "misplaced multiplier '万' after '亿'"},
    {"5k万", GPB_ESYNTAX, 3, "misplaced multiplier '万' after 'k'"},
    {"$5 CNY", GPB_ECURRENCY, 4, "two currencies: '$' and 'CNY'"},
    {"¥5万美元", GPB_ECURRENCY, 4, "two currencies: '¥' and '美元'"},
    /* A currency is stated once, by a symbol, a code or a word. */
    {"$$5", GPB_ESYNTAX, 2, "currency given twice: '$' and '$'"},
    {"$5 $", GPB_ESYNTAX, 4, "currency given twice: '$' and '$'"},
    {"USD 5 USD", GPB_ESYNTAX, 7, "currency given twice: 'USD' and 'USD'"},
    {"$5 USD", GPB_ESYNTAX, 4, "currency given twice: '$' and 'USD'"},
    {"$ 5 usd", GPB_ESYNTAX, 5, "currency given twice: '$' and 'usd'"},
    {"$2M dollars", GPB_ESYNTAX, 5, "currency given twice: '$' and 'dollars'"},
    {"¥5 CNY", GPB_ESYNTAX, 4, "currency given twice: '¥' and 'CNY'"},
    {"RMB ¥5", GPB_ESYNTAX, 5, "currency given twice: 'RMB' and '¥'"},
    {"¥5000万元", GPB_ESYNTAX, 7, "currency given twice: '¥' and '元'"},
    {"人民币300万元", GPB_ESYNTAX, 8,
     "currency given twice: '人民币' and '元'"},
    {"€5 欧元", GPB_ESYNTAX, 4, "currency given twice: '€' and '欧元'"},
    {"5 $ $", GPB_ESYNTAX, 5, "currency given twice: '$' and '$'"},
    {"$2.5/h USD", GPB_ESYNTAX, 8, "currency given twice: '$' and 'USD'"},
    {"$2.5/h CNY", GPB_ECURRENCY, 8, "two currencies: '$' and 'CNY'"},
    {"元5", GPB_ESYNTAX, 1, "'元' goes after the amount"},
    {"30m", GPB_EUNIT, 3, "ambiguous unit 'm' in '30m'"},
    {"$2/m", GPB_EUNIT, 4, "ambiguous unit 'm' after '/'"},
    {"5 5", GPB_ESYNTAX, 3, "unexpected '5' after '5'"},
    {"$5 6", GPB_ESYNTAX, 4, "unexpected '6' after '$5'"},
    {"3 months $", GPB_ESYNTAX, 10, "unexpected '$' after '3 months'"},
    {"12,34", GPB_ESYNTAX, 3, "misplaced thousands separator in '12,34'"},
    {"1234,567", GPB_ESYNTAX, 5, "misplaced thousands separator"},
    {"5.", GPB_ESYNTAX, 2, "unexpected '.' after '5'"},
    {"$", GPB_ESYNTAX, 2, "expected a number after '$', found end of text"},
    {"-", GPB_ESYNTAX, 2, "expected a number after '-', found end of text"},
    {"--5", GPB_ESYNTAX, 2, "expected a number, found '-'"},
    {"5k%", GPB_ESYNTAX, 2, "a percentage cannot have a multiplier ('k')"},
    {"$5%", GPB_EUNIT, 3, "'%' cannot follow an amount of money"},
    {"$5 GB", GPB_EUNIT, 4, "'GB' cannot follow an amount of money"},
    {"$3 months", GPB_EUNIT, 4, "write a rate as '$1000/month'"},
    {"5 kWh", GPB_EUNIT, 3, "only a unit in a tariff"},
    {"$2/GPU", GPB_EUNIT, 4, "a price per 'GPU' needs a time"},
    {"$2/M", GPB_EUNIT, 4, "'/M' needs what it counts"},
    {"$2/", GPB_EUNIT, 4, "expected a unit after '/', found end of text"},
    {"$5//h", GPB_EUNIT, 4, "expected a unit after '/', found '/'"},
    {"$2/h/month", GPB_EUNIT, 6, "two units of the same kind in a rate"},
    {"$2/kW", GPB_EUNIT, 4, "'kW' is power, not energy"},
    {"$2/params", GPB_EUNIT, 4, "a price cannot be per 'params'"},
    {"$2/M tokens/h", GPB_EUNIT, 13, "a price per token cannot also be"},
    {"$5/0h", GPB_ERANGE, 4, "the denominator cannot be zero"},
    {"5 GPUs/h", GPB_EUNIT, 7, "only money can be a rate"},
    {"3月", GPB_EUNIT, 2, "'月' is only a unit after '/'"},
    {"\xff" "5", GPB_ESYNTAX, 1, "invalid UTF-8 byte 0xFF"},
    {"5\xe4\xb8", GPB_ESYNTAX, 2, "invalid UTF-8 byte 0xE4"},
    {"5ms", GPB_EUNIT, 2, "unknown unit 'ms'"},
    {"2p", GPB_EUNIT, 2, "unknown unit 'p'"},
};

START_TEST(test_malformed)
{
    const bad_case *c = &BAD_CASES[_i];
    gpb_quantity q = {12345, GPB_QTY_BYTES, GPB_CURRENCY_EUR};
    gpb_error err;
    gpb_error_clear(&err);
    gpb_status st = gpb_units_parse(c->text, &q, &err);
    ck_assert_msg(st == c->status, "'%s': status %d (%s), want %d",
                  c->text, st, err.message, c->status);
    ck_assert_int_eq(err.status, c->status);
    ck_assert_msg(err.column == c->column, "'%s': column %d, want %d (%s)",
                  c->text, err.column, c->column, err.message);
    ck_assert_msg(strstr(err.message, c->message) != NULL,
                  "'%s': message '%s' lacks '%s'", c->text, err.message,
                  c->message);
    /* Never a silent zero: the output is untouched on failure. */
    ck_assert(q.value == 12345 && q.kind == GPB_QTY_BYTES &&
              q.currency == GPB_CURRENCY_EUR);
}
END_TEST

START_TEST(test_null_and_limits)
{
    gpb_quantity q;
    gpb_error err;
    double v;
    ck_assert_int_eq(gpb_units_parse(NULL, &q, &err), GPB_EINVAL);
    ck_assert_int_eq(err.column, 0);
    ck_assert_ptr_nonnull(strstr(err.message, "NULL"));
    ck_assert_int_eq(gpb_units_parse("5", NULL, &err), GPB_EINVAL);
    ck_assert_int_eq(gpb_units_parse_as(NULL, GPB_QTY_MONEY, &q, &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_parse_as("5", GPB_QTY_MONEY, NULL, &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_parse_number("5", NULL, &err), GPB_EINVAL);
    ck_assert_int_eq(gpb_units_parse_number(NULL, &v, &err), GPB_EINVAL);
    /* A NULL error record is allowed. */
    ck_assert_int_eq(gpb_units_parse("abc", &q, NULL), GPB_ESYNTAX);

    char big[2048];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(gpb_units_parse(big, &q, &err), GPB_ELIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "longer than 1024 bytes"));

    /* 65 tokens: "1 1 1 ... 1". */
    char many[200];
    size_t k = 0;
    for (int i = 0; i < 65; i++) {
        many[k++] = '1';
        many[k++] = ' ';
    }
    many[k] = '\0';
    ck_assert_int_eq(gpb_units_parse(many, &q, &err), GPB_ELIMIT);
    ck_assert_int_eq(err.column, 129);
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_as and parse_number                                            */
/* ------------------------------------------------------------------ */

START_TEST(test_parse_as_accepts)
{
    gpb_quantity q;
    gpb_error err;
    ck_assert_int_eq(gpb_units_parse_as("5000", GPB_QTY_MONEY, &q, &err),
                     GPB_OK);
    ck_assert(q.kind == GPB_QTY_MONEY && q.currency == GPB_CURRENCY_NONE);
    ck_assert(q.value == 5000);
    ck_assert_int_eq(gpb_units_parse_as("4.6M", GPB_QTY_MONEY, &q, &err),
                     GPB_OK);
    ck_assert(q.value == 4.6e6 && q.currency == GPB_CURRENCY_NONE);
    ck_assert_int_eq(gpb_units_parse_as("5万", GPB_QTY_MONEY, &q, &err),
                     GPB_OK);
    ck_assert(q.value == 5e4);
    ck_assert_int_eq(gpb_units_parse_as("$4.6M", GPB_QTY_MONEY, &q, &err),
                     GPB_OK);
    ck_assert(q.currency == GPB_CURRENCY_USD);
    ck_assert_int_eq(
        gpb_units_parse_as("3 months", GPB_QTY_DURATION, &q, &err), GPB_OK);
    ck_assert(close_rel(q.value, 2191.5, REL_TOL));
    ck_assert_int_eq(gpb_units_parse_as("-0.5", GPB_QTY_NUMBER, &q, &err),
                     GPB_OK);
    ck_assert(q.value == -0.5);

    /* A price per GPU-hour: per hour (the caller's key names the GPU),
       per minute, or per a GPU over any period; values by hand, the
       month 730.5 h: ¥5万/730.5 = ¥68.446269678 and $1500/730.5 =
       $2.0533880903 a GPU-hour. */
    static const struct {
        const char *text;
        double value;
    } per_gpu_hour[] = {{"$2/h", 2},
                        {"$2.5/GPU-hour", 2.5},
                        {"¥8/卡时", 8},
                        {"$5 hourly", 5},
                        {"$1/min", 60},
                        {"$10 per 2 hours", 5},
                        {"¥5万/卡月", 68.446269678302533},
                        {"$1500/GPU-month", 2.0533880903490758},
                        {"$15k per GPU per year", 1.7111567419575633}};
    for (size_t i = 0; i < sizeof per_gpu_hour / sizeof per_gpu_hour[0];
         i++) {
        ck_assert_msg(gpb_units_parse_as(per_gpu_hour[i].text,
                                         GPB_QTY_MONEY_PER_HOUR, &q,
                                         &err) == GPB_OK,
                      "'%s': %s", per_gpu_hour[i].text, err.message);
        ck_assert_msg(close_rel(q.value, per_gpu_hour[i].value, REL_TOL),
                      "'%s': %.17g", per_gpu_hour[i].text, q.value);
    }

    double v = 0;
    ck_assert_int_eq(gpb_units_parse_number("70B", &v, &err), GPB_OK);
    ck_assert(v == 7e10);
    ck_assert_int_eq(gpb_units_parse_number("30%", &v, &err), GPB_OK);
    ck_assert(close_rel(v, 0.3, REL_TOL));
    ck_assert_int_eq(gpb_units_parse_number("1.2亿", &v, &err), GPB_OK);
    ck_assert(v == 1.2e8);
}
END_TEST

typedef struct as_case {
    const char *text;
    gpb_qty_kind want;
    gpb_status status;
    int column;
    const char *message;
} as_case;

static const as_case AS_CASES[] = {
    {"3 months", GPB_QTY_MONEY, GPB_EUNIT, 1,
     "expected an amount of money, found a duration '3 months'"},
    {"  $5  ", GPB_QTY_DURATION, GPB_EUNIT, 3,
     "expected a duration, found an amount of money '$5'"},
    {"70B params", GPB_QTY_MONEY, GPB_EUNIT, 1,
     "expected an amount of money, found a number '70B params'"},
    {"30%", GPB_QTY_MONEY, GPB_EUNIT, 1, "found a number '30%'"},
    {"-5", GPB_QTY_MONEY, GPB_ERANGE, 1,
     "an amount of money cannot be negative"},
    {"$5", GPB_QTY_NUMBER, GPB_EUNIT, 1,
     "expected a number, found an amount of money '$5'"},
    {"30m", GPB_QTY_DURATION, GPB_EUNIT, 3,
     "write 'min' for minutes or 'months'"},
    {"$2/h", GPB_QTY_MONEY_PER_KWH, GPB_EUNIT, 1,
     "expected a price per kWh, found a price per hour '$2/h'"},
    {"80GB", GPB_QTY_MONEY_PER_MTOKEN, GPB_EUNIT, 1,
     "found a size in bytes '80GB'"},
    /* Wanted, money per hour is a GPU's price per hour: a rate per day
       or longer that names no GPU is a wage or a bill ("$200k/year" read
       as $22.82 a GPU-hour). */
    {"$200k/year", GPB_QTY_MONEY_PER_HOUR, GPB_EUNIT, 1,
     "expected a price per GPU-hour, found a rate per year that names no "
     "GPU '$200k/year'"},
    {"  ¥60万/年", GPB_QTY_MONEY_PER_HOUR, GPB_EUNIT, 3,
     "found a rate per year that names no GPU '¥60万/年'"},
    {"$1000/month", GPB_QTY_MONEY_PER_HOUR, GPB_EUNIT, 1,
     "found a rate per month that names no GPU"},
    {"$3000 monthly", GPB_QTY_MONEY_PER_HOUR, GPB_EUNIT, 1,
     "found a rate per month that names no GPU"},
    {"$24/day", GPB_QTY_MONEY_PER_HOUR, GPB_EUNIT, 1,
     "found a rate per day that names no GPU"},
    {"$500/week", GPB_QTY_MONEY_PER_HOUR, GPB_EUNIT, 1,
     "found a rate per week that names no GPU"},
    {"5", GPB_QTY_COUNT, GPB_EINVAL, 0, "unknown quantity kind"},
    {"5", (gpb_qty_kind)-1, GPB_EINVAL, 0, "unknown quantity kind"},
};

START_TEST(test_parse_as_refuses)
{
    const as_case *c = &AS_CASES[_i];
    gpb_quantity q = {7, GPB_QTY_NUMBER, GPB_CURRENCY_NONE};
    gpb_error err;
    gpb_error_clear(&err);
    gpb_status st = gpb_units_parse_as(c->text, c->want, &q, &err);
    ck_assert_msg(st == c->status, "'%s': status %d (%s)", c->text, st,
                  err.message);
    ck_assert_msg(err.column == c->column, "'%s': column %d, want %d",
                  c->text, err.column, c->column);
    ck_assert_msg(strstr(err.message, c->message) != NULL,
                  "'%s': message '%s' lacks '%s'", c->text, err.message,
                  c->message);
    ck_assert(q.value == 7);
}
END_TEST

START_TEST(test_parse_number_refuses)
{
    double v = 9;
    gpb_error err;
    ck_assert_int_eq(gpb_units_parse_number("$5", &v, &err), GPB_EUNIT);
    ck_assert_ptr_nonnull(strstr(err.message, "expected a number"));
    ck_assert_int_eq(gpb_units_parse_number("3 days", &v, &err), GPB_EUNIT);
    ck_assert(v == 9);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Currencies and exchange rates                                       */
/* ------------------------------------------------------------------ */

START_TEST(test_currency_names)
{
    ck_assert_str_eq(gpb_currency_code(GPB_CURRENCY_USD), "USD");
    ck_assert_str_eq(gpb_currency_code(GPB_CURRENCY_CNY), "CNY");
    ck_assert_str_eq(gpb_currency_code(GPB_CURRENCY_EUR), "EUR");
    ck_assert_str_eq(gpb_currency_code(GPB_CURRENCY_NONE), "");
    ck_assert_str_eq(gpb_currency_code((gpb_currency)99), "");
    ck_assert_str_eq(gpb_currency_symbol(GPB_CURRENCY_USD), "$");
    ck_assert_str_eq(gpb_currency_symbol(GPB_CURRENCY_CNY), "¥");
    ck_assert_str_eq(gpb_currency_symbol(GPB_CURRENCY_EUR), "€");
    ck_assert_str_eq(gpb_currency_symbol((gpb_currency)-3), "");
    ck_assert_str_eq(gpb_qty_kind_name(GPB_QTY_MONEY_PER_HOUR),
                     "money per hour");
    ck_assert_str_eq(gpb_qty_kind_name(GPB_QTY_BYTES), "bytes");
    ck_assert_str_eq(gpb_qty_kind_name(GPB_QTY_COUNT), "unknown");
}
END_TEST

START_TEST(test_currency_from_code)
{
    static const struct {
        const char *code;
        gpb_currency cur;
    } ok[] = {
        {"USD", GPB_CURRENCY_USD}, {"usd", GPB_CURRENCY_USD},
        {"US$", GPB_CURRENCY_USD}, {"$", GPB_CURRENCY_USD},
        {"美元", GPB_CURRENCY_USD}, {" CNY ", GPB_CURRENCY_CNY},
        {"RMB", GPB_CURRENCY_CNY}, {"¥", GPB_CURRENCY_CNY},
        {"￥", GPB_CURRENCY_CNY}, {"元", GPB_CURRENCY_CNY},
        {"人民币", GPB_CURRENCY_CNY}, {"EUR", GPB_CURRENCY_EUR},
        {"€", GPB_CURRENCY_EUR},
    };
    gpb_currency c;
    gpb_error err;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        c = GPB_CURRENCY_COUNT;
        ck_assert_msg(gpb_currency_from_code(ok[i].code, &c, &err) == GPB_OK,
                      "'%s'", ok[i].code);
        ck_assert_int_eq(c, ok[i].cur);
    }
    ck_assert_int_eq(gpb_currency_from_code("XYZ", &c, &err),
                     GPB_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "unknown currency 'XYZ'"));
    ck_assert_int_eq(gpb_currency_from_code(" USDD ", &c, &err),
                     GPB_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "did you mean 'USD'?"));
    ck_assert_int_eq(gpb_currency_from_code("$5", &c, &err), GPB_ENOTFOUND);
    ck_assert_int_eq(gpb_currency_from_code("", &c, &err), GPB_ENOTFOUND);
    ck_assert_int_eq(gpb_currency_from_code(NULL, &c, &err), GPB_EINVAL);
    ck_assert_int_eq(gpb_currency_from_code("USD", NULL, &err), GPB_EINVAL);
}
END_TEST

/*
 * Default rates: ECB reference rates of 2023-12-29, 1 EUR = 1.1050 USD =
 * 7.8509 CNY. By hand: CNY per USD = 7.8509 / 1.1050 = 7.104887..., EUR
 * per USD = 1 / 1.1050 = 0.904977...; so 1 EUR buys 7.8509 CNY exactly
 * (up to rounding, 1e-12).
 */
START_TEST(test_fx_default)
{
    gpb_fx fx = gpb_units_fx_default();
    ck_assert(fx.per_usd[GPB_CURRENCY_USD] == 1.0);
    ck_assert(close_rel(fx.per_usd[GPB_CURRENCY_CNY], 7.1048868778280543,
                        REL_TOL));
    ck_assert(close_rel(fx.per_usd[GPB_CURRENCY_EUR], 0.90497737556561086,
                        REL_TOL));
    double out = 0;
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 1, GPB_CURRENCY_EUR,
                                    GPB_CURRENCY_CNY, &out, NULL),
                     GPB_OK);
    ck_assert(close_rel(out, 7.8509, REL_TOL));
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 1.105, GPB_CURRENCY_USD,
                                    GPB_CURRENCY_EUR, &out, NULL),
                     GPB_OK);
    ck_assert(close_rel(out, 1.0, REL_TOL));
    /* ¥5000万 in dollars: 5e7 / 7.1048868778 = 7,037,409.72 */
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 5e7, GPB_CURRENCY_CNY,
                                    GPB_CURRENCY_USD, &out, NULL),
                     GPB_OK);
    ck_assert(close_rel(out, 5e7 * 1.1050 / 7.8509, REL_TOL));
    ck_assert(fabs(out - 7037409.7) < 1.0);
}
END_TEST

START_TEST(test_fx_convert)
{
    gpb_fx fx = {{0, 1, 7, 0.5}};
    gpb_error err;
    double out = 0;
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 100, GPB_CURRENCY_USD,
                                    GPB_CURRENCY_CNY, &out, &err),
                     GPB_OK);
    ck_assert(out == 700);
    ck_assert_int_eq(gpb_units_fx_convert(&fx, -700, GPB_CURRENCY_CNY,
                                    GPB_CURRENCY_EUR, &out, &err),
                     GPB_OK);
    ck_assert(close_rel(out, -50, REL_TOL));
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 3, GPB_CURRENCY_NONE,
                                    GPB_CURRENCY_NONE, &out, &err),
                     GPB_OK);
    ck_assert(out == 3);

    out = 42;
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 3, GPB_CURRENCY_NONE,
                                    GPB_CURRENCY_USD, &out, &err),
                     GPB_ECURRENCY);
    ck_assert_ptr_nonnull(strstr(err.message, "no currency"));
    fx.per_usd[GPB_CURRENCY_EUR] = 0;
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 3, GPB_CURRENCY_EUR,
                                    GPB_CURRENCY_USD, &out, &err),
                     GPB_ECURRENCY);
    ck_assert_ptr_nonnull(strstr(err.message, "no exchange rate for EUR"));
    fx.per_usd[GPB_CURRENCY_EUR] = NAN;
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 3, GPB_CURRENCY_USD,
                                    GPB_CURRENCY_EUR, &out, &err),
                     GPB_ECURRENCY);
    ck_assert_int_eq(gpb_units_fx_convert(&fx, NAN, GPB_CURRENCY_USD,
                                    GPB_CURRENCY_CNY, &out, &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 1e308, GPB_CURRENCY_USD,
                                    GPB_CURRENCY_CNY, &out, &err),
                     GPB_ERANGE);
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 1, (gpb_currency)9,
                                    GPB_CURRENCY_CNY, &out, &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_fx_convert(NULL, 1, GPB_CURRENCY_USD,
                                    GPB_CURRENCY_CNY, &out, &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_fx_convert(&fx, 1, GPB_CURRENCY_USD,
                                    GPB_CURRENCY_CNY, NULL, &err),
                     GPB_EINVAL);
    ck_assert(out == 42);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Formatting                                                          */
/* ------------------------------------------------------------------ */

typedef struct fmt_case {
    gpb_qty_kind kind;
    double value;
    gpb_currency cur;
    gpb_format_style style;
    int sig;
    const char *want;
} fmt_case;

#define EN GPB_STYLE_EN
#define ZH GPB_STYLE_ZH

static const fmt_case FMT_CASES[] = {
    {MON, 4.6e6, USD, EN, 3, "$4.6M"},
    {MON, 4.6e6, USD, EN, 0, "$4.6M"},
    {MON, 950e3, USD, EN, 3, "$950k"},
    {MON, 1.2e9, USD, EN, 3, "$1.2B"},
    {MON, 5e7, CNY, EN, 3, "¥50M"},
    {MON, 12.5, USD, EN, 3, "$12.50"},
    {MON, 950, USD, EN, 3, "$950"},
    {MON, 0.0834, USD, EN, 3, "$0.0834"},
    {MON, -4.6e6, USD, EN, 3, "-$4.6M"},
    {MON, 999999, USD, EN, 3, "$1M"},
    {MON, 1234.5, USD, EN, 0, "$1.23k"},
    {MON, 0, USD, EN, 3, "$0"},
    {MON, 5e6, EUR, EN, 3, "€5M"},
    {MON, 4.6e6, NO, EN, 3, "4.6M"},
    {MON, 1.5e18, USD, EN, 3, "$1.5e18"},
    {MON, 5e7, CNY, ZH, 3, "¥5,000万"},
    {MON, 1.2e8, CNY, ZH, 3, "¥1.2亿"},
    {MON, 3e4, CNY, ZH, 3, "¥3万"},
    {MON, 1e12, CNY, ZH, 3, "¥1万亿"},
    {MON, 4.6e6, USD, ZH, 3, "$460万"},
    {MON, 5000, CNY, ZH, 3, "¥5,000"},
    {MON, 12345678, CNY, ZH, 3, "¥1,230万"},
    {MON, 12345678, CNY, ZH, 6, "¥1,234.57万"},
    {MON, -5e7, CNY, ZH, 3, "-¥5,000万"},
    {N, 7e10, NO, EN, 3, "70B"},
    {N, 7e10, NO, ZH, 3, "700亿"},
    {N, 3.15e23, NO, EN, 3, "3.15e23"},
    {N, 3.15e23, NO, ZH, 3, "3.15e23"},
    {N, 42, NO, EN, 3, "42"},
    {N, 0.3, NO, EN, 3, "0.3"},
    {N, -0.02, NO, EN, 3, "-0.02"},
    {N, 1.4e12, NO, EN, 3, "1.4T"},
    {N, 2e15, NO, EN, 3, "2P"},
    {N, 1e-7, NO, EN, 3, "1e-7"},
    {N, 999.96, NO, EN, 4, "1k"},
    {N, NAN, NO, EN, 3, "NaN"},
    {N, -INFINITY, NO, EN, 3, "-inf"},
    {DUR, 720, NO, EN, 3, "720 h"},
    {DUR, 1000, NO, EN, 3, "41.7 days"},
    {DUR, 1080, NO, EN, 3, "45.0 days"},
    {DUR, 2191.5, NO, EN, 3, "3.0 months"},
    {DUR, 17532, NO, EN, 3, "2.0 years"},
    {DUR, 0.5, NO, EN, 3, "30 min"},
    {DUR, 0, NO, EN, 3, "0 h"},
    {DUR, 2191.5, NO, ZH, 3, "3个月"},
    {DUR, 720, NO, ZH, 3, "720小时"},
    {PH, 2.5, USD, EN, 3, "$2.50/h"},
    {PH, 10, CNY, ZH, 3, "¥10/小时"},
    {PK, 0.08, USD, EN, 3, "$0.08/kWh"},
    {PK, 0.6, CNY, ZH, 3, "¥0.60/度"},
    {PT, 2, USD, EN, 3, "$2/M tokens"},
    {PT, 2, CNY, ZH, 3, "¥2/百万tokens"},
    {BY, 80e9, NO, EN, 3, "80 GB"},
    {BY, 1.5e12, NO, ZH, 3, "1.5 TB"},
    {BY, 512, NO, EN, 3, "512 bytes"},
};

START_TEST(test_format)
{
    const fmt_case *c = &FMT_CASES[_i];
    gpb_quantity q = {c->value, c->kind, c->cur};
    char buf[64];
    int n = gpb_units_format_quantity(&q, c->style, c->sig, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, c->want) == 0, "%.17g: '%s', want '%s'",
                  c->value, buf, c->want);
    ck_assert_int_eq(n, (int)strlen(c->want));
}
END_TEST

START_TEST(test_format_functions)
{
    char buf[64];
    ck_assert_int_eq(gpb_units_format_money(4.6e6, GPB_CURRENCY_USD,
                                            GPB_STYLE_EN, 3, buf, sizeof buf),
                     5);
    ck_assert_str_eq(buf, "$4.6M");
    ck_assert_int_eq(gpb_units_format_number(7e10, GPB_STYLE_ZH, 3, buf,
                                             sizeof buf),
                     (int)strlen("700亿"));
    ck_assert_str_eq(buf, "700亿");
    ck_assert_int_eq(gpb_units_format_duration_hours(2191.5, buf, sizeof buf),
                     10);
    ck_assert_str_eq(buf, "3.0 months");
    gpb_units_format_duration_hours(1.0 / 360, buf, sizeof buf);
    ck_assert_str_eq(buf, "10 s");
    gpb_units_format_duration_hours(-3, buf, sizeof buf);
    ck_assert_str_eq(buf, "-3 h");
}
END_TEST

/* The return value and truncation follow snprintf. */
START_TEST(test_format_truncation)
{
    char buf[4] = "xyz";
    ck_assert_int_eq(gpb_units_format_money(4.6e6, GPB_CURRENCY_USD,
                                            GPB_STYLE_EN, 3, buf, sizeof buf),
                     5);
    ck_assert_str_eq(buf, "$4.");
    ck_assert_int_eq(gpb_units_format_number(7e10, GPB_STYLE_EN, 3, NULL, 0),
                     3);
    char one[1] = {'x'};
    ck_assert_int_eq(gpb_units_format_duration_hours(720, one, 1), 5);
    ck_assert_int_eq(one[0], '\0');
}
END_TEST

START_TEST(test_format_invalid)
{
    char buf[16] = "junk";
    ck_assert_int_eq(gpb_units_format_money(1, (gpb_currency)7, GPB_STYLE_EN,
                                            3, buf, sizeof buf),
                     -1);
    ck_assert_str_eq(buf, "");
    strcpy(buf, "junk");
    ck_assert_int_eq(gpb_units_format_number(1, (gpb_format_style)5, 3, buf,
                                             sizeof buf),
                     -1);
    ck_assert_str_eq(buf, "");
    gpb_quantity q = {1, GPB_QTY_COUNT, GPB_CURRENCY_NONE};
    ck_assert_int_eq(gpb_units_format_quantity(&q, GPB_STYLE_EN, 3, buf,
                                               sizeof buf),
                     -1);
    ck_assert_int_eq(gpb_units_format_quantity(NULL, GPB_STYLE_EN, 3, buf,
                                               sizeof buf),
                     -1);
}
END_TEST

/* With LC_NUMERIC set to a comma-decimal locale, output still uses "."
   and input "3.5" still means three and a half. Skipped (passes) where
   no such locale is installed. */
START_TEST(test_locale_independent)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",
                                        "fr_FR.UTF-8", "ru_RU.UTF-8"};
    const char *set = NULL;
    for (size_t i = 0; i < 4 && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set)
        return;
    char buf[32];
    gpb_quantity q;
    gpb_units_format_money(4.6e6, GPB_CURRENCY_USD, GPB_STYLE_EN, 3, buf,
                           sizeof buf);
    gpb_status st = gpb_units_parse("3.5k", &q, NULL);
    setlocale(LC_NUMERIC, "C");
    ck_assert_str_eq(buf, "$4.6M");
    ck_assert_int_eq(st, GPB_OK);
    ck_assert(q.value == 3500);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Fractions: "40%" is 0.4, and "40" gets a hint                        */
/* ------------------------------------------------------------------ */

typedef struct hint_case {
    const char *text;
    gpb_frac_bounds bounds;
    const char *hint; /* "" for none */
} hint_case;

#define FC GPB_FRAC_CLOSED
#define FLO GPB_FRAC_OPEN_LO
#define FHI GPB_FRAC_OPEN_HI
#define FO GPB_FRAC_OPEN

/* The fraction is the percentage's digits with the point moved two
   places, padded to two decimals: worked by hand. */
static const hint_case HINT_CASES[] = {
    {"40", FLO, "did you mean 40% = 0.40?"},
    {"40", FC, "did you mean 40% = 0.40?"},
    {" 40 ", FO, "did you mean 40% = 0.40?"},
    {"4e1", FC, "did you mean 40% = 0.40?"},
    {"12.5", FC, "did you mean 12.5% = 0.125?"},
    {"1.5", FC, "did you mean 1.5% = 0.015?"},
    {"1.0000001", FC, "did you mean 1.0000001% = 0.010000001?"},
    {"99.999", FHI, "did you mean 99.999% = 0.99999?"},
    {"100", FC, "did you mean 100% = 1.00?"},
    {"100", FLO, "did you mean 100% = 1.00?"},
    {"1e2", FC, "did you mean 100% = 1.00?"},
    {"0.001k", FC, ""}, /* 1: a fraction, no hint */
    {"100", FHI, ""},   /* 1.00 is not below 1 */
    {"100", FO, ""},
    {"1", FC, ""},
    {"0.4", FC, ""},
    {"100.5", FC, ""},
    {"1000", FC, ""},
    {"-40", FC, ""},
    {"40%", FC, ""},   /* a percentage already */
    {"4000%", FC, ""},
    {"$40", FC, ""},   /* money */
    {"40 GPUs", FC, ""},
    {"40 days", FC, ""},
    {"abc", FC, ""},
    {"", FC, ""},
    {"40", (gpb_frac_bounds)7, ""},
};

START_TEST(test_fraction_hint)
{
    const hint_case *c = &HINT_CASES[_i];
    char buf[128];
    memset(buf, 'x', sizeof buf);
    int n = gpb_units_fraction_hint(c->text, c->bounds, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, c->hint) == 0, "'%s' (%d): '%s', want '%s'",
                  c->text, (int)c->bounds, buf, c->hint);
    ck_assert_int_eq(n, (int)strlen(c->hint));
}
END_TEST

START_TEST(test_fraction_hint_buffers)
{
    char small[8];
    ck_assert_int_eq(gpb_units_fraction_hint("40", FC, NULL, 0), 24);
    ck_assert_int_eq(gpb_units_fraction_hint("40", FC, small, sizeof small),
                     24);
    ck_assert_str_eq(small, "did you");
    ck_assert_int_eq(gpb_units_fraction_hint(NULL, FC, small, sizeof small),
                     0);
    ck_assert_str_eq(small, "");
    /* The same words in a comma-decimal locale (skipped where none is
       installed). */
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",
                                        "fr_FR.UTF-8", "ru_RU.UTF-8"};
    const char *set = NULL;
    for (size_t i = 0; i < 4 && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set)
        return;
    char buf[64];
    gpb_units_fraction_hint("12.5", FC, buf, sizeof buf);
    setlocale(LC_NUMERIC, "C");
    ck_assert_str_eq(buf, "did you mean 12.5% = 0.125?");
}
END_TEST

typedef struct frac_case {
    const char *text;
    gpb_frac_bounds bounds;
    gpb_status status;
    double value;        /* on success: bit for bit */
    int column;          /* on failure */
    const char *message; /* on failure: the whole message */
} frac_case;

static const frac_case FRAC_CASES[] = {
    {"0.4", FLO, GPB_OK, 0.4, 0, NULL},
    {"40%", FLO, GPB_OK, 0.4, 0, NULL},
    {"40 %", FC, GPB_OK, 0.4, 0, NULL},
    {"12.5 percent", FC, GPB_OK, 0.125, 0, NULL},
    {".07", FC, GPB_OK, 0.07, 0, NULL},
    {"7%", FC, GPB_OK, 0.07, 0, NULL},
    {"0", FC, GPB_OK, 0, 0, NULL},
    {"1", FC, GPB_OK, 1, 0, NULL},
    {"100%", FLO, GPB_OK, 1, 0, NULL},
    {"0", FHI, GPB_OK, 0, 0, NULL},
    {"0.999", FO, GPB_OK, 0.999, 0, NULL},
    {"40", FLO, GPB_ERANGE, 0, 1,
     "expected a fraction in (0, 1], found '40'; did you mean 40% = 0.40?"},
    {"  40", FC, GPB_ERANGE, 0, 3,
     "expected a fraction in [0, 1], found '40'; did you mean 40% = 0.40?"},
    {"90", FO, GPB_ERANGE, 0, 1,
     "expected a fraction in (0, 1), found '90'; did you mean 90% = 0.90?"},
    {"100", FHI, GPB_ERANGE, 0, 1,
     "expected a fraction in [0, 1), found '100'"},
    {"150", FC, GPB_ERANGE, 0, 1,
     "expected a fraction in [0, 1], found '150'"},
    {"150%", FC, GPB_ERANGE, 0, 1,
     "expected a fraction in [0, 1], found '150%'"},
    {"0", FLO, GPB_ERANGE, 0, 1, "expected a fraction in (0, 1], found '0'"},
    {"1", FO, GPB_ERANGE, 0, 1, "expected a fraction in (0, 1), found '1'"},
    {"-0.1", FC, GPB_ERANGE, 0, 1,
     "expected a fraction in [0, 1], found '-0.1'"},
    {"abc", FC, GPB_ESYNTAX, 0, 1, "expected a number, found 'abc'"},
    {"$0.4", FC, GPB_EUNIT, 0, 1,
     "expected a number, found an amount of money '$0.4'"},
};

START_TEST(test_parse_fraction)
{
    const frac_case *c = &FRAC_CASES[_i];
    double v = -7;
    gpb_error err;
    gpb_error_clear(&err);
    gpb_status st = gpb_units_parse_fraction(c->text, c->bounds, &v, &err);
    ck_assert_msg(st == c->status, "'%s': status %d (%s), want %d", c->text,
                  st, err.message, c->status);
    if (st == GPB_OK) {
        ck_assert_msg(bits_eq(v, c->value), "'%s' = %.17g, want %.17g",
                      c->text, v, c->value);
        return;
    }
    ck_assert(v == -7); /* written only on success */
    ck_assert_int_eq(err.status, c->status);
    ck_assert_int_eq(err.column, c->column);
    ck_assert_str_eq(err.message, c->message);
}
END_TEST

START_TEST(test_parse_fraction_invalid)
{
    double v;
    gpb_error err;
    ck_assert_int_eq(gpb_units_parse_fraction("0.4", FC, NULL, &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_parse_fraction(NULL, FC, &v, &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_parse_fraction("0.4", (gpb_frac_bounds)4, &v,
                                              &err),
                     GPB_EINVAL);
    ck_assert_int_eq(gpb_units_parse_fraction("40", FC, &v, NULL),
                     GPB_ERANGE);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Correct rounding: a multiplier is part of the number, not a product   */
/* ------------------------------------------------------------------ */

/*
 * Every way of writing a power of ten after a number, with the power it
 * stands for. "16.1k" must read as the decimal 16.1e3 rounded once, so
 * the expected value of "x.yyy<suffix>" is strtod("x.yyye<exp10>"), which
 * glibc rounds correctly. prefix is a currency written before the number.
 */
typedef struct scale_case {
    const char *prefix, *suffix;
    int exp10;
    gpb_qty_kind kind;
} scale_case;

static const scale_case SCALE_CASES[] = {
    {"", "k", 3, N},           {"", "K", 3, N},
    {"", "M", 6, N},           {"", "B", 9, N},
    {"", "b", 9, N},           {"", "G", 9, N},
    {"", "T", 12, N},          {"", "t", 12, N},
    {"", "P", 15, N},          {"", " hundred", 2, N},
    {"", " thousand", 3, N},   {"", " million", 6, N},
    {"", "mn", 6, N},          {"", " billion", 9, N},
    {"", "bn", 9, N},          {"", " trillion", 12, N},
    {"", "十", 1, N},          {"", "百", 2, N},
    {"", "千", 3, N},          {"", "万", 4, N},
    {"", "萬", 4, N},          {"", "亿", 8, N},
    {"", "億", 8, N},          {"", "百万", 6, N},
    {"", "千万", 7, N},        {"", "千亿", 11, N},
    {"", "万亿", 12, N},       {"", "%", -2, N},
    {"", "％", -2, N},         {"", " percent", -2, N},
    {"", " pct", -2, N},       {"", "B params", 9, N},
    {"", "m tokens", 6, N},    {"", "Mtok", 6, N},
    {"", "亿参数", 8, N},      {"$", "k", 3, MON},
    {"$", "m", 6, MON},        {"US$", "B", 9, MON},
    {"¥", "万", 4, MON},       {"", "亿元", 8, MON},
    {"", "万美元", 4, MON},    {"RMB ", "亿", 8, MON},
    {"", "k USD", 3, MON},     {"€", "M", 6, MON},
    {"$", "M/h", 6, PH},       {"¥", "万/GPU-hour", 4, PH},
    {"$", "/kWh", 0, PK},      {"$", "/MWh", -3, PK},
    {"$", "/1K tokens", 3, PT}, {"$", "/token", 6, PT},
    {"$", "/1,000 tokens", 3, PT}, {"¥", "/百万tokens", 0, PT},
    {"", " kB", 3, BY},        {"", "MB", 6, BY},
    {"", " GB", 9, BY},        {"", "TB", 12, BY},
    {"", "PB", 15, BY},        {"", "EB", 18, BY},
};

/* Three-decimal mantissas as thousandths: every one from 0.001 to 9.999
   for each case (about 10 ms), and to 99.999 for the multipliers of the
   bug report (k, M, 亿), to keep the suite quick under the sanitizers. */
enum { MANT_LO = 1, MANT_HI = 9999, MANT_HI_FULL = 99999 };

/*
 * Parses text and compares it with want, bit for bit; on the first
 * mismatch keeps a description in first. Check's assertions cost a
 * system call each, so the loops below count and assert once.
 */
static long check_exact(const char *text, gpb_qty_kind kind, double want,
                        char *first, size_t n)
{
    gpb_quantity q = {NAN, GPB_QTY_COUNT, GPB_CURRENCY_NONE};
    gpb_error err;
    gpb_error_clear(&err);
    gpb_status st = gpb_units_parse(text, &q, &err);
    if (st == GPB_OK && q.kind == kind && bits_eq(q.value, want))
        return 0;
    if (!first[0])
        snprintf(first, n, "'%.80s': status %d (%.200s), kind %d, %.17g, "
                 "want %.17g", text, st, err.message, q.kind, q.value, want);
    return 1;
}

static void scale_exact(const scale_case *c, long hi)
{
    char text[96], plain[64], first[600] = "";
    long bad = 0;
    for (long m = MANT_LO; m <= hi; m++) {
        snprintf(text, sizeof text, "%s%ld.%03ld%s", c->prefix, m / 1000,
                 m % 1000, c->suffix);
        snprintf(plain, sizeof plain, "%ld.%03lde%d", m / 1000, m % 1000,
                 c->exp10);
        bad += check_exact(text, c->kind, strtod(plain, NULL), first,
                           sizeof first);
    }
    ck_assert_msg(bad == 0, "%ld of %ld mantissas with '%s': first %s", bad,
                  hi - MANT_LO + 1, c->suffix, first);
}

START_TEST(test_scale_correctly_rounded)
{
    scale_exact(&SCALE_CASES[_i], MANT_HI);
}
END_TEST

START_TEST(test_scale_full_range)
{
    static const scale_case full[] = {
        {"", "k", 3, N}, {"", "M", 6, N}, {"", "亿", 8, N}};
    scale_exact(&full[_i], MANT_HI_FULL);
}
END_TEST

/*
 * Units of whole (or half) hours: "x.yyy days" is the decimal x.yyy × 24
 * rounded once, worked in integers (thousandths × 24) so that the
 * expected text is exact; a month is 730.5 h = 7305 tenths.
 */
typedef struct hours_case {
    const char *suffix;
    long mul;  /* hours per unit × 10^-exp10 */
    int exp10; /* with the mantissa's -3 */
} hours_case;

static const hours_case HOURS_CASES[] = {
    {" h", 1, -3},      {" days", 24, -3},  {"天", 24, -3},
    {" weeks", 168, -3}, {"周", 168, -3},   {" months", 7305, -4},
    {"个月", 7305, -4}, {" years", 8766, -3}, {"年", 8766, -3},
};

START_TEST(test_duration_correctly_rounded)
{
    const hours_case *c = &HOURS_CASES[_i];
    char text[64], plain[64], first[600] = "";
    long bad = 0;
    for (long m = MANT_LO; m <= MANT_HI; m++) {
        snprintf(text, sizeof text, "%ld.%03ld%s", m / 1000, m % 1000,
                 c->suffix);
        snprintf(plain, sizeof plain, "%lde%d", m * c->mul, c->exp10);
        bad += check_exact(text, GPB_QTY_DURATION, strtod(plain, NULL),
                           first, sizeof first);
    }
    ck_assert_msg(bad == 0, "%ld of %d mantissas with '%s': first %s", bad,
                  MANT_HI - MANT_LO + 1, c->suffix, first);
}
END_TEST

/* The cases of the bug report, and values near the ends of the range. */
START_TEST(test_scale_reported_cases)
{
    static const struct {
        const char *text;
        const char *plain;
    } cases[] = {
        {"16.1k", "16100"},        {"4.1M", "4100000"},
        {"0.009亿", "900000"},     {"8.03k", "8030"},
        {"32.2k", "32200"},        {"1.2亿", "120000000"},
        {"1.2万亿", "1.2e12"},     {"2.675e-3k", "2.675"},
        {"1,234.567k", "1234567"}, {"0.1%", "0.001"},
        {"1.7976931348623157e305k", "1.7976931348623157e308"},
        {"4.9e-321k", "4.9e-318"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v;
        ck_assert_int_eq(gpb_units_parse_number(cases[i].text, &v, NULL),
                         GPB_OK);
        ck_assert_msg(bits_eq(v, strtod(cases[i].plain, NULL)),
                      "'%s' = %.17g", cases[i].text, v);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* Round trips: parse(format(x)) == x within the precision of sig        */
/* ------------------------------------------------------------------ */

/*
 * Rounding to s significant digits moves x by at most half a unit in the
 * last digit, 0.5 · 10^(1-s) · |x|; parsing adds a few double roundings
 * (1e-15 relative), covered by the extra 1e-12.
 */
static void round_trip(gpb_qty_kind kind, double x, gpb_currency cur,
                       gpb_format_style style, int sig)
{
    char buf[128];
    gpb_quantity q = {x, kind, cur}, back;
    gpb_error err;
    gpb_error_clear(&err);
    int n = gpb_units_format_quantity(&q, style, sig, buf, sizeof buf);
    ck_assert_msg(n > 0 && n < (int)sizeof buf, "%g: length %d", x, n);
    gpb_qty_kind want = kind;
    if (kind == GPB_QTY_MONEY && cur == GPB_CURRENCY_NONE)
        want = GPB_QTY_MONEY; /* a bare number, accepted as money */
    gpb_status st = gpb_units_parse_as(buf, want, &back, &err);
    ck_assert_msg(st == GPB_OK, "%.17g (style %d, sig %d) -> '%s': %s", x,
                  style, sig, buf, err.message);
    double tol = 0.5 * pow(10, 1 - sig) + 1e-12;
    ck_assert_msg(close_rel(back.value, x, tol),
                  "%.17g (style %d, sig %d) -> '%s' -> %.17g", x, style, sig,
                  buf, back.value);
    ck_assert_int_eq(back.currency, cur);
}

static const double MANTISSAS[] = {1,     1.5,      2.345678, 4.6,
                                   7,     9.99,     9.9996,   3.14159265,
                                   5.005, 1.000049, 9.999999};

START_TEST(test_round_trip_numbers_money)
{
    /* _i selects the style and the significant digits. */
    gpb_format_style style = _i % 2 ? GPB_STYLE_ZH : GPB_STYLE_EN;
    int sig = 1 + _i / 2;
    for (int k = -6; k <= 24; k++)
        for (size_t j = 0; j < sizeof MANTISSAS / sizeof MANTISSAS[0];
             j++) {
            double x = MANTISSAS[j] * pow(10, k);
            round_trip(GPB_QTY_NUMBER, x, GPB_CURRENCY_NONE, style, sig);
            round_trip(GPB_QTY_NUMBER, -x, GPB_CURRENCY_NONE, style, sig);
            round_trip(GPB_QTY_MONEY, x, GPB_CURRENCY_USD, style, sig);
            round_trip(GPB_QTY_MONEY, x, GPB_CURRENCY_CNY, style, sig);
            round_trip(GPB_QTY_MONEY, x, GPB_CURRENCY_EUR, style, sig);
            round_trip(GPB_QTY_MONEY, x, GPB_CURRENCY_NONE, style, sig);
        }
}
END_TEST

START_TEST(test_round_trip_other_kinds)
{
    gpb_format_style style = _i % 2 ? GPB_STYLE_ZH : GPB_STYLE_EN;
    int sig = 1 + _i / 2;
    for (int k = -6; k <= 20; k++)
        for (size_t j = 0; j < sizeof MANTISSAS / sizeof MANTISSAS[0];
             j++) {
            double x = MANTISSAS[j] * pow(10, k);
            round_trip(GPB_QTY_DURATION, x, GPB_CURRENCY_NONE, style, sig);
            round_trip(GPB_QTY_MONEY_PER_HOUR, x, GPB_CURRENCY_CNY, style,
                       sig);
            round_trip(GPB_QTY_MONEY_PER_KWH, x, GPB_CURRENCY_USD, style,
                       sig);
            round_trip(GPB_QTY_MONEY_PER_MTOKEN, x, GPB_CURRENCY_EUR, style,
                       sig);
            round_trip(GPB_QTY_MONEY_PER_HOUR, x, GPB_CURRENCY_NONE, style,
                       sig);
            round_trip(GPB_QTY_BYTES, x, GPB_CURRENCY_NONE, style, sig);
        }
}
END_TEST

/* Durations at the unit boundaries (1 min, 1 h, 1000 h, 3 and 24
   months), where rounding may carry into the next unit. */
START_TEST(test_round_trip_duration_edges)
{
    static const double edges[] = {1.0 / 60, 1, 1000, 3 * 730.5,
                                   24 * 730.5};
    for (size_t i = 0; i < 5; i++)
        for (int s = 1; s <= 6; s++)
            for (int d = -2; d <= 2; d++) {
                double x = edges[i] * (1 + d * 1e-4);
                round_trip(GPB_QTY_DURATION, x, GPB_CURRENCY_NONE,
                           GPB_STYLE_EN, s);
                round_trip(GPB_QTY_DURATION, x, GPB_CURRENCY_NONE,
                           GPB_STYLE_ZH, s);
            }
}
END_TEST

/*
 * The top of the range (units.h): rounded to nearest, the largest double
 * at one digit is 2e308, which the parser refuses as an overflow; the
 * formatters add digits until the text reads back, so the round trip and
 * its precision hold for every kind, both styles and 1-17 digits at the
 * largest double, the 16 doubles below it, values from 1e308 up, -DBL_MAX
 * as a number, and DBL_MAX / 2, below which nothing is changed.
 */
static const gpb_qty_kind TOP_KINDS[] = {
    GPB_QTY_NUMBER,         GPB_QTY_MONEY,         GPB_QTY_DURATION,
    GPB_QTY_MONEY_PER_HOUR, GPB_QTY_MONEY_PER_KWH, GPB_QTY_MONEY_PER_MTOKEN,
    GPB_QTY_BYTES};

static void round_trip_top(double x, gpb_format_style style, int sig)
{
    for (size_t k = 0; k < sizeof TOP_KINDS / sizeof TOP_KINDS[0]; k++) {
        gpb_currency cur = gpb_qty_kind_is_money(TOP_KINDS[k])
                               ? GPB_CURRENCY_CNY
                               : GPB_CURRENCY_NONE;
        round_trip(TOP_KINDS[k], x, cur, style, sig);
    }
    round_trip(GPB_QTY_MONEY, x, GPB_CURRENCY_NONE, style, sig);
    round_trip(GPB_QTY_NUMBER, -x, GPB_CURRENCY_NONE, style, sig);
}

START_TEST(test_round_trip_top)
{
    static const double xs[] = {1e308,    1.05e308, 1.25e308,
                                1.45e308, 1.5e308,  1.55e308,
                                1.75e308, 1.795e308, 1.7976931348623e308,
                                DBL_MAX / 2};
    gpb_format_style style = _i % 2 ? GPB_STYLE_ZH : GPB_STYLE_EN;
    for (int sig = 1; sig <= 17; sig++) {
        double x = DBL_MAX;
        for (int j = 0; j <= 16; j++, x = nextafter(x, 0))
            round_trip_top(x, style, sig);
        for (size_t j = 0; j < sizeof xs / sizeof xs[0]; j++)
            round_trip_top(xs[j], style, sig);
    }
}
END_TEST

/* Durations are read back in hours from years, one more rounding: the
   2,000 doubles below the largest, at 1-17 digits. */
START_TEST(test_round_trip_top_durations)
{
    gpb_format_style style = _i % 2 ? GPB_STYLE_ZH : GPB_STYLE_EN;
    double x = DBL_MAX;
    for (int j = 0; j < 2000; j++, x = nextafter(x, 0))
        for (int sig = 1; sig <= 17; sig++)
            round_trip(GPB_QTY_DURATION, x, GPB_CURRENCY_NONE, style, sig);
}
END_TEST

/* What the top of the range shows: the fewest digits that read back. */
START_TEST(test_format_top)
{
    char buf[64];
    gpb_units_format_number(DBL_MAX, GPB_STYLE_EN, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "1.79769e308");
    gpb_units_format_number(DBL_MAX, GPB_STYLE_ZH, 6, buf, sizeof buf);
    ck_assert_str_eq(buf, "1.79769e308");
    gpb_units_format_number(-DBL_MAX, GPB_STYLE_EN, 3, buf, sizeof buf);
    ck_assert_str_eq(buf, "-1.79769e308");
    gpb_units_format_money(DBL_MAX, GPB_CURRENCY_USD, GPB_STYLE_EN, 2, buf,
                           sizeof buf);
    ck_assert_str_eq(buf, "$1.79769e308");
    /* 1.5e308 rounds up to 2e308 at one digit; 1.5e308 takes two. */
    gpb_units_format_money(1.5e308, GPB_CURRENCY_CNY, GPB_STYLE_ZH, 1, buf,
                           sizeof buf);
    ck_assert_str_eq(buf, "¥1.5e308");
    /* 17 digits carry the double; 15 and 16 would round up past it. */
    gpb_units_format_number(DBL_MAX, GPB_STYLE_EN, 15, buf, sizeof buf);
    ck_assert_str_eq(buf, "1.7976931348623157e308");
    /* Below DBL_MAX / 2 rounding cannot overflow: sig digits as asked. */
    gpb_units_format_number(8e307, GPB_STYLE_EN, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "8e307");
    gpb_units_format_number(1.6e307, GPB_STYLE_EN, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "2e307");
}
END_TEST

/* With 17 significant digits the text carries the double itself. */
START_TEST(test_round_trip_full_precision)
{
    static const double xs[] = {0.1, 1.0 / 3, 2e10 / 3, 123456789.123,
                                6.02214076e23, 7.1048868778280543};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        round_trip(GPB_QTY_NUMBER, xs[i], GPB_CURRENCY_NONE, GPB_STYLE_EN,
                   17);
        round_trip(GPB_QTY_MONEY, xs[i], GPB_CURRENCY_CNY, GPB_STYLE_ZH,
                   17);
    }
}
END_TEST

/*
 * With the parser rounding once, a formatted value reads back as exactly
 * the decimal it shows, which is x rounded to s significant digits:
 * parse(format(x, s)) == strtod("%.<s-1>e" of x), bit for bit; with 17
 * digits that is x itself. This holds for every kind whose unit is a power
 * of ten of the value's unit (numbers, money, prices per hour, per kWh and
 * per million tokens, sizes). Durations are left out: "3.1 months" is
 * 3.1 × 730.5 hours, a decimal the format never showed. Returns 1 and
 * describes the first failure in first.
 */
static long round_trip_exact(gpb_qty_kind kind, double x, gpb_currency cur,
                             gpb_format_style style, int sig, char *first,
                             size_t n)
{
    char buf[128], dec[64];
    gpb_quantity q = {x, kind, cur}, back = {NAN, GPB_QTY_COUNT, cur};
    gpb_units_format_quantity(&q, style, sig, buf, sizeof buf);
    snprintf(dec, sizeof dec, "%.*e", sig - 1, x);
    double want = strtod(dec, NULL);
    gpb_status st = gpb_units_parse_as(buf, kind, &back, NULL);
    if (st == GPB_OK && bits_eq(back.value, want) && back.currency == cur)
        return 0;
    if (!first[0])
        snprintf(first, n, "%.17g (style %d, sig %d) -> '%s' -> %.17g, "
                 "want %.17g (status %d)", x, (int)style, sig, buf,
                 back.value, want, (int)st);
    return 1;
}

START_TEST(test_round_trip_exact)
{
    static const int sigs[] = {1, 2, 3, 4, 5, 6, 17};
    gpb_format_style style = _i % 2 ? GPB_STYLE_ZH : GPB_STYLE_EN;
    int sig = sigs[_i / 2];
    char first[400] = "";
    long bad = 0, n = 0;
    for (int k = -6; k <= 24; k++)
        for (size_t j = 0; j < sizeof MANTISSAS / sizeof MANTISSAS[0];
             j++) {
            double x = MANTISSAS[j] * pow(10, k);
            bad += round_trip_exact(GPB_QTY_NUMBER, x, GPB_CURRENCY_NONE,
                                    style, sig, first, sizeof first);
            bad += round_trip_exact(GPB_QTY_NUMBER, -x, GPB_CURRENCY_NONE,
                                    style, sig, first, sizeof first);
            for (int c = 0; c < GPB_CURRENCY_COUNT; c++)
                bad += round_trip_exact(GPB_QTY_MONEY, x, (gpb_currency)c,
                                        style, sig, first, sizeof first);
            bad += round_trip_exact(GPB_QTY_MONEY_PER_HOUR, x,
                                    GPB_CURRENCY_CNY, style, sig, first,
                                    sizeof first);
            bad += round_trip_exact(GPB_QTY_MONEY_PER_KWH, x,
                                    GPB_CURRENCY_USD, style, sig, first,
                                    sizeof first);
            bad += round_trip_exact(GPB_QTY_MONEY_PER_MTOKEN, x,
                                    GPB_CURRENCY_EUR, style, sig, first,
                                    sizeof first);
            bad += round_trip_exact(GPB_QTY_BYTES, x, GPB_CURRENCY_NONE,
                                    style, sig, first, sizeof first);
            n += 10;
        }
    ck_assert_msg(bad == 0, "%ld of %ld round trips: first %s", bad, n,
                  first);
}
END_TEST

/* Every three-decimal mantissa under each power of ten a format may pick
   (k, 万, M, 亿, B, T / 万亿): formatted with 17 digits ("16.1k",
   "¥1.61万"), it reads back as the same double. */
START_TEST(test_round_trip_exact_mantissas)
{
    static const int exps[] = {0, 3, 4, 6, 8, 9, 12, 15};
    char plain[64], first[400] = "";
    long bad = 0;
    for (size_t k = 0; k < sizeof exps / sizeof exps[0]; k++)
        for (long m = MANT_LO; m <= MANT_HI; m++) {
            snprintf(plain, sizeof plain, "%ld.%03lde%d", m / 1000,
                     m % 1000, exps[k]);
            double x = strtod(plain, NULL);
            bad += round_trip_exact(GPB_QTY_NUMBER, x, GPB_CURRENCY_NONE,
                                    (gpb_format_style)_i, 17, first,
                                    sizeof first);
            bad += round_trip_exact(GPB_QTY_MONEY, x, GPB_CURRENCY_CNY,
                                    (gpb_format_style)_i, 17, first,
                                    sizeof first);
        }
    ck_assert_msg(bad == 0, "%ld round trips: first %s", bad, first);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *units_suite(void)
{
    Suite *s = suite_create("units");
    TCase *tc;

    tc = tcase_create("parse_numbers");
    tcase_add_loop_test(tc, test_numbers, 0, NCASES(NUMBER_CASES));
    tcase_add_test(tc, test_subnormal_kept);
    tcase_add_test(tc, test_long_number);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_money");
    tcase_add_loop_test(tc, test_money, 0, NCASES(MONEY_CASES));
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_rates");
    tcase_add_loop_test(tc, test_rates, 0, NCASES(RATE_CASES));
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_durations");
    tcase_add_loop_test(tc, test_durations, 0, NCASES(DURATION_CASES));
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_bytes");
    tcase_add_loop_test(tc, test_bytes, 0, NCASES(BYTES_CASES));
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_errors");
    tcase_add_loop_test(tc, test_malformed, 0, NCASES(BAD_CASES));
    tcase_add_test(tc, test_null_and_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_as");
    tcase_add_test(tc, test_parse_as_accepts);
    tcase_add_loop_test(tc, test_parse_as_refuses, 0, NCASES(AS_CASES));
    tcase_add_test(tc, test_parse_number_refuses);
    suite_add_tcase(s, tc);

    tc = tcase_create("currency_fx");
    tcase_add_test(tc, test_currency_names);
    tcase_add_test(tc, test_currency_from_code);
    tcase_add_test(tc, test_fx_default);
    tcase_add_test(tc, test_fx_convert);
    suite_add_tcase(s, tc);

    tc = tcase_create("format");
    tcase_add_loop_test(tc, test_format, 0, NCASES(FMT_CASES));
    tcase_add_test(tc, test_format_functions);
    tcase_add_test(tc, test_format_truncation);
    tcase_add_test(tc, test_format_invalid);
    tcase_add_test(tc, test_format_top);
    tcase_add_test(tc, test_locale_independent);
    suite_add_tcase(s, tc);

    tc = tcase_create("fractions");
    tcase_add_loop_test(tc, test_fraction_hint, 0, NCASES(HINT_CASES));
    tcase_add_test(tc, test_fraction_hint_buffers);
    tcase_add_loop_test(tc, test_parse_fraction, 0, NCASES(FRAC_CASES));
    tcase_add_test(tc, test_parse_fraction_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("correct_rounding");
    tcase_add_loop_test(tc, test_scale_correctly_rounded, 0,
                        NCASES(SCALE_CASES));
    tcase_add_loop_test(tc, test_scale_full_range, 0, 3);
    tcase_add_loop_test(tc, test_duration_correctly_rounded, 0,
                        NCASES(HOURS_CASES));
    tcase_add_test(tc, test_scale_reported_cases);
    suite_add_tcase(s, tc);

    tc = tcase_create("round_trip");
    /* loop index: style = i % 2, significant digits = 1 + i / 2 (1..6) */
    tcase_add_loop_test(tc, test_round_trip_numbers_money, 0, 12);
    tcase_add_loop_test(tc, test_round_trip_other_kinds, 0, 12);
    tcase_add_test(tc, test_round_trip_duration_edges);
    tcase_add_test(tc, test_round_trip_full_precision);
    /* loop index: style = i % 2, digits = 1..6 and 17 (i / 2) */
    tcase_add_loop_test(tc, test_round_trip_exact, 0, 14);
    tcase_add_loop_test(tc, test_round_trip_exact_mantissas, 0, 2);
    /* loop index: style */
    tcase_add_loop_test(tc, test_round_trip_top, 0, 2);
    tcase_add_loop_test(tc, test_round_trip_top_durations, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(units_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
