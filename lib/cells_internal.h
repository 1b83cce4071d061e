/*
 * What the two halves of the cells layer share (cells.c: arguments, errors
 * and the closed forms; cells_scenario.c: the Monte Carlo cache). Not
 * installed.
 */
#ifndef GPB_CELLS_INTERNAL_H
#define GPB_CELLS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gpubudget/cells.h"
#include "gpubudget/units.h"
#include "internal.h"

/* Amounts of money one call can hold (arguments, options, defaults). */
#define GPB__CELLS_MAX_MONEY 24

/*
 * One call's state: its error, and the amounts of money it read, so that
 * they can be brought into one currency before use (cells.h, "Money").
 */
typedef struct gpb__cell {
    gpb_error err;
    struct {
        double *value;     /* where the amount lives (borrowed) */
        gpb_currency cur;  /* as written; NONE for a bare number */
        int user;          /* 1: from an argument; 0: a default in USD */
        unsigned order;    /* when a user amount was read */
    } money[GPB__CELLS_MAX_MONEY];
    size_t n_money;
    unsigned next_order;
    gpb_currency cur; /* the call's currency, once decided */
} gpb__cell;

/* Starts a call. */
void gpb__cell_begin(gpb__cell *c);

/*
 * Ends a call: on st == GPB_OK (and a finite v) clears the thread's last
 * error and returns v; otherwise stores c->err (formatted with
 * gpb_error_format) as the thread's last error and returns NaN.
 */
double gpb__cell_end(gpb__cell *c, gpb_status st, double v);

/* Fills c->err with "name: message" and returns st. */
gpb_status gpb__cell_fail(gpb__cell *c, gpb_status st, const char *name,
                          const char *fmt, ...) GPB__PRINTF(4, 5);

/* 1 when an argument is "not given": NULL, empty or only blanks. */
int gpb__cell_blank(const char *text);

/*
 * A number argument. When the text is blank, *out = dflt, or GPB_EINVAL
 * ("name is required") when dflt is NaN. Errors name the argument.
 */
gpb_status gpb__cell_number(gpb__cell *c, const char *name, const char *text,
                            double dflt, double *out);

/*
 * A fraction argument (an argument named *_frac, an MFU, a confidence):
 * "0.4" or "40%", within bounds (blank: dflt, or required when NaN). Above
 * 1 it fails with the units layer's hint: "mfu: expected a fraction in
 * (0, 1], found '40'; did you mean 40% = 0.40?".
 */
gpb_status gpb__cell_fraction(gpb__cell *c, const char *name,
                              const char *text, double dflt,
                              gpb_frac_bounds bounds, double *out);

/*
 * A whole number in [lo, hi] (blank: dflt, or required when NaN).
 */
gpb_status gpb__cell_whole(gpb__cell *c, const char *name, const char *text,
                           double dflt, double lo, double hi, double *out);

/*
 * A seed: blank gives dflt; otherwise a whole number in [0, 2^64), read
 * exactly when written as digits.
 */
gpb_status gpb__cell_seed(gpb__cell *c, const char *name, const char *text,
                          uint64_t dflt, uint64_t *out);

/*
 * A money argument. `want` is GPB_QTY_MONEY, GPB_QTY_MONEY_PER_HOUR (a bare
 * amount or number counts as per hour) or GPB_QTY_MONEY_PER_KWH (likewise
 * per kWh). Stores the value at *slot and remembers the slot and its
 * currency for gpb__cell_money_finish. A blank text is an error (callers
 * test gpb__cell_blank first for optional amounts).
 */
gpb_status gpb__cell_money(gpb__cell *c, const char *name, const char *text,
                           gpb_qty_kind want, double *slot);

/* Records a default amount in US dollars at *slot. */
gpb_status gpb__cell_money_default(gpb__cell *c, double *slot, double usd);

/*
 * Decides the call's currency (the first one a user amount names, else
 * USD) and converts every amount recorded into it at gpb_units_fx_default()
 * rates.
 */
gpb_status gpb__cell_money_finish(gpb__cell *c);

#endif /* GPB_CELLS_INTERNAL_H */
