"""The demonstration data has an issued PDF of every letter kind; the benchmark reports."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from casework.models import AuditEvent, Case, Letter, LetterDelivery, LetterKind, Sanction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]


def test_after_seed_demo_every_letter_kind_exists_as_an_issued_pdf():
    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert set(Letter.objects.values_list("kind", flat=True)) == set(LetterKind.values)
    for letter in Letter.objects.all():
        content = default_storage.open(letter.file.name).read()
        assert hashlib.sha256(content).hexdigest() == letter.sha256, letter
    # Volunteer versions too, and every volunteer outcome the demo's stories reach.
    volunteer = Letter.objects.filter(audience="volunteer")
    assert set(volunteer.values_list("kind", flat=True)) == set(LetterKind.values) - {
        LetterKind.DISMISSAL_WITH_NOTICE,
        LetterKind.SUMMARY_DISMISSAL,
        LetterKind.NO_FURTHER_ACTION,
    }
    assert {
        Sanction.VOLUNTEER_GUIDANCE,
        Sanction.VOLUNTEER_ROLE_ADJUSTED,
        Sanction.VOLUNTEERING_ENDED,
    } <= set(volunteer.values_list("sanction", flat=True))
    assert set(LetterDelivery.objects.values_list("method", flat=True)) == {"email", "hand", "post"}

    letters_before = Letter.objects.count()
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert Letter.objects.count() == letters_before


def test_the_benchmark_prints_a_row_per_kind_and_leaves_nothing_behind():
    out = io.StringIO()
    events = AuditEvent.objects.count()

    call_command("benchmark_letters", repeat=1, warmup=0, stdout=out)

    report = out.getvalue()
    for label in ("Hearing invitation", "Dismissal with notice", "No further action"):
        assert label in report
    rows = [line for line in report.splitlines() if line.rstrip().endswith(("met", "missed"))]
    assert len(rows) == 13
    assert not Case.objects.exists() and AuditEvent.objects.count() == events
    assert not Letter.objects.exists()
