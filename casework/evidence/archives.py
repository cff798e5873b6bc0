"""Office documents that are zip archives: Word, Excel and PowerPoint (2007 and later) and
OpenDocument files.

An archive is read entry by entry, a chunk at a time, never an entry whole: a few hundred
kilobytes of zip can unpack to gigabytes (a "zip bomb"). Before anything is unpacked the
archive's own directory is checked against the limits in ``CASEWORK_UNPACK_LIMITS`` (how
many entries, how large each may unpack to, how much in all, how far each may expand);
then every entry is unpacked into nothing, counting, so that an archive whose directory
understates what it holds is stopped at the same limits and a damaged one is noticed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .refusal import Kind, Refused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_OFFICE_PARTS = {"word/": (DOCX, ".docx"), "xl/": (XLSX, ".xlsx"), "ppt/": (PPTX, ".pptx")}
_OPENDOCUMENT_TYPES = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
    b"application/vnd.oasis.opendocument.presentation": ".odp",
}
# Inside an office document: files that are programs or web pages.
_PROGRAMS = (
    ".exe", ".dll", ".js", ".vbs", ".jar", ".msi", ".bat", ".cmd", ".ps1", ".scr", ".com",
    ".hta", ".html", ".htm", ".svg", ".lnk",
)  # fmt: skip
# Macros: VBA projects, Excel 4.0 macro sheets, and documents of the macro-enabled kinds
# embedded in another.
_MACRO_NAMES = ("vbaproject.bin", "vbadata.xml")
_MACRO_DOCUMENTS = (
    ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppsm", ".ppam",
)  # fmt: skip
_MACRO_FOLDERS = ("/macrosheets/", "basic/", "scripts/")
# Objects that can run a program when the document is opened or clicked.
_ACTIVE_OBJECTS = ("/activex/", "embeddings/oleobject")
# Small parts read to tell what the document is; they are never large in a real document.
_SMALL_PART_BYTES = 4 * 1024 * 1024
_CHUNK = 64 * 1024
# Small entries cannot be bombs, whatever their ratio: a page of repeated characters
# compresses a long way too.
_RATIO_APPLIES_FROM = 1024 * 1024


@dataclass(frozen=True)
class UnpackLimits:
    max_entries: int
    max_entry_bytes: int
    max_total_bytes: int
    max_ratio: int


def unpack_limits() -> UnpackLimits:
    limits = settings.CASEWORK_UNPACK_LIMITS
    return UnpackLimits(
        max_entries=limits["MAX_ENTRIES"],
        max_entry_bytes=limits["MAX_ENTRY_BYTES"],
        max_total_bytes=limits["MAX_TOTAL_BYTES"],
        max_ratio=limits["MAX_RATIO"],
    )


def check(content: bytes) -> Kind | None:
    """The office document in ``content``; None if it is no kind of document accepted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    with archive:
        entries = archive.infolist()
        limits = unpack_limits()
        _check_directory(entries, limits)
        try:
            kind = _document_kind(archive, [entry.filename for entry in entries])
            if kind is not None:
                _unpack_every_entry(archive, entries, limits)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise Refused("it is damaged: part of it cannot be unpacked") from None
    return kind


def _check_directory(entries: list[zipfile.ZipInfo], limits: UnpackLimits) -> None:
    if len(entries) > limits.max_entries:
        raise Refused(
            f"it is an archive of {len(entries)} parts; the most accepted is {limits.max_entries}"
        )
    declared_total = 0
    for entry in entries:
        name = entry.filename.lower()
        if entry.flag_bits & 0x1:
            raise Refused("it is protected with a password, so it cannot be checked")
        if name.endswith(_PROGRAMS):
            raise Refused("it contains programs or web pages")
        if name.endswith(_MACRO_NAMES + _MACRO_DOCUMENTS) or any(
            folder in f"/{name}" for folder in _MACRO_FOLDERS
        ):
            raise Refused("it is an office document containing macros")
        if any(part in name for part in _ACTIVE_OBJECTS):
            raise Refused("it is an office document containing macros or embedded objects")
        _within_limits(entry, entry.file_size, entry.compress_size, limits)
        declared_total += entry.file_size
        if declared_total > limits.max_total_bytes:
            raise _too_large_in_all(limits)


def _within_limits(
    entry: zipfile.ZipInfo, unpacked: int, packed: int, limits: UnpackLimits
) -> None:
    if unpacked > _RATIO_APPLIES_FROM and unpacked > max(packed, 1) * limits.max_ratio:
        raise Refused(
            "it is an archive that unpacks to far more than its size (a “zip bomb”): one "
            f"part expands more than {limits.max_ratio} times"
        )
    if unpacked > limits.max_entry_bytes:
        raise Refused(
            f"one of its parts unpacks to more than {filesizeformat(limits.max_entry_bytes)}"
        )


def _too_large_in_all(limits: UnpackLimits) -> Refused:
    return Refused(f"it unpacks to more than {filesizeformat(limits.max_total_bytes)} in all")


def _read_small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        data = part.read(_SMALL_PART_BYTES + 1)
    if len(data) > _SMALL_PART_BYTES:
        raise Refused("it is not an ordinary office document: a part that is always small is not")
    return data


def _document_kind(archive: zipfile.ZipFile, names: list[str]) -> Kind | None:
    if "mimetype" in names:
        kind = _read_small_part(archive, "mimetype").strip()
        if kind in _OPENDOCUMENT_TYPES:
            return Kind(kind.decode(), _OPENDOCUMENT_TYPES[kind])
        return None
    if "[Content_Types].xml" not in names:
        return None
    if b"macroenabled" in _read_small_part(archive, "[Content_Types].xml").lower():
        raise Refused("it is an office document containing macros")
    for prefix, (content_type, extension) in _OFFICE_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return Kind(content_type, extension)
    return None


def _unpack_every_entry(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: UnpackLimits
) -> None:
    """Unpack each entry a chunk at a time, keeping nothing but the count."""
    total = 0
    for entry in entries:
        unpacked = 0
        with archive.open(entry) as part:
            while chunk := part.read(_CHUNK):
                unpacked += len(chunk)
                total += len(chunk)
                _within_limits(entry, unpacked, entry.compress_size, limits)
                if total > limits.max_total_bytes:
                    raise _too_large_in_all(limits)
        if unpacked != entry.file_size:
            raise Refused("it is damaged: a part is not the size the archive says it is")
