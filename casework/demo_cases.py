"""Cases walked through the real services to any stage: the demo data and the tests use them.

``case_at(Status.HEARING_SCHEDULED)`` raises a concern and takes it, step by step, through
the same service calls the people in the demo would make, so every demo case is one the
procedure could really have produced.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import time_machine
from django.utils import timezone

from . import demo
from .models import Case, Clause, Sanction, StaffMember, Status
from .services import (
    allegations,
    appeals,
    case_admin,
    concerns,
    hearings,
    investigation,
    outcomes,
    safeguarding,
    signoff,
    triage,
)
from .workdays import Calendar, procedure

HR = ("Hannah", "Reid")
INVESTIGATOR = ("Emma", "Wright")
CHAIR = ("Catherine", "Walsh")
APPEAL_CHAIR = ("Anne-Marie", "Byrne")


def person(first: str, last: str) -> StaffMember:
    return StaffMember.objects.select_related("user", "school").get(
        email=demo.email_for(first, last)
    )


def hr():
    return person(*HR).user


def clause(code: str) -> Clause:
    return Clause.objects.get(policy__is_current=True, code=code)


def raise_concern(
    *,
    subject: tuple[str, str] = ("Daniel", "Shaw"),
    reporter: tuple[str, str] = ("Priya", "Patel"),
    clauses: tuple[str, ...] = ("DONT-3",),
    pupils_involved: str = "none",
    pupil_left_on: datetime.date | None = None,
    what_was_seen: str = "A public post discussing a named colleague's disciplinary meeting.",
) -> Case:
    subject_person = person(*subject)
    reporter_person = person(*reporter)
    return concerns.report_concern(
        concern=concerns.Concern(
            subject=subject_person,
            school=subject_person.school,
            seen_on=timezone.localdate() - datetime.timedelta(days=2),
            platform="facebook",
            account_kind="personal",
            what_was_seen=what_was_seen,
            links=["https://www.facebook.com/example/posts/1"],
            suspected_clauses=[clause(code) for code in clauses],
            pupils_involved=pupils_involved,
            pupil_left_on=pupil_left_on,
        ),
        reporter=reporter_person,
        by=reporter_person.user,
        daily_limit=False,  # one demonstration reporter raises every demonstration case
    )


def hearing_moment(case: Case, *, hour: int = 10) -> datetime.datetime:
    """The first working day the notice rule allows, at ``hour``."""
    day = Calendar(school_id=case.school_id).add_working_days(
        timezone.localdate(), procedure("HEARING_NOTICE_WORKING_DAYS")
    )
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def arrangement(case: Case, chair: tuple[str, str], **extra) -> hearings.Arrangement:
    return hearings.Arrangement(
        chair=person(*chair),
        starts_at=hearing_moment(case),
        location="Meeting room 2, St Clare House",
        notice_given_on=timezone.localdate(),
        companion_kind="union",
        companion_name="Jo Marsh (NEU)",
        dismissal_possible=True,
        **extra,
    )


Step = Callable[[Case], Case]


def arranges_hearing(step: Step) -> Step:
    """Marks a step that arranges a hearing, with the notice counted from the day it runs."""
    step.arranges_hearing = True
    return step


def decides_after_hearing(step: Step) -> Step:
    """Marks a step a chair takes once the hearing has been held."""
    step.decides_after_hearing = True
    return step


def _arranges(step: Step) -> bool:
    return getattr(step, "arranges_hearing", False)


def _decides(step: Step) -> bool:
    return getattr(step, "decides_after_hearing", False)


# --- Steps: each takes a case at one stage to the next -------------------------------------


def acknowledge(case: Case) -> Case:
    return triage.acknowledge_concern(case=case, by=hr())


def frame_allegation(case: Case, code: str | None = None) -> Case:
    code = code or (
        case.suspected_clauses.first().code if case.suspected_clauses.exists() else "GEN-1"
    )
    allegations.add_allegation(
        case=case,
        by=hr() if case.status != Status.SAFEGUARDING_REVIEW else case.safeguarding_lead.user,
        clause=clause(code),
        particulars=f"It is alleged that the post breached {code} of the policy.",
    )
    return case


def triage_to_investigation(case: Case) -> Case:
    frame_allegation(case)
    return triage.triage_concern(
        case=case,
        by=hr(),
        decision="investigation",
        reasons="The facts need establishing.",
        dpo_informed=True,
    )


def appoint(case: Case) -> Case:
    return investigation.appoint_investigating_officer(
        case=case,
        by=hr(),
        officer=person(*INVESTIGATOR),
        terms_of_reference="Establish who posted what, when, and on which account.",
    )


def report(case: Case, finding: str = "upheld") -> Case:
    officer = case.investigating_officer.user
    investigation.record_meeting(
        case=case,
        by=officer,
        held_at=timezone.now() - datetime.timedelta(hours=2),
        location="Head's office",
        with_whom=case.subject.full_name,
        notes="Accepted that the account is theirs.",
    )
    return investigation.submit_investigation_report(
        case=case,
        by=officer,
        summary="The post was made from the subject's personal account.",
        recommendation="hearing",
        findings={a.pk: (finding, "Screenshots and admission.") for a in case.allegations.all()},
    )


def refer_to_hearing(case: Case) -> Case:
    return investigation.decide_on_report(
        case=case, by=hr(), decision="hearing", reasons="There is a case to answer."
    )


@arranges_hearing
def schedule(case: Case) -> Case:
    hearings.schedule_hearing(case=case, by=hr(), arrangement=arrangement(case, CHAIR))
    return Case.objects.get(pk=case.pk)


@decides_after_hearing
def decide(case: Case, sanction: str | None = None) -> Case:
    sanction = sanction or (
        Sanction.VOLUNTEER_GUIDANCE if case.subject.is_volunteer else Sanction.FIRST_WRITTEN_WARNING
    )
    return hearings.record_decision(
        case=case,
        by=case.hearing_chair.user,
        findings={a.pk: ("upheld", "The evidence is clear.") for a in case.allegations.all()},
        sanction=sanction,
        reasons="A breach of the policy, admitted, with no previous warnings.",
    )


def return_to_chair(case: Case) -> Case:
    return signoff.sign_off_outcome(
        case=case,
        by=case.signing_authority.user,
        approve=False,
        comments="Please set out why a lesser sanction was not enough.",
    )


def approve(case: Case) -> Case:
    return signoff.sign_off_outcome(case=case, by=case.signing_authority.user, approve=True)


def issue(case: Case) -> Case:
    return outcomes.issue_outcome(case=case, by=hr())


def lodge(case: Case) -> Case:
    appeals.lodge_appeal(
        case=case,
        by=hr(),
        lodged_on=timezone.localdate(),
        grounds="The sanction is too severe for a first matter.",
    )
    return Case.objects.get(pk=case.pk)


@arranges_hearing
def schedule_appeal(case: Case) -> Case:
    appeals.schedule_appeal_hearing(case=case, by=hr(), arrangement=arrangement(case, APPEAL_CHAIR))
    return Case.objects.get(pk=case.pk)


@decides_after_hearing
def decide_appeal(case: Case, outcome: str = "sanction_reduced") -> Case:
    lighter = (
        Sanction.VOLUNTEER_NO_ACTION if case.subject.is_volunteer else Sanction.MANAGEMENT_ADVICE
    )
    return appeals.decide_appeal(
        case=case,
        by=case.appeal_chair.user,
        outcome=outcome,
        reasons="Mitigation was not given enough weight.",
        new_sanction=lighter if outcome == "sanction_reduced" else "",
    )


def close_after_window(case: Case) -> Case:
    return outcomes.close_after_appeal_window(
        case=case, by=hr(), today=case.appeal_deadline + datetime.timedelta(days=1)
    )


def dsl_refers(case: Case) -> Case:
    return safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision="refer_to_lado",
        reasons="Private messages with a current pupil meet the harm threshold.",
    )


def lado_referral_made(case: Case) -> Case:
    return safeguarding.record_lado_referral(
        case=case,
        by=case.safeguarding_lead.user,
        referred_on=timezone.localdate(),
        lado_reference="LADO/2026/117",
        lado_name="Ashbury LADO service",
        police_involved=False,
    )


def dsl_logs_low_level(case: Case) -> Case:
    return safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision="low_level_concern",
        reasons="Accepted a follow request from a pupil who left two years ago; no contact.",
    )


def no_case(case: Case) -> Case:
    return triage.triage_concern(
        case=case,
        by=hr(),
        decision="no_case_to_answer",
        reasons="The post was not theirs.",
        dpo_informed=True,
    )


def informal(case: Case) -> Case:
    return triage.triage_concern(
        case=case,
        by=hr(),
        decision="informal",
        reasons="A word from the line manager will do.",
        dpo_informed=True,
    )


def withdraw(case: Case) -> Case:
    return case_admin.withdraw_case(
        case=case, by=hr(), reason="The reporter's account was mistaken."
    )


SAFEGUARDING = {
    "clauses": ("DONT-4",),
    "pupils_involved": "current",
    "what_was_seen": "Direct messages to a current Year 10 pupil on Instagram.",
}

# How to reach each status from a freshly raised concern.
ROUTES: dict[str, tuple[dict, list[Step]]] = {
    Status.RECEIVED: ({}, []),
    Status.TRIAGE: ({}, [acknowledge]),
    Status.SAFEGUARDING_REVIEW: (SAFEGUARDING, []),
    Status.LADO_REFERRAL: (SAFEGUARDING, [dsl_refers]),
    Status.ON_HOLD_EXTERNAL: (SAFEGUARDING, [dsl_refers, lado_referral_made]),
    Status.LOW_LEVEL_CONCERN: (SAFEGUARDING, [dsl_logs_low_level]),
    Status.NO_CASE_TO_ANSWER: ({}, [acknowledge, no_case]),
    Status.INFORMAL_ADVICE: ({}, [acknowledge, informal]),
    Status.APPOINTING_INVESTIGATOR: ({}, [acknowledge, triage_to_investigation]),
    Status.INVESTIGATION: ({}, [acknowledge, triage_to_investigation, appoint]),
    Status.INVESTIGATION_REPORT: ({}, [acknowledge, triage_to_investigation, appoint, report]),
}
_TO_HEARING = [acknowledge, triage_to_investigation, appoint, report, refer_to_hearing]
ROUTES.update(
    {
        Status.HEARING_TO_ARRANGE: ({}, _TO_HEARING),
        Status.HEARING_SCHEDULED: ({}, [*_TO_HEARING, schedule]),
        Status.AWAITING_SIGN_OFF: ({}, [*_TO_HEARING, schedule, decide]),
        Status.RETURNED_TO_CHAIR: ({}, [*_TO_HEARING, schedule, decide, return_to_chair]),
        Status.SIGNED_OFF: ({}, [*_TO_HEARING, schedule, decide, approve]),
        Status.OUTCOME_ISSUED: ({}, [*_TO_HEARING, schedule, decide, approve, issue]),
        Status.CLOSED: ({}, [*_TO_HEARING, schedule, decide, approve, issue, close_after_window]),
        Status.APPEAL_LODGED: ({}, [*_TO_HEARING, schedule, decide, approve, issue, lodge]),
        Status.APPEAL_HEARING: (
            {},
            [*_TO_HEARING, schedule, decide, approve, issue, lodge, schedule_appeal],
        ),
        Status.APPEAL_DECIDED: (
            {},
            [*_TO_HEARING, schedule, decide, approve, issue, lodge, schedule_appeal, decide_appeal],
        ),
        Status.WITHDRAWN: ({}, [acknowledge, withdraw]),
    }
)


def case_at(status: str, *, hearing_held: bool = False, **concern_options) -> Case:
    """A new case, taken through the services to ``status``.

    ``hearing_held`` leaves a case at its scheduled hearing (or appeal hearing) with that
    hearing already held, so the chair can decide straight away.
    """
    options, steps = ROUTES[status]
    if hearing_held and (not steps or not _arranges(steps[-1])):
        raise ValueError(f"No hearing is arranged at {status}.")
    case = walk(steps, hearing_held=hearing_held, **{**options, **concern_options})
    assert case.status == status, (case.status, status)
    return case


def walk(steps: list[Step], *, hearing_held: bool = False, **concern_options) -> Case:
    """Raise a concern and take ``steps``, each at a moment that fits the procedure.

    A chair decides only after the hearing, so a case that has been through one is walked
    through a past worked back from today: the last hearing was on the last working day,
    each hearing was arranged with the notice the rules require, and the other steps came a
    working day apart. Steps after the last hearing held (sign-off, issue, an appeal being
    lodged) happen now.
    """
    subject = person(*concern_options.get("subject", ("Daniel", "Shaw")))
    moments = _timeline(steps, calendar=Calendar(school_id=subject.school_id), held=hearing_held)
    with _at(moments[0]):
        case = raise_concern(**concern_options)
    for step, moment in zip(steps, moments[1:], strict=True):
        with _at(moment):
            case = step(Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def _timeline(
    steps: list[Step], *, calendar: Calendar, held: bool
) -> list[datetime.datetime | None]:
    """When the concern is raised and each step taken (None: now)."""
    decisions = [i for i, step in enumerate(steps) if _decides(step)]
    last = max(decisions + ([len(steps) - 1] if held else []), default=None)
    if last is None:
        return [None] * (len(steps) + 1)
    moments: list[datetime.datetime | None] = [None] * len(steps)
    notice = procedure("HEARING_NOTICE_WORKING_DAYS")
    day = timezone.localdate()
    i = last
    while i >= 0:
        if _decides(steps[i]) or (held and i == last):
            hearing_day = _working_days_before(calendar, day, 1)
            if _decides(steps[i]):
                moments[i] = _moment(hearing_day, hour=12)  # after the hearing at 10
                i -= 1
            arranged = max(j for j in range(i + 1) if _arranges(steps[j]))
            day = _working_days_before(calendar, hearing_day, notice)
            moments[arranged] = _moment(day, hour=9)
            # What came between (the invitation, say) followed on the day it was arranged.
            for offset, j in enumerate(range(arranged + 1, i + 1)):
                moments[j] = _moment(day, hour=10 + offset)
            i = arranged - 1
        else:
            day = _working_days_before(calendar, day, 1)
            moments[i] = _moment(day, hour=14)
            i -= 1
    return [_moment(_working_days_before(calendar, day, 1), hour=9), *moments]


def _working_days_before(calendar: Calendar, day: datetime.date, count: int) -> datetime.date:
    """The working day that ``count`` working days after it reaches ``day``."""
    for _ in range(count):
        day -= datetime.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def _moment(day: datetime.date, *, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@contextmanager
def _at(moment: datetime.datetime | None) -> Iterator[None]:
    """Take a step as if at ``moment`` (a demonstration's past), or now."""
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=False):
        yield
