"""Rendering cookiecutter-format templates in-process, safely.

Implements the part of cookiecutter's format that stackpick's templates use:
``cookiecutter.json`` variables, ``_extensions`` (loaded from the template folder),
``_copy_without_render``, file names that render empty being skipped, binary files
copied verbatim, newlines and file modes kept, and Python hooks run in-process.
User values are only ever passed to Jinja as data; the environment is sandboxed
and undefined variables are errors.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import importlib
import importlib.util
import json
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import RenderError, StackpickError

SKIPPED_NAMES = frozenset({"__pycache__", ".DS_Store"})
NAME_PREFIX = "<name>"


@dataclass(frozen=True)
class Template:
    """A cookiecutter template folder and the settings of its ``cookiecutter.json``."""

    root: Path
    project: Path
    defaults: Mapping[str, Any]
    extensions: tuple[str, ...]
    copy_without_render: tuple[str, ...]

    @property
    def variables(self) -> tuple[str, ...]:
        """The template's variables (keys not starting with ``_``)."""
        return tuple(k for k in self.defaults if not k.startswith("_"))


@dataclass(frozen=True)
class PlannedFile:
    """One file of the output: where it comes from and where it goes."""

    source: Path
    target: PurePosixPath
    render: bool


def templates_root() -> Path:
    """The folder holding ``flask/`` and ``django/``: in the installed package, or the checkout."""
    packaged = Path(__file__).resolve().parents[1] / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "templates"
    if checkout.is_dir():
        return checkout
    raise StackpickError(
        "the project templates are missing from this installation; reinstall stackpick"
    )


def load_template(root: Path) -> Template:
    """Read ``root/cookiecutter.json`` and find the project folder beside it."""
    try:
        defaults = json.loads((root / "cookiecutter.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RenderError(f"template {root}: cannot read cookiecutter.json ({error})") from None
    candidates = [
        p for p in root.iterdir() if p.is_dir() and "cookiecutter" in p.name and "{{" in p.name
    ]
    if len(candidates) != 1:
        raise RenderError(f"template {root}: expected one '{{{{cookiecutter.…}}}}' folder")
    return Template(
        root=root,
        project=candidates[0],
        defaults=defaults,
        extensions=tuple(defaults.get("_extensions", ())),
        copy_without_render=tuple(defaults.get("_copy_without_render", ())),
    )


def template_context(template: Template, values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``cookiecutter`` context: the variables from ``values``, plus the ``_`` settings."""
    missing = [key for key in template.variables if key not in values]
    if missing:
        raise RenderError(f"template {template.root.name}: no value for {', '.join(missing)}")
    context = {key: values[key] for key in template.variables}
    context.update({k: v for k, v in template.defaults.items() if k.startswith("_")})
    return {"cookiecutter": context}


def _load_extension(template: Template, dotted: str) -> Any:
    module_name, _, attribute = dotted.rpartition(".")
    local = template.root / (module_name.replace(".", "/") + ".py")
    if local.is_file():
        digest = hashlib.sha256(str(local).encode()).hexdigest()[:10]
        unique = f"_stackpick_template_{digest}_{module_name.replace('.', '_')}"
        spec = importlib.util.spec_from_file_location(unique, local)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    return getattr(module, attribute)


def make_environment(template: Template) -> Any:
    """A sandboxed Jinja environment configured as cookiecutter configures its own."""
    from jinja2 import ChoiceLoader, FileSystemLoader, FunctionLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    try:
        extensions = [_load_extension(template, name) for name in template.extensions]
    except Exception as error:  # an extension that cannot be imported is a template bug
        raise RenderError(
            f"template {template.root.name}: cannot load extension ({error})"
        ) from None
    return SandboxedEnvironment(
        loader=ChoiceLoader(
            [
                FileSystemLoader([str(template.project), str(template.root / "templates")]),
                # "<name>/TEXT" is the template whose source is TEXT: file names get the
                # bytecode cache too.
                PrefixLoader({NAME_PREFIX: FunctionLoader(lambda text: text)}),
            ]
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        extensions=extensions,
        bytecode_cache=_bytecode_cache(),
    )


def _bytecode_cache() -> Any:
    """Compiled templates kept between runs (keyed by source checksum); ``None`` if unwritable."""
    import jinja2
    from jinja2 import FileSystemBytecodeCache

    from .. import __version__
    from ..cache import cache_folder

    class QuietCache(FileSystemBytecodeCache):
        """A cache that never fails a render: a write it cannot make is skipped."""

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = cache_folder(f"jinja-{__version__}-{jinja2.__version__}")
    return QuietCache(folder) if folder else None


def _walk(folder: Path) -> Iterator[Path]:
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name in SKIPPED_NAMES or entry.suffix == ".pyc":
            continue
        if entry.is_dir():
            yield from _walk(entry)
        else:
            yield entry


def _safe_relative(rendered: str, source: Path) -> PurePosixPath | None:
    """The rendered path, ``None`` when its file name rendered empty; refuse escapes."""
    if rendered.endswith("/") or rendered == "":
        return None
    path = PurePosixPath(rendered)
    if path.is_absolute() or ".." in path.parts or any(p == "" for p in rendered.split("/")):
        raise RenderError(f"template file {source.name}: renders to an unsafe path {rendered!r}")
    return path


def plan(template: Template, env: Any, context: Mapping[str, Any]) -> tuple[str, list[PlannedFile]]:
    """The project folder name and every file to write, with names rendered."""
    render_name = _name_renderer(env, context)
    project_name = render_name(template.project.name)
    if _safe_relative(project_name, template.project) is None or "/" in project_name:
        raise RenderError(f"template {template.root.name}: folder name renders to {project_name!r}")
    files = []
    for source in _walk(template.project):
        relative = source.relative_to(template.project).as_posix()
        parts = relative.split("/")
        if all(_balanced(part) for part in parts):
            rendered = "/".join(render_name(part) for part in parts)
        else:  # a tag spans a "/": render the path whole, as cookiecutter does
            rendered = _render_string(env, relative, context, relative)
        target = _safe_relative(rendered, source)
        if target is None:
            continue
        copy_only = any(fnmatch.fnmatch(relative, p) for p in template.copy_without_render)
        files.append(PlannedFile(source, target, render=not copy_only))
    return project_name, files


def _name_renderer(env: Any, context: Mapping[str, Any]) -> Callable[[str], str]:
    """Render one path component; each distinct component is rendered once."""
    cache: dict[str, str] = {}

    def render_name(part: str) -> str:
        if not _has_jinja(part):
            return part
        if part not in cache:
            cache[part] = _render_name(env, part, context)
        return cache[part]

    return render_name


def _balanced(part: str) -> bool:
    return part.count("{{") == part.count("}}") and part.count("{%") == part.count("%}")


def _has_jinja(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


def _render_name(env: Any, part: str, context: Mapping[str, Any]) -> str:
    try:
        return str(env.get_template(f"{NAME_PREFIX}/{part}").render(**context))
    except Exception as error:
        raise RenderError(f"template path {part!r}: {_jinja_message(error)}") from None


def _render_string(env: Any, text: str, context: Mapping[str, Any], where: str) -> str:
    try:
        return str(env.from_string(text).render(**context))
    except Exception as error:
        raise RenderError(f"template path {where!r}: {_jinja_message(error)}") from None


def _jinja_message(error: Exception) -> str:
    line = getattr(error, "lineno", None)
    prefix = f"line {line}: " if line else ""
    return f"{prefix}{type(error).__name__}: {error}"


def _is_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _render_file(
    env: Any, planned: PlannedFile, context: Mapping[str, Any], template: Template
) -> bytes:
    data = planned.source.read_bytes()
    if not planned.render or _is_binary(data):
        return data
    if b"\r" not in data and not _has_jinja(data.decode("utf-8")):
        return data  # what Jinja would output for text without template syntax
    name = planned.source.relative_to(template.project).as_posix()
    try:
        text = str(env.get_template(name).render(**context))
    except Exception as error:
        raise RenderError(f"template file {name}: {_jinja_message(error)}") from None
    first_line_end = data.find(b"\n")
    if first_line_end > 0 and data[first_line_end - 1 : first_line_end] == b"\r":
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def render(
    template: Template, values: Mapping[str, Any], destination: Path
) -> tuple[Path, list[str]]:
    """Render ``template`` into a new folder inside ``destination``.

    Returns the project folder and the relative paths written.  ``destination``
    should be a fresh folder: on failure the caller discards it whole.
    """
    context = template_context(template, values)
    env = make_environment(template)
    name, files = plan(template, env, context)
    project = destination / name
    project.mkdir(parents=True)
    _run_hook(template, env, context, "pre_gen_project", project)
    written = []
    for planned in files:
        target = project.joinpath(*planned.target.parts)
        content = _render_file(env, planned, context, template)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        mode = stat.S_IMODE(planned.source.stat().st_mode)
        os.chmod(target, mode)
        written.append(planned.target.as_posix())
    _run_hook(template, env, context, "post_gen_project", project)
    return project, written


def planned_files(template: Template, values: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The project folder name and the files ``render`` would write, writing nothing."""
    context = template_context(template, values)
    name, files = plan(template, make_environment(template), context)
    return name, [f.target.as_posix() for f in files]


def _run_hook(
    template: Template, env: Any, context: Mapping[str, Any], hook: str, project: Path
) -> None:
    """Run ``hooks/<hook>.py`` in this process, in ``project``, as cookiecutter runs the script."""
    path = template.root / "hooks" / f"{hook}.py"
    if not path.is_file():
        return
    source = _render_string(env, path.read_text(encoding="utf-8"), context, f"hooks/{path.name}")
    previous = os.getcwd()
    os.chdir(project)
    try:
        exec(compile(source, str(path), "exec"), {"__name__": "__main__", "__file__": str(path)})
    except SystemExit as stop:
        if stop.code not in (None, 0):
            raise RenderError(f"hook {path.name} failed (exit status {stop.code})") from None
    except Exception as error:
        raise RenderError(f"hook {path.name} failed: {type(error).__name__}: {error}") from None
    finally:
        os.chdir(previous)
