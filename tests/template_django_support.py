"""Helpers for test_template_django.py: answers, static checks, running a generated project."""

from __future__ import annotations

import ast
import concurrent.futures
import contextlib
import gettext
import http.cookiejar
import os
import re
import shlex
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

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
)

TEMPLATE = TEMPLATES / "django"
FEATURES = {"auth": "auth", "rest_api": "api", "i18n": "i18n"}
DATABASES = ("sqlite", "postgresql")
# Production refuses to start without mail settings when it sends mail (auth): none is sent here.
MAIL_URL = "dummymail://"


def combination_id(database: str, features: Mapping[str, bool]) -> str:
    """``sqlite``, ``sqlite-auth-api-i18n``, ``postgresql-api``..."""
    return "-".join([database, *(short for name, short in FEATURES.items() if features[name])])


def all_combinations() -> list[tuple[str, dict[str, bool]]]:
    combos = []
    for database in DATABASES:
        for flags in range(2 ** len(FEATURES)):
            features = {name: bool(flags >> i & 1) for i, name in enumerate(FEATURES)}
            combos.append((database, features))
    return combos


def answers(database: str = "sqlite", **overrides: Any) -> dict[str, Any]:
    """Answers for the Django template: defaults, no CI and no Docker unless asked."""
    base: dict[str, Any] = {
        "project_name": "Demo Site",
        "project_slug": "demo_site",
        "description": "A demo.",
        "database": database,
        "auth": False,
        "rest_api": False,
        "i18n": False,
        "ci": "none",
        "docker": False,
        "python_version": PYTHON_VERSION,
    }
    return {**base, **overrides}


def generate(tmp_path: Path, values: Mapping[str, Any]) -> Path:
    return generate_project("django", values, tmp_path / "out")


def check_static(project: Path, hostile: bool = False) -> dict[str, str]:
    """The shared file checks, with this template's free-text files."""
    free_text = {"pyproject.toml", ".stackpick.toml", f"{project.name}/project.py"}
    return check_generated_files(project, free_text, hostile=hostile, allow_empty=True)


def project_strings(project: Path) -> dict[str, str]:
    """NAME and DESCRIPTION as the generated project.py defines them."""
    tree = ast.parse((project / project.name / "project.py").read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def po_catalog(path: Path) -> dict[str, str]:
    """The msgid -> msgstr pairs of a simple .po file (one line each, header left out)."""
    catalog = {}
    msgid = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r'(msgid|msgstr) "(.*)"', line)
        if match and match[1] == "msgid":
            msgid = ast.literal_eval(f'"{match[2]}"')
        elif match and msgid:
            catalog[msgid] = ast.literal_eval(f'"{match[2]}"')
    return catalog


def mo_catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    return {k: v for k, v in translations._catalog.items() if k}  # type: ignore[attr-defined]


class Project:
    """A generated project run with a prepared venv (``bin_dir``)."""

    def __init__(self, path: Path, bin_dir: Path, database_url: str, use_pythonpath: bool = True):
        self.path = path
        self.slug = path.name
        self.bin = bin_dir
        self.env = {"DATABASE_URL": database_url}
        if use_pythonpath:
            self.env["PYTHONPATH"] = str(path)

    def manage(self, *args: str, settings: str = "development", **env: str) -> str:
        full_env = {**self.env, "DJANGO_SETTINGS_MODULE": f"{self.slug}.settings.{settings}", **env}
        return run([self.bin / "python", "manage.py", *args], self.path, full_env).stdout

    def production(self, *args: str) -> str:
        return self.manage(
            *args,
            settings="production",
            SECRET_KEY=DUMMY_SECRET,
            ALLOWED_HOSTS="127.0.0.1,example.com",
            EMAIL_URL=MAIL_URL,
        )

    def own_tests(self) -> str:
        args = [
            self.bin / "python",
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
        ]
        return run(args, self.path, self.env).stdout

    def ruff(self) -> None:
        run([self.bin / "ruff", "check", "--no-cache", "."], self.path, self.env)
        run([self.bin / "ruff", "format", "--check", "--no-cache", "."], self.path, self.env)

    def mypy(self) -> None:
        # Shared by the tests: the stubs' analysis (most of the time) is reused.
        cache = CACHE / "django-mypy-cache"
        run([self.bin / "mypy", "--cache-dir", str(cache), "."], self.path, self.env)

    def setup_step(self, name: str) -> None:
        """Run one ``setup`` step the template declares (as ``stackpick setup`` would)."""
        meta = tomllib.loads((self.path / ".stackpick.toml").read_text())["project"]
        command = meta.get("setup", {}).get(name, "")
        if command:
            env = {**self.env, "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"}
            run(shlex.split(command), self.path, env)

    @contextlib.contextmanager
    def gunicorn(
        self, settings: str = "production", workers: int = 1, **extra: str
    ) -> Iterator[str]:
        """Serve with gunicorn on a free port; yields the base URL."""
        port = free_port()
        env = {
            **self.env,
            "DJANGO_SETTINGS_MODULE": f"{self.slug}.settings.{settings}",
            "SECRET_KEY": DUMMY_SECRET,
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": f"filemail:///{self.path.parent / 'mail'}",  # (an absolute path)
            **extra,
        }
        args = [self.bin / "gunicorn", f"{self.slug}.wsgi:application"]
        args += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        with serving(args, self.path, env, port, health="/health/") as url:
            yield url


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Visitor:
    """One browser-like client of a served project: its own cookies, redirects not followed.

    ``address`` is sent as ``X-Forwarded-For`` (it counts behind ``NUM_PROXIES=1``).
    """

    def __init__(self, base: str, address: str = "", **headers: str) -> None:
        self.base = base
        self.headers = {**({"X-Forwarded-For": address} if address else {}), **headers}
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def request(
        self, path: str, data: bytes | None = None, **headers: str
    ) -> tuple[int, Mapping[str, str], str]:
        request = urllib.request.Request(
            self.base + path, data=data, headers={**self.headers, **headers}
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")

    def get(self, path: str, **headers: str) -> tuple[int, Mapping[str, str], str]:
        return self.request(path, **headers)

    def form_token(self, path: str) -> str:
        """GET a form page; its CSRF token (the cookie is kept)."""
        status, _, page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and match, (path, status, page[-2000:])
        return match[1]

    def post_form(self, path: str, fields: Mapping[str, str], token: str = "") -> int:
        """POST a form (with a CSRF token, fetched first unless given); the status."""
        token = token or self.form_token(path)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(path, body, **headers)[0]


def concurrently(calls: list[Callable[[], int]], workers: int = 4) -> list[int]:
    """Run the calls on ``workers`` threads at once; their results in order."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda call: call(), calls))


def sent_mails(folder: Path) -> list[str]:
    """The messages Django's file e-mail backend wrote (``EMAIL_URL=filemail://folder``)."""
    if not folder.is_dir():
        return []
    text = "\n".join(p.read_text() for p in sorted(folder.iterdir()))
    return [m for m in text.split("-" * 79) if "Subject:" in m]
