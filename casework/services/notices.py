"""Telling someone something inside Casework: a notice to read after signing in, and an
e-mail that says only that something waits there."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from casework import notifications
from casework.models import Case, Notice, StaffMember


def tell(*, person: StaffMember, text: str, case: Case | None = None) -> Notice | None:
    """Leave ``person`` a notice; nobody who has left or cannot sign in is told anything."""
    if not person.can_sign_in:
        return None
    notice = Notice.objects.create(recipient=person, case=case, text=text)
    notifications.something_waits(
        recipients=[person.user], path=reverse("casework:notices"), case=case
    )
    return notice


def mark_read(*, person: StaffMember) -> int:
    """The person has seen their notices."""
    return Notice.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
