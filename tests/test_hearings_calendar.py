"""The hearings calendar: by week and by month, trust-wide for HR, one school for a
headteacher, each hearing linking to its case; nobody else sees it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import case_at
from casework.models import Hearing, Status
from casework.services.hearings import current_hearing

pytestmark = pytest.mark.django_db

CALENDAR = reverse("casework:hearings_calendar")


def listed(client, **query) -> list[str]:
    response = client.get(CALENDAR, query)
    assert response.status_code == 200
    return [
        hearing.case.reference
        for _day, hearings in response.context["days"]
        for hearing in hearings
    ]


@pytest.fixture
def hearings():
    st_thomas_more = case_at(Status.HEARING_SCHEDULED)
    appeal = case_at(Status.APPEAL_HEARING, subject=("Ben", "Taylor"))
    st_bernadettes = case_at(
        Status.HEARING_SCHEDULED, subject=("Tom", "Brennan"), reporter=("Aisha", "Khan")
    )
    return st_thomas_more, appeal, st_bernadettes


def day_of(case, kind=Hearing.Kind.DISCIPLINARY) -> str:
    return timezone.localtime(current_hearing(case, kind).starts_at).date().isoformat()


def test_hr_sees_every_hearing_by_week_and_month_with_links(hearings, sign_in):
    thomas_more, appeal, bernadettes = hearings
    client = sign_in("Hannah", "Reid")
    week = listed(client, date=day_of(thomas_more))
    assert {thomas_more.reference, bernadettes.reference} <= set(week)
    month = listed(client, view="month", date=day_of(appeal, Hearing.Kind.APPEAL))
    assert appeal.reference in month
    page = client.get(CALENDAR, {"date": day_of(thomas_more)}).content.decode()
    assert reverse("casework:case", args=[thomas_more.reference]) in page
    assert "Disciplinary hearing" in page


def test_a_headteacher_sees_their_own_school_only(hearings, sign_in):
    thomas_more, _appeal, bernadettes = hearings
    week = listed(sign_in("Michael", "Okafor"), date=day_of(thomas_more))
    assert thomas_more.reference in week and bernadettes.reference not in week
    other = listed(sign_in("Helen", "Carter"), date=day_of(bernadettes))
    assert other == [bernadettes.reference]


def test_a_rearranged_hearing_shows_its_new_date_only(hearings, sign_in):
    thomas_more = hearings[0]
    old = current_hearing(thomas_more, Hearing.Kind.DISCIPLINARY)
    Hearing.objects.create(
        case=thomas_more,
        kind=old.kind,
        chair=old.chair,
        starts_at=old.starts_at + datetime.timedelta(days=28),
        location=old.location,
        notice_given_on=old.notice_given_on,
        replaces=old,
        arranged_by=old.arranged_by,
    )
    client = sign_in("Hannah", "Reid")
    assert thomas_more.reference not in listed(client, date=day_of_moment(old.starts_at))


def day_of_moment(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


@pytest.mark.parametrize(
    "who", [("Ben", "Taylor"), ("Rachel", "Green"), ("Emma", "Wright"), ("Margaret", "Ellis")]
)
def test_others_are_refused(hearings, sign_in, who):
    assert sign_in(*who).get(CALENDAR).status_code == 403


def test_hr_does_not_see_the_hearing_of_a_case_they_are_too_close_to(sign_in):
    case = case_at(Status.HEARING_SCHEDULED, reporter=("Marcus", "Obi"))
    assert case.reference not in listed(sign_in("Marcus", "Obi"), date=day_of(case))
    assert case.reference in listed(sign_in("Hannah", "Reid"), date=day_of(case))


def test_odd_dates_show_this_week(sign_in):
    response = sign_in("Hannah", "Reid").get(CALENDAR, {"date": "not-a-date", "view": "year"})
    assert response.status_code == 200 and response.context["span"].view == "week"


def test_the_calendar_makes_as_many_queries_however_many_hearings(hearings, sign_in):
    client = sign_in("Hannah", "Reid")
    query = {"view": "month", "date": day_of(hearings[0])}
    client.get(CALENDAR, query)
    with CaptureQueriesContext(connection) as few:
        client.get(CALENDAR, query)
    for subject in (("Fiona", "MacLeod"), ("Chris", "Evans")):
        case_at(Status.HEARING_SCHEDULED, subject=subject)
    with CaptureQueriesContext(connection) as many:
        client.get(CALENDAR, query)
    assert len(many) == len(few)


def test_a_date_beyond_the_calendar_shows_this_week(sign_in):
    response = sign_in("Hannah", "Reid").get(CALENDAR, {"date": "9999-12-31", "view": "month"})
    assert response.status_code == 200
    assert response.context["span"].first.year == timezone.localdate().year
