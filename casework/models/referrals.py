"""Referrals to the regulators, and settlements: what the trust decided, when and why.

KCSIE Part 4: if someone is removed from regulated activity (or would have been) for harm,
a referral to the Disclosure and Barring Service is a legal duty; for a teacher dismissed for
serious misconduct a referral to the Teaching Regulation Agency must be considered. A
settlement agreement never prevents either. When each question must be answered is
``casework.services.referrals``' to say.
"""

from django.db import models
from django.db.models import Q

from casework import clock

from .case import Case
from .people import User


class ReferralBody(models.TextChoices):
    DBS = "dbs", "Disclosure and Barring Service"
    TRA = "tra", "Teaching Regulation Agency"


class ReferralDecision(models.Model):
    """One decision on referring the case to one body: made (when, with what reference) or
    not made (why). A later decision about the same body replaces it; both are kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referral_decisions")
    body = models.CharField(max_length=10, choices=ReferralBody.choices)
    made = models.BooleanField()
    made_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    reasons = models.TextField(
        blank=True, help_text="Why no referral was made; for a referral made, any notes."
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["case", "body"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(made=False) | (Q(made_on__isnull=False) & ~Q(reference="")),
                name="a_referral_made_has_its_date_and_reference",
            ),
            models.CheckConstraint(
                condition=Q(made=True) | ~Q(reasons=""),
                name="a_referral_not_made_has_its_reasons",
            ),
        ]

    def __str__(self) -> str:
        made = "made" if self.made else "not made"
        return f"{self.get_body_display()} referral {made} ({self.case})"


class SettlementKind(models.TextChoices):
    SETTLEMENT_AGREEMENT = "settlement_agreement", "Settlement agreement"
    AGREED_DEPARTURE = "agreed_departure", "Agreed departure"


class Settlement(models.Model):
    """The subject leaves by agreement. The case and its referral questions go on."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="settlement")
    kind = models.CharField(max_length=30, choices=SettlementKind.choices)
    agreed_on = models.DateField()
    leaves_on = models.DateField()
    terms = models.TextField(help_text="What was agreed, in outline.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.case}"
