from django.db import OperationalError

from old_django import views


def test_health_answers_ok_when_the_database_answers(client, db):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("database is down")

    monkeypatch.setattr(views, "connection", BrokenConnection())

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_health_refuses_post(client, db):
    assert client.post("/health/").status_code == 405
