"""The hearings calendar: disciplinary and appeal hearings by week or month, trust-wide for
HR and for their own school for a headteacher; never a hearing of a case the reader is too
close to, and only the arrangement that stands (a rearranged hearing shows its new date)."""

from __future__ import annotations

import calendar as months
import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import QuerySet
from django.utils import timezone

from casework import permissions, selectors
from casework.models import Hearing, Role, Status, User

WEEK, MONTH = "week", "month"


@dataclass(frozen=True)
class Span:
    view: str
    first: datetime.date
    last: datetime.date

    @classmethod
    def around(cls, day: datetime.date, view: str) -> Span:
        if view == MONTH:
            first = day.replace(day=1)
            return cls(MONTH, first, first.replace(day=months.monthrange(day.year, day.month)[1]))
        first = day - datetime.timedelta(days=day.weekday())
        return cls(WEEK, first, first + datetime.timedelta(days=6))

    @property
    def previous(self) -> datetime.date:
        return self.first - datetime.timedelta(days=1)

    @property
    def next(self) -> datetime.date:
        return self.last + datetime.timedelta(days=1)

    @property
    def title(self) -> str:
        if self.view == MONTH:
            return f"{self.first:%B %Y}"
        return f"Week beginning {self.first:%-d %B %Y}"


def hearings_for(user: User, span: Span) -> QuerySet[Hearing]:
    cases = selectors.cases_visible_to(user)
    if not permissions.is_hr(user):
        cases = cases.filter(school_id__in=permissions.schools_where(user, Role.HEADTEACHER))
    zone = timezone.get_current_timezone()
    return (
        Hearing.objects.filter(
            case_id__in=cases.order_by().values("pk"),
            replaced_by__isnull=True,
            starts_at__gte=datetime.datetime.combine(span.first, datetime.time.min, tzinfo=zone),
            starts_at__lt=datetime.datetime.combine(span.next, datetime.time.min, tzinfo=zone),
        )
        .exclude(case__status=Status.WITHDRAWN)
        .select_related("case__school")
        .order_by("starts_at", "pk")
    )


def by_day(hearings) -> list[tuple[datetime.date, list[Hearing]]]:
    return [
        (day, list(group))
        for day, group in groupby(hearings, key=lambda h: timezone.localtime(h.starts_at).date())
    ]
