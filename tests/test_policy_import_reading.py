"""Reading policy documents into clauses: the St Clare text as the fixture holds it, and
documents of other shapes, every clause's code and exact words."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.errors import RuleBroken
from casework.models import Policy
from casework.policies import importing
from casework.policies.figures import figures_in
from casework.policies.parsing import parse
from casework.policies.reading import _text_lines
from tests import policy_documents as documents

ST_CLARE = "St Clare Catholic Multi Academy Trust"
ST_CLARE_TEXT = Path(settings.BASE_DIR) / "fixtures" / "social-media-policy.txt"


def read(name: str, content: bytes, trust: str):
    checked = importing.check_policy_upload(SimpleUploadedFile(name, content))
    return parse(importing.read_lines(checked), trust_name=trust, name=name)


def read_text(text: str, trust: str = "Any Trust"):
    return parse(_text_lines(text), trust_name=trust)


def coded(proposal) -> list[tuple[str, str]]:
    return [(clause.code, clause.text) for clause in proposal.adopted()]


# --- St Clare: exactly the fixture's 21 clauses -----------------------------------------


@pytest.mark.django_db
def test_the_st_clare_text_imports_to_exactly_the_clauses_of_the_fixture():
    proposal = read("social-media-policy.txt", ST_CLARE_TEXT.read_bytes(), ST_CLARE)
    held = Policy.objects.get(trust__name=ST_CLARE, version="2022.1")
    expected = [(c.code, c.kind, c.text) for c in held.clauses.order_by("order")]
    assert len(expected) == 21
    assert [(c.code, c.kind, c.text) for c in proposal.adopted()] == expected


@pytest.mark.django_db
def test_the_st_clare_text_gives_the_fixture_facts_and_flags():
    proposal = read("social-media-policy.txt", ST_CLARE_TEXT.read_bytes(), ST_CLARE)
    held = Policy.objects.get(trust__name=ST_CLARE, version="2022.1")
    for name in (
        "title",
        "adopted_by",
        "adopted_on",
        "reviewed_by",
        "reviewed_on",
        "next_review_by",
        "next_review_due",
        "mission_statement",
        "consequence",
    ):
        assert getattr(proposal, name) == getattr(held, name), name
    flags = {c.code: (c.safeguarding, c.data_protection) for c in held.clauses.all()}
    assert {c.code: (c.safeguarding, c.data_protection) for c in proposal.adopted()} == flags
    assert proposal.notes == []


def test_the_st_clare_text_states_the_three_year_former_pupil_window():
    proposal = read_text(ST_CLARE_TEXT.read_text(encoding="utf-8"), ST_CLARE)
    (found,) = figures_in(proposal.adopted())
    assert (found.name, found.value, found.code) == ("FORMER_PUPIL_CONTACT_YEARS", 3, "DONT-4")


# --- Documents of other shapes ------------------------------------------------------------

SHAPES = {
    "plain text, dashes, wrapped": (
        "oakfield-online-conduct.txt",
        documents.oakfield_text,
        documents.OAKFIELD_TRUST,
        documents.OAKFIELD_CLAUSES,
    ),
    "Word, numbered and bulleted list paragraphs": (
        "harbour-code.docx",
        documents.harbour_word,
        documents.HARBOUR_TRUST,
        documents.HARBOUR_CLAUSES,
    ),
    "PDF, typed markers, wrapped over two pages": (
        "riverside-policy.pdf",
        documents.riverside_pdf,
        documents.RIVERSIDE_TRUST,
        documents.RIVERSIDE_CLAUSES,
    ),
}


def _ordered(clauses):
    """The fixture's order: general standards, then DO, then DO NOT, each in turn."""
    kinds = ("GEN", "DO", "DONT")
    return sorted(clauses, key=lambda c: (kinds.index(c[0].split("-")[0]), int(c[0][-1])))


@pytest.mark.parametrize("shape", SHAPES)
def test_every_clause_of_each_document_is_found_with_its_code_and_exact_words(shape):
    name, build, trust, expected = SHAPES[shape]
    assert coded(read(name, build(), trust)) == _ordered(expected)


def test_the_text_document_gives_its_title_body_and_dates():
    proposal = read("oakfield.txt", documents.oakfield_text(), documents.OAKFIELD_TRUST)
    assert proposal.title == "Staff Online Conduct Policy"
    assert proposal.adopted_by == "the Board of Trustees"
    assert proposal.adopted_on.isoformat() == "2026-03-14"
    assert proposal.next_review_due.isoformat() == "2028-03-31"  # a month: its last day
    assert proposal.consequence.startswith("Breaches of this policy will be dealt with")
    # The scope paragraph sets no expectation: offered to HR, not proposed as a clause.
    (offered,) = [c for c in proposal.clauses if not c.proposed]
    assert offered.text.startswith("This policy applies to every member of staff")


def test_the_word_document_gives_its_facts_from_separate_lines():
    proposal = read("harbour.docx", documents.harbour_word(), documents.HARBOUR_TRUST)
    assert proposal.title == "Acceptable Use of Social Media Code"
    assert proposal.adopted_by == "the Partnership Board"
    assert proposal.adopted_on.isoformat() == "2025-09-01"
    assert proposal.next_review_due.isoformat() == "2027-07-31"
    assert proposal.consequence.startswith("Any breach of this code")


def test_the_pdf_gives_its_facts_and_mission_statement():
    proposal = read("riverside.pdf", documents.riverside_pdf(), documents.RIVERSIDE_TRUST)
    assert proposal.title == "Social Media Policy for Staff"
    assert proposal.adopted_by == "the Local Governing Body"
    assert proposal.adopted_on.isoformat() == "2025-02-03"
    assert (proposal.next_review_by, proposal.next_review_due.isoformat()) == (
        "the Trust Board",
        "2027-02-28",
    )
    assert proposal.mission_statement == documents.RIVERSIDE_MISSION
    assert proposal.consequence.startswith("Failure to follow this policy")


@pytest.mark.parametrize(
    ("shape", "years", "code"),
    [
        ("plain text, dashes, wrapped", 5, "DONT-1"),
        ("Word, numbered and bulleted list paragraphs", 2, "DONT-1"),
        ("PDF, typed markers, wrapped over two pages", 4, "DONT-2"),
    ],
)
def test_the_former_pupil_window_is_found_however_the_clause_words_it(shape, years, code):
    name, build, trust, _ = SHAPES[shape]
    (found,) = figures_in(read(name, build(), trust).adopted())
    assert (found.value, found.code) == (years, code)


# --- Headings, markers and wrapping -----------------------------------------------------


def test_unmarked_items_wrapped_over_lines_without_blank_lines_between_them():
    proposal = read_text(
        "DO:\n"
        "Keep your accounts private and check who can see each post you make on\n"
        "any platform;\n"
        "Name work accounts as work accounts;\n"
        "DO NOT:\n"
        "Discuss pupils online;\n"
        "Share confidential information about the school or any member of its\n"
        "staff.\n"
        "Please remember that every post is public.\n"
    )
    assert coded(proposal) == [
        ("GEN-1", "Please remember that every post is public."),
        (
            "DO-1",
            "Keep your accounts private and check who can see each post you make on any platform;",
        ),
        ("DO-2", "Name work accounts as work accounts;"),
        ("DONT-1", "Discuss pupils online;"),
        ("DONT-2", "Share confidential information about the school or any member of its staff."),
    ]


def test_unmarked_items_in_lower_case_each_end_at_their_semicolon():
    proposal = read_text(
        "Staff must not:\n"
        "accept friend requests from pupils, or from former pupils within\n"
        "three years of their leaving;\n"
        "share confidential information; or\n"
        "post as the school.\n"
    )
    assert coded(proposal) == [
        (
            "DONT-1",
            "accept friend requests from pupils, or from former pupils within three years of "
            "their leaving;",
        ),
        ("DONT-2", "share confidential information; or"),
        ("DONT-3", "post as the school."),
    ]


@pytest.mark.parametrize(
    ("do_heading", "dont_heading"),
    [
        ("DO:", "DO NOT:"),
        ("Staff must:", "Staff must not:"),
        ("You should", "You should not"),
        ("What staff must do", "What staff must not do"),
        ("When using social media, members of the workforce should:", "Things not to do"),
        ("Do's", "Don'ts"),
        ("Always", "Never"),
    ],
)
def test_lists_are_found_however_they_are_headed(do_heading, dont_heading):
    proposal = read_text(
        f"{do_heading}\n\n* Keep accounts private.\n\n{dont_heading}\n\n* Post images of pupils.\n"
    )
    assert coded(proposal) == [
        ("DO-1", "Keep accounts private."),
        ("DONT-1", "Post images of pupils."),
    ]


@pytest.mark.parametrize(
    "marker", ["•", "-", "\u2013", "*", "1.", "1)", "(a)", "a)", "(i)", "\uf0b7"]
)
def test_list_markers_are_taken_off_and_the_words_kept(marker):
    proposal = read_text(
        f"Staff must not:\n{marker} Share passwords; and\n{marker} Post as the school.\n"
    )
    assert coded(proposal) == [
        ("DONT-1", "Share passwords; and"),
        ("DONT-2", "Post as the school."),
    ]


def test_a_marked_list_ends_at_the_first_paragraph_without_a_marker():
    proposal = read_text(
        "You should not:\n- Post as the school.\n- Share passwords.\n"
        "Remember that staff must report a breach they see.\n"
    )
    assert [c.code for c in proposal.adopted()] == ["GEN-1", "DONT-1", "DONT-2"]


def test_a_section_heading_after_a_numbered_list_is_not_an_item():
    proposal = read_text(
        "Staff must:\n1. Keep accounts private.\n2. Name work accounts clearly.\n"
        "3. Monitoring and review\nThis policy is reviewed every two years.\n"
    )
    assert [c.text for c in proposal.adopted()] == [
        "Keep accounts private.",
        "Name work accounts clearly.",
    ]


def test_a_document_without_lists_is_refused_saying_what_was_looked_for():
    with pytest.raises(RuleBroken) as refusal:
        read_text("Social Media Policy\n\nStaff should take care online.\n")
    message = refusal.value.message
    assert "No list of things to do or not to do was found" in message
    for looked_for in ("DO:", "DO NOT:", "Staff must:", "Staff must not:", "You should not"):
        assert looked_for in message
    assert "Nothing was stored" in message


def test_what_could_not_be_found_is_noted_for_hr():
    proposal = read_text("Staff must not:\n- Post as the school.\n")
    assert proposal.notes == [
        "No list of things to do was found.",
        "No title was found.",
        "The body that adopted the policy was not found.",
        "The date the policy was adopted was not found.",
        "The date of the next review was not found.",
    ]


# --- Documents that are refused ---------------------------------------------------------


def word_package(extra: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(documents.harbour_word())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, extra.pop(item.filename, source.read(item.filename)))
        for name, content in extra.items():
            target.writestr(name, content)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(documents.riverside_pdf())))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_without_text() -> bytes:
    from weasyprint import HTML

    return HTML(
        string="<html><body><div style='height:5cm;background:#888'></div></body></html>"
    ).write_pdf()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.png", None, "cannot be imported as a policy"),
        (
            "policy.exe",
            b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode.",
            "not a kind of file",
        ),
        (
            "policy.html",
            b"<!DOCTYPE html><html><body>Staff must:</body></html>",
            "not a kind of file",
        ),
        ("policy.txt", b"", "is empty"),
        ("locked.pdf", None, "protected with a password"),
        ("scan.pdf", None, "no text that can be read"),
        (
            "broken.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
            "not a well-formed PDF",
        ),
        ("macros.docx", None, "macros"),
        ("entities.docx", None, "declares XML entities"),
    ],
)
def test_documents_casework_cannot_or_must_not_read_are_refused(name, content, message):
    if name == "policy.png":
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (20, 20)).save(buffer, "PNG")
        content = buffer.getvalue()
    elif name == "locked.pdf":
        content = encrypted_pdf()
    elif name == "scan.pdf":
        content = pdf_without_text()
    elif name == "macros.docx":
        content = word_package({"word/vbaProject.bin": b"\x00macro"})
    elif name == "entities.docx":
        content = word_package(
            {
                "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "x">]>'
                b"<w:document/>"
            }
        )
    with pytest.raises(RuleBroken, match=message) as refusal:
        read(name, content, "Any Trust")
    assert "Nothing was stored" in refusal.value.message


def test_a_document_larger_than_the_policy_limit_is_refused(settings):
    settings.CASEWORK_POLICY_MAX_BYTES = 1000
    with pytest.raises(RuleBroken, match="the largest policy document accepted is 1000"):
        read("long.txt", b"Staff must not:\n- Post as the school.\n" * 100, "Any Trust")


def test_a_word_document_that_unpacks_to_far_more_than_it_weighs_is_refused(settings):
    settings.CASEWORK_POLICY_MAX_BYTES = 50_000  # unpacked, at most twenty times that
    content = word_package({"word/media/padding.bin": b"\x00" * 2_000_000})
    assert len(content) < 50_000
    with pytest.raises(RuleBroken, match="unpacks to far more"):
        read("padded.docx", content, "Any Trust")


def test_a_pdf_of_too_many_pages_is_refused(settings):
    settings.CASEWORK_POLICY_MAX_PAGES = 1
    with pytest.raises(RuleBroken, match="has 2 pages"):
        read("riverside.pdf", documents.riverside_pdf(), documents.RIVERSIDE_TRUST)


def test_a_word_table_of_do_and_do_not_columns_is_read_as_the_two_lists():
    import docx

    document = docx.Document()
    document.add_paragraph("Staff Social Media Policy", style="Title")
    document.add_paragraph("Staff are expected to take care with every post they make.")
    table = document.add_table(rows=3, cols=2)
    for row, (do, dont) in enumerate(
        [
            ("DO", "DON'T"),
            ("Keep your accounts private.", "Befriend pupils online."),
            ("Report any approach from a pupil.", "Post images of colleagues."),
        ]
    ):
        table.cell(row, 0).text, table.cell(row, 1).text = do, dont
    document.add_paragraph("The headteacher can advise on any post.")
    buffer = io.BytesIO()
    document.save(buffer)
    proposal = read("table.docx", buffer.getvalue(), "Any Trust")
    assert coded(proposal) == [
        ("GEN-1", "Staff are expected to take care with every post they make."),
        ("DO-1", "Keep your accounts private."),
        ("DO-2", "Report any approach from a pupil."),
        ("DONT-1", "Befriend pupils online."),
        ("DONT-2", "Post images of colleagues."),
    ]
    assert proposal.title == "Staff Social Media Policy"
