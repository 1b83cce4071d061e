/* Goal seek for `gpubudget raise --target T --vary KEY` (cmd_seek.c). */
#ifndef GPB_CLI_SEEK_H
#define GPB_CLI_SEEK_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_seek_args {
    const char *scenario; /* NULL: the built-in one */
    const char *sets;     /* --set values, or NULL */
    const char *target;   /* "p_out_of_cash<=0.1", "cash.min.p50>=0", ... */
    const char *key;      /* the key to change */
    const char *range;    /* "LO..HI", or NULL */
    int months;           /* P(out of cash) by this many months; 0: horizon */
    size_t paths;
    uint64_t seed;
    int threads, quasi, json;
} cli_seek_args;

/* Finds and prints the value of key that meets the target, with its
   Monte Carlo range. Returns an exit status (2 also when the target does not
   change within the range). */
int cli_goal_seek(const cli_seek_args *a);

#endif
