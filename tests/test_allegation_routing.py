"""Routing re-checked whenever the allegations change: a newly safeguarding case goes to the
DSL's review at once, pausing what was under way; a newly data-protection case goes to the
Data Protection Officer while the case goes on. At every stage the case keeps exactly the
one open task its status calls for (workflows.engine.ensure_in_step)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import (
    acknowledge,
    case_at,
    clause,
    dsl_refers,
    hr,
    person,
    triage_to_investigation,
    walk,
)
from casework.errors import RuleBroken
from casework.models import AuditEvent, Case, LadoOutcome, LowLevelConcern, Notice, Status
from casework.services import allegations, safeguarding
from casework.services.safeguarding import SafeguardingDecision
from workflows import engine

from .strategies import assert_case_consistent, fresh

pytestmark = pytest.mark.django_db


def frame(case: Case, code: str, *, by=None):
    return allegations.add_allegation(
        case=case,
        by=by or hr(),
        clause=clause(code),
        particulars=f"It is alleged that the subject breached {code}.",
    )


def open_task(case: Case) -> tuple[str, str | None]:
    (task,) = engine.open_tasks(case)
    return task.flow_task.name, task.owner.email if task.owner_id else None


RACHEL = "rachel.green@stclare.example"  # St Thomas More's DSL; the cases are Daniel Shaw's


def paused_by_hr(case: Case) -> Case:
    return safeguarding.pause_case(case=case, by=hr(), reason="The police are making enquiries.")


# --- A newly safeguarding allegation goes to the DSL at once ------------------------------


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.TRIAGE])
def test_a_safeguarding_allegation_before_triage_ends_sends_the_concern_to_the_dsl(status):
    case = case_at(status)
    framed = frame(case, "GEN-4")
    case = fresh(case)
    assert case.status == Status.SAFEGUARDING_REVIEW and case.safeguarding
    assert case.review_interrupted == ""  # a first review: all four decisions are open
    assert case.safeguarding_lead == person("Rachel", "Green")
    assert open_task(case) == ("safeguarding_review", RACHEL)
    assert "gone to the designated safeguarding lead (Rachel Green)" in framed.routing.message
    event = AuditEvent.objects.filter(case_id=case.pk, action="case.transition").last()
    assert event.actor is None and event.details["clauses"] == ["GEN-4"]
    assert event.details["framed_by"] == "Hannah Reid"
    assert_case_consistent(case)


@pytest.mark.parametrize(
    "status",
    [
        Status.APPOINTING_INVESTIGATOR,
        Status.INVESTIGATION,
        Status.INVESTIGATION_REPORT,
        Status.HEARING_TO_ARRANGE,
    ],
)
def test_a_safeguarding_allegation_at_a_formal_stage_pauses_it_for_the_dsls_review(status):
    case = case_at(status)
    by = case.investigating_officer.user if status == Status.INVESTIGATION else hr()
    framed = frame(case, "DONT-4", by=by)
    case = fresh(case)
    assert case.status == Status.SAFEGUARDING_REVIEW and case.review_interrupted == status
    assert open_task(case) == ("safeguarding_review", RACHEL)
    assert f"“{Status(status).label}” is paused" in framed.routing.message
    assert "Do not interview the subject, the child or witnesses" in framed.routing.message
    assert_case_consistent(case)


def test_a_safeguarding_allegation_while_on_hold_for_the_police_interrupts_the_hold():
    case = paused_by_hr(case_at(Status.INVESTIGATION))
    frame(case, "DONT-4")
    case = fresh(case)
    assert case.status == Status.SAFEGUARDING_REVIEW
    assert case.review_interrupted == Status.ON_HOLD_EXTERNAL
    assert case.paused_from == Status.INVESTIGATION  # kept, with why it waits
    assert case.hold_reason == "The police are making enquiries."
    assert_case_consistent(case)


@pytest.mark.parametrize(
    ("status", "task"),
    [
        (Status.SAFEGUARDING_REVIEW, "safeguarding_review"),
        (Status.LADO_REFERRAL, "refer_to_lado"),
        (Status.ON_HOLD_EXTERNAL, "resume_after_hold"),  # with the LADO
    ],
)
def test_a_safeguarding_allegation_on_a_case_with_the_dsl_or_lado_leaves_it_there(status, task):
    case = case_at(status)  # raised with DONT-4 suspected; GEN-4 is new
    before = fresh(case).status
    framed = frame(case, "GEN-4", by=hr())
    case = fresh(case)
    assert case.status == before and open_task(case)[0] == task
    assert "with the safeguarding lead or the LADO already" in framed.routing.message
    notice = Notice.objects.get(recipient=case.safeguarding_lead, case=case)
    assert "allegation 1 now cites GEN-4" in notice.text
    assert_case_consistent(case)


def test_amending_an_allegation_to_a_safeguarding_clause_routes_the_case_again():
    case = case_at(Status.INVESTIGATION_REPORT)
    allegation = case.allegations.get()
    amended = allegations.amend_allegation(
        allegation=allegation, by=hr(), clause=clause("GEN-4"), particulars="Looked up a pupil."
    )
    case = fresh(case)
    assert case.status == Status.SAFEGUARDING_REVIEW
    assert case.review_interrupted == Status.INVESTIGATION_REPORT
    assert amended.routing.to_safeguarding_lead == "Rachel Green"
    assert_case_consistent(case)


def test_a_clause_the_dsl_has_already_weighed_does_not_send_the_case_back():
    """The DSL found DONT-4 (suspected on the report) no safeguarding matter: HR framing it as
    an allegation is not news to the DSL."""
    case = case_at(Status.SAFEGUARDING_REVIEW)
    safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision="not_safeguarding",
        reasons="An adult former pupil, long left: no child is at risk.",
    )
    framed = frame(fresh(case), "DONT-4")
    assert fresh(case).status == Status.TRIAGE and framed.routing.message == ""


def test_removing_an_allegation_never_clears_the_flags():
    case = case_at(Status.TRIAGE)
    frame(case, "DO-5")
    allegation = frame(fresh(case), "DONT-3")
    allegations.remove_allegation(
        allegation=fresh(case).allegations.get(clause__code="DO-5"), by=hr(), why="Not made out."
    )
    case = fresh(case)
    assert case.data_protection and case.dpo_decisions.filter(decided_at__isnull=True).exists()
    assert allegation.routing.message == ""


# --- The DSL's review, after it interrupted a stage ---------------------------------------


def interrupted(status=Status.INVESTIGATION) -> Case:
    case = case_at(status)
    frame(case, "DONT-4", by=hr())
    case = fresh(case)
    assert case.status == Status.SAFEGUARDING_REVIEW
    return case


def review(case: Case, decision: str) -> Case:
    return safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision=decision,
        reasons="Considered with the LADO's advice line.",
    )


def test_not_for_the_lado_the_case_goes_back_to_the_stage_it_left():
    case = review(interrupted(), SafeguardingDecision.CONTINUE)
    case = fresh(case)
    assert case.status == Status.INVESTIGATION and case.review_interrupted == ""
    assert open_task(case) == ("investigate", case.investigating_officer.user.email)
    assert_case_consistent(case)


def test_a_low_level_concern_is_logged_and_the_case_goes_back():
    case = fresh(review(interrupted(Status.HEARING_TO_ARRANGE), "low_level_concern"))
    assert case.status == Status.HEARING_TO_ARRANGE and case.is_open
    assert LowLevelConcern.objects.filter(case=case).exists()
    assert_case_consistent(case)


def test_after_an_interruption_the_lado_decides_and_the_case_resumes_where_it_was():
    case = fresh(review(interrupted(), SafeguardingDecision.REFER_TO_LADO))
    assert case.status == Status.LADO_REFERRAL and case.paused_from == Status.INVESTIGATION
    case = safeguarding.record_lado_referral(
        case=case,
        by=case.safeguarding_lead.user,
        referred_on=timezone.localdate(),
        lado_reference="LADO/2026/300",
        lado_name="Ashbury LADO",
        police_involved=False,
    )
    assert fresh(case).status == Status.ON_HOLD_EXTERNAL
    with pytest.raises(RuleBroken, match="Record the LADO's outcome"):
        safeguarding.resume_after_hold(case=case, by=hr(), notes="The LADO agreed.")
    safeguarding.resume_after_hold(
        case=case, by=hr(), notes="The LADO agreed.", lado_outcome=LadoOutcome.UNFOUNDED
    )
    case = fresh(case)
    assert case.status == Status.INVESTIGATION and case.lado_referral.outcome == "unfounded"
    assert_case_consistent(case)


def test_after_interrupting_a_hold_the_dsl_returns_the_case_to_the_hold():
    case = paused_by_hr(case_at(Status.INVESTIGATION))
    frame(case, "DONT-4")
    case = fresh(review(fresh(case), SafeguardingDecision.CONTINUE))
    assert case.status == Status.ON_HOLD_EXTERNAL and case.paused_from == Status.INVESTIGATION
    assert case.hold_reason == "The police are making enquiries."
    safeguarding.resume_after_hold(case=case, by=hr(), notes="The police have finished.")
    assert fresh(case).status == Status.INVESTIGATION
    assert_case_consistent(case)


@pytest.mark.parametrize("decision", ["investigation", "not_safeguarding"])
def test_a_review_that_interrupted_a_stage_does_not_start_the_procedure_again(decision):
    case = interrupted()
    with pytest.raises(RuleBroken, match="Choose one of the safeguarding decisions"):
        review(case, decision)
    assert fresh(case).status == Status.SAFEGUARDING_REVIEW
    assert_case_consistent(case)


# --- A newly data-protection allegation goes to the DPO -----------------------------------


def test_a_data_protection_allegation_goes_to_the_dpo_and_the_case_goes_on():
    case = case_at(Status.INVESTIGATION)
    framed = frame(case, "DONT-5", by=case.investigating_officer.user)
    case = fresh(case)
    assert case.status == Status.INVESTIGATION and case.data_protection
    assert open_task(case) == ("investigate", case.investigating_officer.user.email)
    (decision,) = case.dpo_decisions.all()
    assert decision.prompted_by == "Allegation 2 cites DONT-5"
    assert decision.officer == person("Yusuf", "Ahmed")
    assert (timezone.now() - decision.aware_at).total_seconds() < 60
    assert "the Data Protection Officer decides whether to report it" in framed.routing.message
    assert_case_consistent(case)


def test_one_waiting_dpo_decision_covers_a_second_data_protection_clause():
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    frame(case, "GEN-2")
    assert fresh(case).dpo_decisions.count() == 1


# --- Over HTTP -------------------------------------------------------------------------------


def test_hr_framing_a_safeguarding_allegation_is_told_the_case_went_to_the_dsl(sign_in):
    case = case_at(Status.APPOINTING_INVESTIGATOR)
    client = sign_in("Hannah", "Reid")
    response = client.post(
        reverse("casework:add_allegation", args=[case.reference]),
        {"clause": clause("GEN-4").pk, "particulars": "Searched for a pupil's family online."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("casework:case", args=[case.reference])
    shown = response.content.decode()
    assert "has gone to the designated safeguarding lead (Rachel Green) at once" in shown
    assert fresh(case).status == Status.SAFEGUARDING_REVIEW


def test_the_investigating_officer_framing_one_over_http_pauses_their_investigation(sign_in):
    case = case_at(Status.INVESTIGATION)
    client = sign_in("Emma", "Wright")
    response = client.post(
        reverse("casework:add_allegation", args=[case.reference]),
        {"clause": clause("DONT-4").pk, "particulars": "Messaged a Year 9 pupil."},
        follow=True,
    )
    assert "“Investigation” is paused" in response.content.decode()
    assert fresh(case).status == Status.SAFEGUARDING_REVIEW
    assert_case_consistent(case)


def test_those_who_may_not_frame_allegations_cannot_reroute_a_case(sign_in):
    case = case_at(Status.TRIAGE)
    url = reverse("casework:add_allegation", args=[case.reference])
    data = {"clause": clause("DONT-4").pk, "particulars": "Messaged a pupil."}
    assert sign_in("Michael", "Okafor").post(url, data).status_code == 403  # sees, may not frame
    assert sign_in("Helen", "Carter").post(url, data).status_code == 404  # another school
    assert fresh(case).status == Status.TRIAGE and not fresh(case).allegations.exists()


def test_the_demo_walk_keeps_the_invariant_through_a_reroute_and_back():
    case = walk(
        [acknowledge, triage_to_investigation],
        subject=("Daniel", "Shaw"),
        reporter=("Priya", "Patel"),
    )
    frame(case, "DONT-4")
    case = dsl_refers(fresh(case))
    assert fresh(case).status == Status.LADO_REFERRAL
    assert_case_consistent(case)
