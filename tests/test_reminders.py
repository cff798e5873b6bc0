"""Reminders of deadlines (manage.py send_reminders), with the clock moved to each threshold.

Whoever must act is e-mailed the day before a deadline, on the day and once it has passed;
HR's lead once it is overdue by the escalation setting; each reminder goes once however
often the job runs, and two runs at the same moment send it once.
"""

from __future__ import annotations

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.test import TestCase
from django.utils import timezone

from casework import notifications
from casework.demo_cases import case_at, dpo_decision_overdue, hr, person, raise_concern
from casework.models import (
    Case,
    DpoDecision,
    LadoReferral,
    ReminderThreshold,
    SentReminder,
    Status,
    SubjectAccessRequest,
)
from casework.reminders.sending import send_reminders
from casework.services import subject_access, suspensions
from casework.workdays import Calendar
from tests.trusts import demo_trust_id
from workflows import engine

LEAD = "marcus.obi@stclare.example"


def at(day: datetime.date, hour: int = 7) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def run(dry_run: bool = False) -> str:
    mail.outbox.clear()
    output = StringIO()
    # E-mail leaves on commit (the mail queue); the test's transaction never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", dry_run=dry_run, stdout=output)
    return output.getvalue()


def sent_to() -> list[list[str]]:
    return [sorted(message.to) for message in mail.outbox]


def task_recipients(case: Case) -> list[str]:
    task = engine.open_tasks(case).get()
    return [task.owner.email] if task.owner_id else notifications.hr_recipients(case)


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    return Calendar(trust_id=demo_trust_id()).add_working_days(day, count)


def working_day_before(day: datetime.date) -> datetime.date:
    calendar = Calendar(trust_id=demo_trust_id())
    day -= datetime.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


@pytest.fixture
def hr_lead(settings):
    settings.CASEWORK_HR_LEAD_EMAIL = LEAD
    settings.CASEWORK_REMINDER_ESCALATION_WORKING_DAYS = 3
    return LEAD


@pytest.mark.django_db
def test_a_task_is_reminded_the_day_before_on_the_day_and_when_overdue(time_machine, hr_lead):
    case = case_at(Status.TRIAGE)
    due = case.action_due_on
    expected = task_recipients(case)
    assert expected

    time_machine.move_to(at(due - datetime.timedelta(days=10)), tick=False)
    assert run().endswith("Sent 0 reminder(s).\n") and mail.outbox == []

    time_machine.move_to(at(working_day_before(due)), tick=False)
    output = run()
    assert sent_to() == [expected]
    assert "Due on the next working day" in output
    message = mail.outbox[0]
    # Neutral: nothing of the case in the subject or the body.
    assert message.subject == "Casework: something is waiting for you"
    for detail in (case.reference, "Shaw", "triage", "Triage", case.school.name):
        assert detail not in message.subject and detail not in message.body
    assert run() == "Sent 0 reminder(s).\n" and mail.outbox == []  # the rerun sends nothing

    time_machine.move_to(at(due), tick=False)
    assert "Due today" in run()
    assert sent_to() == [expected]
    run()
    assert mail.outbox == []

    time_machine.move_to(at(working_days_after(due, 1)), tick=False)
    assert "Overdue" in run()
    assert sent_to() == [expected]  # not HR's lead yet
    time_machine.move_to(at(working_days_after(due, 2)), tick=False)
    run()
    assert mail.outbox == []  # overdue was said once

    time_machine.move_to(at(working_days_after(due, 3)), tick=False)
    assert "Overdue long enough to tell HR's lead" in run()
    assert sent_to() == [[LEAD]]
    run()
    assert mail.outbox == []
    assert SentReminder.objects.filter(object_id=engine.open_tasks(case).get().pk).count() == 4


@pytest.mark.django_db
def test_a_dry_run_lists_and_sends_nothing(time_machine):
    case = case_at(Status.TRIAGE)
    time_machine.move_to(at(case.action_due_on), tick=False)
    output = run(dry_run=True)
    assert "Would send Due today: A task on a case" in output
    assert "Would send 1 reminder(s)." in output
    assert mail.outbox == [] and not SentReminder.objects.exists()
    assert "Sent 1 reminder(s)." in run()


@pytest.mark.django_db
def test_a_closed_case_is_not_reminded(time_machine):
    case = case_at(Status.NO_CASE_TO_ANSWER)
    Case.objects.filter(pk=case.pk).update(action_due_on=timezone.localdate())
    time_machine.move_to(at(timezone.localdate()), tick=False)
    run()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_lead_too_close_to_the_case_is_not_told(time_machine, hr_lead):
    # Marcus Obi reports the concern: HR's other case managers are told instead.
    case = raise_concern(reporter=("Marcus", "Obi"))
    due = case.action_due_on
    time_machine.move_to(at(working_days_after(due, 3)), tick=False)
    run()
    escalation = [m for m in mail.outbox if LEAD not in m.to]
    assert all(LEAD not in m.to for m in mail.outbox)
    assert escalation and all(notifications.hr_recipients(case) == sorted(m.to) for m in escalation)


@pytest.mark.django_db
def test_a_lado_referral_is_reminded_on_the_day_to_the_dsl(time_machine):
    case = case_at(Status.LADO_REFERRAL)
    referral = LadoReferral.objects.get(case=case)
    dsl = case.safeguarding_lead.user.email
    time_machine.move_to(at(working_day_before(referral.due_on)), tick=False)
    run()
    assert mail.outbox == []  # same-day: nothing the day before
    time_machine.move_to(at(referral.due_on), tick=False)
    output = run()
    assert "A LADO referral" in output
    assert sent_to() == [[dsl]]  # once: the task's own reminder does not repeat it


@pytest.mark.django_db
def test_a_suspension_review_is_reminded_to_the_case_manager(time_machine):
    case = case_at(Status.INVESTIGATION)
    suspension = suspensions.suspend(
        case=case,
        by=hr(),
        started_on=timezone.localdate(),
        reasons="The allegation is serious and involves pupils.",
        alternatives_considered="A change of duties was considered and would not be enough.",
        welfare_contact=person("Emma", "Wright"),
    )
    case.refresh_from_db()
    time_machine.move_to(at(suspension.next_review_on), tick=False)
    output = run()
    assert "Due today: A suspension review" in output
    reminded = [m.to for m in mail.outbox]
    expected = (
        [case.case_manager.user.email] if case.case_manager else notifications.hr_recipients(case)
    )
    assert sorted(expected) in [sorted(to) for to in reminded]


@pytest.mark.django_db
def test_the_dpo_is_reminded_in_the_last_day_and_when_the_window_closes(time_machine):
    case = raise_concern(
        subject=("Kate", "Morris"), reporter=("Sam", "Adeyemi"), clauses=("GEN-2",)
    )
    decision = DpoDecision.objects.get(case=case)
    time_machine.move_to(decision.due_at - datetime.timedelta(hours=30), tick=False)
    assert "DPO" not in run()
    time_machine.move_to(decision.due_at - datetime.timedelta(hours=20), tick=False)
    output = run()
    assert "Due today: The DPO's decision" in output
    dpo = [u.email for u in notifications.dpo_recipients(case)]
    assert sorted(dpo) in sent_to()
    time_machine.move_to(decision.due_at + datetime.timedelta(hours=1), tick=False)
    assert "Overdue: The DPO's decision" in run()
    run()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_overdue_dpo_decision_from_the_demonstration_is_reminded():
    case = dpo_decision_overdue()
    assert "Overdue: The DPO's decision" in run()
    assert DpoDecision.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_subject_access_request_is_reminded_to_hr_but_not_to_whom_it_is_about(time_machine):
    request = subject_access.log_subject_access_request(
        person=person("Marcus", "Obi"),
        received_on=timezone.localdate(),
        received_via="email",
        by=hr(),
    )
    time_machine.move_to(at(request.due_on), tick=False)
    output = run()
    assert "Due today: A subject access request" in output
    assert sent_to() and all("marcus.obi@stclare.example" not in to for to in sent_to())
    assert hr().email in sent_to()[0]
    SubjectAccessRequest.objects.filter(pk=request.pk).update(answered_on=request.due_on)
    time_machine.move_to(at(request.due_on + datetime.timedelta(days=1)), tick=False)
    run()
    assert mail.outbox == []


# --- Sent once, however many runs -----------------------------------------------------------


@pytest.mark.django_db
def test_the_constraint_refuses_a_second_record_of_one_reminder(time_machine, monkeypatch):
    case = case_at(Status.TRIAGE)
    time_machine.move_to(at(case.action_due_on), tick=False)
    first = send_reminders()
    assert len(first) == 1
    row = SentReminder.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(
            subject=row.subject, object_id=row.object_id, threshold=row.threshold, due=row.due
        )
    # A run that checked just before the other run recorded it: the insert is refused and
    # nothing is sent.
    monkeypatch.setattr("casework.reminders.sending.already_sent", lambda reminder: False)
    mail.outbox.clear()
    assert send_reminders() == []
    assert mail.outbox == []
    assert row.threshold == ReminderThreshold.DUE_TODAY


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.usefixtures("reseed")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(time_machine, monkeypatch):
    cases = [case_at(Status.TRIAGE), case_at(Status.TRIAGE, subject=("Ben", "Taylor"))]
    due = cases[0].action_due_on
    time_machine.move_to(at(due), tick=False)
    # Both runs see nothing sent yet, then race to record and send.
    monkeypatch.setattr("casework.reminders.sending.already_sent", lambda reminder: False)
    mail.outbox.clear()
    started = threading.Barrier(2)
    results: list = [None, None]

    def one_run(index: int) -> None:
        try:
            started.wait(timeout=10)
            results[index] = send_reminders(now=at(due))
        except Exception as crash:  # reported below
            results[index] = crash
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(result, list) for result in results), results
    assert len(results[0]) + len(results[1]) == 2
    assert len(mail.outbox) == 2
    assert SentReminder.objects.count() == 2
