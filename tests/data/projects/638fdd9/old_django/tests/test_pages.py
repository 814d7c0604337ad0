from django.urls import reverse
from django.utils.html import escape

from old_django.project import DESCRIPTION, NAME


def test_home_page_shows_the_project_name_as_text(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{escape(NAME)}</h1>" in html
    assert f"<title>{escape(NAME)}</title>" in html
    for line in DESCRIPTION.splitlines():
        assert escape(line) in html


def test_pages_use_the_layout_with_local_styles_and_a_favicon(client, db):
    html = client.get(reverse("home")).content.decode()

    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert 'href="/static/favicon.svg"' in html
    assert "<footer" in html
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/static/favicon.svg").status_code == 200
    favicon = client.get("/favicon.ico")
    assert (favicon.status_code, favicon["Location"]) == (301, "/static/favicon.svg")


def test_missing_pages_use_the_project_layout(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "/static/css/site.css" in html
    assert f"<title>Page not found · {escape(NAME)}</title>" in html


def test_error_pages_render(rf, db):
    from django.views import defaults

    request = rf.get("/")
    assert b"/static/css/site.css" in defaults.permission_denied(request, Exception()).content
    assert b"/static/css/site.css" in defaults.server_error(request).content
