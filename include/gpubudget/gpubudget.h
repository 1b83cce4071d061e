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
#include "gpubudget/plan.h"
#include "gpubudget/finance.h"
#include "gpubudget/risk.h"
#include "gpubudget/scenario.h"
#include "gpubudget/sim.h"
#include "gpubudget/sensitivity.h"
#include "gpubudget/claims.h"
#include "gpubudget/report.h"
#include "gpubudget/cells.h"

#endif /* GPUBUDGET_GPUBUDGET_H */
