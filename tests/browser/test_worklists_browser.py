"""In Chromium: the worklist on a phone and by keyboard, the register sorted and exported as
shown, and an action that takes a while saying so and refusing a second press."""

import csv
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import demo_cases
from casework.models import Case, LetterKind, Status
from casework.services import letters
from tests.conftest import browser_sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("own_media"),
]


def test_hr_sorts_the_register_and_exports_what_it_shows(page):
    cases = [
        demo_cases.raise_concern(subject=subject)
        for subject in (("Daniel", "Shaw"), ("Ben", "Taylor"), ("Fiona", "MacLeod"))
    ]
    today = timezone.localdate()
    for case, days in zip(cases, (9, 2, 5), strict=True):
        Case.objects.filter(pk=case.pk).update(action_due_on=today + datetime.timedelta(days))
    browser_sign_in(page, "Hannah", "Reid")
    page.goto("/casework/cases/")
    page.get_by_role("link", name="Due").click()
    expect(page.get_by_role("columnheader", name="Due")).to_have_attribute("aria-sort", "ascending")
    shown = page.get_by_test_id("register-row").locator("td:first-child").all_inner_texts()
    assert shown == [cases[1].reference, cases[2].reference, cases[0].reference]
    assert "order=due" in page.url  # bookmarkable
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these cases (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(exported))
    assert [row[0] for row in rows[1:]] == shown
    page.get_by_role("link", name="Due").click()  # and back the other way
    expect(page.get_by_role("columnheader", name="Due")).to_have_attribute(
        "aria-sort", "descending"
    )


def test_the_worklist_fits_a_phone_and_a_task_is_taken_on_by_keyboard(page):
    case = demo_cases.raise_concern()
    page.set_viewport_size({"width": 390, "height": 844})
    browser_sign_in(page, "Hannah", "Reid")
    page.goto("/workflow/inbox/")
    row = page.get_by_test_id("worklist-row")
    expect(row).to_contain_text(case.reference)
    expect(row).to_contain_text("Daniel Shaw")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    claim = page.get_by_role(
        "button", name=f"Take it on: Acknowledge the concern, case {case.reference}"
    )
    claim.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Acknowledge the concern").first).to_be_visible()
    expect(page.get_by_test_id("task-facts")).to_be_visible()


def test_sending_a_letter_says_it_is_working_and_cannot_be_pressed_twice(page):
    case = demo_cases.case_at(Status.OUTCOME_ISSUED)
    letter = letters.issue_letter(case=case, by=demo_cases.hr(), kind=LetterKind.OUTCOME, inputs={})
    browser_sign_in(page, "Hannah", "Reid")
    page.goto(f"/casework/cases/{case.reference}/letters/{letter.pk}/")
    # Catch the page mid-send: each form the page lets go is counted, and held here.
    page.evaluate(
        """() => { window.sent = 0; window.addEventListener("submit", (event) => {
             if (!event.defaultPrevented) { window.sent += 1; } event.preventDefault(); }); }"""
    )
    page.get_by_label("E-mailed, with the PDF attached").check()
    page.get_by_role("button", name="Record the delivery").click()
    button = page.get_by_role("button", name="Sending…")
    expect(button).to_be_disabled()
    expect(page.locator("#cw-progress")).to_have_text("Working: please wait.")
    page.locator("form[action$='/deliver/']").evaluate("form => form.requestSubmit()")
    assert page.evaluate("window.sent") == 1
    # Without the script the server still records (and e-mails) one delivery per form.
    assert not letter.deliveries.exists()


def test_the_concern_form_refuses_an_oversized_file_and_a_failed_send_focuses_the_summary(
    page, settings
):
    settings.CASEWORK_EVIDENCE_MAX_BYTES = 1024
    browser_sign_in(page, "Priya", "Patel")
    page.goto("/casework/concerns/new/")
    expect(page.get_by_text("Each file up to 1.0\xa0KB")).to_be_visible()
    evidence = page.get_by_label("Evidence files")
    evidence.set_input_files(
        {"name": "big.png", "mimeType": "image/png", "buffer": b"\x89PNG" + b"0" * 4096}
    )
    expect(page.get_by_text("“big.png” is 5 KB: each file may be at most 1 KB.")).to_be_visible()
    assert evidence.evaluate("input => input.files.length") == 0
    page.get_by_role("button", name="Send the concern").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id").startswith("id_")
