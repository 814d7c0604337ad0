"""The errors of ``stackpick setup``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import BadInput, StackpickError

if TYPE_CHECKING:
    from .result import SetupResult


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


class SetupError(Exception):
    """Raised inside the pipeline before a step runs (turned into ``SetupFailed``)."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step
        self.message = message
