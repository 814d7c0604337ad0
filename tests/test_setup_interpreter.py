"""``stackpick setup`` finds the Python the project asks for (or a newer one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from setup_support import make_project
from stackpick.cli import cli
from stackpick.errors import BadInput
from stackpick.setup.errors import SetupError
from stackpick.setup.interpreter import Interpreter, find_python


def fake_python(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def no_probe(path: str) -> tuple[int, ...] | None:
    raise AssertionError(f"probed {path}")


def test_exact_version_on_path_first(tmp_path: Path) -> None:
    exe = fake_python(tmp_path / "bin", "python3.10")
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    found, note = find_python((3, 10), environ, probe=no_probe)
    assert found == Interpreter(str(exe), (3, 10))
    assert note == f"Python 3.10 ({exe})"


def test_pyenv_newest_patch(tmp_path: Path) -> None:
    root = tmp_path / "pyenv"
    for version in ("3.10.4", "3.10.13", "3.10-dev"):
        fake_python(root / "versions" / version / "bin", "python3.10")
    environ = {"PATH": "", "PYENV_ROOT": str(root)}
    found, _ = find_python((3, 10), environ, probe=no_probe)
    assert found.version == (3, 10, 13)
    assert found.path == str(root / "versions" / "3.10.13" / "bin" / "python3.10")


def test_newer_python_is_accepted_and_said(tmp_path: Path) -> None:
    exe = fake_python(tmp_path / "bin", "python3.99")
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    found, note = find_python((3, 98), environ, probe=no_probe)
    assert found.path == str(exe)
    assert "newer than the project's 3.98: accepted" in note


def test_only_older_python_is_refused(tmp_path: Path) -> None:
    fake_python(tmp_path / "bin", "python3.9")
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    with pytest.raises(SetupError) as caught:
        find_python((3, 99), environ, probe=lambda path: None)
    assert "no Python 3.99 or newer found" in caught.value.message
    assert "found only" in caught.value.message
    assert "python3.9" in caught.value.message


def test_given_python_is_checked(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match=r"needs Python 3\.99 or newer"):
        find_python((3, 99), {}, given="/x/python", probe=lambda path: (3, 11, 2))
    with pytest.raises(BadInput, match="not a Python interpreter"):
        find_python((3, 11), {}, given="/x/python", probe=lambda path: None)


def test_cli_refuses_when_only_older_pythons_exist(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", python="3.99")
    env = {"PATH": str(tmp_path / "empty"), "PYENV_ROOT": str(tmp_path / "none")}
    result = CliRunner().invoke(cli, ["setup", "--project", str(project)], env=env)
    assert result.exit_code == 1
    assert "error: step venv failed: no Python 3.99 or newer found" in result.output
    assert not (project / ".venv").exists()
