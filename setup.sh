#!/bin/sh
# gpubudget's one entry point on a fresh Debian 12 machine (run as root).
#
#   ./setup.sh run    install what is missing, build, run the default job
#   ./setup.sh test   install what is missing, build twice (plain, and with
#                     AddressSanitizer + UndefinedBehaviorSanitizer), run every
#                     test suite in both builds, then a short smoke of the
#                     fuzz harnesses (built with clang in build-fuzz)
#   ./setup.sh deps   only install the missing Debian packages
#   ./setup.sh bench [NAME...]
#                     install what is missing (and numpy, for the benchmark's
#                     peer model), build optimised and run the benchmarks,
#                     or only those named (bench/README.md)
#   ./setup.sh fuzz [SECONDS]
#                     build the libFuzzer harnesses with clang (build-fuzz)
#                     and run each for SECONDS (default 60) from the seed
#                     corpus; non-zero on any finding, whose reproducer it
#                     names (docs/fuzzing.md)
#
# Idempotent: packages already present are not reinstalled and existing build
# directories are reused.
set -eu

cd "$(dirname "$0")"

# Everything the build, the tests and the end-to-end checks need, named
# one by one: a minimal Debian 12 (debootstrap --variant=minbase) has none
# of them, and ../shared/tools/fresh-debian.sh checks that on every change.
# zlib1g-dev: libxlsxwriter's pkg-config file links -lz, and Debian 12's
# libxlsxwriter-dev does not depend on it. libopenblas-serial-dev: OpenBLAS
# built without threads of its own, which meson.build links the command
# with (the engine never wants OpenBLAS's threads, whose idle spinning
# takes its cores); the shared library keeps the system's. Open MPI: the
# command's runs, sweeps and checks under mpirun (meson -Dmpi=auto finds
# it; docs/mpi.md).
# The Python package (docs/python.md): numpy and pandas, pytest for its
# tests, matplotlib for its plots, nbconvert and ipykernel to execute
# examples/notebook.ipynb in the tests.
PACKAGES="
  gcc libc6-dev pkg-config meson ninja-build
  libgsl-dev libopenblas-dev libopenblas-serial-dev libyaml-dev
  libjansson-dev libxlsxwriter-dev zlib1g-dev librandom123-dev
  check valgrind
  gnumeric gnumeric-plugins-extra libreoffice-calc
  libreoffice-script-provider-python python3
  libjs-chart.js chromium
  libopenmpi-dev openmpi-bin
  python3-numpy python3-pandas python3-pytest python3-matplotlib
  jupyter-nbconvert python3-ipykernel
"
# The fuzz harnesses (./setup.sh fuzz, and its smoke in ./setup.sh test):
# clang with libFuzzer and the sanitizer runtimes, which Debian 12 ships
# in libclang-rt-14-dev.
FUZZ_PACKAGES="clang libclang-rt-14-dev"
# The benchmarks only (./setup.sh bench): numpy for bench/bench_numpy.py,
# the independent model of the benchmark scenario that the CLI is timed
# against and checked with.
BENCH_PACKAGES="python3-numpy"

install_deps() { # packages...
    missing=""
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q 'install ok installed'; then
            missing="$missing $p"
        fi
    done
    if [ -n "$missing" ]; then
        echo "setup: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        # shellcheck disable=SC2086
        apt-get install -y --no-install-recommends $missing
    fi
}

configure() { # dir, extra meson options...
    dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson configure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@"
    fi
    ninja -C "$dir"
}

# The harnesses are built against a library compiled by clang with the same
# sanitizers and libFuzzer's coverage instrumentation (fuzzer-no-link); UB
# must stop the run to count as a finding. Only the harness targets are
# built: the rest of the project has its own builds.
configure_fuzz() {
    set -- -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
        "-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all"
    if [ -f build-fuzz/build.ninja ]; then
        meson configure build-fuzz "$@" >/dev/null
    else
        CC=clang meson setup build-fuzz "$@"
    fi
    ninja -C build-fuzz tests/fuzz/fuzz_scenario tests/fuzz/fuzz_units \
        tests/fuzz/fuzz_cells tests/fuzz/fuzz_pitch tests/fuzz/fuzz_overrides
}

cmd=${1:-run}
case "$cmd" in
deps)
    install_deps $PACKAGES $FUZZ_PACKAGES
    ;;
run)
    install_deps $PACKAGES
    configure build
    # The main job: the Monte Carlo engine on the built-in default scenario
    # (the 千卡/月 case of claims C1/C2, scenarios/qianka-month.yaml).
    build/tools/gpubudget run
    ;;
test)
    install_deps $PACKAGES $FUZZ_PACKAGES
    configure build
    configure build-san -Db_sanitize=address,undefined \
        -Dc_args=-fno-sanitize-recover=all
    rc=0
    passed=0
    failed=0
    for dir in build build-san; do
        # meson's own summary, then a count of both runs at the end.
        if meson test -C "$dir" --print-errorlogs >"$dir/test-run.log" 2>&1
        then :; else rc=1; fi
        cat "$dir/test-run.log"
        n=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$dir/test-run.log")
        f=$(sed -n 's/^\(Fail\|Timeout\|Unexpected Pass\): *\([0-9]*\).*/\2/p' \
            "$dir/test-run.log" | awk '{ s += $1 } END { print s + 0 }')
        passed=$((passed + ${n:-0}))
        failed=$((failed + ${f:-0}))
    done
    # A smoke of the fuzz harnesses: a fixed number of inputs each from the
    # seed corpus and a fixed seed, about ten seconds a harness. One result
    # per harness in the count.
    if configure_fuzz; then
        tests/fuzz/run.sh --smoke build-fuzz 5000 >build-fuzz/smoke.log 2>&1 ||
            rc=1
        cat build-fuzz/smoke.log
        n=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' \
            build-fuzz/smoke.log)
        f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' \
            build-fuzz/smoke.log)
        passed=$((passed + ${n:-0}))
        failed=$((failed + ${f:-5}))
    else
        echo "setup: the fuzz build failed"
        rc=1
        failed=$((failed + 5))
    fi
    echo "setup: plain and sanitizer builds, fuzz smoke"
    echo "$passed passed, $failed failed"
    exit $rc
    ;;
bench)
    shift
    install_deps $PACKAGES $BENCH_PACKAGES
    configure build-release --buildtype=release
    meson test -C build-release --benchmark --verbose "$@"
    ;;
fuzz)
    seconds=${2:-60}
    install_deps $PACKAGES $FUZZ_PACKAGES
    configure_fuzz
    tests/fuzz/run.sh build-fuzz "$seconds"
    exit $?
    ;;
*)
    echo "usage: ./setup.sh run|test|deps|bench [NAME...]|fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
