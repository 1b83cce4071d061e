#!/bin/sh
# STYLE.md (after curl's docs/CODE_STYLE.md): functions the code must not
# use, and the library never prints, exits or aborts.
#   test_banned.sh SOURCE_ROOT
set -u
root=$1
fail=0
pass=0
# Unsafe or error-hiding C functions, anywhere in the C sources.
hits=$(grep -nE '(^|[^_a-zA-Z0-9])(atoi|atol|atof|sprintf|vsprintf|strtok|gets|strcpy|strcat)\(' \
    "$root"/lib/*.c "$root"/tools/*.c "$root"/bench/*.c 2>/dev/null |
    grep -vE '(snprintf|vsnprintf)[[:space:]]*\(' | grep -vE '^\S+:[0-9]+:\s*(/\*|\*)')
if [ -n "$hits" ]; then echo "FAIL: banned functions:"; echo "$hits"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
# The library itself never prints, exits or aborts.
hits=$(grep -nE '(^|[^_a-zA-Z0-9])(printf|fprintf|puts|fputs|perror|exit|_exit|abort|assert)\(' \
    "$root"/lib/*.c | grep -vE '(snprintf|vsnprintf)[[:space:]]*\(' |
    grep -vE '^\S+:[0-9]+:\s*(/\*|\*)')
if [ -n "$hits" ]; then echo "FAIL: the library prints or exits:"; echo "$hits"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
