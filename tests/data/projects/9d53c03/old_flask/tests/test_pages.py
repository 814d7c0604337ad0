from __future__ import annotations

from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from markupsafe import escape

from old_flask.about import PROJECT_DESCRIPTION, PROJECT_NAME
from old_flask.models import Item


def test_index_shows_the_project(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Shown literally: escaped once by the template engine, never run as template code.
    assert f"<h1>{escape(PROJECT_NAME)}</h1>" in page
    assert str(escape(PROJECT_DESCRIPTION)) in page


def test_index_lists_items(client: FlaskClient, db: SQLAlchemy) -> None:
    db.session.add(Item(name="<first> item"))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "&lt;first&gt; item" in page


def test_unknown_page_is_404(client: FlaskClient) -> None:
    assert client.get("/no/such/page").status_code == 404
