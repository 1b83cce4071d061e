#!/bin/sh
# End-to-end test of the spreadsheet add-ins: installs them into a throwaway
# HOME and LibreOffice profile, recalculates the example workbook
# (examples/spreadsheets/investor.ods, plus a Check, an Errors and an Empty
# sheet) in Gnumeric (ssconvert --recalc) and in LibreOffice (soffice
# --headless --convert-to csv), and compares every result cell with
# libgpubudget called directly (tests/spreadsheets_check.py).
#
# Both programs run from a directory that does not hold the scenario: the
# workbook's relative "pitch.yaml" must be found beside the workbook. And
# ssconvert must exit with status 0, on the workbook and on a sheet that
# only asks GPB_VERSION() (Gnumeric's Python loader used to crash at exit;
# the plugin works around it, docs/spreadsheets.md).
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
doc="$tmp/doc"
mkdir -p "$tmp/home" "$doc" "$tmp/elsewhere" "$tmp/gnumeric" \
    "$tmp/libreoffice"
# Everything the programs write goes to the throwaway HOME. The workbook and
# its scenario are in $doc; the programs run in $tmp/elsewhere, which holds
# no scenario, so the Monte Carlo cells work only if the add-ins look
# beside the workbook.
export HOME="$tmp/home"
export GPB_LIBRARY="$lib"
export GPB_SOURCE_ROOT="$root"
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
unset GPB_SCENARIO_PATH
unset DISPLAY WAYLAND_DISPLAY
cp "$root/examples/spreadsheets/pitch.yaml" "$doc/"

check="python3 $root/tests/spreadsheets_check.py"
# The checker resolves "pitch.yaml" as the library does: from $doc.
(cd "$doc" && $check lint) || status=1
$check prepare "$doc/investor-test.ods" || exit 1
python3 - "$doc/version.ods" <<'PY' || exit 1
# A sheet with GPB_VERSION() and two closed forms, for the exit status.
import os, sys
sys.path.insert(0, os.path.join(os.environ["GPB_SOURCE_ROOT"], "examples",
                                "spreadsheets"))
import investor
cells = "".join(
    '<table:table-row><table:table-cell table:formula="of:=%s"/>'
    "</table:table-row>" % f for f in (
        "GPB_VERSION()", "GPB_TRAIN_FLOPS(7E10;2E12)",
        "GPB_TRAIN_COST(7E10;2E12;&quot;H100&quot;;512)"))
investor.write_ods(sys.argv[1], '<?xml version="1.0" encoding="UTF-8"?>\n'
                   "<office:document-content %s><office:body>"
                   '<office:spreadsheet><table:table table:name="Version">'
                   "%s</table:table></office:spreadsheet></office:body>"
                   "</office:document-content>\n" % (investor.NS, cells))
PY
cd "$tmp/elsewhere" || exit 1

# --- Gnumeric ----------------------------------------------------------------
"$root/tools/gnumeric/install.sh" --library "$lib" >"$tmp/gnumeric.log" 2>&1 ||
    { cat "$tmp/gnumeric.log" >&2; fail "tools/gnumeric/install.sh"; }
# Exit status 0, not 139: the plugin keeps Gnumeric's Python loader from
# crashing at exit (docs/spreadsheets.md, "ssconvert's exit status").
timeout 120 ssconvert --recalc "$doc/version.ods" "$tmp/version.csv" \
    >"$tmp/version.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    cat "$tmp/version.log" >&2
    fail "ssconvert --recalc on a sheet calling GPB_VERSION() exited with" \
        "status $rc"
fi
version=$(python3 -c 'import sys, ctypes
lib = ctypes.CDLL(sys.argv[1]); lib.gpb_version.restype = ctypes.c_char_p
print(lib.gpb_version().decode())' "$lib")
if [ "$(head -n 1 "$tmp/version.csv" 2>/dev/null)" != "$version" ]; then
    fail "GPB_VERSION() in Gnumeric gave '$(head -n 1 "$tmp/version.csv" \
        2>/dev/null)', the library says '$version'"
fi
timeout 120 ssconvert --recalc -S "$doc/investor-test.ods" \
    "$tmp/gnumeric/out.%n.csv" >>"$tmp/gnumeric.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    cat "$tmp/gnumeric.log" >&2
    fail "ssconvert exited with status $rc"
fi
if grep -q "Execution of module\|Traceback" "$tmp/gnumeric.log"; then
    cat "$tmp/gnumeric.log" >&2
    fail "the Gnumeric plugin did not load"
fi
(cd "$doc" && $check compare gnumeric "$tmp/gnumeric") || status=1

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
    --outdir "$tmp/libreoffice" "$doc/investor-test.ods" \
    >>"$tmp/libreoffice.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    cat "$tmp/libreoffice.log" >&2
    fail "soffice exited with status $rc"
fi
(cd "$doc" && $check compare libreoffice "$tmp/libreoffice") || status=1

[ $status -eq 0 ] && echo "spreadsheets: ok"
exit $status
