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


class ZipCache:
    """Finished zips by answer set, least recently used out first: at most ``max_bytes`` held.

    Only for templates whose output is a function of the answers (the bundled ones: no
    secret or random value lands in a zip); the key carries the day, which the decision
    record shows.
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024, max_entries: int = 256) -> None:
        import threading
        from collections import OrderedDict

        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(values: object) -> str:
        import datetime
        import json

        day = datetime.date.today().isoformat()
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        return json.dumps([day, epoch, values], sort_keys=True, default=repr)

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, folder: str, data: bytes) -> None:
        if len(data) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = (folder, data)
            self._bytes += len(data)
            while self._bytes > self.max_bytes or len(self._entries) > self.max_entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    @property
    def size(self) -> tuple[int, int]:
        """Entries and bytes held."""
        with self._lock:
            return len(self._entries), self._bytes
