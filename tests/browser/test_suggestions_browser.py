"""Clause suggestions in a real browser: they arrive as the reporter types, under the
site's Content-Security-Policy, and bring up the questions they bear on."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.demo_cases import person
from casework.models import Case
from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def suggested(page):
    return page.locator(".cw-clauses__list--suggested strong")


def test_suggestions_arrive_as_the_reporter_types_and_bring_up_the_questions(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    browser_sign_in(page, "Priya", "Patel")
    page.goto("/casework/concerns/new/")
    personal_data = page.get_by_label("It shows a colleague's picture", exact=False)
    expect(personal_data).to_be_hidden()  # asked only when it bears on the concern

    box = page.get_by_label("What did you see?")
    box.fill("Someone screenshotted an internal email about a colleague's disciplinary.")
    expect(suggested(page).first).to_have_text("DONT-5")
    expect(page.locator("[data-cw-prompt='data-protection']")).to_be_visible()
    expect(personal_data).to_be_visible()

    box.fill("A teacher has been messaging a Year 9 pupil on Snapchat late at night.")
    expect(suggested(page).first).to_have_text("DONT-4")
    expect(page.locator("[data-cw-prompt='safeguarding']")).to_be_visible()
    pupils = page.locator(".cw-field--prompted")
    expect(pupils).to_contain_text("Are any pupils involved?")
    # The rest of the policy is one click away.
    page.get_by_text("The other parts of the policy (18)").click()
    expect(page.get_by_text("DO-6", exact=True)).to_be_visible()
    assert errors == []  # nothing refused by the Content-Security-Policy


def test_a_ticked_suggestion_is_sent_with_the_concern_as_followed(page):
    browser_sign_in(page, "Priya", "Patel")
    page.goto("/casework/concerns/new/")
    page.get_by_label("Who is the concern about?").select_option(
        value=str(person("Daniel", "Shaw").pk)
    )
    page.get_by_label("When was it posted or seen?").fill(
        (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    )
    page.get_by_label("A personal account").check()
    page.get_by_label("What did you see?").fill(
        "Mr Jones put a photo of his colleague asleep in the staffroom on Instagram."
    )
    expect(suggested(page).first).to_have_text("DO-5")
    page.locator(".cw-clauses__list--suggested input").first.check()
    page.get_by_label("No pupils are involved").check()
    page.get_by_role("button", name="Send the concern").click()
    expect(
        page.get_by_role("heading", name="Thank you: your concern has been received")
    ).to_be_visible()
    case = Case.objects.get()
    (example,) = case.clause_examples.all()
    assert example.clause.code == "DO-5" and example.followed is True
