"""Subject access requests as records: HR logs each one, answers it from an export produced
from it, and keeps to its deadline (one calendar month, extendable by two with a reason)."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import case_at, hr, person
from casework.errors import NotAllowed, RuleBroken
from casework.models import AuditEvent, Status, SubjectAccessRequest
from casework.services import subject_access
from casework.services.subject_access import subject_access_due
from tests.trusts import demo_trust_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]

D = datetime.date
LIST = reverse("casework:subject_access_requests")
NEW = reverse("casework:log_subject_access_request")


def page_of(sar: SubjectAccessRequest, name: str = "subject_access_request") -> str:
    return reverse(f"casework:{name}", args=[sar.pk])


def logged(
    who=("Daniel", "Shaw"), *, received_on=None, by=None, via="email"
) -> SubjectAccessRequest:
    return subject_access.log_subject_access_request(
        person=person(*who),
        received_on=received_on or timezone.localdate(),
        received_via=via,
        by=by or hr(),
    )


def footprint() -> tuple:
    return (
        list(SubjectAccessRequest.objects.values()),
        AuditEvent.objects.exclude(action__startswith="viewed.").count(),
    )


# --- Logging a request, and its deadline ------------------------------------------------------


def test_a_request_is_due_one_calendar_month_after_the_day_it_was_received(time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
    sar = logged(received_on=D(2026, 9, 3))
    assert sar.due_on == D(2026, 10, 5)  # 3 October 2026 is a Saturday
    assert sar.due_on == subject_access_due(D(2026, 9, 3), extended=False, trust=demo_trust_id())
    event = AuditEvent.objects.get(action="subject_access.logged")
    assert event.actor == hr() and event.object_id == str(sar.pk)
    assert event.details["due_on"] == "2026-10-05"


def test_the_months_are_settings(settings):
    settings.CASEWORK_PROCEDURE = {
        **settings.CASEWORK_PROCEDURE,
        "SUBJECT_ACCESS_MONTHS": 2,
        "SUBJECT_ACCESS_EXTENSION_MONTHS": 1,
    }
    assert subject_access_due(D(2026, 3, 10), extended=False, trust=demo_trust_id()) == D(
        2026, 5, 11
    )  # 10 May: Sun
    assert subject_access_due(D(2026, 3, 10), extended=True, trust=demo_trust_id()) == D(
        2026, 6, 10
    )


def test_hr_logs_a_request_and_sees_it_listed_with_its_due_date(sign_in):
    client = sign_in("Hannah", "Reid")
    assert client.get(NEW).status_code == 200
    received = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        NEW,
        {
            "person": person("Daniel", "Shaw").pk,
            "received_on": received.isoformat(),
            "received_via": "letter",
            "notes": "Asks for everything since September.",
        },
    )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == page_of(sar)
    assert (sar.person, sar.received_on, sar.received_via) == (
        person("Daniel", "Shaw"),
        received,
        "letter",
    )
    assert sar.logged_by == hr()
    assert sar.due_on == subject_access_due(received, extended=False, trust=demo_trust_id())
    listing = client.get(LIST).content.decode()
    assert "Daniel Shaw" in listing
    assert f"{sar.due_on:%A} {sar.due_on.day} {sar.due_on:%B %Y}" in listing
    days = (sar.due_on - timezone.localdate()).days
    assert f"Due in {days} days" in listing
    assert AuditEvent.objects.filter(action="viewed.subject_access_requests").exists()


def test_a_request_for_someone_who_has_left_can_be_logged(sign_in):
    leaver = person("Liam", "Murphy")
    leaver.left_on = timezone.localdate() - datetime.timedelta(days=60)
    leaver.save(update_fields=["left_on"])
    client = sign_in("Hannah", "Reid")
    offered = client.get(NEW).context["form"].fields["person"].queryset
    assert leaver in offered
    assert logged(("Liam", "Murphy")).person == leaver


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_on": "2999-01-01"}, "cannot be in the future"),
        ({"received_on": "2026-02-30"}, "Enter a valid date"),
        ({"received_via": "pigeon"}, "Select a valid choice"),
        ({"person": "999999"}, "Select a valid choice"),
        ({"person": ""}, "This field is required"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_recorded(sign_in, changes, message):
    client = sign_in("Hannah", "Reid")
    before = footprint()
    data = {
        "person": person("Daniel", "Shaw").pk,
        "received_on": timezone.localdate().isoformat(),
        "received_via": "email",
        **changes,
    }
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert footprint() == before


def test_the_service_refuses_a_future_date_and_an_unknown_channel():
    with pytest.raises(RuleBroken, match="cannot be in the future"):
        logged(received_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(RuleBroken, match="how the request arrived"):
        logged(via="pigeon")
    assert not SubjectAccessRequest.objects.exists()


# --- Need to know ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [("Michael", "Okafor"), ("Rachel", "Green"), ("Catherine", "Walsh"), ("Daniel", "Shaw")],
    ids=["headteacher", "dsl", "trust executive", "member of staff"],
)
def test_only_hr_may_see_or_handle_subject_access_requests(sign_in, who):
    sar = logged()
    client = sign_in(*who)
    for url in (LIST, NEW, page_of(sar), page_of(sar, "extend_subject_access")):
        assert client.get(url).status_code == 403, url
    assert client.post(page_of(sar, "produce_subject_access_export")).status_code == 403
    assert client.get(page_of(sar, "subject_access_export")).status_code == 403
    with pytest.raises(NotAllowed):
        subject_access.produce_subject_access_export(request=sar, by=person(*who).user)
    with pytest.raises(NotAllowed):
        logged(("Ben", "Taylor"), by=person(*who).user)
    sar.refresh_from_db()
    assert not sar.has_export


def test_nobody_handles_a_request_about_themselves(sign_in):
    with pytest.raises(NotAllowed, match="about yourself"):
        logged(("Hannah", "Reid"), by=hr())
    about_hannah = logged(("Hannah", "Reid"), by=person("Marcus", "Obi").user)
    client = sign_in("Hannah", "Reid")
    assert list(client.get(LIST).context["page"]) == []
    assert client.get(page_of(about_hannah)).status_code == 404
    assert client.get(page_of(about_hannah, "subject_access_export")).status_code == 404
    with pytest.raises(NotAllowed):
        subject_access.produce_subject_access_export(request=about_hannah, by=hr())


def test_hr_too_close_to_a_case_in_the_export_may_not_handle_the_request(sign_in):
    """Marcus raised the concern about Daniel: Daniel's export holds that case."""
    case_at(Status.TRIAGE, reporter=("Marcus", "Obi"))
    marcus = person("Marcus", "Obi").user
    with pytest.raises(NotAllowed, match="export would hold a case"):
        logged(by=marcus)
    sar = logged()
    with pytest.raises(NotAllowed, match="too close"):
        subject_access.produce_subject_access_export(request=sar, by=marcus)
    client = sign_in("Marcus", "Obi")
    page = client.get(page_of(sar))
    assert page.status_code == 200
    assert "Another HR case manager must handle it" in page.content.decode()
    assert client.post(page_of(sar, "produce_subject_access_export")).status_code == 403
    sar.refresh_from_db()
    assert not sar.has_export


# --- The export ------------------------------------------------------------------------------


def test_the_export_is_produced_from_the_request_and_shows_who_and_when(sign_in):
    case = case_at(Status.TRIAGE)
    sar = logged()
    client = sign_in("Hannah", "Reid")
    response = client.post(page_of(sar, "produce_subject_access_export"))
    assert response.status_code == 302 and response["Location"] == page_of(sar)
    sar.refresh_from_db()
    assert sar.export_produced_by == hr() and sar.export_produced_at is not None
    assert default_storage.exists(sar.export_file.name)
    detail = client.get(page_of(sar)).content.decode()
    assert f"Produced {timezone.localtime(sar.export_produced_at):%-d %B %Y}" in detail
    assert "by Hannah Reid" in detail

    download = client.get(page_of(sar, "subject_access_export"))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert json.loads(archive.read("your-record.json"))["name"] == "Daniel Shaw"
        assert f"cases-about-you/{case.reference}/case.json" in archive.namelist()
        (asked,) = json.loads(archive.read("subject-access-requests.json"))
        assert asked["received_on"] == sar.received_on.isoformat()
    produced = AuditEvent.objects.get(action="exported.subject_data")
    assert produced.actor == hr() and produced.object_id == str(sar.pk)
    assert AuditEvent.objects.filter(
        action="viewed.subject_access_export", object_id=str(sar.pk), actor=hr()
    ).exists()


def test_producing_it_again_keeps_only_the_new_export(django_capture_on_commit_callbacks):
    sar = logged()
    with django_capture_on_commit_callbacks(execute=True):
        first = subject_access.produce_subject_access_export(request=sar, by=hr()).export_file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = subject_access.produce_subject_access_export(request=sar, by=hr()).export_file.name
    assert first != second
    assert default_storage.exists(second) and not default_storage.exists(first)


def test_a_changed_export_file_is_not_served(sign_in):
    sar = subject_access.produce_subject_access_export(request=logged(), by=hr())
    with default_storage.open(sar.export_file.name, "wb") as handle:
        handle.write(b"tampered")
    with pytest.raises(RuleBroken, match="no longer matches"):
        subject_access.download_subject_access_export(request=sar, by=hr())


def test_no_download_before_an_export_is_produced(sign_in):
    sar = logged()
    assert sign_in("Hannah", "Reid").get(page_of(sar, "subject_access_export")).status_code == 404


# --- Extending the deadline ------------------------------------------------------------------


def test_the_deadline_is_extended_once_with_a_reason_within_the_first_month(sign_in):
    received = timezone.localdate() - datetime.timedelta(days=5)
    sar = logged(received_on=received)
    client = sign_in("Hannah", "Reid")
    url = page_of(sar, "extend_subject_access")
    before = footprint()
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and footprint() == before
    response = client.post(url, {"reason": "Ten years of records across three schools."})
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.due_on == subject_access_due(received, extended=True, trust=demo_trust_id())
    assert sar.extended_by == hr() and sar.extension_reason.startswith("Ten years")
    assert "Extended" in client.get(LIST).content.decode()
    again = client.post(url, {"reason": "Still more."})
    assert again.status_code == 200
    assert "only once" in again.content.decode()
    assert AuditEvent.objects.filter(action="subject_access.extended").count() == 1


def test_an_extension_after_the_first_deadline_is_refused(time_machine):
    sar = logged(received_on=timezone.localdate() - datetime.timedelta(days=3))
    time_machine.move_to(
        timezone.make_aware(datetime.datetime.combine(sar.due_on, datetime.time(12)))
        + datetime.timedelta(days=1)
    )
    with pytest.raises(RuleBroken, match="has passed"):
        subject_access.extend_subject_access_deadline(
            request=sar, by=hr(), reason="Complex, but noticed too late."
        )
    sar.refresh_from_db()
    assert not sar.is_extended


# --- Overdue, and answered ------------------------------------------------------------------


def test_an_overdue_request_is_marked_on_the_list_and_its_page(sign_in):
    sar = logged(received_on=timezone.localdate() - datetime.timedelta(days=70))
    days = (timezone.localdate() - sar.due_on).days
    client = sign_in("Hannah", "Reid")
    listing = client.get(LIST).content.decode()
    assert f"Overdue by {days} day" in listing and 'data-testid="overdue"' in listing
    assert f"Overdue by {days} day" in client.get(page_of(sar)).content.decode()


def test_a_request_is_answered_after_its_export_and_then_no_longer_runs(sign_in):
    sar = logged(received_on=timezone.localdate() - datetime.timedelta(days=70))
    client = sign_in("Hannah", "Reid")
    url = page_of(sar, "answered_subject_access")
    today = timezone.localdate()
    before = footprint()
    too_soon = client.post(url, {"answered_on": today.isoformat()})
    assert "Produce the export first" in too_soon.content.decode()
    assert footprint() == before
    subject_access.produce_subject_access_export(request=sar, by=hr())
    future = client.post(url, {"answered_on": (today + datetime.timedelta(days=1)).isoformat()})
    assert "between" in future.content.decode()
    assert client.post(url, {"answered_on": today.isoformat()}).status_code == 302
    sar.refresh_from_db()
    assert sar.answered_on == today and sar.answered_by == hr()
    listing = client.get(LIST).content.decode()
    assert 'data-testid="overdue"' not in listing
    event = AuditEvent.objects.get(action="subject_access.answered")
    assert "after it was due" in event.summary and event.details["days_late"] > 0
    with pytest.raises(RuleBroken, match="answered"):
        subject_access.produce_subject_access_export(request=sar, by=hr())


def test_the_list_takes_the_same_queries_however_many_requests_there_are(sign_in):
    client = sign_in("Hannah", "Reid")
    logged()
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for who in [("Ben", "Taylor"), ("Laura", "Bennett"), ("Chris", "Evans"), ("Kate", "Morris")]:
        subject_access.produce_subject_access_export(request=logged(who), by=hr())
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- From the command line -------------------------------------------------------------------


def test_the_command_answers_a_logged_request_and_records_it(tmp_path):
    daniel = person("Daniel", "Shaw")
    with pytest.raises(CommandError, match="No unanswered subject access request is logged"):
        call_command("export_subject_data", daniel.email, stdout=io.StringIO())
    sar = logged()
    target = tmp_path / "sar.zip"
    out = io.StringIO()
    call_command("export_subject_data", daniel.email, "--output", str(target), stdout=out)
    assert f"Answer by {sar.due_on:%A %-d %B %Y}" in out.getvalue()
    sar.refresh_from_db()
    assert sar.has_export and sar.export_produced_by is None
    assert target.read_bytes() == subject_access.stored_export(sar)
