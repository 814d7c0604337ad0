"""The one HTML page: every question as a form field, the live recommendation, the files."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

KIND_TITLES = {
    "decision": "Requirements (they decide the framework)",
    "project": "Project",
    "template": "Template options",
}


@functools.cache
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("page.html")


def default_label(question: Mapping[str, Any]) -> str:
    """How the "not given" option of a field reads."""
    default = question["default"]
    if question["key"] == "project_slug":
        return "derived from the project name"
    if default is None:
        return "the template's default"
    if isinstance(default, bool):
        return "yes" if default else "no"
    return str(default)


def render_page(questions: Sequence[Mapping[str, Any]]) -> str:
    """The page for these questions (``questions --json`` objects)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for question in questions:
        groups.setdefault(str(question["kind"]), []).append(question)
    sections = [
        (KIND_TITLES.get(kind, kind.title()), [(q, default_label(q)) for q in listed])
        for kind, listed in groups.items()
    ]
    from .. import __version__

    return str(_template().render(sections=sections, version=__version__))
