"""stackpick's own files in a generated project, made from data (never read back from output)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..framework import Framework
from ..template_source import TemplateSource

ANSWERS_FILE = ".stackpick.toml"
ENV_FILE = ".env"
RECORD_FILE = "docs/decisions/0001-web-framework.md"


def recorded_answers(
    answers: Mapping[str, Any], context: Mapping[str, Any], variables: tuple[str, ...]
) -> dict[str, Any]:
    """Every answer, with the values the template's variables took (its defaults included)."""
    recorded = dict(answers)
    for key in variables:
        value = context["cookiecutter"].get(key)
        if isinstance(value, str | bool | int | float | dict):
            recorded[key] = value
    return recorded


def stackpick_toml(
    answers: Mapping[str, Any],
    framework: Framework,
    source: TemplateSource,
    project: Mapping[str, Any],
) -> str:
    """The ``.stackpick.toml`` that regenerates (and later updates) this project."""
    import tomli_w

    document: dict[str, Any] = {
        "stackpick": {"version": __version__, "framework": framework},
        "answers": dict(answers),
    }
    if not source.bundled:
        document["templates"] = {framework: source.to_toml()}
    table = _project_table(project)
    if table:
        document["project"] = table
    header = (
        "# Written by stackpick; regenerate this project with:\n"
        f"#   stackpick new --answers {ANSWERS_FILE}\n"
    )
    return header + tomli_w.dumps(document)


def _project_table(project: Mapping[str, Any]) -> dict[str, Any]:
    """The template's declared next steps, setup steps and commands, empty ones left out."""
    table: dict[str, Any] = {}
    steps = [str(s) for s in project.get("next_steps", []) if str(s).strip()]
    if steps:
        table["next_steps"] = steps
    for key in ("run", "admin"):
        if str(project.get(key, "")).strip():
            table[key] = str(project[key])
    setup = project.get("setup")
    if isinstance(setup, Mapping):
        kept = {str(k): str(v) for k, v in setup.items() if str(v).strip()}
        if kept:
            table["setup"] = kept
        independent = project.get("setup_independent")
        if isinstance(independent, list) and any(str(n) in kept for n in independent):
            table["setup_independent"] = [str(n) for n in independent if str(n) in kept]
    return table


def env_text(env: Mapping[str, Any], secret: str) -> str:
    """A local ``.env``: a fresh ``SECRET_KEY``, then the settings the template declares."""
    lines = [
        "# Written by stackpick with a fresh random SECRET_KEY and the template's local settings.",
        "# Local settings: git-ignored, never commit this file.",
        f"SECRET_KEY={secret}",
    ]
    lines += [
        f"{key}={' '.join(str(value).split())}"
        for key, value in env.items()
        if key != "SECRET_KEY" and str(value).strip()
    ]
    return "\n".join(lines) + "\n"
