"""The translations the tests see: compiled from the .po files before any test runs."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import {{ cookiecutter.project_slug }}


def compile_translations() -> None:
    """Compile each ``messages.po`` into the ``messages.mo`` the app reads (as pybabel compile)."""
    translations = Path({{ cookiecutter.project_slug }}.__file__).parent / "translations"
    for po_path in translations.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


# The tests always run on catalogues compiled from the .po files they see.
compile_translations()
