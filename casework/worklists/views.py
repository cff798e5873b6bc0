"""The worklist and the archive: the task application's inbox and archive, with Casework's
columns.

Built on viewflow's task list view, so the task application's menu, permissions and
addresses stay as they were; its columns are this view's methods (viewflow's column
extension point) and their templates lay them out for a phone as well as a desk.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.functional import cached_property
from viewflow.workflow.flow.views.list import WorkflowTaskListView
from viewflow.workflow.flow.views.mixins import StoreRequestPathMixin
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.paging import BoundedPaginator

from . import forms, selectors

PINNED_LIST = "vf-pin-location"  # viewflow's session key (StoreRequestPathMixin)


class WorklistPaginator(BoundedPaginator):
    """Counts as far as the menu's counts do: the worklist is those tasks, laid out."""

    @cached_property
    def limit(self) -> int:
        return settings.CASEWORK_MENU_COUNT_LIMIT


class TaskListPage(WorkflowTaskListView):
    """A list of tasks laid out as Casework's table: a page of the selector's tasks, each
    read as one row with its case (``selectors.in_full``)."""

    paginate_by = 25
    bulk_actions = ()  # one task at a time, through the audited claim
    filterset_class = None
    filter_form_class = forms.TaskFilterForm

    def get_ordering(self):
        return None  # the selector's own order

    def dispatch(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        self.filter_form = self.filter_form_class(
            request.GET or None, **self.get_filter_form_kwargs()
        )
        # viewflow pins the list's address in the session, for a task's way back to it; it
        # is written when it changes, not on every view (each write is a transaction).
        here = request.get_full_path()
        if request.session.get(PINNED_LIST) != here:
            request.session[PINNED_LIST] = here
        return super(StoreRequestPathMixin, self).dispatch(request, *args, **kwargs)

    def get_filter_form_kwargs(self) -> dict:
        return {"task_kinds": selectors.task_kinds(self.flow_classes)}

    # --- columns: each reads a row of ``selectors.in_full`` -------------------------

    def case_reference(self, row):
        return row.case_reference

    case_reference.short_description = "Case"

    def person(self, row):
        # A DPO decision's task names nobody: the DPO has no part in the case itself.
        return row.subject_name if row.has_case else ""

    person.short_description = "Person concerned"

    def school(self, row):
        if not row.has_case:
            return ""
        return row.school_name if row.school_id else "Trust central team"

    school.short_description = "School"

    def task(self, row):
        title_for_subject = getattr(row.node, "title_for_subject", None)
        if row.has_case and title_for_subject:
            return title_for_subject(volunteer=row.subject_is_volunteer)
        return str(row.node.task_title)

    task.short_description = "Task"

    # --- rows ------------------------------------------------------------------------

    def rows(self, page):
        rows = selectors.in_full(page)
        self.before_rows(rows)
        for row in rows:
            yield {
                "url": row.node.reverse("index", args=[row.process_id, row.pk]),
                **self.row_links(row),
                **{name: getattr(self, name)(row) for name in self.columns},
            }

    def before_rows(self, rows) -> None:
        """Read, once for the page, what the rows' columns need beyond the tasks."""

    def row_links(self, row) -> dict:
        return {}

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


class WorklistView(TaskListPage):
    """My tasks: the person's own tasks and their role's shared queue, on one page."""

    template_name = "casework/worklists/worklist.html"
    title = "My tasks"
    paginator_class = WorklistPaginator  # counts only so far, however long the list
    columns = ("case_reference", "person", "school", "task", "holder", "due", "marks")
    filter_form_class = forms.WorklistFilterForm

    def get_filter_form_kwargs(self) -> dict:
        trust = permissions.trust_of(self.request.user)
        return {**super().get_filter_form_kwargs(), "trust": trust}

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

    def holder(self, row):
        if row.owner_id is None:
            return "Shared queue"
        if row.owner_id == self.request.user.pk:
            return "You"
        return row.owner_name

    holder.short_description = "Held by"

    def due(self, row):
        school_id = row.school_id if row.has_case else None
        return self.calendars.due(row.due_on, school_id=school_id, today=self.today)

    due.short_description = "Due"

    def marks(self, row):
        return {
            "overdue": self.due(row).overdue,
            "safeguarding": row.has_case and row.safeguarding,
            "data_protection": row.is_decision or (row.has_case and row.data_protection),
        }

    marks.short_description = "Marks"

    def before_rows(self, rows) -> None:
        self.calendars = selectors.Calendars(
            (row.school_id for row in rows if row.has_case),
            trust_id=permissions.trust_of(self.request.user),
        )

    def row_links(self, row) -> dict:
        if row.status != STATUS.NEW:
            return {"claim_url": None}
        return {"claim_url": row.node.reverse("assign", args=[row.process_id, row.pk])}


class ArchiveView(TaskListPage):
    """Tasks you have done: the person's finished tasks, the newest first."""

    template_name = "casework/worklists/archive.html"
    title = "Tasks you have done"
    paginator_class = BoundedPaginator
    columns = ("case_reference", "person", "school", "task", "done")
    filter_form_class = forms.ArchiveFilterForm

    def get_queryset(self):
        return selectors.archive(
            self.request.user, flow_classes=self.flow_classes, **self.filter_form.filters()
        )

    def done(self, row):
        return timezone.localtime(row.finished)

    done.short_description = "Done"
