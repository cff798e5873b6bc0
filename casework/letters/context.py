"""What every letter says, whatever its kind (DOMAIN.md §5).

Letterhead, case reference, school, recipient, author and named contact, and the
allegations, each with its clause quoted exactly from the policy version the case cites.
"""

from __future__ import annotations

import base64
import datetime
import posixpath
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.storage import default_storage
from django.templatetags.static import static

from casework.errors import RuleBroken
from casework.models import (
    CENTRAL_TEAM,
    Allegation,
    Case,
    Hearing,
    Letter,
    StaffMember,
    Trust,
)
from casework.trusts.configuration import letterhead_values
from casework.vocabulary import hearing_name


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...]
    telephone: str
    email: str
    logo_url: str


# The pictures a trust may print at the top of its letters (the settings page accepts no other).
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def logo_data_url(name: str) -> str:
    """A trust's logo, from the file store, as a ``data:`` address the letter carries."""
    content_type = LOGO_TYPES.get(posixpath.splitext(name)[1].lower())
    if content_type is None:
        raise RuleBroken(
            "The trust's logo is not a PNG or JPEG picture. Its administrator can upload it "
            "again on the trust's settings page."
        )
    try:
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except OSError:
        raise RuleBroken(
            "The trust's logo could not be read from the file store, so no letter can be "
            "made. Its administrator can upload it again on the trust's settings page."
        ) from None
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def letterhead(trust: Trust | int) -> Letterhead:
    """The letterhead of the trust a letter is written for: its saved settings, else the
    environment's (``settings.CASEWORK_LETTERHEAD``).

    The trust's own logo is read from the file store and written into the letter as a
    ``data:`` address, so the PDF carries it and nothing is fetched to print it; the
    environment's logo is one of Casework's static files.
    """
    values = letterhead_values(trust)
    if values.logo_file:
        logo_url = logo_data_url(values.logo_file)
    else:
        logo_url = static(values.logo_static) if values.logo_static else ""
    return Letterhead(
        name=values.name,
        address_lines=tuple(part.strip() for part in values.address.split(",") if part.strip()),
        telephone=values.telephone,
        email=values.email,
        logo_url=logo_url,
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
        "letterhead": letterhead(case.trust_id),
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
