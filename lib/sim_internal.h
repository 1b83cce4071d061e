/*
 * The result of a simulation, shared by the engine (sim.c) and the result
 * accessors (result.c). Not installed.
 */
#ifndef GPB_SIM_INTERNAL_H
#define GPB_SIM_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "gpubudget/sim.h"

typedef struct month_hist month_hist;

/* Histograms of closing cash and of its running minimum, per month. */
typedef struct hist_set {
    int months;
    month_hist *cash, *runmin;
    uint32_t *storage;
} hist_set;

struct month_hist {
    double lo, width;  /* bins cover [lo, lo + width · GPB_SIM_FAN_BINS) */
    double min, max;   /* exact extremes seen */
    uint64_t under, over;
    uint32_t *count;   /* GPB_SIM_FAN_BINS counters */
};

struct gpb_result {
    size_t paths;
    int horizon;
    gpb_currency currency;
    uint64_t seed;

    size_t n_metrics;
    char **metric_names;        /* owned */
    const char **metric_units;  /* static or the currency code */
    double **values;            /* [metric][path], views into `store` */
    double *store;              /* one block: metrics then inputs */

    /* Sorted copies for quantiles, made on first use under `lock`. */
    pthread_mutex_t lock;
    double **sorted;

    size_t n_inputs;
    char **input_paths;  /* owned */
    double **inputs;     /* [input][path], views into `store` */

    /* Units of each currency per US dollar on each path (views into
       `store`); NULL for NONE and USD, whose rate is 1. */
    double *per_usd[GPB_CURRENCY_COUNT];

    double *p_out_by;    /* [month], horizon + 1 entries */
    hist_set hist;
};

unsigned long gpb__sim_block_seed(uint64_t seed, uint64_t block);

/* The p-quantile of a month histogram holding n values. */
double gpb__hist_quantile(const month_hist *h, uint64_t n, double p);

/* Allocates months × 2 histograms (cash and running minimum); with
   `ranges`, copies their bin ranges. Returns 0, or -1 when out of memory
   (free with gpb__hist_set_free either way). */
int gpb__hist_set_init(hist_set *h, int months, const hist_set *ranges);
void gpb__hist_set_free(hist_set *h);
/* Fixes each month's bin range from the extremes seen so far (the pilot). */
void gpb__hist_set_ranges_from(hist_set *h);
void gpb__hist_merge(month_hist *into, const month_hist *from);

/* Counts x into h (bins only when count_bins; extremes always). */
static inline void gpb__hist_add(month_hist *h, double x, int count_bins)
{
    if (x < h->min)
        h->min = x;
    if (x > h->max)
        h->max = x;
    if (!count_bins)
        return;
    double pos = (x - h->lo) / h->width;
    if (!(pos >= 0)) {
        h->under++;
    } else if (pos >= GPB_SIM_FAN_BINS) {
        h->over++;
    } else {
        h->count[(size_t)pos]++;
    }
}


#endif
