"""Disciplinary hearings: the invitation's notice, postponement, and the chair's decision."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casework import responsibility
from casework.errors import RuleBroken
from casework.models import (
    DISMISSALS,
    EMPLOYEE_SANCTIONS,
    VOLUNTEER_OUTCOMES,
    Case,
    CompanionKind,
    Finding,
    Hearing,
    Sanction,
    StaffMember,
    Status,
    User,
)
from casework.workdays import Calendar, procedure

from .allegations import ensure_allegations_framed
from .cases import advance, ensure_allowed, locked_case, workflow_sync


@dataclass
class Arrangement:
    """When and where a hearing is, and who will be there."""

    chair: StaffMember
    starts_at: datetime.datetime
    location: str
    notice_given_on: datetime.date
    panel: str = ""
    companion_kind: str = CompanionKind.NONE
    companion_name: str = ""
    dismissal_possible: bool = False


def check_notice(case: Case, arrangement: Arrangement) -> None:
    """Acas Code para 11-12: enough notice (five working days by default) on a working day."""
    calendar = Calendar(school_id=case.school_id)
    day = timezone.localtime(arrangement.starts_at).date()
    if arrangement.notice_given_on < timezone.localdate():
        raise RuleBroken("Notice is given on the day the invitation goes out, not in the past.")
    if not calendar.is_working_day(day):
        raise RuleBroken(f"{day:%A %d %B %Y} is not a working day. Choose another date.")
    earliest = calendar.add_working_days(
        arrangement.notice_given_on, procedure("HEARING_NOTICE_WORKING_DAYS")
    )
    if day < earliest:
        raise RuleBroken(
            f"A hearing needs {procedure('HEARING_NOTICE_WORKING_DAYS')} working days' notice: "
            f"with notice given on {arrangement.notice_given_on:%d %B %Y} the earliest date is "
            f"{earliest:%A %d %B %Y}."
        )


def _check_arrangement(arrangement: Arrangement) -> None:
    if not arrangement.location.strip():
        raise RuleBroken("Say where the hearing will be held.")
    if arrangement.companion_kind not in CompanionKind.values:
        raise RuleBroken("Choose who, if anyone, will accompany them.")
    if arrangement.companion_kind != CompanionKind.NONE and not arrangement.companion_name.strip():
        raise RuleBroken("Name the companion (a colleague or trade union representative).")


def _new_hearing(case: Case, arrangement: Arrangement, *, kind: str, by: User, **extra) -> Hearing:
    return Hearing.objects.create(
        case=case,
        kind=kind,
        chair=arrangement.chair,
        starts_at=arrangement.starts_at,
        location=arrangement.location.strip()[:200],
        panel=arrangement.panel.strip()[:300],
        notice_given_on=arrangement.notice_given_on,
        companion_kind=arrangement.companion_kind,
        companion_name=arrangement.companion_name.strip()[:150],
        dismissal_possible=arrangement.dismissal_possible,
        arranged_by=by,
        **extra,
    )


def current_hearing(case: Case, kind: str = Hearing.Kind.DISCIPLINARY) -> Hearing | None:
    return case.hearings.select_related("chair").current(kind)


def ensure_hearing_held(hearing: Hearing | None) -> None:
    """A decision follows the hearing, where the employee puts their case (Acas Code paras
    12 and 18); one recorded before it would have been made without hearing them."""
    if hearing is not None and not hearing.has_begun:
        raise RuleBroken(
            f"The {hearing.get_kind_display().lower()} is arranged for "
            f"{timezone.localtime(hearing.starts_at):%A %-d %B %Y at %H:%M}. Its decision can "
            "be recorded once it has been held. Nothing was changed."
        )


def schedule_hearing(*, case: Case, by: User, arrangement: Arrangement) -> Hearing:
    with locked_case(case) as case:
        ensure_allegations_framed(case)  # the invitation sets out each one (Acas para 9)
        _check_arrangement(arrangement)
        responsibility.ensure_may_chair(case, arrangement.chair)
        check_notice(case, arrangement)
        case.hearing_chair = arrangement.chair
        hearing = _new_hearing(case, arrangement, kind=Hearing.Kind.DISCIPLINARY, by=by)
        advance(
            case,
            "schedule_hearing",
            by=by,
            why=f"Hearing on {timezone.localtime(hearing.starts_at):%d %B %Y at %H:%M}",
            details={"chair": arrangement.chair.full_name, "hearing": hearing.pk},
        )
        workflow_sync(case, by=by, completes="arrange_hearing")
        return hearing


def reschedule_hearing(
    *,
    case: Case,
    by: User,
    arrangement: Arrangement,
    reason: str,
    postponed_for_companion: bool,
) -> Hearing:
    """Move the hearing. A postponement because the companion cannot attend must land
    within five working days (setting) of the date first proposed (ERA 1999 s10)."""
    with locked_case(case) as case:
        if not reason.strip():
            raise RuleBroken("Say why the hearing is moving.")
        _check_arrangement(arrangement)
        previous = current_hearing(case)
        if previous is None:
            raise RuleBroken("There is no hearing to move.")
        if arrangement.chair.pk != case.hearing_chair_id:
            responsibility.ensure_may_chair(case, arrangement.chair)
        calendar = Calendar(school_id=case.school_id)
        day = timezone.localtime(arrangement.starts_at).date()
        if postponed_for_companion:
            original = timezone.localtime(previous.starts_at).date()
            latest = calendar.add_working_days(
                original, procedure("COMPANION_POSTPONEMENT_WORKING_DAYS")
            )
            if not calendar.is_working_day(day):
                raise RuleBroken(f"{day:%A %d %B %Y} is not a working day. Choose another date.")
            if not timezone.localdate() <= day <= latest:
                raise RuleBroken(
                    "A hearing postponed because the companion cannot attend must move to a "
                    f"date within {procedure('COMPANION_POSTPONEMENT_WORKING_DAYS')} working days "
                    f"of {original:%d %B %Y}: by {latest:%A %d %B %Y} at the latest."
                )
        else:
            check_notice(case, arrangement)
        case.hearing_chair = arrangement.chair
        hearing = _new_hearing(
            case,
            arrangement,
            kind=Hearing.Kind.DISCIPLINARY,
            by=by,
            replaces=previous,
            postponed_for_companion=postponed_for_companion,
            change_reason=reason.strip(),
        )
        advance(
            case,
            "reschedule_hearing",
            by=by,
            why=reason.strip(),
            details={"hearing": hearing.pk, "postponed_for_companion": postponed_for_companion},
        )
        workflow_sync(case, by=by)  # a new chair, if any, gets the decision task
        return hearing


def allowed_sanctions(case: Case) -> tuple[Sanction, ...]:
    """Volunteers are not employees: their outcomes concern the volunteering arrangement."""
    return VOLUNTEER_OUTCOMES if case.subject.is_volunteer else EMPLOYEE_SANCTIONS


def record_decision(
    *,
    case: Case,
    by: User,
    findings: dict[int, tuple[str, str]],
    sanction: str,
    reasons: str,
) -> Case:
    """The chair's finding on each allegation, and one sanction, for sign-off."""
    with locked_case(case) as case:
        returned = case.status == Status.RETURNED_TO_CHAIR
        ensure_allowed(case, "record_decision", by=by)
        ensure_hearing_held(current_hearing(case))
        if not reasons.strip():
            raise RuleBroken("Give the reasons for the decision.")
        if sanction not in allowed_sanctions(case):
            raise RuleBroken(
                "Choose an outcome for a volunteer."
                if case.subject.is_volunteer
                else "Choose one of the sanctions."
            )
        allegations = list(case.allegations.select_related("clause"))
        for allegation in allegations:
            finding, finding_reasons = findings.get(allegation.pk, ("", ""))
            if finding not in Finding.values or not finding_reasons.strip():
                raise RuleBroken(
                    "Each allegation needs a finding (upheld, partly upheld or not upheld) with "
                    f"reasons: allegation {allegation.number} ({allegation.clause.code}) has none."
                )
        if all(findings[a.pk][0] == Finding.NOT_UPHELD for a in allegations) and sanction not in (
            Sanction.NO_ACTION,
            Sanction.VOLUNTEER_NO_ACTION,
        ):
            raise RuleBroken("No allegation is upheld, so the only outcome can be no action.")
        hearing = current_hearing(case)
        if sanction in DISMISSALS and not (hearing and hearing.dismissal_possible):
            raise RuleBroken(
                "The invitation did not warn that dismissal was possible, so dismissal cannot be "
                "the outcome of this hearing. Re-arrange the hearing with that warning."
            )
        for allegation in allegations:
            finding, finding_reasons = findings[allegation.pk]
            allegation.hearing_finding = finding
            allegation.hearing_reasons = finding_reasons.strip()
            allegation.save(update_fields=["hearing_finding", "hearing_reasons"])
        case.sanction = sanction
        case.decision_reasons = reasons.strip()
        case.decided_at = timezone.now()
        case.signing_authority = responsibility.choose_signing_authority(case)
        advance(
            case,
            "record_decision",
            by=by,
            why=reasons.strip(),
            details={
                "sanction": sanction,
                "findings": {a.number: findings[a.pk][0] for a in allegations},
                "signing_authority": case.signing_authority.full_name,
            },
        )
        workflow_sync(
            case, by=by, completes="reconsider_decision" if returned else "decide_hearing"
        )
        return case
