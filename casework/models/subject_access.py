"""Subject access requests (UK GDPR Article 15), kept as records with their deadlines.

HR logs a request as it arrives: who it is about, the day it was received and how. Its
deadline is worked out then (one calendar month, extendable by two with a recorded
reason), the export that answers it is produced from it, and the day it was answered
closes it. Each step is in the audit trail.
"""

from django.db import models

from casework import clock

from .people import StaffMember, User


class RequestChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    TELEPHONE = "telephone", "Telephone"
    OTHER = "other", "Another way"


class SubjectAccessRequestQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_on__isnull=True)


class SubjectAccessRequest(models.Model):
    person = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="subject_access_requests",
        help_text="Who the request is about (the person asking for their own data).",
    )
    received_on = models.DateField(help_text="The day the trust received the request.")
    received_via = models.CharField(max_length=20, choices=RequestChannel.choices)
    notes = models.TextField(blank=True, help_text="What they asked for, if more than usual.")
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=clock.now)

    due_on = models.DateField(help_text="The last day to answer (moved on when extended).")
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extension_reason = models.TextField(blank=True)

    export_file = models.FileField(max_length=200, blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True)
    export_files_to_review = models.JSONField(default=list, blank=True)
    export_produced_at = models.DateTimeField(null=True, blank=True)
    # None with a produced_at: produced from the command line (manage.py export_subject_data).
    export_produced_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        # HR's list: unanswered requests first, the next deadline at the top; then answered
        # ones, the latest first (PostgreSQL sorts NULL first in a descending index).
        ordering = [models.F("answered_on").desc(nulls_first=True), "due_on", "id"]
        indexes = [
            models.Index(fields=["-answered_on", "due_on", "id"], name="subject_access_list"),
        ]

    def __str__(self) -> str:
        return f"Subject access request of {self.received_on:%d %B %Y}"

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    @property
    def has_export(self) -> bool:
        return bool(self.export_file)
