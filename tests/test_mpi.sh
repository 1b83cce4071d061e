#!/bin/sh
# The command under mpirun (docs/mpi.md): for a seed, the same JSON on 1,
# 2, 3 and 4 ranks (and 8 for run and sweep) as without MPI, for run,
# sweep, compare, check and raise; an
# invalid scenario stops every rank with one message and exit 2.
#   test_mpi.sh PATH_TO_GPUBUDGET MPIRUN
set -u
GPB=$1
MPIRUN=$2
ROOT=${GPB_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# As root (CI containers) Open MPI wants to be told; more ranks than
# cores need --oversubscribe.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Quiet Open MPI's own chatter about the machine (shared-memory, hwloc).
export OMPI_MCA_btl_base_warn_component_unused=0 OMPI_MCA_btl=self,vader
# Under the sanitizers, LeakSanitizer's own tracer (which stops every
# thread to scan memory at exit) now and then crashes in a rank with
# Open MPI's threads: "Tracer caught signal 11 ... LeakSanitizer has
# encountered a fatal error", after the rank's work and output are done.
# It is a known fault of the sanitizer (google/sanitizers#1353), not a
# leak and not the command's. Such a run is made again, at most twice, and
# said so in the log; a leak LeakSanitizer does report ("detected memory
# leaks") or any other failure is not.
#
# With more ranks than cores it is worse: in two fresh Debian 12 chroots
# (tools/fresh-debian.sh, 2026-12-05) every 3-rank run under the
# sanitizers aborted at exit with its output identical, some with that
# message and some with none, and again when run a second and third time;
# the same runs passed when the test ran again in the same chroot, and
# always in clean clones on the host. So where the ranks outnumber the
# cores, the ranks run without LeakSanitizer (AddressSanitizer and UBSan
# still check them); the command alone and 1 and 2 ranks, which send and
# merge the same parts, keep it.
exec 3>&2
retried=0
cores=$(nproc 2>/dev/null || echo 1)
mpi() {
    n=$1; shift
    tries=0
    lsan=
    if [ -n "${ASAN_OPTIONS:-}" ] && [ "$n" -gt "$cores" ]; then
        lsan="ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0"
    fi
    while :; do
        env $lsan "$MPIRUN" -n "$n" --oversubscribe "$@" >"$TMP/mpi.out" \
            2>"$TMP/mpi.err"
        st=$?
        if [ "$st" -ne 0 ] && [ "$tries" -lt 2 ] &&
           grep -q "Tracer caught signal" "$TMP/mpi.err" &&
           ! grep -q "detected memory leaks" "$TMP/mpi.err"; then
            tries=$((tries + 1))
            retried=$((retried + 1))
            echo "note: LeakSanitizer's tracer crashed on $n ranks" \
                "(google/sanitizers#1353); running again: $*" >&3
            continue
        fi
        cat "$TMP/mpi.out"
        cat "$TMP/mpi.err" >&2
        return "$st"
    done
}

# A difference is kept for whoever reads the log: its first lines here,
# the whole of both outputs in a folder that outlives the test.
keep() {
    dir=$(mktemp -d "${TMPDIR:-/tmp}/gpb-mpi-fail.XXXXXX")
    cp "$TMP/ref.json" "$TMP/got.json" "$TMP/err" "$dir/"
    echo "  ($1: outputs kept in $dir)"
    head -5 "$TMP/err"
    diff "$TMP/ref.json" "$TMP/got.json" | head -20
}

same() { # NAME ARGS...: the command alone, then on $RANKS ranks
    what=$1; shift
    "$GPB" "$@" >"$TMP/ref.json" 2>"$TMP/err"
    if [ $? -eq 0 ] && [ -s "$TMP/ref.json" ]; then ok; else
        bad "$what without MPI failed"; cat "$TMP/err"; return; fi
    for n in $RANKS; do
        mpi "$n" "$GPB" "$@" >"$TMP/got.json" 2>"$TMP/err"
        st=$?
        if [ "$st" -eq 0 ] && cmp -s "$TMP/ref.json" "$TMP/got.json"; then ok
        else bad "$what on $n ranks (exit $st) differs from one process"
            keep "$what on $n ranks"; fi
    done
}

S=$ROOT/bench/bench-60m.yaml
# 5,000 paths: 10 blocks, so 3 ranks get uneven shares and 8 ranks some
# one block, some two.
RANKS="1 2 3 4 8"
same "run" run "$S" --paths 5000 --json --swing-paths 200
same "sweep" sweep "$S" --paths 1500 --json \
    --vary 'training[0].gpus=256,512,1024' --vary 'company.funding[0].amount=$20M,$60M'
RANKS="1 2 3 4"
same "run --qmc" run "$S" --paths 3000 --qmc --json --swing-paths 0
same "compare" compare "$S" --paths 2000 --json \
    --set-a 'training[0].gpus=512' --set-b 'training[0].gpus=1024'
same "check" check --paths 2000 --json "$ROOT/scenarios/gpt3-run.yaml" \
    "$ROOT/scenarios/lightyear.yaml" "$ROOT/scenarios/qianka-month.yaml"
same "raise" raise "$S" --paths 2000 --months 36 --json
# Past the 100,000 paths whose inputs run keeps for the sensitivity
# (gpb_sim_options.inputs_kept): rank 0's share is fewer, so the ranks
# after it send the rest and the merge keeps the first 100,000.
RANKS="1 3"
same "run past the inputs kept" run "$S" --paths 130000 --json \
    --swing-paths 0

# An invalid scenario: exit 2 and its message once (rank 0 prints).
mpi 2 "$GPB" run "$TMP/no-such.yaml" --paths 100 >"$TMP/out" 2>"$TMP/err"
st=$?
n=$(grep -c "cannot open scenario" "$TMP/err")
if [ "$st" -eq 2 ] && [ "$n" -eq 1 ]; then ok; else
    bad "invalid scenario under 2 ranks: exit $st, $n messages"; cat "$TMP/err"; fi
# A failure on the ranks' paths (an overflow) is every rank's, reported
# once with the input that caused it.
cat >"$TMP/overflow.yaml" <<'YAML'
gpubudget: 1
name: o
other_costs: [{name: o, per_month: 1e307}]
YAML
mpi 2 "$GPB" run "$TMP/overflow.yaml" --paths 2000 >"$TMP/out" 2>"$TMP/err"
st=$?
n=$(grep -c "other_costs\[0\].per_month" "$TMP/err")
if [ "$st" -eq 2 ] && [ "$n" -eq 1 ]; then ok; else
    bad "overflow under 2 ranks: exit $st, $n messages"; cat "$TMP/err"; fi

# Open MPI is the module's (tools/cli_mpi_ops.h): run as one process the
# command does not load it; started by mpirun, it does.
if "$GPB" run "$S" --paths 100 --quiet >/dev/null &&
   ! LD_DEBUG=libs "$GPB" run "$S" --paths 100 --quiet 2>&1 |
       grep -q 'libmpi\.so'; then
    ok
else
    bad "the command alone loads libmpi"
fi
if mpi 1 env LD_DEBUG=libs "$GPB" run "$S" --paths 100 --quiet 2>&1 |
       grep -q 'libmpi\.so'; then
    ok
else
    bad "under mpirun the command did not load libmpi"
fi
# A module it cannot load: every rank stops with status 2 and says why,
# rather than run the whole job on each rank.
GPUBUDGET_MPI_MODULE="$TMP/no-such-module.so" \
    mpi 2 -x GPUBUDGET_MPI_MODULE "$GPB" run "$S" --paths 100 \
    >"$TMP/out" 2>"$TMP/err"
st=$?
if [ "$st" -eq 2 ] && grep -q "MPI module cannot be loaded" "$TMP/err" &&
   [ ! -s "$TMP/out" ]; then ok; else
    bad "a missing MPI module: exit $st"; cat "$TMP/err"; fi

echo "$pass passed, $fail failed ($retried runs made again after" \
    "LeakSanitizer's tracer crashed)"
[ "$fail" -eq 0 ]
