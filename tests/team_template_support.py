"""A local template shaped like the public team templates (cookiecutter-django, -flask).

A choice ``rest_api`` (``None``/``DRF``/``Django Ninja``), a free-text ``python_version``
(empty by default), a dictionary variable, and a post-generation hook that writes random
secrets into ``.envs/django`` as cookiecutter-django's does.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

SLUG = "{{cookiecutter.project_slug}}"
VARIABLES: dict[str, Any] = {
    "project_name": "My Awesome Project",
    "project_slug": "{{ cookiecutter.project_name.lower()|replace(' ', '_') }}",
    "description": "Behold My Awesome Project!",
    "rest_api": ["None", "DRF", "Django Ninja"],
    "python_version": "",
    "settings": {"debug": True, "origins": ["http://localhost"]},
    "use_docker": "n",
}
HOOK = """\
import pathlib
import secrets

path = pathlib.Path(".envs/django")
text = path.read_text()
for name in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"):
    text = text.replace(f"!!!SET {name}!!!", secrets.token_urlsafe(32))
path.write_text(text)
"""
FILES = {
    f"{SLUG}/README.md": (
        "# {{ cookiecutter.project_name }}\n{{ cookiecutter.description }}\n"
        "API: {{ cookiecutter.rest_api }}; Python {{ cookiecutter.python_version or 'any' }}\n"
    ),
    f"{SLUG}/settings.json": "{{ cookiecutter.settings | tojson }}\n",
    f"{SLUG}/.envs/django": (
        "DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=!!!SET DJANGO_SECRET_KEY!!!\n"
        "POSTGRES_USER=app\nPOSTGRES_PASSWORD=!!!SET POSTGRES_PASSWORD!!!\n"
    ),
    "hooks/post_gen_project.py": HOOK,
}


def write(root: Path, variables: dict[str, Any] | None = None, **files: str) -> Path:
    """The template at ``root`` (``files`` by path replace or add to the default ones)."""
    declared = {**VARIABLES, **(variables or {})}
    for name, text in {"cookiecutter.json": json.dumps(declared), **FILES, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-c",
         "init.defaultBranch=main", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def repository(root: Path) -> Path:
    """The template as a git repository: tag v1, then v2, which changes only the README."""
    write(root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1")
    git(root, "tag", "v1")
    readme = root / SLUG / "README.md"
    readme.write_text(readme.read_text().replace("# ", "## ", 1))
    git(root, "commit", "-qam", "v2")
    git(root, "tag", "v2")
    return root
