#!/usr/bin/env python3
"""The benchmark scenario of shared/bench/README.md as a vectorised numpy model.

An independent implementation of the same model as bench/bench-60m.yaml, so
that gpubudget's speed has a fair peer and its results a cross-check. It does
not read the YAML: every figure below is the README's, item by item.

All paths of a chunk are arrays and the month loop is the outer loop. Chunks
of paths (32,768 by default, so that a chunk's arrays stay in cache) keep
memory bounded: only four numbers per path outlive their chunk (runway,
lowest cash, total spend, finish month), about 20 bytes. Random numbers come
from numpy's Generator (PCG64); per-path inputs are drawn once per chunk, and
per-month shocks afresh every month, only for the paths that need them (the
training run's failures and divergences are drawn for running paths only).

    bench_numpy.py --paths N [--seed S] [--months H] [--chunk C] [--json]
"""
import argparse
import json
import math
import sys
import time

import numpy as np

Z95 = 1.6448536269514722  # standard normal 95th percentile
HM = 730.5                # hours in a month


def lognormal90(rng, lo, hi, n):
    """Lognormal whose 5th and 95th percentiles are lo and hi."""
    mu = 0.5 * (math.log(lo) + math.log(hi))
    sigma = (math.log(hi) - math.log(lo)) / (2.0 * Z95)
    return rng.lognormal(mu, sigma, n)


def pert(rng, a, m, b, n, lam=4.0):
    """Beta-PERT(a, m, b) with shape lam."""
    alpha = 1.0 + lam * (m - a) / (b - a)
    beta = 1.0 + lam * (b - m) / (b - a)
    return a + (b - a) * rng.beta(alpha, beta, n)


def simulate_chunk(rng, n, H):
    """n paths over H months: runway, lowest cash, total spend, finish month."""
    # Per-path inputs.
    salary = lognormal90(rng, 150e3, 400e3, n)            # 2. per head per year
    team_per_head = salary * (1.3 / 12.0)                 #    × 1.3 on-costs
    p0 = lognormal90(rng, 1.8, 3.0, n)                    # 3. $/GPU-hour
    mfu = pert(rng, 0.30, 0.40, 0.50, n)                  # 4. MFU
    gpus, peak = 1024.0, 989e12
    target = 6.0 * 180e9 * 3.6e12                         #    C = 6·N·D
    month_flops = gpus * HM * 3600.0 * peak * mfu         #    per useful month
    lam = gpus * HM / 50000.0                             #    failures a month
    g = rng.normal(0.08, 0.04, n)                         # 5. user growth
    arpu = rng.uniform(2.0, 6.0, n)                       # 6. ARPU
    closed = rng.random(n) < 0.6                          # 7. the round
    amount = lognormal90(rng, 40e6, 120e6, n)

    cash = np.full(n, 50e6)                               # 1.
    cmin = np.full(n, np.inf)
    spend = np.zeros(n)
    runway = np.full(n, H, dtype=np.int16)
    finish = np.full(n, H, dtype=np.int16)
    idx = np.ones(n)                                      # p(m)/p(0)
    users = np.zeros(n)
    progress = np.zeros(n)
    running = np.zeros(0, dtype=np.intp)                  # lanes of the run
    z = np.empty(n)
    out = np.empty(n)
    tmp = np.empty(n)
    rent_per_idx = gpus * HM * p0                         # a month at p(0)

    for m in range(H):
        if m >= 1:                                        # 3. the price walk
            rng.standard_normal(out=z)
            z *= 0.05
            z -= 0.02
            np.exp(z, out=z)
            idx *= z
        # out: the month's spend; 2. team
        np.multiply(team_per_head, 20.0 + m, out=out)
        # 4. the pre-training run, for the lanes still running
        if m == 3:
            running = np.arange(n)
        if running.size:
            k = running.size
            fails = rng.poisson(lam, k)
            eff = np.maximum(HM - fails * 1.0, 0.0)
            prog = progress[running] + month_flops[running] * (eff / HM)
            div = np.flatnonzero(rng.random(k) < 0.05)
            if div.size:
                # "loses a fraction of its progress so far": found at the
                # month's end or when the run reaches C, whichever comes
                # first, so progress past C (never made) is never lost,
                # and the month's work after it counts (docs/model.md).
                p = prog[div]
                at = np.minimum(p, target)
                prog[div] = at * (1.0 - rng.uniform(0.1, 0.5, div.size)) \
                    + (p - at)
            progress[running] = prog
            out[running] += rent_per_idx[running] * idx[running]
            fin = prog >= target
            finish[running[fin]] = m
            running = running[~fin]
        # 5. users and serving, 6. revenue
        if m == 6:
            users.fill(10000.0)
        elif m > 6:
            rng.standard_normal(out=z)
            z *= 0.1
            z += g
            np.exp(z, out=z)
            users *= z
        if m >= 6:
            np.multiply(users, idx, out=tmp)
            tmp *= 0.30
            out += tmp                                    # serving
        spend += out
        cash -= out
        if m >= 6:
            np.multiply(users, arpu, out=tmp)
            tmp *= 0.1
            cash += tmp                                   # revenue
        if m == 12:                                       # 7. funding
            cash += np.where(closed, amount, 0.0)
        np.minimum(cmin, cash, out=cmin)
        runway[(runway == H) & (cash < 0)] = m            # 8. closing cash
    return runway, cmin, spend, finish


def simulate(paths, seed, H=60, chunk=32_768):
    rng = np.random.Generator(np.random.PCG64(seed))
    runway = np.empty(paths, dtype=np.int16)
    cmin = np.empty(paths)
    spend = np.empty(paths)
    finish = np.empty(paths, dtype=np.int16)
    for a in range(0, paths, chunk):
        b = min(paths, a + chunk)
        r, c, s, f = simulate_chunk(rng, b - a, H)
        runway[a:b], cmin[a:b], spend[a:b], finish[a:b] = r, c, s, f
    return runway, cmin, spend, finish


def summarise(paths, H, runway, cmin, spend, finish):
    levels = [0.05, 0.5, 0.95]

    def stats(x):
        x = np.asarray(x, dtype=float)
        q = np.quantile(x, levels)
        return {"mean": float(x.mean()),
                "std_error": float(x.std(ddof=1) / math.sqrt(x.size))
                if x.size > 1 else 0.0,
                "p5": float(q[0]), "p50": float(q[1]), "p95": float(q[2])}

    out = runway < H
    p_out = float(out.mean())
    deficit = np.maximum(0.0, -cmin)
    return {
        "metrics": {
            "runway_months": stats(runway),
            "cash.min": stats(cmin),
            "spend.total": stats(spend),
            "training.pretrain.finish_month": stats(finish),
        },
        "p_out_of_cash": p_out,
        "p_out_of_cash_std_error": math.sqrt(p_out * (1 - p_out) / paths),
        "raise_needed": {"p90": float(np.quantile(deficit, 0.9))},
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20230225)
    ap.add_argument("--months", type=int, default=60,
                    help="horizon (the scenario's is 60)")
    ap.add_argument("--chunk", type=int, default=32_768,
                    help="paths simulated at a time")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if a.paths < 1 or a.months < 1 or a.chunk < 1:
        ap.error("--paths, --months and --chunk must be positive")

    t0 = time.perf_counter()
    res = simulate(a.paths, a.seed, a.months, a.chunk)
    summary = summarise(a.paths, a.months, *res)
    wall = time.perf_counter() - t0
    report = {"model": "bench_numpy", "numpy": np.__version__,
              "paths": a.paths, "seed": a.seed, "horizon_months": a.months,
              "chunk": a.chunk, "wall_s": wall, **summary}
    if a.json:
        json.dump(report, sys.stdout, indent=1)
        print()
        return 0
    m = summary["metrics"]
    print(f"bench_numpy: {a.paths} paths, seed {a.seed}, {a.months} months, "
          f"numpy {np.__version__}")
    for key, label, scale in [("runway_months", "runway (months)", 1),
                              ("cash.min", "lowest cash ($M)", 1e6),
                              ("spend.total", "total spend ($M)", 1e6),
                              ("training.pretrain.finish_month",
                               "run finish month", 1)]:
        q = m[key]
        print(f"  {label:<24} P5 {q['p5'] / scale:10.3f}  "
              f"P50 {q['p50'] / scale:10.3f}  P95 {q['p95'] / scale:10.3f}")
    print(f"  P(out of cash within {a.months} months) "
          f"{summary['p_out_of_cash']:.4f} "
          f"(± {summary['p_out_of_cash_std_error']:.4f})")
    print(f"  raise needed for 90% confidence "
          f"${summary['raise_needed']['p90'] / 1e6:.2f}M")
    print(f"  wall time {wall:.3f} s ({a.paths / wall:,.0f} paths/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
