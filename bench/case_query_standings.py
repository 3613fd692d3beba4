"""query_standings (bảng xếp hạng): the `standings` query of a 20-unit block's year over HTTP,
64 concurrent clients. Floor: a plain Litestar JSON endpoint (`bench.floor_app`) answering the
same request with the same bytes, served and loaded the same way."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import httpx

from bench.context import BenchContext
from bench.load import LoadResult, closed_loop, graphql_check
from bench.profiling import profiled
from bench.results import CaseResult, percentile_ms
from bench.seed_standings import StandingsBlock, seed_standings
from bench.served import ServedProcess, auth_headers, floor_server, product_server, token
from bench.standings_api import STANDINGS_QUERY, standings_units, standings_variables
from bench.workloads import require_fields
from thidua.services.database import ConnectionParams

PROVINCE = "bench-q1"
GOAL = "≥ 0.5 of floor, p99 ≤ 25 ms"


def standings_request(block: StandingsBlock) -> tuple[dict[str, str], bytes]:
    headers = auth_headers(token(block.province, "province_admin", user="bench-reader"))
    body = {"query": STANDINGS_QUERY, "variables": standings_variables(block.block, block.year)}
    return headers, json.dumps(body).encode()


async def wait_for_standings(url: str, headers: dict[str, str], body: bytes, units: int) -> bytes:
    """Poll until the projections have caught up with the seed (every unit listed, ranked)."""
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        while True:
            answer = (await client.post("/graphql", content=body, headers=headers)).content
            lines = standings_units(answer)
            if len(lines) == units and all(line.get("classification") for line in lines):
                return answer
            if time.monotonic() > deadline:
                msg = f"standings never showed the seeded block: {answer[:300]!r}"
                raise RuntimeError(msg)
            await asyncio.sleep(0.2)


async def standings_load(
    ctx: BenchContext, server: ServedProcess, headers: dict[str, str], body: bytes
) -> LoadResult:
    options = ctx.options
    seconds = options.duration + options.warmup
    enabled = options.profile and server.name != "floor_app"
    async with profiled(server.pid, options.profile_path(f"query_{server.name}"), seconds, enabled=enabled):
        return await closed_loop(
            server.url, lambda c, n: ("/graphql", headers, body), clients=options.query_clients,
            duration=options.duration, warmup=options.warmup, check=graphql_check,
        )


@dataclass(frozen=True)
class StandingsMeasured:
    """A block's standings served by the product and by the floor, loaded the same way."""

    answer: bytes
    load: LoadResult
    floor: LoadResult
    server_cpu_s: float

    @property
    def ratio(self) -> float | None:
        return self.load.rate / self.floor.rate if self.floor.rate else None


async def measure_standings(
    ctx: BenchContext, params: ConnectionParams, block: StandingsBlock, *, name: str
) -> StandingsMeasured:
    """Serve the product on `params`, wait for the block's standings, load them; then the floor
    answering the same bytes (kept as `<name>-standings-answer.json` under the bench data)."""
    options = ctx.options
    headers, body = standings_request(block)
    product = product_server(params, options.logs_dir, name=name, log_level=options.server_log_level,
                             workers=options.server_workers, variant=options.variant)
    async with product:
        answer = await wait_for_standings(product.url, headers, body, options.block_units)
        cpu_before = product.cpu_seconds()
        load = await standings_load(ctx, product, headers, body)
        server_cpu = product.cpu_seconds() - cpu_before
    answer_path = options.data_dir / f"{name}-standings-answer.json"
    answer_path.write_bytes(answer)
    async with floor_server(answer_path, options.logs_dir) as plain:
        floor = await standings_load(ctx, plain, headers, body)
    return StandingsMeasured(answer, load, floor, server_cpu)


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("standings")
    options = ctx.options
    params = await asyncio.to_thread(ctx.server.fresh, "bench_query_standings")
    block = await asyncio.to_thread(seed_standings, params, PROVINCE, options.block_units)
    measured = await measure_standings(ctx, params, block, name="query")
    load, floor, answer, ratio = measured.load, measured.floor, measured.answer, measured.ratio
    p99 = percentile_ms(load.latencies, 99)
    return [
        CaseResult(
            name="query_standings",
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
                "response_bytes": len(answer),
                "queries": load.requests,
                "failures": load.failures,
                "first_failure": load.first_failure,
                "floor_p50_ms": percentile_ms(floor.latencies, 50),
                "floor_p99_ms": percentile_ms(floor.latencies, 99),
                "server_cpu_s": round(measured.server_cpu_s, 1),
                "client_cpu_s": round(load.client_cpu_seconds, 1),
                "floor_client_cpu_s": round(floor.client_cpu_seconds, 1),
            },
            goal=GOAL,
            goal_met=ratio is not None and ratio >= 0.5 and p99 is not None and p99 <= 25,
        )
    ]
