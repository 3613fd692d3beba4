"""search_history (tra cứu khen thưởng): `awardHistory(search:)` by name over HTTP in a province
of `--history-records` award records (100,000 by default), `--search-clients` concurrent clients.

The searches are names as clerks type them: a person's full name (half of them without
diacritics), a family and a given name, a unit's name; a first page of 20. Floor: a plain
Litestar endpoint (`bench.floor_search_app`) running the look-up's own statement with asyncpg
under the same row-level security for the same requests: the read model's cost without ours.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from pathlib import Path

import httpx

from bench.context import BenchContext
from bench.environment import database_url
from bench.load import LoadResult, closed_loop, graphql_check
from bench.progress import progress_bar
from bench.results import CaseResult, percentile_ms
from bench.seed_history import HistorySeed, seed_history
from bench.served import ServedProcess, auth_headers, free_port, product_server, token
from bench.workloads import require_fields
from thidua.projections.lookup.folding import fold
from thidua.services.database import ConnectionParams

PROVINCE = "bench-tra-cuu"
GOAL = "p99 ≤ 50 ms"
PAGE = 20
SEARCH = """
query Search($search: String!, $first: Int) {
  awardHistory(search: $search, first: $first) {
    edges { cursor node { recipientKind recipient name award year decision decidedOn signer
      prizeMultiple prizeAmount revokedBy consecutiveYears } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def searches(seed: HistorySeed, count: int = 2_000) -> list[str]:
    """The mix of searches: 60 % full names (half folded), 25 % family + given, 15 % units."""
    rng = random.Random(3)
    found = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            name = rng.choice(seed.person_names)
            found.append(fold(name) if rng.random() < 0.5 else name)
        elif roll < 0.85:
            words = rng.choice(seed.person_names).split()
            found.append(fold(f"{words[0]} {words[-1]}"))
        else:
            words = rng.choice(seed.unit_names).split()
            found.append(fold(" ".join(words[: rng.randint(2, 4)])))
    return found


def requests(seed: HistorySeed) -> list[bytes]:
    return [
        json.dumps({"query": SEARCH, "variables": {"search": s, "first": PAGE}}).encode()
        for s in searches(seed)
    ]


async def wait_projected(url: str, headers: dict[str, str], position: int) -> None:
    """Until the look-up has caught up with the seed (the product projects it on start)."""
    body = json.dumps(
        {
            "query": "query($p: Int) { awardHistory(first: 1, atLeastPosition: $p) { edges { cursor } } }",
            "variables": {"p": position},
        }
    ).encode()
    deadline = time.monotonic() + 900
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while time.monotonic() < deadline:
            answer = (await client.post("/graphql", content=body, headers=headers)).json()
            if not answer.get("errors"):
                return
            await asyncio.sleep(1)
    msg = f"the look-up never reached position {position}"
    raise RuntimeError(msg)


def floor_server(params: ConnectionParams, logs_dir: Path) -> ServedProcess:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "bench.floor_search_app",
        "--port",
        str(port),
        "--database-url",
        database_url(params),
        "--province",
        PROVINCE,
    ]
    return ServedProcess(argv, {**os.environ}, port, logs_dir / "floor_search_app.log", "floor_search")


async def _load(
    ctx: BenchContext, server: ServedProcess, headers: dict[str, str], bodies: list[bytes]
) -> LoadResult:
    options = ctx.options
    clients = options.search_clients
    return await closed_loop(
        server.url,
        lambda c, n: ("/graphql", headers, bodies[(n * clients + c) % len(bodies)]),
        clients=clients,
        duration=options.duration,
        warmup=options.warmup,
        check=graphql_check,
    )


async def run(ctx: BenchContext) -> list[CaseResult]:
    require_fields("awardHistory")
    options = ctx.options
    params = await asyncio.to_thread(ctx.server.fresh, "bench_search_history")
    started = time.monotonic()
    with progress_bar(ctx.console, f"seeding {options.history_records:,} award records", 1) as update:
        seed = await asyncio.to_thread(
            seed_history, params, PROVINCE, records=options.history_records, progress=update
        )
    seeded_s = time.monotonic() - started
    # The board (Ban Thi đua – Khen thưởng) searches the most; as for query_standings, its token
    # (a clerk's adds the check that the token's unit is registered, on every read).
    headers = auth_headers(token(PROVINCE, "province_admin", user="bench-tra-cuu"))
    bodies = requests(seed)
    product = product_server(
        params,
        options.logs_dir,
        name="search",
        log_level=options.server_log_level,
        workers=options.server_workers,
        variant=options.variant,
    )
    async with product:
        started = time.monotonic()
        await wait_projected(product.url, headers, seed.position)
        projected_s = time.monotonic() - started
        cpu_before = product.cpu_seconds()
        load = await _load(ctx, product, headers, bodies)
        server_cpu = product.cpu_seconds() - cpu_before
    async with floor_server(params, options.logs_dir) as plain:
        floor = await _load(ctx, plain, headers, bodies)
    p99 = percentile_ms(load.latencies, 99)
    return [
        CaseResult(
            name="search_history",
            value=round(load.rate, 1),
            unit="searches/s",
            floor=round(floor.rate, 1),
            floor_name="the look-up's SQL with asyncpg, plain Litestar endpoint",
            p50_ms=percentile_ms(load.latencies, 50),
            p99_ms=p99,
            params={
                "records": seed.records,
                "people": len(seed.person_names),
                "units": len(seed.unit_names),
                "clients": options.search_clients,
                "page": PAGE,
                "distinct_searches": len(set(bodies)),
                "searches": load.requests,
                "failures": load.failures,
                "first_failure": load.first_failure,
                "floor_p50_ms": percentile_ms(floor.latencies, 50),
                "floor_p99_ms": percentile_ms(floor.latencies, 99),
                "seed_s": round(seeded_s, 1),
                "projected_s": round(projected_s, 1),
                "server_cpu_s": round(server_cpu, 1),
            },
            goal=GOAL,
            goal_met=p99 is not None and p99 <= 50 and not load.failures,
        )
    ]
