"""write_many_provinces (ghi vào nhiều tỉnh): the `castVote` load of write_single_province
spread over `--provinces` provinces at once (8 by default); the figure is total mutations/s.

Each province has its own events table and lock, so the goal is to scale past one province
(≥ 1.5 × write_single_province). Floor: one sequential same-lock inserter per province table,
all at once (`bench.floors.insert_floor_parallel`).
"""

from __future__ import annotations

import asyncio

import asyncpg

from bench.context import BenchContext
from bench.floors import insert_floor_parallel, sample_rows
from bench.results import CaseResult, percentile_ms
from bench.workloads import VotingWorkload, events_table, measure_votes

GOAL = "≥ 1.5 × write_single_province"
FLOOR_S = 5.0


async def run(ctx: BenchContext) -> list[CaseResult]:
    options = ctx.options
    provinces = [f"bench-m{n}" for n in range(options.provinces)]
    params = await asyncio.to_thread(ctx.server.fresh, "bench_write_many")
    workload = await asyncio.to_thread(VotingWorkload.seed, params, provinces, options)
    load = await measure_votes(ctx, params, workload, clients=options.write_clients)
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        first = events_table(provinces[0])
        rows = await sample_rows(conn, first, after=workload.seeded_positions[provinces[0]])
        rows = rows or await sample_rows(conn, first)
    finally:
        await conn.close()
    floor = await insert_floor_parallel(params, rows, tables=len(provinces), duration=FLOOR_S)
    return [
        CaseResult(
            name="write_many_provinces",
            value=round(load.rate, 1),
            unit="mutations/s",
            floor=round(floor.rate, 1),
            floor_name=f"{len(provinces)} parallel same-lock inserters, one table each",
            p50_ms=percentile_ms(load.latencies, 50),
            p99_ms=percentile_ms(load.latencies, 99),
            params={
                "provinces": len(provinces),
                "clients": options.write_clients,
                "duration_s": options.duration,
                "mutations": load.requests,
                "failures": load.failures,
                "first_failure": load.first_failure,
                "events_per_mutation": workload.events_per_request,
                "client_cpu_s": round(load.client_cpu_seconds, 1),
                **workload.server_cpu,
            },
            goal=GOAL,  # judged against write_single_province by the runner
        )
    ]
