"""PDFs, read as a PDF reader reads them (pypdf, strict), not by looking for byte patterns.

Every object of the file is visited, those packed into compressed object streams
included, and the file is refused if anything in it runs script (JavaScript, anywhere),
starts a program (Launch), carries other files (embedded files, rich media), holds a form
that runs script (XFA), or acts by itself when opened, closed or viewed (open actions and
additional actions) other than moving to a page. A file must be a well-formed PDF from its
first byte to its last: a program or a web page with a PDF header put in front of it, or
behind it, is not.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

from pypdf import PdfReader, apply_configuration
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .refusal import Kind, Refused

_HEADER = re.compile(rb"%PDF-(?:1\.[0-7]|2\.0)[\r\n]")
_TRAILING_WHITESPACE = b"\r\n\t\x0c\x00 "
# Markup a browser acts on. Stream bodies are left out of the search, since compressed
# data is random enough to spell anything now and then; unfiltered streams are searched on
# their own below.
_HTML = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|object|embed|svg|img|meta|link|"
    rb"style|form|base)(?=[\s/>])",
    re.IGNORECASE,
)
_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
# What a PDF may hold in memory while it is read: each decompressed stream, and all
# the object streams together. Real documents' object streams are a few hundred kilobytes.
_STREAM_BYTES = 32 * 1024 * 1024
_OBJECT_STREAM_BYTES = 64 * 1024 * 1024
_MAX_DEPTH = 64
# The only things a PDF may do by itself: show a page.
_SAFE_AUTOMATIC_ACTIONS = {"/GoTo", "/Named"}

SCRIPT = "it is a PDF that contains script"
LAUNCH = "it is a PDF that would start a program"
FILES = "it is a PDF that contains other files or media inside it"
FORM = "it is a PDF with an interactive form that can run script"
ACTION = "it is a PDF that opens a web address or runs an action by itself when it is opened"
NOT_A_PDF = "it is not a well-formed PDF"
PASSWORD = "it is protected with a password, so it cannot be checked"  # noqa: S105
HTML = "it is a PDF that is also a web page"


def check(content: bytes) -> Kind:
    if not _HEADER.match(content):
        raise Refused(NOT_A_PDF)
    if not content.rstrip(_TRAILING_WHITESPACE).endswith(b"%%EOF"):
        raise Refused(f"{NOT_A_PDF}: something other than the PDF follows its end")
    if _HTML.search(_STREAM_BODY.sub(b"stream endstream", content)):
        raise Refused(HTML)
    with (
        _quiet(),
        apply_configuration(
            zlib_maximum_output_length=_STREAM_BYTES,
            lzw_maximum_output_length=_STREAM_BYTES,
            run_length_maximum_output_length=_STREAM_BYTES,
            brotli_maximum_output_length=_STREAM_BYTES,
            stream_decoding_work_maximum_length=_STREAM_BYTES,
        ),
    ):
        try:
            reader = PdfReader(io.BytesIO(content), strict=True)
            if reader.is_encrypted and not reader.decrypt(""):
                raise Refused(PASSWORD)
            for item in _every_object(reader):
                _inspect(item, depth=0)
        except Refused:
            raise
        except (PyPdfError, ValueError, TypeError, KeyError, AssertionError, OSError,
                RecursionError, OverflowError, NotImplementedError, AttributeError):  # fmt: skip
            # Anything the reader cannot make sense of is not a PDF we can vouch for.
            raise Refused(NOT_A_PDF) from None
    return Kind("application/pdf", ".pdf")


class _quiet:
    """pypdf reports what it repairs as log warnings; in strict mode they are errors."""

    def __enter__(self):
        self.logger = logging.getLogger("pypdf")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


def _every_object(reader: PdfReader) -> Iterator[object]:
    """The trailer and every numbered object, those inside object streams included."""
    yield reader.trailer
    for generation, table in reader.xref.items():
        if generation == 65535:
            continue
        for number in table:
            yield reader.get_object(IndirectObject(number, generation, reader))
    unpacked = 0
    seen_streams: set[int] = set()
    for number, (stream_number, _index) in reader.xref_objStm.items():
        yield reader.get_object(IndirectObject(number, 0, reader))
        if stream_number not in seen_streams:
            seen_streams.add(stream_number)
            stream = reader.get_object(IndirectObject(stream_number, 0, reader))
            unpacked += len(stream.get_data())  # already decoded, and kept by the reader
            if unpacked > _OBJECT_STREAM_BYTES:
                raise Refused(f"{NOT_A_PDF}: it unpacks to far more than a document does")


def _inspect(item: object, *, depth: int) -> None:
    """Refuse ``item`` if it, or anything written inside it, is active content."""
    if depth > _MAX_DEPTH:
        raise Refused(NOT_A_PDF)
    if isinstance(item, DictionaryObject):
        _inspect_dictionary(item)
        for value in dict.values(item):  # direct values only: references are visited anyway
            _inspect(value, depth=depth + 1)
    elif isinstance(item, ArrayObject):
        for value in list.__iter__(item):
            _inspect(value, depth=depth + 1)


def _inspect_dictionary(item: DictionaryObject) -> None:
    keys = set(item.keys())
    kind = item.get("/S")
    if keys & {"/JS", "/JavaScript"} or kind == "/JavaScript":
        raise Refused(SCRIPT)
    if kind == "/Launch" or "/Launch" in keys:
        raise Refused(LAUNCH)
    if (
        keys & {"/EmbeddedFiles", "/EF", "/RichMedia", "/RichMediaContent"}
        or item.get("/Type") in ("/EmbeddedFile", "/RichMedia")
        or item.get("/Subtype") == "/RichMedia"
    ):
        raise Refused(FILES)
    if "/XFA" in keys:
        raise Refused(FORM)
    if "/OpenAction" in keys:
        opening = item["/OpenAction"]
        if not isinstance(opening, ArrayObject):  # an array is a page to open at
            _automatic_action(opening, depth=0)
    if "/AA" in keys:
        triggers = item["/AA"]
        if not isinstance(triggers, DictionaryObject):
            raise Refused(ACTION)
        for trigger in triggers:
            _automatic_action(triggers[trigger], depth=0)
    if _unfiltered_stream_with_markup(item):
        raise Refused(HTML)


def _automatic_action(action: object, *, depth: int) -> None:
    """An action taken without anyone clicking: only moving to a page is allowed."""
    if depth > _MAX_DEPTH or not isinstance(action, DictionaryObject):
        raise Refused(ACTION)
    if action.get("/S") == "/JavaScript" or "/JS" in action:
        raise Refused(SCRIPT)
    if action.get("/S") not in _SAFE_AUTOMATIC_ACTIONS:
        raise Refused(ACTION)
    following = action.get("/Next")
    if following is None:
        return
    for step in following if isinstance(following, ArrayObject) else [following]:
        _automatic_action(step.get_object() if step is not None else None, depth=depth + 1)


def _unfiltered_stream_with_markup(item: DictionaryObject) -> bool:
    data = getattr(item, "_data", None)
    if not isinstance(data, bytes) or "/Filter" in item:
        return False
    return bool(_HTML.search(data))
