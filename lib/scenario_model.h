/*
 * The in-memory form of a loaded scenario, shared by the loader
 * (scenario.c) and the engine (engine*.c). Not installed: callers see only the
 * opaque gpb_scenario and its accessors in gpubudget/scenario.h.
 *
 * Every number of a scenario is an *input*: a distribution (gpb_dist, a fixed
 * one for a constant) with the key path it came from. The model below refers
 * to inputs by index (GPB__NONE when a key is absent), so the engine samples
 * all inputs of a path in one pass (through the copula when correlations are
 * given), converts money to the report currency, and then reads x[index].
 *
 * Invariants after a successful load:
 * - every index is GPB__NONE or < n_inputs;
 * - money inputs (kinds MONEY, MONEY_PER_HOUR, MONEY_PER_KWH,
 *   MONEY_PER_MTOKEN) have a currency (a bare number took the scenario's);
 * - month indices are whole numbers in [0, horizon_months] once sampled
 *   (the engine rounds to the nearest and clamps; horizon_months means
 *   "never within the horizon");
 * - names are unique within their list.
 */
#ifndef GPB_SCENARIO_MODEL_H
#define GPB_SCENARIO_MODEL_H

#include "gpubudget/common.h"
#include "gpubudget/dist.h"
#include "gpubudget/hardware.h"
#include "gpubudget/units.h"

#define GPB__NONE (-1)

/* Limits that keep a hostile or mistaken file from exhausting memory. */
#define GPB__MAX_HORIZON_MONTHS 600   /* 50 years */
#define GPB__MAX_LIST_ITEMS 1000      /* entries in any one list */
#define GPB__MAX_INPUTS 20000         /* numbers in one scenario */

typedef struct gpb__input {
    char *path;            /* key path, e.g. "training[0].mfu" (owned) */
    char *label;           /* for people, "pretrain: MFU" (owned; set by
                              gpb__sc_label_inputs once the load is clean) */
    gpb_dist dist;         /* owned; a fixed dist for a constant */
    gpb_qty_kind kind;     /* what the value measures */
    gpb_currency currency; /* for money kinds; the scenario's for bare numbers */
    int line, column;      /* 1-based, where the value starts */
    int per_event;         /* drawn by the engine at each event (e.g. the
                              work lost at a divergence), not once per path */
    gpb_input_domain domain; /* the key's range (gpb_scenario_input_domain) */
    const struct gpb__vspec *spec; /* what the key accepts (static), for
                                      gpb_scenario_input_read; NULL for an
                                      input made without one (mfu: auto) */
} gpb__input;

typedef struct gpb__source {
    char *id, *title, *outlet, *date, *quote, *url; /* owned; may be NULL */
} gpb__source;

typedef struct gpb__claim {
    char *id, *source, *says, *metric, *text; /* owned; text: the value as written */
    gpb_quantity value; /* the claimed value (currency kept as written) */
    int has_value;      /* 0 only for a context claim written without one */
    int line, column;
    int metric_line, metric_column; /* where its metric and value are */
    int value_line, value_column;   /* written (the item's when absent) */
    size_t item;        /* its index in the file's `claims:` list */
    char *context;      /* owned: why the claim is shown, not checked; NULL */
    char *why;          /* owned: why this reading and verdict; NULL */
    char **from_claim;  /* owned: input key paths taken from the claim */
    size_t n_from_claim;
} gpb__claim;

typedef struct gpb__funding {
    char *name;
    int month;       /* input: month the round would close */
    int amount;      /* input: money */
    int probability; /* input: probability the round closes, per path */
} gpb__funding;

typedef struct gpb__team_role {
    char *role;
    int count;           /* input: headcount in start_month */
    int add_per_month;   /* input: heads added each month after start */
    int max_count;       /* input or GPB__NONE: cap on headcount */
    int salary_per_year; /* input: money per head per year */
    int on_cost_frac;    /* input: on-costs as a fraction (0.3 → ×1.3) */
    int start_month;     /* input */
    int end_month;       /* input or GPB__NONE (the horizon) */
} gpb__team_role;

/* How a training run gets its GPUs. */
typedef enum gpb__acquire {
    GPB__ACQUIRE_RENT = 0,    /* on-demand rental */
    GPB__ACQUIRE_BUY = 1,     /* only the cards of its fleet; waits for them */
    GPB__ACQUIRE_MIX = 2,     /* its fleet's free cards, the rest rented */
    GPB__ACQUIRE_RESERVE = 3, /* reserved capacity: a commitment paid
                                 whether used or not, at a discount */
    GPB__ACQUIRE_SPOT = 4     /* spot: discounted, work lost to preemption */
} gpb__acquire;

/*
 * An owned fleet: cards bought in a month, delivered after a lead time
 * (later when an export-control delay strikes), run with power, hosting
 * and maintenance, depreciated, and sold at sell_month or at the end of
 * the horizon. Training runs with acquire buy or mix draw on it.
 */
typedef enum gpb__financing {
    GPB__FIN_CASH = 0,
    GPB__FIN_LOAN = 1,
    GPB__FIN_LEASE = 2
} gpb__financing;

typedef struct gpb__fleet {
    char *name;
    const gpb_gpu *gpu;      /* static catalog row */
    int gpus;                /* input */
    int price_per_gpu;       /* input: money per card */
    int premium;             /* input: export/scarcity multiplier (≥ 0) */
    int overhead_frac;       /* input: servers and network per card price */
    int buy_month;           /* input */
    int lead_time_months;    /* input */
    int delay_probability;   /* input: chance the delivery slips */
    int delay_months;        /* input: how far it slips */
    int tdp_watts;           /* input: per GPU, default the catalog's */
    int server_overhead;     /* input: server power per watt of GPU TDP */
    int pue;                 /* input */
    int idle_power_frac;     /* input */
    int tariff_per_kwh;      /* input: money per kWh */
    int colo_per_kw_month;   /* input: money per kW-month */
    int maintenance_frac_per_year; /* input */
    int depreciation_life_months;  /* input */
    int resale_decline_per_year;   /* input */
    int sell_month;          /* input or GPB__NONE (end of the horizon) */
    int rent_out_price_per_gpu_hour; /* input or GPB__NONE */
    int rent_out_utilization;        /* input: share of idle hours let */
    gpb__financing financing;
    int loan_frac, loan_rate_per_year, loan_months; /* inputs (loan) */
    int lease_frac_per_month;                       /* input (lease) */
    int line, column;
} gpb__fleet;

typedef struct gpb__training {
    char *name;
    int params;        /* input: total parameters */
    int active_params; /* input or GPB__NONE: active parameters (MoE) */
    int tokens;        /* input: training tokens */
    int n_layer, n_ctx, d_model; /* inputs or GPB__NONE: attention term */
    int recompute;     /* a gpb_recompute: FULL counts 8·N·D FLOPs */
    const gpb_gpu *gpu;   /* static catalog row */
    gpb_precision precision;
    double peak_flop_per_s; /* dense peak of gpu at precision */
    int peak_tflops;   /* input or GPB__NONE: overrides the catalog's dense
                          peak (TFLOP/s), e.g. for a clock or a datasheet */
    int bill_full_months; /* 1: the finishing month is paid in full;
                             0 (default): pro rata to the hours it needed */
    int gpus;          /* input: GPU count */
    int start_month;   /* input */
    int mfu;           /* input: model FLOPs utilisation, 0–1 */
    int price_per_gpu_hour; /* input: money per hour, the month-0 price */
    int follows_price_index; /* 1: price(m) = price(0) · index(m) */
    int exploration;   /* input: compute multiplier for experiments (≥ 1) */
    /* Hardware failures (all GPB__NONE when the run has no failures key). */
    int gpu_mtbf_hours;         /* input: per-GPU mean time between failures */
    int hours_lost_per_failure; /* input or GPB__NONE: cluster hours lost per
                                   failure, given directly */
    int checkpoint_minutes;     /* input or GPB__NONE: checkpoint interval */
    int restart_minutes;        /* input or GPB__NONE: restart time */
    /* When hours_lost_per_failure is absent the engine derives it per path
       from the checkpoint interval and restart time through the risk layer
       (half an interval of lost work plus the restart). */
    /* Divergence (GPB__NONE when absent; at most one of the two rates). */
    int divergence_per_month; /* input: probability per running month */
    int divergence_per_run;   /* input: probability over the whole run */
    int divergence_work_lost; /* per-event input: fraction of progress lost */
    int divergence_restart;   /* input or GPB__NONE: probability a divergence
                                 means starting over from scratch */
    gpb__acquire acquire;
    int fleet;               /* index into fleets (buy, mix), or GPB__NONE */
    int reserve_months;      /* input: commitment length (reserve) */
    int reserve_discount;    /* input: discount on the on-demand price */
    int spot_discount;       /* input (spot) */
    int spot_preemption_loss;/* input: share of spot hours lost (spot) */
    /* A capacity workload (`capacity:`): G GPUs kept from start_month for
       `months` months, busy a share `utilization` of each month's hours;
       it has no FLOPs (params, tokens, mfu are GPB__NONE). */
    int is_capacity;
    int utilization;   /* input (capacity) */
    int months;        /* input (capacity) */
    int line, column;
} gpb__training;

typedef struct gpb__serving {
    int present;
    int start_month;     /* input */
    int users_start;     /* input: users in start_month */
    int growth_per_month;   /* input: mean log-growth per month (per path) */
    int growth_volatility;  /* input: sd of the monthly log-growth shock */
    int max_users;       /* input or GPB__NONE: saturation cap */
    int cost_per_user_per_month; /* input: money, or GPB__NONE with model */
    int follows_price_index;     /* 1: cost scales with the GPU price index */
    /* Serving priced from tokens and throughput (`model:`): the load is
       users · requests · tokens / day, each GPU decodes at the compute
       layer's roofline rate, and the GPUs needed are rented (or taken from
       a fleet's free cards first). */
    int from_model;
    const gpb_gpu *gpu;
    double peak_flop_per_s;     /* gpu's dense peak at its default precision */
    int params, active_params;  /* inputs */
    int bytes_per_param, batch, context_tokens, kv_bytes_per_token;
    int mfu, bw_frac;           /* inputs */
    int requests_per_user_per_day, tokens_per_request, peak_to_mean;
    int utilization;            /* input: target busy share of serving GPUs */
    int price_per_gpu_hour;     /* input: money per hour */
    int fleet;                  /* index into fleets or GPB__NONE */
} gpb__serving;

typedef struct gpb__revenue {
    int present;
    int arpu_per_month;   /* input: money per user per month */
    int paying_frac;      /* input: fraction of users who pay */
} gpb__revenue;

typedef struct gpb__other_cost {
    char *name;
    int per_month;   /* input: money */
    int start_month; /* input */
    int end_month;   /* input or GPB__NONE */
} gpb__other_cost;

/*
 * Data work (`data:`, scenario_data.c): a corpus prepared from
 * start_month, costed by gpb_data_work_compute, booked as spend.data; the
 * runs it feeds start no earlier than when it is done.
 */
enum { GPB__DATA_STAGES = 3 }; /* filtering, dedup, classification */
typedef struct gpb__data {
    char *name;
    int start_month;  /* input */
    int units;        /* input: raw tokens or documents processed */
    int units_are_documents; /* 1: `documents`, 0: `tokens` */
    int cpu_per_billion[GPB__DATA_STAGES]; /* inputs or GPB__NONE */
    int gpu_per_billion[GPB__DATA_STAGES]; /* inputs or GPB__NONE */
    int cpu_price_per_hour, gpu_price_per_hour; /* inputs or GPB__NONE */
    int cpus, gpus;   /* inputs or GPB__NONE (not a limit) */
    int kept;         /* input: share of the units kept */
    int licensing;    /* input or GPB__NONE: money, once */
    int labels, price_per_label, labels_per_annotator_per_day,
        annotators;   /* inputs or GPB__NONE */
    int min_months;   /* input or GPB__NONE */
    unsigned char *feeds; /* n_training flags: the runs that wait for it */
    int line, column;
} gpb__data;

typedef struct gpb__correlation {
    int a, b;    /* input indices */
    double rho;  /* Spearman rank correlation */
    int line, column;
} gpb__correlation;

struct gpb_scenario {
    char *source_name; /* file name, or "<string>" */
    char *text;        /* the YAML as read, NUL-terminated (owned) */
    size_t text_len;   /* its length in bytes */
    char *overrides;   /* the overrides it was loaded with, or NULL */
    char *name, *description;
    int schema_version;
    gpb_currency currency; /* report currency */
    int horizon_months;

    gpb__input *inputs;
    size_t n_inputs;

    int cny_per_usd; /* input: exchange rate */
    int eur_per_usd; /* input: exchange rate */

    int cash;        /* input: money at the start of month 0 */
    int discount_rate; /* input or GPB__NONE: annual rate of npv.cost */

    /* The GPU rental price index: index(0) = 1 and, each month,
       index(m) = index(m-1) · exp(drift + volatility · Z). */
    int price_drift_per_month;      /* input */
    int price_volatility_per_month; /* input */

    gpb__source *sources;   size_t n_sources;
    gpb__claim *claims;     size_t n_claims;
    gpb__funding *funding;  size_t n_funding;
    gpb__team_role *team;   size_t n_team;
    gpb__training *training; size_t n_training;
    gpb__training *capacity; size_t n_capacity;
    gpb__fleet *fleets;     size_t n_fleets;
    gpb__serving serving;
    gpb__revenue revenue;
    gpb__other_cost *other; size_t n_other;
    gpb__data *data;        size_t n_data;
    gpb__correlation *correlations; size_t n_correlations;

    /* Warnings of the load (severity WARNING), in file order; NULL when
       there are none (gpubudget/scenario.h, gpb_scenario_warnings). */
    struct gpb_diagnostics *warnings;
};

/* The value of scenario input `input` as a caller reads it (a path's
   sample, the plan's fixed value, a median), or dflt when the key is
   absent (input < 0). */
typedef double (*gpb__input_value)(const void *ctx, int input, double dflt);

/*
 * Run t's compute: its training FLOPs (gpb_compute_train_flops_spec)
 * times its exploration, its sizes read through get(ctx, ...). The one
 * mapping of a run's keys to the compute layer, for the engine's plan
 * (a constant run), its blocks (each path) and the loader's plan checks
 * (the medians). Returns GPB_OK, or the compute layer's error for a
 * missing (NaN) or invalid size; err may be NULL.
 */
gpb_status gpb__training_flops(const gpb__training *t, gpb__input_value get,
                               const void *ctx, double *flops,
                               gpb_error *err);

#endif /* GPB_SCENARIO_MODEL_H */
