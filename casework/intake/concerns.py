"""Raising a concern through the proper channel (policy GEN-3)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casework import case_workflow, clock, deadlines, notifications, permissions, responsibility
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
    SchoolSource,
    StaffMember,
    User,
    place_name,
)
from casework.policies.figures import figure_of
from casework.records.storage import files_removed_on_failure
from casework.services.cases import advance, note
from casework.services.data_protection import open_dpo_decision
from casework.services.evidence import attach_evidence
from casework.services.limits import ensure_concern_allowed_today, ensure_evidence_allowed_today
from casework.suggestions import learning


@dataclass
class Concern:
    """What a member of staff reports, as they report it."""

    subject: StaffMember
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
    # Empty: the school the person works at (or the trust central team). Another school is
    # the reporter's explicit choice, which they confirm.
    school: School | None = None
    school_confirmed: bool = False
    # The clause codes suggested first on the form, best first (none if none were shown).
    offered_clauses: list[str] = field(default_factory=list)
    # The reporter says it exposes a colleague's image or someone's personal information.
    personal_data_shared: bool = False


class SchoolNotConfirmed(RuleBroken):
    """The reporter chose a school other than the person's own and has not confirmed it."""


def school_of(concern: Concern) -> tuple[School | None, str]:
    """The case's school, and how it came to be: it follows the person reported, unless the
    reporter chose and confirmed another school of the trust."""
    subject = concern.subject
    own = subject.school
    chosen = concern.school
    if chosen is None or (own is not None and chosen.pk == own.pk):
        return own, SchoolSource.SUBJECT
    if chosen.trust_id != subject.trust_id:
        raise RuleBroken(
            f"{chosen.name} is not a school of the trust. Choose one from the list, or leave "
            "the school to follow the person."
        )
    if not concern.school_confirmed:
        works = f"works at {own.name}" if own else "works for the trust central team"
        raise SchoolNotConfirmed(
            f"{subject.full_name} {works}, but you chose {chosen.name}. The concern would go to "
            f"{chosen.name}'s safeguarding lead and headteacher instead. Tick the box to "
            "confirm that is right, or leave the school to follow the person."
        )
    return chosen, SchoolSource.REPORTER


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


def _former_pupil_within_contact_window(concern: Concern, policy: Policy) -> bool:
    """Policy DONT-4: former pupils within three years of leaving, as the version cited
    states it (the setting where it states none)."""
    if concern.pupil_left_on is None:
        return True  # unknown: treat it as within the window and let the DSL decide
    window = relativedelta(years=figure_of(policy, "FORMER_PUPIL_CONTACT_YEARS"))
    return concern.seen_on < concern.pupil_left_on + window


def needs_safeguarding_route(concern: Concern, *, policy: Policy) -> bool:
    """A concern goes straight to the DSL when a child may be at risk (KCSIE Part 4)."""
    if any(clause.safeguarding for clause in concern.suspected_clauses):
        return True
    if concern.pupils_involved == PupilsInvolved.CURRENT:
        return True
    return concern.pupils_involved == PupilsInvolved.FORMER and (
        _former_pupil_within_contact_window(concern, policy)
    )


def _check(concern: Concern, *, reporter: StaffMember, policy: Policy) -> None:
    today = clock.today()
    if concern.subject.pk == reporter.pk:
        raise RuleBroken(
            "You cannot raise a concern about yourself. Speak to your line manager or HR."
        )
    if concern.subject.trust_id != reporter.trust_id:
        raise RuleBroken("Choose someone in the trust's workforce.")
    if permissions.is_hr_person(concern.subject) and (
        permissions.first_hr_user(
            trust_id=concern.subject.trust_id, excluding={concern.subject.pk, reporter.pk}
        )
        is None
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


class AlreadyReported(RuleBroken):
    """The same concern was sent again: the reporter is shown the one already received."""

    def __init__(self, case: Case):
        super().__init__(
            f"You had already sent this concern: it was received as {case.reference}, and "
            "nothing new was recorded."
        )
        self.case = case


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def ensure_not_sent_before(
    concern: Concern, *, reporter: StaffMember, token: uuid.UUID | None
) -> None:
    """Refuse, naming it, a concern already received: by the form's one-time token (the
    same form sent twice: a double click, Back and send again), or by the same reporter,
    person and words within a few minutes (setting) of each other (the form opened afresh,
    filled in the same way and sent again).

    The reporter's row is locked first, so that two copies sent at the same moment are
    taken one after the other: the second waits for the first to commit, then finds it.
    The lock is PostgreSQL's FOR NO KEY UPDATE, which the foreign-key checks of other
    writes (a concern naming the reporter as its subject, say) do not wait for, so two
    people reporting each other at the same moment cannot deadlock.
    """
    StaffMember.objects.select_for_update(no_key=True).only("pk").get(pk=reporter.pk)
    if token is not None:
        sent = Case.objects.filter(submission_token=token).first()
        if sent is not None and sent.reporter_id == reporter.pk:
            raise AlreadyReported(sent)
        if sent is not None:
            raise RuleBroken(
                "This form cannot be sent. Open “Report a concern” again and send it from "
                "there. Nothing was recorded."
            )
    since = clock.now() - datetime.timedelta(minutes=settings.CASEWORK_DUPLICATE_CONCERN_MINUTES)
    words = _words(concern.what_was_seen)
    for case in Case.objects.filter(
        reporter=reporter, subject=concern.subject, raised_at__gte=since
    ).only("pk", "reference", "what_was_seen"):
        if _words(case.what_was_seen) == words:
            raise AlreadyReported(case)


@transaction.atomic
def report_concern(
    *,
    concern: Concern,
    reporter: StaffMember,
    by: User,
    submission_token: uuid.UUID | None = None,
    daily_limit: bool = True,
) -> Case:
    """Record a concern, number it, start its workflow and acknowledge it to the reporter.

    A concern that may put a child at risk goes straight to the school's designated
    safeguarding lead, with the one-working-day LADO deadline running. The same concern
    sent again is refused with ``AlreadyReported``, which names the one received.
    """
    ensure_not_sent_before(concern, reporter=reporter, token=submission_token)
    # The policy of the trust the person reported works for (a school chosen instead must be
    # one of that trust's: see _check).
    policy = Policy.objects.filter(trust_id=concern.subject.trust_id, is_current=True).first()
    if policy is None:
        raise RuleBroken("No policy is loaded, so no concern can be recorded. Tell HR.")
    _check(concern, reporter=reporter, policy=policy)
    if daily_limit:  # off only for demonstration data, which walks many cases through a day
        ensure_concern_allowed_today(reporter=reporter)
    ensure_evidence_allowed_today(user=by, adding=len(concern.evidence))
    school, school_source = school_of(concern)
    with files_removed_on_failure() as saver:
        raised_at = clock.now()
        case = Case.objects.create(
            reference=next_reference(year=timezone.localdate(raised_at).year),
            policy=policy,
            trust_id=concern.subject.trust_id,
            school=school,
            school_source=school_source,
            subject=concern.subject,
            # Resignation or leaving never stops the procedure (KCSIE Part 4): historical
            # allegations are still investigated, and still go to the LADO.
            subject_left_on=concern.subject.left_on if concern.subject.has_left else None,
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
            submission_token=submission_token,
            safeguarding=needs_safeguarding_route(concern, policy=policy),
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
                "school": place_name(school),
                "school_source": school_source,
            },
        )
        for checked in concern.evidence:
            attach_evidence(case=case, checked=checked, by=by, saver=saver)

        if case.safeguarding:
            hand_to_safeguarding_lead(
                case=case, by=None, why="Flagged on arrival: a child may be at risk."
            )
        case_workflow.installed().start(case)  # its first task follows the status set above
        if case.data_protection:
            codes = ", ".join(c.code for c in concern.suspected_clauses if c.data_protection)
            open_dpo_decision(
                case=case,
                by=None,
                aware_at=raised_at,
                prompted_by=f"Suspected on the report: {codes}",
            )
        notifications.acknowledge_concern(case)
        return case


def hand_to_safeguarding_lead(
    *, case: Case, by: User | None, why: str, details: dict | None = None
) -> None:
    """Route the case to the school's designated safeguarding lead; the caller syncs tasks."""
    case.safeguarding = True
    case.safeguarding_since = clock.now()
    case.safeguarding_lead = responsibility.choose_safeguarding_lead(case)
    advance(
        case,
        "route_to_safeguarding",
        by=by,
        why=why,
        details={**(details or {}), "safeguarding_lead": case.safeguarding_lead.full_name},
    )
