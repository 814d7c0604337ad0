"""gunicorn's settings (read from the working folder): ``gunicorn old_django.wsgi``."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
