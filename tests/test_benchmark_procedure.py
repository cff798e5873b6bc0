"""benchmark_procedure walks a case through every step and leaves the database as it was."""

import io

import pytest
from django.core.management import call_command

from casework.models import AuditEvent, Case

pytestmark = pytest.mark.django_db


def test_it_times_each_step_and_changes_nothing():
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    out = io.StringIO()
    call_command("benchmark_procedure", runs=1, stdout=out)
    lines = out.getvalue().splitlines()
    steps = [line.split()[0] for line in lines[1:-1]]
    assert steps[0] == "raise_concern" and steps[-1] == "decide_appeal" and len(steps) == 13
    assert lines[-1].startswith("whole procedure")
    assert Case.objects.count() == cases and AuditEvent.objects.count() == events
