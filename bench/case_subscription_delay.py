"""subscription_delay (độ trễ theo dõi trực tiếp): time from a mutation's response to the
`standingsChanged` message that shows it, at each of `--subscribers` WebSocket subscribers of
the block, under the same steady write load as `freshness` (`--freshness-rate` writes/s).

Up to ten times a second, one at a time, a `crossCheckAssessment` sets a criterion of the block
to a value never used before; each subscriber notes when a message shows it. The steady load is
`castVote` mutations in another block of the same province: they move the province's
projections (so every subscriber is woken and looks) without changing the block. Figure: p50 and
p99 over every (probe, subscriber); `value` is the p99 in ms. A message that arrives before the
mutation's response counts as 0 ms (`arrived_before_answer` says how many). No floor: the goal
is absolute, as for freshness (p99 ≤ 100 ms); a feed that polled every 0.5 s would show a p50
near 250 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.context import BenchContext
from bench.load import paced
from bench.rawhttp import RawPool
from bench.results import CaseResult, percentile_ms
from bench.seed_standings import StandingsBlock, seed_standings
from bench.served import auth_headers, product_server, token
from bench.standings_api import CROSS_CHECK, cross_check_variables
from bench.workloads import CAST_VOTE, VotingWorkload, cast_vote_variables, mutation_check, require_fields

PROVINCE = "bench-s1"
PROBES_PER_S = 10.0
PROBE_TIMEOUT_S = 5.0
ITEM = "tc3"
GOAL = "p99 ≤ 100 ms"
SUBSCRIPTION = """
subscription Live($block: String!, $year: Int!) {
  standingsChanged(key: $block, year: $year) { position lines { unit checkedScores } }
}
"""


def shown_points(message: dict[str, Any], unit: str) -> float | None:
    """The cross-checked points of `unit` on ITEM in a `next` message, None when absent."""
    data = (message.get("payload") or {}).get("data") or {}
    for line in (data.get("standingsChanged") or {}).get("lines") or []:
        if line.get("unit") == unit:
            scores = line.get("checkedScores") or {}
            if isinstance(scores, str):
                scores = json.loads(scores)
            criteria = scores.get("criterion", scores) if isinstance(scores, dict) else {}
            value = criteria.get(ITEM) if isinstance(criteria, dict) else None
            return None if value is None else float(value)
    return None


class Subscribers:
    """The subscribers; each notes when it first sees the probe in flight."""

    def __init__(self, url: str, block: StandingsBlock, count: int) -> None:
        self.url = url.replace("http://", "ws://") + "/graphql"
        self.block = block
        self.count = count
        self.bearer = token(PROVINCE, "block_officer", user="bench-live")
        self.expected: tuple[str, float] | None = None
        self.seen: dict[int, float] = {}
        self.all_seen = asyncio.Event()
        self.messages = 0
        self.failure: str | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._ready = 0
        self._all_ready = asyncio.Event()

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._follow(n)) for n in range(self.count)]
        await asyncio.wait_for(self._all_ready.wait(), 60)
        if self.failure is not None:
            raise RuntimeError(self.failure)

    def expect(self, unit: str, points: float) -> None:
        self.expected = (unit, points)
        self.seen = {}
        self.all_seen.clear()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _follow(self, n: int) -> None:
        try:
            await self._receive(n)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failure = self.failure or f"{type(exc).__name__}: {exc}"[:300]
            self._all_ready.set()  # never leave start() waiting on a subscriber that failed

    async def _receive(self, n: int) -> None:
        protocols = [Subprotocol("graphql-transport-ws")]
        async with connect(self.url, subprotocols=protocols, max_size=None, open_timeout=30) as ws:
            await self._open(ws, n)
            async for raw in ws:
                arrived = time.perf_counter()
                message = json.loads(raw)
                if message.get("type") != "next":
                    msg = f"subscriber {n}: {str(message)[:300]}"
                    raise RuntimeError(msg)
                self.messages += 1
                expected = self.expected
                if expected is None or n in self.seen:
                    continue
                if shown_points(message, expected[0]) == expected[1]:
                    self.seen[n] = arrived
                    if len(self.seen) == self.count:
                        self.all_seen.set()

    async def _open(self, ws: ClientConnection, n: int) -> None:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {self.bearer}"}}
        await ws.send(json.dumps(init))
        ack = json.loads(await ws.recv())
        if ack.get("type") != "connection_ack":
            msg = f"subscriber {n} refused: {ack}"
            raise RuntimeError(msg)
        variables = {"block": self.block.block, "year": self.block.year}
        payload = {"query": SUBSCRIPTION, "variables": variables}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        first = json.loads(await ws.recv())  # the standings as they are now
        if first.get("type") != "next":
            msg = f"subscriber {n}: {str(first)[:300]}"
            raise RuntimeError(msg)
        self._ready += 1
        if self._ready == self.count:
            self._all_ready.set()


class Probes:
    def __init__(self, client: RawPool, block: StandingsBlock, subscribers: Subscribers) -> None:
        self.client = client
        self.block = block
        self.subscribers = subscribers
        self.admin = auth_headers(token(PROVINCE, "province_admin", user="bench-board"))
        self.delays: list[float] = []
        self.early = 0
        self.timeouts = 0
        self.refused = 0
        self.first_refusal: str | None = None

    async def run(self, seconds: float) -> None:
        begin = time.perf_counter()
        n = 0
        while (now := time.perf_counter()) < begin + seconds:
            await asyncio.sleep(max(0.0, begin + n / PROBES_PER_S - now))
            await self.probe(n)
            n += 1

    async def probe(self, n: int) -> None:
        unit = self.block.units[n % len(self.block.units)]
        points = 10.0 + (n % 1000) / 100
        self.subscribers.expect(unit, points)
        body = {"query": CROSS_CHECK,
                "variables": cross_check_variables(self.block.block, self.block.year, unit, ITEM, points)}
        status, answer = await self.client.post("/graphql", self.admin, json.dumps(body).encode())
        answered = time.perf_counter()
        reason = f"HTTP {status}" if status != 200 else mutation_check("crossCheckAssessment")(answer)
        if reason is not None:
            self.refused += 1
            self.first_refusal = self.first_refusal or reason
            return
        try:
            await asyncio.wait_for(self.subscribers.all_seen.wait(), PROBE_TIMEOUT_S)
        except TimeoutError:
            self.timeouts += 1
        for arrived in self.subscribers.seen.values():
            self.early += arrived < answered
            self.delays.append(max(0.0, arrived - answered))


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("standingsChanged", "crossCheckAssessment", "castVote")
    options = ctx.options
    samples_s = max(options.duration, options.freshness_samples / PROBES_PER_S)
    params = await asyncio.to_thread(ctx.server.fresh, "bench_subscriptions")
    block = await asyncio.to_thread(seed_standings, params, PROVINCE, options.block_units)
    votes = await asyncio.to_thread(VotingWorkload.seed, params, [PROVINCE], options)
    make_vote = votes.open_loop_factory(CAST_VOTE, cast_vote_variables)
    vote_rate = options.freshness_rate - PROBES_PER_S
    server = product_server(params, options.logs_dir, name="subscription_delay",
                            log_level=options.server_log_level, workers=options.server_workers,
                            variant=options.variant)
    failures: dict[str, Any] = {"votes": 0, "first": None, "done": 0}
    async with server:
        client = RawPool(server.url)
        subscribers = Subscribers(server.url, block, options.subscribers)
        await subscribers.start()
        probes = Probes(client, block, subscribers)
        check = mutation_check("castVote")

        async def vote(n: int) -> None:
            path, headers, body = make_vote(0, n)
            status, answer = await client.post(path, headers, body)
            reason = f"HTTP {status}" if status != 200 else check(answer)
            failures["done"] += 1
            if reason is not None:
                failures["votes"] += 1
                failures["first"] = failures["first"] or reason

        await asyncio.sleep(options.warmup)
        (started, skipped), _ = await asyncio.gather(paced(vote_rate, samples_s, vote), probes.run(samples_s))
        await subscribers.stop()
        await client.close()
    p99 = percentile_ms(probes.delays, 99)
    sustained = (failures["done"] - failures["votes"]) / samples_s
    return [
        CaseResult(
            name="subscription_delay",
            value=p99,
            unit="ms (p99)",
            p50_ms=percentile_ms(probes.delays, 50),
            p99_ms=p99,
            params={
                "subscribers": options.subscribers,
                "writes_per_s": options.freshness_rate,
                "sustained_votes_per_s": round(sustained, 1),
                "probes": len(probes.delays) // max(1, options.subscribers),
                "deliveries": len(probes.delays),
                "arrived_before_answer": probes.early,
                "probe_timeouts": probes.timeouts,
                "probe_refused": probes.refused,
                "first_refusal": probes.first_refusal,
                "messages": subscribers.messages,
                "subscriber_failure": subscribers.failure,
                "votes_started": started,
                "votes_skipped": skipped,
                "vote_failures": failures["votes"],
                "first_vote_failure": failures["first"],
                "seconds": samples_s,
            },
            goal=GOAL,
            goal_met=p99 is not None and p99 <= 100 and probes.timeouts == 0 and subscribers.failure is None,
            note="no floor: the goal is an absolute delay",
        )
    ]
