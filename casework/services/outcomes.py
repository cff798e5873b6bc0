"""Issuing the outcome, and closing the case when nobody appeals in time."""

from __future__ import annotations

import datetime

from casework import clock
from casework.errors import RuleBroken
from casework.models import Case, Sanction, Status, User
from casework.workdays import Calendar, last_day_of_months, procedure, trust_of

from . import referrals
from .cases import advance, ensure_possible, locked_case, workflow_sync


def warning_expiry(
    sanction: str, effective_on: datetime.date, *, trust: int
) -> datetime.date | None:
    """The last day a warning is live: the live period (setting) in calendar months, with
    the day of issue counted and the corresponding-date rule applied at month ends (see
    ``casework.workdays.last_day_of_months``); None for a sanction that is not a warning."""
    months = {
        Sanction.FIRST_WRITTEN_WARNING: procedure("FIRST_WARNING_LIVE_MONTHS", trust=trust),
        Sanction.FINAL_WRITTEN_WARNING: procedure("FINAL_WARNING_LIVE_MONTHS", trust=trust),
    }.get(sanction)
    if months is None:
        return None
    return last_day_of_months(effective_on, months)


def appeal_deadline(case: Case, issued_on: datetime.date) -> datetime.date:
    return Calendar.of_case(case).add_working_days(
        issued_on, procedure("APPEAL_WORKING_DAYS", trust=trust_of(case))
    )


def issue_outcome(*, case: Case, by: User, issued_on: datetime.date | None = None) -> Case:
    """Send the signed-off outcome. Live periods and the appeal deadline run from today."""
    with locked_case(case) as case:
        issued_on = issued_on or clock.today()
        if issued_on != clock.today():
            raise RuleBroken("An outcome is issued on the day it is sent.")
        if not case.sign_offs.filter(approved=True).exists():
            raise RuleBroken(
                "The outcome cannot be issued before the headteacher has signed it off."
            )
        case.outcome_issued_on = issued_on
        case.sanction_effective_on = issued_on
        case.warning_expires_on = warning_expiry(case.sanction, issued_on, trust=trust_of(case))
        case.appeal_deadline = appeal_deadline(case, issued_on)
        advance(
            case,
            "issue_outcome",
            by=by,
            why=f"Outcome issued: {case.get_sanction_display()}",
            details={
                "appeal_deadline": case.appeal_deadline.isoformat(),
                "warning_expires_on": case.warning_expires_on.isoformat()
                if case.warning_expires_on
                else None,
            },
        )
        workflow_sync(case, by=by, completes="issue_outcome")
        return case


def close_after_appeal_window(
    *, case: Case, by: User | None, today: datetime.date | None = None
) -> Case:
    """No appeal arrived in time: the outcome is final. ``by`` None is the daily job."""
    with locked_case(case) as case:
        ensure_possible(case, "close_after_appeal_window")
        today = today or clock.today()
        if today <= case.appeal_deadline:
            raise RuleBroken(
                f"The appeal window is open until {case.appeal_deadline:%d %B %Y}; the case "
                "closes after that if no appeal is lodged."
            )
        advance(case, "close_after_appeal_window", by=by, why="No appeal within the window")
        workflow_sync(case, by=by, completes="appeal_window" if by else None)
        return case


def lapsed_appeal_windows(today: datetime.date | None = None):
    today = today or clock.today()
    return Case.objects.filter(status=Status.OUTCOME_ISSUED, appeal_deadline__lt=today)


def close_lapsed_appeal_windows(*, today: datetime.date | None = None) -> list[str]:
    """Close every case whose appeal window has passed (run daily), except those still
    waiting for a referral decision: they stay with HR, whose task says why."""
    today = today or clock.today()
    closed = []
    for case in lapsed_appeal_windows(today):
        if referrals.outstanding_questions(case):
            continue
        close_after_appeal_window(case=case, by=None, today=today)
        closed.append(case.reference)
    return closed


def lapsed_but_waiting_for_referrals(*, today: datetime.date | None = None) -> list[str]:
    """Cases the daily job could not close: a referral decision is still to be recorded."""
    return [
        case.reference
        for case in lapsed_appeal_windows(today)
        if referrals.outstanding_questions(case)
    ]
