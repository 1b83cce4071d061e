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
# Past 100,000 paths run keeps the sampled inputs of the first 100,000
# only (what the sensitivity ranks) unless it writes per-path rows: the
# JSON is the same either way, and the samples CSV has every path's.
"$GPB" run "$ROOT/bench/bench-60m.yaml" --paths 130000 --json \
    --swing-paths 0 >"$TMP/a.json" 2>&1
"$GPB" run "$ROOT/bench/bench-60m.yaml" --paths 130000 --json \
    --swing-paths 0 --samples-csv "$TMP/s130k.csv" >"$TMP/b.json" 2>&1
if cmp -s "$TMP/a.json" "$TMP/b.json"; then ok; else
    bad "JSON differs with the inputs of 100,000 paths kept"; fi
if [ "$(wc -l <"$TMP/s130k.csv")" -eq 130001 ] &&
    tail -1 "$TMP/s130k.csv" | grep -q '^129999,[0-9]'; then ok; else
    bad "the samples CSV has every path's inputs"; fi
# Past 131,072 paths run --json keeps the values of the first 131,072
# only (gpb_sim_run_kept) unless it writes per-path rows: every figure of
# the JSON is the same as the run that keeps every path's.
"$GPB" run "$ROOT/bench/bench-60m.yaml" --paths 200000 --json \
    --swing-paths 0 >"$TMP/a.json" 2>&1
"$GPB" run "$ROOT/bench/bench-60m.yaml" --paths 200000 --json \
    --swing-paths 0 --samples-csv "$TMP/s200k.csv" >"$TMP/b.json" 2>&1
if cmp -s "$TMP/a.json" "$TMP/b.json"; then ok; else
    bad "JSON differs with 131,072 paths' values kept"; fi
# The text report too, the paths with the lowest cash included (but for
# the line that says how many seconds the run took).
"$GPB" run "$ROOT/bench/bench-60m.yaml" --paths 200000 --swing-paths 0 \
    2>&1 | grep -v ' s; money in ' >"$TMP/a.txt"
"$GPB" run "$ROOT/bench/bench-60m.yaml" --paths 200000 --swing-paths 0 \
    --samples-csv "$TMP/s200k.csv" 2>&1 | grep -v ' s; money in ' >"$TMP/b.txt"
if cmp -s "$TMP/a.txt" "$TMP/b.txt" && grep -q 'lowest cash on paths' "$TMP/a.txt"
then ok; else bad "the text report differs with 131,072 paths' values kept"; fi
rm -f "$TMP/s200k.csv"
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

# A price per GPU-hour is no salary, and a salary is no price per GPU-hour:
# each ran with status 0 ($564B of team spend; $22.82 a GPU-hour).
expect 2 "salary per GPU-hour" -- "$GPB" run "$ROOT/bench/bench-60m.yaml" \
    --paths 200 --set 'team[0].salary_per_year=$200k/GPU-hour'
contains err "team[0].salary_per_year: expected an amount of money per" \
    "a salary refuses a price per GPU-hour"
contains err "found a price per GPU '\$200k/GPU-hour'" \
    "the refusal quotes the price"
expect 2 "price per year" -- "$GPB" run "$ROOT/bench/bench-60m.yaml" \
    --paths 200 --set 'training[pretrain].price_per_gpu_hour=$200k/year'
contains err "found a rate per year that names no GPU" \
    "a price per GPU-hour refuses a wage per year"

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

# A --qmc run says so, and where its errors come from (a review found it
# indistinguishable from a plain run); a precision target stops on the
# replicates' standard error.
for q in "" "--qmc"; do
    expect 0 "run json $q" -- "$GPB" run "$ROOT/scenarios/lightyear.yaml" \
        --paths 500 $q --json
    jis "(d['quasi_random'], 'error_note' in d)" \
        "$([ -n "$q" ] && echo "(True, True)" || echo "(False, False)")"
done
expect 0 "run text qmc" -- "$GPB" run "$ROOT/scenarios/lightyear.yaml" \
    --paths 500 --qmc
says out "quasi-random inputs (--qmc: Sobol points in 16 randomly shifted replicates): the means' standard errors are the replicates'" \
    "the text says where a --qmc run's standard errors come from"
expect 0 "qmc precision" -- "$GPB" run "$ROOT/scenarios/lightyear.yaml" \
    --qmc --precision 1% --paths 1000 --swing-paths 0 --json
jis "(d['quasi_random'], d['convergence']['reached'], d['convergence']['spend_total_rel_std_error'] <= 0.01)" \
    "(True, True, True)"

# --trace-path K replays path K alone: its metrics and inputs equal row K
# of --samples-csv (both printed from the same doubles; the CSV keeps 10
# significant digits, hence the relative tolerance 1e-9), for the first,
# a middle and the last path, plain and Sobol.
for q in "" "--qmc"; do
    "$GPB" run "$ROOT/scenarios/lightyear.yaml" --paths 700 --seed 11 $q \
        --samples-csv "$TMP/tr.csv" --quiet
    for k in 0 345 699; do
        expect 0 "trace $k $q" -- "$GPB" run "$ROOT/scenarios/lightyear.yaml" \
            --paths 700 --seed 11 $q --trace-path $k --json
        if python3 - "$TMP/tr.csv" "$TMP/out" "$k" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t = json.load(open(sys.argv[2]))
r = rows[int(sys.argv[3])]
vals = dict(t["metrics"]); vals.update(t["inputs"])
assert set(r) - {"path"} == set(vals), "columns differ"
for key, v in vals.items():
    c = float(r[key]) if r[key] != "" else float("nan")
    assert abs(c - v) <= 1e-9 * max(1.0, abs(v)), (key, c, v)
# The ledger adds up: cash(m) = cash(m-1) + income - spend, and the
# months' flows sum to each category's total.
cash = None
for m in t["months"]:
    if cash is not None:
        assert abs(cash + m["income"] - m["spend"] - m["cash"]) <= 1e-6 * max(1, abs(cash)), m["month"]
    cash = m["cash"]
for key, total in t["metrics"].items():
    if key.startswith(("spend.", "income.")) and key.split(".")[1] in t["months"][0]["flows"]:
        s = sum(m["flows"][key.split(".")[1]] for m in t["months"])
        assert abs(s - total) <= 1e-9 * max(1, abs(total)), key
PY
        then ok; else bad "trace $k $q differs from row $k of the samples"; fi
    done
done
expect 0 "trace text" -- "$GPB" run "$ROOT/scenarios/lightyear.yaml" \
    --paths 700 --seed 11 --trace-path 3
contains out "month" "trace prints the month table"
contains out "row of --samples-csv" "trace lists the path's metrics"
expect 2 "trace beyond paths" -- "$GPB" run --paths 100 --trace-path 100
contains err "paths 0 to 99" "trace names the range"
expect 2 "trace with files" -- "$GPB" run --paths 100 --trace-path 1 \
    --csv "$TMP/x.csv"
expect 0 "run points to the worst paths" -- "$GPB" run --paths 2000
contains out "--trace-path" "run shows how to replay the worst path"

# --- outputs never replace the scenario or each other ------------------------
# (a user review: 'run my.yaml --csv my.yaml' replaced the scenario with
# CSV, and '--csv f --html f' kept only the HTML, both with status 0)
cp "$ROOT/bench/bench-60m.yaml" "$TMP/keep.yaml"
cksum <"$TMP/keep.yaml" >"$TMP/keep.sum"
expect 2 "run --csv onto its scenario" -- "$GPB" run "$TMP/keep.yaml" \
    --paths 100 --quiet --csv "$TMP/keep.yaml"
contains err "that is the scenario file" "an output onto the scenario is refused"
if cksum <"$TMP/keep.yaml" | cmp -s - "$TMP/keep.sum"; then ok; else
    bad "the scenario file was changed"; fi
expect 2 "run two outputs to one file" -- "$GPB" run "$TMP/keep.yaml" \
    --paths 100 --quiet --csv "$TMP/same.out" --html "$TMP/same.out"
contains err "--csv and --html both write" "two outputs to one file are refused"
# However spelled ("x", "./x", a path through "..") and in compare and
# sweep too, which did not check at all (a user review: 'compare A B
# --html B.yaml' replaced B with HTML, status 0).
mkdir -p "$TMP/sub"
expect 2 "run two spellings of one output" -- "$GPB" run "$TMP/keep.yaml" \
    --paths 100 --quiet --html "$TMP/sub/../two.out" --xlsx "$TMP/two.out"
contains err "both write" "two spellings of one output are refused"
cp "$TMP/keep.yaml" "$TMP/keep2.yaml"
expect 2 "compare --html onto B" -- "$GPB" compare "$TMP/keep.yaml" \
    "$TMP/keep2.yaml" --paths 100 --quiet --html "$TMP/sub/../keep2.yaml"
contains err "that is the scenario file" "compare keeps its scenarios"
expect 2 "sweep --csv onto the scenario" -- "$GPB" sweep "$TMP/keep.yaml" \
    --vary 'training[0].gpus=8,16' --paths 100 --quiet --csv "$TMP/keep.yaml"
contains err "that is the scenario file" "sweep keeps its scenario"
expect 2 "sweep two outputs" -- "$GPB" sweep "$TMP/keep.yaml" \
    --vary 'training[0].gpus=8,16' --paths 100 --quiet --csv "$TMP/t.x" \
    --html "$TMP/sub/../t.x"
contains err "both write" "sweep's two outputs to one file are refused"
if cksum <"$TMP/keep.yaml" | cmp -s - "$TMP/keep.sum" &&
    cksum <"$TMP/keep2.yaml" | cmp -s - "$TMP/keep.sum"; then ok; else
    bad "compare or sweep changed a scenario file"; fi

# --- what an output path is ----------------------------------------------------
# An output is replaced whole, but a device stays a device (written in
# place; a workbook is refused), a symbolic link stays a link (its target
# replaced), a file keeps its mode, and a link to nothing is refused (a
# user review: --csv /dev/full as root replaced the device with a file).
expect 0 "run --csv /dev/null" -- "$GPB" run "$TMP/keep.yaml" --paths 100 \
    --quiet --swing-paths 0 --csv /dev/null
if [ -c /dev/null ]; then ok; else bad "/dev/null is no longer a device"; fi
expect 2 "run --xlsx /dev/null" -- "$GPB" run "$TMP/keep.yaml" --paths 100 \
    --quiet --swing-paths 0 --xlsx /dev/null
contains err "is not a regular file" "a workbook onto a device is refused"
if [ -c /dev/null ]; then ok; else bad "/dev/null is no longer a device"; fi
echo old >"$TMP/target.csv"
chmod 600 "$TMP/target.csv"
ln -s target.csv "$TMP/link.csv"
expect 0 "run --csv through a link" -- "$GPB" run "$TMP/keep.yaml" \
    --paths 100 --quiet --swing-paths 0 --csv "$TMP/link.csv"
if [ -L "$TMP/link.csv" ] && grep -q '^metric,' "$TMP/target.csv" &&
    [ "$(stat -c %a "$TMP/target.csv")" = 600 ]; then ok; else
    bad "a link's target is replaced, the link kept, the mode kept"; fi
ln -s nothing.csv "$TMP/dangling.csv"
expect 2 "run --csv to a dangling link" -- "$GPB" run "$TMP/keep.yaml" \
    --paths 100 --quiet --swing-paths 0 --csv "$TMP/dangling.csv"
contains err "symbolic link to a file that does not exist" \
    "a link to nothing is refused"
if ls "$TMP" | grep -q '\.tmp'; then bad "a temporary file was left"; else
    ok; fi
# Standard output that cannot be written is an error, said once.
if [ -c /dev/full ]; then
    "$GPB" run "$TMP/keep.yaml" --paths 100 --swing-paths 0 --json \
        >/dev/full 2>"$TMP/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "cannot write standard output" "$TMP/err"
    then ok; else bad "run --json > /dev/full: status $rc"; cat "$TMP/err"; fi
    "$GPB" gpus --json >/dev/full 2>"$TMP/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "cannot write standard output" "$TMP/err"
    then ok; else bad "gpus --json > /dev/full: status $rc"; cat "$TMP/err"; fi
fi
