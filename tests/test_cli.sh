#!/bin/sh
# End-to-end tests of the gpubudget command: exit statuses, messages and the
# numbers it prints, checked against hand-worked values.
#   test_cli.sh PATH_TO_GPUBUDGET
set -u
GPB=$1
ROOT=${GPB_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS DESCRIPTION -- command...: runs it, checks the exit status.
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        bad "$what: exit $got, wanted $want"; cat "$TMP/err"; fi
}
# contains FILE TEXT DESCRIPTION
contains() {
    if grep -qF -- "$2" "$TMP/$1"; then ok; else
        bad "$3: '$2' not in $1"; sed 's/^/  | /' "$TMP/$1"; fi
}
# near JSON_KEY VALUE REL_TOL: a number in the JSON output, within tolerance.
near() {
    v=$(sed -n "s/^ *\"$1\": \([-0-9.eE+]*\),*$/\1/p" "$TMP/out" | head -1)
    if [ -z "$v" ]; then bad "$1 missing from JSON"; return; fi
    if awk -v a="$v" -v b="$2" -v t="$3" 'BEGIN {
        d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b;
        exit !(d <= t * s) }'; then ok; else
        bad "$1 = $v, wanted $2 (rel. tol. $3)"; fi
}
# jis, says, jnear, fits80: the checks the sourced parts share (a check
# used before they were loaded was a command not found, neither a pass
# nor a failure).
. "$ROOT/tests/cli_checks.sh"

# --- gpubudget itself -------------------------------------------------------
expect 0 "help" -- "$GPB" --help
contains out "estimate" "help lists commands"
expect 2 "no command" -- "$GPB"
expect 2 "unknown command" -- "$GPB" frobnicate
contains err "unknown command 'frobnicate'" "unknown command message"

# --- estimate ---------------------------------------------------------------
# GPT-3: 6 · 175e9 · 300e9 = 3.15e23 FLOPs. On V100s at 28 TFLOP/s sustained
# (MFU 28/125 = 0.224): 3.15e23 / 28e12 / 3600 = 3,125,000 GPU-hours
# (356.5 GPU-years), × $1.50 = $4.6875M: the "$4.6M per GPT-3 run" (C3).
expect 0 "estimate gpt3" -- "$GPB" estimate --params 175B --tokens 300B \
    --gpu V100 --gpus 1024 --mfu 0.224 --price '$1.5/h' --json
near flops 3.15e23 1e-9
near gpu_hours 3125000 1e-6
near rent_cost 4687500 1e-6
# 千卡/月 text output, with the README's own command.
expect 0 "estimate default" -- "$GPB" estimate --params 10B --tokens 200B \
    --gpu A100-80GB --gpus 1000
contains out "card-months" "estimate prints card-months"
contains out "千卡/月" "estimate prints 千卡/月"
contains out "rental cost" "estimate prints the cost"
# The README's "questions after the first run", as written, on the
# scenario `init` writes (a review found one that could not succeed on it
# and one whose option was silently dropped): each runs and exits 0.
mkdir -p "$TMP/readme"
GPBA=$(cd "$(dirname "$GPB")" && pwd)/$(basename "$GPB") # it runs elsewhere
if (cd "$TMP/readme" && "$GPBA" init plan.yaml >/dev/null 2>&1); then ok
else bad "init plan.yaml"; fi
awk '/^The questions after the first run/ {on = 1}
     on && /^```$/ {n++; if (n == 2) exit; next}
     on && n == 1 {
         sub(/ *#[^$]*$/, "")
         if (cont) { line = line " " $0 } else { line = $0 }
         cont = sub(/ *\\$/, "", line)
         if (!cont && line ~ /^gpubudget /) print line
     }' "$ROOT/README.md" >"$TMP/readme/cmds"
nq=0
while IFS= read -r line; do
    nq=$((nq + 1))
    if (cd "$TMP/readme" && eval "\"$GPBA\" ${line#gpubudget } --paths 400" \
        >/dev/null 2>"$TMP/readme/err"); then ok
    else bad "README: $line"; cat "$TMP/readme/err"; fi
done <"$TMP/readme/cmds"
if [ "$nq" -ge 5 ]; then ok; else bad "README's questions: found $nq"; fi
# A claim: 70B on 2T tokens on 512 H100 in 7 days. 6·70e9·2e12 = 8.4e23;
# 512 · 989.4e12 · 7 · 86400 = 3.0637e23 FLOP at MFU 1: implied MFU
# = 8.4e23 / 3.0637e23 = 2.742 — impossible.
expect 0 "estimate implied mfu" -- "$GPB" estimate --params 70B --tokens 2T \
    --gpu H100 --gpus 512 --days 7 --json
near mfu 2.7418 1e-3
contains out '"mfu_class": "impossible"' "7-day claim is impossible"
# Memory: 70B × 16 B = 1.12 TB: at least 14 × 80 GB cards (usable 100%) —
# 8 cards do not hold it.
expect 0 "estimate memory" -- "$GPB" estimate --params 70B --tokens 1T \
    --gpu H100 --gpus 8 --json
contains out '"fits_in_memory": false' "70B does not fit on 8 H100"
# Prices in yuan give costs in yuan.
expect 0 "estimate CNY" -- "$GPB" estimate --params 10B --tokens 200B \
    --gpu A800 --gpus 100 --mfu 0.4 --price '¥10/GPU-hour' --json
contains out '"currency": "CNY"' "CNY price gives a CNY cost"
# Bad input: exit 2 with a message naming the option.
expect 2 "unknown gpu" -- "$GPB" estimate --params 7B --tokens 1T \
    --gpu H1000 --gpus 8
contains err "H100" "unknown GPU suggests the nearest"
expect 2 "bad quantity" -- "$GPB" estimate --params 7Q --tokens 1T \
    --gpu H100 --gpus 8
contains err "--params" "bad quantity names the option"
expect 2 "missing option" -- "$GPB" estimate --params 7B
expect 2 "mfu and days" -- "$GPB" estimate --params 7B --tokens 1T \
    --gpu H100 --gpus 8 --mfu 0.4 --days 3
expect 2 "negative price" -- "$GPB" estimate --params 7B --tokens 1T \
    --gpu H100 --gpus 8 --price '-$2/h'
# Cards are whole (a fraction was shown rounded and used as given), and a
# claimed duration of 0 days is refused, not taken for "no claim".
expect 2 "fractional gpus" -- "$GPB" estimate --params 70B --tokens 2T \
    --gpu H100 --gpus 1.5 --mfu 0.4
contains err "--gpus: must be a whole number from 1 to 10000000 (got 1.5)" \
    "fractional gpus named"
expect 2 "zero days" -- "$GPB" estimate --params 70B --tokens 2T \
    --gpu H100 --gpus 512 --days 0
contains err "--days: must be above 0 when given (got 0)" "zero days named"
# A currency is stated once: "$2 USD/h" says it twice.
expect 2 "currency twice" -- "$GPB" estimate --params 7B --tokens 1T \
    --gpu H100 --gpus 8 --price '$2 USD/h'
contains err "currency given twice: '\$' and 'USD'" "currency twice message"
expect 2 "unsupported precision" -- "$GPB" estimate --params 7B --tokens 1T \
    --gpu V100 --gpus 8 --precision bf16
contains err "bf16" "V100 has no bf16"

# --- quantities read exactly ------------------------------------------------
# "1.001k" is exactly 1001 and "8.03k" exactly 8030: whole numbers (each used
# to read an ulp off, 1000.9999999999999 and 8029.999999999999, and be
# refused), so the run is the one the digits give, byte for byte.
"$GPB" run --paths 1001 --seed 8030 --swing-paths 0 --json \
    >"$TMP/digits.json" 2>&1
expect 0 "run paths 1.001k seed 8.03k" -- "$GPB" run --paths 1.001k \
    --seed 8.03k --swing-paths 0 --json
if cmp -s "$TMP/out" "$TMP/digits.json"; then ok; else
    bad "--paths 1.001k --seed 8.03k differs from --paths 1001 --seed 8030"; fi
# 16.1k GPUs: 6 · 7e9 · 1e12 = 4.2e22 FLOP; at 989.4e12 FLOP/s dense bf16
# and MFU 0.5, 4.2e22 / (16100 · 989.4e12 · 0.5) = 5273.29 s = 0.0610334 days.
expect 0 "estimate gpus 16.1k" -- "$GPB" estimate --params 7B --tokens 1T \
    --gpu H100 --gpus 16.1k --mfu 0.5 --json
contains out '"gpus": 16100.0,' "16.1k GPUs is 16100"
near days 0.0610334 1e-5

# --- fractions: "40%" is 0.4, "40" is refused with a hint -------------------
# The bug report: --mfu 40 printed "MFU 40.000, given" and ran at MFU 1.
expect 2 "mfu 40" -- "$GPB" estimate --params 13B --tokens 2T --gpu H800 \
    --gpus 256 --mfu 40
msg="--mfu '40': expected a fraction in (0, 1], found '40';"
contains err "$msg did you mean 40% = 0.40?" "mfu 40 gets the hint"
# 6 · 13e9 · 2e12 = 1.56e23 FLOP at 989.4e12 FLOP/s (H800 dense bf16) and
# MFU 0.4: 1.56e23 / (989.4e12 · 0.4 · 3600) = 109,493.97 GPU-hours.
expect 0 "mfu 40%" -- "$GPB" estimate --params 13B --tokens 2T --gpu H800 \
    --gpus 256 --mfu 40% --json
near mfu 0.4 1e-15
near gpu_hours 109493.97 1e-7
expect 2 "mfu 150" -- "$GPB" estimate --params 13B --tokens 2T --gpu H800 \
    --gpus 256 --mfu 150
contains err "expected a fraction in (0, 1], found '150'" "mfu 150 refused"
if grep -q "did you mean" "$TMP/err"; then bad "mfu 150 got a hint"; else ok
fi
expect 2 "utilization 70" -- "$GPB" rent-vs-buy --gpu H100 --gpus 8 \
    --months 36 --utilization 70
msg="--utilization '70': expected a fraction in [0, 1], found '70';"
contains err "$msg did you mean 70% = 0.70?" "utilization 70 gets the hint"
expect 0 "utilization 70%" -- "$GPB" rent-vs-buy --gpu H100 --gpus 8 \
    --months 36 --utilization 70% --json
near util_frac 0.7 1e-15
expect 2 "preemption loss 100" -- "$GPB" rent-vs-buy --gpu H100 --gpus 8 \
    --months 36 --preemption-loss 100
msg="--preemption-loss '100': expected a fraction in [0, 1), found '100'"
contains err "$msg" "a loss below 1: 100 is refused"
if grep -q "did you mean" "$TMP/err"; then bad "loss 100 got a hint"; else ok
fi
# Multipliers that may pass 1 are not fractions.
expect 0 "pue and premium above 1" -- "$GPB" rent-vs-buy --gpu H100 \
    --gpus 8 --months 36 --pue 1.3 --premium 1.5 --overhead 1.2
expect 2 "raise confidence 90" -- "$GPB" raise --confidence 90 --paths 100
msg="--confidence '90': expected a fraction in (0, 1), found '90';"
contains err "$msg did you mean 90% = 0.90?" "confidence 90 gets the hint"
expect 2 "run precision 5" -- "$GPB" run --precision 5 --quiet
contains err "did you mean 5% = 0.05?" "precision 5 gets the hint"

# --- gpus -------------------------------------------------------------------
expect 0 "gpus" -- "$GPB" gpus
contains out "H100-SXM" "catalog lists H100-SXM"
contains out "Ascend-910B" "catalog lists Ascend 910B"
expect 0 "gpus json" -- "$GPB" gpus --json
contains out '"spec_source"' "catalog JSON has sources"

# --- scenarios: run, raise, validate (the engine) ---------------------------
. "$ROOT/tests/test_cli_run.sh"

. "$ROOT/tests/test_cli_finance.sh"

. "$ROOT/tests/test_cli_validate.sh"

# --- estimate's answers: claimed and realistic, pricing, Chinchilla ----------
. "$ROOT/tests/test_cli_answers.sh"

# --- what if: --set, compare, sweep, goal seek, --given, the ledger ----------
. "$ROOT/tests/test_cli_whatif.sh"

# --- plan: layout, memory, step time, MFU, why, the interval -----------------
. "$ROOT/tests/test_cli_plan.sh"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
