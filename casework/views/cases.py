"""The case register, the case page, and the actions HR and the investigating officer take
on a case outside the workflow's tasks."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView

from casework import audit, forms, permissions, selectors
from casework.errors import RuleBroken
from casework.evidence import check_upload
from casework.models import FORMAL_STATUSES, Hearing, Status
from casework.paging import KeysetPaginator, without_page
from casework.services import (
    allegations,
    case_admin,
    evidence,
    hearings,
    investigation,
    referrals,
    routing,
    safeguarding,
    suspensions,
)
from casework.services.evidence import EVIDENCE_REFUSAL
from casework.services.hearings import Arrangement, current_hearing
from casework.vocabulary import hearing_name
from casework.worklists import facts

from . import suggestions
from .base import CaseFormView, ServiceFormView


class RegisterView(TemplateView):
    template_name = "casework/register.html"
    page_size = 25

    def dispatch(self, request, *args, **kwargs):
        if not permissions.held_roles(request.user):
            raise PermissionDenied("The case register is for people with a casework role.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.RegisterFilterForm(
            self.request.GET or None, trust=permissions.trust_of(self.request.user)
        )
        page = KeysetPaginator(
            selectors.register(self.request.user, **form.filters()),
            self.page_size,
            ordering=form.ordering(),
            order_name=form.order_key(),
            read=selectors.register_rows,
        ).page_at(self.request.GET)
        query = without_page(self.request.GET)
        unsorted = query.copy()
        unsorted.pop("order", None)
        context.update(
            form=form,
            page=page,
            query=query.urlencode(),
            sort_links=register_sort_links(unsorted.urlencode(), form.order_key()),
            export_query=query.urlencode(),
            may_export=permissions.may_export_register(self.request.user),
            today=timezone.localdate(),
            is_hr=permissions.is_hr(self.request.user),
        )
        return context


def register_sort_links(query: str, current: str) -> dict:
    """For each sortable column: the address that sorts by it (the other way round if it is
    the current sort) and its aria-sort state."""
    links = {}
    for column, first in (("reference", "reference"), ("raised", "-raised"), ("due", "due")):
        ascending, descending = column, f"-{column}"
        if current == ascending:
            target, state = descending, "ascending"
        elif current == descending:
            target, state = ascending, "descending"
        else:
            target, state = first, "none"
        links[column] = {
            "url": f"?{query}{'&' if query else ''}order={target}",
            "state": state,
        }
    return links


class CaseDetailView(TemplateView):
    template_name = "casework/case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        case = selectors.case_for(user, kwargs["reference"])
        audit.record(
            action="viewed.case", case=case, actor=user, target=case, summary="Case viewed"
        )
        manage = permissions.may_manage_case(case, user)
        context.update(
            case=case,
            next_step=selectors.next_step(case, user=user),
            allegations=case.allegations.select_related("clause"),
            timeline=selectors.case_timeline(case, user=user),
            dpo_decisions=selectors.dpo_decisions_of(user, case),
            can_correct_school=manage and case.status in routing.SCHOOL_CORRECTABLE,
            evidence=case.evidence.all(),
            meetings=case.meetings.all(),
            statements=case.statements.select_related("witness"),
            hearings=case.hearings.select_related("chair").order_by("arranged_at"),
            suspensions=case.suspensions.prefetch_related("reviews"),
            sign_offs=case.sign_offs.select_related("signed_by"),
            suspected_clauses=case.suspected_clauses.all(),
            links=[line for line in case.links.splitlines() if line.strip()],
            can_manage=manage,
            can_frame=allegations.allegations_open(case)
            and permissions.may_frame_allegations(case, user),
            can_investigate=permissions.may_record_investigation(case, user),
            can_pause=manage and case.status in FORMAL_STATUSES,
            can_reschedule=manage and case.status == Status.HEARING_SCHEDULED,
            can_reschedule_appeal=manage and case.status == Status.APPEAL_HEARING,
            settlement=getattr(case, "settlement", None),
            **referral_facts(case),
            can_replace_io=manage and case.status == Status.INVESTIGATION,
            lado=getattr(case, "lado_referral", None),
            report=getattr(case, "investigation_report", None),
            appeal=getattr(case, "appeal", None),
        )
        return context


def referral_facts(case) -> dict:
    """The case's referral questions, what was decided, and what earlier decisions it replaced."""
    decisions = list(case.referral_decisions.all())  # oldest first
    questions = referrals.referral_questions(case, decisions=decisions)
    current = {q.decision.pk for q in questions if q.decision}
    return {
        "referral_questions": questions,
        "referrals_to_show": any(q.why or q.decision for q in questions),
        "earlier_referral_decisions": [d for d in decisions if d.pk not in current],
    }


class AddAllegationView(CaseFormView):
    form_class = forms.AllegationForm
    title = "Add an allegation"
    intro = "Each allegation is tied to exactly one clause of the policy version this case cites."
    submit_label = "Add the allegation"
    success_message = "Allegation added."
    refusal = "Only the case manager, the DSL or the investigating officer may frame allegations."
    template_name = "casework/frame_allegation.html"
    offers_suggestions = True

    def may_act(self):
        return permissions.may_frame_allegations(self.case, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.offers_suggestions:
            context.update(suggestions.for_case(self.case))
        return context

    def linked_clause(self) -> int | None:
        """The clause a "Use this clause" link chose (without script), if it is one."""
        value = self.request.GET.get("clause", "")
        if value.isdigit() and self.case.policy.clauses.filter(pk=int(value)).exists():
            return int(value)
        return None

    def get_initial(self):
        return {"clause": self.linked_clause()} if self.linked_clause() else {}

    def perform(self, form):
        self.framed = allegations.add_allegation(
            case=self.case,
            by=self.request.user,
            clause=form.cleaned_data["clause"],
            particulars=form.cleaned_data["particulars"],
            offered=form.cleaned_data["offered_clauses"],
        )

    def get_success_message(self) -> str:
        """What was done, and what it did to where the case goes (the DSL, the DPO)."""
        rerouted = self.framed.routing.message
        return f"{self.success_message} {rerouted}" if rerouted else self.success_message

    def get_success_url(self):
        # A case gone to the DSL is no longer at the task the person came from.
        if self.framed.routing.to_safeguarding_lead:
            return reverse("casework:case", args=[self.case.reference])
        return super().get_success_url()


class AmendAllegationView(AddAllegationView):
    title = "Amend an allegation"
    submit_label = "Save the allegation"
    success_message = "Allegation amended."

    def dispatch(self, request, *args, **kwargs):
        self.allegation_id = kwargs["allegation"]
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        allegation = get_object_or_404(self.case.allegations, pk=self.allegation_id)
        clause = self.linked_clause() or allegation.clause_id
        return {"clause": clause, "particulars": allegation.particulars}

    def perform(self, form):
        self.framed = allegations.amend_allegation(
            allegation=get_object_or_404(self.case.allegations, pk=self.allegation_id),
            by=self.request.user,
            clause=form.cleaned_data["clause"],
            particulars=form.cleaned_data["particulars"],
            offered=form.cleaned_data["offered_clauses"],
        )


class RemoveAllegationView(AddAllegationView):
    form_class = forms.ReasonForm
    template_name = CaseFormView.template_name
    offers_suggestions = False
    title = "Remove an allegation"
    intro = "The allegation and the reason it was removed stay in the case's history."
    submit_label = "Remove the allegation"
    success_message = "Allegation removed."

    def dispatch(self, request, *args, **kwargs):
        self.allegation_id = kwargs["allegation"]
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        allegations.remove_allegation(
            allegation=get_object_or_404(self.case.allegations, pk=self.allegation_id),
            by=self.request.user,
            why=form.cleaned_data["reason"],
        )

    def get_success_message(self) -> str:
        return self.success_message

    def get_success_url(self):
        return ServiceFormView.get_success_url(self)


class ManagerActionView(CaseFormView):
    refusal = "Only an HR case manager free of any conflict in this case may do this."

    def may_act(self):
        return permissions.may_manage_case(self.case, self.request.user)


class WithdrawView(ManagerActionView):
    form_class = forms.ReasonForm
    title = "Withdraw the case"
    intro = "Withdrawing closes the case and cancels whatever task is waiting. It cannot be undone."
    submit_label = "Withdraw the case"
    success_message = "The case has been withdrawn."

    def perform(self, form):
        case_admin.withdraw_case(
            case=self.case, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class CorrectSchoolView(ManagerActionView):
    form_class = forms.SchoolCorrectionForm
    title = "Correct the case's school"
    intro = (
        "A case belongs to the school of the person it is about, or to the trust central "
        "team. Moving it changes who its safeguarding lead and headteacher are; both the old "
        "and the new safeguarding lead are told."
    )
    submit_label = "Move the case"
    success_message = "The case's school has been corrected."

    def perform(self, form):
        routing.correct_school(
            case=self.case,
            by=self.request.user,
            school=form.chosen_school(),
            reason=form.cleaned_data["reason"],
        )


class PauseView(ManagerActionView):
    form_class = forms.ReasonForm
    title = "Put the case on hold for an external process"
    intro = "For example while the police or a regulator decide. Resume it from your task list."
    submit_label = "Put on hold"
    success_message = "The case is on hold."

    def perform(self, form):
        safeguarding.pause_case(
            case=self.case, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class ResignationView(ManagerActionView):
    form_class = forms.ResignationForm
    title = "Record the subject's resignation"
    intro = (
        "Resignation does not stop the process: the case goes on. It may mean the DBS or "
        "Teaching Regulation Agency referral question must now be answered before it closes."
    )
    submit_label = "Record the resignation"
    success_message = "Resignation recorded; the case continues."

    def perform(self, form):
        case_admin.record_resignation(
            case=self.case,
            by=self.request.user,
            resigned_on=form.cleaned_data["resigned_on"],
            notes=form.cleaned_data["notes"],
        )


class SuspendView(ManagerActionView):
    form_class = forms.SuspensionForm
    title = "Suspend on full pay"
    intro = "A suspension is a neutral act, not a sanction. Keep it as short as possible."
    submit_label = "Record the suspension"
    success_message = "Suspension recorded."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.case.subject.is_volunteer:  # no pay, and no employment, to speak of
            context["title"] = "Suspend from volunteering"
        return context

    def perform(self, form):
        data = form.cleaned_data
        suspensions.suspend(
            case=self.case,
            by=self.request.user,
            started_on=data["started_on"],
            reasons=data["reasons"],
            alternatives_considered=data["alternatives_considered"],
            conditions=data["conditions"],
            welfare_contact=data["welfare_contact"],
            next_review_on=data["next_review_on"],
        )


class ReviewSuspensionView(ManagerActionView):
    form_class = forms.SuspensionReviewForm
    title = "Review the suspension"
    submit_label = "Record the review"
    success_message = "Suspension review recorded."

    def perform(self, form):
        data = form.cleaned_data
        suspensions.review_suspension(
            suspension=get_object_or_404(self.case.suspensions, pk=self.kwargs["suspension"]),
            by=self.request.user,
            reviewed_on=data["reviewed_on"],
            notes=data["notes"],
            next_review_on=data["next_review_on"],
        )


class LiftSuspensionView(ManagerActionView):
    form_class = forms.LiftSuspensionForm
    title = "Lift the suspension"
    submit_label = "Lift the suspension"
    success_message = "Suspension lifted."

    def perform(self, form):
        suspensions.lift_suspension(
            suspension=get_object_or_404(self.case.suspensions, pk=self.kwargs["suspension"]),
            by=self.request.user,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
        )


class RecordReferralView(ManagerActionView):
    form_class = forms.ReferralDecisionForm
    title = "Record a referral decision"
    intro = (
        "A DBS referral is a legal duty when someone is removed from regulated activity, or "
        "would have been, for harm to a child; for a teacher, a referral to the Teaching "
        "Regulation Agency must be considered. Record a referral made, with its date and "
        "reference, or not made, with the reasons. A settlement never prevents a referral."
    )
    submit_label = "Record the decision"
    success_message = "Referral decision recorded."

    def perform(self, form):
        data = form.cleaned_data
        referrals.record_referral_decision(
            case=self.case,
            by=self.request.user,
            body=data["body"],
            made=data["made"],
            made_on=data["made_on"],
            reference=data["reference"],
            reasons=data["reasons"],
        )


class RecordSettlementView(ManagerActionView):
    form_class = forms.SettlementForm
    title = "Record a settlement or agreed departure"
    intro = (
        "The case goes on after a settlement, and so do its referral questions: a settlement "
        "never prevents a referral to the DBS or the Teaching Regulation Agency."
    )
    submit_label = "Record it"
    success_message = "Recorded; the case and its referral questions go on."

    def perform(self, form):
        data = form.cleaned_data
        referrals.record_settlement(
            case=self.case,
            by=self.request.user,
            kind=data["kind"],
            agreed_on=data["agreed_on"],
            leaves_on=data["leaves_on"],
            terms=data["terms"],
            referral_unaffected=data["referral_unaffected"],
        )


def arrangement_from(form) -> Arrangement:
    data = form.cleaned_data
    return Arrangement(
        chair=data["chair"],
        starts_at=form.starts_at(),
        location=data["location"],
        notice_given_on=data["notice_given_on"],
        panel=data["panel"],
        companion_kind=data["companion_kind"],
        companion_name=data["companion_name"],
        dismissal_possible=data.get("dismissal_possible", False),
    )


class RescheduleHearingView(ManagerActionView):
    form_class = forms.RescheduleForm
    title = "Move the hearing"
    submit_label = "Move the hearing"
    success_message = "The hearing has been moved."
    kind = Hearing.Kind.DISCIPLINARY

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "appeal": self.kind == Hearing.Kind.APPEAL}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = hearing_name(self.case, self.kind)
        context.update(title=f"Move the {name}", submit_label=f"Move the {name}")
        return context

    def get_success_message(self):
        return f"The {hearing_name(self.case, self.kind)} has been moved."

    def get_initial(self):
        hearing = current_hearing(self.case, self.kind)
        if hearing is None:
            return {}
        starts = timezone.localtime(hearing.starts_at)
        return {
            "chair": hearing.chair_id,
            "date": starts.date(),
            "time": starts.time(),
            "location": hearing.location,
            "panel": hearing.panel,
            "notice_given_on": timezone.localdate(),
            "companion_kind": hearing.companion_kind,
            "companion_name": hearing.companion_name,
            "dismissal_possible": hearing.dismissal_possible,
        }

    def perform(self, form):
        hearings.reschedule_hearing(
            case=self.case,
            by=self.request.user,
            arrangement=arrangement_from(form),
            reason=form.cleaned_data["reason"],
            postponed_for_companion=form.cleaned_data["postponed_for_companion"],
            postponed_for_subject=form.cleaned_data["postponed_for_subject"],
            kind=self.kind,
        )


class RescheduleAppealView(RescheduleHearingView):
    kind = Hearing.Kind.APPEAL


class ReplaceInvestigatorView(ManagerActionView):
    form_class = forms.ReplaceInvestigatorForm
    title = "Replace the investigating officer"
    submit_label = "Replace the officer"
    success_message = "The investigation has a new officer."

    def perform(self, form):
        investigation.replace_investigating_officer(
            case=self.case,
            by=self.request.user,
            officer=form.cleaned_data["officer"],
            reason=form.cleaned_data["reason"],
        )


class InvestigatorActionView(CaseFormView):
    refusal = "Only the investigating officer may record the investigation, while it is under way."

    def may_act(self):
        return permissions.may_record_investigation(self.case, self.request.user)


class RecordMeetingView(InvestigatorActionView):
    form_class = forms.MeetingForm
    title = "Record an investigation meeting"
    intro = (
        "Investigation meetings establish facts; they are not disciplinary, so there is no "
        "statutory right to be accompanied."
    )
    submit_label = "Record the meeting"
    success_message = "Meeting recorded."

    def perform(self, form):
        data = form.cleaned_data
        investigation.record_meeting(
            case=self.case,
            by=self.request.user,
            held_at=form.moment(),
            location=data["location"],
            with_whom=data["with_whom"],
            notes=data["notes"],
        )


class RecordStatementView(InvestigatorActionView):
    form_class = forms.StatementForm
    title = "Record a witness statement"
    submit_label = "Record the statement"
    success_message = "Statement recorded."

    def perform(self, form):
        data = form.cleaned_data
        investigation.record_statement(
            case=self.case,
            by=self.request.user,
            taken_on=data["taken_on"],
            statement=data["statement"],
            witness=data["witness"],
            witness_name=data["witness_name"],
        )


class AddEvidenceView(CaseFormView):
    form_class = forms.EvidenceForm
    title = "Add evidence"
    submit_label = "Add the file"
    success_message = "Evidence added."
    refusal = EVIDENCE_REFUSAL

    def may_act(self):
        return permissions.may_add_evidence(self.case, self.request.user)

    def perform(self, form):
        try:
            checked = check_upload(form.cleaned_data["file"])
        except RuleBroken as refusal:
            form.add_error("file", refusal.message)
            raise
        evidence.add_evidence(
            case=self.case,
            checked=checked,
            by=self.request.user,
            description=form.cleaned_data["description"],
        )


class EvidenceDownloadView(View):
    """Evidence is only ever served here: permission-checked, as an attachment, audited."""

    def get(self, request, reference, evidence_id):
        case = selectors.case_for(request.user, reference)
        item = case.evidence.filter(pk=evidence_id).first()
        if item is None:
            raise Http404("No such file.")
        audit.record(
            action="viewed.evidence",
            case=case,
            actor=request.user,
            target=item,
            summary=f"Evidence downloaded: {item.original_name}",
        )
        response = FileResponse(
            item.file.open("rb"),
            as_attachment=True,
            filename=item.original_name,
            content_type=item.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(xframe_options_sameorigin, name="dispatch")
# Framed by the task page itself (a PDF in an iframe), never by another site.
@method_decorator(csp_replace({"frame-ancestors": ["'self'"]}), name="dispatch")
class EvidencePreviewView(View):
    """An image or PDF shown on a task page beside the decision: inline, for the same
    people and audited as a download; any other kind of file is only ever downloaded."""

    def get(self, request, reference, evidence_id):
        case = selectors.case_for(request.user, reference)
        item = case.evidence.filter(pk=evidence_id).first()
        if item is None or not facts.previewable(item):
            raise Http404("No such file to preview.")
        if not facts.may_see_evidence(case, request.user):
            raise Http404("No such file.")
        audit.record(
            action="viewed.evidence",
            case=case,
            actor=request.user,
            target=item,
            summary=f"Evidence previewed: {item.original_name}",
        )
        response = FileResponse(item.file.open("rb"), content_type=item.content_type)
        response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class LowLevelLogView(TemplateView):
    template_name = "casework/low_level_log.html"
    page_size = 50

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_low_level_log(request.user):
            raise PermissionDenied("The low-level concerns log is for HR and safeguarding leads.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = selectors.low_level_log(self.request.user)
        page = KeysetPaginator(
            entries,
            self.page_size,
            ordering=selectors.LOW_LEVEL_LOG_ORDER,
            read=selectors.low_level_rows,
        ).page_at(self.request.GET)
        context.update(entries=page, page=page, query="")
        return context
