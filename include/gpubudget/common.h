/*
 * gpubudget/common.h: status codes, the error record, memory release and the
 * constants every layer shares.
 *
 * Every call that can fail returns a gpb_status and, when the caller passes a
 * gpb_error, fills it with where and why. The library never prints, exits or
 * aborts on bad input.
 */
#ifndef GPUBUDGET_COMMON_H
#define GPUBUDGET_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(GPB_BUILDING_DLL)
#define GPB_API __declspec(dllexport)
#elif defined(__GNUC__)
#define GPB_API __attribute__((visibility("default")))
#else
#define GPB_API
#endif

#define GPB_VERSION_MAJOR 0
#define GPB_VERSION_MINOR 1
#define GPB_VERSION_PATCH 0
#define GPB_VERSION_STRING "0.1.0"

/*
 * The status codes, numbered once and never renumbered (curl's rule). Each
 * entry is X(NAME, number, description); GPB_<NAME> is the enum value and
 * gpb_status_str() returns the description.
 */
#define GPB_STATUS_MAP(X)                                                  \
    X(OK, 0, "success")                                                    \
    X(EINVAL, 1, "invalid argument")                                       \
    X(ESYNTAX, 2, "syntax error")                                          \
    X(ERANGE, 3, "value out of range")                                     \
    X(EUNIT, 4, "unknown or mismatched unit")                              \
    X(ENOTFOUND, 5, "not found")                                           \
    X(ENOMEM, 6, "out of memory")                                          \
    X(EIO, 7, "input/output error")                                        \
    X(ESCHEMA, 8, "scenario does not match the schema")                    \
    X(ENUMERIC, 9, "numerical failure")                                    \
    X(ECURRENCY, 10, "currency mismatch or missing exchange rate")         \
    X(ELIMIT, 11, "input exceeds a safety limit")                          \
    X(ECANCELLED, 12, "cancelled by the caller")                           \
    X(EUNSUPPORTED, 13, "not supported")                                   \
    X(ENOTPD, 14, "matrix is not positive definite")

typedef enum gpb_status {
#define GPB__STATUS_ENUM(name, num, text) GPB_##name = num,
    GPB_STATUS_MAP(GPB__STATUS_ENUM)
#undef GPB__STATUS_ENUM
} gpb_status;

/*
 * Returns a static description of any status value ("unknown status" for a
 * value outside the list). Never NULL.
 */
GPB_API const char *gpb_status_str(gpb_status status);

/*
 * Where and why a call failed. Owned by the caller (usually on the stack); the
 * library fills it on failure and leaves it untouched on success. All strings
 * are NUL-terminated and truncated to fit.
 *
 *   status   the code the call returned
 *   source   the file name (or "<string>", or "" when not about a file)
 *   line     1-based line, 0 when not applicable
 *   column   1-based column, 0 when not applicable
 *   path     key path inside a scenario ("training[0].mfu"), or ""
 *   message  a sentence a user can act on
 */
#define GPB_ERROR_SOURCE_MAX 256
#define GPB_ERROR_PATH_MAX 160
#define GPB_ERROR_MESSAGE_MAX 512

typedef struct gpb_error {
    gpb_status status;
    char source[GPB_ERROR_SOURCE_MAX];
    int line;
    int column;
    char path[GPB_ERROR_PATH_MAX];
    char message[GPB_ERROR_MESSAGE_MAX];
} gpb_error;

/* Resets an error record to "no error". Accepts NULL. */
GPB_API void gpb_error_clear(gpb_error *err);

/*
 * Formats an error as "source:line:column: path: message" (parts that are
 * empty or zero are left out) into buf of size n. Returns the length the full
 * text would have, as snprintf does.
 */
GPB_API int gpb_error_format(const gpb_error *err, char *buf, size_t n);

/* Frees a buffer the library allocated for the caller. Accepts NULL. */
GPB_API void gpb_free(void *ptr);

/* Returns the library's version string (static), e.g. "0.1.0". */
GPB_API const char *gpb_version(void);

/*
 * One month, everywhere in gpubudget: 365.25 days × 24 h / 12 = 730.5 hours.
 * The articles' 千卡/月 ("a thousand cards for a month") is 1000 GPU-months
 * of this length.
 */
#define GPB_HOURS_PER_MONTH 730.5
#define GPB_HOURS_PER_YEAR 8766.0
#define GPB_SECONDS_PER_HOUR 3600.0

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_COMMON_H */
