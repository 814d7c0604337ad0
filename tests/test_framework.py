"""The framework as a typed value."""

from __future__ import annotations

from stackpick.framework import FRAMEWORKS, as_framework, other


def test_other_and_parsing() -> None:
    assert FRAMEWORKS == ("flask", "django")
    assert other("flask") == "django" and other("django") == "flask"
    assert as_framework("django") == "django"
    assert as_framework("auto") is None and as_framework(None) is None
