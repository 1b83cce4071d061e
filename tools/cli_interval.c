/*
 * The interval of a training estimate (gpubudget/plan.h,
 * gpb_plan_interval) as `estimate` and `plan` print it: one table of P5,
 * P50, P95 and the ideal point figure, and one sentence on what it rests
 * on (the JSON object is the report layer's). Both commands call these,
 * so they say the same thing the same way.
 */
#include <math.h>
#include <string.h>

#include "cli.h"

/* A cell of the table: 11 columns, right-aligned. kind 'm' money, 'n' a
   number in words ("590k"), or a printf precision digit. */
static void cell(double v, char kind, gpb_currency cur)
{
    char b[48];
    if (isnan(v))
        snprintf(b, sizeof b, "-");
    else if (kind == 'm')
        cli_format_money(v, cur, b, sizeof b);
    else if (kind == 'n')
        gpb_units_format_number(v, GPB_STYLE_EN, 3, b, sizeof b);
    else
        snprintf(b, sizeof b, "%.*f", kind - '0', v);
    fputc(' ', stdout);
    cli_print_right(b, 10);
}

static void row(int indent, const char *label, const gpb_plan_quantiles *q,
                double ideal, char kind, gpb_currency cur)
{
    printf("%*s%-12s", indent, "", label);
    cell(q->p5, kind, cur);
    cell(q->p50, kind, cur);
    cell(q->p95, kind, cur);
    cell(ideal, kind, cur);
    fputc('\n', stdout);
}

void cli_interval_table(const gpb_plan_interval *iv, gpb_currency cur,
                        int indent)
{
    printf("%*s%-12s%11s%11s%11s%11s\n", indent, "", "", "P5", "P50", "P95",
           "ideal");
    row(indent, "MFU", &iv->mfu_frac, iv->ideal_mfu_frac, '3', cur);
    row(indent, "GPU-hours", &iv->gpu_hours, iv->ideal_gpu_hours, 'n', cur);
    row(indent, "card-months", &iv->card_months, iv->ideal_card_months, '1',
        cur);
    row(indent, "days", &iv->days, iv->ideal_days, '1', cur);
    if (iv->price_high > 0)
        row(indent, "rental cost", &iv->cost, iv->ideal_cost, 'm', cur);
}

void cli_interval_basis(const gpb_plan_interval *iv, gpb_currency cur,
                        const char *price_origin, const char *mfu_words,
                        int indent, const char *label)
{
    /* Prices to the cent, as `estimate` prints the pricing rule. */
    char lo[48], hi[48];
    snprintf(lo, sizeof lo, "%s%.2f", gpb_currency_symbol(cur),
             iv->price_low);
    snprintf(hi, sizeof hi, "%s%.2f", gpb_currency_symbol(cur),
             iv->price_high);
    if (iv->narrowed)
        cli_wrapf(indent, "%s at %s %.3f: whole runs took %.2f-%.2f x "
                  "their steady state (P5-P95; %.0f published runs that "
                  "report it)",
                  label, mfu_words, iv->ideal_mfu_frac, iv->ratio.p5,
                  iv->ratio.p95, iv->runs_used);
    else
        cli_wrapf(indent, "%s published runs took %.2f-%.2f x the "
                  "throughput model's GPU-hours (P5-P95 of a fit on card "
                  "generation and scale over %.0f runs; MFU at most the "
                  "best published, %.2f counting attention's FLOPs); --mfu "
                  "narrows it",
                  label, iv->ratio.p5, iv->ratio.p95, iv->runs_used,
                  GPB_MFU_PUBLISHED_MAX);
    if (!(iv->price_high > 0))
        return;
    if (iv->price_high > iv->price_low)
        cli_wrapf(indent, "%*s cost at a price %s %s and %s per GPU-hour "
                  "(%s); 'ideal' at its median",
                  (int)strlen(label), "",
                  iv->price_shape == GPB_PLAN_PRICE_UNIFORM
                      ? "uniform between"
                      : "lognormal, 90% between",
                  lo, hi, price_origin);
    else
        cli_wrapf(indent, "%*s cost at %s per GPU-hour (%s)",
                  (int)strlen(label), "", lo, price_origin);
}
