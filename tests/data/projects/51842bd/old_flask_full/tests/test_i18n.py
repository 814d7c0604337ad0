from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

import old_flask_full

MESSAGES = Path(old_flask_full.__file__).parent / "translations" / "de" / "LC_MESSAGES"


def test_english_by_default(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Your Flask application is up and running." in page


def test_german_on_request(client: FlaskClient) -> None:
    page = client.get("/?lang=de").get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "Ihre Flask-Anwendung läuft." in page
    # The choice is remembered.
    assert "Ihre Flask-Anwendung läuft." in client.get("/").get_data(as_text=True)


def test_german_from_the_browser(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert "Startseite" in page


def test_unknown_language_falls_back_to_english(client: FlaskClient) -> None:
    page = client.get("/?lang=xx").get_data(as_text=True)
    assert '<html lang="en">' in page


def test_login_page_in_german(client: FlaskClient) -> None:
    page = client.get("/auth/login?lang=de").get_data(as_text=True)
    assert "Benutzername" in page
    assert "Anmelden" in page


def test_compiled_catalog_matches_the_po_file() -> None:
    with open(MESSAGES / "messages.po", "rb") as po_file:
        po = read_po(po_file)
    with open(MESSAGES / "messages.mo", "rb") as mo_file:
        mo = read_mo(mo_file)
    expected = {m.id: m.string for m in po if m.id}
    compiled = {m.id: m.string for m in mo if m.id}
    assert compiled == expected, "run: pybabel compile -d old_flask_full/translations"
