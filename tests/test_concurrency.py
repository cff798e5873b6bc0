"""Two people act on one case at the same moment (PostgreSQL row locks, real threads).

Each thread has its own database connection, as two requests to two server workers would.
Exactly one of two competing steps wins; the other person is told, in words, that someone
else moved the case first; nothing is half-done; and the case's status, tasks and audit
trail agree afterwards. Concurrent concerns are numbered one after another, without gaps.

The workflow locks a case's process row with ``select ... for update nowait`` and retries
(``CaseFlow.lock_impl``); ``casework.services.cases.locked_case`` and viewflow's task views
take that lock before anything else. Some tests hold the lock from a third connection while
the competing requests arrive, so that they must queue rather than merely race. SQLite has
no row locks, so these run on PostgreSQL only.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import ATTENDED, arrangement, case_at, hr, person, raise_concern
from casework.errors import CaseMoved, CaseworkError, RuleBroken
from casework.models import Case, Hearing, ReferenceCounter, Status
from casework.services import case_admin, hearings
from workflows import engine
from workflows.flows import CaseFlow
from workflows.models import CaseProcess

from .strategies import assert_case_consistent, transitions

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; CI runs the whole suite on PostgreSQL too, "
        "where these tests run",
    ),
    pytest.mark.usefixtures("reseed"),
]


class Outcome:
    def __init__(self, *, value=None, refusal: CaseworkError | None = None, crash=None):
        self.value, self.refusal, self.crash = value, refusal, crash

    def __repr__(self) -> str:
        return f"Outcome(value={self.value!r}, refusal={self.refusal!r}, crash={self.crash!r})"


def at_once(*actions: Callable[[], object], hold_case: Case | None = None) -> list[Outcome]:
    """Run ``actions`` in threads released together, each on its own connection.

    With ``hold_case``, another connection holds the case's workflow lock until every action
    has started, so that they all arrive while the case is busy and must queue.
    """
    started = threading.Barrier(len(actions) + 1)
    outcomes: list[Outcome | None] = [None] * len(actions)

    def run(index: int, action) -> None:
        try:
            started.wait(timeout=10)
            outcomes[index] = Outcome(value=action())
        except CaseworkError as refusal:
            outcomes[index] = Outcome(refusal=refusal)
        except Exception as crash:  # reported by the test, not swallowed
            outcomes[index] = Outcome(crash=crash)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    if hold_case is None:
        started.wait(timeout=10)
    else:
        holder = threading.Thread(target=_hold_lock, args=(hold_case, started))
        holder.start()
        holder.join()
    for thread in threads:
        thread.join(timeout=60)
    assert all(o is not None for o in outcomes), "an action did not finish"
    return outcomes  # type: ignore[return-value]


def _hold_lock(case: Case, started: threading.Barrier) -> None:
    """Hold the case's workflow lock while the competing requests arrive."""
    try:
        process = CaseProcess.objects.get(case_id=case.pk)
        with transaction.atomic():
            CaseFlow.process_class.objects.select_for_update().filter(pk=process.pk).exists()
            started.wait(timeout=10)
            threading.Event().wait(0.6)  # both requests are now waiting for the lock
    finally:
        connections.close_all()


def winners_and_losers(outcomes: list[Outcome]) -> tuple[list[Outcome], list[Outcome]]:
    assert not [o.crash for o in outcomes if o.crash], outcomes
    won = [o for o in outcomes if o.refusal is None]
    lost = [o for o in outcomes if o.refusal is not None]
    return won, lost


def assert_told_someone_else_moved_it(refusal: CaseworkError) -> None:
    assert isinstance(refusal, CaseMoved), refusal
    assert "Nothing was changed" in refusal.message or "try again" in refusal.message


@pytest.mark.parametrize("queued", [False, True], ids=["racing", "queued behind a lock"])
def test_two_hr_case_managers_withdraw_the_same_case_at_once(queued):
    case = case_at(Status.INVESTIGATION)
    before = transitions(case)
    hannah, marcus = person("Hannah", "Reid").user, person("Marcus", "Obi").user
    outcomes = at_once(
        lambda: case_admin.withdraw_case(case=case, by=hannah, reason="Withdrawn by Hannah."),
        lambda: case_admin.withdraw_case(case=case, by=marcus, reason="Withdrawn by Marcus."),
        hold_case=case if queued else None,
    )
    won, lost = winners_and_losers(outcomes)
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert_told_someone_else_moved_it(lost[0].refusal)
    case = assert_case_consistent(case)
    assert case.status == Status.WITHDRAWN
    assert transitions(case) == [*before, (Status.INVESTIGATION, Status.WITHDRAWN)]
    assert case.closure_reason == won[0].value.closure_reason


@pytest.mark.parametrize("queued", [False, True], ids=["racing", "queued behind a lock"])
def test_two_hearings_arranged_at_once_leave_exactly_one(queued):
    case = case_at(Status.HEARING_TO_ARRANGE)
    hannah, marcus = person("Hannah", "Reid").user, person("Marcus", "Obi").user
    outcomes = at_once(
        lambda: hearings.schedule_hearing(
            case=case, by=hannah, arrangement=arrangement(case, ("Catherine", "Walsh"))
        ),
        lambda: hearings.schedule_hearing(
            case=case, by=marcus, arrangement=arrangement(case, ("Helen", "Carter"))
        ),
        hold_case=case if queued else None,
    )
    won, lost = winners_and_losers(outcomes)
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert_told_someone_else_moved_it(lost[0].refusal)
    case = assert_case_consistent(case)
    (hearing,) = Hearing.objects.filter(case=case)  # the loser's arrangement left nothing
    assert hearing == won[0].value
    assert case.hearing_chair_id == hearing.chair_id
    assert engine.open_tasks(case).get().owner == hearing.chair.user
    assert transitions(case)[-1] == (Status.HEARING_TO_ARRANGE, Status.HEARING_SCHEDULED)
    assert len([t for t in transitions(case) if t[1] == Status.HEARING_SCHEDULED]) == 1


def test_a_withdrawal_and_a_decision_at_once_agree_whichever_comes_first():
    for _ in range(3):
        case = case_at(Status.HEARING_SCHEDULED, hearing_held=True, subject=("Ben", "Taylor"))
        chair = case.hearing_chair.user
        allegation = case.allegations.get()
        outcomes = at_once(
            lambda case=case: case_admin.withdraw_case(case=case, by=hr(), reason="Withdrawn."),
            lambda case=case, chair=chair, allegation=allegation: hearings.record_decision(
                attendance=ATTENDED,
                case=case,
                by=chair,
                findings={allegation.pk: ("upheld", "Admitted.")},
                sanction="first_written_warning",
                reasons="A clear breach.",
            ),
        )
        _, lost = winners_and_losers(outcomes)
        case = assert_case_consistent(case)
        assert case.status == Status.WITHDRAWN  # a decided case may still be withdrawn
        if lost:  # the withdrawal came first: the decision found the case closed
            assert lost == [outcomes[1]], outcomes
            assert_told_someone_else_moved_it(lost[0].refusal)
            assert case.sanction == ""
            assert transitions(case)[-1] == (Status.HEARING_SCHEDULED, Status.WITHDRAWN)
        else:
            assert transitions(case)[-2:] == [
                (Status.HEARING_SCHEDULED, Status.AWAITING_SIGN_OFF),
                (Status.AWAITING_SIGN_OFF, Status.WITHDRAWN),
            ]


# --- Over HTTP: two tabs, two people ------------------------------------------------------


def visible_text(response) -> str:
    """What the person reads: the main part of the page, without markup."""
    page = response.content.decode()
    main = page[page.find("<main") :] if "<main" in page else page
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()[:600]


def assert_told_in_words(response) -> None:
    """The one who came second reads that nothing was changed, in the trust's words rather
    than the workflow engine's."""
    assert response.status_code in (200, 403), response.status_code
    text = visible_text(response)
    assert "Nothing was changed" in text, text
    assert "transition" not in text.lower(), text


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decision(case: Case) -> dict:
    allegation = case.allegations.get()
    return {
        f"finding_{allegation.pk}": "upheld",
        f"reasons_{allegation.pk}": "Admitted at the hearing.",
        "sanction": "first_written_warning",
        "reasons": "A clear breach of the policy.",
        "subject_attendance": "attended",
        "companion_attended": "yes",
    }


@pytest.mark.parametrize("queued", [False, True], ids=["racing", "queued behind a lock"])
def test_the_chair_submits_the_decision_twice_at_once(queued):
    """A double click, or the same task open in two tabs."""
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    task = engine.open_tasks(case).get()
    url = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    tabs = [_signed_in(task.owner), _signed_in(task.owner)]
    data = _decision(case)
    outcomes = at_once(
        *[lambda tab=tab: tab.post(url, data) for tab in tabs],
        hold_case=case if queued else None,
    )
    responses = [o.value for o in outcomes]
    assert not [o.crash for o in outcomes if o.crash], outcomes
    codes = [r.status_code for r in responses]
    assert codes.count(302) == 1, codes
    assert_told_in_words(next(r for r in responses if r.status_code != 302))
    case = assert_case_consistent(case)
    assert case.status == Status.AWAITING_SIGN_OFF
    assert [t for t in transitions(case) if t[1] == Status.AWAITING_SIGN_OFF] == [
        (Status.HEARING_SCHEDULED, Status.AWAITING_SIGN_OFF)
    ]


def test_hr_triages_while_a_colleague_withdraws_the_case():
    case = case_at(Status.TRIAGE)
    task = engine.open_tasks(case).get()
    triage_page = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    withdraw_page = reverse("casework:withdraw", args=[case.reference])
    owner = task.owner
    colleague = next(
        person(*name).user
        for name in (("Marcus", "Obi"), ("Hannah", "Reid"))
        if person(*name).user != owner
    )
    outcomes = at_once(
        lambda: _signed_in(owner).post(
            triage_page, {"decision": "no_case_to_answer", "reasons": "Not their account."}
        ),
        lambda: _signed_in(colleague).post(withdraw_page, {"reason": "Withdrawn by the reporter."}),
        hold_case=case,
    )
    assert not [o.crash for o in outcomes if o.crash], outcomes
    responses = [o.value for o in outcomes]
    codes = [r.status_code for r in responses]
    assert codes.count(302) == 1, codes
    (refused,) = [r for r in responses if r.status_code != 302]
    assert_told_in_words(refused)
    case = assert_case_consistent(case)
    assert case.status in (Status.NO_CASE_TO_ANSWER, Status.WITHDRAWN)
    assert len([t for t in transitions(case) if t[0] == Status.TRIAGE]) == 1


# --- Reference numbers ----------------------------------------------------------------------


def test_concerns_reported_at_once_get_consecutive_references_without_gaps():
    year = timezone.localdate().year
    reporters = [("Priya", "Patel"), ("Ben", "Taylor"), ("Fiona", "MacLeod"), ("Chris", "Evans")]

    def report(reporter):
        return lambda: raise_concern(subject=("Daniel", "Shaw"), reporter=reporter).reference

    def report_then_fail():
        # A report that fails after it was numbered gives its number back.
        with transaction.atomic():
            raise_concern(subject=("Laura", "Bennett"), reporter=("Kate", "Morris"))
            raise RuleBroken("The report failed after it was numbered.")

    outcomes = at_once(*[report(r) for r in reporters], report_then_fail)
    won, lost = winners_and_losers(outcomes)
    assert len(won) == len(reporters) and len(lost) == 1
    references = sorted(o.value for o in won)
    assert references == [f"SM-{year}-{n:04d}" for n in range(1, len(reporters) + 1)]
    assert ReferenceCounter.objects.get(year=year).last_number == len(reporters)
    for case in Case.objects.all():
        assert_case_consistent(case)
    after = raise_concern(subject=("Daniel", "Shaw"), reporter=("Aisha", "Khan"))
    assert after.reference == f"SM-{year}-{len(reporters) + 1:04d}"


# --- The same concern sent twice at once ---------------------------------------------------


@pytest.mark.parametrize("same_form", [True, False], ids=["a double click", "a second tab"])
def test_the_same_concern_sent_twice_at_once_is_recorded_once(same_form):
    """Both copies arrive together: the reporter's row is locked, so the second waits for
    the first to commit, finds it, and is told its reference; one case, one number."""
    import uuid

    from casework.intake.concerns import AlreadyReported, Concern, report_concern

    priya, daniel = person("Priya", "Patel"), person("Daniel", "Shaw")
    token = uuid.uuid4()

    def send():
        concern = Concern(
            subject=daniel,
            school=daniel.school,
            seen_on=timezone.localdate(),
            platform="facebook",
            account_kind="personal",
            what_was_seen="A post naming a colleague's disciplinary meeting.",
        )
        return report_concern(
            concern=concern,
            reporter=priya,
            by=priya.user,
            submission_token=token if same_form else uuid.uuid4(),
        ).reference

    won, lost = winners_and_losers(at_once(send, send))
    assert len(won) == 1 and len(lost) == 1
    (refusal,) = [o.refusal for o in lost]
    assert isinstance(refusal, AlreadyReported)
    assert refusal.case.reference == won[0].value
    (case,) = Case.objects.all()
    assert case.reference == won[0].value
    assert ReferenceCounter.objects.get(year=timezone.localdate().year).last_number == 1
    assert_case_consistent(case)


def test_two_people_reporting_each_other_at_once_are_both_recorded():
    """Each report locks its reporter, and names the other as its subject: the lock must not
    be one that a foreign-key check waits for, or the two would deadlock."""
    priya, ben = person("Priya", "Patel"), person("Ben", "Taylor")

    def report(reporter, subject):
        return lambda: (
            raise_concern(
                reporter=(reporter.first_name, reporter.last_name),
                subject=(subject.first_name, subject.last_name),
            ).reference
        )

    won, lost = winners_and_losers(at_once(report(priya, ben), report(ben, priya)))
    assert len(won) == 2 and lost == []
    assert set(Case.objects.values_list("reporter_id", "subject_id")) == {
        (priya.pk, ben.pk),
        (ben.pk, priya.pk),
    }


def test_two_dpo_decisions_at_once_one_stands_and_the_case_goes_on_meanwhile():
    """The DPO's decision locks its own workflow, not the case's: HR's triage is not held up,
    and of two submissions of the decision exactly one is recorded."""
    from casework.models import DpoDecision
    from casework.services import data_protection, triage

    case = case_at(Status.TRIAGE, clauses=("DO-5",))
    decision = DpoDecision.objects.get(case=case)
    dpo = person("Yusuf", "Ahmed").user

    def decide(reportable: bool):
        return lambda: data_protection.record_dpo_decision(
            decision=decision,
            by=dpo,
            reportable=reportable,
            reasons="Considered the data shared and who saw it.",
            reported_at=timezone.now() if reportable else None,
            ico_reference="IC-2026-9" if reportable else "",
        )

    def triage_it():
        return triage.triage_concern(
            case=case, by=hr(), decision="informal", reasons="Advice on privacy settings."
        )

    outcomes = at_once(decide(False), decide(True), triage_it)
    assert not [o.crash for o in outcomes if o.crash], outcomes
    decided = [o for o in outcomes[:2] if o.refusal is None]
    refused = [o for o in outcomes[:2] if o.refusal is not None]
    assert len(decided) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0].refusal, RuleBroken | CaseMoved)
    assert outcomes[2].refusal is None  # triage went ahead regardless
    decision.refresh_from_db()
    assert decision.reportable == decided[0].value.reportable
    assert engine.dpo_open_task(decision) is None
    assert_case_consistent(case)
