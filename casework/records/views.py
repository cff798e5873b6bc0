"""HR's subject access requests: the list with deadlines, one request, and its steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from casework import audit, forms, permissions, selectors
from casework.errors import CaseworkError, NotAllowed
from casework.services import subject_access
from casework.views.base import ServiceFormView

REFUSAL = "Subject access requests are handled by HR case managers."


class HROnly:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_handle_subject_access(request.user):
            raise PermissionDenied(REFUSAL)
        return super().dispatch(request, *args, **kwargs)


class OneRequest(HROnly):
    """A page about one request: 404 if there is none the person may see."""

    def dispatch(self, request, *args, **kwargs):
        if permissions.may_handle_subject_access(request.user):
            self.sar = selectors.subject_access_request_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self) -> str:
        return reverse("casework:subject_access_request", args=[self.sar.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url()


class SubjectAccessListView(HROnly, TemplateView):
    template_name = "casework/subject_access/list.html"
    page_size = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = selectors.subject_access_requests(self.request.user)
        page = Paginator(requests, self.page_size).get_page(self.request.GET.get("page"))
        audit.record(
            action="viewed.subject_access_requests",
            actor=self.request.user,
            summary="Subject access requests viewed",
            details={"page": page.number},
        )
        today = timezone.localdate()
        context.update(
            page=page,
            rows=[(sar, selectors.subject_access_deadline(sar, today=today)) for sar in page],
        )
        return context


class LogSubjectAccessRequestView(HROnly, ServiceFormView):
    form_class = forms.SubjectAccessRequestForm
    title = "Log a subject access request"
    intro = (
        "Log the request the day it arrives: its deadline runs from the day the trust "
        "received it, whether or not that was a working day."
    )
    submit_label = "Log the request"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": permissions.person_of(self.request.user)}

    def get_cancel_url(self) -> str:
        return reverse("casework:subject_access_requests")

    def perform(self, form):
        data = form.cleaned_data
        self.created = subject_access.log_subject_access_request(
            person=data["person"],
            received_on=data["received_on"],
            received_via=data["received_via"],
            notes=data["notes"],
            by=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Request logged: due by {self.created.due_on:%A %-d %B %Y}."

    def get_success_url(self) -> str:
        return reverse("casework:subject_access_request", args=[self.created.pk])


class SubjectAccessDetailView(OneRequest, TemplateView):
    template_name = "casework/subject_access/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sar = self.sar
        audit.record(
            action="viewed.subject_access_request",
            actor=self.request.user,
            target=sar,
            summary=f"Subject access request of {sar.person.full_name} viewed",
            details={"person": sar.person_id},
        )
        too_close = permissions.too_close_to_subject_access(self.request.user, sar)
        context.update(
            sar=sar,
            deadline=selectors.subject_access_deadline(sar, today=timezone.localdate()),
            too_close=too_close,
            extension_form=forms.SubjectAccessExtensionForm(trust=sar.person.trust_id),
            answered_form=forms.SubjectAccessAnsweredForm(),
        )
        return context


class ExtendSubjectAccessView(OneRequest, ServiceFormView):
    form_class = forms.SubjectAccessExtensionForm
    title = "Extend the deadline"
    submit_label = "Extend the deadline"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "trust": self.sar.person.trust_id}

    def perform(self, form):
        self.sar = subject_access.extend_subject_access_deadline(
            request=self.sar, by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def get_success_message(self) -> str:
        return f"Deadline extended: now due by {self.sar.due_on:%A %-d %B %Y}."


class AnsweredSubjectAccessView(OneRequest, ServiceFormView):
    form_class = forms.SubjectAccessAnsweredForm
    title = "Record that the request was answered"
    submit_label = "Record the answer"
    success_message = "The request is recorded as answered."

    def perform(self, form):
        subject_access.record_subject_access_answered(
            request=self.sar, by=self.request.user, answered_on=form.cleaned_data["answered_on"]
        )


class ProduceSubjectAccessExportView(OneRequest, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            subject_access.produce_subject_access_export(request=self.sar, by=request.user)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except CaseworkError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                "Export produced. Check the files its README lists before sending it.",
            )
        return redirect("casework:subject_access_request", self.sar.pk)


class DownloadSubjectAccessExportView(OneRequest, View):
    def get(self, request, pk):
        try:
            content = subject_access.download_subject_access_export(
                request=self.sar, by=request.user
            )
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except CaseworkError:
            raise Http404("No export has been produced for this request.") from None
        response = HttpResponse(content, content_type="application/zip")
        produced = timezone.localdate(self.sar.export_produced_at)
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{self.sar.pk}-{produced:%Y-%m-%d}.zip"'
        )
        response["Cache-Control"] = "private, no-store"
        return response
