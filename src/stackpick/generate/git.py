"""Small typed wrappers over the ``git`` command (git does the merging; stackpick never does).

The pristine renders of a project (the template's output for its recorded answers,
without the team's edits) are commits on the ``stackpick`` branch, one per render;
the working branch merges them, so a 3-way merge finds the previous render as the
merge base, and a teammate's clone has it too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import StackpickError
from . import shield

#: The branch holding one commit per pristine render.
PRISTINE_BRANCH = "stackpick"
#: The identity commits are made with when git has none configured.
FALLBACK_NAME = "stackpick"
FALLBACK_EMAIL = "stackpick@localhost"

#: Where git writes objects meanwhile (``recorded.objects_elsewhere``); empty: the repository.
OBJECTS: dict[str, str] = {}


class GitError(StackpickError):
    """A git command failed (exit 1); the message names the command and git's last line."""


@dataclass(frozen=True)
class Result:
    """A finished git command."""

    returncode: int
    stdout: str
    stderr: str


def available() -> bool:
    """Whether a ``git`` executable is on PATH."""
    return shutil.which("git") is not None


def run(
    args: Sequence[str],
    cwd: Path,
    check: bool = True,
    env: Mapping[str, str] | None = None,
    identity: bool | None = False,
) -> Result:
    """Run ``git ARGS`` in ``cwd``; with ``check``, a failure is a ``GitError``.

    ``identity``: ``True`` commits with the fallback identity when git has none configured;
    ``None`` always with it (the caller knows there is none).
    """
    command = ["git"]
    if identity is None or (identity and not has_identity(cwd)):
        command += ["-c", f"user.name={FALLBACK_NAME}", "-c", f"user.email={FALLBACK_EMAIL}"]
    command += list(args)
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **OBJECTS, **(env or {})}
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            env=full_env,
            check=False,
            start_new_session=shield.active(),  # a session of its own: signals to ours spare it
        )
    except OSError as error:
        raise GitError(f"cannot run git ({error.strerror}); install git") from None
    if done.returncode in (-signal.SIGINT, -signal.SIGTERM):
        raise KeyboardInterrupt  # git was stopped with stackpick: an interrupt, not a failure
    result = Result(done.returncode, done.stdout, done.stderr)
    if check and done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip()).splitlines()
        verb = next((a for a in args if not a.startswith("-") and "=" not in a), args[0])
        raise GitError(f"git {verb} failed: {lines[-1] if lines else done.returncode}")
    return result


def has_identity(cwd: Path) -> bool:
    """Whether git knows who commits here (configuration or ``GIT_*``/``EMAIL`` variables)."""
    name, email = _identity_variables()
    if name and email:
        return True
    try:
        done = run(["config", "--get-regexp", r"^user\.(name|email)$"], cwd, check=False)
    except GitError:
        return False
    found = {line.split(" ", 1)[0] for line in done.stdout.splitlines() if " " in line}
    return bool((name or "user.name" in found) and (email or "user.email" in found))


def work_tree_top(path: Path) -> Path | None:
    """The top of the git work tree holding ``path`` (``None`` when it is in none)."""
    done = run(["rev-parse", "--show-toplevel"], path, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return Path(done.stdout.strip()).resolve()


def init(path: Path) -> None:
    """``git init`` (the user's default branch name applies)."""
    run(["init", "-q"], path)


class WorkTreeProbe:
    """Which git work tree holds a folder, asked early (``git rev-parse`` runs meanwhile).

    ``new`` starts one before rendering and reads it after: the answer cannot change in
    between, since a new project folder is never a repository of its own. Use it as a
    context manager, so that the process is reaped whatever happens.
    """

    def __init__(self, folder: Path) -> None:
        start = folder
        while not start.is_dir() and start != start.parent:
            start = start.parent
        self.process: subprocess.Popen[str] | None = None
        if not available():
            return
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            self.process = subprocess.Popen(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=start,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=env,
            )
        except OSError:
            self.process = None

    def top(self) -> Path | None:
        """The top of the work tree (``None``: in none, or git could not say)."""
        if self.process is None:
            return None
        out, _ = self.process.communicate()
        if self.process.returncode != 0 or not out.strip():
            return None
        return Path(out.strip()).resolve()

    def __enter__(self) -> WorkTreeProbe:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def after_new(project: Path, message: str, probe: WorkTreeProbe | None = None) -> tuple[str, ...]:
    """``new``'s git step: a repository with a first commit, unless git is missing (a note)
    or the project is inside a git work tree already (left alone, with a note).

    ``probe``: the work tree check of ``project``'s parent, started earlier (else asked now).
    """
    if not available():
        return (
            "git is not on PATH: the project is not a git repository (stackpick update "
            "needs one; install git, then git init, git add -A, git commit)",
        )
    if probe is None:
        with WorkTreeProbe(project.parent) as asked:
            top = asked.top()
    else:
        top = probe.top()
    if top is not None:
        return (f"the project is inside the git repository {top}: git left alone",)
    try:
        note = start_repository(project, message)
    except GitError as error:
        shutil.rmtree(project / ".git", ignore_errors=True)  # in new's staging folder: its own
        return (f"the project is written, but making it a git repository failed: {error}",)
    return (note,) if note else ()


def start_repository(path: Path, message: str) -> str:
    """Make ``path`` a repository with one first commit of its files, also on the
    ``stackpick`` branch (the first pristine render); return the note to print, if any.

    The commit takes the identity git is configured with (``user.useConfigOnly``: never
    one git guesses from the host name); only where there is none, the fallback one. A
    repository with one commit needs no maintenance, so the commit starts none.
    """
    init(path)
    add_all(path)
    commit_args = ["-c", "maintenance.auto=false", "commit", "-q", "--no-verify", "-m", message]
    configured = ["-c", "user.useConfigOnly=true", *commit_args]
    name, email = _identity_variables()  # git takes these over its configuration
    given = os.environ.get("EMAIL") or (name and email)
    done = run(commit_args if given else configured, path, check=False)
    fallback = done.returncode != 0 and _no_identity(done.stderr)
    if fallback:
        run(commit_args, path, identity=None)
    elif done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise GitError(f"git commit failed: {lines[-1] if lines else done.returncode}")
    run(["branch", PRISTINE_BRANCH], path)
    if not fallback:
        return ""
    return (
        f"no git identity is configured: the first commit is by {FALLBACK_NAME} "
        f"<{FALLBACK_EMAIL}> (set git config user.name and user.email)"
    )


def _identity_variables() -> tuple[str | None, str | None]:
    """The committer's name and email as the environment gives them (either may be missing)."""
    env = os.environ
    name = env.get("GIT_AUTHOR_NAME") and env.get("GIT_COMMITTER_NAME")
    email = (env.get("GIT_AUTHOR_EMAIL") and env.get("GIT_COMMITTER_EMAIL")) or env.get("EMAIL")
    return name, email


def _no_identity(stderr: str) -> bool:
    """Whether a failed commit's message says git has no identity to commit with."""
    return any(
        phrase in stderr
        for phrase in (
            "auto-detection is disabled",
            "Please tell me who you are",
            "empty ident name",
            "unable to auto-detect email address",
        )
    )


def add_all(path: Path) -> None:
    """``git add -A``, writing the new files' contents into one pack, not a file each.

    (``core.bigFileThreshold`` for this command only: a file above it streams into a
    pack, deflated as a loose object would be; later commands see ordinary objects. On
    a new project of a hundred files this is several times faster.)
    """
    run(["-c", "core.bigFileThreshold=1", "add", "-A"], path)


def commit(path: Path, message: str) -> str:
    """Commit what is staged; return the new commit."""
    run(["commit", "-q", "--no-verify", "-m", message], path, identity=True)
    return rev_parse(path, "HEAD") or ""


def rev_parse(path: Path, ref: str) -> str | None:
    """The commit ``ref`` names, ``None`` when there is none."""
    done = run(["rev-parse", "-q", "--verify", f"{ref}^{{commit}}"], path, check=False)
    return done.stdout.strip() or None if done.returncode == 0 else None


def is_ancestor(path: Path, ancestor: str, commit_id: str = "HEAD") -> bool:
    """Whether ``commit_id`` has ``ancestor`` in its history (was merged into it)."""
    return (
        run(["merge-base", "--is-ancestor", ancestor, commit_id], path, check=False).returncode == 0
    )


def _scratch() -> str | None:
    """stackpick's cache (for a temporary index or worktree), so nothing lands elsewhere."""
    from ..cache import cache_folder

    return cache_folder("tmp")


def tree_of(path: Path, commit_id: str) -> str:
    """The tree (the files) of a commit."""
    return run(["rev-parse", f"{commit_id}^{{tree}}"], path).stdout.strip()


def set_branch(path: Path, name: str, commit_id: str, old: str | None = None) -> None:
    """Point branch ``name`` at ``commit_id`` (only if it still points at ``old``)."""
    args = ["update-ref", "-m", "stackpick", f"refs/heads/{name}", commit_id]
    if old:
        args.append(old)
    run(args, path)


def status_lines(path: Path) -> list[str]:
    """``git status --porcelain`` lines (untracked files included, ignored ones not)."""
    return [line for line in run(["status", "--porcelain"], path).stdout.splitlines() if line]


def current_branch(path: Path) -> str | None:
    """The checked-out branch (``None`` on a detached ``HEAD``)."""
    done = run(["symbolic-ref", "-q", "--short", "HEAD"], path, check=False)
    return done.stdout.strip() or None


def merge_in_progress(path: Path) -> bool:
    return rev_parse(path, "MERGE_HEAD") is not None


def commit_tree(repo: Path, tree_folder: Path, parents: Sequence[str], message: str) -> str:
    """Commit the files of ``tree_folder`` (``.gitignore`` rules apply) into ``repo`` without
    touching its work tree, index or branches; return the commit."""
    git_dir = run(["rev-parse", "--absolute-git-dir"], repo).stdout.strip()
    with tempfile.TemporaryDirectory(dir=_scratch()) as tmp:
        env = {
            "GIT_DIR": git_dir,
            "GIT_WORK_TREE": str(tree_folder),
            "GIT_INDEX_FILE": str(Path(tmp) / "index"),
        }
        run(["add", "-A", "."], tree_folder, env=env)
        tree = run(["write-tree"], tree_folder, env=env).stdout.strip()
    args = ["commit-tree", tree, *(arg for p in parents for arg in ("-p", p)), "-m", message]
    return run(args, repo, identity=True).stdout.strip()


def head_tree_commit(repo: Path, parents: Sequence[str], message: str) -> str:
    """A commit of ``HEAD``'s files with ``parents`` (what ``git merge -s ours`` records)."""
    args = ["commit-tree", "HEAD^{tree}", *(a for p in parents for a in ("-p", p)), "-m", message]
    return run(args, repo, identity=True).stdout.strip()


def merge_ours(path: Path, ref: str, message: str) -> None:
    """Record ``ref`` as merged into the checked-out branch, keeping its files as they are."""
    run(
        [
            "merge",
            "-q",
            "-s",
            "ours",
            "--allow-unrelated-histories",
            "--no-verify",
            "-m",
            message,
            ref,
        ],
        path,
        identity=True,
    )


def merge(path: Path, ref: str, message: str) -> list[str]:
    """Merge ``ref`` into the checked-out branch; return the files left in conflict.

    Clean merges are committed; conflicts stay in the work tree with git's markers,
    finished as every git merge is (edit, ``git add``, ``git commit``).
    """
    done = run(
        ["merge", "--ff", "--no-edit", "--no-verify", "-m", message, ref],
        path,
        check=False,
        identity=True,
    )
    conflicts = unmerged(path)
    if done.returncode != 0 and not conflicts:
        lines = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise GitError(f"git merge failed: {lines[-1] if lines else done.returncode}")
    return conflicts


def unmerged(path: Path) -> list[str]:
    """Files with unresolved conflicts."""
    done = run(["diff", "--name-only", "--diff-filter=U", "-z"], path, check=False)
    return sorted(name for name in done.stdout.split("\0") if name)


@dataclass(frozen=True)
class MergePreview:
    """What merging would do to the files of ``HEAD``, computed without writing any."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    conflicting: tuple[str, ...]


def preview_merge(path: Path, ours: str, theirs: str) -> MergePreview:
    """The merge of ``theirs`` into ``ours`` (a commit whose files are ``HEAD``'s), computed
    without touching the work tree, index or branches: ``git merge-tree --write-tree`` (git
    2.38 or newer), else a merge in a temporary worktree that is removed afterwards."""
    done = run(
        ["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", ours, theirs],
        path,
        check=False,
    )
    if done.returncode not in (0, 1):
        return _preview_in_worktree(path, ours, theirs)
    parts = [p for p in done.stdout.split("\0") if p]
    return _preview(path, ours, parts[0].strip(), set(parts[1:]))


def _preview_in_worktree(path: Path, ours: str, theirs: str) -> MergePreview:
    """The merge done in a temporary, detached worktree (for a git without merge-tree's
    ``--write-tree``)."""
    with tempfile.TemporaryDirectory(dir=_scratch()) as tmp:
        folder = Path(tmp) / "merge"
        run(["worktree", "add", "-q", "--detach", str(folder), ours], path)
        try:
            run(["merge", "-q", "--no-commit", "--no-ff", theirs], folder, check=False)
            conflicting = set(unmerged(folder))
            run(["add", "-A"], folder)
            tree = run(["write-tree"], folder).stdout.strip()
        finally:
            run(["worktree", "remove", "--force", str(folder)], path, check=False)
            run(["worktree", "prune"], path, check=False)
    return _preview(path, ours, tree, conflicting)


def _preview(path: Path, ours: str, tree: str, conflicting: set[str]) -> MergePreview:
    diff = run(["diff-tree", "-r", "--name-status", "--no-renames", "-z", ours, tree], path)
    fields = [f for f in diff.stdout.split("\0") if f]
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    for status, name in zip(fields[::2], fields[1::2], strict=True):
        if name not in conflicting:
            {"A": added, "D": removed}.get(status[0], changed).append(name)
    return MergePreview(tuple(added), tuple(changed), tuple(removed), tuple(sorted(conflicting)))
