#!/bin/sh
# End-to-end tests of gpubudget run's reports: the JSON, the CSV summary,
# the raw samples CSV, the xlsx workbook (read back by a second,
# independent reader, Gnumeric's ssconvert) and the HTML page (rendered in
# headless Chromium). Every format must give the same numbers.
#   test_report.sh PATH_TO_GPUBUDGET
# ssconvert (Debian: gnumeric), chromium and python3 are required: a
# missing tool FAILS the test (./setup.sh installs them); it never skips.
set -u
GPB=$1
ROOT=${GPB_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

for tool in ssconvert chromium python3; do
    if command -v "$tool" >/dev/null 2>&1; then ok; else
        bad "$tool is not installed (./setup.sh deps installs it)"; fi
done
if [ "$fail" -ne 0 ]; then
    echo "$pass passed, $fail failed"
    exit 1
fi

# run NAME EXPECTED_STATUS ARGS...: runs gpubudget, output in $TMP/NAME.*
run() {
    name=$1; want=$2; shift 2
    "$GPB" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        bad "$name: exit $got, wanted $want"; sed 's/^/  | /' "$TMP/$name.err"
    fi
}

# xlsx_to_csv BOOK DIR: every sheet of BOOK as DIR/<sheet>.csv, full
# precision (ssconvert's CSV exporter writes raw values).
xlsx_to_csv() {
    mkdir -p "$2"
    if ssconvert -S --export-type=Gnumeric_stf:stf_csv "$1" "$2/%s.csv" \
        >"$2.log" 2>&1; then ok; else
        bad "ssconvert could not read $1"; sed 's/^/  | /' "$2.log"; fi
}

# render HTML NAME: the DOM after Chromium ran the page's scripts.
render() {
    prof=$(mktemp -d "$TMP/chrome.XXXXXX")
    timeout 120 chromium --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$prof" \
        --dump-dom "file://$1" >"$TMP/$2.dom" 2>"$TMP/$2.chrome"
    if [ -s "$TMP/$2.dom" ]; then ok; else
        bad "chromium rendered nothing for $1"; tail -5 "$TMP/$2.chrome"; fi
}

# --- the default scenario: every format at once -------------------------
Q="$ROOT/scenarios/qianka-month.yaml"
run q 0 run "$Q" --paths 3000 --seed 11 --json --xlsx "$TMP/q.xlsx" \
    --samples --html "$TMP/q.html" --csv "$TMP/q.csv" \
    --samples-csv "$TMP/q-samples.csv"
cp "$TMP/q.out" "$TMP/q.json"
xlsx_to_csv "$TMP/q.xlsx" "$TMP/qx"
render "$TMP/q.html" q

# --- bench-60m: a round (funding marker), runway that varies, USD --------
B="$ROOT/bench/bench-60m.yaml"
run b 0 run "$B" --paths 4000 --seed 5 --json --xlsx "$TMP/b.xlsx" \
    --html "$TMP/b.html" --csv "$TMP/b.csv" --samples-csv "$TMP/b-samples.csv"
cp "$TMP/b.out" "$TMP/b.json"
xlsx_to_csv "$TMP/b.xlsx" "$TMP/bx"
render "$TMP/b.html" b

# --- the same run reported in USD, and by --output-dir -------------------
run qusd 0 run "$Q" --paths 3000 --seed 11 --json --currency USD
cp "$TMP/qusd.out" "$TMP/qusd.json"
run dir 0 run "$Q" --paths 500 --seed 11 --quiet --output-dir "$TMP/outdir"
if [ ! -s "$TMP/dir.out" ]; then ok; else bad "--quiet printed on stdout"; fi
for f in qianka-month.json qianka-month.csv qianka-month.xlsx \
    qianka-month.html qianka-month-samples.csv; do
    if [ -s "$TMP/outdir/$f" ]; then ok; else
        bad "--output-dir did not write $f"; fi
done
# Its JSON is --json's byte for byte, final line break included.
run dirj 0 run "$Q" --paths 500 --seed 11 --json
if cmp -s "$TMP/dirj.out" "$TMP/outdir/qianka-month.json"; then ok; else
    bad "--output-dir's JSON differs from --json's"; fi
# A file name given with --output-dir goes into the directory, alone.
run dir2 0 run "$Q" --paths 500 --quiet --output-dir "$TMP/outdir2" \
    --html page.html
if [ -s "$TMP/outdir2/page.html" ] && [ ! -e "$TMP/outdir2/qianka-month.csv" ]
then ok; else bad "--output-dir with --html page.html"; fi

# --- the workbook replaces a file whole, and fails cleanly ---------------
echo "old" >"$TMP/keep.xlsx"
run atomic 0 run "$Q" --paths 300 --quiet --xlsx "$TMP/keep.xlsx"
if [ "$(head -c 2 "$TMP/keep.xlsx")" = "PK" ]; then ok; else
    bad "xlsx did not replace the old file"; fi
run nodir 2 run "$Q" --paths 300 --quiet --xlsx "$TMP/no/such/dir/x.xlsx"
if ls "$TMP/no" >/dev/null 2>&1; then bad "a failed write left files"; else
    ok; fi
if grep -q "cannot create" "$TMP/nodir.err"; then ok; else
    bad "failed xlsx write says why"; cat "$TMP/nodir.err"; fi

# --- names as the scenario writes them (tests/data/report/names.yaml) -----
# Chinese and unnamed list items, a label collision, no sources; the page
# embeds the file, and a file with CRLF line ends and "</script>" in it
# comes back from the page byte for byte.
N="$ROOT/tests/data/report/names.yaml"
run names 0 run "$N" --paths 3000 --seed 3 --swing-paths 200 --json \
    --xlsx "$TMP/n.xlsx" --html "$TMP/n.html"
cp "$TMP/names.out" "$TMP/n.json"
run namestext 0 run "$N" --paths 3000 --seed 3 --swing-paths 200
xlsx_to_csv "$TMP/n.xlsx" "$TMP/nx"
render "$TMP/n.html" n
printf '# "quotes" & <b>tags</b> </script><script>alert(1)</script>\r\ngpubudget: 1\r\nname: "\345\215\203\345\215\241 </pre>"\r\ncompany: {cash: $1M}\r\nteam: [{role: a, count: 1, salary_per_year: {uniform: [$90k, $110k]}}]' \
    >"$TMP/crlf.yaml"
run crlf 0 run "$TMP/crlf.yaml" --paths 500 --quiet --html "$TMP/crlf.html"
render "$TMP/crlf.html" crlf

# --- the text summary: 80 columns and the sensitivity --------------------
run text 0 run "$B" --paths 2000 --swing-paths 200
run textq 0 run "$Q" --paths 2000 --swing-paths 200
# --- precision: doubling until the SE of mean total spend is small -------
run prec 0 run "$Q" --paths 1000 --precision 0.004 --swing-paths 0 --json
cp "$TMP/prec.out" "$TMP/prec.json"
run precbad 2 run "$Q" --precision 2
run curbad 2 run "$Q" --currency JPY
run maxbad 2 run "$Q" --max-paths 100

# --- everything else is checked in Python --------------------------------
python3 - "$TMP" <<'PY'
import csv, json, math, os, re, sys, unicodedata

tmp = sys.argv[1]
passed = failed = 0

def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)

def close(a, b, rel=1e-9, what=""):
    """Numbers from two formats agree: JSON keeps 12 significant digits
    and the CSV 10, so 1e-9 relative (plus 1e-12 absolute for zeros)."""
    if a is None or b is None:
        check(a is None and b is None, "%s: %r vs %r" % (what, a, b))
        return
    ok = abs(a - b) <= rel * max(abs(a), abs(b)) + 1e-12
    check(ok, "%s: %r vs %r" % (what, a, b))

def num(s):
    return None if s == "" else float(s)

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def load(name):
    with open(os.path.join(tmp, name), encoding="utf-8") as f:
        return json.load(f)

LEVELS = ["p5", "p10", "p25", "p50", "p75", "p90", "p95"]

def formats_agree(tag):
    js = load(tag + ".json")
    xdir = os.path.join(tmp, tag + "x")
    metrics = js["metrics"]
    # The CSV summary and the workbook's quantiles sheet, against the JSON.
    for src, path in (("csv", os.path.join(tmp, tag + ".csv")),
                      ("xlsx", os.path.join(xdir, "quantiles.csv"))):
        rs = rows(path)
        check(len(rs) == len(metrics), "%s %s: %d metrics, JSON %d"
              % (tag, src, len(rs), len(metrics)))
        for r in rs:
            m = metrics.get(r["metric"])
            check(m is not None, "%s %s: metric %s not in JSON"
                  % (tag, src, r["metric"]))
            if m is None:
                continue
            check(r["unit"] == m["unit"], "%s %s unit" % (tag, r["metric"]))
            for k in ["mean", "std_error"] + LEVELS:
                close(num(r[k]), m[k], what="%s %s %s.%s"
                      % (tag, src, r["metric"], k))
            for k in ("p5", "p50", "p95"):
                lo, hi = m["ci"][k]
                close(num(r[k + "_ci_lo"]), lo, what="%s %s ci" % (tag, src))
                close(num(r[k + "_ci_hi"]), hi, what="%s %s ci" % (tag, src))
                check(lo <= m[k] <= hi, "%s: %s.%s outside its interval"
                      % (tag, r["metric"], k))
    # The fan and P(out of cash) by month.
    fan = rows(os.path.join(xdir, "fan.csv"))
    check(len(fan) == js["scenario"]["horizon_months"], tag + " fan months")
    for i, r in enumerate(fan):
        for k in ("p5", "p25", "p50", "p75", "p95"):
            close(num(r[k]), js["fan"][k][i], what="%s fan %s[%d]"
                  % (tag, k, i))
    po = rows(os.path.join(xdir, "p_out_of_cash.csv"))
    for i, r in enumerate(po):
        close(num(r["p_out_of_cash_by_month"]),
              js["p_out_of_cash_by_month"][i], what=tag + " p_out")
    # The summary sheet.
    summ = {r["key"]: r["value"] for r in rows(os.path.join(xdir,
                                                           "summary.csv"))}
    check(int(summ["paths"]) == js["paths"], tag + " paths")
    check(int(summ["seed"]) == js["seed"], tag + " seed")
    check(summ["currency"] == js["scenario"]["currency"], tag + " currency")
    for k in ("p80", "p90", "p95"):
        close(num(summ["raise_needed_" + k]), js["raise_needed"][k],
              what=tag + " raise " + k)
    close(num(summ["spend_total_rel_std_error"]),
          js["convergence"]["spend_total_rel_std_error"], what=tag + " relse")
    # The sensitivity sheet, every (metric, input) pair.
    sens = js["sensitivity"]
    sx = rows(os.path.join(xdir, "sensitivity.csv"))
    check(len(sx) == len(sens["metrics"]) * len(sens["inputs"]),
          tag + " sensitivity rows")
    for r in sx:
        e = sens["metrics"][r["metric"]]["inputs"][r["input"]]
        for k in ("spearman", "srrc"):
            close(num(r[k]), e[k], what="%s %s/%s %s"
                  % (tag, r["metric"], r["input"], k))
        close(num(r["r2"]), sens["metrics"][r["metric"]]["r2"],
              what=tag + " r2")
        for k in ("p50_low", "p50_high", "swing", "swing_se"):
            close(num(r[k]), e[k], what=tag + " swing " + k)
        check(e["swing_se"] is not None and e["swing_se"] >= 0,
              tag + " swing_se >= 0")
        check(-1 - 1e-9 <= e["spearman"] <= 1 + 1e-9, tag + " |rho| <= 1")
    # Claims and inputs.
    cl = rows(os.path.join(xdir, "claims.csv"))
    check(len(cl) == len(js["claims"]), tag + " claims count")
    for r, c in zip(cl, js["claims"]):
        check(r["id"] == c["id"] and r["says"] == c["says"],
              tag + " claim text")
        close(num(r["value"]), c["value"], what=tag + " claim value")
        if c["simulated"]:
            close(num(r["simulated_p50"]), c["simulated"]["p50"],
                  what=tag + " claim p50")
    ins = rows(os.path.join(xdir, "inputs.csv"))
    check([r["path"] for r in ins] == [i["path"] for i in js["inputs"]],
          tag + " inputs")
    for r, i in zip(ins, js["inputs"]):
        check(r["unit"] == i["unit"], tag + " input unit " + i["path"])
        close(num(r["p50"]), i["p50"], what=tag + " input p50")
    src = rows(os.path.join(xdir, "sources.csv"))
    check([r["id"] for r in src] == [s["id"] for s in js["sources"]],
          tag + " sources")
    # The raw samples: one line per path, inputs then metrics, and the mean
    # of each metric column is the JSON's mean (10-digit CSV values: 1e-8).
    smp = rows(os.path.join(tmp, tag + "-samples.csv"))
    check(len(smp) == js["paths"], tag + " samples rows")
    head = list(smp[0].keys())
    check(head[1:1 + len(sens["inputs"])] == sens["inputs"],
          tag + " samples input columns")
    for name in ("spend.total", "runway_months", "cash.min"):
        mean = sum(float(r[name]) for r in smp) / len(smp)
        close(mean, metrics[name]["mean"], rel=1e-8,
              what="%s samples mean %s" % (tag, name))
    return js

q = formats_agree("q")
b = formats_agree("b")

# The workbook's samples sheet (--samples) holds the samples CSV's numbers.
qs = rows(os.path.join(tmp, "qx", "samples.csv"))
qc = rows(os.path.join(tmp, "q-samples.csv"))
check(len(qs) == len(qc), "samples sheet rows")
for i in (0, 1, len(qc) - 1):
    for k in qc[0].keys():
        close(num(qs[i][k]), num(qc[i][k]), what="samples sheet %s[%d]"
              % (k, i))
# The charts sheet holds each chart's data next to its native chart.
ch = open(os.path.join(tmp, "qx", "charts.csv"), encoding="utf-8").read()
for cid in ("fan", "p_out", "hist_spend", "hist_runway", "tornado_spend",
            "tornado_runway"):
    check(cid in ch, "charts sheet has " + cid)
# Native charts (chart parts in the package), not pictures.
import zipfile
z = zipfile.ZipFile(os.path.join(tmp, "q.xlsx"))
charts = [n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
check(len(charts) == 6, "6 native charts, found %d" % len(charts))
check(not any(n.startswith("xl/media/") for n in z.namelist()),
      "no pictures in the workbook")

# Claims and sources of the default scenario reach the report: the ¥50M
# of claim C2 is 5e7 CNY; a duration claim on training.<run>.days is in
# days (1 month = 730.5 h = 30.4375 days).
check(len(q["claims"]) >= 2, "claims of the default scenario")
cost = [c for c in q["claims"] if c["value_as_written"] == "¥5000万"]
check(len(cost) == 1 and cost[0]["value"] == 5e7 and
      cost[0]["unit"] == "CNY" and cost[0]["simulated"] is not None,
      "claim ¥5000万 = 5e7 CNY with simulated quantiles")
for c in q["claims"]:
    if c["value_as_written"] == "1 month" and c["metric"].endswith(".days"):
        check(c["unit"] == "days", "duration claim in days")
        close(c["value"], 30.4375, what="1 month in days")
check(any(s["id"] == "36kr-2023-02" for s in q["sources"]), "sources")
RATE = (6.729 + 7.0809) / 2
ucost = [c for c in load("qusd.json")["claims"]
         if c["value_as_written"] == "¥5000万"]
close(ucost[0]["value"], 5e7 / RATE, what="claim converted to USD")

# Currency: the USD report is the CNY one divided by the mean rate, the
# mean of the scenario's uniform(6.729, 7.0809) (the 2022 and 2023
# averages, Federal Reserve G.5A) = 6.90495. Inputs stay as written.
u = load("qusd.json")
check(u["scenario"]["currency"] == "USD", "report currency USD")
close(u["currency_conversion"]["rate"], 1 / RATE, rel=1e-12, what="rate")
for m in ("spend.total", "cash.min", "training.pretrain.cost"):
    for k in ["mean", "std_error"] + LEVELS:
        close(u["metrics"][m][k], q["metrics"][m][k] / RATE, rel=1e-9,
              what="USD %s.%s" % (m, k))
    check(u["metrics"][m]["unit"] == "USD", "USD unit " + m)
close(u["metrics"]["training.pretrain.card_months"]["p50"],
      q["metrics"]["training.pretrain.card_months"]["p50"], rel=1e-12,
      what="card-months are not money")
close(u["fan"]["p50"][3], q["fan"]["p50"][3] / RATE, what="fan in USD")
check(u["inputs"] == q["inputs"], "inputs are not converted")

# Precision: the run doubled from 1000 paths until SE/mean <= 0.4%.
p = load("prec.json")
conv = p["convergence"]
check(conv["target_rel_std_error"] == 0.004 and conv["reached"] is True,
      "precision reached: %r" % conv)
check(conv["spend_total_rel_std_error"] <= 0.004, "SE below the target")
check(p["paths"] in (1000, 2000, 4000, 8000, 16000, 32000, 64000),
      "paths %d doubled from 1000" % p["paths"])
check(p["paths"] > 1000, "1000 paths were not enough (SE 0.8%)")

# The text summary fits an 80-column terminal (CJK characters are two
# columns wide) and names the drivers.
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
for name in ("text", "textq", "namestext"):
    lines = open(os.path.join(tmp, name + ".out"),
                 encoding="utf-8").read().splitlines()
    wide = [l for l in lines if width(l) > 80]
    check(not wide, "%s: lines over 80 columns: %r" % (name, wide))
txt = open(os.path.join(tmp, "text.out"), encoding="utf-8").read()
check("what moves total spend" in txt, "summary has drivers of spend")
check("what moves P(out of cash)" in txt,
      "summary has drivers of P(out of cash)")
# The drivers are named as the scenario names them, not by key path.
check("staff: salary per year" in txt, "salary drives bench-60m spend")
check("team[0].salary_per_year" not in txt, "no key paths as driver names")


# The HTML pages: self-contained, every chart drawn with its series, no
# script errors.
want = "fan:6,p_out:1,hist_spend:1,hist_runway:1,tornado_spend:2," \
       "tornado_runway:2"
for tag in ("q", "b"):
    html = open(os.path.join(tmp, tag + ".html"), encoding="utf-8").read()
    check(not re.search(r"<script[^>]+src=|<link[^>]+href=|<img", html),
          tag + ".html loads nothing from outside")
    dom = open(os.path.join(tmp, tag + ".dom"), encoding="utf-8").read()
    m = re.search(r'<div id="gpb-status"[^>]*data-charts="(\d+)"'
                  r'[^>]*data-series="([^"]*)"[^>]*data-errors="([^"]*)"',
                  dom)
    check(m is not None, tag + ": the page wrote its status")
    if m:
        check(m.group(1) == "6", "%s: %s charts drawn" % (tag, m.group(1)))
        check(m.group(2) == want, "%s: series %s" % (tag, m.group(2)))
        check(m.group(3) == "", "%s: script errors: %s" % (tag, m.group(3)))
    for sect in ('id="summary"', 'id="inputs"', 'id="sources"'):
        check(sect in dom, "%s: %s section" % (tag, sect))
dq = open(os.path.join(tmp, "q.dom"), encoding="utf-8").read()
check('id="claims"' in dq and q["claims"][0]["id"] in dq,
      "claims in the page")
check("36kr-2023-02" in dq, "sources in the page")
db = open(os.path.join(tmp, "b.html"), encoding="utf-8").read()
check('"round (p = 0.6)"' in db, "funding month marked on the fan")

# --- names.yaml: labels in every format ---------------------------------
n = load("n.json")
lab = {i["path"]: i["label"] for i in n["inputs"]}
check(lab.get("team[0].salary_per_year") == "研究员: salary per year",
      "JSON label of a Chinese role: %r" % lab.get("team[0].salary_per_year"))
check(lab.get("company.funding[1].amount") == "funding round_2: amount",
      "JSON label of an unnamed round")
check(lab.get("company.funding[0].amount") == "funding 天使轮: amount",
      "JSON label of a named round")
check(lab.get("training[0].mfu") == "预训练: MFU", "JSON label of a run")
check(lab.get("team[1].start_month")
      == "ops: start month (team[1].start_month)", "label collision")
check(len(set(lab.values())) == len(lab), "labels are unique")
sens = n["sensitivity"]
for m, mv in sens["metrics"].items():
    for path, e in mv["inputs"].items():
        check(e.get("label") == lab[path],
              "sensitivity label of %s/%s" % (m, path))
# Units by what each key measures.
unit = {i["path"]: i["unit"] for i in n["inputs"]}
for path, want in (("team[0].add_per_month", "people/month"),
                   ("gpu_price_index.drift_per_month", "log-change/month"),
                   ("team[1].start_month", "month"),
                   ("company.funding[1].month", "month"),
                   ("team[0].salary_per_year", "CNY/person/year"),
                   ("other_costs[0].per_month", "CNY/month"),
                   ("training[0].price_per_gpu_hour", "CNY/GPU-hour")):
    check(unit.get(path) == want, "unit of %s: %r, want %r"
          % (path, unit.get(path), want))
# The text summary names its drivers; a label too wide for its column is
# cut by display width (checked against 80 columns above).
nt = open(os.path.join(tmp, "namestext.out"), encoding="utf-8").read()
drv = nt[nt.index("what moves total spend"):]
check("研究员: hires per month" in drv, "text drivers use labels")
check("    负责数据清洗与标注的工程师团队…  +" in drv,
      "a long Chinese label cut to 31 columns: %r" % drv[:400])
check("team[" not in drv and "training[" not in drv,
      "no key paths in the drivers")
# The workbook: labels beside key paths, the scenario line by line.
nx = os.path.join(tmp, "nx")
ins = rows(os.path.join(nx, "inputs.csv"))
check([(r["path"], r["label"]) for r in ins]
      == [(i["path"], i["label"]) for i in n["inputs"]], "xlsx input labels")
sx = rows(os.path.join(nx, "sensitivity.csv"))
check(sx and all(r["input_label"] == lab[r["input"]] for r in sx),
      "xlsx sensitivity input_label")
ch = open(os.path.join(nx, "charts.csv"), encoding="utf-8").read()
check("研究员: salary per year" in ch, "xlsx tornado labels")
nsrc = open(os.path.join(os.environ.get("GPB_SOURCE_ROOT", "."),
                         "tests/data/report/names.yaml"), "rb").read()
# csv.reader, not DictReader: an empty line of the file is an empty row.
with open(os.path.join(nx, "scenario.csv"), newline="",
          encoding="utf-8") as f:
    sc = [r[0] if r else "" for r in csv.reader(f)]
check(sc[:1] == ["yaml"], "scenario sheet header")
sc = sc[1:]
check(sc == nsrc.decode("utf-8").splitlines(),
      "xlsx scenario sheet holds the file line by line")

# The page: labels, the sources rule, the embedded file.
import base64
def embedded(html):
    m = re.search(r'<a id="gpb-scenario-download" download="([^"]*)" '
                  r'data-bytes="(\d+)" href="data:application/yaml;base64,'
                  r'([A-Za-z0-9+/=]*)"', html)
    check(m is not None, "the page has the scenario's download link")
    return (m.group(1), int(m.group(2)), base64.b64decode(m.group(3))) \
        if m else (None, None, b"")
nh = open(os.path.join(tmp, "n.html"), encoding="utf-8").read()
name, nbytes, data = embedded(nh)
check(data == nsrc, "the page's scenario is the file, byte for byte")
check(name == "names.yaml" and nbytes == len(nsrc), "download name, size")
check('<table id="sources"' not in nh and "No sources given" in nh,
      "no empty Sources table")
check('<span lang="zh">研究员: salary per year</span>' in nh,
      "Chinese labels marked lang=zh")
check('"Noto Sans CJK SC"' in nh, "CJK font fallback")
ndom = open(os.path.join(tmp, "n.dom"), encoding="utf-8").read()
m = re.search(r'data-scenario-bytes="(-?\d+)"', ndom)
check(m is not None and int(m.group(1)) == len(nsrc),
      "the page decoded the scenario: %r" % (m and m.group(1)))
check(re.search(r'id="gpb-scenario-download" download="names.yaml" '
                r'data-bytes="\d+" href="blob:', ndom) is not None,
      "the download link became a Blob URL")
m = re.search(r'data-errors="([^"]*)"', ndom)
check(m is not None and m.group(1) == "", "names.html: script errors")
spec = json.loads(re.search(r'<script type="application/json" '
                            r'id="gpb-charts">(.*?)</script>', nh,
                            re.S).group(1))
tor = [c for c in spec["charts"] if c["id"] == "tornado_spend"]
check(len(tor) == 1 and "研究员: salary per year" in tor[0]["labels"]
      and "team[0].salary_per_year" in tor[0]["keys"]
      and tor[0]["labels"].index("研究员: salary per year")
      == tor[0]["keys"].index("team[0].salary_per_year"),
      "tornado labels and keys")
qh = open(os.path.join(tmp, "q.html"), encoding="utf-8").read()
check(re.search(r'<table id="sources"><tr><th>id</th><th>source</th></tr>'
                r'\n<tr><td>', qh) is not None, "Sources table with rows")
# CRLF, quotes, tags and "</script>": exact, and inert.
ch = open(os.path.join(tmp, "crlf.html"), encoding="utf-8").read()
craw = open(os.path.join(tmp, "crlf.yaml"), "rb").read()
name, nbytes, data = embedded(ch)
check(data == craw and b"\r\n" in craw, "CRLF file round-trips exactly")
check(name == "crlf.yaml", "download name of crlf.yaml")
check("<script>alert(1)" not in ch, "the YAML cannot add a script")
cdom = open(os.path.join(tmp, "crlf.dom"), encoding="utf-8").read()
m = re.search(r'data-scenario-bytes="(-?\d+)"[^>]*data-errors="([^"]*)"',
              cdom)
check(m is not None and int(m.group(1)) == len(craw) and m.group(2) == "",
      "crlf page: decoded %r" % ((m and m.groups()),))

print("python: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
if [ $? -eq 0 ]; then ok; else bad "format checks (above)"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
