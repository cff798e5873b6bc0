"""Reads. The only place that filters by who may see what."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from . import permissions
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    AuditEvent,
    Case,
    Clause,
    Hearing,
    LowLevelConcern,
    Policy,
    Role,
    Status,
    User,
)


@dataclass(frozen=True)
class Feature:
    title: str
    description: str
    url: str
    icon: str


def current_policy() -> Policy | None:
    return (
        Policy.objects.filter(is_current=True)
        .select_related("trust")
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("order")))
        .first()
    )


def policy_review_overdue(policy: Policy, *, today: datetime.date | None = None) -> bool:
    return policy.next_review_due < (today or timezone.localdate())


def features_for(user: User) -> list[Feature]:
    """What this person can do here, in the order they are most likely to want it."""
    features: list[Feature] = []
    person = permissions.person_of(user)
    if person is not None and not person.has_left:
        features.append(
            Feature(
                "Report a concern",
                "Tell the trust, in confidence, about a possible breach of the social media "
                "policy.",
                reverse("casework:report_concern"),
                "report",
            )
        )
        features.append(
            Feature(
                "My reports",
                "The concerns you have raised: whether each is received, being looked at or "
                "closed.",
                reverse("casework:my_reports"),
                "history",
            )
        )
    if permissions.held_roles(user):
        features.append(
            Feature(
                "My tasks",
                "Casework waiting for you: your inbox, and the shared queue for your role.",
                reverse("workflow:inbox"),
                "inbox",
            )
        )
        features.append(
            Feature(
                "Case register" if permissions.is_hr(user) else "Cases",
                "Every case" if permissions.is_hr(user) else "The cases you have a part in",
                reverse("casework:register"),
                "folder_shared",
            )
        )
    if permissions.may_see_low_level_log(user):
        features.append(
            Feature(
                "Low-level concerns log",
                "Concerns below the harm threshold, kept apart to reveal patterns.",
                reverse("casework:low_level_log"),
                "visibility",
            )
        )
    if permissions.may_view_audit_log(user):
        features.append(
            Feature(
                "Audit log",
                "Who did and saw what, when and from where; refusals too. Filter and export.",
                reverse("casework:audit_log"),
                "manage_search",
            )
        )
    features.append(
        Feature(
            "Read the social media policy",
            "The Workforce Social Media Policy, clause by clause, with plain-English summaries.",
            reverse("casework:policy"),
            "policy",
        )
    )
    if permissions.may_use_admin(user):
        features.append(
            Feature(
                "Administration",
                "Manage sign-ins, schools, workforce records and role assignments.",
                reverse("admin:index"),
                "admin_panel_settings",
            )
        )
    return features


# --- Cases ----------------------------------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case the person may see (need to know), as a queryset for lists and filters."""
    person = permissions.person_of(user)
    if person is None or person.has_left or not user.is_active:
        return Case.objects.none()
    cases = Case.objects.exclude(pk__in=Case.objects.involving(person).values("pk"))
    if permissions.is_hr(user):
        return cases
    named = (
        Q(investigating_officer=person)
        | Q(hearing_chair=person)
        | Q(appeal_chair=person)
        | Q(signing_authority=person)
        | Q(safeguarding_lead=person)
    )
    school_wide = Q(school_id__in=permissions.schools_where(user, Role.HEADTEACHER)) | Q(
        safeguarding=True,
        school_id__in=permissions.schools_where(user, Role.SAFEGUARDING_LEAD),
    )
    return cases.filter(named | school_wide).distinct()


def case_for(user: User, reference: str) -> Case:
    """The case, if this person may see it; otherwise 404, as if it did not exist."""
    case = (
        Case.objects.select_related(
            "school",
            "subject",
            "reporter",
            "policy",
            "case_manager",
            "investigating_officer",
            "hearing_chair",
            "signing_authority",
            "appeal_chair",
            "safeguarding_lead",
        )
        .filter(reference=reference)
        .first()
    )
    if case is None or not permissions.can_view_case(user, case):
        raise Http404("No case found.")
    return case


def case_timeline(case: Case) -> QuerySet[AuditEvent]:
    """Everything done on the case, oldest first (views of the case are in the audit log)."""
    return case.audit_events.exclude(action__startswith="viewed.").select_related("actor")


@dataclass(frozen=True)
class NextStep:
    title: str
    who: str
    due_on: datetime.date | None
    overdue: bool
    task_url: str | None


def next_step(case: Case, *, user: User | None = None) -> NextStep | None:
    """Who must act next and by when; with a link if it is ``user``'s to act on."""
    from workflows import engine
    from workflows.nodes import task_path

    task = engine.open_tasks(case).first()
    if task is None:
        return None
    who = actor_name(task.owner) if task.owner_id else "An HR case manager (shared queue)"
    task_url = None
    if user is not None and (
        task.owner_id == user.pk
        or (task.owner_id is None and task.flow_task.can_assign(user, task))
    ):
        task_url = task_path(task)
    due = case.action_due_on
    return NextStep(
        title=task.flow_task.title_for(case),
        who=who,
        due_on=due,
        overdue=bool(due and due < timezone.localdate()),
        task_url=task_url,
    )


def hearing_not_yet_held(case: Case, kind: str) -> Hearing | None:
    """The case's current hearing of ``kind`` if it has not begun: its decision must wait."""
    hearing = case.hearings.current(kind)
    return hearing if hearing and not hearing.has_begun else None


def actor_name(user: User) -> str:
    person = getattr(user, "staff_member", None)
    return person.full_name if person else user.get_full_name() or user.email


REPORTER_STATUS = {"received": "Received", "open": "Being looked at", "closed": "Closed"}


def reporter_status(case: Case) -> str:
    """What a reporter is told: received, being looked at, or closed; never the outcome."""
    if case.status == Status.RECEIVED:
        return REPORTER_STATUS["received"]
    return REPORTER_STATUS["closed"] if case.status in CLOSED_STATUSES else REPORTER_STATUS["open"]


def my_reports(user: User) -> list[tuple[str, datetime.datetime, str]]:
    person = permissions.person_of(user)
    if person is None:
        return []
    return [
        (case.reference, case.raised_at, reporter_status(case))
        for case in Case.objects.filter(reporter=person).only("reference", "raised_at", "status")
    ]


def register(
    user: User, *, q: str = "", status: str = "", school=None, clause=None, overdue: bool = False
) -> QuerySet[Case]:
    """The case register: the person's visible cases, filtered."""
    cases = cases_visible_to(user).select_related("school", "subject")
    for word in q.split():
        # Every word must match: "Daniel Shaw" finds Daniel Shaw, "SM-2026-0004" its case.
        cases = cases.filter(
            Q(reference__icontains=word)
            | Q(subject__first_name__icontains=word)
            | Q(subject__last_name__icontains=word)
        )
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if school is not None:
        cases = cases.filter(school=school)
    if clause is not None:
        cases = cases.filter(Q(allegations__clause=clause) | Q(suspected_clauses=clause))
    if overdue:
        cases = cases.filter(status__in=OPEN_STATUSES, action_due_on__lt=timezone.localdate())
    return cases.distinct().order_by("-raised_at")


def low_level_log(user: User) -> QuerySet[LowLevelConcern]:
    entries = LowLevelConcern.objects.select_related(
        "case", "case__subject", "school", "recorded_by"
    )
    if permissions.is_hr(user):
        return entries.exclude(case__subject=permissions.person_of(user))
    schools = permissions.schools_where(user, Role.SAFEGUARDING_LEAD)
    return entries.filter(school_id__in=schools).exclude(case__subject=permissions.person_of(user))


# --- Oversight ------------------------------------------------------------------------------


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_log(
    user: User,
    *,
    actor: str = "",
    action: str = "",
    reference: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail as HR may read it, newest first, filtered.

    Events about a case the reader may not see (one they are the subject of, reported or
    are a witness in) are left out, as are refusals that name such a case; events of a case
    since erased under the retention schedule stay, since nobody can be too close to it.
    """
    if not permissions.may_view_audit_log(user):
        return AuditEvent.objects.none()
    hidden = Case.objects.exclude(pk__in=cases_visible_to(user).values("pk"))
    events = AuditEvent.objects.exclude(case_id__in=hidden.values("pk")).select_related("case")
    hidden_references = list(hidden.values_list("reference", flat=True))
    if hidden_references:
        # has_key first: a missing key compares as NULL, which would hide every event.
        events = events.exclude(
            Q(details__has_key="reference") & Q(details__reference__in=hidden_references)
        )
    if actor.strip():
        events = events.filter(actor_label__icontains=actor.strip())
    if action:
        events = events.filter(action=action)
    if reference.strip():
        reference = reference.strip()
        events = events.filter(
            Q(case__reference__iexact=reference) | Q(details__reference__iexact=reference)
        )
    zone = timezone.get_current_timezone()
    if since is not None:
        events = events.filter(
            occurred_at__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
        )
    if until is not None:
        events = events.filter(
            occurred_at__lt=datetime.datetime.combine(
                until + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
        )
    return events.order_by("-id")
