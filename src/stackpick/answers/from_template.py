"""What a template adds to the answers: its own questions, and what it can honour.

Downstream of the template source (``template_source``): reads a template's declaration,
never fetches or renders.
"""

from __future__ import annotations

from ..template_source import Template, path_variables
from .questions import BY_KEY, Question, Type, template_question
from .validate import Limits


def template_questions(template: Template) -> tuple[Question, ...]:
    """The questions a template adds to stackpick's own (its variables stackpick does not ask)."""
    questions = []
    for key in template.declaration.variables:
        if key in BY_KEY:
            continue
        prompt = template.declaration.prompts.get(key)
        question = template_question(key, template.declaration.raw[key], prompt, template.name)
        if question is not None:
            questions.append(question)
    return tuple(questions)


def limits(template: Template) -> Limits:
    """What ``template`` can honour: its choices for stackpick's answers, its path variables."""
    raw = template.declaration.raw
    choices = {
        key: tuple(str(item) for item in raw[key])
        for key in template.declaration.variables
        if key in BY_KEY and BY_KEY[key].type is Type.CHOICE and isinstance(raw[key], list)
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
    )
