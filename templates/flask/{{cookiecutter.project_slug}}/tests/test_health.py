from __future__ import annotations
{% if cookiecutter.__has_database %}
from pathlib import Path
{% endif %}
from flask.testing import FlaskClient
{%- if cookiecutter.__has_database %}

from {{ cookiecutter.project_slug }} import create_app
{%- endif %}


def test_health_is_ok(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"{% if cookiecutter.__has_database %}, "database": "ok"{% endif %}}
{%- if cookiecutter.__has_database %}


def test_health_reports_an_unreachable_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "no.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}
{%- endif %}
