"""Bad input gets a clear message and changes nothing: each refusal below is made over HTTP
by the role that may do the step, names what is wrong, and leaves the case (its status, its
school, its records, its open task) and the audit trail exactly as they were."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import (
    acknowledge,
    appoint,
    case_at,
    clause,
    person,
    resigns,
    triage_to_investigation,
    walk,
)
from casework.models import (
    AuditEvent,
    Case,
    DpoDecision,
    ReferralDecision,
    Status,
    SubjectAccessRequest,
)
from casework.services import subject_access
from workflows import engine

from .strategies import fresh

pytestmark = pytest.mark.django_db

NO_SUCH_SCHOOL = "424242"
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
YUSUF = ("Yusuf", "Ahmed")  # the trust's Data Protection Officer


def trail_length() -> int:
    """Audit events other than the record of someone looking at a page."""
    return AuditEvent.objects.exclude(action__startswith="viewed.").count()


def footprint(case: Case) -> tuple:
    case = fresh(case)
    return (
        case.status,
        case.school_id,
        case.school_source,
        trail_length(),
        ReferralDecision.objects.filter(case=case).count(),
        list(DpoDecision.objects.filter(case=case).values("decided_at", "reportable")),
        [(task.flow_task.name, task.owner_id) for task in engine.open_tasks(case)],
    )


def shows(response, message: str) -> bool:
    return response.status_code == 200 and message in response.content.decode()


def test_a_concern_naming_a_school_that_does_not_exist_is_refused_and_nothing_stored(sign_in):
    before = (Case.objects.count(), trail_length())
    response = sign_in("Priya", "Patel").post(
        reverse("casework:report_concern"),
        {
            "subject": person("Daniel", "Shaw").pk,
            "school": NO_SUCH_SCHOOL,
            "school_confirmed": "on",
            "seen_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "platform": "instagram",
            "account_kind": "personal",
            "what_was_seen": "A post about a named colleague's disciplinary meeting.",
            "pupils_involved": "none",
            "suspected_clauses": [clause("DONT-3").pk],
        },
    )
    assert shows(response, "Choose a school of the trust from the list.")
    assert (Case.objects.count(), trail_length()) == before


def test_hr_moving_a_case_to_a_school_that_does_not_exist_is_refused_and_nothing_changes(
    sign_in,
):
    case = case_at(Status.TRIAGE)
    before = footprint(case)
    response = sign_in("Hannah", "Reid").post(
        reverse("casework:correct_school", args=[case.reference]),
        {"school": NO_SUCH_SCHOOL, "reason": "It belongs to another school."},
    )
    assert shows(response, "Choose a school of the trust from the list.")
    assert footprint(case) == before


def test_a_referral_dated_in_the_future_is_refused_and_nothing_changes(sign_in):
    """A teacher who resigned mid-investigation: the TRA question stands, but a referral
    cannot have been made tomorrow."""
    case = walk(
        [acknowledge, triage_to_investigation, appoint, resigns],
        subject=("Daniel", "Shaw"),
        reporter=("Priya", "Patel"),
    )
    before = footprint(case)
    response = sign_in("Hannah", "Reid").post(
        reverse("casework:record_referral", args=[case.reference]),
        {"body": "tra", "made": "yes", "made_on": TOMORROW.isoformat(), "reference": "TRA/1"},
    )
    assert shows(response, "The referral date cannot be in the future")
    assert footprint(case) == before


def dpo_task_url(case: Case) -> str:
    task = DpoDecision.objects.get(case=case).process.task_set.get(flow_task_type="HUMAN")
    return task.flow_task.reverse("execute", args=[task.process_id, task.pk])


DPO_FORM = {
    "reportable": "no",
    "reasons": "Seen by two people and deleted within the hour.",
    "reported_on": "",
    "reported_at_time": "",
    "ico_reference": "",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"reasons": "   "},
            "Give the reasons for the decision: the ICO may ask for them, reported or not.",
        ),
        (
            {"reportable": "yes", "ico_reference": "IC-2026-1"},
            "Give the date and time the breach was reported to the ICO.",
        ),
        (
            {"reportable": "no", "ico_reference": "IC-2026-1"},
            "leave the report&#x27;s time and the ICO reference empty",
        ),
    ],
    ids=["without-reasons", "ico-reference-without-a-date", "reference-but-not-reportable"],
)
def test_a_dpo_decision_with_something_missing_is_refused_and_nothing_changes(
    sign_in, changes, message
):
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    before = footprint(case)
    response = sign_in(*YUSUF).post(dpo_task_url(case), {**DPO_FORM, **changes})
    assert shows(response, message)
    assert footprint(case) == before
    assert DpoDecision.objects.get(case=case).is_outstanding


def test_extending_a_subject_access_request_without_a_reason_is_refused_and_nothing_changes(
    sign_in, own_media
):
    sar = subject_access.log_subject_access_request(
        person=person("Daniel", "Shaw"),
        received_on=timezone.localdate() - datetime.timedelta(days=3),
        received_via="email",
        by=person("Hannah", "Reid").user,
    )
    before = (list(SubjectAccessRequest.objects.values()), trail_length())
    response = sign_in("Hannah", "Reid").post(
        reverse("casework:extend_subject_access", args=[sar.pk]), {"reason": "   "}
    )
    assert shows(response, "Say why the request needs longer (for example, its complexity).")
    assert (list(SubjectAccessRequest.objects.values()), trail_length()) == before
    assert not SubjectAccessRequest.objects.get(pk=sar.pk).is_extended
