"""decide_large_decision (quyết định khen thưởng hàng trăm người): `decideAward` over HTTP, each
request one decision granting Giấy khen to `--decision-recipients` units (500 by default), one
client (a province records its decisions one after another: they share its insert lock). Figure:
decisions per second and the p99 latency of one decision (the issue sets no target).

Each decision is for another achievement year (a unit holds Giấy khen once a year), so every
request does the whole work: load the 500 units, their records and disciplinary files, check each,
price each, then record the decision and the 500 titles in one transaction.

Floor: COPY of the very rows the product wrote, one transaction per decision, sequential
(`bench.floors.copy_floor`).
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

import asyncpg
import httpx

from bench.context import BenchContext
from bench.floors import copy_floor, sample_rows
from bench.load import RequestFactory, closed_loop
from bench.profiling import profiled
from bench.results import CaseResult, percentile_ms
from bench.served import auth_headers, product_server, token
from bench.workloads import (
    events_table,
    head_position,
    mutation_check,
    open_registry,
    provenance,
    require_fields,
)
from thidua.services.database import ConnectionParams

PROVINCE = "bench-qd"
GOAL = "p99 of a 500-recipient decision (no target set)"
FIRST_YEAR = 1950
YEARS = 250  # 1950..2199: a year the domain accepts for each decision

DECIDE_AWARD = """
mutation Decide($input: DecideAwardInput!) {
  decideAward(input: $input) { ok position errors { code message } }
}
"""


def seed_units(params: ConnectionParams, province: str, count: int) -> tuple[list[str], int]:
    """`count` units registered through the services layer; the head position after."""
    registry = open_registry(params, [province])
    try:
        app = registry.app(province)
        admin = provenance("board", "province_admin", None, date(FIRST_YEAR - 1, 1, 2))
        units = [f"dv-{i:04d}" for i in range(count)]
        for key in units:
            app.register_unit(key=key, name=f"Đơn vị số {key[3:]}", by=admin)
    finally:
        registry.close()
    return units, head_position(params, province)


async def open_award_records(url: str, make: RequestFactory) -> None:
    """One decision before the measured ones: the first grant to each unit also opens its award
    record (500 more events and aggregates), a one-off cost that would otherwise fill the warm-up
    and the window with a single request. Client 0 never reaches year 2199 within a run."""
    path, headers, body = make(0, YEARS - 1)
    async with httpx.AsyncClient(base_url=url, timeout=300.0) as client:
        response = await client.post(path, headers=headers, content=body)
    reply = response.json()
    if response.status_code != 200 or not reply["data"]["decideAward"]["ok"]:
        raise RuntimeError(f"the opening decision was refused: {response.text[:500]}")


def request_factory(province: str, units: list[str]) -> RequestFactory:
    headers = auth_headers(token(province, "province_admin", user="ban-tdkt"))
    recipients = [{"kind": "unit", "key": key} for key in units]

    def make(client: int, n: int) -> tuple[str, dict[str, Any], bytes]:
        year = FIRST_YEAR + n % YEARS
        decision = {
            "number": f"{n + 1}/QĐ-GK-{client}",
            "signer": "Giám đốc Sở Nội vụ",
            "authority": "head_of_agency",
            "award": "giay_khen",
            "year": year,
            "recipients": recipients,
            "effectiveOn": f"{year}-12-20",
        }
        body = {"query": DECIDE_AWARD, "variables": {"input": decision}}
        return "/graphql", headers, json.dumps(body).encode()

    return make


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("decideAward")
    options = ctx.options
    size = options.decision_recipients
    params = await asyncio.to_thread(ctx.server.fresh, "bench_large_decision")
    units, seeded = await asyncio.to_thread(seed_units, params, PROVINCE, size)
    make = request_factory(PROVINCE, units)
    server = product_server(params, options.logs_dir, name="decide", log_level=options.server_log_level,
                            workers=options.server_workers, variant=options.variant)
    async with server:
        await open_award_records(server.url, make)
        seeded = await asyncio.to_thread(head_position, params, PROVINCE)
        cpu_before = server.cpu_seconds()
        async with profiled(server.pid, options.profile_path("decide"), options.duration + options.warmup,
                            enabled=options.profile):
            load = await closed_loop(
                server.url, make, clients=1, duration=options.duration, warmup=options.warmup,
                check=mutation_check("decideAward"), request_timeout=120.0,
            )
        server_cpu = server.cpu_seconds() - cpu_before
    written = await asyncio.to_thread(head_position, params, PROVINCE) - seeded
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        rows = await sample_rows(conn, events_table(PROVINCE), after=seeded, limit=max(written, 1))
        per_decision = max(1, round(len(rows) / max(load.attempted, 1)))
        batches = [rows[i : i + per_decision] for i in range(0, len(rows), per_decision)]
        floor = await copy_floor(conn, batches)
    finally:
        await conn.close()
    floor_rate = load.attempted / floor.seconds if floor.seconds else None
    p99 = percentile_ms(load.latencies, 99)
    return [
        CaseResult(
            name="decide_large_decision",
            value=round(load.rate, 2),
            unit="decisions/s",
            floor=None if floor_rate is None else round(floor_rate, 1),
            floor_name="COPY of the same rows, one txn per decision, same lock",
            p50_ms=percentile_ms(load.latencies, 50),
            p99_ms=p99,
            params={
                "recipients": size,
                "requests": load.requests,
                "failures": load.failures,
                "first_failure": load.first_failure,
                "events_written": written,
                "server_cpu_s": round(server_cpu, 1),
            },
            goal=GOAL,
            goal_met=None,
        )
    ]
