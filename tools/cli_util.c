/* Output and error helpers for the gpubudget command. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdlib.h>

#include "cli.h"

#ifndef GPB_BUILD_TOOLS_DIR
#define GPB_BUILD_TOOLS_DIR ""
#endif

int cli_running_from_build_tree(void)
{
    char exe[PATH_MAX], build[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || !*GPB_BUILD_TOOLS_DIR ||
        !realpath(GPB_BUILD_TOOLS_DIR, build))
        return 0;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = 0;
    return strcmp(exe, build) == 0;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gpubudget: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_error_gpb(const char *what, const gpb_error *err)
{
    char buf[1024];
    gpb_error_format(err, buf, sizeof buf);
    if (what && *what)
        fprintf(stderr, "gpubudget: %s: %s\n", what, buf);
    else
        fprintf(stderr, "gpubudget: %s\n", buf);
}

int cli_format_warning(const gpb_error *e, char *buf, size_t n)
{
    /* gpb_error_format's parts, with "warning:" after the place. */
    int at = 0;
    if (e->source[0] && e->line > 0)
        at = snprintf(buf, n, "%s:%d:%d: ", e->source, e->line, e->column);
    else if (e->source[0])
        at = snprintf(buf, n, "%s: ", e->source);
    if (at < 0 || (size_t)at >= n)
        return at;
    int k = snprintf(buf + at, n - (size_t)at, "warning: %s%s%s", e->path,
                     e->path[0] ? ": " : "", e->message);
    return k < 0 ? k : at + k;
}

void cli_print_diagnostics(const gpb_diagnostics *d)
{
    for (size_t i = 0; i < gpb_diagnostics_count(d); i++) {
        const gpb_error *e = gpb_diagnostics_at(d, i);
        if (gpb_diagnostics_severity(d, i) != GPB_SEVERITY_WARNING) {
            cli_error_gpb(NULL, e);
            continue;
        }
        char line[sizeof(gpb_error) + 64];
        cli_format_warning(e, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

int cli_text_print(char *text)
{
    if (!text) {
        cli_error("out of memory while building JSON");
        return CLI_INTERNAL;
    }
    int rc = fputs(text, stdout) < 0 || fputc('\n', stdout) == EOF;
    gpb_free(text);
    return rc ? CLI_INTERNAL : CLI_OK;
}

void cli_error_field(const char *what, gpb_error *err)
{
    static const char *const options[] = {
        "gpu",   "gpus",      "days",   "mfu",          "price",
        "precision", "tokens", "params", "active_params"};
    static const char *const steps[] = {"memory", "interval"};
    char name[GPB_ERROR_PATH_MAX + 2];
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (!strcmp(err->path, options[i])) {
            /* The request's field as its option: active_params is
               --active-params. */
            snprintf(name, sizeof name, "--%s", options[i]);
            for (char *c = name; *c; c++)
                *c = *c == '_' ? '-' : *c;
            err->path[0] = 0;
            cli_error_gpb(name, err);
            return;
        }
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (!strcmp(err->path, steps[i])) {
            snprintf(name, sizeof name, "%s", steps[i]);
            err->path[0] = 0;
            cli_error_gpb(name, err);
            return;
        }
    cli_error_gpb(what, err);
}

int cli_json_print(json_t *value)
{
    if (!value) {
        cli_error("out of memory while building JSON");
        return CLI_INTERNAL;
    }
    int rc = json_dumpf(value, stdout,
                        JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    json_decref(value);
    fputc('\n', stdout);
    return rc == 0 ? CLI_OK : CLI_INTERNAL;
}

int cli_parse_qty(const char *opt, const char *text, gpb_qty_kind kind,
                  gpb_quantity *out)
{
    gpb_error err, e2;
    if (gpb_units_parse_as(text, kind, out, &err) != GPB_OK) {
        if ((kind == GPB_QTY_MONEY_PER_HOUR || kind == GPB_QTY_MONEY_PER_KWH) &&
            gpb_units_parse_as(text, GPB_QTY_MONEY, out, &e2) == GPB_OK) {
            out->kind = kind;
            return 0;
        }
        char where[64];
        snprintf(where, sizeof where, "--%s '%s'", opt, text);
        cli_error_gpb(where, &err);
        return -1;
    }
    return 0;
}

int cli_parse_number(const char *opt, const char *text, double *out)
{
    gpb_quantity q;
    if (cli_parse_qty(opt, text, GPB_QTY_NUMBER, &q) != 0)
        return -1;
    *out = q.value;
    return 0;
}

int cli_parse_fraction(const char *opt, const char *text,
                       gpb_frac_bounds bounds, double *out)
{
    gpb_error err;
    if (gpb_units_parse_fraction(text, bounds, out, &err) != GPB_OK) {
        char where[64];
        snprintf(where, sizeof where, "--%s '%s'", opt, text);
        cli_error_gpb(where, &err);
        return -1;
    }
    return 0;
}

/* Display columns of a UTF-8 string: East Asian wide characters (CJK
   ideographs, fullwidth forms) take two columns, everything else one. */
int cli_display_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int len;
        if (*p < 0x80) {
            cp = *p;
            len = 1;
        } else if ((*p & 0xe0) == 0xc0) {
            cp = *p & 0x1f;
            len = 2;
        } else if ((*p & 0xf0) == 0xe0) {
            cp = *p & 0x0f;
            len = 3;
        } else {
            cp = *p & 0x07;
            len = 4;
        }
        for (int i = 1; i < len && p[i]; i++)
            cp = (cp << 6) | (p[i] & 0x3f);
        for (int i = 0; i < len && *p; i++)
            p++;
        int wide = (cp >= 0x1100 && cp <= 0x115f) ||
                   (cp >= 0x2e80 && cp <= 0xa4cf) ||
                   (cp >= 0xac00 && cp <= 0xd7a3) ||
                   (cp >= 0xf900 && cp <= 0xfaff) ||
                   (cp >= 0xff00 && cp <= 0xff60) ||
                   (cp >= 0xffe0 && cp <= 0xffe6);
        w += wide ? 2 : 1;
    }
    return w;
}

void cli_print_right(const char *s, int width)
{
    int pad = width - cli_display_width(s);
    for (int i = 0; i < pad; i++)
        fputc(' ', stdout);
    fputs(s, stdout);
}

int cli_parse_whole(const char *opt, const char *text, double lo, double hi,
                    const char *hint, double *out)
{
    double v;
    if (cli_parse_number(opt, text, &v))
        return -1;
    if (!(v >= lo && v <= hi && v == floor(v))) {
        cli_error("--%s must be a whole number %s", opt, hint);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_run_size(const char *opt, const char *text, size_t *paths,
                       uint64_t *seed, int *threads)
{
    gpb_sim_options so;
    gpb_sim_options_default(&so);
    so.paths = *paths;
    so.seed = *seed;
    so.threads = *threads;
    if (cli_parse_sim_option(opt, text, &so))
        return -1;
    *paths = so.paths;
    *seed = so.seed;
    *threads = (int)so.threads;
    return 0;
}

int cli_parse_sim_option(const char *opt, const char *text,
                         gpb_sim_options *so)
{
    double v;
    if (!strcmp(opt, "paths")) {
        char hint[64];
        snprintf(hint, sizeof hint, "from 1 to %llu",
                 (unsigned long long)GPB_SIM_MAX_PATHS);
        if (cli_parse_whole(opt, text, 1, GPB_SIM_MAX_PATHS, hint, &v))
            return -1;
        so->paths = (size_t)v;
    } else if (!strcmp(opt, "seed")) {
        /* Digits, read exactly: a double rounded seeds above 2^53, so two
           seeds gave one run (a user review). */
        const char *q = text;
        uint64_t s = 0;
        int over = 0;
        for (; *q >= '0' && *q <= '9'; q++) {
            unsigned d = (unsigned)(*q - '0');
            over |= s > (GPB_SIM_MAX_SEED - d) / 10;
            s = s * 10 + d;
        }
        if (q > text && !*q && !over) {
            so->seed = s;
        } else if (q > text && !*q) {
            cli_error("--seed '%s': expected a whole number from 0 to %llu "
                      "(2^63 - 1)",
                      text, (unsigned long long)GPB_SIM_MAX_SEED);
            return -1;
        } else {
            /* Written with a unit ("8.03k"): through a double, so only
               up to 2^53, where every whole number is exact. */
            if (cli_parse_whole(opt, text, 0, 9007199254740992.0,
                                "from 0 to 2^53 when written with a unit; "
                                "up to 2^63 - 1 in digits",
                                &v))
                return -1;
            so->seed = (uint64_t)v;
        }
    } else if (!strcmp(opt, "threads")) {
        if (cli_parse_whole(opt, text, 0, 1024,
                            "from 0 (all cores) to 1024", &v))
            return -1;
        so->threads = (int)v;
    } else {
        return -1;
    }
    return 0;
}

/* 1 when st is the file open on standard output or standard error
   ("--csv /dev/stdout", or "--csv out.txt > out.txt"): replacing it by
   rename would leave the shell writing to an unlinked file. */
static FILE *std_stream(const struct stat *st)
{
    struct stat fs;
    if (fstat(1, &fs) == 0 && fs.st_dev == st->st_dev &&
        fs.st_ino == st->st_ino)
        return stdout;
    if (fstat(2, &fs) == 0 && fs.st_dev == st->st_dev &&
        fs.st_ino == st->st_ino)
        return stderr;
    return NULL;
}

/* The file path names: a symbolic link's target (so the link stays a
   link), or path itself; NULL with errno set when a link leads nowhere
   (ENOENT) or round (ELOOP). */
static const char *write_target(const char *path, char *buf, size_t n)
{
    struct stat ls;
    if (lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode)) {
        char *r = realpath(path, NULL);
        if (r && strlen(r) < n) {
            snprintf(buf, n, "%s", r);
            free(r);
            return buf;
        }
        int e = r ? ENAMETOOLONG : errno;
        free(r);
        errno = e;
        return NULL;
    }
    return path;
}

/* Writes text into an existing file that is not a regular one (a device
   such as /dev/null, a FIFO) in place: replacing it by rename would put a
   regular file where the device was (a user review found /dev/full so
   replaced). */
static int write_in_place(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return -1;
    }
    int ok = fputs(text, f) >= 0 && fflush(f) == 0;
    int err = ok ? 0 : errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        cli_error("cannot write '%s': %s", path,
                  err ? strerror(err) : "write error");
        return -1;
    }
    return 0;
}

int cli_write_file(const char *path_in, const char *text, int replace)
{
    /* What the path names, following links as open() would: a device, a
       pipe (/dev/stdout piped) or the file standard output goes to is
       written in place, never replaced. */
    struct stat st;
    int exists = stat(path_in, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        cli_error("cannot write '%s': it is a directory", path_in);
        return -1;
    }
    FILE *std = exists ? std_stream(&st) : NULL;
    if (std) {
        /* Through the stream itself, so the file keeps what the command
           printed before and gets what it prints after, in order. */
        if (!replace)
            return 1;
        if (fputs(text, std) < 0 || fflush(std) != 0) {
            cli_error("cannot write '%s': %s", path_in, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        if (!replace)
            return 1;
        return write_in_place(path_in, text);
    }
    char resolved[4096];
    const char *path = write_target(path_in, resolved, sizeof resolved);
    if (!path) {
        if (errno == ENOENT)
            cli_error("cannot write '%s': it is a symbolic link to a file "
                      "that does not exist",
                      path_in);
        else
            cli_error("cannot write '%s': %s", path_in, strerror(errno));
        return -1;
    }
    /* A fresh temporary name in path's directory (so rename and link stay
       on one file system), created only if nothing is there: never
       through a link another user planted. */
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) >=
        sizeof tmp) {
        cli_error("cannot write '%s': the name is too long", path_in);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error("cannot write '%s': %s", path_in, strerror(errno));
        return -1;
    }
    /* The mode the file had, or a new file's (0666 less the umask): not
       mkstemp's 0600, and never wider than the file was. */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        remove(tmp);
        cli_error("cannot write '%s': %s", path_in, strerror(errno));
        return -1;
    }
    int ok = fchmod(fd, mode) == 0 && fputs(text, f) >= 0 &&
             fflush(f) == 0 && (fsync(fd) == 0 || errno == EINVAL);
    int err = ok ? 0 : errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (ok && replace) {
        ok = rename(tmp, path) == 0;
        err = ok ? 0 : errno;
    } else if (ok) {
        ok = link(tmp, path) == 0;
        err = ok ? 0 : errno;
        if (!ok && err != EEXIST) {
            /* A file system without hard links: rename, after looking. */
            if (access(path, F_OK) == 0) {
                err = EEXIST;
            } else {
                ok = rename(tmp, path) == 0;
                err = ok ? 0 : errno;
            }
        }
        remove(tmp);
        if (!ok && err == EEXIST)
            return 1;
    }
    if (!ok) {
        remove(tmp);
        cli_error("cannot write '%s': %s", path_in,
                  err ? strerror(err) : "write error");
        return -1;
    }
    return 0;
}

/* path as one spelling: realpath where the file exists, else its
   directory's realpath and its name; path itself when neither resolves. */
static const char *canonical(const char *path, char *buf, size_t n)
{
    char *r = realpath(path, NULL);
    if (r) {
        snprintf(buf, n, "%s", r);
        free(r);
        return buf;
    }
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash) {
        snprintf(dir, sizeof dir, ".");
    } else if (slash == path) {
        snprintf(dir, sizeof dir, "/");
    } else {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    }
    r = realpath(dir, NULL);
    if (!r)
        return path;
    snprintf(buf, n, "%s/%s", strcmp(r, "/") ? r : "",
             slash ? slash + 1 : path);
    free(r);
    return buf;
}

int cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!strcmp(a, b))
        return 1;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ca[4200], cb[4200];
    return !strcmp(canonical(a, ca, sizeof ca), canonical(b, cb, sizeof cb));
}

int cli_check_outputs(const char *const *inputs, size_t n_inputs,
                      const char *const *opts, const char *const *outs,
                      size_t n_outs)
{
    for (size_t k = 0; k < n_outs; k++) {
        if (!outs[k])
            continue;
        for (size_t i = 0; i < n_inputs; i++)
            if (inputs[i] && cli_same_file(outs[k], inputs[i])) {
                cli_error("%s %s: that is the scenario file %s; give "
                          "another name",
                          opts[k], outs[k], inputs[i]);
                return CLI_BAD_INPUT;
            }
        for (size_t j = 0; j < k; j++)
            if (outs[j] && cli_same_file(outs[j], outs[k])) {
                cli_error("%s and %s both write %s; give each its own file",
                          opts[j], opts[k], outs[k]);
                return CLI_BAD_INPUT;
            }
    }
    return CLI_OK;
}
