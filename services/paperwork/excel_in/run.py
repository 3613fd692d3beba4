"""An Excel import, whole: check every row, then record them all or nothing.

1. **Check** (always): stream the sheet, read every cell, plan each row's command and run it
   against a `Rehearsal` of the province (the domain judges every row, with the earlier rows
   applied); collect every bad row with its column and message.
2. **Record** (only when no row is bad and it is not a dry run): stream the sheet again and run
   each command on the province's application, each with its provenance (the actor, the row's
   effective date, one correlation id per file: `xlsx:<kind>:<sha256 prefix>`).

Ids are natural keys, so re-importing a file records nothing new: every row is reported as
already in the ledger (skipped). A change made by someone else between the two passes can still
refuse a row while recording; the report counts it, and re-importing after fixing records the
rest (what was recorded is skipped).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

import structlog

from thidua.domain.block_year import OfficersAlreadyChosen
from thidua.domain.errors import AlreadyRecorded, DomainError
from thidua.domain.provenance import Actor, Provenance
from thidua.services.commands.errors import AlreadyExists
from thidua.services.errors import ApplicationError
from thidua.services.paperwork.errors import UnknownKind
from thidua.services.paperwork.excel_in.cells import CellError
from thidua.services.paperwork.excel_in.kinds import KINDS, ImportKind, ParsedRow
from thidua.services.paperwork.excel_in.plan import Planned, perform
from thidua.services.paperwork.excel_in.rehearsal import Rehearsal
from thidua.services.paperwork.excel_in.report import ExcelImportReport, RowError
from thidua.services.paperwork.excel_in.workbook import Sheet, SheetRow, Source, open_sheet
from thidua.services.province_app import ProvinceApplication

log = structlog.get_logger()

Allow = Callable[[str, str | None], None]  # (operation, unit acted for) -> raises PermissionDenied
Tick = Callable[[int, int], None]
_ALREADY = (AlreadyExists, AlreadyRecorded, OfficersAlreadyChosen)


def allow_all(operation: str, unit: str | None) -> None:
    """The command line acts as the province's board (the operator running it)."""


def import_kind(kind: str) -> ImportKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownKind(
            f"Loại danh sách «{kind}» không có; chọn một trong: {', '.join(KINDS)}.", kind=kind
        ) from None


def import_excel(
    app: ProvinceApplication,
    source: Path | IO[bytes],
    *,
    kind: str,
    actor: Actor,
    file_name: str | None = None,
    allow: Allow = allow_all,
    dry_run: bool = False,
    today: date | None = None,
    checking: Tick | None = None,
    recording: Tick | None = None,
) -> ExcelImportReport:
    """Check the file, then (unless `dry_run` or a row is bad) record every row; `checking` and
    `recording` follow the two passes (rows done, rows in the sheet)."""
    spec = import_kind(kind)
    name = file_name or (source.name if isinstance(source, Path) else "upload.xlsx")
    report = ExcelImportReport(
        file=name,
        kind=kind,
        province=app.province,
        correlation_id=f"xlsx:{kind}:{_digest(source)[:16]}",
        dry_run=dry_run,
    )
    on = today or datetime.now(UTC).date()
    run = _Pass(spec, report=report, actor=actor, allow=allow, today=on, progress=checking)
    rehearsal = Rehearsal.of(app)
    try:
        run.through(source, rehearsal, name, recording=False)
    finally:
        rehearsal.close()
    if report.errors or dry_run or run.to_record == 0:
        log.info("excel_import_checked", kind=kind, file=name, rows=report.rows, errors=len(report.errors))
        return report
    report.skipped, report.skipped_examples = 0, []
    run.progress = recording
    run.through(source, app, name, recording=True)
    log.info(
        "excel_import_done",
        kind=kind,
        file=name,
        rows=report.rows,
        recorded=report.recorded,
        skipped=report.skipped,
        refused=report.refused_while_recording,
    )
    return report


def _digest(source: Source) -> str:
    sha = hashlib.sha256()
    if isinstance(source, Path):
        with source.open("rb") as f:
            while chunk := f.read(1 << 20):
                sha.update(chunk)
    else:
        source.seek(0)
        while chunk := source.read(1 << 20):
            sha.update(chunk)
        source.seek(0)
    return sha.hexdigest()


class _Pass:
    def __init__(
        self,
        spec: ImportKind,
        *,
        report: ExcelImportReport,
        actor: Actor,
        allow: Allow,
        today: date,
        progress: Tick | None,
    ) -> None:
        self.spec, self.report, self.actor, self.allow = spec, report, actor, allow
        self.today, self.progress = today, progress
        self.recorded_at = datetime.now(UTC)
        # Commands the check found already in the ledger (by order of planning, the same in both
        # passes): the record pass skips them without asking the store again. What is recorded
        # stays recorded, so a fact found there stays there.
        self.found = bytearray()
        self.planned = 0
        self.to_record = 0

    def through(self, source: Source, target: ProvinceApplication, name: str, *, recording: bool) -> None:
        self.planned = 0
        if not isinstance(source, Path):
            source.seek(0)
        sheet = open_sheet(source, self.spec.columns, name)
        try:
            self.report.ignored_columns = sheet.ignored_headers
            self._rows(sheet, target, recording)
        finally:
            sheet.close()

    def _rows(self, sheet: Sheet, target: ProvinceApplication, recording: bool) -> None:
        planner = self.spec.planner(self.today)
        stage = "recording" if recording else "checking"
        rows, last_log = 0, time.monotonic()
        # The check counted the rows; before it, only the sheet's own dimension says (and files
        # written by streaming writers declare none): 0 is an unknown total.
        declared = sheet.total_rows - 1 if sheet.total_rows and sheet.total_rows > 1 else 0
        expected = self.report.rows if recording and self.report.rows else declared
        for row in sheet.rows():
            rows += 1
            parsed = self._parse(sheet, row)
            planned, errors = planner.feed(parsed, target)
            self._errors(sheet, errors)
            for plan in planned:
                self._apply(sheet, plan, target, recording)
            if self.progress is not None and rows % 100 == 0:
                self.progress(rows, max(rows, expected) if expected else 0)
            if time.monotonic() - last_log >= 2.0:
                last_log = time.monotonic()
                log.info(
                    "excel_import_progress",
                    stage=stage,
                    kind=self.spec.code,
                    rows=rows,
                    of=expected or None,
                )
        planned, errors = planner.finish()
        self._errors(sheet, errors)
        for plan in planned:
            self._apply(sheet, plan, target, recording)
        self.report.rows = rows
        if self.progress is not None:
            self.progress(rows, rows)

    def _parse(self, sheet: Sheet, row: SheetRow) -> ParsedRow:
        values = {}
        bad = False
        for column in self.spec.columns:
            if column.field not in sheet.positions:
                continue
            letter = sheet.letter(column.field)
            raw = row.values.get(column.field)
            if column.field in row.merged:
                self._error(
                    row.number,
                    column.header,
                    letter,
                    "EXCEL_MERGED_CELLS",
                    "Ô nằm trong vùng gộp ô: mỗi dòng phải ghi đủ giá trị của mình, không gộp ô.",
                )
                bad = True
                continue
            if column.field in row.formulas:
                self._error(
                    row.number,
                    column.header,
                    letter,
                    "EXCEL_FORMULA",
                    f"Ô chứa công thức ({raw}); hãy ghi giá trị (dán dạng giá trị).",
                )
                bad = True
                continue
            if raw is None:
                if column.required:
                    self._error(
                        row.number, column.header, letter, "EXCEL_REQUIRED", "Ô bắt buộc nhưng để trống."
                    )
                    bad = True
                continue
            try:
                values[column.field] = column.read(raw)
            except CellError as exc:
                self._error(row.number, column.header, letter, exc.code, exc.message_vi)
                bad = True
        return ParsedRow(row.number, values, bad)

    def _error(self, row: int, header: str, letter: str, code: str, message: str) -> None:
        self.report.errors.append(RowError(row, letter, header, code, message))

    def _errors(self, sheet: Sheet, errors: list[RowError]) -> None:
        letters = {c.header: sheet.letter(c.field) for c in self.spec.columns}
        for e in errors:
            self.report.errors.append(replace(e, column=e.column or letters.get(e.header, "")))

    def _apply(self, sheet: Sheet, plan: Planned, target: ProvinceApplication, recording: bool) -> None:
        command = plan.command
        index, self.planned = self.planned, self.planned + 1
        if recording and index < len(self.found) and self.found[index]:
            self.report.skip(command.label)
            return
        try:
            self.allow(plan.operation, plan.unit)
            by = Provenance(self.actor, self.recorded_at, command.effective_on, self.report.correlation_id)
            position = perform(target, command, by)
        except _ALREADY:
            self.report.skip(command.label)
            if not recording:
                self.found.extend(b"\0" * (index + 1 - len(self.found)))
                self.found[index] = 1
            return
        except (DomainError, ApplicationError) as refusal:
            self._refused(sheet, plan, refusal, recording)
            return
        if recording:
            self.report.recorded += 1
            self.report.position = max(self.report.position, position)
        else:
            self.to_record += 1

    def _refused(
        self, sheet: Sheet, plan: Planned, refusal: DomainError | ApplicationError, recording: bool
    ) -> None:
        details = {str(v) for v in refusal.details.values() if v is not None}
        row = next((r for k, r in plan.row_of.items() if k in details), plan.rows[0])
        column = next(
            (
                c
                for c in self.spec.columns
                if c.field in plan.command.args
                and str(plan.command.args[c.field]) in details
                and c.field in sheet.positions
            ),
            None,
        )
        if column is None and plan.row_of and row in plan.row_of.values():
            column = self.spec.column("recipient") if "recipient" in sheet.positions else None
        letter = sheet.letter(column.field) if column is not None else ""
        message = refusal.message_vi + (" (khi ghi: dữ liệu vừa thay đổi)" if recording else "")
        self.report.errors.append(RowError.of(row, column, letter, refusal.code, message))
        if recording:
            self.report.refused_while_recording += 1
            log.warning("excel_import_refused_while_recording", row=row, code=refusal.code)
