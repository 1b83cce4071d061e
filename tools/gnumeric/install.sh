#!/bin/sh
# Installs the gpubudget functions (GPB_TRAIN_COST, GPB_SCENARIO, ...) into
# Gnumeric as a Python function plugin.
#
#   tools/gnumeric/install.sh [--library PATH] [--dest DIR]
#
#   --library PATH  the libgpubudget.so to call (recorded in the plugin's
#                   gpb_config.py; default: GPB_LIBRARY at run time, else
#                   the system's libgpubudget.so.0)
#   --dest DIR      the plugin directory (default
#                   ~/.gnumeric/<version>/plugins/gpubudget)
#
# Needs python3 and, for the default destination, Gnumeric (ssconvert) to
# know its version. Gnumeric's Python loader is in Debian's
# gnumeric-plugins-extra. The plugin needs no enabling, so ssconvert loads
# it too. Running it again replaces the installed files.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../spreadsheet"
lib=""
dest=""
while [ $# -gt 0 ]; do
    case "$1" in
    --library) lib=$2; shift 2 ;;
    --dest) dest=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done

if [ -z "$dest" ]; then
    version=$( (ssconvert --version 2>/dev/null || gnumeric --version \
        2>/dev/null || true) | sed -n "s/.*version '\([0-9.]*\)'.*/\1/p" |
        head -n 1)
    if [ -z "$version" ]; then
        echo "install.sh: cannot find Gnumeric's version; is gnumeric" \
            "installed? (or give --dest DIR)" >&2
        exit 1
    fi
    dest="$HOME/.gnumeric/$version/plugins/gpubudget"
fi
if [ -n "$lib" ]; then
    case "$lib" in
    /*) ;;
    *) lib="$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")" ;;
    esac
    [ -f "$lib" ] || { echo "install.sh: no library at $lib" >&2; exit 1; }
fi

mkdir -p "$dest"
rm -rf "$dest/__pycache__"
cp "$here/gpubudget_gnm.py" "$shared/gpbcells.py" "$dest/"
python3 "$shared/gen.py" plugin-xml "$dest/plugin.xml"
GPB_LIB="$lib" python3 - "$dest/gpb_config.py" <<'PY'
import os, sys
lib = os.environ["GPB_LIB"] or None
with open(sys.argv[1], "w") as f:
    f.write("# Written by tools/gnumeric/install.sh.\nLIBRARY = %r\n" % lib)
PY
echo "gpubudget: Gnumeric plugin installed in $dest"
