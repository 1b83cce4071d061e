#!/usr/bin/env python3
"""Two (or more) gpubudget binaries side by side, after the numpy model.

    compare.py [--rounds N] [--paths P] [--threads T] [--python PY] A B ...

Each round runs bench/bench_numpy.py, then the benchmark command
(`run bench/bench-60m.yaml --paths P --json --threads T`) with each binary,
the binaries' order reversed every other round, so each one comes right
after the numpy model in as many rounds as the others. On this project's
virtual machine the process right after the numpy model finds its memory
cold and can take up to 10% longer (bench/README.md, "kern s"): with one
fixed order that slot, not the code, decides a comparison of a few per
cent. Prints, per binary, the median wall (spawn to exit), the median wall
in the rounds it came first, the median user and kernel CPU (wait4), and
the numpy model's median wall over its median wall.

Use it to measure a change of the engine: copy the binary before the change
(build-release/tools/gpubudget) somewhere, rebuild, and compare the two.
Standard library only.
"""
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd):
    """Wall seconds, user and kernel CPU seconds of cmd, its output dropped."""
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"compare.py: {' '.join(cmd)} failed (status {status})")
    return wall, ru.ru_utime, ru.ru_stime


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binaries", nargs="+", metavar="GPUBUDGET")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--paths", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--python", default=sys.executable,
                    help="the interpreter that runs the numpy model")
    a = ap.parse_args(argv)
    if a.rounds < 1 or a.paths < 1 or a.threads < 1:
        ap.error("--rounds, --paths and --threads must be positive")
    bins = [os.path.abspath(b) for b in a.binaries]
    for b in bins:
        if not os.access(b, os.X_OK):
            ap.error(f"{b}: not an executable")
    scenario = os.path.join(HERE, "bench-60m.yaml")
    numpy_cmd = [a.python, os.path.join(HERE, "bench_numpy.py"),
                 "--paths", str(a.paths)]
    res = {b: [] for b in bins}
    first = {b: [] for b in bins}
    npy = []
    for r in range(a.rounds):
        npy.append(run(numpy_cmd)[0])
        order = bins if r % 2 == 0 else bins[::-1]
        for j, b in enumerate(order):
            x = run([b, "run", scenario, "--paths", str(a.paths), "--json",
                     "--threads", str(a.threads)])
            res[b].append(x)
            if j == 0:
                first[b].append(x[0])
    m = statistics.median(npy)
    print(f"numpy model: {m:.3f} s median over {a.rounds} rounds "
          f"({a.paths} paths)")
    for b in bins:
        w, u, s = (statistics.median(c) for c in zip(*res[b]))
        f = statistics.median(first[b]) if first[b] else float("nan")
        print(f"{b}: wall {w:.3f} s (right after numpy {f:.3f} s), "
              f"user {u:.3f} s, kernel {s:.3f} s, numpy/this {m / w:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
