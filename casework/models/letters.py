"""Letters: issued PDFs, kept exactly as they were sent, and how each reached its recipient.

An issued letter is an immutable record: its PDF is stored once, with its SHA-256, and the
row is never rewritten. Issuing a letter again makes a new one that names the letter it
supersedes; both are kept. Deliveries are recorded alongside, one row per delivery.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models
from django.db.models import Exists, OuterRef

from casework import clock

from .case import Case, Sanction
from .hearings import SignOff
from .people import StaffMember, User


class LetterKind(models.TextChoices):
    INVESTIGATION_MEETING = "investigation_meeting", "Investigation meeting invitation"
    SUSPENSION = "suspension", "Suspension"
    SUSPENSION_REVIEW = "suspension_review", "Suspension review"
    SUSPENSION_LIFTED = "suspension_lifted", "Suspension lifted"
    HEARING_INVITATION = "hearing_invitation", "Disciplinary hearing invitation"
    OUTCOME = "outcome", "Outcome"
    DISMISSAL_WITH_NOTICE = "dismissal_with_notice", "Dismissal with notice"
    SUMMARY_DISMISSAL = "summary_dismissal", "Summary dismissal"
    APPEAL_INVITATION = "appeal_invitation", "Appeal hearing invitation"
    APPEAL_OUTCOME = "appeal_outcome", "Appeal outcome"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


# A volunteer is not an employee: their letters speak of meetings about the volunteering
# arrangement, not of disciplinary hearings.
VOLUNTEER_TITLES = {
    LetterKind.HEARING_INVITATION: "Invitation to a meeting about the volunteering arrangement",
    LetterKind.APPEAL_INVITATION: "Appeal meeting invitation",
}


_erasing = contextvars.ContextVar("casework_letters_erased_under_retention", default=False)


@contextmanager
def erasure_under_retention() -> Iterator[None]:
    """Letters may be deleted only inside this: the retention schedule erasing a case.
    On PostgreSQL the letter table's trigger allows DELETE only while it is set."""
    token = _erasing.set(True)
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('casework.erasure', 'retention', true)")
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('casework.erasure', '', true)")
        _erasing.reset(token)


def _refuse_deletion() -> None:
    if not _erasing.get():
        raise PermissionError(
            "An issued letter is never deleted, only erased with its case under the retention "
            "schedule."
        )


class LetterQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("An issued letter never changes: issue a new one instead.")

    def delete(self):
        _refuse_deletion()
        return super().delete()

    def _raw_delete(self, using):
        _refuse_deletion()
        return super()._raw_delete(using)

    def with_supersession(self):
        """Each letter with ``is_superseded``: whether a later letter replaced it."""
        return self.annotate(
            is_superseded=Exists(Letter._base_manager.filter(supersedes=OuterRef("pk")))
        )

    def current(self):
        return self.exclude(Exists(Letter._base_manager.filter(supersedes=OuterRef("pk"))))


class LetterManager(models.Manager.from_queryset(LetterQuerySet)):
    def get_queryset(self):
        return super().get_queryset().with_supersession().select_related("issued_by")


class Letter(models.Model):
    # The letter's wording follows who it is for: a volunteer is not an employee.
    Audience = StaffMember.Kind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    # What the letter is about within its kind (e.g. one suspension, one review): a letter
    # supersedes the current letter of the same kind and topic.
    topic = models.CharField(max_length=40, blank=True)
    # PROTECT: a letter that another supersedes, or a sign-off a letter was issued under,
    # is removed only after the letters that refer to it (retention removes all together).
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    sanction = models.CharField(max_length=30, choices=Sanction.choices, blank=True)
    sign_off = models.ForeignKey(
        SignOff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The approval an outcome letter was issued under.",
    )
    inputs = models.JSONField(
        default=dict, blank=True, help_text="What was given when the letter was prepared."
    )
    dated = models.DateField(help_text="The date printed on the letter.")
    file = models.FileField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    template_name = models.CharField(max_length=100)
    template_version = models.CharField(max_length=100)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=clock.now)

    objects = LetterManager()

    class Meta:
        ordering = ["issued_at", "id"]
        indexes = [models.Index(fields=["case", "kind", "topic"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter, {self.dated:%d %B %Y}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: what was sent is what is kept.
        if self.pk is not None:
            raise PermissionError("An issued letter never changes: issue a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_deletion()
        return super().delete(*args, **kwargs)

    @property
    def title(self) -> str:
        """The kind as the recipient would name it, e.g. "Outcome" for a volunteer."""
        if self.kind == LetterKind.OUTCOME and self.sanction:
            return f"Outcome: {Sanction(self.sanction).label.lower()}"
        if self.audience == self.Audience.VOLUNTEER and self.kind in VOLUNTEER_TITLES:
            return VOLUNTEER_TITLES[self.kind]
        return self.get_kind_display()


class DeliveryMethod(models.TextChoices):
    EMAIL = "email", "E-mailed, with the PDF attached"
    HAND = "hand", "Handed over in person"
    POST = "post", "Posted"


class LetterDelivery(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    method = models.CharField(max_length=10, choices=DeliveryMethod.choices)
    to_address = models.EmailField(blank=True, help_text="For e-mail: where it was sent.")
    delivered_on = models.DateField()
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    # The one-time token of the form it was recorded from: the same form sent twice (a double
    # click, Back and send again) is this delivery, not a second e-mail.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name_plural = "letter deliveries"

    def __str__(self) -> str:
        return f"{self.get_method_display()} on {self.delivered_on:%d %B %Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A delivery, once recorded, is not rewritten.")
        super().save(*args, **kwargs)
