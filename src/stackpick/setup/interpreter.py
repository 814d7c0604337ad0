"""Finding the Python to build ``.venv`` from: exact minor version first, then the nearest newer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from .errors import SetupError


@dataclass(frozen=True)
class Interpreter:
    """A Python to build ``.venv`` from."""

    path: str
    version: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"Python {'.'.join(map(str, self.version))} ({self.path})"


def find_python(
    wanted: tuple[int, int],
    environ: Mapping[str, str],
    given: str | None = None,
    probe: Callable[[str], tuple[int, ...] | None] | None = None,
) -> tuple[Interpreter, str]:
    """The interpreter for ``wanted`` (exact minor version first, then the nearest newer).

    Returns it with a note for the user; raises ``SetupError`` when only older ones exist.
    """
    probe = probe or probe_version
    want = ".".join(map(str, wanted))
    if given is not None:
        version = probe(given)
        if version is None:
            raise BadInput(f"--python {given}: not a Python interpreter that runs")
        found = Interpreter(given, version)
        if version[:2] < wanted:
            raise SetupError(
                "venv",
                f"--python {given} is {dotted(version)}; the project "
                f"needs Python {want} or newer (python_version)",
            )
        return found, _version_note(found, wanted)
    older: list[Interpreter] = []
    for candidate in python_candidates(wanted, environ):
        version = candidate.version if len(candidate.version) > 1 else probe(candidate.path)
        if version is None:
            continue
        found = Interpreter(candidate.path, version)
        if version[:2] >= wanted:
            return found, _version_note(found, wanted)
        older.append(found)
    seen = "; found only " + ", ".join(i.label for i in older) if older else ""
    raise SetupError(
        "venv",
        f"no Python {want} or newer found (python{want} on PATH, in pyenv or --python PATH)"
        f"{seen}; install Python {want} or give --python PATH",
    )


def dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def _version_note(found: Interpreter, wanted: tuple[int, int]) -> str:
    if found.version[:2] == wanted:
        return found.label
    return f"{found.label}, newer than the project's {dotted(wanted)}: accepted"


def python_candidates(wanted: tuple[int, int], environ: Mapping[str, str]) -> Iterator[Interpreter]:
    """Interpreters to try, best first: ``pythonX.Y`` for the wanted and newer minors
    (on ``PATH``, then pyenv's versions), then ``python3`` and stackpick's own Python.

    A one-element ``version`` means "not known yet" (to be probed).
    """
    major, minor = wanted
    here = (sys.version_info[0], sys.version_info[1], sys.version_info[2])
    for m in range(minor, minor + 12):
        name = f"python{major}.{m}"
        for path in _on_path(name, environ):
            yield Interpreter(path, (major, m))
        if here[:2] == (major, m):
            yield Interpreter(sys.executable, here)
        yield from _pyenv_versions(major, m, environ)
    for path in _on_path("python3", environ):
        yield Interpreter(path, (0,))
    yield Interpreter(sys.executable, here)
    for m in range(minor - 1, max(minor - 10, -1), -1):
        yield from (Interpreter(p, (major, m)) for p in _on_path(f"python{major}.{m}", environ))
        yield from _pyenv_versions(major, m, environ)


def _on_path(name: str, environ: Mapping[str, str]) -> Iterator[str]:
    """Executables called ``name`` on ``PATH`` (pyenv shims left out: pyenv is read directly)."""
    for folder in environ.get("PATH", "").split(os.pathsep):
        if not folder or Path(folder).name == "shims":
            continue
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            yield path


def _pyenv_versions(major: int, minor: int, environ: Mapping[str, str]) -> Iterator[Interpreter]:
    """pyenv's installed CPython ``major.minor.*``, newest patch first."""
    root = Path(environ.get("PYENV_ROOT") or Path(environ.get("HOME", "~")) / ".pyenv")
    versions = root.expanduser() / "versions"
    if not versions.is_dir():
        return
    found = []
    for entry in versions.glob(f"{major}.{minor}*"):
        match = re.fullmatch(rf"{major}\.{minor}(?:\.(\d+))?", entry.name)
        exe = entry / "bin" / f"python{major}.{minor}"
        if match and exe.is_file():
            found.append(((major, minor, int(match[1] or 0)), str(exe)))
    for version, path in sorted(found, reverse=True):
        yield Interpreter(path, version)


def probe_version(path: str) -> tuple[int, ...] | None:
    """The version of the Python at ``path``, or ``None`` when it does not run."""
    code = "import sys; print(*sys.version_info[:3])"
    try:
        done = subprocess.run(
            [path, "-c", code], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = done.stdout.split()
    if done.returncode != 0 or len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def venv_python_version(venv: Path) -> tuple[int, ...] | None:
    """The Python version of an existing, usable ``venv`` (from ``pyvenv.cfg``), else ``None``."""
    config = venv / "pyvenv.cfg"
    if not (venv / "bin" / "python").exists() or not config.is_file():
        return None
    for line in config.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            numbers = re.findall(r"\d+", value)
            if len(numbers) >= 2:
                return tuple(int(n) for n in numbers[:3])
    return None
