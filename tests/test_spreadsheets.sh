#!/bin/sh
# End-to-end test of the spreadsheet add-ins: installs them into a throwaway
# HOME and LibreOffice profile, recalculates the example workbook
# (examples/spreadsheets/investor.ods, plus a Check and an Errors sheet) in
# Gnumeric (ssconvert --recalc) and in LibreOffice (soffice --headless
# --convert-to csv), and compares every result cell with libgpubudget called
# directly (tests/spreadsheets_check.py).
#
#   test_spreadsheets.sh LIBGPUBUDGET.so
#
# A missing program is a failure, not a skip: ./setup.sh installs them
# (gnumeric, gnumeric-plugins-extra, libreoffice-calc,
# libreoffice-script-provider-python, python3).
set -u

lib=${1:-${GPB_LIBRARY:-}}
root=${GPB_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
status=0

fail() {
    echo "FAIL: $*" >&2
    status=1
}

for prog in python3 ssconvert soffice; do
    if ! command -v "$prog" >/dev/null 2>&1; then
        echo "FAIL: $prog is not installed; run ./setup.sh deps (it" \
            "installs gnumeric, gnumeric-plugins-extra, libreoffice-calc," \
            "libreoffice-script-provider-python and python3)" >&2
        exit 1
    fi
done
if [ -z "$lib" ] || [ ! -f "$lib" ]; then
    echo "FAIL: no library at '$lib' (pass the build's lib/libgpubudget.so)" >&2
    exit 1
fi
case "$lib" in
/*) ;;
*) lib="$(pwd)/$lib" ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gpb-sheets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/work" "$tmp/gnumeric" "$tmp/libreoffice"
# Everything the programs write goes to the throwaway HOME; they run in a
# directory that holds the scenario, as a user's workbook would.
export HOME="$tmp/home"
export GPB_LIBRARY="$lib"
export GPB_SOURCE_ROOT="$root"
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
unset GPB_SCENARIO_PATH
unset DISPLAY WAYLAND_DISPLAY
cp "$root/examples/spreadsheets/pitch.yaml" "$tmp/work/"
cd "$tmp/work" || exit 1

check="python3 $root/tests/spreadsheets_check.py"
$check lint || status=1
$check prepare "$tmp/work/investor-test.ods" || exit 1

# --- Gnumeric ----------------------------------------------------------------
"$root/tools/gnumeric/install.sh" --library "$lib" >"$tmp/gnumeric.log" 2>&1 ||
    { cat "$tmp/gnumeric.log" >&2; fail "tools/gnumeric/install.sh"; }
timeout 120 ssconvert --recalc -S investor-test.ods \
    "$tmp/gnumeric/out.%n.csv" >>"$tmp/gnumeric.log" 2>&1
rc=$?
# ssconvert 1.12.55 may crash on exit after Python functions ran (an upstream
# bug in the Python loader's teardown): a SIGSEGV (139) after the CSV files
# are written is tolerated, and the files are checked cell by cell below.
# Any other failure, a timeout (124) or missing output fails the test.
case $rc in
0) ;;
139) echo "note: ssconvert crashed at exit (SIGSEGV, upstream bug);" \
    "checking its output" ;;
*) cat "$tmp/gnumeric.log" >&2; fail "ssconvert exited with status $rc" ;;
esac
if grep -q "Execution of module\|Traceback" "$tmp/gnumeric.log"; then
    cat "$tmp/gnumeric.log" >&2
    fail "the Gnumeric plugin did not load"
fi
$check compare gnumeric "$tmp/gnumeric" || status=1

# --- LibreOffice ---------------------------------------------------------------
profile="$tmp/lo-profile"
"$root/tools/libreoffice/install.sh" --library "$lib" --profile "$profile" \
    --recalc-on-load >"$tmp/libreoffice.log" 2>&1 ||
    { cat "$tmp/libreoffice.log" >&2; fail "tools/libreoffice/install.sh"; }
# One document holds every cell: LibreOffice's cold start costs seconds.
# The filter options: comma, double quote, UTF-8, from line 1, formatted as
# shown, and -1 = every sheet into its own file.
timeout 150 soffice --headless --norestore --nologo \
    "-env:UserInstallation=file://$profile" \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
    --outdir "$tmp/libreoffice" investor-test.ods \
    >>"$tmp/libreoffice.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    cat "$tmp/libreoffice.log" >&2
    fail "soffice exited with status $rc"
fi
$check compare libreoffice "$tmp/libreoffice" || status=1

[ $status -eq 0 ] && echo "spreadsheets: ok"
exit $status
