"""Writing to, and checking, the audit trail."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction

from casework import clock

from .models import AuditChainHead, AuditEvent, User

GENESIS_HASH = "0" * 64

# The client address of the request being served, set by AuditContextMiddleware, so that
# services record it without every caller having to pass it along.
_client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "casework_client_address", default=None
)


def set_client_address(address: str | None) -> contextvars.Token:
    return _client_address.set(address)


def reset_client_address(token: contextvars.Token) -> None:
    _client_address.reset(token)


def actor_label_for(user: User | None) -> str:
    if user is None:
        return "Casework (automatic)"
    person = getattr(user, "staff_member", None)
    return person.full_name if person else (user.get_full_name() or user.email)


def without_nul(value: Any) -> Any:
    """``value`` with each NUL byte written out as \\x00: what a person typed or asked for
    is kept as they sent it, and PostgreSQL stores no NUL byte in text or JSON."""
    if isinstance(value, str):
        return value.replace("\x00", "\\x00")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(item) for item in value]
    return value


def record(
    *,
    action: str,
    summary: str,
    actor: User | None,
    case: Any = None,
    target: models.Model | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the trail, chained to the one before it.

    Runs inside the caller's transaction, so an action and its audit event are written
    together or not at all. The chain head row is locked for the rest of that transaction,
    which keeps the chain a single line when requests write at the same time.
    """
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # a fresh database: start the chain
            try:
                with transaction.atomic():
                    AuditChainHead.objects.create(pk=1, last_hash=GENESIS_HASH)
            except IntegrityError:
                pass  # another request started it first
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            occurred_at=clock.now(),
            actor=actor,
            actor_label=actor_label_for(actor)[:200],
            action=action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            summary=without_nul(summary)[:300],
            details=without_nul(details or {}),
            client_address=_client_address.get(),
            previous_hash=head.last_hash,
        )
        if case is not None:
            event.case_id = case.pk
        event.hash = event.compute_hash()
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash)
        return event


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str


def find_broken_links() -> Iterator[BrokenLink]:
    """Every event whose content or link to its predecessor no longer checks out."""
    previous_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous_hash:
            yield BrokenLink(event.id, "does not follow the event before it")
        elif event.compute_hash() != event.hash:
            yield BrokenLink(event.id, "was changed after it was written")
        previous_hash = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous_hash:
        yield BrokenLink(0, "the newest events were removed")
