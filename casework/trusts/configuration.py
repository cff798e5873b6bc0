"""The figures and letterhead a trust works to: its saved settings, else the environment's.

Every procedural number is read for a trust, never process-wide, so that one trust
changing its appeal window changes nothing for another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from casework.models import Trust, TrustSettings


def _trust_id(trust: Trust | int) -> int:
    return trust if isinstance(trust, int) else trust.pk


def saved_settings(trust: Trust | int) -> TrustSettings | None:
    """The trust's saved settings, read once per trust object for the request or job."""
    if isinstance(trust, Trust):
        cached = getattr(trust, "_casework_settings", False)
        if cached is not False:
            return cached
    found = TrustSettings.objects.filter(trust_id=_trust_id(trust)).first()
    if isinstance(trust, Trust):
        trust._casework_settings = found
    return found


def procedure_settings(trust: Trust | int) -> dict[str, int]:
    """Every procedure figure (``settings.CASEWORK_PROCEDURE``'s names) for this trust."""
    saved = saved_settings(trust)
    return {**settings.CASEWORK_PROCEDURE, **(saved.procedure if saved else {})}


def retention_settings(trust: Trust | int) -> dict[str, int]:
    """Every retention period (``settings.CASEWORK_RETENTION``'s names) for this trust."""
    saved = saved_settings(trust)
    return {**settings.CASEWORK_RETENTION, **(saved.retention if saved else {})}


def reminder_escalation_working_days(trust: Trust | int) -> int:
    saved = saved_settings(trust)
    if saved is not None and saved.reminder_escalation_working_days is not None:
        return saved.reminder_escalation_working_days
    return settings.CASEWORK_REMINDER_ESCALATION_WORKING_DAYS


def hr_lead_email(trust: Trust | int) -> str:
    saved = saved_settings(trust)
    if saved is not None:
        return saved.hr_lead_email
    return settings.CASEWORK_HR_LEAD_EMAIL


@dataclass(frozen=True)
class LetterheadValues:
    name: str
    address: str
    telephone: str
    email: str
    # A file in the store (the trust's upload), or a static path (the environment's).
    logo_file: str
    logo_static: str


def letterhead_values(trust: Trust | int) -> LetterheadValues:
    saved = saved_settings(trust)
    if saved is not None:
        return LetterheadValues(
            name=saved.letterhead_name,
            address=saved.address,
            telephone=saved.telephone,
            email=saved.email,
            logo_file=saved.logo.name if saved.logo else "",
            logo_static="",
        )
    values = settings.CASEWORK_LETTERHEAD
    if _trust_id(trust) != first_trust_id():
        # The environment's letterhead is the installation's first trust's: another trust
        # that has saved none writes under its own name and address, never under another's.
        held = trust if isinstance(trust, Trust) else Trust.objects.get(pk=trust)
        return LetterheadValues(
            name=held.name,
            address=held.address,
            telephone="",
            email="",
            logo_file="",
            logo_static="",
        )
    return LetterheadValues(
        name=values["TRUST_NAME"],
        address=values.get("ADDRESS") or "",
        telephone=values.get("TELEPHONE") or "",
        email=values.get("EMAIL") or "",
        logo_file="",
        logo_static=values.get("LOGO") or "",
    )


def of_trust(trust_id: int | None, *, field: str = "trust") -> Q:
    """Rows of a trust's own, by a nullable trust column (the audit trail, the mail queue).

    Rows written before one installation served several trusts carry no trust: they are
    the installation's first trust's, the only one there was.
    """
    if trust_id is None:
        return Q(pk__in=[])
    own = Q(**{f"{field}_id": trust_id})
    return own | Q(**{f"{field}__isnull": True}) if trust_id == first_trust_id() else own


def first_trust_id() -> int | None:
    """The installation's first trust: the one there was before there were several."""
    return Trust.objects.order_by("pk").values_list("pk", flat=True).first()
