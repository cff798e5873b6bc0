"""Keeping a case's workflow in step with its status.

The Case's django-fsm status is the single source of truth. After a service fires a
transition it calls ``sync``: the open task that did the work (if any) is completed and
routes on; any other task the new status no longer calls for is cancelled and the flow
re-routed from it. Afterwards the case has exactly the open task its status calls for (none
once it is closed), or the whole transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace

from django.db import transaction
from django.db.models import F
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import PROCESS, STATUS

from casework import notifications
from casework.case_workflow import OpenTask, WaitingTask, WorkflowBusy
from casework.models import Case, Status

from .flows import CaseFlow, DpoFlow
from .models import CaseProcess, DpoProcess
from .nodes import task_path

OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
LockFailed = FlowLockFailed

# The process rows this thread holds the lock on, by case id (see lock_process).
_held: ContextVar[dict[int, CaseProcess | None] | None] = ContextVar(
    "casework_held_processes", default=None
)


class WorkflowOutOfStep(RuntimeError):
    """The tasks and the status disagree after a sync: a bug, so nothing is committed."""


def start(case: Case) -> CaseProcess:
    """Open the case's workflow; its first task follows from the case's status."""
    return CaseFlow.start.run(case=case)


@contextmanager
def lock_process(case_id: int) -> Iterator[None]:
    """Hold the workflow's lock on the case's process row.

    The row viewflow's SelectForUpdateLock locks for the flow's own views, found and locked
    in one query. Every caller is inside ``locked_case``'s transaction, which rolls back as
    one, so this adds no savepoint of its own.
    """
    with transaction.atomic(savepoint=False):
        # The process row only (not viewflow's process table it inherits from), read whole:
        # the sync under this lock works on this very object.
        rows = CaseProcess.objects.select_for_update(of=("self",)).filter(case_id=case_id)
        process = rows.order_by().first()
        outer = _held.get() or {}
        token = _held.set({**outer, case_id: process})
        try:
            yield
        finally:
            _held.reset(token)
            if case_id in outer:  # forgotten, not put back: this lock's work moved it on
                _held.set({k: v for k, v in outer.items() if k != case_id})


@contextmanager
def _locked(flow, process_id: int | None) -> Iterator[None]:
    if process_id is None:  # a workflow not started yet
        yield
        return
    with flow.lock(process_id):
        yield


def node_for_status(status: str):
    """The task node the route opens for a status; the end node for a closed case."""
    for node, condition in CaseFlow.route._branches:
        if status in condition.statuses:
            return node
    raise WorkflowOutOfStep(f"The route has no branch for status {status!r}.")


def open_tasks(case: Case):
    return (
        CaseFlow.task_class.objects.filter(
            process__caseprocess__case=case,
            flow_task_type="HUMAN",
            status__in=OPEN_TASK_STATUSES,
        )
        .select_related("owner__staff_member")
        .order_by("created", "id")
    )


def _expected_owner(node, process: CaseProcess):
    return node.calc_owner(SimpleNamespace(process=process))


def _complete(task, actor) -> None:
    activation = task.flow_task.activation_class(task)
    if task.owner_id != actor.pk:
        # The person who did the work is recorded as its owner, saved with the completion
        # below (viewflow's assign and reassign would each write the row once more first).
        task.owner = actor
        task.status = STATUS.ASSIGNED
    activation.start(None)
    activation.execute()  # completes the task and routes on from the new status


def _cancel_and_reroute(task) -> None:
    activation = task.flow_task.activation_class(task)
    activation.cancel()
    # viewflow has no public call to re-enter a gateway from a cancelled task; this is
    # what its own revive() does.
    route = CaseFlow.route._create(activation, task.token)
    activation._activate_next({route})


def sync(case: Case, *, actor, completes: str | None = None) -> None:
    token = notifications.acting_user.set(actor)
    try:
        _sync(case, actor=actor, completes=completes)
    finally:
        notifications.acting_user.reset(token)


def _sync(case: Case, *, actor, completes: str | None) -> None:
    process = _process_of(case)
    for position, task in enumerate(list(open_tasks(case))):
        if position:  # read again: the steps taken for the tasks before it may have moved it
            task = CaseFlow.task_class.objects.get(pk=task.pk)
            if task.status not in OPEN_TASK_STATUSES:
                continue
        task.process = process
        node = node_for_status(case.status)
        if completes is not None and task.flow_task.name == completes and actor is not None:
            _complete(task, actor)
            completes = None
        elif task.flow_task is node and _owner_still_right(task, node, process):
            continue
        else:
            _cancel_and_reroute(task)
    ensure_in_step(case)


def _process_of(case: Case) -> CaseProcess:
    """The case's process (the one its lock read), holding the very case the service has
    just moved, so the route's gateway and the owners' callbacks read the status it fired,
    not a second copy."""
    process = (_held.get() or {}).get(case.pk) or CaseProcess.objects.get(case=case)
    process.case = case
    return process


def _owner_still_right(task, node, process) -> bool:
    expected = _expected_owner(node, process)
    return expected is None or task.owner_id == expected.pk


def ensure_in_step(case: Case) -> None:
    """The invariant: the open task is the one the status calls for, or none if closed."""
    tasks = list(open_tasks(case))
    node = node_for_status(case.status)
    if node is CaseFlow.end:
        finished = CaseProcess.objects.filter(case=case, status=PROCESS.DONE).exists()
        if tasks or not finished:
            raise WorkflowOutOfStep(f"{case} is closed but its workflow is not finished.")
        return
    if len(tasks) != 1 or tasks[0].flow_task is not node:
        raise WorkflowOutOfStep(
            f"{case} is at {Status(case.status).label} but its open tasks are "
            f"{[t.flow_task.name for t in tasks]}."
        )


# --- DPO decisions: a workflow of their own beside the case's --------------------------------


def start_dpo_decision(decision) -> DpoProcess:
    """Open the decision's workflow: one task, for the Data Protection Officer."""
    process = DpoFlow.start.run(decision=decision)
    if dpo_open_task(decision) is None:
        raise WorkflowOutOfStep(f"The DPO decision on {decision.case} has no task.")
    return process


@contextmanager
def lock_dpo_process(decision_id: int) -> Iterator[None]:
    process_id = (
        DpoProcess.objects.filter(decision_id=decision_id).values_list("pk", flat=True).first()
    )
    with _locked(DpoFlow, process_id):
        yield


def dpo_open_task(decision):
    return (
        DpoFlow.task_class.objects.filter(
            process__dpoprocess__decision=decision,
            flow_task_type="HUMAN",
            status__in=OPEN_TASK_STATUSES,
        )
        .select_related("owner")
        .first()
    )


def complete_dpo_decision(decision, *, actor) -> None:
    """The decision is recorded: its task is done (by ``actor``) and its workflow ends."""
    task = dpo_open_task(decision)
    if task is None:
        raise WorkflowOutOfStep(f"The DPO decision on {decision.case} has no open task.")
    _complete(task, actor)
    process = DpoProcess.objects.get(decision=decision)
    if process.status != PROCESS.DONE or dpo_open_task(decision) is not None:
        raise WorkflowOutOfStep(f"The DPO decision on {decision.case} did not finish its workflow.")


# --- What the domain asks of its workflow (casework.case_workflow.CaseWorkflow) -------------


class ViewflowWorkflow:
    """The engine above, behind the interface the domain owns; installed at start-up."""

    def start(self, case: Case) -> None:
        start(case)

    @contextmanager
    def lock(self, case_id: int) -> Iterator[None]:
        try:
            with lock_process(case_id):
                yield
        except LockFailed:
            raise WorkflowBusy(case_id) from None

    def sync(self, case: Case, *, actor, completes: str | None) -> None:
        sync(case, actor=actor, completes=completes)

    def next_task(self, case: Case, *, user) -> OpenTask | None:
        task = open_tasks(case).first()
        if task is None:
            return None
        link = None
        if user is not None and (
            task.owner_id == user.pk
            or (task.owner_id is None and task.flow_task.can_assign(user, task))
        ):
            link = task_path(task)
        return OpenTask(
            title=task.flow_task.title_for(case),
            owner=task.owner if task.owner_id else None,
            link=link,
        )

    def start_dpo_decision(self, decision) -> None:
        start_dpo_decision(decision)

    @contextmanager
    def lock_dpo_decision(self, decision_id: int) -> Iterator[None]:
        try:
            with lock_dpo_process(decision_id):
                yield
        except LockFailed:
            raise WorkflowBusy(decision_id) from None

    def complete_dpo_decision(self, decision, *, actor) -> None:
        complete_dpo_decision(decision, actor=actor)

    def waiting_tasks(self, case_ids: list[int]) -> dict[int, WaitingTask]:
        tasks = (
            CaseFlow.task_class.objects.filter(
                process__caseprocess__case_id__in=case_ids,
                flow_task_type="HUMAN",
                status__in=OPEN_TASK_STATUSES,
            )
            .annotate(for_case=F("process__caseprocess__case_id"))
            .select_related("owner")
            .order_by("created", "id")
        )
        waiting: dict[int, WaitingTask] = {}
        for task in tasks:
            waiting.setdefault(
                task.for_case, WaitingTask(task.pk, task.owner if task.owner_id else None)
            )
        return waiting

    def waiting_dpo_task(self, decision) -> WaitingTask | None:
        task = dpo_open_task(decision)
        if task is None:
            return None
        return WaitingTask(task.pk, task.owner if task.owner_id else None)
