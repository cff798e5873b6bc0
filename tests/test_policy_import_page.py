"""HR's import page: upload, review what was found, confirm. Others are turned away; bad
uploads are refused with a reason and leave nothing behind."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import AuditEvent, Clause, Policy
from casework.policies.views import DRAFT
from tests import policy_documents as documents

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]

UPLOAD = reverse("casework:policy_import")
REVIEW = reverse("casework:policy_import_review")
ST_CLARE_TEXT = Path(settings.BASE_DIR) / "fixtures" / "social-media-policy.txt"
HR = ("Hannah", "Reid")
NOT_HR = [
    ("Tom", "Brennan"),  # a member of staff
    ("Michael", "Okafor"),  # a headteacher
    ("Rachel", "Green"),  # a designated safeguarding lead
    ("Emma", "Wright"),  # an investigating officer
    ("Catherine", "Walsh"),  # a trust executive
]


def st_clare_2026() -> bytes:
    return (
        ST_CLARE_TEXT.read_text(encoding="utf-8")
        .replace("June 2022", "March 2026")
        .replace("July 2025", "July 2029")
        .replace("Discuss work related issues via social media;", "Discuss pupils online;")
        .encode()
    )


def upload(client, content: bytes, name: str = "policy.txt", version: str = "2026.1"):
    return client.post(UPLOAD, {"document": SimpleUploadedFile(name, content), "version": version})


def held() -> tuple[int, int]:
    return Policy.objects.count(), Clause.objects.count()


def review_data(client, **changes) -> dict:
    """The review form as shown, with ``changes`` (field name: value; None unticks)."""
    proposal = client.session[DRAFT]["proposal"]
    data = {"confirm": "1"}
    for name in ("title", "adopted_by", "reviewed_by", "next_review_by"):
        data[f"facts-{name}"] = proposal[name] or ""
    for name in ("adopted_on", "reviewed_on", "next_review_due"):
        data[f"facts-{name}"] = proposal[name] or ""
    for index, clause in enumerate(proposal["clauses"]):
        data[f"clause-{index}-action"] = "keep" if clause["proposed"] else "drop"
        data[f"clause-{index}-summary"] = clause["summary"]
        for flag in ("safeguarding", "data_protection"):
            if clause[flag]:
                data[f"clause-{index}-{flag}"] = "on"
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def index_of(client, code: str) -> int:
    clauses = client.session[DRAFT]["proposal"]["clauses"]
    return next(i for i, clause in enumerate(clauses) if clause["code"] == code)


# --- Who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_HR)
def test_only_hr_may_open_the_import_pages(sign_in, who):
    client = sign_in(*who)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, st_clare_2026()).status_code == 403
    assert client.get(REVIEW).status_code == 403
    assert client.post(REVIEW, {"confirm": "1"}).status_code == 403
    assert DRAFT not in client.session
    assert held() == (1, 21)


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_policy_page_offers_the_import_to_hr_only(sign_in):
    assert UPLOAD in sign_in(*HR).get(reverse("casework:policy")).content.decode()
    assert UPLOAD not in sign_in("Tom", "Brennan").get(reverse("casework:policy")).content.decode()


# --- Upload and review -------------------------------------------------------------------


def test_hr_uploads_a_document_and_sees_what_was_found_before_anything_is_stored(sign_in):
    client = sign_in(*HR)
    response = upload(client, st_clare_2026())
    assert response.status_code == 302 and response["Location"] == REVIEW
    page = client.get(REVIEW).content.decode()
    assert "Check what was found in “policy.txt”" in page
    for code in ("GEN-1", "GEN-5", "DO-1", "DO-8", "DONT-1", "DONT-8"):
        assert f'id="proposed-{code}"' in page
    assert "Discuss pupils online;" in page
    assert "Workforce (Staff and Volunteers) Social Media Policy" in page
    assert held() == (1, 21)


def test_confirming_adopts_the_version_as_current_and_the_old_one_is_kept(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    response = client.post(REVIEW, review_data(client))
    assert response.status_code == 302 and response["Location"] == reverse("casework:policy")
    current = Policy.objects.get(is_current=True)
    assert current.version == "2026.1" and current.clauses.count() == 21
    assert current.clauses.get(code="DONT-3").text == "Discuss pupils online;"
    assert Policy.objects.get(version="2022.1").clauses.get(code="DONT-3").text == (
        "Discuss work related issues via social media;"
    )
    event = AuditEvent.objects.get(action="policy.version_adopted")
    assert event.actor_label == "Hannah Reid"
    assert event.details["source"]["name"] == "policy.txt"
    assert DRAFT not in client.session
    page = client.get(reverse("casework:policy")).content.decode()
    assert "Version 2026.1 is now the current version of the policy." in page


def test_hr_drops_and_merges_general_standards_and_edits_summaries_and_flags(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    gen1, gen2, gen3, do1 = (index_of(client, c) for c in ("GEN-1", "GEN-2", "GEN-3", "DO-1"))
    data = review_data(
        client,
        **{
            f"clause-{gen1}-action": "drop",
            f"clause-{gen3}-action": "merge",  # into GEN-2, the standard kept before it
            f"clause-{gen2}-summary": "Follow data protection law; raise concerns properly.",
            f"clause-{do1}-summary": "Work accounts are for work.",
            f"clause-{do1}-safeguarding": "on",
        },
    )
    assert client.post(REVIEW, data).status_code == 302
    current = Policy.objects.get(is_current=True)
    general = list(current.clauses.filter(kind="GEN").order_by("order"))
    assert [c.code for c in general] == ["GEN-1", "GEN-2", "GEN-3"]
    gen2_text = Policy.objects.get(version="2022.1").clauses.get(code="GEN-2").text
    gen3_text = Policy.objects.get(version="2022.1").clauses.get(code="GEN-3").text
    assert general[0].text == f"{gen2_text} {gen3_text}"
    assert general[0].summary == "Follow data protection law; raise concerns properly."
    assert general[0].data_protection  # GEN-2's flag carried into the merged clause
    do1_clause = current.clauses.get(code="DO-1")
    assert do1_clause.summary == "Work accounts are for work." and do1_clause.safeguarding


def test_merging_the_first_general_standard_is_refused_and_nothing_is_stored(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    data = review_data(client, **{f"clause-{index_of(client, 'GEN-1')}-action": "merge"})
    response = client.post(REVIEW, data)
    assert response.status_code == 400
    assert "has no general standard kept before it to be merged into" in response.content.decode()
    assert held() == (1, 21)
    assert DRAFT in client.session  # HR can correct the choice and confirm


def test_a_list_item_cannot_be_dropped(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    data = review_data(client, **{f"clause-{index_of(client, 'DONT-8')}-action": "drop"})
    response = client.post(REVIEW, data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert held() == (1, 21)


def test_a_kept_clause_needs_a_summary(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    response = client.post(
        REVIEW, review_data(client, **{f"clause-{index_of(client, 'DO-2')}-summary": " "})
    )
    assert response.status_code == 400
    assert "DO-2: Give a plain-English summary of the clause." in response.content.decode()
    assert held() == (1, 21)


def test_discarding_stores_nothing(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    response = client.post(REVIEW, {"discard": "1"})
    assert response.status_code == 302
    assert DRAFT not in client.session and held() == (1, 21)
    assert client.get(REVIEW).status_code == 302  # nothing waits to be confirmed


def test_facts_the_document_lacks_are_given_on_the_review_page(sign_in):
    client = sign_in(*HR)
    upload(client, b"Social Media Policy\n\nStaff must not:\n- Post as the school.\n")
    page = client.get(REVIEW).content.decode()
    assert "The date the policy was adopted was not found." in page
    incomplete = client.post(REVIEW, review_data(client))
    assert incomplete.status_code == 400 and held() == (1, 21)
    data = review_data(
        client,
        **{
            "facts-adopted_by": "The Trust Board",
            "facts-adopted_on": "2026-03-01",
            "facts-next_review_due": "2028-03-31",
        },
    )
    assert client.post(REVIEW, data).status_code == 302
    current = Policy.objects.get(is_current=True)
    assert (current.adopted_by, current.next_review_due.isoformat()) == (
        "The Trust Board",
        "2028-03-31",
    )
    assert [c.code for c in current.clauses.all()] == ["DONT-1"]


def test_a_paragraph_that_was_not_proposed_can_be_kept(sign_in):
    client = sign_in(*HR)
    upload(client, documents.oakfield_text().replace(b"March\n2028", b"March\n2029"))
    proposal = client.session[DRAFT]["proposal"]
    offered = next(i for i, c in enumerate(proposal["clauses"]) if not c["proposed"])
    data = review_data(
        client,
        **{
            f"clause-{offered}-action": "keep",
            f"clause-{offered}-summary": "The policy covers all staff and volunteers.",
            "figures-FORMER_PUPIL_CONTACT_YEARS": "on",
        },
    )
    assert client.post(REVIEW, data).status_code == 302
    general = Policy.objects.get(is_current=True).clauses.filter(kind="GEN").order_by("order")
    assert general[0].text.startswith("This policy applies to every member of staff")
    assert [c.code for c in general] == ["GEN-1", "GEN-2", "GEN-3"]


# --- The policy's own numbers ------------------------------------------------------------


def test_a_changed_former_pupil_window_must_be_confirmed_on_the_page(sign_in):
    client = sign_in(*HR)
    five_years = st_clare_2026().replace(b"within three years", b"within five years")
    upload(client, five_years)
    page = client.get(REVIEW).content.decode()
    assert "DONT-4 says <strong>5 years</strong>, where Casework uses 3 years today" in page
    unconfirmed = client.post(REVIEW, review_data(client))
    assert unconfirmed.status_code == 400
    assert "DONT-4 says 5 years: confirm the new figure" in unconfirmed.content.decode()
    assert held() == (1, 21)
    confirmed = client.post(
        REVIEW, review_data(client, **{"figures-FORMER_PUPIL_CONTACT_YEARS": "on"})
    )
    assert confirmed.status_code == 302
    assert Policy.objects.get(is_current=True).figures == {"FORMER_PUPIL_CONTACT_YEARS": 5}
    assert Policy.objects.get(version="2022.1").figures == {"FORMER_PUPIL_CONTACT_YEARS": 3}


def test_an_unchanged_figure_needs_no_confirmation(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    assert "FORMER_PUPIL_CONTACT_YEARS" not in client.get(REVIEW).content.decode()
    assert client.post(REVIEW, review_data(client)).status_code == 302
    assert Policy.objects.get(is_current=True).figures == {"FORMER_PUPIL_CONTACT_YEARS": 3}


# --- Bad uploads --------------------------------------------------------------------------


def macro_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def picture() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.exe", b"MZ\x90\x00" + b"\x00" * 200, "is not a kind of file Casework accepts"),
        ("policy.docx", macro_document(), "containing macros"),
        ("policy.pdf", picture(), "cannot be imported as a policy"),
        ("policy.txt", b"", "is empty"),
        ("policy.txt", b"Dear all,\n\nPlease read the policy.\n", "No list of things to do"),
        ("policy.pdf", b"%PDF-1.4\n%%EOF", "not a well-formed PDF"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_leave_nothing_behind(
    sign_in, own_media, name, content, message
):
    client = sign_in(*HR)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert DRAFT not in client.session
    assert held() == (1, 21)
    assert [path for path in own_media.rglob("*") if path.is_file()] == []


def test_an_upload_larger_than_the_limit_is_refused(sign_in, settings):
    settings.CASEWORK_POLICY_MAX_BYTES = 2000
    response = upload(sign_in(*HR), st_clare_2026())
    assert "the largest policy document accepted is 2.0\xa0KB" in response.content.decode()
    assert held() == (1, 21)


def test_a_held_version_number_is_refused_at_upload(sign_in):
    client = sign_in(*HR)
    response = upload(client, st_clare_2026(), version="2022.1")
    assert "Version 2022.1 of St Clare Catholic Multi Academy Trust's policy is already held" in (
        html.unescape(response.content.decode())
    )
    assert DRAFT not in client.session
    response = upload(client, st_clare_2026(), version="../2026")
    assert "Give the version as up to 20 letters, digits, dots or dashes" in (
        response.content.decode()
    )


def test_a_version_adopted_by_someone_else_meanwhile_is_refused_at_confirmation(sign_in):
    from django.core.management import call_command

    client = sign_in(*HR)
    upload(client, st_clare_2026())
    other = Path(settings.MEDIA_ROOT) / "meanwhile.txt"
    other.write_bytes(st_clare_2026())
    call_command(
        "import_policy",
        str(other),
        trust=Policy.objects.get().trust.name,
        version="2026.1",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    response = client.post(REVIEW, review_data(client))
    assert response.status_code == 400
    assert "is already held" in response.content.decode()
    assert Policy.objects.count() == 2


def test_a_draft_that_no_longer_fits_is_let_go_and_hr_is_asked_to_upload_again(sign_in):
    client = sign_in(*HR)
    upload(client, st_clare_2026())
    session = client.session
    session[DRAFT] = {**session[DRAFT], "proposal": {"title": "An older shape"}}
    session.save()
    response = client.post(REVIEW, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert DRAFT not in client.session and held() == (1, 21)
