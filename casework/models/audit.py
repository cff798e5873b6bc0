"""The audit trail: append-only, in chains, each event keyed to the one before it.

Each case has a chain of its own, and events about no case share one more, so writes on
different cases never wait for each other. Each link is an HMAC with a key kept outside
the database (``CASEWORK_AUDIT_KEY``), so whoever can rewrite the tables still cannot
recompute a chain unseen; ``manage.py seal_audit`` writes a keyed checkpoint of every
chain's head outside the database, against which a deleted tail or a truncation shows.

Events are written only by ``casework.audit.record``. The ORM refuses to change or delete
them, and on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE as well.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KT

from casework import clock


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")

    _raw_delete = delete


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # deactivate sign-ins, never delete them
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(
        max_length=200, help_text="Who acted, as they were known at the time."
    )
    action = models.CharField(max_length=60, db_index=True)
    # No database constraint: the trail outlives a case erased under the retention rules.
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    # Whose trail it is: the case's trust, or the acting person's. Empty for events written
    # before one installation served several trusts (they belong to the first trust), and
    # for events of no trust (a superuser's, a sign-in attempt by an unknown address).
    trust = models.ForeignKey(
        "casework.Trust",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    # "case-<id>" for a case's events, GENERAL_CHAIN for the rest; numbered from 1.
    chain = models.CharField(max_length=40)
    sequence = models.PositiveBigIntegerField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case", "id"]),
            models.Index(fields=["trust", "id"], name="audit_event_by_trust"),
            # The audit log's search by case reference, for refusals that name it in details.
            models.Index(KT("details__reference"), name="audit_event_reference"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_event_chain_link")
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: an event, once written, is never rewritten.
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")

    def compute_hash(self) -> str:
        """The HMAC-SHA256, under the audit key, of this event's content and place in its
        chain (the previous event's hash included)."""
        content = {
            "chain": self.chain,
            "sequence": self.sequence,
            "previous_hash": self.previous_hash,
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "case": self.case_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "summary": self.summary,
            "details": self.details,
            "client_address": self.client_address,
        }
        # The trust is keyed too where an event has one; events from before trusts were
        # told apart keep the content they were keyed with.
        if self.trust_id is not None:
            content["trust"] = self.trust_id
        return link_hash(content)


GENERAL_CHAIN = "general"
GENESIS_HASH = "0" * 64


def chain_for(case_id: int | None) -> str:
    return GENERAL_CHAIN if case_id is None else f"case-{case_id}"


def keyed_digest(content: dict) -> str:
    """HMAC-SHA256 under the audit key of ``content`` written canonically."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    key = settings.CASEWORK_AUDIT_KEY.encode()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


link_hash = keyed_digest


class AuditChainHead(models.Model):
    """The newest link of one chain; locking it keeps that chain a single line.

    The head is keyed too, so a chain cut short cannot be given a matching head without
    the key (a head copied from before is caught by the seal).
    """

    chain = models.CharField(max_length=40, unique=True)
    length = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain}: {self.length} events, {self.last_hash}"

    def compute_mac(self) -> str:
        return keyed_digest(
            {"head": self.chain, "length": self.length, "last_hash": self.last_hash}
        )
