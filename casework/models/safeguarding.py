"""The safeguarding overlay (KCSIE Part 4): LADO referrals and the low-level concerns log."""

from django.db import models
from django.utils import timezone

from .case import Case
from .people import School, StaffMember, User


class LadoOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", "Substantiated"
    FALSE = "false", "False"
    MALICIOUS = "malicious", "Malicious"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    UNFOUNDED = "unfounded", "Unfounded"


class SafeguardingDecision(models.TextChoices):
    REFER_TO_LADO = "refer_to_lado", "Harm threshold met: refer to the LADO"
    LOW_LEVEL_CONCERN = "low_level_concern", "Below the harm threshold: log a low-level concern"
    INVESTIGATION = "investigation", "Not for the LADO, but investigate as conduct"
    NOT_SAFEGUARDING = "not_safeguarding", "Not a safeguarding matter: back to HR triage"
    CONTINUE = "continue", "Not for the LADO: the case goes back to where it was"


class SafeguardingReview(models.Model):
    """The DSL's decision on the harm threshold: who decided, what, and why.

    Whoever decided it may not chair the hearing or the appeal: the chair must come to the
    case fresh (Acas Code para 6).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safeguarding_reviews")
    decision = models.CharField(max_length=30, choices=SafeguardingDecision.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"Safeguarding review of {self.case}"


class LadoReferral(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="lado_referral")
    due_on = models.DateField(
        help_text="The LADO referral deadline (a procedure setting, in working days) after the "
        "concern reached the DSL."
    )
    harm_threshold_reasons = models.TextField()
    referred_on = models.DateField(null=True, blank=True)
    lado_reference = models.CharField(max_length=50, blank=True)
    lado_name = models.CharField("LADO contacted", max_length=150, blank=True)
    police_involved = models.BooleanField(default=False)
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    outcome = models.CharField(max_length=20, choices=LadoOutcome.choices, blank=True)
    outcome_recorded_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"LADO referral for {self.case}"


class LowLevelConcern(models.Model):
    """Kept apart from disciplinary records to reveal patterns; not cited in references."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="low_level_concern")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rationale = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["-recorded_at", "-id"], name="low_level_log"),
            models.Index(fields=["school", "-recorded_at", "-id"], name="low_level_log_by_school"),
        ]

    def __str__(self) -> str:
        return f"Low-level concern {self.case}"
