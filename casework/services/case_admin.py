"""HR actions that can happen at any point: withdrawal and the subject's resignation."""

from __future__ import annotations

import datetime

from casework import clock, permissions
from casework.errors import NotAllowed, RuleBroken
from casework.models import Case, User

from .cases import advance, locked_case, note, workflow_sync


def withdraw_case(*, case: Case, by: User, reason: str) -> Case:
    """HR withdraws an open case, with a reason; open tasks are cancelled."""
    with locked_case(case) as case:
        if not reason.strip():
            raise RuleBroken("Give the reason for withdrawing the case.")
        case.closure_reason = reason.strip()
        advance(case, "withdraw", by=by, why=reason.strip())
        workflow_sync(case, by=by)
        return case


def record_resignation(
    *, case: Case, by: User, resigned_on: datetime.date, notes: str = ""
) -> Case:
    """KCSIE: resignation does not stop the process; the case goes on."""
    with locked_case(case) as case:
        if not permissions.may_manage_case(case, by):
            raise NotAllowed("Only an HR case manager may record a resignation.")
        if not case.is_open:
            raise RuleBroken("This case is closed.")
        if resigned_on > clock.today():
            raise RuleBroken("Record a resignation once it has been received.")
        case.subject_resigned_on = resigned_on
        case.save(update_fields=["subject_resigned_on"])
        note(
            case,
            by=by,
            action="case.subject_resigned",
            summary=f"Subject resigned on {resigned_on:%d %B %Y}; the case continues",
            details={"notes": notes.strip()},
        )
        return case
