"""Forms translate HTTP into service arguments; the rules live in services."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import URLValidator
from django.utils import timezone

from .evidence import ACCEPTED_DESCRIPTION
from .models import (
    AccountKind,
    AppealOutcome,
    Clause,
    CompanionKind,
    Finding,
    LadoOutcome,
    Platform,
    PupilsInvolved,
    Recommendation,
    Role,
    RoleAssignment,
    School,
    StaffMember,
    Status,
)
from .permissions import conflicted_ids
from .responsibility import chair_exclusions
from .suggestions.widgets import SuggestedClauses, offered_from


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That e-mail address and password do not match a Casework sign-in. "
            "Check both and try again, or reset your password."
        ),
        "inactive": "This sign-in has been switched off. Ask your HR team for help.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "username"}
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def reasons_field(label: str = "Reasons", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, help_text=help_text
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: StaffMember) -> str:
        where = person.school.name if person.school_id else "Trust central team"
        volunteer = ", volunteer" if person.is_volunteer else ""
        return f"{person.full_name} — {person.job_title}{volunteer}, {where}"


class ClauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, clause: Clause) -> str:
        return f"{clause.code}: {clause.summary}"

    def _check_values(self, value):
        # A value no database id can be is refused here, not handed to the database.
        for pk in value:
            if not str(pk).isdigit() or len(str(pk)) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


# --- Raising a concern ----------------------------------------------------------------------


class ConcernForm(forms.Form):
    subject = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        label="Who is the concern about?",
        help_text="A member of staff or a volunteer of the trust. You cannot choose yourself.",
    )
    school = forms.ModelChoiceField(
        queryset=School.objects.all(),
        label="Which school does it concern?",
        help_text="Usually the school where they work.",
    )
    seen_on = forms.DateField(
        label="When was it posted or seen?",
        widget=DateInput,
        help_text="An approximate date is fine.",
    )
    platform = forms.ChoiceField(choices=Platform.choices, label="Platform")
    platform_other = forms.CharField(
        required=False, max_length=100, label="If another platform, which?"
    )
    account_kind = forms.ChoiceField(
        choices=AccountKind.choices, widget=forms.RadioSelect, label="Whose account was it on?"
    )
    what_was_seen = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        label="What did you see?",
        help_text="Describe it as exactly as you can: what was posted or said, and by whom.",
    )
    links = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        label="Links",
        help_text="Web addresses of the posts, one per line.",
    )
    evidence = MultipleFileField(
        required=False,
        label="Evidence files",
        help_text=f"Screenshots or documents. Accepted: {ACCEPTED_DESCRIPTION}.",
    )
    suspected_clauses = ClauseChoiceField(
        queryset=Clause.objects.none(),
        required=False,
        widget=SuggestedClauses,
        label="Which parts of the policy may have been breached?",
        help_text="Optional. Choose any that seem to apply, or tick “not sure”.",
    )
    clauses_not_sure = forms.BooleanField(required=False, label="I am not sure which parts apply")
    pupils_involved = forms.ChoiceField(
        choices=PupilsInvolved.choices, widget=forms.RadioSelect, label="Are any pupils involved?"
    )
    pupil_left_on = forms.DateField(
        required=False,
        widget=DateInput,
        label="If a former pupil, when did they leave the school?",
        help_text="An approximate date is fine.",
    )
    personal_data_shared = forms.BooleanField(
        required=False,
        label="It shows a colleague's picture, or personal or confidential information about "
        "someone",
        help_text="If so, the trust's Data Protection Officer is told: they decide within 72 "
        "hours whether it must be reported to the Information Commissioner.",
    )
    confidentiality_requested = forms.BooleanField(
        required=False,
        label="I ask that my identity is kept confidential as far as the procedure allows",
        help_text=(
            "HR will protect your identity wherever it can, but if the matter goes to a "
            "hearing the person concerned may be entitled to see the evidence."
        ),
    )

    def __init__(self, *args, reporter: StaffMember, policy, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["subject"].queryset = (
            StaffMember.objects.exclude(pk=reporter.pk)
            .exclude(left_on__lte=today)
            .select_related("school")
            .order_by("last_name", "first_name")
        )
        self.fields["suspected_clauses"].queryset = policy.clauses.order_by("order")
        if reporter.school_id and not self.is_bound:
            self.initial.setdefault("school", reporter.school_id)

    def clean_links(self) -> list[str]:
        validate = URLValidator(schemes=["http", "https"])
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        for link in links:
            try:
                validate(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{link[:80]}” is not a web address. Give one address per line, starting "
                    "with https://."
                ) from None
        return links

    def clean(self):
        data = super().clean()
        if data.get("pupils_involved") == PupilsInvolved.FORMER and not data.get("pupil_left_on"):
            self.add_error("pupil_left_on", "Give the date the former pupil left, even roughly.")
        if (
            data.get("platform") == Platform.OTHER
            and not (data.get("platform_other") or "").strip()
        ):
            self.add_error("platform_other", "Say which platform it was.")
        data["offered_clauses"] = offered_from(self.data)
        return data


# --- Case actions ---------------------------------------------------------------------------


class AllegationForm(forms.Form):
    clause = forms.ModelChoiceField(queryset=Clause.objects.none(), label="Clause of the policy")
    particulars = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        label="Particulars",
        help_text="What is alleged, with where and when, in terms the person can answer.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = case.policy.clauses.order_by("order")
        self.fields["clause"].label_from_instance = lambda c: f"{c.code}: {c.summary}"

    def clean(self):
        data = super().clean()
        data["offered_clauses"] = offered_from(self.data)
        return data


class ReasonForm(forms.Form):
    reason = reasons_field("Reason")


class ResignationForm(forms.Form):
    resigned_on = forms.DateField(widget=DateInput, label="Resignation received on")
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class SuspensionForm(forms.Form):
    started_on = forms.DateField(widget=DateInput, label="Suspended from")
    reasons = reasons_field(
        "Why suspension is necessary",
        "A suspension is a neutral act, on full pay, not a finding or a sanction.",
    )
    alternatives_considered = reasons_field(
        "Alternatives considered first", "For example a temporary change of duties or location."
    )
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="For example: not to contact colleagues about the case.",
    )
    welfare_contact = StaffChoiceField(queryset=StaffMember.objects.none())
    next_review_on = forms.DateField(
        required=False,
        widget=DateInput,
        label="First review by",
        help_text="Leave empty for the trust's standard review interval.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["welfare_contact"].queryset = (
            StaffMember.objects.exclude(pk=case.subject_id)
            .exclude(left_on__lte=timezone.localdate())
            .select_related("school")
        )


class SuspensionReviewForm(forms.Form):
    reviewed_on = forms.DateField(widget=DateInput, label="Reviewed on")
    notes = reasons_field("Why the suspension continues")
    next_review_on = forms.DateField(required=False, widget=DateInput, label="Next review by")


class LiftSuspensionForm(forms.Form):
    ended_on = forms.DateField(widget=DateInput, label="Lifted on")
    reason = reasons_field("Reason")


class MeetingForm(forms.Form):
    held_on = forms.DateField(widget=DateInput, label="Date")
    held_at = forms.TimeField(widget=TimeInput, label="Time")
    location = forms.CharField(max_length=200)
    with_whom = forms.CharField(max_length=200, label="Who attended")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)

    def moment(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["held_on"], self.cleaned_data["held_at"])
        )


class StatementForm(forms.Form):
    witness = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        help_text="A member of the workforce; leave empty and give a name for anyone else.",
    )
    witness_name = forms.CharField(required=False, max_length=200, label="Or the witness's name")
    taken_on = forms.DateField(widget=DateInput, label="Statement taken on")
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=50000)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = (
            StaffMember.objects.exclude(
                pk__in=conflicted_ids(case) - set(case.witnesses.values_list("pk", flat=True))
            )
            .exclude(left_on__lte=timezone.localdate())
            .select_related("school")
        )


class EvidenceForm(forms.Form):
    file = forms.FileField(help_text=f"Accepted: {ACCEPTED_DESCRIPTION}.")
    description = forms.CharField(required=False, max_length=300)


class ReplaceInvestigatorForm(forms.Form):
    officer = StaffChoiceField(
        queryset=StaffMember.objects.none(), label="New investigating officer"
    )
    reason = reasons_field("Why the officer is being replaced")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = people_with_roles([Role.INVESTIGATING_OFFICER], case=case)


def people_with_roles(roles, *, case) -> forms.models.QuerySet:
    ids = RoleAssignment.objects.filter(role__in=roles).values_list("person_id", flat=True)
    return (
        StaffMember.objects.filter(pk__in=ids, user__isnull=False)
        .exclude(pk__in=conflicted_ids(case))
        .exclude(left_on__lte=timezone.localdate())
        .select_related("school")
        .order_by("last_name", "first_name")
    )


class ArrangementForm(forms.Form):
    """When and where a hearing is held, and who will be there."""

    chair = StaffChoiceField(queryset=StaffMember.objects.none())
    date = forms.DateField(widget=DateInput)
    time = forms.TimeField(widget=TimeInput)
    location = forms.CharField(max_length=200)
    panel = forms.CharField(
        required=False, max_length=300, help_text="Anyone sitting with the chair."
    )
    notice_given_on = forms.DateField(
        widget=DateInput, label="Invitation sent on", help_text="Normally today."
    )
    companion_kind = forms.ChoiceField(
        choices=CompanionKind.choices, label="Accompanied by", initial=CompanionKind.NONE
    )
    companion_name = forms.CharField(required=False, max_length=150, label="Companion's name")
    dismissal_possible = forms.BooleanField(
        required=False,
        label="Dismissal is a possible outcome (the invitation must say so)",
    )

    def __init__(self, *args, case, appeal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people_with_roles(
            [Role.HEADTEACHER, Role.TRUST_EXECUTIVE], case=case
        ).exclude(pk__in=chair_exclusions(case, appeal=appeal))
        self.fields["chair"].label = "Appeal chair" if appeal else "Chair"
        if appeal:
            del self.fields["dismissal_possible"]
        if not self.is_bound:
            self.initial.setdefault("notice_given_on", timezone.localdate())

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class RescheduleForm(ArrangementForm):
    reason = reasons_field("Why the hearing is moving")
    postponed_for_companion = forms.BooleanField(
        required=False,
        label="Postponed because the companion cannot attend",
        help_text="The new date must then be within five working days of the original one.",
    )


# --- Task forms ---------------------------------------------------------------------------


class AcknowledgeForm(forms.Form):
    pass


DPO_CONFIRMATION = forms.BooleanField(
    required=False,
    label="The Data Protection Officer has been told of a possible personal data breach",
    help_text="The DPO decides on reporting to the ICO within 72 hours.",
)


class TriageForm(forms.Form):
    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reasons = reasons_field()
    dpo_informed = DPO_CONFIRMATION

    def __init__(self, *args, case, **kwargs):
        from .services.triage import TriageDecision

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = TriageDecision.choices
        if not case.dpo_confirmation_due:
            del self.fields["dpo_informed"]


class SafeguardingReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reasons = reasons_field(help_text="Part of the safeguarding record.")
    dpo_informed = DPO_CONFIRMATION

    def __init__(self, *args, case, **kwargs):
        from .services.safeguarding import SafeguardingDecision

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = SafeguardingDecision.choices
        if not case.dpo_confirmation_due:
            del self.fields["dpo_informed"]


class LadoReferralForm(forms.Form):
    referred_on = forms.DateField(widget=DateInput, label="Referred on")
    lado_reference = forms.CharField(max_length=50, label="LADO reference")
    lado_name = forms.CharField(max_length=150, required=False, label="LADO contacted")
    police_involved = forms.BooleanField(required=False, label="The police are involved")


class ResumeForm(forms.Form):
    lado_outcome = forms.ChoiceField(choices=LadoOutcome.choices, label="The LADO's outcome")
    next_step = forms.ChoiceField(choices=(), label="What happens next")
    notes = reasons_field(
        "Who allowed the internal process to go on, and when",
        "For example the LADO's or police's confirmation.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if case.paused_from:
            del self.fields["lado_outcome"]
            del self.fields["next_step"]
        else:
            from .models import AFTER_EXTERNAL_DECISION

            self.fields["next_step"].choices = [
                (s, Status(s).label) for s in AFTER_EXTERNAL_DECISION
            ]


class AppointInvestigatorForm(forms.Form):
    officer = StaffChoiceField(queryset=StaffMember.objects.none(), label="Investigating officer")
    terms_of_reference = reasons_field(
        "Terms of reference", "What the investigation must establish, allegation by allegation."
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = people_with_roles(
            [Role.INVESTIGATING_OFFICER], case=case
        ).exclude(pk__in=[pk for pk in (case.hearing_chair_id, case.appeal_chair_id) if pk])


class FindingsMixin:
    """One finding and reasons field per allegation of the case."""

    finding_prefix = "finding"

    def add_finding_fields(self, case, *, label: str) -> None:
        self.allegations = list(case.allegations.select_related("clause"))
        for allegation in self.allegations:
            self.fields[f"finding_{allegation.pk}"] = forms.ChoiceField(
                choices=Finding.choices,
                label=f"{label}: allegation {allegation.number} ({allegation.clause.code})",
                widget=forms.RadioSelect,
            )
            self.fields[f"reasons_{allegation.pk}"] = reasons_field(
                f"Reasons for allegation {allegation.number}"
            )

    def findings(self) -> dict[int, tuple[str, str]]:
        return {
            a.pk: (self.cleaned_data[f"finding_{a.pk}"], self.cleaned_data[f"reasons_{a.pk}"])
            for a in self.allegations
        }


class InvestigationReportForm(FindingsMixin, forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=50000)
    recommendation = forms.ChoiceField(choices=Recommendation.choices, widget=forms.RadioSelect)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_finding_fields(case, label="Finding")


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reasons = reasons_field()

    def __init__(self, *args, case=None, **kwargs):
        from .services.investigation import ReportDecision

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = ReportDecision.choices


class HearingDecisionForm(FindingsMixin, forms.Form):
    sanction = forms.ChoiceField(choices=(), label="Outcome")
    reasons = reasons_field("Reasons for the outcome")

    def __init__(self, *args, case, **kwargs):
        from .services.hearings import allowed_sanctions

        super().__init__(*args, **kwargs)
        self.add_finding_fields(case, label="Finding")
        self.fields["sanction"].choices = [(s.value, s.label) for s in allowed_sanctions(case)]
        self.order_fields([*self.fields.keys() - {"sanction", "reasons"}, "sanction", "reasons"])


class SignOffForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("yes", "Approve the outcome"), ("no", "Return it to the chair")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Your decision",
    )
    comments = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text="Required when returning it to the chair.",
    )


class AppealWindowForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("appeal", "Record an appeal received"), ("close", "Close: no appeal in time")],
        widget=forms.RadioSelect,
    )
    lodged_on = forms.DateField(required=False, widget=DateInput, label="Appeal received on")
    grounds = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        label="Grounds of appeal",
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "appeal":
            if not data.get("lodged_on"):
                self.add_error("lodged_on", "Give the date the written appeal was received.")
            if not (data.get("grounds") or "").strip():
                self.add_error("grounds", "Record the grounds of appeal.")
        return data


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=AppealOutcome.choices, widget=forms.RadioSelect)
    new_sanction = forms.ChoiceField(
        choices=(),
        required=False,
        label="Reduced sanction",
        help_text="Only if the sanction is reduced.",
    )
    reasons = reasons_field()

    def __init__(self, *args, case, **kwargs):
        from .services.hearings import allowed_sanctions

        super().__init__(*args, **kwargs)
        self.fields["new_sanction"].choices = [("", "—")] + [
            (s.value, s.label) for s in allowed_sanctions(case)
        ]


class RegisterFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Reference or name", max_length=100)
    status = forms.ChoiceField(required=False, label="Stage")
    school = forms.ModelChoiceField(queryset=School.objects.all(), required=False)
    clause = forms.ModelChoiceField(queryset=Clause.objects.none(), required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", "Any stage"),
            ("open", "Any open stage"),
            *Status.choices,
        ]
        self.fields["clause"].queryset = Clause.objects.filter(policy__is_current=True).order_by(
            "order"
        )
        self.fields["clause"].label_from_instance = lambda c: c.code

    def filters(self) -> dict:
        """The register's filters as chosen; none when nothing (or nothing valid) was."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}
