"""The mail worker's one task, trying to send one queued message, and handing a message
to the worker once the work in hand is committed."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from casework.models import MailStatus, OutgoingMail

from . import sending

logger = logging.getLogger(__name__)


@task()
def deliver(message_id: int) -> str:
    """One attempt at one message; what happened ("sent", "retrying", "failed", "skipped")."""
    outcome, retry_at = sending.attempt(message_id)
    if retry_at is not None:
        enqueue_after_commit(message_id, run_after=retry_at)
    return outcome


def enqueue_after_commit(message_id: int, *, run_after: datetime.datetime | None = None) -> None:
    """Hand the message to the worker once the current transaction commits. A failure to
    queue it never undoes the committed work: the message is left failed, for HR to see."""
    transaction.on_commit(lambda: _enqueue(message_id, run_after), robust=True)


def _enqueue(message_id: int, run_after: datetime.datetime | None) -> None:
    queued = deliver
    if run_after is not None and queued.get_backend().supports_defer:
        queued = queued.using(run_after=run_after)
    try:
        queued.enqueue(message_id=message_id)
    except Exception as error:
        logger.exception("E-mail %s could not be put on the queue", message_id)
        OutgoingMail.objects.filter(pk=message_id, status=MailStatus.QUEUED).update(
            status=MailStatus.FAILED,
            failed_at=timezone.now(),
            last_error=f"Could not be put on the queue: {type(error).__name__}"[:500],
        )
