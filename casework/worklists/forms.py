"""The worklist's and the archive's filters, kept in the address so a filtered list can be
bookmarked."""

from django import forms

from casework.models import School

from .selectors import DONE_CHOICES, DUE_CHOICES


class TaskFilterForm(forms.Form):
    task = forms.ChoiceField(required=False, label="Task")

    def __init__(self, *args, task_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        seen = {}
        for kind in task_kinds:
            seen.setdefault(kind.ref, kind.title)
        self.fields["task"].choices = [("", "Any task"), *seen.items()]

    def filters(self) -> dict:
        """The filters as chosen; none when nothing (or nothing valid) was."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}


class WorklistFilterForm(TaskFilterForm):
    school = forms.ModelChoiceField(
        queryset=School.objects.order_by("name"), required=False, empty_label="Any school"
    )
    due = forms.ChoiceField(required=False, choices=DUE_CHOICES, label="Due")
    field_order = ("school", "task", "due")

    def __init__(self, *args, trust: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        # The schools of the reader's own trust only.
        self.fields["school"].queryset = School.objects.filter(trust_id=trust).order_by("name")


class ArchiveFilterForm(TaskFilterForm):
    done = forms.ChoiceField(required=False, choices=DONE_CHOICES, label="Done")
