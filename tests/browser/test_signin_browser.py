"""Signing in through the real form, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def test_a_demo_user_signs_in_and_sees_their_home_page(page):
    browser_sign_in(page, "Hannah", "Reid")
    expect(page.get_by_role("heading", name="Welcome, Hannah")).to_be_visible()
    expect(page.get_by_text("Read the social media policy")).to_be_visible()
    page.get_by_role("link", name="Read the social media policy").first.click()
    expect(page.get_by_text("This policy is overdue for review.")).to_be_visible()


def test_a_wrong_password_gets_a_clear_message(page):
    browser_sign_in(page, "Hannah", "Reid", password="wrong-password-123")
    expect(page.get_by_role("alert")).to_contain_text("do not match a Casework sign-in")
    expect(page).to_have_url("/accounts/login/")
