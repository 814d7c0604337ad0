"""Generated values (a hook's secrets) stay the project's across updates (``hook_outputs``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import team_template_support as team
from stackpick.cli import cli
from stackpick.generate.hook_outputs import keep_lines


@pytest.fixture(autouse=True)
def _identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Team")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "team@example.com")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_generated_lines_take_the_old_values_where_the_template_still_puts_them() -> None:
    new = "A=1\nKEY=xq81\nB=2\nNEW=3\n"
    again = "A=1\nKEY=x0zz\nB=2\nNEW=3\n"
    old = "A=1\nKEY=old-secret\nB=2\n"
    assert keep_lines(new, again, old) == "A=1\nKEY=old-secret\nB=2\nNEW=3\n"


def test_lines_the_template_adds_around_a_generated_one_do_not_lose_it() -> None:
    new = "# header\nA=1\nSECRET = 'Zq1'\nB=2\n"
    again = "# header\nA=1\nSECRET = 'p0X'\nB=2\n"
    old = "A=1\nSECRET = 'mine'\n"
    assert keep_lines(new, again, old) == "# header\nA=1\nSECRET = 'mine'\nB=2\n"


def test_a_generated_line_whose_fixed_part_changed_takes_the_new_value() -> None:
    new, again, old = "RENAMED=abc\n", "RENAMED=xyz\n", "KEY=old\n"
    assert keep_lines(new, again, old) is None


def test_no_op_update_and_template_upgrade_keep_the_hooks_secrets(tmp_path: Path) -> None:
    repo = team.repository(tmp_path / "repo")
    result = invoke(
        "new", "--no-input", "--json", "--template", f"django={repo}", "--checkout", "v1",
        "--set", "framework=django", "--set", "rest_api=DRF", "-o", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    project = Path(json.loads(result.output)["path"])
    secrets = (project / ".envs/django").read_text()
    assert "!!!SET" not in secrets
    first = team.git(project, "rev-parse", "HEAD").strip()
    update = ["update", "--no-input", "--project", str(project)]
    assert invoke(*update).exit_code == 0
    assert team.git(project, "rev-parse", "HEAD").strip() == first  # no-op: no commit
    result = invoke(*update, "--checkout", "v2")  # the recorded source, a newer tag
    assert result.exit_code == 0, result.output
    changed = team.git(project, "diff", "--name-only", first, "HEAD").split()
    assert changed == [".stackpick.toml", "README.md"]  # the template's one change, the record
    assert (project / "README.md").read_text().startswith("## My Awesome Project")
    assert (project / ".envs/django").read_text() == secrets
    recorded = (project / ".stackpick.toml").read_text()
    assert team.git(repo, "rev-parse", "v2").strip() in recorded and 'rest_api = "DRF"' in recorded
    again = team.git(project, "rev-parse", "HEAD").strip()
    assert invoke(*update).exit_code == 0
    assert team.git(project, "rev-parse", "HEAD").strip() == again


def test_checkout_or_directory_starting_with_a_dash_never_reaches_git(tmp_path: Path) -> None:
    repo = team.repository(tmp_path / "repo")
    for option in ("--checkout=--upload-pack=touch x", "--directory=-x"):
        result = invoke("new", "--no-input", "--template", f"django={repo}", option)
        assert result.exit_code == 2
        assert "starts with '-', which git would read as an option" in result.output
    assert not (tmp_path / "x").exists()
