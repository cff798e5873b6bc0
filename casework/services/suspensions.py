"""Suspension: a neutral act, on full pay, as short as possible (Acas Code para 8)."""

from __future__ import annotations

import datetime

from casework import clock, permissions
from casework.errors import NotAllowed, RuleBroken
from casework.models import (
    SUSPENDABLE_STATUSES,
    Case,
    StaffMember,
    Suspension,
    SuspensionReview,
    User,
)
from casework.workdays import Calendar, procedure, trust_of

from .cases import locked_case, note


def _ensure_manager(case: Case, by: User) -> None:
    if not permissions.may_manage_case(case, by):
        raise NotAllowed("Only an HR case manager may suspend or lift a suspension.")


def _default_review(case: Case, from_day: datetime.date) -> datetime.date:
    return Calendar.of_case(case).add_working_days(
        from_day, procedure("SUSPENSION_REVIEW_WORKING_DAYS", trust=trust_of(case))
    )


def suspend(
    *,
    case: Case,
    by: User,
    started_on: datetime.date,
    reasons: str,
    alternatives_considered: str,
    welfare_contact: StaffMember,
    conditions: str = "",
    next_review_on: datetime.date | None = None,
) -> Suspension:
    with locked_case(case) as case:
        _ensure_manager(case, by)
        if case.status not in SUSPENDABLE_STATUSES:
            raise RuleBroken(
                "A suspension is considered only once the case is at a formal or safeguarding "
                "stage."
            )
        if case.suspensions.filter(ended_on__isnull=True).exists():
            raise RuleBroken("They are already suspended; review or lift that suspension.")
        if not reasons.strip() or not alternatives_considered.strip():
            raise RuleBroken(
                "Give the reasons, and the alternatives considered first (such as a temporary "
                "change of duties)."
            )
        if welfare_contact.pk == case.subject_id:
            raise RuleBroken("The welfare contact must be someone other than the person suspended.")
        if welfare_contact.trust_id != case.trust_id:
            raise RuleBroken(
                f"{welfare_contact.full_name} works for another trust: choose a welfare contact "
                "in this one."
            )
        review = next_review_on or _default_review(case, started_on)
        if review <= started_on:
            raise RuleBroken("The first review must come after the suspension starts.")
        suspension = Suspension.objects.create(
            case=case,
            started_on=started_on,
            reasons=reasons.strip(),
            alternatives_considered=alternatives_considered.strip(),
            conditions=conditions.strip(),
            welfare_contact=welfare_contact,
            next_review_on=review,
            started_by=by,
        )
        note(
            case,
            by=by,
            action="suspension.started",
            target=suspension,
            summary=(
                f"Suspended on full pay from {started_on:%d %B %Y}; review by {review:%d %B %Y}"
            ),
        )
        return suspension


def review_suspension(
    *,
    suspension: Suspension,
    by: User,
    reviewed_on: datetime.date,
    notes: str,
    next_review_on: datetime.date | None = None,
) -> SuspensionReview:
    with locked_case(suspension.case_id) as case:
        _ensure_manager(case, by)
        suspension = case.suspensions.get(pk=suspension.pk)
        if not suspension.is_current:
            raise RuleBroken("This suspension has ended.")
        if reviewed_on > clock.today() or reviewed_on < suspension.started_on:
            raise RuleBroken(
                "The review date must be between the start of the suspension and today."
            )
        if not notes.strip():
            raise RuleBroken("Record why the suspension continues.")
        following = next_review_on or _default_review(case, reviewed_on)
        if following <= reviewed_on:
            raise RuleBroken("The next review must come after this one.")
        review = SuspensionReview.objects.create(
            suspension=suspension,
            reviewed_on=reviewed_on,
            notes=notes.strip(),
            next_review_on=following,
            reviewed_by=by,
        )
        suspension.next_review_on = following
        suspension.save(update_fields=["next_review_on"])
        note(
            case,
            by=by,
            action="suspension.reviewed",
            target=review,
            summary=f"Suspension reviewed; continues, next review by {following:%d %B %Y}",
        )
        return review


def lift_suspension(
    *, suspension: Suspension, by: User, ended_on: datetime.date, reason: str
) -> Suspension:
    with locked_case(suspension.case_id) as case:
        _ensure_manager(case, by)
        suspension = case.suspensions.get(pk=suspension.pk)
        if not suspension.is_current:
            raise RuleBroken("This suspension has already ended.")
        if ended_on < suspension.started_on:
            raise RuleBroken("A suspension cannot end before it started.")
        if not reason.strip():
            raise RuleBroken("Say why the suspension is lifted.")
        end_suspension(suspension, ended_on=ended_on, reason=reason.strip(), by=by)
        return suspension


def end_suspension(
    suspension: Suspension, *, ended_on: datetime.date, reason: str, by: User | None
) -> None:
    suspension.ended_on = ended_on
    suspension.end_reason = reason
    suspension.save(update_fields=["ended_on", "end_reason"])
    note(
        suspension.case,
        by=by,
        action="suspension.lifted",
        target=suspension,
        summary=f"Suspension lifted on {ended_on:%d %B %Y}",
        details={"why": reason},
    )
