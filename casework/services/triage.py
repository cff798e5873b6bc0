"""HR triage (default within two working days): the first decision on a concern."""

from __future__ import annotations

from casework import permissions
from casework.errors import RuleBroken
from casework.intake.concerns import hand_to_safeguarding_lead
from casework.models import Case, Status, TriageDecision, User

from .allegations import ensure_allegations_framed
from .cases import advance, ensure_at, locked_case, take_on_if_unmanaged, workflow_sync


def acknowledge_concern(*, case: Case, by: User) -> Case:
    """An HR case manager takes the concern on and begins triage."""
    with locked_case(case) as case:
        case.case_manager = permissions.person_of(by)
        advance(case, "begin_triage", by=by, why="Acknowledged by HR")
        workflow_sync(case, by=by, completes="acknowledge")
        return case


def triage_concern(
    *,
    case: Case,
    by: User,
    decision: str,
    reasons: str,
) -> Case:
    """Record the triage decision. A possible data breach is with the Data Protection
    Officer already (see casework.services.data_protection): triage does not wait for it."""
    with locked_case(case) as case:
        ensure_at(case, Status.TRIAGE)
        if not reasons.strip():
            raise RuleBroken("Give the reasons for the triage decision.")
        take_on_if_unmanaged(case, by=by)
        why = reasons.strip()
        if decision == TriageDecision.NO_CASE_TO_ANSWER:
            case.closure_reason = why
            advance(case, "find_no_case_to_answer", by=by, why=why)
        elif decision == TriageDecision.INFORMAL:
            case.closure_reason = why
            advance(case, "resolve_informally", by=by, why=why)
        elif decision == TriageDecision.SAFEGUARDING:
            hand_to_safeguarding_lead(case=case, by=by, why=why)
        elif decision == TriageDecision.INVESTIGATION:
            ensure_allegations_framed(case)
            advance(case, "open_investigation", by=by, why=why)
        else:
            raise RuleBroken("Choose one of the triage decisions.")
        workflow_sync(case, by=by, completes="triage")
        return case
