"""In Chromium: a designated safeguarding lead's home page shows the review due, with the
time left, and opens it."""

import re

import pytest
from playwright.sync_api import Page, expect

from casework.demo_cases import case_at
from casework.models import Status
from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def test_a_dsl_sees_the_review_due_on_their_home_page_and_opens_it(page: Page):
    case = case_at(Status.SAFEGUARDING_REVIEW)  # Daniel Shaw, St Thomas More
    browser_sign_in(page, "Rachel", "Green")
    safeguarding = page.get_by_role("region", name="Safeguarding")
    expect(safeguarding).to_be_visible()
    figure = safeguarding.get_by_role("link", name=re.compile(r"^1 Safeguarding reviews due$"))
    expect(figure).to_be_visible()
    expect(safeguarding.get_by_text(re.compile(r"\d+ hours? left|Overdue"))).to_be_visible()

    # The figure opens the list behind it: exactly this case.
    figure.click()
    expect(page).to_have_url(re.compile(r"/casework/cases/\?.*status=safeguarding_review"))
    expect(page.get_by_text("1 case", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()

    # And from home, the case itself.
    page.go_back()
    page.get_by_role("region", name="Safeguarding").get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(re.compile(rf"/casework/cases/{case.reference}/$"))
    expect(page.get_by_text(f"Case {case.reference}").first).to_be_visible()
