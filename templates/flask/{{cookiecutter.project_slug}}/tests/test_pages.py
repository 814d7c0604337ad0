{#- A feature's parts of this file are in templates/<feature>/ (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
{%- if cookiecutter.__has_database %}
from flask_sqlalchemy import SQLAlchemy
{%- endif %}
from markupsafe import escape

from {{ cookiecutter.project_slug }}.about import PROJECT_DESCRIPTION, PROJECT_NAME
{%- if cookiecutter.__has_database %}
from {{ cookiecutter.project_slug }}.models import Item
{%- endif %}


def test_index_shows_the_project(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Shown literally: escaped once by the template engine, never run as template code.
    assert f"<h1>{escape(PROJECT_NAME)}</h1>" in page
    assert str(escape(PROJECT_DESCRIPTION)) in page
{% for feature in features %}{% include feature ~ "/test_pages.tests.py" ignore missing %}{% endfor %}

def test_unknown_page_is_404(client: FlaskClient) -> None:
    assert client.get("/no/such/page").status_code == 404


def test_error_pages_are_in_the_site_layout(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>404 Not Found</h1>" in page
    assert 'class="site-header"' in page and 'href="/"' in page


def test_server_errors_are_in_the_site_layout(app: Flask) -> None:
    def broken() -> str:
        raise RuntimeError("broken on purpose")

    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "<h1>500 Internal Server Error</h1>" in response.get_data(as_text=True)


def test_the_layout_has_its_styles_and_icon(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    for asset in ("/static/style.css", "/static/favicon.svg"):
        assert f'href="{asset}"' in page
        response = client.get(asset)
        assert response.status_code == 200
        response.close()


def test_favicon_ico_is_served(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    response.close()
