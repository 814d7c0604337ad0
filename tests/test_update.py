"""``stackpick update``: answers changed later and newer templates, merged with git."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from stackpick.cli import cli
from stackpick.errors import EXIT_BAD_INPUT, EXIT_CONFLICTS
from stackpick.template_source import templates_root
from test_template_django import django_venv  # noqa: F401  (the shared venv fixture)


@pytest.fixture(autouse=True)
def _identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Team")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "team@example.com")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def sh(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def new(out: Path, answers: dict[str, Any], *extra: str) -> Path:
    pairs = [a for k, v in answers.items() for a in ("--set", f"{k}={v}")]
    result = invoke("new", "--no-input", "--json", "-o", str(out), *pairs, *extra)
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.output)["path"])


def update(project: Path, *args: str) -> Result:
    return invoke("update", "--no-input", "--project", str(project), *args)


def files(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(project).parts and p.name != ".env"
    }


def recorded(project: Path) -> dict[str, Any]:
    return dict(tomllib.loads((project / ".stackpick.toml").read_text())["answers"])


def commit_all(project: Path, message: str = "team work") -> None:
    sh(project, "add", "-A")
    sh(project, "commit", "-qm", message)


FLASK = {"framework": "flask", "project_name": "Shop"}
DJANGO = {"framework": "django", "project_name": "Shop"}
# (base answers, the answer update sets): each optional feature, added to a base without it.
FEATURES: list[tuple[dict[str, Any], tuple[str, str]]] = [
    *(
        (base, change)
        for base in (FLASK, DJANGO)
        for change in (
            ("auth", "yes"),
            ("rest_api", "yes"),
            ("i18n", "yes"),
            ("ci", "gitlab"),
            ("ci", "none"),
            ("database", "postgresql"),
        )
    ),
    ({**FLASK, "docker": "no"}, ("docker", "yes")),
    ({**DJANGO, "docker": "no"}, ("docker", "yes")),
    ({**FLASK, "ci": "none"}, ("ci", "github")),
    ({**FLASK, "auth": "yes"}, ("admin", "yes")),
]


@pytest.mark.parametrize(
    ("base", "change"),
    FEATURES,
    ids=[f"{b['framework']}-{'-'.join(c)}" for b, c in FEATURES],
)
def test_update_gives_the_files_of_new(
    tmp_path: Path, base: dict[str, Any], change: tuple[str, str]
) -> None:
    project = new(tmp_path / "a", base)
    result = update(project, "--set", "=".join(change))
    assert result.exit_code == 0, result.output
    wanted = new(tmp_path / "b", {**recorded(project)}, "--no-git")
    assert files(project) == files(wanted)
    assert sh(project, "status", "--porcelain") == ""
    assert sh(project, "rev-parse", "HEAD") == sh(project, "rev-parse", "stackpick")


def test_removing_a_feature_removes_its_files(tmp_path: Path) -> None:
    project = new(tmp_path / "a", {**FLASK, "rest_api": "yes"})
    assert (project / "shop" / "api.py").exists()
    assert update(project, "--set", "rest_api=no").exit_code == 0
    assert not (project / "shop" / "api.py").exists()
    assert files(project) == files(new(tmp_path / "b", recorded(project), "--no-git"))


def test_edits_are_kept_and_added_or_deleted_files_stay_so(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur team's own section.\n")
    (project / "NOTES.md").write_text("ours\n")
    # A file the new feature leaves as it is (a changed one would be a modify/delete conflict).
    with_api = new(tmp_path / "b", {**recorded(project), "rest_api": "yes"}, "--no-git")
    deleted = next(
        project / name
        for name in ("Dockerfile", ".dockerignore", ".pre-commit-config.yaml", ".flaskenv")
        if (project / name).is_file()
        and (project / name).read_bytes() == (with_api / name).read_bytes()
    )
    deleted.unlink()
    commit_all(project)
    result = update(project, "--set", "rest_api=yes")
    assert result.exit_code == 0, result.output
    assert "Our team's own section." in readme.read_text()
    assert "api" in readme.read_text().lower()
    assert (project / "NOTES.md").read_text() == "ours\n"
    assert not deleted.exists()
    assert (project / "shop" / "api.py").exists()
    assert sh(project, "status", "--porcelain") == ""


def test_overlapping_edits_are_conflicts_with_markers_and_exit_3(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    toml = project / "pyproject.toml"
    lines = toml.read_text().splitlines(keepends=True)
    changed = new(tmp_path / "b", {**recorded(project), "rest_api": "yes"}, "--no-git")
    theirs = (changed / "pyproject.toml").read_text().splitlines(keepends=True)
    pairs = enumerate(zip(lines, theirs, strict=False))
    first_difference = next(i for i, (a, b) in pairs if a != b)
    lines[first_difference] = "# the team's line\n"
    toml.write_text("".join(lines))
    commit_all(project)
    result = update(project, "--set", "rest_api=yes")
    assert result.exit_code == EXIT_CONFLICTS, result.output
    assert "conflict pyproject.toml" in result.output
    assert "git add pyproject.toml" in result.output and "git commit" in result.output
    text = toml.read_text()
    assert "<<<<<<<" in text and "# the team's line" in text and ">>>>>>>" in text
    assert (project / "shop" / "api.py").exists()


def test_a_changed_file_the_template_deletes_is_a_conflict(tmp_path: Path) -> None:
    project = new(tmp_path / "a", {**FLASK, "rest_api": "yes"})
    api = project / "shop" / "api.py"
    api.write_text(api.read_text() + "\n# our endpoint\n")
    commit_all(project)
    dry = update(project, "--set", "rest_api=no", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["conflicting"] == ["shop/api.py"]
    result = update(project, "--set", "rest_api=no", "--json")
    assert result.exit_code == EXIT_CONFLICTS
    assert "# our endpoint" in api.read_text()


def test_dry_run_lists_changes_and_writes_nothing(tmp_path: Path) -> None:
    project = new(tmp_path / "a", DJANGO)
    before = files(project)
    head = sh(project, "rev-parse", "HEAD", "stackpick")
    result = update(project, "--set", "rest_api=yes", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dry_run"] is True and data["conflicting"] == []
    assert ".stackpick.toml" in data["changed"] and data["removed"] == []
    assert any("api" in name for name in data["added"])
    assert data["answers_changed"] == {"rest_api": {"old": False, "new": True}}
    assert files(project) == before
    assert sh(project, "rev-parse", "HEAD", "stackpick") == head
    text = update(project, "--set", "rest_api=yes", "--dry-run")
    assert "Would update" in text.output and "added" in text.output


def test_records_answers_and_version_and_keeps_the_env_secret(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    env = (project / ".env").read_text()
    assert "DATABASE_URL=postgresql" not in env
    result = update(project, "--set", "database=postgresql", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["env_added"] == ["DATABASE_URL"]
    after = (project / ".env").read_text()
    assert after.startswith(env) and "DATABASE_URL=postgresql://" in after
    document = tomllib.loads((project / ".stackpick.toml").read_text())
    assert document["answers"]["database"] == "postgresql"
    assert document["stackpick"]["version"]


def test_an_unchanged_update_does_nothing(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    refs = sh(project, "show-ref")
    result = update(project)
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
    assert sh(project, "status", "--porcelain") == ""
    assert sh(project, "show-ref") == refs  # no empty merge commit


def test_the_branch_from_a_teammates_clone_is_used(tmp_path: Path) -> None:
    origin = new(tmp_path / "a", FLASK)
    assert update(origin, "--set", "auth=yes").exit_code == 0
    clone = tmp_path / "clone"
    sh(tmp_path, "clone", "-q", str(origin), str(clone))
    assert "stackpick" not in sh(clone, "branch", "--list")
    result = update(clone, "--set", "rest_api=yes")
    assert result.exit_code == 0, result.output
    assert "made one" not in result.output
    assert files(clone) == files(new(tmp_path / "b", recorded(clone), "--no-git"))


def bad(project: Path, *args: str) -> Result:
    """Run an update that must be refused: exit 2, one line, nothing changed."""
    before = sh(project, "status", "--porcelain") if (project / ".git").exists() else ""
    refs = sh(project, "show-ref") if (project / ".git").exists() else ""
    result = CliRunner().invoke(cli, ["update", "--no-input", "--project", str(project), *args])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert result.output.startswith("error: ")
    if (project / ".git").exists():
        assert sh(project, "status", "--porcelain") == before
        assert sh(project, "show-ref") == refs
    return result


def test_bad_inputs_are_refused_and_change_nothing(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    assert "framework" in bad(project, "--set", "framework=django").output
    assert (
        "Flask project does not become a Django one"
        in bad(project, "--set", "framework=django").output
    )
    assert "unknown" in bad(project, "--set", "colour=blue").output.lower()
    (project / "README.md").write_text("changed\n")
    assert "uncommitted changes" in bad(project, "--set", "rest_api=yes").output
    sh(project, "checkout", "--", "README.md")
    (project / "stray.txt").write_text("x\n")
    assert "uncommitted changes" in bad(project).output
    (project / "stray.txt").unlink()
    sh(project, "checkout", "-q", "stackpick")
    assert "branch is checked out" in bad(project).output
    sh(project, "checkout", "-q", "-")
    toml = project / ".stackpick.toml"
    toml.write_text("[answers\nframework = 'flask'\n")
    commit_all(project, "broken")
    assert "malformed TOML" in bad(project).output
    toml.unlink()
    commit_all(project, "removed")
    assert "no .stackpick.toml" in bad(project).output
    assert sh(project, "status", "--porcelain") == ""


def test_outside_a_git_repository_is_refused(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK, "--no-git")
    assert "not a git repository" in bad(project).output
    assert not (project / ".git").exists()


def test_new_makes_a_repository_unless_told_not_to(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    assert sh(project, "log", "--format=%s").startswith("Initial commit from stackpick")
    assert sh(project, "status", "--porcelain") == ""
    assert ".env" not in sh(project, "ls-files").split()
    assert not (new(tmp_path / "b", FLASK, "--no-git") / ".git").exists()


def test_a_clone_without_the_branch_gets_one(tmp_path: Path) -> None:
    project = new(tmp_path / "a", FLASK)
    sh(project, "branch", "-D", "stackpick")
    result = update(project, "--set", "i18n=yes")
    assert result.exit_code == 0, result.output
    assert "made one from the recorded answers" in result.output
    assert files(project) == files(new(tmp_path / "b", recorded(project), "--no-git"))


def copy_template(to: Path) -> Path:
    shutil.copytree(templates_root() / "flask", to)
    return to


def test_upgrade_from_a_modified_copy_of_the_bundled_template(tmp_path: Path) -> None:
    v1 = copy_template(tmp_path / "v1")
    readme = v1 / "{{cookiecutter.project_slug}}" / "README.md"
    readme.write_text(readme.read_text().replace("\n", "\nTemplate v1 line.\n", 1))
    project = new(tmp_path / "a", FLASK, "--template", f"flask={v1}")
    assert "Template v1 line." in (project / "README.md").read_text()
    (project / "README.md").write_text((project / "README.md").read_text() + "\nTeam line.\n")
    commit_all(project)
    # version 2: the bundled template as it is (v1's line gone, its other files unchanged)
    result = update(project, "--template", f"flask={templates_root() / 'flask'}")
    assert result.exit_code == 0, result.output
    text = (project / "README.md").read_text()
    assert "Template v1 line." not in text and "Team line." in text


def git_template(tmp_path: Path) -> tuple[Path, str, str]:
    """A BYO template in a git repository: commits v1 and v2 (v2 adds a file and a line)."""
    repo = copy_template(tmp_path / "tpl")
    sh(repo, "init", "-q")
    commit_all(repo, "v1")
    v1 = sh(repo, "rev-parse", "HEAD").strip()
    slug = repo / "{{cookiecutter.project_slug}}"
    (slug / "CONTRIBUTING.md").write_text("Contribute to {{ cookiecutter.project_name }}.\n")
    conf = slug / ".editorconfig"
    conf.write_text("root = true\n")
    commit_all(repo, "v2")
    return repo, v1, sh(repo, "rev-parse", "HEAD").strip()


def test_upgrade_a_byo_git_template_from_an_older_commit(tmp_path: Path) -> None:
    repo, v1, v2 = git_template(tmp_path)
    project = new(tmp_path / "a", FLASK, "--template", f"flask={repo}", "--checkout", v1)
    assert not (project / "CONTRIBUTING.md").exists()
    (project / "README.md").write_text((project / "README.md").read_text() + "\nTeam line.\n")
    commit_all(project)
    # Without --template, the recorded commit renders: an answer changes, no template change.
    assert update(project, "--set", "i18n=yes").exit_code == 0
    assert not (project / "CONTRIBUTING.md").exists()
    pinned = tomllib.loads((project / ".stackpick.toml").read_text())["templates"]["flask"]
    assert pinned["checkout"] == v1
    result = update(project, "--template", f"flask={repo}", "--checkout", v2)
    assert result.exit_code == 0, result.output
    assert (project / "CONTRIBUTING.md").read_text() == "Contribute to Shop.\n"
    assert "Team line." in (project / "README.md").read_text()
    assert (project / "shop" / "translations").exists() or "babel" in (
        project / "pyproject.toml"
    ).read_text().lower()
    document = tomllib.loads((project / ".stackpick.toml").read_text())
    assert document["templates"]["flask"]["checkout"] == v2


def test_a_second_update_with_a_tag_checkout_is_a_no_op(tmp_path: Path) -> None:
    repo, _v1, v2 = git_template(tmp_path)
    sh(repo, "tag", "v2", v2)
    project = new(tmp_path / "a", FLASK, "--template", f"flask={repo}", "--checkout", "v2")
    assert update(project, "--set", "auth=yes").exit_code == 0
    toml = (project / ".stackpick.toml").read_bytes()
    table = tomllib.loads(toml.decode())["templates"]["flask"]
    assert (table["checkout"], table["commit"]) == ("v2", v2)  # the ref as given, and where
    refs = sh(project, "show-ref")
    result = update(project)
    assert result.exit_code == 0, result.output
    assert "Up to date" in result.output
    assert sh(project, "show-ref") == refs
    assert (project / ".stackpick.toml").read_bytes() == toml


PROJECTS = Path(__file__).parent / "data" / "projects"
#: Projects made by earlier stackpicks: (commit, folder, the base their migrations keep).
EARLIER = [
    ("9d53c03", "old_flask", "items"),
    ("9d53c03", "old_django", "v1"),
    ("a1d606a", "old_flask_auth", "v1-auth"),
    ("a1d606a", "old_django", "v1"),
    ("638fdd9", "old_flask_auth", "v2-auth"),
    ("638fdd9", "old_django", "v2"),
    ("51842bd", "old_flask", "items"),  # 0.2.0
    ("51842bd", "old_flask_full", "items"),  # 0.2.0: auth, admin, rest_api, i18n
]


def earlier_project(tmp_path: Path, commit: str, name: str) -> Path:
    """A project as an earlier stackpick made it: its first commit, also on ``stackpick``."""
    project = tmp_path / name
    shutil.copytree(PROJECTS / commit / name, project)
    sh(project, "init", "-q")
    commit_all(project, "Initial commit from stackpick 0.1.0")
    sh(project, "branch", "stackpick")
    return project


def migrations(project: Path) -> dict[str, bytes]:
    return {k: v for k, v in files(project).items() if "/migrations/" in k}


@pytest.mark.parametrize(("commit", "name", "base"), EARLIER)
def test_every_earlier_project_updates_and_keeps_its_migrations(
    tmp_path: Path, commit: str, name: str, base: str
) -> None:
    project = earlier_project(tmp_path, commit, name)
    before = migrations(project)
    feature = {
        "old_flask": "auth",
        "old_flask_auth": "admin",
        "old_django": "rest_api",
        "old_flask_full": "",  # every feature with a schema: the template's changes alone
    }[name]
    result = update(project, *(("--set", f"{feature}=yes") if feature else ()), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    after = migrations(project)
    assert {k: after[k] for k in before} == before  # applied migrations are history
    if feature:
        assert "migrations changed" in data["setup_needed"]
        assert set(after) > set(before)  # the feature's schema comes as new revisions
    else:
        assert after == before
    document = tomllib.loads((project / ".stackpick.toml").read_text())
    stackpick = document["stackpick"]
    assert (stackpick["format"], stackpick["kept"]) == (2, {"_migrations_base": base})
    assert stackpick["framework"] == ("django" if "django" in name else "flask")
    assert sh(project, "status", "--porcelain") == ""  # the upgraded file is committed
    assert sh(project, "rev-list", "--count", "HEAD").strip() == "2"
    check = invoke("check", "--project", str(project))
    assert check.exit_code == 0, check.output


def test_new_from_an_updated_projects_file_renders_its_released_migrations(
    tmp_path: Path,
) -> None:
    project = earlier_project(tmp_path, "a1d606a", "old_flask_auth")
    assert update(project).exit_code == 0
    toml = str(project / ".stackpick.toml")
    again = new(tmp_path / "again", {}, "--answers", toml, "--no-git")
    assert migrations(again) == migrations(project)


# ------------------------------------------------- generated: updated projects run their checks

FEATURES_ON = ("--set", "auth=yes", "--set", "rest_api=yes", "--set", "i18n=yes")


@pytest.mark.generated
def test_updated_flask_project_passes_its_checks(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import template_flask_support as flask

    values = flask.answers("sqlite")
    project = new(tmp_path / "a", {**values, "framework": "flask"})
    result = update(project, *FEATURES_ON, "--set", "admin=yes")
    assert result.exit_code == 0, result.output
    flask.check_static(project)
    checked = flask.Project(project, flask.full_venv(tmp_path_factory, i18n=True), None)
    checked.ruff()
    output = checked.own_tests()
    assert " passed" in output and "failed" not in output, output
    checked.flask("db", "upgrade")
    checked.flask("db", "check")
    assert "Created user" in checked.flask("create-user", "ann", "--password", "pw-12345678")


@pytest.mark.generated
def test_updated_django_project_passes_its_checks(
    tmp_path: Path,
    django_venv: Path,  # noqa: F811  (the fixture imported above)
) -> None:
    import template_django_support as django
    from test_template_django import check_project, database_url

    project = new(tmp_path / "a", {**django.answers("sqlite"), "framework": "django"})
    result = update(project, *FEATURES_ON)
    assert result.exit_code == 0, result.output
    django.check_static(project)
    url = database_url(project, "sqlite", "unused")
    check_project(
        django.Project(project, django_venv, url),
        "sqlite",
        {"auth": True, "rest_api": True, "i18n": True},
    )


def test_an_aborted_update_can_be_run_again(tmp_path: Path) -> None:
    project = new(tmp_path / "a", {**FLASK, "rest_api": "yes"})
    api = project / "shop" / "api.py"
    api.write_text(api.read_text() + "\n# ours\n")
    commit_all(project)
    assert update(project, "--set", "rest_api=no").exit_code == EXIT_CONFLICTS
    sh(project, "merge", "--abort")
    assert sh(project, "status", "--porcelain") == ""
    again = update(project, "--set", "rest_api=no", "--dry-run", "--json")
    assert json.loads(again.output)["conflicting"] == ["shop/api.py"]
    assert update(project, "--set", "rest_api=no").exit_code == EXIT_CONFLICTS


def test_answers_file_and_fast_forward_only_configuration(tmp_path: Path) -> None:
    project = new(tmp_path / "a", DJANGO)
    sh(project, "config", "merge.ff", "only")
    (project / "NOTES.md").write_text("ours\n")
    commit_all(project)  # the branches diverge: no fast-forward is possible
    answers = tmp_path / "more.yaml"
    answers.write_text("i18n: yes\n")
    result = update(project, "--answers", str(answers))
    assert result.exit_code == 0, result.output
    assert recorded(project)["i18n"] is True
    assert (project / "NOTES.md").exists()
    assert sh(project, "log", "-1", "--format=%p").count(" ") == 1  # a merge commit


def test_a_recorded_answer_the_template_no_longer_asks_is_dropped_with_a_note(
    tmp_path: Path,
) -> None:
    v1 = copy_template(tmp_path / "v1")
    declaration = json.loads((v1 / "cookiecutter.json").read_text())
    declaration = {"old_feature": "kept", **declaration}
    (v1 / "cookiecutter.json").write_text(json.dumps(declaration))
    project = new(tmp_path / "a", FLASK, "--template", f"flask={v1}")
    toml = project / ".stackpick.toml"
    assert 'old_feature = "kept"' in toml.read_text()
    result = update(project, "--template", f"flask={templates_root() / 'flask'}")
    assert result.exit_code == 0, result.output
    assert "recorded answer old_feature is no longer asked" in result.output
    assert "old_feature" not in toml.read_text()


# ------------------------------------ generated: an earlier project, its rows, features added


class Rows:
    """The project's development database, reached from the test (SQLite or PostgreSQL)."""

    def __init__(self, project: Path, url: str | None, sqlite_file: str) -> None:
        self.project, self.url, self.sqlite_file = project, url, sqlite_file

    def execute(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url.replace("postgresql+psycopg", "postgresql")) as conn:
                rows = conn.execute(sql.replace("?", "%s"), params)
                return list(rows) if rows.description else []
        import sqlite3

        conn = sqlite3.connect(self.project / self.sqlite_file)
        try:
            with conn:
                return list(conn.execute(sql, params))
        finally:
            conn.close()


def stackpick_setup(project: Path) -> str:
    """``stackpick setup`` as a user runs it (its own .venv, the project's declared steps)."""
    import sys

    from generated import run

    stackpick = Path(sys.executable).parent / "stackpick"
    output = run([stackpick, "setup", "--project", project], project).stdout
    assert "[" in output and "FAILED" not in output, output
    return output


def with_database(project: Path, url: str | None, **settings: str) -> None:
    """Point the project's ``.env`` at the database (a PostgreSQL one when ``url``)."""
    lines = ["SECRET_KEY=test-secret-key-of-a-development-machine-0123456789"]
    lines += [f"{key}={value}" for key, value in settings.items()]
    if url:
        lines.append(f"DATABASE_URL={url}")
    (project / ".env").write_text("\n".join(lines) + "\n")


def postgres_or_none(database: str, name: str) -> str | None:
    from generated import postgres_database

    return postgres_database(name) if database == "postgresql" else None


#: (where the project comes from, the features added, one update each, in this order).
FLASK_HISTORIES = [
    ("9d53c03/old_flask", ("auth", "admin")),
    ("a1d606a/old_flask_auth", ("admin,rest_api",)),
    ("638fdd9/old_flask_auth", ("", "admin")),  # "": the template's changes alone
    ("51842bd/old_flask", ("auth",)),  # 0.2.0
    ("51842bd/old_flask_full", ("",)),  # 0.2.0 with auth, admin, rest_api and i18n
    ("new", ("auth,admin",)),  # both revisions in one update
]


@pytest.mark.generated
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("origin", "steps"), FLASK_HISTORIES)
def test_an_earlier_flask_project_keeps_its_rows_through_every_update(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    origin: str,
    steps: tuple[str, ...],
    database: str,
) -> None:
    import template_flask_support as flask

    if origin == "new":
        project = new(tmp_path / "a", {**FLASK, "project_name": "old flask", "ci": "none"})
    else:
        project = earlier_project(tmp_path, *origin.split("/"))
    url = postgres_or_none(database, f"lifecycle_{origin.split('/')[0]}_{project.name}")
    with_database(project, url, APP_ENV="development")
    venv = flask.full_venv(tmp_path_factory, i18n=True)
    shared = flask.Project(project, venv, url, test_database=False)
    rows = Rows(project, url, f"instance/{project.name}.sqlite3")
    shared.flask("db", "upgrade")
    rows.execute(
        "INSERT INTO item (name, description, created_at) VALUES (?, ?, ?)",
        "kept",
        "made before the updates",
        "2025-01-01 00:00:00",
    )
    users = 0

    def add_user() -> None:
        nonlocal users
        features = recorded_features(project)
        if "auth" in features:
            admin = ("", "") if "admin" not in features else (", is_admin", ", FALSE")
            rows.execute(
                f'INSERT INTO "user" (username, password_hash, created_at{admin[0]}) '
                f"VALUES (?, ?, ?{admin[1]})",
                f"user{users}",
                "x",
                "2025-01-01 00:00:00",
            )
            users += 1

    add_user()
    for number, step in enumerate(steps):
        pairs = [a for f in step.split(",") if f for a in ("--set", f"{f}=yes")]
        if url and number == 0:  # ran on PostgreSQL by DATABASE_URL: now recorded
            pairs += ["--set", "database=postgresql"]
        result = update(project, *pairs)
        assert result.exit_code == 0, result.output
        assert "0001_initial.py" not in result.output  # the applied revision stays as it is
        shared.flask("db", "upgrade")
        add_user()
    output = stackpick_setup(project)  # installs, migrates, checks the schema, runs the tests
    assert "schema" in output
    assert rows.execute("SELECT name, description FROM item") == [
        ("kept", "made before the updates")
    ]
    if users:
        found = rows.execute('SELECT username FROM "user" ORDER BY username')
        assert found == [(f"user{n}",) for n in range(users)]
    assert invoke("check", "--project", str(project)).exit_code == 0


def recorded_features(project: Path) -> set[str]:
    values = recorded(project)
    return {k for k in ("auth", "admin", "rest_api", "i18n") if values.get(k) is True}


DJANGO_HISTORIES = [
    ("9d53c03/old_django", ("rest_api", "auth,i18n")),
    ("638fdd9/old_django", ("rest_api,auth",)),
    ("new", ("rest_api",)),
]


@pytest.mark.generated
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("origin", "steps"), DJANGO_HISTORIES)
def test_an_earlier_django_project_keeps_its_rows_through_every_update(
    tmp_path: Path,
    django_venv: Path,  # noqa: F811  (the fixture imported above)
    origin: str,
    steps: tuple[str, ...],
    database: str,
) -> None:
    import template_django_support as django

    if origin == "new":
        project = new(tmp_path / "a", {**DJANGO, "project_name": "old django", "ci": "none"})
    else:
        project = earlier_project(tmp_path, *origin.split("/"))
    url = postgres_or_none(database, f"lifecycle_{origin.split('/')[0]}_{project.name}")
    with_database(project, url, DEBUG="true", ALLOWED_HOSTS="localhost,127.0.0.1")
    shared = django.Project(project, django_venv, url or f"sqlite:///{project / 'db.sqlite3'}")
    rows = Rows(project, url, "db.sqlite3")
    shared.manage("migrate")
    rows.execute(
        "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, "
        "email, is_staff, is_active, date_joined) VALUES (?, FALSE, ?, '', '', '', FALSE, TRUE, ?)",
        "!",
        "ann",
        "2025-01-01 00:00:00",
    )
    notes = 0
    for number, step in enumerate(steps):
        pairs = [a for f in step.split(",") if f for a in ("--set", f"{f}=yes")]
        if url and number == 0:  # ran on PostgreSQL by DATABASE_URL: now recorded
            pairs += ["--set", "database=postgresql"]
        result = update(project, *pairs)
        assert result.exit_code == 0, result.output
        shared.manage("migrate")
        if "rest_api" in recorded_features(project):
            rows.execute(
                "INSERT INTO notes_note (owner_id, title, body, created_at, updated_at) "
                "SELECT id, ?, '', ?, ? FROM accounts_user WHERE username = 'ann'",
                f"note{notes}",
                "2025-01-01 00:00:00",
                "2025-01-01 00:00:00",
            )
            notes += 1
    output = stackpick_setup(project)  # migrate --check and makemigrations --check included
    assert "migrated" in output and "schema" in output
    assert rows.execute("SELECT username FROM accounts_user") == [("ann",)]
    found = rows.execute("SELECT title FROM notes_note ORDER BY title") if notes else []
    assert found == [(f"note{n}",) for n in range(notes)]
    assert invoke("check", "--project", str(project)).exit_code == 0


def test_a_missing_project_folder_is_named_as_missing(tmp_path: Path) -> None:
    result = update(tmp_path / "missing")
    assert result.exit_code == EXIT_BAD_INPUT
    assert result.output.startswith(f"error: {tmp_path / 'missing'} does not exist")
