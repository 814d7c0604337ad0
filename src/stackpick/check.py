"""``stackpick check``: would ``update`` change this project? (for CI and pre-commit)

The answer is ``update --dry-run``'s, computed with every git object it makes written
to a temporary folder that is removed afterwards: the project, its repository and its
branches are left exactly as they were. Only committed work counts (``HEAD``), so the
check runs as well in a pre-commit hook, with changes staged, as in CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .generate import git
from .recorded import objects_elsewhere
from .update import update_project

if TYPE_CHECKING:
    from .app import Inputs
    from .update import Updated


def check_project(project_dir: Path, inputs: Inputs) -> Updated:
    """What ``update`` with the recorded answers and template would do, written nowhere."""
    project = project_dir.expanduser().absolute()
    if not git.available() or git.work_tree_top(project) is None:
        return update_project(project, inputs, None, dry_run=True, require_clean=False)
    with objects_elsewhere(project):
        return update_project(project, inputs, None, dry_run=True, require_clean=False)


def changed_files(result: Updated) -> list[str]:
    """Every file the update would add, change, remove or leave in conflict, sorted."""
    return sorted({*result.added, *result.changed, *result.removed, *result.conflicting})


def check_json(result: Updated) -> dict[str, object]:
    """``check --json``: whether the project is up to date, and the files update would change."""
    data = result.to_json()
    keys = ("added", "changed", "removed", "conflicting", "setup_needed", "notes")
    return {
        "path": data["path"],
        "up_to_date": result.up_to_date,
        "files": changed_files(result),
        **{key: data[key] for key in keys},
    }
