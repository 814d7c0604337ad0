"""Shared fixtures (pytest-django also provides ``client``, ``admin_client``, ``django_user_model``...)."""
{% if cookiecutter.i18n %}
from pathlib import Path
{% endif %}
import pytest
from django.core.cache import cache
{%- if cookiecutter.i18n %}


def pytest_configure(config):
    """Compile the translations (.po -> .mo, with Babel) so the tests see the current texts."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    package = Path(__file__).parent.parent / "{{ cookiecutter.project_slug }}"
    for po in package.glob("locale/*/LC_MESSAGES/*.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)
{%- endif %}


@pytest.fixture
def password() -> str:
    return "a-Long-test-passw0rd"


@pytest.fixture
def user(django_user_model, password):
    return django_user_model.objects.create_user(
        username="alice", email="alice@example.com", password=password
    )
{%- if cookiecutter.rest_api %}


@pytest.fixture
def other_user(django_user_model, password):
    return django_user_model.objects.create_user(
        username="bob", email="bob@example.com", password=password
    )
{%- endif %}


@pytest.fixture(autouse=True)
def _clear_cache():
    """The limits (log-in failures{% if cookiecutter.auth %}, sign-ups, resets{% endif %}{% if cookiecutter.rest_api %}, API requests{% endif %}) count in the cache: start and
    end every test with it empty."""
    cache.clear()
    yield
    cache.clear()
