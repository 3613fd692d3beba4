"""Ratings queries (truy vấn xếp loại).

- `get_monthly_ratings(pool, province, unit, year, month)` -> `MonthlyRatings | None`
- `list_monthly_ratings(pool, province, unit, year)` -> `list[MonthlyRatings]`
- `get_staff_ratings(pool, province, staff)` -> `StaffRatings | None`
- `staff_names_of_unit(pool, province, unit)` -> `dict[str, str]`
- `staff_by_keys(pool, province, keys)` -> `dict[str, tuple[name, unit]]`
"""

from __future__ import annotations

import json
from typing import Any

from thidua.projections.access import province_reader
from thidua.projections.ratings.model import MonthlyRatings, StaffRatings, monthly_of, staff_of
from thidua.projections.ratings.projection import DOCS
from thidua.projections.ratings.reducer import SHEET, STAFF, STAFF_YEAR, sheet_key

_DOCS = f"readmodel.{DOCS.name}"


async def _doc(pool: Any, province: str, kind: str, key: str) -> dict[str, Any] | None:
    async with province_reader(pool, province) as conn:
        raw = await conn.fetchval(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 AND key = $3",  # noqa: S608
            province,
            kind,
            key,
        )
    return json.loads(raw) if raw else None


async def get_monthly_ratings(
    pool: Any, province: str, unit: str, year: int, month: int
) -> MonthlyRatings | None:
    doc = await _doc(pool, province, SHEET, sheet_key(unit, year, month))
    return monthly_of(doc) if doc else None


async def list_monthly_ratings(pool: Any, province: str, unit: str, year: int) -> list[MonthlyRatings]:
    """The unit's sheets of the year, by month."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND subject = $3 AND year = $4 ORDER BY key",
            province,
            SHEET,
            unit,
            year,
        )
    return [monthly_of(json.loads(r[0])) for r in rows]


async def get_staff_ratings(pool: Any, province: str, staff: str) -> StaffRatings | None:
    """The staff member's document and their year documents (months, year-end rating)."""
    async with province_reader(pool, province) as conn:
        raw = await conn.fetchval(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 AND key = $3",  # noqa: S608
            province,
            STAFF,
            staff,
        )
        rows = await conn.fetch(
            f"SELECT doc::text FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND subject = $3 ORDER BY year",
            province,
            STAFF_YEAR,
            staff,
        )
    if not raw and not rows:
        return None
    return staff_of(json.loads(raw) if raw else None, [json.loads(r[0]) for r in rows])


async def staff_names_of_unit(pool: Any, province: str, unit: str) -> dict[str, str]:
    """Names of the staff whose current unit is `unit` (key -> name), for printed sheets."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT key, doc->>'name' FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND subject = $3",
            province,
            STAFF,
            unit,
        )
    return {r[0]: r[1] for r in rows if r[1]}


async def staff_by_keys(
    pool: Any, province: str, keys: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """Name and current unit of each staff member named (key -> (name, unit))."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            f"SELECT key, doc->>'name', doc->>'unit' FROM {_DOCS} WHERE province = $1 AND kind = $2 "  # noqa: S608
            "AND key = ANY($3::text[])",
            province,
            STAFF,
            keys,
        )
    return {r[0]: (r[1], r[2]) for r in rows}
