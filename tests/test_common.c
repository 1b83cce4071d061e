/* Tests for the common layer: status strings, error records, helpers. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/common.h"
#include "internal.h"

START_TEST(status_strings_cover_every_code)
{
    /* Every code in the map has its own text; unknown values get a fixed one. */
#define X(name, num, text) ck_assert_str_eq(gpb_status_str(num), text);
    GPB_STATUS_MAP(X)
#undef X
    ck_assert_str_eq(gpb_status_str(GPB_OK), "success");
    ck_assert_str_eq(gpb_status_str(-1), "unknown status");
    ck_assert_str_eq(gpb_status_str(9999), "unknown status");
}
END_TEST

START_TEST(status_numbers_are_stable)
{
    /* Numbers are part of the ABI and must never change (curl's rule). */
    ck_assert_int_eq(GPB_OK, 0);
    ck_assert_int_eq(GPB_EINVAL, 1);
    ck_assert_int_eq(GPB_ESYNTAX, 2);
    ck_assert_int_eq(GPB_ENOTFOUND, 5);
    ck_assert_int_eq(GPB_ESCHEMA, 8);
    ck_assert_int_eq(GPB_ENOTPD, 14);
}
END_TEST

START_TEST(error_format_includes_location)
{
    gpb_error e;
    char buf[256];
    gpb__fail_at(&e, GPB_ESCHEMA, "a.yaml", 3, 7, "training[0].mfu",
                 "expected a number, found '%s'", "abc");
    ck_assert_int_eq(e.status, GPB_ESCHEMA);
    gpb_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf,
                     "a.yaml:3:7: training[0].mfu: expected a number, found 'abc'");

    gpb__fail(&e, GPB_EINVAL, "bad %d", 5);
    gpb_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "bad 5");
    ck_assert_int_eq(e.line, 0);

    /* NULL error records are allowed everywhere. */
    ck_assert_int_eq(gpb__fail(NULL, GPB_ERANGE, "x"), GPB_ERANGE);
    gpb_error_clear(NULL);
    gpb_error_clear(&e);
    ck_assert_int_eq(e.status, GPB_OK);
    ck_assert_str_eq(e.message, "");
}
END_TEST

START_TEST(error_message_is_truncated_safely)
{
    gpb_error e;
    char longpath[1000];
    memset(longpath, 'k', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    gpb__fail_at(&e, GPB_EINVAL, longpath, 1, 1, longpath, "%s", longpath);
    ck_assert_uint_eq(strlen(e.source), GPB_ERROR_SOURCE_MAX - 1);
    ck_assert_uint_eq(strlen(e.path), GPB_ERROR_PATH_MAX - 1);
    ck_assert_uint_eq(strlen(e.message), GPB_ERROR_MESSAGE_MAX - 1);
}
END_TEST

START_TEST(edit_distance_known_values)
{
    /* Hand-computed Levenshtein distances. */
    ck_assert_int_eq(gpb__edit_distance("kitten", "sitting"), 3);
    ck_assert_int_eq(gpb__edit_distance("gpus", "gpu"), 1);
    ck_assert_int_eq(gpb__edit_distance("GPUS", "gpus"), 0);
    ck_assert_int_eq(gpb__edit_distance("", "abc"), 3);
    ck_assert_int_eq(gpb__edit_distance("mfu", ""), 3);
    ck_assert_int_eq(gpb__strcasecmp("H100", "h100"), 0);
    ck_assert_int_ne(gpb__strcasecmp("H100", "h200"), 0);
}
END_TEST

START_TEST(month_is_730_5_hours)
{
    ck_assert(fabs(GPB_HOURS_PER_MONTH - 365.25 * 24.0 / 12.0) < 1e-12);
    ck_assert(fabs(GPB_HOURS_PER_YEAR - 12 * GPB_HOURS_PER_MONTH) < 1e-12);
    ck_assert_str_eq(gpb_version(), GPB_VERSION_STRING);
}
END_TEST

static Suite *common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, status_strings_cover_every_code);
    tcase_add_test(tc, status_numbers_are_stable);
    tcase_add_test(tc, error_format_includes_location);
    tcase_add_test(tc, error_message_is_truncated_safely);
    tcase_add_test(tc, edit_distance_known_values);
    tcase_add_test(tc, month_is_730_5_hours);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(common_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
