"""Migrations are history: a released migration renders the same bytes for every variant,
for ever (a later change comes as a new revision). tests/data/released_migrations.json
holds each released migration file's digest per variant it renders to."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from cookiecutter.environment import StrictEnvironment

from stackpick.template_source import templates_root

MANIFEST = Path(__file__).parent / "data" / "released_migrations.json"
#: The variants of each template's migrations: the released ones a project was made with.
BASES = {
    "flask": ("items", "v1-auth", "v1-admin", "v2-auth", "v2-admin"),
    "django": ("v1", "v2"),
}
FLASK_BASES = BASES["flask"]


def migration_files(root: Path) -> list[Path]:
    """Every migration file of the templates under ``root`` (Alembic's and Django's)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and ".py" in path.name
        and ".mako" not in path.name
        and "migrations" in path.parts
        and (path.parent.name == "versions" or path.parent.name == "migrations")
        and "__init__" not in path.name
        and "env.py" not in path.name
    )


def rendered(root: Path) -> dict[str, str]:
    """``template/relative-path?variant`` -> digest of the rendered file."""
    found: dict[str, str] = {}
    for path in migration_files(root):
        relative = path.relative_to(root).as_posix()
        framework = relative.split("/", 1)[0]
        for base in BASES[framework]:
            context = {"cookiecutter": {"_migrations_base": base}}
            env = StrictEnvironment(context=context, keep_trailing_newline=True)
            text = env.from_string(path.read_text(encoding="utf-8")).render(**context)
            key = f"{relative}?_migrations_base={base}"
            found[key] = hashlib.sha256(text.encode()).hexdigest()
    return found


def problems(root: Path) -> list[str]:
    """What differs from the manifest: a released migration edited, or one not recorded."""
    released = json.loads(MANIFEST.read_text(encoding="utf-8"))
    now = rendered(root)
    found = [
        f"{key}: a released migration was edited; undo it and add a new revision"
        for key, digest in released.items()
        if key in now and now[key] != digest
    ]
    found += [f"{key}: released, and now missing" for key in released if key not in now]
    found += [
        f"{key}: not in {MANIFEST.name}; add it when it is released"
        for key in now
        if key not in released
    ]
    return found


def test_released_migrations_are_unchanged() -> None:
    assert problems(templates_root()) == []


def test_an_edited_released_migration_is_found(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    for framework in ("flask", "django"):
        shutil.copytree(templates_root() / framework, root / framework)
    (initial,) = [
        p for p in migration_files(root) if "versions" in p.parts and "0001_initial" in p.name
    ]
    initial.write_text(initial.read_text().replace('"item",', '"items",', 1))
    found = problems(root)
    assert found and all("0001_initial" in line and "edited" in line for line in found)


@pytest.mark.parametrize(
    ("framework", "base"), [(f, b) for f, bases in BASES.items() for b in bases]
)
def test_the_declared_digests_find_each_released_base(framework: str, base: str) -> None:
    # A project made before its base was recorded is recognised by the digest of the
    # file the template declares (update reads it from the previous render).
    declared = json.loads((templates_root() / framework / "cookiecutter.json").read_text())
    how = declared["__stackpick"]["keep"]["_migrations_base"]
    file = how["file"].replace("{{ cookiecutter.project_slug }}/", "")
    released = json.loads(MANIFEST.read_text(encoding="utf-8"))
    (key,) = [k for k in released if _same(file, k) and k.endswith(f"={base}")]
    assert how["digests"][released[key]] == base


def _same(file: str, key: str) -> bool:
    """Whether a manifest key is the template file that renders to ``file``."""
    path = key.split("?", 1)[0]
    shown = re.sub(r"\{% if .+? %\}(.*?)\{% endif %\}", r"\1", path)
    return shown.endswith(file)
