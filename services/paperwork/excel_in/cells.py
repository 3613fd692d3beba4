"""Reading one cell as a clerk meant it (đọc ô): text, keys, years, counts, dates, choices.

Each reader takes the cell's value as openpyxl gives it (str, int, float, bool, datetime or
None) and returns the value or raises `CellError` with a Vietnamese message. Dates are the hard
case: a date cell arrives as a datetime, but many clerks type dates as text. Text in the habit
of the country, day/month/year (`15/03/2024`, also with `-` or `.`), is accepted explicitly, and
so is ISO `2024-03-15`; text that could be read two ways is refused rather than guessed:
a two-digit year (`15/03/24`: which century?) and a first number that can only be a month
(`03/15/2024`, month/day as some computers write it). A bare number in a date column is an
Excel serial whose cell lost its date format: refused, with the fix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime

MIN_YEAR, MAX_YEAR = 1945, 2100


class CellError(ValueError):
    """A cell that cannot be read; `code` is stable, the message is for the clerk."""

    def __init__(self, message_vi: str, code: str = "EXCEL_INVALID_VALUE") -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.code = code


def normalise(text: str) -> str:
    """NFC, trimmed, inner whitespace collapsed: Vietnamese typed either way compares equal."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str) -> str:
    """Lower case, for matching headers and choices (diacritics kept: "Loại" is not "Lại")."""
    return normalise(text).casefold()


def text(value: object) -> str:
    if value is None:
        raise CellError("Ô bắt buộc nhưng để trống.", "EXCEL_REQUIRED")
    if isinstance(value, datetime | date):
        raise CellError("Ô cần chữ nhưng chứa ngày tháng.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a numeric key typed without quotes, e.g. 123 for "123"
    result = normalise(str(value))
    if not result:
        raise CellError("Ô bắt buộc nhưng để trống.", "EXCEL_REQUIRED")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in result):
        raise CellError("Ô chứa ký tự điều khiển không hợp lệ.", "INVALID_TEXT")
    return result


def key(value: object) -> str:
    """A natural key (mã): text without spaces."""
    result = text(value)
    if " " in result:
        raise CellError(f"Mã «{result}» không được chứa dấu cách.")
    return result


def year(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CellError(f"Năm «{value}» không hợp lệ: cần bốn chữ số, ví dụ 2025.")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise CellError(f"Năm {value} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.")
    return value


def count(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CellError(f"Số lượng «{value}» không hợp lệ: cần số nguyên không âm.")
    return value


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def day(value: object) -> date:
    """A date cell, or date text as day/month/year; see the module docstring."""
    if isinstance(value, datetime):
        return _in_range(value.date())
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            f"Ngày ghi dạng số ({value}): hãy định dạng ô là Ngày hoặc gõ theo ngày/tháng/năm, "
            "ví dụ 15/03/2024.",
            "EXCEL_INVALID_DATE",
        )
    raw = text(value)
    iso = _ISO.match(raw)
    if iso:
        return _checked(int(iso[1]), int(iso[2]), int(iso[3]), raw)
    dmy = _DMY.match(raw)
    if dmy is None:
        raise CellError(
            f"Không đọc được ngày «{raw}»: ghi theo ngày/tháng/năm, ví dụ 15/03/2024.",
            "EXCEL_INVALID_DATE",
        )
    d, m, y = int(dmy[1]), int(dmy[2]), dmy[3]
    if len(y) == 2:
        raise CellError(
            f"Ngày «{raw}» có năm hai chữ số, không rõ thế kỷ: ghi đủ bốn chữ số, ví dụ 15/03/2024.",
            "EXCEL_AMBIGUOUS_DATE",
        )
    if m > 12 and d <= 12:
        raise CellError(
            f"Ngày «{raw}» có vẻ ghi theo tháng/ngày/năm; hãy ghi theo ngày/tháng/năm ({m:02d}/{d:02d}/{y}).",
            "EXCEL_AMBIGUOUS_DATE",
        )
    return _checked(int(y), m, d, raw)


def _checked(y: int, m: int, d: int, raw: str) -> date:
    try:
        return _in_range(date(y, m, d))
    except ValueError:
        raise CellError(f"Ngày «{raw}» không có thật.", "EXCEL_INVALID_DATE") from None


def _in_range(d: date) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise CellError(
            f"Ngày {d:%d/%m/%Y} nằm ngoài khoảng năm {MIN_YEAR}–{MAX_YEAR}.", "EXCEL_INVALID_DATE"
        )
    return d


def choice(value: object, choices: Mapping[str, str], what: str) -> str:
    """One of `choices` (code -> Vietnamese label), given by its label or its code."""
    wanted = fold(text(value))
    for code, label in choices.items():
        if wanted in (fold(label), fold(code)):
            return code
    allowed = "; ".join(choices.values())
    raise CellError(f"{what} «{normalise(str(value))}» không hợp lệ; chọn một trong: {allowed}.")
