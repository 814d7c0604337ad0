"""Shared fixtures for stackpick's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_answer_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep STACKPICK_<KEY> variables of the developer's shell out of the tests."""
    for name in list(os.environ):
        if name.startswith("STACKPICK_") and not name.startswith("STACKPICK_TEST_"):
            monkeypatch.delenv(name)
    yield


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(monkeypatch: pytest.MonkeyPatch, _session_cache: Path) -> None:
    """stackpick's cache goes to a temporary folder, never the developer's ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_session_cache))
    # No developer's ~/.config/stackpick/config.toml (its trusted templates) either.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(_session_cache / "no-config"))
