"""What to say about a failed step: one line for known causes, else the output's tail."""

from __future__ import annotations

import re
from pathlib import Path

from .plan import Step
from .process import Completed

TAIL_LINES = 15


NETWORK_SIGNS = (
    "failed to establish a new connection",
    "newconnectionerror",
    "temporary failure in name resolution",
    "name or service not known",
    "network is unreachable",
    "connection refused",
    "connecterror",
    "proxyerror",
    "max retries exceeded",
    "error sending request for url",
    "dns error",
    "failed to fetch",
    "tcp connect error",
    "could not connect to",
    "operation timed out",
    "read timed out",
)
NO_INDEX_SIGNS = (
    "(from versions: none)",
    "was not found in the package registry",
    "was not found in the cache",
    "no index to search",
    "because you require offline",
    "--no-index",
)
#: libpq's words (psycopg 2 and 3, Django and SQLAlchemy alike) for a server it cannot reach.
DATABASE_SIGNS = (
    "failed: connection refused",
    "could not connect to server",
    "could not translate host name",
    "failed: timeout expired",
    "failed: connection timed out",
    "failed: no route to host",
    "failed: network is unreachable",
)


def install_problem(output: str) -> str | None:
    """One line saying the packages cannot be downloaded, when the output shows that."""
    text = output.lower()
    if any(sign in text for sign in NETWORK_SIGNS):
        return "cannot reach the package index: no network? (pip/uv could not connect)"
    if any(sign in text for sign in NO_INDEX_SIGNS):
        missing = re.search(r"(?:requirement|distribution found for) ([^\s(]+)", output)
        what = f" (not even {missing[1]})" if missing else ""
        return f"no package index to install from{what}: no network or no index?"
    return None


def database_problem(output: str, database_url: str | None, source: str = ".env") -> str | None:
    """One line saying the database server cannot be reached, when the output shows that."""
    if not database_url or database_url.startswith("sqlite"):
        return None
    text = output.lower()
    where = f"{redact_url(database_url)} (DATABASE_URL from {source})"
    if any(sign in text for sign in DATABASE_SIGNS):
        return (
            f"the database server cannot be reached at {where}: start it "
            "(e.g. docker compose up -d db) or fix DATABASE_URL, then run stackpick setup again"
        )
    missing = re.search(r'database "([^"]+)" does not exist', output)
    if missing:
        return (
            f'the server at {where} has no database "{missing[1]}": create it '
            f"(createdb {missing[1]}), then run stackpick setup again"
        )
    return None


def redact_url(url: str) -> str:
    """``url`` without its password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def env_file_value(project: Path, key: str) -> str | None:
    """``key``'s value in the project's ``.env`` (simple ``KEY=value`` lines)."""
    try:
        lines = (project / ".env").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and name.strip() == key:
            return value.strip().strip("'\"")
    return None


def tail(output: str, lines: int = TAIL_LINES) -> str:
    kept = [line.rstrip() for line in output.strip().splitlines()[-lines:]]
    return "\n".join(f"    {line}" for line in kept)


def failure_message(
    step: Step, completed: Completed, database_url: str | None, source: str = ".env"
) -> str:
    """What to say about a failed step: one line for known causes, else the output's tail."""
    if step.name == "install":
        known = install_problem(completed.output)
        if known:
            return f"step install failed: {known}"
    elif step.name != "venv":
        known = database_problem(completed.output, database_url, source)
        if known:
            return f"step {step.name} failed: {known}"
    head = (
        f"step {step.name} failed ({step.command or step.name}, exit {completed.returncode}); "
        "fix it and run stackpick setup again to continue from this step"
    )
    output = tail(completed.output)
    return f"{head}; last lines of its output:\n{output}" if output else head
