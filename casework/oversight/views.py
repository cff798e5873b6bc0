"""Oversight for HR: the audit log, and spreadsheet exports of it and of the case register.

Reading the audit log and taking an export are themselves audited. Every cell written to a
spreadsheet is neutralised so that text someone typed into a concern can never run as a
formula when the file is opened (CSV injection).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from casework import audit, permissions, selectors
from casework.forms import DateInput, RegisterFilterForm
from casework.paging import KeysetPaginator, without_page
from casework.spreadsheets import csv_response


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, max_length=100, label="Who")
    action = forms.ChoiceField(required=False, label="Action")
    reference = forms.CharField(required=False, max_length=30, label="Case reference")
    since = forms.DateField(required=False, widget=DateInput, label="From")
    until = forms.DateField(required=False, widget=DateInput, label="To")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action")] + [
            (action, action) for action in selectors.audit_actions()
        ]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end of the period must not be before its start.")
        return data


class HROnly(View):
    refusal = "The audit log is for HR case managers."

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_view_audit_log(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def filters(self) -> tuple[AuditFilterForm, dict]:
        form = AuditFilterForm(self.request.GET or None)
        if not form.is_bound or not form.is_valid():
            return form, {}
        return form, {key: value for key, value in form.cleaned_data.items() if value}


def _described(filters: dict) -> dict:
    return {key: str(value) for key, value in filters.items()}


class AuditLogView(HROnly, TemplateView):
    template_name = "casework/oversight/audit_log.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters = self.filters()
        events = selectors.audit_log(self.request.user, **filters)
        page = KeysetPaginator(
            events,
            self.page_size,
            ordering=selectors.AUDIT_LOG_ORDER,
            read=selectors.audit_log_rows,
        ).page_at(self.request.GET)
        audit.record(
            action="viewed.audit_log",
            actor=self.request.user,
            summary="Audit log viewed",
            details={"filters": _described(filters), "page": page.number},
        )
        context.update(form=form, page=page, query=without_page(self.request.GET).urlencode())
        return context


class AuditLogExportView(HROnly):
    def get(self, request):
        _form, filters = self.filters()
        events = selectors.audit_log(request.user, **filters)
        audit.record(
            action="exported.audit_log",
            actor=request.user,
            summary=f"Audit log exported ({events.count()} events)",
            details={"filters": _described(filters)},
        )
        rows = (
            [
                event.id,
                timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
                event.actor_label,
                event.client_address or "",
                event.action,
                event.case.reference if event.case else event.details.get("reference", ""),
                f"{event.object_type} {event.object_id}".strip(),
                event.summary,
                event.hash,
            ]
            for event in events.iterator(chunk_size=500)
        )
        return csv_response(
            f"casework-audit-log-{timezone.localdate():%Y-%m-%d}.csv",
            ["Event", "When", "Who", "From", "Action", "Case", "Object", "Summary", "Hash"],
            rows,
        )


class RegisterExportView(View):
    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_export_register(request.user):
            raise PermissionDenied("Only HR case managers may export the case register.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = RegisterFilterForm(request.GET or None, trust=permissions.trust_of(request.user))
        filters = form.filters()
        # In the order the register showed them, with the case manager it showed.
        cases = selectors.register(request.user, **filters).order_by(*form.ordering())
        audit.record(
            action="exported.case_register",
            actor=request.user,
            summary=f"Case register exported ({cases.count()} cases)",
            details={"filters": _described({k: v for k, v in filters.items() if v})},
        )
        rows = (
            [
                case.reference,
                case.subject_name,
                case.school_name,
                timezone.localtime(case.raised_at).date().isoformat(),
                case.stage_as_recorded,
                "yes" if case.safeguarding else "no",
                case.due_on.isoformat() if case.due_on else "",
                case.sanction_label,
                case.case_manager_name,
            ]
            # Streamed in chunks: memory stays flat however long the register.
            for case in selectors.register_rows(cases, chunk_size=2000)
        )
        return csv_response(
            f"casework-register-{timezone.localdate():%Y-%m-%d}.csv",
            [
                *("Reference", "About", "School", "Raised", "Stage", "Safeguarding", "Due"),
                *("Outcome", "Case manager"),
            ],
            rows,
        )
