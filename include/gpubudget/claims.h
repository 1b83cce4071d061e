/*
 * gpubudget/claims.h: testing the round numbers people quote ("GPT-3 costs
 * $4.6M a run", "1000 GPUs mean ¥50M a month") against a simulation.
 *
 * A claim names a metric and a value. The metric is an expression over the
 * simulation's results (see "Claim metrics" below); the value is a quantity
 * as people write it ("¥5000万", "10", "30 days"). Checking a claim asks:
 * of the simulated paths, what share came out at least as favourable as
 * the claim? That probability sets the verdict:
 *
 *   p <  GPB_CLAIM_IMPLAUSIBLE_BELOW (0.01)   implausible
 *   p <  GPB_CLAIM_OPTIMISTIC_BELOW  (0.05)   optimistic
 *   p <= GPB_CLAIM_PESSIMISTIC_ABOVE (0.95)   consistent
 *   p >  GPB_CLAIM_PESSIMISTIC_ABOVE          pessimistic
 *
 * so a claim is consistent when it lies inside the model's central 90%
 * interval, optimistic when fewer than 1 path in 20 does as well as it
 * says, implausible when fewer than 1 in 100 do, and pessimistic when more
 * than 19 in 20 do better. Paths within GPB_CLAIM_TIE_REL (relative) of the
 * claimed value count as ties and weigh one half (the mid-distribution
 * probability), so a claim that the model reproduces exactly on every path
 * (p = 0.5) is consistent. docs/claims.md (generated) and docs/check.md
 * describe the method.
 *
 * "Favourable" is from the point of view of whoever makes the claim about
 * a plan: cheaper, faster and fewer GPU-hours, failures and losses are
 * favourable (lower is better); longer runway, more cash, revenue,
 * funding, runs a budget buys, a higher share of runs finished and a
 * higher MFU are favourable (higher is better). gpb_claim_metric_direction
 * gives the rule for any metric.
 *
 * Claim metrics. A claim's metric is an arithmetic expression:
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := NAME | QUANTITY | '(' expr ')' | 'quoted'
 *
 * NAME is, in this order of lookup (the longest name that fits wins, so run
 * names may hold '-' or spaces):
 *   - a result metric of gpb_sim_run ("spend.total", "runway_months",
 *     "training.pretrain.cost", ...; gpubudget/sim.h lists them);
 *   - a derived metric of a training run <run>:
 *       training.<run>.days           months × 730.5 / 24: the days its GPUs
 *                                     worked (waiting for a fleet excluded)
 *       training.<run>.flops          model FLOPs it needs, as the engine
 *                                     counts them (6·N·D, plus attention,
 *                                     times exploration; recomputing or
 *                                     not)
 *       training.<run>.mfu_effective  flops / (peak · gpu_hours · 3600): the
 *                                     utilisation net of failures and
 *                                     divergences
 *       training.<run>.price_per_gpu_hour   cost / gpu_hours (money/hour)
 *   - a scenario input by key path ("training[0].mfu", "team[0].salary_per
 *     _year", "fleets[0].price_per_gpu"): its value on each path.
 * QUANTITY is a number or an amount as gpb_units_parse reads it ("$50M",
 * "¥5万", "365.25", "30 days"); quote it ('$1.5/h') when it holds '/', '-',
 * '(' or starts with a letter. So "runs a budget buys" is
 * "$50M / training.gpt3.cost", and the same net of the team is
 * "($50M - spend.team) / training.gpt3.cost".
 *
 * Units. Money (metrics in the report currency, money inputs, amounts) is
 * converted per path into the report currency at that path's exchange
 * rate, and the whole comparison is then made in the claim's currency.
 * Durations are hours. A metric whose unit is months or days accepts a
 * claim written as a duration ("30 days"); GPU-hours take a number; money
 * takes an amount (a bare number is in the scenario's currency); a price
 * per hour takes "$2/h". Adding money to a count is an error.
 *
 * Everything here is thread-safe; results and scenarios are only read.
 */
#ifndef GPUBUDGET_CLAIMS_H
#define GPUBUDGET_CLAIMS_H

#include <stddef.h>

#include "gpubudget/common.h"
#include "gpubudget/compute.h"
#include "gpubudget/hardware.h"
#include "gpubudget/scenario.h"
#include "gpubudget/sensitivity.h"
#include "gpubudget/sim.h"
#include "gpubudget/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The verdict thresholds on p, the probability of a path at least as
   favourable as the claim (see the top of this file). */
#define GPB_CLAIM_IMPLAUSIBLE_BELOW 0.01
#define GPB_CLAIM_OPTIMISTIC_BELOW 0.05
#define GPB_CLAIM_PESSIMISTIC_ABOVE 0.95
/* Relative distance within which a path equals the claim (a tie). Claims
   are round numbers; this only catches exact reproductions such as
   1000 cards × ¥50,000 = ¥5000万 computed in floating point. */
#define GPB_CLAIM_TIE_REL 1e-6

/*
 * Verdicts, never renumbered. GPB_VERDICT_CONTEXT is not a judgement: the
 * scenario marks the claim `context:` (a claim with no independent input
 * to test it against, or one the model cannot represent; the reason is
 * the claim's context text), and gpb_claim_check_at reports the metric's
 * figures without a probability. gpb_claim_verdict_from_probability never
 * returns it.
 */
typedef enum gpb_verdict {
    GPB_VERDICT_CONSISTENT = 0,
    GPB_VERDICT_OPTIMISTIC = 1,
    GPB_VERDICT_PESSIMISTIC = 2,
    GPB_VERDICT_IMPLAUSIBLE = 3,
    GPB_VERDICT_CONTEXT = 4,
    GPB_VERDICT_COUNT = 5
} gpb_verdict;

/* "consistent", "optimistic", "pessimistic", "implausible", "context";
   "unknown" for any other value. Static, never NULL. */
GPB_API const char *gpb_claim_verdict_name(gpb_verdict v);

/*
 * The verdict for p by the thresholds above. Returns GPB_OK; GPB_EINVAL
 * for NULL out or p outside [0, 1] (NaN included).
 */
GPB_API gpb_status gpb_claim_verdict_from_probability(double p,
                                                      gpb_verdict *out,
                                                      gpb_error *err);

/* Which way is favourable. */
#define GPB_CLAIM_LOWER_IS_FAVOURABLE (-1)
#define GPB_CLAIM_HIGHER_IS_FAVOURABLE 1

/*
 * The favourable direction of a single metric or input name (not an
 * expression): +1 (higher is favourable) for runway_months, cash.*,
 * revenue.*, funding.*, income.*, training.<run>.finished and
 * .mfu_effective, and inputs whose path ends in mfu, cash, amount,
 * probability (of a funding round), arpu_per_month, paying_fraction,
 * users, growth_per_month, max_users or utilization; -1 (lower is
 * favourable) for everything else: spend, costs, prices, GPU-hours,
 * card-months, days, months, failures, divergences, deficit.max,
 * out_of_cash.
 */
GPB_API int gpb_claim_name_direction(const char *name);

/*
 * What an evaluated claim metric measures.
 *
 *   kind       GPB_QTY_MONEY, GPB_QTY_MONEY_PER_HOUR, GPB_QTY_DURATION
 *              (values in hours) or GPB_QTY_NUMBER
 *   currency   the currency of money kinds (that asked for, or the
 *              report's); NONE otherwise
 *   unit       for numbers, the unit of a single metric ("months",
 *              "days", "card-months", "GPU-hours", "count",
 *              "probability", "FLOPs", "fraction") or "" for an
 *              expression; the currency code for money ("USD")
 *   direction  GPB_CLAIM_LOWER_IS_FAVOURABLE or _HIGHER_: for an
 *              expression, that of its first term whose direction does
 *              not cancel (a / b takes a's, or the reverse of b's when a
 *              is a constant: "$50M / cost" is higher-is-favourable)
 *   run        index of the training run when the expression is one
 *              metric of one run (training.<run>.*), else -1
 *   metric     the result metric (a name of gpb_result_metric_name)
 *              when the expression is exactly one result metric, else ""
 */
typedef struct gpb_claim_metric_info {
    gpb_qty_kind kind;
    gpb_currency currency;
    char unit[32];
    int direction;
    long run;
    char metric[GPB_ERROR_PATH_MAX];
} gpb_claim_metric_info;

/*
 * Evaluates a claim metric on every path of r.
 *
 *   s         the scenario r was simulated from (borrowed)
 *   r         the result (borrowed)
 *   metric    the expression (see the top of this file)
 *   currency  the currency money comes back in; GPB_CURRENCY_NONE for the
 *             report's
 *   values    receives a new array of gpb_result_paths(r) doubles (free
 *             with gpb_free); a path where the expression is undefined
 *             (0 / 0, or x / 0: no infinite value is returned) holds NaN
 *   info      receives what the values measure (may be NULL)
 *
 * Returns GPB_OK; GPB_EINVAL for NULL arguments or a currency outside the
 * enum; GPB_ESYNTAX for a malformed expression (the column is 1-based,
 * in bytes); GPB_ENOTFOUND for an unknown name (with the nearest metric
 * names); GPB_EUNIT for units that do not combine (money + count, money²),
 * a quantity kind expressions do not take (per kWh, per million tokens,
 * bytes), or a rate per day or longer that names no GPU ('$200k/year')
 * added to or subtracted from a machine's price per hour (the scenario's
 * price keys refuse it too); GPB_ENOMEM. *values is NULL on failure.
 */
GPB_API gpb_status gpb_claim_metric_eval(const gpb_scenario *s,
                                         const gpb_result *r,
                                         const char *metric,
                                         gpb_currency currency,
                                         double **values,
                                         gpb_claim_metric_info *info,
                                         gpb_error *err);

/*
 * The outcome of checking one claim. Money is in `currency` (the claim's
 * own currency, or the report's when the claim gave none); durations are
 * in the metric's unit (months or days) or hours.
 *
 *   claimed          the claim's value in that unit
 *   p5, p50, p95     the model's quantiles of the metric (over the paths
 *   mean               where it is defined)
 *   p_favourable     share of paths at least as favourable as the claim,
 *                    ties counting half
 *   p_std_error      its binomial standard error √(p(1−p)/paths)
 *   verdict          from p_favourable
 *   paths            paths on which the metric is defined
 *   finished_frac    for a metric of one run, the share of paths on which
 *                    the run finished within the horizon (a cost or a
 *                    duration of an unfinished run is a lower bound); NaN
 *                    otherwise
 *   implied_mfu      for a claim about one run's gpu_hours, card_months,
 *                    days or months: the median over paths of the MFU the
 *                    claimed amount implies for that run's FLOPs
 *                    (gpb_compute_implied_mfu_from_gpu_hours; months and
 *                    days count the run's GPUs); NaN otherwise
 *   driver           key path of the uncertain input most strongly tied
 *                    to the metric, "" when none varies
 *   driver_coef      its coefficient: the SRRC from gpubudget/
 *                    sensitivity.h when the metric is one result metric,
 *                    else Spearman's ρ with the expression's values
 *   driver_is_srrc   1 when driver_coef is an SRRC, 0 for Spearman's ρ
 *   restates         1 when every path on which the metric is defined
 *                    equals the claim (a tie): the check cannot fail,
 *                    because the model only restates the claim's figure
 *                    (P is 0.5 whatever the claim says)
 *   depends_on_claim 1 when the verdict rests on a figure taken from the
 *                    claim itself: the scenario declares inputs under the
 *                    claim's `from_claim` (gpb_claim_info.from_claim), or
 *                    the check restates (above). Set by
 *                    gpb_claim_check_at; gpb_claim_check_value, which has
 *                    no claim, sets it to restates.
 *
 * For a context claim (gpb_claim_info.context; verdict
 * GPB_VERDICT_CONTEXT) the quantiles, mean and driver describe the metric
 * and p_favourable, p_std_error and implied_mfu are NaN; claimed is NaN
 * when the claim gives no value.
 */
typedef struct gpb_claim_check {
    gpb_claim_metric_info info;
    gpb_currency currency;
    double claimed;
    double p5, p50, p95, mean;
    double p_favourable;
    double p_std_error;
    gpb_verdict verdict;
    size_t paths;
    double finished_frac;
    double implied_mfu;
    char driver[GPB_ERROR_PATH_MAX];
    double driver_coef;
    int driver_is_srrc;
    int restates;
    int depends_on_claim;
} gpb_claim_check;

/*
 * Checks the claim "metric is value" against r.
 *
 *   s, r    the scenario and its result (borrowed)
 *   sens    the sensitivity of r (borrowed), or NULL to rank drivers by
 *           Spearman's ρ only
 *   metric  a claim metric (see the top of this file)
 *   value   the claimed quantity; money with currency NONE is in the
 *           scenario's currency; a duration suits a metric in months or
 *           days (or hours); a number suits any metric that is not money
 *   out     receives the outcome
 *
 * Returns GPB_OK; GPB_EINVAL for NULL arguments or a value that is not
 * finite; GPB_EUNIT when the value's kind does not suit the metric ("the
 * claim is money but training.x.card_months is a count of card-months");
 * GPB_ENUMERIC when the metric is undefined on every path; any status of
 * gpb_claim_metric_eval.
 */
GPB_API gpb_status gpb_claim_check_value(const gpb_scenario *s,
                                         const gpb_result *r,
                                         const gpb_sensitivity *sens,
                                         const char *metric,
                                         const gpb_quantity *value,
                                         gpb_claim_check *out,
                                         gpb_error *err);

/*
 * Checks the scenario's claim i (gpb_scenario_claim_get). Returns as
 * gpb_claim_check_value, GPB_EINVAL for i out of range, and GPB_EUNIT
 * for a value written as a rate per day or longer that names no GPU
 * ("$200k/year") against a machine's price per hour (which
 * gpb_claim_check_value, given the parsed quantity only, cannot see and
 * leaves to its caller). On failure
 * err's path is "claims[i].metric" or "claims[i].value" and its line and
 * column those of that key's value in the file. A context claim is evaluated but not judged
 * (verdict GPB_VERDICT_CONTEXT, see gpb_claim_check); depends_on_claim is
 * set from the claim's from_claim and restates.
 */
GPB_API gpb_status gpb_claim_check_at(const gpb_scenario *s,
                                      const gpb_result *r,
                                      const gpb_sensitivity *sens, size_t i,
                                      gpb_claim_check *out, gpb_error *err);

/* ------------------------------------------------------------------------ */
/* A pitch in one sentence                                                   */
/* ------------------------------------------------------------------------ */

/* What a figure of a pitch was read as. Never renumbered. */
typedef enum gpb_pitch_part {
    GPB_PITCH_PARAMS = 0,    /* parameters */
    GPB_PITCH_TOKENS = 1,    /* training tokens */
    GPB_PITCH_GPUS = 2,      /* a count of one catalog card */
    GPB_PITCH_DURATION = 3,  /* the wall-clock time claimed */
    GPB_PITCH_BUDGET = 4,    /* the money claimed for the run */
    GPB_PITCH_PRICE = 5,     /* a rent per GPU-hour the pitch states */
    GPB_PITCH_PRECISION = 6, /* "fp8", "bf16" */
    GPB_PITCH_MFU = 7,       /* a utilisation the pitch states ("40% MFU") */
    GPB_PITCH_ACTIVE = 8,    /* parameters active per token (mixture of
                                experts: "37B active") */
    GPB_PITCH_PART_COUNT = 9
} gpb_pitch_part;

/* "parameters", "tokens", "GPUs", "duration", "budget", "price",
   "precision", "MFU", "active"; "unknown" for other values. Static, never
   NULL. */
GPB_API const char *gpb_claim_pitch_part_name(gpb_pitch_part part);

/* Bytes of a reading's text and explanation (each NUL-terminated, cut at
   a character boundary when longer), and the most figures a pitch has. */
#define GPB_PITCH_TEXT_MAX 96
#define GPB_PITCH_READINGS_MAX 16

/*
 * How one figure was read, to be echoed back to the user.
 *
 *   part    what it was read as
 *   text    the words it was read from, as written: the figure with the
 *           word that told what it counts ("70B model", "512 H100s",
 *           "预算200万美元", "in 30 days")
 *   column  where text starts, 1-based, in characters
 *   value   the value, in the unit of gpb_pitch's field for the part
 *           (hours for a duration; the amount in its currency for a
 *           budget or price; a gpb_precision for a precision)
 *   how     why it was read so ("'model' follows", "the count before
 *           H100s", "a bare number: the parameters come first")
 */
typedef struct gpb_pitch_reading {
    gpb_pitch_part part;
    char text[GPB_PITCH_TEXT_MAX];
    int column;
    double value;
    char how[GPB_PITCH_TEXT_MAX];
} gpb_pitch_reading;

/*
 * A training pitch ("we will train a 70B model on 2T tokens on 512 H100s
 * in 30 days for $2M"). Absent parts are NaN (numbers), NULL (gpu), have
 * kind GPB_QTY_COUNT (budget, price) or are GPB_PREC_COUNT (precision).
 *
 *   params      parameters: all of them, every expert's for a mixture of
 *               experts
 *   tokens      training tokens
 *   gpu         catalog row (static)
 *   gpus        GPU count
 *   hours       wall-clock duration claimed, in hours
 *   budget      the money claimed for the run (its currency as written;
 *               NONE when written as a bare number: read as USD)
 *   price       a rent per GPU-hour the pitch states (GPB_QTY_MONEY_PER_
 *               HOUR, per GPU-hour also when written per GPU-month;
 *               currency as written, NONE read as USD)
 *   precision   the run's precision: named in the text ("in fp8"), or set
 *               by the caller after parsing (`check --precision`);
 *               GPB_PREC_COUNT means the card's default
 *               (gpb_hardware_gpu_default_precision)
 *   mfu         an MFU the pitch states, 0-1
 *   readings    how each figure was read, in the order of the text
 *   n_readings  how many
 *   skipped     the words that carried no figure, as written, joined by
 *               " · " ("we will train a · on · in"); cut with "…" past
 *               its size
 *   active_params  the parameters active per token of a mixture of
 *               experts ("671B params (37B active)"), at most params; NaN
 *               for a dense model, every parameter active (0 is read as
 *               NaN too, as gpb_train_spec reads it). It is the last
 *               member so that the others keep their offsets; the struct
 *               grew with it, so a caller built against an earlier header
 *               must be rebuilt.
 */
typedef struct gpb_pitch {
    double params;
    double tokens;
    const gpb_gpu *gpu;
    double gpus;
    double hours;
    gpb_quantity budget;
    gpb_quantity price;
    gpb_precision precision;
    double mfu;
    size_t n_readings;
    gpb_pitch_reading readings[GPB_PITCH_READINGS_MAX];
    char skipped[256];
    double active_params;
} gpb_pitch;

/*
 * Whether a pitch is of a mixture of experts: 1 when p->active_params is
 * given, neither NaN (the parser's "absent") nor 0 (dense, as
 * gpb_train_spec reads it); 0 for a dense pitch and for NULL. The one
 * test the library, `check --claim` and its JSON ("active_params" null
 * when 0) share. It does not check the value: gpb_claim_pitch_implied
 * refuses active parameters outside (0, params].
 */
GPB_API int gpb_claim_pitch_is_moe(const gpb_pitch *p);

/*
 * Parses a pitch written as people write one, in English or Chinese:
 *
 *   "70B params, 2T tokens, 512 H100, 30 days, $2M"
 *   "we will train a 70B model on 2T tokens on 512 H100s in 30 days for $2M"
 *   "用512张H100在30天内训练700亿参数模型,2万亿tokens,预算200万美元"
 *
 * The figures are found where they stand: every quantity the units layer
 * reads (gpb_units_parse: "70B", "2万亿 tokens", "30天", "$2M", "200万美元",
 * "2 million dollars") and every catalog card ("H100", "H100s", "A100
 * 80GB", "RTX 4090", "8xH100"). What a number counts comes from the words
 * it holds or that stand next to it, within its clause (clauses end at
 * , ; 、，；。 and a full stop):
 *   parameters  "params", "parameters", "参数", "参数量", "model",
 *               "-parameter", "LLM", "模型", "total params", "总参数"
 *               ("a 70B model", "700亿参数", "总参数6710亿")
 *   active      the parameters active per token of a mixture of experts:
 *               "active", "activated", "active params", "activated
 *               parameters" after the number or before it ("37B active",
 *               "37B activated per token", "37B params active", "active
 *               params: 37B"), "激活", "激活参数", "激活参数量" likewise
 *               ("370亿激活参数", "激活参数370亿", "激活参数为370亿",
 *               "激活370亿"); and model names with 'A' before the active
 *               size, the total before it: "671B-A37B", "671b-a37b",
 *               "Qwen3-235B-A22B" (235B total, 22B active), "A37B" alone
 *               (active only: a capital 'A'; a lowercase "a37b" with no
 *               total is refused, naming it); sizes in B or T, either
 *               case. A bare "active" or "激活" counts only when the
 *               clause ends after it or goes on with "per token" ("per
 *               tok", "per-token", "每token", "每个token"); before other
 *               words it says what other things are ("1M active users",
 *               "50M active per day", "1亿激活用户"), and the number is
 *               refused. Active parameters are at least a million, from
 *               words ("2 active" experts is not read) or a name
 *               ("671B-A0.0001B" is refused)
 *   tokens      "tokens", "token", "词元" ("on 2T tokens", "2万亿个token")
 *   GPUs        a count next to a card, before or after it, with "x",
 *               "×", "*", "张", "块", "卡", "GPUs", "cards" or "of"
 *               between ("512 H100s", "512张H100", "H100 x 512"); or a
 *               count of "GPUs", "cards", "卡" when the text names one card
 *   duration    any duration ("in 30 days", "30天内", "6 weeks", "2个月")
 *   budget      any amount of money ("for $2M", "预算200万美元")
 *   price       a GPU's price, as every price key of a scenario takes
 *               it (gpb_units_parse_as with GPB_QTY_MONEY_PER_HOUR): per
 *               hour ("at $2/GPU-hour", "$2/h", "¥15/小时"), or per GPU
 *               over any period, read per GPU-hour ("$1500/GPU-month" =
 *               $2.0534, "¥5万/卡月" = ¥68.446: ÷ 730.5); a rate per day,
 *               month or year that names no GPU ("$1500/month") is a
 *               wage or a bill, and refused (a budget is the run's
 *               total)
 *   precision   "fp8", "bf16", "fp16", "tf32", "fp32" (and "bfloat16" ...)
 *   MFU         a percentage or fraction with "MFU", "utilisation" or
 *               "利用率" ("at 40% MFU")
 * A number with no such word ("7B, 1T") is the parameters while they are
 * not given, then the tokens, when it is at least a million. Other words
 * ("we will train a", "on", "for", "用", "在") are skipped and listed in
 * skipped.
 *
 * Refused, naming the words, is only what is truly ambiguous or cannot be
 * read: a bare number below a million ("'30': say what it counts"), a
 * number glued to a word the units layer cannot read ("30日", "200万块"),
 * a number next to a bare "active" that is not active parameters ("1M
 * active users"), a model name's lowercase active size with no total
 * ("a37b"), a part given twice with different values, two kinds of card,
 * a card without a count, a count of GPUs and no card, a percentage that
 * is not an MFU, a rate that is not a GPU's price ("$1500/month"), a
 * quantity no pitch gives (bytes, a price per kWh), and a number written
 * in words where a part is missing ("two trillion tokens", "一个月":
 * write digits).
 *
 * Returns GPB_OK; GPB_EINVAL for NULL arguments; GPB_ESYNTAX for the
 * refusals above and for text with no figure (err->column, 1-based in
 * characters, is where the words start; the message quotes them);
 * GPB_ERANGE for a figure outside what a scenario's training run takes
 * (docs/scenario.md), so that gpb_claim_pitch_scenario writes a scenario
 * that loads: parameters and active parameters in (0, 1e15], tokens in
 * (0, 1e17], GPUs from 1 to 1e7 (the message quotes the words and the
 * range), for active parameters above the total ("7B params, 37B
 * active": the message quotes both) or a name's below a million
 * ("671B-A0.0001B"), and for a zero duration or budget or an MFU above
 * 1; GPB_ENOTFOUND for an unknown card next to a count ("512 H1000",
 * "512 H1000-A37B"; the message suggests the nearest names);
 * GPB_ELIMIT for text above 1024 bytes or more than 16 figures.
 */
GPB_API gpb_status gpb_claim_pitch_parse(const char *text, gpb_pitch *out,
                                         gpb_error *err);

/*
 * What a pitch implies, from the compute and hardware layers alone (no
 * simulation). NaN where a part it needs is absent. For a mixture of
 * experts (active_params given) the FLOPs, and so every MFU, count the
 * active parameters, and the memory all of them.
 *
 *   flops               6 · N · tokens, N the active parameters of a
 *                       mixture of experts, else params
 *                       (gpb_compute_train_flops_spec)
 *   precision           the precision priced: the pitch's, else the
 *                       card's default
 *   precision_is_default  1 when the pitch named none
 *   peak_flop_per_s     the card's dense peak at that precision
 *   implied_mfu         flops / (gpus · peak · hours · 3600): the MFU the
 *                       claimed duration needs
 *   mfu_class           its gpb_mfu_class, or -1
 *   stated_mfu_class    the gpb_mfu_class of the pitch's own MFU, or -1
 *   budget_usd          the budget in US dollars (gpb_units_fx_default)
 *   price_per_gpu_hour_usd  budget / (gpus · hours): the rent per
 *                       GPU-hour the budget and duration imply
 *   ref_price_usd       the rent the check prices at: the pitch's stated
 *                       price when it gives one, else the catalog's
 *                       on-demand rent, the median of the pricing rule
 *                       (gpb_hardware_gpu_rent_rule); 0 when neither
 *   ref_price_is_stated 1 when it is the pitch's
 *   price_p5_usd, price_p95_usd  the 90% interval of the price in the
 *                       check's model (the rule's; both ref_price_usd for
 *                       a stated price); NaN without a price
 *   budget_mfu          the MFU the budget implies when spent at the
 *                       reference price: flops / (peak · budget/price ·
 *                       3600)
 *   min_gpus_memory     the fewest cards that hold the model's training
 *                       state (16 bytes per parameter, fully sharded):
 *                       every parameter, each expert's included
 *   tokens_per_param    tokens / N, the N of flops: tokens per active
 *                       parameter for a mixture of experts, so that it
 *                       compares with the split below of the same FLOPs
 *                       (Chinchilla was fit on dense models: for a
 *                       mixture of experts a remark, not a verdict)
 *   chinchilla          GPB_CHINCHILLA_DEFAULT (static)
 *   chinchilla_params, chinchilla_tokens  its compute-optimal split of
 *                       flops, and optimal_tokens_per_param their ratio
 */
typedef struct gpb_pitch_implied {
    double flops;
    gpb_precision precision;
    int precision_is_default;
    double peak_flop_per_s;
    double implied_mfu;
    int mfu_class;
    int stated_mfu_class;
    double budget_usd;
    double price_per_gpu_hour_usd;
    double ref_price_usd;
    int ref_price_is_stated;
    double price_p5_usd;
    double price_p95_usd;
    double budget_mfu;
    double min_gpus_memory;
    double tokens_per_param;
    const gpb_chinchilla *chinchilla;
    double chinchilla_params;
    double chinchilla_tokens;
    double optimal_tokens_per_param;
} gpb_pitch_implied;

/*
 * Fills *out. Returns GPB_OK; GPB_EINVAL for NULL arguments, or when
 * params, tokens, gpu or gpus is absent (nothing can be said without
 * them; active parameters without the total say that the memory check
 * needs the total), active_params not in (0, params], or for a precision
 * outside the enum other than GPB_PREC_COUNT;
 * GPB_EUNSUPPORTED when the card has no rate at the pitch's precision
 * ("V100 has no fp8 rate; it supports fp32, fp16"); the statuses of the
 * compute layer for values out of its range.
 */
GPB_API gpb_status gpb_claim_pitch_implied(const gpb_pitch *p,
                                           gpb_pitch_implied *out,
                                           gpb_error *err);

/*
 * The model a pitch is checked against, as a scenario text (YAML) with one
 * training run named "pitch" and up to two claims: "duration"
 * (training.pitch.days at most the claimed duration) and "budget"
 * (training.pitch.cost at most the budget). The run has the pitch's
 * active_params when it gives them (so that its FLOPs are the verdict's),
 * and rents its cards at the pitch's precision (the card's default when
 * it names none) with:
 *   mfu     PERT(min(GPB_MFU_PUBLISHED_MIN, the card's default MFU), the
 *           card's default MFU, GPB_MFU_PUBLISHED_MAX): published large
 *           runs (gpubudget/compute.h), applied to the peak at the
 *           run's precision
 *   price   the pricing rule (gpubudget/hardware.h): lognormal with
 *           median the catalog's on-demand rent and 90% within its
 *           providers' range (half to twice a single price); or the
 *           pitch's stated price, fixed
 *   failures  per-GPU MTBF 50,700 h and 0.3 h lost a failure (Llama 3:
 *           more than 90% effective training time, arXiv:2407.21783)
 * and a horizon long enough for the run to finish at the lowest MFU.
 *
 *   yaml  receives a new NUL-terminated string (free with gpb_free)
 *
 * Returns GPB_OK; GPB_EINVAL and GPB_EUNSUPPORTED as
 * gpb_claim_pitch_implied; GPB_ENOTFOUND when a budget is given, the
 * pitch states no price and the catalog has no rent for the card (the
 * message quotes the catalog's note); GPB_ERANGE when the run would need
 * more than 600 months; GPB_ENOMEM.
 */
GPB_API gpb_status gpb_claim_pitch_scenario(const gpb_pitch *p, char **yaml,
                                            gpb_error *err);

#ifdef __cplusplus
}
#endif
#endif /* GPUBUDGET_CLAIMS_H */
