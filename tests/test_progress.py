"""``setup``'s progress on the terminal: a line per step, cut to the terminal's width."""

from __future__ import annotations

from pathlib import Path

import pytest

from setup_support import FakeRunner, make_project, setup_with
from stackpick.setup.plan import Step
from stackpick.ui.progress import LineReporter


def test_line_reporter_prints_a_line_per_step(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    lines: list[str] = []
    setup_with(project, FakeRunner(), reporter=LineReporter(lines.append))
    text = "".join(lines)
    assert "[1/3] venv" in text and "[2/3] install" in text and "[3/3] test" in text
    assert " s  t run" in text
    assert "pip (--installer pip)" in text
    assert f"cd {project}" in text
    assert "flask --app demo run    # start the development server" in text


def test_live_line_fits_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines: list[str] = []
    step = Step("install", ("x",), "k", "a very long detail " * 10)
    LineReporter(lines.append, live=True).started(step, 2, 4)
    assert len(lines[0]) == 39
