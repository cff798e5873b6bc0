"""Days the trust or a school is closed, on top of England and Wales bank holidays."""

from django.db import models

from .people import School, Trust


class ClosureDay(models.Model):
    date = models.DateField()
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="closure_days")
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="Empty for a day the whole trust is closed.",
    )
    description = models.CharField(max_length=150)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "school"],
                condition=models.Q(school__isnull=False),
                name="one_closure_per_day_and_school",
            ),
            models.UniqueConstraint(
                fields=["trust", "date"],
                condition=models.Q(school__isnull=True),
                name="one_trust_closure_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.description}"
