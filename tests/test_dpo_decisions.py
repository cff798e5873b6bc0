"""The Data Protection Officer's decision on a possible personal data breach (UK GDPR art 33):
a task in the DPO's inbox, due 72 clock hours (a setting) after the trust became aware,
need-to-know (the DPO and HR only), audited, and never holding up the case."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from casework import permissions
from casework.demo_cases import (
    case_at,
    dpo_decides,
    hr,
    informal,
    person,
    raise_concern,
    withdraw,
)
from casework.errors import NotAllowed, RuleBroken
from casework.models import AuditEvent, Case, DpoDecision, Role, RoleAssignment, Status
from casework.services import data_protection, triage
from workflows import engine

from .strategies import assert_case_consistent, fresh

pytestmark = pytest.mark.django_db

YUSUF = ("Yusuf", "Ahmed")  # the trust's Data Protection Officer


def the_decision(case: Case) -> DpoDecision:
    return DpoDecision.objects.get(case=case)


def task_url(decision: DpoDecision, action: str = "execute") -> str:
    task = decision.process.task_set.get(flow_task_type="HUMAN")
    return task.flow_task.reverse(action, args=[task.process_id, task.pk])


def record(decision: DpoDecision, **changes) -> DpoDecision:
    arguments = {
        "decision": decision,
        "by": person(*YUSUF).user,
        "reportable": False,
        "reasons": "Seen by two people and deleted within the hour: unlikely to cause harm.",
        "reported_at": None,
        "ico_reference": "",
        **changes,
    }
    return data_protection.record_dpo_decision(**arguments)


def decision_form(**changes) -> dict:
    return {
        "reportable": "no",
        "reasons": "Seen by two people and deleted within the hour.",
        "reported_on": "",
        "reported_at_time": "",
        "ico_reference": "",
        **changes,
    }


# --- A possible breach goes to the DPO, due in clock hours ---------------------------------


def test_a_possible_breach_goes_to_the_dpos_inbox_due_72_clock_hours_after_it_arrived(
    sign_in, django_capture_on_commit_callbacks, time_machine
):
    """Rule: the DPO's decision is due 72 clock hours from when the trust became aware, not
    working days: a concern raised on a Friday afternoon is due on Monday afternoon."""
    friday = timezone.make_aware(datetime.datetime(2026, 11, 27, 15, 30))
    time_machine.move_to(friday, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        case = raise_concern(clauses=("DO-5",))
    decision = the_decision(case)
    assert decision.aware_at == case.raised_at == friday
    assert decision.due_at == timezone.make_aware(datetime.datetime(2026, 11, 30, 15, 30))
    assert decision.officer == person(*YUSUF) and decision.is_outstanding
    assert decision.prompted_by == "Suspected on the report: DO-5"
    (task,) = decision.process.task_set.filter(flow_task_type="HUMAN")
    assert task.status == STATUS.ASSIGNED and task.owner == person(*YUSUF).user

    inbox = sign_in(*YUSUF).get(reverse("workflow:inbox")).content.decode()
    assert "Decide on reporting to the ICO" in inbox and case.reference in inbox
    (told,) = [m for m in mail.outbox if m.to == ["yusuf.ahmed@stclare.example"]]
    text = told.subject + told.body
    assert "something is waiting for you" in told.subject
    for detail in (case.reference, "ICO", "breach", "Daniel", "DO-5", "data"):
        assert detail not in text
    link = next(line for line in told.body.splitlines() if "/waiting/" in line)
    followed = sign_in(*YUSUF).get(link.replace(settings.CASEWORK_BASE_URL, ""))
    assert followed.status_code == 302 and followed.url == task_url(decision, "index")
    assert AuditEvent.objects.filter(case_id=case.pk, action="dpo.decision_opened").exists()
    assert_case_consistent(case)  # the case's own workflow has its one task, as ever


def test_the_72_hours_are_a_setting(settings):
    settings.CASEWORK_PROCEDURE = {**settings.CASEWORK_PROCEDURE, "DPO_DECISION_HOURS": 24}
    decision = the_decision(raise_concern(clauses=("GEN-2",)))
    assert decision.due_at - decision.aware_at == datetime.timedelta(hours=24)


def test_no_dpo_decision_without_a_data_protection_clause():
    case = raise_concern(clauses=("DONT-3",))
    assert not case.data_protection and not DpoDecision.objects.filter(case=case).exists()


# --- The case goes on meanwhile -----------------------------------------------------------


def test_hr_triages_while_the_dpo_decides(sign_in):
    """Rule: HR can go on with triage meanwhile; the DPO's decision never holds up the case."""
    case = case_at(Status.TRIAGE, clauses=("DONT-5",))
    client = sign_in("Hannah", "Reid")
    (task,) = engine.open_tasks(case)
    execute = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    page = client.get(execute).content.decode()
    assert "Data Protection Officer has been told" not in page  # no checkbox any more
    done = client.post(execute, {"decision": "informal", "reasons": "Advice on privacy."})
    assert done.status_code == 302
    case = fresh(case)
    assert case.status == Status.INFORMAL_ADVICE
    decision = the_decision(case)
    assert decision.is_outstanding and decision.process.status == PROCESS.NEW
    assert_case_consistent(case)
    # The DPO still decides on the closed case.
    record(decision)
    assert the_decision(case).process.status == PROCESS.DONE


def test_a_withdrawn_case_leaves_the_dpo_decision_standing():
    case = withdraw(case_at(Status.TRIAGE, clauses=("DO-5",)))
    assert fresh(case).status == Status.WITHDRAWN and the_decision(case).is_outstanding
    assert_case_consistent(case)


def test_the_case_page_shows_hr_the_decision_outstanding_then_overdue(sign_in, time_machine):
    """Rule: the case page shows the DPO's decision as outstanding, and overdue when it is."""
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    url = reverse("casework:case", args=[case.reference])
    client = sign_in("Hannah", "Reid")
    (shown,) = client.get(url).context["dpo_decisions"]
    assert not shown.overdue and shown.hours_left in (71, 72)
    assert "Outstanding" in client.get(url).content.decode()
    time_machine.move_to(the_decision(case).due_at + datetime.timedelta(minutes=1))
    page = sign_in("Hannah", "Reid").get(url)  # a new sign-in: the old one has lapsed
    (shown,) = page.context["dpo_decisions"]
    assert shown.overdue
    html = page.content.decode()
    assert 'data-testid="dpo-decision"' in html and "Overdue" in html


def test_the_headteacher_sees_the_case_but_not_the_dpos_decision(sign_in):
    """Rule: need to know: the DPO's decision is for the DPO and HR only."""
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    decision = the_decision(case)
    page = sign_in("Michael", "Okafor").get(reverse("casework:case", args=[case.reference]))
    assert page.status_code == 200
    assert page.context["dpo_decisions"] == []
    assert not [e for e in page.context["timeline"] if e.action.startswith("dpo.")]
    assert 'data-testid="dpo-decision"' not in page.content.decode()
    for who in (("Michael", "Okafor"), ("Rachel", "Green"), ("Emma", "Wright")):
        assert sign_in(*who).get(task_url(decision, "index")).status_code == 404
        assert not permissions.may_see_dpo_decision(person(*who).user, decision)
    assert sign_in("Hannah", "Reid").get(task_url(decision, "detail")).status_code == 200


# --- The DPO decides ------------------------------------------------------------------------


def test_the_dpo_records_not_reportable_with_reasons_over_http(sign_in):
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    decision = the_decision(case)
    client = sign_in(*YUSUF)
    page = client.get(task_url(decision))
    assert page.status_code == 200
    facts = page.content.decode()
    assert "discussing a named colleague" in facts and "DO-5" in facts
    assert "Triage the concern" not in facts  # nothing of the case's own workflow
    done = client.post(task_url(decision), decision_form())
    assert done.status_code == 302
    decision = the_decision(case)
    assert decision.reportable is False and not decision.is_outstanding
    assert decision.decided_by == person(*YUSUF).user and not decision.decided_late
    assert decision.process.status == PROCESS.DONE
    event = AuditEvent.objects.get(case_id=case.pk, action="dpo.decided")
    assert event.details["reportable"] is False and event.actor == person(*YUSUF).user
    shown = sign_in("Hannah", "Reid").get(reverse("casework:case", args=[case.reference]))
    assert "Not reportable to the ICO" in shown.content.decode()
    assert_case_consistent(case)


def test_the_dpo_records_a_report_with_when_and_the_icos_reference(sign_in):
    case = case_at(Status.TRIAGE, clauses=("GEN-2",))
    reported = timezone.localtime() - datetime.timedelta(hours=1)
    done = sign_in(*YUSUF).post(
        task_url(the_decision(case)),
        decision_form(
            reportable="yes",
            reasons="Pupils' addresses were posted publicly: a high risk to them.",
            reported_on=reported.date().isoformat(),
            reported_at_time=reported.strftime("%H:%M"),
            ico_reference="IC-2026-1234",
        ),
    )
    assert done.status_code == 302
    decision = the_decision(case)
    assert decision.reportable and decision.ico_reference == "IC-2026-1234"
    assert timezone.localtime(decision.reported_at).strftime("%H:%M") == reported.strftime("%H:%M")


def test_a_decision_made_late_is_shown_as_late():
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    decision = the_decision(case)
    DpoDecision.objects.filter(pk=decision.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert record(the_decision(case)).decided_late


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reasons": "  "}, "Give the reasons for the decision"),
        ({"reportable": None}, "Say whether the breach is reportable"),
        ({"reportable": True, "ico_reference": "IC-1"}, "Give the date and time"),
        (
            {
                "reportable": True,
                "reported_at": timezone.now() + datetime.timedelta(hours=2),
                "ico_reference": "IC-1",
            },
            "cannot be in the future",
        ),
        (
            {"reportable": True, "reported_at": timezone.now() - datetime.timedelta(days=400)},
            "cannot be before the breach was seen",
        ),
        (
            {"reportable": True, "reported_at": timezone.now(), "ico_reference": " "},
            "Give the reference the ICO gave",
        ),
        ({"reportable": False, "ico_reference": "IC-1"}, "leave the report's time"),
    ],
)
def test_a_bad_decision_is_refused_with_a_clear_message_and_changes_nothing(changes, message):
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    before = AuditEvent.objects.filter(case_id=case.pk).count()
    with pytest.raises(RuleBroken, match=message):
        record(the_decision(case), **changes)
    decision = the_decision(case)
    assert decision.is_outstanding and decision.reasons == "" and decision.reportable is None
    assert decision.process.status == PROCESS.NEW
    assert AuditEvent.objects.filter(case_id=case.pk).count() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"reasons": ""},
            "reasons",
            "Give the reasons for the decision: the ICO may ask for them, reported or not.",
        ),
        ({"reportable": ""}, "reportable", "This field is required."),
        (
            {"reportable": "yes", "reported_on": "2026-11-30", "ico_reference": "IC-1"},
            "reported_at_time",
            "Give both the date and the time it was reported.",
        ),
    ],
)
def test_a_bad_decision_over_http_is_shown_beside_its_field(sign_in, changes, field, message):
    decision = the_decision(case_at(Status.TRIAGE, clauses=("DO-5",)))
    page = sign_in(*YUSUF).post(task_url(decision), decision_form(**changes))
    assert page.status_code == 200 and page.context["form"].errors[field] == [message]
    assert the_decision(decision.case).is_outstanding


def test_a_report_in_the_future_over_http_is_refused_and_nothing_changes(sign_in):
    decision = the_decision(case_at(Status.TRIAGE, clauses=("DO-5",)))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = sign_in(*YUSUF).post(
        task_url(decision),
        decision_form(
            reportable="yes",
            reported_on=tomorrow.isoformat(),
            reported_at_time="09:00",
            ico_reference="IC-1",
        ),
    )
    assert page.status_code == 200
    assert "cannot be in the future" in page.content.decode()
    assert the_decision(decision.case).is_outstanding


def test_a_decision_stands_once_recorded():
    decision = record(the_decision(case_at(Status.TRIAGE, clauses=("DO-5",))))
    with pytest.raises(RuleBroken, match="recorded already and stands"):
        record(decision, reportable=True)
    assert the_decision(decision.case).reportable is False


def test_only_the_trusts_dpo_records_the_decision(sign_in):
    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    decision = the_decision(case)
    for who in (("Hannah", "Reid"), ("Michael", "Okafor")):
        with pytest.raises(NotAllowed, match="Only the trust's Data Protection Officer"):
            record(decision, by=person(*who).user)
    hr_client = sign_in("Hannah", "Reid")
    assert hr_client.post(task_url(decision), decision_form()).status_code in (403, 404)
    assert sign_in("Michael", "Okafor").post(task_url(decision), decision_form()).status_code == 404
    assert the_decision(case).is_outstanding


def test_a_dpo_too_close_to_the_case_is_not_given_it():
    """Nobody decides on a case they are the subject, reporter or a witness of: with no other
    DPO it waits in the DPO queue, which the conflicted DPO does not see."""
    case = raise_concern(subject=YUSUF, reporter=("Priya", "Patel"), clauses=("DO-5",))
    decision = the_decision(case)
    assert decision.officer is None
    (task,) = decision.process.task_set.filter(flow_task_type="HUMAN")
    assert task.owner is None and task.status == STATUS.NEW
    yusuf = person(*YUSUF).user
    assert not permissions.may_see_dpo_decision(yusuf, decision)
    with pytest.raises(NotAllowed):
        record(decision)


def test_a_second_dpo_takes_the_decision_from_the_queue(sign_in):
    RoleAssignment.objects.create(
        person=person("Mark", "Hughes"), role=Role.DATA_PROTECTION_OFFICER
    )
    case = raise_concern(subject=YUSUF, reporter=("Priya", "Patel"), clauses=("DO-5",))
    assert the_decision(case).officer == person("Mark", "Hughes")


def test_the_dpos_queue_leaves_out_decisions_on_cases_they_are_too_close_to(sign_in):
    case = raise_concern(subject=YUSUF, reporter=("Priya", "Patel"), clauses=("DO-5",))
    queue = sign_in(*YUSUF).get(reverse("workflow:queue")).content.decode()
    assert case.reference not in queue
    assert sign_in(*YUSUF).get(task_url(the_decision(case), "index")).status_code == 404
    page = sign_in("Hannah", "Reid").get(reverse("casework:case", args=[case.reference]))
    assert "Waiting for a Data Protection Officer" in page.content.decode()


def test_the_demo_decisions_agree_with_their_workflows():
    made = dpo_decides(case_at(Status.TRIAGE, clauses=("DO-5",)), reportable=True)
    decision = the_decision(made)
    assert decision.reportable and decision.process.status == PROCESS.DONE
    assert engine.dpo_open_task(decision) is None
    untouched = informal(
        triage.acknowledge_concern(case=raise_concern(clauses=("DONT-5",)), by=hr())
    )
    assert engine.dpo_open_task(the_decision(untouched)) is not None


def test_the_decisions_workflow_is_never_cancelled_undone_or_revived_by_hand(client):
    """Like the case's: the decision leads, and only recording it ends its workflow."""
    from django.urls import NoReverseMatch
    from viewflow.workflow.exceptions import FlowRuntimeError

    from casework import demo
    from casework.models import User
    from workflows.flows import DpoFlow

    decision = the_decision(case_at(Status.TRIAGE, clauses=("DO-5",)))
    administrator = User.objects.get(email=demo.ADMIN_EMAIL)
    for action in ("cancel", "undo", "revive", "reassign"):
        with pytest.raises(NoReverseMatch):
            reverse(f"workflow:flows:dpo:decide:{action}", args=[1, 1])
    assert DpoFlow.instance.has_manage_permission(administrator, decision.process) is False
    with pytest.raises(FlowRuntimeError, match="record the decision"):
        DpoFlow.instance.cancel(decision.process)
    client.force_login(administrator)
    assert client.get(task_url(decision, "index")).status_code in (403, 404)
    assert client.post(task_url(decision), decision_form()).status_code in (403, 404)
    assert the_decision(decision.case).process.status == PROCESS.NEW


def test_the_dpo_has_tasks_but_no_case_list(sign_in):
    """A DPO with no other role has DPO decisions to make, not cases to follow."""
    from casework import selectors

    titles = [f.title for f in selectors.features_for(person(*YUSUF).user)]
    assert "My tasks" in titles and "Cases" not in titles
    assert "Case register" in [f.title for f in selectors.features_for(hr())]
