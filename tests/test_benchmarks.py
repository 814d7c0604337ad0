"""The benchmark script runs and reports every promised figure (timings are not asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generated import REPO

pytestmark = pytest.mark.generated


def test_bench_script_reports_all_ratios(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    script = REPO / "benchmarks" / "bench.py"
    result = subprocess.run(
        [sys.executable, str(script), "--repeat", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    cases = ("flask default", "flask full", "django default", "django full", "flask own template")
    for case in cases:
        assert f"stackpick new / cookiecutter ({case})" in data["ratios"]
        assert f"stackpick new --no-git / cookiecutter ({case})" in data["ratios"]
        assert f"stackpick new / python copy ({case})" in data["ratios"]
        assert f"stackpick new --no-git / cookiecutter, CPU time ({case})" in data["ratios"]
    assert data["goal"] == 0.7 and set(data["goal_met"]) == set(cases)
    assert "goal: stackpick new <= 0.70x cookiecutter --no-input" in result.stdout
    assert "stackpick --help / python -c pass" in data["ratios"]
    assert all(m["peak_rss_mb"] > 0 for m in data["measurements"])
    assert "ratios (wall time, the median of the rounds' ratios):" in result.stdout
    assert all(len(m["times_s"]) == 1 for m in data["measurements"] if "cold" not in m["name"])


def test_zero_to_green_reports_the_ratio(tmp_path: Path) -> None:
    from stackpick.setup.installer import find_uv

    if find_uv(os.environ) is None:
        pytest.skip("the uv package is not installed (pip install -e '.[test]' brings it)")
    out = tmp_path / "zero_to_green.json"
    script = REPO / "benchmarks" / "bench.py"
    result = subprocess.run(
        [sys.executable, str(script), "--zero-to-green", "--repeat", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    names = [m["name"] for m in data["measurements"]]
    assert names == [
        "stackpick new --setup (uv)",
        "stackpick new --setup (pip)",
        "manual README route (pip)",
    ]
    assert "stackpick new --setup (uv) / manual README route (pip)" in data["ratios"]
    assert "goal: <= 0.3x the manual route" in result.stdout
