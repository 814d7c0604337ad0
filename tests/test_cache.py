"""The cache: private (0700, 0600, the user's alone), checked before use, shared, pruned."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from stackpick import cache
from stackpick.cache import (
    KeptTable,
    cache_folder,
    derived_from_file,
    kept_table,
    prune,
    read_file,
    write_file,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setattr(cache, "_NOTED", set())
    cache._TABLES.clear()
    return home


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


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


def test_derived_data_is_keyed_by_content_not_by_where_the_file_is(
    cache_home: Path, tmp_path: Path
) -> None:
    """Two installs of the same files share the entry (and neither replaces the other's)."""
    for install in ("one", "two"):
        (tmp_path / install).mkdir()
        (tmp_path / install / "rules.toml").write_text("same")
    builds: list[str] = []
    for install in ("one", "two", "one"):
        derived_from_file(str(tmp_path / install / "rules.toml"), builds.append)
    assert len(builds) == 1
    assert len(list((cache_home / "stackpick" / "data").iterdir())) == 1


def test_corrupt_cache_entries_are_ignored_and_rewritten(cache_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "data.txt"
    source.write_text("x")
    derived_from_file(str(source), lambda path: 1)
    (entry,) = (cache_home / "stackpick" / "data").iterdir()
    entry.write_bytes(b"\xff garbage")
    assert derived_from_file(str(source), lambda path: 2) == 2
    assert read_file(str(entry)) == ("derived", 2)  # rewritten
    write_file(str(entry), ["a", "value", "of", "the", "wrong", "shape"])
    assert derived_from_file(str(source), lambda path: 3) == 3
    data = entry.read_bytes()
    entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit off: the checksum fails
    assert read_file(str(entry)) is None
    assert derived_from_file(str(source), lambda path: 4) == 4


@pytest.mark.parametrize("damage", ["not a cache file", "entries of the wrong shape", "a list"])
def test_a_corrupt_compiled_table_is_ignored_and_rewritten(
    cache_home: Path, tmp_path: Path, damage: str
) -> None:
    from click.testing import CliRunner

    from stackpick.cli import cli

    args = ["new", "--no-input", "--no-git", "--set", "framework=flask"]
    assert CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "A")]).exit_code == 0
    table = max((cache_home / "stackpick" / "jinja").iterdir(), key=lambda p: p.stat().st_size)
    if damage == "not a cache file":
        table.write_bytes(b"\x00 not a cache file")
    elif damage == "entries of the wrong shape":
        write_file(str(table), {("README.md", "x"): b"not code", "bad key": 7})
    else:
        write_file(str(table), ["a", "list"])
    cache._TABLES.clear()  # as the next process
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "B")])
    assert result.exit_code == 0, result.output
    rewritten = read_file(str(table))
    assert isinstance(rewritten, dict) and len(rewritten) > 30


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache_folder("x") is None
    source = tmp_path / "data.txt"
    source.write_text("x")
    assert derived_from_file(str(source), lambda path: os.path.basename(path)) == "data.txt"


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_folders_are_0700_and_files_0600_whatever_the_umask(
    cache_home: Path, tmp_path: Path, umask: int
) -> None:
    source = tmp_path / "data.txt"
    source.write_text("x")
    old = os.umask(umask)
    try:
        derived_from_file(str(source), lambda path: 1)
        table = kept_table("jinja", "t")
        assert table is not None
        table.set("k", b"v")
        table.flush()
    finally:
        os.umask(old)
    folders = [cache_home / "stackpick", *(p for p in cache_home.rglob("*") if p.is_dir())]
    files = [p for p in cache_home.rglob("*") if p.is_file()]
    assert {_mode(folder) for folder in folders} == {0o700}
    assert len(files) >= 2 and {_mode(file) for file in files} == {0o600}


def test_a_cache_folder_of_ours_readable_by_others_is_made_private(cache_home: Path) -> None:
    """As older stackpicks made it (with the umask, 0755)."""
    (cache_home / "stackpick" / "data").mkdir(parents=True, mode=0o755)
    os.chmod(cache_home / "stackpick", 0o755)
    os.chmod(cache_home / "stackpick" / "data", 0o755)
    assert cache_folder("data") is not None
    assert _mode(cache_home / "stackpick") == _mode(cache_home / "stackpick" / "data") == 0o700


def _plant(cache_home: Path) -> None:
    """Compiled-code tables where another user could have put them."""
    jinja = cache_home / "stackpick" / "jinja"
    jinja.mkdir(parents=True, exist_ok=True)
    for name in ("planted", "0.0.0-planted"):
        write_file(str(jinja / name), {"payload": b"would run"})


def _new(tmp_path: Path, cache_home: Path) -> subprocess.CompletedProcess[str]:
    """``new`` in its own process, with ``cache_home`` as its cache."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "stackpick", "new", "--no-input", "--no-git", "--set",
         "framework=flask", "-o", str(tmp_path / "out")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip


def test_a_cache_folder_others_can_write_into_is_not_used(cache_home: Path, tmp_path: Path) -> None:
    (cache_home / "stackpick").mkdir(parents=True)
    before = sorted(p.name for p in (cache_home / "stackpick").iterdir())
    _plant(cache_home)
    os.chmod(cache_home / "stackpick", 0o777)
    result = _new(tmp_path, cache_home)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "note: not using the cache" in line]
    assert len(notes) == 1 and "other users can write into it" in notes[0]
    assert _mode(cache_home / "stackpick") == 0o777  # left as found, and unused:
    assert sorted(p.name for p in (cache_home / "stackpick").iterdir()) == [*before, "jinja"]
    assert sorted(p.name for p in (cache_home / "stackpick" / "jinja").iterdir()) == [
        "0.0.0-planted",
        "planted",
    ]
    assert (tmp_path / "out" / "my_project" / "pyproject.toml").is_file()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(cache_home: Path, tmp_path: Path) -> None:
    result_folder = cache_home / "stackpick"
    _plant(cache_home)
    os.chown(result_folder, 65534, 65534)
    for path in result_folder.rglob("*"):
        os.chown(path, 65534, 65534)
    result = _new(tmp_path, cache_home)
    assert result.returncode == 0, result.stderr
    assert "belongs to another user" in result.stderr
    assert not (result_folder / "data").exists()  # nothing written either


def test_a_file_that_is_not_private_is_not_deserialised(cache_home: Path) -> None:
    folder = cache_folder("data")
    assert folder is not None
    path = os.path.join(folder, "entry")
    write_file(path, {"ok": True})
    assert read_file(path) == {"ok": True}
    os.chmod(path, 0o666)
    assert read_file(path) is None
    os.chmod(path, 0o600)
    os.symlink(path, path + "-link")
    assert read_file(path + "-link") is None


def test_a_kept_table_is_read_once_and_written_when_it_changes(cache_home: Path) -> None:
    table = kept_table("data", "table")
    assert table is not None and kept_table("data", "table") is table
    table.set(b"key", True)
    table.set("other", b"code")
    table.flush()
    path = Path(table.path)
    written = path.stat().st_mtime_ns
    again = KeptTable(str(path))  # as the next process reads it
    assert again.get(b"key") is True and again.get("other") == b"code"
    again.set(b"key", True)  # unchanged: nothing to write
    again.flush()
    assert path.stat().st_mtime_ns == written
    path.write_bytes(b"\x00 not marshal data")
    assert KeptTable(str(path)).get(b"key") is None


def test_an_unwritable_table_is_not_an_error(tmp_path: Path) -> None:
    table = KeptTable(str(tmp_path / "missing-folder" / "table"))
    table.set("key", 1)
    table.flush()
    assert table.get("key") == 1
    assert not (tmp_path / "missing-folder").exists()


def test_pruning_goes_by_version_age_and_size(cache_home: Path) -> None:
    from stackpick import __version__

    folder = Path(cache_folder("jinja") or "")
    now = time.time()
    day = 24 * 3600

    def entry(name: str, days_unused: float, size: int = 10) -> Path:
        path = folder / name
        path.write_bytes(b"x" * size)
        os.utime(path, (now - days_unused * day, now - days_unused * day))
        return path

    current = entry(f"{__version__}-recent", 1)
    old_version_recent = entry("0.0.1-recent", 2)
    old_version_stale = entry("0.0.1-stale", 8)
    unused = entry(f"{__version__}-unused", 31)
    crashed_write = entry(f"{__version__}-x.123.4.tmp", 2)
    removed = prune(str(cache_home / "stackpick"), now)
    assert sorted(removed) == sorted(map(str, (old_version_stale, unused, crashed_write)))
    assert current.exists() and old_version_recent.exists()
    big = [entry(f"{__version__}-big{n}", 5 - n, 1000) for n in range(4)]
    removed = prune(str(cache_home / "stackpick"), now, max_bytes=2100)
    assert sorted(removed) == sorted(map(str, big[:2]))  # the least recently used


def test_pruning_runs_at_most_once_a_day(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[str] = []
    monkeypatch.setattr(cache, "prune", lambda root: runs.append(root) or [])
    for _ in range(3):
        cache_folder("data")
    assert len(runs) == 1


def _install(root: Path, compiled: bool) -> Path:
    """A copy of stackpick (code and templates) at ``root``, byte-compiled as pip would."""
    shutil.copytree(REPO / "src" / "stackpick", root / "stackpick",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copytree(REPO / "templates", root / "stackpick" / "templates",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    if compiled:
        import compileall

        compileall.compile_dir(root, quiet=2)
    return root


@pytest.mark.slow  # two installs, each rendering in its own processes, several rounds
def test_two_installs_share_one_cache_and_render_django_in_parallel(
    cache_home: Path, tmp_path: Path
) -> None:
    installs = [_install(tmp_path / f"install-{n}", compiled=bool(n)) for n in range(2)]

    def new(run: int) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(installs[run % 2]),
            "XDG_CACHE_HOME": str(cache_home),
        }
        return subprocess.run(
            [sys.executable, "-m", "stackpick", "new", "--no-input", "--no-git", "--set",
             "framework=django", "--set", "auth=yes", "-o", str(tmp_path / "out" / str(run))],
            capture_output=True, text=True, env=env, check=False, cwd=tmp_path,
        )  # fmt: skip

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(new, range(12)))
    assert [r.returncode for r in results] == [0] * 12, [r.stderr for r in results]
    trees = {
        tuple(
            sorted(
                p.relative_to(project).as_posix()
                for p in project.rglob("*")
                if p.is_file() and p.name != ".env"
            )
        )
        for project in (tmp_path / "out").glob("*/my_project")
    }
    assert len(trees) == 1 and "manage.py" in next(iter(trees))
    # One set of entries for both installs: nothing in a key says where stackpick is.
    tables = sorted(p.name for p in (cache_home / "stackpick" / "jinja").iterdir())
    assert len(tables) == 2  # the Django template's code and the decision record's


def test_collecting_the_tests_writes_nothing_in_the_home_folder(tmp_path: Path) -> None:
    """Modules that call stackpick at import run before any fixture (see conftest.py)."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    env["HOME"] = str(tmp_path)
    tests = [str(REPO / "tests" / name) for name in ("test_flips.py", "test_decide.py")]
    subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *tests],
        env=env, cwd=REPO, capture_output=True, check=True,
    )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_scratch_folders_of_dead_runs_are_swept_and_live_ones_kept(cache_home: Path) -> None:
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
