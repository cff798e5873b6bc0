"""The safeguarding route (KCSIE Part 4): the DSL's review, the LADO, the pause and resume."""

from __future__ import annotations

import datetime

from django.utils import timezone

from casework import clock, deadlines, permissions, responsibility
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
from .routing import awaiting_lado_outcome

# A review that interrupted a later stage (a new allegation citing a safeguarding clause)
# ends in a referral, or with the case going back to that stage, a low-level concern logged
# or not: the procedure under way is not started again.
AFTER_AN_INTERRUPTION = (
    SafeguardingDecision.REFER_TO_LADO,
    SafeguardingDecision.LOW_LEVEL_CONCERN,
    SafeguardingDecision.CONTINUE,
)
ON_ARRIVAL = (
    SafeguardingDecision.REFER_TO_LADO,
    SafeguardingDecision.LOW_LEVEL_CONCERN,
    SafeguardingDecision.INVESTIGATION,
    SafeguardingDecision.NOT_SAFEGUARDING,
)


def safeguarding_decisions(case: Case) -> tuple[SafeguardingDecision, ...]:
    """The decisions open to the DSL on this case's review."""
    return AFTER_AN_INTERRUPTION if case.review_interrupted else ON_ARRIVAL


def review_safeguarding_concern(*, case: Case, by: User, decision: str, reasons: str) -> Case:
    """The DSL decides whether the harm threshold is met.

    KCSIE: the case manager must not interview the subject, the child or witnesses before
    the LADO is consulted, so a referral puts the internal process on hold. A review that
    interrupted a later stage returns the case there unless it goes to the LADO.
    """
    with locked_case(case) as case:
        ensure_at(case, Status.SAFEGUARDING_REVIEW)
        why = reasons.strip()
        if not why:
            raise RuleBroken("Give your reasons: they are part of the safeguarding record.")
        if decision not in safeguarding_decisions(case):
            raise RuleBroken("Choose one of the safeguarding decisions.")
        interrupted = case.review_interrupted
        if decision == SafeguardingDecision.REFER_TO_LADO:
            LadoReferral.objects.update_or_create(
                case=case,
                defaults={
                    "due_on": deadlines.lado_referral_due(case),
                    "harm_threshold_reasons": why,
                    # A referral of its own, even if the case went to the LADO before.
                    "referred_on": None,
                    "lado_reference": "",
                    "lado_name": "",
                    "police_involved": False,
                    "referred_by": None,
                    "outcome": "",
                    "outcome_recorded_on": None,
                    "outcome_notes": "",
                },
            )
            if interrupted and interrupted != Status.ON_HOLD_EXTERNAL:
                case.paused_from = interrupted  # where the case resumes after the LADO
            advance(case, "decide_lado_referral", by=by, why=why)
        elif interrupted:  # a low-level concern, or not one: back to where the case was
            if decision == SafeguardingDecision.LOW_LEVEL_CONCERN:
                _log_low_level_concern(case, by=by, rationale=why)
            advance(
                case,
                "return_from_safeguarding_review",
                by=by,
                why=why,
                to=stage_to_go_back_to(case, interrupted),
            )
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
        if referred_on > clock.today():
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
        referred = f"Referred to the LADO (reference {referral.lado_reference})" + (
            ", with police involvement" if police_involved else ""
        )
        # A case already on hold for another external process waits for both.
        case.hold_reason = f"{case.hold_reason}; {referred}" if case.hold_reason else referred
        late = referred_on > referral.due_on
        advance(
            case,
            "hold_for_lado",
            by=by,
            why=referred,
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
        if awaiting_lado_outcome(case):
            if lado_outcome not in LadoOutcome.values:
                raise RuleBroken("Record the LADO's outcome before the case goes on.")
        else:
            lado_outcome = ""
        if case.paused_from:
            target = stage_to_go_back_to(case, RESUME_TO[case.paused_from])
        else:
            if next_step not in AFTER_EXTERNAL_DECISION:
                raise RuleBroken("Choose what happens next.")
            target = next_step
        if lado_outcome:
            referral = case.lado_referral
            referral.outcome = lado_outcome
            referral.outcome_recorded_on = clock.today()
            referral.outcome_notes = why
            referral.save()
        if not case.paused_from:
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


def stage_to_go_back_to(case: Case, stage: str) -> str:
    """The stage a paused case goes back to, given who has left the trust meanwhile.

    Nobody who has left is given a task: an investigation whose officer has left waits for
    a new officer to be appointed, and a sign-off whose signer has left goes to whoever
    signs off now.
    """
    officer = case.investigating_officer
    if stage == Status.INVESTIGATION and officer is not None and not officer.can_sign_in:
        return Status.APPOINTING_INVESTIGATOR
    signer = case.signing_authority
    if stage == Status.AWAITING_SIGN_OFF and signer is not None and not signer.can_sign_in:
        case.signing_authority = responsibility.choose_signing_authority(case)
    return stage


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
