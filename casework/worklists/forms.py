"""The worklist's filters, kept in the address so a filtered list can be bookmarked."""

from django import forms

from casework.models import School

from .selectors import DUE_CHOICES


class WorklistFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.order_by("name"), required=False, empty_label="Any school"
    )
    task = forms.ChoiceField(required=False, label="Task")
    due = forms.ChoiceField(required=False, choices=DUE_CHOICES, label="Due")

    def __init__(self, *args, trust: int | None, task_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The schools of the reader's own trust only.
        self.fields["school"].queryset = School.objects.filter(trust_id=trust).order_by("name")
        seen = {}
        for kind in task_kinds:
            seen.setdefault(kind.ref, kind.title)
        self.fields["task"].choices = [("", "Any task"), *seen.items()]

    def filters(self) -> dict:
        """The filters as chosen; none when nothing (or nothing valid) was."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}
