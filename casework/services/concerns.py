"""Raising a concern through the proper channel (policy GEN-3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from casework import deadlines, notifications, permissions, responsibility
from casework.errors import RuleBroken
from casework.evidence import CheckedFile
from casework.models import (
    AccountKind,
    Case,
    Clause,
    Platform,
    Policy,
    PupilsInvolved,
    ReferenceCounter,
    School,
    StaffMember,
    User,
)
from casework.storage import files_removed_on_failure
from casework.suggestions import learning
from casework.workdays import procedure

from .cases import advance, note
from .evidence import attach_evidence


@dataclass
class Concern:
    """What a member of staff reports, as they report it."""

    subject: StaffMember
    school: School
    seen_on: datetime.date
    platform: str
    account_kind: str
    what_was_seen: str
    platform_other: str = ""
    links: list[str] = field(default_factory=list)
    suspected_clauses: list[Clause] = field(default_factory=list)
    clauses_not_sure: bool = False
    pupils_involved: str = PupilsInvolved.NONE
    pupil_left_on: datetime.date | None = None
    confidentiality_requested: bool = False
    evidence: list[CheckedFile] = field(default_factory=list)
    # The clause codes suggested first on the form, best first (none if none were shown).
    offered_clauses: list[str] = field(default_factory=list)
    # The reporter says it exposes a colleague's image or someone's personal information.
    personal_data_shared: bool = False


def next_reference(*, year: int) -> str:
    """The next case reference, e.g. SM-2026-0001: no gaps, no duplicates.

    The year's counter row is locked until the transaction that uses the number commits,
    so concurrent reports are numbered one after another, and a report that fails rolls
    its number back with it.
    """
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"SM-{year}-{counter.last_number:04d}"


def _former_pupil_within_contact_window(concern: Concern) -> bool:
    """Policy DONT-4: former pupils within three years (setting) of leaving."""
    if concern.pupil_left_on is None:
        return True  # unknown: treat it as within the window and let the DSL decide
    window = relativedelta(years=procedure("FORMER_PUPIL_CONTACT_YEARS"))
    return concern.seen_on < concern.pupil_left_on + window


def needs_safeguarding_route(concern: Concern) -> bool:
    """A concern goes straight to the DSL when a child may be at risk (KCSIE Part 4)."""
    if any(clause.safeguarding for clause in concern.suspected_clauses):
        return True
    if concern.pupils_involved == PupilsInvolved.CURRENT:
        return True
    return concern.pupils_involved == PupilsInvolved.FORMER and (
        _former_pupil_within_contact_window(concern)
    )


def _check(concern: Concern, *, reporter: StaffMember, policy: Policy) -> None:
    today = timezone.localdate()
    if concern.subject.pk == reporter.pk:
        raise RuleBroken(
            "You cannot raise a concern about yourself. Speak to your line manager or HR."
        )
    if concern.subject.has_left:
        raise RuleBroken(
            f"{concern.subject.full_name} no longer works for the trust. Speak to HR directly."
        )
    if permissions.is_hr_person(concern.subject) and (
        permissions.first_hr_user(excluding={concern.subject.pk, reporter.pk}) is None
    ):
        # A concern about HR goes to a colleague in HR, never to the shared queue.
        raise RuleBroken(
            "Nobody else in HR can take on a concern about this person. Raise it with the "
            "trust executive directly. Nothing was stored."
        )
    if concern.seen_on > today:
        raise RuleBroken("The date it was seen cannot be in the future.")
    if concern.platform not in Platform.values:
        raise RuleBroken("Choose the platform from the list.")
    if concern.platform == Platform.OTHER and not concern.platform_other.strip():
        raise RuleBroken("Say which platform it was.")
    if concern.account_kind not in AccountKind.values:
        raise RuleBroken(
            "Say whether it was a work or a personal account, or that you are not sure."
        )
    if not concern.what_was_seen.strip():
        raise RuleBroken("Describe what you saw.")
    if concern.pupils_involved not in PupilsInvolved.values:
        raise RuleBroken("Say whether any pupils are involved.")
    if concern.pupil_left_on and concern.pupil_left_on > today:
        raise RuleBroken("A former pupil's leaving date cannot be in the future.")
    if concern.pupils_involved != PupilsInvolved.FORMER and concern.pupil_left_on:
        raise RuleBroken("Give a leaving date only for a former pupil.")
    for clause in concern.suspected_clauses:
        if clause.policy_id != policy.pk:
            raise RuleBroken("Choose clauses from the current policy.")


@transaction.atomic
def report_concern(*, concern: Concern, reporter: StaffMember, by: User) -> Case:
    """Record a concern, number it, start its workflow and acknowledge it to the reporter.

    A concern that may put a child at risk goes straight to the school's designated
    safeguarding lead, with the one-working-day LADO deadline running.
    """
    policy = Policy.objects.filter(is_current=True).first()
    if policy is None:
        raise RuleBroken("No policy is loaded, so no concern can be recorded. Tell HR.")
    _check(concern, reporter=reporter, policy=policy)
    with files_removed_on_failure() as saver:
        raised_at = timezone.now()
        case = Case.objects.create(
            reference=next_reference(year=timezone.localdate(raised_at).year),
            policy=policy,
            school=concern.school,
            subject=concern.subject,
            reporter=reporter,
            raised_at=raised_at,
            stage_entered_at=raised_at,
            seen_on=concern.seen_on,
            platform=concern.platform,
            platform_other=concern.platform_other.strip()[:100],
            account_kind=concern.account_kind,
            what_was_seen=concern.what_was_seen.strip(),
            links="\n".join(concern.links),
            clauses_not_sure=concern.clauses_not_sure,
            pupils_involved=concern.pupils_involved,
            pupil_left_on=concern.pupil_left_on,
            confidentiality_requested=concern.confidentiality_requested,
            safeguarding=needs_safeguarding_route(concern),
            data_protection=concern.personal_data_shared
            or any(c.data_protection for c in concern.suspected_clauses),
        )
        case.suspected_clauses.set(concern.suspected_clauses)
        learning.record_reporter_choices(case=case, offered=concern.offered_clauses, by=by)
        case.action_due_on = deadlines.action_due_on(case)
        case.save(update_fields=["action_due_on"])
        note(
            case,
            by=by,
            action="concern.raised",
            summary="Concern raised",
            details={
                "safeguarding": case.safeguarding,
                "data_protection": case.data_protection,
                "confidentiality_requested": case.confidentiality_requested,
                "clauses": [c.code for c in concern.suspected_clauses],
            },
        )
        for checked in concern.evidence:
            attach_evidence(case=case, checked=checked, by=by, saver=saver)

        if case.safeguarding:
            hand_to_safeguarding_lead(
                case=case, by=None, why="Flagged on arrival: a child may be at risk."
            )
        from workflows import engine

        engine.start(case)  # the workflow's first task follows the status set above
        notifications.acknowledge_concern(case)
        return case


def hand_to_safeguarding_lead(*, case: Case, by: User | None, why: str) -> None:
    """Route the case to the school's designated safeguarding lead; the caller syncs tasks."""
    case.safeguarding = True
    case.safeguarding_since = timezone.now()
    case.safeguarding_lead = responsibility.choose_safeguarding_lead(case)
    advance(
        case,
        "route_to_safeguarding",
        by=by,
        why=why,
        details={"safeguarding_lead": case.safeguarding_lead.full_name},
    )
