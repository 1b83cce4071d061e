/*
 * Scenario fixtures as data, shared by the scenario layer's suites:
 * every directory tests/data/<kind>/<case>/ holds input.yaml and
 * expected.txt, which lists
 *     status: ESCHEMA        (optional) the status the load returns
 *     count: N               (optional) how many problems are reported
 * then one block per problem, in file order, blocks separated by "---":
 *     line: N
 *     column: N
 *     path: training[0].mfu  (exact; empty for problems outside keys)
 *     message: <a substring of the message>
 * tests/data/invalid holds scenarios that fail to load (test_scenario.c),
 * tests/data/warnings scenarios that load with warnings
 * (test_scenario_plan.c). Header-only: each test program includes it once.
 */
#ifndef GPB_TEST_FIXTURE_H
#define GPB_TEST_FIXTURE_H

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpubudget/common.h"

#define FIXTURE_MAX_CASES 256
#define FIXTURE_MAX_BLOCKS 64

static inline const char *fixture_data_dir(void)
{
    const char *d = getenv("GPB_TEST_DATA");
    return d ? d : "tests/data";
}

static inline int fixture_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The case names under tests/data/<kind>, sorted, into cases (new
   strings; free each). Returns how many; 0 when the directory is
   missing, which a suite's "enough fixtures" test then catches. */
static inline int fixture_find(const char *kind, char **cases)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", fixture_data_dir(), kind);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < FIXTURE_MAX_CASES) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(e->d_name) + 1;
        cases[n] = malloc(len);
        if (cases[n])
            memcpy(cases[n++], e->d_name, len);
    }
    closedir(d);
    qsort(cases, (size_t)n, sizeof cases[0], fixture_cmp_str);
    return n;
}

typedef struct fixture_block {
    int line, column;
    int has_line, has_column, has_path;
    char path[GPB_ERROR_PATH_MAX];
    char message[GPB_ERROR_MESSAGE_MAX];
} fixture_block;

typedef struct fixture_expect {
    const char *status; /* the name after "status: ", or NULL */
    char status_buf[32];
    int count;          /* -1 when not given */
    int n_blocks;
    fixture_block blocks[FIXTURE_MAX_BLOCKS];
} fixture_expect;

/* Reads tests/data/<kind>/<name>/expected.txt into x, and the input's
   path into input (of 1024 bytes). Fails the test when it is missing. */
static inline void fixture_read(const char *kind, const char *name,
                                char *input, fixture_expect *x)
{
    char exp_path[1024], line[1024];
    snprintf(input, 1024, "%s/%s/%s/input.yaml", fixture_data_dir(), kind,
             name);
    snprintf(exp_path, sizeof exp_path, "%s/%s/%s/expected.txt",
             fixture_data_dir(), kind, name);
    memset(x, 0, sizeof *x);
    x->count = -1;
    FILE *f = fopen(exp_path, "r");
    ck_assert_msg(f != NULL, "%s: no expected.txt", name);
    int nb = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strcmp(line, "---") == 0) {
            nb++;
            ck_assert_int_lt(nb, FIXTURE_MAX_BLOCKS);
            continue;
        }
        char *colon = strstr(line, ": ");
        if (!colon) {
            /* "path:" with nothing after it: an empty path. */
            if (strcmp(line, "path:") == 0)
                x->blocks[nb].has_path = 1;
            continue;
        }
        *colon = '\0';
        const char *v = colon + 2;
        fixture_block *b = &x->blocks[nb];
        if (strcmp(line, "status") == 0) {
            snprintf(x->status_buf, sizeof x->status_buf, "%s", v);
            x->status = x->status_buf;
        } else if (strcmp(line, "count") == 0) {
            x->count = atoi(v);
        } else if (strcmp(line, "line") == 0) {
            b->line = atoi(v), b->has_line = 1;
        } else if (strcmp(line, "column") == 0) {
            b->column = atoi(v), b->has_column = 1;
        } else if (strcmp(line, "path") == 0) {
            snprintf(b->path, sizeof b->path, "%s", v), b->has_path = 1;
        } else if (strcmp(line, "message") == 0) {
            snprintf(b->message, sizeof b->message, "%s", v);
        }
    }
    fclose(f);
    x->n_blocks = nb + 1;
}

/* Checks problem e against block b of case `name` (i its index, all the
   whole list for messages). */
static inline void fixture_check(const char *name, int i,
                                 const fixture_block *b, const gpb_error *e,
                                 const char *source, const char *all)
{
    ck_assert_msg(strcmp(e->source, source) == 0, "%s: source '%s'", name,
                  e->source);
    if (b->has_line)
        ck_assert_msg(e->line == b->line, "%s[%d]: line %d, expected %d:%s",
                      name, i, e->line, b->line, all);
    if (b->has_column)
        ck_assert_msg(e->column == b->column,
                      "%s[%d]: column %d, expected %d:%s", name, i, e->column,
                      b->column, all);
    if (b->has_path)
        ck_assert_msg(strcmp(e->path, b->path) == 0,
                      "%s[%d]: path '%s', expected '%s':%s", name, i, e->path,
                      b->path, all);
    if (b->message[0])
        ck_assert_msg(strstr(e->message, b->message) != NULL,
                      "%s[%d]: message '%s' lacks '%s'", name, i, e->message,
                      b->message);
}

#endif /* GPB_TEST_FIXTURE_H */
