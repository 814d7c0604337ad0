"""The interview's defaults: stackpick's, those that follow earlier answers, and the author
from ``git config`` when it has one."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping

from ..answers.questions import FOLLOWING, Value
from ..answers.values import default_for

#: The answers ``git config`` can fill, and the setting each one reads.
FROM_GIT = {"author_name": "user.name", "author_email": "user.email"}


@functools.cache
def git_identity() -> dict[str, str]:
    """``user.name`` and ``user.email`` as git would use them (read once; empty without git)."""
    found: dict[str, str] = {}
    for key, setting in FROM_GIT.items():
        try:
            done = subprocess.run(
                ["git", "config", "--get", setting],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return {}
        if done.returncode == 0 and done.stdout.strip():
            found[key] = done.stdout.strip()
    return found


def interview_default(key: str, known: Mapping[str, Value]) -> Value | None:
    """The default the interview offers for ``key`` given the answers ``known`` so far."""
    for (follows, earlier, when), value in FOLLOWING.items():
        if follows == key and known.get(earlier) == when:
            return value
    if key in FROM_GIT and key in git_identity():
        return git_identity()[key]
    return default_for(key, known)
