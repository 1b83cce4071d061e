#!/usr/bin/env python3
"""The spreadsheet test's helper (tests/test_spreadsheets.sh runs it).

  spreadsheets_check.py lint
      checks the add-ins' generated declarations (every Gnumeric help line
      starts with an @GNM_FUNC_HELP_...@ tag, plugin.xml and the Basic
      module name every function) and that examples/spreadsheets/
      investor.ods is what investor.py writes, and that the zero_valid
      flags of gpbcells.py agree with the library
  spreadsheets_check.py prepare OUT.ods
      writes the test workbook: investor.ods plus a sheet "Check" (for
      every result cell: ISERROR and GPB_REPR, the value to the last bit),
      a sheet "Errors" (calls that must fail, and GPB_WHY of each) and a
      sheet "Empty" (every optional argument of every function left out
      in four ways, and required ones left out)
  spreadsheets_check.py compare PROGRAM DIR
      reads the CSV files PROGRAM ("gnumeric" or "libreoffice") wrote into
      DIR and compares every result cell with libgpubudget called directly
      through ctypes (GPB_LIBRARY): closed forms to 1e-9 relative, Monte
      Carlo cells exactly, errors as errors with the library's sentence

Run from the directory that holds pitch.yaml and the workbook, with
GPB_SOURCE_ROOT set to the source tree. The programs themselves run
elsewhere: the scenario is found beside the workbook.
"""

import csv
import ctypes
import glob
import math
import os
import sys
import zipfile
from xml.sax.saxutils import escape

ROOT = os.environ.get("GPB_SOURCE_ROOT") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples", "spreadsheets"))
sys.path.insert(0, os.path.join(ROOT, "tools", "spreadsheet"))
import investor  # noqa: E402

# Closed forms: the add-in and this helper pass the same text to the same C
# function, so they agree to the last bit unless a program rounds an input;
# 1e-9 relative allows for Gnumeric's long-double arithmetic on inputs.
REL_TOL = 1e-9

MC_FUNCTIONS = {"GPB_SCENARIO", "GPB_RAISE", "GPB_PROB_OUT_OF_CASH"}

# Calls that must fail, each with the reason.
ERRORS = [
    ("unknown card",
     investor.Call("GPB_TRAIN_COST", 7e10, 2e12, "H1000", 512)),
    ("missing file",
     investor.Call("GPB_SCENARIO", "no-such-scenario.yaml",
                   "runway_months", 0.5)),
    ("bad override value",
     investor.Call("GPB_SCENARIO", "pitch.yaml", "runway_months", 0.5,
                   "training[0].gpus=many")),
    ("override past the end of a list",
     investor.Call("GPB_SCENARIO", "pitch.yaml", "runway_months", 0.5,
                   "training[7].gpus=512")),
    ("override of an unknown key",
     investor.Call("GPB_RAISE", "pitch.yaml", 24, 0.9,
                   "company.cassh=$5M")),
    ("unknown metric",
     investor.Call("GPB_SCENARIO", "pitch.yaml", "runway", 0.5)),
    ("unknown rent-vs-buy figure",
     investor.Call("GPB_RENT_VS_BUY", "npv", 512, 36, "H100")),
    ("stat out of range",
     investor.Call("GPB_SCENARIO", "pitch.yaml", "runway_months", 1.5)),
]
# A call whose argument is an error value: the result must be an error
# (there is no library sentence: the library is not reached).
ERROR_INPUT = 'GPB_TRAIN_COST(1/0;"2T";"H100";512)'

# Empty arguments (sheet "Empty"). Each function with valid arguments; each
# argument in turn is left out in four ways: an empty argument (;;), a
# reference to an empty cell, "" and the number 0. Both programs pass some
# of these as 0 (docs/spreadsheets.md, "Empty arguments"), so every form of
# an optional argument must give what the library gives for NULL there. The
# Monte Carlo calls share the Pitch sheet's overrides, paths and seed, so
# only leaving out the overrides adds a simulation.
SAMPLES = {
    "GPB_TRAIN_FLOPS": (7e10, 2e12),
    "GPB_TRAIN_GPU_HOURS": (7e10, 2e12, "H100", 0.35, "bf16"),
    "GPB_TRAIN_DAYS": (7e10, 2e12, "H100", 512, 0.35, "bf16"),
    "GPB_TRAIN_CARD_MONTHS": (7e10, 2e12, "H100", 0.35, "bf16"),
    "GPB_TRAIN_COST": (7e10, 2e12, "H100", 512, 0.35, "$2.5/h", "fp8"),
    "GPB_IMPLIED_MFU": (7e10, 2e12, "H100", 512, 30, "fp8"),
    "GPB_IMPLIED_MFU_GPU_HOURS": (7e10, 2e12, "H100", 368640, "fp8"),
    "GPB_GPU": ("H100", "bf16_tflops"),
    "GPB_CHINCHILLA_PARAMS": (5.76e23, "besiroglu2024"),
    "GPB_CHINCHILLA_TOKENS": (5.76e23, "besiroglu2024"),
    "GPB_CHINCHILLA_LOSS": (7e10, 1.4e12, "besiroglu2024"),
    "GPB_MIN_GPUS": (7e10, "H100", 18, 0.8),
    "GPB_RENT_VS_BUY": ("npv_buy_minus_rent", 512, 36, "H100", 0.5,
                        "$2.5/h", "$30000", "pue=1.2"),
    "GPB_BREAKEVEN_UTIL": (512, 36, "H100", "$3/h", "$30000", "pue=1.2"),
    "GPB_SERVING_GPUS": (7e10, "H100", 1e6, 10, 500, "batch=64"),
    "GPB_SERVING_COST": (7e10, "H100", 1e6, 10, 500, "$2.5/h", "batch=64"),
    "GPB_COST_PER_MTOKEN": (7e10, "H100", "$2.5/h", "batch=64"),
    "GPB_SCENARIO": ("pitch.yaml", "runway_months", 0.25,
                     "company.cash=$30M", 10000, 20230225),
    "GPB_RAISE": ("pitch.yaml", 18, 0.8, "company.cash=$30M", 10000,
                  20230225),
    "GPB_PROB_OUT_OF_CASH": ("pitch.yaml", 23, "company.cash=$30M", 10000,
                             20230225),
}
# The issue's own example, with its value worked by hand: 6·N·D FLOPs at
# the H100's dense bf16 peak of 989.4 TFLOP/s and its default MFU of 0.4,
# 8.4e23 / (989.4e12 · 0.4 · 3600) = 589,582.91 GPU-hours, at $2.5 an hour.
ISSUE_FORMULA = 'GPB_TRAIN_COST(7E10;2E12;"H100";512;;"$2.5/h")'
ISSUE_VALUE = 6 * 7e10 * 2e12 / (989.4e12 * 0.4 * 3600) * 2.5
# Required arguments left empty: the sentence names the argument. An empty
# argument (;;) arrives as 0 in both programs; an empty cell as 0 in
# Gnumeric and as "" in LibreOffice (for which the library answers).
REQUIRED = [("GPB_TRAIN_COST", 0), ("GPB_TRAIN_COST", 2),
            ("GPB_SCENARIO", 0), ("GPB_RAISE", 0)]
EMPTY_FORMS = ("argument", "cell", "text", "zero")
# Column Z of sheet Empty holds nothing: the empty cell.
EMPTY_CELL = "[.Z1]"


def empty_rows():
    """(function, argument index) for every optional argument."""
    import gpbcells
    return [(name, i) for name in SAMPLES
            for i, a in enumerate(gpbcells.BY_NAME[name].args)
            if a.optional]


def _empty_call(name, i, form):
    """The formula of SAMPLES[name] with argument i left out as form."""
    parts = [investor.odf_expr(v, "Empty") for v in SAMPLES[name]]
    parts[i] = {"argument": "", "cell": EMPTY_CELL, "text": '""',
                "zero": "0"}[form]
    return "%s(%s)" % (name, ";".join(parts))


def required_message(program, name, i, form):
    """The sentence for required argument i of name left out as form."""
    import gpbcells
    arg = gpbcells.BY_NAME[name].args[i].name
    if form == "cell" and program == "libreoffice":
        return "%s: is required" % arg
    return ("%s: is required (found 0, which is also how an empty cell or "
            "argument arrives)" % arg)



def fail(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    sys.exit(1)


# --------------------------------------------------------------------------
# The library, called directly
# --------------------------------------------------------------------------

C_NAMES = {
    "GPB_TRAIN_FLOPS": "train_flops", "GPB_TRAIN_GPU_HOURS": "train_gpu_hours",
    "GPB_TRAIN_DAYS": "train_days", "GPB_TRAIN_CARD_MONTHS":
    "train_card_months", "GPB_TRAIN_COST": "train_cost", "GPB_IMPLIED_MFU":
    "implied_mfu", "GPB_IMPLIED_MFU_GPU_HOURS": "implied_mfu_gpu_hours",
    "GPB_GPU": "gpu_field", "GPB_CHINCHILLA_PARAMS": "chinchilla_params",
    "GPB_CHINCHILLA_TOKENS": "chinchilla_tokens", "GPB_CHINCHILLA_LOSS":
    "chinchilla_loss", "GPB_MIN_GPUS": "min_gpus", "GPB_RENT_VS_BUY":
    "rent_vs_buy", "GPB_BREAKEVEN_UTIL": "breakeven_util",
    "GPB_SERVING_GPUS": "serving_gpus", "GPB_SERVING_COST": "serving_cost",
    "GPB_COST_PER_MTOKEN": "cost_per_mtoken", "GPB_SCENARIO": "scenario",
    "GPB_RAISE": "raise", "GPB_PROB_OUT_OF_CASH": "prob_out_of_cash",
}
# Arguments of each C function (cells.h), to pad omitted ones with NULL.
C_ARITY = {
    "train_flops": 2, "train_gpu_hours": 5, "train_days": 6,
    "train_card_months": 5, "train_cost": 7, "implied_mfu": 6,
    "implied_mfu_gpu_hours": 5, "gpu_field": 2, "chinchilla_params": 2,
    "chinchilla_tokens": 2, "chinchilla_loss": 3, "min_gpus": 4,
    "rent_vs_buy": 8, "breakeven_util": 6, "serving_gpus": 6,
    "serving_cost": 7, "cost_per_mtoken": 4, "scenario": 6, "raise": 6,
    "prob_out_of_cash": 5,
}


class Lib:
    def __init__(self):
        path = os.environ.get("GPB_LIBRARY")
        if not path:
            fail("GPB_LIBRARY is not set")
        self.lib = ctypes.CDLL(path)
        self.lib.gpb_cells_last_error.restype = ctypes.c_char_p
        self.lib.gpb_cells_scenario_runs.restype = ctypes.c_double

    def call(self, fn, texts):
        """(value, error text) of gpb_cells_<fn>(texts...). A scenario
        file is named as the add-ins name it when they find it beside the
        workbook (this process runs there): by its full path."""
        c = C_NAMES[fn]
        f = getattr(self.lib, "gpb_cells_" + c)
        f.restype = ctypes.c_double
        n = C_ARITY[c]
        f.argtypes = [ctypes.c_char_p] * n
        texts = list(texts) + [None] * (n - len(texts))
        if fn in MC_FUNCTIONS and texts[0] and not os.path.isabs(
                texts[0]) and os.path.exists(texts[0]):
            texts[0] = os.path.abspath(texts[0])
        v = f(*texts)
        return v, self.lib.gpb_cells_last_error().decode("utf-8")


def text_of(v):
    """A cell value as argument text, written independently of the
    add-ins' gpbcells._text: shortest round-trip text for numbers."""
    if v is None or v == "":
        return None
    if isinstance(v, float) and v == int(v) and abs(v) < 2 ** 53:
        return str(int(v)).encode()
    if isinstance(v, (int, float)):
        return repr(v).encode()
    return v.encode("utf-8")


class Reference:
    """Evaluates the workbook's result cells with the library."""

    def __init__(self, lib):
        self.lib = lib
        self.values = {}   # (sheet, cell) -> (value, error)

    def resolve(self, x, sheet):
        if isinstance(x, investor.Ref):
            s = x.sheet or sheet
            v = investor.cell_value(s, x.cell)
            if isinstance(v, investor.Call):
                val, err = self.result(s, x.cell, v)
                if err:
                    fail("%s.%s feeds another cell but fails: %s"
                         % (s, x.cell, err))
                return val
            return self.resolve(v, s)
        if isinstance(x, investor.Concat):
            parts = []
            for p in x.parts:
                v = self.resolve(p, sheet)
                if isinstance(v, float):
                    if v != int(v):
                        fail("a Concat joins a fractional number")
                    v = int(v)
                parts.append(str(v))
            return "".join(parts)
        return x

    def evaluate(self, call, sheet):
        args = [self.resolve(a, sheet) for a in call.args]
        return self.lib.call(call.fn, [text_of(a) for a in args])

    def result(self, sheet, cell, call):
        key = (sheet, cell)
        if key not in self.values:
            self.values[key] = self.evaluate(call, sheet)
        return self.values[key]


# --------------------------------------------------------------------------
# The test workbook
# --------------------------------------------------------------------------

def _cell_ref(sheet, cell):
    q = "'%s'" % sheet if "-" in sheet else sheet
    return "[$%s.%s]" % (q, cell)


def _fcell(formula):
    return ('<table:table-cell table:formula="%s"/>'
            % escape("of:=" + formula, {'"': "&quot;"}))


def _scell(text):
    return ('<table:table-cell office:value-type="string"><text:p>%s'
            '</text:p></table:table-cell>' % escape(text))


def check_tables():
    rows = []
    results = investor.results()
    for sheet, cell, _ in results:
        ref = _cell_ref(sheet, cell)
        rows.append("<table:table-row>%s%s%s</table:table-row>" % (
            _scell("%s.%s" % (sheet, cell)), _fcell("ISERROR(%s)" % ref),
            _fcell('IF(ISERROR(%s);"";GPB_REPR(%s))' % (ref, ref))))
    # Runs, once every scenario cell of every sheet is computed.
    deps = ";".join(_cell_ref(s, c) for s, c, call in results
                    if call.fn in MC_FUNCTIONS)
    deps += ";[$Errors.B1:.B%d]" % (len(ERRORS) + 1)
    deps += ";[$Empty.B1:.E%d]" % (len(empty_rows()) + 1)
    rows.append("<table:table-row>%s%s</table:table-row>" % (
        _scell("runs"),
        _fcell("IF(COUNT(%s)>=0;GPB_SCENARIO_RUNS();0)" % deps)))
    check = '<table:table table:name="Check">%s</table:table>' % "".join(rows)
    erows = []
    for what, call in ERRORS:
        expr = investor.odf_expr(call, "Errors")
        why = 'GPB_WHY("%s";%s)' % (call.fn, ";".join(
            investor.odf_expr(a, "Errors") for a in call.args))
        erows.append("<table:table-row>%s%s%s%s</table:table-row>" % (
            _scell(what), _fcell(expr), _fcell("ISERROR([.B%d])"
                                               % (len(erows) + 1)),
            _fcell(why)))
    erows.append("<table:table-row>%s%s%s</table:table-row>" % (
        _scell("an argument that is an error"), _fcell(ERROR_INPUT),
        _fcell("ISERROR([.B%d])" % (len(erows) + 1))))
    errors = '<table:table table:name="Errors">%s</table:table>' % "".join(
        erows)
    # Empty: per optional argument, GPB_REPR of each way to leave it out;
    # then the issue's example; then required arguments left out, with
    # GPB_WHY of each.
    mrows = []
    for name, i in empty_rows():
        mrows.append("<table:table-row>%s%s</table:table-row>" % (
            _scell("%s.%s" % (name, i)), "".join(
                _fcell("GPB_REPR(%s)" % _empty_call(name, i, form))
                for form in EMPTY_FORMS)))
    mrows.append("<table:table-row>%s%s</table:table-row>" % (
        _scell("issue"), _fcell("GPB_REPR(%s)" % ISSUE_FORMULA)))
    for name, i in REQUIRED:
        calls = [_empty_call(name, i, form) for form in ("argument", "cell")]
        whys = ['GPB_WHY("%s";%s)' % (name, c[len(name) + 1:-1])
                for c in calls]
        mrows.append("<table:table-row>%s%s</table:table-row>" % (
            _scell("required %s.%d" % (name, i)),
            "".join(_fcell("ISERROR(%s)" % c) for c in calls) +
            "".join(_fcell(w) for w in whys)))
    empty = '<table:table table:name="Empty">%s</table:table>' % "".join(
        mrows)
    return check + errors + empty


def prepare(out):
    investor.write_ods(out, investor.content_xml(check_tables()))


def lint():
    shipped = os.path.join(ROOT, "examples", "spreadsheets", "investor.ods")
    with zipfile.ZipFile(shipped) as z:
        if z.read("content.xml").decode() != investor.content_xml():
            fail("examples/spreadsheets/investor.ods is not what "
                 "investor.py writes; run python3 "
                 "examples/spreadsheets/investor.py")
    import gen
    import gpbcells
    xml = gen.plugin_xml()
    basic = gen.basic_module()
    for f in gpbcells.FUNCTIONS:
        if '<function name="%s"/>' % f.name.lower() not in xml:
            fail("plugin.xml lacks %s" % f.name)
        if "Function %s(" % f.name not in basic:
            fail("the Basic module lacks %s" % f.name)
    # The Gnumeric module, with a stand-in for Gnumeric's own module.
    import types
    fake = types.ModuleType("Gnumeric")

    class GnumericError(Exception):
        pass
    fake.GnumericError = GnumericError
    sys.modules["Gnumeric"] = fake
    sys.path.insert(0, os.path.join(ROOT, "tools", "gnumeric"))
    import gpubudget_gnm
    table = gpubudget_gnm.gpubudget_functions
    for f in gpbcells.FUNCTIONS:
        entry = table.get(f.name.lower())
        if entry is None:
            fail("the Gnumeric module lacks %s" % f.name)
        fn = entry if callable(entry) else entry[2]
        for line in fn.__doc__.split("\n"):
            if not line.startswith("@GNM_FUNC_HELP_"):
                fail("%s: help line without a tag: %r" % (f.name, line))
        for tag in ("NAME", "DESCRIPTION", "EXAMPLES"):
            if "@GNM_FUNC_HELP_%s@" % tag not in fn.__doc__:
                fail("%s: help without %s" % (f.name, tag))
        args = sum(1 for line in fn.__doc__.split("\n")
                   if line.startswith("@GNM_FUNC_HELP_ARG@"))
        if args != len(f.args):
            fail("%s: help names %d of %d arguments"
                 % (f.name, args, len(f.args)))
    problems = check_zero_flags(Lib())
    for p in problems:
        sys.stderr.write("FAIL: %s\n" % p)
    if problems:
        sys.exit(1)
    print("lint: %d functions, help and declarations consistent; "
          "investor.ods up to date; zero_valid agrees with the library"
          % len(gpbcells.FUNCTIONS))


# --------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------

def read_sheets(program, d):
    names = [s for s, _, _ in investor.SHEETS] + ["Check", "Errors",
                                                  "Empty"]
    sheets = {}
    for i, name in enumerate(names):
        if program == "gnumeric":
            path = os.path.join(d, "out.%d.csv" % i)
        else:
            hits = glob.glob(os.path.join(d, "*-%s.csv" % name))
            path = hits[0] if len(hits) == 1 else os.path.join(
                d, "missing-%s.csv" % name)
        if not os.path.exists(path):
            fail("%s wrote no CSV for sheet %s (%s)" % (program, name, path))
        with open(path, encoding="utf-8", newline="") as f:
            sheets[name] = list(csv.reader(f))
    return sheets


def cell_text(rows, ref):
    col = "ABCDEFG".index(ref[0])
    r = int(ref[1:]) - 1
    if r >= len(rows) or col >= len(rows[r]):
        return ""
    return rows[r][col]


def compare(program, d):
    lib = Lib()
    ref = Reference(lib)
    sheets = read_sheets(program, d)
    check = sheets["Check"]
    results = investor.results()
    problems = []
    n_closed = n_mc = 0
    for i, (sheet, cell, call) in enumerate(results):
        want, err = ref.result(sheet, cell, call)
        row = check[i] if i < len(check) else []
        if len(row) < 3 or row[0] != "%s.%s" % (sheet, cell):
            fail("%s: Check row %d is %r" % (program, i + 1, row))
        where = "%s: %s.%s (%s)" % (program, sheet, cell, call.fn)
        if err:
            problems.append("%s: the library fails: %s" % (where, err))
            continue
        if row[1].upper() != "FALSE":
            problems.append("%s is an error: %r" % (
                where, cell_text(sheets[sheet], cell)))
            continue
        try:
            got = float(row[2])
        except ValueError:
            problems.append("%s: GPB_REPR gave %r" % (where, row[2]))
            continue
        if call.fn in MC_FUNCTIONS:
            n_mc += 1
            if got != want:
                problems.append("%s: %r, the library gives %r (Monte Carlo "
                                "cells must be identical)"
                                % (where, got, want))
        else:
            n_closed += 1
            if not (abs(got - want) <= REL_TOL * abs(want)):
                problems.append("%s: %r, the library gives %r"
                                % (where, got, want))
    # Every scenario ran once: this process asked the library for the same
    # cells once each, so the program must have run as many simulations as
    # the library ran here (one per distinct file, overrides, paths and
    # seed); and there are at least as many as distinct overrides.
    errors_ref = []
    for what, call in ERRORS:
        errors_ref.append(ref.evaluate(call, "Errors"))
    empty_ref = {}
    for name, i in empty_rows():
        texts = [text_of(v) for v in SAMPLES[name]]
        texts[i] = None
        empty_ref[(name, i)] = lib.call(name, texts)
    want_runs = lib.lib.gpb_cells_scenario_runs()
    distinct = {ref.resolve(c.args[3], s) for s, _, c in results
                if c.fn in ("GPB_SCENARIO", "GPB_RAISE")}
    if want_runs < len(distinct):
        problems.append("the library ran %g simulations for %d distinct "
                        "overrides" % (want_runs, len(distinct)))
    runs_row = check[len(results)] if len(check) > len(results) else []
    try:
        got_runs = float(runs_row[1])
    except (IndexError, ValueError):
        got_runs = None
    if not runs_row or runs_row[0] != "runs" or got_runs != want_runs:
        problems.append("%s ran %r simulations; the library runs %g for "
                        "these cells" % (program, runs_row, want_runs))
    # The errors.
    erows = sheets["Errors"]
    for i, ((what, call), (v, msg)) in enumerate(zip(ERRORS, errors_ref)):
        row = erows[i] if i < len(erows) else []
        where = "%s: Errors row %d (%s)" % (program, i + 1, what)
        if not math.isnan(v) or not msg:
            problems.append("%s: the library does not fail" % where)
            continue
        if len(row) < 4:
            problems.append("%s: row %r" % (where, row))
            continue
        if row[2].upper() != "TRUE":
            problems.append("%s: not an error cell: %r" % (where, row[1]))
        if program == "libreoffice" and row[1] != "#VALUE!":
            problems.append("%s: shows %r, expected #VALUE!"
                            % (where, row[1]))
        if program == "gnumeric" and msg not in row[1]:
            problems.append("%s: the cell's error %r does not carry %r"
                            % (where, row[1], msg))
        if row[3] != msg:
            problems.append("%s: GPB_WHY gave %r, the library says %r"
                            % (where, row[3], msg))
    row = erows[len(ERRORS)] if len(erows) > len(ERRORS) else []
    if len(row) < 3 or row[2].upper() != "TRUE":
        problems.append("%s: %s with an error argument is not an error: %r"
                        % (program, ERROR_INPUT, row))
    problems += compare_empty(program, sheets["Empty"], empty_ref)
    if problems:
        for p in problems:
            sys.stderr.write("FAIL: %s\n" % p)
        sys.exit(1)
    print("%s: %d closed-form cells within %g, %d Monte Carlo cells "
          "identical, %d scenario runs for %d cells, %d error cells; "
          "%d optional arguments left out %d ways each, %d required"
          % (program, n_closed, REL_TOL, n_mc, int(want_runs),
             sum(1 for r in results if r[2].fn in MC_FUNCTIONS),
             len(ERRORS) + 1, len(empty_ref), len(EMPTY_FORMS),
             len(REQUIRED)))


def compare_empty(program, rows, ref):
    """Problems in sheet Empty: every way of leaving out an optional
    argument gives the library's answer for NULL (Monte Carlo cells
    exactly), the issue's example its hand-worked value, and a required
    argument left out an error whose sentence names it."""
    import gpbcells
    problems = []
    order = empty_rows()
    for r, key in enumerate(order):
        name, i = key
        want, err = ref[key]
        row = rows[r] if r < len(rows) else []
        label = "%s.%d" % (name, i)
        where = "%s: Empty row %d (%s without %s)" % (
            program, r + 1, name, gpbcells.BY_NAME[name].args[i].name)
        if not row or row[0] != label:
            problems.append("%s: row %r" % (where, row))
            continue
        if err:
            problems.append("%s: the library fails: %s" % (where, err))
            continue
        for k, form in enumerate(EMPTY_FORMS):
            text = row[1 + k] if len(row) > 1 + k else ""
            try:
                got = float(text)
            except ValueError:
                problems.append("%s, left out as %s: %r, the library gives "
                                "%r" % (where, form, text, want))
                continue
            same = got == want if name in MC_FUNCTIONS else \
                abs(got - want) <= REL_TOL * abs(want)
            if not same:
                problems.append("%s, left out as %s: %r, the library gives "
                                "%r" % (where, form, got, want))
    r = len(order)
    row = rows[r] if r < len(rows) else []
    try:
        got = float(row[1])
    except (IndexError, ValueError):
        got = None
    if got is None or abs(got - ISSUE_VALUE) > 1e-12 * ISSUE_VALUE:
        problems.append("%s: %s gave %r, worked by hand %r"
                        % (program, ISSUE_FORMULA, row, ISSUE_VALUE))
    for k, (name, i) in enumerate(REQUIRED):
        row = rows[r + 1 + k] if r + 1 + k < len(rows) else []
        where = "%s: %s without required argument %d" % (program, name, i)
        if len(row) < 5:
            problems.append("%s: row %r" % (where, row))
            continue
        for j, form in enumerate(("argument", "cell")):
            if row[1 + j].upper() != "TRUE":
                problems.append("%s, left out as %s: not an error"
                                % (where, form))
            want = required_message(program, name, i, form)
            if row[3 + j] != want:
                problems.append("%s, left out as %s: GPB_WHY gave %r, "
                                "expected %r" % (where, form, row[3 + j],
                                                 want))
    return problems


def check_zero_flags(lib):
    """gpbcells refuses a required argument that is 0 (an empty one, in
    either program) unless Arg.zero_valid says 0 is a value there; check
    each flag against the library: with the other arguments of SAMPLES,
    "0" must fail exactly where zero_valid is False. Returns problems."""
    import gpbcells
    problems = []
    for name, sample in SAMPLES.items():
        for i, a in enumerate(gpbcells.BY_NAME[name].args):
            if a.optional:
                continue
            texts = [text_of(v) for v in sample]
            texts[i] = b"0"
            v, err = lib.call(name, texts)
            if a.zero_valid and err:
                problems.append("%s: %s is zero_valid, but the library "
                                "refuses 0: %s" % (name, a.name, err))
            if not a.zero_valid and not err:
                problems.append("%s: the library accepts %s = 0 (%r); mark "
                                "it zero_valid in gpbcells.py"
                                % (name, a.name, v))
    return problems


def main(argv):
    if len(argv) == 2 and argv[1] == "lint":
        lint()
    elif len(argv) == 3 and argv[1] == "prepare":
        prepare(argv[2])
    elif len(argv) == 4 and argv[1] == "compare":
        compare(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
