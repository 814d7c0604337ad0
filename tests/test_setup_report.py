"""``stackpick setup`` reports each step as JSON, and what to run next."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from setup_support import HERE, FakeRunner, make_project
from stackpick.cli import cli
from stackpick.setup import run
from stackpick.setup.plan import ProjectSpec
from stackpick.setup.report import next_commands


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
