"""Leavers: a concern may be raised about someone who has left, routed as usual; the subject
resigning or leaving mid-case never ends it; and nobody who has left is given a task."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework import notifications, permissions, responsibility, selectors
from casework.demo_cases import (
    SAFEGUARDING,
    case_at,
    clause,
    concern_about_a_leaver,
    hr,
    person,
    raise_concern,
    report,
)
from casework.errors import RuleBroken
from casework.models import AuditEvent, Case, Status
from casework.services import case_admin, safeguarding
from workflows import engine

from .strategies import assert_case_consistent, fresh

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
OLIVIA = ("Olivia", "Grant")  # a Year 3 teacher at St Bernadette's who left on 31 July 2025


def leaves(who: tuple[str, str], *, on: datetime.date | None = None) -> None:
    left = person(*who)
    left.left_on = on or TODAY() - datetime.timedelta(days=1)
    left.save(update_fields=["left_on"])


def open_task(case: Case):
    (task,) = engine.open_tasks(case)
    return task


# --- A concern about someone who has left ------------------------------------------------


def test_a_historical_concern_about_a_leaver_is_routed_as_usual():
    """Rule: a concern may be raised about someone who has left; it goes to the DSL of their
    last school like any other, with their leaving date recorded on the case."""
    case = concern_about_a_leaver()
    assert case.subject == person(*OLIVIA) and case.subject_left_on == datetime.date(2025, 7, 31)
    assert case.school.name.startswith("St Bernadette")
    assert case.status == Status.SAFEGUARDING_REVIEW
    assert case.safeguarding_lead == person("David", "Nwosu")
    assert permissions.can_view_case(person("David", "Nwosu").user, case)
    assert permissions.can_view_case(person("Helen", "Carter").user, case)
    assert_case_consistent(case)


def test_a_concern_about_a_leaver_over_http_shows_their_leaving_date(sign_in):
    client = sign_in("Tom", "Brennan")
    form = client.get(reverse("casework:report_concern")).context["form"]
    labels = dict(form.fields["subject"].choices)
    olivia = person(*OLIVIA)
    label = next(text for value, text in labels.items() if str(value) == str(olivia.pk))
    assert "(left the trust on 31 July 2025)" in label
    response = client.post(
        reverse("casework:report_concern"),
        {
            "subject": olivia.pk,
            "seen_on": "2025-06-20",
            "platform": "snapchat",
            "account_kind": "personal",
            "what_was_seen": "Snapchat messages to a Year 6 pupil last summer term.",
            "pupils_involved": "current",
            "suspected_clauses": [clause("DONT-4").pk],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    case = Case.objects.get()
    assert case.subject_left_on == datetime.date(2025, 7, 31)
    page = sign_in("David", "Nwosu").get(reverse("casework:case", args=[case.reference]))
    html = page.content.decode()
    assert "Had left the trust on 31 Jul 2025" in html
    assert "the procedure goes on all the same" in html


def test_a_leaver_still_cannot_report_or_act():
    olivia = person(*OLIVIA)
    assert olivia.user is None and not olivia.can_sign_in
    leaves(("Priya", "Patel"))
    assert permissions.held_roles(person("Priya", "Patel").user) == ()


# --- A resignation, or leaving, mid-case ---------------------------------------------------


def test_a_resignation_and_then_leaving_mid_case_never_ends_it():
    """Rule: resignation does not stop the investigation (KCSIE Part 4)."""
    case = case_at(Status.INVESTIGATION)
    case_admin.record_resignation(case=case, by=hr(), resigned_on=TODAY(), notes="By e-mail.")
    leaves(("Daniel", "Shaw"), on=TODAY())
    case = fresh(case)
    assert case.status == Status.INVESTIGATION and case.subject_resigned_on == TODAY()
    assert open_task(case).owner == case.investigating_officer.user
    assert permissions.can_view_case(person("Michael", "Okafor").user, case)
    assert case in selectors.cases_visible_to(hr())
    case = report(case)  # the investigation goes on to its report
    assert fresh(case).status == Status.INVESTIGATION_REPORT
    assert_case_consistent(case)


def test_a_subject_who_has_left_still_routes_to_the_safeguarding_lead():
    leaves(("Daniel", "Shaw"))
    case = raise_concern(**SAFEGUARDING)
    assert case.status == Status.SAFEGUARDING_REVIEW
    assert open_task(case).owner == person("Rachel", "Green").user
    assert case.subject_left_on == TODAY() - datetime.timedelta(days=1)


# --- Nobody who has left is given a task ---------------------------------------------------


def test_a_dsl_who_has_left_is_never_chosen():
    leaves(("Rachel", "Green"))
    case = raise_concern(**SAFEGUARDING)
    assert case.safeguarding_lead == person("Owen", "Price")  # the deputy
    assert open_task(case).owner == person("Owen", "Price").user


def test_an_investigation_whose_officer_left_during_a_hold_waits_for_a_new_officer(sign_in):
    case = safeguarding.pause_case(
        case=case_at(Status.INVESTIGATION), by=hr(), reason="The police are making enquiries."
    )
    leaves(("Emma", "Wright"))
    client = sign_in("Hannah", "Reid")
    task = open_task(case)
    execute = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    if task.owner_id is None:
        client.post(task.flow_task.reverse("assign", args=[task.process_id, task.pk]))
    done = client.post(execute, {"notes": "The police have finished, by phone today."})
    assert done.status_code == 302
    case = fresh(case)
    assert case.status == Status.APPOINTING_INVESTIGATOR
    assert open_task(case).flow_task.name == "appoint_investigator"
    assert_case_consistent(case)


def test_a_sign_off_whose_signer_left_during_a_hold_goes_to_whoever_signs_off_now():
    case = safeguarding.pause_case(
        case=case_at(Status.AWAITING_SIGN_OFF), by=hr(), reason="A regulator is involved."
    )
    leaves(("Michael", "Okafor"))
    safeguarding.resume_after_hold(case=case, by=hr(), notes="The regulator has finished.")
    case = fresh(case)
    assert case.status == Status.AWAITING_SIGN_OFF
    # The school's chair of governors stands in before the trust executive; not the chair.
    assert case.signing_authority == person("Robert", "Kavanagh")
    assert open_task(case).owner == person("Robert", "Kavanagh").user
    assert_case_consistent(case)


def test_a_step_that_would_give_a_leaver_a_task_is_refused_and_changes_nothing():
    """The workflow never assigns a task to someone who has left: the step is refused with
    the reason and what to do, and nothing changes."""
    case = safeguarding.pause_case(
        case=case_at(Status.RETURNED_TO_CHAIR), by=hr(), reason="The police are involved."
    )
    leaves(("Catherine", "Walsh"))  # the hearing chair
    before = (fresh(case).status, AuditEvent.objects.filter(case_id=case.pk).count())
    with pytest.raises(
        RuleBroken, match="Catherine Walsh, the hearing chair in this case, has left"
    ):
        safeguarding.resume_after_hold(case=case, by=hr(), notes="The police have finished.")
    assert (fresh(case).status, AuditEvent.objects.filter(case_id=case.pk).count()) == before
    assert_case_consistent(case)


def test_nobody_who_has_left_is_offered_or_emailed_work(django_capture_on_commit_callbacks):
    leaves(("Marcus", "Obi"))
    leaves(("Yusuf", "Ahmed"))
    with django_capture_on_commit_callbacks(execute=True):
        case = raise_concern(subject=("Ben", "Taylor"), clauses=("DO-5",))
    assert notifications.hr_recipients(case) == ["hannah.reid@stclare.example"]
    assert responsibility.choose_data_protection_officer(case) is None
    assert case.dpo_decisions.get().officer is None
    told = {address for message in mail.outbox for address in message.to}
    assert "hannah.reid@stclare.example" in told  # the shared queue's e-mail went out
    assert not told & {"marcus.obi@stclare.example", "yusuf.ahmed@stclare.example"}


def test_the_case_page_says_when_whoever_holds_the_next_step_has_left(sign_in):
    case = case_at(Status.INVESTIGATION)
    leaves(("Emma", "Wright"))
    page = sign_in("Hannah", "Reid").get(reverse("casework:case", args=[case.reference]))
    assert "has left the trust or cannot sign in" in page.context["next_step"].who
