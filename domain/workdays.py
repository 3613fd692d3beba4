"""Working days (ngày làm việc) for disclosure windows: Monday to Friday.

Public holidays are not in the rule set yet, so a window spanning Tết is shorter in calendar
days than the law intends; services may pass extra holidays.
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
