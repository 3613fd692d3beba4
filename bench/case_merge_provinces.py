"""merge_provinces (sáp nhập tỉnh): three provinces of `--merge-events` events each (300,000 by
default, generated through the domain) merged into an existing fourth with `merge_provinces`, as
`thidua province merge` does: every check first (the predecessors' last effective dates read from
their ledgers), then each ledger closed at its head and the heads recorded in the successor.

Floor: reading every row of the three ledgers once with asyncpg (what the date check must at
least touch). Figure: predecessor events / seconds to merge; params keep the seconds of the
merger and of the lineage's verification (`ledger verify --with-predecessors`).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import asyncpg

from bench.context import BenchContext
from bench.datagen import generate
from bench.floors import read_floor
from bench.results import CaseResult
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.ledger import Checkpoint, verify_ledger
from thidua.services.mergers import last_effective_on, merge_provinces
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import schema_for

PREDECESSORS = ("bench-merge-a", "bench-merge-b", "bench-merge-c")
SUCCESSOR = "bench-merge-s"
GOAL = "≥ 0.3 of floor"


def _generate(params: ConnectionParams, events: int) -> int:
    registry = ProvinceRegistry(params, pool_size=1, pool_overflow=1)
    written = 0
    try:
        registry.ensure_platform_schema()
        registry.create_province(SUCCESSOR, "Tỉnh kế thừa (đo tải)", created_by="bench")
        for index, code in enumerate(PREDECESSORS):
            registry.create_province(code, f"Tỉnh trước sáp nhập {index + 1}", created_by="bench")
            written += generate(registry.app(code), code, events, seed=11 + index)
    finally:
        registry.close()
    return written


def _merge(params: ConnectionParams) -> tuple[float, list[str]]:
    registry = ProvinceRegistry(params, pool_size=1, pool_overflow=1)
    try:
        last = max(d for code in PREDECESSORS if (d := last_effective_on(registry, code)) is not None)
        by = Provenance(Actor("bench", "platform_operator", None), datetime.now(UTC), last, "bench")
        started = time.perf_counter()
        report = merge_provinces(
            registry,
            into=SUCCESSOR,
            predecessors=list(PREDECESSORS),
            effective_on=by.effective_on,
            basis="Nghị quyết 202/2025/QH15",
            by=by,
        )
        return time.perf_counter() - started, [row.head for row in report.predecessors]
    finally:
        registry.close()


async def run(ctx: BenchContext) -> list[CaseResult]:
    params = await asyncio.to_thread(ctx.server.fresh, "bench_merge_provinces")
    started = time.monotonic()
    events = await asyncio.to_thread(_generate, params, ctx.options.merge_events)
    generating = time.monotonic() - started
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        floor_s = 0.0
        for code in PREDECESSORS:
            floor_s += (await read_floor(conn, f'"{schema_for(code)}"."ledger_events"')).seconds
    finally:
        await conn.close()
    merging, heads = await asyncio.to_thread(_merge, params)
    pool = await asyncpg.create_pool(min_size=1, max_size=2, **params.asyncpg_kwargs())
    try:
        started = time.monotonic()
        verified = [
            await verify_ledger(pool, code, Checkpoint.parse(head))
            for code, head in zip(PREDECESSORS, heads, strict=True)
        ]
        verifying = time.monotonic() - started
    finally:
        await pool.close()
    result = CaseResult(
        name="merge_provinces",
        value=round(events / merging, 1),
        unit="predecessor events/s",
        floor=round(events / floor_s, 1) if floor_s else None,
        floor_name="one read of every predecessor ledger row (asyncpg)",
        params={
            "predecessors": len(PREDECESSORS),
            "events": events,
            "merge_s": round(merging, 2),
            "verify_lineage_s": round(verifying, 2),
            "lineage_ok": all(r.ok and r.against_ok for r in verified),
            "generating_s": round(generating, 1),
        },
        goal=GOAL,
    )
    result.goal_met = result.ratio is not None and result.ratio >= 0.3
    return [result]
