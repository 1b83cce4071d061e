#!/usr/bin/env python3
"""The investor's workbook: its cells, and the program that writes it.

  python3 investor.py [OUT.ods]     writes the workbook (default investor.ods
                                    next to this file)

investor.ods checks a pitch ("70B on 2T tokens, 512 H100s, 30 days, about
$2M") with the gpubudget spreadsheet functions: inputs in cells, the MFU the
claim implies and what the run costs, the runway of pitch.yaml as Monte
Carlo quantiles with overrides taken from cells, and a what-if table over
the GPU count. It opens in LibreOffice Calc and in Gnumeric once the add-ins
are installed (docs/spreadsheets.md).

SHEETS below is the workbook, cell by cell; tests/spreadsheets_check.py reads
it to know every result cell and the library call behind it.
"""

import os
import sys
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))


class Ref:
    """A reference to a cell: "B4" on the same sheet, or "Pitch.B11"."""

    def __init__(self, ref):
        self.sheet, _, self.cell = ref.rpartition(".")

    def odf(self, sheet):
        if self.sheet and self.sheet != sheet:
            return "[$%s.%s]" % (self.sheet, self.cell)
        return "[.%s]" % self.cell


class Call:
    """A gpubudget function call: what the cell computes and what the test
    calls the library with. fmt: the cell's number format."""

    def __init__(self, fn, *args, fmt=None):
        self.fn = fn
        self.args = args
        self.fmt = fmt


class Concat:
    """Text joined from literals and cells (ODF's & operator)."""

    def __init__(self, *parts):
        self.parts = parts


class Formula:
    """Any other formula, as ODF text with {B4}-style references; shown,
    not compared."""

    def __init__(self, text, fmt=None):
        self.text = text
        self.fmt = fmt


def _lit(v):
    if isinstance(v, str):
        return '"%s"' % v.replace('"', '""')
    return repr(v) if isinstance(v, float) else str(v)


def odf_expr(x, sheet):
    if isinstance(x, Ref):
        return x.odf(sheet)
    if isinstance(x, Call):
        return "%s(%s)" % (x.fn, ";".join(odf_expr(a, sheet)
                                           for a in x.args))
    if isinstance(x, Concat):
        return "&".join(odf_expr(p, sheet) for p in x.parts)
    return _lit(x)


# --------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------

R = Ref
MC = (R("B11"), R("B12"), R("B13"))  # file, paths, seed (Pitch)
PITCH_OVR = R("B15")

PITCH = [
    # row, label, value, note
    (1, "Checking a pitch with gpubudget", None, None),
    (2, "Inputs are in blue cells; change them and every result follows.",
     None, None),
    (3, "The claim", None, None),
    (4, "Parameters", "70B", "text such as 70B, or a number"),
    (5, "Training tokens", "2T", None),
    (6, "GPU", "H100", "catalog name (GPB_GPU lists its figures)"),
    (7, "GPUs", 512, None),
    (8, "Days claimed", 30, None),
    (9, "Compute cost claimed", 2000000, "USD"),
    (10, "Quoted rent", "$2.5/h", "price per GPU-hour"),
    (11, "Scenario file", "pitch.yaml",
     "a path; relative paths: the working directory, this "
     "workbook's folder, then GPB_SCENARIO_PATH"),
    (12, "Monte Carlo paths", 10000, None),
    (13, "Seed", 20230225, "same seed, same numbers"),
    (14, "Cash at hand", "$30M", "overrides company.cash"),
    (15, "Overrides", Concat("company.cash=", R("B14")),
     "built from the cells above"),
    (17, "What the claim implies", None, None),
    (18, "Training FLOPs", Call("GPB_TRAIN_FLOPS", R("B4"), R("B5"),
                               fmt="sci"), "6·N·D"),
    (19, "Implied MFU", Call("GPB_IMPLIED_MFU", R("B4"), R("B5"), R("B6"),
                             R("B7"), R("B8"), fmt="pct"),
     "published large runs: 30-55%"),
    (20, "Verdict", Formula('IF({B19}>1;"impossible on this card";'
                            'IF({B19}>0.55;"beyond any published run";'
                            'IF({B19}>=0.3;"within published runs";'
                            '"below published runs")))'), None),
    (21, "GPU-hours (card's default MFU)",
     Call("GPB_TRAIN_GPU_HOURS", R("B4"), R("B5"), R("B6"), fmt="int"),
     None),
    (22, "Days (card's default MFU)",
     Call("GPB_TRAIN_DAYS", R("B4"), R("B5"), R("B6"), R("B7"),
          fmt="dec1"), None),
    (23, "Card-months", Call("GPB_TRAIN_CARD_MONTHS", R("B4"), R("B5"),
                             R("B6"), fmt="dec1"), "千卡/月 = 1000"),
    (24, "Cost at the catalog rent",
     Call("GPB_TRAIN_COST", R("B4"), R("B5"), R("B6"), R("B7"),
          fmt="usd"), None),
    (25, "Cost at the quoted rent",
     Call("GPB_TRAIN_COST", R("B4"), R("B5"), R("B6"), R("B7"), "",
          R("B10"), fmt="usd"), None),
    (26, "Cost at the quoted rent, MFU as claimed",
     Call("GPB_TRAIN_COST", R("B4"), R("B5"), R("B6"), R("B7"), R("B19"),
          R("B10"), fmt="usd"), None),
    (27, "Claimed cost / this cost", Formula("{B9}/{B26}", fmt="pct"),
     None),
    (28, "Chinchilla-optimal tokens for these FLOPs",
     Call("GPB_CHINCHILLA_TOKENS", R("B18"), fmt="sci"), None),
    (29, "Predicted loss (nats/token)",
     Call("GPB_CHINCHILLA_LOSS", R("B4"), R("B5"), fmt="dec3"), None),
    (30, "Fewest GPUs that hold the training state",
     Call("GPB_MIN_GPUS", R("B4"), R("B6"), fmt="int"), None),
    (31, "GPU bf16 TFLOP/s (dense)",
     Call("GPB_GPU", R("B6"), "bf16_tflops", fmt="dec1"), None),
    (33, "Rent or buy the cluster for 3 years", None, None),
    (34, "NPV of buying minus renting",
     Call("GPB_RENT_VS_BUY", "npv_buy_minus_rent", R("B7"), 36, R("B6"),
          fmt="usd"), "negative: buying is cheaper"),
    (35, "Break-even utilisation",
     Call("GPB_BREAKEVEN_UTIL", R("B7"), 36, R("B6"), fmt="pct"), None),
    (36, "Serving 1M users, 10 requests a day, 500 tokens each", None,
     None),
    (37, "GPUs", Call("GPB_SERVING_GPUS", R("B4"), R("B6"), 1000000, 10,
                      500, "batch=64", fmt="int"), None),
    (38, "Rent per month",
     Call("GPB_SERVING_COST", R("B4"), R("B6"), 1000000, 10, 500, "",
          "batch=64", fmt="usd"), None),
    (39, "Cost per million tokens",
     Call("GPB_COST_PER_MTOKEN", R("B4"), R("B6"), R("B10"), "batch=64",
          fmt="usd2"), None),
    (41, "Runway of the scenario (Monte Carlo)", None, None),
    (42, "Runway, months: P10",
     Call("GPB_SCENARIO", *MC[:1], "runway_months", 0.1, PITCH_OVR, *MC[1:],
          fmt="dec1"), "1 in 10 paths runs out sooner"),
    (43, "Runway, months: P50",
     Call("GPB_SCENARIO", *MC[:1], "runway_months", 0.5, PITCH_OVR, *MC[1:],
          fmt="dec1"), None),
    (44, "Runway, months: P90",
     Call("GPB_SCENARIO", *MC[:1], "runway_months", 0.9, PITCH_OVR, *MC[1:],
          fmt="dec1"), "censored at the 36-month horizon"),
    (45, "P(out of cash within 24 months)",
     Call("GPB_SCENARIO", *MC[:1], "runway_months", "prob<24", PITCH_OVR,
          *MC[1:], fmt="pct"), None),
    (46, "Pre-training cost: median",
     Call("GPB_SCENARIO", *MC[:1], "training.pretrain.cost", "median",
          PITCH_OVR, *MC[1:], fmt="usd"), "failures, reruns, experiments"),
    (47, "Pre-training cost: P90",
     Call("GPB_SCENARIO", *MC[:1], "training.pretrain.cost", "p90",
          PITCH_OVR, *MC[1:], fmt="usd"), None),
    (48, "P(pre-training costs at most the claim)",
     Call("GPB_SCENARIO", *MC[:1], "training.pretrain.cost",
          Concat("prob<=", R("B9")), PITCH_OVR, *MC[1:], fmt="pct"), None),
    (49, "Raise now for 24 months at 90%",
     Call("GPB_RAISE", *MC[:1], 24, 0.9, PITCH_OVR, *MC[1:], fmt="usd"),
     None),
    (50, "Simulations run", Formula(
        "IF(COUNT({B42:B49};[$'What-if'.D4:.E8])>=0;GPB_SCENARIO_RUNS();0)",
        fmt="int"), "each distinct scenario runs once"),
]

WHATIF_GPUS = [256, 384, 512, 768, 1024]


def _whatif():
    rows = [(1, "What if the run used more or fewer GPUs?", None, None, None),
            (3, "GPUs", "Days", "Cost at the quoted rent", "Runway P50",
             "Raise for 24 months at 90%")]
    for i, g in enumerate(WHATIF_GPUS):
        r = 4 + i
        ovr = Concat("training[0].gpus=", R("A%d" % r), "; ",
                     R("Pitch.B15"))
        rows.append((r, g,
                     Call("GPB_TRAIN_DAYS", R("Pitch.B4"), R("Pitch.B5"),
                          R("Pitch.B6"), R("A%d" % r), fmt="dec1"),
                     Call("GPB_TRAIN_COST", R("Pitch.B4"), R("Pitch.B5"),
                          R("Pitch.B6"), R("A%d" % r), "", R("Pitch.B10"),
                          fmt="usd"),
                     Call("GPB_SCENARIO", R("Pitch.B11"), "runway_months",
                          0.5, ovr, R("Pitch.B12"), R("Pitch.B13"),
                          fmt="dec1"),
                     Call("GPB_RAISE", R("Pitch.B11"), 24, 0.9, ovr,
                          R("Pitch.B12"), R("Pitch.B13"), fmt="usd")))
    return rows


# A sheet is (name, rows, columns); a row is (row number, cells...) with the
# cells in columns A, B, ...
SHEETS = [
    ("Pitch", [(r, lab, val, note) for (r, lab, val, note) in PITCH],
     ["6.5cm", "4.2cm", "9cm"]),
    ("What-if", _whatif(), ["2.2cm", "2.6cm", "4.5cm", "3cm", "5cm"]),
]

INPUT_CELLS = {("Pitch", r) for r in range(4, 15)} | {
    ("What-if", 4 + i) for i in range(len(WHATIF_GPUS))}


def results():
    """Every cell that calls the library: (sheet, "B18", Call)."""
    out = []
    for name, rows, _ in SHEETS:
        for row in rows:
            for col, v in enumerate(row[1:]):
                if isinstance(v, Call):
                    out.append((name, "%s%d" % ("ABCDEFG"[col], row[0]), v))
    return out


def cell_value(sheet, ref):
    """The value an input or Concat cell holds, as the spreadsheet would
    compute it (text for Concat)."""
    col = "ABCDEFG".index(ref[0])
    rown = int(ref[1:])
    for name, rows, _ in SHEETS:
        if name != sheet:
            continue
        for row in rows:
            if row[0] == rown:
                return row[1 + col]
    raise KeyError("%s.%s" % (sheet, ref))


# --------------------------------------------------------------------------
# ODF
# --------------------------------------------------------------------------

FORMATS = {
    # name: (number style XML)
    "usd": '<number:currency-style style:name="N_usd">'
           '<number:currency-symbol>$</number:currency-symbol>'
           '<number:number number:decimal-places="0" '
           'number:min-integer-digits="1" number:grouping="true"/>'
           '</number:currency-style>',
    "usd2": '<number:currency-style style:name="N_usd2">'
            '<number:currency-symbol>$</number:currency-symbol>'
            '<number:number number:decimal-places="2" '
            'number:min-integer-digits="1" number:grouping="true"/>'
            '</number:currency-style>',
    "pct": '<number:percentage-style style:name="N_pct">'
           '<number:number number:decimal-places="1" '
           'number:min-integer-digits="1"/><number:text>%</number:text>'
           '</number:percentage-style>',
    "int": '<number:number-style style:name="N_int"><number:number '
           'number:decimal-places="0" number:min-integer-digits="1" '
           'number:grouping="true"/></number:number-style>',
    "dec1": '<number:number-style style:name="N_dec1"><number:number '
            'number:decimal-places="1" number:min-integer-digits="1" '
            'number:grouping="true"/></number:number-style>',
    "dec3": '<number:number-style style:name="N_dec3"><number:number '
            'number:decimal-places="3" number:min-integer-digits="1"/>'
            '</number:number-style>',
    "sci": '<number:number-style style:name="N_sci"><number:scientific-'
           'number number:decimal-places="3" number:min-integer-digits="1" '
           'number:min-exponent-digits="2"/></number:number-style>',
}

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:'
      '1.0" '
      'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
      'office:version="1.2"')


def _styles(sheets):
    out = ['<office:automatic-styles>']
    out += FORMATS.values()
    for i, (_, _, widths) in enumerate(sheets):
        for j, w in enumerate(widths):
            out.append('<style:style style:name="co%d_%d" '
                       'style:family="table-column"><style:table-column-'
                       'properties style:column-width="%s"/></style:style>'
                       % (i, j, w))
    for f in FORMATS:
        out.append('<style:style style:name="ce_%s" style:family='
                   '"table-cell" style:data-style-name="N_%s"/>' % (f, f))
    out.append('<style:style style:name="ce_head" style:family="table-cell">'
               '<style:text-properties fo:font-weight="bold"/>'
               '</style:style>')
    out.append('<style:style style:name="ce_input" style:family='
               '"table-cell"><style:table-cell-properties '
               'fo:background-color="#dbe9f9"/></style:style>')
    out.append('</office:automatic-styles>')
    return "".join(out)


def _cell(v, sheet, style=None, formula_text=None):
    st = ' table:style-name="%s"' % style if style else ""
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, (Call, Concat)):
        f = escape("of:=" + odf_expr(v, sheet), {'"': "&quot;"})
        fmt = getattr(v, "fmt", None)
        if fmt:
            st = ' table:style-name="ce_%s"' % fmt
        return '<table:table-cell%s table:formula="%s"/>' % (st, f)
    if isinstance(v, Formula):
        text = v.text
        import re
        text = re.sub(r"\{([A-Z]+\d+)(?::([A-Z]+\d+))?\}",
                      lambda m: "[.%s%s]" % (
                          m.group(1),
                          ":.%s" % m.group(2) if m.group(2) else ""),
                      text)
        f = escape("of:=" + text, {'"': "&quot;"})
        if v.fmt:
            st = ' table:style-name="ce_%s"' % v.fmt
        return '<table:table-cell%s table:formula="%s"/>' % (st, f)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return ('<table:table-cell%s office:value-type="float" '
                'office:value="%r"><text:p>%r</text:p></table:table-cell>'
                % (st, v, v))
    return ('<table:table-cell%s office:value-type="string"><text:p>%s'
            '</text:p></table:table-cell>' % (st, escape(str(v))))


def _table(i, name, rows, widths):
    out = ['<table:table table:name="%s">' % escape(name)]
    for j in range(len(widths)):
        out.append('<table:table-column table:style-name="co%d_%d"/>'
                   % (i, j))
    by_row = {r[0]: r[1:] for r in rows}
    last = max(by_row)
    for r in range(1, last + 1):
        cells = by_row.get(r)
        out.append("<table:table-row>")
        if cells:
            heading = (len(cells) > 1 and cells[1] is None) or (
                name == "What-if" and r == 3)
            for col, v in enumerate(cells):
                style = None
                if heading and col == 0 or (name == "What-if" and r == 3):
                    style = "ce_head"
                elif col == (1 if name == "Pitch" else 0) and \
                        (name, r) in INPUT_CELLS:
                    style = "ce_input"
                out.append(_cell(v, name, style))
        else:
            out.append("<table:table-cell/>")
        out.append("</table:table-row>")
    out.append("</table:table>")
    return "".join(out)


def content_xml(extra_tables=""):
    """content.xml of the workbook; extra_tables (ODF table elements) are
    appended after the sheets (the test adds its check sheets so)."""
    tables = "".join(_table(i, n, rows, w)
                     for i, (n, rows, w) in enumerate(SHEETS))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document-content %s>%s<office:body><office:spreadsheet>'
            '%s%s</office:spreadsheet></office:body>'
            '</office:document-content>\n'
            % (NS, _styles(SHEETS), tables, extra_tables))


MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:version='
            '"1.2" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path='
            '"content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>\n')


def write_ods(path, content):
    """Writes an .ods (a zip whose first entry is the stored mimetype) with
    fixed time stamps, so the same content gives the same bytes."""
    def info(name, compress):
        zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        zi.compress_type = compress
        return zi
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(info("mimetype", zipfile.ZIP_STORED),
                   "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(info("content.xml", zipfile.ZIP_DEFLATED), content)
        z.writestr(info("META-INF/manifest.xml", zipfile.ZIP_DEFLATED),
                   MANIFEST)


def main(argv):
    out = argv[1] if len(argv) > 1 else os.path.join(HERE, "investor.ods")
    write_ods(out, content_xml())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
