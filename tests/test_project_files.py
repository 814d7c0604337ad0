"""``.stackpick.toml``: every format ever written is read; the version names the templates."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

import pytest

from stackpick import __version__
from stackpick.generate.project_files import FORMAT, read_record, stackpick_toml
from stackpick.template_source import Declaration, Template, TemplateSource, templates_root

DATA = Path(__file__).parent / "data"
PROJECTS = DATA / "projects"
DIGEST_FILE = DATA / "templates_digest.json"


def fixture_toml(commit: str, name: str) -> dict[str, object]:
    return tomllib.loads((PROJECTS / commit / name / ".stackpick.toml").read_text())


@pytest.mark.parametrize(
    ("commit", "name", "fmt", "framework"),
    [
        ("9d53c03", "old_flask", 0, "flask"),
        ("9d53c03", "old_django", 0, "django"),
        ("a1d606a", "old_flask_auth", 1, "flask"),
        ("a1d606a", "old_django", 1, "django"),
        ("638fdd9", "old_flask", 1, "flask"),
        ("638fdd9", "old_django", 1, "django"),
    ],
)
def test_each_earlier_format_is_read(commit: str, name: str, fmt: int, framework: str) -> None:
    record = read_record(fixture_toml(commit, name))
    assert (record.format, record.framework, record.version) == (fmt, framework, "0.1.0")
    assert record.kept == {}


@pytest.mark.parametrize("name", ["old_flask", "old_flask_full"])
def test_a_0_2_0_projects_file_is_read(name: str) -> None:
    record = read_record(fixture_toml("51842bd", name))
    assert (record.format, record.framework, record.version) == (2, "flask", "0.2.0")
    assert record.kept == {"_migrations_base": "items"}


def test_format_0_with_framework_auto_leaves_the_framework_to_the_files() -> None:
    data = fixture_toml("9d53c03", "old_flask")
    data["answers"] = {**data["answers"], "framework": "auto"}  # type: ignore[dict-item]
    assert read_record(data).framework is None


def test_the_current_format_round_trips() -> None:
    text = stackpick_toml(
        {"framework": "auto", "project_name": "Shop"},
        Template(
            "flask", Path("t"), Declaration({}), TemplateSource("gh:acme/t", "v1"), "0123abcd"
        ),
        {},
        {"_migrations_base": "items"},
    )
    data = tomllib.loads(text)
    assert data["templates"]["flask"] == {
        "source": "gh:acme/t",
        "checkout": "v1",
        "commit": "0123abcd",
    }
    record = read_record(data)
    assert record == (
        FORMAT,
        __version__,
        "flask",
        "gh:acme/t (checkout v1)",
        {"_migrations_base": "items"},
    )


def test_a_newer_format_is_refused_with_advice() -> None:
    with pytest.raises(ValueError, match="upgrade stackpick"):
        read_record({"stackpick": {"format": FORMAT + 1, "framework": "flask"}})


def templates_digest() -> str:
    """One digest of every file of the bundled templates (their names and bytes)."""
    digest = hashlib.sha256()
    root = templates_root()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    digest.update(f"format {FORMAT}".encode())
    return digest.hexdigest()


def test_the_version_changes_whenever_templates_or_formats_change() -> None:
    """A project records the version it was rendered with: a version names one set of
    templates. After changing them, bump ``__version__`` and write the new digest."""
    recorded = json.loads(DIGEST_FILE.read_text())
    now = {"version": __version__, "digest": templates_digest()}
    if now["digest"] != recorded["digest"] and now["version"] == recorded["version"]:
        pytest.fail(
            f"the templates or the .stackpick.toml format changed, and the version is still "
            f"{__version__}: bump stackpick.__version__, then write {DIGEST_FILE.name} "
            "as this test's message below shows"
        )
    assert now == recorded, f"write {DIGEST_FILE}: {json.dumps(now)}"
