#!/usr/bin/env python3
"""The MPI benchmarks of issue 13 (docs/mpi.md): what a user runs, timed.

1. `gpubudget sweep bench-60m.yaml` over 64 points x 10^5 paths: one
   process on one core, the same under `mpirun -n 2` (one core per rank),
   and one process on two threads, interleaved (A B C A B C ...); medians,
   the parallel efficiency T1 / (2 T2), and whether the tables agree.
2. 10^8 paths of bench-60m under `mpirun -n 2`: wall time and peak memory
   of each rank (each rank runs under a small wrapper that reports its
   child's peak RSS from wait4).
3. `run` of 10^7 paths on 1, 2 and 4 ranks (one thread each), and the cost
   model of docs/mpi.md at 100 nodes from the measured per-path and
   per-merge costs (GPUBUDGET_MPI_TIMING=1 makes rank 0 print them).

Standard library only. Wall times are of the whole command (process start
to exit), each its own process.
"""

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMING = re.compile(r"mpi-timing: ranks (\d+) paths (\d+) simulate ([\d.]+) "
                    r"receive ([\d.]+) merge ([\d.]+) bytes (\d+)")
RANK_RSS = re.compile(r"rank-rss: rank (\d+) maxrss (\d+)")

# Runs its arguments as a child and prints the child's peak RSS (wait4)
# with the MPI rank, so that each rank's memory is its own.
WRAPPER = r"""
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:])
_, st, ru = os.wait4(p.pid, 0)
r = os.environ.get("OMPI_COMM_WORLD_RANK", "0")
sys.stderr.write(f"rank-rss: rank {r} maxrss {ru.ru_maxrss * 1024}\n")
sys.exit(os.waitstatus_to_exitcode(st))
"""


def run(argv, env=None, out_path=None):
    """(wall seconds, stderr text, stdout bytes)."""
    e = dict(os.environ)
    e.update(env or {})
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out,
                           stderr=err, env=e)
        wall = time.perf_counter() - t0
        err.seek(0)
        etext = err.read().decode(errors="replace")
        if p.returncode != 0:
            sys.stderr.write(etext)
            raise SystemExit("run_mpi_bench: exit status %d: %s" % (
                p.returncode, " ".join(shlex.quote(a) for a in argv)))
        out.seek(0)
        return wall, etext, out.read()


def med(xs):
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gpubudget", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--mpirun", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--big-paths", type=float, default=1e8)
    ap.add_argument("--scale-paths", type=float, default=1e7)
    ap.add_argument("--quick", action="store_true",
                    help="1/100 of the paths, one round (a smoke test)")
    ap.add_argument("--only", choices=["sweep", "big", "scaling"],
                    action="append")
    a = ap.parse_args()
    div = 100 if a.quick else 1
    rounds = 1 if a.quick else a.rounds
    only = set(a.only or ["sweep", "big", "scaling"])
    exe, scen = a.gpubudget, a.scenario
    env = {"OMPI_ALLOW_RUN_AS_ROOT": "1",
           "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
           "OMPI_MCA_btl": "self,vader",
           "OMPI_MCA_btl_base_warn_component_unused": "0",
           "GPUBUDGET_MPI_TIMING": "1"}

    def mpi(n, argv):
        return [a.mpirun, "-n", str(n), "--oversubscribe", "--bind-to",
                "none"] + argv

    print(f"machine: {os.cpu_count()} cores; "
          f"{os.getloadavg()[0]:.2f} load (1 min) at start")

    if "sweep" in only:
        paths = 100000 // div
        sweep = [exe, "sweep", scen, "--paths", str(paths), "--json",
                 "--vary", "training[0].gpus=128,256,384,512,640,768,896,1024",
                 "--vary", "company.funding[0].amount=$20M..$90M/8"]
        cmds = {"1 process, 1 thread": sweep + ["--threads", "1"],
                "mpirun -n 2, 1 thread each":
                    mpi(2, sweep + ["--threads", "1"]),
                "1 process, 2 threads": sweep + ["--threads", "2"]}
        walls = {k: [] for k in cmds}
        outs = {}
        print(f"\n## sweep: 64 points x {paths:,} paths of "
              f"{os.path.basename(scen)}, {rounds} interleaved round(s)")
        for _ in range(rounds):
            for k, argv in cmds.items():
                w, _, out = run(argv, env)
                walls[k].append(w)
                outs.setdefault(k, out)
        t1 = med(walls["1 process, 1 thread"])
        t2 = med(walls["mpirun -n 2, 1 thread each"])
        for k in cmds:
            print(f"  {k:30s} median {med(walls[k]):8.2f} s  "
                  f"(runs: {', '.join(f'{x:.2f}' for x in walls[k])})")
        same = len(set(outs.values())) == 1
        print(f"  efficiency of 2 ranks against 1 process: "
              f"T1 / (2 T2) = {t1 / (2 * t2):.2f}")
        print(f"  the three tables identical: {'yes' if same else 'NO'}")

    if "big" in only:
        paths = int(a.big_paths) // div
        fd, wrapper = tempfile.mkstemp(suffix=".py")
        with os.fdopen(fd, "w") as f:
            f.write(WRAPPER)
        try:
            argv = mpi(2, [sys.executable, wrapper, exe, "run", scen,
                           "--paths", str(paths), "--threads", "1",
                           "--json"])
            print(f"\n## run: {paths:.0e} paths under mpirun -n 2 "
                  f"(one thread per rank), one round")
            w, err, out = run(argv, env)
        finally:
            os.unlink(wrapper)
        rss = sorted((int(r), int(b)) for r, b in RANK_RSS.findall(err))
        t = TIMING.search(err)
        print(f"  wall {w:.1f} s; {paths / w / 1e6:.2f} M paths/s")
        for r, b in rss:
            print(f"  rank {r}: peak RSS {b / 2**20:.0f} MiB")
        if t:
            print(f"  rank 0: simulate {float(t.group(3)):.1f} s, waited "
                  f"{float(t.group(4)):.2f} s for rank 1, merged in "
                  f"{float(t.group(5)):.3f} s; received "
                  f"{int(t.group(6)) / 2**20:.1f} MiB")
        print(f"  JSON: {len(out):,} bytes")

    if "scaling" in only:
        paths = int(a.scale_paths) // div
        base = [exe, "run", scen, "--paths", str(paths), "--threads", "1",
                "--json"]
        ranks = [1, 2, 4]
        walls = {n: [] for n in ranks}
        tim = {n: [] for n in ranks}
        print(f"\n## run: {paths:.0e} paths on 1, 2 and 4 ranks (one thread "
              f"each; {os.cpu_count()} cores, so 4 ranks oversubscribe), "
              f"{rounds} interleaved round(s)")
        for _ in range(rounds):
            for n in ranks:
                w, err, _ = run(mpi(n, base), env)
                walls[n].append(w)
                t = TIMING.search(err)
                if t:
                    tim[n].append(tuple(float(x) for x in t.groups()))
        print(f"  {'ranks':>5} {'wall s':>8} {'speed-up':>8} "
              f"{'simulate':>9} {'merge':>8} {'MiB in':>7}")
        for n in ranks:
            ts = tim[n]
            sim = med([t[2] for t in ts]) if ts else float("nan")
            mrg = med([t[4] for t in ts]) if ts else float("nan")
            mib = med([t[5] for t in ts]) / 2**20 if ts else float("nan")
            print(f"  {n:>5} {med(walls[n]):8.2f} "
                  f"{med(walls[1]) / med(walls[n]):8.2f} {sim:9.2f} "
                  f"{mrg:8.3f} {mib:7.1f}")
        # The model: wall(N nodes, C cores) = fixed + P c / (N C) + m0
        #                                      + (N - 1) (m1 + b / B)
        # fixed: what is not simulation (start, load, report) from 1 rank;
        # c: seconds per path on one core; m0: the merge's one-off part
        # (rank 0's kept samples copied once), m1 and b: the merge seconds
        # and bytes each further rank adds, both from the 2- and 4-rank
        # runs (4 ranks merge two more parts than 2); B: 10 GB/s (a
        # 100 Gb/s fabric, stated, not measured here).
        if tim[1] and tim[2] and tim[4]:
            sim1 = med([t[2] for t in tim[1]])
            c = sim1 / paths
            fixed = med(walls[1]) - sim1
            g2 = med([t[4] for t in tim[2]])
            g4 = med([t[4] for t in tim[4]])
            m1 = max(0.0, (g4 - g2) / 2)
            m0 = max(0.0, g2 - m1)
            b = med([t[5] for t in tim[4]]) / 3
            B = 10e9
            print(f"\n  measured: {c * 1e6:.3f} us per path per core; "
                  f"{fixed:.2f} s outside the simulation (1 rank); merge "
                  f"{m0 * 1e3:.0f} ms once and {m1 * 1e3:.1f} ms and "
                  f"{b / 2**20:.2f} MiB per further rank")
            for P in (1e8, 1e9, 1e10):
                for C in (32,):
                    N = 100
                    mg = m0 + (N - 1) * (m1 + b / B)
                    tot = fixed + P * c / (N * C) + mg
                    one = fixed + P * c / C
                    print(f"  model, {P:.0e} paths on {N} nodes x {C} "
                          f"cores: {tot:7.1f} s (one such node: "
                          f"{one:8.1f} s; merging {mg:.2f} s of it)")


if __name__ == "__main__":
    main()
