"""The demonstration's story, seeded once (the whole of seed_demo, both trusts and every
case) and read by every test here: the order things happened in, and each kind of record a
newcomer is shown."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.intake import concerns
from casework.models import (
    Appeal,
    Attendance,
    AuditEvent,
    Case,
    Clause,
    DpoDecision,
    Hearing,
    Letter,
    LetterDelivery,
    LetterKind,
    Policy,
    ReferralDecision,
    Sanction,
    SchoolSource,
    Settlement,
    SignOff,
    StaffMember,
    Status,
    Trust,
)
from casework.services import referrals
from casework.services.subject_access import subject_access_due
from casework.workdays import Calendar
from tests.test_seed_demo import WALSINGHAM_CLAUSES
from tests.trusts import ST_CLARE, demo_trust_id

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demonstration, seeded once for the tests that only read it, and rolled back
    after them. Its seal goes to a folder of its own: it must not outlive the rollback."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            CASEWORK_AUDIT_SEAL_DIR=tmp_path_factory.mktemp("seed-demo-seals"),
        ),
        transaction.atomic(),
    ):
        call_command("seed_demo", force=True, verbosity=0)
        yield
        transaction.set_rollback(True)


def test_the_demo_cases_happened_in_an_order_the_procedure_allows(seeded):
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


def test_the_demo_shows_subject_access_requests_and_earlier_outcomes(seeded):
    """An answered subject access request and an open one; earlier outcomes for the DONT-3
    hearings, and the too-few message for the volunteer's DONT-2 sign-off."""
    from casework.models import Status, SubjectAccessRequest
    from casework.oversight import consistency

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


def test_the_demo_shows_each_routing_record_on_a_case(seeded):
    """A cross-school report, a school HR corrected, DPO decisions outstanding (one overdue)
    and made, and a concern about someone who has left."""
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


def test_the_demo_shows_referrals_a_settlement_attendance_and_the_chair_of_governors(seeded):
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


def test_the_demo_states_its_own_moments_and_the_trail_still_checks_out(seeded):
    """The demonstration's past is recorded by stating each step's moment, not by moving
    the system clock: the audit chain written that way verifies, and the runtime needs no
    clock-moving package."""

    from casework import audit

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


def test_the_demo_shows_a_rerouted_case_a_resent_form_and_a_volunteers_meeting_letters(seeded):
    """A case an allegation made newly safeguarding mid-investigation (now with the DSL, the
    investigation paused); a concern whose form was sent twice and recorded once; and a
    volunteer's letters that speak of a meeting about the arrangement."""
    from casework.models import LetterKind, Status

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


# --- The second trust: its own policy, people, settings and cases ------------------------


def test_the_second_trusts_cases_are_its_own_at_several_stages(seeded):
    walsingham = Trust.objects.get(name="Our Lady of Walsingham Catholic Academy Trust")
    cases = Case.objects.filter(trust=walsingham)
    assert {c.status for c in cases} == {
        Status.RECEIVED,
        Status.SAFEGUARDING_REVIEW,
        Status.INVESTIGATION,
        Status.OUTCOME_ISSUED,
    }
    policy = Policy.objects.get(trust=walsingham, is_current=True)
    for case in cases:
        assert case.policy == policy, case.reference
        for part in (
            case.subject,
            case.reporter,
            case.safeguarding_lead,
            case.investigating_officer,
            case.hearing_chair,
            case.signing_authority,
        ):
            assert part is None or part.trust == walsingham, (case.reference, part)
        assert case.school is None or case.school.trust == walsingham
        assert set(case.suspected_clauses.values_list("policy", flat=True)) <= {policy.pk}
        assert set(case.allegations.values_list("clause__policy", flat=True)) <= {policy.pk}
        events = AuditEvent.objects.filter(case=case)
        assert events.exists() and not events.exclude(trust=walsingham).exists()
    # The concern about pupils waits for the school's own DSL, the data breach for the
    # trust's own DPO.
    assert cases.get(status=Status.SAFEGUARDING_REVIEW).safeguarding_lead.full_name == (
        "Claire Dunne"
    )
    assert DpoDecision.objects.get(case__trust=walsingham).officer.full_name == "Alan Pritchard"
    # The outcome went out with its letter, and the appeal window is the trust's 15 days.
    issued = cases.get(status=Status.OUTCOME_ISSUED)
    assert issued.letters.get().kind == LetterKind.OUTCOME
    assert issued.letters.get().issued_by.email == "ngozi.eze@walsingham.example"
    assert issued.appeal_deadline == Calendar.of_case(issued).add_working_days(
        issued.outcome_issued_on, 15
    )
    assert issued.allegations.get().clause.text == dict(WALSINGHAM_CLAUSES)["DONT-4"]
    # And St Clare's cases are all St Clare's.
    st_clare = Case.objects.exclude(trust=walsingham)
    assert st_clare.exists() and {c.trust.name for c in st_clare} == {ST_CLARE}
    cited = Clause.objects.filter(pk__in=st_clare.values("allegations__clause"))
    assert set(cited.values_list("policy__trust__name", flat=True)) == {ST_CLARE}


def test_after_seed_demo_every_letter_kind_exists_as_an_issued_pdf(seeded):
    assert set(Letter.objects.values_list("kind", flat=True)) == set(LetterKind.values)
    for letter in Letter.objects.all():
        content = default_storage.open(letter.file.name).read()
        assert hashlib.sha256(content).hexdigest() == letter.sha256, letter
    # Volunteer versions too, and every volunteer outcome the demo's stories reach.
    volunteer = Letter.objects.filter(audience="volunteer")
    assert set(volunteer.values_list("kind", flat=True)) == set(LetterKind.values) - {
        LetterKind.DISMISSAL_WITH_NOTICE,
        LetterKind.SUMMARY_DISMISSAL,
        LetterKind.NO_FURTHER_ACTION,
    }
    assert {
        Sanction.VOLUNTEER_GUIDANCE,
        Sanction.VOLUNTEER_ROLE_ADJUSTED,
        Sanction.VOLUNTEERING_ENDED,
    } <= set(volunteer.values_list("sanction", flat=True))
    assert set(LetterDelivery.objects.values_list("method", flat=True)) == {"email", "hand", "post"}
    # Running seed_demo again adds none: test_seed_demo.py's test_running_it_again_changes_nothing.
