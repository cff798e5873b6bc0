"""Every path of the case lifecycle, driven through the services as the people who act.

After each step the case's status, its open workflow task and its audit trail must agree;
a refused step must change nothing at all.
"""

import datetime

import pytest
from django.utils import timezone

from casework import audit, selectors
from casework.demo_cases import (
    ATTENDED,
    SAFEGUARDING,
    approve,
    arrangement,
    case_at,
    clause,
    decide,
    dsl_refers,
    frame_allegation,
    hr,
    issue,
    lado_referral_made,
    lodge,
    person,
    raise_concern,
    schedule_appeal,
)
from casework.errors import CaseMoved, NotAllowed, RuleBroken
from casework.models import (
    CLOSED_STATUSES,
    EMPLOYEE_SANCTIONS,
    FORMAL_STATUSES,
    OPEN_STATUSES,
    RESUME_TO,
    VOLUNTEER_OUTCOMES,
    AuditEvent,
    Case,
    Clause,
    Hearing,
    LadoOutcome,
    Policy,
    Sanction,
    Status,
)
from casework.services import (
    allegations,
    appeals,
    case_admin,
    hearings,
    investigation,
    outcomes,
    safeguarding,
    signoff,
    suspensions,
    triage,
)
from casework.workdays import Calendar, procedure
from tests.trusts import demo_trust_id
from workflows import engine
from workflows.models import CaseProcess

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
ONE_DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


# --- What the tests look at --------------------------------------------------------------


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def transitions(case: Case) -> list[tuple[str, str]]:
    return [
        (e.details["from"], e.details["to"])
        for e in AuditEvent.objects.filter(case_id=case.pk, action="case.transition")
    ]


def open_tasks(case: Case) -> list[tuple[str, str | None]]:
    """(task, owner's e-mail or None for the shared queue) for each open task."""
    return [
        (t.flow_task.name, t.owner.email if t.owner_id else None) for t in engine.open_tasks(case)
    ]


def footprint(case: Case) -> tuple:
    """Everything a refused action must leave exactly as it was."""
    case = fresh(case)
    return (
        case.status,
        case.sanction,
        case.paused_from,
        case.closure_reason,
        case.subject_resigned_on,
        case.investigating_officer_id,
        case.hearing_chair_id,
        case.appeal_chair_id,
        AuditEvent.objects.filter(case_id=case.pk).count(),
        open_tasks(case),
        case.hearings.count(),
        case.sign_offs.count(),
        case.suspensions.filter(ended_on__isnull=True).count(),
        case.allegations.count(),
    )


def refused(case: Case, error, match: str, action) -> None:
    before = footprint(case)
    with pytest.raises(error, match=match):
        action()
    assert footprint(case) == before


def in_step(case: Case) -> Case:
    """The case, checked: its open task is the one its status calls for."""
    case = fresh(case)
    engine.ensure_in_step(case)
    return case


def closed_properly(case: Case) -> None:
    case = in_step(case)
    assert case.status in CLOSED_STATUSES
    assert case.closed_at is not None
    assert open_tasks(case) == []
    assert CaseProcess.objects.get(case=case).status == "DONE"


def email(first: str, last: str) -> str:
    return person(first, last).user.email


# --- Triage: no case to answer, informal ----------------------------------------------------


def test_a_new_concern_waits_in_the_hr_queue_for_acknowledgement():
    case = in_step(raise_concern())
    assert case.status == Status.RECEIVED
    assert case.reference.startswith(f"SM-{TODAY().year}-")
    assert open_tasks(case) == [("acknowledge", None)]
    case = triage.acknowledge_concern(case=case, by=hr())
    case = in_step(case)
    assert case.status == Status.TRIAGE
    assert case.case_manager == person("Hannah", "Reid")
    assert open_tasks(case) == [("triage", email("Hannah", "Reid"))]


def test_no_case_to_answer_at_triage_closes_the_case():
    case = case_at(Status.TRIAGE)
    case = triage.triage_concern(
        case=case, by=hr(), decision="no_case_to_answer", reasons="The account is not theirs."
    )
    closed_properly(case)
    assert fresh(case).status == Status.NO_CASE_TO_ANSWER
    assert fresh(case).closure_reason == "The account is not theirs."
    assert transitions(case) == [
        ("received", "triage"),
        ("triage", "no_case_to_answer"),
    ]


def test_informal_management_advice_at_triage_closes_the_case():
    case = case_at(Status.TRIAGE)
    case = triage.triage_concern(
        case=case, by=hr(), decision="informal", reasons="A word from the head will do."
    )
    closed_properly(case)
    assert fresh(case).status == Status.INFORMAL_ADVICE
    assert transitions(case)[-1] == ("triage", "informal_advice")


def test_triage_needs_reasons_and_a_real_decision():
    case = case_at(Status.TRIAGE)
    refused(
        case,
        RuleBroken,
        "Give the reasons",
        lambda: triage.triage_concern(case=case, by=hr(), decision="informal", reasons="  "),
    )
    refused(
        case,
        RuleBroken,
        "Choose one of the triage decisions",
        lambda: triage.triage_concern(case=case, by=hr(), decision="sack them", reasons="x"),
    )


def test_an_investigation_cannot_open_before_an_allegation_is_framed():
    case = case_at(Status.TRIAGE)
    refused(
        case,
        RuleBroken,
        "Add at least one allegation",
        lambda: triage.triage_concern(
            case=case, by=hr(), decision="investigation", reasons="Facts needed."
        ),
    )


def test_only_hr_may_triage():
    case = case_at(Status.TRIAGE)
    refused(
        case,
        NotAllowed,
        "not the person who may take this step",
        lambda: triage.triage_concern(
            case=case,
            by=person("Michael", "Okafor").user,
            decision="no_case_to_answer",
            reasons="I know him.",
        ),
    )


def test_each_decision_belongs_to_its_own_stage():
    """Closing as "no case to answer" follows triage and the report alike; neither decision
    may be taken at the other's stage (and so skip its checks)."""
    at_triage = frame_allegation(case_at(Status.TRIAGE, clauses=("DO-5",)))
    assert at_triage.data_protection
    refused(
        at_triage,
        CaseMoved,
        "where that step is not possible",
        lambda: investigation.decide_on_report(
            case=at_triage, by=hr(), decision="no_case_to_answer", reasons="Nothing in it."
        ),
    )
    refused(
        at_triage,
        CaseMoved,
        "where that step is not possible",
        lambda: safeguarding.review_safeguarding_concern(
            case=at_triage, by=hr(), decision="investigation", reasons="Investigate."
        ),
    )
    at_report = case_at(Status.INVESTIGATION_REPORT)
    refused(
        at_report,
        CaseMoved,
        "where that step is not possible",
        lambda: triage.triage_concern(
            case=at_report, by=hr(), decision="no_case_to_answer", reasons="Nothing in it."
        ),
    )
    received = case_at(Status.RECEIVED)
    refused(
        received,
        CaseMoved,
        "where that step is not possible",
        lambda: triage.triage_concern(
            case=received, by=hr(), decision="safeguarding", reasons="Skip acknowledging."
        ),
    )


def test_hr_may_send_a_concern_from_triage_to_the_safeguarding_lead():
    case = case_at(Status.TRIAGE)
    case = triage.triage_concern(
        case=case,
        by=hr(),
        decision="safeguarding",
        reasons="The post names a pupil.",
    )
    case = in_step(case)
    assert case.status == Status.SAFEGUARDING_REVIEW
    assert case.safeguarding and case.safeguarding_since is not None
    assert case.safeguarding_lead == person("Rachel", "Green")
    assert open_tasks(case) == [("safeguarding_review", email("Rachel", "Green"))]


# --- Allegations, each tied to one clause -------------------------------------------------


def test_allegations_are_numbered_amended_and_removed_with_a_record():
    case = case_at(Status.TRIAGE, clauses=())
    first = allegations.add_allegation(
        case=case, by=hr(), clause=clause("DONT-3"), particulars="Posted about a colleague."
    )
    second = allegations.add_allegation(
        case=case, by=hr(), clause=clause("DONT-8"), particulars="Brought the school low."
    )
    assert (first.number, second.number) == (1, 2)
    allegations.amend_allegation(
        allegation=second, by=hr(), clause=clause("DONT-2"), particulars="Spoke for the school."
    )
    second.refresh_from_db()
    assert second.clause.code == "DONT-2" and second.particulars == "Spoke for the school."
    refused(
        case,
        RuleBroken,
        "Say why",
        lambda: allegations.remove_allegation(allegation=second, by=hr(), why=" "),
    )
    allegations.remove_allegation(allegation=second, by=hr(), why="Not supported by the post.")
    assert [a.clause.code for a in case.allegations.all()] == ["DONT-3"]
    events = AuditEvent.objects.filter(case_id=case.pk, action__startswith="allegation.")
    assert [e.action for e in events] == [
        "allegation.added",
        "allegation.added",
        "allegation.amended",
        "allegation.removed",
    ]
    assert "DONT-8 → DONT-2" in events[2].summary
    assert events[3].details["particulars"] == "Spoke for the school."


def test_an_allegation_needs_particulars_and_a_clause_of_the_policy_the_case_cites():
    case = case_at(Status.TRIAGE)
    refused(
        case,
        RuleBroken,
        "Set out the particulars",
        lambda: allegations.add_allegation(
            case=case, by=hr(), clause=clause("DONT-3"), particulars=" "
        ),
    )
    current = case.policy
    later = Policy.objects.create(
        trust=current.trust,
        title=current.title,
        version="next",
        adopted_by="Trust board",
        adopted_on=TODAY(),
        next_review_due=TODAY() + datetime.timedelta(days=365),
    )
    newer_clause = Clause.objects.create(
        policy=later, code="DONT-3", kind="DONT", order=1, text="Newer wording.", summary="New."
    )
    refused(
        case,
        RuleBroken,
        "from another version of the policy",
        lambda: allegations.add_allegation(
            case=case, by=hr(), clause=newer_clause, particulars="Posted about a colleague."
        ),
    )


def test_who_may_frame_allegations():
    at_review = case_at(Status.SAFEGUARDING_REVIEW)
    allegations.add_allegation(
        case=at_review,
        by=at_review.safeguarding_lead.user,
        clause=clause("DONT-4"),
        particulars="Messaged a current pupil.",
    )
    investigating = case_at(Status.INVESTIGATION)
    allegations.add_allegation(
        case=investigating,
        by=investigating.investigating_officer.user,
        clause=clause("DONT-8"),
        particulars="The evidence also shows a second post.",
    )
    assert investigating.allegations.count() == 2
    refused(
        investigating,
        NotAllowed,
        "Only the case manager, the DSL or the investigating officer",
        lambda: allegations.add_allegation(
            case=investigating,
            by=person("Michael", "Okafor").user,
            clause=clause("DONT-8"),
            particulars="x",
        ),
    )


@pytest.mark.parametrize(
    "status", [Status.HEARING_SCHEDULED, Status.AWAITING_SIGN_OFF, Status.APPEAL_LODGED]
)
def test_allegations_are_fixed_once_the_hearing_is_arranged(status):
    case = case_at(status)
    (allegation,) = case.allegations.all()
    refused(
        case,
        RuleBroken,
        "can no longer change",
        lambda: allegations.add_allegation(
            case=case, by=hr(), clause=clause("DONT-8"), particulars="And another thing."
        ),
    )
    refused(
        case,
        RuleBroken,
        "can no longer change",
        lambda: allegations.remove_allegation(allegation=allegation, by=hr(), why="Dropped."),
    )


def test_a_case_paused_after_its_hearing_keeps_its_allegations():
    decided = safeguarding.pause_case(
        case=case_at(Status.AWAITING_SIGN_OFF), by=hr(), reason="Police."
    )
    refused(
        decided,
        RuleBroken,
        "can no longer change",
        lambda: allegations.add_allegation(
            case=decided, by=hr(), clause=clause("DONT-8"), particulars="Added while paused."
        ),
    )
    # A hearing paused before it was held is arranged again, so the allegations may change.
    arranged = safeguarding.pause_case(
        case=case_at(Status.HEARING_SCHEDULED, subject=("Ben", "Taylor")), by=hr(), reason="Police."
    )
    allegations.add_allegation(
        case=arranged, by=hr(), clause=clause("DONT-8"), particulars="Found while paused."
    )
    assert arranged.allegations.count() == 2


def test_the_only_allegation_of_an_investigation_stays_while_the_case_is_on_hold():
    paused = safeguarding.pause_case(
        case=case_at(Status.INVESTIGATION), by=hr(), reason="The police are investigating."
    )
    (only,) = paused.allegations.all()
    refused(
        paused,
        RuleBroken,
        "This is the case's only allegation",
        lambda: allegations.remove_allegation(allegation=only, by=hr(), why="Wrong clause."),
    )


# --- The safeguarding route ---------------------------------------------------------------


def test_a_safeguarding_concern_goes_straight_to_the_schools_dsl():
    case = in_step(raise_concern(**SAFEGUARDING))
    assert case.status == Status.SAFEGUARDING_REVIEW
    assert case.safeguarding_lead == person("Rachel", "Green")
    assert open_tasks(case) == [("safeguarding_review", email("Rachel", "Green"))]
    routed = AuditEvent.objects.get(case_id=case.pk, action="case.transition")
    assert routed.actor is None and routed.actor_label == "Casework (automatic)"
    assert routed.details["why"]


def test_lado_referral_due_within_one_working_day_then_the_case_waits_on_hold():
    case = case_at(Status.SAFEGUARDING_REVIEW, **SAFEGUARDING)
    case = in_step(dsl_refers(case))
    assert case.status == Status.LADO_REFERRAL
    expected_due = Calendar.of_case(case).add_working_days(
        timezone.localtime(case.safeguarding_since).date(),
        procedure("LADO_REFERRAL_WORKING_DAYS", trust=demo_trust_id()),
    )
    assert case.lado_referral.due_on == expected_due
    assert case.action_due_on == expected_due
    assert open_tasks(case) == [("refer_to_lado", email("Rachel", "Green"))]

    case = in_step(lado_referral_made(case))
    assert case.status == Status.ON_HOLD_EXTERNAL
    assert "LADO/2026/117" in case.hold_reason
    assert case.action_due_on is None
    referral = case.lado_referral
    assert referral.referred_on == TODAY()
    assert referral.referred_by == person("Rachel", "Green").user
    # HR resumes the case when the LADO or police allow it.
    assert open_tasks(case) == [("resume_after_hold", None)]


def test_a_lado_referral_needs_a_reference_and_a_real_date():
    case = case_at(Status.LADO_REFERRAL, **SAFEGUARDING)
    dsl = case.safeguarding_lead.user

    def refer(**changes):
        values = dict(
            referred_on=TODAY(), lado_reference="LADO/1", lado_name="", police_involved=False
        )
        values.update(changes)
        return lambda: safeguarding.record_lado_referral(case=case, by=dsl, **values)

    refused(case, RuleBroken, "cannot be in the future", refer(referred_on=TODAY() + ONE_DAY))
    refused(case, RuleBroken, "before the concern was raised", refer(referred_on=TODAY() - WEEK))
    refused(case, RuleBroken, "Give the reference", refer(lado_reference=" "))


def test_only_the_cases_dsl_records_the_referral():
    case = case_at(Status.LADO_REFERRAL, **SAFEGUARDING)
    refused(
        case,
        NotAllowed,
        "not the person",
        lambda: safeguarding.record_lado_referral(
            case=case,
            by=hr(),
            referred_on=TODAY(),
            lado_reference="LADO/1",
            lado_name="",
            police_involved=False,
        ),
    )


@pytest.mark.parametrize(
    ("next_step", "lado_outcome"),
    [
        (Status.APPOINTING_INVESTIGATOR, LadoOutcome.SUBSTANTIATED),
        (Status.INFORMAL_ADVICE, LadoOutcome.UNSUBSTANTIATED),
        (Status.NO_CASE_TO_ANSWER, LadoOutcome.FALSE),
        (Status.LOW_LEVEL_CONCERN, LadoOutcome.UNFOUNDED),
    ],
)
def test_resuming_after_the_lado_records_its_outcome_and_goes_on(next_step, lado_outcome):
    case = case_at(Status.ON_HOLD_EXTERNAL, **SAFEGUARDING)
    if next_step == Status.APPOINTING_INVESTIGATOR:
        frame_allegation(case, "DONT-4")
    case = safeguarding.resume_after_hold(
        case=case,
        by=hr(),
        notes="LADO confirmed on the phone that the school may proceed.",
        next_step=next_step,
        lado_outcome=lado_outcome,
    )
    case = in_step(case)
    assert case.status == next_step
    assert case.hold_reason == "" and case.paused_from == ""
    assert case.lado_referral.outcome == lado_outcome
    assert case.lado_referral.outcome_recorded_on == TODAY()
    event = AuditEvent.objects.filter(case_id=case.pk, action="case.transition").last()
    assert event.details["lado_outcome"] == lado_outcome
    assert event.details["from"] == Status.ON_HOLD_EXTERNAL
    # The HR manager who resumed it from the queue is its case manager from now on.
    assert case.case_manager == person("Hannah", "Reid")
    if next_step == Status.APPOINTING_INVESTIGATOR:
        assert open_tasks(case) == [("appoint_investigator", email("Hannah", "Reid"))]
    else:
        closed_properly(case)
    in_log = [entry.case for entry in selectors.low_level_log(hr())]
    assert (case in in_log) == (next_step == Status.LOW_LEVEL_CONCERN)


def test_resuming_after_the_lado_needs_its_outcome_a_next_step_and_who_allowed_it():
    case = case_at(Status.ON_HOLD_EXTERNAL, **SAFEGUARDING)

    def resume(**changes):
        values = dict(
            notes="LADO agreed.", next_step=Status.INFORMAL_ADVICE, lado_outcome="unfounded"
        )
        values.update(changes)
        return lambda: safeguarding.resume_after_hold(case=case, by=hr(), **values)

    refused(case, RuleBroken, "Say who allowed", resume(notes=""))
    refused(case, RuleBroken, "Record the LADO's outcome", resume(lado_outcome=""))
    refused(case, RuleBroken, "Choose what happens next", resume(next_step=Status.CLOSED))
    refused(
        case, RuleBroken, "Add at least one allegation", resume(next_step="appointing_investigator")
    )
    refused(
        case,
        NotAllowed,
        "not the person",
        lambda: safeguarding.resume_after_hold(
            case=case,
            by=case.safeguarding_lead.user,
            notes="x",
            next_step=Status.INFORMAL_ADVICE,
            lado_outcome="unfounded",
        ),
    )


def test_a_low_level_concern_is_logged_with_its_rationale_and_closes_the_case():
    case = case_at(Status.SAFEGUARDING_REVIEW, **SAFEGUARDING)
    rationale = "Liked a former pupil's public post; no contact. Below the harm threshold."
    case = safeguarding.review_safeguarding_concern(
        case=case, by=case.safeguarding_lead.user, decision="low_level_concern", reasons=rationale
    )
    closed_properly(case)
    case = fresh(case)
    assert case.status == Status.LOW_LEVEL_CONCERN
    entry = case.low_level_concern
    assert entry.rationale == rationale and entry.school == case.school
    assert entry in selectors.low_level_log(person("Rachel", "Green").user)
    assert entry in selectors.low_level_log(hr())
    # Kept apart from other schools' safeguarding leads.
    assert entry not in selectors.low_level_log(person("David", "Nwosu").user)


def test_the_dsl_may_hand_a_concern_back_to_hr_triage():
    case = case_at(Status.SAFEGUARDING_REVIEW, **SAFEGUARDING)
    case = safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision="not_safeguarding",
        reasons="The 'pupil' is an adult relative; a conduct matter only.",
    )
    case = in_step(case)
    assert case.status == Status.TRIAGE
    assert open_tasks(case) == [("triage", None)]  # back in the HR queue
    assert transitions(case)[-1] == ("safeguarding_review", "triage")
    case = triage.triage_concern(case=case, by=hr(), decision="informal", reasons="Advice.")
    closed_properly(case)


def test_the_dsl_may_open_an_investigation_once_an_allegation_is_framed():
    case = case_at(Status.SAFEGUARDING_REVIEW, **SAFEGUARDING)
    dsl = case.safeguarding_lead.user
    refused(
        case,
        RuleBroken,
        "Add at least one allegation",
        lambda: safeguarding.review_safeguarding_concern(
            case=case, by=dsl, decision="investigation", reasons="Conduct, not harm."
        ),
    )
    frame_allegation(case, "DONT-4")
    case = safeguarding.review_safeguarding_concern(
        case=case, by=dsl, decision="investigation", reasons="Conduct, not harm."
    )
    assert in_step(case).status == Status.APPOINTING_INVESTIGATOR
    assert open_tasks(case) == [("appoint_investigator", None)]  # HR has not seen it yet
    case = investigation.appoint_investigating_officer(
        case=case,
        by=person("Marcus", "Obi").user,
        officer=person("Emma", "Wright"),
        terms_of_reference="Establish the contact with the pupil.",
    )
    assert in_step(case).case_manager == person("Marcus", "Obi")
    case = investigation.submit_investigation_report(
        case=case,
        by=person("Emma", "Wright").user,
        summary="Made out.",
        recommendation="informal",
        findings=_findings(case, "partly_upheld"),
    )
    assert open_tasks(case) == [("consider_report", email("Marcus", "Obi"))]


def test_only_the_cases_dsl_reviews_a_safeguarding_concern():
    case = case_at(Status.SAFEGUARDING_REVIEW, **SAFEGUARDING)
    for outsider in (hr(), person("David", "Nwosu").user, person("Owen", "Price").user):
        refused(
            case,
            NotAllowed,
            "not the person",
            lambda outsider=outsider: safeguarding.review_safeguarding_concern(
                case=case, by=outsider, decision="low_level_concern", reasons="Minor."
            ),
        )


# --- Investigation ----------------------------------------------------------------------


def test_investigation_report_then_hr_decides_no_case_or_informal_or_hearing():
    for decision, status in (
        ("no_case_to_answer", Status.NO_CASE_TO_ANSWER),
        ("informal", Status.INFORMAL_ADVICE),
        ("hearing", Status.HEARING_TO_ARRANGE),
    ):
        case = case_at(Status.INVESTIGATION_REPORT)
        assert open_tasks(case) == [("consider_report", email("Hannah", "Reid"))]
        case = investigation.decide_on_report(
            case=case, by=hr(), decision=decision, reasons="Having read the report."
        )
        case = in_step(case)
        assert case.status == status
        if status in CLOSED_STATUSES:
            closed_properly(case)
        else:
            assert open_tasks(case) == [("arrange_hearing", email("Hannah", "Reid"))]


def test_the_investigating_officer_records_meetings_statements_and_a_report():
    case = case_at(Status.INVESTIGATION)
    officer = person("Emma", "Wright").user
    assert open_tasks(case) == [("investigate", officer.email)]
    meeting = investigation.record_meeting(
        case=case,
        by=officer,
        held_at=timezone.now() - datetime.timedelta(hours=1),
        location="Room 4",
        with_whom="Daniel Shaw and Emma Wright",
        notes="Accepted posting it.",
    )
    statement = investigation.record_statement(
        case=case,
        by=officer,
        taken_on=TODAY(),
        statement="I saw the post on Monday.",
        witness=person("Ben", "Taylor"),
    )
    assert case.witnesses.filter(pk=person("Ben", "Taylor").pk).exists()
    actions = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {"investigation.meeting", "investigation.statement"} <= actions
    assert meeting.recorded_by == officer and statement.recorded_by == officer
    (allegation,) = case.allegations.all()
    refused(
        case,
        RuleBroken,
        "Give a finding and reasons for allegation 1",
        lambda: investigation.submit_investigation_report(
            case=case, by=officer, summary="Done.", recommendation="hearing", findings={}
        ),
    )
    case = investigation.submit_investigation_report(
        case=case,
        by=officer,
        summary="The post was theirs.",
        recommendation="hearing",
        findings={allegation.pk: ("upheld", "Admitted.")},
    )
    case = in_step(case)
    assert case.status == Status.INVESTIGATION_REPORT
    assert case.investigation_report.recommendation == "hearing"
    allegation.refresh_from_db()
    assert allegation.investigation_finding == "upheld"


def test_only_the_investigating_officer_records_the_investigation():
    case = case_at(Status.INVESTIGATION)
    for outsider in (hr(), person("Rachel", "Green").user, person("Michael", "Okafor").user):
        refused(
            case,
            NotAllowed,
            "Only the investigating officer",
            lambda outsider=outsider: investigation.record_meeting(
                case=case,
                by=outsider,
                held_at=timezone.now(),
                location="x",
                with_whom="y",
                notes="z",
            ),
        )


def test_hr_may_replace_the_investigating_officer_and_the_task_moves_with_it():
    case = case_at(Status.INVESTIGATION)
    case = investigation.replace_investigating_officer(
        case=case, by=hr(), officer=person("Rachel", "Green"), reason="Emma is on leave."
    )
    case = in_step(case)
    assert case.investigating_officer == person("Rachel", "Green")
    assert open_tasks(case) == [("investigate", email("Rachel", "Green"))]


# --- Hearings and sanctions ---------------------------------------------------------------


def test_hearing_arranged_with_notice_goes_to_the_chair():
    case = case_at(Status.HEARING_TO_ARRANGE)
    hearing = hearings.schedule_hearing(
        case=case, by=hr(), arrangement=arrangement(case, ("Catherine", "Walsh"))
    )
    case = in_step(case)
    assert case.status == Status.HEARING_SCHEDULED
    assert case.hearing_chair == person("Catherine", "Walsh")
    assert hearing.companion_name == "Jo Marsh (NEU)"
    assert case.action_due_on == timezone.localtime(hearing.starts_at).date()
    assert open_tasks(case) == [("decide_hearing", email("Catherine", "Walsh"))]


def test_a_hearing_needs_the_notice_the_settings_ask_for(settings):
    case = case_at(Status.HEARING_TO_ARRANGE)
    calendar = Calendar.of_case(case)
    notice = procedure("HEARING_NOTICE_WORKING_DAYS", trust=demo_trust_id())
    too_soon = calendar.add_working_days(TODAY(), notice - 1)
    usual = arrangement(case, ("Catherine", "Walsh"))  # the earliest date the default allows
    plan = arrangement(case, ("Catherine", "Walsh"))
    plan.starts_at = timezone.make_aware(datetime.datetime.combine(too_soon, datetime.time(10)))
    refused(
        case,
        RuleBroken,
        f"needs {notice} working days' notice",
        lambda: hearings.schedule_hearing(case=case, by=hr(), arrangement=plan),
    )
    # A longer notice period in the settings makes the usual date too soon.
    settings.CASEWORK_PROCEDURE = {**settings.CASEWORK_PROCEDURE, "HEARING_NOTICE_WORKING_DAYS": 8}
    refused(
        case,
        RuleBroken,
        "needs 8 working days' notice",
        lambda: hearings.schedule_hearing(case=case, by=hr(), arrangement=usual),
    )


def test_a_hearing_needs_a_place_and_a_named_companion():
    case = case_at(Status.HEARING_TO_ARRANGE)

    def with_changes(**changes):
        plan = arrangement(case, ("Catherine", "Walsh"))
        for name, value in changes.items():
            setattr(plan, name, value)
        return lambda: hearings.schedule_hearing(case=case, by=hr(), arrangement=plan)

    refused(case, RuleBroken, "Say where", with_changes(location=" "))
    refused(case, RuleBroken, "Name the companion", with_changes(companion_name=""))
    refused(case, RuleBroken, "not a working day", with_changes(starts_at=_weekend_after(case)))


def _weekend_after(case) -> datetime.datetime:
    day = Calendar.of_case(case).add_working_days(TODAY(), 10)
    while day.weekday() != 5:
        day += ONE_DAY
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _moved(case, *, working_days_after_first: int, for_companion: bool):
    first = hearings.current_hearing(case)
    day = Calendar.of_case(case).add_working_days(
        timezone.localtime(first.starts_at).date(), working_days_after_first
    )
    plan = arrangement(case, ("Catherine", "Walsh"))
    plan.starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
    return lambda: hearings.reschedule_hearing(
        case=case,
        by=hr(),
        arrangement=plan,
        reason="The union representative cannot attend.",
        postponed_for_companion=for_companion,
    )


def test_a_hearing_postponed_for_the_companion_moves_within_five_working_days():
    case = case_at(Status.HEARING_SCHEDULED)
    first = hearings.current_hearing(case)
    limit = procedure("COMPANION_POSTPONEMENT_WORKING_DAYS", trust=demo_trust_id())
    refused(
        case,
        RuleBroken,
        f"within {limit} working days",
        _moved(case, working_days_after_first=limit + 1, for_companion=True),
    )
    hearing = _moved(case, working_days_after_first=limit, for_companion=True)()
    case = in_step(case)
    assert case.status == Status.HEARING_SCHEDULED
    assert hearing.replaces == first and hearing.postponed_for_companion
    assert case.hearings.count() == 2  # the first arrangement is kept
    assert hearings.current_hearing(case) == hearing
    assert case.action_due_on == timezone.localtime(hearing.starts_at).date()
    event = AuditEvent.objects.filter(case_id=case.pk, action="case.transition").last()
    assert event.details["transition"] == "reschedule_hearing"
    assert event.details["why"] == "The union representative cannot attend."


def test_the_companion_postponement_window_is_a_setting(settings):
    case = case_at(Status.HEARING_SCHEDULED)
    settings.CASEWORK_PROCEDURE = {
        **settings.CASEWORK_PROCEDURE,
        "COMPANION_POSTPONEMENT_WORKING_DAYS": 2,
    }
    refused(
        case,
        RuleBroken,
        "within 2 working days",
        _moved(case, working_days_after_first=3, for_companion=True),
    )
    _moved(case, working_days_after_first=2, for_companion=True)()
    assert fresh(case).hearings.count() == 2


def test_a_hearing_moved_for_another_reason_needs_fresh_notice():
    case = case_at(Status.HEARING_SCHEDULED)
    plan = arrangement(case, ("Catherine", "Walsh"))
    day = Calendar.of_case(case).add_working_days(TODAY(), 2)
    plan.starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    refused(
        case,
        RuleBroken,
        "working days' notice",
        lambda: hearings.reschedule_hearing(
            case=case,
            by=hr(),
            arrangement=plan,
            reason="The chair is ill.",
            postponed_for_companion=False,
        ),
    )


def test_a_new_chair_on_a_moved_hearing_takes_over_the_decision_task():
    case = case_at(Status.HEARING_SCHEDULED)
    plan = arrangement(case, ("Peter", "Quinn"))
    later = Calendar.of_case(case).add_working_days(TODAY(), 10)
    plan.starts_at = timezone.make_aware(datetime.datetime.combine(later, datetime.time(10)))
    hearings.reschedule_hearing(
        case=case,
        by=hr(),
        arrangement=plan,
        reason="The chair is ill.",
        postponed_for_companion=False,
    )
    case = in_step(case)
    assert case.hearing_chair == person("Peter", "Quinn")
    assert open_tasks(case) == [("decide_hearing", email("Peter", "Quinn"))]


def _findings(case, finding="upheld"):
    return {a.pk: (finding, "Screenshots and admission.") for a in case.allegations.all()}


@pytest.mark.parametrize("sanction", EMPLOYEE_SANCTIONS)
def test_investigation_to_hearing_to_each_sanction(sanction):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    case = decide(case, sanction)
    case = in_step(case)
    assert case.status == Status.AWAITING_SIGN_OFF
    assert case.sanction == sanction
    assert case.signing_authority == person("Michael", "Okafor")  # the school's headteacher
    assert open_tasks(case) == [("sign_off", email("Michael", "Okafor"))]
    assert {a.hearing_finding for a in case.allegations.all()} == {"upheld"}

    case = in_step(approve(case))
    assert case.status == Status.SIGNED_OFF
    case = in_step(issue(case))
    assert case.status == Status.OUTCOME_ISSUED
    assert case.outcome_issued_on == TODAY() == case.sanction_effective_on
    assert case.appeal_deadline == Calendar.of_case(case).add_working_days(
        TODAY(), procedure("APPEAL_WORKING_DAYS", trust=demo_trust_id())
    )
    assert case.action_due_on == case.appeal_deadline
    if sanction == Sanction.FIRST_WRITTEN_WARNING:
        assert case.warning_expires_on == outcomes.warning_expiry(
            sanction, TODAY(), trust=case.trust_id
        )
        assert case.warning_expires_on > TODAY() + datetime.timedelta(days=27 * 5)
    elif sanction == Sanction.FINAL_WRITTEN_WARNING:
        assert case.warning_expires_on == outcomes.warning_expiry(
            sanction, TODAY(), trust=case.trust_id
        )
        assert case.warning_expires_on > TODAY() + datetime.timedelta(days=360)
    else:
        assert case.warning_expires_on is None
    assert open_tasks(case) == [("appeal_window", email("Hannah", "Reid"))]


@pytest.mark.parametrize("sanction", VOLUNTEER_OUTCOMES)
def test_a_volunteer_gets_a_volunteer_outcome(sanction):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True, subject=("Joan", "Fitzgerald"))
    case = in_step(decide(case, sanction))
    assert case.status == Status.AWAITING_SIGN_OFF and case.sanction == sanction
    case = issue(approve(case))
    assert fresh(case).status == Status.OUTCOME_ISSUED
    assert fresh(case).warning_expires_on is None


def test_an_employment_sanction_is_refused_for_a_volunteer_and_the_reverse():
    volunteer_case = case_at(
        Status.HEARING_SCHEDULED, hearing_held=True, subject=("Joan", "Fitzgerald")
    )
    chair = volunteer_case.hearing_chair.user
    for sanction in EMPLOYEE_SANCTIONS:
        refused(
            volunteer_case,
            RuleBroken,
            "Choose an outcome for a volunteer",
            lambda s=sanction: hearings.record_decision(
                attendance=ATTENDED,
                case=volunteer_case,
                by=chair,
                findings=_findings(volunteer_case),
                sanction=s,
                reasons="Breach.",
            ),
        )
    employee_case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    for sanction in VOLUNTEER_OUTCOMES:
        refused(
            employee_case,
            RuleBroken,
            "Choose one of the sanctions",
            lambda s=sanction: hearings.record_decision(
                attendance=ATTENDED,
                case=employee_case,
                by=chair,
                findings=_findings(employee_case),
                sanction=s,
                reasons="Breach.",
            ),
        )


def test_the_decision_needs_a_finding_with_reasons_for_every_allegation():
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    chair = case.hearing_chair.user
    (allegation,) = case.allegations.all()
    for findings in ({}, {allegation.pk: ("upheld", " ")}, {allegation.pk: ("guilty", "Yes.")}):
        refused(
            case,
            RuleBroken,
            "Each allegation needs a finding",
            lambda f=findings: hearings.record_decision(
                attendance=ATTENDED,
                case=case,
                by=chair,
                findings=f,
                sanction="management_advice",
                reasons="Breach.",
            ),
        )


def test_every_allegation_of_a_case_must_have_its_finding(hold_hearing):
    case = case_at(Status.INVESTIGATION)
    officer = case.investigating_officer.user
    allegations.add_allegation(
        case=case,
        by=officer,
        clause=clause("DONT-8"),
        particulars="The post brought the school into disrepute.",
    )
    first, second = case.allegations.all()
    case = investigation.submit_investigation_report(
        case=case,
        by=officer,
        summary="Both made out.",
        recommendation="hearing",
        findings={first.pk: ("upheld", "Admitted."), second.pk: ("partly_upheld", "In part.")},
    )
    investigation.decide_on_report(case=case, by=hr(), decision="hearing", reasons="Serious.")
    hearings.schedule_hearing(
        case=case, by=hr(), arrangement=arrangement(case, ("Catherine", "Walsh"))
    )
    hold_hearing(case)
    chair = person("Catherine", "Walsh").user
    refused(
        case,
        RuleBroken,
        r"allegation 2 \(DONT-8\) has none",
        lambda: hearings.record_decision(
            attendance=ATTENDED,
            case=case,
            by=chair,
            findings={first.pk: ("upheld", "Admitted.")},
            sanction="first_written_warning",
            reasons="Breach.",
        ),
    )
    case = hearings.record_decision(
        attendance=ATTENDED,
        case=case,
        by=chair,
        findings={first.pk: ("upheld", "Admitted."), second.pk: ("not_upheld", "No evidence.")},
        sanction="first_written_warning",
        reasons="Breach.",
    )
    assert in_step(case).status == Status.AWAITING_SIGN_OFF
    assert [a.hearing_finding for a in case.allegations.all()] == ["upheld", "not_upheld"]


def test_nothing_upheld_means_no_action():
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    chair = case.hearing_chair.user
    refused(
        case,
        RuleBroken,
        "only outcome can be no action",
        lambda: hearings.record_decision(
            attendance=ATTENDED,
            case=case,
            by=chair,
            findings=_findings(case, "not_upheld"),
            sanction="first_written_warning",
            reasons="Breach.",
        ),
    )
    case = hearings.record_decision(
        attendance=ATTENDED,
        case=case,
        by=chair,
        findings=_findings(case, "not_upheld"),
        sanction="no_action",
        reasons="Not made out.",
    )
    assert fresh(case).status == Status.AWAITING_SIGN_OFF


def test_dismissal_only_when_the_invitation_warned_of_it(hold_hearing):
    case = case_at(Status.HEARING_TO_ARRANGE)
    plan = arrangement(case, ("Catherine", "Walsh"))
    plan.dismissal_possible = False
    hearings.schedule_hearing(case=case, by=hr(), arrangement=plan)
    hold_hearing(case)
    chair = person("Catherine", "Walsh").user
    for sanction in (Sanction.DISMISSAL_WITH_NOTICE, Sanction.SUMMARY_DISMISSAL):
        refused(
            case,
            RuleBroken,
            "did not warn that dismissal was possible",
            lambda s=sanction: hearings.record_decision(
                attendance=ATTENDED,
                case=case,
                by=chair,
                findings=_findings(case),
                sanction=s,
                reasons="Gross.",
            ),
        )


def test_only_the_chair_records_the_decision():
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    for outsider in (hr(), person("Michael", "Okafor").user, person("Emma", "Wright").user):
        refused(
            case,
            NotAllowed,
            "not the person",
            lambda outsider=outsider: hearings.record_decision(
                attendance=ATTENDED,
                case=case,
                by=outsider,
                findings=_findings(case),
                sanction="management_advice",
                reasons="Breach.",
            ),
        )


def test_the_decision_waits_until_the_hearing_has_been_held(hold_hearing):
    case = case_at(Status.HEARING_SCHEDULED)
    chair = case.hearing_chair.user
    hearing_day = hearings.current_hearing(case).starts_at
    refused(
        case,
        RuleBroken,
        f"arranged for {timezone.localtime(hearing_day):%A %-d %B %Y at %H:%M}. Its decision "
        "can be recorded once it has been held",
        lambda: hearings.record_decision(
            attendance=ATTENDED,
            case=case,
            by=chair,
            findings=_findings(case),
            sanction="management_advice",
            reasons="Breach.",
        ),
    )
    # Someone who may not decide is told so, not when the hearing is.
    refused(
        case,
        NotAllowed,
        "not the person",
        lambda: hearings.record_decision(
            attendance=ATTENDED,
            case=case,
            by=hr(),
            findings=_findings(case),
            sanction="no_action",
            reasons="x",
        ),
    )
    hold_hearing(case)
    case = hearings.record_decision(
        attendance=ATTENDED,
        case=case,
        by=chair,
        findings=_findings(case),
        sanction="no_action",
        reasons="Not proven.",
    )
    assert in_step(case).status == Status.AWAITING_SIGN_OFF


def test_the_appeal_decision_waits_until_the_appeal_hearing_has_been_held(hold_hearing):
    case = case_at(Status.APPEAL_HEARING)
    chair = case.appeal_chair.user
    refused(
        case,
        RuleBroken,
        "appeal hearing is arranged for .* once it has been held",
        lambda: appeals.decide_appeal(
            attendance=ATTENDED, case=case, by=chair, outcome="upheld", reasons="Fair."
        ),
    )
    hold_hearing(case, Hearing.Kind.APPEAL)
    case = appeals.decide_appeal(
        attendance=ATTENDED, case=case, by=chair, outcome="upheld", reasons="Fair."
    )
    assert in_step(case).status == Status.APPEAL_DECIDED


# --- Sign-off -----------------------------------------------------------------------------


def test_sign_off_returned_to_the_chair_who_decides_again_then_approved():
    case = case_at(Status.AWAITING_SIGN_OFF)
    head = person("Michael", "Okafor").user
    refused(
        case,
        RuleBroken,
        "Say what the chair should reconsider",
        lambda: signoff.sign_off_outcome(case=case, by=head, approve=False, comments=" "),
    )
    refused(
        case,
        RuleBroken,
        "before the headteacher has signed it off",
        lambda: outcomes.issue_outcome(case=case, by=hr()),
    )
    case = signoff.sign_off_outcome(
        case=case, by=head, approve=False, comments="Why not a final warning?"
    )
    case = in_step(case)
    assert case.status == Status.RETURNED_TO_CHAIR
    assert open_tasks(case) == [("reconsider_decision", email("Catherine", "Walsh"))]
    returned = case.sign_offs.get()
    assert not returned.approved and returned.role_title == "Headteacher"
    assert returned.comments == "Why not a final warning?"

    case = decide(case, Sanction.FINAL_WRITTEN_WARNING)
    case = in_step(case)
    assert case.status == Status.AWAITING_SIGN_OFF
    assert case.sanction == Sanction.FINAL_WRITTEN_WARNING
    assert open_tasks(case) == [("sign_off", head.email)]
    case = in_step(signoff.sign_off_outcome(case=case, by=head, approve=True))
    assert case.status == Status.SIGNED_OFF
    assert [s.approved for s in case.sign_offs.all()] == [False, True]
    assert case.sign_offs.last().sanction == Sanction.FINAL_WRITTEN_WARNING
    assert transitions(case)[-3:] == [
        ("awaiting_sign_off", "returned_to_chair"),
        ("returned_to_chair", "awaiting_sign_off"),
        ("awaiting_sign_off", "signed_off"),
    ]


def test_an_outcome_is_issued_once():
    case = case_at(Status.OUTCOME_ISSUED)
    refused(
        case,
        CaseMoved,
        "Outcome issued",
        lambda: outcomes.issue_outcome(case=case, by=hr()),
    )


def test_only_the_signing_authority_signs_off():
    case = case_at(Status.AWAITING_SIGN_OFF)
    for outsider in (
        hr(),
        person("Catherine", "Walsh").user,  # the chair cannot sign off their own decision
        person("Helen", "Carter").user,  # another school's headteacher
    ):
        refused(
            case,
            NotAllowed,
            "not the person",
            lambda outsider=outsider: signoff.sign_off_outcome(
                case=case, by=outsider, approve=True
            ),
        )


# --- Appeals and closing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "new_sanction", "final"),
    [
        ("upheld", "", Sanction.FINAL_WRITTEN_WARNING),
        ("sanction_reduced", Sanction.FIRST_WRITTEN_WARNING, Sanction.FIRST_WRITTEN_WARNING),
        ("revoked", "", Sanction.NO_ACTION),
    ],
)
def test_appeal_outcomes_are_final(outcome, new_sanction, final, hold_hearing):
    case = case_at(Status.AWAITING_SIGN_OFF)
    case = issue(
        approve(
            decide(
                signoff.sign_off_outcome(
                    case=case, by=case.signing_authority.user, approve=False, comments="Reconsider."
                ),
                Sanction.FINAL_WRITTEN_WARNING,
            )
        )
    )
    case = in_step(lodge(case))
    assert case.status == Status.APPEAL_LODGED
    assert case.appeal.original_sanction == Sanction.FINAL_WRITTEN_WARNING
    assert open_tasks(case) == [("arrange_appeal", email("Hannah", "Reid"))]
    case = in_step(schedule_appeal(case))
    assert case.status == Status.APPEAL_HEARING
    assert case.appeal_chair == person("Anne-Marie", "Byrne")
    assert open_tasks(case) == [("decide_appeal", email("Anne-Marie", "Byrne"))]

    hold_hearing(case, Hearing.Kind.APPEAL)
    case = appeals.decide_appeal(
        attendance=ATTENDED,
        case=case,
        by=case.appeal_chair.user,
        outcome=outcome,
        reasons="Considered the grounds.",
        new_sanction=new_sanction,
    )
    closed_properly(case)
    case = fresh(case)
    assert case.status == Status.APPEAL_DECIDED
    assert case.sanction == final == case.appeal.new_sanction
    assert case.appeal.outcome == outcome
    assert case.warning_expires_on == outcomes.warning_expiry(
        final, case.sanction_effective_on, trust=case.trust_id
    )


def test_an_appeal_never_increases_the_sanction():
    case = case_at(Status.APPEAL_HEARING, hearing_held=True)  # a first written warning appealed
    chair = case.appeal_chair.user
    for heavier in (
        Sanction.FIRST_WRITTEN_WARNING,
        Sanction.FINAL_WRITTEN_WARNING,
        Sanction.SUMMARY_DISMISSAL,
    ):
        refused(
            case,
            RuleBroken,
            "must be lighter than first written warning",
            lambda s=heavier: appeals.decide_appeal(
                attendance=ATTENDED,
                case=case,
                by=chair,
                outcome="sanction_reduced",
                reasons="x",
                new_sanction=s,
            ),
        )
    refused(
        case,
        RuleBroken,
        "Choose the appeal outcome",
        lambda: appeals.decide_appeal(
            attendance=ATTENDED, case=case, by=chair, outcome="increased", reasons="x"
        ),
    )


def test_a_volunteers_appeal_reduces_to_a_volunteer_outcome():
    case = case_at(Status.APPEAL_HEARING, hearing_held=True, subject=("Joan", "Fitzgerald"))
    assert case.appeal.original_sanction == Sanction.VOLUNTEER_GUIDANCE
    refused(
        case,
        RuleBroken,
        "Choose the reduced sanction",
        lambda: appeals.decide_appeal(
            attendance=ATTENDED,
            case=case,
            by=case.appeal_chair.user,
            outcome="sanction_reduced",
            reasons="x",
            new_sanction=Sanction.NO_ACTION,
        ),
    )
    case = appeals.decide_appeal(
        attendance=ATTENDED,
        case=case,
        by=case.appeal_chair.user,
        outcome="revoked",
        reasons="Mitigation.",
    )
    assert fresh(case).sanction == Sanction.VOLUNTEER_NO_ACTION


def _issued_weeks_ago(case: Case, weeks: int = 4) -> Case:
    """As if the outcome had gone out some weeks ago, so its appeal window has passed."""
    issued = TODAY() - datetime.timedelta(weeks=weeks)
    Case.objects.filter(pk=case.pk).update(
        outcome_issued_on=issued,
        sanction_effective_on=issued,
        appeal_deadline=outcomes.appeal_deadline(case, issued),
    )
    return fresh(case)


def test_an_appeal_out_of_time_is_refused():
    case = _issued_weeks_ago(case_at(Status.OUTCOME_ISSUED))
    refused(
        case,
        RuleBroken,
        "out of time",
        lambda: appeals.lodge_appeal(
            case=case, by=hr(), lodged_on=case.appeal_deadline + ONE_DAY, grounds="Too harsh."
        ),
    )
    # On the last day of the window it is in time.
    appeals.lodge_appeal(case=case, by=hr(), lodged_on=case.appeal_deadline, grounds="Too harsh.")
    assert in_step(case).status == Status.APPEAL_LODGED


def test_an_appeal_needs_grounds_and_a_real_date():
    case = case_at(Status.OUTCOME_ISSUED)

    def lodge_with(**changes):
        values = dict(lodged_on=TODAY(), grounds="Too harsh.")
        values.update(changes)
        return lambda: appeals.lodge_appeal(case=case, by=hr(), **values)

    refused(case, RuleBroken, "Record the grounds", lodge_with(grounds=" "))
    refused(case, RuleBroken, "cannot be in the future", lodge_with(lodged_on=TODAY() + ONE_DAY))
    refused(case, RuleBroken, "before the outcome was issued", lodge_with(lodged_on=TODAY() - WEEK))


def test_a_second_appeal_is_refused_with_a_message():
    case = case_at(Status.APPEAL_LODGED)
    refused(
        case,
        CaseMoved,
        "Appeal lodged",
        lambda: appeals.lodge_appeal(case=case, by=hr(), lodged_on=TODAY(), grounds="Again."),
    )


def test_the_case_closes_only_after_the_appeal_window():
    case = case_at(Status.OUTCOME_ISSUED)
    refused(
        case,
        RuleBroken,
        "The appeal window is open until",
        lambda: outcomes.close_after_appeal_window(case=case, by=hr()),
    )
    refused(
        case,
        RuleBroken,
        "The appeal window is open until",
        lambda: outcomes.close_after_appeal_window(case=case, by=hr(), today=case.appeal_deadline),
    )
    case = outcomes.close_after_appeal_window(
        case=case, by=hr(), today=case.appeal_deadline + ONE_DAY
    )
    closed_properly(case)
    assert fresh(case).status == Status.CLOSED


def test_the_daily_job_closes_every_case_whose_appeal_window_has_passed():
    lapsed = case_at(Status.OUTCOME_ISSUED)
    in_window = case_at(Status.OUTCOME_ISSUED, subject=("Ben", "Taylor"))
    appealed = case_at(Status.APPEAL_LODGED, subject=("Fiona", "MacLeod"))
    _issued_weeks_ago(lapsed)
    _issued_weeks_ago(appealed)
    assert outcomes.close_lapsed_appeal_windows(today=fresh(lapsed).appeal_deadline) == []
    assert outcomes.close_lapsed_appeal_windows() == [lapsed.reference]
    closed_properly(lapsed)
    closing = AuditEvent.objects.filter(case_id=lapsed.pk, action="case.transition").last()
    assert closing.actor is None and closing.details["to"] == Status.CLOSED
    assert in_step(in_window).status == Status.OUTCOME_ISSUED
    assert in_step(appealed).status == Status.APPEAL_LODGED


def test_closing_a_case_that_has_no_outcome_is_refused_with_a_message():
    case = case_at(Status.HEARING_SCHEDULED)
    refused(
        case,
        CaseMoved,
        "not possible",
        lambda: outcomes.close_after_appeal_window(
            case=case, by=hr(), today=TODAY() + datetime.timedelta(days=90)
        ),
    )


# --- Withdrawal, pause and resume -----------------------------------------------------------


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES))
def test_hr_may_withdraw_a_case_from_every_open_stage(status):
    case = case_at(status)
    refused(
        case,
        RuleBroken,
        "Give the reason",
        lambda: case_admin.withdraw_case(case=case, by=hr(), reason=""),
    )
    refused(
        case,
        NotAllowed,
        "not the person",
        lambda: case_admin.withdraw_case(
            case=case, by=person("Michael", "Okafor").user, reason="I disagree."
        ),
    )
    case = case_admin.withdraw_case(case=case, by=hr(), reason="The reporter withdrew it.")
    closed_properly(case)
    case = fresh(case)
    assert case.status == Status.WITHDRAWN
    assert case.closure_reason == "The reporter withdrew it."
    assert case.hold_reason == "" and case.paused_from == ""
    assert transitions(case)[-1] == (status, "withdrawn")


@pytest.mark.parametrize("status", sorted(CLOSED_STATUSES))
def test_a_closed_case_cannot_be_withdrawn(status):
    case = case_at(status)
    refused(
        case,
        CaseMoved,
        "where that step is not possible",
        lambda: case_admin.withdraw_case(case=case, by=hr(), reason="Tidy up."),
    )


@pytest.mark.parametrize("status", sorted(FORMAL_STATUSES))
def test_a_formal_stage_pauses_for_an_external_process_and_resumes(status):
    case = case_at(status)
    case = safeguarding.pause_case(case=case, by=hr(), reason="Police investigation opened.")
    case = in_step(case)
    assert case.status == Status.ON_HOLD_EXTERNAL
    assert case.paused_from == status and case.hold_reason == "Police investigation opened."
    assert open_tasks(case) == [("resume_after_hold", email("Hannah", "Reid"))]
    assert case.action_due_on is None

    case = safeguarding.resume_after_hold(
        case=case, by=hr(), notes="Police confirmed no further action."
    )
    case = in_step(case)
    assert case.status == RESUME_TO[status]
    assert case.paused_from == "" and case.hold_reason == ""
    assert transitions(case)[-2:] == [
        (status, "on_hold_external"),
        ("on_hold_external", RESUME_TO[status]),
    ]


def test_a_hearing_paused_must_be_arranged_again():
    case = case_at(Status.HEARING_SCHEDULED)
    case = safeguarding.pause_case(case=case, by=hr(), reason="Police investigation.")
    case = safeguarding.resume_after_hold(case=case, by=hr(), notes="Police finished.")
    case = in_step(case)
    assert case.status == Status.HEARING_TO_ARRANGE
    assert open_tasks(case) == [("arrange_hearing", email("Hannah", "Reid"))]
    hearings.schedule_hearing(
        case=case, by=hr(), arrangement=arrangement(case, ("Catherine", "Walsh"))
    )
    assert in_step(case).status == Status.HEARING_SCHEDULED
    assert case.hearings.count() == 2


def test_pausing_needs_a_reason_and_a_formal_stage():
    case = case_at(Status.INVESTIGATION)
    refused(
        case,
        RuleBroken,
        "Say which external process",
        lambda: safeguarding.pause_case(case=case, by=hr(), reason=" "),
    )
    triage_case = case_at(Status.TRIAGE)
    refused(
        triage_case,
        CaseMoved,
        "not possible",
        lambda: safeguarding.pause_case(case=triage_case, by=hr(), reason="Police."),
    )


def test_resuming_a_case_that_is_not_on_hold_is_refused_with_a_message():
    case = case_at(Status.TRIAGE)
    refused(
        case,
        CaseMoved,
        "not possible",
        lambda: safeguarding.resume_after_hold(
            case=case,
            by=hr(),
            notes="LADO agreed.",
            next_step=Status.INFORMAL_ADVICE,
            lado_outcome="unfounded",
        ),
    )


# --- Resignation and suspension --------------------------------------------------------------


def test_a_subject_who_resigns_is_recorded_and_the_case_goes_on():
    case = case_at(Status.INVESTIGATION)
    tasks = open_tasks(case)
    case = case_admin.record_resignation(
        case=case, by=hr(), resigned_on=TODAY(), notes="Letter received by e-mail."
    )
    case = in_step(case)
    assert case.subject_resigned_on == TODAY()
    assert case.status == Status.INVESTIGATION and open_tasks(case) == tasks
    event = AuditEvent.objects.filter(case_id=case.pk).last()
    assert event.action == "case.subject_resigned" and "the case continues" in event.summary
    case = investigation.submit_investigation_report(
        case=case,
        by=case.investigating_officer.user,
        summary="Made out.",
        recommendation="hearing",
        findings=_findings(case),
    )
    assert in_step(case).status == Status.INVESTIGATION_REPORT


def test_a_resignation_is_recorded_by_hr_once_it_has_arrived():
    case = case_at(Status.INVESTIGATION)
    refused(
        case,
        RuleBroken,
        "once it has been received",
        lambda: case_admin.record_resignation(case=case, by=hr(), resigned_on=TODAY() + WEEK),
    )
    refused(
        case,
        NotAllowed,
        "Only an HR case manager",
        lambda: case_admin.record_resignation(
            case=case, by=case.investigating_officer.user, resigned_on=TODAY()
        ),
    )
    closed = case_at(Status.NO_CASE_TO_ANSWER)
    refused(
        closed,
        RuleBroken,
        "This case is closed",
        lambda: case_admin.record_resignation(case=closed, by=hr(), resigned_on=TODAY()),
    )


def _suspend(case, **changes):
    values = dict(
        started_on=TODAY(),
        reasons="Risk of contact with the pupils involved.",
        alternatives_considered="A change of duties; the pupils are in every year group.",
        welfare_contact=person("Mark", "Hughes"),
    )
    values.update(changes)
    return suspensions.suspend(case=case, by=hr(), **values)


def test_suspension_starts_is_reviewed_and_lifted_without_moving_the_case():
    case = case_at(Status.INVESTIGATION)
    tasks = open_tasks(case)
    suspension = _suspend(case)
    assert suspension.next_review_on == Calendar.of_case(case).add_working_days(
        TODAY(), procedure("SUSPENSION_REVIEW_WORKING_DAYS", trust=demo_trust_id())
    )
    refused(case, RuleBroken, "already suspended", lambda: _suspend(case))
    review = suspensions.review_suspension(
        suspension=suspension, by=hr(), reviewed_on=TODAY(), notes="Still needed."
    )
    suspension.refresh_from_db()
    assert suspension.next_review_on == review.next_review_on > TODAY()
    suspensions.lift_suspension(
        suspension=suspension, by=hr(), ended_on=TODAY(), reason="Investigation nearly done."
    )
    suspension.refresh_from_db()
    assert suspension.ended_on == TODAY() and not suspension.is_current
    assert in_step(case).status == Status.INVESTIGATION and open_tasks(case) == tasks
    actions = list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="suspension.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["suspension.started", "suspension.reviewed", "suspension.lifted"]


def test_a_suspension_is_considered_only_at_a_formal_or_safeguarding_stage():
    case = case_at(Status.TRIAGE)
    refused(case, RuleBroken, "only once the case is at a formal", lambda: _suspend(case))
    safeguarding_case = case_at(Status.SAFEGUARDING_REVIEW, **SAFEGUARDING)
    _suspend(safeguarding_case)
    assert safeguarding_case.suspensions.count() == 1


def test_a_suspension_needs_reasons_alternatives_and_a_welfare_contact_who_is_not_the_subject():
    case = case_at(Status.INVESTIGATION)
    refused(case, RuleBroken, "alternatives considered", lambda: _suspend(case, reasons=""))
    refused(
        case,
        RuleBroken,
        "alternatives considered",
        lambda: _suspend(case, alternatives_considered=" "),
    )
    refused(
        case,
        RuleBroken,
        "someone other than the person suspended",
        lambda: _suspend(case, welfare_contact=case.subject),
    )
    refused(
        case,
        RuleBroken,
        "first review must come after",
        lambda: _suspend(case, next_review_on=TODAY()),
    )
    refused(
        case,
        NotAllowed,
        "Only an HR case manager",
        lambda: suspensions.suspend(
            case=case,
            by=case.investigating_officer.user,
            started_on=TODAY(),
            reasons="r",
            alternatives_considered="a",
            welfare_contact=person("Mark", "Hughes"),
        ),
    )


@pytest.mark.parametrize("close", ["withdraw", "appeal window"])
def test_a_suspension_ends_when_the_case_closes(close):
    case = case_at(Status.OUTCOME_ISSUED)
    suspension = _suspend(case)
    if close == "withdraw":
        case_admin.withdraw_case(case=case, by=hr(), reason="Settled.")
    else:
        outcomes.close_lapsed_appeal_windows(today=case.appeal_deadline + ONE_DAY)
    suspension.refresh_from_db()
    assert suspension.ended_on == TODAY()
    assert suspension.end_reason == "The case closed."
    assert AuditEvent.objects.filter(case_id=case.pk, action="suspension.lifted").exists()


# --- The audit trail --------------------------------------------------------------------------


def test_every_transition_records_who_when_from_to_and_why():
    case = case_at(Status.APPEAL_DECIDED)
    events = list(AuditEvent.objects.filter(case_id=case.pk, action="case.transition"))
    assert [(e.details["from"], e.details["to"]) for e in events] == [
        ("received", "triage"),
        ("triage", "appointing_investigator"),
        ("appointing_investigator", "investigation"),
        ("investigation", "investigation_report"),
        ("investigation_report", "hearing_to_arrange"),
        ("hearing_to_arrange", "hearing_scheduled"),
        ("hearing_scheduled", "awaiting_sign_off"),
        ("awaiting_sign_off", "signed_off"),
        ("signed_off", "outcome_issued"),
        ("outcome_issued", "appeal_lodged"),
        ("appeal_lodged", "appeal_hearing"),
        ("appeal_hearing", "appeal_decided"),
    ]
    actors = [e.actor_label for e in events]
    assert actors == [
        "Hannah Reid",
        "Hannah Reid",
        "Hannah Reid",
        "Emma Wright",
        "Hannah Reid",
        "Hannah Reid",
        "Catherine Walsh",
        "Michael Okafor",
        "Hannah Reid",
        "Hannah Reid",
        "Hannah Reid",
        "Anne-Marie Byrne",
    ]
    for event in events:
        assert event.actor is not None
        assert event.occurred_at <= timezone.now()
        assert event.details["why"].strip()
        assert Status(event.details["from"]).label in event.summary
        assert Status(event.details["to"]).label in event.summary
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    assert list(audit.find_broken_links()) == []
    # The timeline on the case page is this trail.
    assert set(events) <= set(selectors.case_timeline(case))


# --- Someone with no part in the workforce ---------------------------------------------------


def _admin():
    from casework.models import User

    return User.objects.get(email="admin@stclare.example")  # a superuser, no staff record


STEPS_BY_STAGE = {
    Status.RECEIVED: lambda case, by: triage.acknowledge_concern(case=case, by=by),
    Status.TRIAGE: lambda case, by: triage.triage_concern(
        case=case, by=by, decision="informal", reasons="x"
    ),
    Status.SAFEGUARDING_REVIEW: lambda case, by: safeguarding.review_safeguarding_concern(
        case=case, by=by, decision="low_level_concern", reasons="x"
    ),
    Status.LADO_REFERRAL: lambda case, by: safeguarding.record_lado_referral(
        case=case,
        by=by,
        referred_on=TODAY(),
        lado_reference="L/1",
        lado_name="",
        police_involved=False,
    ),
    Status.ON_HOLD_EXTERNAL: lambda case, by: safeguarding.resume_after_hold(
        case=case, by=by, notes="x", next_step=Status.INFORMAL_ADVICE, lado_outcome="false"
    ),
    Status.APPOINTING_INVESTIGATOR: lambda case, by: investigation.appoint_investigating_officer(
        case=case, by=by, officer=person("Emma", "Wright"), terms_of_reference="x"
    ),
    Status.INVESTIGATION: lambda case, by: investigation.submit_investigation_report(
        case=case, by=by, summary="x", recommendation="hearing", findings=_findings(case)
    ),
    Status.INVESTIGATION_REPORT: lambda case, by: investigation.decide_on_report(
        case=case, by=by, decision="hearing", reasons="x"
    ),
    Status.HEARING_TO_ARRANGE: lambda case, by: hearings.schedule_hearing(
        case=case, by=by, arrangement=arrangement(case, ("Catherine", "Walsh"))
    ),
    Status.HEARING_SCHEDULED: lambda case, by: hearings.record_decision(
        attendance=ATTENDED,
        case=case,
        by=by,
        findings=_findings(case),
        sanction="no_action",
        reasons="x",
    ),
    Status.AWAITING_SIGN_OFF: lambda case, by: signoff.sign_off_outcome(
        case=case, by=by, approve=True
    ),
    Status.SIGNED_OFF: lambda case, by: outcomes.issue_outcome(case=case, by=by),
    Status.OUTCOME_ISSUED: lambda case, by: appeals.lodge_appeal(
        case=case, by=by, lodged_on=TODAY(), grounds="x"
    ),
    Status.APPEAL_LODGED: lambda case, by: appeals.schedule_appeal_hearing(
        case=case, by=by, arrangement=arrangement(case, ("Anne-Marie", "Byrne"))
    ),
    Status.APPEAL_HEARING: lambda case, by: appeals.decide_appeal(
        attendance=ATTENDED, case=case, by=by, outcome="upheld", reasons="x"
    ),
}


@pytest.mark.parametrize("status", list(STEPS_BY_STAGE))
def test_a_sign_in_with_no_staff_record_is_refused_every_step(status):
    deciding = status in (Status.HEARING_SCHEDULED, Status.APPEAL_HEARING)
    case = case_at(status, hearing_held=deciding)
    refused(
        case,
        NotAllowed,
        "not the person who may take this step",
        lambda: STEPS_BY_STAGE[status](fresh(case), _admin()),
    )
    refused(
        case,
        NotAllowed,
        "not the person who may take this step",
        lambda: case_admin.withdraw_case(case=fresh(case), by=_admin(), reason="x"),
    )
    refused(
        case,
        NotAllowed,
        "Only an HR case manager",
        lambda: case_admin.record_resignation(case=fresh(case), by=_admin(), resigned_on=TODAY()),
    )


@pytest.mark.parametrize("status", [Status.SAFEGUARDING_REVIEW, Status.SIGNED_OFF])
def test_signing_off_at_another_stage_is_refused_with_a_message(status):
    case = case_at(status)
    head = person("Michael", "Okafor").user
    for by in (head, _admin()):
        refused(
            case,
            CaseMoved,
            "where that step is not possible",
            lambda by=by: signoff.sign_off_outcome(case=fresh(case), by=by, approve=True),
        )
