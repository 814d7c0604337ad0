from __future__ import annotations

import pytest
from flask import Flask, request

from old_flask import create_app

HTTPS = "https://localhost"


@pytest.fixture()
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("TRUSTED_HOSTS", "localhost")
    return monkeypatch


def client_address_app(monkeypatch: pytest.MonkeyPatch, hops: str) -> Flask:
    """A production app with PROXY_HOPS=``hops`` and a view that shows the client and host."""
    monkeypatch.setenv("PROXY_HOPS", hops)
    app = create_app()
    app.add_url_rule("/whoami", "whoami", lambda: f"{request.remote_addr} {request.host}")
    return app


def test_security_headers(production: pytest.MonkeyPatch) -> None:
    response = create_app().test_client().get("/health")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # Scripts and styles from the site itself only: no inline code, no other origin.
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_production_sends_hsts_by_default(production: pytest.MonkeyPatch) -> None:
    response = create_app().test_client().get("/health", base_url=HTTPS)
    assert response.headers["Strict-Transport-Security"] == "max-age=3600"
    production.setenv("HSTS_SECONDS", "31536000")
    response = create_app().test_client().get("/health", base_url=HTTPS)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    production.setenv("HSTS_SECONDS", "0")
    response = create_app().test_client().get("/health", base_url=HTTPS)
    assert "Strict-Transport-Security" not in response.headers


def test_production_redirects_plain_http_to_https(production: pytest.MonkeyPatch) -> None:
    client = client_address_app(production, "0").test_client()
    response = client.get("/whoami?page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://localhost/whoami?page=2"
    assert client.get("/whoami", base_url=HTTPS).status_code == 200
    # Health checks inside the network stay on plain HTTP.
    assert client.get("/health").status_code == 200


def test_development_neither_redirects_nor_sends_hsts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "development")
    response = client_address_app(monkeypatch, "0").test_client().get("/whoami")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


def test_unknown_hosts_are_refused(production: pytest.MonkeyPatch) -> None:
    client = client_address_app(production, "0").test_client()
    assert client.get("/whoami", base_url="https://evil.example").status_code == 400
    assert client.get("/whoami", base_url=HTTPS).status_code == 200


def test_forwarded_headers_are_ignored_without_a_proxy(production: pytest.MonkeyPatch) -> None:
    client = client_address_app(production, "0").test_client()
    forged = client.get("/whoami", base_url=HTTPS, headers={"X-Forwarded-For": "6.6.6.6"})
    assert forged.get_data(as_text=True) == "127.0.0.1 localhost"


def test_one_proxy_hop_trusts_only_the_address_the_proxy_added(
    production: pytest.MonkeyPatch,
) -> None:
    client = client_address_app(production, "1").test_client()
    # The client forged the first address; the proxy appended the one it saw.
    response = client.get(
        "/whoami", base_url=HTTPS, headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}
    )
    assert response.get_data(as_text=True) == "203.0.113.9 localhost"


def test_a_forwarded_host_counts_only_when_configured(production: pytest.MonkeyPatch) -> None:
    client = client_address_app(production, "1").test_client()
    forged = {"X-Forwarded-Host": "evil.example"}
    response = client.get("/whoami", base_url=HTTPS, headers=forged)
    assert response.get_data(as_text=True) == "127.0.0.1 localhost"
    # Trusted from the proxy, it must still be one of TRUSTED_HOSTS.
    production.setenv("PROXY_X_HOST", "1")
    client = client_address_app(production, "1").test_client()
    assert client.get("/whoami", base_url=HTTPS, headers=forged).status_code == 400
