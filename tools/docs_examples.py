#!/usr/bin/env python3
"""The numbers in the documentation, generated from the library and checked.

Two kinds of example are kept true:

* spreadsheet formulas with their value, in docs/spreadsheets.md:

      `=GPB_TRAIN_DAYS(7E10;2E12;"H100";512)` → 47.98

  Each formula is called through the add-ins' own binding
  (tools/spreadsheet/gpbcells.py, the one list of spreadsheet functions),
  and its value is written back in the style the document already uses:
  the sign (- or −), a '$', thousands commas, the number of decimals, or
  E-notation with its mantissa's decimals. A relative scenario file is
  looked for next to the example workbook (examples/spreadsheets/).

* command transcripts, in docs/check.md and README.md: a fenced block whose
  first line is `$ gpubudget ...`. The command is run and every other line
  of the block (except lines of "...") must appear in its output, in that
  order; a line ending in "..." must match the start of an output line.

Usage:
  docs_examples.py --check [--gpubudget PATH] [--no-formulas] FILE...
      exit 1 on a difference (transcripts need --gpubudget)
  docs_examples.py --write FILE...
      rewrite the formulas' values

The library is found as the add-ins find it (GPB_LIBRARY first); the test
(meson test docs-examples) sets GPB_LIBRARY to the build's library.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "spreadsheet"))
import gpbcells  # noqa: E402

# A value as the documents write it: −$3,453,753  2352435.82  8.4E+23  0.640
VALUE = r"[−-]?\$?[0-9][0-9,]*(?:\.[0-9]+)?(?:E[+-]?[0-9]+)?"
# `=GPB_F(args)` → value   (inline; the backticks may hold a line break)
INLINE = re.compile(r"`(=GPB_[A-Z_]+\((?:[^`])*?\))`(\s*→\s*)(" + VALUE + ")")
# =GPB_F(args)   → value   (in a code block; the formula may go on over
# lines that do not start another formula)
BLOCK = re.compile(r"^(=GPB_[A-Z_]+\((?:[^`\n]|\n(?!=))*?\))([ \t]+→[ \t]+)("
                   + VALUE + r")[ \t]*$", re.M)


def split_args(text):
    """The arguments of a formula: split at ';' outside quotes."""
    args, cur, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            cur += ch
        elif ch == ";" and not quoted:
            args.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip() or args:
        args.append(cur)
    out = []
    for a in args:
        a = a.strip()
        if a.startswith('"') and a.endswith('"') and len(a) >= 2:
            out.append(a[1:-1])
        elif a == "":
            out.append(None)
        else:
            v = float(a)
            out.append(int(v) if v.is_integer() and "." not in a
                       and "e" not in a.lower() else v)
    return out


def evaluate(formula):
    m = re.match(r"=(GPB_[A-Z_]+)\((.*)\)$", formula.replace("\n", " "),
                 re.S)
    if not m:
        raise ValueError("not a formula: %s" % formula)
    name, args = m.group(1), split_args(m.group(2))
    dirs = [os.path.join(ROOT, "examples", "spreadsheets")]
    return gpbcells.call(name, args, dirs)


def style_of(written):
    """How a value is written: sign, '$', commas, decimals, E-notation."""
    s = written
    minus = ""
    if s[0] in "−-":
        minus, s = s[0], s[1:]
    money = s.startswith("$")
    if money:
        s = s[1:]
    exp = None
    if "E" in s:
        s, e = s.split("E")
        exp = len(s.split(".")[1]) if "." in s else 0
    decimals = len(s.split(".")[1]) if "." in s else 0
    return {"minus": minus or "-", "money": money, "commas": "," in s,
            "decimals": decimals, "exp": exp}


def format_value(v, st):
    neg = v < 0
    a = abs(v)
    if st["exp"] is not None:
        mant, e = ("%.*E" % (st["exp"], a)).split("E")
        body = "%sE%s%02d" % (mant, "+" if int(e) >= 0 else "-", abs(int(e)))
    elif st["commas"]:
        body = "{:,.{}f}".format(a, st["decimals"])
    else:
        body = "%.*f" % (st["decimals"], a)
    out = ("$" if st["money"] else "") + body
    if neg and float(body.replace(",", "").replace("E", "e")) != 0:
        out = st["minus"] + out
    return out


def formulas(text):
    """(start, end, formula, written) of every example value, in order."""
    found = []
    for rx in (INLINE, BLOCK):
        for m in rx.finditer(text):
            found.append((m.start(3), m.end(3), m.group(1), m.group(3)))
    found.sort()
    return found


def check_formulas(path, write):
    text = open(path, encoding="utf-8").read()
    found = formulas(text)
    # Every "→" after a formula must be one of ours: an example whose value
    # the patterns cannot read is an error, not a silent skip.
    arrows = len(re.findall(r"=GPB_[A-Z_]+\([^`→]*?\)`?\s*→", text))
    if arrows != len(found):
        return ["%s: %d formulas with '→' but %d read; write the value as "
                "a number ('→ 1,234.5', '→ $0.45', '→ 3.2E+10')"
                % (path, arrows, len(found))]
    problems, out, last = [], [], 0
    for start, end, formula, written in found:
        try:
            value = evaluate(formula)
        except gpbcells.GpbError as e:
            problems.append("%s: %s failed: %s" % (path, formula, e))
            continue
        want = format_value(value, style_of(written))
        if want != written:
            line = text.count("\n", 0, start) + 1
            problems.append("%s:%d: %s documents %s, the library gives %s "
                            "(%r)" % (path, line, " ".join(formula.split()),
                                      written, want, value))
        out.append(text[last:start])
        out.append(want)
        last = end
    out.append(text[last:])
    if write:
        new = "".join(out)
        if new != text:
            open(path, "w", encoding="utf-8").write(new)
        return []
    return problems


TRANSCRIPT = re.compile(r"^```[a-z]*\n(\$ gpubudget [^\n]*)\n(.*?)^```",
                        re.S | re.M)


def check_transcripts(path, gpb):
    text = open(path, encoding="utf-8").read()
    problems = []
    for m in TRANSCRIPT.finditer(text):
        cmd = m.group(1)[2:]
        argv = shlex.split(cmd)
        argv[0] = gpb
        run = subprocess.run(argv, capture_output=True, text=True,
                             env=dict(os.environ,
                                      GPB_SCENARIOS_DIR=os.path.join(
                                          ROOT, "scenarios")))
        got = run.stdout.splitlines()
        i = 0
        line_no = text.count("\n", 0, m.start()) + 1
        for want in m.group(2).splitlines():
            if not want.strip() or want.strip() in ("...", "…"):
                continue
            prefix = want.endswith("...")
            w = want[:-3].rstrip() if prefix else want
            while i < len(got) and not (got[i].startswith(w) if prefix
                                        else got[i] == w):
                i += 1
            if i == len(got):
                problems.append("%s:%d: `%s` does not print %r"
                                % (path, line_no, cmd, want))
                break
            i += 1
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    ap.add_argument("--gpubudget", help="the command, for transcripts")
    ap.add_argument("--no-formulas", action="store_true",
                    help="transcripts only (the library cannot be loaded "
                    "into Python, as in a sanitizer build)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    problems = []
    for f in a.files:
        text = open(f, encoding="utf-8").read()
        if "=GPB_" in text and not a.no_formulas:
            problems += check_formulas(f, a.write)
        if a.gpubudget and TRANSCRIPT.search(text):
            problems += check_transcripts(f, a.gpubudget)
    for p in problems:
        print(p)
    if problems:
        print("after a reviewed change: rewrite formula values with "
              "python3 tools/docs_examples.py --write FILE; bring a "
              "transcript to the command's output by hand")
        return 1
    print("docs examples: %d file(s) agree with the library" % len(a.files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
