"""``new`` end to end through the CLI: atomic, no overwrite, reproducible, answers as data."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackpick.cli import cli
from stackpick.generate import scaffold
from stackpick.template_source import templates_root


def new(*args: str, cwd: Path | None = None) -> Result:
    return CliRunner().invoke(cli, ["new", "--no-input", "--no-git", *args])


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_new_defaults_human_output(tmp_path: Path) -> None:
    result = new("--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Flask: the guidance leans to Flask")
    assert f"Created {tmp_path / 'my_project'}" in result.output
    assert "Next:" in result.output
    assert (tmp_path / "my_project" / ".stackpick.toml").is_file()


def test_new_json_shape_and_files_listed(tmp_path: Path) -> None:
    result = new("Shop", "--json", "--output-dir", str(tmp_path))
    data = json.loads(result.output)
    assert {"framework", "overridden", "reasons", "answers", "path", "files"} <= set(data)
    assert data["answers"]["project_name"] == "Shop"
    project = Path(data["path"])
    assert project == tmp_path / "shop"
    assert sorted(data["files"]) == sorted(tree(project))


def test_quiet_prints_only_the_path(tmp_path: Path) -> None:
    result = new("--quiet", "--output-dir", str(tmp_path))
    assert result.output == f"{tmp_path / 'my_project'}\n"


def test_dry_run_writes_nothing_and_lists_the_same_files(tmp_path: Path) -> None:
    dry = json.loads(
        new("--dry-run", "--json", "--set", "auth=yes", "--output-dir", str(tmp_path / "o")).output
    )
    assert not (tmp_path / "o").exists()
    real = json.loads(
        new("--json", "--set", "auth=yes", "--output-dir", str(tmp_path / "o")).output
    )
    assert dry["files"] == real["files"]


def test_existing_target_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "my_project"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = new("--output-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "already exists and is not empty" in result.stderr and "--force" in result.stderr
    assert tree(target) == {"keep.txt": b"mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_project"]


def test_empty_existing_target_is_used(tmp_path: Path) -> None:
    (tmp_path / "my_project").mkdir()
    assert new("--output-dir", str(tmp_path)).exit_code == 0
    assert (tmp_path / "my_project" / "pyproject.toml").is_file()


def test_force_replaces_only_after_success(tmp_path: Path) -> None:
    target = tmp_path / "my_project"
    target.mkdir()
    (target / "old.txt").write_text("old")
    assert new("--force", "--output-dir", str(tmp_path)).exit_code == 0
    assert not (target / "old.txt").exists()
    assert (target / "pyproject.toml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_project"]


def _broken_template(tmp_path: Path, body: str) -> str:
    """A copy of the Flask template whose last file fails to render, as a --template option."""
    import shutil

    copy = tmp_path / "broken"
    shutil.copytree(templates_root() / "flask", copy)
    (copy / "{{cookiecutter.project_slug}}" / "zzz_last.txt").write_text(body)
    return f"flask={copy}"


@pytest.mark.parametrize("force", [False, True])
def test_failure_mid_render_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    broken = _broken_template(tmp_path, "{{ cookiecutter.no_such_variable }}")
    out = tmp_path / "out"
    out.mkdir()
    if force:
        (out / "my_project").mkdir()
        (out / "my_project" / "old.txt").write_text("old")
    before = tree(out)
    args = ["--output-dir", str(out), "--template", broken, "--set", "framework=flask"]
    result = new(*args, *(["--force"] if force else []))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: flask template ")
    assert "zzz_last.txt" in result.stderr
    assert "Traceback" not in result.output
    assert tree(out) == before
    assert sorted(p.name for p in out.iterdir()) == (["my_project"] if force else [])


def test_interrupt_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(scaffold, "move_into_place", interrupted)
    result = new("--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 130
    assert result.stderr == "error: interrupted; nothing was written\n"
    assert not (tmp_path / "out").exists()


def test_created_output_dir_is_removed_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = _broken_template(tmp_path, "{% if %}")
    out = tmp_path / "new" / "deeper"
    assert new("--output-dir", str(out), "--template", broken).exit_code == 1
    assert not (tmp_path / "new" / "deeper").exists()


def test_bad_answers_write_nothing(tmp_path: Path) -> None:
    result = new("--set", "project_slug=../evil", "--output-dir", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "project_slug" in result.stderr
    assert not (tmp_path / "o").exists() and not (tmp_path / "evil").exists()


def test_django_without_database_is_refused_with_the_fix(tmp_path: Path) -> None:
    result = new(
        "--set", "framework=django", "--set", "database=none", "--output-dir", str(tmp_path)
    )
    assert result.exit_code == 2
    assert "database=sqlite" in result.stderr and "framework=flask" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("framework", ["flask", "django"])
def test_reproducible_and_regenerated_from_its_answers_file(tmp_path: Path, framework: str) -> None:
    args = [
        "--set",
        f"framework={framework}",
        "--set",
        "auth=yes",
        "--set",
        "rest_api=yes",
        "--set",
        "i18n=yes",
    ]
    first = Path(
        json.loads(new("--json", *args, "--output-dir", str(tmp_path / "a")).output)["path"]
    )
    second = Path(
        json.loads(new("--json", *args, "--output-dir", str(tmp_path / "b")).output)["path"]
    )
    regen = new(
        "--json", "--answers", str(first / ".stackpick.toml"), "--output-dir", str(tmp_path / "c")
    )
    third = Path(json.loads(regen.output)["path"])
    a, b, c = tree(first), tree(second), tree(third)
    assert a[".env"] != b[".env"]  # a fresh secret each time ...
    for t in (a, b, c):
        del t[".env"]
    assert a == b == c  # ... and everything else byte-identical


@pytest.mark.parametrize("framework", ["flask", "django"])
def test_secret_only_in_the_git_ignored_env_file(tmp_path: Path, framework: str) -> None:
    project = Path(
        json.loads(
            new("--json", "--set", f"framework={framework}", "--output-dir", str(tmp_path)).output
        )["path"]
    )
    env = (project / ".env").read_text()
    secret = next(
        line.split("=", 1)[1] for line in env.splitlines() if line.startswith("SECRET_KEY=")
    )
    assert len(secret) >= 50
    assert ".env" in (project / ".gitignore").read_text().split()
    for path, content in tree(project).items():
        if path != ".env":
            assert secret.encode() not in content, path


# --- arbitrary text stays data --------------------------------------------------------

_pieces = st.one_of(
    st.sampled_from(list("{}%#'\"\\<>/&\n\t$` ")),
    st.sampled_from(["{{ 7*7 }}", "{% if %}", "{#", "</script>", "é", "日本", "😀", "\r\n"]),
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
)
free_text = st.lists(_pieces, max_size=12).map("".join)
names = free_text.filter(lambda s: s.strip() != "")


def _all_texts(project: Path) -> None:
    for path in project.rglob("*"):
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), str(path))
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in (".yml", ".yaml"):
            yaml.safe_load(path.read_text(encoding="utf-8"))


def _python_strings(project: Path) -> set[str]:
    found: set[str] = set()
    for path in project.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


@pytest.mark.parametrize("framework", ["flask", "django"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names, description=free_text, author=free_text)
def test_arbitrary_text_generates_valid_files(
    tmp_path_factory: pytest.TempPathFactory,
    framework: str,
    name: str,
    description: str,
    author: str,
) -> None:
    out = tmp_path_factory.mktemp("gen")
    answers = out / "answers.json"
    answers.write_text(json.dumps({
        "framework": framework, "project_name": name, "project_slug": "demo_app",
        "description": description, "author_name": author, "auth": True, "rest_api": True,
        "i18n": True, "ci": "github", "docker": True,
    }))  # fmt: skip
    result = new("--json", "--answers", str(answers), "--output-dir", str(out))
    assert result.exit_code == 0, result.output
    project = Path(json.loads(result.output)["path"])
    _all_texts(project)
    recorded = tomllib.loads((project / ".stackpick.toml").read_text(encoding="utf-8"))["answers"]
    assert (recorded["project_name"], recorded["description"]) == (name, description)
    assert name in _python_strings(project)
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["description"] == " ".join(description.split())


def test_django_says_that_its_admin_is_always_there(tmp_path: Path) -> None:
    data = json.loads(
        new("--json", "--set", "framework=django", "--output-dir", str(tmp_path)).output
    )
    assert any("always includes the Django admin" in note for note in data["notes"])


# --- staging folders: locked while in use, swept when their run is gone ------------


def test_a_live_staging_folder_is_never_swept(tmp_path: Path) -> None:
    with scaffold.staging_folder(tmp_path, "demo") as staging:
        assert staging.name.startswith(".demo.stackpick-")
        assert scaffold.sweep_stale_staging(tmp_path) == []
        assert staging.is_dir()
    assert list(tmp_path.iterdir()) == []


def test_a_staging_folder_whose_run_is_gone_is_swept(tmp_path: Path) -> None:
    stale = tmp_path / ".demo.stackpick-abc123"
    (stale / "demo").mkdir(parents=True)
    (stale / scaffold.LOCK_FILE).write_text("")
    unrelated = tmp_path / ".cache"
    unrelated.mkdir()
    assert scaffold.sweep_stale_staging(tmp_path) == [stale]
    assert not stale.exists() and unrelated.is_dir()


def test_new_sweeps_stale_staging_in_its_output_folder(tmp_path: Path) -> None:
    stale = tmp_path / ".old.stackpick-xyz"
    stale.mkdir()
    (stale / scaffold.LOCK_FILE).write_text("")
    assert new("--output-dir", str(tmp_path)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_project"]


def test_force_without_a_swap_restores_the_old_project_when_interrupted_between_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackpick.generate import rename

    target = tmp_path / "my_project"
    target.mkdir()
    (target / "old.txt").write_text("old")
    project = tmp_path / "staging" / "project"
    project.mkdir(parents=True)
    (project / "new.txt").write_text("new")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rename, "exchange", lambda *args: False)  # a system without the swap
    monkeypatch.setattr(rename, "no_replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        scaffold.move_into_place(project, target, tmp_path / "staging", force=True)
    assert [p.name for p in target.iterdir()] == ["old.txt"]


def test_a_force_run_killed_between_its_renames_is_restored_by_the_next_sweep(
    tmp_path: Path,
) -> None:
    staging = tmp_path / f".my_project{scaffold.STAGING_MARK}abc"
    (staging / "previous").mkdir(parents=True)
    (staging / "previous" / "old.txt").write_text("old")
    (staging / scaffold.LOCK_FILE).write_text("")
    assert scaffold.sweep_stale_staging(tmp_path) == [staging]
    assert [p.name for p in (tmp_path / "my_project").iterdir()] == ["old.txt"]


def test_a_signal_while_the_project_moves_in_says_it_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal

    from stackpick.errors import InterruptedAfter

    move = scaffold.move_into_place

    def move_then_signal(*args: Any) -> None:
        move(*args)
        os.kill(os.getpid(), signal.SIGTERM)  # held back until the move is whole

    def render(staging: Path) -> Path:
        (staging / "p").mkdir()
        (staging / "p" / "a.txt").write_text("a")
        return staging / "p"

    monkeypatch.setattr(scaffold, "move_into_place", move_then_signal)
    target = tmp_path / "out" / "p"
    target.parent.mkdir()
    with pytest.raises(InterruptedAfter, match="complete") as raised:
        scaffold.create(target, False, render, lambda project: {"b.txt": "b"})
    assert raised.value.exit_code == 130 and str(target) in str(raised.value)
    assert sorted(p.name for p in target.iterdir()) == ["a.txt", "b.txt"]
    assert [p.name for p in target.parent.iterdir()] == ["p"]  # no staging folder left


def test_an_interrupt_while_new_reports_names_the_finished_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stackpick.app

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(stackpick.app, "session_flips", interrupted)
    result = CliRunner().invoke(cli, ["new", "--no-input", "--no-git", "-o", str(tmp_path)])
    assert result.exit_code == 130
    assert f"interrupted once the project was complete: {tmp_path / 'my_project'}" in result.output
    assert (tmp_path / "my_project" / "pyproject.toml").is_file()
