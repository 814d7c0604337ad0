"""What a template adds to the answers: its own questions, and what it can honour.

Downstream of the template source (``template_source``): reads a template's declaration,
never fetches or renders.
"""

from __future__ import annotations

from ..errors import RenderError
from ..template_source import Template, path_variables
from .questions import BY_KEY, Question, Type, Value, template_question
from .validate import Limits


def template_questions(template: Template) -> tuple[Question, ...]:
    """The questions a template adds to stackpick's own: its variables stackpick does not
    ask, and, for a team's template, those it declares otherwise than stackpick."""
    from .declared import declared_question

    questions = []
    mapping = decision_map(template)
    for key in template.declaration.variables:
        prompt = template.declaration.prompts.get(key)
        raw = template.declaration.raw[key]
        if key in BY_KEY:
            if template.source.bundled:
                continue
            question = declared_question(key, raw, prompt, template.name, mapping.get(key, {}))
        else:
            question = template_question(key, raw, prompt, template.name)
        if question is not None:
            questions.append(question)
    return tuple(questions)


def decision_map(template: Template) -> dict[str, dict[str, Value]]:
    """The template's ``__stackpick`` ``decision`` table (``declared.py``); a bad one is a
    template error."""
    from .decision_table import read_mapping

    found, problems = read_mapping(template.declaration.raw.get("__stackpick"), template.name)
    if problems:
        raise RenderError(problems[0])
    return found


def limits(template: Template) -> Limits:
    """What ``template`` can honour: its choices for stackpick's answers, its path variables."""
    from .declared import compatible, static_defaults

    raw = template.declaration.raw
    choices = {
        key: tuple(str(item) for item in raw[key])
        for key in template.declaration.variables
        if key in BY_KEY and BY_KEY[key].type is Type.CHOICE and compatible(BY_KEY[key], raw[key])
    }
    return Limits(
        template=f"{template.framework} template"
        + ("" if template.source.bundled else f" {template.source.source}"),
        choices=choices,
        identifier_slug=template.source.bundled,
        given_only=not template.source.bundled,
        # The bundled templates put only project_slug in names, and it has rules of its own.
        path_keys=frozenset({"project_slug"})
        if template.source.bundled
        else path_variables(template.root),
        decision_map={} if template.source.bundled else decision_map(template),
        defaults={} if template.source.bundled else static_defaults(raw),
    )
