"""Subject access (UK GDPR Article 15): everything Casework holds about one person, as a zip.

What is included: the person's workforce record, roles and sign-in; every case about them,
with its allegations, investigation, hearings, outcome, evidence and letters; the concerns
they raised, as they gave them (never the outcome for a colleague); statements they gave as
a witness; the audit events about them or done by them; and their subject access requests.

Third parties are redacted: the person who raised a concern about them, witnesses, other
staff named anywhere in the text, companions and anyone else named in free text. People who
acted for the trust in the person's own case (case manager, investigating officer, chair,
signing authority, appeal chair, welfare contact) are named, as they acted in an official
capacity. Evidence that is a picture, PDF or document cannot be redacted automatically:
the README in the zip lists those files for review before the export is sent.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.utils import timezone

from casework import selectors
from casework.models import (
    AuditEvent,
    Case,
    EvidenceFile,
    StaffMember,
    WitnessStatement,
    place_name,
)

from .storage import file_fields, stored_names

WITHHELD = "[redacted: third party]"


def find_person(identifier: str) -> StaffMember | None:
    """A person by e-mail address (of their workforce record or sign-in) or staff id."""
    identifier = identifier.strip()
    people = StaffMember.objects.select_related("user", "school", "trust")
    if identifier.isdigit():
        return people.filter(pk=int(identifier)).first()
    return people.filter(Q(email__iexact=identifier) | Q(user__email__iexact=identifier)).first()


class Redactor:
    """Replaces the names (and e-mail addresses) of everyone but the people kept."""

    def __init__(self, *, keep: set[int], also: list[str] = ()):
        kept_people = StaffMember.objects.filter(pk__in=keep)
        kept_words = {
            word for person in kept_people for word in (person.first_name, person.last_name)
        }
        phrases: set[str] = set()
        for person in StaffMember.objects.exclude(pk__in=keep):
            phrases.update({person.full_name, person.email})
            if person.user_id:
                phrases.add(person.user.email)
            phrases.update(
                word
                for word in (person.first_name, person.last_name)
                if len(word) >= 3 and word not in kept_words
            )
        kept_names = {person.full_name for person in kept_people}
        for text in also:
            text = (text or "").strip()
            if text and text not in kept_names:
                phrases.add(text)
                words = re.findall(r"[A-Z][\w'\u2019-]{2,}", text)
                phrases.update(word for word in words if word not in kept_words)
        phrases.discard("")
        self.pattern = (
            re.compile(
                r"(?<![\w@.])(?:"
                + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
                + r")(?![\w@])"
            )
            if phrases
            else None
        )

    def __call__(self, text: str | None) -> str:
        if not text or self.pattern is None:
            return text or ""
        return self.pattern.sub(WITHHELD, text)


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _moment(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def _name(person: StaffMember | None) -> str | None:
    return person.full_name if person else None


def _officials(case: Case) -> set[int]:
    ids = {
        case.case_manager_id,
        case.investigating_officer_id,
        case.hearing_chair_id,
        case.signing_authority_id,
        case.appeal_chair_id,
        case.safeguarding_lead_id,
    }
    ids.update(case.suspensions.values_list("welfare_contact_id", flat=True))
    ids.update(case.hearings.values_list("chair_id", flat=True))
    ids.update(case.sign_offs.values_list("signed_by_id", flat=True))
    ids.discard(None)
    ids -= {case.reporter_id, *case.witnesses.values_list("pk", flat=True)}
    return ids


def _case_about(case: Case, person: StaffMember) -> tuple[dict, Redactor]:
    statements = list(case.statements.select_related("witness"))
    hearings = list(case.hearings.select_related("chair"))
    redact = Redactor(
        keep={person.pk, *_officials(case)},
        also=[
            *(s.witness_name for s in statements),
            *(h.companion_name for h in hearings),
            *(h.panel for h in hearings),
            *case.meetings.values_list("with_whom", flat=True),
            getattr(getattr(case, "lado_referral", None), "lado_name", ""),
        ],
    )
    lado = getattr(case, "lado_referral", None)
    report = getattr(case, "investigation_report", None)
    appeal = getattr(case, "appeal", None)
    low_level = getattr(case, "low_level_concern", None)
    record = {
        "reference": case.reference,
        "school": place_name(case.school),
        "raised_at": _moment(case.raised_at),
        "raised_by": "Withheld: the person who raised the concern is a third party.",
        "stage": case.get_status_display(),
        "what_was_reported": {
            "seen_on": _day(case.seen_on),
            "platform": case.get_platform_display(),
            "account": case.get_account_kind_display(),
            "what_was_seen": redact(case.what_was_seen),
            "links": case.links.splitlines(),
            "pupils_involved": case.get_pupils_involved_display(),
        },
        "policy": f"{case.policy.title}, version {case.policy.version}",
        "safeguarding": case.safeguarding,
        "people_acting_for_the_trust": {
            "case manager": _name(case.case_manager),
            "designated safeguarding lead": _name(case.safeguarding_lead),
            "investigating officer": _name(case.investigating_officer),
            "hearing chair": _name(case.hearing_chair),
            "signing authority": _name(case.signing_authority),
            "appeal chair": _name(case.appeal_chair),
        },
        "allegations": [
            {
                "number": a.number,
                "clause": a.clause.code,
                "clause_text": a.clause.text,
                "particulars": redact(a.particulars),
                "investigation_finding": a.get_investigation_finding_display(),
                "investigation_reasons": redact(a.investigation_reasons),
                "hearing_finding": a.get_hearing_finding_display(),
                "hearing_reasons": redact(a.hearing_reasons),
            }
            for a in case.allegations.select_related("clause")
        ],
        "terms_of_reference": redact(case.terms_of_reference),
        "investigation_meetings": [
            {
                "held_at": _moment(m.held_at),
                "location": m.location,
                "attended": redact(m.with_whom),
                "notes": redact(m.notes),
            }
            for m in case.meetings.all()
        ],
        "witness_statements": [
            {"taken_on": _day(s.taken_on), "witness": WITHHELD, "statement": redact(s.statement)}
            for s in statements
        ],
        "investigation_report": {
            "summary": redact(report.summary),
            "recommendation": report.get_recommendation_display(),
            "submitted_at": _moment(report.submitted_at),
        }
        if report
        else None,
        "suspensions": [
            {
                "started_on": _day(s.started_on),
                "ended_on": _day(s.ended_on),
                "reasons": redact(s.reasons),
                "alternatives_considered": redact(s.alternatives_considered),
                "conditions": redact(s.conditions),
                "welfare_contact": _name(s.welfare_contact),
                "reviews": [
                    {"reviewed_on": _day(r.reviewed_on), "notes": redact(r.notes)}
                    for r in s.reviews.all()
                ],
            }
            for s in case.suspensions.select_related("welfare_contact")
        ],
        "hearings": [
            {
                "kind": h.get_kind_display(),
                "chair": _name(h.chair),
                "starts_at": _moment(h.starts_at),
                "location": h.location,
                "panel": redact(h.panel),
                "companion": h.get_companion_kind_display(),
                "companion_name": redact(h.companion_name),
                "dismissal_possible": h.dismissal_possible,
                "change_reason": redact(h.change_reason),
            }
            for h in hearings
        ],
        "outcome": {
            "sanction": case.get_sanction_display() if case.sanction else None,
            "reasons": redact(case.decision_reasons),
            "issued_on": _day(case.outcome_issued_on),
            "warning_expires_on": _day(case.warning_expires_on),
            "warning_spent_on": _day(case.warning_spent_on),
            "appeal_deadline": _day(case.appeal_deadline),
        },
        "sign_offs": [
            {
                "by": _name(s.signed_by),
                "approved": s.approved,
                "comments": redact(s.comments),
                "decided_at": _moment(s.decided_at),
            }
            for s in case.sign_offs.select_related("signed_by")
        ],
        "appeal": {
            "lodged_on": _day(appeal.lodged_on),
            "grounds": redact(appeal.grounds),
            "outcome": appeal.get_outcome_display(),
            "reasons": redact(appeal.reasons),
        }
        if appeal
        else None,
        "lado_referral": {
            "referred_on": _day(lado.referred_on),
            "harm_threshold_reasons": redact(lado.harm_threshold_reasons),
            "police_involved": lado.police_involved,
            "outcome": lado.get_outcome_display(),
            "outcome_notes": redact(lado.outcome_notes),
        }
        if lado
        else None,
        "low_level_concern": {"rationale": redact(low_level.rationale)} if low_level else None,
        "history": [
            {"at": _moment(e.occurred_at), "by": redact(e.actor_label), "what": redact(e.summary)}
            for e in selectors.case_timeline(case)
        ],
        "closed_at": _moment(case.closed_at),
    }
    return record, redact


def _files_of(case: Case) -> list[tuple[str, str, str]]:
    """(folder, name to show, stored name) of every stored file of the case."""
    found = []
    for item in EvidenceFile.objects.filter(case=case):
        found.append(("evidence", item.original_name, str(item.file)))
    for relation in case._meta.related_objects:
        model = relation.related_model
        if model is EvidenceFile or relation.many_to_many or relation.one_to_one:
            continue
        if not file_fields(model) or relation.on_delete is models.DO_NOTHING:
            continue
        folder = str(model._meta.verbose_name_plural)
        for row in model._default_manager.filter(**{relation.field.name: case}):
            for stored in stored_names(row):
                found.append((folder, f"{row.pk}-{PurePath(stored).name}", stored))
    return found


def _add_files(archive: zipfile.ZipFile, prefix: str, case: Case, redact, review: list[str]):
    for folder, shown, stored in _files_of(case):
        try:
            with default_storage.open(stored, "rb") as handle:
                content = handle.read()
        except OSError:
            review.append(f"{prefix}{folder}/{shown}: the stored file is missing")
            continue
        path = f"{prefix}{folder}/{PurePath(shown).name}"
        if shown.lower().endswith(".txt"):
            content = redact(content.decode("utf-8", errors="replace")).encode()
        else:
            review.append(f"{path}: check for third parties' details before sending")
        archive.writestr(path, content)


def _json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Export:
    """A subject access export: the zip's bytes, and the files to check by hand before
    it is sent (pictures and PDFs cannot be redacted automatically)."""

    content: bytes
    files_to_review: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def build_export(person: StaffMember) -> Export:
    """The export for ``person``, in memory; recording it is the caller's (see
    casework.services.subject_access, which produces it from a logged request)."""
    review: list[str] = []
    buffer = io.BytesIO()
    everyone_else = Redactor(keep={person.pk})
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        user = person.user
        archive.writestr(
            "your-record.json",
            _json(
                {
                    "name": person.full_name,
                    "email": person.email,
                    "job_title": person.job_title,
                    "school": person.school.name if person.school_id else "Trust central team",
                    "kind": person.get_kind_display(),
                    "started_on": _day(person.started_on),
                    "left_on": _day(person.left_on),
                    "date_of_birth": _day(person.date_of_birth),
                    "casework_roles": [str(role) for role in person.roles.select_related("school")],
                    "sign_in": {
                        "email": user.email,
                        "active": user.is_active,
                        "joined": _moment(user.date_joined),
                        "last_sign_in": _moment(user.last_login),
                    }
                    if user
                    else None,
                }
            ),
        )
        for case in Case.objects.filter(subject=person).select_related("school", "policy"):
            record, redact = _case_about(case, person)
            prefix = f"cases-about-you/{case.reference}/"
            archive.writestr(f"{prefix}case.json", _json(record))
            _add_files(archive, prefix, case, redact, review)
        for case in Case.objects.filter(reporter=person).prefetch_related("suspected_clauses"):
            archive.writestr(
                f"concerns-you-raised/{case.reference}.json",
                _json(
                    {
                        "reference": case.reference,
                        "raised_at": _moment(case.raised_at),
                        "about": "Withheld: the colleague concerned is a third party.",
                        "status": selectors.reporter_status(case),
                        "seen_on": _day(case.seen_on),
                        "platform": case.get_platform_display(),
                        "account": case.get_account_kind_display(),
                        "what_you_saw": everyone_else(case.what_was_seen),
                        "links": case.links.splitlines(),
                        "parts_of_the_policy": [c.code for c in case.suspected_clauses.all()],
                        "confidentiality_requested": case.confidentiality_requested,
                    }
                ),
            )
        for statement in WitnessStatement.objects.filter(witness=person).select_related("case"):
            archive.writestr(
                f"statements-you-gave/{statement.case.reference}-{statement.pk}.json",
                _json(
                    {
                        "taken_on": _day(statement.taken_on),
                        "statement": everyone_else(statement.statement),
                    }
                ),
            )
        events = AuditEvent.objects.filter(
            Q(case__subject=person) | (Q(actor=user) if user else Q(pk__in=[]))
        ).order_by("id")
        archive.writestr(
            "audit-events.json",
            _json(
                [
                    {
                        "at": _moment(e.occurred_at),
                        "by": everyone_else(e.actor_label)
                        if e.actor_id != (user.pk if user else None)
                        else e.actor_label,
                        "action": e.action,
                        "case": e.case.reference if e.case else e.details.get("reference"),
                        "what": everyone_else(e.summary),
                        "from": e.client_address,
                    }
                    for e in events.select_related("case")
                ]
            ),
        )
        archive.writestr(
            "subject-access-requests.json",
            _json(
                [
                    {
                        "received_on": _day(r.received_on),
                        "received_by": r.get_received_via_display(),
                        "due_on": _day(r.due_on),
                        "extended_because": r.extension_reason or None,
                        "answered_on": _day(r.answered_on),
                    }
                    for r in person.subject_access_requests.order_by("received_on", "id")
                ]
            ),
        )
        archive.writestr("README.txt", _readme(person, review))
    return Export(content=buffer.getvalue(), files_to_review=tuple(review))


def _readme(person: StaffMember, review: list[str]) -> str:
    lines = [
        f"Subject access export for {person.full_name}",
        f"Written {timezone.localtime():%d %B %Y at %H:%M} by Casework.",
        "",
        "This is everything Casework holds about you. The names of other people (who raised",
        "a concern, witnesses, colleagues named in what was written) have been replaced with",
        f"“{WITHHELD}”. People who acted for the trust in your case are named.",
        "",
    ]
    if review:
        lines += [
            "FOR THE TRUST, BEFORE SENDING: these files could not be redacted automatically.",
            "Check each for other people's details:",
            *(f"  - {item}" for item in review),
        ]
    return "\n".join(lines) + "\n"
