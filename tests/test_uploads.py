"""Evidence files: checked by what they contain, stored privately, served only as attachments."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casework.demo_cases import case_at
from casework.models import Case, EvidenceFile, Status
from tests import hostile_files

pytestmark = pytest.mark.django_db


def stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def picture(kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


# A Windows program's first bytes: the MZ header and the DOS stub message.
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x80\x00\x00\x00"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 200
)
WEB_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/casework/cases/')</script></body></html>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
SVG_WITHOUT_DECLARATION = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
PDF_WITH_SCRIPT = hostile_files.pdf(
    {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        4: b"<< /S /JavaScript /JS (app.alert('x')) >>",
    }
)
PDF_WITH_HIDDEN_SCRIPT = hostile_files.pdf_with_hidden_script_name()
PLAIN_PDF = hostile_files.plain_pdf()


def macro_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"'
            "/></Types>",
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Screenshot notes</w:document>")
    return buffer.getvalue()


def installer_in_an_office_container() -> bytes:
    # The compound-file signature (as .doc, .xls and .msi share) with no document stream.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Installer".encode("utf-16-le")


def upload(client, case: Case, name: str, content: bytes):
    return client.post(
        f"/casework/cases/{case.reference}/evidence/add/",
        {"file": SimpleUploadedFile(name, content), "description": "From the reporter"},
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.pdf", EXECUTABLE, "is not a kind of file Casework accepts"),
        ("photo.jpg", WEB_PAGE, "is not a kind of file Casework accepts"),
        ("drawing.svg", SVG_WITH_SCRIPT, "is not a kind of file Casework accepts"),
        ("screenshot.png", SVG_WITHOUT_DECLARATION, "is not a kind of file Casework accepts"),
        ("letter.pdf", PDF_WITH_SCRIPT, "contains script"),
        ("letter.pdf", PDF_WITH_HIDDEN_SCRIPT, "contains script"),
        ("notes.docx", macro_document(), "containing macros"),
        ("report.doc", installer_in_an_office_container(), "is not a kind of file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + EXECUTABLE, "is not a kind of file"),
    ],
)
def test_a_disguised_or_dangerous_file_is_refused_and_nothing_is_stored(
    sign_in, own_media, name, content, message
):
    case = case_at(Status.TRIAGE)
    response = upload(sign_in("Hannah", "Reid"), case, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Nothing was stored." in page
    assert not EvidenceFile.objects.filter(case=case).exists()
    assert stored(own_media) == []


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(sign_in, own_media):
    """Django itself must not refuse the upload first: Casework says what is wrong."""
    case = case_at(Status.TRIAGE)
    limit = settings.CASEWORK_EVIDENCE_MAX_BYTES
    assert limit == 20 * 1024 * 1024  # the documented default
    response = upload(sign_in("Hannah", "Reid"), case, "video.txt", b"a" * (limit + 1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "the largest file accepted is 20.0\xa0MB" in page
    assert "Nothing was stored." in page
    assert not EvidenceFile.objects.filter(case=case).exists()
    assert stored(own_media) == []


def test_a_refused_file_with_a_concern_creates_no_case(sign_in, own_media):
    from tests.conftest import staff

    client = sign_in("Aisha", "Khan")
    before = Case.objects.count()
    response = client.post(
        "/casework/concerns/new/",
        {
            "subject": staff("Tom", "Brennan").pk,
            "school": staff("Tom", "Brennan").school_id,
            "seen_on": "2026-01-05",
            "platform": "facebook",
            "account_kind": "personal",
            "what_was_seen": "A post about a pupil.",
            "pupils_involved": "none",
            "evidence": [
                SimpleUploadedFile("shot.png", picture()),
                SimpleUploadedFile("shot2.jpg", WEB_PAGE),
            ],
        },
    )
    assert response.status_code == 200
    assert "is not a kind of file Casework accepts" in response.content.decode()
    assert Case.objects.count() == before
    assert stored(own_media) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kept_name"),
    [
        ("screenshot.png", picture("PNG"), "image/png", "screenshot.png"),
        ("photo.jpeg", picture("JPEG"), "image/jpeg", "photo.jpeg"),
        ("statement.pdf", PLAIN_PDF, "application/pdf", "statement.pdf"),
        (
            "notes.docx",
            word_document(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "notes.docx",
        ),
        ("chat log.txt", "Messages: “see you there” <3\n".encode(), "text/plain", "chat log.txt"),
        # Accepted as the text it is, and named so that no computer opens it as a web page.
        ("post.html", b"He wrote: meet me after school", "text/plain", "post.html.txt"),
    ],
)
def test_an_accepted_file_is_stored_privately_under_a_random_name_with_its_hash(
    sign_in, own_media, name, content, content_type, kept_name
):
    case = case_at(Status.TRIAGE)
    client = sign_in("Hannah", "Reid")
    response = upload(client, case, name, content)
    assert response.status_code == 302
    item = EvidenceFile.objects.get(case=case)
    assert item.content_type == content_type
    assert item.original_name == kept_name
    files = stored(own_media)
    assert len(files) == 1
    kept = files[0].read_bytes()
    if content_type.startswith("image/"):
        # Pictures are kept re-encoded without their metadata: the same picture.
        before, after = Image.open(io.BytesIO(content)), Image.open(io.BytesIO(kept))
        assert after.size == before.size
        if content_type == "image/png":  # lossless: the very same pixels
            assert after.tobytes() == before.tobytes()
    else:
        assert kept == content
    assert item.sha256 == hashlib.sha256(kept).hexdigest()
    assert item.size == len(kept)
    assert files[0].name != name and Path(name).stem not in files[0].name  # a random name
    assert not files[0].resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())

    download = client.get(f"/casework/cases/{case.reference}/evidence/{item.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == kept


def test_evidence_is_not_served_to_someone_who_may_not_see_the_case(sign_in, own_media):
    case = case_at(Status.TRIAGE)
    upload(sign_in("Hannah", "Reid"), case, "screenshot.png", picture())
    item = EvidenceFile.objects.get(case=case)
    address = f"/casework/cases/{case.reference}/evidence/{item.pk}/"
    # The subject, a headteacher of another school, and the media URL itself.
    assert sign_in("Daniel", "Shaw").get(address).status_code == 404
    assert sign_in("Helen", "Carter").get(address).status_code == 404
    assert sign_in("Hannah", "Reid").get(f"{settings.MEDIA_URL}{item.file.name}").status_code == 404


def test_prune_orphan_files_removes_only_old_files_no_record_names(sign_in, own_media):
    import os
    import time

    from django.core.management import call_command

    case = case_at(Status.TRIAGE)
    upload(sign_in("Hannah", "Reid"), case, "screenshot.png", picture())
    kept = own_media / EvidenceFile.objects.get(case=case).file.name
    (own_media / "evidence").mkdir(exist_ok=True)
    old_orphan = own_media / "evidence" / "left-by-a-crash.png"
    new_orphan = own_media / "evidence" / "row-on-its-way.png"
    for path in (old_orphan, new_orphan):
        path.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (old_orphan, kept):
        os.utime(path, (two_days_ago, two_days_ago))

    out = io.StringIO()
    call_command("prune_orphan_files", stdout=out)
    assert "evidence/left-by-a-crash.png" in out.getvalue()
    assert "row-on-its-way" not in out.getvalue()
    assert "Dry run" in out.getvalue()
    assert old_orphan.exists()

    call_command("prune_orphan_files", "--apply", stdout=io.StringIO())
    assert not old_orphan.exists()
    assert new_orphan.exists() and kept.exists()
