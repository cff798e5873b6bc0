"""Conflicts of interest: who may investigate, chair, hear an appeal, sign off and review.

The investigating officer, the hearing chair and the appeal chair are three different
people, none of them the subject, the reporter or a witness; a headteacher or DSL who is
too close hands their part on; a concern about HR never waits where its subject would see it.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework import notifications, responsibility, selectors
from casework.demo_cases import (
    SAFEGUARDING,
    arrangement,
    case_at,
    clause,
    decide,
    frame_allegation,
    hr,
    person,
    raise_concern,
    refer_to_hearing,
    walk,
)
from casework.demo_cases import appoint as demo_appoint
from casework.demo_cases import report as demo_report
from casework.errors import NotAllowed, RuleBroken
from casework.forms import ArrangementForm
from casework.intake import concerns
from casework.models import AuditEvent, Case, Role, RoleAssignment, StaffMember, Status
from casework.services import (
    allegations,
    appeals,
    hearings,
    investigation,
    outcomes,
    safeguarding,
    signoff,
    suspensions,
    triage,
)
from workflows import engine
from workflows.flows import CaseFlow

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def told_of(node: str) -> list:
    """The e-mails whose link leads to a task of ``node`` (the e-mail itself never says)."""
    found = []
    for message in mail.outbox:
        link = next(line for line in message.body.splitlines() if "/waiting/" in line)
        kind, pk = notifications.waiting_item(link.rstrip("/").rsplit("/", 1)[-1])
        if kind == "task" and CaseFlow.task_class.objects.get(pk=pk).flow_task.name == node:
            found.append(message)
    return found


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def footprint(case: Case) -> tuple:
    case = fresh(case)
    return (
        case.status,
        case.investigating_officer_id,
        case.hearing_chair_id,
        case.appeal_chair_id,
        case.hearings.count(),
        AuditEvent.objects.filter(case_id=case.pk).count(),
        [(t.flow_task.name, t.owner_id) for t in engine.open_tasks(case)],
    )


def refused(case: Case, match: str, action) -> None:
    before = footprint(case)
    with pytest.raises(RuleBroken, match=match):
        action()
    assert footprint(case) == before


def appoint(case: Case, officer: tuple[str, str]):
    return lambda: investigation.appoint_investigating_officer(
        case=case, by=hr(), officer=person(*officer), terms_of_reference="Establish the facts."
    )


def schedule(case: Case, chair: tuple[str, str]):
    return lambda: hearings.schedule_hearing(
        case=case, by=hr(), arrangement=arrangement(case, chair)
    )


def schedule_appeal(case: Case, chair: tuple[str, str]):
    return lambda: appeals.schedule_appeal_hearing(
        case=case, by=hr(), arrangement=arrangement(case, chair)
    )


def statement_from(case: Case, witness: tuple[str, str]):
    return investigation.record_statement(
        case=case,
        by=case.investigating_officer.user,
        taken_on=TODAY(),
        statement="I saw the post and reported it to my line manager.",
        witness=person(*witness),
    )


def task_owner(case: Case, name: str):
    (task,) = engine.open_tasks(case)
    assert task.flow_task.name == name
    return task.owner


# --- The investigating officer ------------------------------------------------------------


def test_the_subject_cannot_investigate_their_own_case():
    case = case_at(Status.APPOINTING_INVESTIGATOR, subject=("Emma", "Wright"))
    refused(case, "Emma Wright is the subject of this case", appoint(case, ("Emma", "Wright")))


def test_the_reporter_cannot_investigate():
    case = case_at(Status.APPOINTING_INVESTIGATOR, reporter=("Emma", "Wright"))
    refused(case, "Emma Wright raised this concern", appoint(case, ("Emma", "Wright")))


def test_a_witness_cannot_take_over_the_investigation():
    case = case_at(Status.INVESTIGATION)  # Emma Wright investigating
    statement_from(case, ("Rachel", "Green"))
    refused(
        case,
        "Rachel Green is a witness in this case",
        lambda: investigation.replace_investigating_officer(
            case=case, by=hr(), officer=person("Rachel", "Green"), reason="Emma is ill."
        ),
    )


def test_only_someone_holding_the_investigating_officer_role_investigates():
    case = case_at(Status.APPOINTING_INVESTIGATOR)
    refused(
        case,
        "does not hold the investigating officer role",
        appoint(case, ("Ben", "Taylor")),
    )


def test_the_investigating_officer_cannot_also_be_a_witness():
    case = case_at(Status.INVESTIGATION)
    refused(
        case,
        "Emma Wright is already the investigating officer",
        lambda: statement_from(case, ("Emma", "Wright")),
    )


def test_the_appointment_form_offers_nobody_too_close(sign_in):
    case = case_at(Status.APPOINTING_INVESTIGATOR, reporter=("Rachel", "Green"))
    client = sign_in("Hannah", "Reid")
    (task,) = engine.open_tasks(case)
    execute = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    officers = client.get(execute).context["form"].fields["officer"].queryset
    assert person("Emma", "Wright") in officers
    assert person("Rachel", "Green") not in officers  # the reporter
    response = client.post(
        execute, {"officer": person("Rachel", "Green").pk, "terms_of_reference": "Facts."}
    )
    assert response.status_code == 200 and response.context["form"].errors["officer"]
    assert fresh(case).status == Status.APPOINTING_INVESTIGATOR


# --- The hearing chair and the appeal chair ------------------------------------------------


def test_the_investigating_officer_cannot_chair_the_hearing():
    case = case_at(Status.APPOINTING_INVESTIGATOR)
    appoint(case, ("Peter", "Quinn"))()  # a trust executive who also investigates
    case = fresh(case)
    investigation.submit_investigation_report(
        case=case,
        by=person("Peter", "Quinn").user,
        summary="Made out.",
        recommendation="hearing",
        findings={a.pk: ("upheld", "Admitted.") for a in case.allegations.all()},
    )
    investigation.decide_on_report(case=case, by=hr(), decision="hearing", reasons="Serious.")
    refused(
        case,
        "Peter Quinn is already the investigating officer in this case; the investigating "
        "officer, hearing chair and appeal chair must be three different people",
        schedule(case, ("Peter", "Quinn")),
    )
    schedule(case, ("Catherine", "Walsh"))()
    assert fresh(case).hearing_chair == person("Catherine", "Walsh")


def test_the_subject_or_reporter_cannot_chair_the_hearing():
    about_head = case_at(Status.HEARING_TO_ARRANGE, subject=("Michael", "Okafor"))
    refused(
        about_head, "Michael Okafor is the subject", schedule(about_head, ("Michael", "Okafor"))
    )
    by_head = case_at(Status.HEARING_TO_ARRANGE, reporter=("Michael", "Okafor"))
    refused(by_head, "Michael Okafor raised this concern", schedule(by_head, ("Michael", "Okafor")))


def test_a_witness_cannot_chair_the_hearing_or_the_appeal():
    case = case_at(Status.INVESTIGATION)
    statement_from(case, ("Helen", "Carter"))  # another school's head saw the post
    case = fresh(case)
    investigation.submit_investigation_report(
        case=case,
        by=case.investigating_officer.user,
        summary="Made out.",
        recommendation="hearing",
        findings={a.pk: ("upheld", "Admitted.") for a in case.allegations.all()},
    )
    investigation.decide_on_report(case=case, by=hr(), decision="hearing", reasons="Serious.")
    refused(case, "Helen Carter is a witness in this case", schedule(case, ("Helen", "Carter")))


def test_only_a_headteacher_or_trust_executive_chairs():
    case = case_at(Status.HEARING_TO_ARRANGE)
    refused(case, "a hearing is chaired by a headteacher", schedule(case, ("Rachel", "Green")))


def test_the_hearing_chair_cannot_be_moved_to_the_investigating_officer():
    case = case_at(Status.HEARING_SCHEDULED)  # Emma Wright investigated, Catherine Walsh chairs
    plan = arrangement(case, ("Emma", "Wright"))
    refused(
        case,
        "cannot chair a hearing",
        lambda: hearings.reschedule_hearing(
            case=case, by=hr(), arrangement=plan, reason="x", postponed_for_companion=False
        ),
    )


@pytest.mark.parametrize(
    ("chair", "message"),
    [
        (("Catherine", "Walsh"), "Catherine Walsh is already the hearing chair"),
        (("Michael", "Okafor"), "Michael Okafor is already the person who signed off the outcome"),
        (("Daniel", "Shaw"), "cannot chair an appeal"),
    ],
)
def test_the_appeal_chair_was_not_previously_involved(chair, message):
    case = case_at(Status.APPEAL_LODGED)
    refused(case, message, schedule_appeal(case, chair))


def test_the_investigating_officer_cannot_chair_the_appeal(hold_hearing):
    case = case_at(Status.APPOINTING_INVESTIGATOR)
    appoint(case, ("Peter", "Quinn"))()
    case = fresh(case)
    investigation.submit_investigation_report(
        case=case,
        by=person("Peter", "Quinn").user,
        summary="Made out.",
        recommendation="hearing",
        findings={a.pk: ("upheld", "Admitted.") for a in case.allegations.all()},
    )
    investigation.decide_on_report(case=case, by=hr(), decision="hearing", reasons="Serious.")
    schedule(case, ("Catherine", "Walsh"))()
    hold_hearing(case)
    case = decide(fresh(case))
    signoff.sign_off_outcome(case=case, by=case.signing_authority.user, approve=True)
    outcomes.issue_outcome(case=case, by=hr())
    appeals.lodge_appeal(case=case, by=hr(), lodged_on=TODAY(), grounds="Too harsh.")
    refused(
        case,
        "Peter Quinn is already the investigating officer",
        schedule_appeal(case, ("Peter", "Quinn")),
    )
    schedule_appeal(case, ("Anne-Marie", "Byrne"))()
    case = fresh(case)
    people = {case.investigating_officer_id, case.hearing_chair_id, case.appeal_chair_id}
    assert len(people) == 3
    assert not people & {case.subject_id, case.reporter_id}


# --- The headteacher's sign-off -------------------------------------------------------------


def test_a_headteacher_who_is_the_subject_hands_sign_off_to_the_chair_of_governors(sign_in):
    case = case_at(
        Status.HEARING_SCHEDULED,
        hearing_held=True,
        subject=("Helen", "Carter"),
        reporter=("Aisha", "Khan"),
    )
    case = decide(case)
    from tests.test_lifecycle_http import do_task

    # KCSIE Part 4: the chair of governors takes the headteacher's part.
    assert case.signing_authority == person("Margaret", "Ellis")
    assert task_owner(case, "sign_off") == person("Margaret", "Ellis").user
    with pytest.raises(NotAllowed):  # the trust executive does not step in over them
        signoff.sign_off_outcome(case=case, by=person("Peter", "Quinn").user, approve=True)
    governor = sign_in("Margaret", "Ellis")
    assert governor.get(reverse("casework:case", args=[case.reference])).status_code == 200
    case = do_task(governor, case, "sign_off", {"approve": "yes"})
    assert case.status == Status.SIGNED_OFF
    assert case.sign_offs.get().role_title == "Chair of governors"
    assert (
        sign_in("Helen", "Carter").get(reverse("casework:case", args=[case.reference])).status_code
        == 404
    )


def test_when_the_chair_of_governors_is_too_close_too_the_trust_executive_signs_off():
    case = case_at(
        Status.HEARING_SCHEDULED,
        hearing_held=True,
        subject=("Helen", "Carter"),
        reporter=("Margaret", "Ellis"),
    )
    case = decide(case)
    # Catherine Walsh chaired, so the other trust executive signs off.
    assert case.signing_authority == person("Peter", "Quinn")
    case = signoff.sign_off_outcome(case=case, by=person("Peter", "Quinn").user, approve=True)
    assert case.sign_offs.get().role_title == "Trust executive"


def test_a_headteacher_who_is_a_witness_hands_sign_off_to_the_chair_of_governors(hold_hearing):
    case = case_at(Status.INVESTIGATION)
    statement_from(case, ("Michael", "Okafor"))
    case = fresh(case)
    investigation.submit_investigation_report(
        case=case,
        by=case.investigating_officer.user,
        summary="Made out.",
        recommendation="hearing",
        findings={a.pk: ("upheld", "Admitted.") for a in case.allegations.all()},
    )
    investigation.decide_on_report(case=case, by=hr(), decision="hearing", reasons="Serious.")
    schedule(case, ("Catherine", "Walsh"))()
    hold_hearing(case)
    case = decide(fresh(case))
    assert case.signing_authority == person("Robert", "Kavanagh")
    assert task_owner(case, "sign_off") == person("Robert", "Kavanagh").user
    with pytest.raises(NotAllowed):
        signoff.sign_off_outcome(case=case, by=person("Michael", "Okafor").user, approve=True)
    assert fresh(case).status == Status.AWAITING_SIGN_OFF


def test_a_headteacher_who_chaired_the_hearing_does_not_sign_off_their_own_decision(hold_hearing):
    case = case_at(Status.HEARING_TO_ARRANGE)
    schedule(case, ("Michael", "Okafor"))()
    hold_hearing(case)
    case = decide(fresh(case))
    assert case.signing_authority == person("Robert", "Kavanagh")
    assert task_owner(case, "sign_off") == person("Robert", "Kavanagh").user


def test_a_chair_who_would_leave_nobody_to_sign_off_is_refused(hold_hearing):
    # The headteacher is the subject, the chair of governors raised the concern and Peter
    # Quinn investigated: Catherine Walsh must sign off, so someone else must chair.
    case = case_at(
        Status.APPOINTING_INVESTIGATOR,
        subject=("Michael", "Okafor"),
        reporter=("Robert", "Kavanagh"),
    )
    appoint(case, ("Peter", "Quinn"))()
    case = fresh(case)
    investigation.submit_investigation_report(
        case=case,
        by=person("Peter", "Quinn").user,
        summary="Made out.",
        recommendation="hearing",
        findings={a.pk: ("upheld", "Admitted.") for a in case.allegations.all()},
    )
    investigation.decide_on_report(case=case, by=hr(), decision="hearing", reasons="Serious.")
    # Were Catherine Walsh to chair, nobody would be left to sign off: refused now, not
    # after the hearing.
    refused(
        case,
        "If Catherine Walsh chairs, nobody free of a conflict is left to sign off",
        schedule(case, ("Catherine", "Walsh")),
    )
    schedule(case, ("Anne-Marie", "Byrne"))()
    hold_hearing(case)
    case = decide(fresh(case))
    assert case.signing_authority == person("Catherine", "Walsh")


def test_the_usual_headteacher_signs_off_when_free_of_conflict():
    case = decide(case_at(Status.HEARING_SCHEDULED, hearing_held=True))
    assert case.signing_authority == person("Michael", "Okafor")
    assert task_owner(case, "sign_off") == person("Michael", "Okafor").user


# --- The safeguarding lead ------------------------------------------------------------------


def _safeguarding_concern(*, subject, reporter) -> Case:
    return raise_concern(subject=subject, reporter=reporter, **SAFEGUARDING)


def test_a_dsl_who_is_the_subject_hands_the_review_to_the_deputy(sign_in):
    case = _safeguarding_concern(subject=("David", "Nwosu"), reporter=("Aisha", "Khan"))
    assert case.safeguarding_lead == person("Sarah", "Lin")
    assert task_owner(case, "safeguarding_review") == person("Sarah", "Lin").user
    assert (
        sign_in("David", "Nwosu").get(reverse("casework:case", args=[case.reference])).status_code
        == 404
    )
    assert case not in selectors.cases_visible_to(person("David", "Nwosu").user)


def test_when_the_dsl_and_deputy_are_both_too_close_the_headteacher_reviews():
    case = _safeguarding_concern(subject=("David", "Nwosu"), reporter=("Sarah", "Lin"))
    assert case.safeguarding_lead == person("Helen", "Carter")
    assert task_owner(case, "safeguarding_review") == person("Helen", "Carter").user


def test_a_concern_about_the_headteacher_goes_to_the_dsl_and_never_to_the_head():
    case = _safeguarding_concern(subject=("Helen", "Carter"), reporter=("Aisha", "Khan"))
    assert case.safeguarding_lead == person("David", "Nwosu")
    assert case not in selectors.cases_visible_to(person("Helen", "Carter").user)


def test_when_the_dsls_and_the_headteacher_are_too_close_the_chair_of_governors_reviews():
    RoleAssignment.objects.filter(
        role=Role.SAFEGUARDING_LEAD, school__name__startswith="St Bernadette"
    ).exclude(person=person("David", "Nwosu")).delete()
    case = _safeguarding_concern(subject=("David", "Nwosu"), reporter=("Helen", "Carter"))
    assert case.safeguarding_lead == person("Margaret", "Ellis")
    assert task_owner(case, "safeguarding_review") == person("Margaret", "Ellis").user


def test_a_concern_about_the_headteacher_and_the_dsls_goes_to_the_chair_of_governors():
    RoleAssignment.objects.filter(
        role=Role.SAFEGUARDING_LEAD, school__name__startswith="St Bernadette"
    ).exclude(person=person("David", "Nwosu")).delete()
    case = _safeguarding_concern(subject=("Helen", "Carter"), reporter=("David", "Nwosu"))
    assert case.safeguarding_lead == person("Margaret", "Ellis")
    assert case not in selectors.cases_visible_to(person("Helen", "Carter").user)


def test_when_everyone_at_the_school_is_too_close_the_trust_executive_reviews():
    RoleAssignment.objects.filter(
        role__in=[Role.SAFEGUARDING_LEAD, Role.CHAIR_OF_GOVERNORS],
        school__name__startswith="St Bernadette",
    ).exclude(person=person("David", "Nwosu")).delete()
    case = _safeguarding_concern(subject=("David", "Nwosu"), reporter=("Helen", "Carter"))
    assert case.safeguarding_lead == person("Peter", "Quinn")


# --- A concern about HR ---------------------------------------------------------------------


def _about_marcus(reporter=("Aisha", "Khan")) -> Case:
    reporter = person(*reporter)
    return concerns.report_concern(
        concern=concerns.Concern(
            subject=person("Marcus", "Obi"),  # the trust central team: the case is the trust's
            seen_on=TODAY() - datetime.timedelta(days=1),
            platform="linkedin",
            account_kind="personal",
            what_was_seen="A post about a named teacher's grievance.",
            suspected_clauses=[clause("DONT-3")],
        ),
        reporter=reporter,
        by=reporter.user,
    )


def test_a_concern_about_an_hr_manager_never_sits_in_the_shared_queue(
    sign_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _about_marcus()
    # It goes straight to the colleague, who alone is told.
    assert task_owner(case, "acknowledge") == person("Hannah", "Reid").user
    told = told_of("acknowledge")
    assert [m.to for m in told] == [["hannah.reid@stclare.example"]]

    marcus = sign_in("Marcus", "Obi")
    assert case.reference not in marcus.get(reverse("workflow:queue")).content.decode()
    assert case.reference not in marcus.get(reverse("workflow:inbox")).content.decode()
    assert case.reference not in marcus.get(reverse("casework:register")).content.decode()
    assert marcus.get(reverse("casework:case", args=[case.reference])).status_code == 404

    case = triage.acknowledge_concern(case=case, by=person("Hannah", "Reid").user)
    assert task_owner(case, "triage") == person("Hannah", "Reid").user


def test_the_subject_in_hr_cannot_act_on_their_own_case():
    case = _about_marcus()
    with pytest.raises(NotAllowed):
        triage.acknowledge_concern(case=case, by=person("Marcus", "Obi").user)
    assert fresh(case).status == Status.RECEIVED


def test_a_concern_nobody_in_hr_is_free_to_take_is_refused_and_nothing_stored():
    before = (Case.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RuleBroken, match="Nobody else in HR can take on a concern about"):
        _about_marcus(reporter=("Hannah", "Reid"))
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_a_case_manager_who_becomes_a_witness_hands_the_case_on(
    django_capture_on_commit_callbacks,
):
    case = case_at(Status.INVESTIGATION)
    assert case.case_manager == person("Hannah", "Reid")
    statement_from(case, ("Hannah", "Reid"))  # she heard the admission
    with django_capture_on_commit_callbacks(execute=True):
        investigation.submit_investigation_report(
            case=fresh(case),
            by=case.investigating_officer.user,
            summary="Made out.",
            recommendation="hearing",
            findings={a.pk: ("upheld", "Admitted.") for a in case.allegations.all()},
        )
    assert task_owner(case, "consider_report") is None  # back to the queue, not to her
    told = told_of("consider_report")
    assert [m.to for m in told] == [["marcus.obi@stclare.example"]]
    with pytest.raises(NotAllowed):
        investigation.decide_on_report(
            case=case, by=person("Hannah", "Reid").user, decision="hearing", reasons="x"
        )


def test_a_case_about_hr_never_falls_back_to_the_shared_queue():
    case = _about_marcus()
    triage.acknowledge_concern(case=case, by=hr())
    case = fresh(case)
    allegations.add_allegation(
        case=case, by=hr(), clause=clause("DONT-3"), particulars="Discussed a grievance."
    )
    triage.triage_concern(case=case, by=hr(), decision="investigation", reasons="Facts.")
    appoint(case, ("Emma", "Wright"))()
    statement_from(fresh(case), ("Hannah", "Reid"))  # the only other HR manager is a witness
    refused(
        case,
        "Every HR case manager is involved in this case",
        lambda: investigation.submit_investigation_report(
            case=fresh(case),
            by=person("Emma", "Wright").user,
            summary="Made out.",
            recommendation="hearing",
            findings={a.pk: ("upheld", "Admitted.") for a in case.allegations.all()},
        ),
    )


def test_a_concern_reported_by_hr_goes_to_the_other_hr_managers_only(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        case = raise_concern(reporter=("Hannah", "Reid"))
    assert task_owner(case, "acknowledge") is None  # the shared queue
    told = told_of("acknowledge")
    assert [m.to for m in told] == [["marcus.obi@stclare.example"]]
    with pytest.raises(NotAllowed):
        triage.acknowledge_concern(case=case, by=person("Hannah", "Reid").user)


# --- Who formed a view of the case before the hearing ---------------------------------------


def _holds(name: tuple[str, str], role: Role) -> None:
    """Give a demo person an extra trust-wide role, as a small trust might."""
    RoleAssignment.objects.create(person=person(*name), role=role)


def _safeguarding_case_to_hearing(**concern) -> Case:
    """A safeguarding concern the DSL sends for investigation (the harm threshold not met),
    investigated and referred to a hearing."""

    def dsl_sends_for_investigation(case: Case) -> Case:
        frame_allegation(case, "DONT-4")
        return safeguarding.review_safeguarding_concern(
            case=case,
            by=case.safeguarding_lead.user,
            decision="investigation",
            reasons="Contact through a gaming platform; below the harm threshold.",
        )

    return walk(
        [dsl_sends_for_investigation, demo_appoint, demo_report, refer_to_hearing],
        **{**SAFEGUARDING, **concern},
    )


def _to_appeal(case: Case, hold_hearing, chair=("Catherine", "Walsh")) -> Case:
    schedule(case, chair)()
    hold_hearing(case)
    case = decide(fresh(case))
    signoff.sign_off_outcome(case=case, by=case.signing_authority.user, approve=True)
    outcomes.issue_outcome(case=case, by=hr())
    appeals.lodge_appeal(case=case, by=hr(), lodged_on=TODAY(), grounds="Too harsh.")
    return fresh(case)


def test_whoever_decided_the_harm_threshold_chairs_neither_the_hearing_nor_the_appeal(
    hold_hearing,
):
    _holds(("James", "Reilly"), Role.TRUST_EXECUTIVE)  # the DSL also sits on the executive
    case = _safeguarding_case_to_hearing(subject=("Sam", "Adeyemi"), reporter=("Laura", "Bennett"))
    assert case.safeguarding_reviews.get().decided_by == person("James", "Reilly")
    refused(
        case,
        "James Reilly is already the safeguarding lead who decided the harm threshold in this "
        "case; the hearing chair must come to the case fresh",
        schedule(case, ("James", "Reilly")),
    )
    case = _to_appeal(case, hold_hearing)
    refused(
        case,
        "James Reilly is already the safeguarding lead who decided the harm threshold in this "
        "case; the appeal chair must come to the case fresh",
        schedule_appeal(case, ("James", "Reilly")),
    )
    schedule_appeal(case, ("Michael", "Okafor"))()
    assert fresh(case).appeal_chair == person("Michael", "Okafor")


def test_whoever_suspended_the_subject_chairs_neither_the_hearing_nor_the_appeal(hold_hearing):
    _holds(("Catherine", "Walsh"), Role.HR_CASE_MANAGER)  # the CEO also acts for HR
    case = case_at(Status.INVESTIGATION)
    suspensions.suspend(
        case=case,
        by=person("Catherine", "Walsh").user,
        started_on=TODAY(),
        reasons="To protect the investigation.",
        alternatives_considered="A change of duties would not keep the investigation apart.",
        welfare_contact=person("Ben", "Taylor"),
    )
    case = demo_report(fresh(case))
    case = refer_to_hearing(case)
    refused(
        case,
        "Catherine Walsh is already the person who suspended the subject in this case; the "
        "hearing chair must come to the case fresh",
        schedule(case, ("Catherine", "Walsh")),
    )
    case = _to_appeal(case, hold_hearing, chair=("Anne-Marie", "Byrne"))
    refused(
        case,
        "Catherine Walsh is already the person who suspended the subject in this case; the "
        "appeal chair must come to the case fresh",
        schedule_appeal(case, ("Catherine", "Walsh")),
    )


def test_the_chair_form_does_not_offer_whoever_decided_the_threshold_or_suspended(sign_in):
    from tests.test_lifecycle_http import arrangement_form, task_form

    _holds(("James", "Reilly"), Role.TRUST_EXECUTIVE)
    _holds(("Catherine", "Walsh"), Role.HR_CASE_MANAGER)
    case = _safeguarding_case_to_hearing(subject=("Sam", "Adeyemi"), reporter=("Laura", "Bennett"))
    suspensions.suspend(
        case=case,
        by=person("Catherine", "Walsh").user,
        started_on=TODAY(),
        reasons="To protect the pupils.",
        alternatives_considered="No role away from pupils exists at the school.",
        welfare_contact=person("Kate", "Morris"),
    )
    hannah = sign_in("Hannah", "Reid")
    url = task_form(hannah, case, "arrange_hearing")
    chairs = hannah.get(url).context["form"].fields["chair"].queryset
    assert person("James", "Reilly") not in chairs
    assert person("Catherine", "Walsh") not in chairs
    assert person("Peter", "Quinn") in chairs
    for too_close in (("James", "Reilly"), ("Catherine", "Walsh")):
        before = footprint(case)
        page = hannah.post(url, arrangement_form(case, too_close))
        assert page.status_code == 200
        assert "Select a valid choice" in page.content.decode()
        assert footprint(case) == before


# --- The chair of governors ------------------------------------------------------------------


def test_a_chair_of_governors_may_chair_a_hearing_at_their_own_school_only():
    case = case_at(Status.HEARING_TO_ARRANGE)  # at St Thomas More
    refused(
        case,
        "Margaret Ellis cannot chair a hearing: a hearing is chaired by a headteacher, the "
        "school's chair of governors or a trust executive",
        schedule(case, ("Margaret", "Ellis")),
    )
    schedule(case, ("Robert", "Kavanagh"))()
    assert fresh(case).hearing_chair == person("Robert", "Kavanagh")


# --- The form offers exactly whom the service accepts ----------------------------------------


def _offered_and_accepted(case: Case, *, appeal: bool) -> tuple[set[int], set[int]]:
    form = ArrangementForm(case=fresh(case), appeal=appeal)
    offered = set(form.fields["chair"].queryset.values_list("pk", flat=True))
    check = responsibility.ensure_may_chair_appeal if appeal else responsibility.ensure_may_chair
    accepted = set()
    for candidate in StaffMember.objects.select_related("user"):
        try:
            check(fresh(case), candidate)
        except RuleBroken:
            continue
        accepted.add(candidate.pk)
    return offered, accepted


def test_the_chair_form_offers_exactly_the_people_the_service_accepts(hold_hearing):
    _holds(("James", "Reilly"), Role.TRUST_EXECUTIVE)
    _holds(("Catherine", "Walsh"), Role.HR_CASE_MANAGER)
    ordinary = case_at(Status.HEARING_TO_ARRANGE)
    about_the_head = case_at(
        Status.HEARING_TO_ARRANGE, subject=("Michael", "Okafor"), reporter=("Robert", "Kavanagh")
    )
    safeguarding_case = _safeguarding_case_to_hearing(
        subject=("Sam", "Adeyemi"), reporter=("Laura", "Bennett")
    )
    suspensions.suspend(
        case=safeguarding_case,
        by=person("Catherine", "Walsh").user,
        started_on=TODAY(),
        reasons="To protect the pupils.",
        alternatives_considered="No role away from pupils exists at the school.",
        welfare_contact=person("Kate", "Morris"),
    )
    for case in (ordinary, about_the_head, safeguarding_case):
        offered, accepted = _offered_and_accepted(case, appeal=False)
        assert offered == accepted, case
        assert offered
    appeal = _to_appeal(safeguarding_case, hold_hearing, chair=("Peter", "Quinn"))
    offered, accepted = _offered_and_accepted(appeal, appeal=True)
    assert offered == accepted
    assert person("James", "Reilly").pk not in offered
    assert person("Peter", "Quinn").pk not in offered  # he heard the case
