"""Signing in, out and resetting a password."""

import re

import pytest
from django.core import mail

from casework import demo
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_but_sign_in_needs_a_sign_in(client):
    for url in ["/", "/casework/policy/", "/workflow/inbox/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_a_demo_user_signs_in_with_their_email_in_any_case(client):
    response = client.post(
        "/accounts/login/",
        {"username": "Helen.Carter@StClare.example", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    home = client.get("/")
    assert "Welcome, Helen" in home.content.decode()


def test_a_wrong_password_gets_a_clear_message(client):
    response = client.post(
        "/accounts/login/",
        {"username": demo.email_for("Helen", "Carter"), "password": "not-the-password"},
    )
    assert response.status_code == 200
    assert "do not match a Casework sign-in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post_and_ends_the_session(sign_in):
    client = sign_in("Helen", "Carter")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_home_lists_only_what_the_person_can_do(sign_in):
    page = sign_in("Tom", "Brennan").get("/").content.decode()
    assert "Read the social media policy" in page
    assert "My tasks" not in page  # holds no casework role
    assert "Administration" not in page


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    address = demo.email_for("Aisha", "Khan")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": address})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [address]
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new_password = "a-new-and-long-passphrase"
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert client.login(username=address, password=new_password)


def test_password_reset_for_an_unknown_address_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
