"""``stackpick check``: exit 0 when update would change nothing, 1 when it would, 2 on bad
input; it writes nothing, not even a git object."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stackpick.cli import cli
from stackpick.errors import EXIT_BAD_INPUT, EXIT_FAILURE
from test_update import FLASK, commit_all, earlier_project, git_template, new, sh


@pytest.fixture(autouse=True)
def _identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Team")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "team@example.com")


def check(project: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["check", "--project", str(project), *args])


def state(project: Path) -> tuple[str, str, list[str]]:
    """Refs, status and every object file: what a check must leave as it was."""
    objects = sorted(str(p) for p in (project / ".git" / "objects").rglob("*") if p.is_file())
    return sh(project, "show-ref"), sh(project, "status", "--porcelain"), objects


def test_an_up_to_date_project_exits_0(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    before = state(project)
    result = check(project)
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    data = json.loads(check(project, "--json").output)
    assert data["up_to_date"] is True and data["files"] == []
    assert state(project) == before


def test_a_newer_team_template_exits_1_listing_the_files(tmp_path: Path) -> None:
    repo, v1, _v2 = git_template(tmp_path)
    sh(repo, "branch", "-f", "release", v1)
    project = new(tmp_path / "a", FLASK, "--template", f"flask={repo}", "--checkout", "release")
    assert check(project).exit_code == 0
    sh(repo, "branch", "-f", "release", "HEAD")  # the team publishes v2 on its branch
    before = state(project)
    result = check(project)
    assert result.exit_code == EXIT_FAILURE, result.output
    assert "  CONTRIBUTING.md" in result.output and "  .editorconfig" in result.output
    data = json.loads(check(project, "--json").output)
    assert data["up_to_date"] is False
    assert {"CONTRIBUTING.md", ".editorconfig", ".stackpick.toml"} <= set(data["files"])
    assert set(data["added"]) >= {"CONTRIBUTING.md", ".editorconfig"}
    assert state(project) == before  # no write, no git object left behind


def test_a_project_of_an_earlier_stackpick_exits_1(tmp_path: Path) -> None:
    project = earlier_project(tmp_path, "a1d606a", "old_flask_auth")
    before = state(project)
    result = check(project, "--json")
    assert result.exit_code == EXIT_FAILURE, result.output
    data = json.loads(result.output)
    assert ".stackpick.toml" in data["changed"]
    assert "migrations changed" in data["setup_needed"]
    assert state(project) == before


def test_staged_changes_do_not_matter_only_commits_do(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    (project / "notes.txt").write_text("work in progress\n")
    sh(project, "add", "notes.txt")
    assert check(project).exit_code == 0
    commit_all(project)
    assert check(project).exit_code == 0  # a file of the team's own is no template change


def test_bad_input_exits_2(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.exit_code == EXIT_BAD_INPUT
    assert result.output.startswith("error: no .stackpick.toml")
    project = new(tmp_path / "a", FLASK)
    toml = project / ".stackpick.toml"
    toml.write_text(toml.read_text().replace("format = 2", "format = 99"))
    commit_all(project)
    result = check(project)
    assert result.exit_code == EXIT_BAD_INPUT and "upgrade stackpick" in result.output


def test_the_pre_commit_hook_and_the_readme_snippets_run_check() -> None:
    import yaml

    repo = Path(__file__).resolve().parent.parent
    (hook,) = yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"], hook["pass_filenames"]) == (
        "stackpick-check",
        "stackpick check",
        False,
    )
    readme = (repo / "README.md").read_text()
    section = readme[readme.index("### Is the project behind its template?") :]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:3]]
    ci, pre_commit = (yaml.safe_load(b) for b in blocks)
    steps = ci["jobs"]["template-current"]["steps"]
    assert steps[-1] == {"run": "stackpick check"}
    assert steps[0]["with"]["fetch-depth"] == 0  # the stackpick branch comes with it
    assert pre_commit["repos"][0]["hooks"] == [{"id": hook["id"]}]
