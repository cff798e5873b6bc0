"""The investigation: an officer who will not hear the case establishes the facts."""

from __future__ import annotations

import datetime

from casework import clock, permissions, responsibility
from casework.errors import NotAllowed, RuleBroken
from casework.models import (
    Case,
    Finding,
    InvestigationMeeting,
    InvestigationReport,
    Recommendation,
    ReportDecision,
    StaffMember,
    Status,
    User,
    WitnessStatement,
)
from casework.vocabulary import recommendation_label

from .cases import advance, ensure_at, locked_case, note, take_on_if_unmanaged, workflow_sync


def appoint_investigating_officer(
    *, case: Case, by: User, officer: StaffMember, terms_of_reference: str
) -> Case:
    with locked_case(case) as case:
        if not terms_of_reference.strip():
            raise RuleBroken("Set the terms of reference: what the investigation must establish.")
        responsibility.ensure_may_investigate(case, officer)
        take_on_if_unmanaged(case, by=by)
        case.investigating_officer = officer
        case.terms_of_reference = terms_of_reference.strip()
        advance(
            case,
            "appoint_investigator",
            by=by,
            why=f"{officer.full_name} appointed to investigate",
            details={"investigating_officer": officer.full_name},
        )
        workflow_sync(case, by=by, completes="appoint_investigator")
        return case


def replace_investigating_officer(
    *, case: Case, by: User, officer: StaffMember, reason: str
) -> Case:
    """A new officer takes over an investigation under way (e.g. the first fell ill)."""
    with locked_case(case) as case:
        if not permissions.may_manage_case(case, by):
            raise NotAllowed("Only an HR case manager may replace the investigating officer.")
        if case.status != Status.INVESTIGATION:
            raise RuleBroken(
                "The investigating officer can be replaced only during the investigation."
            )
        if not reason.strip():
            raise RuleBroken("Say why the investigating officer is being replaced.")
        if officer.pk == case.investigating_officer_id:
            raise RuleBroken(f"{officer.full_name} is already the investigating officer.")
        responsibility.ensure_may_investigate(case, officer)
        before = case.investigating_officer
        case.investigating_officer = officer
        case.save(update_fields=["investigating_officer"])
        note(
            case,
            by=by,
            action="investigation.officer_replaced",
            summary=f"Investigating officer replaced: {before} → {officer.full_name}",
            details={"why": reason.strip()},
        )
        workflow_sync(case, by=by)  # the investigation task moves to the new officer
        return case


def _ensure_investigating(case: Case, by: User) -> None:
    if not permissions.may_investigate(case, by):
        raise NotAllowed("Only the investigating officer may record the investigation.")
    if case.status != Status.INVESTIGATION:
        raise RuleBroken("The investigation is not under way, so nothing can be added to it.")


def record_meeting(
    *,
    case: Case,
    by: User,
    held_at: datetime.datetime,
    location: str,
    with_whom: str,
    notes: str,
) -> InvestigationMeeting:
    """An investigation meeting: fact-finding, not disciplinary (no statutory companion)."""
    with locked_case(case) as case:
        _ensure_investigating(case, by)
        if held_at > clock.now():
            raise RuleBroken("Record a meeting once it has taken place.")
        if not (location.strip() and with_whom.strip() and notes.strip()):
            raise RuleBroken("Say where the meeting was, who attended and what was said.")
        meeting = InvestigationMeeting.objects.create(
            case=case,
            held_at=held_at,
            location=location.strip()[:200],
            with_whom=with_whom.strip()[:200],
            notes=notes.strip(),
            recorded_by=by,
        )
        note(
            case,
            by=by,
            action="investigation.meeting",
            target=meeting,
            summary=f"Investigation meeting recorded ({held_at:%d %b %Y})",
        )
        return meeting


def record_statement(
    *,
    case: Case,
    by: User,
    taken_on: datetime.date,
    statement: str,
    witness: StaffMember | None = None,
    witness_name: str = "",
) -> WitnessStatement:
    with locked_case(case) as case:
        _ensure_investigating(case, by)
        if taken_on > clock.today():
            raise RuleBroken("A statement cannot be dated in the future.")
        if not statement.strip():
            raise RuleBroken("Record what the witness said.")
        if witness is None and not witness_name.strip():
            raise RuleBroken("Choose the witness from the workforce, or give their name.")
        if witness is not None:
            responsibility.ensure_may_be_witness(case, witness)
            case.witnesses.add(witness)
            permissions.forget_conflicts(case)
        recorded = WitnessStatement.objects.create(
            case=case,
            witness=witness,
            witness_name="" if witness else witness_name.strip()[:200],
            taken_on=taken_on,
            statement=statement.strip(),
            recorded_by=by,
        )
        note(
            case,
            by=by,
            action="investigation.statement",
            target=recorded,
            summary=f"Witness statement recorded ({taken_on:%d %b %Y})",
        )
        return recorded


def submit_investigation_report(
    *,
    case: Case,
    by: User,
    summary: str,
    recommendation: str,
    findings: dict[int, tuple[str, str]],
) -> Case:
    """The report: a finding per allegation, with reasons, and a recommendation."""
    with locked_case(case) as case:
        if not summary.strip():
            raise RuleBroken("Summarise what the investigation found.")
        if recommendation not in Recommendation.values:
            raise RuleBroken("Choose a recommendation.")
        allegations = list(case.allegations.all())
        if not allegations:
            raise RuleBroken("There are no allegations to report on; ask HR to frame them.")
        for allegation in allegations:
            finding, reasons = findings.get(allegation.pk, ("", ""))
            if finding not in Finding.values or not reasons.strip():
                raise RuleBroken(
                    f"Give a finding and reasons for allegation {allegation.number} "
                    f"({allegation.clause.code})."
                )
            allegation.investigation_finding = finding
            allegation.investigation_reasons = reasons.strip()
            allegation.save(update_fields=["investigation_finding", "investigation_reasons"])
        report = {"summary": summary.strip(), "recommendation": recommendation, "submitted_by": by}
        # The case row is locked, so nobody else writes its report between these two.
        if not InvestigationReport.objects.filter(case=case).update(**report):
            InvestigationReport.objects.create(case=case, **report)
        advance(
            case,
            "submit_investigation_report",
            by=by,
            why=f"Recommendation: {recommendation_label(case, recommendation)}",
        )
        workflow_sync(case, by=by, completes="investigate")
        return case


def decide_on_report(*, case: Case, by: User, decision: str, reasons: str) -> Case:
    """HR decides on the investigating officer's report."""
    with locked_case(case) as case:
        ensure_at(case, Status.INVESTIGATION_REPORT)
        why = reasons.strip()
        if not why:
            raise RuleBroken("Give the reasons for the decision.")
        if decision == ReportDecision.NO_CASE_TO_ANSWER:
            case.closure_reason = why
            advance(case, "find_no_case_to_answer", by=by, why=why)
        elif decision == ReportDecision.INFORMAL:
            case.closure_reason = why
            advance(case, "resolve_informally", by=by, why=why)
        elif decision == ReportDecision.HEARING:
            advance(case, "refer_to_hearing", by=by, why=why)
        else:
            raise RuleBroken("Choose one of the decisions.")
        workflow_sync(case, by=by, completes="consider_report")
        return case
