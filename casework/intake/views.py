"""Raising a concern, and following one's own reports."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from casework import permissions, selectors
from casework.errors import RuleBroken
from casework.evidence import check_upload
from casework.forms import ConcernForm
from casework.intake.concerns import (
    AlreadyReported,
    Concern,
    SchoolNotConfirmed,
    report_concern,
)
from casework.models import Case
from casework.views.base import ServiceFormView
from casework.views.suggestions import offer_to_concern_form


class ReportConcernView(ServiceFormView):
    form_class = ConcernForm
    template_name = "casework/report_concern.html"
    title = "Report a concern"
    submit_label = "Send the concern"

    def dispatch(self, request, *args, **kwargs):
        self.reporter = permissions.person_of(request.user)
        if self.reporter is None or self.reporter.has_left:
            raise PermissionDenied(
                "Only members of the trust's workforce can raise a concern here."
            )
        self.policy = selectors.current_policy(trust=self.reporter.trust)
        if self.policy is None:
            raise PermissionDenied("No policy is loaded yet. Tell HR.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reporter": self.reporter, "policy": self.policy}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offer_to_concern_form(context["form"], policy=self.policy)
        return context

    def post(self, request, *args, **kwargs):
        if "suggest" in request.POST:
            # Suggestions asked for without script: the form again as filled in, with the
            # suggestions first and no errors yet; nothing is stored.
            initial = {name: request.POST.get(name) for name in request.POST}
            initial["suspected_clauses"] = request.POST.getlist("suspected_clauses")
            form = self.form_class(initial=initial, reporter=self.reporter, policy=self.policy)
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        checked = []
        for upload in data["evidence"]:
            try:
                checked.append(check_upload(upload))
            except RuleBroken as refusal:
                form.add_error("evidence", refusal.message)
                raise
        concern = Concern(
            subject=data["subject"],
            school=data["school"],
            school_confirmed=data["school_confirmed"],
            seen_on=data["seen_on"],
            platform=data["platform"],
            platform_other=data["platform_other"],
            account_kind=data["account_kind"],
            what_was_seen=data["what_was_seen"],
            links=data["links"],
            suspected_clauses=list(data["suspected_clauses"]),
            clauses_not_sure=data["clauses_not_sure"],
            pupils_involved=data["pupils_involved"],
            pupil_left_on=data["pupil_left_on"],
            confidentiality_requested=data["confidentiality_requested"],
            evidence=checked,
            offered_clauses=data["offered_clauses"],
            personal_data_shared=data["personal_data_shared"],
        )
        try:
            self.created = report_concern(
                concern=concern,
                reporter=self.reporter,
                by=self.request.user,
                submission_token=data["submission_token"],
            )
        except AlreadyReported as repeat:
            self.created = repeat.case
            self.success_message = repeat.message
        except SchoolNotConfirmed as refusal:
            form.add_error("school_confirmed", refusal.message)
            raise

    def get_success_url(self):
        return reverse("casework:concern_received", args=[self.created.reference])


@method_decorator(sensitive_post_parameters("what_was_seen"), name="dispatch")
class ConcernSuggestionsView(ReportConcernView):
    """The concern form's clause list, refreshed with suggestions as the reporter types.

    For whoever may use the form, by POST only, so the description never appears in an
    address or a server log; nothing is stored.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        offer_to_concern_form(form, policy=self.policy)
        widget = form.fields["suspected_clauses"].widget
        return JsonResponse(
            {
                "available": not widget.unavailable,
                "offered": [s.code for s in widget.suggestions],
                "safeguarding": any(s.safeguarding for s in widget.suggestions),
                "data_protection": any(s.data_protection for s in widget.suggestions),
                "html": str(form["suspected_clauses"]),
            },
            headers={"Cache-Control": "no-store"},
        )


class ConcernReceivedView(TemplateView):
    template_name = "casework/concern_received.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = permissions.person_of(self.request.user)
        case = Case.objects.filter(reference=kwargs["reference"], reporter=person).first()
        if case is None:
            raise Http404("That reference is not one of your reports.")
        context["case"] = case
        context["plain_status"] = selectors.reporter_status(case)
        return context


class MyReportsView(TemplateView):
    template_name = "casework/my_reports.html"

    def dispatch(self, request, *args, **kwargs):
        if permissions.person_of(request.user) is None:
            raise PermissionDenied("Only members of the trust's workforce raise concerns here.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = selectors.my_reports(self.request.user)
        return context
