"""What a file is, judged from its content (nhận dạng tệp), never from its name or the header a
client sends: PDF, Word (DOCX) and Excel (XLSX) documents, PNG, JPEG and TIFF images.

PDF and the images start with fixed bytes. DOCX and XLSX are ZIP archives (Office Open XML); a
ZIP is accepted only when its directory holds the package's content types and the main part of
a Word document or an Excel workbook, read with the standard library's `zipfile`, which reads
the central directory and decompresses nothing, so a crafted archive costs no more than its
size. Any other archive, an old binary .doc/.xls, an executable or a script is refused.
"""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"

ACCEPTED = {
    PDF: "PDF",
    DOCX: "Word (DOCX)",
    XLSX: "Excel (XLSX)",
    PNG: "ảnh PNG",
    JPEG: "ảnh JPEG",
    TIFF: "ảnh TIFF",
}

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


def media_type(content: bytes) -> str | None:
    """The media type of an accepted file, or None for anything else."""
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    return None


def _office(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in _OOXML_PARTS:
        if part in names:
            return kind
    return None
