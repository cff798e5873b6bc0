"""When the law calls for a referral question to the DBS or the TRA, and whether a case may
close with one unanswered. Reads only: the answers are recorded by ``services.referrals``,
whose docstring sets out the rules, and every closing transition checks
``ensure_answered_before_closing`` (``services.cases.advance``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from casework.errors import RuleBroken
from casework.models import (
    DISMISSALS,
    UPHELD_FINDINGS,
    Case,
    LadoOutcome,
    LadoReferral,
    ReferralBody,
    ReferralDecision,
    Sanction,
    Settlement,
    SettlementKind,
)

# LADO outcomes after which the harm is not established.
HARM_NOT_ESTABLISHED = (
    LadoOutcome.FALSE,
    LadoOutcome.MALICIOUS,
    LadoOutcome.UNFOUNDED,
    LadoOutcome.UNSUBSTANTIATED,
)


LEAVING_UNDER = {
    SettlementKind.SETTLEMENT_AGREEMENT: "a settlement agreement",
    SettlementKind.AGREED_DEPARTURE: "an agreed departure",
}


@dataclass(frozen=True)
class Question:
    """One referral question for one case: why it must be answered (empty: not yet called
    for) and the decision recorded, if any."""

    body: str
    why: str
    decision: ReferralDecision | None

    @property
    def label(self) -> str:
        return ReferralBody(self.body).label

    @property
    def outstanding(self) -> bool:
        return bool(self.why) and self.decision is None


@dataclass(frozen=True)
class _Records:
    """What the questions turn on, read once: the LADO's referral and any settlement."""

    lado: LadoReferral | None
    settlement: Settlement | None

    @classmethod
    def of(cls, case: Case) -> _Records:
        return cls(lado=_one_of(case, "lado_referral"), settlement=_one_of(case, "settlement"))


def _one_of(case: Case, name: str):
    """The case's single record ``name``, or None: as the case page read it with the case
    (``selectors.case_for``), or else from the database."""
    relation = Case._meta.get_field(name)
    if relation.is_cached(case):
        return relation.get_cached_value(case)
    return relation.related_model.objects.filter(case=case).first()


def _lado_substantiated(records: _Records) -> bool:
    return records.lado is not None and records.lado.outcome == LadoOutcome.SUBSTANTIATED


def concerns_harm_to_a_child(case: Case, records: _Records | None = None) -> bool:
    """The harm test, as this module's docstring states it."""
    lado = (records or _Records.of(case)).lado
    if lado is not None and lado.outcome not in HARM_NOT_ESTABLISHED:
        return True
    upheld = Q(hearing_finding__in=UPHELD_FINDINGS) | Q(
        hearing_finding="", investigation_finding__in=UPHELD_FINDINGS
    )
    return case.allegations.filter(upheld, clause__safeguarding=True).exists()


def _left(case: Case, records: _Records) -> str:
    """How the subject left while the case was open, if they did."""
    settlement = records.settlement
    if settlement is not None:
        return f"they are leaving under {LEAVING_UNDER[settlement.kind]}"
    if case.subject_resigned_on:
        return f"they resigned on {case.subject_resigned_on:%d %B %Y}, while the case was open"
    return ""


def dbs_question_due(case: Case, records: _Records | None = None) -> str:
    """Why the DBS question must be answered, or "" if the rules do not call for it (yet)."""
    records = records or _Records.of(case)
    if _lado_substantiated(records):
        return "the LADO found the allegation substantiated"
    if not concerns_harm_to_a_child(case, records):
        return ""
    if case.sanction in DISMISSALS:
        return "they were dismissed in a case about harm to a child"
    if case.sanction == Sanction.VOLUNTEERING_ENDED:
        return "their volunteering was ended in a case about harm to a child"
    left = _left(case, records)
    return f"{left}, in a case about harm to a child" if left else ""


def tra_question_due(case: Case, records: _Records | None = None) -> str:
    """Why the TRA question must be considered, or "" if the rules do not call for it (yet)."""
    if not case.subject.is_teacher:
        return ""
    if case.sanction in DISMISSALS:
        return "a teacher was dismissed for misconduct"
    records = records or _Records.of(case)
    left = _left(case, records)
    if left:
        return f"they are a teacher and {left}"
    if _lado_substantiated(records):
        return "the LADO found the allegation against a teacher substantiated"
    return ""


def bodies_for(case: Case) -> list[str]:
    """The bodies a referral about this person could go to: the TRA only for a teacher."""
    return [ReferralBody.DBS, ReferralBody.TRA] if case.subject.is_teacher else [ReferralBody.DBS]


def current_decision(case: Case, body: str) -> ReferralDecision | None:
    return case.referral_decisions.filter(body=body).order_by("-recorded_at", "-id").first()


def referral_questions(
    case: Case, *, decisions: list[ReferralDecision] | None = None
) -> list[Question]:
    """The case's referral questions: why each is due, and what was decided.

    ``decisions``: the case's referral decisions, oldest first, if already read."""
    due = {ReferralBody.DBS: dbs_question_due, ReferralBody.TRA: tra_question_due}
    records = _Records.of(case)
    if decisions is None:
        decisions = list(case.referral_decisions.order_by("recorded_at", "id"))
    latest: dict[str, ReferralDecision] = {}
    for decision in reversed(decisions):
        latest.setdefault(decision.body, decision)
    return [
        Question(body=body, why=due[body](case, records), decision=latest.get(body))
        for body in bodies_for(case)
    ]


def outstanding_questions(case: Case) -> list[Question]:
    return [question for question in referral_questions(case) if question.outstanding]


def ensure_answered_before_closing(case: Case) -> None:
    """A case cannot close while a referral question the rules call for is unanswered."""
    outstanding = outstanding_questions(case)
    if outstanding:
        asked = "; ".join(f"the {q.label} referral decision ({q.why})" for q in outstanding)
        raise RuleBroken(
            f"This case cannot close until HR records {asked}: a referral made, with its date "
            "and reference, or not made, with the reasons. Nothing was changed."
        )
