"""Opening a received spreadsheet and streaming its rows (openpyxl in read-only mode).

The first sheet is read; its first row holds the column headers (matched by their Vietnamese
text, case and spacing aside, in any order); every later non-empty row is a record. Memory stays
flat however long the sheet: rows are read one at a time and never kept.

Refused as a whole, before any row is read: a file that is not an .xlsx (an old .xls, a CSV, a
renamed PDF), a sheet without rows, a header row missing a required column. Found per row: a
formula where a value belongs (the list must hold what was decided, not a computation the
import would have to trust) and merged cells (a value shared by several rows is ambiguous).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from thidua.services.paperwork.errors import ColumnsMissing, EmptySheet, NotAnXlsxFile
from thidua.services.paperwork.excel_in.cells import fold
from thidua.services.paperwork.excel_in.columns import Column

Source = Path | IO[bytes]

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SheetRow:
    """One record: its row number in the sheet and the raw value of each known column."""

    number: int
    values: dict[str, Any]
    formulas: tuple[str, ...] = ()  # fields whose cell holds a formula
    merged: tuple[str, ...] = ()  # fields whose cell lies in a merged range


@dataclass
class Sheet:
    """The first worksheet of an .xlsx, with its header mapped onto the kind's columns."""

    columns: Sequence[Column]
    positions: dict[str, int]  # field -> 0-based column index
    merged: list[tuple[int, int, int, int]]  # (min_col, min_row, max_col, max_row), 1-based
    total_rows: int | None
    ignored_headers: list[str] = field(default_factory=list)
    _workbook: Any = None

    def letter(self, field_name: str) -> str:
        index = self.positions.get(field_name)
        return get_column_letter(index + 1) if index is not None else ""

    def rows(self) -> Iterator[SheetRow]:
        sheet = self._workbook.worksheets[0]
        wanted = sorted(self.positions.items(), key=lambda kv: kv[1])
        for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
            values: dict[str, Any] = {}
            formulas: list[str] = []
            for name, index in wanted:
                cell = cells[index] if index < len(cells) else None
                value = getattr(cell, "value", None)
                if isinstance(value, str) and not value.strip():
                    value = None
                values[name] = value
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(name)
            if all(v is None for v in values.values()):
                continue
            merged = tuple(
                name
                for name, index in wanted
                if any(c0 <= index + 1 <= c1 and r0 <= number <= r1 for c0, r0, c1, r1 in self.merged)
            )
            yield SheetRow(number, values, tuple(formulas), merged)

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


def open_sheet(source: Source, columns: Sequence[Column], name: str) -> Sheet:
    """Open and check the file; the caller closes the returned sheet."""
    _check_magic(source, name)
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises zip, XML, key and its own errors for a bad file
        raise NotAnXlsxFile(
            f"Không đọc được «{name}» như một bảng tính .xlsx ({type(exc).__name__}).", file=name
        ) from None
    try:
        if not workbook.worksheets:
            raise EmptySheet(f"Tệp «{name}» không có trang tính nào.", file=name)
        worksheet = workbook.worksheets[0]
        header = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if not header or all(h is None for h in header):
            raise EmptySheet(
                f"Dòng 1 của «{name}» phải ghi tiêu đề các cột (tải mẫu bằng import-excel --template).",
                file=name,
            )
        positions, ignored = _map_header(header, columns, name)
        total = worksheet.max_row if isinstance(worksheet.max_row, int) else None
        merged = _merged_ranges(workbook, worksheet)
    except Exception:
        workbook.close()
        raise
    return Sheet(columns, positions, merged, total, ignored, workbook)


def _check_magic(source: Source, name: str) -> None:
    if isinstance(source, Path):
        with source.open("rb") as f:
            head = f.read(8)
    else:
        position = source.tell()
        head = source.read(8)
        source.seek(position)
    if head.startswith(_OLE):
        raise NotAnXlsxFile(
            f"«{name}» là tệp Excel 97–2003 (.xls); hãy mở bằng Excel và lưu lại dạng .xlsx.", file=name
        )
    if not head.startswith(_ZIP):
        raise NotAnXlsxFile(f"«{name}» không phải tệp bảng tính .xlsx.", file=name)


def _map_header(
    header: Sequence[Any], columns: Sequence[Column], name: str
) -> tuple[dict[str, int], list[str]]:
    by_header = {fold(c.header): c for c in columns}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        if raw is None:
            continue
        column = by_header.get(fold(str(raw)))
        if column is None:
            ignored.append(str(raw))
        elif column.field in positions:
            raise ColumnsMissing(f"Cột «{column.header}» xuất hiện hai lần ở dòng tiêu đề.", file=name)
        else:
            positions[column.field] = index
    missing = [c.header for c in columns if c.required and c.field not in positions]
    if missing:
        raise ColumnsMissing(
            f"Thiếu cột: {', '.join(f'«{m}»' for m in missing)} (dòng 1 của «{name}»).",
            file=name,
            missing=", ".join(missing),
        )
    return positions, ignored


def _merged_ranges(workbook: Any, worksheet: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges of the sheet, found by scanning its XML part (read-only worksheets do not
    expose them); they follow the rows in the part, so the scan reads raw bytes, not XML."""
    archive: zipfile.ZipFile | None = getattr(workbook, "_archive", None)
    path: str | None = getattr(worksheet, "_worksheet_path", None)
    if archive is None or path is None:
        return []
    found: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(path.lstrip("/")) as part:
        while chunk := part.read(_CHUNK):
            data = tail + chunk
            for match in _MERGE.finditer(data):
                with suppress(ValueError):
                    bounds = range_boundaries(match[1].decode())
                    found.append(tuple(int(b or 0) for b in bounds))  # type: ignore[arg-type]
            tail = data[-256:]
            # a match wholly inside the kept tail would be found twice
            found = list(dict.fromkeys(found))
    return found
