"""When the next action on a case is due, in working days from the procedure settings."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Case, Hearing, Status
from .workdays import Calendar, procedure, trust_of

# Status -> the procedure setting that gives the working days allowed from entering it.
_TARGETS = {
    Status.APPOINTING_INVESTIGATOR: "TASK_TARGET_WORKING_DAYS",
    Status.INVESTIGATION: "INVESTIGATION_TARGET_WORKING_DAYS",
    Status.INVESTIGATION_REPORT: "TASK_TARGET_WORKING_DAYS",
    Status.HEARING_TO_ARRANGE: "TASK_TARGET_WORKING_DAYS",
    Status.AWAITING_SIGN_OFF: "SIGN_OFF_WORKING_DAYS",
    Status.RETURNED_TO_CHAIR: "TASK_TARGET_WORKING_DAYS",
    Status.SIGNED_OFF: "TASK_TARGET_WORKING_DAYS",
    Status.APPEAL_LODGED: "TASK_TARGET_WORKING_DAYS",
}

# The working days each stage should take, by its procedure setting (the dashboard's targets).
STAGE_TARGETS = {
    Status.RECEIVED: "TRIAGE_WORKING_DAYS",
    Status.TRIAGE: "TRIAGE_WORKING_DAYS",
    Status.SAFEGUARDING_REVIEW: "LADO_REFERRAL_WORKING_DAYS",
    Status.LADO_REFERRAL: "LADO_REFERRAL_WORKING_DAYS",
    **_TARGETS,
}


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def lado_referral_due(case: Case) -> datetime.date:
    """KCSIE: the LADO is told within one working day (setting) of the concern reaching the DSL."""
    start = case.safeguarding_since or case.raised_at
    return Calendar.of_case(case).add_working_days(
        _local_date(start), procedure("LADO_REFERRAL_WORKING_DAYS", trust=trust_of(case))
    )


def action_due_on(case: Case) -> datetime.date | None:
    """The date by which whoever must act next should have acted; None if nobody must."""
    calendar = Calendar.of_case(case)
    status = case.status
    if status in (Status.RECEIVED, Status.TRIAGE):
        return calendar.add_working_days(
            _local_date(case.raised_at), procedure("TRIAGE_WORKING_DAYS", trust=trust_of(case))
        )
    if status in (Status.SAFEGUARDING_REVIEW, Status.LADO_REFERRAL):
        return lado_referral_due(case)
    if status in (Status.HEARING_SCHEDULED, Status.APPEAL_HEARING):
        appeal = status == Status.APPEAL_HEARING
        hearing = case.hearings.current(
            Hearing.Kind.APPEAL if appeal else Hearing.Kind.DISCIPLINARY
        )
        return _local_date(hearing.starts_at) if hearing else None
    if status == Status.OUTCOME_ISSUED:
        return case.appeal_deadline
    if status in _TARGETS:
        return calendar.add_working_days(
            _local_date(case.stage_entered_at), procedure(_TARGETS[status], trust=trust_of(case))
        )
    return None  # on hold for an external process, or closed
