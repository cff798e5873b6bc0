"""The safeguarding route (KCSIE Part 4): the DSL's review, the LADO, the pause and resume."""

from __future__ import annotations

import datetime

from django.utils import timezone

from casework import deadlines, permissions
from casework.errors import RuleBroken
from casework.models import (
    AFTER_EXTERNAL_DECISION,
    RESUME_TO,
    Case,
    LadoOutcome,
    LadoReferral,
    LowLevelConcern,
    SafeguardingDecision,
    SafeguardingReview,
    Status,
    User,
)

from .allegations import ensure_allegations_framed
from .cases import (
    advance,
    ensure_at,
    ensure_possible,
    locked_case,
    note,
    take_on_if_unmanaged,
    workflow_sync,
)
from .triage import record_dpo_told


def review_safeguarding_concern(
    *, case: Case, by: User, decision: str, reasons: str, dpo_informed: bool = False
) -> Case:
    """The DSL decides whether the harm threshold is met.

    KCSIE: the case manager must not interview the subject, the child or witnesses before
    the LADO is consulted, so a referral puts the internal process on hold.
    """
    with locked_case(case) as case:
        ensure_at(case, Status.SAFEGUARDING_REVIEW)
        why = reasons.strip()
        if not why:
            raise RuleBroken("Give your reasons: they are part of the safeguarding record.")
        if decision not in SafeguardingDecision.values:
            raise RuleBroken("Choose one of the safeguarding decisions.")
        if decision != SafeguardingDecision.NOT_SAFEGUARDING:  # back at triage, HR confirms it
            record_dpo_told(case, confirmed=dpo_informed)
        if decision == SafeguardingDecision.REFER_TO_LADO:
            LadoReferral.objects.update_or_create(
                case=case,
                defaults={
                    "due_on": deadlines.lado_referral_due(case),
                    "harm_threshold_reasons": why,
                },
            )
            advance(case, "decide_lado_referral", by=by, why=why)
        elif decision == SafeguardingDecision.LOW_LEVEL_CONCERN:
            _log_low_level_concern(case, by=by, rationale=why)
            case.closure_reason = why
            advance(case, "log_low_level_concern", by=by, why=why)
        elif decision == SafeguardingDecision.INVESTIGATION:
            ensure_allegations_framed(case)
            advance(case, "open_investigation", by=by, why=why)
        elif decision == SafeguardingDecision.NOT_SAFEGUARDING:
            advance(case, "return_to_triage", by=by, why=why)
        # Whoever decided the harm threshold will not chair the hearing or the appeal.
        SafeguardingReview.objects.create(
            case=case, decision=decision, reasons=why, decided_by=permissions.person_of(by)
        )
        workflow_sync(case, by=by, completes="safeguarding_review")
        return case


def _log_low_level_concern(case: Case, *, by: User, rationale: str) -> None:
    record, _ = LowLevelConcern.objects.update_or_create(
        case=case, defaults={"school": case.school, "rationale": rationale, "recorded_by": by}
    )
    note(
        case,
        by=by,
        action="safeguarding.low_level_logged",
        summary="Logged in the low-level concerns log",
        target=record,
    )


def record_lado_referral(
    *,
    case: Case,
    by: User,
    referred_on: datetime.date,
    lado_reference: str,
    lado_name: str,
    police_involved: bool,
) -> Case:
    """The referral is made: the internal process waits for the LADO and police."""
    with locked_case(case) as case:
        ensure_possible(case, "hold_for_lado")
        if referred_on > timezone.localdate():
            raise RuleBroken("The referral date cannot be in the future.")
        if referred_on < timezone.localtime(case.raised_at).date():
            raise RuleBroken("The referral date cannot be before the concern was raised.")
        if not lado_reference.strip():
            raise RuleBroken("Give the reference the LADO gave the referral.")
        referral = case.lado_referral
        referral.referred_on = referred_on
        referral.lado_reference = lado_reference.strip()[:50]
        referral.lado_name = lado_name.strip()[:150]
        referral.police_involved = police_involved
        referral.referred_by = by
        referral.save()
        case.hold_reason = f"Referred to the LADO (reference {referral.lado_reference})" + (
            ", with police involvement" if police_involved else ""
        )
        late = referred_on > referral.due_on
        advance(
            case,
            "hold_for_lado",
            by=by,
            why=case.hold_reason,
            details={"referred_on": referred_on.isoformat(), "late": late},
        )
        workflow_sync(case, by=by, completes="refer_to_lado")
        return case


def resume_after_hold(
    *,
    case: Case,
    by: User,
    notes: str,
    next_step: str = "",
    lado_outcome: str = "",
) -> Case:
    """The LADO or police say the internal process may go on.

    A case paused at a formal stage returns to that stage (a hearing must be re-arranged).
    After a LADO referral, HR records the LADO's outcome and chooses what happens next.
    """
    with locked_case(case) as case:
        ensure_possible(case, "resume")
        why = notes.strip()
        if not why:
            raise RuleBroken("Say who allowed the internal process to go on, and when.")
        if case.paused_from:
            target = RESUME_TO[case.paused_from]
        else:
            if lado_outcome not in LadoOutcome.values:
                raise RuleBroken("Record the LADO's outcome before the case goes on.")
            if next_step not in AFTER_EXTERNAL_DECISION:
                raise RuleBroken("Choose what happens next.")
            target = next_step
            referral = case.lado_referral
            referral.outcome = lado_outcome
            referral.outcome_recorded_on = timezone.localdate()
            referral.outcome_notes = why
            referral.save()
            if target == Status.APPOINTING_INVESTIGATOR:
                ensure_allegations_framed(case)
            if target == Status.LOW_LEVEL_CONCERN:
                _log_low_level_concern(case, by=by, rationale=why)
            if target in (
                Status.INFORMAL_ADVICE,
                Status.NO_CASE_TO_ANSWER,
                Status.LOW_LEVEL_CONCERN,
            ):
                case.closure_reason = why
        take_on_if_unmanaged(case, by=by)
        advance(
            case,
            "resume",
            by=by,
            why=why,
            to=target,
            details={"lado_outcome": lado_outcome} if lado_outcome else None,
        )
        workflow_sync(case, by=by, completes="resume_after_hold")
        return case


def pause_case(*, case: Case, by: User, reason: str) -> Case:
    """Put a formal stage on hold for an external process (police, LADO, a regulator)."""
    with locked_case(case) as case:
        why = reason.strip()
        if not why:
            raise RuleBroken("Say which external process the case is waiting for.")
        case.paused_from = case.status
        case.hold_reason = why
        advance(case, "pause", by=by, why=why)
        workflow_sync(case, by=by)
        return case
