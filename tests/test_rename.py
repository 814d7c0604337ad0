"""Atomic renames: never onto a folder someone made, a swap in one step, and the fallbacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackpick.generate import rename


def folder(path: Path, *names: str) -> Path:
    path.mkdir()
    for name in names:
        (path / name).write_text(name)
    return path


@pytest.fixture(params=["renameat2", "fallback"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "fallback":
        monkeypatch.setattr(rename, "_renameat2", lambda *args: False)
    return str(request.param)


@pytest.mark.parametrize("present", [(), ("theirs.txt",)])
def test_no_replace_never_takes_an_existing_folder(
    tmp_path: Path, mode: str, present: tuple[str, ...]
) -> None:
    source = folder(tmp_path / "source", "new.txt")
    target = folder(tmp_path / "target", *present)
    with pytest.raises(FileExistsError):
        rename.no_replace(source, target)
    assert sorted(p.name for p in target.iterdir()) == list(present)
    assert (source / "new.txt").is_file()


def test_no_replace_moves_into_a_free_name(tmp_path: Path, mode: str) -> None:
    source = folder(tmp_path / "source", "a.txt", "b.txt")
    rename.no_replace(source, tmp_path / "target")
    assert sorted(p.name for p in (tmp_path / "target").iterdir()) == ["a.txt", "b.txt"]
    assert not source.exists()


def test_exchange_swaps_two_folders_where_supported(tmp_path: Path) -> None:
    first = folder(tmp_path / "first", "one.txt")
    second = folder(tmp_path / "second", "two.txt")
    if not rename.exchange(first, second):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not supported here")
    assert [p.name for p in first.iterdir()] == ["two.txt"]
    assert [p.name for p in second.iterdir()] == ["one.txt"]
