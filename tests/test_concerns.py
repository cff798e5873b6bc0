"""Raising a concern over HTTP as a member of staff, and following one's own reports."""

import datetime
import hashlib
import io
import uuid

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from casework.demo_cases import case_at, clause, hr, person, raise_concern
from casework.errors import RuleBroken
from casework.intake import concerns
from casework.models import AuditEvent, Case, EvidenceFile, Policy, Status
from casework.services import allegations, triage
from workflows import engine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]

TODAY = timezone.localdate
REPORT = reverse("casework:report_concern")
WHAT_WAS_SEEN = "A photo of Year 9's trip with a comment naming a colleague's illness."


def form(**changes) -> dict:
    """A complete concern about Daniel Shaw, as the form sends it."""
    subject = person("Daniel", "Shaw")
    data = {
        "subject": subject.pk,
        "school": subject.school_id,
        "seen_on": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "platform": "instagram",
        "platform_other": "",
        "account_kind": "personal",
        "what_was_seen": WHAT_WAS_SEEN,
        "links": "https://www.instagram.com/p/abc123/\nhttps://www.instagram.com/p/def456/",
        "pupils_involved": "none",
        "pupil_left_on": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def report(client, **changes):
    return client.post(REPORT, form(**changes))


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def nothing_stored(own_media) -> None:
    assert Case.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
    assert AuditEvent.objects.filter(case__isnull=False).count() == 0
    assert not [p for p in own_media.rglob("*") if p.is_file()]


# --- The form -------------------------------------------------------------------------------


def test_any_member_of_staff_sees_the_form_with_clauses_in_plain_english(sign_in):
    client = sign_in("Priya", "Patel")
    page = client.get(REPORT)
    assert page.status_code == 200
    html = page.content.decode()
    dont_4 = clause("DONT-4")
    assert "DONT-4" in html and dont_4.summary[:40] in html
    assert "I am not sure which parts apply" in html
    choices = page.context["form"].fields["subject"].queryset
    assert person("Daniel", "Shaw") in choices
    assert person("Patricia", "Doyle") in choices  # volunteers are covered too
    assert person("Priya", "Patel") not in choices  # never yourself


def test_a_concern_is_numbered_confirmed_and_acknowledged(
    sign_in, django_capture_on_commit_callbacks
):
    client = sign_in("Priya", "Patel")
    with django_capture_on_commit_callbacks(execute=True):
        response = report(
            client,
            suspected_clauses=[clause("DONT-3").pk, clause("DO-5").pk],
            confidentiality_requested="on",
        )
    year = TODAY().year
    case = Case.objects.get()
    assert case.reference == f"SM-{year}-0001"
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:concern_received", args=[case.reference])

    assert case.reporter == person("Priya", "Patel")
    assert case.subject == person("Daniel", "Shaw")
    assert case.platform == "instagram" and case.account_kind == "personal"
    assert case.what_was_seen == WHAT_WAS_SEEN
    assert case.links.splitlines() == [
        "https://www.instagram.com/p/abc123/",
        "https://www.instagram.com/p/def456/",
    ]
    assert {c.code for c in case.suspected_clauses.all()} == {"DONT-3", "DO-5"}
    assert case.confidentiality_requested
    assert case.status == Status.RECEIVED and not case.safeguarding

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert case.reference in confirmation.content.decode()

    (acknowledgement,) = [m for m in mail.outbox if m.to == ["priya.patel@stclare.example"]]
    assert acknowledgement.subject == "Casework: something is waiting for you"
    told = acknowledgement.subject + acknowledgement.body
    for detail in (
        case.reference,
        "concern",
        "Daniel",
        "Shaw",
        "Priya",
        "Instagram",
        "instagram.com",
        "Year 9",
        "St Thomas More",
        "DONT-3",
        clause("DONT-3").text[:30],
    ):
        assert detail not in told


def test_references_run_on_without_gaps(sign_in):
    client = sign_in("Priya", "Patel")
    report(client)
    # A refused report does not use up a number.
    report(client, seen_on=(TODAY() + datetime.timedelta(days=1)).isoformat())
    report(sign_in("Ben", "Taylor"))
    year = TODAY().year
    assert sorted(Case.objects.values_list("reference", flat=True)) == [
        f"SM-{year}-0001",
        f"SM-{year}-0002",
    ]


def test_only_the_reporter_sees_the_confirmation(sign_in):
    report(sign_in("Priya", "Patel"))
    case = Case.objects.get()
    page = sign_in("Ben", "Taylor").get(reverse("casework:concern_received", args=[case.reference]))
    assert page.status_code == 404


def test_someone_with_no_place_in_the_workforce_cannot_report(client):
    from casework.models import User

    client.force_login(User.objects.get(email="admin@stclare.example"))
    assert client.get(REPORT).status_code == 403
    assert client.post(REPORT, form()).status_code == 403
    assert Case.objects.count() == 0


# --- Refusals: a clear message and nothing stored ------------------------------------------


def test_nobody_can_report_themselves(sign_in, own_media):
    client = sign_in("Daniel", "Shaw")
    page = report(client)
    assert page.status_code == 200
    assert page.context["form"].errors["subject"]
    nothing_stored(own_media)
    # Nor through the service, whatever the form offers.
    daniel = person("Daniel", "Shaw")
    with pytest.raises(RuleBroken, match="cannot raise a concern about yourself"):
        concerns.report_concern(
            concern=concerns.Concern(
                subject=daniel,
                school=daniel.school,
                seen_on=TODAY(),
                platform="x",
                account_kind="work",
                what_was_seen="My own post.",
            ),
            reporter=daniel,
            by=daniel.user,
        )
    nothing_stored(own_media)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"seen_on": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "The date it was seen cannot be in the future.",
        ),
        (
            {
                "pupils_involved": "former",
                "pupil_left_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            },
            "A former pupil&#x27;s leaving date cannot be in the future.",
        ),
        (
            {"pupils_involved": "former", "pupil_left_on": ""},
            "Give the date the former pupil left, even roughly.",
        ),
        ({"links": "my friend's page"}, "is not a web address"),
        ({"links": "javascript:alert(1)"}, "is not a web address"),
        ({"links": "https://ok.example/post\nftp://files.example/x"}, "is not a web address"),
        ({"platform": "other", "platform_other": ""}, "Say which platform it was."),
        ({"what_was_seen": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(
    sign_in, own_media, changes, message
):
    page = report(sign_in("Priya", "Patel"), **changes)
    assert page.status_code == 200
    assert message in page.content.decode()
    nothing_stored(own_media)


# --- Evidence ---------------------------------------------------------------------------------


def test_evidence_files_are_stored_with_their_sha256(sign_in, own_media):
    screenshot = png_bytes()
    notes = b"Saved from the post at 21:14 on Saturday.\n"
    page = report(
        sign_in("Priya", "Patel"),
        evidence=[
            SimpleUploadedFile("screenshot.png", screenshot, content_type="image/png"),
            SimpleUploadedFile("notes.txt", notes, content_type="text/plain"),
        ],
    )
    assert page.status_code == 302
    case = Case.objects.get()
    stored = {e.original_name: e for e in case.evidence.all()}
    assert set(stored) == {"screenshot.png", "notes.txt"}
    for name, content in (("screenshot.png", screenshot), ("notes.txt", notes)):
        item = stored[name]
        assert item.sha256 == hashlib.sha256(content).hexdigest()
        assert item.size == len(content)
        with default_storage.open(item.file.name, "rb") as kept:
            assert kept.read() == content
        assert name not in item.file.name  # stored under a name nobody can guess
    assert stored["screenshot.png"].content_type == "image/png"
    events = AuditEvent.objects.filter(case_id=case.pk, action="evidence.added")
    assert {e.details["sha256"] for e in events} == {e.sha256 for e in stored.values()}


def test_a_web_page_dressed_as_a_picture_is_refused_and_nothing_kept(sign_in, own_media):
    page = report(
        sign_in("Priya", "Patel"),
        evidence=[
            SimpleUploadedFile("screenshot.png", png_bytes(), content_type="image/png"),
            SimpleUploadedFile(
                "holiday.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
            ),
        ],
    )
    assert page.status_code == 200
    assert "not a kind of file Casework accepts" in page.content.decode()
    nothing_stored(own_media)


# --- The safeguarding route, chosen on arrival ----------------------------------------------


def _arrived(client, **changes) -> Case:
    response = report(client, **changes)
    assert response.status_code == 302, response.content[:2000]
    return Case.objects.order_by("-pk").first()


def test_a_safeguarding_clause_sends_the_concern_straight_to_the_dsl(sign_in):
    client = sign_in("Priya", "Patel")
    case = _arrived(client, suspected_clauses=[clause("DONT-4").pk])
    assert case.safeguarding and case.status == Status.SAFEGUARDING_REVIEW
    assert case.safeguarding_lead == person("Rachel", "Green")
    (task,) = engine.open_tasks(case)
    assert (
        task.flow_task.name == "safeguarding_review" and task.owner == case.safeguarding_lead.user
    )
    confirmation = client.get(reverse("casework:concern_received", args=[case.reference]))
    assert "designated safeguarding lead has been told" in confirmation.content.decode()


def test_a_current_pupil_sends_the_concern_straight_to_the_dsl(sign_in):
    case = _arrived(sign_in("Priya", "Patel"), pupils_involved="current")
    assert case.safeguarding and case.status == Status.SAFEGUARDING_REVIEW


def test_a_former_pupil_is_a_safeguarding_matter_within_three_years_of_leaving(sign_in):
    client = sign_in("Priya", "Patel")
    seen_on = TODAY() - datetime.timedelta(days=2)
    years = relativedelta(years=3)
    within = _arrived(
        client,
        pupils_involved="former",
        pupil_left_on=(seen_on - years + datetime.timedelta(days=1)).isoformat(),
    )
    beyond = _arrived(
        client,
        what_was_seen="Another post, about a pupil who left longer ago.",
        pupils_involved="former",
        pupil_left_on=(seen_on - years).isoformat(),
    )
    assert within.safeguarding and within.status == Status.SAFEGUARDING_REVIEW
    assert not beyond.safeguarding and beyond.status == Status.RECEIVED
    (task,) = engine.open_tasks(beyond)
    assert task.flow_task.name == "acknowledge" and task.owner is None


def test_the_former_pupil_window_is_a_setting_where_the_policy_states_none(sign_in, settings):
    Policy.objects.filter(is_current=True).update(figures={})
    settings.CASEWORK_PROCEDURE = {**settings.CASEWORK_PROCEDURE, "FORMER_PUPIL_CONTACT_YEARS": 5}
    left_four_years_before = TODAY() - datetime.timedelta(days=2) - relativedelta(years=4)
    case = _arrived(
        sign_in("Priya", "Patel"),
        pupils_involved="former",
        pupil_left_on=left_four_years_before.isoformat(),
    )
    assert case.safeguarding and case.status == Status.SAFEGUARDING_REVIEW


def test_an_ordinary_concern_waits_for_hr(sign_in):
    case = _arrived(sign_in("Priya", "Patel"), clauses_not_sure="on")
    assert not case.safeguarding and case.status == Status.RECEIVED
    assert case.clauses_not_sure and not case.suspected_clauses.exists()


# --- My reports ---------------------------------------------------------------------------------


def test_my_reports_shows_only_reference_date_and_a_plain_status(sign_in):
    received = case_at(Status.RECEIVED)
    looked_at = case_at(Status.INVESTIGATION)
    warned = case_at(Status.CLOSED, subject=("Ben", "Taylor"))
    no_case = case_at(Status.NO_CASE_TO_ANSWER, subject=("Fiona", "MacLeod"))
    someone_elses = case_at(Status.RECEIVED, reporter=("Ben", "Taylor"))

    page = sign_in("Priya", "Patel").get(reverse("casework:my_reports"))
    assert page.status_code == 200
    rows = {report.reference: report.status for report in page.context["reports"]}
    assert rows == {
        received.reference: "Received",
        looked_at.reference: "Being looked at",
        warned.reference: "Closed",
        no_case.reference: "Closed",
    }
    html = page.content.decode()
    assert someone_elses.reference not in html
    for outcome in (
        "Daniel Shaw",
        "Ben Taylor",
        "Fiona MacLeod",
        "warning",
        "Warning",
        "no case to answer",
        "No case to answer",
        "Investigation",
        "outcome final",
        "Emma Wright",
    ):
        assert outcome not in html


def test_my_reports_follows_the_case_without_telling_the_outcome(sign_in):
    case = raise_concern()
    client = sign_in("Priya", "Patel")

    def status_shown():
        (row,) = client.get(reverse("casework:my_reports")).context["reports"]
        return row.status

    assert status_shown() == "Received"
    triage.acknowledge_concern(case=case, by=hr())
    assert status_shown() == "Being looked at"
    triage.triage_concern(case=case, by=hr(), decision="informal", reasons="Advice given.")
    assert status_shown() == "Closed"


def test_my_reports_shows_when_it_was_seen_and_the_reporters_own_first_words(sign_in):
    """The reporter can tell their reports apart by the day they saw it and the opening of
    what they wrote: their own words only, never what HR added or decided."""
    first = raise_concern(
        what_was_seen="A public post mocking the Year 6 nativity and naming the teacher in "
        "charge, with a photograph of the hall taken during the performance."
    )
    second = raise_concern(
        subject=("Ben", "Taylor"), what_was_seen="A comment about the head's car."
    )
    case = Case.objects.get(pk=first.pk)
    triage.acknowledge_concern(case=case, by=hr())
    allegations.add_allegation(
        case=case,
        by=hr(),
        clause=clause("DONT-3"),
        particulars="HR's particulars: posted while on sick leave.",
    )
    client = sign_in("Priya", "Patel")
    page = client.get(reverse("casework:my_reports"))
    reports = {r.reference: r for r in page.context["reports"]}
    assert reports[first.reference].seen_on == first.seen_on
    assert reports[first.reference].first_words == (
        "A public post mocking the Year 6 nativity and naming the teacher …"
    )
    assert reports[second.reference].first_words == "A comment about the head's car."
    html = page.content.decode()
    assert f"{first.seen_on:%-d %B %Y}" in html
    assert "A public post mocking the Year 6 nativity" in html
    assert "photograph of the hall" not in html  # only the first words
    for added in ("HR&#x27;s particulars", "sick leave", "DONT-3", "Triage", "Hannah"):
        assert added not in html, added


def test_my_reports_takes_the_same_queries_however_many_reports(sign_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raise_concern()
    client = sign_in("Priya", "Patel")
    client.get(reverse("casework:my_reports"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("casework:my_reports"))
    for subject in (("Ben", "Taylor"), ("Laura", "Bennett"), ("Chris", "Evans")):
        raise_concern(subject=subject)
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(reverse("casework:my_reports")).context["reports"]) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


# --- The same concern sent twice ----------------------------------------------------------------


def _form_with_token(client) -> dict:
    """The form's data as the page gave it: with its one-time token."""
    token = client.get(REPORT).context["form"]["submission_token"].value()
    return form(submission_token=str(token))


def test_the_same_form_sent_twice_shows_the_reference_already_received(sign_in, own_media):
    """A double click, or Back and send again: the same form, with the same one-time token,
    records one concern and shows its reference the second time."""
    client = sign_in("Priya", "Patel")
    data = _form_with_token(client)
    upload = {"evidence": SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")}
    first = client.post(REPORT, {**data, **upload})
    case = Case.objects.get()
    files = [p for p in own_media.rglob("*") if p.is_file()]
    again = client.post(
        REPORT,
        {**data, "evidence": SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")},
    )
    assert (
        first["Location"]
        == again["Location"]
        == reverse("casework:concern_received", args=[case.reference])
    )
    assert Case.objects.count() == 1 and case.evidence.count() == 1
    assert [p for p in own_media.rglob("*") if p.is_file()] == files  # nothing stored twice
    shown = client.get(again["Location"]).content.decode()
    assert f"You had already sent this concern: it was received as {case.reference}" in shown
    assert AuditEvent.objects.filter(action="concern.raised").count() == 1


def test_the_same_words_about_the_same_person_soon_after_are_the_same_concern(sign_in, settings):
    """The form opened afresh (a new token) and filled in the same way within the window."""
    client = sign_in("Priya", "Patel")
    client.post(REPORT, _form_with_token(client))
    case = Case.objects.get()
    respaced = WHAT_WAS_SEEN.replace(" ", "  ").upper()
    again = client.post(REPORT, {**_form_with_token(client), "what_was_seen": respaced})
    assert again["Location"] == reverse("casework:concern_received", args=[case.reference])
    assert Case.objects.count() == 1

    # Other words, or another person, are another concern.
    client.post(REPORT, {**_form_with_token(client), "what_was_seen": "A second post."})
    client.post(REPORT, {**_form_with_token(client), "subject": person("Ben", "Taylor").pk})
    assert Case.objects.count() == 3


def test_the_same_words_after_the_window_are_a_new_concern(sign_in, time_machine, settings):
    settings.CASEWORK_DUPLICATE_CONCERN_MINUTES = 5
    client = sign_in("Priya", "Patel")
    client.post(REPORT, _form_with_token(client))
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=4))
    client.post(REPORT, _form_with_token(client))
    assert Case.objects.count() == 1
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
    client.post(REPORT, _form_with_token(client))
    assert Case.objects.count() == 2


def test_the_service_refuses_a_concern_already_received_naming_it():
    case = raise_concern()
    token = uuid.uuid4()
    priya = person("Priya", "Patel")
    again = concerns.Concern(
        subject=case.subject,
        school=case.school,
        seen_on=case.seen_on,
        platform="facebook",
        account_kind="personal",
        what_was_seen=case.what_was_seen,
    )
    with pytest.raises(concerns.AlreadyReported, match=case.reference) as refused:
        concerns.report_concern(concern=again, reporter=priya, by=priya.user)
    assert refused.value.case == case
    again.what_was_seen = "Something else entirely."
    new = concerns.report_concern(
        concern=again, reporter=priya, by=priya.user, submission_token=token
    )
    again.what_was_seen = "And a third thing, sent from the same form."
    with pytest.raises(concerns.AlreadyReported) as refused:
        concerns.report_concern(
            concern=again, reporter=priya, by=priya.user, submission_token=token
        )
    assert refused.value.case == new
    # Someone else's token is no way in.
    ben = person("Ben", "Taylor")
    with pytest.raises(RuleBroken, match="cannot be sent"):
        concerns.report_concern(concern=again, reporter=ben, by=ben.user, submission_token=token)
    assert Case.objects.count() == 2


def test_a_token_that_is_not_one_casework_made_is_ignored(sign_in):
    client = sign_in("Priya", "Patel")
    response = client.post(REPORT, form(submission_token="not-a-token"))
    assert response.status_code == 302
    assert Case.objects.get().submission_token is None
