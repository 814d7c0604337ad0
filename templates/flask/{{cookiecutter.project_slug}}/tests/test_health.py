{#- A feature's parts of this file are in templates/<feature>/ (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
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
{% for feature in features %}{% include feature ~ "/test_health.tests.py" ignore missing %}{% endfor -%}
