/*
 * Inverse CDFs over arrays (vquantile.c). Not installed.
 */
#ifndef GPB_VQUANTILE_H
#define GPB_VQUANTILE_H

#include <stddef.h>

/* z[i] = Φ⁻¹(u[i]) for u in (0, 1) (AS 241). z may alias u. */
void gpb__qnorm_lanes(const double *u, double *z, size_t n);

/* out[i] = exp(mu + sigma · z[i]). out may alias z. */
void gpb__lognormal_lanes(const double *z, double mu, double sigma,
                          double *out, size_t n);

#endif /* GPB_VQUANTILE_H */
