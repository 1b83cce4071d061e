#!/bin/sh
# Installs the gpubudget functions (GPB_TRAIN_COST, GPB_SCENARIO, ...) into
# a LibreOffice user profile: a Basic module in the Standard library (Calc
# finds cell functions there) whose functions call a Python script, which
# calls libgpubudget through ctypes.
#
#   tools/libreoffice/install.sh [--library PATH] [--profile DIR]
#                                [--recalc-on-load]
#
#   --library PATH    the libgpubudget.so to call (recorded in
#                     gpb_config.py; default: GPB_LIBRARY at run time, else
#                     the system's libgpubudget.so.0)
#   --profile DIR     the profile (what -env:UserInstallation names; default
#                     ~/.config/libreoffice/4); created when missing
#   --recalc-on-load  also set "recalculation on file load" to always for
#                     ODF and OOXML files, so a workbook's gpubudget cells
#                     are computed when it opens (needed for .xlsx)
#
# Needs python3, soffice (to create a missing profile) and Debian's
# libreoffice-script-provider-python. Close LibreOffice first: it rewrites
# the profile when it exits. Running it again replaces the installed files.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../spreadsheet"
lib=""
profile="$HOME/.config/libreoffice/4"
recalc=0
while [ $# -gt 0 ]; do
    case "$1" in
    --library) lib=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --recalc-on-load) recalc=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
case "$profile" in
/*) ;;
*) profile="$(pwd)/$profile" ;;
esac
if [ -n "$lib" ]; then
    case "$lib" in
    /*) ;;
    *) lib="$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")" ;;
    esac
    [ -f "$lib" ] || { echo "install.sh: no library at $lib" >&2; exit 1; }
fi

user="$profile/user"
if [ ! -f "$user/basic/Standard/script.xlb" ]; then
    if ! command -v soffice >/dev/null 2>&1; then
        echo "install.sh: soffice not found and no profile at $profile" >&2
        exit 1
    fi
    # Let LibreOffice lay the profile out (Standard library included).
    soffice --headless --norestore --terminate_after_init \
        "-env:UserInstallation=file://$profile" >/dev/null 2>&1 || true
    if [ ! -f "$user/basic/Standard/script.xlb" ]; then
        echo "install.sh: LibreOffice did not create $user/basic" >&2
        exit 1
    fi
fi

mkdir -p "$user/Scripts/python/pythonpath"
rm -rf "$user/Scripts/python/pythonpath/__pycache__"
cp "$here/gpubudget_lo.py" "$user/Scripts/python/"
cp "$shared/gpbcells.py" "$user/Scripts/python/pythonpath/"
python3 "$shared/gen.py" basic "$user/basic/Standard/gpubudget.xba"

GPB_LIB="$lib" GPB_USER="$user" GPB_RECALC="$recalc" python3 - <<'PY'
import os, re

user = os.environ["GPB_USER"]
lib = os.environ["GPB_LIB"] or None
with open(os.path.join(user, "Scripts/python/pythonpath/gpb_config.py"),
          "w") as f:
    f.write("# Written by tools/libreoffice/install.sh.\nLIBRARY = %r\n" % lib)

# List the module in the Standard library.
xlb = os.path.join(user, "basic/Standard/script.xlb")
text = open(xlb, encoding="utf-8").read()
if 'library:name="gpubudget"' not in text:
    text = text.replace("</library:library>",
                        ' <library:element library:name="gpubudget"/>\n'
                        "</library:library>")
    open(xlb, "w", encoding="utf-8").write(text)

if os.environ["GPB_RECALC"] == "1":
    # 0 = always recalculate (1 never, 2 ask).
    xcu = os.path.join(user, "registrymodifications.xcu")
    items = "".join(
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="%s" oor:op="fuse"><value>0</value></prop></item>\n'
        % name for name in ("OOXMLRecalcMode", "ODFRecalcMode"))
    if os.path.exists(xcu):
        text = open(xcu, encoding="utf-8").read()
        text = re.sub(r'<item oor:path="/org.openoffice.Office.Calc/Formula/'
                      r'Load"><prop oor:name="(OOXML|ODF)RecalcMode".*?'
                      r'</item>\n?', "", text, flags=re.S)
        text = text.replace("</oor:items>", items + "</oor:items>")
    else:
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items '
                'xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                + items + "</oor:items>\n")
    open(xcu, "w", encoding="utf-8").write(text)
PY
echo "gpubudget: LibreOffice functions installed in $user"
