"""``stackpick setup``'s plan: reading what ``.stackpick.toml`` declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from setup_support import make_project
from stackpick.cli import cli
from stackpick.errors import BadInput
from stackpick.setup import NotAProject
from stackpick.setup.plan import read_project


def test_not_a_project_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["setup", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a stackpick project (no .stackpick.toml)" in result.output
    with pytest.raises(NotAProject):
        read_project(tmp_path)


def test_declared_steps_keep_their_order(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", 'translations = "pybabel compile -d x"\nmigrate = "m up"\ntest = "t"\n'
    )
    spec = read_project(project)
    assert [name for name, _ in spec.steps] == ["translations", "migrate", "test"]
    assert spec.run == "flask --app demo run"


def test_without_setup_table_tests_still_run(tmp_path: Path) -> None:
    spec = read_project(make_project(tmp_path / "p"))
    assert spec.steps == (("test", "python -m pytest"),)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('venv = "x"\n', "stackpick's own step"),
        ('migrate = "a \'b"\n', "project.setup.migrate"),
        ("migrate = 3\n", "must be a command line"),
    ],
)
def test_bad_setup_table(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        read_project(make_project(tmp_path / "p", table))


def test_bad_python_version(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a version"):
        read_project(make_project(tmp_path / "p", python="three"))
