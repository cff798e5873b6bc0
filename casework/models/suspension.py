"""Suspension: a neutral act, on full pay, as short as possible, reviewed regularly."""

from django.db import models

from casework import clock

from .case import Case
from .people import StaffMember, User


class Suspension(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    started_on = models.DateField()
    reasons = models.TextField()
    alternatives_considered = models.TextField(
        help_text="Acas: alternatives such as a temporary change of duties come first."
    )
    conditions = models.TextField(blank=True)
    welfare_contact = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    next_review_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"Suspension from {self.started_on}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class SuspensionReview(models.Model):
    suspension = models.ForeignKey(Suspension, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    notes = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on}"
