"""The plan: what ``.stackpick.toml`` declares, and every step in order with its input key.

A step's key is chained from its own inputs and the key of the step before it, so a
changed ``pyproject.toml`` re-installs and runs every later step again.
"""

from __future__ import annotations

import hashlib
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from .errors import NotAProject
from .installer import Installer
from .interpreter import Interpreter, dotted

VENV = ".venv"
#: Steps that are skipped whenever their inputs are unchanged (the others only on a resume).
LASTING_STEPS = ("venv", "install")


@dataclass(frozen=True)
class ProjectSpec:
    """What ``.stackpick.toml`` and ``pyproject.toml`` say about setting the project up."""

    root: Path
    python_version: tuple[int, int]
    steps: tuple[tuple[str, str], ...]
    run: str = ""
    admin: str = ""
    pyproject: str = ""
    #: Steps no later step depends on (``setup_independent``): the next one runs alongside.
    independent: frozenset[str] = frozenset()


def read_project(root: Path) -> ProjectSpec:
    """Read the project's setup declaration; ``NotAProject`` when it has none."""
    from .._toml import TOMLDecodeError, loads

    root = root.expanduser().absolute()
    marker = root / ".stackpick.toml"
    if not marker.is_file():
        raise NotAProject(
            f"{root} is not a stackpick project (no .stackpick.toml); "
            "give its folder with --project DIR"
        )
    try:
        document = loads(marker.read_text(encoding="utf-8"))
    except (TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadInput(f"{marker}: not valid TOML: {error}") from error
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise NotAProject(f"{root} has no pyproject.toml: nothing to install")
    answers = document.get("answers", {})
    project = document.get("project", {})
    if not isinstance(answers, dict) or not isinstance(project, dict):
        raise BadInput(f"{marker}: [answers] and [project] must be tables")
    steps = _declared_steps(project.get("setup"), marker)
    if steps is None:
        has_tests = (root / "tests").is_dir() or (root / "test").is_dir()
        steps = (("test", "python -m pytest"),) if has_tests else ()
    independent = project.get("setup_independent", [])
    if not isinstance(independent, list) or not all(isinstance(n, str) for n in independent):
        raise BadInput(f"{marker}: project.setup_independent must be a list of step names")
    return ProjectSpec(
        root=root,
        python_version=parse_version(answers.get("python_version"), marker),
        steps=steps,
        independent=frozenset(independent),
        run=str(project.get("run", "")),
        admin=str(project.get("admin", "")),
        pyproject=pyproject.read_text(encoding="utf-8"),
    )


def _declared_steps(table: object, marker: Path) -> tuple[tuple[str, str], ...] | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise BadInput(f"{marker}: [project.setup] must be a table of commands")
    steps = []
    for name, command in table.items():
        if not isinstance(command, str):
            raise BadInput(f"{marker}: project.setup.{name} must be a command line (a string)")
        if name in LASTING_STEPS:
            raise BadInput(f"{marker}: project.setup.{name}: '{name}' is stackpick's own step")
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise BadInput(f"{marker}: project.setup.{name}: {error}") from error
        if words:
            steps.append((str(name), command))
    return tuple(steps)


def parse_version(value: object, where: Path | str = ".stackpick.toml") -> tuple[int, int]:
    """``"3.11"`` as ``(3, 11)``; the running Python's version when the project gives none."""
    if value is None or value == "":
        return sys.version_info[0], sys.version_info[1]
    match = re.fullmatch(r"\s*(\d+)\.(\d+)(?:\.\d+)?\s*", str(value))
    if not match:
        raise BadInput(f"{where}: python_version = {value!r} is not a version like 3.12")
    return int(match[1]), int(match[2])


@dataclass(frozen=True)
class Step:
    """One step: the command it runs (none when there is nothing to do) and its input key."""

    name: str
    argv: tuple[str, ...]
    key: str
    detail: str
    replace_venv: bool = False
    #: No later step needs this one: the next step runs alongside it.
    independent: bool = False

    @property
    def command(self) -> str:
        return shlex.join(self.argv)


def chain_key(previous: str, name: str, inputs: str) -> str:
    """A step's key: its own inputs and the key of the step before it."""
    return hashlib.sha256("\0".join((previous, name, inputs)).encode()).hexdigest()[:16]


def plan(
    spec: ProjectSpec,
    kept: tuple[int, ...] | None,
    interpreter: tuple[Interpreter, str] | None,
    installer: Installer,
    uv: str | None,
    how: str = "",
    database_url: str = "",
) -> list[Step]:
    """Every step in order: ``venv``, ``install``, then the project's own steps.

    ``kept`` is the version of a ``.venv`` to keep; otherwise ``interpreter`` (with what to
    say about it) builds a new one, replacing any ``.venv`` there.
    """
    venv = spec.root / VENV
    python = str(venv / "bin" / "python")
    if kept is not None:
        key = chain_key("", "venv", dotted(kept[:2]))
        steps = [Step("venv", (), key, f"Python {dotted(kept)} in {VENV} (kept)")]
    else:
        assert interpreter is not None
        found, note = interpreter
        if installer == "uv":
            assert uv is not None
            argv: tuple[str, ...] = (uv, "venv", "--quiet", "--python", found.path, VENV)
        else:
            argv = (found.path, "-m", "venv", VENV)
        key = chain_key("", "venv", dotted(found.version[:2]))
        replace = venv.exists() or venv.is_symlink()
        if replace:
            note += f"; replaces the {VENV} there"
        steps = [Step("venv", argv, key, note, replace_venv=replace)]
    target = "-e", ".[dev]"
    if installer == "uv":
        assert uv is not None
        install: tuple[str, ...] = (uv, "pip", "install", "--python", python)
        install += target
    else:
        install = (python, "-m", "pip", "install", "--progress-bar", "off", *target)
    key = chain_key(key, "install", spec.pyproject)
    steps.append(Step("install", install, key, how))
    for index, (name, command) in enumerate(spec.steps):  # another database runs them again
        key = chain_key(key, name, f"{command}\0{database_url}")
        has_next = index + 1 < len(spec.steps)
        independent = has_next and name in spec.independent
        steps.append(Step(name, tuple(shlex.split(command)), key, command, independent=independent))
    return steps
