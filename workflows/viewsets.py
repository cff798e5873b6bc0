"""viewflow's pages for the flows, without the ones that would list every case.

viewflow's own process list, dashboard and process pages show every process to anyone with
the flow's view permission. Casework's register and case page filter by need to know, so
those addresses lead there instead; the inbox, queue, archive and task pages stay.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.views import View
from django.views.generic import RedirectView
from django_filters import ChoiceFilter, FilterSet
from viewflow import viewprop
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow import FlowViewset, WorkflowAppViewset
from viewflow.workflow.flow.views import WorkflowQueueListView
from viewflow.workflow.flow.views.filters import DateRangeFilter
from viewflow.workflow.models import Task

from casework import (  # addresses: the <id:…> parts below
    addresses,  # noqa: F401
    notifications,
    permissions,
    selectors,
)
from casework.models import Case, involved_case_ids
from casework.paging import BoundedPaginator
from casework.worklists import selectors as worklists
from casework.worklists.views import ArchiveView, WorklistView

from .models import CaseProcess, DpoProcess
from .nodes import ensure_may_know_of, task_path


class CaseOfProcessView(View):
    """A process's own page is its case's page, for those who may see the case."""

    def get(self, request, process_pk):
        process = CaseProcess.objects.select_related("case").filter(pk=process_pk).first()
        if process is None or not permissions.can_view_case(request.user, process.case):
            raise Http404("No case found.")
        return redirect("casework:case", process.case.reference)


def _redirect(route: str, name: str, *, to: str):
    return path(route, RedirectView.as_view(pattern_name=to), name=name)


def _process_pages(view: type[View]):
    """A process's page and its chart: both lead to what the person may see of it."""
    return (
        path("<id:process_pk>/", view.as_view(), name="process_detail"),
        path("<id:process_pk>/chart/", view.as_view(), name="process_chart"),
    )


class CaseFlowViewset(FlowViewset):
    index_path = _redirect("", "index", to="casework:register")
    process_list_path = _redirect("flows/", "process_list", to="casework:register")
    task_list_path = _redirect("tasks/", "task_list", to="workflow:inbox")
    process_detail_path, flow_chart_path = _process_pages(CaseOfProcessView)
    process_cancel_path = None  # a case is withdrawn, never its workflow cancelled


class DecisionOfProcessView(View):
    """A DPO decision's process page: the case's page for HR, the decision's task for the
    DPO (who has no part in the case itself); nothing for anyone else."""

    def get(self, request, process_pk):
        process = DpoProcess.objects.select_related("decision__case").filter(pk=process_pk).first()
        if process is None or not permissions.may_see_dpo_decision(request.user, process.decision):
            raise Http404("No decision found.")
        if permissions.can_view_case(request.user, process.decision.case):
            return redirect("casework:case", process.decision.case.reference)
        task = process.task_set.filter(flow_task_type="HUMAN").order_by("-pk").first()
        return redirect(task.flow_task.reverse("index", args=[process.pk, task.pk]))


class DpoFlowViewset(FlowViewset):
    index_path = _redirect("", "index", to="workflow:inbox")
    process_list_path = _redirect("flows/", "process_list", to="workflow:inbox")
    task_list_path = _redirect("tasks/", "task_list", to="workflow:inbox")
    process_detail_path, flow_chart_path = _process_pages(DecisionOfProcessView)
    process_cancel_path = None  # a decision is recorded, never its workflow cancelled


# Each row names its case: read with the task, not one lookup per row.
ROW_RELATIONS = ("owner", "process__caseprocess__case", "process__dpoprocess__decision__case")


def _task_choices(flow_classes) -> list[tuple[str, str]]:
    """The filter's task choices, from the flows' own human tasks (not a DISTINCT over
    every task the person ever had)."""
    return [
        (get_task_ref(node), f"{flow_class.process_title}/{node.name.title()}")
        for flow_class in flow_classes
        for node in flow_class.instance.nodes()
        if getattr(node, "task_type", "") == "HUMAN"
    ]


class TaskListFilter(FilterSet):
    """By task and date; viewflow's own filter also lists every process in the list."""

    flow_task = ChoiceFilter()
    created = DateRangeFilter()

    class Meta:
        model = Task
        fields = ("flow_task", "created")


class TaskRows:
    """The queue's rows with their cases, newest first on an index, counted only so far
    (casework.paging), filters from the flows' nodes."""

    paginator_class = BoundedPaginator

    def get_filterset(self, filterset_class, queryset):
        filterset = super().get_filterset(filterset_class, queryset)
        filterset.filters["flow_task"].extra["choices"] = _task_choices(self.flow_classes)
        return filterset


class QueueView(TaskRows, WorkflowQueueListView):
    bulk_actions = ()
    filterset_class = TaskListFilter

    @viewprop
    def queryset(self):
        """The shared queue, less the cases this person is too close to (reporter, witness):
        they may not know those cases are being worked on."""
        person = permissions.person_of(self.request.user)
        tasks = super().queryset.select_related(*ROW_RELATIONS).order_by("-created", "-pk")
        if person is None:
            return tasks
        # The person's few cases as a list of ids, not NOT IN over a DISTINCT subquery.
        involved = involved_case_ids(person)
        if not involved:
            return tasks
        return tasks.exclude(process__caseprocess__case__in=involved).exclude(
            process__dpoprocess__decision__case__in=involved
        )


class WaitingView(View):
    """Where an e-mailed link leads (casework.notifications): the task, report or case it
    stands for, for someone signed in who may see it; anyone else is told nothing exists.
    Mounted at the site's root (config/urls.py), outside the task pages, which are for
    casework roles only: a reporter follows one too."""

    def get(self, request, token):
        try:
            kind, pk = notifications.waiting_item(token)
        except ValueError:
            raise Http404("That link is not one Casework sent.") from None
        if kind == "task":
            task = Task.objects.filter(pk=pk).select_related("process").first()
            if task is None:
                raise Http404("No task found.")
            ensure_may_know_of(request.user, task)
            return redirect(task_path(task))
        if kind == "report":
            case = Case.objects.filter(pk=pk, reporter=permissions.person_of(request.user)).first()
            if case is None:
                raise Http404("That is not one of your reports.")
            return redirect("casework:concern_received", case.reference)
        reference = Case.objects.filter(pk=pk).values_list("reference", flat=True).first()
        return redirect(
            "casework:case", selectors.case_for(request.user, reference or "").reference
        )


class TasksApp(WorkflowAppViewset):
    """The worklist (own tasks and the shared queue on one page) and the archive. Bulk
    assignment is off: taking on or handing back a task is an action on a case, audited one
    at a time."""

    inbox_view_class = WorklistView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    tasks_assign_path = None
    tasks_unassign_path = None
    menu_template_name = "casework/worklists/menu.html"

    @property
    def queue_path(self):
        # The shared queue is part of the worklist; its old address leads there.
        return path("queue/", RedirectView.as_view(pattern_name="workflow:inbox"), name="queue")

    def get_context_data(self, request):
        return {"worklist_counts": worklists.counts(request.user)}
