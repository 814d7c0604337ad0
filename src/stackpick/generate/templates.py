"""Template sources: the bundled templates, or a team's own, fetched by cookiecutter.

A source is anything cookiecutter accepts (a folder, a zip file, a git repository
path or URL, ``gh:``/``gl:``/``bb:`` abbreviations), with an optional git ref and
sub-directory. Fetching goes through ``cookiecutter.repository`` into a temporary
folder in stackpick's cache that is removed afterwards; the bundled templates are
read where they are installed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..answers.questions import BY_KEY, Question, Type, Value, template_question
from ..answers.validate import Limits
from ..errors import BadInput, RenderError, StackpickError
from ..framework import FRAMEWORKS, Framework, as_framework
from ..trust import Trust
from ..trust import check as check_trust

#: The settings of a generated project's answers file that name a template.
SOURCE_KEYS = ("source", "checkout", "directory")
_PATH_VARIABLE = re.compile(r"cookiecutter\s*(?:\.\s*(\w+)|\[\s*['\"](\w+)['\"]\s*\])")


class TemplateSource(NamedTuple):
    """Where one framework's template comes from; an empty ``source`` is the bundled one."""

    source: str = ""
    checkout: str | None = None
    directory: str | None = None

    @property
    def bundled(self) -> bool:
        return not self.source

    def describe(self) -> str:
        if self.bundled:
            return "the bundled template"
        extra = "".join(
            f" ({name} {value})"
            for name, value in (("checkout", self.checkout), ("directory", self.directory))
            if value
        )
        return f"{self.source}{extra}"

    def to_toml(self) -> dict[str, str]:
        """The table recorded in ``.stackpick.toml``."""
        table = {"source": self.source}
        if self.checkout:
            table["checkout"] = self.checkout
        if self.directory:
            table["directory"] = self.directory
        return table


class Declaration(NamedTuple):
    """A template's ``cookiecutter.json``, in its own order, as cookiecutter reads it."""

    raw: Mapping[str, Any]

    @property
    def variables(self) -> tuple[str, ...]:
        """The variables a user can answer (keys not starting with ``_``)."""
        return tuple(k for k in self.raw if not k.startswith("_"))

    @property
    def prompts(self) -> Mapping[str, Any]:
        prompts = self.raw.get("__prompts__", {})
        return prompts if isinstance(prompts, dict) else {}


class Template(NamedTuple):
    """A template ready to render: its folder on disk, what it declares and where it came from."""

    framework: Framework
    root: Path
    declaration: Declaration
    source: TemplateSource
    commit: str | None = None

    @property
    def name(self) -> str:
        return f"{self.framework} template {self.source.describe()}"


def templates_root() -> Path:
    """The folder holding ``flask/`` and ``django/``: in the installed package, or the checkout."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[1] / "templates", here.parents[3] / "templates"):
        if (candidate / "flask" / "cookiecutter.json").is_file():
            return candidate
    raise StackpickError(
        "the project templates are missing from this installation; reinstall stackpick"
    )


def parse_template_option(text: str, where: str = "--template") -> tuple[Framework, str]:
    """``FRAMEWORK=SOURCE`` into its two parts; a bad framework lists the valid ones."""
    name, sep, source = text.partition("=")
    framework = as_framework(name.strip().lower())
    if not sep or not source.strip():
        raise BadInput(
            f"{where} {text}: expected FRAMEWORK=SOURCE, for example flask=./my-template"
        )
    if framework is None:
        raise BadInput(
            f"{where} {text}: {name.strip()!r} is not a framework; "
            f"use one of: {', '.join(FRAMEWORKS)}"
        )
    return framework, source.strip()


def _parse_json_file(path: str) -> Any:
    import json

    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_declaration(root: Path, name: str, cached: bool = False) -> Declaration:
    """Read ``root/cookiecutter.json`` keeping its order; a broken one is a template error.

    ``cached``: keep the parsed file in stackpick's cache (for the bundled templates).
    """
    from ..cache import derived_from_file

    path = root / "cookiecutter.json"
    try:
        raw = (
            derived_from_file(str(path), _parse_json_file)
            if cached
            else _parse_json_file(str(path))
        )
    except OSError as error:
        raise RenderError(f"{name}: cannot read {path} ({error.strerror})") from None
    except ValueError as error:
        raise RenderError(f"{name}: {path} is not valid JSON ({error})") from None
    if not isinstance(raw, dict):
        raise RenderError(f"{name}: {path} must hold a JSON object of variables")
    if {"template", "templates"} & set(raw):
        raise RenderError(
            f"{name}: nested templates ('templates' in cookiecutter.json) are not supported"
        )
    return Declaration(raw)


@functools.cache
def bundled(framework: Framework) -> Template:
    """The template of ``framework`` that ships with stackpick."""
    root = templates_root() / framework
    source = TemplateSource()
    declaration = read_declaration(root, f"{framework} template", cached=True)
    return Template(framework, root, declaration, source)


def rendering_root(template: Template) -> Path:
    """The folder cookiecutter renders ``template`` from (see ``_without_bytecode``)."""
    if not template.source.bundled:
        return template.root
    return _without_bytecode(template.root, template.framework)


@functools.lru_cache(maxsize=4)
def _without_bytecode(root: Path, framework: Framework) -> Path:
    """The bundled template as cookiecutter should see it.

    pip byte-compiles every ``.py`` file it installs, the template's own included, and
    cookiecutter would copy those ``__pycache__`` folders into every project (to be
    removed again). Where there are any, this is a copy without them, made once in the
    cache (named after the files' sizes and times) and used from then on; ``root``
    itself where there are none or there is no cache.
    """
    import hashlib

    from .. import __version__
    from ..cache import cache_folder

    digest = hashlib.sha256(f"{__version__}\0{root}\0".encode("utf-8", "surrogatepass"))
    compiled = False  # a __pycache__ folder in what cookiecutter copies into projects
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        where = os.path.relpath(folder, root)
        if "__pycache__" in dirs and "cookiecutter" in where.split(os.sep)[0]:
            compiled = True
        for name in sorted(files):
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{where}/{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    if not compiled:
        return root
    cache = cache_folder("templates")
    if cache is None:
        return root
    copy = Path(cache) / f"{framework}-{digest.hexdigest()[:20]}"
    if (copy / "cookiecutter.json").is_file():
        return copy
    import shutil
    import tempfile

    scratch = None
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{framework}-", dir=cache))
        shutil.copytree(root, scratch / framework, ignore=shutil.ignore_patterns("__pycache__"))
        os.replace(scratch / framework, copy)  # whole or not at all; another run may be first
        for old in Path(cache).glob(f"{framework}-*"):  # copies of other versions
            if old != copy:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return copy if (copy / "cookiecutter.json").is_file() else root


def _local_git_url(source: str, checkout: str | None) -> str:
    """A local git repository with a ref becomes a URL cookiecutter clones (and checks out)."""
    path = Path(os.path.expanduser(source))
    if checkout and path.is_dir() and (path / ".git").exists():
        return f"git+file://{path.resolve()}"
    if path.exists():
        return str(path.resolve())
    return source


def _head_commit(root: Path) -> str | None:
    """The commit a fetched git template is at, for the record; ``None`` outside git."""
    import subprocess

    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


@contextlib.contextmanager
def fetched(
    framework: Framework, source: TemplateSource, trust: Trust | None = None
) -> Iterator[Template]:
    """The template of ``source``, fetched by cookiecutter into a temporary folder while in use.

    A remote one that runs code is refused unless ``trust`` trusts it (``trust.py``).
    """
    if source.bundled:
        yield bundled(framework)
        return
    import shutil
    import tempfile

    from ..cache import cache_folder

    parent = cache_folder("fetch")
    clone_to = Path(tempfile.mkdtemp(prefix="template-", dir=parent))
    try:
        root = _determine_repo_dir(framework, source, clone_to)
        name = f"{framework} template {source.describe()}"
        commit = (
            _head_commit(root) if (root / ".git").exists() or clone_to in root.parents else None
        )
        where = f"the {framework} template {source.source}"
        check_trust(where, source.source, root, read_declaration(root, name).raw, trust or Trust())
        root = _run_pre_prompt_hook(root, clone_to, name)
        yield Template(framework, root, read_declaration(root, name), source, commit)
    finally:
        shutil.rmtree(clone_to, ignore_errors=True)


def _run_pre_prompt_hook(root: Path, into: Path, name: str) -> Path:
    """Run the template's ``pre_prompt`` hook as cookiecutter does: on a copy (made in ``into``).

    Returns the folder to read and render (``root`` itself when there is no such hook).
    """
    import shutil

    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.hooks import find_hook, run_script
    from cookiecutter.utils import work_in

    from .render import _stdout_to_stderr

    with work_in(root):
        if not find_hook("pre_prompt"):
            return root
    copy = into / "pre-prompt" / root.name
    shutil.copytree(root, copy)
    with work_in(copy), _stdout_to_stderr():
        try:
            for script in find_hook("pre_prompt") or []:
                run_script(script, str(copy))
        except FailedHookException as error:
            raise RenderError(
                f"{name}: pre_prompt hook failed ({error}); nothing was written"
            ) from None
    return copy


def _determine_repo_dir(framework: Framework, source: TemplateSource, clone_to: Path) -> Path:
    where = f"--template {framework}={source.source}"
    local = Path(os.path.expanduser(source.source))
    if local.is_dir() and not source.checkout:
        folder = local / source.directory if source.directory else local
        if not (folder / "cookiecutter.json").is_file():
            raise RenderError(
                f"{where}: {folder} has no cookiecutter.json; point at the template's top folder"
                + (" or give --directory" if not source.directory else "")
            )
        if local.is_absolute() and not source.source.endswith(".zip"):
            # What determine_repo_dir returns for a local folder, without importing what
            # it needs for downloads and clones (requests alone takes ~60 ms).
            return folder.resolve()
    import subprocess

    from cookiecutter import exceptions
    from cookiecutter.config import BUILTIN_ABBREVIATIONS
    from cookiecutter.repository import determine_repo_dir

    from .render import _RENDER_LOCK, temporary_files_in

    try:
        with _RENDER_LOCK, temporary_files_in(clone_to, "cookiecutter.zipfile"), _quiet_log():
            repo_dir, _cleanup = determine_repo_dir(
                template=_local_git_url(source.source, source.checkout),
                abbreviations=BUILTIN_ABBREVIATIONS,
                clone_to_dir=str(clone_to),
                checkout=source.checkout,
                no_input=True,
                directory=source.directory,
            )
    except exceptions.RepositoryNotFound:
        raise BadInput(
            f"{where}: no template found (no cookiecutter.json"
            + (f" in --directory {source.directory}" if source.directory else "")
            + "); check the path, URL or zip file"
        ) from None
    except exceptions.RepositoryCloneFailed:
        raise BadInput(
            f"{where}: cannot check out {source.checkout!r}; check the branch, tag or commit"
        ) from None
    except exceptions.InvalidZipRepository as error:
        raise BadInput(f"{where}: not a usable template zip file ({error})") from None
    except exceptions.UnknownRepoType:
        raise BadInput(f"{where}: not a folder, zip file or git repository URL") from None
    except exceptions.VCSNotInstalled as error:
        raise StackpickError(f"{where}: {error}; install git to use git templates") from None
    except subprocess.CalledProcessError as error:
        output = error.output.decode("utf-8", "replace") if isinstance(error.output, bytes) else ""
        last = output.strip().splitlines()[-1] if output.strip() else str(error)
        raise BadInput(f"{where}: cannot fetch the template ({last})") from None
    except OSError as error:
        raise BadInput(f"{where}: cannot fetch the template ({error})") from None
    return Path(repo_dir).resolve()


@contextlib.contextmanager
def _quiet_log() -> Iterator[None]:
    """cookiecutter logs a failed clone with its traceback; the error says it in one line."""
    import logging

    logger = logging.getLogger("cookiecutter")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def checked_source(
    where: str, source: str, checkout: str | None, directory: str | None
) -> TemplateSource:
    """A template source whose values can never become options of git (exit 2 otherwise)."""
    for name, value in (("source", source), ("--checkout", checkout), ("--directory", directory)):
        if value is not None and value.strip().startswith("-"):
            raise BadInput(
                f"{where}: {name} {value!r} starts with '-', which git would read as an option; "
                "give a branch, tag, commit or folder name"
            )
    return TemplateSource(source, checkout, directory)


def template_questions(template: Template) -> tuple[Question, ...]:
    """The questions a template adds to stackpick's own: its variables stackpick does not
    ask, and, for a team's template, those it declares otherwise than stackpick."""
    from ..answers.declared import declared_question

    questions = []
    mapping = decision_map(template)
    for key in template.declaration.variables:
        prompt = template.declaration.prompts.get(key)
        raw = template.declaration.raw[key]
        if key in BY_KEY:
            if template.source.bundled:
                continue
            question = declared_question(key, raw, prompt, template.name, mapping.get(key, {}))
        else:
            question = template_question(key, raw, prompt, template.name)
        if question is not None:
            questions.append(question)
    return tuple(questions)


def decision_map(template: Template) -> dict[str, dict[str, Value]]:
    """The template's ``__stackpick`` ``decision`` table (``declared.py``); a bad one is a
    template error."""
    from ..answers.declared import read_mapping

    found, problems = read_mapping(template.declaration.raw.get("__stackpick"), template.name)
    if problems:
        raise RenderError(problems[0])
    return found


def limits(template: Template) -> Limits:
    """What ``template`` can honour: its choices for stackpick's answers, its path variables."""
    from ..answers.declared import compatible, static_defaults

    raw = template.declaration.raw
    choices = {
        key: tuple(str(item) for item in raw[key])
        for key in template.declaration.variables
        if key in BY_KEY and BY_KEY[key].type is Type.CHOICE and compatible(BY_KEY[key], raw[key])
    }
    return Limits(
        template=f"{template.framework} template"
        + ("" if template.source.bundled else f" {template.source.source}"),
        choices=choices,
        identifier_slug=template.source.bundled,
        given_only=not template.source.bundled,
        # The bundled templates put only project_slug in names, and it has rules of its own.
        path_keys=frozenset({"project_slug"})
        if template.source.bundled
        else path_variables(template.root),
        decision_map={} if template.source.bundled else decision_map(template),
        defaults={} if template.source.bundled else static_defaults(raw),
    )


@functools.lru_cache(maxsize=64)
def path_variables(root: Path) -> frozenset[str]:
    """The variables that file and folder names of the template at ``root`` refer to."""
    found: set[str] = set()
    for _folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            if "cookiecutter" in name:
                found.update(a or b for a, b in _PATH_VARIABLE.findall(name))
    return frozenset(found)
