"""Production hardening: the proxies in front of the app, HTTPS and the security headers.

``PROXY_HOPS`` says how many proxies set ``X-Forwarded-For`` (and ``-Proto``) in front of
the app: with 0 (the default) the headers are ignored, so a client cannot forge its
address; with 1, the address the nearest proxy saw is used (rate limits and logs see the
real client). Never set it higher than the proxies you really have. ``X-Forwarded-Host``
is trusted only with ``PROXY_X_HOST`` (0 by default: the proxy passes the ``Host`` header
on), and ``TRUSTED_HOSTS`` refuses any host the site does not own (400).
"""

from __future__ import annotations

from flask import Flask, Response, redirect, request
from flask.typing import ResponseReturnValue
from werkzeug.middleware.proxy_fix import ProxyFix

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
# Scripts, styles, images and fonts from this site only (no inline code); no plugins, no framing.
CSP = (
    "default-src 'self'; script-src 'self'{inline}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Trust ``PROXY_HOPS`` proxies, send plain HTTP to HTTPS, add the security headers."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=app.config["PROXY_X_HOST"]
        )

    if app.config["HTTPS_REDIRECT"]:

        @app.before_request
        def https_only() -> ResponseReturnValue | None:
            # /health stays on plain HTTP for health checks inside the network.
            if request.is_secure or request.path == "/health":
                return None
            return redirect(request.url.replace("http://", "https://", 1), code=301)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", CSP.format(inline=""))
        # HSTS_SECONDS: an hour by default in production; raise it once HTTPS works everywhere.
        if seconds := app.config["HSTS_SECONDS"]:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}")
        return response
