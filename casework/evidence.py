"""Checking and storing evidence files.

A file's type is decided from its content, never from its name: an executable renamed
``.pdf`` or a web page renamed ``.jpg`` is refused. Accepted files are stored through
Django's storage API under a random name, with the SHA-256 taken as they arrive.

What is accepted: photos and screenshots, PDF, plain text and office documents. What is
refused, whatever it is called: programs and installers, web pages, SVG drawings, macros,
PDFs that carry script or embedded files, and anything whose content does not match the
kind of file it starts out claiming to be.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import warnings
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
# Word, Excel and PowerPoint 97-2003 keep their content in a stream of a known name inside
# the compound file; an installer (.msi) or anything else in that container has none.
_OLE_STREAMS = (
    ("WordDocument", "application/msword", ".doc"),
    ("Workbook", "application/vnd.ms-excel", ".xls"),
    ("Book", "application/vnd.ms-excel", ".xls"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint", ".ppt"),
)
_OLE_MACROS = ("_VBA_PROJECT",)
# Markup a browser or a viewer would act on: web pages, SVG, script.
_MARKUP = re.compile(
    rb"<(?:!doctype|\?xml|html|head|body|script|iframe|frame|object|embed|svg|math|"
    rb"meta|link|style|form|img|image|a|base|xml|xsl|template)[\s/>]",
    re.IGNORECASE,
)
# PDF features that run code or carry other files.
_PDF_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA)(?=[\s/<>\[\]()%]|$)"
)
# Inside an office document: files that are programs, or that hold macros or objects
# which could run one.
_ZIP_PROGRAMS = (
    ".exe",
    ".dll",
    ".js",
    ".vbs",
    ".jar",
    ".msi",
    ".bat",
    ".cmd",
    ".ps1",
    ".scr",
    ".com",
    ".hta",
    ".html",
    ".htm",
    ".svg",
    ".lnk",
)
_ZIP_MACROS = ("vbaproject.bin", "vbadata.xml")
# Names that go with each sniffed type: a file whose name does not end in one of them is
# given the right ending, so that nobody's computer opens it as something else.
_EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg", ".jfif"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "text/plain": (".txt", ".text", ".log", ".csv"),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt", ".pps"),
}


class Refused(Exception):
    """Content that is of an accepted kind at first sight but is not safe to keep."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
        return _check_image(content, "JPEG", "image/jpeg", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _check_image(content, "PNG", "image/png", ".png")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _check_image(content, "GIF", "image/gif", ".gif")
    if head.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return _check_image(content, "WEBP", "image/webp", ".webp")
    if head.startswith(b"%PDF-"):
        return _check_pdf(content)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(content)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    return _sniff_text(content)


def _check_image(content: bytes, expected: str, content_type: str, extension: str):
    """The picture must decode as what its first bytes say, all the way through."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                # Phone cameras save some photos as multi-picture JPEG (MPO).
                if image.format != expected and (expected, image.format) != ("JPEG", "MPO"):
                    return None
                image.load()
    except Exception:  # any failure to decode means: not a picture
        return None
    return content_type, extension


def _check_pdf(content: bytes) -> tuple[str, str]:
    # Names in a PDF may spell letters as #xx; undo that before looking.
    plain = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), content)
    if _PDF_ACTIVE.search(plain):
        raise Refused("it is a PDF that contains script, actions or other files inside it")
    return "application/pdf", ".pdf"


def _sniff_ole(content: bytes) -> tuple[str, str] | None:
    def named(name: str) -> bool:
        return name.encode("utf-16-le") in content

    if any(named(name) for name in _OLE_MACROS):
        raise Refused("it is an office document containing macros")
    for stream, content_type, extension in _OLE_STREAMS:
        if named(stream):
            return content_type, extension
    return None  # an installer or another program in an office-document container


def _sniff_zip(content: bytes) -> tuple[str, str] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
        lowered = [name.lower() for name in names]
        if any(name.endswith(_ZIP_PROGRAMS) for name in lowered):
            raise Refused("it contains programs or web pages")
        if any(
            name.endswith(_ZIP_MACROS) or "/activex/" in name or "embeddings/oleobject" in name
            for name in lowered
        ):
            raise Refused("it is an office document containing macros or embedded objects")
        if "mimetype" in names:
            kind = archive.read("mimetype").strip()
            if any(name.startswith(("basic/", "scripts/")) for name in lowered):
                raise Refused("it is an office document containing macros")
            if kind in _OPENDOCUMENT_TYPES:
                return kind.decode(), _OPENDOCUMENT_TYPES[kind]
            return None
        if "[Content_Types].xml" not in names:
            return None
        if b"macroenabled" in archive.read("[Content_Types].xml").lower():
            raise Refused("it is an office document containing macros")
        for prefix, found in _OFFICE_ZIP_TYPES.items():
            if any(name.startswith(prefix) for name in names):
                return found
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return None
    return None


def _sniff_text(content: bytes) -> tuple[str, str] | None:
    if b"\x00" in content:
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.lstrip("\ufeff \t\r\n").lower().startswith(("#!", "mz", "@echo")):
        return None  # a script or a program
    if _MARKUP.search(content):
        return None  # a web page or an SVG could run script when opened
    return "text/plain", ".txt"


def safe_name(name: str, content_type: str, extension: str) -> str:
    """The name the file was uploaded with, ending as its real type does."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "", PurePath(name or "file").name).strip() or "file"
    allowed = _EXTENSIONS.get(content_type, (extension,))
    if PurePath(name).suffix.lower() in allowed:
        return name[:255]
    return f"{name[: 255 - len(extension)]}{extension}"


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Read an upload, or refuse it with a message saying why and what is accepted."""
    name = PurePath(upload.name or "file").name[:255]
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise RuleBroken(
            f"“{name}” is {filesizeformat(upload.size)}; the largest file accepted is "
            f"{filesizeformat(limit)}. Nothing was stored."
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise RuleBroken(
            f"“{name}” is larger than {filesizeformat(limit)}, the largest file accepted. "
            "Nothing was stored."
        )
    if not content:
        raise RuleBroken(f"“{name}” is empty. Nothing was stored.")
    try:
        sniffed = _sniff(content)
    except Refused as refusal:
        raise RuleBroken(
            f"“{name}” was refused: {refusal.reason}. Save it as a picture, a plain PDF or "
            "an ordinary document and try again. Nothing was stored."
        ) from None
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
        original_name=safe_name(name, content_type, extension),
    )


def random_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}{extension}"
