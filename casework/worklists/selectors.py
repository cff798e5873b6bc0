"""Reads for the worklist: the tasks a person may act on, most urgent first.

One page of a worklist is three queries whatever its length: the count, the page of tasks
(each joined to its case, person concerned, school and holder) and the school closure days
the working days are counted with.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.menu import menu_counts
from casework.models import Case as CaseRecord
from casework.models import ClosureDay, StaffMember, User, name_shown
from casework.workdays import Calendar

# The case a task is about, reached through either flow's process.
CASE_ID = Coalesce(F("process__caseprocess__case_id"), F("process__dpoprocess__decision__case_id"))
CASE_REFERENCE = Coalesce(
    F("process__caseprocess__case__reference"),
    F("process__dpoprocess__decision__case__reference"),
)


# How far back the archive looks, by when a task was finished (days; "" for always).
DONE_CHOICES = (
    ("", "Any time"),
    ("7", "In the last 7 days"),
    ("31", "In the last month"),
    ("365", "In the last year"),
)

DUE_CHOICES = (
    ("", "Any time"),
    ("overdue", "Overdue"),
    ("today", "Due today or overdue"),
    ("week", "Due within 5 working days"),
)


@dataclass(frozen=True)
class TaskKind:
    ref: str
    title: str


def task_kinds(flow_classes) -> list[TaskKind]:
    """The kinds of task a worklist may hold, for its filter: every person's task node."""
    kinds = []
    for flow_class in flow_classes:
        for node in flow_class.instance.nodes():
            if getattr(node, "task_type", "") == "HUMAN":
                kinds.append(TaskKind(get_task_ref(node), str(node.task_title)))
    return kinds


def _too_close(person) -> Q:
    """The task's case is about this person, or they reported or witnessed it: on the
    columns of the case the worklist joins anyway. As an EXISTS over the case table it took
    PostgreSQL 8 ms more to plan than this, on every worklist page."""
    witnessed = Exists(
        CaseRecord.witnesses.through.objects.filter(case_id=OuterRef("case_id"), staffmember=person)
    )
    # Never NULL under the negation: every case has both, and the trust filter keeps only
    # tasks that have a case.
    return Q(case_subject=person.pk) | Q(case_reporter=person.pk) | Q(witnessed)


def _queue_condition(user: User, person) -> Q:
    """viewflow's shared-queue rule (a task open to a permission this person holds), less the
    cases they are too close to (the worklist keeps to their own trust's tasks)."""
    held = permissions.task_permissions(user)
    open_to_them = Q(owner_permission__isnull=True) | Q(owner_permission__in=held)
    return (
        Q(status=STATUS.NEW, owner__isnull=True, flow_task_type="HUMAN")
        & open_to_them
        & ~_too_close(person)
    )


CASE_SUBJECT = Coalesce(
    F("process__caseprocess__case__subject_id"),
    F("process__dpoprocess__decision__case__subject_id"),
)
CASE_REPORTER = Coalesce(
    F("process__caseprocess__case__reporter_id"),
    F("process__dpoprocess__decision__case__reporter_id"),
)


# When the task is due: its DPO decision's deadline, or its case's next action's.
DUE_ON = Coalesce(
    TruncDate("process__dpoprocess__decision__due_at"),
    F("process__caseprocess__case__action_due_on"),
)
# The trust whose work a task is, through the joins the worklist makes anyway.
CASE_TRUST = Coalesce(
    F("process__caseprocess__case__trust_id"),
    F("process__dpoprocess__decision__case__trust_id"),
)


def worklist(
    user: User,
    *,
    flow_classes=None,
    school=None,
    task: str = "",
    due: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Task]:
    """The tasks this person may act on: their own, and those waiting in their role's queue.

    Safeguarding and overdue first (both, then either), then by due date, then the oldest.
    ``flow_classes`` narrows it to those flows' tasks; by default, every flow's.

    Only which tasks, in which order: ``in_full`` reads a page of them with all a row
    shows. Ordering thousands of tasks joined to everything a row shows, PostgreSQL
    misjudged the joins past its join limit and took seconds; ordering them on the few
    joins the order needs, then reading 25 tasks whole, takes milliseconds.
    """
    person = permissions.person_of(user)
    if person is None or person.has_left or not user.is_active:
        return Task.objects.none()
    today = today or timezone.localdate()
    tasks = Task.objects.all()
    if flow_classes is not None:
        tasks = tasks.filter(process__flow_class__in=list(flow_classes))
    # Aliases, not annotations: the query orders and filters by them but selects only the
    # ids, so their joins are not computed once more per row.
    tasks = (
        tasks.alias(
            case_id=CASE_ID,
            case_trust=CASE_TRUST,
            case_subject=CASE_SUBJECT,
            case_reporter=CASE_REPORTER,
            due_on=DUE_ON,
        )
        # Only the person's own trust's work, whether theirs or in the queue.
        .filter(case_trust=person.trust_id)
        .filter(Q(owner=user, status=STATUS.ASSIGNED) | _queue_condition(user, person))
    )
    if school is not None:
        tasks = tasks.filter(process__caseprocess__case__school=school)
    if task:
        tasks = tasks.filter(flow_task=task)
    if due == "overdue":
        tasks = tasks.filter(due_on__lt=today)
    elif due == "today":
        tasks = tasks.filter(due_on__lte=today)
    elif due == "week":
        tasks = tasks.filter(
            due_on__lte=Calendar(trust_id=person.trust_id).add_working_days(today, 5)
        )
    safeguarding = Q(process__caseprocess__case__safeguarding=True)
    overdue = Q(due_on__lt=today)
    urgency = Case(
        When(safeguarding & overdue, then=Value(2)),
        When(safeguarding | overdue, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        tasks.alias(urgency=urgency)
        .order_by("-urgency", F("due_on").asc(nulls_last=True), "created", "pk")
        .only("pk")
    )


@dataclass(frozen=True)
class TaskRow:
    """One task as a task list shows it: the task, its case, the person concerned, the
    school and who holds it. A DPO decision's task has its case's reference, nothing more."""

    pk: int
    process_id: int
    node: object  # the flow's node: its title and its task's addresses
    status: str
    owner_id: int | None
    owner_name: str
    finished: datetime.datetime | None
    due_on: datetime.date | None
    is_decision: bool
    case_reference: str | None
    subject_name: str
    subject_is_volunteer: bool
    school_id: int | None
    school_name: str
    safeguarding: bool
    data_protection: bool

    @property
    def has_case(self) -> bool:
        """The task is a step of a case's own flow (not a DPO decision's)."""
        return not self.is_decision and self.case_reference is not None


_CASE = "process__caseprocess__case__"
ROW_VALUES = {
    "pk": "pk",
    "process_id": "process_id",
    "node": "flow_task",
    "status": "status",
    "owner_id": "owner_id",
    "finished": "finished",
    "case_reference": "case_reference",
    "due_on": "due_on",
    "is_decision": "is_decision",
    "first_name": f"{_CASE}subject__first_name",
    "last_name": f"{_CASE}subject__last_name",
    "kind": f"{_CASE}subject__kind",
    "school_id": f"{_CASE}school_id",
    "school_name": f"{_CASE}school__name",
    "safeguarding": f"{_CASE}safeguarding",
    "data_protection": f"{_CASE}data_protection",
    "owner_first_name": "owner__staff_member__first_name",
    "owner_last_name": "owner__staff_member__last_name",
    "owner_user_name": "owner__first_name",
    "owner_user_last_name": "owner__last_name",
    "owner_email": "owner__email",
}


def in_full(tasks) -> list[TaskRow]:
    """These tasks (a page of ``worklist`` or ``archive``), in the same order, as rows: one
    query, read as values. Reading them as eleven related models each took a
    millisecond a row, more than the rest of the page."""
    wanted = [task.pk for task in tasks]
    found = {
        values["pk"]: _row(values)
        for values in Task.objects.filter(pk__in=wanted)
        .annotate(
            case_reference=CASE_REFERENCE,
            due_on=DUE_ON,
            is_decision=ExpressionWrapper(
                Q(process__dpoprocess__isnull=False), output_field=BooleanField()
            ),
        )
        .order_by()
        .values(*ROW_VALUES.values())
    }
    return [found[pk] for pk in wanted if pk in found]


def _row(values: dict) -> TaskRow:
    named = {name: values[field] for name, field in ROW_VALUES.items()}
    has_owner_record = named["owner_first_name"] is not None
    owner_name = name_shown(
        staff_name=f"{named['owner_first_name']} {named['owner_last_name']}"
        if has_owner_record
        else None,
        account_name=f"{named['owner_user_name'] or ''} {named['owner_user_last_name'] or ''}",
        email=named["owner_email"] or "",
    )
    has_subject = named["first_name"] is not None
    return TaskRow(
        pk=named["pk"],
        process_id=named["process_id"],
        node=named["node"],
        status=named["status"],
        owner_id=named["owner_id"],
        owner_name=owner_name,
        finished=named["finished"],
        due_on=named["due_on"],
        is_decision=named["is_decision"],
        case_reference=named["case_reference"],
        subject_name=f"{named['first_name']} {named['last_name']}" if has_subject else "",
        subject_is_volunteer=named["kind"] == StaffMember.Kind.VOLUNTEER,
        school_id=named["school_id"],
        school_name=named["school_name"] or "",
        safeguarding=bool(named["safeguarding"]),
        data_protection=bool(named["data_protection"]),
    )


def archive(
    user: User, *, flow_classes=None, task: str = "", done: str = "", now=None
) -> QuerySet[Task]:
    """The tasks this person has done, the newest first: only which, in which order, on the
    archive's index; ``in_full`` reads a page of them whole."""
    tasks = Task.objects.filter(owner=user, flow_task_type="HUMAN", finished__isnull=False)
    if flow_classes is not None:
        tasks = tasks.filter(process__flow_class__in=list(flow_classes))
    if task:
        tasks = tasks.filter(flow_task=task)
    if done:
        since = (now or timezone.now()) - datetime.timedelta(days=int(done))
        tasks = tasks.filter(finished__gte=since)
    return tasks.order_by("-created", "-pk").only("pk")


def counts(user: User) -> dict[str, int | str]:
    """How many tasks wait for this person, every flow's: their own, and in their queue.

    Each stops at ``CASEWORK_MENU_COUNT_LIMIT``: past it the menu says "more than" that,
    and a person with many tasks costs no more than one with some. Read with the rest of
    the menu's counts (``casework.menu``), in one statement."""
    found = menu_counts(user)
    return {"mine": found.mine, "queue": found.queue}


# --- Rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    on: datetime.date | None
    working_days: int  # left (0 on the day), or overdue by, counted in working days
    overdue: bool

    @property
    def text(self) -> str:
        if self.on is None:
            return ""
        if self.overdue:
            n = self.working_days
            return f"overdue by {n} working day{'s' if n != 1 else ''}"
        if self.working_days == 0:
            return "due today"
        n = self.working_days
        return f"in {n} working day{'s' if n != 1 else ''}"


class Calendars:
    """Working-day calendars for the schools of one page, their closure days read at once."""

    def __init__(self, school_ids, *, trust_id: int | None):
        closures: dict[int | None, set[datetime.date]] = {}
        ids = {i for i in school_ids if i is not None}
        for school_id, day in ClosureDay.objects.filter(
            Q(trust_id=trust_id, school__isnull=True) | Q(school_id__in=ids)
        ).values_list("school_id", "date"):
            closures.setdefault(school_id, set()).add(day)
        self._calendars = {}
        for school_id in ids | {None}:
            calendar = Calendar(trust_id=trust_id, school_id=school_id)
            # Calendar reads its closures lazily; these are the same rows, read once.
            calendar._closures = closures.get(None, set()) | closures.get(school_id, set())
            self._calendars[school_id] = calendar

    def due(self, on: datetime.date | None, *, school_id: int | None, today: datetime.date) -> Due:
        if on is None:
            return Due(None, 0, False)
        calendar = self._calendars[school_id]
        if on < today:
            return Due(on, calendar.working_days_between(on, today), True)
        return Due(on, calendar.working_days_between(today, on), False)
