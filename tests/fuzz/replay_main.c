/*
 * The replay driver: runs a harness's LLVMFuzzerTestOneInput, and so its
 * property checks, over saved inputs, without libFuzzer. Linked with each
 * harness in every build (gcc, plain and with the sanitizers), it is what
 * `meson test` runs over the seed corpora and tests/data/fuzz/.
 *
 *   replay_SURFACE [--lines] PATH...
 *
 * A file is one input; a directory is every regular file under it, in
 * name order (names that start with '.' are skipped).
 * After --lines, and in any file whose name ends in ".lines", each line
 * is one input instead:
 * blank lines and lines starting with '#' are skipped, and the escapes
 * \n, \t, \\, \| (a literal bar, for the cells harness) and \xHH stand for
 * the bytes they name. The empty input is always run first, as libFuzzer
 * does.
 *
 * Exit status 0 when every input passed; a harness that finds a property
 * violated traps, and the driver names the input that did it before the
 * process dies.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#if defined(__SANITIZE_ADDRESS__)
#define REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REPLAY_ASAN 1
#endif
#endif
#ifndef REPLAY_ASAN
#define REPLAY_ASAN 0
#endif

static char g_current[4096];
static size_t g_count;

/* Names the input being run when the process dies (async-signal-safe). */
static void on_fatal(int sig)
{
    static const char head[] = "replay: failing input: ";
    ssize_t r = write(2, head, sizeof head - 1);
    r = write(2, g_current, strlen(g_current));
    r = write(2, "\n", 1);
    (void)r;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void run(const char *name, const uint8_t *data, size_t size)
{
    snprintf(g_current, sizeof g_current, "%s", name);
    LLVMFuzzerTestOneInput(data, size);
    g_count++;
}

static int read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            return -1;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        uint8_t *t = realloc(buf, cap);
        if (!t)
            free(buf);
        buf = t;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *size = n;
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the escapes of one line in place; returns its length. */
static size_t unescape(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] != '\\' || !s[i + 1]) {
            s[o++] = s[i];
            continue;
        }
        char c = s[++i];
        if (c == 'n')
            s[o++] = '\n';
        else if (c == 't')
            s[o++] = '\t';
        else if (c == 'x' && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            s[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            s[o++] = c; /* \\ and \| and anything else: the character */
        }
    }
    return o;
}

static int replay_lines(const char *path)
{
    uint8_t *data;
    size_t size;
    if (read_file(path, &data, &size)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 1;
    }
    char *text = malloc(size + 1);
    if (!text)
        return 1;
    memcpy(text, data, size);
    text[size] = '\0';
    free(data);
    size_t lineno = 0;
    for (char *p = text; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        if (*p && *p != '#') {
            char name[4096];
            snprintf(name, sizeof name, "%s:%zu: %s", path, lineno, p);
            size_t n = unescape(p);
            /* An exact copy, so that reads past the end are caught. */
            uint8_t *in = malloc(n ? n : 1);
            if (!in)
                return 1;
            memcpy(in, p, n);
            run(name, in, n);
            free(in);
        }
        p = nl ? nl + 1 : NULL;
    }
    free(text);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static int replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st)) {
        fprintf(stderr, "replay: no such file or directory: %s\n", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode) && has_suffix(path, ".lines"))
        return replay_lines(path);
    if (!S_ISDIR(st.st_mode)) {
        uint8_t *data;
        size_t size;
        if (read_file(path, &data, &size)) {
            fprintf(stderr, "replay: cannot read %s\n", path);
            return 1;
        }
        run(path, data, size);
        free(data);
        return 0;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **t = realloc(names, cap * sizeof *names);
            if (!t)
                return 1;
            names = t;
        }
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n])
            return 1;
        snprintf(names[n++], len, "%s/%s", path, de->d_name);
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        rc |= replay_path(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    /* AddressSanitizer reports memory faults itself and then aborts
       (abort_on_error=1): catch the abort, and leave it the faults. */
    signal(SIGILL, on_fatal);
    signal(SIGABRT, on_fatal);
    signal(SIGTRAP, on_fatal);
    if (!REPLAY_ASAN) {
        signal(SIGSEGV, on_fatal);
        signal(SIGFPE, on_fatal);
        signal(SIGBUS, on_fatal);
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    run("(empty input)", (const uint8_t *)"", 0);
    int rc = 0, lines = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--lines")) {
            lines = 1;
            continue;
        }
        rc |= lines ? replay_lines(argv[i]) : replay_path(argv[i]);
    }
    printf("replay: %zu inputs, %s\n", g_count,
           rc ? "some paths could not be read" : "every property held");
    return rc;
}
