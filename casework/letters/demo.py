"""Letters in the demonstration data, issued through the real services.

``seed()`` gives the demo one issued PDF of every kind, for an employee and (where the kind
exists for them) a volunteer: on the demo cases already at the right stage, and on a few
cases walked through the services for the purpose (a suspension that is reviewed and
lifted, the two kinds of dismissal, and a volunteer's outcomes). The helpers also build
the cases the letter tests use.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from casework import clock, demo, demo_cases, permissions
from casework.letters import kinds
from casework.models import (
    Case,
    DeliveryMethod,
    Letter,
    LetterKind,
    Sanction,
    StaffMember,
    Status,
    Suspension,
)
from casework.services import letters, suspensions
from casework.workdays import Calendar

EMPLOYEE = {"subject": ("Aisha", "Khan"), "reporter": ("Liam", "Murphy")}
VOLUNTEER = {"subject": ("Patricia", "Doyle"), "reporter": ("Grace", "O'Neill")}


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def case_with_outcome(sanction: str, *, issued: bool = False, **concern) -> Case:
    """A case whose hearing decided ``sanction`` and whose outcome is signed off (and, with
    ``issued``, issued through its letter)."""
    case = demo_cases.case_at(Status.HEARING_SCHEDULED, hearing_held=True, **concern)
    case = demo_cases.approve(fresh(demo_cases.decide(case, sanction)))
    if issued:
        issue(case, kinds.outcome_kind_for(fresh(case)).kind, **outcome_inputs(fresh(case)))
    return fresh(case)


def outcome_inputs(case: Case) -> dict:
    if case.sanction != Sanction.DISMISSAL_WITH_NOTICE:
        return {}
    return {"notice_weeks": 12, "pay_in_lieu": True}


def welfare_contact_for(case: Case) -> StaffMember:
    """Someone at the subject's school with no part in the case and no casework role."""
    return (
        StaffMember.objects.filter(school=case.school, roles__isnull=True, user__isnull=False)
        .exclude(pk__in=permissions.conflicted_ids(case))
        .order_by("last_name", "first_name")
        .first()
    )


def suspend(case: Case) -> Suspension:
    return suspensions.suspend(
        case=case,
        by=demo_cases.hr(case),
        started_on=clock.today(),
        reasons=(
            "The concern is about contact with pupils on social media; the investigation "
            "needs to speak to pupils and staff without the risk of that being affected."
        ),
        alternatives_considered=(
            "A temporary move to work away from pupils was considered, but the school is too "
            "small for that to keep the investigation apart."
        ),
        welfare_contact=welfare_contact_for(case),
        conditions="Please do not use the school's online platforms while suspended.",
    )


def review(suspension: Suspension):
    return suspensions.review_suspension(
        suspension=suspension,
        by=demo_cases.hr(suspension.case),
        reviewed_on=clock.today(),
        notes="Witnesses are still being interviewed; the reasons for suspension still apply.",
    )


def lift(suspension: Suspension) -> Suspension:
    return suspensions.lift_suspension(
        suspension=suspension,
        by=demo_cases.hr(suspension.case),
        ended_on=clock.today(),
        reason="The investigation has interviewed everyone it needs to.",
    )


def meeting_inputs(case: Case, *, hour: int = 10) -> dict:
    """The next working day, at ``hour``, at the subject's school."""
    day = Calendar.of_case(case).add_working_days(clock.today(), 1)
    return {
        "meets_at": timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))),
        "location": f"Meeting room 1, {case.school.name}",
    }


def issue(case: Case, kind: str, **inputs) -> Letter:
    return letters.issue_letter(case=fresh(case), by=demo_cases.hr(case), kind=kind, inputs=inputs)


@transaction.atomic
def seed() -> int:
    """Issue the demo's letters (once: nothing happens if any letter exists)."""
    if Letter.objects.exists():
        return 0
    issued = []
    for audience in (EMPLOYEE, VOLUNTEER):
        issued += _story(audience)
    for sanction in (Sanction.DISMISSAL_WITH_NOTICE, Sanction.SUMMARY_DISMISSAL):
        case = case_with_outcome(
            sanction, issued=True, subject=("Sam", "Adeyemi"), reporter=("Kate", "Morris")
        )
        issued.append(case.letters.get())
    for outcome in (Sanction.VOLUNTEER_ROLE_ADJUSTED, Sanction.VOLUNTEERING_ENDED):
        case = case_with_outcome(
            outcome, issued=True, subject=("Frank", "Gallagher"), reporter=("Sam", "Adeyemi")
        )
        issued.append(case.letters.get())
    issued += letters_for_demo_cases(Case.objects.filter(trust__name=demo.ST_CLARE.name))
    # Delivered in each of the three ways, as HR would record them.
    letters.deliver_letter(
        letter=issued[0], by=demo_cases.hr(issued[0].case), method=DeliveryMethod.EMAIL
    )
    letters.deliver_letter(
        letter=issued[1],
        by=demo_cases.hr(issued[1].case),
        method=DeliveryMethod.HAND,
        delivered_on=clock.today(),
        notes="Handed over at the start of the school day.",
    )
    letters.deliver_letter(
        letter=issued[2],
        by=demo_cases.hr(issued[2].case),
        method=DeliveryMethod.POST,
        delivered_on=clock.today(),
        notes="First class, signed for.",
    )
    return len(issued)


def _story(concern: dict) -> list[Letter]:
    """One case from investigation to appeal, with the letters each stage calls for, each
    on the day it would have been sent."""
    made = []

    def letter(kind: str, inputs=None):
        def send(case: Case) -> Case:
            made.append(issue(case, kind, **(inputs(case) if inputs else {})))
            return case

        return send

    def suspended(case: Case) -> Case:
        suspend(case)
        return case

    def reviewed(case: Case) -> Case:
        review(case.suspensions.get(ended_on__isnull=True))
        return case

    def lifted(case: Case) -> Case:
        lift(case.suspensions.get(ended_on__isnull=True))
        return case

    @demo_cases.decides_after_hearing
    def decided(case: Case) -> Case:
        volunteer = case.subject.is_volunteer
        return demo_cases.decide(
            case,
            Sanction.VOLUNTEER_GUIDANCE if volunteer else Sanction.FINAL_WRITTEN_WARNING,
        )

    _, to_investigation = demo_cases.ROUTES[Status.INVESTIGATION]
    demo_cases.walk(
        [
            *to_investigation,
            letter(LetterKind.INVESTIGATION_MEETING, meeting_inputs),
            suspended,
            letter(LetterKind.SUSPENSION),
            reviewed,
            letter(LetterKind.SUSPENSION_REVIEW),
            demo_cases.report,
            demo_cases.refer_to_hearing,
            demo_cases.schedule,
            letter(LetterKind.HEARING_INVITATION),
            lifted,
            letter(LetterKind.SUSPENSION_LIFTED),
            decided,
            demo_cases.approve,
            letter(LetterKind.OUTCOME),
            demo_cases.lodge,
            demo_cases.schedule_appeal,
            letter(LetterKind.APPEAL_INVITATION),
            demo_cases.decide_appeal,
            letter(LetterKind.APPEAL_OUTCOME),
        ],
        **concern,
    )
    return made


def letters_for_demo_cases(cases: QuerySet[Case]) -> list[Letter]:
    """The letter each of these demo cases at a letter-writing stage would already have had,
    issued by its own trust's HR."""
    made = []
    natural = {
        Status.INVESTIGATION: LetterKind.INVESTIGATION_MEETING,
        Status.HEARING_SCHEDULED: LetterKind.HEARING_INVITATION,
        Status.OUTCOME_ISSUED: LetterKind.OUTCOME,
        Status.CLOSED: LetterKind.OUTCOME,
        Status.APPEAL_HEARING: LetterKind.APPEAL_INVITATION,
        Status.APPEAL_DECIDED: LetterKind.APPEAL_OUTCOME,
        Status.NO_CASE_TO_ANSWER: LetterKind.NO_FURTHER_ACTION,
        Status.INFORMAL_ADVICE: LetterKind.NO_FURTHER_ACTION,
    }
    for case in cases.filter(status__in=natural, letters__isnull=True).order_by("pk"):
        kind = natural[case.status]
        inputs = meeting_inputs(case) if kind == LetterKind.INVESTIGATION_MEETING else {}
        if kind == LetterKind.OUTCOME:  # or the dismissal letter the sanction calls for
            kind = kinds.outcome_kind_for(case).kind
            inputs = outcome_inputs(case)
        made.append(issue(case, kind, **inputs))
    return made
