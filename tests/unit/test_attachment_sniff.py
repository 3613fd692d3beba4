"""A file's type is judged from its content (magic bytes, and for Office files the package's
parts), never from its name: renaming an executable to .pdf does not make it a PDF."""

from __future__ import annotations

import io
import zipfile

import pytest

from thidua.services.attachments.sniff import DOCX, JPEG, PDF, PNG, TIFF, XLSX, media_type


def package(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", PDF),
        (b"\x89PNG\r\n\x1a\n....", PNG),
        (b"\xff\xd8\xff\xdb....", JPEG),
        (b"II*\x00....", TIFF),
        (b"MM\x00*....", TIFF),
        (package("[Content_Types].xml", "_rels/.rels", "word/document.xml"), DOCX),
        # openpyxl writes the content types last, LibreOffice in yet another order: any order.
        (
            package("docProps/app.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"),
            XLSX,
        ),
    ],
)
def test_accepted_files_are_recognised_by_their_content(content: bytes, expected: str) -> None:
    assert media_type(content) == expected


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"MZ\x90\x00 an executable",
        b"#!/bin/sh\nrm -rf /",
        b"<html><body>PDF</body></html>",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old binary .doc",
        package("word/document.xml"),  # no content types: not an Office package
        package("[Content_Types].xml", "ppt/presentation.xml"),  # PowerPoint is not accepted
        package("a.txt"),
        b"PK\x03\x04 truncated",
        b" %PDF-1.4 (not at the start)",
    ],
)
def test_anything_else_is_refused(content: bytes) -> None:
    assert media_type(content) is None
