"""The git wrappers: a first commit (with or without an identity), pristine commits, merges."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from stackpick.generate import git


def sh(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def no_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No global or system git configuration, no identity variables."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.com")


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.txt").write_text("one\ntwo\nthree\n")
    (folder / ".gitignore").write_text(".env\n")
    (folder / ".env").write_text("SECRET_KEY=s\n")
    return folder


@pytest.mark.usefixtures("identity")
def test_first_commit_uses_the_users_identity_and_starts_the_branch(tmp_path: Path) -> None:
    folder = project(tmp_path)
    assert git.after_new(folder, "first") == ()
    assert sh(folder, "log", "--format=%an <%ae> %s").strip() == "Ada <ada@example.com> first"
    assert git.rev_parse(folder, "stackpick") == git.rev_parse(folder, "HEAD")
    assert sh(folder, "ls-files").split() == [".gitignore", "a.txt"]  # .env is ignored
    assert git.status_lines(folder) == []


@pytest.mark.usefixtures("no_identity")
def test_without_an_identity_commits_as_stackpick_and_says_so(tmp_path: Path) -> None:
    folder = project(tmp_path)
    notes = git.after_new(folder, "first")
    assert len(notes) == 1 and "stackpick <stackpick@localhost>" in notes[0]
    assert sh(folder, "log", "--format=%an <%ae>").strip() == "stackpick <stackpick@localhost>"
    local = subprocess.run(["git", "config", "--local", "user.name"], cwd=folder, check=False)
    assert local.returncode == 1  # the user's configuration is not written to


@pytest.mark.usefixtures("identity")
def test_inside_a_work_tree_git_is_left_alone(tmp_path: Path) -> None:
    sh(tmp_path, "init", "-q")
    folder = project(tmp_path)
    notes = git.after_new(folder, "first")
    assert "inside the git repository" in notes[0]
    assert not (folder / ".git").exists()


def test_git_missing_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = project(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    notes = git.after_new(folder, "first")
    assert "git is not on PATH" in notes[0]
    assert not (folder / ".git").exists()


@pytest.mark.usefixtures("identity")
def test_commit_tree_leaves_work_tree_index_and_branches_alone(tmp_path: Path) -> None:
    folder = project(tmp_path)
    git.after_new(folder, "first")
    head = git.rev_parse(folder, "HEAD")
    assert head is not None
    other = tmp_path / "render"
    other.mkdir()
    (other / "a.txt").write_text("one\ntwo\nthree\nfour\n")
    (other / ".gitignore").write_text(".env\n")
    (other / ".env").write_text("SECRET_KEY=other\n")
    (other / ".git").mkdir()  # a hook's repository in the render is not taken
    commit = git.commit_tree(folder, other, [head], "render")
    assert sh(folder, "show", f"{commit}:a.txt") == "one\ntwo\nthree\nfour\n"
    assert sh(folder, "ls-tree", "--name-only", commit).split() == [".gitignore", "a.txt"]
    assert git.rev_parse(folder, "HEAD") == head
    assert git.status_lines(folder) == []
    assert (folder / "a.txt").read_text() == "one\ntwo\nthree\n"


@pytest.mark.usefixtures("identity")
def test_preview_then_merge_with_a_conflict(tmp_path: Path) -> None:
    folder = project(tmp_path)
    git.after_new(folder, "first")
    base = git.rev_parse(folder, "stackpick")
    assert base is not None
    (folder / "a.txt").write_text("ONE\ntwo\nthree\n")
    (folder / "mine.txt").write_text("mine\n")
    sh(folder, "add", "-A")
    sh(folder, "commit", "-qm", "team")
    render = tmp_path / "render"
    render.mkdir()
    (render / "a.txt").write_text("uno\ntwo\nthree\n")
    (render / "b.txt").write_text("new\n")
    theirs = git.commit_tree(folder, render, [base], "render")
    preview = git.preview_merge(folder, "HEAD", theirs)
    assert preview == git.MergePreview(("b.txt",), (), (".gitignore",), ("a.txt",))
    assert git.status_lines(folder) == []
    git.set_branch(folder, "stackpick", theirs, base)
    assert git.merge(folder, "stackpick", "update") == ["a.txt"]
    text = (folder / "a.txt").read_text()
    assert "<<<<<<<" in text and "ONE" in text and "uno" in text
    assert git.merge_in_progress(folder)
    assert (folder / "mine.txt").exists() and (folder / "b.txt").exists()


@pytest.mark.usefixtures("identity")
def test_set_branch_refuses_a_moved_branch(tmp_path: Path) -> None:
    folder = project(tmp_path)
    git.after_new(folder, "first")
    head = git.rev_parse(folder, "HEAD")
    assert head is not None
    with pytest.raises(git.GitError, match="update-ref"):
        git.set_branch(folder, "stackpick", head, "0" * 40)
