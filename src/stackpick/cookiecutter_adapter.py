"""The one module that imports cookiecutter: every call stackpick makes into it, and why.

cookiecutter documents one function as its API (``cookiecutter.main.cookiecutter``), which
prompts, renders every answer as Jinja and writes where it likes. stackpick hands answers
over as data, renders into a staging folder and fetches before it asks, so it calls the
steps that function is made of. Those names are not documented API: each one is listed in
``INTERNAL_NAMES`` and pinned by one test in ``tests/test_cookiecutter_adapter.py``, so a
cookiecutter release that changes one fails there, by name, first.

Nothing here replaces anything inside cookiecutter, Jinja or binaryornot. Compiled code is
kept through a public extension point: ``compiled.KeepCompiled``, a Jinja extension this
module adds to the context's ``_extensions`` (cookiecutter's documented setting), which
gives the environment a ``BytecodeCache``.

One shim, for hygiene: cookiecutter renders each hook script to a file in the system's
temporary folder and never removes it (the answers are in it). stackpick runs the hooks
itself (``run_hooks``): it renders each script with cookiecutter's own environment into a
file in the render's staging folder, which is removed afterwards, and runs it with
cookiecutter's ``run_script``; ``generate_files`` gets ``accept_hooks=False``. Nothing is
shared with another render, so none can observe it. A zip template is fetched in a child
process whose ``TMPDIR`` is the fetch's own folder, for the same reason (cookiecutter unzips
into the system's temporary folder).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .errors import RenderError

#: cookiecutter names stackpick uses that are not documented API (each has a contract test).
INTERNAL_NAMES = (
    "cookiecutter.config.BUILTIN_ABBREVIATIONS",
    "cookiecutter.exceptions",
    "cookiecutter.find.find_template",
    "cookiecutter.generate.generate_files",
    "cookiecutter.hooks.find_hook",
    "cookiecutter.hooks.run_script",
    "cookiecutter.hooks.run_script_with_context",
    "cookiecutter.prompt.render_variable",
    "cookiecutter.repository.determine_repo_dir",
    "cookiecutter.utils.create_env_with_context",
)
#: The extension that keeps compiled templates (added to every render's ``_extensions``).
KEEP_COMPILED = "stackpick.compiled.KeepCompiled"
HOOKS = ("pre_gen_project", "post_gen_project")

#: ``generate_files`` works inside the template's folder (``os.chdir``, process-wide): one
#: render at a time per process. ``serve`` renders in a pool of processes instead.
_WORKING_FOLDER = threading.Lock()

# cookiecutter logs hook failures and debug detail; its records stay off the terminal
# (the stdlib's advice for a library logger without handlers).
logging.getLogger("cookiecutter").addHandler(logging.NullHandler())


class HookFailed(Exception):
    """A template's hook script exited with an error."""

    def __init__(self, hook: str, detail: str) -> None:
        super().__init__(f"{hook} hook failed ({detail})")
        self.hook = hook
        self.detail = detail


class FetchFailed(Exception):
    """cookiecutter could not fetch a template: ``kind`` says why, ``detail`` is its message."""

    KINDS = ("not-found", "checkout", "zip", "unknown-type", "no-vcs", "command", "os")

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def with_kept_compiled(context: Mapping[str, Any]) -> dict[str, Any]:
    """``context`` whose ``_extensions`` end with ``KEEP_COMPILED`` (a copy; once only)."""
    values = dict(context.get("cookiecutter", {}))
    extensions = [str(name) for name in values.get("_extensions", ())]
    if KEEP_COMPILED not in extensions:
        values["_extensions"] = [*extensions, KEEP_COMPILED]
    return {**context, "cookiecutter": values}


def environment(context: Mapping[str, Any]) -> Any:
    """cookiecutter's Jinja environment for ``context`` (its extensions, its settings)."""
    from cookiecutter.utils import create_env_with_context

    return create_env_with_context(dict(context))


def render_default(env: Any, raw: Any, resolved: Mapping[str, Any]) -> Any:
    """A ``cookiecutter.json`` default rendered as ``cookiecutter --no-input`` renders it.

    Text without template syntax (most defaults) renders to itself, so it is not compiled;
    lists and dictionaries are gone through as ``render_variable`` goes through them.
    """
    from cookiecutter.prompt import render_variable

    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, dict):
        return {
            render_default(env, key, resolved): render_default(env, value, resolved)
            for key, value in raw.items()
        }
    if isinstance(raw, list):
        return [render_default(env, value, resolved) for value in raw]
    text = raw if isinstance(raw, str) else str(raw)
    if not _has_syntax(env, text):
        return text
    return render_variable(env, text, dict(resolved))


def _has_syntax(env: Any, text: str) -> bool:
    """Whether Jinja would see more than plain text in ``text`` (a line break may change)."""
    starts = (
        env.block_start_string,
        env.variable_start_string,
        env.comment_start_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
    )
    if "\r" in text or ("\n" in text and env.newline_sequence != "\n"):
        return True
    return any(start and start in text for start in starts)


def top_folder(repo_dir: Path, env: Any) -> Path:
    """The template's ``{{cookiecutter.…}}`` folder (the project's top folder, unrendered)."""
    from cookiecutter.find import find_template

    return Path(find_template(str(repo_dir), env))


def folder_name(repo_dir: Path, env: Any, context: Mapping[str, Any]) -> str:
    """What the template's top folder renders to for ``context`` (where the project lands)."""
    return str(env.from_string(top_folder(repo_dir, env).name).render(**context))


def generate(
    repo_dir: Path,
    context: dict[str, Any],
    output_dir: Path,
    importable: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext,
) -> Path:
    """Render the template's files into ``output_dir``, hooks run by ``run_hooks``.

    ``output_dir`` is the render's own staging folder, which holds the rendered hook
    scripts beside the project and is removed by the caller. ``importable()`` is held
    while cookiecutter may import the template's extensions. Renders in several threads
    overlap but for ``generate_files`` itself, which works in the template's folder.
    """
    from cookiecutter.generate import generate_files

    from .compiled import flush

    context = with_kept_compiled(context)
    with importable():
        env = environment(context)
        name = folder_name(repo_dir, env, context)
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise RenderError(f"its top folder renders to {name!r}, not a folder name")
    project = output_dir / name
    try:
        with _stdout_to_stderr():
            project.mkdir()
            run_hooks("pre_gen_project", repo_dir, project, context, env, output_dir)
            with importable(), _WORKING_FOLDER:
                generate_files(
                    repo_dir=str(repo_dir),
                    context=context,
                    output_dir=str(output_dir),
                    overwrite_if_exists=True,  # the folder the pre hook ran in, and only it
                    accept_hooks=False,
                    keep_project_on_failure=True,
                )
            run_hooks("post_gen_project", repo_dir, project, context, env, output_dir)
    finally:
        flush()
    return project


def run_hooks(
    hook: str, repo_dir: Path, project: Path, context: dict[str, Any], env: Any, scripts: Path
) -> None:
    """Run the template's ``hook`` scripts in ``project``, rendered into ``scripts`` (the shim).

    As ``cookiecutter.hooks.run_script_with_context`` does, but the rendered script goes
    to ``scripts`` (the render's staging folder), not the system's temporary folder.
    """
    import tempfile

    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.hooks import find_hook, run_script

    for script in find_hook(hook, hooks_dir=str(repo_dir / "hooks")) or []:
        text = Path(script).read_text(encoding="utf-8")
        rendered = env.from_string(text).render(**context)
        handle, path = tempfile.mkstemp(suffix=os.path.splitext(script)[1], dir=scripts)
        with os.fdopen(handle, "wb") as file:
            file.write(rendered.encode("utf-8"))
        try:
            run_script(path, str(project))
        except FailedHookException as error:
            raise HookFailed(hook, str(error)) from None


def run_pre_prompt(root: Path, into: Path) -> Path:
    """Run the template's ``pre_prompt`` hook as cookiecutter does: on a copy made in ``into``.

    Returns the folder to read and render (``root`` itself when there is no such hook).
    """
    import shutil

    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.hooks import find_hook, run_script

    if not find_hook("pre_prompt", hooks_dir=str(root / "hooks")):
        return root
    copy = into / "pre-prompt" / root.name
    shutil.copytree(root, copy)
    with _stdout_to_stderr():
        for script in find_hook("pre_prompt", hooks_dir=str(copy / "hooks")) or []:
            try:
                run_script(script, str(copy))
            except FailedHookException as error:
                raise HookFailed("pre_prompt", str(error)) from None
    return copy


def fetch(template: str, clone_to: Path, checkout: str | None, directory: str | None) -> Path:
    """The folder holding ``template``'s ``cookiecutter.json``, fetched below ``clone_to``.

    A zip file is fetched by a child process whose temporary folder is ``clone_to``, where
    cookiecutter unzips it (rather than the system's temporary folder, never cleaned).
    """
    request = {
        "template": template,
        "clone_to": str(clone_to),
        "checkout": checkout,
        "directory": directory,
    }
    if not template.lower().endswith(".zip"):
        return Path(_fetch(request)).resolve()
    import stackpick

    source_root = str(Path(stackpick.__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        "TMPDIR": str(clone_to),
        "PYTHONPATH": source_root + (os.pathsep + path if path else ""),
    }
    result = subprocess.run(
        [sys.executable, "-m", "stackpick.cookiecutter_adapter", json.dumps(request)],
        capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        answer = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise FetchFailed("os", result.stderr.strip() or "the fetch stopped") from None
    if "error" in answer:
        raise FetchFailed(answer["error"], answer["detail"])
    return Path(answer["path"]).resolve()


def _fetch(request: Mapping[str, Any]) -> str:
    from cookiecutter import exceptions
    from cookiecutter.config import BUILTIN_ABBREVIATIONS
    from cookiecutter.repository import determine_repo_dir

    try:
        repo_dir, _cleanup = determine_repo_dir(
            template=request["template"],
            abbreviations=BUILTIN_ABBREVIATIONS,
            clone_to_dir=request["clone_to"],
            checkout=request["checkout"],
            no_input=True,
            directory=request["directory"],
        )
    except exceptions.RepositoryNotFound as error:
        raise FetchFailed("not-found", str(error)) from None
    except exceptions.RepositoryCloneFailed as error:
        raise FetchFailed("checkout", str(error)) from None
    except exceptions.InvalidZipRepository as error:
        raise FetchFailed("zip", str(error)) from None
    except exceptions.UnknownRepoType as error:
        raise FetchFailed("unknown-type", str(error)) from None
    except exceptions.VCSNotInstalled as error:
        raise FetchFailed("no-vcs", str(error)) from None
    except subprocess.CalledProcessError as error:
        output = error.output.decode("utf-8", "replace") if isinstance(error.output, bytes) else ""
        last = output.strip().splitlines()[-1] if output.strip() else str(error)
        raise FetchFailed("command", last) from None
    except OSError as error:
        raise FetchFailed("os", str(error)) from None
    return str(repo_dir)


@contextlib.contextmanager
def translated_errors(name: str) -> Iterator[None]:
    """cookiecutter's and Jinja's exceptions as ``RenderError`` lines that name the template."""
    from cookiecutter import exceptions
    from jinja2 import TemplateSyntaxError, UndefinedError

    try:
        yield
    except HookFailed as error:
        raise RenderError(
            f"{name}: {error.hook} hook failed ({error.detail}); nothing was written"
        ) from None
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
    except exceptions.CookiecutterException as error:
        raise RenderError(f"{name}: {error}") from None


_REDIRECT_LOCK = threading.Lock()
#: How many renders want file descriptor 1 on standard error, and where it pointed before.
_redirect: dict[str, int] = {"users": 0, "saved": -1}


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at standard error while hooks may print (``--json`` stays clean).

    Counted: the first render in redirects it, the last one out puts it back.
    """
    with _REDIRECT_LOCK:
        if _redirect["users"] == 0:
            try:
                sys.stdout.flush()
                _redirect["saved"] = os.dup(1)
                os.dup2(2, 1)
            except (OSError, ValueError):
                _redirect["saved"] = -1
        _redirect["users"] += 1
    try:
        yield
    finally:
        with _REDIRECT_LOCK:
            _redirect["users"] -= 1
            if _redirect["users"] == 0 and _redirect["saved"] >= 0:
                os.dup2(_redirect["saved"], 1)
                os.close(_redirect["saved"])
                _redirect["saved"] = -1


def _main() -> None:
    """``python -m stackpick.cookiecutter_adapter REQUEST``: one fetch, answered in JSON."""
    request = json.loads(sys.argv[1])
    try:
        answer = {"path": _fetch(request)}
    except FetchFailed as error:
        answer = {"error": error.kind, "detail": error.detail}
    print(json.dumps(answer))


if __name__ == "__main__":
    _main()
