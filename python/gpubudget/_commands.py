"""The deterministic commands: `gpubudget gpus`, `estimate` and `plan` as
Python functions. Each returns the library's document, the same bytes the
command prints with --json (report.h, gpb_report_*_json), parsed."""

import ctypes
import json

import pandas as pd

from . import _lib
from ._errors import check

lib = _lib.lib

__all__ = ["gpus", "estimate", "plan"]

_QTY_NUMBER = 0
_QTY_DURATION = 2
_QTY_MONEY_PER_HOUR = 3
_FRAC_OPEN_LO = 1
_RECOMPUTE = {"none": 0, "selective": 1, "full": 2}
_SOFTWARE = {"modern": 0, "megatron-2021": 1}


def _parse(value, kind, what):
    """A number as given, or text the library parses as the command does
    ("70B", "2T", "$2/h"); returns a _lib.Quantity."""
    q = _lib.Quantity()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        q.value, q.kind, q.currency = float(value), kind, 0
        return q
    err = _lib.Error()
    st = lib.gpb_units_parse_as(str(value).encode(), kind, ctypes.byref(q),
                                ctypes.byref(err))
    if st and not err.path:
        err.path = what.encode()
    check(st, err)
    return q


def _number(value, what):
    return _parse(value, _QTY_NUMBER, what).value


def _fraction(value, what):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    out = ctypes.c_double()
    err = _lib.Error()
    st = lib.gpb_units_parse_fraction(str(value).encode(), _FRAC_OPEN_LO,
                                      ctypes.byref(out), ctypes.byref(err))
    if st and not err.path:
        err.path = what.encode()
    check(st, err)
    return out.value


def _days(value):
    """Days: a number, or a duration ("3 weeks", "720h") as the command
    reads --days."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return _parse(value, _QTY_DURATION, "days").value / 24.0
    except Exception:
        return _number(value, "days")


def _price(value, req):
    q = _parse(value, _QTY_MONEY_PER_HOUR, "price")
    req.price_per_gpu_hour = q.value
    req.price_currency = q.currency or _lib.CURRENCIES["USD"]


def _document(fn, req, output):
    out = ctypes.c_void_p()
    err = _lib.Error()
    check(fn(ctypes.byref(req), ctypes.byref(out), ctypes.byref(err)), err)
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
    check(lib.gpb_report_gpus_json(ctypes.byref(out), ctypes.byref(err)),
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
    recompute       True: full activation recomputation (8·N·D)
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
