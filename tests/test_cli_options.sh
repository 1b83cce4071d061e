#!/bin/sh
# The command line that explains itself: every option of every command is in
# the one table (tools/cli_options.c) and handled by its command's parser,
# --help and -h everywhere, `gpubudget help COMMAND`, the man page and
# docs/cli.md made from the table, 80 columns, exit statuses for bad input,
# and `gpubudget init`.
#   test_cli_options.sh PATH_TO_GPUBUDGET PATH_TO_GPUBUDGET.1 BUILD_ROOT
set -u
GPB=$1
MAN_PAGE=$2
BUILD=$3
ROOT=${GPB_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The tool would otherwise start itself again to set this (gpubudget.c);
# hundreds of short runs here need not pay for it.
OPENBLAS_NUM_THREADS=1
export OPENBLAS_NUM_THREADS
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
        bad "$what: exit $got, wanted $want"; sed 's/^/  | /' "$TMP/err"; fi
}
# contains FILE TEXT DESCRIPTION
contains() {
    if grep -qF -- "$2" "$TMP/$1"; then ok; else
        bad "$3: '$2' not in $1"; sed 's/^/  | /' "$TMP/$1"; fi
}
# lacks FILE TEXT DESCRIPTION
lacks() {
    if grep -qF -- "$2" "$TMP/$1"; then
        bad "$3: '$2' in $1"; sed 's/^/  | /' "$TMP/$1"; else ok; fi
}
# fits FILE DESCRIPTION: no line wider than 80 display columns (East Asian
# wide and fullwidth characters count two).
fits() {
    if python3 - "$TMP/$1" <<'PY'
import sys, unicodedata
bad = 0
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
            for c in line)
    if w > 80:
        print(f"  | line {n}, {w} columns: {line}")
        bad = 1
sys.exit(bad)
PY
    then ok; else bad "$2: lines wider than 80 columns"; fi
}

# The commands, from `gpubudget --help`.
"$GPB" --help >"$TMP/main-help"
COMMANDS=$(sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' \
    "$TMP/main-help")
if [ "$(echo "$COMMANDS" | wc -w)" -ge 9 ]; then ok; else
    bad "gpubudget --help lists too few commands: $COMMANDS"; fi
for c in estimate rent-vs-buy run raise check validate init gpus help; do
    case " $(echo $COMMANDS) " in
    *" $c "*) ok ;;
    *) bad "gpubudget --help does not list $c" ;;
    esac
done

# options CMD: the options CMD's --help documents, one a line: "--name ARG"
# or "--name" for a flag (from lines "  --name ARG  text", "  -h, --help").
options() {
    if [ "$1" = gpubudget ]; then "$GPB" --help; else "$GPB" "$1" --help; fi |
        sed -n '/^Options:/,/^$/p' |
        sed -n -E 's/^  (-., )?(--[a-z][a-z-]*)( [A-Z]+)?( .*)?$/\2\3/p'
}

# --- help, -h, `gpubudget help CMD` -----------------------------------------
expect 0 "gpubudget -h" -- "$GPB" -h
if cmp -s "$TMP/out" "$TMP/main-help"; then ok; else
    bad "gpubudget -h differs from --help"; fi
expect 0 "gpubudget help" -- "$GPB" help
if cmp -s "$TMP/out" "$TMP/main-help"; then ok; else
    bad "gpubudget help differs from --help"; fi
expect 0 "gpubudget --version" -- "$GPB" --version
contains out "gpubudget " "version names the tool"
expect 2 "gpubudget --bogus" -- "$GPB" --bogus
contains err "unknown or ambiguous option '--bogus'" "global option refused"
expect 2 "help for an unknown command" -- "$GPB" help frobnicate
contains err "unknown command 'frobnicate'" "help names the command"
for c in $COMMANDS; do
    expect 0 "$c --help" -- "$GPB" "$c" --help
    cp "$TMP/out" "$TMP/help-$c"
    contains out "usage: gpubudget $c" "$c --help has its usage"
    contains out "Options:" "$c --help lists its options"
    contains out "-h, --help" "$c --help lists -h"
    # The issue's complaint: `gpubudget help run` printed the general help.
    expect 0 "help $c" -- "$GPB" help "$c"
    if cmp -s "$TMP/out" "$TMP/help-$c"; then ok; else
        bad "gpubudget help $c differs from $c --help"; fi
    expect 0 "$c -h" -- "$GPB" "$c" -h
    if cmp -s "$TMP/out" "$TMP/help-$c"; then ok; else
        bad "$c -h differs from $c --help"; fi
    cp "$TMP/help-$c" "$TMP/w"
    fits w "$c --help"
done
fits main-help "gpubudget --help"
# Each option says what it does: a description after the name.
for c in $COMMANDS; do
    if sed -n '/^Options:/,/^$/p' "$TMP/help-$c" |
        grep -E '^  (-., )?--[a-z-]+( [A-Z]+)?$' >"$TMP/bare"; then
        # A long label puts its text on the next line: that line must be
        # indented text, not another option.
        while read -r label; do
            next=$(sed -n '/^Options:/,/^$/p' "$TMP/help-$c" |
                grep -A1 -xF "  $label" | sed -n 2p)
            case "$next" in
            "      "*[a-z]*) ok ;;
            *) bad "$c: $label has no description" ;;
            esac
        done <"$TMP/bare"
    else ok; fi
done
# The options the issue named, each with what it does.
for o in seed threads qmc quiet samples max-paths trace-path timings; do
    if grep -E "^  --$o( [A-Z]+)? +[a-z(]" "$TMP/help-run" >/dev/null ||
        grep -A1 -E "^  --$o( [A-Z]+)?$" "$TMP/help-run" |
            grep -q '^      '; then ok; else
        bad "run --help does not describe --$o"; fi
done
contains help-estimate "--json" "estimate --help lists --json"
contains help-validate "--strict" "validate --help lists --strict"
contains help-validate "exit 1 when there are warnings" \
    "validate --strict says what it does"

# --- the table and the parsers agree ----------------------------------------
# Every option a command documents is accepted and handled: a command that
# met a table option its parser does not handle would say "not handled" and
# exit 3. Each option is given a value where it takes one, and the command
# is made to stop soon after parsing (a scenario file that does not exist,
# options missing), so only the parsing is tested here.
trailer() {
    case $1 in
    run | raise | check | validate) echo "$TMP/no-such-scenario.yaml" ;;
    init) echo "$TMP/init-parse.yaml" ;;
    *) ;;
    esac
}
ALL_NAMES=
for c in gpubudget $COMMANDS; do
    options "$c" >"$TMP/opts-$c"
    if [ -s "$TMP/opts-$c" ]; then ok; else
        bad "no options parsed from $c --help"; fi
    dup=$(cut -d' ' -f1 "$TMP/opts-$c" | sort | uniq -d)
    if [ -z "$dup" ]; then ok; else bad "$c lists $dup twice"; fi
    while read -r name arg; do
        ALL_NAMES="$ALL_NAMES ${name#--}"
        [ "$name" = --help ] && continue
        set -- "$name"
        [ -n "$arg" ] && set -- "$name" 1
        rm -f "$TMP/init-parse.yaml"
        if [ "$c" = gpubudget ]; then
            "$GPB" "$@" >"$TMP/out" 2>"$TMP/err"
        else
            # shellcheck disable=SC2046
            "$GPB" "$c" "$@" $(trailer "$c") >"$TMP/out" 2>"$TMP/err"
        fi
        got=$?
        if [ "$got" -ne 3 ] && [ "$got" -lt 128 ] &&
            ! grep -q "unknown or ambiguous option\|not handle\|needs a value" \
                "$TMP/err"; then ok; else
            bad "$c $*: exit $got"; sed 's/^/  | /' "$TMP/err"; fi
    done <"$TMP/opts-$c"
done
# ... and nothing else: each name that some command has, given to a command
# that does not document it, is refused as unknown (raise used to accept
# and ignore --csv).
ALL_NAMES=$(echo "$ALL_NAMES" | tr ' ' '\n' | sort -u)
for c in gpubudget $COMMANDS; do
    for n in $ALL_NAMES; do
        if grep -q -- "^--$n\( \|$\)" "$TMP/opts-$c"; then continue; fi
        # getopt takes an unambiguous abbreviation ("--sample" for
        # "--samples-csv" where there is no "--samples"): not a new option.
        if grep -q -- "^--$n" "$TMP/opts-$c"; then continue; fi
        if [ "$c" = gpubudget ]; then
            "$GPB" "--$n" >"$TMP/out" 2>"$TMP/err"
        else
            "$GPB" "$c" "--$n" >"$TMP/out" 2>"$TMP/err"
        fi
        got=$?
        if [ "$got" -eq 2 ] &&
            grep -q "unknown or ambiguous option '--$n'" "$TMP/err"; then ok
        else bad "$c accepts --$n, which its help does not list (exit $got)"
        fi
    done
done
# A misspelt option gets the nearest one; a missing or unwanted value is
# named.
expect 2 "run --sede" -- "$GPB" run --sede 1
contains err "did you mean '--seed'?" "misspelt option gets a hint"
expect 2 "run --paths without a value" -- "$GPB" run --paths
contains err "--paths needs a value (N)" "missing value named"
expect 2 "run --quiet=1" -- "$GPB" run --quiet=1
contains err "--quiet takes no value" "flag with a value refused"
expect 2 "gpus -x" -- "$GPB" gpus -x
contains err "unknown option '-x'" "unknown short option refused"
# Seeds are read exactly, up to 2^63 - 1 (JSON writes it exactly): above
# 2^53 a double rounded two seeds to one run, and 2^63 printed negative
# (a user review).
expect 0 "run --seed 2^53+1" -- "$GPB" run --paths 100 --swing-paths 0 \
    --seed 9007199254740993 --json
contains out '"seed": 9007199254740993,' "a seed above 2^53 is kept exactly"
cp "$TMP/out" "$TMP/seed-odd.json"
expect 0 "run --seed 2^53" -- "$GPB" run --paths 100 --swing-paths 0 \
    --seed 9007199254740992 --json
# (the documents without their seed lines: the figures must differ)
if [ "$(grep -v '"seed"' "$TMP/out" | cksum)" = \
    "$(grep -v '"seed"' "$TMP/seed-odd.json" | cksum)" ]; then
    bad "seeds 2^53 and 2^53+1 gave one run"; else ok; fi
expect 0 "run --seed 2^63-1" -- "$GPB" run --paths 100 --swing-paths 0 \
    --seed 9223372036854775807 --json
contains out '"seed": 9223372036854775807,' "the largest seed is written exactly"
expect 2 "run --seed 2^63" -- "$GPB" run --paths 100 \
    --seed 9223372036854775808
contains err "from 0 to 9223372036854775807" "a seed above 2^63 - 1 is refused"
# The defaults the table prints are the ones the commands use.
expect 0 "raise defaults" -- "$GPB" raise --json --threads 2
paths=$(sed -n 's/^  "paths": \([0-9]*\),*$/\1/p' "$TMP/out")
seed=$(sed -n 's/^  "seed": \([0-9]*\),*$/\1/p' "$TMP/out")
conf=$(sed -n 's/^  "confidence": \([0-9.]*\),*$/\1/p' "$TMP/out")
"$GPB" raise --help >"$TMP/h"
contains h "Monte Carlo paths to simulate (default: $paths)" \
    "raise --help gives the default paths"
tr '\n' ' ' <"$TMP/h" | sed 's/  */ /g' >"$TMP/h1"
contains h1 "(default: $seed)" "raise --help gives the default seed"
contains h1 "(default: $conf)" "raise --help gives the default confidence"

# --- the manual page --------------------------------------------------------
expect 0 "help --man" -- "$GPB" help --man
cp "$TMP/out" "$TMP/gpubudget.1"
if cmp -s "$TMP/gpubudget.1" "$MAN_PAGE"; then ok; else
    bad "the built $MAN_PAGE differs from 'gpubudget help --man'"; fi
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS '"EXIT STATUS"' \
    ENVIRONMENT FILES EXAMPLES '"SEE ALSO"'; do
    contains gpubudget.1 ".SH $s" "man page has section $s"
done
contains gpubudget.1 "OPENBLAS_NUM_THREADS" "man page names the variable"
for code in 0 1 2; do
    contains gpubudget.1 ".B $code" "man page gives exit status $code"
done
# Every command and every option of each, in its own section.
for c in $COMMANDS; do
    contains gpubudget.1 ".SS \"gpubudget $c\"" "man page has $c"
    sed -n "/^\.SS \"gpubudget $c\"/,/^\.S[SH]/p" "$TMP/gpubudget.1" \
        >"$TMP/man-$c"
    while read -r name arg; do
        roff=$(echo "$name" | sed 's/-/\\-/g')
        contains "man-$c" "$roff" "man page documents $c $name"
    done <"$TMP/opts-$c"
done
if command -v man >/dev/null 2>&1; then
    # Rendered in UTF-8 (the page holds 千卡/月) at 80 columns: no warning
    # from man or groff, and no line wider than the terminal.
    LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat man --warnings -l \
        "$TMP/gpubudget.1" >"$TMP/man.txt" 2>"$TMP/man.err"
    if [ $? -eq 0 ] && [ ! -s "$TMP/man.err" ]; then ok; else
        bad "man -l warns"; sed 's/^/  | /' "$TMP/man.err"; fi
    contains man.txt "EXIT STATUS" "man renders the page"
    fits man.txt "the man page at 80 columns"
elif command -v groff >/dev/null 2>&1; then
    groff -man -ww -z -Tutf8 "$TMP/gpubudget.1" 2>"$TMP/man.err"
    if [ ! -s "$TMP/man.err" ]; then ok; else
        bad "groff warns"; sed 's/^/  | /' "$TMP/man.err"; fi
elif command -v mandoc >/dev/null 2>&1; then
    if mandoc -Tlint -Wwarning "$TMP/gpubudget.1"; then ok; else
        bad "mandoc -Tlint warns"; fi
else
    echo "note: no man, groff or mandoc: structural checks only"
fi
# Installed into man1.
if meson introspect "$BUILD" --installed >"$TMP/installed" 2>/dev/null; then
    contains installed "/man1/gpubudget.1\"" "meson installs gpubudget.1"
else
    bad "meson introspect --installed failed"
fi

# --- docs/cli.md is what the tool prints ------------------------------------
expect 0 "help --markdown" -- "$GPB" help --markdown
if cmp -s "$TMP/out" "$ROOT/docs/cli.md"; then ok; else
    bad "docs/cli.md differs from 'gpubudget help --markdown' (regenerate it)"
    diff "$ROOT/docs/cli.md" "$TMP/out" | head -20
fi

# --- the examples of the documents run -------------------------------------
# In a fresh directory, in the order the documents give them (init writes
# the plan.yaml the later ones use); `gpubudget check` with no files reads
# one scenario here, not all of scenarios/.
mkdir -p "$TMP/ex/bin" "$TMP/ex/one"
ln -s "$GPB" "$TMP/ex/bin/gpubudget"
ln -s "$ROOT/scenarios" "$TMP/ex/scenarios"
cp "$ROOT/scenarios/gpt3-run.yaml" "$TMP/ex/one/"
awk '/^```sh$/ { f = 1; next } /^```$/ { f = 0 } f' "$ROOT/docs/cli.md" \
    >"$TMP/ex/examples.sh"
if [ "$(grep -c '^gpubudget ' "$TMP/ex/examples.sh")" -ge 10 ]; then ok; else
    bad "docs/cli.md has too few examples"; fi
if (cd "$TMP/ex" && PATH="$TMP/ex/bin:$PATH" GPB_SCENARIOS_DIR="$TMP/ex/one" \
    sh -e -x examples.sh) >"$TMP/out" 2>"$TMP/err"; then ok; else
    bad "an example of docs/cli.md fails"; tail -5 "$TMP/err"; fi

# --- 80 columns -------------------------------------------------------------
expect 0 "gpus" -- "$GPB" gpus
fits out "gpus"
contains out "H100-SXM" "gpus lists the cards"
expect 0 "gpus json" -- "$GPB" gpus --json
contains out '"rent_source"' "gpus --json keeps every field"
# run's text, the trace of a path (its ledger splits into panels when the
# columns do not fit) and raise, for every scenario, in both currencies.
for s in "$ROOT"/scenarios/*.yaml; do
    for cur in USD CNY; do
        "$GPB" run "$s" --paths 300 --swing-paths 0 --currency $cur \
            >"$TMP/out" 2>"$TMP/err" || bad "run $s: exit $?"
        fits out "run $(basename "$s") in $cur"
        "$GPB" run "$s" --paths 300 --trace-path 7 --currency $cur \
            >"$TMP/out" 2>"$TMP/err" || bad "trace $s: exit $?"
        fits out "run --trace-path of $(basename "$s") in $cur"
    done
done
# The ledger of openai-2022 has more columns than fit: two panels, each with
# the month, and the out-of-cash mark.
expect 0 "trace panels" -- "$GPB" run "$ROOT/scenarios/openai-2022.yaml" \
    --paths 300 --trace-path 7
if [ "$(grep -c '^  month ' "$TMP/out")" -ge 2 ]; then ok; else
    bad "a wide ledger is not split into panels"; fi
contains out "← out of cash" "the trace marks the month cash runs out"

# --- bad input exits 2 ------------------------------------------------------
# The issue's command, and estimate on a card without a catalog price,
# which exited 1.
expect 2 "estimate --gpu A800" -- "$GPB" estimate --gpu A800
contains err "needs --params, --tokens, --gpu and --gpus" \
    "estimate names what is missing"
expect 2 "estimate A800 without --price" -- "$GPB" estimate --params 10B \
    --tokens 200B --gpu A800 --gpus 100
contains err "--price" "the message says what to pass"
contains err "A800" "the message names the card"
expect 2 "estimate A800 --days without --price" -- "$GPB" estimate \
    --params 10B --tokens 200B --gpu A800 --gpus 100 --days 30
expect 2 "no command" -- "$GPB"
expect 2 "validate without files" -- "$GPB" validate
expect 2 "gpus with an operand" -- "$GPB" gpus H100
expect 2 "rent-vs-buy --paths without --scenario" -- "$GPB" rent-vs-buy \
    --gpu H100 --gpus 8 --months 12 --paths 100
contains err "--paths goes with --scenario" "ignored options are refused"
expect 2 "help with two topics" -- "$GPB" help run raise
# Options that would be silently ignored are refused.
expect 2 "run --samples without a workbook" -- "$GPB" run --samples \
    --paths 100
contains err "--samples adds a sheet to the workbook" "--samples explained"
expect 2 "trace with --timings" -- "$GPB" run --paths 100 --trace-path 1 \
    --timings
expect 2 "trace with --swing-paths" -- "$GPB" run --paths 100 \
    --trace-path 1 --swing-paths 10
expect 2 "rent-vs-buy --scenario with --tariff" -- "$GPB" rent-vs-buy \
    --scenario "$TMP/none.yaml" --tariff '$0.1/kWh'
contains err "drop --tariff" "a scenario's costs are not mixed with options"
# Every option's value, mangled, gives 0 or 2: never 1 (reserved for
# failed checks), 3 or a crash. Each command gets what it needs to run
# after the option, so an accepted value runs the command to its end.
base() {
    case $1 in
    estimate) echo "--params 7B --tokens 1T --gpu H100 --gpus 8" ;;
    rent-vs-buy) echo "--gpu H100 --gpus 8 --months 12" ;;
    run) echo "--paths 200 --swing-paths 0 --quiet" ;;
    raise) echo "--paths 200" ;;
    check) echo "--paths 200 $ROOT/scenarios/gpt3-run.yaml" ;;
    validate) echo "$ROOT/scenarios/gpt3-run.yaml" ;;
    *) ;;
    esac
}
mkdir "$TMP/work"
for c in $COMMANDS; do
    while read -r name arg; do
        [ -n "$arg" ] || continue
        for v in x "" -1 0 1e400; do
            # shellcheck disable=SC2046
            (cd "$TMP/work" && "$GPB" "$c" $(base "$c") "$name" "$v") \
                >"$TMP/out" 2>"$TMP/err"
            got=$?
            if [ "$got" -eq 0 ] || [ "$got" -eq 2 ]; then ok; else
                bad "$c $name '$v': exit $got"; sed 's/^/  | /' "$TMP/err"
            fi
        done
    done <"$TMP/opts-$c"
done

# --- gpubudget init ---------------------------------------------------------
expect 0 "init to stdout" -- "$GPB" init
cp "$TMP/out" "$TMP/stdout.yaml"
contains stdout.yaml "docs/scenario.md" "the scenario points to the reference"
for key in "cash:" "funding:" "team:" "training:" "serving:" "revenue:"; do
    contains stdout.yaml "$key" "the starting scenario has $key"
done
expect 0 "init -" -- "$GPB" init -
if cmp -s "$TMP/out" "$TMP/stdout.yaml"; then ok; else
    bad "init - differs from init"; fi
expect 0 "init FILE" -- "$GPB" init "$TMP/plan.yaml"
if cmp -s "$TMP/plan.yaml" "$TMP/stdout.yaml"; then ok; else
    bad "init FILE differs from init to stdout"; fi
contains out "gpubudget validate $TMP/plan.yaml" "init says what to do next"
expect 0 "init validates" -- "$GPB" validate "$TMP/plan.yaml"
contains out "plan.yaml: ok" "the starting scenario validates"
expect 0 "init runs" -- "$GPB" run "$TMP/plan.yaml" --paths 1000 \
    --swing-paths 0
contains out "P(out of cash within" "the starting scenario runs"
fits out "run of the starting scenario"
expect 0 "init raises" -- "$GPB" raise "$TMP/plan.yaml" --paths 1000 \
    --months 18
# Every key in the file has a comment, on its line or just above it; only
# the names of list items and the fields of a source need none.
if python3 - "$TMP/plan.yaml" <<'PY'
import re, sys
uncommented = []
prev = ""
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    s = line.rstrip("\n")
    m = re.match(r"^(\s*)(- )?([a-z_]+):", s)
    if m and "#" not in s and not prev.lstrip().startswith("#") and \
            m.group(3) not in {"id", "title", "date", "url", "quote",
                               "name", "role", "failures", "divergence"}:
        uncommented.append(f"{n}: {s}")
    if s.strip():
        prev = s
for u in uncommented:
    print("  | no comment:", u)
sys.exit(1 if uncommented else 0)
PY
then ok; else bad "keys of the starting scenario without a comment"; fi
fits stdout.yaml "the starting scenario"
# An existing file is kept (exit 2, named), unless --force.
echo "mine" >"$TMP/keep.yaml"
expect 2 "init over a file" -- "$GPB" init "$TMP/keep.yaml"
contains err "$TMP/keep.yaml" "init names the file it keeps"
contains err "--force" "init says how to replace it"
if [ "$(cat "$TMP/keep.yaml")" = mine ]; then ok; else
    bad "init changed an existing file"; fi
expect 0 "init --force" -- "$GPB" init --force "$TMP/keep.yaml"
if cmp -s "$TMP/keep.yaml" "$TMP/stdout.yaml"; then ok; else
    bad "init --force did not replace the file"; fi
expect 2 "init into a missing directory" -- "$GPB" init \
    "$TMP/no/such/dir/plan.yaml"
contains err "cannot write" "init says it cannot write"
expect 2 "init two files" -- "$GPB" init "$TMP/a.yaml" "$TMP/b.yaml"
# Written whole or not at all: no temporary file is left behind.
if ls "$TMP" | grep -q '\.tmp'; then bad "init left a temporary file"; else
    ok; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
