"""Are the read models being kept? For the projection worker's health check
(`thidua projections check`): every (province, projection) has an owner, some session holding its
advisory lock (this worker or a standby's partner), and is not further behind than allowed.

Read-only: it creates nothing, so a health check never races the worker's own set-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from thidua.projections.base import Projection
from thidua.projections.status import ProjectionStatus, list_provinces, projection_status
from thidua.projections.tracking import LOCK_CLASS


@dataclass(frozen=True)
class Health:
    status: ProjectionStatus
    owned: bool

    def problem(self, max_lag: int) -> str | None:
        if not self.owned:
            return "no worker owns it"
        if self.status.lag > max_lag:
            return f"{self.status.lag} events behind (more than {max_lag})"
        return None


async def projection_health(
    conn: Any, projections: Sequence[Projection], provinces: Sequence[str] | None = None
) -> list[Health] | None:
    """Each province's projections with their owner flag (every registered province, or those
    given: the ones on `conn`'s server); None when the read models were never set up (no worker
    has started yet)."""
    if await conn.fetchval("SELECT to_regclass('readmodel.tracking')") is None:
        return None
    if provinces is None:
        provinces = await list_provinces(conn)
    statuses = await projection_status(conn, provinces, projections)
    # Two-key advisory locks show in pg_locks as (classid, objid) with objsubid 2; the second
    # key is an int4 shown as an unsigned oid.
    rows = await conn.fetch(
        "SELECT objid::bigint AS key FROM pg_locks "
        "WHERE locktype = 'advisory' AND objsubid = 2 AND granted AND classid = $1::oid "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        LOCK_CLASS,
    )
    held = {int(r["key"]) for r in rows}
    keys = await conn.fetch(
        "SELECT k, hashtext(k)::bigint & 4294967295 AS key FROM unnest($1::text[]) AS k",
        [f"{s.province}/{s.projection}" for s in statuses],
    )
    owned = {r["k"] for r in keys if int(r["key"]) in held}
    return [Health(s, f"{s.province}/{s.projection}" in owned) for s in statuses]
