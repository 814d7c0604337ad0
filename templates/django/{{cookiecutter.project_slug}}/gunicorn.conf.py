"""gunicorn's settings (read from the working folder): ``gunicorn {{ cookiecutter.project_slug }}.wsgi``."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
{%- if cookiecutter.rest_api %}


def on_starting(server):
    """Refuse several workers with a per-process cache: each would count API requests alone."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.production")
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if server.cfg.workers > 1 and backend.endswith(("LocMemCache", "DummyCache")):
        raise SystemExit(
            f"{server.cfg.workers} workers need a shared cache for the API throttle: "
            "set CACHE_URL (e.g. redis://localhost:6379/0) or run one worker"
        )
{%- endif %}
