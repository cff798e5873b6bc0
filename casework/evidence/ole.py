"""Word, Excel and PowerPoint 97-2003 files: OLE compound files.

They are checked for macros with oletools (``olevba``): VBA projects, and Excel 4.0 (XLM)
macro sheets in workbooks. Anything the checker cannot read through is refused rather
than passed, as are password-protected files and files packaging another file inside.
"""

from __future__ import annotations

import io
import logging
import struct
import warnings

import olefile

from .refusal import Kind, Refused

MACROS = "it is an office document containing macros"
# Word, Excel and PowerPoint keep their content in a stream of a known name inside the
# compound file; an installer (.msi) or anything else in that container has none.
_DOCUMENT_STREAMS = (
    ("WordDocument", "application/msword", ".doc"),
    ("Workbook", "application/vnd.ms-excel", ".xls"),
    ("Book", "application/vnd.ms-excel", ".xls"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint", ".ppt"),
)
# Storages that only ever hold macros, whether or not the project in them is complete.
_MACRO_STORAGES = {"macros", "vba", "_vba_project_cur", "_vba_project"}
_PASSWORD_STREAMS = {"encryptedpackage", "encryptioninfo"}
_PACKAGED_FILES = {"\x01ole10native"}
_BOUNDSHEET, _END_OF_GLOBALS = 0x0085, 0x000A
_MACRO_SHEET_KINDS = {1, 6}  # an Excel 4.0 macro sheet; a VBA module


def check(content: bytes) -> Kind | None:
    try:
        # A file object, always: olefile takes short bytes for a file name.
        compound = olefile.OleFileIO(io.BytesIO(content))
    except Exception:  # olefile raises many kinds of error on malformed input
        return None
    with compound:
        paths = [[part.lower() for part in path] for path in compound.listdir(True, True)]
        found = next(
            (
                (stream, content_type, extension)
                for stream, content_type, extension in _DOCUMENT_STREAMS
                if compound.exists(stream)
            ),
            None,
        )
        if found is not None and found[0] in ("Workbook", "Book"):
            workbook = compound.openstream(found[0]).read()
            if _has_macro_sheets(workbook):
                raise Refused(MACROS)
    if any(set(path) & _PASSWORD_STREAMS for path in paths):
        raise Refused("it is protected with a password, so it cannot be checked")
    if found is None:
        return None  # an installer or another program in an office-document container
    if any(set(path) & _MACRO_STORAGES for path in paths):
        raise Refused(MACROS)
    if any(set(path) & _PACKAGED_FILES for path in paths):
        raise Refused("it is an office document with another file packaged inside it")
    _check_macros(content)
    return Kind(found[1], found[2])


def _has_macro_sheets(workbook: bytes) -> bool:
    """Does the workbook's sheet list name an Excel 4.0 macro sheet or a VBA module sheet?

    olevba looks for these only in a file whose class id says it is Excel; Excel opens a
    workbook without one all the same, so the list is read here too. Each record is a
    type, a length and data; a BOUNDSHEET record's sixth byte is the kind of sheet.
    """
    position = 0
    while position + 4 <= len(workbook):
        record, length = struct.unpack_from("<HH", workbook, position)
        data = workbook[position + 4 : position + 4 + length]
        if record == _BOUNDSHEET and len(data) >= 6 and data[5] in _MACRO_SHEET_KINDS:
            return True
        if record == _END_OF_GLOBALS:
            return False
        position += 4 + length
    return False


class _ErrorsSeen(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.seen = False

    def emit(self, record):
        self.seen = True


def _check_macros(content: bytes) -> None:
    """olevba looks for VBA and XLM macros. It reports a part it cannot parse as a log
    error and carries on, so an error is treated as a macro it could not rule out."""
    with warnings.catch_warnings():  # its parser uses old pyparsing names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    errors = _ErrorsSeen()
    logger = logging.getLogger("olevba")
    saved = logger.level, logger.propagate
    logger.setLevel(logging.ERROR)  # oletools keeps it silent; errors are what it reports
    logger.propagate = False
    logger.addHandler(errors)
    try:
        parser = VBA_Parser("upload", data=content)
        try:
            found = parser.detect_vba_macros() or parser.detect_xlm_macros()
        finally:
            parser.close()
    except Exception:  # oletools raises many kinds of error on malformed input
        raise Refused("it is a damaged office document that cannot be checked for macros") from None
    finally:
        logger.removeHandler(errors)
        logger.level, logger.propagate = saved
    if found:
        raise Refused(MACROS)
    if errors.seen:
        raise Refused("it is a damaged office document that cannot be checked for macros")
