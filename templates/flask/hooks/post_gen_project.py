"""Remove the directories that only held files of features not asked for.

A file that belongs to an optional feature has its condition in its own name,
so it is not written when the feature is off; this leaves no empty folder.
It uses no template variables; cookiecutter runs it, for stackpick as for itself.
"""

import os


def prune_empty_dirs(root: str) -> None:
    """Delete every empty directory below ``root``, deepest first."""
    for path, _dirs, _files in os.walk(root, topdown=False):
        if path != root and not os.listdir(path):
            os.rmdir(path)


prune_empty_dirs(os.getcwd())
