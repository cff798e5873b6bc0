"""Reminders sent about deadlines: one row per thing, threshold and deadline.

The row is the record that a reminder went, and its unique constraint is what makes it go
once: a rerun of the daily job, or two runs at the same moment, find the row already there
and send nothing.
"""

from django.db import models
from django.utils import timezone


class ReminderSubject(models.TextChoices):
    TASK = "task", "A task on a case"
    SUSPENSION_REVIEW = "suspension_review", "A suspension review"
    LADO_REFERRAL = "lado_referral", "A LADO referral"
    DPO_DECISION = "dpo_decision", "The DPO's decision on reporting a breach"
    SUBJECT_ACCESS = "subject_access", "A subject access request"


class ReminderThreshold(models.TextChoices):
    DUE_NEXT = "due_next", "Due on the next working day"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ESCALATED = "escalated", "Overdue long enough to tell HR's lead"


class SentReminder(models.Model):
    subject = models.CharField(max_length=20, choices=ReminderSubject.choices)
    object_id = models.PositiveBigIntegerField(help_text="The task, suspension, referral, ...")
    threshold = models.CharField(max_length=10, choices=ReminderThreshold.choices)
    due = models.DateTimeField(
        help_text="The deadline reminded of: if it moves, the new one is reminded of afresh."
    )
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object_id", "threshold", "due"],
                name="one_reminder_per_deadline_and_threshold",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_threshold_display()}: {self.get_subject_display()} {self.object_id}"
