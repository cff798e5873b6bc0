"""What every write to a case shares: the lock, the transition and its audit event.

A service changes a case only inside ``locked_case``. That takes the workflow's lock on the
case's process row first (the same lock viewflow's task views take), then the case row, so
concurrent requests queue instead of interleaving. ``advance`` fires one FSM transition,
checks who may fire it (django-fsm leaves that to the caller), records who, when, from,
to and why, and ``workflow_sync`` then brings the case's open tasks into line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from django.db import DatabaseError, transaction
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from casework import audit, case_workflow, clock, deadlines, permissions
from casework.errors import CaseMoved, NotAllowed
from casework.models import CLOSED_STATUSES, Case, Status, User
from casework.vocabulary import status_label

from .referral_questions import ensure_answered_before_closing

# While a case is with the DSL, the LADO or another external process, it remembers the stage
# it will go back to (``paused_from``) and why it waits (``hold_reason``).
WAITING_FOR_SAFEGUARDING = frozenset(
    {Status.ON_HOLD_EXTERNAL, Status.SAFEGUARDING_REVIEW, Status.LADO_REFERRAL}
)


@contextmanager
def locked_case(case: Case | int) -> Iterator[Case]:
    """The case, freshly read and locked for the rest of the transaction."""
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        try:
            with case_workflow.installed().lock(case_id):
                # Its trust, subject and case manager come along (every step reads them,
                # the workflow's routing the manager), unlocked.
                cases = Case.objects.select_related("trust", "subject", "case_manager__user")
                yield cases.select_for_update(of=("self",)).get(pk=case_id)
        except case_workflow.WorkflowBusy:
            raise CaseMoved(
                "Someone else is updating this case right now. Wait a moment and try again."
            ) from None


def advance(
    case: Case,
    transition: str,
    *,
    by: User | None,
    why: str = "",
    details: dict | None = None,
    **arguments,
) -> None:
    """Fire one transition of the case's state machine and record it in the audit trail.

    ``by`` is None only for what Casework does by itself (routing a safeguarding concern
    on arrival, closing a case when its appeal window has passed).
    """
    method = getattr(case, transition)
    source = case.status
    ensure_allowed(case, transition, by=by)
    method(**arguments)
    if case.status in CLOSED_STATUSES:
        # However it closes, a case closes only once its referral questions are answered.
        ensure_answered_before_closing(case)
    if case.status not in WAITING_FOR_SAFEGUARDING:  # back at work, or closed
        case.paused_from = ""
        case.hold_reason = ""
    if case.status != Status.SAFEGUARDING_REVIEW:
        case.review_interrupted = ""
    case.stage_entered_at = clock.now()
    if case.status in CLOSED_STATUSES:
        case.closed_at = case.stage_entered_at
    case.action_due_on = deadlines.action_due_on(case)
    try:
        case.save()
    except (ConcurrentTransition, DatabaseError) as error:
        if isinstance(error, ConcurrentTransition):
            raise CaseMoved(
                "Someone else changed this case at the same moment. Nothing was changed; "
                "reload the case to see where it is now."
            ) from None
        raise
    audit.record(
        action="case.transition",
        case=case,
        actor=by,
        target=case,
        summary=f"{status_label(case, source)} → {status_label(case)}",
        details={
            "transition": transition,
            "from": source,
            "to": case.status,
            "why": why,
            **(details or {}),
        },
    )
    if case.status in CLOSED_STATUSES:
        _end_suspensions(case, by=by)


def take_on_if_unmanaged(case: Case, *, by: User) -> None:
    """The first HR case manager to act on a case with none runs it from then on (a concern
    that went straight to the DSL reaches HR only after the safeguarding review)."""
    if case.case_manager_id is None:
        case.case_manager = permissions.person_of(by)


def ensure_possible(case: Case, transition: str) -> None:
    """Refuse a step the case's status does not allow, before anything is written for it."""
    if not can_proceed(getattr(case, transition)):
        _moved_on(case)


def ensure_allowed(case: Case, transition: str, *, by: User | None) -> None:
    """Refuse a step the case's status does not allow, or ``by`` may not take."""
    ensure_possible(case, transition)
    if by is not None and not has_transition_perm(getattr(case, transition), by):
        raise NotAllowed("You are not the person who may take this step in this case.")


def ensure_at(case: Case, status: Status) -> None:
    """Refuse a decision taken at the wrong stage, even one whose transition is shared.

    Closing as "no case to answer", for instance, follows triage and the investigation
    report alike; each decision belongs to its own stage and carries that stage's checks.
    """
    if case.status != status:
        _moved_on(case)


def _moved_on(case: Case) -> NoReturn:
    raise CaseMoved(
        f"This case is at “{case.get_status_display()}”, where that step is not possible "
        "(someone may have moved it on). Nothing was changed."
    )


def _end_suspensions(case: Case, *, by: User | None) -> None:
    """A suspension ends when its case closes: nobody stays suspended on a closed case."""
    today = clock.today()
    for suspension in case.suspensions.filter(ended_on__isnull=True):
        suspension.ended_on = today
        suspension.end_reason = "The case closed."
        suspension.save(update_fields=["ended_on", "end_reason"])
        note(
            case,
            by=by,
            action="suspension.lifted",
            target=suspension,
            summary=f"Suspension ended on {today:%d %B %Y}: the case closed",
        )


def note(
    case: Case,
    *,
    by: User | None,
    action: str,
    summary: str,
    target=None,
    details: dict | None = None,
) -> None:
    """Record an action on a case that does not move it (a meeting, a suspension, ...)."""
    audit.record(
        action=action, case=case, actor=by, target=target or case, summary=summary, details=details
    )


def workflow_sync(case: Case, *, by: User | None, completes: str | None = None) -> None:
    """Bring the case's workflow tasks into line with its status (casework.case_workflow)."""
    case_workflow.installed().sync(case, actor=by, completes=completes)
