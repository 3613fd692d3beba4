"""Refusals of paperwork as a whole (a file that is not a spreadsheet, a missing column, an
unknown form); problems of one row are `excel_in.report.RowError`s, not exceptions."""

from __future__ import annotations

from thidua.services.errors import ApplicationError


class NotAnXlsxFile(ApplicationError):
    code = "EXCEL_NOT_XLSX"


class ColumnsMissing(ApplicationError):
    code = "EXCEL_COLUMNS_MISSING"


class EmptySheet(ApplicationError):
    code = "EXCEL_EMPTY"


class UnknownKind(ApplicationError):
    code = "UNKNOWN_PAPERWORK_KIND"


class PredecessorsNotRead(ApplicationError):
    """`includePredecessors` on an export that reads one province only (400)."""

    code = "PREDECESSORS_NOT_READ"


class NothingToPrint(ApplicationError):
    """The selection names no record to put on paper (no such decision, no proposals)."""

    code = "NOTHING_TO_PRINT"


class TemplateInvalid(ApplicationError):
    """A province's replacement template or print layout cannot be used."""

    code = "TEMPLATE_INVALID"
