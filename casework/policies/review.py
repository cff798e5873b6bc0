"""HR's review of a proposal: which general standards to keep, drop or merge, and the
summaries, flags and facts as HR confirms them. The clause texts themselves are never
edited: they are the policy's words."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from casework.errors import RuleBroken

from .parsing import Proposal, ProposedClause, numbered

KEEP, DROP, MERGE = "keep", "drop", "merge"
FACTS = (
    "title",
    "adopted_by",
    "adopted_on",
    "reviewed_by",
    "reviewed_on",
    "next_review_by",
    "next_review_due",
)


@dataclass(frozen=True)
class Decision:
    action: str
    summary: str
    safeguarding: bool
    data_protection: bool


def reviewed(
    proposal: Proposal, decisions: Sequence[Decision], *, facts: dict | None = None
) -> Proposal:
    """The proposal as HR confirmed it.

    A DO or DO NOT item is always kept. A general standard is kept, dropped, or merged
    into the general standard kept before it (its words follow that one's, and the merged
    clause carries both clauses' flags). Codes are given afresh in document order.
    """
    if len(decisions) != len(proposal.clauses):
        raise RuleBroken(
            "The clauses on this page no longer match the document read. Upload it again."
        )
    kept: list[ProposedClause] = []
    last_standard: ProposedClause | None = None
    for clause, decision in zip(proposal.clauses, decisions, strict=True):
        label = clause.code or f"The paragraph “{clause.text[:40]}…”"
        if decision.action not in (KEEP, DROP, MERGE):
            raise RuleBroken(f"Choose whether to keep, drop or merge {label}.")
        if clause.kind != "GEN" and decision.action != KEEP:
            raise RuleBroken(
                f"{clause.code} is an item of the policy's list; it is kept as the policy words "
                "it. Only general standards can be dropped or merged."
            )
        if decision.action == DROP:
            continue
        if decision.action == MERGE:
            if last_standard is None:
                raise RuleBroken(
                    f"{label} has no general standard kept before it to be merged into."
                )
            last_standard.text = f"{last_standard.text} {clause.text}"
            last_standard.safeguarding |= decision.safeguarding
            last_standard.data_protection |= decision.data_protection
            continue
        confirmed = dataclasses.replace(
            clause,
            summary=decision.summary.strip(),
            safeguarding=decision.safeguarding,
            data_protection=decision.data_protection,
            proposed=True,
        )
        kept.append(confirmed)
        if clause.kind == "GEN":
            last_standard = confirmed
    values = {name: value for name, value in (facts or {}).items() if name in FACTS}
    for name in ("title", "adopted_by", "reviewed_by", "next_review_by"):
        if name in values:
            values[name] = (values[name] or "").strip()
    return dataclasses.replace(proposal, clauses=numbered(kept), **values)
