#!/bin/sh
# Runs the libFuzzer harnesses of a -Dfuzz=true build (docs/fuzzing.md).
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [SURFACE...]   search, SECONDS each
#   tests/fuzz/run.sh --smoke BUILD_DIR RUNS [SURFACE...]
#                     a bounded smoke: RUNS inputs each from a fresh seed
#                     corpus and a fixed seed (what ./setup.sh test runs)
#
# One harness at a time. Each run starts from the seed corpus
# (tests/fuzz/corpus.py) in BUILD_DIR/fuzz/corpus/SURFACE, which keeps what
# libFuzzer adds, and writes findings (crash-*, leak-*, timeout-*, oom-*)
# to BUILD_DIR/fuzz/findings/SURFACE/. Prints one line per harness
# ("fuzz SURFACE: ok, N runs, E exec/s" or "fuzz SURFACE: FINDING ...
# reproducer: PATH") and a last line "N passed, N failed". Exits 1 when
# any harness found something, 2 on a usage error.
set -u

smoke=0
if [ "${1:-}" = "--smoke" ]; then
    smoke=1
    shift
fi
if [ $# -lt 2 ]; then
    echo "usage: tests/fuzz/run.sh [--smoke] BUILD_DIR SECONDS|RUNS [SURFACE...]" >&2
    exit 2
fi
build=$1
amount=$2
shift 2
case "$amount" in
'' | *[!0-9]*)
    echo "run.sh: expected a whole number, found '$amount'" >&2
    exit 2
    ;;
esac
surfaces=${*:-scenario units cells pitch overrides}
src=$(cd "$(dirname "$0")" && pwd)

# Leaks and undefined behaviour are findings; libFuzzer itself stops at the
# first crash and writes the input. Per-input time limit (s): a scenario
# of 600 months simulates in well under a second even under ASan.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

passed=0
failed=0
for s in $surfaces; do
    bin=$build/tests/fuzz/fuzz_$s
    if [ ! -x "$bin" ]; then
        echo "fuzz $s: NOT BUILT: $bin (configure with -Dfuzz=true) (-Dfuzz=true)"
        failed=$((failed + 1))
        continue
    fi
    case $s in
    scenario) dict=yaml.dict maxlen=16384 ;;
    overrides) dict=yaml.dict maxlen=2048 ;;
    cells) dict=units.dict maxlen=2048 ;;
    *) dict=units.dict maxlen=1100 ;;
    esac
    findings=$build/fuzz/findings/$s
    if [ $smoke = 1 ]; then
        corpus=$build/fuzz/smoke-corpus/$s
        rm -rf "$corpus"
        limits="-runs=$amount -seed=1 -max_total_time=60"
    else
        corpus=$build/fuzz/corpus/$s
        limits="-max_total_time=$amount"
    fi
    mkdir -p "$findings" "$corpus"
    python3 "$src/corpus.py" "$s" "$corpus" >/dev/null || {
        echo "fuzz $s: cannot assemble the corpus"
        failed=$((failed + 1))
        continue
    }
    log=$build/fuzz/$s.log
    # shellcheck disable=SC2086
    "$bin" $limits -timeout=20 -rss_limit_mb=2048 -max_len=$maxlen \
        -dict="$src/$dict" -artifact_prefix="$findings/" \
        -print_final_stats=1 "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    # libFuzzer reports 0 exec/s for a run shorter than a second.
    [ "${eps:-}" = 0 ] && eps="(under a second)" || eps="${eps:-?} exec/s"
    if [ $rc -eq 0 ]; then
        echo "fuzz $s: ok, ${runs:-?} runs, $eps ($log)"
        passed=$((passed + 1))
    else
        what=$(grep -m1 -E '^property violated|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log")
        repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        echo "fuzz $s: FINDING (exit $rc): ${what:-see $log}"
        echo "fuzz $s: reproducer: ${repro:-none written; see $log}"
        echo "fuzz $s: replay it: $bin ${repro:-INPUT}; keep it as" \
            "tests/data/fuzz/$s/NAME (docs/fuzzing.md)"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
