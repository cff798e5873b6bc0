"""E-mail never holds up a page: it is queued with the work, sent by the worker after the
commit with a timeout, tried again with a growing wait, and shown to HR when it cannot be
sent. Most tests run each task as soon as it is queued (tests/conftest.py); those marked
below queue it in the database and run the worker, as production does."""

from __future__ import annotations

import contextlib
import datetime
import smtplib
import socket
import threading
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from casework import demo_cases, selectors
from casework.mail.tasks import deliver
from casework.models import AuditEvent, Case, LetterKind, MailStatus, OutgoingMail, Status
from casework.services import letters
from tests.test_concerns import form as concern_form

REPORT = reverse("casework:report_concern")
FAILED = reverse("casework:failed_mail")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class WatchingBackend(BaseEmailBackend):
    """Sends to the test outbox, noting whether a database transaction (and so a lock on
    the case or the audit trail) was open at that moment."""

    in_transaction: list[bool] = []

    def send_messages(self, email_messages):
        WatchingBackend.in_transaction.append(connection.in_atomic_block)
        mail.outbox.extend(email_messages)
        return len(email_messages)


@contextlib.contextmanager
def hung_mail_server() -> Iterator[dict]:
    """A local socket that accepts connections and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    seen = {"port": listener.getsockname()[1], "connections": 0}
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_say_nothing():
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            seen["connections"] += 1
            held.append(client)

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(timeout=5)
        for client in held:
            client.close()
        listener.close()


def run_worker() -> None:
    """The worker, as `manage.py db_worker` runs it, until nothing is ready to send."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.fixture
def mail_settings(settings):
    settings.CASEWORK_MAIL = {**settings.CASEWORK_MAIL, "ATTEMPTS": 3, "RETRY_SECONDS": 0}
    return settings


# --- The full path: the database queue and the worker ---------------------------------------


@pytest.mark.usefixtures("reseed")
def test_a_hung_mail_server_holds_up_nothing_and_hr_sees_what_failed(mail_settings, sign_in):
    settings = mail_settings
    settings.TASKS = DATABASE_TASKS
    with hung_mail_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server["port"]
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 0.3

        response = report(sign_in("Priya", "Patel"))

        # The concern is saved and confirmed without a word to the mail server: its
        # e-mails wait in the database for the worker.
        assert response.status_code == 302
        case = Case.objects.get()
        assert server["connections"] == 0
        queued = OutgoingMail.objects.filter(case=case)
        assert queued.count() == 2  # the reporter's receipt, and HR's shared queue
        assert set(queued.values_list("status", flat=True)) == {MailStatus.QUEUED}
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2

        run_worker()

        # Each message was tried three times, each try given up at the timeout.
        assert server["connections"] == 2 * 3
    assert mail.outbox == []
    failed = list(OutgoingMail.objects.filter(case=case))
    assert {(m.status, m.attempts) for m in failed} == {(MailStatus.FAILED, 3)}
    assert all(m.last_error.endswith("timed out") for m in failed)  # the timeout, each time
    trail = AuditEvent.objects.filter(case=case, action="mail.failed")
    assert trail.count() == 2 and trail.first().actor is None

    hr = sign_in("Hannah", "Reid")
    page = hr.get(FAILED)
    assert page.status_code == 200
    rows = page.content.decode().count('data-testid="failed-mail"')
    assert rows == 2 and case.reference in page.content.decode()

    # The mail server works again: HR sends one again and the worker delivers it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = failed[0]
    assert hr.post(reverse("casework:resend_mail", args=[message.pk])).status_code == 302
    run_worker()
    message.refresh_from_db()
    assert message.status == MailStatus.SENT and [m.to for m in mail.outbox] == [message.to]
    assert hr.get(FAILED).content.decode().count('data-testid="failed-mail"') == 1
    assert AuditEvent.objects.filter(case=case, action="mail.resent", actor__isnull=False)


def report(client):
    return client.post(REPORT, concern_form())


@pytest.mark.django_db
def test_each_failed_attempt_waits_twice_as_long_before_the_next(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    settings.CASEWORK_MAIL = {**settings.CASEWORK_MAIL, "ATTEMPTS": 3, "RETRY_SECONDS": 60}
    settings.EMAIL_BACKEND = "tests.test_mail.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = OutgoingMail.objects.create(to=["a@stclare.example"], subject="s", body="b")
    waits = []
    for _ in range(2):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver.call(message.pk) == "retrying"
        next_try = DBTaskResult.objects.filter(status=TaskResultStatus.READY).latest("enqueued_at")
        waits.append(round((next_try.run_after - before).total_seconds() / 60))
    assert waits == [1, 2]
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver.call(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == MailStatus.FAILED and message.attempts == 3
    assert "SMTPServerDisconnected" in message.last_error


# --- Run at once (the test suite's backend): what the person sees ---------------------------


@pytest.mark.django_db
def test_a_mail_server_that_refuses_everything_never_shows_a_500_for_work_done(
    mail_settings, sign_in, django_capture_on_commit_callbacks
):
    mail_settings.EMAIL_BACKEND = "tests.test_mail.RefusingBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = report(sign_in("Priya", "Patel"))

    assert response.status_code == 302
    case = Case.objects.get()
    assert sign_in("Priya", "Patel").get(response["Location"]).status_code == 200
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.FAILED, 3)}
    summaries = [event.summary for event in selectors.case_timeline(case)]
    assert "A notification e-mail could not be sent. Send it again from Failed e-mail." in (
        " ".join(summaries)
    )


@pytest.mark.django_db
def test_a_letter_that_cannot_be_emailed_is_recorded_and_shown_to_hr(
    mail_settings, sign_in, own_media, django_capture_on_commit_callbacks
):
    case = demo_cases.case_at(Status.OUTCOME_ISSUED)
    letter = letters.issue_letter(case=case, by=demo_cases.hr(), kind=LetterKind.OUTCOME, inputs={})
    mail_settings.EMAIL_BACKEND = "tests.test_mail.RefusingBackend"
    client = sign_in("Hannah", "Reid")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casework:deliver_letter", args=[case.reference, letter.pk]),
            {"method": "email"},
        )

    assert response.status_code == 302
    assert letter.deliveries.get().method == "email"
    message = OutgoingMail.objects.get(letter=letter)
    assert message.status == MailStatus.FAILED
    last = list(selectors.case_timeline(case))[-1]
    assert last.action == "mail.failed"
    assert last.summary.startswith(f"Letter could not be e-mailed: {letter.title} of ")
    assert case.subject.email not in last.summary  # the timeline names no recipient
    page = client.get(FAILED).content.decode()
    assert letter.title in page and case.subject.email in page
    record = client.get(reverse("casework:letter", args=[case.reference, letter.pk]))
    assert "could not be sent after 3 attempts" in record.content.decode()


@pytest.mark.usefixtures("reseed")
def test_a_letter_is_emailed_only_after_its_delivery_is_committed(sign_in, settings, own_media):
    case = demo_cases.case_at(Status.OUTCOME_ISSUED)
    letter = letters.issue_letter(case=case, by=demo_cases.hr(), kind=LetterKind.OUTCOME, inputs={})
    settings.EMAIL_BACKEND = "tests.test_mail.WatchingBackend"
    WatchingBackend.in_transaction = []

    response = sign_in("Hannah", "Reid").post(
        reverse("casework:deliver_letter", args=[case.reference, letter.pk]),
        {"method": "email"},
    )

    assert response.status_code == 302
    (sent,) = [m for m in mail.outbox if m.attachments]
    assert sent.to == [case.subject.email]
    # Sent with no transaction open: the case and the audit trail were not locked.
    assert WatchingBackend.in_transaction and not any(WatchingBackend.in_transaction)
    assert OutgoingMail.objects.get(letter=letter).status == MailStatus.SENT


# --- HR's page ------------------------------------------------------------------------------


def failed_mail(case=None, count=1) -> list[OutgoingMail]:
    return [
        OutgoingMail.objects.create(
            to=["someone@stclare.example"],
            subject="Casework: something is waiting for you",
            body="…",
            case=case,
            status=MailStatus.FAILED,
            attempts=3,
            failed_at=timezone.now() - datetime.timedelta(minutes=n),
            last_error="TimeoutError: timed out",
        )
        for n in range(count)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [(("Hannah", "Reid"), 200), (("Michael", "Okafor"), 403), (("Priya", "Patel"), 403)],
)
def test_only_hr_sees_failed_mail(sign_in, who, status):
    failed_mail()
    client = sign_in(*who)
    assert client.get(FAILED).status_code == status
    message = OutgoingMail.objects.get()
    assert client.post(reverse("casework:resend_mail", args=[message.pk])).status_code in (
        {302} if status == 200 else {403}
    )


@pytest.mark.django_db
def test_hr_too_close_to_a_case_sees_neither_it_nor_a_way_to_resend(sign_in):
    case = demo_cases.raise_concern()
    (message,) = failed_mail(case)
    hr_reporter = case.reporter  # a reporter who is an HR case manager is too close
    from casework.models import Role, RoleAssignment

    RoleAssignment.objects.create(person=hr_reporter, role=Role.HR_CASE_MANAGER)
    client = sign_in(hr_reporter.first_name, hr_reporter.last_name)
    page = client.get(FAILED).content.decode()
    assert "A case you are too close to" in page and case.reference not in page
    assert client.post(reverse("casework:resend_mail", args=[message.pk])).status_code == 403
    message.refresh_from_db()
    assert message.status == MailStatus.FAILED


@pytest.mark.django_db
def test_the_failed_mail_page_costs_the_same_queries_however_much_failed(sign_in):
    client = sign_in("Hannah", "Reid")
    case = demo_cases.raise_concern()
    failed_mail(case)
    client.get(FAILED)
    with CaptureQueriesContext(connection) as few:
        client.get(FAILED)
    failed_mail(case, count=60)
    with CaptureQueriesContext(connection) as many:
        page = client.get(FAILED)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.content.decode().count('data-testid="failed-mail"') == 50
    older = page.context["older"]
    second = client.get(FAILED, {"before": older}).content.decode()
    assert second.count('data-testid="failed-mail"') == 11


@pytest.mark.django_db
def test_a_password_reset_asked_for_by_anyone_waits_on_no_mail_server(
    settings, client, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with hung_mail_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server["port"]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/password-reset/", {"email": demo_cases.hr().email})
        assert response.status_code == 302
        assert server["connections"] == 0
    (message,) = OutgoingMail.objects.all()
    assert message.status == MailStatus.QUEUED and message.to == [demo_cases.hr().email]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db
def test_hr_is_warned_when_e_mail_waits_long_after_it_was_queued(sign_in, settings):
    settings.CASEWORK_MAIL = {**settings.CASEWORK_MAIL, "STALE_MINUTES": 60}
    OutgoingMail.objects.create(
        to=["recent@stclare.example"], subject="s", body="b", queued_at=timezone.now()
    )
    client = sign_in("Hannah", "Reid")
    assert 'data-testid="mail-waiting"' not in client.get(FAILED).content.decode()

    OutgoingMail.objects.create(
        to=["old@stclare.example"],
        subject="s",
        body="b",
        queued_at=timezone.now() - datetime.timedelta(minutes=61),
    )
    page = client.get(FAILED).content.decode()
    assert 'data-testid="mail-waiting"' in page
    assert "1 e-mail still waiting to be sent more than 60 minutes" in page
    assert "old@stclare.example" in page and "recent@stclare.example" not in page
