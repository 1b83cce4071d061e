"""gpus(), estimate() and plan() against the command's --json for the same
inputs: the same document (report.h, gpb_report_*_json), so the same
numbers, key for key."""

import math

import pytest

import gpubudget
from conftest import cli, cli_json

ESTIMATES = [
    (dict(), []),
    (dict(days=30), ["--days", "30"]),
    (dict(days="3 weeks"), ["--days", "3 weeks"]),
    (dict(mfu="40%"), ["--mfu", "40%"]),
    (dict(mfu=0.4), ["--mfu", "0.4"]),
    (dict(precision="fp8"), ["--precision", "fp8"]),
    (dict(price="¥12/h"), ["--price", "¥12/h"]),
    (dict(price=2.5), ["--price", "$2.5/h"]),
    (dict(active_params="10B", recompute=True),
     ["--active-params", "10B", "--recompute"]),
]


@pytest.mark.parametrize("kw,args", ESTIMATES)
def test_estimate_is_the_commands_document(kw, args):
    got = gpubudget.estimate(params="70B", tokens="2T", gpu="H100",
                             gpus=512, **kw)
    want = cli_json("estimate", "--params", "70B", "--tokens", "2T",
                    "--gpu", "H100", "--gpus", "512", *args)
    assert got == want


def test_estimate_numbers_and_text_equal_the_cli():
    got = gpubudget.estimate(params=70e9, tokens=2e12, gpu="H100", gpus=512,
                             output="json")
    want = cli("estimate", "--params", "70B", "--tokens", "2T", "--gpu",
               "H100", "--gpus", "512", "--json")
    assert got + "\n" == want


def test_estimate_errors_name_the_argument():
    with pytest.raises(gpubudget.Error) as e:
        gpubudget.estimate(params="70B", tokens="2T", gpu="nope", gpus=8)
    assert e.value.problem.path == "gpu"
    assert e.value.status == "ENOTFOUND"
    with pytest.raises(gpubudget.Error) as e:
        gpubudget.estimate(params="70B", tokens="2T", gpu="H100", gpus=8,
                           precision="fp4")
    assert e.value.problem.path == "precision"
    with pytest.raises(gpubudget.Error) as e:
        gpubudget.estimate(params="70B", tokens="2T", gpu="H100", gpus=8,
                           mfu=0.4, days=30)
    assert e.value.status == "EINVAL"
    with pytest.raises(gpubudget.Error) as e:
        gpubudget.estimate(params="70B", tokens="2T", gpu="H20", gpus=8)
    assert e.value.problem.path == "price"


PLANS = [
    (dict(), []),
    (dict(tokens="2T", mfu="40%", price="$2/h"),
     ["--tokens", "2T", "--mfu", "40%", "--price", "$2/h"]),
    (dict(active_params="100B", experts=64, top_k=2),
     ["--active-params", "100B", "--experts", "64", "--top-k", "2"]),
    (dict(recompute="full", zero=1, tp=8),
     ["--recompute", "full", "--zero", "1", "--tp", "8"]),
]


@pytest.mark.parametrize("kw,args", PLANS)
def test_plan_is_the_commands_document(kw, args):
    params = "1T" if "experts" in kw else "70B"
    got = gpubudget.plan(params=params, gpu="H100", gpus=2048, **kw)
    want = cli_json("plan", "--params", params, "--gpu", "H100", "--gpus",
                    "2048", *args)
    assert got == want


def test_plan_errors():
    with pytest.raises(gpubudget.Error):
        gpubudget.plan(params="70B", gpu="A100", gpus=8)
    with pytest.raises(TypeError):
        gpubudget.plan(params="70B", gpu="H100", gpus=8, nonsense=1)


def test_gpus_is_the_catalog_with_its_sources():
    doc = cli_json("gpus")
    assert gpubudget.gpus(output="list") == doc
    df = gpubudget.gpus()
    assert list(df.index) == [g["name"] for g in doc]
    for g in doc:
        row = df.loc[g["name"]]
        for k in ("spec_source", "rent_source", "purchase_source",
                  "mfu_source", "default_mfu", "vendor"):
            assert row[k] == g[k]
        for p, v in g["dense_flop_per_s"].items():
            x = row["dense_flop_per_s." + p]
            assert (v is None and math.isnan(x)) or x == v
