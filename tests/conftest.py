"""Shared fixtures for stackpick's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_answer_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep STACKPICK_<KEY> variables of the developer's shell out of the tests."""
    for name in list(os.environ):
        if name.startswith("STACKPICK_") and not name.startswith("STACKPICK_TEST_"):
            monkeypatch.delenv(name)
    yield
