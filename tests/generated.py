"""Shared support for the tests that generate projects and run their own checks.

``generate_project`` is the one way tests create a project; ``shared_venv`` is a
prepared virtual environment that many generated projects share, so the
matrix stays fast; ``run`` runs a command and fails the test with its output.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
CACHE = Path(os.environ.get("STACKPICK_TEST_CACHE", REPO / ".cache" / "tests"))
POSTGRES_URL = os.environ.get("STACKPICK_TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("STACKPICK_TEST_REQUIRE_POSTGRES", "") == "1"


# Free text that must stay text wherever it lands (both template matrices use it).
HOSTILE_NAME = 'Caf\u00e9 "Quotes" \\ {{ 7*7 }} {% if %} </script> \\"q\\"'
HOSTILE_DESCRIPTION = (
    "First line with <b>tags</b> & {{ cookiecutter.project_slug }}\n"
    'Second "line" \\n {% endif %} </script>\n'
    "\tThird line: \u00fcn\u00efc\u00f6d\u00e9 \u2603 ${HOME} %(x)s {# c #}"
)
HOSTILE_AUTHOR = 'Zo\u00eb O\'Brien "the" \\ {{ a }}'

# The running interpreter's version when the templates offer it (projects need >= it).
PYTHON_VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"
if PYTHON_VERSION not in ("3.10", "3.11", "3.12", "3.13"):
    PYTHON_VERSION = "3.11"

# A secret that passes the projects' production checks; real ones come from the environment.
DUMMY_SECRET = "dummy-secret-for-checks-" + "0123456789abcdef" * 3


def generate_project(framework: str, answers: Mapping[str, Any], output_dir: Path) -> Path:
    """Generate a project with ``stackpick new`` (in-process) and return its folder.

    ``answers`` may hold any question keys; ``framework`` is set explicitly.
    """
    from click.testing import CliRunner

    from stackpick.cli import cli

    args = ["new", "--no-input", "--no-git", "--json", "--output-dir", str(output_dir)]
    for key, value in {**answers, "framework": framework}.items():
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        args += ["--set", f"{key}={text}"]
    result = CliRunner().invoke(cli, args, env={"NO_COLOR": "1"})
    if result.exit_code != 0:
        pytest.fail(f"stackpick {args} exited {result.exit_code}:\n{result.output}", pytrace=False)
    return Path(json.loads(result.stdout)["path"])


def run(
    args: Sequence[str | os.PathLike[str]],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with the command's output when it fails."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {result.returncode} in {cwd}\n"
            f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}",
            pytrace=False,
        )
    return result


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_venv(name: str, install_args: Sequence[str], python: str = sys.executable) -> Path:
    """A virtual environment with ``pip install <install_args>`` done once, shared by tests.

    Safe under pytest-xdist: the first worker builds it under a file lock, the
    others wait and reuse it.  Its folder name carries a hash of the arguments,
    so a change of requirements builds a new one.  Returns the venv's ``bin``.
    """
    digest = hashlib.sha256("\0".join([python, *install_args]).encode()).hexdigest()[:12]
    root = CACHE / f"{name}-{digest}"
    done = root / ".ready"
    with _locked(CACHE / f"{name}-{digest}.lock"):
        if not done.exists():
            subprocess.run([python, "-m", "venv", "--clear", str(root)], check=True)
            bin_dir = root / "bin"
            result = subprocess.run(
                [str(bin_dir / "python"), "-m", "pip", "install", "-q", *install_args],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                pytest.fail(f"pip install {install_args} failed:\n{result.stderr[-6000:]}")
            done.write_text("ok\n")
    return root / "bin"


def postgres_database(name: str) -> str:
    """A fresh, empty PostgreSQL database for one test; skips without a server.

    With STACKPICK_TEST_REQUIRE_POSTGRES=1 (as CI sets) a missing server fails instead.
    """
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail(
                "STACKPICK_TEST_REQUIRE_POSTGRES=1, but STACKPICK_TEST_DATABASE_URL is unset"
            )
        pytest.skip("no PostgreSQL server: set STACKPICK_TEST_DATABASE_URL (see .ci/postgres.sh)")
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        for attempt in range(20):
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.errors.InsufficientPrivilege:
                # An autovacuum worker (a superuser's process) is in the database of an
                # earlier run, and this role may not end it: it finishes on its own.
                if attempt == 19:
                    raise
                time.sleep(0.5)
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_URL.rpartition("/")
    return f"{base}/{name}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    args: Sequence[str | os.PathLike[str]],
    cwd: Path,
    env: Mapping[str, str],
    port: int,
    *,
    health: str,
) -> Iterator[str]:
    """Start a server, wait (bounded) until ``health`` answers 200, yield its URL, then stop it."""
    log_path = cwd.parent / f"server-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(a) for a in args],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = fetch(f"{url}{health}")[0]
            except (OSError, urllib.error.URLError):
                status = None
            if status == 200:
                break
            time.sleep(0.2)
        if status != 200:
            pytest.fail(
                f"{args} did not answer {health} with 200"
                f" (last: {status}, exit: {process.poll()}):\n" + log_path.read_text()[-6000:],
                pytrace=False,
            )
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(
    url: str, headers: Mapping[str, str] | None = None, follow: bool = True
) -> tuple[int, str]:
    """GET ``url``; the status and the body, also for HTTP errors (redirects followed if asked)."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def fetch_redirect(url: str) -> tuple[int, str]:
    """GET ``url`` without following a redirect: the status and the Location header."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


#: stackpick's own decision record: it names every answer, features off included.
DECISION_RECORD = "docs/decisions/0001-web-framework.md"


def text_files(project: Path) -> dict[str, str]:
    """Every text file of a generated project by relative path (.mo catalogs are binary;
    ``.git`` is git's)."""
    return {
        path.relative_to(project).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(project.rglob("*"))
        if path.is_file() and path.suffix != ".mo" and ".git" not in path.relative_to(project).parts
    }


def check_generated_files(
    project: Path, free_text: set[str], *, hostile: bool, allow_empty: bool
) -> dict[str, str]:
    """No template residue, .py compiles, TOML/YAML parse, no empty folder or (unless allowed) file.

    ``free_text`` names the files that hold the free-text answers themselves (escaped for
    their language): with ``hostile`` text their braces are data, not residue.
    """
    files = text_files(project)
    for rel, text in files.items():
        if not allow_empty and rel != ".env":
            assert text.strip(), f"empty file {rel}"
        if hostile and (rel in free_text or rel == DECISION_RECORD):
            pass  # the answers themselves, escaped for their language (the record: test_record)
        elif hostile and rel == "README.md":
            # The description says "cookiecutter" as text; its braces are entities.
            assert "{%" not in text and "{{" not in text, f"template residue in {rel}"
        elif rel.endswith(".html"):
            # The project's own templates: only cookiecutter's syntax must be gone.
            assert "cookiecutter" not in text, f"template residue in {rel}"
        else:
            assert "cookiecutter" not in text, f"template residue in {rel}"
            assert "{%" not in text and "{{" not in text, f"template residue in {rel}"
        if rel.endswith(".py"):
            compile(text, rel, "exec", dont_inherit=True)
        elif rel.endswith(".toml"):
            tomllib.loads(text)
        elif rel.endswith((".yml", ".yaml")):
            assert isinstance(yaml.safe_load(text), dict), rel
    for path in project.rglob("*"):
        if path.is_dir() and ".git" not in path.relative_to(project).parts:
            assert any(path.iterdir()), f"empty directory {path}"
    return files


def fetch_response(
    url: str, headers: Mapping[str, str] | None = None
) -> tuple[int, Mapping[str, str], str]:
    """GET ``url`` without following redirects: the status, the headers and the body.

    ``Set-Cookie`` headers are joined with newlines (one line per cookie).
    """
    request = urllib.request.Request(url, headers=dict(headers or {}))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        found = {key: value for key, value in response.headers.items()}
        cookies = response.headers.get_all("Set-Cookie") or []
        if cookies:
            found["Set-Cookie"] = "\n".join(cookies)
        return response.status, found, response.read().decode("utf-8", "replace")


def drop_postgres_database(name: str) -> None:
    """Drop database ``name`` on the test server if it exists (skips without a server)."""
    if not POSTGRES_URL:
        return
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


REDIS_SERVER = os.environ.get("STACKPICK_TEST_REDIS_SERVER", "redis-server")
REQUIRE_REDIS = os.environ.get("STACKPICK_TEST_REQUIRE_REDIS", "") == "1"


@contextmanager
def redis_server(tmp_path: Path) -> Iterator[str]:
    """A throw-away Redis server on 127.0.0.1 (no persistence); yields its ``redis://`` URL.

    Skips without ``redis-server`` (see .ci/redis.sh), or fails with STACKPICK_TEST_REQUIRE_REDIS=1.
    """
    import shutil
    import socket

    binary = shutil.which(REDIS_SERVER)
    if binary is None:
        if REQUIRE_REDIS:
            pytest.fail("STACKPICK_TEST_REQUIRE_REDIS=1, but there is no redis-server")
        pytest.skip("no redis-server (see .ci/redis.sh)")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--dir", str(tmp_path)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
