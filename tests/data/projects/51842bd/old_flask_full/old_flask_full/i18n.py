"""Languages (Flask-Babel): ``?lang=de`` (remembered in the session), else ``Accept-Language``."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import get_locale

from .extensions import babel

LANGUAGES = ("en", "de")


def select_locale() -> str | None:
    requested = request.args.get("lang")
    if requested in LANGUAGES:
        session["lang"] = requested
        return requested
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return str(remembered)
    return request.accept_languages.best_match(LANGUAGES)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LANGUAGES[0])
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def current_locale() -> dict[str, str]:
        return {"current_locale": str(get_locale())}
