/*
 * gpubudget/cells.h: the flat API for spreadsheets and other FFI callers.
 *
 * Every function here takes NUL-terminated UTF-8 strings and returns a
 * double, so that any foreign-function interface can call it: Python's
 * ctypes (the Gnumeric and LibreOffice add-ins under tools/), a VBA
 * Declare, LibreOffice Basic, Lua, Julia, R. Each spreadsheet function
 * GPB_XXX is the C function gpb_cells_xxx; docs/spreadsheets.md lists them
 * all with examples.
 *
 * Arguments. Every argument is a string (const char *), numbers included:
 *   - A number is written as the units layer reads it (units.h): "7e10",
 *     "70000000000", "70B", "1.4T", "30%" (= 0.3), "¥5万", "$2.5/h",
 *     "30 days". Spreadsheet add-ins pass a numeric cell as the shortest
 *     text that reads back to the same double (Python's repr), so nothing
 *     is lost; the decimal point is always '.', whatever the locale.
 *   - NULL, "" or blank text means "not given": optional arguments then
 *     take the default their description names; a required one is an
 *     error, "<name>: is required" (GPB_EINVAL). "0" is the number 0.
 *     (The spreadsheet add-ins pass an optional argument that is the
 *     number 0 as NULL, since Gnumeric and LibreOffice hand them an empty
 *     argument as 0; docs/spreadsheets.md, "Empty arguments".)
 *   - Arguments named *_frac, and mfu, confidence and a quantile level,
 *     are fractions: "0.4" or "40%" (gpb_units_parse_fraction). A number
 *     above 1 is refused, with a hint when it reads as a percentage
 *     without its sign: "mfu: expected a fraction in (0, 1], found '40';
 *     did you mean 40% = 0.40?" (GPB_ERANGE). Fields that may pass 1
 *     (premium, overhead_frac, pue, rates per year) are plain numbers.
 *   - Arguments that are durations accept a bare number in the unit of
 *     their name (days for `days`, months for `months`) or a duration in
 *     any unit ("720h", "3 months", "30天"). One month is 730.5 hours.
 *   - A card is a GPU catalog name or alias ("H100", "A100-80GB", "910B";
 *     hardware.h, gpb_hardware_gpu_find).
 *   - An `options` argument holds further settings as "key=value" pairs
 *     separated by ';' ("rent_mode=reserved; pue=1.2"), each value a
 *     quantity as above; each function lists its keys.
 *
 * Money. Amounts may name a currency ("$2.5/h", "¥10/小时", "50k CNY") or
 * not ("2.5"). The currency of a call is the first one named by its
 * arguments; when none is named it is US dollars, the currency of the
 * catalog prices and finance.h's default figures. A bare number is in the
 * call's currency; an amount in another currency, a catalog price and a
 * default figure are converted into it at gpb_units_fx_default() rates. A money
 * result is in the call's currency. A price per GPU-hour is read as
 * gpb_units_parse_as reads GPB_QTY_MONEY_PER_HOUR: "$1500/GPU-month" is
 * $2.05 a GPU-hour, and a rate per day or longer that names no GPU
 * ("$200k/year", a wage) fails with GPB_EUNIT.
 *
 * Results and errors. A function returns its result, or NaN on failure.
 * After every call, gpb_cells_last_error() holds "" on success or a
 * sentence saying what went wrong, naming the argument ("card: unknown GPU
 * 'H1000'; did you mean H100-SXM, ...?"), and gpb_cells_last_status() the
 * gpb_status. Both are per thread: a call on one thread never changes
 * another thread's error.
 *
 * Monte Carlo. gpb_cells_scenario and its siblings run a scenario file
 * (scenario.h) through the simulator (sim.h) and answer a statistic of a
 * metric. Runs are cached by (the file's contents, the overrides, paths,
 * seed): a sheet that asks a hundred questions of one scenario runs it
 * once, and editing the file (its contents, not its time stamp) makes the
 * next call run it again. The cache holds the GPB_CELLS_CACHE_MAX most
 * recently used runs (and any a thread is still reading) and also keeps a
 * failed load, so a hundred cells with a bad override report it without
 * reloading. Two threads asking for the same uncached run wait for one
 * simulation. Different runs load in parallel but simulate one at a time:
 * each simulation already uses every core.
 *
 * Thread safety: every function may be called from any thread at any
 * time. The closed-form functions are pure; the cache is guarded by a
 * mutex that is never held while a scenario loads or simulates.
 */
#ifndef GPUBUDGET_CELLS_H
#define GPUBUDGET_CELLS_H

#include "gpubudget/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Simulation runs the cache keeps (least recently used leave first). */
#define GPB_CELLS_CACHE_MAX 32

/*
 * Most paths one cell may ask for. A run keeps one double per path for
 * every metric and every uncertain input (sim.h, "Memory"): 330 to 570
 * bytes a path for the scenarios under scenarios/ (measured), so 10^6
 * paths hold about 0.3 to 0.6 GB, and a cache of GPB_CELLS_CACHE_MAX such
 * runs could hold 32 times that. The engine's own limit, GPB_SIM_MAX_PATHS
 * (4 × 10^9; above its memory budget it keeps sketches, not every path),
 * is for a command run on purpose, not for a cell a
 * sheet recalculates. At 10^6 paths the standard error of a mean is a
 * thousandth of the spread and a 99.9% quantile rests on 1,000 paths.
 */
#define GPB_CELLS_MAX_PATHS 1000000

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * The calling thread's last error: "" after a call that succeeded, or a
 * sentence (UTF-8, at most 1023 bytes). The pointer is static per
 * thread: it stays valid until the thread ends and its text changes with
 * the thread's next call of this API. Never NULL.
 */
GPB_API const char *gpb_cells_last_error(void);

/*
 * The calling thread's last status, a gpb_status (GPB_OK = 0 after
 * success), as an int for FFI callers.
 */
GPB_API int gpb_cells_last_status(void);

/* ------------------------------------------------------------------------ */
/* Training: FLOPs, time and cost of a dense model on a card                 */
/* ------------------------------------------------------------------------ */

/*
 * GPB_TRAIN_FLOPS(params, tokens): training FLOPs, 6 · params · tokens
 * (gpb_compute_train_flops). For a mixture of experts pass the active
 * parameter count.
 *
 *   params  parameters ("70B")
 *   tokens  training tokens ("2T")
 *
 * Errors: GPB_EINVAL (missing, negative, zero), GPB_ESYNTAX/GPB_EUNIT (not
 * a number), GPB_ERANGE (overflow).
 */
GPB_API double gpb_cells_train_flops(const char *params, const char *tokens);

/*
 * GPB_TRAIN_GPU_HOURS(params, tokens, card, [mfu], [precision]): GPU-hours
 * of the run, 6·N·D / (peak · mfu · 3600) (gpb_compute_gpu_hours).
 *
 *   card       catalog name
 *   mfu        model FLOPs utilisation in (0, 1]; default the card's
 *              default_mfu
 *   precision  "bf16", "fp16", "fp8", "tf32", "fp32"; default the card's
 *              (gpb_hardware_gpu_default_precision): the peak is the dense
 *              peak at that precision
 *
 * Errors: as gpb_cells_train_flops, plus GPB_ENOTFOUND (unknown card or
 * precision), GPB_EUNSUPPORTED (the card lacks the precision).
 */
GPB_API double gpb_cells_train_gpu_hours(const char *params,
                                         const char *tokens,
                                         const char *card, const char *mfu,
                                         const char *precision);

/*
 * GPB_TRAIN_DAYS(params, tokens, card, gpus, [mfu], [precision]): wall
 * days of the run on gpus cards, GPU-hours / 24 / gpus
 * (gpb_compute_train_time, .days; finite whenever that is, even where the
 * run's seconds overflow). Arguments and errors as
 * gpb_cells_train_gpu_hours; gpus > 0.
 */
GPB_API double gpb_cells_train_days(const char *params, const char *tokens,
                                    const char *card, const char *gpus,
                                    const char *mfu, const char *precision);

/*
 * GPB_TRAIN_CARD_MONTHS(params, tokens, card, [mfu], [precision]):
 * card-months (GPU-hours / 730.5; the articles' 千卡/月 is 1000 of them)
 * (gpb_compute_train_time, .card_months): finite with the same arguments
 * whenever GPB_TRAIN_GPU_HOURS is. As gpb_cells_train_gpu_hours.
 */
GPB_API double gpb_cells_train_card_months(const char *params,
                                           const char *tokens,
                                           const char *card, const char *mfu,
                                           const char *precision);

/*
 * GPB_TRAIN_COST(params, tokens, card, gpus, [mfu], [price], [precision]):
 * the rent for the run's GPU-hours at an on-demand price
 * (gpb_compute_rent_cost of gpb_compute_gpu_hours).
 *
 *   gpus   GPUs (> 0). On-demand rent does not depend on it (more GPUs
 *          finish sooner); it is checked, and there so that the cell reads
 *          like the claim it checks ("70B, 2T tokens, 512 H100s").
 *   price  price per GPU-hour ("$2.5/h", "¥10/小时"; a bare amount is per
 *          hour); default the card's reference rent in USD (an error,
 *          GPB_ENOTFOUND, for a card whose rent the catalog lacks)
 *
 * Result: money in the call's currency. Errors as gpb_cells_train_days.
 */
GPB_API double gpb_cells_train_cost(const char *params, const char *tokens,
                                    const char *card, const char *gpus,
                                    const char *mfu, const char *price,
                                    const char *precision);

/*
 * GPB_IMPLIED_MFU(params, tokens, card, gpus, days, [precision]): the MFU a
 * claim "trained on gpus cards in days" implies,
 * 6·N·D / (gpus · peak · days · 86400) (gpb_compute_implied_mfu_from_days).
 * Not clamped: above 1 the claim is impossible on that card, and above
 * GPB_MFU_PUBLISHED_MAX (0.55) it beats every published run.
 *
 *   days  wall-clock days (> 0), or a duration ("720h", "1 month")
 */
GPB_API double gpb_cells_implied_mfu(const char *params, const char *tokens,
                                     const char *card, const char *gpus,
                                     const char *days,
                                     const char *precision);

/*
 * GPB_IMPLIED_MFU_GPU_HOURS(params, tokens, card, gpu_hours, [precision]):
 * as gpb_cells_implied_mfu for a claim in GPU-hours
 * (gpb_compute_implied_mfu_from_gpu_hours).
 */
GPB_API double gpb_cells_implied_mfu_gpu_hours(const char *params,
                                               const char *tokens,
                                               const char *card,
                                               const char *gpu_hours,
                                               const char *precision);

/*
 * GPB_TRAIN_INTERVAL(what, stat, params, tokens, card, gpus, [mfu],
 * [price], [options]): a training run's estimate with its interval, as
 * `gpubudget estimate` gives it (gpb_plan_estimate_compute; docs/model.md,
 * "Plan"). The MFU is the throughput model's for this model on gpus cards
 * (the card's default_mfu where the model cannot lay the run out), and
 * P5/P50/P95 come from how far published runs fell short of that model.
 *
 *   what     "mfu", "gpu_hours", "days", "card_months", "cost" or "ratio"
 *            (realised over modelled GPU-hours)
 *   stat     "p5", "p50" (also "median"), "p95" or "ideal" (the
 *            point figure at the model's MFU; 1 for the ratio)
 *   params, tokens, card  as gpb_cells_train_gpu_hours (6·N·D FLOPs)
 *   gpus     GPUs (> 0)
 *   mfu      a steady-state MFU the user vouches for, in (0, 1]: it is the
 *            ideal and narrows the interval; default the model's
 *   price    one price per GPU-hour, in the call's currency; default the
 *            catalog's pricing rule (lognormal, median the card's rent,
 *            90% within its providers' range, or half to twice a single
 *            price: gpb_hardware_gpu_rent_rule), in USD
 *   options  "key=value; ...": active_params (mixture of experts: FLOPs
 *            count these), seq_len (4096), global_batch_tokens (4M),
 *            recompute (0 or 1: the plan recomputes, a lower MFU; FLOPs
 *            stay 6·N·D),
 *            precision (the card's default)
 *
 * Result: a fraction, GPU-hours, days, card-months, money in the call's
 * currency, or a ratio. Errors: argument errors; GPB_ENOTFOUND (unknown
 * what, stat or option, or a cost for a card whose rent the catalog lacks
 * when no price is given); the plan layer's (a precision the card lacks).
 */
GPB_API double gpb_cells_train_interval(const char *what, const char *stat,
                                        const char *params,
                                        const char *tokens, const char *card,
                                        const char *gpus, const char *mfu,
                                        const char *price,
                                        const char *options);

/*
 * GPB_GPU(card, field): a numeric field of the card's catalog row
 * (gpb_hardware_gpu_field): "bf16_tflops", "fp8_tflops", "mem_gb",
 * "mem_bw_tbs", "tdp_w", "purchase_usd", "rent_usd_per_hour",
 * "default_mfu", "year", ... (gpb_hardware_field_names). Errors:
 * GPB_ENOTFOUND (card, field, or a price the catalog lacks),
 * GPB_EUNSUPPORTED (a precision the card lacks).
 */
GPB_API double gpb_cells_gpu_field(const char *card, const char *field);

/* ------------------------------------------------------------------------ */
/* Scaling laws and memory                                                   */
/* ------------------------------------------------------------------------ */

/*
 * GPB_CHINCHILLA_PARAMS(flops, [set]) and GPB_CHINCHILLA_TOKENS(flops,
 * [set]): the compute-optimal parameters and tokens for a budget of flops
 * (gpb_compute_chinchilla_optimal). set names the constants
 * (gpb_compute_chinchilla_find): GPB_CHINCHILLA_DEFAULT, "besiroglu2024"
 * ("epoch"), when empty; "hoffmann2022", "hoffmann2022-tex".
 */
GPB_API double gpb_cells_chinchilla_params(const char *flops,
                                           const char *set);
GPB_API double gpb_cells_chinchilla_tokens(const char *flops,
                                           const char *set);

/*
 * GPB_CHINCHILLA_LOSS(params, tokens, [set]): predicted loss in nats per
 * token, E + A/N^α + B/D^β (gpb_compute_chinchilla_loss); set as above.
 */
GPB_API double gpb_cells_chinchilla_loss(const char *params,
                                         const char *tokens,
                                         const char *set);

/*
 * GPB_MIN_GPUS(params, card, [bytes_per_param], [usable_frac]): the fewest
 * cards whose memory holds the model's training state fully sharded
 * (gpb_compute_train_memory_bytes, then gpb_compute_min_gpus_for_memory).
 * A lower bound: activations are left out.
 *
 *   bytes_per_param  model-state bytes per parameter; default 16
 *                    (mixed-precision Adam); "2" for bf16 weights only
 *   usable_frac      fraction of each card's memory usable; default 0.9
 */
GPB_API double gpb_cells_min_gpus(const char *params, const char *card,
                                  const char *bytes_per_param,
                                  const char *usable_frac);

/* ------------------------------------------------------------------------ */
/* Renting versus buying (finance.h)                                         */
/* ------------------------------------------------------------------------ */

/*
 * GPB_RENT_VS_BUY(what, gpus, months, card, [util_frac], [rent_price],
 * [price_per_gpu], [options]): one figure of a rent-versus-buy comparison
 * of gpus cards over a horizon of months (gpb_finance_rent_vs_buy_eval;
 * docs/finance.md).
 *
 *   what           a total of gpb_rent_vs_buy_totals by its field name:
 *                  "rent_cash", "rent_npv", "buy_cash", "buy_npv",
 *                  "npv_buy_minus_rent" (negative: buying is cheaper),
 *                  "buy_accounting", "capex", "capex_cards",
 *                  "loan_principal", "interest", "lease_payments",
 *                  "bridge_rent", "power", "energy_kwh", "colo",
 *                  "maintenance", "rent_out_income", "resale_proceeds",
 *                  "depreciation", "book_value_end", "loss_on_sale",
 *                  "rent_gpu_hours_paid"; or "breakeven_util" (as
 *                  gpb_cells_breakeven_util) or "breakeven_months" (the
 *                  payback horizon, gpb_finance_breakeven_months, with
 *                  options max_months (default months) and settle (0 or
 *                  1, default 0))
 *   gpus           cards (> 0)
 *   months         the horizon, a whole number of months (or a duration)
 *   card           catalog name: gives tdp_watts and the default prices
 *   util_frac      fraction of hours used; default 0.70
 *   rent_price     on-demand price per GPU-hour; default the card's rent
 *   price_per_gpu  purchase price of one card; default the card's
 *   options        any other field of gpb_rent_vs_buy by name, e.g.
 *                  "rent_mode=reserved; financing=loan; pue=1.2;
 *                  lead_time_months=3; tariff_per_kwh=$0.12/kWh;
 *                  discount_rate_per_year=8%"; enums by name (rent_mode
 *                  on-demand|reserved|spot, financing cash|loan|lease,
 *                  depreciation_method straight-line|declining-balance)
 *
 * Result: money in the call's currency, kWh, GPU-hours, a fraction or
 * months. Errors: argument errors; GPB_ENOTFOUND for an unknown `what` or
 * option key (with a suggestion), a price the catalog lacks, or no
 * break-even (the message says which option is cheaper); finance.h's
 * GPB_EINVAL / GPB_ERANGE for a field out of its domain.
 */
GPB_API double gpb_cells_rent_vs_buy(const char *what, const char *gpus,
                                     const char *months, const char *card,
                                     const char *util_frac,
                                     const char *rent_price,
                                     const char *price_per_gpu,
                                     const char *options);

/*
 * GPB_BREAKEVEN_UTIL(gpus, months, card, [rent_price], [price_per_gpu],
 * [options]): the utilisation in (0, 1] at which buying and renting have
 * the same NPV (gpb_finance_breakeven_util). When none does, NaN with
 * GPB_ENOTFOUND and "buying is cheaper at any utilisation" (or renting).
 */
GPB_API double gpb_cells_breakeven_util(const char *gpus, const char *months,
                                        const char *card,
                                        const char *rent_price,
                                        const char *price_per_gpu,
                                        const char *options);

/* ------------------------------------------------------------------------ */
/* Serving                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * The serving functions model one replica of the model decoding on the
 * card's roofline (gpb_compute_decode_rate) and size a fleet for a load
 * (gpb_compute_serving_load_tokens_per_s, gpb_compute_serving_gpus).
 * options keys (defaults those of gpb_compute_decode_spec_default):
 *   batch               sequences decoded together (1)
 *   bytes_per_param     bytes per weight (2: bf16; 1: int8/fp8)
 *   active_params       parameters per token for a mixture of experts
 *                       (default params)
 *   kv_bytes_per_token  KV-cache bytes per token of context (0)
 *   context_tokens      tokens in each sequence's cache (0)
 *   mfu_frac, bw_frac   fractions of peak reached (1: the roofline)
 *   precision           for the compute peak (the card's default)
 *   gpus_per_replica    cards per replica; default the fewest whose
 *                       memory (90% usable) holds the weights and caches
 *   peak_to_mean        busiest hour over the mean load (1)
 *   util_frac           target utilisation of the fleet (1)
 */

/*
 * GPB_SERVING_GPUS(params, card, users, requests_per_day,
 * tokens_per_request, [options]): cards to serve users who each send
 * requests_per_day requests of tokens_per_request generated tokens, in
 * whole replicas.
 */
GPB_API double gpb_cells_serving_gpus(const char *params, const char *card,
                                      const char *users,
                                      const char *requests_per_day,
                                      const char *tokens_per_request,
                                      const char *options);

/*
 * GPB_SERVING_COST(params, card, users, requests_per_day,
 * tokens_per_request, [price], [options]): rent per month (730.5 h) for
 * the cards of gpb_cells_serving_gpus, busy or not, at price per
 * GPU-hour (default the card's rent).
 */
GPB_API double gpb_cells_serving_cost(const char *params, const char *card,
                                      const char *users,
                                      const char *requests_per_day,
                                      const char *tokens_per_request,
                                      const char *price,
                                      const char *options);

/*
 * GPB_COST_PER_MTOKEN(params, card, [price], [options]): the cost of a
 * million generated tokens on one replica kept busy util_frac of the time
 * (gpb_compute_cost_per_million_tokens).
 */
GPB_API double gpb_cells_cost_per_mtoken(const char *params,
                                         const char *card, const char *price,
                                         const char *options);

/* ------------------------------------------------------------------------ */
/* Monte Carlo                                                               */
/* ------------------------------------------------------------------------ */

/*
 * The arguments shared by the scenario functions:
 *   file       path of a scenario YAML file (relative paths are relative
 *              to the process's working directory; the add-ins resolve
 *              them against the workbook's folder first)
 *   overrides  "path=value" pairs separated by ';', applied before the
 *              scenario is checked ("training[0].gpus=512;
 *              company.cash=$30M"; see
 *              gpb_scenario_load_file_with_overrides); "" for none
 *   paths      simulated paths; default 10,000 (gpb_sim_options_default),
 *              at most GPB_CELLS_MAX_PATHS (GPB_ELIMIT above it)
 *   seed       the generator's seed, a whole number in [0, 2^64);
 *              default 20230225. The same file, overrides, paths and seed
 *              give the same numbers on any machine and thread count.
 */

/*
 * GPB_SCENARIO(file, metric, [stat], [overrides], [paths], [seed]): a
 * statistic of a result metric (sim.h: "runway_months", "spend.total",
 * "cash.min", "training.pretrain.cost", ...).
 *
 *   stat  what to compute, default "mean":
 *           a number in [0, 1] ("0.1", "10%")  the quantile at that level
 *           "p10", "P95", "p2.5"               the quantile at level/100
 *           "median", "min", "max"             quantiles 0.5, 0, 1
 *           "mean"                             the mean
 *           "se"                               the mean's standard error
 *           "prob<=x" "prob<x" "prob>x" "prob>=x"
 *                                              the fraction of paths with
 *                                              the metric so compared to
 *                                              x (a number, or money in
 *                                              the result's currency)
 *
 * Errors: GPB_EIO (the file cannot be read), the loader's GPB_ESYNTAX /
 * GPB_ESCHEMA / GPB_ENOTFOUND (the first problem, with file, line, column
 * and path, and how many more there are), GPB_ENOTFOUND (unknown metric,
 * with a suggestion), GPB_ESYNTAX (a stat it cannot read), the
 * simulator's errors.
 */
GPB_API double gpb_cells_scenario(const char *file, const char *metric,
                                  const char *stat, const char *overrides,
                                  const char *paths, const char *seed);

/*
 * GPB_RAISE(file, [runway_months], [confidence], [overrides], [paths],
 * [seed]): the amount to raise now so that cash lasts runway_months
 * months (closing cash >= 0 in months 0 .. runway_months - 1) with
 * probability confidence (gpb_result_raise_for_runway). runway_months is
 * a whole number from 1 to the scenario's horizon, default the horizon
 * (the whole horizon, gpb_result_raise_needed); past the horizon it is
 * GPB_ERANGE, as `gpubudget raise --months` and the Python binding refuse
 * it: how long cash lasts after the horizon is not simulated.
 * confidence in [0, 1], default 0.9. Money in the scenario's currency.
 */
GPB_API double gpb_cells_raise(const char *file, const char *runway_months,
                               const char *confidence, const char *overrides,
                               const char *paths, const char *seed);

/*
 * GPB_PROB_OUT_OF_CASH(file, month, [overrides], [paths], [seed]): the
 * probability that cash has gone below zero by the end of month (0-based,
 * a whole number; gpb_result_prob_out_of_cash_by).
 */
GPB_API double gpb_cells_prob_out_of_cash(const char *file,
                                          const char *month,
                                          const char *overrides,
                                          const char *paths,
                                          const char *seed);

/*
 * GPB_SCENARIO_RUNS(): simulations run since the library was loaded or
 * the cache last cleared (cache misses; a failed load counts as one).
 * GPB_CACHE_HITS(): answers served from the cache. For tests and for
 * seeing that a sheet runs each scenario once. Never fail.
 */
GPB_API double gpb_cells_scenario_runs(void);
GPB_API double gpb_cells_cache_hits(void);

/*
 * Empties the cache and zeroes both counters. Runs that other threads
 * are reading stay alive until those calls return. Always succeeds.
 */
GPB_API void gpb_cells_cache_clear(void);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_CELLS_H */
