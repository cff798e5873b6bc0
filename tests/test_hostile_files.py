"""Hostile files, made in tests/hostile_files.py: each is refused with its reason named and
nothing stored, and each ordinary file of the same kind is still accepted.

The zip bomb is the one from the field: a Word document of about 300 KB holding 300 MB of
zeros. Checking it must not unpack it: the memory the check allocates (tracemalloc's peak)
stays within a few megabytes, whatever the archive's directory says.
"""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from casework.demo_cases import case_at, person
from casework.errors import RuleBroken
from casework.evidence import DOCX, PDF, XLSX, check_file, ole
from casework.models import AuditEvent, Case, EvidenceFile, Status
from tests import hostile_files as hostile

pytestmark = pytest.mark.django_db

FLAT = 8 * 1024 * 1024  # bytes: a few chunks and the parsers' own tables, never an entry


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return hostile.zip_bomb_document()


def stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(RuleBroken) as refused:
        check_file(name=name, content=content)
    message = refused.value.message
    assert message.startswith(f"“{name}” ") and message.endswith("Nothing was stored.")
    return message


def peak_memory_while_checking(content: bytes) -> tuple[int, str]:
    tracemalloc.start()
    try:
        message = refusal("minutes.docx", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"peak memory while checking: {peak / 1024:.0f} KiB")
    return peak, message


def test_the_zip_bomb_is_refused_and_memory_stays_flat(zip_bomb):
    assert len(zip_bomb) < 400 * 1024  # the 306 KB document of the report
    peak, message = peak_memory_while_checking(zip_bomb)
    assert "zip bomb" in message
    assert peak < FLAT


def test_a_zip_bomb_whose_directory_understates_it_is_refused_and_memory_stays_flat(zip_bomb):
    """Its headers say the part unpacks to 1,000 bytes: it is unpacked a chunk at a time and
    stopped there, not read whole."""
    lying = hostile.understating(zip_bomb, "word/media/image1.png")
    peak, message = peak_memory_while_checking(lying)
    assert "it is damaged" in message
    assert peak < FLAT


def test_an_archive_past_the_unpacking_limits_is_refused(settings):
    settings.CASEWORK_UNPACK_LIMITS = {**settings.CASEWORK_UNPACK_LIMITS, "MAX_ENTRIES": 3}
    parts = {f"word/media/image{n}.png": b"x" for n in range(5)}
    message = refusal("album.docx", hostile.office_zip(parts))
    assert "it is an archive of 6 parts; the most accepted is 3" in message

    settings.CASEWORK_UNPACK_LIMITS = {
        **settings.CASEWORK_UNPACK_LIMITS,
        "MAX_ENTRIES": 100,
        "MAX_TOTAL_BYTES": 2 * 1024 * 1024,
    }
    big = hostile.office_zip({"word/document.xml": bytes(3 * 1024 * 1024)})
    settings.CASEWORK_UNPACK_LIMITS["MAX_RATIO"] = 10_000
    assert "it unpacks to more than 2.0\xa0MB in all" in refusal("big.docx", big)


HOSTILE = [
    # (name, builder, what the refusal says)
    ("minutes.docx", hostile.macro_enabled_document, "containing macros"),
    ("minutes.docx", hostile.document_with_a_vba_project_but_ordinary_types, "containing macros"),
    ("rota.xlsx", hostile.workbook_with_an_xlm_macro_sheet, "containing macros"),
    ("minutes.docx", hostile.document_with_a_macro_workbook_inside, "containing macros"),
    ("minutes.odt", hostile.opendocument_with_basic_macros, "containing macros"),
    (
        "minutes.docx",
        lambda: hostile.password_protected_entries(hostile.word_document()),
        "protected with a password",
    ),
    ("minutes.doc", hostile.word_97_document_with_macros, "containing macros"),
    ("rota.xls", hostile.excel_97_workbook_with_an_xlm_macro_sheet, "containing macros"),
    (
        "rota.xls",
        lambda: hostile.excel_97_workbook_with_an_xlm_macro_sheet(kind=""),
        "containing macros",
    ),
    ("post.pdf", hostile.pdf_with_script_in_an_object_stream, "a PDF that contains script"),
    ("post.pdf", hostile.pdf_with_hidden_script_name, "a PDF that contains script"),
    ("post.pdf", hostile.pdf_opening_a_web_address, "opens a web address"),
    ("post.pdf", hostile.pdf_calling_an_address_when_a_page_opens, "opens a web address"),
    ("post.pdf", hostile.pdf_launching_a_program, "would start a program"),
    ("post.pdf", hostile.pdf_with_an_embedded_file, "contains other files"),
    ("post.pdf", hostile.elf_with_a_pdf_header, "not a well-formed PDF"),
    ("post.pdf", hostile.pdf_that_is_also_a_web_page, "also a web page"),
    ("post.pdf", hostile.pdf_with_a_web_page_after_its_end, "not a well-formed PDF"),
    ("photo.png", hostile.picture_declaring_a_billion_pixels, "too large to open safely"),
]


@pytest.mark.parametrize(
    ("name", "build", "reason"), HOSTILE, ids=[b.__name__ for _, b, _ in HOSTILE]
)
def test_a_hostile_file_is_refused_with_its_reason(name, build, reason):
    assert reason in refusal(name, build())


def test_script_packed_in_a_compressed_object_stream_is_out_of_sight_of_byte_patterns():
    """The premise of the test above: nothing in the raw bytes says JavaScript."""
    assert b"JavaScript" not in hostile.pdf_with_script_in_an_object_stream()


def test_excel_4_macros_are_found_by_olevba_even_without_the_sheet_list_check(monkeypatch):
    monkeypatch.setattr(ole, "_has_macro_sheets", lambda workbook: False)
    assert "containing macros" in refusal(
        "rota.xls", hostile.excel_97_workbook_with_an_xlm_macro_sheet()
    )


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("statement.pdf", hostile.plain_pdf, PDF),
        ("statement.pdf", hostile.pdf_opening_at_a_page_with_a_web_link, PDF),
        ("notes.docx", hostile.word_document, DOCX),
        ("notes.doc", hostile.word_97_document, "application/msword"),
        ("rota.xls", hostile.excel_97_workbook, "application/vnd.ms-excel"),
        ("rota.xlsx", lambda: hostile.office_zip({"xl/workbook.xml": "<workbook/>"}), XLSX),
    ],
)
def test_an_ordinary_file_of_each_kind_is_accepted_as_it_arrived(name, build, content_type):
    content = build()
    checked = check_file(name=name, content=content)
    assert checked.content_type == content_type
    assert checked.content == content


def upload(client, case: Case, name: str, content: bytes):
    return client.post(
        f"/casework/cases/{case.reference}/evidence/add/",
        {"file": SimpleUploadedFile(name, content), "description": "From the reporter"},
    )


@pytest.mark.parametrize(
    ("name", "build", "reason"), HOSTILE, ids=[b.__name__ for _, b, _ in HOSTILE]
)
def test_a_hostile_file_added_to_a_case_is_refused_and_nothing_is_stored(
    sign_in, own_media, name, build, reason
):
    case = case_at(Status.TRIAGE)
    response = upload(sign_in("Hannah", "Reid"), case, name, build())
    assert response.status_code == 200
    page = response.content.decode()
    assert reason in page and "Nothing was stored." in page
    assert not EvidenceFile.objects.filter(case=case).exists()
    assert stored(own_media) == []


def test_the_zip_bomb_sent_with_a_concern_by_a_volunteer_is_refused(client, own_media, zip_bomb):
    volunteer = person("Joan", "Fitzgerald")
    subject = person("Daniel", "Shaw")
    client.force_login(volunteer.user)
    before = Case.objects.count()
    response = client.post(
        "/casework/concerns/new/",
        {
            "subject": subject.pk,
            "school": subject.school_id,
            "seen_on": "2026-01-05",
            "platform": "facebook",
            "account_kind": "personal",
            "what_was_seen": "A post about a colleague.",
            "pupils_involved": "none",
            "evidence": [SimpleUploadedFile("minutes.docx", zip_bomb)],
        },
    )
    assert response.status_code == 200
    assert "zip bomb" in response.content.decode()
    assert Case.objects.count() == before
    assert stored(own_media) == []


# --- Pictures: re-encoded without their metadata ----------------------------------------------


def exif_of(content: bytes) -> Image.Exif:
    return Image.open(io.BytesIO(content)).getexif()


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_photo_is_kept_without_its_exif_or_gps_position(kind):
    sent = hostile.photo(kind)
    assert exif_of(sent).get_ifd(ExifTags.IFD.GPSInfo)  # the premise: it says where
    checked = check_file(name=f"playground.{kind.lower()}", content=sent)
    kept = Image.open(io.BytesIO(checked.content))
    assert not kept.getexif()
    assert not exif_of(checked.content).get_ifd(ExifTags.IFD.GPSInfo)
    for trace in (b"PhoneMaker", b"Phone 12", b"playground", b"Exif\x00"):
        assert trace not in checked.content
    assert kept.size == (40, 30)
    assert checked.received_sha256 != checked.sha256


def test_a_photo_taken_sideways_is_kept_the_right_way_up():
    """The turn is EXIF too: it is applied to the pixels before the EXIF goes."""
    checked = check_file(name="sideways.jpg", content=hostile.photo("JPEG", orientation=6))
    assert Image.open(io.BytesIO(checked.content)).size == (30, 40)


def test_an_animated_gif_keeps_its_frames_but_not_its_comment():
    checked = check_file(name="reaction.gif", content=hostile.animated_gif_with_a_comment())
    kept = Image.open(io.BytesIO(checked.content))
    assert kept.n_frames == 3
    assert b"playground" not in checked.content
    assert "comment" not in kept.info


def test_a_photo_added_to_a_case_is_stored_without_gps_and_both_hashes_are_audited(
    sign_in, own_media
):
    case = case_at(Status.TRIAGE)
    sent = hostile.photo("JPEG")
    response = upload(sign_in("Hannah", "Reid"), case, "playground.jpg", sent)
    assert response.status_code == 302
    (file,) = stored(own_media)
    assert not exif_of(file.read_bytes()).get_ifd(ExifTags.IFD.GPSInfo)
    item = EvidenceFile.objects.get(case=case)
    event = AuditEvent.objects.get(action="evidence.added", case=case)
    assert event.details["sha256"] == item.sha256
    assert event.details["sha256_as_received"] != item.sha256
    assert event.details["metadata_removed"] is True


def test_a_picture_declaring_a_vast_size_is_refused_before_it_is_decoded():
    content = hostile.picture_declaring_a_billion_pixels()
    tracemalloc.start()
    try:
        message = refusal("photo.png", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "too large to open safely" in message
    assert peak < FLAT
