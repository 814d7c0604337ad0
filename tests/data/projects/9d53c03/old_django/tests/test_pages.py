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
