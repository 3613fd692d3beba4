"""Import templates (mẫu nhập): the sheet a clerk fills in, and a sheet of instructions.

The first sheet has one row, the column headers in Vietnamese, in the kind's order (for units:
the unit key, then its name); rows the clerk adds below are the records. The second sheet,
"Hướng dẫn", lists each column: required or not, an example, the allowed values.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from thidua.services.paperwork.excel_in.run import import_kind

DATA_SHEET, HELP_SHEET = "Danh sách", "Hướng dẫn"


def write_template(kind: str, out: Path | IO[bytes]) -> None:
    spec = import_kind(kind)
    book = Workbook(write_only=True)
    data = book.create_sheet(DATA_SHEET)
    bold = Font(bold=True)
    for index, column in enumerate(spec.columns, start=1):
        data.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
    data.freeze_panes = "A2"
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(data, value=column.header)
        cell.font = bold
        header.append(cell)
    data.append(header)
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["D"].width = 80
    help_sheet.append([spec.title])
    help_sheet.append(["Cột", "Bắt buộc", "Ví dụ", "Giá trị, ghi chú"])
    for column in spec.columns:
        example = column.example if column.example not in (None, "") else ""
        help_sheet.append([column.header, "có" if column.required else "không", example, column.note])
    help_sheet.append([])
    help_sheet.append(["Ngày ghi theo ngày/tháng/năm (15/03/2024) hoặc định dạng ô là Ngày."])
    help_sheet.append(["Không dùng công thức, không gộp ô; mỗi dòng một đối tượng."])
    book.save(out)
