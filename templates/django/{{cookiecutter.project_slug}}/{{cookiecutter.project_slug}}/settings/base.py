"""Settings shared by every environment.

Values that differ between machines come from environment variables, or from a
git-ignored ``.env`` file next to ``manage.py`` (see ``.env.example``); real
environment variables win over the file.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
{%- if cookiecutter.rest_api %}

from {{ cookiecutter.project_slug }}.project import DESCRIPTION, NAME
{%- endif %}

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# Development default only: production.py refuses to start with it.
SECRET_KEY = (
    env.str("SECRET_KEY", default="") or "django-insecure-development-key-do-not-use-in-production"
)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The Host header decides the links the site writes (password resets): X-Forwarded-Host is
# believed only when the one proxy in front sets it (clients can forge it otherwise).
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
# How many proxies in front of the site append to X-Forwarded-For (0: the connecting address
# tells clients apart; the header is ignored because clients can forge it).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
{%- if cookiecutter.auth %}
    "django_ratelimit",
{%- endif %}
{%- if cookiecutter.rest_api %}
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
{%- endif %}
    "{{ cookiecutter.project_slug }}.accounts",
{%- if cookiecutter.rest_api %}
    "{{ cookiecutter.project_slug }}.notes",
{%- endif %}
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
{%- if cookiecutter.i18n %}
    "django.middleware.locale.LocaleMiddleware",
{%- endif %}
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
{%- if cookiecutter.auth %}
    "django_ratelimit.middleware.RatelimitMiddleware",
{%- endif %}
    # Last, as django-axes asks: it turns a locked-out log-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "{{ cookiecutter.project_slug }}.urls"
WSGI_APPLICATION = "{{ cookiecutter.project_slug }}.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "{{ cookiecutter.project_slug }}.context_processors.project",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://user:password@host:5432/name; SQLite by default{% if cookiecutter.database == "postgresql" %}
# (development and tests only: production requires DATABASE_URL){% endif %}.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL, e.g. redis://host:6379/0; local memory (per process) by default.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}
# The log-in{% if cookiecutter.auth %}, sign-up and reset{% endif %} limits count in this cache. The per-process default
# serves one process only (gunicorn.conf.py refuses several workers with it), so the libraries'
# warnings about a cache that is not shared are silenced for it{% if cookiecutter.auth %}; Django's own Redis cache
# increments atomically, which django-ratelimit does not list yet{% endif %}.
SILENCED_SYSTEM_CHECKS = {% if cookiecutter.auth %}["django_ratelimit.W001"]{% else %}[]{% endif %}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    SILENCED_SYSTEM_CHECKS += ["axes.W001"{% if cookiecutter.auth %}, "django_ratelimit.E003"{% endif %}]

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out log-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
{%- if cookiecutter.auth %}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
{%- endif %}

# Failed log-ins (the site's and the admin's) are counted by django-axes in the cache, per
# account and per client address apart: LOGIN_FAILURE_LIMIT failures lock either out for
# LOGIN_COOLOFF_MINUTES (429). Shared by the workers through a shared cache (CACHE_URL).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "{{ cookiecutter.project_slug }}.clients.client_address"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_VERBOSE = False  # no start-up banner on every command
{%- if cookiecutter.auth %}

# Sign-ups and password-reset requests are limited by django-ratelimit, in the same cache
# (per client address, and per e-mail address for resets): 429 past the limit.
RATELIMIT_IP_META_KEY = "{{ cookiecutter.project_slug }}.clients.client_address"
RATELIMIT_VIEW = "{{ cookiecutter.project_slug }}.views.too_many_requests"
SIGNUP_RATE = env.str("SIGNUP_RATE", default="5/h")
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/h")

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587 (production requires it);
# development prints mails on the console, tests keep them in memory.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))  # EMAIL_BACKEND, EMAIL_HOST...
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
{%- endif %}

{%- if cookiecutter.i18n %}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
{%- else %}

LANGUAGE_CODE = "en-us"
{%- endif %}
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content Security Policy (django-csp): scripts, styles, images and fonts from the site itself
# only, no inline code, no framing, forms posted to the site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
{%- if cookiecutter.rest_api %}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # Counted with atomic increments in the cache: exact under concurrent requests.
    "DEFAULT_THROTTLE_CLASSES": [
        "{{ cookiecutter.project_slug }}.notes.throttling.AnonRateThrottle",
        "{{ cookiecutter.project_slug }}.notes.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="100/hour"),
        "user": env.str("API_THROTTLE_USER", default="1000/hour"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": NAME,
    "DESCRIPTION": DESCRIPTION,
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come with drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
{%- endif %}
