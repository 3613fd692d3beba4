"""The `Date` and `DateTime` scalars (ngày, thời điểm): strict ISO 8601, refused in Vietnamese.

strawberry's own scalars answer a bad value in English ("Value cannot represent a Date") under
a generic validation code, and accept what Python's `fromisoformat` accepts (`20250630`,
`2025-W26-1`). These take exactly `YYYY-MM-DD` and ISO 8601 instants, within the years a
province's records can hold (1900–2199: date arithmetic near year 9999 would overflow), and
refuse anything else with `INVALID_DATE` / `INVALID_DATETIME` and a message that shows the
expected form. `shaping.py` names the variable the value came from.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

FIRST_YEAR, LAST_YEAR = 1900, 2199
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")
LONGEST_DATETIME = 64  # "2025-06-30T08:00:00.123456789+07:00" is 35
DATE_EXPECTED = "cần dạng YYYY-MM-DD theo ISO 8601, ví dụ 2025-06-30"
DATETIME_EXPECTED = "cần dạng ISO 8601 YYYY-MM-DDThh:mm:ss kèm múi giờ, ví dụ 2025-06-30T08:00:00+07:00"
YEARS = f"năm từ {FIRST_YEAR} đến {LAST_YEAR}"


class InvalidScalarValue(GraphQLError):
    """A value a scalar refuses: Vietnamese message, stable code (kept by `shaping.py`)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def parse_date(value: object) -> date:
    if not isinstance(value, str) or not DATE_FORMAT.fullmatch(value):
        raise InvalidScalarValue(f"Ngày «{_shown(value)}» không đúng dạng: {DATE_EXPECTED}.", "INVALID_DATE")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidScalarValue(
            f"Ngày «{value}» không có trên lịch: {DATE_EXPECTED}.", "INVALID_DATE"
        ) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise InvalidScalarValue(f"Ngày «{value}» nằm ngoài khoảng cho phép ({YEARS}).", "INVALID_DATE")
    return parsed


def parse_datetime(value: object) -> datetime:
    """An aware datetime. One without an offset is read in Vietnam time (+07:00): it used to be
    read in the server's own zone (asyncpg's `astimezone`), which a client cannot know."""
    if not isinstance(value, str) or len(value) > LONGEST_DATETIME:
        raise InvalidScalarValue(
            f"Thời điểm «{_shown(value)}» không đúng dạng: {DATETIME_EXPECTED}.", "INVALID_DATETIME"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        raise InvalidScalarValue(
            f"Thời điểm «{value}» không đúng dạng: {DATETIME_EXPECTED}.", "INVALID_DATETIME"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VIETNAM)
    try:
        in_utc = parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # an offset that moves year 1 or 9999 off the calendar
        in_utc = parsed
    if not FIRST_YEAR <= in_utc.year <= LAST_YEAR:
        raise InvalidScalarValue(
            f"Thời điểm «{value}» nằm ngoài khoảng cho phép ({YEARS}).", "INVALID_DATETIME"
        )
    return parsed


def _isoformat(value: Any) -> str:
    return str(value.isoformat())


DATE = ScalarDefinition(
    name="Date",
    description=f"Ngày theo ISO 8601, dạng YYYY-MM-DD (ví dụ 2025-06-30), {YEARS}.",
    specified_by_url=None,
    serialize=_isoformat,
    parse_value=parse_date,
    parse_literal=None,
    origin=date,
)

DATETIME = ScalarDefinition(
    name="DateTime",
    description="Thời điểm theo ISO 8601, dạng YYYY-MM-DDThh:mm:ss kèm múi giờ (ví dụ "
    f"2025-06-30T08:00:00+07:00; không có múi giờ thì hiểu là giờ Việt Nam), {YEARS}.",
    specified_by_url=None,
    serialize=_isoformat,
    parse_value=parse_datetime,
    parse_literal=None,
    origin=datetime,
)

SCALAR_OVERRIDES: dict[object, Any] = {date: DATE, datetime: DATETIME}
