"""A team template's own declaration of a variable that shares a name with a stackpick question.

The template's declaration is the truth for the value (``rest_api`` with the choices
``None``/``DRF``/``Django Ninja``, a free-text ``python_version``): the value is checked,
asked, rendered and recorded as the template declares it. The decision keeps reading its
own question; a mapping turns the template's value into the decision's input. A template
may declare that mapping in its ``__stackpick`` block::

    "__stackpick": {"decision": {"rest_api": {"None": "no", "DRF": "yes"}}}

and values it does not list follow the default rule: for a yes/no question ``None``,
``n``, ``no``, ``false``, ``0``, ``off`` and the empty text mean no, anything else yes;
for a choice the value itself when it is one of the decision's choices, else the
decision's default; for text the value itself. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .questions import BY_KEY, Kind, Question, Schema, Type, Value, template_question

#: Template values that mean "no" for a yes/no decision question (compared lower-cased).
NO_WORDS = frozenset({"", "none", "n", "no", "false", "0", "off"})
#: stackpick's text questions with a rule of their own, which a team template's text need not meet.
RULED_TEXT = frozenset({"author_email"})
#: The longest dictionary value, as JSON text.
MAX_DICT_LENGTH = 10_000


def compatible(own: Question, raw: object) -> bool:
    """Whether the template declares ``own``'s key as stackpick does (a narrower choice list
    included: stackpick then checks the value against the template's offer)."""
    if own.type is Type.BOOL:
        return isinstance(raw, bool)
    if own.type is Type.CHOICE:
        return isinstance(raw, list) and bool(raw) and all(str(i) in own.choices for i in raw)
    # Free text with a rule of stackpick's own (an email address) is the template's own text.
    return isinstance(raw, str) and own.key not in RULED_TEXT


def static_defaults(raw: Mapping[str, object]) -> dict[str, Value]:
    """The defaults a template declares for stackpick's questions the way stackpick asks them,
    where they need no rendering: what the decision reads when no source gave the answer."""
    found: dict[str, Value] = {}
    for key, declared in raw.items():
        own = BY_KEY.get(key)
        if own is None or key == "framework" or not compatible(own, declared):
            continue
        value = declared[0] if isinstance(declared, list) else declared
        if isinstance(value, bool) or (isinstance(value, str) and "{" not in value):
            found[key] = value
    return found


def declared_question(
    key: str, raw: object, prompt: object, template: str, mapping: Mapping[str, Value]
) -> Question | None:
    """The question for ``key`` as the template declares it.

    ``None`` when stackpick's own question stands (the key is not stackpick's, or the
    template declares it the same way) or the declaration cannot be asked (an empty list).
    """
    own = BY_KEY.get(key)
    if own is None or compatible(own, raw):
        return None
    question = template_question(key, raw, prompt, template)
    if question is None:
        return None
    help = f"Declared by the {template}"
    if own.kind is Kind.DECISION:
        help += f"; the decision reads it as its own '{key}' ({describe_mapping(own, mapping)})"
    # stackpick's wording, unless the template words the question itself (``__prompts__``).
    text = question.prompt if prompt is not None else own.prompt
    return question._replace(kind=own.kind, help=help + ".", prompt=text)


def describe_mapping(own: Question, mapping: Mapping[str, Value]) -> str:
    """How template values become the decision's input, in words."""
    listed = ", ".join(f"{k} = {_show(v)}" for k, v in mapping.items())
    if own.type is Type.BOOL:
        rule = "None, n, no, false or empty mean no, anything else yes"
    elif own.type is Type.CHOICE:
        rule = f"one of {', '.join(own.choices)} as it is, anything else {own.default}"
    else:
        rule = "as it is"
    return f"{listed}; otherwise {rule}" if listed else rule


def _show(value: Value) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else value


def decision_value(own: Question, value: object, mapping: Mapping[str, Value]) -> Value:
    """The decision's input for a template's ``value`` of ``own``'s key."""
    import json

    text = value if isinstance(value, str) else json.dumps(value)
    if isinstance(value, bool):
        text = "true" if value else "false"
    if text in mapping:
        return mapping[text]
    if own.type is Type.BOOL:
        return value if isinstance(value, bool) else text.strip().lower() not in NO_WORDS
    if own.type is Type.CHOICE:
        word = text.strip().lower()
        if word in own.choices:
            return word
        assert own.default is not None
        return own.default
    return text


def replaced_keys(schema: Schema) -> frozenset[str]:
    """stackpick's questions that a template of ``schema`` declares its own way."""
    return frozenset(q.key for q in schema.questions if q.key in BY_KEY and q != BY_KEY[q.key])


def with_declared(schema: Schema, questions: tuple[Question, ...]) -> Schema:
    """``schema`` plus a template's questions: its declaration replaces stackpick's own
    question of the same name (the first template's, when both declare it otherwise)."""
    own = {q.key: q for q in questions if q.key in BY_KEY}
    replaced = tuple(
        own[q.key] if q.key in own and schema.by_key[q.key] == BY_KEY[q.key] else q
        for q in schema.questions
    )
    return Schema(replaced).extended(questions)


def decision_maps(
    tables: Iterable[Mapping[str, Mapping[str, Value]]],
) -> dict[str, Mapping[str, Value]]:
    """Each key's decision mapping, from the first of ``tables`` that declares one."""
    maps: dict[str, Mapping[str, Value]] = {key: {} for key in BY_KEY}
    for table in tables:
        for key, mapping in table.items():
            maps[key] = maps.get(key) or mapping
    return maps


def first_defaults(tables: Iterable[Mapping[str, Value]]) -> dict[str, Value]:
    """The team templates' own defaults (``static_defaults``), the first one's for a key."""
    found: dict[str, Value] = {}
    for table in tables:
        found.update({k: v for k, v in table.items() if k not in found})
    return found


def check_dict(value: object) -> tuple[str | None, str | None]:
    """A dictionary variable's value, a JSON object (text) or a table, as its JSON text;
    or the problem with it."""
    import json

    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            return None, f'is not a JSON object ({error}); write it as {{"key": "value"}}'
    if not isinstance(value, Mapping):
        return None, f'{value!r} is not a JSON object; write it as {{"key": "value"}}'
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_DICT_LENGTH:
        return None, f"is {len(text)} characters long; keep it under {MAX_DICT_LENGTH}"
    return text, None
