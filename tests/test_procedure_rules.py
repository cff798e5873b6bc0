"""Rules of the procedure checked where docs/procedure.md found no test of their own: each
at service level and over HTTP as the person who would try."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import (
    SAFEGUARDING,
    case_at,
    clause,
    dsl_refers,
    lado_referral_made,
    person,
)
from casework.errors import RuleBroken
from casework.models import AuditEvent, Case, InvestigationMeeting, Status, WitnessStatement
from casework.services import allegations, investigation
from workflows import engine

from .strategies import assert_case_consistent, fresh
from .test_notifications import BASE_URL, assert_says_only_that_something_waits, task_mails

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def interrupted_by_a_safeguarding_allegation() -> Case:
    """An investigation under way, into which the officer frames contact with a pupil."""
    case = case_at(Status.INVESTIGATION)
    allegations.add_allegation(
        case=case,
        by=case.investigating_officer.user,
        clause=clause("DONT-4"),
        particulars="A witness says the subject messaged a Year 9 pupil.",
    )
    return fresh(case)


def investigation_records(case: Case) -> tuple:
    return (
        InvestigationMeeting.objects.filter(case=case).count(),
        WitnessStatement.objects.filter(case=case).count(),
        AuditEvent.objects.filter(case_id=case.pk).exclude(action__startswith="viewed.").count(),
    )


# --- KCSIE Part 4: nobody interviews the subject, the child or witnesses first -------------


def test_nobody_records_an_interview_while_the_dsl_or_the_lado_decides():
    """Rule: the case manager must not interview the subject, the child or witnesses before
    the DSL (and, past the harm threshold, the LADO) has decided: the investigation is
    paused, so no meeting or statement can be recorded."""
    case = interrupted_by_a_safeguarding_allegation()
    officer = case.investigating_officer.user
    for stage in (Status.SAFEGUARDING_REVIEW, Status.LADO_REFERRAL, Status.ON_HOLD_EXTERNAL):
        if stage == Status.LADO_REFERRAL:
            case = dsl_refers(case)
        elif stage == Status.ON_HOLD_EXTERNAL:
            case = lado_referral_made(fresh(case))
        case = fresh(case)
        assert case.status == stage
        before = investigation_records(case)
        with pytest.raises(RuleBroken, match="The investigation is not under way"):
            investigation.record_meeting(
                case=case,
                by=officer,
                held_at=timezone.now() - datetime.timedelta(hours=1),
                location="Head's office",
                with_whom=case.subject.full_name,
                notes="Asked about the messages.",
            )
        with pytest.raises(RuleBroken, match="The investigation is not under way"):
            investigation.record_statement(
                case=case, by=officer, taken_on=YESTERDAY, statement="I saw the messages."
            )
        assert investigation_records(case) == before


def test_the_investigating_officer_cannot_record_an_interview_over_http_once_paused(sign_in):
    case = interrupted_by_a_safeguarding_allegation()
    before = investigation_records(case)
    client = sign_in("Emma", "Wright")
    response = client.post(
        reverse("casework:add_meeting", args=[case.reference]),
        {
            "held_on": YESTERDAY.isoformat(),
            "held_at": "10:00",
            "location": "Head's office",
            "with_whom": case.subject.full_name,
            "notes": "Asked about the messages.",
        },
    )
    assert response.status_code == 403
    assert "while it is under way" in response.content.decode()
    assert investigation_records(case) == before
    assert fresh(case).status == Status.SAFEGUARDING_REVIEW


# --- A newly data-protection case needs the DPO's decision (over HTTP) ---------------------


def test_a_data_protection_allegation_framed_over_http_goes_to_the_dpo_and_work_goes_on(
    sign_in,
):
    """Rule: a possible personal data breach goes to the Data Protection Officer, who decides
    on reporting to the ICO within 72 hours; the investigation carries on meanwhile."""
    case = case_at(Status.INVESTIGATION)
    response = sign_in("Emma", "Wright").post(
        reverse("casework:add_allegation", args=[case.reference]),
        {"clause": clause("DONT-5").pk, "particulars": "Posted a colleague's home address."},
        follow=True,
    )
    assert "the Data Protection Officer decides whether to report it" in (response.content.decode())
    case = fresh(case)
    assert case.status == Status.INVESTIGATION and case.data_protection
    (decision,) = case.dpo_decisions.all()
    assert decision.is_outstanding and decision.officer.full_name == "Yusuf Ahmed"
    inbox = sign_in("Yusuf", "Ahmed").get(reverse("workflow:inbox")).content.decode()
    assert "data breach" in inbox.lower() or "ICO" in inbox
    assert_case_consistent(case)


# --- Neutral e-mail (over HTTP) -------------------------------------------------------------


def test_a_safeguarding_concern_sent_over_http_tells_the_dsl_only_that_something_waits(
    sign_in, django_capture_on_commit_callbacks, settings
):
    """Rule: a notification's subject and body say only that something waits in Casework,
    with a link; nothing in a mailbox tells that a safeguarding case exists."""
    settings.CASEWORK_BASE_URL = BASE_URL
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in("Priya", "Patel").post(
            reverse("casework:report_concern"),
            {
                "subject": person("Daniel", "Shaw").pk,
                "school": "",
                "seen_on": YESTERDAY.isoformat(),
                "platform": "instagram",
                "account_kind": "personal",
                "what_was_seen": SAFEGUARDING["what_was_seen"],
                "pupils_involved": "current",
                "suspected_clauses": [clause("DONT-4").pk],
            },
        )
    assert response.status_code == 302
    case = Case.objects.get()
    (to_dsl,) = task_mails(mail.outbox[before:])
    assert to_dsl.to == [case.safeguarding_lead.user.email]
    (task,) = engine.open_tasks(case)
    assert_says_only_that_something_waits(to_dsl, case, task)


# --- Retention periods are settings -------------------------------------------------------


def test_how_long_a_spent_warning_is_kept_is_a_setting(settings):
    """Rule (setting): a first warning is kept 6 months after it expires and a final one 18;
    a trust that sets other periods has them applied."""
    from dateutil.relativedelta import relativedelta

    from casework.models import Sanction
    from casework.records import retention

    from .test_retention import closed_with, due

    settings.CASEWORK_RETENTION = {
        **settings.CASEWORK_RETENTION,
        "FIRST_WARNING_KEPT_MONTHS_AFTER_EXPIRY": 2,
    }
    case = closed_with(Sanction.FIRST_WRITTEN_WARNING)
    spent_from = case.warning_expires_on + datetime.timedelta(days=1)
    retention.carry_out(retention.plan(today=spent_from))
    erase_on = spent_from + relativedelta(months=2)
    assert due(erase_on - datetime.timedelta(days=1)) == {}
    assert due(erase_on) == {case.reference: retention.ERASE}
