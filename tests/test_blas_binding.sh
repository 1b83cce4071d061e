#!/bin/sh
# GSL must call OpenBLAS's CBLAS, not its own reference CBLAS: run a program
# that calls gsl_blas_dgemm with LD_DEBUG=bindings and check which library
# cblas_dgemm binds to.
#   test_blas_binding.sh PATH_TO_BLAS_PROBE
set -u
out=$(LD_DEBUG=bindings "$1" 2>&1) || { echo "FAIL: probe failed"; echo "$out"; exit 1; }
line=$(printf '%s\n' "$out" | grep "symbol \`cblas_dgemm'" | head -1)
echo "$line"
case "$line" in
*libopenblas*) echo "1 passed, 0 failed"; exit 0 ;;
*) echo "FAIL: cblas_dgemm does not bind to OpenBLAS"; echo "0 passed, 1 failed"; exit 1 ;;
esac
