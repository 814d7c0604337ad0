"""Template sources: the bundled templates, or a team's own, fetched by cookiecutter.

The first step of stackpick's data flow (template source, answers, decision, generate):
imports nothing of the later ones.

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

from .errors import BadInput, RenderError, StackpickError
from .framework import FRAMEWORKS, Framework, as_framework
from .trust import Trust
from .trust import check as check_trust

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
    for candidate in (here.parent / "templates", here.parents[2] / "templates"):
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
    from .cache import derived_from_file

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

    from .cache import cache_folder

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
    from .cookiecutter_adapter import HookFailed, run_pre_prompt

    try:
        return run_pre_prompt(root, into)
    except HookFailed as error:
        raise RenderError(
            f"{name}: pre_prompt hook failed ({error.detail}); nothing was written"
        ) from None


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
    from .cookiecutter_adapter import FetchFailed, fetch

    try:
        return fetch(
            _local_git_url(source.source, source.checkout),
            clone_to,
            source.checkout,
            source.directory,
        )
    except FetchFailed as error:
        if error.kind == "not-found":
            raise BadInput(
                f"{where}: no template found (no cookiecutter.json"
                + (f" in --directory {source.directory}" if source.directory else "")
                + "); check the path, URL or zip file"
            ) from None
        if error.kind == "checkout":
            raise BadInput(
                f"{where}: cannot check out {source.checkout!r}; check the branch, tag or commit"
            ) from None
        if error.kind == "zip":
            raise BadInput(f"{where}: not a usable template zip file ({error.detail})") from None
        if error.kind == "unknown-type":
            raise BadInput(f"{where}: not a folder, zip file or git repository URL") from None
        if error.kind == "no-vcs":
            raise StackpickError(
                f"{where}: {error.detail}; install git to use git templates"
            ) from None
        raise BadInput(f"{where}: cannot fetch the template ({error.detail})") from None


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


@functools.lru_cache(maxsize=64)
def path_variables(root: Path) -> frozenset[str]:
    """The variables that file and folder names of the template at ``root`` refer to."""
    found: set[str] = set()
    for _folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            if "cookiecutter" in name:
                found.update(a or b for a, b in _PATH_VARIABLE.findall(name))
    return frozenset(found)
