"""The daily job that makes an outcome final when nobody appeals in time."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.demo_cases import case_at
from casework.models import Case, Status
from workflows import engine

pytestmark = pytest.mark.django_db


def test_a_lapsed_appeal_window_closes_the_case_and_its_task(monkeypatch):
    case = case_at(Status.OUTCOME_ISSUED)
    day_after = case.appeal_deadline + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: day_after)
    output = StringIO()
    call_command("close_lapsed_appeal_windows", stdout=output)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert f"Closed 1 case(s): {case.reference}." in output.getvalue()
    assert list(engine.open_tasks(case)) == []
    event = case.audit_events.filter(action="case.transition").last()
    assert event.actor is None and event.details["to"] == Status.CLOSED


def test_a_window_still_open_is_left_alone():
    case = case_at(Status.OUTCOME_ISSUED)
    output = StringIO()
    call_command("close_lapsed_appeal_windows", stdout=output)
    assert Case.objects.get(pk=case.pk).status == Status.OUTCOME_ISSUED
    assert "No appeal window has lapsed." in output.getvalue()
