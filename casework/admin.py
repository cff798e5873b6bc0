"""The admin is for superusers: reference data and sign-ins, never a case's status.

By default it shows no case data at all. With CASEWORK_ADMIN_CASE_DATA on, cases and what
hangs off them can be looked at here, read-only (a case changes only through the services,
which check who may act, keep its workflow in step and audit it), and every such page
opened is recorded in the audit trail. Every change to a sign-in, a staff record or a role
is recorded in the trail too, with what it was before and after.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms.models import model_to_dict
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

# --- Changes to who may do what: each in the audit trail, before and after -------------

# Never copied into the trail: a password hash, and what changes at every sign-in.
UNRECORDED_FIELDS = {"password", "last_login"}


def snapshot(instance) -> dict:
    values = model_to_dict(instance)
    for name in UNRECORDED_FIELDS & values.keys():
        values.pop(name)
    return {
        name: [str(item.pk if hasattr(item, "pk") else item) for item in value]
        if isinstance(value, list | tuple)
        else (value if isinstance(value, bool | int | float | type(None)) else str(value))
        for name, value in values.items()
    }


def record_change(request, *, action: str, instance, before: dict | None, after: dict | None):
    changed = sorted(
        name
        for name in set(before or {}) | set(after or {})
        if (before or {}).get(name) != (after or {}).get(name)
    )
    if before is not None and after is not None and not changed:
        return
    audit.record(
        action=action,
        actor=request.user,
        target=instance,
        summary=f"{instance._meta.verbose_name.capitalize()} {action.split('.')[-1]} in the "
        f"administration site: {instance}"[:300],
        details={"before": before, "after": after, "changed": changed, "via": "admin"},
    )


class ChangesAudited:
    """Every addition, change and deletion made here is a chained audit event."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        label = obj._meta.model_name
        action = f"{label}.changed" if change else f"{label}.added"
        record_change(request, action=action, instance=obj, before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        before = snapshot(obj)
        super().delete_model(request, obj)
        record_change(
            request,
            action=f"{obj._meta.model_name}.deleted",
            instance=obj,
            before=before,
            after=None,
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        befores = {
            id(inline.instance): snapshot(type(inline.instance).objects.get(pk=inline.instance.pk))
            for inline in formset.initial_forms
            if inline.instance.pk is not None
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_change(
                request,
                action=f"{obj._meta.model_name}.granted",
                instance=obj,
                before=None,
                after=snapshot(obj),
            )
        for obj, _fields in formset.changed_objects:
            record_change(
                request,
                action=f"{obj._meta.model_name}.changed",
                instance=obj,
                before=befores.get(id(obj)),
                after=snapshot(obj),
            )
        for obj in formset.deleted_objects:
            record_change(
                request,
                action=f"{obj._meta.model_name}.revoked",
                instance=obj,
                before=befores.get(id(obj)),
                after=None,
            )


@admin.register(User)
class UserAdmin(ChangesAudited, DjangoUserAdmin):
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

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = self.get_object(request, id)
            audit.record(
                action="user.password_set",
                actor=request.user,
                target=person,
                summary=f"Password set in the administration site for {person}",
                details={"via": "admin"},
            )
        return response


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "trust"]


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "school", "deputy"]

    def clean(self):
        cleaned = super().clean()
        school = cleaned.get("school")
        person = self.instance.person if self.instance.person_id else None
        trust_id = getattr(self, "trust_id", None) or (person.trust_id if person else None)
        if school is not None and trust_id is not None and school.trust_id != trust_id:
            raise forms.ValidationError(f"{school.name} is a school of another trust.")
        return cleaned


class RoleAssignmentFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The person's trust as the page sends it: a role is held at a school of one's own.
        trust = self.data.get("trust") if self.is_bound else None
        form.trust_id = int(trust) if trust and str(trust).isdigit() else self.instance.trust_id
        return form


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    extra = 0


class StaffMemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = [
            "trust",
            "school",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "kind",
            "is_teacher",
            "started_on",
            "left_on",
            "date_of_birth",
            "user",
        ]

    def clean(self):
        cleaned = super().clean()
        school, trust = cleaned.get("school"), cleaned.get("trust")
        if school is not None and trust is not None and school.trust_id != trust.pk:
            raise forms.ValidationError(f"{school.name} is a school of another trust.")
        return cleaned


@admin.register(StaffMember)
class StaffMemberAdmin(ChangesAudited, admin.ModelAdmin):
    form = StaffMemberForm
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


def case_of(obj):
    """The case an admin object belongs to, for its audit event (a case is its own)."""
    if isinstance(obj, Case):
        return obj
    case = getattr(obj, "case", None)
    if case is None and hasattr(obj, "artifact"):  # a workflow process or task
        case = getattr(getattr(obj, "artifact", None), "case", None)
    return case if isinstance(case, Case) else None


class CaseDataAdmin:
    """Case data: absent unless CASEWORK_ADMIN_CASE_DATA is on, then read-only and every
    page opened recorded in the audit trail."""

    def has_module_permission(self, request):
        return settings.CASEWORK_ADMIN_CASE_DATA and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return settings.CASEWORK_ADMIN_CASE_DATA and super().has_view_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        shown = getattr(response, "context_data", {}) or {}
        changelist = shown.get("cl")
        if changelist is not None:
            rows = list(changelist.result_list)
            audit.record(
                action="viewed.admin_list",
                actor=request.user,
                summary=f"{self.model._meta.verbose_name_plural.capitalize()} listed in the "
                "administration site",
                details={
                    "via": "admin",
                    "model": self.model._meta.label_lower,
                    "query": request.GET.urlencode()[:500],
                    "shown": [str(row.pk) for row in rows],
                },
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if self.has_view_permission(request) else None
        if obj is not None:
            audit.record(
                action="viewed.case" if isinstance(obj, Case) else "viewed.admin",
                case=case_of(obj),
                actor=request.user,
                target=obj,
                summary=f"{obj._meta.verbose_name.capitalize()} viewed in the administration site"[
                    :300
                ],
                details={"via": "admin", "model": obj._meta.label_lower},
            )
        return super().change_view(request, object_id, form_url, extra_context)


class ReadOnlyCaseAdmin(CaseDataAdmin, ReadOnlyAdmin):
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
class ReadOnlyProcessAdmin(CaseDataAdmin, NothingChangesHere, ViewflowProcessAdmin):
    pass


class ReadOnlyTaskAdmin(CaseDataAdmin, NothingChangesHere, ViewflowTaskAdmin):
    pass


for _model, _admin in ((Process, ReadOnlyProcessAdmin), (Task, ReadOnlyTaskAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
