"""One whole journey in Chromium, across roles: from "Report a concern" to the
headteacher's sign-off, each person acting through the pages they would use."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.demo_cases import clause, person
from casework.models import Case, Status
from casework.workdays import Calendar, procedure
from tests.conftest import browser_sign_in
from tests.trusts import demo_trust_id

pytestmark = pytest.mark.browser


def field(page: Page, label: str):
    """A form field by its label, which may end "(optional)"."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(optional\))?$"))


def pk(first: str, last: str) -> str:
    return str(person(first, last).pk)


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def open_case(page: Page, reference: str) -> None:
    page.goto(f"/casework/cases/{reference}/")
    expect(page.get_by_text(f"Case {reference}").first).to_be_visible()


def act_on_case(page: Page, reference: str) -> None:
    """From the case page, follow "Act on this" (claiming the task from a queue if needed)."""
    open_case(page, reference)
    page.get_by_role("link", name="Act on this").click()
    if "/assign/" in page.url:
        page.get_by_role("button", name="Assign and continue").click()
    expect(page).to_have_url(re.compile(r"/execute/$"))


def submit(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).click()


def test_a_concern_travels_from_report_to_the_headteachers_sign_off(page: Page, hold_hearing):
    # A teacher reports a concern about a colleague.
    browser_sign_in(page, "Aisha", "Khan")
    page.get_by_role("link", name="Report a concern").first.click()
    field(page, "Who is the concern about?").select_option(value=pk("Tom", "Brennan"))
    field(page, "When was it posted or seen?").fill(
        (timezone.localdate() - timezone.timedelta(days=3)).isoformat()
    )
    field(page, "Platform").select_option(label="Instagram")
    page.get_by_label("A personal account").check()
    field(page, "What did you see?").fill(
        "Photos of three colleagues at the staff Christmas meal, posted publicly without asking."
    )
    field(page, "Links").fill("https://www.instagram.com/p/example")
    page.get_by_role("checkbox", name=re.compile(r"\bDO-5:")).check()
    page.get_by_label("No pupils are involved").check()
    submit(page, "Send the concern")
    expect(
        page.get_by_role("heading", name="Thank you: your concern has been received")
    ).to_be_visible()
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"SM-\d{4}-\d{4}", reference)
    page.get_by_role("link", name="My reports").first.click()
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text("Received")
    sign_out(page)

    # HR takes it on from the shared queue, frames the allegation and opens an investigation.
    browser_sign_in(page, "Hannah", "Reid")
    act_on_case(page, reference)
    submit(page, "Take it on and begin triage")
    expect(page.get_by_test_id("case-status")).to_have_text("Triage")
    act_on_case(page, reference)
    page.get_by_role("link", name="Add an allegation").click()
    field(page, "Clause of the policy").select_option(value=str(clause("DO-5").pk))
    field(page, "Particulars").fill(
        "On 20 November posted photos of colleagues on a public Instagram account without "
        "their permission."
    )
    submit(page, "Add the allegation")
    expect(page).to_have_url(re.compile(r"/execute/$"))
    expect(page.get_by_text("Respect the privacy of others")).to_be_visible()
    page.get_by_label("Formal investigation").check()
    field(page, "Reasons").fill("The facts need establishing before anything else.")
    submit(page, "Record the triage decision")
    expect(page.get_by_test_id("case-status")).to_have_text("Investigation — officer to appoint")

    act_on_case(page, reference)
    field(page, "Investigating officer").select_option(value=pk("David", "Nwosu"))
    field(page, "Terms of reference").fill(
        "Establish who posted the photos and whether consent was given."
    )
    submit(page, "Appoint")
    expect(page.get_by_test_id("case-status")).to_have_text("Investigation")
    sign_out(page)

    # The investigating officer reports.
    browser_sign_in(page, "David", "Nwosu")
    act_on_case(page, reference)
    field(page, "Summary").fill("Tom Brennan accepts posting the photos; no colleague was asked.")
    page.get_by_label("Upheld", exact=True).check()
    field(page, "Reasons for allegation 1").fill("Admitted at interview; screenshots match.")
    page.get_by_label("A disciplinary hearing").check()
    submit(page, "Submit the report")
    expect(page.get_by_test_id("case-status")).to_have_text("Investigation report to consider")
    sign_out(page)

    # HR refers it to a hearing and arranges it with proper notice.
    browser_sign_in(page, "Hannah", "Reid")
    act_on_case(page, reference)
    page.get_by_label("Refer to a disciplinary hearing").check()
    field(page, "Reasons").fill("There is a case to answer.")
    submit(page, "Record the decision")
    act_on_case(page, reference)
    case = Case.objects.get(reference=reference)
    hearing_day = Calendar.of_case(case).add_working_days(
        timezone.localdate(), procedure("HEARING_NOTICE_WORKING_DAYS", trust=demo_trust_id())
    )
    field(page, "Chair").select_option(value=pk("Michael", "Okafor"))
    field(page, "Date").fill(hearing_day.isoformat())
    field(page, "Time").fill("10:00")
    field(page, "Location").fill("Meeting room 2, St Clare House")
    field(page, "Accompanied by").select_option(label="A trade union representative")
    field(page, "Companion's name").fill("Jo Marsh")
    submit(page, "Arrange the hearing")
    expect(page.get_by_test_id("case-status")).to_have_text("Hearing scheduled")
    sign_out(page)

    # The hearing is held; afterwards the chair records the decision.
    hold_hearing(case)
    browser_sign_in(page, "Michael", "Okafor")
    act_on_case(page, reference)
    page.get_by_label("Attended", exact=True).check()  # Tom came, with his companion
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Upheld", exact=True).check()
    field(page, "Reasons for allegation 1").fill("Admitted, and the photos are public.")
    field(page, "Outcome").select_option(label="First written warning")
    field(page, "Reasons for the outcome").fill("A clear breach of DO-5, admitted, first matter.")
    submit(page, "Record the decision")
    expect(page.get_by_test_id("case-status")).to_have_text("Awaiting sign-off")
    sign_out(page)

    # The headteacher of Tom's school signs the outcome off.
    browser_sign_in(page, "Helen", "Carter")
    act_on_case(page, reference)
    expect(page.get_by_text("First written warning").first).to_be_visible()
    page.get_by_label("Approve the outcome").check()
    submit(page, "Record my decision")
    expect(page.get_by_test_id("case-status")).to_have_text("Signed off — outcome to issue")
    expect(page.get_by_text("Helen Carter (Headteacher)")).to_be_visible()

    case.refresh_from_db()
    assert case.status == Status.SIGNED_OFF
    assert case.sign_offs.get().signed_by.full_name == "Helen Carter"


def test_a_cross_school_report_reaches_the_subjects_school_and_no_other(page: Page):
    # A St Bernadette's teacher reports a Holy Family teacher; the school follows the person.
    browser_sign_in(page, "Tom", "Brennan")
    page.get_by_role("link", name="Report a concern").first.click()
    field(page, "Who is the concern about?").select_option(value=pk("Laura", "Bennett"))
    expect(field(page, "Which school does it concern?")).to_have_value("")
    field(page, "When was it posted or seen?").fill(
        (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    )
    field(page, "Platform").select_option(label="Snapchat")
    page.get_by_label("A personal account").check()
    field(page, "What did you see?").fill("Snapchat messages to a Year 5 pupil, asking to meet.")
    page.get_by_role("checkbox", name=re.compile(r"\bDONT-4:")).check()
    page.get_by_label("A current pupil is involved").check()
    # Choosing another school is explicit: the page asks the reporter to confirm it.
    field(page, "Which school does it concern?").select_option(
        label="St Bernadette's Catholic Primary School"
    )
    submit(page, "Send the concern")
    expect(page.get_by_text("Laura Bennett works at Holy Family").first).to_be_visible()
    field(page, "Which school does it concern?").select_option(value="")
    submit(page, "Send the concern")
    expect(
        page.get_by_role("heading", name="Thank you: your concern has been received")
    ).to_be_visible()
    reference = page.get_by_test_id("reference").inner_text()
    sign_out(page)

    # Holy Family's DSL has it, in their tasks and on the case page.
    browser_sign_in(page, "James", "Reilly")
    open_case(page, reference)
    expect(page.get_by_test_id("case-school")).to_have_text("Holy Family Catholic Primary School")
    expect(page.get_by_test_id("case-status")).to_have_text("Safeguarding review")
    expect(page.get_by_role("link", name="Act on this")).to_be_visible()
    sign_out(page)

    # St Bernadette's headteacher and DSL are told nothing exists.
    for first, last in (("Helen", "Carter"), ("David", "Nwosu")):
        browser_sign_in(page, first, last)
        response = page.goto(f"/casework/cases/{reference}/")
        assert response.status == 404
        sign_out(page)
    case = Case.objects.get(reference=reference)
    assert case.school.name == "Holy Family Catholic Primary School"
    assert case.safeguarding_lead.full_name == "James Reilly"
