"""Where a case goes: its school (and so its safeguarding lead and headteacher), and the
clause flags that send it to the DSL and to the Data Protection Officer.

Routing is not decided once, at intake. Whenever an allegation comes to cite a clause that
carries a flag the case has not yet answered, the case is routed again; and HR may correct
the school a case belongs to.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casework import deadlines, permissions, responsibility
from casework.errors import NotAllowed, RuleBroken
from casework.intake.concerns import hand_to_safeguarding_lead
from casework.models import (
    INTERRUPTIBLE_STATUSES,
    OPEN_STATUSES,
    Allegation,
    Case,
    Clause,
    School,
    SchoolSource,
    StaffMember,
    Status,
    User,
    place_name,
)

from .cases import advance, locked_case, note, workflow_sync
from .data_protection import open_dpo_decision
from .notices import tell

# --- Clause flags -------------------------------------------------------------------------


def clauses_cited(case: Case) -> set[int]:
    """Every clause the case cites: suspected on the report, or by an allegation."""
    return set(case.suspected_clauses.values_list("pk", flat=True)) | set(
        case.allegations.values_list("clause_id", flat=True)
    )


@dataclass(frozen=True)
class RoutingChange:
    """What an allegation's change did to where the case goes, in words for the person."""

    safeguarding_clauses: tuple[str, ...] = ()
    to_safeguarding_lead: str = ""  # the DSL it went to, when it went there now
    interrupted: str = ""  # the stage it left for the DSL's review
    dpo_clauses: tuple[str, ...] = ()
    dpo_due_at: datetime.datetime | None = None

    @property
    def message(self) -> str:
        parts = []
        if self.safeguarding_clauses:
            codes = ", ".join(self.safeguarding_clauses)
            if self.to_safeguarding_lead and self.interrupted:
                parts.append(
                    f"{codes} is a safeguarding matter, so the case has gone to the designated "
                    f"safeguarding lead ({self.to_safeguarding_lead}) at once, and "
                    f"“{Status(self.interrupted).label}” is paused until they decide. Do not "
                    "interview the subject, the child or witnesses meanwhile."
                )
            elif self.to_safeguarding_lead:
                parts.append(
                    f"{codes} is a safeguarding matter, so the case has gone to the designated "
                    f"safeguarding lead ({self.to_safeguarding_lead}) at once. Do not interview "
                    "the subject, the child or witnesses until they decide."
                )
            else:
                parts.append(
                    f"{codes} is a safeguarding matter; the case is with the safeguarding lead "
                    "or the LADO already, and they have been told."
                )
        if self.dpo_clauses:
            codes = ", ".join(self.dpo_clauses)
            due = timezone.localtime(self.dpo_due_at)
            parts.append(
                f"{codes} may be a personal data breach: the Data Protection Officer decides "
                f"whether to report it to the ICO by {due:%A %-d %B %Y, %H:%M}. The case goes on "
                "meanwhile."
            )
        return " ".join(parts)


def awaiting_lado_outcome(case: Case) -> bool:
    """On hold after a referral the LADO has not yet given an outcome on."""
    referral = getattr(case, "lado_referral", None)
    return (
        case.status == Status.ON_HOLD_EXTERNAL
        and referral is not None
        and referral.referred_on is not None
        and not referral.outcome
    )


def recheck_clause_flags(
    case: Case, *, by: User, allegation: Allegation, cited_before: set[int]
) -> RoutingChange:
    """After an allegation was framed or amended: route the case again if it now cites a
    safeguarding or data-protection clause it had not cited, or whose flag it lacks.

    The caller holds the case's lock. A flag, once set, is never cleared by removing an
    allegation: the DSL's review and the DPO's decision answer it.
    """
    clauses = list(Clause.objects.filter(pk__in=case.allegations.values("clause_id")))
    new_safeguarding = sorted(
        c.code
        for c in clauses
        if c.safeguarding and (c.pk not in cited_before or not case.safeguarding)
    )
    new_data_protection = sorted(
        c.code
        for c in clauses
        if c.data_protection and (c.pk not in cited_before or not case.data_protection)
    )
    lead, interrupted = "", ""
    if new_safeguarding:
        lead, interrupted = _route_to_safeguarding(
            case, by=by, allegation=allegation, codes=new_safeguarding
        )
    due_at = None
    if new_data_protection:
        case.data_protection = True
        case.save(update_fields=["data_protection"])
        decision = open_dpo_decision(
            case=case,
            by=None,
            aware_at=timezone.now(),
            prompted_by=f"Allegation {allegation.number} cites {', '.join(new_data_protection)}",
        )
        due_at = decision.due_at
    return RoutingChange(
        safeguarding_clauses=tuple(new_safeguarding),
        to_safeguarding_lead=lead,
        interrupted=interrupted,
        dpo_clauses=tuple(new_data_protection),
        dpo_due_at=due_at,
    )


def _route_to_safeguarding(
    case: Case, *, by: User, allegation: Allegation, codes: list[str]
) -> tuple[str, str]:
    """Send the case to the DSL's review at once (KCSIE Part 4), pausing what was under way;
    returns the DSL's name and the stage paused, or nothing if it is with the DSL already."""
    why = (
        f"Allegation {allegation.number} cites {', '.join(codes)}: a possible safeguarding "
        "matter goes to the designated safeguarding lead at once."
    )
    details = {"allegation": allegation.number, "clauses": codes, "framed_by": _name(by)}
    if case.status in (Status.RECEIVED, Status.TRIAGE):
        hand_to_safeguarding_lead(case=case, by=None, why=why, details=details)
        workflow_sync(case, by=by)
        return case.safeguarding_lead.full_name, ""
    if case.status in INTERRUPTIBLE_STATUSES and not awaiting_lado_outcome(case):
        interrupted = case.status
        case.review_interrupted = interrupted
        case.safeguarding = True
        case.safeguarding_since = timezone.now()
        case.safeguarding_lead = responsibility.choose_safeguarding_lead(case)
        advance(
            case,
            "interrupt_for_safeguarding",
            by=None,
            why=why,
            details={**details, "safeguarding_lead": case.safeguarding_lead.full_name},
        )
        workflow_sync(case, by=by)
        return case.safeguarding_lead.full_name, interrupted
    # With the DSL (their review, the LADO referral) or with the LADO already: they are told.
    if not case.safeguarding:
        case.safeguarding = True
        case.safeguarding_since = timezone.now()
        case.save(update_fields=["safeguarding", "safeguarding_since"])
    note(case, by=by, action="safeguarding.flagged", summary=why, details=details)
    lead = case.safeguarding_lead
    if lead is not None and lead.user_id != by.pk:
        tell(
            person=lead,
            case=case,
            text=(
                f"Case {case.reference}: allegation {allegation.number} now cites "
                f"{', '.join(codes)}, a safeguarding matter. Take it into account in your "
                "review, or with the LADO."
            ),
        )
    return "", ""


def _name(user: User | None) -> str:
    person = permissions.person_of(user)
    return person.full_name if person else ""


# --- The school -----------------------------------------------------------------------------

# Once the outcome is signed off, it was signed off for the school the case belonged to.
SCHOOL_CORRECTABLE = OPEN_STATUSES - {
    Status.SIGNED_OFF,
    Status.OUTCOME_ISSUED,
    Status.APPEAL_LODGED,
    Status.APPEAL_HEARING,
}


def correct_school(*, case: Case, by: User, school: School | None, reason: str) -> Case:
    """HR moves a case to the school it belongs to (None: the trust central team).

    The safeguarding lead, and a sign-off still to be given, follow the school; the open
    task moves with them, and the old and new safeguarding lead (and signer) are told.
    """
    with locked_case(case) as case:
        if not permissions.may_manage_case(case, by):
            raise NotAllowed(
                "Only an HR case manager free of any conflict in this case may correct its school."
            )
        if not case.is_open:
            raise RuleBroken(
                "This case is closed; the school it belonged to is part of the record."
            )
        if case.status not in SCHOOL_CORRECTABLE:
            raise RuleBroken(
                f"The outcome was signed off for {place_name(case.school)}, so the case's school "
                "can no longer change."
            )
        if school is not None and school.trust_id != case.subject.trust_id:
            raise RuleBroken(f"{school.name} is not a school of this trust.")
        if (school.pk if school else None) == case.school_id:
            raise RuleBroken(f"The case already belongs to {place_name(school)}.")
        why = reason.strip()
        if not why:
            raise RuleBroken("Say why the case's school is being corrected.")
        before = place_name(case.school)
        old_lead, old_signer = case.safeguarding_lead, case.signing_authority
        case.school = school
        case.school_source = SchoolSource.HR
        if case.safeguarding_lead_id is not None:
            case.safeguarding_lead = responsibility.choose_safeguarding_lead(case)
        if case.status == Status.AWAITING_SIGN_OFF:
            case.signing_authority = responsibility.choose_signing_authority(case)
        case.action_due_on = deadlines.action_due_on(case)  # the new school's closure days
        case.save(
            update_fields=[
                "school",
                "school_source",
                "safeguarding_lead",
                "signing_authority",
                "action_due_on",
            ]
        )
        after = place_name(school)
        note(
            case,
            by=by,
            action="case.school_corrected",
            summary=f"School corrected: {before} → {after}",
            details={
                "from": before,
                "to": after,
                "why": why,
                "safeguarding_lead": case.safeguarding_lead.full_name
                if case.safeguarding_lead
                else "",
                "signing_authority": case.signing_authority.full_name
                if case.signing_authority
                else "",
            },
        )
        workflow_sync(case, by=by)
        _tell_of_move(case, old=old_lead, new=case.safeguarding_lead, part="safeguarding lead")
        if case.status == Status.AWAITING_SIGN_OFF:
            _tell_of_move(
                case, old=old_signer, new=case.signing_authority, part="signing authority"
            )
        return case


def _tell_of_move(
    case: Case, *, old: StaffMember | None, new: StaffMember | None, part: str
) -> None:
    if old is None or new is None or old.pk == new.pk:
        return
    tell(
        person=old,
        text=(
            f"Case {case.reference} has moved to another school, so you are no longer its "
            f"{part}. You need do nothing more about it."
        ),
    )
    tell(
        person=new,
        case=case,
        text=(
            f"Case {case.reference} has moved to {place_name(case.school)}, and you are now "
            f"its {part}."
        ),
    )
