"""Working days (ngày làm việc) for disclosure windows: Monday to Friday, less the public
holidays the province has recorded from the government's notices (RuleBook.PublicHolidaysDeclared).
A year with none recorded counts weekdays only.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def add_working_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The date `days` working days after `start`."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current
