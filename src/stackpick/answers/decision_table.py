"""A team template's ``__stackpick`` ``decision`` table: what its own values of stackpick's
decision questions mean to the decision (see ``declared.py``). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping

from .questions import BY_KEY, Kind, Value
from .values import validate_value


def read_mapping(declared: object, template: str) -> tuple[dict[str, dict[str, Value]], list[str]]:
    """The ``decision`` table of a template's raw ``__stackpick`` block, and its problems.

    Each entry maps a template value (as text) to a value of the decision's question,
    checked like any answer (``yes``/``no`` for a yes/no question).
    """
    if not isinstance(declared, Mapping) or "decision" not in declared:
        return {}, []
    table = declared["decision"]
    where = f"{template}: __stackpick.decision"
    if not isinstance(table, Mapping):
        return {}, [f"{where}: expected a table of KEY: {{TEMPLATE_VALUE: DECISION_VALUE}}"]
    found: dict[str, dict[str, Value]] = {}
    problems = []
    for key, entries in table.items():
        own = BY_KEY.get(str(key))
        if own is None or own.kind is not Kind.DECISION or not isinstance(entries, Mapping):
            problems.append(
                f"{where}.{key}: not a decision question with a table of values; "
                "use a key from 'stackpick questions' (kind decision)"
            )
            continue
        for text, target in entries.items():
            checked = validate_value(own, target)
            if checked.value is None:
                problems.append(f"{where}.{key}.{text}: {checked.error}")
            else:
                found.setdefault(str(key), {})[str(text)] = checked.value
    return found, problems
