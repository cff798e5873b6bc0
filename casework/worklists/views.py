"""The worklist page: the task application's inbox, with Casework's columns.

Built on viewflow's task list view, so the task application's menu, permissions and
address stay as they were; its columns are this view's methods (viewflow's column
extension point) and its template lays them out for a phone as well as a desk.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.functional import cached_property
from viewflow.workflow.flow.views.list import WorkflowTaskListView
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.paging import BoundedPaginator
from casework.selectors import actor_name

from . import selectors
from .forms import WorklistFilterForm


class WorklistPaginator(BoundedPaginator):
    """Counts as far as the menu's counts do: the worklist is those tasks, laid out."""

    @cached_property
    def limit(self) -> int:
        return settings.CASEWORK_MENU_COUNT_LIMIT


class WorklistView(WorkflowTaskListView):
    """My tasks: the person's own tasks and their role's shared queue, on one page."""

    template_name = "casework/worklists/worklist.html"
    title = "My tasks"
    paginate_by = 25
    paginator_class = WorklistPaginator  # counts only so far, however long the list
    bulk_actions = ()  # one task at a time, through the audited claim
    columns = ("case_reference", "person", "school", "task", "holder", "due", "marks")
    filterset_class = None

    def get_ordering(self):
        return None  # the worklist's own order: most urgent first

    def dispatch(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        self.filter_form = WorklistFilterForm(
            request.GET or None,
            trust=permissions.trust_of(request.user),
            task_kinds=selectors.task_kinds(self.flow_classes),
        )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.worklist(
            self.request.user,
            flow_classes=self.flow_classes,
            today=self.today,
            **self.filter_form.filters(),
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not any(self.filter_form.filters().values()):
            # Every task of theirs: the menu has counted them already, with this request.
            counted = selectors.counts(self.request.user).values()
            paginator.count = (
                sum(counted) if all(isinstance(n, int) for n in counted) else paginator.limit + 1
            )
        return paginator

    # --- columns ---------------------------------------------------------------------

    def _case(self, task):
        process = task.process
        if hasattr(process, "caseprocess"):
            return process.caseprocess.case
        return None

    def case_reference(self, task):
        return task.case_reference

    case_reference.short_description = "Case"

    def person(self, task):
        # A DPO decision's task names nobody: the DPO has no part in the case itself.
        case = self._case(task)
        return case.subject.full_name if case else ""

    person.short_description = "Person concerned"

    def school(self, task):
        case = self._case(task)
        if case is None:
            return ""
        return case.school.name if case.school_id else "Trust central team"

    school.short_description = "School"

    def task(self, task):
        case = self._case(task)
        node = task.flow_task
        title_for = getattr(node, "title_for", None)
        return title_for(case) if (case and title_for) else str(node.task_title)

    task.short_description = "Task"

    def holder(self, task):
        if task.owner_id is None:
            return "Shared queue"
        if task.owner_id == self.request.user.pk:
            return "You"
        return actor_name(task.owner)

    holder.short_description = "Held by"

    def due(self, task):
        case = self._case(task)
        return self.calendars.due(
            task.due_on, school_id=case.school_id if case else None, today=self.today
        )

    due.short_description = "Due"

    def marks(self, task):
        case = self._case(task)
        due = self.due(task)
        return {
            "overdue": due.overdue,
            "safeguarding": bool(case and case.safeguarding),
            "data_protection": task.is_decision or bool(case and case.data_protection),
        }

    marks.short_description = "Marks"

    # --- rows ------------------------------------------------------------------------

    def rows(self, page):
        tasks = selectors.in_full(list(page))
        self.calendars = selectors.Calendars(
            (case.school_id for case in map(self._case, tasks) if case is not None),
            trust_id=permissions.trust_of(self.request.user),
        )
        for task in tasks:
            node = task.flow_task
            yield {
                "task": task,
                "url": node.reverse("index", args=[task.process_id, task.pk]),
                "claim_url": node.reverse("assign", args=[task.process_id, task.pk])
                if task.status == STATUS.NEW
                else None,
                **{name: getattr(self, name)(task) for name in self.columns},
            }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter_form=self.filter_form,
            rows=list(self.rows(context["page_obj"])),
            query=self._query_without_page(),
            is_hr=permissions.is_hr(self.request.user),
        )
        return context

    def _query_without_page(self) -> str:
        query = self.request.GET.copy()
        query.pop("page", None)
        return query.urlencode()
