"""Every number of the procedure that a page, form, message or letter quotes is read from its
setting, so what people are told is what the rules enforce when the trust changes one."""

import datetime

import pytest
from django.urls import reverse

from casework.demo_cases import SAFEGUARDING, case_at
from casework.models import DpoDecision, LetterKind, Status
from casework.services import letters
from casework.workdays import procedure_text
from tests.trusts import demo_trust_id

from .test_lifecycle_http import action, task_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]


@pytest.fixture
def procedure(settings):
    def change(**values):
        settings.CASEWORK_PROCEDURE = {**settings.CASEWORK_PROCEDURE, **values}

    return change


def test_procedure_text_reads_the_setting_each_time_it_is_shown(procedure):
    template = "within {APPEAL_WORKING_DAYS} working day{APPEAL_WORKING_DAYS:s}"
    assert procedure_text(template, trust=demo_trust_id()) == "within 10 working days"
    procedure(APPEAL_WORKING_DAYS=1)
    assert procedure_text(template, trust=demo_trust_id()) == "within 1 working day"


def test_moving_a_hearing_for_the_companion_quotes_the_postponement_limit(sign_in, procedure):
    procedure(COMPANION_POSTPONEMENT_WORKING_DAYS=7)
    case = case_at(Status.HEARING_SCHEDULED)
    page = sign_in("Hannah", "Reid").get(action(case, "reschedule_hearing")).content.decode()
    assert "within 7 working days of the original one" in page
    assert "five working days" not in page


def test_the_dpo_decision_is_due_the_setting_s_hours_after_the_trust_became_aware(
    sign_in, procedure
):
    """The hours the DPO has are read from the setting each time a decision is opened, and
    HR's case page counts them down."""
    procedure(DPO_DECISION_HOURS=48)
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    decision = DpoDecision.objects.get(case=case)
    assert decision.due_at - decision.aware_at == datetime.timedelta(hours=48)
    page = sign_in("Hannah", "Reid").get(reverse("casework:case", args=[case.reference]))
    assert "(in 4" in page.content.decode()  # 47 or 48 hours left, never 71 or 72
    assert "(in 7" not in page.content.decode()


@pytest.mark.parametrize(("days", "words"), [(1, "1 working day and"), (2, "2 working days and")])
def test_the_safeguarding_review_quotes_the_lado_referral_deadline(sign_in, procedure, days, words):
    procedure(LADO_REFERRAL_WORKING_DAYS=days)
    case = case_at(Status.SAFEGUARDING_REVIEW, **SAFEGUARDING)
    client = sign_in("Rachel", "Green")
    page = client.get(task_form(client, case, "safeguarding_review")).content.decode()
    assert f"refer it to the LADO within {words} do not interview" in page


def test_every_letter_quotes_the_subject_access_month_from_its_setting(procedure):
    case = case_at(Status.HEARING_SCHEDULED)
    hr = case.case_manager.user
    draft = letters.draft_letter(case=case, by=hr, kind=LetterKind.HEARING_INVITATION, inputs={})
    assert "which we answer within 1 month;" in draft.html
    procedure(SUBJECT_ACCESS_MONTHS=2)
    draft = letters.draft_letter(case=case, by=hr, kind=LetterKind.HEARING_INVITATION, inputs={})
    assert "which we answer within 2 months;" in draft.html


def test_the_subject_access_pages_quote_their_months(sign_in, procedure):
    procedure(SUBJECT_ACCESS_MONTHS=1, SUBJECT_ACCESS_EXTENSION_MONTHS=3)
    page = sign_in("Hannah", "Reid").get(reverse("casework:subject_access_requests"))
    assert "within 1 calendar month of the day it was received, or 3 months more" in (
        page.content.decode()
    )
