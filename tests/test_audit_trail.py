"""The audit trail: append-only, chained by hash, checked by verify_audit; refusals recorded."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from casework import audit
from casework.demo_cases import case_at
from casework.models import AuditEvent, Status
from tests.conftest import staff, user

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def three_events():
    hr = user("Hannah", "Reid")
    return [
        audit.record(action="test.event", summary=f"Event {n}", actor=hr, details={"n": n})
        for n in range(3)
    ]


def raw_sql(statement: str, params: list) -> None:
    """Change the table behind the application's back, as someone with database access could.

    On PostgreSQL the append-only trigger is bypassed for this transaction only, as only a
    database superuser could (``session_replication_role = replica``).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_an_untouched_trail_is_reported_intact():
    three_events()
    case_at(Status.TRIAGE)
    assert "The audit trail is intact" in verify()


def test_an_event_edited_with_raw_sql_is_named_by_verify_audit():
    _first, middle, _last = three_events()
    raw_sql(
        "UPDATE casework_auditevent SET summary = %s WHERE id = %s", ["Nothing happened", middle.id]
    )
    with pytest.raises(CommandError) as refusal:
        verify()
    assert str(refusal.value) == (
        f"The audit trail is broken: audit event {middle.id} was changed after it was written."
    )


def test_an_event_deleted_with_raw_sql_is_found():
    _first, middle, last = three_events()
    raw_sql("DELETE FROM casework_auditevent WHERE id = %s", [middle.id])
    with pytest.raises(CommandError) as refusal:
        verify()
    assert f"audit event {last.id} does not follow the event before it" in str(refusal.value)


def test_the_newest_events_deleted_with_raw_sql_are_noticed():
    *_earlier, last = three_events()
    raw_sql("DELETE FROM casework_auditevent WHERE id = %s", [last.id])
    with pytest.raises(CommandError) as refusal:
        verify()
    assert "the newest events of chain general were removed" in str(refusal.value)


def test_the_application_cannot_change_or_delete_an_event():
    event = three_events()[0]
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert "The audit trail is intact" in verify()


def test_on_postgresql_the_database_itself_refuses_update_and_delete():
    event = three_events()[0]
    statements = [
        ("UPDATE casework_auditevent SET summary = 'changed' WHERE id = %s", "UPDATE refused"),
        ("DELETE FROM casework_auditevent WHERE id = %s", "DELETE refused"),
    ]
    for statement, refusal in statements:
        if connection.vendor == "postgresql":
            with (
                pytest.raises(DatabaseError, match=refusal),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement, [event.id])
        else:
            # SQLite has no such trigger; there the hash chain is the only guard.
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(statement, [event.id])
                assert "The audit trail is intact" not in _verify_quietly()
                transaction.set_rollback(True)
    assert AuditEvent.objects.get(pk=event.id).summary == "Event 0"


def _verify_quietly() -> str:
    try:
        return verify()
    except CommandError as refusal:
        return str(refusal)


def test_every_transition_and_every_view_is_recorded_with_actor_and_address(client):
    case = case_at(Status.TRIAGE)
    transitions = AuditEvent.objects.filter(case=case, action="case.transition")
    assert [e.details["to"] for e in transitions] == ["triage"]
    client.force_login(user("Hannah", "Reid"))
    client.get(f"/casework/cases/{case.reference}/", REMOTE_ADDR="198.51.100.23")
    viewed = AuditEvent.objects.filter(case=case, action="viewed.case").last()
    assert viewed.actor == user("Hannah", "Reid")
    assert viewed.actor_label == "Hannah Reid"
    assert viewed.client_address == "198.51.100.23"


def test_someone_looking_for_a_case_they_may_not_see_is_recorded(client):
    case = case_at(Status.TRIAGE)  # about Daniel Shaw
    client.force_login(user("Daniel", "Shaw"))
    response = client.get(f"/casework/cases/{case.reference}/", REMOTE_ADDR="198.51.100.40")
    assert response.status_code == 404
    refusal = AuditEvent.objects.filter(action="access.denied").last()
    assert refusal.actor == user("Daniel", "Shaw")
    assert refusal.client_address == "198.51.100.40"
    assert refusal.details["reference"] == case.reference
    assert refusal.details["path"] == f"/casework/cases/{case.reference}/"
    assert refusal.details["status"] == 404
    # Not in the case's own history, which its readers see.
    assert refusal.case_id is None


def test_a_refused_action_is_recorded(client):
    case = case_at(Status.TRIAGE)
    client.force_login(user("Helen", "Carter"))  # headteacher of another school
    client.get(f"/casework/cases/{case.reference}/withdraw/")
    client.force_login(user("Michael", "Okafor"))  # may see the case, may not withdraw it
    response = client.post(f"/casework/cases/{case.reference}/withdraw/", {"reason": "x"})
    assert response.status_code == 403
    refusals = AuditEvent.objects.filter(action="access.denied").order_by("id")
    assert [(e.actor_label, e.details["status"]) for e in refusals] == [
        ("Helen Carter", 404),
        ("Michael Okafor", 403),
    ]


def test_a_404_elsewhere_is_not_treated_as_a_refusal(client):
    client.force_login(user("Tom", "Brennan"))
    assert client.get("/casework/no-such-page/").status_code == 404
    assert not AuditEvent.objects.filter(action="access.denied").exists()


def test_the_client_address_comes_from_the_proxy_only_when_one_is_configured(client, settings):
    client.force_login(user("Hannah", "Reid"))
    case = case_at(Status.TRIAGE)
    headers = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}

    settings.CASEWORK_PROXY_COUNT = 0  # nothing in front: the header is the client's own
    client.get(f"/casework/cases/{case.reference}/", **headers)
    assert AuditEvent.objects.filter(action="viewed.case").last().client_address == "127.0.0.1"

    settings.CASEWORK_PROXY_COUNT = 1  # one proxy: it appended the address it saw
    client.get(f"/casework/cases/{case.reference}/", **headers)
    assert AuditEvent.objects.filter(action="viewed.case").last().client_address == ("198.51.100.7")


def test_the_reporter_cannot_follow_the_case_beyond_its_status(client):
    case = case_at(Status.INVESTIGATION)
    client.force_login(staff("Priya", "Patel").user)
    assert client.get(f"/casework/cases/{case.reference}/").status_code == 404
    mine = client.get("/casework/concerns/mine/").content.decode()
    assert case.reference in mine
    assert "Being looked at" in mine
    assert "Investigation" not in mine
