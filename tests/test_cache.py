"""The cache folder: derived data is reused, rebuilt when its source changes, never required."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stackpick.cache import cache_folder, derived_from_file


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def test_derived_data_is_built_once_and_rebuilt_on_change(cache_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "data.txt"
    source.write_text("one")
    builds: list[str] = []

    def build(path: str) -> dict[str, object]:
        builds.append(path)
        return {"text": Path(path).read_text(), "flags": [True, False]}

    assert derived_from_file(str(source), build) == {"text": "one", "flags": [True, False]}
    assert derived_from_file(str(source), build) == {"text": "one", "flags": [True, False]}
    assert len(builds) == 1
    source.write_text("two!")
    assert derived_from_file(str(source), build)["text"] == "two!"
    assert len(builds) == 2
    assert list((cache_home / "stackpick" / "data").iterdir())


def test_corrupt_cache_entries_are_rebuilt(cache_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "data.txt"
    source.write_text("x")
    derived_from_file(str(source), lambda path: 1)
    (entry,) = (cache_home / "stackpick" / "data").iterdir()
    entry.write_bytes(b"\xff garbage")
    assert derived_from_file(str(source), lambda path: 2) == 2


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache_folder("x") is None
    source = tmp_path / "data.txt"
    source.write_text("x")
    assert derived_from_file(str(source), lambda path: os.path.basename(path)) == "data.txt"


def test_a_kept_table_is_read_once_and_written_when_it_changes(cache_home: Path) -> None:
    from stackpick.cache import KeptTable, kept_table

    table = kept_table("data", "table")
    assert table is not None and kept_table("data", "table") is table
    table.set(b"key", True)
    table.set("other", b"code")
    table.flush()
    path = cache_home / "stackpick" / "data" / "table.marshal"
    written = path.stat().st_mtime_ns
    again = KeptTable(str(path))  # as the next process reads it
    assert again.get(b"key") is True and again.get("other") == b"code"
    again.set(b"key", True)  # unchanged: nothing to write
    again.flush()
    assert path.stat().st_mtime_ns == written
    path.write_bytes(b"\x00 not marshal data")
    assert KeptTable(str(path)).get(b"key") is None


def test_an_unwritable_table_is_not_an_error(tmp_path: Path) -> None:
    from stackpick.cache import KeptTable

    table = KeptTable(str(tmp_path / "missing-folder" / "table.marshal"))
    table.set("key", 1)
    table.flush()
    assert table.get("key") == 1
    assert not (tmp_path / "missing-folder").exists()


def test_scratch_folders_of_dead_runs_are_swept_and_live_ones_kept(cache_home: Path) -> None:
    from stackpick import cache

    tmp = Path(cache_folder("tmp") or "")
    dead = tmp / "tmpdead"
    (dead / "project").mkdir(parents=True)
    live = tmp / "tmplive"
    live.mkdir()
    old = os.stat(dead).st_mtime - cache.DEAD_AFTER_SECONDS - 60
    os.utime(dead, (old, old))
    fetched = Path(cache_folder("fetch") or "") / "template-kept"  # a running serve's
    fetched.mkdir()
    os.utime(fetched, (old, old))
    assert cache.sweep_dead_scratch() == [str(dead)]
    assert sorted(p.name for p in tmp.iterdir()) == ["tmplive"]
    assert fetched.is_dir()
