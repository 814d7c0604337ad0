"""The two frameworks stackpick chooses between, as a typed value."""

from __future__ import annotations

from typing import Literal, TypeAlias

Framework: TypeAlias = Literal["flask", "django"]

FRAMEWORKS: tuple[Framework, ...] = ("flask", "django")
NAMES: dict[Framework, str] = {"flask": "Flask", "django": "Django"}


def other(framework: Framework) -> Framework:
    """The framework that is not ``framework``."""
    return "django" if framework == "flask" else "flask"


def as_framework(value: object) -> Framework | None:
    """``value`` as a framework, or ``None`` when it names none (``auto``, say)."""
    if value == "flask":
        return "flask"
    if value == "django":
        return "django"
    return None
