"""Sending reminders once each: the row is claimed, then the e-mail sent, in one transaction.

Two runs at once both try to insert the same row; the database's unique constraint lets one
in and makes the other wait for it, then fail: only the run that inserted the row sends the
e-mail. An e-mail that cannot be sent rolls its row back, so the next run tries again.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework import notifications
from casework.models import SentReminder

from .due import Due, reminders_due


def already_sent(reminder: Due) -> bool:
    return SentReminder.objects.filter(
        subject=reminder.subject,
        object_id=reminder.object_id,
        threshold=reminder.threshold,
        due=reminder.due,
    ).exists()


def _send_once(reminder: Due, *, now: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                subject=reminder.subject,
                object_id=reminder.object_id,
                threshold=reminder.threshold,
                due=reminder.due,
                recipients=len(reminder.to),
                sent_at=now,
            )
            notifications.something_waiting(to=list(reminder.to), link=reminder.link)
    except IntegrityError:
        return False  # another run sent it first
    return True


def send_reminders(*, now: datetime.datetime | None = None, dry_run: bool = False) -> list[Due]:
    """Send every reminder due at ``now`` not sent before; the ones sent (or, with
    ``dry_run``, the ones that would be), in order."""
    now = now or timezone.now()
    sent = []
    for reminder in reminders_due(now=now):
        if already_sent(reminder):
            continue
        if dry_run or _send_once(reminder, now=now):
            sent.append(reminder)
    return sent
