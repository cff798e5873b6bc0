"""The daily job that makes an outcome final when nobody appeals in time."""

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from casework import jobs
from casework.demo_cases import case_at
from casework.management.commands import close_lapsed_appeal_windows as outcomes_command
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


# --- Every server may run the daily jobs ------------------------------------------------------


def test_the_daily_jobs_run_in_turn():
    output = StringIO()
    call_command("run_daily_jobs", stdout=output)
    text = output.getvalue()
    for name, _ in jobs.DAILY_JOBS:
        assert f"{name}:" in text
    assert "already running" not in text


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the advisory lock is PostgreSQL's; SQLite is one machine's database",
)
@pytest.mark.usefixtures("reseed")  # a transactional test: the demo people are loaded afresh
@pytest.mark.django_db(transaction=True)
def test_two_servers_starting_the_daily_jobs_at_once_run_each_job_once(monkeypatch):
    case = case_at(Status.OUTCOME_ISSUED)
    day_after = case.appeal_deadline + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: day_after)
    started, release = threading.Event(), threading.Event()
    real = outcomes_command.Command.handle

    def slow_handle(self, *args, **options):  # the first server is still at it
        started.set()
        release.wait(10)
        return real(self, *args, **options)

    monkeypatch.setattr(outcomes_command.Command, "handle", slow_handle)
    outputs = [StringIO(), StringIO()]

    def server(number: int) -> None:
        try:
            call_command("run_daily_jobs", stdout=outputs[number])
        finally:
            connections.close_all()

    first = threading.Thread(target=server, args=(0,))
    first.start()
    assert started.wait(10)
    monkeypatch.setattr(outcomes_command.Command, "handle", real)
    second = threading.Thread(target=server, args=(1,))
    second.start()
    second.join(20)
    release.set()
    first.join(20)
    assert "close_lapsed_appeal_windows: already running on another server" in outputs[1].getvalue()
    assert f"Closed 1 case(s): {case.reference}." in outputs[0].getvalue()
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    assert (
        case.audit_events.filter(action="case.transition", details__to=Status.CLOSED).count() == 1
    )
