"""Choosing the installer: uv when asked for or available, else pip."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Literal

from ..errors import BadInput

Installer = Literal["uv", "pip"]
InstallerChoice = Literal["auto", "uv", "pip"]


def find_uv(environ: Mapping[str, str]) -> str | None:
    """uv on ``PATH``, or the binary of the ``uv`` package (``stackpick[uv]``)."""
    path = shutil.which("uv", path=environ.get("PATH"))
    if path:
        return path
    try:
        from uv import find_uv_bin
    except ImportError:
        return None
    try:
        return str(find_uv_bin())
    except (FileNotFoundError, OSError):
        return None


def choose_installer(
    choice: InstallerChoice, environ: Mapping[str, str]
) -> tuple[Installer, str | None]:
    """uv when asked for or available (``auto``), else pip; with uv's path."""
    if choice == "pip":
        return "pip", None
    uv = find_uv(environ)
    if uv is None and choice == "uv":
        raise BadInput(
            "--installer uv: uv is not on PATH nor installed with stackpick "
            "(pip install 'stackpick[uv]')"
        )
    return ("uv", uv) if uv else ("pip", None)


def installer_note(installer: Installer, uv: str | None, choice: InstallerChoice) -> str:
    """Which installer, and why."""
    if installer == "uv":
        return f"uv ({uv})"
    if choice == "pip":
        return "pip (--installer pip)"
    return "pip (uv not found: pip install 'stackpick[uv]' installs faster)"
