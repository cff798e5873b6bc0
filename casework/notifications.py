"""E-mails. They carry a reference, a task and a link, never the details of a case:
e-mail is forwarded, left open on screens and kept in places Casework cannot protect."""

from __future__ import annotations

import contextvars

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from . import permissions
from .models import Case, Role, RoleAssignment, User

# Who is acting while the workflow moves on: they need no e-mail about a task they just
# created for themselves.
acting_user: contextvars.ContextVar[User | None] = contextvars.ContextVar(
    "casework_acting_user", default=None
)


def _absolute(path: str) -> str:
    return f"{settings.CASEWORK_BASE_URL}{path}"


def _send(*, template: str, to: list[str], context: dict) -> None:
    if not to:
        return
    subject = render_to_string(f"casework/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"casework/email/{template}.txt", context)
    send_mail(subject, body, None, to, fail_silently=False)


def acknowledge_concern(case: Case) -> None:
    """Tell the reporter their concern arrived, with its reference, once it is saved."""
    from django.urls import reverse

    address = case.reporter.email
    context = {
        "reference": case.reference,
        "received_on": case.raised_at,
        "my_reports_url": _absolute(reverse("casework:my_reports")),
    }
    transaction.on_commit(lambda: _send(template="concern_received", to=[address], context=context))


def hr_recipients(case: Case) -> list[str]:
    """HR case managers free of a conflict in this case."""
    excluded = permissions.conflicted_ids(case)
    return sorted(
        a.person.user.email
        for a in RoleAssignment.objects.filter(role=Role.HR_CASE_MANAGER).select_related(
            "person__user"
        )
        if a.person_id not in excluded and a.person.can_sign_in
    )


def dpo_recipients(case: Case) -> list[User]:
    """The trust's Data Protection Officers free of a conflict in this case."""
    excluded = permissions.conflicted_ids(case)
    return [
        a.person.user
        for a in RoleAssignment.objects.filter(
            role=Role.DATA_PROTECTION_OFFICER, person__trust_id=case.subject.trust_id
        ).select_related("person__user")
        if a.person_id not in excluded and a.person.can_sign_in
    ]


def something_waits(*, recipients: list[User], path: str) -> None:
    """Tell people only that something waits for them in Casework, with a link, once the
    work is committed: no reference, no task, nothing that hints at what it is about."""
    addresses = sorted({user.email for user in recipients if user != acting_user.get()})
    context = {"url": _absolute(path)}
    transaction.on_commit(lambda: _send(template="something_waits", to=addresses, context=context))


def task_waiting(
    *,
    task_id: int,
    reference: str,
    title: str,
    path: str,
    owner: User | None,
    queue_recipients: list[str],
) -> None:
    """Tell whoever must act next that a task is waiting, once the work is committed."""
    if owner is not None and owner == acting_user.get():
        return
    recipients = [owner.email] if owner is not None else queue_recipients
    context = {
        "reference": reference,
        "title": title,
        "url": _absolute(path),
        "shared": owner is None,
    }

    def send_if_still_open():
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        if Task.objects.filter(pk=task_id, status__in=[STATUS.NEW, STATUS.ASSIGNED]).exists():
            _send(template="task_waiting", to=recipients, context=context)

    transaction.on_commit(send_if_still_open)
