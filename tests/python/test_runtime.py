"""How runs behave in a Python process: Ctrl-C, the GIL, memory."""

import gc
import os
import signal
import threading
import time

import pytest

import gpubudget
from conftest import scenario_path

Q = scenario_path("qianka-month.yaml")
BIG = 200_000_000  # minutes of work: only an interruption ends it soon


def test_openblas_single_threaded():
    # Set by the package before the library loaded, unless the caller had
    # set it (then the caller's value stands).
    assert os.environ.get("OPENBLAS_NUM_THREADS")


def test_sim_options_layout_is_the_c_struct():
    # gpb_sim_options is embedded by value in two request structs, so it
    # keeps its size: inputs_kept (a uint32_t) fills the padding after
    # rent_instead_of_buying (sim.h; engine.c asserts the C side).
    import ctypes
    from gpubudget import _lib
    if ctypes.sizeof(ctypes.c_void_p) != 8:
        pytest.skip("the layout is checked on 64-bit targets")
    S = _lib.SimOptions
    assert ctypes.sizeof(S) == 96
    assert S.inputs_kept.offset == S.rent_instead_of_buying.offset + 4
    assert S.discount_rate_per_year.offset == 80
    o = S()
    _lib.lib.gpb_sim_options_default(ctypes.byref(o))
    assert o.struct_size == 96 and o.inputs_kept == 0 and o.paths == 10000


def test_ctrl_c_interrupts_a_run(qianka):
    before = signal.getsignal(signal.SIGINT)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    t0 = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        qianka.run(paths=BIG, seed=1)
    elapsed = time.monotonic() - t0
    timer.join()
    # The callback polls every ~50 ms; the blocks under way then finish.
    assert elapsed < 5, elapsed
    # The caller's handler is back, and a new run works.
    assert signal.getsignal(signal.SIGINT) is before
    assert qianka.run(paths=512, seed=1).paths == 512


def test_ctrl_c_calls_the_callers_handler(qianka):
    seen = []

    def mine(signum, frame):
        seen.append(signum)

    old = signal.signal(signal.SIGINT, mine)
    try:
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            qianka.run(paths=BIG, seed=1)
        timer.join()
        assert seen == [signal.SIGINT]
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, old)


def test_progress_callback_cancels(qianka):
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done > 0

    with pytest.raises(KeyboardInterrupt):
        qianka.run(paths=BIG, seed=1, progress=progress)
    assert calls and calls[-1][1] == BIG

    def boom(done, total):
        raise RuntimeError("from the callback")

    with pytest.raises(RuntimeError, match="from the callback"):
        qianka.run(paths=BIG, seed=1, progress=boom)


def test_progress_reaches_the_total(qianka):
    calls = []
    qianka.run(paths=4096, seed=1, progress=lambda d, t: calls.append(d))
    assert calls[-1] == 4096


def test_gil_released_during_a_run(qianka):
    """While a run is in the library on another thread, this thread keeps
    running Python: ctypes.CDLL releases the GIL around foreign calls. The
    rate of a counting loop during the run is compared with its rate
    alone; holding the GIL would stop it (and the run would still take
    its full time)."""
    def rate(seconds, stop=None):
        n, t0 = 0, time.monotonic()
        while time.monotonic() - t0 < seconds and not (stop and
                                                        stop.is_set()):
            n += 1
        return n / (time.monotonic() - t0)

    alone = rate(0.2)
    done = threading.Event()
    in_c = threading.Event()

    def work():
        in_c.set()
        qianka.run(paths=2_000_000, seed=2, threads=1)
        done.set()

    th = threading.Thread(target=work)
    th.start()
    in_c.wait()
    time.sleep(0.05)
    during = rate(0.5, done)
    still_running = not done.is_set()
    th.join()
    assert still_running, "the run ended too soon to tell"
    assert during > 0.1 * alone, (during, alone)


def _rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_memory_does_not_grow_over_1000_runs():
    s = gpubudget.load(Q)

    def cycle(n):
        for i in range(n):
            r = s.run(paths=512, seed=i, threads=1)
            r.summary()
            r.samples()
            r.fan()
            r.sensitivity(swing=False)
            del r
        gc.collect()

    cycle(100)  # allocator pools, numpy and pandas caches warm up
    before = _rss_kib()
    cycle(1000)
    grown = _rss_kib() - before
    # A leak of one result per run would be > 30 MB (512 paths × ~45
    # metrics and inputs × 8 bytes each, 1000 times).
    assert grown < 8 * 1024, "RSS grew by %d KiB" % grown


def test_constants_match_the_headers():
    """The few numbers _lib.py copies from the C headers (sizes of the
    error struct, statuses, enum values) are the headers' own: read from
    include/gpubudget/*.h here, so a change there fails this test instead
    of silently misreading memory."""
    import re
    from gpubudget import _lib
    root = os.environ.get("GPB_SOURCE_ROOT") or os.path.join(
        os.path.dirname(__file__), "..", "..")
    text = ""
    for h in ("common.h", "units.h", "scenario.h", "sim.h", "report.h"):
        with open(os.path.join(root, "include", "gpubudget", h)) as f:
            text += f.read()

    def define(name):
        m = re.search(r"#define\s+%s\s+(\d+)(?:ull|u)?\b" % name, text)
        assert m, name
        return int(m.group(1))

    def enum(name):
        # NAME = n, or a status row of common.h: X(NAME without GPB_, n, …)
        m = (re.search(r"\b%s\s*=\s*(\d+)" % name, text) or
             re.search(r"X\(%s,\s*(\d+)," % name[len("GPB_"):], text))
        assert m, name
        return int(m.group(1))

    for name in ("GPB_ERROR_SOURCE_MAX", "GPB_ERROR_PATH_MAX",
                 "GPB_ERROR_MESSAGE_MAX", "GPB_SWEEP_STATS",
                 "GPB_REPORT_N_LEVELS", "GPB_SIM_MAX_PATHS",
                 "GPB_SIM_MAX_SEED"):
        assert getattr(_lib, name) == define(name), name
    for name in ("GPB_OK", "GPB_ECANCELLED", "GPB_SEVERITY_ERROR",
                 "GPB_SEVERITY_WARNING", "GPB_UNIT_MONEY"):
        assert getattr(_lib, name) == enum(name), name
    assert _lib.GPB_CAT_COUNT == enum("GPB_CAT_COUNT")


def test_every_library_call_is_declared():
    """Every lib.gpb_* the package calls has its ctypes prototype: an
    undeclared one passes a 64-bit pointer as a C int, which crashes
    wherever the heap sits above 4 GiB (a review found Result.trace()
    calling gpb_result_path_offset so)."""
    import re
    from gpubudget import _lib
    pkg = os.path.join(os.path.dirname(_lib.__file__))
    used = set()
    for f in os.listdir(pkg):
        if f.endswith(".py"):
            with open(os.path.join(pkg, f), encoding="utf-8") as fh:
                used |= set(re.findall(r"\blib\.(gpb_[a-z0-9_]+)", fh.read()))
    declared = {name for name, _, _ in _lib._PROTOS}
    assert used <= declared, sorted(used - declared)
