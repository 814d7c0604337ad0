"""A generated project as a zip whose top folder is the project folder."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

#: Left out of the zip: the secret is made by ``setup`` on the user's machine; no repository.
EXCLUDED = frozenset({".env", ".git"})
#: Fixed timestamps: the same answers give the same zip.
EPOCH = (1980, 1, 1, 0, 0, 0)


def excluded(relative: str) -> bool:
    """Whether a project-relative POSIX path stays out of the zip."""
    parts = relative.split("/")
    return parts[0] in EXCLUDED or ".git" in parts


def zip_project(project: Path) -> bytes:
    """Every file of ``project`` (sorted, modes kept) under ``<project folder name>/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(project.rglob("*")):
            relative = path.relative_to(project).as_posix()
            if excluded(relative) or path.is_dir() or path.is_symlink():
                continue
            info = zipfile.ZipInfo(f"{project.name}/{relative}", EPOCH)
            mode = stat.S_IMODE(os.stat(path).st_mode)
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
