"""gpubudget: the cost of training and serving large language models, and a
start-up's runway under uncertainty, from Python.

A pure-Python package over the C library libgpubudget.so (ctypes; no
compiler needed). Results come back as numpy arrays and pandas DataFrames.

    import gpubudget
    s = gpubudget.load("scenarios/lightyear.yaml",
                       set={"training[0].gpus": 512})
    r = s.run(paths=100_000, seed=1)
    r.summary()                  # metric × mean, sd, P5 … P95
    r.fan()                      # month × quantile of closing cash
    r.raise_needed(0.9)          # what to raise for 90% confidence
    gpubudget.compare(s, s.with_overrides({"company.cash": "$30M"}))
    gpubudget.sweep(s, vary={"training[0].gpus": [256, 512, 1024]})
    gpubudget.estimate(params="70B", tokens="2T", gpu="H100", gpus=512)
    gpubudget.plan(params="70B", gpu="H100", gpus=512)
    gpubudget.rent_vs_buy(gpu="A100", gpus=1000, months=36)
    gpubudget.check(["scenarios/gpt3-run.yaml"], paths=2000)
    gpubudget.gpus()             # the catalog with its sources

docs/python.md is the guide. The package sets OPENBLAS_NUM_THREADS=1 (when
it is not set) before it loads the library: the engine runs its own
worker threads. Runs release the GIL; Ctrl-C stops a run and raises
KeyboardInterrupt.
"""

from . import _lib  # first: sets OPENBLAS_NUM_THREADS, loads the library
from ._commands import check, estimate, gpus, plan, rent_vs_buy
from ._errors import Error, Problem, ScenarioError
from ._result import Result
from ._scenario import Scenario, default, load, loads
from ._whatif import SWEEP_METRICS, compare, sweep

__all__ = ["load", "loads", "default", "compare", "sweep", "Scenario",
           "Result", "Error", "ScenarioError", "Problem", "SWEEP_METRICS",
           "version", "library_path", "estimate", "plan", "gpus",
           "rent_vs_buy", "check"]

__version__ = _lib.s(_lib.lib.gpb_version())


def version():
    """The C library's version string ("0.1.0")."""
    return _lib.s(_lib.lib.gpb_version())


def library_path():
    """The path of the shared library the package loaded."""
    return _lib.LIBRARY
