"""The consistency view: as the chair records a decision and as the signer signs it off, the
trust's earlier outcomes for the same clauses, anonymous, advisory, audited, and nothing at
all where so few earlier cases would let the people in them be recognised."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.demo_cases import case_at, hr, person
from casework.errors import NotAllowed
from casework.models import (
    Allegation,
    AuditEvent,
    Case,
    Clause,
    Policy,
    Sanction,
    School,
    StaffMember,
    Status,
    Trust,
)
from casework.oversight import consistency
from casework.services.consistency import look_at_prior_outcomes
from workflows import engine

from .test_lifecycle_http import task_form

pytestmark = pytest.mark.django_db

D = datetime.date
NUMBERS = itertools.count(1)
FWW, FINAL = Sanction.FIRST_WRITTEN_WARNING, Sanction.FINAL_WRITTEN_WARNING


def earlier_case(
    code: str = "DONT-3",
    sanction: str = FWW,
    finding: str = "upheld",
    year: int = 2025,
    subject: tuple[str, str] = ("Ben", "Taylor"),
    policy: Policy | None = None,
    **fields,
) -> Case:
    """A case decided in an earlier year, written straight to the database: only what the
    consistency view reads matters here."""
    policy = policy or Policy.objects.get(is_current=True)
    about = subject if isinstance(subject, StaffMember) else person(*subject)
    fields = {"status": Status.CLOSED, "outcome_issued_on": D(year, 4, 1), **fields}
    case = Case.objects.create(
        reference=f"SM-{year}-{9000 + next(NUMBERS)}",
        policy=policy,
        trust_id=about.trust_id,
        school=about.school,
        subject=about,
        reporter=person("Priya", "Patel"),
        seen_on=D(year, 3, 2),
        platform="facebook",
        account_kind="personal",
        what_was_seen="An earlier post.",
        sanction=sanction,
        **fields,
    )
    Allegation.objects.create(
        case=case,
        number=1,
        clause=Clause.objects.get(policy=policy, code=code),
        particulars="Earlier particulars.",
        hearing_finding=finding,
        added_by=hr(),
    )
    return case


@pytest.fixture
def deciding():
    """A case about Daniel Shaw on DONT-3 whose hearing has been held: the chair decides."""
    return case_at(Status.HEARING_SCHEDULED, hearing_held=True)


def chair_of(case):
    return case.hearing_chair.user


# --- What is counted ---------------------------------------------------------------------------


def test_the_chair_sees_counts_and_anonymous_rows_for_the_same_clauses(deciding):
    for year, sanction, finding in [
        (2024, FWW, "upheld"),
        (2024, FWW, "upheld"),
        (2025, FINAL, "partly_upheld"),
        (2025, Sanction.MANAGEMENT_ADVICE, "upheld"),
        (2025, Sanction.NO_ACTION, "not_upheld"),
    ]:
        earlier_case(sanction=sanction, finding=finding, year=year)
    # Not counted: another clause, no outcome issued yet, anonymised, a volunteer outcome.
    earlier_case(code="DO-2")
    earlier_case(outcome_issued_on=None, status=Status.AWAITING_SIGN_OFF)
    earlier_case(anonymised_at=timezone.now())
    earlier_case(sanction=Sanction.VOLUNTEER_GUIDANCE, subject=("Joan", "Fitzgerald"))

    seen = look_at_prior_outcomes(case=deciding, by=chair_of(deciding))
    assert seen.shown and seen.prior_cases == 5 and seen.clauses == ("DONT-3",)
    assert seen.sanction_counts == (
        ("No action", 1),
        ("Management advice", 1),
        ("First written warning", 2),
        ("Final written warning", 1),
    )
    assert [(r.clause, r.finding, r.sanction, r.year, r.cases) for r in seen.rows] == [
        ("DONT-3", "Not upheld", "No action", 2025, 1),
        ("DONT-3", "Upheld", "Management advice", 2025, 1),
        ("DONT-3", "Partly upheld", "Final written warning", 2025, 1),
        ("DONT-3", "Upheld", "First written warning", 2024, 2),
    ]


def test_an_earlier_policy_versions_clause_counts_by_its_code(deciding):
    from .strategies import older_policy_clause

    older = older_policy_clause().policy
    Clause.objects.create(
        policy=older, code="DONT-3", kind="DONT", order=2, text="Older words.", summary="Older."
    )
    for _ in range(5):
        earlier_case(policy=older)
    assert look_at_prior_outcomes(case=deciding, by=chair_of(deciding)).prior_cases == 5


def test_another_trusts_cases_are_not_counted(deciding):
    other = Trust.objects.create(name="Another Trust")
    school = School.objects.create(trust=other, name="Another School")
    policy = Policy.objects.create(
        trust=other,
        title="Their policy",
        version="1",
        adopted_by="Their board",
        adopted_on=D(2024, 1, 1),
        next_review_due=D(2027, 1, 31),
        is_current=True,
    )
    Clause.objects.create(
        policy=policy, code="DONT-3", kind="DONT", order=1, text="Theirs.", summary="Theirs."
    )
    theirs = StaffMember.objects.create(
        trust=other,
        school=school,
        first_name="Alex",
        last_name="Other",
        email="alex.other@another.example",
        job_title="Teacher",
        started_on=D(2020, 9, 1),
    )
    for _ in range(6):
        earlier_case(policy=policy, subject=theirs)
    seen = look_at_prior_outcomes(case=deciding, by=chair_of(deciding))
    assert not seen.shown and seen.prior_cases == 0


def test_a_volunteer_is_compared_with_volunteers(settings):
    settings.CASEWORK_CONSISTENCY_MINIMUM_CASES = 2
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True, subject=("Joan", "Fitzgerald"))
    for outcome in (Sanction.VOLUNTEER_GUIDANCE, Sanction.VOLUNTEERING_ENDED):
        earlier_case(sanction=outcome, subject=("Frank", "Gallagher"))
    earlier_case(sanction=FWW)
    seen = look_at_prior_outcomes(case=case, by=chair_of(case))
    assert dict(seen.sanction_counts) == {
        "Guidance given (volunteer)": 1,
        "Volunteering arrangement ended": 1,
    }


# --- Too few to show -------------------------------------------------------------------------


def test_nothing_is_shown_where_fewer_than_the_minimum_earlier_cases(deciding, settings):
    for _ in range(4):
        earlier_case()
    seen = look_at_prior_outcomes(case=deciding, by=chair_of(deciding))
    assert not seen.shown
    assert (seen.prior_cases, seen.sanction_counts, seen.rows) == (0, (), ())
    settings.CASEWORK_CONSISTENCY_MINIMUM_CASES = 4
    assert look_at_prior_outcomes(case=deciding, by=chair_of(deciding)).prior_cases == 4


def test_the_page_says_why_nothing_is_shown_and_shows_no_count(sign_in, deciding):
    for _ in range(4):
        earlier_case()
    client = sign_in("Catherine", "Walsh")
    html = client.get(task_form(client, deciding, "decide_hearing")).content.decode()
    assert 'data-testid="too-few"' in html
    assert "Fewer than 5 earlier cases" in html
    assert 'data-testid="sanction-counts"' not in html and "4 earlier" not in html


# --- On the pages, audited ---------------------------------------------------------------------


def test_the_chair_sees_the_advisory_panel_and_the_look_is_audited(sign_in, deciding):
    earlier = [earlier_case(year=2024 + i % 2) for i in range(5)]
    client = sign_in("Catherine", "Walsh")
    html = client.get(task_form(client, deciding, "decide_hearing")).content.decode()
    assert 'data-testid="prior-outcomes"' in html and "Advisory only." in html
    assert "5 earlier cases." in html and "First written warning" in html
    for case in earlier:  # nobody is named
        for detail in (case.reference, case.subject.full_name, case.school.name):
            assert detail not in html.split('data-testid="prior-outcomes"')[1], detail
    (event,) = AuditEvent.objects.filter(action="viewed.prior_outcomes", case_id=deciding.pk)
    assert event.actor == chair_of(deciding)
    assert event.details == {"clauses": ["DONT-3"], "as": "chair", "shown": True, "prior_cases": 5}


def test_the_signer_sees_it_when_signing_off(sign_in):
    case = case_at(Status.AWAITING_SIGN_OFF)
    for _ in range(5):
        earlier_case()
    client = sign_in("Michael", "Okafor")
    html = client.get(task_form(client, case, "sign_off")).content.decode()
    assert 'data-testid="sanction-counts"' in html
    event = AuditEvent.objects.get(action="viewed.prior_outcomes", case_id=case.pk)
    assert event.details["as"] == "signer" and event.actor == case.signing_authority.user


def test_the_chair_sees_it_again_when_the_outcome_comes_back(sign_in):
    case = case_at(Status.RETURNED_TO_CHAIR)
    client = sign_in("Catherine", "Walsh")
    html = client.get(task_form(client, case, "reconsider_decision")).content.decode()
    assert 'data-testid="prior-outcomes"' in html


@pytest.mark.parametrize(
    "who",
    [("Hannah", "Reid"), ("Michael", "Okafor"), ("Emma", "Wright"), ("Daniel", "Shaw")],
    ids=["hr", "headteacher before sign-off", "investigating officer", "subject"],
)
def test_nobody_else_may_look(deciding, who):
    with pytest.raises(NotAllowed):
        look_at_prior_outcomes(case=deciding, by=person(*who).user)
    assert not AuditEvent.objects.filter(action="viewed.prior_outcomes").exists()


def test_the_chair_may_not_look_once_the_decision_is_made(sign_in, deciding):
    from casework.demo_cases import decide

    decide(Case.objects.get(pk=deciding.pk))
    with pytest.raises(NotAllowed):
        look_at_prior_outcomes(case=Case.objects.get(pk=deciding.pk), by=chair_of(deciding))


def test_hr_looking_at_the_chairs_task_sees_no_panel(sign_in, deciding):
    for _ in range(5):
        earlier_case()
    client = sign_in("Hannah", "Reid")
    (task,) = engine.open_tasks(deciding)
    detail = client.get(task.flow_task.reverse("detail", args=[task.process_id, task.pk]))
    assert 'data-testid="prior-outcomes"' not in detail.content.decode()
    execute = client.get(task.flow_task.reverse("execute", args=[task.process_id, task.pk]))
    assert execute.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="viewed.prior_outcomes").exists()


# --- At scale ----------------------------------------------------------------------------------


def test_its_queries_do_not_grow_with_the_earlier_cases(deciding, sign_in):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            consistency.prior_outcomes(Case.objects.get(pk=deciding.pk))
        return len(captured.captured_queries)

    for i in range(5):
        earlier_case(year=2020 + i)
    few = queries()
    for i in range(30):
        earlier_case(
            code=("DONT-3", "GEN-1")[i % 2],
            sanction=(FWW, FINAL, Sanction.NO_ACTION)[i % 3],
            year=2015 + i % 10,
        )
    assert queries() == few

    client = sign_in("Catherine", "Walsh")
    url = task_form(client, deciding, "decide_hearing")
    with CaptureQueriesContext(connection) as page_now:
        client.get(url)
    for i in range(20):
        earlier_case(year=2010 + i % 5)
    with CaptureQueriesContext(connection) as page_later:
        client.get(url)
    assert len(page_later.captured_queries) == len(page_now.captured_queries)
