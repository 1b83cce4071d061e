"""gpbcells: gpubudget's flat C API (gpubudget/cells.h) through ctypes.

Shared by the spreadsheet add-ins (tools/gnumeric, tools/libreoffice) and the
spreadsheet test. FUNCTIONS is the one list of spreadsheet functions: their
names, arguments with units, help and examples. The add-ins' function tables,
plugin.xml and Basic module are generated from it (tools/spreadsheet/gen.py),
so the two programs always offer the same functions under the same names.

Conventions (see docs/spreadsheets.md):
- every argument may be a number or text; numbers are passed to the library
  as the shortest text that reads back to the same double (repr), text as
  UTF-8, so "70B", "$2.5/h" and "¥5万" work wherever a number does;
- an optional argument that is empty, "" or the number 0 is "not given"
  (it takes its default): Gnumeric passes an empty argument or an empty
  cell as 0, and LibreOffice an empty argument (;;), so a 0 that the user
  typed cannot be told from one; zero itself is the text "0" (or "0%",
  "$0/h"). A required argument that is empty is an error naming it;
- a failure raises GpbError with the library's sentence;
- a relative scenario file is looked for in the working directory, then in
  the folders the add-in names (the workbook's), then in each directory of
  the environment variable GPB_SCENARIO_PATH (':'-separated).

The library is found through, in order: the environment variable GPB_LIBRARY
(a path to libgpubudget.so), the LIBRARY recorded by the add-in's installer in
gpb_config.py next to this file, and the system's libgpubudget.so.0.
"""

import ctypes
import ctypes.util
import math
import os
import runpy
import threading

__all__ = ["GpbError", "FUNCTIONS", "BY_NAME", "call", "library_path"]


class GpbError(Exception):
    """A gpubudget function failed; str() is the library's sentence."""


class Arg:
    """One argument. zero_valid (required arguments only): 0 is a value
    the library accepts here (users, a month), so a 0 is passed on even
    though it may come from an empty cell; elsewhere a required 0 is taken
    for an empty argument and refused with a sentence naming it.
    tests/spreadsheets_check.py checks the flag against the library."""

    def __init__(self, name, help, optional=False, zero_valid=False):
        self.name = name
        self.help = help
        self.optional = optional
        self.zero_valid = zero_valid


def _a(name, help, zero_valid=False):
    return Arg(name, help, zero_valid=zero_valid)


def _o(name, help):
    return Arg(name, help, optional=True)


class Fn:
    """One spreadsheet function.

    kind: "c" calls gpb_cells_<c> (string arguments, a double back);
    "c0" calls a C function without arguments; "why", "repr" and "version"
    are the add-ins' own helpers.
    """

    def __init__(self, name, c, args, summary, description, example,
                 result, kind="c", seealso=()):
        self.name = name
        self.c = c
        self.args = args
        self.summary = summary
        self.description = description
        self.example = example
        self.result = result
        self.kind = kind
        self.seealso = seealso


_PARAMS = _a("params", "parameters (a number such as 7E10, or text: \"70B\")")
_TOKENS = _a("tokens", "training tokens (2E12 or \"2T\")")
_CARD = _a("card", "GPU catalog name or alias, e.g. \"H100\", \"A100-80GB\"")
_GPUS = _a("gpus", "number of GPUs working together")
_MFU = _o("mfu", "model FLOPs utilisation, 0-1 (\"\" = the card's default)")
_PREC = _o("precision", "\"bf16\", \"fp16\", \"fp8\", \"tf32\" or \"fp32\" "
           "(\"\" = the card's default)")
_PRICE = _o("price", "price per GPU-hour, e.g. \"$2.5/h\", \"¥10/小时\" "
            "(\"\" = the card's reference rent in USD)")
_SET = _o("set", "constants: \"besiroglu2024\" (default, as in gpubudget "
          "estimate), \"hoffmann2022\" or \"hoffmann2022-tex\"")
_FILE = _a("file", "scenario YAML file (relative: the working directory, "
           "the workbook's folder, then GPB_SCENARIO_PATH)")
_OVR = _o("overrides", "\"path=value\" pairs separated by \";\", e.g. "
          "\"training[0].gpus=512; company.cash=$30M\"")
_PATHS = _o("paths", "Monte Carlo paths (default 10000, at most 1000000)")
_SEED = _o("seed", "seed (default 20230225); same seed, same numbers")
_RVB_OPTS = _o("options", "more settings as \"key=value; ...\", e.g. "
               "\"rent_mode=reserved; financing=loan; pue=1.2\"")
_SRV_OPTS = _o("options", "\"key=value; ...\": batch, bytes_per_param, "
               "context_tokens, kv_bytes_per_token, gpus_per_replica, "
               "peak_to_mean, util_frac, mfu_frac, bw_frac, precision")

FUNCTIONS = [
    Fn("GPB_TRAIN_FLOPS", "train_flops", [_PARAMS, _TOKENS],
       "training FLOPs of a dense transformer, 6·N·D",
       "6 x parameters x tokens (Kaplan et al. 2020). For a mixture of "
       "experts give the active parameters.",
       "=GPB_TRAIN_FLOPS(\"70B\";\"2T\")", "FLOPs"),
    Fn("GPB_TRAIN_GPU_HOURS", "train_gpu_hours",
       [_PARAMS, _TOKENS, _CARD, _MFU, _PREC],
       "GPU-hours to train a model on a card",
       "6·N·D / (dense peak x MFU x 3600).",
       "=GPB_TRAIN_GPU_HOURS(7E10;2E12;\"H100\";0.4)", "GPU-hours"),
    Fn("GPB_TRAIN_DAYS", "train_days",
       [_PARAMS, _TOKENS, _CARD, _GPUS, _MFU, _PREC],
       "wall-clock days to train a model on a number of cards",
       "GPU-hours / GPUs / 24.",
       "=GPB_TRAIN_DAYS(7E10;2E12;\"H100\";512)", "days"),
    Fn("GPB_TRAIN_CARD_MONTHS", "train_card_months",
       [_PARAMS, _TOKENS, _CARD, _MFU, _PREC],
       "card-months to train a model (千卡/月 = 1000 card-months)",
       "GPU-hours / 730.5 (one month is 730.5 hours).",
       "=GPB_TRAIN_CARD_MONTHS(1E10;2E11;\"A100\")", "card-months"),
    Fn("GPB_TRAIN_COST", "train_cost",
       [_PARAMS, _TOKENS, _CARD, _GPUS, _MFU, _PRICE, _PREC],
       "rent for a training run at an on-demand price",
       "GPU-hours x price per GPU-hour, in the price's currency (USD for "
       "the catalog price). The GPU count is checked but does not change "
       "on-demand rent.",
       "=GPB_TRAIN_COST(7E10;2E12;\"H100\";512)", "money"),
    Fn("GPB_IMPLIED_MFU", "implied_mfu",
       [_PARAMS, _TOKENS, _CARD, _GPUS,
        _a("days", "claimed wall-clock days, or a duration such as "
           "\"720h\""), _PREC],
       "the MFU a claim \"N GPUs for D days\" implies",
       "6·N·D / (GPUs x dense peak x days x 86400). Above 1 the claim is "
       "impossible; above 0.55 it beats every published run.",
       "=GPB_IMPLIED_MFU(\"70B\";\"2T\";\"H100\";512;30)", "fraction"),
    Fn("GPB_IMPLIED_MFU_GPU_HOURS", "implied_mfu_gpu_hours",
       [_PARAMS, _TOKENS, _CARD, _a("gpu_hours", "claimed GPU-hours"),
        _PREC],
       "the MFU a claim in GPU-hours implies",
       "6·N·D / (dense peak x GPU-hours x 3600).",
       "=GPB_IMPLIED_MFU_GPU_HOURS(\"70B\";\"2T\";\"H100\";368640)",
       "fraction"),
    Fn("GPB_TRAIN_INTERVAL", "train_interval",
       [_a("what", "\"mfu\", \"gpu_hours\", \"days\", \"card_months\", "
           "\"cost\" or \"ratio\""),
        _a("stat", "\"p5\", \"p50\", \"p95\" or \"ideal\""),
        _PARAMS, _TOKENS, _CARD, _GPUS,
        _o("mfu", "a steady-state MFU you vouch for, 0-1: it narrows the "
           "interval (\"\" = the throughput model's)"),
        _o("price", "one price per GPU-hour, e.g. \"$2.5/h\" (\"\" = the "
           "catalog's pricing rule, in USD)"),
        _o("options", "\"key=value; ...\": active_params, seq_len, "
           "global_batch_tokens, recompute (0 or 1), precision")],
       "P5/P50/P95 of a training run's MFU, GPU-hours, days or cost",
       "The throughput model's MFU for the model on the cluster (\"ideal\"), "
       "and how far 18 published runs fell short of that model, as "
       "gpubudget estimate gives them; docs/model.md, \"Plan\".",
       "=GPB_TRAIN_INTERVAL(\"cost\";\"p50\";7E10;2E12;\"H100\";512)",
       "fraction, GPU-hours, days, card-months, money or ratio"),
    Fn("GPB_GPU", "gpu_field",
       [_CARD, _a("field", "bf16_tflops, fp8_tflops, mem_gb, mem_bw_tbs, "
                  "tdp_w, purchase_usd, rent_usd_per_hour, default_mfu, "
                  "year, ...")],
       "a figure from the GPU catalog",
       "Dense peaks (never the sparse headline), memory, power, reference "
       "prices and default MFU; docs/hardware.md gives each source.",
       "=GPB_GPU(\"H100\";\"bf16_tflops\")", "the field's unit"),
    Fn("GPB_CHINCHILLA_PARAMS", "chinchilla_params",
       [_a("flops", "training budget in FLOPs"), _SET],
       "compute-optimal parameters for a FLOP budget (Chinchilla)",
       "Hoffmann et al. 2022, Eq. 4, with C = 6·N·D.",
       "=GPB_CHINCHILLA_PARAMS(5.76E23)", "parameters"),
    Fn("GPB_CHINCHILLA_TOKENS", "chinchilla_tokens",
       [_a("flops", "training budget in FLOPs"), _SET],
       "compute-optimal tokens for a FLOP budget (Chinchilla)",
       "Hoffmann et al. 2022, Eq. 4, with C = 6·N·D.",
       "=GPB_CHINCHILLA_TOKENS(5.76E23;\"besiroglu2024\")", "tokens"),
    Fn("GPB_CHINCHILLA_LOSS", "chinchilla_loss", [_PARAMS, _TOKENS, _SET],
       "predicted loss L(N, D) = E + A/N^α + B/D^β",
       "Nats per token, Hoffmann et al. 2022 or the Epoch AI replication.",
       "=GPB_CHINCHILLA_LOSS(\"70B\";\"1.4T\")", "nats per token"),
    Fn("GPB_MIN_GPUS", "min_gpus",
       [_PARAMS, _CARD,
        _o("bytes_per_param", "model-state bytes per parameter (default 16, "
           "mixed-precision Adam)"),
        _o("usable_frac", "usable fraction of each card's memory "
           "(default 0.9)")],
       "fewest cards whose memory holds a model's training state",
       "params x bytes per param / (card memory x usable fraction), "
       "rounded up; activations left out.",
       "=GPB_MIN_GPUS(\"70B\";\"H100\")", "GPUs"),
    Fn("GPB_RENT_VS_BUY", "rent_vs_buy",
       [_a("what", "rent_npv, buy_npv, npv_buy_minus_rent, rent_cash, "
           "buy_cash, capex, power, colo, resale_proceeds, ..., "
           "breakeven_util or breakeven_months"),
        _GPUS, _a("months", "horizon in months (or \"3 years\")"), _CARD,
        _o("util_frac", "fraction of hours used (default 0.7)"),
        _o("rent_price", "on-demand price per GPU-hour (\"\" = the card's)"),
        _o("price_per_gpu", "purchase price of one card (\"\" = the "
           "card's)"),
        _RVB_OPTS],
       "one figure of a rent-versus-buy comparison",
       "Month-by-month cash of renting and of buying (capex, power, "
       "colocation, maintenance, resale, financing), NPVs and break-even "
       "points; docs/finance.md.",
       "=GPB_RENT_VS_BUY(\"npv_buy_minus_rent\";512;36;\"H100\")",
       "money, kWh, GPU-hours, fraction or months"),
    Fn("GPB_BREAKEVEN_UTIL", "breakeven_util",
       [_GPUS, _a("months", "horizon in months"), _CARD,
        _o("rent_price", "on-demand price per GPU-hour (\"\" = the card's)"),
        _o("price_per_gpu", "purchase price of one card (\"\" = the "
           "card's)"),
        _RVB_OPTS],
       "the utilisation at which buying and renting cost the same (NPV)",
       "An error says which option is cheaper when no utilisation breaks "
       "even.",
       "=GPB_BREAKEVEN_UTIL(512;36;\"H100\")", "fraction"),
    Fn("GPB_SERVING_GPUS", "serving_gpus",
       [_PARAMS, _CARD, _a("users", "users", zero_valid=True),
        _a("requests_per_day", "requests per user per day",
           zero_valid=True),
        _a("tokens_per_request", "generated tokens per request",
           zero_valid=True),
        _SRV_OPTS],
       "cards to serve a load, in whole replicas",
       "Roofline decode rate of one replica (memory or compute bound) and "
       "the load users x requests x tokens / 86400.",
       "=GPB_SERVING_GPUS(\"70B\";\"H100\";1E6;10;500;\"batch=64\")",
       "GPUs"),
    Fn("GPB_SERVING_COST", "serving_cost",
       [_PARAMS, _CARD, _a("users", "users", zero_valid=True),
        _a("requests_per_day", "requests per user per day",
           zero_valid=True),
        _a("tokens_per_request", "generated tokens per request",
           zero_valid=True),
        _PRICE, _SRV_OPTS],
       "rent per month (730.5 h) of the cards that serve a load",
       "GPB_SERVING_GPUS x 730.5 x price per GPU-hour.",
       "=GPB_SERVING_COST(\"70B\";\"H100\";1E6;10;500;\"\";\"batch=64\")",
       "money per month"),
    Fn("GPB_COST_PER_MTOKEN", "cost_per_mtoken",
       [_PARAMS, _CARD, _PRICE, _SRV_OPTS],
       "cost of a million generated tokens on one busy replica",
       "price / (tokens per second per GPU x utilisation x 3600) x 1E6.",
       "=GPB_COST_PER_MTOKEN(\"70B\";\"H100\";\"$2.5/h\";\"batch=64\")",
       "money per million tokens"),
    Fn("GPB_SCENARIO", "scenario",
       [_FILE,
        _a("metric", "runway_months, spend.total, cash.min, "
           "training.<run>.cost, ... (sim.h)"),
        _o("stat", "a quantile level 0-1 or \"p10\", \"mean\", \"se\", "
           "\"median\", \"min\", \"max\", \"prob<=x\", \"prob>x\" "
           "(default mean)"),
        _OVR, _PATHS, _SEED],
       "a statistic of a Monte Carlo run of a scenario file",
       "Runs are cached by file contents, overrides, paths and seed: a "
       "sheet runs each scenario once, and again when the file changes.",
       "=GPB_SCENARIO(\"pitch.yaml\";\"runway_months\";0.1)",
       "the metric's unit, or a probability"),
    Fn("GPB_RAISE", "raise",
       [_FILE,
        _o("runway_months", "months the cash must last, 1 to the horizon "
           "(default the horizon)"),
        _o("confidence", "probability, 0-1 (default 0.9)"),
        _OVR, _PATHS, _SEED],
       "the amount to raise now for a runway at a confidence",
       "The confidence-quantile of the deepest cash deficit within the "
       "runway, in the scenario's currency.",
       "=GPB_RAISE(\"pitch.yaml\";24;0.9)", "money"),
    Fn("GPB_PROB_OUT_OF_CASH", "prob_out_of_cash",
       [_FILE, _a("month", "month, counted from 0", zero_valid=True),
        _OVR, _PATHS, _SEED],
       "probability that cash has run out by the end of a month",
       "The fraction of paths whose cash went below zero by then.",
       "=GPB_PROB_OUT_OF_CASH(\"pitch.yaml\";23)", "probability"),
    Fn("GPB_SCENARIO_RUNS", "scenario_runs", [],
       "Monte Carlo runs so far (cache misses)",
       "Shows that a sheet runs each scenario once.",
       "=GPB_SCENARIO_RUNS()", "count", kind="c0"),
    Fn("GPB_CACHE_HITS", "cache_hits", [],
       "scenario answers served from the cache",
       "Counts calls that found their run in the cache.",
       "=GPB_CACHE_HITS()", "count", kind="c0"),
    Fn("GPB_WHY", None,
       [_a("function", "a gpubudget function name, e.g. \"GPB_TRAIN_COST\"")]
       + [_o("arg%d" % i, "its argument %d" % i) for i in range(1, 10)],
       "why a gpubudget call fails (its error text, or \"\")",
       "Calls the function with the arguments and returns the library's "
       "sentence: LibreOffice shows a failed cell only as #VALUE!.",
       "=GPB_WHY(\"GPB_TRAIN_COST\";7E10;2E12;\"H1000\";512)", "text",
       kind="why"),
    Fn("GPB_REPR", None, [_a("number", "a number")],
       "a number as the shortest text that reads back to the same double",
       "For checking results to the last bit (spreadsheets show 15 digits).",
       "=GPB_REPR(1/3)", "text", kind="repr"),
    Fn("GPB_VERSION", None, [],
       "the gpubudget library's version", "The version string.",
       "=GPB_VERSION()", "text", kind="version"),
]

BY_NAME = {f.name: f for f in FUNCTIONS}

_HERE = os.path.dirname(os.path.abspath(__file__))
_lock = threading.Lock()
_lib = None
_lib_error = None
_lib_path = None


def _candidates():
    env = os.environ.get("GPB_LIBRARY")
    if env:
        yield env
        return
    # Read by path: Gnumeric resets sys.path between loading a plugin and
    # calling its functions.
    config = os.path.join(_HERE, "gpb_config.py")
    if os.path.exists(config):
        try:
            lib = runpy.run_path(config).get("LIBRARY")
        except Exception:
            lib = None
        if lib:
            yield lib
    found = ctypes.util.find_library("gpubudget")
    if found:
        yield found
    yield "libgpubudget.so.0"


def _load():
    global _lib, _lib_error, _lib_path
    with _lock:
        if _lib is not None or _lib_error is not None:
            return _lib
        errors = []
        for path in _candidates():
            try:
                lib = ctypes.CDLL(path)
            except OSError as e:
                errors.append("%s (%s)" % (path, e))
                continue
            lib.gpb_cells_last_error.restype = ctypes.c_char_p
            lib.gpb_cells_last_error.argtypes = []
            lib.gpb_cells_last_status.restype = ctypes.c_int
            lib.gpb_cells_last_status.argtypes = []
            lib.gpb_version.restype = ctypes.c_char_p
            lib.gpb_version.argtypes = []
            for f in FUNCTIONS:
                if f.kind in ("c", "c0"):
                    fn = getattr(lib, "gpb_cells_" + f.c)
                    fn.restype = ctypes.c_double
                    fn.argtypes = [ctypes.c_char_p] * len(f.args)
            _lib, _lib_path = lib, path
            return _lib
        _lib_error = ("cannot load libgpubudget: tried " + "; ".join(errors)
                      + " (set GPB_LIBRARY to the library's path)")
        return None


def library_path():
    """The path the library was loaded from (loading it if need be)."""
    _load()
    return _lib_path


def _text(v):
    """A cell value as the library's argument text (None: not given)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return b"1" if v else b"0"
    if isinstance(v, int):
        return str(v).encode()
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise GpbError("an argument is not a finite number")
        if v.is_integer() and abs(v) < 2.0 ** 53:
            return str(int(v)).encode()
        return repr(v).encode()
    return str(v).encode("utf-8")


def _zero(v):
    """Whether a cell value is the number 0, which is what Gnumeric passes
    for an empty argument or cell and LibreOffice for an empty argument
    (docs/spreadsheets.md, "Empty arguments"). FALSE is not 0 here."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0


def _resolve(path, dirs=()):
    """A relative scenario file: the working directory, then each of dirs
    (the workbook's folder, when the add-in knows it), then each directory
    of GPB_SCENARIO_PATH; unchanged when found nowhere (the library then
    says it cannot open it)."""
    if not path or os.path.isabs(path) or os.path.exists(path):
        return path
    env = os.environ.get("GPB_SCENARIO_PATH", "").split(os.pathsep)
    for d in list(dirs) + env:
        if d and os.path.exists(os.path.join(d, path)):
            return os.path.join(d, path)
    return path


def _why(args, dirs):
    if not args or args[0] is None or str(args[0]).strip() == "":
        raise GpbError("function: name a gpubudget function, e.g. "
                       "\"GPB_TRAIN_COST\"")
    name = str(args[0]).strip().upper()
    f = BY_NAME.get(name)
    if f is None or f.kind not in ("c", "c0"):
        raise GpbError("function: '%s' is not a gpubudget function that "
                       "can fail" % args[0])
    try:
        call(name, list(args[1:1 + len(f.args)]), dirs)
    except GpbError as e:
        return str(e)
    return ""


def call(name, args, dirs=()):
    """Calls the spreadsheet function `name` with cell values `args` (extra
    trailing None or "" are ignored); dirs are more places to look for a
    relative scenario file (the workbook's folder). An optional argument
    that is None, "" or the number 0 is not given; a required one that is
    the number 0 is refused unless 0 is one of its values (Arg.zero_valid).
    Returns a float (or a str for the text helpers); raises GpbError on
    failure."""
    f = BY_NAME.get(name.upper())
    if f is None:
        raise GpbError("unknown function %s" % name)
    args = list(args)
    while len(args) > len(f.args) and (args[-1] is None or args[-1] == ""
                                       or _zero(args[-1])):
        args.pop()
    if len(args) > len(f.args):
        raise GpbError("%s takes at most %d arguments, found %d"
                       % (f.name, len(f.args), len(args)))
    need = sum(1 for a in f.args if not a.optional)
    if f.kind == "why":
        return _why(args, dirs)
    if f.kind == "repr":
        if not args or not isinstance(args[0], (int, float)) \
                or isinstance(args[0], bool):
            raise GpbError("number: expected a number")
        return repr(float(args[0]))
    lib = _load()
    if lib is None:
        raise GpbError(_lib_error)
    if f.kind == "version":
        return lib.gpb_version().decode()
    if f.kind == "c0":
        return getattr(lib, "gpb_cells_" + f.c)()
    if len(args) < need:
        missing = f.args[len(args)].name
        raise GpbError("%s: is required" % missing)
    texts = []
    for a, v in zip(f.args, args + [None] * (len(f.args) - len(args))):
        if _zero(v) and not a.zero_valid:
            if a.optional:
                v = None
            else:
                raise GpbError("%s: is required (found 0, which is also "
                               "how an empty cell or argument arrives)"
                               % a.name)
        if a.name == "file" and isinstance(v, str):
            v = _resolve(v.strip(), dirs)
        texts.append(_text(v))
    r = getattr(lib, "gpb_cells_" + f.c)(*texts)
    if lib.gpb_cells_last_status() != 0 or math.isnan(r):
        raise GpbError(lib.gpb_cells_last_error().decode("utf-8", "replace"))
    return r
