# Sourced by test_cli.sh: gpubudget rent-vs-buy. Uses its helpers expect,
# contains and near, and $GPB, $TMP.

# The round-number case of test_finance.c: 1000 cards at $25,000 with
# nothing else to pay for owning (no overhead, power, colocation or
# maintenance), worthless at the end (resale decline 1), no discounting;
# rent $2 per GPU-hour for 36 months at 70%.
#   buy  = 25,000,000
#   rent = 1000 · 730.5 · 0.7 · 2 · 36 = 36,817,200
#   break-even utilisation u* = 25e6 / (1000 · 36 · 730.5 · 2)
#                             = 25e6 / 52,596,000 = 0.4753213172
#   break-even months (payback) = 25e6 / 1,022,700 = 24.445096314
ROUND="--gpu H100 --gpus 1000 --months 36 --utilization 0.7 --rent \$2/h
 --price \$25k --overhead 0 --tariff \$0/kWh --colo 0 --maintenance 0
 --resale-decline 1 --discount-rate 0"
# shellcheck disable=SC2086
expect 0 "rent-vs-buy round numbers" -- "$GPB" rent-vs-buy $ROUND --json
near breakeven_utilization 0.4753213172 1e-8
near breakeven_months 24.445096314 1e-8
near buy_cash_total 25000000 1e-12
near rent_cash_total 36817200 1e-12
near rent_npv 36817200 1e-12
contains out '"cheaper": "buy"' "buying is cheaper at 70%"
# Every month is in the JSON: months 0..36.
if grep -q '"month": 36' "$TMP/out" && ! grep -q '"month": 37' "$TMP/out"
then ok; else bad "JSON has months 0..36"; fi
# Three months of lead time: both options rent months 1-3, so
# u* = 25e6 / (33 · 1000 · 730.5 · 2) = 0.5185323460.
# shellcheck disable=SC2086
expect 0 "rent-vs-buy lead time" -- "$GPB" rent-vs-buy $ROUND \
    --lead-time 3 --json
near breakeven_utilization 0.5185323460 1e-8

# The text report: a table, the verdict, and the catalog's sources.
expect 0 "rent-vs-buy text" -- "$GPB" rent-vs-buy --gpu H100 --gpus 1000 \
    --months 36
contains out "break-even utilisation" "text has the break-even"
contains out "SemiAnalysis" "text shows the price's source"
contains out "cum. rent" "text has the monthly table"
if awk '{ if (length($0) > 80) exit 1 }' "$TMP/out"; then ok; else
    bad "rent-vs-buy text wider than 80 columns"; fi
# No break-even: cards dearer than 36 months of full-time rent.
# shellcheck disable=SC2086
expect 0 "rent-vs-buy no break-even" -- "$GPB" rent-vs-buy $ROUND \
    --price '$60k'
contains out "renting is cheaper at any utilisation" "no break-even said"
# Yuan in, yuan out.
expect 0 "rent-vs-buy CNY" -- "$GPB" rent-vs-buy --gpu A800 --gpus 100 \
    --months 24 --rent '¥10/h' --price '¥9万' --json
contains out '"currency": "CNY"' "CNY prices give a CNY report"

# Bad input: exit 2 with a message naming the option.
expect 2 "rent-vs-buy missing option" -- "$GPB" rent-vs-buy --gpu H100
contains err "--gpus" "missing option named"
expect 2 "rent-vs-buy utilisation above 1" -- "$GPB" rent-vs-buy \
    --gpu H100 --gpus 8 --months 12 --utilization 1.5
contains err "--utilization '1.5': expected a fraction in [0, 1]" \
    "utilisation above 1 named"
expect 2 "rent-vs-buy negative price" -- "$GPB" rent-vs-buy --gpu H100 \
    --gpus 8 --months 12 --price '-$5'
contains err "--price" "negative price named"
expect 2 "rent-vs-buy unknown mode" -- "$GPB" rent-vs-buy --gpu H100 \
    --gpus 8 --months 12 --mode hourly
contains err "on-demand, reserved or spot" "valid modes listed"
expect 2 "rent-vs-buy lead time beyond horizon" -- "$GPB" rent-vs-buy \
    --gpu H100 --gpus 8 --months 12 --lead-time 13
expect 2 "rent-vs-buy half a card" -- "$GPB" rent-vs-buy --gpu H100 \
    --gpus 0.5 --months 12
contains err "--gpus: must be a whole number from 1 to 10000000 (got 0.5)" \
    "fractional gpus named"
expect 2 "rent-vs-buy fractional node" -- "$GPB" rent-vs-buy --gpu H100 \
    --gpus 8 --months 12 --gpus-per-node 2.5
contains err "--gpus-per-node: must be a whole number" \
    "fractional gpus per node named"
expect 2 "rent-vs-buy no price known" -- "$GPB" rent-vs-buy --gpu TPU-v4 \
    --gpus 8 --months 12
contains err "give --price" "missing catalog price explained"
expect 2 "rent-vs-buy unknown option" -- "$GPB" rent-vs-buy --gpu H100 \
    --gpus 8 --months 12 --frobnicate

# --scenario: two engine runs of the scenario's own plan, as written (its
# cards bought) and renting every card instead, on common random numbers.
# The scenario below is the round case as a capacity workload (1000 GPUs
# busy 70% of every month for 36 months), so the engine must reproduce the
# deterministic comparison: NPV(buy) - NPV(rent) = 25e6 - 36,817,200 =
# -11,817,200 on every path. With the card price uniform on $20k-$50k
# (break-even at $36,817.20) P(buy cheaper) lies strictly between 0 and 1.
rvb_scenario() { # card price value or distribution
    cat >"$TMP/rvb.yaml" <<YAML
gpubudget: 1
name: rvb
currency: USD
horizon_months: 36
company: {cash: "\$100M", discount_rate_per_year: 0}
fleets:
  - {name: own, gpu: H100, gpus: 1000, price_per_gpu: $1, overhead: 0,
     tariff_per_kwh: "\$0/kWh", colo_per_kw_month: 0,
     maintenance_per_year: 0, resale_decline_per_year: 1}
capacity:
  - {name: cluster, gpu: H100, gpus: 1000, utilization: 0.7, months: 36,
     acquire: mix, fleet: own, price_per_gpu_hour: "\$2/h",
     follows_price_index: false}
YAML
}
rvb_scenario '"$25k"'
expect 0 "rent-vs-buy fixed scenario" -- "$GPB" rent-vs-buy \
    --scenario "$TMP/rvb.yaml" --paths 200 --json
near p_buy_cheaper 1 0
near npv_buy_minus_rent_p50 -11817200 1e-12
near npv_buy_minus_rent_mean -11817200 1e-12
rvb_scenario '{uniform: ["$20k", "$50k"]}'
expect 0 "rent-vs-buy uncertain scenario" -- "$GPB" rent-vs-buy \
    --scenario "$TMP/rvb.yaml" --paths 2000 --json
p=$(sed -n 's/^ *"p_buy_cheaper": \([0-9.eE+-]*\),*$/\1/p' "$TMP/out")
# The share of paths whose card price is below the break-even, 16.8/30,
# within 4 binomial standard errors.
if awk -v p="$p" 'BEGIN { q = 16.8172 / 30; se = sqrt(q * (1 - q) / 2000);
        exit !(p > q - 4 * se && p < q + 4 * se) }'; then ok; else
    bad "uncertain P(buy cheaper) = $p, wanted 0.5606 within 4 SE"; fi
expect 0 "rent-vs-buy scenario text" -- "$GPB" rent-vs-buy \
    --scenario "$TMP/rvb.yaml" --paths 500
contains out "P(buying is cheaper" "text reports P(buy cheaper)"
contains out "Mean cash for compute by month" "text has the months"
expect 2 "rent-vs-buy scenario without cards" -- "$GPB" rent-vs-buy \
    --scenario "$ROOT/bench/bench-60m.yaml" --paths 100
contains err "buys no cards" "a scenario that buys nothing is refused"
expect 2 "rent-vs-buy scenario with --gpus" -- "$GPB" rent-vs-buy \
    --gpu A100 --gpus 1000 --months 36 --scenario "$TMP/rvb.yaml"
contains err "drop --gpu, --gpus and --months" \
    "the scenario's plan is not mixed with command-line cards"
expect 2 "rent-vs-buy bad paths" -- "$GPB" rent-vs-buy \
    --scenario "$TMP/rvb.yaml" --paths 1e30
contains err "--paths must be a whole number" "paths out of range refused"
