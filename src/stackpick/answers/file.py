"""Reading an answers file (YAML, TOML or JSON, chosen by extension) into a ``Source``.

A file holds answers as top-level keys, or, as ``.stackpick.toml`` does, in an
``[answers]`` table beside a ``[stackpick]`` table of metadata.  Errors name the
file and, where the parser knows it, the line.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import BadInput
from ..trust import trusted_list
from .sources import Source, from_mapping

SUFFIXES = (".yaml", ".yml", ".toml", ".json")
#: An answers file is a few hundred bytes; anything over this is refused before parsing.
MAX_BYTES = 1024 * 1024
#: Tables within tables deeper than this are refused (an answers file needs three levels).
MAX_DEPTH = 16
#: Values read from one file, counted with YAML aliases expanded.
MAX_VALUES = 100_000
#: Whole numbers beyond 64 bits are refused (no answer is a number that large).
MAX_INT = 2**63
#: More answers than this in one file: not an answers file (there are a few dozen questions).
MAX_KEYS = 500
#: More lines than this (comments included): not an answers file either.
MAX_LINES = 10_000
#: Tables of ``.stackpick.toml`` that are not answers: metadata stackpick writes itself.
METADATA_TABLES = ("stackpick", "project")


class AnswersFile(NamedTuple):
    """An answers file: its answers, and the templates it names (``FRAMEWORK -> settings``)."""

    source: Source
    templates: Mapping[str, Mapping[str, str]]
    name: str
    #: The framework a generated project was made with (``[stackpick] framework``).
    made_with: str | None = None
    #: Remote template sources (or prefixes ending in ``/``) this file trusts to run code.
    trusted: tuple[str, ...] = ()
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
    text = _read_text(path)
    return parse_answers(text, str(path), parse)


def _read_text(path: Path) -> str:
    """The file's text: a regular file of at most ``MAX_BYTES`` bytes of UTF-8, read without
    ever waiting (a named pipe is opened non-blocking and refused, never read)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise BadInput(f"answers file {path}: not found; check the path") from None
    except OSError as error:
        raise BadInput(f"answers file {path}: cannot be read ({error.strerror})") from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            kind = "a named pipe" if stat.S_ISFIFO(mode) else kind
            raise BadInput(f"answers file {path}: is {kind}; give a regular file")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise BadInput(f"answers file {path}: cannot be read ({error.strerror})") from None
    finally:
        os.close(handle)
    if len(data) > MAX_BYTES:
        raise BadInput(
            f"answers file {path}: larger than {MAX_BYTES // 1024} KiB, which no answers file "
            "is; check that it is the right file"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"answers file {path}: is not UTF-8 text; save it as UTF-8") from None


def parse_answers(
    text: str, name: str, parse: Callable[[str, str], tuple[Any, dict[str, int]]]
) -> AnswersFile:
    """Turn one file's text into its answers and templates (pure: no I/O)."""
    if text.count("\n") > MAX_LINES:  # refused before parsing: a parser's time grows with it
        raise BadInput(
            f"answers file {name}: over {MAX_LINES} lines, and stackpick asks a few dozen "
            "questions: this is not an answers file; check the path"
        )
    try:
        data, lines = parse(text, name)
    except RecursionError:
        raise BadInput(_too_deep(f"answers file {name}")) from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        if "digits" in str(error):
            raise BadInput(f"answers file {name}: {_TOO_LARGE}") from None
        raise BadInput(f"answers file {name}: cannot be read ({_first_line(error)})") from None
    check_bounds(data, f"answers file {name}")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise BadInput(f"answers file {name}: expected a mapping of key = value at the top level")
    templates = _templates(data.get("templates"), name, lines)
    metadata = data.get("stackpick")
    made_with = metadata.get("framework") if isinstance(metadata, Mapping) else None
    kept = metadata.get("kept") if isinstance(metadata, Mapping) else None
    kept = {str(k): str(v) for k, v in kept.items()} if isinstance(kept, Mapping) else {}
    listed = data.get("trusted")
    trusted = () if listed is None else trusted_list(listed, _where(name, lines, "trusted"))
    data = {k: v for k, v in data.items() if k not in ("templates", "trusted")}
    if "answers" in data and isinstance(data["answers"], Mapping):
        extra = sorted(set(data) - {"answers", *METADATA_TABLES})
        if extra:
            raise BadInput(
                f"answers file {name}: unexpected top-level key '{extra[0]}' beside [answers]; "
                "put every answer inside the [answers] table"
            )
        data = data["answers"]
    if len(data) > MAX_KEYS:
        raise BadInput(
            f"answers file {name}: {len(data)} keys, and stackpick asks a few dozen questions: "
            "this is not an answers file; check the path (stackpick questions lists the keys)"
        )
    for key, value in data.items():
        # A table is a template's dictionary variable (validation refuses it elsewhere).
        if isinstance(value, list):
            raise BadInput(
                f"{_where(name, lines, key)}: {_short(str(key))}: "
                "expected a single value, not a list"
            )
    where = {str(key): _where(name, lines, str(key)) for key in data}
    source = from_mapping(f"answers file {name}", {str(k): v for k, v in data.items()}, where)
    framework = made_with if isinstance(made_with, str) else None
    return AnswersFile(source, templates, name, framework, trusted, kept)


def check_bounds(data: object, what: str) -> None:
    """Refuse values nested more than ``MAX_DEPTH`` deep, more than ``MAX_VALUES`` of them, or
    whole numbers beyond 64 bits (without recursion, so any input is checked in bounded time)."""
    pending: list[tuple[object, int]] = [(data, 0)]
    count = 0
    while pending:
        value, depth = pending.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise BadInput(_too_deep(what))
        if count > MAX_VALUES:
            raise BadInput(f"{what}: more than {MAX_VALUES} values; check the file")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_INT:
            raise BadInput(f"{what}: {_TOO_LARGE}")
        if isinstance(value, Mapping):
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)


_TOO_LARGE = "a number too large for any answer; check it"


def _too_deep(what: str) -> str:
    return (
        f"{what}: nested more than {MAX_DEPTH} levels deep; an answers file holds key = value pairs"
    )


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
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as error:
        raise BadInput(f"{name}: {error}") from None
    except json.JSONDecodeError as error:
        raise BadInput(
            f"{name}:{error.lineno}: malformed JSON ({error.msg}); fix the syntax"
        ) from None
    return data, _key_lines(text, r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:')


class _DuplicateKey(ValueError):
    """A key written twice in one table (JSON has no line to give here)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(f"key '{_short(key)}' is written twice; keep one")
        found[key] = value
    return found


def _short(key: str, width: int = 40) -> str:
    """A key as messages show it: never more than ``width`` characters of the user's text."""
    return key if len(key) <= width else key[: width - 1] + "…"


def _parse_yaml(text: str, name: str) -> tuple[Any, dict[str, int]]:
    import yaml

    safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: fast, bounds nesting
    try:
        node = yaml.compose(text, Loader=safe)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        place = f"{name}:{mark.line + 1}" if mark else name
        raise BadInput(f"{place}: malformed YAML ({error.problem}); fix the syntax") from None
    except yaml.YAMLError as error:
        raise BadInput(f"{name}: malformed YAML ({_first_line(error)}); fix the syntax") from None
    # Every scalar stays text, so "3.10" stays "3.10" and yes/no are read by stackpick's own
    # yes/no rules, the same as for every other source.
    data = _yaml_data(node, name)
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines.setdefault(str(key_node.value), key_node.start_mark.line + 1)
            if key_node.value == "answers" and isinstance(value_node, yaml.MappingNode):
                for inner, _ in value_node.value:
                    lines.setdefault(str(inner.value), inner.start_mark.line + 1)
    return data, lines


def _yaml_data(root: Any, name: str) -> Any:
    """The composed YAML as plain data, every scalar kept as text (as PyYAML's ``BaseLoader``
    reads it), built without recursion; a key written twice in one mapping is refused."""
    import yaml

    def empty(node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            return {}
        return [] if isinstance(node, yaml.SequenceNode) else str(node.value)

    if root is None:
        return None
    made = {id(root): empty(root)}
    pending = [root]
    while pending:
        node = pending.pop()
        into = made[id(node)]
        children = [v for pair in node.value for v in pair] if isinstance(into, dict) else []
        children = node.value if isinstance(into, list) else children
        for child in children:
            if id(child) not in made:
                made[id(child)] = empty(child)
                if not isinstance(made[id(child)], str):
                    pending.append(child)
            if len(made) > MAX_VALUES:
                raise BadInput(f"answers file {name}: more than {MAX_VALUES} values; check it")
        if isinstance(into, list):
            into.extend(made[id(child)] for child in node.value)
        elif isinstance(into, dict):
            for key_node, value_node in node.value:
                key = made[id(key_node)]
                if not isinstance(key, str):
                    raise BadInput(f"{name}:{key_node.start_mark.line + 1}: a key is not text")
                if key in into:
                    raise BadInput(
                        f"{name}:{key_node.start_mark.line + 1}: key '{_short(key)}' is written "
                        "twice; keep one"
                    )
                into[key] = made[id(value_node)]
    return made[id(root)]


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
