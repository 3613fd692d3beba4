"""Spreadsheets made the way clerks make them, for the paperwork tests (openpyxl)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from thidua.services.paperwork.excel_in.template import write_template


def filled_template(tmp: Path, kind: str, rows: Iterable[Sequence[Any]], name: str | None = None) -> Path:
    """The kind's template with `rows` added under its header (values in the template's order)."""
    blank = tmp / f"template-{kind}.xlsx"
    write_template(kind, blank)
    book = openpyxl.load_workbook(blank)
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    path = tmp / (name or f"{kind}.xlsx")
    book.save(path)
    return path


def streamed_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """A large sheet written in openpyxl's write-only mode (what a big export looks like)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def sheet_values(path: Path, sheet: int | str = 0) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    ws = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
    values = [tuple(r) for r in ws.iter_rows(values_only=True)]
    book.close()
    return values
