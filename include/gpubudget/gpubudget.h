/*
 * gpubudget/gpubudget.h: the whole public API. Each layer's header also
 * compiles on its own; this one includes them in layer order, lowest first.
 */
#ifndef GPUBUDGET_GPUBUDGET_H
#define GPUBUDGET_GPUBUDGET_H

#include "gpubudget/common.h"
#include "gpubudget/units.h"
#include "gpubudget/dist.h"
#include "gpubudget/hardware.h"
#include "gpubudget/compute.h"
#include "gpubudget/risk.h"
#include "gpubudget/scenario.h"
#include "gpubudget/sim.h"
#include "gpubudget/report.h"

#endif /* GPUBUDGET_GPUBUDGET_H */
