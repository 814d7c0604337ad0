"""The one error hierarchy: every expected failure carries its exit code and a one-line message."""

from __future__ import annotations

from collections.abc import Sequence

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
#: ``update`` merged, and conflicts remain to be resolved as in any git merge.
EXIT_CONFLICTS = 3


class StackpickError(Exception):
    """A failure the user can act on. ``cli`` prints ``messages`` and exits with ``exit_code``."""

    exit_code = EXIT_FAILURE

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages: tuple[str, ...] = messages


class BadInput(StackpickError):
    """The answers, a flag or a file the user gave cannot be used (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class AnswerErrors(BadInput):
    """Every problem found in one run's answers, reported together."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__(*messages)


class TargetExists(BadInput):
    """The project directory already exists and is not empty."""


class RenderError(StackpickError):
    """A template or one of its hooks failed; nothing was written (exit 1)."""


class Cancelled(StackpickError):
    """The user stopped the interview before anything was written (exit 1)."""


class Declined(StackpickError):
    """The user answered no at "Create it?": a choice, not a failure (exit 0, a plain line)."""

    exit_code = 0


class MergeConflicts(StackpickError):
    """``update`` left conflicts in the work tree (exit 3); ``result`` is what it did."""

    exit_code = EXIT_CONFLICTS

    def __init__(self, result: object) -> None:
        conflicting = getattr(result, "conflicting", ())
        super().__init__(
            f"the update left conflicts in {len(conflicting)} file(s); resolve them, then "
            "git add and git commit (or git merge --abort)"
        )
        self.result = result


class InterruptedAfter(StackpickError):
    """A signal came once the work was done or while it was finished first (exit 130): the
    message says what is in place, never "nothing was written"."""

    exit_code = 130
