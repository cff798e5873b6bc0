"""The audit trail: append-only, each event chained to the one before by its hash.

Events are written only by ``casework.audit.record``. The ORM refuses to change or delete
them, and on PostgreSQL a trigger refuses UPDATE and DELETE as well, so that
``manage.py verify_audit`` can tell when a row was altered behind the application's back.
"""

import hashlib
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
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case", "id"]),
            # The audit log's search by case reference, for refusals that name it in details.
            models.Index(KT("details__reference"), name="audit_event_reference"),
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
        """The SHA-256 of this event's content and the previous event's hash."""
        content = {
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
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row holding the newest event's hash; locking it keeps the chain a single line."""

    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash
