"""``stackpick setup`` writes ``.env`` where it is missing (a zip, a clone), as ``new`` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stackpick.cli import cli
from stackpick.setup.envfile import ensure_env
from stackpick.setup.plan import read_project


def settings(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def made(tmp_path: Path, framework: str) -> Path:
    args = ["new", "--no-input", "--no-git", "--set", f"framework={framework}", "-o", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return tmp_path / "my_project"


@pytest.mark.parametrize("framework", ["flask", "django"])
def test_setup_writes_the_missing_env_with_a_fresh_secret(tmp_path: Path, framework: str) -> None:
    project = made(tmp_path, framework)
    from_new = settings(project / ".env")
    (project / ".env").unlink()  # as a downloaded zip comes
    missing = tmp_path / "no-such-python"
    args = ["setup", "--project", str(project), "--python", str(missing)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0  # the interpreter is missing, the .env is made before
    assert ".env was missing: written with a fresh SECRET_KEY" in result.output
    again = settings(project / ".env")
    assert len(again["SECRET_KEY"]) >= 50 and again["SECRET_KEY"] != from_new["SECRET_KEY"]
    assert {k: v for k, v in again.items() if k != "SECRET_KEY"} == {
        k: v for k, v in from_new.items() if k != "SECRET_KEY"
    }
    staged = [p.name for p in project.glob(".env.*") if p.name != ".env.example"]
    assert staged == []  # nothing staged is left behind


def test_an_existing_env_is_never_touched(tmp_path: Path) -> None:
    project = made(tmp_path, "flask")
    (project / ".env").write_text("SECRET_KEY=mine\n")
    assert ensure_env(read_project(project)) is False
    assert (project / ".env").read_text() == "SECRET_KEY=mine\n"


def test_a_template_without_env_gets_none(tmp_path: Path) -> None:
    project = made(tmp_path, "flask")
    (project / ".env").unlink()
    marker = project / ".stackpick.toml"
    text = marker.read_text()
    start = text.index("[project.env]")
    end = text.index("\n[", start + 1)
    marker.write_text(text[:start] + text[end + 1 :])
    assert read_project(project).env is None
    assert ensure_env(read_project(project)) is False and not (project / ".env").exists()
