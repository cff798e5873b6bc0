"""Flow nodes for cases.

The case's status is the single source of truth, so none of these nodes offers viewflow's
cancel, undo or revive: those would move a task without moving the case. Work moves only
through casework services, which fire the case's transitions and then bring the tasks in
line (see workflows.engine).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import get_resolver, path
from viewflow.workflow import flow
from viewflow.workflow.flow.utils import wrap_task_view
from viewflow.workflow.flow.views import AssignTaskView, UnassignTaskView
from viewflow.workflow.status import STATUS

from casework import audit, notifications


def task_title(task) -> str:
    """A task's title as the case's pages name it (see ``CaseTask.title_for``)."""
    title_for = getattr(task.flow_task, "title_for", None)
    return title_for(task.process.coerced.case) if title_for else str(task.flow_task.task_title)


class AuditedAssignTaskView(AssignTaskView):
    """Claiming a task from the queue is an action on the case: it is audited."""

    def form_valid(self, form):
        response = super().form_valid(form)
        task = self.request.activation.task
        audit.record(
            action="task.claimed",
            case=self.request.activation.process.case,
            actor=self.request.user,
            target=task,
            summary=f"Took on the task “{task_title(task)}”",
        )
        return response


class AuditedUnassignTaskView(UnassignTaskView):
    def form_valid(self, form):
        response = super().form_valid(form)
        task = self.request.activation.task
        audit.record(
            action="task.released",
            case=self.request.activation.process.case,
            actor=self.request.user,
            target=task,
            summary=f"Handed back the task “{task_title(task)}” to the queue",
        )
        messages.info(self.request, "The task is back in the queue.")
        return response


def task_path(task) -> str:
    """The address of a task's page (works outside a request, e.g. in a management command)."""
    # viewflow names a node's URLs when the URLconf is built, which a command may not have done.
    get_resolver().url_patterns  # noqa: B018
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


def _notify_task_waiting(activation) -> None:
    task = activation.task
    case = activation.process.case
    notifications.task_waiting(
        task_id=task.pk,
        owner=task.owner,
        queue_recipients=[] if task.owner_id else notifications.hr_recipients(case),
        case=case,
    )


def ensure_may_know_of(user, task) -> None:
    """Someone who may not see a case (or a DPO decision) is told nothing exists (404), not
    that it is forbidden. Each flow's ``has_view_permission`` says who may see its process."""
    if user.is_authenticated and task.owner_id == user.pk:
        return
    flow = task.flow_task.flow_class.instance
    if not flow.has_view_permission(user, task.process.coerced):
        raise Http404("No task found.")


class NeedToKnow:
    """Task pages follow the case's need-to-know rules (see casework.permissions)."""

    def can_view(self, user, task):
        ensure_may_know_of(user, task)
        return super().can_view(user, task)

    @property
    def index_path(self):
        # viewflow's own index page checks nothing before redirecting; check first.
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/",
            wrap_task_view(self, self.index_view, permission=self.can_view),
            name="index",
        )


class CaseTask(NeedToKnow, flow.View):
    """A person's task on a case; whoever must act is e-mailed a link when it is created."""

    cancel_path = None
    undo_path = None
    revive_path = None
    task_summary_template = "Case {{ process.case.reference }}"
    assign_view_class = AuditedAssignTaskView
    unassign_view_class = AuditedUnassignTaskView

    volunteer_title = ""

    def __init__(self, view, **kwargs):
        super().__init__(view, **kwargs)
        self._on_create = _notify_task_waiting

    def ForVolunteers(self, *, title: str):  # named in viewflow's chained-call style
        """The task's title where the case is about a volunteer, whose case concerns the
        volunteering arrangement rather than a disciplinary hearing."""
        self.volunteer_title = title
        return self

    def title_for(self, case) -> str:
        return self.title_for_subject(volunteer=case.subject.is_volunteer)

    def title_for_subject(self, *, volunteer: bool) -> str:
        if self.volunteer_title and volunteer:
            return str(self.volunteer_title)
        return str(self.task_title)

    def can_execute(self, user, task):
        ensure_may_know_of(user, task)
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED):
            # Done twice (a double click, two tabs) or overtaken: say so in words, where
            # viewflow would report its own state machine's refusal.
            raise PermissionDenied(
                "This task is no longer waiting: it has been done, or the case has moved on. "
                "Open the case to see where it is now."
            )
        return super().can_execute(user, task)

    def can_assign(self, user, task):
        ensure_may_know_of(user, task)
        return super().can_assign(user, task)

    def can_unassign(self, user, task):
        ensure_may_know_of(user, task)
        # Only a task still waiting can be handed back; a finished one is history.
        return task.status == STATUS.ASSIGNED and super().can_unassign(user, task)


def _notify_dpo_decision_waiting(activation) -> None:
    """The DPO (or, while none is named, every DPO free of a conflict) is told only that
    something waits in Casework: a breach decision's very existence is confidential."""
    task = activation.task
    notifications.task_waiting(
        task_id=task.pk,
        owner=task.owner,
        queue_recipients=[]
        if task.owner_id
        else sorted(
            u.email for u in notifications.dpo_recipients(activation.process.decision.case)
        ),
    )


class DpoTask(CaseTask):
    """The Data Protection Officer's task on a DPO decision; the e-mail names nothing."""

    task_summary_template = "Case {{ process.decision.case.reference }}"

    def __init__(self, view, **kwargs):
        super().__init__(view, **kwargs)
        self._on_create = _notify_dpo_decision_waiting


class StatusRoute(NeedToKnow, flow.Switch):
    """The gateway that reads the case's status and routes to whoever must act next."""

    cancel_path = None
    undo_path = None
    revive_path = None


class CaseStart(NeedToKnow, flow.StartHandle):
    undo_path = None


class CaseEnd(NeedToKnow, flow.End):
    undo_path = None
    revive_path = None


class StatusIs:
    """A route condition: the case is at one of these statuses."""

    def __init__(self, *statuses):
        self.statuses = frozenset(statuses)

    def __call__(self, activation) -> bool:
        return activation.process.case.status in self.statuses

    def __repr__(self) -> str:
        return f"StatusIs({', '.join(sorted(self.statuses))})"
