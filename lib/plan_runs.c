/*
 * Published training runs, and the intervals they give an estimate
 * (plan.h, part 2).
 *
 * Each run says how many GPU-hours it really took (or GPUs × days). The
 * throughput model (plan.c) says how many it would have taken at its
 * ideal steady state. Their ratio, across runs, is the empirical
 * distribution of everything the model leaves out; a least-squares fit of
 * its logarithm on card generation and scale (GSL) turns it into a
 * prediction interval for a new estimate.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_vector.h>

#include "gpubudget/plan.h"
#include "internal.h"
#include "plan_internal.h"

/* ------------------------------------------------------------------------ */
/* The runs                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * GPU counts that the publications do not give are assumed: the power of
 * two that makes the reported GPU-hours last about six weeks (42 days),
 * G = 2^round(log2(gpu_hours / (24 · 42))). The model's MFU depends on G
 * only through data-parallel communication and the batch per GPU, so the
 * assumption moves a ratio by a few percent; the notes say so per run.
 */
#define ASSUMED_GPUS "GPU count not published: assumed, the power of two " \
                     "making the reported GPU-hours last about six weeks"

#define LLAMA1                                                          \
    "Touvron et al. 2023, 'LLaMA: Open and Efficient Foundation "       \
    "Language Models', arXiv:2302.13971: Table 2 (tokens), Table 15 "   \
    "(GPU-hours), sec. 2.4 (2,048 A100-80GB, 380 tokens/s/GPU for 65B, " \
    "4M-token batches, 2,048-token context)"
#define LLAMA2                                                          \
    "Touvron et al. 2023, 'Llama 2', arXiv:2307.09288: Table 1 (2T "    \
    "tokens, 4k context, 4M-token batch), Table 2 (GPU-hours; the "     \
    "stored copies consulted confirm the 7B and 70B rows and the 3.3M " \
    "total, which these four sum to), sec. 2.2.1 (A100-80GB, 200 Gbps " \
    "per GPU)"
#define LLAMA31                                                         \
    "Llama 3.1 model card (github:meta-llama/llama-models "             \
    "models/llama3_1/MODEL_CARD.md: 39.3M H100-80GB GPU-hours: 8B "     \
    "1.46M, 70B 7.0M, 405B 30.84M; 15T+ tokens); Llama Team 2024, "     \
    "arXiv:2407.21783 (405B: 15.6T tokens, 16,384 H100, 8,192-token "   \
    "sequences, 16M-token batches, 38-43% MFU, Table 4)"

static const gpb_plan_run runs[] = {
    {
        .name = "OPT-175B",
        .gpu = "A100-80GB",
        .gpus = 992,
        .gpus_reported = 1,
        .params = 175e9,
        .tokens = 300e9,
        .seq_len = 2048,
        .global_batch_tokens = 2e6,
        .gpu_hours = 992.0 * 56 * 24,
        .source = "Zhang et al. 2022, arXiv:2205.01068 (992 A100-80GB, "
                  "2M-token batch); metaseq projects/OPT/chronicles: run "
                  "12.00 launched 2021-11-11, finished 300B tokens "
                  "2022-01-06 12:46 PST (final_update.md)",
        .date = "2022-01",
        .notes = "56 days of wall clock x 992 GPUs, including ~90 "
                 "restarts and a deleted cluster (chronicles)",
    },
    {
        .name = "BLOOM-176B",
        .gpu = "A100-80GB",
        .gpus = 384,
        .gpus_reported = 1,
        .params = 176e9,
        .tokens = 366e9,
        .seq_len = 2048,
        .global_batch_tokens = 2048.0 * 2048,
        .gpu_hours = 1082990,
        .steady_mfu_frac = 0.375,
        .inter_node_bw_bytes_per_s = 6.25e9,
        .source = "GENCI 2022 (BLOOM award note): 1,082,990 GPU-hours on "
                  "48 Jean Zay nodes, 156 TFLOP/s per GPU; Luccioni et "
                  "al. 2023, JMLR 24(253) (1.08M GPU-hours); BLOOM model "
                  "card: 384 A100-80GB, 366B tokens, 4 Omni-Path links "
                  "per node",
        .date = "2022-07",
        .notes = "network: 4 x 100 Gb/s per 8 GPUs = 6.25 GB/s per GPU; "
                 "steady MFU = 156 TFLOP/s x 3/4 / 312 (Megatron-"
                 "DeepSpeed counts recomputation: 96 rather than 72 "
                 "b·s·l·h^2 FLOPs)",
    },
    {
        .name = "LLaMA-65B",
        .gpu = "A100-80GB",
        .gpus = 2048,
        .gpus_reported = 1,
        .params = 65.2e9,
        .tokens = 1.4e12,
        .seq_len = 2048,
        .global_batch_tokens = 4e6,
        .gpu_hours = 1022362,
        .steady_mfu_frac = 0.476,
        .source = LLAMA1,
        .date = "2023-02",
        .notes = "steady MFU = 6 x 65.2e9 x 380 / 312e12",
    },
    {
        .name = "LLaMA-33B",
        .gpu = "A100-80GB",
        .gpus = 512,
        .params = 32.5e9,
        .tokens = 1.4e12,
        .seq_len = 2048,
        .global_batch_tokens = 4e6,
        .gpu_hours = 530432,
        .source = LLAMA1,
        .date = "2023-02",
        .notes = ASSUMED_GPUS,
    },
    {
        .name = "LLaMA-13B",
        .gpu = "A100-80GB",
        .gpus = 128,
        .params = 13.0e9,
        .tokens = 1.0e12,
        .seq_len = 2048,
        .global_batch_tokens = 4e6,
        .gpu_hours = 135168,
        .source = LLAMA1,
        .date = "2023-02",
        .notes = ASSUMED_GPUS,
    },
    {
        .name = "LLaMA-7B",
        .gpu = "A100-80GB",
        .gpus = 64,
        .params = 6.7e9,
        .tokens = 1.0e12,
        .seq_len = 2048,
        .global_batch_tokens = 4e6,
        .gpu_hours = 82432,
        .source = LLAMA1,
        .date = "2023-02",
        .notes = ASSUMED_GPUS,
    },
    {
        .name = "Llama-2-70B",
        .gpu = "A100-80GB",
        .gpus = 2048,
        .params = 70e9,
        .tokens = 2e12,
        .seq_len = 4096,
        .global_batch_tokens = 4e6,
        .gpu_hours = 1720320,
        .source = LLAMA2,
        .date = "2023-07",
        .notes = ASSUMED_GPUS,
    },
    {
        .name = "Llama-2-34B",
        .gpu = "A100-80GB",
        .gpus = 1024,
        .params = 34e9,
        .tokens = 2e12,
        .seq_len = 4096,
        .global_batch_tokens = 4e6,
        .gpu_hours = 1038336,
        .source = LLAMA2,
        .date = "2023-07",
        .notes = ASSUMED_GPUS,
    },
    {
        .name = "Llama-2-13B",
        .gpu = "A100-80GB",
        .gpus = 512,
        .params = 13e9,
        .tokens = 2e12,
        .seq_len = 4096,
        .global_batch_tokens = 4e6,
        .gpu_hours = 368640,
        .source = LLAMA2,
        .date = "2023-07",
        .notes = ASSUMED_GPUS,
    },
    {
        .name = "Llama-2-7B",
        .gpu = "A100-80GB",
        .gpus = 256,
        .params = 7e9,
        .tokens = 2e12,
        .seq_len = 4096,
        .global_batch_tokens = 4e6,
        .gpu_hours = 184320,
        .source = LLAMA2,
        .date = "2023-07",
        .notes = ASSUMED_GPUS,
    },
    {
        .name = "Falcon-180B",
        .gpu = "A100-40GB",
        .gpus = 4096,
        .gpus_reported = 1,
        .params = 180e9,
        .tokens = 3.5e12,
        .seq_len = 2048,
        .global_batch_tokens = 2048.0 * 2048,
        .gpu_hours = 7.0e6,
        .inter_node_bw_bytes_per_s = 6.25e9,
        .source = "Hugging Face blog 'Spread Your Wings: Falcon 180B is "
                  "here' (2023-09): 3.5T tokens on up to 4,096 GPUs, ~7M "
                  "GPU-hours, Amazon SageMaker; Almazrouei et al. 2023, "
                  "arXiv:2311.16867 (A100 40GB, AWS, 'limited "
                  "interconnect')",
        .date = "2023-09",
        .notes = "network: AWS p4d, 400 Gb/s EFA per 8 GPUs = 6.25 GB/s "
                 "per GPU; global batch assumed 4M tokens",
    },
    {
        .name = "MPT-7B",
        .gpu = "A100-40GB",
        .gpus = 440,
        .gpus_reported = 1,
        .params = 6.7e9,
        .tokens = 1e12,
        .seq_len = 2048,
        .global_batch_tokens = 2048.0 * 1760,
        .gpu_hours = 440.0 * 9.5 * 24,
        .source = "MosaicML, 'Introducing MPT-7B' (databricks.com/blog/"
                  "mpt-7b, 2023-05): 1T tokens in 9.5 days, ~$200k; "
                  "MPT-7B model card: 440 A100-40GBs, FSDP",
        .date = "2023-05",
        .notes = "9.5 days x 440 GPUs; global batch 1,760 sequences as "
                 "in the model card (an assumption if it differs)",
    },
    {
        .name = "GLM-130B",
        .gpu = "A100-40GB",
        .gpus = 768,
        .gpus_reported = 1,
        .params = 130e9,
        .tokens = 400e9,
        .seq_len = 2048,
        .global_batch_tokens = 4224.0 * 2048,
        .gpu_hours = 768.0 * 60 * 24,
        .source = "Zeng et al. 2022, 'GLM-130B', arXiv:2210.02414: 400B "
                  "tokens over 60 days on 96 DGX-A100 (40G) nodes; "
                  "project page: trained to 2022-07-03",
        .date = "2022-07",
        .notes = "60 days x 768 GPUs; batch 4,224 sequences",
    },
    {
        .name = "Llama-3.1-405B",
        .gpu = "H100-SXM",
        .gpus = 16384,
        .gpus_reported = 1,
        .params = 405e9,
        .tokens = 15.6e12,
        .seq_len = 8192,
        .global_batch_tokens = 16.0 * 1048576,
        .gpu_hours = 30.84e6,
        .steady_mfu_frac = 0.41,
        .source = LLAMA31,
        .date = "2024-07",
        .notes = "steady MFU 41%: Table 4, 16,384 GPUs, 8,192-token "
                 "sequences; the GPU-hours include the long-context and "
                 "annealing stages",
    },
    {
        .name = "Llama-3.1-70B",
        .gpu = "H100-SXM",
        .gpus = 8192,
        .params = 70e9,
        .tokens = 15e12,
        .seq_len = 8192,
        .global_batch_tokens = 16.0 * 1048576,
        .gpu_hours = 7.0e6,
        .source = LLAMA31,
        .date = "2024-07",
        .notes = ASSUMED_GPUS "; batch assumed as 405B's",
    },
    {
        .name = "Llama-3.1-8B",
        .gpu = "H100-SXM",
        .gpus = 2048,
        .params = 8e9,
        .tokens = 15e12,
        .seq_len = 8192,
        .global_batch_tokens = 16.0 * 1048576,
        .gpu_hours = 1.46e6,
        .source = LLAMA31,
        .date = "2024-07",
        .notes = ASSUMED_GPUS "; batch assumed as 405B's",
    },
    {
        .name = "DeepSeek-V3",
        .gpu = "H800",
        .gpus = 2048,
        .gpus_reported = 1,
        .params = 671e9,
        .active_params = 37e9,
        .n_experts = 256,
        .moe_top_k = 8,
        .tokens = 14.8e12,
        .seq_len = 4096,
        .global_batch_tokens = 15360.0 * 4096,
        .gpu_hours = 2.664e6,
        .source = "DeepSeek-AI 2024, 'DeepSeek-V3 Technical Report', "
                  "arXiv:2412.19437: 2,048 H800, 14.8T tokens, "
                  "pre-training 2,664K GPU-hours (2.788M in all), 671B "
                  "parameters with 37B active, 256 routed experts of "
                  "which 8 per token, batch up to 15,360 sequences of "
                  "4K",
        .date = "2024-12",
        .notes = "trained in FP8; MFU here is against the BF16 peak",
    },
    {
        .name = "SmolLM3-3B",
        .gpu = "H100-SXM",
        .gpus = 384,
        .gpus_reported = 1,
        .params = 3.08e9,
        .tokens = 11.2e12,
        .seq_len = 4096,
        .global_batch_tokens = 2359296,
        .gpu_hours = 384.0 * 24 * 24,
        .source = "Hugging Face blog 'SmolLM3: smol, multilingual, "
                  "long-context reasoner' (2025-07): 11.2T tokens on 384 "
                  "H100 in 24 days; HuggingFaceTB/SmolLM3-3B-checkpoints "
                  "(global batch 2,359,296 tokens)",
        .date = "2025-07",
        .notes = "24 days x 384 GPUs (~220,000 GPU-hours)",
    },
};

#define N_RUNS (sizeof runs / sizeof runs[0])

size_t gpb_plan_run_count(void) { return N_RUNS; }

const gpb_plan_run *gpb_plan_run_at(size_t i)
{
    return i < N_RUNS ? &runs[i] : NULL;
}

gpb_status gpb_plan_run_ratio(const gpb_plan_run *run, double *ideal_mfu_frac,
                              double *modelled_gpu_hours, double *ratio,
                              gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, run, "run"));
    const gpb_gpu *g;
    GPB__TRY(gpb_hardware_gpu_find(run->gpu, &g, err));
    gpb_plan_spec s;
    gpb_plan_spec_default(&s);
    s.params = run->params;
    s.active_params = run->active_params;
    s.n_experts = run->n_experts;
    s.moe_top_k = run->moe_top_k;
    s.seq_len = run->seq_len;
    s.global_batch_tokens = run->global_batch_tokens;
    s.gpu = g;
    s.gpus = run->gpus;
    s.inter_node_bw_bytes_per_s = run->inter_node_bw_bytes_per_s;
    gpb_plan_result r;
    GPB__TRY(gpb_plan_choose(&s, &r, err));
    /* Modelled GPU-hours for the whole run: its model FLOPs at the ideal
       MFU (gpb_compute_gpu_hours), the FLOPs counted as plan.c counts
       them per step. */
    double flops = r.model_flops / r.global_batch_tokens * run->tokens;
    double gh;
    GPB__TRY(gpb_compute_gpu_hours(flops, r.peak_flop_per_s, r.mfu_frac, &gh,
                                   err));
    if (ideal_mfu_frac)
        *ideal_mfu_frac = r.mfu_frac;
    if (modelled_gpu_hours)
        *modelled_gpu_hours = gh;
    if (ratio)
        *ratio = run->gpu_hours / gh;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* The ratios, computed once                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Each run's ratio needs a layout search; they are fixed data, so they are
 * computed once per process (pthread_once) and shared, read-only, by every
 * thread.
 */
static struct {
    double ratio[N_RUNS];
    double newer[N_RUNS];
    double log_gpus[N_RUNS];
    double goodput[N_RUNS]; /* 0 when the run reports no steady MFU */
    double ideal[N_RUNS];
    gpb_status status;
    gpb_error err;
} table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* Cards of the Hopper class and after: dense BF16 (or FP16) peak of at
   least 500 TFLOP/s. */
static int newer_card(const gpb_gpu *g)
{
    double p = g->dense_flop_per_s[GPB_PREC_BF16];
    if (!(p > 0))
        p = g->dense_flop_per_s[GPB_PREC_FP16];
    return p >= 500e12;
}

static void table_build(void)
{
    gpb_error_clear(&table.err);
    table.status = GPB_OK;
    for (size_t i = 0; i < N_RUNS; i++) {
        const gpb_plan_run *r = &runs[i];
        const gpb_gpu *g;
        double ideal;
        gpb_status st = gpb_hardware_gpu_find(r->gpu, &g, &table.err);
        if (st == GPB_OK)
            st = gpb_plan_run_ratio(r, &ideal, NULL, &table.ratio[i],
                                    &table.err);
        if (st != GPB_OK) {
            table.status = st;
            return;
        }
        table.ideal[i] = ideal;
        table.newer[i] = newer_card(g);
        table.log_gpus[i] = log10(r->gpus / 1000.0);
        table.goodput[i] = 0;
        if (r->steady_mfu_frac > 0) {
            /* Reported GPU-hours over those of the reported steady state:
               the ratio scaled by ideal / steady. */
            table.goodput[i] = table.ratio[i] * r->steady_mfu_frac / ideal;
        }
    }
}

static gpb_status table_get(gpb_error *err)
{
    pthread_once(&table_once, table_build);
    if (table.status != GPB_OK) {
        if (err)
            *err = table.err;
        return table.status;
    }
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* The fits                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * A location-scale Student t prediction for log(ratio), censored below at
 * log_min: a ratio under ideal MFU / GPB_MFU_PUBLISHED_MAX would mean a
 * realised MFU beyond any published large run (MegaScale's 55.2%), so the
 * probability the t puts there is given to log_min itself (quantiles below
 * it read log_min). Censoring rather than truncating leaves every quantile
 * above log_min where the fit put it.
 */
typedef struct {
    double mu, scale, dof;
    size_t n;
    double log_min;
} tpred;

#define N_COEF 3

/*
 * OLS of log ratio on (1, newer, log10(G/1000)) without run `leave`, and
 * the prediction at x: mu = x·b, scale = s·sqrt(1 + x (X'X)^-1 x').
 * GSL's covariance is s²(X'X)^-1, so scale² = s² + x·cov·x'.
 */
static gpb_status fit_ratio(long leave, double newer, double log_gpus,
                            tpred *out, gpb_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < N_RUNS; i++)
        n += (long)i != leave;
    if (n <= N_COEF + 1)
        return gpb__fail(err, GPB_ENUMERIC,
                         "too few published runs (%zu) to fit the ratio",
                         n);
    gsl_matrix *X = gsl_matrix_alloc(n, N_COEF);
    gsl_vector *y = gsl_vector_alloc(n);
    gsl_vector *c = gsl_vector_alloc(N_COEF);
    gsl_matrix *cov = gsl_matrix_alloc(N_COEF, N_COEF);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, N_COEF);
    gsl_vector *x = gsl_vector_alloc(N_COEF);
    gpb_status st = GPB_OK;
    if (!X || !y || !c || !cov || !w || !x) {
        st = gpb__fail(err, GPB_ENOMEM, "out of memory fitting the ratio");
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < N_RUNS; i++) {
        if ((long)i == leave)
            continue;
        gsl_matrix_set(X, k, 0, 1.0);
        gsl_matrix_set(X, k, 1, table.newer[i]);
        gsl_matrix_set(X, k, 2, table.log_gpus[i]);
        gsl_vector_set(y, k, log(table.ratio[i]));
        k++;
    }
    double chisq;
    gsl_multifit_linear(X, y, c, cov, &chisq, w);
    gsl_vector_set(x, 0, 1.0);
    gsl_vector_set(x, 1, newer);
    gsl_vector_set(x, 2, log_gpus);
    double yhat, yerr;
    gsl_multifit_linear_est(x, c, cov, &yhat, &yerr);
    double dof = (double)(n - N_COEF);
    double s2 = chisq / dof;
    out->mu = yhat;
    out->scale = sqrt(s2 + yerr * yerr);
    out->dof = dof;
    out->n = n;
    out->log_min = -INFINITY;
    if (!isfinite(out->mu) || !(out->scale > 0))
        st = gpb__fail(err, GPB_ENUMERIC,
                       "the fit of the published runs is degenerate");
done:
    gsl_matrix_free(X);
    gsl_vector_free(y);
    gsl_vector_free(c);
    gsl_matrix_free(cov);
    gsl_multifit_linear_free(w);
    gsl_vector_free(x);
    return st;
}

/*
 * log goodput of the runs that report a steady MFU, as a sample: the
 * prediction of a new draw is t with n-1 degrees of freedom, location the
 * mean and scale sd·sqrt(1 + 1/n).
 */
static gpb_status fit_goodput(long leave, tpred *out, gpb_error *err)
{
    double sum = 0, sum2 = 0;
    size_t n = 0;
    for (size_t i = 0; i < N_RUNS; i++) {
        if ((long)i == leave || !(table.goodput[i] > 0))
            continue;
        double v = log(table.goodput[i]);
        sum += v;
        sum2 += v * v;
        n++;
    }
    if (n < 3)
        return gpb__fail(err, GPB_ENUMERIC,
                         "too few runs report a steady-state MFU (%zu) to "
                         "narrow the interval",
                         n);
    double mean = sum / (double)n;
    double var = (sum2 - (double)n * mean * mean) / (double)(n - 1);
    if (var < 0)
        var = 0;
    out->mu = mean;
    out->scale = sqrt(var * (1.0 + 1.0 / (double)n));
    out->dof = (double)(n - 1);
    out->n = n;
    out->log_min = -INFINITY;
    if (!(out->scale > 0))
        return gpb__fail(err, GPB_ENUMERIC,
                         "the steady-state runs agree exactly: no spread "
                         "to fit");
    return GPB_OK;
}

/* Sets the censoring point: ratios below r_min read r_min. */
static void censor_at(tpred *t, double r_min) { t->log_min = log(r_min); }

/* Censors at the best published MFU: a realised MFU above it reads it.
   The model's ideal may itself exceed it (a small cluster), and is then
   cut too; an MFU the caller gives (given = 1) is the caller's own
   figure, and its interval reaches it. */
static void censor_mfu(tpred *t, double mfu, int given)
{
    censor_at(t, mfu / (given ? fmax(mfu, GPB_MFU_PUBLISHED_MAX)
                              : GPB_MFU_PUBLISHED_MAX));
}

/* The p-quantile of the censored ratio. */
static double tq(const tpred *t, double p)
{
    double v = t->mu + t->scale * gsl_cdf_tdist_Pinv(p, t->dof);
    return exp(v > t->log_min ? v : t->log_min);
}

/* P(ratio <= r) of the censored ratio. */
static double tcdf(const tpred *t, double ratio)
{
    double lr = log(ratio);
    if (lr < t->log_min)
        return 0.0;
    return gsl_cdf_tdist_P((lr - t->mu) / t->scale, t->dof);
}

/* z of the 95% point of a standard normal: a lognormal90 range [lo, hi]
   has log-sd log(hi / lo) / (2 · Z95). */
#define Z95 1.6448536269514722

/* Prices at the midpoints of K equal-probability cells of the price's
   distribution: uniform on [lo, hi], or lognormal with lo and hi its 5%
   and 95% points. */
enum { K_PRICES = 256 };
static void price_nodes(gpb_plan_price_shape shape, double lo, double hi,
                        double *price)
{
    double mu = 0.5 * (log(lo) + log(hi)), sig = 0;
    if (shape == GPB_PLAN_PRICE_LOGNORMAL90)
        sig = (log(hi) - log(lo)) / (2 * Z95);
    for (int k = 0; k < K_PRICES; k++) {
        double p = (k + 0.5) / K_PRICES;
        price[k] = shape == GPB_PLAN_PRICE_LOGNORMAL90
                       ? exp(mu + sig * gsl_cdf_ugaussian_Pinv(p))
                       : lo + (hi - lo) * p;
    }
}

/*
 * The q-quantile of cost = H · price, H = h0 · ratio, the price between lo
 * and hi as shape says and independent: P(cost <= c) is the mean over the
 * price of P(ratio <= c / (h0 · price)), by the midpoint rule on K_PRICES
 * equal-probability prices, and c is found by bisection on log c. Exact
 * when lo = hi.
 */
static double cost_quantile(const tpred *t, double h0,
                            gpb_plan_price_shape shape, double lo, double hi,
                            double q)
{
    if (!(hi > lo))
        return h0 * tq(t, q) * lo;
    double price[K_PRICES];
    price_nodes(shape, lo, hi, price);
    double a = log(h0 * tq(t, 1e-6) * price[0]);
    double b = log(h0 * tq(t, 1 - 1e-6) * price[K_PRICES - 1]);
    for (int it = 0; it < 100 && b - a > 1e-12; it++) {
        double mid = 0.5 * (a + b), c = exp(mid), f = 0;
        for (int k = 0; k < K_PRICES; k++)
            f += tcdf(t, c / (h0 * price[k]));
        f /= K_PRICES;
        if (f < q)
            a = mid;
        else
            b = mid;
    }
    return exp(0.5 * (a + b));
}

/* ------------------------------------------------------------------------ */
/* Intervals                                                                 */
/* ------------------------------------------------------------------------ */

void gpb_plan_interval_spec_default(gpb_plan_interval_spec *spec)
{
    if (spec == NULL)
        return;
    memset(spec, 0, sizeof *spec);
    spec->gpu = NULL;
    spec->newer_generation = -1;
    spec->price_shape = GPB_PLAN_PRICE_LOGNORMAL90;
    spec->leave_out = -1;
}

static gpb_plan_quantiles scaled(const tpred *t, double h0)
{
    gpb_plan_quantiles q = {h0 * tq(t, 0.05), h0 * tq(t, 0.5),
                            h0 * tq(t, 0.95)};
    return q;
}

gpb_status gpb_plan_interval_compute(const gpb_plan_interval_spec *spec,
                                     gpb_plan_interval *out, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, spec, "spec"));
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    GPB__TRY(gpb__need_pos(err, spec->flops, "spec.flops"));
    GPB__TRY(gpb__need_pos(err, spec->gpus, "spec.gpus"));
    GPB__TRY(gpb__need_pos(err, spec->peak_flop_per_s,
                           "spec.peak_flop_per_s"));
    GPB__TRY(gpb__need_pos(err, spec->ideal_mfu_frac,
                           "spec.ideal_mfu_frac"));
    if (spec->ideal_mfu_frac > 1)
        return gpb__fail(err, GPB_ERANGE,
                         "spec.ideal_mfu_frac (%g) must be at most 1",
                         spec->ideal_mfu_frac);
    GPB__TRY(gpb__need_nonneg(err, spec->user_mfu_frac,
                              "spec.user_mfu_frac"));
    if (spec->user_mfu_frac > 1)
        return gpb__fail(err, GPB_ERANGE,
                         "spec.user_mfu_frac (%g) must be at most 1",
                         spec->user_mfu_frac);
    GPB__TRY(gpb__need_nonneg(err, spec->price_low_per_gpu_hour,
                              "spec.price_low_per_gpu_hour"));
    GPB__TRY(gpb__need_nonneg(err, spec->price_high_per_gpu_hour,
                              "spec.price_high_per_gpu_hour"));
    if (spec->price_high_per_gpu_hour < spec->price_low_per_gpu_hour)
        return gpb__fail(err, GPB_EINVAL,
                         "spec.price_low_per_gpu_hour (%g) must not exceed "
                         "spec.price_high_per_gpu_hour (%g)",
                         spec->price_low_per_gpu_hour,
                         spec->price_high_per_gpu_hour);
    int newer = spec->newer_generation;
    if (newer < 0) {
        if (!spec->gpu)
            return gpb__fail(err, GPB_EINVAL,
                             "spec.gpu is NULL: give it or set "
                             "spec.newer_generation");
        newer = newer_card(spec->gpu);
    } else if (newer > 1) {
        return gpb__fail(err, GPB_EINVAL,
                         "spec.newer_generation must be -1, 0 or 1 (got "
                         "%d)",
                         newer);
    }
    if (spec->leave_out < -1 || spec->leave_out >= (long)N_RUNS)
        return gpb__fail(err, GPB_EINVAL,
                         "spec.leave_out (%ld) must be -1 or a run index "
                         "below %zu",
                         spec->leave_out, N_RUNS);
    gpb_plan_price_shape shape = spec->price_shape;
    if (shape != GPB_PLAN_PRICE_LOGNORMAL90 &&
        shape != GPB_PLAN_PRICE_UNIFORM)
        return gpb__fail(err, GPB_EINVAL,
                         "spec.price_shape (%d) is not a "
                         "gpb_plan_price_shape",
                         (int)shape);
    double lo = spec->price_low_per_gpu_hour;
    double hi = spec->price_high_per_gpu_hour;
    if (lo == 0 && hi == 0 && spec->gpu) {
        /* The pricing rule, as `estimate` and `check` price a card. */
        gpb_rent_rule rule;
        if (gpb_hardware_gpu_rent_rule(spec->gpu, &rule, NULL) == GPB_OK) {
            lo = rule.p5_usd_per_hour;
            hi = rule.p95_usd_per_hour;
            shape = GPB_PLAN_PRICE_LOGNORMAL90;
        }
    }
    if (shape == GPB_PLAN_PRICE_LOGNORMAL90 && hi > lo && !(lo > 0))
        return gpb__fail(err, GPB_EINVAL,
                         "spec.price_low_per_gpu_hour is 0: a lognormal "
                         "price needs a positive low end (or use "
                         "GPB_PLAN_PRICE_UNIFORM)");
    GPB__TRY(table_get(err));

    int narrowed = spec->user_mfu_frac > 0;
    double mfu0 = narrowed ? spec->user_mfu_frac : spec->ideal_mfu_frac;
    double h0;
    GPB__TRY(gpb_compute_gpu_hours(spec->flops, spec->peak_flop_per_s, mfu0,
                                   &h0, err));
    tpred t;
    if (narrowed)
        GPB__TRY(fit_goodput(spec->leave_out, &t, err));
    else
        GPB__TRY(fit_ratio(spec->leave_out, newer,
                           log10(spec->gpus / 1000.0), &t, err));
    censor_mfu(&t, mfu0, narrowed);

    gpb_plan_interval o;
    memset(&o, 0, sizeof o);
    o.ideal_mfu_frac = mfu0;
    o.ideal_gpu_hours = h0;
    o.ideal_days = h0 / spec->gpus / 24.0;
    o.ideal_card_months = h0 / GPB_HOURS_PER_MONTH;
    o.ratio = scaled(&t, 1.0);
    o.gpu_hours = scaled(&t, h0);
    o.days = scaled(&t, o.ideal_days);
    o.card_months = scaled(&t, o.ideal_card_months);
    /* A high ratio is a low MFU. */
    o.mfu_frac.p5 = mfu0 / o.ratio.p95;
    o.mfu_frac.p50 = mfu0 / o.ratio.p50;
    o.mfu_frac.p95 = mfu0 / o.ratio.p5;
    o.price_low = lo;
    o.price_high = hi;
    o.price_shape = shape;
    if (hi > 0) {
        /* At the price's median. */
        o.ideal_cost = h0 * (shape == GPB_PLAN_PRICE_LOGNORMAL90
                                 ? sqrt(lo * hi)
                                 : 0.5 * (lo + hi));
        o.cost.p5 = cost_quantile(&t, h0, shape, lo, hi, 0.05);
        o.cost.p50 = cost_quantile(&t, h0, shape, lo, hi, 0.5);
        o.cost.p95 = cost_quantile(&t, h0, shape, lo, hi, 0.95);
    } else {
        o.ideal_cost = o.cost.p5 = o.cost.p50 = o.cost.p95 = NAN;
    }
    o.narrowed = narrowed;
    o.runs_used = (double)t.n;
    o.dof = t.dof;
    *out = o;
    return GPB_OK;
}

gpb_status gpb_plan_coverage(double *coverage_frac, size_t *inside,
                             size_t *n, gpb_error *err)
{
    if (!coverage_frac && !inside && !n)
        return gpb__fail(err, GPB_EINVAL,
                         "gpb_plan_coverage: give at least one output");
    GPB__TRY(table_get(err));
    size_t in = 0;
    for (size_t i = 0; i < N_RUNS; i++) {
        tpred t;
        GPB__TRY(fit_ratio((long)i, table.newer[i], table.log_gpus[i], &t,
                           err));
        censor_mfu(&t, table.ideal[i], 0);
        double r = table.ratio[i];
        if (r >= tq(&t, 0.05) && r <= tq(&t, 0.95))
            in++;
    }
    if (coverage_frac)
        *coverage_frac = (double)in / (double)N_RUNS;
    if (inside)
        *inside = in;
    if (n)
        *n = N_RUNS;
    return GPB_OK;
}

/* ------------------------------------------------------------------------ */
/* mfu: auto                                                                 */
/* ------------------------------------------------------------------------ */

#define MFU_DIST_POINTS 199

gpb_status gpb_plan_result_mfu_for(const gpb_plan_result *r,
                                   double flops_per_token, double *mfu_frac,
                                   gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, r, "r"));
    GPB__TRY(gpb__need_ptr(err, mfu_frac, "mfu_frac"));
    GPB__TRY(gpb__need_pos(err, flops_per_token, "flops_per_token"));
    GPB__TRY(gpb__need_pos(err, r->model_flops, "r->model_flops"));
    GPB__TRY(gpb__need_pos(err, r->global_batch_tokens,
                           "r->global_batch_tokens"));
    GPB__TRY(gpb__need_pos(err, r->mfu_frac, "r->mfu_frac"));
    *mfu_frac = r->mfu_frac * flops_per_token /
                (r->model_flops / r->global_batch_tokens);
    return GPB_OK;
}

gpb_status gpb_plan_mfu_dist(const gpb_plan_spec *spec,
                             double flops_per_token, gpb_dist *out,
                             double *ideal_mfu_frac, gpb_error *err)
{
    GPB__TRY(gpb__need_ptr(err, out, "out"));
    memset(out, 0, sizeof *out);
    GPB__TRY(gpb__need_nonneg(err, flops_per_token, "flops_per_token"));
    gpb_plan_result r;
    GPB__TRY(gpb_plan_choose(spec, &r, err));
    /* k restates an MFU of the plan's count in the caller's. */
    double k = 1.0;
    if (flops_per_token > 0) {
        double m;
        GPB__TRY(gpb_plan_result_mfu_for(&r, flops_per_token, &m, err));
        k = m / r.mfu_frac;
    }
    GPB__TRY(table_get(err));
    tpred t;
    GPB__TRY(fit_ratio(-1, newer_card(spec->gpu),
                       log10(spec->gpus / 1000.0), &t, err));
    /* Censored at the best published MFU in the plan's count, which
       counts attention's FLOPs as published runs do (and as `estimate`
       and `plan` apply it, plan_estimate.c); the MFUs are then the
       caller's count. In the caller's count (6·N·D) the ceiling allowed a
       run 8% less time than `plan` did (7B on 256 H100s). */
    double ideal = k * r.mfu_frac;
    censor_mfu(&t, r.mfu_frac, 0);
    double v[MFU_DIST_POINTS];
    for (int i = 0; i < MFU_DIST_POINTS; i++) {
        double p = (i + 0.5) / MFU_DIST_POINTS;
        /* MFU falls as the ratio rises: the p-quantile of MFU is the
           (1-p)-quantile of the ratio. */
        v[i] = fmin(1.0, ideal / tq(&t, 1.0 - p));
    }
    GPB__TRY(gpb_dist_samples(v, MFU_DIST_POINTS, out, err));
    if (ideal_mfu_frac)
        *ideal_mfu_frac = ideal;
    return GPB_OK;
}
