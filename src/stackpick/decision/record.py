"""The decision as a Markdown Architecture Decision Record (MADR), for a project's repository.

Rendered with Jinja from ``record.md.j2`` beside this module.  Answers are data: every
value the template prints is escaped for Markdown (``markdown_text``) unless the code
below built it as Markdown (``Raw``, for code spans), so free text such as a project
name stays literal text, on one line, whatever it contains.  Reproducible: the same
inputs give the same bytes; the record is dated only when ``SOURCE_DATE_EPOCH`` is set
(the UTC date of that moment).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..answers.questions import BY_KEY, Value
from ..answers.validate import Answers, Limits
from ..errors import BadInput
from ..framework import FRAMEWORKS, NAMES, Framework, other
from . import explain
from .decide import Decision
from .flips import Flip
from .rules import Rule, RuleBook

if TYPE_CHECKING:
    import jinja2

#: Where ``stackpick new`` puts the record in a project.
RECORD_PATH = "docs/decisions/0001-web-framework.md"
TEMPLATE = "record.md.j2"

#: Characters that start Markdown syntax inside a line (CommonMark, and GitHub's tables,
#: strikethrough and math) or template syntax of site generators (``{{``, ``{%``).
_SIGNIFICANT = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
#: What starts a block at the beginning of a line (a list item, a heading underline).
_BLOCK_START = re.compile(r"^(\d*)([-+=.)])")
#: Line breaks of any kind (and other control characters) become one space each.
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


class Raw(str):
    """Text that is Markdown already (built here, never from an answer)."""


def markdown_text(value: object) -> str:
    """``value`` as literal Markdown text on one line: every significant character escaped,
    line breaks and tabs made spaces, and the spaces around it left out."""
    if isinstance(value, Raw):
        return value
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = _SIGNIFICANT.sub(r"\\\1", _BREAKS.sub(" ", str(value))).strip(" ")
    # A value that opens a line must not open a list item or underline a heading either
    # (nor, with the spaces around it stripped, indent a code block).
    return _BLOCK_START.sub(r"\1\\\2", text, count=1)


def code(value: object) -> Raw:
    """``value`` as a Markdown code span (literal; fenced by more backticks than it holds)."""
    text = _BREAKS.sub(" ", "true" if value is True else "false" if value is False else str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or text.strip() != text else ""
    return Raw(f"{fence}{pad}{text}{pad}{fence}")


def record_date(environ: Mapping[str, str]) -> str | None:
    """The UTC date of ``SOURCE_DATE_EPOCH`` (``YYYY-MM-DD``), or ``None`` when it is unset."""
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromtimestamp(int(raw), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise BadInput(
            f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970; "
            "set it to a whole number, or unset it"
        ) from None
    return moment.date().isoformat()


def _keys_read(rule: Rule, answers: Mapping[str, Value]) -> list[str]:
    keys = list(rule.when)
    for condition in rule.when_any:
        if all(answers.get(k) in allowed for k, allowed in condition.items()):
            keys += list(condition)
    return keys


def _mattered(decision: Decision, answers: Mapping[str, Value]) -> list[str]:
    """The answers the fired rules read (and ``framework`` when it was chosen), in order."""
    keys = {key for rule in decision.fired for key in _keys_read(rule, answers)}
    if decision.explicit:
        keys.add("framework")
    return [key for key in BY_KEY if key in keys and key in answers]


def _sources(ids: Sequence[str]) -> Raw:
    return Raw(", ".join(ids))


def _flip_text(flip: Flip) -> dict[str, Any]:
    changes = Raw(" and ".join(f"{code(k)} = {code(v)}" for k, v in flip.changes.items()))
    starts = [code(rule) for rule, change in flip.rules if change == "starts"]
    stops = [code(rule) for rule, change in flip.rules if change == "stops"]
    return {
        "changes": changes,
        "framework": NAMES[flip.framework],
        "starts": Raw(", ".join(starts)),
        "stops": Raw(", ".join(stops)),
    }


def _option(name: Framework, decision: Decision) -> dict[str, Any]:
    def driver(rule: Rule) -> dict[str, Any]:
        return {
            "id": code(rule.id),
            "weight": Raw(explain.counted(decision, rule)),
            "reason": rule.reason,
        }

    return {
        "name": NAMES[name],
        "other": NAMES[other(name)],
        "good": [driver(r) for r in decision.fired if r.favours == name],
        "bad": [driver(r) for r in decision.fired if r.favours != name],
        "ruled_out": list(decision.ruled_out.get(name, ())),
        "score": decision.scores[name],
    }


def render_record(
    decision: Decision,
    answers: Mapping[str, Value],
    book: RuleBook,
    flips: Sequence[Flip],
    environ: Mapping[str, str] | None = None,
) -> str:
    """The MADR decision record of ``decision`` as Markdown text.

    ``answers`` are the validated values (``Answers.values``); ``flips`` what would change
    the guidance (``flips.find_flips``); ``environ`` (default ``os.environ``) is read only
    for ``SOURCE_DATE_EPOCH``.
    """
    environ = os.environ if environ is None else environ
    cited = sorted({s for rule in decision.fired for s in rule.sources})
    if decision.tie:
        cited = sorted({*cited, *book.tie.sources})
    context = {
        "date": Raw(record_date(environ) or ""),
        "framework": NAMES[decision.framework],
        "framework_key": code(decision.framework),
        "other": NAMES[other(decision.framework)],
        "guidance": NAMES[decision.guidance],
        "project_name": answers.get("project_name", "the project"),
        "description": answers.get("description", ""),
        "mattered": [
            {"key": code(key), "prompt": BY_KEY[key].prompt, "value": code(answers[key])}
            for key in _mattered(decision, answers)
        ],
        "drivers": [
            {
                "id": code(rule.id),
                "framework": NAMES[rule.favours],
                "weight": Raw(explain.counted(decision, rule)),
                "reason": rule.reason,
                "sources": _sources(rule.sources),
            }
            for rule in decision.fired
        ],
        "cited": [{"number": n, "title": book.title(n)} for n in cited],
        "options": [_option(name, decision) for name in FRAMEWORKS],
        "decision": decision,
        "tie_reason": book.tie.reason,
        "tie_sources": _sources(book.tie.sources),
        "margin": explain.margin(decision, flips).describe(),
        "scores": ", ".join(
            f"{NAMES[n]} {decision.scores[n]}"
            for n in (decision.guidance, other(decision.guidance))
        ),
        "ruled_out_chosen": decision.guidance in decision.ruled_out and not decision.explicit,
        "ruled_out_reasons": "; ".join(decision.ruled_out.get(decision.guidance, ())),
        "flips": [_flip_text(flip) for flip in flips],
        "pairs": any(len(flip.changes) > 1 for flip in flips),
    }
    return _template().render(context)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    """The record's template; its compiled code is kept in stackpick's cache."""
    import jinja2

    from ..compiled import KeepCompiled, flush

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.dirname(__file__)),
        extensions=[KeepCompiled],
        autoescape=False,
        finalize=markdown_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    template = environment.get_template(TEMPLATE)
    flush()
    return template


def decision_record(
    answers: Answers,
    decision: Decision,
    limits: Mapping[Framework, Limits],
    environ: Mapping[str, str] | None = None,
) -> str:
    """The record for validated ``answers`` and their ``decision``, with the flips found
    against the templates' ``limits`` (``Session.limits()``) and the shipped rule book.

    What ``new`` writes to ``RECORD_PATH``; raises ``BadInput`` for a malformed
    ``SOURCE_DATE_EPOCH``, so call it before anything is written.
    """
    from .flips import find_flips
    from .rules import load_rules

    book = load_rules()
    flips = find_flips(answers, book, limits)
    return render_record(decision, answers.values, book, flips, environ)
