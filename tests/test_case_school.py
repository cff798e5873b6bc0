"""The right school: a case belongs to the school of the person it is about (or the trust
central team), another school only by the reporter's explicit, confirmed choice, and HR can
correct it, the safeguarding lead and the signer following the school."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework import permissions, selectors
from casework.demo_cases import (
    SAFEGUARDING,
    case_at,
    clause,
    correct_school,
    cross_school_report,
    hr,
    person,
    raise_concern,
)
from casework.errors import NotAllowed, RuleBroken
from casework.intake import concerns
from casework.models import AuditEvent, Case, Notice, School, SchoolSource, Status, Trust
from casework.services import routing
from workflows import engine

from .strategies import assert_case_consistent, fresh

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
REPORT = reverse("casework:report_concern")
HOLY_FAMILY = "Holy Family Catholic Primary School"
ST_BERNADETTES = "St Bernadette's Catholic Primary School"
ST_THOMAS_MORE = "St Thomas More Catholic High School"


def school(name: str) -> School:
    return School.objects.get(name=name)


def owner_of_open_task(case: Case):
    (task,) = engine.open_tasks(case)
    return task.owner


def may_see(who: tuple[str, str], case: Case) -> bool:
    user = person(*who).user
    seen = permissions.can_view_case(user, case)
    assert seen == selectors.cases_visible_to(user).filter(pk=case.pk).exists()
    return seen


def concern_form(subject: tuple[str, str], **changes) -> dict:
    data = {
        "subject": person(*subject).pk,
        "school": "",
        "seen_on": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "platform": "instagram",
        "account_kind": "personal",
        "what_was_seen": "Direct messages to a Year 5 pupil, asking to meet after school.",
        "pupils_involved": "current",
        "suspected_clauses": [clause("DONT-4").pk],
    }
    data.update(changes)
    return data


# --- The school follows the person reported ----------------------------------------------


def test_the_reported_cross_school_concern_goes_to_the_subjects_school_and_its_dsl():
    """Tom Brennan (St Bernadette's) reports Laura Bennett (Holy Family), a safeguarding
    matter: Holy Family's DSL has it; St Bernadette's headteacher and DSL cannot see it."""
    case = cross_school_report()
    assert case.school == school(HOLY_FAMILY) and case.school_source == SchoolSource.SUBJECT
    assert case.status == Status.SAFEGUARDING_REVIEW
    assert case.safeguarding_lead == person("James", "Reilly")
    assert owner_of_open_task(case) == person("James", "Reilly").user
    assert may_see(("James", "Reilly"), case)
    assert may_see(("Anne-Marie", "Byrne"), case)  # Holy Family's headteacher
    assert not may_see(("Helen", "Carter"), case)  # St Bernadette's headteacher
    assert not may_see(("David", "Nwosu"), case)  # St Bernadette's DSL
    assert not may_see(("Sarah", "Lin"), case)  # St Bernadette's deputy DSL
    assert_case_consistent(case)


def test_the_reported_cross_school_concern_over_http(sign_in):
    reporter = sign_in("Tom", "Brennan")
    page = reporter.get(REPORT)
    assert page.context["form"]["school"].value() in (None, "")  # never the reporter's school
    response = reporter.post(REPORT, concern_form(("Laura", "Bennett")))
    assert response.status_code == 302, response.content[:2000]
    case = Case.objects.get()
    assert case.school == school(HOLY_FAMILY)
    url = reverse("casework:case", args=[case.reference])
    assert sign_in("James", "Reilly").get(url).status_code == 200
    assert sign_in("Anne-Marie", "Byrne").get(url).status_code == 200
    assert sign_in("Helen", "Carter").get(url).status_code == 404
    assert sign_in("David", "Nwosu").get(url).status_code == 404
    inbox = sign_in("James", "Reilly").get(reverse("workflow:inbox")).content.decode()
    assert case.reference in inbox
    assert (
        case.reference
        not in sign_in("David", "Nwosu").get(reverse("workflow:inbox")).content.decode()
    )


def test_a_concern_about_the_central_team_is_the_trusts_and_goes_to_the_trust_executive():
    case = raise_concern(subject=("Yusuf", "Ahmed"), reporter=("Priya", "Patel"), **SAFEGUARDING)
    assert case.school is None and case.school_source == SchoolSource.SUBJECT
    assert case.safeguarding_lead == person("Peter", "Quinn")  # no school DSL or headteacher
    for headteacher in (("Helen", "Carter"), ("Michael", "Okafor"), ("Anne-Marie", "Byrne")):
        assert not may_see(headteacher, case)
    for dsl in (("David", "Nwosu"), ("Rachel", "Green"), ("James", "Reilly")):
        assert not may_see(dsl, case)
    assert_case_consistent(case)


# --- Another school: the reporter's explicit, confirmed choice -----------------------------


def _concern_about_daniel(**changes) -> concerns.Concern:
    return concerns.Concern(
        subject=person("Daniel", "Shaw"),
        seen_on=TODAY(),
        platform="x",
        account_kind="personal",
        what_was_seen="A post about the Holy Family sports day, naming a parent.",
        **changes,
    )


def test_another_school_is_the_reporters_choice_only_once_they_confirm_it():
    """Rule: choosing a school other than the subject's is explicit and confirmed."""
    reporter = person("Kate", "Morris")
    with pytest.raises(concerns.SchoolNotConfirmed, match="Daniel Shaw works at St Thomas More"):
        concerns.report_concern(
            concern=_concern_about_daniel(school=school(HOLY_FAMILY)),
            reporter=reporter,
            by=reporter.user,
        )
    assert not Case.objects.exists()
    case = concerns.report_concern(
        concern=_concern_about_daniel(school=school(HOLY_FAMILY), school_confirmed=True),
        reporter=reporter,
        by=reporter.user,
    )
    assert case.school == school(HOLY_FAMILY) and case.school_source == SchoolSource.REPORTER
    raised = AuditEvent.objects.get(case_id=case.pk, action="concern.raised")
    assert raised.details["school"] == HOLY_FAMILY and raised.details["school_source"] == "reporter"


def test_choosing_another_school_over_http_asks_for_confirmation_on_the_page(sign_in):
    client = sign_in("Kate", "Morris")
    data = concern_form(("Daniel", "Shaw"), school=school(HOLY_FAMILY).pk)
    unconfirmed = client.post(REPORT, data)
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["form"].errors["school_confirmed"] == [
        "Daniel Shaw works at St Thomas More Catholic High School, but you chose Holy Family "
        "Catholic Primary School. The concern would go to Holy Family Catholic Primary School's "
        "safeguarding lead and headteacher instead. Tick the box to confirm that is right, or "
        "leave the school to follow the person."
    ]
    assert not Case.objects.exists()
    confirmed = client.post(REPORT, {**data, "school_confirmed": "on"})
    assert confirmed.status_code == 302
    case = Case.objects.get()
    assert case.school == school(HOLY_FAMILY) and case.safeguarding_lead == person(
        "James", "Reilly"
    )
    page = sign_in("Hannah", "Reid").get(reverse("casework:case", args=[case.reference]))
    shown = page.content.decode()
    assert "chosen and confirmed by the person who reported it" in shown
    assert "Daniel Shaw works at St Thomas More Catholic High School" in shown


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1e9"])
def test_a_school_that_does_not_exist_is_refused_with_a_clear_message(sign_in, value):
    page = sign_in("Priya", "Patel").post(REPORT, concern_form(("Daniel", "Shaw"), school=value))
    assert page.status_code == 200
    assert page.context["form"].errors["school"] == ["Choose a school of the trust from the list."]
    assert not Case.objects.exists()


def test_a_school_of_another_trust_is_refused(sign_in):
    other = Trust.objects.create(name="St Aidan Catholic Academy Trust")
    elsewhere = School.objects.create(trust=other, name="St Aidan's Catholic Primary School")
    reporter = person("Priya", "Patel")
    with pytest.raises(RuleBroken, match="is not a school of the trust"):
        concerns.report_concern(
            concern=_concern_about_daniel(school=elsewhere, school_confirmed=True),
            reporter=reporter,
            by=reporter.user,
        )
    page = sign_in("Priya", "Patel").post(
        REPORT, concern_form(("Daniel", "Shaw"), school=elsewhere.pk, school_confirmed="on")
    )
    assert page.status_code == 200
    assert page.context["form"].errors["school"] == ["Choose a school of the trust from the list."]
    assert not Case.objects.exists()


# --- HR corrects the school ---------------------------------------------------------------


def test_hr_corrects_the_school_and_the_dsl_and_the_task_follow(
    django_capture_on_commit_callbacks,
):
    """Rule: HR's correction is audited, re-chooses the DSL for the new school, moves the
    open task, and tells the old and new DSL, in e-mails that say nothing of the case."""
    case = case_at(Status.SAFEGUARDING_REVIEW)  # Daniel Shaw, St Thomas More: Rachel Green
    assert case.safeguarding_lead == person("Rachel", "Green")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = correct_school(case, HOLY_FAMILY, "The messages were sent on Holy Family's trip.")
    case = fresh(case)
    assert case.school == school(HOLY_FAMILY) and case.school_source == SchoolSource.HR
    assert case.safeguarding_lead == person("James", "Reilly")
    assert owner_of_open_task(case) == person("James", "Reilly").user
    assert not may_see(("Rachel", "Green"), case) and not may_see(("Michael", "Okafor"), case)
    assert may_see(("James", "Reilly"), case) and may_see(("Anne-Marie", "Byrne"), case)
    event = AuditEvent.objects.get(case_id=case.pk, action="case.school_corrected")
    assert event.details["from"] == ST_THOMAS_MORE and event.details["to"] == HOLY_FAMILY
    assert event.details["why"] == "The messages were sent on Holy Family's trip."
    assert event.actor == hr()

    old, new = (
        Notice.objects.get(recipient=person("Rachel", "Green")),
        Notice.objects.get(recipient=person("James", "Reilly")),
    )
    assert "moved to another school" in old.text and old.case is None
    assert "you are now its safeguarding lead" in new.text and new.case == case
    # Besides the new DSL's task e-mail, each DSL is pointed at their notices.
    told = [m for m in mail.outbox if reverse("casework:notices") in m.body]
    assert all("something is waiting" in m.subject for m in told)
    assert sorted(m.to[0] for m in told) == [
        "james.reilly@stclare.example",
        "rachel.green@stclare.example",
    ]
    for message in told:
        text = message.subject + message.body
        for detail in (case.reference, "Holy Family", "St Thomas More", "safeguard", "Daniel"):
            assert detail not in text
        assert reverse("casework:notices") in message.body
    assert_case_consistent(case)


def test_correcting_the_school_at_sign_off_moves_the_sign_off():
    case = case_at(Status.AWAITING_SIGN_OFF)
    assert case.signing_authority == person("Michael", "Okafor")
    case = fresh(correct_school(case, ST_BERNADETTES, "Daniel Shaw moved to St Bernadette's."))
    assert case.signing_authority == person("Helen", "Carter")
    assert owner_of_open_task(case) == person("Helen", "Carter").user
    assert Notice.objects.filter(recipient=person("Michael", "Okafor")).exists()
    assert Notice.objects.filter(recipient=person("Helen", "Carter"), case=case).exists()
    assert_case_consistent(case)


def test_hr_may_move_a_case_to_the_trust_central_team():
    case = case_at(Status.SAFEGUARDING_REVIEW)
    case = fresh(correct_school(case, None, "It concerns the central team's own account."))
    assert case.school is None and case.safeguarding_lead == person("Peter", "Quinn")
    assert not may_see(("Michael", "Okafor"), case)
    assert_case_consistent(case)


def test_a_correction_of_the_school_is_refused_with_a_clear_message_and_changes_nothing():
    case = case_at(Status.TRIAGE)
    other = School.objects.create(
        trust=Trust.objects.create(name="Another trust"), name="Another trust's school"
    )

    def unchanged(error, match, **call):
        before = (fresh(case).school_id, AuditEvent.objects.filter(case_id=case.pk).count())
        with pytest.raises(error, match=match):
            routing.correct_school(case=case, **{"by": hr(), "reason": "A reason.", **call})
        assert (fresh(case).school_id, AuditEvent.objects.filter(case_id=case.pk).count()) == before

    unchanged(RuleBroken, "already belongs to St Thomas More", school=school(ST_THOMAS_MORE))
    unchanged(RuleBroken, "Say why", school=school(HOLY_FAMILY), reason="  ")
    unchanged(RuleBroken, "not a school of this trust", school=other)
    unchanged(
        NotAllowed,
        "Only an HR case manager",
        school=school(HOLY_FAMILY),
        by=person("Michael", "Okafor").user,
    )
    signed_off = case_at(Status.SIGNED_OFF, subject=("Ben", "Taylor"))
    with pytest.raises(RuleBroken, match="The outcome was signed off for St Thomas More"):
        routing.correct_school(
            case=signed_off, by=hr(), school=school(HOLY_FAMILY), reason="Late news."
        )
    closed = case_at(Status.WITHDRAWN, subject=("Fiona", "MacLeod"))
    with pytest.raises(RuleBroken, match="This case is closed"):
        routing.correct_school(case=closed, by=hr(), school=school(HOLY_FAMILY), reason="Late.")


def test_hr_corrects_the_school_over_http_and_others_may_not(sign_in):
    case = case_at(Status.SAFEGUARDING_REVIEW)
    url = reverse("casework:correct_school", args=[case.reference])
    assert (
        sign_in("Michael", "Okafor").post(url, {"school": "central", "reason": "x"}).status_code
        == 403
    )
    assert sign_in("Helen", "Carter").get(url).status_code == 404
    client = sign_in("Hannah", "Reid")
    page = client.get(reverse("casework:case", args=[case.reference])).content.decode()
    assert url in page  # "Correct the school" is offered to HR
    refused = client.post(url, {"school": "424242", "reason": "It belongs elsewhere."})
    assert refused.status_code == 200
    assert refused.context["form"].errors["school"] == [
        "Choose a school of the trust from the list."
    ]
    assert fresh(case).school == school(ST_THOMAS_MORE)
    done = client.post(url, {"school": school(HOLY_FAMILY).pk, "reason": "On Holy Family's trip."})
    assert done.status_code == 302
    assert fresh(case).school == school(HOLY_FAMILY)
    assert fresh(case).safeguarding_lead == person("James", "Reilly")


def test_the_old_and_new_dsl_read_that_the_case_moved_on_their_notices_page(sign_in):
    case = correct_school(case_at(Status.SAFEGUARDING_REVIEW), HOLY_FAMILY, "Holy Family's trip.")
    old = sign_in("Rachel", "Green").get(reverse("casework:notices"))
    (notice, link), *_ = old.context["notices"]
    assert "has moved to another school" in notice.text and link is None
    new = sign_in("James", "Reilly").get(reverse("casework:notices"))
    (notice, link), *_ = new.context["notices"]
    assert link == reverse("casework:case", args=[case.reference])
    assert Notice.objects.get(pk=notice.pk).read_at is not None  # read once shown
    assert sign_in("Michael", "Okafor").get(reverse("casework:notices")).context["notices"] == []
