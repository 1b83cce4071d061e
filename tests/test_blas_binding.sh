#!/bin/sh
# GSL must call OpenBLAS's CBLAS, not its own reference CBLAS: run a program
# built on the shared library that calls gsl_blas_dgemm with
# LD_DEBUG=bindings and check which library cblas_dgemm binds to.
# The shared library must load the system's OpenBLAS, the one the loader
# finds without a run path (Debian's alternatives): a process that loads
# the library and then numpy (the Python package does) needs the OpenBLAS
# that numpy's libblas.so.3 is built on (meson.build). When the build chose
# Debian's single-threaded OpenBLAS for the command (SERIAL is 1), that one
# must be what the command loads, whatever the alternatives say.
#   test_blas_binding.sh PATH_TO_BLAS_PROBE PATH_TO_GPUBUDGET SERIAL
set -u
pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

out=$(LD_DEBUG=bindings,libs "$1" 2>&1) || {
    echo "FAIL: probe failed"
    echo "$out"
    exit 1
}
line=$(printf '%s\n' "$out" | grep "symbol \`cblas_dgemm'" | head -1)
echo "$line"
case "$line" in
*libopenblas*) ok "cblas_dgemm binds to OpenBLAS" ;;
*) bad "cblas_dgemm does not bind to OpenBLAS" ;;
esac

# The file the loader's cache names for libopenblas.so.0, and the one the
# probe loaded, each with its links followed.
sys=$(ldconfig -p | awk '$1 == "libopenblas.so.0" { print $NF; exit }')
got=$(printf '%s\n' "$out" |
    sed -n 's/.*calling init: \(.*libopenblas\.so\.0\)$/\1/p' | head -1)
echo "system: $sys; the library's: $got"
if [ -n "$sys" ] && [ -n "$got" ] &&
    [ "$(readlink -f "$sys")" = "$(readlink -f "$got")" ]; then
    ok "the shared library loads the system's OpenBLAS"
else
    bad "the shared library does not load the system's OpenBLAS"
fi

if [ "$3" = 1 ]; then
    libs=$(LD_DEBUG=libs "$2" --version 2>&1 |
        grep "calling init: .*libopenblas")
    echo "$libs"
    case "$libs" in
    */openblas-serial/*) ok "gpubudget loads single-threaded OpenBLAS" ;;
    *) bad "gpubudget does not load single-threaded OpenBLAS" ;;
    esac
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
