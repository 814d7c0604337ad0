"""Values a template generates at random (its hooks' secrets, ``random_ascii_string``) stay
the project's across updates.

The scheme: ``update`` renders the template twice for the same answers. Lines that differ
between the two renders are generated, not declared. In the new render, each such line
takes the project's previous value (from the previous pristine render) when that line
is where the template still puts it: the lines align, and the previous line has the
generated line's fixed start and end (``DJANGO_SECRET_KEY=`` ... end of line), taken in
order within a block of lines that changed. A line whose fixed part the template changed,
a new file or a new line gets the new value: the template changed what produces it. A
generated binary file, or one whose line count changes from render to render, cannot be
told apart line by line and is kept whole.
"""

from __future__ import annotations

import difflib
import subprocess
from collections.abc import Callable
from pathlib import Path

#: Where a generated value's fixed start or end is cut back to (a value runs between them).
_DELIMITERS = frozenset("=:\"' ,;()[]{}<>\t")


def _fixed_ends(first: str, second: str) -> tuple[str, str]:
    """The start and end two generated lines share, cut back to a delimiter."""
    start = 0
    while start < min(len(first), len(second)) and first[start] == second[start]:
        start += 1
    while start and first[start - 1] not in _DELIMITERS:
        start -= 1
    end = 0
    limit = min(len(first), len(second)) - start
    while end < limit and first[-1 - end] == second[-1 - end]:
        end += 1
    while end and first[len(first) - end] not in _DELIMITERS | {"\n", "\r"}:
        end -= 1
    return first[:start], first[len(first) - end :] if end else ""


def keep_lines(new: str, again: str, old: str) -> str | None:
    """``new`` with its generated lines (those that differ in ``again``) taking ``old``'s
    values where the template still puts them; ``None`` when nothing is kept."""
    new_lines, again_lines = new.splitlines(keepends=True), again.splitlines(keepends=True)
    if len(new_lines) != len(again_lines):
        return old
    generated = {i for i, (a, b) in enumerate(zip(new_lines, again_lines, strict=True)) if a != b}
    old_lines = old.splitlines(keepends=True)
    kept = list(new_lines)
    changed = False
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        # Within a changed block, each generated line takes the next old line (in order)
        # that has its fixed start and end.
        k = i1
        for m in range(j1, j2):
            if m not in generated:
                continue
            start, end = _fixed_ends(new_lines[m], again_lines[m])
            found = next(
                (i for i in range(k, i2) if old_lines[i].startswith(start)
                 and old_lines[i].endswith(end) and len(old_lines[i]) >= len(start) + len(end)),
                None,
            )  # fmt: skip
            if found is not None:
                kept[m] = old_lines[found]
                k = found + 1
                changed = True
    return "".join(kept) if changed else None


def keep_generated(
    new: Path, again: Path, previous: Callable[[str], bytes | None]
) -> tuple[str, ...]:
    """Give the files of render ``new`` the project's generated values (``previous``: a
    file's bytes in the previous render, ``None`` when it had none), comparing with
    ``again``, a second render of the same answers. Returns the files that kept values."""
    kept: list[str] = []
    for path in sorted(p for p in new.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(new).as_posix()
        twin = again / relative
        if not twin.is_file():
            continue
        first, second = path.read_bytes(), twin.read_bytes()
        if first == second:
            continue
        old = previous(relative)
        if old is None or old == first:
            continue
        try:
            result = keep_lines(first.decode(), second.decode(), old.decode())
            data = None if result is None else result.encode()
        except UnicodeDecodeError:
            data = old  # a generated binary file: kept whole
        if data is not None and data != first:
            path.write_bytes(data)
            kept.append(relative)
    return tuple(kept)


def from_commit(repo: Path, commit: str) -> Callable[[str], bytes | None]:
    """A file's bytes at ``commit`` of ``repo`` (``None`` when it has no such file)."""

    def read(relative: str) -> bytes | None:
        done = subprocess.run(
            ["git", "cat-file", "blob", f"{commit}:{relative}"],
            cwd=repo,
            capture_output=True,
            check=False,
        )
        return done.stdout if done.returncode == 0 else None

    return read
