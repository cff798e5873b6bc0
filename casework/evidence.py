"""Checking and storing evidence files.

A file's type is decided from its content, never from its name: an executable renamed
``.pdf`` or a web page renamed ``.jpg`` is refused. Accepted files are stored through
Django's storage API under a random name, with the SHA-256 taken as they arrive.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from .errors import RuleBroken

ACCEPTED_DESCRIPTION = (
    "photos and screenshots (JPEG, PNG, GIF, WebP), PDF, plain text, and Word, Excel, "
    "PowerPoint or OpenDocument files"
)

_OFFICE_ZIP_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
_OPENDOCUMENT_TYPES = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
    b"application/vnd.oasis.opendocument.presentation": ".odp",
}
_MARKUP_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return settings.CASEWORK_EVIDENCE_MAX_BYTES


def _sniff(content: bytes) -> tuple[str, str] | None:
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif", ".gif"
    if head.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/vnd.ms-office", ".doc"  # Word 97-2003, Excel 97-2003 ...
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    return _sniff_text(content)


def _sniff_zip(content: bytes) -> tuple[str, str] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
        if "mimetype" in names:
            kind = archive.read("mimetype").strip()
            if kind in _OPENDOCUMENT_TYPES:
                return kind.decode(), _OPENDOCUMENT_TYPES[kind]
            return None
        if "[Content_Types].xml" not in names:
            return None
        if any(name.lower().endswith((".exe", ".dll", ".js", ".vbs", ".bin")) for name in names):
            return None  # macro binaries and embedded programs
        for prefix, found in _OFFICE_ZIP_TYPES.items():
            if any(name.startswith(prefix) for name in names):
                return found
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def _sniff_text(content: bytes) -> tuple[str, str] | None:
    if b"\x00" in content:
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lowered = text.lstrip().lower().encode()
    if any(marker in lowered[:4096] for marker in _MARKUP_MARKERS):
        return None  # a web page or an SVG could run script when opened
    if text.startswith(("#!", "MZ")):
        return None
    return "text/plain", ".txt"


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Read an upload, or refuse it with a message saying why and what is accepted."""
    name = PurePath(upload.name or "file").name[:255]
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise RuleBroken(
            f"“{name}” is {filesizeformat(upload.size)}; the largest file accepted is "
            f"{filesizeformat(limit)}. Nothing was stored."
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise RuleBroken(
            f"“{name}” is larger than {filesizeformat(limit)}, the largest file accepted. "
            "Nothing was stored."
        )
    if not content:
        raise RuleBroken(f"“{name}” is empty. Nothing was stored.")
    sniffed = _sniff(content)
    if sniffed is None:
        raise RuleBroken(
            f"“{name}” is not a kind of file Casework accepts, whatever its name says. "
            f"Accepted: {ACCEPTED_DESCRIPTION}. Nothing was stored."
        )
    content_type, extension = sniffed
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
    )


def random_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}{extension}"
