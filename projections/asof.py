""" "As of" replays (tại thời điểm): fold audit-trail rows up to a recorded instant and/or an
effective date with the same pure reducer the live projection uses.

`as_of` keeps events recorded at or before that instant (what the ledger knew then);
`effective_on` keeps events whose effective date is on or before that day (what had taken effect).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from thidua.projections.access import province_reader
from thidua.projections.audit.projection import TABLE
from thidua.projections.documents import Folded, Reducer, fold
from thidua.projections.envelope import Envelope


def envelope_of_row(r: Any) -> Envelope:
    """An audit row back as an envelope (the payload is the one the live projection saw)."""
    return Envelope(
        position=r["position"],
        aggregate_id=r["aggregate_id"],
        aggregate_version=r["aggregate_version"],
        topic=f"audit:{r['event_type']}",
        recorded_at=r["recorded_at"],
        effective_on=r["effective_on"],
        actor_user=r["actor_user"],
        actor_role=r["actor_role"],
        actor_unit=r["actor_unit"],
        correlation_id=r["correlation_id"],
        payload=json.loads(r["payload"]),
    )


async def events_of(
    conn: Any,
    province: str,
    aggregate_ids: Sequence[UUID],
    *,
    as_of: datetime | None,
    effective_on: date | None,
) -> list[Envelope]:
    rows = await conn.fetch(
        "SELECT position, aggregate_id, aggregate_version, event_type, recorded_at, "  # noqa: S608
        "effective_on, actor_user, actor_role, actor_unit, correlation_id, payload::text AS payload "
        f"FROM readmodel.{TABLE} WHERE province = $1 AND aggregate_id = ANY($2::uuid[]) "
        "AND ($3::timestamptz IS NULL OR recorded_at <= $3) "
        "AND ($4::date IS NULL OR effective_on IS NULL OR effective_on <= $4) "
        "ORDER BY position",
        province,
        list(aggregate_ids),
        as_of,
        effective_on,
    )
    return [envelope_of_row(r) for r in rows]


async def replay(
    pool: Any,
    province: str,
    reducer: Reducer,
    aggregate_ids: Sequence[UUID],
    *,
    as_of: datetime | None = None,
    effective_on: date | None = None,
) -> Folded:
    async with province_reader(pool, province) as conn:
        events = await events_of(conn, province, aggregate_ids, as_of=as_of, effective_on=effective_on)
    return fold(reducer, events)
