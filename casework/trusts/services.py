"""A trust's administrator changes its letterhead and the figures of its procedure.

Every figure is checked before anything is stored: one bad figure refuses the whole change,
naming each problem, and the settings stay as they were. A change that goes through is one
audit event, ``trust.settings_changed``, holding the value before and after of each figure
or letterhead field that changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from casework import audit, clock, permissions
from casework.errors import NotAllowed, RuleBroken
from casework.evidence import CheckedFile, check_file, check_upload
from casework.letters.rendering import ResourceRefused, read_static
from casework.models import Trust, TrustSettings, User
from casework.records.storage import files_removed_on_failure
from casework.trusts import configuration

LOGO_FOLDER = "trust-logos"
LOGO_TYPES = ("image/png", "image/jpeg")
# A letterhead logo is a small picture: anything larger only slows every letter down.
LOGO_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Figure:
    """One number of the trust's procedure or retention schedule, and its lawful range."""

    name: str
    label: str
    unit: str
    minimum: int
    maximum: int
    # Why the range is what it is, said when a figure falls outside it.
    why: str = ""


def _days(name: str, label: str, *, minimum: int = 1, maximum: int = 250, why: str = ""):
    return Figure(name, label, "working days", minimum, maximum, why)


PROCEDURE_FIGURES: tuple[Figure, ...] = (
    _days("TRIAGE_WORKING_DAYS", "HR triages a concern within"),
    _days(
        "LADO_REFERRAL_WORKING_DAYS",
        "A harm-threshold concern is referred to the LADO within",
        maximum=5,
    ),
    _days("HEARING_NOTICE_WORKING_DAYS", "Notice of a disciplinary hearing, at least"),
    _days(
        "COMPANION_POSTPONEMENT_WORKING_DAYS",
        "A hearing postponed for the companion moves to within",
        maximum=5,
        why="the Employment Relations Act 1999 (s.10) allows at most five working days",
    ),
    Figure(
        "HEARING_POSTPONEMENTS_ALLOWED",
        "A hearing may go ahead without the person only after",
        "postponements",
        1,
        10,
        "the person has a right to one postponement for their companion",
    ),
    _days("APPEAL_WORKING_DAYS", "An appeal must be lodged within"),
    Figure("FIRST_WARNING_LIVE_MONTHS", "A first written warning is live for", "months", 1, 120),
    Figure("FINAL_WARNING_LIVE_MONTHS", "A final written warning is live for", "months", 1, 120),
    _days("INVESTIGATION_TARGET_WORKING_DAYS", "Target for an investigation report"),
    _days("SIGN_OFF_WORKING_DAYS", "Target for the headteacher's sign-off"),
    _days("TASK_TARGET_WORKING_DAYS", "Target for any other task"),
    _days("SUSPENSION_REVIEW_WORKING_DAYS", "A suspension is reviewed every"),
    Figure(
        "FORMER_PUPIL_CONTACT_YEARS",
        "Contact with a former pupil this long after they left is a safeguarding matter "
        "(policy DONT-4), within",
        "years",
        1,
        25,
    ),
    Figure(
        "DPO_DECISION_HOURS",
        "The DPO decides on reporting a personal data breach within",
        "clock hours",
        1,
        72,
        "UK GDPR (Art. 33) gives 72 hours to report a breach to the ICO",
    ),
    Figure(
        "SUBJECT_ACCESS_MONTHS",
        "A subject access request is answered within",
        "calendar months",
        1,
        1,
        "UK GDPR (Art. 12(3)) allows one month",
    ),
    Figure(
        "SUBJECT_ACCESS_EXTENSION_MONTHS",
        "A complex subject access request may be given, once, a further",
        "calendar months",
        0,
        2,
        "UK GDPR (Art. 12(3)) allows at most two more months",
    ),
)

RETENTION_FIGURES: tuple[Figure, ...] = (
    Figure(
        "FIRST_WARNING_KEPT_MONTHS_AFTER_EXPIRY",
        "A first written warning is kept after it expires for",
        "months",
        0,
        1200,
    ),
    Figure(
        "FINAL_WARNING_KEPT_MONTHS_AFTER_EXPIRY",
        "A final written warning is kept after it expires for",
        "months",
        0,
        1200,
    ),
    Figure(
        "NOT_UPHELD_KEPT_DAYS_AFTER_CLOSURE",
        "A case not upheld is destroyed after closure (0: at closure), after",
        "days",
        0,
        36500,
    ),
    Figure(
        "SAFEGUARDING_RETIREMENT_AGE",
        "Safeguarding allegation records are kept to the person's age of",
        "years",
        0,
        100,
    ),
    Figure(
        "SAFEGUARDING_MINIMUM_YEARS",
        "…or for this long after closure, whichever is later",
        "years",
        0,
        100,
    ),
    Figure(
        "OTHER_CASES_KEPT_YEARS",
        "Every other closed case is kept after closure for",
        "years",
        0,
        100,
    ),
)

REMINDER_ESCALATION = Figure(
    "reminder_escalation_working_days",
    "HR's lead is told of anything overdue by",
    "working days",
    1,
    250,
)

LETTERHEAD_FIELDS = {
    "letterhead_name": "Name on the letterhead",
    "address": "Address",
    "telephone": "Telephone",
    "email": "Contact e-mail address",
    "logo": "Logo",
}
OTHER_FIELDS = {"hr_lead_email": "HR lead's e-mail address"}
_LIMITS = {"letterhead_name": 200, "address": 500, "telephone": 40, "email": 254}
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class SettingsRefused(RuleBroken):
    """Some of the values given cannot be saved; nothing was. ``problems`` maps each
    refused value (``procedure.APPEAL_WORKING_DAYS``, ``email``, …) to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(
            "The settings were not saved: " + " ".join(problems.values()) + " Nothing was changed."
        )
        self.problems = problems


def label_of(key: str) -> str:
    """The readable name of a value, as the settings page and the audit trail call it."""
    for figure in (*PROCEDURE_FIGURES, *RETENTION_FIGURES, REMINDER_ESCALATION):
        if key in (figure.name, f"procedure.{figure.name}", f"retention.{figure.name}"):
            return f"{figure.label} ({figure.unit})"
    return {**LETTERHEAD_FIELDS, **OTHER_FIELDS}.get(key, key)


def defaults() -> dict[str, object]:
    """The environment's value of every figure, shown beside the trust's own."""
    return {
        **{f"procedure.{k}": v for k, v in settings.CASEWORK_PROCEDURE.items()},
        **{f"retention.{k}": v for k, v in settings.CASEWORK_RETENTION.items()},
        "reminder_escalation_working_days": settings.CASEWORK_REMINDER_ESCALATION_WORKING_DAYS,
        "hr_lead_email": settings.CASEWORK_HR_LEAD_EMAIL,
    }


def values_in_force(trust: Trust | int) -> dict[str, object]:
    """Everything the settings page edits, as the trust works to it now (its saved
    settings, else the environment's), keyed as ``SettingsRefused.problems`` is."""
    trust_id = trust if isinstance(trust, int) else trust.pk
    head = configuration.letterhead_values(trust_id)
    return {
        "letterhead_name": head.name,
        "address": head.address,
        "telephone": head.telephone,
        "email": head.email,
        # A picture in the file store, or the installation's static logo (of a trust that
        # has not saved its settings).
        "logo": head.logo_file or head.logo_static,
        **{f"procedure.{k}": v for k, v in configuration.procedure_settings(trust_id).items()},
        **{f"retention.{k}": v for k, v in configuration.retention_settings(trust_id).items()},
        "reminder_escalation_working_days": configuration.reminder_escalation_working_days(
            trust_id
        ),
        "hr_lead_email": configuration.hr_lead_email(trust_id),
    }


def _amount(number: int, unit: str) -> str:
    """``1 working day``, ``2 working days``."""
    return f"{number} {unit[:-1] if number == 1 and unit.endswith('s') else unit}"


def _whole_number(value: object, figure: Figure, problems: dict[str, str], key: str) -> int | None:
    label = f"“{figure.label}”"
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            problems[key] = f"Enter a number of {figure.unit} for {label}."
            return None
        if not _WHOLE_NUMBER.fullmatch(text):
            problems[key] = f"{label} must be a whole number of {figure.unit}, like 5."
            return None
        number = int(text)
    if not figure.minimum <= number <= figure.maximum:
        if figure.minimum == figure.maximum:
            span = f"must be {_amount(figure.minimum, figure.unit)}"
        elif number < figure.minimum:
            span = f"must be at least {_amount(figure.minimum, figure.unit)}"
        else:
            span = f"can be at most {_amount(figure.maximum, figure.unit)}"
        why = f": {figure.why}" if figure.why else ""
        problems[key] = f"{label} {span}{why}."
        return None
    return number


def _figures(
    given: Mapping[str, object],
    figures: tuple[Figure, ...],
    current: Mapping[str, object],
    prefix: str,
    problems: dict[str, str],
) -> dict[str, int]:
    known = {figure.name: figure for figure in figures}
    for name in given:
        if name not in known:
            problems[f"{prefix}.{name}"] = f"There is no setting called {name}."
    checked: dict[str, int] = {}
    for figure in figures:
        key = f"{prefix}.{figure.name}"
        value = given.get(figure.name, current[key])
        number = _whole_number(value, figure, problems, key)
        if number is not None:
            checked[figure.name] = number
    return checked


def _text(value: str, key: str, problems: dict[str, str], *, required: bool = False) -> str:
    # An address may be written over several lines; it is kept as comma-separated parts.
    parts = [" ".join(part.split()) for part in re.split(r"[\n,]", value or "")]
    text = ", ".join(p for p in parts if p) if key == "address" else " ".join((value or "").split())
    if "\x00" in text:
        problems[key] = f"The {label_of(key).lower()} holds a character that cannot be kept."
    elif required and not text:
        problems[key] = f"Enter the {label_of(key).lower()}."
    elif len(text) > _LIMITS.get(key, 254):
        problems[key] = f"Keep the {label_of(key).lower()} to {_LIMITS.get(key, 254)} characters."
    return text


def _email(value: str, key: str, problems: dict[str, str]) -> str:
    address = (value or "").strip()
    if "\x00" in address:
        problems[key] = (
            f"The {label_of(key)[0].lower()}{label_of(key)[1:]} is not an e-mail address."
        )
    elif address:
        try:
            validate_email(address)
        except ValidationError:
            problems[key] = (
                f"The {label_of(key)[0].lower()}{label_of(key)[1:]} “{address}” is not an "
                "e-mail address; write it like name@example.org."
            )
    return address


def _checked_logo(logo: UploadedFile, problems: dict[str, str]):
    if logo.size is not None and logo.size > LOGO_MAX_BYTES:
        problems["logo"] = (
            f"The logo is larger than {filesizeformat(LOGO_MAX_BYTES)}, the largest accepted. "
            "Save it smaller and upload it again."
        )
        return None
    try:
        return check_upload(logo, accept=LOGO_TYPES)
    except RuleBroken as refusal:
        problems["logo"] = refusal.message
        return None


def _installation_logo(name: str) -> CheckedFile | None:
    """The environment's static logo as a trust's own picture; None if it is not a PNG or
    JPEG (an SVG, say), which the trust's letters then go without until one is uploaded."""
    try:
        return check_file(name=name, content=read_static(name), accept=LOGO_TYPES)
    except (RuleBroken, ResourceRefused):
        return None


@transaction.atomic
def change_trust_settings(
    *,
    trust: Trust,
    by: User,
    letterhead_name: str,
    address: str,
    telephone: str,
    email: str,
    procedure: Mapping[str, object],
    retention: Mapping[str, object],
    reminder_escalation_working_days: object,
    hr_lead_email: str,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> TrustSettings:
    """Save the trust's letterhead and figures, all of them or none.

    ``procedure`` and ``retention`` name figures by their settings names
    (``APPEAL_WORKING_DAYS``); a figure left out keeps the value in force. Once saved,
    every figure is the trust's own: the environment's values are only the defaults of a
    trust that has never saved its settings.
    """
    if not permissions.may_administer_trust(by, trust):
        raise NotAllowed("Only the trust's own administrators may change its settings.")
    # One change at a time for a trust: the second waits, then starts from the first's.
    Trust.objects.select_for_update().filter(pk=trust.pk).first()
    row = TrustSettings.objects.filter(trust_id=trust.pk).first()
    before = values_in_force(trust.pk)

    problems: dict[str, str] = {}
    after: dict[str, object] = {
        "letterhead_name": _text(letterhead_name, "letterhead_name", problems, required=True),
        "address": _text(address, "address", problems),
        "telephone": _text(telephone, "telephone", problems),
        "email": _email(email, "email", problems),
        "hr_lead_email": _email(hr_lead_email, "hr_lead_email", problems),
    }
    checked_procedure = _figures(procedure, PROCEDURE_FIGURES, before, "procedure", problems)
    checked_retention = _figures(retention, RETENTION_FIGURES, before, "retention", problems)
    escalation = _whole_number(
        reminder_escalation_working_days,
        REMINDER_ESCALATION,
        problems,
        "reminder_escalation_working_days",
    )
    checked_logo = None
    if logo is not None and remove_logo:
        problems["logo"] = "Either upload a new logo or remove the logo, not both."
    elif logo is not None:
        checked_logo = _checked_logo(logo, problems)
    if problems:
        raise SettingsRefused(problems)

    after.update({f"procedure.{k}": v for k, v in checked_procedure.items()})
    after.update({f"retention.{k}": v for k, v in checked_retention.items()})
    after["reminder_escalation_working_days"] = escalation
    after["logo"] = "" if remove_logo else before["logo"]
    carried = None
    if row is None and checked_logo is None and not remove_logo and before["logo"]:
        # A trust saving its settings for the first time keeps the installation's logo, as
        # a picture of its own: from now on its letters carry only its own.
        carried = _installation_logo(before["logo"])
        after["logo"] = ""

    if row is None:
        row = TrustSettings(trust=trust)
    with files_removed_on_failure() as saver:
        kept = checked_logo or carried
        if kept is not None:
            after["logo"] = saver.save(LOGO_FOLDER, kept.content, kept.extension)
        changed = {
            key: {"before": before[key], "after": value}
            for key, value in after.items()
            if before.get(key) != value
        }
        if not changed and row.pk is not None:
            return row
        row.letterhead_name = after["letterhead_name"]
        row.address = after["address"]
        row.telephone = after["telephone"]
        row.email = after["email"]
        row.logo.name = after["logo"] or ""
        row.procedure = checked_procedure
        row.retention = checked_retention
        row.reminder_escalation_working_days = escalation
        row.hr_lead_email = after["hr_lead_email"]
        row.changed_at = clock.now()
        row.save()
        names = ", ".join(label_of(key) for key in changed) or "saved as they were"
        audit.record(
            action="trust.settings_changed",
            summary=f"Settings of {trust.name} changed: {names}",
            actor=by,
            target=row,
            details={
                "trust": trust.name,
                "changed": changed,
                **({"logo_sha256": checked_logo.sha256} if checked_logo is not None else {}),
            },
        )
    # Whatever read the trust's settings before this change reads them afresh.
    trust.__dict__.pop("_casework_settings", None)
    return row
