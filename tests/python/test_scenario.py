"""Loading scenarios: files, text, overrides and every problem with its
place (the fixtures of tests/data/invalid, as test_scenario.c reads them)."""

import os

import pytest

import gpubudget
from conftest import ROOT, scenario_path

INVALID = os.path.join(ROOT, "tests", "data", "invalid")


def _expected(case):
    """tests/data/invalid/<case>/expected.txt (format: test_fixture.h)."""
    head, blocks, cur = {}, [], None
    with open(os.path.join(INVALID, case, "expected.txt"),
              encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line == "---":
                cur = None
                continue
            key, _, value = line.partition(": ")
            if key.endswith(":"):  # "path:" with nothing after it
                key, value = key[:-1], ""
            if key in ("status", "count") and cur is None and not blocks:
                head[key] = value
                continue
            if cur is None:
                cur = {}
                blocks.append(cur)
            cur[key] = value
    return head, blocks


CASES = sorted(os.listdir(INVALID))


def test_enough_fixtures():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES)
def test_invalid_fixture(case):
    head, blocks = _expected(case)
    path = os.path.join(INVALID, case, "input.yaml")
    with pytest.raises(gpubudget.ScenarioError) as ei:
        gpubudget.load(path)
    e = ei.value
    if "status" in head:
        assert e.status == head["status"]
    if "count" in head:
        assert len(e.problems) == int(head["count"]), e.problems
    for want, got in zip(blocks, e.problems):
        assert got.source == path
        assert got.line == int(want["line"]), (want, got)
        assert got.column == int(want["column"]), (want, got)
        assert got.path == want.get("path", ""), (want, got)
        assert want["message"] in got.message, (want, got)
    # str() has one line per problem, with file:line:column.
    assert str(e).count("\n") == len(e.problems) - 1
    assert "%s:%d" % (path, e.problems[0].line) in str(e)


def test_every_problem_from_text():
    text = ("gpubudget: 1\nname: t\ncompany: {cash: $1M}\n"
            "training:\n  - name: a\n    params: 1e16\n    tokens: 1T\n"
            "    gpu: H100\n    gpus: 8\n    colour: red\n")
    with pytest.raises(gpubudget.ScenarioError) as ei:
        gpubudget.loads(text, source="mine.yaml")
    ps = ei.value.problems
    assert [(p.line, p.path) for p in ps] == [
        (6, "training[0].params"), (10, "training[0].colour")]
    assert all(p.source == "mine.yaml" and p.severity == "error"
               for p in ps)
    assert "did you mean" in ps[1].message or "unknown key" in ps[1].message
    assert isinstance(ei.value, ValueError)


def test_override_problems_name_the_override():
    with pytest.raises(gpubudget.ScenarioError) as ei:
        gpubudget.load(scenario_path("qianka-month.yaml"),
                       set={"training[0].gpus": -5})
    p = ei.value.problems[0]
    assert p.path == "training[0].gpus" and p.line == 0
    with pytest.raises(gpubudget.ScenarioError) as ei:
        gpubudget.load(scenario_path("qianka-month.yaml"),
                       set={"training[9].gpus": 5})
    assert ei.value.status == "ENOTFOUND"


def test_missing_file():
    with pytest.raises(gpubudget.ScenarioError) as ei:
        gpubudget.load("/nonexistent/x.yaml")
    assert ei.value.status == "EIO"


def test_overrides_forms_agree(qianka):
    a = gpubudget.load(scenario_path("qianka-month.yaml"),
                       set={"training[0].gpus": 512,
                            "training[0].mfu": {"pert": [0.3, 0.4, 0.5]}})
    b = gpubudget.load(scenario_path("qianka-month.yaml"),
                       set="training[0].gpus=512; "
                           "training[0].mfu={pert: [0.3, 0.4, 0.5]}")
    c = qianka.with_overrides({"training[0].gpus": 512,
                               "training[0].mfu": {"pert": [0.3, 0.4, 0.5]}})
    ra, rb, rc = (x.run(paths=600, seed=2) for x in (a, b, c))
    assert ra.mean("spend.total") == rb.mean("spend.total") == \
        rc.mean("spend.total")
    assert ra.mean("spend.total") != qianka.run(paths=600, seed=2).mean(
        "spend.total")
    with pytest.raises(ValueError):
        gpubudget.load(scenario_path("qianka-month.yaml"),
                       set={"name": "a;b"})


def test_accessors(qianka):
    assert qianka.currency == "CNY"
    assert qianka.horizon_months == 12
    assert qianka.training_runs == ["pretrain"]
    assert "training[0].mfu" in qianka.uncertain_inputs
    assert qianka.text.startswith("# 千卡/月")
    d = gpubudget.default()
    assert d.name == qianka.name and d.text == qianka.text
    s = gpubudget.loads(qianka.text)
    assert s.run(paths=512, seed=1).mean() == \
        qianka.run(paths=512, seed=1).mean()


def test_warnings():
    d = os.path.join(ROOT, "tests", "data", "warnings")
    case = sorted(os.listdir(d))[0]
    s = gpubudget.load(os.path.join(d, case, "input.yaml"))
    assert s.warnings and all(w.severity == "warning" for w in s.warnings)
