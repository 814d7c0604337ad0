"""The one error hierarchy: each kind carries its exit code and its one-line messages."""

from __future__ import annotations

from stackpick.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    AnswerErrors,
    BadInput,
    RenderError,
    StackpickError,
    TargetExists,
)


def test_exit_codes_follow_the_kind() -> None:
    assert StackpickError("x").exit_code == EXIT_FAILURE == 1
    assert RenderError("x").exit_code == EXIT_FAILURE
    assert BadInput("x").exit_code == EXIT_BAD_INPUT == 2
    assert TargetExists("x").exit_code == EXIT_BAD_INPUT
    assert AnswerErrors(["a", "b"]).exit_code == EXIT_BAD_INPUT


def test_every_message_is_kept_in_order() -> None:
    error = AnswerErrors(["first", "second"])
    assert error.messages == ("first", "second")
    assert str(error) == "first; second"
