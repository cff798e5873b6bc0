"""The demonstration data a newcomer signs in to."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

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
    (waiting,) = SubjectAccessRequest.objects.unanswered()
    assert not waiting.has_export and waiting.due_on >= today

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
