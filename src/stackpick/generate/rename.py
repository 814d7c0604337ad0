"""Atomic renames that never replace a folder someone else made: Linux ``renameat2``.

``os.rename`` onto an existing empty folder replaces it silently; ``renameat2`` with
``RENAME_NOREPLACE`` fails instead, and ``RENAME_EXCHANGE`` swaps two folders in one step.
Where the call is missing (another system, an old kernel or a file system without it),
``no_replace`` claims the name with ``mkdir`` (which fails if it exists) and moves the
entries in, and ``exchange`` returns ``False`` so the caller takes two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
#: The call is there but this system or file system cannot do it.
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """``True`` when done; ``False`` when unsupported here; ``OSError`` when it failed."""
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = call(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags)
    if result == 0:
        return True
    number = ctypes.get_errno()
    if number in _UNSUPPORTED:
        return False
    raise OSError(number, os.strerror(number), str(target))


def no_replace(source: Path, target: Path) -> None:
    """Move the folder ``source`` to ``target``; ``FileExistsError`` if anything is there
    (even an empty folder), which is then left as it is."""
    if _renameat2(source, target, _RENAME_NOREPLACE):
        return
    os.mkdir(target)  # the claim: fails if the name is taken
    for entry in os.listdir(source):
        os.rename(source / entry, target / entry)
    os.rmdir(source)


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step; ``False`` (nothing done) where that is unsupported."""
    return _renameat2(first, second, _RENAME_EXCHANGE)
