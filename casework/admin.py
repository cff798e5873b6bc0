"""The admin is for superusers: reference data and sign-ins, never a case's status.

Cases and what hangs off them can be looked at here, read-only: a case changes only
through the services, which check who may act, keep its workflow in step and audit it.
Every case opened here is recorded in the audit trail like a view of the case page.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from viewflow.workflow.admin import ProcessAdmin as ViewflowProcessAdmin
from viewflow.workflow.admin import TaskAdmin as ViewflowTaskAdmin
from viewflow.workflow.models import Process, Task

from . import audit
from .models import (
    Allegation,
    Appeal,
    Case,
    Clause,
    DpoDecision,
    EvidenceFile,
    Hearing,
    InvestigationMeeting,
    InvestigationReport,
    LadoReferral,
    LowLevelConcern,
    Policy,
    ReferralDecision,
    RoleAssignment,
    SafeguardingReview,
    School,
    Settlement,
    SignOff,
    StaffMember,
    Suspension,
    Trust,
    User,
    WitnessStatement,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = []
    list_filter = ["is_active", "is_superuser"]


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "trust"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "school", "kind", "is_teacher", "left_on"]
    list_filter = ["kind", "is_teacher", "school"]
    search_fields = ["first_name", "last_name", "email"]
    inlines = [RoleAssignmentInline]
    autocomplete_fields = ["user"]


class NothingChangesHere:
    """Shown, never added, changed or deleted here, not even by a superuser."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NothingChangesHere, admin.ModelAdmin):
    """Policy versions are loaded, never edited: cases cite them word for word."""


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = ["code", "kind", "text", "summary", "safeguarding", "data_protection"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "is_current", "next_review_due"]
    inlines = [ClauseInline]


# --- Cases: read-only -------------------------------------------------------------------


class ReadOnlyInline(NothingChangesHere, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class AllegationInline(ReadOnlyInline):
    model = Allegation
    fields = ["number", "clause", "particulars", "investigation_finding", "hearing_finding"]


class EvidenceInline(ReadOnlyInline):
    model = EvidenceFile
    # The stored file's name is not shown: evidence is served only by the case page.
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class HearingInline(ReadOnlyInline):
    model = Hearing
    fields = ["kind", "chair", "starts_at", "location", "replaces", "change_reason"]


class SignOffInline(ReadOnlyInline):
    model = SignOff
    fields = ["signed_by", "role_title", "approved", "sanction", "decided_at"]


class SuspensionInline(ReadOnlyInline):
    model = Suspension
    fields = ["started_on", "next_review_on", "ended_on", "welfare_contact"]


class ReadOnlyCaseAdmin(ReadOnlyAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + [
            f.name for f in self.model._meta.many_to_many
        ]


@admin.register(Case)
class CaseAdmin(ReadOnlyCaseAdmin):
    """The status (django-fsm, protected) is shown, never edited: see casework.services."""

    list_display = ["reference", "school", "status", "safeguarding", "raised_at", "closed_at"]
    list_filter = ["status", "school", "safeguarding"]
    search_fields = ["reference"]
    inlines = [AllegationInline, EvidenceInline, HearingInline, SignOffInline, SuspensionInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None:
            audit.record(
                action="viewed.case",
                case=case,
                actor=request.user,
                target=case,
                summary="Case viewed in the administration site",
                details={"via": "admin"},
            )
        return super().change_view(request, object_id, form_url, extra_context)


class CasePartAdmin(ReadOnlyCaseAdmin):
    list_display = ["__str__", "case"]
    search_fields = ["case__reference"]


for model in (
    InvestigationMeeting,
    WitnessStatement,
    InvestigationReport,
    Appeal,
    LadoReferral,
    LowLevelConcern,
    DpoDecision,
    SafeguardingReview,
    ReferralDecision,
    Settlement,
):
    admin.site.register(model, CasePartAdmin)


# A case's workflow follows its status: editing a process or task here would leave the
# case and its tasks disagreeing.
class ReadOnlyProcessAdmin(NothingChangesHere, ViewflowProcessAdmin):
    pass


class ReadOnlyTaskAdmin(NothingChangesHere, ViewflowTaskAdmin):
    pass


for _model, _admin in ((Process, ReadOnlyProcessAdmin), (Task, ReadOnlyTaskAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
