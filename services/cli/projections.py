"""`thidua projections run|rebuild|verify|status`: the read models from the command line."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import asyncpg
import click
import structlog
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from thidua.projections.catalogue import select
from thidua.projections.errors import UnknownProjection
from thidua.projections.health import Health, projection_health
from thidua.projections.rebuild import BUILD_BATCH, BuildResult, rebuild, rebuild_all, verify
from thidua.projections.routing import pool_for
from thidua.projections.setup import ensure_readmodel
from thidua.projections.status import ProjectionStatus, list_provinces, projection_status
from thidua.services.cli.common import load_settings, registry
from thidua.services.database import ConnectionParams
from thidua.services.parallel_rebuild import rebuild_in_processes
from thidua.services.projection_host import decoder_for
from thidua.services.projection_hosts import projection_service
from thidua.services.registry import ProvinceRegistry
from thidua.services.servers import Servers, routed_pool
from thidua.services.settings import LogFormat

log = structlog.get_logger()


@click.group("projections")
def projections_group() -> None:
    """Read models (mô hình đọc): run, rebuild, verify, status."""


@contextmanager
def _names(projection: tuple[str, ...]) -> Iterator[list[str]]:
    try:
        select(list(projection))
    except UnknownProjection as exc:
        raise click.ClickException(exc.message_vi) from None
    yield list(projection)


@projections_group.command("run")
@click.option("--batch", default=2000, show_default=True, help="Events per transaction.")
def run(batch: int) -> None:
    """Run the projections as a worker until SIGINT/SIGTERM (one owner per province and
    projection: start several for failover, never double-applying)."""
    settings = load_settings()
    with registry(settings) as reg:
        asyncio.run(_run(reg, batch))


async def _run(reg: ProvinceRegistry, batch: int) -> None:
    host = projection_service(reg, run=True, batch_size=batch)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await host.start()
    log.info("projection_worker_running")
    try:
        await stop.wait()
    finally:
        await host.stop()


def _progress_callback(
    bar: Progress | None, task: TaskID | None, province: str, projection: str
) -> Callable[[int, int], None]:
    """Advance the bar on a terminal; elsewhere log a progress line at most every 2 s."""
    last = [0.0]

    def report(position: int, target: int) -> None:
        if bar is not None and task is not None:
            bar.update(task, completed=position, total=max(target, 1))
        now = time.monotonic()
        if now - last[0] >= 2.0:
            last[0] = now
            log.info(
                "projection_rebuild_progress",
                province=province,
                projection=projection,
                position=position,
                target=target,
            )

    return report


async def _each(
    reg: ProvinceRegistry,
    provinces: tuple[str, ...],
    names: list[str],
    action: str,
    batch: int,
) -> list[BuildResult]:
    projections = select(names)
    # A rebuild's reader and its two writing lanes (projections/rebuild.py).
    routed = await routed_pool(reg.servers, min_size=1, max_size=3)
    prepared: set[int] = set()
    results: list[BuildResult] = []
    try:
        async with routed.acquire() as conn:
            codes = list(provinces) or await list_provinces(conn)
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
        ) as bar:
            for code in codes:
                pool = await pool_for(routed, code)  # the province's server
                if id(pool) not in prepared:
                    prepared.add(id(pool))
                    async with pool.acquire() as conn:
                        await ensure_readmodel(conn, projections)
                decode = await asyncio.to_thread(decoder_for, reg, code)
                if action == "rebuild" and not names:
                    # All of them: one pass over the events, each batch decoded once for all.
                    task = bar.add_task(f"rebuild {code}/*", total=None)
                    progress = _progress_callback(bar, task, code, "*")
                    every = await rebuild_all(
                        pool, code, projections, decode, batch_size=batch, progress=progress
                    )
                    results.extend(every)
                    continue
                for projection in projections:
                    task = bar.add_task(f"{action} {code}/{projection.name}", total=None)
                    progress = _progress_callback(bar, task, code, projection.name)
                    run = rebuild if action == "rebuild" else verify
                    results.append(
                        await run(pool, code, projection, decode, batch_size=batch, progress=progress)
                    )
    finally:
        await routed.close()
    return results


async def _in_processes(
    reg: ProvinceRegistry,
    provinces: tuple[str, ...],
    names: list[str],
    processes: int,
    *,
    batch: int,
    logging: tuple[LogFormat, str],
) -> list[BuildResult]:
    """Each province in turn, its projections split among `processes` processes."""
    projections = select(names)
    conn = await asyncpg.connect(**reg.params.asyncpg_kwargs())
    try:
        await ensure_readmodel(conn, projections)
        codes = list(provinces) or await list_provinces(conn)
    finally:
        await conn.close()
    chosen = [p.name for p in projections]
    results: list[BuildResult] = []
    for code in codes:
        here = await asyncpg.connect(**reg.params_for(code).asyncpg_kwargs())  # its server's tables
        try:
            await ensure_readmodel(here, projections)
        finally:
            await here.close()
        rebuilt = await asyncio.to_thread(
            rebuild_in_processes,
            reg.params_for(code),
            code,
            chosen,
            processes,
            batch_size=batch,
            logging=logging,
        )
        results.extend(rebuilt)
    return results


@projections_group.command("rebuild")
@click.option("--province", "provinces", multiple=True, help="Province code (default: all).")
@click.option("--projection", multiple=True, help="Projection name (default: all).")
@click.option("--batch", default=BUILD_BATCH, show_default=True, help="Events per batch.")
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rebuild the projections in groups, each group in a process of its own (one per core).",
)
def rebuild_command(
    provinces: tuple[str, ...], projection: tuple[str, ...], batch: int, processes: int
) -> None:
    """Recompute from zero beside the live tables, then switch to the result atomically."""
    settings = load_settings()
    with _names(projection) as names, registry(settings) as reg:
        if processes > 1:
            logging = (settings.log_format, settings.log_level)
            parallel = _in_processes(reg, provinces, names, processes, batch=batch, logging=logging)
            results = asyncio.run(parallel)
        else:
            results = asyncio.run(_each(reg, provinces, names, "rebuild", batch))
    for r in results:
        rate = r.events / r.seconds if r.seconds else 0.0
        click.echo(
            f"{r.province}\t{r.projection}\tposition {r.position}\t{r.events} events\t"
            f"{r.seconds:.1f}s\t{rate:,.0f} events/s"
        )


@projections_group.command("verify")
@click.option("--province", "provinces", multiple=True, help="Province code (default: all).")
@click.option("--projection", multiple=True, help="Projection name (default: all).")
@click.option("--batch", default=BUILD_BATCH, show_default=True, help="Events per batch.")
def verify_command(provinces: tuple[str, ...], projection: tuple[str, ...], batch: int) -> None:
    """Rebuild beside the live tables and compare checksums; exit 1 on any difference."""
    settings = load_settings()
    with _names(projection) as names, registry(settings) as reg:
        results = asyncio.run(_each(reg, provinces, names, "verify", batch))
    differ = False
    for r in results:
        verdict = "identical" if r.identical else "DIFFERENT"
        differ = differ or not r.identical
        click.echo(f"{r.province}\t{r.projection}\tposition {r.position}\t{verdict}")
        for live, rebuilt in zip(r.live, r.rebuilt, strict=True):
            click.echo(
                f"  {live.table}: live {live.rows} rows {live.digest} / "
                f"rebuilt {rebuilt.rows} rows {rebuilt.digest}"
            )
    if differ:
        sys.exit(1)


@projections_group.command("status")
@click.option("--province", "provinces", multiple=True, help="Province code (default: all).")
def status_command(provinces: tuple[str, ...]) -> None:
    """Position, head and lag of each province's projections."""
    settings = load_settings()
    with registry(settings) as reg:
        rows = asyncio.run(_status(reg, provinces))
    click.echo("province\tprojection\tversion\tposition\thead\tlag\tupdated")
    for s in rows:
        updated = f"{s.updated_at:%Y-%m-%d %H:%M:%S}" if s.updated_at else "never"
        click.echo(f"{s.province}\t{s.projection}\tv{s.version}\t{s.position}\t{s.head}\t{s.lag}\t{updated}")


@projections_group.command("check")
@click.option("--max-lag", default=10_000, show_default=True, help="Events a projection may be behind.")
def check_command(max_lag: int) -> None:
    """Health check of the projection worker: exit 0 when every province's projections have an
    owner (a worker holding their lock) and are at most --max-lag events behind, 1 otherwise.
    Read-only; deploy/compose.yaml runs it as the worker's health check."""
    settings = load_settings()
    if settings.database.url is None:
        raise click.ClickException("DATABASE_URL is not set: there is no worker to check.")
    params = ConnectionParams.from_url(settings.database.url)
    try:
        found = asyncio.run(_health(Servers.of(params, settings.database.servers)))
    except (OSError, asyncpg.PostgresError) as exc:
        click.echo(f"unhealthy: database unavailable ({type(exc).__name__})", err=True)
        sys.exit(1)
    if found is None:
        click.echo("unhealthy: the read models are not set up yet (no worker has started)", err=True)
        sys.exit(1)
    problems = [(h, p) for h in found if (p := h.problem(max_lag)) is not None]
    for h, problem in problems:
        click.echo(f"unhealthy: {h.status.province}/{h.status.projection}: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"healthy: {len(found)} projections owned, at most {max_lag} events behind")


async def _health(servers: Servers) -> list[Health] | None:
    """Every server's provinces, each server's read models and ownership locks read there."""
    if len(servers.names()) == 1:
        return await _health_on(servers.main, None)
    main = await asyncpg.connect(timeout=5, **servers.main.asyncpg_kwargs())
    try:
        rows = await main.fetch("SELECT code, server FROM platform.provinces ORDER BY code")
    finally:
        await main.close()
    found: list[Health] = []
    for name, params in servers:
        part = await _health_on(params, [r["code"] for r in rows if r["server"] == name])
        if part is None:
            return None
        found.extend(part)
    return found


async def _health_on(params: ConnectionParams, provinces: list[str] | None) -> list[Health] | None:
    conn = await asyncpg.connect(timeout=5, **params.asyncpg_kwargs())
    try:
        return await projection_health(conn, select(None), provinces)
    finally:
        await conn.close()


async def _status(reg: ProvinceRegistry, provinces: tuple[str, ...]) -> list[ProjectionStatus]:
    """Each province's projections, read on its server."""
    projections = select(None)
    codes = list(provinces) or [info.code for info in reg.list_provinces()]
    located = {code: reg.get(code).server for code in codes}
    found: list[ProjectionStatus] = []
    for name, params in reg.servers:
        mine = [code for code in codes if located[code] == name]
        if not mine:
            continue
        conn = await asyncpg.connect(**params.asyncpg_kwargs())
        try:
            await ensure_readmodel(conn, projections)
            found.extend(await projection_status(conn, mine, projections))
        finally:
            await conn.close()
    return found
