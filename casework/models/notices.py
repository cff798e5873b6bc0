"""Notices: what Casework tells one person inside the application.

E-mail says only that something waits in Casework (it is forwarded, and left open on
screens); what it is, is read here, after signing in.
"""

from django.db import models

from casework import clock

from .case import Case
from .people import StaffMember


class Notice(models.Model):
    recipient = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="notices")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notices_newest_first")]

    def __str__(self) -> str:
        return f"Notice to {self.recipient}"
