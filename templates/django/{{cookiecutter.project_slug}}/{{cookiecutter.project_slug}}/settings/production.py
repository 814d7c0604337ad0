"""Production settings: secrets and hosts come from the environment, nothing insecure is assumed.

Check them with ``manage.py check --deploy --fail-level WARNING``.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
{%- if cookiecutter.database == "sqlite" %}
    DATABASES,
{%- endif %}
{%- if cookiecutter.rest_api %}
    REST_FRAMEWORK,
{%- endif %}
    SILENCED_SYSTEM_CHECKS,
{%- if cookiecutter.rest_api %}
    SPECTACULAR_SETTINGS,
{%- endif %}
    STORAGES,
    env,
)

DEBUG = False

SECRET_KEY = env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Production needs a real SECRET_KEY: set it to a long random string, e.g. from "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

{%- if cookiecutter.database == "postgresql" %}
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "Production needs DATABASE_URL, e.g. postgres://user:password@host:5432/name"
    )
{%- endif %}
{%- if cookiecutter.auth %}

# Password resets are mailed: production needs a real mail server (the console would write
# the reset links, tokens included, into the log).
if not env.str("EMAIL_URL", default="") or env.str("EMAIL_URL").startswith("consolemail:"):
    raise ImproperlyConfigured(
        "Production sends mail (password resets) and needs EMAIL_URL, "
        "e.g. smtp+tls://user:password@smtp.example.com:587"
    )
vars().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST... (django-environ's way)
{%- endif %}
DATABASES = {
    "default": {
        **{% if cookiecutter.database == "postgresql" %}env.db("DATABASE_URL"){% else %}DATABASES["default"]{% endif %},
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    },
}

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS is expected in front of the application (a proxy sets X-Forwarded-Proto).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# HSTS starts small: raise SECURE_HSTS_SECONDS (e.g. 31536000) once HTTPS works everywhere, and
# opt in to subdomains and preloading only when every subdomain serves HTTPS (see the README).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Not opting in is deliberate, so the deployment check does not warn about it.
SILENCED_SYSTEM_CHECKS = SILENCED_SYSTEM_CHECKS + [
    check
    for check, enabled in (
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_PRELOAD),
    )
    if not enabled
]
{%- if cookiecutter.rest_api %}

# The API: session log-ins only (no basic authentication), JSON only (no browsable pages),
# its documentation for staff only.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAdminUser"],
}
{%- endif %}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No password-reset token reaches the log (gunicorn.conf.py masks the access log too).
    "filters": {"no_tokens": {"()": "{{ cookiecutter.project_slug }}.logs.MaskResetTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_tokens"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
