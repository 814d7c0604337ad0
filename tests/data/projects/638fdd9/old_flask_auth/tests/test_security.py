from __future__ import annotations

import pytest
from flask import Flask, request

from old_flask_auth import create_app


@pytest.fixture()
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    return monkeypatch


def client_address_app(monkeypatch: pytest.MonkeyPatch, hops: str) -> Flask:
    """A production app with PROXY_HOPS=``hops`` and a view that shows the client address."""
    monkeypatch.setenv("PROXY_HOPS", hops)
    app = create_app()
    app.add_url_rule("/whoami", "whoami", lambda: str(request.remote_addr))
    return app


def test_security_headers(production: pytest.MonkeyPatch) -> None:
    response = create_app().test_client().get("/health")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # HSTS is opt-in.
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_asked_for(production: pytest.MonkeyPatch) -> None:
    production.setenv("HSTS_SECONDS", "300")
    response = create_app().test_client().get("/health")
    assert response.headers["Strict-Transport-Security"] == "max-age=300"


def test_forwarded_headers_are_ignored_without_a_proxy(production: pytest.MonkeyPatch) -> None:
    client = client_address_app(production, "0").test_client()
    forged = client.get("/whoami", headers={"X-Forwarded-For": "6.6.6.6"})
    assert forged.get_data(as_text=True) == "127.0.0.1"


def test_one_proxy_hop_trusts_only_the_address_the_proxy_added(
    production: pytest.MonkeyPatch,
) -> None:
    client = client_address_app(production, "1").test_client()
    # The client forged the first address; the proxy appended the one it saw.
    response = client.get("/whoami", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})
    assert response.get_data(as_text=True) == "203.0.113.9"
