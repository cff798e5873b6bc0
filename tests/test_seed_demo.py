"""The demonstration data a newcomer signs in to."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.intake import concerns
from casework.models import (
    Appeal,
    Attendance,
    AuditEvent,
    Case,
    DpoDecision,
    Hearing,
    ReferralDecision,
    Role,
    RoleAssignment,
    School,
    SchoolSource,
    Settlement,
    SignOff,
    StaffMember,
    User,
)
from casework.services import referrals
from casework.services.subject_access import subject_access_due
from tests.trusts import demo_trust_id

pytestmark = pytest.mark.django_db


def test_three_schools_and_about_thirty_staff_including_volunteers():
    assert School.objects.count() == 3
    assert 28 <= StaffMember.objects.count() <= 35
    assert StaffMember.objects.filter(kind=StaffMember.Kind.VOLUNTEER).count() >= 1


def test_every_school_role_is_held_at_every_school_by_someone_who_can_sign_in():
    for school in School.objects.all():
        for role in (
            Role.HEADTEACHER,
            Role.SAFEGUARDING_LEAD,
            Role.INVESTIGATING_OFFICER,
            Role.CHAIR_OF_GOVERNORS,
        ):
            holders = RoleAssignment.objects.filter(
                role=role, school=school, person__user__isnull=False
            )
            assert holders.exists(), (school, role)
    for role in (Role.HR_CASE_MANAGER, Role.TRUST_EXECUTIVE):
        assert RoleAssignment.objects.filter(role=role, person__user__isnull=False).exists()


def test_every_demo_sign_in_uses_the_documented_password(settings):
    for user in User.objects.all():
        assert user.check_password(settings.CASEWORK_DEMO_PASSWORD), user.email


def test_running_it_again_changes_nothing():
    before = (User.objects.count(), StaffMember.objects.count(), RoleAssignment.objects.count())
    call_command("seed_demo", force=True, verbosity=0)
    after = (User.objects.count(), StaffMember.objects.count(), RoleAssignment.objects.count())
    assert after == before


@override_settings(DEBUG=False)
def test_it_refuses_to_run_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo", verbosity=0)


def test_the_demo_cases_happened_in_an_order_the_procedure_allows():
    call_command("seed_demo", force=True, verbosity=0)
    now = timezone.now()
    for case in Case.objects.all():
        moments = list(
            AuditEvent.objects.filter(case=case)
            .order_by("id")
            .values_list("occurred_at", flat=True)
        )
        assert moments == sorted(moments), case.reference
        assert moments[-1] <= now, case.reference
        # The workflow's own records tell the same story as the trail.
        latest = moments[-1] + datetime.timedelta(minutes=5)  # steps taken now take time
        for task in Task.objects.filter(process_id=case.process.pk):
            assert moments[0] <= task.created <= latest, (case.reference, task)
            assert task.finished is None or task.created <= task.finished <= latest
        if case.decided_at:  # the chair decided after the hearing, not before it
            hearing = case.hearings.current(Hearing.Kind.DISCIPLINARY)
            assert hearing.starts_at < case.decided_at <= now, case.reference
    for appeal in Appeal.objects.exclude(decided_at=None):
        hearing = appeal.case.hearings.current(Hearing.Kind.APPEAL)
        assert hearing.starts_at < appeal.decided_at <= now, appeal.case.reference
    assert Appeal.objects.exclude(decided_at=None).exists()


def test_the_demo_shows_subject_access_requests_and_earlier_outcomes():
    """An answered subject access request and an open one; earlier outcomes for the DONT-3
    hearings, and the too-few message for the volunteer's DONT-2 sign-off."""
    from casework.models import Status, SubjectAccessRequest
    from casework.oversight import consistency

    call_command("seed_demo", force=True, verbosity=0)
    today = timezone.localdate()
    answered = SubjectAccessRequest.objects.get(answered_on__isnull=False)
    assert answered.has_export and answered.answered_on <= answered.due_on
    assert answered.export_produced_by is not None
    waiting = SubjectAccessRequest.objects.unanswered()
    assert {sar.is_extended for sar in waiting} == {True, False}
    for sar in waiting:
        assert not sar.has_export and sar.due_on >= today
    extended = waiting.get(extended_at__isnull=False)
    assert extended.extension_reason and extended.extended_by is not None
    assert extended.due_on == subject_access_due(
        extended.received_on, extended=True, trust=demo_trust_id()
    )
    assert extended.received_on < timezone.localdate(extended.extended_at) <= today

    returned = Case.objects.get(status=Status.RETURNED_TO_CHAIR)
    assert consistency.prior_outcomes(returned).shown
    volunteer = Case.objects.get(status=Status.AWAITING_SIGN_OFF)
    assert volunteer.subject.is_volunteer and not consistency.prior_outcomes(volunteer).shown
    earlier = Case.objects.filter(outcome_issued_on__year__lt=today.year)
    assert earlier.count() >= 3
    for case in earlier:  # closed in their own year, through the whole procedure
        assert case.closed_at.year == case.outcome_issued_on.year < today.year
        assert case.hearings.current(Hearing.Kind.DISCIPLINARY).starts_at < case.decided_at


def test_the_demo_shows_each_routing_record_on_a_case():
    """A cross-school report, a school HR corrected, DPO decisions outstanding (one overdue)
    and made, and a concern about someone who has left."""
    call_command("seed_demo", force=True, verbosity=0)
    cases = Case.objects.select_related("school", "reporter__school")
    assert any(
        c.school_id
        and c.reporter.school_id
        and c.school_id != c.reporter.school_id
        and c.school_source == SchoolSource.SUBJECT
        and c.safeguarding
        for c in cases
    )
    corrected = cases.get(school_source=SchoolSource.HR)
    assert AuditEvent.objects.filter(case=corrected, action="case.school_corrected").exists()
    assert DpoDecision.objects.filter(decided_at__isnull=False, reportable=True).exists()
    outstanding = DpoDecision.objects.filter(decided_at__isnull=True)
    assert outstanding.filter(due_at__gt=timezone.now()).exists()
    assert outstanding.filter(due_at__lt=timezone.now()).exists()  # overdue
    leaver = cases.get(subject_left_on__isnull=False)
    assert leaver.subject.has_left and leaver.is_open


def test_the_demo_shows_referrals_a_settlement_attendance_and_the_chair_of_governors():
    call_command("seed_demo", force=True, verbosity=0)
    made = ReferralDecision.objects.filter(made=True)
    assert {d.body for d in made} == {"dbs", "tra"}
    assert ReferralDecision.objects.filter(made=False).exclude(reasons="").exists()
    assert Settlement.objects.exists()
    # A hearing postponed for the person it is about, then held in their absence.
    in_absence = Hearing.objects.filter(
        subject_attendance=Attendance.DID_NOT_ATTEND, postponed_for_subject=True
    )
    assert in_absence.exists()
    assert Hearing.objects.filter(subject_attendance=Attendance.ATTENDED).exists()
    assert SignOff.objects.filter(role_title="Chair of governors").exists()
    assert Case.objects.filter(subject__kind=StaffMember.Kind.VOLUNTEER).count() >= 3
    # No demo case is left needing a referral decision it could not close without.
    for case in Case.objects.closed():
        assert referrals.outstanding_questions(case) == [], case.reference


def test_the_demo_states_its_own_moments_and_the_trail_still_checks_out():
    """The demonstration's past is recorded by stating each step's moment, not by moving
    the system clock: the audit chain written that way verifies, and the runtime needs no
    clock-moving package."""
    from pathlib import Path

    from casework import audit

    call_command("seed_demo", force=True, verbosity=0)
    assert list(audit.find_broken_links()) == []
    assert AuditEvent.objects.filter(occurred_at__year__lt=timezone.now().year).exists()
    root = Path(__file__).resolve().parent.parent
    runtime_lock = (root / "requirements.lock").read_text()
    assert "time-machine" not in runtime_lock
    for source in [
        *root.joinpath("casework").rglob("*.py"),
        *root.joinpath("workflows").rglob("*.py"),
    ]:
        assert "time_machine" not in source.read_text(), source


def test_the_demo_shows_a_rerouted_case_a_resent_form_and_a_volunteers_meeting_letters():
    """A case an allegation made newly safeguarding mid-investigation (now with the DSL, the
    investigation paused); a concern whose form was sent twice and recorded once; and a
    volunteer's letters that speak of a meeting about the arrangement."""
    from casework.models import Letter, LetterKind, Status

    call_command("seed_demo", force=True, verbosity=0)
    rerouted = Case.objects.get(review_interrupted=Status.INVESTIGATION)
    assert rerouted.status == Status.SAFEGUARDING_REVIEW and rerouted.safeguarding
    # The trail says why: the allegation and the clause that made it a safeguarding matter.
    paused = AuditEvent.objects.get(case=rerouted, details__transition="interrupt_for_safeguarding")
    assert paused.details["clauses"] == ["DONT-4"] and paused.details["from"] == "investigation"
    assert rerouted.allegations.filter(clause__code="DONT-4").exists()

    resent = Case.objects.get(submission_token__isnull=False)
    assert Case.objects.filter(reporter=resent.reporter, subject=resent.subject).count() == 1
    with pytest.raises(concerns.AlreadyReported, match=resent.reference):
        concerns.ensure_not_sent_before(
            concerns.Concern(
                subject=resent.subject,
                school=None,
                school_confirmed=False,
                seen_on=resent.seen_on,
                platform=resent.platform,
                account_kind=resent.account_kind,
                what_was_seen=resent.what_was_seen,
                links=[],
                suspected_clauses=[],
                pupils_involved="none",
            ),
            reporter=resent.reporter,
            token=resent.submission_token,
        )

    invitations = Letter.objects.filter(
        kind=LetterKind.HEARING_INVITATION, case__subject__kind=StaffMember.Kind.VOLUNTEER
    )
    assert invitations.exists()
    for letter in invitations:
        assert letter.title == "Invitation to a meeting about the volunteering arrangement"
