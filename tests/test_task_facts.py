"""Every task page shows the facts its decision rests on beside the form: the concern, the
evidence (images and PDFs previewed, for those who may see them), the allegations with
their clauses, and the way to the timeline."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.demo_cases import acknowledge, frame_allegation, hr, raise_concern
from casework.evidence import check_upload
from casework.models import Case
from casework.services.evidence import add_evidence
from tests.test_concerns import png_bytes
from workflows import engine
from workflows.nodes import task_path

pytestmark = pytest.mark.django_db

DPO = ("Yusuf", "Ahmed")


def task_page(client, task) -> str:
    """The task's page as its person sees it, taking it on from the queue first."""
    if task.owner_id is None:
        claim = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
        assert client.post(claim).status_code == 302
    page = client.get(task_path(task), follow=True)
    assert page.status_code == 200
    return page.content.decode()


def case_task(case: Case):
    return engine.open_tasks(case).first()


def with_picture(case: Case):
    return add_evidence(
        case=case,
        checked=check_upload(SimpleUploadedFile("screenshot.png", png_bytes())),
        by=hr(),
    )


def test_hr_triaging_sees_the_concern_evidence_allegations_and_timeline(sign_in):
    case = acknowledge(raise_concern())
    frame_allegation(case, "DONT-3")
    picture = with_picture(case)
    client = sign_in("Hannah", "Reid")
    html = task_page(client, case_task(case))
    facts = html[html.index('data-testid="task-facts"') :]
    assert case.what_was_seen[:40] in facts
    assert "Facebook" in facts and "https://www.facebook.com/example/posts/1" in facts
    clause_text = case.allegations.get().clause.text
    assert clause_text[:60] in facts
    preview = f"/casework/cases/{case.reference}/evidence/{picture.pk}/preview/"
    assert f'src="{preview}"' in facts
    assert f"/casework/cases/{case.reference}/#timeline" in facts
    shown = client.get(preview)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"] == "inline"
    # A PDF is framed by the task page itself, and by no other site.
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in shown["Content-Security-Policy"]
    assert b"".join(shown.streaming_content) == png_bytes()


def test_the_dsl_reviewing_sees_when_the_former_pupil_left(sign_in):
    case = raise_concern(
        clauses=("DONT-4",),
        pupils_involved="former",
        pupil_left_on=datetime.date(2025, 7, 18),
        what_was_seen="Messages to a former pupil on Instagram.",
    )
    assert case.status == "safeguarding_review"
    with_picture(case)
    html = task_page(sign_in("Rachel", "Green"), case_task(case))
    facts = html[html.index('data-testid="task-facts"') :]
    assert "Messages to a former pupil on Instagram." in facts
    assert "the former pupil left on 18 July 2025" in facts
    assert "/preview/" in facts


def test_the_dpo_deciding_on_a_breach_gets_no_evidence(sign_in):
    case = raise_concern(clauses=("DO-5",))
    picture = with_picture(case)
    decision_task = (
        engine.open_tasks(case)
        .model.objects.filter(process__dpoprocess__decision__case=case)
        .first()
    )
    client = sign_in(*DPO)
    html = task_page(client, decision_task)
    assert "What was seen" in html
    assert "screenshot.png" not in html and "/evidence/" not in html
    address = f"/casework/cases/{case.reference}/evidence/{picture.pk}/"
    assert client.get(address + "preview/").status_code == 404
    assert client.get(address).status_code == 404


def test_a_file_that_is_not_an_image_or_pdf_is_not_previewed(sign_in):
    case = raise_concern()
    item = add_evidence(
        case=case,
        checked=check_upload(SimpleUploadedFile("post.txt", b"A transcript of the post.")),
        by=hr(),
    )
    client = sign_in("Hannah", "Reid")
    address = f"/casework/cases/{case.reference}/evidence/{item.pk}/"
    assert client.get(address + "preview/").status_code == 404
    html = task_page(client, case_task(case))
    assert f'href="{address}"' in html and f"{address}preview/" not in html
