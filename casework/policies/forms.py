"""Forms of the policy import: the upload, and HR's review of what was found."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from casework.forms import DateInput

from .importing import FigureCheck, max_bytes
from .parsing import Proposal, ProposedClause
from .proposals import SUMMARY_MAX
from .reading import READABLE_DESCRIPTION
from .review import DROP, KEEP, MERGE, Decision


class PolicyUploadForm(forms.Form):
    document = forms.FileField(
        label="The policy document",
        help_text="",
        error_messages={"required": "Choose the policy document to import."},
    )
    version = forms.CharField(
        max_length=20,
        label="Version number",
        help_text="How cases and letters will cite this version, e.g. 2026.1.",
        error_messages={"required": "Give the version a number, e.g. 2026.1."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = (
            f"{READABLE_DESCRIPTION[:1].upper()}{READABLE_DESCRIPTION[1:]}, up to "
            f"{filesizeformat(max_bytes())}. Nothing is stored until you have checked what "
            "was found and confirmed it."
        )
        self.fields["document"].widget.attrs["accept"] = ".txt,.docx,.pdf"


class PolicyFactsForm(forms.Form):
    """The facts found in the document, as HR confirms or completes them."""

    title = forms.CharField(max_length=300, label="Title")
    adopted_by = forms.CharField(max_length=200, label="Adopted by")
    adopted_on = forms.DateField(widget=DateInput, label="Adopted on")
    reviewed_by = forms.CharField(max_length=200, required=False, label="Reviewed by")
    reviewed_on = forms.DateField(widget=DateInput, required=False, label="Reviewed on")
    next_review_by = forms.CharField(max_length=200, required=False, label="Next review by")
    next_review_due = forms.DateField(widget=DateInput, label="Next review due by")

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict:
        return {name: getattr(proposal, name) for name in cls.base_fields}


class ClauseDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (KEEP, "Keep as a general standard"),
            (MERGE, "Merge into the general standard above"),
            (DROP, "Drop: not a clause"),
        ],
        widget=forms.RadioSelect,
        label="This paragraph",
    )
    summary = forms.CharField(
        max_length=SUMMARY_MAX,
        required=False,
        label="In plain English",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    safeguarding = forms.BooleanField(required=False, label="Safeguarding")
    data_protection = forms.BooleanField(required=False, label="Data protection")

    def __init__(self, *args, clause: ProposedClause, **kwargs):
        super().__init__(*args, **kwargs)
        self.clause = clause
        if clause.kind != "GEN":
            # A list item is the policy's own: always kept.
            self.fields["action"].choices = [(KEEP, "Keep")]
            self.fields["action"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("action") == KEEP and not (data.get("summary") or "").strip():
            self.add_error("summary", "Give a plain-English summary of the clause.")
        return data

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            action=data["action"],
            summary=data.get("summary") or "",
            safeguarding=data.get("safeguarding", False),
            data_protection=data.get("data_protection", False),
        )


def clause_forms(proposal: Proposal, data=None) -> list[ClauseDecisionForm]:
    return [
        ClauseDecisionForm(
            data,
            clause=clause,
            prefix=f"clause-{index}",
            initial={
                "action": KEEP if clause.proposed else DROP,
                "summary": clause.summary,
                "safeguarding": clause.safeguarding,
                "data_protection": clause.data_protection,
            },
        )
        for index, clause in enumerate(proposal.clauses)
    ]


class FigureConfirmationForm(forms.Form):
    """One tick box for each number the policy now states differently."""

    def __init__(self, *args, checks: list[FigureCheck], **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = [check for check in checks if check.changed]
        for check in self.checks:
            figure = check.found.figure
            self.fields[check.found.name] = forms.BooleanField(
                required=True,
                label=(
                    f"Use {check.found.value} {figure.unit} for cases raised under this version "
                    f"({check.found.code}); Casework uses {check.current} {figure.unit} today"
                ),
                help_text=f"{figure.label}: {figure.description}.",
                error_messages={
                    "required": (
                        f"{check.found.code} says {check.found.value} {figure.unit}: confirm "
                        "the new figure, or correct the document and upload it again."
                    )
                },
            )

    def confirmed(self) -> dict[str, int]:
        return {
            check.found.name: check.found.value
            for check in self.checks
            if self.cleaned_data.get(check.found.name)
        }
