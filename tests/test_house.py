"""The house rules, read from the source: data flows one way through the layers below, no
module imports another in a circle, and no module grows past about 400 lines.

Every ``import`` counts, wherever it is written (inside functions and ``TYPE_CHECKING``
blocks too): a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "stackpick"

#: Bottom to top, as the README's architecture section draws them. A module may import its
#: own layer and the layers below, never one above. A module belongs to the layer of the
#: longest prefix listed for it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "stackpick",
            "stackpick._toml",
            "stackpick.errors",
            "stackpick.framework",
            "stackpick.cache",
            "stackpick.compiled",
            "stackpick.interrupt",
            "stackpick.lifeline",
            "stackpick.trust",
        ),
    ),
    (
        "template source",
        (
            "stackpick.template_source",
            "stackpick.cookiecutter_adapter",
            "stackpick.template_filters",
        ),
    ),
    ("answers", ("stackpick.answers",)),
    ("decision", ("stackpick.decision",)),
    ("generate", ("stackpick.generate",)),
    (
        "after-steps",
        (
            "stackpick.generate.git",
            "stackpick.generate.journal",
            "stackpick.setup",
            "stackpick.update",
            "stackpick.recorded",
            "stackpick.check",
            "stackpick.app",
            "stackpick.new",
        ),
    ),
    ("ui", ("stackpick.ui", "stackpick.serve")),
    ("cli", ("stackpick.cli", "stackpick.cli_check", "stackpick.options", "stackpick.__main__")),
)
#: "About 400 lines": a little over is tolerated, this far is not.
MAX_LINES = 420
#: Modules still over it while another change splits them: never to grow past this size.
KNOWN_SIZES: dict[str, tuple[int, str]] = {}
#: Imports the house does not want, still in the code while another change removes them
#: (one entry each, with why). An entry whose import is gone is simply not needed any more.
KNOWN: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = SRC / PACKAGE) -> dict[str, Path]:
    return {module_name(path): path for path in sorted(root.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The stackpick modules ``name`` imports (``from .x import y`` counts as ``x.y`` when
    ``y`` is a module, else as ``x``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def layer_of(name: str) -> int:
    """The index of ``name``'s layer in ``LAYERS`` (by its longest listed prefix)."""
    best = (-1, -1)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), index)
    if best[1] < 0:
        pytest.fail(f"{name} is in no layer: add it to LAYERS (and the README's table)")
    return best[1]


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected groups of two or more modules), Tarjan's way."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def allowed(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    return {name: {t for t in targets if (name, t) not in KNOWN} for name, targets in edges.items()}


def test_no_import_circles() -> None:
    assert circles(allowed(graph())) == []


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in allowed(graph()).items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(name)
    ]
    assert upward == []


def test_no_module_is_much_over_400_lines() -> None:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()
    }
    limits = {name: KNOWN_SIZES.get(name, (MAX_LINES, ""))[0] for name in sizes}
    assert {name: size for name, size in sizes.items() if size > limits[name]} == {}


def test_the_checks_see_a_circle_an_upward_import_and_a_lazy_one(tmp_path: Path) -> None:
    """The checks themselves: a circle is found, and so is an import inside a function."""
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    source = tmp_path / "stackpick" / "answers" / "x.py"
    source.parent.mkdir(parents=True)
    source.write_text("def f():\n    from ..decision import decide\n    from . import y\n")
    known = {"stackpick.decision", "stackpick.decision.decide", "stackpick.answers.y"}
    found = imports("stackpick.answers.x", source, known)
    assert found == {"stackpick.decision.decide", "stackpick.answers.y"}
    assert layer_of("stackpick.decision.decide") > layer_of("stackpick.answers.x")
    assert layer_of("stackpick.generate.git") > layer_of("stackpick.generate.render")


def test_the_readme_draws_the_same_layers() -> None:
    readme = (SRC.parent / "README.md").read_text(encoding="utf-8")
    flow = " → ".join(name for name, _ in LAYERS[1:])
    assert flow in readme


def test_every_package_ships_in_the_wheel() -> None:
    import tomllib

    pyproject = tomllib.loads((SRC.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    packages = {module_name(path) for path in (SRC / PACKAGE).rglob("__init__.py")}
    assert packages - listed == set()


#: The bundled templates, and the most ``{% if %}`` tags they may hold per 100 lines (issue 22).
TEMPLATES = SRC.parent / "templates"
IF_TAG = re.compile(r"\{%-?\s*if\b")
MAX_IFS_PER_100_LINES = 4.0


def if_counts(root: Path) -> dict[str, tuple[int, int]]:
    """Each file below ``root``: its ``{% if %}`` tags and its lines."""
    counts = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        counts[path.relative_to(root).as_posix()] = (
            len(IF_TAG.findall(text)),
            len(text.splitlines()),
        )
    return counts


def test_the_if_count_sees_if_tags_only() -> None:
    text = "{% if a %}{%- if b %}{%-if c %}{% elif d %}{% endif %}{% for x in y if x %}{{ x if y }}"
    assert len(IF_TAG.findall(text)) == 3


@pytest.mark.parametrize("framework", ["flask", "django"])
def test_a_bundled_template_has_at_most_4_ifs_per_100_lines(framework: str) -> None:
    counts = if_counts(TEMPLATES / framework)
    ifs = sum(n for n, _ in counts.values())
    lines = sum(n for _, n in counts.values())
    density = 100 * ifs / lines
    worst = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))[:5]
    named = ", ".join(f"{name} ({n} in {size} lines)" for name, (n, size) in worst)
    assert density <= MAX_IFS_PER_100_LINES, (
        f"templates/{framework}: {ifs} {{% if %}} in {lines} lines, {density:.2f} per 100 "
        f"(at most {MAX_IFS_PER_100_LINES}); the most: {named}"
    )
