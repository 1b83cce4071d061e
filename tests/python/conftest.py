"""Fixtures of the Python package's tests (run by `meson test`, which sets
GPB_LIBRARY to the build's libgpubudget.so, PYTHONPATH to python/, GPB_CLI
to the build's command and GPB_SOURCE_ROOT)."""

import json
import os
import subprocess

import pytest

ROOT = os.environ.get("GPB_SOURCE_ROOT",
                      os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("GPB_CLI", os.path.join(ROOT, "build", "tools",
                                             "gpubudget"))
HERE = os.path.dirname(os.path.abspath(__file__))


def scenario_path(name):
    return os.path.join(ROOT, "scenarios", name)


def cli(*args, cwd=None):
    """Runs the command; its stdout (the command must succeed)."""
    p = subprocess.run([CLI, *args], capture_output=True, text=True,
                       cwd=cwd)
    assert p.returncode == 0, p.stderr
    return p.stdout


def cli_json(*args, cwd=None):
    return json.loads(cli(*args, "--json", cwd=cwd))


@pytest.fixture(scope="session")
def qianka():
    import gpubudget
    return gpubudget.load(scenario_path("qianka-month.yaml"))


@pytest.fixture(scope="session")
def qianka_run(qianka):
    """5,000 paths of the default scenario, seed 7."""
    return qianka.run(paths=5000, seed=7)
