"""Writing xlsx with openpyxl's write-only mode: rows go to disk as they come, so a 100,000-row
register needs no more memory than a 100-row one. Only titles and headers carry styles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Out = Path | IO[bytes]

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
ITALIC = Font(italic=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def new_book() -> Workbook:
    return Workbook(write_only=True)


def styled(
    sheet: WriteOnlyWorksheet, value: Any, font: Font | None = None, wrap: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = WRAP
    return cell


def table_sheet(
    book: Workbook,
    name: str,
    titles: Sequence[str],
    headers: Sequence[str],
    widths: Sequence[int] = (),
) -> WriteOnlyWorksheet:
    """A sheet with title lines, a blank line, then the bold header row; data rows follow."""
    sheet = book.create_sheet(name[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, title in enumerate(titles):
        sheet.append([styled(sheet, title, TITLE if number == 0 else ITALIC)])
    sheet.append([])
    sheet.append([styled(sheet, h, BOLD, wrap=True) for h in headers])
    return sheet


HEADER_ROW_AFTER_TITLES = 2  # the header row is len(titles) + 2


def save(book: Workbook, out: Out) -> None:
    if not book.worksheets:
        book.create_sheet("Trống")
    book.save(out)
