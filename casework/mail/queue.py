"""Putting messages on the queue, and HR's view of those that could not be sent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from casework import audit, permissions
from casework.errors import NotAllowed, RuleBroken
from casework.models import Case, Letter, MailStatus, OutgoingMail, StaffMember, User
from casework.trusts import configuration

from .tasks import enqueue_after_commit


def send_after_commit(
    *,
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    case: Case | None = None,
    letter: Letter | None = None,
) -> OutgoingMail | None:
    """Queue one e-mail, written with the work in hand and sent once it is committed.

    ``case`` is what the message concerns (its failure is recorded on that case's trail);
    ``letter`` is attached as its PDF when the message is sent.
    """
    addresses = sorted({address for address in to if address})
    if not addresses:
        return None
    case = case if case is not None else (letter.case if letter is not None else None)
    message = OutgoingMail.objects.create(
        to=addresses,
        reply_to=list(reply_to or []),
        subject=subject[:200],
        body=body,
        case=case,
        trust_id=case.trust_id if case is not None else _trust_of_recipients(addresses),
        letter=letter,
    )
    enqueue_after_commit(message.pk)
    return message


def _trust_of_recipients(addresses: list[str]) -> int | None:
    """The trust of whoever the message goes to, for mail about no case (a reminder, a
    notice): each is sent to one trust's people."""
    return (
        StaffMember.objects.filter(email__in=addresses).values_list("trust_id", flat=True).first()
    )


def failed_messages(
    user: User, *, before: int | None = None, limit: int = 50
) -> QuerySet[OutgoingMail]:
    """The messages that could not be sent, newest first, a page at a time (keyset: those
    older than ``before``). Each says whether the case it concerns is one ``user`` is too
    close to (``hidden``): then its page shows neither the case nor the letter's title."""
    person = permissions.person_of(user)
    messages = OutgoingMail.objects.filter(
        configuration.of_trust(permissions.trust_of(user)), status=MailStatus.FAILED
    )
    if before is not None:
        messages = messages.filter(pk__lt=before)
    too_close = (
        Case.objects.involving(person).filter(pk=OuterRef("case_id"))
        if person is not None
        else Case.objects.filter(pk=OuterRef("case_id"))
    )
    return (
        messages.select_related("case", "letter")
        .annotate(hidden=Exists(too_close))
        .order_by("-id")[:limit]
    )


def long_waiting(user: User, *, limit: int = 50) -> tuple[int, list[OutgoingMail]]:
    """The reader's trust's messages still waiting to be sent long after they were queued
    (how many, and the oldest few): they mean the mail worker is not running, or cannot
    keep up."""
    cutoff = timezone.now() - datetime.timedelta(minutes=settings.CASEWORK_MAIL["STALE_MINUTES"])
    waiting = OutgoingMail.objects.filter(
        configuration.of_trust(permissions.trust_of(user)),
        status=MailStatus.QUEUED,
        queued_at__lt=cutoff,
    )
    return waiting.count(), list(waiting.order_by("queued_at")[:limit])


def resend(*, message: OutgoingMail, by: User) -> OutgoingMail:
    """HR sends a failed message again: it gets the full number of attempts once more."""
    if not permissions.may_see_failed_mail(by):
        raise NotAllowed("Only HR case managers may send failed e-mail again.")
    with transaction.atomic():
        message = OutgoingMail.objects.select_for_update().get(pk=message.pk)
        if not OutgoingMail.objects.filter(
            configuration.of_trust(permissions.trust_of(by)), pk=message.pk
        ).exists():
            raise NotAllowed("This e-mail is another trust's.")
        if message.status != MailStatus.FAILED:
            raise RuleBroken("This e-mail is no longer failed: it was sent again already.")
        if message.case_id is not None and not permissions.can_view_case(by, message.case):
            raise NotAllowed("You are too close to the case this e-mail concerns.")
        message.status = MailStatus.QUEUED
        message.attempts = 0
        message.failed_at = None
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "failed_at", "next_attempt_at"])
        audit.record(
            action="mail.resent",
            actor=by,
            case=message.case,
            target=message,
            summary=f"{message.what} e-mail put back on the queue to be sent again",
            details={"mail": message.pk},
        )
        enqueue_after_commit(message.pk)
    return message
