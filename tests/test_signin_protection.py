"""Sign-in protection: lockout after repeated failures, and sessions that end when left idle."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import demo
from casework.models import AuditEvent, RecognisedBrowser
from casework.signin import BROWSER_COOKIE
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

HELEN = demo.email_for("Helen", "Carter")
OFFICE = "198.51.100.10"
ELSEWHERE = "203.0.113.77"


def attempt(client, email: str, password: str, address: str = OFFICE):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def fail_until_locked(client, email: str = HELEN, address: str = OFFICE):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, email, "not-the-password", address)
    return response


def travel_to(moment: datetime.datetime):
    patches = [
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("axes.attempts.now", return_value=moment),
        mock.patch("axes.handlers.proxy.now", return_value=moment),
    ]
    for patch in patches:
        patch.start()
    return patches


def test_repeated_failures_lock_the_sign_in_with_a_clear_message(client):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, HELEN, "not-the-password")
        assert response.status_code == 200
        assert "do not match a Casework sign-in" in response.content.decode()

    response = attempt(client, HELEN, "not-the-password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many unsuccessful attempts to sign in" in page
    assert "sign-in is paused for 15 minutes" in page
    assert 'name="password"' in page  # the sign-in page, not a bare refusal

    # Now even the right password is refused, and nobody is signed in.
    response = attempt(client, HELEN, DEMO_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_ignores_capitals_in_the_email_address(client):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, HELEN.upper() if n % 2 else HELEN, "not-the-password")
    assert attempt(client, HELEN, DEMO_PASSWORD).status_code == 429


def test_the_lockout_is_per_address_so_nobody_can_lock_a_colleague_out_from_elsewhere(client):
    fail_until_locked(client, address=ELSEWHERE)
    assert attempt(client, HELEN, DEMO_PASSWORD, ELSEWHERE).status_code == 429
    # Helen at her own desk, and a colleague at the locked-out address, still sign in.
    assert attempt(client, HELEN, DEMO_PASSWORD, OFFICE).status_code == 302
    client.post("/accounts/logout/")
    other = demo.email_for("Michael", "Okafor")
    assert attempt(client, other, DEMO_PASSWORD, ELSEWHERE).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client):
    fail_until_locked(client)
    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)
    patches = travel_to(later)
    try:
        assert attempt(client, HELEN, DEMO_PASSWORD).status_code == 302
    finally:
        for patch in patches:
            patch.stop()


def test_failed_sign_ins_and_the_lockout_are_in_the_audit_trail(client):
    fail_until_locked(client)
    failures = AuditEvent.objects.filter(action="signin.failed")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert {e.client_address for e in failures} == {OFFICE}
    assert {e.details["email"] for e in failures} == {HELEN}
    locked = AuditEvent.objects.get(action="signin.locked_out")
    assert locked.client_address == OFFICE
    assert "not-the-password" not in str([e.details for e in AuditEvent.objects.all()])


def test_a_page_view_rewrites_the_session_only_once_a_minute(client):
    """The idle timer restarts with use without a write to the database on every page."""
    start = timezone.now()
    assert attempt(client, HELEN, DEMO_PASSWORD).status_code == 302

    def session_writes(at: datetime.datetime) -> int:
        patches = travel_to(at)
        try:
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/").status_code == 200
        finally:
            for patch in patches:
                patch.stop()
        return sum('UPDATE "django_session"' in q["sql"] for q in captured.captured_queries)

    refresh = datetime.timedelta(seconds=settings.CASEWORK_SESSION_REFRESH_SECONDS)
    assert session_writes(start + refresh / 2) == 0
    assert session_writes(start + refresh + datetime.timedelta(seconds=1)) == 1
    assert session_writes(start + refresh + datetime.timedelta(seconds=2)) == 0


def test_a_session_ends_after_the_idle_period_but_not_while_in_use(client):
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert idle == datetime.timedelta(minutes=30)
    start = timezone.now()
    assert attempt(client, HELEN, DEMO_PASSWORD).status_code == 302

    patches = travel_to(start + idle - datetime.timedelta(minutes=1))
    try:
        assert client.get("/").status_code == 200  # in use: the idle timer starts again
    finally:
        for patch in patches:
            patch.stop()
    patches = travel_to(start + 2 * idle - datetime.timedelta(minutes=3))
    try:
        assert client.get("/").status_code == 200
    finally:
        for patch in patches:
            patch.stop()
    patches = travel_to(start + 3 * idle)
    try:
        response = client.get("/casework/cases/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    finally:
        for patch in patches:
            patch.stop()


def test_session_and_csrf_cookies_are_not_readable_by_script(client):
    response = attempt(client, HELEN, DEMO_PASSWORD)
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY


# --- Limits across addresses and across accounts, and browsers that pass them ---------------


def stranger() -> Client:
    return Client()


def signed_in_before(email: str = HELEN, address: str = OFFICE) -> Client:
    """A browser the person has signed in with, then signed out of: it is recognised."""
    browser = Client()
    assert attempt(browser, email, DEMO_PASSWORD, address).status_code == 302
    assert BROWSER_COOKIE in browser.cookies
    browser.post("/accounts/logout/")
    return browser


def test_the_documented_sign_in_limits():
    assert settings.CASEWORK_SIGNIN_ACCOUNT_FAILURE_LIMIT == 10
    assert settings.CASEWORK_SIGNIN_ADDRESS_FAILURE_LIMIT == 30
    assert settings.CASEWORK_SIGNIN_BROWSER_DAYS == 90


def test_spraying_one_password_across_many_accounts_from_one_address_is_stopped():
    client = stranger()
    for n in range(settings.CASEWORK_SIGNIN_ADDRESS_FAILURE_LIMIT):
        response = attempt(client, f"guess{n}@stclare.example", "Summer2026!", ELSEWHERE)
        assert response.status_code == 200, n
    response = attempt(client, demo.email_for("Michael", "Okafor"), "Summer2026!", ELSEWHERE)
    assert response.status_code == 429
    assert "from this network, with several e-mail addresses" in response.content.decode()
    # Even the right password is refused from there, to a browser not recognised...
    assert attempt(stranger(), HELEN, DEMO_PASSWORD, ELSEWHERE).status_code == 429
    # ...and the same person elsewhere is not held back.
    assert attempt(stranger(), HELEN, DEMO_PASSWORD, OFFICE).status_code == 302


def test_one_account_attacked_from_many_addresses_is_stopped():
    limit = settings.CASEWORK_SIGNIN_ACCOUNT_FAILURE_LIMIT
    for n in range(limit):
        assert (
            attempt(stranger(), HELEN, "not-the-password", f"203.0.113.{n + 1}").status_code == 200
        )
    response = attempt(stranger(), HELEN, DEMO_PASSWORD, "203.0.113.200")
    assert response.status_code == 429
    assert "with this e-mail address, from more than one place" in response.content.decode()
    locked = AuditEvent.objects.filter(action="signin.locked_out").last()
    assert locked.details["limit"] == "account"


def test_a_stranger_on_the_same_network_cannot_keep_a_person_out_of_their_own_browser():
    helens_browser = signed_in_before(HELEN, OFFICE)
    fail_until_locked(stranger(), HELEN, OFFICE)  # the pair: her e-mail, the school's address
    for n in range(settings.CASEWORK_SIGNIN_ACCOUNT_FAILURE_LIMIT):  # and from everywhere
        attempt(stranger(), HELEN, "not-the-password", f"203.0.113.{n + 1}")
    assert attempt(stranger(), HELEN, DEMO_PASSWORD, OFFICE).status_code == 429
    response = attempt(helens_browser, HELEN, DEMO_PASSWORD, OFFICE)
    assert response.status_code == 302
    assert "_auth_user_id" in helens_browser.session


def test_a_recognised_browser_has_its_own_allowance_of_wrong_passwords():
    browser = signed_in_before(HELEN, OFFICE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert attempt(browser, HELEN, "not-the-password", OFFICE).status_code == 200
    recognised = RecognisedBrowser.objects.get(user__email=HELEN)
    assert recognised.failures == settings.AXES_FAILURE_LIMIT
    # No longer recognised: its further failures count as anyone's do, and lock it out.
    assert fail_until_locked(browser, HELEN, OFFICE).status_code == 429


def test_a_browser_is_recognised_only_for_whoever_signed_in_with_it():
    browser = signed_in_before(HELEN, OFFICE)
    other = demo.email_for("Michael", "Okafor")
    fail_until_locked(stranger(), other, OFFICE)
    assert attempt(browser, other, DEMO_PASSWORD, OFFICE).status_code == 429
    cookie = browser.cookies[BROWSER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert not RecognisedBrowser.objects.filter(token_sha256=cookie.value).exists()  # hashed
