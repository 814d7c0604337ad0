"""Remove what belongs to features not asked for: one manifest, then no empty folder.

Every optional file or folder is listed once here with the feature it belongs to
(cookiecutter renders this hook like any template, so the answers are Python literals).
"""

import os
import shutil

PACKAGE = {{ cookiecutter.project_slug | py_str }}
FEATURES = {
    "auth": (
        {{ cookiecutter.auth }},
        [
            f"{PACKAGE}/accounts/forms.py",
            f"{PACKAGE}/accounts/urls.py",
            f"{PACKAGE}/accounts/views.py",
            f"{PACKAGE}/templates/registration",
            "tests/test_auth.py",
        ],
    ),
    "rest_api": (
        {{ cookiecutter.rest_api }},
        [
            f"{PACKAGE}/notes",
            f"{PACKAGE}/templates/drf_spectacular",
            f"{PACKAGE}/static/css/api-docs.css",
            "tests/test_api.py",
        ],
    ),
    "i18n": ({{ cookiecutter.i18n }}, [f"{PACKAGE}/locale", "tests/test_i18n.py"]),
    "docker": ({{ cookiecutter.docker }}, ["Dockerfile", "compose.yaml", ".dockerignore"]),
    "github": ({{ cookiecutter.ci == "github" }}, [".github"]),
    "gitlab": ({{ cookiecutter.ci == "gitlab" }}, [".gitlab-ci.yml"]),
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


for _feature, (wanted, paths) in FEATURES.items():
    if not wanted:
        for path in paths:
            remove(path)
prune_empty_dirs(os.getcwd())
