"""compare and sweep against the command's documents; the plots."""

import json
import sys

import numpy as np
import pytest

import gpubudget
from conftest import ROOT, cli_json

Q = "scenarios/qianka-month.yaml"  # relative: the labels name it so


@pytest.fixture(scope="module")
def rel(qianka):
    import os
    os.chdir(ROOT)
    return gpubudget.load(Q)


def test_compare_equals_cli(rel):
    b = rel.with_overrides({"training[0].gpus": 512})
    text = gpubudget.compare(rel, b, paths=3000, seed=5, output="json")
    want = cli_json("compare", Q, "--set-b", "training[0].gpus=512",
                    "--paths", "3000", "--seed", "5", cwd=ROOT)
    assert json.loads(text) == want
    df = gpubudget.compare(rel, b, paths=3000, seed=5)
    for m in want["metrics"]:
        row = df.loc[m["name"]]
        assert row["a_p50"] == m["a"]["p50"]
        assert row["diff_mean"] == m["a_minus_b"]["mean"]
        assert row["p_a_lower"] == m["p_a_lower"]
    assert df.attrs["p_a_spends_less"] == want["p_a_spends_less"]
    assert list(df.attrs["cash_lasts"].columns) == ["a", "b"]
    # Common random numbers: the team is untouched, so A − B is 0 on
    # every path.
    assert df.loc["spend.team", "diff_p95"] == 0
    assert df.loc["spend.team", "diff_p5"] == 0


def test_compare_paired_diff_by_hand(rel):
    b = rel.with_overrides({"training[0].gpus": 512})
    ra = rel.run(paths=2048, seed=4)
    rb = b.run(paths=2048, seed=4)
    d = (ra.metric_samples("spend.total") - rb.metric_samples("spend.total"))
    df = gpubudget.compare(rel, b, paths=2048, seed=4)
    assert df.loc["spend.total", "diff_mean"] == pytest.approx(d.mean(),
                                                               rel=1e-9)
    assert df.loc["spend.total", "p_a_lower"] == pytest.approx(
        (d < 0).mean())


def test_compare_across_currencies(rel):
    # The same plan reported in USD (its amounts are all in ¥): B is
    # converted at its scenario's mean rate into A's currency, so A − B is
    # 0 on every path and each side's figures agree.
    usd = rel.with_overrides({"currency": "USD"})
    df = gpubudget.compare(rel, usd, paths=1024, seed=3)
    assert df.attrs["currency"] == "CNY"
    money = df[df["unit"] == "CNY"]
    assert len(money) > 5
    for col in ("diff_mean", "diff_p5", "diff_p95", "p_a_lower",
                "p_a_higher"):
        assert (money[col] == 0).all(), col
    assert np.allclose(money["a_p50"], money["b_p50"], rtol=1e-9)
    with pytest.raises(ValueError, match="currency is the report's"):
        gpubudget.sweep(rel, vary={"currency": ["USD", "CNY"]}, paths=64)


def test_sweep_equals_cli(rel):
    vary = {"training[0].gpus": [512, 1000],
            "company.cash": ["¥1亿", "¥2亿"]}
    text = gpubudget.sweep(rel, vary=vary, paths=1000, seed=5,
                           output="json")
    want = cli_json("sweep", Q, "--vary", "training[0].gpus=512,1000",
                    "--vary", "company.cash=¥1亿,¥2亿", "--paths", "1000",
                    "--seed", "5", cwd=ROOT)
    assert json.loads(text) == want
    df = gpubudget.sweep(rel, vary=vary, paths=1000, seed=5)
    assert len(df) == 4
    assert list(df["training[0].gpus"]) == ["512", "512", "1000", "1000"]
    for p, point in enumerate(want["points"]):
        for m, stats in point["metrics"].items():
            # A censored metric (runway at the horizon): the JSON's
            # "censored" object, the frame's censored_at column; NaN for
            # the others.
            at = df.loc[p, "%s.censored_at" % m]
            if "censored" in stats:
                assert at == stats["censored"]["at"]
            else:
                assert np.isnan(at)
            for k, v in stats.items():
                if k == "censored":
                    continue
                assert df.loc[p, "%s.%s" % (m, k)] == pytest.approx(
                    v, rel=1e-9, abs=1e-9)
    # Each point is its own run on the same seed.
    r = rel.with_overrides({"training[0].gpus": 1000,
                            "company.cash": "¥2亿"}).run(paths=1000, seed=5)
    assert df.loc[3, "spend.total.mean"] == r.mean("spend.total")[0]


def test_sweep_latin_hypercube_equals_cli(rel):
    # The command's design, drawn by the library: the same points, in the
    # same order, and the same document, for a range and a list.
    vary = {"training[0].gpus": [512, 1000], "company.cash": "¥1亿..¥3亿"}
    text = gpubudget.sweep(rel, vary=vary, paths=500, seed=7, samples=5,
                           output="json")
    want = cli_json("sweep", Q, "--vary", "training[0].gpus=512,1000",
                    "--vary", "company.cash=¥1亿..¥3亿", "--samples", "5",
                    "--paths", "500", "--seed", "7", cwd=ROOT)
    got = json.loads(text)
    assert got == want
    assert got["design"] == "latin hypercube"
    # One point in each fifth of the cash range.
    cash = sorted(p["values"]["company.cash"] for p in got["points"])
    for i, c in enumerate(cash):
        assert 1e8 + 4e7 * i <= c <= 1e8 + 4e7 * (i + 1), cash
    df = gpubudget.sweep(rel, vary=vary, paths=500, seed=7, samples=5)
    assert len(df) == 5
    assert list(df["company.cash"]) == [p["set"]["company.cash"]
                                        for p in want["points"]]
    with pytest.raises(ValueError):
        gpubudget.sweep(rel, vary={"company.cash": "¥1亿..5 days"},
                        samples=3, paths=64)


def test_sweep_latin_hypercube_whole_key(rel):
    # A range over a key that takes whole numbers: whole points, the
    # command's, by the item's name as by its index.
    vary = {"training[0].gpus": "500..1499"}
    text = gpubudget.sweep(rel, vary=vary, paths=200, seed=3, samples=4,
                           output="json")
    want = cli_json("sweep", Q, "--vary", "training[0].gpus=500..1499",
                    "--samples", "4", "--paths", "200", "--seed", "3",
                    cwd=ROOT)
    got = json.loads(text)
    assert got == want
    gpus = sorted(p["values"]["training[0].gpus"] for p in got["points"])
    assert all(g == int(g) for g in gpus), gpus
    # One in each quarter of the 1000 whole numbers 500..1499.
    assert [int((g - 500) // 250) for g in gpus] == [0, 1, 2, 3], gpus
    with pytest.raises(ValueError, match="whole numbers"):
        gpubudget.sweep(rel, vary={"training[0].gpus": "2.2..2.9"},
                        samples=2, paths=64)


def test_sweep_latin_hypercube_range_with_units(rel):
    # A range written with units is cut in the key's unit: "1 year..2
    # years" over a month is 12..24 months, whole months, the command's
    # points (it gave 10,110 hours, 13.85 months); an end the key refuses
    # is refused, not read as "$200/h".
    vary = {"training[0].start_month": "1 year..2 years"}
    text = gpubudget.sweep(rel, vary=vary, paths=100, seed=3, samples=4,
                           output="json")
    want = cli_json("sweep", Q, "--vary",
                    "training[0].start_month=1 year..2 years",
                    "--samples", "4", "--paths", "100", "--seed", "3",
                    cwd=ROOT)
    got = json.loads(text)
    assert got == want
    months = sorted(p["values"]["training[0].start_month"]
                    for p in got["points"])
    assert all(m == int(m) and 12 <= m <= 24 for m in months), months
    # One in each quarter of [0, 1), whose j-th holds the ⌊13·u⌋-th whole
    # months from ⌊13·j/4⌋ to ⌊(13·j + 12)/4⌋ after 12.
    assert all((13 * j) // 4 <= m - 12 <= (13 * j + 12) // 4
               for j, m in enumerate(months)), months
    with pytest.raises(gpubudget.Error, match="price per GPU"):
        gpubudget.sweep(rel, vary={"team[0].salary_per_year":
                                   "$100/GPU-hour..$200/GPU-hour"},
                        samples=2, paths=64)


def test_sweep_errors(rel):
    with pytest.raises(gpubudget.ScenarioError):
        gpubudget.sweep(rel, vary={"training[0].gpuz": [1, 2]}, paths=512)
    df = gpubudget.sweep(rel, vary={"training[0].gpus": [8, -1]},
                         paths=512, metrics="spend.total")
    assert df.loc[0, "error"] is None
    assert "training[0].gpus" in df.loc[1, "error"] or df.loc[1, "error"]
    assert np.isnan(df.loc[1, "spend.total.mean"])


def test_plots(qianka_run):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    ax = qianka_run.plot_fan()
    assert ax.get_xlabel() == "month"
    ax = qianka_run.plot_tornado("spend.total", n=3)
    assert len(ax.get_yticklabels()) == 3


def test_plots_without_matplotlib(qianka_run, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="python3-matplotlib"):
        qianka_run.plot_fan()


def test_sweep_string_value_is_one_value(rel):
    # "256" ran points at 2, 5 and 6 GPUs (a user review): one value.
    df = gpubudget.sweep(rel, vary={"training[0].gpus": "512"}, paths=200,
                         seed=1, metrics="spend.total")
    assert list(df["training[0].gpus"]) == ["512"]
    assert df.loc[0, "error"] is None


def test_sweep_one_key_twice_and_single_values(rel):
    with pytest.raises(ValueError, match="varied twice"):
        gpubudget.sweep(rel, vary={"training[0].gpus": [512, 1000],
                                   "training[pretrain].gpus": [256]},
                        paths=64)
    # With samples=, a number is one value too (it raised TypeError).
    df = gpubudget.sweep(rel, vary={"training[0].gpus": 512,
                                    "company.cash": "¥1亿..¥3亿"},
                         samples=2, paths=64, metrics="spend.total")
    assert list(df["training[0].gpus"]) == ["512", "512"]
