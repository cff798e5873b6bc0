"""The dashboard's period."""

from __future__ import annotations

from django import forms

from casework.forms import DateInput

from .figures import Period


class PeriodForm(forms.Form):
    start = forms.DateField(required=False, widget=DateInput, label="Raised from")
    end = forms.DateField(required=False, widget=DateInput, label="Raised to")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must not be before its start.")
        return data

    def period(self) -> Period:
        """The period chosen, or the last twelve months when none (or none valid) was."""
        default = Period.default()
        if not self.is_bound or not self.is_valid():
            return default
        return Period(
            start=self.cleaned_data.get("start") or default.start,
            end=self.cleaned_data.get("end") or default.end,
        )
