"""Referrals to the Disclosure and Barring Service and the Teaching Regulation Agency, and
settlements: when the law calls for each question, and recording the answers.

When each question must be answered (DOMAIN.md §4, after KCSIE Part 4):

* **DBS** (Safeguarding Vulnerable Groups Act 2006, s35). Referring is a legal duty when
  someone is removed from regulated activity, or would have been, because they harmed a
  child or posed a risk of harm. So the question must be answered when the case concerns
  harm to a child and the person was removed or left before they could be:

  - *harm to a child*: the DSL found the harm threshold met (the case went to the LADO)
    and the LADO has not found the allegation false, malicious, unfounded or
    unsubstantiated; or an allegation under a safeguarding clause of the policy was upheld
    (by the hearing, or by the investigation where no hearing has decided it);
  - *removed*: dismissed (with notice or summarily), or their volunteering ended;
  - *or would have been*: they resigned while the case was open, or are leaving under a
    settlement or agreed departure.

  It must also be answered whenever the LADO has found the allegation substantiated.
* **TRA** (Teachers' Disciplinary (England) Regulations 2012). For a teacher, a referral
  must be considered when they are dismissed for misconduct, when they resign or leave by
  agreement while the case is open (they might have been dismissed had they stayed), and
  when the LADO has found the allegation substantiated.

A question is answered by recording a decision: a referral made (its date and reference) or
not made (the reasons). HR may record one at any time, and a later decision about the same
body replaces the earlier one (both are kept). A case cannot close while a question the
rules call for is unanswered (``ensure_answered_before_closing``, which every closing
transition passes through), and a settlement changes none of this: it can never prevent a
referral.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from casework import permissions
from casework.errors import NotAllowed, RuleBroken
from casework.models import (
    Case,
    ReferralBody,
    ReferralDecision,
    Settlement,
    SettlementKind,
    User,
)

from .cases import locked_case, note

# The questions themselves are read-only rules of their own module (services.cases checks
# them on closing without importing this one); callers keep reading them from here.
from .referral_questions import (  # noqa: F401
    Question,
    bodies_for,
    concerns_harm_to_a_child,
    current_decision,
    dbs_question_due,
    ensure_answered_before_closing,
    outstanding_questions,
    referral_questions,
    tra_question_due,
)


def _ensure_manager(case: Case, by: User) -> None:
    if not permissions.may_manage_case(case, by):
        raise NotAllowed("Only an HR case manager free of any conflict in this case may do this.")


def record_referral_decision(
    *,
    case: Case,
    by: User,
    body: str,
    made: bool,
    made_on: datetime.date | None = None,
    reference: str = "",
    reasons: str = "",
) -> ReferralDecision:
    """Record whether the case was referred to ``body``: made (date, reference) or not made
    (reasons). A later decision about the same body replaces this one; both are kept."""
    with locked_case(case) as case:
        _ensure_manager(case, by)
        if case.anonymised_at is not None:
            raise RuleBroken("This case's record has been anonymised under the retention schedule.")
        if body not in ReferralBody.values:
            raise RuleBroken("Choose the DBS or the Teaching Regulation Agency.")
        if body not in bodies_for(case):
            raise RuleBroken(
                f"{case.subject.full_name} is not recorded as a teacher, so no referral to the "
                "Teaching Regulation Agency applies. If they teach, ask the administrator to "
                "record it on their staff record."
            )
        label = ReferralBody(body).label
        reference, reasons = reference.strip(), reasons.strip()
        if made:
            if made_on is None:
                raise RuleBroken(f"Give the date the referral to the {label} was made.")
            if made_on > timezone.localdate():
                raise RuleBroken("The referral date cannot be in the future.")
            if made_on < timezone.localtime(case.raised_at).date():
                raise RuleBroken("The referral date cannot be before the concern was raised.")
            if not reference:
                raise RuleBroken(f"Give the reference the {label} gave the referral.")
            if len(reference) > 100:
                raise RuleBroken("Keep the reference to 100 characters.")
        else:
            if not reasons:
                raise RuleBroken(
                    f"Give the reasons no referral to the {label} was made: they are part of "
                    "the safeguarding record."
                )
            made_on, reference = None, ""
        decision = ReferralDecision.objects.create(
            case=case,
            body=body,
            made=made,
            made_on=made_on,
            reference=reference,
            reasons=reasons,
            recorded_by=by,
        )
        summary = (
            f"Referral to the {label} made on {made_on:%d %B %Y} (reference {reference})"
            if made
            else f"No referral to the {label}"
        )
        note(
            case,
            by=by,
            action="referral.decided",
            target=decision,
            summary=summary,
            details={"body": body, "made": made, "why": reasons},
        )
        return decision


def record_settlement(
    *,
    case: Case,
    by: User,
    kind: str,
    agreed_on: datetime.date,
    leaves_on: datetime.date,
    terms: str,
    referral_unaffected: bool,
) -> Settlement:
    """The subject leaves by agreement. The case goes on (KCSIE: allegations are seen
    through whoever leaves), and so do its referral questions: a settlement never prevents
    a referral to the DBS or the TRA, so none may be agreed that would."""
    with locked_case(case) as case:
        _ensure_manager(case, by)
        if not case.is_open:
            raise RuleBroken("A settlement is recorded while the case is open.")
        if Settlement.objects.filter(case=case).exists():
            raise RuleBroken("A settlement is already recorded in this case.")
        allowed = (
            [SettlementKind.AGREED_DEPARTURE]
            if case.subject.is_volunteer
            else list(SettlementKind.values)
        )
        if kind not in allowed:
            raise RuleBroken(
                "A volunteer leaves by agreed departure."
                if case.subject.is_volunteer
                else "Choose a settlement agreement or an agreed departure."
            )
        if agreed_on > timezone.localdate():
            raise RuleBroken("Record the settlement once it has been agreed.")
        if leaves_on < agreed_on:
            raise RuleBroken("The leaving date cannot be before the day it was agreed.")
        if not terms.strip():
            raise RuleBroken("Say, in outline, what was agreed.")
        if not referral_unaffected:
            raise RuleBroken(
                "A settlement can never prevent or discourage a referral to the DBS or the "
                "Teaching Regulation Agency. Confirm that nothing in the agreement does."
            )
        settlement = Settlement.objects.create(
            case=case,
            kind=kind,
            agreed_on=agreed_on,
            leaves_on=leaves_on,
            terms=terms.strip(),
            recorded_by=by,
        )
        note(
            case,
            by=by,
            action="case.settlement",
            target=settlement,
            summary=(
                f"{settlement.get_kind_display()} agreed on {agreed_on:%d %B %Y}, leaving on "
                f"{leaves_on:%d %B %Y}; the case and its referral questions go on"
            ),
        )
        return settlement
