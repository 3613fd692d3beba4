"""What an Excel import says back: every bad row with its column and a message, and the counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from thidua.services.paperwork.excel_in.columns import Column

SKIPPED_EXAMPLES = 20


@dataclass(frozen=True)
class RowError:
    """Row `row` (as Excel numbers it), column `column` (its letter, "" for the whole row)."""

    row: int
    column: str
    header: str
    code: str
    message: str

    @classmethod
    def of(cls, row: int, column: Column | None, letter: str, code: str, message: str) -> RowError:
        return cls(row, letter, column.header if column is not None else "", code, message)

    def line(self) -> str:
        where = f"dòng {self.row}" + (f", cột {self.column} ({self.header})" if self.column else "")
        return f"{where}: [{self.code}] {self.message}"


@dataclass
class ExcelImportReport:
    file: str
    kind: str
    province: str
    correlation_id: str
    dry_run: bool
    rows: int = 0
    recorded: int = 0
    skipped: int = 0  # already in the ledger (a re-import)
    skipped_examples: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    refused_while_recording: int = 0  # changed by someone else between the check and the writing
    position: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def skip(self, label: str) -> None:
        self.skipped += 1
        if len(self.skipped_examples) < SKIPPED_EXAMPLES:
            self.skipped_examples.append(label)

    def as_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["ok"] = self.ok
        return body
