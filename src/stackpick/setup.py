"""``stackpick setup``: from a generated project to a ``.venv`` with green tests.

A pipeline of small steps: read the project (``.stackpick.toml``), find its Python,
choose the installer (uv or pip), plan the steps, then run them one by one, each as a
child process in its own process group. Completed steps are recorded in
``.venv/.stackpick-setup.json`` under a key chained from their inputs, so a run after a
failure starts again at the failed step, and a changed ``pyproject.toml`` re-installs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Literal, Protocol

from .errors import BadInput, StackpickError

VENV = ".venv"
STATE_FILE = ".stackpick-setup.json"
TAIL_LINES = 15
Installer = Literal["uv", "pip"]
InstallerChoice = Literal["auto", "uv", "pip"]
Outcome = Literal["ok", "skipped", "failed", "interrupted"]
#: Steps that are skipped whenever their inputs are unchanged (the others only on a resume).
LASTING_STEPS = ("venv", "install")


# --- errors ----------------------------------------------------------------------


class NotAProject(BadInput):
    """The folder is not a project stackpick generated (exit 2)."""


class SetupFailed(StackpickError):
    """A step failed (exit 1); ``result`` holds every step so far."""

    def __init__(self, result: SetupResult, *messages: str) -> None:
        super().__init__(*messages)
        self.result = result


class SetupInterrupted(SetupFailed):
    """Ctrl-C: the running step was stopped and not recorded (exit 130)."""

    exit_code = 130


# --- the project -----------------------------------------------------------------


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
    from ._toml import TOMLDecodeError, loads

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


# --- the interpreter ---------------------------------------------------------------


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
                f"--python {given} is {_dotted(version)}; the project "
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


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def _version_note(found: Interpreter, wanted: tuple[int, int]) -> str:
    if found.version[:2] == wanted:
        return found.label
    return f"{found.label}, newer than the project's {_dotted(wanted)}: accepted"


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


# --- the installer ---------------------------------------------------------------


def find_uv(environ: Mapping[str, str]) -> str | None:
    """uv on ``PATH``, or the binary of the ``uv`` package (``stackpick[uv]``)."""
    path = shutil.which("uv", path=environ.get("PATH"))
    if path:
        return path
    try:
        from uv import find_uv_bin
    except ImportError:
        return None
    try:
        return str(find_uv_bin())
    except (FileNotFoundError, OSError):
        return None


def choose_installer(
    choice: InstallerChoice, environ: Mapping[str, str]
) -> tuple[Installer, str | None]:
    """uv when asked for or available (``auto``), else pip; with uv's path."""
    if choice == "pip":
        return "pip", None
    uv = find_uv(environ)
    if uv is None and choice == "uv":
        raise BadInput(
            "--installer uv: uv is not on PATH nor installed with stackpick "
            "(pip install 'stackpick[uv]')"
        )
    return ("uv", uv) if uv else ("pip", None)


def installer_note(installer: Installer, uv: str | None, choice: InstallerChoice) -> str:
    """Which installer, and why."""
    if installer == "uv":
        return f"uv ({uv})"
    if choice == "pip":
        return "pip (--installer pip)"
    return "pip (uv not found: pip install 'stackpick[uv]' installs faster)"


# --- the plan --------------------------------------------------------------------


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
        key = chain_key("", "venv", _dotted(kept[:2]))
        steps = [Step("venv", (), key, f"Python {_dotted(kept)} in {VENV} (kept)")]
    else:
        assert interpreter is not None
        found, note = interpreter
        if installer == "uv":
            assert uv is not None
            argv: tuple[str, ...] = (uv, "venv", "--quiet", "--python", found.path, VENV)
        else:
            argv = (found.path, "-m", "venv", VENV)
        key = chain_key("", "venv", _dotted(found.version[:2]))
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


# --- state -----------------------------------------------------------------------


@dataclass
class State:
    """Completed steps (name to key) and whether the last run completed them all."""

    done: dict[str, str] = field(default_factory=dict)
    complete: bool = False

    def fresh_run(self) -> State:
        """After a complete run, only the lasting steps stay done; after a failure, all."""
        if not self.complete:
            return State(dict(self.done), False)
        return State({k: v for k, v in self.done.items() if k in LASTING_STEPS}, False)


def load_state(venv: Path) -> State:
    try:
        data = json.loads((venv / STATE_FILE).read_text(encoding="utf-8"))
        done = {str(k): str(v) for k, v in data["done"].items()}
        return State(done, bool(data.get("complete", False)))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return State()


def save_state(venv: Path, state: State) -> None:
    if not venv.is_dir():
        return
    path = venv / STATE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps({"done": state.done, "complete": state.complete}, indent=1), encoding="utf-8"
    )
    temporary.replace(path)


# --- running ---------------------------------------------------------------------


@dataclass(frozen=True)
class Completed:
    returncode: int
    output: str


Runner = Callable[[Sequence[str], Path, Mapping[str, str]], Completed]


def run_command(argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
    """Run ``argv`` in its own process group, output captured; Ctrl-C kills the whole group."""
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as error:
        return Completed(127, f"cannot run {argv[0]}: {error.strerror or error}")
    with _RUNNING_LOCK:
        _RUNNING.add(process)
    try:
        output, _ = process.communicate()
    except BaseException:
        stop_group(process)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
    return Completed(process.returncode, output.decode("utf-8", errors="replace"))


#: The steps' processes while they run (a step in the background is stopped from here).
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()


def stop_running() -> None:
    """Stop every step's process group still running (Ctrl-C, a failed step beside it)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Terminate the child's process group, then kill what is left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # children that outlived the leader
        return


def step_environment(environ: Mapping[str, str], venv: Path) -> dict[str, str]:
    """The environment of every step: ``.venv/bin`` first on ``PATH``, ``VIRTUAL_ENV`` set."""
    env = {k: v for k, v in environ.items() if k not in ("PYTHONHOME", "__PYVENV_LAUNCHER__")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), environ.get("PATH", os.defpath)])
    env["VIRTUAL_ENV"] = str(venv)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    # Where imports may not write bytecode, the steps write it into .venv/pycache: each
    # module compiles once (the steps import the same ones) and the project stays clean.
    if env.get("PYTHONDONTWRITEBYTECODE") and not env.get("PYTHONPYCACHEPREFIX"):
        del env["PYTHONDONTWRITEBYTECODE"]
        env["PYTHONPYCACHEPREFIX"] = str(venv / "pycache")
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    return env


# --- results and reporting -------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    name: str
    command: str
    outcome: Outcome
    seconds: float
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": self.command,
            "outcome": self.outcome,
            "seconds": round(self.seconds, 3),
            "detail": self.detail,
        }


@dataclass
class SetupResult:
    """What ``setup`` did: each step with its time and outcome, and what to run next."""

    project: Path
    installer: str
    steps: list[StepResult] = field(default_factory=list)
    run: str = ""
    admin: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(s.outcome in ("ok", "skipped") for s in self.steps)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": str(self.project),
            "installer": self.installer,
            "seconds": round(self.seconds, 3),
            "steps": [s.to_json() for s in self.steps],
            "run": self.run,
            "admin": self.admin,
            "error": self.error,
        }


class Reporter(Protocol):
    """Where progress goes: a line per step; ``QuietReporter`` for ``--json``."""

    def started(self, step: Step, index: int, total: int) -> None: ...

    def finished(self, result: StepResult, index: int, total: int) -> None: ...

    def note(self, text: str) -> None: ...


class QuietReporter:
    def started(self, step: Step, index: int, total: int) -> None:
        pass

    def finished(self, result: StepResult, index: int, total: int) -> None:
        pass

    def note(self, text: str) -> None:
        pass


class LineReporter:
    """One line per step with its time; on a terminal the line shows while the step runs."""

    def __init__(self, write: Callable[[str], None], live: bool = False) -> None:
        self.write = write
        self.live = live

    def started(self, step: Step, index: int, total: int) -> None:
        if self.live:  # cut to the terminal's width, so that "\r" clears all of it
            width = shutil.get_terminal_size().columns - 1
            self.write(f"[{index}/{total}] {step.name:<12} ...  {step.detail}"[:width])

    def finished(self, result: StepResult, index: int, total: int) -> None:
        if self.live:
            self.write("\r\033[K")
        seconds = "  (done)" if result.outcome == "skipped" else f"{result.seconds:6.2f} s"
        mark = {"failed": "FAILED  ", "interrupted": "STOPPED  "}.get(result.outcome, "")
        self.write(f"[{index}/{total}] {result.name:<12} {seconds}  {mark}{result.detail}\n")

    def note(self, text: str) -> None:
        self.write(text + "\n")


def terminal_reporter(quiet: bool = False) -> Reporter:
    """Progress on stdout (``setup``, ``new --setup``); nothing when ``quiet`` (``--json``)."""
    if quiet:
        return QuietReporter()
    import click

    return LineReporter(lambda text: click.echo(text, nl=False), live=sys.stdout.isatty())


# --- failures --------------------------------------------------------------------


class SetupError(Exception):
    """Raised inside the pipeline before a step runs (turned into ``SetupFailed``)."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step
        self.message = message


NETWORK_SIGNS = (
    "failed to establish a new connection",
    "newconnectionerror",
    "temporary failure in name resolution",
    "name or service not known",
    "network is unreachable",
    "connection refused",
    "connecterror",
    "proxyerror",
    "max retries exceeded",
    "error sending request for url",
    "dns error",
    "failed to fetch",
    "tcp connect error",
    "could not connect to",
    "operation timed out",
    "read timed out",
)
NO_INDEX_SIGNS = (
    "(from versions: none)",
    "was not found in the package registry",
    "was not found in the cache",
    "no index to search",
    "because you require offline",
    "--no-index",
)
#: libpq's words (psycopg 2 and 3, Django and SQLAlchemy alike) for a server it cannot reach.
DATABASE_SIGNS = (
    "failed: connection refused",
    "could not connect to server",
    "could not translate host name",
    "failed: timeout expired",
    "failed: connection timed out",
    "failed: no route to host",
    "failed: network is unreachable",
)


def install_problem(output: str) -> str | None:
    """One line saying the packages cannot be downloaded, when the output shows that."""
    text = output.lower()
    if any(sign in text for sign in NETWORK_SIGNS):
        return "cannot reach the package index: no network? (pip/uv could not connect)"
    if any(sign in text for sign in NO_INDEX_SIGNS):
        missing = re.search(r"(?:requirement|distribution found for) ([^\s(]+)", output)
        what = f" (not even {missing[1]})" if missing else ""
        return f"no package index to install from{what}: no network or no index?"
    return None


def database_problem(output: str, database_url: str | None, source: str = ".env") -> str | None:
    """One line saying the database server cannot be reached, when the output shows that."""
    if not database_url or database_url.startswith("sqlite"):
        return None
    text = output.lower()
    where = f"{redact_url(database_url)} (DATABASE_URL from {source})"
    if any(sign in text for sign in DATABASE_SIGNS):
        return (
            f"the database server cannot be reached at {where}: start it "
            "(e.g. docker compose up -d db) or fix DATABASE_URL, then run stackpick setup again"
        )
    missing = re.search(r'database "([^"]+)" does not exist', output)
    if missing:
        return (
            f'the server at {where} has no database "{missing[1]}": create it '
            f"(createdb {missing[1]}), then run stackpick setup again"
        )
    return None


def redact_url(url: str) -> str:
    """``url`` without its password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def env_file_value(project: Path, key: str) -> str | None:
    """``key``'s value in the project's ``.env`` (simple ``KEY=value`` lines)."""
    try:
        lines = (project / ".env").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and name.strip() == key:
            return value.strip().strip("'\"")
    return None


def tail(output: str, lines: int = TAIL_LINES) -> str:
    kept = [line.rstrip() for line in output.strip().splitlines()[-lines:]]
    return "\n".join(f"    {line}" for line in kept)


def failure_message(
    step: Step, completed: Completed, database_url: str | None, source: str = ".env"
) -> str:
    """What to say about a failed step: one line for known causes, else the output's tail."""
    if step.name == "install":
        known = install_problem(completed.output)
        if known:
            return f"step install failed: {known}"
    elif step.name != "venv":
        known = database_problem(completed.output, database_url, source)
        if known:
            return f"step {step.name} failed: {known}"
    head = (
        f"step {step.name} failed ({step.command or step.name}, exit {completed.returncode}); "
        "fix it and run stackpick setup again to continue from this step"
    )
    output = tail(completed.output)
    return f"{head}; last lines of its output:\n{output}" if output else head


# --- the pipeline ----------------------------------------------------------------


class _Beside:
    """A step running in a thread while the steps after it run (``Step.independent``)."""

    def __init__(self, step: Step, index: int, runner: Runner, cwd: Path, env: Mapping[str, str]):
        self.step, self.index = step, index
        self.completed = Completed(1, "the step did not finish")
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, args=(runner, cwd, env), daemon=True)
        self._started = time.perf_counter()
        self._thread.start()

    def _run(self, runner: Runner, cwd: Path, env: Mapping[str, str]) -> None:
        try:
            self.completed = runner(self.step.argv, cwd, env)
        except Exception as error:  # reported as the step's failure, never lost in a thread
            self.completed = Completed(1, f"{type(error).__name__}: {error}")
        self.seconds = time.perf_counter() - self._started

    def wait(self) -> None:
        while self._thread.is_alive():  # a short wait, so that Ctrl-C is seen at once
            self._thread.join(0.1)

    def stop(self) -> None:
        stop_running()
        self._thread.join(10)
        self.seconds = time.perf_counter() - self._started


def execute(
    steps: Sequence[Step],
    spec: ProjectSpec,
    result: SetupResult,
    env: Mapping[str, str],
    reporter: Reporter,
    runner: Runner = run_command,
    database_url: str = "",
    database_source: str = ".env",
) -> SetupResult:
    """Run the steps not done yet, recording each one that completes.

    A step no later step needs (``independent``) runs beside the steps after it; its
    line, and its failure if it fails, come when the next step is done.
    """
    venv = spec.root / VENV
    state = load_state(venv).fresh_run()
    total = len(steps)
    beside: _Beside | None = None

    def settle(step: Step, index: int, completed: Completed, seconds: float) -> str | None:
        """Record and report a finished step; the failure message when it failed."""
        nonlocal state
        if completed.returncode != 0:
            discard_new_venv(step, venv)
            failed = StepResult(step.name, step.command, "failed", seconds, step.detail)
            result.steps.append(failed)
            reporter.finished(failed, index, total)
            return failure_message(step, completed, database_url, database_source)
        if step.name == "venv":
            state = State()  # a new .venv starts a new record
        state.done[step.name] = step.key
        save_state(venv, state)
        finished = StepResult(step.name, step.command, "ok", seconds, step.detail)
        result.steps.append(finished)
        reporter.finished(finished, index, total)
        return None

    def interrupted(step: Step, index: int, seconds: float) -> SetupInterrupted:
        if beside is not None:
            beside.stop()  # nothing of it is recorded either
            if beside.step is not step:
                stopped = StepResult(
                    beside.step.name, beside.step.command, "interrupted", beside.seconds, ""
                )
                result.steps.append(stopped)
                reporter.finished(stopped, beside.index, total)
        discard_new_venv(step, venv)
        result.steps.append(
            StepResult(step.name, step.command, "interrupted", seconds, step.detail)
        )
        reporter.finished(result.steps[-1], index, total)
        result.error = f"interrupted during step {step.name}"
        return SetupInterrupted(
            result,
            f"interrupted during step {step.name}: nothing of it was recorded; "
            "run stackpick setup again to continue from this step",
        )

    def settle_beside() -> str | None:
        nonlocal beside
        if beside is None:
            return None
        try:
            beside.wait()
        except KeyboardInterrupt:
            raise interrupted(beside.step, beside.index, beside.seconds) from None
        done, beside = beside, None
        return settle(done.step, done.index, done.completed, done.seconds)

    def fail(*messages: str | None) -> None:
        first = next((m for m in messages if m), None)
        if first is not None:
            save_state(venv, state)
            result.error = first
            raise SetupFailed(result, first)

    for index, step in enumerate(steps, 1):
        if state.done.get(step.name) == step.key:
            skipped = StepResult(step.name, step.command, "skipped", 0.0, step.detail)
            result.steps.append(skipped)
            reporter.finished(skipped, index, total)
            continue
        if step.independent and step.argv and beside is None:
            beside = _Beside(step, index, runner, spec.root, env)
            continue
        reporter.started(step, index, total)
        start = time.perf_counter()
        try:
            if step.replace_venv:
                shutil.rmtree(venv)
            completed = runner(step.argv, spec.root, env) if step.argv else Completed(0, "")
        except KeyboardInterrupt:
            raise interrupted(step, index, time.perf_counter() - start) from None
        seconds = time.perf_counter() - start
        earlier = settle_beside()
        fail(earlier, settle(step, index, completed, seconds))
    fail(settle_beside())
    state.complete = True
    save_state(venv, state)
    return result


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI runner's cancel) stops the running step like Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def discard_new_venv(step: Step, venv: Path) -> None:
    """A ``.venv`` that the venv step left half made goes (nothing else is touched)."""
    if step.name == "venv" and step.argv:
        shutil.rmtree(venv, ignore_errors=True)


def venv_command(command: str, venv_bin: Path) -> str:
    """``command`` with its program taken from ``.venv/bin`` when it is there."""
    words = shlex.split(command)
    if words and (venv_bin / words[0]).exists():
        words[0] = f"{VENV}/bin/{words[0]}"
    return shlex.join(words)


def next_commands(spec: ProjectSpec) -> list[str]:
    """How to start the server (and create the first administrator), to print at the end."""
    venv_bin = spec.root / VENV / "bin"
    lines = [f"cd {shlex.quote(str(spec.root))}"]
    if spec.run:
        lines.append(f"{venv_command(spec.run, venv_bin)}    # start the development server")
    if spec.admin:
        lines.append(f"{venv_command(spec.admin, venv_bin)}    # create the first administrator")
    return lines


def run_setup(
    project: Path,
    *,
    reporter: Reporter | None = None,
    python: str | None = None,
    installer: str = "auto",
    environ: Mapping[str, str] | None = None,
    runner: Runner | None = None,
) -> SetupResult:
    """Set ``project`` up in ``.venv`` and run its steps; raises ``SetupFailed`` on a failure.

    ``new --setup`` calls this on the folder it created, with the same reporter as ``setup``.
    """
    reporter = reporter or QuietReporter()
    environ = dict(os.environ if environ is None else environ)
    spec = read_project(project)
    venv = spec.root / VENV
    if installer not in ("auto", "uv", "pip"):
        raise BadInput(f"installer {installer!r}: use auto, uv or pip")
    choice: InstallerChoice = "uv" if installer == "uv" else "pip" if installer == "pip" else "auto"
    chosen, uv = choose_installer(choice, environ)
    result = SetupResult(spec.root, chosen, run=spec.run, admin=spec.admin)
    existing = venv_python_version(venv)
    keep = (
        python is None
        and existing is not None
        and existing[:2] >= spec.python_version
        and (chosen == "uv" or (venv / "bin" / "pip").exists())
    )
    interpreter = None
    if not keep:
        try:
            interpreter = find_python(spec.python_version, environ, python)
        except SetupError as error:
            failed = StepResult("venv", "", "failed", 0.0, error.message)
            result.steps.append(failed)
            result.error = f"step venv failed: {error.message}"
            reporter.finished(failed, 1, 2 + len(spec.steps))
            raise SetupFailed(result, result.error) from None
    how = installer_note(chosen, uv, choice)
    database_url = env_file_value(spec.root, "DATABASE_URL") or ""
    source = ".env"
    if environ.get("DATABASE_URL"):  # the projects let the environment win over .env
        database_url, source = environ["DATABASE_URL"], "your environment, which wins over .env"
    kept = existing if keep else None
    steps = plan(spec, kept, interpreter, chosen, uv, how, database_url)
    env = step_environment(environ, venv)
    with terminate_as_interrupt():
        execute(steps, spec, result, env, reporter, runner or run_command, database_url, source)
    lines = next_commands(spec)
    if len(lines) > 1:
        reporter.note("\nReady. Next:")
        for line in lines:
            reporter.note(f"  {line}")
    return result
