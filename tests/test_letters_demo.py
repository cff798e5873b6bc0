"""The letters benchmark reports and leaves nothing behind (the demonstration's issued PDFs
of every letter kind: tests/test_seed_demo_story.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from casework.models import AuditEvent, Case, Letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]


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
