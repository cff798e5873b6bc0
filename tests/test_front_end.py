"""What every page loads: viewflow's Material frontend and Casework's own script, without
the libraries Casework does not use (Hotwire Turbo, vis-network, a second perfect-scrollbar),
and without breaking what viewflow's components do with them."""

import re

import pytest
from playwright.sync_api import expect

from casework.demo_cases import case_at, raise_concern
from casework.models import Status
from tests.conftest import browser_sign_in

pytestmark = pytest.mark.django_db

UNUSED = ("turbo.es2017-umd.js", "vis-network", "perfect-scrollbar.min.js")


def scripts(html: str) -> list[str]:
    return re.findall(r'<script[^>]+src="([^"]+)"', html)


@pytest.mark.parametrize("address", ["/", "/casework/cases/", "/workflow/queue/"])
def test_pages_load_only_the_scripts_casework_uses(sign_in, address):
    page = sign_in("Hannah", "Reid").get(address, follow=True)
    assert page.status_code == 200
    loaded = scripts(page.content.decode())
    assert any(src.endswith("viewflow/js/viewflow.min.js") for src in loaded)
    assert any(src.endswith("casework/casework.js") for src in loaded)
    assert not [src for src in loaded if any(name in src for name in UNUSED)]


@pytest.mark.browser
def test_the_old_queue_address_opens_the_worklist_and_no_page_raises_a_script_error(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    case = case_at(Status.TRIAGE)
    raise_concern(subject=("Ben", "Taylor"))  # waiting in the HR queue
    browser_sign_in(page, "Marcus", "Obi")
    for address in ("/", "/casework/cases/", f"/casework/cases/{case.reference}/"):
        page.goto(address)
        expect(page.locator("vf-page, body").first).to_be_visible()
    page.goto("/workflow/queue/")
    page.wait_for_url(re.compile(r"/workflow/inbox/$"))
    expect(page.get_by_test_id("worklist-row")).to_have_count(1)
    page.get_by_label("Due").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/workflow/inbox/\?.*due=overdue"))
    assert errors == []
