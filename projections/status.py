"""Where each projection stands (trạng thái): position, head of the province's events, lag."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from thidua.projections.base import Projection
from thidua.projections.runner import head_position


@dataclass(frozen=True)
class ProjectionStatus:
    province: str
    projection: str
    version: int
    position: int
    head: int
    updated_at: datetime | None

    @property
    def lag(self) -> int:
        """Events recorded but not yet applied (an upper bound: positions may have gaps)."""
        return max(0, self.head - self.position)


async def list_provinces(conn: Any, server: str | None = None) -> list[str]:
    """The registered provinces (on the main server's `conn`), or only those on `server`."""
    exists = await conn.fetchval("SELECT to_regclass('platform.provinces')")
    if exists is None:
        return []
    if server is None:
        return [r[0] for r in await conn.fetch("SELECT code FROM platform.provinces ORDER BY code")]
    rows = await conn.fetch("SELECT code FROM platform.provinces WHERE server = $1 ORDER BY code", server)
    return [r[0] for r in rows]


async def projection_status(
    conn: Any, provinces: Sequence[str], projections: Sequence[Projection]
) -> list[ProjectionStatus]:
    rows = await conn.fetch(
        "SELECT province, projection, version, position, updated_at FROM readmodel.tracking "
        "WHERE province = ANY($1::text[])",
        list(provinces),
    )
    tracked = {(r["province"], r["projection"], r["version"]): r for r in rows}
    result = []
    for province in provinces:
        head = await head_position(conn, province)
        for p in projections:
            row = tracked.get((province, p.name, p.version))
            result.append(
                ProjectionStatus(
                    province=province,
                    projection=p.name,
                    version=p.version,
                    position=int(row["position"]) if row else 0,
                    head=head,
                    updated_at=row["updated_at"] if row else None,
                )
            )
    return result
