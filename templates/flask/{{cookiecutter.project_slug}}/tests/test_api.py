from __future__ import annotations

import json
import re
from typing import Any

import pytest
{%- if cookiecutter.auth %}
from fixtures_auth import add_user
{%- endif %}
from flask.testing import FlaskClient
{%- if cookiecutter.auth %}

from {{ cookiecutter.project_slug }}.models import User
{%- endif %}


@pytest.fixture()
def headers({% if cookiecutter.auth %}client: FlaskClient, user: User{% endif %}) -> dict[str, str]:
    """The headers of a client allowed to write{% if cookiecutter.auth %}: a bearer token{% endif %}."""
{%- if cookiecutter.auth %}
    response = client.post(
        "/api/tokens", json={"username": "alice", "password": "correct horse battery"}
    )
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.get_json()['token']}"}
{%- else %}
    return {}
{%- endif %}


def create(client: FlaskClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = client.post("/api/items", json={"name": "first", **fields}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_list_starts_empty(client: FlaskClient) -> None:
    response = client.get("/api/items")
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "page": 1, "per_page": 20, "total": 0, "pages": 0}


def test_create_and_get(client: FlaskClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/api/items", json={"name": "  tea  ", "description": "green"}, headers=headers
    )
    assert response.status_code == 201
    item = response.get_json()
    assert item["name"] == "tea"
    assert item["description"] == "green"
    assert response.headers["Location"] == f"/api/items/{item['id']}"
    got = client.get(f"/api/items/{item['id']}")
    assert got.status_code == 200
    assert got.get_json() == item


def test_get_missing_is_404_json(client: FlaskClient) -> None:
    response = client.get("/api/items/999")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"] == "Not Found"


def test_unknown_api_url_and_method_answer_json(client: FlaskClient) -> None:
    unknown = client.get("/api/nothing-here")
    assert unknown.status_code == 404
    assert unknown.is_json
    not_allowed = client.post("/api/items/1", json={})
    assert not_allowed.status_code == 405
    assert not_allowed.is_json


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", "42"],
)
def test_create_needs_a_json_object(
    client: FlaskClient, headers: dict[str, str], body: str
) -> None:
    response = client.post(
        "/api/items", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert response.is_json
    assert "message" in response.get_json()


def test_create_needs_json_content(client: FlaskClient, headers: dict[str, str]) -> None:
    response = client.post("/api/items", data={"name": "form"}, headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 3}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ok", "description": 1}, "description"),
        ({"name": "ok", "description": "x" * 1001}, "description"),
        ({"name": "ok", "colour": "red"}, "colour"),
    ],
)
def test_create_validates_fields(
    client: FlaskClient, headers: dict[str, str], payload: dict[str, Any], field: str
) -> None:
    response = client.post("/api/items", json=payload, headers=headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "Unprocessable Entity"
    assert field in body["fields"]


def test_put_replaces_and_patch_changes(client: FlaskClient, headers: dict[str, str]) -> None:
    item = create(client, headers, description="old")
    url = f"/api/items/{item['id']}"
    put = client.put(url, json={"name": "second"}, headers=headers)
    assert put.status_code == 200
    assert put.get_json()["name"] == "second"
    assert put.get_json()["description"] == ""
    patch = client.patch(url, json={"description": "new"}, headers=headers)
    assert patch.status_code == 200
    assert patch.get_json()["name"] == "second"
    assert patch.get_json()["description"] == "new"
    assert client.get(url).get_json()["description"] == "new"


def test_update_errors(client: FlaskClient, headers: dict[str, str]) -> None:
    assert client.put("/api/items/999", json={"name": "x"}, headers=headers).status_code == 404
    assert client.patch("/api/items/999", json={"name": "x"}, headers=headers).status_code == 404
    url = f"/api/items/{create(client, headers)['id']}"
    assert client.put(url, json={}, headers=headers).status_code == 422
    assert client.patch(url, json={"name": ""}, headers=headers).status_code == 422
    bad = client.patch(url, data="[]", content_type="application/json", headers=headers)
    assert bad.status_code == 400


def test_delete(client: FlaskClient, headers: dict[str, str]) -> None:
    url = f"/api/items/{create(client, headers)['id']}"
    response = client.delete(url, headers=headers)
    assert response.status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url, headers=headers).status_code == 404


def test_pagination(client: FlaskClient, headers: dict[str, str]) -> None:
    for name in ("a", "b", "c"):
        create(client, headers, name=name)
    first = client.get("/api/items?per_page=2").get_json()
    assert [item["name"] for item in first["items"]] == ["a", "b"]
    assert (first["total"], first["pages"], first["page"]) == (3, 2, 1)
    second = client.get("/api/items?per_page=2&page=2").get_json()
    assert [item["name"] for item in second["items"]] == ["c"]
    assert client.get("/api/items?page=3&per_page=2").get_json()["items"] == []


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=0", "per_page=101"])
def test_bad_paging_is_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/items?{query}")
    assert response.status_code == 400
    assert response.is_json


@pytest.mark.parametrize("app_settings", [{"API_RATE_LIMIT": "3 per minute"}])
def test_rate_limit(client: FlaskClient) -> None:
    for _ in range(3):
        assert client.get("/api/items").status_code == 200
    response = client.get("/api/items")
    assert response.status_code == 429
    assert response.is_json
    # Pages outside the API are not limited.
    assert client.get("/health").status_code == 200
{%- if cookiecutter.auth %}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_need_a_user_or_a_token(
    client: FlaskClient, headers: dict[str, str], method: str
) -> None:
    item = create(client, headers)
    url = "/api/items" if method == "post" else f"/api/items/{item['id']}"
    response = getattr(client, method)(url, json={"name": "x"})
    assert response.status_code == 401
    assert response.is_json
    forged = {"Authorization": "Bearer forged"}
    assert getattr(client, method)(url, json={"name": "x"}, headers=forged).status_code == 401


def test_reads_are_open(client: FlaskClient, headers: dict[str, str]) -> None:
    item = create(client, headers)
    assert client.get("/api/items").status_code == 200
    assert client.get(f"/api/items/{item['id']}").status_code == 200


def test_a_logged_in_user_can_write(client: FlaskClient, user: User) -> None:
    client.post("/auth/login", data={"username": "alice", "password": "correct horse battery"})
    assert client.post("/api/items", json={"name": "from session"}).status_code == 201


def test_token_needs_the_right_password(client: FlaskClient, user: User) -> None:
    wrong = client.post("/api/tokens", json={"username": "alice", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.is_json
    missing = client.post("/api/tokens", json={"username": "alice"})
    assert missing.status_code == 422


def token_for(client: FlaskClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/tokens", json={"username": username, "password": password})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_only_the_owner_changes_or_deletes_an_item(
    client: FlaskClient, headers: dict[str, str], user: User
) -> None:
    item = create(client, headers)
    assert item["owner_id"] == user.id
    add_user("mallory", "another password")
    other = token_for(client, "mallory", "another password")
    url = f"/api/items/{item['id']}"
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url, json={"name": "taken"}, headers=other)
        assert response.status_code == 403, method
        assert response.is_json
    assert client.get(url).get_json()["name"] == "first"
    assert client.patch(url, json={"name": "mine"}, headers=headers).status_code == 200
    assert client.delete(url, headers=headers).status_code == 204
{%- if cookiecutter.admin %}


def test_administrators_may_change_any_item(client: FlaskClient, headers: dict[str, str]) -> None:
    item = create(client, headers)
    add_user("root", "admin password 123", is_admin=True)
    admin = token_for(client, "root", "admin password 123")
    assert client.delete(f"/api/items/{item['id']}", headers=admin).status_code == 204
{%- endif %}
{%- endif %}


def test_the_openapi_description_covers_every_api_route(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    described = {
        (path, method.upper())
        for path, operations in spec["paths"].items()
        for method in operations
        if method != "parameters"
    }
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }
    assert described == routes
    # Every reference points at a schema that exists.
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', json.dumps(spec)))
    assert refs <= set(spec["components"]["schemas"])
