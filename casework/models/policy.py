"""The Workforce Social Media Policy, held as versioned data.

A case cites one policy version and each allegation one clause of it, so adopting a new
version never changes what an old case cites. Versions are loaded from a fixture or
imported from the trust's document (casework/policies), never edited.
"""

from django.db import models
from django.db.models import Q

from .people import Trust


class PolicyManager(models.Manager):
    def get_by_natural_key(self, trust_name, version):
        return self.get(trust__name=trust_name, version=version)


class Policy(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="policies")
    title = models.CharField(max_length=300)
    version = models.CharField(max_length=20)
    mission_statement = models.TextField(blank=True)
    adopted_by = models.CharField(max_length=200)
    adopted_on = models.DateField(help_text="The policy gives a month; stored as its first day.")
    reviewed_by = models.CharField(max_length=200, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    next_review_by = models.CharField(max_length=200, blank=True)
    next_review_due = models.DateField(
        help_text="The policy gives a month; stored as its last day, when the review is late."
    )
    consequence = models.TextField(
        blank=True, help_text="What follows a breach; a consequence, not a clause."
    )
    is_current = models.BooleanField(default=False)
    figures = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Numbers of the procedure this version states, by setting name, e.g. "
            '{"FORMER_PUPIL_CONTACT_YEARS": 3}: cases raised under it follow them.'
        ),
    )

    objects = PolicyManager()

    class Meta:
        verbose_name_plural = "policies"
        ordering = ["-adopted_on"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "version"], name="one_policy_per_version"),
            models.UniqueConstraint(
                fields=["trust"], condition=Q(is_current=True), name="one_current_policy_per_trust"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def natural_key(self):
        return (*self.trust.natural_key(), self.version)

    natural_key.dependencies = ["casework.trust"]


class ClauseManager(models.Manager):
    def get_by_natural_key(self, trust_name, version, code):
        return self.get(policy__trust__name=trust_name, policy__version=version, code=code)


class Clause(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "GEN", "General standard"
        DO = "DO", "Do"
        DO_NOT = "DONT", "Do not"

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="clauses")
    code = models.CharField(max_length=10)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="Exactly as written in the policy.")
    summary = models.CharField(max_length=300, help_text="A plain-English summary.")
    safeguarding = models.BooleanField(
        default=False, help_text="A breach may put a child at risk: the safeguarding route."
    )
    data_protection = models.BooleanField(
        default=False, help_text="A breach may be a personal data breach: tell the DPO."
    )

    objects = ClauseManager()

    class Meta:
        ordering = ["policy_id", "order"]  # by column, as the unique index is: no join
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="one_clause_per_code"),
            models.UniqueConstraint(fields=["policy", "order"], name="one_clause_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.summary}"

    def natural_key(self):
        return (*self.policy.natural_key(), self.code)

    natural_key.dependencies = ["casework.policy"]
