"""What an investigation gathers: evidence, meetings, statements and the report."""

from django.db import models

from casework import clock

from .case import Case
from .people import StaffMember, User


class EvidenceFile(models.Model):
    """An uploaded file: stored under a random name, outside anything served directly."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class InvestigationMeeting(models.Model):
    """A fact-finding meeting; not disciplinary, so no statutory right to a companion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField()
    location = models.CharField(max_length=200)
    with_whom = models.CharField(max_length=200)
    notes = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"Meeting with {self.with_whom}"


class WitnessStatement(models.Model):
    """Third-party data: redacted from subject access exports."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statements")
    witness = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    witness_name = models.CharField(
        max_length=200, help_text="For a witness outside the workforce.", blank=True
    )
    taken_on = models.DateField()
    statement = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["taken_on"]

    def __str__(self) -> str:
        return f"Statement of {self.witness or self.witness_name}"


class Recommendation(models.TextChoices):
    NO_CASE_TO_ANSWER = "no_case_to_answer", "No case to answer"
    INFORMAL = "informal", "Informal management advice"
    HEARING = "hearing", "A disciplinary hearing"


class InvestigationReport(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="investigation_report")
    summary = models.TextField()
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"Investigation report for {self.case}"
