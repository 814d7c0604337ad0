"""What a project recorded, read for ``update`` and ``check``: its ``.stackpick.toml`` in
whichever format an earlier stackpick wrote it, the template variables it keeps for life,
and what changed between two of its renders (read from git, written nowhere)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BadInput
from .generate import git

if TYPE_CHECKING:
    from .answers.file import AnswersFile
    from .generate.project_files import ProjectRecord

#: Files whose change means the project's environment must be installed again.
DEPENDENCY_FILES = ("pyproject.toml", "requirements.txt", "uv.lock", "poetry.lock")


def read_recorded(project: Path) -> tuple[AnswersFile, ProjectRecord]:
    """The project's ``.stackpick.toml``: answers, templates, and its ``[stackpick]`` table in
    any format (``made_with`` filled in for format 0); exit 2 when missing or bad."""
    from ._toml import loads
    from .answers.file import read_answers_file
    from .generate.project_files import ANSWERS_FILE, read_record

    path = project / ANSWERS_FILE
    if not project.is_dir():
        raise BadInput(f"{project} does not exist (or is not a folder); check --project DIR")
    if not path.is_file():
        raise BadInput(
            f"no {ANSWERS_FILE} in {project}: update works in a project made by stackpick new; "
            "run it there or give --project DIR"
        )
    recorded = read_answers_file(path)
    try:
        record = read_record(loads(path.read_text(encoding="utf-8")))
    except ValueError as error:
        raise BadInput(f"{path}: {error}") from None
    framework = record.framework or _framework_of_files(project)
    if framework not in ("flask", "django") or recorded.made_with not in (None, framework):
        raise BadInput(
            f'{path}: [stackpick] has no framework = "flask" or "django"; '
            "restore the file from git (git checkout -- .stackpick.toml)"
        )
    return recorded._replace(made_with=framework), record


def _framework_of_files(project: Path) -> str | None:
    """A format 0 project's framework, when its answer was ``auto``: Django's projects have
    ``manage.py`` at the top (in the previous render, else in ``HEAD``)."""
    if not (project / ".git").exists():
        return None
    for ref in (git.PRISTINE_BRANCH, "HEAD"):
        if git.rev_parse(project, ref) is not None:
            done = git.run(["cat-file", "-e", f"{ref}:manage.py"], project, check=False)
            return "django" if done.returncode == 0 else "flask"
    return None


def kept_values(
    record: ProjectRecord, keep: object, project: Path, previous: str | None
) -> dict[str, str]:
    """The template's kept variables for this project: as recorded (format 2), else, for a
    project an earlier stackpick made, the value whose released file's digest matches the
    previous render's (``keep``: the template's ``__stackpick.keep``, with ``file`` and
    ``digests`` for each variable)."""
    if record.format >= 2 or not isinstance(keep, Mapping) or previous is None:
        return dict(record.kept)
    found: dict[str, str] = {}
    for name, how in keep.items():
        if isinstance(how, Mapping) and isinstance(how.get("digests"), Mapping):
            data = _file_bytes(project, previous, str(how.get("file", "")))
            value = how["digests"].get(hashlib.sha256(data).hexdigest()) if data else None
            if isinstance(value, str):
                found[str(name)] = value
    return found


def _file_bytes(project: Path, ref: str, name: str) -> bytes | None:
    """The bytes of file ``name`` in commit ``ref`` (``None`` when it has none)."""
    done = subprocess.run(
        ["git", "cat-file", "blob", f"{ref}:{name}"],
        cwd=project,
        capture_output=True,
        env={**os.environ, **git.OBJECTS},
        check=False,
    )
    return done.stdout if done.returncode == 0 else None


def setup_needed(project: Path, old: str, new: str) -> tuple[str, ...]:
    """What changed between two renders that ``stackpick setup`` must act on."""
    done = git.run(["diff-tree", "-r", "--name-only", "--no-renames", "-z", old, new], project)
    names = [name for name in done.stdout.split("\0") if name]
    reasons = []
    if any(name.rsplit("/", 1)[-1] in DEPENDENCY_FILES for name in names):
        reasons.append("dependencies changed")
    if any("/migrations/" in f"/{name}" for name in names):
        reasons.append("migrations changed")
    return tuple(reasons)


@contextlib.contextmanager
def objects_elsewhere(repo: Path) -> Iterator[None]:
    """Git objects written meanwhile (renders committed, merges previewed) go to a temporary
    folder, removed afterwards: the repository reads as before and gains nothing."""
    from .cache import cache_folder

    objects = git.run(["rev-parse", "--path-format=absolute", "--git-path", "objects"], repo)
    with tempfile.TemporaryDirectory(dir=cache_folder("tmp")) as tmp:
        git.OBJECTS.update(
            GIT_OBJECT_DIRECTORY=tmp, GIT_ALTERNATE_OBJECT_DIRECTORIES=objects.stdout.strip()
        )
        try:
            yield
        finally:
            git.OBJECTS.clear()


def previous_render(project: Path) -> str | None:
    """The project's last pristine render (its ``stackpick`` branch, a clone's
    ``origin/stackpick``), else ``HEAD``."""
    for ref in (git.PRISTINE_BRANCH, f"refs/remotes/origin/{git.PRISTINE_BRANCH}", "HEAD"):
        commit = git.rev_parse(project, ref)
        if commit is not None:
            return commit
    return None
