"""The `/metrics` route: this process's samples (or all server processes', in multi-process
mode), this process's pools sampled every few seconds, and the figures the database holds.
`services/metrics.py` says what is counted and who may read it."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import os
import time
from pathlib import Path
from typing import Any

import structlog
from litestar import Request, get
from litestar.datastructures import State
from litestar.response import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Gauge,
    generate_latest,
    multiprocess,
)

from thidua.projections.catalogue import select
from thidua.projections.status import list_provinces, projection_status
from thidua.services.metrics import MULTIPROC_ENV, POOL_CONNECTIONS, POOL_SAMPLE_S
from thidua.services.runtime import Runtime

log = structlog.get_logger()


def sample_pools(runtime: Runtime) -> None:
    """This process's pools as they are now (every POOL_SAMPLE_S seconds, and at a scrape)."""
    pool = runtime.read_pool
    size, idle = pool.get_size(), pool.get_idle_size()
    _pool("read", "", in_use=size - idle, idle=idle, size=size, maximum=pool.get_max_size())
    for code, app in runtime.registry.opened().items():
        write_pool = getattr(getattr(app.recorder, "datastore", None), "pool", None)
        stats = getattr(write_pool, "get_stats", None)
        if stats is None:
            continue
        s: dict[str, int] = stats()
        size, idle = s.get("pool_size", 0), s.get("pool_available", 0)
        _pool("write", code, in_use=size - idle, idle=idle, size=size, maximum=s.get("pool_max", 0))


def _pool(pool: str, province: str, *, in_use: int, idle: int, size: int, maximum: int) -> None:
    for state, value in (("in_use", in_use), ("idle", idle), ("open", size), ("max", maximum)):
        POOL_CONNECTIONS.labels(pool, province, state).set(value)


class PoolSampler:
    """Samples this process's pools every POOL_SAMPLE_S seconds: in multi-process mode another
    process may answer the scrape, and it can only add up what each process wrote."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="pool-sampler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                sample_pools(self.runtime)
            except Exception:  # a figure missed is no reason to stop sampling
                log.debug("pool_sample_failed", exc_info=True)
            await asyncio.sleep(POOL_SAMPLE_S)


def _forget_dead_processes(directory: Path) -> None:
    """Drop the live gauges of server processes that are gone (uvicorn restarts a worker that
    died; its pool gauges must not be added forever)."""
    for file in directory.glob("gauge_live*_*.db"):
        pid = int(file.stem.rsplit("_", 1)[1])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, str(directory))  # type: ignore[no-untyped-call]
        except PermissionError:
            pass  # alive, another user's


async def _database_registry(runtime: Runtime) -> CollectorRegistry:
    """Projection positions and lag, and ledger heads, per province, as the database has them."""
    registry = CollectorRegistry(auto_describe=True)
    lag = Gauge(
        "thidua_projection_lag_events",
        "Events recorded but not yet applied by a projection, by province and projection.",
        ["province", "projection"],
        registry=registry,
    )
    position = Gauge(
        "thidua_projection_position",
        "Last position applied by a projection.",
        ["province", "projection"],
        registry=registry,
    )
    head = Gauge(
        "thidua_ledger_head_position",
        "Position of the last event recorded, by province.",
        ["province"],
        registry=registry,
    )
    seconds = Gauge(
        "thidua_metrics_database_read_seconds", "Time to read the figures above.", registry=registry
    )
    started = time.perf_counter()
    async with runtime.read_pool.acquire(timeout=5) as conn:
        provinces = await list_provinces(conn)
        exists = await conn.fetchval("SELECT to_regclass('readmodel.tracking')")
        statuses = await projection_status(conn, provinces, select(None)) if exists is not None else []
    for s in statuses:
        lag.labels(s.province, s.projection).set(s.lag)
        position.labels(s.province, s.projection).set(s.position)
        head.labels(s.province).set(s.head)
    seconds.set(time.perf_counter() - started)
    return registry


async def render_metrics(runtime: Runtime) -> bytes:
    sample_pools(runtime)
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        _forget_dead_processes(Path(directory))
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted, path=directory)  # type: ignore[no-untyped-call]
    else:
        counted = REGISTRY
    try:
        from_database = generate_latest(await _database_registry(runtime))
    except Exception as exc:  # the process's own figures still help while the database is away
        log.warning("metrics_database_unavailable", error=type(exc).__name__)
        from_database = b""
    return generate_latest(counted) + from_database


@get("/metrics", include_in_schema=False)
async def metrics(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    runtime: Runtime = state.runtime
    token = runtime.settings.ops.metrics_token
    if token is not None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            return Response(
                b"metrics need the operators' bearer token\n",
                status_code=401,
                media_type="text/plain",
                headers={"www-authenticate": "Bearer"},
            )
    return Response(await render_metrics(runtime), media_type=CONTENT_TYPE_LATEST)
