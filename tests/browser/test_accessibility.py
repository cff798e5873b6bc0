"""axe-core over every page each role reaches, the task pages and a page showing a message
among them: no serious or critical violation anywhere.

axe-core comes from the npm lock (`make setup` runs `npm ci`); it is put into each page by
the test, never fetched while the tests run.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from casework import demo_cases
from casework.models import Status
from tests.conftest import browser_sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("own_media"),
]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

ROLES = {
    "HR case manager": ("Hannah", "Reid"),
    "designated safeguarding lead": ("Rachel", "Green"),
    "investigating officer": ("Emma", "Wright"),
    "hearing chair": ("Catherine", "Walsh"),
    "headteacher": ("Michael", "Okafor"),
    "appeal chair": ("Anne-Marie", "Byrne"),
    "Data Protection Officer": ("Yusuf", "Ahmed"),
    "trust executive": ("Peter", "Quinn"),
    "trust administrator": ("Siobhan", "Kelly"),
    "member of staff": ("Priya", "Patel"),
}

# Downloads and actions, not pages; the admin is Django's own.
NOT_PAGES = ("/accounts/logout/", "/admin/", ".csv", ".pdf", "/pdf/", "/evidence/", "export")

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
}"""


def serious_violations(tab) -> list[dict]:
    tab.add_script_tag(path=str(AXE))
    return tab.evaluate(RUN_AXE)


def addresses_on(tab, selector: str) -> list[str]:
    return tab.locator(selector).evaluate_all(
        "links => links.map((a) => a.getAttribute('href')).filter(Boolean)"
    )


def pages_of(tab) -> list[str]:
    """The pages a person reaches from their home page, menus and worklist."""
    found = ["/", "/workflow/inbox/", "/workflow/archive/"]
    tab.goto("/")
    found += addresses_on(tab, "nav a, vf-page-menu-navigation a, main a, .cw-page a")
    tab.goto("/workflow/inbox/")
    found += addresses_on(tab, "[data-testid='worklist-row'] a")
    tab.goto("/casework/cases/")
    found += addresses_on(tab, "[data-testid='register-row'] a")[:2]
    seen, pages = set(), []
    for address in found:
        address = address.split("#")[0]
        if not address.startswith("/") or address in seen or any(p in address for p in NOT_PAGES):
            continue
        seen.add(address)
        pages.append(address)
    return pages


@pytest.fixture
def checked_tab(browser, live_server, reseed):
    # The test's own script goes into each page, so this tab alone lets it past the CSP.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def a_case_at_every_stage_someone_acts_on():
    demo_cases.acknowledge(demo_cases.raise_concern(subject=("Ben", "Taylor")))  # HR's own
    demo_cases.raise_concern(subject=("Fiona", "MacLeod"))  # HR's queue
    demo_cases.raise_concern(subject=("Chris", "Evans"), **demo_cases.SAFEGUARDING)  # DSL
    demo_cases.raise_concern(
        subject=("Tom", "Brennan"), reporter=("Aisha", "Khan"), clauses=("DO-5",)
    )  # the DPO
    demo_cases.case_at(Status.INVESTIGATION)  # the investigating officer
    demo_cases.case_at(Status.HEARING_SCHEDULED, hearing_held=True, subject=("Liam", "Murphy"))
    demo_cases.case_at(Status.AWAITING_SIGN_OFF, subject=("Daniel", "Shaw"))  # headteacher
    demo_cases.case_at(Status.APPEAL_HEARING, hearing_held=True, subject=("Ben", "Taylor"))


def test_no_page_of_any_role_has_a_serious_or_critical_violation(checked_tab):
    assert AXE.exists(), "axe-core is missing: run `make setup` (npm ci)"
    a_case_at_every_stage_someone_acts_on()
    problems = {}
    checked = 0
    for role, (first, last) in ROLES.items():
        checked_tab.context.clear_cookies()
        browser_sign_in(checked_tab, first, last)
        for address in pages_of(checked_tab):
            checked_tab.goto(address)
            found = serious_violations(checked_tab)
            checked += 1
            if found:
                problems[f"{role} {address}"] = found
        if role == "HR case manager":
            # A page showing a message: a task taken on from the queue.
            checked_tab.goto("/workflow/inbox/")
            checked_tab.get_by_role("button", name=re.compile("^Take it on")).first.click()
            checked_tab.wait_for_load_state()
            found = serious_violations(checked_tab)
            checked += 1
            if found:
                problems[f"{role} after taking a task on {checked_tab.url}"] = found
    print(f"axe-core checked {checked} pages")
    assert problems == {}, json.dumps(problems, indent=1)
