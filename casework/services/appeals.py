"""Appeals (Acas Code paras 26-29): in writing, in time, heard by someone not involved."""

from __future__ import annotations

import datetime

from django.utils import timezone

from casework import clock, responsibility
from casework.errors import RuleBroken
from casework.models import (
    SANCTION_SEVERITY,
    Appeal,
    AppealOutcome,
    Case,
    Hearing,
    Sanction,
    User,
)
from casework.workdays import trust_of

from .cases import advance, ensure_allowed, ensure_possible, locked_case, workflow_sync
from .hearings import (
    Arrangement,
    WhoAttended,
    _check_arrangement,
    _new_hearing,
    allowed_sanctions,
    attendance_for_decision,
    check_notice,
    current_hearing,
    ensure_hearing_held,
    store_attendance,
)
from .outcomes import warning_expiry


def lodge_appeal(*, case: Case, by: User, lodged_on: datetime.date, grounds: str) -> Appeal:
    """Record an appeal received in writing, with grounds, within the window."""
    with locked_case(case) as case:
        ensure_possible(case, "lodge_appeal")  # one appeal per case, and only once issued
        if not grounds.strip():
            raise RuleBroken("Record the grounds of appeal as the appellant gave them.")
        if lodged_on > clock.today():
            raise RuleBroken("The date the appeal was received cannot be in the future.")
        if case.outcome_issued_on and lodged_on < case.outcome_issued_on:
            raise RuleBroken("An appeal cannot be received before the outcome was issued.")
        if case.appeal_deadline and lodged_on > case.appeal_deadline:
            raise RuleBroken(
                f"The appeal window closed on {case.appeal_deadline:%d %B %Y}; this appeal is "
                "out of time."
            )
        appeal = Appeal.objects.create(
            case=case,
            lodged_on=lodged_on,
            grounds=grounds.strip(),
            recorded_by=by,
            original_sanction=case.sanction,
        )
        advance(
            case,
            "lodge_appeal",
            by=by,
            why="Appeal lodged",
            details={"lodged_on": lodged_on.isoformat()},
        )
        workflow_sync(case, by=by, completes="appeal_window")
        return appeal


def schedule_appeal_hearing(*, case: Case, by: User, arrangement: Arrangement) -> Hearing:
    with locked_case(case) as case:
        _check_arrangement(case, arrangement)
        responsibility.ensure_may_chair_appeal(case, arrangement.chair)
        check_notice(case, arrangement)
        case.appeal_chair = arrangement.chair
        hearing = _new_hearing(case, arrangement, kind=Hearing.Kind.APPEAL, by=by)
        advance(
            case,
            "schedule_appeal_hearing",
            by=by,
            why=f"Appeal hearing on {timezone.localtime(hearing.starts_at):%d %B %Y at %H:%M}",
            details={"appeal_chair": arrangement.chair.full_name, "hearing": hearing.pk},
        )
        workflow_sync(case, by=by, completes="arrange_appeal")
        return hearing


def decide_appeal(
    *,
    case: Case,
    by: User,
    outcome: str,
    reasons: str,
    new_sanction: str = "",
    attendance: WhoAttended | None = None,
) -> Case:
    """The appeal chair's decision is final; a sanction can be reduced, never increased.
    The appeal hearing goes ahead without the appellant on the hearing's rules
    (``check_attendance``)."""
    with locked_case(case) as case:
        ensure_allowed(case, "decide_appeal", by=by)
        hearing = current_hearing(case, Hearing.Kind.APPEAL)
        ensure_hearing_held(hearing)
        attended = attendance_for_decision(case, hearing, attendance)
        appeal = case.appeal
        if not reasons.strip():
            raise RuleBroken("Give the reasons for the appeal decision.")
        original = appeal.original_sanction
        lowest = Sanction.VOLUNTEER_NO_ACTION if case.subject.is_volunteer else Sanction.NO_ACTION
        if outcome == AppealOutcome.UPHELD:
            final = original
        elif outcome == AppealOutcome.REVOKED:
            final = lowest
        elif outcome == AppealOutcome.SANCTION_REDUCED:
            if new_sanction not in allowed_sanctions(case):
                raise RuleBroken("Choose the reduced sanction.")
            if SANCTION_SEVERITY[new_sanction] >= SANCTION_SEVERITY[original]:
                raise RuleBroken(
                    f"A reduced sanction must be lighter than {Sanction(original).label.lower()}."
                )
            final = new_sanction
        else:
            raise RuleBroken("Choose the appeal outcome.")
        if attended is not None:
            store_attendance(hearing, attended)
        appeal.outcome = outcome
        appeal.new_sanction = final
        appeal.reasons = reasons.strip()
        appeal.decided_at = clock.now()
        appeal.save()
        case.sanction = final
        case.warning_expires_on = warning_expiry(
            final, case.sanction_effective_on, trust=trust_of(case)
        )
        advance(
            case,
            "decide_appeal",
            by=by,
            why=reasons.strip(),
            details={
                "outcome": outcome,
                "sanction": final,
                "attendance": hearing.subject_attendance if hearing else "",
            },
        )
        workflow_sync(case, by=by, completes="decide_appeal")
        return case
