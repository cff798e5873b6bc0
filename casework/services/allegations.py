"""Allegations: particulars, each tied to exactly one clause of the policy version cited."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Max

from casework import permissions
from casework.errors import NotAllowed, RuleBroken
from casework.models import RESUME_TO, Allegation, Case, Clause, Status, User
from casework.suggestions import learning

from . import routing
from .cases import locked_case, note

# Allegations are framed before the hearing invitation goes out; after that, changing them
# would ambush the subject (Acas Code para 9: they must know the case against them).
FRAMING_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.TRIAGE,
        Status.SAFEGUARDING_REVIEW,
        Status.LADO_REFERRAL,
        Status.ON_HOLD_EXTERNAL,
        Status.APPOINTING_INVESTIGATOR,
        Status.INVESTIGATION,
        Status.INVESTIGATION_REPORT,
        Status.HEARING_TO_ARRANGE,
    }
)


def _stage(case: Case) -> str:
    """The case's stage; for a case on hold, the stage it will resume at (one paused after
    its hearing keeps the allegations that hearing decided)."""
    if case.status == Status.ON_HOLD_EXTERNAL and case.paused_from:
        return RESUME_TO[case.paused_from]
    return case.status


def allegations_open(case: Case) -> bool:
    """Whether the allegations may still change at the case's stage."""
    return _stage(case) in FRAMING_STATUSES


# Once an investigation is opened the case is always about at least one allegation (Acas
# Code para 9: a hearing invitation sets out each allegation).
INVESTIGATED = frozenset(
    {
        Status.APPOINTING_INVESTIGATOR,
        Status.INVESTIGATION,
        Status.INVESTIGATION_REPORT,
        Status.HEARING_TO_ARRANGE,
    }
)


def _ensure_may_frame(case: Case, by: User) -> None:
    if not permissions.may_frame_allegations(case, by):
        raise NotAllowed("Only the case manager, the DSL or the investigating officer may do this.")
    if not allegations_open(case):
        raise RuleBroken(
            "The allegations were fixed when the hearing was arranged and can no longer change."
        )


def _ensure_clause_of_cited_policy(case: Case, clause: Clause) -> None:
    if clause.policy_id != case.policy_id:
        raise RuleBroken(
            f"{clause.code} is from another version of the policy; this case cites version "
            f"{case.policy.version}."
        )


def add_allegation(
    *, case: Case, by: User, clause: Clause, particulars: str, offered: Sequence[str] = ()
) -> Allegation:
    """Frame an allegation; ``offered`` are the clause codes suggested on screen, if any.

    If it brings a safeguarding or data-protection clause the case had not answered, the
    case is routed again at once; the returned allegation's ``routing`` says what that did,
    in words for the person who framed it."""
    with locked_case(case) as case:
        _ensure_may_frame(case, by)
        _ensure_clause_of_cited_policy(case, clause)
        if not particulars.strip():
            raise RuleBroken("Set out the particulars: what is alleged, where and when.")
        cited_before = routing.clauses_cited(case)
        number = (case.allegations.aggregate(n=Max("number"))["n"] or 0) + 1
        allegation = Allegation.objects.create(
            case=case, number=number, clause=clause, particulars=particulars.strip(), added_by=by
        )
        note(
            case,
            by=by,
            action="allegation.added",
            summary=f"Allegation {number} added ({clause.code})",
            target=allegation,
            details={"clause": clause.code},
        )
        allegation.routing = routing.recheck_clause_flags(
            case, by=by, allegation=allegation, cited_before=cited_before
        )
        learning.record_allegation_choice(allegation=allegation, offered=offered, by=by)
        return allegation


def amend_allegation(
    *,
    allegation: Allegation,
    by: User,
    clause: Clause,
    particulars: str,
    offered: Sequence[str] = (),
) -> Allegation:
    """Amend an allegation; the case's routing is checked again, as for a new one."""
    with locked_case(allegation.case_id) as case:
        _ensure_may_frame(case, by)
        _ensure_clause_of_cited_policy(case, clause)
        if not particulars.strip():
            raise RuleBroken("Set out the particulars: what is alleged, where and when.")
        cited_before = routing.clauses_cited(case)
        allegation = case.allegations.get(pk=allegation.pk)
        before = allegation.clause.code
        allegation.clause = clause
        allegation.particulars = particulars.strip()
        allegation.save(update_fields=["clause", "particulars"])
        note(
            case,
            by=by,
            action="allegation.amended",
            summary=f"Allegation {allegation.number} amended ({before} → {clause.code})",
            target=allegation,
        )
        allegation.routing = routing.recheck_clause_flags(
            case, by=by, allegation=allegation, cited_before=cited_before
        )
        learning.record_allegation_choice(allegation=allegation, offered=offered, by=by)
        return allegation


def remove_allegation(*, allegation: Allegation, by: User, why: str) -> None:
    """Remove an allegation. The case's flags stay: once a possible safeguarding matter or
    data breach has been raised, only the DSL's review or the DPO's decision answers it."""
    with locked_case(allegation.case_id) as case:
        _ensure_may_frame(case, by)
        if not why.strip():
            raise RuleBroken("Say why the allegation is being removed.")
        allegation = case.allegations.get(pk=allegation.pk)
        if _stage(case) in INVESTIGATED and case.allegations.count() == 1:
            raise RuleBroken(
                "This is the case's only allegation, and an investigation has been opened on "
                "it. Add the right allegation first, or withdraw the case if nothing is alleged."
            )
        note(
            case,
            by=by,
            action="allegation.removed",
            summary=f"Allegation {allegation.number} removed ({allegation.clause.code})",
            details={"why": why.strip(), "particulars": allegation.particulars},
        )
        allegation.delete()


def ensure_allegations_framed(case: Case) -> None:
    if not case.allegations.exists():
        raise RuleBroken(
            "Add at least one allegation, each tied to a clause of the policy, first: an "
            "investigation and a hearing are about particular allegations."
        )
