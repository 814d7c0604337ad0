"""Remove what belongs to features not asked for: one manifest, then no empty folder.

Every optional file is listed once here under the condition it belongs to, as in the Django
template (cookiecutter renders this hook like any template, so each condition is a Python
literal); every other file is in every project. FEATURES.md shows the same table.
"""

import os
import shutil

PACKAGE = {{ cookiecutter.project_slug | py_str }}
FEATURES = {
    "cookiecutter.ci == 'github'": (
        {{ cookiecutter.ci == 'github' }},
        [
            ".github/workflows/ci.yml",
            ".github/dependabot.yml",
        ],
    ),
    "cookiecutter.admin": (
        {{ cookiecutter.admin }},
        [
            "tests/test_admin.py",
            f"{PACKAGE}/templates/admin/index.html",
            f"{PACKAGE}/admin.py",
        ],
    ),
    "cookiecutter.auth": (
        {{ cookiecutter.auth }},
        [
            "tests/test_auth.py",
            "tests/test_passwords.py",
            "tests/fixtures_auth.py",
            f"{PACKAGE}/templates/auth/_field.html",
            f"{PACKAGE}/templates/auth/login.html",
            f"{PACKAGE}/templates/auth/password_change.html",
            f"{PACKAGE}/templates/auth/password_reset.html",
            f"{PACKAGE}/templates/auth/password_reset_request.html",
            f"{PACKAGE}/templates/auth/register.html",
            f"{PACKAGE}/auth.py",
            f"{PACKAGE}/forms.py",
            f"{PACKAGE}/mail.py",
            f"{PACKAGE}/passwords.py",
        ],
    ),
    "cookiecutter.database != 'none'": (
        {{ cookiecutter.database != 'none' }},
        [
            "tests/test_migrations.py",
            "tests/fixtures_database.py",
            f"{PACKAGE}/migrations/versions/0001_initial.py",
            f"{PACKAGE}/migrations/alembic.ini",
            f"{PACKAGE}/migrations/env.py",
            f"{PACKAGE}/migrations/script.py.mako",
            f"{PACKAGE}/models.py",
        ],
    ),
    "cookiecutter.i18n": (
        {{ cookiecutter.i18n }},
        [
            "tests/test_i18n.py",
            "tests/fixtures_i18n.py",
            "babel.cfg",
            f"{PACKAGE}/translations/de/LC_MESSAGES/messages.po",
            f"{PACKAGE}/i18n.py",
        ],
    ),
    "cookiecutter.rest_api": (
        {{ cookiecutter.rest_api }},
        [
            "tests/test_api.py",
            f"{PACKAGE}/api.py",
            f"{PACKAGE}/openapi.py",
        ],
    ),
    "cookiecutter.auth or cookiecutter.rest_api": (
        {{ cookiecutter.auth or cookiecutter.rest_api }},
        [
            "gunicorn.conf.py",
        ],
    ),
    "cookiecutter.ci == 'gitlab'": (
        {{ cookiecutter.ci == 'gitlab' }},
        [
            ".gitlab-ci.yml",
        ],
    ),
    "cookiecutter.docker": (
        {{ cookiecutter.docker }},
        [
            ".dockerignore",
            "Dockerfile",
            "compose.yaml",
        ],
    ),
    "cookiecutter.database != 'none' and cookiecutter.admin": (
        {{ cookiecutter.database != 'none' and cookiecutter.admin }},
        [
            f"{PACKAGE}/migrations/versions/admin_0001_is_admin.py",
        ],
    ),
    "cookiecutter.database != 'none' and cookiecutter.auth": (
        {{ cookiecutter.database != 'none' and cookiecutter.auth }},
        [
            f"{PACKAGE}/migrations/versions/auth_0001_users.py",
        ],
    ),
    "cookiecutter.database != 'none' or cookiecutter.rest_api or cookiecutter.i18n": (
        {{ cookiecutter.database != 'none' or cookiecutter.rest_api or cookiecutter.i18n }},
        [
            f"{PACKAGE}/extensions.py",
        ],
    ),
    "cookiecutter.rest_api and cookiecutter.database != 'none'": (
        {{ cookiecutter.rest_api and cookiecutter.database != 'none' }},
        [
            f"{PACKAGE}/api_items.py",
        ],
    ),
    "cookiecutter.rest_api and cookiecutter.auth": (
        {{ cookiecutter.rest_api and cookiecutter.auth }},
        [
            f"{PACKAGE}/api_access.py",
        ],
    ),
    "cookiecutter.rest_api and cookiecutter.database == 'none'": (
        {{ cookiecutter.rest_api and cookiecutter.database == 'none' }},
        [
            f"{PACKAGE}/api_memory.py",
        ],
    ),
}


def remove(path: str) -> None:
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def prune_empty_dirs(root: str) -> None:
    """Delete every empty directory below ``root``, deepest first."""
    for path, _dirs, _files in os.walk(root, topdown=False):
        if path != root and not os.listdir(path):
            os.rmdir(path)


for _condition, (wanted, paths) in FEATURES.items():
    if not wanted:
        for path in paths:
            remove(path)
prune_empty_dirs(os.getcwd())
