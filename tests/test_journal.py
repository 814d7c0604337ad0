"""``update`` stopped at every git call: the repository is as before or as after.

A ``git`` wrapper on ``PATH`` pauses at call K; the test signals ``stackpick``'s process
group there (SIGTERM, as a CI runner's cancel does, or SIGKILL), lets git go on, and
compares the repository with its states before and after an uninterrupted update.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from git_pause import PausingGit
from stackpick.errors import BadInput
from stackpick.generate import journal

CHANGE = ("--set", "auth=yes")


def git(project: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0 or not check, done.stderr
    return done.stdout.strip() if done.returncode == 0 else ""


def state(project: Path) -> dict[str, Any]:
    """What an update changes: the branch's and the render branch's files, the work tree."""
    return {
        "head": git(project, "rev-parse", "HEAD^{tree}"),
        "pristine": git(project, "rev-parse", "-q", "--verify", "stackpick^{tree}", check=False),
        "merging": (project / ".git" / "MERGE_HEAD").exists(),
        "status": git(project, "status", "--porcelain"),
        "files": {
            p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted(project.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(project).parts
        },
        "journal": (project / ".git" / journal.JOURNAL).exists(),
    }


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("made")
    process = PausingGit(root / "wrapper").start(
        "new", "--no-input", "--json", "-o", str(root / "out"), "--set", "framework=flask"
    )
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return Path(json.loads(stdout)["path"])


def copy(made: Path, to: Path) -> Path:
    shutil.copytree(made, to, symlinks=True)
    return to


def run_update(wrapper: PausingGit, project: Path) -> subprocess.Popen[bytes]:
    return wrapper.start("update", "--no-input", "--project", str(project), *CHANGE)


@pytest.fixture(scope="module")
def states(
    made: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, Any], int]:
    """The states before and after an uninterrupted update, and how many git calls it makes."""
    root = tmp_path_factory.mktemp("states")
    wrapper = PausingGit(root / "wrapper")
    project = copy(made, root / "project")
    before = state(project)
    process = run_update(wrapper, project)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    after = state(project)
    assert after["files"] != before["files"] and after["status"] == ""
    return before, after, wrapper.calls


@pytest.mark.slow
def test_sigterm_at_every_git_call_leaves_the_repository_as_before_or_after(
    made: Path, states: tuple[dict[str, Any], dict[str, Any], int], tmp_path: Path
) -> None:
    before, after, calls = states
    wrapper = PausingGit(tmp_path / "wrapper")
    outcomes = []
    for call in range(1, calls + 1):
        project = copy(made, tmp_path / f"term{call}")
        wrapper.reset(call)
        code, stderr = wrapper.stop(run_update(wrapper, project), signal.SIGTERM)
        now = state(project)
        assert now in (before, after), (call, stderr)
        assert code == 130, (call, code, stderr)
        assert "Traceback" not in stderr
        outcomes.append("before" if now == before else "after")
    assert "before" in outcomes and "after" in outcomes, outcomes


@pytest.mark.slow
def test_sigkill_at_every_git_call_is_repaired_by_the_next_update(
    made: Path, states: tuple[dict[str, Any], dict[str, Any], int], tmp_path: Path
) -> None:
    before, after, calls = states
    wrapper = PausingGit(tmp_path / "wrapper")
    for call in range(1, calls + 1):
        project = copy(made, tmp_path / f"kill{call}")
        wrapper.reset(call)
        code, stderr = wrapper.stop(run_update(wrapper, project), signal.SIGKILL)
        assert code == -signal.SIGKILL
        killed = state(project)
        assert killed["journal"] or killed in (before, after), call  # known, or detectable
        wrapper.reset(0)
        again = run_update(wrapper, project)
        _, stderr = again.communicate(timeout=120)
        assert again.returncode == 0, (call, stderr)
        assert state(project) == after, call


def killed_between_commands(made: Path, to: Path) -> tuple[Path, journal.Before, str]:
    """A project as an update that adopts the render branch leaves it when killed after
    recording the branch as merged (``git merge -s ours``) and before merging the new render:
    refs moved, files untouched, journal kept."""
    project = copy(made, to)
    branch = git(project, "symbolic-ref", "HEAD")
    head, pristine = git(project, "rev-parse", "HEAD"), git(project, "rev-parse", "stackpick")
    base = git(project, "commit-tree", "HEAD^{tree}", "-m", "the recorded answers, rendered")
    theirs = git(project, "commit-tree", "HEAD^{tree}", "-p", base, "-m", "the new render")
    before = journal.Before(branch, head, pristine, theirs)
    (project / ".git" / journal.JOURNAL).write_text(json.dumps(before._asdict()))
    git(project, "update-ref", "refs/heads/stackpick", base)
    merged = git(project, "commit-tree", "HEAD^{tree}", "-p", head, "-p", base, "-m", "adopt")
    git(project, "update-ref", branch, merged)
    return project, before, merged


def test_recover_puts_moved_refs_back(made: Path, tmp_path: Path) -> None:
    project, before, _ = killed_between_commands(made, tmp_path / "p")
    note = journal.recover(project)
    assert note is not None and "back as before" in note
    assert git(project, "rev-parse", "HEAD") == before.head
    assert git(project, "rev-parse", "stackpick") == before.pristine
    assert git(project, "status", "--porcelain") == ""
    assert not (project / ".git" / journal.JOURNAL).exists()


def test_recover_keeps_what_was_committed_since(made: Path, tmp_path: Path) -> None:
    project, _, merged = killed_between_commands(made, tmp_path / "p")
    (project / "mine.txt").write_text("mine")
    git(project, "add", "mine.txt")
    git(project, "-c", "user.name=T", "-c", "user.email=t@e.x", "commit", "-qm", "mine")
    mine = git(project, "rev-parse", "HEAD")
    assert journal.recover(project) is None
    assert git(project, "rev-parse", "HEAD") == mine
    assert git(project, "rev-parse", "HEAD^") == merged
    assert not (project / ".git" / journal.JOURNAL).exists()


def test_recover_asks_for_a_clean_work_tree_first(made: Path, tmp_path: Path) -> None:
    project, _, merged = killed_between_commands(made, tmp_path / "p")
    (project / "README.md").write_text("edited after the kill")
    with pytest.raises(BadInput, match="stopped midway"):
        journal.recover(project)
    assert git(project, "rev-parse", "HEAD") == merged  # nothing touched
    assert (project / ".git" / journal.JOURNAL).exists()


def test_an_update_on_a_detached_head_is_journaled_too(made: Path, tmp_path: Path) -> None:
    project = copy(made, tmp_path / "p")
    git(project, "checkout", "-q", "--detach")
    process = run_update(PausingGit(tmp_path / "wrapper"), project)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-parse", "stackpick") == git(project, "rev-parse", "HEAD")
    assert not (project / ".git" / journal.JOURNAL).exists()
