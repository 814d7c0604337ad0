"""``stackpick setup`` says in one line why a step failed, where the cause is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from setup_support import FakeRunner, make_project, setup_with, without_database_url
from stackpick.setup import SetupFailed
from stackpick.setup.diagnose import database_problem, install_problem


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
    assert install_problem(output) is not None


def test_other_install_failures_show_their_output() -> None:
    assert install_problem("error: invalid pyproject.toml") is None


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
    assert database_problem(output, "sqlite:///x.db") is None
    assert database_problem(output, None) is None
    source = 'tex = e.ConnectionTimeout("connection timeout expired")'
    assert database_problem(source, "postgresql://localhost/x") is None


def test_missing_database_is_said() -> None:
    output = 'FATAL:  database "shop_test" does not exist'
    message = database_problem(output, "postgresql://u:p@localhost/shop")
    assert message is not None
    assert 'has no database "shop_test": create it (createdb shop_test)' in message
