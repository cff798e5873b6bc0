"""The letter kinds: when each may be issued, what it needs, and what it says.

Each kind answers four questions, so a newcomer can find any letter's rules in one place:

* ``refusal(case)``: why this letter cannot be issued for the case now (None if it can);
* ``clean(case, inputs, today)``: the inputs checked and stored as plain JSON values
  (e.g. the investigation meeting's date, time and place), or RuleBroken;
* ``topic(case, inputs)``: what the letter is about, so that issuing again supersedes
  only the letter about the same thing;
* ``context(case, inputs, today)``: what its template (``template_name``) needs.

The words are in ``templates/letters/<kind>.html``; dates come from the working-day
calendar and the deadlines the services stored on the case.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from casework import clock
from casework.errors import RuleBroken
from casework.models import (
    DISMISSALS,
    EMPLOYEE_SANCTIONS,
    UPHELD_FINDINGS,
    VOLUNTEER_OUTCOMES,
    WARNINGS,
    Allegation,
    AppealOutcome,
    Case,
    Hearing,
    Letter,
    LetterKind,
    Sanction,
    SignOff,
    Status,
    Suspension,
    SuspensionReview,
)
from casework.models.letters import VOLUNTEER_TITLES
from casework.services.hearings import current_hearing, postponements_given
from casework.services.outcomes import appeal_deadline, warning_expiry
from casework.services.referrals import referral_questions
from casework.vocabulary import appeal_outcome_label, hearing_name
from casework.workdays import Calendar, procedure, trust_of

from .context import allegations_of

# --- Reading stored inputs -----------------------------------------------------------------


def _as_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = parse_date(str(value))
    if parsed is None:
        raise RuleBroken(f"{value!r} is not a date.")
    return parsed


def _as_moment(value: Any) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
    if moment is None:
        raise RuleBroken(f"{value!r} is not a date and time.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _as_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RuleBroken(f"{value!r} is not a whole number.") from None


def _pk(value: Any) -> int | None:
    return _as_int(getattr(value, "pk", value))


# --- Facts several letters state ---------------------------------------------------------


def latest_sign_off(case: Case) -> SignOff | None:
    return case.sign_offs.select_related("signed_by").order_by("-decided_at", "-id").first()


def approved_sign_off(case: Case) -> SignOff:
    """The sign-off an outcome letter is issued under (DOMAIN.md §3.7), or RuleBroken."""
    sign_off = latest_sign_off(case)
    if sign_off is None or not sign_off.approved or sign_off.sanction != case.sanction:
        raise RuleBroken(
            "The outcome letter cannot be issued before the headteacher (or the trust "
            "executive standing in) has signed off this outcome."
        )
    return sign_off


def upheld(allegations: list[Allegation]) -> list[Allegation]:
    return [a for a in allegations if a.hearing_finding in UPHELD_FINDINGS]


def concerns_child_safety(allegations: list[Allegation]) -> bool:
    """Warnings about child safety may be kept on file after they expire (DOMAIN.md §3.6)."""
    return any(a.clause.safeguarding for a in upheld(allegations))


def statutory_notice_weeks(started_on: datetime.date, on: datetime.date) -> int:
    """Employment Rights Act 1996 s86: a week after a month's service, then a week for each
    complete year from two years, up to twelve weeks."""
    service = relativedelta(on, started_on)
    if service.years == 0 and service.months < 1:
        return 0
    return min(max(service.years, 1), 12)


def outcome_dates(case: Case, today: datetime.date) -> dict:
    """Effective date, warning expiry and appeal deadline as issuing the outcome sets them.

    Before the outcome is issued they are what ``issue_outcome`` will store if it is issued
    today (the same functions work them out); afterwards, what it stored.
    """
    if case.outcome_issued_on:
        return {
            "issued_on": case.outcome_issued_on,
            "effective_on": case.sanction_effective_on,
            "expires_on": case.warning_expires_on,
            "appeal_by": case.appeal_deadline,
        }
    return {
        "issued_on": today,
        "effective_on": today,
        "expires_on": warning_expiry(case.sanction, today, trust=trust_of(case)),
        "appeal_by": appeal_deadline(case, today),
    }


def sanction_labels(sanctions) -> list[str]:
    return [Sanction(s).label for s in sanctions]


def referrals_context(case: Case) -> dict:
    """What an outcome letter says of referrals: what was decided, or that it will be."""
    questions = referral_questions(case)
    return {
        "referral_questions": questions,
        "referrals_to_mention": any(q.why or q.decision for q in questions),
    }


def hearing_held_context(case: Case, kind: str) -> dict:
    """The hearing an outcome letter reports on: who came, and whether it went ahead without
    the person it is about (after how many postponements)."""
    return {
        "held": current_hearing(case, kind),
        "held_name": hearing_name(case, kind, yours=True),
        "postponements": postponements_given(case, kind),
    }


# --- The kinds ------------------------------------------------------------------------------


class Kind:
    kind: ClassVar[LetterKind]
    template_name: ClassVar[str]
    # The fields HR fills in when preparing it (see casework.letters.forms).
    needs_inputs: ClassVar[bool] = False

    @property
    def title(self) -> str:
        return self.kind.label

    def title_for(self, case: Case) -> str:
        """The kind's name among the case's letters, as its subject would know it."""
        if case.subject.is_volunteer:
            return VOLUNTEER_TITLES.get(self.kind, self.title)
        return self.title

    def applies_to(self, case: Case) -> bool:
        """Whether a letter of this kind could ever be written to this case's subject."""
        return True

    def heading(self, case: Case) -> str:
        """The letter's own heading, in the recipient's terms."""
        return self.title

    def template_for(self, case: Case) -> str:
        return self.template_name

    def refusal(self, case: Case) -> str | None:
        raise NotImplementedError

    def clean(self, case: Case, inputs: dict, today: datetime.date) -> dict:
        return {}

    def checked_inputs(self, case: Case, inputs: dict, today: datetime.date) -> dict:
        """The inputs, cleaned, for a letter the case allows now; RuleBroken if not."""
        refusal = self.refusal(case)
        if refusal:
            raise RuleBroken(refusal)
        return self.clean(case, inputs, today)

    def issues_outcome(self, case: Case) -> bool:
        """Whether issuing this letter also issues the signed-off outcome."""
        return self.kind in OUTCOME_KINDS and case.status == Status.SIGNED_OFF

    def topic(self, case: Case, inputs: dict) -> str:
        return self.kind.value

    def context(self, case: Case, inputs: dict, today: datetime.date) -> dict:
        return {}

    def sanction(self, case: Case) -> str:
        return ""

    def sign_off(self, case: Case) -> SignOff | None:
        return None


class InvestigationMeeting(Kind):
    """A fact-finding meeting with the investigating officer; not disciplinary."""

    kind = LetterKind.INVESTIGATION_MEETING
    template_name = "letters/investigation_meeting.html"
    needs_inputs = True

    def heading(self, case):
        return "Invitation to an investigation meeting"

    def refusal(self, case):
        if case.status != Status.INVESTIGATION or case.investigating_officer_id is None:
            return (
                "An investigation meeting invitation is sent while the investigation is under "
                "way, once an investigating officer has been appointed."
            )
        return None

    def clean(self, case, inputs, today):
        meets_at = _as_moment(inputs.get("meets_at"))
        location = str(inputs.get("location") or "").strip()
        if meets_at is None or not location:
            raise RuleBroken("Give the date, time and place of the investigation meeting.")
        if len(location) > 200:
            raise RuleBroken("Keep the place to 200 characters.")
        if meets_at <= clock.now():
            raise RuleBroken("The meeting must be in the future.")
        day = timezone.localtime(meets_at).date()
        if not Calendar.of_case(case).is_working_day(day):
            raise RuleBroken(f"{day:%A %d %B %Y} is not a working day. Choose another date.")
        return {
            "meets_at": timezone.localtime(meets_at).isoformat(),
            "location": location,
            "officer": case.investigating_officer_id,
        }

    def context(self, case, inputs, today):
        return {
            "meets_at": _as_moment(inputs["meets_at"]),
            "location": inputs["location"],
            "officer": case.investigating_officer,
        }


def suspensions_to_write_about(case: Case, *, current: bool):
    """The case's current (or lifted) suspensions, newest first: what a letter may be about."""
    return (
        case.suspensions.select_related("welfare_contact")
        .filter(ended_on__isnull=current)
        .order_by("-started_on", "-id")
    )


def reviews_to_write_about(case: Case):
    """The recorded reviews of the case's current suspensions, newest first."""
    return SuspensionReview.objects.filter(
        suspension__case=case, suspension__ended_on__isnull=True
    ).order_by("-reviewed_on", "-id")


class _SuspensionKind(Kind):
    needs_inputs = True

    def _suspension(self, case: Case, inputs: dict, *, current: bool) -> Suspension:
        suspensions = suspensions_to_write_about(case, current=current)
        chosen = _pk(inputs.get("suspension"))
        suspension = (suspensions.filter(pk=chosen) if chosen else suspensions).first()
        if suspension is None:
            raise RuleBroken(
                "Choose a current suspension of this case."
                if current
                else "Choose a suspension of this case that has been lifted."
            )
        return suspension


class SuspensionLetter(_SuspensionKind):
    """A neutral act, on full pay, with a review date, conditions and a welfare contact."""

    kind = LetterKind.SUSPENSION
    template_name = "letters/suspension.html"

    def heading(self, case):
        return "Suspension from volunteering" if case.subject.is_volunteer else "Suspension"

    def refusal(self, case):
        if not suspensions_to_write_about(case, current=True).exists():
            return "There is no current suspension in this case to write about."
        return None

    def clean(self, case, inputs, today):
        return {"suspension": self._suspension(case, inputs, current=True).pk}

    def topic(self, case, inputs):
        return f"suspension:{inputs['suspension']}"

    def context(self, case, inputs, today):
        suspension = case.suspensions.select_related("welfare_contact").get(pk=inputs["suspension"])
        return {
            "suspension": suspension,
            "review_working_days": procedure(
                "SUSPENSION_REVIEW_WORKING_DAYS", trust=trust_of(case)
            ),
        }


class SuspensionReviewLetter(_SuspensionKind):
    kind = LetterKind.SUSPENSION_REVIEW
    template_name = "letters/suspension_review.html"

    def refusal(self, case):
        if not reviews_to_write_about(case).exists():
            return "No review of a current suspension has been recorded in this case."
        return None

    def clean(self, case, inputs, today):
        reviews = reviews_to_write_about(case)
        chosen = _pk(inputs.get("review"))
        review = (reviews.filter(pk=chosen) if chosen else reviews).first()
        if review is None:
            raise RuleBroken("Choose a recorded review of the current suspension.")
        return {"review": review.pk}

    def topic(self, case, inputs):
        return f"suspension_review:{inputs['review']}"

    def context(self, case, inputs, today):
        review = SuspensionReview.objects.select_related(
            "suspension", "suspension__welfare_contact"
        ).get(pk=inputs["review"], suspension__case=case)
        return {
            "review": review,
            "suspension": review.suspension,
            "review_working_days": procedure(
                "SUSPENSION_REVIEW_WORKING_DAYS", trust=trust_of(case)
            ),
        }


class SuspensionLifted(_SuspensionKind):
    kind = LetterKind.SUSPENSION_LIFTED
    template_name = "letters/suspension_lifted.html"

    def refusal(self, case):
        if not suspensions_to_write_about(case, current=False).exists():
            return "No suspension in this case has been lifted."
        return None

    def clean(self, case, inputs, today):
        return {"suspension": self._suspension(case, inputs, current=False).pk}

    def topic(self, case, inputs):
        return f"suspension_lifted:{inputs['suspension']}"

    def context(self, case, inputs, today):
        return {
            "suspension": case.suspensions.select_related("welfare_contact").get(
                pk=inputs["suspension"]
            ),
            "case_open": case.is_open,
        }


class _InvitationKind(Kind):
    """A hearing invitation: written notice, enough of it, with the right to be accompanied
    (Acas Code paras 9-16; Employment Relations Act 1999 s10)."""

    hearing_kind: ClassVar[str]
    status: ClassVar[str]

    def refusal(self, case):
        if case.status != self.status or current_hearing(case, self.hearing_kind) is None:
            return (
                f"The {self.title_for(case).lower()} is sent once the "
                f"{hearing_name(case, self.hearing_kind)} is arranged."
            )
        return None

    def clean(self, case, inputs, today):
        hearing = current_hearing(case, self.hearing_kind)
        day = timezone.localtime(hearing.starts_at).date()
        if day < today:
            raise RuleBroken("The hearing date has passed; arrange the hearing again.")
        already_invited = (
            Letter.objects.filter(case=case, topic=self.topic(case, {}))
            .filter(inputs__hearing=hearing.pk)
            .order_by("issued_at")
            .first()
        )
        # The notice runs from the first invitation to this hearing: a corrected copy does
        # not shorten it, but a first invitation sent late would.
        notice_from = already_invited.dated if already_invited else today
        calendar = Calendar.of_case(case)
        earliest = calendar.add_working_days(
            notice_from, procedure("HEARING_NOTICE_WORKING_DAYS", trust=trust_of(case))
        )
        if day < earliest and not hearing.postponed_for_companion:
            raise RuleBroken(
                f"Sent today, this invitation would give less than "
                f"{procedure('HEARING_NOTICE_WORKING_DAYS', trust=trust_of(case))} working "
                "days' notice of the "
                f"hearing on {day:%A %d %B %Y}: move the hearing to {earliest:%A %d %B %Y} or "
                "later first."
            )
        return {"hearing": hearing.pk}

    def context(self, case, inputs, today):
        hearing = case.hearings.select_related("chair").get(pk=inputs["hearing"])
        day = timezone.localtime(hearing.starts_at).date()
        calendar = Calendar.of_case(case)
        return {
            "hearing": hearing,
            "chair": hearing.chair,
            "postponements_allowed": procedure(
                "HEARING_POSTPONEMENTS_ALLOWED", trust=trust_of(case)
            ),
            "notice_working_days": procedure("HEARING_NOTICE_WORKING_DAYS", trust=trust_of(case)),
            "postponement_working_days": procedure(
                "COMPANION_POSTPONEMENT_WORKING_DAYS", trust=trust_of(case)
            ),
            "postpone_by": calendar.add_working_days(
                day, procedure("COMPANION_POSTPONEMENT_WORKING_DAYS", trust=trust_of(case))
            ),
        }


class HearingInvitation(_InvitationKind):
    kind = LetterKind.HEARING_INVITATION
    template_name = "letters/hearing_invitation.html"
    hearing_kind = Hearing.Kind.DISCIPLINARY
    status = Status.HEARING_SCHEDULED

    def heading(self, case):
        if case.subject.is_volunteer:
            return "Invitation to a meeting about your volunteering arrangement"
        return "Invitation to a disciplinary hearing"

    def context(self, case, inputs, today):
        context = super().context(case, inputs, today)
        hearing = context["hearing"]
        if case.subject.is_volunteer:
            outcomes = VOLUNTEER_OUTCOMES
        elif hearing.dismissal_possible:
            outcomes = EMPLOYEE_SANCTIONS
        else:
            outcomes = [s for s in EMPLOYEE_SANCTIONS if s not in DISMISSALS]
        return {
            **context,
            "possible_outcomes": sanction_labels(outcomes),
            "evidence": list(case.evidence.order_by("uploaded_at")),
            "statements": case.statements.count(),
            "report": getattr(case, "investigation_report", None),
        }


class AppealInvitation(_InvitationKind):
    kind = LetterKind.APPEAL_INVITATION
    template_name = "letters/appeal_invitation.html"
    hearing_kind = Hearing.Kind.APPEAL
    status = Status.APPEAL_HEARING

    def heading(self, case):
        if case.subject.is_volunteer:
            return "Invitation to your appeal meeting"
        return "Invitation to your appeal hearing"

    def context(self, case, inputs, today):
        appeal = case.appeal
        return {
            **super().context(case, inputs, today),
            "appeal": appeal,
            "original_sanction": Sanction(appeal.original_sanction).label,
            "outcome_labels": [appeal_outcome_label(case, o) for o in AppealOutcome.values],
        }


class Outcome(Kind):
    """The signed-off outcome of a hearing. Issuing it at "signed off" issues the outcome:
    the effective date, a warning's live period and the appeal window start that day."""

    kind = LetterKind.OUTCOME
    template_name = "letters/outcome.html"
    sanctions: ClassVar[tuple[str, ...]] = tuple(
        s for s in (*EMPLOYEE_SANCTIONS, *VOLUNTEER_OUTCOMES) if s not in DISMISSALS
    )

    def heading(self, case):
        if case.subject.is_volunteer:
            return "The outcome of the meeting about your volunteering arrangement"
        return "The outcome of your disciplinary hearing"

    def template_for(self, case: Case) -> str:
        return "letters/volunteer_outcome.html" if case.subject.is_volunteer else self.template_name

    def refusal(self, case):
        if case.status not in (Status.SIGNED_OFF, Status.OUTCOME_ISSUED, Status.CLOSED):
            return (
                "An outcome letter is issued once the headteacher has signed off the outcome "
                "and before any appeal."
            )
        if hasattr(case, "appeal"):
            return "An appeal has been lodged: write with the appeal's outcome instead."
        if case.sanction not in self.sanctions:
            kind = outcome_kind_for(case)
            return f"This outcome calls for the {kind.title.lower()} letter."
        try:
            approved_sign_off(case)
        except RuleBroken as missing:
            return missing.message
        return None

    def topic(self, case, inputs):
        return "outcome"  # shared by the dismissal letters: one outcome per case

    def sanction(self, case):
        return case.sanction

    def sign_off(self, case):
        return approved_sign_off(case)

    def context(self, case, inputs, today):
        allegations = allegations_of(case)
        sanction = case.sanction
        live_months = {
            Sanction.FIRST_WRITTEN_WARNING: procedure(
                "FIRST_WARNING_LIVE_MONTHS", trust=trust_of(case)
            ),
            Sanction.FINAL_WRITTEN_WARNING: procedure(
                "FINAL_WARNING_LIVE_MONTHS", trust=trust_of(case)
            ),
        }.get(sanction)
        return {
            **outcome_dates(case, today),
            **hearing_held_context(case, Hearing.Kind.DISCIPLINARY),
            **referrals_context(case),
            "hearing": current_hearing(case, Hearing.Kind.DISCIPLINARY),
            "sanction": sanction,
            "sanction_label": Sanction(sanction).label,
            "is_warning": sanction in WARNINGS,
            "live_months": live_months,
            "keep_on_file": concerns_child_safety(allegations),
            "upheld": upheld(allegations),
            "sign_off": approved_sign_off(case),
            "appeal_working_days": procedure("APPEAL_WORKING_DAYS", trust=trust_of(case)),
        }


class DismissalWithNotice(Outcome):
    kind = LetterKind.DISMISSAL_WITH_NOTICE
    template_name = "letters/dismissal_with_notice.html"
    sanctions = (Sanction.DISMISSAL_WITH_NOTICE,)
    needs_inputs = True

    def heading(self, case):
        return "Dismissal with notice"

    def template_for(self, case):
        return self.template_name

    def applies_to(self, case):
        return not case.subject.is_volunteer

    def clean(self, case, inputs, today):
        effective_on = outcome_dates(case, today)["effective_on"]
        minimum = statutory_notice_weeks(case.subject.started_on, effective_on)
        weeks = _as_int(inputs.get("notice_weeks"))
        if weeks is None or weeks < 1:
            raise RuleBroken("Give the notice period in weeks.")
        if weeks < minimum:
            raise RuleBroken(
                f"{case.subject.full_name} started on {case.subject.started_on:%d %B %Y}: the "
                f"statutory minimum notice is {minimum} weeks, so give at least that (their "
                "contract may give more)."
            )
        if weeks > 52:
            raise RuleBroken("A notice period longer than a year is not plausible; check it.")
        pay_in_lieu = bool(inputs.get("pay_in_lieu"))
        last_day = _as_date(inputs.get("last_day"))
        notice_ends = effective_on + datetime.timedelta(weeks=weeks)
        if pay_in_lieu:
            # Employment ends at once; the notice period is paid instead of worked.
            last_day = effective_on
        elif last_day is None or last_day < notice_ends:
            raise RuleBroken(
                f"With {weeks} weeks' notice from {effective_on:%d %B %Y}, the last day of "
                f"employment is {notice_ends:%d %B %Y} or later (for a teacher, often the end "
                "of a term). Give it, or choose pay in lieu of notice."
            )
        return {
            "notice_weeks": weeks,
            "pay_in_lieu": pay_in_lieu,
            "last_day": last_day.isoformat(),
            "statutory_weeks": minimum,
        }

    def context(self, case, inputs, today):
        return {
            **super().context(case, inputs, today),
            "notice_weeks": inputs["notice_weeks"],
            "pay_in_lieu": inputs["pay_in_lieu"],
            "last_day": _as_date(inputs["last_day"]),
            "statutory_weeks": inputs["statutory_weeks"],
        }


class SummaryDismissal(Outcome):
    kind = LetterKind.SUMMARY_DISMISSAL
    template_name = "letters/summary_dismissal.html"
    sanctions = (Sanction.SUMMARY_DISMISSAL,)

    def heading(self, case):
        return "Summary dismissal for gross misconduct"

    def template_for(self, case):
        return self.template_name

    def applies_to(self, case):
        return not case.subject.is_volunteer


class AppealOutcomeLetter(Kind):
    kind = LetterKind.APPEAL_OUTCOME
    template_name = "letters/appeal_outcome.html"

    def heading(self, case):
        return "The outcome of your appeal"

    def refusal(self, case):
        if case.status != Status.APPEAL_DECIDED:
            return "The appeal outcome letter is sent once the appeal chair has decided."
        return None

    def sanction(self, case):
        return case.sanction

    def context(self, case, inputs, today):
        appeal = case.appeal
        allegations = allegations_of(case)
        return {
            **hearing_held_context(case, Hearing.Kind.APPEAL),
            **referrals_context(case),
            "original_hearing_name": hearing_name(case, Hearing.Kind.DISCIPLINARY, yours=True),
            "appeal": appeal,
            "appeal_hearing": current_hearing(case, Hearing.Kind.APPEAL),
            "outcome_label": appeal_outcome_label(case, appeal.outcome),
            "volunteering_restored": appeal.original_sanction == Sanction.VOLUNTEERING_ENDED
            and appeal.new_sanction != Sanction.VOLUNTEERING_ENDED,
            "original_label": Sanction(appeal.original_sanction).label,
            "final_label": Sanction(appeal.new_sanction).label,
            "final_is_warning": appeal.new_sanction in WARNINGS,
            "expires_on": case.warning_expires_on,
            "reinstated": appeal.original_sanction in DISMISSALS
            and appeal.new_sanction not in DISMISSALS,
            "keep_on_file": appeal.new_sanction in WARNINGS and concerns_child_safety(allegations),
        }


class NoFurtherAction(Kind):
    kind = LetterKind.NO_FURTHER_ACTION
    template_name = "letters/no_further_action.html"
    statuses: ClassVar[tuple[str, ...]] = (
        Status.NO_CASE_TO_ANSWER,
        Status.INFORMAL_ADVICE,
        Status.WITHDRAWN,
    )

    def heading(self, case):
        return "No further action"

    def refusal(self, case):
        if case.status not in self.statuses:
            return (
                "A no further action letter is sent when a case closes with no case to answer, "
                "with informal advice, or withdrawn."
            )
        return None

    def context(self, case, inputs, today):
        return {
            "decision": case.status,
            "reasons": case.closure_reason,
            "suspension_ended": case.suspensions.filter(ended_on__isnull=False).exists(),
        }


KINDS: dict[str, Kind] = {
    spec.kind.value: spec
    for spec in (
        InvestigationMeeting(),
        SuspensionLetter(),
        SuspensionReviewLetter(),
        SuspensionLifted(),
        HearingInvitation(),
        Outcome(),
        DismissalWithNotice(),
        SummaryDismissal(),
        AppealInvitation(),
        AppealOutcomeLetter(),
        NoFurtherAction(),
    )
}
OUTCOME_KINDS = (
    LetterKind.OUTCOME,
    LetterKind.DISMISSAL_WITH_NOTICE,
    LetterKind.SUMMARY_DISMISSAL,
)


def kind_for(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise RuleBroken(f"There is no letter of the kind {kind!r}.") from None


def outcome_kind_for(case: Case) -> Kind:
    """The outcome letter the case's sanction calls for."""
    return {
        Sanction.DISMISSAL_WITH_NOTICE: KINDS[LetterKind.DISMISSAL_WITH_NOTICE],
        Sanction.SUMMARY_DISMISSAL: KINDS[LetterKind.SUMMARY_DISMISSAL],
    }.get(case.sanction, KINDS[LetterKind.OUTCOME])
