"""Each role's home page: the figures that say what needs doing, each a link to the case
register filtered to exactly what it counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import SAFEGUARDING, case_at, raise_concern
from casework.models import Case, Status

pytestmark = pytest.mark.django_db

HOME = "/"
HR = ("Hannah", "Reid")
HEADTEACHER = ("Michael", "Okafor")  # St Thomas More, where Daniel Shaw teaches
DSL = ("Rachel", "Green")  # St Thomas More's designated safeguarding lead
INVESTIGATOR = ("Emma", "Wright")
REPORTER = ("Priya", "Patel")


def spread(extra: int = 0) -> list[Case]:
    """Cases at the stages home pages count, one of them overdue; ``extra`` more in triage."""
    cases = [
        case_at(Status.TRIAGE),
        case_at(Status.SAFEGUARDING_REVIEW, subject=("Ben", "Taylor")),
        case_at(Status.LADO_REFERRAL, subject=("Fiona", "MacLeod")),
        case_at(Status.INVESTIGATION, subject=("Chris", "Evans")),
        case_at(Status.AWAITING_SIGN_OFF),
        # At another school: not the St Thomas More headteacher's.
        raise_concern(subject=("Tom", "Brennan"), reporter=("Aisha", "Khan")),
    ]
    cases += [raise_concern(subject=("Ben", "Taylor")) for _ in range(extra)]
    Case.objects.filter(pk=cases[0].pk).update(
        action_due_on=timezone.localdate() - datetime.timedelta(days=7)
    )
    return cases


def figures_on_home(client) -> list:
    response = client.get(HOME)
    assert response.status_code == 200
    return [f for section in response.context["sections"] for f in section.every_figure]


def register_shows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.mark.parametrize("who", [HR, HEADTEACHER, DSL, INVESTIGATOR])
def test_every_figure_is_what_the_register_shows_for_its_filter(sign_in, who):
    spread()
    client = sign_in(*who)
    figures = [f for f in figures_on_home(client) if f.url.startswith(reverse("casework:register"))]
    assert figures and any(f.count for f in figures)
    for figure in figures:
        assert register_shows(client, figure.url) == figure.count, figure


def test_hr_sees_the_trust_in_figures(sign_in):
    spread()
    shown = {f.label: f.count for f in figures_on_home(sign_in(*HR))}
    assert shown["Overdue"] == 1
    assert shown["Safeguarding waiting"] == 2
    assert shown["Sign-offs waiting"] == 1
    assert shown["Triage"] == 1 and shown["Received"] == 1
    assert shown["Investigation"] == 1


def test_a_headteacher_sees_their_school_and_their_own_sign_offs(sign_in):
    cases = spread()
    client = sign_in(*HEADTEACHER)
    response = client.get(HOME)
    titles = [section.title for section in response.context["sections"]]
    assert "At St Thomas More Catholic High School" in titles and "Your sign-offs" in titles
    shown = {f.label: f for f in figures_on_home(client)}
    assert "Received" not in shown  # the only new concern is at St Bernadette's
    signing = shown["Outcomes waiting for your sign-off"]
    assert signing.count == 1 and "part=signing" in signing.url
    assert cases[4].reference in response.content.decode()


def test_a_dsl_sees_reviews_and_referrals_due_with_the_hours_left(sign_in):
    cases = spread()
    response = sign_in(*DSL).get(HOME)
    section = next(s for s in response.context["sections"] if s.title == "Safeguarding")
    counts = {f.label: f.count for f in section.figures}
    assert counts == {"Safeguarding reviews due": 1, "LADO referrals due": 1}
    assert {item.reference for item in section.due} == {cases[1].reference, cases[2].reference}
    html = response.content.decode()
    assert "hours left" in html or "Overdue" in html
    for item in section.due:
        end = datetime.datetime.combine(
            item.due_on + datetime.timedelta(days=1),
            datetime.time.min,
            tzinfo=timezone.get_current_timezone(),
        )
        assert abs(item.hours_left - (end - timezone.now()).total_seconds() / 3600) <= 1


def test_an_investigating_officer_sees_their_report_due(sign_in):
    cases = spread()
    response = sign_in(*INVESTIGATOR).get(HOME)
    section = next(s for s in response.context["sections"] if s.title == "Your investigations")
    assert [f.count for f in section.figures] == [1]
    assert [(i.reference, i.due_on) for i in section.due] == [
        (cases[3].reference, Case.objects.get(pk=cases[3].pk).action_due_on)
    ]


def test_staff_see_their_reports(sign_in):
    spread()
    shown = {f.label: f for f in figures_on_home(sign_in(*REPORTER))}
    assert list(shown) == ["Concerns you have raised"]
    assert (
        shown["Concerns you have raised"].count
        == Case.objects.filter(reporter__email="priya.patel@stclare.example").count()
    )
    assert shown["Concerns you have raised"].url == reverse("casework:my_reports")


@pytest.mark.parametrize("who", [HR, HEADTEACHER, DSL, INVESTIGATOR, REPORTER])
def test_a_home_page_makes_as_many_queries_however_many_cases(sign_in, who):
    spread()
    client = sign_in(*who)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for _ in range(6):
        raise_concern(subject=("Ben", "Taylor"), clauses=SAFEGUARDING["clauses"])
        case_at(Status.INVESTIGATION, subject=("Fiona", "MacLeod"))
    with CaptureQueriesContext(connection) as many:
        client.get(HOME)
    assert len(many) == len(few)
