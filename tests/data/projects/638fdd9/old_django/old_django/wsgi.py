"""WSGI entry point (gunicorn old_django.wsgi); production settings unless told otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "old_django.settings.production")

application = get_wsgi_application()
