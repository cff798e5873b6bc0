"""The consistency view: how the trust has decided earlier cases on the same clauses.

The hearing chair recording a decision, and whoever signs it off, see the outcomes of the
trust's earlier cases that had an allegation on one of this case's clauses (by clause code,
whatever the policy version): how many ended in each sanction, and for each, the clause,
the finding, the sanction and the year. Nothing that could point to a person: no name,
reference or school, and nothing at all when there are fewer earlier cases than
CASEWORK_CONSISTENCY_MINIMUM_CASES, so few that those involved could be recognised. It is
advisory (Acas Code: like cases treated alike; each decided on its own facts).

Counted in the database: a fixed handful of queries, however many earlier cases there are,
driven by the allegations' clause index.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from casework.models import (
    EMPLOYEE_SANCTIONS,
    VOLUNTEER_OUTCOMES,
    Allegation,
    Case,
    Clause,
    Finding,
    Policy,
    Sanction,
    StaffMember,
)


@dataclass(frozen=True)
class PriorOutcome:
    """Earlier cases alike in clause, finding, sanction and year: how many there were."""

    clause: str
    finding: str
    sanction: str
    year: int
    cases: int


@dataclass(frozen=True)
class PriorOutcomes:
    clauses: tuple[str, ...]
    minimum: int
    prior_cases: int  # 0 when too few to show: the number itself is not shown then
    sanction_counts: tuple[tuple[str, int], ...]
    rows: tuple[PriorOutcome, ...]

    @property
    def shown(self) -> bool:
        return self.prior_cases > 0


def _earlier_allegations(case: Case, codes: list[str]) -> QuerySet[Allegation]:
    """Allegations on these clause codes decided at a hearing, in the trust's other cases
    whose outcome was issued, with a sanction of the same kind (an employee's cases are
    compared with employees', a volunteer's with volunteers'). Anonymised cases (false or
    malicious allegations, removed from the record) are left out."""
    volunteer = StaffMember.objects.filter(
        pk=case.subject_id, kind=StaffMember.Kind.VOLUNTEER
    ).exists()
    sanctions = VOLUNTEER_OUTCOMES if volunteer else EMPLOYEE_SANCTIONS
    same_trust = Policy.objects.filter(trust__policies=case.policy_id)
    clauses = Clause.objects.filter(policy__in=same_trust, code__in=codes)
    return Allegation.objects.filter(
        clause__in=clauses,
        hearing_finding__in=Finding.values,
        case__outcome_issued_on__isnull=False,
        case__anonymised_at__isnull=True,
        case__sanction__in=sanctions,
    ).exclude(case_id=case.pk)


def prior_outcomes(case: Case) -> PriorOutcomes:
    codes = sorted(set(case.allegations.values_list("clause__code", flat=True)))
    minimum = settings.CASEWORK_CONSISTENCY_MINIMUM_CASES
    hidden = PriorOutcomes(tuple(codes), minimum, 0, (), ())
    if not codes:
        return hidden
    earlier = _earlier_allegations(case, codes)
    by_sanction = dict(
        earlier.order_by()
        .values_list("case__sanction")
        .annotate(cases=Count("case_id", distinct=True))
    )
    total = sum(by_sanction.values())  # each case has one sanction
    if total < minimum:
        return hidden
    severity = {s: i for i, s in enumerate((*EMPLOYEE_SANCTIONS, *VOLUNTEER_OUTCOMES))}
    rows = (
        earlier.annotate(year=ExtractYear("case__outcome_issued_on"))
        .order_by()
        .values_list("clause__code", "hearing_finding", "case__sanction", "year")
        .annotate(cases=Count("case_id", distinct=True))
    )
    return PriorOutcomes(
        clauses=tuple(codes),
        minimum=minimum,
        prior_cases=total,
        sanction_counts=tuple(
            (Sanction(s).label, by_sanction[s]) for s in sorted(by_sanction, key=severity.get)
        ),
        rows=tuple(
            PriorOutcome(
                clause=code,
                finding=Finding(finding).label,
                sanction=Sanction(sanction).label,
                year=year,
                cases=count,
            )
            for code, finding, sanction, year, count in sorted(
                rows, key=lambda r: (-r[3], r[0], severity[r[2]], r[1])
            )
        ),
    )
