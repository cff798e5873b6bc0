"""Clause analytics and the policy review pack, against the hand-counted cases of the
dashboard's tests; the pack hides small groups and names nobody."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse

from casework.demo_cases import acknowledge, appoint, report, triage_to_investigation, walk
from casework.models import Clause
from tests.test_dashboard import cases  # noqa: F401 (the hand-counted cases)

pytestmark = pytest.mark.django_db

ANALYTICS = reverse("casework:clause_analytics")
PACK = reverse("casework:policy_review_pack")


def analytics_for(client):
    response = client.get(ANALYTICS)
    assert response.status_code == 200
    return response.context["analytics"]


def pack_text(client, **query) -> str:
    response = client.get(PACK, query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_each_clause_counted_as_by_hand(cases, sign_in):  # noqa: F811
    shown = analytics_for(sign_in("Hannah", "Reid"))
    uses = {use.code: use for use in shown.clauses}
    assert set(uses) == {"DONT-3", "DONT-8"}
    assert (uses["DONT-3"].concerns, uses["DONT-3"].allegations) == (3, 2)
    assert (uses["DONT-8"].concerns, uses["DONT-8"].allegations) == (1, 0)
    assert uses["DONT-3"].upheld_rate is None and uses["DONT-3"].sanctions == 0
    current = set(Clause.objects.filter(policy__is_current=True).values_list("code", flat=True))
    assert {c.code for c in shown.never_cited} == current - {"DONT-3", "DONT-8"}
    assert shown.schools.columns == ["St Thomas More Catholic High School"]
    assert shown.schools.rows == [("DONT-3", [2])]
    assert shown.quarters.rows == [("DONT-3", [2])] and shown.quarters.columns == ["2026 Q4"]


def test_the_upheld_rate_counts_findings(cases, sign_in):  # noqa: F811
    steps = [acknowledge, triage_to_investigation, appoint]
    walk([*steps, report], subject=("Priya", "Patel"), reporter=("Ben", "Taylor"))
    walk(
        [*steps, lambda case: report(case, "not_upheld")],
        subject=("Chris", "Evans"),
        reporter=("Ben", "Taylor"),
    )
    uses = {use.code: use for use in analytics_for(sign_in("Hannah", "Reid")).clauses}
    assert (uses["DONT-3"].decided, uses["DONT-3"].upheld, uses["DONT-3"].upheld_rate) == (
        2,
        1,
        50,
    )


def test_a_headteacher_sees_their_school_only(cases, sign_in):  # noqa: F811
    uses = {u.code: u for u in analytics_for(sign_in("Michael", "Okafor")).clauses}
    # Tom Brennan's concern is at St Bernadette's.
    assert uses["DONT-3"].concerns == 2


@pytest.mark.parametrize("who", [("Ben", "Taylor"), ("Rachel", "Green")])
def test_a_teacher_or_dsl_is_refused(cases, sign_in, who):  # noqa: F811
    client = sign_in(*who)
    assert client.get(ANALYTICS).status_code == 403
    assert client.get(PACK).status_code == 403


def test_only_hr_downloads_the_pack(cases, sign_in):  # noqa: F811
    assert sign_in("Michael", "Okafor").get(PACK).status_code == 403


def test_hr_and_headteachers_are_told_the_review_date_has_passed(cases, sign_in):  # noqa: F811
    for who in (("Hannah", "Reid"), ("Michael", "Okafor")):
        client = sign_in(*who)
        for page in ("/", ANALYTICS):
            assert "is overdue for review" in client.get(page).content.decode()
    assert "is overdue for review" not in sign_in("Ben", "Taylor").get("/").content.decode()
    assert PACK in sign_in("Hannah", "Reid").get("/").content.decode()


def test_the_pack_hides_groups_under_the_minimum_and_names_nobody(cases, sign_in, settings):  # noqa: F811
    client = sign_in("Hannah", "Reid")
    text = " ".join(pack_text(client).split())
    assert "DONT-3 fewer than 5 fewer than 5" in text  # 3 concerns, 2 allegations: hidden
    assert " 3 " not in text.split("Use of each clause", 1)[1].split("Sanctions given", 1)[0]
    for case in cases.values():
        assert case.reference not in text
        assert case.subject.last_name not in text and case.reporter.last_name not in text
    # The clause texts, as written, and the clauses never cited are in it.
    assert Clause.objects.get(policy__is_current=True, code="DO-1").text.split()[0] in text
    assert "Clauses never cited in this period" in text

    settings.CASEWORK_ANONYMITY_MINIMUM = 3
    text = " ".join(pack_text(client).split())
    assert "DONT-3 3 fewer than 3" in text
    assert "DONT-8 fewer than 3 0" in text
