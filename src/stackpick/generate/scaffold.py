"""``stackpick new``: render the decided template atomically into the output folder.

The project is rendered into a temporary folder beside the target and moved into
place only when everything succeeded; an existing, non-empty target is replaced
only with ``force``, and only after the new tree is complete.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..answers.validate import Answers
from ..errors import BadInput, StackpickError, TargetExists
from .render import Template, load_template, planned_files, render, templates_root

ANSWERS_FILE = ".stackpick.toml"
ENV_FILE = ".env"


@dataclass(frozen=True)
class Scaffold:
    """What ``new`` created (or, in a dry run, would create)."""

    path: Path
    files: tuple[str, ...]
    next_steps: tuple[str, ...]


def template_for(framework: str) -> Template:
    """The template of ``framework`` shipped with stackpick."""
    return load_template(templates_root() / framework)


def check_supported(framework: str, template: Template, answers: Answers) -> None:
    """Refuse answers the template has no choice for, saying what to change."""
    other = "flask" if framework == "django" else "django"
    problems = []
    for key in template.variables:
        choices = template.defaults[key]
        value = answers.values.get(key)
        if isinstance(choices, list) and value not in choices:
            why = (
                " (a django project always has its admin and accounts, which need a database)"
                if framework == "django" and key == "database"
                else ""
            )
            problems.append(
                f"{key} = {value} is not possible with {framework}{why}; "
                f"set {key}={choices[0]}, or framework={other}"
            )
    if problems:
        raise BadInput(*problems)


def framework_notes(framework: str, answers: Answers) -> tuple[str, ...]:
    """What the framework adds although the answers did not ask for it."""
    if framework == "django" and not answers.flag("admin"):
        return ("a Django project always includes the Django admin at /admin/ (admin = false)",)
    return ()


def stackpick_toml(answers: Answers, framework: str) -> str:
    """The ``.stackpick.toml`` that regenerates this project with ``new --answers``."""
    import tomli_w

    values: dict[str, Any] = answers.to_json()
    values["framework"] = framework
    document = {"stackpick": {"version": __version__}, "answers": values}
    header = (
        "# Written by stackpick; regenerate this project with:\n"
        f"#   stackpick new --answers {ANSWERS_FILE}\n"
    )
    return header + tomli_w.dumps(document)


def env_file(project: Path) -> str:
    """A local ``.env`` from ``.env.example`` with a fresh random ``SECRET_KEY``."""
    import secrets

    example = project / ".env.example"
    text = example.read_text(encoding="utf-8") if example.is_file() else ""
    line = f"SECRET_KEY={secrets.token_urlsafe(50)}"
    if re.search(r"^SECRET_KEY=.*$", text, flags=re.MULTILINE):
        text = re.sub(r"^SECRET_KEY=.*$", line, text, count=1, flags=re.MULTILINE)
    else:
        text = f"{text.rstrip()}\n{line}\n".lstrip()
    header = (
        "# Written by stackpick from .env.example, with a fresh random SECRET_KEY.\n"
        "# Local settings: git-ignored, never commit this file.\n"
    )
    return header + text


def next_steps(readme: str) -> tuple[str, ...]:
    """The first two commands in the generated README's code blocks."""
    commands = [
        line.strip()
        for block in re.findall(r"```[a-z]*\n(.*?)```", readme, flags=re.DOTALL)
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    return tuple(commands[:2])


def _target(output_dir: Path, slug: str, force: bool) -> Path:
    target = output_dir / slug
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise TargetExists(
            f"{target} exists and is not a folder; remove it or choose another --output-dir"
        )
    if target.is_dir() and any(target.iterdir()) and not force:
        raise TargetExists(
            f"{target} already exists and is not empty; choose another --output-dir or "
            "project_slug, or pass --force to replace it"
        )
    return target


def plan_new(framework: str, answers: Answers, output_dir: Path, force: bool = False) -> Scaffold:
    """A dry run: the files ``create`` would write, writing nothing."""
    template = template_for(framework)
    check_supported(framework, template, answers)
    target = _target(output_dir.absolute(), answers.text("project_slug"), force)
    _, files = planned_files(template, _values(answers, framework))
    return Scaffold(target, tuple(sorted([*files, ENV_FILE, ANSWERS_FILE])), ())


def _values(answers: Answers, framework: str) -> Mapping[str, Any]:
    return {**answers.values, "framework": framework}


def create(framework: str, answers: Answers, output_dir: Path, force: bool = False) -> Scaffold:
    """Render the project into ``output_dir/<project_slug>``, atomically."""
    template = template_for(framework)
    check_supported(framework, template, answers)
    output_dir = output_dir.absolute()
    target = _target(output_dir, answers.text("project_slug"), force)
    created_output_dir = not output_dir.exists()
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.stackpick-", dir=output_dir))
    except OSError as error:
        raise StackpickError(
            f"cannot write in {output_dir}: {error.strerror}; check the folder and its permissions"
        ) from None
    try:
        project, files = render(template, _values(answers, framework), staging)
        (project / ANSWERS_FILE).write_text(stackpick_toml(answers, framework), encoding="utf-8")
        (project / ENV_FILE).write_text(env_file(project), encoding="utf-8")
        readme = project / "README.md"
        steps = next_steps(readme.read_text(encoding="utf-8")) if readme.is_file() else ()
        _move_into_place(project, target, staging)
    except OSError as error:
        raise StackpickError(
            f"cannot write the project: {error.strerror or error}; nothing was changed"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created_output_dir and not target.exists():
            shutil.rmtree(output_dir, ignore_errors=True)
    return Scaffold(target, tuple(sorted([*files, ENV_FILE, ANSWERS_FILE])), steps)


def _move_into_place(project: Path, target: Path, staging: Path) -> None:
    """Swap the finished tree in; an old target is removed only once the new one is there."""
    if not target.exists():
        os.rename(project, target)
        return
    if not any(target.iterdir()):
        target.rmdir()
        os.rename(project, target)
        return
    backup = staging / "previous"
    os.rename(target, backup)
    try:
        os.rename(project, target)
    except OSError:
        os.rename(backup, target)
        raise
