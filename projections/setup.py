"""Create the read-model schema, the reader role, tracking and every projection's live tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thidua.projections.base import Projection, create_tables
from thidua.projections.ddl import BASE_DDL, DDL_LOCK, LIVE, TRACKING_ISOLATION


async def ensure_readmodel(conn: Any, projections: Sequence[Projection]) -> None:
    """Idempotent; safe when several processes start at once (serialised by an advisory lock)."""
    await conn.execute("SELECT pg_advisory_lock($1)", DDL_LOCK)
    try:
        for statement in BASE_DDL:
            await conn.execute(statement)
        async with conn.transaction():
            for statement in TRACKING_ISOLATION:
                await conn.execute(statement)
            for projection in projections:
                await create_tables(conn, projection, LIVE)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", DDL_LOCK)
