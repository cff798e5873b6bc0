"""How much may be sent: files and bytes per request, concerns and evidence files per person
per day. Each limit is refused with a message saying what it is, and nothing is stored."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings as live_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.demo_cases import case_at, hr, person
from casework.errors import RuleBroken
from casework.evidence import check_file
from casework.intake.concerns import Concern, report_concern
from casework.models import Case, EvidenceFile, Status
from casework.services.evidence import add_evidence

pytestmark = pytest.mark.django_db


def stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def concern_form(subject, files=()):
    return {
        "subject": subject.pk,
        "school": subject.school_id,
        "seen_on": "2026-01-05",
        "platform": "facebook",
        "account_kind": "personal",
        "what_was_seen": "A post about a colleague.",
        "pupils_involved": "none",
        "evidence": list(files),
    }


def note(n: int, size: int = 10) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"note-{n}.txt", b"n" * size)


def test_the_documented_defaults():
    assert live_settings.CASEWORK_UPLOAD_MAX_FILES == 10
    assert live_settings.CASEWORK_UPLOAD_MAX_BYTES == 50 * 1024 * 1024
    assert live_settings.CASEWORK_DAILY_CONCERN_LIMIT == 10
    assert live_settings.CASEWORK_DAILY_EVIDENCE_LIMIT == 100


def test_a_concern_with_more_files_than_a_request_may_carry_is_refused(client, own_media):
    client.force_login(person("Joan", "Fitzgerald").user)
    before = Case.objects.count()
    files = [note(n) for n in range(live_settings.CASEWORK_UPLOAD_MAX_FILES + 1)]
    response = client.post("/casework/concerns/new/", concern_form(person("Daniel", "Shaw"), files))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Send at most 10 files at a time" in page and "Nothing was stored." in page
    assert Case.objects.count() == before
    assert stored(own_media) == []


def test_files_larger_in_all_than_a_request_may_carry_are_refused(client, own_media, settings):
    settings.CASEWORK_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(person("Joan", "Fitzgerald").user)
    before = Case.objects.count()
    files = [note(n, size=600 * 1024) for n in range(2)]
    response = client.post("/casework/concerns/new/", concern_form(person("Daniel", "Shaw"), files))
    assert response.status_code == 200
    assert "larger than 1.0\xa0MB, the most accepted at a time" in response.content.decode()
    assert Case.objects.count() == before
    assert stored(own_media) == []


def test_a_request_declaring_more_than_the_cap_is_refused_before_it_is_read(client):
    client.force_login(person("Joan", "Fitzgerald").user)
    declared = live_settings.CASEWORK_UPLOAD_MAX_BYTES + live_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        "/casework/concerns/new/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(declared + 1),
    )
    assert response.status_code == 413
    assert "larger than 50.0\xa0MB, the most accepted at a time" in response.content.decode()


def raise_concern(reporter, evidence=()):
    subject = person("Daniel", "Shaw")
    # Each concern in other words, or the second would be the first sent again.
    raise_concern.count = getattr(raise_concern, "count", 0) + 1
    return report_concern(
        concern=Concern(
            subject=subject,
            school=subject.school,
            seen_on=datetime.date(2026, 1, 5),
            platform="facebook",
            account_kind="personal",
            what_was_seen=f"A post about a colleague (number {raise_concern.count}).",
            evidence=list(evidence),
        ),
        reporter=reporter,
        by=reporter.user,
    )


def test_one_person_may_raise_only_so_many_concerns_a_day(settings):
    settings.CASEWORK_DAILY_CONCERN_LIMIT = 2
    reporter = person("Joan", "Fitzgerald")
    raise_concern(reporter)
    raise_concern(reporter)
    with pytest.raises(RuleBroken, match="You have raised 2 concerns today"):
        raise_concern(reporter)
    assert Case.objects.filter(reporter=reporter).count() == 2
    raise_concern(person("Priya", "Patel"))  # someone else is not held back


def test_the_daily_concern_limit_is_shown_on_the_form(client, settings):
    settings.CASEWORK_DAILY_CONCERN_LIMIT = 1
    reporter = person("Joan", "Fitzgerald")
    raise_concern(reporter)
    client.force_login(reporter.user)
    response = client.post("/casework/concerns/new/", concern_form(person("Daniel", "Shaw")))
    assert response.status_code == 200
    assert "You have raised 1 concerns today" in response.content.decode()
    assert Case.objects.filter(reporter=reporter).count() == 1


def checked(n: int):
    return check_file(name=f"note-{n}.txt", content=b"A transcript of the post.")


def test_one_person_may_add_only_so_many_evidence_files_a_day(settings, own_media):
    settings.CASEWORK_DAILY_EVIDENCE_LIMIT = 2
    case = case_at(Status.TRIAGE)
    add_evidence(case=case, checked=checked(1), by=hr())
    add_evidence(case=case, checked=checked(2), by=hr())
    with pytest.raises(RuleBroken, match="so 0 more can be added today, not 1"):
        add_evidence(case=case, checked=checked(3), by=hr())
    assert EvidenceFile.objects.filter(case=case).count() == 2
    assert len(stored(own_media)) == 2


def test_evidence_sent_with_a_concern_counts_towards_the_day(settings, own_media):
    settings.CASEWORK_DAILY_EVIDENCE_LIMIT = 2
    reporter = person("Joan", "Fitzgerald")
    with pytest.raises(RuleBroken, match="so 2 more can be added today, not 3"):
        raise_concern(reporter, evidence=[checked(n) for n in range(3)])
    assert not Case.objects.filter(reporter=reporter).exists()
    assert stored(own_media) == []
    raise_concern(reporter, evidence=[checked(n) for n in range(2)])
    assert EvidenceFile.objects.filter(uploaded_by=reporter.user).count() == 2


def test_the_daily_evidence_limit_is_shown_on_the_add_evidence_page(sign_in, settings, own_media):
    settings.CASEWORK_DAILY_EVIDENCE_LIMIT = 0
    case = case_at(Status.TRIAGE)
    response = sign_in("Hannah", "Reid").post(
        f"/casework/cases/{case.reference}/evidence/add/", {"file": note(1)}
    )
    assert response.status_code == 200
    assert "One person may add 0 evidence files a day" in response.content.decode()
    assert stored(own_media) == []
