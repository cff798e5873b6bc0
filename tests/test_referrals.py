"""Referral decisions: the DBS (a legal duty when someone is removed from regulated activity,
or would have been, for harm to a child) and, for teachers, the Teaching Regulation Agency
(to be considered when a teacher is dismissed for misconduct or leaves first). A case cannot
close while a question the rules call for is unanswered; a settlement changes nothing.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casework import demo_cases
from casework.demo_cases import (
    SAFEGUARDING,
    approve,
    case_at,
    decide,
    hr,
    issue,
    person,
    walk,
)
from casework.errors import NotAllowed, RuleBroken
from casework.letters import demo as demo_letters
from casework.models import (
    AuditEvent,
    Case,
    ReferralDecision,
    Sanction,
    Settlement,
    Status,
)
from casework.services import case_admin, outcomes, referrals, safeguarding
from workflows import engine

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
ONE_DAY = datetime.timedelta(days=1)
# Not teachers: no Teaching Regulation Agency question arises for them.
NETWORK_MANAGER = {"subject": ("Chris", "Evans"), "reporter": ("Priya", "Patel")}
TEACHER = {"subject": ("Daniel", "Shaw"), "reporter": ("Priya", "Patel")}


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def footprint(case: Case) -> tuple:
    case = fresh(case)
    return (
        case.status,
        case.sanction,
        ReferralDecision.objects.filter(case=case).count(),
        Settlement.objects.filter(case=case).count(),
        AuditEvent.objects.filter(case_id=case.pk).exclude(action__startswith="viewed.").count(),
        [(t.flow_task.name, t.owner_id) for t in engine.open_tasks(case)],
        getattr(getattr(case, "lado_referral", None), "outcome", None),
    )


def refused(case: Case, match: str, action) -> None:
    before = footprint(case)
    with pytest.raises(RuleBroken, match=match):
        action()
    assert footprint(case) == before


def harm_case_signed_off(sanction: str, **concern) -> Case:
    """A concern about contact with a pupil, investigated (upheld), decided at a hearing and
    signed off."""
    case = walk(
        [
            demo_cases.dsl_sends_for_investigation,
            demo_cases.appoint,
            demo_cases.report,
            demo_cases.refer_to_hearing,
            demo_cases.schedule,
        ],
        hearing_held=True,
        **{**SAFEGUARDING, **concern},
    )
    return approve(decide(case, sanction))


def harm_case_decided(sanction: str, **concern) -> Case:
    """As ``harm_case_signed_off``, with the outcome issued."""
    return issue(harm_case_signed_off(sanction, **concern))


def ordinary_case_decided(sanction: str, **concern) -> Case:
    case = case_at(Status.HEARING_SCHEDULED, hearing_held=True, **concern)
    return issue(approve(decide(case, sanction)))


def close(case: Case) -> Case:
    return outcomes.close_after_appeal_window(
        case=fresh(case), by=hr(), today=fresh(case).appeal_deadline + ONE_DAY
    )


def record(case: Case, body: str, *, made: bool, by=None, **answer) -> ReferralDecision:
    if made:
        answer = {"made_on": TODAY(), "reference": "DBS-2026-0042", **answer}
    else:
        answer = {"reasons": "They were not removed from work with children.", **answer}
    return referrals.record_referral_decision(
        case=fresh(case), by=by or hr(), body=body, made=made, **answer
    )


def questions(case: Case) -> dict[str, str]:
    return {q.body: q.why for q in referrals.referral_questions(fresh(case))}


# --- When the DBS question must be answered ------------------------------------------------


def test_a_dismissal_for_harm_to_a_child_cannot_close_until_the_dbs_decision_is_recorded():
    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **NETWORK_MANAGER)
    assert questions(case) == {"dbs": "they were dismissed in a case about harm to a child"}
    refused(
        case,
        "This case cannot close until HR records the Disclosure and Barring Service referral "
        "decision \\(they were dismissed in a case about harm to a child\\)",
        lambda: close(case),
    )
    decision = record(case, "dbs", made=True)
    case = close(case)
    assert case.status == Status.CLOSED
    assert referrals.current_decision(case, "dbs") == decision


def test_ending_a_volunteers_arrangement_for_harm_calls_for_the_dbs_decision():
    case = harm_case_decided(
        Sanction.VOLUNTEERING_ENDED, subject=("Joan", "Fitzgerald"), reporter=("Ben", "Taylor")
    )
    assert questions(case) == {
        "dbs": "their volunteering was ended in a case about harm to a child"
    }
    refused(case, "Disclosure and Barring Service referral decision", lambda: close(case))
    record(case, "dbs", made=False, reasons="The DBS advised the harm test is not met.")
    assert close(case).status == Status.CLOSED


def test_a_warning_for_harm_to_a_child_needs_no_dbs_decision():
    case = harm_case_decided(Sanction.FINAL_WRITTEN_WARNING, **NETWORK_MANAGER)
    assert questions(case) == {"dbs": ""}  # not removed from regulated activity
    assert close(case).status == Status.CLOSED


def test_a_dismissal_that_is_not_about_harm_to_a_child_needs_no_dbs_decision():
    case = ordinary_case_decided(Sanction.SUMMARY_DISMISSAL, **NETWORK_MANAGER)
    assert questions(case) == {"dbs": ""}
    assert close(case).status == Status.CLOSED


def test_resigning_during_a_case_about_harm_calls_for_the_dbs_decision():
    case = walk(
        [demo_cases.dsl_refers, demo_cases.lado_referral_made],
        **{**SAFEGUARDING, **NETWORK_MANAGER},
    )
    case_admin.record_resignation(case=case, by=hr(), resigned_on=TODAY())
    assert "they resigned on" in questions(case)["dbs"]
    refused(
        case,
        "Disclosure and Barring Service referral decision \\(they resigned on",
        lambda: case_admin.withdraw_case(case=fresh(case), by=hr(), reason="They have left."),
    )
    record(case, "dbs", made=True)
    assert case_admin.withdraw_case(case=fresh(case), by=hr(), reason="Left.").status == (
        Status.WITHDRAWN
    )


def test_a_lado_finding_of_substantiated_calls_for_the_dbs_decision_before_the_case_closes():
    case = case_at(Status.ON_HOLD_EXTERNAL, **NETWORK_MANAGER)

    def resume_and_close():
        return safeguarding.resume_after_hold(
            case=fresh(case),
            by=hr(),
            notes="The LADO confirmed the internal process may go on.",
            next_step=Status.INFORMAL_ADVICE,
            lado_outcome="substantiated",
        )

    refused(
        case,
        "Disclosure and Barring Service referral decision \\(the LADO found the allegation "
        "substantiated\\)",
        resume_and_close,
    )
    record(case, "dbs", made=False, reasons="Kept in post with restrictions; not removed.")
    assert resume_and_close().status == Status.INFORMAL_ADVICE


def test_a_lado_finding_of_unfounded_means_no_harm_and_no_dbs_question():
    case = walk(
        [demo_cases.dsl_refers, demo_cases.lado_referral_made],
        **{**SAFEGUARDING, **NETWORK_MANAGER},
    )
    case_admin.record_resignation(case=case, by=hr(), resigned_on=TODAY())
    case = safeguarding.resume_after_hold(
        case=fresh(case),
        by=hr(),
        notes="The LADO found the allegation unfounded.",
        next_step=Status.NO_CASE_TO_ANSWER,
        lado_outcome="unfounded",
    )
    assert case.status == Status.NO_CASE_TO_ANSWER
    assert questions(case) == {"dbs": ""}


# --- When the TRA question must be considered -----------------------------------------------


def test_a_teacher_dismissed_for_misconduct_cannot_close_until_the_tra_decision_is_recorded():
    case = ordinary_case_decided(Sanction.DISMISSAL_WITH_NOTICE, **TEACHER)
    assert questions(case) == {"dbs": "", "tra": "a teacher was dismissed for misconduct"}
    refused(
        case,
        "until HR records the Teaching Regulation Agency referral decision \\(a teacher was "
        "dismissed for misconduct\\)",
        lambda: close(case),
    )
    record(case, "tra", made=False, reasons="Repeated minor lateness; not serious misconduct.")
    assert close(case).status == Status.CLOSED


def test_a_teacher_who_resigns_during_a_case_calls_for_the_tra_decision():
    case = case_at(Status.INVESTIGATION, **TEACHER)
    case_admin.record_resignation(case=case, by=hr(), resigned_on=TODAY())
    assert questions(case)["tra"].startswith("they are a teacher and they resigned on")
    assert questions(case)["dbs"] == ""  # nothing about harm to a child
    refused(
        case,
        "Teaching Regulation Agency referral decision",
        lambda: case_admin.withdraw_case(case=fresh(case), by=hr(), reason="They left."),
    )
    record(case, "tra", made=True, reference="TRA/2026/311")
    assert case_admin.withdraw_case(case=fresh(case), by=hr(), reason="Left.").status == (
        Status.WITHDRAWN
    )


def test_no_tra_question_for_someone_who_does_not_teach():
    case = case_at(Status.INVESTIGATION, **NETWORK_MANAGER)
    case_admin.record_resignation(case=case, by=hr(), resigned_on=TODAY())
    assert questions(case) == {"dbs": ""}
    refused(
        case,
        "Chris Evans is not recorded as a teacher, so no referral to the Teaching Regulation "
        "Agency applies",
        lambda: record(case, "tra", made=True),
    )
    assert case_admin.withdraw_case(case=fresh(case), by=hr(), reason="Left.").status == (
        Status.WITHDRAWN
    )


def test_a_teacher_dismissed_for_harm_to_a_child_needs_both_decisions():
    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **TEACHER)
    assert all(questions(case).values())
    record(case, "dbs", made=True)
    refused(case, "Teaching Regulation Agency referral decision", lambda: close(case))
    record(case, "tra", made=True, reference="TRA/2026/17")
    assert close(case).status == Status.CLOSED


def test_the_appeal_chair_cannot_close_a_case_whose_referral_question_is_unanswered(
    hold_hearing,
):
    case = ordinary_case_decided(Sanction.SUMMARY_DISMISSAL, **TEACHER)
    case = demo_cases.schedule_appeal(demo_cases.lodge(case))
    hold_hearing(case, "appeal")
    refused(
        case,
        "Teaching Regulation Agency referral decision",
        lambda: demo_cases.decide_appeal(fresh(case), outcome="upheld"),
    )
    record(case, "tra", made=True, reference="TRA/2026/18")
    assert demo_cases.decide_appeal(fresh(case), outcome="upheld").status == Status.APPEAL_DECIDED


def test_the_daily_job_leaves_a_case_open_until_its_referral_decision_is_recorded(monkeypatch):
    case = ordinary_case_decided(Sanction.SUMMARY_DISMISSAL, **TEACHER)
    day_after = case.appeal_deadline + ONE_DAY
    monkeypatch.setattr(timezone, "localdate", lambda *args: day_after)
    output = StringIO()
    call_command("close_lapsed_appeal_windows", stdout=output)
    assert fresh(case).status == Status.OUTCOME_ISSUED
    assert (
        f"Left open until HR records their referral decisions: {case.reference}."
        in output.getvalue()
    )
    assert [t.flow_task.name for t in engine.open_tasks(case)] == ["appeal_window"]


# --- Recording a decision: what it needs ---------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"made": True, "made_on": None, "reference": "X1"}, "Give the date the referral"),
        (
            {"made": True, "made_on": TODAY() + ONE_DAY, "reference": "X1"},
            "The referral date cannot be in the future",
        ),
        (
            {"made": True, "made_on": TODAY() - datetime.timedelta(days=400), "reference": "X1"},
            "The referral date cannot be before the concern was raised",
        ),
        (
            {"made": True, "made_on": TODAY(), "reference": "  "},
            "Give the reference the Disclosure and Barring Service gave the referral",
        ),
        ({"made": False, "reasons": " \n "}, "Give the reasons no referral to the Disclosure"),
    ],
)
def test_a_referral_decision_needs_a_real_date_a_reference_or_reasons(answer, message):
    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **NETWORK_MANAGER)
    refused(
        case,
        message,
        lambda: referrals.record_referral_decision(case=fresh(case), by=hr(), body="dbs", **answer),
    )


def test_only_an_hr_case_manager_free_of_the_case_records_a_referral_decision():
    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **NETWORK_MANAGER)
    for outsider in (
        person("Michael", "Okafor"),  # the headteacher who signed off
        case.hearing_chair,
        person("Priya", "Patel"),  # the reporter
    ):
        before = footprint(case)
        with pytest.raises(NotAllowed):
            record(case, "dbs", made=True, by=outsider.user)
        assert footprint(case) == before


def test_a_later_decision_replaces_the_earlier_and_both_are_kept():
    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **NETWORK_MANAGER)
    first = record(case, "dbs", made=False, reasons="Waiting for the police to finish.")
    later = record(case, "dbs", made=True, reference="DBS-77")
    assert referrals.current_decision(case, "dbs") == later
    assert set(fresh(case).referral_decisions.all()) == {first, later}
    summaries = list(
        AuditEvent.objects.filter(case_id=case.pk, action="referral.decided").values_list(
            "summary", flat=True
        )
    )
    assert summaries == [
        "No referral to the Disclosure and Barring Service",
        f"Referral to the Disclosure and Barring Service made on {TODAY():%d %B %Y} "
        "(reference DBS-77)",
    ]


# --- Settlements --------------------------------------------------------------------------


def settle(case: Case, **changes):
    values = {
        "kind": "settlement_agreement",
        "agreed_on": TODAY(),
        "leaves_on": TODAY() + datetime.timedelta(days=30),
        "terms": "Leaves at the end of term with an agreed reference.",
        "referral_unaffected": True,
        **changes,
    }
    return referrals.record_settlement(case=fresh(case), by=hr(), **values)


def test_a_settlement_never_prevents_a_referral():
    case = walk(
        [demo_cases.dsl_refers, demo_cases.lado_referral_made],
        **{**SAFEGUARDING, **TEACHER},
    )
    settlement = settle(case)
    assert fresh(case).settlement == settlement
    assert fresh(case).status == Status.ON_HOLD_EXTERNAL  # the case goes on
    assert questions(case) == {
        "dbs": "they are leaving under a settlement agreement, in a case about harm to a child",
        "tra": "they are a teacher and they are leaving under a settlement agreement",
    }
    refused(
        case,
        "referral decision",
        lambda: case_admin.withdraw_case(case=fresh(case), by=hr(), reason="Settled."),
    )
    record(case, "dbs", made=True)
    record(case, "tra", made=True, reference="TRA/2026/5")
    assert case_admin.withdraw_case(case=fresh(case), by=hr(), reason="Settled.").status == (
        Status.WITHDRAWN
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"referral_unaffected": False}, "A settlement can never prevent or discourage a referral"),
        ({"terms": " "}, "Say, in outline, what was agreed"),
        ({"agreed_on": TODAY() + ONE_DAY}, "Record the settlement once it has been agreed"),
        ({"leaves_on": TODAY() - ONE_DAY}, "The leaving date cannot be before"),
        ({"kind": "golden_handshake"}, "Choose a settlement agreement or an agreed departure"),
    ],
)
def test_a_settlement_needs_its_terms_dates_and_no_bar_on_referral(changes, message):
    case = case_at(Status.INVESTIGATION, **TEACHER)
    refused(case, message, lambda: settle(case, **changes))


def test_a_volunteer_leaves_by_agreed_departure_not_a_settlement_agreement():
    case = case_at(Status.INVESTIGATION, subject=("Joan", "Fitzgerald"), reporter=("Ben", "Taylor"))
    refused(case, "A volunteer leaves by agreed departure", lambda: settle(case))
    settle(case, kind="agreed_departure")
    refused(case, "A settlement is already recorded", lambda: settle(case, kind="agreed_departure"))


# --- Letters say what was recorded ---------------------------------------------------------


def test_the_dismissal_letter_says_what_was_decided_about_each_referral(own_media):
    from tests.test_letters import Read

    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **TEACHER)
    record(case, "dbs", made=True, made_on=TODAY(), reference="DBS-1")
    record(case, "tra", made=False, reasons="Advice from the TRA: not serious misconduct.")
    letter = demo_letters.issue(fresh(case), "summary_dismissal")
    read = Read(letter)
    assert (
        "The trust has referred this matter to the Disclosure and Barring Service: the referral "
        f"was made on {TODAY().day} {TODAY():%B %Y}." in read
    )
    assert (
        "The trust has considered whether to refer this matter to the Teaching Regulation "
        "Agency and has decided not to." in read
    )


def test_a_letter_issued_before_the_decision_says_it_is_still_to_be_made(own_media):
    from tests.test_letters import Read

    case = harm_case_signed_off(Sanction.SUMMARY_DISMISSAL, **NETWORK_MANAGER)
    read = Read(demo_letters.issue(case, "summary_dismissal"))
    assert (
        "The trust must decide whether to refer this matter to the Disclosure and Barring "
        "Service, as the law requires where someone is removed from work with children for "
        "harm. We will tell you what it decides." in read
    )
    assert "Teaching Regulation Agency" not in read  # he does not teach


# --- Over HTTP, as HR -----------------------------------------------------------------------


def test_hr_records_referral_decisions_and_a_settlement_from_the_case_page(sign_in):
    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **TEACHER)
    hannah = sign_in("Hannah", "Reid")
    page = hannah.get(reverse("casework:case", args=[case.reference])).content.decode()
    assert "Decision needed" in page
    url = reverse("casework:record_referral", args=[case.reference])
    assert {v for v, _ in hannah.get(url).context["form"].fields["body"].choices} == {"dbs", "tra"}
    response = hannah.post(
        url,
        {"body": "dbs", "made": "yes", "made_on": TODAY().isoformat(), "reference": "DBS-9"},
    )
    assert response.status_code == 302
    response = hannah.post(url, {"body": "tra", "made": "no", "reasons": "Not serious."})
    assert response.status_code == 302
    page = hannah.get(reverse("casework:case", args=[case.reference])).content.decode()
    assert "Referred on" in page and "DBS-9" in page and "No referral: Not serious." in page
    assert "Decision needed" not in page

    other = case_at(Status.INVESTIGATION, **TEACHER)
    response = hannah.post(
        reverse("casework:record_settlement", args=[other.reference]),
        {
            "kind": "settlement_agreement",
            "agreed_on": TODAY().isoformat(),
            "leaves_on": (TODAY() + ONE_DAY).isoformat(),
            "terms": "Leaves at half term.",
            "referral_unaffected": "on",
        },
    )
    assert response.status_code == 302
    assert fresh(other).settlement.kind == "settlement_agreement"
    page = hannah.get(reverse("casework:case", args=[other.reference])).content.decode()
    assert "A settlement never prevents a referral" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"body": "dbs", "made": "yes", "made_on": "2999-01-01", "reference": "X"},
            "The referral date cannot be in the future",
        ),
        ({"body": "dbs", "made": "no", "reasons": ""}, "Give the reasons no referral"),
        (
            {"body": "dbs", "made": "yes", "made_on": "", "reference": ""},
            "Give the date the referral",
        ),
        (
            {"body": "dbs", "made": "yes", "made_on": TODAY().isoformat(), "reference": ""},
            "Give the reference",
        ),
        ({"body": "ofsted", "made": "no", "reasons": "x"}, "Select a valid choice"),
        ({"body": "dbs", "made": "perhaps"}, "Select a valid choice"),
        ({"body": "dbs", "made": "yes", "made_on": "31/02/2026"}, "Enter a valid date"),
    ],
)
def test_bad_referral_input_over_http_is_refused_and_changes_nothing(sign_in, data, message):
    case = harm_case_decided(Sanction.SUMMARY_DISMISSAL, **NETWORK_MANAGER)
    before = footprint(case)
    response = sign_in("Hannah", "Reid").post(
        reverse("casework:record_referral", args=[case.reference]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert footprint(case) == before


def test_a_settlement_that_would_bar_a_referral_is_refused_on_the_page(sign_in):
    case = case_at(Status.INVESTIGATION, **TEACHER)
    before = footprint(case)
    response = sign_in("Hannah", "Reid").post(
        reverse("casework:record_settlement", args=[case.reference]),
        {
            "kind": "settlement_agreement",
            "agreed_on": TODAY().isoformat(),
            "leaves_on": TODAY().isoformat(),
            "terms": "Leaves now.",
        },
    )
    assert response.status_code == 200
    assert "A settlement can never prevent or discourage a referral" in response.content.decode()
    assert footprint(case) == before


@pytest.mark.parametrize(
    ("who", "status_code"),
    [
        (("Michael", "Okafor"), 403),  # the headteacher sees the case but does not manage it
        (("Catherine", "Walsh"), 403),  # the chair
        (("Priya", "Patel"), 404),  # the reporter may not know the case exists
        (("Daniel", "Shaw"), 404),  # the subject
    ],
)
def test_only_hr_may_record_referrals_or_settlements_over_http(sign_in, who, status_code):
    case = ordinary_case_decided(Sanction.SUMMARY_DISMISSAL, **TEACHER)
    client = sign_in(*who)
    before = footprint(case)
    for name, data in (
        ("record_referral", {"body": "tra", "made": "no", "reasons": "Not serious."}),
        (
            "record_settlement",
            {
                "kind": "agreed_departure",
                "agreed_on": TODAY().isoformat(),
                "leaves_on": TODAY().isoformat(),
                "terms": "Leaves.",
                "referral_unaffected": "on",
            },
        ),
    ):
        url = reverse(f"casework:{name}", args=[case.reference])
        assert client.get(url).status_code == status_code
        assert client.post(url, data).status_code == status_code
    assert footprint(case) == before


def test_the_issue_outcome_task_lists_the_referral_decisions_still_to_record(sign_in):
    from tests.test_lifecycle_http import task_form

    case = approve(
        decide(
            case_at(Status.HEARING_SCHEDULED, hearing_held=True, **TEACHER),
            Sanction.SUMMARY_DISMISSAL,
        )
    )
    hannah = sign_in("Hannah", "Reid")
    url = task_form(hannah, case, "issue_outcome")
    page = hannah.get(url).content.decode()
    assert "Referral decisions to record:" in page
    assert "the Teaching Regulation Agency (a teacher was dismissed for misconduct)" in page
    record(case, "tra", made=False, reasons="Not serious misconduct.")
    assert "Referral decisions to record:" not in hannah.get(url).content.decode()


def test_resuming_after_a_substantiated_lado_finding_asks_for_the_dbs_decision_on_the_page(
    sign_in,
):
    from tests.test_lifecycle_http import task_form

    case = case_at(Status.ON_HOLD_EXTERNAL, **NETWORK_MANAGER)
    hannah = sign_in("Hannah", "Reid")
    url = task_form(hannah, case, "resume_after_hold")
    data = {
        "lado_outcome": "substantiated",
        "next_step": Status.INFORMAL_ADVICE,
        "notes": "The LADO confirmed the internal process may go on.",
    }
    before = footprint(case)
    page = hannah.post(url, data)
    assert page.status_code == 200
    assert "the Disclosure and Barring Service referral decision" in page.content.decode()
    assert footprint(case) == before
    record(case, "dbs", made=False, reasons="Kept in post away from pupils; not removed.")
    assert hannah.post(url, data).status_code == 302
    assert fresh(case).status == Status.INFORMAL_ADVICE
