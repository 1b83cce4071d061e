/*
 * Internal interface between the planner's files (plan.c, plan_runs.c).
 * Not installed.
 */
#ifndef GPB_PLAN_INTERNAL_H
#define GPB_PLAN_INTERNAL_H

#include "gpubudget/plan.h"

/*
 * A planning problem with every default filled in and every figure
 * checked: the model's shape, the card's figures after the spec's
 * overrides, the batch. Built by gpb__plan_setup.
 *
 *   layer_active  parameters of one layer that every token uses
 *   layer_pool    expert parameters of one layer beyond those, which
 *                 expert parallelism shards (0 for a dense model)
 *   embed         vocab · hidden, the embedding (and tied output) matrix
 *   usable        bytes of memory the plan may fill
 */
typedef struct gpb__plan_problem {
    gpb_plan_software software;
    double params, active, experts, top_k;
    double layers, hidden, heads, vocab, seq;
    int shape_inferred;
    double batch_tokens, gpus;
    double peak, mem, mem_bw, node, bw_in, bw_out, usable;
    double embed, layer_active, layer_pool;
} gpb__plan_problem;

gpb_status gpb__plan_setup(const gpb_plan_spec *spec,
                             gpb__plan_problem *pr, gpb_error *err);

/* Prices one layout of a normalised problem (gpb_plan_evaluate). */
gpb_status gpb__plan_eval(const gpb__plan_problem *pr,
                          const gpb_plan_layout *layout,
                          gpb_plan_result *out, gpb_error *err);

#endif
