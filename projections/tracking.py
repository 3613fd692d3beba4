"""Tracking positions (vị trí đã xử lý) and ownership locks of projections.

`readmodel.tracking` holds, per (province, projection, version), the position of the last event
applied. The runner updates it in the same transaction as the read-model rows (exactly once) and
checks it under `FOR UPDATE` first, so a second writer that slipped past the advisory lock finds
the position moved and backs off instead of applying twice.
"""

from __future__ import annotations

from typing import Any

LOCK_CLASS = 7303  # first key of the two-key advisory locks: (class, hash of province/projection)


async def ensure_tracking(conn: Any, province: str, projection: str, version: int) -> None:
    await conn.execute(
        "INSERT INTO readmodel.tracking (province, projection, version) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        province,
        projection,
        version,
    )


async def read_position(conn: Any, province: str, projection: str, version: int) -> int:
    return await tracked_position(conn, province, projection, version) or 0


async def tracked_position(conn: Any, province: str, projection: str, version: int) -> int | None:
    """The position, or None before the projection's first run (`conn` may be a pool)."""
    value = await conn.fetchval(
        "SELECT position FROM readmodel.tracking WHERE province = $1 AND projection = $2 AND version = $3",
        province,
        projection,
        version,
    )
    return None if value is None else int(value)


async def lock_position(conn: Any, province: str, projection: str, version: int) -> int:
    """The position under a row lock held to the end of the caller's transaction."""
    value = await conn.fetchval(
        "SELECT position FROM readmodel.tracking "
        "WHERE province = $1 AND projection = $2 AND version = $3 FOR UPDATE",
        province,
        projection,
        version,
    )
    if value is None:
        msg = f"no tracking row for {province}/{projection} v{version}"
        raise LookupError(msg)
    return int(value)


async def set_position(conn: Any, province: str, projection: str, version: int, position: int) -> None:
    await conn.execute(
        "UPDATE readmodel.tracking SET position = $4, updated_at = now() "
        "WHERE province = $1 AND projection = $2 AND version = $3",
        province,
        projection,
        version,
        position,
    )


async def try_own(conn: Any, province: str, projection: str) -> bool:
    """Take the session-level ownership lock of (province, projection); False if held elsewhere."""
    return bool(
        await conn.fetchval(
            "SELECT pg_try_advisory_lock($1, hashtext($2))", LOCK_CLASS, f"{province}/{projection}"
        )
    )


async def release(conn: Any, province: str, projection: str) -> None:
    await conn.fetchval("SELECT pg_advisory_unlock($1, hashtext($2))", LOCK_CLASS, f"{province}/{projection}")


class PositionMoved(Exception):
    """Another writer advanced the projection since we read its position: re-read and retry."""
