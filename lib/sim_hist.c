/*
 * The engine's streaming month histograms (lib/sim_internal.h): fixed bins
 * per month whose range a pilot run sets, integer counts that merge exactly
 * in any order, and quantiles read back by linear interpolation in a bin.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

/* Histogram range = pilot range widened by this share of its width. */
#define RANGE_MARGIN 0.25

int gpb__hist_set_init(hist_set *h, int months, const hist_set *ranges)
{
    memset(h, 0, sizeof *h);
    h->months = months;
    h->cash = calloc((size_t)months, sizeof *h->cash);
    h->runmin = calloc((size_t)months, sizeof *h->runmin);
    h->storage = calloc((size_t)months * 2 * GPB_SIM_FAN_BINS,
                        sizeof *h->storage);
    if (!h->cash || !h->runmin || !h->storage)
        return -1;
    for (int m = 0; m < months; m++) {
        month_hist *hs[2] = {&h->cash[m], &h->runmin[m]};
        for (int k = 0; k < 2; k++) {
            hs[k]->count = h->storage + ((size_t)m * 2 + (size_t)k) *
                                            GPB_SIM_FAN_BINS;
            hs[k]->min = INFINITY;
            hs[k]->max = -INFINITY;
            if (ranges) {
                const month_hist *r = k ? &ranges->runmin[m] : &ranges->cash[m];
                hs[k]->lo = r->lo;
                hs[k]->width = r->width;
            }
        }
    }
    return 0;
}

void gpb__hist_set_free(hist_set *h)
{
    free(h->cash);
    free(h->runmin);
    free(h->storage);
}

/* Fixes each month's bin range from the pilot's extremes. */
void gpb__hist_set_ranges_from(hist_set *h)
{
    for (int m = 0; m < h->months; m++) {
        month_hist *hs[2] = {&h->cash[m], &h->runmin[m]};
        for (int k = 0; k < 2; k++) {
            double lo = hs[k]->min, hi = hs[k]->max;
            double w = hi - lo;
            double scale = fmax(fabs(lo), fabs(hi));
            if (!(w > 1e-9 * scale) || !(w > 0))
                w = scale > 0 ? scale * 1e-3 : 1.0;
            hs[k]->lo = lo - RANGE_MARGIN * w;
            hs[k]->width = w * (1 + 2 * RANGE_MARGIN) / GPB_SIM_FAN_BINS;
        }
    }
}

void gpb__hist_merge(month_hist *into, const month_hist *from)
{
    if (from->min < into->min)
        into->min = from->min;
    if (from->max > into->max)
        into->max = from->max;
    into->under += from->under;
    into->over += from->over;
    for (size_t b = 0; b < GPB_SIM_FAN_BINS; b++)
        into->count[b] += from->count[b];
}

/*
 * The p-quantile of a histogram of n values: the value below which a share
 * p lies, interpolating linearly inside the bin that holds it. The
 * underflow bin spans [min, lo] and the overflow bin [hi, max].
 */
double gpb__hist_quantile(const month_hist *h, uint64_t n, double p)
{
    if (n == 0)
        return NAN;
    if (p <= 0)
        return h->min;
    if (p >= 1)
        return h->max;
    double target = p * (double)n;
    double cum = 0;
    double hi_edge = h->lo + h->width * GPB_SIM_FAN_BINS;
    if (h->under) {
        if (target <= cum + (double)h->under) {
            double f = (target - cum) / (double)h->under;
            double top = fmin(h->lo, h->max);
            return h->min + f * (top - h->min);
        }
        cum += (double)h->under;
    }
    for (size_t b = 0; b < GPB_SIM_FAN_BINS; b++) {
        uint32_t c = h->count[b];
        if (c && target <= cum + c) {
            double f = (target - cum) / c;
            double left = h->lo + h->width * (double)b;
            double x = left + f * h->width;
            /* Never report beyond what was seen. */
            return fmin(fmax(x, h->min), h->max);
        }
        cum += c;
    }
    double f = h->over ? (target - cum) / (double)h->over : 1.0;
    double bottom = fmax(hi_edge, h->min);
    return fmin(bottom + f * (h->max - bottom), h->max);
}

