"""The examples of docs/python.md, run in order in one namespace (in a
scratch directory that sees the source tree's scenarios/), so the guide
never shows code that does not work."""

import os
import re

from conftest import ROOT


def test_docs_python_md_examples(tmp_path, monkeypatch):
    with open(os.path.join(ROOT, "docs", "python.md"),
              encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 8
    os.symlink(os.path.join(ROOT, "scenarios"), tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    ns = {}
    for i, b in enumerate(blocks):
        exec(compile(b, "docs/python.md block %d" % i, "exec"), ns)
    assert (tmp_path / "report.html").exists()
    assert (tmp_path / "report.xlsx").exists()
