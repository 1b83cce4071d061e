# Checks on a command's output shared by the CLI tests (sourced; they use
# TMP, ok and bad of the test that sources them). $TMP/out holds the output.

# jnear EXPR VALUE REL: a Python expression on the JSON output d, within a
# relative tolerance of VALUE.
jnear() {
    if python3 -c "
import json, sys
d = json.load(open('$TMP/out'))
v = $1
sys.exit(0 if abs(v - $2) <= $3 * abs($2) else 1)" 2>/dev/null; then ok
    else bad "$1 is not $2 (rel. tol. $3): $(python3 -c "
import json; d = json.load(open('$TMP/out')); print($1)" 2>&1)"; fi
}
# jis EXPR VALUE: a Python expression on the JSON output d, printed.
jis() {
    got=$(python3 -c "import json; d = json.load(open('$TMP/out')); print($1)" 2>&1)
    if [ "$got" = "$2" ]; then ok; else bad "$1: got '$got', wanted '$2'"; fi
}
# says FILE TEXT WHAT: TEXT is in FILE once white space is folded (the text
# outputs wrap at 80 columns, so a sentence may span lines).
says() {
    if python3 -c "
import sys
fold = lambda t: ' '.join(t.split())
sys.exit(0 if fold(sys.argv[2]) in fold(open(sys.argv[1], encoding='utf-8').read()) else 1)" "$TMP/$1" "$2"
    then ok; else bad "$3: '$2' not in $1"; sed 's/^/  | /' "$TMP/$1"; fi
}
# fits80 FILE WHAT: every line of FILE is at most 80 display columns (CJK
# characters count two).
fits80() {
    w=$(python3 -c "
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
print(max([width(l.rstrip('\n')) for l in open(sys.argv[1], encoding='utf-8')] or [0]))" "$1")
    if [ "$w" -le 80 ]; then ok; else bad "$2: a line is $w columns wide"; fi
}
