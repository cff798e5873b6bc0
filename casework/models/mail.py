"""Outgoing e-mail: every message Casework sends waits here until the mail worker has sent
it, so that no page waits on the mail server (casework/mail).

A message is written in the same transaction as the work it tells of, and handed to the
task queue only once that work is committed. The worker tries it a set number of times;
one it gives up on stays here, failed, for HR to see and send again.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .case import Case
from .letters import Letter


class MailStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class OutgoingMail(models.Model):
    to = models.JSONField(help_text="The addresses it goes to.")
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # What the message concerns: its failure goes on that case's audit trail. Left empty
    # where even that would say too much (a DPO's breach decision).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="outgoing_mail"
    )
    # Whose mail it is: the case's trust, or the recipients'. Empty for mail queued before
    # one installation served several trusts (the first trust's).
    trust = models.ForeignKey(
        "casework.Trust", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A letter e-mailed to its recipient: its PDF is attached, read and checked against its
    # hash when the message is sent.
    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="outgoing_mail"
    )
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "outgoing e-mail"
        verbose_name_plural = "outgoing e-mail"
        indexes = [
            # HR's list of failed messages, newest first, a page at a time.
            models.Index(fields=["-id"], condition=Q(status="failed"), name="outgoing_mail_failed"),
            # Messages still waiting long after they were queued: a sign the worker is down.
            models.Index(
                fields=["queued_at"], condition=Q(status="queued"), name="outgoing_mail_waiting"
            ),
        ]

    def __str__(self) -> str:
        return f"E-mail {self.pk} ({self.get_status_display().lower()})"

    @property
    def what(self) -> str:
        return "Letter" if self.letter_id else "Notification"
