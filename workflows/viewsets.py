"""viewflow's pages for the case flow, without the ones that would list every case.

viewflow's own process list, dashboard and process pages show every process to anyone with
the flow's view permission. Casework's register and case page filter by need to know, so
those addresses lead there instead; the inbox, queue, archive and task pages stay.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.views import View
from django.views.generic import RedirectView
from viewflow import viewprop
from viewflow.workflow.flow import FlowViewset, WorkflowAppViewset
from viewflow.workflow.flow.views import WorkflowInboxListView, WorkflowQueueListView

from casework import addresses, permissions  # noqa: F401 (addresses: the <id:…> parts below)
from casework.models import Case

from .models import CaseProcess


class CaseOfProcessView(View):
    """A process's own page is its case's page, for those who may see the case."""

    def get(self, request, process_pk):
        process = CaseProcess.objects.select_related("case").filter(pk=process_pk).first()
        if process is None or not permissions.can_view_case(request.user, process.case):
            raise Http404("No case found.")
        return redirect("casework:case", process.case.reference)


class CaseFlowViewset(FlowViewset):
    index_path = path("", RedirectView.as_view(pattern_name="casework:register"), name="index")
    process_list_path = path(
        "flows/", RedirectView.as_view(pattern_name="casework:register"), name="process_list"
    )
    task_list_path = path(
        "tasks/", RedirectView.as_view(pattern_name="workflow:inbox"), name="task_list"
    )
    process_detail_path = path(
        "<id:process_pk>/", CaseOfProcessView.as_view(), name="process_detail"
    )
    flow_chart_path = path(
        "<id:process_pk>/chart/", CaseOfProcessView.as_view(), name="process_chart"
    )
    process_cancel_path = None  # a case is withdrawn, never its workflow cancelled


class InboxView(WorkflowInboxListView):
    bulk_actions = ()  # one task at a time, through the audited assign and unassign pages


class QueueView(WorkflowQueueListView):
    bulk_actions = ()

    @viewprop
    def queryset(self):
        """The shared queue, less the cases this person is too close to (reporter, witness):
        they may not know those cases are being worked on."""
        person = permissions.person_of(self.request.user)
        tasks = super().queryset
        if person is None:
            return tasks
        return tasks.exclude(
            process__caseprocess__case__in=Case.objects.involving(person).values("pk")
        )


class TasksApp(WorkflowAppViewset):
    """Inbox, queue and archive. Bulk assignment is off: taking on or handing back a task
    is an action on a case, audited one at a time."""

    inbox_view_class = InboxView
    queue_view_class = QueueView
    tasks_assign_path = None
    tasks_unassign_path = None
