from django.urls import reverse
from django.utils import translation


def test_pages_are_served_in_french(client, db):
    response = client.get("/fr/")

    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Bienvenue ! Votre projet Django est opérationnel." in html


def test_pages_are_served_in_english(client, db):
    html = client.get("/en/").content.decode()

    assert "Welcome! Your Django project is up and running." in html


def test_the_browser_language_chooses_the_prefix(client, db):
    response = client.get("/", headers={"accept-language": "fr"})

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_urls_are_reversed_with_the_active_language():
    with translation.override("fr"):
        assert reverse("home") == "/fr/"


def test_the_language_menu_switches_language(client, db):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/en/"})

    assert response.status_code == 302
    assert response["Location"] == "/fr/"
