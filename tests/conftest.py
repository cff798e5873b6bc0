"""Shared fixtures: the policy and demo people once per test database, sign-ins, a browser."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.test import override_settings

from casework import demo
from casework.models import Hearing, StaffMember, Trust, User
from casework.services.hearings import current_hearing
from tests import fuzzing

# Before any test module builds its hypothesis settings: they inherit from the profile.
fuzzing.load_profile()

# Playwright's synchronous API keeps an event loop running in the test thread; Django's
# ORM calls from that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DEMO_PASSWORD = settings.CASEWORK_DEMO_PASSWORD


@pytest.fixture(scope="session", autouse=True)
def private_files(tmp_path_factory):
    """Evidence and letters written by the tests go to a temporary folder, not var/media."""
    location = tmp_path_factory.mktemp("media")
    storages = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": location}},
    }
    # override_settings tells Django's storage registry to start afresh.
    with override_settings(MEDIA_ROOT=location, STORAGES=storages):
        yield location


@pytest.fixture(scope="session", autouse=True)
def tasks_run_at_once():
    """Outside the tests e-mail waits in the database for the worker; here each task runs as
    soon as it is queued, so a test sees what was sent (tests/test_mail.py runs the worker)."""
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session", autouse=True)
def audit_seals(tmp_path_factory):
    """Seals written by the tests go to a temporary folder, not var/audit-seals."""
    with override_settings(CASEWORK_AUDIT_SEAL_DIR=tmp_path_factory.mktemp("audit-seals")):
        yield


@pytest.fixture(autouse=True)
def seals_of_this_test(tmp_path):
    """Each test's seals in a folder of its own: a seal must not outlive the rolled-back
    test whose events it sealed."""
    with override_settings(CASEWORK_AUDIT_SEAL_DIR=tmp_path / "audit-seals"):
        yield


_postgres_flush = PostgresOperations.execute_sql_flush


def _flush_past_the_append_only_triggers(self, sql_list):
    # Tests on a live server empty the database between tests; the audit trail and letters
    # refuse TRUNCATE, so the flush sets their triggers aside as only a database superuser
    # can, for its own transaction.
    return _postgres_flush(self, ["SET LOCAL session_replication_role = replica", *sql_list])


PostgresOperations.execute_sql_flush = _flush_past_the_append_only_triggers


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the policy and the demonstration people."""
    # A fast hasher: the suite creates dozens of sign-ins; production keeps Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        seed_reference_data()


def seed_reference_data():
    with open(os.devnull, "w") as quiet:
        call_command("load_policy", verbosity=0, stdout=quiet)
        call_command(
            "seed_demo", force=True, without_cases=True, first_trust_only=True, stdout=quiet
        )


@pytest.fixture
def second_trust(db) -> Trust:
    """The demo's second trust, Our Lady of Walsingham, with its schools, people, imported
    policy and saved settings (no cases): the reference data holds St Clare's only."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", force=True, without_cases=True, stdout=quiet)
    return Trust.objects.get(name=demo.WALSINGHAM.name)


@pytest.fixture
def reseed(transactional_db):
    """Tests on a live server flush the database; they put the reference data back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_reference_data()


def staff(first: str, last: str) -> StaffMember:
    """A demo person, of either trust."""
    return StaffMember.objects.select_related("user", "school").get(
        email=demo.demo_email(first, last)
    )


def user(first: str, last: str) -> User:
    return staff(first, last).user


def follow_page_link(client, response, rel: str):
    """The page a list's "Next" (rel="next") or "Previous" (rel="prev") link leads to,
    after checking the page shows that very link."""
    page = response.context["page"]
    parameters = page.next_parameters if rel == "next" else page.previous_parameters
    query = response.context["query"]
    link = f"?{query}{'&' if query and parameters else ''}{parameters}"
    assert f'rel="{rel}" href="{link.replace("&", "&amp;")}"' in response.content.decode()
    followed = client.get(response.request["PATH_INFO"] + link)
    assert followed.status_code == 200
    return followed


@pytest.fixture
def sign_in(client):
    """sign_in("Hannah", "Reid") signs the test client in as that demo person."""

    def _sign_in(first: str, last: str):
        client.force_login(user(first, last))
        return client

    return _sign_in


@pytest.fixture
def own_media(settings, tmp_path):
    """Files this test stores go to a folder of its own, so what it leaves behind can be
    counted."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": settings.MEDIA_URL},
        },
    }
    return root


@pytest.fixture
def hold_hearing(time_machine):
    """hold_hearing(case) moves the clock to two hours after the case's hearing (or, with
    kind=Hearing.Kind.APPEAL, its appeal hearing) starts: the chair may now decide."""

    def _hold(case, kind=Hearing.Kind.DISCIPLINARY):
        hearing = current_hearing(case, kind)
        time_machine.move_to(hearing.starts_at + datetime.timedelta(hours=2))

    return _hold


# --- Browser tests -------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, reseed, request):
    """A fresh browser tab on the live server; a screenshot is kept if the test fails."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def browser_sign_in(page, first: str, last: str, password: str = DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(demo.demo_email(first, last))
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
