"""``stackpick new`` stopped by a signal leaves no staging folder, or the next run sweeps it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stackpick.errors import StackpickError
from stackpick.generate import scaffold
from stackpick.template_source import templates_root

TRIALS = int(os.environ.get("STACKPICK_TEST_SIGNAL_TRIALS", "20"))


def staging_folders(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if scaffold.STAGING_MARK in p.name)


@pytest.fixture(scope="module")
def slow_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled Flask template, with hooks that sleep before and after rendering."""
    root = tmp_path_factory.mktemp("slow") / "flask"
    shutil.copytree(templates_root() / "flask", root)
    hooks = root / "hooks"
    (hooks / "pre_gen_project.py").write_text("import time\n\ntime.sleep(0.8)\n")
    post = hooks / "post_gen_project.py"
    post.write_text("import time\n\ntime.sleep(0.4)\n" + post.read_text())
    return root


@pytest.fixture
def held_template(tmp_path: Path) -> tuple[Path, Path]:
    """The bundled Flask template, whose run waits in a hook until the test releases it."""
    root = tmp_path / "held" / "flask"
    shutil.copytree(templates_root() / "flask", root)
    release = tmp_path / "release"
    (root / "hooks" / "pre_gen_project.py").write_text(
        "import os, time\n\n"
        "deadline = time.monotonic() + 60\n"
        f"while not os.path.exists({str(release)!r}) and time.monotonic() < deadline:\n"
        "    time.sleep(0.02)\n"
    )
    return root, release


def start(out: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STACKPICK_")}
    return subprocess.Popen(
        [sys.executable, "-m", "stackpick", "new", "--no-input", "--no-git", "-o", str(out), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def wait_for_staging(out: Path, process: subprocess.Popen[bytes], timeout: float = 30) -> str:
    """The name of the staging folder of ``process``, once its lock is in place."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [
            name for name in staging_folders(out) if (out / name / scaffold.LOCK_FILE).exists()
        ]
        if found:
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError("no staging folder appeared")


def test_sigterm_at_random_moments_leaves_no_staging_folder(
    tmp_path: Path, slow_template: Path
) -> None:
    template = f"--template=flask={slow_template}"
    began = time.monotonic()
    finished = start(tmp_path / "timing", template)
    assert finished.wait(60) == 0, finished.communicate()
    duration = time.monotonic() - began
    rng = random.Random(14)
    outcomes = []
    for trial in range(TRIALS):
        out = tmp_path / f"trial{trial}"
        delay = duration * (trial + rng.random()) / TRIALS
        process = start(out, template)
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        code = process.wait(60)
        _, stderr = process.communicate()
        outcomes.append(code)
        assert staging_folders(out) == [], (delay, code, stderr)
        # stopped before its handler (nothing written yet), interrupted, or finished in time
        assert code in (-signal.SIGTERM, 130, 0), (delay, code, stderr)
        if code == 130:
            # one line: a hook still running is stopped before it can add anything
            assert stderr.decode() == "error: interrupted; nothing was written\n"
            assert not (out / "my_project").exists()
    assert 130 in outcomes, outcomes  # the signal did land while generating
    print("exit codes:", {code: outcomes.count(code) for code in set(outcomes)})


def test_sigkill_leaves_a_staging_folder_that_the_next_run_sweeps(
    tmp_path: Path, held_template: tuple[Path, Path]
) -> None:
    out = tmp_path / "out"
    killed = start(out, f"--template=flask={held_template[0]}")
    stale = wait_for_staging(out, killed)
    killed.kill()
    killed.wait(30)
    held_template[1].touch()  # let the orphaned hook end
    assert staging_folders(out) == [stale]
    second = start(out, "--set", "project_name=Second")
    assert second.wait(60) == 0, second.communicate()
    assert staging_folders(out) == []
    assert (out / "second" / "pyproject.toml").is_file()


def test_a_live_runs_staging_folder_is_never_swept(
    tmp_path: Path, held_template: tuple[Path, Path]
) -> None:
    out = tmp_path / "out"
    live = start(out, f"--template=flask={held_template[0]}")
    held = wait_for_staging(out, live)
    other = start(out, "--set", "project_name=Other")
    assert other.wait(60) == 0, other.communicate()
    assert held in staging_folders(out)
    held_template[1].touch()
    assert live.wait(60) == 0, live.communicate()
    assert staging_folders(out) == []
    assert (out / "my_project" / "pyproject.toml").is_file()
    assert (out / "other" / "pyproject.toml").is_file()


def test_sigterm_while_the_staging_folder_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdtemp = scaffold.tempfile.mkdtemp

    def mkdtemp_then_signal(*args: object, **kwargs: object) -> str:
        made = real_mkdtemp(*args, **kwargs)  # type: ignore[call-overload]
        os.kill(os.getpid(), signal.SIGTERM)  # lands before the lock exists
        return str(made)

    monkeypatch.setattr(scaffold.tempfile, "mkdtemp", mkdtemp_then_signal)
    with (
        pytest.raises(KeyboardInterrupt),
        scaffold._terminate_as_interrupt(),
        scaffold.staging_folder(tmp_path, "my_project"),
    ):
        raise AssertionError("the interrupt comes first")
    assert list(tmp_path.iterdir()) == []


def test_sweep_removes_an_unlocked_staging_folder_only_once_it_is_old(tmp_path: Path) -> None:
    fresh = tmp_path / f".a{scaffold.STAGING_MARK}fresh"
    old = tmp_path / f".b{scaffold.STAGING_MARK}old"
    fresh.mkdir()
    old.mkdir()
    long_ago = time.time() - scaffold.UNLOCKED_STALE_SECONDS - 5
    os.utime(old, (long_ago, long_ago))
    assert scaffold.sweep_stale_staging(tmp_path) == [old]
    assert staging_folders(tmp_path) == [fresh.name]


def test_a_sweeping_run_never_takes_a_staging_folder_being_made(tmp_path: Path) -> None:
    with scaffold.staging_folder(tmp_path, "my_project") as staging:
        assert sorted(p.name for p in staging.iterdir()) == [scaffold.LOCK_FILE]
        assert scaffold.sweep_stale_staging(tmp_path) == []
        assert staging.is_dir()
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_output_folder_is_one_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    with (
        pytest.raises(StackpickError, match="cannot write in"),
        scaffold.staging_folder(blocked / "sub", "x"),
    ):
        pass
