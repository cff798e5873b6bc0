"""E-mails. Every one says only that something is waiting in Casework, with a link, and
nothing else: no task, no case reference, no names. E-mail is forwarded, left open on
screens, previewed in mailbox lists and kept in places Casework cannot protect, and "Refer
to the LADO" in a subject line would tell anyone glancing at it that a safeguarding case
exists. The link is opaque too: it names neither the task nor the case, and leads, once
the person has signed in, to the page they may see (workflows.viewsets.WaitingView).

Nothing here talks to the mail server: each e-mail is queued with the work it tells of and
sent by the mail worker once that work is committed (casework.mail).
"""

from __future__ import annotations

import contextvars

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from . import mail, permissions
from .models import Case, Role, RoleAssignment, User

# Who is acting while the workflow moves on: they need no e-mail about a task they just
# created for themselves.
acting_user: contextvars.ContextVar[User | None] = contextvars.ContextVar(
    "casework_acting_user", default=None
)

_LINK_SALT = "casework.notifications.waiting"
# What a link can lead to: a task, a report to its reporter, a case to someone who may see it.
WAITING_KINDS = ("task", "report", "case")


def waiting_token(kind: str, pk: int) -> str:
    """A signed token standing for one thing waiting for someone; it says nothing itself."""
    if kind not in WAITING_KINDS:
        raise ValueError(f"Nothing of kind {kind!r} waits in Casework.")
    return signing.dumps([kind, pk], salt=_LINK_SALT, compress=False)


def waiting_link(kind: str, pk: int) -> str:
    """The absolute address of an opaque link to one thing waiting for someone."""
    return f"{settings.CASEWORK_BASE_URL}{reverse('waiting', args=[waiting_token(kind, pk)])}"


def waiting_item(token: str) -> tuple[str, int]:
    """What a link from ``waiting_link`` leads to; ValueError if it is not one."""
    try:
        kind, pk = signing.loads(token, salt=_LINK_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        raise ValueError("Not a Casework link.") from None
    if kind not in WAITING_KINDS or not isinstance(pk, int):
        raise ValueError("Not a Casework link.")
    return kind, pk


def something_waiting(*, to: list[str], link: str, case: Case | None = None) -> None:
    """Queue the one e-mail Casework sends: something waits for you, here is the link. It
    goes out once the work in hand is committed; ``case`` is what it concerns, for the
    audit trail should it never be sent."""
    if not to:
        return
    context = {"url": link}
    subject = render_to_string("casework/email/waiting_subject.txt", context).strip()
    body = render_to_string("casework/email/waiting.txt", context)
    mail.send_after_commit(to=to, subject=subject, body=body, case=case)


def acknowledge_concern(case: Case) -> None:
    """Tell the reporter, once the concern is saved, that its receipt waits for them; the
    page it leads to gives the reference (never in the e-mail: it would show that they
    raised a concern)."""
    address = case.reporter.email
    link = waiting_link("report", case.pk)
    something_waiting(to=[address], link=link, case=case)


def hr_recipients(case: Case) -> list[str]:
    """The case's trust's HR case managers free of a conflict in it."""
    excluded = permissions.conflicted_ids(case)
    return sorted(
        a.person.user.email
        for a in RoleAssignment.objects.filter(
            role=Role.HR_CASE_MANAGER, person__trust_id=case.trust_id
        ).select_related("person__user")
        if a.person_id not in excluded and a.person.can_sign_in
    )


def dpo_recipients(case: Case) -> list[User]:
    """The trust's Data Protection Officers free of a conflict in this case."""
    excluded = permissions.conflicted_ids(case)
    return [
        a.person.user
        for a in RoleAssignment.objects.filter(
            role=Role.DATA_PROTECTION_OFFICER, person__trust_id=case.trust_id
        ).select_related("person__user")
        if a.person_id not in excluded and a.person.can_sign_in
    ]


def something_waits(*, recipients: list[User], path: str, case: Case | None = None) -> None:
    """Tell people, once the work is committed, that something waits for them at ``path``
    (a page that itself names nothing, such as their notices)."""
    addresses = sorted({user.email for user in recipients if user != acting_user.get()})
    link = f"{settings.CASEWORK_BASE_URL}{path}"
    something_waiting(to=addresses, link=link, case=case)


def task_waiting(
    *, task_id: int, owner: User | None, queue_recipients: list[str], case: Case | None = None
) -> None:
    """Tell whoever must act next that a task is waiting, once the work is committed (and
    only if the task is still open by then)."""
    if owner is not None and owner == acting_user.get():
        return
    recipients = [owner.email] if owner is not None else queue_recipients
    link = waiting_link("task", task_id)

    def send_if_still_open():
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        if Task.objects.filter(pk=task_id, status__in=[STATUS.NEW, STATUS.ASSIGNED]).exists():
            something_waiting(to=recipients, link=link, case=case)

    transaction.on_commit(send_if_still_open, robust=True)
