"""The administration site: no case data unless switched on, then read-only and every page
opened in the audit trail; every change to sign-ins, staff records and roles chained there,
with what it was before and after."""

import pytest

from casework.demo_cases import case_at
from casework.models import AuditEvent, LowLevelConcern, Role, RoleAssignment, Status, User
from tests.conftest import staff, user

pytestmark = pytest.mark.django_db

CASE_DATA_PAGES = [
    "/admin/casework/case/",
    "/admin/casework/ladoreferral/",
    "/admin/casework/investigationreport/",
    "/admin/casework/lowlevelconcern/",
    "/admin/viewflow/process/",
    "/admin/viewflow/task/",
]


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.get(email="admin@stclare.example"))
    return client


def test_by_default_the_superuser_has_no_case_data_pages(admin_client):
    case = case_at(Status.TRIAGE)
    index = admin_client.get("/admin/").content.decode()
    assert "Low level concerns" not in index and "Cases" not in index
    for page in CASE_DATA_PAGES:
        assert admin_client.get(page).status_code == 403, page
    assert admin_client.get(f"/admin/casework/case/{case.pk}/change/").status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="viewed.", case=case).exists()


def test_switched_on_every_case_data_page_opened_is_in_the_trail(admin_client, settings):
    settings.CASEWORK_ADMIN_CASE_DATA = True
    case = case_at(Status.TRIAGE)
    for page in CASE_DATA_PAGES:
        before = AuditEvent.objects.filter(action="viewed.admin_list").count()
        assert admin_client.get(page).status_code == 200, page
        assert AuditEvent.objects.filter(action="viewed.admin_list").count() == before + 1, page
    listed = AuditEvent.objects.filter(action="viewed.admin_list", details__model="casework.case")
    assert str(case.pk) in listed.get().details["shown"]

    concern = LowLevelConcern.objects.create(
        case=case, rationale="Below the harm threshold", recorded_by=user("Hannah", "Reid")
    )
    assert admin_client.get(
        f"/admin/casework/lowlevelconcern/{concern.pk}/change/"
    ).status_code == (200)
    viewed = AuditEvent.objects.filter(action="viewed.admin").last()
    assert viewed.case_id == case.pk and viewed.chain == f"case-{case.pk}"
    assert viewed.object_id == str(concern.pk)
    assert viewed.actor.email == "admin@stclare.example"


def test_switched_on_case_data_is_still_read_only(admin_client, settings):
    settings.CASEWORK_ADMIN_CASE_DATA = True
    case = case_at(Status.TRIAGE)
    response = admin_client.post(
        f"/admin/casework/case/{case.pk}/change/", {"status": Status.WITHDRAWN}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.TRIAGE


def test_making_someone_a_superuser_is_in_the_trail_with_before_and_after(admin_client):
    teacher = user("Tom", "Brennan")
    page = admin_client.get(f"/admin/casework/user/{teacher.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"is_superuser": "on", "is_staff": "on", "is_active": "on"})
    data.pop("password", None)
    for name in ("last_login", "date_joined"):
        data.pop(name, None)
    data["date_joined_0"], data["date_joined_1"] = "2026-01-05", "09:00:00"
    response = admin_client.post(f"/admin/casework/user/{teacher.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(action="user.changed").last()
    assert event.object_id == str(teacher.pk)
    assert event.details["before"]["is_superuser"] is False
    assert event.details["after"]["is_superuser"] is True
    assert {"is_superuser", "is_staff"} <= set(event.details["changed"])
    assert "password" not in event.details["before"]
    assert event.chain == "general" and event.actor.email == "admin@stclare.example"


def test_granting_and_revoking_a_role_are_in_the_trail(admin_client):
    teacher = staff("Tom", "Brennan")
    url = f"/admin/casework/staffmember/{teacher.pk}/change/"
    page = admin_client.get(url)
    data = _form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data[f"{prefix}-{total}-role"] = Role.HR_CASE_MANAGER
    data[f"{prefix}-{total}-person"] = str(teacher.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    granted = AuditEvent.objects.filter(action="roleassignment.granted").last()
    assert granted.details["before"] is None
    assert granted.details["after"]["role"] == Role.HR_CASE_MANAGER
    assignment = RoleAssignment.objects.get(person=teacher, role=Role.HR_CASE_MANAGER)

    page = admin_client.get(url)
    data = _form_data(page)
    for key, value in list(data.items()):
        if key.endswith("-id") and value == str(assignment.pk):
            data[key.removesuffix("-id") + "-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    revoked = AuditEvent.objects.filter(action="roleassignment.revoked").last()
    assert revoked.details["before"]["role"] == Role.HR_CASE_MANAGER
    assert revoked.details["after"] is None


def _form_data(page) -> dict:
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = str(management[name].value() or 0)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            elif value is not True:
                value = str(value)
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def _errors(response) -> str:
    context = getattr(response, "context", None) or {}
    form = context.get("adminform")
    errors = [form.form.errors] if form else []
    for inline in context.get("inline_admin_formsets", []):
        errors.append(inline.formset.errors)
    return repr(errors)
