"""Letters on the web: who may prepare, issue, download and deliver them, what is audited,
and what a letter may and may not fetch or show."""

from __future__ import annotations

import re
import socket

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from casework import demo_cases, selectors
from casework.letters import demo, rendering
from casework.models import AuditEvent, Letter, LetterKind, Status
from casework.services import allegations, letters
from workflows import engine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]

SUBJECT = ("Daniel", "Shaw")  # the default demo case: St Thomas More, reported by Priya Patel
HEADTEACHER = ("Michael", "Okafor")  # St Thomas More: may see the case, may not issue


def url(case, *parts) -> str:
    return "/".join([f"/casework/cases/{case.reference}/letters", *map(str, parts)]) + "/"


def digest_in(response) -> str:
    match = re.search(r'name="digest" value="([0-9a-f]{64})"', response.content.decode())
    assert match, "no draft on the page"
    return match.group(1)


def issued(case, kind=LetterKind.HEARING_INVITATION) -> Letter:
    return letters.issue_letter(case=case, by=demo_cases.hr(), kind=kind, inputs={})


def test_hr_previews_the_draft_then_issues_exactly_that(sign_in):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    client = sign_in("Hannah", "Reid")

    page = client.get(url(case, "new", "hearing_invitation"))
    assert page.status_code == 200
    # The draft is the frame's document, escaped into its srcdoc attribute.
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in page.content.decode()
    assert "Invitation to a disciplinary hearing" in page.content.decode()
    digest = digest_in(page)

    draft_pdf = client.post(url(case, "new", "hearing_invitation"), {"action": "pdf"})
    assert draft_pdf["Content-Type"] == "application/pdf"
    assert draft_pdf.content.startswith(b"%PDF-")
    assert not Letter.objects.exists()  # a draft is not a letter

    unconfirmed = client.post(
        url(case, "new", "hearing_invitation"), {"action": "issue", "digest": digest}
    )
    assert "tick this box" in unconfirmed.content.decode()
    assert not Letter.objects.exists()

    done = client.post(
        url(case, "new", "hearing_invitation"),
        {"action": "issue", "digest": digest, "confirm": "on"},
    )
    letter = Letter.objects.get()
    assert done.status_code == 302 and done["Location"] == url(case, letter.pk)
    drafts = AuditEvent.objects.filter(action="viewed.letter_draft", case_id=case.pk)
    assert sorted(e.details["format"] for e in drafts) == ["html", "html", "pdf"]
    assert AuditEvent.objects.filter(action="letter.issued", object_id=str(letter.pk)).exists()


def test_the_issue_outcome_task_previews_and_issues_the_outcome_letter(client):
    case = demo_cases.case_at(Status.SIGNED_OFF)
    task = engine.open_tasks(case).get()
    client.force_login(task.owner)
    execute = client.get(task.flow_task.reverse("index", args=[task.process_id, task.pk]))
    page = client.get(execute["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Issue the outcome and its letter" in content and "srcdoc=" in content

    done = client.post(
        execute["Location"], {"action": "issue", "digest": digest_in(page), "confirm": "on"}
    )

    assert done.status_code == 302 and done["Location"] == f"/casework/cases/{case.reference}/"
    case = demo.fresh(case)
    assert case.status == Status.OUTCOME_ISSUED
    letter = case.letters.get()
    assert letter.kind == LetterKind.OUTCOME and letter.sign_off is not None
    assert engine.open_tasks(case).get().flow_task.name == "appeal_window"


def test_a_dismissal_with_notice_is_prepared_from_its_inputs(sign_in):
    case = demo.case_with_outcome("dismissal_with_notice")
    client = sign_in("Hannah", "Reid")
    address = url(case, "new", "dismissal_with_notice")

    first = client.get(address)
    assert first.status_code == 200 and "srcdoc" not in first.content.decode()
    short = client.post(address, {"action": "preview", "notice_weeks": "2", "pay_in_lieu": "on"})
    assert "statutory minimum notice is 7 weeks" in short.content.decode()
    page = client.post(address, {"action": "preview", "notice_weeks": "8", "pay_in_lieu": "on"})
    done = client.post(
        address,
        {
            "action": "issue",
            "notice_weeks": "8",
            "pay_in_lieu": "on",
            "digest": digest_in(page),
            "confirm": "on",
        },
    )
    assert done.status_code == 302
    letter = Letter.objects.get()
    assert letter.inputs["notice_weeks"] == 8 and letter.inputs["pay_in_lieu"] is True


def test_changing_the_inputs_after_the_preview_asks_for_a_fresh_look(sign_in):
    case = demo.case_with_outcome("dismissal_with_notice")
    client = sign_in("Hannah", "Reid")
    address = url(case, "new", "dismissal_with_notice")
    page = client.post(address, {"action": "preview", "notice_weeks": "8", "pay_in_lieu": "on"})

    refused = client.post(
        address,
        {
            "action": "issue",
            "notice_weeks": "9",
            "pay_in_lieu": "on",
            "digest": digest_in(page),
            "confirm": "on",
        },
    )

    assert "changed since you previewed it" in refused.content.decode()
    assert not Letter.objects.exists()
    assert demo.fresh(case).status == Status.SIGNED_OFF


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (("Hannah", "Reid"), 200),  # HR case manager
        (HEADTEACHER, 200),  # the school's headteacher, who signed it off
        (("Emma", "Wright"), 200),  # the investigating officer
        (SUBJECT, 404),  # nobody sees a case about themselves
        (("Priya", "Patel"), 404),  # the reporter sees only a status line
        (("Helen", "Carter"), 404),  # another school's headteacher
        (("Patricia", "Doyle"), 404),  # anyone else
    ],
)
def test_only_people_who_may_see_the_case_may_download_its_letters(sign_in, who, status):
    case = demo_cases.case_at(Status.OUTCOME_ISSUED)
    letter = issued(case, LetterKind.OUTCOME)
    client = sign_in(*who)

    response = client.get(url(case, letter.pk, "pdf"))
    assert response.status_code == status
    assert client.get(url(case, letter.pk)).status_code == status
    assert client.get(url(case)).status_code == status
    downloads = AuditEvent.objects.filter(action="viewed.letter", object_id=str(letter.pk))
    if status == 200:
        assert response.content == default_storage.open(letter.file.name).read()
        assert response["Content-Disposition"].startswith("attachment;")
        assert downloads.get().actor == demo_cases.person(*who).user
    else:
        assert not downloads.exists()


def test_people_who_may_see_the_case_but_not_manage_it_may_not_prepare_or_deliver(sign_in):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    letter = issued(case)
    client = sign_in(*HEADTEACHER)

    assert client.get(url(case, "new", "hearing_invitation")).status_code == 403
    assert client.post(url(case, "new", "hearing_invitation"), {"action": "pdf"}).status_code == 403
    assert client.post(url(case, letter.pk, "deliver"), {"method": "email"}).status_code == 403
    assert Letter.objects.count() == 1 and not mail.outbox

    outsider = sign_in("Helen", "Carter")
    assert outsider.get(url(case, "new", "hearing_invitation")).status_code == 404
    assert outsider.post(url(case, letter.pk, "deliver"), {"method": "email"}).status_code == 404


def test_emailing_a_letter_attaches_the_pdf_and_says_nothing_else(
    sign_in, django_capture_on_commit_callbacks
):
    case = demo_cases.case_at(Status.OUTCOME_ISSUED)
    letter = issued(case, LetterKind.OUTCOME)
    client = sign_in("Hannah", "Reid")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(case, letter.pk, "deliver"), {"method": "email"})
        assert not mail.outbox  # nothing leaves before the delivery is committed

    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == [case.subject.email]
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"letter-{letter.dated:%Y-%m-%d}.pdf"
    assert mimetype == "application/pdf"
    assert content == default_storage.open(letter.file.name).read()
    for detail in (
        case.reference,
        case.get_sanction_display(),
        case.decision_reasons,
        "DONT-3",
        case.allegations.get().clause.text,
        case.school.name,
    ):
        assert detail not in message.subject + message.body, detail
    delivery = letter.deliveries.get()
    assert delivery.method == "email" and delivery.to_address == case.subject.email
    timeline = [event.summary for event in selectors.case_timeline(case)]
    assert timeline[-2].startswith(f"Letter queued to be e-mailed to {case.subject.email}: ")
    assert f"Letter e-mailed to {case.subject.email}: {letter.title} of " in timeline[-1]


def test_handing_over_or_posting_is_recorded_on_the_timeline(sign_in):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    letter = issued(case)
    client = sign_in("Hannah", "Reid")
    today = timezone.localdate().isoformat()

    missing_date = client.post(url(case, letter.pk, "deliver"), {"method": "post"})
    assert "Give the day it was handed over or posted." in missing_date.content.decode()
    client.post(
        url(case, letter.pk, "deliver"),
        {"method": "hand", "delivered_on": today, "notes": "At the school office."},
    )
    client.post(url(case, letter.pk, "deliver"), {"method": "post", "delivered_on": today})

    assert [d.method for d in letter.deliveries.all()] == ["hand", "post"]
    assert not mail.outbox
    summaries = [event.summary for event in selectors.case_timeline(case)]
    assert any(s.startswith("Letter handed over:") for s in summaries)
    assert any(s.startswith("Letter posted:") for s in summaries)
    assert any(s.startswith("Letter issued:") for s in summaries)


def test_the_same_delivery_form_sent_twice_e_mails_the_letter_once(
    sign_in, django_capture_on_commit_callbacks
):
    case = demo_cases.case_at(Status.OUTCOME_ISSUED)
    letter = issued(case, LetterKind.OUTCOME)
    client = sign_in("Hannah", "Reid")
    page = client.get(url(case, letter.pk)).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    sent_before = len(mail.outbox)
    for _ in range(2):  # a double click
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url(case, letter.pk, "deliver"), {"method": "email", "submission_token": token}
            )
        assert response.status_code == 302
    assert len(mail.outbox) == sent_before + 1
    assert letter.deliveries.count() == 1
    # A fresh form is a fresh delivery: sending the letter again on purpose still works.
    client.post(url(case, letter.pk, "deliver"), {"method": "email"})
    assert letter.deliveries.count() == 2


def test_a_replaced_letter_is_not_delivered(sign_in):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    old = issued(case)
    issued(demo.fresh(case))
    client = sign_in("Hannah", "Reid")

    response = client.post(url(case, old.pk, "deliver"), {"method": "email"})

    assert "A later letter replaced this one" in response.content.decode()
    assert not mail.outbox and not old.deliveries.exists()


def test_the_case_page_lists_its_letters(sign_in):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    old = issued(case)
    new = issued(demo.fresh(case))

    page = sign_in(*HEADTEACHER).get(f"/casework/cases/{case.reference}/").content.decode()

    assert url(case, old.pk) in page and url(case, new.pk) in page
    assert "Replaced" in page


# --- What a letter may fetch and show -------------------------------------------------------


HOSTILE = (
    '<img src="file:///etc/passwd"> <b>bold</b> <link rel="stylesheet" '
    'href="http://attacker.example/x.css"> <script>alert(1)</script> {{ case.reporter }}'
)


def test_text_people_typed_is_printed_as_text_and_fetches_nothing(monkeypatch):
    case = demo_cases.case_at(Status.INVESTIGATION)
    allegations.add_allegation(
        case=case,
        by=demo_cases.hr(),
        clause=demo_cases.clause("DONT-5"),
        particulars=HOSTILE,
    )
    fetched = []
    real_fetch = rendering.StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(rendering.StaticFilesOnly, "fetch", spy)
    rendering.forget_prepared_tools()

    letter = letters.issue_letter(
        case=demo.fresh(case),
        by=demo_cases.hr(),
        kind=LetterKind.INVESTIGATION_MEETING,
        inputs=demo.meeting_inputs(case),
    )

    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(default_storage.open(letter.file.name)).pages
    )
    assert '<img src="file:///etc/passwd"> <b>bold</b>' in text
    assert "<script>alert(1)</script> {{ case.reporter }}" in text
    assert case.reporter.full_name not in text
    assert all(url.startswith(rendering.BASE_URL + "static/") for url in fetched), fetched
    draft = letters.preview_letter(
        case=demo.fresh(case),
        by=demo_cases.hr(),
        kind=LetterKind.INVESTIGATION_MEETING,
        inputs=demo.meeting_inputs(case),
    ).draft
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in draft.screen_html()
    assert '<img src="file:///etc/passwd">' not in draft.screen_html()


@pytest.mark.parametrize(
    "address",
    [
        "file:///etc/passwd",
        "http://attacker.example/logo.png",
        "https://attacker.example/static/casework/letters/letter.css",
        "data:text/css,body{}",
        rendering.BASE_URL + "etc/passwd",
        rendering.BASE_URL + "static/../config/settings.py",
        rendering.BASE_URL + "static/casework/../../config/settings.py",
        rendering.BASE_URL + "static/%2e%2e/config/settings.py",
        rendering.BASE_URL + "static//etc/passwd",
    ],
)
def test_letters_may_fetch_nothing_but_casework_static_files(address):
    with pytest.raises(rendering.ResourceRefused):
        rendering.StaticFilesOnly().fetch(address)


def test_letters_fetch_casework_static_files():
    response = rendering.StaticFilesOnly().fetch(
        rendering.BASE_URL + "static/casework/letters/letter.css"
    )
    assert b"Liberation Serif" in response.read()
    assert response.content_type == "text/css"


def test_a_letter_asking_for_anything_else_is_not_rendered(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a letter tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    for markup in (
        '<img src="file:///etc/hostname">',
        '<link rel="stylesheet" href="http://attacker.example/x.css">',
    ):
        with pytest.raises(rendering.RenderFailed):
            rendering.html_to_pdf(f"<html><body><p>Letter</p>{markup}</body></html>")


def test_the_letterhead_logo_comes_from_the_static_files(settings):
    settings.CASEWORK_LETTERHEAD = {**settings.CASEWORK_LETTERHEAD, "LOGO": "viewflow/img/user.png"}
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)

    letter = issued(case)

    page = PdfReader(default_storage.open(letter.file.name)).pages[0]
    assert any(
        xobject.get_object()["/Subtype"] == "/Image"
        for xobject in page["/Resources"]["/XObject"].values()
    )
