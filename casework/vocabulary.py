"""What the procedure's steps are called for the person a case is about.

A volunteer is not an employee (DOMAIN.md §2): their case concerns the volunteering
arrangement, so what an employee's case calls a disciplinary hearing is, for them, a
meeting about the volunteering arrangement, and nothing about their case speaks of the
disciplinary procedure, dismissal or warnings.
"""

from __future__ import annotations

from .models import AppealOutcome, Case, Hearing, Recommendation, Status

HEARING_NAMES = {
    (False, Hearing.Kind.DISCIPLINARY): "disciplinary hearing",
    (False, Hearing.Kind.APPEAL): "appeal hearing",
    (True, Hearing.Kind.DISCIPLINARY): "meeting about the volunteering arrangement",
    (True, Hearing.Kind.APPEAL): "appeal meeting",
}

# The stages whose names speak of a hearing, as a volunteer's case names them.
VOLUNTEER_STATUS_LABELS = {
    Status.HEARING_TO_ARRANGE: "Meeting to arrange",
    Status.HEARING_SCHEDULED: "Meeting scheduled",
    Status.APPEAL_HEARING: "Appeal meeting scheduled",
}


def hearing_name(case: Case, kind: str = Hearing.Kind.DISCIPLINARY, *, yours: bool = False) -> str:
    """e.g. "disciplinary hearing", or for a volunteer "meeting about the volunteering
    arrangement" ("about your volunteering arrangement" in a letter to them: ``yours``)."""
    name = HEARING_NAMES[(case.subject.is_volunteer, kind)]
    return name.replace("the volunteering", "your volunteering") if yours else name


def status_label(case: Case, status: str | None = None) -> str:
    """The name of a stage (the case's own, by default) as the case's subject would know it."""
    return stage_label(status or case.status, volunteer=case.subject.is_volunteer)


def stage_label(status: str, *, volunteer: bool) -> str:
    """The name of a stage as a member of staff, or a volunteer, would know it."""
    if volunteer and status in VOLUNTEER_STATUS_LABELS:
        return VOLUNTEER_STATUS_LABELS[status]
    return Status(status).label


VOLUNTEER_APPEAL_OUTCOMES = {
    AppealOutcome.UPHELD: "Original decision upheld",
    AppealOutcome.SANCTION_REDUCED: "Outcome made lighter",
    AppealOutcome.REVOKED: "Outcome withdrawn",
}


def appeal_outcome_label(case: Case, outcome: str) -> str:
    if case.subject.is_volunteer:
        return VOLUNTEER_APPEAL_OUTCOMES[outcome]
    return AppealOutcome(outcome).label


def appeal_outcome_choices(case: Case) -> list[tuple[str, str]]:
    return [(value, appeal_outcome_label(case, value)) for value in AppealOutcome.values]


def recommendation_label(case: Case, recommendation: str) -> str:
    """The investigating officer's recommendation, as the case's subject would know it."""
    if recommendation == Recommendation.HEARING and case.subject.is_volunteer:
        return "A meeting about the volunteering arrangement"
    return Recommendation(recommendation).label


def with_hearing_named(case: Case, choices) -> list[tuple[str, str]]:
    """Choices whose labels name "a disciplinary hearing", named for the case's subject."""
    name = hearing_name(case)
    return [(value, str(label).replace("disciplinary hearing", name)) for value, label in choices]
