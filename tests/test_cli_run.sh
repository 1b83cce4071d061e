# Sourced by test_cli.sh: gpubudget run, raise and validate.

# The built-in default runs with no file, and its JSON has the metrics.
expect 0 "run default" -- "$GPB" run --paths 2000 --threads 2
contains out "P50" "run prints a quantile table"
contains out "raise needed" "run prints the raise"
expect 0 "run default json" -- "$GPB" run --paths 2000 --json
contains out '"training.pretrain.card_months"' "JSON has per-run metrics"
contains out '"p_out_of_cash_by_month"' "JSON has P(out of cash)"
# The same seed gives the same JSON on 1 and 2 threads.
"$GPB" run --paths 3000 --seed 7 --threads 1 --json >"$TMP/a.json" 2>&1
"$GPB" run --paths 3000 --seed 7 --threads 2 --json >"$TMP/b.json" 2>&1
if cmp -s "$TMP/a.json" "$TMP/b.json"; then ok; else
    bad "JSON differs between 1 and 2 threads"; fi
# CSV next to it, written atomically.
expect 0 "run csv" -- "$GPB" run "$ROOT/scenarios/qianka-month.yaml" \
    --paths 1000 --csv "$TMP/sum.csv" --quiet
if head -1 "$TMP/sum.csv" | grep -q '^metric,unit,mean,std_error,p5'; then ok
else bad "CSV header"; fi
if grep -q '^spend.total,CNY,' "$TMP/sum.csv"; then ok; else
    bad "CSV has spend.total in CNY"; fi

# Constant burn: $12.5M at $1M a month lasts 12 months; to last 18 months
# with 90% confidence one must raise $5.5M.
cat >"$TMP/burn.yaml" <<'YAML'
gpubudget: 1
name: burn
currency: USD
horizon_months: 24
company: {cash: "$12.5M"}
other_costs: [{name: burn, per_month: "$1M"}]
YAML
expect 0 "raise" -- "$GPB" raise "$TMP/burn.yaml" --months 18 \
    --confidence 0.9 --paths 500 --json
near raise 5500000 1e-3
expect 0 "raise confidence 90%" -- "$GPB" raise "$TMP/burn.yaml" \
    --months 18 --confidence 90% --paths 500 --json
near raise 5500000 1e-3
expect 2 "raise beyond horizon" -- "$GPB" raise "$TMP/burn.yaml" \
    --months 30 --paths 100
contains err "horizon" "raise beyond horizon says why"

# validate: every problem of a bad file, with file:line:column and key.
cat >"$TMP/bad.yaml" <<'YAML'
gpubudget: 1
name: bad
horizon_months: 12
company: {cash: "$1M"}
training:
  - name: x
    params: 7B
    tokens: 1T
    gpu: H100
    gpu_count: 8
    mfu: 1.5
YAML
expect 2 "validate bad" -- "$GPB" validate "$TMP/bad.yaml"
contains err "bad.yaml:10:5" "validate gives line and column"
contains err "did you mean 'gpus'" "validate suggests the key"
contains err "training[0].mfu" "validate names the key path"
expect 0 "validate scenarios" -- "$GPB" validate "$ROOT"/scenarios/*.yaml \
    "$ROOT/bench/bench-60m.yaml"
expect 2 "validate missing" -- "$GPB" validate "$TMP/nope.yaml"
expect 2 "run missing" -- "$GPB" run "$TMP/nope.yaml"
expect 2 "run bad paths" -- "$GPB" run --paths 0
