"""Checking uploaded files: evidence on a case, and any other document people send in.

A file's type is decided from its content, never from its name: an executable renamed
``.pdf`` or a web page renamed ``.jpg`` is refused. Each kind is then read the way the
program that opens it would read it, and refused if it could do harm there:

* pictures (``images``) are decoded and encoded afresh without their metadata (EXIF, GPS);
* PDFs (``pdf``) are parsed, object streams included, for script, actions and files inside;
* Word, Excel and PowerPoint 97-2003 files (``ole``) are checked for VBA and XLM macros;
* office documents that are zip archives (``archives``) are unpacked a chunk at a time
  within limits, for macros, programs and zip bombs;
* plain text (``text``) must not be a web page, an SVG drawing or a script.

``check_upload`` (or ``check_file`` for bytes already in hand) is the one way in. A
refusal is a ``RuleBroken`` whose message names the file, says why in plain words and
that nothing was stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from casework.errors import RuleBroken

from . import archives, images, ole, pdf, text
from .archives import DOCX, PPTX, XLSX
from .refusal import Kind, Refused

ACCEPTED_DESCRIPTION = (
    "photos and screenshots (JPEG, PNG, GIF, WebP), PDF, plain text, and Word, Excel, "
    "PowerPoint or OpenDocument files"
)
PDF = "application/pdf"
PLAIN_TEXT = "text/plain"
# What each accepted kind is called, for a refusal that names the kinds allowed.
KIND_NAMES = {
    "image/jpeg": "a JPEG picture",
    "image/png": "a PNG picture",
    "image/gif": "a GIF picture",
    "image/webp": "a WebP picture",
    PDF: "a PDF",
    PLAIN_TEXT: "plain text",
    DOCX: "a Word document",
    XLSX: "an Excel workbook",
    PPTX: "a PowerPoint presentation",
    "application/msword": "a Word 97-2003 document",
    "application/vnd.ms-excel": "an Excel 97-2003 workbook",
    "application/vnd.ms-powerpoint": "a PowerPoint 97-2003 presentation",
    "application/vnd.oasis.opendocument.text": "an OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation",
}
# Names that go with each sniffed type: a file whose name does not end in one of them is
# given the right ending, so that nobody's computer opens it as something else.
_EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg", ".jfif"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    PDF: (".pdf",),
    PLAIN_TEXT: (".txt", ".text", ".log", ".csv"),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt", ".pps"),
}

__all__ = [
    "ACCEPTED_DESCRIPTION",
    "DOCX",
    "KIND_NAMES",
    "PDF",
    "PLAIN_TEXT",
    "PPTX",
    "XLSX",
    "CheckedFile",
    "Refused",
    "check_file",
    "check_upload",
    "max_upload_bytes",
    "random_name",
    "safe_name",
]


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: the bytes to keep (a picture re-encoded without its metadata)
    and their SHA-256; ``received_sha256`` is the hash of what was sent."""

    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str
    received_sha256: str = ""


def max_upload_bytes() -> int:
    return settings.CASEWORK_EVIDENCE_MAX_BYTES


def _sniff(content: bytes) -> Kind | None:
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return images.check(content, "JPEG")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return images.check(content, "PNG")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return images.check(content, "GIF")
    if head.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return images.check(content, "WEBP")
    if head.startswith(b"%PDF-"):
        return pdf.check(content)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return ole.check(content)
    if head.startswith(b"PK\x03\x04"):
        return archives.check(content)
    return text.check(content)


def safe_name(name: str, content_type: str, extension: str) -> str:
    """The name the file was uploaded with, ending as its real type does."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "", PurePath(name or "file").name).strip() or "file"
    allowed = _EXTENSIONS.get(content_type, (extension,))
    if PurePath(name).suffix.lower() in allowed:
        return name[:255]
    return f"{name[: 255 - len(extension)]}{extension}"


def _display_name(name: str | None) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", "", PurePath(name or "file").name)[:255] or "file"


def check_upload(upload: UploadedFile, *, accept: Collection[str] | None = None) -> CheckedFile:
    """Read an upload, or refuse it with a message saying why and what is accepted.

    ``accept`` narrows the kinds accepted to those content types (see ``KIND_NAMES``), for
    a page that takes, say, only documents.
    """
    name = _display_name(upload.name)
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise RuleBroken(
            f"“{name}” is {filesizeformat(upload.size)}; the largest file accepted is "
            f"{filesizeformat(limit)}. Nothing was stored."
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    return check_file(name=name, content=content, accept=accept)


def check_file(*, name: str, content: bytes, accept: Collection[str] | None = None) -> CheckedFile:
    """Check bytes already read, as ``check_upload`` does."""
    name = _display_name(name)
    limit = max_upload_bytes()
    if len(content) > limit:
        raise RuleBroken(
            f"“{name}” is larger than {filesizeformat(limit)}, the largest file accepted. "
            "Nothing was stored."
        )
    if not content:
        raise RuleBroken(f"“{name}” is empty. Nothing was stored.")
    try:
        found = _sniff(content)
    except Refused as refusal:
        raise RuleBroken(
            f"“{name}” was refused: {refusal.reason}. Save it as a picture, a plain PDF or "
            "an ordinary document and try again. Nothing was stored."
        ) from None
    if found is None:
        raise RuleBroken(
            f"“{name}” is not a kind of file Casework accepts, whatever its name says. "
            f"Accepted: {ACCEPTED_DESCRIPTION}. Nothing was stored."
        )
    if accept is not None and found.content_type not in accept:
        allowed = ", ".join(sorted(KIND_NAMES.get(kind, kind) for kind in accept))
        raise RuleBroken(
            f"“{name}” is {KIND_NAMES.get(found.content_type, 'another kind of file')}; "
            f"only these are accepted here: {allowed}. Nothing was stored."
        )
    kept = found.content if found.content is not None else content
    return CheckedFile(
        content=kept,
        content_type=found.content_type,
        extension=found.extension,
        sha256=hashlib.sha256(kept).hexdigest(),
        original_name=safe_name(name, found.content_type, found.extension),
        received_sha256=hashlib.sha256(content).hexdigest(),
    )


def random_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}{extension}"
