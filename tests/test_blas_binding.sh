#!/bin/sh
# GSL must call OpenBLAS's CBLAS, not its own reference CBLAS: run a program
# built on the shared library that calls gsl_blas_dgemm with
# LD_DEBUG=bindings and check which library cblas_dgemm binds to.
# When the build chose Debian's single-threaded OpenBLAS for the command
# (meson.build; SERIAL is 1), that one must be what the command loads at
# run time, whatever the system's alternatives say, and never what the
# shared library loads: a process that loads the library and then numpy
# (the Python package does) needs the system's OpenBLAS, whose
# libblas.so.3 numpy is built on.
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

if [ "$3" = 1 ]; then
    case "$out" in
    */openblas-serial/*) bad "the shared library loads single-threaded OpenBLAS" ;;
    *) ok "the shared library loads the system's OpenBLAS" ;;
    esac
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
