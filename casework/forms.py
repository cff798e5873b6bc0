"""Forms translate HTTP into service arguments; the rules live in services."""

from __future__ import annotations

import datetime
import re
import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import URLValidator
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from . import uploads
from .addresses import RecordIdConverter
from .evidence import ACCEPTED_DESCRIPTION, max_upload_bytes
from .models import (
    AFTER_EXTERNAL_DECISION,
    CENTRAL_TEAM,
    STAND_IN_EMAIL_DOMAIN,
    AccountKind,
    AppealOutcome,
    Attendance,
    Clause,
    CompanionKind,
    Finding,
    LadoOutcome,
    Platform,
    PupilsInvolved,
    Recommendation,
    ReferralBody,
    ReportDecision,
    RequestChannel,
    Role,
    RoleAssignment,
    School,
    SettlementKind,
    StaffMember,
    Status,
    TriageDecision,
)
from .permissions import conflicted_ids
from .responsibility import chair_candidates
from .selectors import CASE_PARTS, STATUS_GROUPS
from .services.hearings import WhoAttended, allowed_sanctions, current_hearing
from .services.referrals import bodies_for
from .services.routing import awaiting_lado_outcome
from .services.safeguarding import safeguarding_decisions
from .suggestions.widgets import SuggestedClauses, offered_from
from .vocabulary import (
    appeal_outcome_choices,
    hearing_name,
    recommendation_label,
    with_hearing_named,
)
from .workdays import procedure_text


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


RECORD_ID = re.compile(RecordIdConverter.regex)


def reasons_field(
    label: str = "Reasons", help_text: str = "", *, when_empty: str = ""
) -> forms.CharField:
    """``when_empty``: what to say when nothing (or only spaces) was written."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=help_text,
        error_messages={"required": when_empty} if when_empty else None,
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


def state_upload_limits(field: forms.FileField) -> None:
    """Say the size limits before anything is chosen, and give them to the browser, which
    refuses a file past them before sending it (the server refuses it anyway)."""
    per_file, in_all, files = max_upload_bytes(), uploads.max_bytes(), uploads.max_files()
    field.help_text = (
        f"{field.help_text} Each file up to {filesizeformat(per_file)}; at most {files} "
        f"files, {filesizeformat(in_all)} in all."
    )
    field.widget.attrs.update(
        {
            "data-cw-max-file-bytes": per_file,
            "data-cw-max-total-bytes": in_all,
            "data-cw-max-files": files,
        }
    )


class RangeCheckedChoices:
    """Each chosen id must be a number a database integer holds before it is looked up:
    SQLite cannot even be asked about a longer one. (A single choice is also safe in
    Django itself, which answers an out-of-range id with nothing found; several choices
    are looked up together, and are not.)"""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for chosen in values:
            if chosen not in self.empty_values and not RECORD_ID.fullmatch(str(chosen)):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(chosen)[:40]},
                )
        return super().clean(value)


class StaffChoiceField(RangeCheckedChoices, forms.ModelChoiceField):
    def label_from_instance(self, person: StaffMember) -> str:
        where = person.school.name if person.school_id else CENTRAL_TEAM
        volunteer = ", volunteer" if person.is_volunteer else ""
        left = f" (left the trust on {person.left_on:%-d %B %Y})" if person.has_left else ""
        return f"{person.full_name} — {person.job_title}{volunteer}, {where}{left}"


class SchoolField(forms.ModelChoiceField):
    """A school of the trust, by name; a choice that is not one says so plainly."""

    default_error_messages = {
        "invalid_choice": "Choose a school of the trust from the list.",
    }


class ClauseChoiceField(RangeCheckedChoices, forms.ModelMultipleChoiceField):
    def label_from_instance(self, clause: Clause) -> str:
        return f"{clause.code}: {clause.summary}"


# --- Raising a concern ----------------------------------------------------------------------


class ConcernForm(forms.Form):
    subject = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        label="Who is the concern about?",
        help_text=(
            "A member of staff or a volunteer of the trust, including someone who has left. "
            "You cannot choose yourself."
        ),
    )
    school = SchoolField(
        queryset=School.objects.none(),
        required=False,
        empty_label="The school where they work (or the trust central team)",
        label="Which school does it concern?",
        help_text=(
            "Leave this as it is: the concern goes to the school of the person it is about. "
            "Choose another school only if it belongs there, e.g. it happened on a visit."
        ),
    )
    school_confirmed = forms.BooleanField(
        required=False,
        label="I confirm the concern belongs to the school I chose, not to theirs",
        help_text="Only if you chose a school above: its safeguarding lead and headteacher get it.",
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
    # One per form as it was shown: sending the same form twice is recognised.
    submission_token = forms.CharField(
        required=False, widget=forms.HiddenInput, max_length=64, initial=uuid.uuid4
    )

    def __init__(self, *args, reporter: StaffMember, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = (
            StaffMember.objects.filter(trust_id=reporter.trust_id)
            .exclude(pk=reporter.pk)
            .exclude(email__endswith=f"@{STAND_IN_EMAIL_DOMAIN}")
            .select_related("school")
            .order_by("last_name", "first_name")
        )
        self.fields["school"].queryset = School.objects.filter(trust_id=reporter.trust_id)
        self.fields["suspected_clauses"].queryset = policy.clauses.order_by("order")
        state_upload_limits(self.fields["evidence"])

    def clean_submission_token(self) -> uuid.UUID | None:
        """A token that is not one Casework made is no token (the words are still compared)."""
        try:
            return uuid.UUID(self.cleaned_data["submission_token"])
        except ValueError:
            return None

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


CENTRAL = "central"


class SchoolCorrectionForm(forms.Form):
    """HR moves a case to the school it belongs to, or to the trust central team."""

    school = forms.ChoiceField(
        label="The school the case belongs to",
        error_messages={"invalid_choice": "Choose a school of the trust from the list."},
    )
    reason = reasons_field("Why the school is being corrected")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [
            ("", "Choose…"),
            *((str(s.pk), s.name) for s in School.objects.filter(trust_id=case.subject.trust_id)),
            (CENTRAL, CENTRAL_TEAM),
        ]

    def chosen_school(self) -> School | None:
        value = self.cleaned_data["school"]
        return None if value == CENTRAL else School.objects.get(pk=value)


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
        if case.subject.is_volunteer:
            self.fields["reasons"].help_text = "A suspension is a neutral act, not a finding."
        self.fields["welfare_contact"].queryset = (
            StaffMember.objects.filter(trust_id=case.trust_id)
            .exclude(pk=case.subject_id)
            .exclude(left_on__lte=timezone.localdate())
            .select_related("school")
        )


class ReferralDecisionForm(forms.Form):
    body = forms.ChoiceField(choices=(), widget=forms.RadioSelect, label="Referral to")
    made = forms.TypedChoiceField(
        choices=[("yes", "A referral was made"), ("no", "No referral was made")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Decision",
    )
    made_on = forms.DateField(required=False, widget=DateInput, label="Referred on")
    reference = forms.CharField(
        required=False, max_length=100, label="Reference", help_text="The one the body gave."
    )
    reasons = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        label="Reasons",
        help_text="Why no referral was made (required then); otherwise any notes.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b, ReferralBody(b).label) for b in bodies_for(case)]


class SettlementForm(forms.Form):
    kind = forms.ChoiceField(choices=SettlementKind.choices, widget=forms.RadioSelect)
    agreed_on = forms.DateField(widget=DateInput, label="Agreed on")
    leaves_on = forms.DateField(widget=DateInput, label="Leaves on")
    terms = reasons_field("What was agreed, in outline")
    referral_unaffected = forms.BooleanField(
        required=False,
        label="Nothing in the agreement prevents or discourages a referral to the DBS or the TRA",
        help_text="A settlement never prevents a referral: the referral questions still stand.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if case.subject.is_volunteer:
            self.fields["kind"].choices = [
                (SettlementKind.AGREED_DEPARTURE, SettlementKind.AGREED_DEPARTURE.label)
            ]


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
            StaffMember.objects.filter(trust_id=case.trust_id)
            .exclude(pk__in=conflicted_ids(case) - set(case.witnesses.values_list("pk", flat=True)))
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
        StaffMember.objects.filter(pk__in=ids, trust_id=case.trust_id, user__isnull=False)
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
        # Exactly the people the services accept as chair (casework.responsibility).
        self.fields["chair"].queryset = StaffMember.objects.filter(
            pk__in=[p.pk for p in chair_candidates(case, appeal=appeal)]
        ).select_related("school")
        self.fields["chair"].label = "Appeal chair" if appeal else "Chair"
        if appeal or case.subject.is_volunteer:
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
    )
    postponed_for_subject = forms.BooleanField(
        required=False,
        label="Postponed because they cannot attend, or did not attend",
        help_text=(
            "Counts towards the postponements after which it may go ahead in their absence. "
            "The new date needs the usual notice."
        ),
    )

    def __init__(self, *args, case, appeal: bool = False, **kwargs):
        super().__init__(*args, case=case, appeal=appeal, **kwargs)
        self.fields["postponed_for_companion"].help_text = procedure_text(
            "The new date must then be within {COMPANION_POSTPONEMENT_WORKING_DAYS} working "
            "day{COMPANION_POSTPONEMENT_WORKING_DAYS:s} of the original one.",
            trust=case.trust_id,
        )
        if case.subject.is_volunteer:
            self.fields["reason"].label = "Why the meeting is moving"


# --- Task forms ---------------------------------------------------------------------------


class AcknowledgeForm(forms.Form):
    pass


class TriageForm(forms.Form):
    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reasons = reasons_field()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = TriageDecision.choices


class SafeguardingReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reasons = reasons_field(help_text="Part of the safeguarding record.")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d.value, d.label) for d in safeguarding_decisions(case)]


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
        if not awaiting_lado_outcome(case):
            del self.fields["lado_outcome"]
        if case.paused_from:
            del self.fields["next_step"]
        else:
            self.fields["next_step"].choices = [
                (s, Status(s).label) for s in AFTER_EXTERNAL_DECISION
            ]


class DpoDecisionForm(forms.Form):
    reportable = forms.TypedChoiceField(
        choices=[
            ("yes", "Reportable: it has been reported to the ICO"),
            ("no", "Not reportable to the ICO"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Is the breach reportable to the Information Commissioner's Office?",
    )
    reasons = reasons_field(
        help_text="Why, in terms the ICO could follow: what data, whose, and the likely risk.",
        when_empty="Give the reasons for the decision: the ICO may ask for them, reported or not.",
    )
    reported_on = forms.DateField(
        required=False, widget=DateInput, label="Reported to the ICO on", help_text="If reported."
    )
    reported_at_time = forms.TimeField(
        required=False, widget=TimeInput, label="At (time)", help_text="If reported."
    )
    ico_reference = forms.CharField(
        required=False, max_length=50, label="ICO reference", help_text="If reported."
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("reported_on")) != bool(data.get("reported_at_time")):
            self.add_error(
                "reported_at_time" if data.get("reported_on") else "reported_on",
                "Give both the date and the time it was reported.",
            )
        return data

    def reported_at(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("reported_on"), self.cleaned_data.get("reported_at_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))


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
        self.fields["recommendation"].choices = [
            (value, recommendation_label(case, value)) for value in Recommendation.values
        ]


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reasons = reasons_field()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = with_hearing_named(case, ReportDecision.choices)


class AttendanceMixin:
    """Who came to the hearing: the person it is about and, if one was named, their
    companion. Left out when a returned decision is reconsidered (recorded the first time)."""

    def add_attendance_fields(self, case, *, kind: str) -> None:
        self.hearing = current_hearing(case, kind)
        if self.hearing is None or self.hearing.subject_attendance:
            return
        name = hearing_name(case, kind)
        self.fields["subject_attendance"] = forms.ChoiceField(
            choices=Attendance.choices,
            widget=forms.RadioSelect,
            label=f"Did {case.subject.full_name} attend the {name}?",
            help_text=(
                "It may go ahead without them only once it has been postponed as the procedure "
                "allows, or if they said they would not attend."
            ),
        )
        if self.hearing.companion_kind != CompanionKind.NONE:
            self.fields["companion_attended"] = forms.TypedChoiceField(
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                label=f"Did their companion, {self.hearing.companion_name}, attend?",
            )
        self.fields["attendance_notes"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=5000,
            label="If they did not attend, what happened",
            help_text="When they said they would not attend, or how the trust tried to reach them.",
        )

    def attendance(self):
        if "subject_attendance" not in self.fields:
            return None
        return WhoAttended(
            subject=self.cleaned_data["subject_attendance"],
            companion_attended=self.cleaned_data.get("companion_attended"),
            notes=self.cleaned_data.get("attendance_notes", ""),
        )


class HearingDecisionForm(AttendanceMixin, FindingsMixin, forms.Form):
    sanction = forms.ChoiceField(choices=(), label="Outcome")
    reasons = reasons_field("Reasons for the outcome")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attendance_fields(case, kind="disciplinary")
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


class AppealDecisionForm(AttendanceMixin, forms.Form):
    outcome = forms.ChoiceField(choices=AppealOutcome.choices, widget=forms.RadioSelect)
    new_sanction = forms.ChoiceField(
        choices=(),
        required=False,
        label="Reduced sanction",
        help_text="Only if the sanction is reduced.",
    )
    reasons = reasons_field()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = appeal_outcome_choices(case)
        self.fields["new_sanction"].choices = [("", "—")] + [
            (s.value, s.label) for s in allowed_sanctions(case)
        ]
        if case.subject.is_volunteer:
            self.fields["new_sanction"].label = "Lighter outcome"
            self.fields["new_sanction"].help_text = "Only if the outcome is made lighter."
        self.add_attendance_fields(case, kind="appeal")


class RegisterFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Reference or name", max_length=100)
    status = forms.ChoiceField(required=False, label="Stage")
    school = forms.ModelChoiceField(queryset=School.objects.all(), required=False)
    clause = forms.ModelChoiceField(queryset=Clause.objects.none(), required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")
    # Sorting by an indexed column only, each with the primary key to break ties, so a page
    # of a million cases is read from an index rather than sorted whole.
    ORDERINGS = {
        "-raised": ("-raised_at", "-pk"),
        "raised": ("raised_at", "pk"),
        "reference": ("reference",),
        "-reference": ("-reference",),
        "due": (F("action_due_on").asc(nulls_last=True), "pk"),
        "-due": (F("action_due_on").desc(nulls_last=True), "-pk"),
    }
    order = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[(key, key) for key in ORDERINGS],
    )
    due_from = forms.DateField(required=False, widget=DateInput, label="Due from")
    due_by = forms.DateField(required=False, widget=DateInput, label="Due by")
    part = forms.ChoiceField(
        required=False,
        label="Your part",
        choices=[("", "Any part"), *((key, label) for key, (_field, label) in CASE_PARTS.items())],
    )

    def __init__(self, *args, trust: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", "Any stage"),
            ("open", "Any open stage"),
            *((key, label) for key, (label, _statuses) in STATUS_GROUPS.items()),
            *Status.choices,
        ]
        self.fields["school"].queryset = School.objects.filter(trust_id=trust)
        # The clauses of the reader's own trust's current policy.
        self.fields["clause"].queryset = Clause.objects.filter(
            policy__trust_id=trust, policy__is_current=True
        ).order_by("order")
        self.fields["clause"].label_from_instance = lambda c: c.code

    def filters(self) -> dict:
        """The register's filters as chosen; none when nothing (or nothing valid) was."""
        if not (self.is_bound and self.is_valid()):
            return {}
        return {name: value for name, value in self.cleaned_data.items() if name != "order"}

    def order_key(self) -> str:
        """The column the register is sorted by ("-raised", newest first, unless chosen)."""
        chosen = self.cleaned_data.get("order") if self.is_bound and self.is_valid() else ""
        return chosen or "-raised"

    def ordering(self) -> tuple:
        return self.ORDERINGS[self.order_key()]


# --- Subject access requests ------------------------------------------------------------


class SubjectAccessRequestForm(forms.Form):
    person = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        label="Who is the request about?",
        help_text="The person asking for their own data; people who have left are listed too.",
    )
    received_on = forms.DateField(
        widget=DateInput,
        label="Received on",
        help_text="The day it reached the trust, even if that was not a working day.",
    )
    received_via = forms.ChoiceField(
        choices=RequestChannel.choices, widget=forms.RadioSelect, label="How did it arrive?"
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Anything about what they asked for that whoever answers should know.",
    )

    def __init__(self, *args, by: StaffMember | None, **kwargs):
        super().__init__(*args, **kwargs)
        people = StaffMember.objects.select_related("school").order_by("last_name", "first_name")
        # The people of HR's own trust; nobody for a sign-in that is no one's.
        self.fields["person"].queryset = (
            people.filter(trust_id=by.trust_id).exclude(pk=by.pk) if by else people.none()
        )
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class SubjectAccessExtensionForm(forms.Form):
    reason = reasons_field(
        "Why the request needs longer",
        when_empty="Say why the request needs longer (for example, its complexity).",
    )

    def __init__(self, *args, trust: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = procedure_text(
            "A complex request may take {SUBJECT_ACCESS_EXTENSION_MONTHS} more "
            "month{SUBJECT_ACCESS_EXTENSION_MONTHS:s}. Tell the person, with this reason, "
            "before the first deadline.",
            trust=trust,
        )


class SubjectAccessAnsweredForm(forms.Form):
    answered_on = forms.DateField(widget=DateInput, label="Sent to them on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("answered_on", timezone.localdate())
