"""``update``'s git changes as one step: as before or as after, whatever stops stackpick.

While ``applying``, SIGINT and SIGTERM are held back and delivered once the changes are
done (exit 130, the update complete), and git runs in a session of its own, so a signal
to the process group cannot stop it halfway. What is to change is written first to a
journal in the git folder; a SIGKILL between git commands leaves it, and ``recover``
(the next ``update``) puts the repository back as it was before, or, if the update was
complete, only removes the journal.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..errors import BadInput, InterruptedAfter
from ..interrupt import interrupts_deferred
from . import git
from .shield import shielded

JOURNAL = "stackpick-update.json"


class Before(NamedTuple):
    """The refs an update moves, as they were, and the render it merges."""

    branch: str
    head: str
    pristine: str | None
    theirs: str


def _path(project: Path) -> Path:
    return Path(git.run(["rev-parse", "--absolute-git-dir"], project).stdout.strip()) / JOURNAL


@contextlib.contextmanager
def applying(project: Path, theirs: str) -> Iterator[None]:
    """Make the update's changes with signals held back and a journal to undo them by."""
    branch = git.run(["symbolic-ref", "-q", "HEAD"], project, check=False).stdout.strip()
    branch = branch or "HEAD"  # a detached HEAD moves itself
    head = git.rev_parse(project, "HEAD")
    assert head is not None  # check_repository refused a repository without a commit
    before = Before(branch, head, git.rev_parse(project, git.PRISTINE_BRANCH), theirs)
    path = _path(project)
    caught: list[int] = []
    with interrupts_deferred(caught), shielded():
        partial = path.with_suffix(".new")
        partial.write_text(json.dumps(before._asdict()), encoding="utf-8")
        os.replace(partial, path)
        try:
            yield
        finally:
            path.unlink(missing_ok=True)
    if caught:
        raise InterruptedAfter(
            "interrupted; the update was finished first (git log and git status show it)"
        )


def recover(project: Path) -> str | None:
    """Put back an update that a SIGKILL stopped between git commands; return a note.

    The update began in a clean work tree, and each git command it ran finished (they run
    shielded), so the files are those of ``HEAD``: the refs alone are put back.
    """
    try:
        path = _path(project)
        before = Before(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, git.GitError):
        return None
    if git.merge_in_progress(project):
        path.unlink(missing_ok=True)  # the merge ran to its end, with conflicts: an after
        return None
    now = git.rev_parse(project, before.branch) or ""
    pristine = git.rev_parse(project, git.PRISTINE_BRANCH)
    if pristine == before.theirs and git.is_ancestor(project, before.theirs, now):
        path.unlink(missing_ok=True)
        return "the previous update was stopped once complete; nothing to repair"
    if git.status_lines(project):
        raise BadInput(
            f"a previous update of {project} was stopped midway, and the work tree has changes "
            f"since; commit or stash them, then run update again (it repairs the rest)"
        )
    first_parent = git.rev_parse(project, f"{now}^1") if now != before.head else before.head
    if first_parent != before.head or git.tree_of(project, now) != git.tree_of(
        project, before.head
    ):
        path.unlink(missing_ok=True)  # work was committed since: it stays as it is
        return None
    git.run(["update-ref", "-m", "stackpick: put back", before.branch, before.head], project)
    if before.pristine is None:
        git.run(["update-ref", "-d", f"refs/heads/{git.PRISTINE_BRANCH}"], project, check=False)
    else:
        git.set_branch(project, git.PRISTINE_BRANCH, before.pristine)
    path.unlink(missing_ok=True)
    return "a previous update was stopped midway (killed); the repository is back as before it"
