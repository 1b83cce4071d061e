/*
 * The result of a simulation, shared by the engine (sim.c) and the result
 * accessors (result.c). Not installed.
 */
#ifndef GPB_SIM_INTERNAL_H
#define GPB_SIM_INTERNAL_H

#include <pthread.h>
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
    double **values;            /* [metric][path] */

    /* Sorted copies for quantiles, made on first use under `lock`. */
    pthread_mutex_t lock;
    double **sorted;

    size_t n_inputs;
    char **input_paths;  /* owned */
    double **inputs;     /* [input][path] */

    double *p_out_by;    /* [month], horizon + 1 entries */
    hist_set hist;
};

unsigned long gpb__sim_block_seed(uint64_t seed, uint64_t block);

/* The p-quantile of a month histogram holding n values. */
double gpb__hist_quantile(const month_hist *h, uint64_t n, double p);

#endif
