"""The dashboard, against figures counted by hand from a few cases walked through the
procedure on known days (November 2026 has no bank holiday)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.dashboards.figures import Period
from casework.demo_cases import acknowledge, no_case, raise_concern, triage_to_investigation

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("casework:dashboard")


def at(day: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


@pytest.fixture
def cases(time_machine):
    """A: Daniel Shaw (St Thomas More), to investigation; B: Ben Taylor (St Thomas More), no
    case to answer; C: Tom Brennan (St Bernadette's), just received; D: Fiona MacLeod (St
    Thomas More), raised in October, to investigation. Then today is 18 November 2026."""
    made = {}

    def step(day: str, action, key: str | None = None, **options):
        time_machine.move_to(at(day), tick=False)
        if action is raise_concern:
            made[key] = raise_concern(**options)
        else:
            made[key] = action(made[key])

    step("2026-10-15", raise_concern, "D", subject=("Fiona", "MacLeod"))
    step("2026-10-16", acknowledge, "D")
    step("2026-10-20", triage_to_investigation, "D")
    step("2026-11-02", raise_concern, "A")
    step("2026-11-02", raise_concern, "B", subject=("Ben", "Taylor"), clauses=("DONT-8",))
    step("2026-11-03", acknowledge, "A")
    step("2026-11-04", acknowledge, "B")
    step("2026-11-05", triage_to_investigation, "A")
    step("2026-11-06", no_case, "B")
    step("2026-11-10", raise_concern, "C", subject=("Tom", "Brennan"), reporter=("Aisha", "Khan"))
    time_machine.move_to(at("2026-11-18"), tick=False)
    return made


def tables(client, **query) -> dict[str, list[tuple]]:
    response = client.get(DASHBOARD, query)
    assert response.status_code == 200
    return {table.slug: table.rows for table, _chart in response.context["panels"]}


def test_hr_sees_the_trust_counted_as_by_hand(cases, sign_in):
    shown = tables(sign_in("Hannah", "Reid"))
    assert sorted(shown["stages"]) == sorted(
        [
            ("Received", 1),
            ("Investigation — officer to appoint", 2),
            ("Closed — no case to answer", 1),
        ]
    )
    assert shown["schools"] == [
        ("St Thomas More Catholic High School", 3),
        ("St Bernadette's Catholic Primary School", 1),
    ]
    assert shown["clauses"] == [("DONT-3", 2)]
    assert shown["outcomes"] == [("Closed — no case to answer", 1)]
    months = dict((month, (opened, closed)) for month, opened, closed in shown["months"])
    assert months["Oct 2026"] == (1, 0) and months["Nov 2026"] == (3, 1)
    assert sum(opened for opened, _closed in months.values()) == 4
    stages = {row[0]: row[1:] for row in shown["stage-times"]}
    # Received: A Mon→Tue 1, B Mon→Wed 2, D Thu→Fri 1. Triage: each 2 working days.
    assert stages["Received"] == (1.0, 2, 3)
    assert stages["Triage"] == (2.0, 2, 3)


def test_a_period_narrows_the_cases(cases, sign_in):
    shown = tables(sign_in("Hannah", "Reid"), start="2026-11-01", end="2026-11-30")
    assert sum(n for _stage, n in shown["stages"]) == 3
    assert ("Investigation — officer to appoint", 1) in shown["stages"]


def test_a_headteacher_sees_their_own_school_only(cases, sign_in):
    shown = tables(sign_in("Michael", "Okafor"))
    assert shown["schools"] == [("St Thomas More Catholic High School", 3)]
    assert ("Received", 1) not in shown["stages"]


def test_a_trust_executive_sees_the_trust(cases, sign_in):
    from casework.models import Role, RoleAssignment

    executive = RoleAssignment.objects.filter(role=Role.TRUST_EXECUTIVE).first().person
    shown = tables(sign_in(executive.first_name, executive.last_name))
    assert sum(n for _school, n in shown["schools"]) == 4


@pytest.mark.parametrize("who", [("Ben", "Taylor"), ("Rachel", "Green"), ("Emma", "Wright")])
def test_others_are_refused(cases, sign_in, who):
    client = sign_in(*who)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("casework:dashboard_csv", args=["schools"])).status_code == 403


def test_each_table_downloads_as_csv(cases, sign_in):
    client = sign_in("Hannah", "Reid")
    response = client.get(reverse("casework:dashboard_csv", args=["schools"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["School", "Cases"],
        ["St Thomas More Catholic High School", "3"],
        ["St Bernadette's Catholic Primary School", "1"],
    ]
    page = client.get(DASHBOARD).content.decode()
    for slug in ("stages", "schools", "clauses", "outcomes", "stage-times", "months"):
        assert reverse("casework:dashboard_csv", args=[slug]) in page
    assert client.get(reverse("casework:dashboard_csv", args=["nothing"])).status_code == 404


def test_charts_are_accessible_svg_beside_their_tables(cases, sign_in):
    page = sign_in("Hannah", "Reid").get(DASHBOARD).content.decode()
    assert page.count('<svg class="cw-chart" role="img"') == 6
    assert '<desc id="chart-schools-desc">Cases by school' not in page
    assert "St Thomas More Catholic High School: Cases 3" in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_dashboard_makes_as_many_queries_however_many_cases(cases, sign_in, time_machine):
    client = sign_in("Hannah", "Reid")
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    for _ in range(5):
        acknowledge(raise_concern(subject=("Priya", "Patel"), reporter=("Ben", "Taylor")))
    with CaptureQueriesContext(connection) as many:
        client.get(DASHBOARD)
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "query",
    [{"start": "0001-01-01"}, {"end": "9999-12-31"}, {"start": "2026-12-01", "end": "2026-01-01"}],
)
def test_an_odd_period_is_refused_with_a_message_and_the_default_shown(cases, sign_in, query):
    response = sign_in("Hannah", "Reid").get(DASHBOARD, query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["period"] == Period.default()


def test_the_default_period_is_the_last_twelve_months_even_from_29_february():
    assert Period.default(datetime.date(2028, 2, 29)) == Period(
        datetime.date(2027, 3, 1), datetime.date(2028, 2, 29)
    )
    assert Period.default(datetime.date(2026, 11, 18)).start == datetime.date(2025, 11, 19)
