"""The case's workflow as the domain sees it: an interface that the workflow app fills in.

After a service fires a transition, the case's open tasks must be brought into line with
its new status, and the case page shows whose turn it is. The services and selectors ask
the workflow installed here for both, never the ``workflows`` app itself, so the domain
does not depend on the engine that routes its work (imports point down only).

``workflows.apps.WorkflowsConfig.ready`` installs the viewflow engine at start-up. Until
something is installed, ``NoWorkflow`` stands in: every transition still changes the case
and writes its audit trail; there are simply no tasks to keep in step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from casework.models import Case, DpoDecision, User


class WorkflowBusy(Exception):
    """Someone else holds the workflow's lock on this case or decision right now."""


@dataclass(frozen=True)
class OpenTask:
    """The task a case is waiting on."""

    title: str
    owner: User | None  # None: in a shared queue
    link: str | None  # its page, when it is for the person asking to act on


class CaseWorkflow(Protocol):
    def start(self, case: Case) -> None:
        """Open the case's workflow; its first task follows from the case's status."""

    def lock(self, case_id: int) -> AbstractContextManager[None]:
        """Hold the workflow's lock on the case; raises WorkflowBusy if it is held."""

    def sync(self, case: Case, *, actor: User | None, completes: str | None) -> None:
        """Bring the case's open tasks into line with its status, completing ``completes``
        (the task that did the work) as ``actor``."""

    def next_task(self, case: Case, *, user: User | None) -> OpenTask | None:
        """The case's open task, linked if it is ``user``'s to act on."""

    def start_dpo_decision(self, decision: DpoDecision) -> None:
        """Open the DPO decision's own workflow: one task, for the Data Protection Officer."""

    def lock_dpo_decision(self, decision_id: int) -> AbstractContextManager[None]:
        """Hold the workflow's lock on the decision; raises WorkflowBusy if it is held."""

    def complete_dpo_decision(self, decision: DpoDecision, *, actor: User) -> None:
        """The decision is recorded: its task is done and its workflow ends."""


class NoWorkflow:
    """No workflow installed: nothing to start, lock, or keep in step."""

    def start(self, case: Case) -> None:
        pass

    def lock(self, case_id: int) -> AbstractContextManager[None]:
        return nullcontext()

    def sync(self, case: Case, *, actor: User | None, completes: str | None) -> None:
        pass

    def next_task(self, case: Case, *, user: User | None) -> OpenTask | None:
        return None

    def start_dpo_decision(self, decision: DpoDecision) -> None:
        pass

    def lock_dpo_decision(self, decision_id: int) -> AbstractContextManager[None]:
        return nullcontext()

    def complete_dpo_decision(self, decision: DpoDecision, *, actor: User) -> None:
        pass


_installed: CaseWorkflow = NoWorkflow()


def install(workflow: CaseWorkflow) -> None:
    """Make ``workflow`` the one every service and selector uses from now on."""
    global _installed  # one per process, set once at start-up
    _installed = workflow


def installed() -> CaseWorkflow:
    return _installed


@contextmanager
def replaced_by(workflow: CaseWorkflow) -> Iterator[None]:
    """Use ``workflow`` for the duration of the block, then put the previous one back."""
    previous = _installed
    install(workflow)
    try:
        yield
    finally:
        install(previous)
