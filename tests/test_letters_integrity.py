"""Issued letters cannot be rewritten: the table is append-only, verify_letters checks every
stored file and recorded hash, and a mismatch found on download is audited and HR told."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from casework import demo_cases
from casework.letters import LetterFailed, demo
from casework.models import AuditEvent, Letter, LetterKind, Status
from casework.records.retention import erase
from casework.services import letters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]


def issue(case) -> Letter:
    return letters.issue_letter(
        case=demo.fresh(case), by=demo_cases.hr(), kind=LetterKind.HEARING_INVITATION, inputs={}
    )


def verify_letters() -> str:
    out = io.StringIO()
    call_command("verify_letters", stdout=out)
    return out.getvalue()


def refusal_of_verify_letters() -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("verify_letters", stdout=io.StringIO(), stderr=err)
    return str(refusal.value), err.getvalue()


def behind_the_applications_back(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_untouched_letters_check_out():
    issue(demo_cases.case_at(Status.HEARING_SCHEDULED))
    assert "Every issued letter checks out: 1 letters." in verify_letters()


def test_a_changed_file_is_named_by_verify_letters(own_media):
    letter = issue(demo_cases.case_at(Status.HEARING_SCHEDULED))
    (own_media / letter.file.name).write_bytes(b"%PDF-1.7 something else")
    message, named = refusal_of_verify_letters()
    assert message == "1 of the issued letters do not check out."
    assert f"letter {letter.pk} (" in named and "does not match" in named


def test_a_hash_column_rewritten_to_match_a_changed_file_is_still_found(own_media):
    letter = issue(demo_cases.case_at(Status.HEARING_SCHEDULED))
    forged = b"%PDF-1.7 something else"
    (own_media / letter.file.name).write_bytes(forged)
    behind_the_applications_back(
        "UPDATE casework_letter SET sha256 = %s WHERE id = %s",
        [hashlib.sha256(forged).hexdigest(), letter.pk],
    )
    _message, named = refusal_of_verify_letters()
    assert f"letter {letter.pk} (" in named
    assert "not the one it was issued with" in named


def test_a_letter_deleted_behind_the_applications_back_is_found():
    letter = issue(demo_cases.case_at(Status.HEARING_SCHEDULED))
    behind_the_applications_back(
        "DELETE FROM casework_letterdelivery WHERE letter_id = %s", [letter.pk]
    )
    behind_the_applications_back("DELETE FROM casework_letter WHERE id = %s", [letter.pk])
    _message, named = refusal_of_verify_letters()
    assert f"letter {letter.pk} was issued but is no longer stored" in named


def test_a_mismatch_on_download_is_audited_and_hr_told(
    own_media, django_capture_on_commit_callbacks
):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    letter = issue(case)
    (own_media / letter.file.name).write_bytes(b"%PDF-1.7 something else")
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(LetterFailed, match="no longer matches"),
    ):
        letters.download_letter(letter=letter, by=demo_cases.hr())
    event = AuditEvent.objects.filter(action="letter.file_changed").get()
    assert event.case_id == case.pk and event.object_id == str(letter.pk)
    assert event.actor == demo_cases.hr()
    told = {address for message in mail.outbox for address in message.to}
    assert demo_cases.hr().email in told  # HR case managers free of a conflict


def test_the_application_cannot_change_or_delete_a_letter():
    letter = issue(demo_cases.case_at(Status.HEARING_SCHEDULED))
    with pytest.raises(PermissionError):
        Letter.objects.filter(pk=letter.pk).update(sha256="0" * 64)
    with pytest.raises(PermissionError):
        Letter.objects.filter(pk=letter.pk).delete()
    with pytest.raises(PermissionError):
        Letter.objects.get(pk=letter.pk).delete()
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_erasure_under_the_retention_schedule_still_removes_letters():
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    issue(case)
    erase(case, rule="test")
    assert not Letter.objects.exists()
    assert "Every issued letter checks out: 0 letters." in verify_letters()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")
def test_on_postgresql_the_database_refuses_update_delete_and_truncate():
    letter = issue(demo_cases.case_at(Status.HEARING_SCHEDULED))
    statements = [
        ("UPDATE casework_letter SET sha256 = 'x' WHERE id = %s", [letter.pk], "UPDATE refused"),
        ("DELETE FROM casework_letter WHERE id = %s", [letter.pk], "DELETE refused"),
        ("TRUNCATE casework_letter CASCADE", [], "TRUNCATE refused"),
    ]
    for statement, params, refusal in statements:
        with (
            pytest.raises(DatabaseError, match=refusal),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(statement, params)
    assert Letter.objects.get(pk=letter.pk).sha256 == letter.sha256
