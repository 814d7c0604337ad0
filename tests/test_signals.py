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

from git_pause import PausingGit
from stackpick.errors import StackpickError
from stackpick.generate import scaffold
from stackpick.interrupt import terminate_as_interrupt
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


@pytest.mark.slow
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
        if code == 130 and (out / "my_project").exists():
            # the signal came as the project moved in: it is complete, and the line says so
            project = out / "my_project"
            assert (
                stderr.decode() == f"error: interrupted once the project was complete: {project}\n"
            )
            assert (project / "pyproject.toml").is_file()
        elif code == 130:
            # one line: a hook still running is stopped before it can add anything
            assert stderr.decode() == "error: interrupted; nothing was written\n"
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
        terminate_as_interrupt(),
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


# --- the target is claimed, never checked then overwritten ------------------------------


@pytest.mark.parametrize("contents", [[], ["notes.txt"]])
def test_a_folder_appearing_at_the_target_is_kept_and_the_run_refused(
    tmp_path: Path, held_template: tuple[Path, Path], contents: list[str]
) -> None:
    out = tmp_path / "out"
    run = start(out, f"--template=flask={held_template[0]}")
    wait_for_staging(out, run)
    appeared = out / "my_project"
    appeared.mkdir()
    for name in contents:
        (appeared / name).write_text("mine")
    held_template[1].touch()
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 2, stderr
    assert "appeared while the project was made" in stderr.decode()
    assert sorted(p.name for p in appeared.iterdir()) == contents
    assert staging_folders(out) == []


def test_of_two_runs_with_one_slug_one_wins_and_the_other_exits_2(
    tmp_path: Path, held_template: tuple[Path, Path]
) -> None:
    out = tmp_path / "out"
    runs = [
        start(out, f"--template=flask={held_template[0]}", "--set", f"description=run {i}")
        for i in range(2)
    ]
    for run in runs:
        wait_for_staging(out, run)
    while len(staging_folders(out)) < 2:
        time.sleep(0.01)
    held_template[1].touch()
    codes = sorted(run.wait(60) for run in runs)
    assert codes == [0, 2], [run.communicate() for run in runs]
    assert (out / "my_project" / "pyproject.toml").is_file()
    assert staging_folders(out) == []


def test_an_empty_target_found_at_the_start_is_used(
    tmp_path: Path, held_template: tuple[Path, Path]
) -> None:
    out = tmp_path / "out"
    (out / "my_project").mkdir(parents=True)
    run = start(out, f"--template=flask={held_template[0]}")
    wait_for_staging(out, run)
    held_template[1].touch()
    assert run.wait(60) == 0, run.communicate()
    assert (out / "my_project" / "pyproject.toml").is_file()


@pytest.mark.slow
def test_force_interrupted_at_random_moments_keeps_the_old_project_or_has_the_new(
    tmp_path: Path, slow_template: Path
) -> None:
    template = f"--template=flask={slow_template}"
    began = time.monotonic()
    timing = start(tmp_path / "timing", template)
    assert timing.wait(60) == 0, timing.communicate()
    duration = time.monotonic() - began
    rng = random.Random(23)
    for trial in range(max(TRIALS // 2, 4)):
        out = tmp_path / f"trial{trial}"
        (out / "my_project").mkdir(parents=True)
        (out / "my_project" / "old.txt").write_text("old")
        process = start(out, template, "--force")
        time.sleep(duration * (trial + rng.random()) / max(TRIALS // 2, 4))
        process.send_signal(signal.SIGTERM)
        code = process.wait(60)
        names = {p.name for p in (out / "my_project").iterdir()}
        # as before (the old project alone) or as after (the new one alone), never between
        old = names == {"old.txt"}
        assert old or ("pyproject.toml" in names and "old.txt" not in names), names
        # (-15 also once done: at exit, Python has given the signal its default action back)
        assert code in (130, -signal.SIGTERM) + (() if old else (0,)), process.communicate()
        assert staging_folders(out) == []


# --- new's git step: the project appears with its first commit, or not at all ------------


def complete_repository(project: Path) -> bool:
    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True)

    return (
        git("rev-parse", "--show-toplevel").stdout.strip() == str(project.resolve())
        and git("rev-parse", "-q", "--verify", "stackpick").returncode == 0
        and git("status", "--porcelain").stdout == ""
        and git("rev-parse", "HEAD").stdout == git("rev-parse", "stackpick").stdout
    )


@pytest.fixture(scope="module")
def new_calls(tmp_path_factory: pytest.TempPathFactory) -> int:
    root = tmp_path_factory.mktemp("calls")
    wrapper = PausingGit(root / "wrapper")
    process = wrapper.start("new", "--no-input", "-o", str(root / "out"))
    assert process.wait(120) == 0, process.communicate()
    assert complete_repository(root / "out" / "my_project")
    return wrapper.calls


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_new_stopped_at_every_git_call_leaves_a_whole_repository_or_none(
    tmp_path: Path, new_calls: int, signum: int
) -> None:
    wrapper = PausingGit(tmp_path / "wrapper")
    for call in range(1, new_calls + 1):
        out = tmp_path / f"out{call}"
        wrapper.reset(call)
        code, stderr = wrapper.stop(wrapper.start("new", "--no-input", "-o", str(out)), signum)
        project = out / "my_project"
        assert not project.exists() or complete_repository(project), (call, stderr)
        if signum == signal.SIGTERM:
            assert code == 130 and "Traceback" not in stderr, (call, code, stderr)
            assert staging_folders(out) == []
            continue
        existed = project.exists()  # killed once the project was in place: it is complete
        wrapper.reset(0)
        again = wrapper.start("new", "--no-input", "-o", str(out))
        _, stderr = again.communicate(timeout=120)
        assert again.returncode == (2 if existed else 0), (call, stderr)
        assert complete_repository(project), call
        assert staging_folders(out) == []
