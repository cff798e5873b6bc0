"""Issuing letters: what was sent is what is kept, and a failure leaves nothing behind."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone

from casework import demo_cases
from casework.errors import CaseMoved, NotAllowed, RuleBroken
from casework.letters import LetterFailed, demo, rendering
from casework.models import AuditEvent, Letter, LetterKind, Sanction, Status
from casework.services import hearings, letters
from workflows import engine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def issue(case, kind=LetterKind.HEARING_INVITATION, **inputs) -> Letter:
    return letters.issue_letter(case=demo.fresh(case), by=demo_cases.hr(), kind=kind, inputs=inputs)


def test_issuing_stores_the_pdf_with_its_hash_template_version_issuer_and_time(own_media):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    before = timezone.now()
    letter = issue(case)

    content = default_storage.open(letter.file.name).read()
    assert content.startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(content).hexdigest()
    assert letter.size == len(content) and letter.pages == 2
    assert letter.file.name.startswith(f"letters/{timezone.localdate():%Y}/")
    assert stored_files(own_media) == [own_media / letter.file.name]
    assert letter.template_name == "letters/hearing_invitation.html"
    assert (
        letter.template_version == f"letters/hearing_invitation.html@{rendering.templates_digest()}"
    )
    assert letter.issued_by == demo_cases.hr()
    assert before <= letter.issued_at <= timezone.now()
    assert letter.dated == timezone.localdate()
    event = AuditEvent.objects.get(action="letter.issued")
    assert event.case_id == case.pk and event.details["sha256"] == letter.sha256


def test_an_issued_letter_never_changes_and_issuing_again_supersedes_it(own_media):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    first = issue(case)
    first_bytes = default_storage.open(first.file.name).read()

    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        Letter.objects.filter(pk=first.pk).update(sha256="0" * 64)

    second = issue(case)

    assert second.supersedes == first
    assert list(case.letters.order_by("issued_at")) == [first, second]
    first = Letter.objects.get(pk=first.pk)
    assert first.is_superseded and not Letter.objects.get(pk=second.pk).is_superseded
    assert list(Letter.objects.current().filter(case=case)) == [second]
    # The first letter is kept exactly as it was sent.
    assert default_storage.open(first.file.name).read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    assert letters.download_letter(letter=first, by=demo_cases.hr()) == first_bytes
    assert len(stored_files(own_media)) == 2
    # The new letter says what it replaces.
    assert f"our letter of {first.dated:%-d %B %Y}" in " ".join(
        page.extract_text() for page in _reader(second).pages
    ).replace("\n", " ")


def _reader(letter):
    from pypdf import PdfReader

    return PdfReader(default_storage.open(letter.file.name))


def test_a_letter_about_another_suspension_does_not_supersede():
    case = demo_cases.case_at(Status.INVESTIGATION)
    first_suspension = demo.suspend(case)
    first = issue(case, LetterKind.SUSPENSION)
    demo.lift(first_suspension)
    demo.suspend(demo.fresh(case))
    second = issue(case, LetterKind.SUSPENSION)

    assert second.supersedes is None
    assert Letter.objects.current().filter(case=case).count() == 2
    assert first.topic != second.topic


def test_a_changed_file_is_not_served(own_media):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    letter = issue(case)
    (own_media / letter.file.name).write_bytes(b"%PDF-1.7 something else")

    with pytest.raises(LetterFailed, match="no longer matches"):
        letters.download_letter(letter=letter, by=demo_cases.hr())


def test_the_outcome_letter_cannot_be_issued_before_sign_off(own_media):
    case = demo_cases.case_at(Status.AWAITING_SIGN_OFF)

    with pytest.raises(RuleBroken, match="signed off"):
        issue(case, LetterKind.OUTCOME)
    case = demo_cases.return_to_chair(demo.fresh(case))
    with pytest.raises(RuleBroken, match="signed off"):
        issue(case, LetterKind.OUTCOME)

    assert demo.fresh(case).status == Status.RETURNED_TO_CHAIR
    assert not Letter.objects.exists() and not stored_files(own_media)


def test_issuing_the_outcome_letter_issues_the_outcome_in_the_same_step():
    case = demo_cases.case_at(Status.SIGNED_OFF)
    letter = issue(case, LetterKind.OUTCOME)
    case = demo.fresh(case)

    assert case.status == Status.OUTCOME_ISSUED
    assert case.outcome_issued_on == letter.dated == timezone.localdate()
    assert case.appeal_deadline and case.warning_expires_on
    assert letter.sign_off == case.sign_offs.get(approved=True)
    assert engine.open_tasks(case).get().flow_task.name == "appeal_window"
    # Re-issued later (say, to correct a name), it keeps the dates the outcome set.
    again = issue(case, LetterKind.OUTCOME)
    assert again.supersedes == letter and demo.fresh(case).status == Status.OUTCOME_ISSUED


def test_the_outcome_letter_matches_the_sanction():
    case = demo.case_with_outcome(Sanction.SUMMARY_DISMISSAL)

    with pytest.raises(RuleBroken, match="summary dismissal letter"):
        issue(case, LetterKind.OUTCOME)
    with pytest.raises(RuleBroken, match="summary dismissal letter"):
        issue(case, LetterKind.DISMISSAL_WITH_NOTICE, notice_weeks=4, pay_in_lieu=True)
    assert demo.fresh(case).status == Status.SIGNED_OFF


def test_dismissal_with_notice_gives_at_least_the_statutory_minimum():
    case = demo.case_with_outcome(Sanction.DISMISSAL_WITH_NOTICE)  # seven years' service

    with pytest.raises(RuleBroken, match="statutory minimum notice is 7 weeks"):
        issue(case, LetterKind.DISMISSAL_WITH_NOTICE, notice_weeks=4, pay_in_lieu=True)
    with pytest.raises(RuleBroken, match="last day of employment"):
        issue(
            case,
            LetterKind.DISMISSAL_WITH_NOTICE,
            notice_weeks=8,
            pay_in_lieu=False,
            last_day=timezone.localdate() + datetime.timedelta(weeks=4),
        )
    assert demo.fresh(case).status == Status.SIGNED_OFF  # the refusal changed nothing
    assert not Letter.objects.exists()


def test_only_an_hr_case_manager_free_of_conflict_may_issue(own_media):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    headteacher = demo_cases.person("Michael", "Okafor").user  # may see the case

    with pytest.raises(NotAllowed):
        letters.issue_letter(
            case=case, by=headteacher, kind=LetterKind.HEARING_INVITATION, inputs={}
        )
    with pytest.raises(NotAllowed):
        letters.preview_letter(
            case=case, by=headteacher, kind=LetterKind.HEARING_INVITATION, inputs={}
        )
    assert not Letter.objects.exists() and not stored_files(own_media)


def test_a_letter_that_changed_since_it_was_previewed_is_not_issued(own_media):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    preview = letters.preview_letter(
        case=case, by=demo_cases.hr(), kind=LetterKind.HEARING_INVITATION, inputs={}
    )
    hearings.reschedule_hearing(
        case=demo.fresh(case),
        by=demo_cases.hr(),
        arrangement=demo_cases.arrangement(case, demo_cases.CHAIR, panel="Fr Joseph Byrne"),
        reason="The room is needed for an inspection.",
        postponed_for_companion=False,
    )

    with pytest.raises(CaseMoved, match="changed since you previewed it"):
        letters.issue_letter(
            case=case,
            by=demo_cases.hr(),
            kind=LetterKind.HEARING_INVITATION,
            inputs={},
            expected_digest=preview.draft.digest,
        )
    assert not Letter.objects.exists() and not stored_files(own_media)

    fresh = letters.preview_letter(
        case=case, by=demo_cases.hr(), kind=LetterKind.HEARING_INVITATION, inputs={}
    )
    letter = letters.issue_letter(
        case=case,
        by=demo_cases.hr(),
        kind=LetterKind.HEARING_INVITATION,
        inputs={},
        expected_digest=fresh.draft.digest,
    )
    assert letter.inputs["hearing"] == hearings.current_hearing(case).pk


def test_a_hearing_invitation_must_give_the_notice(monkeypatch):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    hearing_day = timezone.localtime(hearings.current_hearing(case).starts_at).date()
    # Sent two days later than it should have been, it would give too little notice.
    monkeypatch.setattr(
        timezone, "localdate", lambda *args, **kwargs: hearing_day - datetime.timedelta(days=2)
    )

    with pytest.raises(RuleBroken, match="less than 5 working days' notice"):
        issue(case)


# --- Failures leave nothing behind -------------------------------------------------------


def assert_nothing_changed(case, own_media, *, status: str, events_before: int) -> None:
    case = demo.fresh(case)
    assert case.status == status
    assert case.outcome_issued_on is None and case.appeal_deadline is None
    assert not Letter.objects.exists()
    assert not stored_files(own_media)
    assert AuditEvent.objects.filter(case_id=case.pk).count() == events_before
    assert engine.open_tasks(case).get().flow_task.name == "issue_outcome"


class BrokenHTML:
    def __init__(self, *args, **kwargs):
        pass

    def render(self, *args, **kwargs):
        raise RuntimeError("injected layout failure")


def test_a_render_failure_leaves_no_letter_no_file_and_the_case_unchanged(monkeypatch, own_media):
    case = demo_cases.case_at(Status.SIGNED_OFF)
    events = AuditEvent.objects.filter(case_id=case.pk).count()
    monkeypatch.setattr(rendering, "HTML", BrokenHTML)

    with pytest.raises(LetterFailed, match="could not be made into a PDF"):
        issue(case, LetterKind.OUTCOME)

    assert_nothing_changed(case, own_media, status=Status.SIGNED_OFF, events_before=events)


def test_a_storage_failure_leaves_no_letter_no_file_and_the_case_unchanged(monkeypatch, own_media):
    case = demo_cases.case_at(Status.SIGNED_OFF)
    events = AuditEvent.objects.filter(case_id=case.pk).count()

    def disk_full(self, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)

    with pytest.raises(LetterFailed, match="could not be stored"):
        issue(case, LetterKind.OUTCOME)

    assert_nothing_changed(case, own_media, status=Status.SIGNED_OFF, events_before=events)


def test_a_failure_after_the_file_is_stored_removes_the_file(monkeypatch, own_media):
    case = demo_cases.case_at(Status.SIGNED_OFF)
    events = AuditEvent.objects.filter(case_id=case.pk).count()
    real_note = letters.note

    def failing_note(case, **kwargs):
        if kwargs["action"] == "letter.issued":
            raise RuntimeError("injected failure while recording the letter")
        return real_note(case, **kwargs)

    monkeypatch.setattr(letters, "note", failing_note)

    with pytest.raises(RuntimeError, match="injected"):
        issue(case, LetterKind.OUTCOME)

    assert_nothing_changed(case, own_media, status=Status.SIGNED_OFF, events_before=events)
