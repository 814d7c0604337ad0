"""Production hardening: the proxies in front of the app and the security headers.

``PROXY_HOPS`` says how many proxies set ``X-Forwarded-For`` (and ``-Proto``, ``-Host``)
in front of the app: with 0 (the default) the headers are ignored, so a client cannot
forge its address; with 1, the address the nearest proxy saw is used (rate limits and
logs see the real client). Never set it higher than the proxies you really have.
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def init_app(app: Flask) -> None:
    """Trust ``PROXY_HOPS`` proxies and add the security headers to every response."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # HSTS is opt-in: HSTS_SECONDS=300 first, then e.g. 31536000 once HTTPS works everywhere.
        if seconds := app.config["HSTS_SECONDS"]:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}")
        return response
