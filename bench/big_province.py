"""The large province (tỉnh lớn) the auditors' cases read: the one `projection_rebuild` generates
(`--events`, 1,000,000 by default, cached between runs), with every read model at its head."""

from __future__ import annotations

import asyncio

import asyncpg
import structlog

from bench.case_projection_rebuild import PROVINCE, cached_province, rebuild_all_timed, rebuilt_to_head
from bench.context import BenchContext
from thidua.services.database import ConnectionParams

log = structlog.get_logger()

__all__ = ["PROVINCE", "projected_province"]


async def projected_province(ctx: BenchContext) -> tuple[ConnectionParams, int]:
    """The cached large province, its projections rebuilt to the head when they are not (the
    first time only: `projection_rebuild` leaves them there); (params, events)."""
    params, events, _ = await asyncio.to_thread(cached_province, ctx)
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        ready = await rebuilt_to_head(conn)
    finally:
        await conn.close()
    if not ready:
        log.info("bench_big_province_projecting", events=events)
        await rebuild_all_timed(ctx, params, events, budget=None)
    return params, events
