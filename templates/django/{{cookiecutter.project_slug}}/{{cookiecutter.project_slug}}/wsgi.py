"""WSGI entry point (gunicorn {{ cookiecutter.project_slug }}.wsgi); production settings unless told otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings.production")

application = get_wsgi_application()
