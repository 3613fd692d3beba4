"""write_single_province (ghi vào một tỉnh): `castVote` mutations over HTTP, 16 concurrent
clients, one province.

Floor: one-row insert transactions, sequential, into an events-like table with the same
EXCLUSIVE lock and hash-chain trigger, carrying the very rows the product wrote (`bench.floors`).
Peer: plain `eventsourcing` sequential saves (`bench.peer`), reported as its own row.
"""

from __future__ import annotations

import asyncio
import statistics

import asyncpg

from bench.context import BenchContext, CaseUnavailable
from bench.floors import insert_floor, sample_rows
from bench.load import LoadResult
from bench.peer import eventsourcing_peer
from bench.results import CaseResult, percentile_ms
from bench.workloads import VotingWorkload, events_table, measure_votes

GOAL = "≥ 0.5 of floor, p99 ≤ 50 ms"
FLOOR_S = 5.0
FLOOR_NAME = "asyncpg 1-row insert txns, same lock, sequential"


async def run(ctx: BenchContext) -> list[CaseResult]:
    options = ctx.options
    params = await asyncio.to_thread(ctx.server.fresh, "bench_write_single")
    workload = await asyncio.to_thread(VotingWorkload.seed, params, ["bench-w1"], options)
    load: LoadResult | None = None
    unavailable = ""
    try:
        load = await measure_votes(ctx, params, workload, clients=options.write_clients)
    except CaseUnavailable as exc:
        unavailable = str(exc)  # the floor and the peer figure are still worth having
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        table = events_table("bench-w1")
        # The product's own vote events; the seeded ballots when the product could not run.
        rows = await sample_rows(conn, table, after=workload.seeded_positions["bench-w1"])
        rows = rows or await sample_rows(conn, table)
        floor = await insert_floor(conn, rows, duration=FLOOR_S)
    finally:
        await conn.close()
    payload = int(statistics.mean(len(r[3]) for r in rows)) if rows else 400
    peer = await asyncio.to_thread(eventsourcing_peer, params, duration=FLOOR_S, payload_bytes=payload)
    common = {"clients": options.write_clients, "duration_s": options.duration, "event_bytes": payload}
    peer_result = CaseResult(
        name="eventsourcing_peer",
        value=round(peer.rate, 1),
        unit="saves/s",
        floor=round(floor.rate, 1),
        floor_name="same floor as write_single_province",
        p50_ms=percentile_ms(peer.latencies, 50),
        p99_ms=percentile_ms(peer.latencies, 99),
        params={**common, "saves": peer.saves, "chain_trigger": True},
        note="plain eventsourcing Application.save, one event per save, sequential (peer figure)",
    )
    if load is None:
        skipped = CaseResult.skipped("write_single_province", "mutations/s", unavailable, GOAL)
        skipped.floor, skipped.floor_name = round(floor.rate, 1), FLOOR_NAME
        return [skipped, peer_result]
    p99 = percentile_ms(load.latencies, 99)
    value = load.rate
    ratio = value / floor.rate if floor.rate else None
    return [
        CaseResult(
            name="write_single_province",
            value=round(value, 1),
            unit="mutations/s",
            floor=round(floor.rate, 1),
            floor_name=FLOOR_NAME,
            ratio=None if ratio is None else round(ratio, 3),
            p50_ms=percentile_ms(load.latencies, 50),
            p99_ms=p99,
            params={
                **common,
                "mutations": load.requests,
                "failures": load.failures,
                "first_failure": load.first_failure,
                "events_per_mutation": workload.events_per_request,
                "floor_p50_ms": percentile_ms(floor.latencies, 50),
                "client_cpu_s": round(load.client_cpu_seconds, 1),
                **workload.server_cpu,
            },
            goal=GOAL,
            goal_met=ratio is not None and ratio >= 0.5 and p99 is not None and p99 <= 50,
        ),
        peer_result,
    ]
