"""Cases walked through the real services to any stage: the demo data and the tests use them.

``case_at(Status.HEARING_SCHEDULED)`` raises a concern and takes it, step by step, through
the same service calls the people in the demo would make, so every demo case is one the
procedure could really have produced.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from django.utils import timezone
from viewflow.workflow.models import Process, Task

from . import clock, demo
from .intake import concerns
from .models import Attendance, Case, Clause, Sanction, School, StaffMember, Status, User
from .services import (
    allegations,
    appeals,
    case_admin,
    data_protection,
    hearings,
    investigation,
    outcomes,
    referrals,
    routing,
    safeguarding,
    signoff,
    triage,
)
from .workdays import Calendar, procedure

# St Clare's cast (each demo trust names its own: demo.DemoTrust).
HR = demo.ST_CLARE.hr
INVESTIGATOR = demo.ST_CLARE.investigator
CHAIR = demo.ST_CLARE.chair
APPEAL_CHAIR = demo.ST_CLARE.appeal_chair


def person(first: str, last: str) -> StaffMember:
    """A demo person, found at their own trust's address."""
    return StaffMember.objects.select_related("user", "school").get(
        email=demo.demo_email(first, last)
    )


def cast(case: Case | None = None) -> demo.DemoTrust:
    """The demo trust whose people act in this case (St Clare's where no case is given)."""
    return demo.ST_CLARE if case is None else demo.trust_named(case.trust.name)


def hr(case: Case | None = None) -> User:
    """The HR case manager who acts in this case: one of the case's own trust."""
    return person(*cast(case).hr).user


def clause(code: str, *, trust_id: int | None = None) -> Clause:
    """A clause of a trust's current policy: St Clare's (the demo's schools') by default."""
    if trust_id is None:
        trust_id = School.objects.filter(name=demo.SCHOOLS[0][0]).values("trust_id")[:1]
    return Clause.objects.get(policy__is_current=True, policy__trust_id=trust_id, code=code)


def raise_concern(
    *,
    subject: tuple[str, str] = ("Daniel", "Shaw"),
    reporter: tuple[str, str] = ("Priya", "Patel"),
    clauses: tuple[str, ...] = ("DONT-3",),
    pupils_involved: str = "none",
    pupil_left_on: datetime.date | None = None,
    what_was_seen: str = "A public post discussing a named colleague's disciplinary meeting.",
    school: str | None = None,
    seen_on: datetime.date | None = None,
) -> Case:
    """``school``, by name, is one the reporter chose (and confirmed) instead of the
    subject's own."""
    subject_person = person(*subject)
    reporter_person = person(*reporter)
    return concerns.report_concern(
        concern=concerns.Concern(
            subject=subject_person,
            school=School.objects.get(name=school) if school else None,
            school_confirmed=school is not None,
            seen_on=seen_on or clock.today() - datetime.timedelta(days=2),
            platform="facebook",
            account_kind="personal",
            what_was_seen=_another_post(what_was_seen, reporter_person, subject_person),
            links=["https://www.facebook.com/example/posts/1"],
            suspected_clauses=[clause(code, trust_id=subject_person.trust_id) for code in clauses],
            pupils_involved=pupils_involved,
            pupil_left_on=pupil_left_on,
        ),
        reporter=reporter_person,
        by=reporter_person.user,
        daily_limit=False,  # one demonstration reporter raises every demonstration case
    )


def _another_post(words: str, reporter: StaffMember, subject: StaffMember) -> str:
    """Each demonstration concern is about a post of its own: the same words from the same
    reporter about the same person would be the concern already sent (and refused as such)."""
    earlier = Case.objects.filter(reporter=reporter, subject=subject).count()
    return words if earlier == 0 else f"{words} (Another post: the {_ordinal(earlier + 1)}.)"


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def hearing_moment(case: Case, *, hour: int = 10) -> datetime.datetime:
    """The first working day the notice rule allows, at ``hour``."""
    day = Calendar.of_case(case).add_working_days(
        clock.today(), procedure("HEARING_NOTICE_WORKING_DAYS", trust=case.trust_id)
    )
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def arrangement(case: Case, chair: tuple[str, str], **extra) -> hearings.Arrangement:
    return hearings.Arrangement(
        chair=person(*chair),
        starts_at=hearing_moment(case),
        location=cast(case).hearing_room,
        notice_given_on=clock.today(),
        companion_kind="union",
        companion_name="Jo Marsh (NEU)",
        dismissal_possible=not case.subject.is_volunteer,  # a volunteer is not employed
        **extra,
    )


Step = Callable[[Case], Case]


def arranges_hearing(step: Step) -> Step:
    """Marks a step that arranges a hearing, with the notice counted from the day it runs."""
    step.arranges_hearing = True
    return step


def decides_after_hearing(step: Step) -> Step:
    """Marks a step a chair takes once the hearing has been held."""
    step.decides_after_hearing = True
    return step


def _arranges(step: Step) -> bool:
    return getattr(step, "arranges_hearing", False)


def _decides(step: Step) -> bool:
    return getattr(step, "decides_after_hearing", False)


# --- Steps: each takes a case at one stage to the next -------------------------------------


def acknowledge(case: Case) -> Case:
    return triage.acknowledge_concern(case=case, by=hr(case))


def frame_allegation(case: Case, code: str | None = None) -> Case:
    code = code or (
        case.suspected_clauses.first().code if case.suspected_clauses.exists() else "GEN-1"
    )
    allegations.add_allegation(
        case=case,
        by=hr(case) if case.status != Status.SAFEGUARDING_REVIEW else case.safeguarding_lead.user,
        clause=case.policy.clauses.get(code=code),  # the version the case cites
        particulars=f"It is alleged that the post breached {code} of the policy.",
    )
    return case


def triage_to_investigation(case: Case) -> Case:
    frame_allegation(case)
    return triage.triage_concern(
        case=case,
        by=hr(case),
        decision="investigation",
        reasons="The facts need establishing.",
    )


def appoint(case: Case) -> Case:
    return investigation.appoint_investigating_officer(
        case=case,
        by=hr(case),
        officer=person(*cast(case).investigator),
        terms_of_reference="Establish who posted what, when, and on which account.",
    )


def report(case: Case, finding: str = "upheld") -> Case:
    officer = case.investigating_officer.user
    investigation.record_meeting(
        case=case,
        by=officer,
        held_at=clock.now() - datetime.timedelta(hours=2),
        location="Head's office",
        with_whom=case.subject.full_name,
        notes="Accepted that the account is theirs.",
    )
    return investigation.submit_investigation_report(
        case=case,
        by=officer,
        summary="The post was made from the subject's personal account.",
        recommendation="hearing",
        findings={a.pk: (finding, "Screenshots and admission.") for a in case.allegations.all()},
    )


def refer_to_hearing(case: Case) -> Case:
    return investigation.decide_on_report(
        case=case, by=hr(case), decision="hearing", reasons="There is a case to answer."
    )


@arranges_hearing
def schedule(case: Case) -> Case:
    hearings.schedule_hearing(
        case=case, by=hr(case), arrangement=arrangement(case, cast(case).chair)
    )
    return Case.objects.get(pk=case.pk)


ATTENDED = hearings.WhoAttended(subject=Attendance.ATTENDED, companion_attended=True)


@decides_after_hearing
def decide(
    case: Case, sanction: str | None = None, attendance: hearings.WhoAttended = ATTENDED
) -> Case:
    sanction = sanction or (
        Sanction.VOLUNTEER_GUIDANCE if case.subject.is_volunteer else Sanction.FIRST_WRITTEN_WARNING
    )
    return hearings.record_decision(
        case=case,
        by=case.hearing_chair.user,
        findings={a.pk: ("upheld", "The evidence is clear.") for a in case.allegations.all()},
        sanction=sanction,
        reasons="A breach of the policy, admitted, with nothing of the kind before.",
        attendance=attendance,
    )


def decided_as(sanction: str, finding: str = "upheld") -> Step:
    """The chair's decision with this sanction, and this finding on every allegation."""

    @decides_after_hearing
    def decide_as(case: Case) -> Case:
        return hearings.record_decision(
            case=case,
            by=case.hearing_chair.user,
            findings={a.pk: (finding, "As the evidence showed.") for a in case.allegations.all()},
            sanction=sanction,
            reasons="Decided on the evidence heard.",
            attendance=ATTENDED,
        )

    return decide_as


def return_to_chair(case: Case) -> Case:
    return signoff.sign_off_outcome(
        case=case,
        by=case.signing_authority.user,
        approve=False,
        comments="Please set out why a lesser sanction was not enough.",
    )


def approve(case: Case) -> Case:
    return signoff.sign_off_outcome(case=case, by=case.signing_authority.user, approve=True)


def issue(case: Case) -> Case:
    return outcomes.issue_outcome(case=case, by=hr(case))


def lodge(case: Case) -> Case:
    appeals.lodge_appeal(
        case=case,
        by=hr(case),
        lodged_on=clock.today(),
        grounds="The sanction is too severe for a first matter.",
    )
    return Case.objects.get(pk=case.pk)


@arranges_hearing
def schedule_appeal(case: Case) -> Case:
    appeals.schedule_appeal_hearing(
        case=case, by=hr(case), arrangement=arrangement(case, cast(case).appeal_chair)
    )
    return Case.objects.get(pk=case.pk)


@decides_after_hearing
def decide_appeal(case: Case, outcome: str = "sanction_reduced") -> Case:
    lighter = (
        Sanction.VOLUNTEER_NO_ACTION if case.subject.is_volunteer else Sanction.MANAGEMENT_ADVICE
    )
    return appeals.decide_appeal(
        case=case,
        by=case.appeal_chair.user,
        outcome=outcome,
        reasons="Mitigation was not given enough weight.",
        new_sanction=lighter if outcome == "sanction_reduced" else "",
        attendance=ATTENDED,
    )


def close_after_window(case: Case) -> Case:
    return outcomes.close_after_appeal_window(
        case=case, by=hr(case), today=case.appeal_deadline + datetime.timedelta(days=1)
    )


def dsl_refers(case: Case) -> Case:
    return safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision="refer_to_lado",
        reasons="Private messages with a current pupil meet the harm threshold.",
    )


def lado_referral_made(case: Case) -> Case:
    return safeguarding.record_lado_referral(
        case=case,
        by=case.safeguarding_lead.user,
        referred_on=clock.today(),
        lado_reference="LADO/2026/117",
        lado_name="Ashbury LADO service",
        police_involved=False,
    )


def dsl_sends_for_investigation(case: Case) -> Case:
    """The DSL frames the allegation and finds it below the harm threshold, but for
    investigation as conduct."""
    frame_allegation(case, case.suspected_clauses.first().code)
    return safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision="investigation",
        reasons="Messages through a gaming platform; below the harm threshold.",
    )


def lado_substantiated(case: Case) -> Case:
    """The LADO found the allegation substantiated; HR resumes with an investigation."""
    frame_allegation(case, case.suspected_clauses.first().code)
    return safeguarding.resume_after_hold(
        case=case,
        by=hr(case),
        notes="The LADO confirmed by e-mail that the internal process may go on.",
        next_step=Status.APPOINTING_INVESTIGATOR,
        lado_outcome="substantiated",
    )


def dsl_logs_low_level(case: Case) -> Case:
    return safeguarding.review_safeguarding_concern(
        case=case,
        by=case.safeguarding_lead.user,
        decision="low_level_concern",
        reasons="Accepted a follow request from a pupil who left two years ago; no contact.",
    )


def no_case(case: Case) -> Case:
    return triage.triage_concern(
        case=case,
        by=hr(case),
        decision="no_case_to_answer",
        reasons="The post was not theirs.",
    )


def informal(case: Case) -> Case:
    return triage.triage_concern(
        case=case,
        by=hr(case),
        decision="informal",
        reasons="A word from the line manager will do.",
    )


def withdraw(case: Case) -> Case:
    return case_admin.withdraw_case(
        case=case, by=hr(case), reason="The reporter's account was mistaken."
    )


def correct_school(case: Case, school: str | None, reason: str) -> Case:
    return routing.correct_school(
        case=case,
        by=hr(case),
        school=School.objects.get(name=school) if school else None,
        reason=reason,
    )


def dpo_decides(case: Case, *, reportable: bool = False) -> Case:
    decision = case.dpo_decisions.get(decided_at__isnull=True)
    data_protection.record_dpo_decision(
        decision=decision,
        by=decision.officer.user,
        reportable=reportable,
        reasons=(
            "Colleagues' personal details were shared publicly and may be misused."
            if reportable
            else "Seen by a handful of people and removed within the hour; little risk."
        ),
        reported_at=clock.now() - datetime.timedelta(minutes=30) if reportable else None,
        ico_reference="IC-2026-04417" if reportable else "",
    )
    return Case.objects.get(pk=case.pk)


SAFEGUARDING = {
    "clauses": ("DONT-4",),
    "pupils_involved": "current",
    "what_was_seen": "Direct messages to a current Year 10 pupil on Instagram.",
}

# How to reach each status from a freshly raised concern.
ROUTES: dict[str, tuple[dict, list[Step]]] = {
    Status.RECEIVED: ({}, []),
    Status.TRIAGE: ({}, [acknowledge]),
    Status.SAFEGUARDING_REVIEW: (SAFEGUARDING, []),
    Status.LADO_REFERRAL: (SAFEGUARDING, [dsl_refers]),
    Status.ON_HOLD_EXTERNAL: (SAFEGUARDING, [dsl_refers, lado_referral_made]),
    Status.LOW_LEVEL_CONCERN: (SAFEGUARDING, [dsl_logs_low_level]),
    Status.NO_CASE_TO_ANSWER: ({}, [acknowledge, no_case]),
    Status.INFORMAL_ADVICE: ({}, [acknowledge, informal]),
    Status.APPOINTING_INVESTIGATOR: ({}, [acknowledge, triage_to_investigation]),
    Status.INVESTIGATION: ({}, [acknowledge, triage_to_investigation, appoint]),
    Status.INVESTIGATION_REPORT: ({}, [acknowledge, triage_to_investigation, appoint, report]),
}
_TO_HEARING = [acknowledge, triage_to_investigation, appoint, report, refer_to_hearing]
ROUTES.update(
    {
        Status.HEARING_TO_ARRANGE: ({}, _TO_HEARING),
        Status.HEARING_SCHEDULED: ({}, [*_TO_HEARING, schedule]),
        Status.AWAITING_SIGN_OFF: ({}, [*_TO_HEARING, schedule, decide]),
        Status.RETURNED_TO_CHAIR: ({}, [*_TO_HEARING, schedule, decide, return_to_chair]),
        Status.SIGNED_OFF: ({}, [*_TO_HEARING, schedule, decide, approve]),
        Status.OUTCOME_ISSUED: ({}, [*_TO_HEARING, schedule, decide, approve, issue]),
        Status.CLOSED: ({}, [*_TO_HEARING, schedule, decide, approve, issue, close_after_window]),
        Status.APPEAL_LODGED: ({}, [*_TO_HEARING, schedule, decide, approve, issue, lodge]),
        Status.APPEAL_HEARING: (
            {},
            [*_TO_HEARING, schedule, decide, approve, issue, lodge, schedule_appeal],
        ),
        Status.APPEAL_DECIDED: (
            {},
            [*_TO_HEARING, schedule, decide, approve, issue, lodge, schedule_appeal, decide_appeal],
        ),
        Status.WITHDRAWN: ({}, [acknowledge, withdraw]),
    }
)


def closed_with(sanction: str, finding: str = "upheld") -> list[Step]:
    """From a new concern to a case closed with this outcome, no appeal made."""
    return [
        *_TO_HEARING,
        schedule,
        decided_as(sanction, finding),
        approve,
        issue,
        close_after_window,
    ]


def case_at(status: str, *, hearing_held: bool = False, **concern_options) -> Case:
    """A new case, taken through the services to ``status``.

    ``hearing_held`` leaves a case at its scheduled hearing (or appeal hearing) with that
    hearing already held, so the chair can decide straight away.
    """
    options, steps = ROUTES[status]
    if hearing_held and (not steps or not _arranges(steps[-1])):
        raise ValueError(f"No hearing is arranged at {status}.")
    case = walk(steps, hearing_held=hearing_held, **{**options, **concern_options})
    assert case.status == status, (case.status, status)
    return case


def walk(
    steps: list[Step],
    *,
    hearing_held: bool = False,
    each_step: Callable[[str], AbstractContextManager] = lambda name: nullcontext(),
    **concern_options,
) -> Case:
    """Raise a concern and take ``steps``, each at a moment that fits the procedure.

    A chair decides only after the hearing, so a case that has been through one is walked
    through a past worked back from today: the last hearing was on the last working day,
    each hearing was arranged with the notice the rules require, and the other steps came a
    working day apart. Steps after the last hearing held (sign-off, issue, an appeal being
    lodged) happen now. ``each_step(name)`` is entered around each step (a benchmark times it).
    """
    subject = person(*concern_options.get("subject", ("Daniel", "Shaw")))
    moments = _timeline(
        steps,
        calendar=Calendar(trust_id=subject.trust_id, school_id=subject.school_id),
        held=hearing_held,
    )
    with _at(moments[0]), each_step("raise_concern"):
        case = raise_concern(**concern_options)
    for step, moment in zip(steps, moments[1:], strict=True):
        with _at(moment):
            case = Case.objects.get(pk=case.pk)
            with each_step(getattr(step, "__name__", "step")):
                case = step(case)
    return Case.objects.get(pk=case.pk)


def _timeline(
    steps: list[Step], *, calendar: Calendar, held: bool
) -> list[datetime.datetime | None]:
    """When the concern is raised and each step taken (None: now)."""
    decisions = [i for i, step in enumerate(steps) if _decides(step)]
    last = max(decisions + ([len(steps) - 1] if held else []), default=None)
    if last is None:
        return [None] * (len(steps) + 1)
    moments: list[datetime.datetime | None] = [None] * len(steps)
    notice = procedure("HEARING_NOTICE_WORKING_DAYS", trust=calendar.trust_id)
    day = clock.today()
    i = last
    while i >= 0:
        if _decides(steps[i]) or (held and i == last):
            hearing_day = _working_days_before(calendar, day, 1)
            if _decides(steps[i]):
                moments[i] = _moment(hearing_day, hour=12)  # after the hearing at 10
                i -= 1
            arranged = max(j for j in range(i + 1) if _arranges(steps[j]))
            day = _working_days_before(calendar, hearing_day, notice)
            moments[arranged] = _moment(day, hour=9)
            # What came between (the invitation, say) followed on the day it was arranged.
            for offset, j in enumerate(range(arranged + 1, i + 1)):
                moments[j] = _moment(day, hour=10 + offset)
            i = arranged - 1
        else:
            day = _working_days_before(calendar, day, 1)
            moments[i] = _moment(day, hour=14)
            i -= 1
    return [_moment(_working_days_before(calendar, day, 1), hour=9), *moments]


def _working_days_before(calendar: Calendar, day: datetime.date, count: int) -> datetime.date:
    """The working day that ``count`` working days after it reaches ``day``."""
    for _ in range(count):
        day -= datetime.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def _moment(day: datetime.date, *, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@contextmanager
def _at(moment: datetime.datetime | None) -> Iterator[None]:
    """Take a step recorded at ``moment`` (a demonstration's past), or now."""
    if moment is None:
        yield
        return
    began = timezone.now()
    with clock.recorded_at(moment):
        yield
    _date_workflow_rows(since=began, moment=moment)


def _date_workflow_rows(*, since: datetime.datetime, moment: datetime.datetime) -> None:
    """The workflow engine stamps its own rows with the system time: the rows the step
    wrote or moved on (demonstration data is written by one process) get its moment."""
    for model, fields in (
        (Process, ("created", "finished")),
        (Task, ("created", "assigned", "started", "finished")),
    ):
        for field in fields:
            model.objects.filter(**{f"{field}__gte": since}).update(**{field: moment})


# --- Demonstration stories: the routing rules, each on a case of its own ------------------

HOLY_FAMILY = "Holy Family Catholic Primary School"
ST_THOMAS_MORE = "St Thomas More Catholic High School"


def cross_school_report() -> Case:
    """A St Bernadette's teacher reports a Holy Family teacher: Holy Family's DSL has it."""
    return raise_concern(subject=("Laura", "Bennett"), reporter=("Tom", "Brennan"), **SAFEGUARDING)


def school_corrected_by_hr() -> Case:
    """The reporter chose their own school for a colleague elsewhere; HR moved it back."""
    case = raise_concern(
        subject=("Fiona", "MacLeod"),
        reporter=("Kate", "Morris"),
        school=HOLY_FAMILY,
        what_was_seen="A post naming Holy Family's parents as 'impossible', written by a visitor.",
    )
    case = acknowledge(case)
    return correct_school(
        case,
        ST_THOMAS_MORE,
        "Fiona MacLeod works at St Thomas More; the post was about her own school's parents.",
    )


def dpo_decision_made() -> Case:
    """A possible data breach the DPO decided on, reported to the ICO, while triage went on."""
    case = raise_concern(
        subject=("Chris", "Evans"),
        reporter=("Ben", "Taylor"),
        clauses=("DO-5",),
        what_was_seen="A screenshot of the staff absence spreadsheet posted in a public group.",
    )
    case = acknowledge(case)
    case = dpo_decides(case, reportable=True)
    return triage_to_investigation(case)


def dpo_decision_overdue() -> Case:
    """A possible data breach raised four days ago: the DPO's 72 hours have run out."""
    with _at(clock.now() - datetime.timedelta(days=4)):
        return raise_concern(
            subject=("Kate", "Morris"),
            reporter=("Sam", "Adeyemi"),
            clauses=("GEN-2",),
            what_was_seen="A photo of the school office whiteboard, with pupils' home addresses.",
        )


def concern_about_a_leaver() -> Case:
    """A historical safeguarding allegation about a teacher who has since left."""
    return raise_concern(
        subject=("Olivia", "Grant"),
        reporter=("Tom", "Brennan"),
        seen_on=datetime.date(2025, 6, 20),
        **SAFEGUARDING,
    )


def rerouted_by_a_new_allegation() -> Case:
    """Mid-investigation, the investigating officer frames an allegation about contact with
    a pupil: the case goes to the DSL's review at once, the investigation paused."""
    case = walk(
        [acknowledge, triage_to_investigation, appoint],
        subject=("Tom", "Brennan"),
        reporter=("Helen", "Carter"),
        clauses=("DONT-1",),
        what_was_seen="A public post mocking a parent who had complained about a school trip.",
    )
    allegations.add_allegation(
        case=case,
        by=case.investigating_officer.user,
        clause=case.policy.clauses.get(code="DONT-4"),
        particulars="It is alleged that the subject messaged a Year 6 pupil through the same "
        "account, as a witness told the investigation.",
    )
    return Case.objects.get(pk=case.pk)


def sent_twice() -> Case:
    """The reporter pressed Back and sent the same form again: the second sending was
    recognised as the concern already received, and nothing new was recorded."""
    token = uuid.uuid4()
    reporter = person("Joan", "Fitzgerald")
    concern = concerns.Concern(
        subject=person("Aisha", "Khan"),
        school=None,
        school_confirmed=False,
        seen_on=clock.today() - datetime.timedelta(days=1),
        platform="x",
        account_kind="personal",
        what_was_seen="A post calling the parish's fundraising committee 'a waste of space'.",
        links=[],
        suspected_clauses=[clause("DONT-1")],
        pupils_involved="none",
    )
    sent = concerns.report_concern(
        concern=concern, reporter=reporter, by=reporter.user, submission_token=token
    )
    try:
        concerns.report_concern(
            concern=concern, reporter=reporter, by=reporter.user, submission_token=token
        )
    except concerns.AlreadyReported as repeat:
        assert repeat.case == sent
    return sent


STORIES = [
    cross_school_report,
    school_corrected_by_hr,
    dpo_decision_made,
    dpo_decision_overdue,
    concern_about_a_leaver,
    rerouted_by_a_new_allegation,
    sent_twice,
]


# --- Demonstration stories: referrals, settlements, attendance and the chair of governors ----


def _referral(body: str, *, made: bool, reference: str = "", reasons: str = "") -> Step:
    def record(case: Case) -> Case:
        referrals.record_referral_decision(
            case=case,
            by=hr(case),
            body=body,
            made=made,
            made_on=clock.today() if made else None,
            reference=reference,
            reasons=reasons,
        )
        return case

    return record


def resigns(case: Case) -> Case:
    return case_admin.record_resignation(
        case=case, by=hr(case), resigned_on=clock.today(), notes="Resigned by letter."
    )


def settles(case: Case) -> Case:
    referrals.record_settlement(
        case=case,
        by=hr(case),
        kind="settlement_agreement",
        agreed_on=clock.today(),
        leaves_on=clock.today() + datetime.timedelta(days=28),
        terms="Leaves at the end of the month; an agreed reference states the facts only.",
        referral_unaffected=True,
    )
    return case


@arranges_hearing
def postponed_for_them(case: Case) -> Case:
    hearings.reschedule_hearing(
        case=case,
        by=hr(case),
        arrangement=arrangement(case, cast(case).chair),
        reason="They asked for another date: a hospital appointment that day.",
        postponed_for_companion=False,
        postponed_for_subject=True,
    )
    return Case.objects.get(pk=case.pk)


@decides_after_hearing
def decided_in_absence(case: Case) -> Case:
    return decide(
        case,
        Sanction.FIRST_WRITTEN_WARNING,
        attendance=hearings.WhoAttended(
            subject=Attendance.DID_NOT_ATTEND,
            companion_attended=False,
            notes="No word from them or their representative; two calls and an e-mail that "
            "morning went unanswered.",
        ),
    )


@decides_after_hearing
def summarily_dismissed(case: Case) -> Case:
    return decide(case, Sanction.SUMMARY_DISMISSAL)


_FROM_THE_LADO = [dsl_refers, lado_referral_made, lado_substantiated, appoint, report]


def stories() -> list[Case]:
    """The demo's cases for the rules a single stage cannot show (see README.md)."""
    return [
        # Dismissed after the LADO substantiated a concern about contact with a pupil: the
        # DBS and the TRA referrals are made before the outcome goes out.
        walk(
            [
                *_FROM_THE_LADO,
                refer_to_hearing,
                schedule,
                summarily_dismissed,
                approve,
                _referral("dbs", made=True, reference="DBS/2026/00417"),
                _referral("tra", made=True, reference="TRA/2026/0093"),
                issue,
            ],
            subject=("Liam", "Murphy"),
            reporter=("Grace", "O'Neill"),
            **SAFEGUARDING,
        ),
        # A teacher resigns mid-investigation and leaves under a settlement agreement; the
        # case goes on, and the TRA question is answered (no referral, with reasons).
        walk(
            [
                acknowledge,
                triage_to_investigation,
                appoint,
                resigns,
                settles,
                _referral(
                    "tra",
                    made=False,
                    reasons="The allegation, even if upheld, would not have led to dismissal "
                    "for serious misconduct.",
                ),
            ],
            subject=("Fiona", "MacLeod"),
            reporter=("Ben", "Taylor"),
            clauses=("DO-2",),
        ),
        # Postponed once at their request; they did not come to the rearranged hearing, which
        # went ahead in their absence.
        walk(
            [*_TO_HEARING, schedule, postponed_for_them, decided_in_absence, approve, issue],
            subject=("Laura", "Bennett"),
            reporter=("Kate", "Morris"),
            clauses=("DONT-1",),
        ),
        # About a headteacher: the chair of governors signs the outcome off in their place.
        walk(
            [*_TO_HEARING, schedule, decide, approve, issue],
            subject=("Helen", "Carter"),
            reporter=("Aisha", "Khan"),
        ),
    ]
