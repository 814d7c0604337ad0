"""Trust: a template fetched from a remote source runs its code only when trusted.

A template's hooks (``hooks/pre_prompt``, ``pre_gen_project``, ``post_gen_project``) and
Jinja extensions other than cookiecutter's own run with the user's permissions. A
template given as a local path (a folder, a zip file, a git repository) is the user's
own and stays trusted; one fetched from a URL (``https://``, ``git+ssh://``,
``file://``, ``git@host:path``) or a ``gh:``/``gl:``/``bb:`` abbreviation runs its code
only when trusted: ``--trust``, a ``trusted`` list (a config file or the answers file)
naming it, or a yes on a terminal to a question that lists what will run.

As in copier's settings, an entry ending in ``/`` trusts every source it starts, any
other entry exactly that source; both sides are compared normalised (abbreviations
expanded, ``..`` and ``%2e%2e`` collapsed, a trailing ``.git`` ignored), so a prefix
cannot be escaped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .errors import BadInput

#: What a ``gh:``/``gl:``/``bb:`` abbreviation stands for (as cookiecutter expands them).
ABBREVIATIONS = {
    "gh:": "https://github.com/",
    "gl:": "https://gitlab.com/",
    "bb:": "https://bitbucket.org/",
}
#: Extensions that are cookiecutter's or Jinja's own, installed code rather than the template's.
OWN_EXTENSIONS = ("cookiecutter.extensions.", "jinja2_time.", "jinja2.ext.")
HOOKS = ("pre_prompt", "pre_gen_project", "post_gen_project")
_SCP_LIKE = re.compile(r"^[\w.+-]+@[\w.-]+:")


class Trust(NamedTuple):
    """How this run trusts remote templates."""

    #: ``--trust``: every template of this run.
    everything: bool = False
    #: Trusted sources and prefixes (the config file's and the answers file's).
    trusted: tuple[str, ...] = ()
    #: Asks on a terminal (``None``: no terminal, or ``--no-input``).
    confirm: Callable[[str], bool] | None = None
    #: Where the config file is, for the message that says how to trust.
    config: str = "~/.config/stackpick/config.toml"


def is_remote(source: str) -> bool:
    """Whether ``source`` is fetched (a URL or abbreviation) rather than a local path."""
    text = source.strip()
    return text.startswith(tuple(ABBREVIATIONS)) or "://" in text or bool(_SCP_LIKE.match(text))


def normalised(source: str) -> str:
    """``source`` in one spelling, for comparing with trusted entries (after copier's)."""
    import posixpath
    from urllib.parse import unquote, urlsplit, urlunsplit

    text = source.strip()
    for short, long in ABBREVIATIONS.items():
        if text.startswith(short):
            text = long + text[len(short) :]
    if "://" not in text:
        if _SCP_LIKE.match(text):  # git@host:path is ssh://git@host/path
            user_host, _, path = text.partition(":")
            text = f"ssh://{user_host}/{path}"
        else:
            path = os.path.normpath(os.path.expanduser(text))
            return path + os.sep if text.endswith(("/", os.sep)) else path
    parts = urlsplit(text)
    scheme = parts.scheme.lower().removeprefix("git+")
    decoded = unquote(parts.path).replace("\\", "/")
    path = posixpath.normpath(decoded) if decoded else decoded
    if decoded.endswith("/") and not path.endswith("/"):
        path += "/"
    path = path.removesuffix(".git")
    return urlunsplit((scheme, parts.netloc.lower(), path, parts.query, ""))


def is_trusted(source: str, trusted: Sequence[str]) -> bool:
    """Whether ``trusted`` names ``source``: a prefix ending in ``/``, or exactly."""
    wanted = normalised(source)
    for entry in trusted:
        if entry.endswith("/"):
            if wanted.startswith(normalised(entry)):
                return True
        elif wanted == normalised(entry):
            return True
    return False


def code_in(root: Path, declaration: Mapping[str, Any]) -> list[str]:
    """What of the template at ``root`` runs as code: its hooks and its own extensions."""
    found = []
    hooks = root / "hooks"
    if hooks.is_dir():
        for path in sorted(hooks.iterdir()):
            if path.is_file() and path.stem in HOOKS and not path.name.endswith("~"):
                found.append(f"hooks/{path.name}")
    extensions = declaration.get("_extensions", [])
    for name in extensions if isinstance(extensions, list) else []:
        if not str(name).startswith(OWN_EXTENSIONS):
            found.append(f"Jinja extension {name}")
    return found


def check(
    where: str, source: str, root: Path, declaration: Mapping[str, Any], trust: Trust
) -> None:
    """Refuse (exit 2) a remote template that runs code, unless trusted or confirmed."""
    if not is_remote(source) or trust.everything or is_trusted(source, trust.trusted):
        return
    code = code_in(root, declaration)
    if not code:
        return
    what = ", ".join(code)
    if trust.confirm is not None and trust.confirm(
        f"{where} comes from {source} and runs code on this machine with your permissions: "
        f"{what}. Run it?"
    ):
        return
    raise BadInput(
        f"{where} comes from a remote source and runs code ({what}); if you trust it, give "
        f'--trust, or add "{source}" (or a prefix of it ending in /) to trusted in '
        f"{trust.config}"
    )


def for_run(given: Trust | None, lists: Sequence[tuple[str, ...]]) -> Trust:
    """The run's trust: ``given`` with its config file's list and the answers files' ``lists``
    (nothing given, as for a caller inside stackpick: trust no remote template's code)."""
    if given is None:
        return Trust()
    listed = read_trusted(Path(given.config).expanduser())
    for more in lists:
        listed += more
    return given._replace(trusted=(*given.trusted, *listed))


def config_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/stackpick/config.toml`` (``~/.config`` when unset)."""
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "stackpick" / "config.toml"


def read_trusted(path: Path) -> tuple[str, ...]:
    """The ``trusted`` list of the config file at ``path`` (none when there is no file)."""
    from ._toml import TOMLDecodeError, loads

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"config file {path}: cannot be read ({error}); fix or remove it") from None
    try:
        data = loads(text)
    except TOMLDecodeError as error:
        raise BadInput(f"config file {path}: malformed TOML ({error}); fix the syntax") from None
    return trusted_list(data.get("trusted", []), f"config file {path}")


def trusted_list(value: object, where: str) -> tuple[str, ...]:
    """A ``trusted`` setting (config or answers file): a list of sources and prefixes."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadInput(
            f'{where}: trusted: expected a list of sources, for example trusted = ["gh:acme/"]'
        )
    return tuple(value)
