"""Running the plan: each step not done yet, one by one, recording each one that completes."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import BadInput
from ..interrupt import terminate_as_interrupt
from .diagnose import env_file_value, failure_message
from .errors import SetupError, SetupFailed, SetupInterrupted
from .installer import InstallerChoice, choose_installer, installer_note
from .interpreter import find_python, venv_python_version
from .plan import VENV, ProjectSpec, Step, plan, read_project
from .process import Completed, Runner, run_command, step_environment, stop_running
from .report import QuietReporter, Reporter, next_commands
from .result import SetupResult, StepResult
from .state import State, load_state, save_state


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


class _Execution:
    """One run of the steps: the record being kept, the result, the step running beside."""

    def __init__(
        self,
        steps: Sequence[Step],
        spec: ProjectSpec,
        result: SetupResult,
        env: Mapping[str, str],
        reporter: Reporter,
        runner: Runner,
        database: tuple[str, str],
    ) -> None:
        self.steps, self.root, self.result = steps, spec.root, result
        self.env, self.reporter, self.runner = env, reporter, runner
        self.database_url, self.database_source = database
        self.venv = spec.root / VENV
        self.state = load_state(self.venv).fresh_run()
        self.total = len(steps)
        self.beside: _Beside | None = None

    def run(self) -> SetupResult:
        for index, step in enumerate(self.steps, 1):
            if self.state.done.get(step.name) == step.key:
                self._report(
                    StepResult(step.name, step.command, "skipped", 0.0, step.detail), index
                )
                continue
            if step.independent and step.argv and self.beside is None:
                self.beside = _Beside(step, index, self.runner, self.root, self.env)
                continue
            self.reporter.started(step, index, self.total)
            start = time.perf_counter()
            try:
                if step.replace_venv:
                    shutil.rmtree(self.venv)
                completed = (
                    self.runner(step.argv, self.root, self.env) if step.argv else Completed(0, "")
                )
            except KeyboardInterrupt:
                raise self._interrupted(step, index, time.perf_counter() - start) from None
            seconds = time.perf_counter() - start
            earlier = self._settle_beside()
            self._fail(earlier, self._settle(step, index, completed, seconds))
        self._fail(self._settle_beside())
        self.state.complete = True
        save_state(self.venv, self.state)
        return self.result

    def _report(self, finished: StepResult, index: int) -> None:
        self.result.steps.append(finished)
        self.reporter.finished(finished, index, self.total)

    def _settle(self, step: Step, index: int, completed: Completed, seconds: float) -> str | None:
        """Record and report a finished step; the failure message when it failed."""
        if completed.returncode != 0:
            discard_new_venv(step, self.venv)
            self._report(StepResult(step.name, step.command, "failed", seconds, step.detail), index)
            return failure_message(step, completed, self.database_url, self.database_source)
        if step.name == "venv":
            self.state = State()  # a new .venv starts a new record
        self.state.done[step.name] = step.key
        save_state(self.venv, self.state)
        self._report(StepResult(step.name, step.command, "ok", seconds, step.detail), index)
        return None

    def _interrupted(self, step: Step, index: int, seconds: float) -> SetupInterrupted:
        beside = self.beside
        if beside is not None:
            beside.stop()  # nothing of it is recorded either
            if beside.step is not step:
                stopped = StepResult(
                    beside.step.name, beside.step.command, "interrupted", beside.seconds, ""
                )
                self._report(stopped, beside.index)
        discard_new_venv(step, self.venv)
        self._report(
            StepResult(step.name, step.command, "interrupted", seconds, step.detail), index
        )
        self.result.error = f"interrupted during step {step.name}"
        return SetupInterrupted(
            self.result,
            f"interrupted during step {step.name}: nothing of it was recorded; "
            "run stackpick setup again to continue from this step",
        )

    def _settle_beside(self) -> str | None:
        beside = self.beside
        if beside is None:
            return None
        try:
            beside.wait()
        except KeyboardInterrupt:
            raise self._interrupted(beside.step, beside.index, beside.seconds) from None
        self.beside = None
        return self._settle(beside.step, beside.index, beside.completed, beside.seconds)

    def _fail(self, *messages: str | None) -> None:
        first = next((m for m in messages if m), None)
        if first is not None:
            save_state(self.venv, self.state)
            self.result.error = first
            raise SetupFailed(self.result, first)


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
    database = (database_url, database_source)
    return _Execution(steps, spec, result, env, reporter, runner, database).run()


def discard_new_venv(step: Step, venv: Path) -> None:
    """A ``.venv`` that the venv step left half made goes (nothing else is touched)."""
    if step.name == "venv" and step.argv:
        shutil.rmtree(venv, ignore_errors=True)


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
