"""Settings for the test suite (pytest-django uses them, see pyproject.toml)."""

from .base import *  # noqa: F403

DEBUG = False
# Fast, deliberately weak hashing: tests only.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Plain static files storage (from base): the manifest storage of production
# would need `collectstatic` before any page that links a static file renders.
# WhiteNoise serves the files from where they are, without `collectstatic`.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
