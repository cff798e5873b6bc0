"""The facts a decision rests on, shown beside every task's form.

What was reported (when, where, the links, the pupils), the evidence, the allegations with
the clause each cites, and the way to the case's timeline. Evidence is shown only to those
the case's need-to-know rules let open it; images and PDFs are previewed on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from casework import permissions
from casework.models import Case, EvidenceFile, User

PREVIEWED_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")
PREVIEWED_PDF = "application/pdf"


@dataclass(frozen=True)
class EvidenceShown:
    item: EvidenceFile
    download_url: str
    preview_url: str | None
    preview_kind: str  # "image", "pdf" or ""


def previewable(item: EvidenceFile) -> str:
    if item.content_type in PREVIEWED_IMAGES:
        return "image"
    if item.content_type == PREVIEWED_PDF:
        return "pdf"
    return ""


def may_see_evidence(case: Case, user: User | None) -> bool:
    """Evidence follows the case: those who may see the case may open its files."""
    return permissions.can_view_case(user, case)


def facts_for(case: Case, *, user: User) -> dict:
    shows_case = permissions.can_view_case(user, case)
    evidence = []
    if shows_case:
        for item in case.evidence.all():
            kind = previewable(item)
            args = [case.reference, item.pk]
            evidence.append(
                EvidenceShown(
                    item=item,
                    download_url=reverse("casework:evidence", args=args),
                    preview_url=reverse("casework:evidence_preview", args=args) if kind else None,
                    preview_kind=kind,
                )
            )
    return {
        "facts_links": [line for line in case.links.splitlines() if line.strip()],
        "facts_evidence": evidence,
        "facts_evidence_shown": shows_case,
        "facts_allegations": case.allegations.select_related("clause"),
        "facts_suspected_clauses": case.suspected_clauses.order_by("order"),
        "facts_timeline_url": reverse("casework:case", args=[case.reference]) + "#timeline"
        if shows_case
        else None,
    }
