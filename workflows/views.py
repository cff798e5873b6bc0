"""Task views: a form, then one casework service call.

viewflow's wrapper has already checked that the signed-in person owns the task and holds
the process lock for a POST. The service re-reads and locks the case, checks who may act,
fires the transition and completes this task, so nothing here touches the workflow.
"""

from __future__ import annotations

from django.urls import reverse

from casework import forms, selectors
from casework.letters import kinds as letter_kinds
from casework.letters.views import LetterDraftMixin
from casework.models import Hearing, Status
from casework.services import (
    appeals,
    consistency,
    data_protection,
    hearings,
    investigation,
    outcomes,
    referrals,
    safeguarding,
    signoff,
    triage,
)
from casework.views.base import ServiceFormView
from casework.views.cases import arrangement_from
from casework.workdays import procedure_text
from casework.worklists import facts


class TaskView(ServiceFormView):
    template_name = "workflows/task.html"
    submit_label = "Done"

    def dispatch(self, request, *args, **kwargs):
        self.case = request.activation.process.case
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.request.activation.task
        if self.case.subject.is_volunteer and getattr(self, "volunteer_intro", ""):
            context["intro"] = self.volunteer_intro
        context.update(
            title=self.title or task.flow_task.title_for(self.case),
            task=task,
            allegations=self.case.allegations.select_related("clause"),
            next_step=selectors.next_step(self.case),
            **facts.facts_for(self.case, user=self.request.user),
        )
        return context

    def get_success_url(self):
        return reverse("casework:case", args=[self.case.reference])

    def get_success_message(self) -> str:
        task = self.request.activation.task
        return self.success_message or f"Done: {task.flow_task.title_for(self.case)}."


class PriorOutcomesPanel:
    """The consistency view beside a decision (oversight.consistency): read-only, advisory,
    and audited each time it is shown."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prior_outcomes"] = consistency.look_at_prior_outcomes(
            case=self.case, by=self.request.user
        )
        return context


# --- HR case manager ---------------------------------------------------------------------


class AcknowledgeView(TaskView):
    form_class = forms.AcknowledgeForm
    intro = (
        "Take the concern on as its case manager. Triage is due within the trust's triage "
        "period from the day it was raised."
    )
    submit_label = "Take it on and begin triage"

    def perform(self, form):
        triage.acknowledge_concern(case=self.case, by=self.request.user)


class TriageView(TaskView):
    form_class = forms.TriageForm
    intro = (
        "Decide what happens to the concern. To open an investigation, first add the "
        "allegations, each tied to one clause of the policy."
    )
    submit_label = "Record the triage decision"

    def perform(self, form):
        triage.triage_concern(
            case=self.case,
            by=self.request.user,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
        )


class ResumeView(TaskView):
    form_class = forms.ResumeForm
    intro = "Resume only once the LADO or police confirm the internal process may go on."
    submit_label = "Resume the case"

    def perform(self, form):
        data = form.cleaned_data
        safeguarding.resume_after_hold(
            case=self.case,
            by=self.request.user,
            notes=data["notes"],
            next_step=data.get("next_step", ""),
            lado_outcome=data.get("lado_outcome", ""),
        )


class AppointInvestigatorView(TaskView):
    form_class = forms.AppointInvestigatorForm
    intro = (
        "The investigating officer must not hear the case later, and must not be the subject, "
        "the person who raised it or a witness."
    )
    submit_label = "Appoint"

    def perform(self, form):
        investigation.appoint_investigating_officer(
            case=self.case,
            by=self.request.user,
            officer=form.cleaned_data["officer"],
            terms_of_reference=form.cleaned_data["terms_of_reference"],
        )


class ConsiderReportView(TaskView):
    form_class = forms.ReportDecisionForm
    submit_label = "Record the decision"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = getattr(self.case, "investigation_report", None)
        return context

    def perform(self, form):
        investigation.decide_on_report(
            case=self.case,
            by=self.request.user,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
        )


class ArrangeHearingView(TaskView):
    form_class = forms.ArrangementForm
    intro = (
        "The invitation must set out each allegation with its clause, the evidence, the "
        "possible outcomes and the right to be accompanied, with enough notice."
    )
    submit_label = "Arrange the hearing"

    def perform(self, form):
        hearings.schedule_hearing(
            case=self.case, by=self.request.user, arrangement=arrangement_from(form)
        )


class IssueOutcomeView(LetterDraftMixin, TaskView):
    """HR reads the outcome letter in draft, then issues it. Issuing the letter issues the
    outcome in the same transaction (casework.services.letters.issue_letter)."""

    template_name = "workflows/issue_outcome.html"
    intro = (
        "Read the outcome letter. Issuing it issues the outcome: the appeal window and any "
        "warning's live period start today."
    )
    volunteer_intro = (
        "Read the outcome letter. Issuing it issues the outcome: the appeal window starts today."
    )

    def dispatch(self, request, *args, **kwargs):
        self.spec = letter_kinds.outcome_kind_for(request.activation.process.case)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sign_off"] = letter_kinds.latest_sign_off(self.case)
        # "On dismissal": the letter says what was decided about referrals, or that it will be.
        context["referrals_outstanding"] = referrals.outstanding_questions(self.case)
        return context

    def issued_url(self, letter):
        return self.get_success_url()


class AppealWindowView(TaskView):
    form_class = forms.AppealWindowForm
    submit_label = "Record"

    def perform(self, form):
        data = form.cleaned_data
        if data["action"] == "appeal":
            appeals.lodge_appeal(
                case=self.case,
                by=self.request.user,
                lodged_on=data["lodged_on"],
                grounds=data["grounds"],
            )
        else:
            outcomes.close_after_appeal_window(case=self.case, by=self.request.user)


class ArrangeAppealView(TaskView):
    form_class = forms.ArrangementForm
    intro = "The appeal is heard by someone not previously involved in the case."
    submit_label = "Arrange the appeal hearing"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "appeal": True}

    def perform(self, form):
        appeals.schedule_appeal_hearing(
            case=self.case, by=self.request.user, arrangement=arrangement_from(form)
        )


# --- Designated safeguarding lead --------------------------------------------------------


class SafeguardingReviewView(TaskView):
    form_class = forms.SafeguardingReviewForm
    submit_label = "Record the decision"

    @property
    def intro(self) -> str:
        return procedure_text(
            "Does the concern meet the harm threshold (KCSIE Part 4)? If so, refer it to the "
            "LADO within {LADO_REFERRAL_WORKING_DAYS} working day{LADO_REFERRAL_WORKING_DAYS:s} "
            "and do not interview the subject, the child or witnesses first.",
            trust=self.case.trust_id,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.case.review_interrupted:
            context["intro"] = (
                f"{self.intro} A new allegation brought this case to you from "
                f"“{Status(self.case.review_interrupted).label}”: unless you refer it to the "
                "LADO, it goes back there."
            )
        return context

    def perform(self, form):
        safeguarding.review_safeguarding_concern(
            case=self.case,
            by=self.request.user,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
        )


class LadoReferralView(TaskView):
    form_class = forms.LadoReferralForm
    intro = "Record the referral once it is made. The internal process then waits for the LADO."
    submit_label = "Record the referral"

    def perform(self, form):
        data = form.cleaned_data
        safeguarding.record_lado_referral(
            case=self.case,
            by=self.request.user,
            referred_on=data["referred_on"],
            lado_reference=data["lado_reference"],
            lado_name=data["lado_name"],
            police_involved=data["police_involved"],
        )


# --- Investigating officer ---------------------------------------------------------------


class InvestigateView(TaskView):
    form_class = forms.InvestigationReportForm
    template_name = "workflows/investigate.html"
    intro = (
        "Record meetings, statements and evidence from the case page as you go; submit the "
        "report when the investigation is complete."
    )
    submit_label = "Submit the report"

    def perform(self, form):
        investigation.submit_investigation_report(
            case=self.case,
            by=self.request.user,
            summary=form.cleaned_data["summary"],
            recommendation=form.cleaned_data["recommendation"],
            findings=form.findings(),
        )


# --- Hearing chair -----------------------------------------------------------------------


class HearingDecisionView(PriorOutcomesPanel, TaskView):
    form_class = forms.HearingDecisionForm
    intro = "Give a finding on each allegation, with reasons, and one outcome."
    submit_label = "Record the decision"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sign_offs"] = self.case.sign_offs.filter(approved=False)
        context["hearing_ahead"] = selectors.hearing_not_yet_held(
            self.case, Hearing.Kind.DISCIPLINARY
        )
        return context

    def perform(self, form):
        hearings.record_decision(
            case=self.case,
            by=self.request.user,
            findings=form.findings(),
            sanction=form.cleaned_data["sanction"],
            reasons=form.cleaned_data["reasons"],
            attendance=form.attendance(),
        )


# --- Headteacher (or trust executive) ----------------------------------------------------


class SignOffView(PriorOutcomesPanel, TaskView):
    form_class = forms.SignOffForm
    intro = "No outcome letter can be issued until you approve the outcome."
    submit_label = "Record my decision"

    def perform(self, form):
        signoff.sign_off_outcome(
            case=self.case,
            by=self.request.user,
            approve=form.cleaned_data["approve"],
            comments=form.cleaned_data["comments"],
        )


# --- Appeal chair ------------------------------------------------------------------------


class AppealDecisionView(TaskView):
    form_class = forms.AppealDecisionForm
    intro = "The appeal outcome is final. A sanction may be reduced or revoked, never increased."
    submit_label = "Record the appeal decision"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["appeal"] = getattr(self.case, "appeal", None)
        context["hearing_ahead"] = selectors.hearing_not_yet_held(self.case, Hearing.Kind.APPEAL)
        return context

    def perform(self, form):
        appeals.decide_appeal(
            case=self.case,
            by=self.request.user,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            new_sanction=form.cleaned_data["new_sanction"],
            attendance=form.attendance(),
        )


# --- Data Protection Officer -------------------------------------------------------------


class DpoDecisionView(ServiceFormView):
    """The DPO's decision on a possible breach, with the facts it rests on and nothing else
    of the case (the DPO has no part in the case itself)."""

    form_class = forms.DpoDecisionForm
    template_name = "workflows/dpo_decision.html"
    title = "Decide on reporting to the ICO"
    intro = (
        "A reportable personal data breach is reported to the ICO within the window below, "
        "counted in clock hours from when the trust became aware of it. Record the decision "
        "either way, with the reasons."
    )
    submit_label = "Record the decision"
    success_message = "Decision recorded."

    def dispatch(self, request, *args, **kwargs):
        self.decision = request.activation.process.decision
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            decision=self.decision,
            task=self.request.activation.task,
            **selectors.dpo_decision_facts(self.decision),
        )
        return context

    def get_cancel_url(self):
        return reverse("workflow:inbox")

    def get_success_url(self):
        return reverse("workflow:inbox")

    def perform(self, form):
        data_protection.record_dpo_decision(
            decision=self.decision,
            by=self.request.user,
            reportable=form.cleaned_data["reportable"],
            reasons=form.cleaned_data["reasons"],
            reported_at=form.reported_at(),
            ico_reference=form.cleaned_data["ico_reference"],
        )
