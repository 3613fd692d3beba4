"""hosted_instance (một máy chủ cho cả nước): the 34 provinces of Vietnam since 1 Jul 2025, each
of realistic size, on one instance (one `thidua serve`, one PostgreSQL), under the mixed load of
the busiest week of the year (the year-end week); p50/p99 per operation, the rate sustained, and
the CPU and memory of the server processes and of PostgreSQL.

Size of a province (stated, from docs/domain.md and the scenarios): 300 units (about 200
provincial agencies and units in blocks of about 10, as Nghệ An's blocks of 8–11 members, plus
about 100 communes: 3,321 communes and wards / 34 provinces), 30 staff each (9,000 staff rated
every month), 30 blocks; two years of history (2025, 2026) through `bench.datagen`'s yearly
cycle (registrations, block years with pledges, officers, reviews and an open ballot, monthly
rating sheets with about 3 % corrections, year-end staff ratings): about 43,000 events a
province, 1.5 million on the instance, plus a scored block of 20 units per province. One
province is generated through the domain and projected, the 33 others are SQL clones of it
(`bench.cloned_instance`); the database is cached under var/bench and copied for each run.

The rate (the year-end week, estimated): 5 working days of 8 hours. Each unit's clerk records
in that week the December rating sheet and its corrections, the self-assessment, the block's
votes (classification, leading units, next year's officers), pledges and title registrations
for the next year and the unit's proposals: about WRITES_PER_UNIT_WEEK writes. Work bunches
before the deadline: the busiest hour carries PEAK_HOUR_FACTOR × the week's average hour. Every
write is followed by STANDINGS_PER_WRITE looks at the block's standings (the clerk, the block's
officers, the board). Each province's board and inspectors (AUDITORS_PER_PROVINCE) read the
audit trail a page every AUDIT_PAGE_EVERY_S at the peak, and ask an as-of question ("what did the
standings show on the day of the vote") every ASOF_EVERY_S. `--hosted-scale` multiplies it all.

Load: an open loop (requests started at the offered rate whatever the answers, so a slow server
shows as latency and skips, not as a lower offered rate), spread over every province at random.
Writes: half `recordMonthlyRatings` (a unit's sheet for a month not yet rated), half
`crossCheckAssessment` on the scored block. Reads: `standings` (the scored block or one of the
30 generated blocks' years), `standings(asOf:)` on a generated block-year, `auditTrail` pages
(the province's newest page, the next page of an earlier answer, or a unit's trail).

No floor: the reference is the offered rate (ratio = served / offered). Goal (ours, the issue
states none): the offered rate served without failures or skips, and every operation's p99
within the goal of its own case (writes ≤ 50 ms, standings ≤ 25 ms, as-of ≤ 100 ms) or, for
audit pages, ≤ 100 ms.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.asof_standings import QUERY as ASOF_QUERY
from bench.asof_standings import standings_check
from bench.case_write_bulk_ratings import RECORD_MONTHLY_RATINGS
from bench.cloned_instance import Instance, InstancePlan, working_instance
from bench.context import BenchContext
from bench.datagen import Shape
from bench.load import graphql_check, paced
from bench.profiling import profiled
from bench.resources import Usage, postmaster_pid, watched
from bench.results import CaseResult, percentile_ms
from bench.seed_ratings import scores_within_cap
from bench.seed_standings import BLOCK, CRITERIA
from bench.served import auth_headers, product_server, token
from bench.standings_api import CROSS_CHECK, STANDINGS_QUERY, cross_check_variables
from bench.workloads import mutation_check, require_fields

# The size of a province.
UNITS = 300
STAFF_PER_UNIT = 30
BLOCK_SIZE = 10
FIRST_YEAR = 2025  # two years: 2025 and 2026, the current one
EVENTS_PER_PROVINCE = 43_000
SCORED_BLOCK_UNITS = 20

# The year-end week's rate, per province.
WORK_HOURS_WEEK = 5 * 8
# December sheet and corrections 2, self-assessment 2, votes 10, pledges and registrations 8,
# proposals 2, the block's cross-check of the unit 1.
WRITES_PER_UNIT_WEEK = 25
PEAK_HOUR_FACTOR = 3.0
STANDINGS_PER_WRITE = 4
AUDITORS_PER_PROVINCE = 7  # the board's staff (5) and inspectors (2)
AUDIT_PAGE_EVERY_S = 30.0
ASOF_EVERY_S = 60.0

IDLE_S = 5.0
GOALS_MS = {"write": 50.0, "standings": 25.0, "as_of": 100.0, "audit_page": 100.0}
GOAL = "offered rate served, p99 within each operation's goal"

AUDIT_PAGE = """
query Trail($first: Int, $after: String, $filter: AuditFilter) {
  auditTrail(first: $first, after: $after, filter: $filter) {
    edges {
      cursor
      node { position recordedAt effectiveOn aggregateType eventType actorUser actorRole summary }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
ADMIN = "province_admin"


def province_codes(count: int) -> list[str]:
    return [f"tinh-{n:02d}" for n in range(1, count + 1)]


def instance_plan(provinces: int) -> InstancePlan:
    codes = province_codes(provinces)
    shape = Shape(units=UNITS, staff_per_unit=STAFF_PER_UNIT, block_size=BLOCK_SIZE, first_year=FIRST_YEAR)
    return InstancePlan("hosted", codes[0], tuple(codes[1:]), EVENTS_PER_PROVINCE, shape,
                        standings_units=SCORED_BLOCK_UNITS)


@dataclass(frozen=True)
class Rates:
    """Requests per second offered to the whole instance, per operation."""

    write: float
    standings: float
    as_of: float
    audit_page: float

    @classmethod
    def year_end(cls, provinces: int, scale: float) -> Rates:
        writes = UNITS * WRITES_PER_UNIT_WEEK / WORK_HOURS_WEEK * PEAK_HOUR_FACTOR / 3600 * provinces * scale
        return cls(
            write=writes,
            standings=writes * STANDINGS_PER_WRITE,
            as_of=provinces / ASOF_EVERY_S * scale,
            audit_page=provinces * AUDITORS_PER_PROVINCE / AUDIT_PAGE_EVERY_S * scale,
        )

    def as_dict(self) -> dict[str, float]:
        return {"write": self.write, "standings": self.standings, "as_of": self.as_of,
                "audit_page": self.audit_page}

    @property
    def total(self) -> float:
        return sum(self.as_dict().values())

    def estimate(self, provinces: int, scale: float) -> str:
        per_province_hour = UNITS * WRITES_PER_UNIT_WEEK / WORK_HOURS_WEEK * PEAK_HOUR_FACTOR
        return (
            f"year-end week estimate: {UNITS} units × {WRITES_PER_UNIT_WEEK} writes a week / "
            f"{WORK_HOURS_WEEK} h × peak hour {PEAK_HOUR_FACTOR:g} = {per_province_hour:.0f} writes/h a "
            f"province; × {provinces} provinces{f' × scale {scale:g}' if scale != 1 else ''} = "
            f"{self.write:.1f} writes/s; standings {STANDINGS_PER_WRITE} per write = {self.standings:.1f}/s; "
            f"audit pages {AUDITORS_PER_PROVINCE} readers a province, one page per "
            f"{AUDIT_PAGE_EVERY_S:g} s = {self.audit_page:.1f}/s; as-of one per {ASOF_EVERY_S:g} s a "
            f"province = {self.as_of:.1f}/s; total {self.total:.1f} req/s"
        )


@dataclass
class OpStats:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str | None = None
    skipped: int = 0
    started: int = 0

    def record(self, seconds: float, reason: str | None, counted: bool) -> None:
        if not counted:
            return
        if reason is None:
            self.latencies.append(seconds)
        else:
            self.failures += 1
            self.first_failure = self.first_failure or reason[:300]


class Workload:
    """Builds each operation's next request; remembers audit cursors to page on."""

    def __init__(self, provinces: list[str], years: list[int], seed: int = 19) -> None:
        self.provinces = provinces
        self.years = years
        self.rng = random.Random(seed)
        self.admin = {p: auth_headers(token(p, ADMIN, user=f"board-{p}")) for p in provinces}
        self.auditor = {p: auth_headers(token(p, "auditor", user=f"auditor-{p}")) for p in provinces}
        self.clerks: dict[tuple[str, str], dict[str, Any]] = {}
        self.months: dict[tuple[str, str], int] = {}
        self.checks: dict[tuple[str, str, str], int] = {}
        self.cursors: dict[str, str] = {}
        self.staff = [f"s{i:02d}" for i in range(STAFF_PER_UNIT)]

    def _body(self, query: str, variables: dict[str, Any]) -> bytes:
        return json.dumps({"query": query, "variables": variables}).encode()

    def write(self, n: int) -> tuple[dict[str, Any], bytes, str]:
        province = self.rng.choice(self.provinces)
        if n % 2 == 0:
            unit = f"u{self.rng.randrange(UNITS):04d}"
            key = (province, unit)
            slot = self.months.get(key, 0)
            self.months[key] = slot + 1
            if key not in self.clerks:
                clerk = token(province, "unit_clerk", unit=unit, user=f"clerk-{unit}")
                self.clerks[key] = auth_headers(clerk)
            scores = scores_within_cap(self.rng, [f"{unit}-{s}" for s in self.staff])
            ratings = [{"staff": s, "score": v} for s, v in scores.items()]
            variables = {"input": {"unit": unit, "year": self.years[-1] + 1 + slot // 12,
                                   "month": 1 + slot % 12, "scores": ratings}}
            return self.clerks[key], self._body(RECORD_MONTHLY_RATINGS, variables), "recordMonthlyRatings"
        unit = f"{BLOCK}-dv{self.rng.randrange(SCORED_BLOCK_UNITS):02d}"
        criterion = str(self.rng.choice(CRITERIA)["code"])
        # Half points, never twice the same in a row: the seed's points are whole, and setting
        # an item to the points it has is refused (ALREADY_RECORDED), which is no write.
        checked = self.checks.get((province, unit, criterion), 0)
        self.checks[(province, unit, criterion)] = checked + 1
        points = 12.5 + checked % 8
        variables = cross_check_variables(BLOCK, datetime.now(UTC).year, unit, criterion, points)
        return self.admin[province], self._body(CROSS_CHECK, variables), "crossCheckAssessment"

    def standings(self) -> tuple[dict[str, Any], bytes]:
        province = self.rng.choice(self.provinces)
        if self.rng.random() < 0.5:
            variables = {"block": BLOCK, "year": datetime.now(UTC).year}
        else:
            block = f"k{self.rng.randrange(UNITS // BLOCK_SIZE):03d}"
            variables = {"block": block, "year": self.rng.choice(self.years)}
        return self.admin[province], self._body(STANDINGS_QUERY, variables)

    def as_of(self) -> tuple[dict[str, Any], bytes]:
        province = self.rng.choice(self.provinces)
        year = self.rng.choice(self.years)
        moment = datetime(year, 2, 1, tzinfo=UTC) + timedelta(seconds=self.rng.randrange(300 * 86_400))
        block = f"k{self.rng.randrange(UNITS // BLOCK_SIZE):03d}"
        variables = {"block": block, "year": year, "asOf": moment.isoformat(), "effectiveOn": None}
        return self.auditor[province], self._body(ASOF_QUERY, variables)

    def audit_page(self) -> tuple[str, dict[str, Any], bytes]:
        province = self.rng.choice(self.provinces)
        pick = self.rng.random()
        variables: dict[str, Any] = {"first": 50}
        if pick < 0.4 and province in self.cursors:
            variables["after"] = self.cursors[province]
        elif pick < 0.7:
            variables["filter"] = {"subject": f"unit:u{self.rng.randrange(UNITS):04d}"}
        return province, self.auditor[province], self._body(AUDIT_PAGE, variables)

    def remember_cursor(self, province: str, body: bytes) -> None:
        try:
            info = json.loads(body)["data"]["auditTrail"]["pageInfo"]
        except (KeyError, TypeError, ValueError):
            return
        if info.get("hasNextPage") and info.get("endCursor"):
            self.cursors[province] = info["endCursor"]
        else:
            self.cursors.pop(province, None)


async def _offer(
    client: httpx.AsyncClient, rates: Rates, workload: Workload, *, warmup: float, duration: float
) -> dict[str, OpStats]:
    """Every operation at its rate, at once, for warmup + duration seconds (open loop)."""
    stats = {name: OpStats() for name in rates.as_dict()}
    counting_from = time.perf_counter() + warmup
    checks = {"recordMonthlyRatings": mutation_check("recordMonthlyRatings"),
              "crossCheckAssessment": mutation_check("crossCheckAssessment")}

    async def send(op: str, headers: dict[str, Any], body: bytes, check: Callable[[bytes], str | None],
                   after: Callable[[bytes], None] | None = None) -> None:
        began = time.perf_counter()
        reason: str | None
        try:
            response = await client.post("/graphql", content=body, headers=headers)
            reason = None if response.status_code == 200 else f"HTTP {response.status_code}"
            if reason is None:
                reason = check(response.content)
            if reason is None and after is not None:
                after(response.content)
        except httpx.HTTPError as exc:
            reason = f"{type(exc).__name__}: {exc}"
        stats[op].record(time.perf_counter() - began, reason, began >= counting_from)

    async def write(n: int) -> None:
        headers, body, field_name = workload.write(n)
        await send("write", headers, body, checks[field_name])

    async def standings(n: int) -> None:
        await send("standings", *workload.standings(), graphql_check)

    async def as_of(n: int) -> None:
        await send("as_of", *workload.as_of(), standings_check)

    async def audit_page(n: int) -> None:
        province, headers, body = workload.audit_page()
        await send("audit_page", headers, body, graphql_check,
                   lambda answer: workload.remember_cursor(province, answer))

    actions = {"write": write, "standings": standings, "as_of": as_of, "audit_page": audit_page}

    async def stream(op: str, rate: float) -> None:
        started, skipped = await paced(rate, warmup + duration, actions[op], max_in_flight=128)
        stats[op].started, stats[op].skipped = started, skipped

    await asyncio.gather(*(stream(op, rate) for op, rate in rates.as_dict().items() if rate > 0))
    return stats


async def _ready(client: httpx.AsyncClient, workload: Workload) -> None:
    """Wait until the server answers the standings of every province's scored block."""
    deadline = time.monotonic() + 120
    for province in workload.provinces:
        body = workload._body(STANDINGS_QUERY, {"block": BLOCK, "year": datetime.now(UTC).year})
        while True:
            answer = (await client.post("/graphql", content=body, headers=workload.admin[province])).content
            if b'"lines":[{' in answer.replace(b" ", b""):
                break
            if time.monotonic() > deadline:
                msg = f"{province}: standings not served: {answer[:300]!r}"
                raise RuntimeError(msg)
            await asyncio.sleep(0.2)


def _op_result(op: str, s: OpStats, offered: float, seconds: float) -> CaseResult:
    p99 = percentile_ms(s.latencies, 99)
    rate = len(s.latencies) / seconds if seconds > 0 else 0.0
    met = p99 is not None and p99 <= GOALS_MS[op] and s.failures == 0 and s.skipped == 0
    return CaseResult(
        name=f"hosted_instance.{op}",
        value=round(rate, 2),
        unit="req/s",
        floor=round(offered, 2),
        floor_name="offered",
        p50_ms=percentile_ms(s.latencies, 50),
        p99_ms=p99,
        params={"answered": len(s.latencies), "failures": s.failures, "skipped": s.skipped,
                "first_failure": s.first_failure, "goal_p99_ms": GOALS_MS[op]},
        goal=f"p99 ≤ {GOALS_MS[op]:g} ms, none failed or skipped",
        goal_met=met,
    )


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("standings", "auditTrail", "recordMonthlyRatings", "crossCheckAssessment")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    options = ctx.options
    provinces = province_codes(options.hosted_provinces)
    plan = instance_plan(options.hosted_provinces)
    instance = await working_instance(ctx, plan, "bench_hosted_run")
    rates = Rates.year_end(len(provinces), options.hosted_scale)
    workload = Workload(provinces, [FIRST_YEAR, FIRST_YEAR + 1])
    # Each server process keeps THIDUA_PROVINCE_POOL_SIZE connections per province open (and its
    # read pool and projection runners): 34 provinces in two processes ask for more than
    # PostgreSQL's default max_connections (100) even at one connection per province, and the
    # second process fails to start. So: one process, one connection per province (options).
    pool = {"THIDUA_PROVINCE_POOL_SIZE": str(options.hosted_province_pool)}
    product = product_server(instance.params, options.logs_dir, name="hosted",
                             log_level=options.server_log_level, workers=options.hosted_workers,
                             variant=options.variant, extra_env=pool)
    pg_pid = postmaster_pid(ctx.server.embedded.pgdata) if ctx.server.embedded is not None else None
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with product, httpx.AsyncClient(base_url=product.url, timeout=30, limits=limits) as client:
        await _ready(client, workload)
        # What holding the provinces costs with no request at all (projection runners polling).
        async with watched(product.pid) as server_idle, watched(pg_pid) as pg_idle:
            await asyncio.sleep(IDLE_S)
        seconds = options.hosted_duration + options.warmup
        async with (
            profiled(product.pid, options.profile_path("hosted_instance"), seconds, enabled=options.profile),
            watched(product.pid) as server_use,
            watched(pg_pid) as pg_use,
        ):
            stats = await _offer(client, rates, workload, warmup=options.warmup,
                                 duration=options.hosted_duration)
    return _results(ctx, rates, stats, (server_use, pg_use, server_idle, pg_idle), instance)


def _usage_text(server: Usage, server_idle: Usage, pg: Usage, pg_idle: Usage) -> str:
    mb = 2**20
    return (
        f"Server (thidua serve and workers): {server.cores:.2f} cores ({server_idle.cores:.2f} idle), "
        f"peak memory {server.peak_pss_bytes / mb:.0f} MB PSS ({server.peak_rss_bytes / mb:.0f} MB RSS); "
        f"PostgreSQL: {pg.cores:.2f} cores ({pg_idle.cores:.2f} idle), peak memory "
        f"{pg.peak_pss_bytes / mb:.0f} MB PSS ({pg.peak_rss_bytes / mb:.0f} MB RSS, which counts shared "
        "buffers once per backend). The machine is shared: read the load average."
    )


def _per_request(use: Usage, requests: int) -> float | None:
    return round(use.cpu_s * 1000 / requests, 1) if requests else None


def _results(
    ctx: BenchContext, rates: Rates, stats: dict[str, OpStats], use: tuple[Usage, ...], instance: Instance
) -> list[CaseResult]:
    events, built_s = instance.events_per_province, instance.built_s
    seconds, scale = ctx.options.hosted_duration, ctx.options.hosted_scale
    provinces = ctx.options.hosted_provinces
    server, pg, server_idle, pg_idle = use
    offered = rates.as_dict()
    rows = [_op_result(op, stats[op], offered[op], seconds) for op in offered]
    served = sum(len(s.latencies) for s in stats.values()) / seconds
    answered = sum(s.started - s.skipped for s in stats.values())
    every = [lat for s in stats.values() for lat in s.latencies]
    main = CaseResult(
        name="hosted_instance",
        value=round(served, 1),
        unit="req/s",
        floor=round(rates.total, 1),
        floor_name="offered: year-end week estimate",
        p50_ms=percentile_ms(every, 50),
        p99_ms=percentile_ms(every, 99),
        params={
            "provinces": provinces,
            "events_per_province": events,
            "events_total": events * provinces,
            "units_per_province": UNITS,
            "staff_per_province": UNITS * STAFF_PER_UNIT,
            "scale": scale,
            "province_pool_size": ctx.options.hosted_province_pool,
            "server_workers": ctx.options.hosted_workers,
            "measured_s": seconds,
            "offered_per_s": {k: round(v, 2) for k, v in offered.items()},
            "cache_built_s": None if built_s is None else round(built_s, 1),
            **server.summary("server"),
            **pg.summary("postgres"),
            # CPU per request started and not skipped (the window's warm-up included): what the
            # machine's load average changes less than the latencies.
            "server_cpu_ms_per_request": _per_request(server, answered),
            "postgres_cpu_ms_per_request": _per_request(pg, answered),
            "idle_server_cores": round(server_idle.cores, 3),
            "idle_postgres_cores": round(pg_idle.cores, 3),
        },
        goal=GOAL,
        goal_met=all(r.goal_met for r in rows),
        note=f"{rates.estimate(provinces, scale)}. {_usage_text(server, server_idle, pg, pg_idle)}",
    )
    return [main, *rows]
