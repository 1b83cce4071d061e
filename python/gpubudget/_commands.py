"""The deterministic commands: `gpubudget gpus`, `estimate` and `plan` as
Python functions. Each returns the library's document, the same bytes the
command prints with --json (report.h, gpb_report_*_json), parsed."""

import ctypes
import math
import json

import pandas as pd

from . import _lib
from ._errors import check as _ok
from ._scenario import _whole

lib = _lib.lib

__all__ = ["gpus", "estimate", "plan", "rent_vs_buy", "check"]

_QTY_NUMBER = 0
_QTY_MONEY = 1
_QTY_DURATION = 2
_QTY_MONEY_PER_HOUR = 3
_QTY_MONEY_PER_KWH = 4
_FRAC_CLOSED = 0
_FRAC_OPEN_LO = 1
_FRAC_OPEN_HI = 2
_HOURS_PER_MONTH = 730.5
_RECOMPUTE = {"none": 0, "selective": 1, "full": 2}
_SOFTWARE = {"modern": 0, "megatron-2021": 1}


def _plain(value):
    """A finite int or float, taken as it is. NaN and infinities go to the
    library's parser as text, which refuses them as the command does
    ("'nan': NaN is not a quantity"): a NaN from an empty DataFrame cell
    must not read as "not given" (a user review)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _parse(value, kind, what):
    """A number as given, or text the library parses as the command does
    ("70B", "2T", "$2/h"); returns a _lib.Quantity."""
    q = _lib.Quantity()
    if _plain(value):
        q.value, q.kind, q.currency = float(value), kind, 0
        return q
    err = _lib.Error()
    st = lib.gpb_units_parse_as(str(value).encode(), kind, ctypes.byref(q),
                                ctypes.byref(err))
    if st and not err.path:
        err.path = what.encode()
    _ok(st, err)
    return q


def _number(value, what):
    return _parse(value, _QTY_NUMBER, what).value


def _fraction(value, what, bounds=_FRAC_OPEN_LO):
    if _plain(value):
        return float(value)
    out = ctypes.c_double()
    err = _lib.Error()
    st = lib.gpb_units_parse_fraction(str(value).encode(), bounds,
                                      ctypes.byref(out), ctypes.byref(err))
    if st and not err.path:
        err.path = what.encode()
    _ok(st, err)
    return out.value


def _days(value):
    """Days: a number, or a duration ("3 weeks", "720h") as the command
    reads --days."""
    if _plain(value):
        return float(value)
    try:
        return _parse(value, _QTY_DURATION, "days").value / 24.0
    except Exception:
        return _number(value, "days")


def _price(value, req):
    # "$2/h", or a bare amount read as per GPU-hour, as --price reads it.
    q = _amount(value, _QTY_MONEY_PER_HOUR, "price")
    req.price_per_gpu_hour = q.value
    req.price_currency = q.currency or _lib.CURRENCIES["USD"]


def _document(fn, req, output):
    out = ctypes.c_void_p()
    err = _lib.Error()
    _ok(fn(ctypes.byref(req), ctypes.byref(out), ctypes.byref(err)), err)
    text = _lib.take_text(out.value)
    if output == "json":
        return text
    if output != "dict":
        raise ValueError("output: 'dict' or 'json'")
    return json.loads(text)


def gpus(output="frame"):
    """The GPU catalog with its sources (`gpubudget gpus --json`).

    output  "frame" (default): a DataFrame, one row per card in catalog
            order, index "name"; the peaks flattened to columns
            dense_flop_per_s.fp32 ... dense_flop_per_s.fp8 (FLOP/s, dense,
            NaN where the card lacks the precision); every other field of
            the document as a column, sources and dates included
            (spec_source, purchase_source, rent_source, mfu_source, ...).
            "json": the document's text; "list": the parsed document.
    """
    out = ctypes.c_void_p()
    err = _lib.Error()
    _ok(lib.gpb_report_gpus_json(ctypes.byref(out), ctypes.byref(err)),
          err)
    text = _lib.take_text(out.value)
    if output == "json":
        return text
    doc = json.loads(text)
    if output == "list":
        return doc
    if output != "frame":
        raise ValueError("output: 'frame', 'list' or 'json'")
    df = pd.json_normalize(doc)
    return df.set_index("name")


def estimate(params, tokens, gpu, gpus, active_params=None, precision=None,
             recompute=False, mfu=None, days=None, price=None,
             output="dict"):
    """One training run's FLOPs, GPU-hours, card-months, days, memory and
    rental cost, with the interval published runs put around them: the
    document of `gpubudget estimate --json` (docs/output.md).

    params, tokens  numbers or text as the command reads it ("70B", "2T")
    gpu             a catalog name or alias ("H100")
    gpus            the number of GPUs
    active_params   active parameters of a mixture of experts
    precision       "bf16", "fp8", ... (default: the card's)
    recompute       True: lay the run out with full activation
                    recomputation (a slower step, so a lower MFU; FLOPs
                    and MFU stay 6·N·D)
    mfu             a given MFU (0.4 or "40%"); default the throughput
                    model's
    days            a claimed duration (days, or "3 weeks"): the MFU it
                    implies is judged; not with mfu
    price           a rent per GPU-hour ("$2/h", "¥12/h", or a number in
                    USD); default the catalog's pricing rule
    output          "dict" (default) or "json" (the text)

    Raises gpubudget.Error (its .problem.path names the argument at fault:
    "gpu", "precision", "days", "mfu", "price").
    """
    req = _lib.EstimateRequest()
    lib.gpb_report_estimate_request_default(ctypes.byref(req))
    req.params = _number(params, "params")
    req.tokens = _number(tokens, "tokens")
    req.gpu = str(gpu).encode()
    req.gpus = _number(gpus, "gpus")
    if active_params is not None:
        req.active_params = _number(active_params, "active_params")
    if precision is not None:
        req.precision = str(precision).encode()
    req.recompute = 1 if recompute else 0
    if mfu is not None:
        req.mfu_frac = _fraction(mfu, "mfu")
    if days is not None:
        req.days = _days(days)
    if price is not None:
        _price(price, req)
    return _document(lib.gpb_report_estimate_json, req, output)


# plan()'s keyword arguments: (spec field, how to read it), in the
# options' order of `gpubudget plan --help`.
_PLAN_SPEC = {
    "active_params": "active_params", "experts": "n_experts",
    "top_k": "moe_top_k", "layers": "n_layer", "d_model": "d_model",
    "heads": "n_head", "vocab": "vocab", "seq": "seq_len",
    "global_batch": "global_batch_tokens", "tp": "tp", "pp": "pp",
    "micro_batch": "micro_batch", "interleave": "interleave",
    "gpus_per_node": "node_gpus",
    "intra_node_bw": "intra_node_bw_bytes_per_s",
    "inter_node_bw": "inter_node_bw_bytes_per_s",
}


def plan(params, gpu, gpus, tokens=None, precision=None, recompute=None,
         zero=None, software=None, mfu=None, price=None, output="dict",
         **kw):
    """The layout a model trains best with on a cluster, its step time
    term by term, MFU and memory per GPU, and the interval over the whole
    run: the document of `gpubudget plan --json`.

    params, gpu, gpus  as estimate
    tokens          the run's tokens (default 20 per active parameter)
    precision       "bf16", "fp8", ...
    recompute       "none", "selective" or "full" (default: searched)
    zero            ZeRO stage 0-3 (default: searched)
    software        "modern" (default) or "megatron-2021"
    mfu, price      narrow the interval, as estimate
    **kw            the other options of the command, with _ for -:
                    active_params, experts, top_k, layers, d_model, heads,
                    vocab, seq, global_batch, tp, pp, micro_batch,
                    interleave, gpus_per_node, intra_node_bw and
                    inter_node_bw (bytes per second)
    output          "dict" (default) or "json" (the text)
    """
    req = _lib.PlanRequest()
    lib.gpb_report_plan_request_default(ctypes.byref(req))
    s = req.spec
    s.params = _number(params, "params")
    req.gpu = str(gpu).encode()
    s.gpus = _number(gpus, "gpus")
    for k, v in kw.items():
        if k not in _PLAN_SPEC:
            raise TypeError("plan() got an unexpected keyword argument %r"
                            % k)
        if v is not None:
            setattr(s, _PLAN_SPEC[k], _number(v, k))
    if tokens is not None:
        req.tokens = _number(tokens, "tokens")
    if precision is not None:
        req.precision = str(precision).encode()
    if recompute is not None:
        if recompute not in _RECOMPUTE:
            raise ValueError("recompute: 'none', 'selective' or 'full'")
        s.recompute, s.recompute_fixed = _RECOMPUTE[recompute], 1
    if zero is not None:
        if zero not in (0, 1, 2, 3):
            raise ValueError("zero: 0, 1, 2 or 3")
        s.zero = int(zero)
    if software is not None:
        if software not in _SOFTWARE:
            raise ValueError("software: 'modern' or 'megatron-2021'")
        s.software = _SOFTWARE[software]
    if mfu is not None:
        req.mfu_frac = _fraction(mfu, "mfu")
    if price is not None:
        _price(price, req)
    return _document(lib.gpb_report_plan_json, req, output)


def _months(value, what):
    """Months: a number, or a duration ("3 months", "1 year") as the
    command reads them (730.5 h a month; whole months kept whole)."""
    if _plain(value):
        return float(value)
    try:
        m = _parse(value, _QTY_DURATION, what).value / _HOURS_PER_MONTH
    except Exception:
        return _number(value, what)
    return float(round(m)) if abs(m - round(m)) < 1e-9 else m


def _amount(value, kind, what):
    """An amount as the command reads it: a number is in the report
    currency; text may name its currency ("$2.2/h", "¥12/h", "0.08")."""
    if _plain(value):
        q = _lib.Quantity()
        q.value, q.kind, q.currency = float(value), kind, 0
        return q
    if kind != _QTY_MONEY:
        try:
            q = _parse(value, _QTY_MONEY, what)
            q.kind = kind
            return q
        except Exception:
            pass
    return _parse(value, kind, what)


def _choice(fn, value, what):
    out = ctypes.c_int()
    err = _lib.Error()
    st = fn(str(value).encode(), ctypes.byref(out), ctypes.byref(err))
    if st and not err.path:
        err.path = what.encode()
    _ok(st, err)
    return out.value


# rent_vs_buy()'s keyword arguments, with _ for the options' -:
# (gpb_rent_vs_buy field, how to read it).
_RVB_FINANCE = {
    "utilization": ("util_frac", "frac"),
    "utilisation": ("util_frac", "frac"),
    "reserved_discount": ("reserved_discount_frac", "frac"),
    "commitment": ("reserved_commitment_months", "months"),
    "spot_discount": ("spot_discount_frac", "frac"),
    "preemption_loss": ("spot_preemption_loss_frac", "frac_below1"),
    "rent_change": ("rent_price_change_frac_per_year", "number"),
    "premium": ("premium", "number"),
    "gpus_per_node": ("gpus_per_node", "number"),
    "lead_time": ("lead_time_months", "months"),
    "pue": ("pue", "number"),
    "server_overhead": ("server_overhead", "number"),
    "idle_power": ("idle_power_frac", "frac"),
    "maintenance": ("maintenance_frac_per_year", "frac"),
    "life": ("depreciation_life_months", "months"),
    "resale_decline": ("resale_decline_frac_per_year", "frac"),
    "resale_floor": ("resale_floor_frac", "frac"),
    "loan_frac": ("loan_frac", "frac"),
    "loan_rate": ("loan_rate_per_year", "number"),
    "loan_months": ("loan_months", "months"),
    "lease_frac": ("lease_frac_per_month", "frac"),
    "rent_out_util": ("rent_out_util_frac", "frac"),
}
# Amounts: (request field, kind).
_RVB_AMOUNTS = {
    "rent": ("rent", _QTY_MONEY_PER_HOUR),
    "price": ("price", _QTY_MONEY),
    "tariff": ("tariff", _QTY_MONEY_PER_KWH),
    "colo": ("colo", _QTY_MONEY),
    "overhead_per_node": ("overhead_per_node", _QTY_MONEY),
    "lease_payment": ("lease_payment", _QTY_MONEY),
    "rent_out_price": ("rent_out_price", _QTY_MONEY_PER_HOUR),
}


def rent_vs_buy(gpu=None, gpus=None, months=None, scenario=None,
                paths=None, seed=None, set=None, discount_rate=None,
                mode=None, financing=None, depreciation=None, overhead=None,
                tdp=None, output="dict", **kw):
    """Renting cards against buying them: the document of
    `gpubudget rent-vs-buy --json` (docs/output.md).

    Without a scenario, month by month cash, totals, NPVs and the
    break-even utilisation and horizon (finance layer):
    gpu, gpus, months  the card (catalog name), how many, for how long
                    (months, or "3 years")
    mode            "on-demand" (default), "reserved" or "spot"
    financing       "cash" (default), "loan" or "lease"
    depreciation    "straight-line" (default), ... as the command
    overhead        servers and network as a fraction of the card price
                    (default the catalog's server share)
    tdp             watts per card (default the catalog's)
    **kw            the command's other options, with _ for -:
                    amounts rent, price, tariff, colo, overhead_per_node,
                    lease_payment, rent_out_price (numbers in the report
                    currency, or text naming one: "$2.2/h", "¥12/h");
                    utilization, reserved_discount, commitment,
                    spot_discount, preemption_loss, rent_change, premium,
                    gpus_per_node, lead_time, pue, server_overhead,
                    idle_power, maintenance, life, resale_decline,
                    resale_floor, loan_frac, loan_rate, loan_months,
                    lease_frac, rent_out_util (fractions as 0.8 or "80%",
                    months as numbers or durations)

    With a scenario (a path, or a Scenario from load()), the scenario as
    written against the same scenario renting every card, by the engine on
    the same paths: scenario, paths, seed and set (overrides, as load()'s,
    only with a path); gpu, gpus, months and **kw are refused.

    discount_rate   NPV rate a year, both forms (default: the scenario's,
                    else the finance layer's)
    output          "dict" (default) or "json" (the text)

    Raises gpubudget.Error (its .problem.path names the argument at
    fault: "gpu", "rent", "price", ...), ScenarioError for a scenario that
    does not load, TypeError for arguments of the other form.
    """
    from ._scenario import Scenario, load

    req = _lib.RentVsBuyRequest()
    lib.gpb_report_rent_vs_buy_request_default(ctypes.byref(req))
    if discount_rate is not None:
        req.discount_rate_per_year = _number(discount_rate, "discount_rate")
    if scenario is not None:
        closed = dict(gpu=gpu, gpus=gpus, months=months, mode=mode,
                      financing=financing, depreciation=depreciation,
                      overhead=overhead, tdp=tdp, **kw)
        given = sorted(k for k, v in closed.items() if v is not None)
        if given:
            raise TypeError("rent_vs_buy(scenario=...) takes the work, the "
                            "cards and their costs from the scenario: drop "
                            + ", ".join(given))
        if isinstance(scenario, Scenario):
            if set is not None:
                raise TypeError("set= goes with a scenario path; use "
                                "Scenario.with_overrides()")
            sc, name = scenario, scenario.path or scenario._name or \
                scenario.name
        else:
            name = str(scenario)
            sc = load(scenario, set=set)
        req.scenario = sc._ptr
        req.scenario_name = name.encode()
        if paths is not None:
            req.sim.paths = _whole(paths, "paths", 1, _lib.GPB_SIM_MAX_PATHS)
        if seed is not None:
            req.sim.seed = _whole(seed, "seed", 0, _lib.GPB_SIM_MAX_SEED)
        return _document(lib.gpb_report_rent_vs_buy_json, req, output)
    if paths is not None or seed is not None or set is not None:
        raise TypeError("paths, seed and set go with scenario=")
    if gpu is None or gpus is None or months is None:
        raise TypeError("rent_vs_buy() needs gpu, gpus and months (or "
                        "scenario)")
    req.gpu = str(gpu).encode()
    f = req.finance
    f.gpus = _number(gpus, "gpus")
    f.months = _months(months, "months")
    if mode is not None:
        f.rent_mode = _choice(lib.gpb_finance_rent_mode_from_name, mode,
                              "mode")
    if financing is not None:
        f.financing = _choice(lib.gpb_finance_financing_from_name,
                              financing, "financing")
    if depreciation is not None:
        f.depreciation_method = _choice(
            lib.gpb_finance_depreciation_method_from_name, depreciation,
            "depreciation")
    if overhead is not None:
        req.overhead_frac = _number(overhead, "overhead")
    if tdp is not None:
        req.tdp_watts = _number(tdp, "tdp")
    for k, v in kw.items():
        if v is None:
            continue
        if k in _RVB_AMOUNTS:
            field, kind = _RVB_AMOUNTS[k]
            setattr(req, field, _amount(v, kind, k))
        elif k in _RVB_FINANCE:
            field, how = _RVB_FINANCE[k]
            if how == "frac":
                x = _fraction(v, k, _FRAC_CLOSED)
            elif how == "frac_below1":
                x = _fraction(v, k, _FRAC_OPEN_HI)
            elif how == "months":
                x = _months(v, k)
            else:
                x = _number(v, k)
            setattr(f, field, x)
        else:
            raise TypeError("rent_vs_buy() got an unexpected keyword "
                            "argument %r" % k)
    return _document(lib.gpb_report_rent_vs_buy_json, req, output)


def check(scenarios=None, claim=None, paths=None, seed=None, threads=None,
          set=None, precision=None, output="dict"):
    """Claims against the model: the document of `gpubudget check --json`
    (docs/check.md).

    scenarios  a list of scenario files (paths) or loaded Scenarios, each
               simulated and every claim it declares checked; the
               document's "file" is the path as given (a Scenario's own
               path, else its name)
    claim      instead of scenarios, a pitch in words ("70B params, 2T
               tokens, 512 H100, 30 days, $2M"), as `check --claim`
    paths      paths per scenario (default 10,000, as the command)
    seed       the runs' seed (default the engine's)
    threads    worker threads (default one per core)
    set        overrides applied to every scenario path, as load()'s
    precision  with claim: the run's precision ("fp8")
    output     "dict" (default) or "json" (the text)

    Raises gpubudget.Error (with claim: .problem.path "claim" or
    "precision"), ScenarioError for a scenario that does not load,
    TypeError for neither or both of scenarios and claim.
    """
    from ._scenario import Scenario, load

    if (scenarios is None) == (claim is None):
        raise TypeError("check() takes scenarios or claim")
    if paths is not None and paths < 1:
        raise ValueError("paths must be at least 1")
    if claim is not None:
        if set is not None:
            raise TypeError("set= changes scenario files; a pitch says its "
                            "own figures")
        req = _lib.CheckPitchRequest()
        lib.gpb_report_check_pitch_request_default(ctypes.byref(req))
        req.pitch = str(claim).encode()
        if precision is not None:
            req.precision = str(precision).encode()
        if paths is not None:
            req.sim.paths = _whole(paths, "paths", 1, _lib.GPB_SIM_MAX_PATHS)
        if seed is not None:
            req.sim.seed = _whole(seed, "seed", 0, _lib.GPB_SIM_MAX_SEED)
        req.sim.threads = _whole(threads or 0, "threads", 0, 1024)
        return _document(lib.gpb_report_check_pitch_json, req, output)
    if precision is not None:
        raise TypeError("precision= is for a claim; a scenario's runs say "
                        "their own precision")
    if isinstance(scenarios, (str, bytes)) or not hasattr(scenarios,
                                                          "__iter__"):
        scenarios = [scenarios]
    loaded = []
    for x in scenarios:
        if isinstance(x, Scenario):
            if set is not None:
                raise TypeError("set= goes with scenario paths; use "
                                "Scenario.with_overrides()")
            loaded.append((x.path or x._name or x.name, x))
        else:
            loaded.append((str(x), load(x, set=set)))
    opt = _lib.SimOptions()
    lib.gpb_sim_options_default(ctypes.byref(opt))
    opt.paths = (_whole(paths, "paths", 1, _lib.GPB_SIM_MAX_PATHS)
                 if paths is not None else 10000)
    if seed is not None:
        opt.seed = _whole(seed, "seed", 0, _lib.GPB_SIM_MAX_SEED)
    opt.threads = _whole(threads or 0, "threads", 0, 1024)
    n = len(loaded)
    items = (_lib.CheckScenario * max(n, 1))()
    results = []
    names = [name.encode() for name, _ in loaded]
    try:
        for i, (name, sc) in enumerate(loaded):
            res = ctypes.c_void_p()
            err = _lib.Error()
            _ok(lib.gpb_sim_run(sc._ptr, ctypes.byref(opt),
                                  ctypes.byref(res), ctypes.byref(err)), err)
            results.append(res)
            err = _lib.Error()
            _ok(lib.gpb_report_check_scenario_compute(
                names[i], sc._ptr, res, opt.threads,
                ctypes.byref(items[i]), ctypes.byref(err)), err)
        out = ctypes.c_void_p()
        err = _lib.Error()
        _ok(lib.gpb_report_check_json(items, n, ctypes.byref(out),
                                        ctypes.byref(err)), err)
        text = _lib.take_text(out.value)
    finally:
        for i in range(n):
            lib.gpb_report_check_scenario_free(ctypes.byref(items[i]))
        for res in results:
            lib.gpb_result_free(res)
    if output == "json":
        return text
    if output != "dict":
        raise ValueError("output: 'dict' or 'json'")
    return json.loads(text)
