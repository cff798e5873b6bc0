"""Each role's home page: the figures that say what needs doing, each one a link to the
case register filtered to exactly the cases it counts (the register's own queryset counts
them, so the figure and the list cannot disagree)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from casework import permissions, selectors
from casework.models import OPEN_STATUSES, Case, Role, School, Status, User, place_name
from casework.workdays import Calendar

HEARINGS_AHEAD_WORKING_DAYS = 10


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class DueCase:
    """A case waiting for the reader, with its due date and how long is left."""

    reference: str
    stage: str
    due_on: datetime.date | None
    hours_left: int | None  # to the end of the due day; negative once it has passed
    url: str

    @property
    def overdue(self) -> bool:
        return self.hours_left is not None and self.hours_left < 0


@dataclass
class Section:
    title: str
    figures: list[Figure] = field(default_factory=list)
    due: list[DueCase] = field(default_factory=list)
    empty: str = "Nothing waiting."
    stages: list[Figure] = field(default_factory=list)  # open cases by stage

    @property
    def every_figure(self) -> list[Figure]:
        return self.figures + self.stages


def register_url(**filters) -> str:
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "", False)})
    return f"{reverse('casework:register')}?{query}" if query else reverse("casework:register")


def _filter_values(filters: dict) -> dict:
    """The register's filters as its address spells them."""
    values = {}
    for key, value in filters.items():
        if isinstance(value, datetime.date):
            values[key] = value.isoformat()
        elif value is True:
            values[key] = "on"
        else:
            values[key] = value
    return values


def figure(user: User, label: str, *, urgent: bool = False, **filters) -> Figure:
    """A figure: the register's count for ``filters``, linking to that register."""
    count = selectors.register(user, **filters).count()
    return Figure(label, count, register_url(**_filter_values(filters)), urgent and count > 0)


def _week_end(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=6 - today.weekday())


def open_cases(user: User, **filters) -> tuple[list[Figure], list[Figure]]:
    """HR's figures (a headteacher's, for their school), what is late, soon or waiting, and
    the open cases by stage: one GROUP BY over the open cases the register shows.

    Every figure counts open cases only, so each is a sum over the stages, filtered as the
    register filters for its link (``tests/test_home_pages.py`` holds each figure to the
    register's count at its address)."""
    today = timezone.localdate()
    week_end = _week_end(today)
    hearings_until = Calendar(trust_id=permissions.trust_of(user)).add_working_days(
        today, HEARINGS_AHEAD_WORKING_DAYS
    )
    rows = (
        selectors.register(user, status="open", **filters)
        .order_by()
        .values("status")
        .annotate(
            cases=Count("pk"),
            overdue=Count("pk", filter=Q(action_due_on__lt=today)),
            this_week=Count("pk", filter=Q(action_due_on__gte=today, action_due_on__lte=week_end)),
            hearings_soon=Count(
                "pk", filter=Q(action_due_on__gte=today, action_due_on__lte=hearings_until)
            ),
        )
    )
    by_status = {row["status"]: row for row in rows}

    def total(column: str, statuses=OPEN_STATUSES) -> int:
        return sum(by_status[s][column] for s in statuses if s in by_status)

    def shown(label: str, count: int, *, urgent: bool = False, **register_filters) -> Figure:
        url = register_url(**_filter_values({**register_filters, **filters}))
        return Figure(label, count, url, urgent and count > 0)

    safeguarding, hearing = (selectors.STATUS_GROUPS[g][1] for g in ("safeguarding", "hearing"))
    figures = [
        shown("Overdue", total("overdue"), overdue=True, urgent=True),
        shown("Due this week", total("this_week"), due_from=today, due_by=week_end),
        shown(
            "Safeguarding waiting",
            total("cases", safeguarding),
            status="safeguarding",
            urgent=True,
        ),
        shown(
            f"Hearings in the next {HEARINGS_AHEAD_WORKING_DAYS} working days",
            total("hearings_soon", hearing),
            status="hearing",
            due_from=today,
            due_by=hearings_until,
        ),
        shown(
            "Sign-offs waiting",
            total("cases", [Status.AWAITING_SIGN_OFF]),
            status=Status.AWAITING_SIGN_OFF.value,
        ),
    ]
    stages = [
        shown(status.label, by_status[status]["cases"], status=status.value)
        for status in Status
        if status in OPEN_STATUSES and by_status.get(status, {}).get("cases")
    ]
    return figures, stages


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def due_cases(user: User, *, limit: int = 10, **filters) -> list[DueCase]:
    """The reader's cases for ``filters``, soonest due first, with the hours left."""
    now = timezone.now()
    cases = (
        selectors.register(user, **filters)
        .order_by("action_due_on", "pk")
        .only("reference", "status", "action_due_on")[:limit]
    )
    return [
        DueCase(
            reference=case.reference,
            stage=Status(case.status).label,
            due_on=case.action_due_on,
            hours_left=int((_end_of(case.action_due_on) - now).total_seconds() // 3600)
            if case.action_due_on
            else None,
            url=reverse("casework:case", args=[case.reference]),
        )
        for case in cases
    ]


def sections_for(user: User) -> list[Section]:
    """What the reader sees first on their home page, role by role."""
    sections: list[Section] = []
    person = permissions.person_of(user)
    if person is None or person.has_left:
        return sections
    roles = {held.role for held in permissions.held_roles(user)}
    if Role.HR_CASE_MANAGER in roles:
        figures, stages = open_cases(user)
        sections.append(Section("Across the trust", figures, stages=stages))
    if Role.HEADTEACHER in roles:
        for school in School.objects.filter(
            pk__in=permissions.schools_where(user, Role.HEADTEACHER)
        ).order_by("name"):
            figures, stages = open_cases(user, school=school.pk)
            sections.append(Section(f"At {place_name(school)}", figures, stages=stages))
        sections.append(
            Section(
                "Your sign-offs",
                [
                    figure(
                        user,
                        "Outcomes waiting for your sign-off",
                        status=Status.AWAITING_SIGN_OFF.value,
                        part="signing",
                        urgent=True,
                    )
                ],
                due_cases(user, status=Status.AWAITING_SIGN_OFF.value, part="signing"),
            )
        )
    if Role.SAFEGUARDING_LEAD in roles:
        sections.append(
            Section(
                "Safeguarding",
                [
                    figure(
                        user,
                        "Safeguarding reviews due",
                        status=Status.SAFEGUARDING_REVIEW.value,
                        part="safeguarding",
                        urgent=True,
                    ),
                    figure(
                        user,
                        "LADO referrals due",
                        status=Status.LADO_REFERRAL.value,
                        part="safeguarding",
                        urgent=True,
                    ),
                ],
                due_cases(user, status="safeguarding", part="safeguarding"),
                empty="No safeguarding review or LADO referral is waiting for you.",
            )
        )
    if Role.INVESTIGATING_OFFICER in roles:
        sections.append(
            Section(
                "Your investigations",
                [
                    figure(
                        user,
                        "Investigations you are carrying out",
                        status=Status.INVESTIGATION.value,
                        part="investigating",
                    )
                ],
                due_cases(user, status=Status.INVESTIGATION.value, part="investigating"),
                empty="No investigation is waiting for your report.",
            )
        )
    reports = Case.objects.filter(reporter=person).count()
    sections.append(
        Section(
            "Your reports",
            [Figure("Concerns you have raised", reports, reverse("casework:my_reports"))],
            empty="You have not raised a concern.",
        )
    )
    return sections


def reader_policy(user: User):
    """The current policy of the reader's trust."""
    person = permissions.person_of(user)
    return selectors.current_policy(trust=person.trust) if person is not None else None


def review_alert(user: User):
    """The current policy if its review date has passed and the reader is to be told."""
    if not permissions.may_read_policy_review_notice(user):
        return None
    policy = reader_policy(user)
    return policy if policy is not None and selectors.policy_review_overdue(policy) else None
