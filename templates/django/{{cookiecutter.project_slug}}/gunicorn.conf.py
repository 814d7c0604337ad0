"""gunicorn's settings (read from the working folder): ``gunicorn {{ cookiecutter.project_slug }}.wsgi``."""

import os

# The local machine only, unless told otherwise (the Docker image listens on 0.0.0.0:8000 inside
# its container): the one HTTPS proxy in front reaches it there.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
# The access log with password-reset tokens masked (a logged token would log anyone in).
logger_class = "{{ cookiecutter.project_slug }}.logs.AccessLog"


def on_starting(server):
    """Refuse several workers with a per-process cache: each would count {% if cookiecutter.rest_api %}API requests and {% endif %}log-in failures alone."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.production")
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if server.cfg.workers > 1 and backend.endswith(("LocMemCache", "DummyCache")):
        raise SystemExit(
            f"{server.cfg.workers} workers need a shared cache for the log-in{% if cookiecutter.rest_api %} and API{% endif %} limits: "
            "set CACHE_URL (e.g. redis://localhost:6379/0) or run one worker"
        )
