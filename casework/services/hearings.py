"""Disciplinary hearings: the invitation's notice, postponement, and the chair's decision."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from casework import clock, responsibility
from casework.errors import RuleBroken
from casework.models import (
    DISMISSALS,
    EMPLOYEE_SANCTIONS,
    VOLUNTEER_OUTCOMES,
    Attendance,
    Case,
    CompanionKind,
    Finding,
    Hearing,
    Sanction,
    StaffMember,
    Status,
    User,
)
from casework.vocabulary import hearing_name
from casework.workdays import Calendar, procedure, trust_of

from .allegations import ensure_allegations_framed
from .cases import advance, ensure_allowed, ensure_possible, locked_case, workflow_sync


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
    calendar = Calendar.of_case(case)
    day = timezone.localtime(arrangement.starts_at).date()
    if arrangement.notice_given_on < clock.today():
        raise RuleBroken("Notice is given on the day the invitation goes out, not in the past.")
    if not calendar.is_working_day(day):
        raise RuleBroken(f"{day:%A %d %B %Y} is not a working day. Choose another date.")
    earliest = calendar.add_working_days(
        arrangement.notice_given_on, procedure("HEARING_NOTICE_WORKING_DAYS", trust=trust_of(case))
    )
    if day < earliest:
        raise RuleBroken(
            f"A hearing needs {procedure('HEARING_NOTICE_WORKING_DAYS', trust=trust_of(case))} "
            "working days' notice: "
            f"with notice given on {arrangement.notice_given_on:%d %B %Y} the earliest date is "
            f"{earliest:%A %d %B %Y}."
        )


def _check_arrangement(case: Case, arrangement: Arrangement) -> None:
    if not arrangement.location.strip():
        raise RuleBroken("Say where the hearing will be held.")
    if arrangement.dismissal_possible and case.subject.is_volunteer:
        # A volunteer is not an employee: the most their meeting can do is end the arrangement.
        raise RuleBroken(
            "A volunteer is not an employee: the outcome of their meeting concerns the "
            "volunteering arrangement. Untick the employment outcome."
        )
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
            f"The {hearing_name(hearing.case, hearing.kind)} is arranged for "
            f"{timezone.localtime(hearing.starts_at):%A %-d %B %Y at %H:%M}. Its decision can "
            "be recorded once it has been held. Nothing was changed."
        )


def schedule_hearing(*, case: Case, by: User, arrangement: Arrangement) -> Hearing:
    with locked_case(case) as case:
        ensure_allegations_framed(case)  # the invitation sets out each one (Acas para 9)
        _check_arrangement(case, arrangement)
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
    postponed_for_subject: bool = False,
    kind: str = Hearing.Kind.DISCIPLINARY,
) -> Hearing:
    """Move the hearing (or the appeal hearing).

    A postponement because the companion cannot attend must land within five working days
    (setting) of the date first proposed (ERA 1999 s10). One because the person it is about
    cannot attend needs fresh notice, like any other move; it counts towards the
    postponements after which the hearing may go ahead in their absence.
    """
    appeal = kind == Hearing.Kind.APPEAL
    with locked_case(case) as case:
        ensure_possible(case, "reschedule_appeal_hearing" if appeal else "reschedule_hearing")
        name = hearing_name(case, kind)
        if not reason.strip():
            raise RuleBroken(f"Say why the {name} is moving.")
        if postponed_for_companion and postponed_for_subject:
            raise RuleBroken(
                "Say whether it is postponed because the companion cannot attend or because "
                f"{case.subject.full_name} cannot: one or the other."
            )
        _check_arrangement(case, arrangement)
        previous = current_hearing(case, kind)
        if previous is None:
            raise RuleBroken(f"There is no {name} to move.")
        current_chair = case.appeal_chair_id if appeal else case.hearing_chair_id
        if arrangement.chair.pk != current_chair:
            if appeal:
                responsibility.ensure_may_chair_appeal(case, arrangement.chair)
            else:
                responsibility.ensure_may_chair(case, arrangement.chair)
        calendar = Calendar.of_case(case)
        day = timezone.localtime(arrangement.starts_at).date()
        if postponed_for_companion:
            original = timezone.localtime(previous.starts_at).date()
            latest = calendar.add_working_days(
                original, procedure("COMPANION_POSTPONEMENT_WORKING_DAYS", trust=trust_of(case))
            )
            if not calendar.is_working_day(day):
                raise RuleBroken(f"{day:%A %d %B %Y} is not a working day. Choose another date.")
            if not clock.today() <= day <= latest:
                raise RuleBroken(
                    f"A {name} postponed because the companion cannot attend must move to a "
                    "date within "
                    f"{procedure('COMPANION_POSTPONEMENT_WORKING_DAYS', trust=trust_of(case))} "
                    "working days "
                    f"of {original:%d %B %Y}: by {latest:%A %d %B %Y} at the latest."
                )
        else:
            check_notice(case, arrangement)
        if appeal:
            case.appeal_chair = arrangement.chair
        else:
            case.hearing_chair = arrangement.chair
        hearing = _new_hearing(
            case,
            arrangement,
            kind=kind,
            by=by,
            replaces=previous,
            postponed_for_companion=postponed_for_companion,
            postponed_for_subject=postponed_for_subject,
            change_reason=reason.strip(),
        )
        advance(
            case,
            "reschedule_appeal_hearing" if appeal else "reschedule_hearing",
            by=by,
            why=reason.strip(),
            details={
                "hearing": hearing.pk,
                "postponed_for_companion": postponed_for_companion,
                "postponed_for_subject": postponed_for_subject,
            },
        )
        workflow_sync(case, by=by)  # a new chair, if any, gets the decision task
        return hearing


def postponements_given(case: Case, kind: str) -> int:
    """How often this case's hearing of ``kind`` was put off for the person it is about or
    their companion: the postponements the procedure gives before it may go on without them."""
    return (
        case.hearings.filter(kind=kind)
        .filter(Q(postponed_for_companion=True) | Q(postponed_for_subject=True))
        .count()
    )


@dataclass
class WhoAttended:
    """Who came to a hearing, as its chair records it with the decision."""

    subject: str
    companion_attended: bool | None = None
    notes: str = ""


def check_attendance(case: Case, hearing: Hearing, attended: WhoAttended) -> None:
    """A hearing may go ahead without the person it is about only once it has been
    postponed as often as the procedure gives (a setting, one by default), or when they said
    they would not attend (Acas Code paras 24-25). Who came is recorded either way."""
    subject = case.subject.full_name
    name = hearing_name(case, hearing.kind)
    if attended.subject not in Attendance.values:
        raise RuleBroken(f"Say whether {subject} attended the {name}.")
    if hearing.companion_kind != CompanionKind.NONE and attended.companion_attended is None:
        raise RuleBroken(f"Say whether their companion, {hearing.companion_name}, attended.")
    if attended.subject == Attendance.ATTENDED:
        return
    if not attended.notes.strip():
        raise RuleBroken(
            f"Say what happened: when {subject} said they would not attend, or how the trust "
            "tried to reach them."
        )
    allowed = procedure("HEARING_POSTPONEMENTS_ALLOWED", trust=trust_of(case))
    if (
        attended.subject == Attendance.DID_NOT_ATTEND
        and postponements_given(case, hearing.kind) < allowed
    ):
        times = "once" if allowed == 1 else f"{allowed} times"
        raise RuleBroken(
            f"{subject} did not attend, and the {name} has not yet been postponed {times} as "
            "the procedure gives, so it cannot go ahead in their absence. Ask HR to rearrange "
            "it; it may go ahead without them after that, or if they say they will not attend. "
            "Nothing was changed."
        )


def store_attendance(hearing: Hearing, attended: WhoAttended) -> None:
    hearing.subject_attendance = attended.subject
    hearing.companion_attended = (
        attended.companion_attended if hearing.companion_kind != CompanionKind.NONE else None
    )
    hearing.attendance_notes = attended.notes.strip()
    hearing.save(update_fields=["subject_attendance", "companion_attended", "attendance_notes"])


def attendance_for_decision(
    case: Case, hearing: Hearing | None, attended: WhoAttended | None
) -> WhoAttended | None:
    """The attendance to check and store with a decision: what the chair gives, or (when a
    returned decision is reconsidered) what they recorded the first time."""
    if hearing is None:
        return None
    if attended is None:
        if hearing.subject_attendance:
            return None  # already recorded with the first decision
        raise RuleBroken(f"Record who attended the {hearing_name(case, hearing.kind)}.")
    check_attendance(case, hearing, attended)
    return attended


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
    attendance: WhoAttended | None = None,
) -> Case:
    """The chair's finding on each allegation, one sanction for sign-off, and who attended.

    ``attendance`` may be left out only when reconsidering a returned decision, whose
    attendance was recorded the first time.
    """
    with locked_case(case) as case:
        returned = case.status == Status.RETURNED_TO_CHAIR
        ensure_allowed(case, "record_decision", by=by)
        hearing = current_hearing(case)
        ensure_hearing_held(hearing)
        attended = attendance_for_decision(case, hearing, attendance)
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
        if sanction in DISMISSALS and not (hearing and hearing.dismissal_possible):
            raise RuleBroken(
                "The invitation did not warn that dismissal was possible, so dismissal cannot be "
                "the outcome of this hearing. Re-arrange the hearing with that warning."
            )
        if attended is not None:
            store_attendance(hearing, attended)
        for allegation in allegations:
            finding, finding_reasons = findings[allegation.pk]
            allegation.hearing_finding = finding
            allegation.hearing_reasons = finding_reasons.strip()
            allegation.save(update_fields=["hearing_finding", "hearing_reasons"])
        case.sanction = sanction
        case.decision_reasons = reasons.strip()
        case.decided_at = clock.now()
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
                "attendance": hearing.subject_attendance if hearing else "",
            },
        )
        workflow_sync(
            case, by=by, completes="reconsider_decision" if returned else "decide_hearing"
        )
        return case
