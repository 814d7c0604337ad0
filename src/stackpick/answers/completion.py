"""Shell completion of answers (``--set KEY=VALUE``), from the question schema."""

from __future__ import annotations

from .questions import BY_KEY, QUESTIONS, Type


def complete_answer(incomplete: str) -> list[str]:
    """``key=`` for the keys that start with ``incomplete``; after ``=``, the key's values."""
    key, sep, value = incomplete.partition("=")
    if not sep:
        return [f"{q.key}=" for q in QUESTIONS if q.key.startswith(key)]
    question = BY_KEY.get(key)
    if question is None:
        return []
    values = question.choices if question.type is Type.CHOICE else ()
    if question.type is Type.BOOL:
        values = ("yes", "no")
    return [f"{key}={v}" for v in values if v.startswith(value)]
