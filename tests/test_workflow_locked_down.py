"""Viewflow's cancel, undo and revive are switched off for cases, for everyone.

Each would move a task without moving the case, leaving the case's status and its tasks
disagreeing. In Casework a case's work moves only through the services. So: there is no
address for any of them, CaseFlow.has_manage_permission is False for every sign-in (the
systems administrator included), CaseFlow.cancel raises, and viewflow's own transition
guards refuse them; the administration site cannot change or delete a case's workflow
either. After every attempt the case, its tasks and its audit trail are as they were.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, get_resolver, reverse
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.status import PROCESS, STATUS

from casework import demo
from casework.demo_cases import case_at, withdraw
from casework.models import AuditEvent, Case, Status, User
from workflows import engine
from workflows.flows import CaseFlow
from workflows.models import CaseProcess

from .strategies import assert_case_consistent, case_tasks, database_state

pytestmark = pytest.mark.django_db

MANAGE = ("cancel", "undo", "revive", "reassign")


@pytest.fixture
def administrator() -> User:
    """The systems administrator: a superuser with no part in any case."""
    return User.objects.get(email=demo.ADMIN_EMAIL)


def _flow_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return {name for name in names if name.startswith("workflow:flows:case:")}


def _case_with_every_kind_of_task() -> tuple[Case, list]:
    """A live case (an open task, done tasks) and a withdrawn one (a cancelled task)."""
    live = case_at(Status.HEARING_SCHEDULED)
    withdrawn = withdraw(case_at(Status.TRIAGE, subject=("Ben", "Taylor")))
    tasks = [*case_tasks(live), *case_tasks(withdrawn)]
    assert {t.status for t in tasks} >= {STATUS.ASSIGNED, STATUS.DONE, STATUS.CANCELED}
    return live, tasks


def _unchanged(before: dict) -> None:
    """Nothing moved; refused attempts may only add to the access log (no case named)."""
    after = database_state()
    events = after.pop("casework_auditevent")
    previous = before.pop("casework_auditevent")
    assert after == before
    added = [row for row in events if row not in previous]
    assert (
        not AuditEvent.objects.filter(pk__in=[row[0] for row in added])
        .exclude(action="access.denied")
        .exists()
    )
    for case in Case.objects.all():
        assert_case_consistent(case)


def _workflow_rows(state: dict) -> dict:
    return {table: rows for table, rows in state.items() if table != "casework_auditevent"}


def test_no_address_cancels_undoes_revives_or_reassigns_a_case_task():
    names = _flow_url_names()
    assert "workflow:flows:case:decide_hearing:execute" in names  # the walk sees the flow
    nodes = {name.split(":")[3] for name in names if name.count(":") == 4}
    for node in nodes:
        for action in MANAGE:
            assert f"workflow:flows:case:{node}:{action}" not in names
            with pytest.raises(NoReverseMatch):
                reverse(f"workflow:flows:case:{node}:{action}", args=[1, 1])
    assert "workflow:flows:case:process_cancel" not in names


def test_viewflows_own_addresses_for_them_answer_404_even_to_the_administrator(
    client, administrator
):
    _, tasks = _case_with_every_kind_of_task()
    client.force_login(administrator)
    before = database_state()
    for task in tasks:
        base = f"/workflow/flows/case/{task.process_id}/{task.flow_task.name}/{task.pk}/"
        for action in MANAGE:
            assert client.get(f"{base}{action}/").status_code == 404
            assert client.post(f"{base}{action}/", {"_continue": "1"}).status_code == 404
    for process in CaseProcess.objects.all():
        url = f"/workflow/flows/case/{process.pk}/cancel/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"_cancel_process": "1"}).status_code == 404
    _unchanged(before)


def test_nobody_has_the_flows_manage_permission(administrator):
    live, _ = _case_with_every_kind_of_task()
    process = CaseProcess.objects.get(case=live)
    everyone = [*User.objects.all(), AnonymousUser()]
    assert administrator in everyone
    for user in everyone:
        assert CaseFlow.instance.has_manage_permission(user) is False
        assert CaseFlow.instance.has_manage_permission(user, process) is False


def test_viewflows_transition_guards_refuse_cancel_undo_and_revive(administrator):
    _, tasks = _case_with_every_kind_of_task()
    before = database_state()
    for task in tasks:
        node = task.flow_task
        for check in ("can_cancel", "can_undo", "can_revive"):
            if hasattr(node, check):
                assert getattr(node, check)(administrator, task) is False, (node, check)
        activation = node.activation_class(task)
        for name in ("cancel", "undo", "revive"):
            transition = getattr(activation, name, None)
            if transition is not None:
                assert not transition.has_perm(administrator), (node.name, task.status, name)
    _unchanged(before)


def test_cancelling_a_case_workflow_directly_raises_and_changes_nothing():
    live, _ = _case_with_every_kind_of_task()
    before = database_state()
    process = CaseProcess.objects.get(case=live)
    with pytest.raises(FlowRuntimeError, match="withdraw the case instead"):
        CaseFlow.instance.cancel(process)
    _unchanged(before)
    process.refresh_from_db()
    assert process.status == PROCESS.NEW
    assert engine.open_tasks(live).get().flow_task is CaseFlow.decide_hearing


def test_the_administrator_cannot_take_on_or_hand_back_a_case_task(client, administrator):
    waiting = case_at(Status.RECEIVED, subject=("Fiona", "MacLeod"))  # in the HR queue
    live, _ = _case_with_every_kind_of_task()
    client.force_login(administrator)
    before = database_state()
    queued = engine.open_tasks(waiting).get()
    assigned = engine.open_tasks(live).get()
    for task, action in ((queued, "assign"), (assigned, "unassign")):
        url = task.flow_task.reverse(action, args=[task.process_id, task.pk])
        assert client.post(url).status_code in (403, 404)
        execute = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
        assert client.post(execute, {"reasons": "x"}).status_code in (403, 404)
    _unchanged(before)
    assert engine.open_tasks(waiting).get().owner_id is None
    assert engine.open_tasks(live).get().owner == live.hearing_chair.user


def test_the_administration_site_cannot_change_or_delete_a_case_workflow(client, administrator):
    live, _ = _case_with_every_kind_of_task()
    client.force_login(administrator)
    before = database_state()
    open_task = engine.open_tasks(live).get()
    process = CaseProcess.objects.get(case=live)
    attempts = [
        (f"/admin/viewflow/task/{open_task.pk}/delete/", {"post": "yes"}),
        (f"/admin/viewflow/process/{process.pk}/delete/", {"post": "yes"}),
        (f"/admin/workflows/caseprocess/{process.pk}/delete/", {"post": "yes"}),
        (f"/admin/viewflow/task/{open_task.pk}/change/", {"owner_permission": "", "data": "{}"}),
        (
            "/admin/viewflow/task/",
            {"action": "delete_selected", "_selected_action": [open_task.pk], "post": "yes"},
        ),
    ]
    changed = []
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code != 500
        after = database_state()
        if _workflow_rows(after) != _workflow_rows(before):
            changed.append((url, response.status_code))
            before = after
    assert not changed, f"the administration site changed a case's workflow: {changed}"
    for case in Case.objects.all():
        assert_case_consistent(case)
