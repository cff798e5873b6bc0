"""One attempt at sending one message, run by the worker outside any request.

The message is claimed and its attempt counted in a short transaction of its own, sent with
no transaction open (so no lock is held while the mail server is slow), and its outcome
recorded afterwards: sent; or tried again after a wait that doubles each time; or, after
the last attempt, failed, with an event on the audit trail of the case it concerns.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from casework import audit
from casework.models import MailStatus, OutgoingMail
from casework.records.storage import StoredFileChanged, read_verified

logger = logging.getLogger(__name__)


class CannotBeSent(Exception):
    """A message that no further attempt could send (its letter's file has changed)."""


def retry_wait(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed attempt before the next one."""
    return datetime.timedelta(
        seconds=settings.CASEWORK_MAIL["RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    )


def attempt(message_id: int) -> tuple[str, datetime.datetime | None]:
    """What happened ("sent", "retrying", "failed" or "skipped"), and when to try again."""
    message = _claim(message_id)
    if message is None:
        return "skipped", None
    try:
        _send(message)
    except CannotBeSent as error:
        _give_up(message, str(error))
        return "failed", None
    except Exception as error:
        logger.warning(
            "E-mail %s, attempt %s of %s, could not be sent: %s",
            message.pk,
            message.attempts,
            settings.CASEWORK_MAIL["ATTEMPTS"],
            type(error).__name__,
        )
        reason = f"{type(error).__name__}: {error}".strip().rstrip(":")
        if message.attempts >= settings.CASEWORK_MAIL["ATTEMPTS"]:
            _give_up(message, reason)
            return "failed", None
        return "retrying", _try_again(message, reason)
    _sent(message)
    return "sent", None


def _claim(message_id: int) -> OutgoingMail | None:
    """The message, its attempt counted, if it still waits to be sent."""
    with transaction.atomic():
        message = (
            OutgoingMail.objects.select_for_update(of=("self",))
            .select_related("letter", "case")
            .filter(pk=message_id, status=MailStatus.QUEUED)
            .first()
        )
        if message is None:  # sent, or given up, already (a duplicate run)
            return None
        message.attempts += 1
        message.next_attempt_at = None
        message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def _send(message: OutgoingMail) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=list(message.to),
        reply_to=list(message.reply_to) or None,
    )
    letter = message.letter
    if letter is not None:
        try:
            content = read_verified(letter.file.name, letter.sha256)
        except StoredFileChanged:
            logger.error("Letter %s no longer matches its recorded SHA-256", letter.pk)
            raise CannotBeSent(
                "The letter's stored file no longer matches what was issued, so it was not sent."
            ) from None
        email.attach(f"letter-{letter.dated:%Y-%m-%d}.pdf", content, "application/pdf")
    # The timeout (EMAIL_TIMEOUT) bounds every wait on the mail server.
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    connection.send_messages([email])


def _sent(message: OutgoingMail) -> None:
    with transaction.atomic():
        message.status = MailStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        # Once sent, what it said is not kept: a password-reset link, for one, still works.
        message.body = ""
        message.save(update_fields=["status", "sent_at", "last_error", "body"])
        letter = message.letter
        if letter is not None:
            audit.record(
                action="letter.emailed",
                actor=None,
                case=letter.case,
                target=letter,
                summary=(
                    f"Letter e-mailed to {', '.join(message.to)}: {letter.title} of "
                    f"{letter.dated:%d %B %Y}"
                ),
                details={"letter": letter.pk, "mail": message.pk},
            )


def _try_again(message: OutgoingMail, reason: str) -> datetime.datetime:
    message.last_error = reason[:500]
    message.next_attempt_at = timezone.now() + retry_wait(message.attempts)
    message.save(update_fields=["last_error", "next_attempt_at"])
    return message.next_attempt_at


def _give_up(message: OutgoingMail, reason: str) -> None:
    with transaction.atomic():
        message.status = MailStatus.FAILED
        message.failed_at = timezone.now()
        message.last_error = reason[:500]
        message.save(update_fields=["status", "failed_at", "last_error"])
        if message.case_id is not None:
            letter = message.letter
            # Names no recipient: the case's timeline is read by everyone on the case.
            summary = (
                f"Letter could not be e-mailed: {letter.title} of {letter.dated:%d %B %Y}. "
                "Send it again from Failed e-mail, or hand it over or post it."
                if letter is not None
                else "A notification e-mail could not be sent. Send it again from Failed e-mail."
            )
            audit.record(
                action="mail.failed",
                actor=None,
                case=message.case,
                target=message,
                summary=f"{summary} ({message.attempts} attempts)",
                details={"mail": message.pk, "attempts": message.attempts},
            )
    logger.error("E-mail %s could not be sent after %s attempts", message.pk, message.attempts)
