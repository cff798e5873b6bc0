"""The domain reaches its workflow only through casework.case_workflow: with none installed a
case still moves and is audited; with one installed, each transition asks it to follow."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from casework import case_workflow, selectors
from casework.demo_cases import frame_allegation, hr, raise_concern
from casework.errors import CaseMoved
from casework.models import AuditEvent, Status, TriageDecision
from casework.services import triage
from workflows.engine import ViewflowWorkflow
from workflows.models import CaseProcess

pytestmark = pytest.mark.django_db


def transitions(case) -> list[tuple[str, str]]:
    return [
        (event.details["from"], event.details["to"])
        for event in AuditEvent.objects.filter(case=case, action="case.transition").order_by("id")
    ]


def test_the_workflows_app_installs_its_engine_at_start_up():
    assert isinstance(case_workflow.installed(), ViewflowWorkflow)


def test_with_no_workflow_installed_a_transition_still_changes_the_case_and_its_audit_trail():
    with case_workflow.replaced_by(case_workflow.NoWorkflow()):
        case = raise_concern()
        triage.acknowledge_concern(case=case, by=hr())
        frame_allegation(case)
        triage.triage_concern(
            case=case,
            by=hr(),
            decision=TriageDecision.INVESTIGATION,
            reasons="A public post about a named colleague's disciplinary meeting.",
        )
        case.refresh_from_db()

        assert case.status == Status.APPOINTING_INVESTIGATOR
        assert transitions(case) == [
            (Status.RECEIVED, Status.TRIAGE),
            (Status.TRIAGE, Status.APPOINTING_INVESTIGATOR),
        ]
        assert selectors.next_step(case) is None  # no tasks without a workflow
    assert not CaseProcess.objects.filter(case=case).exists()


class RecordingWorkflow(case_workflow.NoWorkflow):
    def __init__(self):
        self.calls: list[tuple] = []

    def start(self, case):
        self.calls.append(("start", case.pk))

    @contextmanager
    def lock(self, case_id):
        self.calls.append(("lock", case_id))
        yield

    def sync(self, case, *, actor, completes):
        self.calls.append(("sync", case.pk, case.status, actor.pk, completes))


def test_each_transition_asks_the_installed_workflow_to_follow_the_new_status():
    workflow = RecordingWorkflow()
    with case_workflow.replaced_by(workflow):
        case = raise_concern()
        workflow.calls.clear()
        triage.acknowledge_concern(case=case, by=hr())

    assert workflow.calls == [
        ("lock", case.pk),
        ("sync", case.pk, Status.TRIAGE, hr().pk, "acknowledge"),
    ]
    assert isinstance(case_workflow.installed(), ViewflowWorkflow)  # put back afterwards


def test_a_busy_workflow_lock_is_refused_with_a_message_and_changes_nothing():
    case = raise_concern()

    class Busy(case_workflow.NoWorkflow):
        def lock(self, case_id):
            raise case_workflow.WorkflowBusy(case_id)

    with case_workflow.replaced_by(Busy()), pytest.raises(CaseMoved, match="Someone else"):
        triage.acknowledge_concern(case=case, by=hr())
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert transitions(case) == []
