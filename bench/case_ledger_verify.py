"""ledger_verify (kiểm tra chuỗi băm): `thidua ledger verify` on the large province (`--events`,
1,000,000 by default): every stored row read and its chain hash recomputed and compared.

Floor: the same rows read with asyncpg in the same batches, each hashed once with SHA-256 after
the previous hash (the chain's own least work: one digest per row over the stored bytes), with
no framing of the hashed body and no comparison. The product's figure is the `verify_ledger` the
command runs, called in process (the command adds only its printing).
"""

from __future__ import annotations

import asyncio
import hashlib
import time

import asyncpg

from bench.big_province import PROVINCE
from bench.case_projection_rebuild import EVENTS_TABLE, cached_province
from bench.context import BenchContext
from bench.floors import FloorResult
from bench.results import CaseResult
from thidua.services.ledger import FETCH_BATCH, ROWS_SQL, verify_ledger

GOAL = "≥ 0.5 of floor"


async def hash_floor(conn: asyncpg.Connection) -> FloorResult:
    rows = 0
    digest = bytes(32)
    sha256 = hashlib.sha256
    started = time.perf_counter()
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        cursor = await conn.cursor(f"{ROWS_SQL} FROM {EVENTS_TABLE} ORDER BY notification_id")
        while chunk := await cursor.fetch(FETCH_BATCH):
            for row in chunk:
                digest = sha256(digest + row[4]).digest()
            rows += len(chunk)
    return FloorResult(rows, time.perf_counter() - started)


async def run(ctx: BenchContext) -> list[CaseResult]:
    params, events, _ = await asyncio.to_thread(cached_province, ctx)
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        # Twice each, keeping the faster: the first pass also warms the cache.
        floors = [await hash_floor(conn) for _ in range(2)]
    finally:
        await conn.close()
    floor = max(floors, key=lambda f: f.rate)
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **params.asyncpg_kwargs())
    try:
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            report = await verify_ledger(pool, PROVINCE)
            runs.append((time.perf_counter() - started, report))
    finally:
        await pool.close()
    seconds, report = min(runs, key=lambda r: r[0])
    value = report.events_checked / seconds if seconds > 0 else 0.0
    ratio = value / floor.rate if floor.rate else None
    return [
        CaseResult(
            name="ledger_verify",
            value=round(value),
            unit="events/s",
            floor=round(floor.rate),
            floor_name="asyncpg read + one SHA-256 per row",
            ratio=None if ratio is None else round(ratio, 3),
            params={
                "events": events,
                "checked": report.events_checked,
                "ok": report.ok,
                "seconds": round(seconds, 2),
                "seconds_each": [round(s, 2) for s, _ in runs],
                "floor_seconds": round(floor.seconds, 2),
            },
            goal=GOAL,
            goal_met=report.ok and ratio is not None and ratio >= 0.5,
            note="" if report.ok else f"the chain did not verify: {report.summary()}",
        )
    ]
