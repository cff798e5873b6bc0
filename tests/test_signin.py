"""Signing in, out and resetting a password."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from casework import demo
from casework.demo_cases import raise_concern
from casework.models import StaffMember
from casework.permissions import HR_TASKS
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


def test_a_permission_given_through_djangos_tables_opens_no_queue(client):
    """Roles are the only permissions: a headteacher given the HR queue's permission
    directly, as the admin's tables would allow, still sees no HR work in their worklist,
    signed in as anyone is."""
    raise_concern()  # waits in HR's shared queue
    teacher = StaffMember.objects.get(email=demo.email_for("Helen", "Carter"))
    app_label, codename = HR_TASKS.split(".")
    permission = Permission.objects.create(
        codename=codename,
        name="HR case work",
        content_type=ContentType.objects.get_by_natural_key(app_label, "case"),
    )
    teacher.user.user_permissions.add(permission)
    signed_in = client.post(
        "/accounts/login/", {"username": teacher.email, "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 302
    inbox = client.get(reverse("workflow:inbox"))
    assert inbox.status_code == 200, inbox.status_code
    assert inbox.context["rows"] == []
    assert "0 yours, 0 in the queue" in client.get(reverse("casework:register")).content.decode()
    assert not StaffMember.objects.get(pk=teacher.pk).user.has_perm(HR_TASKS)
