"""The case register: every case for HR, paginated, filtered and searchable; everyone else
sees only the cases they have a part in, and nobody sees a case about themselves."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import timezone

from casework import forms, selectors
from casework.demo_cases import (
    SAFEGUARDING,
    acknowledge,
    case_at,
    clause,
    frame_allegation,
    raise_concern,
)
from casework.models import Case, School, Status
from casework.templatetags.casework import case_address
from tests.conftest import follow_page_link

pytestmark = pytest.mark.django_db

REGISTER = reverse("casework:register")


def listed(client, **filters) -> list[str]:
    page = client.get(REGISTER, filters)
    assert page.status_code == 200
    return [case.reference for case in page.context["page"].object_list]


def school(prefix: str) -> School:
    return School.objects.get(name__startswith=prefix)


# --- Paginated, filtered, searchable --------------------------------------------------------


def test_the_register_is_paginated_and_keeps_its_filters(sign_in):
    cases = [raise_concern() for _ in range(26)]
    client = sign_in("Hannah", "Reid")
    first = client.get(REGISTER)
    html = first.content.decode()
    assert len(first.context["page"].object_list) == 25
    assert "26 cases" in html and "Page 1 of 2" in html
    # Newest first.
    assert first.context["page"].object_list[0].reference == cases[-1].reference
    second = follow_page_link(client, first, "next")
    assert [c.reference for c in second.context["page"].object_list] == [cases[0].reference]
    assert "Page 2 of 2" in second.content.decode()
    back = follow_page_link(client, second, "prev")
    assert back.context["page"].number == 1
    assert [c.reference for c in back.context["page"].object_list] == [
        c.reference for c in first.context["page"].object_list
    ]

    filtered = client.get(REGISTER, {"school": school("St Thomas More").pk})
    assert "after=" in filtered.content.decode()
    assert f"school={school('St Thomas More').pk}" in filtered.context["query"]
    in_school = follow_page_link(client, filtered, "next")
    assert in_school.context["page"].number == 2
    assert {c.school_id for c in in_school.context["page"].object_list} == {
        school("St Thomas More").pk
    }


def test_register_pages_hold_every_case_once_in_each_order(sign_in):
    """Walking a sorted register page by page, forward and back, shows every case once, in
    the order of the column, those with nothing due last."""
    cases = [raise_concern() for _ in range(30)]
    today = timezone.localdate()
    for n, case in enumerate(cases):  # a few share a day; some have nothing due
        due = None if n % 7 == 0 else today + datetime.timedelta(days=n % 4)
        Case.objects.filter(pk=case.pk).update(action_due_on=due)
    client = sign_in("Hannah", "Reid")
    for order in ("due", "-due", "reference", "-raised", "raised"):
        response = client.get(REGISTER, {"order": order})
        pages = [response.context["page"].object_list]
        while response.context["page"].has_next():
            response = follow_page_link(client, response, "next")
            pages.append(response.context["page"].object_list)
        walked = [c.pk for page in pages for c in page]
        expected = list(Case.objects.order_by(*forms.RegisterFilterForm.ORDERINGS[order]))
        assert walked == [c.pk for c in expected], order
        back = follow_page_link(client, response, "prev")
        assert [c.pk for c in back.context["page"].object_list] == [c.pk for c in pages[-2]]


def test_a_register_page_link_that_was_altered_shows_the_first_page(sign_in):
    for _ in range(26):
        raise_concern()
    client = sign_in("Hannah", "Reid")
    first = client.get(REGISTER)
    newest = [c.pk for c in first.context["page"].object_list]
    cursor = parse_qs(first.context["page"].next_parameters)["after"][0]
    assert client.get(REGISTER, {"after": cursor}).context["page"].number == 2
    for after in ("nonsense", cursor[:-3] + "abc", ""):
        response = client.get(REGISTER, {"after": after})
        assert response.status_code == 200
        assert [c.pk for c in response.context["page"].object_list] == newest
    # A link made for another order of the register starts that order from the top.
    by_reference = client.get(REGISTER, {"order": "reference", "after": cursor})
    assert by_reference.context["page"].number == 1
    assert [c.pk for c in by_reference.context["page"].object_list] == [
        c.pk for c in Case.objects.order_by("reference")[:25]
    ]
    # An old-style page number is not an error either.
    assert client.get(REGISTER, {"page": "9"}).context["page"].number == 1


def test_filter_by_stage(sign_in):
    received = case_at(Status.RECEIVED)
    in_triage = case_at(Status.TRIAGE, subject=("Ben", "Taylor"))
    closed = case_at(Status.NO_CASE_TO_ANSWER, subject=("Fiona", "MacLeod"))
    client = sign_in("Hannah", "Reid")
    assert listed(client, status="triage") == [in_triage.reference]
    assert listed(client, status="no_case_to_answer") == [closed.reference]
    assert set(listed(client, status="open")) == {received.reference, in_triage.reference}
    assert set(listed(client)) == {received.reference, in_triage.reference, closed.reference}


def test_filter_by_school(sign_in):
    thomas_more = raise_concern()
    bernadettes = raise_concern(subject=("Tom", "Brennan"), reporter=("Aisha", "Khan"))
    client = sign_in("Hannah", "Reid")
    assert listed(client, school=school("St Bernadette").pk) == [bernadettes.reference]
    assert listed(client, school=school("St Thomas More").pk) == [thomas_more.reference]
    assert listed(client, school=school("Holy Family").pk) == []


@pytest.mark.parametrize("cited_rarely", [5000, 0], ids=["from the clause", "case by case"])
def test_filter_by_clause_of_an_allegation_or_of_the_concern(sign_in, monkeypatch, cited_rarely):
    # A rare clause's cases are looked up from its side, a common one's case by case: the
    # same cases either way.
    monkeypatch.setattr(selectors, "CITED_RARELY", cited_rarely)
    suspected = raise_concern(clauses=("DONT-8",))
    alleged = case_at(Status.TRIAGE, subject=("Ben", "Taylor"), clauses=())
    frame_allegation(alleged, "DONT-8")
    other = raise_concern(clauses=("DO-3",), subject=("Fiona", "MacLeod"))
    client = sign_in("Hannah", "Reid")
    assert set(listed(client, clause=clause("DONT-8").pk)) == {
        suspected.reference,
        alleged.reference,
    }
    assert listed(client, clause=clause("DO-3").pk) == [other.reference]


def test_filter_overdue(sign_in):
    overdue = case_at(Status.TRIAGE)
    on_time = case_at(Status.TRIAGE, subject=("Ben", "Taylor"))
    closed_late = case_at(Status.NO_CASE_TO_ANSWER, subject=("Fiona", "MacLeod"))
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    Case.objects.filter(pk__in=[overdue.pk, closed_late.pk]).update(action_due_on=week_ago)
    client = sign_in("Hannah", "Reid")
    assert listed(client, overdue="on") == [overdue.reference]
    page = client.get(REGISTER).content.decode()
    assert page.count("Overdue</span>") == 1
    assert on_time.reference in page


def test_search_by_reference_or_name(sign_in):
    daniel = raise_concern()
    ben = raise_concern(subject=("Ben", "Taylor"))
    client = sign_in("Hannah", "Reid")
    assert listed(client, q=daniel.reference) == [daniel.reference]
    assert listed(client, q=daniel.reference.lower()) == [daniel.reference]
    assert listed(client, q=ben.reference[-4:]) == [ben.reference]
    assert listed(client, q="Shaw") == [daniel.reference]
    assert listed(client, q="daniel") == [daniel.reference]
    assert listed(client, q="Taylor") == [ben.reference]
    assert listed(client, q="Nobody-by-this-name") == []


def test_a_word_matching_many_people_finds_every_case_of_theirs(sign_in, monkeypatch):
    daniel = raise_concern()
    ben = raise_concern(subject=("Ben", "Taylor"))
    client = sign_in("Hannah", "Reid")
    by_ids = listed(client, q="a")
    # More people match than are looked up by id: the database is asked instead.
    monkeypatch.setattr(selectors, "SEARCH_PEOPLE_LIMIT", 1)
    assert listed(client, q="a") == by_ids
    assert set(by_ids) == {daniel.reference, ben.reference}


def test_filters_combine(sign_in):
    wanted = case_at(Status.TRIAGE)
    case_at(Status.TRIAGE, subject=("Tom", "Brennan"), reporter=("Aisha", "Khan"))
    raise_concern()
    client = sign_in("Hannah", "Reid")
    assert listed(client, status="triage", school=school("St Thomas More").pk, q="Shaw") == [
        wanted.reference
    ]


# --- Who sees what -------------------------------------------------------------------------


@pytest.fixture
def trust_cases():
    """One case of each kind around the trust."""
    return {
        "thomas_more": case_at(Status.INVESTIGATION),  # Emma Wright investigates
        "thomas_more_waiting": raise_concern(subject=("Ben", "Taylor")),
        "thomas_more_safeguarding": raise_concern(subject=("Chris", "Evans"), **SAFEGUARDING),
        "bernadettes": raise_concern(subject=("Tom", "Brennan"), reporter=("Aisha", "Khan")),
        "bernadettes_safeguarding": raise_concern(
            subject=("Liam", "Murphy"), reporter=("Aisha", "Khan"), **SAFEGUARDING
        ),
        "about_the_head": raise_concern(subject=("Michael", "Okafor")),
        "about_the_dsl": raise_concern(subject=("Rachel", "Green"), **SAFEGUARDING),
        "about_hr": _about_hannah(),
    }


def _about_hannah() -> Case:
    from casework.demo_cases import person
    from casework.intake import concerns

    reporter = person("Kate", "Morris")
    return concerns.report_concern(
        concern=concerns.Concern(
            subject=person("Hannah", "Reid"),  # the trust central team: the case is the trust's
            seen_on=timezone.localdate(),
            platform="x",
            account_kind="personal",
            what_was_seen="A post about a grievance hearing.",
        ),
        reporter=reporter,
        by=reporter.user,
    )


def sees(client, trust_cases) -> set[str]:
    references = set(listed(client))
    return {name for name, case in trust_cases.items() if case.reference in references}


def test_hr_sees_every_case_but_one_about_themselves(sign_in, trust_cases):
    assert sees(sign_in("Marcus", "Obi"), trust_cases) == set(trust_cases)
    assert sees(sign_in("Hannah", "Reid"), trust_cases) == set(trust_cases) - {"about_hr"}


def test_a_headteacher_sees_only_their_schools_cases_and_none_about_themselves(
    sign_in, trust_cases
):
    assert sees(sign_in("Michael", "Okafor"), trust_cases) == {
        "thomas_more",
        "thomas_more_waiting",
        "thomas_more_safeguarding",
        "about_the_dsl",
    }
    assert sees(sign_in("Helen", "Carter"), trust_cases) == {
        "bernadettes",
        "bernadettes_safeguarding",
    }


def test_a_dsl_sees_only_safeguarding_cases_at_their_school(sign_in, trust_cases):
    assert sees(sign_in("David", "Nwosu"), trust_cases) == {"bernadettes_safeguarding"}
    # The deputy reviews the concern about the DSL; the DSL never sees it.
    assert sees(sign_in("Owen", "Price"), trust_cases) == {
        "thomas_more_safeguarding",
        "about_the_dsl",
    }
    assert sees(sign_in("Rachel", "Green"), trust_cases) == {"thomas_more_safeguarding"}


def test_an_investigating_officer_sees_only_the_cases_assigned_to_them(sign_in, trust_cases):
    assert sees(sign_in("Emma", "Wright"), trust_cases) == {"thomas_more"}
    assert sees(sign_in("James", "Reilly"), trust_cases) == set()


def test_nobody_sees_a_case_about_themselves_even_by_searching(sign_in, trust_cases):
    for name, who in (
        ("about_the_head", ("Michael", "Okafor")),
        ("about_the_dsl", ("Rachel", "Green")),
        ("about_hr", ("Hannah", "Reid")),
    ):
        client = sign_in(*who)
        reference = trust_cases[name].reference
        assert listed(client, q=reference) == []
        assert client.get(reverse("casework:case", args=[reference])).status_code == 404


def test_the_register_is_for_casework_roles_only(sign_in, trust_cases):
    assert sign_in("Fiona", "MacLeod").get(REGISTER).status_code == 403
    assert sign_in("Priya", "Patel").get(REGISTER).status_code == 403  # a reporter


# --- Sorted, with the case manager, exported as shown -------------------------------------


def test_the_register_sorts_by_reference_raised_and_due_and_keeps_it_in_the_address(sign_in):
    first, second, third = (
        raise_concern(subject=subject)
        for subject in (("Daniel", "Shaw"), ("Ben", "Taylor"), ("Fiona", "MacLeod"))
    )
    today = timezone.localdate()
    for case, days in ((first, 9), (second, 2), (third, 5)):
        Case.objects.filter(pk=case.pk).update(action_due_on=today + datetime.timedelta(days))
    client = sign_in("Hannah", "Reid")
    assert listed(client) == [third.reference, second.reference, first.reference]
    assert listed(client, order="raised") == [first.reference, second.reference, third.reference]
    assert listed(client, order="due") == [second.reference, third.reference, first.reference]
    assert listed(client, order="-due") == [first.reference, third.reference, second.reference]
    assert listed(client, order="-reference")[0] == third.reference
    # An order that is not one of the indexed ones is ignored, not an error.
    assert listed(client, order="subject__last_name") == listed(client)
    page = client.get(REGISTER, {"order": "due", "status": "open"})
    html = page.content.decode()
    assert 'aria-sort="ascending"' in html
    assert "status=open&amp;order=-due" in html  # the heading sorts the other way next
    assert 'name="order" value="due"' in html  # filtering again keeps the order


def test_the_register_names_the_case_manager_and_exports_what_it_shows(sign_in):
    taken = acknowledge(raise_concern())
    waiting = raise_concern(subject=("Ben", "Taylor"))
    elsewhere = raise_concern(subject=("Tom", "Brennan"), reporter=("Aisha", "Khan"))
    client = sign_in("Hannah", "Reid")
    thomas_more = school("St Thomas More").pk
    page = client.get(REGISTER, {"school": thomas_more, "order": "raised"})
    html = page.content.decode()
    assert "Hannah Reid" in html
    export = f"/casework/oversight/cases/export.csv?school={thomas_more}&amp;order=raised"
    assert export in html
    csv = b"".join(client.get(export.replace("&amp;", "&")).streaming_content).decode()
    lines = csv.strip().splitlines()
    assert lines[0].endswith("Case manager")
    assert [line.split(",")[0] for line in lines[1:]] == [taken.reference, waiting.reference]
    assert lines[1].endswith("Hannah Reid") and elsewhere.reference not in csv


def test_only_hr_is_offered_the_export(sign_in):
    raise_concern()
    assert "Download these cases" not in sign_in("Michael", "Okafor").get(REGISTER).content.decode()


def test_the_sorted_register_makes_as_many_queries_for_many_cases_as_for_few(sign_in):
    client = sign_in("Hannah", "Reid")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REGISTER, {"order": "due"}).status_code == 200
        return len(captured)

    acknowledge(raise_concern())
    few = queries()
    for subject in (("Ben", "Taylor"), ("Fiona", "MacLeod"), ("Chris", "Evans")) * 3:
        acknowledge(raise_concern(subject=subject))
    assert queries() == few


def test_each_row_links_to_its_own_case_page_under_any_script_prefix(sign_in):
    """The rows' addresses are reversed once for the page and filled in per row: each must
    still be its own case's page, and follow the prefix Casework is served under."""
    cases = [raise_concern() for _ in range(3)]
    client = sign_in("Hannah", "Reid")
    html = client.get(REGISTER).content.decode()
    for case in cases:
        address = reverse("casework:case", args=[case.reference])
        assert f'href="{address}"' in html
        assert client.get(address).status_code == 200
    served_at = get_script_prefix()
    try:
        set_script_prefix("/trust-apps/")
        address = case_address(cases[0].reference)
        assert address.startswith("/trust-apps/") and cases[0].reference in address
        assert address == reverse("casework:case", args=[cases[0].reference])
    finally:
        set_script_prefix(served_at)
