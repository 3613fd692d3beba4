"""merge_provinces (sáp nhập tỉnh): three provinces of `--merge-events` events each (300,000 by
default) merged into an existing fourth with `merge_provinces`, as `thidua province merge` does:
every check first (the predecessors' last effective dates read from their ledgers), then each
ledger closed at its head and the heads recorded in the successor. Then the successor is served
and its block's standings queried as `query_standings` does, to show the goal still holds on an
instance that now carries the predecessors' 900,000 events.

The provinces: the first is generated through the domain (`bench.datagen`, 1,000 units of 30
staff) and projected by the product, the two others are SQL clones of it (`bench.cloned_instance`:
ids and codes rewritten, every row hashed by the clone's own chain trigger); the successor has a
scored block of `--block-units` units. The database is built once, cached under var/bench, and
each run merges a fresh copy of it.

Floors: reading every row of the three ledgers once with asyncpg (what the date check must at
least touch) for the merger; the plain Litestar endpoint answering the same bytes for the
successor's standings (as `query_standings`). Figures: predecessor events / seconds to merge, with
the seconds of the merger and of the lineage's verification in params; the successor's
standings queries/s and p99.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import asyncpg

from bench.case_query_standings import GOAL as STANDINGS_GOAL
from bench.case_query_standings import measure_standings
from bench.cloned_instance import InstancePlan, working_instance
from bench.context import BenchContext
from bench.datagen import Shape
from bench.floors import read_floor
from bench.results import CaseResult, percentile_ms
from bench.seed_standings import BLOCK, StandingsBlock
from bench.workloads import require_fields
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.ledger import Checkpoint, verify_ledger
from thidua.services.mergers import last_effective_on, merge_provinces
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import schema_for

PREDECESSORS = ("bench-merge-a", "bench-merge-b", "bench-merge-c")
SUCCESSOR = "bench-merge-s"
GOAL = "≥ 0.3 of floor"


def merge_plan(events: int, block_units: int) -> InstancePlan:
    return InstancePlan("merge", PREDECESSORS[0], PREDECESSORS[1:], events, Shape(),
                        extra=(SUCCESSOR,), extra_standings_units=block_units)


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


async def _successor_standings(ctx: BenchContext, params: ConnectionParams) -> CaseResult:
    """`query_standings` on the successor's block, on the merged instance."""
    options = ctx.options
    units = [f"{BLOCK}-dv{n:02d}" for n in range(options.block_units)]
    block = StandingsBlock(SUCCESSOR, BLOCK, datetime.now(UTC).year, units, 0)
    measured = await measure_standings(ctx, params, block, name="merged")
    load, floor, ratio = measured.load, measured.floor, measured.ratio
    server_cpu = measured.server_cpu_s
    p99 = percentile_ms(load.latencies, 99)
    return CaseResult(
        name="merge_provinces.successor_standings",
        value=round(load.rate, 1),
        unit="queries/s",
        floor=round(floor.rate, 1),
        floor_name="plain Litestar endpoint, same bytes",
        ratio=None if ratio is None else round(ratio, 3),
        p50_ms=percentile_ms(load.latencies, 50),
        p99_ms=p99,
        params={
            "clients": options.query_clients,
            "block_units": options.block_units,
            "queries": load.requests,
            "failures": load.failures,
            "first_failure": load.first_failure,
            "floor_p99_ms": percentile_ms(floor.latencies, 99),
            "server_cpu_s": round(server_cpu, 1),
        },
        goal=STANDINGS_GOAL,
        goal_met=ratio is not None and ratio >= 0.5 and p99 is not None and p99 <= 25 and not load.failures,
    )


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("standings")
    options = ctx.options
    instance = await working_instance(ctx, merge_plan(options.merge_events, options.block_units),
                                      "bench_merge_provinces")
    params = instance.params
    events = instance.events_per_province * len(PREDECESSORS)
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
            "cache_built_s": None if instance.built_s is None else round(instance.built_s, 1),
        },
        goal=GOAL,
    )
    result.goal_met = result.ratio is not None and result.ratio >= 0.3 and bool(result.params["lineage_ok"])
    return [result, await _successor_standings(ctx, params)]
