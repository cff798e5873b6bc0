"""What the trust decided about a concern's clauses, kept so clause suggestions learn from it.

Each row says: this concern's description was tied to this clause, by a reporter who
confirmed it or by HR framing an allegation, and whether a suggestion was followed. The
description itself is not copied: it is read from the case, so a case erased or
anonymised under the retention schedule takes its examples with it.
"""

from django.db import models

from casework import clock

from .case import Allegation, Case
from .people import User
from .policy import Clause


class ClauseExample(models.Model):
    class Source(models.TextChoices):
        REPORTER = "reporter", "Confirmed by the reporter"
        ALLEGATION = "allegation", "Framed as an allegation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clause_examples")
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices)
    allegation = models.OneToOneField(
        Allegation, on_delete=models.CASCADE, null=True, blank=True, related_name="example"
    )
    offered = models.JSONField(
        default=list, blank=True, help_text="The clause codes suggested first, best first."
    )
    followed = models.BooleanField(
        null=True,
        help_text="Whether the clause was one of those suggested; empty when none were shown.",
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "clause"],
                condition=models.Q(source="reporter"),
                name="one_reporter_example_per_clause",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.clause.code} ({self.get_source_display()})"
