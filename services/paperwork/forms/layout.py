"""A statistical form as the annex lays it out, and writing it to xlsx.

Layout (from the forms of Circular 02/2023/TT-BNV as provincial software prints them): top left
the form code ("Biểu số: 0601.N/BNV-TĐKT"), the circular, and for some forms the date the report
is due; top right the reporting and the receiving unit; the title in capitals, the year, the
unit of measure when the whole form has one; a table whose header has merged cells, a row of
column letters and numbers (A, B, C, 1, 2, ...), then the rows, each with its code (mã số); at
the foot the place and date and the two signatures. Cells the ledger cannot fill are left empty
for the clerk (never a 0 that would be a false figure), and the notes under the table say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

CIRCULAR = "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023"

Value = int | None


@dataclass(frozen=True)
class Head:
    """A header cell: text spanning `cols` columns and `rows` header rows from (row, col)."""

    text: str
    row: int
    col: int
    cols: int = 1
    rows: int = 1


@dataclass(frozen=True)
class Line:
    """A row of the table: a section heading (no code) or a coded row with its values."""

    label: str
    code: str | None = None
    unit: str | None = None  # đơn vị tính, for forms whose column C holds it
    values: tuple[Value, ...] = ()
    bold: bool = False


@dataclass(frozen=True)
class Form:
    code: str  # "0601"
    title: str
    year: int
    reporter: str  # đơn vị báo cáo
    heads: tuple[Head, ...]  # header cells, rows numbered from 1 within the header
    numbering: tuple[str, ...]  # the A, B, C, 1, 2, ... row
    lines: tuple[Line, ...]
    unit_of_measure: str | None = None
    due: str | None = None  # "Ngày 15 tháng 12 năm báo cáo", where the annex shows it
    has_unit_column: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def symbol(self) -> str:
        return f"{self.code}.N/BNV-TĐKT"

    @property
    def width(self) -> int:
        return len(self.numbering)

    def value(self, code: str, column: int) -> Value:
        """The figure of row `code` in numbered column `column` (1 = Tổng số)."""
        line = next(line for line in self.lines if line.code == code)
        return line.values[column - 1]


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def write_form(form: Form, out: Path | IO[bytes]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = f"Biểu {form.code}"
    sheet.column_dimensions["A"].width = 46
    sheet.column_dimensions["B"].width = 8
    for index in range(3, form.width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 13
    right = max(3, form.width // 2 + 1)
    row = _top(sheet, form, right)
    row = _table(sheet, form, row)
    _foot(sheet, form, row, right)
    book.save(out)


def _top(sheet: Any, form: Form, right: int) -> int:
    """Form code, circular, due date, reporting units, title, year, unit: the next free row."""
    top = [
        (f"Biểu số: {form.symbol}", f"Đơn vị báo cáo: {form.reporter}"),
        (CIRCULAR, "Đơn vị nhận báo cáo: ………………"),
    ]
    if form.due:
        top.append((f"Ngày nhận báo cáo: {form.due}", ""))
    row = 1
    for left, right_text in top:
        sheet.cell(row, 1, left).font = Font(bold=row == 1)
        sheet.cell(row, right, right_text)
        row += 1
    row += 1
    titles = [(form.title, Font(bold=True, size=13)), (f"Năm {form.year}", Font(italic=True))]
    if form.unit_of_measure:
        titles.append((f"Đơn vị tính: {form.unit_of_measure}", Font(italic=True)))
    for text, font in titles:
        cell = sheet.cell(row, 1, text)
        cell.font, cell.alignment = font, _CENTER
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=form.width)
        row += 1
    return row + 1


def _table(sheet: Any, form: Form, top: int) -> int:
    """Header cells (merged), the numbering row, the lines, borders: the row after the table."""
    header_rows = max(h.row + h.rows - 1 for h in form.heads)
    for head in form.heads:
        r, c = top + head.row - 1, head.col
        cell = sheet.cell(r, c, head.text)
        cell.font, cell.alignment = Font(bold=True), _CENTER
        if head.cols > 1 or head.rows > 1:
            sheet.merge_cells(
                start_row=r, start_column=c, end_row=r + head.rows - 1, end_column=c + head.cols - 1
            )
    row = top + header_rows
    for col, mark in enumerate(form.numbering, start=1):
        cell = sheet.cell(row, col, mark)
        cell.font, cell.alignment = Font(italic=True), _CENTER
    row += 1
    first_value = 4 if form.has_unit_column else 3
    for line in form.lines:
        label = sheet.cell(row, 1, line.label)
        label.font, label.alignment = Font(bold=line.bold or line.code is None), _LEFT
        sheet.cell(row, 2, line.code).alignment = _CENTER
        if form.has_unit_column:
            sheet.cell(row, 3, line.unit).alignment = _CENTER
        for offset, value in enumerate(line.values):
            sheet.cell(row, first_value + offset, value).alignment = _CENTER
        row += 1
    for r in range(top, row):
        for c in range(1, form.width + 1):
            sheet.cell(r, c).border = _BOX
    return row


def _foot(sheet: Any, form: Form, row: int, right: int) -> None:
    row += 1
    for note in form.notes:
        sheet.cell(row, 1, f"Ghi chú: {note}").font = Font(italic=True)
        row += 1
    row += 1
    sheet.cell(row, right, "…………, ngày …… tháng …… năm ……").font = Font(italic=True)
    sheet.cell(row + 1, 1, "NGƯỜI LẬP BIỂU").font = Font(bold=True)
    sheet.cell(row + 1, right, "THỦ TRƯỞNG ĐƠN VỊ").font = Font(bold=True)
    sheet.cell(row + 2, 1, "(Ký, họ tên)").font = Font(italic=True)
    sheet.cell(row + 2, right, "(Ký, họ tên, đóng dấu)").font = Font(italic=True)
