"""The headteacher's sign-off: no outcome letter goes out before it."""

from __future__ import annotations

from casework import permissions, responsibility
from casework.errors import RuleBroken
from casework.models import Case, SignOff, User

from .cases import advance, locked_case, workflow_sync


def sign_off_outcome(*, case: Case, by: User, approve: bool, comments: str = "") -> Case:
    """Approve the chair's outcome, or return it to the chair with comments."""
    with locked_case(case) as case:
        if not approve and not comments.strip():
            raise RuleBroken("Say what the chair should reconsider.")
        # The transition first: it checks the stage and that ``by`` is the signing authority.
        advance(
            case,
            "approve_outcome" if approve else "return_to_chair",
            by=by,
            why=comments.strip() or "Outcome approved",
            details={"sanction": case.sanction},
        )
        person = permissions.person_of(by)
        SignOff.objects.create(
            case=case,
            signed_by=person,
            role_title=responsibility.signing_role_title(case, person),
            approved=approve,
            comments=comments.strip(),
            sanction=case.sanction,
        )
        workflow_sync(case, by=by, completes="sign_off")
        return case
