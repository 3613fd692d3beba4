"""A database of many provinces (một máy chủ nhiều tỉnh) built once and cached under var/bench:
one template province generated through the domain and projected by the product, then cloned
by SQL (`bench.province_clone`) into the others. Each run works on a copy of the cached database
(`CREATE DATABASE ... TEMPLATE`, a file copy), so runs never see each other's writes."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import psycopg
import structlog

from bench.context import BenchContext
from bench.datagen import GENERATOR_VERSION, Shape, ensure_date_transcoding, generate
from bench.progress import progress_bar
from bench.province_clone import CLONE_VERSION, clone_province, recording_names, store_names
from bench.seed_standings import seed_standings
from bench.workloads import migrate_cached, open_registry
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

log = structlog.get_logger()

CLONE_CONNECTIONS = 2  # clones made side by side (the machine has 2 cores)


@dataclass(frozen=True)
class InstancePlan:
    """What the cached database holds: `template` of `events` events of `shape` (plus, with
    `standings_units`, a scored block of that many units), cloned into `clones`; `extra`
    provinces are created empty (with a scored block of `extra_standings_units` units, if any)."""

    label: str
    template: str
    clones: tuple[str, ...]
    events: int
    shape: Shape
    standings_units: int = 0
    extra: tuple[str, ...] = ()
    extra_standings_units: int = 0

    @property
    def database(self) -> str:
        s = self.shape
        extra = f"_e{len(self.extra)}x{self.extra_standings_units}" if self.extra else ""
        return (
            f"bench_{self.label}_t{self.events}_c{len(self.clones)}_u{s.units}x{s.staff_per_unit}"
            f"_y{s.first_year}_b{self.standings_units}{extra}_g{GENERATOR_VERSION}v{CLONE_VERSION}"
        )[:63]


@dataclass(frozen=True)
class Instance:
    params: ConnectionParams  # the run's own copy
    events_per_province: int
    built_s: float | None  # seconds building the cache this run, None when reused


def _marker(params: ConnectionParams) -> int | None:
    try:
        with psycopg.connect(params.psycopg_conninfo()) as conn:
            row = conn.execute("SELECT events FROM bench_meta.instance").fetchone()
    except psycopg.Error:
        return None
    return int(row[0]) if row else None


def _generate_template(
    ctx: BenchContext, params: ConnectionParams, plan: InstancePlan
) -> tuple[int, set[str]]:
    names: set[str] = set()
    registry = open_registry(params, [plan.template])
    try:
        with recording_names(plan.template, names):
            app = registry.app(plan.template)
            ensure_date_transcoding(app)
            what = f"generating {plan.template} ({plan.events:,} events)"
            with progress_bar(ctx.console, what, plan.events) as update:
                written = generate(app, plan.template, plan.events, shape=plan.shape, progress=update)
            if plan.standings_units:
                seed_standings(params, plan.template, plan.standings_units)
        for code in (*plan.clones, *plan.extra):
            registry.create_province(code, f"Tỉnh đo tải {code}", created_by="bench")
    finally:
        registry.close()
    for code in plan.extra:
        if plan.extra_standings_units:
            seed_standings(params, code, plan.extra_standings_units)
    return written, names


async def rebuild_provinces(params: ConnectionParams, provinces: list[str]) -> None:
    """Every projection of each province rebuilt from its events (`rebuild_all`, one pass)."""
    from thidua.projections.catalogue import all_projections  # noqa: PLC0415
    from thidua.projections.rebuild import rebuild_all  # noqa: PLC0415
    from thidua.projections.setup import ensure_readmodel  # noqa: PLC0415
    from thidua.services.projection_host import decoder_for  # noqa: PLC0415

    registry = ProvinceRegistry(params, pool_size=1, pool_overflow=1)
    pool = await asyncpg.create_pool(min_size=1, max_size=4, **params.asyncpg_kwargs())
    try:
        projections = all_projections()
        async with pool.acquire() as conn:
            await ensure_readmodel(conn, projections)
        for code in provinces:
            ensure_date_transcoding(await asyncio.to_thread(registry.app, code))
            decode = await asyncio.to_thread(decoder_for, registry, code)
            await rebuild_all(pool, code, projections, decode)
    finally:
        await pool.close()
        await asyncio.to_thread(registry.close)


async def _build(ctx: BenchContext, plan: InstancePlan) -> int:
    params = await asyncio.to_thread(ctx.server.fresh, plan.database, keep=True)
    started = time.monotonic()
    events, names = await asyncio.to_thread(_generate_template, ctx, params, plan)
    log.info("bench_template_generated", events=events, names=len(names), s=round(time.monotonic() - started))
    await rebuild_provinces(params, [plan.template, *plan.extra])
    log.info("bench_template_projected", s=round(time.monotonic() - started))
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        await store_names(conn, names)
    finally:
        await conn.close()
    pending = list(plan.clones)

    async def cloner() -> None:
        # Each clone writes its own ledger table: CLONE_CONNECTIONS of them run side by side.
        worker = await asyncpg.connect(**params.asyncpg_kwargs())
        try:
            while pending:
                code = pending.pop(0)
                copied = await clone_province(worker, plan.template, code)
                log.info("bench_province_cloned", province=code, events=copied, left=len(pending),
                         s=round(time.monotonic() - started))
        finally:
            await worker.close()

    await asyncio.gather(*(cloner() for _ in range(CLONE_CONNECTIONS)))
    conn = await asyncpg.connect(**params.asyncpg_kwargs())
    try:
        await conn.execute("CREATE TABLE bench_meta.instance (events bigint, at timestamptz DEFAULT now())")
        await conn.execute("INSERT INTO bench_meta.instance (events) VALUES ($1)", events)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    log.info("bench_instance_built", database=plan.database, s=round(time.monotonic() - started))
    return events


def _copy(ctx: BenchContext, cached: str, name: str) -> ConnectionParams:
    ctx.server.drop(name)
    admin: Any
    with psycopg.connect(ctx.server.server.psycopg_conninfo(), autocommit=True) as admin:
        # FILE_COPY: the files copied and one checkpoint, instead of every page through the WAL
        # (PostgreSQL 15's default), which took over a minute for the 34 provinces' 3.5 GB.
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{cached}" STRATEGY = FILE_COPY')
    ctx.server.created.append(name)
    return ctx.server.server.with_dbname(name)


async def working_instance(ctx: BenchContext, plan: InstancePlan, run_name: str) -> Instance:
    """A fresh copy of the plan's cached database (built first when missing), dropped at the end."""
    cached = ctx.server.server.with_dbname(plan.database)
    events = None
    if not ctx.options.regenerate and await asyncio.to_thread(ctx.server.exists, plan.database):
        events = await asyncio.to_thread(_marker, cached)
    built: float | None = None
    if events is None:
        started = time.monotonic()
        events = await _build(ctx, plan)
        built = time.monotonic() - started
    else:
        log.info("bench_instance_reused", database=plan.database, events=events)
    started = time.monotonic()
    params = await asyncio.to_thread(_copy, ctx, plan.database, run_name)
    # A cache built by an earlier version of the product gets that version's pending migrations
    # (`thidua db migrate`), as a production database would.
    migrated = await asyncio.to_thread(migrate_cached, params)
    log.info("bench_instance_copied", database=run_name, s=round(time.monotonic() - started, 1),
             migrated=migrated)
    return Instance(params, events, built)
