"""Shared fixtures (pytest-django also provides ``client``, ``admin_client``, ``django_user_model``...)."""

import pytest
{%- if cookiecutter.rest_api %}
from django.core.cache import cache
{%- endif %}


@pytest.fixture
def password() -> str:
    return "a-Long-test-passw0rd"


@pytest.fixture
def user(django_user_model, password):
    return django_user_model.objects.create_user(username="alice", email="alice@example.com", password=password)
{%- if cookiecutter.rest_api %}


@pytest.fixture
def other_user(django_user_model, password):
    return django_user_model.objects.create_user(username="bob", email="bob@example.com", password=password)


@pytest.fixture(autouse=True)
def _clear_cache():
    """API throttling counts requests in the cache: start and end every test with it empty."""
    cache.clear()
    yield
    cache.clear()
{%- endif %}
