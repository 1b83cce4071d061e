"""Scenarios: loading, overrides and running the simulation."""

import ctypes
import json
import math
import numbers
import os
import signal
import threading
import weakref

from . import _lib
from ._errors import ScenarioError, check, problem_from, status_name

lib = _lib.lib

__all__ = ["Scenario", "load", "loads", "default", "overrides_text"]


def _value_text(v):
    """An override's value as the library reads it: text verbatim, a
    number as the shortest text that reads back to the same double, a
    dict or list (a distribution, a list of values) as YAML flow."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        return repr(float(v))
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def overrides_text(set=None):
    """The overrides as the library's "path=value; ..." text (None when
    there are none). set is a dict {key path: value} or that text."""
    if not set:
        return None
    if isinstance(set, str):
        return set
    pairs = []
    for k, v in set.items():
        t = _value_text(v)
        if ";" in str(k) or ";" in t:
            raise ValueError("override %s=%s: ';' separates overrides and "
                             "cannot be part of one" % (k, t))
        pairs.append("%s=%s" % (k, t))
    return "; ".join(pairs)


def _join_sets(*parts):
    parts = [p for p in parts if p]
    return "; ".join(parts) if parts else None


def _raise_load(status, diags):
    n = lib.gpb_diagnostics_count(diags)
    problems = []
    for i in range(n):
        sev = lib.gpb_diagnostics_severity(diags, i)
        problems.append(problem_from(
            lib.gpb_diagnostics_at(diags, i).contents,
            "warning" if sev == _lib.GPB_SEVERITY_WARNING else "error"))
    lib.gpb_diagnostics_free(diags)
    raise ScenarioError(status_name(status), problems)


def load(path, set=None):
    """Loads a scenario from a YAML file.

    path  the file (str or os.PathLike)
    set   overrides applied before the schema reads the file, as the
          command's --set: a dict {key path: value}, e.g.
          {"training[0].gpus": 512, "company.cash": "$30M",
           "training[pretrain].mfu": {"pert": [0.3, 0.4, 0.5]}},
          or the text "training[0].gpus=512; company.cash=$30M".

    Returns a Scenario. Raises ScenarioError carrying every problem found
    (file, line, column, key path, message) when the file does not load.
    """
    path = os.fspath(path)
    sets = overrides_text(set)
    out = ctypes.c_void_p()
    diags = ctypes.c_void_p()
    st = lib.gpb_scenario_load_file_with_overrides(
        path.encode(), sets.encode() if sets else None,
        ctypes.byref(out), ctypes.byref(diags))
    if st != _lib.GPB_OK:
        _raise_load(st, diags)
    return Scenario._wrap(out, path=path, text=None, name=None, sets=sets)


def loads(text, set=None, source="<string>"):
    """Loads a scenario from YAML text (str or bytes). source names it in
    messages. set as in load(). Raises ScenarioError."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    sets = overrides_text(set)
    out = ctypes.c_void_p()
    diags = ctypes.c_void_p()
    st = lib.gpb_scenario_load_string_with_overrides(
        data, len(data), source.encode(), sets.encode() if sets else None,
        ctypes.byref(out), ctypes.byref(diags))
    if st != _lib.GPB_OK:
        _raise_load(st, diags)
    return Scenario._wrap(out, path=None, text=data, name=source, sets=sets)


def default():
    """The built-in default scenario (the 千卡/月 case,
    scenarios/qianka-month.yaml), as `gpubudget run` without a file."""
    out = ctypes.c_void_p()
    diags = ctypes.c_void_p()
    st = lib.gpb_scenario_load_default(ctypes.byref(out), ctypes.byref(diags))
    if st != _lib.GPB_OK:
        _raise_load(st, diags)
    s = Scenario._wrap(out, path=None, text=None, name=None, sets=None)
    s._text = s.text.encode("utf-8")
    s._name = "<default>"
    return s


class _Cancel:
    """Ctrl-C during a run: while the run lasts, SIGINT only sets a flag
    that the progress callback (called about every 50 ms on the calling
    thread) turns into "cancel"; the library then stops the run with
    GPB_ECANCELLED, the previous handler is restored and the caller gets
    KeyboardInterrupt. Outside the main thread Python cannot install
    signal handlers, and the run is not interruptible from the keyboard
    (a callback may still stop it: Scenario.run's progress)."""

    def __init__(self, progress):
        self.flag = False
        self.prev = None
        self.installed = False
        self.user = progress
        self.user_exc = None
        self.user_cancel = False

        def cb(ctx, done, total):
            if self.flag:
                return 1
            if self.user is not None:
                try:
                    if self.user(done, total):
                        self.user_cancel = True
                        return 1
                except BaseException as e:  # carried to the caller
                    self.user_exc = e
                    return 1
            return 0
        self.fn = _lib.PROGRESS_FN(cb)

    def _handler(self, signum, frame):
        self.flag = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            prev = signal.getsignal(signal.SIGINT)
            if prev is not signal.SIG_IGN and prev is not None:
                self.prev = prev
                signal.signal(signal.SIGINT, self._handler)
                self.installed = True
        return self

    def __exit__(self, *exc):
        if self.installed:
            signal.signal(signal.SIGINT, self.prev)
        return False

    def raise_if_cancelled(self):
        if self.user_exc is not None:
            raise self.user_exc
        if self.user_cancel and not self.flag:
            raise KeyboardInterrupt("the progress callback cancelled the run")
        if self.flag:
            if callable(self.prev):
                self.prev(signal.SIGINT, None)  # default: KeyboardInterrupt
            raise KeyboardInterrupt


def _whole(value, name, lo, hi):
    """value as an int in [lo, hi]: a whole number (an int, or a float
    with no fraction), never wrapped or cut as ctypes would (paths=2**64+3
    ran 3 paths, seed=-1 became 2**64-1: a user review)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) and \
            not hasattr(value, "__index__"):
        raise TypeError("%s must be a whole number, not %r" % (name, value))
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("%s must be a whole number, not %r" % (name, value))
    v = int(value)
    if not lo <= v <= hi:
        raise ValueError("%s must be from %d to %d, not %d" % (name, lo, hi,
                                                               v))
    return v


def _sim_options(paths, seed, threads, quasi, raise_months, ledger):
    o = _lib.SimOptions()
    lib.gpb_sim_options_default(ctypes.byref(o))
    if paths is not None:
        o.paths = _whole(paths, "paths", 1, _lib.GPB_SIM_MAX_PATHS)
    if seed is not None:
        o.seed = _whole(seed, "seed", 0, _lib.GPB_SIM_MAX_SEED)
    o.threads = _whole(threads or 0, "threads", 0, 1024)
    o.quasi_random = 1 if quasi else 0
    o.raise_months = _whole(raise_months or 0, "raise_months", 0, 2 ** 31 - 1)
    o.ledger = _whole(ledger or 0, "ledger", 0, 2)
    return o


class Scenario:
    """A loaded scenario (gpb_scenario): immutable; may be shared by
    threads and run any number of times. Make one with load(), loads() or
    default(). The C object is freed when the Scenario (and every Result
    run from it) is collected."""

    def __init__(self):
        raise TypeError("use gpubudget.load(), loads() or default()")

    @classmethod
    def _wrap(cls, ptr, path, text, name, sets):
        self = object.__new__(cls)
        self._ptr = ptr.value
        self._path = path
        self._text = text
        self._name = name
        self._sets = sets
        self._finalizer = weakref.finalize(self, lib.gpb_scenario_free,
                                           self._ptr)
        return self

    # ---- what it is ------------------------------------------------------
    @property
    def name(self):
        """The scenario's name."""
        return _lib.s(lib.gpb_scenario_name(self._ptr))

    @property
    def path(self):
        """The file it was loaded from, or None (loads, default)."""
        return self._path

    @property
    def overrides(self):
        """The overrides it was loaded with, as text, or None."""
        return self._sets

    @property
    def currency(self):
        """The report currency ("USD", "CNY", "EUR")."""
        return _lib.s(lib.gpb_currency_code(
            lib.gpb_scenario_currency(self._ptr)))

    @property
    def horizon_months(self):
        """Months simulated."""
        return lib.gpb_scenario_horizon_months(self._ptr)

    @property
    def text(self):
        """The YAML text it was loaded from, byte for byte (before the
        overrides)."""
        n = ctypes.c_size_t()
        p = lib.gpb_scenario_text(self._ptr, ctypes.byref(n))
        return ctypes.string_at(p, n.value).decode("utf-8") if p else None

    @property
    def inputs(self):
        """The key paths of its numbers, in the library's order."""
        return [_lib.s(lib.gpb_scenario_input_path(self._ptr, i))
                for i in range(lib.gpb_scenario_input_count(self._ptr))]

    @property
    def uncertain_inputs(self):
        """{key path: label} of the inputs drawn per path."""
        out = {}
        for i in range(lib.gpb_scenario_input_count(self._ptr)):
            if lib.gpb_scenario_input_is_uncertain(self._ptr, i):
                out[_lib.s(lib.gpb_scenario_input_path(self._ptr, i))] = \
                    _lib.s(lib.gpb_scenario_input_label(self._ptr, i))
        return out

    @property
    def training_runs(self):
        """The names of its training runs."""
        return [_lib.s(lib.gpb_scenario_training_name(self._ptr, i))
                for i in range(lib.gpb_scenario_training_count(self._ptr))]

    @property
    def warnings(self):
        """The loader's warnings (Problems with severity "warning"): a plan
        that loads but cannot work as written."""
        d = lib.gpb_scenario_warnings(self._ptr)
        return [problem_from(lib.gpb_diagnostics_at(d, i).contents,
                             "warning")
                for i in range(lib.gpb_diagnostics_count(d))]

    def __repr__(self):
        return "<gpubudget.Scenario %r%s>" % (
            self.name, " with " + self._sets if self._sets else "")

    def with_overrides(self, set):
        """The same scenario with more overrides (after its own), from the
        text it was loaded from (not the file as it is now): a what-if of
        this one. Raises ScenarioError."""
        sets = _join_sets(self._sets, overrides_text(set))
        if self._path is not None:
            # The bytes this scenario was loaded from, named by its path:
            # reading the file again ran an edited plan, or failed after a
            # change of directory (a user review).
            n = ctypes.c_size_t()
            p = lib.gpb_scenario_text(self._ptr, ctypes.byref(n))
            s = loads(ctypes.string_at(p, n.value), set=sets,
                      source=self._path)
            s._path = self._path
            return s
        return loads(self._text, set=sets, source=self._name or "<string>")

    # ---- running ---------------------------------------------------------
    def run(self, paths=None, seed=None, threads=None, quasi=False,
            raise_months=0, ledger=0, progress=None, kept_paths=None):
        """Runs the Monte Carlo simulation (gpb_sim_run).

        paths         paths to simulate (None: the library's 10,000)
        seed          the streams' key (None: the library's, 20230225, as
                      the command's default); the same seed gives the
                      same result on any number of threads
        threads       worker threads (None or 0: one per core)
        quasi         True: per-path inputs from a Sobol sequence
        raise_months  a runway target in months, so that
                      Result.raise_needed(q, months=raise_months) is exact
        ledger        1: keep the mean month-by-month ledger
                      (Result.ledger()); 2: its quantiles too
        progress      optional callable(done, total) called about every
                      50 ms on this thread; a true return cancels the run
                      (raising KeyboardInterrupt)
        kept_paths    keep the values of the first kept_paths paths only
                      (gpb_sim_run_kept): summary(), the quantiles at its
                      levels, raise_needed(), fan() at its levels and the
                      means stay exact, in a fraction of the memory;
                      another quantile level of a money metric or of the
                      fan, samples past the kept paths and merging raise
                      Error (docs/engine.md, Memory)

        Returns a Result. The GIL is released while the library runs, so
        other Python threads go on. Ctrl-C (SIGINT) stops the run within
        about 50 ms and raises KeyboardInterrupt here; the SIGINT handler
        that was in place is restored. Raises Error for bad options or a
        numerical failure (naming the path, month and input).
        """
        from ._result import Result
        o = _sim_options(paths, seed, threads, quasi, raise_months, ledger)
        out = ctypes.c_void_p()
        err = _lib.Error()
        with _Cancel(progress) as c:
            o.progress = c.fn
            if kept_paths:
                st = lib.gpb_sim_run_kept(self._ptr, ctypes.byref(o),
                                          int(kept_paths), ctypes.byref(out),
                                          ctypes.byref(err))
            else:
                st = lib.gpb_sim_run(self._ptr, ctypes.byref(o),
                                     ctypes.byref(out), ctypes.byref(err))
        if st == _lib.GPB_ECANCELLED or c.flag or c.user_exc:
            # Ctrl-C, also one that came after the last callback: the
            # caller asked to stop, so the result is dropped.
            lib.gpb_result_free(out)
            c.raise_if_cancelled()
        check(st, err)
        o.progress = _lib.PROGRESS_FN()
        return Result._wrap(out, self, o)
