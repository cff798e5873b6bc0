"""Clause analytics for the policy review: how each clause of the policy has been used.

Per clause (by its code, the same across versions of the policy): the concerns that cited
it, the allegations framed under it, how many were upheld, the sanctions given, by school
and by quarter; and the clauses of the current policy nobody has cited. Each table is one
GROUP BY in the database over the cases in the reader's scope raised in the period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncQuarter

from casework.models import (
    CENTRAL_TEAM,
    UPHELD_FINDINGS,
    Allegation,
    Case,
    Clause,
    Policy,
    Sanction,
)

# A sanction given: a decision was recorded, and it was more than "no action".
NO_SANCTION = (Sanction.NO_ACTION, Sanction.VOLUNTEER_NO_ACTION)
UPHELD = Q(hearing_finding__in=UPHELD_FINDINGS) | Q(
    hearing_finding="", investigation_finding__in=UPHELD_FINDINGS
)
DECIDED = ~Q(hearing_finding="") | ~Q(investigation_finding="")


@dataclass(frozen=True)
class ClauseUse:
    code: str
    concerns: int
    allegations: int
    decided: int
    upheld: int
    sanctions: int

    @property
    def upheld_rate(self) -> float | None:
        """Upheld (or partly) of the allegations with a finding, as a percentage."""
        return round(100 * self.upheld / self.decided) if self.decided else None


@dataclass(frozen=True)
class Breakdown:
    """Counts of one clause by something else (school, quarter, sanction)."""

    title: str
    heading: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]  # (clause code, a count per column)


@dataclass(frozen=True)
class ClauseAnalytics:
    clauses: list[ClauseUse]
    never_cited: list[Clause]
    sanctions: Breakdown
    schools: Breakdown
    quarters: Breakdown
    policy: Policy | None


def _order(codes, policy: Policy | None) -> list[str]:
    place = {c.code: c.order for c in policy.clauses.all()} if policy else {}
    return sorted(codes, key=lambda code: (place.get(code, 10_000), code))


def _breakdown(rows, *, title: str, heading: str, label, order: list[str]) -> Breakdown:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    columns: dict[str, object] = {}
    for code, key, n in rows:
        name = label(key)
        columns[name] = key
        counts[code][name] = counts[code].get(name, 0) + n
    names = sorted(columns, key=lambda name: (columns[name] is None, str(columns[name])))
    return Breakdown(
        title,
        heading,
        names,
        [(code, [counts[code].get(name, 0) for name in names]) for code in order if code in counts],
    )


def clause_analytics(*, cases: QuerySet[Case], policy: Policy | None) -> ClauseAnalytics:
    case_ids = cases.order_by().values("pk")
    cited = dict(
        Case.suspected_clauses.through.objects.filter(case_id__in=case_ids)
        .order_by()
        .values_list("clause__code")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("clause__code", "n")
    )
    allegations = Allegation.objects.filter(case_id__in=case_ids).order_by()
    framed = {
        row["clause__code"]: row
        for row in allegations.values("clause__code").annotate(
            framed=Count("pk"),
            decided=Count("pk", filter=DECIDED),
            upheld=Count("pk", filter=UPHELD),
            sanctions=Count(
                "case",
                distinct=True,
                filter=Q(case__decided_at__isnull=False)
                & ~Q(case__sanction="")
                & ~Q(case__sanction__in=NO_SANCTION),
            ),
        )
    }
    codes = _order(set(cited) | set(framed), policy)
    uses = [
        ClauseUse(
            code=code,
            concerns=cited.get(code, 0),
            allegations=framed.get(code, {}).get("framed", 0),
            decided=framed.get(code, {}).get("decided", 0),
            upheld=framed.get(code, {}).get("upheld", 0),
            sanctions=framed.get(code, {}).get("sanctions", 0),
        )
        for code in codes
    ]
    never = (
        [c for c in policy.clauses.all() if c.code not in cited and c.code not in framed]
        if policy
        else []
    )
    sanctioned = (
        allegations.filter(case__decided_at__isnull=False)
        .exclude(case__sanction="")
        .values_list("clause__code", "case__sanction")
        .annotate(n=Count("case", distinct=True))
    )
    by_school = allegations.values_list("clause__code", "case__school__name").annotate(
        n=Count("pk")
    )
    by_quarter = (
        allegations.annotate(quarter=TruncQuarter("case__raised_at"))
        .values_list("clause__code", "quarter")
        .annotate(n=Count("pk"))
    )
    return ClauseAnalytics(
        clauses=uses,
        never_cited=never,
        sanctions=_breakdown(
            sanctioned,
            title="Sanctions given, by clause alleged",
            heading="Cases",
            label=lambda s: Sanction(s).label,
            order=codes,
        ),
        schools=_breakdown(
            by_school,
            title="Allegations by clause and school",
            heading="Allegations",
            label=lambda name: name or CENTRAL_TEAM,
            order=codes,
        ),
        quarters=_breakdown(
            by_quarter,
            title="Allegations by clause over time",
            heading="Allegations",
            label=lambda q: f"{q:%Y} Q{(q.month - 1) // 3 + 1}",
            order=codes,
        ),
        policy=policy,
    )


# --- Anonymity, for what leaves Casework (the policy review pack) ---------------------------


def anonymity_minimum() -> int:
    return settings.CASEWORK_ANONYMITY_MINIMUM


def shown(count: int) -> str:
    """A count as the review pack may print it: a group smaller than the minimum (setting)
    is not printed, since so few could be recognised."""
    if 0 < count < anonymity_minimum():
        return f"fewer than {anonymity_minimum()}"
    return str(count)


def shown_rate(use: ClauseUse) -> str:
    if use.decided < anonymity_minimum():
        return "not shown" if use.decided else "—"
    return f"{use.upheld_rate}%"


@dataclass(frozen=True)
class PrintedTable:
    title: str
    columns: list[str]
    rows: list[list[str]]


def printable(analytics: ClauseAnalytics) -> list[PrintedTable]:
    """The analytics as the review pack prints them: counts, never names or references,
    and no group under the anonymity minimum."""
    tables = [
        PrintedTable(
            "Use of each clause",
            [
                "Clause",
                "Concerns citing it",
                "Allegations framed",
                "Upheld (of those with a finding)",
                "Cases with a sanction",
            ],
            [
                [
                    use.code,
                    shown(use.concerns),
                    shown(use.allegations),
                    shown_rate(use),
                    shown(use.sanctions),
                ]
                for use in analytics.clauses
            ],
        )
    ]
    for breakdown in (analytics.sanctions, analytics.schools, analytics.quarters):
        tables.append(
            PrintedTable(
                breakdown.title,
                ["Clause", *breakdown.columns],
                [[code, *(shown(n) for n in counts)] for code, counts in breakdown.rows],
            )
        )
    return tables
