"""Existing audit events moved into the keyed chains, after the old chain is checked.

The old single chain (plain SHA-256) is verified first: a trail that no longer checks out
is not re-keyed, since re-keying it would hide what was done to it. Each event then takes
its place in its case's chain (or the general one) in the order it was written, and is
linked by HMAC under CASEWORK_AUDIT_KEY, as casework.models.audit does for new events.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

GENESIS_HASH = "0" * 64
BATCH = 2000


def _canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def _content(event) -> dict:
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "case": event.case_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "details": event.details,
        "client_address": event.client_address,
    }


def _keyed(content: dict) -> str:
    key = settings.CASEWORK_AUDIT_KEY.encode()
    return hmac.new(key, _canonical(content), hashlib.sha256).hexdigest()


def rechain(apps, schema_editor):
    AuditEvent = apps.get_model("casework", "AuditEvent")
    AuditChainHead = apps.get_model("casework", "AuditChainHead")
    old_head = AuditChainHead.objects.filter(chain__isnull=True).first()
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        old = hashlib.sha256(_canonical({"previous_hash": event.previous_hash, **_content(event)}))
        if event.previous_hash != previous or old.hexdigest() != event.hash:
            raise RuntimeError(
                f"The audit trail does not check out at audit event {event.id}: it is not "
                "re-keyed. Restore it from a backup, then migrate."
            )
        previous = event.hash
    if old_head is not None and old_head.last_hash != previous:
        raise RuntimeError(
            "The audit trail's newest events were removed: it is not re-keyed. Restore it "
            "from a backup, then migrate."
        )

    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # the append-only trigger, set aside for this one transaction
        schema_editor.execute(
            "ALTER TABLE casework_auditevent DISABLE TRIGGER casework_auditevent_append_only"
        )
    heads: dict[str, tuple[int, str]] = {}
    batch = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        chain = "general" if event.case_id is None else f"case-{event.case_id}"
        length, last_hash = heads.get(chain, (0, GENESIS_HASH))
        event.chain, event.sequence, event.previous_hash = chain, length + 1, last_hash
        event.hash = _keyed(
            {
                "chain": chain,
                "sequence": event.sequence,
                "previous_hash": last_hash,
                **_content(event),
            }
        )
        heads[chain] = (event.sequence, event.hash)
        batch.append(event)
        if len(batch) >= BATCH:
            AuditEvent.objects.bulk_update(batch, ["chain", "sequence", "previous_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["chain", "sequence", "previous_hash", "hash"])
    if postgres:
        schema_editor.execute(
            "ALTER TABLE casework_auditevent ENABLE TRIGGER casework_auditevent_append_only"
        )
    AuditChainHead.objects.all().delete()
    AuditChainHead.objects.bulk_create(
        [
            AuditChainHead(
                chain=chain,
                length=length,
                last_hash=last_hash,
                mac=_keyed({"head": chain, "length": length, "last_hash": last_hash}),
            )
            for chain, (length, last_hash) in heads.items()
        ],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [("casework", "0021_audit_chains")]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop)]
