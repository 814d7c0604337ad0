"""``stackpick setup`` runs the plan: in order, resuming from a failed step, stopping
on a signal, and (slow) on real generated projects."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from generated import PYTHON_VERSION, generate_project
from setup_support import HERE, FakeRunner, alive, make_project, setup_with, without_database_url
from stackpick.cli import cli
from stackpick.setup import SetupFailed, SetupInterrupted
from stackpick.setup.installer import find_uv
from stackpick.setup.plan import chain_key
from stackpick.setup.process import Completed
from stackpick.setup.state import STATE_FILE

# --- planning, resuming, failing (fake runner) ----------------------------------


def test_steps_run_in_order_then_resume_from_the_failed_one(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'migrate = "m up"\ntest = "t run"\n')
    runner = FakeRunner(fail=["t run"])
    with pytest.raises(SetupFailed) as caught:
        setup_with(project, runner)
    assert runner.names() == [".venv", "install", "up", "run"]
    message = caught.value.messages[0]
    assert message.startswith("step test failed (t run, exit 1)")
    assert "last lines of its output:\n    line 1\n    boom" in message
    outcomes = [(s.name, s.outcome) for s in caught.value.result.steps]
    assert outcomes[-1] == ("test", "failed")

    again = FakeRunner()
    result = setup_with(project, again)
    assert again.names() == ["run"]
    assert [s.outcome for s in result.steps] == ["skipped", "skipped", "skipped", "ok"]

    # After a complete run, the project's own steps run again; venv and install do not.
    third = FakeRunner()
    setup_with(project, third)
    assert third.names() == ["up", "run"]


def test_changed_pyproject_reinstalls(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    setup_with(project, FakeRunner())
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('dependencies = ["x"]\n')
    runner = FakeRunner()
    setup_with(project, runner)
    assert runner.names() == ["install", "run"]


def test_changed_step_command_reruns_from_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'migrate = "m up"\ntest = "t run"\n')
    with pytest.raises(SetupFailed):
        setup_with(project, FakeRunner(fail=["m up"]))
    marker = project / ".stackpick.toml"
    marker.write_text(marker.read_text().replace("m up", "m upgrade"))
    runner = FakeRunner()
    setup_with(project, runner)
    assert runner.names() == ["upgrade", "run"]


def test_interrupted_step_is_not_recorded(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'migrate = "m up"\ntest = "t run"\n')

    class Interrupting(FakeRunner):
        def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
            if "up" in argv:
                raise KeyboardInterrupt
            return super().__call__(argv, cwd, env)

    with pytest.raises(SetupInterrupted) as caught:
        setup_with(project, Interrupting())
    assert caught.value.exit_code == 130
    assert "interrupted during step migrate" in caught.value.messages[0]
    runner = FakeRunner()
    setup_with(project, runner)
    assert runner.names() == ["up", "run"]


# --- real projects (slow) -------------------------------------------------------


def has_uv() -> bool:
    return find_uv(os.environ) is not None


def invoke_setup(project: Path, *options: str) -> tuple[int, str, dict[str, object]]:
    args = ["setup", "--project", str(project), "--json", *options]
    result = CliRunner().invoke(cli, args)
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, result.stderr, data


@pytest.mark.generated
@pytest.mark.parametrize("framework", ["flask", "django"])
@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_default_project_ends_green(tmp_path: Path, framework: str, installer: str) -> None:
    if installer == "uv" and not has_uv():
        pytest.skip("uv is not installed (pip install -e '.[test]' brings it)")
    project = generate_project(framework, {"python_version": PYTHON_VERSION}, tmp_path)
    # Both templates declare a step writing uv.lock (their Docker images install from it).
    # After the tests, the schema checks: the database is not behind its migrations.
    checks = ["migrated", "schema"] if framework == "django" else ["schema"]
    names = ["venv", "install", "lock", "migrate", "test", *checks]
    failing = project / "tests" / "test_made_to_fail.py"
    if installer == "uv":
        failing.write_text("def test_made_to_fail():\n    assert False, 'made to fail'\n")
    code, stderr, data = invoke_setup(project, "--installer", installer)
    if installer == "uv":
        # A failing step names itself and shows its output; setup then resumes from it.
        assert code == 1, stderr
        assert "error: step test failed (python -m pytest, exit 1)" in stderr
        assert "made to fail" in stderr
        failing.unlink()
        code, stderr, data = invoke_setup(project, "--installer", installer)
        steps = data["steps"]
        assert isinstance(steps, list)
        resumed = names.index("test")
        assert [s["outcome"] for s in steps] == ["skipped"] * resumed + ["ok"] * (
            len(names) - resumed
        )
    assert code == 0, stderr
    assert data["ok"] is True and data["installer"] == installer
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [s["name"] for s in steps] == names
    assert (project / "uv.lock").is_file()
    assert (project / ".venv" / "bin" / "python").exists()
    assert (project / ".venv" / "bin" / "pytest").exists()


@pytest.mark.generated
@pytest.mark.parametrize("framework", ["flask", "django"])
def test_new_with_setup_ends_with_green_tests(tmp_path: Path, framework: str) -> None:
    args = ["new", "--no-input", "--setup", "--json", "-o", str(tmp_path)]
    settings = ["--set", f"framework={framework}", "--set", f"python_version={PYTHON_VERSION}"]
    result = CliRunner().invoke(cli, [*args, *settings])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["framework"] == framework and data["setup"]["ok"] is True
    assert [s["outcome"] for s in data["setup"]["steps"]][-1] == "ok"
    project = Path(data["path"])
    tests = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "pytest", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-2000:]


@pytest.mark.generated
def test_no_package_index_fails_at_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p", 'test = "python -m pytest"\n')
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=69"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "demo"\nversion = "0"\n'
        '[project.optional-dependencies]\ndev = ["pytest>=8"]\n'
    )
    for name, value in {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_FIND_LINKS": "",
        "PIP_EXTRA_INDEX_URL": "",
        "PIP_RETRIES": "0",
        "PIP_NO_CACHE_DIR": "1",
    }.items():
        monkeypatch.setenv(name, value)
    code, stderr, data = invoke_setup(project, "--installer", "pip")
    assert code == 1
    assert stderr.strip().count("\n") == 0, stderr
    assert stderr.startswith("error: step install failed: "), stderr
    assert "no network" in stderr
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [(s["name"], s["outcome"]) for s in steps] == [("venv", "ok"), ("install", "failed")]


def test_another_database_runs_the_project_steps_again(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'migrate = "m up"\ntest = "t run"\n')
    (project / ".env").write_text("DATABASE_URL=postgresql://localhost/one\n")
    environ = without_database_url()
    with pytest.raises(SetupFailed):
        setup_with(project, FakeRunner(fail=["t run"]), environ=environ)
    (project / ".env").write_text("DATABASE_URL=postgresql://localhost/two\n")
    runner = FakeRunner()
    setup_with(project, runner, environ=environ)
    assert runner.names() == ["up", "run"]


def test_a_failed_venv_step_leaves_no_half_made_venv(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'test = "t run"\n')

    class HalfVenv(FakeRunner):
        def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
            super().__call__(argv, cwd, env)
            return Completed(1, "disk full")

    with pytest.raises(SetupFailed, match="step venv failed"):
        setup_with(project, HalfVenv())
    assert not (project / ".venv").exists()


def test_independent_steps_run_beside_the_next_and_fail_in_order(tmp_path: Path) -> None:
    """A step no later step needs runs beside the next one; its failure is reported first,
    the next one's success is kept, and setup starts again at the failed step."""
    import threading

    project = make_project(
        tmp_path / "p", 'migrate = "m up"\ntest = "t run"\n', independent=["migrate"]
    )
    both_running = threading.Barrier(2, timeout=10)

    class Beside(FakeRunner):
        def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
            if argv[0] in ("m", "t"):
                both_running.wait()  # each waits for the other: they run at once
            done = super().__call__(argv, cwd, env)
            return Completed(3, "no such table") if argv[0] == "m" else done

    with pytest.raises(SetupFailed) as caught:
        setup_with(project, Beside())
    result = caught.value.result
    assert [(s.name, s.outcome) for s in result.steps] == [
        ("venv", "ok"),
        ("install", "ok"),
        ("migrate", "failed"),
        ("test", "ok"),
    ]
    assert caught.value.messages[0].startswith("step migrate failed")
    again = FakeRunner()
    setup_with(project, again)
    assert [c.split()[0] for c in again.calls] == ["m"]  # test was recorded as done


def fake_venv(project: Path) -> None:
    """A ``.venv`` that setup keeps, recorded as created and installed (no network needed)."""
    venv = project / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / "bin" / "pip").touch()
    base = Path(getattr(sys, "_base_executable", sys.executable)).parent
    (venv / "pyvenv.cfg").write_text(f"home = {base}\nversion = {HERE[0]}.{HERE[1]}.0\n")
    venv_key = chain_key("", "venv", f"{HERE[0]}.{HERE[1]}")
    install_key = chain_key(venv_key, "install", (project / "pyproject.toml").read_text())
    done = {"venv": venv_key, "install": install_key}
    (venv / STATE_FILE).write_text(json.dumps({"done": done, "complete": False}))


def sleeper(pid_file: str) -> str:
    """A step (TOML string) whose child sleeps; the child's pid goes to ``pid_file``."""
    script = (
        "import subprocess, time; p = subprocess.Popen(['sleep', '60']); "
        f"open('{pid_file}', 'w').write(str(p.pid)); time.sleep(60)"
    )
    return json.dumps(shlex.join(["python", "-c", script]))


def setup_process(project: Path) -> subprocess.Popen[str]:
    """``stackpick setup`` (pip) on ``project`` as its own process, output captured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STACKPICK_")}
    command = [sys.executable, "-m", "stackpick", "setup", "--project", str(project)]
    return subprocess.Popen(
        [*command, "--installer", "pip"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )  # fmt: skip


def wait_for(pid_files: Sequence[Path], process: subprocess.Popen[str]) -> None:
    """Until every step has written its child's pid (the steps are running)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(f.exists() and f.read_text() for f in pid_files):
        time.sleep(0.05)
    assert all(f.exists() for f in pid_files), process.communicate(timeout=60)


def assert_gone(pid_file: Path) -> None:
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and alive(grandchild):
        time.sleep(0.05)
    assert not alive(grandchild)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_step_and_its_children(tmp_path: Path, sig: int) -> None:
    project = make_project(tmp_path / "p", f"test = {sleeper('child.pid')}\n")
    fake_venv(project)
    process = setup_process(project)
    pid_file = project / "child.pid"
    wait_for([pid_file], process)
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "error: interrupted during step test: nothing of it was recorded" in err
    assert "STOPPED" in out
    assert_gone(pid_file)
    state = json.loads((project / ".venv" / STATE_FILE).read_text())
    assert set(state["done"]) == {"venv", "install"}


def test_a_signal_stops_a_step_running_beside_the_next_too(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p",
        f"migrate = {sleeper('migrate.pid')}\ntest = {sleeper('test.pid')}\n",
        independent=["migrate"],
    )
    fake_venv(project)
    process = setup_process(project)
    pid_files = [project / "migrate.pid", project / "test.pid"]
    wait_for(pid_files, process)  # both at once
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "error: interrupted during step test" in err
    assert out.count("STOPPED") == 2
    for pid_file in pid_files:
        assert_gone(pid_file)
    state = json.loads((project / ".venv" / STATE_FILE).read_text())
    assert set(state["done"]) == {"venv", "install"}
