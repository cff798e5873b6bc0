"""In Chromium: HR reads a draft letter on screen, issues it and e-mails it."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from casework import demo_cases
from casework.models import Letter, Status

from .conftest import browser_sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("own_media"),
]


def test_hr_reads_the_draft_then_issues_and_emails_it(page):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    clause = case.allegations.get().clause
    browser_sign_in(page, "Hannah", "Reid")

    page.goto(f"/casework/cases/{case.reference}/")
    page.get_by_role("link", name="Prepare, issue and deliver letters").click()
    page.get_by_role("link", name="Disciplinary hearing invitation").click()

    draft = page.frame_locator("iframe[title='Draft of the letter']")
    expect(
        draft.get_by_role("heading", name="Invitation to a disciplinary hearing")
    ).to_be_visible()
    expect(draft.get_by_text(clause.text)).to_be_visible()
    assert draft.locator("body").evaluate("body => getComputedStyle(body).fontFamily") == (
        '"Liberation Serif"'
    )

    page.get_by_role("button", name="Issue the letter").click()
    expect(
        page.get_by_text("Read the draft, then tick this box to issue it.", exact=True)
    ).to_be_visible()
    assert not Letter.objects.exists()

    page.get_by_label("I have read the draft and it is ready to issue").check()
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_role("heading", name="Disciplinary hearing invitation")).to_be_visible()
    expect(
        page.get_by_text("Letter issued: Disciplinary hearing invitation.").first
    ).to_be_visible()

    page.get_by_label("E-mailed, with the PDF attached").check()
    page.get_by_role("button", name="Record the delivery").click()
    expect(
        page.get_by_text(f"E-mailed, with the PDF attached to {case.subject.email}")
    ).to_be_visible()
    letter = Letter.objects.get()
    assert letter.deliveries.get().method == "email"
    letters_sent = [message for message in mail.outbox if message.attachments]
    assert [message.to for message in letters_sent] == [[case.subject.email]]
