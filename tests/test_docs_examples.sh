#!/bin/sh
# The documentation's examples agree with the library and the command
# (tools/docs_examples.py): every spreadsheet formula shown with its value
# in docs/spreadsheets.md, called through the add-ins' binding; and the
# `$ gpubudget ...` transcripts of docs/check.md and README.md, run. A copy
# of each page with one number changed must fail, so the check is known to
# work.
#   test_docs_examples.sh GPUBUDGET LIBRARY
# LIBRARY is the shared library, or '-' where Python cannot load it (a
# sanitizer build): then only the transcripts are checked.
set -u
GPB=$1
LIB=$2
ROOT=${GPB_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {
    if [ "$LIB" = - ]; then
        python3 "$ROOT/tools/docs_examples.py" --check --no-formulas \
            --gpubudget "$GPB" "$@"
    else
        GPB_LIBRARY=$LIB python3 "$ROOT/tools/docs_examples.py" --check \
            --gpubudget "$GPB" "$@"
    fi
}

# The pages as committed agree.
if check "$ROOT/docs/spreadsheets.md" "$ROOT/docs/check.md" \
    "$ROOT/README.md" >"$TMP/log" 2>&1; then ok; else
    bad "the documentation's examples differ:"; sed 's/^/  | /' "$TMP/log"; fi

# must_fail PAGE SED WHAT [NAMED]: the page with one number changed by SED
# fails the check (and the message holds NAMED, when given).
must_fail() {
    sed "$2" "$ROOT/$1" >"$TMP/page.md"
    if cmp -s "$TMP/page.md" "$ROOT/$1"; then
        bad "$1 lost the example of $3"
    elif check "$TMP/page.md" >"$TMP/log" 2>&1; then
        bad "a wrong $3 passed"
    elif [ -n "${4:-}" ] && ! grep -qF "$4" "$TMP/log"; then
        bad "the wrong $3 is not named:"; sed 's/^/  | /' "$TMP/log"
    else
        ok
    fi
}
# GPB_TRAIN_DAYS(7E10;2E12;"H100";512) is 47.98 days (8.4e23 / (989.4e12 ·
# 0.40 · 3600) / 512 / 24); at fp8 the 30-day pitch needs MFU 0.32.
if [ "$LIB" != - ]; then
    must_fail docs/spreadsheets.md 's/→ 47\.98/→ 47.99/' "spreadsheet value" \
        "documents 47.99, the library gives 47.98"
fi
must_fail docs/check.md 's/needs MFU 0\.32, within/needs MFU 0.33, within/' \
    "transcript line"

echo "docs-examples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
