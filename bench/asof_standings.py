"""Standings as an auditor asks for them (bảng xếp hạng tại một thời điểm) on the large province:
`standings(blockId, year, asOf:)` (what the ledger knew at an instant) or `effectiveOn:` (what had
taken effect by a day), over HTTP, `--asof-clients` concurrent clients, each request another
block-year of the province and another instant within that year.

Floor: the rows such a replay folds (the block-year's, its scoring table's and its ballot's
audit-trail entries up to the instant), read with asyncpg by the same number of clients, in one
indexed statement per request: the least a replay must fetch, without HTTP or folding. Every
request's rows are read once before either is measured, so neither pays for cold pages.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from bench.big_province import PROVINCE, projected_province
from bench.context import BenchContext, CaseUnavailable
from bench.load import LoadResult, closed_loop, graphql_check
from bench.profiling import profiled
from bench.results import CaseResult, percentile_ms
from bench.served import auth_headers, product_server, token
from thidua.domain.ids import aggregate_id
from thidua.projections.audit.projection import TABLE as AUDIT_TABLE
from thidua.projections.standings.projection import DOCS
from thidua.projections.standings.reducer import BLOCK_YEAR

GOAL = "p99 ≤ 100 ms"
REQUESTS = 2_000  # distinct (block-year, instant) pairs, cycled through

QUERY = """
query StandingsThen($block: String!, $year: Int!, $asOf: DateTime, $effectiveOn: Date) {
  standings(blockId: $block, year: $year, asOf: $asOf, effectiveOn: $effectiveOn) {
    block year position members countMismatch leadingUnits leadingMethod
    lines {
      unit name selfScores checkedScores selfTotal bonus deductions total classification
      belowFloor rank tied tieNote adjustments leading member
    }
    officers { leader deputy method ballot }
    ballots { key purpose subject status eligible cast counts outcome winner tied }
  }
}
"""

# The rows a replay folds, as one statement (the floor's query).
FLOOR_SQL = (
    "SELECT position, aggregate_id, aggregate_version, event_type, recorded_at, effective_on, "
    "actor_user, actor_role, actor_unit, correlation_id, payload::text "
    f"FROM readmodel.{AUDIT_TABLE} WHERE province = $1 AND aggregate_id = ANY($2::uuid[]) "
    "AND ($3::timestamptz IS NULL OR recorded_at <= $3) "
    "AND ($4::date IS NULL OR effective_on IS NULL OR effective_on <= $4) ORDER BY position"
)


@dataclass(frozen=True)
class Then:
    """One request: a block's year, seen at an instant (`as_of`) or on a day (`effective_on`)."""

    block: str
    year: int
    as_of: datetime | None
    effective_on: date | None

    def variables(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "year": self.year,
            "asOf": None if self.as_of is None else self.as_of.isoformat(),
            "effectiveOn": None if self.effective_on is None else self.effective_on.isoformat(),
        }

    def aggregate_ids(self) -> list[Any]:
        key = f"{self.block}/{self.year}"
        return [
            aggregate_id(PROVINCE, "block-year", key),
            aggregate_id(PROVINCE, "scoring", key),
            aggregate_id(PROVINCE, "ballot", f"{key}/leading"),  # the generator's one ballot
        ]


async def _block_years(params: Any) -> list[tuple[str, int]]:
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        rows = await conn.fetch(
            f"SELECT key, year FROM readmodel.{DOCS.name} "
            "WHERE province = $1 AND kind = $2 ORDER BY key",
            PROVINCE,
            BLOCK_YEAR,
        )
    finally:
        await conn.close()
    return [(str(r[0]).rpartition("/")[0], int(r[1])) for r in rows]


def plan(block_years: list[tuple[str, int]], kind: str, count: int = REQUESTS, seed: int = 11) -> list[Then]:
    """`count` requests: a random block-year each, at a random moment from February to the end
    of that year (the block's year is opened in January, so the answer is never empty)."""
    rng = random.Random(seed)
    chosen = []
    for _ in range(count):
        block, year = rng.choice(block_years)
        start = datetime(year, 2, 1, tzinfo=UTC)
        moment = start + timedelta(seconds=rng.randrange(330 * 86_400))
        if kind == "as_of":
            chosen.append(Then(block, year, moment, None))
        else:
            chosen.append(Then(block, year, None, moment.date()))
    return chosen


def standings_check(body: bytes) -> str | None:
    reason = graphql_check(body)
    if reason is None and b'"standings":null' in body:
        return "standings: null"
    return reason


async def warm(params: Any, requests: list[Then]) -> None:
    """Read every request's rows once before either side is measured: the first of them would
    otherwise read the trail's pages (over 1 GB on the large province) from disk for the other."""
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        statement = await conn.prepare(FLOOR_SQL)
        for then in requests:
            await statement.fetch(PROVINCE, then.aggregate_ids(), then.as_of, then.effective_on)
    finally:
        await conn.close()


async def floor_load(
    params: Any, requests: list[Then], *, clients: int, duration: float, warmup: float
) -> LoadResult:
    """The replay's rows read with asyncpg, `clients` connections in a closed loop."""
    result = LoadResult()
    conns = [await asyncpg.connect(**params.asyncpg_kwargs()) for _ in range(clients)]
    counter = itertools.count()
    start = time.perf_counter()
    counting_from = start + warmup
    stop_at = counting_from + duration

    async def client(conn: asyncpg.Connection) -> None:
        statement = await conn.prepare(FLOOR_SQL)
        while True:
            then = requests[next(counter) % len(requests)]
            began = time.perf_counter()
            if began >= stop_at:
                return
            await statement.fetch(PROVINCE, then.aggregate_ids(), then.as_of, then.effective_on)
            ended = time.perf_counter()
            result.attempted += 1
            if began >= counting_from:
                result.requests += 1
                result.latencies.append(ended - began)

    try:
        await asyncio.gather(*(client(c) for c in conns))
    finally:
        for conn in conns:
            await conn.close()
    result.seconds = time.perf_counter() - counting_from
    return result


async def run_then(ctx: BenchContext, kind: str) -> list[CaseResult]:
    """The case `query_standings_<kind>` (kind: as_of or effective_on)."""
    options = ctx.options
    name = f"query_standings_{kind}"
    params, events = await projected_province(ctx)
    block_years = await _block_years(params)
    if not block_years:
        msg = f"the large province of {events:,} events has no block-year yet: raise --events"
        raise CaseUnavailable(msg)
    requests = plan(block_years, kind)
    await warm(params, requests)
    headers = auth_headers(token(PROVINCE, "auditor", user="bench-auditor"))
    bodies = [json.dumps({"query": QUERY, "variables": then.variables()}).encode() for then in requests]
    product = product_server(
        params,
        options.logs_dir,
        name=name,
        log_level=options.server_log_level,
        workers=options.server_workers,
        variant=options.variant,
    )
    async with product:
        cpu_before = product.cpu_seconds()
        seconds = options.duration + options.warmup
        async with profiled(product.pid, options.profile_path(name), seconds, enabled=options.profile):
            load = await closed_loop(
                product.url,
                lambda c, n: ("/graphql", headers, bodies[(c * 7919 + n) % len(bodies)]),
                clients=options.asof_clients,
                duration=options.duration,
                warmup=options.warmup,
                check=standings_check,
            )
        server_cpu = product.cpu_seconds() - cpu_before
    floor = await floor_load(
        params, requests, clients=options.asof_clients, duration=options.duration, warmup=options.warmup
    )
    p99 = percentile_ms(load.latencies, 99)
    return [
        CaseResult(
            name=name,
            value=round(load.rate, 1),
            unit="queries/s",
            floor=round(floor.rate, 1),
            floor_name="the replay's audit rows read with asyncpg, one statement",
            p50_ms=percentile_ms(load.latencies, 50),
            p99_ms=p99,
            params={
                "events": events,
                "clients": options.asof_clients,
                "distinct_requests": len(requests),
                "queries": load.requests,
                "failures": load.failures,
                "first_failure": load.first_failure,
                "floor_p50_ms": percentile_ms(floor.latencies, 50),
                "floor_p99_ms": percentile_ms(floor.latencies, 99),
                "server_cpu_s": round(server_cpu, 1),
                "client_cpu_s": round(load.client_cpu_seconds, 1),
            },
            goal=GOAL,
            goal_met=p99 is not None and p99 <= 100 and load.failures == 0,
        )
    ]
