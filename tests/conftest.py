"""Shared fixtures for stackpick's tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_COLLECTION_CACHE = ""


def pytest_configure(config: pytest.Config) -> None:
    """stackpick's cache goes to a temporary folder from the start, collection included.

    Test modules call stackpick at import (``load_rules()`` at module level), before any
    fixture runs: the developer's ``~/.cache`` must not get those entries either.
    """
    global _COLLECTION_CACHE
    _COLLECTION_CACHE = tempfile.mkdtemp(prefix="stackpick-test-cache-")
    os.environ["XDG_CACHE_HOME"] = _COLLECTION_CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    if _COLLECTION_CACHE:
        shutil.rmtree(_COLLECTION_CACHE, ignore_errors=True)


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
