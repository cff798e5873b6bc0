"""Looking at the consistency view is audited, and only the chair and the signer may."""

from __future__ import annotations

from casework import permissions
from casework.errors import NotAllowed
from casework.models import Case, Status, User
from casework.oversight import consistency

from .cases import note

# Where each of them decides: the chair at the hearing (or when the outcome comes back to
# them), the signer while the outcome awaits sign-off.
CHAIR_DECIDES = (Status.HEARING_SCHEDULED, Status.RETURNED_TO_CHAIR)
SIGNER_DECIDES = (Status.AWAITING_SIGN_OFF,)


def look_at_prior_outcomes(*, case: Case, by: User) -> consistency.PriorOutcomes:
    """The trust's earlier outcomes for this case's clauses, for the hearing chair deciding
    it or whoever signs the outcome off; each look goes in the audit trail."""
    chair = case.status in CHAIR_DECIDES and permissions.may_chair_hearing(case, by)
    signer = case.status in SIGNER_DECIDES and permissions.may_sign_off(case, by)
    if not (chair or signer):
        raise NotAllowed(
            "Earlier outcomes are shown only to the hearing chair deciding this case and to "
            "whoever signs its outcome off, while they do."
        )
    outcomes = consistency.prior_outcomes(case)
    note(
        case,
        by=by,
        action="viewed.prior_outcomes",
        summary="Earlier outcomes for the same clauses viewed (advisory)"
        if outcomes.shown
        else "Earlier outcomes looked for: too few earlier cases to show any",
        details={
            "clauses": list(outcomes.clauses),
            "as": "chair" if chair else "signer",
            "shown": outcomes.shown,
            "prior_cases": outcomes.prior_cases,
        },
    )
    return outcomes
