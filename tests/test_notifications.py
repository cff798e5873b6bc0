"""Whoever must act next is e-mailed that something waits in Casework, with a link, and
nothing more (no task, no reference, no names); only once the work is committed, and never
about a task they just gave themselves. The reporter's acknowledgement says no more."""

import pytest
from django.core import mail
from django.db import transaction

from casework import notifications
from casework.demo_cases import (
    SAFEGUARDING,
    appoint,
    approve,
    case_at,
    clause,
    decide,
    dsl_refers,
    hr,
    issue,
    lado_referral_made,
    lodge,
    person,
    raise_concern,
    refer_to_hearing,
    report,
    return_to_chair,
    schedule,
    schedule_appeal,
    triage_to_investigation,
)
from casework.errors import RuleBroken
from casework.models import Case, LetterKind, Status
from casework.services import case_admin, investigation, letters, safeguarding, triage
from workflows import engine

pytestmark = pytest.mark.django_db

BASE_URL = "https://casework.stclare.example"
TRUST = "St Clare Catholic Multi Academy Trust"
WHAT_WAS_SEEN = "Direct messages to a Year 10 pupil about her weekend."


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.CASEWORK_BASE_URL = BASE_URL


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """sent(step) runs a step as one committed piece of work and returns the e-mails it sent."""

    def run(step, *args, **kwargs):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = step(*args, **kwargs)
        run.result = result
        return mail.outbox[before:]

    return run


NEUTRAL_SUBJECT = "Casework: something is waiting for you"


def link_in(message) -> str:
    (line,) = [line for line in message.body.splitlines() if line.startswith(BASE_URL)]
    return line


def waiting_for(message) -> tuple[str, int]:
    """What the e-mail's link leads to: ("task", task id), ("report", case id), ..."""
    token = link_in(message).removeprefix(f"{BASE_URL}/waiting/").rstrip("/")
    return notifications.waiting_item(token)


def task_mails(messages) -> list:
    return [m for m in messages if waiting_for(m)[0] == "task"]


def addressed(messages) -> list[set[str]]:
    return [set(m.to) for m in task_mails(messages)]


def email_of(first: str, last: str) -> str:
    return person(first, last).user.email


def open_task(case: Case):
    (task,) = engine.open_tasks(case)
    return task


def assert_says_only_that_something_waits(message, case: Case, task=None) -> None:
    """The e-mail names no task, case, person, school or clause, in its subject, its body or
    its link; the link leads to ``task`` (or, without one, to the case's report)."""
    assert message.subject == NEUTRAL_SUBJECT
    assert waiting_for(message) == (("task", task.pk) if task else ("report", case.pk))
    told = message.subject + message.body
    case = Case.objects.get(pk=case.pk)
    secrets = [
        case.reference,
        case.reference.removeprefix("SM-"),
        "concern",
        "safeguarding",
        "LADO",
        "pupil",
        "hearing",
        "/cases/",
        "/concerns/",
        *[person_of_case.first_name for person_of_case in (case.subject, case.reporter)],
        *([task.owner.first_name, task.owner.last_name] if task and task.owner else []),
        case.subject.first_name,
        case.subject.last_name,
        case.reporter.last_name,
        case.school.name,
        case.what_was_seen[:25],
        case.get_platform_display(),
        *case.links.splitlines(),
    ]
    if task is not None:
        secrets += [str(task.flow_task.task_title), task.flow_task.name]
    for allegation in case.allegations.all():
        secrets += [allegation.clause.code, allegation.clause.text[:30], allegation.particulars]
    for suspected in case.suspected_clauses.all():
        secrets += [suspected.code, suspected.text[:30], suspected.summary[:30]]
    for secret in secrets:
        assert secret.lower() not in told.lower(), secret


# --- The shared HR queue ---------------------------------------------------------------------


def test_a_new_concern_emails_every_hr_manager_with_a_link_and_no_details(sent):
    messages = sent(raise_concern, clauses=("DONT-3",))
    case = sent.result
    (queue_mail,) = task_mails(messages)
    assert set(queue_mail.to) == {email_of("Hannah", "Reid"), email_of("Marcus", "Obi")}
    assert_says_only_that_something_waits(queue_mail, case, open_task(case))


def test_an_hr_manager_too_close_to_the_case_is_not_told(sent):
    messages = sent(raise_concern, reporter=("Marcus", "Obi"))
    assert addressed(messages) == [{email_of("Hannah", "Reid")}]


def test_the_link_takes_each_person_to_their_task(sent, client):
    def follow(message) -> str:
        """Where the link leads, through the task's own page, for the signed-in person."""
        waiting = client.get(link_in(message).removeprefix(BASE_URL))
        assert waiting.status_code == 302
        task_page = client.get(waiting["Location"])
        assert task_page.status_code == 302
        return task_page["Location"]

    (queue_mail,) = task_mails(sent(raise_concern))
    client.force_login(hr())
    assert follow(queue_mail).endswith("/assign/")

    (to_dsl,) = task_mails(sent(raise_concern, **SAFEGUARDING))
    client.force_login(person("Rachel", "Green").user)
    work = follow(to_dsl)
    assert work.endswith("/execute/")
    assert client.get(work).status_code == 200


def test_the_link_tells_nobody_else_anything(sent, client):
    (to_dsl,) = task_mails(sent(raise_concern, **SAFEGUARDING))
    link = link_in(to_dsl).removeprefix(BASE_URL)
    for outsider in (("Priya", "Patel"), ("Daniel", "Shaw"), ("Helen", "Carter")):
        client.force_login(person(*outsider).user)
        assert client.get(link).status_code == 404, outsider
    client.logout()
    signed_out = client.get(link)
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]
    client.force_login(hr())
    tampered = link[:-3] + ("AAA/" if not link.endswith("AAA/") else "BBB/")
    assert client.get(tampered).status_code == 404
    assert client.get("/waiting/not-a-link/").status_code == 404


# --- Whoever must act next -------------------------------------------------------------------


def test_each_person_who_must_act_is_told_in_turn(sent, hold_hearing):
    messages = sent(raise_concern)
    case = sent.result
    assert addressed(messages) == [{email_of("Hannah", "Reid"), email_of("Marcus", "Obi")}]

    # Hannah takes it on: her own next task needs no e-mail.
    assert addressed(sent(triage.acknowledge_concern, case=case, by=hr())) == []
    assert addressed(sent(triage_to_investigation, case)) == []
    assert addressed(sent(appoint, case)) == [{email_of("Emma", "Wright")}]
    (to_officer,) = task_mails(mail.outbox[-1:])
    assert_says_only_that_something_waits(to_officer, case, open_task(case))

    # The officer's report comes back to Hannah.
    assert addressed(sent(report, Case.objects.get(pk=case.pk))) == [{email_of("Hannah", "Reid")}]
    assert addressed(sent(refer_to_hearing, case)) == []
    assert addressed(sent(schedule, case)) == [{email_of("Catherine", "Walsh")}]
    hold_hearing(case)
    assert addressed(sent(decide, Case.objects.get(pk=case.pk))) == [
        {email_of("Michael", "Okafor")}
    ]
    (to_head,) = task_mails(mail.outbox[-1:])
    assert_says_only_that_something_waits(to_head, case, open_task(case))
    assert addressed(sent(return_to_chair, Case.objects.get(pk=case.pk))) == [
        {email_of("Catherine", "Walsh")}
    ]
    assert addressed(sent(decide, Case.objects.get(pk=case.pk))) == [
        {email_of("Michael", "Okafor")}
    ]
    assert addressed(sent(approve, Case.objects.get(pk=case.pk))) == [{email_of("Hannah", "Reid")}]
    assert addressed(sent(issue, Case.objects.get(pk=case.pk))) == []
    assert addressed(sent(lodge, Case.objects.get(pk=case.pk))) == []
    assert addressed(sent(schedule_appeal, Case.objects.get(pk=case.pk))) == [
        {email_of("Anne-Marie", "Byrne")}
    ]
    # Nobody is ever told about a case they are the subject of, or reported.
    everyone = {address for m in mail.outbox for address in m.to}
    assert email_of("Daniel", "Shaw") not in everyone


def test_the_dsl_is_told_of_a_safeguarding_concern_without_its_details(sent):
    messages = sent(raise_concern, **{**SAFEGUARDING, "what_was_seen": WHAT_WAS_SEEN})
    case = sent.result
    (to_dsl,) = task_mails(messages)
    assert to_dsl.to == [email_of("Rachel", "Green")]
    assert_says_only_that_something_waits(to_dsl, case, open_task(case))
    assert "Year 10" not in to_dsl.body and "pupil" not in to_dsl.body.lower()

    # Her own next step (the referral) needs no e-mail; the hold goes to HR's queue.
    assert addressed(sent(dsl_refers, case)) == []
    assert addressed(sent(lado_referral_made, Case.objects.get(pk=case.pk))) == [
        {email_of("Hannah", "Reid"), email_of("Marcus", "Obi")}
    ]


def test_a_new_owner_is_told_when_a_task_moves_to_them(sent):
    case = case_at(Status.INVESTIGATION)
    messages = sent(
        investigation.replace_investigating_officer,
        case=case,
        by=hr(),
        officer=person("Rachel", "Green"),
        reason="Emma is on long-term leave.",
    )
    assert addressed(messages) == [{email_of("Rachel", "Green")}]


# --- Only once committed ----------------------------------------------------------------------


def test_no_email_leaves_before_the_work_is_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = raise_concern()
        assert mail.outbox == []
    assert mail.outbox == []
    assert callbacks  # waiting for the commit
    with django_capture_on_commit_callbacks(execute=True):  # what the commit queues, sent
        for callback in callbacks:
            callback()
    assert {tuple(sorted(m.to)) for m in mail.outbox} == {
        (email_of("Priya", "Patel"),),
        tuple(sorted([email_of("Hannah", "Reid"), email_of("Marcus", "Obi")])),
    }
    assert {m.subject for m in mail.outbox} == {NEUTRAL_SUBJECT}
    assert not [m for m in mail.outbox if case.reference in m.subject + m.body]


def test_work_that_is_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    class Abandoned(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandoned),
        transaction.atomic(),
    ):
        raise_concern()
        raise Abandoned
    assert callbacks == []
    assert mail.outbox == []
    assert Case.objects.count() == 0


def test_no_email_about_a_task_gone_by_the_time_the_work_commits(sent):
    def raised_then_withdrawn():
        case = raise_concern()
        return case_admin.withdraw_case(case=case, by=hr(), reason="Raised twice by mistake.")

    messages = sent(raised_then_withdrawn)
    assert task_mails(messages) == []
    # The reporter still has their acknowledgement.
    assert [m.to for m in messages] == [[email_of("Priya", "Patel")]]


def test_a_refused_step_sends_nothing(sent):
    case = case_at(Status.ON_HOLD_EXTERNAL, **SAFEGUARDING)

    def refused():
        with pytest.raises(RuleBroken):
            safeguarding.resume_after_hold(
                case=case,
                by=hr(),
                notes="LADO agreed.",
                next_step=Status.APPOINTING_INVESTIGATOR,  # but no allegation is framed
                lado_outcome="substantiated",
            )

    assert sent(refused) == []


def test_the_acknowledgement_to_the_reporter_says_only_that_something_waits(sent, client):
    messages = sent(raise_concern, clauses=("DONT-5",), what_was_seen=WHAT_WAS_SEEN)
    case = sent.result
    (ack,) = [m for m in messages if m.to == [email_of("Priya", "Patel")]]
    assert_says_only_that_something_waits(ack, case)
    for secret in ("Year 10", "DONT-5", clause("DONT-5").text[:30], "Facebook"):
        assert secret not in ack.subject + ack.body
    # Signed in, the reporter is shown the receipt with its reference; nobody else is.
    link = link_in(ack).removeprefix(BASE_URL)
    client.force_login(person("Priya", "Patel").user)
    receipt = client.get(link, follow=True)
    assert case.reference in receipt.content.decode()
    client.force_login(hr())
    assert client.get(link).status_code == 404


# --- Letters sent by e-mail --------------------------------------------------------------------


def test_an_emailed_letter_says_only_that_a_private_letter_is_attached(
    own_media, django_capture_on_commit_callbacks
):
    case = case_at(Status.OUTCOME_ISSUED)
    letter = letters.issue_letter(case=case, by=hr(), kind=LetterKind.OUTCOME, inputs={})
    with django_capture_on_commit_callbacks(execute=True):
        letters.deliver_letter(letter=letter, by=hr(), method="email")
    message = mail.outbox[-1]
    assert message.to == [case.subject.email]
    assert message.subject == f"Private and confidential: a letter from {TRUST}"
    assert [name for name, _, _ in message.attachments] == [f"letter-{letter.dated:%Y-%m-%d}.pdf"]
    told = (message.subject + message.body).lower()
    for secret in (
        case.reference,
        case.subject.first_name,
        case.subject.last_name,
        case.school.name,
        letter.title,
        case.get_sanction_display(),
        "warning",
        "outcome",
        "disciplinary",
        "hearing",
        "appeal",
        *[a.clause.code for a in case.allegations.all()],
    ):
        assert secret.lower() not in told, secret
