"""What is due, and who must be reminded of it: a read of the deadlines, sending nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from casework import case_workflow, notifications, permissions
from casework.case_workflow import WaitingTask
from casework.models import (
    OPEN_STATUSES,
    Case,
    DpoDecision,
    LadoReferral,
    ReminderSubject,
    ReminderThreshold,
    Role,
    RoleAssignment,
    StaffMember,
    Status,
    SubjectAccessRequest,
    Suspension,
    User,
)
from casework.trusts import configuration
from casework.workdays import Calendar


@dataclass(frozen=True)
class Due:
    """One reminder to send: about what, at which threshold of which deadline, to whom."""

    subject: str
    object_id: int
    threshold: str
    due: datetime.datetime
    to: tuple[str, ...]
    link: str

    def describe(self) -> str:
        return (
            f"{ReminderThreshold(self.threshold).label}: "
            f"{ReminderSubject(self.subject).label} {self.object_id} "
            f"(due {timezone.localtime(self.due):%Y-%m-%d %H:%M}) to {', '.join(self.to)}"
        )


def escalation_working_days(trust_id: int | None) -> int:
    if trust_id is None:
        return settings.CASEWORK_REMINDER_ESCALATION_WORKING_DAYS
    return configuration.reminder_escalation_working_days(trust_id)


class _Calendars:
    """One calendar per trust and school for the run: each reads its closure days once."""

    def __init__(self):
        self._calendars: dict[tuple[int | None, int | None], Calendar] = {}

    def __call__(self, trust_id: int | None, school_id: int | None = None) -> Calendar:
        key = (trust_id, school_id)
        if key not in self._calendars:
            self._calendars[key] = Calendar(trust_id=trust_id, school_id=school_id)
        return self._calendars[key]


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def date_thresholds(
    due_on: datetime.date, *, today: datetime.date, calendar: Calendar
) -> tuple[str | None, bool]:
    """The threshold a deadline has reached today, and whether HR's lead is to be told."""
    if due_on < today:
        late = calendar.working_days_between(due_on, today)
        return ReminderThreshold.OVERDUE, late >= escalation_working_days(calendar.trust_id)
    if due_on == today:
        return ReminderThreshold.DUE_TODAY, False
    if due_on <= calendar.add_working_days(today, 1):
        return ReminderThreshold.DUE_NEXT, False
    return None, False


def hr_lead_addresses(
    *, case: Case | None, trust_id: int, excluded: set[int] = frozenset()
) -> list[str]:
    """The trust's HR lead (a setting: their e-mail address), unless too close to the case or
    the request; failing that, every HR case manager of the trust free of a conflict in it."""
    address = configuration.hr_lead_email(trust_id).strip().lower()
    excluded = set(excluded) | (permissions.conflicted_ids(case) if case is not None else set())
    if address:
        lead = StaffMember.objects.filter(email__iexact=address).only("pk").first()
        if lead is None or lead.pk not in excluded:
            return [address]
    if case is not None:
        return notifications.hr_recipients(case)
    return _hr_addresses(trust_id=trust_id, excluding=excluded)


def _hr_addresses(*, trust_id: int, excluding: set[int]) -> list[str]:
    return sorted(
        a.person.user.email
        for a in RoleAssignment.objects.filter(
            role=Role.HR_CASE_MANAGER, person__trust_id=trust_id
        ).select_related("person__user")
        if a.person_id not in excluding and a.person.can_sign_in
    )


def _addresses_of(user: User | None) -> list[str]:
    person = permissions.person_of(user)
    if user is None or not user.is_active or person is None or not person.can_sign_in:
        return []
    return [user.email]


def _site(path: str) -> str:
    return f"{settings.CASEWORK_BASE_URL}{path}"


def _reminders(
    *,
    subject: str,
    object_id: int,
    due: datetime.datetime,
    threshold: str | None,
    escalate: bool,
    to: list[str],
    link: str,
    case: Case | None,
    trust_id: int,
    excluded: set[int] = frozenset(),
) -> Iterator[Due]:
    if threshold is not None and to:
        yield Due(subject, object_id, threshold, due, tuple(sorted(set(to))), link)
    if escalate:
        lead = hr_lead_addresses(case=case, trust_id=trust_id, excluded=excluded)
        if lead:
            yield Due(
                subject, object_id, ReminderThreshold.ESCALATED, due, tuple(sorted(lead)), link
            )


# --- Each kind of deadline ----------------------------------------------------------------


def _chunks(cases: QuerySet[Case], size: int = 500) -> Iterator[list[Case]]:
    chunk: list[Case] = []
    for case in cases.iterator(chunk_size=size):
        chunk.append(case)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _task_recipients(task: WaitingTask, case: Case) -> list[str]:
    """Whoever holds the task; in the shared queue (or held by someone who has left or
    cannot sign in, so that HR must find someone else), every HR case manager free of a
    conflict."""
    return (_addresses_of(task.owner) if task.owner is not None else []) or (
        notifications.hr_recipients(case)
    )


def task_reminders(*, today: datetime.date, calendars: _Calendars) -> Iterator[Due]:
    """The open task of every open case with a due date, to whoever must act. A LADO
    referral's task has its own reminder (lado_referral_reminders)."""
    # Bank holidays only: a wide enough net, each case then judged in its own calendar.
    horizon = calendars(None).add_working_days(today, 1) + datetime.timedelta(days=7)
    cases = (
        Case.objects.filter(
            status__in=OPEN_STATUSES - {Status.LADO_REFERRAL}, action_due_on__lte=horizon
        )
        .only("pk", "trust_id", "school_id", "subject_id", "reporter_id", "action_due_on")
        .order_by("pk")
    )
    workflow = case_workflow.installed()
    for chunk in _chunks(cases):
        tasks = workflow.waiting_tasks([case.pk for case in chunk])
        for case in chunk:
            task = tasks.get(case.pk)
            if task is None:
                continue
            threshold, escalate = date_thresholds(
                case.action_due_on, today=today, calendar=calendars(case.trust_id, case.school_id)
            )
            if threshold is None:
                continue
            yield from _reminders(
                subject=ReminderSubject.TASK,
                object_id=task.task_id,
                due=_start_of(case.action_due_on),
                threshold=threshold,
                escalate=escalate,
                to=_task_recipients(task, case),
                link=notifications.waiting_link("task", task.task_id),
                case=case,
                trust_id=case.trust_id,
            )


def _case_manager_or_hr(case: Case) -> list[str]:
    manager = case.case_manager
    if manager is not None and manager.pk not in permissions.conflicted_ids(case):
        to = _addresses_of(manager.user) if manager.user_id else []
        if to:
            return to
    return notifications.hr_recipients(case)


def suspension_review_reminders(*, today: datetime.date, calendars: _Calendars) -> Iterator[Due]:
    """A current suspension's next review, to the case manager (or HR)."""
    suspensions = (
        Suspension.objects.filter(
            ended_on__isnull=True,
            case__status__in=OPEN_STATUSES,
            next_review_on__lte=today + datetime.timedelta(days=7),
        )
        .select_related("case__case_manager__user", "case__subject")
        .order_by("pk")
    )
    for suspension in suspensions.iterator(chunk_size=500):
        case = suspension.case
        threshold, escalate = date_thresholds(
            suspension.next_review_on,
            today=today,
            calendar=calendars(case.trust_id, case.school_id),
        )
        yield from _reminders(
            subject=ReminderSubject.SUSPENSION_REVIEW,
            object_id=suspension.pk,
            due=_start_of(suspension.next_review_on),
            threshold=threshold,
            escalate=escalate,
            to=_case_manager_or_hr(case),
            link=notifications.waiting_link("case", case.pk),
            case=case,
            trust_id=case.trust_id,
        )


def lado_referral_reminders(*, today: datetime.date, calendars: _Calendars) -> Iterator[Due]:
    """A LADO referral still to make: on the day it is due, and once it is late, to the DSL
    whose task it is."""
    workflow = case_workflow.installed()
    referrals = (
        LadoReferral.objects.filter(
            referred_on__isnull=True, case__status=Status.LADO_REFERRAL, due_on__lte=today
        )
        .select_related("case__safeguarding_lead__user", "case__subject")
        .order_by("pk")
    )
    for referral in referrals.iterator(chunk_size=500):
        case = referral.case
        threshold, escalate = date_thresholds(
            referral.due_on, today=today, calendar=calendars(case.trust_id, case.school_id)
        )
        task = workflow.waiting_tasks([case.pk]).get(case.pk)
        owner = task.owner if task is not None else None
        if owner is None and case.safeguarding_lead is not None:
            owner = case.safeguarding_lead.user
        to = _addresses_of(owner) or notifications.hr_recipients(case)
        link = (
            notifications.waiting_link("task", task.task_id)
            if task is not None
            else notifications.waiting_link("case", case.pk)
        )
        yield from _reminders(
            subject=ReminderSubject.LADO_REFERRAL,
            object_id=referral.pk,
            due=_start_of(referral.due_on),
            threshold=threshold,
            escalate=escalate,
            to=to,
            link=link,
            case=case,
            trust_id=case.trust_id,
        )


def dpo_decision_reminders(*, now: datetime.datetime, calendars: _Calendars) -> Iterator[Due]:
    """The DPO's decision on reporting a breach (clock hours): in its last day, and once the
    window has closed, to the officer it went to (or every DPO free of a conflict)."""
    workflow = case_workflow.installed()
    decisions = (
        DpoDecision.objects.filter(
            decided_at__isnull=True, due_at__lte=now + datetime.timedelta(days=1)
        )
        .select_related("officer__user", "case__subject")
        .order_by("pk")
    )
    today = timezone.localdate(now)
    for decision in decisions.iterator(chunk_size=500):
        case = decision.case
        if decision.due_at <= now:
            late = calendars(case.trust_id, case.school_id).working_days_between(
                timezone.localdate(decision.due_at), today
            )
            threshold, escalate = (
                ReminderThreshold.OVERDUE,
                late >= escalation_working_days(case.trust_id),
            )
        else:
            threshold, escalate = ReminderThreshold.DUE_TODAY, False
        to = _addresses_of(decision.officer.user) if decision.officer_id else []
        to = to or [user.email for user in notifications.dpo_recipients(case)]
        task = workflow.waiting_dpo_task(decision)
        link = (
            notifications.waiting_link("task", task.task_id)
            if task is not None
            else _site(reverse("workflow:inbox"))
        )
        yield from _reminders(
            subject=ReminderSubject.DPO_DECISION,
            object_id=decision.pk,
            due=decision.due_at,
            threshold=threshold,
            escalate=escalate,
            to=to,
            link=link,
            case=case,
            trust_id=case.trust_id,
        )


def subject_access_reminders(*, today: datetime.date, calendars: _Calendars) -> Iterator[Due]:
    """An unanswered subject access request, to HR (nobody about their own request)."""
    requests = (
        SubjectAccessRequest.objects.unanswered()
        .filter(due_on__lte=today + datetime.timedelta(days=7))
        .select_related("person")
        .order_by("pk")
    )
    for request in requests.iterator(chunk_size=500):
        trust_id = request.person.trust_id
        threshold, escalate = date_thresholds(
            request.due_on, today=today, calendar=calendars(trust_id)
        )
        to = _hr_addresses(trust_id=trust_id, excluding={request.person_id})
        link = _site(reverse("casework:subject_access_request", args=[request.pk]))
        yield from _reminders(
            subject=ReminderSubject.SUBJECT_ACCESS,
            object_id=request.pk,
            due=_start_of(request.due_on),
            threshold=threshold,
            escalate=escalate,
            to=to,
            link=link,
            case=None,
            trust_id=trust_id,
            excluded={request.person_id},
        )


def reminders_due(*, now: datetime.datetime) -> Iterator[Due]:
    """Every reminder the deadlines call for at ``now``, whether or not already sent."""
    today = timezone.localdate(now)
    calendars = _Calendars()
    yield from task_reminders(today=today, calendars=calendars)
    yield from suspension_review_reminders(today=today, calendars=calendars)
    yield from lado_referral_reminders(today=today, calendars=calendars)
    yield from dpo_decision_reminders(now=now, calendars=calendars)
    yield from subject_access_reminders(today=today, calendars=calendars)
