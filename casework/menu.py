"""The menu's counts, shown on every page, read in one statement.

The menu says how many tasks wait for the person (their own, and in their role's queue),
how many notices they have (and how many are new) and, for HR, how much e-mail could not
be sent. Composed through the ORM these were seven queries and over 10 ms of Python on
every page, most of it building the same EXISTS conditions again; written out they are
one statement whose values alone change. ``tests/test_worklists.py`` checks the task
counts against the worklist's own query for every person of two trusts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import permissions
from .models import Case, DpoDecision, MailStatus, Notice, OutgoingMail, Trust, User
from .per_request import read_once

TaskCount = int | str  # a number, or "more than N" past ``CASEWORK_MENU_COUNT_LIMIT``


@dataclass(frozen=True)
class MenuCounts:
    mine: TaskCount = 0  # tasks held by the person
    queue: TaskCount = 0  # tasks in a queue open to them, on cases they are not too close to
    notices: int = 0
    unread_notices: int = 0
    failed_mail: int = 0  # counted for those who may see it, else 0


NOTHING = MenuCounts()


def menu_counts(user: User | None) -> MenuCounts:
    """This sign-in's counts, read once per request (the menu and the page both ask)."""
    if user is None or not user.is_authenticated:
        return NOTHING
    return read_once(user, "menu_counts", lambda: _read(user))


def _read(user: User) -> MenuCounts:
    person = permissions.person_of(user)
    if person is None:
        return NOTHING
    working = not person.has_left and user.is_active
    limit = settings.CASEWORK_MENU_COUNT_LIMIT
    tables = _Tables()
    # Each task joined to its case (either flow's), in the person's trust. Per task, not
    # as EXISTS: PostgreSQL would hash every case of the trust to answer EXISTS for a few
    # hundred tasks (170 ms at 100,000 cases, where this takes 2).
    of_trust = (
        f"{tables.task} t JOIN {tables.case} c ON c.id = COALESCE("
        f"(SELECT cp.case_id FROM {tables.case_process} cp WHERE cp.process_ptr_id = t.process_id),"
        f" (SELECT d.case_id FROM {tables.dpo_process} dp JOIN {tables.decision} d"
        f" ON d.id = dp.decision_id WHERE dp.process_ptr_id = t.process_id))"
        " WHERE c.trust_id = %s"
    )
    # The case is about the person, or they reported or witnessed it (no reporter: not).
    too_close = (
        "(c.subject_id = %s OR COALESCE(c.reporter_id = %s, FALSE) OR EXISTS (SELECT 1 FROM"
        f" {tables.witnesses} w WHERE w.case_id = c.id AND w.staffmember_id = %s))"
    )
    held = sorted(permissions.task_permissions(user))
    open_to_them = "t.owner_permission IS NULL" + (
        f" OR t.owner_permission IN ({', '.join(['%s'] * len(held))})" if held else ""
    )
    parts: list[str] = []
    params: list = []
    if working:
        parts.append(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {of_trust} AND t.owner_id = %s"
            " AND t.status = %s LIMIT %s) mine"
        )
        params += [person.trust_id, user.pk, STATUS.ASSIGNED.value, limit + 1]
        parts.append(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {of_trust} AND t.owner_id IS NULL"
            f" AND t.status = %s AND t.flow_task_type = %s AND ({open_to_them})"
            f" AND NOT {too_close} LIMIT %s) queue"
        )
        params += [
            person.trust_id,
            STATUS.NEW.value,
            "HUMAN",
            *held,
            person.pk,
            person.pk,
            person.pk,
            limit + 1,
        ]
    else:
        parts += ["SELECT 0", "SELECT 0"]
    parts.append(f"SELECT COUNT(*) FROM {tables.notice} WHERE recipient_id = %s")
    parts.append(
        f"SELECT COUNT(*) FROM {tables.notice} WHERE recipient_id = %s AND read_at IS NULL"
    )
    params += [person.pk, person.pk]
    if permissions.may_see_failed_mail(user):
        # As ``configuration.of_trust``: mail written before there were several trusts
        # carries none and is the first trust's.
        parts.append(
            f"SELECT COUNT(*) FROM {tables.mail} WHERE status = %s AND (trust_id = %s OR"
            f" (trust_id IS NULL AND NOT EXISTS (SELECT 1 FROM {tables.trust} WHERE id < %s)))"
        )
        params += [MailStatus.FAILED.value, person.trust_id, person.trust_id]
    else:
        parts.append("SELECT 0")
    sql = "SELECT " + ", ".join(f"({part})" for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        mine, queue, notices, unread, failed = cursor.fetchone()

    def bounded(found: int) -> TaskCount:
        return f"more than {limit}" if found > limit else found

    return MenuCounts(bounded(mine), bounded(queue), notices, unread, failed)


class _Tables:
    """The tables the statement reads, named as the models name them."""

    def __init__(self) -> None:
        name = connection.ops.quote_name
        self.task = name(Task._meta.db_table)
        self.case = name(Case._meta.db_table)
        self.witnesses = name(Case.witnesses.through._meta.db_table)
        self.case_process = name(Case._meta.get_field("process").related_model._meta.db_table)
        self.dpo_process = name(DpoDecision._meta.get_field("process").related_model._meta.db_table)
        self.decision = name(DpoDecision._meta.db_table)
        self.notice = name(Notice._meta.db_table)
        self.mail = name(OutgoingMail._meta.db_table)
        self.trust = name(Trust._meta.db_table)
