"""Reading a policy document: plain text, Word (.docx) or a PDF with text in it.

Every reader gives the same thing: the document's lines, in order, each with its
indentation and whether the document itself formats it as a list item (a Word list
paragraph). A blank line separates paragraphs where the document shows a gap. What the
lines mean is ``parsing``'s business.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings

from casework.errors import RuleBroken
from casework.evidence import CheckedFile

PLAIN_TEXT = "text/plain"
PDF = "application/pdf"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READABLE_TYPES = {PLAIN_TEXT: "plain text", PDF: "PDF", WORD: "Word document"}
READABLE_DESCRIPTION = "plain text (.txt), a Word document (.docx) or a PDF with text in it"

# A page number or "Page 2 of 5" alone on a line is the page's furniture, not the policy.
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\s*$", re.I)


@dataclass(frozen=True)
class Line:
    text: str
    indent: int = 0
    listed: bool = False  # the document formats it as a list item (its marker is not text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


BLANK = Line("")


def max_pages() -> int:
    return settings.CASEWORK_POLICY_MAX_PAGES


def read_lines(checked: CheckedFile) -> list[Line]:
    """The lines of a checked upload, or a refusal saying what Casework can read."""
    name = checked.original_name
    if checked.content_type == PLAIN_TEXT:
        return _text_lines(checked.content.decode("utf-8"))
    if checked.content_type == PDF:
        return _pdf_lines(checked.content, name)
    if checked.content_type == WORD:
        return _word_lines(checked.content, name)
    raise RuleBroken(
        f"“{name}” cannot be imported as a policy. Casework reads {READABLE_DESCRIPTION}; "
        "save the policy in one of those forms and try again. Nothing was stored."
    )


def _text_lines(text: str) -> list[Line]:
    lines = []
    for raw in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        expanded = raw.replace("\t", "    ").rstrip()
        stripped = expanded.lstrip()
        lines.append(Line(stripped, indent=len(expanded) - len(stripped)) if stripped else BLANK)
    return lines


def _pdf_lines(content: bytes, name: str) -> list[Line]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    unreadable = (
        f"“{name}” could not be read as a PDF. Export the policy again from the word "
        "processor (File, Save as PDF), or upload the Word document. Nothing was stored."
    )
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise RuleBroken(
                f"“{name}” is a protected PDF. Upload a copy without a password or "
                "restrictions, or the Word document. Nothing was stored."
            )
        if len(reader.pages) > max_pages():
            raise RuleBroken(
                f"“{name}” has {len(reader.pages)} pages; a policy of more than "
                f"{max_pages()} pages is not imported. Nothing was stored."
            )
        # Layout mode keeps list markers beside their items, the indentation of wrapped
        # lines and a blank line where the page shows a gap between paragraphs.
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except RuleBroken:
        raise
    except PdfReadError:
        raise RuleBroken(unreadable) from None
    except Exception:  # a malformed file may fail anywhere inside the reader
        raise RuleBroken(unreadable) from None
    lines = [
        line
        for page in pages
        for line in _text_lines(page or "")
        if not _PAGE_NUMBER.match(line.text)
    ]
    if not any(not line.blank for line in lines):
        raise RuleBroken(
            f"“{name}” has no text that can be read: it may be a scanned image. Upload the "
            "Word document, or a PDF saved from it. Nothing was stored."
        )
    return lines


def _word_lines(content: bytes, name: str) -> list[Line]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_word_package(content, name)
    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise RuleBroken(
            f"“{name}” could not be read as a Word document. Save it again from Word as a "
            ".docx document and try again. Nothing was stored."
        ) from None
    from docx.table import Table

    lines: list[Line] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.extend(_paragraph_lines(block, listed=_is_list_paragraph(block)))
    return lines


def _paragraph_lines(paragraph, *, listed: bool) -> list[Line]:
    # A soft line break inside a paragraph is layout, not a new paragraph.
    text = " ".join(part.strip() for part in paragraph.text.split("\n")).strip()
    if not text:
        return []
    return [Line(text, listed=listed), BLANK]  # every Word paragraph stands on its own


def _table_lines(table) -> list[Line]:
    """A table read column by column: a "DO" | "DO NOT" table is its two lists, each cell
    below the headings an item."""
    lines: list[Line] = []
    seen = set()
    for column in table.columns:
        for row, cell in enumerate(column.cells):
            if id(cell._tc) in seen:
                continue  # a merged cell is read once
            seen.add(id(cell._tc))
            for paragraph in cell.paragraphs:
                lines.extend(_paragraph_lines(paragraph, listed=row > 0))
    return lines


def _is_list_paragraph(paragraph) -> bool:
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        return True
    style = paragraph.style.name if paragraph.style is not None else ""
    return style.lower().startswith("list")


def _check_word_package(content: bytes, name: str) -> None:
    """A Word document is a zip of XML: refuse one that unpacks to far more than it
    weighs, or whose XML declares entities (no Word document does)."""
    limit = settings.CASEWORK_POLICY_MAX_BYTES * 20
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = package.infolist()
            if sum(member.file_size for member in members) > limit:
                raise RuleBroken(
                    f"“{name}” unpacks to far more than a policy document does. Nothing was stored."
                )
            body = package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError):
        raise RuleBroken(
            f"“{name}” could not be read as a Word document. Save it again from Word as a "
            ".docx document and try again. Nothing was stored."
        ) from None
    if b"<!DOCTYPE" in body[:4096].upper() or b"<!ENTITY" in body.upper():
        raise RuleBroken(
            f"“{name}” is not an ordinary Word document (it declares XML entities). "
            "Save it again from Word and try again. Nothing was stored."
        )
