"""Subject access requests: logged, answered from an export, and held to their deadline.

UK GDPR Article 12(3) and the ICO's guidance: a request is answered within one calendar
month (setting) of the day it was received, counted to the corresponding date of the next
month (its last day where it has none) and moved to the next working day when that is a
weekend or bank holiday. Where a request is complex the month can be extended by two more
(setting), with the reason recorded, provided the person is told within the first month.

Each step locks the request's row, is written with its audit event in one transaction,
and may be taken only by an HR case manager who is not too close to it.
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from casework import audit, clock, permissions
from casework.errors import NotAllowed, RuleBroken
from casework.models import RequestChannel, StaffMember, SubjectAccessRequest, User
from casework.records.storage import StoredFileChanged, files_removed_on_failure, read_verified
from casework.records.subject_access import build_export
from casework.workdays import Calendar, corresponding_date, procedure

logger = logging.getLogger(__name__)

EXPORTS_FOLDER = "subject-access"


def subject_access_due(received_on: datetime.date, *, extended: bool, trust: int) -> datetime.date:
    """The last day for ``trust`` to answer a request received on ``received_on``."""
    months = procedure("SUBJECT_ACCESS_MONTHS", trust=trust)
    if extended:
        months += procedure("SUBJECT_ACCESS_EXTENSION_MONTHS", trust=trust)
    # A trust-wide deadline: the trust's closure days count, no one school's.
    return Calendar(trust_id=trust).next_working_day(corresponding_date(received_on, months))


def _ensure_may_handle(request: SubjectAccessRequest | None, by: User | None) -> None:
    """``by`` None is the command line (manage.py export_subject_data), run by whoever
    administers the server."""
    if by is None:
        return
    if not permissions.may_handle_subject_access(by):
        raise NotAllowed("Subject access requests are handled by HR case managers.")
    if request is not None and request.person.trust_id != permissions.trust_of(by):
        raise NotAllowed("This request is another trust's.")
    if request is not None and permissions.too_close_to_subject_access(by, request):
        raise NotAllowed(
            "You are too close to this request (it is about you, or its export holds a case "
            "you are part of). Ask another HR case manager to handle it."
        )


def _locked(request: SubjectAccessRequest) -> SubjectAccessRequest:
    return SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)


def _record(
    request: SubjectAccessRequest, *, by: User | None, action: str, summary: str, **details
):
    audit.record(
        action=action,
        actor=by,
        target=request,
        summary=summary,
        details={"person": request.person_id, **details},
    )


@transaction.atomic
def log_subject_access_request(
    *,
    person: StaffMember,
    received_on: datetime.date,
    received_via: str,
    by: User,
    notes: str = "",
) -> SubjectAccessRequest:
    """Record a request as it arrived; its deadline runs from the day it was received."""
    _ensure_may_handle(None, by)
    if person.trust_id != permissions.trust_of(by):
        raise RuleBroken("Choose someone in your trust's workforce.")
    if permissions.person_of(by) == person:
        raise NotAllowed(
            "You cannot log a subject access request about yourself: another HR case manager "
            "must handle it."
        )
    if received_on > clock.today():
        raise RuleBroken("The day it was received cannot be in the future.")
    if received_via not in RequestChannel.values:
        raise RuleBroken("Say how the request arrived.")
    notes = notes.strip()
    if len(notes) > 2000:
        raise RuleBroken("Keep the notes to 2,000 characters.")
    request = SubjectAccessRequest(
        person=person,
        received_on=received_on,
        received_via=received_via,
        notes=notes,
        logged_by=by,
        due_on=subject_access_due(received_on, extended=False, trust=person.trust_id),
    )
    if permissions.too_close_to_subject_access(by, request):
        raise NotAllowed(
            "This request's export would hold a case you are part of, so another HR case "
            "manager must log and handle it. Nothing was recorded."
        )
    request.save()
    _record(
        request,
        by=by,
        action="subject_access.logged",
        summary=f"Subject access request logged for {person.full_name}, received "
        f"{received_on:%d %B %Y}, due {request.due_on:%d %B %Y}",
        received_on=received_on.isoformat(),
        due_on=request.due_on.isoformat(),
    )
    return request


@transaction.atomic
def extend_subject_access_deadline(
    *, request: SubjectAccessRequest, by: User, reason: str
) -> SubjectAccessRequest:
    """Extend the month by two (setting) for a complex request: once, with the reason, and
    only within the first month, when the person must be told of it."""
    request = _locked(request)
    _ensure_may_handle(request, by)
    if request.is_answered:
        raise RuleBroken("This request has been answered; its deadline no longer runs.")
    if request.is_extended:
        raise RuleBroken(
            f"The deadline has already been extended, to {request.due_on:%A %-d %B %Y}. It can "
            "be extended only once."
        )
    if not reason.strip():
        raise RuleBroken("Say why the request needs longer (for example, its complexity).")
    today = clock.today()
    if today > request.due_on:
        raise RuleBroken(
            f"The first deadline, {request.due_on:%A %-d %B %Y}, has passed: an extension must "
            "be decided, and the person told, within it. Answer the request as soon as you can."
        )
    first_due = request.due_on
    request.due_on = subject_access_due(
        request.received_on, extended=True, trust=request.person.trust_id
    )
    request.extended_at = clock.now()
    request.extended_by = by
    request.extension_reason = reason.strip()[:5000]
    request.save(update_fields=["due_on", "extended_at", "extended_by", "extension_reason"])
    _record(
        request,
        by=by,
        action="subject_access.extended",
        summary=f"Subject access deadline extended from {first_due:%d %B %Y} to "
        f"{request.due_on:%d %B %Y}",
        why=request.extension_reason,
    )
    return request


def produce_subject_access_export(
    *, request: SubjectAccessRequest, by: User | None
) -> SubjectAccessRequest:
    """Produce the export that answers the request (casework.records.subject_access) and keep it
    with the request; producing it again before the answer replaces the earlier one."""
    with transaction.atomic():
        request = _locked(request)
        _ensure_may_handle(request, by)
        if request.is_answered:
            raise RuleBroken(
                f"This request was answered on {request.answered_on:%d %B %Y}: the export sent "
                "then is the one kept."
            )
        export = build_export(request.person)
        previous = request.export_file.name if request.has_export else ""
        with files_removed_on_failure() as saver:
            name = saver.save(f"{EXPORTS_FOLDER}/{clock.today():%Y}", export.content, ".zip")
            request.export_file = name
            request.export_sha256 = export.sha256
            request.export_files_to_review = list(export.files_to_review)
            request.export_produced_at = clock.now()
            request.export_produced_by = by
            request.save(
                update_fields=[
                    "export_file",
                    "export_sha256",
                    "export_files_to_review",
                    "export_produced_at",
                    "export_produced_by",
                ]
            )
            _record(
                request,
                by=by,
                action="exported.subject_data",
                summary=f"Subject access export produced for {request.person.full_name}",
                sha256=export.sha256,
                files_to_review=len(export.files_to_review),
            )
        if previous:
            transaction.on_commit(lambda: default_storage.delete(previous))
        return request


def stored_export(request: SubjectAccessRequest) -> bytes:
    """The export as produced, checked against the hash recorded then."""
    try:
        return read_verified(request.export_file.name, request.export_sha256)
    except StoredFileChanged:
        logger.error("Subject access export %s no longer matches its SHA-256", request.pk)
        raise RuleBroken(
            "The stored export no longer matches what was produced, so it has not been served. "
            "Tell the system administrator."
        ) from None


def download_subject_access_export(*, request: SubjectAccessRequest, by: User) -> bytes:
    """The stored export for HR to check and send; every download is audited."""
    _ensure_may_handle(request, by)
    if not request.has_export:
        raise RuleBroken("No export has been produced for this request yet.")
    content = stored_export(request)
    _record(
        request,
        by=by,
        action="viewed.subject_access_export",
        summary=f"Subject access export downloaded for {request.person.full_name}",
    )
    return content


@transaction.atomic
def record_subject_access_answered(
    *, request: SubjectAccessRequest, by: User, answered_on: datetime.date
) -> SubjectAccessRequest:
    """The export went to the person: the request is answered and its deadline stops."""
    request = _locked(request)
    _ensure_may_handle(request, by)
    if request.is_answered:
        raise RuleBroken(f"This request was already answered, on {request.answered_on:%d %B %Y}.")
    if not request.has_export:
        raise RuleBroken("Produce the export first: the answer is the export, checked and sent.")
    produced_on = timezone.localdate(request.export_produced_at)
    if not produced_on <= answered_on <= clock.today():
        raise RuleBroken(
            f"Give the day it was sent: between {produced_on:%d %B %Y}, when the export was "
            "produced, and today."
        )
    request.answered_on = answered_on
    request.answered_by = by
    request.save(update_fields=["answered_on", "answered_by"])
    days_late = (answered_on - request.due_on).days
    _record(
        request,
        by=by,
        action="subject_access.answered",
        summary=f"Subject access request answered on {answered_on:%d %B %Y}"
        + (f", {days_late} day{pluralize(days_late)} after it was due" if days_late > 0 else ""),
        days_late=max(days_late, 0),
    )
    return request
