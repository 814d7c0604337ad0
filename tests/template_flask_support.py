"""Helpers for test_template_flask.py: answers, static checks, running a generated Flask project."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from generated import (
    CACHE,
    DUMMY_SECRET,
    PYTHON_VERSION,
    TEMPLATES,
    check_generated_files,
    free_port,
    generate_project,
    run,
    serving,
    shared_venv,
)

TEMPLATE = TEMPLATES / "flask"


FLAGS = ("admin", "auth", "rest_api", "i18n")
SHORT = {"admin": "admin", "auth": "auth", "rest_api": "api", "i18n": "i18n"}


def answers(database: str = "sqlite", **overrides: Any) -> dict[str, Any]:
    """Answers for the Flask template: no feature, no CI and no Docker unless asked."""
    base: dict[str, Any] = {
        "project_name": "Demo App",
        "project_slug": "demo_app",
        "description": "A demo.",
        "author_name": "Dev",
        "author_email": "dev@example.com",
        "database": database,
        "admin": False,
        "auth": False,
        "rest_api": False,
        "i18n": False,
        "ci": "none",
        "docker": False,
        "python_version": PYTHON_VERSION,
    }
    return {**base, **overrides}


def combination_id(values: Mapping[str, Any]) -> str:
    """``sqlite``, ``sqlite-auth-api-i18n``, ``none-api``, ``postgresql-admin-auth``..."""
    return "-".join([values["database"], *(SHORT[f] for f in FLAGS if values[f])])


def all_combinations() -> list[dict[str, Any]]:
    """Every valid answer set: admin needs auth, auth and admin need a database."""
    combos = []
    for database in ("none", "sqlite", "postgresql"):
        pairs = [(False, False)]
        if database != "none":
            pairs += [(False, True), (True, True)]
        for admin, auth in pairs:
            for rest_api in (False, True):
                for i18n in (False, True):
                    combos.append(
                        answers(database, admin=admin, auth=auth, rest_api=rest_api, i18n=i18n)
                    )
    return combos


def generate(tmp_path: Path, values: Mapping[str, Any]) -> Path:
    return generate_project("flask", values, tmp_path / "out")


def check_static(project: Path, hostile: bool = False) -> dict[str, str]:
    """The shared file checks, with this template's free-text files."""
    free_text = {"pyproject.toml", ".stackpick.toml", f"{project.name}/about.py"}
    return check_generated_files(project, free_text, hostile=hostile, allow_empty=False)


def requirements(values: Mapping[str, Any], tmp_path: Path) -> list[str]:
    """The dependencies (with the dev extra) that the template declares for ``values``."""
    project = generate(tmp_path, values)
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return [*data["project"]["dependencies"], *data["project"]["optional-dependencies"]["dev"]]


def full_venv(tmp_path_factory: pytest.TempPathFactory, *, i18n: bool = True) -> Path:
    """The shared venv with the dependencies of every feature (flask-babel only if ``i18n``).

    Flask-Admin uses Flask-Babel whenever it is installed, so projects without i18n
    are run in a venv without it, as they would be installed.
    """
    values = answers("postgresql", admin=True, auth=True, rest_api=True, i18n=i18n)
    reqs = sorted(requirements(values, tmp_path_factory.mktemp("reqs")))
    return shared_venv("flask-full" if i18n else "flask-no-i18n", reqs)


def mypy_cache(bin_dir: Path) -> Path:
    """One mypy cache per venv and xdist worker: the libraries' types are read once."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return CACHE / f"mypy-{bin_dir.parent.name}-{worker}"


class Project:
    """A generated project run with a prepared venv's ``bin`` and its sources on PYTHONPATH."""

    def __init__(
        self, path: Path, bin_dir: Path, database_url: str | None, *, test_database: bool = True
    ) -> None:
        """``test_database``: point TEST_DATABASE_URL at the database too (else the tests
        use, and create, ``<database>_test`` themselves)."""
        self.path = path
        self.slug = path.name
        self.bin = bin_dir
        self.env = {"PYTHONPATH": str(path), "APP_ENV": "development"}
        if database_url:
            self.env["DATABASE_URL"] = database_url
            if test_database:
                self.env["TEST_DATABASE_URL"] = database_url

    def flask(self, *args: str) -> str:
        return run([self.bin / "flask", *args], self.path, self.env).stdout

    def own_tests(self) -> str:
        args = [self.bin / "python", "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist"]
        return run([*args, "-q"], self.path, self.env).stdout

    def ruff(self) -> None:
        """ruff check, and ruff format --check on every file: generated code is formatted."""
        run([self.bin / "ruff", "check", "--no-cache", "."], self.path, self.env)
        run([self.bin / "ruff", "format", "--no-cache", "--check", "."], self.path, self.env)

    def mypy(self) -> None:
        """mypy as the project configures it (its own files, its pyproject settings)."""
        run([self.bin / "mypy", "--cache-dir", mypy_cache(self.bin)], self.path, self.env)

    def compile_translations(self) -> None:
        """``pybabel compile``, as the README's first command does (no .mo is shipped)."""
        translations = self.path / self.slug / "translations"
        if translations.is_dir():
            run([self.bin / "pybabel", "compile", "-d", translations], self.path, self.env)

    def production_env(self, **env: str) -> dict[str, str]:
        """Production settings good enough to start: a real key, this host, a mail server
        (never reached unless a test sends mail), plain HTTP allowed (tests ask over HTTP)."""
        return {
            **self.env,
            "APP_ENV": "production",
            "SECRET_KEY": DUMMY_SECRET,
            "TRUSTED_HOSTS": "127.0.0.1,localhost",
            "MAIL_SERVER": "127.0.0.1",
            "HTTPS_REDIRECT": "0",
            "RATELIMIT_STORAGE_URI": "memory://",
            **env,
        }

    @contextlib.contextmanager
    def gunicorn(
        self, workers: int = 1, *, options: Sequence[str] = (), **env: str
    ) -> Iterator[str]:
        """Serve with gunicorn in production mode on a free port (from the project's folder,
        so its gunicorn.conf.py applies); yields the base URL. ``options``: more arguments."""
        port = free_port()
        args = [self.bin / "gunicorn", f"{self.slug}:create_app()", *options]
        args += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        with serving(args, self.path, self.production_env(**env), port, health="/health") as url:
            yield url

    def server_log(self, url: str) -> str:
        """What the server at ``url`` (started by ``gunicorn``) wrote so far."""
        port = url.rsplit(":", 1)[1]
        return (self.path.parent / f"server-{port}.log").read_text()


def feature_table() -> list[str]:
    """The rows of FEATURES.md: each condition of the post-generation hook's manifest and its
    files (``{PACKAGE}`` shown as ``<slug>``)."""
    hook = (TEMPLATE / "hooks" / "post_gen_project.py").read_text(encoding="utf-8")
    rows = []
    for condition, files in re.findall(
        r'\n    "(.+?)": \(\n        \{\{.+?\}\},\n        \[(.*?)\]', hook, re.S
    ):
        names = [name.replace("{PACKAGE}", "<slug>") for name in re.findall(r'f?"(.+?)"', files)]
        rows.append(f"| `{condition}` | " + ", ".join(f"`{name}`" for name in names) + " |")
    return rows


def http(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
) -> tuple[int, Message, str]:
    """One request, redirects not followed: the status, the headers and the body."""
    data, sent = None, dict(headers or {})
    if json_body is not None:
        data, sent["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(url, data=data, headers=sent, method=method)
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def csrf_token(page: str) -> str:
    """The CSRF token of the first form of ``page``."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert found, page[:2000]
    return found.group(1)


def session_cookie(headers: Message) -> str:
    """The ``Cookie`` header that sends back the session cookie of ``headers`` (a Secure
    cookie, which urllib's cookie jar would keep from plain-HTTP test servers)."""
    for cookie in headers.get_all("Set-Cookie") or []:
        if cookie.startswith("session="):
            return cookie.split(";", 1)[0]
    raise AssertionError(f"no session cookie in {headers}")
