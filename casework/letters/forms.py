"""What HR fills in to prepare a letter; the rules about those inputs live in the kinds."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils import timezone

from casework import clock
from casework.forms import DateInput, TimeInput
from casework.models import Case, DeliveryMethod, LetterKind

from .kinds import (
    Kind,
    reviews_to_write_about,
    statutory_notice_weeks,
    suspensions_to_write_about,
)


class LetterForm(forms.Form):
    """A letter's inputs, with what previewing and issuing carry between requests."""

    # The digest of the draft on screen: only exactly that draft is issued.
    digest = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(
        required=False,
        label="I have read the draft and it is ready to issue",
        help_text="An issued letter cannot be changed; a corrected one replaces it.",
    )

    def __init__(self, *args, case: Case, spec: Kind, **kwargs):
        self.case = case
        self.spec = spec
        super().__init__(*args, **kwargs)
        # The confirmation goes last, after whatever the letter needs.
        self.order_fields([name for name in self.fields if name != "confirm"] + ["confirm"])

    def inputs(self) -> dict:
        """The letter's inputs for casework.services.letters (the form's own fields only)."""
        data = self.cleaned_data if self.is_bound else self.initial
        return {
            name: data.get(name)
            for name in self.fields
            if name not in ("digest", "confirm") and data.get(name) not in (None, "")
        }


class InvestigationMeetingForm(LetterForm):
    meeting_on = forms.DateField(label="Date of the meeting", widget=DateInput)
    meeting_at = forms.TimeField(label="Time", widget=TimeInput)
    location = forms.CharField(
        label="Place", max_length=200, help_text="e.g. Meeting room 2, St Clare House"
    )

    def inputs(self) -> dict:
        if not self.is_bound:
            return {}
        data = self.cleaned_data
        meets_at = timezone.make_aware(
            datetime.datetime.combine(data["meeting_on"], data["meeting_at"])
        )
        return {"meets_at": meets_at, "location": data["location"]}


class SuspensionForm(LetterForm):
    suspension = forms.ModelChoiceField(queryset=None, label="Suspension", empty_label=None)
    current = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suspension"].queryset = suspensions_to_write_about(
            self.case, current=self.current
        )
        self.fields["suspension"].label_from_instance = lambda s: (
            f"From {s.started_on:%d %B %Y}"
            + (f" to {s.ended_on:%d %B %Y}" if s.ended_on else " (current)")
        )


class SuspensionLiftedForm(SuspensionForm):
    current = False


class SuspensionReviewForm(LetterForm):
    review = forms.ModelChoiceField(queryset=None, label="Review", empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = reviews_to_write_about(self.case)
        self.fields["review"].label_from_instance = lambda r: (
            f"Reviewed on {r.reviewed_on:%d %B %Y}"
        )


class DismissalWithNoticeForm(LetterForm):
    notice_weeks = forms.IntegerField(
        label="Notice (weeks)",
        min_value=1,
        max_value=52,
        help_text="At least the statutory minimum for their service; their contract may give more.",
    )
    pay_in_lieu = forms.BooleanField(
        label="Pay in lieu of notice (employment ends on the day the outcome is issued)",
        required=False,
    )
    last_day = forms.DateField(
        label="Last day of employment",
        widget=DateInput,
        required=False,
        help_text="When notice is worked: the day the notice runs out or later.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice_weeks"].initial = max(
            1, statutory_notice_weeks(self.case.subject.started_on, clock.today())
        )


FORMS: dict[str, type[LetterForm]] = {
    LetterKind.INVESTIGATION_MEETING: InvestigationMeetingForm,
    LetterKind.SUSPENSION: SuspensionForm,
    LetterKind.SUSPENSION_REVIEW: SuspensionReviewForm,
    LetterKind.SUSPENSION_LIFTED: SuspensionLiftedForm,
    LetterKind.DISMISSAL_WITH_NOTICE: DismissalWithNoticeForm,
}


def form_class_for(spec: Kind) -> type[LetterForm]:
    return FORMS.get(spec.kind, LetterForm)


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label="How", choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    delivered_on = forms.DateField(
        label="Handed over or posted on",
        widget=DateInput,
        required=False,
        help_text="Not needed for e-mail: it is sent now.",
    )
    notes = forms.CharField(
        label="Note",
        max_length=300,
        required=False,
        help_text="e.g. handed over at the hearing; first class, signed for.",
    )
    # One per form as it was shown: sending the same form twice records (and e-mails) once.
    submission_token = forms.CharField(
        required=False, widget=forms.HiddenInput, max_length=64, initial=uuid.uuid4
    )

    def clean_submission_token(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.cleaned_data["submission_token"])
        except ValueError:
            return None

    def clean(self):
        data = super().clean()
        if data.get("method") in (DeliveryMethod.HAND, DeliveryMethod.POST) and not data.get(
            "delivered_on"
        ):
            self.add_error("delivered_on", "Give the day it was handed over or posted.")
        return data
