"""``stackpick setup``: finding Python, planning, resuming, failures, and (slow) real projects."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType

import pytest
from click.testing import CliRunner

from generated import PYTHON_VERSION, generate_project
from stackpick import setup
from stackpick.cli import cli
from stackpick.errors import BadInput
from stackpick.setup import (
    Completed,
    Interpreter,
    LineReporter,
    NotAProject,
    SetupFailed,
    SetupInterrupted,
    find_python,
    read_project,
    run_setup,
)

HERE = (sys.version_info[0], sys.version_info[1])


def make_project(
    root: Path,
    setup_table: str | None = None,
    python: str | None = None,
    independent: Sequence[str] = (),
) -> Path:
    """A minimal project: ``.stackpick.toml``, ``pyproject.toml`` and a ``tests`` folder."""
    root.mkdir(parents=True, exist_ok=True)
    version = python or f"{HERE[0]}.{HERE[1]}"
    text = f'[answers]\nframework = "flask"\npython_version = "{version}"\n'
    text += '\n[project]\nrun = "flask --app demo run"\nadmin = ""\n'
    if independent:
        text += f"setup_independent = {json.dumps(list(independent))}\n"
    if setup_table is not None:
        text += "\n[project.setup]\n" + textwrap.dedent(setup_table)
    (root / ".stackpick.toml").write_text(text)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0"\n')
    (root / "tests").mkdir(exist_ok=True)
    return root


class FakeRunner:
    """Records commands; makes ``.venv`` for the venv step; fails the commands it is told to."""

    def __init__(self, fail: Sequence[str] = (), output: str = "boom\n") -> None:
        self.calls: list[str] = []
        self.fail = set(fail)
        self.output = output

    def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
        command = " ".join(argv)
        self.calls.append(command)
        assert env["VIRTUAL_ENV"] == str(cwd / ".venv")
        assert env["PATH"].split(os.pathsep)[0] == str(cwd / ".venv" / "bin")
        if "venv" in argv and ".venv" in argv:
            (cwd / ".venv" / "bin").mkdir(parents=True)
            (cwd / ".venv" / "bin" / "python").symlink_to(sys.executable)
            (cwd / ".venv" / "bin" / "pip").touch()
            (cwd / ".venv" / "pyvenv.cfg").write_text(f"version = {HERE[0]}.{HERE[1]}.0\n")
        for word in self.fail:
            if word in command:
                return Completed(1, "line 1\n" + self.output)
        return Completed(0, "fine")

    def names(self) -> list[str]:
        return [c.split()[-1] if "install" not in c else "install" for c in self.calls]


def setup_with(project: Path, runner: FakeRunner, **options: object) -> setup.SetupResult:
    return run_setup(project, installer="pip", runner=runner, **options)  # type: ignore[arg-type]


# --- reading the project --------------------------------------------------------


def test_not_a_project_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["setup", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a stackpick project (no .stackpick.toml)" in result.output
    with pytest.raises(NotAProject):
        read_project(tmp_path)


def test_declared_steps_keep_their_order(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", 'translations = "pybabel compile -d x"\nmigrate = "m up"\ntest = "t"\n'
    )
    spec = read_project(project)
    assert [name for name, _ in spec.steps] == ["translations", "migrate", "test"]
    assert spec.run == "flask --app demo run"


def test_without_setup_table_tests_still_run(tmp_path: Path) -> None:
    spec = read_project(make_project(tmp_path / "p"))
    assert spec.steps == (("test", "python -m pytest"),)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('venv = "x"\n', "stackpick's own step"),
        ('migrate = "a \'b"\n', "project.setup.migrate"),
        ("migrate = 3\n", "must be a command line"),
    ],
)
def test_bad_setup_table(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        read_project(make_project(tmp_path / "p", table))


def test_bad_python_version(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a version"):
        read_project(make_project(tmp_path / "p", python="three"))


# --- finding Python -------------------------------------------------------------


def fake_python(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def no_probe(path: str) -> tuple[int, ...] | None:
    raise AssertionError(f"probed {path}")


def test_exact_version_on_path_first(tmp_path: Path) -> None:
    exe = fake_python(tmp_path / "bin", "python3.10")
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    found, note = find_python((3, 10), environ, probe=no_probe)
    assert found == Interpreter(str(exe), (3, 10))
    assert note == f"Python 3.10 ({exe})"


def test_pyenv_newest_patch(tmp_path: Path) -> None:
    root = tmp_path / "pyenv"
    for version in ("3.10.4", "3.10.13", "3.10-dev"):
        fake_python(root / "versions" / version / "bin", "python3.10")
    environ = {"PATH": "", "PYENV_ROOT": str(root)}
    found, _ = find_python((3, 10), environ, probe=no_probe)
    assert found.version == (3, 10, 13)
    assert found.path == str(root / "versions" / "3.10.13" / "bin" / "python3.10")


def test_newer_python_is_accepted_and_said(tmp_path: Path) -> None:
    exe = fake_python(tmp_path / "bin", "python3.99")
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    found, note = find_python((3, 98), environ, probe=no_probe)
    assert found.path == str(exe)
    assert "newer than the project's 3.98: accepted" in note


def test_only_older_python_is_refused(tmp_path: Path) -> None:
    fake_python(tmp_path / "bin", "python3.9")
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    with pytest.raises(setup.SetupError) as caught:
        find_python((3, 99), environ, probe=lambda path: None)
    assert "no Python 3.99 or newer found" in caught.value.message
    assert "found only" in caught.value.message
    assert "python3.9" in caught.value.message


def test_given_python_is_checked(tmp_path: Path) -> None:
    with pytest.raises(setup.SetupError, match=r"needs Python 3\.99 or newer"):
        find_python((3, 99), {}, given="/x/python", probe=lambda path: (3, 11, 2))
    with pytest.raises(BadInput, match="not a Python interpreter"):
        find_python((3, 11), {}, given="/x/python", probe=lambda path: None)


def test_cli_refuses_when_only_older_pythons_exist(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", python="3.99")
    env = {"PATH": str(tmp_path / "empty"), "PYENV_ROOT": str(tmp_path / "none")}
    result = CliRunner().invoke(cli, ["setup", "--project", str(project)], env=env)
    assert result.exit_code == 1
    assert "error: step venv failed: no Python 3.99 or newer found" in result.output
    assert not (project / ".venv").exists()


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


def test_line_reporter_prints_a_line_per_step(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    lines: list[str] = []
    setup_with(project, FakeRunner(), reporter=LineReporter(lines.append))
    text = "".join(lines)
    assert "[1/3] venv" in text and "[2/3] install" in text and "[3/3] test" in text
    assert " s  t run" in text
    assert "pip (--installer pip)" in text
    assert f"cd {project}" in text
    assert "flask --app demo run    # start the development server" in text


def test_json_reports_steps_and_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    monkeypatch.setattr(setup, "run_command", FakeRunner(fail=["t run"]))
    result = CliRunner().invoke(
        cli, ["setup", "--project", str(project), "--json", "--installer", "pip"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(s["name"], s["outcome"]) for s in data["steps"]] == [
        ("venv", "ok"),
        ("install", "ok"),
        ("test", "failed"),
    ]
    assert all(isinstance(s["seconds"], float) for s in data["steps"])
    assert "error: step test failed" in result.stderr


def test_no_index_is_one_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    pip_output = (
        "ERROR: Could not find a version that satisfies the requirement setuptools>=69 "
        "(from versions: none)\nERROR: No matching distribution found for setuptools>=69\n"
    )
    with pytest.raises(SetupFailed) as caught:
        setup_with(project, FakeRunner(fail=["install"], output=pip_output))
    (message,) = caught.value.messages
    assert message == (
        "step install failed: no package index to install from (not even setuptools>=69): "
        "no network or no index?"
    )


@pytest.mark.parametrize(
    "output",
    [
        "WARNING: Retrying ... NewConnectionError('Failed to establish a new connection')",
        "error: Request failed\n  cause: tcp connect error\n  cause: Connection refused",
        "cause: dns error: failed to lookup address information",
    ],
)
def test_network_failures_are_recognised(output: str) -> None:
    assert setup.install_problem(output) is not None


def test_other_install_failures_show_their_output() -> None:
    assert setup.install_problem("error: invalid pyproject.toml") is None


def test_unreachable_database_is_said(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", 'migrate = "m up"\n')
    url = "postgresql://me:secret@db.invalid:5432/app"
    (project / ".env").write_text(f"SECRET_KEY=x\nDATABASE_URL={url}\n")
    output = (
        'psycopg.OperationalError: connection failed: connection to server at "10.0.0.1", '
        "port 5432 failed: Connection refused\n\tIs the server running on that host?"
    )
    with pytest.raises(SetupFailed) as caught:
        setup_with(
            project, FakeRunner(fail=["m up"], output=output), environ=without_database_url()
        )
    (message,) = caught.value.messages
    assert "step migrate failed: the database server cannot be reached" in message
    assert "postgresql://me:***@db.invalid:5432/app (DATABASE_URL from .env)" in message
    assert "secret" not in message


def test_sqlite_failures_are_not_blamed_on_a_server() -> None:
    output = "port 5432 failed: Connection refused"
    assert setup.database_problem(output, "sqlite:///x.db") is None
    assert setup.database_problem(output, None) is None
    source = 'tex = e.ConnectionTimeout("connection timeout expired")'
    assert setup.database_problem(source, "postgresql://localhost/x") is None


def test_ctrl_c_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            setup.run_command(["sh", "-c", script], tmp_path, dict(os.environ))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(grandchild):
        time.sleep(0.05)
    assert not _alive(grandchild)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_installer_uv_without_uv_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup, "find_uv", lambda environ: None)
    with pytest.raises(BadInput, match="stackpick\\[uv\\]"):
        setup.choose_installer("uv", {})
    assert setup.choose_installer("auto", {}) == ("pip", None)


def test_next_commands_use_the_venv(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "python").touch()
    spec = setup.ProjectSpec(project, HERE, (), "python manage.py runserver", "x createsuperuser")
    lines = setup.next_commands(spec)
    assert lines[1].startswith(".venv/bin/python manage.py runserver")
    assert lines[2].startswith("x createsuperuser")


# --- real projects (slow) -------------------------------------------------------


def has_uv() -> bool:
    return setup.find_uv(os.environ) is not None


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
    # The Flask template declares a step writing uv.lock (its Docker image installs from it).
    names = ["venv", "install", *(["lock"] if framework == "flask" else []), "migrate", "test"]
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
        assert [s["outcome"] for s in steps] == ["skipped"] * (len(names) - 1) + ["ok"]
    assert code == 0, stderr
    assert data["ok"] is True and data["installer"] == installer
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [s["name"] for s in steps] == names
    if framework == "flask":
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


def test_missing_database_is_said() -> None:
    output = 'FATAL:  database "shop_test" does not exist'
    message = setup.database_problem(output, "postgresql://u:p@localhost/shop")
    assert message is not None
    assert 'has no database "shop_test": create it (createdb shop_test)' in message


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


def without_database_url() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}


@pytest.mark.parametrize("no_bytecode", ["1", ""])
def test_steps_write_bytecode_once_into_the_venv_where_imports_may_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_bytecode: str
) -> None:
    """With PYTHONDONTWRITEBYTECODE, each step would compile every module again: the steps
    write it into .venv/pycache instead (never beside the project's sources)."""
    monkeypatch.setattr(setup, "find_uv", lambda environ: "/x/uv")
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    seen: list[Mapping[str, str]] = []

    class Recording(FakeRunner):
        def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
            seen.append(dict(env))
            return super().__call__(argv, cwd, env)

    environ = {**without_database_url(), "PYTHONDONTWRITEBYTECODE": no_bytecode}
    environ.pop("PYTHONPYCACHEPREFIX", None)
    runner = Recording()
    run_setup(project, installer="uv", runner=runner, environ=environ)
    install = next(c for c in runner.calls if " pip install " in c)
    assert install.startswith("/x/uv pip install") and "--compile-bytecode" not in install
    for env in seen:
        if no_bytecode:
            assert "PYTHONDONTWRITEBYTECODE" not in env
            assert env["PYTHONPYCACHEPREFIX"] == str(project / ".venv" / "pycache")
        else:
            assert "PYTHONPYCACHEPREFIX" not in env


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
    venv_key = setup.chain_key("", "venv", f"{HERE[0]}.{HERE[1]}")
    install_key = setup.chain_key(venv_key, "install", (project / "pyproject.toml").read_text())
    done = {"venv": venv_key, "install": install_key}
    (venv / setup.STATE_FILE).write_text(json.dumps({"done": done, "complete": False}))


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
    while time.monotonic() < deadline and _alive(grandchild):
        time.sleep(0.05)
    assert not _alive(grandchild)


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
    state = json.loads((project / ".venv" / setup.STATE_FILE).read_text())
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
    state = json.loads((project / ".venv" / setup.STATE_FILE).read_text())
    assert set(state["done"]) == {"venv", "install"}


def test_live_line_fits_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines: list[str] = []
    step = setup.Step("install", ("x",), "k", "a very long detail " * 10)
    LineReporter(lines.append, live=True).started(step, 2, 4)
    assert len(lines[0]) == 39
