"""Writing to, and checking, the audit trail."""

from __future__ import annotations

import contextvars
import datetime
import hmac
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from casework import clock

from .models import AuditChainHead, AuditEvent, User
from .models.audit import GENESIS_HASH, chain_for, keyed_digest

logger = logging.getLogger("casework.audit")

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
    trust_id: int | None = None,
) -> AuditEvent:
    """Append one event to its chain: the case's own, or the general one for no case.

    Runs inside the caller's transaction, so an action and its audit event are written
    together or not at all. The chain's head row is locked for the rest of that
    transaction, which keeps each chain a single line while writes on other cases go on.
    ``trust_id`` names the trust whose trail an event about no case is on where the actor
    does not say (a policy version a command adopted for one trust); otherwise it is the
    case's trust, or the acting person's.
    """
    case_id = case.pk if case is not None else None
    chain = chain_for(case_id)
    if trust_id is None:
        trust_id = _trust_of(case, actor)
    # No savepoint of its own: an event that cannot be written fails the caller's whole
    # transaction, so no action is ever kept without its event.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain)
        event = AuditEvent(
            occurred_at=clock.now(),
            actor=actor,
            actor_label=actor_label_for(actor)[:200],
            action=action,
            case_id=case_id,
            trust_id=trust_id,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            summary=without_nul(summary)[:300],
            details=without_nul(details or {}),
            client_address=_client_address.get(),
            chain=chain,
            sequence=head.length + 1,
            previous_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.length, head.last_hash = event.sequence, event.hash
        head.mac = head.compute_mac()
        AuditChainHead.objects.filter(pk=head.pk).update(
            length=head.length, last_hash=head.last_hash, mac=head.mac
        )
        return event


def _trust_of(case: Any, actor: User | None) -> int | None:
    """Whose trail an event is on: the case's trust, else the acting person's."""
    trust_id = getattr(case, "trust_id", None)
    if trust_id is not None:
        return trust_id
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    try:
        return actor.staff_member.trust_id
    except ObjectDoesNotExist:
        return None


def _locked_head(chain: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    start = AuditChainHead(chain=chain, length=0, last_hash=GENESIS_HASH)
    start.mac = start.compute_mac()
    try:
        with transaction.atomic():
            start.save()
    except IntegrityError:
        pass  # another request started this chain first
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def link_unsaved(events: list[AuditEvent]) -> None:
    """Chain many unsaved events (bulk data such as seed_scale), each to its chain in the
    order given, exactly as ``record`` would one by one, and move each chain's keyed head
    past them. Call it inside the transaction that then writes the events: the heads stay
    locked until it ends.

    Set each event's content (``case_id``, ``action``, ``summary``, ``occurred_at``, ...);
    its chain, place, links and hash are filled in here.
    """
    chains = sorted({chain_for(event.case_id) for event in events})
    heads = {chain: _locked_head(chain) for chain in chains}
    for event in events:
        head = heads[chain_for(event.case_id)]
        event.chain, event.sequence = head.chain, head.length + 1
        # Hashed as the database gives it back: in UTC.
        event.occurred_at = event.occurred_at.astimezone(datetime.UTC)
        event.previous_hash = head.last_hash
        event.actor_label = event.actor_label or actor_label_for(event.actor)[:200]
        event.summary = without_nul(event.summary)[:300]
        event.details = without_nul(event.details or {})
        event.hash = event.compute_hash()
        head.length, head.last_hash = event.sequence, event.hash
    for head in heads.values():
        head.mac = head.compute_mac()
    AuditChainHead.objects.bulk_update(
        list(heads.values()), ["length", "last_hash", "mac"], batch_size=2000
    )


def append_many(events: list[AuditEvent], *, batch_size: int = 2000) -> list[AuditEvent]:
    """Chain and write many unsaved events at once (see ``link_unsaved``)."""
    with transaction.atomic():
        link_unsaved(events)
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return events


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str
    chain: str = ""


def find_broken_links(*, sealed: dict[str, list] | None = None) -> Iterator[BrokenLink]:
    """Every event whose content or link to its predecessor no longer checks out, every
    chain whose head does not match its newest event, and, given the chains of a seal,
    every chain that no longer extends what was sealed."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    sealed = dict(sealed or {})
    walk = _ChainWalk(heads, sealed)
    for event in AuditEvent.objects.order_by("chain", "sequence").iterator(chunk_size=2000):
        yield from walk.step(event)
    yield from walk.finish()
    for head in heads.values():  # a chain whose every event was removed
        if head.length:
            yield BrokenLink(0, f"every event of chain {head.chain} was removed", head.chain)
    for chain, (length, _last_hash) in sealed.items():
        if length:
            yield BrokenLink(
                0, f"chain {chain} had {length} events when sealed; none remain", chain
            )


class _ChainWalk:
    """Follows the events chain by chain, in order, checking each link as it goes."""

    def __init__(self, heads: dict[str, AuditChainHead], sealed: dict[str, list]):
        self.heads, self.sealed = heads, sealed
        self.chain: str | None = None
        self.length, self.last_hash = 0, GENESIS_HASH

    def step(self, event: AuditEvent) -> Iterator[BrokenLink]:
        if event.chain != self.chain:
            yield from self.finish()
            self.chain, self.length, self.last_hash = event.chain, 0, GENESIS_HASH
        if event.sequence != self.length + 1 or event.previous_hash != self.last_hash:
            yield BrokenLink(event.id, "does not follow the event before it", event.chain)
        elif event.compute_hash() != event.hash:
            yield BrokenLink(event.id, "was changed after it was written", event.chain)
        seal = self.sealed.get(event.chain)
        if seal is not None and event.sequence == seal[0] and event.hash != seal[1]:
            yield BrokenLink(event.id, "is not the event that was sealed", event.chain)
        self.length, self.last_hash = event.sequence, event.hash

    def finish(self) -> Iterator[BrokenLink]:
        chain = self.chain
        if chain is None:
            return
        self.chain = None
        head = self.heads.pop(chain, None)
        if head is None:
            yield BrokenLink(0, f"chain {chain} has no head: its events were inserted", chain)
        elif head.mac != head.compute_mac():
            yield BrokenLink(0, f"the head of chain {chain} was changed", chain)
        elif (head.length, head.last_hash) != (self.length, self.last_hash):
            yield BrokenLink(0, f"the newest events of chain {chain} were removed", chain)
        seal = self.sealed.pop(chain, None)
        if seal is not None and self.length < seal[0]:
            yield BrokenLink(
                0,
                f"chain {chain} had {seal[0]} events when sealed; {self.length} remain",
                chain,
            )


# --- Seals: keyed checkpoints of every chain head, kept outside the database ---------------

SEAL_FORMAT = 1


def chain_heads() -> dict[str, tuple[int, str]]:
    """Every chain's length and newest hash, as the events themselves say."""
    heads: dict[str, tuple[int, str]] = {}
    for head in AuditChainHead.objects.order_by("chain").iterator(chunk_size=5000):
        heads[head.chain] = (head.length, head.last_hash)
    return heads


def seal_content(*, sealed_at: str, heads: dict[str, tuple[int, str]]) -> dict:
    return {
        "format": SEAL_FORMAT,
        "sealed_at": sealed_at,
        "events": sum(length for length, _ in heads.values()),
        "chains": {chain: [length, last] for chain, (length, last) in sorted(heads.items())},
    }


def write_seal() -> tuple[Path, dict]:
    """Seal every chain's head: a keyed file under CASEWORK_AUDIT_SEAL_DIR, and the log."""
    sealed_at = timezone.now()
    content = seal_content(sealed_at=sealed_at.isoformat(), heads=chain_heads())
    seal = {**content, "mac": keyed_digest(content)}
    folder = seal_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"seal-{sealed_at:%Y%m%dT%H%M%S%fZ}.json"
    temporary = path.with_suffix(".partial")
    temporary.write_text(json.dumps(seal, indent=1, sort_keys=True))
    temporary.replace(path)  # a seal is whole or absent
    logger.info(
        "Audit trail sealed: %s events in %s chains, seal %s",
        content["events"],
        len(content["chains"]),
        seal["mac"],
    )
    return path, seal


def seal_folder() -> Path:
    """Where this database's seals are kept: a folder of its own under the seal folder, so
    that two databases (a copy, the test suite's) never check against each other's seals."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        name = Path(name).stem
    return Path(settings.CASEWORK_AUDIT_SEAL_DIR) / re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def latest_seal() -> tuple[Path, dict] | None:
    folder = seal_folder()
    seals = sorted(folder.glob("seal-*.json")) if folder.is_dir() else []
    if not seals:
        return None
    return seals[-1], json.loads(seals[-1].read_text())


def seal_checks_out(seal: dict) -> bool:
    """Whether ``seal`` was written with this audit key and not changed since."""
    content = {key: value for key, value in seal.items() if key != "mac"}
    return hmac.compare_digest(str(seal.get("mac", "")), keyed_digest(content))
