"""Results against the command's documents for the same seed, against a
closed form, and against themselves (samples and summary)."""

import gc
import io
import json
import math
import os

import numpy as np
import pandas as pd
import pytest

import gpubudget
from conftest import HERE, cli, cli_json, scenario_path

Q = scenario_path("qianka-month.yaml")


@pytest.fixture(scope="module")
def cli_doc():
    return cli_json("run", Q, "--paths", "5000", "--seed", "7")


def test_json_document_is_the_commands(qianka_run, cli_doc):
    # The whole document, sensitivity and swing included: identical.
    assert json.loads(qianka_run.to_json()) == cli_doc


def test_summary_equals_cli(qianka_run, cli_doc):
    s = qianka_run.summary()
    assert list(s.index) == list(cli_doc["metrics"])
    for name, m in cli_doc["metrics"].items():
        row = s.loc[name]
        assert row["unit"] == m["unit"]
        for k in ("mean", "std_error", "p5", "p10", "p25", "p50", "p75",
                  "p90", "p95"):
            assert row[k] == pytest.approx(m[k], rel=1e-9, abs=1e-6), \
                (name, k)
    assert s.loc["spend.total", "sd"] == pytest.approx(
        s.loc["spend.total", "std_error"] * math.sqrt(5000))


def test_fan_out_of_cash_raise_equal_cli(qianka_run, cli_doc):
    f = qianka_run.fan()
    for col, vals in cli_doc["fan"].items():
        np.testing.assert_allclose(f[col].to_numpy(), vals, rtol=1e-9)
    np.testing.assert_allclose(qianka_run.p_out_of_cash().to_numpy(),
                               cli_doc["p_out_of_cash_by_month"], atol=1e-12)
    for k, v in cli_doc["raise_needed"].items():
        if k == "ci":
            continue
        q = int(k[1:]) / 100
        assert qianka_run.raise_needed(q) == pytest.approx(v, rel=1e-9,
                                                           abs=1e-6)
        # Its interval, as the document gives it, brackets it.
        lo, hi = qianka_run.raise_interval(q)
        assert [lo, hi] == pytest.approx(cli_doc["raise_needed"]["ci"][k],
                                         rel=1e-9, abs=1e-6)
        assert lo <= qianka_run.raise_needed(q) <= hi


def test_sensitivity_equals_cli(qianka_run, cli_doc):
    sens = qianka_run.sensitivity()
    doc = cli_doc["sensitivity"]
    n = 0
    for name, m in doc["metrics"].items():
        for key, inp in m["inputs"].items():
            row = sens.loc[(name, key)]
            assert row["label"] == inp["label"]
            for k in ("spearman", "srrc"):
                assert row[k] == pytest.approx(inp[k], rel=1e-9, abs=1e-12)
            assert row["swing_low"] == pytest.approx(inp["p50_low"],
                                                     rel=1e-9, abs=1e-9)
            assert row["swing_high"] == pytest.approx(inp["p50_high"],
                                                      rel=1e-9, abs=1e-9)
            assert row["swing_base"] == pytest.approx(m["p50_base"],
                                                      rel=1e-9, abs=1e-9)
            assert row["swing_se"] == pytest.approx(inp["swing_se"],
                                                    rel=1e-9, abs=1e-9)
            n += 1
    assert n > 0
    for key, v in doc["swing"]["input_values"].items():
        row = sens.loc[("spend.total", key)]
        assert row["input_median"] == pytest.approx(v["median"], rel=1e-9)
    # Without the swing: the rank statistics alone, the same numbers.
    rank = qianka_run.sensitivity(metric="spend.total", swing=False)
    assert "swing" not in rank.columns
    np.testing.assert_allclose(
        rank["srrc"].to_numpy(),
        sens.loc["spend.total"]["srrc"].to_numpy(), rtol=1e-12)


def test_samples_equal_samples_csv(tmp_path, qianka_run):
    out = tmp_path / "s.csv"
    cli("run", Q, "--paths", "5000", "--seed", "7", "--quiet",
        "--samples-csv", str(out))
    want = pd.read_csv(out, index_col="path")
    got = qianka_run.samples()
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want) == 5000
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-9,
                               atol=1e-9)
    # The library's own writer gives the same text as the command.
    assert qianka_run.samples_csv() == out.read_text()


def test_samples_mean_equals_summary_mean(qianka_run):
    smp = qianka_run.samples()
    summ = qianka_run.summary()
    for name in ("spend.total", "spend.team", "cash.min", "gpu_hours"):
        assert smp[name].mean() == pytest.approx(summ.loc[name, "mean"],
                                                 rel=1e-12)
        assert smp[name].median() == pytest.approx(summ.loc[name, "p50"],
                                                   rel=1e-12)


def test_samples_are_zero_copy_views():
    s = gpubudget.load(Q)
    r = s.run(paths=1024, seed=3)
    a = r.metric_samples("spend.total")
    df = r.samples(inputs=False)
    assert np.shares_memory(df["spend.total"].to_numpy(), a)
    assert not a.flags.writeable
    want = a.copy()
    # The array keeps the result alive after the Result is dropped.
    del r, df, s
    gc.collect()
    np.testing.assert_array_equal(a, want)


def test_closed_form():
    """S ~ U($100k, $200k): spend 10·S, P(out of cash by month m) =
    P(S ≥ 1.2M/(m+1)), raise needed at q = q·$1M (closed_form.yaml)."""
    s = gpubudget.load(os.path.join(HERE, "closed_form.yaml"))
    r = s.run(paths=100_000, seed=3)
    summ = r.summary()
    assert summ.loc["spend.total", "mean"] == pytest.approx(1.5e6, rel=2e-3)
    for p in (5, 25, 50, 75, 95):
        assert summ.loc["spend.total", "p%d" % p] == pytest.approx(
            10 * (100e3 + p / 100 * 100e3), rel=3e-3)
    # sd of 10·S: 10 · 100k / √12.
    assert summ.loc["spend.total", "sd"] == pytest.approx(
        1e6 / math.sqrt(12), rel=1e-2)
    poc = r.p_out_of_cash()
    for m in range(12):
        want = min(1.0, max(0.0, (200e3 - 1.2e6 / (m + 1)) / 100e3))
        assert poc[m] == pytest.approx(want, abs=0.01), m
    assert r.raise_needed(0.9) == pytest.approx(0.9e6, rel=5e-3)
    assert r.raise_needed(0.5) == pytest.approx(0.5e6, rel=5e-3)


def test_trace_equals_its_row_and_the_command(qianka_run):
    t = qianka_run.trace(11)
    row = qianka_run.samples().loc[11]
    for name, v in t.attrs["metrics"].items():
        assert v == row[name], name
    for name, v in t.attrs["inputs"].items():
        assert v == pytest.approx(row[name], rel=1e-12), name
    doc = cli_json("run", Q, "--paths", "5000", "--seed", "7",
                   "--trace-path", "11")
    assert len(doc["months"]) == len(t)
    for m, month in enumerate(doc["months"]):
        assert t.loc[m, "cash"] == pytest.approx(month["cash"], rel=1e-9)
        for k, v in month["flows"].items():
            assert t.loc[m, k] == pytest.approx(v, rel=1e-9, abs=1e-6)
    np.testing.assert_allclose(t["cash"].diff().iloc[1:].to_numpy(),
                               (t["income"] - t["spend"]).iloc[1:].to_numpy(),
                               rtol=1e-9, atol=1e-3)


def test_same_figures_on_any_number_of_threads(qianka):
    a = qianka.run(paths=2048, seed=9, threads=1).summary()
    b = qianka.run(paths=2048, seed=9, threads=2).summary()
    pd.testing.assert_frame_equal(a, b)


def test_ledger(qianka):
    r = qianka.run(paths=1024, seed=1, ledger=1)
    led = r.ledger()
    assert "team" in led.columns
    assert led["team"].sum() == pytest.approx(
        r.summary().loc["spend.team", "mean"], rel=1e-9)
    with pytest.raises(gpubudget.Error):
        qianka.run(paths=512, seed=1).ledger()


def test_raise_for_months(qianka):
    r = qianka.run(paths=1024, seed=1, raise_months=6)
    assert r.raise_needed(0.9, months=6) >= 0
    with pytest.raises(gpubudget.Error):
        qianka.run(paths=512, seed=1).raise_needed(0.9, months=6)


def test_html_and_xlsx(tmp_path, qianka_run):
    html = qianka_run.to_html(tmp_path / "r.html", sensitivity=False)
    assert html.lstrip().lower().startswith("<!doctype html")
    assert (tmp_path / "r.html").read_text() == html
    qianka_run.to_xlsx(tmp_path / "r.xlsx", sensitivity=False)
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"


def test_currency(qianka_run):
    d = json.loads(qianka_run.to_json(currency="USD", sensitivity=False))
    assert d["metrics"]["spend.total"]["unit"] == "USD"
    with pytest.raises(ValueError):
        qianka_run.to_json(currency="GBP")


def test_bad_options_raise(qianka):
    with pytest.raises(ValueError):
        qianka.run(paths=0)
    with pytest.raises(KeyError):
        qianka.run(paths=512).metric_samples("spend.totl")


def test_quasi_random_is_said(qianka):
    # A --qmc result says what its points were: its means' standard
    # errors are its 16 replicates' (gpb_result_quasi_random), and the
    # summary's sd is still the spread over the paths, not SE * sqrt(n)
    # (a review found it 9 times too small under quasi=True).
    plain = qianka.run(paths=256, seed=3)
    sobol = qianka.run(paths=256, seed=3, quasi=True)
    assert plain.quasi_random is False and sobol.quasi_random is True
    assert json.loads(sobol.to_json())["quasi_random"] is True
    assert "error_note" in json.loads(sobol.to_json())
    for r in (plain, sobol):
        v = r.metric_samples("spend.team")
        sd = r.summary().loc["spend.team", "sd"]
        assert sd == pytest.approx(np.std(v, ddof=1), rel=1e-9)


def test_quantile_any_strides_and_shape(qianka_run):
    # A strided slice read with its own strides gave P50 for P90, and a 2-D
    # list left half its answer unset (a user review).
    want = [qianka_run.quantile("spend.total", q) for q in (0.1, 0.9)]
    got = qianka_run.quantile("spend.total", np.array([0.1, 0.5, 0.9])[::2])
    assert list(got) == want
    grid = qianka_run.quantile("spend.total", [[0.1, 0.9], [0.9, 0.1]])
    assert grid.shape == (2, 2)
    assert list(grid[0]) == want and list(grid[1]) == want[::-1]


def test_sensitivity_shared_between_threads():
    # Two threads asking one Result for its sensitivity at once: the second
    # used to replace and free the cached object the first was reading.
    import threading
    s = gpubudget.load(Q)
    for trial in range(4):
        r = s.run(paths=3000, seed=trial)
        bar = threading.Barrier(2)
        out = []

        def work():
            bar.wait()
            out.append(r.sensitivity(swing=False))
        ts = [threading.Thread(target=work) for _ in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert len(out) == 2 and out[0].equals(out[1])


def test_trace_refuses_a_path_outside_the_run(qianka):
    r = qianka.run(paths=200, seed=1)
    for bad in (200, 10 ** 6, 2 ** 64 + 5, -1, 1.5, True):
        with pytest.raises(ValueError):
            r.trace(bad)
    assert r.trace(199).attrs["metrics"]["spend.total"] == \
        r.metric_samples("spend.total")[199]


def test_raise_months_beyond_the_horizon_is_refused(qianka):
    r = qianka.run(paths=512, seed=1)
    H = r.horizon_months
    with pytest.raises(ValueError):
        r.raise_needed(0.9, months=H + 1)
    with pytest.raises(ValueError):
        r.raise_interval(0.9, months=0)
    assert r.raise_needed(0.9, months=H) == r.raise_needed(0.9)


def test_options_are_checked_not_wrapped(qianka):
    # ctypes cut paths=2**64+3 to 3 and seed=-1 to 2**64-1 (a user review).
    for kw in ({"paths": 2 ** 64 + 3}, {"paths": 2.9}, {"seed": -1},
               {"seed": 2 ** 64 + 1}, {"ledger": -1}, {"ledger": 3},
               {"threads": -2}):
        with pytest.raises((ValueError, TypeError)):
            qianka.run(**kw)
    with pytest.raises(ValueError):
        qianka.run(seed=2 ** 63)
    assert qianka.run(paths=64.0, seed=2 ** 63 - 1).paths == 64


def test_with_overrides_uses_the_text_loaded(tmp_path, monkeypatch):
    # A what-if reran the file as it was on disk now, and failed after a
    # change of directory (a user review).
    f = tmp_path / "plan.yaml"
    f.write_text(open(Q, encoding="utf-8").read(), encoding="utf-8")
    s = gpubudget.load(str(f))
    base = s.run(paths=500, seed=3).mean("cash.end")[0]
    f.write_text("not: a scenario\n", encoding="utf-8")
    monkeypatch.chdir("/")
    w = s.with_overrides({"company.cash": "¥10亿"})
    assert w.path == str(f)
    same = s.with_overrides({})
    assert same.run(paths=500, seed=3).mean("cash.end")[0] == base


def test_kept_paths_keep_the_summary_exact(qianka):
    # gpb_sim_run_kept: 20,480 paths keeping the first 4,096; the summary
    # (means, sd, P5 ... P95) and the raise are the full run's, exactly;
    # a money metric's P37 is refused with the reason.
    full = qianka.run(paths=20480, seed=3)
    kept = qianka.run(paths=20480, seed=3, kept_paths=4096)
    assert kept.kept_paths == 4096 and full.kept_paths == 20480
    a, b = full.summary(), kept.summary()
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for q in (0.8, 0.9, 0.95):
        assert kept.raise_needed(q) == full.raise_needed(q)
    with pytest.raises(gpubudget.Error, match="gpb_sim_run_kept"):
        kept.quantile("spend.total", 0.37)
