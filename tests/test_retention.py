"""The retention schedule, travelling forward in time: dry runs change nothing, --apply acts."""

import datetime
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from casework import demo_cases
from casework.demo_cases import case_at, hr, person
from casework.evidence import check_upload
from casework.models import AuditEvent, Case, EvidenceFile, LadoOutcome, Sanction, Status
from casework.records import retention
from casework.services import evidence as evidence_service
from casework.services import referrals, safeguarding

pytestmark = pytest.mark.django_db


def stored(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def no_referral_needed(case: Case) -> Case:
    """HR answers any referral question the outcome raises (a teacher dismissed, say)."""
    for question in referrals.outstanding_questions(case):
        referrals.record_referral_decision(
            case=case,
            by=demo_cases.hr(),
            body=question.body,
            made=False,
            reasons="Not serious misconduct, and nothing about the safety of children.",
        )
    return case


def closed_with(sanction: str) -> Case:
    """A case taken through a hearing to a final outcome with this sanction."""
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    for step in (
        lambda c: demo_cases.decide(c, sanction),
        demo_cases.approve,
        demo_cases.issue,
        no_referral_needed,
        demo_cases.close_after_window,
    ):
        step(Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def with_evidence(case: Case) -> EvidenceFile:
    checked = check_upload(SimpleUploadedFile("notes.txt", b"What was posted, word for word."))
    if case.is_open:
        return evidence_service.add_evidence(case=case, checked=checked, by=hr())
    from casework.records.storage import files_removed_on_failure

    with files_removed_on_failure() as saver:
        return evidence_service.attach_evidence(case=case, checked=checked, by=hr(), saver=saver)


def due(today, action=None) -> dict[str, str]:
    return {
        step.reference: step.action
        for step in retention.plan(today=today)
        if action is None or step.action == action
    }


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_a_first_warning_is_marked_spent_after_its_live_period_then_erased_six_months_on(
    own_media, django_capture_on_commit_callbacks
):
    case = closed_with(Sanction.FIRST_WRITTEN_WARNING)
    with_evidence(case)
    assert len(stored(own_media)) == 1
    expires = case.warning_expires_on
    assert expires == case.outcome_issued_on + relativedelta(months=6) - datetime.timedelta(days=1)

    assert due(expires) == {}  # still live on its last day
    spent_from = expires + datetime.timedelta(days=1)
    assert due(spent_from) == {case.reference: retention.SPEND}
    retention.carry_out(retention.plan(today=spent_from))
    case.refresh_from_db()
    assert case.warning_spent_on == spent_from
    assert AuditEvent.objects.filter(case=case, action="retention.warning_spent").count() == 1

    erase_on = spent_from + relativedelta(months=6)
    assert due(erase_on - datetime.timedelta(days=1)) == {}
    assert due(erase_on) == {case.reference: retention.ERASE}
    with django_capture_on_commit_callbacks(execute=True):
        outcome = retention.carry_out(retention.plan(today=erase_on))
    assert [s.reference for s in outcome.done] == [case.reference]
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not EvidenceFile.objects.filter(case_id=case.pk).exists()
    assert stored(own_media) == []  # the stored file went too
    erased = AuditEvent.objects.get(action="retention.erased")
    assert erased.details["reference"] == case.reference
    assert "First written warning" in erased.details["rule"]
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_a_final_warning_is_kept_eighteen_months_after_it_expires():
    case = closed_with(Sanction.FINAL_WRITTEN_WARNING)
    spent_from = case.warning_expires_on + datetime.timedelta(days=1)
    assert case.warning_expires_on == (
        case.outcome_issued_on + relativedelta(months=12) - datetime.timedelta(days=1)
    )
    assert due(spent_from + relativedelta(months=18) - datetime.timedelta(days=1)) == {
        case.reference: retention.SPEND
    }
    steps = retention.plan(today=spent_from + relativedelta(months=18))
    assert [s.action for s in steps] == [retention.SPEND, retention.ERASE]


def test_a_dismissal_is_kept_for_the_limitation_period():
    case = closed_with(Sanction.DISMISSAL_WITH_NOTICE)
    closed_on = timezone.localdate(case.closed_at)
    assert due(closed_on + relativedelta(years=6) - datetime.timedelta(days=1)) == {}
    assert due(closed_on + relativedelta(years=6)) == {case.reference: retention.ERASE}


def test_a_case_not_upheld_is_destroyed_at_closure_and_a_dry_run_changes_nothing(
    own_media, django_capture_on_commit_callbacks
):
    case = case_at(Status.NO_CASE_TO_ANSWER)
    with_evidence(case)
    open_case = case_at(Status.TRIAGE)

    report = run()
    assert case.reference in report
    assert "erase" in report and "Not upheld: destroyed at closure" in report
    assert open_case.reference not in report
    assert "Dry run: nothing was changed." in report
    assert Case.objects.filter(pk=case.pk).exists()
    assert len(stored(own_media)) == 1
    assert not AuditEvent.objects.filter(action__startswith="retention.").exists()

    with django_capture_on_commit_callbacks(execute=True):
        report = run("--apply")
    assert f"Done: {case.reference} erase" in report
    assert not Case.objects.filter(pk=case.pk).exists()
    assert Case.objects.filter(pk=open_case.pk).exists()
    assert stored(own_media) == []
    assert AuditEvent.objects.filter(action="retention.erased").count() == 1
    applied = AuditEvent.objects.get(action="retention.applied")
    assert applied.details["done"] == [[case.reference, "erase"]]
    assert "Nothing is due." in run()


def test_apply_refuses_a_day_in_the_future():
    later = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    assert "Retention schedule on" in run("--today", later)
    with pytest.raises(CommandError, match="cannot take a day after today"):
        run("--apply", "--today", later)


def test_a_safeguarding_record_is_kept_to_retirement_age_when_that_is_later():
    subject = person("Daniel", "Shaw")
    subject.date_of_birth = timezone.localdate() - relativedelta(years=60)
    subject.save()
    case = case_at(Status.LOW_LEVEL_CONCERN)  # a child-protection matter, not upheld
    closed_on = timezone.localdate(case.closed_at)
    retirement = subject.date_of_birth + relativedelta(years=67)  # seven years away

    assert due(closed_on) == {}  # not destroyed at closure
    assert due(retirement) == {}  # ten years is later than retirement
    assert due(closed_on + relativedelta(years=10)) == {case.reference: retention.ERASE}

    subject.date_of_birth = timezone.localdate() - relativedelta(years=40)  # 27 years away
    subject.save()
    assert due(closed_on + relativedelta(years=10)) == {}
    retirement = subject.date_of_birth + relativedelta(years=67)
    assert due(retirement - datetime.timedelta(days=1)) == {}
    assert due(retirement) == {case.reference: retention.ERASE}


def test_a_safeguarding_record_without_a_date_of_birth_is_kept_and_flagged():
    case = case_at(Status.LOW_LEVEL_CONCERN)
    far_future = timezone.localdate() + relativedelta(years=30)
    assert due(far_future) == {case.reference: retention.REVIEW}
    report = run("--today", far_future.isoformat())
    assert "date of birth is not recorded" in report
    run("--apply")
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.parametrize("finding", [LadoOutcome.MALICIOUS, LadoOutcome.FALSE])
def test_a_false_or_malicious_allegation_leaves_the_persons_record(
    own_media, finding, django_capture_on_commit_callbacks
):
    subject = person("Daniel", "Shaw")
    case = case_at(Status.ON_HOLD_EXTERNAL)
    with_evidence(case)
    case = safeguarding.resume_after_hold(
        case=case,
        by=hr(),
        notes="The LADO found the allegation against Daniel Shaw had no basis.",
        next_step=Status.NO_CASE_TO_ANSWER,
        lado_outcome=finding,
    )
    assert due(timezone.localdate()) == {case.reference: retention.ANONYMISE}
    with django_capture_on_commit_callbacks(execute=True):
        run("--apply")

    case = Case.objects.get(pk=case.pk)
    assert case.anonymised_at is not None
    assert not Case.objects.filter(subject=subject).exists()
    assert case.subject.full_name == "Anonymised record"
    assert case.subject.user_id is None and case.subject.has_left
    assert "Daniel" not in case.what_was_seen and "Instagram" not in case.what_was_seen
    assert not case.evidence.exists()
    assert stored(own_media) == []
    assert case.lado_referral.outcome == finding
    assert "Daniel" not in case.lado_referral.outcome_notes
    assert all("alleged" not in a.particulars for a in case.allegations.all())
    assert AuditEvent.objects.filter(case=case, action="retention.anonymised").exists()
    assert due(timezone.localdate() + relativedelta(years=50)) == {}  # nothing more to do
