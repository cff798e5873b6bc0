"""The mail worker's one task: try to send one queued message."""

from __future__ import annotations

from django_tasks import task

from . import sending


@task()
def deliver(message_id: int) -> str:
    """One attempt at one message; what happened ("sent", "retrying", "failed", "skipped")."""
    return sending.attempt(message_id)
