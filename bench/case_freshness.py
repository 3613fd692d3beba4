"""freshness (độ tươi): time from a mutation's response to its effect being visible in
`standings`, under a steady `--freshness-rate` writes/s (200 by default).

The steady load is `castVote` mutations paced in open loop (a slow server shows up as skipped
starts, counted). Up to ten times a second, one at a time, a `crossCheckAssessment` on the
queried block is sent instead; the prober then reads `standings` every PROBE_EVERY_S until the
new points show, without `atLeastPosition` (the wait a client would see). Figure: p50 and p99 of that
delay; `value` is the p99 in ms. There is no floor: the goal is absolute (p99 ≤ 100 ms).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from bench.context import BenchContext
from bench.load import paced
from bench.profiling import profiled
from bench.rawhttp import RawPool
from bench.results import CaseResult, percentile_ms
from bench.seed_standings import seed_standings
from bench.served import auth_headers, product_server, token
from bench.standings_api import CROSS_CHECK, STANDINGS_QUERY, checked_points, cross_check_variables
from bench.workloads import CAST_VOTE, VotingWorkload, cast_vote_variables, mutation_check, require_fields

PROVINCE = "bench-f1"
PROBES_PER_S = 10.0
PROBE_EVERY_S = 0.005
PROBE_TIMEOUT_S = 5.0
ITEM = "tc2"
GOAL = "p99 ≤ 100 ms"


class Freshness:
    """The probes: each sets a criterion to a value never used before, then watches standings."""

    def __init__(self, client: RawPool, block: Any, standings_body: bytes) -> None:
        self.client = client
        self.block = block
        self.standings_body = standings_body
        self.admin = auth_headers(token(PROVINCE, "province_admin", user="bench-board"))
        self.delays: list[float] = []
        self.timeouts = 0
        self.refused = 0
        self.first_refusal: str | None = None

    async def run(self, seconds: float) -> None:
        """One probe at a time, started every 1/PROBES_PER_S s (or as soon as the last ends):
        probes all write the one scoring aggregate, and overlapping writes would conflict."""
        begin = time.perf_counter()
        n = 0
        while (now := time.perf_counter()) < begin + seconds:
            await asyncio.sleep(max(0.0, begin + n / PROBES_PER_S - now))
            await self.probe(n)
            n += 1

    async def probe(self, n: int) -> None:
        unit = self.block.units[n % len(self.block.units)]
        points = 10.0 + (n % 1000) / 100  # unique per probe: a refusal never cascades
        body = {"query": CROSS_CHECK,
                "variables": cross_check_variables(self.block.block, self.block.year, unit, ITEM, points)}
        status, answer = await self.client.post("/graphql", self.admin, json.dumps(body).encode())
        answered = time.perf_counter()
        reason = f"HTTP {status}" if status != 200 else mutation_check("crossCheckAssessment")(answer)
        if reason is not None:
            self.refused += 1
            self.first_refusal = self.first_refusal or reason
            return
        while time.perf_counter() - answered < PROBE_TIMEOUT_S:
            _, seen = await self.client.post("/graphql", self.admin, self.standings_body)
            if checked_points(seen, unit, ITEM) == points:
                self.delays.append(time.perf_counter() - answered)
                return
            await asyncio.sleep(PROBE_EVERY_S)
        self.timeouts += 1


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("standings", "crossCheckAssessment", "castVote")
    options = ctx.options
    samples_s = max(options.duration, options.freshness_samples / PROBES_PER_S)
    params = await asyncio.to_thread(ctx.server.fresh, "bench_freshness")
    block = await asyncio.to_thread(seed_standings, params, PROVINCE, options.block_units)
    votes = await asyncio.to_thread(VotingWorkload.seed, params, [PROVINCE], options)
    vote_rate = options.freshness_rate - PROBES_PER_S
    make_vote = votes.open_loop_factory(CAST_VOTE, cast_vote_variables)
    variables = {"block": block.block, "year": block.year}
    standings_body = json.dumps({"query": STANDINGS_QUERY, "variables": variables}).encode()
    server = product_server(params, options.logs_dir, name="freshness", log_level=options.server_log_level,
                            workers=options.server_workers, variant=options.variant)
    failures: dict[str, Any] = {"votes": 0, "first": None, "done": 0}
    async with server:
        client = RawPool(server.url)
        meter = Freshness(client, block, standings_body)
        check = mutation_check("castVote")

        async def vote(n: int) -> None:
            path, headers, body = make_vote(0, n)
            status, answer = await client.post(path, headers, body)
            reason = f"HTTP {status}" if status != 200 else check(answer)
            failures["done"] += 1
            if reason is not None:
                failures["votes"] += 1
                failures["first"] = failures["first"] or reason

        await asyncio.sleep(options.warmup)  # the projections catch up with the seed meanwhile
        path = options.profile_path("freshness")
        async with profiled(server.pid, path, samples_s, enabled=options.profile):
            (started, skipped), _ = await asyncio.gather(
                paced(vote_rate, samples_s, vote), meter.run(samples_s)
            )
        await client.close()
    p99 = percentile_ms(meter.delays, 99)
    sustained = (failures["done"] - failures["votes"] + len(meter.delays)) / samples_s
    note = "no floor: the goal is an absolute delay"
    if sustained < 0.9 * options.freshness_rate:
        note += (f"; the server sustained only {sustained:.0f} of the {options.freshness_rate:.0f} writes/s "
                 "offered, so the delay includes queueing behind the backlog")
    return [
        CaseResult(
            name="freshness",
            value=p99,
            unit="ms (p99)",
            p50_ms=percentile_ms(meter.delays, 50),
            p99_ms=p99,
            params={
                "writes_per_s": options.freshness_rate,
                "probes": len(meter.delays),
                "probe_timeouts": meter.timeouts,
                "probe_refused": meter.refused,
                "first_refusal": meter.first_refusal,
                "sustained_writes_per_s": round(sustained, 1),
                "votes_started": started,
                "votes_skipped": skipped,
                "vote_failures": failures["votes"],
                "first_vote_failure": failures["first"],
                "poll_interval_ms": PROBE_EVERY_S * 1000,
                "seconds": samples_s,
            },
            goal=GOAL,
            goal_met=p99 is not None and p99 <= 100 and meter.timeouts == 0,
            note=note,
        )
    ]

