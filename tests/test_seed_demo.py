"""The demonstration data a newcomer signs in to."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
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
    Clause,
    DpoDecision,
    Hearing,
    Letter,
    LetterKind,
    Policy,
    ReferralDecision,
    Role,
    RoleAssignment,
    School,
    SchoolSource,
    Settlement,
    SignOff,
    StaffMember,
    Status,
    Trust,
    TrustSettings,
    User,
)
from casework.services import referrals
from casework.services.subject_access import subject_access_due
from casework.trusts import configuration
from casework.workdays import Calendar
from tests.trusts import ST_CLARE, demo_trust_id

pytestmark = pytest.mark.django_db


def test_three_schools_and_about_thirty_staff_including_volunteers(second_trust):
    st_clare = demo_trust_id()
    assert School.objects.filter(trust_id=st_clare).count() == 3
    assert 28 <= StaffMember.objects.filter(trust_id=st_clare).count() <= 36
    assert StaffMember.objects.filter(trust_id=st_clare, kind=StaffMember.Kind.VOLUNTEER).exists()


def test_every_school_role_is_held_at_every_school_by_someone_who_can_sign_in(second_trust):
    assert School.objects.count() == 5  # both trusts' schools
    for school in School.objects.all():
        for role in (
            Role.HEADTEACHER,
            Role.SAFEGUARDING_LEAD,
            Role.INVESTIGATING_OFFICER,
            Role.CHAIR_OF_GOVERNORS,
        ):
            holders = RoleAssignment.objects.filter(
                role=role, school=school, person__user__isnull=False, person__trust=school.trust
            )
            assert holders.exists(), (school, role)
    for trust in Trust.objects.all():  # each trust's own, trust-wide
        for role in (
            Role.HR_CASE_MANAGER,
            Role.TRUST_EXECUTIVE,
            Role.DATA_PROTECTION_OFFICER,
            Role.TRUST_ADMINISTRATOR,
        ):
            holders = RoleAssignment.objects.filter(
                role=role, school=None, person__trust=trust, person__user__isnull=False
            )
            assert holders.exists(), (trust, role)


def test_every_demo_sign_in_uses_the_documented_password(settings, second_trust):
    assert User.objects.filter(email__endswith="@walsingham.example").exists()
    for user in User.objects.all():
        assert user.check_password(settings.CASEWORK_DEMO_PASSWORD), user.email


def _everything_seeded() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Trust,
            TrustSettings,
            School,
            User,
            StaffMember,
            RoleAssignment,
            Policy,
            Clause,
            Case,
            Letter,
            AuditEvent,
        )
    }


def test_running_it_again_changes_nothing():
    call_command("seed_demo", force=True, verbosity=0)
    before = _everything_seeded()
    addresses = dict(Trust.objects.values_list("name", "address"))
    settings_saved = list(TrustSettings.objects.values())
    call_command("seed_demo", force=True, verbosity=0)
    assert _everything_seeded() == before
    assert before["Trust"] == 2 and before["Policy"] >= 2
    assert dict(Trust.objects.values_list("name", "address")) == addresses
    assert list(TrustSettings.objects.values()) == settings_saved


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


# --- The second trust: its own policy, people, settings and cases ------------------------

WALSINGHAM_CLAUSES = [
    (
        "GEN-1",
        "All staff and volunteers are expected to uphold the Catholic ethos of the trust "
        "online as they do in school, remembering that parents, pupils and the wider parish "
        "may see what they post.",
    ),
    (
        "GEN-2",
        "Staff should keep their personal and professional lives apart online. Anyone unsure "
        "whether a post is appropriate should ask their headteacher before posting it.",
    ),
    (
        "GEN-3",
        "Remember that anything posted online can be copied and shared far beyond the people "
        "it was meant for, and may be seen long after it was written.",
    ),
    ("DO-1", "Use only accounts approved by the headteacher when posting on behalf of a school."),
    (
        "DO-2",
        "Keep the privacy settings of their personal accounts at the highest level available.",
    ),
    (
        "DO-3",
        "Tell the designated safeguarding lead at once of any contact from a pupil through a "
        "personal account, and keep a record of what was said.",
    ),
    (
        "DO-4",
        "Have a parent's written consent before an image of their child is posted on a school "
        "account.",
    ),
    ("DO-5", "Treat colleagues, parents and pupils with courtesy in every online space."),
    (
        "DONT-1",
        "Accept friend or follow requests from current pupils, or from former pupils within "
        "three years of their leaving school.",
    ),
    ("DONT-2", "Post photographs of pupils on personal accounts."),
    ("DONT-3", "Share confidential information about pupils, families or colleagues."),
    (
        "DONT-4",
        "Comment on the business of the trust or of a school in a way that could bring either "
        "into disrepute.",
    ),
    ("DONT-5", "Use a school's name, badge or uniform in a personal profile."),
]


def test_the_second_trust_has_the_policy_imported_from_its_own_document(second_trust):
    policy = Policy.objects.get(trust=second_trust, is_current=True)
    assert policy.version == "2025.1"
    assert policy.title == "Staff and Volunteer Social Media Policy"
    assert policy.adopted_by == "the Walsingham Trust Board"
    assert policy.adopted_on == datetime.date(2025, 10, 14)
    assert policy.next_review_due == datetime.date(2027, 10, 31)
    assert policy.figures == {"FORMER_PUPIL_CONTACT_YEARS": 3}
    assert policy.consequence.startswith("Any breach of this policy")
    assert [(c.code, c.text) for c in policy.clauses.order_by("order")] == WALSINGHAM_CLAUSES
    assert set(policy.clauses.filter(safeguarding=True).values_list("code", flat=True)) >= {
        "DO-3",
        "DONT-1",
    }
    # Brought in by the import service, from the text file, as import_policy brings one in.
    adopted = AuditEvent.objects.get(action="policy.version_adopted", object_id=str(policy.pk))
    assert adopted.details["source"]["name"] == "walsingham-social-media-policy.txt"
    assert adopted.details["clauses"] == [code for code, _ in WALSINGHAM_CLAUSES]
    assert adopted.trust == second_trust  # on its own trust's trail, not St Clare's


def test_the_fixture_imports_through_the_command_to_the_same_clauses(second_trust, capsys):
    path = Path(settings.BASE_DIR) / "fixtures" / "walsingham-social-media-policy.txt"
    call_command(
        "import_policy",
        str(path),
        trust=second_trust.name,
        version="2026.1",
        dry_run=True,
        json=True,
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Staff and Volunteer Social Media Policy"
    assert [(c["code"], c["text"]) for c in printed["clauses"]] == WALSINGHAM_CLAUSES
    assert Policy.objects.filter(trust=second_trust).count() == 1  # a dry run stores nothing


def test_st_clares_policy_is_untouched_by_the_second_trusts(second_trust):
    st_clare = Policy.objects.get(trust__name=ST_CLARE, is_current=True)
    assert st_clare.clauses.count() == 21
    assert st_clare.clauses.get(code="DONT-4").text.startswith("Accept friend requests")
    assert Policy.objects.filter(is_current=True).count() == 2  # one current version each


def test_the_second_trust_has_its_schools_and_people_at_its_own_address(second_trust):
    schools = set(School.objects.filter(trust=second_trust).values_list("name", flat=True))
    assert schools == {
        "St Anselm's Catholic Primary School",
        "Cardinal Newman Catholic High School",
    }
    people = StaffMember.objects.filter(trust=second_trust)
    assert 12 <= people.count() <= 20
    for person in people.select_related("user", "school"):
        assert person.email.endswith("@walsingham.example"), person
        assert person.user.email == person.email
        assert person.school is None or person.school.trust == second_trust
    assert people.filter(kind=StaffMember.Kind.VOLUNTEER).exists()
    assert people.filter(roles__isnull=True, kind=StaffMember.Kind.EMPLOYEE).count() >= 3
    held = {
        (a.person.full_name, a.role)
        for a in RoleAssignment.objects.filter(person__trust=second_trust).select_related("person")
    }
    assert {
        ("Ngozi Eze", Role.HR_CASE_MANAGER),
        ("Gerard Flynn", Role.TRUST_EXECUTIVE),
        ("Alan Pritchard", Role.DATA_PROTECTION_OFFICER),
        ("Bernadette Kerr", Role.TRUST_ADMINISTRATOR),
        ("Philippa Moore", Role.HEADTEACHER),
        ("Kwame Asante", Role.SAFEGUARDING_LEAD),
        ("Huw Roberts", Role.INVESTIGATING_OFFICER),
        ("Imelda Rossi", Role.CHAIR_OF_GOVERNORS),
    } <= held
    assert second_trust.address == "Walsingham House, 4 Priory Road, Fenmouth FN2 7QX"
    # St Clare's people stay St Clare's, and it gains a trust administrator of its own.
    assert not StaffMember.objects.filter(trust_id=demo_trust_id()).exclude(
        email__endswith="@stclare.example"
    )
    assert RoleAssignment.objects.filter(
        role=Role.TRUST_ADMINISTRATOR, person__trust_id=demo_trust_id(), person__user__isnull=False
    ).exists()


def test_the_second_trust_keeps_its_own_letterhead_and_appeal_window(second_trust, settings):
    saved = TrustSettings.objects.get(trust=second_trust)
    assert saved.procedure == {"APPEAL_WORKING_DAYS": 15}
    letterhead = configuration.letterhead_values(second_trust)
    assert letterhead.name == "Our Lady of Walsingham Catholic Academy Trust"
    assert letterhead.address == "Walsingham House, 4 Priory Road, Fenmouth FN2 7QX"
    assert letterhead.telephone == "01632 961200"
    assert letterhead.email == "hr@walsingham.example"
    ours = configuration.procedure_settings(second_trust)
    assert ours["APPEAL_WORKING_DAYS"] == 15
    assert {k: v for k, v in ours.items() if k != "APPEAL_WORKING_DAYS"} == {
        k: v for k, v in settings.CASEWORK_PROCEDURE.items() if k != "APPEAL_WORKING_DAYS"
    }
    # St Clare's saved nothing: it works to the environment's figures and letterhead.
    assert not TrustSettings.objects.filter(trust_id=demo_trust_id()).exists()
    assert configuration.procedure_settings(demo_trust_id()) == settings.CASEWORK_PROCEDURE
    assert (
        configuration.letterhead_values(demo_trust_id()).name
        == (settings.CASEWORK_LETTERHEAD["TRUST_NAME"])
    )


def test_the_second_trusts_cases_are_its_own_at_several_stages():
    call_command("seed_demo", force=True, verbosity=0)
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
