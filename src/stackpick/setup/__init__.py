"""``stackpick setup``: from a generated project to a ``.venv`` with green tests.

A pipeline of small steps: read the project (``.stackpick.toml``, :mod:`.plan`), find its
Python (:mod:`.interpreter`), choose the installer (:mod:`.installer`, uv or pip), plan the
steps, then run them one by one (:mod:`.run`), each as a child process in its own process
group (:mod:`.process`). Completed steps are recorded in ``.venv/.stackpick-setup.json``
(:mod:`.state`) under a key chained from their inputs, so a run after a failure starts again
at the failed step, and a changed ``pyproject.toml`` re-installs. A failed step is explained
in one line where its cause is known (:mod:`.diagnose`); progress goes to a :mod:`.report`
``Reporter`` (``ui.progress`` shows it on the terminal), the outcome is a :mod:`.result`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import NotAProject, SetupFailed, SetupInterrupted
    from .report import Reporter
    from .result import SetupResult, StepResult
    from .run import run_setup

#: Where each name lives: imported on first use, so that reading a project's plan
#: (``new``'s next steps) does not load the runner.
_HOMES = {
    "NotAProject": "errors",
    "SetupFailed": "errors",
    "SetupInterrupted": "errors",
    "Reporter": "report",
    "SetupResult": "result",
    "StepResult": "result",
    "run_setup": "run",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "NotAProject",
    "Reporter",
    "SetupFailed",
    "SetupInterrupted",
    "SetupResult",
    "StepResult",
    "run_setup",
]
