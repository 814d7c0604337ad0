"""Answer sources, kept apart until they are merged in a stated priority.

Priority, lowest first: defaults < answers file < environment (``STACKPICK_<KEY>``)
< ``--set key=value`` (and the ``NAME`` argument) < interactive prompts.  A source
only collects raw values and where they came from; ``validate`` checks them all the
same way, unknown keys included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

ENV_PREFIX = "STACKPICK_"
#: Variables under this prefix belong to stackpick's own test suite, not to the answers.
ENV_RESERVED_PREFIX = "STACKPICK_TEST_"


class Given(NamedTuple):
    """One raw value from one source, and where it came from (for messages)."""

    value: object
    where: str


class Source(NamedTuple):
    """The raw values one source gave, before validation."""

    name: str
    values: Mapping[str, Given]
    problems: tuple[str, ...] = ()


def from_environment(environ: Mapping[str, str]) -> Source:
    """``STACKPICK_<KEY>`` variables (``STACKPICK_TEST_*`` aside)."""
    values: dict[str, Given] = {}
    for name in sorted(environ):
        if name.startswith(ENV_PREFIX) and not name.startswith(ENV_RESERVED_PREFIX):
            key = name[len(ENV_PREFIX) :].lower()
            values[key] = Given(environ[name], f"environment variable {name}")
    return Source("environment", values)


def from_set_options(pairs: Sequence[str]) -> Source:
    """``--set key=value`` options, later ones winning."""
    values: dict[str, Given] = {}
    problems: list[str] = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(f"--set {pair}: expected KEY=VALUE, for example --set app_type=api")
        else:
            values[key] = Given(value, "--set")
    return Source("--set", values, tuple(problems))


def from_mapping(name: str, data: Mapping[str, object], where: Mapping[str, str]) -> Source:
    """Values read from an answers file (``where`` maps each key to its file and line)."""
    return Source(name, {key: Given(value, where.get(key, name)) for key, value in data.items()})


def merge(sources: Iterable[Source]) -> dict[str, Given]:
    """One raw value per key: a later source wins over an earlier one."""
    merged: dict[str, Given] = {}
    for source in sources:
        merged.update(source.values)
    return merged
