"""``stackpick setup`` reports each step, as lines or as JSON, and what to run next."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from setup_support import HERE, FakeRunner, make_project, setup_with
from stackpick.cli import cli
from stackpick.setup import run
from stackpick.setup.plan import ProjectSpec, Step
from stackpick.setup.report import LineReporter, next_commands


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


def test_json_reports_steps_and_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    monkeypatch.setattr(run, "run_command", FakeRunner(fail=["t run"]))
    result = CliRunner().invoke(
        cli, ["setup", "--project", str(project), "--json", "--installer", "pip"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(s["name"], s["outcome"]) for s in data["steps"]] == [
        ("venv", "ok"),
        ("install", "ok"),
        ("test", "failed"),
    ]
    assert all(isinstance(s["seconds"], float) for s in data["steps"])
    assert "error: step test failed" in result.stderr


def test_next_commands_use_the_venv(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "python").touch()
    spec = ProjectSpec(project, HERE, (), "python manage.py runserver", "x createsuperuser")
    lines = next_commands(spec)
    assert lines[1].startswith(".venv/bin/python manage.py runserver")
    assert lines[2].startswith("x createsuperuser")


def test_live_line_fits_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines: list[str] = []
    step = Step("install", ("x",), "k", "a very long detail " * 10)
    LineReporter(lines.append, live=True).started(step, 2, 4)
    assert len(lines[0]) == 39
