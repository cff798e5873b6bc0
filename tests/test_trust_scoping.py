"""Several trusts on one installation: the rules, deadlines, people and records below the
pages keep each trust's cases to its own people, and its own figures to its own cases."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from casework import audit, deadlines, permissions, responsibility, selectors
from casework.demo_cases import case_at, raise_concern
from casework.errors import RuleBroken
from casework.mail import failed_messages
from casework.models import (
    AuditEvent,
    ClosureDay,
    MailStatus,
    OutgoingMail,
    Status,
    TrustSettings,
)
from casework.records import retention
from casework.reminders.due import reminders_due
from casework.services import outcomes
from casework.workdays import Calendar, procedure
from tests.conftest import staff, user
from tests.test_audit_trail import raw_sql
from tests.trusts import build_second_trust, demo_trust_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def second():
    return build_second_trust()


def test_a_concern_belongs_to_its_subject_s_trust(second):
    theirs = second.raise_concern()
    ours = raise_concern()
    assert theirs.trust_id == second.trust.pk and ours.trust_id == demo_trust_id()


def test_nobody_has_a_part_in_another_trust_s_case_whatever_their_roles(second):
    theirs = second.raise_concern()
    ours = raise_concern()
    for first, last in (("Hannah", "Reid"), ("Marcus", "Obi"), ("Michael", "Okafor")):
        assert not permissions.can_view_case(user(first, last), theirs)
        assert not permissions.may_manage_case(theirs, user(first, last))
        assert theirs not in selectors.cases_visible_to(user(first, last))
    for person in (second.hr, second.headteacher, second.executive, second.dpo):
        assert not permissions.can_view_case(person.user, ours)
        assert ours not in selectors.cases_visible_to(person.user)
    assert permissions.may_manage_case(theirs, second.hr.user)
    assert list(selectors.cases_visible_to(second.hr.user)) == [theirs]


def test_the_people_chosen_for_a_case_are_of_its_trust(second):
    theirs = second.raise_concern(clause="DONT-4")  # a safeguarding clause: the DSL decides
    assert theirs.status == Status.SAFEGUARDING_REVIEW
    assert theirs.safeguarding_lead == second.dsl
    assert responsibility.choose_signing_authority(theirs) == second.headteacher
    assert responsibility.choose_data_protection_officer(theirs) == second.dpo
    chairs = responsibility.chair_candidates(theirs, appeal=True)
    assert chairs and {p.trust_id for p in chairs} == {second.trust.pk}
    with pytest.raises(RuleBroken, match="works for another trust"):
        responsibility.ensure_may_investigate(theirs, staff("Olivia", "Grant"))
    with pytest.raises(RuleBroken, match="cannot chair"):
        responsibility.ensure_may_chair(theirs, staff("Michael", "Okafor"))


def test_hr_of_one_trust_is_never_told_of_another_trust_s_case(second):
    from casework import notifications

    theirs = second.raise_concern()
    ours = raise_concern()
    assert notifications.hr_recipients(theirs) == [second.hr.user.email]
    assert second.hr.user.email not in notifications.hr_recipients(ours)


def test_a_trust_s_own_figures_set_its_cases_deadlines_and_no_one_else_s(second):
    theirs = second.raise_concern()
    ours = raise_concern()
    TrustSettings.objects.create(
        trust=second.trust,
        letterhead_name="Second",
        procedure={"APPEAL_WORKING_DAYS": 15, "TRIAGE_WORKING_DAYS": 4},
    )
    assert procedure("APPEAL_WORKING_DAYS", trust=second.trust.pk) == 15
    assert procedure("APPEAL_WORKING_DAYS", trust=demo_trust_id()) == 10
    day = datetime.date(2027, 3, 1)
    assert outcomes.appeal_deadline(theirs, day) == Calendar.of_case(theirs).add_working_days(
        day, 15
    )
    assert outcomes.appeal_deadline(ours, day) == Calendar.of_case(ours).add_working_days(day, 10)
    raised = timezone.localtime(theirs.raised_at).date()
    assert deadlines.action_due_on(theirs) == Calendar.of_case(theirs).add_working_days(raised, 4)
    raised = timezone.localtime(ours.raised_at).date()
    assert deadlines.action_due_on(ours) == Calendar.of_case(ours).add_working_days(raised, 2)


def test_a_trust_s_closure_day_moves_only_its_own_deadlines(second):
    theirs = second.raise_concern()
    ours = raise_concern()
    day = datetime.date(2027, 3, 1)  # a Monday
    ClosureDay.objects.create(
        trust=second.trust, date=datetime.date(2027, 3, 2), description="Training day"
    )
    assert outcomes.appeal_deadline(theirs, day) == outcomes.appeal_deadline(
        ours, day
    ) + datetime.timedelta(days=1)


def test_a_trust_s_retention_periods_are_its_own(second, time_machine):
    theirs = second.raise_concern()
    ours = raise_concern()
    TrustSettings.objects.create(
        trust=second.trust, letterhead_name="Second", retention={"OTHER_CASES_KEPT_YEARS": 2}
    )
    assert retention.period("OTHER_CASES_KEPT_YEARS", trust=theirs.trust_id) == 2
    assert retention.period("OTHER_CASES_KEPT_YEARS", trust=ours.trust_id) == 6


def test_hr_s_reminders_and_escalation_follow_each_trust_s_settings(second, time_machine):
    theirs = second.raise_concern()
    ours = raise_concern()
    TrustSettings.objects.create(
        trust=second.trust,
        letterhead_name="Second",
        reminder_escalation_working_days=1,
        hr_lead_email=second.executive.email,
    )
    due = max(theirs.action_due_on, ours.action_due_on)
    late = Calendar.of_case(ours).add_working_days(due, 1)
    time_machine.move_to(
        timezone.make_aware(datetime.datetime.combine(late, datetime.time(7))), tick=False
    )
    found = list(reminders_due(now=timezone.now()))
    escalated = {r.to for r in found if r.threshold == "escalated"}
    # One working day late: the second trust's lead is told; St Clare's waits three days.
    assert escalated == {(second.executive.email,)}
    st_clare = {address for r in found for address in r.to if "stclare" in address}
    second_trust = {address for r in found for address in r.to if "second-trust" in address}
    assert st_clare and second_trust
    for reminder in found:
        domains = {address.split("@")[1] for address in reminder.to}
        assert len(domains) == 1, reminder  # nobody is told of another trust's work


def test_every_audit_event_names_its_trust_and_the_trust_is_keyed(second):
    theirs = second.raise_concern()
    events = AuditEvent.objects.filter(case=theirs)
    assert events.exists() and set(events.values_list("trust_id", flat=True)) == {second.trust.pk}
    general = audit.record(action="test.general", summary="Nothing", actor=second.hr.user)
    assert general.trust_id == second.trust.pk
    raw_sql(
        "UPDATE casework_auditevent SET trust_id = %s WHERE id = %s", [demo_trust_id(), general.pk]
    )
    with pytest.raises(CommandError, match=f"audit event {general.pk} was changed"):
        call_command("verify_audit", stdout=io.StringIO())


def test_each_trust_s_hr_reads_only_its_own_audit_trail(second):
    theirs = second.raise_concern()
    ours = raise_concern()
    theirs_log = list(selectors.audit_log(second.hr.user))
    ours_log = list(selectors.audit_log(user("Hannah", "Reid")))
    assert theirs_log and ours_log
    assert {e.case_id for e in theirs_log if e.case_id} == {theirs.pk}
    assert theirs.pk not in {e.case_id for e in ours_log}
    assert ours.pk in {e.case_id for e in ours_log}


def test_events_from_before_trusts_were_told_apart_stay_with_the_first_trust(second):
    # An event of no trust, as every event was before: the superuser's, say.
    legacy = audit.record(action="test.legacy", summary="Before", actor=None)
    assert legacy.trust_id is None
    assert legacy in selectors.audit_log(user("Hannah", "Reid"))
    assert legacy not in selectors.audit_log(second.hr.user)


def test_failed_mail_is_shown_to_its_own_trust_s_hr_only(second, sign_in):
    theirs = second.raise_concern()
    ours = raise_concern()
    with TestCase.captureOnCommitCallbacks(execute=False):
        for case in (theirs, ours):
            from casework.mail import send_after_commit

            send_after_commit(to=[case.reporter.email], subject="Casework", body="…", case=case)
    OutgoingMail.objects.update(status=MailStatus.FAILED)
    assert {m.case_id for m in failed_messages(second.hr.user)} == {theirs.pk}
    assert {m.case_id for m in failed_messages(user("Hannah", "Reid"))} == {ours.pk}
    # Mail about no case belongs to its recipients' trust.
    with TestCase.captureOnCommitCallbacks(execute=False):
        from casework.mail import send_after_commit

        notice = send_after_commit(to=[second.hr.email], subject="Casework", body="…")
    assert notice.trust_id == second.trust.pk
    theirs_mail = OutgoingMail.objects.filter(case=theirs).first()
    client = sign_in("Hannah", "Reid")
    assert client.post(reverse("casework:resend_mail", args=[theirs_mail.pk])).status_code == 403
    theirs_mail.refresh_from_db()
    assert theirs_mail.status == MailStatus.FAILED


def test_a_subject_access_request_is_handled_by_the_person_s_own_trust(second):
    from casework.errors import NotAllowed
    from casework.services import subject_access

    with pytest.raises(RuleBroken, match="your trust"):
        subject_access.log_subject_access_request(
            person=second.subject,
            received_on=timezone.localdate(),
            received_via="email",
            by=user("Hannah", "Reid"),
        )
    request = subject_access.log_subject_access_request(
        person=second.subject,
        received_on=timezone.localdate(),
        received_via="email",
        by=second.hr.user,
    )
    assert request not in selectors.subject_access_requests(user("Hannah", "Reid"))
    assert request in selectors.subject_access_requests(second.hr.user)
    with pytest.raises(NotAllowed, match="another trust"):
        subject_access.extend_subject_access_deadline(
            request=request, by=user("Hannah", "Reid"), reason="Complex."
        )


def test_the_dashboard_counts_only_the_reader_s_trust(second, sign_in):
    second.raise_concern()
    second.raise_concern(about=second.investigator)
    ours = case_at(Status.TRIAGE)
    from casework.dashboards import figures

    period = figures.Period.default()
    theirs_tables = {
        t.slug: t for t in figures.dashboard(trust=second.trust.pk, schools=None, period=period)
    }
    ours_tables = {
        t.slug: t for t in figures.dashboard(trust=ours.trust_id, schools=None, period=period)
    }
    assert theirs_tables["stages"].total == 2
    assert (
        ours_tables["stages"].total
        == selectors.cases_visible_to(user("Hannah", "Reid"))
        .filter(raised_at__gte=period.moments()[0], raised_at__lt=period.moments()[1])
        .count()
    )
