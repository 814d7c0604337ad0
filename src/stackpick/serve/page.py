"""The one HTML page: every question as a form field, the live recommendation, the files."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

KIND_TITLES = {
    "decision": "Requirements (they decide the framework)",
    "framework": "Framework (auto takes the recommendation)",
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


#: The longest text a shared link may prefill into a field (a longer one is left out).
MAX_PREFILL = 500


def prefilled(question: Mapping[str, Any], given: Mapping[str, str]) -> str:
    """The value a shared link (``/?app_type=cms``) gives this field, or "" (not given).

    Only a value the field can show is taken: one of its choices, yes/no, or text; the API
    validates whatever the form then sends, as it does for any request.
    """
    value = given.get(str(question["key"]), "").strip()
    if not value or len(value) > MAX_PREFILL:
        return ""
    kind = question["type"]
    if kind == "choice":
        return value if value in question["choices"] else ""
    if kind == "bool":
        word = value.lower()
        return (
            "yes"
            if word in {"yes", "y", "true", "1"}
            else "no"
            if word in {"no", "n", "false", "0"}
            else ""
        )
    return value if kind == "text" else ""


def render_page(
    questions: Sequence[Mapping[str, Any]], given: Mapping[str, str] | None = None
) -> str:
    """The page for these questions (``questions --json`` objects), filled from ``given``.

    The requirements come first and the framework after them, as the CLI asks: the
    recommendation is made from the requirements, then taken or overridden.
    """
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for question in questions:
        kind = "framework" if question["key"] == "framework" else str(question["kind"])
        groups.setdefault(kind, []).append(question)
    order = ["decision", "framework", *(k for k in groups if k not in ("decision", "framework"))]
    sections = [
        (
            KIND_TITLES.get(kind, kind.title()),
            [(q, default_label(q), prefilled(q, given or {})) for q in groups[kind]],
        )
        for kind in order
        if kind in groups
    ]
    from .. import __version__

    return str(_template().render(sections=sections, version=__version__))
