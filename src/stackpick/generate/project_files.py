"""stackpick's own files in a generated project, made from data (never read back from output).

``.stackpick.toml`` carries a format number (``[stackpick] format``). Every format ever
written is read (``read_record``) and written again in the current one by the next
update, inside the update's commit:

* format 0, stackpick 0.1.0 as first released (commit 9d53c03): ``[stackpick] version``
  only; the framework is the ``framework`` answer, or what the project's files show;
* format 1, stackpick 0.1.0 later (a1d606a to 638fdd9): ``[stackpick] framework`` too;
* format 2, stackpick 0.2.0: ``format``, ``template`` (what the project was last
  rendered from), a team template's ``commit`` beside the ``checkout`` as given, and
  ``[stackpick.kept]``: the template's private variables fixed for the project's life.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .. import __version__
from ..framework import Framework
from ..template_source import Template, TemplateSource

ANSWERS_FILE = ".stackpick.toml"
ENV_FILE = ".env"
RECORD_FILE = "docs/decisions/0001-web-framework.md"
#: The ``.stackpick.toml`` format this stackpick writes.
FORMAT = 2


class ProjectRecord(NamedTuple):
    """The ``[stackpick]`` table of a project's ``.stackpick.toml``, in any format."""

    format: int
    version: str
    framework: str | None
    template: str
    #: The template's private variables, as fixed when the project was made (format 2).
    kept: Mapping[str, str]


def read_record(data: Mapping[str, Any]) -> ProjectRecord:
    """The ``[stackpick]`` table of a parsed ``.stackpick.toml``, whatever its format (pure).

    A format 0 file names no framework: the explicit ``framework`` answer stands in for
    it (``None`` when the answer was ``auto``; the caller then asks the project's files).
    A format this stackpick does not know (a newer one) is a ``ValueError``.
    """
    table = data.get("stackpick")
    table = table if isinstance(table, Mapping) else {}
    version = str(table.get("version", ""))
    framework = table.get("framework")
    declared = table.get("format")
    if declared is None:
        number = 1 if isinstance(framework, str) else 0
    elif isinstance(declared, int) and 0 <= declared <= FORMAT:
        number = declared
    else:
        raise ValueError(
            f"[stackpick] format = {declared!r} is newer than this stackpick reads "
            f"(format {FORMAT}); upgrade stackpick"
        )
    if number == 0:
        answers = data.get("answers")
        answer = answers.get("framework") if isinstance(answers, Mapping) else None
        framework = answer if answer in ("flask", "django") else None
    kept = table.get("kept")
    kept = {str(k): str(v) for k, v in kept.items()} if isinstance(kept, Mapping) else {}
    return ProjectRecord(
        number,
        version,
        framework if isinstance(framework, str) else None,
        str(table.get("template", "")),
        kept,
    )


def template_name(framework: Framework, source: TemplateSource) -> str:
    """What a project was rendered from: stackpick's bundled template (of ``version``), or
    a team's source."""
    return f"bundled {framework}" if source.bundled else source.describe()


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


def keep_variables(context: dict[str, Any], kept: Mapping[str, str]) -> dict[str, str]:
    """Set the template's kept variables (``__stackpick.keep``: private ``_`` variables fixed
    for a project's life) to the values the project recorded; return them all, as rendered
    (a new project's: the template's defaults)."""
    values = context["cookiecutter"]
    declared = values.get("__stackpick")
    keep = declared.get("keep") if isinstance(declared, Mapping) else None
    names = [str(k) for k in keep] if isinstance(keep, Mapping | list) else []
    names = [n for n in names if n.startswith("_") and not n.startswith("__") and n in values]
    for name in names:
        if name in kept:
            values[name] = kept[name]
    return {name: str(values[name]) for name in names}


def stackpick_toml(
    answers: Mapping[str, Any],
    template: Template,
    project: Mapping[str, Any],
    kept: Mapping[str, str] | None = None,
) -> str:
    """The ``.stackpick.toml`` that regenerates (and later updates) this project: a team
    template's ``checkout`` as the user gave it, and the ``commit`` it rendered at."""
    import tomli_w

    framework, source, commit = template.framework, template.source, template.commit
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": __version__,
        "framework": framework,
        "template": template_name(framework, source),
    }
    if kept:
        meta["kept"] = dict(kept)
    document: dict[str, Any] = {"stackpick": meta, "answers": dict(answers)}
    if not source.bundled:
        table = source.to_toml()
        if commit and commit != source.checkout:
            table["commit"] = commit
        document["templates"] = {framework: table}
    table = _project_table(project)
    if table:
        document["project"] = table
    header = (
        "# Written by stackpick; regenerate this project with:\n"
        f"#   stackpick new --answers {ANSWERS_FILE}\n"
    )
    return header + tomli_w.dumps(document)


def _project_table(project: Mapping[str, Any]) -> dict[str, Any]:
    """The template's declared next steps, setup steps, commands and local settings (``env``),
    empty ones left out."""
    table: dict[str, Any] = {}
    steps = [str(s) for s in project.get("next_steps", []) if str(s).strip()]
    if steps:
        table["next_steps"] = steps
    for key in ("run", "admin"):
        if str(project.get(key, "")).strip():
            table[key] = str(project[key])
    env = project.get("env")
    if isinstance(env, Mapping):  # for 'stackpick setup' to write .env where it is missing
        table["env"] = {str(k): " ".join(str(v).split()) for k, v in env.items() if str(v).strip()}
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
