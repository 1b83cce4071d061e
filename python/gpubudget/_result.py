"""Results of a simulation as numpy arrays and pandas DataFrames."""

import ctypes
import threading
import json
import math
import os
import weakref

import numpy as np
import pandas as pd

from . import _lib
from ._errors import Error, check

lib = _lib.lib

__all__ = ["Result"]

_FAN_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def _col(p):
    """The column name of quantile level p: 0.05 -> "p5", 0.975 ->
    "p97.5"."""
    x = round(p * 100, 6)
    return "p%d" % x if x == int(x) else "p%g" % x


class _View:
    """Exposes borrowed library memory to numpy (__array_interface__),
    read-only, and keeps its owner (the Result) alive for as long as any
    array over it is: numpy keeps this object as the array's base."""

    def __init__(self, ptr, n, owner):
        self.__array_interface__ = {
            "shape": (n,), "typestr": "<f8", "version": 3,
            "data": (ptr, True)}
        self.owner = owner


class _Owned:
    """A C object freed by `free` when the holder is collected."""

    def __init__(self, ptr, free):
        self.ptr = ptr
        self._fin = weakref.finalize(self, free, ptr)


def _runway_months(r, months):
    """A runway target the run can answer: 1 to the horizon, as `gpubudget
    raise --months` takes it (the library reads a longer one as the
    horizon, which answered a question not asked: a user review)."""
    if months is None:
        return
    H = r.horizon_months
    if isinstance(months, bool) or int(months) != months or \
            not 1 <= months <= H:
        raise ValueError("months %r: a runway target is a whole number of "
                         "months from 1 to the horizon, %d" % (months, H))


class Result:
    """The result of Scenario.run (gpb_result): distributions of spend,
    runway and every other metric over the simulated paths.

    Money is in the scenario's report currency (.currency). The C result
    is freed when the Result and every array borrowed from it (samples())
    are collected. A Result is read-only and may be used from several
    threads."""

    def __init__(self):
        raise TypeError("a Result comes from Scenario.run()")

    @classmethod
    def _wrap(cls, ptr, scenario, options):
        self = object.__new__(cls)
        self._ptr = ptr.value
        self._finalizer = weakref.finalize(self, lib.gpb_result_free,
                                           self._ptr)
        self.scenario = scenario  # keeps the C scenario alive too
        self._opt = options
        self._sens = {}
        self._sens_lock = threading.Lock()
        return self

    # ---- what it is ------------------------------------------------------
    @property
    def paths(self):
        """Paths simulated."""
        return lib.gpb_result_paths(self._ptr)

    @property
    def kept_paths(self):
        """Paths whose per-path values are kept (samples() rows); all of
        them unless the run passed the memory budget (sim.h, Memory)."""
        return lib.gpb_result_kept_paths(self._ptr)

    @property
    def seed(self):
        return lib.gpb_result_seed(self._ptr)

    @property
    def quasi_random(self):
        """True when the inputs came from Sobol points (quasi=True), in 16
        randomly shifted replicates: the means' standard errors are the
        replicates' spread, the quantile intervals the i.i.d. formulas
        (gpb_result_quasi_random)."""
        return bool(lib.gpb_result_quasi_random(self._ptr))

    @property
    def threads(self):
        """Worker threads the run used."""
        return lib.gpb_result_threads(self._ptr)

    @property
    def horizon_months(self):
        return lib.gpb_result_horizon_months(self._ptr)

    @property
    def currency(self):
        """The currency of money metrics ("USD", "CNY", "EUR")."""
        return _lib.s(lib.gpb_currency_code(
            lib.gpb_result_currency(self._ptr)))

    @property
    def metrics(self):
        """Metric names in the library's order (docs/output.md)."""
        return [_lib.s(lib.gpb_result_metric_name(self._ptr, i))
                for i in range(lib.gpb_result_metric_count(self._ptr))]

    @property
    def inputs(self):
        """Key paths of the uncertain inputs, as sampled per path."""
        return [_lib.s(lib.gpb_result_input_path(self._ptr, i))
                for i in range(lib.gpb_result_input_count(self._ptr))]

    def __repr__(self):
        return "<gpubudget.Result of %r: %d paths, seed %d>" % (
            self.scenario.name, self.paths, self.seed)

    def unit(self, metric):
        """A metric's unit: the currency code for money, else "months",
        "probability", "GPU-hours", ... (sim.h, gpb_unit_name)."""
        return _lib.s(lib.gpb_result_metric_unit(self._ptr,
                                                 self._index(metric)))

    def _index(self, metric):
        i = ctypes.c_size_t()
        err = _lib.Error()
        st = lib.gpb_result_metric_find(self._ptr, metric.encode(),
                                        ctypes.byref(i), ctypes.byref(err))
        if st:
            raise KeyError(_lib.s(err.message))
        return i.value

    # ---- statistics ------------------------------------------------------
    def mean(self, metric="spend.total"):
        """(mean, standard error) of a metric over the paths. For
        runway_months the restricted mean (runway capped at the
        horizon)."""
        m, se = ctypes.c_double(), ctypes.c_double()
        err = _lib.Error()
        check(lib.gpb_result_mean(self._ptr, metric.encode(),
                                  ctypes.byref(m), ctypes.byref(se),
                                  ctypes.byref(err)), err)
        return m.value, se.value

    def quantile(self, metric="spend.total", p=0.5):
        """The p-quantile (a number) or quantiles (p a sequence: an
        array) of a metric; exact while every path is kept."""
        scalar = np.ndim(p) == 0
        shape = np.shape(p)
        # Contiguous and flat, whatever the caller's strides or shape (a
        # slice such as linspace(...)[::2] read with its own strides gave
        # P50 for P90: a user review); the answer takes p's shape.
        ps = np.ascontiguousarray(np.atleast_1d(np.asarray(p, dtype=float))
                                  ).ravel()
        out = np.empty_like(ps)
        err = _lib.Error()
        check(lib.gpb_result_quantiles(
            self._ptr, metric.encode(), ps.size,
            ps.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
            out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
            ctypes.byref(err)), err)
        return float(out[0]) if scalar else out.reshape(shape)

    def censored_at(self, metric="runway_months"):
        """The value at which a metric is censored (runway_months: the
        horizon; a quantile equal to it reads "at least"), or NaN."""
        return lib.gpb_result_censored_at(self._ptr, metric.encode())

    def summary(self):
        """A DataFrame with one row per metric (index: the metric name) and
        the columns unit, label, mean, std_error (of the mean), sd (of the
        metric over paths), p5, p10, p25, p50, p75, p90, p95: the figures
        of `gpubudget run --json`'s "metrics". Money is in .currency.
        runway_months is censored at the horizon: its mean is the
        restricted mean, and a quantile equal to the horizon means "at
        least" (censored_at())."""
        levels = _lib.REPORT_LEVELS
        cols = [_col(p) for p in levels]
        ps = (ctypes.c_double * len(levels))(*levels)
        q = (ctypes.c_double * len(levels))()
        n = self.paths
        rows, names = [], []
        err = _lib.Error()
        for i in range(lib.gpb_result_metric_count(self._ptr)):
            name = lib.gpb_result_metric_name(self._ptr, i)
            m, se, sd = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
            check(lib.gpb_result_mean(self._ptr, name, ctypes.byref(m),
                                      ctypes.byref(se), ctypes.byref(err)),
                  err)
            # Over the paths: under quasi=True the standard error is the
            # replicates', not sd / sqrt(n).
            check(lib.gpb_result_sd(self._ptr, name, ctypes.byref(sd),
                                    ctypes.byref(err)), err)
            check(lib.gpb_result_quantiles(self._ptr, name, len(levels), ps,
                                           q, ctypes.byref(err)), err)
            names.append(_lib.s(name))
            rows.append([_lib.s(lib.gpb_result_metric_unit(self._ptr, i)),
                         _lib.s(lib.gpb_result_metric_label(self._ptr, i)),
                         m.value, se.value, sd.value]
                        + list(q))
        df = pd.DataFrame(rows, columns=["unit", "label", "mean",
                                         "std_error", "sd"] + cols,
                          index=pd.Index(names, name="metric"))
        df.attrs.update(paths=n, seed=self.seed, currency=self.currency)
        return df

    def samples(self, inputs=True):
        """One row per kept path (index "path", 0-based), with the same
        columns as `gpubudget run --samples-csv`: each uncertain input
        (by key path, in its own units and currency as the scenario
        writes it), then every metric (money in .currency).

        The metric columns are read-only numpy views of the library's
        arrays (no copy); they keep this Result alive. The input columns
        are converted to their own units, so they are new arrays.
        inputs=False leaves the input columns out."""
        n = self.kept_paths
        cols = {}
        if inputs:
            err = _lib.Error()
            for k in range(lib.gpb_result_input_count(self._ptr)):
                a = np.empty(n)
                check(lib.gpb_result_input_samples_own(
                    self.scenario._ptr, self._ptr, k,
                    a.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                    ctypes.byref(err)), err)
                cols[_lib.s(lib.gpb_result_input_path(self._ptr, k))] = a
        for name in self.metrics:
            cols[name] = self.metric_samples(name)
        df = pd.DataFrame(cols, index=pd.RangeIndex(n, name="path"),
                          copy=False)
        df.attrs.update(currency=self.currency, seed=self.seed)
        return df

    def metric_samples(self, metric):
        """The per-path values of one metric for the kept paths: a
        read-only numpy array over the library's memory (no copy) that
        keeps this Result alive."""
        p = ctypes.POINTER(ctypes.c_double)()
        err = _lib.Error()
        st = lib.gpb_result_samples(self._ptr, metric.encode(),
                                    ctypes.byref(p), ctypes.byref(err))
        if st == 5:  # GPB_ENOTFOUND
            raise KeyError(_lib.s(err.message))
        check(st, err)
        addr = ctypes.cast(p, ctypes.c_void_p).value
        return np.asarray(_View(addr, self.kept_paths, self))

    def fan(self, quantiles=_FAN_LEVELS):
        """The cash fan: a DataFrame with one row per month (index "month",
        0-based) and a column per quantile level ("p5", "p25", ...) of the
        closing cash balance that month, from the library's streamed
        sketches (relative error below 0.1%)."""
        H = self.horizon_months
        out = ctypes.c_double()
        err = _lib.Error()
        data = {}
        for p in quantiles:
            col = np.empty(H)
            for m in range(H):
                check(lib.gpb_result_fan(self._ptr, m, float(p),
                                         ctypes.byref(out),
                                         ctypes.byref(err)), err)
                col[m] = out.value
            data[_col(p)] = col
        return pd.DataFrame(data, index=pd.RangeIndex(H, name="month"))

    def p_out_of_cash(self):
        """P(closing cash has gone below zero in some month ≤ m), a Series
        indexed by month (0-based)."""
        H = self.horizon_months
        return pd.Series(
            [lib.gpb_result_prob_out_of_cash_by(self._ptr, m)
             for m in range(H)],
            index=pd.RangeIndex(H, name="month"), name="p_out_of_cash")

    def raise_needed(self, confidence=0.9, months=None):
        """What to raise at month 0 so that closing cash stays ≥ 0 with
        probability `confidence`: through the whole horizon, or (months)
        through that many months, which needs the run to have been made
        with raise_months=months."""
        _runway_months(self, months)
        out = ctypes.c_double()
        err = _lib.Error()
        if months is None:
            st = lib.gpb_result_raise_needed(self._ptr, float(confidence),
                                              ctypes.byref(out),
                                              ctypes.byref(err))
        else:
            st = lib.gpb_result_raise_for_runway(
                self._ptr, int(months), float(confidence),
                ctypes.byref(out), ctypes.byref(err))
        check(st, err)
        return out.value

    def raise_interval(self, confidence=0.9, months=None, level=0.95):
        """The `level` confidence interval (lo, hi) of raise_needed: the
        raise is a tail quantile, and from few paths a wide one
        (gpb_result_raise_ci)."""
        _runway_months(self, months)
        lo, hi = ctypes.c_double(), ctypes.c_double()
        err = _lib.Error()
        m = self.horizon_months if months is None else int(months)
        check(lib.gpb_result_raise_ci(self._ptr, m, float(confidence),
                                      float(level), ctypes.byref(lo),
                                      ctypes.byref(hi), ctypes.byref(err)),
              err)
        return lo.value, hi.value

    def ledger(self):
        """The mean month-by-month ledger: a row per month, a column per
        category some path books (gpb_result_ledger_lists, as every output
        chooses them; flows ≥ 0, in .currency). Needs the run to have been
        made with ledger=1 or 2."""
        H = self.horizon_months
        if H and np.isnan(lib.gpb_result_ledger_mean(self._ptr, 0, 0)):
            raise Error.from_error(_err_text(
                "the run kept no ledger: run with ledger=1"))
        data = {}
        for c in range(_lib.GPB_CAT_COUNT):
            if not lib.gpb_result_ledger_lists(self._ptr, c):
                continue
            data[_lib.s(lib.gpb_category_key(c))] = np.array(
                [lib.gpb_result_ledger_mean(self._ptr, m, c)
                 for m in range(H)])
        return pd.DataFrame(data, index=pd.RangeIndex(H, name="month"))

    # ---- sensitivity -----------------------------------------------------
    def _sensitivity(self, swing=True, swing_paths=None):
        """The cached gpb_sensitivity's holder: callers keep it while they
        read its pointer. An entry, once cached, is never replaced, so a
        second thread computing the same key at once cannot free the one
        the first is reading (a user review found that crash)."""
        key = (bool(swing), swing_paths)
        with self._sens_lock:
            held = self._sens.get(key)
        if held is None:
            o = _lib.SensitivityOptions()
            lib.gpb_sensitivity_options_default(ctypes.byref(o))
            o.swing = 1 if swing else 0
            if swing_paths:
                o.swing_paths = int(swing_paths)
            o.threads = self._opt.threads
            out = ctypes.c_void_p()
            err = _lib.Error()
            check(lib.gpb_sensitivity_compute(
                self.scenario._ptr, self._ptr, ctypes.byref(o),
                ctypes.byref(out), ctypes.byref(err)), err)
            mine = _Owned(out.value, lib.gpb_sensitivity_free)
            with self._sens_lock:
                held = self._sens.setdefault(key, mine)
        return held

    def sensitivity(self, metric=None, swing=True, swing_paths=None):
        """Which assumption moves the answer (sensitivity.h): one row per
        (metric, input) pair, index ("metric", "input"), with the columns
        label (the input's), spearman, srrc, r2 (of the metric's rank
        regression), and with swing=True the tornado's swing_low,
        swing_high, swing_base (the metric's P50 with the input at its
        P10, its P90, and every input at its median), input_low,
        input_median, input_high (the values it was fixed at, in its own
        units), swing (|swing_high − swing_low|) and swing_se (the
        standard error of swing_high − swing_low,
        gpb_sensitivity_swing_se; NaN where it has none).

        metric  one metric name, or None for all
        swing   False: only the rank statistics (no extra simulation)
        swing_paths  paths of each swing run (None: the library's 2000)

        Computed once per (swing, swing_paths) and cached."""
        held = self._sensitivity(swing, swing_paths)
        x = held.ptr
        M = lib.gpb_sensitivity_metric_count(x)
        K = lib.gpb_sensitivity_input_count(x)
        has_swing = bool(lib.gpb_sensitivity_has_swing(x))
        err = _lib.Error()
        names = [_lib.s(lib.gpb_sensitivity_metric_name(x, m))
                 for m in range(M)]
        ms = range(M) if metric is None else [self._index(metric)]
        rows, index = [], []
        ins = []
        for k in range(K):
            lo, med, hi = (ctypes.c_double(math.nan) for _ in range(3))
            if has_swing:
                lib.gpb_sensitivity_swing_inputs(
                    x, k, ctypes.byref(lo), ctypes.byref(med),
                    ctypes.byref(hi), ctypes.byref(err))
            ins.append((lo.value, med.value, hi.value))
        for m in ms:
            r2 = lib.gpb_sensitivity_r2(x, m)
            for k in range(K):
                row = [_lib.s(lib.gpb_sensitivity_input_label(x, k)),
                       lib.gpb_sensitivity_spearman(x, m, k),
                       lib.gpb_sensitivity_srrc(x, m, k), r2]
                if has_swing:
                    lo, hi, base = (ctypes.c_double() for _ in range(3))
                    check(lib.gpb_sensitivity_swing(
                        x, m, k, ctypes.byref(lo), ctypes.byref(hi),
                        ctypes.byref(base), ctypes.byref(err)), err)
                    se = ctypes.c_double(math.nan)
                    check(lib.gpb_sensitivity_swing_se(
                        x, m, k, ctypes.byref(se), ctypes.byref(err)), err)
                    row += [lo.value, hi.value, base.value, *ins[k],
                            abs(hi.value - lo.value), se.value]
                rows.append(row)
                index.append((names[m],
                              _lib.s(lib.gpb_sensitivity_input_path(x, k))))
        cols = ["label", "spearman", "srrc", "r2"]
        if has_swing:
            cols += ["swing_low", "swing_high", "swing_base", "input_low",
                     "input_median", "input_high", "swing", "swing_se"]
        return pd.DataFrame(rows, columns=cols, index=pd.MultiIndex.from_tuples(
            index, names=["metric", "input"]) if index else
            pd.MultiIndex.from_arrays([[], []], names=["metric", "input"]))

    # ---- one path --------------------------------------------------------
    def trace(self, path):
        """Path `path` (0-based) replayed alone (gpb_sim_trace) with the
        run's seed and settings: its month-by-month ledger, a row per
        month (index "month") with each category's flow by key (≥ 0; its
        direction the category's), spend, income, cash (the closing
        balance) and progress.<run> (each training run's share of its
        compute done). .attrs holds the path's "metrics" (the same values
        as its row of samples()), "inputs" (in their own units) and
        "out_of_cash_month" (None when the cash lasts). A path outside
        the run raises ValueError, as `run --trace-path` refuses it."""
        first = lib.gpb_result_path_offset(self._ptr)
        n = lib.gpb_result_paths(self._ptr)
        if isinstance(path, bool) or not isinstance(path, (int, np.integer)) \
                or not first <= path < first + n:
            raise ValueError("trace: path %r is not in the run (paths %d to "
                             "%d)" % (path, first, first + n - 1))
        out = ctypes.c_void_p()
        err = _lib.Error()
        check(lib.gpb_sim_trace(self.scenario._ptr, ctypes.byref(self._opt),
                                int(path), ctypes.byref(out),
                                ctypes.byref(err)), err)
        holder = _Owned(out.value, lib.gpb_trace_free)  # freed on return
        t = holder.ptr
        H = lib.gpb_trace_months(t)
        data = {}
        spend = np.zeros(H)
        income = np.zeros(H)
        for c in range(_lib.GPB_CAT_COUNT):
            col = np.array([lib.gpb_trace_flow(t, m, c) for m in range(H)])
            data[_lib.s(lib.gpb_category_key(c))] = col
            if lib.gpb_category_flow(c) == 0:
                spend += col
            else:
                income += col
        data["spend"] = spend
        data["income"] = income
        data["cash"] = np.array([lib.gpb_trace_cash(t, m) for m in range(H)])
        for k, run in enumerate(self.scenario.training_runs):
            data["progress." + run] = np.array(
                [lib.gpb_trace_progress(t, k, m) for m in range(H)])
        df = pd.DataFrame(data, index=pd.RangeIndex(H, name="month"))
        oc = lib.gpb_trace_out_of_cash_month(t)
        df.attrs["path"] = int(path)
        df.attrs["out_of_cash_month"] = None if oc < 0 else oc
        df.attrs["metrics"] = {
            _lib.s(lib.gpb_trace_metric_name(t, i)):
                lib.gpb_trace_metric_value(t, i)
            for i in range(lib.gpb_trace_metric_count(t))}
        df.attrs["inputs"] = {
            _lib.s(lib.gpb_trace_input_path(t, i)):
                lib.gpb_trace_input_value(t, i)
            for i in range(lib.gpb_trace_input_count(t))}
        return df

    # ---- documents -------------------------------------------------------
    def _report_options(self, currency, sensitivity, swing_paths=None):
        ro = _lib.ReportOptions()
        lib.gpb_report_options_default(ctypes.byref(ro))
        frm = lib.gpb_result_currency(self._ptr)
        to = frm
        if currency is not None:
            try:
                to = _lib.CURRENCIES[currency.upper()]
            except KeyError:
                raise ValueError("currency %r: expected USD, CNY or EUR"
                                 % currency) from None
        ro.currency = to
        err = _lib.Error()
        rate = ctypes.c_double()
        check(lib.gpb_report_exchange_rate(self.scenario._ptr, frm, to,
                                           ctypes.byref(rate),
                                           ctypes.byref(err)), err)
        ro.rate = rate.value
        if sensitivity:
            # Cached for the life of the Result: the pointer stays valid.
            ro.sensitivity = self._sensitivity(True, swing_paths).ptr
        return ro

    def to_json(self, path=None, currency=None, sensitivity=True):
        """The JSON document of `gpubudget run --json` (docs/output.md),
        as text; also written to `path` when given. currency converts
        money at the scenario's mean exchange rate, as --currency.
        sensitivity=True (the command's default) includes the rank
        statistics with the tornado's swing runs; False leaves the swing
        out (faster)."""
        ro = self._report_options(currency, sensitivity)
        out = ctypes.c_void_p()
        err = _lib.Error()
        check(lib.gpb_report_json_opt(self.scenario._ptr, self._ptr,
                                      ctypes.byref(ro), ctypes.byref(out),
                                      ctypes.byref(err)), err)
        text = _lib.take_text(out.value)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        return text

    def to_dict(self, **kw):
        """to_json() parsed: the document as a dict."""
        return json.loads(self.to_json(**kw))

    def to_html(self, path=None, currency=None, sensitivity=True):
        """The self-contained HTML report of `gpubudget run --html` (charts,
        summary, sensitivity, sources, the scenario that ran). Written to
        `path` when given; returns the text."""
        ro = self._report_options(currency, sensitivity)
        out = ctypes.c_void_p()
        err = _lib.Error()
        check(lib.gpb_report_html(self.scenario._ptr, self._ptr,
                                  ctypes.byref(ro), ctypes.byref(out),
                                  ctypes.byref(err)), err)
        text = _lib.take_text(out.value)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def to_xlsx(self, path, currency=None, sensitivity=True, samples=False):
        """Writes the workbook of `gpubudget run --xlsx` to `path` (sheets
        summary, quantiles, fan, p_out_of_cash, sensitivity, claims,
        inputs, sources, scenario, native charts; samples=True adds every
        path)."""
        ro = self._report_options(currency, sensitivity)
        ro.samples = 1 if samples else 0
        err = _lib.Error()
        check(lib.gpb_report_xlsx_write(self.scenario._ptr, self._ptr,
                                        ctypes.byref(ro),
                                        os.fspath(path).encode(),
                                        ctypes.byref(err)), err)

    def samples_csv(self):
        """The text of `gpubudget run --samples-csv` (the library's
        writer; samples() is the same table as a DataFrame)."""
        ro = self._report_options(None, False)
        out = ctypes.c_void_p()
        err = _lib.Error()
        check(lib.gpb_report_samples_csv(self.scenario._ptr, self._ptr,
                                         ctypes.byref(ro), ctypes.byref(out),
                                         ctypes.byref(err)), err)
        return _lib.take_text(out.value)

    # ---- plots -----------------------------------------------------------
    def plot_fan(self, ax=None):
        """The cash fan with matplotlib: P5–P95 and P25–P75 bands, the
        median and the zero line. Returns the Axes."""
        from ._plot import plot_fan
        return plot_fan(self, ax)

    def plot_tornado(self, metric="spend.total", n=10, ax=None):
        """The tornado of `metric` with matplotlib: the n inputs whose swing
        (P10 to P90) moves the metric's P50 most. Returns the Axes."""
        from ._plot import plot_tornado
        return plot_tornado(self, metric, n, ax)


def _err_text(message):
    e = _lib.Error()
    e.status = 1
    e.message = message.encode()
    return e
