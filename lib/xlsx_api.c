/*
 * libxlsxwriter, loaded on first use (xlsx_api.h).
 */
#define GPB__XLSX_API_IMPL
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "xlsx_api.h"

/* The library's soname, from meson (the one the build found). */
#ifndef GPB_XLSXWRITER_SONAME
#define GPB_XLSXWRITER_SONAME "libxlsxwriter.so.4"
#endif

const gpb__xlsx_api *gpb__xl;

static gpb__xlsx_api table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char why[2 * GPB_ERROR_MESSAGE_MAX]; /* gpb__fail cuts it */

static void load(void)
{
    static const char *const names[] = {GPB_XLSXWRITER_SONAME,
                                        "libxlsxwriter.so"};
    char first[GPB_ERROR_MESSAGE_MAX] = ""; /* dlerror() of the soname */
    void *h = NULL;
    const char *tried = names[0];
    for (size_t i = 0; !h && i < sizeof names / sizeof *names; i++) {
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (h)
            tried = names[i];
        else if (i == 0)
            snprintf(first, sizeof first, "%s", dlerror());
    }
    if (!h) {
        snprintf(why, sizeof why,
                 "cannot load libxlsxwriter (%s), which writes workbooks: "
                 "%s (Debian: apt-get install libxlsxwriter4)",
                 tried, first);
        return;
    }
    void *sym;
#define GPB__XLSX_LOOKUP(f)                                                \
    sym = dlsym(h, #f);                                                    \
    if (!sym) {                                                            \
        snprintf(why, sizeof why,                                          \
                 "libxlsxwriter (%s) has no function %s: a version this "  \
                 "build does not know",                                    \
                 tried, #f);                                               \
        return; /* left loaded: dlclose could run its destructors */       \
    }                                                                      \
    memcpy(&table.f, &sym, sizeof table.f); /* object to function */
    GPB__XLSX_FUNCTIONS(GPB__XLSX_LOOKUP)
#undef GPB__XLSX_LOOKUP
    gpb__xl = &table;
}

gpb_status gpb__xlsx_load(gpb_error *err)
{
    pthread_once(&once, load);
    if (gpb__xl)
        return GPB_OK;
    return gpb__fail(err, GPB_EIO, "%s", why);
}
