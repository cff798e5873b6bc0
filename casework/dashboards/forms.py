"""The dashboard's period."""

from __future__ import annotations

import datetime

from django import forms

from casework.forms import DateInput

from .figures import Period

# Casework holds no case from before it began; months far ahead hold none either.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class PeriodForm(forms.Form):
    start = forms.DateField(required=False, widget=DateInput, label="Raised from")
    end = forms.DateField(required=False, widget=DateInput, label="Raised to")

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Choose a date from {EARLIEST:%Y} to {LATEST:%Y}.")
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
