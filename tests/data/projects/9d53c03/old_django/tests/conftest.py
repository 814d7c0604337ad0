"""Shared fixtures (pytest-django also provides ``client``, ``admin_client``, ``django_user_model``...)."""

import pytest


@pytest.fixture
def password() -> str:
    return "a-Long-test-passw0rd"


@pytest.fixture
def user(django_user_model, password):
    return django_user_model.objects.create_user(username="alice", email="alice@example.com", password=password)
