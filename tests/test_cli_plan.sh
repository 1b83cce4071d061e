# Sourced by test_cli.sh: `gpubudget plan` (issue 15), the parallel layout,
# memory per GPU, step time, MFU and why, as text and JSON, its interval,
# and bad input. Uses GPB, ROOT, TMP, ok, bad, expect, contains from
# test_cli.sh.

. "$ROOT/tests/cli_checks.sh"

# --- the layout worked by hand (tests/test_plan.c) --------------------------
# A 64.7B model of 80 layers x 8192 wide, 64 heads, 32,000 tokens of
# vocabulary, 4,096-token sequences and 4M-token steps on 64 H100s, with
# TP 8, micro-batch 1, full recomputation and ZeRO 0 fixed. Per GPU at
# PP 2: 64,686,653,440 / 16 = 4,059,299,840 parameters (less the
# embeddings' share, as test_plan.c counts them) at 2 + 2 + 12 bytes =
# 64,948,797,440, plus 813,694,976 bytes of activations = 65,762,492,416
# bytes, 91% of the 72e9 usable (0.9 x 80 GB): it just fits. PP 1 needs
# 129 GB of model states and does not; PP 4 and 8 add bubble for nothing.
# So: TP 8 x PP 2 x DP 4, 256 micro-batches a step.
HAND="--params 64686653440 --layers 80 --d-model 8192 --heads 64 --vocab 32000
      --seq 4096 --global-batch 4194304 --gpu H100 --gpus 64 --tp 8
      --micro-batch 1 --interleave 1 --recompute full --zero 0 --tokens 1T"
# shellcheck disable=SC2086
expect 0 "plan worked by hand json" -- "$GPB" plan $HAND --json
jis "(d['layout']['tp'], d['layout']['pp'], d['layout']['dp'], d['layout']['micro_batches'])" \
    "(8.0, 2.0, 4.0, 256.0)"
jis "(d['layout']['recompute'], d['layout']['zero'], d['layout']['sequence_parallel'])" \
    "('full', 0, True)"
jnear "d['memory_per_gpu']['total_bytes']" 65762492416 1e-12
jnear "d['memory_per_gpu']['weights_bytes']" 8118599680 1e-12
jnear "d['memory_per_gpu']['optimizer_bytes']" 48711598080 1e-12
jnear "d['memory_per_gpu']['activations_bytes']" 813694976 1e-12
jnear "d['memory_per_gpu']['usable_bytes']" 72e9 1e-12
jis "(d['layouts_tried'], d['layouts_fit'])" "(4.0, 3.0)"
# The step is the sum of its terms, and the throughput is the batch over
# the step.
jnear "sum(d['terms_s'].values())" "$(python3 -c "import json; print(json.load(open('$TMP/out'))['step_s'])")" 1e-10
jnear "d['tokens_per_s'] * d['step_s']" 4194304 1e-10
# MFU is model FLOPs over what the GPUs could do in the step. Model FLOPs
# per token, by hand (Kaplan Table 1): 6·N + 6·layers·seq·width =
# 6 · 64,686,653,440 + 6 · 80 · 4096 · 8192 = 404,226,048,000; with full
# recomputation the hardware does 8·N + 8·l·s·h = 538,968,064,000.
jnear "d['mfu'] * 64 * 989.4e12 * d['step_s'] / 4194304" 404226048000 1e-9
jnear "d['hfu'] * 64 * 989.4e12 * d['step_s'] / 4194304" 538968064000 1e-9
# Why: the term that loses the most time, GEMM counted beyond its ideal.
jis "d['bound']" "tp_comm"
jis "max((v if k != 'gemm' else v - d['ideal_s'], k) for k, v in d['terms_s'].items() if k != 'overhead')[1]" \
    "tp_comm"
# Over 1T tokens at that MFU: 1e12 · 404,226,048,000 / (989.4e12 · MFU ·
# 3600) GPU-hours, 64 GPUs a day each 24 of them.
jnear "d['interval']['gpu_hours']['ideal'] * 989.4e12 * d['mfu'] * 3600" 4.04226048e23 1e-9
jnear "d['interval']['days']['ideal'] * 64 * 24 / d['interval']['gpu_hours']['ideal']" 1 1e-10
jnear "d['interval']['card_months']['ideal'] * 730.5 / d['interval']['gpu_hours']['ideal']" 1 1e-10
jis "d['interval']['mfu']['ideal'] == d['mfu']" "True"
# shellcheck disable=SC2086
expect 0 "plan worked by hand text" -- "$GPB" plan $HAND
contains out "layout     TP 8 × PP 2 × DP 4; micro-batch 1, 256 a step" \
    "the layout, as text"
contains out "memory     65.8 GB per GPU of 72.0 usable" "memory per GPU"
contains out "step       86.35 s" "the step time"
contains out "MFU        0.310 at steady state (HFU 0.413)" "the MFU"
contains out "why        bound by tp_comm: tensor-parallel all-reduces" \
    "why: the bounding term"
contains out "searched   4 layouts, 3 fit" "what was searched"
fits80 "$TMP/out" "plan, worked by hand"

# --- the issue's command ----------------------------------------------------
expect 0 "plan 70B on 512 H100" -- "$GPB" plan --params 70B --gpu H100 \
    --gpus 512
fits80 "$TMP/out" "plan 70B"
for w in "shape " "layout " "memory " "step " "MFU " "why " "P5" "P50" \
    "P95" "ideal" "rental cost" "published runs took"; do
    contains out "$w" "plan prints $w"
done
says out "Over 1.4T tokens (20 per active parameter, the Chinchilla rule" \
    "the default tokens named"
expect 0 "plan 70B json" -- "$GPB" plan --params 70B --gpu H100 \
    --gpus 512 --json
# The interval is ordered, MFU's P5 goes with GPU-hours' P95, and no
# realised MFU beats the best published run (0.55).
jis "d['interval']['gpu_hours']['p5'] < d['interval']['gpu_hours']['p50'] < d['interval']['gpu_hours']['p95']" \
    "True"
jnear "d['interval']['mfu']['p5'] * d['interval']['gpu_hours']['p95']" "$(python3 -c "
import json; d = json.load(open('$TMP/out'))['interval']
print(d['mfu']['ideal'] * d['gpu_hours']['ideal'])")" 1e-9
jis "d['interval']['mfu']['p95'] <= 0.55 + 1e-12" "True"
# The pricing rule (as estimate): lognormal, median the catalog's $4.44,
# 90% within 4.44 ×/÷ sqrt(6.16 / 3.20) (the providers' $3.20-6.16); the
# ideal cost is at the median, $4.44.
jis "(round(d['interval']['price_low'], 4), round(d['interval']['price_high'], 4), d['interval']['price_shape'])" \
    "(3.2001, 6.1602, 'lognormal90')"
jnear "d['interval']['cost']['ideal']" "$(python3 -c "
import json; d = json.load(open('$TMP/out'))['interval']
print(d['gpu_hours']['ideal'] * 4.44)")" 1e-10
jis "(d['interval']['narrowed_by_mfu'], d['interval']['runs_used'])" \
    "(False, 18.0)"
cp "$TMP/out" "$TMP/plan70.json"
# --mfu narrows the interval: P95/P5 of GPU-hours falls.
expect 0 "plan 70B --mfu" -- "$GPB" plan --params 70B --gpu H100 \
    --gpus 512 --mfu 40% --json
jis "d['interval']['narrowed_by_mfu']" "True"
jnear "d['interval']['mfu']['ideal']" 0.4 1e-15
jis "d['interval']['gpu_hours']['p95'] / d['interval']['gpu_hours']['p5'] < (lambda w: w['p95'] / w['p5'])(json.load(open('$TMP/plan70.json'))['interval']['gpu_hours'])" \
    "True"
# A price in yuan gives costs in yuan, at that one price.
expect 0 "plan --price CNY" -- "$GPB" plan --params 7B --gpu A100-80GB \
    --gpus 64 --tokens 1T --price '¥12/h' --json
jis "(d['interval']['currency'], d['interval']['price_low'], d['interval']['price_high'])" \
    "('CNY', 12.0, 12.0)"
jnear "d['interval']['cost']['p50']" "$(python3 -c "
import json; d = json.load(open('$TMP/out'))['interval']
print(d['gpu_hours']['p50'] * 12)")" 1e-10
# A bare amount is a price per hour, as in a scenario's
# price_per_gpu_hour and rent-vs-buy --rent (it was refused here).
cp "$TMP/out" "$TMP/plan_h.json"
expect 0 "plan --price bare amount" -- "$GPB" plan --params 7B \
    --gpu A100-80GB --gpus 64 --tokens 1T --price '¥12' --json
if cmp -s "$TMP/out" "$TMP/plan_h.json"; then ok
else bad "plan --price '¥12' differs from '¥12/h'"; fi
expect 0 "estimate --price bare amount" -- "$GPB" estimate --params 7B \
    --gpu H100-SXM --gpus 64 --tokens 1T --price 5 --json
jis "(d['currency'], d['price_per_gpu_hour'], d['price_source'])" "('USD', 5.0, 'given')"
expect 2 "estimate --price not money" -- "$GPB" estimate --params 7B \
    --gpu H100-SXM --gpus 64 --tokens 1T --price '5 GPU'
contains err "expected a price per hour" "a price that is not money is refused"
# A mixture of experts and the 2021 software run and fit 80 columns.
expect 0 "plan moe" -- "$GPB" plan --params 671B --active-params 37B \
    --experts 256 --top-k 8 --gpu H800 --gpus 2048 --seq 4096
contains out "experts over" "the expert-parallel degree"
fits80 "$TMP/out" "plan moe"
expect 0 "plan megatron-2021" -- "$GPB" plan --params 175B \
    --gpu A100-80GB --gpus 1024 --software megatron-2021 --tp 8 --pp 16
contains out "TP 8 × PP 16" "the fixed layout is kept"

# --- bad input exits 2 with the option named ----------------------------------
expect 2 "plan without --gpus" -- "$GPB" plan --params 7B --gpu H100
contains err "plan needs --params, --gpu and --gpus" "what is missing"
expect 2 "plan --gpus 1.5" -- "$GPB" plan --params 7B --gpu H100 --gpus 1.5
contains err "--gpus must be a whole number" "GPUs are whole"
expect 2 "plan --params 0" -- "$GPB" plan --params 0 --gpu H100 --gpus 8
contains err "--params must be a positive number" "params positive"
expect 2 "plan --recompute some" -- "$GPB" plan --params 7B --gpu H100 \
    --gpus 8 --recompute some
contains err "--recompute must be none, selective or full" "recompute modes"
expect 2 "plan --zero 4" -- "$GPB" plan --params 7B --gpu H100 --gpus 8 \
    --zero 4
expect 2 "plan --software x" -- "$GPB" plan --params 7B --gpu H100 \
    --gpus 8 --software x
contains err "--software must be modern or megatron-2021" "software named"
expect 2 "plan --gpu H1000" -- "$GPB" plan --params 7B --gpu H1000 --gpus 8
contains err "H100" "the nearest card"
expect 2 "plan --mfu 40" -- "$GPB" plan --params 7B --gpu H100 --gpus 8 \
    --mfu 40
contains err "did you mean 40% = 0.40?" "mfu 40 gets the hint"
expect 2 "plan --price 0" -- "$GPB" plan --params 7B --gpu H100 --gpus 8 \
    --price '$0/h'
# The library's messages name the options, not its fields.
expect 2 "plan --experts alone" -- "$GPB" plan --params 7B --gpu H100 \
    --gpus 8 --experts 8
contains err "--experts is set: give --active-params too" \
    "an MoE needs its active parameters"
expect 2 "plan --layers alone" -- "$GPB" plan --params 7B --gpu H100 \
    --gpus 8 --layers 32
contains err "--layers, --d-model and --heads go together" "the shape whole"
# 1T parameters need 16 TB of model states: no layout of 8 H100s holds them.
expect 2 "plan that does not fit" -- "$GPB" plan --params 1T --gpu H100 \
    --gpus 8
contains err "no layout fits" "says nothing fits"
contains err "72.0 GB is usable" "and how far it misses"
# A card whose interconnect the catalog does not know says what to give.
expect 2 "plan on Ascend" -- "$GPB" plan --params 7B --gpu Ascend-910B \
    --gpus 64
contains err "give --intra-node-bw" "the option that supplies it"
