"""The trust's decisions about clauses, as labelled examples for the suggester.

Every clause a reporter confirms and every allegation HR frames becomes an example; when
suggestions were on screen, whether they were followed or overridden is kept with it and
written to the case's audit trail. Called from the concern and allegation services, inside
their transactions, so a decision and its example are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models.functions import Substr

from casework import audit
from casework.models import Allegation, Case, Clause, ClauseExample, Policy, User

# How many words of a description the suggester reads: enough for any description staff
# write, and a bound on what one example can cost.
DESCRIPTION_CHARACTERS = 4000
WEIGHT = {ClauseExample.Source.ALLEGATION: 1.0, ClauseExample.Source.REPORTER: 0.5}
MAX_OFFERED = 10


def offered_codes(codes: Iterable[str], *, policy: Policy) -> list[str]:
    """The suggested codes as the form sent them back, kept only if the policy has them."""
    known = set(policy.clauses.values_list("code", flat=True))
    kept: list[str] = []
    for code in codes:
        code = str(code).strip()
        if code in known and code not in kept:
            kept.append(code)
    return kept[:MAX_OFFERED]


def _record_outcome(
    *, case: Case, by: User | None, offered: list[str], chosen: list[str], form: str, target
) -> None:
    if not offered:
        return
    followed = [code for code in chosen if code in offered]
    accepted = bool(chosen) and len(followed) == len(chosen)
    audit.record(
        action="suggestion.accepted" if accepted else "suggestion.overridden",
        case=case,
        actor=by,
        target=target,
        summary=(
            f"Suggested clause{'s' if len(chosen) > 1 else ''} followed: {', '.join(chosen)}"
            if accepted
            else f"Clause suggestions overridden: {', '.join(chosen) or 'no clause'} chosen; "
            f"{', '.join(offered[:3])} suggested"
        ),
        details={"form": form, "offered": offered, "chosen": chosen, "followed": followed},
    )


def record_reporter_choices(*, case: Case, offered: Sequence[str], by: User | None) -> None:
    """The clauses the reporter ticked become examples (weaker than HR's decisions)."""
    offered = offered_codes(offered, policy=case.policy)
    chosen = list(case.suspected_clauses.order_by("order"))
    ClauseExample.objects.bulk_create(
        ClauseExample(
            case=case,
            clause=clause,
            source=ClauseExample.Source.REPORTER,
            offered=offered,
            followed=(clause.code in offered) if offered else None,
            recorded_by=by,
        )
        for clause in chosen
    )
    _record_outcome(
        case=case,
        by=by,
        offered=offered,
        chosen=[c.code for c in chosen],
        form="concern",
        target=case,
    )


def record_allegation_choice(
    *, allegation: Allegation, offered: Sequence[str], by: User | None
) -> None:
    """An allegation framed (or amended) is an example of its clause for the concern."""
    case = allegation.case
    offered = offered_codes(offered, policy=case.policy)
    clause: Clause = allegation.clause
    ClauseExample.objects.update_or_create(
        allegation=allegation,
        defaults={
            "case": case,
            "clause": clause,
            "source": ClauseExample.Source.ALLEGATION,
            "offered": offered,
            "followed": (clause.code in offered) if offered else None,
            "recorded_by": by,
        },
    )
    _record_outcome(
        case=case,
        by=by,
        offered=offered,
        chosen=[clause.code],
        form="allegation",
        target=allegation,
    )


def recent_decisions(*, policy: Policy, limit: int) -> list[tuple]:
    """(example id, case id, when the case was raised, clause code, source) of the newest
    examples, newest first. The moment tells a case from a later one given the same id."""
    return list(
        ClauseExample.objects.filter(clause__policy=policy)
        .order_by("-id")
        .values_list("id", "case_id", "case__raised_at", "clause__code", "source")[:limit]
    )


def descriptions(case_ids: Iterable[int]) -> dict[int, str]:
    """What the reporters described, as far as the suggester reads it."""
    return dict(
        Case.objects.filter(pk__in=list(case_ids))
        .annotate(start=Substr("what_was_seen", 1, DESCRIPTION_CHARACTERS))
        .values_list("pk", "start")
    )
