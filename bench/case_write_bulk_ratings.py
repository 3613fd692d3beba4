"""write_bulk_ratings (xếp loại hàng tháng theo lô): `recordMonthlyRatings` over HTTP, each
request one unit's month of `--ratings-per-request` ratings (500 by default), `bulk_clients`
clients. Figure: ratings recorded per second.

Floor: COPY of the very rows the product wrote, one transaction per request's rows under the
same EXCLUSIVE lock, sequential (`bench.floors.copy_floor`), counted in the same ratings.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import asyncpg

from bench.context import BenchContext
from bench.floors import Row, copy_floor, sample_rows
from bench.load import closed_loop
from bench.profiling import profiled
from bench.results import CaseResult, percentile_ms
from bench.seed_ratings import seed_ratings
from bench.served import product_server
from bench.workloads import events_table, head_position, mutation_check, require_fields

PROVINCE = "bench-r1"
GOAL = "≥ 20,000 ratings/s"
GOAL_RATE = 20_000

RECORD_MONTHLY_RATINGS = """
mutation Ratings($input: RecordMonthlyRatingsInput!) {
  recordMonthlyRatings(input: $input) { ok position errors { code message } }
}
"""


def ratings_variables(unit: str, year: int, month: int, scores: dict[str, int]) -> dict[str, Any]:
    ratings = [{"staff": staff, "score": score} for staff, score in scores.items()]
    return {"input": {"unit": unit, "year": year, "month": month, "scores": ratings}}


def _batches(rows: list[Row], requests: int) -> list[list[Row]]:
    """The product's rows cut into as many transactions as it had requests."""
    if requests <= 0:
        return [rows]
    size = max(1, round(len(rows) / requests))
    return [rows[i : i + size] for i in range(0, len(rows), size)]


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("recordMonthlyRatings")
    options = ctx.options
    per_request = options.ratings_per_request
    params = await asyncio.to_thread(ctx.server.fresh, "bench_bulk_ratings")
    seed = await asyncio.to_thread(
        seed_ratings, params, PROVINCE, per_request=per_request, seconds=options.duration + options.warmup
    )
    variables: Callable[[str, int, int, dict[str, int]], Any] = ratings_variables
    make = seed.request_factory(options.bulk_clients, RECORD_MONTHLY_RATINGS, variables)
    server = product_server(params, options.logs_dir, name="bulk", log_level=options.server_log_level,
                            workers=options.server_workers, variant=options.variant)
    async with server:
        cpu_before = server.cpu_seconds()
        async with profiled(server.pid, options.profile_path("bulk"), options.duration + options.warmup,
                            enabled=options.profile):
            load = await closed_loop(
                server.url, make, clients=options.bulk_clients, duration=options.duration,
                warmup=options.warmup, check=mutation_check("recordMonthlyRatings"),
            )
        server_cpu = server.cpu_seconds() - cpu_before
    written = await asyncio.to_thread(head_position, params, PROVINCE) - seed.position
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        rows = await sample_rows(conn, events_table(PROVINCE), after=seed.position, limit=max(written, 1))
        floor = await copy_floor(conn, _batches(rows, load.attempted))
    finally:
        await conn.close()
    value = load.rate * per_request
    floor_rate = load.attempted * per_request / floor.seconds if floor.seconds else None
    payload = json.loads(make(0, 0)[2])
    return [
        CaseResult(
            name="write_bulk_ratings",
            value=round(value),
            unit="ratings/s",
            floor=None if floor_rate is None else round(floor_rate),
            floor_name="COPY of the same rows, one txn per request, same lock",
            p50_ms=percentile_ms(load.latencies, 50),
            p99_ms=percentile_ms(load.latencies, 99),
            params={
                "ratings_per_request": per_request,
                "clients": options.bulk_clients,
                "requests": load.requests,
                "failures": load.failures,
                "first_failure": load.first_failure,
                "events_written": written,
                "request_bytes": len(json.dumps(payload)),
                "server_cpu_s": round(server_cpu, 1),
                "client_cpu_s": round(load.client_cpu_seconds, 1),
            },
            goal=GOAL,
            goal_met=value >= GOAL_RATE,
        )
    ]
