"""Who came to the hearing (and the appeal hearing), and going ahead without them.

The chair records whether the person the hearing is about and their companion attended. A
hearing goes ahead in their absence only once it has been postponed as often as the
procedure gives (a setting, one by default) or when they said they would not attend (Acas
Code paras 24-25), and the outcome letter says what happened.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import demo_cases
from casework.demo_cases import arrangement, case_at, hr, person
from casework.errors import NotAllowed, RuleBroken
from casework.letters import demo as demo_letters
from casework.models import Attendance, AuditEvent, Case, Hearing, Sanction, Status
from casework.services import appeals, hearings
from casework.services.hearings import WhoAttended, current_hearing
from workflows import engine

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
ATTENDED = WhoAttended(subject=Attendance.ATTENDED, companion_attended=True)
ABSENT = WhoAttended(
    subject=Attendance.DID_NOT_ATTEND,
    companion_attended=False,
    notes="No reply to two calls and an e-mail on the morning of the hearing.",
)
SAID_NOT = WhoAttended(
    subject=Attendance.SAID_WOULD_NOT,
    companion_attended=False,
    notes="E-mailed the day before to say he would not come and to rely on his statement.",
)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def footprint(case: Case) -> tuple:
    case = fresh(case)
    return (
        case.status,
        case.sanction,
        [
            (h.subject_attendance, h.companion_attended, h.attendance_notes)
            for h in case.hearings.order_by("id")
        ],
        [a.hearing_finding for a in case.allegations.order_by("number")],
        AuditEvent.objects.filter(case_id=case.pk).exclude(action__startswith="viewed.").count(),
        [(t.flow_task.name, t.owner_id) for t in engine.open_tasks(case)],
    )


def refused(case: Case, match: str, action) -> None:
    before = footprint(case)
    with pytest.raises(RuleBroken, match=match):
        action()
    assert footprint(case) == before


def decide(case: Case, attendance: WhoAttended | None, sanction=Sanction.FIRST_WRITTEN_WARNING):
    return hearings.record_decision(
        case=fresh(case),
        by=fresh(case).hearing_chair.user,
        findings={a.pk: ("upheld", "The screenshots.") for a in case.allegations.all()},
        sanction=sanction,
        reasons="A clear breach.",
        attendance=attendance,
    )


def postpone(case: Case, *, for_subject: bool = False, for_companion: bool = False, kind=None):
    """HR moves the hearing (or the appeal hearing) to the first date the rules allow."""
    kind = kind or Hearing.Kind.DISCIPLINARY
    chair = fresh(case).appeal_chair if kind == Hearing.Kind.APPEAL else fresh(case).hearing_chair
    plan = arrangement(case, (chair.first_name, chair.last_name))
    if for_companion:
        plan.starts_at = current_hearing(case, kind).starts_at + datetime.timedelta(days=1)
        while plan.starts_at.weekday() >= 5:
            plan.starts_at += datetime.timedelta(days=1)
    return hearings.reschedule_hearing(
        case=fresh(case),
        by=hr(),
        arrangement=plan,
        reason="He is unwell that week." if for_subject else "The companion is away.",
        postponed_for_subject=for_subject,
        postponed_for_companion=for_companion,
        kind=kind,
    )


# --- Recording who attended ----------------------------------------------------------------


def test_the_chair_records_who_attended_with_the_decision():
    case = decide(case_at(Status.HEARING_SCHEDULED, hearing_held=True), ATTENDED)
    hearing = current_hearing(case)
    assert hearing.subject_attendance == Attendance.ATTENDED
    assert hearing.companion_attended is True
    event = case.audit_events.filter(action="case.transition").last()
    assert event.details["attendance"] == Attendance.ATTENDED


@pytest.mark.parametrize(
    ("attendance", "message"),
    [
        (None, "Record who attended the disciplinary hearing"),
        (WhoAttended(subject="late"), "Say whether Daniel Shaw attended the disciplinary hearing"),
        (
            WhoAttended(subject=Attendance.ATTENDED, companion_attended=None),
            "Say whether their companion, Jo Marsh \\(NEU\\), attended",
        ),
        (
            WhoAttended(subject=Attendance.SAID_WOULD_NOT, notes=" ", companion_attended=False),
            "Say what happened",
        ),
    ],
)
def test_who_attended_must_be_recorded_in_full(attendance, message):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    refused(case, message, lambda: decide(case, attendance))


# --- Going ahead in their absence ------------------------------------------------------------


def test_a_hearing_goes_ahead_in_absence_only_after_the_postponement_the_procedure_gives(
    hold_hearing,
):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    refused(
        case,
        "Daniel Shaw did not attend, and the disciplinary hearing has not yet been postponed "
        "once as the procedure gives, so it cannot go ahead in their absence",
        lambda: decide(case, ABSENT),
    )
    postpone(case, for_subject=True)
    hold_hearing(fresh(case))
    case = decide(case, ABSENT)
    assert case.status == Status.AWAITING_SIGN_OFF
    assert current_hearing(case).held_in_absence


def test_a_postponement_for_the_companion_is_the_postponement_too(hold_hearing):
    case = case_at(Status.HEARING_SCHEDULED)
    postpone(case, for_companion=True)
    hold_hearing(fresh(case))
    assert decide(case, ABSENT).status == Status.AWAITING_SIGN_OFF


def test_a_move_for_the_trusts_own_reasons_is_not_a_postponement_for_them(hold_hearing):
    case = case_at(Status.HEARING_SCHEDULED)
    postpone(case)  # neither for them nor for their companion
    hold_hearing(fresh(case))
    refused(case, "has not yet been postponed once", lambda: decide(case, ABSENT))


def test_saying_they_would_not_attend_lets_it_go_ahead_without_a_postponement():
    case = decide(case_at(Status.HEARING_SCHEDULED, hearing_held=True), SAID_NOT)
    assert current_hearing(case).subject_attendance == Attendance.SAID_WOULD_NOT


@pytest.mark.parametrize(("allowed", "postponements_needed"), [(0, 0), (2, 2)])
def test_the_number_of_postponements_is_a_setting(
    settings, hold_hearing, allowed, postponements_needed
):
    settings.CASEWORK_PROCEDURE = {
        **settings.CASEWORK_PROCEDURE,
        "HEARING_POSTPONEMENTS_ALLOWED": allowed,
    }
    case = case_at(Status.HEARING_SCHEDULED)
    for _ in range(postponements_needed):
        hold_hearing(fresh(case))
        refused(case, "has not yet been postponed", lambda: decide(case, ABSENT))
        postpone(case, for_subject=True)
    hold_hearing(fresh(case))
    assert decide(case, ABSENT).status == Status.AWAITING_SIGN_OFF


def test_a_postponement_is_for_the_companion_or_for_them_not_both():
    case = case_at(Status.HEARING_SCHEDULED)
    refused(
        case,
        "one or the other",
        lambda: postpone(case, for_subject=True, for_companion=True),
    )


def test_a_reconsidered_decision_keeps_the_attendance_recorded_first():
    case = case_at(Status.RETURNED_TO_CHAIR)
    assert current_hearing(case).subject_attendance == Attendance.ATTENDED
    case = decide(case, None, sanction=Sanction.FINAL_WRITTEN_WARNING)
    assert case.status == Status.AWAITING_SIGN_OFF
    assert current_hearing(case).subject_attendance == Attendance.ATTENDED


# --- The appeal hearing ----------------------------------------------------------------------


def decide_appeal(case: Case, attendance: WhoAttended | None):
    return appeals.decide_appeal(
        case=fresh(case),
        by=fresh(case).appeal_chair.user,
        outcome="upheld",
        reasons="The grounds do not change the findings.",
        attendance=attendance,
    )


def test_the_appeal_hearing_follows_the_same_rules_and_can_be_moved(hold_hearing):
    case = case_at(Status.APPEAL_HEARING, hearing_held=True)
    refused(case, "Record who attended the appeal hearing", lambda: decide_appeal(case, None))
    refused(
        case, "the appeal hearing has not yet been postponed", lambda: decide_appeal(case, ABSENT)
    )
    moved = postpone(case, for_subject=True, kind=Hearing.Kind.APPEAL)
    assert fresh(case).status == Status.APPEAL_HEARING
    assert moved.replaces.kind == Hearing.Kind.APPEAL
    hold_hearing(fresh(case), Hearing.Kind.APPEAL)
    case = decide_appeal(case, ABSENT)
    assert case.status == Status.APPEAL_DECIDED
    assert current_hearing(case, Hearing.Kind.APPEAL).held_in_absence


def test_only_hr_moves_an_appeal_hearing():
    case = case_at(Status.APPEAL_HEARING)
    plan = arrangement(case, ("Anne-Marie", "Byrne"))
    with pytest.raises(NotAllowed):
        hearings.reschedule_hearing(
            case=case,
            by=person("Michael", "Okafor").user,
            arrangement=plan,
            reason="The appellant asked for another date.",
            postponed_for_companion=False,
            kind=Hearing.Kind.APPEAL,
        )


# --- What the letters say ----------------------------------------------------------------------


def read_outcome(case: Case):
    from tests.test_letters import Read

    case = demo_cases.approve(fresh(case))
    return Read(demo_letters.issue(case, "outcome"))


def test_the_outcome_letter_thanks_them_for_attending_only_when_they_did(own_media):
    read = read_outcome(decide(case_at(Status.HEARING_SCHEDULED, hearing_held=True), ATTENDED))
    assert "Thank you for attending the disciplinary hearing on" in read
    assert "You were accompanied by Jo Marsh (NEU)." in read

    read = read_outcome(decide(case_at(Status.HEARING_SCHEDULED, hearing_held=True), SAID_NOT))
    assert "Thank you for attending" not in read
    assert (
        "You told us that you would not attend, so it went ahead in your absence and the "
        "decision was made on the evidence available." in read
    )


def test_the_outcome_letter_says_it_went_ahead_in_absence_after_the_postponement(
    own_media, hold_hearing
):
    case = case_at(Status.HEARING_SCHEDULED)
    postpone(case, for_subject=True)
    hold_hearing(fresh(case))
    read = read_outcome(decide(case, ABSENT))
    assert "Thank you for attending" not in read
    assert (
        "after it had been postponed once. You did not attend, so, as the invitation explained, "
        "it went ahead in your absence" in read
    )


def test_the_appeal_outcome_letter_says_what_happened(own_media):
    from tests.test_letters import Read

    case = decide_appeal(case_at(Status.APPEAL_HEARING, hearing_held=True), SAID_NOT)
    read = Read(demo_letters.issue(case, "appeal_outcome"))
    assert "Thank you for attending" not in read
    assert "The appeal hearing was held on" in read
    assert "You told us that you would not attend" in read


def test_a_companion_who_did_not_come_is_mentioned(own_media):
    attended_alone = WhoAttended(subject=Attendance.ATTENDED, companion_attended=False)
    read = read_outcome(
        decide(case_at(Status.HEARING_SCHEDULED, hearing_held=True), attended_alone)
    )
    assert "Thank you for attending the disciplinary hearing" in read
    assert "Your companion, Jo Marsh (NEU), did not attend." in read


# --- Over HTTP: the chair, and HR moving the hearing -----------------------------------------


def test_the_chair_records_attendance_on_the_decision_page(sign_in, hold_hearing):
    from tests.test_lifecycle_http import action, do_action, findings_form, task_form

    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    chair = sign_in("Catherine", "Walsh")
    url = task_form(chair, case, "decide_hearing")
    form = chair.get(url).context["form"]
    assert {"subject_attendance", "companion_attended", "attendance_notes"} <= set(form.fields)
    data = {
        **findings_form(case),
        "subject_attendance": "did_not_attend",
        "companion_attended": "no",
        "attendance_notes": "No reply to calls.",
        "sanction": Sanction.FIRST_WRITTEN_WARNING,
        "reasons": "A clear breach.",
    }
    before = footprint(case)
    page = chair.post(url, data)
    assert page.status_code == 200
    assert "has not yet been postponed once as the procedure gives" in page.content.decode()
    assert footprint(case) == before

    # HR moves it because he cannot come; the rearranged hearing may then go ahead without him.
    hannah = sign_in("Hannah", "Reid")
    day = demo_cases.hearing_moment(case).date()
    moved = do_action(
        hannah,
        case,
        "reschedule_hearing",
        {
            "chair": person("Catherine", "Walsh").pk,
            "date": day.isoformat(),
            "time": "10:00",
            "location": "Meeting room 2",
            "notice_given_on": TODAY().isoformat(),
            "companion_kind": "union",
            "companion_name": "Jo Marsh (NEU)",
            "reason": "He is unwell that week.",
            "postponed_for_subject": "on",
        },
    )
    assert current_hearing(moved).postponed_for_subject
    hold_hearing(moved)
    chair = sign_in("Catherine", "Walsh")
    response = chair.post(task_form(chair, case, "decide_hearing"), data)
    assert response.status_code == 302
    page = sign_in("Hannah", "Reid").get(action(case, "case")).content.decode()
    assert "Did not attend" in page and "Went ahead in their absence" in page


def test_hr_moves_the_appeal_hearing_from_the_case_page_and_others_may_not(sign_in):
    case = case_at(Status.APPEAL_HEARING)
    url = reverse("casework:reschedule_appeal", args=[case.reference])
    hearing = current_hearing(case, Hearing.Kind.APPEAL)
    data = {
        "chair": person("Anne-Marie", "Byrne").pk,
        "date": (
            timezone.localtime(hearing.starts_at).date() + datetime.timedelta(days=7)
        ).isoformat(),
        "time": "14:00",
        "location": "Meeting room 3",
        "notice_given_on": TODAY().isoformat(),
        "companion_kind": "union",
        "companion_name": "Jo Marsh (NEU)",
        "reason": "The appellant asked for another date.",
        "postponed_for_subject": "on",
    }
    before = footprint(case)
    assert sign_in("Michael", "Okafor").post(url, data).status_code == 403
    assert sign_in("Daniel", "Shaw").post(url, data).status_code == 404
    assert footprint(case) == before
    hannah = sign_in("Hannah", "Reid")
    assert (
        "Move the appeal hearing"
        in hannah.get(reverse("casework:case", args=[case.reference])).content.decode()
    )
    response = hannah.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert current_hearing(case, Hearing.Kind.APPEAL).postponed_for_subject
    assert fresh(case).status == Status.APPEAL_HEARING
