"""Reading an answers file (YAML, TOML or JSON, chosen by extension) into a ``Source``.

A file holds answers as top-level keys, or, as ``.stackpick.toml`` does, in an
``[answers]`` table beside a ``[stackpick]`` table of metadata.  Errors name the
file and, where the parser knows it, the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import BadInput
from .sources import Source, from_mapping

SUFFIXES = (".yaml", ".yml", ".toml", ".json")
#: Tables of ``.stackpick.toml`` that are not answers: metadata stackpick writes itself.
METADATA_TABLES = ("stackpick", "project")


class AnswersFile(NamedTuple):
    """An answers file: its answers, and the templates it names (``FRAMEWORK -> settings``)."""

    source: Source
    templates: Mapping[str, Mapping[str, str]]
    name: str
    #: The framework a generated project was made with (``[stackpick] framework``).
    made_with: str | None = None
    #: The template's private variables the project keeps (``[stackpick.kept]``).
    kept: Mapping[str, str] = {}


def read_answers_file(path: Path) -> AnswersFile:
    """Load ``path``; raise ``BadInput`` naming the file (and line) when it cannot be used."""
    parse = _PARSERS.get(path.suffix.lower())
    if parse is None:
        raise BadInput(
            f"answers file {path}: unknown format '{path.suffix}'; "
            f"use one of: {', '.join(SUFFIXES)}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"answers file {path}: not found; check the path") from None
    except IsADirectoryError:
        raise BadInput(f"answers file {path}: is a directory; give a file") from None
    except UnicodeDecodeError:
        raise BadInput(f"answers file {path}: is not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise BadInput(f"answers file {path}: cannot be read ({error.strerror})") from None
    return parse_answers(text, str(path), parse)


def parse_answers(
    text: str, name: str, parse: Callable[[str, str], tuple[Any, dict[str, int]]]
) -> AnswersFile:
    """Turn one file's text into its answers and templates (pure: no I/O)."""
    data, lines = parse(text, name)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise BadInput(f"answers file {name}: expected a mapping of key = value at the top level")
    templates = _templates(data.get("templates"), name, lines)
    metadata = data.get("stackpick")
    made_with = metadata.get("framework") if isinstance(metadata, Mapping) else None
    kept = metadata.get("kept") if isinstance(metadata, Mapping) else None
    kept = {str(k): str(v) for k, v in kept.items()} if isinstance(kept, Mapping) else {}
    data = {k: v for k, v in data.items() if k != "templates"}
    if "answers" in data and isinstance(data["answers"], Mapping):
        extra = sorted(set(data) - {"answers", *METADATA_TABLES})
        if extra:
            raise BadInput(
                f"answers file {name}: unexpected top-level key '{extra[0]}' beside [answers]; "
                "put every answer inside the [answers] table"
            )
        data = data["answers"]
    for key, value in data.items():
        if isinstance(value, (Mapping, list)):
            raise BadInput(
                f"{_where(name, lines, key)}: {key}: expected a single value, not a table or list"
            )
    where = {str(key): _where(name, lines, str(key)) for key in data}
    source = from_mapping(f"answers file {name}", {str(k): v for k, v in data.items()}, where)
    framework = made_with if isinstance(made_with, str) else None
    return AnswersFile(source, templates, name, framework, kept)


def _templates(table: object, name: str, lines: Mapping[str, int]) -> dict[str, dict[str, str]]:
    """The ``templates`` table: ``FRAMEWORK = "SOURCE"`` or ``FRAMEWORK = {source = ...}``."""
    if table is None:
        return {}
    where = _where(name, lines, "templates")
    if not isinstance(table, Mapping):
        raise BadInput(f"{where}: templates: expected a table of FRAMEWORK = SOURCE")
    found: dict[str, dict[str, str]] = {}
    for framework, settings in table.items():
        if isinstance(settings, str):
            settings = {"source": settings}
        if (
            not isinstance(settings, Mapping)
            or not isinstance(settings.get("source"), str)
            or not all(isinstance(v, str) for v in settings.values())
            or set(settings) - {"source", "checkout", "directory", "commit"}
        ):
            raise BadInput(
                f"{where}: templates.{framework}: expected a source text, or a table with "
                "source and optionally checkout, directory and commit"
            )
        found[str(framework)] = dict(settings)
    return found


def _where(name: str, lines: Mapping[str, int], key: str) -> str:
    line = lines.get(key)
    return f"{name}:{line}" if line else name


def _key_lines(text: str, pattern: str) -> dict[str, int]:
    """The first line on which each key is written (a best effort for TOML and JSON)."""
    found: dict[str, int] = {}
    regex = re.compile(pattern)
    for number, line in enumerate(text.splitlines(), start=1):
        for match in regex.finditer(line):
            found.setdefault(match.group(1), number)
    return found


def _parse_toml(text: str, name: str) -> tuple[Any, dict[str, int]]:
    from .._toml import TOMLDecodeError, loads

    try:
        data = loads(text)
    except TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_message(str(error))
        place = f"{name}:{line}" if line else name
        raise BadInput(f"{place}: malformed TOML ({_first_line(error)}); fix the syntax") from None
    return data, _key_lines(text, r'^\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*=')


def _parse_json(text: str, name: str) -> tuple[Any, dict[str, int]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(
            f"{name}:{error.lineno}: malformed JSON ({error.msg}); fix the syntax"
        ) from None
    return data, _key_lines(text, r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:')


def _parse_yaml(text: str, name: str) -> tuple[Any, dict[str, int]]:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        # BaseLoader keeps every scalar as text, so "3.10" stays "3.10" and yes/no are
        # read by stackpick's own yes/no rules, the same as for every other source.
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        place = f"{name}:{mark.line + 1}" if mark else name
        raise BadInput(f"{place}: malformed YAML ({error.problem}); fix the syntax") from None
    except yaml.YAMLError as error:
        raise BadInput(f"{name}: malformed YAML ({_first_line(error)}); fix the syntax") from None
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines.setdefault(str(key_node.value), key_node.start_mark.line + 1)
            if key_node.value == "answers" and isinstance(value_node, yaml.MappingNode):
                for inner, _ in value_node.value:
                    lines.setdefault(str(inner.value), inner.start_mark.line + 1)
    return data, lines


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


_PARSERS: dict[str, Callable[[str, str], tuple[Any, dict[str, int]]]] = {
    ".toml": _parse_toml,
    ".json": _parse_json,
    ".yaml": _parse_yaml,
    ".yml": _parse_yaml,
}
