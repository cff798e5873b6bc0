"""Random sequences of allowed and forbidden actions on cases, checked after every step.

Hypothesis drives up to three cases at a time through the real services, as the right
person with good input (so runs reach the appeal), and as anyone at all with any input:
the subject, the reporter, an HR case manager who raised the concern, a headteacher of
another school, the systems administrator; at the wrong stage; with empty reasons, a hearing
with too little notice, a dismissal the invitation did not warn of, an appeal out of time,
an allegation from another version of the policy. Time passes too.

The test keeps its own model of each case (status, who holds which part, allegations,
witnesses, sign-offs) and its own account of the procedure's rules, and after every step
checks that:
- an action the rules allow succeeds, moves the case exactly where the model says, and
  records one transition event with matching from and to;
- an action the rules forbid is refused with a message and changes nothing at all (not a
  row of any Casework or workflow table);
- nothing ever fails with anything but a refusal (which would be a server error);
- the case's status, its open workflow task and its audit trail agree
  (``strategies.assert_case_consistent``).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from casework import demo
from casework.demo_cases import SAFEGUARDING, person
from casework.errors import CaseworkError
from casework.intake import concerns
from casework.models import (
    EMPLOYEE_SANCTIONS,
    VOLUNTEER_OUTCOMES,
    AuditEvent,
    Case,
    Clause,
    LadoOutcome,
    Role,
    RoleAssignment,
    Sanction,
    StaffMember,
    Status,
    User,
)
from casework.services import (
    allegations,
    appeals,
    case_admin,
    hearings,
    investigation,
    outcomes,
    referrals,
    safeguarding,
    signoff,
    suspensions,
    triage,
)
from casework.workdays import Calendar, procedure
from tests.fuzzing import examples
from tests.trusts import demo_trust_id

from .strategies import (
    HR_TASKS,
    TASK_FOR_STATUS,
    assert_case_consistent,
    database_state,
    fresh,
    older_policy_clause,
)

pytestmark = pytest.mark.django_db

REAL_NOW = timezone.now

# --- The procedure, as this test understands it (independently of the code under test) -----

S = Status
OPEN = {
    S.RECEIVED,
    S.TRIAGE,
    S.SAFEGUARDING_REVIEW,
    S.LADO_REFERRAL,
    S.ON_HOLD_EXTERNAL,
    S.APPOINTING_INVESTIGATOR,
    S.INVESTIGATION,
    S.INVESTIGATION_REPORT,
    S.HEARING_TO_ARRANGE,
    S.HEARING_SCHEDULED,
    S.AWAITING_SIGN_OFF,
    S.RETURNED_TO_CHAIR,
    S.SIGNED_OFF,
    S.OUTCOME_ISSUED,
    S.APPEAL_LODGED,
    S.APPEAL_HEARING,
}
FORMAL = OPEN - {
    S.RECEIVED,
    S.TRIAGE,
    S.SAFEGUARDING_REVIEW,
    S.LADO_REFERRAL,
    S.ON_HOLD_EXTERNAL,
}
SUSPENDABLE = FORMAL | {S.SAFEGUARDING_REVIEW, S.LADO_REFERRAL, S.ON_HOLD_EXTERNAL}
# Allegations are fixed once the hearing is arranged.
FRAMING = {
    S.RECEIVED,
    S.TRIAGE,
    S.SAFEGUARDING_REVIEW,
    S.LADO_REFERRAL,
    S.ON_HOLD_EXTERNAL,
    S.APPOINTING_INVESTIGATOR,
    S.INVESTIGATION,
    S.INVESTIGATION_REPORT,
    S.HEARING_TO_ARRANGE,
}
# A paused case resumes where it was, except that a hearing must be arranged again.
RESUMES_TO = {status: status for status in FORMAL} | {
    S.HEARING_SCHEDULED: S.HEARING_TO_ARRANGE,
    S.APPEAL_HEARING: S.APPEAL_LODGED,
}
AFTER_LADO = [
    S.APPOINTING_INVESTIGATOR,
    S.INFORMAL_ADVICE,
    S.NO_CASE_TO_ANSWER,
    S.LOW_LEVEL_CONCERN,
]
EMPLOYEE = list(EMPLOYEE_SANCTIONS)
VOLUNTEER = list(VOLUNTEER_OUTCOMES)
DISMISSAL = {Sanction.DISMISSAL_WITH_NOTICE, Sanction.SUMMARY_DISMISSAL}
NOTHING = {Sanction.NO_ACTION, Sanction.VOLUNTEER_NO_ACTION}
FINDINGS = ["upheld", "partly_upheld", "not_upheld"]

# The natural next step at each stage.
NEXT = {
    S.RECEIVED: ["acknowledge"],
    S.TRIAGE: ["triage", "triage", "add_allegation"],
    S.SAFEGUARDING_REVIEW: ["safeguarding_review", "add_allegation"],
    S.LADO_REFERRAL: ["lado_referral"],
    S.ON_HOLD_EXTERNAL: ["resume"],
    S.APPOINTING_INVESTIGATOR: ["appoint"],
    S.INVESTIGATION: ["report", "report", "statement", "replace_officer"],
    S.INVESTIGATION_REPORT: ["decide_report"],
    S.HEARING_TO_ARRANGE: ["schedule_hearing"],
    S.HEARING_SCHEDULED: ["decide_hearing", "decide_hearing", "reschedule_hearing"],
    S.AWAITING_SIGN_OFF: ["sign_off"],
    S.RETURNED_TO_CHAIR: ["decide_hearing"],
    S.SIGNED_OFF: ["issue"],
    S.OUTCOME_ISSUED: ["lodge_appeal", "close_after_window", "record_referral"],
    S.APPEAL_LODGED: ["schedule_appeal"],
    S.APPEAL_HEARING: ["decide_appeal", "record_referral"],
}
ACTIONS = sorted(
    {name for names in NEXT.values() for name in names}
    | {"amend_allegation", "pause", "withdraw", "suspend", "record_referral"}
)
TRANSITIONS = set(ACTIONS) - {
    "add_allegation",
    "amend_allegation",
    "replace_officer",
    "statement",
    "suspend",
    "record_referral",
}
CLOSED = set(S) - OPEN
# LADO outcomes after which harm to a child is not established.
NO_HARM = {"false", "malicious", "unfounded", "unsubstantiated"}
REMOVED = DISMISSAL | {Sanction.VOLUNTEERING_ENDED}
# Who attended a hearing, as the chair may record it: (the subject, their companion, notes).
ATTENDANCE = [
    ("attended", True, ""),
    ("attended", False, ""),
    ("said_would_not", False, "Said by e-mail they would not come."),
    ("did_not_attend", False, "No reply to calls."),
    ("did_not_attend", False, ""),
    ("attended", None, ""),
    ("late", True, ""),
]

SCENARIOS = {
    "a teacher": dict(subject=("Daniel", "Shaw"), reporter=("Priya", "Patel"), clauses=("DONT-3",)),
    "a volunteer, possible data breach": dict(
        subject=("Joan", "Fitzgerald"), reporter=("Ben", "Taylor"), clauses=("DO-5",)
    ),
    "raised by an HR case manager": dict(
        subject=("Tom", "Brennan"), reporter=("Marcus", "Obi"), clauses=("GEN-1",)
    ),
    "a child at risk": dict(
        subject=("Daniel", "Shaw"), reporter=("Fiona", "MacLeod"), **SAFEGUARDING
    ),
    "a headteacher": dict(
        subject=("Michael", "Okafor"), reporter=("Chris", "Evans"), clauses=("DONT-1",)
    ),
    "the DSL, a child at risk": dict(
        subject=("Rachel", "Green"), reporter=("Priya", "Patel"), **SAFEGUARDING
    ),
    "an HR case manager": dict(
        subject=("Hannah", "Reid"), reporter=("Daniel", "Shaw"), clauses=("GEN-3",)
    ),
}
OFFICERS = [
    "Emma Wright",
    "Peter Quinn",
    "David Nwosu",
    "Rachel Green",
    "James Reilly",
    "Helen Carter",
]
CHAIRS = [
    "Catherine Walsh",
    "Peter Quinn",
    "Michael Okafor",
    "Helen Carter",
    "Anne-Marie Byrne",
    "Emma Wright",
]
WITNESSES = ["Ben Taylor", "Marcus Obi", "Helen Carter", "Catherine Walsh", None]
ACTORS = [
    "Hannah Reid",
    "Marcus Obi",
    "the subject",
    "the reporter",
    "the DSL",
    "the investigating officer",
    "the chair",
    "the signing authority",
    "the appeal chair",
    "a headteacher elsewhere",
    "Ben Taylor",
    "the systems administrator",
]
HEADS = {"Helen Carter", "Michael Okafor", "Anne-Marie Byrne"}

REASONS = ["Clear reasons, given in full."] * 4 + ["", "  \n "]


def _name(first_last: str) -> tuple[str, str]:
    first, last = first_last.rsplit(" ", 1)
    return first, last


# --- The model ----------------------------------------------------------------------------


@dataclass
class Model:
    """What the test expects of one case."""

    pk: int
    scenario: str
    status: str
    volunteer: bool
    data_protection: bool
    raised_on: datetime.date
    allegations: int = 0
    paused_from: str = ""
    officer: int | None = None
    chair: int | None = None
    appeal_chair: int | None = None
    witnesses: set[int] = field(default_factory=set)
    signers: set[int] = field(default_factory=set)
    hearing_day: datetime.date | None = None
    appeal_hearing_day: datetime.date | None = None
    dismissal_warned: bool = False
    sanction: str = ""
    suspended: bool = False
    teacher: bool = False
    lado: bool = False  # the harm threshold was met: referred to the LADO
    lado_outcome: str = ""
    referrals_answered: set[str] = field(default_factory=set)
    companion_named: bool = False
    appeal_companion_named: bool = False
    postponements: int = 0
    threshold_deciders: set[int] = field(default_factory=set)
    suspenders: set[int] = field(default_factory=set)


@dataclass
class Expect:
    allowed: bool
    to: str = ""
    event: str = ""  # the audit action of a step that records something without moving


REFUSED = Expect(False)
AFTER_HEARING = datetime.timedelta(hours=2)


def _hearing_starts(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class Clock:
    """'Now', moved on by the test: appeal windows close, hearings fall due."""

    def __init__(self):
        self.offset = datetime.timedelta(0)

    def now(self) -> datetime.datetime:
        return REAL_NOW() + self.offset

    def today(self) -> datetime.date:
        return timezone.localtime(self.now()).date()

    @contextmanager
    def running(self):
        with mock.patch("django.utils.timezone.now", self.now):
            yield


class CaseLifecycles(RuleBasedStateMachine):
    """Set up by ``test_random_sequences_of_actions_keep_every_case_consistent``."""

    people: dict[str, StaffMember]
    admin: User
    old_clause: Clause
    hr_ids: set[int]
    io_ids: set[int]
    chair_ids: set[int]
    heads_by_school: dict[int, set[int]]
    governors_by_school: dict[int, set[int]]
    executive_ids: set[int]

    def __init__(self):
        super().__init__()
        self.cases: list[Model] = []
        self.clock = Clock()
        self._forward = False
        # Each run starts from the same database and leaves nothing behind.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- Rules ----------------------------------------------------------------------------

    @initialize(scenario=st.sampled_from(sorted(SCENARIOS)))
    def a_concern_is_raised(self, scenario):
        self._raise(scenario)

    @precondition(lambda self: len(self.cases) < 3)
    @rule(scenario=st.sampled_from(sorted(SCENARIOS)))
    def another_concern_is_raised(self, scenario):
        self._raise(scenario)

    @precondition(lambda self: any(m.status in OPEN for m in self.cases))
    @rule(data=st.data())
    def advance_a_case_as_the_right_person(self, data):
        """Mostly good input and the choice that leads on, so that runs reach the appeal."""
        model = self._draw_case(data, [m for m in self.cases if m.status in OPEN])
        if model.allegations == 0 and model.status in (S.TRIAGE, S.SAFEGUARDING_REVIEW):
            action = "add_allegation"
        else:
            action = data.draw(st.sampled_from(NEXT[model.status]), label="action")
        actor = self._right_person(model, action, data)
        hearing_day = {
            "decide_hearing": model.hearing_day,
            "decide_appeal": model.appeal_hearing_day,
        }.get(action)
        if (
            hearing_day is not None
            and not self._held(hearing_day)
            and data.draw(st.sampled_from([True, True, True, False]), label="wait for hearing")
        ):
            # The chair decides after the hearing: let the days pass until it has been held.
            self.clock.offset = _hearing_starts(hearing_day) + AFTER_HEARING - REAL_NOW()
        self._forward = True
        try:
            self._attempt(model, action, actor, data)
        finally:
            self._forward = False

    @rule(data=st.data())
    def anyone_tries_anything(self, data):
        model = self._draw_case(data, self.cases)
        action = data.draw(st.sampled_from(ACTIONS), label="action")
        who = data.draw(st.sampled_from(ACTORS), label="actor")
        self._attempt(model, action, self._actor(model, who), data)

    def _held(self, hearing_day: datetime.date | None) -> bool:
        """Whether the hearing on ``hearing_day`` (at 10:00) has begun."""
        return hearing_day is not None and self.clock.now() >= _hearing_starts(hearing_day)

    @rule(days=st.integers(min_value=1, max_value=15))
    def time_passes(self, days):
        self.clock.offset += datetime.timedelta(days=days)

    @invariant()
    def every_case_agrees_with_itself_and_the_model(self):
        for model in self.cases:
            case = assert_case_consistent(model.pk)
            assert case.status == model.status
            assert case.investigating_officer_id == model.officer
            assert case.hearing_chair_id == model.chair
            assert case.appeal_chair_id == model.appeal_chair
            assert set(case.witnesses.values_list("pk", flat=True)) == model.witnesses
            assert case.allegations.count() == model.allegations
            assert case.paused_from == model.paused_from
            assert case.sanction == model.sanction
            assert case.suspensions.filter(ended_on__isnull=True).exists() == model.suspended

    # --- Running one attempt --------------------------------------------------------------

    def _raise(self, scenario: str) -> None:
        options = dict(SCENARIOS[scenario])
        subject, reporter = person(*options.pop("subject")), person(*options.pop("reporter"))
        with self.clock.running():
            case = concerns.report_concern(
                concern=concerns.Concern(
                    subject=subject,
                    seen_on=self.clock.today() - datetime.timedelta(days=2),
                    platform="facebook",
                    account_kind="personal",
                    # A post of its own: the same words again would be the same concern.
                    what_was_seen=options.get("what_was_seen", "A post about a colleague.")
                    + f" (post {len(self.cases) + 1})",
                    suspected_clauses=[
                        Clause.objects.get(policy__is_current=True, code=code)
                        for code in options["clauses"]
                    ],
                    pupils_involved=options.get("pupils_involved", "none"),
                ),
                reporter=reporter,
                by=reporter.user,
            )
        subject = case.subject
        self.cases.append(
            Model(
                pk=case.pk,
                scenario=scenario,
                status=case.status,
                volunteer=subject.is_volunteer,
                data_protection=case.data_protection,
                raised_on=self.clock.today(),
                teacher=subject.is_teacher,
            )
        )
        expected = S.SAFEGUARDING_REVIEW if "child" in scenario else S.RECEIVED
        assert case.status == expected

    def _attempt(self, model: Model, action: str, actor: User, data) -> None:
        case = fresh(model.pk)
        if action == "amend_allegation" and model.allegations == 0:
            action = "add_allegation"  # nothing to amend yet
        inputs = getattr(self, f"_inputs_{action}")(model, case, data)
        person = StaffMember.objects.filter(user=actor).first()
        expected = getattr(self, f"_expect_{action}")(model, case, person, inputs)
        if expected.allowed and not self._hr_may_take_the_next_step(model, case, expected.to):
            expected = REFUSED
        if (
            expected.allowed
            and expected.to in CLOSED
            and self._referrals_outstanding(model, action, inputs)
        ):
            expected = REFUSED  # no case closes before its referral questions are answered
        before = database_state()
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        refusal = None
        with self.clock.running():
            try:
                getattr(self, f"_run_{action}")(case, actor, inputs)
            except CaseworkError as error:
                refusal = error
        who = person.full_name if person else actor.email
        if not expected.allowed:
            assert refusal is not None, f"{action} by {who} with {inputs} should have been refused"
            assert refusal.message.strip()
            assert database_state() == before, f"refused {action} by {who} changed something"
            return
        assert refusal is None, (
            f"{action} by {who} with {inputs} was refused: {refusal.message}" if refusal else ""
        )
        after = fresh(model.pk)
        assert after.status == expected.to, f"{action} took the case to {after.status}"
        new = list(
            AuditEvent.objects.filter(case_id=model.pk, id__gt=last_event).exclude(
                action__startswith="viewed."
            )
        )
        moves = [(e.details["from"], e.details["to"]) for e in new if e.action == "case.transition"]
        if action in TRANSITIONS:
            assert moves == [(model.status, expected.to)], moves
        else:
            assert moves == []
            assert expected.event in [e.action for e in new]
        self._apply(model, action, person, inputs, after)

    def _apply(self, model: Model, action: str, person, inputs: dict, case: Case) -> None:
        """Bring the model up to date after an allowed action."""
        previous = model.status
        model.status = case.status
        if action == "add_allegation":
            model.allegations += 1
        elif action == "pause":
            model.paused_from = previous
        elif action in ("resume", "withdraw"):
            if action == "resume" and not model.paused_from:  # back from the LADO
                model.lado_outcome = inputs["lado_outcome"]
            model.paused_from = ""
        elif action in ("appoint", "replace_officer"):
            model.officer = inputs["officer"].pk
        elif action == "statement" and inputs["witness"] is not None:
            model.witnesses.add(inputs["witness"].pk)
        elif action in ("schedule_hearing", "reschedule_hearing"):
            model.chair = inputs["chair"].pk
            model.hearing_day = inputs["day"]
            model.dismissal_warned = inputs["dismissal_possible"]
            model.companion_named = inputs["companion_kind"] != "none"
            if action == "reschedule_hearing" and (
                inputs["postponed_for_companion"] or inputs["postponed_for_subject"]
            ):
                model.postponements += 1
        elif action == "decide_hearing":
            model.sanction = inputs["sanction"]
        elif action == "sign_off":
            model.signers.add(person.pk)
        elif action == "schedule_appeal":
            model.appeal_chair = inputs["chair"].pk
            model.appeal_hearing_day = inputs["day"]
            model.appeal_companion_named = inputs["companion_kind"] != "none"
        elif action == "decide_appeal":
            model.sanction = self._appeal_result(model, inputs)
        elif action == "suspend":
            model.suspended = True
            model.suspenders.add(person.pk)
        elif action == "safeguarding_review":
            model.threshold_deciders.add(person.pk)
            model.lado = model.lado or inputs["decision"] == "refer_to_lado"
        elif action == "record_referral":
            model.referrals_answered.add(inputs["body"])
        if model.status not in OPEN:
            model.suspended = False

    def _draw_case(self, data, models: list[Model]) -> Model:
        references = {fresh(m.pk).reference: m for m in models}
        return references[data.draw(st.sampled_from(sorted(references)), label="case")]

    def _choose(self, data, options, *, label: str, forward=None):
        """One of ``options``; on the way forward, mostly ``forward``."""
        if self._forward and forward is not None:
            options = [forward] * 6 + list(options)
        return data.draw(st.sampled_from(options), label=label)

    # --- Who is who -----------------------------------------------------------------------

    def _actor(self, model: Model, who: str) -> User:
        case = fresh(model.pk)
        named = {
            "the subject": case.subject,
            "the reporter": case.reporter,
            "the DSL": case.safeguarding_lead,
            "the investigating officer": case.investigating_officer,
            "the chair": case.hearing_chair,
            "the signing authority": case.signing_authority,
            "the appeal chair": case.appeal_chair,
        }
        if who == "the systems administrator":
            return self.admin
        if who == "a headteacher elsewhere":
            elsewhere = [
                p
                for name, p in self.people.items()
                if name in HEADS and p.school_id != case.school_id
            ]
            return elsewhere[0].user
        staff = named.get(who) if who in named else self.people[who]
        return (staff or self.people["Ben Taylor"]).user

    def _free_hr(self, model: Model, case: Case) -> list[StaffMember]:
        too_close = self._too_close(model, case)
        return [
            p for name, p in self.people.items() if p.pk in self.hr_ids and p.pk not in too_close
        ]

    def _right_person(self, model: Model, action: str, data) -> User:
        case = fresh(model.pk)
        if action in ("safeguarding_review", "lado_referral") or (
            action == "add_allegation" and model.status == S.SAFEGUARDING_REVIEW
        ):
            return case.safeguarding_lead.user
        if action in ("statement", "report"):
            return case.investigating_officer.user
        if action == "decide_hearing":
            return case.hearing_chair.user
        if action == "sign_off":
            return case.signing_authority.user
        if action == "decide_appeal":
            return case.appeal_chair.user
        free = self._free_hr(model, case) or [self.people["Hannah Reid"]]
        return data.draw(st.sampled_from(free), label="HR").user

    def _hr_may_take_the_next_step(self, model: Model, case: Case, status: str) -> bool:
        """A concern about an HR case manager never waits in the shared HR queue: a colleague
        free of the case takes HR's steps, and if there is none, no step leads to one."""
        if TASK_FOR_STATUS.get(status) not in HR_TASKS or case.subject_id not in self.hr_ids:
            return True
        return bool(self._free_hr(model, case))

    def _too_close(self, model: Model, case: Case) -> set[int]:
        return {case.subject_id, case.reporter_id, *model.witnesses}

    def _hr_free(self, model, case, person) -> bool:
        return (
            person is not None
            and person.pk in self.hr_ids
            and person.pk not in self._too_close(model, case)
        )

    def _is(self, model, case, person, holder_id) -> bool:
        return (
            person is not None
            and holder_id is not None
            and person.pk == holder_id
            and person.pk not in self._too_close(model, case)
        )

    def _dsl(self, model, case, person) -> bool:
        return self._is(model, case, person, case.safeguarding_lead_id)

    def _some_chair(self, model, case, data, *, appeal: bool) -> StaffMember | None:
        able = [
            self.people[name]
            for name in CHAIRS
            if self._may_chair(model, case, self.people[name], appeal=appeal)
        ]
        return data.draw(st.sampled_from(able)) if able else None

    def _some_officer(self, model, case, data) -> StaffMember | None:
        able = [
            self.people[name]
            for name in OFFICERS
            if self._may_investigate(model, case, self.people[name])
        ]
        return data.draw(st.sampled_from(able)) if able else None

    def _may_chair(self, model, case, chair, *, appeal: bool) -> bool:
        others = {model.officer, model.appeal_chair if not appeal else model.chair}
        # Whoever decided the harm threshold or suspended the subject has formed a view.
        others |= model.threshold_deciders | model.suspenders
        if appeal:
            others |= model.signers
        return (
            chair.pk in self.chair_ids
            and chair.pk not in self._too_close(model, case)
            and chair.pk not in others
            # Someone must be left to sign off the chair's decision.
            and (appeal or self._someone_may_sign_off(model, case, chair=chair.pk))
        )

    # --- Actions: inputs, expectation, run ------------------------------------------------

    # HR acknowledges.
    def _inputs_acknowledge(self, model, case, data):
        return {}

    def _expect_acknowledge(self, model, case, person, inputs):
        ok = model.status == S.RECEIVED and self._hr_free(model, case, person)
        return Expect(True, S.TRIAGE) if ok else REFUSED

    def _run_acknowledge(self, case, actor, inputs):
        triage.acknowledge_concern(case=case, by=actor)

    # HR triages.
    def _inputs_triage(self, model, case, data):
        return {
            "decision": self._choose(
                data,
                ["investigation", "safeguarding", "no_case_to_answer", "informal", "sack them"],
                label="decision",
                forward="investigation",
            ),
            "reasons": self._choose(data, REASONS, label="reasons", forward=REASONS[0]),
        }

    def _expect_triage(self, model, case, person, inputs):
        # Each decision belongs to its own stage, even where another stage's transition
        # leads to the same place.
        if not (
            inputs["reasons"].strip()
            and model.status == S.TRIAGE
            and self._hr_free(model, case, person)
        ):
            return REFUSED
        to = {
            "no_case_to_answer": S.NO_CASE_TO_ANSWER,
            "informal": S.INFORMAL_ADVICE,
            "safeguarding": S.SAFEGUARDING_REVIEW,
            "investigation": S.APPOINTING_INVESTIGATOR if model.allegations else "",
        }.get(inputs["decision"])
        return Expect(True, to) if to else REFUSED

    def _run_triage(self, case, actor, inputs):
        triage.triage_concern(case=case, by=actor, **inputs)

    # Allegations: HR, the DSL or the investigating officer frame them.
    def _inputs_add_allegation(self, model, case, data):
        return {
            "clause": self._choose(
                data, ["DONT-3", "GEN-1", "another version"], label="clause", forward="GEN-1"
            ),
            "particulars": self._choose(
                data,
                ["It is alleged that the post breached the policy.", " "],
                label="particulars",
                forward="It is alleged that the post breached the policy.",
            ),
        }

    def _may_frame(self, model, case, person) -> bool:
        return (
            self._hr_free(model, case, person)
            or self._is(model, case, person, model.officer)
            or self._dsl(model, case, person)
        )

    def _expect_add_allegation(self, model, case, person, inputs):
        ok = (
            self._may_frame(model, case, person)
            and self._allegations_open(model)
            and inputs["clause"] != "another version"
            and inputs["particulars"].strip()
        )
        return Expect(True, model.status, "allegation.added") if ok else REFUSED

    def _allegations_open(self, model: Model) -> bool:
        """Framed until the hearing is arranged; a case on hold counts as the stage it will
        resume at."""
        if model.status == S.ON_HOLD_EXTERNAL and model.paused_from:
            return RESUMES_TO[model.paused_from] in FRAMING
        return model.status in FRAMING

    def _clause(self, code: str) -> Clause:
        if code == "another version":
            return self.old_clause
        return Clause.objects.get(policy__is_current=True, code=code)

    def _run_add_allegation(self, case, actor, inputs):
        allegations.add_allegation(
            case=case,
            by=actor,
            clause=self._clause(inputs["clause"]),
            particulars=inputs["particulars"],
        )

    def _inputs_amend_allegation(self, model, case, data):
        return self._inputs_add_allegation(model, case, data)

    def _expect_amend_allegation(self, model, case, person, inputs):
        expected = self._expect_add_allegation(model, case, person, inputs)
        return Expect(True, model.status, "allegation.amended") if expected.allowed else REFUSED

    def _run_amend_allegation(self, case, actor, inputs):
        allegations.amend_allegation(
            allegation=case.allegations.order_by("number").first(),
            by=actor,
            clause=self._clause(inputs["clause"]),
            particulars=inputs["particulars"],
        )

    # The DSL reviews a safeguarding concern and refers it to the LADO.
    def _inputs_safeguarding_review(self, model, case, data):
        return {
            "decision": self._choose(
                data,
                ["refer_to_lado", "investigation", "low_level_concern", "not_safeguarding", "?"],
                label="decision",
                forward=data.draw(st.sampled_from(["refer_to_lado", "investigation"])),
            ),
            "reasons": self._choose(data, REASONS, forward=REASONS[0], label="reasons"),
        }

    def _expect_safeguarding_review(self, model, case, person, inputs):
        if not inputs["reasons"].strip():
            return REFUSED
        if not (model.status == S.SAFEGUARDING_REVIEW and self._dsl(model, case, person)):
            return REFUSED
        to = {
            "refer_to_lado": S.LADO_REFERRAL,
            "low_level_concern": S.LOW_LEVEL_CONCERN,
            "not_safeguarding": S.TRIAGE,
            "investigation": S.APPOINTING_INVESTIGATOR if model.allegations else "",
        }.get(inputs["decision"])
        return Expect(True, to) if to else REFUSED

    def _run_safeguarding_review(self, case, actor, inputs):
        safeguarding.review_safeguarding_concern(case=case, by=actor, **inputs)

    def _inputs_lado_referral(self, model, case, data):
        days = data.draw(st.sampled_from([0, 0, 0, -1, 1, -400]), label="referred, days from today")
        return {
            "referred_on": self.clock.today() + datetime.timedelta(days=days),
            "lado_reference": data.draw(st.sampled_from(["LADO/2026/117"] * 3 + [" "])),
            "lado_name": "Ashbury LADO service",
            "police_involved": data.draw(st.booleans()),
        }

    def _expect_lado_referral(self, model, case, person, inputs):
        ok = (
            model.raised_on <= inputs["referred_on"] <= self.clock.today()
            and inputs["lado_reference"].strip()
            and model.status == S.LADO_REFERRAL
            and self._dsl(model, case, person)
        )
        return Expect(True, S.ON_HOLD_EXTERNAL) if ok else REFUSED

    def _run_lado_referral(self, case, actor, inputs):
        safeguarding.record_lado_referral(case=case, by=actor, **inputs)

    # HR pauses and resumes.
    def _inputs_pause(self, model, case, data):
        return {"reason": self._choose(data, REASONS, forward=REASONS[0], label="reason")}

    def _expect_pause(self, model, case, person, inputs):
        ok = (
            inputs["reason"].strip()
            and model.status in FORMAL
            and self._hr_free(model, case, person)
        )
        return Expect(True, S.ON_HOLD_EXTERNAL) if ok else REFUSED

    def _run_pause(self, case, actor, inputs):
        safeguarding.pause_case(case=case, by=actor, **inputs)

    def _inputs_resume(self, model, case, data):
        return {
            "notes": self._choose(data, REASONS, forward=REASONS[0], label="notes"),
            "lado_outcome": data.draw(
                st.sampled_from([*LadoOutcome.values, ""]), label="LADO outcome"
            ),
            "next_step": self._choose(
                data,
                [*AFTER_LADO, "", S.CLOSED],
                label="next",
                forward=S.APPOINTING_INVESTIGATOR,
            ),
        }

    def _expect_resume(self, model, case, person, inputs):
        if not (
            inputs["notes"].strip()
            and model.status == S.ON_HOLD_EXTERNAL
            and self._hr_free(model, case, person)
        ):
            return REFUSED
        if model.paused_from:
            return Expect(True, RESUMES_TO[model.paused_from])
        if (
            inputs["lado_outcome"] not in LadoOutcome.values
            or inputs["next_step"] not in AFTER_LADO
        ):
            return REFUSED
        if inputs["next_step"] == S.APPOINTING_INVESTIGATOR and model.allegations == 0:
            return REFUSED
        return Expect(True, inputs["next_step"])

    def _run_resume(self, case, actor, inputs):
        safeguarding.resume_after_hold(case=case, by=actor, **inputs)

    # HR appoints (and may replace) the investigating officer.
    def _inputs_appoint(self, model, case, data):
        return {
            "officer": self._choose(
                data,
                [self.people[name] for name in OFFICERS],
                label="officer",
                forward=self._some_officer(model, case, data),
            ),
            "terms_of_reference": self._choose(
                data, REASONS, forward=REASONS[0], label="terms of reference"
            ),
        }

    def _may_investigate(self, model, case, officer) -> bool:
        return (
            officer.pk in self.io_ids
            and officer.pk not in self._too_close(model, case)
            and officer.pk not in (model.chair, model.appeal_chair)
        )

    def _expect_appoint(self, model, case, person, inputs):
        ok = (
            inputs["terms_of_reference"].strip()
            and self._may_investigate(model, case, inputs["officer"])
            and model.status == S.APPOINTING_INVESTIGATOR
            and self._hr_free(model, case, person)
        )
        return Expect(True, S.INVESTIGATION) if ok else REFUSED

    def _run_appoint(self, case, actor, inputs):
        investigation.appoint_investigating_officer(case=case, by=actor, **inputs)

    def _inputs_replace_officer(self, model, case, data):
        return {
            "officer": self.people[data.draw(st.sampled_from(OFFICERS), label="officer")],
            "reason": self._choose(data, REASONS, forward=REASONS[0], label="reason"),
        }

    def _expect_replace_officer(self, model, case, person, inputs):
        ok = (
            self._hr_free(model, case, person)
            and model.status == S.INVESTIGATION
            and inputs["reason"].strip()
            and inputs["officer"].pk != model.officer
            and self._may_investigate(model, case, inputs["officer"])
        )
        return Expect(True, model.status, "investigation.officer_replaced") if ok else REFUSED

    def _run_replace_officer(self, case, actor, inputs):
        investigation.replace_investigating_officer(case=case, by=actor, **inputs)

    # The investigating officer takes statements and reports.
    def _inputs_statement(self, model, case, data):
        witness = data.draw(st.sampled_from(WITNESSES), label="witness")
        return {
            "taken_on": self.clock.today()
            + datetime.timedelta(days=data.draw(st.sampled_from([0, 0, -2, 1]), label="taken")),
            "statement": data.draw(st.sampled_from(["I saw the post that evening."] * 3 + [""])),
            "witness": self.people[witness] if witness else None,
            "witness_name": data.draw(st.sampled_from(["A parent, Mrs Able", ""]))
            if witness is None
            else "",
        }

    def _expect_statement(self, model, case, person, inputs):
        witness = inputs["witness"]
        ok = (
            self._is(model, case, person, model.officer)
            and model.status == S.INVESTIGATION
            and inputs["taken_on"] <= self.clock.today()
            and inputs["statement"].strip()
            and (witness is not None or inputs["witness_name"].strip())
        )
        if ok and witness is not None:
            ok = witness.pk not in (
                case.subject_id,
                case.reporter_id,
                model.officer,
                model.chair,
                model.appeal_chair,
            )
        return Expect(True, model.status, "investigation.statement") if ok else REFUSED

    def _run_statement(self, case, actor, inputs):
        investigation.record_statement(case=case, by=actor, **inputs)

    def _inputs_report(self, model, case, data):
        found = data.draw(
            st.lists(
                st.sampled_from(FINDINGS), min_size=model.allegations, max_size=model.allegations
            ),
            label="findings",
        )
        return {
            "summary": self._choose(data, REASONS, forward=REASONS[0], label="summary"),
            "recommendation": self._choose(
                data,
                ["hearing", "informal", "no_case_to_answer", "sack"],
                label="recommendation",
                forward="hearing",
            ),
            "found": found,
            "complete": self._choose(data, [True, True, False], label="complete", forward=True),
        }

    def _findings(self, case, found, complete):
        findings = {
            a.pk: (finding, "The screenshots and the admission.")
            for a, finding in zip(case.allegations.order_by("number"), found, strict=False)
        }
        if not complete and findings:
            findings.popitem()
        return findings

    def _expect_report(self, model, case, person, inputs):
        ok = (
            inputs["summary"].strip()
            and inputs["recommendation"] in ("hearing", "informal", "no_case_to_answer")
            and model.allegations > 0
            and inputs["complete"]
            and model.status == S.INVESTIGATION
            and self._is(model, case, person, model.officer)
        )
        return Expect(True, S.INVESTIGATION_REPORT) if ok else REFUSED

    def _run_report(self, case, actor, inputs):
        investigation.submit_investigation_report(
            case=case,
            by=actor,
            summary=inputs["summary"],
            recommendation=inputs["recommendation"],
            findings=self._findings(case, inputs["found"], inputs["complete"]),
        )

    # HR decides on the report.
    def _inputs_decide_report(self, model, case, data):
        return {
            "decision": self._choose(
                data,
                ["hearing", "informal", "no_case_to_answer", "sack"],
                label="decision",
                forward="hearing",
            ),
            "reasons": self._choose(data, REASONS, forward=REASONS[0], label="reasons"),
        }

    def _expect_decide_report(self, model, case, person, inputs):
        if not (inputs["reasons"].strip() and self._hr_free(model, case, person)):
            return REFUSED
        if model.status != S.INVESTIGATION_REPORT:
            return REFUSED
        to = {
            "hearing": S.HEARING_TO_ARRANGE,
            "no_case_to_answer": S.NO_CASE_TO_ANSWER,
            "informal": S.INFORMAL_ADVICE,
        }.get(inputs["decision"])
        return Expect(True, to) if to else REFUSED

    def _run_decide_report(self, case, actor, inputs):
        investigation.decide_on_report(case=case, by=actor, **inputs)

    # HR arranges the hearing (and may move it).
    def _arrangement_inputs(self, model, case, data, *, appeal: bool) -> dict:
        calendar = Calendar.of_case(case)
        today = self.clock.today()
        notice_on = today - datetime.timedelta(
            days=self._choose(data, [0, 0, 0, 1], label="notice given, days ago", forward=0)
        )
        notice = procedure("HEARING_NOTICE_WORKING_DAYS", trust=demo_trust_id())
        when = self._choose(
            data,
            ["with notice", "later", "too soon", "a weekend"],
            label="when",
            forward="with notice",
        )
        earliest = calendar.add_working_days(notice_on, notice)
        day = {
            "with notice": earliest,
            "later": calendar.add_working_days(notice_on, notice + 2),
            "too soon": calendar.add_working_days(notice_on, notice - 1),
            "a weekend": earliest + datetime.timedelta(days=(5 - earliest.weekday()) % 7),
        }[when]
        companion = self._choose(
            data,
            [("union", "Jo Marsh (NEU)"), ("none", ""), ("colleague", ""), ("solicitor", "A")],
            label="companion",
            forward=("union", "Jo Marsh (NEU)"),
        )
        return {
            "chair": self._choose(
                data,
                [self.people[name] for name in CHAIRS],
                label="chair",
                forward=self._some_chair(model, case, data, appeal=appeal),
            ),
            "day": day,
            "notice_given_on": notice_on,
            "location": self._choose(
                data,
                ["Meeting room 2, St Clare House"] * 3 + [" "],
                label="where",
                forward="Room 2",
            ),
            "companion_kind": companion[0],
            "companion_name": companion[1],
            "dismissal_possible": False
            if appeal
            else data.draw(st.booleans(), label="dismissal possible"),
        }

    def _arrangement(self, inputs) -> hearings.Arrangement:
        return hearings.Arrangement(
            chair=inputs["chair"],
            starts_at=_hearing_starts(inputs["day"]),
            location=inputs["location"],
            notice_given_on=inputs["notice_given_on"],
            companion_kind=inputs["companion_kind"],
            companion_name=inputs["companion_name"],
            dismissal_possible=inputs["dismissal_possible"],
        )

    def _arrangement_sound(self, case, inputs) -> bool:
        return bool(
            inputs["location"].strip()
            and not (inputs["dismissal_possible"] and case.subject.is_volunteer)
            and inputs["companion_kind"] in ("none", "colleague", "union")
            and (inputs["companion_kind"] == "none" or inputs["companion_name"].strip())
        )

    def _notice_enough(self, case, inputs) -> bool:
        calendar = Calendar.of_case(case)
        return (
            inputs["notice_given_on"] >= self.clock.today()
            and calendar.is_working_day(inputs["day"])
            and inputs["day"]
            >= calendar.add_working_days(
                inputs["notice_given_on"],
                procedure("HEARING_NOTICE_WORKING_DAYS", trust=demo_trust_id()),
            )
        )

    def _inputs_schedule_hearing(self, model, case, data):
        return self._arrangement_inputs(model, case, data, appeal=False)

    def _expect_arrangement(self, model, case, person, inputs, *, appeal: bool):
        """A hearing (or appeal hearing) arranged by HR, soundly, with notice, at its stage."""
        at, to = (
            (S.APPEAL_LODGED, S.APPEAL_HEARING)
            if appeal
            else (S.HEARING_TO_ARRANGE, S.HEARING_SCHEDULED)
        )
        ok = (
            self._arrangement_sound(case, inputs)
            and self._may_chair(model, case, inputs["chair"], appeal=appeal)
            and self._notice_enough(case, inputs)
            and model.status == at
            and self._hr_free(model, case, person)
        )
        return Expect(True, to) if ok else REFUSED

    def _expect_schedule_hearing(self, model, case, person, inputs):
        return self._expect_arrangement(model, case, person, inputs, appeal=False)

    def _run_schedule_hearing(self, case, actor, inputs):
        hearings.schedule_hearing(case=case, by=actor, arrangement=self._arrangement(inputs))

    def _inputs_reschedule_hearing(self, model, case, data):
        inputs = self._arrangement_inputs(model, case, data, appeal=False)
        inputs["reason"] = data.draw(
            st.sampled_from(["The companion cannot attend that day."] * 3 + [""]), label="reason"
        )
        inputs["postponed_for_companion"] = data.draw(st.booleans(), label="for the companion")
        inputs["postponed_for_subject"] = data.draw(
            st.sampled_from([False, False, True]), label="for the subject"
        )
        if inputs["postponed_for_companion"] and model.hearing_day:
            calendar = Calendar.of_case(case)
            window = procedure("COMPANION_POSTPONEMENT_WORKING_DAYS", trust=demo_trust_id())
            inputs["day"] = data.draw(
                st.sampled_from(
                    [
                        calendar.add_working_days(model.hearing_day, 1),
                        calendar.add_working_days(model.hearing_day, window),
                        calendar.add_working_days(model.hearing_day, window + 1),
                    ]
                ),
                label="moved to",
            )
        return inputs

    def _expect_reschedule_hearing(self, model, case, person, inputs):
        if not (
            inputs["reason"].strip()
            and self._arrangement_sound(case, inputs)
            and model.hearing_day is not None
            and model.status == S.HEARING_SCHEDULED
            and self._hr_free(model, case, person)
        ):
            return REFUSED
        if inputs["chair"].pk != model.chair and not self._may_chair(
            model, case, inputs["chair"], appeal=False
        ):
            return REFUSED
        if inputs["postponed_for_companion"] and inputs["postponed_for_subject"]:
            return REFUSED  # one reason or the other
        if inputs["postponed_for_companion"]:
            calendar = Calendar.of_case(case)
            latest = calendar.add_working_days(
                model.hearing_day,
                procedure("COMPANION_POSTPONEMENT_WORKING_DAYS", trust=demo_trust_id()),
            )
            ok = calendar.is_working_day(inputs["day"]) and (
                self.clock.today() <= inputs["day"] <= latest
            )
        else:
            ok = self._notice_enough(case, inputs)
        return Expect(True, S.HEARING_SCHEDULED) if ok else REFUSED

    def _run_reschedule_hearing(self, case, actor, inputs):
        hearings.reschedule_hearing(
            case=case,
            by=actor,
            arrangement=self._arrangement(inputs),
            reason=inputs["reason"],
            postponed_for_companion=inputs["postponed_for_companion"],
            postponed_for_subject=inputs["postponed_for_subject"],
        )

    # The chair decides; the signing authority signs off; HR issues the outcome.
    def _inputs_decide_hearing(self, model, case, data):
        return {
            "sanction": self._choose(
                data,
                (VOLUNTEER * 3 if model.volunteer else EMPLOYEE * 2)
                + [Sanction.VOLUNTEER_GUIDANCE, Sanction.FINAL_WRITTEN_WARNING, "sack"],
                label="sanction",
                forward=Sanction.VOLUNTEER_GUIDANCE
                if model.volunteer
                else Sanction.FIRST_WRITTEN_WARNING,
            ),
            "found": data.draw(
                st.lists(
                    st.sampled_from(["upheld", "partly_upheld", "not_upheld"]),
                    min_size=model.allegations,
                    max_size=model.allegations,
                ),
                label="findings",
            ),
            "complete": self._choose(data, [True, True, False], label="complete", forward=True),
            "reasons": self._choose(data, REASONS, forward=REASONS[0], label="reasons"),
            "attendance": self._choose(data, ATTENDANCE, label="attendance", forward=ATTENDANCE[0]),
        }

    def _attendance_sound(self, attendance, *, companion_named: bool, postponements: int):
        """Who came is recorded in full; without the subject, the hearing goes ahead only
        after the postponement(s) the procedure gives, or when they said they would not come."""
        subject, companion, notes = attendance
        if subject not in ("attended", "said_would_not", "did_not_attend"):
            return False
        if companion_named and companion is None:
            return False
        if subject != "attended" and not notes.strip():
            return False
        allowed = procedure("HEARING_POSTPONEMENTS_ALLOWED", trust=demo_trust_id())
        return subject != "did_not_attend" or postponements >= allowed

    def _attended(self, attendance) -> hearings.WhoAttended:
        subject, companion, notes = attendance
        return hearings.WhoAttended(subject=subject, companion_attended=companion, notes=notes)

    def _expect_decide_hearing(self, model, case, person, inputs):
        sanction = inputs["sanction"]
        ok = (
            inputs["reasons"].strip()
            and self._attendance_sound(
                inputs["attendance"],
                companion_named=model.companion_named,
                postponements=model.postponements,
            )
            and sanction in (VOLUNTEER if model.volunteer else EMPLOYEE)
            and (inputs["complete"] or model.allegations == 0)
            and (sanction in NOTHING or any(f != "not_upheld" for f in inputs["found"]))
            and (sanction not in DISMISSAL or model.dismissal_warned)
            and model.status in (S.HEARING_SCHEDULED, S.RETURNED_TO_CHAIR)
            and self._held(model.hearing_day)
            and self._is(model, case, person, model.chair)
            and self._someone_may_sign_off(model, case)
        )
        return Expect(True, S.AWAITING_SIGN_OFF) if ok else REFUSED

    def _run_decide_hearing(self, case, actor, inputs):
        hearings.record_decision(
            case=case,
            by=actor,
            findings=self._findings(case, inputs["found"], inputs["complete"]),
            sanction=inputs["sanction"],
            reasons=inputs["reasons"],
            attendance=self._attended(inputs["attendance"]),
        )

    def _someone_may_sign_off(self, model, case, *, chair: int | None = None) -> bool:
        """The school's headteacher, or else its chair of governors, or else a trust
        executive, free of the case."""
        candidates = (
            self.heads_by_school.get(case.school_id, set())
            | self.governors_by_school.get(case.school_id, set())
            | self.executive_ids
        )
        involved = self._too_close(model, case) | {model.officer, chair or model.chair}
        return bool(candidates - involved)

    def _inputs_sign_off(self, model, case, data):
        return {
            "approve": self._choose(data, [True, False], label="approve", forward=True),
            "comments": data.draw(
                st.sampled_from(["", "Please set out why a lesser sanction was not enough."])
            ),
        }

    def _expect_sign_off(self, model, case, person, inputs):
        ok = (
            (inputs["approve"] or inputs["comments"].strip())
            and model.status == S.AWAITING_SIGN_OFF
            and self._is(model, case, person, case.signing_authority_id)
        )
        to = S.SIGNED_OFF if inputs["approve"] else S.RETURNED_TO_CHAIR
        return Expect(True, to) if ok else REFUSED

    def _run_sign_off(self, case, actor, inputs):
        signoff.sign_off_outcome(case=case, by=actor, **inputs)

    def _inputs_issue(self, model, case, data):
        return {}

    def _expect_issue(self, model, case, person, inputs):
        ok = model.status == S.SIGNED_OFF and self._hr_free(model, case, person)
        return Expect(True, S.OUTCOME_ISSUED) if ok else REFUSED

    def _run_issue(self, case, actor, inputs):
        outcomes.issue_outcome(case=case, by=actor)

    # The appeal: lodged in time, or the case closes when the window passes.
    def _inputs_lodge_appeal(self, model, case, data):
        today = self.clock.today()
        choices = {"today": today, "a week ago": today - datetime.timedelta(days=7)}
        if case.appeal_deadline:
            choices["on the deadline"] = case.appeal_deadline
            choices["after the deadline"] = case.appeal_deadline + datetime.timedelta(days=1)
        choices["tomorrow"] = today + datetime.timedelta(days=1)
        when = self._choose(data, ["today", *choices], label="lodged", forward="today")
        return {
            "lodged_on": choices[when],
            "grounds": data.draw(
                st.sampled_from(["The sanction is too severe for a first matter."] * 3 + [" "])
            ),
        }

    def _expect_lodge_appeal(self, model, case, person, inputs):
        lodged = inputs["lodged_on"]
        ok = (
            inputs["grounds"].strip()
            and lodged <= self.clock.today()
            and (case.outcome_issued_on is None or lodged >= case.outcome_issued_on)
            and (case.appeal_deadline is None or lodged <= case.appeal_deadline)
            and model.status == S.OUTCOME_ISSUED
            and self._hr_free(model, case, person)
        )
        return Expect(True, S.APPEAL_LODGED) if ok else REFUSED

    def _run_lodge_appeal(self, case, actor, inputs):
        appeals.lodge_appeal(case=case, by=actor, **inputs)

    def _inputs_close_after_window(self, model, case, data):
        return {}

    def _expect_close_after_window(self, model, case, person, inputs):
        ok = (
            case.appeal_deadline is not None
            and self.clock.today() > case.appeal_deadline
            and model.status == S.OUTCOME_ISSUED
            and self._hr_free(model, case, person)
        )
        return Expect(True, S.CLOSED) if ok else REFUSED

    def _run_close_after_window(self, case, actor, inputs):
        outcomes.close_after_appeal_window(case=case, by=actor)

    def _inputs_schedule_appeal(self, model, case, data):
        return self._arrangement_inputs(model, case, data, appeal=True)

    def _expect_schedule_appeal(self, model, case, person, inputs):
        return self._expect_arrangement(model, case, person, inputs, appeal=True)

    def _run_schedule_appeal(self, case, actor, inputs):
        appeals.schedule_appeal_hearing(case=case, by=actor, arrangement=self._arrangement(inputs))

    def _inputs_decide_appeal(self, model, case, data):
        outcome = self._choose(
            data,
            ["upheld", "sanction_reduced", "sanction_reduced", "revoked", "?"],
            label="outcome",
            forward=data.draw(st.sampled_from(["upheld", "sanction_reduced", "revoked"])),
        )
        return {
            "outcome": outcome,
            "new_sanction": data.draw(st.sampled_from([*EMPLOYEE, *VOLUNTEER, ""]), label="to")
            if outcome == "sanction_reduced"
            else "",
            "reasons": self._choose(data, REASONS, forward=REASONS[0], label="reasons"),
            "attendance": self._choose(data, ATTENDANCE, label="attendance", forward=ATTENDANCE[0]),
        }

    def _appeal_result(self, model, inputs) -> str:
        if inputs["outcome"] == "upheld":
            return model.sanction
        if inputs["outcome"] == "revoked":
            return Sanction.VOLUNTEER_NO_ACTION if model.volunteer else Sanction.NO_ACTION
        return inputs["new_sanction"]

    def _expect_decide_appeal(self, model, case, person, inputs):
        if not (
            inputs["reasons"].strip()
            and model.status == S.APPEAL_HEARING
            and self._held(model.appeal_hearing_day)
            and self._is(model, case, person, model.appeal_chair)
            and self._attendance_sound(
                inputs["attendance"],
                companion_named=model.appeal_companion_named,
                postponements=0,  # this model never moves an appeal hearing
            )
        ):
            return REFUSED
        if inputs["outcome"] in ("upheld", "revoked"):
            return Expect(True, S.APPEAL_DECIDED)
        if inputs["outcome"] != "sanction_reduced":
            return REFUSED
        scale = VOLUNTEER if model.volunteer else EMPLOYEE
        new = inputs["new_sanction"]
        lighter = new in scale and scale.index(new) < scale.index(model.sanction)
        return Expect(True, S.APPEAL_DECIDED) if lighter else REFUSED

    def _run_decide_appeal(self, case, actor, inputs):
        appeals.decide_appeal(
            case=case,
            by=actor,
            outcome=inputs["outcome"],
            new_sanction=inputs["new_sanction"],
            reasons=inputs["reasons"],
            attendance=self._attended(inputs["attendance"]),
        )

    # HR may withdraw a case or suspend its subject at any suitable moment.
    def _inputs_withdraw(self, model, case, data):
        return {"reason": self._choose(data, REASONS, forward=REASONS[0], label="reason")}

    def _expect_withdraw(self, model, case, person, inputs):
        ok = (
            inputs["reason"].strip() and model.status in OPEN and self._hr_free(model, case, person)
        )
        return Expect(True, S.WITHDRAWN) if ok else REFUSED

    def _run_withdraw(self, case, actor, inputs):
        case_admin.withdraw_case(case=case, by=actor, **inputs)

    def _inputs_suspend(self, model, case, data):
        return {
            "reasons": self._choose(data, REASONS, forward=REASONS[0], label="reasons"),
            "alternatives_considered": "A change of duties would not remove the risk.",
            "welfare_contact": case.subject
            if data.draw(st.sampled_from([False, False, True]), label="subject as contact")
            else self.people["Ben Taylor"],
        }

    def _expect_suspend(self, model, case, person, inputs):
        ok = (
            self._hr_free(model, case, person)
            and model.status in SUSPENDABLE
            and not model.suspended
            and inputs["reasons"].strip()
            and inputs["welfare_contact"].pk != case.subject_id
        )
        return Expect(True, model.status, "suspension.started") if ok else REFUSED

    def _run_suspend(self, case, actor, inputs):
        suspensions.suspend(
            case=case, by=actor, started_on=self.clock.today(), conditions="", **inputs
        )

    # HR records referral decisions; no case closes while one the rules call for is missing.
    def _referrals_outstanding(self, model, action, inputs) -> bool:
        """The DBS question (harm to a child and removed, or the LADO substantiated) or, for
        a teacher, the TRA question (dismissed, or the LADO substantiated) is unanswered.
        (Nobody resigns or settles in this model.)"""
        sanction = (
            self._appeal_result(model, inputs) if action == "decide_appeal" else model.sanction
        )
        lado_outcome = model.lado_outcome
        if action == "resume" and not model.paused_from:
            lado_outcome = inputs["lado_outcome"]
        substantiated = lado_outcome == "substantiated"
        harm = model.lado and lado_outcome not in NO_HARM
        due = set()
        if substantiated or (harm and sanction in REMOVED):
            due.add("dbs")
        if model.teacher and (substantiated or sanction in DISMISSAL):
            due.add("tra")
        return bool(due - model.referrals_answered)

    def _inputs_record_referral(self, model, case, data):
        made = data.draw(st.booleans(), label="made")
        days = data.draw(st.sampled_from([0, 0, 0, 1, -400]), label="made, days from today")
        return {
            "body": self._choose(
                data,
                ["dbs", "tra", "ofsted"],
                label="body",
                forward=data.draw(st.sampled_from(["dbs", "tra"] if model.teacher else ["dbs"])),
            ),
            "made": made,
            "made_on": self.clock.today() + datetime.timedelta(days=days) if made else None,
            "reference": data.draw(st.sampled_from(["REF-1", "REF-1", " "])) if made else "",
            "reasons": "" if made else self._choose(data, REASONS, forward=REASONS[0], label="why"),
        }

    def _expect_record_referral(self, model, case, person, inputs):
        bodies = {"dbs", "tra"} if model.teacher else {"dbs"}
        if not (self._hr_free(model, case, person) and inputs["body"] in bodies):
            return REFUSED
        if inputs["made"]:
            ok = (
                model.raised_on <= inputs["made_on"] <= self.clock.today()
                and inputs["reference"].strip()
            )
        else:
            ok = bool(inputs["reasons"].strip())
        return Expect(True, model.status, "referral.decided") if ok else REFUSED

    def _run_record_referral(self, case, actor, inputs):
        referrals.record_referral_decision(case=case, by=actor, **inputs)


def test_random_sequences_of_actions_keep_every_case_consistent():
    names = {
        "Hannah Reid",
        "Marcus Obi",
        "Ben Taylor",
        *OFFICERS,
        *CHAIRS,
        *[w for w in WITNESSES if w],
    }
    CaseLifecycles.people = {name: person(*_name(name)) for name in sorted(names)}
    CaseLifecycles.admin = User.objects.get(email=demo.ADMIN_EMAIL)
    CaseLifecycles.old_clause = older_policy_clause()
    roles = RoleAssignment.objects.values_list("person_id", "role", "school_id")
    CaseLifecycles.hr_ids = {p for p, role, _ in roles if role == Role.HR_CASE_MANAGER}
    CaseLifecycles.io_ids = {p for p, role, _ in roles if role == Role.INVESTIGATING_OFFICER}
    CaseLifecycles.chair_ids = {
        p for p, role, _ in roles if role in (Role.HEADTEACHER, Role.TRUST_EXECUTIVE)
    }
    CaseLifecycles.executive_ids = {p for p, role, _ in roles if role == Role.TRUST_EXECUTIVE}
    CaseLifecycles.heads_by_school = {}
    CaseLifecycles.governors_by_school = {}
    for p, role, school in roles:
        if role == Role.HEADTEACHER:
            CaseLifecycles.heads_by_school.setdefault(school, set()).add(p)
        if role == Role.CHAIR_OF_GOVERNORS:
            CaseLifecycles.governors_by_school.setdefault(school, set()).add(p)
    run_state_machine_as_test(
        CaseLifecycles,
        settings=settings(
            max_examples=examples(20),
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
