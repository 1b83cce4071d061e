# Sourced by test_cli.sh: the tool checks plans, not only syntax (issue 12).
# validate prints a plan's warnings as "file:line:col: warning: key:
# message" and exits 0, or 1 with --strict; errors exit 2 either way. run
# prints the warnings, still runs, and marks the runs that do not finish on
# most paths. The cases are the issue's, kept as fixtures under
# tests/data/warnings and tests/data/invalid (test_scenario_plan.c and
# test_scenario.c check the library's side of them).
W="$ROOT/tests/data/warnings"
I="$ROOT/tests/data/invalid"

# warns CASE LINE COL PATH MESSAGE: validate CASE exits 0, and 1 with
# --strict; both print the warning (stderr) at LINE:COL for PATH.
warns() {
    f="$W/$1/input.yaml"
    expect 0 "validate $1" -- "$GPB" validate "$f"
    contains err "$f:$2:$3: warning: $4: $5" "validate $1: the warning"
    contains out "$f: loads, with 1 warning" "validate $1: the summary"
    expect 1 "validate --strict $1" -- "$GPB" validate --strict "$f"
    contains err "$f:$2:$3: warning: $4: $5" "validate --strict $1: warning"
}

# 13B on 2 H800s: 1.56e23 FLOPs at 2 x 989.4 TFLOP/s x 0.40 is 74.9 months.
warns run-cannot-finish 11 5 "training[0]" \
    "run 'pretrain' needs 74.9 months (1.56e+23 FLOPs on 2 H800 at MFU 0.40"
contains err "cannot finish within the 24-month horizon (months 0 to 23) on most paths" \
    "13B on 2 H800s: why"
# A round at month 30 in a 24-month horizon.
warns round-after-horizon 7 31 "company.funding[0].month" \
    "round 'series-a' closes in month 30, after the 24-month horizon"
# A run starting after the horizon.
warns run-starts-after-horizon 11 18 "training[0].start_month" \
    "run 'late' starts in month 30, after the 24-month horizon"
# A team line whose end_month precedes its start_month (two lines: the
# second ends as it starts).
f="$W/team-ends-before-start/input.yaml"
expect 0 "validate team end" -- "$GPB" validate "$f"
contains err "$f:10:16: warning: team[0].end_month: end_month 3 precedes start_month 6: role 'staff' is paid in no month" \
    "end_month before start_month"
contains err "$f:15:16: warning: team[1].end_month: end_month 4 equals start_month 4" \
    "end_month equal to start_month"
contains out "loads, with 2 warnings" "two warnings counted"
expect 1 "validate --strict team end" -- "$GPB" validate --strict "$f"
# --strict after the file, and several files: the worst status wins.
expect 1 "validate file --strict" -- "$GPB" validate "$f" --strict
expect 2 "validate strict with an error" -- "$GPB" validate --strict "$f" \
    "$I/fraction-as-percent/input.yaml"
expect 0 "validate strict clean" -- "$GPB" validate --strict \
    "$ROOT/scenarios/qianka-month.yaml"
contains out "qianka-month.yaml: ok" "a clean scenario is ok"
expect 2 "validate unknown option" -- "$GPB" validate --strcit "$f"
contains err "option '--strcit'; did you mean '--strict'?" "unknown option named, with the near one"

# YAML hints: errors, exit 2 with or without --strict, with their place.
# errs CASE LINE COL PATH MESSAGE
errs() {
    f="$I/$1/input.yaml"
    expect 2 "validate $1" -- "$GPB" validate "$f"
    contains err "$f:$2:$3: $4: $5" "validate $1: the hint"
    expect 2 "validate --strict $1" -- "$GPB" validate --strict "$f"
}
errs syntax-tab 4 1 company \
    "YAML syntax error: tabs are not allowed in YAML; indent with spaces"
errs syntax-unquoted-brackets 14 15 "correlations[0].between[0]" \
    'YAML syntax error: training[0].mfu has brackets, which YAML reads as a list inside the list around it; quote it: "training[0].mfu"'
errs fraction-as-percent 5 50 "company.funding[0].probability" \
    "expected a probability in [0, 1], found '60'; did you mean 60% = 0.60?"
errs on-cost-as-percent 10 14 "team[0].on_cost" \
    "expected a fraction of salary in [0, 10], found '35'; did you mean 35% = 0.35?"
# on_cost: 1.3 is accepted with a warning (the share added, not the
# multiplier).
f="$W/percent-in-range/input.yaml"
expect 1 "validate --strict on_cost 1.3" -- "$GPB" validate --strict "$f"
contains err "$f:12:14: warning: team[0].on_cost: '1.3' means 130%" \
    "on_cost above 1 warns"

# run: the warnings on stderr, the run still made, its rows marked.
f="$W/run-cannot-finish/input.yaml"
expect 0 "run with warnings" -- "$GPB" run "$f" --paths 500
contains err "$f:11:5: warning: training[0]: run 'pretrain' needs 74.9 months" \
    "run prints the warning"
contains out "! pretrain: cost" "run marks the run's cost row"
contains out "! pretrain: finish month            ≥ 24" \
    "run's finish month is at least the horizon"
contains out "!   finished in horizon              0.0%  does not finish on most paths:" \
    "run says the run does not finish"
contains out "its cost and months are lower bounds" "run says lower bounds"
if grep -q '^! ' "$TMP/err"; then bad "marks on stderr"; else ok; fi
# A run that finishes is not marked, and nothing is printed on stderr.
expect 0 "run clean" -- "$GPB" run "$ROOT/scenarios/qianka-month.yaml" \
    --paths 500 --quiet
if grep -q '^!' "$TMP/out"; then bad "a finishing run is marked"; else ok; fi
if [ -s "$TMP/err" ]; then bad "clean run wrote to stderr"; cat "$TMP/err"
else ok; fi
# JSON: a flag per run, and the warnings.
expect 0 "run json with warnings" -- "$GPB" run "$f" --paths 500 --json
if python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["training"]["pretrain"]
assert t == {"finished": 0.0, "finishes_on_most_paths": False}, t
w = d["warnings"]
assert len(w) == 1 and w[0]["path"] == "training[0]", w
assert (w[0]["line"], w[0]["column"]) == (11, 5), w
assert w[0]["message"].startswith("run 'pretrain' needs 74.9 months"), w
PY
then ok; else bad "run JSON: training flag and warnings"; fi
expect 0 "run json clean" -- "$GPB" run "$ROOT/scenarios/qianka-month.yaml" \
    --paths 500 --json
if python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["training"]["pretrain"]
assert t["finishes_on_most_paths"] is True and t["finished"] >= 0.5, t
assert d["warnings"] == [], d["warnings"]
PY
then ok; else bad "run JSON of a clean scenario"; fi

# --- claims that only a simulation can evaluate -----------------------------
# validate runs one block and checks each claim's metric and value: an
# unknown metric or a value in the wrong units is an error at the line and
# column of its key (a user review: validate said ok, and check pointed at
# the claim's first line).
cat >"$TMP/vclaim.yaml" <<'YAML'
gpubudget: 1
name: claims to validate
currency: USD
company: {cash: "$10M"}
other_costs: [{name: burn, per_month: "$1M"}]
claims:
  - id: bad-metric
    metric: training.nope.cost
    value: "$5M"
  - id: bad-value
    metric: spend.total
    value: "$5/h"
  - id: fine
    metric: spend.total
    value: "$24M"
YAML
expect 2 "validate bad claims" -- "$GPB" validate "$TMP/vclaim.yaml"
contains err "vclaim.yaml:8:13: claims[0].metric: unknown metric 'training.nope.cost'" \
    "a claim's unknown metric at its key"
contains err "vclaim.yaml:12:12: claims[1].value:" "a claim's value in the wrong units at its key"
contains err "2 claims of" "validate counts the claims in error"
