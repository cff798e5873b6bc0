"""Volunteers are not employees: their case concerns the volunteering arrangement.

Their letters and the pages about their case speak of a meeting about the volunteering
arrangement, never of a disciplinary hearing, the trust's disciplinary procedure, dismissal
or warnings. (Each letter a volunteer can receive is read back from its PDF in
tests/test_letters.py, with ``assert_says_nothing_of_employment``.)
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from casework import selectors
from casework.demo_cases import ROUTES, arrangement, case_at, hr
from casework.errors import RuleBroken
from casework.letters import kinds
from casework.models import Case, Status
from casework.services import hearings
from workflows import engine

from .test_lifecycle_http import task_form

pytestmark = pytest.mark.django_db

VOLUNTEER = {"subject": ("Patricia", "Doyle"), "reporter": ("Grace", "O'Neill")}
# What a volunteer's pages never say.
EMPLOYMENT_WORDS = (
    "the trust's disciplinary procedure",
    "disciplinary hearing",
    "disciplinary sanction",
    "dismissal",
    "dismiss",
    "warning",
)


class VisibleText(HTMLParser):
    """The text a person reads on a page: no markup, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def employment_words_in(text: str) -> list[str]:
    lowered = text.lower()
    return [words for words in EMPLOYMENT_WORDS if words in lowered]


def pages_about(case: Case, client) -> dict[str, str]:
    """Every page HR and the task's owner see about the case, as visible text."""
    reference = case.reference
    urls = {
        "case": reverse("casework:case", args=[reference]),
        "letters": reverse("casework:letters", args=[reference]),
    }
    if case.is_open:
        for name in ("suspend", "resignation", "record_settlement", "withdraw"):
            urls[name] = reverse(f"casework:{name}", args=[reference])
        if case.status == Status.HEARING_SCHEDULED:
            urls["move"] = reverse("casework:reschedule_hearing", args=[reference])
        if case.status == Status.APPEAL_HEARING:
            urls["move appeal"] = reverse("casework:reschedule_appeal", args=[reference])
    urls["referrals"] = reverse("casework:record_referral", args=[reference])
    for spec in kinds.KINDS.values():
        if spec.applies_to(case) and spec.refusal(case) is None:
            urls[f"letter {spec.kind}"] = reverse(
                "casework:prepare_letter", args=[reference, spec.kind.value]
            )
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = visible_text(response)
    return pages


@pytest.mark.parametrize("status", sorted(ROUTES))
def test_no_page_about_a_volunteers_case_speaks_of_employment(sign_in, status):
    from tests.conftest import user

    case = case_at(status, **VOLUNTEER)
    pages = pages_about(case, sign_in("Hannah", "Reid"))
    task = engine.open_tasks(case).first()
    if task is not None:
        owner = task.owner or user("Hannah", "Reid")
        client = sign_in(owner.first_name, owner.last_name)
        response = client.get(task_form(client, case, task.flow_task.name))
        assert response.status_code == 200
        pages[f"task {task.flow_task.name}"] = visible_text(response)
    found = {name: employment_words_in(text) for name, text in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}


@pytest.mark.parametrize(
    ("status", "title"),
    [
        (Status.HEARING_TO_ARRANGE, "Arrange the meeting about the volunteering arrangement"),
        (Status.HEARING_SCHEDULED, "Record the meeting's decision"),
        (Status.APPEAL_LODGED, "Arrange the appeal meeting"),
    ],
)
def test_a_volunteers_tasks_speak_of_meetings(sign_in, status, title):
    case = case_at(status, **VOLUNTEER)
    assert selectors.next_step(case).title == title
    page = sign_in("Hannah", "Reid").get(reverse("casework:case", args=[case.reference]))
    assert title in visible_text(page)
    assert "Meeting" in visible_text(page)  # the stage: "Meeting to arrange", and so on


def test_an_employees_tasks_still_speak_of_hearings():
    case = case_at(Status.HEARING_TO_ARRANGE, subject=("Daniel", "Shaw"))
    assert selectors.next_step(case).title == "Arrange the hearing"
    assert selectors.next_step(case_at(Status.APPEAL_LODGED)).title == "Arrange the appeal hearing"


def test_no_dismissal_letter_is_ever_offered_for_a_volunteer(sign_in):
    case = case_at(Status.SIGNED_OFF, **VOLUNTEER)
    hannah = sign_in("Hannah", "Reid")
    listed = hannah.get(reverse("casework:letters", args=[case.reference])).context["kinds"]
    assert {spec.kind for spec, _, _ in listed}.isdisjoint(
        {"dismissal_with_notice", "summary_dismissal"}
    )
    for kind in ("dismissal_with_notice", "summary_dismissal"):
        url = reverse("casework:prepare_letter", args=[case.reference, kind])
        assert hannah.get(url).status_code == 404


def test_a_volunteers_meeting_cannot_warn_of_dismissal():
    case = case_at(Status.HEARING_TO_ARRANGE, **VOLUNTEER)
    plan = arrangement(case, ("Catherine", "Walsh"))
    plan.dismissal_possible = True
    with pytest.raises(RuleBroken, match="A volunteer is not an employee"):
        hearings.schedule_hearing(case=case, by=hr(), arrangement=plan)
    assert Case.objects.get(pk=case.pk).status == Status.HEARING_TO_ARRANGE


def test_the_arrangement_form_for_a_volunteer_does_not_ask_about_dismissal(sign_in):
    case = case_at(Status.HEARING_TO_ARRANGE, **VOLUNTEER)
    hannah = sign_in("Hannah", "Reid")
    form = hannah.get(task_form(hannah, case, "arrange_hearing")).context["form"]
    assert "dismissal_possible" not in form.fields
