"""The case lifecycle over HTTP: each person acts through their task pages (claiming from
the HR queue where needed) and the case page's actions; the wrong person is refused with
a clear message, a 403 or a 404, never a 500, and nothing changes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.demo_cases import SAFEGUARDING, case_at, clause, person, raise_concern
from casework.models import (
    EMPLOYEE_SANCTIONS,
    OPEN_STATUSES,
    RESUME_TO,
    VOLUNTEER_OUTCOMES,
    AuditEvent,
    Case,
    Hearing,
    Sanction,
    Status,
)
from casework.services import case_admin, outcomes
from casework.workdays import Calendar, procedure
from tests.trusts import demo_trust_id
from workflows import engine

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# --- Acting through the pages ----------------------------------------------------------


def fresh(case: Case) -> Case:
    case = Case.objects.get(pk=case.pk)
    engine.ensure_in_step(case)
    return case


def case_page(case: Case) -> str:
    return reverse("casework:case", args=[case.reference])


def action(case: Case, name: str, *args) -> str:
    return reverse(f"casework:{name}", args=[case.reference, *args])


def open_task(case: Case, name: str):
    (task,) = engine.open_tasks(case)
    assert task.flow_task.name == name, (task.flow_task.name, name)
    return task


def task_index(case: Case, name: str) -> str:
    task = open_task(case, name)
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


def task_form(client, case: Case, name: str) -> str:
    """The task's form address for the signed-in person, claiming it from the queue first."""
    index = task_index(case, name)
    response = client.get(index)
    assert response.status_code == 302
    if response["Location"].endswith("/assign/"):
        assert client.post(response["Location"]).status_code == 302
        response = client.get(index)
    assert response["Location"].endswith("/execute/"), response["Location"]
    return response["Location"]


def do_task(client, case: Case, name: str, data: dict) -> Case:
    url = task_form(client, case, name)
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == case_page(case)
    return fresh(case)


def do_action(client, case: Case, name: str, data: dict, *args) -> Case:
    response = client.post(action(case, name, *args), data)
    assert response.status_code == 302, _errors(response)
    return fresh(case)


def issue_outcome(client, case: Case) -> Case:
    """HR reads the outcome letter in draft, then issues it, which issues the outcome."""
    url = task_form(client, case, "issue_outcome")
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {name: value for name, value in data.items() if value not in (None, "", False)}
    if "pay_in_lieu" in form.fields:  # dismissal with notice: end employment today
        data["pay_in_lieu"] = "on"
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200, _errors(preview)
    data["digest"] = preview.context["form"].data["digest"]
    response = client.post(url, {**data, "action": "issue", "confirm": "on"})
    assert response.status_code == 302, _errors(response)
    return fresh(case)


def _errors(response) -> str:
    form = response.context and response.context.get("form")
    return str(form.errors) if form else response.content.decode()[:2000]


def footprint(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (
        case.status,
        case.sanction,
        case.closure_reason,
        case.subject_resigned_on,
        AuditEvent.objects.filter(case_id=case.pk).exclude(action__startswith="viewed.").count(),
        [(t.flow_task.name, t.owner_id, t.status) for t in engine.open_tasks(case)],
        case.hearings.count(),
        case.suspensions.count(),
    )


def iso(day: datetime.date) -> str:
    return day.isoformat()


def hearing_day(case: Case, extra: int = 0) -> datetime.date:
    return Calendar.of_case(case).add_working_days(
        TODAY(), procedure("HEARING_NOTICE_WORKING_DAYS", trust=demo_trust_id()) + extra
    )


def arrangement_form(case: Case, chair, *, day=None, **changes) -> dict:
    data = {
        "chair": person(*chair).pk,
        "date": iso(day or hearing_day(case)),
        "time": "10:00",
        "location": "Meeting room 2, St Clare House",
        "panel": "",
        "notice_given_on": iso(TODAY()),
        "companion_kind": "union",
        "companion_name": "Jo Marsh (NEU)",
        "dismissal_possible": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# The chair's record that the employee and their companion attended.
ATTENDED_FORM = {"subject_attendance": "attended", "companion_attended": "yes"}


def findings_form(case: Case, finding: str = "upheld") -> dict:
    """Each allegation's finding and reasons, and (for a hearing's decision) who attended."""
    data = dict(ATTENDED_FORM)
    for allegation in case.allegations.all():
        data[f"finding_{allegation.pk}"] = finding
        data[f"reasons_{allegation.pk}"] = "The screenshots and the admission."
    return data


# --- Triage -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "status"),
    [("no_case_to_answer", Status.NO_CASE_TO_ANSWER), ("informal", Status.INFORMAL_ADVICE)],
)
def test_hr_claims_a_concern_from_the_queue_and_closes_it_at_triage(sign_in, decision, status):
    case = raise_concern()
    client = sign_in("Marcus", "Obi")
    case = do_task(client, case, "acknowledge", {})
    assert case.status == Status.TRIAGE and case.case_manager == person("Marcus", "Obi")
    claimed = AuditEvent.objects.get(case_id=case.pk, action="task.claimed")
    assert claimed.actor == person("Marcus", "Obi").user
    # Triage is now Marcus's own task: no claiming needed.
    assert open_task(case, "triage").owner == person("Marcus", "Obi").user
    case = do_task(
        client, case, "triage", {"decision": decision, "reasons": "Spoke to the reporter."}
    )
    assert case.status == status and case.closure_reason == "Spoke to the reporter."
    assert list(engine.open_tasks(case)) == []


def test_hr_frames_allegations_and_opens_an_investigation(sign_in):
    case = case_at(Status.TRIAGE)
    client = sign_in("Hannah", "Reid")
    execute = task_form(client, case, "triage")
    refused = client.post(execute, {"decision": "investigation", "reasons": "Facts needed."})
    assert refused.status_code == 200
    assert "Add at least one allegation" in refused.content.decode()
    assert fresh(case).status == Status.TRIAGE

    case = do_action(
        client,
        case,
        "add_allegation",
        {
            "clause": clause("DONT-3").pk,
            "particulars": "On 3 May posted about a colleague's capability meeting.",
        },
    )
    (allegation,) = case.allegations.all()
    assert allegation.clause.code == "DONT-3" and allegation.number == 1
    case = do_task(client, case, "triage", {"decision": "investigation", "reasons": "Facts."})
    assert case.status == Status.APPOINTING_INVESTIGATOR


def test_hr_amends_and_removes_allegations_from_the_case_page(sign_in):
    case = case_at(Status.APPOINTING_INVESTIGATOR)
    (first,) = case.allegations.all()
    client = sign_in("Hannah", "Reid")
    page = client.get(case_page(case)).content.decode()
    assert action(case, "amend_allegation", first.pk) in page
    case = do_action(
        client,
        case,
        "amend_allegation",
        {"clause": clause("DONT-8").pk, "particulars": "Brought the school into disrepute."},
        first.pk,
    )
    first.refresh_from_db()
    assert first.clause.code == "DONT-8"
    case = do_action(
        client,
        case,
        "add_allegation",
        {"clause": clause("DONT-3").pk, "particulars": "Discussed a colleague's meeting."},
    )
    second = case.allegations.get(number=2)
    case = do_action(
        client, case, "remove_allegation", {"reason": "Covered by the first."}, second.pk
    )
    assert [a.number for a in case.allegations.all()] == [1]


def test_allegations_cannot_change_once_the_hearing_decided_even_on_hold(sign_in):
    case = case_at(Status.AWAITING_SIGN_OFF)
    client = sign_in("Hannah", "Reid")
    case = do_action(client, case, "pause", {"reason": "Police investigation."})
    assert action(case, "add_allegation") not in client.get(case_page(case)).content.decode()
    before = footprint(case)
    page = client.post(
        action(case, "add_allegation"),
        {"clause": clause("DONT-8").pk, "particulars": "Slipped in while paused."},
    )
    assert page.status_code == 200
    assert "can no longer change" in page.content.decode()
    assert footprint(case) == before
    assert case.allegations.count() == 1


# --- Investigation through to the hearing's decision ----------------------------------------


def test_investigation_to_hearing_to_sign_off_over_http(sign_in, own_media, hold_hearing):
    case = case_at(Status.APPOINTING_INVESTIGATOR)
    hannah = sign_in("Hannah", "Reid")
    case = do_task(
        hannah,
        case,
        "appoint_investigator",
        {
            "officer": person("Emma", "Wright").pk,
            "terms_of_reference": "Who posted, when, from which account.",
        },
    )
    assert case.status == Status.INVESTIGATION
    assert case.investigating_officer == person("Emma", "Wright")

    emma = sign_in("Emma", "Wright")
    case = do_action(
        emma,
        case,
        "add_meeting",
        {
            "held_on": iso(TODAY()),
            "held_at": "00:00",
            "location": "Head's office",
            "with_whom": "Daniel Shaw",
            "notes": "Accepted the account is his.",
        },
    )
    case = do_action(
        emma,
        case,
        "add_statement",
        {
            "witness": person("Ben", "Taylor").pk,
            "taken_on": iso(TODAY()),
            "statement": "I saw the post on the Monday.",
        },
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = do_action(
        emma,
        case,
        "add_evidence",
        {
            "file": SimpleUploadedFile("export.txt", b"Post text, exported.\n"),
            "description": "Export of the post",
        },
    )
    assert case.meetings.count() == 1 and case.statements.count() == 1
    assert case.evidence.count() == 1
    case = do_task(
        emma,
        case,
        "investigate",
        {"summary": "The post was his.", "recommendation": "hearing", **findings_form(case)},
    )
    assert case.status == Status.INVESTIGATION_REPORT

    hannah = sign_in("Hannah", "Reid")
    case = do_task(
        hannah, case, "consider_report", {"decision": "hearing", "reasons": "A case to answer."}
    )
    assert case.status == Status.HEARING_TO_ARRANGE
    case = do_task(hannah, case, "arrange_hearing", arrangement_form(case, ("Catherine", "Walsh")))
    assert case.status == Status.HEARING_SCHEDULED
    assert case.hearing_chair == person("Catherine", "Walsh")

    hold_hearing(case)
    chair = sign_in("Catherine", "Walsh")
    case = do_task(
        chair,
        case,
        "decide_hearing",
        {
            **findings_form(case),
            "sanction": Sanction.FIRST_WRITTEN_WARNING,
            "reasons": "Admitted; no previous warnings.",
        },
    )
    assert case.status == Status.AWAITING_SIGN_OFF

    head = sign_in("Michael", "Okafor")
    returned = task_form(head, case, "sign_off")
    needs_comments = head.post(returned, {"approve": "no", "comments": ""})
    assert "Say what the chair should reconsider" in needs_comments.content.decode()
    case = do_task(head, case, "sign_off", {"approve": "no", "comments": "Why not a final?"})
    assert case.status == Status.RETURNED_TO_CHAIR

    chair = sign_in("Catherine", "Walsh")
    page = chair.get(task_form(chair, case, "reconsider_decision"))
    assert "Why not a final?" in page.content.decode()
    case = do_task(
        chair,
        case,
        "reconsider_decision",
        {
            **findings_form(case),
            "sanction": Sanction.FINAL_WRITTEN_WARNING,
            "reasons": "On reflection, the harm to the colleague was serious.",
        },
    )
    assert case.status == Status.AWAITING_SIGN_OFF
    case = do_task(sign_in("Michael", "Okafor"), case, "sign_off", {"approve": "yes"})
    assert case.status == Status.SIGNED_OFF
    assert [s.approved for s in case.sign_offs.all()] == [False, True]


@pytest.mark.parametrize("sanction", EMPLOYEE_SANCTIONS)
def test_each_sanction_decided_signed_off_and_issued_over_http(sign_in, sanction):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    case = do_task(
        sign_in("Catherine", "Walsh"),
        case,
        "decide_hearing",
        {**findings_form(case), "sanction": sanction, "reasons": "As found."},
    )
    assert case.sanction == sanction
    case = do_task(sign_in("Michael", "Okafor"), case, "sign_off", {"approve": "yes"})
    case = issue_outcome(sign_in("Hannah", "Reid"), case)
    assert case.status == Status.OUTCOME_ISSUED
    assert case.outcome_issued_on == TODAY()
    assert (case.warning_expires_on is not None) == (
        sanction in (Sanction.FIRST_WRITTEN_WARNING, Sanction.FINAL_WRITTEN_WARNING)
    )


@pytest.mark.parametrize("outcome", VOLUNTEER_OUTCOMES)
def test_a_volunteer_is_offered_only_volunteer_outcomes(sign_in, outcome):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True, subject=("Joan", "Fitzgerald"))
    chair = sign_in("Catherine", "Walsh")
    url = task_form(chair, case, "decide_hearing")
    offered = {value for value, _ in chair.get(url).context["form"].fields["sanction"].choices}
    assert offered == {s.value for s in VOLUNTEER_OUTCOMES}
    before = footprint(case)
    employment = chair.post(
        url, {**findings_form(case), "sanction": Sanction.FIRST_WRITTEN_WARNING, "reasons": "x"}
    )
    assert employment.status_code == 200
    assert employment.context["form"].errors["sanction"]
    assert footprint(case) == before
    case = do_task(
        chair,
        case,
        "decide_hearing",
        {**findings_form(case), "sanction": outcome, "reasons": "As found."},
    )
    assert case.status == Status.AWAITING_SIGN_OFF and case.sanction == outcome


def test_the_decision_page_refuses_a_missing_finding(sign_in):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    chair = sign_in("Catherine", "Walsh")
    url = task_form(chair, case, "decide_hearing")
    assert "once it has been held" not in chair.get(url).content.decode()
    before = footprint(case)
    page = chair.post(url, {"sanction": Sanction.MANAGEMENT_ADVICE, "reasons": "x"})
    assert page.status_code == 200 and page.context["form"].errors
    assert footprint(case) == before


def test_the_chair_is_told_the_decision_waits_for_the_hearing(sign_in):
    case = case_at(Status.HEARING_SCHEDULED)
    chair = sign_in("Catherine", "Walsh")
    url = task_form(chair, case, "decide_hearing")
    hearing = case.hearings.get()
    notice = chair.get(url).content.decode()
    assert f"{timezone.localtime(hearing.starts_at):%A %-d %B %Y}" in notice
    assert "Record the decision once it has been held" in notice
    before = footprint(case)
    data = {**findings_form(case), "sanction": Sanction.MANAGEMENT_ADVICE, "reasons": "x"}
    page = chair.post(url, data)
    assert page.status_code == 200
    assert "Its decision can be recorded once it has been held" in page.content.decode()
    assert footprint(case) == before


# --- Hearings moved -------------------------------------------------------------------------


def test_hr_moves_a_hearing_for_the_companion_within_the_limit(sign_in):
    case = case_at(Status.HEARING_SCHEDULED)
    client = sign_in("Hannah", "Reid")
    first_day = timezone.localtime(case.hearings.get().starts_at).date()
    calendar = Calendar.of_case(case)
    limit = procedure("COMPANION_POSTPONEMENT_WORKING_DAYS", trust=demo_trust_id())
    move = {
        "reason": "The union representative is on a course.",
        "postponed_for_companion": "on",
    }
    before = footprint(case)
    too_late = client.post(
        action(case, "reschedule_hearing"),
        {
            **arrangement_form(
                case, ("Catherine", "Walsh"), day=calendar.add_working_days(first_day, limit + 1)
            ),
            **move,
        },
    )
    assert too_late.status_code == 200
    assert f"within {limit} working days" in too_late.content.decode()
    assert footprint(case) == before

    case = do_action(
        client,
        case,
        "reschedule_hearing",
        {
            **arrangement_form(
                case, ("Catherine", "Walsh"), day=calendar.add_working_days(first_day, limit)
            ),
            **move,
        },
    )
    assert case.status == Status.HEARING_SCHEDULED and case.hearings.count() == 2
    assert (
        "The union representative is on a course." in client.get(case_page(case)).content.decode()
    )


# --- Appeals and closing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "new_sanction", "final"),
    [
        ("upheld", "", Sanction.FIRST_WRITTEN_WARNING),
        ("sanction_reduced", Sanction.MANAGEMENT_ADVICE, Sanction.MANAGEMENT_ADVICE),
        ("revoked", "", Sanction.NO_ACTION),
    ],
)
def test_an_appeal_lodged_arranged_and_decided_over_http(
    sign_in, outcome, new_sanction, final, hold_hearing
):
    case = case_at(Status.OUTCOME_ISSUED)
    hannah = sign_in("Hannah", "Reid")
    case = do_task(
        hannah,
        case,
        "appeal_window",
        {"action": "appeal", "lodged_on": iso(TODAY()), "grounds": "Too severe."},
    )
    assert case.status == Status.APPEAL_LODGED
    url = task_form(hannah, case, "arrange_appeal")
    chairs = hannah.get(url).context["form"].fields["chair"].queryset
    assert person("Catherine", "Walsh") not in chairs  # she heard the case
    assert person("Michael", "Okafor") not in chairs  # he signed the outcome off
    before = footprint(case)
    signer = hannah.post(url, arrangement_form(case, ("Michael", "Okafor")))
    assert signer.status_code == 200
    assert "Select a valid choice" in signer.content.decode()
    assert footprint(case) == before
    case = do_task(hannah, case, "arrange_appeal", arrangement_form(case, ("Anne-Marie", "Byrne")))
    assert case.status == Status.APPEAL_HEARING
    hold_hearing(case, Hearing.Kind.APPEAL)
    case = do_task(
        sign_in("Anne-Marie", "Byrne"),
        case,
        "decide_appeal",
        {
            "outcome": outcome,
            "new_sanction": new_sanction,
            "reasons": "Grounds considered.",
            **ATTENDED_FORM,
        },
    )
    assert case.status == Status.APPEAL_DECIDED and case.sanction == final
    assert list(engine.open_tasks(case)) == []


def test_an_appeal_cannot_increase_the_sanction(sign_in):
    case = case_at(Status.APPEAL_HEARING, hearing_held=True)
    client = sign_in("Anne-Marie", "Byrne")
    url = task_form(client, case, "decide_appeal")
    before = footprint(case)
    page = client.post(
        url,
        {
            "outcome": "sanction_reduced",
            "new_sanction": Sanction.FINAL_WRITTEN_WARNING,
            "reasons": "Harsher.",
            **ATTENDED_FORM,
        },
    )
    assert page.status_code == 200
    assert "must be lighter than first written warning" in page.content.decode()
    assert footprint(case) == before


def test_the_case_closes_from_the_appeal_window_task_only_once_the_window_has_passed(sign_in):
    case = case_at(Status.OUTCOME_ISSUED)
    client = sign_in("Hannah", "Reid")
    url = task_form(client, case, "appeal_window")
    before = footprint(case)
    early = client.post(url, {"action": "close"})
    assert early.status_code == 200
    assert "The appeal window is open until" in early.content.decode()
    assert footprint(case) == before
    issued = TODAY() - datetime.timedelta(weeks=4)
    Case.objects.filter(pk=case.pk).update(  # as if the outcome went out a month ago
        outcome_issued_on=issued, appeal_deadline=outcomes.appeal_deadline(case, issued)
    )
    case = do_task(client, case, "appeal_window", {"action": "close"})
    assert case.status == Status.CLOSED


def test_an_appeal_out_of_time_is_refused_on_the_page(sign_in):
    case = case_at(Status.OUTCOME_ISSUED)
    issued = TODAY() - datetime.timedelta(weeks=4)
    Case.objects.filter(pk=case.pk).update(
        outcome_issued_on=issued, appeal_deadline=outcomes.appeal_deadline(case, issued)
    )
    client = sign_in("Hannah", "Reid")
    url = task_form(client, case, "appeal_window")
    before = footprint(case)
    late = client.post(url, {"action": "appeal", "lodged_on": iso(TODAY()), "grounds": "Late."})
    assert late.status_code == 200 and "out of time" in late.content.decode()
    assert footprint(case) == before


# --- The safeguarding route -----------------------------------------------------------------


def test_dsl_refers_to_the_lado_and_hr_resumes_when_the_lado_allows(sign_in):
    case = raise_concern(**SAFEGUARDING)
    dsl = sign_in("Rachel", "Green")
    case = do_task(
        dsl,
        case,
        "safeguarding_review",
        {"decision": "refer_to_lado", "reasons": "Messages to a pupil: harm threshold met."},
    )
    assert case.status == Status.LADO_REFERRAL
    page = dsl.get(case_page(case)).content.decode()
    assert f"{case.lado_referral.due_on:%A} {case.lado_referral.due_on.day}" in page
    case = do_task(
        dsl,
        case,
        "refer_to_lado",
        {
            "referred_on": iso(TODAY()),
            "lado_reference": "LADO/26/0042",
            "lado_name": "Ashbury LADO",
            "police_involved": "on",
        },
    )
    assert case.status == Status.ON_HOLD_EXTERNAL and case.lado_referral.police_involved
    waiting = dsl.get(case_page(case)).context["next_step"]
    assert waiting.title == "Resume when the external process allows"
    assert waiting.who == "An HR case manager (shared queue)"

    hannah = sign_in("Hannah", "Reid")
    url = task_form(hannah, case, "resume_after_hold")
    before = footprint(case)
    missing = hannah.post(url, {"notes": "LADO rang.", "next_step": "informal_advice"})
    assert missing.status_code == 200 and missing.context["form"].errors["lado_outcome"]
    assert footprint(case) == before
    case = do_task(
        hannah,
        case,
        "resume_after_hold",
        {
            "lado_outcome": "unsubstantiated",
            "next_step": Status.INFORMAL_ADVICE,
            "notes": "LADO confirmed by e-mail on Tuesday that the school may proceed.",
        },
    )
    assert case.status == Status.INFORMAL_ADVICE
    assert case.lado_referral.outcome == "unsubstantiated"


def test_dsl_logs_a_low_level_concern(sign_in):
    case = raise_concern(**SAFEGUARDING)
    dsl = sign_in("Rachel", "Green")
    case = do_task(
        dsl,
        case,
        "safeguarding_review",
        {"decision": "low_level_concern", "reasons": "Friend request from a leaver; declined."},
    )
    assert case.status == Status.LOW_LEVEL_CONCERN
    log = dsl.get(reverse("casework:low_level_log"))
    assert log.status_code == 200
    html = log.content.decode()
    # The entry's row: its case (a link to it), the person concerned, the school, the reason.
    case_page = reverse("casework:case", args=[case.reference])
    assert f'<a href="{case_page}">{case.reference}</a>' in html
    assert case.subject.full_name in html and case.school.name in html
    assert "Friend request from a leaver; declined." in html


def test_dsl_hands_the_concern_back_to_hr_triage(sign_in):
    case = raise_concern(**SAFEGUARDING)
    case = do_task(
        sign_in("Rachel", "Green"),
        case,
        "safeguarding_review",
        {"decision": "not_safeguarding", "reasons": "No child is involved after all."},
    )
    assert case.status == Status.TRIAGE
    assert open_task(case, "triage").owner is None  # in the HR queue
    case = do_task(
        sign_in("Marcus", "Obi"), case, "triage", {"decision": "informal", "reasons": "Advice."}
    )
    assert case.status == Status.INFORMAL_ADVICE


# --- Actions on the case page ---------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES))
def test_hr_withdraws_a_case_from_its_page_at_every_open_stage(sign_in, status):
    case = case_at(status)
    client = sign_in("Marcus", "Obi")
    page = client.get(case_page(case)).content.decode()
    assert action(case, "withdraw") in page
    form = client.get(action(case, "withdraw"))
    assert form.status_code == 200
    case = do_action(client, case, "withdraw", {"reason": "The reporter was mistaken."})
    assert case.status == Status.WITHDRAWN
    assert list(engine.open_tasks(case)) == []
    page = client.get(case_page(case)).content.decode()
    assert "Withdrawn" in page and "The reporter was mistaken." in page
    assert "On hold:" not in page


@pytest.mark.parametrize(
    "status", [Status.INVESTIGATION, Status.HEARING_SCHEDULED, Status.AWAITING_SIGN_OFF]
)
def test_hr_puts_a_formal_stage_on_hold_and_resumes_it(sign_in, status):
    case = case_at(status)
    client = sign_in("Hannah", "Reid")
    assert action(case, "pause") in client.get(case_page(case)).content.decode()
    case = do_action(client, case, "pause", {"reason": "Police have opened an investigation."})
    assert case.status == Status.ON_HOLD_EXTERNAL
    url = task_form(client, case, "resume_after_hold")
    form = client.get(url).context["form"]
    assert set(form.fields) == {"notes"}  # back to where it was: no LADO questions
    case = do_task(client, case, "resume_after_hold", {"notes": "Police: no further action."})
    assert case.status == RESUME_TO[status]


def test_a_resignation_is_recorded_and_the_case_goes_on(sign_in):
    case = case_at(Status.INVESTIGATION)
    client = sign_in("Hannah", "Reid")
    before = footprint(case)
    future = client.post(
        action(case, "resignation"), {"resigned_on": iso(TODAY() + datetime.timedelta(days=3))}
    )
    assert future.status_code == 200
    assert "once it has been received" in future.content.decode()
    assert footprint(case) == before
    case = do_action(client, case, "resignation", {"resigned_on": iso(TODAY()), "notes": ""})
    assert case.subject_resigned_on == TODAY()
    assert case.status == Status.INVESTIGATION
    assert open_task(case, "investigate").owner == person("Emma", "Wright").user
    assert "Resigned" in client.get(case_page(case)).content.decode()


def test_suspension_started_reviewed_and_lifted_from_the_case_page(sign_in):
    case = case_at(Status.INVESTIGATION)
    client = sign_in("Hannah", "Reid")
    case = do_action(
        client,
        case,
        "suspend",
        {
            "started_on": iso(TODAY()),
            "reasons": "The pupils involved are in his classes.",
            "alternatives_considered": "A timetable change was not possible.",
            "conditions": "No contact with pupils or parents.",
            "welfare_contact": person("Fiona", "MacLeod").pk,
            "next_review_on": "",
        },
    )
    suspension = case.suspensions.get()
    assert suspension.is_current
    case = do_action(
        client,
        case,
        "review_suspension",
        {"reviewed_on": iso(TODAY()), "notes": "Still needed.", "next_review_on": ""},
        suspension.pk,
    )
    assert suspension.reviews.count() == 1
    case = do_action(
        client,
        case,
        "lift_suspension",
        {"ended_on": iso(TODAY()), "reason": "Back on changed duties."},
        suspension.pk,
    )
    suspension.refresh_from_db()
    assert suspension.ended_on == TODAY()
    assert case.status == Status.INVESTIGATION


# --- The case page --------------------------------------------------------------------------


def test_the_case_page_shows_stage_who_acts_next_by_when_allegations_and_timeline(sign_in):
    case = case_at(Status.HEARING_SCHEDULED)
    page = sign_in("Hannah", "Reid").get(case_page(case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hearing scheduled" in html
    step = page.context["next_step"]
    assert step.title == "Record the hearing's decision"
    assert step.who == "Catherine Walsh"
    assert step.due_on == case.action_due_on
    assert f"{step.due_on:%B} {step.due_on:%Y}" in html
    (allegation,) = case.allegations.all()
    assert allegation.clause.code in html
    from django.utils.html import escape

    assert escape(allegation.clause.text) in html
    timeline = [e.summary for e in page.context["timeline"]]
    assert timeline[0] == "Concern raised"
    assert "Received → Triage" in timeline
    assert "Hearing to arrange → Hearing scheduled" in timeline
    for summary in ("Concern raised", "Received → Triage", "Hearing to arrange → Hearing"):
        assert escape(summary) in html


def test_the_chair_is_linked_to_their_task_from_the_case_page(sign_in):
    case = case_at(Status.HEARING_SCHEDULED)
    page = sign_in("Catherine", "Walsh").get(case_page(case))
    assert page.context["next_step"].task_url == task_index(case, "decide_hearing")
    other = sign_in("Hannah", "Reid").get(case_page(case))
    assert other.context["next_step"].task_url is None


# --- The wrong person -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "outsider",
    [
        ("Ben", "Taylor"),  # a colleague with no part in it
        ("Daniel", "Shaw"),  # the subject
        ("Priya", "Patel"),  # the reporter
        ("Helen", "Carter"),  # another school's headteacher
        ("Rachel", "Green"),  # the school's DSL, but it is not a safeguarding case
        ("Peter", "Quinn"),  # an investigating officer not appointed to it
    ],
)
def test_whoever_may_not_know_of_a_case_gets_404_everywhere(sign_in, outsider):
    case = case_at(Status.INVESTIGATION)
    client = sign_in(*outsider)
    before = footprint(case)
    assert client.get(case_page(case)).status_code == 404
    for name in ("withdraw", "pause", "resignation", "suspend", "add_allegation", "add_meeting"):
        assert client.get(action(case, name)).status_code == 404
        assert client.post(action(case, name), {"reason": "x"}).status_code == 404
    task = open_task(case, "investigate")
    execute = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    assert client.post(execute, {"summary": "x"}).status_code in (403, 404)
    assert footprint(case) == before


def test_someone_who_may_see_a_case_but_not_act_gets_403_with_the_reason(sign_in):
    case = case_at(Status.INVESTIGATION)
    head = sign_in("Michael", "Okafor")  # the school's headteacher
    assert head.get(case_page(case)).status_code == 200
    before = footprint(case)
    refused = head.post(action(case, "withdraw"), {"reason": "I think it should stop."})
    assert refused.status_code == 403
    assert "Only an HR case manager" in refused.content.decode()
    for name in ("pause", "resignation", "suspend"):
        assert head.get(action(case, name)).status_code == 403
    refused = head.post(action(case, "add_meeting"), {})
    assert refused.status_code == 403
    assert "Only the investigating officer" in refused.content.decode()
    assert footprint(case) == before


def test_nobody_but_the_owner_may_do_a_task(sign_in):
    case = case_at(Status.HEARING_SCHEDULED)
    task = open_task(case, "decide_hearing")
    execute = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    data = {**findings_form(case), "sanction": Sanction.NO_ACTION, "reasons": "x"}
    before = footprint(case)
    for someone in (("Hannah", "Reid"), ("Michael", "Okafor"), ("Emma", "Wright")):
        client = sign_in(*someone)
        assert client.get(execute).status_code == 403
        assert client.post(execute, data).status_code == 403
    assert footprint(case) == before


def test_only_hr_may_claim_from_the_hr_queue(sign_in):
    case = raise_concern()
    task = open_task(case, "acknowledge")
    assign = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
    before = footprint(case)
    assert sign_in("Michael", "Okafor").post(assign).status_code == 403
    assert sign_in("Helen", "Carter").post(assign).status_code == 404  # not her school
    # No casework role at all: the task pages are closed to them whatever the task.
    assert sign_in("Ben", "Taylor").post(assign).status_code in (403, 404)
    assert sign_in("Priya", "Patel").post(assign).status_code in (403, 404)  # the reporter
    assert footprint(case) == before
    assert open_task(case, "acknowledge").owner is None


def test_a_step_the_stage_does_not_allow_is_refused_with_a_message(sign_in):
    case = case_at(Status.TRIAGE)
    client = sign_in("Hannah", "Reid")
    before = footprint(case)
    page = client.post(action(case, "pause"), {"reason": "Police."})
    assert page.status_code == 200
    assert "where that step is not possible" in page.content.decode()
    assert footprint(case) == before
    closed = case_at(Status.NO_CASE_TO_ANSWER, subject=("Ben", "Taylor"))
    before = footprint(closed)
    page = client.post(action(closed, "withdraw"), {"reason": "Tidy up."})
    assert page.status_code == 200
    assert "where that step is not possible" in page.content.decode()
    assert footprint(closed) == before


def test_a_task_overtaken_by_events_is_refused_not_broken(sign_in):
    case = case_at(Status.TRIAGE)
    hannah = sign_in("Hannah", "Reid")
    url = task_form(hannah, case, "triage")
    case_admin.withdraw_case(case=case, by=person("Marcus", "Obi").user, reason="Duplicate.")
    before = footprint(case)
    response = hannah.post(url, {"decision": "informal", "reasons": "Advice."})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This task is no longer waiting" in page and "Nothing was changed" in page
    assert "transition" not in page.lower()
    assert footprint(case) == before
    assert fresh(case).status == Status.WITHDRAWN


def test_a_task_done_twice_is_refused_in_words(sign_in):
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True)
    chair = sign_in("Catherine", "Walsh")
    url = task_form(chair, case, "decide_hearing")
    data = {**findings_form(case), "sanction": Sanction.MANAGEMENT_ADVICE, "reasons": "x"}
    assert chair.post(url, data).status_code == 302
    before = footprint(case)
    again = chair.post(url, data)  # the back button, or a second tab
    assert again.status_code == 403
    assert "This task is no longer waiting" in again.content.decode()
    assert footprint(case) == before


def test_signed_out_people_are_sent_to_sign_in(client):
    case = case_at(Status.TRIAGE)
    for url in (case_page(case), action(case, "withdraw"), task_index(case, "triage")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.post(action(case, "withdraw"), {"reason": "x"}).status_code == 302
    assert fresh(case).status == Status.TRIAGE


def test_the_register_is_only_for_people_with_a_casework_role(sign_in):
    case_at(Status.TRIAGE)
    assert sign_in("Ben", "Taylor").get(reverse("casework:register")).status_code == 403
    assert sign_in("Hannah", "Reid").get(reverse("casework:register")).status_code == 200
