# Sourced by test_cli.sh: `estimate` gives one answer per question (issue
# 12): the cost a claimed duration implies beside the cost at a realistic
# MFU, one pricing rule, the precision and the Chinchilla set it used, and
# text that fits 80 columns with the full text in --json.
# Uses GPB, ROOT, TMP, ok, bad, expect, contains from test_cli.sh.

. "$ROOT/tests/cli_checks.sh"

# --- the claim's cost and the realistic cost ---------------------------------
# The command. 70B on 2T tokens is 6 · 70e9 · 2e12 = 8.4e23 FLOPs.
# Claimed: 512 H100s for 30 days are 512 · 720 = 368,640 GPU-hours, at the
# catalog's $4.44 (the middle of $3.20-6.16, three providers, 2026)
# $1,636,761.60, which needs MFU 8.4e23 / (512 · 989.4e12 · 2,592,000) =
# 0.6397, beyond published runs (0.30-0.55). Realistic: at the card's
# default MFU 0.40, 8.4e23 / (989.4e12 · 0.40 · 3600) = 589,582.91
# GPU-hours = $2,617,748.13 in 47.98 days; at 0.55, 428,787.57 GPU-hours =
# $1,903,816.82 in 34.89 days; at 0.30, 786,110.55 = $3,490,330.84 in
# 63.97 days.
expect 0 "estimate --days 30 json" -- "$GPB" estimate --params 70B \
    --tokens 2T --gpu H100 --gpus 512 --days 30 --json
jnear "d['costs']['claimed']['rent_cost']" 1636761.6 1e-9
jnear "d['costs']['claimed']['mfu']" 0.6397384 1e-6
jnear "d['costs']['default']['rent_cost']" 2617748.13 1e-8
jnear "d['costs']['default']['days']" 47.98038 1e-6
jnear "d['costs']['default']['mfu']" 0.40 1e-12
jnear "d['costs']['published_max']['rent_cost']" 1903816.82 1e-8
jnear "d['costs']['published_min']['rent_cost']" 3490330.84 1e-8
jnear "d['costs']['published_min']['days']" 63.97384 1e-6
jis "d['claim_plausible']" "False"
jis "d['mfu_class']" "beyond published"
expect 0 "estimate --days 30 text" -- "$GPB" estimate --params 70B \
    --tokens 2T --gpu H100 --gpus 512 --days 30
contains out "as claimed  \$1.64M in 30.0 days at MFU 0.64: implausible" \
    "the claim's cost, marked implausible"
contains out "realistic   \$2.62M in 48.0 days at MFU 0.40, the card's default" \
    "the realistic cost, at the card's default MFU"
contains out "published   \$1.9M-\$3.49M in 34.9-64.0 days at MFU 0.55-0.30" \
    "the cost over the published MFU range"
says out "The claim needs MFU 0.64, beyond any published large run (0.30-0.55): implausible. At a realistic MFU (0.40) the run takes 48.0 days and costs \$2.62M." \
    "the verdict on the implied MFU, and the realistic answer"
fits80 "$TMP/out" "estimate --days 30"
# A plausible claim is not called implausible: at fp8 (1978.9e12 FLOP/s)
# the same 30 days need 8.4e23 / (512 · 1978.9e12 · 2,592,000) = 0.31985.
expect 0 "estimate --days 30 fp8" -- "$GPB" estimate --params 70B \
    --tokens 2T --gpu H100 --gpus 512 --days 30 --precision fp8 --json
jnear "d['mfu']" 0.3198530 1e-6
jis "d['claim_plausible']" "True"
jis "(d['precision'], d['precision_origin'])" "('fp8', 'given')"
expect 0 "estimate --days 30 fp8 text" -- "$GPB" estimate --params 70B \
    --tokens 2T --gpu H100 --gpus 512 --days 30 --precision fp8
says out "The claim needs MFU 0.32, within published large runs" \
    "fp8: within published runs"
if grep -q "implausible" "$TMP/out"; then
    bad "a plausible claim called implausible"; else ok; fi

# --- one pricing rule, printed --------------------------------------------
# The catalog's rent is the median of the rule (H100: $4.44, the middle of
# three providers' on-demand prices; 90% within them, $3.20 to $6.16), the
# same in `check --claim` (test_check.sh).
expect 0 "estimate pricing json" -- "$GPB" estimate --params 70B \
    --tokens 2T --gpu H100 --gpus 512 --json
jis "(d['pricing']['median_usd_per_hour'], d['pricing']['p5_usd_per_hour'], d['pricing']['p95_usd_per_hour'])" \
    "(4.44, 3.2, 6.16)"
jis "d['pricing']['price_origin']" "catalog"
jis "d['pricing']['rule'].startswith(\"the catalog's rent, the middle of several providers'\")" \
    "True"
jis "d['price_per_gpu_hour']" "4.44"
# The full catalog source is in --json; the text abbreviates it.
jis "'lambda-labs-plans-pricing.yml' in d['pricing']['range_source']" "True"
jis "(d['precision'], d['precision_origin'])" "('bf16', \"the card's default\")"
# --- one Chinchilla default, named -------------------------------------------
# 8.4e23 FLOPs under besiroglu2024 (Eq. 4, worked in Python): 87.66B
# parameters on 1.597T tokens, as GPB_CHINCHILLA_PARAMS gives
# (test_cells.c), not the 20-tokens rule's 83.7B on 1.67T.
jis "d['chinchilla']['set']" "besiroglu2024"
jnear "d['chinchilla']['params']" 87664756945.3 1e-9
jnear "d['chinchilla']['tokens']" 1.59699296363e12 1e-9
expect 0 "estimate pricing text" -- "$GPB" estimate --params 70B \
    --tokens 2T --gpu H100 --gpus 512
contains out "  price        \$4.44 per GPU-hour: middle of on-demand H100 SXM prices," \
    "the price and its source"
contains out "  pricing      the catalog's rent, the middle of several providers'" \
    "the pricing rule"
contains out "  precision    bf16, the card's default" "the precision assumed"
if grep -q "lambda-labs-plans-pricing.yml" "$TMP/out"; then
    bad "the text prints the catalog source whole"; else ok; fi
fits80 "$TMP/out" "estimate"

says out "Chinchilla besiroglu2024: this compute is optimal for 87.7B parameters on 1.6T tokens" \
    "the text names the Chinchilla set"

# --- 80 columns -----------------------------------------------------------
# The issue measured source lines of 209 columns. Every estimate output fits.
for args in "--days 7" "--mfu 0.5" "--price ¥20/h" "--precision fp8" \
    "--active-params 20B --recompute"; do
    # shellcheck disable=SC2086
    "$GPB" estimate --params 70B --tokens 2T --gpu H100 --gpus 512 $args \
        >"$TMP/out" 2>&1
    fits80 "$TMP/out" "estimate $args"
done
"$GPB" estimate --params 7B --tokens 1T --gpu A100-40GB --gpus 64 \
    >"$TMP/out" 2>&1
fits80 "$TMP/out" "estimate on an A100-40GB"
