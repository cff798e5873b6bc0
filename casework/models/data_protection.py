"""The Data Protection Officer's decision on a possible personal data breach.

UK GDPR article 33: a personal data breach that is likely to put people's rights and
freedoms at risk is reported to the Information Commissioner's Office within 72 hours
(setting) of the trust becoming aware of it. Concerns about confidential information or
images of colleagues may be such a breach; the DPO decides, and the case goes on meanwhile.
"""

from django.db import models

from casework import clock

from .case import Case
from .people import StaffMember, User


class DpoDecision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dpo_decisions")
    prompted_by = models.CharField(
        max_length=300, help_text="What made it a possible breach, e.g. the clauses cited."
    )
    aware_at = models.DateTimeField(help_text="When the trust became aware of it.")
    due_at = models.DateTimeField(
        db_index=True, help_text="The ICO reporting window (clock hours, a setting) closes."
    )
    officer = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The Data Protection Officer it went to; empty while it waits for one.",
    )
    reportable = models.BooleanField("reportable to the ICO", null=True)
    reasons = models.TextField(blank=True)
    reported_at = models.DateTimeField("reported to the ICO at", null=True, blank=True)
    ico_reference = models.CharField("ICO reference", max_length=50, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["case_id", "aware_at", "pk"]
        verbose_name = "DPO decision"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_at__isnull=True) | models.Q(reportable__isnull=False),
                name="a_decision_says_whether_reportable",
            ),
            models.CheckConstraint(
                condition=models.Q(reportable=True) | models.Q(reported_at__isnull=True),
                name="only_a_reportable_breach_is_reported",
            ),
        ]

    def __str__(self) -> str:
        return f"DPO decision on {self.case}"

    @property
    def is_outstanding(self) -> bool:
        return self.decided_at is None

    @property
    def decided_late(self) -> bool:
        return self.decided_at is not None and self.decided_at > self.due_at
