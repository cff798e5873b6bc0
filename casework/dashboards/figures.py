"""The dashboard's figures: each table one GROUP BY in the database over the cases the
reader's scope takes in (the trust, or a headteacher's schools), raised within a period."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from casework.deadlines import STAGE_TARGETS
from casework.models import (
    CLOSED_STATUSES,
    Allegation,
    AuditEvent,
    Case,
    Sanction,
    Status,
)
from casework.models.people import CENTRAL_TEAM, School
from casework.workdays import Calendar, procedure


@dataclass(frozen=True)
class Period:
    """Cases raised from ``start`` to ``end``, both days included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        # The last twelve months; from 29 February, a year back is 28 February.
        year_ago = today - relativedelta(years=1)
        return cls(start=year_ago + datetime.timedelta(days=1), end=today)

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(
                self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            ),
        )


@dataclass(frozen=True)
class Table:
    """One table of the dashboard: its heading, column names and rows, the first column a
    label and the others numbers."""

    slug: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple]

    @property
    def total(self) -> int:
        return sum(row[1] for row in self.rows if isinstance(row[1], int))


def cases_in_scope(*, trust: int | None, schools: set[int] | None) -> QuerySet[Case]:
    """The trust's cases, or only its ``schools``' (None: the whole trust; no trust: none)."""
    if trust is None:
        return Case.objects.none()
    cases = Case.objects.filter(trust_id=trust)
    return cases if schools is None else cases.filter(school_id__in=schools)


def raised_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    start, end = period.moments()
    return cases.filter(raised_at__gte=start, raised_at__lt=end)


def by_stage(cases: QuerySet[Case]) -> Table:
    counts = dict(
        cases.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    rows = [(status.label, counts[status]) for status in Status if counts.get(status)]
    return Table("stages", "Cases by stage", ("Stage", "Cases"), rows)


def by_school(cases: QuerySet[Case]) -> Table:
    counts = dict(
        cases.order_by().values_list("school").annotate(n=Count("pk")).values_list("school", "n")
    )
    names = dict(School.objects.filter(pk__in=[k for k in counts if k]).values_list("pk", "name"))
    rows = sorted(
        ((names[k] if k else CENTRAL_TEAM, n) for k, n in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return Table("schools", "Cases by school", ("School", "Cases"), rows)


def by_clause(cases: QuerySet[Case]) -> Table:
    """Cases with an allegation framed under each clause (a case counts once per clause)."""
    rows = (
        Allegation.objects.filter(case__in=cases.order_by().values("pk"))
        .order_by()
        .values("clause__code", "clause__order")
        .annotate(n=Count("case", distinct=True))
        .order_by("clause__order", "clause__code")
    )
    return Table(
        "clauses",
        "Cases by clause alleged",
        ("Clause", "Cases"),
        [(row["clause__code"], row["n"]) for row in rows],
    )


def outcome_label(status: str, sanction: str) -> str:
    if status in (Status.CLOSED, Status.APPEAL_DECIDED) and sanction:
        return Sanction(sanction).label
    return Status(status).label


def by_outcome(cases: QuerySet[Case]) -> Table:
    """Closed cases by how they ended: the sanction where there was a hearing, otherwise
    how the case closed."""
    rows = (
        cases.filter(status__in=CLOSED_STATUSES)
        .order_by()
        .values_list("status", "sanction")
        .annotate(n=Count("pk"))
    )
    totals: dict[str, int] = {}
    for status, sanction, n in rows:
        label = outcome_label(status, sanction)
        totals[label] = totals.get(label, 0) + n
    return Table(
        "outcomes",
        "Closed cases by outcome",
        ("Outcome", "Cases"),
        sorted(totals.items(), key=lambda row: (-row[1], row[0])),
    )


def _month_counts(cases: QuerySet[Case], field: str, start, end) -> dict[datetime.date, int]:
    rows = (
        cases.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .order_by()
        .annotate(month=TruncMonth(field))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return {
        (month.date() if isinstance(month, datetime.datetime) else month).replace(day=1): n
        for month, n in rows
    }


def by_month(scope: QuerySet[Case], period: Period) -> Table:
    """Cases opened (raised) and closed in each month of the period."""
    start, end = period.moments()
    opened = _month_counts(scope, "raised_at", start, end)
    closed = _month_counts(scope, "closed_at", start, end)
    rows = []
    month = period.start.replace(day=1)
    while month <= period.end:
        rows.append((f"{month:%b %Y}", opened.get(month, 0), closed.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return Table("months", "Cases opened and closed by month", ("Month", "Opened", "Closed"), rows)


class _WorkingDayIndex:
    """Working days between two dates by lookup: the trust's working days in a range, once."""

    def __init__(self, first: datetime.date, last: datetime.date, *, trust: int):
        calendar = Calendar(trust_id=trust)
        self.days = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += datetime.timedelta(days=1)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (as workdays counts)."""
        return max(0, bisect_right(self.days, end) - bisect_right(self.days, start))


def _weighted_median(values: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many times)."""
    total = sum(n for _v, n in values)
    if not total:
        return None
    ordered = sorted(values)

    def nth(k: int) -> int:  # the k-th value, counting from 0
        seen = 0
        for value, n in ordered:
            seen += n
            if k < seen:
                return value
        raise IndexError(k)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def stage_medians(scope: QuerySet[Case], period: Period, *, trust: int) -> Table:
    """Median working days spent in each stage, by the stages left during the period,
    against the stage's target.

    Each transition in the audit trail ends a stay in the stage it left; the stay began at
    the transition before it (or when the concern was raised). The database groups the
    stays by stage and by the days they began and ended; only those distinct groups, never
    every case, are counted here in working days.
    """
    start, end = period.moments()
    # A hearing moved to a new date is a transition to the same stage: the stay goes on.
    transitions = AuditEvent.objects.filter(action="case.transition").exclude(
        details__from=F("details__to")
    )
    previous = (
        transitions.filter(case_id=OuterRef("case_id"), id__lt=OuterRef("id"))
        .order_by("-id")
        .values("occurred_at")[:1]
    )
    raised = Case.objects.filter(pk=OuterRef("case_id")).values("raised_at")[:1]
    stays = (
        transitions.filter(
            case_id__in=scope.order_by().values("pk"), occurred_at__gte=start, occurred_at__lt=end
        )
        .annotate(
            entered=TruncDate(Coalesce(Subquery(previous), Subquery(raised))),
            left=TruncDate("occurred_at"),
            stage=F("details__from"),
        )
        .order_by()
        .values_list("stage", "entered", "left")
        .annotate(n=Count("id"))
    )
    groups = [row for row in stays if row[0] and row[1] and row[2]]
    by_stage: dict[str, list[tuple[int, int]]] = {}
    if groups:
        index = _WorkingDayIndex(min(g[1] for g in groups), max(g[2] for g in groups), trust=trust)
        for stage, entered, left, n in groups:
            by_stage.setdefault(stage, []).append((index.between(entered, left), n))
    rows = []
    for status in Status:
        if status not in by_stage:
            continue
        target = STAGE_TARGETS.get(status)
        median = _weighted_median(by_stage[status])
        rows.append(
            (
                status.label,
                median,
                procedure(target, trust=trust) if target else None,
                sum(n for _v, n in by_stage[status]),
            )
        )
    return Table(
        "stage-times",
        "Median working days in each stage",
        ("Stage", "Median working days", "Target working days", "Stays counted"),
        rows,
    )


def dashboard(*, trust: int | None, schools: set[int] | None, period: Period) -> list[Table]:
    scope = cases_in_scope(trust=trust, schools=schools)
    raised = raised_in(scope, period)
    return [
        by_stage(raised),
        by_school(raised),
        by_clause(raised),
        by_outcome(raised),
        *([stage_medians(scope, period, trust=trust)] if trust is not None else []),
        by_month(scope, period),
    ]
