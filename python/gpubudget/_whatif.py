"""What if: two plans compared, a scenario swept (report.h's compare and
sweep documents, on common random numbers)."""

import ctypes
import itertools
import json
import math

import numpy as np
import pandas as pd

from . import _lib
from ._errors import Error, ScenarioError, check
from ._scenario import Scenario, _value_text, load

lib = _lib.lib

__all__ = ["compare", "sweep", "SWEEP_METRICS"]

SWEEP_METRICS = ("spend.total", "cash.min", "out_of_cash", "runway_months")
_STATS = ("mean", "std_error", "p5", "p50", "p95")
# gpb_sweep_row's: _STATS, then the value at which the metric is censored
# (the horizon for runway_months; NaN when it is not censored).
_SWEEP_STATS = _STATS + ("censored_at",)


def _scenario(x):
    return x if isinstance(x, Scenario) else load(x)


def _label(s):
    base = s.path or s.name
    return base + (" with " + s.overrides if s.overrides else "")


def compare(a, b, paths=None, seed=None, threads=None, quasi=False,
            labels=None, currency=None, output="frame"):
    """Two plans on common random numbers (`gpubudget compare`): both run
    with the same paths and seed, so path i of each draws the same shared
    events, and every metric is compared path by path.

    a, b      Scenarios (or scenario file names); a what-if of one plan is
              s.with_overrides({...})
    paths, seed, threads, quasi   as Scenario.run
    labels    the plans' names (default: file and overrides, as the
              command writes them)
    currency  money in this currency at the scenario's mean rate
    output    "frame" (default): a DataFrame, one row per metric both
              have (index "metric"), columns unit, label, a_mean, a_p5,
              a_p50, a_p95, the same for b, diff_mean, diff_std_error,
              diff_p5, diff_p50, diff_p95 (of A − B path by path),
              p_a_lower, p_a_higher; .attrs holds the headline
              (p_a_spends_less, p_a_lasts_longer, p_same_runway), the
              plans, and cash_lasts (a DataFrame month × plan of P(the
              cash lasts through the month)).
              "json": the library's document, the text of
              `gpubudget compare --json`. "html": its HTML page.
    """
    sa, sb = _scenario(a), _scenario(b)
    ra = sa.run(paths=paths, seed=seed, threads=threads, quasi=quasi)
    rb = sb.run(paths=paths, seed=seed, threads=threads, quasi=quasi)
    la, lb = labels or (_label(sa), _label(sb))
    cin = _lib.CompareIn(sa._ptr, sb._ptr, ra._ptr, rb._ptr,
                         la.encode(), lb.encode())
    ro = ra._report_options(currency, False)
    out = ctypes.c_void_p()
    err = _lib.Error()
    fn = (lib.gpb_report_compare_html if output == "html"
          else lib.gpb_report_compare_json)
    check(fn(ctypes.byref(cin), ctypes.byref(ro), ctypes.byref(out),
             ctypes.byref(err)), err)
    text = _lib.take_text(out.value)
    if output in ("json", "html"):
        return text
    if output != "frame":
        raise ValueError("output: 'frame', 'json' or 'html'")
    doc = json.loads(text)
    rows, names = [], []
    for m in doc["metrics"]:
        names.append(m["name"])
        d = m["a_minus_b"]
        rows.append([m["unit"], m["label"],
                     *(m["a"][k] for k in ("mean", "p5", "p50", "p95")),
                     *(m["b"][k] for k in ("mean", "p5", "p50", "p95")),
                     *(d[k] for k in _STATS), m["p_a_lower"],
                     m["p_a_higher"]])
    cols = (["unit", "label"]
            + ["a_" + k for k in ("mean", "p5", "p50", "p95")]
            + ["b_" + k for k in ("mean", "p5", "p50", "p95")]
            + ["diff_" + k for k in _STATS] + ["p_a_lower", "p_a_higher"])
    df = pd.DataFrame(rows, columns=cols,
                      index=pd.Index(names, name="metric"))
    lasts = pd.DataFrame(doc["cash_lasts_by_month"]).set_index("month")
    df.attrs.update(
        plans=doc["plans"], paths=doc["paths"], seed=doc["seed"],
        currency=doc["currency"], p_a_spends_less=doc["p_a_spends_less"],
        p_a_lasts_longer=doc["p_a_lasts_longer"],
        p_same_runway=doc["p_same_runway"], cash_lasts=lasts)
    return df


def _one_or_many(v):
    """A key's values: a list as it is; a string, a dict (a distribution)
    or a number is one value, not a list of its characters or keys ("256"
    ran points at 2, 5 and 6 GPUs: a user review)."""
    if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__iter__"):
        return [v]
    return v


def _lhs_points(s, keys, vary, samples, seed):
    """The points of `gpubudget sweep --samples`: the library's Latin
    hypercube (gpb_sweep_latin_hypercube), a range "LO..HI" taking the
    point gpb_sweep_range_value gives (the ends read as the key of
    scenario s reads them, so in its unit: LO + (HI - LO)·u, or for a key
    that takes whole numbers the ⌊u·m⌋-th of its m whole numbers) written
    as the command writes it, a list its ⌊u·m⌋-th value."""
    n, K = int(samples), len(keys)
    axes = []
    for k in keys:
        v = vary[k]
        if isinstance(v, str) and ".." in v:
            ends = []
            for text in v.split("..", 1):
                q, err = _lib.Quantity(), _lib.Error()
                check(lib.gpb_units_parse(text.strip().encode(),
                                          ctypes.byref(q), ctypes.byref(err)),
                      err)
                ends.append(q)
            lo, hi = ends
            if lo.kind != hi.kind or lo.currency != hi.currency:
                raise ValueError("sweep: %s=%s: the two ends are not in the "
                                 "same units" % (k, v))
            axes.append(tuple(t.strip().encode() for t in v.split("..", 1)))
        else:
            vals = [_value_text(x) for x in _one_or_many(v)]
            if not vals:
                raise ValueError("sweep: every key needs at least one value")
            axes.append(vals)
    u = (ctypes.c_double * (n * K))()
    err = _lib.Error()
    check(lib.gpb_sweep_latin_hypercube(n, K, seed, u, ctypes.byref(err)),
          err)
    points = []
    for p in range(n):
        pt = []
        for k, ax in enumerate(axes):
            t = u[p * K + k]
            if isinstance(ax, tuple):
                lo, hi = ax
                q, err = _lib.Quantity(), _lib.Error()
                st = lib.gpb_sweep_range_value(s._ptr, keys[k].encode(), lo,
                                               hi, t, ctypes.byref(q),
                                               ctypes.byref(err))
                if st == _lib.GPB_ERANGE:
                    raise ValueError("sweep: %s: %s" % (
                        keys[k], err.message.decode("utf-8", "replace")))
                check(st, err)
                buf = ctypes.create_string_buffer(128)
                if lib.gpb_units_format_quantity(ctypes.byref(q), 0, 17,
                                                 buf, 128) >= 128:
                    raise ValueError("sweep: a value is too long")
                pt.append(buf.value.decode())
            else:
                pt.append(ax[min(int(t * len(ax)), len(ax) - 1)])
        points.append(tuple(pt))
    return points


def sweep(scenario, vary, metrics=SWEEP_METRICS, paths=None, seed=None,
          threads=None, quasi=False, output="frame", samples=None):
    """The scenario at every point of a grid of changed keys
    (`gpubudget sweep`), or of a Latin hypercube over ranges (`gpubudget
    sweep --samples`), every point run on the same paths and seed (common
    random numbers), so differences between points are the changes' own.

    scenario  a Scenario (its own overrides apply first) or a file name
    vary      {key path: [values]}: the grid is every combination, the
              last key fastest; values as in load(set=...) ("$30M", 512,
              {"pert": [0.3, 0.4, 0.5]}). With samples, a key may also
              take a range "LO..HI" ("$20M..$80M"), as --vary does
    samples   N points of a Latin hypercube over the keys instead of the
              grid: each range and list cut into N strata, each used once
              (the command's design for the same seed: same points)
    metrics   metric names (default spend.total, cash.min, out_of_cash,
              runway_months)
    output    "frame" (default): a DataFrame, one row per point (index
              "point"), a column per varied key (its value as set), then
              "<metric>.<stat>" for stat in mean, std_error, p5, p50, p95
              and censored_at (the horizon for runway_months, where a
              quantile equal to it means "at least"; NaN for the others;
              money in the scenario's currency), and "error" (None, or
              why the point failed: a value the scenario refuses).
              "json": the library's document, as `gpubudget sweep --json`.

    The first point must load (a mistyped key raises ScenarioError);
    later points that fail are kept with their error.
    """
    s = _scenario(scenario)
    if not vary:
        raise ValueError("sweep: vary at least one key")
    keys = list(vary)
    if "currency" in keys:
        raise ValueError("sweep: currency is the report's, not the plan's: "
                         "the points would be in different units (compare "
                         "two currencies with compare(s, s.with_overrides("
                         "{'currency': 'CNY'})))")
    # One key varied twice, however written, labelled the table by the
    # first and ran the second, as the command refuses (a review).
    where = {}
    for k in keys:
        idx = lib.gpb_scenario_input_find(s._ptr, k.encode())
        same = where.get(idx if idx >= 0 else k)
        if same is not None:
            raise ValueError("sweep: %r and %r are one key, varied twice"
                             % (same, k))
        where[idx if idx >= 0 else k] = k
    o = _lib.SimOptions()
    lib.gpb_sim_options_default(ctypes.byref(o))
    lhs = samples is not None
    if lhs:
        if int(samples) < 1:
            raise ValueError("sweep: samples must be at least 1")
        points = _lhs_points(s, keys, vary, samples,
                             int(o.seed if seed is None else seed))
    else:
        # A string is one value, not a list of its characters ("256" ran
        # points at 2, 5 and 6 GPUs: a user review).
        axes = [[_value_text(v) for v in _one_or_many(vary[k])]
                for k in keys]
        if any(not a for a in axes):
            raise ValueError("sweep: every key needs at least one value")
        points = list(itertools.product(*axes))
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    nm = len(metrics)
    mptr = (ctypes.c_char_p * nm)(*(m.encode() for m in metrics))
    rows = np.full((len(points), nm * _lib.GPB_SWEEP_STATS), np.nan)
    errors = [None] * len(points)
    units = [""] * nm
    for p, values in enumerate(points):
        try:
            sp = s.with_overrides(
                "; ".join("%s=%s" % kv for kv in zip(keys, values)))
        except ScenarioError as e:
            if p == 0:
                raise
            errors[p] = e.problem.message
            continue
        try:
            r = sp.run(paths=paths, seed=seed, threads=threads, quasi=quasi)
            err = _lib.Error()
            row = (ctypes.c_double * (nm * _lib.GPB_SWEEP_STATS))()
            check(lib.gpb_sweep_row(r._ptr, mptr, nm, row,
                                    ctypes.byref(err)), err)
        except Error as e:
            if p == 0:
                raise
            errors[p] = e.problem.message
            continue
        rows[p] = list(row)
        if not units[0]:
            units = [r.unit(m) for m in metrics]
    if output == "json":
        return _sweep_json(s, keys, points, metrics, units, rows, errors,
                           paths, seed, lhs)
    if output != "frame":
        raise ValueError("output: 'frame' or 'json'")
    data = {k: [pt[i] for pt in points] for i, k in enumerate(keys)}
    for j, m in enumerate(metrics):
        for t, stat in enumerate(_SWEEP_STATS):
            data["%s.%s" % (m, stat)] = rows[:, j * _lib.GPB_SWEEP_STATS + t]
    data["error"] = errors
    df = pd.DataFrame(data, index=pd.RangeIndex(len(points), name="point"))
    df.attrs.update(keys=keys, metrics=metrics, units=dict(zip(metrics, units)))
    return df


def _sweep_json(s, keys, points, metrics, units, rows, errors, paths, seed,
                lhs=False):
    o = _lib.SimOptions()
    lib.gpb_sim_options_default(ctypes.byref(o))
    K, n, nm = len(keys), len(points), len(metrics)
    flat = [v for pt in points for v in pt]
    numeric = []
    for v in flat:
        q = _lib.Quantity()
        ok = lib.gpb_units_parse(v.encode(), ctypes.byref(q), None) == 0
        numeric.append(q.value if ok else math.nan)
    arr = lambda t, xs: (t * max(len(xs), 1))(*xs)  # noqa: E731
    enc = lambda xs: [None if x is None else x.encode() for x in xs]  # noqa
    rows_c = np.ascontiguousarray(rows, dtype=float)
    t = _lib.SweepTable(
        scenario_name=(s.path or s.name).encode(), currency=0,
        paths=int(paths or o.paths), seed=int(o.seed if seed is None else seed),
        latin_hypercube=1 if lhs else 0, n_keys=K,
        keys=arr(ctypes.c_char_p, enc(keys)), n_points=n,
        values=arr(ctypes.c_char_p, enc(flat)),
        numeric=arr(ctypes.c_double, numeric), n_metrics=nm,
        metrics=arr(ctypes.c_char_p, enc(metrics)),
        units=arr(ctypes.c_char_p, enc(units)),
        rows=rows_c.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
        errors=arr(ctypes.c_char_p, enc(errors)))
    out = ctypes.c_void_p()
    err = _lib.Error()
    check(lib.gpb_report_sweep_json(ctypes.byref(t), ctypes.byref(out),
                                    ctypes.byref(err)), err)
    return _lib.take_text(out.value)
