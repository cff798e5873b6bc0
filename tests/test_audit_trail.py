"""The audit trail: append-only, chained by hash, checked by verify_audit; refusals recorded."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from casework import audit
from casework.demo_cases import case_at
from casework.models import AuditChainHead, AuditEvent, Status
from casework.models.audit import GENERAL_CHAIN
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


def seal() -> None:
    call_command("seal_audit", stdout=io.StringIO())


def refusal_of_verify() -> str:
    with pytest.raises(CommandError) as refusal:
        verify()
    return str(refusal.value)


def head_row(chain: str = GENERAL_CHAIN) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT length, last_hash, mac FROM casework_auditchainhead WHERE chain = %s", [chain]
        )
        return cursor.fetchone()


def set_head(values: tuple, chain: str = GENERAL_CHAIN) -> None:
    raw_sql(
        "UPDATE casework_auditchainhead SET length = %s, last_hash = %s, mac = %s WHERE chain = %s",
        [*values, chain],
    )


def test_a_cut_tail_with_the_head_moved_back_by_hand_is_caught_by_the_key():
    *_earlier, before_last, last = three_events()
    raw_sql("DELETE FROM casework_auditevent WHERE id = %s", [last.id])
    # Whoever cut it cannot key the head they need without the audit key.
    length, _hash, mac = head_row()
    set_head((length - 1, before_last.hash, mac))
    assert "the head of chain general was changed" in refusal_of_verify()


def test_a_cut_tail_with_an_earlier_head_put_back_is_caught_by_the_seal():
    *_earlier, last = three_events()
    earlier_head = head_row()  # copied by someone who means to cut the trail later
    audit.record(action="test.event", summary="Event 3", actor=None)
    seal()
    last = AuditEvent.objects.filter(chain=GENERAL_CHAIN).order_by("sequence").last()
    raw_sql("DELETE FROM casework_auditevent WHERE id = %s", [last.id])
    set_head(earlier_head)
    message = refusal_of_verify()
    assert f"chain general had {earlier_head[0] + 1} events when sealed; " in message
    assert f"{earlier_head[0]} remain" in message


def test_a_truncated_trail_is_caught_by_the_seal():
    three_events()
    seal()
    raw_sql("DELETE FROM casework_auditevent", [])
    raw_sql("DELETE FROM casework_auditchainhead", [])
    assert "events when sealed; none remain" in refusal_of_verify()


def test_a_chain_recomputed_without_the_key_is_found():
    events = three_events()
    # Someone who owns the tables edits an event and recomputes every later link and the
    # head, as the code would, but with a key of their own: they do not have the real one.
    with override_settings(CASEWORK_AUDIT_KEY="not-the-audit-key-" + "x" * 30):
        previous = None
        for event in AuditEvent.objects.filter(chain=GENERAL_CHAIN).order_by("sequence"):
            if previous is not None:
                event.previous_hash = previous
            if event.id == events[1].id:
                event.summary = "Nothing happened"
            event.hash = event.compute_hash()
            raw_sql(
                "UPDATE casework_auditevent SET summary = %s, previous_hash = %s, hash = %s "
                "WHERE id = %s",
                [event.summary, event.previous_hash, event.hash, event.id],
            )
            previous = event.hash
        head = AuditChainHead.objects.get(chain=GENERAL_CHAIN)
        head.last_hash = previous
        head.mac = head.compute_mac()
        set_head((head.length, head.last_hash, head.mac))
    assert "was changed after it was written" in refusal_of_verify()


def test_a_seal_edited_by_hand_is_reported():
    three_events()
    seal()
    path, content = audit.latest_seal()
    content["chains"]["general"][0] -= 1
    path.write_text(json.dumps(content))
    assert "does not check out under the audit key" in refusal_of_verify()


def test_a_sealed_trail_that_grew_is_intact():
    three_events()
    seal()
    audit.record(action="test.event", summary="After the seal", actor=None)
    assert "checks out: every chain still holds what was sealed" in verify()


def test_events_on_different_cases_are_in_chains_of_their_own():
    first, second = case_at(Status.TRIAGE), case_at(Status.TRIAGE)
    events = [
        audit.record(action="test.event", summary="One", actor=None, case=first),
        audit.record(action="test.event", summary="Two", actor=None, case=second),
        audit.record(action="test.event", summary="Three", actor=None, case=first),
    ]
    assert [e.chain for e in events] == [
        f"case-{first.pk}",
        f"case-{second.pk}",
        f"case-{first.pk}",
    ]
    assert (
        events[2].previous_hash
        == AuditEvent.objects.filter(chain=f"case-{first.pk}", sequence=events[2].sequence - 1)
        .get()
        .hash
    )
    assert "The audit trail is intact" in verify()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL statement trigger")
def test_on_postgresql_the_database_refuses_truncate():
    three_events()
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts, checked now
        cursor.execute("TRUNCATE casework_auditevent")
    assert AuditEvent.objects.count() >= 3


def test_many_events_appended_at_once_are_chained_as_if_one_by_one():
    first, second = case_at(Status.TRIAGE), case_at(Status.TRIAGE)
    audit.append_many(
        [
            AuditEvent(action="test.bulk", summary=f"Bulk {n}", case_id=case_id, actor=None)
            for n in range(3)
            for case_id in (first.pk, second.pk, None)
        ]
    )
    audit.record(action="test.event", summary="After", actor=None, case=first)
    assert AuditEvent.objects.filter(chain=f"case-{first.pk}", action="test.bulk").count() == 3
    assert "The audit trail is intact" in verify()


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


def test_the_audit_log_page_links_case_events_and_names_what_a_refusal_asked_for(sign_in):
    """HR reading the log sees each event's case as a link to it, and for a refused request
    the reference it asked for (not a link: there may be no such case) and its address."""
    from django.urls import reverse

    case = case_at(Status.TRIAGE)
    hr = sign_in("Hannah", "Reid")
    assert hr.get(reverse("casework:case", args=[case.reference])).status_code == 200
    prying = sign_in("Peter", "Quinn")
    asked_for = "/casework/cases/SM-2099-0042/"
    assert prying.get(asked_for).status_code == 404
    html = sign_in("Hannah", "Reid").get(reverse("casework:audit_log")).content.decode()
    case_page = reverse("casework:case", args=[case.reference])
    assert f'<a href="{case_page}">{case.reference}</a>' in html
    assert "SM-2099-0042" in html and f"({asked_for})" in html
    assert 'href="/casework/cases/SM-2099-0042/"' not in html
