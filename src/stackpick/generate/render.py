"""Rendering through cookiecutter's library API, with the answers handed over as data.

cookiecutter's own prompting renders every value as Jinja (``{{ 7*7 }}`` becomes
``49``). Here validated answers go into the context as they are; only the
template's own defaults (and its hidden ``__`` variables) are rendered, with
cookiecutter's ``render_variable``, exactly as ``cookiecutter --no-input`` would.
Files, hooks and extensions are cookiecutter's ``generate_files``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..answers.validate import Answers
from ..errors import BadInput, RenderError
from .templates import Template, rendering_root

if TYPE_CHECKING:
    from ..compiled import PackedBytecodeCache

#: Renders change process-wide state (the import path, the working folder, file descriptors).
_RENDER_LOCK = threading.Lock()
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
    from cookiecutter.prompt import render_variable

    raw: OrderedDict[str, Any] = OrderedDict(template.declaration.raw)
    context: dict[str, Any] = {"cookiecutter": raw}
    resolved: OrderedDict[str, Any] = OrderedDict()
    with _cookiecutter_errors(template), _template_imports(template.root):
        env = _environment(template, context)
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
        _flush(env)
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

    Hook scripts write to standard error, so that ``--json`` output stays clean.
    """
    from cookiecutter.generate import generate_files

    check_output_folder(template, staging)
    with (
        _RENDER_LOCK,
        _cookiecutter_errors(template),
        _template_imports(template.root),
        _compiled_templates(template),
        _remembered_binary_checks(),
        _stdout_to_stderr(),
        temporary_files_in(staging, "cookiecutter.hooks"),
    ):
        project = generate_files(
            repo_dir=str(rendering_root(template)),
            context=context,
            output_dir=str(staging),
            overwrite_if_exists=False,
            accept_hooks=True,
            keep_project_on_failure=True,
        )
    project_path = Path(project).resolve()
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
        for name in set(sys.modules) - before:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if name.split(".")[0] in local or (
                file and Path(file).resolve().is_relative_to(root.resolve())
            ):
                own[name] = sys.modules.pop(name)
        if own and len(_KEPT_MODULES) < 16:
            _KEPT_MODULES[key] = own
        sys.modules.update(set_aside)


def _bytecode_cache(template: Template, env: Any) -> PackedBytecodeCache | None:
    """Where ``template``'s compiled code is kept (``None``: no usable cache folder).

    Jinja checks every entry against its source; the file's name covers what else the
    compiled code depends on: the versions, the template's Jinja settings, the modules
    beside it and those of the extensions loaded into ``env``, and which template it is
    (a team's by its source, as given; never by anything from the answers).
    """
    import json

    from ..compiled import packed_cache

    raw = template.declaration.raw
    source = template.source
    which = (
        f"bundled {template.framework}"
        if source.bundled
        else f"{source.source}\0{source.checkout}\0{source.directory}"
    )
    settings = json.dumps([raw.get("_extensions"), raw.get("_jinja2_env_vars")], sort_keys=True)
    extensions = tuple(
        sorted(
            {
                str(getattr(sys.modules.get(type(extension).__module__), "__file__", ""))
                for extension in env.extensions.values()
            }
        )
    )
    digest = _template_digest(template.root, which, settings, extensions)
    if digest is None:
        return None
    return packed_cache(f"{template.framework}-{digest}")


@functools.lru_cache(maxsize=16)
def _template_digest(
    root: Path, which: str, settings: str, extensions: tuple[str, ...]
) -> str | None:
    import hashlib

    import cookiecutter
    import jinja2

    from .. import __version__

    digest = hashlib.sha256()
    for part in (__version__, cookiecutter.__version__, jinja2.__version__, sys.version):
        digest.update(f"{part}\0".encode())
    digest.update(f"{which}\0{settings}\0".encode("utf-8", "surrogatepass"))
    try:
        for module in sorted(root.glob("*.py")):
            digest.update(module.name.encode() + b"\0" + module.read_bytes())
        for file in extensions:
            if file:
                digest.update(file.encode("utf-8", "surrogatepass") + b"\0")
                digest.update(Path(file).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()[:20]


def _environment(template: Template, context: dict[str, Any]) -> Any:
    """cookiecutter's Jinja environment for ``context``, keeping the compiled code.

    cookiecutter compiles every file, file name and default on every run. Here the
    compiled code is kept in the cache (Jinja's bytecode cache, every entry checked
    against its source); ``from_string`` gets the same, keyed by its source when that is
    the template's (a file name, a default, a hook), never for the output paths
    cookiecutter renders (they hold answers).
    """
    from cookiecutter.utils import create_env_with_context

    env = create_env_with_context(context)
    cache = _bytecode_cache(template, env)
    if cache is not None:
        _keep_compiled(env, cache)
    return env


def _flush(env: Any) -> None:
    """Write what ``env`` compiled since its cache file was read (nothing, most runs)."""
    flush = getattr(getattr(env, "bytecode_cache", None), "flush", None)
    if callable(flush):
        flush()


def _keep_compiled(env: Any, cache: PackedBytecodeCache) -> None:
    import hashlib

    env.bytecode_cache = cache
    starts = (env.variable_start_string, env.block_start_string, env.comment_start_string)
    plain_lines = env.line_statement_prefix is None and env.line_comment_prefix is None

    def compiled(source: str, globals: Any, template_class: Any) -> Any:
        name = "from_string:" + hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        bucket = cache.get_bucket(env, name, None, source)
        if bucket.code is None:
            bucket.code = env.compile(source)
            cache.set_bucket(bucket)
        cls = template_class or env.template_class
        return cls.from_code(env, bucket.code, env.make_globals(globals), None)

    def from_string(source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """``Environment.from_string``, with the compiled code kept like a file's."""
        if not isinstance(source, str):
            return type(env).from_string(env, source, globals, template_class)
        if not os.path.isabs(source):
            return compiled(source, globals, template_class)
        # An absolute path is a folder being created: the output folder and the project
        # folder (answers, checked to hold no template syntax), then the template's own
        # path below it. Only that last part is compiled, and kept.
        first = min((source.find(s) for s in starts if s in source), default=len(source))
        cut = len(source) if first == len(source) else source.rfind(os.sep, 0, first) + 1
        prefix, rest = source[:cut], source[cut:]
        if not cut or not plain_lines or "\n" in prefix or "\r" in prefix:
            return type(env).from_string(env, source, globals, template_class)
        return _Prefixed(prefix, compiled(rest, globals, template_class) if rest else None)

    env.from_string = from_string


class _Prefixed:
    """What renders ``prefix`` and then ``template``: a path whose start holds no Jinja.

    Jinja outputs text outside its tags as it is, so this renders exactly as the whole
    path would; cookiecutter only calls ``render`` on what it gets for a folder's path.
    """

    def __init__(self, prefix: str, template: Any) -> None:
        self.prefix = prefix
        self.template = template

    def render(self, *args: Any, **kwargs: Any) -> str:
        rest = self.template.render(*args, **kwargs) if self.template is not None else ""
        return self.prefix + rest


@contextlib.contextmanager
def _compiled_templates(template: Template) -> Iterator[None]:
    """cookiecutter's files and hooks get their environment from ``_environment``; what
    they compile is written to the cache at the end.

    Call with ``_RENDER_LOCK`` held.
    """
    import cookiecutter.generate
    import cookiecutter.hooks

    made: list[Any] = []

    def environment(context: dict[str, Any]) -> Any:
        made.append(_environment(template, context))
        return made[-1]

    modules = (cookiecutter.generate, cookiecutter.hooks)
    saved = [module.create_env_with_context for module in modules]
    for module in modules:
        module.create_env_with_context = environment
    try:
        yield
    finally:
        for module, create in zip(modules, saved, strict=True):
            module.create_env_with_context = create
        for env in made:
            _flush(env)


@contextlib.contextmanager
def _remembered_binary_checks() -> Iterator[None]:
    """binaryornot's verdict on a template file's first bytes, kept by their digest.

    cookiecutter asks binaryornot whether each template file is binary: a decision tree
    over the file's first bytes, in pure Python, a third of a millisecond a file. The
    verdict depends on those bytes alone, so it is kept in stackpick's cache under their
    hash, for the installed binaryornot. Only template files are asked about, never the
    output. Call with ``_RENDER_LOCK`` held.
    """
    import hashlib

    import binaryornot.check

    from ..cache import kept_table

    table = kept_table("data", f"binaryornot-{_binaryornot_version()}")
    if table is None:
        yield
        return
    check: Any = binaryornot.check  # is_binary_string: what binaryornot.check.is_binary calls
    original = check.is_binary_string

    def remembered(chunk: bytes) -> bool:
        key = hashlib.sha1(chunk).digest()
        verdict = table.get(key)
        if not isinstance(verdict, bool):
            verdict = bool(original(chunk))
            table.set(key, verdict)
        return verdict

    check.is_binary_string = remembered
    try:
        yield
    finally:
        check.is_binary_string = original
        table.flush()


@functools.lru_cache(maxsize=1)
def _binaryornot_version() -> str:
    """The installed binaryornot, told by its modules' sizes and times (it has no version)."""
    import hashlib

    import binaryornot

    digest = hashlib.sha256()
    for module in sorted(Path(binaryornot.__file__).parent.glob("*.py")):
        with contextlib.suppress(OSError):
            info = module.stat()
            digest.update(f"{module.name}:{info.st_size}:{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def temporary_files_in(folder: Path, *modules: str) -> Iterator[None]:
    """The temporary files and folders that ``modules`` make go below ``folder``.

    cookiecutter unzips a zip template in the system's temporary folder
    (``cookiecutter.zipfile``); stackpick writes only in the target and its cache, so
    ``folder`` is one that is removed afterwards. Hold ``_RENDER_LOCK``.
    """
    import importlib
    import tempfile
    import types

    def named_temporary_file(*args: Any, **kwargs: Any) -> Any:
        return tempfile.NamedTemporaryFile(*args, **{**kwargs, "dir": str(folder)})

    def mkdtemp(*args: Any, **kwargs: Any) -> str:
        return str(tempfile.mkdtemp(*args, **{**kwargs, "dir": str(folder)}))

    inside = types.SimpleNamespace(NamedTemporaryFile=named_temporary_file, mkdtemp=mkdtemp)
    patched = [importlib.import_module(name) for name in modules]
    saved = [vars(module)["tempfile"] for module in patched]
    for module in patched:
        vars(module)["tempfile"] = inside
    try:
        yield
    finally:
        for module, original in zip(patched, saved, strict=True):
            vars(module)["tempfile"] = original


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at standard error while hooks may print."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class _HookLog(logging.Handler):
    """Keeps cookiecutter's log records (the failing hook's name) off the terminal."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def _cookiecutter_errors(template: Template) -> Iterator[None]:
    """cookiecutter's exceptions as one-line ``RenderError`` messages that name the template."""
    from cookiecutter import exceptions
    from jinja2 import TemplateSyntaxError, UndefinedError

    logger = logging.getLogger("cookiecutter")
    handler = _HookLog()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    name = template.name
    try:
        yield
    except exceptions.FailedHookException as error:
        hook = next(
            (
                m.split(" because ")[1].split(" hook")[0]
                for m in handler.messages
                if " because " in m
            ),
            "a hook",
        )
        raise RenderError(f"{name}: {hook} hook failed ({error}); nothing was written") from None
    except exceptions.UndefinedVariableInTemplate as error:
        detail = getattr(error.error, "message", None) or str(error.error)
        raise RenderError(f"{name}: {error.message}: {detail}") from None
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name or 'a file'} line {error.lineno}"
        raise RenderError(f"{name}: Jinja syntax error in {where}: {error.message}") from None
    except UndefinedError as error:
        raise RenderError(f"{name}: undefined variable: {error.message}") from None
    except exceptions.NonTemplatedInputDirException:
        raise RenderError(
            f"{name}: no '{{{{cookiecutter.…}}}}' project folder beside cookiecutter.json"
        ) from None
    except exceptions.UnknownExtension as error:
        raise RenderError(f"{name}: {error}") from None
    except exceptions.CookiecutterException as error:
        raise RenderError(f"{name}: {error}") from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def project_folder_name(template: Template, context: dict[str, Any]) -> str:
    """The name the template's top folder renders to for ``context`` (where the project lands)."""
    from cookiecutter.find import find_template

    with _cookiecutter_errors(template), _template_imports(template.root):
        env = _environment(template, context)
        folder = find_template(str(template.root), env)
        name = str(env.from_string(folder.name).render(**context))
        _flush(env)
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
