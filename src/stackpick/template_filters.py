"""Escaping filters for values that land in generated files: one module for both templates.

Answers are data: every free-text value a template writes goes through the filter of the
context it lands in, so that it stays valid there and is never read as code. The bundled
templates' ``local_extensions.py`` re-export it (cookiecutter loads ``local_extensions``
through ``_extensions``, for stackpick as for itself); it depends on nothing but Jinja2 and
MarkupSafe, and imports nothing of stackpick.
"""

from __future__ import annotations

import json
import re

from jinja2 import Environment
from jinja2.ext import Extension
from markupsafe import escape

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escape_controls(text: str) -> str:
    return _CONTROL.sub(lambda m: _SHORT_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def _quoted(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{_escape_controls(text)}"'


def py_str(value: object) -> str:
    """A Python string literal, quoted as ruff format would (double quotes unless the
    value holds more double than single quotes), so generated code is formatted."""
    text = str(value)
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{_escape_controls(body)}{quote}"


def toml_str(value: object) -> str:
    """A TOML basic string (``"..."``)."""
    return _quoted(value)


def yaml_str(value: object) -> str:
    """A YAML double-quoted scalar (``"..."``)."""
    return _quoted(value)


def json_str(value: object) -> str:
    """A JSON string (``"..."``), non-ASCII kept as is."""
    return json.dumps(str(value), ensure_ascii=False)


def html_text(value: object) -> str:
    """Text for HTML or Markdown that also holds no Jinja or Django template syntax.

    ``<``, ``>``, ``&`` and quotes become entities, and so do ``{``, ``}`` and
    ``%``, so a template engine of the generated project sees no tag in it.
    """
    escaped = str(escape(str(value)))
    return escaped.replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;")


def one_line(value: object) -> str:
    """The text with every run of whitespace (newlines included) made one space."""
    return " ".join(str(value).split())


FILTERS = {
    "py_str": py_str,
    "toml_str": toml_str,
    "yaml_str": yaml_str,
    "json_str": json_str,
    "html_text": html_text,
    "one_line": one_line,
}


class EscapeFilters(Extension):
    """Registers the escaping filters on a Jinja environment."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(FILTERS)
