"""Screen privacy: one click or one shortcut blanks the screen at once."""

import pytest
from playwright.sync_api import expect

from casework.demo_cases import case_at
from casework.models import Status
from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def test_the_hide_button_covers_the_case_until_asked_to_show_it_again(page):
    case = case_at(Status.TRIAGE)
    browser_sign_in(page, "Hannah", "Reid")
    page.goto(f"/casework/cases/{case.reference}/")
    name = page.get_by_text("Daniel Shaw").first
    expect(name).to_be_visible()
    title = page.title()
    assert case.reference in title

    page.get_by_role("button", name="Hide screen").click()
    cover = page.get_by_role("dialog", name="Screen hidden")
    expect(cover).to_be_visible()
    expect(name).to_be_hidden()
    assert page.title() == "Casework"  # the tab says nothing either
    cover.screenshot()  # the cover is on screen, in front of everything

    page.get_by_role("button", name="Show the page again").click()
    expect(cover).to_be_hidden()
    expect(name).to_be_visible()
    assert page.title() == title


def test_the_keyboard_shortcut_hides_the_screen_even_while_typing(page):
    browser_sign_in(page, "Aisha", "Khan")
    page.goto("/casework/concerns/new/")
    box = page.get_by_label("What did you see?")
    box.fill("A post about a pupil's family")
    box.press("Control+Shift+H")
    cover = page.get_by_role("dialog", name="Screen hidden")
    expect(cover).to_be_visible()
    expect(box).to_be_hidden()
    # Typing goes nowhere while hidden; Enter on the focused button brings the page back.
    page.keyboard.type("xyz")
    page.keyboard.press("Enter")
    expect(cover).to_be_hidden()
    expect(box).to_have_value("A post about a pupil's family")


def test_the_sign_in_page_has_no_hide_button(page):
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Hide screen")).to_have_count(0)
