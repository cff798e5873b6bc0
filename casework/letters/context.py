"""What every letter says, whatever its kind (DOMAIN.md §5).

Letterhead, case reference, school, recipient, author and named contact, and the
allegations, each with its clause quoted exactly from the policy version the case cites.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.templatetags.static import static

from casework.errors import RuleBroken
from casework.models import CENTRAL_TEAM, Allegation, Case, Hearing, Letter, StaffMember
from casework.vocabulary import hearing_name


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...]
    telephone: str
    email: str
    logo_url: str


def letterhead() -> Letterhead:
    """The trust's letterhead from settings.CASEWORK_LETTERHEAD (logo: a static file, or none)."""
    values = settings.CASEWORK_LETTERHEAD
    address = values.get("ADDRESS") or ""
    logo = values.get("LOGO") or ""
    return Letterhead(
        name=values["TRUST_NAME"],
        address_lines=tuple(part.strip() for part in address.split(",") if part.strip()),
        telephone=values.get("TELEPHONE") or "",
        email=values.get("EMAIL") or "",
        logo_url=static(logo) if logo else "",
    )


def allegations_of(case: Case) -> list[Allegation]:
    """The case's allegations with their clauses, checked against the policy version cited.

    A letter quotes the clause exactly as the cited version words it; an allegation tied
    to another version's clause would quote words the case never cited, so it is refused.
    """
    allegations = list(case.allegations.select_related("clause").order_by("number"))
    for allegation in allegations:
        if allegation.clause.policy_id != case.policy_id:
            raise RuleBroken(
                f"Allegation {allegation.number} cites {allegation.clause.code} from another "
                f"version of the policy than the case ({case.policy.version}); amend it first."
            )
    return allegations


def contact_for(case: Case, author: StaffMember) -> StaffMember:
    """The named contact: the case's HR case manager, or whoever writes the letter."""
    return case.case_manager or author


def common_context(
    *,
    case: Case,
    author: StaffMember,
    dated: datetime.date,
    title: str,
    replaces: Letter | None,
) -> dict:
    return {
        "letterhead": letterhead(),
        "reference": case.reference,
        "dated": dated,
        "title": title,
        "case": case,
        # A case of the trust central team is written from the trust, not a school.
        "school": case.school or SimpleNamespace(name=CENTRAL_TEAM, address=""),
        "recipient": case.subject,
        "volunteer": case.subject.is_volunteer,
        # "disciplinary hearing", or for a volunteer "meeting about the volunteering arrangement"
        "hearing_name": hearing_name(case, Hearing.Kind.DISCIPLINARY, yours=True),
        "appeal_hearing_name": hearing_name(case, Hearing.Kind.APPEAL, yours=True),
        "hearing_word": "meeting" if case.subject.is_volunteer else "hearing",
        "author": author,
        "contact": contact_for(case, author),
        "policy": case.policy,
        "allegations": allegations_of(case),
        "replaces": replaces,
    }
