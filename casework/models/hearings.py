"""Hearings, the headteacher's sign-off, and appeals."""

from django.db import models

from casework import clock

from .case import Case, Sanction
from .people import StaffMember, User


class CompanionKind(models.TextChoices):
    NONE = "none", "Not accompanied"
    COLLEAGUE = "colleague", "A work colleague"
    UNION = "union", "A trade union representative"


class Attendance(models.TextChoices):
    """Whether the person the hearing is about came to it (Acas Code paras 24-25)."""

    ATTENDED = "attended", "Attended"
    SAID_WOULD_NOT = "said_would_not", "Did not attend, having said they would not"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class HearingQuerySet(models.QuerySet):
    def current(self, kind: str) -> "Hearing | None":
        """The hearing of ``kind`` arranged last: a rearrangement replaces the one before."""
        return self.filter(kind=kind).order_by("-arranged_at", "-id").first()


class Hearing(models.Model):
    """One arrangement of a hearing; rescheduling adds a new one and keeps the old."""

    class Kind(models.TextChoices):
        DISCIPLINARY = "disciplinary", "Disciplinary hearing"
        APPEAL = "appeal", "Appeal hearing"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    chair = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200)
    panel = models.CharField(max_length=300, blank=True)
    notice_given_on = models.DateField()
    companion_kind = models.CharField(
        max_length=10, choices=CompanionKind.choices, default=CompanionKind.NONE
    )
    companion_name = models.CharField(max_length=150, blank=True)
    dismissal_possible = models.BooleanField(default=False)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    postponed_for_companion = models.BooleanField(default=False)
    postponed_for_subject = models.BooleanField(
        default=False, help_text="Moved because the person it is about could not attend."
    )
    change_reason = models.TextField(blank=True)
    # Recorded by the chair with the decision: who came, and why it went ahead if they did not.
    subject_attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    companion_attended = models.BooleanField(
        null=True, blank=True, help_text="Empty when no companion was named."
    )
    attendance_notes = models.TextField(blank=True)
    arranged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    arranged_at = models.DateTimeField(default=clock.now)

    objects = HearingQuerySet.as_manager()

    class Meta:
        ordering = ["arranged_at", "id"]
        indexes = [
            # The hearings calendar: a week or a month of hearings, in order.
            models.Index(fields=["starts_at"], name="hearing_calendar"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d %b %Y %H:%M}"

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= clock.now()

    @property
    def held_in_absence(self) -> bool:
        return self.subject_attendance in (Attendance.SAID_WOULD_NOT, Attendance.DID_NOT_ATTEND)


class SignOff(models.Model):
    """The signing authority's decision on the chair's outcome."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sign_offs")
    signed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    role_title = models.CharField(max_length=100)
    approved = models.BooleanField()
    comments = models.TextField(blank=True)
    sanction = models.CharField(max_length=30, choices=Sanction.choices)
    decided_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{'Approved' if self.approved else 'Returned'} by {self.signed_by}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Original decision upheld"
    SANCTION_REDUCED = "sanction_reduced", "Sanction reduced"
    REVOKED = "revoked", "Sanction revoked"


class Appeal(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="appeal")
    lodged_on = models.DateField()
    grounds = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    original_sanction = models.CharField(max_length=30, choices=Sanction.choices)
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    new_sanction = models.CharField(max_length=30, choices=Sanction.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Appeal in {self.case}"
