import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse


def test_login_and_signup_pages_render(client, db):
    for name in ("login", "signup"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert b'name="password' in response.content


def test_signup_creates_an_account_and_logs_it_in(client, db, password):
    response = client.post(
        reverse("signup"),
        {
            "username": "carol",
            "email": "carol@example.com",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = get_user_model().objects.get(username="carol")
    assert user.email == "carol@example.com"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_refuses_mismatched_passwords(client, db, password):
    response = client.post(
        reverse("signup"),
        {"username": "carol", "password1": password, "password2": password + "x"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not get_user_model().objects.filter(username="carol").exists()


def test_signup_refuses_a_taken_username(client, user, password):
    response = client.post(
        reverse("signup"),
        {"username": user.username, "password1": password, "password2": password},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_login_with_the_right_password(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_a_wrong_password(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, user):
    client.force_login(user)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_home_page_links_to_the_account_pages(client, db):
    html = client.get(reverse("home")).content.decode()

    assert reverse("login") in html
    assert reverse("signup") in html


def test_password_change(client, user, password):
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "An0ther-long-pass",
            "new_password2": "An0ther-long-pass",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("An0ther-long-pass")


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_by_e_mail(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+/)", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    form_page = client.get(link[1], follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Brand-new-passw0rd", "new_password2": "Brand-new-passw0rd"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Brand-new-passw0rd")


def test_password_reset_for_an_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


def log_in(client, username, password, address="192.0.2.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_failed_logins_lock_the_account_out_whatever_the_address(client, user, password):
    for i in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.username, "wrong", address=f"198.51.100.{i}")

    response = log_in(client, user.username, password, address="203.0.113.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_logins_lock_the_address_out_whatever_the_account(client, user, password):
    for i in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"guess{i}", "wrong", address="198.51.100.7")

    assert log_in(client, user.username, password, address="198.51.100.7").status_code == 429
    # Another client still logs in.
    assert log_in(Client(), user.username, password, address="198.51.100.8").status_code == 302


def signup(client, username, password, address):
    data = {"username": username, "password1": password, "password2": password}
    return client.post(reverse("signup"), data, REMOTE_ADDR=address)


def test_sign_ups_are_limited_per_address(client, db, password):
    limit = int(settings.SIGNUP_RATE.split("/")[0])
    for i in range(limit):
        assert signup(Client(), f"user{i}", password, "198.51.100.7").status_code == 302

    assert signup(client, "one_more", password, "198.51.100.7").status_code == 429
    assert not get_user_model().objects.filter(username="one_more").exists()
    assert signup(client, "elsewhere", password, "198.51.100.8").status_code == 302


def request_reset(client, email, address):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_reset_requests_are_limited_per_e_mail_address(client, user):
    limit = int(settings.PASSWORD_RESET_RATE.split("/")[0])
    for i in range(limit):
        # Any case, any client: the same account's mailbox.
        email = user.email.upper() if i % 2 else user.email
        assert request_reset(client, email, f"198.51.100.{i}").status_code == 302

    assert request_reset(client, user.email, "203.0.113.9").status_code == 429
    assert len(mail.outbox) == limit


def test_reset_requests_are_limited_per_client(client, user):
    limit = int(settings.PASSWORD_RESET_RATE.split("/")[0])
    for i in range(limit):
        assert request_reset(client, f"nobody{i}@example.com", "198.51.100.7").status_code == 302

    assert request_reset(client, user.email, "198.51.100.7").status_code == 429
    assert mail.outbox == []


def test_reset_links_name_an_allowed_host_only(client, user):
    # A forged Host is refused outright (ALLOWED_HOSTS) and nothing is mailed...
    response = client.post(
        reverse("password_reset"), {"email": user.email}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert mail.outbox == []
    # ...and X-Forwarded-Host is ignored unless USE_X_FORWARDED_HOST says a proxy sets it.
    client.post(
        reverse("password_reset"), {"email": user.email}, HTTP_X_FORWARDED_HOST="evil.example"
    )
    (message,) = mail.outbox
    assert "evil.example" not in str(message.body)
    assert re.search(r"https?://testserver/", str(message.body))


def change_password(client, old, new):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def is_logged_in(client):
    return client.get(reverse("password_change")).status_code == 200


def test_a_password_change_ends_every_other_session(client, user, password):
    other = Client()
    client.force_login(user)
    other.force_login(user)

    assert change_password(client, password, "An0ther-long-pass").status_code == 302

    assert is_logged_in(client)  # the session that changed it goes on
    assert not is_logged_in(other)


def test_a_password_reset_ends_every_session(client, user):
    sessions = [Client(), Client()]
    for session in sessions:
        session.force_login(user)
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/\S+/)", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    form_page = client.get(link[1], follow=True)
    new = "Brand-new-passw0rd"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    assert not any(is_logged_in(session) for session in sessions)
