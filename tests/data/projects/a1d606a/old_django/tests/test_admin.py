import pytest


def test_admin_login_page_renders(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_admin_is_refused_to_anonymous_users(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_is_refused_to_users_who_are_not_staff(client, user):
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_can_log_in_to_the_admin(client, admin_user):
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "password"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
    ],
)
def test_project_models_are_registered(admin_client, url):
    assert admin_client.get(url).status_code == 200
