"""The Data Protection Officer's decision on a possible personal data breach (UK GDPR art 33).

A concern that may involve a personal data breach (confidential information, images of
colleagues: the policy's data-protection clauses) goes to the trust's DPO as soon as the
trust is aware of it: on the report, or when an allegation first cites such a clause. The
DPO decides within 72 clock hours (setting) whether it must be reported to the ICO. The
decision runs beside the case, in a workflow of its own: the case never waits for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from casework import case_workflow, clock, permissions, responsibility
from casework.errors import CaseMoved, NotAllowed, RuleBroken
from casework.models import Case, DpoDecision, User
from casework.workdays import procedure, trust_of

from .cases import note


def dpo_decision_due(aware_at: datetime.datetime, *, trust: int) -> datetime.datetime:
    """Clock hours, not working days: the ICO's window runs through weekends and holidays."""
    return aware_at + datetime.timedelta(hours=procedure("DPO_DECISION_HOURS", trust=trust))


def open_dpo_decision(
    *, case: Case, by: User | None, aware_at: datetime.datetime, prompted_by: str
) -> DpoDecision:
    """Ask the DPO to decide; the caller holds the case's lock. One waiting decision at a
    time: a second possible breach on the same case is for the DPO's same decision."""
    waiting = case.dpo_decisions.filter(decided_at__isnull=True).first()
    if waiting is not None:
        return waiting
    officer = responsibility.choose_data_protection_officer(case)
    decision = DpoDecision.objects.create(
        case=case,
        prompted_by=prompted_by[:300],
        aware_at=aware_at,
        due_at=dpo_decision_due(aware_at, trust=trust_of(case)),
        officer=officer,
    )
    note(
        case,
        by=by,
        action="dpo.decision_opened",
        summary="Possible personal data breach: with the Data Protection Officer to decide",
        target=decision,
        details={
            "prompted_by": decision.prompted_by,
            "aware_at": aware_at.isoformat(),
            "due_at": decision.due_at.isoformat(),
            "officer": officer.full_name if officer else "",
        },
    )
    case_workflow.installed().start_dpo_decision(decision)
    return decision


@contextmanager
def locked_decision(decision: DpoDecision) -> Iterator[DpoDecision]:
    """The decision, freshly read and locked: its workflow's lock first, then its row. The
    case is not locked, so the case's own work never waits for the DPO, nor the DPO for it."""
    with transaction.atomic():
        try:
            with case_workflow.installed().lock_dpo_decision(decision.pk):
                yield (
                    DpoDecision.objects.select_for_update()
                    .select_related("case")
                    .get(pk=decision.pk)
                )
        except case_workflow.WorkflowBusy:
            raise CaseMoved(
                "Someone else is recording this decision right now. Wait a moment and try again."
            ) from None


def record_dpo_decision(
    *,
    decision: DpoDecision,
    by: User,
    reportable: bool | None,
    reasons: str,
    reported_at: datetime.datetime | None = None,
    ico_reference: str = "",
) -> DpoDecision:
    """The DPO records whether the breach is reportable to the ICO, why, and, when it was
    reported, when and the ICO's reference. Once recorded, the decision stands."""
    with locked_decision(decision) as decision:
        if not permissions.may_record_dpo_decision(decision, by):
            raise NotAllowed("Only the trust's Data Protection Officer may record this decision.")
        if not decision.is_outstanding:
            raise RuleBroken("This decision was recorded already and stands. Nothing was changed.")
        if reportable is None:
            raise RuleBroken("Say whether the breach is reportable to the ICO.")
        why = reasons.strip()
        if not why:
            raise RuleBroken(
                "Give the reasons for the decision: the ICO may ask for them, reported or not."
            )
        reference = ico_reference.strip()
        if reportable:
            if reported_at is None:
                raise RuleBroken("Give the date and time the breach was reported to the ICO.")
            if reported_at > clock.now():
                raise RuleBroken("The time it was reported to the ICO cannot be in the future.")
            if timezone.localtime(reported_at).date() < decision.case.seen_on:
                raise RuleBroken(
                    "The time it was reported to the ICO cannot be before the breach was seen."
                )
            if not reference:
                raise RuleBroken("Give the reference the ICO gave the report.")
        elif reported_at is not None or reference:
            raise RuleBroken(
                "You said the breach is not reportable: leave the report's time and the ICO "
                "reference empty."
            )
        decision.reportable = reportable
        decision.reasons = why
        decision.reported_at = reported_at if reportable else None
        decision.ico_reference = reference[:50]
        decision.decided_at = clock.now()
        decision.decided_by = by
        decision.save()
        note(
            decision.case,
            by=by,
            action="dpo.decided",
            summary=(
                "DPO decision: reported to the ICO"
                if reportable
                else "DPO decision: not reportable to the ICO"
            ),
            target=decision,
            details={
                "reportable": reportable,
                "why": why,
                "reported_at": reported_at.isoformat() if reportable else "",
                "ico_reference": decision.ico_reference,
                "late": decision.decided_late,
            },
        )
        case_workflow.installed().complete_dpo_decision(decision, actor=by)
        return decision
