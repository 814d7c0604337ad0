"""Rendering through cookiecutter's library API, with the answers handed over as data.

cookiecutter's own prompting renders every value as Jinja (``{{ 7*7 }}`` becomes
``49``). Here validated answers go into the context as they are; only the
template's own defaults (and its hidden ``__`` variables) are rendered, with
cookiecutter's ``render_variable``, exactly as ``cookiecutter --no-input`` would.
Files, hooks and extensions are cookiecutter's ``generate_files``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .. import cookiecutter_adapter as cookiecutter
from ..answers.validate import Answers
from ..errors import BadInput, RenderError
from ..template_source import Template

#: ``sys.path`` and ``sys.modules`` while a template's local extensions are importable: held
#: by every render, context and folder name (a server resolves them in several threads).
_IMPORT_LOCK = threading.RLock()


def template_values(template: Template, answers: Answers) -> dict[str, Any]:
    """The answers the template gets as data; the rest take the template's defaults.

    The bundled templates follow stackpick's questions (and their defaults); a team's
    template gets the answers a source gave and its own defaults for the rest, as
    ``cookiecutter --no-input`` would use them.
    """
    import json

    from ..answers.declared import compatible
    from ..answers.questions import BY_KEY

    values: dict[str, Any] = {}
    raw = template.declaration.raw
    for key in template.declaration.variables:
        if key not in answers.values or not (template.source.bundled or key in answers.given):
            continue
        value: Any = answers.values[key]
        if key in answers.declared and not compatible(BY_KEY[key], raw[key]):
            value = answers.declared[key]  # the template's own value, not the decision's
        if isinstance(raw[key], dict) and isinstance(value, str):
            value = json.loads(value)
        values[key] = value
    return values


def resolve_context(
    template: Template, values: Mapping[str, Any], output_dir: Path
) -> dict[str, Any]:
    """The context for ``generate_files``: ``values`` as data, defaults rendered by cookiecutter.

    Mirrors ``cookiecutter.prompt.prompt_for_config(no_input=True)`` and the keys
    ``cookiecutter.main`` adds, but never renders a value from ``values``.
    """
    render_variable = cookiecutter.render_default
    raw: OrderedDict[str, Any] = OrderedDict(template.declaration.raw)
    context: dict[str, Any] = {"cookiecutter": raw}
    resolved: OrderedDict[str, Any] = OrderedDict()
    with cookiecutter.translated_errors(template.name), _template_imports(template.root):
        env = cookiecutter.environment(context)
        for key, default in raw.items():
            if key == "__prompts__":
                continue
            if key.startswith("_") and not key.startswith("__"):
                resolved[key] = default
            elif key.startswith("__"):
                resolved[key] = render_variable(env, default, resolved)
            elif key in values:
                resolved[key] = values[key]
            elif isinstance(default, list):
                options = [render_variable(env, item, resolved) for item in default]
                resolved[key] = options[0]
            elif isinstance(default, bool) or not isinstance(default, dict):
                resolved[key] = render_variable(env, default, resolved)
        for key, default in raw.items():
            if isinstance(default, dict) and not (key.startswith("_") and key[1:2] != "_"):
                rendered = render_variable(env, default, resolved)
                given = values.get(key)
                # As cookiecutter overwrites a dictionary: the given keys over its default.
                resolved[key] = _overlaid(rendered, given) if isinstance(given, dict) else rendered
    resolved["_template"] = template.source.source or str(template.root)
    resolved["_output_dir"] = str(output_dir)
    resolved["_repo_dir"] = str(template.root)
    resolved["_checkout"] = template.source.checkout
    return {
        "cookiecutter": resolved,
        "_cookiecutter": {
            k: v for k, v in template.declaration.raw.items() if not k.startswith("_")
        },
    }


def _overlaid(default: Any, given: Mapping[str, Any]) -> Any:
    """``given`` over ``default``, nested dictionaries key by key (as data, not rendered)."""
    if not isinstance(default, dict):
        return dict(given)
    merged = dict(default)
    for key, value in given.items():
        inner = merged.get(key)
        merged[key] = (
            _overlaid(inner, value)
            if isinstance(value, dict) and isinstance(inner, dict)
            else value
        )
    return merged


def render(template: Template, context: dict[str, Any], staging: Path) -> Path:
    """Generate the project into ``staging`` with cookiecutter; return the project folder.

    Hook scripts write to standard error, so that ``--json`` output stays clean; their
    rendered copies stay in ``staging`` (removed by the caller), never the system's
    temporary folder.
    """
    check_output_folder(template, staging)
    with cookiecutter.translated_errors(template.name):
        project = cookiecutter.generate(
            template.root, context, staging, lambda: _template_imports(template.root)
        )
    project_path = project.resolve()
    if staging.resolve() not in project_path.parents:
        raise RenderError(f"{template.name}: its folder name renders outside the output folder")
    if template.source.bundled:
        _drop_bytecode(project_path)
    return project_path


def _drop_bytecode(project: Path) -> None:
    """Remove ``__pycache__`` folders, and the folders only they kept, from a rendered project.

    pip byte-compiles every ``.py`` file it installs, the bundled templates' included
    (many are valid Python with their Jinja in place), and cookiecutter copies those
    folders like any other; the bundled templates themselves hold none.
    """
    import shutil

    for folder in sorted(project.rglob("__pycache__"), reverse=True):
        if not folder.is_dir() or folder.is_symlink():
            continue
        shutil.rmtree(folder)
        parent = folder.parent
        while parent != project and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def list_files(project: Path) -> list[str]:
    """Every file below ``project``, as sorted POSIX paths relative to it."""
    return sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() or path.is_symlink()
    )


@contextlib.contextmanager
def _template_imports(root: Path) -> Iterator[None]:
    """Let the template's local extensions import, then forget them (no leak between templates).

    A module of the same name imported before (another template's ``local_extensions``,
    say) is set aside meanwhile, so that the template gets its own module, then put back.
    Holds ``_IMPORT_LOCK`` throughout: another thread's ``import`` of the same name would
    otherwise see the module vanish half-way.
    """
    with _IMPORT_LOCK, _importable(root):
        yield


#: A template's own modules between its uses in this process (its files as they were then).
_KEPT_MODULES: dict[tuple[Path, tuple[tuple[str, int, int], ...]], dict[str, Any]] = {}


@contextlib.contextmanager
def _importable(root: Path) -> Iterator[None]:
    modules = sorted(root.glob("*.py"))
    local = {path.stem for path in modules} | {
        path.parent.name for path in root.glob("*/__init__.py")
    }
    set_aside = {
        name: sys.modules.pop(name) for name in list(sys.modules) if name.split(".")[0] in local
    }
    # Imported once a process: the same template's modules come back while its files stay.
    try:
        key = (root, tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in modules))
    except OSError:
        key = (root, (("", -1, -1),))
    kept = _KEPT_MODULES.pop(key, {})
    sys.modules.update(kept)
    before = set(sys.modules) - set(kept)
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(root))
        own = {}
        # what sys.path had (a relative folder may come back absolute): its modules' files
        inside = (os.path.join(str(root), ""), os.path.join(os.path.abspath(root), ""))
        for name in set(sys.modules) - before:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if name.split(".")[0] in local or file.startswith(inside):
                own[name] = sys.modules.pop(name)
        if own and len(_KEPT_MODULES) < 16:
            _KEPT_MODULES[key] = own
        sys.modules.update(set_aside)


def project_folder_name(template: Template, context: dict[str, Any]) -> str:
    """The name the template's top folder renders to for ``context`` (where the project lands)."""
    with cookiecutter.translated_errors(template.name), _template_imports(template.root):
        name = cookiecutter.folder_name(template.root, cookiecutter.environment(context), context)
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise RenderError(f"{template.name}: its top folder renders to {name!r}, not a folder name")
    found = template_syntax(template, name)
    if found:
        raise BadInput(
            f"{template.name}: the project folder would be named {name!r}, and cookiecutter "
            f"reads {found!r} in a folder's path as template code; give the answers that "
            f"name it (project_slug) without {_syntax_list(template)}"
        )
    return name


def check_output_folder(template: Template, output_dir: Path) -> None:
    """Refuse an output folder whose path cookiecutter would read as template code.

    cookiecutter renders the whole path of every folder it creates, output folder
    included: ``-o '/tmp/{{ 7*7 }}'`` would write into ``/tmp/49``.
    """
    found = template_syntax(template, str(output_dir))
    if found:
        raise BadInput(
            f"the output folder {output_dir} holds {found!r}, which cookiecutter would run "
            f"as template code; choose a folder whose path has no {_syntax_list(template)}"
        )


def _syntax_starts(template: Template) -> tuple[str, ...]:
    """What starts Jinja syntax for ``template`` (its ``_jinja2_env_vars`` may change it)."""
    settings = template.declaration.raw.get("_jinja2_env_vars")
    given = settings if isinstance(settings, Mapping) else {}
    starts = (
        given.get("variable_start_string", "{{"),
        given.get("block_start_string", "{%"),
        given.get("comment_start_string", "{#"),
        given.get("line_statement_prefix"),
        given.get("line_comment_prefix"),
    )
    return tuple(str(start) for start in starts if start)


def template_syntax(template: Template, text: str) -> str | None:
    """The Jinja syntax cookiecutter would find in ``text`` (a path it renders), if any."""
    return next((start for start in _syntax_starts(template) if start in text), None)


def _syntax_list(template: Template) -> str:
    return ", ".join(repr(start) for start in _syntax_starts(template))


def metadata(context: Mapping[str, Any]) -> dict[str, Any]:
    """The template's rendered ``__stackpick`` declaration (empty when it has none)."""
    declared = context["cookiecutter"].get("__stackpick")
    return dict(declared) if isinstance(declared, Mapping) else {}
