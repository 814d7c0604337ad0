import base64
import re
import time

import pytest
from django.utils.html import escape
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.notes.models import Note
from {{ cookiecutter.project_slug }}.notes.throttling import AnonRateThrottle, UserRateThrottle
from {{ cookiecutter.project_slug }}.project import NAME

NOTES = "/api/notes/"


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def note(user) -> Note:
    return Note.objects.create(owner=user, title="Groceries", body="Milk, eggs")


def detail(note: Note) -> str:
    return f"{NOTES}{note.pk}/"


def basic_auth(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


def test_anyone_can_list_notes(api_client, note):
    response = api_client.get(NOTES)

    assert response.status_code == 200
    assert response.data["count"] == 1
    assert response.data["results"][0]["title"] == "Groceries"
    assert response.data["results"][0]["owner"] == "alice"


def test_anyone_can_read_a_note(api_client, note):
    response = api_client.get(detail(note))

    assert response.status_code == 200
    assert response.data["body"] == "Milk, eggs"


def test_missing_note_is_404(api_client, db):
    assert api_client.get(f"{NOTES}999999/").status_code == 404


def test_anonymous_users_cannot_create(api_client, db):
    response = api_client.post(NOTES, {"title": "Hello"}, format="json")

    assert response.status_code == 403
    assert not Note.objects.exists()


def test_signed_in_users_create_notes_they_own(api_client, user):
    api_client.force_authenticate(user)

    response = api_client.post(
        NOTES, {"title": "Hello", "body": "World", "owner": "someone-else"}, format="json"
    )

    assert response.status_code == 201
    note = Note.objects.get(pk=response.data["id"])
    assert note.owner == user
    assert response.data["owner"] == "alice"


def test_basic_authentication_works(api_client, user, password):
    api_client.credentials(HTTP_AUTHORIZATION=basic_auth(user.username, password))

    assert api_client.post(NOTES, {"title": "Hello"}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "groceries"}, "title"),
    ],
)
def test_invalid_notes_are_refused(api_client, note, payload, field):
    api_client.force_authenticate(note.owner)

    response = api_client.post(NOTES, payload, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert Note.objects.count() == 1


def test_the_same_title_is_fine_for_another_user(api_client, note, other_user):
    api_client.force_authenticate(other_user)

    assert api_client.post(NOTES, {"title": note.title}, format="json").status_code == 201


def test_owner_can_replace_a_note(api_client, note):
    api_client.force_authenticate(note.owner)

    response = api_client.put(detail(note), {"title": "Groceries", "body": "Bread"}, format="json")

    assert response.status_code == 200
    note.refresh_from_db()
    assert note.body == "Bread"


def test_owner_can_update_a_note(api_client, note):
    api_client.force_authenticate(note.owner)

    response = api_client.patch(detail(note), {"title": "Shopping"}, format="json")

    assert response.status_code == 200
    note.refresh_from_db()
    assert note.title == "Shopping"


def test_update_is_validated(api_client, note):
    api_client.force_authenticate(note.owner)

    response = api_client.patch(detail(note), {"title": ""}, format="json")

    assert response.status_code == 400
    assert "title" in response.data


def test_owner_can_delete_a_note(api_client, note):
    api_client.force_authenticate(note.owner)

    assert api_client.delete(detail(note)).status_code == 204
    assert not Note.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_users_cannot_change_a_note(api_client, note, other_user, method):
    api_client.force_authenticate(other_user)

    response = getattr(api_client, method)(detail(note), {"title": "Mine now"}, format="json")

    assert response.status_code == 403
    note.refresh_from_db()
    assert note.title == "Groceries"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_anonymous_users_cannot_change_a_note(api_client, note, method):
    response = getattr(api_client, method)(detail(note), {"title": "Mine now"}, format="json")

    assert response.status_code == 403
    assert Note.objects.filter(title="Groceries").exists()


def test_lists_are_paginated(api_client, user):
    Note.objects.bulk_create(Note(owner=user, title=f"Note {i}") for i in range(25))

    first = api_client.get(NOTES).data
    second = api_client.get(first["next"]).data

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_anonymous_requests_are_throttled(api_client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)

    statuses = [api_client.get(NOTES).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_user_requests_are_throttled(api_client, user, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "2/minute", raising=False)
    api_client.force_authenticate(user)

    statuses = [api_client.get(NOTES).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_throttle_counts_start_empty_in_every_test(api_client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)

    assert api_client.get(NOTES).status_code == 200


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/notes/" in schema.content
    assert docs.status_code == 200
    page = docs.content.decode()
    assert f"<title>{escape(NAME)}</title>" in page
    # Swagger UI is served by the project itself (drf-spectacular-sidecar), not from a CDN.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    # No script or style from another host (a CDN): every src and href stays on the site.
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page), page


@pytest.mark.parametrize(("num_proxies", "expected"), [(0, [200, 200, 429]), (1, [200, 200, 200])])
def test_forwarded_addresses_count_only_behind_proxies(
    api_client, db, monkeypatch, num_proxies, expected
):
    """X-Forwarded-For is ignored unless NUM_PROXIES says proxies in front set it."""
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    monkeypatch.setitem(api_settings.user_settings, "NUM_PROXIES", num_proxies)
    api_settings.reload()
    try:
        statuses = [
            api_client.get(NOTES, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
            for i in range(3)
        ]
    finally:
        monkeypatch.undo()
        api_settings.reload()

    assert statuses == expected

{%- if cookiecutter.auth %}


def test_a_password_change_ends_the_api_access_of_other_sessions(client, user, password):
    api = APIClient()
    api.force_login(user)
    assert api.post(NOTES, {"title": "Before"}, format="json").status_code == 201
    client.force_login(user)
    new = "An0ther-long-pass"

    client.post(
        "{% if cookiecutter.i18n %}/en{% endif %}/accounts/password_change/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )

    assert api.post(NOTES, {"title": "After"}, format="json").status_code == 403
    assert list(Note.objects.values_list("title", flat=True)) == ["Before"]
{%- endif %}


def test_unknown_users_take_as_long_to_refuse_as_wrong_passwords(api_client, user, settings):
    """Basic authentication hashes the password for unknown users too: no timing oracle."""
    # A real password hash (the test settings' MD5 is too fast to measure).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]
    user.set_password("a-Long-test-passw0rd")
    user.save()
    addresses = iter(range(1, 100))

    def refusal_time(username: str) -> float:
        start = time.perf_counter()
        response = api_client.post(
            NOTES,
            {"title": "x"},
            format="json",
            HTTP_AUTHORIZATION=basic_auth(username, "wrong"),
            REMOTE_ADDR=f"198.51.100.{next(addresses)}",  # under the per-address log-in limit
        )
        assert response.status_code in (401, 403)
        return time.perf_counter() - start

    refusal_time("alice")  # warm-up
    known = min(refusal_time("alice") for _ in range(2))
    unknown = min(refusal_time("nobody") for _ in range(2))

    assert unknown > known / 2, (known, unknown)
