"""Events of given types from the audit trail (sự kiện theo loại), for reports counted from events
(e.g. the movements launched in a year, for the statistical form 0601)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from thidua.projections.access import province_reader
from thidua.projections.asof import envelope_of_row
from thidua.projections.audit.projection import TABLE
from thidua.projections.envelope import Envelope


async def events_of_types(
    pool: Any,
    province: str,
    event_types: Sequence[str],
    *,
    effective_from: date | None = None,
    effective_to: date | None = None,
) -> list[Envelope]:
    """Events of `event_types` (e.g. "Movement.Launched") in position order, optionally only
    those taking effect between the two dates (inclusive)."""
    async with province_reader(pool, province) as conn:
        rows = await conn.fetch(
            "SELECT position, aggregate_id, aggregate_version, event_type, recorded_at, "  # noqa: S608
            "effective_on, actor_user, actor_role, actor_unit, correlation_id, payload::text AS payload "
            f"FROM readmodel.{TABLE} WHERE province = $1 AND event_type = ANY($2::text[]) "
            "AND ($3::date IS NULL OR effective_on >= $3) AND ($4::date IS NULL OR effective_on <= $4) "
            "ORDER BY position",
            province,
            list(event_types),
            effective_from,
            effective_to,
        )
    return [envelope_of_row(r) for r in rows]
