"""The work the HTTP cases send (khối lượng công việc): seeded provinces and GraphQL requests.

Seeding is not measured. It goes through the services command methods (one command, one
transaction, as an importer would), so the measured mutations find the ballots, units and staff
they act on exactly as the product made them. Requests are built ahead of time as
bytes so the client spends its CPU on HTTP, not on JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import psycopg
import structlog

from bench.context import BenchContext, CaseUnavailable
from bench.datagen import ensure_date_transcoding
from bench.load import LoadResult, RequestFactory, closed_loop
from bench.options import Options
from bench.profiling import profiled
from bench.served import auth_headers, product_server, token
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry
from thidua.services.tenancy import schema_for

log = structlog.get_logger()

MAX_RATE = 2_500.0  # mutations/s we provision ballots for, across all clients
BALLOT_VOTERS = 20


def events_table(province: str) -> str:
    return f'"{schema_for(province)}"."ledger_events"'


def require_fields(*names: str) -> str:
    """The SDL of the product's schema; CaseUnavailable naming what it lacks."""
    try:
        from thidua.graphql.schema import schema  # noqa: PLC0415 - the API may not exist yet
    except ImportError as exc:
        raise CaseUnavailable(f"graphql schema not importable: {exc}") from None
    sdl = schema.as_str()
    missing = [n for n in names if f"{n}(" not in sdl and f"{n}:" not in sdl]
    if missing:
        raise CaseUnavailable(f"the GraphQL API has no {', '.join(missing)} yet")
    return sdl


def mutation_check(field_name: str) -> Callable[[bytes], str | None]:
    """A mutation succeeded when there are no GraphQL errors and its payload says ok."""

    def check(body: bytes) -> str | None:
        document = json.loads(body)
        if document.get("errors"):
            return json.dumps(document["errors"])[:300]
        payload = (document.get("data") or {}).get(field_name) or {}
        if not payload.get("ok", False):
            return json.dumps(payload, ensure_ascii=False)[:300]
        return None

    return check


def provenance(user: str, role: str, unit: str | None, on: date) -> Provenance:
    return Provenance(Actor(user, role, unit), datetime.now(UTC), on, "bench-seed")


def head_position(params: ConnectionParams, province: str) -> int:
    with psycopg.connect(params.psycopg_conninfo()) as conn:
        row = conn.execute(
            f"SELECT coalesce(max(notification_id), 0) FROM {events_table(province)}"
        ).fetchone()
    return int(row[0]) if row else 0


def open_registry(params: ConnectionParams, provinces: list[str]) -> ProvinceRegistry:
    """A registry with `provinces` created (or already there: several seeds may share one)."""
    registry = ProvinceRegistry(params, pool_size=1, pool_overflow=2)
    registry.ensure_platform_schema()
    known = {info.code for info in registry.list_provinces()}
    for code in provinces:
        if code not in known:
            registry.create_province(code, f"Tỉnh đo tải {code}", created_by="bench")
        ensure_date_transcoding(registry.app(code))
    return registry


def migrate_cached(params: ConnectionParams) -> dict[str, list[str]]:
    """Apply the product's pending migrations to a database cached by an earlier version of it
    (`thidua db migrate`), as a production database would get them; the steps applied."""
    registry = ProvinceRegistry(params, pool_size=1, pool_overflow=1)
    try:
        return registry.migrate()
    finally:
        registry.close()


@dataclass
class VotingWorkload:
    """Open ballots among `BALLOT_VOTERS` member units, enough for every client to vote without
    ever casting twice; client n votes in province n mod P, in its own ballots only (no two
    clients write the same aggregate, as two clerks of different blocks would not)."""

    provinces: list[str]
    ballots: int
    voters: list[str]
    seeded_positions: dict[str, int]
    events_per_request: float | None = None
    server_cpu: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def seed(cls, params: ConnectionParams, provinces: list[str], options: Options) -> VotingWorkload:
        """Through the services commands: units, a block and its year, then the open ballots."""
        total_votes = MAX_RATE * (options.duration + options.warmup) * 1.5
        ballots = math.ceil(total_votes / BALLOT_VOTERS / len(provinces))
        voters = [f"dv{n:02d}" for n in range(BALLOT_VOTERS)]
        year = datetime.now(UTC).year
        registry = open_registry(params, provinces)
        positions = {}
        try:
            for code in provinces:
                app = registry.app(code)
                admin = provenance("board", "province_admin", None, date(year, 1, 5))
                for v in voters:
                    app.register_unit(key=v, name=f"Đơn vị {v}", by=admin)
                app.create_block(key="khoi-bench", name="Khối đo tải", kind="block", by=admin)
                app.open_block_year(block="khoi-bench", year=year, members=voters,
                                    members_claimed=None, by=admin)
                for b in range(ballots):
                    app.open_ballot(key=f"bench/{b:05d}", purpose="classification",
                                    subject=voters[b % BALLOT_VOTERS], award=None, secret=False,
                                    question="approve", electorate="block_members", block="khoi-bench",
                                    year=year, options=["approve", "reject"], by=admin)
                positions[code] = head_position(params, code)
        finally:
            registry.close()
        log.info("bench_votes_seeded", provinces=len(provinces), ballots_per_province=ballots)
        return cls(provinces, ballots, voters, positions)

    def request_factory(
        self, clients: int, document: str, variables: Callable[[str, str, str], Any]
    ) -> RequestFactory:
        """`variables(ballot key, voter, choice)` -> the mutation's variables."""
        per_province = max(1, clients // len(self.provinces))
        headers = {
            (p, v): auth_headers(token(p, "unit_clerk", unit=v, user=f"clerk-{v}"))
            for p in self.provinces
            for v in self.voters
        }

        def make(client: int, n: int) -> tuple[str, dict[str, str], bytes]:
            province = self.provinces[client % len(self.provinces)]
            slot = client // len(self.provinces)
            ballot_index = (n // len(self.voters)) * per_province + slot
            voter = self.voters[n % len(self.voters)]
            body = {"query": document, "variables": variables(f"bench/{ballot_index:05d}", voter, "approve")}
            return "/graphql", headers[(province, voter)], json.dumps(body).encode()

        return make


    def open_loop_factory(self, document: str, variables: Callable[[str, str, str], Any]) -> RequestFactory:
        """For paced (open-loop) load: request n goes to ballot n mod B, so requests in flight
        at the same time never write the same ballot (which would be refused as a conflict)."""
        province = self.provinces[0]
        headers = {
            v: auth_headers(token(province, "unit_clerk", unit=v, user=f"clerk-{v}")) for v in self.voters
        }

        def make(_client: int, n: int) -> tuple[str, dict[str, str], bytes]:
            ballot = n % self.ballots
            voter = self.voters[(n // self.ballots) % len(self.voters)]
            body = {"query": document, "variables": variables(f"bench/{ballot:05d}", voter, "approve")}
            return "/graphql", headers[voter], json.dumps(body).encode()

        return make


CAST_VOTE = """
mutation CastVote($input: CastVoteInput!) {
  castVote(input: $input) { ok position errors { code message } }
}
"""


def cast_vote_variables(ballot: str, voter: str, choice: str) -> dict[str, Any]:
    return {"input": {"ballot": ballot, "voter": voter, "choice": choice}}


async def measure_votes(
    ctx: BenchContext, params: ConnectionParams, workload: VotingWorkload, *, clients: int
) -> LoadResult:
    """Serve the product on `params` and drive `castVote` with `clients` clients."""
    require_fields("castVote")
    make = workload.request_factory(clients, CAST_VOTE, cast_vote_variables)
    server = product_server(
        params, ctx.options.logs_dir, name="write", log_level=ctx.options.server_log_level,
        workers=ctx.options.server_workers, variant=ctx.options.variant,
    )
    options = ctx.options
    async with server:
        cpu_before = server.cpu_seconds()
        path = options.profile_path(f"{server.name}_{len(workload.provinces)}p")
        async with profiled(server.pid, path, options.duration + options.warmup, enabled=options.profile):
            load = await closed_loop(
                server.url, make, clients=clients, duration=options.duration,
                warmup=options.warmup, check=mutation_check("castVote"),
            )
        workload.server_cpu = {"server_cpu_s": round(server.cpu_seconds() - cpu_before, 1)}
    written = sum(head_position(params, p) - workload.seeded_positions[p] for p in workload.provinces)
    sent = load.attempted
    workload.events_per_request = round(written / sent, 2) if sent else None
    return load
